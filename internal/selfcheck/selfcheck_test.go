package selfcheck

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile("../../testdata/" + path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDetect(t *testing.T) {
	tests := []struct{ text, want string }{
		{read(t, "curl/pre-analise.sh"), "curl"},
		{read(t, "curl/pre-analise-windows.cmd"), "curl"},
		{read(t, "curl/pre-analise-curlexe.cmd"), "curl"},
		{"$ curl https://api-externo-stag.crefazon.com.br/api/v2/propostas", "curl"},
		{read(t, "powershell/pre-analise-chrome.ps1"), "powershell"},
		{read(t, "har/chrome-pre-analise.har"), "har"},
		{"POST /api/v2/propostas/pre-analise HTTP/1.1\nHost: api-externo-stag.crefazon.com.br\n", "http"},
		{read(t, "cases/luz-em-dia.yaml"), "case"},
		{`{"request": {"url": "https://api-externo-stag.crefazon.com.br/api/v2/x"}}`, "case"},
		{"curly: braces\n", "case"},
	}
	for _, tc := range tests {
		if got := Detect(tc.text); got != tc.want {
			t.Errorf("Detect(%.40q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// What the page receives never holds the paste's token, key or customer's document, whether
// the input is diagnosed or refused.
func TestRunMasksEverything(t *testing.T) {
	curl := read(t, "curl/pre-analise.sh")
	har := read(t, "har/firefox-two-failures.har")
	tests := []struct {
		name    string
		in      Input
		wantErr bool
		secrets []string
	}{
		{"curl", Input{Text: curl, At: "20/11/2026 23:30"}, false, []string{"OLYE5TxOy6ZkjJzsK9fq03xO0Sawoqshm55ZxvXeeII", "529.982.247-25"}},
		{"HAR of two failures, no entry chosen", Input{Text: har}, true, []string{"hml-alfa-4b9e2c7a1d83f605"}},
		{"HAR entry 2", Input{Text: har, Entry: 2}, false, []string{"hml-alfa-4b9e2c7a1d83f605"}},
		{"a bad time", Input{Text: curl, At: "amanhã cedo"}, true, []string{"OLYE5TxOy6ZkjJzsK9fq03xO0Sawoqshm55ZxvXeeII"}},
		{"the key typed as the time", Input{Text: har, Entry: 2, At: "hml-alfa-4b9e2c7a1d83f605"}, true, []string{"hml-alfa-4b9e2c7a1d83f605"}},
		{"a broken case file holding a key", Input{Text: "credentials:\n  api_key: hml-alfa-4b9e2c7a1d83f605\n  token: [\n"}, true, []string{"hml-alfa-4b9e2c7a1d83f605"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := Run(tc.in)
			if (out.Error != "") != tc.wantErr {
				t.Fatalf("error %q, want an error: %v", out.Error, tc.wantErr)
			}
			if !tc.wantErr && (out.Verdict == nil || out.Reply == "" || out.Ticket == "" || out.CrefazOnOnly == "") {
				t.Fatalf("incomplete output: %+v", out)
			}
			b, _ := json.Marshal(out)
			for _, s := range tc.secrets {
				if strings.Contains(string(b), s) {
					t.Errorf("the output holds %.12s…", s)
				}
			}
		})
	}
}

// The language switch words the whole output in English.
func TestRunEnglish(t *testing.T) {
	in := Input{Text: read(t, "curl/pre-analise.sh"), At: "20/11/2026 23:30"}
	pt := Run(in)
	in.Lang = "en"
	en := Run(in)
	if pt.Verdict == nil || en.Verdict == nil {
		t.Fatalf("no verdict: %q %q", pt.Error, en.Error)
	}
	if pt.Verdict.Category != en.Verdict.Category {
		t.Errorf("the category changed with the language: %s, %s", pt.Verdict.Category, en.Verdict.Category)
	}
	if en.Verdict.Lang != "en" || en.Reply == pt.Reply || !strings.Contains(en.CrefazOnOnly, "CrefazOn's support") {
		t.Errorf("the English output is not English: %q", en.Reply)
	}
}

// The page's downloadable case draft holds no secret of the input and still reads as a case.
func TestDraftHoldsNoSecret(t *testing.T) {
	const key, sig = "hml-alfa-4b9e2c7a1d83f605", "OLYE5TxOy6ZkjJzsK9fq03xO0Sawoqshm55ZxvXeeII"
	text := `curl -X POST 'https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise' ` +
		`-H 'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3OTUwNDUyMDAsImlhdCI6MTc5NTAwMjAwMCwiaXNzIjoiY3JlZmF6b24tYXBpLXBhcmNlaXJvIiwibmJmIjoxNzk1MDAyMDAwLCJ1bmlxdWVfbmFtZSI6ImFsZmEubWFyaWEifQ.` + sig + `' ` +
		`-H 'X-Api-Key: ` + key + `' --data '{"cliente":{"cpf":"529.982.247-25","nome":"Maria das Dores"},"senha":"s3nh4-forte"}'`
	out := Run(Input{Text: text, At: "2026-11-18 14:05"})
	if out.Error != "" || out.Draft == "" {
		t.Fatalf("no draft: %+v", out.Error)
	}
	for _, v := range []string{key, sig, "529.982.247-25", "Maria das Dores", "s3nh4-forte"} {
		if strings.Contains(out.Draft, v) {
			t.Errorf("the draft holds %q", v)
		}
	}
	if !strings.Contains(out.Draft, "254097ef3e1c") { // the key's fingerprint, for support to find it
		t.Errorf("the draft does not name the key by its fingerprint:\n%s", out.Draft)
	}
}
