package diagnose_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/rules"
)

// FuzzParseCase: any bytes give a case or an *InputError naming a place; never a panic; a
// case that parses also resolves or fails as input, never otherwise.
func FuzzParseCase(f *testing.F) {
	files, _ := filepath.Glob("../testdata/cases/*.yaml")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"request": {"url": "https://api-externo-stag.crefazon.com.br/api/v2/x", "at": 12}}`))
	f.Add([]byte("request:\n  body: '{\"a\":'\n"))
	r, err := rules.Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := diagnose.ParseCase("fuzz.yaml", data)
		if err != nil {
			var ie *diagnose.InputError
			if !errors.As(err, &ie) || !strings.HasPrefix(ie.Place, "fuzz.yaml") {
				t.Fatalf("error without a place: %v", err)
			}
			return
		}
		if _, err := diagnose.Resolve(c, r); err != nil {
			var ie *diagnose.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("resolve failed with a non-input error: %v", err)
			}
		}
	})
}

// FuzzParseToken: any text gives a TokenInfo; a token reported well formed has an alg and
// nothing but base64url between its two dots; the token checks run on it without a panic.
func FuzzParseToken(f *testing.F) {
	f.Add("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3OTUwMDM5ODAsImlhdCI6MTc5NDk2MDc4MH0.MVTDKo_DAJFbuNnJdm9hDfjAErF0XZSgsB5x8NdHhkA")
	f.Add("eyJhbGciOiJub25lIn0.eyJleHAiOiJ4In0.")
	f.Add("a.b.c")
	f.Add("..")
	f.Add("eyJhbGciOiJIUzI1NiIsImNyaXQiOlsieCJdfQ.eyJleHAiOjE3OTUwNDI4MDAwMDB9.x")
	r, err := rules.Default()
	if err != nil {
		f.Fatal(err)
	}
	at := time.Date(2026, 11, 18, 9, 0, 0, 0, r.Location())
	f.Fuzz(func(t *testing.T, raw string) {
		ti := diagnose.ParseToken(raw)
		if ti.Err == nil && ti.Alg == "" {
			t.Fatalf("a well-formed token without alg: %q", raw)
		}
		if ti.Err == nil && strings.Trim(raw, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") != "" {
			t.Fatalf("a token with a character outside base64url passed: %q", raw)
		}
		diagnose.InspectToken(raw, at, true, r, nil, "pt-BR")
	})
}
