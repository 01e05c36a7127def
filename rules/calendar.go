package rules

import (
	"fmt"
	"strings"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/br"
)

// Day statuses: why a day is closed or shortened. They are data (the rules file names them
// for the team's own days) and every message words them in the user's language.
const (
	StatusNationalHoliday  = "feriado-nacional"
	StatusStateHoliday     = "feriado-estadual"
	StatusMunicipalHoliday = "feriado-municipal"
	StatusOptional         = "ponto-facultativo" // a day the law leaves to each employer
	StatusClosed           = "fechado"           // the team's own closed day
	StatusShortened        = "reduzido"          // the team's own shortened day
)

var dayStatuses = []string{StatusNationalHoliday, StatusStateHoliday, StatusMunicipalHoliday, StatusOptional, StatusClosed, StatusShortened}

// Calendar names a rules file may give in holidays.calendar.
const (
	CalendarBanking  = "bancario" // the law's holidays plus the days banks do not open
	CalendarNational = "nacional" // the law's holidays alone
)

// Day is a date the calendar (or the team) says something about: a closed day, a day that
// opens late or closes early, or an optional day that stays open.
type Day struct {
	Name   string // Tiradentes, Carnaval
	Status string // one of the Status constants
	Closed bool
	// Open and Close replace the business hours on a shortened day (zero: the usual ones).
	Open, Close Clock
	// BanksClosed marks an optional day (ponto facultativo) closed because banks close.
	BanksClosed bool
}

// Shortened tells whether the day keeps other hours than the usual ones.
func (d Day) Shortened() bool { return !d.Closed && (d.Open != 0 || d.Close != 0) }

// calendarDay is one entry of a built-in calendar: when it falls (through rickar/cal's
// Holiday, which knows Easter and fixed dates) and what it does to the day.
type calendarDay struct {
	when *cal.Holiday
	day  Day
}

// The law (Lei 662/1949, Lei 6.802/1980, Lei 9.093/1995, Lei 14.759/2023) fixes the national
// holidays; Carnival, Ash Wednesday and Corpus Christi are only pontos facultativos. rickar/cal's
// br list types them all alike (and has no Carnival Monday), so the status is written here.
func nationalDays() []calendarDay {
	holiday := func(h *cal.Holiday, name string) calendarDay {
		return calendarDay{when: h, day: Day{Name: name, Status: StatusNationalHoliday, Closed: true}}
	}
	return []calendarDay{
		holiday(br.AnoNovo, "Confraternização Universal (Ano Novo)"),
		holiday(br.SextaFeiraSanta, "Sexta-feira Santa"),
		holiday(br.Tiradentes, "Tiradentes"),
		holiday(br.Trabalhador, "Dia do Trabalho"),
		holiday(br.Independencia, "Independência do Brasil"),
		holiday(br.NossaSenhoraAparecida, "Nossa Senhora Aparecida"),
		holiday(br.Finados, "Finados"),
		holiday(br.Republica, "Proclamação da República"),
		// national only from 2024 (Lei 14.759/2023): older cases keep their day's calendar
		holiday(br.ConscienciaNegra.Clone(&cal.Holiday{StartYear: 2024}), "Dia da Consciência Negra"),
		holiday(br.Natal, "Natal"),
	}
}

func easter(offset int) *cal.Holiday {
	return &cal.Holiday{Offset: offset, Func: cal.CalcEasterOffset}
}

// calendarDays builds a built-in calendar. Under "nacional" the pontos facultativos are listed
// open (messages may name them); under "bancario" banks close on Carnival Monday and Tuesday
// and on Corpus Christi, and open at 12:00 on Ash Wednesday.
func calendarDays(name string) ([]calendarDay, bool) {
	var banking bool
	switch name {
	case CalendarBanking:
		banking = true
	case CalendarNational:
	default:
		return nil, false
	}
	optional := func(h *cal.Holiday, name string, closed bool, open Clock) calendarDay {
		d := Day{Name: name, Status: StatusOptional}
		if banking {
			d.Closed, d.BanksClosed = closed, closed
			if !closed {
				d.Open = open
			}
		}
		return calendarDay{when: h, day: d}
	}
	days := nationalDays()
	days = append(days,
		optional(easter(-48), "Carnaval", true, 0),
		optional(easter(-47), "Carnaval", true, 0),
		optional(easter(-46), "Quarta-feira de Cinzas", false, 12*60),
		optional(easter(60), "Corpus Christi", true, 0),
	)
	return days, true
}

