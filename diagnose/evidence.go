package diagnose

import "strings"

// Evidence items, in the contract's order.
var EvidenceItems = []string{"api_key", "user", "environment", "endpoint", "payload", "timestamp", "error_message"}

// EvidenceName words an evidence item for the partner.
func EvidenceName(item string, l Lang) string {
	switch item {
	case "api_key":
		return l.T("API Key usada", "the API key used")
	case "user":
		return l.T("usuário (login) que gerou o token", "the user (login) that generated the token")
	case "environment":
		return l.T("ambiente (homologação ou produção)", "the environment (homologação or produção)")
	case "endpoint":
		return l.T("endpoint chamado (URL completa)", "the endpoint called (full URL)")
	case "payload":
		return l.T("payload (corpo) enviado", "the payload (body) sent")
	case "timestamp":
		return l.T("data e hora da requisição", "the date and time of the request")
	case "error_message":
		return l.T("mensagem de erro recebida", "the error message received")
	}
	return item
}

// missingEvidence lists the mandatory evidence (procedure, section 5) the case lacks.
func missingEvidence(f *Facts) []string {
	c := f.Case
	has := map[string]bool{
		"api_key":       f.KeySHA256 != "", // the key, or its SHA-256 (credentials.api_key_sha256)
		"user":          strings.TrimSpace(c.Credentials.User) != "",
		"environment":   f.HasEnv,
		"endpoint":      f.URL != nil,
		"payload":       f.HasPayload || !carriesBody(f.Method),
		"timestamp":     f.HasAt,
		"error_message": f.ErrorText != "",
	}
	missing := []string{}
	for _, item := range EvidenceItems {
		if !has[item] {
			missing = append(missing, item)
		}
	}
	return missing
}

func checkEvidence(c *Context) (Status, string) {
	missing := c.Missing
	if len(missing) == 0 {
		return Pass, c.L.T("todas as evidências obrigatórias presentes", "all mandatory evidence present")
	}
	return Fail, c.L.T("faltam evidências obrigatórias: %s", "missing mandatory evidence: %s", strings.Join(missing, ", "))
}
