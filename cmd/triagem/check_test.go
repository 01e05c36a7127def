package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/evidence"
	"github.com/crefazon/triagem/rules"
)

// What triagem check prints speaks to the partner's developer: for every bundled case, in both
// languages, with and without the directory, it never names a check, a section, an escalation
// or a skip; it says what only CrefazOn can verify exactly when the directory was not there;
// and its JSON is the verdict diagnose gives, with audience "parceiro".
func TestCheckSpeaksToThePartner(t *testing.T) {
	cases, _ := filepath.Glob("../../testdata/cases/*.yaml")
	if len(cases) < 10 {
		t.Fatalf("only %d bundled cases", len(cases))
	}
	support := []string{"Escalar", "escalar", "Escalate", "escalat", "Resposta ao parceiro", "Reply to the partner",
		"skip", "Seção", "seção", "section", "--directory", "Olá", "Hello", "Atenciosamente", "Kind regards"}
	for _, c := range diagnose.Checks {
		support = append(support, c.ID)
	}
	for _, path := range cases {
		for _, lang := range []string{"pt-BR", "en"} {
			for _, withDir := range []bool{false, true} {
				args := []string{"check", path, "--lang", lang}
				if withDir {
					args = append(args, "--directory", "../../testdata/directory.yaml")
				}
				name := filepath.Base(path) + " " + lang
				if withDir {
					name += " directory"
				}
				t.Run(name, func(t *testing.T) {
					code, out, errOut := runApp(t, nil, args...)
					if code != 0 && code != 1 {
						t.Fatalf("exit %d: %s", code, errOut)
					}
					for _, s := range support {
						if strings.Contains(out, s) {
							t.Errorf("the partner reads %q:\n%s", s, out)
						}
					}
					ticket := map[string]string{"pt-BR": "Um chamado precisa destas informações:", "en": "A ticket needs these details:"}[lang]
					if !strings.Contains(out, ticket) {
						t.Errorf("no evidence list:\n%s", out)
					}
					// The JSON is diagnose's verdict, with the audience.
					code2, js, _ := runApp(t, nil, append(args, "-o", "json")...)
					var pv struct {
						Category, Audience, Reply string
						Checks                    []diagnose.Result
					}
					if err := json.Unmarshal([]byte(js), &pv); err != nil {
						t.Fatalf("%v\n%s", err, js)
					}
					dargs := append([]string{"diagnose"}, args[1:]...)
					_, djs, _ := runApp(t, nil, append(dargs, "-o", "json")...)
					var dv struct{ Category, Audience string }
					if err := json.Unmarshal([]byte(djs), &dv); err != nil {
						t.Fatalf("%v\n%s", err, djs)
					}
					if pv.Category != dv.Category || code2 != code || pv.Audience != "parceiro" || dv.Audience != "" {
						t.Errorf("check: %s %q (exit %d, %d), diagnose: %s %q", pv.Category, pv.Audience, code, code2, dv.Category, dv.Audience)
					}
					// What only CrefazOn verifies is said exactly when its check could not run.
					keySkipped := false
					for _, r := range pv.Checks {
						if r.ID == "key.exists" && r.Status == diagnose.Skip {
							keySkipped = true
						}
					}
					if !withDir && !keySkipped {
						t.Errorf("without the directory, key.exists ran")
					}
					keyLine := map[string]string{"pt-BR": "se a chave de API existe, está ativa e é do ambiente chamado",
						"en": "whether the API key exists, is active and belongs to the environment called"}[lang]
					if got := strings.Contains(out, keyLine); got != keySkipped {
						t.Errorf("says CrefazOn verifies the key: %v; the key check skipped: %v:\n%s", got, keySkipped, out)
					}
					crefazon := map[string]string{"pt-BR": "A CrefazOn confere nos cadastros dela, quando você abrir o chamado",
						"en": "CrefazOn verifies in its records, when you open a ticket"}[lang]
					if keySkipped && !strings.Contains(out, crefazon) {
						t.Errorf("no plain word on what CrefazOn verifies:\n%s", out)
					}
				})
			}
		}
	}
}

// A cause is told as something to fix, with its steps; a case without one says what was found
// right. Bad input is refused as diagnose refuses it.
func TestCheckWording(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"check", "../../testdata/cases/token-expirado.yaml"}, 1,
			[]string{"Requisição conferida: POST /api/v2/propostas/pre-analise", "O que está errado e como corrigir:", "O token enviado já tinha expirado", "1. Faça um novo login"}},
		{[]string{"check", "../../testdata/cases/token-expirado.yaml", "--lang", "en"}, 1,
			[]string{"Request checked: POST", "What is wrong and how to fix it:", "had already expired"}},
		{[]string{"check", "--from-curl", "@../../testdata/curl/pre-analise.sh"}, 1,
			[]string{"Nada de errado foi encontrado", "se a chave de API existe, está ativa e é do ambiente chamado",
				"se o usuário está ativo e vinculado a essa chave de API", "✗ data e hora da requisição: falta (informe com --at"}},
		{[]string{"check", "../../testdata/cases/sem-causa-aparente.yaml", "--directory", "../../testdata/directory.yaml"}, 0,
			[]string{"Nada de errado foi encontrado", "✓ API Key usada"}},
		{[]string{"check"}, 2, []string{"nenhuma requisição"}},
		{[]string{"check", "../../testdata/cases"}, 2, []string{"check lê um caso, não uma pasta de"}},
		{[]string{"check", "../../testdata/cases", "--lang", "en"}, 2, []string{"check takes one case, not a folder of"}},
		{[]string{"check", "--force", "--url", "https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise"}, 2,
			[]string{"--force só vale com --ticket-draft"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := runApp(t, nil, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out+errOut, w) {
					t.Errorf("no %q in:\n%s%s", w, out, errOut)
				}
			}
		})
	}
}

