package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/user"
	"strings"
	"sync"
	"sync/atomic"
	"text/template"
	"time"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/evidence"
	"github.com/crefazon/triagem/journal"
	"github.com/crefazon/triagem/live"
	"github.com/crefazon/triagem/render"
	"github.com/crefazon/triagem/rules"
)

// journalFlags are the global flags that choose the journal.
type journalFlags struct {
	dsn      string
	off      bool
	explicit bool // --journal was given on the command line
}

func (a *app) registerJournalFlags(pf *pflag.FlagSet) {
	pf.StringVar(&a.journal.dsn, "journal", "", a.T("o diário de chamados: um `ARQUIVO` SQLite ou uma URL postgres:// (env TRIAGEM_JOURNAL; padrão: triagem/journal.db na pasta de dados do usuário)",
		"the ticket journal: a SQLite `FILE` or a postgres:// URL (env TRIAGEM_JOURNAL; default: triagem/journal.db in the user's data folder)"))
	pf.BoolVar(&a.journal.off, "no-journal", false, a.T("não registra nada no diário de chamados", "record nothing in the ticket journal"))
}

// openJournal opens the journal the user chose. For a batch it opens one only when --journal
// was given. It returns nil when journaling is off. A journal the user named that cannot be
// opened is an error (exit 3); the default one only earns a warning, since a diagnosis
// should not fail over a folder the user never chose.
func (a *app) openJournal(ctx context.Context, batch bool) (*journal.Journal, error) {
	j, warning, err := a.openJournalQuiet(ctx, batch)
	if warning != "" {
		a.say(warning)
	}
	return j, err
}

// openJournalQuiet is openJournal, with the warning about a default journal that cannot be
// opened returned instead of said (it may run in its own goroutine: see startJournal).
func (a *app) openJournalQuiet(ctx context.Context, batch bool) (j *journal.Journal, warning string, err error) {
	if a.journal.off {
		return nil, "", nil
	}
	if batch && !a.journal.explicit {
		return nil, "", nil
	}
	dsn, named, err := a.journalDSN()
	if err != nil {
		return nil, "", nil // no data folder at all (a bare service account): nowhere to keep it
	}
	j, err = journal.Open(ctx, dsn)
	if err != nil {
		msg := a.T("diário de chamados %s: %v", "ticket journal %s: %v", journal.Name(dsn), journalOpenText(a.language(), err))
		if named {
			return nil, "", &exitError{exitDependency, errors.New(msg)}
		}
		return nil, "triagem: " + msg + a.T(" (nada registrado; use --no-journal para não tentar)", " (nothing recorded; use --no-journal not to try)"), nil
	}
	return j, "", nil
}

// pendingJournal is a journal being opened in its own goroutine while the cases are read
// and judged. Opening an SQLite journal (the library's start, the file, its write-ahead
// log, the connection's settings) costs a process about as much as the rest of the journal's
// work together; on a second core it is off the diagnosis's path, which waits only when it
// has a verdict to record.
type pendingJournal struct {
	done    chan struct{}
	j       *journal.Journal
	warning string
	err     error

	// A lazy journal (lazyJournal) opens only when a verdict is to be recorded (wait), in
	// the goroutine that records it; once the command ends without one (endJournal), never.
	lazy    bool
	opener  func() // opens it and closes done
	once    sync.Once
	started atomic.Bool

	asked  atomic.Bool        // something waited for it (wait): a verdict or an escalation to record
	cancel context.CancelFunc // stops an opening that nothing asked for, when the command ends
}

// newPendingJournal is a pending journal not yet opening: opener opens it; done is closed
// already when there is nothing to open.
func (a *app) newPendingJournal(ctx context.Context, batch bool, rule journal.IncidentRule) *pendingJournal {
	p := &pendingJournal{done: make(chan struct{})}
	if a.journal.off || (batch && !a.journal.explicit) {
		close(p.done) // nothing to open: no goroutine for it
		return p
	}
	ctx, p.cancel = context.WithCancel(ctx)
	p.opener = func() {
		defer close(p.done)
		p.j, p.warning, p.err = a.openJournalQuiet(ctx, batch)
		if p.j != nil {
			p.j.SetIncidentRule(rule)
			// What the first event needs and can have now: its statements parsed, who
			// records it (the OS user, read from the system once) and triagem's version.
			_ = p.j.Warm(ctx) // a failure shows again, and is reported, when recording
			osUser()
			version()
		}
	}
	return p
}

