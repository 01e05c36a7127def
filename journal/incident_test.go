package journal

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A failure opens an incident when the third distinct partner reports it within the window;
// the earlier cases and their tickets join it, a fourth is linked, other failures are not.
func TestIncidentOpensAtThePartnersThresholdAndLinksLaterCases(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 13, 0, 0, 0, time.UTC)
	for engine, j := range engines(t) {
		t.Run(engine, func(t *testing.T) {
			j.SetIncidentRule(IncidentRule{Partners: 3, Window: 2 * time.Hour})
			diag := func(ticket, partner, route, class string, at time.Time) *Event {
				t.Helper()
				ev := &Event{Ticket: ticket, Kind: KindDiagnose, At: at, Category: "no-apparent-cause", Partner: partner,
					Environment: "producao", Route: route, ErrorClass: class}
				if _, err := j.Record(ctx, ev); err != nil {
					t.Fatalf("recording %s: %v", ticket, err)
				}
				return ev
			}
			// Outside the window: does not count.
			if ev := diag("SUP-0", "p0", "/proposta", "no-apparent-cause/5xx", t0.Add(-3*time.Hour)); ev.Linked != nil {
				t.Fatalf("one partner opened %s", ev.Incident)
			}
			diag("SUP-1", "p1", "/proposta", "no-apparent-cause/5xx", t0)
			// The same partner twice is one partner; another class or route is another failure.
			diag("SUP-2", "p1", "/proposta", "no-apparent-cause/5xx", t0.Add(10*time.Minute))
			diag("SUP-3", "p2", "/proposta", "no-apparent-cause/4xx", t0.Add(20*time.Minute))
			diag("SUP-4", "p3", "/simulacao", "no-apparent-cause/5xx", t0.Add(25*time.Minute))
			if ev := diag("SUP-5", "p2", "/proposta", "no-apparent-cause/5xx", t0.Add(30*time.Minute)); ev.Linked != nil {
				t.Fatalf("two partners opened %s", ev.Incident)
			}
			third := diag("SUP-6", "p3", "/proposta", "no-apparent-cause/5xx", t0.Add(40*time.Minute))
			if third.Linked == nil || third.Linked.Partners != 3 || !third.Linked.OpenedAt.Equal(t0.Add(40*time.Minute)) {
				t.Fatalf("the third partner: linked %+v, want a new incident of 3 partners", third.Linked)
			}
			fourth := diag("", "p4", "/proposta", "no-apparent-cause/5xx", t0.Add(5*time.Hour))
			if fourth.Incident != third.Incident || fourth.Linked.Partners != 4 {
				t.Fatalf("the fourth: incident %q with %d partners, want %s with 4", fourth.Incident, fourth.Linked.Partners, third.Incident)
			}
			inc, err := j.Incident(ctx, third.Incident)
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"SUP-1", "SUP-2", "SUP-5", "SUP-6"}; !slices.Equal(inc.Tickets, want) || inc.Cases != 5 {
				t.Fatalf("incident holds tickets %v and %d cases, want %v and 5", inc.Tickets, inc.Cases, want)
			}
			for id, want := range map[string]string{"SUP-0": "", "SUP-3": "", "SUP-4": "", "SUP-1": inc.ID} {
				tk, err := j.Ticket(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if tk.Incident != want {
					t.Errorf("%s: incident %q, want %q", id, tk.Incident, want)
				}
			}
			// Closed, it takes no more cases; a new wave counts afresh.
			if _, err := j.CloseIncident(ctx, inc.ID, t0.Add(6*time.Hour), "corrigido"); err != nil {
				t.Fatal(err)
			}
			var se *StateError
			if _, err := j.CloseIncident(ctx, inc.ID, t0.Add(6*time.Hour), ""); !errors.As(err, &se) {
				t.Fatalf("closing twice: %v, want a StateError", err)
			}
			if ev := diag("SUP-7", "p1", "/proposta", "no-apparent-cause/5xx", t0.Add(7*time.Hour)); ev.Linked != nil {
				t.Fatalf("a case after the close joined %s", ev.Incident)
			}
			open, err := j.Incidents(ctx, false)
			if err != nil {
				t.Fatal(err)
			}
			all, err := j.Incidents(ctx, true)
			if err != nil {
				t.Fatal(err)
			}
			if len(open) != 0 || len(all) != 1 || all[0].Status != IncidentClosed || all[0].Note != "corrigido" {
				t.Fatalf("after the close: %d open, %d in all (%+v)", len(open), len(all), all)
			}
			var nf *IncidentNotFoundError
			if _, err := j.Incident(ctx, "INC-99"); !errors.As(err, &nf) {
				t.Fatalf("an unknown incident: %v", err)
			}
		})
	}
}

