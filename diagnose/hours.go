package diagnose

import (
	"fmt"
	"time"

	"triagem/rules"
)

// offHours says why a local time is outside business hours, or "" inside them.
func offHours(r *rules.Rules, at time.Time, l Lang) string {
	lt := at.In(r.Location())
	bh := &r.BusinessHours
	if name, ok := r.IsHoliday(lt); ok {
		return l.T("feriado nacional: %s", "national holiday: %s", name)
	}
	if !bh.IsBusinessDay(lt.Weekday()) {
		return weekdayName(lt.Weekday(), l)
	}
	clock := rules.ClockOf(lt)
	if clock < bh.Open {
		return l.T("antes da abertura (%s)", "before opening (%s)", bh.Open)
	}
	if clock >= bh.Close {
		return l.T("depois do fechamento (%s)", "after closing (%s)", bh.Close)
	}
	return ""
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
	f, l := c.Facts, c.L
	if !f.HasAt {
		return Skip, l.T("sem data e hora da requisição (request.at)", "no request time (request.at)")
	}
	if why := offHours(c.Rules, f.At, l); why != "" {
		return Warn, l.T("enviada em %s, fora do horário comercial: %s", "sent at %s, outside business hours: %s", c.when(f.At), why)
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