// startJournal starts opening the journal openJournal would open; rule is the incident
// rule it applies. The caller must end it with (*app).endJournal.
func (a *app) startJournal(ctx context.Context, batch bool, rule journal.IncidentRule) *pendingJournal {
	p := a.newPendingJournal(ctx, batch, rule)
	if p.opener != nil {
		p.started.Store(true)
		go p.opener()
	}
	return p
}

// lazyJournal is startJournal for one case that names no ticket: its verdict is not
// recorded (unless the case names one after all, in a way the look at its text missed:
// then wait opens the journal there and then), so the journal is not opened for it. Opening
// SQLite costs such a diagnosis a fifth of its CPU and 4 MB, for nothing; and a journal
// that does not open has nothing to fail.
func (a *app) lazyJournal(ctx context.Context, rule journal.IncidentRule) *pendingJournal {
	p := a.newPendingJournal(ctx, false, rule)
	p.lazy = p.opener != nil
	return p
}

// wait waits for the journal to be open: nil without an error when nothing is recorded.
// A lazy journal opens here, in the caller's goroutine, unless the command has ended.
func (p *pendingJournal) wait() (*journal.Journal, error) {
	p.asked.Store(true)
	if p.lazy {
		p.once.Do(func() {
			p.started.Store(true)
			p.opener()
		})
	}
	<-p.done
	return p.j, p.err
}

// untouched tells a lazy journal that nothing has asked for (wait): it was never opened.
func (p *pendingJournal) untouched() bool { return p.lazy && !p.started.Load() }

// journalOf waits for a pending journal, from the goroutine that writes the command's
// output: a warning about the default journal is said once, at the first use. A lazy
// journal that no verdict asked for is none: nil, without a word.
func (a *app) journalOf(p *pendingJournal) (*journal.Journal, error) {
	if p.untouched() {
		return nil, nil
	}
	j, err := p.wait()
	if p.warning != "" {
		a.say(p.warning)
		p.warning = ""
	}
	return j, err
}

// endJournal ends a pending journal's use (closeJournal), whether or not the command used
// it. A lazy one that nothing opened stays closed from here on; an opening that nothing
// asked for (a refused escalation, a case with nothing to record) is stopped rather than
// waited for, which a journal server that is slow to answer would make long.
func (a *app) endJournal(p *pendingJournal) {
	if p.lazy {
		p.once.Do(func() { close(p.done) }) // a later wait finds nothing, at once
	}
	if p.cancel != nil {
		if !p.asked.Load() {
			p.cancel()
		}
		defer p.cancel()
	}
	<-p.done
	if p.j != nil {
		a.closeJournal(p.j)
	}
}

// journalDSN is the journal the user chose: --journal or the config file's (named when it
// is the flag's), else TRIAGEM_JOURNAL (named), else the file in the user's data folder
// (not named; an error when there is none). A named journal that cannot be opened is an
// error; any other, a warning.
func (a *app) journalDSN() (dsn string, named bool, err error) {
	if a.journal.dsn != "" {
		return a.journal.dsn, a.journal.explicit, nil
	}
	if dsn = a.getenv("TRIAGEM_JOURNAL"); dsn != "" {
		return dsn, true, nil
	}
	dsn, err = journal.DefaultPath(a.getenv)
	return dsn, false, err
}

// openJournalForTickets opens the journal for the ticket commands, which need one.
func (a *app) openJournalForTickets(ctx context.Context) (*journal.Journal, error) {
	if a.journal.off {
		return nil, inputError("%s", a.T("--no-journal: os comandos de chamado precisam do diário", "--no-journal: the ticket commands need the journal"))
	}
	dsn, _, err := a.journalDSN()
	if err != nil {
		return nil, &exitError{exitDependency, fmt.Errorf("%s", a.T("diário de chamados: nenhuma pasta de dados (HOME não definido): informe --journal", "ticket journal: no data folder (HOME is not set): give --journal"))}
	}
	j, err := journal.Open(ctx, dsn)
	if err != nil {
		return nil, &exitError{exitDependency, fmt.Errorf("%s", a.T("diário de chamados %s: %v", "ticket journal %s: %v", journal.Name(dsn), journalOpenText(a.language(), err)))}
	}
	return j, nil
}

