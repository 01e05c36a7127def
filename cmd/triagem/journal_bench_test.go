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
// the difference (open the file, append the event, end), which the goal keeps under 2 ms.
// "process" ends the journal as the command-line process does (journal.Leave: its exit, not a
// checkpoint, releases the file); "close" closes it as a long-lived caller must.
//
// Each iteration appends one more event of the same failure within the incident window, so
// later iterations count more events for the incident rule than a real journal would hold.
//
//	go test -run x -bench JournalOverhead -benchtime 200x ./cmd/triagem/
func BenchmarkJournalOverhead(b *testing.B) {
	for _, exiting := range []bool{true, false} {
		name := map[bool]string{true: "process", false: "close"}[exiting]
		b.Run(name, func(b *testing.B) {
			db := filepath.Join(b.TempDir(), "journal.db")
			var left []*app
			diagnose := func(args ...string) time.Duration {
				var stdout, stderr bytes.Buffer
				a := &app{exiting: exiting, stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
					getenv: func(string) string { return "" }}
				args = append(args, "diagnose", "../../testdata/cases/token-expirado.yaml", "--directory", "../../testdata/directory.yaml")
				start := time.Now()
				if code := a.main(context.Background(), args); code > 1 {
					b.Fatalf("exit %d: %s", code, stderr.String())
				}
				d := time.Since(start)
				left = append(left, a)
				return d
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
			b.StopTimer()
			for _, a := range left { // what the process's exit would have released
				for _, j := range a.leftJournals {
					j.Close()
				}
			}
		})
	}
}
