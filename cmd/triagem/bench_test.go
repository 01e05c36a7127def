package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// writeBigDirectory writes a JSON snapshot of n keys and n users whose last key
// ("key-<n-1>", raw) holds the last user: the worst case for a scan.
func writeBigDirectory(tb testing.TB, path string, n int) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	w.WriteString("{\"keys\": [")
	envs := []string{"homologacao", "producao"}
	for i := range n {
		if i > 0 {
			w.WriteString(",")
		}
		sum := sha256.Sum256([]byte(fmt.Sprintf("key-%06d", i)))
		fmt.Fprintf(w, "\n  {\"sha256\": %q, \"partner\": \"Corban %04d\", \"environment\": %q, \"active\": true, \"users\": [\"user%06d\", \"user%06d\"]}",
			hex.EncodeToString(sum[:]), i%5000, envs[i%2], i, (i+1)%n)
	}
	w.WriteString("\n], \"users\": [")
	for i := range n {
		if i > 0 {
			w.WriteString(",")
		}
		fmt.Fprintf(w, "\n  {\"login\": \"user%06d\", \"partner\": \"Corban %04d\", \"active\": true}", i, i%5000)
	}
	w.WriteString("\n]}\n")
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkDiagnoseProcess100k runs the real binary, process start included, on one case
// against a 100,000-key and 100,000-user JSON snapshot. Target: under 100 ms wall per run.
func BenchmarkDiagnoseProcess100k(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "triagem")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	const n = 100_000
	snap := filepath.Join(dir, "directory.json")
	writeBigDirectory(b, snap, n)
	last := n - 1
	env := "producao"
	if last%2 == 0 {
		env = "homologacao"
	}
	host := map[string]string{"homologacao": "api-externo-stag.crefazon.com.br", "producao": "api-externo.crefazon.com.br"}[env]
	caseFile := filepath.Join(dir, "case.yaml")
	os.WriteFile(caseFile, []byte(fmt.Sprintf(`request:
  method: GET
  url: https://%s/api/v2/propostas/42/produtos-ofertados
  at: "2026-11-18 10:15"
error: "Nenhum registro encontrado!"
credentials:
  api_key: key-%06d
  user: user%06d
`, host, last, last)), 0o600)
	st, _ := os.Stat(snap)
	b.SetBytes(st.Size())
	b.ResetTimer()
	for b.Loop() {
		out, err := exec.Command(bin, "diagnose", caseFile, "--directory", snap, "-o", "json").Output()
		if err != nil {
			b.Fatalf("triagem: %v\n%s", err, out)
		}
	}
	b.StopTimer()
	// The run must have found both, or it measured a miss.
	out, _ := exec.Command(bin, "diagnose", caseFile, "--directory", snap, "-o", "json").Output()
	for _, want := range []string{`"id":"key.exists","status":"pass"`, `"id":"user.key-binding","status":"pass"`} {
		if !contains(out, want) {
			b.Fatalf("the benchmark case did not find its key and user: %s", out)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/run")
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }
