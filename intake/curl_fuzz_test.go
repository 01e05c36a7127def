package intake

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// curlFuzzFiles answers every @file with a small body, and fails for names starting with "x".
func curlFuzzFiles(name string) ([]byte, error) {
	if strings.HasPrefix(name, "x") {
		return nil, errors.New("no such file")
	}
	return []byte("{\"a\":1}\n"), nil
}

// curlCheckProperties parses in and checks what must hold for any input.
func curlCheckProperties(t *testing.T, in string) {
	t.Helper()
	r, err := ParseCurl(in, curlFuzzFiles)
	if err != nil {
		if err.Error() == "" {
			t.Fatalf("empty error for %q", in)
		}
		return
	}
	if r.Method == "" {
		t.Fatalf("empty method for %q", in)
	}
	if _, err := url.Parse(r.URL); err != nil {
		t.Fatalf("URL %q does not parse: %v (input %q)", r.URL, err, in)
	}
	if r.Source != "curl" {
		t.Fatalf("source %q", r.Source)
	}
	checkNotes(t, r.Notes)
}

// curlFuzzInput reads a file of Go's fuzz corpus format ("go test fuzz v1" and a string(...)
// line), or takes a plain file as it is.
func curlFuzzInput(b []byte) (string, error) {
	s := string(b)
	if !strings.HasPrefix(s, "go test fuzz v1\n") {
		return s, nil
	}
	line := strings.TrimSpace(strings.TrimPrefix(s, "go test fuzz v1\n"))
	for _, p := range []string{"string(", "[]byte("} {
		if strings.HasPrefix(line, p) && strings.HasSuffix(line, ")") {
			return strconv.Unquote(line[len(p) : len(line)-1])
		}
	}
	return "", fmt.Errorf("not a fuzz corpus line: %.40q", line)
}

func FuzzParseCurl(f *testing.F) {
	for _, glob := range []string{"*.sh", "*.cmd", "fuzz-regressions/*"} {
		names, _ := filepath.Glob(filepath.Join(curlTestFixtures, glob))
		for _, n := range names {
			b, err := os.ReadFile(n)
			if err != nil {
				f.Fatal(err)
			}
			in, err := curlFuzzInput(b)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(in)
		}
	}
	for _, s := range []string{
		"curl https://x/",
		"curl -sSLk -XPOST --data-urlencode 'a=b c' -G 'x.com/p?q#f'",
		`curl -d $'\u00e9\x41\'\c' -H "A: $B" --json @- x <<EOF` + "\n{}\nEOF\n",
		`curl.exe -d "{\"a\":1}" "https://x/"`,
		"curl ^\"https://x/^\" ^\n  --data-raw ^\"^{^\\^\"a^\\^\":1^}^\"",
		"$ curl -u a:b --oauth2-bearer t -b c=d -A ua -e r https://u:p@x/{a}",
		"curl -H 'X;' -H 'Y:' -d @xfile x",
		"a && curl x; curl y | z",
		"C:\\>curl.exe x & y",
		"curl '",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		curlCheckProperties(t, in)
	})
}

// checkNotes fails on a note whose arguments do not fit its text, in either language.
func checkNotes(t *testing.T, notes []Note) {
	t.Helper()
	for _, lang := range []string{"en", "pt-BR"} {
		for _, n := range NoteTexts(notes, lang) {
			if n == "" || strings.Contains(n, "%!") {
				t.Fatalf("note %q", n)
			}
		}
	}
}
