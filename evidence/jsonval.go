package evidence

// An order-keeping JSON tree: read and written with the partner's key order and number
// text, so that a masked payload reads as it was sent.

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
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
