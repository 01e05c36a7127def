package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/crefazon/triagem/rules"
)

// Statuses of a ticket.
const (
	StatusNew       = "novo"
	StatusAnalysis  = "em-analise"
	StatusWaiting   = "aguardando-parceiro"
	StatusEscalated = "escalado"
	StatusResolved  = "resolvido"
	StatusClosed    = "fechado"
)

// Statuses in the order of a ticket's life.
var Statuses = []string{StatusNew, StatusAnalysis, StatusWaiting, StatusEscalated, StatusResolved, StatusClosed}

// Kinds of events.
const (
	KindOpen         = "open"          // the ticket entered the journal
	KindDiagnose     = "diagnose"      // triagem judged a case of the ticket
	KindEscalate     = "escalate"      // a bundle went to the Code team
	KindReply        = "reply"         // the team answered the partner
	KindPartnerReply = "partner-reply" // the partner answered
	KindResolve      = "resolve"       // the solution and the final classification
	KindClose        = "close"         // closed by the team
	KindAutoClose    = "auto-close"    // closed by the rules' days without news
	KindReopen       = "reopen"        // reopened by the team
	KindFollowUp     = "follow-up"     // a closed ticket got news: this one continues it
	KindSend         = "send"          // the bundle reached the Code team's intake
	KindSendFailed   = "send-failed"   // the bundle did not reach it (unreachable, refused)
	KindReplay       = "replay"        // the case's request was replayed against the API
)

