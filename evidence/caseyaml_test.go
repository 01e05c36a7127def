package evidence

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"pgregory.net/rapid"
)

// setSpliceMin makes bodies from n bytes long take the splice, for the test's length.
func setSpliceMin(t *testing.T, n int) {
	old := spliceMin
	spliceMin = n
	t.Cleanup(func() { spliceMin = old })
}

// The splice writes exactly what yaml.v3 writes, and what it writes reads back as the body.
func TestCaseYAMLSpliceIsYAMLv3s(t *testing.T) {
	setSpliceMin(t, 8)
	bodies := []struct {
		name    string
		body    string
		spliced bool // takes the splice (else yaml.v3 writes it all)
	}{
		{"indented JSON", "{\n  \"cpf\": \"[cpf#1 …25]\",\n  \"valor\": 1500.00,\n  \"lista\": [\n    1,\n    2\n  ]\n}", true},
		{"YAML look-alikes", "[\n  \"--- x\",\n  \"... y\",\n  \"# z\",\n  \"a: b\",\n  \"- c\",\n  \"|\",\n  \"&anchor *alias !tag\"\n]", true},
		{"lines that look like a document's end", "{\n---\n...\n}", true},
		{"accents and CJK", "{\n  \"nome\": \"[nome, 15 chars]\",\n  \"cidade\": \"São Paulo 東京\"\n}", true},
		{"an emoji (beyond the BMP)", "{\n  \"obs\": \"ok 👍\"\n}", false},
		{"a line separator", "{\n  \"obs\": \"a\u2028b\"\n}", false},
		{"a tab", "{\n\t\"obs\": 1\n}", false},
		{"a leading space", " {\n  \"a\": 1\n}", false},
		{"a trailing newline", "{\n  \"a\": 1\n}\n", false},
		{"a blank line", "{\n\n  \"a\": 1\n}", false},
		{"a space before a break", "{ \n  \"a\": 1\n}", false},
		{"a byte-order mark", "{\n  \"a\": \"\ufeff\"\n}", false},
		{"invalid UTF-8", "{\n  \"a\": \"\xff\"\n}", false},
		{"a DEL", "{\n  \"a\": \"\x7f\"\n}", false},
	}
	for _, tt := range bodies {
		t.Run(tt.name, func(t *testing.T) {
			if got := literalPlain(tt.body); got != tt.spliced {
				t.Errorf("literalPlain = %v, want %v", got, tt.spliced)
			}
			build := func() *yaml.Node {
				root := jval{kind: jObj}
				req := jval{kind: jObj, key: "request"}
				req.kids = append(req.kids, jval{kind: jStr, key: "method", s: "POST"}, jval{kind: jStr, key: "body", s: tt.body})
				resp := jval{kind: jObj, key: "response"}
				resp.kids = append(resp.kids, jval{kind: jNum, key: "status", s: "400"}, jval{kind: jStr, key: "body", s: tt.body})
				list := jval{kind: jArr, key: "anexos"}
				list.kids = append(list.kids, jval{kind: jStr, s: tt.body}, jval{kind: jStr, s: "curto"})
				root.kids = append(root.kids, jval{kind: jStr, key: "ticket", s: "SUP-1"}, req, resp, list, jval{kind: jStr, key: "fim", s: tt.body})
				return yamlNode(&root)
			}
			var want bytes.Buffer
			enc := yaml.NewEncoder(&want)
			enc.SetIndent(2)
			werr := enc.Encode(build())
			enc.Close()
			doc := build()
			got, err := encodeCaseYAML(doc)
			if werr != nil || err != nil {
				if werr == nil || err == nil {
					t.Fatalf("yaml.v3: %v; spliced: %v", werr, err)
				}
				return // neither writes it
			}
			if !bytes.Equal(got, want.Bytes()) {
				t.Fatalf("spliced:\n%s\nyaml.v3:\n%s", got, want.Bytes())
			}
			var back struct {
				Request struct{ Body string } `yaml:"request"`
				Fim     string                `yaml:"fim"`
			}
			if err := yaml.Unmarshal(got, &back); err != nil || back.Request.Body != tt.body || back.Fim != tt.body {
				t.Errorf("reads back as %q, %q (%v)", back.Request.Body, back.Fim, err)
			}
			if again, _ := encodeCaseYAML(doc); !bytes.Equal(again, got) {
				t.Errorf("the document was left changed: a second write differs")
			}
			if strings.Contains(string(got), "triagem-splice-") {
				t.Errorf("a placeholder is left in:\n%s", got)
			}
		})
	}
}

