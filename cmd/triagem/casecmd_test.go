package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"triagem/diagnose"
	"triagem/evidence"
	"triagem/rules"
)

var jwtRE = regexp.MustCompile(`eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.([A-Za-z0-9_-]+)`)

// category diagnoses a case file with the bundled directory and returns its category.
func category(t *testing.T, path string) string {
	t.Helper()
	code, out, errOut := runApp(t, nil, "diagnose", path, "--directory", "../../testdata/directory.yaml", "-o", "json")
	if code != 0 && code != 1 {
		t.Fatalf("diagnose %s: exit %d: %s", path, code, errOut)
	}
	var v struct{ Category string }
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("diagnose %s: %v\n%s", path, err, out)
	}
	return v.Category
}

// TestDraftKeepsVerdictAndDropsSecrets: for every bundled case that carries an API key (and
// the planted case full of secrets), the --redact draft diagnoses to the same category as the
// original with the directory, and holds neither the key, nor a token's signature, nor a
// password, nor the personal data in clear; the project's own scan finds nothing in it.
func TestDraftKeepsVerdictAndDropsSecrets(t *testing.T) {
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
			draft := filepath.Join(dir, "draft-"+filepath.Base(path))
			code, _, errOut := runApp(t, nil, "case", "new", path, "--redact", "--out", draft)
			if code != 0 {
				t.Fatalf("case new --redact: exit %d: %s", code, errOut)
			}
			if want, got := category(t, path), category(t, draft); got != want {
				t.Errorf("the draft diagnoses to %s, the original to %s", got, want)
			}
			text, _ := os.ReadFile(draft)
			secrets := []string{c.Credentials.APIKey, "Bearer eyJ", "529.982.247-25", "52998224725", "98765-4321", "Maria das Dores"}
			for _, m := range jwtRE.FindAllStringSubmatch(string(data), -1) {
				secrets = append(secrets, m[1]) // the signature
			}
			if path == planted {
				// header.claims is the draft's form of the token: its signature is what must go
				all := secretsInClear()
				secrets = append(secrets, all[2])
				secrets = append(secrets, all[5:]...)
				secrets = slicesWithout(secrets, func(s string) bool { return len(s) == 64 }) // the key's SHA-256 is the draft's identifier
				secrets = slicesWithout(secrets, func(s string) bool { return !strings.Contains(string(data), s) && s != "Bearer eyJ" })
			}
			for _, s := range secrets {
				if strings.Contains(string(text), s) {
					t.Errorf("the draft holds %q in clear:\n%s", s, text)
				}
			}
			if !strings.Contains(string(text), "api_key_sha256: "+diagnose.KeyFingerprint(c.Credentials.APIKey)) {
				t.Errorf("the draft does not name the key by its SHA-256:\n%s", text)
			}
			findings, err := evidence.Scan(def.Redaction, "draft.yaml", text)
			if err != nil {
				t.Fatal(err)
			}
			if len(findings) > 0 {
				t.Errorf("the redaction scan finds %v in the draft:\n%s", findings, text)
			}
		})
	}
	if tried < 10 {
		t.Fatalf("only %d bundled cases with a key: the loop tried too little", tried)
	}
}

func slicesWithout(s []string, drop func(string) bool) []string {
	out := s[:0:0]
	for _, x := range s {
		if !drop(x) {
			out = append(out, x)
		}
	}
	return out
}