// TeamDay is a day the team adds to the calendar: closed (holidays.extra) or with other hours
// (holidays.partial). Date is YYYY-MM-DD, or MM-DD for every year.
type TeamDay struct {
	Date   string `yaml:"date" json:"date"`
	Name   string `yaml:"name" json:"name"`
	Status string `yaml:"status,omitempty" json:"status,omitempty"`
	Open   *Clock `yaml:"open,omitempty" json:"open,omitempty"`   // partial days only
	Close  *Clock `yaml:"close,omitempty" json:"close,omitempty"` // partial days only

	year       int // 0: every year
	month, day int
}

func (d *TeamDay) parseDate() error {
	if t, err := time.Parse("2006-01-02", d.Date); err == nil {
		d.year, d.month, d.day = t.Year(), int(t.Month()), t.Day()
		return nil
	}
	// MM-DD: checked against a leap year, so that 02-29 is a date (it falls in leap years only)
	if t, err := time.Parse("2006-01-02", "2024-"+d.Date); err == nil && len(d.Date) == 5 {
		d.month, d.day = int(t.Month()), t.Day()
		return nil
	}
	return errL("%q não é uma data AAAA-MM-DD (ou MM-DD, para todos os anos)", "%q is not a date YYYY-MM-DD (or MM-DD for every year)", d.Date)
}

func (d *TeamDay) falls(t time.Time) bool {
	return (d.year == 0 || d.year == t.Year()) && d.month == int(t.Month()) && d.day == t.Day()
}

// buildCalendar validates the holidays section and derives the lookup the checks use.
func (r *Rules) buildCalendar(add func(path, pt, en string, args ...any)) {
	h := &r.Holidays
	name := h.Calendar
	switch {
	case name != "" && len(h.Calendars) > 0:
		add("holidays.calendars", "informe só holidays.calendar (%s ou %s)", "give holidays.calendar alone (%s or %s)", CalendarBanking, CalendarNational)
	case name == "" && len(h.Calendars) == 1 && h.Calendars[0] == "br-national":
		// the name rules files carried before the calendars were data: it was the default
		name = CalendarBanking
	case name == "" && len(h.Calendars) == 1:
		name = h.Calendars[0]
	case name == "" && len(h.Calendars) > 1:
		add("holidays.calendars", "um calendário só: informe holidays.calendar (%s ou %s)", "one calendar only: give holidays.calendar (%s or %s)", CalendarBanking, CalendarNational)
	case name == "":
		name = CalendarBanking
	}
	days, ok := calendarDays(name)
	if !ok && name != "" {
		path := "holidays.calendar"
		if h.Calendar == "" {
			path = "holidays.calendars[0]"
		}
		add(path, "calendário desconhecido: %q (conhecidos: %s, %s)", "unknown calendar %q (known: %s, %s)", name, CalendarBanking, CalendarNational)
	}
	r.calendarName = name
	if ok { // the effective calendar, as `rules show -o json` prints it
		h.Calendar, h.Calendars = name, nil
	}
	r.days = r.days[:0]
	for _, cd := range days {
		if !containsFoldName(h.Ignore, cd.day.Name) {
			r.days = append(r.days, cd)
		}
	}
	for i, ig := range h.Ignore {
		found := false
		for _, cd := range days {
			found = found || Fold(cd.day.Name) == Fold(ig)
		}
		if !found && ok {
			add(fmt.Sprintf("holidays.ignore[%d]", i), "não há dia chamado %q no calendário %s", "no day named %q in the %s calendar", ig, name)
		}
	}
	for i := range h.Extra {
		d := &h.Extra[i]
		p := fmt.Sprintf("holidays.extra[%d]", i)
		r.checkTeamDay(d, p, StatusClosed, add)
		if d.Open != nil || d.Close != nil {
			add(p, "um dia fechado não tem horário: liste-o em holidays.partial", "a closed day has no hours: list it under holidays.partial")
		}
	}
	for i := range h.Partial {
		d := &h.Partial[i]
		p := fmt.Sprintf("holidays.partial[%d]", i)
		r.checkTeamDay(d, p, StatusShortened, add)
		open, close := r.BusinessHours.Open, r.BusinessHours.Close
		if d.Open == nil && d.Close == nil {
			add(p, "um dia parcial precisa de open, close ou dos dois (HH:MM)", "a partial day needs open, close or both (HH:MM)")
			continue
		}
		if d.Open != nil {
			open = *d.Open
		}
		if d.Close != nil {
			close = *d.Close
		}
		if close <= open {
			add(p+".close", "o fechamento (%s) deve vir depois da abertura (%s)", "closing (%s) must come after opening (%s)", close, open)
		}
	}
}

