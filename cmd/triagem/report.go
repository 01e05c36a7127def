package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/crefazon/triagem/internal/atomicfile"
	"github.com/crefazon/triagem/journal"
	"github.com/crefazon/triagem/render"
	"github.com/crefazon/triagem/rules"
)

// reportSchema names the JSON of a review; its keys never change meaning.
const reportSchema = "triagem.report/v1"

// reportFormats are report's formats: the other commands' (but reply) and a page.
var reportFormats = []string{"table", "json", "markdown", "html"}

type reportOptions struct {
	since, until string
	out          string
	output       string // report's own -o, which also knows html
}

func (a *app) newReportCommand() *cobra.Command {
	opts := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report",
		Short: a.T("Revisão periódica do suporte: categorias, acerto do triagem, prazos, escalonamentos, incidentes", "Periodic review of support: categories, triagem's accuracy, response times, escalations, incidents"),
		Long: a.T(`Resume o diário de chamados de um período para a revisão periódica do procedimento (seção 8):
as categorias dos vereditos por semana ISO; os parceiros com a mesma categoria em dois chamados
ou mais; quantas vezes o veredito do triagem foi a classificação final registrada por 'ticket
resolve', por categoria; quantos chamados cumpriram os prazos de primeira resposta e de
solução das regras e as medianas desses tempos, em horas úteis; a taxa de escalonamento; as
verificações que mais falham; e os incidentes do período.

Os vereditos contados são os diagnósticos do período, com ou sem chamado; os chamados são os
abertos no período, cada um como os seus eventos o deixaram até o fim dele. Um chamado ainda
dentro do prazo, sem a resposta ou a solução, fica de fora da taxa de cumprimento.
O relatório só agrega: nenhum caso, veredito ou nota aparece nele; chamados e parceiros
aparecem pelo identificador.`,
			`Sum up the ticket journal over a period for the procedure's periodic review (section 8):
the verdicts' categories per ISO week; partners with the same category in two tickets or more;
how often triagem's verdict was the final classification recorded by 'ticket resolve', per
category; how many tickets met the rules' first-reply and resolution targets and the median
times, in business hours; the escalation rate; the checks that fail most; and the period's
incidents.

The verdicts counted are the period's diagnoses, with a ticket or without; the tickets are
those opened in the period, each as its events left it by the period's end. A ticket still
within a target, without the reply or the resolution yet, is left out of the rate.
The report only aggregates: no case, verdict or note appears in it; tickets and partners
appear by their ids.`),
		Example: a.T(`  # os últimos 90 dias, na tela
  triagem report --since 90d

  # um trimestre fechado, numa página com gráficos para a reunião de revisão
  triagem report --since 2026-09-01 --until 2026-11-30 -o html --out revisao.html`,
			`  # the last 90 days, on screen
  triagem report --since 90d

  # a closed quarter, as a page with charts for the review meeting
  triagem report --since 2026-09-01 --until 2026-11-30 -o html --out review.html`),
		Args: a.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runReport(cmd.Context(), opts, cmd.Flags().Changed("output"))
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.since, "since", "90d", a.T("o início do período: há quantos dias (90d) ou semanas (13w), ou uma data (2026-09-01)",
		"the period's start: how many days (90d) or weeks (13w) back, or a date (2026-09-01)"))
	f.StringVar(&opts.until, "until", "", a.T("o fim do período, uma data incluída (2026-11-30); padrão: agora",
		"the period's end, a date included (2026-11-30); default: now"))
	f.StringVar(&opts.out, "out", "", a.T("grava o relatório neste `arquivo` (inteiro ou nada) em vez da saída padrão",
		"write the report to this `file` (whole or not at all) instead of standard output"))
	// report's own -o: it knows html, which no other command prints.
	f.StringVarP(&opts.output, "output", "o", "table", a.T("formato: table, json, markdown ou html (uma página com gráficos)",
		"format: table, json, markdown or html (a page with charts)"))
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(reportFormats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// reportFormat settles report's format: its own -o when given, else the one the global
// settings chose (environment, config file), else what --out's extension says.
func (a *app) reportFormat(opts *reportOptions, explicit bool) (string, error) {
	if explicit {
		switch v := strings.ToLower(opts.output); v {
		case "table", "json", "markdown", "html":
			return v, nil
		case "md":
			return "markdown", nil
		}
		return "", inputError("%s", a.T("-o: %q não é um formato do relatório (table, json, markdown, html)", "-o: %q is not a report format (table, json, markdown, html)", opts.output))
	}
	switch strings.ToLower(filepath.Ext(opts.out)) {
	case ".html", ".htm":
		return "html", nil
	case ".json":
		return "json", nil
	case ".md":
		return "markdown", nil
	}
	if a.output == "reply" {
		return "table", nil // a configured reply format has no reply to print here
	}
	return a.output, nil
}

// sinceAgo reads --since 30d or 2w; compiled when a report is first asked for.
var sinceAgo = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d{1,4})([dw])$`) })

// period reads --since and --until in the rules' time zone. A date as --until includes that
// day: the period ends at the next midnight.
func (a *app) period(rl *rules.Rules, opts *reportOptions, now time.Time) (since, until time.Time, err error) {
	loc := rl.Location()
	date := func(flag, v string) (time.Time, error) {
		if t, err := time.ParseInLocation("2006-01-02", v, loc); err == nil {
			return t, nil
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return t, nil
		}
		return time.Time{}, inputError("%s", a.T("%s: %q não é uma data (2026-09-01), nem dias ou semanas atrás (90d, 13w)", "%s: %q is not a date (2026-09-01), nor days or weeks back (90d, 13w)", flag, v))
	}
	until = now.Truncate(time.Second)
	if v := strings.TrimSpace(opts.until); v != "" {
		if until, err = date("--until", v); err != nil {
			return
		}
		if len(v) == len("2006-01-02") {
			until = until.AddDate(0, 0, 1)
		}
	}
	v := strings.TrimSpace(opts.since)
	if m := sinceAgo().FindStringSubmatch(v); m != nil {
		n, _ := strconv.Atoi(m[1])
		if m[2] == "w" {
			n *= 7
		}
		since = until.Add(-time.Duration(n) * 24 * time.Hour)
	} else if since, err = date("--since", v); err != nil {
		return
	}
	if !until.After(since) {
		err = inputError("%s", a.T("--since %s não é antes de --until %s", "--since %s is not before --until %s",
			since.In(loc).Format("2006-01-02 15:04"), until.In(loc).Format("2006-01-02 15:04")))
	}
	return
}

func (a *app) runReport(ctx context.Context, opts *reportOptions, explicit bool) error {
	format, err := a.reportFormat(opts, explicit)
	if err != nil {
		return err
	}
	return a.withTickets(ctx, func(e *ticketEnv) error {
		since, until, err := a.period(e.rl, opts, e.now)
		if err != nil {
			return err
		}
		r, err := e.j.Report(ctx, e.rl, since, until)
		if err != nil {
			return a.journalFailed(e.j, err)
		}
		v := a.reportView(e, r)
		var buf bytes.Buffer
		switch format {
		case "json":
			err = writeJSON(&buf, v)
		case "markdown":
			err = a.reportMarkdown(&buf, v)
		case "html":
			err = a.reportHTML(&buf, v)
		default:
			err = a.reportTable(&buf, v)
		}
		if err != nil {
			return err
		}
		if opts.out == "" || opts.out == "-" {
			_, err = a.stdout.Write(buf.Bytes())
			return err
		}
		// A file gets what the screen would: through the output redactor.
		text := a.outputRedactor().Output(buf.String())
		if err := atomicfile.Write(opts.out, []byte(text), 0o600); err != nil {
			return &exitError{exitDependency, fmt.Errorf("%s", a.T("gravando %s: %s", "writing %s: %s", opts.out, a.pathErr(err)))}
		}
		a.say("triagem: " + a.T("relatório gravado em %s", "report written to %s", opts.out))
		return nil
	})
}

// reportView is the review as every format shows it: the journal's figures, the period in
// the rules' time zone and the language it is written in.
type reportView struct {
	Schema string `json:"schema"`
	*journal.Report
	From     string `json:"from"` // the period in local time, for people
	To       string `json:"to"`
	TimeZone string `json:"time_zone"`
	Lang     string `json:"lang"`
	Journal  string `json:"journal"` // the engine: sqlite or postgres
	loc      *time.Location
}

func (a *app) reportView(e *ticketEnv, r *journal.Report) *reportView {
	loc := e.rl.Location()
	r.Since, r.Until = r.Since.In(loc), r.Until.In(loc)
	for _, i := range r.Incidents {
		i.Note = "" // why it closed is free text: the review only counts
	}
	return &reportView{Schema: reportSchema, Report: r, From: r.Since.Format("2006-01-02 15:04"), To: r.Until.Format("2006-01-02 15:04"),
		TimeZone: loc.String(), Lang: string(a.language()), Journal: e.j.Engine(), loc: loc}
}

// pct writes a rate as a percentage, one decimal when it is not whole, with the language's
// decimal mark; "–" when nothing was measured.
func (a *app) pct(r *float64) string {
	if r == nil {
		return "–"
	}
	v := math.Round(*r*1000) / 10
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if a.language() != "en" {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s + "%"
}

// minutes writes a median in business time, "–" when there is none.
func minutes(m *int64) string {
	if m == nil {
		return "–"
	}
	return hm(time.Duration(*m) * time.Minute)
}

// weekCategories lists a week's categories, the most frequent first.
func weekCategories(w journal.Week) string {
	type kv struct {
		k string
		v int
	}
	var kvs []kv
	for k, v := range w.Categories {
		kvs = append(kvs, kv{k, v})
	}
	sort.Slice(kvs, func(i, j int) bool {
		if kvs[i].v != kvs[j].v {
			return kvs[i].v > kvs[j].v
		}
		return kvs[i].k < kvs[j].k
	})
	parts := make([]string, len(kvs))
	for i, p := range kvs {
		parts[i] = fmt.Sprintf("%s %d", p.k, p.v)
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, ", ")
}

// verdictsOf lists what triagem said of the tickets of a final category, the most first.
func verdictsOf(ca journal.CategoryAccuracy) string {
	return weekCategories(journal.Week{Categories: ca.Verdicts})
}

// section is one part of the table output: a title, then a grid or lines.
func (a *app) reportTable(w io.Writer, v *reportView) error {
	s := a.screen()
	var b bytes.Buffer
	title := func(t string) { fmt.Fprintf(&b, "\n%s\n", t) }
	grid := func(cols []render.Column, rows [][]string, empty string) error {
		if len(rows) == 0 {
			fmt.Fprintln(&b, empty)
			return nil
		}
		return render.Grid(&b, s, cols, rows)
	}
	fmt.Fprintln(&b, render.WrapText(a.T("Revisão do período de %s a %s (%s)", "Review of the period from %s to %s (%s)", v.From, v.To, v.TimeZone), s.Width))
	fmt.Fprintln(&b, render.WrapText(a.T("%d vereditos; %d chamados abertos no período.", "%d verdicts; %d tickets opened in the period.", v.Diagnoses, v.Tickets), s.Width))

	title(a.T("Categorias por semana", "Categories per week"))
	rows := [][]string{}
	for _, wk := range v.Weeks {
		rows = append(rows, []string{wk.Week, wk.Start, strconv.Itoa(wk.Total), weekCategories(wk)})
	}
	if err := grid([]render.Column{{Header: a.T("Semana", "Week")}, {Header: a.T("Início", "Starts")}, {Header: "Total"}, {Header: a.T("Categorias", "Categories"), Wraps: true}}, rows, ""); err != nil {
		return err
	}

	title(a.T("Acerto do triagem: o veredito foi a classificação final", "triagem's accuracy: the verdict was the final classification"))
	fmt.Fprintln(&b, render.WrapText(a.T("%d de %d chamados resolvidos (%s).", "%d of %d resolved tickets (%s).", v.Accuracy.Matched, v.Accuracy.Resolved, a.pct(v.Accuracy.Rate)), s.Width))
	rows = [][]string{}
	for _, ca := range v.Accuracy.Categories {
		rows = append(rows, []string{ca.Category, fmt.Sprintf("%d/%d", ca.Matched, ca.Resolved), a.pct(ca.Rate), verdictsOf(ca)})
	}
	if len(rows) > 0 {
		if err := grid([]render.Column{{Header: a.T("Classificação final", "Final classification"), Wraps: true}, {Header: a.T("Acertos", "Matched")},
			{Header: "%"}, {Header: a.T("Vereditos do triagem", "triagem's verdicts"), Wraps: true}}, rows, ""); err != nil {
			return err
		}
	}

	title(a.T("Prazos de resposta, em horas úteis", "Response-time targets, in business hours"))
	att := func(name string, at journal.Attainment) []string {
		return []string{name, strconv.Itoa(at.Met), strconv.Itoa(at.Missed), strconv.Itoa(at.Pending), a.pct(at.Rate), minutes(at.MedianMinutes)}
	}
	if err := grid([]render.Column{{Header: a.T("Prazo", "Target"), Wraps: true}, {Header: a.T("Cumpridos", "Met")}, {Header: a.T("Perdidos", "Missed")},
		{Header: a.T("Em curso", "Pending")}, {Header: "%"}, {Header: a.T("Mediana", "Median")}},
		[][]string{att(a.T("1ª resposta", "First reply"), v.FirstReply), att(a.T("Solução", "Resolution"), v.Resolution)}, ""); err != nil {
		return err
	}

	title(a.T("Escalonamento", "Escalation"))
	fmt.Fprintln(&b, render.WrapText(a.T("%d de %d chamados escalados (%s).", "%d of %d tickets escalated (%s).", v.Escalated, v.Tickets, a.pct(v.EscalationRate)), s.Width))

	title(a.T("Verificações que mais falham", "Checks that fail most"))
	rows = [][]string{}
	for _, c := range v.FailingChecks {
		share := c.Share
		rows = append(rows, []string{c.Check, strconv.Itoa(c.Failed), a.pct(&share)})
	}
	if err := grid([]render.Column{{Header: a.T("Verificação", "Check")}, {Header: a.T("Falhas", "Failed")}, {Header: a.T("% dos vereditos", "% of verdicts")}},
		rows, a.T("Nenhuma verificação falhou.", "No check failed.")); err != nil {
		return err
	}

	title(a.T("Parceiros com a mesma categoria em mais de um chamado", "Partners with the same category in more than one ticket"))
	rows = [][]string{}
	for _, r := range v.Repeats {
		rows = append(rows, []string{r.Partner, r.Category, strconv.Itoa(len(r.Tickets)), strings.Join(r.Tickets, ", ")})
	}
	if err := grid([]render.Column{{Header: a.T("Parceiro", "Partner"), Wraps: true}, {Header: a.T("Categoria", "Category"), Wraps: true},
		{Header: "N"}, {Header: a.T("Chamados", "Tickets"), Wraps: true}}, rows, a.T("Nenhum.", "None.")); err != nil {
		return err
	}

	title(a.T("Incidentes", "Incidents"))
	rows = [][]string{}
	loc := v.loc
	for _, i := range v.Incidents {
		rows = append(rows, []string{i.ID, i.Status, failure(i), strconv.Itoa(i.Partners), i.OpenedAt.In(loc).Format("2006-01-02 15:04")})
	}
	if err := grid([]render.Column{{Header: a.T("Incidente", "Incident")}, {Header: "Status"}, {Header: a.T("Falha", "Failure"), Wraps: true},
		{Header: a.T("Parceiros", "Partners")}, {Header: a.T("Aberto em", "Opened"), Wraps: true}}, rows, a.T("Nenhum incidente.", "No incidents.")); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// mdCell keeps a value inside its Markdown table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func (a *app) reportMarkdown(w io.Writer, v *reportView) error {
	var b strings.Builder
	table := func(headers []string, rows [][]string) {
		b.WriteString("| " + strings.Join(headers, " | ") + " |\n|" + strings.Repeat("---|", len(headers)) + "\n")
		for _, r := range rows {
			cells := make([]string, len(r))
			for i, c := range r {
				cells[i] = mdCell(c)
			}
			b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
		}
	}
	fmt.Fprintf(&b, "# %s\n\n", a.T("Revisão do período de %s a %s (%s)", "Review of the period from %s to %s (%s)", v.From, v.To, v.TimeZone))
	fmt.Fprintf(&b, "%s\n\n", a.T("%d vereditos; %d chamados abertos no período.", "%d verdicts; %d tickets opened in the period.", v.Diagnoses, v.Tickets))

	fmt.Fprintf(&b, "## %s\n\n", a.T("Categorias por semana", "Categories per week"))
	var rows [][]string
	for _, wk := range v.Weeks {
		rows = append(rows, []string{wk.Week, wk.Start, strconv.Itoa(wk.Total), weekCategories(wk)})
	}
	table([]string{a.T("Semana", "Week"), a.T("Início", "Starts"), "Total", a.T("Categorias", "Categories")}, rows)

	fmt.Fprintf(&b, "\n## %s\n\n%s\n\n", a.T("Acerto do triagem", "triagem's accuracy"),
		a.T("O veredito foi a classificação final em %d de %d chamados resolvidos (%s).", "The verdict was the final classification in %d of %d resolved tickets (%s).", v.Accuracy.Matched, v.Accuracy.Resolved, a.pct(v.Accuracy.Rate)))
	rows = nil
	for _, ca := range v.Accuracy.Categories {
		rows = append(rows, []string{ca.Category, fmt.Sprintf("%d/%d", ca.Matched, ca.Resolved), a.pct(ca.Rate), verdictsOf(ca)})
	}
	if len(rows) > 0 {
		table([]string{a.T("Classificação final", "Final classification"), a.T("Acertos", "Matched"), "%", a.T("Vereditos do triagem", "triagem's verdicts")}, rows)
	}

	fmt.Fprintf(&b, "\n## %s\n\n", a.T("Prazos de resposta, em horas úteis", "Response-time targets, in business hours"))
	att := func(name string, at journal.Attainment) []string {
		return []string{name, strconv.Itoa(at.Met), strconv.Itoa(at.Missed), strconv.Itoa(at.Pending), a.pct(at.Rate), minutes(at.MedianMinutes)}
	}
	table([]string{a.T("Prazo", "Target"), a.T("Cumpridos", "Met"), a.T("Perdidos", "Missed"), a.T("Em curso", "Pending"), "%", a.T("Mediana", "Median")},
		[][]string{att(a.T("1ª resposta", "First reply"), v.FirstReply), att(a.T("Solução", "Resolution"), v.Resolution)})

	fmt.Fprintf(&b, "\n## %s\n\n%s\n", a.T("Escalonamento", "Escalation"),
		a.T("%d de %d chamados escalados (%s).", "%d of %d tickets escalated (%s).", v.Escalated, v.Tickets, a.pct(v.EscalationRate)))

	fmt.Fprintf(&b, "\n## %s\n\n", a.T("Verificações que mais falham", "Checks that fail most"))
	rows = nil
	for _, c := range v.FailingChecks {
		share := c.Share
		rows = append(rows, []string{c.Check, strconv.Itoa(c.Failed), a.pct(&share)})
	}
	if len(rows) == 0 {
		b.WriteString(a.T("Nenhuma verificação falhou.", "No check failed.") + "\n")
	} else {
		table([]string{a.T("Verificação", "Check"), a.T("Falhas", "Failed"), a.T("% dos vereditos", "% of verdicts")}, rows)
	}

	fmt.Fprintf(&b, "\n## %s\n\n", a.T("Parceiros com a mesma categoria em mais de um chamado", "Partners with the same category in more than one ticket"))
	rows = nil
	for _, r := range v.Repeats {
		rows = append(rows, []string{r.Partner, r.Category, strconv.Itoa(len(r.Tickets)), strings.Join(r.Tickets, ", ")})
	}
	if len(rows) == 0 {
		b.WriteString(a.T("Nenhum.", "None.") + "\n")
	} else {
		table([]string{a.T("Parceiro", "Partner"), a.T("Categoria", "Category"), "N", a.T("Chamados", "Tickets")}, rows)
	}

	fmt.Fprintf(&b, "\n## %s\n\n", a.T("Incidentes", "Incidents"))
	rows = nil
	loc := v.loc
	for _, i := range v.Incidents {
		rows = append(rows, []string{i.ID, i.Status, failure(i), strconv.Itoa(i.Partners), i.OpenedAt.In(loc).Format("2006-01-02 15:04")})
	}
	if len(rows) == 0 {
		b.WriteString(a.T("Nenhum incidente.", "No incidents.") + "\n")
	} else {
		table([]string{a.T("Incidente", "Incident"), "Status", a.T("Falha", "Failure"), a.T("Parceiros", "Partners"), a.T("Aberto em", "Opened")}, rows)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
