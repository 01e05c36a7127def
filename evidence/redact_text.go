package evidence

// Free text: the stages that find secrets and personal data in a string, in order, until a
// round masks nothing more.

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"github.com/crefazon/triagem/internal/brdoc"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// ---- free text ----

// Text masks free text (error messages, summary lines, raw non-JSON bodies).
func (rd *Redactor) Text(where, s string) string {
	return rd.text(&walker{file: where}, s, 1)
}

// text runs the stages until a round masks nothing: masking can expose a neighbour (an
// e-mail glued to a CPF), which the next round masks. In Scan mode one round reports all.
func (rd *Redactor) text(w *walker, s string, line int) string {
	// A text that is one mask, whole, holds nothing any stage would mask: every candidate a
	// stage finds in it touches the mask and is dropped (replaceSpans), and the one stage
	// that does not go through replaceSpans needs a '%', which no mask holds. Most texts of a
	// bundle being scanned are masks: they skip every stage.
	if rd.isMask(s) {
		return s
	}
	if rd.scan != nil {
		return rd.round(w, s, line)
	}
	if rd.learning {
		return rd.stable(w, s, line) // incomplete on purpose: never remembered
	}
	if len(s) > memoMaxLen {
		return rd.stable(w, s, line)
	}
	if e, ok := rd.memo[s]; ok {
		if e == cleanText {
			return s
		}
		for _, r := range e.recs {
			rd.record(w, line, r.kind, r.chars, r.mask)
		}
		return e.out
	}
	secrets := len(rd.byLen)
	rd.capture, rd.memoOn = rd.capture[:0], true
	out := rd.stable(w, s, line)
	rd.memoOn = false
	if len(rd.byLen) == secrets && len(rd.memo) < memoMaxEntries && !(rd.cleanOnly && len(rd.memo) >= memoBodyEntries) {
		if len(rd.capture) == 0 {
			rd.memo[s] = cleanText
		} else if !rd.cleanOnly {
			rd.memo[s] = &memoEntry{out, append([]memoRec(nil), rd.capture...)}
		}
	}
	return out
}

// stable runs rounds until one masks nothing.
func (rd *Redactor) stable(w *walker, s string, line int) string {
	for range 4 {
		before := rd.changes
		rd.whole = false
		s = rd.round(w, s, line)
		if rd.changes == before || rd.whole {
			break
		}
	}
	return s
}

func (rd *Redactor) round(w *walker, s string, line int) string {
	s = rd.stageSecrets(w, s, line)
	s = rd.stageUserinfo(w, s, line)
	s = rd.stageNamed(w, s, line)
	s = rd.stageEncoded(w, s, line)
	if !rd.output {
		s = rd.stageXML(w, s, line)
		s = rd.stageMultipart(w, s, line)
	}
	s = rd.stageJWT(w, s, line)
	s = rd.stageBearer(w, s, line)
	if rd.learning {
		return s // the patterns find personal data where it stands; they teach no secret
	}
	for i := range rd.patterns {
		if rd.patterns[i].doc != 0 {
			if i == rd.docs {
				s = rd.stageDocs(w, s, line)
			}
			continue
		}
		s = rd.stagePattern(w, s, line, &rd.patterns[i])
	}
	return s
}

// repl is one replacement: s[start:end] becomes mask.
type repl struct {
	start, end int
	mask, kind string
	chars      int
}

type span struct{ start, end, aux int } // aux: the stage's data about the candidate

