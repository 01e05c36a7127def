package evidence

// case.yaml, written fast when its body is large.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// spliceMin is the size from which a literal block is spliced in by hand rather than written
// by yaml.v3, which writes a scalar one character at a time through its emitter: a 10 MB body
// took 0.4 s there, longer than compressing the whole bundle.
var spliceMin = 64 << 10

// encodeCaseYAML writes the redacted case as case.yaml, exactly as yaml.v3 writes it (two
// spaces of indentation). A large body, which the case holds as indented JSON text in a
// literal block, goes into the document as a two-line placeholder; yaml.v3 writes the
// document, and the body's lines go where the placeholder's came out, with the indentation
// yaml.v3 gave them. Only a text that yaml.v3 writes as that same literal block takes this
// way (literalPlain); TestCaseYAMLSpliceIsYAMLv3s checks the bytes are the same.
func encodeCaseYAML(doc any) ([]byte, error) {
	c, err := encodeCase(doc)
	if err != nil {
		return nil, err
	}
	return c.bytes(), nil
}

// caseYAML is case.yaml as Build holds it: whole, or the document yaml.v3 wrote with the
// bodies whose lines go where their placeholders stand, put together only as it is written
// out (into the zip, into its checksum) and never gathered in memory: a 10 MB body made a
// 17 MB case.yaml beside the body's own text.
type caseYAML struct {
	whole []byte  // the text, when nothing was spliced
	sp    *splice // else its parts
	size  int
	// scanned: its bodies' scans, made as they were written (prescan.go); scanSpliced takes
	// them where they are what it would find.
	scanned []*prescan
}

// splice is how case.yaml is put together: the document yaml.v3 wrote, with each body's
// placeholder (placeholderOf) where the body's lines go. Build scans it in those parts
// (scanSpliced), without reading the bodies' megabytes back through a YAML parser.
type splice struct {
	head   []byte
	bodies []string
	parts  []splicePart // in the order of head
	tail   int          // head[tail:] follows the last body
}

// splicePart: head[from:to] is written, then each line of body i after indent (the
// placeholder's two lines, which follow in head, are not).
type splicePart struct {
	from, to int
	indent   []byte
}

func placeholderOf(i int) string { return fmt.Sprintf("triagem-splice-%d-7c1e\nend", i) }

// encodeCaseYAMLParts is encodeCaseYAML, and the splice it made (nil when it made none).
func encodeCaseYAMLParts(doc any) ([]byte, *splice, error) {
	c, err := encodeCase(doc)
	if err != nil {
		return nil, nil, err
	}
	return c.bytes(), c.sp, nil
}

// encodeCase is case.yaml, spliced when a body is large. A document that holds a
// placeholder's text of its own (someone typed it) is written by yaml.v3 whole, as is one
// whose placeholders do not come out as expected.
func encodeCase(doc any) (*caseYAML, error) {
	root, ok := doc.(*yaml.Node)
	if !ok {
		return yamlWhole(doc)
	}
	var nodes []*yaml.Node
	taken := false
	var find func(n *yaml.Node)
	find = func(n *yaml.Node) {
		taken = taken || strings.Contains(n.Value, "triagem-splice-")
		if n.Kind == yaml.ScalarNode && n.Style&yaml.LiteralStyle != 0 && len(n.Value) >= spliceMin && literalPlain(n.Value) {
			nodes = append(nodes, n)
		}
		for _, c := range n.Content {
			find(c)
		}
	}
	find(root)
	if len(nodes) == 0 || taken {
		return yamlWhole(doc)
	}
	bodies := make([]string, len(nodes))
	for i, n := range nodes {
		bodies[i], n.Value = n.Value, placeholderOf(i)
	}
	head, err := yamlWhole(doc)
	for i, n := range nodes { // the document is the caller's: as it was
		n.Value = bodies[i]
	}
	if err != nil {
		return nil, err
	}
	if sp, size, ok := planSplice(head.whole, bodies); ok {
		return &caseYAML{sp: sp, size: size}, nil
	}
	return yamlWhole(doc)
}

// yamlWhole is the document as yaml.v3 writes it, two spaces of indentation.
func yamlWhole(doc any) (*caseYAML, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2) // as the contract writes cases
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return &caseYAML{whole: buf.Bytes(), size: buf.Len()}, nil
}

