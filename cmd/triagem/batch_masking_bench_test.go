package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

// BenchmarkBatchVariedNoJournal is BenchmarkBatchVaried without the journal (--no-journal):
// what the batch itself costs per case (parsing, the chain, learning each case's secrets,
// masking and writing its verdict), over 10,000 varied cases. To read the gain of a change,
// run it on the previous build's tree and on this one, alternately, and compare cpu-ns/case.
// One iteration per run: a second would bring the same 10,000 cases again, whose texts the
// shared memories of clean texts would then answer, as no batch of varied cases sees.
//
//	for i in 1 2 3; do go test -run x -bench BatchVariedNoJournal -benchtime 1x -benchmem ./cmd/triagem/; done
func BenchmarkBatchVariedNoJournal(b *testing.B) {
	const n = 10_000
	cases, snap := writeVaried(b, n, n)
	b.ReportAllocs()
	cpu := selfCPU()
	for b.Loop() {
		var stderr bytes.Buffer
		a := &app{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr,
			getenv: func(string) string { return "" }}
		code := a.main(context.Background(), []string{"diagnose", "--jsonl", cases, "--directory", snap, "-o", "json", "--no-journal"})
		if code > 1 {
			b.Fatalf("exit %d: %s", code, stderr.String())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/case")
	b.ReportMetric(float64((selfCPU()-cpu).Nanoseconds())/float64(b.N*n), "cpu-ns/case")
}
