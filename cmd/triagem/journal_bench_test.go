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
// In "process" and "close" each iteration appends one more event of the same failure within
// the incident window (all are recorded at once), so later iterations count hundreds of
// events for the incident rule, which no real journal holds in two hours. "process-spread"
// records each iteration three hours after the last: the window holds one of them, as a
// real journal holds the failures of its day.
//
//	go test -run x -bench JournalOverhead -benchtime 200x ./cmd/triagem/
func BenchmarkJournalOverhead(b *testing.B) {
	for _, run := range []struct {
		name            string
		exiting, spread bool
	}{{"process", true, false}, {"close", false, false}, {"process-spread", true, true}} {
		exiting := run.exiting
		b.Run(run.name, func(b *testing.B) {
			db := filepath.Join(b.TempDir(), "journal.db")
			var left []*app
			at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
			diagnose := func(args ...string) time.Duration {
				var stdout, stderr bytes.Buffer
				now := ""
				if run.spread {
					at = at.Add(3 * time.Hour)
					now = at.Format(time.RFC3339)
				}
				a := &app{exiting: exiting, stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
					getenv: func(k string) string {
						if k == "TRIAGEM_NOW" {
							return now
						}
						return ""
					}}
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