// apply writes the replacements (sorted, not overlapping) and records them.
func (rd *Redactor) apply(w *walker, s string, rs []repl, line int) string {
	if len(rs) == 0 {
		return s
	}
	if len(rs) == 1 && rs[0].start == 0 && rs[0].end == len(s) {
		// The whole text is one value (a document, an e-mail): its mask, as it is.
		rd.record(w, line, rs[0].kind, rs[0].chars, rs[0].mask)
		rd.whole = true
		return rs[0].mask
	}
	n := len(s)
	for _, r := range rs {
		n += len(r.mask) - (r.end - r.start)
	}
	var b strings.Builder
	b.Grow(n)
	last, lpos := 0, 0
	for _, r := range rs {
		line += strings.Count(s[lpos:r.start], "\n")
		lpos = r.start
		rd.record(w, line, r.kind, r.chars, r.mask)
		b.WriteString(s[last:r.start])
		b.WriteString(r.mask)
		last = r.end
	}
	b.WriteString(s[last:])
	rd.whole = len(rs) == 1 && rs[0].start == 0 && rs[0].end == len(s)
	return b.String()
}

// maskRE recognises a mask of the shapes documented above. What it finds is left alone, so
// that redacting twice changes nothing and Scan passes a redacted bundle.
var maskRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\[(?:` +
		`api_key sha256:[0-9a-f]{12}…[A-Za-z0-9]{0,4}` +
		`|token#[0-9]{1,6}(?: [A-Za-z0-9]{1,10})?, (?:signature removed|no signature|[0-9]{1,7} chars, not a JWT)` +
		`|header [A-Za-z0-9_.-]{1,40}, [0-9]{1,7} chars(?:, (?:scheme [A-Za-z][A-Za-z0-9-]{0,19}|no scheme|token#[0-9]{1,6}))*` +
		`|[A-Za-z0-9_.-]{1,40}, [0-9]{1,7} chars(?:, invalid)?` +
		`|[A-Za-z0-9_.-]{1,40}#[0-9]{1,6}(?: …(?:@[A-Za-z0-9.-]{1,253}|[A-Za-z0-9]{1,8}))?(?:, check digits invalid|, invalid)?` +
		`)\]`)
})

// protected returns the masks in s. A mask that would hold something a pattern finds is not
// one of ours (someone typed it to hide a CPF from Scan) and is not protected.
func (rd *Redactor) protected(s string) []span {
	if strings.IndexByte(s, '[') < 0 {
		return nil
	}
	var out []span
	for _, m := range maskRE().FindAllStringIndex(s, -1) {
		if rd.genuineMask(s[m[0]:m[1]]) {
			out = append(out, span{m[0], m[1], 0})
		}
	}
	return out
}

func (rd *Redactor) genuineMask(m string) bool {
	if brdoc.FindAll(m) != nil {
		return false
	}
	for i := range rd.patterns {
		if p := &rd.patterns[i]; p.re != nil && p.mayMatch(m) && p.re.MatchString(m) {
			return false
		}
	}
	return true
}

// mayMatch is false when s cannot hold a match of p's regular expression: fewer digits than
// any match has, or a byte every match holds missing.
func (p *pattern) mayMatch(s string) bool {
	if p.minDigits > 0 && !hasDigits(s, p.minDigits) {
		return false
	}
	if !holdsAll(s, p.must) {
		return false
	}
	if p.lead != nil && !p.lead.holds(s) {
		return false
	}
	if p.anyOf == nil {
		return true
	}
	for _, t := range p.anyOf {
		if strings.Contains(s, t) {
			return true
		}
	}
	return false
}

// isMask tells whether s is exactly one mask. The last answer is remembered: a value is
// asked about by several stages in turn.
func (rd *Redactor) isMask(s string) bool {
	if len(s) < 4 || s[0] != '[' || s[len(s)-1] != ']' {
		return false
	}
	if s == rd.lastMask.s && rd.lastMask.set {
		return rd.lastMask.is
	}
	is := maskShape(s) && rd.genuineMask(s)
	rd.lastMask.s, rd.lastMask.is, rd.lastMask.set = s, is, true
	return is
}

// unprotected drops the candidate spans (sorted by start) that touch a mask in s.
func (rd *Redactor) unprotected(s string, c []span) []span {
	p := rd.protected(s)
	if len(p) == 0 {
		return c
	}
	out := c[:0]
	j := 0
	for _, x := range c {
		for j < len(p) && p[j].end <= x.start {
			j++
		}
		if j < len(p) && p[j].start < x.end {
			continue
		}
		out = append(out, x)
	}
	return out
}

