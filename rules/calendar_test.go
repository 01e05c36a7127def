package rules_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/crefazon/triagem/rules"
)

// gregorianEaster is the anonymous Gregorian algorithm (Meeus/Jones/Butcher), written here
// from the published arithmetic so that the test does not lean on the library it checks.
func gregorianEaster(y int) time.Time {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// expectedDay is what the law (and, for bancario, the banks) make of a date.
type expectedDay struct {
	status string // "" for an ordinary day
	closed bool
	open   string // a shortened day's opening, "" otherwise
	word   string // a word of the day's name
}

func expectedCalendar(calendar string, y int) map[string]expectedDay {
	key := func(t time.Time) string { return t.Format("2006-01-02") }
	fixed := func(m time.Month, d int) string { return key(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) }
	law := func(word string) expectedDay {
		return expectedDay{status: "feriado-nacional", closed: true, word: word}
	}
	days := map[string]expectedDay{
		fixed(time.January, 1):   law("Ano Novo"),
		fixed(time.April, 21):    law("Tiradentes"),
		fixed(time.May, 1):       law("Trabalho"),
		fixed(time.September, 7): law("Independência"),
		fixed(time.October, 12):  law("Aparecida"),
		fixed(time.November, 2):  law("Finados"),
		fixed(time.November, 15): law("República"),
		fixed(time.December, 25): law("Natal"),
	}
	if y >= 2024 {
		days[fixed(time.November, 20)] = law("Consciência Negra")
	}
	e := gregorianEaster(y)
	days[key(e.AddDate(0, 0, -2))] = law("Sexta-feira Santa")
	optional := expectedDay{status: "ponto-facultativo"}
	if calendar == "bancario" {
		optional.closed = true
	}
	carnival, corpus := optional, optional
	carnival.word, corpus.word = "Carnaval", "Corpus Christi"
	ash := expectedDay{status: "ponto-facultativo", word: "Cinzas"}
	if calendar == "bancario" {
		ash.open = "12:00"
	}
	days[key(e.AddDate(0, 0, -48))] = carnival
	days[key(e.AddDate(0, 0, -47))] = carnival
	days[key(e.AddDate(0, 0, -46))] = ash
	days[key(e.AddDate(0, 0, 60))] = corpus
	return days
}

func loadCalendar(t *testing.T, calendar string) *rules.Rules {
	t.Helper()
	data := bytes.Replace(rules.DefaultYAML(), []byte("  calendar: bancario"), []byte("  calendar: "+calendar), 1)
	r, err := rules.Load("team.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if r.CalendarName() != calendar {
		t.Fatalf("calendar = %q, want %q", r.CalendarName(), calendar)
	}
	return r
}

// TestCalendarsAgainstTheLaw walks every day of 2015-2035 in both calendars and compares the
// rules' answer with the table the test computes on its own.
func TestCalendarsAgainstTheLaw(t *testing.T) {
	for _, calendar := range []string{"bancario", "nacional"} {
		t.Run(calendar, func(t *testing.T) {
			r := loadCalendar(t, calendar)
			sp := r.Location()
			closedDays := 0
			for y := 2015; y <= 2035; y++ {
				want := expectedCalendar(calendar, y)
				for d := time.Date(y, 1, 1, 10, 0, 0, 0, sp); d.Year() == y; d = d.AddDate(0, 0, 1) {
					w := want[d.Format("2006-01-02")]
					got, special := r.DayOf(d)
					if special != (w.status != "") || got.Status != w.status || got.Closed != w.closed {
						t.Errorf("%s: DayOf = %+v %v, want %+v", d.Format("Mon 2006-01-02"), got, special, w)
						continue
					}
					if w.word != "" && !strings.Contains(got.Name, w.word) {
						t.Errorf("%s: named %q, want %s", d.Format("2006-01-02"), got.Name, w.word)
					}
					if _, closed := r.IsHoliday(d); closed != w.closed {
						t.Errorf("%s: IsHoliday = %v, want %v", d.Format("2006-01-02"), closed, w.closed)
					}
					open, _, ok := r.Hours(d)
					weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
					wantOpen := "08:00"
					if w.open != "" {
						wantOpen = w.open
					}
					switch {
					case ok != (!weekend && !w.closed):
						t.Errorf("%s: open day = %v", d.Format("Mon 2006-01-02"), ok)
					case ok && open.String() != wantOpen:
						t.Errorf("%s: opens at %s, want %s", d.Format("Mon 2006-01-02"), open, wantOpen)
					}
					if w.closed {
						closedDays++
					}
				}
			}
			// 8 fixed holidays and Good Friday a year, 20 November from 2024, and under bancario
			// Carnival's two days and Corpus Christi: a guard against a table that matches nothing.
			wantClosed := 21*9 + 12
			if calendar == "bancario" {
				wantClosed += 21 * 3
			}
			if closedDays != wantClosed {
				t.Errorf("%d closed days in 2015-2035, want %d", closedDays, wantClosed)
			}
		})
	}
}

func TestCalendarKnownDates(t *testing.T) {
	r := mustDefault(t)
	if r.CalendarName() != "bancario" {
		t.Fatalf("default calendar = %q, want bancario", r.CalendarName())
	}
	sp := r.Location()
	for _, tc := range []struct {
		at     time.Time
		status string
		closed bool
	}{
		{time.Date(2026, 2, 16, 10, 0, 0, 0, sp), "ponto-facultativo", true},       // Carnival Monday
		{time.Date(2026, 2, 17, 10, 0, 0, 0, sp), "ponto-facultativo", true},       // Carnival Tuesday
		{time.Date(2026, 2, 18, 10, 0, 0, 0, sp), "ponto-facultativo", false},      // Ash Wednesday
		{time.Date(2026, 6, 4, 10, 0, 0, 0, sp), "ponto-facultativo", true},        // Corpus Christi
		{time.Date(2026, 4, 3, 10, 0, 0, 0, sp), "feriado-nacional", true},         // Good Friday
		{time.Date(2026, 11, 21, 2, 30, 0, 0, time.UTC), "feriado-nacional", true}, // 23:30 on the 20th in São Paulo
		{time.Date(2026, 11, 20, 2, 30, 0, 0, time.UTC), "", false},                // 23:30 on the 19th
		{time.Date(2023, 11, 20, 10, 0, 0, 0, sp), "", false},                      // national only from 2024
	} {
		d, ok := r.DayOf(tc.at)
		if ok != (tc.status != "") || d.Status != tc.status || d.Closed != tc.closed {
			t.Errorf("DayOf(%s) = %+v %v, want %s closed=%v", tc.at, d, ok, tc.status, tc.closed)
		}
	}
}

func TestCalendarTeamDays(t *testing.T) {
	data := bytes.Replace(rules.DefaultYAML(), []byte("  # extra:"), []byte(`  extra:
    - {date: 2026-12-24, name: Véspera de Natal}
    - {date: 01-25, name: Aniversário de São Paulo, status: feriado-municipal}
    - {date: 2026-02-18, name: Inventário}
  partial:
    - {date: 12-31, name: Último dia do ano, close: "12:00"}
    - {date: 2027-12-24, name: Véspera de Natal, open: "10:00", close: "14:00"}
  # extra:`), 1)
	data = bytes.Replace(data, []byte("  # ignore: [Corpus Christi]"), []byte("  ignore: [corpus christi]"), 1)
	r, err := rules.Load("team.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	sp := r.Location()
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, sp) }
	for _, tc := range []struct {
		at     time.Time
		name   string
		status string
		closed bool
		hours  string // "open-close" on an open day, "" when closed
	}{
		{at(2026, 12, 24, 10), "Véspera de Natal", "fechado", true, ""},
		{at(2027, 12, 24, 10), "Véspera de Natal", "reduzido", false, "10:00-14:00"},
		{at(2030, 1, 25, 10), "Aniversário de São Paulo", "feriado-municipal", true, ""},
		{at(2026, 12, 31, 10), "Último dia do ano", "reduzido", false, "08:00-12:00"},
		{at(2026, 2, 18, 15), "Inventário", "fechado", true, ""}, // the team's day wins over Ash Wednesday
		{at(2026, 6, 4, 10), "", "", false, "08:00-18:00"},       // Corpus Christi, ignored
		{at(2026, 12, 25, 10), "Natal", "feriado-nacional", true, ""},
	} {
		d, ok := r.DayOf(tc.at)
		if ok != (tc.name != "") || d.Name != tc.name || d.Status != tc.status || d.Closed != tc.closed {
			t.Errorf("DayOf(%s) = %+v %v, want %s %s closed=%v", tc.at, d, ok, tc.name, tc.status, tc.closed)
		}
		open, close, isOpen := r.Hours(tc.at)
		got := ""
		if isOpen {
			got = open.String() + "-" + close.String()
		}
		if got != tc.hours {
			t.Errorf("Hours(%s) = %q, want %q", tc.at, got, tc.hours)
		}
	}
}

