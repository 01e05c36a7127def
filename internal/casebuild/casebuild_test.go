package casebuild

import (
	"os"
	"strings"
	"testing"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/intake"
	"github.com/crefazon/triagem/rules"
)

func fixture(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile("../../testdata/" + path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A paste read through the wrong door is still read, and the verdict's notes say so.
func TestPasteDetectsTheOtherShell(t *testing.T) {
	curl := fixture(t, "curl/pre-analise.sh")
	ps := fixture(t, "powershell/pre-analise-postman.ps1")
	tests := []struct {
		name, text string
		read       func(string, func(string) ([]byte, error)) (*intake.Request, error)
		wantNote   string
	}{
		{"curl as curl", curl, Curl, ""},
		{"PowerShell where curl was asked", ps, Curl, "ps.detected"},
		{"curl where PowerShell was asked", curl, PowerShell, "curl.detected"},
		{"PowerShell as PowerShell", ps, PowerShell, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tc.read(tc.text, os.ReadFile)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(r.URL, "/propostas/pre-analise") {
				t.Errorf("URL %q: the request was not read", r.URL)
			}
			got := ""
			if len(r.Notes) > 0 && strings.HasSuffix(r.Notes[0].ID, ".detected") {
				got = r.Notes[0].ID
			}
			if got != tc.wantNote {
				t.Errorf("first note %q, want %q", got, tc.wantNote)
			}
		})
	}
}

// The overrides win over the paste, which wins over the case file.
func TestBuildOrder(t *testing.T) {
	r, err := Curl(fixture(t, "curl/pre-analise.sh"), os.ReadFile)
	if err != nil {
		t.Fatal(err)
	}
	file := []byte("request:\n  url: https://api-externo-stag.crefazon.com.br/api/v1/outra\n  at: 2026-11-20T10:00:00-03:00\n")
	at := "2026-11-21T09:00:00-03:00"
	c, err := Build("caso.yaml", file, diagnose.Overrides{At: &at}, r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(c.Request.URL, "/api/v2/propostas/pre-analise") {
		t.Errorf("URL %q: the paste should replace the file's", c.Request.URL)
	}
	if c.Request.At.Raw != at {
		t.Errorf("at %q, want the override %q", c.Request.At.Raw, at)
	}
	if _, err := Build("ruim.yaml", []byte("request: [\n"), diagnose.Overrides{}, nil); err == nil {
		t.Error("a broken case file built a case")
	}
}

// What the redactor learnt from the case is masked in any output about it.
func TestRedactorMasksTheCaseToken(t *testing.T) {
	rl, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Curl(fixture(t, "curl/pre-analise.sh"), os.ReadFile)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Build("curl", nil, diagnose.Overrides{}, r)
	if err != nil {
		t.Fatal(err)
	}
	tok := strings.TrimPrefix(c.Request.Headers["Authorization"], "Bearer ")
	if len(tok) < 40 {
		t.Fatalf("no token read from the fixture: %q", tok)
	}
	out := Redactor(rl, c).Output("the token sent was " + tok)
	if strings.Contains(out, tok[strings.LastIndex(tok, ".")+1:]) {
		t.Errorf("the token survived: %s", out)
	}
}