// stageSecrets masks the literal values already known: the API key and its SHA-256, tokens,
// header values. They can turn up anywhere: a URL's query, an error message, a log line.
func (rd *Redactor) stageSecrets(w *walker, s string, line int) string {
	if len(rd.byLen) == 0 || !rd.heads.any(s) {
		return s
	}
	c := rd.secretSpans(s)
	if len(c) == 0 {
		return s
	}
	// Longest first (byLen) wins ties: replaceSpans keeps the first of overlapping spans.
	return rd.replaceSpans(w, s, line, c, func(_ int, v string) (string, string) {
		sec := rd.secrets[v]
		return sec.mask, sec.kind
	})
}

// headRef is a secret (its index in byLen) under the gramOf of its first bytes.
type headRef struct{ head, at uint32 }

// secretSpans finds the known secrets in s in one pass: at each place whose 4 bytes are some
// secret's head, the secrets with that head are compared there. It gives what a search for
// each secret in turn gave (each secret's occurrences left to right, one starting only where
// the previous ended; a short one only as a whole word), ordered by place and, at one place,
// longest first: the order replaceSpans sorts them into. A case teaches dozens of secrets
// in several encodings each, and a search per secret over every printed text that the filter
// let through was most of this stage.
func (rd *Redactor) secretSpans(s string) []span {
	if rd.byHead == nil {
		rd.byHead = make([]headRef, len(rd.byLen))
		for i, v := range rd.byLen {
			rd.byHead[i] = headRef{gramOf(v), uint32(i)}
		}
		slices.SortFunc(rd.byHead, func(a, b headRef) int {
			if a.head != b.head {
				return int(a.head) - int(b.head)
			}
			return int(a.at) - int(b.at)
		})
	}
	var c []span
	var ends map[uint32]int // where each secret's last occurrence ended, once one is found
	for i := 0; i+minSecret <= len(s); i++ {
		h := gramOf(s[i:])
		if rd.heads[h>>6]&(1<<(h&63)) == 0 {
			continue
		}
		k, _ := slices.BinarySearchFunc(rd.byHead, h, func(r headRef, h uint32) int { return int(r.head) - int(h) })
		for ; k < len(rd.byHead) && rd.byHead[k].head == h; k++ {
			at := rd.byHead[k].at
			v := rd.byLen[at]
			if !strings.HasPrefix(s[i:], v) {
				continue
			}
			if e, ok := ends[at]; ok && i < e {
				continue // inside this secret's previous occurrence
			}
			if ends == nil {
				ends = map[uint32]int{}
			}
			ends[at] = i + len(v)
			if len(v) >= 8 || wordBounded(s, i, i+len(v)) {
				c = append(c, span{i, i + len(v), len(v)})
			}
		}
	}
	return c
}

// gramSet is a filter of the 4-byte heads of the known secrets: a printed text none of whose
// 4-byte windows is in it holds none of them, and most of a verdict's texts are such. One
// pass over the text instead of one search per secret and encoding (a case teaches dozens);
// a window that is in it (or collides) sends the text to the exact search below.
type gramSet [64]uint64 // 4,096 bits

// gramOf reads minSecret bytes: this fails to compile if minSecret is ever other than 4.
var _ = [1]int{}[minSecret-4]

func gramOf(s string) uint32 {
	x := uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
	return (x * 2654435761) >> 20 // Knuth's multiplicative hash, top 12 bits
}

func (g *gramSet) add(v string) {
	h := gramOf(v) // every secret has at least minSecret (4) bytes
	g[h>>6] |= 1 << (h & 63)
}

func (g *gramSet) any(s string) bool {
	for i := 0; i+minSecret <= len(s); i++ {
		if h := gramOf(s[i:]); g[h>>6]&(1<<(h&63)) != 0 {
			return true
		}
	}
	return false
}

