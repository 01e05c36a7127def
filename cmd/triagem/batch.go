package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/schollz/progressbar/v3"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/directory"
	"github.com/crefazon/triagem/intake"
	"github.com/crefazon/triagem/internal/casebuild"
	"github.com/crefazon/triagem/render"
)

// remoteWorkers is how many cases a batch diagnoses at once against the directory service.
const remoteWorkers = 128

// maxJSONLLine bounds one case of a JSON Lines input; a longer line is an error of its own.
const maxJSONLLine = 64 << 20

// job is one case to diagnose, in input order.
type job struct {
	seq int
	in  caseInput
}

// outcome is a diagnosed (or failed) case, rendered by its worker so that rendering runs in
// parallel too; the writer only puts outcomes in order.
type outcome struct {
	seq      int
	out      []byte
	errMsg   string
	code     int
	category string
	internal *internalError // a panic while diagnosing or rendering this case
}

// batch runs cases through the chain on GOMAXPROCS workers and writes their verdicts in input
// order. At most `window` cases are in flight, so memory stays flat however many cases come:
// a million JSON Lines cases stream through.
type batch struct {
	a           *app
	chain       *diagnose.Chain
	overrides   diagnose.Overrides
	pasted      *intake.Request // a pasted request, applied before the flags
	pastedNotes []string        // how the pasted request was read, for the verdict
	workers     int
	window      int
	progress    *progressbar.ProgressBar
	lazyBar     bool // total unknown (JSON Lines): show the bar once 100 cases have gone by
	screen      render.Screen
	journal     *pendingJournal // nil: nothing recorded
	alone       bool            // one diagnosis, not a batch
	jerr        journalErrors
}

func (a *app) newBatch(chain *diagnose.Chain, o diagnose.Overrides, total int64) *batch {
	w := runtime.GOMAXPROCS(0)
	b := &batch{a: a, chain: chain, overrides: o, workers: w, window: w * 64, screen: a.screen()}
	if _, ok := chain.Dir.(*directory.Remote); ok {
		// The directory service's look-ups wait on the network: with many cases in flight,
		// those waiting go out together in bulk requests (directory.Remote) while the others
		// use the CPU. The window stays what the CPUs need, so memory does too.
		b.workers = max(w, remoteWorkers)
		b.window = max(b.window, b.workers)
	}
	// Progress only on a terminal, on stderr, and only when there is enough to wait for.
	if a.stderrTTY && a.getenv("NO_PROGRESS") == "" {
		switch {
		case total > 100:
			b.progress = newProgress(a, total)
		case total < 0:
			b.lazyBar = true
		}
	}
	return b
}

func newProgress(a *app, total int64) *progressbar.ProgressBar {
	return progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(a.stderr),
		progressbar.OptionSetDescription(a.T("diagnosticando", "diagnosing")),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString(a.T("casos", "cases")),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionEnableColorCodes(false),
	)
}

