package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Statuses of an incident.
const (
	IncidentOpen   = "aberto"
	IncidentClosed = "fechado"
)

// Incident is one failure (environment, route, error class) that reached several partners.
type Incident struct {
	ID          string    `json:"id"`
	Status      string    `json:"status"`
	Environment string    `json:"environment"`
	Route       string    `json:"route"`
	ErrorClass  string    `json:"error_class"`
	OpenedAt    time.Time `json:"opened_at"`
	ClosedAt    time.Time `json:"closed_at,omitzero"`
	Note        string    `json:"note,omitempty"` // why it closed: masked by the caller
	Partners    int       `json:"partners"`       // distinct partners whose cases it holds
	Cases       int       `json:"cases"`
	Tickets     []string  `json:"tickets"`
}

// IncidentRule says when the same failure across partners becomes an incident: at least
// Partners distinct partners within Window. A zero Partners turns incidents off.
type IncidentRule struct {
	Partners int
	Window   time.Duration
}

// SetIncidentRule sets when Record opens an incident; until it is set, none opens.
func (j *Journal) SetIncidentRule(r IncidentRule) { j.incidents = r }

// IncidentNotFoundError is an incident the journal does not hold.
type IncidentNotFoundError struct{ Incident string }

func (e *IncidentNotFoundError) Error() string {
	return fmt.Sprintf("no incident %s in the journal", e.Incident)
}

// matchIncident links a diagnosis just inserted to the open incident of its failure, or
// opens one when its failure has now reached the rule's number of distinct partners within
// the window, linking every case of the window to it. Only a diagnosis with an environment,
// a route, an error class and a partner counts. ev.Linked says what it joined.
func (j *Journal) matchIncident(ctx context.Context, tx *sql.Tx, ev *Event) error {
	r := j.incidents
	if r.Partners <= 0 || ev.Kind != KindDiagnose || ev.ErrorClass == "" || ev.Environment == "" || ev.Route == "" || ev.Partner == "" {
		return nil
	}
	// One incident per failure: two triagem must not both open it (SQLite's immediate
	// transaction already serialises writers).
	if j.engine == Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('triagem.incidents', 0))`); err != nil {
			return err
		}
	}
	var id string
	var opened int64
	sel, err := j.in(ctx, tx, selectOpenIncident)
	if err != nil {
		return err
	}
	err = sel.QueryRowContext(ctx, ev.Environment, ev.Route, ev.ErrorClass, IncidentOpen).Scan(&id, &opened)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		var n int
		since := ev.At.Add(-r.Window).UnixMicro()
		partners, err := j.in(ctx, tx, countFailurePartners)
		if err != nil {
			return err
		}
		if err := partners.QueryRowContext(ctx, ev.Environment, ev.Route, ev.ErrorClass, KindDiagnose, since, ev.At.UnixMicro()).Scan(&n); err != nil {
			return err
		}
		if n < r.Partners {
			return nil
		}
		var count int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM incidents`).Scan(&count); err != nil {
			return err
		}
		id, opened = fmt.Sprintf("INC-%d", count+1), ev.At.UnixMicro()
		if _, err := tx.ExecContext(ctx, j.q(`INSERT INTO incidents (id, status, environment, route, error_class, opened_at) VALUES (?, ?, ?, ?, ?, ?)`),
			id, IncidentOpen, ev.Environment, ev.Route, ev.ErrorClass, opened); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, j.q(`UPDATE events SET incident = ? WHERE environment = ? AND route = ? AND error_class = ? AND kind = ? AND at >= ? AND at <= ? AND partner <> '' AND incident = ''`),
			id, ev.Environment, ev.Route, ev.ErrorClass, KindDiagnose, since, ev.At.UnixMicro()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, j.q(`UPDATE tickets SET incident = ? WHERE id IN (SELECT ticket FROM events WHERE incident = ? AND ticket <> '')`), id, id); err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		link, err := j.in(ctx, tx, linkEvent)
		if err != nil {
			return err
		}
		if _, err := link.ExecContext(ctx, id, ev.ID); err != nil {
			return err
		}
	}
	ev.Incident = id
	inc := &Incident{ID: id, Status: IncidentOpen, Environment: ev.Environment, Route: ev.Route, ErrorClass: ev.ErrorClass, OpenedAt: time.UnixMicro(opened).UTC()}
	if err := tx.QueryRowContext(ctx, j.q(`SELECT COUNT(DISTINCT partner), COUNT(*) FROM events WHERE incident = ?`), id).Scan(&inc.Partners, &inc.Cases); err != nil {
		return err
	}
	ev.Linked = inc
	return nil
}

// The statements matching a diagnosis against incidents runs on every diagnosis (Journal.in).
const (
	selectOpenIncident   = `SELECT id, opened_at FROM incidents WHERE environment = ? AND route = ? AND error_class = ? AND status = ? ORDER BY opened_at DESC LIMIT 1`
	countFailurePartners = `SELECT COUNT(DISTINCT partner) FROM events WHERE environment = ? AND route = ? AND error_class = ? AND kind = ? AND at >= ? AND at <= ? AND partner <> '' AND incident = ''`
	linkEvent            = `UPDATE events SET incident = ? WHERE id = ?`
)

