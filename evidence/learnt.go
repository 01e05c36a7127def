package evidence

import (
	"strings"

	"github.com/crefazon/triagem/diagnose"
)

// What a bundle's redaction learnt, handed to the output redactor of the process that built
// it. escalate used to have its output redactor learn the case (Learn) before judging it,
// which walked a large body once more only to find the secrets that the bundle's own
// redaction finds again as it streams the body: with this, the body is walked once.

// learntSecrets is a bundle redactor's known secrets as an output redactor would have learnt
// them from the same case: the literal values (in every encoding, longest first) with their
// masks, the tokens with their numbers, the API keys' masks by their SHA-256.
type learntSecrets struct {
	values  []string
	secrets map[string]secret
	tokens  map[string]*tokenEntry
	apiKeys map[string]string
	ok      bool
}

// learnt takes what rd learnt redacting c for a bundle, leaving out what an output redactor
// does not learn: the API key's full SHA-256, which printed verdicts carry on purpose (the
// directory identifies a key by it), and a draft's key digest (redact_case.go and
// redact_masks.go add those only when not printing).
func (rd *Redactor) learnt(c *diagnose.Case) learntSecrets {
	skip := map[string]bool{}
	for full := range rd.apiKeys {
		for _, e := range encodings(full) {
			skip[e] = true
		}
	}
	if d := c.Credentials.APIKeySHA256.Hex; d != "" {
		for _, e := range encodings(d) {
			skip[e] = true
		}
	}
	// Copies: in Build the body is read in place, so what rd found in it may point into the
	// case's bytes, and the output redactor keeps these for the rest of the process.
	l := learntSecrets{secrets: make(map[string]secret, len(rd.byLen)), tokens: make(map[string]*tokenEntry, len(rd.tokens)), apiKeys: rd.apiKeys, ok: true}
	for _, v := range rd.byLen {
		if !skip[v] {
			v = strings.Clone(v)
			l.values = append(l.values, v)
			l.secrets[v] = rd.secrets[v]
		}
	}
	for raw, t := range rd.tokens {
		l.tokens[strings.Clone(raw)] = &tokenEntry{raw: strings.Clone(t.raw), n: t.n, mask: t.mask}
	}
	return l
}

// Teach gives out, an output redactor (NewOutputRedactor) that has learnt nothing yet, the
// secrets this bundle's redaction learnt from its case: what out.Learn(case) would have
// learnt, without walking the case again. The bundle's redaction also masked the verdict and
// the summary, so out may learn a few secrets more than Learn would (a password that a note
// repeats under another name), never fewer. It returns false, teaching nothing, when the
// bundle cannot teach (an incident's, which Build did not make alone) or out has learnt
// something already (its tokens' numbers would clash): learn the case with Learn then.
func (b *Bundle) Teach(out *Redactor) bool {
	l := &b.learnt
	if !l.ok || !out.printing || len(out.byLen) > 0 || len(out.tokens) > 0 || len(out.apiKeys) > 0 {
		return false
	}
	for _, v := range l.values {
		out.know(v, l.secrets[v])
	}
	for raw, t := range l.tokens {
		out.tokens[raw] = &tokenEntry{raw: t.raw, n: t.n, mask: t.mask}
	}
	if len(l.apiKeys) > 0 {
		out.apiKeys = make(map[string]string, len(l.apiKeys))
		for k, m := range l.apiKeys {
			out.apiKeys[k] = m
		}
	}
	clear(out.memo)
	return true
}
