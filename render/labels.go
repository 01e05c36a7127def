package render

import "github.com/crefazon/triagem/diagnose"

// Human names of the contract's ids, for people; JSON keeps the ids. Each pair is pt-BR, en.
var categoryLabels = map[string][2]string{
	"api-key-missing":     {"Sem API Key", "No API key"},
	"api-key-invalid":     {"API Key inválida", "Invalid API key"},
	"user-blocked":        {"Usuário bloqueado", "User blocked"},
	"user-key-mismatch":   {"Usuário de outra API Key", "User of another API key"},
	"token-expired":       {"Token expirado", "Token expired"},
	"token-invalid":       {"Token inválido", "Invalid token"},
	"product-not-on-api":  {"Produto fora da API", "Product not on the API"},
	"product-version":     {"Versão da API errada para o produto", "Wrong API version for the product"},
	"request-syntax":      {"Requisição malformada", "Malformed request"},
	"off-hours-routine":   {"Fora do horário, durante rotina", "Off hours, during a routine"},
	"evidence-incomplete": {"Evidências incompletas", "Evidence incomplete"},
	"no-apparent-cause":   {"Sem causa aparente", "No apparent cause"},
}

var actionLabels = map[string][2]string{
	"reply":                {"Responder ao parceiro", "Reply to the partner"},
	"redirect-commercial":  {"Encaminhar ao comercial", "Refer to the commercial team"},
	"redirect-crefazon-ui": {"Orientar o uso da plataforma CrefazOn", "Point to the CrefazOn platform"},
	"reprocess":            {"Reprocessar no horário comercial", "Reprocess in business hours"},
	"request-evidence":     {"Pedir as evidências que faltam", "Ask for the missing evidence"},
	"escalate":             {"Escalar ao time de Code", "Escalate to the Code team"},
}

// label is a person's name for an id, with the id after it so that support can still
// search and script by it; an id without a name is shown as it is.
func label(labels map[string][2]string, id string, l diagnose.Lang) string {
	if name := nameOf(labels, id, l); name != id {
		return name + " (" + id + ")"
	}
	return id
}

// nameOf is the name alone (a batch summary, where the verdicts above carry the ids).
func nameOf(labels map[string][2]string, id string, l diagnose.Lang) string {
	names, ok := labels[id]
	if !ok {
		return id
	}
	return l.T(names[0], names[1])
}

// CategoryLabel is a category's name for people, with its id.
func CategoryLabel(id string, l diagnose.Lang) string { return label(categoryLabels, id, l) }

// ActionLabel is an action's name for people, with its id.
func ActionLabel(id string, l diagnose.Lang) string { return label(actionLabels, id, l) }
