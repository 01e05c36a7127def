// Package render turns verdicts into what people and scripts read: a table for the terminal,
// JSON Lines for scripts and CI, Markdown for tickets. It decides nothing: every word of
// judgement comes from the verdict.
package render

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/rules"
)

// Formats are the values of -o/--output. "reply" prints only the reply to the partner, ready
// to pipe into clip.exe or pbcopy.
var Formats = []string{"table", "json", "markdown", "reply"}

// Verdict writes one verdict in format; the table is laid out for the screen.
func Verdict(w io.Writer, format string, v *diagnose.Verdict, s Screen) error {
	switch format {
	case "json":
		return JSON(w, v)
	case "markdown":
		return Markdown(w, v)
	case "reply":
		return Reply(w, v)
	default:
		return Table(w, v, s)
	}
}

// JSON writes the verdict as one line of JSON (several verdicts make JSON Lines).
func JSON(w io.Writer, v *diagnose.Verdict) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // URLs and messages keep their & < >
	return enc.Encode(v)
}

var symbols = map[diagnose.Status]string{diagnose.Pass: "✓", diagnose.Warn: "!", diagnose.Fail: "✗", diagnose.Skip: "–"}

func t(v *diagnose.Verdict, pt, en string) string { return diagnose.Lang(v.Lang).T(pt, en) }

func lang(v *diagnose.Verdict) diagnose.Lang { return diagnose.Lang(v.Lang) }

func yesNo(v *diagnose.Verdict, b bool) string {
	if b {
		return t(v, "sim", "yes")
	}
	return t(v, "não", "no")
}

// Table writes the verdict for a person, laid out for the screen: the verdict on top, then
// the checks that failed, warned or were skipped (passing ones as one line, unless s.All),
// then the reply as plain text, ready to copy, and the documentation links on lines of
// their own.
func Table(w io.Writer, v *diagnose.Verdict, s Screen) error {
	var rows [][]string
	if v.Case != "" {
		rows = append(rows, []string{t(v, "Caso", "Case"), v.Case})
	}
	if v.Ticket != "" {
		rows = append(rows, []string{t(v, "Chamado", "Ticket"), v.Ticket})
	}
	rows = append(rows,
		[]string{t(v, "Seção", "Section"), v.Section},
		[]string{t(v, "Ação", "Action"), ActionLabel(v.Action, diagnose.Lang(v.Lang))},
		[]string{t(v, "Escalar", "Escalate"), escalation(v)},
	)
	if req := requestLine(v); req != "" {
		rows = append(rows, []string{t(v, "Requisição", "Request"), req})
	}
	missing := "—"
	if len(v.MissingEvidence) > 0 {
		missing = strings.Join(v.MissingEvidence, ", ")
	}
	rows = append(rows, []string{t(v, "Evidências faltando", "Missing evidence"), missing})
	category := CategoryLabel(v.Category, diagnose.Lang(v.Lang))
	if v.Category != "no-apparent-cause" {
		category = s.paint(bold, category)
	}
	top := grid{cols: []Column{{t(v, "Veredito", "Verdict"), false}, {category, true}}, rows: rows}
	if err := top.render(w, s); err != nil {
		return err
	}
	if err := checksTable(w, v.Checks, s, diagnose.Lang(v.Lang), true); err != nil {
		return err
	}
	if v.Intake != nil && len(v.Intake.Notes) > 0 {
		fmt.Fprintf(w, "\n%s:\n", intakeTitle(v))
		for _, n := range v.Intake.Notes {
			fmt.Fprintf(w, "  - %s\n", strings.ReplaceAll(WrapText(n, s.width()-4), "\n", "\n    "))
		}
	}
	if v.Incident != nil {
		fmt.Fprintf(w, "\n%s\n", WrapText(t(v, fmt.Sprintf("Incidente %s: a mesma falha atinge %d parceiros (aberto em %s).", v.Incident.ID, v.Incident.Partners, v.Incident.OpenedAt),
			fmt.Sprintf("Incident %s: the same failure affects %d partners (opened %s).", v.Incident.ID, v.Incident.Partners, v.Incident.OpenedAt)), s.width()))
	}
	fmt.Fprintf(w, "\n%s:\n%s\n", t(v, "Resposta ao parceiro", "Reply to the partner"), WrapText(v.Reply, s.width()))
	if len(v.Docs) > 0 {
		fmt.Fprintf(w, "\n%s:\n", t(v, "Documentação", "Documentation"))
		for _, d := range v.Docs {
			fmt.Fprintf(w, "  %s\n", d)
		}
	}
	return nil
}

