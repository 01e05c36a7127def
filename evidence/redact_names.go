package evidence

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/crefazon/triagem/internal/brdoc"
	"github.com/crefazon/triagem/internal/sensitive"
)

// Secrets by name, in free text: a pasted request, a form body, a log line, an XML or
// multipart payload. Which names are secret is internal/sensitive's answer (the rules'
// vocabulary, deny by default); this file only finds names and their values in text.

// Policy is the definition of sensitive the redactor follows.
func (rd *Redactor) Policy() *sensitive.Policy { return rd.pol }

func phoneSpans(s string) []span {
	ps := brdoc.FindPhones(s)
	if ps == nil {
		return nil
	}
	out := make([]span, len(ps))
	for i, p := range ps {
		out[i] = span{p.Start, p.End, 0}
	}
	return out
}

// named is a name followed by ':' or '=' in free text: `"senhaAtual": "..."`, `pwd=...`,
// `X-Access-Token: ...`, `senha="..."`.
type named struct {
	name   string
	quoted bool
	op     byte
	start  int // where the name (or its opening quote) starts
	after  int // where its value starts: past the operator and blanks
}

// findNamed finds the names followed by ':' or '=' in s (by hand rather than with a regular
// expression: it runs on every string of every case of a batch). In printed text only '='
// counts ("Token: expirado" is a sentence there).
func findNamed(s string, onlyEquals bool) []named {
	var out []named
	for i := 0; i < len(s); i++ {
		op := s[i]
		if op != '=' && (op != ':' || onlyEquals) {
			continue
		}
		j := i
		for j > 0 && (s[j-1] == ' ' || s[j-1] == '\t') {
			j--
		}
		after := i + 1
		for after < len(s) && (s[after] == ' ' || s[after] == '\t') {
			after++
		}
		if j > 0 && (s[j-1] == '"' || s[j-1] == '\'') {
			q, lo := s[j-1], max(0, j-1-65)
			k := strings.LastIndexByte(s[lo:j-1], q)
			if k < 0 {
				continue
			}
			k += lo
			if name := s[k+1 : j-1]; name != "" && !strings.ContainsAny(name, "\\\n") {
				out = append(out, named{name, true, op, k, after})
			}
			continue
		}
		k := j
		for k > 0 && j-k < 64 && isNameByte(s[k-1]) {
			k--
		}
		for k < j && !(isLetter(s[k]) || s[k] == '_') {
			k++
		}
		if k == j || k > 0 && (isWordByte(s[k-1]) || s[k-1] == '-') {
			continue // nothing, the tail of a longer word, or a flag (--token-key:)
		}
		out = append(out, named{s[k:j], false, op, k, after})
	}
	return out
}

