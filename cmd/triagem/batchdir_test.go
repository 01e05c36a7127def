package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/crefazon/triagem/internal/gen"
)

// TestBatchDirectoryAnswersAsOneCase: a batch reads the snapshot into memory once
// (directory.Packed) while one case looks it up in the file or its index; every verdict of a
// batch of varied cases is byte for byte the verdict of the same case diagnosed alone, with
// the cache folder and with --no-cache.
func TestBatchDirectoryAnswersAsOneCase(t *testing.T) {
	ts, err := gen.Templates("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	const n = 120
	dir := t.TempDir()
	var cw, sw bytes.Buffer
	if err := gen.Cases(ts, n, n, n, 11, &cw, &sw); err != nil {
		t.Fatal(err)
	}
	cases, snap := filepath.Join(dir, "cases.jsonl"), filepath.Join(dir, "directory.json")
	os.WriteFile(cases, cw.Bytes(), 0o600)
	os.WriteFile(snap, sw.Bytes(), 0o600)
	for _, v := range []string{"XDG_CACHE_HOME", "HOME", "LocalAppData"} {
		t.Setenv(v, filepath.Join(dir, "cache"))
	}
	lines := strings.Split(strings.TrimSpace(cw.String()), "\n")
	alone := make([]string, len(lines))
	for i, l := range lines {
		one := filepath.Join(dir, "one.json")
		os.WriteFile(one, []byte(l), 0o600)
		code, out, stderr := runApp(t, nil, "diagnose", one, "--directory", snap, "-o", "json", "--no-journal")
		if code > 1 {
			t.Fatalf("case %d alone: exit %d: %s", i, code, stderr)
		}
		// the case's name is its file alone and its line in the batch
		alone[i] = strings.Replace(out, `"case":"`+one+`"`, `"case":"`+cases+":"+strconv.Itoa(i+1)+`"`, 1)
	}
	for _, extra := range [][]string{nil, {"--no-cache"}} {
		args := append([]string{"diagnose", "--jsonl", cases, "--directory", snap, "-o", "json", "--no-journal"}, extra...)
		code, out, stderr := runApp(t, nil, args...)
		if code > 1 {
			t.Fatalf("%v: exit %d: %s", extra, code, stderr)
		}
		if got, want := out, strings.Join(alone, ""); got != want {
			t.Fatalf("%v: the batch's verdicts differ from the cases' alone:\n%s", extra, firstDiff(got, want))
		}
	}
}

// TestBatchYAMLDirectoryAnswersAsOneCase: the bundled cases as one batch against the bundled
// YAML snapshot give each case's verdict alone.
func TestBatchYAMLDirectoryAnswersAsOneCase(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	files, err := filepath.Glob("../../testdata/cases/*.yaml")
	if err != nil || len(files) < 2 {
		t.Fatalf("bundled cases: %v, %d files", err, len(files))
	}
	var want strings.Builder
	for _, f := range files {
		code, out, stderr := runApp(t, nil, "diagnose", f, "--directory", "../../testdata/directory.yaml", "-o", "json", "--no-journal")
		if code > 1 {
			t.Fatalf("%s alone: exit %d: %s", f, code, stderr)
		}
		want.WriteString(out)
	}
	args := append([]string{"diagnose", "--directory", "../../testdata/directory.yaml", "-o", "json", "--no-journal"}, files...)
	code, out, stderr := runApp(t, nil, args...)
	if code > 1 {
		t.Fatalf("batch: exit %d: %s", code, stderr)
	}
	if out != want.String() {
		t.Fatalf("the batch's verdicts differ from the cases' alone:\n%s", firstDiff(out, want.String()))
	}
}

// TestBatchBadSnapshotSaysWhere: a snapshot entry that the batch cannot take (a sha256 in
// capitals) stops the batch before any verdict, naming the file, the line and the entry,
// with and without the cache folder.
func TestBatchBadSnapshotSaysWhere(t *testing.T) {
	dir := t.TempDir()
	for _, v := range []string{"XDG_CACHE_HOME", "HOME", "LocalAppData"} {
		t.Setenv(v, filepath.Join(dir, "cache"))
	}
	snap := filepath.Join(dir, "bad.json")
	os.WriteFile(snap, []byte(`{"keys": [
  {"sha256": "`+strings.Repeat("ab", 32)+`", "partner": "Alfa", "environment": "producao", "active": true},
  {"sha256": "`+strings.Repeat("AB", 32)+`", "partner": "Alfa", "environment": "producao", "active": true}
], "users": []}`), 0o600)
	cases := filepath.Join(dir, "cases.jsonl")
	os.WriteFile(cases, []byte(`{"error":"x","request":{"method":"GET","url":"https://api-externo-stag.crefazon.com.br/api/v2/enderecos/paises","at":"2026-11-18 10:00"},"credentials":{"api_key":"hml-alfa-4b9e2c7a1d83f605","user":"alfa.maria"}}`+"\n"+
		`{"error":"x","request":{"method":"GET","url":"https://api-externo-stag.crefazon.com.br/api/v2/enderecos/paises","at":"2026-11-18 10:00"},"credentials":{"api_key":"hml-alfa-4b9e2c7a1d83f605","user":"alfa.joao"}}`+"\n"), 0o600)
	for _, extra := range [][]string{nil, {"--no-cache"}} {
		args := append([]string{"diagnose", "--jsonl", cases, "--directory", snap, "-o", "json", "--no-journal"}, extra...)
		code, out, stderr := runApp(t, nil, args...)
		want := "bad.json:3:3: keys[1]: o sha256 não é um SHA-256 hexadecimal em minúsculas"
		if code != exitInput || out != "" || !strings.Contains(stderr, want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2, nothing printed, %q", extra, code, out, stderr, want)
		}
	}
}

// firstDiff shows where two outputs part.
func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-200)
	return "got:  " + got[lo:min(len(got), i+200)] + "\nwant: " + want[lo:min(len(want), i+200)]
}