// planSplice finds where each body's lines go in head: in place of its placeholder's two
// lines, with their indentation; false when a placeholder is not there once, as a block's
// two lines. It tells the size of the whole.
func planSplice(head []byte, bodies []string) (*splice, int, bool) {
	sp := &splice{head: head, bodies: bodies, parts: make([]splicePart, len(bodies))}
	pos, size := 0, 0
	for i, s := range bodies {
		first := []byte(strings.TrimSuffix(placeholderOf(i), "end"))
		rest := head[pos:]
		at := bytes.Index(rest, first)
		if at < 0 || bytes.Count(rest, first) != 1 {
			return nil, 0, false
		}
		lineStart := bytes.LastIndexByte(rest[:at], '\n') + 1
		indent := rest[lineStart:at]
		if strings.Trim(string(indent), " ") != "" {
			return nil, 0, false
		}
		second := append(append([]byte{}, indent...), "end\n"...)
		if !bytes.HasPrefix(rest[at+len(first):], second) {
			return nil, 0, false
		}
		sp.parts[i] = splicePart{from: pos, to: pos + lineStart, indent: indent}
		lines := strings.Count(s, "\n") + 1
		size += lineStart + len(s) + 1 + lines*len(indent)
		pos += at + len(first) + len(second)
	}
	sp.tail = pos
	return sp, size + len(head) - pos, true
}

// chunks hands the text to emit in pieces (of head, or of up to 64 KiB of body lines),
// stopping at emit's first error.
func (c *caseYAML) chunks(emit func([]byte) error) error {
	if c.sp == nil {
		return emit(c.whole)
	}
	sp := c.sp
	buf := make([]byte, 0, 64<<10)
	for i, p := range sp.parts {
		if err := emit(sp.head[p.from:p.to]); err != nil {
			return err
		}
		for body, more := sp.bodies[i], true; more; {
			line := body
			if j := strings.IndexByte(body, '\n'); j >= 0 {
				line, body = body[:j], body[j+1:]
			} else {
				more = false
			}
			if len(buf)+len(p.indent)+len(line)+1 > cap(buf) && len(buf) > 0 {
				if err := emit(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
			buf = append(buf, p.indent...)
			buf = append(buf, line...)
			buf = append(buf, '\n')
		}
		if len(buf) > 0 {
			if err := emit(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	return emit(sp.head[sp.tail:])
}

// writeTo writes the text to w.
func (c *caseYAML) writeTo(w io.Writer) error {
	return c.chunks(func(b []byte) error {
		_, err := w.Write(b)
		return err
	})
}

var errEnough = errors.New("enough")

// prefix is the text's first n bytes (all of it when it is shorter).
func (c *caseYAML) prefix(n int) []byte {
	if c.sp == nil {
		return c.whole[:min(n, len(c.whole))]
	}
	out := make([]byte, 0, min(n, c.size))
	c.chunks(func(b []byte) error {
		out = append(out, b[:min(len(b), n-len(out))]...)
		if len(out) == n {
			return errEnough
		}
		return nil
	})
	return out
}

// bytes is the whole text, put together when it was spliced.
func (c *caseYAML) bytes() []byte {
	if c.sp == nil {
		return c.whole
	}
	return c.prefix(c.size)
}

// literalPlain tells whether yaml.v3 writes s as a literal block line for line, without an
// indentation indicator: printable as YAML reads it (no control character, no line
// separator but \n, nothing beyond the Basic Multilingual Plane), no blank line, no space at
// the start, at the end or before a line break, no line break at either end. An indented
// JSON text is all of that.
func literalPlain(s string) bool {
	if s == "" || s[0] == ' ' || s[0] == '\n' || s[len(s)-1] == ' ' || s[len(s)-1] == '\n' ||
		strings.Contains(s, "\n\n") || strings.Contains(s, " \n") {
		return false
	}
	for i := 0; i < len(s); {
		// Eight bytes at a time while they are printable ASCII (0x20 to 0x7e), which an
		// indented JSON text nearly all is: a bundle's body is megabytes, and this loop was
		// its slowest pass in case.yaml. A word with anything else (a line break, a byte of a
		// longer character) is read a character at a time, to its end or just past it.
		if i+8 <= len(s) && printableASCII8(s[i:i+8]) {
			i += 8
			continue
		}
		for word := min(i+8, len(s)); i < word; {
			c := s[i]
			if c < utf8.RuneSelf {
				if c != '\n' && (c < 0x20 || c > 0x7e) {
					return false
				}
				i++
				continue
			}
			r, n := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && n == 1:
				return false
			case r >= 0xa0 && r <= 0xd7ff && r != 0x2028 && r != 0x2029:
			case r >= 0xe000 && r <= 0xfffd && r != 0xfeff:
			default:
				return false
			}
			i += n
		}
	}
	return true
}

// printableASCII8 tells whether the 8 bytes of s are all printable ASCII (0x20 to 0x7e). With
// no byte's top bit set, a borrow in w-0x20.. starts only at a byte below 0x20, and one in
// (w^0x7f..)-0x01.. only at a byte equal to 0x7f, so each test is exact.
func printableASCII8(s string) bool {
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	del := w ^ 0x7f*ones
	return w&tops == 0 && (w-0x20*ones)&^w&tops == 0 && (del-ones)&^del&tops == 0
}