// addSecret registers a value masked as a secret, so that it is masked wherever it recurs:
// as it is and in the encodings it travels in (URL-encoded, JSON-escaped, base64 and
// base64url). Values shorter than minSecret are not looked for: a 3-character PIN would mask
// every "123" of a payload. Values shorter than 8 are matched only as whole words.
func (rd *Redactor) addSecret(value, mask, kind string) {
	if len(value) < minSecret || rd.scan != nil {
		return
	}
	if _, ok := rd.secrets[value]; ok {
		return
	}
	added := false
	for _, v := range encodings(value) {
		added = rd.know(v, secret{mask, kind}) || added
	}
	if added {
		clear(rd.memo) // texts masked before may hold it
	}
}

// know adds one literal form of a secret to those rd searches for, unless it is known, too
// short, or rd knows as many as it keeps; it tells whether it did. The caller clears rd.memo.
func (rd *Redactor) know(v string, sec secret) bool {
	if _, ok := rd.secrets[v]; ok || len(v) < minSecret || len(rd.byLen) >= maxSecrets {
		return false
	}
	rd.secrets[v] = sec
	// Longest first, and among equal lengths in the order learnt (what a stable sort of the
	// appended list gave): inserted after the last that is as long or longer.
	at := sort.Search(len(rd.byLen), func(i int) bool { return len(rd.byLen[i]) < len(v) })
	rd.byLen = slices.Insert(rd.byLen, at, v)
	rd.byHead = nil // built again when next asked
	rd.heads.add(v)
	return true
}

// replaceSpans masks the candidate spans that touch no mask; maskOf gets the candidate's
// aux, so that per-candidate data can be looked up. It reuses c.
func (rd *Redactor) replaceSpans(w *walker, s string, line int, c []span, maskOf func(aux int, v string) (mask, kind string)) string {
	if len(c) == 0 {
		return s
	}
	// A value found after "senha=" can run over a "token=" found on its own: the first wins.
	if len(c) > 1 {
		slices.SortStableFunc(c, func(a, b span) int { return a.start - b.start })
	}
	disjoint, end := c[:0], -1
	for _, x := range c {
		if x.start >= end {
			disjoint, end = append(disjoint, x), x.end
		}
	}
	keep := rd.unprotected(s, disjoint)
	if len(keep) == 0 {
		return s
	}
	var small [4]repl
	rs := small[:0]
	for _, k := range keep {
		v := s[k.start:k.end]
		mask, kind := maskOf(k.aux, v)
		if mask == "" {
			continue
		}
		rs = append(rs, repl{k.start, k.end, mask, kind, utf8.RuneCountInString(v)})
	}
	return rd.apply(w, s, rs, line)
}

// stopByte ends a credential in free text.
func stopByte(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '"', '\'', '<', '>', '(', ')', '[', ']', '{', '}', ',', ';', '\\':
		return true
	}
	return false
}

// headerValue finds the value of a header written at s[i:]: quoted, the rest of the line for
// cookies, else an optional scheme and one credential. A scheme alone or a placeholder
// ("Bearer <token>") is no value.
func headerValue(s string, i int, toEOL bool) (int, int) {
	if i >= len(s) {
		return i, i
	}
	if q := s[i]; q == '"' || q == '\'' {
		j := i + 1
		for j < len(s) && s[j] != q && s[j] != '\n' && s[j] != '\r' {
			if s[j] == '\\' && j+1 < len(s) {
				j++
			}
			j++
		}
		j = min(j, len(s))
		vs, ve := i+1, j
		if r1 := run(s, vs); isSchemeWord(s[vs:r1]) && strings.TrimSpace(s[r1:ve]) == "" {
			return vs, vs // a scheme alone
		}
		return vs, ve
	}
	if toEOL {
		j := i
		for j < len(s) && s[j] != '\n' && s[j] != '\r' && s[j] != '"' && s[j] != '\'' && s[j] != '\\' {
			j++
		}
		for j > i && (s[j-1] == ' ' || s[j-1] == '\t') {
			j--
		}
		return i, j
	}
	r1 := run(s, i)
	if isSchemeWord(s[i:r1]) {
		k := r1
		for k < len(s) && (s[k] == ' ' || s[k] == '\t') {
			k++
		}
		if k == r1 || run(s, k) == k {
			return i, i // a scheme alone, or a placeholder after it
		}
		return i, run(s, k)
	}
	return i, r1
}

