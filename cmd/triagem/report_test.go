package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crefazon/triagem/internal/browsertest"
	"github.com/crefazon/triagem/journal"
)

// reportFixture records a month: verdicts of several categories over four weeks, two tickets
// resolved (one as triagem said), one escalated, and an incident. One partner's id holds
// markup, which the page must show as text.
func reportFixture(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	j, err := journal.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	j.SetIncidentRule(journal.IncidentRule{Partners: 3, Window: 2 * time.Hour})
	loc, _ := time.LoadLocation("America/Sao_Paulo")
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	verdict := func(failed ...string) string {
		var cs []string
		for _, id := range failed {
			cs = append(cs, `{"id":"`+id+`","status":"fail"}`)
		}
		return `{"checks":[{"id":"request.endpoint","status":"pass"}` + strings.Repeat(",", min(len(cs), 1)) + strings.Join(cs, ",") + `]}`
	}
	rec := func(ev journal.Event) {
		t.Helper()
		if _, err := j.Record(ctx, &ev); err != nil {
			t.Fatal(err)
		}
	}
	rec(journal.Event{Ticket: "SUP-1", Kind: journal.KindDiagnose, At: at("2026-11-03 09:00"), Category: "no-apparent-cause", Partner: "p1", VerdictJSON: verdict()})
	rec(journal.Event{Ticket: "SUP-1", Kind: journal.KindReply, At: at("2026-11-03 10:00")})
	rec(journal.Event{Ticket: "SUP-1", Kind: journal.KindEscalate, At: at("2026-11-03 11:00"), Category: "no-apparent-cause", VerdictJSON: verdict()})
	rec(journal.Event{Ticket: "SUP-1", Kind: journal.KindResolve, At: at("2026-11-04 11:00"), Category: "token-invalid"})
	rec(journal.Event{Ticket: "SUP-2", Kind: journal.KindDiagnose, At: at("2026-11-10 09:00"), Category: "token-expired", Partner: "p<b>2</b>", VerdictJSON: verdict("token.expiry")})
	rec(journal.Event{Ticket: "SUP-2", Kind: journal.KindReply, At: at("2026-11-10 09:30")})
	rec(journal.Event{Ticket: "SUP-2", Kind: journal.KindResolve, At: at("2026-11-11 09:30"), Category: "token-expired"})
	rec(journal.Event{Ticket: "SUP-3", Kind: journal.KindDiagnose, At: at("2026-11-12 09:00"), Category: "token-expired", Partner: "p<b>2</b>", VerdictJSON: verdict("token.expiry", "token.lifetime")})
	rec(journal.Event{Kind: journal.KindDiagnose, At: at("2026-11-18 10:00"), Category: "request-syntax", Partner: "p3", VerdictJSON: verdict("payload.syntax")})
	for i, p := range []string{"p4", "p5", "p6"} {
		rec(journal.Event{Kind: journal.KindDiagnose, At: at("2026-11-24 10:00").Add(time.Duration(i) * 10 * time.Minute), Category: "no-apparent-cause",
			Partner: p, Environment: "producao", Route: "POST /api/v2/propostas", ErrorClass: "no-apparent-cause/5xx", VerdictJSON: verdict()})
	}
}

