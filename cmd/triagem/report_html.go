package main

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/crefazon/triagem/journal"
	"github.com/crefazon/triagem/rules"
)

// The review as one self-contained page: inline CSS, charts drawn here as inline SVG, no
// script, no request for anything (the Content-Security-Policy forbids every fetch, and lets
// in only the page's own style block, by its hash). Every text goes through html/template.
// The charts are drawn by hand: a chart library for Go writes SVG files or PNGs, not
// elements to place inside a page, and these charts are bars and text.

const reportCSS = `
:root { color-scheme: light; --ink: #1d2329; --muted: #5c6670; --line: #d6dbe0; --track: #eef1f4; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 980px; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
p.period, p.note { color: var(--muted); margin: 4px 0 12px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { flex: 1 1 160px; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
.card .value { font-size: 1.6rem; font-weight: 600; }
.card .label { color: var(--muted); font-size: .9rem; }
svg.chart { display: block; width: 100%; max-width: 940px; height: auto; }
svg.chart text { font: 12px system-ui, sans-serif; fill: var(--ink); }
svg.chart text.axis { fill: var(--muted); }
svg.chart line.grid { stroke: var(--line); stroke-width: 1; }
svg.chart rect.track { fill: var(--track); }
ul.legend { list-style: none; padding: 0; margin: 8px 0; display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: .9rem; }
ul.legend svg { vertical-align: middle; margin-right: 4px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: .92rem; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--track); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
footer { margin-top: 32px; color: var(--muted); font-size: .85rem; }
`

// reportCSP is the page's Content-Security-Policy: nothing may load; the one style block
// applies because its hash is named. Like reportPage, made when a report is first written,
// not at every command's start.
var reportCSP = sync.OnceValue(func() string {
	sum := sha256.Sum256([]byte(reportCSS))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; img-src 'none'; base-uri 'none'; form-action 'none'"
})

// reportPage is the HTML report's template, parsed on first use: parsing it at package
// init cost every command, --version included, about a tenth of a millisecond.
var reportPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{"n": svgNumber}).Parse(reportPageText))
})

const reportPageText = `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>` + reportCSS + `</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
<p class="period">{{.Period}}</p>
<div class="cards">
{{range .Cards}}<div class="card" id="{{.ID}}"><div class="value">{{.Value}}</div><div class="label">{{.Label}}</div></div>
{{end}}</div>
{{range .Sections}}
<section id="{{.ID}}">
<h2>{{.Title}}</h2>
{{range .Notes}}<p class="note">{{.}}</p>
{{end}}{{with .Chart}}{{template "chart" .}}{{end}}
{{with .Legend}}<ul class="legend">{{range .}}<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="{{.Colour}}"></rect></svg>{{.Name}}</li>{{end}}</ul>{{end}}
{{with .Table}}<table>
<thead><tr>{{range .Head}}<th{{if .Num}} class="n"{{end}}>{{.Text}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range .}}<td{{if .Num}} class="n"{{end}}>{{.Text}}</td>{{end}}</tr>
{{end}}</tbody>
</table>{{end}}
{{with .Empty}}<p class="note">{{.}}</p>{{end}}
</section>
{{end}}
<footer>{{.Footer}}</footer>
</main>
</body>
</html>
{{define "chart"}}<svg class="chart" id="{{.ID}}" role="img" aria-label="{{.Label}}" viewBox="0 0 {{n .W}} {{n .H}}" xmlns="http://www.w3.org/2000/svg">
{{range .Lines}}<line class="grid" x1="{{n .X1}}" y1="{{n .Y1}}" x2="{{n .X2}}" y2="{{n .Y2}}"></line>
{{end}}{{range .Rects}}<rect class="{{.Class}}" x="{{n .X}}" y="{{n .Y}}" width="{{n .W}}" height="{{n .H}}"{{if .Fill}} fill="{{.Fill}}"{{end}}>{{if .Title}}<title>{{.Title}}</title>{{end}}</rect>
{{end}}{{range .Texts}}<text class="{{.Class}}" x="{{n .X}}" y="{{n .Y}}" text-anchor="{{.Anchor}}">{{.Text}}</text>
{{end}}</svg>{{end}}`

