package journal

import (
	"time"

	"github.com/crefazon/triagem/rules"
)

// BusinessTime is how much of [from, to) falls inside the rules' business hours: weekdays
// the rules open, less the calendar's closed days, with shortened days' own hours.
func BusinessTime(rl *rules.Rules, from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	loc := rl.Location()
	from, to = from.In(loc), to.In(loc)
	var total time.Duration
	y, m, d := from.Date()
	for day := time.Date(y, m, d, 0, 0, 0, 0, loc); day.Before(to); day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc) {
		open, close, ok := rl.Hours(day)
		if !ok {
			continue
		}
		start := at(day, open)
		end := at(day, close)
		if start.Before(from) {
			start = from
		}
		if end.After(to) {
			end = to
		}
		if end.After(start) {
			total += end.Sub(start)
		}
	}
	return total
}

// at is the instant of a clock time on day's date.
func at(day time.Time, c rules.Clock) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), int(c)/60, int(c)%60, 0, 0, day.Location())
}

// CloseAfter is when a ticket resolved at t closes on its own: at the end of the n-th
// business day after the day of t.
func CloseAfter(rl *rules.Rules, t time.Time, n int) time.Time {
	loc := rl.Location()
	t = t.In(loc)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	for n > 0 {
		day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc)
		if _, _, ok := rl.Hours(day); ok {
			n--
		}
	}
	_, close, _ := rl.Hours(day)
	return at(day, close)
}

// running tells whether the response clock runs in a status: it stops while the partner has
// the ball and once the ticket is resolved.
func running(status string) bool {
	return status == StatusNew || status == StatusAnalysis || status == StatusEscalated
}

// Clock is where a ticket stands against its response-time targets, in business time.
type Clock struct {
	Category          string        `json:"category"`
	FirstReplyTarget  time.Duration `json:"-"`
	ResolutionTarget  time.Duration `json:"-"`
	FirstReply        time.Duration `json:"-"` // business time until the first reply (so far, if none yet)
	Resolution        time.Duration `json:"-"` // business time spent with the team until resolved (so far)
	Replied, Resolved bool          `json:"-"`
	Paused            bool          `json:"-"` // the clock does not run now (waiting for the partner, resolved)
}

// FirstReplyLeft is the business time left to the first reply (negative: late); meaningful
// while there is none.
func (c Clock) FirstReplyLeft() time.Duration { return c.FirstReplyTarget - c.FirstReply }

// ResolutionLeft is the business time left to resolution (negative: late).
func (c Clock) ResolutionLeft() time.Duration { return c.ResolutionTarget - c.Resolution }

// Breaching tells whether an open ticket is past a target it has not met yet.
func (c Clock) Breaching() bool {
	return (!c.Replied && c.FirstReplyLeft() < 0) || (!c.Resolved && c.ResolutionLeft() < 0)
}

// ClockOf reads a ticket's events up to now: the business time that ran while the team had
// the ticket, until the first reply and until resolution.
func ClockOf(rl *rules.Rules, t *Ticket, events []*Event, now time.Time) Clock {
	category := t.FinalCategory
	if category == "" {
		category = t.Category
	}
	target := rl.TargetFor(category)
	c := Clock{
		Category:         category,
		FirstReplyTarget: time.Duration(target.FirstReply * float64(time.Hour)),
		ResolutionTarget: time.Duration(target.Resolution * float64(time.Hour)),
	}
	status := StatusNew
	var since time.Time
	for _, e := range events {
		if since.IsZero() {
			since = e.At
		}
		if running(status) {
			span := BusinessTime(rl, since, e.At)
			if !c.Replied {
				c.FirstReply += span
			}
			c.Resolution += span
		}
		since = e.At
		if e.Kind == KindReply {
			c.Replied = true
		}
		if e.Status != "" {
			status = e.Status
		}
	}
	c.Resolved = status == StatusResolved || status == StatusClosed
	c.Paused = !running(status)
	if running(status) && !since.IsZero() {
		span := BusinessTime(rl, since, now)
		if !c.Replied {
			c.FirstReply += span
		}
		c.Resolution += span
	}
	return c
}