func isNameByte(c byte) bool { return isWordByte(c) || c == '.' || c == '-' || c == '[' || c == ']' }
func isLetter(c byte) bool   { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// secretName: a name whose value is a secret, by the vocabulary or the rules' lists.
func (rd *Redactor) secretName(name string) bool {
	return rd.pol.SecretName(name) || rd.pol.KnownSecretHeader(name)
}

// displayName is a name as a mask may hold it: as the rules write it when they list it.
func (rd *Redactor) displayName(name string) string {
	if n, ok := rd.fields[strings.ToLower(name)]; ok {
		return n
	}
	if n, ok := rd.headers[strings.ToLower(name)]; ok {
		return n
	}
	if n := sanitizeName(name); n != "" {
		return n
	}
	return "field"
}

// stageNamed masks the values of secret names in free text. A header-like "Name: value" keeps
// its scheme in the mask ("[header X-Access-Token, 40 chars]"); the rest is masked whole.
func (rd *Redactor) stageNamed(w *walker, s string, line int) string {
	if strings.IndexByte(s, ':') < 0 && strings.IndexByte(s, '=') < 0 {
		return s
	}
	ms := findNamed(s, rd.output)
	if ms == nil {
		return s
	}
	type found struct {
		name   string
		header bool
	}
	var c []span
	var names []found
	var hinted []string // masks already made for hinted values (aux -1-i)
	end := 0
	for _, m := range ms {
		if m.start < end {
			continue
		}
		name, quoted, op := m.name, m.quoted, m.op
		if !rd.secretName(name) {
			if h := hintOf(name); h != 0 && op == '=' && !quoted {
				// telefone=11987654321 in a form: judged as the field says, as in JSON
				vs, ve := fieldValue(s, m.after)
				if v := s[vs:ve]; ve > vs && !rd.isMask(v) {
					if dec, err := url.QueryUnescape(v); err == nil && hasDigits(dec, 8) {
						if out := rd.hinted(w, dec, line, h, false); out != dec {
							c, names = append(c, span{vs, ve, -1 - len(hinted)}), append(names, found{})
							hinted = append(hinted, out)
						}
					}
				}
			}
			continue
		}
		if rd.output && (op != '=' || quoted) {
			continue // printed text: "Token: expirado" is a sentence, "?pwd=..." a parameter
		}
		var vs, ve int
		_, known := rd.headers[strings.ToLower(name)]
		header := op == ':' && (!quoted || known)
		if header {
			vs, ve = headerValue(s, m.after, strings.Contains(strings.ToLower(name), "cookie"))
		} else {
			vs, ve = fieldValue(s, m.after)
		}
		end = ve
		if v := s[vs:ve]; ve > vs && v != "null" && v != "true" && v != "false" && !placeholder(v) && !rd.isMask(v) {
			c, names = append(c, span{vs, ve, len(names)}), append(names, found{name, header})
		}
	}
	return rd.replaceSpans(w, s, line, c, func(i int, v string) (string, string) {
		if i < 0 {
			return hinted[-1-i], "personal"
		}
		if names[i].header {
			return rd.headerMask(rd.displayName(names[i].name), v)
		}
		return rd.fieldMask(rd.displayName(names[i].name), v)
	})
}

// xmlRE finds an element with text content: <ns:senha attr="x">value</
var xmlRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]{0,63})(?:\s[^<>]*)?>([^<]+)</`)
})

// stageXML masks the text of XML elements whose name is a secret (<senha>...</senha>).
func (rd *Redactor) stageXML(w *walker, s string, line int) string {
	if strings.Index(s, "</") < 0 {
		return s
	}
	var c []span
	var names []string
	for _, m := range xmlRE().FindAllStringSubmatchIndex(s, -1) {
		if name := s[m[2]:m[3]]; rd.secretName(name) && strings.TrimSpace(s[m[4]:m[5]]) != "" {
			c, names = append(c, span{m[4], m[5], len(names)}), append(names, name)
		}
	}
	return rd.replaceSpans(w, s, line, c, func(i int, v string) (string, string) {
		return rd.fieldMask(rd.displayName(names[i]), v)
	})
}

var partRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)content-disposition:[^\n]*?\bname="?([^";\r\n]{1,64})"?[^\n]*\n`)
})

// stageMultipart masks the content of multipart/form-data parts whose name is a secret: the
// text between the part's blank line and the next boundary line.
func (rd *Redactor) stageMultipart(w *walker, s string, line int) string {
	if !containsFoldASCII(s, "content-disposition") {
		return s
	}
	var c []span
	var names []string
	for _, m := range partRE().FindAllStringSubmatchIndex(s, -1) {
		name := s[m[2]:m[3]]
		if !rd.secretName(name) {
			continue
		}
		i := m[1]
		// the part's other headers, up to the blank line
		for i < len(s) {
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				i = len(s)
				break
			}
			if strings.TrimRight(s[i:i+j], "\r") == "" {
				i += j + 1
				break
			}
			i += j + 1
		}
		e := strings.Index(s[i:], "\n--")
		if e < 0 {
			e = len(s) - i
		}
		ve := i + e
		if ve > i && s[ve-1] == '\r' {
			ve--
		}
		if ve > i {
			c, names = append(c, span{i, ve, len(names)}), append(names, name)
		}
	}
	return rd.replaceSpans(w, s, line, c, func(i int, v string) (string, string) {
		return rd.fieldMask(rd.displayName(names[i]), v)
	})
}

// userinfoRE finds the user information of a URL: https://user:password@host.
var userinfoRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]{0,15}://([^\s/?#@"'<>\[\]]{1,256})@`)
})

// userinfoSpans finds the user information of URLs in s, as userinfoRE's submatches over s
// would, running userinfoRE only on a window around each "://": a match holds one, at most
// 16 bytes after its start and 257 before its end, so the windows find the same matches, and
// Go's regexp is not made to walk megabytes in search of a prefix that is not a literal.
// TestUserinfoSpansIsTheRegexp checks it against userinfoRE over the whole text.
func userinfoSpans(s string) []span {
	var out []span
	done := 0 // where the last match ended: matches do not overlap
	for off := 0; ; {
		p := strings.Index(s[off:], "://")
		if p < 0 {
			return out
		}
		p += off
		off = p + 3
		lo := max(done, p-16)
		if p < lo {
			continue // inside the last match
		}
		hi := min(len(s), p+3+256+1)
		m := userinfoRE().FindStringSubmatchIndex(s[lo:hi])
		if m == nil {
			continue
		}
		out = append(out, span{lo + m[2], lo + m[3], 0})
		done = lo + m[1]
		off = max(off, done)
	}
}

