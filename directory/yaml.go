package directory

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// parseYAML decodes a whole YAML snapshot. YAML snapshots are the small, hand-edited
// kind, so there is no fast path.
//
// The document is decoded into yaml.Node first so that every entry keeps its line and
// column for later messages (a bad sha256, a duplicate). Decoder.KnownFields does not
// reach through Node.Decode (it makes a fresh, lenient decoder), so unknown and repeated
// fields are refused here, by checkYAMLFields, before each entry is decoded.
func parseYAML(name string, data []byte) (*contents, error) {
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, fmt.Errorf("%s: not a directory snapshot: a binary file, neither JSON nor YAML", name)
	}
	if !utf8.Valid(data) {
		return nil, &Error{Place: placeAt(name, data, firstInvalidUTF8(data, 0)), Msg: "invalid UTF-8 (is the file saved as UTF-8?)"}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty directory snapshot (no YAML document)", name)
		}
		return nil, yamlError(name, "", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &Error{Place: Place{File: name, Line: extra.Line, Col: extra.Column}, Msg: "more than one YAML document"}
	} else if !errors.Is(err, io.EOF) {
		return nil, yamlError(name, "", err)
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: empty directory snapshot (no YAML document)", name)
	}
	root := resolve(doc.Content[0])
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" { // a lone "---"
		return nil, fmt.Errorf("%s: empty directory snapshot (empty YAML document)", name)
	}
	if root.Kind != yaml.MappingNode {
		return nil, &Error{Place: nodePlace(name, root), Msg: fmt.Sprintf(
			"not a directory snapshot: want a JSON object or a YAML mapping with keys and users, found %s", nodeKind(root))}
	}
	c := &contents{}
	var seen [2]bool
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], resolve(root.Content[i+1])
		var l listKind
		switch k.Value {
		case "keys":
			l = listKeys
		case "users":
			l = listUsers
		default:
			return nil, &Error{Place: nodePlace(name, k), Msg: fmt.Sprintf("unknown top-level field %q (a snapshot has only keys and users)", k.Value)}
		}
		if seen[l] {
			return nil, &Error{Place: nodePlace(name, k), Msg: fmt.Sprintf("duplicate top-level field %q", l)}
		}
		seen[l] = true
		if err := c.addYAML(name, l, v); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// addYAML decodes the list of top-level field l. An empty `keys:` (null) is an empty list.
func (c *contents) addYAML(name string, l listKind, list *yaml.Node) error {
	if list.Kind == yaml.ScalarNode && list.Tag == "!!null" {
		return nil
	}
	if list.Kind != yaml.SequenceNode {
		return &Error{Place: nodePlace(name, list), Msg: fmt.Sprintf("%s must be a list of mappings, not %s", l, nodeKind(list))}
	}
	for i, n := range list.Content {
		n = resolve(n)
		prefix := fmt.Sprintf("%s[%d]: ", l, i)
		if n.Kind != yaml.MappingNode {
			return &Error{Place: nodePlace(name, n), Msg: prefix + "expected a mapping, found " + nodeKind(n)}
		}
		if err := checkYAMLFields(name, prefix, l, n); err != nil {
			return err
		}
		var err error
		if l == listKeys {
			var k Key
			err = n.Decode(&k)
			c.keys = append(c.keys, k)
			c.keyAt = append(c.keyAt, nodePlace(name, n))
		} else {
			var u User
			err = n.Decode(&u)
			c.users = append(c.users, u)
			c.userAt = append(c.userAt, nodePlace(name, n))
		}
		if err != nil {
			return yamlError(name, prefix, err)
		}
	}
	return nil
}

// checkYAMLFields refuses unknown and repeated fields in an entry, as the JSON scanner does.
func checkYAMLFields(name, prefix string, l listKind, n *yaml.Node) error {
	var seen uint8
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		f := fieldOf(l, []byte(k.Value))
		if f == fieldUnknown {
			return &Error{Place: nodePlace(name, k), Msg: fmt.Sprintf("%sunknown field %q", prefix, k.Value)}
		}
		if seen&(1<<f) != 0 {
			return &Error{Place: nodePlace(name, k), Msg: fmt.Sprintf("%sduplicate field %q", prefix, f)}
		}
		seen |= 1 << f
	}
	return nil
}

func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func nodePlace(name string, n *yaml.Node) Place {
	return Place{File: name, Line: n.Line, Col: n.Column}
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	if n.Tag == "!!null" {
		return "null"
	}
	return "a scalar (" + strings.TrimPrefix(n.Tag, "!!") + ")"
}

// yamlError gives yaml's errors the file:line form of every other error of the
// package. yaml writes places as "line N: " inside its messages.
func yamlError(file, prefix string, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return yamlMessage(file, prefix, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	errs := make([]error, len(te.Errors))
	for i, m := range te.Errors {
		errs[i] = yamlMessage(file, prefix, m)
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

func yamlMessage(file, prefix, msg string) *Error {
	p := Place{File: file}
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, after, ok := strings.Cut(rest, ": "); ok {
			if line, err := strconv.Atoi(n); err == nil {
				p.Line, msg = line, after
			}
		}
	}
	return &Error{Place: p, Msg: prefix + msg}
}
