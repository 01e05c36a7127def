package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crefazon/triagem/internal/gen"
)

// writeVaried writes n varied cases (each its own key, user, token, time, route and payload,
// every category reached) and their snapshot with at least snapN keys and users.
func writeVaried(b *testing.B, n, snapN int) (cases, snap string) {
	b.Helper()
	ts, err := gen.Templates("../../testdata")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	cases, snap = filepath.Join(dir, "cases.jsonl"), filepath.Join(dir, "directory.json")
	var cw, sw bytes.Buffer
	if err := gen.Cases(ts, n, snapN, snapN, 1, &cw, &sw); err != nil {
		b.Fatal(err)
	}
	os.WriteFile(cases, cw.Bytes(), 0o600)
	os.WriteFile(snap, sw.Bytes(), 0o600)
	return cases, snap
}

// BenchmarkBatchVaried runs a JSON Lines batch in process (JSON verdicts, every one redacted
// with its case's secrets; no journal, which a batch only writes when --journal names one)
// over 10,000 varied cases against a 10k+10k snapshot: its ns/case, cpu-ns/case (CPU time,
// steadier than the wall on a shared machine) and B/op, allocs/op are the batch's cost per
// case, snapshot indexing included. Read it one iteration a run: a second brings the same
// cases again, whose texts the shared memories of clean texts then answer, as no batch of
// varied cases sees. To read a change's gain, run it alternately on the previous build's tree.
//
//	for i in 1 2 3; do go test -run x -bench BatchVaried -benchtime 1x -benchmem ./cmd/triagem/; done
func BenchmarkBatchVaried(b *testing.B) {
	const n = 10_000
	cases, snap := writeVaried(b, n, n)
	b.ReportAllocs()
	cpu := selfCPU()
	for b.Loop() {
		var stderr bytes.Buffer
		a := &app{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr,
			getenv: func(string) string { return "" }}
		code := a.main(context.Background(), []string{"diagnose", "--jsonl", cases, "--directory", snap, "-o", "json"})
		if code > 1 {
			b.Fatalf("exit %d: %s", code, stderr.String())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/case")
	b.ReportMetric(float64((selfCPU()-cpu).Nanoseconds())/float64(b.N*n), "cpu-ns/case")
}
