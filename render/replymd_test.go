package render_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/directory"
	"github.com/crefazon/triagem/render"
	"github.com/crefazon/triagem/rules"
)

// bundledVerdicts diagnoses every bundled case, with the bundled directory, in lang.
func bundledVerdicts(t *testing.T, lang diagnose.Lang) []*diagnose.Verdict {
	t.Helper()
	r, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := directory.Open(filepath.Join("..", "testdata", "directory.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ch := &diagnose.Chain{Rules: r, Dir: dir, Lang: lang}
	paths, _ := filepath.Glob(filepath.Join("..", "testdata", "cases", "*.yaml"))
	if len(paths) == 0 {
		t.Fatal("no bundled cases")
	}
	var out []*diagnose.Verdict
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		c, err := diagnose.ParseCase(filepath.Base(p), data)
		if err != nil {
			t.Fatal(err)
		}
		v, err := ch.Diagnose(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// textOf is the plain text of a node's inline content, soft and hard breaks as spaces.
func textOf(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := c.(type) {
		case *ast.Text:
			b.Write(x.Segment.Value(src))
			if x.SoftLineBreak() || x.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(x.Value)
		case *ast.AutoLink:
			b.Write(x.URL(src))
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	// Segments keep Markdown's backslash escapes; the reader sees the character alone.
	return strings.TrimSpace(mdEscape.ReplaceAllString(b.String(), "$1"))
}

var mdEscape = regexp.MustCompile("\\\\([!-/:-@\\[-`{-~])")

var listLine = regexp.MustCompile(`^(- |\d+\. )`)

// TestMarkdownReplyIsCommonMark renders each bundled case's Markdown with a CommonMark parser
// and checks that the reply keeps its structure: every paragraph of the plain reply is a
// paragraph of the quote (never swallowed into the list before it), every list line an item
// of a list, the documentation link a link, and the signature under the sign-off.
func TestMarkdownReplyIsCommonMark(t *testing.T) {
	md := goldmark.New()
	for _, lang := range []diagnose.Lang{"pt-BR", "en"} {
		for _, v := range bundledVerdicts(t, lang) {
			name := v.Case + " " + string(lang)
			var buf bytes.Buffer
			if err := render.Markdown(&buf, v); err != nil {
				t.Fatal(err)
			}
			src := buf.Bytes()
			doc := md.Parser().Parse(text.NewReader(src))

			// The quote right after the "reply" heading.
			heading := map[diagnose.Lang]string{"pt-BR": "Resposta ao parceiro", "en": "Reply to the partner"}[lang]
			var quote ast.Node
			for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
				if h, ok := n.(*ast.Heading); ok && textOf(h, src) == heading {
					quote = n.NextSibling()
				}
			}
			if quote == nil || quote.Kind() != ast.KindBlockquote {
				t.Fatalf("%s: no block quote after the %q heading:\n%s", name, heading, src)
			}

			// What the parser made of the quote: paragraphs and list items, in order.
			var got []string
			for n := quote.FirstChild(); n != nil; n = n.NextSibling() {
				switch n.Kind() {
				case ast.KindParagraph:
					got = append(got, "P "+textOf(n, src))
				case ast.KindList:
					for it := n.FirstChild(); it != nil; it = it.NextSibling() {
						if it.ChildCount() != 1 {
							t.Errorf("%s: a list item holds %d blocks (a paragraph swallowed into the list?): %q", name, it.ChildCount(), textOf(it, src))
						}
						got = append(got, "I "+textOf(it, src))
					}
				default:
					t.Errorf("%s: unexpected %s in the reply", name, n.Kind())
				}
			}
			// What it should be, from the plain reply.
			var want []string
			for _, para := range strings.Split(v.Reply, "\n\n") {
				var text []string
				flush := func() {
					if len(text) > 0 {
						want = append(want, "P "+strings.Join(text, " "))
						text = nil
					}
				}
				for _, line := range strings.Split(para, "\n") {
					if m := listLine.FindString(line); m != "" {
						flush()
						want = append(want, "I "+strings.TrimPrefix(line, m))
						continue
					}
					text = append(text, line)
				}
				flush()
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s: the Markdown reply does not read as the reply:\n--- rendered\n%s\n--- reply\n%s", name, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}

			// The documentation link is a link, and the sign-off keeps its line break.
			var html bytes.Buffer
			if err := md.Convert(src, &html); err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.Split(v.Reply, "\n") {
				if strings.HasPrefix(line, "https://") && !strings.Contains(html.String(), `<a href="`+line+`">`+line+`</a>`) {
					t.Errorf("%s: %s is not rendered as a link", name, line)
				}
			}
			signOff := map[diagnose.Lang]string{"pt-BR": "Atenciosamente,<br>", "en": "Kind regards,<br>"}[lang]
			if !strings.Contains(html.String(), signOff) {
				t.Errorf("%s: the signature is not under the sign-off:\n%s", name, html.String())
			}
		}
	}
}

func TestReplyMarkdownEscapes(t *testing.T) {
	reply := "Olá!\n\nEnvie Bearer <token> e *não* mude o [campo] `x` nem o_campo_y.\n# não é título\n\n1. Um passo.\n2. Outro.\nDepois da lista.\n\nhttps://docs.example/a#b"
	var html bytes.Buffer
	if err := goldmark.Convert([]byte(render.ReplyMarkdown(reply)), &html); err != nil {
		t.Fatal(err)
	}
	got := html.String()
	for _, want := range []string{
		"Bearer &lt;token&gt; e *não* mude o [campo] `x` nem o_campo_y.<br>\n# não é título</p>",
		"<ol>\n<li>Um passo.</li>\n<li>Outro.</li>\n</ol>\n<p>Depois da lista.</p>",
		`<p><a href="https://docs.example/a#b">https://docs.example/a#b</a></p>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("rendered HTML lacks %q:\n%s", want, got)
		}
	}
	for _, bad := range []string{"<em>", "<code>", "<h1>", "<token>"} {
		if strings.Contains(got, bad) {
			t.Errorf("rendered HTML holds %s: the text was read as markup:\n%s", bad, got)
		}
	}
}

func TestReplyFormatPrintsOnlyTheReply(t *testing.T) {
	for _, v := range bundledVerdicts(t, "pt-BR") {
		var buf bytes.Buffer
		if err := render.Verdict(&buf, "reply", v, render.Screen{Width: 80}); err != nil {
			t.Fatal(err)
		}
		if buf.String() != v.Reply+"\n" {
			t.Errorf("%s: -o reply printed more than the reply:\n%s", v.Case, buf.String())
		}
		if strings.Contains(buf.String(), v.Category) || strings.Contains(buf.String(), render.ReplySeparator) {
			t.Errorf("%s: -o reply holds the category id or the separator", v.Case)
		}
	}
}

func TestMarkdownShowsLabels(t *testing.T) {
	for _, v := range bundledVerdicts(t, "pt-BR") {
		var buf bytes.Buffer
		if err := render.Markdown(&buf, v); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			"| **Veredito** | " + diagnose.CategoryLabel(v.Category, "pt-BR") + " (`" + v.Category + "`) |",
			"| **Ação** | " + diagnose.ActionLabel(v.Action, "pt-BR") + " (`" + v.Action + "`) |",
		} {
			if !strings.Contains(buf.String(), want) {
				t.Errorf("%s: Markdown lacks %q", v.Case, want)
			}
		}
	}
}
