package diagnose_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/rules"
)

func TestChainHours(t *testing.T) {
	const (
		temporary    = "Falha de comunicacao com o Motor de Credito. Tente novamente mais tarde."
		notTemporary = "Proposta invalida."
	)
	tests := []struct {
		name     string
		at       string
		opts     []caseOpt
		category string
		business string // hours.business status
		routine  string // hours.routine status
		says     []string
	}{
		{"Consciência Negra 2026, 10:00, 503", "2026-11-20 10:00", []caseOpt{withStatus(503)},
			"off-hours-routine", "warn", "fail", []string{"national holiday", "Consciência Negra", "HTTP 503"}},
		{"Good Friday 2026, 11:00, timeout message", "03/04/2026 11:00", []caseOpt{noResponse(), withError("upstream request timeout")},
			"off-hours-routine", "warn", "fail", []string{"Sexta-feira Santa", "timeout"}},
		{"Christmas, 15:00, 502", "2026-12-25 15:00", []caseOpt{withStatus(502)},
			"off-hours-routine", "warn", "fail", []string{"Natal"}},
		{"Tuesday 14:00, 503: within business hours", "2026-11-17 14:00", []caseOpt{withStatus(503)},
			"no-apparent-cause", "pass", "pass", nil},
		{"Saturday 02:00, inside Friday's 22:00 window, no failure", "2026-11-21 02:00", []caseOpt{noResponse()},
			"off-hours-routine", "warn", "fail", []string{"Saturday", "rotinas noturnas", "22:00-06:00"}},
		{"Saturday 15:00, 400, not a temporary message", "2026-11-21 15:00", []caseOpt{withStatus(400), withError(notTemporary)},
			"no-apparent-cause", "warn", "pass", nil},
		{"Saturday 15:00, 400, a temporary message", "2026-11-21 15:00", []caseOpt{withStatus(400), withError(temporary)},
			"off-hours-routine", "warn", "fail", []string{"Motor de Credito"}},
		{"Saturday 15:00, the temporary message only in the response body", "2026-11-21 15:00",
			[]caseOpt{withStatus(400), withError(""), withResponseBody(`{"success": false, "data": null, "errors": ["` + temporary + `"]}`)},
			"off-hours-routine", "warn", "fail", nil},
		{"Sunday 09:00, 504", "2026-11-22 09:00", []caseOpt{withStatus(504)},
			"off-hours-routine", "warn", "fail", []string{"Sunday"}},
		{"20 November 2023, a Monday before the holiday was national, 10:00, 503", "2023-11-20 10:00", []caseOpt{withStatus(503)},
			"no-apparent-cause", "pass", "pass", nil},
		{"20 November 2024, first national one, 10:00, 503", "2024-11-20 10:00", []caseOpt{withStatus(503)},
			"off-hours-routine", "warn", "fail", nil},
		{"weekday 07:30, before opening, 504", "2026-11-18 07:30", []caseOpt{withStatus(504)},
			"off-hours-routine", "warn", "fail", []string{"before opening"}},
		{"weekday 07:30, before opening, 400", "2026-11-18 07:30", []caseOpt{withStatus(400)},
			"no-apparent-cause", "warn", "pass", nil},
		{"weekday 08:00 sharp: open", "2026-11-18 08:00", []caseOpt{withStatus(503)},
			"no-apparent-cause", "pass", "pass", nil},
		{"weekday 17:59: open", "2026-11-18 17:59", []caseOpt{withStatus(503)},
			"no-apparent-cause", "pass", "pass", nil},
		{"weekday 18:00 sharp: closed, but no routine and no failure", "2026-11-18 18:00", []caseOpt{withStatus(400)},
			"no-apparent-cause", "warn", "pass", nil},
		{"weekday 18:00, 503", "2026-11-18 18:00", []caseOpt{withStatus(503)},
			"off-hours-routine", "warn", "fail", []string{"after closing"}},
		{"weekday 22:00 sharp: routine starts", "2026-11-18 22:00", []caseOpt{withStatus(400)},
			"off-hours-routine", "warn", "fail", nil},
		{"weekday 21:59: not yet", "2026-11-18 21:59", []caseOpt{withStatus(400)},
			"no-apparent-cause", "warn", "pass", nil},
		{"weekday 05:59: routine still on", "2026-11-18 05:59", []caseOpt{withStatus(400)},
			"off-hours-routine", "warn", "fail", nil},
		{"weekday 06:00 sharp: routine over", "2026-11-18 06:00", []caseOpt{withStatus(400)},
			"no-apparent-cause", "warn", "pass", nil},
		{"a UTC time that is Friday night in São Paulo", "2026-11-21T01:30:00Z", []caseOpt{withStatus(400)},
			"off-hours-routine", "warn", "fail", []string{"2026-11-20 22:30 -03"}},
		{"no request time", "2026-11-18 10:00", []caseOpt{noTime()},
			"evidence-incomplete", "skip", "skip", nil},
		{"Carnival Monday 2026, 10:00, 503: banks closed", "2026-02-16 10:00", []caseOpt{withStatus(503)},
			"off-hours-routine", "warn", "fail", []string{"ponto facultativo: Carnaval, banks closed"}},
		{"Carnival Monday 2026, 23:00, no failure: the nightly routine", "2026-02-16 23:00", []caseOpt{withStatus(400)},
			"off-hours-routine", "warn", "fail", []string{"Carnaval", "rotinas noturnas"}},
		{"Carnival Tuesday 2027, 15:00, 504", "2027-02-09 15:00", []caseOpt{withStatus(504)},
			"off-hours-routine", "warn", "fail", []string{"ponto facultativo", "Carnaval"}},
		{"Corpus Christi 2026, 10:00, 503", "2026-06-04 10:00", []caseOpt{withStatus(503)},
			"off-hours-routine", "warn", "fail", []string{"ponto facultativo", "Corpus Christi"}},
		{"Ash Wednesday 2026, 10:00, 503: before the 12:00 opening", "2026-02-18 10:00", []caseOpt{withStatus(503)},
			"off-hours-routine", "warn", "fail", []string{"before the 12:00 opening", "Quarta-feira de Cinzas"}},
		{"Ash Wednesday 2026, 11:59, 400", "2026-02-18 11:59", []caseOpt{withStatus(400)},
			"no-apparent-cause", "warn", "pass", nil},
		{"Ash Wednesday 2026, 12:00 sharp, 503: open", "2026-02-18 12:00", []caseOpt{withStatus(503)},
			"no-apparent-cause", "pass", "pass", nil},
		{"Ash Wednesday 2026, 13:00, 503: open", "2026-02-18 13:00", []caseOpt{withStatus(503)},
			"no-apparent-cause", "pass", "pass", nil},
		{"Tiradentes 2026, a Tuesday, 10:00, 503", "2026-04-21 10:00", []caseOpt{withStatus(503)},
			"off-hours-routine", "warn", "fail", []string{"national holiday: Tiradentes"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := diagnoseWith(t, newChain(t, testDirectory(), "en"), newCase(t, tc.at, tc.opts...))
			w := want{
				category: tc.category,
				escalate: tc.category == "no-apparent-cause",
				status:   st{"hours.business": statusOf(tc.business), "hours.routine": statusOf(tc.routine)},
			}
			if len(tc.says) > 0 {
				w.says = st2says("hours.routine", tc.says...)
			}
			assertVerdict(t, v, w)
		})
	}
}

