// Package sensitive is the program's one definition of what must not leave triagem in clear:
// which field and header names carry secrets, which headers are harmless, and which field paths
// hold a client's personal data. The vocabulary comes from the rules file (redaction section);
// this package only compiles and answers questions about names. It does not mask anything:
// evidence.Redactor does, for every output, from the Policy built here.
//
// The design is deny by default for credentials: a header is a secret unless it is on the
// allowlist of harmless headers, and a field is a secret when one of the words of its name is
// in the secret vocabulary, however the name is written (camelCase, snake_case, kebab-case,
// with accents). A list of exact names would let through every spelling nobody listed.
package sensitive

import (
	"path"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/crefazon/triagem/internal/memo"

	"golang.org/x/text/unicode/norm"

	"github.com/crefazon/triagem/rules"
)

// Config is the rules' vocabulary, as the rules file gives it.
type Config struct {
	// SecretWords are words that make a field or header name a secret. A word ending in "*"
	// matches every word that starts with it ("auth*": authorization, authorisation, authToken).
	SecretWords []string
	// SafeHeaders are headers whose value is harmless (content type, accept, user agent...);
	// every other header's value is masked.
	SafeHeaders []string
	// SecretHeaders are extra header names always masked (the rules' historical list).
	SecretHeaders []string
	// SecretFields are extra exact field names always masked.
	SecretFields []string
	// PersonalFields are key paths holding personal data (cliente.nome, endereco.*): each
	// path is matched against the end of a value's key path, segment by segment, with the
	// shell patterns of path.Match in each segment.
	PersonalFields []string
	// ReadableFields are key paths that stay readable even under a personal path
	// (endereco.cidadeId: a city's id identifies nobody).
	ReadableFields []string
}

// Policy answers questions about names. It is immutable and safe for concurrent use.
type Policy struct {
	names    memo.Map[bool] // name -> SecretName's answer (names repeat across a batch)
	paths    memo.Map[bool] // a key path, each key followed by pathSep -> PersonalPath's answer
	words    map[string]bool
	prefixes []string
	safe     map[string]bool
	headers  map[string]bool
	fields   map[string]bool
	personal [][]string
	readable [][]string
	// a quick "no" for PersonalPath: the last segments the patterns end with, and whether a
	// pattern ends with a glob
	lastSegs       map[string]bool
	globLast       bool
	globParents    map[string]bool // the segment before a glob last segment (endereco in endereco.*)
	globAlone      bool            // a pattern that is a glob alone ("*nome")
	globParentGlob bool            // a glob pattern whose parent is a glob too (endereco*.*): no quick "no"
}

// New compiles a Config.
func New(c Config) *Policy {
	p := &Policy{words: map[string]bool{}, safe: map[string]bool{}, headers: map[string]bool{}, fields: map[string]bool{}}
	p.paths.Max, p.names.Max = maxCached, maxCached
	for _, w := range c.SecretWords {
		w = fold(strings.TrimSpace(w))
		if w == "" {
			continue
		}
		if strings.HasSuffix(w, "*") {
			if pre := strings.TrimSuffix(w, "*"); pre != "" {
				p.prefixes = append(p.prefixes, pre)
			}
			continue
		}
		p.words[w] = true
	}
	for _, h := range c.SafeHeaders {
		p.safe[strings.ToLower(strings.TrimSpace(h))] = true
	}
	for _, h := range c.SecretHeaders {
		p.headers[strings.ToLower(strings.TrimSpace(h))] = true
	}
	for _, f := range c.SecretFields {
		p.fields[fold(strings.TrimSpace(f))] = true
	}
	p.lastSegs, p.globParents = map[string]bool{}, map[string]bool{}
	for _, f := range c.PersonalFields {
		if segs := splitPath(f); len(segs) > 0 {
			p.personal = append(p.personal, segs)
			last := segs[len(segs)-1]
			if strings.ContainsAny(last, "*?[\\") {
				p.globLast = true
				if len(segs) > 1 {
					parent := segs[len(segs)-2]
					p.globParents[parent] = true
					if strings.ContainsAny(parent, "*?[\\") {
						p.globParentGlob = true
					}
				} else {
					p.globAlone = true
				}
			} else {
				p.lastSegs[last] = true
			}
		}
	}
	for _, f := range c.ReadableFields {
		if segs := splitPath(f); len(segs) > 0 {
			p.readable = append(p.readable, segs)
		}
	}
	return p
}

func splitPath(s string) []string {
	var out []string
	for _, seg := range strings.Split(strings.TrimSpace(s), ".") {
		if seg = keyFold(seg); seg != "" {
			out = append(out, seg)
		}
	}
	return out
}