const incidentColumns = `id, status, environment, route, error_class, opened_at, closed_at, note`

func scanIncident(row interface{ Scan(...any) error }) (*Incident, error) {
	var i Incident
	var opened, closed int64
	if err := row.Scan(&i.ID, &i.Status, &i.Environment, &i.Route, &i.ErrorClass, &opened, &closed, &i.Note); err != nil {
		return nil, err
	}
	i.OpenedAt = time.UnixMicro(opened).UTC()
	if closed != 0 {
		i.ClosedAt = time.UnixMicro(closed).UTC()
	}
	return &i, nil
}

// fill counts an incident's partners and cases and lists its tickets.
func (j *Journal) fill(ctx context.Context, i *Incident) error {
	if err := j.db.QueryRowContext(ctx, j.q(`SELECT COUNT(DISTINCT partner), COUNT(*) FROM events WHERE incident = ?`), i.ID).Scan(&i.Partners, &i.Cases); err != nil {
		return err
	}
	rows, err := j.db.QueryContext(ctx, j.q(`SELECT id FROM tickets WHERE incident = ? ORDER BY id`), i.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	i.Tickets = []string{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return err
		}
		i.Tickets = append(i.Tickets, t)
	}
	return rows.Err()
}

// Incident returns an incident with its figures, or an IncidentNotFoundError.
func (j *Journal) Incident(ctx context.Context, id string) (*Incident, error) {
	i, err := scanIncident(j.db.QueryRowContext(ctx, j.q(`SELECT `+incidentColumns+` FROM incidents WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &IncidentNotFoundError{Incident: id}
	}
	if err != nil {
		return nil, err
	}
	return i, j.fill(ctx, i)
}

// Incidents lists incidents, the most recently opened first; all includes the closed ones.
func (j *Journal) Incidents(ctx context.Context, all bool) ([]*Incident, error) {
	stmt, args := `SELECT `+incidentColumns+` FROM incidents`, []any{}
	if !all {
		stmt += ` WHERE status = ?`
		args = append(args, IncidentOpen)
	}
	return j.queryIncidents(ctx, stmt+` ORDER BY opened_at DESC, id`, args...)
}

// queryIncidents runs a query of incidentColumns and returns its incidents with their figures
// (never nil: an empty list is an empty JSON list).
func (j *Journal) queryIncidents(ctx context.Context, stmt string, args ...any) ([]*Incident, error) {
	rows, err := j.db.QueryContext(ctx, j.q(stmt), args...)
	if err != nil {
		return nil, err
	}
	out := []*Incident{}
	for rows.Next() {
		i, err := scanIncident(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, i)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, i := range out {
		if err := j.fill(ctx, i); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// IncidentEvents lists the cases linked to an incident, in the order they happened.
func (j *Journal) IncidentEvents(ctx context.Context, id string) ([]*Event, error) {
	return j.events(ctx, `WHERE incident = ?`, id)
}

// CloseIncident closes an open incident at at, with why (masked by the caller). Later cases
// of the same failure count afresh towards a new one.
func (j *Journal) CloseIncident(ctx context.Context, id string, at time.Time, note string) (*Incident, error) {
	res, err := j.db.ExecContext(ctx, j.q(`UPDATE incidents SET status = ?, closed_at = ?, note = ? WHERE id = ? AND status = ?`),
		IncidentClosed, at.UnixMicro(), note, id, IncidentOpen)
	if err != nil {
		return nil, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return nil, err
	}
	i, err := j.Incident(ctx, id)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return i, &StateError{Ticket: id, Status: i.Status, Kind: KindClose}
	}
	return i, nil
}

// IncidentFor is the open incident a case belongs to, for an escalation: the one its ticket
// (or the follow-up continuing it) is linked to, or else the open incident of its failure
// (environment, route, error class). nil when there is none.
func (j *Journal) IncidentFor(ctx context.Context, ticket, environment, route, errorClass string) (*Incident, error) {
	if ticket != "" {
		t, err := j.Ticket(ctx, ticket)
		var nf *NotFoundError
		for err == nil && t.Status == StatusClosed && t.FollowedBy != "" {
			t, err = j.Ticket(ctx, t.FollowedBy)
		}
		switch {
		case errors.As(err, &nf):
		case err != nil:
			return nil, err
		case t.Incident != "":
			i, err := j.Incident(ctx, t.Incident)
			if err != nil {
				return nil, err
			}
			if i.Status == IncidentOpen {
				return i, nil
			}
		}
	}
	if environment == "" || route == "" || errorClass == "" {
		return nil, nil
	}
	var id string
	err := j.db.QueryRowContext(ctx, j.q(`SELECT id FROM incidents WHERE environment = ? AND route = ? AND error_class = ? AND status = ? ORDER BY opened_at DESC LIMIT 1`),
		environment, route, errorClass, IncidentOpen).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return j.Incident(ctx, id)
}
