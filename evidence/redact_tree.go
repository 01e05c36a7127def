package evidence

// Trees: JSON values walked key by key, where a key's name says what its value holds.

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/crefazon/triagem/internal/memo"

	"github.com/crefazon/triagem/internal/brdoc"
	"github.com/crefazon/triagem/internal/sensitive"
)

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
	// The same keys come back in every case of a batch; splitting each into words again was
	// a tenth of learning a case. Remembered per key, bounded against hostile key counts.
	if h, ok := hints.Get(key); ok {
		return h
	}
	h := hintOfKey(key)
	hints.Put(key, h)
	return h
}

var hints = memo.Map[hint]{Max: 1 << 14}

func hintOfKey(key string) hint {
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
			k, ki := rd.memberKey(w, kid.key, int(kid.line))
			kid.key = k
			w.push(k)
			rd.member(w, k, ki, kid, h)
			w.pop()
		}
	}
}

// memberKey masks an object's key, whose value starts on line, and tells what the key (as
// masked) says. The key itself may be what is masked: its place is never in a path.
func (rd *Redactor) memberKey(w *walker, key string, line int) (string, *keyFacts) {
	ki := rd.keyInfo(key)
	if ki.clean {
		return key, ki
	}
	w.push("<key>")
	before := rd.changes
	k := rd.text(w, key, line)
	if rd.changes == before {
		// A key found clean is not looked at again; in a scan too, which learns no secret
		// (addSecret), so that what it finds in a text is the same every time.
		ki.clean = true
	}
	if k != key {
		ki = rd.keyInfo(k)
	}
	w.pop()
	return k, ki
}

// member redacts the value of an object's member under its key k (as memberKey left it),
// with w at k; h is the object's hint.
func (rd *Redactor) member(w *walker, k string, ki *keyFacts, kid *jval, h hint) {
	switch {
	case ki.secret && rd.secretField(w, k, kid):
	case rd.personalField(w, k, kid):
	default:
		rd.walk(w, kid, memberHint(k, ki, h))
	}
}

// memberHint is the hint for what lies under key k in an object with hint h: a key's hint
// holds for what lies under it (telefone: {ddd: 11, numero: ...}).
func memberHint(k string, ki *keyFacts, h hint) hint {
	kh := ki.hint | h&(hintPhone|hintSecret)
	if identityName(k) {
		kh &^= hintSecret
	}
	return kh
}

// mayOpenArray tells whether r, what follows a '[', can start a JSON array's rest: a letter
// there must begin true, false or null. Nearly every text a scan meets that opens with '[' is
// a mask, [cpf#12 …25], whose kind's first letter says at once that it is no JSON, before
// the costlier check that it is a mask.
func mayOpenArray(r string) bool {
	if c := r[0] | 0x20; c >= 'a' && c <= 'z' {
		return strings.HasPrefix(r, "true") || strings.HasPrefix(r, "false") || strings.HasPrefix(r, "null")
	}
	return true
}

// jsonInString redacts a string that holds a JSON object or array (a body kept as text) as
// JSON, so that its numbers are judged as numbers, as they were when it was written.
func (rd *Redactor) jsonInString(w *walker, v *jval) bool {
	t := strings.TrimSpace(v.s)
	if len(t) < 2 || t[0] != '{' && t[0] != '[' || t[0] == '[' && !mayOpenArray(t[1:]) || rd.isMask(v.s) {
		return false // a mask opens with '[' and is never JSON: not worth a parser and its error
	}
	lineOf := func() int { return int(v.line) + strings.Count(v.s[:strings.Index(v.s, t)], "\n") }
	if rd.scan != nil {
		// A body scanned as it was written (prescan.go) was read then as one JSON value, with
		// the options oneJSONValue reads with: it is not parsed again to be told so.
		if p := rd.scan.prescanned(rd, w, t); p != nil {
			line := lineOf()
			for _, f := range p.findings {
				rd.record(w, f.Line+line-1, f.Kind, 0, "")
			}
			return true
		}
	}
	d := unsafe.Slice(unsafe.StringData(t), len(t)) // read only
	if !oneJSONValue(d) {
		return false
	}
	line := lineOf()
	before := rd.changes
	write := rd.scan == nil
	out, err := rd.streamJSONTo(w, d, line, write, indentOf(d), nil, true, nil) // d is a string's
	if err == nil && rd.changes != before && write {
		v.s = unsafe.String(unsafe.SliceData(out), len(out))
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
	if rd.scan != nil && !isHeader && len(w.segs) > 0 {
		// A ticket draft's key digest or unsigned token (see Draft): no secret there.
		parent := w.segs[len(w.segs)-1].key
		if len(w.segs) > 1 && parent == key {
			parent = w.segs[len(w.segs)-2].key
		}
		if draftFormUnder(parent, key, v) {
			return true
		}
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
		mask = rd.numbered(p.name, "?"+d, maskSpec{last: keepOf(p), mistyped: true})
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
