package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/evidence"
	"github.com/crefazon/triagem/rules"
)

// TestLearnLater: escalate's output redactor knows the case's secrets whichever way it
// learns them: from the bundle (teach), or from the case itself when something is printed
// before the bundle is built, or after a bundle that cannot teach (an incident's). A
// password that only the case's body names as one is masked when a message repeats it.
func TestLearnLater(t *testing.T) {
	const secret = "Pl4nt3d#Senha-77"
	data, err := os.ReadFile("../../testdata/cases/sem-causa-aparente.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rl, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	newCase := func() *diagnose.Case {
		c, err := diagnose.ParseCase("caso.yaml", data)
		if err != nil {
			t.Fatal(err)
		}
		c.Request.Body = diagnose.Body{Raw: []byte(`{"login": "alfa.maria", "senha": "` + secret + `"}`), Present: true}
		return c
	}
	bundleOf := func(c *diagnose.Case) *evidence.Bundle {
		v, err := (&diagnose.Chain{Rules: rl, Lang: "pt-BR"}).Diagnose(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		b, err := evidence.Build(evidence.BundleInput{Case: c, Verdict: v, Rules: rl, ToolVersion: "test", CreatedAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, how := range []string{"taught", "printed first", "not taught"} {
		var stdout, stderr bytes.Buffer
		a := &app{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
		a.scrubStreams()
		c := newCase()
		teach := a.learnLater(c)
		switch how {
		case "taught":
			teach(bundleOf(c))
		case "printed first":
			a.say("triagem: começando")
			teach(bundleOf(c))
		case "not taught":
			teach(nil)
		}
		a.say("o parceiro repetiu " + secret + " no chamado")
		if out := stderr.String(); strings.Contains(out, secret) || !strings.Contains(out, "o parceiro repetiu [") {
			t.Errorf("%s: the case's password in clear, or not masked as one:\n%s", how, out)
		}
	}
}