// stageUserinfo masks a URL's user information whole, and learns its password, so that it is
// masked wherever it recurs.
func (rd *Redactor) stageUserinfo(w *walker, s string, line int) string {
	if strings.Index(s, "://") < 0 || strings.IndexByte(s, '@') < 0 {
		return s
	}
	return rd.replaceSpans(w, s, line, userinfoSpans(s), func(_ int, v string) (string, string) {
		mask := "[userinfo, " + itoa(len([]rune(v))) + " chars]"
		if i := strings.IndexByte(v, ':'); i >= 0 && i+1 < len(v) {
			rd.addSecret(v[i+1:], "[password, "+itoa(len([]rune(v[i+1:])))+" chars]", "field")
		}
		return mask, "userinfo"
	})
}

// wordBounded: s[i:j] is not glued to a letter or digit on either side.
func wordBounded(s string, i, j int) bool {
	alnum := func(c byte) bool { return isWordByte(c) && c != '_' }
	return (i == 0 || !alnum(s[i-1])) && (j >= len(s) || !alnum(s[j]))
}

// encodings are the forms a secret takes when it travels inside a URL, a JSON string or a
// base64 blob.
func encodings(v string) []string {
	out := encodingsOf(v)
	// A value found URL-encoded (a form body, a query) recurs decoded elsewhere: both forms,
	// and the encodings of the decoded one.
	if dec, err := url.QueryUnescape(v); err == nil && dec != v && len(dec) >= minSecret {
		for _, e := range encodingsOf(dec) {
			if !slices.Contains(out, e) {
				out = append(out, e)
			}
		}
	}
	return out
}

func encodingsOf(v string) []string {
	out := make([]string, 1, 9)
	out[0] = v
	add := func(e string) {
		for _, o := range out {
			if o == e {
				return
			}
		}
		out = append(out, e)
	}
	if !unreserved(v) { // escaping leaves a plain value as it is: nothing more to look for
		q := url.QueryEscape(v) // once: the third form is derived from it
		add(q)
		add(url.PathEscape(v))
		add(strings.ReplaceAll(q, "+", "%20"))
		add(jsonEscaped(v))
	}
	if len(v) >= 6 {
		// The four base64 forms written into one buffer and cut from it: one allocation
		// instead of eight (a batch learns dozens of secrets per case).
		// src only read; buf never written again once it is a string.
		src := unsafe.Slice(unsafe.StringData(v), len(v))
		std, raw := base64.StdEncoding.EncodedLen(len(src)), base64.RawStdEncoding.EncodedLen(len(src))
		buf := make([]byte, 2*std+2*raw)
		base64.StdEncoding.Encode(buf[:std], src)
		base64.RawStdEncoding.Encode(buf[std:std+raw], src)
		base64.URLEncoding.Encode(buf[std+raw:2*std+raw], src)
		base64.RawURLEncoding.Encode(buf[2*std+raw:], src)
		all := unsafe.String(&buf[0], len(buf))
		add(all[:std])
		add(all[std : std+raw])
		add(all[std+raw : 2*std+raw])
		add(all[2*std+raw:])
	}
	return out
}

// jsonEscaped is v as json.Marshal writes it inside the quotes (HTML-safe: <, > and & as
// \u003c...; U+2028 and U+2029 escaped; invalid UTF-8 as \ufffd): written here because
// json.Marshal's reflection and pooled state cost more than the escaping, for each secret a
// case teaches.
func jsonEscaped(v string) string {
	const hex = "0123456789abcdef"
	plain := 0 // the bytes before the first one to escape (or to check, past ASCII)
	for plain < len(v) {
		c := v[plain]
		if c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			break
		}
		plain++
	}
	if plain == len(v) {
		return v
	}
	b := make([]byte, 0, len(v)+8)
	b = append(b, v[:plain]...)
	for i := plain; i < len(v); {
		c := v[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\b':
				b = append(b, '\\', 'b')
			case c == '\f':
				b = append(b, '\\', 'f')
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(v[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			b = append(b, v[i:i+size]...)
		}
		i += size
	}
	return string(b)
}

// unreserved: only letters, digits and -._~, which URL query and path escaping and JSON
// string escaping all leave as they are.
func unreserved(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

func itoa(n int) string { return strconv.Itoa(n) }

// personalField masks whole the value of a key whose path the rules name as personal data
// (cliente.nome, endereco.logradouro): a name or an address has no shape to find it by.
func (rd *Redactor) personalField(w *walker, key string, v *jval) bool {
	if v.kind == jNull || v.kind == jBool || !rd.personalPath(w) || rd.isMaskVal(v) {
		return false
	}
	text := v.s
	if v.kind == jObj || v.kind == jArr {
		text = string(appendJSON(nil, v, "", 0))
	}
	if strings.TrimSpace(text) == "" {
		return true
	}
	mask := "[" + rd.displayName(key) + ", " + itoa(len([]rune(text))) + " chars]"
	kind := "personal"
	rd.record(w, int(v.line), kind, len([]rune(text)), mask)
	if rd.scan == nil {
		if len(text) >= 6 {
			rd.addSecret(text, mask, kind)
		}
		*v = jval{kind: jStr, s: mask, line: v.line, key: v.key}
	}
	return true
}

// personalPath tells whether the rules name the keys of w's path (indices aside) as personal
// data. A payload repeats a few dozen paths over and over (every record of a list has the
// same keys): the policy remembers the answers, asked here with the path joined in a reused
// buffer.
func (rd *Redactor) personalPath(w *walker) bool {
	keys := rd.keysBuf[:0]
	for _, sg := range w.segs {
		if sg.idx < 0 && sg.key != "<key>" {
			keys = append(keys, sg.key)
		}
	}
	rd.keysBuf = keys
	if len(keys) == 0 {
		return false
	}
	joined, ok := sensitive.JoinPath(rd.pathBuf[:0], keys)
	rd.pathBuf = joined
	if !ok {
		return rd.pol.PersonalPath(keys) // a key holding the separator: never remembered
	}
	return rd.pol.PersonalJoined(joined, keys)
}

func (rd *Redactor) isMaskVal(v *jval) bool { return v.kind == jStr && rd.isMask(v.s) }

// identityName: under a secret name (credentials: {...}), the members that say who, not how
// to get in, stay readable.
func identityName(k string) bool {
	switch strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 32
		}
		if r >= 'a' && r <= 'z' {
			return r
		}
		return -1
	}, k) {
	case "user", "usuario", "login", "username", "tokenissuedat", "tipo", "type", "scheme", "alg", "kid", "typ":
		return true
	}
	return false
}

