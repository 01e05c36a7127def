package evidence

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"triagem/diagnose"
	"triagem/internal/brdoc"
	"triagem/internal/sensitive"
	"triagem/rules"
)

// Masks. Every mask is one bracketed token whose shape is fixed below, so that a mask is
// never mistaken for what it replaces: not by Scan (which skips anything of these shapes), not
// by gitleaks (a mask opens with "[", which no secret rule accepts as the first character of a
// value, and a mask never holds 10 or more consecutive high-entropy characters). A mask never
// holds the value it replaces, nor enough of it to rebuild it.
//
//	[api_key sha256:254097ef3e1c…f605]        API key: the first 12 hex of the SHA-256 of its exact text
//	                                          (as the directory identifies keys) and its last 4
//	                                          characters (only when the key has 12 or more and they are
//	                                          letters or digits). Wherever the key's text appears, and
//	                                          for its full SHA-256 too.
//	[token#1 HS256, signature removed]        a JWT: header and claims go to the TokenView, decoded.
//	[token#1 none, no signature]              a JWT that came without a signature.
//	[token#2, 40 chars, not a JWT]            an opaque token (a Bearer value that is no JWT).
//	[header Authorization, 190 chars, scheme Bearer, token#1]
//	                                          a header of the rules' list, masked whole; the scheme and
//	                                          the token it carried are named ("no scheme" when an
//	                                          Authorization header carries a token without one).
//	[senha, 8 chars]                          a field of the rules' list, masked whole (named as in the
//	                                          rules). An API-key field gets the API key mask, a JWT the
//	                                          token mask.
//	[cpf#1 …25]  [cnpj#1 …35]                 patterns of kind cpf and cnpj: keep_last characters.
//	[cpf#2 …26, check digits invalid]         a CPF-shaped value under a key that names a CPF (cpf,
//	                                          cpfCliente, ...) whose check digits do not add up: still a
//	                                          person's number, with a typo.
//	[email#1 …@example.com.br]                a regex pattern with keep_domain.
//	[phone#1 …4321]                           a regex pattern with keep_last.
//
// The #n counts distinct values per kind within one Redactor (one bundle): the same value
// always gets the same mask. Values are compared normalised: a CPF or CNPJ by its bare
// characters, an e-mail in lower case, a phone by its digits without the country code 55.
// keep_last never keeps more than half of the value.

// Redactor masks one bundle's worth of data; it is stateful so that the same value always
// gets the same mask within a bundle. Not safe for concurrent use.
type Redactor struct {
	pol      *sensitive.Policy // what is secret and personal, by name
	headers  map[string]string // lower-case name -> name as in the rules
	fields   map[string]string
	patterns []pattern
	docs     int // index of the first cpf/cnpj pattern, -1 without one
	cpf      *pattern
	cnpj     *pattern
	phone    *pattern // the first phone pattern, for values under a key that names a phone

	masks    map[string]map[string]string // kind -> normalised value -> mask
	next     map[string]int               // kind -> last #n given
	secrets  map[string]secret            // literal values masked wherever they appear
	byLen    []string                     // secrets' values, longest first
	tokens   map[string]*tokenEntry
	keys     map[string]*keyFacts
	items    [][]ReportItem // the report's items, in blocks: a big payload has tens of thousands
	counts   map[string]int
	changes  int        // masks applied, to tell when a text is stable
	whole    bool       // the last replacement took the whole text: nothing is left to expose
	scan     *scanState // non-nil: Scan mode, findings instead of masks
	output   bool       // Output mode: printed text, where "Name: value" is a sentence
	printing bool       // an output redactor (NewOutputRedactor), even while it learns a case
	quiet    bool       // keep no report (Output mode, Learn)

	// memo remembers how short texts were masked: a bundle repeats values (the payload in
	// the case and in the summary, a CPF in many records), and the answer is the same.
	memo    map[string]*memoEntry
	capture []memoRec
	memoOn  bool
}

// cleanText is the memo's answer for the many texts that hold nothing to mask.
var cleanText = &memoEntry{}

type memoEntry struct {
	out  string
	recs []memoRec
}

type memoRec struct {
	kind, mask string
	chars      int
}

const (
	memoMaxLen     = 256
	memoMaxEntries = 1 << 16
)

type pattern struct {
	name       string // as in the rules, sanitised: the kind in masks and reports
	doc        brdoc.Kind
	re         *regexp.Regexp
	keepLast   int
	keepDomain bool
	phone      bool   // normalised by digits, without the country code
	minDigits  int    // every match has at least this many digits: a cheap pre-filter
	must       string // every match holds each of these bytes
	finder     func(string) []span
}

type secret struct{ mask, kind string }

type tokenEntry struct {
	raw  string
	n    int
	mask string
}

type scanState struct {
	file     string
	findings []Finding
}

// Finding is something Scan would still mask: where it is and what kind, never the value.
type Finding struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Kind string `json:"kind"`
}

// maxSecrets bounds the literal values looked for in every text: the API key, its SHA-256,
// tokens and masked header values. Beyond it, values are still masked where they stand.
const maxSecrets = 512

// minSecret is the shortest secret looked for wherever it recurs.
const minSecret = 4

// authHeader is masked whatever the rules say: the contract forbids its value in a bundle.
const authHeader = "Authorization"

// NewRedactor compiles the rules' patterns. Rules with no pattern at all are refused: a rules
// file that forgot its redaction section would otherwise let every CPF through.
func NewRedactor(r rules.Redaction) (*Redactor, error) {
	if len(r.Patterns) == 0 {
		return nil, errors.New("the rules' redaction section names no pattern: a bundle would carry CPFs, e-mails and phones in clear")
	}
	rd := &Redactor{
		headers: map[string]string{strings.ToLower(authHeader): authHeader},
		fields:  map[string]string{},
		masks:   map[string]map[string]string{},
		next:    map[string]int{},
		secrets: map[string]secret{},
		tokens:  map[string]*tokenEntry{},
		keys:    map[string]*keyFacts{},
		memo:    map[string]*memoEntry{},
		docs:    -1,
		counts:  map[string]int{},
	}
	for _, h := range r.Headers {
		if n := sanitizeName(h); n != "" {
			rd.headers[strings.ToLower(h)] = n
		}
	}
	for _, f := range r.Fields {
		if n := sanitizeName(f); n != "" {
			rd.fields[strings.ToLower(f)] = n
		}
	}
	rd.pol = sensitive.FromRules(r)
	ps, err := compiledPatterns(r.Patterns)
	if err != nil {
		return nil, err
	}
	rd.patterns = ps
	for i := range rd.patterns {
		p := &rd.patterns[i]
		switch {
		case p.doc == brdoc.CPF && rd.cpf == nil:
			rd.cpf = p
		case p.doc == brdoc.CNPJ && rd.cnpj == nil:
			rd.cnpj = p
		case p.phone && rd.phone == nil:
			rd.phone = p
		}
		if p.doc != 0 && rd.docs < 0 {
			rd.docs = i
		}
	}
	return rd, nil
}