// An escalation finds the open incident of its ticket, or else of its failure; recorded with
// that incident, it links a ticket not yet linked; a closed incident is found no more.
func TestIncidentForAnEscalation(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 13, 0, 0, 0, time.UTC)
	for engine, j := range engines(t) {
		t.Run(engine, func(t *testing.T) {
			j.SetIncidentRule(IncidentRule{Partners: 3, Window: 2 * time.Hour})
			for i, p := range []string{"p1", "p2", "p3"} {
				ev := &Event{Ticket: fmt.Sprint("SUP-", i+1), Kind: KindDiagnose, At: t0.Add(time.Duration(i) * time.Minute), Category: "no-apparent-cause",
					Partner: p, Environment: "producao", Route: "/proposta", ErrorClass: "no-apparent-cause/5xx"}
				if _, err := j.Record(ctx, ev); err != nil {
					t.Fatal(err)
				}
			}
			find := func(ticket, route string) string {
				t.Helper()
				inc, err := j.IncidentFor(ctx, ticket, "producao", route, "no-apparent-cause/5xx")
				if err != nil {
					t.Fatal(err)
				}
				if inc == nil {
					return ""
				}
				return inc.ID
			}
			if got := find("SUP-2", "/other"); got != "INC-1" {
				t.Errorf("by its ticket: %q", got)
			}
			if got := find("SUP-9", "/proposta"); got != "INC-1" {
				t.Errorf("by its failure: %q", got)
			}
			if got := find("SUP-9", "/other"); got != "" {
				t.Errorf("another failure, an unknown ticket: %q", got)
			}
			tk, err := j.Record(ctx, &Event{Ticket: "SUP-9", Kind: KindEscalate, At: t0.Add(time.Hour), Category: "no-apparent-cause", Incident: "INC-1"})
			if err != nil || tk.Incident != "INC-1" || tk.Status != StatusEscalated {
				t.Fatalf("the escalation added to INC-1: %+v %v", tk, err)
			}
			if inc, _ := j.Incident(ctx, "INC-1"); !slices.Contains(inc.Tickets, "SUP-9") {
				t.Errorf("INC-1's tickets: %v", inc.Tickets)
			}
			if _, err := j.CloseIncident(ctx, "INC-1", t0.Add(2*time.Hour), ""); err != nil {
				t.Fatal(err)
			}
			if got := find("SUP-2", "/proposta"); got != "" {
				t.Errorf("a closed incident was found: %q", got)
			}
		})
	}
}

// Without a rule no incident opens; with one, an escalation does not count, a diagnosis does.
func TestIncidentNeedsTheRuleAndADiagnosis(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 13, 0, 0, 0, time.UTC)
	for engine, j := range engines(t) {
		t.Run(engine, func(t *testing.T) {
			rec := func(ticket, kind, partner string) *Event {
				t.Helper()
				ev := &Event{Ticket: ticket, Kind: kind, At: t0, Partner: partner, Environment: "producao", Route: "/x", ErrorClass: "c"}
				if _, err := j.Record(ctx, ev); err != nil {
					t.Fatal(err)
				}
				return ev
			}
			for _, p := range []string{"a", "b", "c"} {
				if ev := rec("T-"+p, KindDiagnose, p); ev.Linked != nil {
					t.Fatalf("no rule, yet %s opened", ev.Incident)
				}
			}
			j.SetIncidentRule(IncidentRule{Partners: 3, Window: time.Hour})
			if ev := rec("T-a", KindEscalate, "a"); ev.Linked != nil {
				t.Fatalf("an escalation opened %s", ev.Incident)
			}
			if ev := rec("T-d", KindDiagnose, "d"); ev.Linked == nil || ev.Linked.Partners != 4 {
				t.Fatalf("the rule set, a diagnosis: %+v, want an incident of 4 partners", ev.Linked)
			}
		})
	}
}