// keyFold is a key as paths compare it: lower case, no accents, no '_' or '-' (data_nascimento,
// data-nascimento and dataNascimento are one key).
func keyFold(s string) string {
	f := fold(s)
	if strings.ContainsAny(f, "_-") {
		f = strings.NewReplacer("_", "", "-", "").Replace(f)
	}
	return f
}

// SecretName tells whether a field (or query parameter, form field, XML element, cookie, claim)
// named name holds a secret: one of its words is in the vocabulary, or the whole name is one
// of the extra fields.
func (p *Policy) SecretName(name string) bool {
	if name == "" {
		return false
	}
	if v, ok := p.names.Get(name); ok {
		return v
	}
	secret := p.secretName(name)
	p.names.Put(name, secret) // bounded: hostile input may hold any number of names
	return secret
}

// maxCached bounds the names SecretName remembers, and the paths PersonalPath does.
const maxCached = 1 << 14

func (p *Policy) secretName(name string) bool {
	f := fold(name)
	compact := strings.Map(keepAlnum, f)
	if notSecret[compact] {
		return false
	}
	if p.fields[f] || p.words[compact] {
		return true
	}
	for _, w := range Words(name) {
		if p.words[w] {
			return true
		}
		for _, pre := range p.prefixes {
			if strings.HasPrefix(w, pre) {
				return true
			}
		}
	}
	return false
}

// SecretHeader tells whether a header's value must be masked: every header that is not on
// the allowlist of harmless headers, and always the rules' credential headers.
func (p *Policy) SecretHeader(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		return false
	}
	if p.headers[n] {
		return true
	}
	// The allowlist wins over the vocabulary: Idempotency-Key carries "key" and no secret.
	return !p.safe[n]
}

// KnownSecretHeader tells whether a name read in free text ("Name: value") is a credential
// header: a name of the secret vocabulary or one of the rules' headers. Free text is not a
// header block, so the allowlist cannot decide there ("Erro: ..." is a sentence).
func (p *Policy) KnownSecretHeader(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	return n != "" && (p.headers[n] || p.SecretName(name))
}

// SafeHeader tells whether a header is on the allowlist.
func (p *Policy) SafeHeader(name string) bool {
	return p.safe[strings.ToLower(strings.TrimSpace(name))]
}

// PersonalPath tells whether the value at a key path (outermost first, array indices left out)
// is personal data by its field: a name, a birth date, an address.
func (p *Policy) PersonalPath(keys []string) bool {
	if len(keys) == 0 || len(p.personal) == 0 || !p.mayBePersonal(keys) {
		return false
	}
	joined, ok := JoinPath(nil, keys)
	if !ok {
		return p.personalPath(keys) // a key holding the separator: never remembered
	}
	return p.PersonalJoined(joined, keys)
}

// PersonalJoined is PersonalPath for keys that JoinPath has joined into joined (a walker joins
// them into a buffer it reuses). A batch walks the same key paths in every case (the API's
// payload has one shape), and a glob such as endereco*.* leaves no quick "no": the answers
// are remembered by the joined path, for every redactor of this policy, bounded as
// SecretName's are.
func (p *Policy) PersonalJoined(joined []byte, keys []string) bool {
	if len(keys) == 0 || len(p.personal) == 0 {
		return false
	}
	if v, ok := p.paths.GetBytes(joined); ok {
		return v
	}
	personal := p.mayBePersonal(keys) && p.personalPath(keys)
	p.paths.Put(string(joined), personal)
	return personal
}

// pathSep ends each key of a joined path. A key that holds it could make two paths join alike
// (["a\x00b"] and ["a", "b"]): JoinPath refuses such a path, which is then never remembered.
const pathSep = '\x00'

// JoinPath appends keys to buf, each followed by the separator, for PersonalJoined; false
// when a key holds the separator.
func JoinPath(buf []byte, keys []string) ([]byte, bool) {
	if len(keys) == 0 {
		return buf, false
	}
	for _, k := range keys {
		if strings.IndexByte(k, pathSep) >= 0 {
			return buf, false
		}
		buf = append(append(buf, k...), pathSep)
	}
	return buf, true
}

func (p *Policy) personalPath(keys []string) bool {
	folded := make([]string, len(keys))
	for i, k := range keys {
		folded[i] = keyFold(k)
	}
	for _, r := range p.readable {
		if suffixMatch(folded, r) {
			return false
		}
	}
	for _, pp := range p.personal {
		if suffixMatch(folded, pp) {
			return true
		}
	}
	return false
}