var patternCache sync.Map // the patterns' text -> []pattern (immutable once compiled)

// compiledPatterns compiles the rules' patterns once per process: an output redactor is made
// per case of a batch.
func compiledPatterns(rp []rules.RedactionPattern) ([]pattern, error) {
	key := fmt.Sprintf("%#v", rp)
	if v, ok := patternCache.Load(key); ok {
		return v.([]pattern), nil
	}
	var out []pattern
	for i, p := range rp {
		name := sanitizeName(p.Name)
		if name == "" {
			return nil, fmt.Errorf("redaction.patterns[%d]: no name", i)
		}
		cp := pattern{name: name, keepLast: max(p.KeepLast, 0), keepDomain: p.KeepDomain}
		switch p.Kind {
		case "cpf":
			cp.doc = brdoc.CPF
		case "cnpj":
			cp.doc = brdoc.CNPJ
		case "phone":
			cp.phone, cp.finder = true, phoneSpans
		case "regex":
			re, err := regexp.Compile(p.Regex)
			if err != nil || p.Regex == "" {
				return nil, fmt.Errorf("redaction.patterns[%d] (%s): not a regular expression: %v", i, name, err)
			}
			cp.re = re
			cp.phone = strings.Contains(strings.ToLower(name), "phone") || strings.Contains(strings.ToLower(name), "fone")
			if st, err := syntax.Parse(p.Regex, syntax.Perl); err == nil {
				cp.minDigits = minDigits(st.Simplify())
				cp.must = string(mustBytes(st.Simplify()))
			}
		default:
			return nil, fmt.Errorf("redaction.patterns[%d] (%s): %q is not a pattern kind (cpf, cnpj, phone, regex)", i, name, p.Kind)
		}
		out = append(out, cp)
	}
	patternCache.Store(key, out)
	return out, nil
}

// sanitizeName keeps what a mask may hold of a rules name: letters, digits, '_', '-', '.'.
func sanitizeName(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if isWordByte(c) || c == '-' || c == '.' {
			b.WriteByte(c)
		}
		if b.Len() == 40 {
			break
		}
	}
	return b.String()
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Report is what was masked so far.
func (rd *Redactor) Report() Report {
	n := 0
	for _, b := range rd.items {
		n += len(b)
	}
	r := Report{Items: make([]ReportItem, 0, n), Counts: make(map[string]int, len(rd.counts))}
	for _, b := range rd.items {
		r.Items = append(r.Items, b...)
	}
	// The case is masked where secrets live first (headers, bodies), so that they are known
	// wherever else they recur; the report lists it as a reader meets it, in the contract's order.
	sort.SliceStable(r.Items, func(i, j int) bool {
		return caseRank(r.Items[i].Where) < caseRank(r.Items[j].Where)
	})
	for k, v := range rd.counts {
		r.Counts[k] = v
	}
	return r
}

// ---- where a value is, for the report and for Scan ----

// walker is the place being redacted: a file and a path inside it.
type walker struct {
	file string
	segs []seg
}

type seg struct {
	key string
	idx int // -1 for a key
}

func (w *walker) push(key string) { w.segs = append(w.segs, seg{key: key, idx: -1}) }
func (w *walker) pushIdx(i int)   { w.segs = append(w.segs, seg{idx: i}) }
func (w *walker) pop()            { w.segs = w.segs[:len(w.segs)-1] }

func (w *walker) where() string {
	if len(w.segs) == 0 {
		return w.file
	}
	b := make([]byte, 0, 64)
	b = append(append(b, w.file...), ": "...)
	for i, s := range w.segs {
		if s.idx >= 0 {
			b = strconv.AppendInt(append(b, '['), int64(s.idx), 10)
			b = append(b, ']')
			continue
		}
		if i > 0 {
			b = append(b, '.')
		}
		b = append(b, s.key...)
	}
	return string(b)
}

func (rd *Redactor) record(w *walker, line int, kind string, chars int, mask string) {
	rd.changes++
	if rd.scan != nil {
		rd.scan.findings = append(rd.scan.findings, Finding{File: rd.scan.file, Line: line, Kind: kind})
		return
	}
	if rd.memoOn {
		rd.capture = append(rd.capture, memoRec{kind, mask, chars})
	}
	if rd.quiet {
		return // output mode: what was masked in a printed line is nobody's report
	}
	if len(rd.items) == 0 || len(rd.items[len(rd.items)-1]) == cap(rd.items[len(rd.items)-1]) {
		rd.items = append(rd.items, make([]ReportItem, 0, 1024))
	}
	last := &rd.items[len(rd.items)-1]
	*last = append(*last, ReportItem{Where: w.where(), Kind: kind, Chars: chars, Mask: mask})
	rd.counts[kind]++
}

// ---- free text ----

// Text masks free text (error messages, summary lines, raw non-JSON bodies).
func (rd *Redactor) Text(where, s string) string {
	return rd.text(&walker{file: where}, s, 1)
}