// Ticket is a ticket's current state.
type Ticket struct {
	ID            string    `json:"id"`
	Status        string    `json:"status"`
	Partner       string    `json:"partner,omitempty"`
	Category      string    `json:"category,omitempty"`       // triagem's latest verdict
	FinalCategory string    `json:"final_category,omitempty"` // the team's, on resolve
	Solution      string    `json:"solution,omitempty"`
	FollowUpOf    string    `json:"follow_up_of,omitempty"`
	FollowedBy    string    `json:"followed_by,omitempty"`
	Incident      string    `json:"incident,omitempty"` // the incident its failure belongs to
	OpenedAt      time.Time `json:"opened_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Event is one thing that happened to a ticket (or, without a ticket, one diagnosis).
type Event struct {
	ID             int64     `json:"id"`
	Ticket         string    `json:"ticket,omitempty"`
	Kind           string    `json:"kind"`
	At             time.Time `json:"at"`
	Status         string    `json:"status,omitempty"` // the ticket's status after the event
	Category       string    `json:"category,omitempty"`
	Partner        string    `json:"partner,omitempty"`
	Environment    string    `json:"environment,omitempty"`
	Route          string    `json:"route,omitempty"`
	ErrorClass     string    `json:"error_class,omitempty"` // the failure's class, for incidents
	Incident       string    `json:"incident,omitempty"`    // the incident the case was linked to
	Note           string    `json:"note,omitempty"`        // a reply, a solution, a reason: masked by the caller
	User           string    `json:"user,omitempty"`
	TriagemVersion string    `json:"triagem_version,omitempty"`
	RulesName      string    `json:"rules_name,omitempty"`
	RulesVersion   string    `json:"rules_version,omitempty"`
	RulesSHA256    string    `json:"rules_sha256,omitempty"`
	CaseYAML       string    `json:"case_yaml,omitempty"`    // the redacted case
	VerdictJSON    string    `json:"verdict_json,omitempty"` // the masked verdict
	// Linked is set by Record when the event joined (or opened) an incident.
	Linked *Incident `json:"-"`
}

// StateError is a command that the ticket's status does not allow (resolve a closed ticket).
type StateError struct {
	Ticket, Status, Kind string
}

func (e *StateError) Error() string {
	return fmt.Sprintf("ticket %s is %s: %s does not apply", e.Ticket, e.Status, e.Kind)
}

// NotFoundError is a ticket command on a ticket the journal does not hold.
type NotFoundError struct{ Ticket string }

func (e *NotFoundError) Error() string { return fmt.Sprintf("no ticket %s in the journal", e.Ticket) }

// afterVerdict is where a verdict leaves a ticket: a cause or missing evidence waits for the
// partner to act; no apparent cause stays with the team.
func afterVerdict(category string) string {
	if category == "no-apparent-cause" {
		return StatusAnalysis
	}
	return StatusWaiting
}

// next is the status an event moves a ticket to, or a StateError.
func next(id, status string, ev *Event) (string, error) {
	refuse := func() (string, error) { return "", &StateError{Ticket: id, Status: status, Kind: ev.Kind} }
	switch ev.Kind {
	case KindDiagnose:
		return afterVerdict(ev.Category), nil
	case KindEscalate, KindSend:
		return StatusEscalated, nil
	case KindSendFailed:
		return status, nil // the bundle is still on this side: nothing moved
	case KindReplay:
		if status == StatusNew {
			return StatusAnalysis, nil // the team has started on it
		}
		return status, nil
	case KindReply:
		switch status {
		case StatusClosed:
			return refuse()
		case StatusResolved:
			return StatusResolved, nil // a word after the solution: still resolved
		}
		return StatusWaiting, nil
	case KindPartnerReply:
		if status == StatusClosed {
			return refuse()
		}
		return StatusAnalysis, nil // the partner's news reopens a resolved ticket
	case KindResolve:
		if status == StatusResolved || status == StatusClosed {
			return refuse()
		}
		return StatusResolved, nil
	case KindClose, KindAutoClose:
		if status == StatusClosed {
			return refuse()
		}
		return StatusClosed, nil
	case KindReopen:
		if status != StatusResolved && status != StatusClosed {
			return refuse()
		}
		return StatusAnalysis, nil
	}
	return "", fmt.Errorf("unknown event kind %q", ev.Kind)
}

// opensTicket: the events that bring a ticket into the journal when it is not there yet
// (a bundle built or a case replayed on another machine). The team's commands need a ticket
// that exists.
func opensTicket(kind string) bool {
	switch kind {
	case KindDiagnose, KindEscalate, KindSend, KindSendFailed, KindReplay:
		return true
	}
	return false
}

// followsUp: the events that bring news to a closed ticket, opening its follow-up. A replay
// or a failed send is the team looking again, not news: it stays on the closed ticket.
func followsUp(kind string) bool {
	return kind == KindDiagnose || kind == KindEscalate || kind == KindSend
}

// Record appends ev and moves its ticket, in one transaction: a ticket's state and its
// events never disagree. A diagnosis or an escalation of a ticket not yet in the journal
// opens it; one of a closed ticket opens a follow-up that continues it, and ev goes there.
// It returns the ticket as ev left it (nil for an event without a ticket).
func (j *Journal) Record(ctx context.Context, ev *Event) (*Ticket, error) {
	r, err := j.Start(ctx, ev)
	if err != nil {
		return nil, err
	}
	return r.Ticket, r.Finish(ctx, "", "")
}

// A Recording is an event appended in a transaction still open: its ticket has moved and
// its incident is known (Event.Linked), and the stored case and verdict may still come
// (Finish). Nothing of it is seen by others, or kept, until Finish commits.
type Recording struct {
	j      *Journal
	tx     *sql.Tx
	ev     *Event
	Ticket *Ticket // the ticket as the event left it; nil for an event without a ticket
}

// Start is the first half of Record: it appends ev as it stands, moves its ticket and
// matches it against incidents, in a transaction that Finish commits and Abort drops. A
// caller that writes the stored case and verdict (the slow part of an event: redaction)
// while the journal does this passes them to Finish instead of ev. SQLite's writers wait
// for one another between Start and Finish: keep that short.
func (j *Journal) Start(ctx context.Context, ev *Event) (*Recording, error) {
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	r := &Recording{j: j, tx: tx, ev: ev}
	if r.Ticket, err = j.appendEvent(ctx, tx, ev); err != nil {
		tx.Rollback()
		return nil, err
	}
	return r, nil
}

// Finish stores the event's case and verdict, when given (the event's own, given to Start,
// stand otherwise), and commits. The column of failed checks is derived from the verdict
// by the database, as for an event inserted whole (migration 00003).
func (r *Recording) Finish(ctx context.Context, caseYAML, verdictJSON string) error {
	defer r.tx.Rollback() // nothing once committed
	if caseYAML != "" || verdictJSON != "" {
		r.ev.CaseYAML, r.ev.VerdictJSON = caseYAML, verdictJSON
		fill, err := r.j.in(ctx, r.tx, r.j.fillEventStmt())
		if err != nil {
			return err
		}
		if _, err := fill.ExecContext(ctx, caseYAML, verdictJSON, r.ev.ID); err != nil {
			return err
		}
	}
	return r.tx.Commit()
}

// Abort drops what Start appended.
func (r *Recording) Abort() { r.tx.Rollback() }

// fillEventStmt stores an appended event's case and verdict, and the checks its verdict
// failed as the insert trigger derives them (migration 00003).
func (j *Journal) fillEventStmt() string {
	// An expression in SET reads the row as it was before the update: the failed checks are
	// derived from the new verdict, the statement's second parameter.
	if j.engine == Postgres {
		return `UPDATE events SET case_yaml = $1, verdict_json = $2, failed_checks = triagem_failed_checks($2) WHERE id = $3`
	}
	return `UPDATE events SET case_yaml = ?1, verdict_json = ?2, failed_checks = CASE WHEN ?2 <> '' AND json_valid(?2) THEN COALESCE((
        SELECT group_concat(json_extract(c.value, '$.id'), ' ')
        FROM json_each(?2, '$.checks') AS c
        WHERE json_extract(c.value, '$.status') = 'fail'), '') ELSE '' END WHERE id = ?3`
}

// appendEvent inserts ev and moves its ticket inside tx (Record, Start).
func (j *Journal) appendEvent(ctx context.Context, tx *sql.Tx, ev *Event) (*Ticket, error) {
	if ev.Ticket == "" {
		if err := j.insertEvent(ctx, tx, ev); err != nil {
			return nil, err
		}
		return nil, j.matchIncident(ctx, tx, ev)
	}
	t, err := j.lockTicket(ctx, tx, ev.Ticket)
	if err != nil {
		return nil, err
	}
	// Follow the chain of follow-ups to the ticket that carries the conversation now.
	for t != nil && t.Status == StatusClosed && t.FollowedBy != "" {
		if t, err = j.lockTicket(ctx, tx, t.FollowedBy); err != nil {
			return nil, err
		}
	}
	switch {
	case t == nil && !opensTicket(ev.Kind):
		return nil, &NotFoundError{Ticket: ev.Ticket}
	case t == nil:
		t = &Ticket{ID: ev.Ticket, Status: StatusNew, Partner: ev.Partner, OpenedAt: ev.At, UpdatedAt: ev.At}
		if err := j.openTicket(ctx, tx, t, ev, ""); err != nil {
			return nil, err
		}
	case t.Status == StatusClosed && followsUp(ev.Kind):
		if err := j.lockID(ctx, tx, followUpID(t.ID)); err != nil {
			return nil, err
		}
		f := &Ticket{ID: followUpID(t.ID), Status: StatusNew, Partner: ev.Partner, FollowUpOf: t.ID, OpenedAt: ev.At, UpdatedAt: ev.At}
		if f.Partner == "" {
			f.Partner = t.Partner
		}
		if err := j.openTicket(ctx, tx, f, ev, t.ID); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, j.q(`UPDATE tickets SET followed_by = ?, updated_at = ? WHERE id = ?`), f.ID, ev.At.UnixMicro(), t.ID); err != nil {
			return nil, err
		}
		t = f
	}
	status, err := next(t.ID, t.Status, ev)
	if err != nil {
		return nil, err
	}
	ev.Ticket, ev.Status = t.ID, status
	t.Status, t.UpdatedAt = status, ev.At
	switch ev.Kind {
	case KindDiagnose, KindEscalate, KindSend:
		if ev.Category != "" {
			t.Category = ev.Category
		}
	case KindResolve:
		t.FinalCategory, t.Solution = ev.Category, ev.Note
	case KindReopen, KindPartnerReply:
		if status == StatusAnalysis {
			t.FinalCategory, t.Solution = "", "" // reopened: the solution did not hold
		}
	}
	if t.Partner == "" {
		t.Partner = ev.Partner
	}
	if ev.Incident != "" && ev.Kind != KindDiagnose {
		// An escalation the caller added to an open incident's bundle: it links the ticket;
		// a ticket linked already is not one more case of it.
		if t.Incident == ev.Incident {
			ev.Incident = ""
		} else {
			t.Incident = ev.Incident
		}
	}
	if err := j.insertEvent(ctx, tx, ev); err != nil {
		return nil, err
	}
	if err := j.matchIncident(ctx, tx, ev); err != nil {
		return nil, err
	}
	if ev.Linked != nil {
		t.Incident = ev.Linked.ID
	}
	update, err := j.in(ctx, tx, updateTicket)
	if err != nil {
		return nil, err
	}
	if _, err := update.ExecContext(ctx,
		t.Status, t.Partner, t.Category, t.FinalCategory, t.Solution, t.Incident, t.UpdatedAt.UnixMicro(), t.ID); err != nil {
		return nil, err
	}
	return t, nil
}

// followUpID names the follow-up of a closed ticket: SUP-1 is continued by SUP-1+1, which is
// continued by SUP-1+2.
func followUpID(id string) string {
	base, n := id, 1
	if i := strings.LastIndex(id, "+"); i > 0 {
		var k int
		if _, err := fmt.Sscanf(id[i+1:], "%d", &k); err == nil && fmt.Sprint(k) == id[i+1:] {
			base, n = id[:i], k+1
		}
	}
	return fmt.Sprintf("%s+%d", base, n)
}

// openTicket inserts t with its opening event.
func (j *Journal) openTicket(ctx context.Context, tx *sql.Tx, t *Ticket, ev *Event, of string) error {
	insert, err := j.in(ctx, tx, insertTicket)
	if err != nil {
		return err
	}
	if _, err := insert.ExecContext(ctx,
		t.ID, t.Status, t.Partner, t.FollowUpOf, t.OpenedAt.UnixMicro(), t.UpdatedAt.UnixMicro()); err != nil {
		return err
	}
	kind, note := KindOpen, ""
	if of != "" {
		kind, note = KindFollowUp, of
	}
	open := &Event{Ticket: t.ID, Kind: kind, At: ev.At, Status: StatusNew, Partner: t.Partner, Note: note,
		User: ev.User, TriagemVersion: ev.TriagemVersion, RulesName: ev.RulesName, RulesVersion: ev.RulesVersion, RulesSHA256: ev.RulesSHA256}
	return j.insertEvent(ctx, tx, open)
}

func (j *Journal) insertEvent(ctx context.Context, tx *sql.Tx, ev *Event) error {
	insert, err := j.in(ctx, tx, insertEvent)
	if err != nil {
		return err
	}
	return insert.QueryRowContext(ctx, ev.Ticket, ev.Kind, ev.At.UnixMicro(), ev.Status, ev.Category, ev.Partner, ev.Environment, ev.Route, ev.ErrorClass, ev.Incident, ev.Note,
		ev.User, ev.TriagemVersion, ev.RulesName, ev.RulesVersion, ev.RulesSHA256, ev.CaseYAML, ev.VerdictJSON).Scan(&ev.ID)
}

const ticketColumns = `id, status, partner, category, final_category, solution, follow_up_of, followed_by, incident, opened_at, updated_at`

// The statements Record runs for a diagnosis, prepared once per journal (Journal.in, Warm).
const (
	selectTicket = `SELECT ` + ticketColumns + ` FROM tickets WHERE id = ?`
	insertTicket = `INSERT INTO tickets (id, status, partner, follow_up_of, opened_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`
	updateTicket = `UPDATE tickets SET status = ?, partner = ?, category = ?, final_category = ?, solution = ?, incident = ?, updated_at = ? WHERE id = ?`
	insertEvent  = `INSERT INTO events (ticket, kind, at, status, category, partner, environment, route, error_class, incident, note, os_user, triagem_version, rules_name, rules_version, rules_sha256, case_yaml, verdict_json)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
)

// recordStatements are what Warm prepares: every diagnosis runs them.
var recordStatements = []string{selectTicket, insertTicket, updateTicket, insertEvent, selectOpenIncident, countFailurePartners, linkEvent}

func scanTicket(row interface{ Scan(...any) error }) (*Ticket, error) {
	var t Ticket
	var opened, updated int64
	if err := row.Scan(&t.ID, &t.Status, &t.Partner, &t.Category, &t.FinalCategory, &t.Solution, &t.FollowUpOf, &t.FollowedBy, &t.Incident, &opened, &updated); err != nil {
		return nil, err
	}
	t.OpenedAt, t.UpdatedAt = time.UnixMicro(opened).UTC(), time.UnixMicro(updated).UTC()
	return &t, nil
}

// lockTicket reads a ticket inside tx, locking its row on PostgreSQL (SQLite's immediate
// transaction already holds the whole file); nil when the journal does not hold it.
func (j *Journal) lockTicket(ctx context.Context, tx *sql.Tx, id string) (*Ticket, error) {
	if err := j.lockID(ctx, tx, id); err != nil {
		return nil, err
	}
	sel, err := j.in(ctx, tx, selectTicket)
	if err != nil {
		return nil, err
	}
	t, err := scanTicket(sel.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return t, err
}

// lockID serialises the transactions about one ticket id on PostgreSQL, whether the ticket
// exists yet or not (a row lock cannot hold a row not yet inserted): two first diagnoses of
// the same ticket must not both open it. The lock ends with the transaction.
func (j *Journal) lockID(ctx context.Context, tx *sql.Tx, id string) error {
	if j.engine != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, "triagem.ticket:"+id)
	return err
}

// Ticket returns a ticket, or a NotFoundError.
func (j *Journal) Ticket(ctx context.Context, id string) (*Ticket, error) {
	t, err := scanTicket(j.db.QueryRowContext(ctx, j.q(`SELECT `+ticketColumns+` FROM tickets WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &NotFoundError{Ticket: id}
	}
	return t, err
}

// Tickets lists tickets, the most recently moved first; statuses, when given, filter them.
func (j *Journal) Tickets(ctx context.Context, statuses ...string) ([]*Ticket, error) {
	stmt := `SELECT ` + ticketColumns + ` FROM tickets`
	args := make([]any, len(statuses))
	if len(statuses) > 0 {
		stmt += ` WHERE status IN (?` + strings.Repeat(`, ?`, len(statuses)-1) + `)`
		for i, s := range statuses {
			args[i] = s
		}
	}
	stmt += ` ORDER BY updated_at DESC, id`
	rows, err := j.db.QueryContext(ctx, j.q(stmt), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Events lists a ticket's events in the order they happened.
func (j *Journal) Events(ctx context.Context, ticket string) ([]*Event, error) {
	return j.events(ctx, `WHERE ticket = ?`, ticket)
}

// eventColumns are an event's columns, in scanEvents' order.
const eventColumns = `id, ticket, kind, at, status, category, partner, environment, route, error_class, incident, note, os_user, triagem_version, rules_name, rules_version, rules_sha256, case_yaml, verdict_json`

// events lists the events that where selects, in the order they happened.
func (j *Journal) events(ctx context.Context, where string, args ...any) ([]*Event, error) {
	rows, err := j.db.QueryContext(ctx, j.q(`SELECT `+eventColumns+` FROM events `+where+` ORDER BY id`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Event
	for rows.Next() {
		var e Event
		var at int64
		if err := rows.Scan(&e.ID, &e.Ticket, &e.Kind, &at, &e.Status, &e.Category, &e.Partner, &e.Environment, &e.Route, &e.ErrorClass, &e.Incident, &e.Note,
			&e.User, &e.TriagemVersion, &e.RulesName, &e.RulesVersion, &e.RulesSHA256, &e.CaseYAML, &e.VerdictJSON); err != nil {
			return nil, err
		}
		e.At = time.UnixMicro(at).UTC()
		out = append(out, &e)
	}
	return out, rows.Err()
}

// CountEvents counts every event in the journal.
func (j *Journal) CountEvents(ctx context.Context) (int64, error) {
	var n int64
	err := j.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM events`).Scan(&n)
	return n, err
}

// Sweep closes the resolved tickets whose rules' business days without news have passed, as
// of now, each with an auto-close event dated when its time ran out. meta carries who and
// what (user, versions) for those events. It returns the tickets it closed.
func (j *Journal) Sweep(ctx context.Context, rl *rules.Rules, now time.Time, meta Event) ([]*Ticket, error) {
	resolved, err := j.Tickets(ctx, StatusResolved)
	if err != nil {
		return nil, err
	}
	var closed []*Ticket
	for _, t := range resolved {
		when := CloseAfter(rl, t.UpdatedAt, rl.AutoCloseDays())
		if now.Before(when) {
			continue
		}
		ev := meta
		ev.ID, ev.Ticket, ev.Kind, ev.At = 0, t.ID, KindAutoClose, when
		nt, err := j.Record(ctx, &ev)
		var se *StateError
		if errors.As(err, &se) {
			continue // another triagem closed it first
		}
		if err != nil {
			return closed, err
		}
		closed = append(closed, nt)
	}
	return closed, nil
}