// run diagnoses what produce sends and returns the tally and the highest exit code.
func (b *batch) run(ctx context.Context, produce func(ctx context.Context, emit func(caseInput) error) error) (*render.Tally, int, error) {
	if rd, ok := b.chain.Dir.(*directory.Remote); ok {
		defer rd.StartBatch()() // its disk cache written once, at the end
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job, b.window)
	outs := make(chan outcome, b.window)
	slots := make(chan struct{}, b.window) // taken per case in flight, given back once written

	var prodErr error
	go func() {
		defer close(jobs)
		seq := 0
		prodErr = produce(ctx, func(in caseInput) error {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			jobs <- job{seq, in}
			seq++
			return nil
		})
	}()

	var wg sync.WaitGroup
	for range b.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				outs <- b.diagnose(ctx, j)
			}
		}()
	}
	go func() { wg.Wait(); close(outs) }()

	tally := &render.Tally{}
	worst := exitOK
	stopped := false // a dependency failed: the rest of the batch would only wait on it
	pending := map[int]outcome{}
	next := 0
	var writeErr error
	journalChecked := b.journal == nil
	for o := range outs {
		if !journalChecked {
			// Before the first word of output: a journal the user named that does not open
			// ends the command with nothing printed, as it did when it opened first. A lone
			// case that records nothing (no ticket) has nothing to fail, whether or not its
			// journal was opened ahead on a guess (mayRecord): its worker, which records
			// before sending the outcome, would have asked.
			journalChecked = true
			if !b.alone || b.journal.asked.Load() {
				if _, err := b.a.journalOf(b.journal); err != nil {
					return tally, exitDependency, err
				}
			}
		}
		pending[o.seq] = o
		for {
			o, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-slots
			if stopped {
				continue
			}
			if o.code == exitDependency {
				stopped = true
				cancel()
				b.a.say("triagem: " + o.errMsg)
				if !b.alone { // a lone diagnosis has no cases after it to speak of
					b.a.say("triagem: " + b.a.T("lote interrompido: os casos depois deste não foram diagnosticados",
						"stopping the batch: the cases after this one were not diagnosed"))
				}
				worst = max(worst, o.code)
				continue
			}
			if o.internal != nil {
				b.a.internalFailure(o.internal.value, o.internal.stack)
				tally.AddError()
			} else if o.errMsg != "" {
				b.a.say("triagem: " + o.errMsg)
				tally.AddError()
			} else {
				tally.AddCategory(o.category)
				if writeErr == nil {
					if _, err := b.out().Write(o.out); err != nil {
						writeErr = err
						cancel()
					}
					putOutBuf(o.out) // a Writer keeps nothing of what it was given
				}
			}
			worst = max(worst, o.code)
			if b.lazyBar && next > 100 && b.progress == nil {
				b.progress = newProgress(b.a, -1)
				b.progress.Add(next - 1)
			}
			if b.progress != nil {
				b.progress.Add(1)
			}
		}
	}
	if b.progress != nil {
		b.progress.Finish()
	}
	if writeErr != nil {
		return tally, worst, &exitError{exitDependency, fmt.Errorf("%s", b.a.T("gravando os vereditos: %v", "writing the verdicts: %v", writeErr))}
	}
	if prodErr != nil && !errors.Is(prodErr, context.Canceled) {
		return tally, worst, prodErr
	}
	return tally, worst, nil
}

// out is where verdicts go: each was redacted with its own case's redactor already.
func (b *batch) out() io.Writer {
	if b.a.rawStdout != nil {
		return b.a.rawStdout
	}
	return b.a.stdout
}

func (b *batch) diagnose(ctx context.Context, j job) (o outcome) {
	// A panic here is in another goroutine than run's: caught here, it reaches the top as
	// this case's internal error instead of killing the process without a word.
	defer func() {
		if r := recover(); r != nil {
			o = outcome{seq: j.seq, code: exitInternal, internal: &internalError{r, debug.Stack()}}
		}
	}()
	o = outcome{seq: j.seq}
	c, v, err := b.a.diagnoseCase(ctx, b.chain, j.in, b.overrides, b.pasted)
	if err != nil {
		// An error may repeat what the case holds: mask it with what the case teaches, or,
		// when it did not parse, with what its raw text holds under secret names.
		rd := caseRedactor(b.chain.Rules, c)
		if c == nil {
			rd.LearnText(string(j.in.data))
		}
		o.errMsg, o.code = rd.Output(diagnose.ErrorText(err, diagnose.Lang(b.a.lang))), exitInput
		var ee *exitError
		if errors.As(err, &ee) {
			o.code = ee.code
		}
		return o
	}
	v.Intake = casebuild.Intake(b.pastedNotes, b.pasted != nil, c, diagnose.Lang(b.a.lang)) // masked below, per case
	// Every string of the verdict, masked before it is laid out (a table wraps values).
	out := caseRedactor(b.chain.Rules, c)
	out.Verdict(v)
	b.record(ctx, out, c, v)
	buf := bytes.NewBuffer(getOutBuf())
	if j.seq > 0 && b.a.output != "json" {
		switch b.a.output {
		case "markdown":
			buf.WriteString("\n---\n\n")
		case "reply":
			buf.WriteString(render.ReplySeparator)
		default:
			buf.WriteString("\n" + strings.Repeat("─", b.screen.Width) + "\n\n")
		}
	}
	if err := render.Verdict(buf, b.a.output, v, b.screen); err != nil {
		o.errMsg, o.code = fmt.Sprintf("%s: rendering the verdict: %v", j.in.name, err), exitDependency
		return o
	}
	o.out, o.code, o.category = buf.Bytes(), v.ExitCode(), v.Category
	return o
}