// svgNumber writes a coordinate with at most one decimal.
func svgNumber(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

type svgRect struct {
	X, Y, W, H         float64
	Class, Fill, Title string
}

type svgText struct {
	X, Y                float64
	Class, Anchor, Text string
}

type svgLine struct{ X1, Y1, X2, Y2 float64 }

type svgChart struct {
	ID, Label string
	W, H      float64
	Rects     []svgRect
	Texts     []svgText
	Lines     []svgLine
}

type htmlCard struct{ ID, Value, Label string }

type htmlCell struct {
	Text string
	Num  bool
}

type htmlTable struct {
	Head []htmlCell
	Rows [][]htmlCell
}

type legendItem struct{ Name, Colour string }

type htmlSection struct {
	ID, Title string
	Notes     []string
	Chart     *svgChart
	Legend    []legendItem
	Table     *htmlTable
	Empty     string
}

type htmlReport struct {
	Lang, CSP, Title, Period, Footer string
	Cards                            []htmlCard
	Sections                         []htmlSection
}

// categoryColours: one colour per category of the contract, in its order (a palette told
// apart by most colour-blind readers), and grey for anything else.
var categoryColours = []string{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
	"#b07aa1", "#ff9da7", "#9c755f", "#17becf", "#1b9e77", "#7570b3"}

func categoryColour(c string) string {
	for i, x := range rules.Categories {
		if x == c && i < len(categoryColours) {
			return categoryColours[i]
		}
	}
	return "#9aa3ab"
}

const (
	colourMet     = "#59a14f"
	colourMissed  = "#e15759"
	colourPending = "#bab0ac"
	colourBar     = "#4e79a7"
)

func (a *app) reportHTML(w io.Writer, v *reportView) error {
	title := a.T("Revisão periódica do suporte", "Periodic review of support")
	p := htmlReport{Lang: string(a.language()), CSP: reportCSP(), Title: title,
		Period: a.T("De %s a %s (%s). %d vereditos; %d chamados abertos no período.", "From %s to %s (%s). %d verdicts; %d tickets opened in the period.",
			v.From, v.To, v.TimeZone, v.Diagnoses, v.Tickets),
		Footer: a.T("Gerado pelo triagem a partir do diário de chamados (%s). O relatório só agrega: nenhum caso, veredito ou nota aparece nele.",
			"Made by triagem from the ticket journal (%s). The report only aggregates: no case, verdict or note appears in it.", v.Journal)}
	p.Cards = []htmlCard{
		{"card-accuracy", a.pct(v.Accuracy.Rate), a.T("acerto do triagem (%d de %d resolvidos)", "triagem's accuracy (%d of %d resolved)", v.Accuracy.Matched, v.Accuracy.Resolved)},
		{"card-first-reply", a.pct(v.FirstReply.Rate), a.T("1ª resposta no prazo", "first reply within target")},
		{"card-resolution", a.pct(v.Resolution.Rate), a.T("solução no prazo", "resolution within target")},
		{"card-median-first-reply", minutes(v.FirstReply.MedianMinutes), a.T("mediana até a 1ª resposta (horas úteis)", "median to first reply (business hours)")},
		{"card-median-resolution", minutes(v.Resolution.MedianMinutes), a.T("mediana até a solução (horas úteis)", "median to resolution (business hours)")},
		{"card-escalation", a.pct(v.EscalationRate), a.T("escalados (%d de %d chamados)", "escalated (%d of %d tickets)", v.Escalated, v.Tickets)},
	}

	// Categories per week: stacked bars.
	weeks := htmlSection{ID: "weeks", Title: a.T("Categorias por semana", "Categories per week")}
	weeks.Chart, weeks.Legend = a.weeksChart(v.Weeks)
	p.Sections = append(p.Sections, weeks)

	acc := htmlSection{ID: "accuracy", Title: a.T("Acerto do triagem por classificação final", "triagem's accuracy per final classification"),
		Notes: []string{a.T("Em quantos chamados resolvidos o último veredito do triagem foi a classificação final registrada por 'ticket resolve'.",
			"In how many resolved tickets triagem's latest verdict was the final classification recorded by 'ticket resolve'.")}}
	if len(v.Accuracy.Categories) == 0 {
		acc.Empty = a.T("Nenhum chamado resolvido no período.", "No ticket resolved in the period.")
	} else {
		var bars []hbar
		for _, ca := range v.Accuracy.Categories {
			rate := 0.0
			if ca.Rate != nil {
				rate = *ca.Rate
			}
			bars = append(bars, hbar{Label: ca.Category, Parts: []hpart{{rate, categoryColour(ca.Category), a.pct(ca.Rate)}},
				Text: fmt.Sprintf("%d/%d · %s", ca.Matched, ca.Resolved, a.pct(ca.Rate))})
		}
		acc.Chart = hbars("accuracy-chart", a.T("acerto por classificação final", "accuracy per final classification"), bars)
	}
	p.Sections = append(p.Sections, acc)

	att := htmlSection{ID: "attainment", Title: a.T("Prazos de resposta, em horas úteis", "Response-time targets, in business hours"),
		Notes: []string{a.T("Cumpridos, perdidos e ainda em curso (dentro do prazo, sem a resposta ou a solução), pelos prazos das regras de cada categoria.",
			"Met, missed and still pending (within the target, without the reply or the resolution yet), by the rules' targets for each category.")}}
	var abars []hbar
	for _, x := range []struct {
		name string
		at   journal.Attainment
	}{{a.T("1ª resposta", "First reply"), v.FirstReply}, {a.T("Solução", "Resolution"), v.Resolution}} {
		total := float64(x.at.Met + x.at.Missed + x.at.Pending)
		share := func(n int) float64 {
			if total == 0 {
				return 0
			}
			return float64(n) / total
		}
		abars = append(abars, hbar{Label: x.name, Parts: []hpart{
			{share(x.at.Met), colourMet, a.T("%d cumpridos", "%d met", x.at.Met)},
			{share(x.at.Missed), colourMissed, a.T("%d perdidos", "%d missed", x.at.Missed)},
			{share(x.at.Pending), colourPending, a.T("%d em curso", "%d pending", x.at.Pending)}},
			Text: a.T("%s no prazo · mediana %s", "%s within · median %s", a.pct(x.at.Rate), minutes(x.at.MedianMinutes))})
	}
	att.Chart = hbars("attainment-chart", a.T("prazos cumpridos, perdidos e em curso", "targets met, missed and pending"), abars)
	att.Legend = []legendItem{{a.T("cumpridos", "met"), colourMet}, {a.T("perdidos", "missed"), colourMissed}, {a.T("em curso", "pending"), colourPending}}
	p.Sections = append(p.Sections, att)

	esc := htmlSection{ID: "escalation", Title: a.T("Escalonamento", "Escalation"),
		Notes: []string{a.T("%d de %d chamados escalados à equipe técnica (%s).", "%d of %d tickets escalated to the technical team (%s).", v.Escalated, v.Tickets, a.pct(v.EscalationRate))}}
	rate := 0.0
	if v.EscalationRate != nil {
		rate = *v.EscalationRate
	}
	esc.Chart = hbars("escalation-chart", a.T("taxa de escalonamento", "escalation rate"),
		[]hbar{{Label: a.T("escalados", "escalated"), Parts: []hpart{{rate, colourBar, a.pct(v.EscalationRate)}}, Text: a.pct(v.EscalationRate)}})
	p.Sections = append(p.Sections, esc)

	checks := htmlSection{ID: "checks", Title: a.T("Verificações que mais falham", "Checks that fail most"),
		Notes: []string{a.T("Quantos vereditos do período falharam cada verificação.", "How many of the period's verdicts failed each check.")}}
	if len(v.FailingChecks) == 0 {
		checks.Empty = a.T("Nenhuma verificação falhou.", "No check failed.")
	} else {
		most := float64(v.FailingChecks[0].Failed)
		var bars []hbar
		for _, c := range v.FailingChecks {
			share := c.Share
			bars = append(bars, hbar{Label: c.Check, Parts: []hpart{{float64(c.Failed) / most, colourBar, strconv.Itoa(c.Failed)}},
				Text: a.T("%d · %s dos vereditos", "%d · %s of verdicts", c.Failed, a.pct(&share))})
		}
		checks.Chart = hbars("checks-chart", a.T("verificações que mais falham", "checks that fail most"), bars)
	}
	p.Sections = append(p.Sections, checks)

	rep := htmlSection{ID: "repeats", Title: a.T("Parceiros com a mesma categoria em mais de um chamado", "Partners with the same category in more than one ticket")}
	if len(v.Repeats) == 0 {
		rep.Empty = a.T("Nenhum.", "None.")
	} else {
		t := &htmlTable{Head: []htmlCell{{Text: a.T("Parceiro", "Partner")}, {Text: a.T("Categoria", "Category")}, {Text: a.T("Chamados", "Tickets"), Num: true}, {Text: a.T("Quais", "Which")}}}
		for _, r := range v.Repeats {
			t.Rows = append(t.Rows, []htmlCell{{Text: r.Partner}, {Text: r.Category}, {Text: strconv.Itoa(len(r.Tickets)), Num: true}, {Text: strings.Join(r.Tickets, ", ")}})
		}
		rep.Table = t
	}
	p.Sections = append(p.Sections, rep)

	inc := htmlSection{ID: "incidents", Title: a.T("Incidentes", "Incidents")}
	if len(v.Incidents) == 0 {
		inc.Empty = a.T("Nenhum incidente no período.", "No incidents in the period.")
	} else {
		t := &htmlTable{Head: []htmlCell{{Text: a.T("Incidente", "Incident")}, {Text: "Status"}, {Text: a.T("Ambiente", "Environment")}, {Text: a.T("Rota", "Route")},
			{Text: a.T("Classe do erro", "Error class")}, {Text: a.T("Parceiros", "Partners"), Num: true}, {Text: a.T("Casos", "Cases"), Num: true},
			{Text: a.T("Aberto em", "Opened")}, {Text: a.T("Fechado em", "Closed")}}}
		for _, i := range v.Incidents {
			closed := "–"
			if !i.ClosedAt.IsZero() {
				closed = i.ClosedAt.In(v.loc).Format("2006-01-02 15:04")
			}
			t.Rows = append(t.Rows, []htmlCell{{Text: i.ID}, {Text: i.Status}, {Text: i.Environment}, {Text: i.Route}, {Text: i.ErrorClass},
				{Text: strconv.Itoa(i.Partners), Num: true}, {Text: strconv.Itoa(i.Cases), Num: true}, {Text: i.OpenedAt.In(v.loc).Format("2006-01-02 15:04")}, {Text: closed}})
		}
		inc.Table = t
	}
	p.Sections = append(p.Sections, inc)
	return reportPage().Execute(w, p)
}

// axisTicks marks a chart's vertical axis for values up to most: evenly, at a step of 1, 2
// or 5 times a power of ten giving two to five steps, from 0 to the first mark at or above
// most, which is the axis's top (3 is marked 0, 1, 2, 3; 7 is 0, 2, 4, 6, 8; 130 is 0, 50,
// 100, 150).
func axisTicks(most int) (top int, ticks []int) {
	most = max(most, 1)
	step := 1
	for p := 1; step == 1 && most > 5; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if most <= 5*m*p { // at most five steps of m·p
				step = m * p
				break
			}
		}
	}
	top = (most + step - 1) / step * step
	for g := 0; g <= top; g += step {
		ticks = append(ticks, g)
	}
	return top, ticks
}

