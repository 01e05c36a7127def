package render

import (
	"regexp"
	"strings"
	"sync"
)

var (
	bulletItem  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^- `) })
	orderedItem = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d{1,3}\. `) })
	loneURL     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^https?://\S+$`) })
)

// ReplyMarkdown turns a plain-text reply into CommonMark that reads the same once rendered:
//   - a list is set apart from the text around it by blank lines, so the paragraph after a
//     list stays a paragraph instead of being swallowed into the last item;
//   - a line break inside a paragraph (the sign-off under "Atenciosamente,") is kept as a
//     hard break;
//   - a link alone on its line becomes an autolink;
//   - characters Markdown would read as markup (* _ ` [ ] < > \ and a leading #) are escaped.
func ReplyMarkdown(reply string) string {
	type block struct {
		kind  string // text, bullet, ordered
		lines []string
	}
	var blocks []block
	for _, para := range strings.Split(strings.TrimSpace(reply), "\n\n") {
		var cur *block
		for _, line := range strings.Split(para, "\n") {
			line = strings.TrimRight(line, " \t")
			if line == "" {
				continue
			}
			kind := "text"
			switch {
			case bulletItem().MatchString(line):
				kind = "bullet"
			case orderedItem().MatchString(line):
				kind = "ordered"
			}
			if cur == nil || cur.kind != kind {
				blocks = append(blocks, block{kind: kind})
				cur = &blocks[len(blocks)-1]
			}
			cur.lines = append(cur.lines, line)
		}
	}
	out := make([]string, 0, len(blocks))
	for _, b := range blocks {
		lines := make([]string, len(b.lines))
		for i, line := range b.lines {
			switch b.kind {
			case "bullet":
				lines[i] = "- " + mdInline(line[2:])
			case "ordered":
				n := strings.Index(line, ". ")
				lines[i] = line[:n+2] + mdInline(line[n+2:])
			default:
				lines[i] = mdInline(line)
				if i < len(b.lines)-1 {
					lines[i] += "\\" // a hard line break
				}
			}
		}
		out = append(out, strings.Join(lines, "\n"))
	}
	return strings.Join(out, "\n\n")
}

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`, `<`, `\<`, `>`, `\>`,
)

// mdInline escapes a line of text for CommonMark; a URL alone on the line becomes an autolink.
func mdInline(s string) string {
	if loneURL().MatchString(s) {
		return "<" + s + ">"
	}
	s = mdEscaper.Replace(s)
	if strings.HasPrefix(s, "#") || strings.HasPrefix(s, "+") || strings.HasPrefix(s, "=") {
		s = `\` + s
	}
	return s
}

// mdText escapes a short text (a label) for a Markdown table cell.
func mdText(s string) string { return mdCell(mdEscaper.Replace(s)) }