// closeJournal ends a command's use of a journal: closed, or, when the process ends with the
// command, left for the exit to release (journal.Leave: no checkpoint of SQLite's log).
func (a *app) closeJournal(j *journal.Journal) {
	if !a.exiting {
		j.Close()
		return
	}
	a.leftJournals = append(a.leftJournals, j)
	j.Leave()
}

var osUser = sync.OnceValue(func() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, k := range []string{"USER", "USERNAME", "LOGNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return ""
})

// journalMeta is who and what records an event: the OS user, triagem's version, the rules.
func journalMeta(rl *rules.Rules) journal.Event {
	ev := journal.Event{User: osUser(), TriagemVersion: version()}
	if rl != nil {
		ev.RulesName, ev.RulesVersion, ev.RulesSHA256 = rl.Name, rl.Version, rl.Hash()
	}
	return ev
}

// caseEvent is the event of a diagnosed case, without the stored case and verdict
// (caseEventBody writes them). v was masked by the caller with out, the case's output
// redactor (it has learnt the case).
func caseEvent(rl *rules.Rules, out *evidence.Redactor, c *diagnose.Case, v *diagnose.Verdict) *journal.Event {
	ev := journalMeta(rl)
	ev.Kind, ev.Ticket, ev.Category = journal.KindDiagnose, v.Ticket, v.Category
	ev.Partner, ev.Environment, ev.Route = out.Output(v.Request.Partner), v.Request.Environment, v.Request.Route
	ev.ErrorClass = errorClass(c, v)
	return &ev
}

// caseEventBody is what a diagnosis's event stores: the case as the bundle redacts it, and
// the verdict (masked by the caller with out); neither holds a secret or personal data.
func caseEventBody(rl *rules.Rules, out *evidence.Redactor, c *diagnose.Case, v *diagnose.Verdict) (caseYAML, verdictJSON string, err error) {
	rd, err := evidence.NewRedactor(rl.Redaction)
	if err != nil {
		return "", "", err
	}
	if caseYAML, err = redactedCase(rd, out, c); err != nil {
		return "", "", err
	}
	// As in the bundle, the key is named by its fingerprint: a full SHA-256 next to the word
	// "key" reads as a leaked secret to every scanner, and no one needs more.
	vv := *v
	if len(vv.Request.KeySHA256) > 12 {
		vv.Request.KeySHA256 = vv.Request.KeySHA256[:12]
	}
	var buf bytes.Buffer
	if err := render.Verdict(&buf, "json", &vv, render.Screen{Width: render.DefaultWidth}); err != nil {
		return "", "", err
	}
	vj, err := rd.JSON("verdict.json", bytes.TrimSpace(buf.Bytes()))
	if err != nil {
		return "", "", err
	}
	return caseYAML, out.Output(string(vj)), nil
}

// redactedCase is the case as a bundle holds it: the bundle's redaction (rd), then the
// output's (out), which knows what it learnt from the case.
func redactedCase(rd, out *evidence.Redactor, c *diagnose.Case) (string, error) {
	doc, _, err := rd.Case(c)
	if err != nil {
		return "", err
	}
	y, err := yaml.Marshal(doc)
	if err != nil {
		return "", err
	}
	return out.Output(string(y)), nil
}

// errorClass is the class of a case's failure, for incidents: the verdict's category, and
// the HTTP status class of the partner's response when the case gives one
// ("no-apparent-cause/5xx"). A verdict missing evidence names no failure: "" (never counted).
func errorClass(c *diagnose.Case, v *diagnose.Verdict) string {
	if v.Category == "" || v.Category == "evidence-incomplete" {
		return ""
	}
	if c != nil && c.Response != nil && c.Response.Status >= 100 && c.Response.Status < 600 {
		return fmt.Sprintf("%s/%dxx", v.Category, c.Response.Status/100)
	}
	return v.Category
}

