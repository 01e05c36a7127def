package directory

import (
	"regexp"
	"strings"
	"testing"
)

// englishWordRE finds an English sentence's common words; prose, not values, is checked:
// what the file holds comes quoted, JSON and YAML syntax is quoted or a literal.
var (
	englishWordRE = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(the|and|of|is|are|to|with|for|not|must|want|found|expected|unknown|duplicate|empty|invalid|after|string|number|file|did)(?:[^\p{L}]|$)`)
	notProseRE    = regexp.MustCompile(`"[^"]*"|'[^']*'|\\\S+|--lang en|^[^ ]+:\d+(:\d+)?:|\b(true|false|null|keys|users|sha256|partner|login|active|environment|homologacao|producao)\b`)
)

// checkPortuguese fails when err's Portuguese text holds an English sentence, or when its
// English text is not err's own.
func checkPortuguese(t *testing.T, err error) {
	t.Helper()
	en, pt := ErrorText(err, "en"), ErrorText(err, "pt-BR")
	if en != err.Error() {
		t.Errorf("English text %q is not the error's %q", en, err.Error())
	}
	for _, line := range strings.Split(pt, "\n") {
		if m := englishWordRE.FindStringSubmatch(notProseRE.ReplaceAllString(line, " ")); m != nil {
			t.Errorf("the Portuguese text has the English word %q: %s", m[1], line)
		}
	}
}

func TestErrorsInPortuguese(t *testing.T) {
	tests := []struct {
		file, doc, want string
	}{
		{"a.json", `{"keys": [{"sha256": 12}]}`, "a.json:1:22: keys[0]: sha256 deve ser um texto, e não um número"},
		{"a.json", "{\"keys\": [\n  {\"sha256\": \"b\"\n", "a.json:3:1: o arquivo termina antes da hora (download incompleto?): esperada ',' ou '}' depois do campo do objeto"},
		{"a.yaml", "keys:\n  - sha256: a\n    partner: b: c\n", "a.yaml:3: o YAML não pôde ser lido a partir desta linha: confira a indentação"},
		{"a.yaml", "keys:\n  - sha256: a\n    active: maybe\n", "a.yaml:3: keys[0]: tipo errado: esperado true ou false, veio um texto"},
		{"a.yaml", "keys: 3\n", "a.yaml:1:7: keys deve ser uma lista de mapeamentos, e não um valor simples (int)"},
		{"e.json", "", "e.json: snapshot do diretório vazio"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			s, err := Parse(tt.file, []byte(tt.doc))
			if err == nil {
				_, err = s.Index()
			}
			if err == nil {
				t.Fatal("no error")
			}
			if got := ErrorText(err, "pt-BR"); !strings.HasPrefix(got, tt.want) {
				t.Errorf("pt-BR:\n got %s\nwant %s", got, tt.want)
			}
			checkPortuguese(t, err)
		})
	}
}

func TestServiceErrorsInPortuguese(t *testing.T) {
	var errs []error
	for _, u := range []string{"https://ana:segredo@diretorio.exemplo.com/", "ftp://diretorio.exemplo.com/", "https://diretorio.exemplo.com/?x=1", "https:///"} {
		_, err := OpenHTTP(u, HTTPOptions{})
		if err == nil {
			t.Fatalf("OpenHTTP(%s) accepted", u)
		}
		errs = append(errs, err)
	}
	errs = append(errs, &UnreachableError{Host: "diretorio.exemplo.com", Attempts: 3, Err: "dial tcp: connection refused"},
		&UnreachableError{Host: "diretorio.exemplo.com", Attempts: 1, Err: "dial tcp: i/o timeout"})
	for _, err := range errs {
		pt := ErrorText(err, "pt-BR")
		if pt == err.Error() || strings.Contains(pt, "segredo") || strings.Contains(pt, "dial tcp") {
			t.Errorf("pt-BR text %q (English: %q)", pt, err.Error())
		}
		checkPortuguese(t, err)
	}
}