// outBufs are the buffers verdicts are rendered into, given back once written: a batch
// renders one per case, a few kilobytes each, which the collector otherwise has to reclaim.
var outBufs sync.Pool

func getOutBuf() []byte {
	if p, ok := outBufs.Get().(*[]byte); ok {
		return (*p)[:0]
	}
	return make([]byte, 0, 8<<10)
}

func putOutBuf(b []byte) {
	if cap(b) <= 64<<10 { // a rare large verdict is not kept
		outBufs.Put(&b)
	}
}

// produceRefs reads case files one at a time, as the workers need them.
func produceRefs(refs []caseRef) func(context.Context, func(caseInput) error) error {
	return func(ctx context.Context, emit func(caseInput) error) error {
		for _, r := range refs {
			if err := emit(r.read()); err != nil {
				return err
			}
		}
		return nil
	}
}

// produceJSONL streams one case per line; a line's errors name the file and the line.
func produceJSONL(name string, r io.Reader, l diagnose.Lang) func(context.Context, func(caseInput) error) error {
	return func(ctx context.Context, emit func(caseInput) error) error {
		br := bufio.NewReaderSize(r, 1<<20)
		for line := 1; ; line++ {
			data, err := readLine(br)
			if len(bytes.TrimSpace(data)) > 0 || err == errLineTooLong {
				in := caseInput{name: name + ":" + strconv.Itoa(line), data: data, jsonl: true, line: line, file: name}
				if err == errLineTooLong {
					in.data, in.err = nil, inputError("%s", l.T("%s:%d: a linha passa de %d MiB", "%s:%d: the line is longer than %d MiB", name, line, maxJSONLLine>>20))
				}
				if eerr := emit(in); eerr != nil {
					return eerr
				}
			}
			switch {
			case err == io.EOF:
				return nil
			case err != nil && err != errLineTooLong:
				return &exitError{exitInput, fmt.Errorf("%s:%d: %v", name, line, err)}
			}
		}
	}
}

var errLineTooLong = errors.New("line too long")

// readLine returns the next line without its end; it copies, since the case outlives the buffer.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > maxJSONLLine {
			// Skip the rest of the line so the next one still reads.
			for err == bufio.ErrBufferFull {
				_, err = br.ReadSlice('\n')
			}
			if err == io.EOF {
				return nil, io.EOF
			}
			return nil, errLineTooLong
		}
		line = append(line, chunk...)
		switch err {
		case bufio.ErrBufferFull:
			continue
		case nil:
			return bytes.TrimRight(line, "\r\n"), nil
		case io.EOF:
			if len(line) == 0 {
				return nil, io.EOF
			}
			return bytes.TrimRight(line, "\r\n"), nil
		default:
			return line, err
		}
	}
}

// relocate rewrites a JSON Lines case's error place from "file:L:C" (within the line) to the
// file's own line.
func relocate(err error, in caseInput) error {
	var ie *diagnose.InputError
	if !in.jsonl || !errors.As(err, &ie) {
		return err
	}
	prefix := in.name + ":"
	if rest, ok := strings.CutPrefix(ie.Place, prefix); ok {
		// rest is "1:COL" or "1"
		if _, col, found := strings.Cut(rest, ":"); found {
			return &diagnose.InputError{Place: fmt.Sprintf("%s:%d:%s", in.file, in.line, col), Msg: ie.Msg, Pt: ie.Pt}
		}
		return &diagnose.InputError{Place: fmt.Sprintf("%s:%d", in.file, in.line), Msg: ie.Msg, Pt: ie.Pt}
	}
	if ie.Place == in.name {
		return &diagnose.InputError{Place: fmt.Sprintf("%s:%d", in.file, in.line), Msg: ie.Msg, Pt: ie.Pt}
	}
	return err
}

// openJSONL opens --jsonl's file, or standard input for "-".
func (a *app) openJSONL(path string) (io.Reader, string, func(), error) {
	if path == "-" {
		a.sayWaiting("à espera dos casos em JSON Lines (um por linha) na entrada padrão.",
			"waiting for the cases as JSON Lines (one per line) on standard input.")
		return a.stdin, "stdin", func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", nil, inputError("--jsonl %s: %s", path, a.pathErr(err))
	}
	return f, path, func() { f.Close() }, nil
}