// recordCase appends a diagnosed case to the journal; a failure is returned for the caller
// to report. out is the case's output redactor, which has masked v. A diagnosis linked to an
// incident gains the incident in its verdict, and its reply becomes the rules' incident
// notice: the caller renders the verdict after this.
//
// With alone (one diagnosis, not a batch), the journal appends the event, moves its ticket
// and matches incidents (journal.Start) in its own goroutine while this one writes what the
// event stores (redacting the case: the longer part), and Finish adds that: the two halves
// of the journal's work overlap on two cores. A batch's workers do them one after the other:
// SQLite's writers wait for one another between Start and Finish.
func (a *app) recordCase(ctx context.Context, j *journal.Journal, rl *rules.Rules, out *evidence.Redactor, c *diagnose.Case, v *diagnose.Verdict, alone bool) error {
	ev := caseEvent(rl, out, c, v)
	var err error
	if ev.At, err = a.now(); err != nil {
		return a.recordError(j, c, err)
	}
	var caseYAML, verdictJSON string
	var rec *journal.Recording
	if alone {
		type started struct {
			r   *journal.Recording
			err error
		}
		ch := make(chan started, 1)
		go func() {
			r, err := j.Start(ctx, ev)
			ch <- started{r, err}
		}()
		received := false
		defer func() {
			// A panic while redacting (reported as the case's internal error) must not leave
			// the transaction open, holding SQLite's write lock until the process ends.
			if !received {
				if st := <-ch; st.r != nil {
					st.r.Abort()
				}
			}
		}()
		caseYAML, verdictJSON, err = caseEventBody(rl, out, c, v)
		st := <-ch
		received = true
		if st.err != nil {
			return a.recordError(j, c, st.err)
		}
		rec = st.r
		if err != nil {
			rec.Abort()
			return a.recordError(j, c, err)
		}
	} else {
		if caseYAML, verdictJSON, err = caseEventBody(rl, out, c, v); err != nil {
			return a.recordError(j, c, err)
		}
		if rec, err = j.Start(ctx, ev); err != nil {
			return a.recordError(j, c, err)
		}
	}
	if err := rec.Finish(ctx, caseYAML, verdictJSON); err != nil {
		return a.recordError(j, c, err)
	}
	if ev.Linked != nil {
		if err := linkIncident(rl, v, ev.Linked); err != nil {
			return a.recordError(j, c, err)
		}
	}
	return nil
}

// recordError says that recording a case failed, and why.
func (a *app) recordError(j *journal.Journal, c *diagnose.Case, err error) error {
	return fmt.Errorf("%s", a.T("registrando %s no diário de chamados (%s): %v", "recording %s in the ticket journal (%s): %v", c.Source, j.Where(), err))
}

// linkIncident puts the incident into the verdict and makes its reply the rules' notice, in
// the verdict's language. The notice names only the route, the environment and the incident.
func linkIncident(rl *rules.Rules, v *diagnose.Verdict, inc *journal.Incident) error {
	v.Incident = &diagnose.IncidentRef{ID: inc.ID, OpenedAt: inc.OpenedAt.In(rl.Location()).Format(time.RFC3339), Partners: inc.Partners}
	src := rl.Incidents.Notice.In(v.Lang)
	if src == "" {
		return nil // no notice in the rules: the reply stays the verdict's
	}
	tpl, err := template.New("incidents.notice").Option("missingkey=error").Parse(src)
	if err != nil {
		return fmt.Errorf("incidents.notice: %w", err)
	}
	var b strings.Builder
	if err := tpl.Execute(&b, map[string]string{"Route": v.Request.Route, "Environment": diagnose.EnvironmentWord(rl, v.Request.Environment, diagnose.Lang(v.Lang)), "Incident": inc.ID}); err != nil {
		return fmt.Errorf("incidents.notice: %w", err)
	}
	v.Reply = b.String()
	return nil
}

// journalErrors keeps the first failure to record a batch's cases, and how many failed.
type journalErrors struct {
	mu    sync.Mutex
	first error
	n     int
}

// record appends a judged case of a diagnosis to the batch's journal: a single case only
// when it has a ticket, a batch's every case (the journal was asked for by --journal).
func (b *batch) record(ctx context.Context, out *evidence.Redactor, c *diagnose.Case, v *diagnose.Verdict) {
	if b.journal == nil || c == nil || (v.Ticket == "" && !b.a.journal.explicit) {
		return
	}
	j, err := b.journal.wait()
	if j == nil || err != nil {
		return // nothing to record in, or a journal that failed to open: run says so
	}
	if err := b.a.recordCase(ctx, j, b.chain.Rules, out, c, v, b.alone); err != nil {
		b.jerr.mu.Lock()
		defer b.jerr.mu.Unlock()
		if b.jerr.first == nil {
			b.jerr.first = err
		}
		b.jerr.n++
	}
}