func run(s string, i int) int {
	for i < len(s) && !stopByte(s[i]) {
		i++
	}
	return i
}

// isSchemeWord: Bearer, Basic, Token, Digest... (letters only and short: no credential).
func isSchemeWord(w string) bool {
	if w == "" || len(w) > 10 {
		return false
	}
	for _, c := range []byte(w) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

func fieldValue(s string, i int) (int, int) {
	if i < len(s) && s[i] == '"' {
		j := i + 1
		for j < len(s) && s[j] != '"' && s[j] != '\n' {
			if s[j] == '\\' && j+1 < len(s) {
				j++
			}
			j++
		}
		return i + 1, min(j, len(s))
	}
	j := i
	for j < len(s) && !stopByte(s[j]) && s[j] != '&' {
		j++
	}
	return i, j
}

// stageJWT masks JWT-looking strings: three base64url parts (the third possibly empty) or two
// that both decode to JSON objects. A JWT's header always does, and so starts with "e".
func (rd *Redactor) stageJWT(w *walker, s string, line int) string {
	if strings.IndexByte(s, '.') < 0 || strings.IndexByte(s, 'e') < 0 {
		return s
	}
	return rd.replaceSpans(w, s, line, findJWTs(s), func(_ int, v string) (string, string) { return rd.token(v).mask, "token" })
}

// maxJWTHeader bounds a header's base64 (a certificate chain in x5c is a few KB), and
// maxJWTStarts the starts tried inside one run of base64 ("x-eyJ..." starts after the
// hyphen), so that text full of "eyJh-eyJh-..." keeps the search linear.
const (
	maxJWTHeader = 8192
	maxJWTStarts = 16
)

func isB64URL(c byte) bool { return isWordByte(c) || c == '-' }

func b64End(s string, i int) int {
	for i < len(s) && isB64URL(s[i]) {
		i++
	}
	return i
}

// findJWTs finds JWT-looking strings that start where a word starts (as gitleaks' \bey...).
func findJWTs(s string) []span {
	var out []span
	runEnd, starts := -1, 0
	for i := 0; i+4 < len(s); i++ {
		if s[i] != 'e' || i > 0 && (isWordByte(s[i-1]) && s[i-1] != '_') && !afterEscape(s, i) || !b64ObjectStart(s[i:i+4]) {
			continue
		}
		if i >= runEnd { // a new run of base64: where it ends is the same for every start in it
			runEnd, starts = b64End(s, i), 0
		}
		if starts++; starts > maxJWTStarts {
			continue
		}
		j := runEnd
		if j-i > maxJWTHeader || j >= len(s) || s[j] != '.' {
			continue
		}
		k := b64End(s, j+1)
		if k-j-1 < 2 {
			continue
		}
		end := k
		if k < len(s) && s[k] == '.' {
			end = k + 1
			for end < len(s) && (isB64URL(s[end]) || s[end] == '=') {
				end++
			}
		}
		if looksJWT(s[i:end]) {
			out = append(out, span{i, end, 0})
			i = end - 1
		}
	}
	return out
}

// b64ObjectStart tells whether 4 base64url characters open a JSON object: '{' then a quote,
// a space or '}'.
func b64ObjectStart(q string) bool {
	b, err := base64.RawURLEncoding.DecodeString(q)
	if err != nil || len(b) < 2 || b[0] != '{' {
		return false
	}
	switch b[1] {
	case '"', ' ', '\t', '\n', '\r', '}':
		return true
	}
	return false
}

// looksJWT: the first part is base64url of a JSON object, and either there are three parts
// (the signature possibly empty) or the second part is a JSON object too.
func looksJWT(s string) bool {
	if len(s) < 5 || s[0] != 'e' {
		return false
	}
	parts := strings.SplitN(s, ".", 4)
	if len(parts) < 2 || len(parts) > 3 || !b64JSONObject(parts[0]) {
		return false
	}
	return len(parts) == 3 || b64JSONObject(parts[1])
}

func b64JSONObject(p string) bool {
	b, err := b64(p)
	if err != nil {
		return false
	}
	b = bytes.TrimSpace(b)
	return len(b) > 1 && b[0] == '{' && json.Valid(b)
}

func b64(p string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(p, "="))
}

