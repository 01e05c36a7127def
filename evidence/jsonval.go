package evidence

// An order-keeping JSON tree: read and written with the partner's key order and number
// text, so that a masked payload reads as it was sent.

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

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

// errJSON is what parseJSON says of text that is not one JSON value: where, never what.
type errJSON struct{ off int }

func (e *errJSON) Error() string { return fmt.Sprintf("not valid JSON (at byte %d)", e.off) }

// parseJSON reads exactly one JSON value, keeping the order of keys and the text of numbers,
// with the project's one order-keeping JSON reader (go-json-experiment's jsontext, as the HAR
// reader uses). It is as strict as json.Valid but for two things partners send: a repeated key
// is kept as written, and invalid UTF-8 in a string becomes U+FFFD. line is the line the text
// starts on; each value records its own, for Scan's findings.
func parseJSON(d string, line int) (jval, error) {
	dec := jsontext.NewDecoder(strings.NewReader(d), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	r := jreader{dec: dec, d: d, line: line}
	v, err := r.value()
	if err == nil {
		if _, err = dec.ReadToken(); err == io.EOF { // exactly one value
			return v, nil
		}
	}
	return jval{}, &errJSON{int(dec.InputOffset())}
}

// jreader turns jsontext's tokens into a jval tree and tells each value's line.
type jreader struct {
	dec  *jsontext.Decoder
	d    string
	line int   // the line at off
	off  int64 // how far lines were counted
}

// lineAt counts lines up to off; offsets only grow, so the whole text is counted once.
func (r *jreader) lineAt(off int64) int32 {
	if off > r.off && off <= int64(len(r.d)) {
		r.line += strings.Count(r.d[r.off:off], "\n")
		r.off = off
	}
	return int32(r.line)
}

func (r *jreader) value() (jval, error) {
	switch r.dec.PeekKind() {
	case '{', '[':
		tok, err := r.dec.ReadToken()
		if err != nil {
			return jval{}, err
		}
		v := jval{kind: jArr, line: r.lineAt(r.dec.InputOffset() - 1)}
		closing := jsontext.Kind(']')
		if tok.Kind() == '{' {
			v.kind, closing = jObj, '}'
		}
		for r.dec.PeekKind() != closing {
			var key string
			if v.kind == jObj {
				k, err := r.dec.ReadToken()
				if err != nil {
					return jval{}, err
				}
				key = k.String()
			}
			kid, err := r.value()
			if err != nil {
				return jval{}, err
			}
			kid.key = key
			v.kids = append(v.kids, kid)
		}
		if _, err := r.dec.ReadToken(); err != nil {
			return jval{}, err
		}
		return v, nil
	}
	raw, err := r.dec.ReadValue()
	if err != nil {
		return jval{}, err
	}
	v := jval{line: r.lineAt(r.dec.InputOffset() - int64(len(raw)))}
	switch raw.Kind() {
	case '"':
		// The decoder validated the literal already; an error here only reports invalid
		// UTF-8, which the unquoted text carries as U+FFFD.
		b, _ := jsontext.AppendUnquote(nil, raw)
		v.kind, v.s = jStr, string(b)
	case '0':
		v.kind, v.s = jNum, string(raw)
	case 't', 'f':
		v.kind, v.s = jBool, string(raw)
	}
	return v, nil
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