// Under the national calendar (the law alone), Carnival, Ash Wednesday and Corpus Christi are
// working days with the usual hours; the message still names the day.
func TestChainHoursNationalCalendar(t *testing.T) {
	data := bytes.Replace(rules.DefaultYAML(), []byte("  calendar: bancario"), []byte("  calendar: nacional"), 1)
	r, err := rules.Load("nacional.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		at       string
		category string
		business diagnose.Status
		says     string
	}{
		{"2026-02-16 10:00", "no-apparent-cause", diagnose.Pass, "ponto facultativo: Carnaval, dia útil no calendário nacional"},
		{"2026-02-17 10:00", "no-apparent-cause", diagnose.Pass, "Carnaval"},
		{"2026-02-18 09:00", "no-apparent-cause", diagnose.Pass, "Quarta-feira de Cinzas"},
		{"2026-06-04 10:00", "no-apparent-cause", diagnose.Pass, "Corpus Christi"},
		{"2026-04-03 10:00", "off-hours-routine", diagnose.Warn, "feriado nacional: Sexta-feira Santa"},
		{"2026-11-20 10:00", "off-hours-routine", diagnose.Warn, "feriado nacional: Dia da Consciência Negra"},
	} {
		t.Run(tc.at, func(t *testing.T) {
			ch := &diagnose.Chain{Rules: r, Dir: testDirectory(), Lang: "pt-BR"}
			v := diagnoseWith(t, ch, newCase(t, tc.at, withStatus(503)))
			assertVerdict(t, v, want{category: tc.category, escalate: tc.category == "no-apparent-cause",
				status: st{"hours.business": tc.business}, says: st2says("hours.business", tc.says)})
		})
	}
}

// On a shortened day the business check says which hours held.
func TestChainHoursShortenedDayMessage(t *testing.T) {
	v := diagnoseWith(t, newChain(t, testDirectory(), "pt-BR"), newCase(t, "2026-02-18 13:00", withStatus(400)))
	r := result(t, v, "hours.business")
	if r.Status != diagnose.Pass || !strings.Contains(r.Message, "ponto facultativo: Quarta-feira de Cinzas, expediente das 12:00 às 18:00") {
		t.Errorf("hours.business = %s %q", r.Status, r.Message)
	}
	v = diagnoseWith(t, newChain(t, testDirectory(), "pt-BR"), newCase(t, "2026-02-18 10:00", withStatus(400)))
	r = result(t, v, "hours.business")
	if r.Status != diagnose.Warn || !strings.Contains(r.Message, "antes da abertura das 12:00 (ponto facultativo: Quarta-feira de Cinzas)") {
		t.Errorf("hours.business = %s %q", r.Status, r.Message)
	}
}

func statusOf(s string) diagnose.Status { return diagnose.Status(s) }
