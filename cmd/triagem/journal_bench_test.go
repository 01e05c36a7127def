package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkJournalOverhead is what the journal adds to one diagnosis, in process: the same
// case with a ticket diagnosed with --no-journal and with an SQLite --journal, one of each per
// iteration so that both see the same load on a shared machine. It reports each one's time and
// the difference (open the file, append the event, close), which the goal keeps under 2 ms.
//
//	go test -run x -bench JournalOverhead -benchtime 200x ./cmd/triagem/
func BenchmarkJournalOverhead(b *testing.B) {
	db := filepath.Join(b.TempDir(), "journal.db")
	diagnose := func(args ...string) time.Duration {
		var stdout, stderr bytes.Buffer
		a := &app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
			getenv: func(string) string { return "" }}
		args = append(args, "diagnose", "../../testdata/cases/token-expirado.yaml", "--directory", "../../testdata/directory.yaml")
		start := time.Now()
		if code := a.main(context.Background(), args); code > 1 {
			b.Fatalf("exit %d: %s", code, stderr.String())
		}
		return time.Since(start)
	}
	diagnose("--journal", db) // the file created and migrated once, as on a user's machine
	var without, with time.Duration
	for b.Loop() {
		without += diagnose("--no-journal")
		with += diagnose("--journal", db)
	}
	n := float64(b.N)
	b.ReportMetric(float64(without.Microseconds())/n/1000, "ms-no-journal")
	b.ReportMetric(float64(with.Microseconds())/n/1000, "ms-journal")
	b.ReportMetric(float64((with-without).Microseconds())/n/1000, "ms-overhead")
}