// text runs the stages until a round masks nothing: masking can expose a neighbour (an
// e-mail glued to a CPF), which the next round masks. In Scan mode one round reports all.
func (rd *Redactor) text(w *walker, s string, line int) string {
	if rd.scan != nil {
		return rd.round(w, s, line)
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
	if len(rd.byLen) == secrets && len(rd.memo) < memoMaxEntries {
		if len(rd.capture) == 0 {
			rd.memo[s] = cleanText
		} else {
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
var maskRE = regexp.MustCompile(`\[(?:` +
	`api_key sha256:[0-9a-f]{12}…[A-Za-z0-9]{0,4}` +
	`|token#[0-9]{1,6}(?: [A-Za-z0-9]{1,10})?, (?:signature removed|no signature|[0-9]{1,7} chars, not a JWT)` +
	`|header [A-Za-z0-9_.-]{1,40}, [0-9]{1,7} chars(?:, (?:scheme [A-Za-z][A-Za-z0-9-]{0,19}|no scheme|token#[0-9]{1,6}))*` +
	`|[A-Za-z0-9_.-]{1,40}, [0-9]{1,7} chars` +
	`|[A-Za-z0-9_.-]{1,40}#[0-9]{1,6}(?: …(?:@[A-Za-z0-9.-]{1,253}|[A-Za-z0-9]{1,8}))?(?:, check digits invalid)?` +
	`)\]`)

// protected returns the masks in s. A mask that would hold something a pattern finds is not
// one of ours (someone typed it to hide a CPF from Scan) and is not protected.
func (rd *Redactor) protected(s string) []span {
	if strings.IndexByte(s, '[') < 0 {
		return nil
	}
	var out []span
	for _, m := range maskRE.FindAllStringIndex(s, -1) {
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
		if p := &rd.patterns[i]; p.re != nil && p.re.MatchString(m) {
			return false
		}
	}
	return true
}

// isMask tells whether s is exactly one mask.
func (rd *Redactor) isMask(s string) bool {
	if len(s) < 4 || s[0] != '[' || s[len(s)-1] != ']' {
		return false
	}
	loc := maskRE.FindStringIndex(s)
	return loc != nil && loc[0] == 0 && loc[1] == len(s) && rd.genuineMask(s)
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
	if len(rd.byLen) == 0 {
		return s
	}
	var c []span
	for _, v := range rd.byLen {
		for off := 0; ; {
			i := strings.Index(s[off:], v)
			if i < 0 {
				break
			}
			st, en := off+i, off+i+len(v)
			if len(v) >= 8 || wordBounded(s, st, en) {
				c = append(c, span{st, en, len(v)})
			}
			off = en
		}
	}
	if len(c) == 0 {
		return s
	}
	// Longest first (byLen) wins ties: replaceSpans keeps the first of overlapping spans.
	return rd.replaceSpans(w, s, line, c, func(_ int, v string) (string, string) {
		sec := rd.secrets[v]
		return sec.mask, sec.kind
	})
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
		if _, ok := rd.secrets[v]; ok || len(v) < minSecret || len(rd.byLen) >= maxSecrets {
			continue
		}
		rd.secrets[v] = secret{mask, kind}
		rd.byLen = append(rd.byLen, v)
		added = true
	}
	if added {
		clear(rd.memo) // texts masked before may hold it
		sort.SliceStable(rd.byLen, func(i, j int) bool { return len(rd.byLen[i]) > len(rd.byLen[j]) })
	}
}

// replaceSpans masks the candidate spans that touch no mask; maskOf gets the candidate's
// aux, so that per-candidate data can be looked up. It reuses c.
func (rd *Redactor) replaceSpans(w *walker, s string, line int, c []span, maskOf func(aux int, v string) (mask, kind string)) string {
	if len(c) == 0 {
		return s
	}
	// A value found after "senha=" can run over a "token=" found on its own: the first wins.
	sort.SliceStable(c, func(i, j int) bool { return c[i].start < c[j].start })
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

var bearerRE = regexp.MustCompile(`(?i)\bbearer(?:[ \t]+|%20|\+)([A-Za-z0-9._~+/=-]{8,})`)

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
	var c []span
	for _, m := range bearerRE.FindAllStringSubmatchIndex(s, -1) {
		c = append(c, span{m[2], m[3], 0})
	}
	return rd.replaceSpans(w, s, line, c, func(_ int, v string) (string, string) { return rd.token(v).mask, "token" })
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
	for i := 0; i < len(p.must); i++ {
		if strings.IndexByte(s, p.must[i]) < 0 {
			return s
		}
	}
	ms := p.re.FindAllStringIndex(s, -1)
	if ms == nil {
		return s
	}
	c := make([]span, 0, len(ms))
	for _, m := range ms {
		if m[1] > m[0] {
			c = append(c, span{m[0], m[1], 0})
		}
	}
	return rd.replaceSpans(w, s, line, c, func(_ int, v string) (string, string) { return rd.valueMask(p, v), p.name })
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

// ---- masks ----

// valueMask is the mask of a pattern's match: [kind#n …kept].
func (rd *Redactor) valueMask(p *pattern, v string) string {
	norm, keep := "", ""
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
		v = strings.NewReplacer("%2540", "@", "%40", "@").Replace(strings.ToLower(v))
		fallthrough
	case p.keepDomain && strings.Contains(v, "@"):
		norm = strings.ToLower(v)
		keep = "@" + safeDomain(norm[strings.LastIndexByte(norm, '@')+1:])
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
	if keep == "" {
		keep = lastAlnum(norm, min(p.keepLast, len(norm)/2))
	}
	if keep == "@" {
		keep = ""
	}
	return rd.numbered(p.name, norm, keep, "")
}

// numbered gives the value's mask, the same one every time: [kind#n …keep, note].
func (rd *Redactor) numbered(kind, norm, keep, note string) string {
	byNorm := rd.masks[kind]
	if m, ok := byNorm[norm]; ok {
		return m
	}
	if byNorm == nil {
		byNorm = map[string]string{}
		rd.masks[kind] = byNorm
	}
	rd.next[kind]++
	var buf [96]byte
	b := append(append(append(buf[:0], '['), kind...), '#')
	b = strconv.AppendInt(b, int64(rd.next[kind]), 10)
	if keep != "" {
		b = append(append(b, " …"...), keep...)
	}
	if note != "" {
		b = append(append(b, ", "...), note...)
	}
	m := string(append(b, ']'))
	byNorm[norm] = m
	return m
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
	if m, ok := rd.masks["api_key"][full]; ok {
		return m
	}
	tail := ""
	if t := strings.TrimSpace(key); utf8.RuneCountInString(t) >= 12 {
		if last := t[len(t)-4:]; lastAlnum(last, 4) == last {
			tail = last
		}
	}
	m := "[api_key sha256:" + full[:12] + "…" + tail + "]"
	if rd.masks["api_key"] == nil {
		rd.masks["api_key"] = map[string]string{}
	}
	rd.masks["api_key"][full] = m
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
	n := strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(name))
	return strings.HasSuffix(n, "apikey")
}

// ---- JSON trees ----

type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNum
	jStr
	jArr
	jObj
)

// jval is a JSON value that keeps its keys' order and its numbers' text.
type jval struct {
	kind jkind
	done bool   // already redacted (a case's body)
	line int32  // where it starts (Scan)
	s    string // string value, number text, "true"/"false"
	key  string // its key, in an object
	kids []jval
}

func strVal(s string) jval { return jval{kind: jStr, s: s} }

type jparser struct {
	d     string
	i     int
	line  int
	depth int
	kids  []jval // scratch stack: a container's items are copied out at its end, so that no
	// slice grows item by item
}

// errJSON is what parseJSON says of text that is not one JSON value: where, never what.
type errJSON struct{ off int }

func (e *errJSON) Error() string { return fmt.Sprintf("not valid JSON (at byte %d)", e.off) }

// maxDepth is encoding/json's nesting limit.
const maxDepth = 10000

// parseJSON reads exactly one JSON value (as strict as json.Valid). Strings without escapes
// share d's memory.
func parseJSON(d string, line int) (v jval, err error) {
	p := &jparser{d: d, line: line}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*errJSON)
			if !ok {
				panic(r)
			}
			v, err = jval{}, e
		}
	}()
	v = p.value()
	p.ws()
	if p.i != len(p.d) {
		p.fail()
	}
	return v, nil
}

func (p *jparser) fail() { panic(&errJSON{p.i}) }

func (p *jparser) peek() byte {
	if p.i >= len(p.d) {
		p.fail()
	}
	return p.d[p.i]
}

