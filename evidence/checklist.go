package evidence

import (
	"fmt"
	"strings"

	"github.com/crefazon/triagem/diagnose"
)

// Item is one line of the evidence checklist a bundle carries.
type Item struct {
	ID      string `json:"id"`
	Present bool   `json:"present"`
}

// PriorAnalysisItem is the checklist line for the procedure's "análise prévia" (section 8):
// the key and user checks ran against a directory.
const PriorAnalysisItem = "prior_analysis"

// Checklist lists the mandatory evidence (procedure, section 5) and the prior analysis, each
// present or not, as the verdict found them.
func Checklist(v *diagnose.Verdict) []Item {
	missing := map[string]bool{}
	for _, m := range v.MissingEvidence {
		missing[m] = true
	}
	items := make([]Item, 0, len(diagnose.EvidenceItems)+1)
	for _, id := range diagnose.EvidenceItems {
		items = append(items, Item{ID: id, Present: !missing[id]})
	}
	return append(items, Item{ID: PriorAnalysisItem, Present: v.PriorAnalysis == "complete"})
}

// Refusal lists every reason an escalation cannot go: it is the error `escalate` exits 4 with.
type Refusal struct {
	Reasons []string
	Lang    diagnose.Lang // of the reasons, and so of the line that heads them
}

func (r *Refusal) Error() string {
	return r.Lang.T("escalonamento recusado:", "escalation refused:") + "\n  - " + strings.Join(r.Reasons, "\n  - ")
}

// CheckEscalation applies the procedure's rules for escalating (3.6, 3.9, 4.5, 5, 8): every
// mandatory evidence item present, the prior analysis done, and no cause named by the verdict
// unless forced with a reason. Nothing overrides missing evidence or an incomplete analysis.
// It returns nil when the case may go.
func CheckEscalation(v *diagnose.Verdict, force bool, l diagnose.Lang) *Refusal {
	var reasons []string
	for _, m := range v.MissingEvidence {
		reasons = append(reasons, l.T("falta evidência obrigatória: %s (%s)", "missing mandatory evidence: %s (%s)", m, diagnose.EvidenceName(m, l)))
	}
	if v.PriorAnalysis != "complete" {
		reasons = append(reasons, l.T(
			"análise prévia incompleta: as verificações de API Key e usuário não rodaram (%s); rode com --directory",
			"prior analysis incomplete: the API key and user checks did not run (%s); run with --directory",
			skippedChecks(v)))
	}
	switch {
	case v.Category == "no-apparent-cause":
	case v.Category == "evidence-incomplete":
		// its missing items are listed above; --force never overrides them
	case !force:
		reasons = append(reasons, l.T(
			"o veredito aponta uma causa: %s (seção %s, ação %s); responda ao parceiro, ou use --force --reason se o time de Code precisar ver o caso",
			"the verdict names a cause: %s (section %s, action %s); reply to the partner, or use --force --reason if the Code team must see the case",
			v.Category, v.Section, v.Action))
	}
	if len(reasons) == 0 {
		return nil
	}
	return &Refusal{Reasons: reasons, Lang: l}
}

func skippedChecks(v *diagnose.Verdict) string {
	var ids []string
	for _, c := range v.Checks {
		if c.Status == diagnose.Skip && (strings.HasPrefix(c.ID, "key.") || strings.HasPrefix(c.ID, "user.")) && c.ID != "key.partner" {
			ids = append(ids, c.ID)
		}
	}
	if len(ids) == 0 {
		return "-"
	}
	return fmt.Sprint(strings.Join(ids, ", "))
}
