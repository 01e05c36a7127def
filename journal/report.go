package journal

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/crefazon/triagem/rules"
)

// Report is the periodic review of a period (the procedure's section 8): what triagem judged,
// how its verdicts held up against the team's final classification, how the response-time
// targets were kept, what escalated and which incidents ran. It only aggregates: no case, no
// verdict, no note is in it; tickets and partners are named by their ids.
//
// The verdicts are the diagnose events of the period; the tickets are those opened in it,
// each as its events up to the period's end left it.
type Report struct {
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`

	Diagnoses int `json:"diagnoses"` // verdicts in the period
	Tickets   int `json:"tickets"`   // tickets opened in the period

	Weeks    []Week   `json:"weeks"`    // every ISO week the period touches, in order
	Repeats  []Repeat `json:"repeats"`  // partners with the same category in two tickets or more
	Accuracy Accuracy `json:"accuracy"` // triagem's verdict against the final classification

	FirstReply Attainment `json:"first_reply"`
	Resolution Attainment `json:"resolution"`

	Escalated      int      `json:"escalated"`       // tickets escalated at least once
	EscalationRate *float64 `json:"escalation_rate"` // escalated / tickets; null without tickets

	FailingChecks []CheckFailures `json:"failing_checks"` // the most failed first
	Incidents     []*Incident     `json:"incidents"`      // open at some time in the period
}

// Week is one ISO week's verdicts by category.
type Week struct {
	Week       string         `json:"week"`  // 2026-W47
	Start      string         `json:"start"` // its Monday, 2026-11-16
	Total      int            `json:"total"`
	Categories map[string]int `json:"categories"`
}

// Repeat is a partner whose tickets of the period share a category: the final classification
// when the ticket has one, else triagem's latest verdict.
type Repeat struct {
	Partner  string   `json:"partner"`
	Category string   `json:"category"`
	Tickets  []string `json:"tickets"`
}

// Accuracy is how often triagem's latest verdict before resolution was the final
// classification, per final classification and over all.
type Accuracy struct {
	Resolved   int                `json:"resolved"`
	Matched    int                `json:"matched"`
	Rate       *float64           `json:"rate"` // null when nothing was resolved
	Categories []CategoryAccuracy `json:"categories"`
}

// CategoryAccuracy is the accuracy over the tickets finally classified in one category.
type CategoryAccuracy struct {
	Category string   `json:"category"`
	Resolved int      `json:"resolved"`
	Matched  int      `json:"matched"`
	Rate     *float64 `json:"rate"`
	// Verdicts: what triagem had said of those tickets, by category.
	Verdicts map[string]int `json:"verdicts"`
}

// Attainment is how one response-time target (the rules', per category, in business hours)
// was kept by the tickets of the period. A ticket that met it or missed it counts; one still
// within it without the reply or the resolution yet is pending and out of the rate.
type Attainment struct {
	Met     int      `json:"met"`
	Missed  int      `json:"missed"`
	Pending int      `json:"pending"`
	Rate    *float64 `json:"rate"` // met / (met + missed)
	// The median business time to the reply or the resolution, over the tickets that had it.
	MedianMinutes *int64 `json:"median_minutes"`
	Measured      int    `json:"measured"` // how many tickets the median is over
}

// CheckFailures is how many verdicts of the period failed a check.
type CheckFailures struct {
	Check  string  `json:"check"`
	Failed int     `json:"failed"`
	Share  float64 `json:"share"` // of the period's verdicts
}

// TopChecks is how many of the most failed checks a report keeps.
const TopChecks = 10

// quarter is the bucket the verdicts are counted in, before they are put into local weeks,
// when the time zone changes its offset within the period (see verdictsByBucket).
const quarter = 15 * time.Minute

// Report reviews [since, until) with the rules' calendar and targets.
func (j *Journal) Report(ctx context.Context, rl *rules.Rules, since, until time.Time) (*Report, error) {
	if !until.After(since) {
		return nil, fmt.Errorf("the period's end %s is not after its start %s", until.Format(time.RFC3339), since.Format(time.RFC3339))
	}
	r := &Report{Since: since, Until: until, Repeats: []Repeat{}, FailingChecks: []CheckFailures{}, Incidents: []*Incident{}}
	// The three readings are independent: each runs on its own connection (SQLite's WAL lets
	// readers work side by side), the tickets' clocks being the longest.
	var wg sync.WaitGroup
	errs := make([]error, 3)
	var buckets map[int64]map[string]int
	var bucket func(int64) time.Time
	var combos map[string]int
	wg.Go(func() {
		errs[0] = j.reading(ctx, func(db querier) (err error) {
			buckets, combos, bucket, err = j.verdictsByBucket(ctx, db, rl.Location(), since, until)
			return
		})
	})
	wg.Go(func() {
		errs[1] = j.reading(ctx, func(db querier) error { return j.ticketFigures(ctx, db, rl, since, until, r) })
	})
	wg.Go(func() { r.Incidents, errs[2] = j.incidentsDuring(ctx, since, until) })
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	r.Weeks = weeks(rl.Location(), since, until, buckets, bucket)
	for _, w := range r.Weeks {
		r.Diagnoses += w.Total
	}
	r.FailingChecks = topChecks(combos, r.Diagnoses)
	return r, nil
}

// querier is a connection of the pool or the pool itself.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// reading runs fn on a connection of its own. On SQLite that connection reads the file
// through a memory map and keeps a page cache large enough for the indexes a review walks:
// with SQLite's default 2 MB cache, the hundreds of thousands of index searches of a review
// would each read their pages again from the file, one system call a page (several times
// slower over a million events). Both go back to SQLite's defaults before the connection
// returns to the pool.
func (j *Journal) reading(ctx context.Context, fn func(querier) error) error {
	if j.engine != SQLite {
		return fn(j.db)
	}
	conn, err := j.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA mmap_size = 4294967296`); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA cache_size = -131072`); err != nil {
		return err
	}
	defer func() {
		conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -2000`)
		conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA mmap_size = 0`)
	}()
	return fn(conn)
}

// verdictsByBucket counts the period's verdicts in one reading of the index that holds them:
// by bucket and category, and by the set of checks they failed. The buckets are local days
// when the rules' time zone keeps one offset over the whole period (as São Paulo has since
// 2019), otherwise quarter hours, which lie within one local day in every time zone (offsets
// are whole quarters). Either way the SQL needs no time-zone arithmetic, which SQLite does
// not have. bucket turns a bucket's number back into a time within it.
func (j *Journal) verdictsByBucket(ctx context.Context, db querier, loc *time.Location, since, until time.Time) (map[int64]map[string]int, map[string]int, func(int64) time.Time, error) {
	size, shift := quarter.Microseconds(), int64(0)
	if off, ok := steadyOffset(loc, since, until); ok {
		size, shift = (24 * time.Hour).Microseconds(), off
	}
	bucket := func(b int64) time.Time { return time.UnixMicro(b*size - shift) }
	// The numbers are written into the statement: PostgreSQL groups by an expression only
	// when it is the very one selected, and two parameters are two expressions to it.
	expr := fmt.Sprintf(`(at + %d) / %d`, shift, size)
	q := `SELECT ` + expr + `, category, failed_checks, COUNT(*) FROM events WHERE kind = ? AND at >= ? AND at < ? GROUP BY ` + expr + `, category, failed_checks`
	rows, err := db.QueryContext(ctx, j.q(q), KindDiagnose, since.UnixMicro(), until.UnixMicro())
	if err != nil {
		return nil, nil, nil, err
	}
	defer rows.Close()
	out, combos := map[int64]map[string]int{}, map[string]int{}
	for rows.Next() {
		var b int64
		var category, failed string
		var n int
		if err := rows.Scan(&b, &category, &failed, &n); err != nil {
			return nil, nil, nil, err
		}
		if out[b] == nil {
			out[b] = map[string]int{}
		}
		out[b][category] += n
		if failed != "" {
			combos[failed] += n
		}
	}
	return out, combos, bucket, rows.Err()
}

// steadyOffset is the zone's UTC offset in microseconds when it is the same all through the
// period (checked at every local noon and at both ends), with which a UTC time shifted by it
// falls in its local day.
func steadyOffset(loc *time.Location, since, until time.Time) (int64, bool) {
	_, off := since.In(loc).Zone()
	for t := since; t.Before(until); t = t.Add(12 * time.Hour) {
		if _, o := t.In(loc).Zone(); o != off {
			return 0, false
		}
	}
	if _, o := until.In(loc).Zone(); o != off {
		return 0, false
	}
	return int64(off) * time.Second.Microseconds(), true
}

// weeks lays the buckets' counts into the ISO weeks of the period, in the rules' time zone,
// every week of the period listed even when empty.
func weeks(loc *time.Location, since, until time.Time, buckets map[int64]map[string]int, bucket func(int64) time.Time) []Week {
	key := func(t time.Time) string {
		y, w := t.In(loc).ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	}
	var out []Week
	index := map[string]int{}
	s := since.In(loc)
	day := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, loc)
	for ; day.Before(until); day = day.AddDate(0, 0, 1) {
		k := key(day)
		if _, ok := index[k]; ok {
			continue
		}
		monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
		index[k] = len(out)
		out = append(out, Week{Week: k, Start: monday.Format("2006-01-02"), Categories: map[string]int{}})
	}
	for q, cats := range buckets {
		i, ok := index[key(bucket(q))]
		if !ok {
			continue // cannot happen: every verdict is inside the period
		}
		for c, n := range cats {
			if c == "" {
				c = "?"
			}
			out[i].Categories[c] += n
			out[i].Total += n
		}
	}
	return out
}

// topChecks ranks the checks by the verdicts that failed them.
func topChecks(combos map[string]int, diagnoses int) []CheckFailures {
	counts := map[string]int{}
	for combo, n := range combos {
		for _, id := range strings.Fields(combo) {
			counts[id] += n
		}
	}
	out := []CheckFailures{}
	for id, n := range counts {
		out = append(out, CheckFailures{Check: id, Failed: n})
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Failed != out[b].Failed {
			return out[a].Failed > out[b].Failed
		}
		return out[a].Check < out[b].Check
	})
	if len(out) > TopChecks {
		out = out[:TopChecks]
	}
	for i := range out {
		if diagnoses > 0 {
			out[i].Share = float64(out[i].Failed) / float64(diagnoses)
		}
	}
	return out
}

// ticketState is one ticket of the period as its events up to the period's end left it.
type ticketState struct {
	t         Ticket
	escalated bool
	verdict   string // triagem's latest verdict
	final     string // the final classification, while the resolution holds
	resolved  string // triagem's verdict when it was resolved
}

// ticketFigures reads the events of the tickets opened in the period, in order, and runs each
// one's clock (ClockOf, as ticket show does) as of the period's end. The database hands each
// ticket's events over as one string (kind, time, status and category of each, in order):
// one row per ticket instead of one per event is most of what makes a review of a million
// events fast, the rows being what costs in Go's database/sql.
func (j *Journal) ticketFigures(ctx context.Context, db querier, rl *rules.Rules, since, until time.Time, r *Report) error {
	// The tickets of the period and their events both come in the order of the tickets' ids
	// (byte order: COLLATE "C" on PostgreSQL, SQLite's own), and are matched by walking both
	// lists: no map of a hundred thousand tickets to build and look up.
	order := `ORDER BY id`
	if j.engine == Postgres {
		order = `ORDER BY id COLLATE "C"`
	}
	trows, err := db.QueryContext(ctx, j.q(`SELECT id, partner, opened_at FROM tickets WHERE opened_at >= ? AND opened_at < ? `+order), since.UnixMicro(), until.UnixMicro())
	if err != nil {
		return err
	}
	var tickets []Ticket
	for trows.Next() {
		var t Ticket
		var at int64
		if err := trows.Scan(&t.ID, &t.Partner, &at); err != nil {
			trows.Close()
			return err
		}
		t.OpenedAt = time.UnixMicro(at).UTC()
		tickets = append(tickets, t)
	}
	trows.Close()
	if err := trows.Err(); err != nil {
		return err
	}
	r.Tickets = len(tickets)
	r.Accuracy.Categories = []CategoryAccuracy{}
	if len(tickets) == 0 {
		return nil
	}
	// Each column of a ticket's events comes as one list (ids, kinds, times, statuses,
	// categories): aggregating the columns apart builds no string per event. SQLite reads
	// events_clock in its order (ticket, id), and so lists each ticket's events in order
	// without being asked (asking costs a sort per ticket): the ids come along, and a ticket
	// whose events would come out of order is put in order here.
	stmt := `SELECT e.ticket, group_concat(e.id), group_concat(e.kind), group_concat(e.at), group_concat(e.status), group_concat(e.category)