func (p *jparser) expect(c byte) {
	if p.peek() != c {
		p.fail()
	}
	p.i++
}

func (p *jparser) ws() {
	for p.i < len(p.d) {
		switch p.d[p.i] {
		case ' ', '\t', '\r':
			p.i++
		case '\n':
			p.line++
			p.i++
		default:
			return
		}
	}
}

func (p *jparser) value() jval {
	p.ws()
	v := jval{line: int32(p.line)}
	switch c := p.peek(); c {
	case '{', '[':
		if p.depth++; p.depth > maxDepth {
			p.fail()
		}
		p.i++
		closing := byte(']')
		v.kind = jArr
		if c == '{' {
			v.kind, closing = jObj, '}'
		}
		p.ws()
		if p.peek() == closing {
			p.i++
			p.depth--
			return v
		}
		vbase := len(p.kids)
		for {
			var key string
			if c == '{' {
				p.ws()
				if p.peek() != '"' {
					p.fail()
				}
				key = p.str()
				p.ws()
				p.expect(':')
			}
			kid := p.value()
			kid.key = key
			p.kids = append(p.kids, kid)
			p.ws()
			if p.peek() == ',' {
				p.i++
				continue
			}
			p.expect(closing)
			break
		}
		v.kids = append([]jval(nil), p.kids[vbase:]...)
		clear(p.kids[vbase:])
		p.kids = p.kids[:vbase]
		p.depth--
	case '"':
		v.kind, v.s = jStr, p.str()
	case 't', 'f', 'n':
		lit := map[byte]string{'t': "true", 'f': "false", 'n': "null"}[c]
		if !strings.HasPrefix(p.d[p.i:], lit) {
			p.fail()
		}
		p.i += len(lit)
		if c != 'n' {
			v.kind, v.s = jBool, lit
		}
	default:
		v.kind, v.s = jNum, p.number()
	}
	return v
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jparser) number() string {
	start := p.i
	digits := func() int {
		n := 0
		for p.i < len(p.d) && isDigit(p.d[p.i]) {
			p.i++
			n++
		}
		return n
	}
	if p.peek() == '-' {
		p.i++
	}
	if p.peek() == '0' {
		p.i++
	} else if digits() == 0 {
		p.fail()
	}
	if p.i < len(p.d) && p.d[p.i] == '.' {
		p.i++
		if digits() == 0 {
			p.fail()
		}
	}
	if p.i < len(p.d) && (p.d[p.i] == 'e' || p.d[p.i] == 'E') {
		p.i++
		if p.i < len(p.d) && (p.d[p.i] == '+' || p.d[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			p.fail()
		}
	}
	return p.d[start:p.i]
}

func (p *jparser) str() string {
	start := p.i + 1
	j, esc := start, false
	for {
		if j >= len(p.d) {
			p.i = j
			p.fail()
		}
		c := p.d[j]
		if c == '"' {
			break
		}
		if c < 0x20 {
			p.i = j
			p.fail()
		}
		if c == '\\' {
			esc = true
			if j+1 >= len(p.d) {
				p.i = j
				p.fail()
			}
			switch p.d[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				for k := j + 2; k < j+6; k++ {
					if k >= len(p.d) || !isHexByte(p.d[k]) {
						p.i = j
						p.fail()
					}
				}
				j += 6
			default:
				p.i = j
				p.fail()
			}
			continue
		}
		j++
	}
	p.i = j + 1
	if !esc {
		s := p.d[start:j]
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
		return s
	}
	var s string
	_ = json.Unmarshal([]byte(p.d[start-1:j+1]), &s)
	return s
}

func isHexByte(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// appendJSON writes v as JSON: compact with an empty indent, else one item per line.
func appendJSON(b []byte, v *jval, indent string, depth int) []byte {
	switch v.kind {
	case jNull:
		return append(b, "null"...)
	case jBool, jNum:
		return append(b, v.s...)
	case jStr:
		return appendJSONString(b, v.s)
	}
	open, end := byte('['), byte(']')
	if v.kind == jObj {
		open, end = '{', '}'
	}
	b = append(b, open)
	for i := range v.kids {
		if i > 0 {
			b = append(b, ',')
		}
		b = newline(b, indent, depth+1)
		if v.kind == jObj {
			b = appendJSONString(b, v.kids[i].key)
			b = append(b, ':')
			if indent != "" {
				b = append(b, ' ')
			}
		}
		b = appendJSON(b, &v.kids[i], indent, depth+1)
	}
	if len(v.kids) > 0 {
		b = newline(b, indent, depth)
	}
	return append(b, end)
}

// jsonSize is about what appendJSON writes for v (escapes aside), so that its buffer is
// allocated once: an indented 1 MB payload grows by half.
func jsonSize(v *jval, indent, depth int) int {
	n := len(v.s) + 2
	if v.kind == jNull {
		n = 4
	}
	for i := range v.kids {
		n += 2 + indent*(depth+1) + jsonSize(&v.kids[i], indent, depth+1)
		if v.kind == jObj {
			n += len(v.kids[i].key) + 4
		}
	}
	return n + 1 + indent*depth
}

func newline(b []byte, indent string, depth int) []byte {
	if indent == "" {
		return b
	}
	b = append(b, '\n')
	for range depth {
		b = append(b, indent...)
	}
	return b
}

func appendJSONString(b []byte, s string) []byte {
	const hexd = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexd[c>>4], hexd[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			switch r {
			case utf8.RuneError:
				b = append(b, `\ufffd`...)
			case '\u2028':
				b = append(b, `\u2028`...)
			default:
				b = append(b, `\u2029`...)
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// hint is what a key's name says of its value: a value under "cpf" is a CPF even with a
// typo, a number under "telefone" is a phone.
type hint uint8

const (
	hintCPF hint = 1 << iota
	hintCNPJ
	hintPhone
	hintSecret // under a secret name: every value is masked but for identity names
)

func hintOf(key string) hint {
	k := strings.ToLower(key)
	var h hint
	if strings.Contains(k, "cpf") {
		h |= hintCPF
	}
	if strings.Contains(k, "cnpj") {
		h |= hintCNPJ
	}
	if strings.Contains(k, "fone") || strings.Contains(k, "phone") || strings.Contains(k, "celular") || strings.Contains(k, "whatsapp") {
		h |= hintPhone
	} else {
		for _, w := range sensitive.Words(key) {
			switch w {
			case "tel", "cel", "mobile", "contato", "contact", "fax", "sms", "ddd":
				h |= hintPhone
			}
		}
	}
	return h
}

// walk redacts a tree in place: keys and strings as text, secret fields and headers whole,
// numbers that are CPFs or CNPJs (or, under a key that says so, phones and mistyped CPFs).
func (rd *Redactor) walk(w *walker, v *jval, h hint) {
	if v.done {
		return
	}
	switch v.kind {
	case jStr:
		if h&hintSecret != 0 && rd.secretLeaf(w, v) {
			return
		}
		if rd.jsonInString(w, v) {
			return
		}
		v.s = rd.hinted(w, v.s, int(v.line), h, false)
	case jNum:
		if h&hintSecret != 0 && rd.secretLeaf(w, v) {
			return
		}
		if s := rd.hinted(w, v.s, int(v.line), h, true); s != v.s {
			v.kind, v.s = jStr, s
		}
	case jArr:
		for i := range v.kids {
			w.pushIdx(i)
			rd.walk(w, &v.kids[i], h)
			w.pop()
		}
	case jObj:
		for i := range v.kids {
			kid := &v.kids[i]
			k := kid.key
			ki := rd.keyInfo(k)
			if !ki.clean {
				w.push("<key>") // the key itself may be what is masked: never in a path
				before := rd.changes
				k = rd.text(w, k, int(kid.line))
				if rd.changes == before && rd.scan == nil {
					ki.clean = true
				}
				if k != kid.key {
					kid.key, ki = k, rd.keyInfo(k)
				}
				w.pop()
			}
			w.push(k)
			switch {
			case ki.secret && rd.secretField(w, k, kid):
			case rd.personalField(w, k, kid):
			default:
				// A key's hint holds for what lies under it: telefone: {ddd: 11, numero: ...}.
				kh := ki.hint | h&(hintPhone|hintSecret)
				if identityName(k) {
					kh &^= hintSecret
				}
				rd.walk(w, kid, kh)
			}
			w.pop()
		}
	}
}

// jsonInString redacts a string that holds a JSON object or array (a body kept as text) as
// JSON, so that its numbers are judged as numbers, as they were when it was written.
func (rd *Redactor) jsonInString(w *walker, v *jval) bool {
	t := strings.TrimSpace(v.s)
	if len(t) < 2 || t[0] != '{' && t[0] != '[' {
		return false
	}
	lead := v.s[:strings.Index(v.s, t)]
	inner, err := parseJSON(t, int(v.line)+strings.Count(lead, "\n"))
	if err != nil {
		return false
	}
	before := rd.changes
	rd.walk(w, &inner, 0)
	if rd.changes != before && rd.scan == nil {
		v.s = string(appendJSON(nil, &inner, indentOf([]byte(t)), 0))
	}
	return true
}

// keyFacts is what a key's name says, computed once per distinct key.
type keyFacts struct {
	hint   hint
	secret bool // a header or field of the rules' lists
	clean  bool // Text leaves the key as it is
}

func (rd *Redactor) keyInfo(k string) *keyFacts {
	if ki, ok := rd.keys[k]; ok {
		return ki
	}
	ki := &keyFacts{hint: hintOf(k), secret: rd.secretName(k)}
	if len(rd.keys) < 4096 {
		rd.keys[k] = ki
	}
	return ki
}

// secretField masks the value of a header or field of the rules' lists whole.
func (rd *Redactor) secretField(w *walker, key string, v *jval) bool {
	lk := strings.ToLower(key)
	header, isHeader := rd.headers[lk]
	field := rd.displayName(key)
	if !isHeader && !rd.secretName(key) {
		return false
	}
	var text string
	switch v.kind {
	case jNull, jBool:
		return true
	case jObj, jArr:
		// credentials: {login: ..., senha: ...}: what support reads (the login) stays, and
		// everything else under the secret name goes.
		if len(v.kids) > 0 {
			rd.walk(w, v, hintSecret)
			return true
		}
	case jNum:
		// A numeric password or PIN is a secret; a count (the report's {"token": 2}) is not.
		if len(digitsOf(v.s)) < 4 {
			return true
		}
		text = v.s
	case jStr:
		text = v.s
		if strings.TrimSpace(text) == "" || rd.isMask(text) {
			return true
		}
	default:
		text = string(appendJSON(nil, v, "", 0))
	}
	var mask, kind string
	if isHeader {
		mask, kind = rd.headerMask(header, text)
	} else {
		mask, kind = rd.fieldMask(field, text)
	}
	if rd.scan != nil {
		kind = map[bool]string{true: "header", false: "field"}[isHeader]
	}
	rd.record(w, int(v.line), kind, utf8.RuneCountInString(text), mask)
	*v = jval{kind: jStr, s: mask, line: v.line, key: v.key}
	return true
}

// hinted masks a string or a number's text. A number is only looked at for a valid CPF or
// CNPJ (an amount, an id or a timestamp stays readable) unless its key names what it is.
func (rd *Redactor) hinted(w *walker, s string, line int, h hint, number bool) string {
	if h&hintPhone != 0 && h&(hintCPF|hintCNPJ) == 0 && rd.phone != nil && !rd.isMask(s) {
		// Under a key that names a phone, any 8 or more digits in phone punctuation are one.
		if d := digitsOf(s); len(d) >= 8 && len(d) <= 15 && onlyDigitsAndPunct(s) {
			mask := rd.valueMask(rd.phone, s)
			rd.record(w, line, rd.phone.name, utf8.RuneCountInString(s), mask)
			return mask
		}
	}
	if number && h&hintPhone == 0 {
		if h&(hintCPF|hintCNPJ) != 0 {
			if m := rd.mistypedDoc(w, s, line, h); m != s {
				return m
			}
		}
		if n := len(s); (n == 11 || n == 14) && digitsOf(s) == s {
			return rd.stageDocs(w, s, line)
		}
		return s
	}
	out := rd.text(w, s, line)
	if out != s || h&(hintCPF|hintCNPJ) == 0 {
		return out
	}
	return rd.mistypedDoc(w, s, line, h)
}

// mistypedDoc masks a CPF- or CNPJ-shaped value under a key that names one: a number that
// lost its leading zeros, a document cut short, or one whose check digits do not add up.
func (rd *Redactor) mistypedDoc(w *walker, s string, line int, h hint) string {
	if len(s) < 9 || len(s) > 18 {
		return s
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.' || c == '-' || c == '/' || c == ' ':
		case isWordByte(c) && c != '_':
			b = append(b, c)
		default:
			return s
		}
	}
	d := strings.ToUpper(string(b))
	allDigits := digitsOf(d) == d
	var p *pattern
	switch n := len(d); {
	case h&hintCPF != 0 && rd.cpf != nil && allDigits && n >= 9 && n <= 11:
		p, d = rd.cpf, strings.Repeat("0", 11-n)+d
	case h&hintCNPJ != 0 && rd.cnpj != nil && allDigits && n >= 12 && n <= 14:
		p, d = rd.cnpj, strings.Repeat("0", 14-n)+d
	case h&hintCNPJ != 0 && rd.cnpj != nil && n == 14 && isDigit(d[12]) && isDigit(d[13]):
		p = rd.cnpj
	default:
		return s
	}
	var mask string
	if (p.doc == brdoc.CPF && brdoc.ValidCPF(d)) || (p.doc == brdoc.CNPJ && brdoc.ValidCNPJ(d)) {
		mask = rd.valueMask(p, d)
	} else {
		mask = rd.numbered(p.name, "?"+d, lastAlnum(d, min(p.keepLast, len(d)/2)), "check digits invalid")
	}
	rd.record(w, line, p.name, utf8.RuneCountInString(s), mask)
	return mask
}

// ---- JSON documents ----

// JSON masks a JSON document (e.g. verdict.json): every string value goes through Text;
// numbers that are valid CPF/CNPJ become masks; values of secret fields (rules' Fields,
// case-insensitive) are masked whole. Key order and number text are kept; the output is
// indented when the input was. JSON Lines are masked line by line.
func (rd *Redactor) JSON(where string, data []byte) ([]byte, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("%s: empty, not JSON", where)
	}
	trailingNL := bytes.HasSuffix(data, []byte("\n"))
	v, err := parseJSON(string(trimmed), 1)
	if err != nil {
		// JSON Lines (a verdict per case)?
		lines := bytes.Split(trimmed, []byte("\n"))
		vals := make([]jval, 0, len(lines))
		for i, l := range lines {
			if l = bytes.TrimSpace(l); len(l) > 0 {
				lv, lerr := parseJSON(string(l), i+1)
				if lerr != nil {
					if len(lines) == 1 {
						return nil, fmt.Errorf("%s: %v", where, err)
					}
					return nil, fmt.Errorf("%s: line %d: %v", where, i+1, lerr)
				}
				vals = append(vals, lv)
			}
		}
		var out []byte
		for i := range vals {
			rd.walk(&walker{file: where}, &vals[i], 0)
			out = append(appendJSON(out, &vals[i], "", 0), '\n')
		}
		return out, nil
	}
	rd.walk(&walker{file: where}, &v, 0)
	out := appendJSON(make([]byte, 0, len(data)+len(data)/8), &v, indentOf(trimmed), 0)
	if trailingNL {
		out = append(out, '\n')
	}
	return out, nil
}

// indentOf is the indentation of the first indented line, "" for compact JSON.
func indentOf(d []byte) string {
	i := bytes.IndexByte(d, '\n')
	if i < 0 {
		return ""
	}
	j := i + 1
	for j < len(d) && (d[j] == ' ' || d[j] == '\t') {
		j++
	}
	if j == i+1 {
		return "  "
	}
	return string(d[i+1 : j])
}

// ---- the case ----

// caseOrder is the contract's order of a case's places, for the report.
var caseOrder = []string{"ticket", "partner", "environment", "product", "error", "request.method", "request.url",
	"request.at", "request.headers", "request.body", "response", "credentials"}

// caseRank orders the report's case items by caseOrder; other files keep their places after.
func caseRank(where string) int {
	rest, ok := strings.CutPrefix(where, caseWhere+": ")
	if !ok {
		return len(caseOrder) + 1
	}
	for i, p := range caseOrder {
		if strings.HasPrefix(rest, p) {
			return i
		}
	}
	return len(caseOrder)
}

// caseWhere is how the report names the case's places.
const caseWhere = "case.yaml"

// Case returns the case in the contract's shape, as a *yaml.Node (a mapping whose keys come
// in the contract's order: ticket, partner, environment, product, error, request, response,
// credentials; empty fields left out) with secrets and personal data masked, and the view of
// the token that was judged (the Authorization header's, else credentials.token; nil without
// one). A body that is a JSON object or array stays JSON: it is masked on its parsed tree and
// written as indented JSON text (a YAML literal block), with its keys in their order and its
// numbers as written, so that the Code team can read it and replay it as the partner sent it;
// any other body stays a string, masked as text.
func (rd *Redactor) Case(c *diagnose.Case) (doc any, token *TokenView, err error) {
	if c == nil {
		return nil, nil, errors.New("no case")
	}
	// Known secrets first, so that they are masked wherever they appear in the case.
	var judged string
	headerNames := make([]string, 0, len(c.Request.Headers))
	for k := range c.Request.Headers {
		headerNames = append(headerNames, k)
	}
	sort.Strings(headerNames)
	for _, k := range headerNames {
		if strings.EqualFold(k, authHeader) {
			if t := trimBearer(strings.TrimSpace(c.Request.Headers[k])); t != "" {
				rd.token(t)
				judged = t
			}
		}
	}
	credToken := trimBearer(strings.TrimSpace(c.Credentials.Token))
	if credToken != "" {
		rd.token(credToken)
		if judged == "" {
			judged = credToken
		}
	}
	var keyMask string
	if strings.TrimSpace(c.Credentials.APIKey) != "" {
		keyMask = rd.apiKeyMask(c.Credentials.APIKey)
	}

	// Each part is masked as it is added, so that the report reads in the contract's order.
	w := &walker{file: caseWhere}
	add := func(o *jval, k string, v jval) {
		v.key = k
		o.kids = append(o.kids, v)
	}
	at := func(path ...string) *walker {
		w.segs = w.segs[:0]
		for _, p := range path {
			w.push(p)
		}
		return w
	}
	addText := func(o *jval, path []string, k, s string) {
		if s == "" {
			return
		}
		v := strVal(s)
		rd.walk(at(append(path, k)...), &v, hintOf(k))
		v.done = true
		add(o, k, v)
	}
	// Where secrets live (headers, the URL, the bodies) is masked first, so that a secret
	// learnt there is masked where it recurs: a password repeated in the error message.
	req, reqPath := jval{kind: jObj}, []string{"request"}
	var headers jval
	if len(headerNames) > 0 {
		headers = jval{kind: jObj}
		for _, k := range headerNames {
			v := strVal(c.Request.Headers[k])
			v.key = k
			w := at("request", "headers", k)
			if rd.pol.SecretHeader(k) && strings.TrimSpace(v.s) != "" && !rd.isMask(v.s) {
				// Deny by default: only the rules' harmless headers keep their value.
				mask, kind := rd.headerMask(rd.displayName(k), v.s)
				rd.record(w, 0, kind, utf8.RuneCountInString(v.s), mask)
				v = strVal(mask)
				v.done = true
			}
			add(&headers, k, v)
		}
		rd.walk(at("request", "headers"), &headers, 0)
		headers.done = true
	}
	url := strVal(c.Request.URL)
	if c.Request.URL != "" {
		rd.walk(at("request", "url"), &url, 0)
		url.done = true
	}
	reqBody, hasReqBody := rd.body(at("request", "body"), c.Request.Body)
	var respBody jval
	hasRespBody := false
	if c.Response != nil {
		respBody, hasRespBody = rd.body(at("response", "body"), c.Response.Body)
	}

	root := jval{kind: jObj}
	addText(&root, nil, "ticket", c.Ticket)
	addText(&root, nil, "partner", c.Partner)
	addText(&root, nil, "environment", c.Environment)
	addText(&root, nil, "product", c.Product)
	addText(&root, nil, "error", c.Error)

	addText(&req, reqPath, "method", c.Request.Method)
	if c.Request.URL != "" {
		add(&req, "url", url)
	}
	addText(&req, reqPath, "at", timestampText(c.Request.At))
	if len(headerNames) > 0 {
		add(&req, "headers", headers)
	}
	if hasReqBody {
		add(&req, "body", reqBody)
	}
	if len(req.kids) > 0 {
		add(&root, "request", req)
	}
	if c.Response != nil {
		resp := jval{kind: jObj}
		if c.Response.Status != 0 {
			add(&resp, "status", jval{kind: jNum, s: strconv.Itoa(c.Response.Status)})
		}
		if hasRespBody {
			add(&resp, "body", respBody)
		}
		if len(resp.kids) > 0 {
			add(&root, "response", resp)
		}
	}

	cred, credPath := jval{kind: jObj}, []string{"credentials"}
	if keyMask != "" {
		rd.record(at("credentials", "api_key"), 0, "api_key", utf8.RuneCountInString(c.Credentials.APIKey), keyMask)
		add(&cred, "api_key", strVal(keyMask))
	}
	if d := c.Credentials.APIKeySHA256.Hex; d != "" && keyMask == "" {
		// A draft's key travels as its SHA-256: shown as the key's fingerprint, as a key is.
		m := "[api_key sha256:" + d[:min(12, len(d))] + "…]"
		rd.record(at("credentials", "api_key_sha256"), 0, "api_key", len(d), m)
		if !rd.printing {
			rd.addSecret(d, m, "api_key")
		}
		add(&cred, "api_key_sha256", strVal(m))
	}
	addText(&cred, credPath, "user", c.Credentials.User)
	if credToken != "" {
		m := rd.token(credToken).mask
		rd.record(at("credentials", "token"), 0, "token", utf8.RuneCountInString(c.Credentials.Token), m)
		add(&cred, "token", strVal(m))
	}
	addText(&cred, credPath, "token_issued_at", timestampText(c.Credentials.TokenIssuedAt))
	if len(cred.kids) > 0 {
		add(&root, "credentials", cred)
	}

	if judged != "" {
		token = rd.tokenView(judged)
	}
	return yamlNode(&root), token, nil
}

func trimBearer(s string) string {
	if len(s) >= 7 && strings.EqualFold(s[:7], "bearer ") {
		return strings.TrimSpace(s[7:])
	}
	return s
}

func timestampText(ts diagnose.Timestamp) string {
	if ts.IsZero() {
		return ""
	}
	v, _ := ts.MarshalYAML()
	s, _ := v.(string)
	return s
}

// body redacts a request's or response's body, at w: JSON (an object or an array) on its
// parsed tree, written back as indented JSON text with its keys in their order and its
// numbers as written; anything else as text.
func (rd *Redactor) body(w *walker, b diagnose.Body) (jval, bool) {
	if !b.Present {
		return jval{}, false
	}
	if t := bytes.TrimSpace(b.Raw); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		if len(rd.memo) == 0 && len(t) > 1<<16 { // a batch: one value in 40 bytes, say
			rd.memo = make(map[string]*memoEntry, min(len(t)/40, memoMaxEntries))
		}
		if v, err := parseJSON(string(t), 1); err == nil {
			rd.walk(w, &v, 0)
			size := jsonSize(&v, 2, 0)
			out := appendJSON(make([]byte, 0, size+size/16), &v, "  ", 0)
			return jval{kind: jStr, s: string(out), done: true}, true
		}
	}
	return jval{kind: jStr, s: rd.text(w, string(b.Raw), 1), done: true}, true
}

// yamlNode turns a tree into YAML nodes: numbers keep their text, strings are quoted when
// they would read as something else, multi-line strings (bodies) are literal blocks.
func yamlNode(v *jval) *yaml.Node {
	switch v.kind {
	case jNull:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	case jBool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: v.s}
	case jNum:
		return &yaml.Node{Kind: yaml.ScalarNode, Value: v.s}
	case jStr:
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v.s}
		if strings.Contains(v.s, "\n") {
			n.Style = yaml.LiteralStyle
		}
		return n
	}
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	if v.kind == jObj {
		n.Kind, n.Tag = yaml.MappingNode, "!!map"
	}
	for i := range v.kids {
		if v.kind == jObj {
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v.kids[i].key})
		}
		n.Content = append(n.Content, yamlNode(&v.kids[i]))
	}
	return n
}