func (r *Rules) checkTeamDay(d *TeamDay, p, status string, add func(path, pt, en string, args ...any)) {
	if err := d.parseDate(); err != nil {
		add(p+".date", "%q não é uma data AAAA-MM-DD (ou MM-DD, para todos os anos)", "%q is not a date YYYY-MM-DD (or MM-DD for every year)", d.Date)
	}
	if strings.TrimSpace(d.Name) == "" {
		add(p+".name", "falta: o nome do dia aparece nas mensagens", "missing: the day's name shows in messages")
	}
	if d.Status == "" {
		d.Status = status
	} else if !contains(dayStatuses, d.Status) {
		add(p+".status", "%q não é um estado de dia (%s)", "%q is not a day status (%s)", d.Status, strings.Join(dayStatuses, ", "))
	}
}

func containsFoldName(list []string, name string) bool {
	for _, x := range list {
		if Fold(x) == Fold(name) {
			return true
		}
	}
	return false
}

// CalendarName is the built-in calendar the rules use: bancario or nacional.
func (r *Rules) CalendarName() string { return r.calendarName }

// DayOf says what the calendar and the team's days say about the local date of t: a closed
// day, a day with other hours, or an optional day that stays open. The team's days win over
// the calendar's: they are what the operation decided for that date.
func (r *Rules) DayOf(t time.Time) (Day, bool) {
	t = t.In(r.loc)
	for i := range r.Holidays.Extra {
		if d := &r.Holidays.Extra[i]; d.falls(t) {
			return Day{Name: d.Name, Status: d.Status, Closed: true}, true
		}
	}
	for i := range r.Holidays.Partial {
		if d := &r.Holidays.Partial[i]; d.falls(t) {
			day := Day{Name: d.Name, Status: d.Status}
			if d.Open != nil {
				day.Open = *d.Open
			}
			if d.Close != nil {
				day.Close = *d.Close
			}
			return day, true
		}
	}
	y, m, dd := t.Date()
	for _, cd := range r.days {
		actual, _ := cd.when.Calc(y)
		if !actual.IsZero() && actual.Month() == m && actual.Day() == dd {
			return cd.day, true
		}
	}
	return Day{}, false
}

// IsHoliday tells whether the local date of t is a closed day, and names it.
func (r *Rules) IsHoliday(t time.Time) (string, bool) {
	d, ok := r.DayOf(t)
	if !ok || !d.Closed {
		return "", false
	}
	return d.Name, true
}

// Hours are the opening and closing of the local date of t: the business hours, or a
// shortened day's. ok is false on a closed day or a day that is not a business day.
func (r *Rules) Hours(t time.Time) (open, close Clock, ok bool) {
	t = t.In(r.loc)
	bh := &r.BusinessHours
	open, close = bh.Open, bh.Close
	d, special := r.DayOf(t)
	if special && d.Closed || !bh.IsBusinessDay(t.Weekday()) {
		return 0, 0, false
	}
	if special {
		if d.Open != 0 {
			open = d.Open
		}
		if d.Close != 0 {
			close = d.Close
		}
	}
	return open, close, true
}