// bearerSpans finds the values of "Bearer <value>" in s, as the regular expression
// (?i)\bbearer(?:[ \t]+|%20|\+)([A-Za-z0-9._~+/=-]{8,}) would (the submatch of each match):
// written by hand because Go's regexp walks a large text byte by byte in its NFA for a
// case-insensitive prefix, and a pasted payload or a journal's case is megabytes long.
// TestBearerSpansIsTheRegexp checks the two against each other.
func bearerSpans(s string) []span {
	var out []span
	for i := 0; i+6 <= len(s); i++ {
		if s[i]|0x20 != 'b' || !strings.EqualFold(s[i:i+6], "bearer") || i > 0 && isWordByte(s[i-1]) {
			continue
		}
		j := i + 6
		switch {
		case j < len(s) && (s[j] == ' ' || s[j] == '\t'):
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
		case strings.HasPrefix(s[j:], "%20"):
			j += 3
		case strings.HasPrefix(s[j:], "+"):
			j++
		default:
			continue
		}
		k := j
		for k < len(s) && isBearerByte(s[k]) {
			k++
		}
		if k-j >= 8 {
			out = append(out, span{j, k, 0})
			i = k - 1
		}
	}
	return out
}

func isBearerByte(c byte) bool {
	return isWordByte(c) && c != '_' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=' || c == '-'
}

// afterEscape: s[i] follows a URL escape (%20eyJ...), which separates like the character
// it stands for.
func afterEscape(s string, i int) bool {
	return i >= 3 && s[i-3] == '%' && isHexByte(s[i-2]) && isHexByte(s[i-1])
}

// stageBearer masks an opaque "Bearer <value>" (a JWT was masked already).
func (rd *Redactor) stageBearer(w *walker, s string, line int) string {
	if !containsFoldASCII(s, "bearer") {
		return s
	}
	// "Bearer+abc" in a form body: the + is a space; "Bearer%20abc" likewise.
	return rd.replaceSpans(w, s, line, bearerSpans(s), func(_ int, v string) (string, string) { return rd.token(v).mask, "token" })
}

func containsFoldASCII(s, lower string) bool {
	for i := 0; i+len(lower) <= len(s); i++ {
		if s[i]|0x20 == lower[0] && strings.EqualFold(s[i:i+len(lower)], lower) {
			return true
		}
	}
	return false
}

// stageDocs masks valid CPFs and CNPJs (brdoc finds them by their check digits).
func (rd *Redactor) stageDocs(w *walker, s string, line int) string {
	if !hasDigits(s, 2) {
		return s
	}
	ms := brdoc.FindAll(s)
	if hasDigits(s, 11) {
		ms = append(ms, brdoc.FindLoose(s)...)
	}
	if ms == nil {
		return s
	}
	c := make([]span, 0, len(ms))
	for _, m := range ms {
		if m.Kind == brdoc.CPF && rd.cpf != nil || m.Kind == brdoc.CNPJ && rd.cnpj != nil {
			c = append(c, span{m.Start, m.End, int(m.Kind)})
		}
	}
	return rd.replaceSpans(w, s, line, c, func(kind int, v string) (string, string) {
		if brdoc.Kind(kind) == brdoc.CPF {
			return rd.valueMask(rd.cpf, v), rd.cpf.name
		}
		return rd.valueMask(rd.cnpj, v), rd.cnpj.name
	})
}