// tokenView decodes a token's header and claims (masked like any JSON) and drops its
// signature.
func (rd *Redactor) tokenView(raw string) *TokenView {
	t := rd.token(raw)
	tv := &TokenView{}
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		tv.Error = fmt.Sprintf("not a JWT: %d parts separated by dots, a JWT has 3", len(parts))
		return tv
	}
	tv.SignatureChars = len(parts[2])
	w := &walker{file: fmt.Sprintf("token#%d", t.n)}
	decode := func(part, what string) (map[string]any, bool) {
		b, err := b64(part)
		var v jval
		if err == nil {
			v, err = parseJSON(string(bytes.TrimSpace(b)), 1)
		}
		if err != nil {
			tv.Error = fmt.Sprintf("the %s is not base64url-encoded JSON", what)
			return nil, false
		}
		if v.kind != jObj {
			tv.Error = fmt.Sprintf("the %s is not a JSON object", what)
			return nil, false
		}
		w.push(what)
		rd.walk(w, &v, 0)
		w.pop()
		m, _ := toAny(&v).(map[string]any)
		return m, true
	}
	var ok bool
	if tv.Header, ok = decode(parts[0], "header"); ok {
		tv.Claims, _ = decode(parts[1], "claims")
	}
	return tv
}

func toAny(v *jval) any {
	switch v.kind {
	case jNull:
		return nil
	case jBool:
		return v.s == "true"
	case jNum:
		return json.Number(v.s)
	case jStr:
		return v.s
	case jArr:
		a := make([]any, len(v.kids))
		for i := range v.kids {
			a[i] = toAny(&v.kids[i])
		}
		return a
	}
	m := make(map[string]any, len(v.kids))
	for i := range v.kids {
		m[v.kids[i].key] = toAny(&v.kids[i])
	}
	return m
}