// BenchmarkIncidentMatch is recording a diagnosis whose failure is checked for an incident,
// with 200,000 earlier events in the journal (TRIAGEM_BENCH_EVENTS changes the number): 50
// routes × 4 classes over 30 days, a partner in 40. The cost the match adds is this less
// of the "off" run.
func BenchmarkIncidentMatch(b *testing.B) {
	ctx := context.Background()
	j, err := Open(ctx, filepath.Join(b.TempDir(), "journal.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	n := 200_000
	if v, err := strconv.Atoi(os.Getenv("TRIAGEM_BENCH_EVENTS")); err == nil && v > 0 {
		n = v
	}
	end := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	step := 30 * 24 * time.Hour / time.Duration(n) // spread over 30 days
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO events (ticket, kind, at, category, partner, environment, route, error_class) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	classes := []string{"no-apparent-cause/5xx", "token-expired/4xx", "request-syntax/4xx", "api-key-invalid"}
	for i := range n {
		at := end.Add(-step * time.Duration(i))
		if _, err := stmt.ExecContext(ctx, fmt.Sprintf("SUP-%d", i), KindDiagnose, at.UnixMicro(), "no-apparent-cause",
			fmt.Sprintf("p%d", i%40), "producao", fmt.Sprintf("POST /r%d", i%50), classes[i%4]); err != nil {
			b.Fatal(err)
		}
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if _, err := j.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	// off: the same append without the match, to tell what the match adds. on: a threshold
	// no failure reaches, so that every round does the full count.
	for _, rule := range []struct {
		name string
		r    IncidentRule
	}{{"off", IncidentRule{}}, {"on", IncidentRule{Partners: 1000, Window: 2 * time.Hour}}} {
		b.Run(rule.name, func(b *testing.B) {
			j.SetIncidentRule(rule.r)
			for i := range b.N {
				ev := &Event{Kind: KindDiagnose, At: end, Partner: fmt.Sprintf("p%d", i%40), Environment: "producao",
					Route: fmt.Sprintf("POST /r%d", i%50), ErrorClass: classes[i%4], Category: "no-apparent-cause"}
				if _, err := j.Record(ctx, ev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The incident rule's counts read indexes only, never the events' rows: in SQLite the columns
// they need sit after the stored case and verdict, and reading them from the rows walked
// every row's overflow pages (a batch of one failure slowed by milliseconds a case).
func TestIncidentCountsReadNoRow(t *testing.T) {
	ctx := context.Background()
	j, err := Open(ctx, filepath.Join(t.TempDir(), "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	for _, q := range []string{
		`SELECT COUNT(DISTINCT partner) FROM events WHERE environment = ? AND route = ? AND error_class = ? AND kind = ? AND at >= ? AND at <= ? AND partner <> '' AND incident = ''`,
		`SELECT COUNT(DISTINCT partner), COUNT(*) FROM events WHERE incident = ?`,
	} {
		args := make([]any, strings.Count(q, "?"))
		for i := range args {
			args[i] = "x"
		}
		rows, err := j.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		joined := strings.Join(plan, "; ")
		if strings.Contains(joined, "SEARCH events") && !strings.Contains(joined, "COVERING INDEX") || strings.Contains(joined, "SCAN events") {
			t.Errorf("%s\nplan: %s: the count reads the events' rows", q, joined)
		}
	}
}