// intakeTitle heads what the reader of a pasted request noticed.
func intakeTitle(v *diagnose.Verdict) string {
	return t(v, "Observações da leitura", "Notes from reading the input")
}

// statusRank orders checks for a person: what failed first, then warnings, then what could
// not run, then what passed.
var statusRank = map[diagnose.Status]int{diagnose.Fail: 0, diagnose.Warn: 1, diagnose.Skip: 2, diagnose.Pass: 3}

var statusColour = map[diagnose.Status]string{diagnose.Fail: red + ";" + bold, diagnose.Warn: yellow + ";" + bold, diagnose.Skip: dim, diagnose.Pass: green}

// checksTable writes the checks, those that did not pass first; passing checks are one
// summary line unless s.All.
func checksTable(w io.Writer, checks []diagnose.Result, s Screen, l diagnose.Lang, withSection bool) error {
	shown := slices.Clone(checks)
	slices.SortStableFunc(shown, func(a, b diagnose.Result) int { return statusRank[a.Status] - statusRank[b.Status] })
	passed := 0
	for _, c := range checks {
		if c.Status == diagnose.Pass {
			passed++
		}
	}
	if !s.All {
		shown = shown[:len(shown)-passed]
	}
	if len(shown) > 0 {
		g := grid{cols: []Column{{"", false}, {l.T("Verificação", "Check"), false}}}
		if withSection {
			g.cols = append(g.cols, Column{l.T("Seção", "Section"), false})
		}
		g.cols = append(g.cols, Column{l.T("Resultado", "Finding"), true})
		for _, c := range shown {
			paint := statusColour[c.Status]
			row := []string{s.paint(paint, symbols[c.Status]), c.ID}
			if c.Status == diagnose.Fail || c.Status == diagnose.Warn {
				row[1] = s.paint(paint, c.ID)
			}
			if withSection {
				row = append(row, c.Section)
			}
			row = append(row, c.Message)
			g.rows = append(g.rows, row)
		}
		if err := g.render(w, s); err != nil {
			return err
		}
	}
	if passed > 0 && !s.All {
		var line string
		if passed == 1 {
			line = l.T("1 verificação passou (--all lista todas)", "1 check passed (--all lists them all)")
		} else {
			line = l.T("%d verificações passaram (--all lista todas)", "%d checks passed (--all lists them all)", passed)
		}
		fmt.Fprintf(w, "%s %s\n", s.paint(green, symbols[diagnose.Pass]), line)
	}
	return nil
}

func escalation(v *diagnose.Verdict) string {
	if v.Category == "no-apparent-cause" && !v.Escalate {
		return t(v, "não: análise prévia incompleta (sem diretório, chave e usuário não verificados)", "no: prior analysis incomplete (no directory, key and user not checked)")
	}
	return yesNo(v, v.Escalate)
}

func requestLine(v *diagnose.Verdict) string {
	r := v.Request
	var parts []string
	for _, p := range []string{r.Route, r.Environment, strings.ToUpper(r.APIVersion), r.Product, r.At, r.User} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " · ")
}

// Reply writes only the reply to the partner, as it goes out: nothing for support around it.
func Reply(w io.Writer, v *diagnose.Verdict) error {
	_, err := fmt.Fprintln(w, v.Reply)
	return err
}

// ReplySeparator goes between the replies of several cases under -o reply: a line no reply
// holds, so that each reply is copied whole.
const ReplySeparator = "\n==============================\n\n"

