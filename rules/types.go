package rules

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"
)

// Duration is a time.Duration written as Go writes it ("12h", "60s") in the rules file.
type Duration struct{ time.Duration }

func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return errL("line %d: esperada uma duração como 12h ou 60s", "line %d: want a duration such as 12h or 60s", n.Line)
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return errL("line %d: %q não é uma duração como 12h ou 60s", "line %d: %q is not a duration such as 12h or 60s", n.Line, s)
	}
	d.Duration = v
	return nil
}

func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }
func (d Duration) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// Clock is a time of day, "HH:MM", counted in minutes from midnight.
type Clock int

func parseClock(s string) (Clock, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, errL("%q não é um horário HH:MM", "%q is not a time of day HH:MM", s)
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, errL("%q não é um horário HH:MM", "%q is not a time of day HH:MM", s)
	}
	return Clock(h*60 + m), nil
}

func (c *Clock) UnmarshalYAML(n *yaml.Node) error {
	v, err := parseClock(n.Value)
	if err != nil {
		return errL("line %[1]d: %[2]s", "line %[1]d: %[3]v", n.Line, ptOf(err, ""), err)
	}
	*c = v
	return nil
}

func (c Clock) String() string            { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }
func (c Clock) MarshalYAML() (any, error) { return c.String(), nil }
func (c Clock) MarshalText() ([]byte, error) {
	return []byte(c.String()), nil
}

// ClockOf is the local time of day of t, in minutes.
func ClockOf(t time.Time) Clock { return Clock(t.Hour()*60 + t.Minute()) }

// Window is a daily span "HH:MM-HH:MM"; a start after the end crosses midnight.
type Window struct {
	Start, End Clock

	err error // a malformed window, reported by validate with every other problem
}

func parseWindow(s string) (Window, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return Window{}, errL("%q não é uma janela HH:MM-HH:MM", "%q is not a window HH:MM-HH:MM", s)
	}
	start, err := parseClock(strings.TrimSpace(a))
	if err != nil {
		return Window{}, errL("janela %[1]q: %[2]s", "window %[1]q: %[3]v", s, ptOf(err, ""), err)
	}
	end, err := parseClock(strings.TrimSpace(b))
	if err != nil {
		return Window{}, errL("janela %[1]q: %[2]s", "window %[1]q: %[3]v", s, ptOf(err, ""), err)
	}
	if start == end {
		return Window{}, errL("a janela %q está vazia: o início é igual ao fim", "window %q is empty: start equals end", s)
	}
	return Window{Start: start, End: end}, nil
}

func (w *Window) UnmarshalYAML(n *yaml.Node) error {
	v, err := parseWindow(n.Value)
	if err != nil {
		w.err = err
		return nil
	}
	*w = v
	return nil
}

func (w Window) String() string            { return w.Start.String() + "-" + w.End.String() }
func (w Window) MarshalYAML() (any, error) { return w.String(), nil }
func (w Window) MarshalText() ([]byte, error) {
	return []byte(w.String()), nil
}

// CrossesMidnight tells whether the window ends on the next day.
func (w Window) CrossesMidnight() bool { return w.End < w.Start }

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
	"dom": time.Sunday, "seg": time.Monday, "ter": time.Tuesday, "qua": time.Wednesday,
	"qui": time.Thursday, "sex": time.Friday, "sab": time.Saturday,
}

// parseDays reads ["mon", "tue"] (or Portuguese "seg".."dom"; "all" or "*" for every day).
func parseDays(list []string) ([7]bool, error) {
	var days [7]bool
	if len(list) == 0 {
		return [7]bool{true, true, true, true, true, true, true}, nil
	}
	for _, d := range list {
		k := Fold(d)
		if k == "all" || k == "*" || k == "todos" {
			return [7]bool{true, true, true, true, true, true, true}, nil
		}
		if len(k) > 3 {
			k = k[:3]
		}
		wd, ok := weekdays[k]
		if !ok {
			return days, errL("%q não é um dia da semana (seg..dom ou mon..sun)", "%q is not a weekday (mon..sun or seg..dom)", d)
		}
		days[wd] = true
	}
	return days, nil
}

// Fold makes names comparable the way people type them: lower case, no accents, and spaces,
// hyphens and underscores dropped.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	if !isASCII(s) {
		s = norm.NFD.String(s) // accents become separate marks, dropped below
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == ' ' || r == '-' || r == '_' || r == '\t':
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