// secretLeaf masks a value found under a secret name, whatever its own name.
func (rd *Redactor) secretLeaf(w *walker, v *jval) bool {
	if rd.isMaskVal(v) || v.kind == jStr && strings.TrimSpace(v.s) == "" {
		return true
	}
	if rd.scan != nil && draftForm(w, v) {
		return true // a ticket draft's key digest or unsigned token: no secret (see Draft)
	}
	name := "secret"
	for i := len(w.segs) - 1; i >= 0; i-- {
		if w.segs[i].idx < 0 && w.segs[i].key != "<key>" {
			name = w.segs[i].key
			break
		}
	}
	mask, kind := rd.fieldMask(rd.displayName(name), v.s)
	if rd.scan != nil {
		kind = "field"
	}
	rd.record(w, int(v.line), kind, len([]rune(v.s)), mask)
	if rd.scan == nil {
		*v = jval{kind: jStr, s: mask, line: v.line, key: v.key}
	}
	return true
}

// encodedRE is a run of URL-encoded text holding at least one escape.
var encodedRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`[A-Za-z0-9._~+!*@-]*(?:%[0-9A-Fa-f]{2}[A-Za-z0-9._~+!*@-]*)+`)
})

// stageEncoded looks at URL-encoded text decoded: a phone written with non-breaking spaces
// (61%C2%A093096%C2%A07720), an e-mail (fulano%40example.com) or a CPF (529%20982%20247%2025)
// in a query string or a form body. A run whose decoded text holds something to mask is
// replaced by its decoded, masked form.
func (rd *Redactor) stageEncoded(w *walker, s string, line int) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	var c []span
	var outs []string
	for _, m := range encodedRE().FindAllStringIndex(s, -1) {
		enc := s[m[0]:m[1]]
		dec, err := url.QueryUnescape(enc)
		if err != nil || dec == enc || !hasDigits(dec, 2) && strings.IndexByte(dec, '@') < 0 {
			continue
		}
		before := rd.changes
		out := rd.text(&walker{file: w.file, segs: w.segs}, dec, line)
		if rd.changes != before && out != dec {
			c, outs = append(c, span{m[0], m[1], len(outs)}), append(outs, out)
		}
	}
	if len(c) == 0 {
		return s
	}
	// The masks were recorded when the decoded text was masked: write them without a
	// second record.
	var b strings.Builder
	last := 0
	for _, x := range c {
		b.WriteString(s[last:x.start])
		b.WriteString(outs[x.aux])
		last = x.end
	}
	b.WriteString(s[last:])
	return b.String()
}

// placeholder: a value that stands for one in help and examples ("...", "<token>", "$SENHA",
// "${TOKEN}", "***"), which holds nothing to mask.
func placeholder(v string) bool {
	v = strings.Trim(v, `"'`)
	switch {
	case v == "":
		return true
	case strings.Trim(v, ".…*xX") == "":
		return true
	case v[0] == '<' && v[len(v)-1] == '>', v[0] == '{' && v[len(v)-1] == '}':
		return true
	case v[0] == '$' && len(v) > 1 && strings.TrimLeft(v[1:], "{ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789}") == "":
		return true
	}
	return false
}