// mayBePersonal is a quick "no" for most key paths: the last key ends no pattern and no
// ancestor is the parent of a glob pattern.
func (p *Policy) mayBePersonal(keys []string) bool {
	if p.lastSegs[keyFold(keys[len(keys)-1])] || p.globAlone || p.globParentGlob {
		return true
	}
	if p.globLast {
		for _, k := range keys[:len(keys)-1] {
			if p.globParents[keyFold(k)] {
				return true
			}
		}
	}
	return false
}

// suffixMatch: the last len(pat) keys match pat, segment by segment; a pattern whose last
// segment is "*" also matches anything deeper (endereco.* covers endereco.geo.lat).
func suffixMatch(keys, pat []string) bool {
	if pat[len(pat)-1] == "*" && len(pat) > 1 {
		head := pat[:len(pat)-1]
		for end := len(head); end < len(keys); end++ {
			if segsMatch(keys[end-len(head):end], head) {
				return true
			}
		}
		return false
	}
	if len(keys) < len(pat) {
		return false
	}
	return segsMatch(keys[len(keys)-len(pat):], pat)
}

func segsMatch(keys, pat []string) bool {
	for i := range pat {
		if !strings.ContainsAny(pat[i], "*?[\\") {
			if pat[i] != keys[i] {
				return false
			}
			continue
		}
		if ok, err := path.Match(pat[i], keys[i]); err != nil || !ok {
			return false
		}
	}
	return true
}

// Words splits a name into lower-case words without accents: camelCase and PascalCase humps,
// snake_case, kebab-case, dots, spaces and digits all separate ("X-Client-Secret" -> x client
// secret; "senhaAtual" -> senha atual; "confirmaçãoSenha" -> confirmacao senha;
// "HTTPAuthToken" -> http auth token; "pwd2" -> pwd).
func Words(name string) []string {
	s := foldAccents(name)
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r):
			if unicode.IsUpper(r) && len(cur) > 0 {
				prev := rs[i-1]
				nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
				if unicode.IsLower(prev) || (unicode.IsUpper(prev) && nextLower) {
					flush()
				}
			}
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// fold is a name compared whole: lower case, accents removed.
func fold(s string) string { return strings.ToLower(foldAccents(s)) }

func foldAccents(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	d := norm.NFD.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, d)
}

func keepAlnum(r rune) rune {
	if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
		return r
	}
	return -1
}

// notSecret are names that hold a secret word and no secret: when a token was issued, what
// kind it is, a key's public fingerprint.
var notSecret = map[string]bool{
	"tokenissuedat": true, "tokentype": true, "keysha256": true, "apikeysha256": true,
}

// Core vocabularies, used when a rules file leaves its lists out: a rules file written before
// the vocabulary existed must not turn redaction off.
var (
	CoreSecretWords = []string{"senha", "password", "passwd", "pwd", "pass", "pin", "otp", "secret",
		"token", "key", "apikey", "chave", "auth*", "credential*", "credencia*", "cookie", "session", "sessao", "jwt", "bearer"}
	CoreSafeHeaders = []string{"Accept", "Accept-Encoding", "Accept-Language", "Cache-Control", "Connection",
		"Content-Length", "Content-Type", "Date", "Host", "Origin", "Referer", "User-Agent"}
)

var fromRules sync.Map // the redaction section's lists, joined -> *Policy

// FromRules is the policy of a rules file's redaction section, compiled once per distinct
// section. The core vocabulary is always part of it: a rules file can add words, not remove
// the ones every credential is named with; its safe headers replace the core list.
func FromRules(r rules.Redaction) *Policy {
	key := strings.Join(r.SecretWords, "\x00") + "\x01" + strings.Join(r.SafeHeaders, "\x00") + "\x01" +
		strings.Join(r.PersonalFields, "\x00") + "\x01" + strings.Join(r.ReadableFields, "\x00") + "\x01" +
		strings.Join(r.Headers, "\x00") + "\x01" + strings.Join(r.Fields, "\x00")
	if p, ok := fromRules.Load(key); ok {
		return p.(*Policy)
	}
	c := Config{
		SecretWords:    append(append([]string(nil), CoreSecretWords...), r.SecretWords...),
		SafeHeaders:    r.SafeHeaders,
		SecretHeaders:  append([]string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"}, r.Headers...),
		SecretFields:   r.Fields,
		PersonalFields: r.PersonalFields,
		ReadableFields: r.ReadableFields,
	}
	if len(c.SafeHeaders) == 0 {
		c.SafeHeaders = CoreSafeHeaders
	}
	p := New(c)
	fromRules.Store(key, p)
	return p
}
