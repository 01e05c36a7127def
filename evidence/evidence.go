// Package evidence owns what the procedure requires before a case goes to the Code team
// (sections 3.6, 3.9, 4.5, 5 and 8): the evidence checklist and the refusal to escalate
// without it, the redaction of secrets and personal data (LGPD), the escalation bundle (a zip
// with a manifest of checksums), its verification and its delivery to the team's intake.
// It never decides a verdict: it takes the one the diagnose package gives.
package evidence

// Report says what redaction masked, where, and how long it was: never the values.
type Report struct {
	Items  []ReportItem   `json:"items"`
	Counts map[string]int `json:"counts"` // masks applied per kind
}

// ReportItem is one masked value.
type ReportItem struct {
	Where string `json:"where"` // case.yaml: request.body/cliente/cpf; verdict.json: checks[0].message
	Kind  string `json:"kind"`  // api_key, token, header, field, cpf, cnpj, email, phone, ...
	Chars int    `json:"chars"` // length of the masked value, in characters
	Mask  string `json:"mask"`  // what replaced it (never the value)
}

// TokenView is a token with its signature removed: what the Code team needs to read it.
type TokenView struct {
	Header         map[string]any `json:"header"`
	Claims         map[string]any `json:"claims"`
	SignatureChars int            `json:"signature_chars"` // the signature was this long, and is gone
	Error          string         `json:"error,omitempty"` // why it could not be read, when it could not
}
