package evidence

// Masks: the shape of each mask, and the numbering that gives a value the same mask
// wherever it appears.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/crefazon/triagem/internal/brdoc"
	"hash/maphash"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ---- masks ----

// valueMask is the mask of a pattern's match: [kind#n …kept].
func (rd *Redactor) valueMask(p *pattern, v string) string {
	norm := ""
	sp := maskSpec{last: keepOf(p)}
	switch {
	case p.doc == brdoc.CPF:
		if norm, _ = brdoc.NormalizeCPF(v); norm == "" {
			norm = digitsOf(v) // a loose shape: "529 982 247 25"
		}
	case p.doc == brdoc.CNPJ:
		if norm, _ = brdoc.NormalizeCNPJ(v); norm == "" {
			norm = digitsOf(v)
		}
	case p.keepDomain && strings.Contains(strings.ToLower(v), "%40"):
		v = encodedAt.Replace(strings.ToLower(v))
		fallthrough
	case p.keepDomain && strings.Contains(v, "@"):
		norm = strings.ToLower(v)
		sp.domain = true
	case p.phone:
		norm = digitsOf(v)
		if len(norm) >= 12 && strings.HasPrefix(norm, "55") {
			norm = norm[2:]
		}
		if (len(norm) == 11 || len(norm) == 12) && norm[0] == '0' {
			norm = norm[1:] // the trunk prefix: 011 98765-4321
		}
	default:
		if d := digitsOf(v); d != "" && onlyDigitsAndPunct(v) {
			norm = d
		} else {
			norm = strings.ToLower(v)
		}
	}
	if norm == "" {
		norm = v
	}
	return rd.numbered(p.name, norm, sp)
}

// maskSpec is how a value's mask is written, besides its kind and value: its #n, how many
// characters it keeps, whether it keeps an e-mail's domain instead, whether it is a document
// whose check digits do not add up (its value then "?" and the digits). All but #n follow from
// the value and its pattern, so a kind keeps only its values' numbers (kindMasks), and a mask
// is written again when a value recurs: a payload of many distinct documents, e-mails and
// phones would otherwise keep a mask's text for each.
type maskSpec struct {
	n, last  int32
	domain   bool
	mistyped bool
}

// keepOf is how many characters p's masks keep, in a maskSpec (none, below 0; a billion at
// most, more than any value holds).
func keepOf(p *pattern) int32 { return int32(max(0, min(p.keepLast, 1<<30-1))) }

// maskText writes the mask of value norm of a kind: [kind#n …kept, note].
func maskText(kind, norm string, sp maskSpec) string {
	keep, note := "", ""
	switch {
	case sp.mistyped:
		d := norm[1:]
		keep, note = lastAlnum(d, min(int(sp.last), len(d)/2)), "check digits invalid"
	case sp.domain:
		if keep = "@" + safeDomain(norm[strings.LastIndexByte(norm, '@')+1:]); keep == "@" {
			keep = "" // a domain that holds too many digits is not kept
		}
	default:
		keep = lastAlnum(norm, min(int(sp.last), len(norm)/2))
	}
	var buf [96]byte
	b := append(append(append(buf[:0], '['), kind...), '#')
	b = strconv.AppendInt(b, int64(sp.n), 10)
	if keep != "" {
		b = append(append(b, " …"...), keep...)
	}
	if note != "" {
		b = append(append(b, ", "...), note...)
	}
	return string(append(b, ']'))
}

// kindMasks numbers one kind's values: the same value, the same mask.
//
// A value is known by a 64-bit hash of it rather than by its text: a body of many records
// holds tens of thousands of distinct documents, e-mails and phones, and a map keyed by
// their normalised texts held each text besides its number (the value itself is at hand
// whenever its mask is written, so nothing needs it kept). The same value always has the
// same hash, so it always gets the same number. Two distinct values get one number only if
// their hashes collide: the hash is maphash's, with a seed drawn when the process starts, so
// no input can be made to collide on purpose, and by chance the odds for the 150,000
// distinct values of a 10 MB payload are about 1 in 1.6 billion. Such a collision would show
// two values under one #n, each mask written from its own value (its own last characters or
// domain): support might take two records for one customer's; no value is shown, and
// nothing else reads the number.
type kindMasks struct {
	numbers map[uint64]int32 // the normalised value's hash -> its #n
	last    int32            // the last #n given
}

// valueSeed keys the numbering's hash of values (kindMasks).
var valueSeed = maphash.MakeSeed()

// numbered gives the value's mask, the same one every time: [kind#n …keep, note], as sp
// (worked out from this value) says, with the number the value got when first met.
func (rd *Redactor) numbered(kind, norm string, sp maskSpec) string {
	km := rd.masks[kind]
	if km == nil {
		km = &kindMasks{numbers: map[uint64]int32{}}
		rd.masks[kind] = km
	}
	key := maphash.String(valueSeed, norm)
	n, ok := km.numbers[key]
	if !ok {
		km.last++
		n = km.last
		km.numbers[key] = n
	}
	sp.n = n
	return maskText(kind, norm, sp)
}

// safeDomain keeps an e-mail's domain unless it holds digits enough to be something else.
func safeDomain(d string) string {
	n := 0
	for i := 0; i < len(d); i++ {
		c := d[i]
		if isDigit(c) {
			n++
		}
		if !(isWordByte(c) && c != '_' || c == '.' || c == '-') {
			return ""
		}
	}
	if n >= 6 || len(d) > 253 {
		return ""
	}
	return d
}

func digitsOf(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b = append(b, s[i])
		}
	}
	return string(b)
}