// journalErr is what went wrong recording the batch's cases, nil when nothing did.
func (b *batch) journalErr() error {
	b.jerr.mu.Lock()
	defer b.jerr.mu.Unlock()
	if b.jerr.n > 1 {
		return fmt.Errorf("%v %s", b.jerr.first, b.a.T("(e mais %d casos não registrados)", "(and %d more cases not recorded)", b.jerr.n-1))
	}
	return b.jerr.first
}

// recordEscalation appends an escalation whose bundle was written at at, added to incident's
// bundle when incident is not ""; a journal that fails then is a dependency failing (exit 3),
// the bundle being already on disk.
func (a *app) recordEscalation(ctx context.Context, pj *pendingJournal, rl *rules.Rules, c *diagnose.Case, v *diagnose.Verdict, incident string, b *evidence.Bundle, at time.Time) error {
	j, err := a.journalOf(pj)
	if err != nil || j == nil {
		return err
	}
	// The event keeps the bundle's own case.yaml and verdict.json: redacted when it was built
	// and scanned for leaks on the very bytes written. Redacting the case again for the
	// journal was two fifths of escalating a large payload.
	folder := ""
	if m := b.Manifest; m.Incident != nil {
		for _, t := range m.Incident.Tickets {
			if t.Ticket == v.Ticket {
				folder = t.Folder + "/"
			}
		}
	}
	files := builtTexts(b, folder+evidence.CaseFile, folder+evidence.VerdictFile)
	caseYAML, okCase := files[folder+evidence.CaseFile]
	verdictJSON, okVerdict := files[folder+evidence.VerdictFile]
	if !okCase || !okVerdict {
		return &exitError{exitInternal, fmt.Errorf("the bundle built for %s lacks %s or %s", v.Ticket, folder+evidence.CaseFile, folder+evidence.VerdictFile)}
	}
	out, err := evidence.NewOutputRedactor(rl.Redaction)
	if err != nil {
		return &exitError{exitInput, err}
	}
	ev := journalMeta(rl)
	ev.Kind, ev.Ticket, ev.Category, ev.Incident = journal.KindEscalate, v.Ticket, v.Category, incident
	ev.Environment, ev.Route = v.Request.Environment, v.Request.Route
	var bv struct { // the partner as the bundle's verdict names it: redacted with the case's secrets
		Request diagnose.Summary `json:"request"`
	}
	if json.Unmarshal([]byte(verdictJSON), &bv) == nil {
		ev.Partner = out.Output(bv.Request.Partner)
	}
	ev.ErrorClass = errorClass(c, v)
	ev.CaseYAML, ev.VerdictJSON = caseYAML, verdictJSON
	var compact bytes.Buffer // one line, as the other events keep a verdict
	if json.Compact(&compact, []byte(verdictJSON)) == nil {
		ev.VerdictJSON = compact.String()
	}
	ev.At = at
	if _, err := j.Record(ctx, &ev); err != nil {
		return &exitError{exitDependency, a.recordError(j, c, err)}
	}
	return nil
}