func (rd *Redactor) stagePattern(w *walker, s string, line int, p *pattern) string {
	if p.finder != nil {
		if !hasDigits(s, 8) {
			return s
		}
		return rd.replaceSpans(w, s, line, p.finder(s), func(_ int, v string) (string, string) { return rd.valueMask(p, v), p.name })
	}
	if p.minDigits > 0 && !hasDigits(s, p.minDigits) {
		return s
	}
	if p.keepDomain && strings.IndexByte(s, '@') < 0 && strings.Index(s, "%40") < 0 && strings.Index(s, "%2540") < 0 {
		return s // an e-mail pattern needs its @, written or encoded
	}
	if !holdsAll(s, p.must) {
		return s
	}
	var one [1]span
	c := p.spans(s, one[:0])
	if len(c) == 0 {
		return s
	}
	return rd.replaceSpans(w, s, line, c, func(_ int, v string) (string, string) { return rd.valueMask(p, v), p.name })
}

// spans are the non-empty matches of p's regular expression in s, as FindAllStringIndex finds
// them, appended to c. Most texts a pattern matches at all hold one match (a field's e-mail):
// the first match is found alone, and when what follows it lacks a byte every match holds
// (p.must), there is no other, and no list of matches is made for it (the list was a fifth of
// what a bundle allocates while its body is redacted).
func (p *pattern) spans(s string, c []span) []span {
	var ms [][]int
	switch {
	case len(s) > byLines && p.lineLocal:
		ms = p.findByLines(s)
	case p.must != "":
		m := p.re.FindStringIndex(s)
		if m == nil {
			return c
		}
		if m[1] > m[0] && !holdsAll(s[m[1]:], p.must) {
			// FindAll's next match would begin at m[1] or later, so it would lie in s[m[1]:].
			return append(c, span{m[0], m[1], 0})
		}
		ms = p.re.FindAllStringIndex(s, -1)
	default:
		ms = p.re.FindAllStringIndex(s, -1)
	}
	for _, m := range ms {
		if m[1] > m[0] {
			c = append(c, span{m[0], m[1], 0})
		}
	}
	return c
}

// holdsAll tells whether s holds each of the bytes of set.
func holdsAll(s, set string) bool {
	for i := 0; i < len(set); i++ {
		if strings.IndexByte(s, set[i]) < 0 {
			return false
		}
	}
	return true
}

// byLines is the size from which a pattern that cannot cross a line looks for its matches line
// by line: Go's regexp runs a long text through its NFA, position by position (an e-mail
// pattern starting with [\p{L}\p{N}._%+-]+ keeps a thread for every letter of a word), and a
// short one through its backtracker, many times faster; and a line without the digits or
// bytes every match needs is skipped unread.
const byLines = 4096

// findByLines is re.FindAllStringIndex(s, -1) for a lineLocal pattern, line by line: no match
// holds a line break nor looks beyond its own line, so the matches are the same (the
// property TestFindByLinesIsFindAll checks).
func (p *pattern) findByLines(s string) [][]int {
	var out [][]int
	for start := 0; start <= len(s); {
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		if l := s[start:end]; p.mayMatch(l) {
			for _, m := range p.re.FindAllStringIndex(l, -1) {
				out = append(out, []int{start + m[0], start + m[1]})
			}
		}
		start = end + 1
	}
	return out
}

// lineLocal tells whether no match of re can hold a line break or depend on what lies beyond
// its line: no class, literal or any-character that takes '\n', no ^, $, \A or \z (a word
// boundary is the same at a line's edge as at the text's).
func lineLocal(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpNoMatch, syntax.OpEmptyMatch, syntax.OpAnyCharNotNL, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	case syntax.OpLiteral:
		return !slices.Contains(re.Rune, '\n')
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
				return false
			}
		}
		return true
	case syntax.OpCapture, syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat, syntax.OpConcat, syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !lineLocal(sub) {
				return false
			}
		}
		return true
	}
	return false // any character, line and text anchors, and whatever is added later
}

func hasDigits(s string, n int) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			if n--; n == 0 {
				return true
			}
		}
	}
	return false
}