func onlyDigitsAndPunct(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isDigit(c) && !strings.ContainsRune(" ()+-./", rune(c)) {
			return false
		}
	}
	return true
}

// lastAlnum returns the last n letters or digits of s.
func lastAlnum(s string, n int) string {
	if n <= 0 {
		return ""
	}
	b := make([]byte, 0, n)
	for i := len(s) - 1; i >= 0 && len(b) < n; i-- {
		if c := s[i]; isWordByte(c) && c != '_' {
			b = append(b, c)
		}
	}
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// apiKeyMask is [api_key sha256:<first 12 hex>…<last 4>]. The key's text and its full SHA-256
// are masked wherever they appear afterwards.
func (rd *Redactor) apiKeyMask(key string) string {
	sum := sha256.Sum256([]byte(key))
	full := hex.EncodeToString(sum[:])
	if m, ok := rd.apiKeys[full]; ok {
		return m
	}
	tail := ""
	if t := strings.TrimSpace(key); utf8.RuneCountInString(t) >= 12 {
		if last := t[len(t)-4:]; lastAlnum(last, 4) == last {
			tail = last
		}
	}
	m := "[api_key sha256:" + full[:12] + "…" + tail + "]"
	if rd.apiKeys == nil {
		rd.apiKeys = map[string]string{}
	}
	rd.apiKeys[full] = m
	rd.addSecret(key, m, "api_key")
	if t := strings.TrimSpace(key); t != key {
		rd.addSecret(t, m, "api_key")
	}
	if !rd.printing {
		rd.addSecret(full, m, "api_key") // printed verdicts carry the SHA-256: the directory's identifier
	}
	return m
}

// token registers a token (a JWT or an opaque value) and gives its entry: the same token is
// the same token#n wherever it appears.
func (rd *Redactor) token(raw string) *tokenEntry {
	if t, ok := rd.tokens[raw]; ok {
		return t
	}
	n := len(rd.tokens) + 1
	t := &tokenEntry{raw: raw, n: n}
	if alg, sig, ok := jwtShape(raw); ok {
		note := "signature removed"
		if !sig {
			note = "no signature"
		}
		if alg != "" {
			alg = " " + alg
		}
		t.mask = fmt.Sprintf("[token#%d%s, %s]", n, alg, note)
	} else {
		t.mask = fmt.Sprintf("[token#%d, %d chars, not a JWT]", n, utf8.RuneCountInString(raw))
	}
	rd.tokens[raw] = t
	rd.addSecret(raw, t.mask, "token")
	return t
}

// jwtShape reads a JWT's algorithm (sanitised for the mask) and whether it has a signature.
func jwtShape(raw string) (alg string, signed, ok bool) {
	if !looksJWT(raw) {
		return "", false, false
	}
	parts := strings.Split(raw, ".")
	hb, _ := b64(parts[0])
	var h struct {
		Alg any `json:"alg"`
	}
	_ = json.Unmarshal(hb, &h)
	if a, isStr := h.Alg.(string); isStr && len(a) <= 10 && lastAlnum(a, 10) == a {
		alg = a
	}
	return alg, len(parts) == 3 && parts[2] != "", true
}

// headerMask masks a header's value whole, naming its scheme and the token it carried.
func (rd *Redactor) headerMask(name, value string) (mask, kind string) {
	if sec, ok := rd.secrets[value]; ok && sec.kind == "api_key" {
		return sec.mask, "api_key"
	}
	if isAPIKeyName(name) {
		return rd.apiKeyMask(value), "api_key"
	}
	v := strings.TrimSpace(value)
	scheme, cred := "", v
	if i := strings.IndexAny(v, " \t"); i > 0 && isSchemeWord(v[:i]) {
		scheme, cred = v[:i], strings.TrimSpace(v[i:])
	}
	var tok *tokenEntry
	if cred != "" && (strings.EqualFold(scheme, "bearer") || looksJWT(cred)) {
		tok = rd.token(cred)
	}
	m := fmt.Sprintf("[header %s, %d chars", name, utf8.RuneCountInString(value))
	switch {
	case scheme != "":
		m += ", scheme " + scheme
	case tok != nil && strings.Contains(strings.ToLower(name), "authorization"):
		m += ", no scheme"
	}
	if tok != nil {
		m += fmt.Sprintf(", token#%d", tok.n)
	}
	m += "]"
	rd.addSecret(value, m, "header")
	return m, "header"
}

// fieldMask masks a field's value whole: [senha, 8 chars], or the API key's or token's mask.
func (rd *Redactor) fieldMask(name, value string) (mask, kind string) {
	if sec, ok := rd.secrets[value]; ok && (sec.kind == "api_key" || sec.kind == "token") {
		return sec.mask, sec.kind
	}
	if isAPIKeyName(name) {
		return rd.apiKeyMask(value), "api_key"
	}
	if v := strings.TrimSpace(value); looksJWT(v) {
		return rd.token(v).mask, "token"
	}
	m := fmt.Sprintf("[%s, %d chars]", name, utf8.RuneCountInString(value))
	rd.addSecret(value, m, "field")
	return m, "field"
}

// isAPIKeyName: apiKey, api_key, X-Api-Key, ApiKey.
func isAPIKeyName(name string) bool {
	n := dashes.Replace(strings.ToLower(name))
	return strings.HasSuffix(n, "apikey")
}

var (
	encodedAt = strings.NewReplacer("%2540", "@", "%40", "@")
	dashes    = strings.NewReplacer("-", "", "_", "")
)