// ---- Scan ----

// Scan reports what would still be masked in data (used to verify a bundle has nothing in
// clear): JWT-looking strings, a "Bearer <value>" that is not a mask, "Authorization: ..."
// and secret fields in clear, valid CPF/CNPJ, e-mails and phones per the patterns. It reads
// data as the redactor wrote it: a .json file (or JSON content) value by value, a .yaml file
// node by node (and its comments as text), fenced yaml/json blocks of a .md file likewise,
// anything else as text. Findings carry a line number and a kind, never the value.
func Scan(r rules.Redaction, name string, data []byte) ([]Finding, error) {
	rd, err := NewRedactor(r)
	if err != nil {
		return nil, err
	}
	rd.scan = &scanState{file: name, findings: []Finding{}}
	rd.scanData(name, string(data), 1)
	sort.SliceStable(rd.scan.findings, func(i, j int) bool { return rd.scan.findings[i].Line < rd.scan.findings[j].Line })
	return rd.scan.findings, nil
}

func (rd *Redactor) scanData(name, s string, line int) {
	ext := strings.ToLower(path.Ext(name))
	trimmed := strings.TrimSpace(s)
	switch {
	case ext == ".json" || ext == ".jsonl" || ext == ".ndjson" || ext == "" && trimmed != "" && (trimmed[0] == '{' || trimmed[0] == '['):
		if rd.scanJSON(name, s, line) {
			return
		}
	case ext == ".yaml" || ext == ".yml":
		if rd.scanYAML(name, s, line) {
			return
		}
	case ext == ".md" || ext == ".markdown":
		rd.scanMarkdown(name, s, line)
		return
	}
	rd.text(&walker{file: name}, s, line)
}