// recordSend appends a send of a bundle, delivered (send) or not (send-failed), to the journal
// chosen as for diagnose and escalate. The event keeps the bundle's own case and verdict (both
// redacted when it was built, and verified since) and what the intake answered; never the
// intake's token. A delivered bundle's ticket becomes escalado; a failed one stays as it was.
// A journal that fails is a dependency failing (exit 3); the caller reports a failed send's
// own error first.
func (a *app) recordSend(ctx context.Context, rl *rules.Rules, data []byte, m *evidence.Manifest, res *evidence.SendResult, sendErr error) error {
	j, err := a.openJournal(ctx, false)
	if err != nil || j == nil {
		return err
	}
	defer a.closeJournal(j)
	at, err := a.now()
	if err != nil {
		return err
	}
	out, err := evidence.NewOutputRedactor(rl.Redaction)
	if err != nil {
		return &exitError{exitInput, err}
	}
	// A ticket's bundle is one event; an incident's, one event per ticket it holds, each with
	// that ticket's own case and verdict.
	type part struct{ ticket, folder, category string }
	parts := []part{{m.Ticket, "", m.Verdict.Category}}
	incident := ""
	if m.Incident != nil {
		incident, parts = m.Incident.ID, nil
		for _, t := range m.Incident.Tickets {
			parts = append(parts, part{t.Ticket, t.Folder + "/", t.Verdict.Category})
		}
	}
	var names []string
	for _, p := range parts {
		names = append(names, p.folder+evidence.CaseFile, p.folder+evidence.VerdictFile)
	}
	files := bundleTexts(data, names...)
	note := out.Output(sendNote(res, sendErr))
	if incident != "" {
		note = incident + " · " + note
	}
	for _, p := range parts {
		ev := journalMeta(rl)
		ev.Kind, ev.Ticket, ev.Category, ev.At, ev.Incident, ev.Note = journal.KindSend, p.ticket, p.category, at, incident, note
		if sendErr != nil {
			ev.Kind = journal.KindSendFailed
		}
		ev.CaseYAML, ev.VerdictJSON = out.Output(files[p.folder+evidence.CaseFile]), out.Output(files[p.folder+evidence.VerdictFile])
		var v struct {
			Request diagnose.Summary `json:"request"`
		}
		if json.Unmarshal([]byte(files[p.folder+evidence.VerdictFile]), &v) == nil {
			ev.Partner, ev.Environment, ev.Route = out.Output(v.Request.Partner), v.Request.Environment, v.Request.Route
		}
		if _, err := j.Record(ctx, &ev); err != nil {
			return &exitError{exitDependency, fmt.Errorf("%s", a.T("registrando o envio de %s no diário de chamados (%s): %v", "recording the send of %s in the ticket journal (%s): %v", p.ticket, j.Where(), err))}
		}
	}
	return nil
}

// bundleTexts reads some files of a bundle that verify has accepted (its sizes are capped).
func bundleTexts(data []byte, names ...string) map[string]string {
	out := map[string]string{}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return out
	}
	for _, name := range names {
		f, err := zr.Open(name)
		if err != nil {
			continue
		}
		b, err := io.ReadAll(f)
		f.Close()
		if err == nil {
			out[name] = string(b)
		}
	}
	return out
}

// sendNote is what a send's event says, the same in every language (statuses and names):
// "HTTP 201 · CODE-17 · Idempotency-Key 3f2a…" or, failed, each attempt's status ("—" when no
// answer came).
func sendNote(res *evidence.SendResult, err error) string {
	var attempts []evidence.Attempt
	var rejected *evidence.RejectedError
	var unreachable *evidence.UnreachableError
	switch {
	case errors.As(err, &rejected):
		attempts = rejected.Attempts
	case errors.As(err, &unreachable):
		attempts = unreachable.Attempts
	case res != nil:
		attempts = res.Attempts
	}
	parts := []string{}
	if err == nil && res != nil {
		parts = append(parts, fmt.Sprintf("HTTP %d", res.Status))
		if id := intakeTicket(res.Body); id != "" {
			parts = append(parts, id)
		}
	} else {
		st := make([]string, len(attempts))
		for i, at := range attempts {
			st[i] = "—"
			if at.Status != 0 {
				st[i] = fmt.Sprint(at.Status)
			}
		}
		if len(st) == 0 {
			st = []string{"—"}
		}
		parts = append(parts, "✗ HTTP "+strings.Join(st, ", "))
	}
	if res != nil && len(res.IdempotencyKey) >= 12 {
		parts = append(parts, "Idempotency-Key "+res.IdempotencyKey[:12]+"…")
	}
	return strings.Join(parts, " · ")
}

