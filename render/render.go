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
	"unicode/utf8"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"triagem/diagnose"
	"triagem/rules"
)

// Formats are the values of -o/--output. "reply" prints only the reply to the partner, ready
// to pipe into clip.exe or pbcopy.
var Formats = []string{"table", "json", "markdown", "reply"}

// Verdict writes one verdict in format.
func Verdict(w io.Writer, format string, v *diagnose.Verdict) error {
	switch format {
	case "json":
		return JSON(w, v)
	case "markdown":
		return Markdown(w, v)
	case "reply":
		return Reply(w, v)
	default:
		return Table(w, v)
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

// newTable makes a table that keeps cells as given: long cells are wrapped beforehand with
// wrap, because the library's own wrapping narrows columns to a few words.
func newTable(w io.Writer) *tablewriter.Table {
	return tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	)
}

// wrap breaks text into lines of at most width characters, at spaces.
func wrap(text string, width int) string {
	var b strings.Builder
	for i, para := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		n := 0
		for j, word := range strings.Fields(para) {
			wl := utf8.RuneCountInString(word)
			if j > 0 && n+1+wl > width {
				b.WriteByte('\n')
				n = 0
			} else if j > 0 {
				b.WriteByte(' ')
				n++
			}
			b.WriteString(word)
			n += wl
		}
	}
	return b.String()
}

// Table writes the verdict for a person: the verdict on top, the checks below, then the reply
// as plain text, ready to copy.
func Table(w io.Writer, v *diagnose.Verdict) error {
	top := newTable(w)
	top.Header(t(v, "Veredito", "Verdict"), v.Category)
	rows := [][]string{
		{t(v, "Seção", "Section"), v.Section},
		{t(v, "Ação", "Action"), v.Action},
		{t(v, "Escalar", "Escalate"), escalation(v)},
	}
	if v.Ticket != "" {
		rows = append([][]string{{t(v, "Chamado", "Ticket"), v.Ticket}}, rows...)
	}
	if v.Case != "" {
		rows = append([][]string{{t(v, "Caso", "Case"), v.Case}}, rows...)
	}
	if req := requestLine(v); req != "" {
		rows = append(rows, []string{t(v, "Requisição", "Request"), req})
	}
	missing := "—"
	if len(v.MissingEvidence) > 0 {
		missing = strings.Join(v.MissingEvidence, ", ")
	}
	rows = append(rows, []string{t(v, "Evidências faltando", "Missing evidence"), missing})
	for _, r := range rows {
		r[1] = wrap(r[1], 72)
		if err := top.Append(r); err != nil {
			return err
		}
	}
	if err := top.Render(); err != nil {
		return err
	}

	checks := newTable(w)
	checks.Header("", t(v, "Verificação", "Check"), t(v, "Seção", "Section"), t(v, "Resultado", "Finding"))
	for _, c := range v.Checks {
		if err := checks.Append([]string{symbols[c.Status], c.ID, c.Section, wrap(c.Message, 72)}); err != nil {
			return err
		}
	}
	if err := checks.Render(); err != nil {
		return err
	}
	if v.Intake != nil && len(v.Intake.Notes) > 0 {
		fmt.Fprintf(w, "\n%s:\n", intakeTitle(v))
		for _, n := range v.Intake.Notes {
			fmt.Fprintf(w, "  - %s\n", strings.ReplaceAll(wrap(n, 72), "\n", "\n    "))
		}
	}
	fmt.Fprintf(w, "\n%s:\n%s\n", t(v, "Resposta ao parceiro", "Reply to the partner"), v.Reply)
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
func Summary(w io.Writer, s *Tally, lang diagnose.Lang) error {
	tb := newTable(w)
	tb.Header(lang.T("Categoria", "Category"), lang.T("Seção", "Section"), lang.T("Ação", "Action"), lang.T("Casos", "Cases"))
	cats := make([]string, 0, len(s.byCategory))
	for c := range s.byCategory {
		cats = append(cats, c)
	}
	slices.SortFunc(cats, func(a, b string) int { return precedence(a) - precedence(b) })
	for _, c := range cats {
		if err := tb.Append([]string{c, diagnose.CategorySection(c), diagnose.CategoryAction(c), fmt.Sprint(s.byCategory[c])}); err != nil {
			return err
		}
	}
	if s.errors > 0 {
		if err := tb.Append([]string{lang.T("(entrada inválida)", "(bad input)"), "", "", fmt.Sprint(s.errors)}); err != nil {
			return err
		}
	}
	if err := tb.Append([]string{lang.T("total", "total"), "", "", fmt.Sprint(s.total)}); err != nil {
		return err
	}
	return tb.Render()
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
func Token(w io.Writer, tr *diagnose.TokenReport, l diagnose.Lang, markdown bool) error {
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
	tb := newTable(w)
	tb.Header(l.T("Token", "Token"), "")
	for _, row := range tokenRows(tr, l) {
		if err := tb.Append([]string{row[0], wrap(row[1], 72)}); err != nil {
			return err
		}
	}
	if err := tb.Render(); err != nil {
		return err
	}
	checks := newTable(w)
	checks.Header("", l.T("Verificação", "Check"), l.T("Resultado", "Finding"))
	for _, c := range tr.Checks {
		if err := checks.Append([]string{symbols[c.Status], c.ID, wrap(c.Message, 72)}); err != nil {
			return err
		}
	}
	return checks.Render()
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
