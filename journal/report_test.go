package journal

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/crefazon/triagem/rules"
)

// verdictWith is a stored verdict whose checks failed are those named (one passing check
// beside them, as real verdicts have).
func verdictWith(failed ...string) string {
	type check struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	checks := []check{{"request.endpoint", "pass"}}
	for _, id := range failed {
		checks = append(checks, check{id, "fail"})
	}
	b, _ := json.Marshal(map[string]any{"schema": "triagem.verdict/v1", "checks": checks})
	return string(b)
}

// reviewJournal records a fortnight's history (Monday 16 to Sunday 29 November 2026; Friday
// 20 is a holiday) whose figures are worked out by hand in TestReport.
func reviewJournal(t *testing.T, j *Journal) {
	t.Helper()
	ctx := context.Background()
	j.SetIncidentRule(IncidentRule{Partners: 3, Window: 2 * time.Hour})
	rec := func(when, ticket, kind, category, partner, verdict string) {
		t.Helper()
		ev := &Event{Ticket: ticket, Kind: kind, At: sp(t, when), Category: category, Partner: partner, VerdictJSON: verdict, Note: "x"}
		if _, err := j.Record(ctx, ev); err != nil {
			t.Fatalf("%s %s %s: %v", when, ticket, kind, err)
		}
	}
	failure := func(when, partner, route string) {
		t.Helper()
		ev := &Event{Kind: KindDiagnose, At: sp(t, when), Category: "no-apparent-cause", Partner: partner,
			Environment: "producao", Route: route, ErrorClass: "no-apparent-cause/5xx", VerdictJSON: verdictWith()}
		if _, err := j.Record(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	// An incident that opened and closed before the period.
	failure("2026-11-02 10:00", "p4", "POST /a")
	failure("2026-11-02 10:10", "p5", "POST /a")
	failure("2026-11-02 10:20", "p6", "POST /a")
	if _, err := j.CloseIncident(ctx, "INC-1", sp(t, "2026-11-03 10:00"), ""); err != nil {
		t.Fatal(err)
	}
	// T0 opened before the period: its diagnosis inside counts as a verdict, it is no ticket
	// of the period.
	rec("2026-11-13 10:00", "T0", KindDiagnose, "token-expired", "p3", verdictWith("token.expiry"))
	rec("2026-11-15 20:00", "", KindDiagnose, "token-expired", "p3", verdictWith("token.expiry"))
	rec("2026-11-17 10:00", "T0", KindDiagnose, "token-expired", "p3", verdictWith("token.expiry"))

	// T1: no apparent cause, answered after 1h30, escalated, resolved as token-invalid.
	rec("2026-11-16 09:00", "T1", KindDiagnose, "no-apparent-cause", "p1", verdictWith())
	rec("2026-11-16 10:30", "T1", KindReply, "", "", "")
	rec("2026-11-16 11:00", "T1", KindPartnerReply, "", "", "")
	rec("2026-11-16 12:00", "T1", KindEscalate, "no-apparent-cause", "p1", verdictWith())
	rec("2026-11-17 09:00", "T1", KindResolve, "token-invalid", "", "")
	// T2: judged twice, answered when the first-reply target ran out exactly, resolved as
	// triagem said.
	rec("2026-11-18 10:00", "T2", KindDiagnose, "no-apparent-cause", "p1", verdictWith())
	rec("2026-11-18 14:00", "T2", KindDiagnose, "token-expired", "p1", verdictWith("token.expiry"))
	rec("2026-11-18 14:30", "T2", KindReply, "", "", "")
	rec("2026-11-19 09:00", "T2", KindResolve, "token-expired", "", "")
	// T3: the same partner and category again, waiting for the partner ever since.
	rec("2026-11-19 16:00", "T3", KindDiagnose, "token-expired", "p1", verdictWith("token.expiry", "token.lifetime"))
	// A batch's verdict on the Saturday, without a ticket.
	rec("2026-11-21 10:00", "", KindDiagnose, "off-hours-routine", "p7", verdictWith("hours.business", "hours.routine"))

	// T4: no apparent cause on Monday 23, never answered.
	rec("2026-11-23 08:00", "T4", KindDiagnose, "no-apparent-cause", "p2", verdictWith())
	// T5: resolved, then the partner came back: the resolution did not hold.
	rec("2026-11-24 09:00", "T5", KindDiagnose, "request-syntax", "p2", verdictWith("payload.syntax"))
	rec("2026-11-24 09:30", "T5", KindReply, "", "", "")
	rec("2026-11-25 10:00", "T5", KindPartnerReply, "", "", "")
	rec("2026-11-25 15:00", "T5", KindResolve, "request-syntax", "", "")
	rec("2026-11-26 09:00", "T5", KindPartnerReply, "", "", "")
	// Three partners, the same failure: INC-2.
	failure("2026-11-25 11:00", "p4", "POST /b")
	failure("2026-11-25 11:10", "p5", "POST /b")
	failure("2026-11-25 11:20", "p6", "POST /b")
	// A stored verdict that is not JSON fails no check, and is still a verdict.
	rec("2026-11-26 12:00", "", KindDiagnose, "request-syntax", "p8", "{oops")
	// Sunday 29 at 23:00 in São Paulo is Monday 30 in UTC: still the week of the 23rd.
	rec("2026-11-29 23:00", "", KindDiagnose, "api-key-invalid", "p9", verdictWith("key.exists"))
	// After the period.
	rec("2026-11-30 10:00", "T4", KindReply, "", "", "")
	rec("2026-11-30 10:00", "", KindDiagnose, "token-expired", "p9", verdictWith("token.expiry"))
}

func TestReport(t *testing.T) {
	for name, j := range engines(t) {
		t.Run(name, func(t *testing.T) {
			reviewJournal(t, j)
			rl := defaultRules(t)
			r, err := j.Report(context.Background(), rl, sp(t, "2026-11-16 00:00"), sp(t, "2026-11-30 00:00"))
			if err != nil {
				t.Fatal(err)
			}
			f := func(v float64) *float64 { return &v }
			m := func(v int64) *int64 { return &v }
			check := func(what string, got, want any) {
				t.Helper()
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: got %s, want %s", what, show(got), show(want))
				}
			}
			check("verdicts", r.Diagnoses, 13)
			check("weeks", r.Weeks, []Week{
				{Week: "2026-W47", Start: "2026-11-16", Total: 6, Categories: map[string]int{"no-apparent-cause": 2, "token-expired": 3, "off-hours-routine": 1}},
				{Week: "2026-W48", Start: "2026-11-23", Total: 7, Categories: map[string]int{"no-apparent-cause": 4, "request-syntax": 2, "api-key-invalid": 1}},
			})
			check("tickets", r.Tickets, 5)
			check("repeats", r.Repeats, []Repeat{{Partner: "p1", Category: "token-expired", Tickets: []string{"T2", "T3"}}})
			check("accuracy", r.Accuracy, Accuracy{Resolved: 2, Matched: 1, Rate: f(0.5), Categories: []CategoryAccuracy{
				{Category: "token-expired", Resolved: 1, Matched: 1, Rate: f(1), Verdicts: map[string]int{"token-expired": 1}},
				{Category: "token-invalid", Resolved: 1, Matched: 0, Rate: f(0), Verdicts: map[string]int{"no-apparent-cause": 1}},
			}})
			// First reply: T1 in 1h30, T2 in 4h00 (its target), T5 at once; T4 late; T3 within.
			check("first reply", r.FirstReply, Attainment{Met: 3, Missed: 1, Pending: 1, Rate: f(0.75), MedianMinutes: m(90), Measured: 3})
			// Resolution: T1 in 9h30, T2 in 4h00; T4 (50h) and T5 (5h + 19h reopened) late.
			check("resolution", r.Resolution, Attainment{Met: 2, Missed: 2, Pending: 1, Rate: f(0.5), MedianMinutes: m(405), Measured: 2})
			check("escalated", r.Escalated, 1)
			check("escalation rate", r.EscalationRate, f(0.2))
			var ids []string
			for _, c := range r.FailingChecks {
				ids = append(ids, fmt.Sprintf("%s=%d", c.Check, c.Failed))
			}
			check("failing checks", ids, []string{"token.expiry=3", "hours.business=1", "hours.routine=1", "key.exists=1", "payload.syntax=1", "token.lifetime=1"})
			if s := r.FailingChecks[0].Share; math.Abs(s-3.0/13) > 1e-9 {
				t.Errorf("token.expiry's share: %v, want 3/13", s)
			}
			if len(r.Incidents) != 1 || r.Incidents[0].ID != "INC-2" || r.Incidents[0].Partners != 3 || r.Incidents[0].Cases != 3 {
				t.Errorf("incidents: %s, want INC-2 alone, of 3 partners and 3 cases", show(r.Incidents))
			}

			// An empty period measures nothing: no rate is 0 %.
			e, err := j.Report(context.Background(), rl, sp(t, "2026-10-05 00:00"), sp(t, "2026-10-06 00:00"))
			if err != nil {
				t.Fatal(err)
			}
			if e.Diagnoses != 0 || e.Tickets != 0 || e.EscalationRate != nil || e.Accuracy.Rate != nil || e.FirstReply.Rate != nil || e.FirstReply.MedianMinutes != nil || len(e.Weeks) != 1 {
				t.Errorf("an empty day: %s", show(e))
			}
			if _, err := j.Report(context.Background(), rl, sp(t, "2026-11-30 00:00"), sp(t, "2026-11-30 00:00")); err == nil {
				t.Error("a period that ends where it starts: want an error")
			}
		})
	}
}

func show(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestFailedChecksOfEarlierEvents: the migration derives the failed checks of the events a
// journal held before it, as the trigger does for new ones.
func TestFailedChecksOfEarlierEvents(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journal.db")
	j, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// The journal as a triagem before migration 3 left it: no version 3 to 5, no user_version.
	if _, err := j.db.ExecContext(ctx, `PRAGMA user_version = 0`); err != nil {
		t.Fatal(err)
	}
	if _, err := j.db.ExecContext(ctx, `DELETE FROM goose_db_version WHERE version_id >= 3`); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{`DROP INDEX events_report`, `DROP INDEX events_clock`, `DROP INDEX tickets_opened`, `DROP TRIGGER events_failed_checks`, `ALTER TABLE events DROP COLUMN failed_checks`,
		`DROP INDEX events_failure`, `CREATE INDEX events_failure ON events (environment, route, error_class, at)`,
		`DROP INDEX events_incident`, `CREATE INDEX events_incident ON events (incident)`, `CREATE INDEX events_ticket ON events (ticket, id)`, `CREATE INDEX events_at ON events (at)`} {
		if _, err := j.db.ExecContext(ctx, stmt); err != nil {
			t.Fatal(stmt, err)
		}
	}
	for i, v := range []string{verdictWith("token.expiry", "token.lifetime"), verdictWith(), "", "{oops"} {
		if _, err := j.db.ExecContext(ctx, `INSERT INTO events (kind, at, category, verdict_json) VALUES (?, ?, ?, ?)`, KindDiagnose, sp(t, "2026-11-16 10:00").UnixMicro()+int64(i), "x", v); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()
	if j, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	r, err := j.Report(ctx, defaultRules(t), sp(t, "2026-11-16 00:00"), sp(t, "2026-11-17 00:00"))
	if err != nil {
		t.Fatal(err)
	}
	if got := show(r.FailingChecks); got != `[{"check":"token.expiry","failed":1,"share":0.25},{"check":"token.lifetime","failed":1,"share":0.25}]` {
		t.Errorf("failing checks after the migration: %s", got)
	}
}

// BenchmarkReport1M is the review of 90 days over a SQLite journal of 1,000,000 varied events
// (about 190,000 tickets through their whole lives, a fifth of the verdicts from batches
// without a ticket, 120 days). The journal is built once per machine under the temporary
// folder (TRIAGEM_BENCH_JOURNAL names another file) and reused: building it takes a minute.
func BenchmarkReport1M(b *testing.B) {
	ctx := context.Background()
	path := os.Getenv("TRIAGEM_BENCH_JOURNAL")
	if path == "" {
		path = filepath.Join(os.TempDir(), "triagem-bench-report-1m-v2.db")
	}
	end := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	if _, err := os.Stat(path); err != nil {
		if err := fillReportJournal(ctx, path+".part", end, 1_000_000); err != nil {
			os.Remove(path + ".part")
			b.Fatal(err)
		}
		if err := os.Rename(path+".part", path); err != nil {
			b.Fatal(err)
		}
		os.Remove(path + ".part-wal")
		os.Remove(path + ".part-shm")
	}
	j, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	n, err := j.CountEvents(ctx)
	if err != nil || n < 1_000_000 {
		b.Fatalf("%s holds %d events (%v): delete it to build it again", path, n, err)
	}
	rl, err := rulesForBench()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		r, err := j.Report(ctx, rl, end.Add(-90*24*time.Hour), end)
		if err != nil {
			b.Fatal(err)
		}
		if r.Diagnoses == 0 || r.Tickets == 0 || len(r.FailingChecks) == 0 {
			b.Fatalf("an empty review: %d verdicts, %d tickets", r.Diagnoses, r.Tickets)
		}
	}
}

func rulesForBench() (*rules.Rules, error) { return rules.Default() }

// benchChecks are the checks of a verdict, in the chain's order, and which fail for each
// category (two variants where the contract gives two causes).
var (
	benchChecks = []string{"request.endpoint", "key.partner", "key.exists", "key.active", "key.environment", "user.active",
		"user.key-binding", "token.format", "token.lifetime", "token.not-before", "token.expiry", "token.signature",
		"product.api", "product.version", "payload.syntax", "hours.business", "hours.routine", "error.known", "evidence.complete"}
	benchFailing = map[string][][]string{
		"api-key-invalid":     {{"key.exists"}, {"key.environment"}},
		"user-blocked":        {{"user.active"}},
		"user-key-mismatch":   {{"user.key-binding"}},
		"token-expired":       {{"token.expiry"}, {"token.expiry", "token.lifetime"}},
		"token-invalid":       {{"token.format"}, {"token.lifetime"}},
		"product-version":     {{"product.version"}},
		"request-syntax":      {{"payload.syntax"}},
		"off-hours-routine":   {{"hours.business", "hours.routine"}, {"hours.business"}},
		"evidence-incomplete": {{"evidence.complete"}},
		"no-apparent-cause":   {{}},
	}
	benchCategories = []string{"token-expired", "token-expired", "request-syntax", "request-syntax", "api-key-invalid", "evidence-incomplete",
		"evidence-incomplete", "no-apparent-cause", "no-apparent-cause", "off-hours-routine", "user-blocked", "token-invalid", "user-key-mismatch", "product-version"}
)

// benchVerdict is a stored verdict of the category, as large as a real one's checks.
func benchVerdict(category string, variant int) string {
	options := benchFailing[category]
	failed := map[string]bool{}
	for _, id := range options[variant%len(options)] {
		failed[id] = true
	}
	type check struct {
		ID      string `json:"id"`
		Status  string `json:"status"`
		Section string `json:"section"`
		Message string `json:"message"`
	}
	var cs []check
	for _, id := range benchChecks {
		st := "pass"
		if failed[id] {
			st = "fail"
		}
		cs = append(cs, check{id, st, "3.3", "uma mensagem do tamanho das reais, sobre o que a verificação " + id + " encontrou"})
	}
	b, _ := json.Marshal(map[string]any{"schema": "triagem.verdict/v1", "category": category, "checks": cs,
		"reply": strings.Repeat("Texto da resposta ao parceiro. ", 40)})
	return string(b)
}

// fillReportJournal writes n events (about) into a new journal at path, in one transaction:
// tickets through their lives (statuses moved by next, as Record moves them) and batch
// verdicts without a ticket, spread over the 120 days before end.
func fillReportJournal(ctx context.Context, path string, end time.Time, n int) error {
	os.Remove(path)
	j, err := Open(ctx, path)
	if err != nil {
		return err
	}
	defer j.Close()
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO events (ticket, kind, at, status, category, partner, note, os_user, triagem_version, rules_name, rules_version, rules_sha256, case_yaml, verdict_json)
VALUES (?, ?, ?, ?, ?, ?, ?, 'analista', '1.0.0', 'crefazon-default', '2026.11.1', 'be76b9ff78a6af36c7bf9cf0420eabe1e2ee69253d619abda34e19a056d78eb8', ?, ?)`)
	if err != nil {
		return err
	}
	tins, err := tx.PrepareContext(ctx, `INSERT INTO tickets (id, status, partner, category, final_category, solution, opened_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	verdicts := map[string][]string{}
	for c := range benchFailing {
		verdicts[c] = []string{benchVerdict(c, 0), benchVerdict(c, 1)}
	}
	caseYAML := "request:\n  method: POST\n  url: https://api-externo.crefazon.com.br/api/v2/propostas\n" + strings.Repeat("  # campo mascarado\n", 40)
	rnd := rand.New(rand.NewPCG(1, 2))
	span := 120 * 24 * time.Hour
	count := 0
	for ticket := 0; count < n; ticket++ {
		start := end.Add(-time.Duration(rnd.Int64N(int64(span))))
		partner := fmt.Sprintf("parceiro-%03d", rnd.IntN(400))
		category := benchCategories[rnd.IntN(len(benchCategories))]
		if rnd.IntN(5) == 0 { // a batch's verdict, without a ticket
			if _, err := ins.ExecContext(ctx, "", KindDiagnose, start.UnixMicro(), "", category, partner, "", caseYAML, verdicts[category][rnd.IntN(2)]); err != nil {
				return err
			}
			count++
			continue
		}
		id := fmt.Sprintf("SUP-%d", 100000+ticket)
		status, at, verdict, final := StatusNew, start, "", ""
		add := func(kind, cat string) error {
			ev := &Event{Kind: kind, Category: cat}
			if kind != KindOpen {
				next, err := next(id, status, ev)
				if err != nil {
					return err
				}
				status = next
			}
			v, c := "", ""
			if kind == KindDiagnose || kind == KindEscalate {
				v, c, verdict = verdicts[cat][rnd.IntN(2)], caseYAML, cat
			}
			if kind == KindResolve {
				final = cat
			}
			_, err := ins.ExecContext(ctx, id, kind, at.UnixMicro(), status, cat, partner, "nota", c, v)
			count++
			return err
		}
		later := func(max time.Duration) { at = at.Add(time.Minute + time.Duration(rnd.Int64N(int64(max)))) }
		steps := []func() error{
			func() error { return add(KindOpen, "") },
			func() error { return add(KindDiagnose, category) },
		}
		if rnd.IntN(10) < 3 { // the partner sends more, and triagem judges again
			steps = append(steps, func() error { later(20 * time.Hour); return add(KindPartnerReply, "") },
				func() error {
					later(time.Hour)
					return add(KindDiagnose, benchCategories[rnd.IntN(len(benchCategories))])
				})
		}
		if rnd.IntN(10) < 9 {
			steps = append(steps, func() error { later(6 * time.Hour); return add(KindReply, "") })
		}
		if category == "no-apparent-cause" && rnd.IntN(3) == 0 {
			steps = append(steps, func() error { later(8 * time.Hour); return add(KindEscalate, category) })
		}
		if rnd.IntN(10) < 8 {
			steps = append(steps, func() error {
				later(48 * time.Hour)
				f := verdict
				if rnd.IntN(5) == 0 {
					f = benchCategories[rnd.IntN(len(benchCategories))]
				}
				return add(KindResolve, f)
			})
			if rnd.IntN(10) < 7 {
				steps = append(steps, func() error { at = at.Add(72 * time.Hour); return add(KindAutoClose, "") })
			}
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		if _, err := tins.ExecContext(ctx, id, status, partner, verdict, final, "", start.UnixMicro(), at.UnixMicro()); err != nil {
			return err
		}
	}
	ins.Close()
	tins.Close()
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = j.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// TestWeeksAcrossAClockChange: in a time zone that changes its offset within the period
// (New York leaves summer time on Sunday 1 November 2026), every verdict still falls in its
// local ISO week; with one offset for the whole period, the Sunday night would fall into the
// next week.
func TestWeeksAcrossAClockChange(t *testing.T) {
	rl, err := rules.Load("regras.yaml", []byte(strings.Replace(string(rules.DefaultYAML()), "timezone: America/Sao_Paulo", "timezone: America/New_York", 1)))
	if err != nil {
		t.Fatal(err)
	}
	loc := rl.Location()
	ny := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if _, ok := steadyOffset(loc, ny("2026-10-26 00:00"), ny("2026-11-09 00:00")); ok {
		t.Fatal("New York's offset changes on 1 November: not steady")
	}
	if _, ok := steadyOffset(loc, ny("2026-11-02 00:00"), ny("2026-11-30 00:00")); !ok {
		t.Error("New York's offset does not change in November after the 1st: steady")
	}
	for name, j := range engines(t) {
		t.Run(name, func(t *testing.T) {
			for _, at := range []string{"2026-10-31 23:50", "2026-11-01 23:30", "2026-11-02 00:15"} {
				if _, err := j.Record(context.Background(), &Event{Kind: KindDiagnose, At: ny(at), Category: "token-expired"}); err != nil {
					t.Fatal(err)
				}
			}
			r, err := j.Report(context.Background(), rl, ny("2026-10-26 00:00"), ny("2026-11-09 00:00"))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range r.Weeks {
				got = append(got, fmt.Sprintf("%s=%d", w.Week, w.Total))
			}
			if want := []string{"2026-W44=2", "2026-W45=1"}; !reflect.DeepEqual(got, want) {
				t.Errorf("weeks %v, want %v", got, want)
			}
		})
	}
}