// Any text, spliced or not, is written as yaml.v3 writes it.
func TestCaseYAMLSpliceProperty(t *testing.T) {
	setSpliceMin(t, 1)
	any := []rune("{}[]\":,- #|>!&*.\n\t\r abcXYZ019éã東\u2028\u0085\ufeff👍\x7f\x00")
	plain := []rune("{}[]\":,-#|>!&*.\n\n abc19é東") // mostly spliced
	rapid.Check(t, func(t *rapid.T) {
		alphabet := any
		if rapid.Bool().Draw(t, "plain") {
			alphabet = plain
		}
		rs := rapid.SliceOfN(rapid.SampledFrom(alphabet), 1, 60).Draw(t, "body")
		body := string(rs)
		doc := func() *yaml.Node {
			root := jval{kind: jObj}
			req := jval{kind: jObj, key: "request"}
			req.kids = append(req.kids, jval{kind: jStr, key: "body", s: body})
			root.kids = append(root.kids, req, jval{kind: jStr, key: "fim", s: "x"})
			return yamlNode(&root)
		}
		var want bytes.Buffer
		enc := yaml.NewEncoder(&want)
		enc.SetIndent(2)
		werr := enc.Encode(doc())
		enc.Close()
		got, err := encodeCaseYAML(doc())
		if (werr != nil) != (err != nil) {
			t.Fatalf("yaml.v3: %v; spliced: %v", werr, err)
		}
		if err == nil && !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("body %q (plain: %v)\nspliced:\n%s\nyaml.v3:\n%s", body, literalPlain(body), got, want.Bytes())
		}
		if err == nil {
			sameText(t, doc(), want.Bytes(), rapid.IntRange(0, want.Len()+2).Draw(t, "prefix"))
		}
	})
}

// Scanning a spliced case.yaml in its parts finds what scanning the whole file finds, at the
// same lines: leaks inside a body, after it, between two bodies, in a comment-free document.
func TestScanSplicedIsScan(t *testing.T) {
	setSpliceMin(t, 16)
	red := defaultRedaction(t)
	body := func(n int, leak string) string {
		var b strings.Builder
		b.WriteString("[\n")
		for i := range n {
			if i > 0 {
				b.WriteString(",\n")
			}
			if i == n/2 {
				b.WriteString(`  {"cpf": "` + leak + `", "obs": "fulano@example.com.br"}`)
			} else {
				b.WriteString(`  {"id": 1}`)
			}
		}
		b.WriteString("\n]")
		return b.String()
	}
	tests := []struct {
		name   string
		bodies []string
		after  string
	}{
		{"a leak in the body", []string{body(9, cpfA)}, "nada"},
		{"a leak after the body", []string{body(5, "[cpf#1 …25]")}, "contato " + emailA},
		{"two bodies, leaks in both and after", []string{body(7, cpfA), body(3, cpfA)}, cpfA},
		{"a clean document", []string{body(4, "[cpf#1 …25]")}, "nada"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := jval{kind: jObj}
			req := jval{kind: jObj, key: "request"}
			req.kids = append(req.kids, jval{kind: jStr, key: "url", s: "https://x.example/" + cpfABare}, jval{kind: jStr, key: "body", s: tt.bodies[0]})
			root.kids = append(root.kids, jval{kind: jStr, key: "error", s: "falhou para " + emailA}, req)
			if len(tt.bodies) > 1 {
				resp := jval{kind: jObj, key: "response"}
				resp.kids = append(resp.kids, jval{kind: jStr, key: "body", s: tt.bodies[1]})
				root.kids = append(root.kids, resp)
			}
			root.kids = append(root.kids, jval{kind: jStr, key: "fim", s: tt.after})
			c, err := encodeCase(yamlNode(&root))
			if err != nil {
				t.Fatal(err)
			}
			if c.sp == nil || len(c.sp.bodies) != len(tt.bodies) {
				t.Fatalf("not spliced: %+v", c.sp)
			}
			want, err := Scan(red, "case.yaml", c.bytes())
			if err != nil {
				t.Fatal(err)
			}
			got, err := scanSpliced(red, "case.yaml", c)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("in parts: %v\nwhole: %v\n%s", got, want, c.bytes())
			}
			if len(want) < 2 {
				t.Errorf("the whole file's scan finds only %v: the test compares too little", want)
			}
		})
	}
	// A document that holds a placeholder's text of its own is not spliced.
	root := jval{kind: jObj}
	root.kids = append(root.kids, jval{kind: jStr, key: "error", s: placeholderOf(0)}, jval{kind: jStr, key: "body", s: body(5, cpfA)})
	data, sp, err := encodeCaseYAMLParts(yamlNode(&root))
	if err != nil || sp != nil {
		t.Fatalf("spliced over a placeholder's text (%v)", err)
	}
	var want bytes.Buffer
	enc := yaml.NewEncoder(&want)
	enc.SetIndent(2)
	enc.Encode(yamlNode(&root))
	enc.Close()
	if !bytes.Equal(data, want.Bytes()) {
		t.Errorf("not yaml.v3's bytes:\n%s", data)
	}
}