// TestCheckTicketDraft: for every bundled case that carries an API key (and the planted case
// full of secrets), the partner's ticket draft diagnoses, by support with the directory, to the
// same category as the original; neither chamado.txt nor caso.yaml holds a secret or personal
// datum in clear, and the project's own scan finds nothing in them; chamado.txt asks the
// ticket's questions and lists every mandatory detail.
func TestCheckTicketDraft(t *testing.T) {
	dir := t.TempDir()
	cases, _ := filepath.Glob("../../testdata/cases/*.yaml")
	planted := filepath.Join(dir, "planted.yaml")
	if err := os.WriteFile(planted, []byte(plantedCase), 0o600); err != nil {
		t.Fatal(err)
	}
	cases = append(cases, planted)
	def, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	tried := 0
	for _, path := range cases {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		c, err := diagnose.ParseCase(path, data)
		if err != nil {
			t.Fatal(err)
		}
		if c.Credentials.APIKey == "" {
			continue
		}
		tried++
		t.Run(filepath.Base(path), func(t *testing.T) {
			out := filepath.Join(dir, "draft-"+filepath.Base(path))
			code, _, errOut := runApp(t, nil, "check", path, "--ticket-draft", out)
			if code != 0 && code != 1 {
				t.Fatalf("check --ticket-draft: exit %d: %s", code, errOut)
			}
			caseFile := filepath.Join(out, "caso.yaml")
			if want, got := category(t, path), category(t, caseFile); got != want {
				t.Errorf("the draft diagnoses to %s, the original to %s", got, want)
			}
			files := map[string][]byte{}
			for _, name := range []string{"caso.yaml", "chamado.txt"} {
				text, err := os.ReadFile(filepath.Join(out, name))
				if err != nil {
					t.Fatal(err)
				}
				files[name] = text
				for _, s := range draftSecrets(c, data, path == planted) {
					if strings.Contains(string(text), s) {
						t.Errorf("%s holds %q in clear:\n%s", name, s, text)
					}
				}
				findings, err := evidence.Scan(def.Redaction, name, text)
				if err != nil {
					t.Fatal(err)
				}
				if len(findings) > 0 {
					t.Errorf("the redaction scan finds %v in %s:\n%s", findings, name, text)
				}
			}
			exportForScan(t, "check-draft-"+filepath.Base(path), files) // CI's gitleaks scan reads them too
			ticket := files["chamado.txt"]
			want := []string{"Desde quando a requisição falha?", "também falha em", "Algo mudou do seu lado",
				"SHA-256 " + diagnose.KeyFingerprint(c.Credentials.APIKey)}
			for _, item := range diagnose.EvidenceItems {
				want = append(want, diagnose.EvidenceName(item, "pt-BR"))
			}
			for _, w := range want {
				if !strings.Contains(string(ticket), w) {
					t.Errorf("chamado.txt lacks %q:\n%s", w, ticket)
				}
			}
		})
	}
	if tried < 10 {
		t.Fatalf("only %d bundled cases with a key: the loop tried too little", tried)
	}
}

// The draft is not written over existing files without --force, and then neither file is; a
// missing item is marked as missing; the English draft asks in English.
func TestCheckTicketDraftFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "chamado")
	args := []string{"check", "--from-curl", "@../../testdata/curl/pre-analise.sh", "--ticket-draft", dir}
	if code, _, errOut := runApp(t, nil, args...); code != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	ticket, _ := os.ReadFile(filepath.Join(dir, "chamado.txt"))
	for _, w := range []string{"✗ API Key usada: FALTA", "✗ data e hora da requisição: FALTA", "✓ endpoint chamado (URL completa) — POST https://"} {
		if !strings.Contains(string(ticket), w) {
			t.Errorf("chamado.txt lacks %q:\n%s", w, ticket)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "chamado.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "caso.yaml")); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runApp(t, nil, args...)
	if code != 2 || !strings.Contains(errOut, "chamado.txt já existe; use --force") {
		t.Errorf("over an existing file: exit %d: %s", code, errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "chamado.txt")); string(b) != "mine" {
		t.Errorf("the existing file was replaced")
	}
	if _, err := os.Stat(filepath.Join(dir, "caso.yaml")); err == nil {
		t.Errorf("caso.yaml was written although the draft was refused")
	}
	if code, _, errOut := runApp(t, nil, append(args, "--force", "--lang", "en")...); code != 1 {
		t.Fatalf("--force: exit %d: %s", code, errOut)
	}
	ticket, _ = os.ReadFile(filepath.Join(dir, "chamado.txt"))
	if !strings.Contains(string(ticket), "Since when has the request been failing?") || !strings.Contains(string(ticket), "MISSING") {
		t.Errorf("the English draft:\n%s", ticket)
	}
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o644)
	if code, _, errOut := runApp(t, nil, "check", "--from-curl", "@../../testdata/curl/pre-analise.sh", "--ticket-draft", file); code != 2 || !strings.Contains(errOut, "não é uma pasta") {
		t.Errorf("a file as the folder: exit %d: %s", code, errOut)
	}
}
