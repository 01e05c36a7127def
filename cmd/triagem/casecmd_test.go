package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/evidence"
	"github.com/crefazon/triagem/intake"
	"github.com/crefazon/triagem/rules"
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
	// Tokens the draft cannot carry as header.claims.: sent without the Bearer scheme, or not
	// a JWT. Their masks stay, and are judged as the originals were.
	expired, err := os.ReadFile("../../testdata/cases/token-expirado.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, from := range map[string][2]string{
		"sem-bearer.yaml": {`Authorization: "Bearer `, `Authorization: "`},
		"opaco.yaml":      {`Authorization: "Bearer eyJ`, `Authorization: "Bearer opaco-`},
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Replace(string(expired), from[0], from[1], 1)), 0o600); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, p)
	}
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
			secrets := draftSecrets(c, data, path == planted)
			for _, s := range secrets {
				if strings.Contains(string(text), s) {
					t.Errorf("the draft holds %q in clear:\n%s", s, text)
				}
			}
			if !strings.Contains(string(text), "api_key_sha256: "+diagnose.KeyFingerprint(c.Credentials.APIKey)) {
				t.Errorf("the draft does not name the key by its SHA-256:\n%s", text)
			}
			// A draft drafted again is the same draft: its masks and forms are stable.
			again := filepath.Join(dir, "again-"+filepath.Base(path))
			if code, _, errOut := runApp(t, nil, "case", "new", draft, "--redact", "--out", again); code != 0 {
				t.Fatalf("case new --redact on the draft: exit %d: %s", code, errOut)
			}
			if b, _ := os.ReadFile(again); string(b) != string(text) {
				t.Errorf("the draft of the draft differs:\n%s\nfrom\n%s", b, text)
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

// draftSecrets lists what a ticket draft of case c (read from data; planted: the planted case
// full of secrets) must not hold in clear: the key, the tokens and their signatures, the
// personal data.
func draftSecrets(c *diagnose.Case, data []byte, planted bool) []string {
	secrets := []string{c.Credentials.APIKey, "Bearer eyJ", "529.982.247-25", "52998224725", "98765-4321", "Maria das Dores"}
	for _, tok := range []string{strings.TrimPrefix(c.Request.Headers["Authorization"], "Bearer "), c.Credentials.Token} {
		if tok != "" && !strings.HasSuffix(tok, ".") { // a token sent unsigned is the draft's own form
			secrets = append(secrets, tok)
		}
	}
	for _, m := range jwtRE.FindAllStringSubmatch(string(data), -1) {
		secrets = append(secrets, m[1]) // the signature
	}
	if planted {
		// header.claims is the draft's form of the token: its signature is what must go
		all := secretsInClear()
		secrets = append(secrets, all[2])
		secrets = append(secrets, all[5:]...)
		secrets = slicesWithout(secrets, func(s string) bool { return len(s) == 64 }) // the key's SHA-256 is the draft's identifier
		secrets = slicesWithout(secrets, func(s string) bool { return !strings.Contains(string(data), s) && s != "Bearer eyJ" })
	}
	return slicesWithout(secrets, func(s string) bool { return s == "" })
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

// The working copy holds what was pasted, byte for byte where it matters (the body, the key,
// the token), is readable only by its owner, says that it holds credentials, and is never
// replaced or printed by accident.
func TestCaseNewWorkingCopy(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "caso.yaml")
	curl := "@../../testdata/curl/pre-analise-postman.sh"
	args := []string{"case", "new", "--from-curl", curl, "--api-key", plantedKey, "--user", "alfa.maria", "--at", "2026-11-18 14:00"}

	if code, stdout, _ := runApp(t, nil, append(args, "--out", "-")...); code != 2 || stdout != "" {
		t.Fatalf("--out -: exit %d, stdout %q; want 2 and nothing printed", code, stdout)
	}
	if code, _, errOut := runApp(t, nil, append(args, "--out", out)...); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("mode %o, want 600", st.Mode().Perm())
	}
	text, _ := os.ReadFile(out)
	if !strings.HasPrefix(string(text), "# Cópia de trabalho") || !strings.Contains(string(text), "CONTÉM CREDENCIAIS") {
		t.Errorf("the working copy does not say it holds credentials:\n%s", text)
	}
	c, err := diagnose.ParseCase(out, text)
	if err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile(curl[1:])
	pasted, err := intake.ParseCurl(string(src), os.ReadFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(c.Request.Body.Raw) != string(pasted.Body) {
		t.Errorf("the body changed:\n%s\nwant\n%s", c.Request.Body.Raw, pasted.Body)
	}
	if c.Credentials.APIKey != plantedKey || c.Request.Headers["Authorization"] != "Bearer "+plantedToken {
		t.Errorf("the credentials were not kept: key %q, Authorization %q", c.Credentials.APIKey, c.Request.Headers["Authorization"])
	}

	// Not replaced without --force; replaced with it.
	if err := os.WriteFile(out, []byte("antes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runApp(t, nil, append(args, "--out", out)...); code != 2 || !strings.Contains(errOut, "--force") {
		t.Errorf("an existing file: exit %d, %q; want 2 naming --force", code, errOut)
	}
	if b, _ := os.ReadFile(out); string(b) != "antes\n" {
		t.Errorf("the existing file was changed: %q", b)
	}
	if code, _, errOut := runApp(t, nil, append(args, "--out", out, "--force")...); code != 0 {
		t.Errorf("--force: exit %d: %s", code, errOut)
	}

	// Bad input: exit 2, no file, no secret echoed.
	bad := filepath.Join(dir, "ruim.yaml")
	code, _, errOut := runApp(t, nil, "case", "new", "--from-curl", curl, "--api-key", plantedKey, "--at", "ontem de tarde", "--out", bad)
	if code != 2 || strings.Contains(errOut, plantedKey) {
		t.Errorf("a bad time: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Errorf("a bad input left %s behind", bad)
	}
}

// escalate reads a paste through the same builder: refused without the directory (4), the
// bundle written with it; nothing to read is a command-line error (2).
func TestEscalateFromPaste(t *testing.T) {
	dir := t.TempDir()
	zip := filepath.Join(dir, "b.zip")
	args := []string{"escalate", "--from-curl", "@../../testdata/curl/pre-analise.sh", "--api-key", plantedKey, "--user", "alfa.maria",
		"--at", "2026-11-18 14:00", "--error", "Nao foi possivel realizar operacao.", "--ticket", "SUP-4901", "--out", zip}
	if code, _, _ := runApp(t, nil, args...); code != 4 {
		t.Errorf("without a directory: exit %d, want 4", code)
	}
	if code, _, errOut := runApp(t, nil, append(args, "--directory", "../../testdata/directory.yaml")...); code != 0 {
		t.Errorf("with the directory: exit %d: %s", code, errOut)
	}
	files := readZip(t, zip)
	for name, b := range files {
		for _, s := range []string{plantedKey, strings.Split(plantedToken, ".")[2], "529.982.247-25"} {
			if strings.Contains(string(b), s) {
				t.Errorf("%s holds %q", name, s)
			}
		}
	}
	if code, _, _ := runApp(t, nil, "escalate", "--out", filepath.Join(dir, "x.zip")); code != 2 {
		t.Errorf("no case: exit %d, want 2", code)
	}
}
