// Package casebuild builds a case from what a person gave (a case file, a pasted request,
// field overrides) and the redactor that masks everything said about it. The CLI and the
// browser page (cmd/triagem-wasm) both build their cases here, so both reach the same verdict
// on the same input.
package casebuild

import (
	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/evidence"
	"github.com/crefazon/triagem/intake"
	"github.com/crefazon/triagem/rules"
	"sync/atomic"
)

// Build is the one place a case is built: a case file's text (nil for none), then a pasted
// request, then the overrides, which win over both. name is the case's source.
func Build(name string, data []byte, o diagnose.Overrides, pasted *intake.Request) (*diagnose.Case, error) {
	c := &diagnose.Case{Source: name}
	if data != nil {
		var err error
		if c, err = diagnose.ParseCase(name, data); err != nil {
			return nil, err
		}
	}
	if pasted != nil {
		pasted.Apply(c)
	}
	c.Apply(o)
	return c, nil
}

// Curl reads what was pasted as curl. Windows partners paste Chrome's "Copy as PowerShell"
// where curl was asked for: that is recognised and read as PowerShell, with a note saying so.
func Curl(text string, readFile func(string) ([]byte, error)) (*intake.Request, error) {
	if intake.LooksLikePowerShell(text) {
		r, err := intake.ParsePowerShell(text, readFile)
		if err != nil {
			return nil, err
		}
		r.Notes = append([]intake.Note{intake.NoteDetectedPowerShell()}, r.Notes...)
		return r, nil
	}
	return intake.ParseCurl(text, readFile)
}

// PowerShell reads what was pasted as PowerShell; a curl command line given instead is read
// as curl, with a note saying so.
func PowerShell(text string, readFile func(string) ([]byte, error)) (*intake.Request, error) {
	if !intake.LooksLikePowerShell(text) {
		if r, err := intake.ParseCurl(text, readFile); err == nil {
			r.Notes = append([]intake.Note{intake.NoteDetectedCurl()}, r.Notes...)
			return r, nil
		}
	}
	return intake.ParsePowerShell(text, readFile)
}

// HAR reads a HAR export: the partner API's hosts are the rules' environments, and times
// are read in the rules' time zone.
func HAR(name string, data []byte, rl *rules.Rules) (*intake.HAR, error) {
	isPartner := func(host string) bool { _, ok := rl.EnvironmentOfHost(host); return ok }
	return intake.ParseHARIn(name, data, isPartner, rl.Location())
}

// FailingRequest is the HAR's one failing request to the partner API, with notes on what was
// skipped; nil, with the failing entries, when there is none or more than one to choose from.
func FailingRequest(h *intake.HAR) (*intake.Request, []intake.HAREntry, error) {
	failing := h.Failing()
	if len(failing) != 1 {
		return nil, failing, nil
	}
	r, err := h.Request(failing[0].Index)
	if err != nil {
		return nil, failing, err
	}
	r.Notes = append(r.Notes, h.SkippedNotes(5)...)
	return r, failing, nil
}

// Intake is the verdict's account of how the request was read: the pasted request's notes
// (nil: none was pasted) and a note when the case file was not UTF-8. nil when there is
// nothing to say about a case file.
func Intake(pastedNotes []string, pasted bool, c *diagnose.Case, l diagnose.Lang) *diagnose.Intake {
	var in *diagnose.Intake
	if pasted {
		in = &diagnose.Intake{Notes: append([]string{}, pastedNotes...)}
	}
	if c != nil && c.Encoding != "" {
		if in == nil {
			in = &diagnose.Intake{}
		}
		in.Notes = append(in.Notes, l.T(
			"o arquivo não estava em UTF-8: foi lido como "+c.Encoding+" (salve-o como UTF-8 para evitar esta observação)",
			"the file was not UTF-8: it was read as "+c.Encoding+" (save it as UTF-8 to avoid this note)"))
	}
	return in
}

// Redactor masks every output about the case: the rules' redaction, plus the case's own
// secrets and personal data learnt from it (c may be nil). Rules whose redaction does not
// compile fall back to the built-in rules', so output is never left unmasked.
func Redactor(r *rules.Rules, c *diagnose.Case) *evidence.Redactor {
	// One redactor compiled per rules, and a fresh copy per case: a batch prints thousands of
	// verdicts, each masked with its own case's secrets and numbering.
	base := lastBase.Load()
	if base == nil || base.rules != r {
		rd, err := evidence.NewOutputRedactor(r.Redaction)
		if err != nil {
			def, _ := rules.Default()
			rd, _ = evidence.NewOutputRedactor(def.Redaction)
		}
		base = &redactorBase{r, rd}
		lastBase.Store(base)
	}
	rd := base.rd.Fresh()
	rd.Learn(c)
	return rd
}

type redactorBase struct {
	rules *rules.Rules
	rd    *evidence.Redactor
}

var lastBase atomic.Pointer[redactorBase]