FROM events e INDEXED BY events_clock WHERE e.ticket BETWEEN ? AND ? AND e.at >= ? AND e.at < ? GROUP BY e.ticket ORDER BY e.ticket`
	if j.engine == Postgres {
		stmt = `SELECT e.ticket, string_agg(e.id::text, ',' ORDER BY e.id), string_agg(e.kind, ',' ORDER BY e.id), string_agg(e.at::text, ',' ORDER BY e.id),
	string_agg(e.status, ',' ORDER BY e.id), string_agg(e.category, ',' ORDER BY e.id)
FROM events e WHERE e.ticket COLLATE "C" BETWEEN ? AND ? AND e.at >= ? AND e.at < ? GROUP BY e.ticket ORDER BY e.ticket COLLATE "C"`
	}
	type ticketRow struct {
		t                                     *Ticket
		ids, kinds, ats, statuses, categories string
	}
	// The clocks are business-calendar arithmetic: shared out between the cores, which take
	// the tickets in batches while the database is still reading the next ones.
	type part struct {
		first, resolution Attainment
		firsts, resols    []time.Duration
		states            []*ticketState
		err               error
		evs               []Event // one ticket's events, the buffers reused
		ptrs              []*Event
	}
	clock := func(p *part, row ticketRow) error {
		s := &ticketState{t: *row.t}
		evs, ptrs := p.evs[:0], p.ptrs[:0]
		ids, kinds, ats := strings.Split(row.ids, ","), strings.Split(row.kinds, ","), strings.Split(row.ats, ",")
		statuses, categories := strings.Split(row.statuses, ","), strings.Split(row.categories, ",")
		n := len(ids)
		if len(kinds) != n || len(ats) != n || len(statuses) != n || len(categories) != n {
			return fmt.Errorf("ticket %s: its events' columns do not line up", row.t.ID)
		}
		sorted := true
		for k := range n {
			id, err := strconv.ParseInt(ids[k], 10, 64)
			var at int64
			if err == nil {
				at, err = strconv.ParseInt(ats[k], 10, 64)
			}
			if err != nil {
				return fmt.Errorf("ticket %s: an event reads %q at %q", row.t.ID, ids[k], ats[k])
			}
			if m := len(evs); m > 0 && evs[m-1].ID > id {
				sorted = false
			}
			evs = append(evs, Event{ID: id, Ticket: row.t.ID, Kind: kinds[k], At: time.UnixMicro(at).UTC(), Status: statuses[k], Category: categories[k]})
		}
		if !sorted {
			slices.SortFunc(evs, func(a, b Event) int { return cmp.Compare(a.ID, b.ID) })
		}
		for k := range evs {
			s.see(&evs[k])
			ptrs = append(ptrs, &evs[k])
		}
		p.evs, p.ptrs = evs, ptrs
		t := s.t
		t.Category, t.FinalCategory = s.verdict, s.final
		c := ClockOf(rl, &t, ptrs, until)
		// A ticket resolved without a reply was answered by its solution: its first-reply
		// time is the time to resolution, which ClockOf counts in FirstReply until then.
		tally(&p.first, c.Replied || c.Resolved, c.FirstReply, c.FirstReplyTarget, &p.firsts)
		tally(&p.resolution, c.Resolved, c.Resolution, c.ResolutionTarget, &p.resols)
		p.states = append(p.states, s)
		return nil
	}
	workers := min(max(runtime.GOMAXPROCS(0), 1), 4)
	parts := make([]part, workers)
	work := make(chan []ticketRow, 2*workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			p := &parts[w]
			for batch := range work {
				for _, row := range batch {
					if p.err == nil {
						p.err = clock(p, row)
					}
				}
			}
		})
	}
	// The tickets' events are read in two halves of the tickets' ids at once, on two
	// connections: reading them is the longest part of a review.
	const batchSize = 256
	scan := func(db querier, part []Ticket) (matched int, err error) {
		rows, err := db.QueryContext(ctx, j.q(stmt), part[0].ID, part[len(part)-1].ID, since.UnixMicro(), until.UnixMicro())
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		batch := make([]ticketRow, 0, batchSize)
		next := 0 // the first ticket of the part not matched yet
		for rows.Next() {
			var id string
			var t ticketRow
			if err := rows.Scan(&id, &t.ids, &t.kinds, &t.ats, &t.statuses, &t.categories); err != nil {
				return matched, err
			}
			if next < len(part) && part[next].ID == id { // opened in the period
				t.t = &part[next]
				next++
				matched++
				if batch = append(batch, t); len(batch) == batchSize {
					work <- batch
					batch = make([]ticketRow, 0, batchSize)
				}
			}
		}
		if len(batch) > 0 {
			work <- batch
		}
		return matched, rows.Err()
	}
	half := len(tickets) / 2
	var matched [2]int
	var scanErrs [2]error
	var readers sync.WaitGroup
	if half > 0 {
		readers.Go(func() {
			scanErrs[1] = j.reading(ctx, func(db querier) (err error) { matched[1], err = scan(db, tickets[half:]); return })
		})
	} else {
		half = len(tickets)
	}
	matched[0], scanErrs[0] = scan(db, tickets[:half])
	readers.Wait()
	close(work)
	wg.Wait()
	for _, err := range scanErrs {
		if err != nil {
			return err
		}
	}
	// A ticket's opening event is at its opening, inside the period: every ticket has a row.
	if n := matched[0] + matched[1]; n != len(tickets) {
		return fmt.Errorf("the events of %d tickets of the period were found, not of all %d: the engine did not sort the two lists alike", n, len(tickets))
	}
	var states []*ticketState
	var firsts, resols []time.Duration
	for _, p := range parts {
		if p.err != nil {
			return p.err
		}
		add(&r.FirstReply, p.first)
		add(&r.Resolution, p.resolution)
		firsts, resols = append(firsts, p.firsts...), append(resols, p.resols...)
		states = append(states, p.states...)
	}
	finish(&r.FirstReply, firsts)
	finish(&r.Resolution, resols)
	r.Escalated, r.Accuracy, r.Repeats = summarise(states)
	r.EscalationRate = ratio(r.Escalated, r.Tickets)
	return nil
}

// see follows one event of the ticket: triagem's verdicts, the escalation, the resolution
// and a reopening that undoes it.
func (s *ticketState) see(e *Event) {
	switch e.Kind {
	case KindDiagnose, KindEscalate:
		if e.Category != "" {
			s.verdict = e.Category
		}
		if e.Kind == KindEscalate {
			s.escalated = true
		}
	case KindResolve:
		s.final, s.resolved = e.Category, s.verdict
	case KindReopen, KindPartnerReply:
		if e.Status == StatusAnalysis {
			s.final, s.resolved = "", "" // the solution did not hold
		}
	}
}

// add sums the counts of two attainments.
func add(a *Attainment, b Attainment) {
	a.Met += b.Met
	a.Missed += b.Missed
	a.Pending += b.Pending
}

// tally counts one ticket against one target.
func tally(a *Attainment, done bool, spent, target time.Duration, measured *[]time.Duration) {
	switch {
	case done && spent <= target:
		a.Met++
	case spent > target:
		a.Missed++ // done late, or not done and late already
	default:
		a.Pending++
	}
	if done {
		*measured = append(*measured, spent)
	}
}

// finish sets an attainment's rate and median.
func finish(a *Attainment, measured []time.Duration) {
	a.Rate = ratio(a.Met, a.Met+a.Missed)
	a.Measured = len(measured)
	if m, ok := median(measured); ok {
		minutes := int64(m / time.Minute)
		a.MedianMinutes = &minutes
	}
}

// median is the middle value (the mean of the two middle ones for an even count).
func median(ds []time.Duration) (time.Duration, bool) {
	if len(ds) == 0 {
		return 0, false
	}
	slices.Sort(ds)
	n := len(ds)
	if n%2 == 1 {
		return ds[n/2], true
	}
	return (ds[n/2-1] + ds[n/2]) / 2, true
}

// ratio is n/d, nil when d is 0 (nothing to measure is not 0 %).
func ratio(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	v := float64(n) / float64(d)
	return &v
}

// summarise counts the escalations, the accuracy and the repeated categories of the tickets.
func summarise(states []*ticketState) (int, Accuracy, []Repeat) {
	escalated := 0
	acc := Accuracy{Categories: []CategoryAccuracy{}}
	perCategory := map[string]*CategoryAccuracy{}
	type pc struct{ partner, category string }
	groups := map[pc][]string{}
	for _, s := range states {
		if s.escalated {
			escalated++
		}
		if s.final != "" {
			ca := perCategory[s.final]
			if ca == nil {
				ca = &CategoryAccuracy{Category: s.final, Verdicts: map[string]int{}}
				perCategory[s.final] = ca
			}
			ca.Resolved++
			acc.Resolved++
			verdict := s.resolved
			if verdict == "" {
				verdict = "?" // resolved without a verdict of triagem
			}
			ca.Verdicts[verdict]++
			if s.resolved == s.final {
				ca.Matched++
				acc.Matched++
			}
		}
		category := s.final
		if category == "" {
			category = s.verdict
		}
		if s.t.Partner != "" && category != "" {
			k := pc{s.t.Partner, category}
			groups[k] = append(groups[k], s.t.ID)
		}
	}
	acc.Rate = ratio(acc.Matched, acc.Resolved)
	for _, ca := range perCategory {
		ca.Rate = ratio(ca.Matched, ca.Resolved)
		acc.Categories = append(acc.Categories, *ca)
	}
	sort.Slice(acc.Categories, func(a, b int) bool {
		x, y := acc.Categories[a], acc.Categories[b]
		if x.Resolved != y.Resolved {
			return x.Resolved > y.Resolved
		}
		return x.Category < y.Category
	})
	repeats := []Repeat{}
	for k, ids := range groups {
		if len(ids) >= 2 {
			sort.Strings(ids)
			repeats = append(repeats, Repeat{Partner: k.partner, Category: k.category, Tickets: ids})
		}
	}
	sort.Slice(repeats, func(a, b int) bool {
		x, y := repeats[a], repeats[b]
		if len(x.Tickets) != len(y.Tickets) {
			return len(x.Tickets) > len(y.Tickets)
		}
		if x.Partner != y.Partner {
			return x.Partner < y.Partner
		}
		return x.Category < y.Category
	})
	return escalated, acc, repeats
}

// incidentsDuring lists the incidents open at some time in [since, until), the first opened
// first, with their figures.
func (j *Journal) incidentsDuring(ctx context.Context, since, until time.Time) ([]*Incident, error) {
	return j.queryIncidents(ctx, `SELECT `+incidentColumns+` FROM incidents WHERE opened_at < ? AND (closed_at = 0 OR closed_at >= ?) ORDER BY opened_at, id`,
		until.UnixMicro(), since.UnixMicro())
}
