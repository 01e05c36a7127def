package diagnose

import (
	"fmt"
	"strings"
	"time"

	"github.com/crefazon/triagem/rules"
)

// This file words times and durations the way a person writes them to a partner: "18/11/2026
// às 10:15 (horário de Brasília)", "pouco mais de uma hora". Written here rather than taken
// from a library: golang.org/x/text formats numbers and plurals but has no relative-duration
// phrasing ("a little over an hour") nor Portuguese's gender of numerals ("uma hora", "um
// dia"), and what a partner reads must follow the support team's style exactly.

var monthsEN = [...]string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// PartnerTime writes an instant in the rules' time zone as a partner reads it:
// "18/11/2026 às 10:15 (horário de Brasília)" or "18 November 2026 at 10:15 (Brasília time)".
// withZone false leaves out the zone, for a second time in the same sentence.
func PartnerTime(t time.Time, loc *time.Location, l Lang, withZone bool) string {
	t = t.In(loc)
	var s string
	if l == "en" {
		s = fmt.Sprintf("%d %s %d at %02d:%02d", t.Day(), monthsEN[t.Month()], t.Year(), t.Hour(), t.Minute())
	} else {
		at := "às"
		if t.Hour() <= 1 { // "à 01:10", "à 00:30": one o'clock and midnight are singular
			at = "à"
		}
		s = fmt.Sprintf("%02d/%02d/%d %s %02d:%02d", t.Day(), t.Month(), t.Year(), at, t.Hour(), t.Minute())
	}
	if !withZone {
		return s
	}
	return s + " (" + zoneName(loc, l) + ")"
}

// zoneName names a time zone as people in it say: "horário de Brasília".
func zoneName(loc *time.Location, l Lang) string {
	name := loc.String()
	if name == "America/Sao_Paulo" {
		return l.T("horário de Brasília", "Brasília time")
	}
	city := name[strings.LastIndex(name, "/")+1:]
	city = strings.ReplaceAll(city, "_", " ")
	return l.T("horário de %s", "%s time", city)
}

// count writes n of a unit: "uma hora", "duas horas", "12 horas"; "an hour", "two hours".
// Numbers up to ten are written in words, larger ones in digits, as style guides ask.
type unit struct {
	ptOne, ptMany string
	feminine      bool
	enOne, enMany string
}

var (
	minutes = unit{"minuto", "minutos", false, "minute", "minutes"}
	hours   = unit{"hora", "horas", true, "hour", "hours"}
	days    = unit{"dia", "dias", false, "day", "days"}
)

var (
	ptMasc = [...]string{"zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove", "dez"}
	ptFem  = [...]string{"zero", "uma", "duas", "três", "quatro", "cinco", "seis", "sete", "oito", "nove", "dez"}
	enNum  = [...]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
)

func (u unit) count(n int, l Lang) string {
	if l == "en" {
		switch {
		case n == 1:
			if u.enOne == "hour" {
				return "an hour"
			}
			return "a " + u.enOne
		case n <= 10:
			return enNum[n] + " " + u.enMany
		}
		return fmt.Sprintf("%d %s", n, u.enMany)
	}
	words := ptMasc
	if u.feminine {
		words = ptFem
	}
	switch {
	case n == 1:
		return words[1] + " " + u.ptOne
	case n <= 10:
		return words[n] + " " + u.ptMany
	}
	return fmt.Sprintf("%d %s", n, u.ptMany)
}

// andAHalf writes n and a half of a unit: "uma hora e meia", "dois dias e meio";
// "an hour and a half", "two and a half days".
func (u unit) andAHalf(n int, l Lang) string {
	if l == "en" {
		if n == 1 {
			return u.count(1, l) + " and a half"
		}
		num := fmt.Sprint(n)
		if n <= 10 {
			num = enNum[n]
		}
		return num + " and a half " + u.enMany
	}
	half := " e meio"
	if u.feminine {
		half = " e meia"
	}
	return u.count(n, l) + half
}

