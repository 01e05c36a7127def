package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crefazon/triagem/rules"
)

// engines opens a fresh journal on each engine under test: SQLite always, PostgreSQL when
// TRIAGEM_TEST_POSTGRES holds a DSN (each test in a schema of its own).
func engines(t *testing.T) map[string]*Journal {
	t.Helper()
	out := map[string]*Journal{}
	j, err := Open(context.Background(), filepath.Join(t.TempDir(), "data", "journal.db"))
	if err != nil {
		t.Fatalf("opening SQLite: %v", err)
	}
	t.Cleanup(func() { j.Close() })
	out[SQLite] = j
	if dsn := postgresDSN(t); dsn != "" {
		pj, err := Open(context.Background(), dsn)
		if err != nil {
			t.Fatalf("opening PostgreSQL: %v", err)
		}
		t.Cleanup(func() { pj.Close() })
		out[Postgres] = pj
	}
	return out
}

var schemaSeq struct {
	sync.Mutex
	n int
}

// postgresDSN returns a DSN to a schema of its own on the server TRIAGEM_TEST_POSTGRES
// names, dropped when the test ends; "" when the variable is unset.
func postgresDSN(t *testing.T) string {
	base := os.Getenv("TRIAGEM_TEST_POSTGRES")
	if base == "" {
		return ""
	}
	schemaSeq.Lock()
	schemaSeq.n++
	name := fmt.Sprintf("t%d_%d", time.Now().UnixNano(), schemaSeq.n)
	schemaSeq.Unlock()
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE SCHEMA ` + name); err != nil {
		t.Fatalf("TRIAGEM_TEST_POSTGRES: creating a schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err == nil {
			db.Exec(`DROP SCHEMA ` + name + ` CASCADE`)
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

func defaultRules(t *testing.T) *rules.Rules {
	t.Helper()
	rl, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	return rl
}

// sp is a local time in São Paulo.
func sp(t *testing.T, s string) time.Time {
	t.Helper()
	loc, _ := time.LoadLocation("America/Sao_Paulo")
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestNext(t *testing.T) {
	cases := []struct {
		status, kind, category string
		want                   string // "" : refused
	}{
		{StatusNew, KindDiagnose, "token-expired", StatusWaiting},
		{StatusNew, KindDiagnose, "evidence-incomplete", StatusWaiting},
		{StatusNew, KindDiagnose, "no-apparent-cause", StatusAnalysis},
		{StatusWaiting, KindEscalate, "no-apparent-cause", StatusEscalated},
		{StatusResolved, KindDiagnose, "request-syntax", StatusWaiting},
		{StatusAnalysis, KindReply, "", StatusWaiting},
		{StatusResolved, KindReply, "", StatusResolved},
		{StatusClosed, KindReply, "", ""},
		{StatusResolved, KindPartnerReply, "", StatusAnalysis},
		{StatusClosed, KindPartnerReply, "", ""},
		{StatusEscalated, KindResolve, "token-invalid", StatusResolved},
		{StatusResolved, KindResolve, "token-invalid", ""},
		{StatusClosed, KindResolve, "token-invalid", ""},
		{StatusResolved, KindClose, "", StatusClosed},
		{StatusClosed, KindClose, "", ""},
		{StatusResolved, KindAutoClose, "", StatusClosed},
		{StatusClosed, KindReopen, "", StatusAnalysis},
		{StatusResolved, KindReopen, "", StatusAnalysis},
		{StatusWaiting, KindReopen, "", ""},
		{StatusAnalysis, KindSend, "no-apparent-cause", StatusEscalated},
		{StatusEscalated, KindSend, "no-apparent-cause", StatusEscalated},
		{StatusAnalysis, KindSendFailed, "no-apparent-cause", StatusAnalysis},
		{StatusEscalated, KindSendFailed, "", StatusEscalated},
		{StatusNew, KindReplay, "", StatusAnalysis},
		{StatusWaiting, KindReplay, "", StatusWaiting},
		{StatusEscalated, KindReplay, "", StatusEscalated},
		{StatusClosed, KindReplay, "", StatusClosed},
	}
	for _, c := range cases {
		got, err := next("SUP-1", c.status, &Event{Kind: c.kind, Category: c.category})
		var se *StateError
		switch {
		case c.want == "" && !errors.As(err, &se):
			t.Errorf("%s + %s: got %q, %v; want refused", c.status, c.kind, got, err)
		case c.want != "" && (err != nil || got != c.want):
			t.Errorf("%s + %s: got %q, %v; want %s", c.status, c.kind, got, err, c.want)
		}
	}
}

func TestFollowUpID(t *testing.T) {
	for in, want := range map[string]string{"SUP-4821": "SUP-4821+1", "SUP-4821+1": "SUP-4821+2", "A+B": "A+B+1", "X+09": "X+09+1"} {
		if got := followUpID(in); got != want {
			t.Errorf("followUpID(%q) = %q, want %q", in, got, want)
		}
	}
}

// A ticket's whole life on each engine: opened by a diagnosis, escalated, answered, resolved
// with a final classification, closed by the rules' days, then continued by a follow-up.
func TestTicketLife(t *testing.T) {
	rl := defaultRules(t)
	for name, j := range engines(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			rec := func(ev Event) *Ticket {
				t.Helper()
				tk, err := j.Record(ctx, &ev)
				if err != nil {
					t.Fatalf("%s: %v", ev.Kind, err)
				}
				return tk
			}
			if _, err := j.Record(ctx, &Event{Ticket: "SUP-9", Kind: KindReply}); !errors.As(err, new(*NotFoundError)) {
				t.Fatalf("a reply to an unknown ticket: %v, want NotFoundError", err)
			}
			tk := rec(Event{Ticket: "SUP-1", Kind: KindDiagnose, Category: "evidence-incomplete", Partner: "Parceiro A", At: sp(t, "2026-11-19 16:00")})
			if tk.Status != StatusWaiting {
				t.Fatalf("after a verdict asking for evidence: %s", tk.Status)
			}
			tk = rec(Event{Ticket: "SUP-1", Kind: KindDiagnose, Category: "no-apparent-cause", At: sp(t, "2026-11-23 09:00")})
			if tk.Status != StatusAnalysis || tk.Partner != "Parceiro A" {
				t.Fatalf("after no apparent cause: %+v", tk)
			}
			tk = rec(Event{Ticket: "SUP-1", Kind: KindEscalate, Category: "no-apparent-cause", At: sp(t, "2026-11-23 10:00")})
			if tk.Status != StatusEscalated {
				t.Fatalf("after escalate: %s", tk.Status)
			}
			rec(Event{Ticket: "SUP-1", Kind: KindReply, Note: "estamos analisando", At: sp(t, "2026-11-23 11:00")})
			tk = rec(Event{Ticket: "SUP-1", Kind: KindResolve, Category: "token-invalid", Note: "token de outro ambiente", At: sp(t, "2026-11-24 10:00")})
			if tk.Status != StatusResolved || tk.FinalCategory != "token-invalid" || tk.Category != "no-apparent-cause" {
				t.Fatalf("after resolve: %+v", tk)
			}
			// Resolved on Tuesday: three business days later is Friday at closing.
			closed, err := j.Sweep(ctx, rl, sp(t, "2026-11-27 17:59"), Event{})
			if err != nil || len(closed) != 0 {
				t.Fatalf("sweep before time: %v %v", closed, err)
			}
			closed, err = j.Sweep(ctx, rl, sp(t, "2026-11-30 09:00"), Event{})
			if err != nil || len(closed) != 1 || closed[0].Status != StatusClosed {
				t.Fatalf("sweep after time: %v %v", closed, err)
			}
			// News on a closed ticket opens a follow-up that continues it.
			tk = rec(Event{Ticket: "SUP-1", Kind: KindDiagnose, Category: "token-expired", At: sp(t, "2026-12-01 09:00")})
			if tk.ID != "SUP-1+1" || tk.FollowUpOf != "SUP-1" || tk.Status != StatusWaiting {
				t.Fatalf("follow-up: %+v", tk)
			}
			tk = rec(Event{Ticket: "SUP-1", Kind: KindDiagnose, Category: "no-apparent-cause", At: sp(t, "2026-12-01 10:00")})
			if tk.ID != "SUP-1+1" || tk.Status != StatusAnalysis {
				t.Fatalf("the closed ticket's news goes to its follow-up: %+v", tk)
			}
			orig, err := j.Ticket(ctx, "SUP-1")
			if err != nil || orig.Status != StatusClosed || orig.FollowedBy != "SUP-1+1" {
				t.Fatalf("the original: %+v %v", orig, err)
			}
			evs, err := j.Events(ctx, "SUP-1")
			if err != nil {
				t.Fatal(err)
			}
			var kinds, statuses []string
			for _, e := range evs {
				kinds = append(kinds, e.Kind)
				statuses = append(statuses, e.Status)
			}
			want := []string{KindOpen, KindDiagnose, KindDiagnose, KindEscalate, KindReply, KindResolve, KindAutoClose}
			if fmt.Sprint(kinds) != fmt.Sprint(want) {
				t.Errorf("events: %v, want %v", kinds, want)
			}
			wantSt := []string{StatusNew, StatusWaiting, StatusAnalysis, StatusEscalated, StatusWaiting, StatusResolved, StatusClosed}
			if fmt.Sprint(statuses) != fmt.Sprint(wantSt) {
				t.Errorf("statuses: %v, want %v", statuses, wantSt)
			}
			if evs[6].At != sp(t, "2026-11-27 18:00").UTC() {
				t.Errorf("auto-close dated %v, want the end of the third business day", evs[6].At)
			}
			// The business-hours clock: Thu 16:00 → Mon 09:00 waited for the partner (paused);
			// analysis Mon 09:00 → 11:00 until the first reply; then waiting until resolved.
			c := ClockOf(rl, orig, evs, sp(t, "2026-12-01 12:00"))
			if !c.Replied || c.FirstReply != 2*time.Hour || c.Resolution != 2*time.Hour || !c.Resolved {
				t.Errorf("clock: %+v", c)
			}
			list, err := j.Tickets(ctx, StatusClosed)
			if err != nil || len(list) != 1 || list[0].ID != "SUP-1" {
				t.Errorf("closed tickets: %v %v", list, err)
			}
		})
	}
}

// A send and a replay bring a ticket the journal does not hold yet into it (the bundle may
// have been built elsewhere); a failed send or a replay leaves a closed ticket closed, where a
// successful send of news opens its follow-up.
func TestSendAndReplayEvents(t *testing.T) {
	for name, j := range engines(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			rec := func(ev Event) *Ticket {
				t.Helper()
				tk, err := j.Record(ctx, &ev)
				if err != nil {
					t.Fatalf("%s: %v", ev.Kind, err)
				}
				return tk
			}
			if tk := rec(Event{Ticket: "SUP-7", Kind: KindReplay, Note: "HTTP 503"}); tk.Status != StatusAnalysis {
				t.Errorf("a replay of an unknown ticket: %+v", tk)
			}
			if tk := rec(Event{Ticket: "SUP-7", Kind: KindSendFailed, Category: "no-apparent-cause"}); tk.Status != StatusAnalysis {
				t.Errorf("a failed send moved the ticket: %+v", tk)
			}
			if tk := rec(Event{Ticket: "SUP-7", Kind: KindSend, Category: "no-apparent-cause"}); tk.Status != StatusEscalated || tk.Category != "no-apparent-cause" {
				t.Errorf("after a send: %+v", tk)
			}
			if tk := rec(Event{Ticket: "SUP-8", Kind: KindSend, Category: "no-apparent-cause"}); tk.Status != StatusEscalated {
				t.Errorf("a send of a bundle built elsewhere: %+v", tk)
			}
			rec(Event{Ticket: "SUP-7", Kind: KindClose})
			if tk := rec(Event{Ticket: "SUP-7", Kind: KindReplay}); tk.ID != "SUP-7" || tk.Status != StatusClosed {
				t.Errorf("a replay of a closed ticket: %+v", tk)
			}
			if tk := rec(Event{Ticket: "SUP-7", Kind: KindSendFailed}); tk.ID != "SUP-7" || tk.Status != StatusClosed {
				t.Errorf("a failed send of a closed ticket: %+v", tk)
			}
			if tk := rec(Event{Ticket: "SUP-7", Kind: KindSend, Category: "no-apparent-cause"}); tk.ID != "SUP-7+1" || tk.Status != StatusEscalated {
				t.Errorf("a send on a closed ticket: %+v", tk)
			}
			evs, err := j.Events(ctx, "SUP-7")
			if err != nil {
				t.Fatal(err)
			}
			var kinds []string
			for _, e := range evs {
				kinds = append(kinds, e.Kind+"→"+e.Status)
			}
			want := "[open→novo replay→em-analise send-failed→em-analise send→escalado close→fechado replay→fechado send-failed→fechado]"
			if fmt.Sprint(kinds) != want {
				t.Errorf("events: %v, want %s", kinds, want)
			}
		})
	}
}

// Ten writers appending to the same journal lose no event and leave each ticket's state
// agreeing with its events.
func TestConcurrentWriters(t *testing.T) {
	const writers, each = 10, 100
	for name, j := range engines(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			var wg sync.WaitGroup
			errs := make(chan error, writers)
			for w := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range each {
						ev := &Event{Ticket: fmt.Sprintf("SUP-%d", i%7), Kind: KindDiagnose, Category: "token-expired", Partner: fmt.Sprint("P", w)}
						if _, err := j.Record(ctx, ev); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			n, err := j.CountEvents(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n != writers*each+7 { // and one opening event per ticket
				t.Errorf("events: %d, want %d", n, writers*each+7)
			}
		})
	}
}

func TestBusinessTime(t *testing.T) {
	rl := defaultRules(t)
	cases := []struct {
		from, to string
		want     time.Duration
	}{
		{"2026-11-19 16:00", "2026-11-23 10:00", 4 * time.Hour},  // a holiday (20 Nov) and a weekend in between
		{"2026-11-21 10:00", "2026-11-22 23:00", 0},              // a weekend
		{"2026-11-23 07:00", "2026-11-23 19:00", 10 * time.Hour}, // a whole day
		{"2026-11-23 12:00", "2026-11-23 11:00", 0},              // backwards
		{"2026-02-16 08:00", "2026-02-18 18:00", 6 * time.Hour},  // Carnival, then Ash Wednesday from 12:00
	}
	for _, c := range cases {
		if got := BusinessTime(rl, sp(t, c.from), sp(t, c.to)); got != c.want {
			t.Errorf("%s → %s: %v, want %v", c.from, c.to, got, c.want)
		}
	}
	if got := CloseAfter(rl, sp(t, "2026-11-19 10:00"), 1); !got.Equal(sp(t, "2026-11-23 18:00")) {
		t.Errorf("one business day after Thursday 19 Nov (Friday a holiday): %v", got)
	}
}

func TestDefaultPath(t *testing.T) {
	env := map[string]string{"HOME": "/home/ana"}
	p, err := DefaultPath(func(k string) string { return env[k] })
	if err != nil || filepath.Base(p) != "journal.db" {
		t.Fatalf("%q %v", p, err)
	}
	if _, err := DefaultPath(func(string) string { return "" }); err == nil {
		t.Error("no HOME: want an error")
	}
}

func TestName(t *testing.T) {
	for dsn, want := range map[string]string{
		"postgres://triagem:s3nha@db:5432/j?sslmode=disable": "PostgreSQL db:5432/j",
		"postgresql://db/diario":                             "PostgreSQL db/diario",
		"/home/ana/.local/share/triagem/journal.db":          "/home/ana/.local/share/triagem/journal.db",
	} {
		if got := Name(dsn); got != want {
			t.Errorf("Name(%q) = %q, want %q", dsn, got, want)
		}
	}
}

// BenchmarkRecord is what journaling adds to one diagnosis: one event appended to a ticket
// (the case and verdict of a typical size), on SQLite.
func BenchmarkRecord(b *testing.B) {
	j, err := Open(context.Background(), filepath.Join(b.TempDir(), "journal.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	caseYAML := string(make([]byte, 2048))
	verdict := string(make([]byte, 6144))
	b.ResetTimer()
	for i := range b.N {
		ev := &Event{Ticket: fmt.Sprintf("SUP-%d", i%500), Kind: KindDiagnose, Category: "token-expired", CaseYAML: caseYAML, VerdictJSON: verdict}
		if _, err := j.Record(context.Background(), ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen is opening an existing journal (the migrations already applied).
func BenchmarkOpen(b *testing.B) {
	path := filepath.Join(b.TempDir(), "journal.db")
	j, err := Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	j.Close()
	b.ResetTimer()
	for range b.N {
		j, err := Open(context.Background(), path)
		if err != nil {
			b.Fatal(err)
		}
		j.Close()
	}
}

// A process that leaves an SQLite journal (Leave: no close, no checkpoint) hands the next
// one a file whose write-ahead log holds its events: they are read, and more are appended.
func TestLeftJournalIsReadByTheNext(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "journal.db")
	first, err := Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.Record(ctx, &Event{Ticket: "SUP-1", Kind: KindDiagnose, Category: "token-expired", Partner: "Parceiro A", At: sp(t, "2026-11-19 16:00")}); err != nil {
		t.Fatal(err)
	}
	if err := first.Leave(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { first.Close() }) // what the first process's exit releases
	if fi, err := os.Stat(db + "-wal"); err != nil || fi.Size() == 0 {
		t.Fatalf("the write-ahead log was checkpointed away (%v): Leave closed the file", err)
	}
	next, err := Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer next.Close()
	if _, err := next.Record(ctx, &Event{Ticket: "SUP-1", Kind: KindReply, Note: "pedimos um novo token", At: sp(t, "2026-11-19 16:30")}); err != nil {
		t.Fatalf("the next process cannot add to the ticket the first left: %v", err)
	}
	evs, err := next.Events(ctx, "SUP-1")
	if err != nil || len(evs) < 2 {
		t.Fatalf("events of SUP-1: %d, %v; want the first process's and the next's", len(evs), err)
	}
}

// A journal brought up to date says so in SQLite's user_version (so that the next open skips
// goose); one that says less (an older triagem's) is migrated by goose and marked again.
func TestSchemaVersionMark(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "journal.db")
	sub, err := fs.Sub(migrations, "migrations/sqlite")
	if err != nil {
		t.Fatal(err)
	}
	latest, err := latestMigration(sub)
	if err != nil || latest < 3 {
		t.Fatalf("latest migration %d, %v", latest, err)
	}
	mark := func(j *Journal) (v int64) {
		t.Helper()
		if err := j.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	j, err := Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if v := mark(j); v != latest {
		t.Errorf("a new journal is marked %d, want %d", v, latest)
	}
	// As an older triagem left it: migrations 3 to 5 undone, no mark.
	for _, stmt := range []string{`PRAGMA user_version = 0`, `DELETE FROM goose_db_version WHERE version_id >= 3`,
		`DROP INDEX events_report`, `DROP INDEX events_clock`, `DROP INDEX tickets_opened`, `DROP TRIGGER events_failed_checks`, `ALTER TABLE events DROP COLUMN failed_checks`,
		`DROP INDEX events_failure`, `CREATE INDEX events_failure ON events (environment, route, error_class, at)`,
		`DROP INDEX events_incident`, `CREATE INDEX events_incident ON events (incident)`, `CREATE INDEX events_ticket ON events (ticket, id)`, `CREATE INDEX events_at ON events (at)`} {
		if _, err := j.db.ExecContext(ctx, stmt); err != nil {
			t.Fatal(stmt, err)
		}
	}
	j.Close()
	if j, err = Open(ctx, db); err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if v := mark(j); v != latest {
		t.Errorf("an older journal is marked %d after opening, want %d", v, latest)
	}
	var n int
	if err := j.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_table_info('events') WHERE name = 'failed_checks'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the older journal was not migrated: failed_checks column %d, %v", n, err)
	}
}

// longLog is a journal whose write-ahead log holds 20 events of ~80 KB each, past
// leaveCheckpoint; it is closed when the test ends.
func longLog(t *testing.T) (*Journal, string) {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "journal.db")
	j, err := Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	big := strings.Repeat("request: {body: x}\n", 4<<10)
	for i := range 20 {
		if _, err := j.Record(ctx, &Event{Ticket: fmt.Sprintf("SUP-%d", i), Kind: KindDiagnose, Category: "token-expired", CaseYAML: big, At: sp(t, "2026-11-19 16:00")}); err != nil {
			t.Fatal(err)
		}
	}
	return j, db
}

// Past leaveCheckpoint bytes of write-ahead log, Leave checkpoints it and cuts it to nothing,
// so that the next process does not read a long log back; the events are in the file.
func TestLeaveCheckpointsALongLog(t *testing.T) {
	ctx := context.Background()
	j, db := longLog(t)
	if fi, err := os.Stat(db + "-wal"); err != nil {
		t.Fatal(err)
	} else if fi.Size() <= leaveCheckpoint {
		t.Fatalf("the log is %d bytes: the test needs one past %d", fi.Size(), leaveCheckpoint)
	}
	if err := j.Leave(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(db + "-wal"); err == nil && fi.Size() != 0 {
		t.Errorf("after Leave the log is %d bytes, want it cut to nothing", fi.Size())
	}
	next, err := Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer next.Close()
	if n, err := next.CountEvents(ctx); err != nil || n < 20 {
		t.Errorf("%d events after the checkpoint (%v), want the 20 recorded", n, err)
	}
}

// A command must not hang at its end: when another process reads the journal (a report), the
// checkpoint of a long log is left for later instead of waiting for the reader.
func TestLeaveDoesNotWaitForAReader(t *testing.T) {
	ctx := context.Background()
	j, db := longLog(t)
	reader, err := Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	tx, err := reader.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM events").Scan(&n); err != nil || n < 20 {
		t.Fatalf("the reader sees %d events (%v)", n, err)
	}
	start := time.Now()
	if err := j.Leave(); err != nil {
		t.Fatalf("Leave with a reader: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Leave waited %v for the reader (the busy timeout is 10 s)", d)
	}
}

// An event recorded in two halves (Start, then Finish with its case and verdict) ends as
// Record would have left it: its ticket moved, its failed checks derived from the verdict
// Finish gave; until Finish nothing of it is kept, and Abort drops it.
func TestStartAndFinish(t *testing.T) {
	ctx := context.Background()
	verdict := `{"category":"token-expired","checks":[{"id":"key","status":"ok"},{"id":"token","status":"fail"},{"id":"hours","status":"fail"}]}`
	for name, j := range engines(t) {
		t.Run(name, func(t *testing.T) {
			at := sp(t, "2026-11-18 10:00")
			whole := &Event{Ticket: "SUP-1", Kind: KindDiagnose, At: at, Category: "token-expired", Partner: "p1", CaseYAML: "ticket: SUP-1\n", VerdictJSON: verdict}
			if _, err := j.Record(ctx, whole); err != nil {
				t.Fatal(err)
			}
			half := &Event{Ticket: "SUP-2", Kind: KindDiagnose, At: at, Category: "token-expired", Partner: "p2"}
			r, err := j.Start(ctx, half)
			if err != nil {
				t.Fatal(err)
			}
			if r.Ticket == nil || r.Ticket.Status != StatusWaiting {
				t.Fatalf("Start left the ticket %+v; want it waiting for the partner", r.Ticket)
			}
			if err := r.Finish(ctx, "ticket: SUP-2\n", verdict); err != nil {
				t.Fatal(err)
			}
			dropped := &Event{Ticket: "SUP-3", Kind: KindDiagnose, At: at, Category: "token-expired", Partner: "p3"}
			r, err = j.Start(ctx, dropped)
			if err != nil {
				t.Fatal(err)
			}
			r.Abort()
			rows, err := j.db.QueryContext(ctx, `SELECT ticket, case_yaml, verdict_json, failed_checks FROM events WHERE kind = 'diagnose' ORDER BY id`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var got []string
			for rows.Next() {
				var ticket, c, v, failed string
				if err := rows.Scan(&ticket, &c, &v, &failed); err != nil {
					t.Fatal(err)
				}
				got = append(got, fmt.Sprintf("%s|%q|%t|%s", ticket, c, v == verdict, failed))
			}
			want := []string{`SUP-1|"ticket: SUP-1\n"|true|token hours`, `SUP-2|"ticket: SUP-2\n"|true|token hours`}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if tk, err := j.Ticket(ctx, "SUP-3"); err == nil && tk != nil {
				t.Errorf("an aborted recording left ticket %+v", tk)
			}
		})
	}
}

// A journal file is in WAL mode (readers work while one process writes): set when the file is
// made, and kept by the file for the connections that open it later without saying so.
func TestJournalFileIsWAL(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journal.db")
	for i := range 2 {
		j, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		var mode string
		if err := j.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("open %d: journal_mode %q, %v; want wal", i+1, mode, err)
		}
		j.Close()
	}
}
