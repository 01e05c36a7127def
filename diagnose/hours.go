package diagnose

import (
	"fmt"
	"time"

	"github.com/crefazon/triagem/rules"
)

// offHours says why a local time is outside business hours, or "" inside them. On a
// shortened day (Ash Wednesday under the banking calendar) the day's own hours count.
func offHours(r *rules.Rules, at time.Time, l Lang) string {
	lt := at.In(r.Location())
	day, special := r.DayOf(lt)
	if special && day.Closed {
		return closedDayText(day, l)
	}
	if !r.BusinessHours.IsBusinessDay(lt.Weekday()) {
		return weekdayName(lt.Weekday(), l)
	}
	open, close, _ := r.Hours(lt)
	clock := rules.ClockOf(lt)
	shortened := special && day.Shortened()
	switch {
	case clock < open && shortened:
		return l.T("antes da abertura das %s (%s)", "before the %s opening (%s)", open, dayLabel(day, l))
	case clock < open:
		return l.T("antes da abertura (%s)", "before opening (%s)", open)
	case clock >= close && shortened:
		return l.T("depois do fechamento das %s (%s)", "after the %s closing (%s)", close, dayLabel(day, l))
	case clock >= close:
		return l.T("depois do fechamento (%s)", "after closing (%s)", close)
	}
	return ""
}

// dayLabel names a calendar day with its status: "feriado nacional: Tiradentes".
func dayLabel(d rules.Day, l Lang) string {
	switch d.Status {
	case rules.StatusNationalHoliday:
		return l.T("feriado nacional: %s", "national holiday: %s", d.Name)
	case rules.StatusStateHoliday:
		return l.T("feriado estadual: %s", "state holiday: %s", d.Name)
	case rules.StatusMunicipalHoliday:
		return l.T("feriado municipal: %s", "municipal holiday: %s", d.Name)
	case rules.StatusOptional:
		return l.T("ponto facultativo: %s", "ponto facultativo: %s", d.Name) // a domain term, kept in English
	case rules.StatusShortened:
		return l.T("expediente reduzido: %s", "shortened day: %s", d.Name)
	}
	return l.T("dia sem expediente: %s", "closed day: %s", d.Name)
}

// closedDayText says why a closed day is closed; an optional day closed by the banking
// calendar says so, since the law alone would keep it open.
func closedDayText(d rules.Day, l Lang) string {
	if d.BanksClosed {
		return l.T("ponto facultativo: %s, bancos fechados", "ponto facultativo: %s, banks closed", d.Name)
	}
	return dayLabel(d, l)
}

// openDayNote names what is special about an open day: a shortened day's hours, or an
// optional day that the calendar keeps open; "" on an ordinary day.
func openDayNote(r *rules.Rules, at time.Time, l Lang) string {
	day, special := r.DayOf(at)
	switch {
	case !special || day.Closed:
		return ""
	case day.Shortened():
		open, close, _ := r.Hours(at)
		return l.T("%s, expediente das %s às %s", "%s, open %s to %s", dayLabel(day, l), open, close)
	}
	return l.T("%s, dia útil no calendário %s", "%s, a working day in the %s calendar", dayLabel(day, l), r.CalendarName())
}

func weekdayName(wd time.Weekday, l Lang) string {
	pt := []string{"domingo", "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado"}
	if l == "en" {
		return wd.String()
	}
	return pt[wd]
}

// routineAt returns the routine whose window holds the local time of at. A window that
// crosses midnight belongs to the day it starts on: Saturday 02:00 is in Friday's window.
func routineAt(r *rules.Rules, at time.Time) (*rules.Routine, bool) {
	lt := at.In(r.Location())
	clock := rules.ClockOf(lt)
	yesterday := lt.AddDate(0, 0, -1).Weekday()
	for i := range r.Routines {
		rt := &r.Routines[i]
		w := rt.Window
		if !w.CrossesMidnight() {
			if rt.StartsOn(lt.Weekday()) && clock >= w.Start && clock < w.End {
				return rt, true
			}
			continue
		}
		if (rt.StartsOn(lt.Weekday()) && clock >= w.Start) || (rt.StartsOn(yesterday) && clock < w.End) {
			return rt, true
		}
	}
	return nil, false
}

