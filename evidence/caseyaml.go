package evidence

// case.yaml, written fast when its body is large.

import (
	"bytes"
	"fmt"
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
	data, _, err := encodeCaseYAMLParts(doc)
	return data, err
}

// splice is how case.yaml was put together: the document yaml.v3 wrote, with each body's
// placeholder (placeholderOf) where the body's lines went. Build scans it in those parts
// (scanSpliced), without reading the bodies' megabytes back through a YAML parser.
type splice struct {
	head   []byte
	bodies []string
}

func placeholderOf(i int) string { return fmt.Sprintf("triagem-splice-%d-7c1e\nend", i) }

// encodeCaseYAMLParts is encodeCaseYAML, and the splice it made (nil when it made none).
// A document that holds a placeholder's text of its own (someone typed it) is written by
// yaml.v3 whole, as is one whose placeholders do not come out as expected.
func encodeCaseYAMLParts(doc any) ([]byte, *splice, error) {
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
	head, _, err := yamlWhole(doc)
	for i, n := range nodes { // the document is the caller's: as it was
		n.Value = bodies[i]
	}
	if err != nil {
		return nil, nil, err
	}
	if out, ok := spliceBodies(head, bodies); ok {
		return out, &splice{head: head, bodies: bodies}, nil
	}
	return yamlWhole(doc)
}

// yamlWhole is the document as yaml.v3 writes it, two spaces of indentation.
func yamlWhole(doc any) ([]byte, *splice, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2) // as the contract writes cases
	if err := enc.Encode(doc); err != nil {
		return nil, nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, nil, err
	}
	return buf.Bytes(), nil, nil
}

// spliceBodies puts each body's lines where its placeholder's two lines are in head, with
// their indentation; false when a placeholder is not there once, as a block's two lines.
func spliceBodies(head []byte, bodies []string) ([]byte, bool) {
	size := len(head)
	for _, s := range bodies {
		size += len(s) + (strings.Count(s, "\n")+1)*16
	}
	out := make([]byte, 0, size)
	for i, s := range bodies {
		first := []byte(strings.TrimSuffix(placeholderOf(i), "end"))
		at := bytes.Index(head, first)
		if at < 0 || bytes.Count(head, first) != 1 {
			return nil, false
		}
		lineStart := bytes.LastIndexByte(head[:at], '\n') + 1
		indent := head[lineStart:at]
		if strings.Trim(string(indent), " ") != "" {
			return nil, false
		}
		second := append(append([]byte{}, indent...), "end\n"...)
		rest := head[at+len(first):]
		if !bytes.HasPrefix(rest, second) {
			return nil, false
		}
		out = append(out, head[:lineStart]...)
		for line := range strings.SplitSeq(s, "\n") {
			out = append(append(append(out, indent...), line...), '\n')
		}
		head = rest[len(second):]
	}
	return append(out, head...), true
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
	return true
}
