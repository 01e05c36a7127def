package evidence

// The leak scan of a large body, run on its redacted text as the redaction writes it, on the
// other core: by the time case.yaml is put together its body has been scanned, and the scan
// of case.yaml (scanSpliced) takes those findings where it meets that body, instead of
// reading its megabytes then, after the redaction. It is the same scan (Scan's own walk of the
// text, token by token) of the same bytes (the ones case.yaml holds), and its answer is taken
// only where it is exactly what the scan of the whole file would find there; elsewhere the
// whole file's scan reads the body itself (TestPrescanIsScan).

import (
	"io"
	"slices"
	"unsafe"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/crefazon/triagem/rules"
)

// prescanner starts the scans of a bundle's large bodies (Build sets it on the redactor).
type prescanner struct {
	red   rules.Redaction
	scans []*prescan
}

// prescan is one body's scan, run as its text is written.
type prescan struct {
	segs     []seg         // where the body sits in the case: request.body, response.body
	text     string        // the body's text, once written whole
	done     chan struct{} // closed when the scan is over
	findings []Finding     // lines counted from the body's first line, 1
	ok       bool          // the whole text was scanned as one JSON value, learning no secret
}

// bodyPipe hands the text the redaction writes to the goroutine that scans it: each time
// some more is written, the text so far (bytes never written to again: appending only writes
// beyond them, and a buffer that grows is copied, the old one left as it was).
type bodyPipe struct {
	ch     chan []byte
	full   []byte
	off    int
	onData func(full []byte)
}

func (p *bodyPipe) Read(b []byte) (int, error) {
	for p.off == len(p.full) {
		full, ok := <-p.ch
		if !ok {
			return 0, io.EOF
		}
		p.full = full
		p.onData(full)
	}
	n := copy(b, p.full[p.off:])
	p.off += n
	return n, nil
}

// pipeChunk is how much is written between two hand-overs.
const pipeChunk = 64 << 10

// start begins the scan of a body written at w; the stream sends its text on the channel
// returned, and closes it when it is done.
func (ps *prescanner) start(w *walker) (*prescan, chan<- []byte) {
	p := &prescan{segs: slices.Clone(w.segs), done: make(chan struct{})}
	pipe := &bodyPipe{ch: make(chan []byte, 16)}
	ps.scans = append(ps.scans, p)
	go func() {
		defer close(p.done)
		// Whatever happens to the scan, the redaction never waits on a full channel.
		defer func() {
			for range pipe.ch {
			}
		}()
		rd, err := NewRedactor(ps.red)
		if err != nil {
			return
		}
		rd.scan = &scanState{file: CaseFile, findings: []Finding{}}
		// The text handed on is never written to again: its strings are read in place.
		s := &jstream{rd: rd, dec: jsontext.NewDecoder(pipe, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true)), line: 1, alias: true}
		pipe.onData = func(full []byte) { s.d = full }
		if err := s.value(&walker{file: CaseFile, segs: slices.Clone(p.segs)}, 0, 0, -1, &pathNode{}); err != nil {
			return
		}
		if _, err := s.dec.ReadToken(); err != io.EOF {
			return
		}
		p.findings, p.ok = rd.scan.findings, len(rd.byLen) == 0
	}()
	return p, pipe.ch
}

// prescanned is the scan of body text d at w, when one was made, and when it is what walking d
// here would find: the same text, at the same place. What was scanned before does not change
// what is found in it, since a scan learns no secret (addSecret); should that ever change, a
// scan that knows one more than the body's own did reads the body itself. It waits for the
// body's scan to end.
func (st *scanState) prescanned(rd *Redactor, w *walker, d string) *prescan {
	if len(rd.byLen) > 0 {
		return nil
	}
	for _, p := range st.prescans {
		if len(p.text) == len(d) && unsafe.StringData(p.text) == unsafe.StringData(d) && slices.Equal(p.segs, w.segs) {
			<-p.done
			if p.ok {
				return p
			}
			return nil
		}
	}
	return nil
}
