package diagnose

import (
	"strings"
	"testing"
	"time"
)

// A case's input errors are whole sentences in each language, and never repeat a value.
func TestInputErrorsInBothLanguages(t *testing.T) {
	for _, tc := range []struct {
		name, data, pt, en string
	}{
		{"typo.yaml", "ticket: x\nrequestt: {}\n", `typo.yaml:2: campo desconhecido "requestt"`, `typo.yaml:2: unknown field "requestt"`},
		{"n.json", `{"ticket": 1}`, `campo "ticket": esperado um texto, veio um número em JSON`, `field "ticket": want string, got JSON number`},
		{"vazio.yaml", "  \n", "arquivo de caso vazio", "empty case file"},
		{"quebrado.yaml", "a: [\n", "o YAML não pôde ser lido", "did not find expected"},
	} {
		_, err := ParseCase(tc.name, []byte(tc.data))
		if err == nil {
			t.Fatalf("%s: no error", tc.name)
		}
		if got := ErrorText(err, "pt-BR"); !strings.Contains(got, tc.pt) {
			t.Errorf("%s in pt-BR: %q, want %q", tc.name, got, tc.pt)
		}
		if got := ErrorText(err, "en"); !strings.Contains(got, tc.en) {
			t.Errorf("%s in en: %q, want %q", tc.name, got, tc.en)
		}
	}
	_, _, err := ParseTimeNote("529.982.247-25 às", time.UTC)
	if err == nil || strings.Contains(TimeErrorText(err, "pt-BR"), "529") || !strings.Contains(TimeErrorText(err, "pt-BR"), "não é uma data e hora") {
		t.Errorf("time error: %v", err)
	}
}