// Markdown writes the verdict ready to paste into a ticket.
func Markdown(w io.Writer, v *diagnose.Verdict) error {
	title := t(v, "Diagnóstico triagem", "triagem diagnosis")
	if v.Ticket != "" {
		title += " — " + v.Ticket
	}
	fmt.Fprintf(w, "### %s\n\n", title)
	fmt.Fprintf(w, "| | |\n|---|---|\n")
	fmt.Fprintf(w, "| **%s** | %s (`%s`) |\n", t(v, "Veredito", "Verdict"), mdText(diagnose.CategoryLabel(v.Category, lang(v))), v.Category)
	fmt.Fprintf(w, "| **%s** | %s |\n", t(v, "Seção do procedimento", "Procedure section"), v.Section)
	fmt.Fprintf(w, "| **%s** | %s (`%s`) |\n", t(v, "Ação", "Action"), mdText(diagnose.ActionLabel(v.Action, lang(v))), v.Action)
	fmt.Fprintf(w, "| **%s** | %s |\n", t(v, "Escalar", "Escalate"), mdCell(escalation(v)))
	if req := requestLine(v); req != "" {
		fmt.Fprintf(w, "| **%s** | %s |\n", t(v, "Requisição", "Request"), mdCell(req))
	}
	missing := "—"
	if len(v.MissingEvidence) > 0 {
		missing = "`" + strings.Join(v.MissingEvidence, "`, `") + "`"
	}
	fmt.Fprintf(w, "| **%s** | %s |\n\n", t(v, "Evidências faltando", "Missing evidence"), missing)

	fmt.Fprintf(w, "#### %s\n\n| | %s | %s | %s |\n|---|---|---|---|\n", t(v, "Verificações", "Checks"),
		t(v, "Verificação", "Check"), t(v, "Seção", "Section"), t(v, "Resultado", "Finding"))
	for _, c := range v.Checks {
		fmt.Fprintf(w, "| %s | `%s` | %s | %s |\n", symbols[c.Status], c.ID, c.Section, mdCell(c.Message))
	}
	if v.Intake != nil && len(v.Intake.Notes) > 0 {
		fmt.Fprintf(w, "\n#### %s\n\n", intakeTitle(v))
		for _, n := range v.Intake.Notes {
			fmt.Fprintf(w, "- %s\n", mdCell(n))
		}
	}
	fmt.Fprintf(w, "\n#### %s\n\n", t(v, "Resposta ao parceiro", "Reply to the partner"))
	for _, line := range strings.Split(ReplyMarkdown(v.Reply), "\n") {
		if line == "" {
			fmt.Fprintln(w, ">")
			continue
		}
		fmt.Fprintf(w, "> %s\n", line)
	}
	if len(v.Docs) > 0 {
		fmt.Fprintf(w, "\n#### %s\n\n", t(v, "Documentação", "Documentation"))
		for _, d := range v.Docs {
			fmt.Fprintf(w, "- <%s>\n", d)
		}
	}
	fmt.Fprintf(w, "\n<sub>%s %s · rules %s %s (sha256 %s…)</sub>\n", v.Schema, v.Lang, v.Rules.Name, v.Rules.Version, short(v.Rules.SHA256))
	return nil
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// mdCell keeps a value inside its table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	return strings.ReplaceAll(s, "\n", "<br>")
}

// Tally counts verdicts by category and action, for the summary of a batch.
type Tally struct {
	byCategory map[string]int
	errors     int
	total      int
}

// Add counts a verdict.
func (s *Tally) Add(v *diagnose.Verdict) { s.AddCategory(v.Category) }

// AddCategory counts a verdict of a category.
func (s *Tally) AddCategory(cat string) {
	if s.byCategory == nil {
		s.byCategory = map[string]int{}
	}
	s.byCategory[cat]++
	s.total++
}

// AddError counts a case that could not be diagnosed.
func (s *Tally) AddError() { s.errors++; s.total++ }

