package evidence

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/crefazon/triagem/diagnose"
)

// summaryMarkdown is the report for the Code team, in Portuguese: what failed, what was ruled
// out and how, what is still open, and what the partner sent. Every text goes through the
// redactor, since messages can quote what the partner typed.
func summaryMarkdown(rd *Redactor, in BundleInput, caseText *caseYAML) string {
	v := in.Verdict
	txt := func(where, s string) string { return rd.Text(SummaryFile+": "+where, s) }
	var b strings.Builder
	title := "Escalonamento para o time de Code"
	if v.Ticket != "" {
		title += " — " + txt("ticket", v.Ticket)
	}
	fmt.Fprintf(&b, "# %s\n\n", title)

	r := v.Request
	fmt.Fprintf(&b, "| | |\n|---|---|\n")
	row := func(k, val string) {
		if val != "" {
			fmt.Fprintf(&b, "| %s | %s |\n", k, strings.ReplaceAll(txt(k, val), "|", "\\|"))
		}
	}
	row("Veredito", fmt.Sprintf("`%s` (seção %s)", v.Category, v.Section))
	if in.Forced {
		row("Escalonamento forçado", in.Reason)
	}
	row("Parceiro", r.Partner)
	row("Usuário", r.User)
	row("Ambiente", r.Environment)
	row("Versão da API", strings.ToUpper(r.APIVersion))
	row("Endpoint", r.Route)
	row("Produto", r.Product)
	row("Data e hora", r.At)
	if len(r.KeySHA256) >= 12 {
		row("API Key", "sha256 "+r.KeySHA256[:12]+"…")
	}
	fmt.Fprintf(&b, "\n")

	section := func(title string, want ...diagnose.Status) {
		var lines []string
		for i, c := range v.Checks {
			for _, w := range want {
				if c.Status == w {
					lines = append(lines, fmt.Sprintf("- `%s` (%s): %s", c.ID, c.Section, txt(fmt.Sprintf("checks[%d]", i), c.Message)))
				}
			}
		}
		if len(lines) > 0 {
			fmt.Fprintf(&b, "## %s\n\n%s\n\n", title, strings.Join(lines, "\n"))
		}
	}
	fmt.Fprintf(&b, "## O que falhou\n\n")
	if in.Case.Error != "" {
		fmt.Fprintf(&b, "- Mensagem de erro vista pelo parceiro: %s\n", txt("error", in.Case.Error))
	}
	if resp := in.Case.Response; resp != nil && resp.Status != 0 {
		fmt.Fprintf(&b, "- Status HTTP da resposta: %d\n", resp.Status)
	}
	fmt.Fprintf(&b, "\n")
	section("Verificações que acusaram problema", diagnose.Fail)
	section("Descartado na análise prévia", diagnose.Pass)
	section("Pontos de atenção", diagnose.Warn)
	section("Não verificado", diagnose.Skip)
	fmt.Fprintf(&b, "## O que o parceiro enviou (dados pessoais e segredos mascarados)\n\n```yaml\n%s```\n", preview(caseText))
	fmt.Fprintf(&b, "\n<sub>%s · regras %s %s · %s</sub>\n", BundleSchema, in.Rules.Name, in.Rules.Version, in.CreatedAt.UTC().Format("2006-01-02 15:04 UTC"))
	return b.String()
}

// previewLimit keeps the summary readable: a large payload is previewed, and case.yaml holds
// it whole.
const previewLimit = 16 << 10

func preview(c *caseYAML) string {
	if c.size <= previewLimit {
		return string(c.bytes())
	}
	head := c.prefix(previewLimit)
	cut := bytes.LastIndexByte(head, '\n') + 1
	return string(head[:cut]) + fmt.Sprintf("# … (%d bytes a mais: o caso inteiro está em %s)\n", c.size-cut, CaseFile)
}