// unavailability says how the request failed as unavailable (a 5xx, a timeout, a known
// temporary message), or "" when it did not.
func unavailability(c *Context) string {
	f, r, l := c.Facts, c.Rules, c.L
	if f.Status != 0 && r.IsUnavailableStatus(f.Status) {
		return fmt.Sprintf("HTTP %d", f.Status)
	}
	texts := []string{f.ErrorText}
	if f.Case.Response != nil && f.Case.Response.Body.Present {
		texts = append(texts, string(f.Case.Response.Body.Raw))
	}
	for _, t := range texts {
		if t == "" {
			continue
		}
		if r.IsTimeoutText(t) {
			return l.T("tempo esgotado", "timeout")
		}
		if e, ok := r.KnownErrorIn(t); ok && e.Temporary {
			return l.T("falha temporária %q", "temporary failure %q", e.Message)
		}
	}
	return ""
}

func checkBusinessHours(c *Context) (Status, string) {
	st, msg := businessHours(c)
	switch c.Facts.AtNote {
	case TimeInGap:
		msg += c.L.T(". Atenção: a hora informada não existiu nesse dia (início do horário de verão); foi lida como %s, como faz a base de fusos horários",
			". Note: the time given did not exist that day (daylight saving began); it was read as %s, as the time zone database does", c.when(c.Facts.At))
	case TimeRepeats:
		msg += c.L.T(". Atenção: a hora informada aconteceu duas vezes nesse dia (fim do horário de verão); foi lida como a primeira, %s",
			". Note: the time given happened twice that day (daylight saving ended); it was read as the first, %s", c.when(c.Facts.At))
	}
	return st, msg
}

func businessHours(c *Context) (Status, string) {
	f, l := c.Facts, c.L
	if !f.HasAt {
		return Skip, l.T("sem data e hora da requisição (request.at)", "no request time (request.at)")
	}
	if why := offHours(c.Rules, f.At, l); why != "" {
		return Warn, l.T("enviada em %s, fora do horário comercial: %s", "sent at %s, outside business hours: %s", c.when(f.At), why)
	}
	if note := openDayNote(c.Rules, f.At, l); note != "" {
		return Pass, l.T("enviada em %s, dentro do horário comercial (%s)", "sent at %s, within business hours (%s)", c.when(f.At), note)
	}
	return Pass, l.T("enviada em %s, dentro do horário comercial", "sent at %s, within business hours", c.when(f.At))
}

func checkRoutine(c *Context) (Status, string) {
	f, l := c.Facts, c.L
	if !f.HasAt {
		return Skip, l.T("sem data e hora da requisição (request.at)", "no request time (request.at)")
	}
	why := offHours(c.Rules, f.At, l)
	if why == "" {
		return Pass, l.T("dentro do horário comercial: sem rotinas programadas", "within business hours: no scheduled routines")
	}
	if rt, ok := routineAt(c.Rules, f.At); ok {
		return Fail, l.T("enviada em %s (%s), durante a rotina %q (%s): reprocessar a requisição", "sent at %s (%s), during routine %q (%s): send the request again",
			c.when(f.At), why, rt.Name, rt.Window)
	}
	if u := unavailability(c); u != "" {
		return Fail, l.T("enviada em %s (%s) e falhou por indisponibilidade (%s): rotinas fora do horário podem causar isso; reprocessar", "sent at %s (%s) and failed as unavailable (%s): off-hours routines can cause this; send it again",
			c.when(f.At), why, u)
	}
	return Pass, l.T("fora do horário comercial, mas fora das janelas de rotina e sem falha de indisponibilidade", "outside business hours, but outside routine windows and not an unavailability failure")
}

func checkKnownError(c *Context) (Status, string) {
	f, l := c.Facts, c.L
	if f.ErrorText == "" {
		return Skip, l.T("sem mensagem de erro", "no error message")
	}
	e, ok := c.Rules.KnownErrorIn(f.ErrorText)
	if !ok {
		if c.Rules.IsTimeoutText(f.ErrorText) {
			return Warn, l.T("a mensagem indica tempo esgotado", "the message reports a timeout")
		}
		return Pass, l.T("mensagem fora da lista de erros conhecidos", "the message is not among the known errors")
	}
	msg := l.T("%q: %s (seção %s)", "%q: %s (section %s)", e.Message, e.Meaning.In(string(l)), e.Section)
	return Warn, msg
}
