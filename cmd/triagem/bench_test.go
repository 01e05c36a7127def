package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crefazon/triagem/diagnose"
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
	bin := buildBinary(b)
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

// buildBinary builds triagem once for a benchmark.
func buildBinary(b *testing.B) string {
	bin := filepath.Join(b.TempDir(), "triagem")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// writeJSONLCases writes n cases as JSON Lines, cycling through the bundled cases (every
// category), each with its own ticket: about 1.2 KB a line.
func writeJSONLCases(b *testing.B, path string, n int) int64 {
	files, _ := filepath.Glob("../../testdata/cases/*.yaml")
	var lines [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		c, err := diagnose.ParseCase(f, data)
		if err != nil {
			b.Fatal(err)
		}
		c.Ticket = "TICKET"
		line, err := json.Marshal(c)
		if err != nil {
			b.Fatal(err)
		}
		lines = append(lines, line)
	}
	out, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(out, 1<<20)
	for i := range n {
		l := lines[i%len(lines)]
		w.Write(bytes.Replace(l, []byte(`"TICKET"`), []byte(fmt.Sprintf(`"CI-%07d"`, i)), 1))
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	out.Close()
	st, _ := os.Stat(path)
	return st.Size()
}

// runMeasured runs a command with stdout to /dev/null and returns its peak memory in MB.
func runMeasured(b *testing.B, name string, args ...string) float64 {
	cmd := exec.Command(name, args...)
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() > 1 { // 1: some verdicts name a cause
			b.Fatalf("%s: %v", name, err)
		}
	}
	return peakMB(cmd.ProcessState)
}

// BenchmarkJSONL100k diagnoses 100,000 cases from a JSON Lines file (~120 MB), as CI would,
// JSON verdicts to /dev/null. Target: faster than `jq -c . cases.jsonl > /dev/null` on the
// same file, reported beside it when jq is installed.
func BenchmarkJSONL100k(b *testing.B) {
	bin := buildBinary(b)
	path := filepath.Join(b.TempDir(), "cases.jsonl")
	size := writeJSONLCases(b, path, 100_000)
	b.SetBytes(size)
	var rss float64
	b.ResetTimer()
	for b.Loop() {
		rss = runMeasured(b, bin, "diagnose", "--jsonl", path, "--directory", "../../testdata/directory.yaml", "-o", "json")
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/run")
	b.ReportMetric(100_000*float64(b.N)/b.Elapsed().Seconds(), "cases/s")
	b.ReportMetric(rss, "MB-peak")
	if jq, err := exec.LookPath("jq"); err == nil {
		start := time.Now()
		runMeasured(b, jq, "-c", ".", path)
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "jq-ms")
	}
}

// BenchmarkJSONL1MMemory streams 1,000,000 cases (~1.2 GB) and reports the peak memory.
// Target: under 100 MB. Run it on its own: go test -run x -bench JSONL1M -benchtime 1x.
func BenchmarkJSONL1MMemory(b *testing.B) {
	bin := buildBinary(b)
	path := filepath.Join(b.TempDir(), "cases.jsonl")
	writeJSONLCases(b, path, 1_000_000)
	var rss float64
	b.ResetTimer()
	for b.Loop() {
		rss = runMeasured(b, bin, "diagnose", "--jsonl", path, "-o", "json")
	}
	b.ReportMetric(rss, "MB-peak")
}