// intakeTicket is the ticket the intake says it opened, when its answer is a JSON object
// with a short plain "ticket" or "id" (the intake's format is its own: anything else is
// left out rather than echoed).
func intakeTicket(body string) string {
	var v map[string]any
	if json.Unmarshal([]byte(body), &v) != nil {
		return ""
	}
	for _, k := range []string{"ticket", "id"} {
		s, ok := v[k].(string)
		if ok && len(s) > 0 && len(s) <= 64 && strings.IndexFunc(s, func(r rune) bool {
			return !(r == '-' || r == '_' || r == '.' || r == '+' || r == '#' || r == '/' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'))
		}) < 0 {
			return s
		}
	}
	return ""
}

// recordReplayEvent appends a replay to the journal chosen as for diagnose: the case with the
// answer (redacted as a bundle redacts it), the answer's status and time, and which token
// went ("header token": the request's own Authorization; "credentials token": the case's
// credentials.token; "login token": a fresh one from --login; "no token"), never a token.
// A ticket not yet in the journal enters it; a new one goes em-analise, others stay put.
func (a *app) recordReplayEvent(ctx context.Context, rl *rules.Rules, c *diagnose.Case, res *live.Replayed, tokenSource string) error {
	j, err := a.openJournal(ctx, false)
	if err != nil || j == nil {
		return err
	}
	defer a.closeJournal(j)
	ev := journalMeta(rl)
	ev.Kind, ev.Ticket = journal.KindReplay, c.Ticket
	if ev.At, err = a.now(); err != nil {
		return err
	}
	rd, err := evidence.NewRedactor(rl.Redaction)
	if err != nil {
		return &exitError{exitInput, err}
	}
	out := caseRedactor(rl, c)
	if ev.CaseYAML, err = redactedCase(rd, out, c); err != nil {
		return &exitError{exitDependency, err}
	}
	ev.Partner, ev.Environment = out.Output(strings.TrimSpace(c.Partner)), res.Env
	if u, err := url.Parse(c.Request.URL); err == nil {
		ev.Route = strings.TrimSpace(c.Request.Method + " " + u.Path)
	}
	ev.Note = out.Output(replayNote(res, tokenSource))
	if _, err := j.Record(ctx, &ev); err != nil {
		return &exitError{exitDependency, fmt.Errorf("%s", a.T("registrando o replay de %s no diário de chamados (%s): %v", "recording the replay of %s in the ticket journal (%s): %v", c.Source, j.Where(), err))}
	}
	return nil
}

// replayNote is what a replay's event says, the same in every language: each request's
// status, time and where its token came from ("HTTP 401 · 85ms · header token; HTTP 202 ·
// 92ms · login token"). The source comes before the word: "token" followed by a word reads as
// a credential to the output's redactor, which would mask it.
func replayNote(res *live.Replayed, tokenSource string) string {
	one := func(r *live.Replayed, src string) string {
		st := "HTTP —"
		if r.Status != 0 {
			st = fmt.Sprintf("HTTP %d", r.Status)
		}
		if src == "none" {
			return fmt.Sprintf("%s · %s · no token", st, r.Took.Round(time.Millisecond))
		}
		return fmt.Sprintf("%s · %s · %s token", st, r.Took.Round(time.Millisecond), src)
	}
	if res.Original != nil {
		return one(res.Original, tokenSource) + "; " + one(res, "login")
	}
	return one(res, tokenSource)
}

// tokenSource says which token a replay of c sends, by where it comes from (see
// recordReplayEvent); the token itself is never looked at beyond being there.
func tokenSource(c *diagnose.Case) string {
	for k, v := range c.Request.Headers {
		if strings.EqualFold(strings.TrimSpace(k), "Authorization") && strings.TrimSpace(v) != "" {
			return "header"
		}
	}
	if c.Credentials.Token != "" {
		return "credentials"
	}
	return "none"
}

// escalationIncident is the open incident an escalation of c joins instead of opening its own:
// the one its ticket is linked to, or else the open one of its failure. nil when there is
// none, when the case has no ticket (a bundle's folder is the ticket's), or when journaling is
// off (--no-journal; no journal can be opened): the escalation is then a ticket's own.
func (a *app) escalationIncident(ctx context.Context, pj *pendingJournal, c *diagnose.Case, v *diagnose.Verdict) (*journal.Incident, error) {
	if v.Ticket == "" {
		return nil, nil
	}
	j, err := a.journalOf(pj)
	if err != nil || j == nil {
		return nil, err // off, or the default one cannot be opened (said once)
	}
	inc, err := j.IncidentFor(ctx, v.Ticket, v.Request.Environment, v.Request.Route, errorClass(c, v))
	if err != nil {
		return nil, &exitError{exitDependency, fmt.Errorf("%s", a.T("diário de chamados (%s): %v", "ticket journal (%s): %v", j.Where(), err))}
	}
	return inc, nil
}