// A rules file written before the calendars were data named "br-national": it keeps loading,
// as the default calendar it was.
func TestCalendarOldName(t *testing.T) {
	data := bytes.Replace(rules.DefaultYAML(), []byte("  calendar: bancario"), []byte("  calendars: [br-national]"), 1)
	r, err := rules.Load("old.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if r.CalendarName() != "bancario" {
		t.Errorf("calendar = %q, want bancario", r.CalendarName())
	}
}

// FuzzCalendarSection: any holidays section loads or is refused with Problems, never a panic;
// a loaded calendar answers every day of a year.
func FuzzCalendarSection(f *testing.F) {
	for _, s := range []string{
		"holidays:\n  calendar: nacional\n",
		"holidays:\n  calendar: bancario\n  ignore: [Carnaval]\n  extra: [{date: 12-24, name: X, status: ponto-facultativo}]\n",
		"holidays:\n  partial: [{date: 2026-02-29, name: Y, open: \"10:00\"}]\n",
		"holidays:\n  calendars: [br-national]\n",
	} {
		f.Add(s)
	}
	base := []byte(`schema: triagem.rules/v1
name: fuzz
timezone: America/Sao_Paulo
environments: [{id: homologacao, hosts: [h.example.com.br]}]
api_versions: [{id: v2, level: 2, prefix: /api/v2/}]
token: {lifetime: 12h, leeway: 60s}
business_hours: {days: [mon, tue, wed, thu, fri], open: "08:00", close: "18:00"}
`)
	f.Fuzz(func(t *testing.T, section string) {
		r, err := rules.Load("fuzz.yaml", append(bytes.Clone(base), section...))
		if err != nil {
			return
		}
		for d := time.Date(2026, 1, 1, 12, 0, 0, 0, r.Location()); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
			day, special := r.DayOf(d)
			open, close, ok := r.Hours(d)
			if ok && open >= close {
				t.Fatalf("%s opens at %s and closes at %s", d.Format("2006-01-02"), open, close)
			}
			if special && day.Closed && ok {
				t.Fatalf("%s is closed (%s) but has hours", d.Format("2006-01-02"), day.Name)
			}
		}
	})
}