func (rd *Redactor) scanJSON(name, s string, line int) bool {
	// Whitespace before the value moves its first line.
	lead := s[:len(s)-len(strings.TrimLeft(s, " \t\r\n"))]
	line0 := line + strings.Count(lead, "\n")
	if v, err := parseJSON(strings.TrimSpace(s), line0); err == nil {
		rd.walk(&walker{file: name}, &v, 0)
		return true
	}
	var vals []jval
	for i, l := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(l); t != "" {
			v, err := parseJSON(t, line+i)
			if err != nil {
				return false
			}
			vals = append(vals, v)
		}
	}
	for i := range vals {
		rd.walk(&walker{file: name}, &vals[i], 0)
	}
	return true
}

func (rd *Redactor) scanYAML(name, s string, line int) bool {
	dec := yaml.NewDecoder(strings.NewReader(s))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return false
		}
		docs = append(docs, &n)
	}
	w := &walker{file: name}
	for _, n := range docs {
		v := rd.fromYAML(w, n, line-1)
		rd.walk(w, &v, 0)
	}
	return true
}

// fromYAML turns YAML nodes into a tree for walk, with the lines of the file; comments are
// scanned as text on the way.
func (rd *Redactor) fromYAML(w *walker, n *yaml.Node, base int) jval {
	for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
		if c != "" {
			rd.text(w, c, base+n.Line)
		}
	}
	v := jval{line: int32(base + n.Line)}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 1 {
			return rd.fromYAML(w, n.Content[0], base)
		}
		return v
	case yaml.SequenceNode:
		v.kind = jArr
		for _, c := range n.Content {
			v.kids = append(v.kids, rd.fromYAML(w, c, base))
		}
	case yaml.MappingNode:
		v.kind = jObj
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := rd.fromYAML(w, n.Content[i], base)
			if k.kind != jStr && k.kind != jNum && k.kind != jBool {
				k.s = ""
			}
			kid := rd.fromYAML(w, n.Content[i+1], base)
			kid.key = k.s
			v.kids = append(v.kids, kid)
		}
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
		case "!!bool":
			v.kind, v.s = jBool, n.Value
		case "!!int", "!!float":
			v.kind, v.s = jNum, n.Value
		default:
			v.kind, v.s = jStr, n.Value
			if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
				v.line++ // a block's text starts on the next line
			}
		}
	}
	return v
}

