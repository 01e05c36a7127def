package diagnose

import (
	"strings"

	"github.com/crefazon/triagem/rules"
)

// The partner's own check (triagem check): the same chain and the same verdict, read by the
// partner's developer before any ticket exists. What they read is built here, from the verdict
// and the reply's data: what is wrong in their request and how to fix it (the category's reply,
// worded for them), what only CrefazOn can verify said plainly, and the evidence a ticket needs.
// It never names a check, a section of the procedure or an escalation.

// AudiencePartner is the verdict's audience when the partner's developer reads it.
const AudiencePartner = "parceiro"

// partnerText is the whole text triagem check shows: it replaces the reply in the verdict.
func (ch *Chain) partnerText(cx *Context, v *Verdict, results []Result) string {
	l := cx.L
	data := ch.replyData(cx, v, results)
	data.Partner, data.Escalate, data.Ticket = true, false, ""
	st := make(map[string]Status, len(results))
	for _, r := range results {
		st[r.ID] = r.Status
	}
	context := ch.Rules.ReplyPart("context", string(l), data)
	parts := []string{context}
	switch v.Category {
	case "evidence-incomplete", "no-apparent-cause":
		// No cause was found: what was found right.
		if found := partnerVerified(data, l); len(found) > 0 {
			parts = append(parts, l.T("Nada de errado foi encontrado no que dá para conferir sem os cadastros da CrefazOn:",
				"Nothing wrong was found in what can be checked without CrefazOn's records:")+"\n- "+strings.Join(found, "\n- "))
		} else {
			parts = append(parts, l.T("Nada de errado foi encontrado nos dados informados, mas eles ainda não bastam para conferir a requisição: complete-os com o que falta abaixo.",
				"Nothing wrong was found in the details given, but they are not yet enough to check the request: add what is missing below."))
		}
	default:
		// The category's reply, worded for the developer; it opens with the same context.
		text, err := ch.Rules.Reply(v.Category, string(l), data)
		if err == nil {
			text = strings.TrimSpace(strings.TrimPrefix(text, context))
			parts = append(parts, l.T("O que está errado e como corrigir:", "What is wrong and how to fix it:")+"\n"+text)
		}
	}
	if only := partnerCrefazOnOnly(st, l); len(only) > 0 {
		parts = append(parts, l.T("A CrefazOn confere nos cadastros dela, quando você abrir o chamado, o que não dá para conferir daqui:",
			"CrefazOn verifies in its records, when you open a ticket, what cannot be checked from here:")+"\n- "+strings.Join(only, "\n- "))
	}
	parts = append(parts, partnerEvidence(v.MissingEvidence, l))
	return strings.Join(nonEmpty(parts), "\n\n")
}

// partnerVerified lists what was checked here and found right, in the developer's words.
func partnerVerified(d rules.ReplyData, l Lang) []string {
	var out []string
	add := func(ok bool, pt, en string) {
		if ok {
			out = append(out, l.T(pt, en))
		}
	}
	add(d.Verified.Route, "o endereço, a versão da API e o ambiente chamados", "the address, API version and environment called")
	add(d.Verified.Token, "o token, que estava válido no momento da requisição", "the token, which was valid when the request was made")
	add(d.Verified.Product, "o produto, disponível na versão da API usada", "the product, available on the API version used")
	add(d.Verified.Payload, "o corpo da requisição, com os campos que a rota exige", "the request's body, with the fields the route requires")
	add(d.Verified.Time, "o horário, dentro do atendimento e fora das rotinas programadas", "the time, within business hours and outside the scheduled routines")
	return out
}

// partnerCrefazOnOnly lists what the checks could not see from the partner's side: the key and
// the user live in CrefazOn's records, and the token's signature needs the API's key.
func partnerCrefazOnOnly(st map[string]Status, l Lang) []string {
	var out []string
	if st["key.exists"] == Skip || st["key.active"] == Skip || st["key.environment"] == Skip {
		out = append(out, l.T("se a chave de API existe, está ativa e é do ambiente chamado",
			"whether the API key exists, is active and belongs to the environment called"))
	}
	if st["user.active"] == Skip || st["user.key-binding"] == Skip {
		out = append(out, l.T("se o usuário está ativo e vinculado a essa chave de API",
			"whether the user is active and bound to that API key"))
	}
	if st["token.signature"] == Skip {
		out = append(out, l.T("se o token foi assinado pelo login da API",
			"whether the token was signed by the API's login"))
	}
	return out
}

// partnerEvidence says which of the ticket's mandatory details are there, and how to give the
// missing ones to triagem check.
func partnerEvidence(missing []string, l Lang) string {
	gone := map[string]bool{}
	for _, m := range missing {
		gone[m] = true
	}
	var lines []string
	for _, item := range EvidenceItems {
		if gone[item] {
			lines = append(lines, "✗ "+l.T("%s: falta (%s)", "%s: missing (%s)", EvidenceName(item, l), evidenceFlag(item, l)))
		} else {
			lines = append(lines, "✓ "+EvidenceName(item, l))
		}
	}
	head := l.T("Um chamado precisa destas informações:", "A ticket needs these details:")
	return head + "\n" + strings.Join(lines, "\n")
}

// evidenceFlag is how the developer gives an item to triagem check.
func evidenceFlag(item string, l Lang) string {
	switch item {
	case "api_key":
		return l.T("informe com --api-key; o rascunho do chamado leva só o SHA-256 da chave", "give it with --api-key; the ticket draft carries only the key's SHA-256")
	case "user":
		return l.T("informe com --user", "give it with --user")
	case "environment":
		return l.T("informe com --env homologacao ou --env producao", "give it with --env homologacao or --env producao")
	case "endpoint":
		return l.T("informe com --url", "give it with --url")
	case "payload":
		return l.T("informe com --payload @ARQUIVO", "give it with --payload @FILE")
	case "timestamp":
		return l.T("informe com --at \"DD/MM/AAAA HH:MM\"", "give it with --at \"YYYY-MM-DD HH:MM\"")
	case "error_message":
		return l.T("informe com --error e --status", "give it with --error and --status")
	}
	return item
}

func nonEmpty(ss []string) []string {
	out := ss[:0]
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}
