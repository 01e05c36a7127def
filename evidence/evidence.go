// Package evidence owns what the procedure requires before a case goes to the Code team
// (sections 3.6, 3.9, 4.5, 5 and 8): the evidence checklist and the refusal to escalate
// without it, the redaction of secrets and personal data (LGPD), the escalation bundle (a zip
// with a manifest of checksums), its verification and its delivery to the team's intake.
// It never decides a verdict: it takes the one the diagnose package gives.
package evidence

// Report says what redaction masked, by kind and place: one entry per kind and place, however
// many values were masked there (a 10 MB payload masks hundreds of thousands of values in a
// few dozen places), so that it stays a page long. Never the values, nor their masks.
type Report struct {
	Counts  map[string]int `json:"counts"`  // masks applied per kind
	Entries []ReportEntry  `json:"entries"` // in the order a reader meets the places
}

// ReportEntry is every mask of one kind at one place.
type ReportEntry struct {
	Kind  string `json:"kind"`  // api_key, token, header, field, personal, cpf, cnpj, email, phone, ...
	Place string `json:"place"` // case.yaml: request.body.historico[*].cpf (every element of a list is [*])
	Count int    `json:"count"` // masks applied there
}

// TokenView is a token with its signature removed: what the Code team needs to read it.
type TokenView struct {
	Header         map[string]any `json:"header"`
	Claims         map[string]any `json:"claims"`
	SignatureChars int            `json:"signature_chars"` // the signature was this long, and is gone
	Error          string         `json:"error,omitempty"` // why it could not be read, when it could not
}
