package evidence

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"
	"sync"

	"github.com/crefazon/triagem/internal/brdoc"
	"github.com/crefazon/triagem/internal/sensitive"
	"github.com/crefazon/triagem/rules"
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
//	[nascimento, 10 chars, invalid]           in a ticket draft (Draft): a masked payload value that
//	[phone#1 …4321, invalid]                  broke the route's schema in the original, so that the
//	                                          syntax check still fails it.
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

	masks    map[string]*kindMasks // kind -> its values' numbers
	apiKeys  map[string]string     // an API key's full SHA-256 -> its mask
	secrets  map[string]secret     // literal values masked wherever they appear
	byLen    []string              // secrets' values, longest first
	heads    gramSet               // the first minSecret bytes of each of byLen
	byHead   []headRef             // byLen's indices by their heads' gramOf (nil: to build)
	tokens   map[string]*tokenEntry
	keys     map[string]*keyFacts
	entries  []ReportEntry  // the report: one entry per kind and place
	entryAt  map[string]int // kind NUL place -> index in entries
	placeBuf []byte         // where record builds an entry's key, reused
	pathBuf  []byte
	keysBuf  []string // the keys of the path personalPath asks about, reused
	lastMask struct { // isMask's last answer
		s       string
		is, set bool
	}
	counts   map[string]int
	changes  int        // masks applied, to tell when a text is stable
	whole    bool       // the last replacement took the whole text: nothing is left to expose
	scan     *scanState // non-nil: Scan mode, findings instead of masks
	output   bool       // Output mode: printed text, where "Name: value" is a sentence
	printing bool       // an output redactor (NewOutputRedactor), even while it learns a case
	quiet    bool       // keep no report (Output mode, Learn)
	learning bool       // Learn: only the stages that find secrets run, and nothing is memoised

	// memo remembers how short texts were masked: a bundle repeats values (the payload in
	// the case and in the summary, a CPF in many records), and the answer is the same.
	memo    map[string]*memoEntry
	capture []memoRec
	memoOn  bool
	// cleanOnly: only clean texts are remembered (memoBodyEntries at most), while a large
	// body is masked. Its masked
	// values are mostly distinct (the documents, e-mails and phones of many records): their
	// entries held about as many bytes as the payload, for answers that masks gives again.
	cleanOnly bool
	// prescan, set by Build: a large body is scanned as it is written (prescan.go).
	prescan *prescanner

	clean *cleanSet // the printed texts known clean under pol (Output), shared by all redactors
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
	// memoBodyEntries bounds the memo while a large body is masked: the texts that recur in
	// a list of records (a status, a product) are among its first few thousand, and the rest,
	// each its own (a note, a date), would only be held.
	memoBodyEntries = 1 << 13
)

type pattern struct {
	name       string // as in the rules, sanitised: the kind in masks and reports
	doc        brdoc.Kind
	re         *regexp.Regexp
	keepLast   int
	keepDomain bool
	phone      bool     // normalised by digits, without the country code
	minDigits  int      // every match has at least this many digits: a cheap pre-filter
	must       string   // every match holds each of these bytes
	anyOf      []string // every match holds one of these texts (nil: no such list)
	lead       *leadCheck
	lineLocal  bool // no match crosses a line, nor depends on where the text starts or ends
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
	// A spliced case.yaml (scanSpliced): the body each placeholder stands for, and how many
	// lines each body adds to those after it.
	splice map[string]string
	shifts []lineShift
	// The scans of large bodies made as they were written (prescan.go).
	prescans []*prescan
}

type lineShift struct{ after, by int }

// line is where a line of the scanned document is in the file: past a spliced body, further
// down by the lines it added.
func (s *scanState) line(l int) int {
	by := 0
	for _, sh := range s.shifts {
		if l > sh.after {
			by += sh.by
		}
	}
	return l + by
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
		masks:   map[string]*kindMasks{},
		secrets: map[string]secret{},
		tokens:  map[string]*tokenEntry{},
		keys:    map[string]*keyFacts{},
		memo:    map[string]*memoEntry{},
		docs:    -1,
		counts:  map[string]int{},
		entryAt: map[string]int{},
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
				simple := st.Simplify()
				cp.minDigits = minDigits(simple)
				cp.must = string(mustBytes(simple))
				cp.anyOf = anyOf(simple)
				cp.lead = leadOf(simple)
				cp.lineLocal = lineLocal(st)
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
	r := Report{Entries: append([]ReportEntry{}, rd.entries...), Counts: make(map[string]int, len(rd.counts))}
	// The case is masked where secrets live first (headers, bodies), so that they are known
	// wherever else they recur; the report lists it as a reader meets it, in the contract's order.
	sort.SliceStable(r.Entries, func(i, j int) bool {
		return caseRank(r.Entries[i].Place) < caseRank(r.Entries[j].Place)
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

// appendPlace appends the report's place: the path, every index of a list written [*].
func (w *walker) appendPlace(b []byte) []byte {
	b = append(b, w.file...)
	if len(w.segs) == 0 {
		return b
	}
	b = append(b, ": "...)
	for i, s := range w.segs {
		if s.idx >= 0 {
			b = append(b, "[*]"...)
			continue
		}
		if i > 0 {
			b = append(b, '.')
		}
		b = append(b, s.key...)
	}
	return b
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
	// The entry's key, kind NUL place, built in a reused buffer: looking up a string made of
	// bytes allocates nothing, and most records add to an entry that exists.
	b := append(append(rd.placeBuf[:0], kind...), 0)
	b = w.appendPlace(b)
	rd.placeBuf = b
	if rd.entryAt == nil {
		rd.entryAt = map[string]int{} // a Fresh redactor starts without one
	}
	if i, ok := rd.entryAt[string(b)]; ok {
		rd.entries[i].Count++
	} else {
		rd.entryAt[string(b)] = len(rd.entries)
		rd.entries = append(rd.entries, ReportEntry{Kind: kind, Place: string(b[len(kind)+1:]), Count: 1})
	}
	rd.counts[kind]++
}
