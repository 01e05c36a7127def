package diagnose

// Human labels of the contract's categories and actions, for people reading a table or a
// ticket. The ids (token-expired, reply) never change with the language; these do. This is
// the one place they are written: renderers ask CategoryLabel and ActionLabel.

var categoryLabels = map[string][2]string{ // pt-BR, en
	"api-key-missing":     {"Sem chave de API", "No API key"},
	"api-key-invalid":     {"Chave de API inválida", "Invalid API key"},
	"user-blocked":        {"Usuário bloqueado", "User blocked"},
	"user-key-mismatch":   {"Usuário não vinculado à chave", "User not bound to the key"},
	"token-expired":       {"Token expirado", "Token expired"},
	"token-invalid":       {"Token inválido", "Invalid token"},
	"product-not-on-api":  {"Produto fora da API", "Product not on the API"},
	"product-version":     {"Versão da API errada para o produto", "Wrong API version for the product"},
	"request-syntax":      {"Corpo da requisição inválido", "Invalid request body"},
	"off-hours-routine":   {"Fora do horário, durante rotinas", "Off hours, during routines"},
	"evidence-incomplete": {"Evidências incompletas", "Incomplete evidence"},
	"no-apparent-cause":   {"Sem causa aparente", "No apparent cause"},
}

var actionLabels = map[string][2]string{
	"reply":                {"Responder ao parceiro", "Reply to the partner"},
	"redirect-commercial":  {"Encaminhar ao time comercial", "Refer to the commercial team"},
	"redirect-crefazon-ui": {"Orientar o uso da interface do CrefazOn", "Point to the CrefazOn interface"},
	"reprocess":            {"Pedir que reprocesse", "Ask to send it again"},
	"request-evidence":     {"Pedir evidências", "Ask for evidence"},
	"escalate":             {"Escalar ao time técnico", "Escalate to engineering"},
}

// CategoryLabel names a category for a person ("Token expirado"); an unknown id is returned
// as it is.
func CategoryLabel(cat string, l Lang) string { return label(categoryLabels, cat, l) }

// ActionLabel names an action for a person ("Responder ao parceiro"); an unknown id is
// returned as it is.
func ActionLabel(action string, l Lang) string { return label(actionLabels, action, l) }

func label(m map[string][2]string, id string, l Lang) string {
	t, ok := m[id]
	if !ok {
		return id
	}
	return l.T(t[0], t[1])
}
