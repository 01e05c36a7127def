package evidence

// A JSON text redacted as it is read: token by token, with the key path kept on the walker,
// each value masked by the tree's own rules (walk, member) and written out at once. A body
// of megabytes no longer becomes a tree of its values (about 64 bytes each) and a string per
// value before a byte is written: only a member that the rules mask whole (a secret field, a
// personal path), which is small, is read as a tree, so that it is masked by the very code
// that masks it in a tree. TestStreamIsTree holds both ways to the same output, report and
// findings.

import (
	"bytes"
	"io"
	"unicode/utf8"
	"unsafe"

	"github.com/go-json-experiment/json/jsontext"
)

// jstream is one JSON text being redacted (or scanned) as it is read.
type jstream struct {
	rd     *Redactor
	dec    *jsontext.Decoder
	d      []byte // the text, read only
	line   int    // the line at off
	off    int64  // how far lines were counted
	write  bool   // false: only walked (Scan, or a redaction that may keep its input)
	indent string
	out    []byte
	alias  bool          // d never changes while the redactor lives: strings may point into it
	pipe   chan<- []byte // when set, what is written is handed on (prescan.go)
	sent   int
	names  map[string]string
}

// decoderOf reads d as parseJSON does, straight from d (a bytes.Buffer is read in place,
// without a copy, and never written to).
func decoderOf(d []byte) *jsontext.Decoder {
	return jsontext.NewDecoder(bytes.NewBuffer(d), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
}

// oneJSONValue tells whether d is exactly one JSON value as parseJSON reads them. Streaming
// masks as it goes, and a text that turns out not to be JSON halfway would leave masks
// counted for values that are then masked again as text: the text is checked whole first,
// which costs a fraction of masking it.
func oneJSONValue(d []byte) bool {
	dec := decoderOf(d)
	if dec.SkipValue() != nil {
		return false
	}
	_, err := dec.ReadToken()
	return err == io.EOF
}

// streamJSONTo redacts the JSON text d (one value, checked by oneJSONValue) at w, the text
// starting on line; with write, it appends the result to out, written as appendJSON writes
// the redacted tree with indent, and hands what it writes on to pipe (when not nil) as it
// goes, closing it at the end.
// With alias, d does not change while the redactor lives (it is a string's, or a case's body
// while Build uses it), and its strings are read in place rather than copied.
func (rd *Redactor) streamJSONTo(w *walker, d []byte, line int, write bool, indent string, out []byte, alias bool, pipe chan<- []byte) ([]byte, error) {
	s := &jstream{rd: rd, dec: decoderOf(d), d: d, line: line, write: write, indent: indent, out: out, alias: alias, pipe: pipe}
	err := s.value(w, 0, 0, -1, &pathNode{})
	if pipe != nil {
		if err == nil {
			pipe <- s.out[:len(s.out):len(s.out)]
		}
		close(pipe)
	}
	if err != nil {
		return nil, err
	}
	return s.out, nil
}

// handOn hands what was written on to the pipe, a chunk at a time.
func (s *jstream) handOn() {
	if s.pipe != nil && len(s.out)-s.sent >= pipeChunk {
		s.pipe <- s.out[:len(s.out):len(s.out)]
		s.sent = len(s.out)
	}
}

// lineAt counts lines up to off; offsets only grow, so the text is counted once.
func (s *jstream) lineAt(off int64) int {
	if off > s.off && off <= int64(len(s.d)) {
		s.line += bytes.Count(s.d[s.off:off], []byte{'\n'})
		s.off = off
	}
	return s.line
}

// valueStart is where the value after the name just read starts: past blanks and the colon.
func (s *jstream) valueStart() int64 {
	i := s.dec.InputOffset()
	for i < int64(len(s.d)) {
		switch s.d[i] {
		case ' ', '\t', '\r', '\n', ':':
			i++
			continue
		}
		break
	}
	return i
}

// value redacts the next value at w with hint h, depth deep; line is where it starts, -1
// when the decoder has not told yet (a value that is no object's member).
func (s *jstream) value(w *walker, h hint, depth, line int, node *pathNode) error {
	rd := s.rd
	switch s.dec.PeekKind() {
	case '{', '[':
		tok, err := s.dec.ReadToken()
		if err != nil {
			return err
		}
		obj := tok.Kind() == '{'
		closing := jsontext.Kind(']')
		if obj {
			closing = '}'
		}
		s.put(byte(tok.Kind()))
		n := 0
		for s.dec.PeekKind() != closing {
			if n > 0 {
				s.put(',')
			}
			s.newline(depth + 1)
			if !obj {
				w.pushIdx(n)
				err = s.value(w, h, depth+1, -1, node) // indices are no part of a key path
				w.pop()
			} else {
				err = s.member(w, h, depth+1, node)
			}
			if err != nil {
				return err
			}
			s.handOn()
			n++
		}
		if _, err := s.dec.ReadToken(); err != nil {
			return err
		}
		if n > 0 {
			s.newline(depth)
		}
		s.put(byte(closing))
		return nil
	}
	raw, err := s.dec.ReadValue()
	if err != nil {
		return err
	}
	end := s.dec.InputOffset()
	if line < 0 {
		line = s.lineAt(end - int64(len(raw)))
	}
	v := s.leaf(raw, end, line)
	rd.walk(w, &v, h)
	s.putValue(&v, depth)
	return nil
}

// member redacts an object's next name and value, as walk does an object's kid.
func (s *jstream) member(w *walker, h hint, depth int, node *pathNode) error {
	rd := s.rd
	name, err := s.dec.ReadValue()
	if err != nil {
		return err
	}
	start := s.valueStart()
	line := s.lineAt(start)
	key := s.name(name)
	var k string
	var ki *keyFacts
	var personal bool
	var under *pathNode
	if pk, ok := node.kids[key]; ok {
		k, ki, personal, under = key, pk.ki, pk.personal, &pk.node
		w.push(k)
	} else {
		k, ki = rd.memberKey(w, key, line)
		w.push(k)
		personal = rd.personalPath(w)
		under = &pathNode{}
		if ki.clean && k == key && rd.keys[key] == ki && len(node.kids) < 256 {
			// A clean key the redactor remembers is clean wherever it recurs (memberKey
			// would not look at it again), and the same keys above it make the same path.
			if node.kids == nil {
				node.kids = map[string]*pathKid{}
			}
			pk := &pathKid{ki: ki, personal: personal}
			node.kids[key] = pk
			under = &pk.node
		}
	}
	defer w.pop()
	if s.write {
		s.out = appendJSONString(s.out, k)
		s.out = append(s.out, ':')
		if s.indent != "" {
			s.out = append(s.out, ' ')
		}
	}
	if ki.secret || personal {
		// Masked whole, or looked at whole: a tree, masked by the tree's own code.
		raw, err := s.dec.ReadValue()
		if err != nil {
			return err
		}
		kid, err := parseJSON(string(raw), line)
		if err != nil {
			return err
		}
		kid.key = k
		rd.member(w, k, ki, &kid, h)
		s.putValue(&kid, depth)
		return nil
	}
	return s.value(w, memberHint(k, ki, h), depth, line, under)
}

// name is an object's name (raw, as read) as a string: the same few names come back in every
// record of a list, and are made once.
func (s *jstream) name(raw jsontext.Value) string {
	q := raw[1 : len(raw)-1]
	if bytes.IndexByte(q, '\\') >= 0 || !utf8.Valid(q) {
		b, _ := jsontext.AppendUnquote(nil, raw)
		return string(b)
	}
	if k, ok := s.names[string(q)]; ok { // looked up without making the string
		return k
	}
	k := string(q)
	if s.names == nil {
		s.names = map[string]string{}
	}
	if len(s.names) < 4096 {
		s.names[k] = k
	}
	return k
}

// pathNode is what a stream knows of one key path (a list's indices aside): for each clean
// key met under it, what the key says and whether the rules name that path as personal data,
// asked once per path instead of once per record.
type pathNode struct {
	kids map[string]*pathKid
}

type pathKid struct {
	ki       *keyFacts
	personal bool
	node     pathNode // the path one key deeper
}

// leaf is leafOf(raw), a plain string read in place in d when the stream may (alias): raw
// ends at end in d (raw itself is the decoder's, and only good until its next read).
// Numbers, true and false are read in place too: their text is the value's, as written.
func (s *jstream) leaf(raw jsontext.Value, end int64, line int) jval {
	if s.alias {
		if start := end - int64(len(raw)); start >= 0 && end <= int64(len(s.d)) {
			switch raw.Kind() {
			case '"':
				q := s.d[start+1 : end-1]
				if bytes.IndexByte(q, '\\') < 0 && utf8.Valid(q) {
					return jval{kind: jStr, s: unsafe.String(unsafe.SliceData(q), len(q)), line: int32(line)}
				}
			case '0', 't', 'f':
				v := jval{kind: jNum, s: unsafe.String(&s.d[start], end-start), line: int32(line)}
				if raw.Kind() != '0' {
					v.kind = jBool
				}
				return v
			}
		}
	}
	return leafOf(raw, line)
}

// leafOf is a string, number, true, false or null as parseJSON reads it.
func leafOf(raw jsontext.Value, line int) jval {
	v := jval{line: int32(line)}
	switch raw.Kind() {
	case '"':
		if q := raw[1 : len(raw)-1]; bytes.IndexByte(q, '\\') < 0 && utf8.Valid(q) {
			v.kind, v.s = jStr, string(q) // nothing to unquote
			break
		}
		b, _ := jsontext.AppendUnquote(nil, raw) // invalid UTF-8 becomes U+FFFD, as in parseJSON
		v.kind, v.s = jStr, unsafe.String(unsafe.SliceData(b), len(b))
	case '0':
		v.kind, v.s = jNum, string(raw)
	case 't', 'f':
		v.kind, v.s = jBool, string(raw)
	}
	return v
}

func (s *jstream) put(c byte) {
	if s.write {
		s.out = append(s.out, c)
	}
}

func (s *jstream) newline(depth int) {
	if s.write {
		s.out = newline(s.out, s.indent, depth)
	}
}

func (s *jstream) putValue(v *jval, depth int) {
	if s.write {
		s.out = appendJSON(s.out, v, s.indent, depth)
	}
}