// HumanDuration words a duration as people say it: "pouco mais de uma hora", "cerca de 20
// minutos", "quase dois dias"; "a little over an hour", "about 20 minutes". A whole number of
// units is said as it is ("12 horas"). The sign is ignored.
func HumanDuration(d time.Duration, l Lang) string {
	if d < 0 {
		d = -d
	}
	about := func(s string) string { return l.T("cerca de ", "about ") + s }
	over := func(s string) string { return l.T("pouco mais de ", "a little over ") + s }
	almost := func(s string) string { return l.T("quase ", "almost ") + s }
	switch {
	case d < 45*time.Second:
		return l.T("menos de um minuto", "less than a minute")
	case d < 90*time.Second:
		return about(minutes.count(1, l))
	case d < 55*time.Minute:
		if d%time.Minute == 0 {
			return minutes.count(int(d/time.Minute), l)
		}
		return about(minutes.count(int((d+30*time.Second)/time.Minute), l))
	case d < time.Hour:
		return almost(hours.count(1, l))
	case d <= 24*time.Hour: // "24 horas", as token lifetimes are said, rather than "um dia"
		return roughly(d, time.Hour, hours, l, about, over, almost)
	}
	return roughly(d, 24*time.Hour, days, l, about, over, almost)
}

// roughly words d in whole units of size: exact, about, a little over, and a half, almost
// the next.
func roughly(d, size time.Duration, u unit, l Lang, about, over, almost func(string) string) string {
	n := int(d / size)
	rest := d % size
	frac := float64(rest) / float64(size)
	switch {
	case rest == 0:
		return u.count(n, l)
	case frac < 1.0/30: // under two minutes in an hour, under an hour in a day
		return about(u.count(n, l))
	case frac < 0.4:
		return over(u.count(n, l))
	case frac < 0.6:
		return about(u.andAHalf(n, l))
	case frac < 29.0/30:
		return almost(u.count(n+1, l))
	}
	return about(u.count(n+1, l))
}

// clockPT writes a time of day the Brazilian way: 8h, 18h, 8h30.
func clockPT(c rules.Clock) string {
	h, m := int(c)/60, int(c)%60
	if m == 0 {
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh%02d", h, m)
}

// clockWord writes a time of day in the reply's language: 8h in Portuguese, 08:00 in English.
func clockWord(c rules.Clock, l Lang) string {
	if l == "en" {
		return c.String()
	}
	return clockPT(c)
}

// ptArticle writes "das 8h", "da 1h": Portuguese contracts the article with the hour's number.
func ptArticle(prep string, c rules.Clock) string {
	if int(c)/60 <= 1 {
		return prep + "a " + clockPT(c)
	}
	return prep + "as " + clockPT(c)
}

// windowWord writes a daily window: "das 22h às 6h", "from 22:00 to 06:00".
func windowWord(w rules.Window, l Lang) string {
	if l == "en" {
		return "from " + w.Start.String() + " to " + w.End.String()
	}
	to := "às "
	if int(w.End)/60 <= 1 {
		to = "à "
	}
	return ptArticle("d", w.Start) + " " + to + clockPT(w.End)
}

var (
	weekdayPT = [...]string{"domingo", "segunda", "terça", "quarta", "quinta", "sexta", "sábado"}
	weekdayEN = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

// onWeekday writes "em um sábado", "em uma segunda-feira", "on a Saturday".
func onWeekday(wd time.Weekday, l Lang) string {
	if l == "en" {
		return "on a " + weekdayEN[wd]
	}
	if wd == time.Saturday || wd == time.Sunday {
		return "em um " + weekdayPT[wd]
	}
	return "em uma " + weekdayPT[wd] + "-feira"
}

// daysWord writes the business days: "de segunda a sexta", "Monday to Friday"; days that
// are not one run, week order from Monday, are listed: "segunda, quarta e sexta".
func daysWord(bh *rules.BusinessHours, l Lang) string {
	var on []time.Weekday
	for i := 1; i <= 7; i++ {
		wd := time.Weekday(i % 7)
		if bh.IsBusinessDay(wd) {
			on = append(on, wd)
		}
	}
	name := func(wd time.Weekday) string {
		if l == "en" {
			return weekdayEN[wd]
		}
		return weekdayPT[wd]
	}
	switch {
	case len(on) == 0:
		return ""
	case len(on) == 7:
		return l.T("todos os dias", "every day")
	case len(on) == 1:
		return l.T("somente %s", "only %s", name(on[0]))
	}
	run := true
	for i := 1; i < len(on); i++ {
		if int(on[i])%7 != (int(on[i-1])+1)%7 {
			run = false
		}
	}
	if run && len(on) > 2 {
		return l.T("de %s a %s", "%s to %s", name(on[0]), name(on[len(on)-1]))
	}
	names := make([]string, len(on))
	for i, wd := range on {
		names[i] = name(wd)
	}
	last := names[len(names)-1]
	return strings.Join(names[:len(names)-1], ", ") + l.T(" e ", " and ") + last
}