// Summary writes the tally as a table, categories in order of precedence.
func Summary(w io.Writer, s *Tally, lang diagnose.Lang, scr Screen) error {
	g := grid{cols: []Column{{lang.T("Categoria", "Category"), true}, {lang.T("Seção", "Section"), false},
		{lang.T("Ação", "Action"), true}, {lang.T("Casos", "Cases"), false}}}
	for _, c := range s.categories() {
		g.rows = append(g.rows, []string{nameOf(categoryLabels, c, lang), diagnose.CategorySection(c),
			nameOf(actionLabels, diagnose.CategoryAction(c), lang), fmt.Sprint(s.byCategory[c])})
	}
	if s.errors > 0 {
		g.rows = append(g.rows, []string{lang.T("(entrada inválida)", "(bad input)"), "", "", fmt.Sprint(s.errors)})
	}
	g.rows = append(g.rows, []string{lang.T("total", "total"), "", "", fmt.Sprint(s.total)})
	return g.render(w, scr)
}

// categories are the tally's categories in order of precedence.
func (s *Tally) categories() []string {
	cats := make([]string, 0, len(s.byCategory))
	for c := range s.byCategory {
		cats = append(cats, c)
	}
	slices.SortFunc(cats, func(a, b string) int { return precedence(a) - precedence(b) })
	return cats
}

// SummaryJSON writes the tally as one JSON object, for scripts that read a batch's stderr.
func SummaryJSON(w io.Writer, s *Tally) error {
	type count struct {
		Category string `json:"category"`
		Section  string `json:"section"`
		Action   string `json:"action"`
		Cases    int    `json:"cases"`
	}
	out := struct {
		Schema     string  `json:"schema"`
		Categories []count `json:"categories"`
		BadInput   int     `json:"bad_input"`
		Total      int     `json:"total"`
	}{Schema: "triagem.summary/v1", Categories: []count{}, BadInput: s.errors, Total: s.total}
	for _, c := range s.categories() {
		out.Categories = append(out.Categories, count{c, diagnose.CategorySection(c), diagnose.CategoryAction(c), s.byCategory[c]})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

var categoriesInOrder = rules.Categories

func precedence(cat string) int {
	for i, c := range categoriesInOrder {
		if c == cat {
			return i
		}
	}
	return len(categoriesInOrder)
}

// Token writes a token report: header and claims, times, then the checks.
func Token(w io.Writer, tr *diagnose.TokenReport, l diagnose.Lang, markdown bool, s Screen) error {
	if markdown {
		fmt.Fprintf(w, "### %s\n\n| | |\n|---|---|\n", l.T("Token", "Token"))
		for _, row := range tokenRows(tr, l) {
			fmt.Fprintf(w, "| %s | %s |\n", row[0], mdCell(row[1]))
		}
		fmt.Fprintf(w, "\n| | %s | %s |\n|---|---|---|\n", l.T("Verificação", "Check"), l.T("Resultado", "Finding"))
		for _, c := range tr.Checks {
			fmt.Fprintf(w, "| %s | `%s` | %s |\n", symbols[c.Status], c.ID, mdCell(c.Message))
		}
		return nil
	}
	g := grid{cols: []Column{{l.T("Token", "Token"), false}, {"", true}}}
	for _, row := range tokenRows(tr, l) {
		g.rows = append(g.rows, []string{row[0], row[1]})
	}
	if err := g.render(w, s); err != nil {
		return err
	}
	all := s
	all.All = true // a token has few checks: each one is shown
	return checksTable(w, tr.Checks, all, l, false)
}

func tokenRows(tr *diagnose.TokenReport, l diagnose.Lang) [][2]string {
	var rows [][2]string
	for _, k := range sortedKeys(tr.Header) {
		rows = append(rows, [2]string{"header." + k, fmt.Sprint(tr.Header[k])})
	}
	times := map[string]diagnose.TokenTime{}
	for _, t := range tr.Times {
		times[t.Claim] = t
	}
	for _, k := range sortedKeys(tr.Claims) {
		v := fmt.Sprint(tr.Claims[k])
		if t, ok := times[k]; ok {
			v = fmt.Sprintf("%s (%s)", t.Local, t.Relative)
		}
		rows = append(rows, [2]string{k, v})
	}
	if tr.Lifetime != "" {
		rows = append(rows, [2]string{l.T("validade (exp - iat)", "lifetime (exp - iat)"), tr.Lifetime})
	}
	return rows
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