// scanMarkdown scans fenced yaml and json blocks as such (the summary quotes case.yaml) and
// the rest as text.
func (rd *Redactor) scanMarkdown(name, s string, line int) {
	lines := strings.SplitAfter(s, "\n")
	var text strings.Builder
	textLine := line
	flush := func(next int) {
		if text.Len() > 0 {
			rd.text(&walker{file: name}, text.String(), textLine)
			text.Reset()
		}
		textLine = next
	}
	unclosed := false // once a fence has no end, no later one has
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if lang, ok := strings.CutPrefix(l, "```"); ok && !unclosed && (lang == "yaml" || lang == "yml" || lang == "json") {
			end := i + 1
			for end < len(lines) && strings.TrimSpace(lines[end]) != "```" {
				end++
			}
			unclosed = end == len(lines)
			if !unclosed {
				flush(line + end + 1)
				block := strings.Join(lines[i+1:end], "")
				if !(lang == "json" && rd.scanJSON(name, block, line+i+1)) && !(lang != "json" && rd.scanYAML(name, block, line+i+1)) {
					rd.text(&walker{file: name}, block, line+i+1)
				}
				i = end
				continue
			}
		}
		text.WriteString(lines[i])
	}
	flush(0)
}

// ---- regex pre-filters ----

// minDigits is the fewest digits any match of re holds.
func minDigits(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		if re.Flags&syntax.FoldCase == 0 {
			for _, r := range re.Rune {
				if r >= '0' && r <= '9' {
					n++
				}
			}
		}
		return n
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] < '0' || re.Rune[i+1] > '9' {
				return 0
			}
		}
		if len(re.Rune) == 0 {
			return 0
		}
		return 1
	case syntax.OpCapture:
		return minDigits(re.Sub[0])
	case syntax.OpPlus:
		return minDigits(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min * minDigits(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n += minDigits(s)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, s := range re.Sub {
			if m := minDigits(s); n < 0 || m < n {
				n = m
			}
		}
		return max(n, 0)
	}
	return 0
}

// mustBytes are the ASCII bytes every match of re holds.
func mustBytes(re *syntax.Regexp) []byte {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil
		}
		var b []byte
		for _, r := range re.Rune {
			if r < utf8.RuneSelf && !bytes.ContainsRune(b, r) {
				b = append(b, byte(r))
			}
		}
		return b
	case syntax.OpCharClass:
		if len(re.Rune) == 2 && re.Rune[0] == re.Rune[1] && re.Rune[0] < utf8.RuneSelf {
			return []byte{byte(re.Rune[0])}
		}
	case syntax.OpCapture, syntax.OpPlus:
		return mustBytes(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min > 0 {
			return mustBytes(re.Sub[0])
		}
	case syntax.OpConcat:
		var b []byte
		for _, s := range re.Sub {
			for _, c := range mustBytes(s) {
				if bytes.IndexByte(b, c) < 0 {
					b = append(b, c)
				}
			}
		}
		return b
	case syntax.OpAlternate:
		var b []byte
		for i, s := range re.Sub {
			m := mustBytes(s)
			if i == 0 {
				b = m
				continue
			}
			var keep []byte
			for _, c := range b {
				if bytes.IndexByte(m, c) >= 0 {
					keep = append(keep, c)
				}
			}
			b = keep
		}
		return b
	}
	return nil
}
