package directory

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// parseYAML decodes a whole YAML snapshot: with the reader of yamlfast.go when the file
// has the usual shape, with the yaml library otherwise (and for every error).
//
// The document is decoded into yaml.Node first so that every entry keeps its line and
// column for later messages (a bad sha256, a duplicate). Decoder.KnownFields does not
// reach through Node.Decode (it makes a fresh, lenient decoder), so unknown and repeated
// fields are refused here, by checkYAMLFields, before each entry is decoded.
func parseYAML(name string, data []byte) (*contents, error) {
	if c, ok := parseYAMLFast(name, data); ok {
		return c, nil
	}
	return parseYAMLLib(name, data)
}

// parseYAMLLib decodes a whole YAML snapshot with the yaml library.
func parseYAMLLib(name string, data []byte) (*contents, error) {
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, errorL(Place{File: name}, "não é um snapshot do diretório: é um arquivo binário, nem JSON nem YAML", "not a directory snapshot: a binary file, neither JSON nor YAML")
	}
	if !utf8.Valid(data) {
		return nil, errorL(placeAt(name, data, firstInvalidUTF8(data, 0)), "UTF-8 inválido (o arquivo foi salvo como UTF-8?)", "invalid UTF-8 (is the file saved as UTF-8?)")
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errorL(Place{File: name}, "snapshot do diretório vazio (nenhum documento YAML)", "empty directory snapshot (no YAML document)")
		}
		return nil, yamlError(name, "", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, errorL(Place{File: name, Line: extra.Line, Col: extra.Column}, "mais de um documento YAML", "more than one YAML document")
	} else if !errors.Is(err, io.EOF) {
		return nil, yamlError(name, "", err)
	}
	if len(doc.Content) == 0 {
		return nil, errorL(Place{File: name}, "snapshot do diretório vazio (nenhum documento YAML)", "empty directory snapshot (no YAML document)")
	}
	root := resolve(doc.Content[0])
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" { // a lone "---"
		return nil, errorL(Place{File: name}, "snapshot do diretório vazio (documento YAML vazio)", "empty directory snapshot (empty YAML document)")
	}
	if root.Kind != yaml.MappingNode {
		return nil, errorL(nodePlace(name, root),
			"não é um snapshot do diretório: esperado um objeto JSON ou um mapeamento YAML com keys e users, veio %[1]s",
			"not a directory snapshot: want a JSON object or a YAML mapping with keys and users, found %[2]s", nodeKindPt(root), nodeKind(root))
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
			return nil, errorL(nodePlace(name, k), "campo de primeiro nível desconhecido: %q (um snapshot tem só keys e users)", "unknown top-level field %q (a snapshot has only keys and users)", k.Value)
		}
		if seen[l] {
			return nil, errorL(nodePlace(name, k), "o campo de primeiro nível %q aparece duas vezes", "duplicate top-level field %q", l)
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
		return errorL(nodePlace(name, list), "%[1]s deve ser uma lista de mapeamentos, e não %[2]s", "%[1]s must be a list of mappings, not %[3]s", l, nodeKindPt(list), nodeKind(list))
	}
	for i, n := range list.Content {
		n = resolve(n)
		prefix := fmt.Sprintf("%s[%d]: ", l, i)
		if n.Kind != yaml.MappingNode {
			return errorL(nodePlace(name, n), "%[1]sesperado um mapeamento, veio %[2]s", "%[1]sexpected a mapping, found %[3]s", prefix, nodeKindPt(n), nodeKind(n))
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
			return errorL(nodePlace(name, k), "%scampo desconhecido: %q", "%sunknown field %q", prefix, k.Value)
		}
		if seen&(1<<f) != 0 {
			return errorL(nodePlace(name, k), "%so campo %q aparece duas vezes", "%sduplicate field %q", prefix, f)
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

// nodeKindPt is nodeKind in Portuguese.
func nodeKindPt(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "um mapeamento"
	case yaml.SequenceNode:
		return "uma lista"
	}
	if n.Tag == "!!null" {
		return "null"
	}
	return "um valor simples (" + strings.TrimPrefix(n.Tag, "!!") + ")"
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
	// yaml's own words stay in the English text; the Portuguese one says what is wrong in
	// its own words when it is a known type error, or what to look at.
	pt := "o YAML não pôde ser lido a partir desta linha: confira a indentação, os dois-pontos depois de cada campo e as aspas"
	if m := yamlCannotRE().FindStringSubmatch(msg); m != nil {
		pt = fmt.Sprintf("tipo errado: esperado %s, veio %s", yamlTypePt(m[2]), yamlTypePt(m[1]))
	}
	return &Error{Place: p, Msg: prefix + msg, Pt: prefix + pt}
}

// yamlCannotRE reads yaml's "cannot unmarshal !!str `abc` into bool": what came and what the
// field wanted (the value itself is not repeated).
var yamlCannotRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile("^cannot unmarshal (!!\\w+)(?: .*)? into (\\S+)$")
})

func yamlTypePt(t string) string {
	switch t {
	case "!!str", "string":
		return "um texto"
	case "!!int", "!!float", "int", "float64":
		return "um número"
	case "!!bool", "bool":
		return "true ou false"
	case "!!map":
		return "um mapeamento"
	case "!!seq", "[]string":
		return "uma lista"
	}
	return "outro tipo de valor"
}