// sameText: case.yaml as Build holds it (encodeCase) is want, whole, written out, by its size,
// and cut at n for the summary's preview.
func sameText(t interface {
	Helper()
	Fatal(...any)
	Fatalf(string, ...any)
}, doc *yaml.Node, want []byte, n int) {
	t.Helper()
	c, err := encodeCase(doc)
	if err != nil {
		t.Fatal(err)
	}
	var w bytes.Buffer
	if err := c.writeTo(&w); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w.Bytes(), want) || !bytes.Equal(c.bytes(), want) || c.size != len(want) {
		t.Fatalf("written %d bytes, put together %d, size %d; want %d (spliced: %v)", w.Len(), len(c.bytes()), c.size, len(want), c.sp != nil)
	}
	if got := c.prefix(n); !bytes.Equal(got, want[:min(n, len(want))]) {
		t.Fatalf("prefix(%d) is %d bytes, not the text's first", n, len(got))
	}
}

// A body of many 64 KiB chunks, with lines longer than a chunk, written out and cut anywhere.
func TestCaseYAMLLargeSplice(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	for i := range 3000 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  \"" + strings.Repeat(string(rune('a'+i%26)), i%97) + "\"")
		if i%1000 == 999 {
			b.WriteString(",\n  \"" + strings.Repeat("x", 70<<10) + "\"")
		}
	}
	b.WriteString("\n]")
	doc := func() *yaml.Node {
		root := jval{kind: jObj}
		req := jval{kind: jObj, key: "request"}
		req.kids = append(req.kids, jval{kind: jStr, key: "body", s: b.String()})
		resp := jval{kind: jObj, key: "response"}
		resp.kids = append(resp.kids, jval{kind: jStr, key: "body", s: b.String()})
		root.kids = append(root.kids, req, resp, jval{kind: jStr, key: "fim", s: "x"})
		return yamlNode(&root)
	}
	var want bytes.Buffer
	enc := yaml.NewEncoder(&want)
	enc.SetIndent(2)
	if err := enc.Encode(doc()); err != nil {
		t.Fatal(err)
	}
	enc.Close()
	if c, _ := encodeCase(doc()); c.sp == nil || len(c.sp.bodies) != 2 {
		t.Fatal("not spliced: the test compares too little")
	}
	for _, n := range []int{0, 1, 100, 64 << 10, 64<<10 + 1, 200 << 10, want.Len() - 1, want.Len(), want.Len() + 1} {
		sameText(t, doc(), want.Bytes(), n)
	}
}

// literalPlain reads eight bytes at a time: it says what reading a character at a time says,
// wherever in a word the character that is not plain falls.
func TestLiteralPlainByWords(t *testing.T) {
	oneByOne := func(s string) bool {
		if s == "" || s[0] == ' ' || s[0] == '\n' || s[len(s)-1] == ' ' || s[len(s)-1] == '\n' ||
			strings.Contains(s, "\n\n") || strings.Contains(s, " \n") {
			return false
		}
		for _, r := range s {
			switch {
			case r == '\n', r >= 0x20 && r <= 0x7e:
			case r >= 0xa0 && r <= 0xd7ff && r != 0x2028 && r != 0x2029:
			case r >= 0xe000 && r <= 0xfffd && r != 0xfeff:
			default:
				return false
			}
		}
		return utf8.ValidString(s) // U+FFFD itself is plain; an invalid byte is not
	}
	alphabet := []string{"a", "Z", "0", " ", "{", "~", "\"", "\n", "é", "…", "東", "\t", "\x00", "\x1f", "\x7f", "\x80", "\xff", "\u2028", "\ufeff", "\ufffd", "👍"}
	// Each character at each place of the first words and the tail of a plain text.
	const plain = "{ \"cpf\": \"[cpf#1 ~25]\"}"
	for _, odd := range alphabet {
		for at := 1; at < len(plain); at++ {
			s := plain[:at] + odd + plain[at:]
			if got, want := literalPlain(s), oneByOne(s); got != want {
				t.Fatalf("literalPlain(%q) = %v, want %v", s, got, want)
			}
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		parts := rapid.SliceOfN(rapid.SampledFrom(alphabet[:7]), 0, 40).Draw(t, "plain")
		if rapid.Bool().Draw(t, "spoilt") {
			at := rapid.IntRange(0, len(parts)).Draw(t, "at")
			parts = append(parts[:at], append([]string{rapid.SampledFrom(alphabet).Draw(t, "odd")}, parts[at:]...)...)
		}
		s := "{" + strings.Join(parts, "") + "}"
		if got, want := literalPlain(s), oneByOne(s); got != want {
			t.Fatalf("literalPlain(%q) = %v, want %v", s, got, want)
		}
	})
}
