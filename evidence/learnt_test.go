package evidence_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/evidence"
)

// TestTeachIsLearn: an output redactor taught by a bundle masks printed text as one that
// learnt the same case: every line of the case file, the file whole, and the secrets the body
// plants, alone and in a sentence, with the same masks. Only the numbers of personal data
// (cpf#n, email#n...) may differ: each redactor numbers the values it meets (Learn numbers a
// few of the case's, the taught one none), and no secret hides behind them. Every bundled
// case, as it is and with a body full of secrets under other names (in JSON, in a JSON
// string, URL-encoded).
func TestTeachIsLearn(t *testing.T) {
	const body = `{"login": "alfa.maria", "senha": "Pl4nt3d#Senha", "client_secret": "cl13nt-s3cr3t-x9",
		"auth": {"access_token": "AcCeSsToKeN-7f3a9c21d", "refresh_token": "rEfReSh-0099887766"},
		"cliente": {"cpf": "529.982.247-25", "email": "maria@example.com.br"},
		"extra": "{\"password\": \"EmB3dd3d-pass\"}", "form": "user=x&pwd=pwdValue77&ok=1"}`
	planted := []string{"Pl4nt3d#Senha", "cl13nt-s3cr3t-x9", "AcCeSsToKeN-7f3a9c21d", "rEfReSh-0099887766",
		"EmB3dd3d-pass", "pwdValue77", "529.982.247-25", "maria@example.com.br"}
	files, err := filepath.Glob("../testdata/cases/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	r := defaultRules(t)
	for _, path := range files {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, withBody := range []bool{false, true} {
			c, v := diagnoseFile(t, path, true, func(c *diagnose.Case) {
				if withBody {
					c.Request.Body = diagnose.Body{Raw: []byte(body), Present: true}
				}
			})
			b := build(t, c, v)
			learnt, err := evidence.NewOutputRedactor(r.Redaction)
			if err != nil {
				t.Fatal(err)
			}
			learnt.Learn(c)
			taught, _ := evidence.NewOutputRedactor(r.Redaction)
			if !b.Teach(taught) {
				t.Fatalf("%s: the bundle taught nothing", path)
			}
			probes := append(strings.Split(string(raw), "\n"), string(raw), body)
			for _, p := range planted {
				probes = append(probes, p, "o parceiro repetiu "+p+" na mensagem")
			}
			for _, p := range probes {
				got, want := taught.Output(p), learnt.Output(p)
				for _, s := range planted[:6] { // the body's secrets, when it was in the case
					if withBody && strings.Contains(got, s) {
						t.Errorf("%s (body %v): %q in clear in %q", filepath.Base(path), withBody, s, got)
					}
				}
				if got, want = personalNumber.ReplaceAllString(got, "$1#n"), personalNumber.ReplaceAllString(want, "$1#n"); got != want {
					t.Errorf("%s (body %v): %q\ntaught: %q\nlearnt: %q", filepath.Base(path), withBody, p, got, want)
				}
			}
			if again, _ := evidence.NewOutputRedactor(r.Redaction); !b.Teach(again) || b.Teach(again) {
				t.Errorf("%s: Teach must teach a fresh redactor, and refuse one that learnt already", path)
			}
		}
	}
}

var personalNumber = regexp.MustCompile(`\[(cpf|cnpj|email|phone)#[0-9]+`)

// What a bundle teaches outlives the case it was built from: a case whose body's bytes are
// written over after Build (a buffer used again) still has its secrets masked in print.
func TestTeachOutlivesTheBody(t *testing.T) {
	const body = `{"senha": "Pl4nt3d#Senha", "auth": {"access_token": "AcCeSsToKeN-7f3a9c21d"}, "nota": "senha=pwdValue77"}`
	r := defaultRules(t)
	raw := []byte(body)
	c, v := diagnoseFile(t, "../testdata/cases/sem-causa-aparente.yaml", true, func(c *diagnose.Case) {
		c.Request.Body = diagnose.Body{Raw: raw, Present: true}
	})
	b := build(t, c, v)
	out, _ := evidence.NewOutputRedactor(r.Redaction)
	if !b.Teach(out) {
		t.Fatal("the bundle taught nothing")
	}
	for i := range raw {
		raw[i] = 'X'
	}
	for _, s := range []string{"Pl4nt3d#Senha", "AcCeSsToKeN-7f3a9c21d", "pwdValue77"} {
		if got := out.Output("o parceiro repetiu " + s); strings.Contains(got, s) {
			t.Errorf("%q in clear after the body changed: %q", s, got)
		}
	}
}