// The page in a real browser: the charts are drawn (SVG bars), the key figures are there,
// its style applies under its own Content-Security-Policy, markup in the data stays text, and
// it asks the network for nothing.
func TestReportPageInChromium(t *testing.T) {
	tab := browsertest.Open(t, "the report's page")
	dir := t.TempDir()
	db := filepath.Join(dir, "diario.db")
	reportFixture(t, db)
	page := filepath.Join(dir, "revisao.html")
	code, stdout, stderr := runApp(t, map[string]string{"TRIAGEM_JOURNAL": db, "TRIAGEM_NOW": "2026-11-30T12:00:00-03:00"},
		"report", "--since", "2026-11-02", "--until", "2026-11-29", "-o", "html", "--out", page)
	if code != 0 || stdout != "" {
		t.Fatalf("report: exit %d\n%s%s", code, stdout, stderr)
	}

	ctx, cancelT := context.WithTimeout(tab.Ctx, time.Minute)
	defer cancelT()
	url := "file://" + filepath.ToSlash(page)
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	count := func(sel string) string {
		return eval(`String(document.querySelectorAll(` + "`" + sel + "`" + `).length)`)
	}
	checks := []struct{ what, got, want string }{
		// Weeks of 2 Nov to 23 Nov: no-apparent-cause; token-expired twice; request-syntax;
		// no-apparent-cause (the incident's three): four segments, one per week.
		{"bars of the weeks", count(`#weeks-chart rect.bar`), "4"},
		{"weeks on the axis", count(`#weeks-chart text.axis`), "8"}, // 4 weeks, 4 grid values
		// The busiest week holds 3 verdicts: the axis is marked at every one, not 0, 1, 3.
		{"grid values", eval(`[...document.querySelectorAll('#weeks-chart text.axis[text-anchor="end"]')].map(t => t.textContent).join(" ")`), "0 1 2 3"},
		{"a drawn bar's height > 0", eval(`String(document.querySelector('#weeks-chart rect.bar').getBBox().height > 0)`), "true"},
		// token-expired matched (a bar); token-invalid did not (its track alone).
		{"accuracy bars", count(`#accuracy-chart rect.bar`), "1"},
		{"accuracy tracks", count(`#accuracy-chart rect.track`), "2"},
		{"failing checks' bars", count(`#checks-chart rect.bar`), "3"},
		{"attainment bars", eval(`String(document.querySelectorAll('#attainment-chart rect.bar').length >= 2)`), "true"},
		{"accuracy", eval(`document.querySelector('#card-accuracy .value').textContent`), "50%"},
		{"escalated", eval(`document.querySelector('#card-escalation .value').textContent`), "33,3%"},
		{"first reply within target", eval(`document.querySelector('#card-first-reply .value').textContent`), "100%"},
		{"median to first reply", eval(`document.querySelector('#card-median-first-reply .value').textContent`), "0h30"},
		{"the incident", eval(`document.querySelector('#incidents td').textContent`), "INC-1"},
		{"the most failed check", eval(`document.querySelector('#checks-chart text.label').textContent`), "token.expiry"},
		{"markup in a partner's id is text", eval(`String(document.querySelectorAll('b').length)`), "0"},
		{"the partner with a repeated category", eval(`document.querySelector('#repeats td').textContent`), "p<b>2</b>"},
		{"style applied under the policy", eval(`getComputedStyle(document.querySelector('.card')).borderTopStyle`), "solid"},
		{"no script", count(`script`), "0"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.what, c.got, c.want)
		}
	}
	csp := eval(`document.querySelector('meta[http-equiv="Content-Security-Policy"]').content`)
	for _, want := range []string{"default-src 'none'", "img-src 'none'", "style-src 'sha256-"} {
		if !strings.Contains(csp, want) {
			t.Errorf("the policy %q lacks %s", csp, want)
		}
	}
	for _, u := range tab.Requests() {
		if u != url {
			t.Errorf("the page requested %s: a report asks for nothing", u)
		}
	}
}

// The weekly chart's axis is marked evenly up to a round top at or above the busiest week.
func TestAxisTicks(t *testing.T) {
	for _, tc := range []struct {
		most int
		top  int
		want string
	}{
		{0, 1, "0 1"},
		{1, 1, "0 1"},
		{3, 3, "0 1 2 3"},
		{5, 5, "0 1 2 3 4 5"},
		{6, 6, "0 2 4 6"},
		{7, 8, "0 2 4 6 8"},
		{10, 10, "0 2 4 6 8 10"},
		{11, 15, "0 5 10 15"},
		{26, 30, "0 10 20 30"},
		{130, 150, "0 50 100 150"},
		{999, 1000, "0 200 400 600 800 1000"},
	} {
		top, ticks := axisTicks(tc.most)
		got := strings.Trim(fmt.Sprint(ticks), "[]")
		if top != tc.top || got != tc.want {
			t.Errorf("axisTicks(%d) = %d, [%s]; want %d, [%s]", tc.most, top, got, tc.top, tc.want)
		}
	}
}
