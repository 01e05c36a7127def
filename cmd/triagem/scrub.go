package main

import (
	"io"
	"sync"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/evidence"
	"github.com/crefazon/triagem/internal/casebuild"
	"github.com/crefazon/triagem/rules"
)

// Nothing secret or personal leaves triagem (the contract's promise about every output): both
// standard streams go through an output redactor, whatever a command prints: verdicts, errors
// that repeat an input, a token's claims, a recorded answer. A command that knows the case at
// hand lets the redactor learn its secrets first (a.learn), so that a password or a key that
// a message repeats is masked there too. A batch redacts each verdict with its own case's
// redactor before writing, and writes past this one (see batch.diagnose).

// scrubWriter masks each write. Writes are not buffered into lines: a progress bar or a
// prompt must show at once, and the program writes a value whole within one write.
type scrubWriter struct {
	mu  sync.Mutex
	w   io.Writer
	red func() *evidence.Redactor
}

func (s *scrubWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.red().Output(string(p))
	if _, err := io.WriteString(s.w, out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// scrubStreams puts the standard streams behind the app's output redactor.
func (a *app) scrubStreams() {
	if _, done := a.stdout.(*scrubWriter); done {
		return
	}
	a.rawStdout = a.stdout
	a.stdout = &scrubWriter{w: a.stdout, red: a.outputRedactor}
	a.stderr = &scrubWriter{w: a.stderr, red: a.outputRedactor}
}

// outputRedactor is the process's redactor of printed text, built on first use from the
// effective rules (the embedded ones when the rules file itself is the problem).
func (a *app) outputRedactor() *evidence.Redactor {
	a.redOnce.Do(func() {
		r := a.redactionRules()
		rd, err := evidence.NewOutputRedactor(r)
		if err != nil {
			def, _ := rules.Default()
			rd, _ = evidence.NewOutputRedactor(def.Redaction)
		}
		a.red = rd
	})
	return a.red
}

func (a *app) redactionRules() rules.Redaction {
	if a.rulesPath != "" {
		if r, err := a.loadRules(); err == nil && len(r.Redaction.Patterns) > 0 {
			return r.Redaction
		}
	}
	// The embedded redaction section alone: a command that loads no rules (--version, help)
	// does not pay for loading them all.
	red, err := rules.DefaultRedaction()
	if err != nil {
		return rules.Redaction{}
	}
	return red
}

// learn registers a case's secrets with the process's output redactor.
func (a *app) learn(c *diagnose.Case) {
	if c == nil {
		return
	}
	rd := a.outputRedactor()
	// The writers lock around the redactor; learning takes the same lock.
	if w, ok := a.stdout.(*scrubWriter); ok {
		w.mu.Lock()
		defer w.mu.Unlock()
	}
	rd.Learn(c)
}

// caseRedactor is a fresh output redactor for one case of a batch, with its secrets learnt.
// The rules' redaction section is compiled once per rules and the redactor made fresh from it
// per case (Fresh shares nothing a case writes).
func caseRedactor(r *rules.Rules, c *diagnose.Case) *evidence.Redactor {
	return casebuild.Redactor(r, c)
}