// weeksChart draws the verdicts per week as bars stacked by category, with the legend of the
// categories present.
func (a *app) weeksChart(weeks []journal.Week) (*svgChart, []legendItem) {
	const W, H, left, right, top, bottom = 940.0, 300.0, 44.0, 8.0, 12.0, 36.0
	c := &svgChart{ID: "weeks-chart", Label: a.T("vereditos por semana e categoria", "verdicts per week and category"), W: W, H: H}
	most := 1
	present := map[string]bool{}
	for _, wk := range weeks {
		most = max(most, wk.Total)
		for k := range wk.Categories {
			present[k] = true
		}
	}
	// The categories in the contract's order, then anything else.
	var order []string
	for _, k := range rules.Categories {
		if present[k] {
			order = append(order, k)
			delete(present, k)
		}
	}
	var rest []string
	for k := range present {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	order = append(order, rest...)

	plotH := H - top - bottom
	axisTop, ticks := axisTicks(most)
	y := func(n float64) float64 { return top + plotH - plotH*n/float64(axisTop) }
	for _, g := range ticks {
		c.Lines = append(c.Lines, svgLine{left, y(float64(g)), W - right, y(float64(g))})
		c.Texts = append(c.Texts, svgText{left - 6, y(float64(g)) + 4, "axis", "end", strconv.Itoa(g)})
	}
	n := max(len(weeks), 1)
	slot := (W - left - right) / float64(n)
	bw := math.Max(slot*0.7, 1)
	every := int(math.Ceil(float64(n) / 26)) // a label for every week while they fit
	for i, wk := range weeks {
		x := left + slot*float64(i) + (slot-bw)/2
		base := 0
		for _, k := range order {
			cnt := wk.Categories[k]
			if cnt == 0 {
				continue
			}
			y0, y1 := y(float64(base+cnt)), y(float64(base))
			c.Rects = append(c.Rects, svgRect{X: x, Y: y0, W: bw, H: y1 - y0, Class: "bar", Fill: categoryColour(k),
				Title: a.T("%s, semana de %s: %d", "%s, week of %s: %d", k, wk.Start, cnt)})
			base += cnt
		}
		if i%every == 0 {
			label := wk.Week
			if j := strings.Index(label, "-"); j >= 0 {
				label = label[j+1:]
			}
			c.Texts = append(c.Texts, svgText{x + bw/2, H - bottom + 16, "axis", "middle", label})
		}
		if wk.Total > 0 && n <= 26 {
			c.Texts = append(c.Texts, svgText{x + bw/2, y(float64(wk.Total)) - 3, "total", "middle", strconv.Itoa(wk.Total)})
		}
	}
	legend := make([]legendItem, len(order))
	for i, k := range order {
		legend[i] = legendItem{k, categoryColour(k)}
	}
	return c, legend
}

// hbar is one row of a horizontal bar chart: parts that add up to at most the whole (1).
type hbar struct {
	Label string
	Parts []hpart
	Text  string
}

type hpart struct {
	Share       float64
	Fill, Title string
}

// hbars draws labelled horizontal bars over a grey track, with a figure after each.
func hbars(id, label string, bars []hbar) *svgChart {
	const W, row, labelW, textW = 940.0, 30.0, 190.0, 230.0
	c := &svgChart{ID: id, Label: label, W: W, H: row*float64(len(bars)) + 8}
	track := W - labelW - textW
	for i, b := range bars {
		y := 4 + row*float64(i)
		c.Texts = append(c.Texts, svgText{labelW - 8, y + 18, "label", "end", b.Label})
		c.Rects = append(c.Rects, svgRect{X: labelW, Y: y + 5, W: track, H: 18, Class: "track"})
		x := labelW
		for _, p := range b.Parts {
			w := track * math.Max(0, math.Min(1, p.Share))
			if w <= 0 {
				continue
			}
			c.Rects = append(c.Rects, svgRect{X: x, Y: y + 5, W: w, H: 18, Class: "bar", Fill: p.Fill, Title: p.Title})
			x += w
		}
		c.Texts = append(c.Texts, svgText{labelW + track + 8, y + 18, "figure", "start", b.Text})
	}
	return c
}
