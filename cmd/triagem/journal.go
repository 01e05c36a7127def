package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/user"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/evidence"
	"github.com/crefazon/triagem/journal"
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
	if a.journal.off {
		return nil, nil
	}
	dsn, named := a.journal.dsn, a.journal.explicit
	if batch && !named {
		return nil, nil
	}
	if dsn == "" {
		dsn, named = a.getenv("TRIAGEM_JOURNAL"), true
	}
	if dsn == "" {
		named = false
		var err error
		if dsn, err = journal.DefaultPath(a.getenv); err != nil {
			return nil, nil // no data folder at all (a bare service account): nowhere to keep it
		}
	}
	j, err := journal.Open(ctx, dsn)
	if err != nil {
		msg := a.T("diário de chamados %s: %v", "ticket journal %s: %v", journalName(dsn), journalOpenText(a.language(), err))
		if named {
			return nil, &exitError{exitDependency, errors.New(msg)}
		}
		a.say("triagem: " + msg + a.T(" (nada registrado; use --no-journal para não tentar)", " (nothing recorded; use --no-journal not to try)"))
		return nil, nil
	}
	return j, nil
}

// openJournalForTickets opens the journal for the ticket commands, which need one.
func (a *app) openJournalForTickets(ctx context.Context) (*journal.Journal, error) {
	if a.journal.off {
		return nil, inputError("%s", a.T("--no-journal: os comandos de chamado precisam do diário", "--no-journal: the ticket commands need the journal"))
	}
	dsn := a.journal.dsn
	if dsn == "" {
		dsn = a.getenv("TRIAGEM_JOURNAL")
	}
	if dsn == "" {
		var err error
		if dsn, err = journal.DefaultPath(a.getenv); err != nil {
			return nil, &exitError{exitDependency, fmt.Errorf("%s", a.T("diário de chamados: nenhuma pasta de dados (HOME não definido): informe --journal", "ticket journal: no data folder (HOME is not set): give --journal"))}
		}
	}
	j, err := journal.Open(ctx, dsn)
	if err != nil {
		return nil, &exitError{exitDependency, fmt.Errorf("%s", a.T("diário de chamados %s: %v", "ticket journal %s: %v", journalName(dsn), journalOpenText(a.language(), err)))}
	}
	return j, nil
}

// journalName names a journal in messages, never with a server's password: a PostgreSQL
// journal by its server and database ("PostgreSQL db.example:5432/triagem"), a file by its path.
func journalName(dsn string) string {
	if journal.IsPostgres(dsn) {
		if u, err := url.Parse(dsn); err == nil && u.Host != "" {
			return "PostgreSQL " + u.Host + u.EscapedPath()
		}
		return "PostgreSQL"
	}
	return dsn
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

// caseEvent is the event of a judged case: the case as the bundle redacts it, and the
// verdict, which the caller has masked already. Neither holds a secret or personal data.
func caseEvent(rl *rules.Rules, kind string, c *diagnose.Case, v *diagnose.Verdict) (*journal.Event, error) {
	ev := journalMeta(rl)
	ev.Kind, ev.Ticket, ev.Category = kind, v.Ticket, v.Category
	ev.Partner, ev.Environment, ev.Route = v.Request.Partner, v.Request.Environment, v.Request.Route
	ev.ErrorClass = errorClass(c, v)
	rd, err := evidence.NewRedactor(rl.Redaction)
	if err != nil {
		return nil, err
	}
	doc, _, err := rd.Case(c)
	if err != nil {
		return nil, err
	}
	y, err := yaml.Marshal(doc)
	if err != nil {
		return nil, err
	}
	// The bundle's redaction, then the output's: what it learnt from the case goes too.
	out := caseRedactor(rl, c)
	ev.CaseYAML = out.Output(string(y))
	// As in the bundle, the key is named by its fingerprint: a full SHA-256 next to the word
	// "key" reads as a leaked secret to every scanner, and no one needs more.
	vv := *v
	if len(vv.Request.KeySHA256) > 12 {
		vv.Request.KeySHA256 = vv.Request.KeySHA256[:12]
	}
	var buf bytes.Buffer
	if err := render.Verdict(&buf, "json", &vv, render.Screen{Width: render.DefaultWidth}); err != nil {
		return nil, err
	}
	vj, err := rd.JSON("verdict.json", bytes.TrimSpace(buf.Bytes()))
	if err != nil {
		return nil, err
	}
	ev.VerdictJSON = out.Output(string(vj))
	ev.Partner = out.Output(ev.Partner)
	return &ev, nil
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

// recordCase appends a judged case to the journal; a failure is returned for the caller to
// report. A diagnosis linked to an incident gains the incident in its verdict, and its reply
// becomes the rules' incident notice: the caller renders the verdict after this.
func (a *app) recordCase(ctx context.Context, j *journal.Journal, rl *rules.Rules, kind string, c *diagnose.Case, v *diagnose.Verdict) error {
	ev, err := caseEvent(rl, kind, c, v)
	if err == nil {
		ev.At, err = a.now()
	}
	if err == nil {
		_, err = j.Record(ctx, ev)
	}
	if err == nil && ev.Linked != nil {
		err = linkIncident(rl, v, ev.Linked)
	}
	if err != nil {
		return fmt.Errorf("%s", a.T("registrando %s no diário de chamados (%s): %v", "recording %s in the ticket journal (%s): %v", c.Source, j.Where(), err))
	}
	return nil
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
func (b *batch) record(ctx context.Context, c *diagnose.Case, v *diagnose.Verdict) {
	if b.journal == nil || c == nil || (v.Ticket == "" && !b.a.journal.explicit) {
		return
	}
	if err := b.a.recordCase(ctx, b.journal, b.chain.Rules, journal.KindDiagnose, c, v); err != nil {
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

// recordEscalation appends an escalation whose bundle was written; a journal that fails then
// is a dependency failing (exit 3), the bundle being already on disk.
func (a *app) recordEscalation(ctx context.Context, rl *rules.Rules, c *diagnose.Case, v *diagnose.Verdict) error {
	j, err := a.openJournal(ctx, false)
	if err != nil || j == nil {
		return err
	}
	defer j.Close()
	caseRedactor(rl, c).Verdict(v)
	if err := a.recordCase(ctx, j, rl, journal.KindEscalate, c, v); err != nil {
		return &exitError{exitDependency, err}
	}
	return nil
}
