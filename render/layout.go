package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// Screen is what a person's output is laid out for: its width in columns, whether it shows
// colour, and whether passing checks are listed one by one.
type Screen struct {
	Width int
	Color bool
	All   bool
}

// DefaultWidth is the width when neither the terminal nor COLUMNS tells one.
const DefaultWidth = 100

// minWidth is the narrowest layout attempted; below it lines simply run over.
const minWidth = 40

func (s Screen) width() int {
	switch {
	case s.Width <= 0:
		return DefaultWidth
	case s.Width < minWidth:
		return minWidth
	}
	return s.Width
}

// SGR colours, used only when Screen.Color is set.
const (
	red    = "31"
	yellow = "33"
	green  = "32"
	bold   = "1"
	dim    = "2"
)

func (s Screen) paint(sgr, text string) string {
	if !s.Color || text == "" {
		return text
	}
	return "\x1b[" + sgr + "m" + text + "\x1b[0m"
}

// textWidth is the number of columns text takes on a terminal (colour codes take none).
// Most of what is measured is counted here directly; the rest goes to twwidth without its
// cache, a locked LRU that workers rendering in parallel would queue on.
// Portuguese letters and the symbols the tables use (box lines, ✓ ✗ – — … ·) are one column
// each and counted as runes; colour codes, combining marks, wide scripts and emoji go to
// twwidth.
func textWidth(text string) int {
	n := 0
	for _, r := range text {
		switch {
		case r >= 0x20 && r < 0x7f, r >= 0xa0 && r < 0x300, r >= 0x2010 && r <= 0x2027,
			r >= 0x2500 && r <= 0x257f, r == 0x2713, r == 0x2717:
			n++
		default:
			return twwidth.WidthNoCache(text)
		}
	}
	return n
}

// isURL tells a word people copy whole: it is never split across lines or table borders.
func isURL(word string) bool {
	return strings.HasPrefix(word, "https://") || strings.HasPrefix(word, "http://")
}

// footnotes collects the URLs taken out of a table, listed below it as [n] URL.
type footnotes struct{ urls []string }

func (f *footnotes) ref(url string) string {
	for i, u := range f.urls {
		if u == url {
			return fmt.Sprintf("[%d]", i+1)
		}
	}
	f.urls = append(f.urls, url)
	return fmt.Sprintf("[%d]", len(f.urls))
}

func (f *footnotes) write(w io.Writer) {
	for i, u := range f.urls {
		fmt.Fprintf(w, "[%d] %s\n", i+1, u)
	}
}

// wrapCell breaks text into lines of at most width columns at spaces. A URL longer than the
// width goes to the footnotes; any other word longer than the width is cut (ids and tokens,
// which are not words one reads).
func wrapCell(text string, width int, notes *footnotes) string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		var words []string
		for _, word := range strings.Fields(para) {
			switch {
			case textWidth(word) <= width:
				words = append(words, word)
			case isURL(word) && notes != nil:
				words = append(words, notes.ref(word))
			default:
				words = append(words, cut(word, width)...)
			}
		}
		lines = append(lines, fill(words, width, "")...)
	}
	return strings.Join(lines, "\n")
}

// fill lays words on lines of at most width columns; lines after the first start with indent.
func fill(words []string, width int, indent string) []string {
	var lines []string
	var line strings.Builder
	n := 0
	for _, word := range words {
		wl := textWidth(word)
		if n > 0 && n+1+wl > width {
			lines = append(lines, line.String())
			line.Reset()
			line.WriteString(indent)
			n = textWidth(indent)
		} else if n > 0 {
			line.WriteByte(' ')
			n++
		}
		line.WriteString(word)
		n += wl
	}
	return append(lines, line.String())
}

// cut splits a word longer than width into pieces of width columns.
func cut(word string, width int) []string {
	var parts []string
	var part strings.Builder
	n := 0
	for _, r := range word {
		rw := textWidth(string(r))
		if n+rw > width && n > 0 {
			parts = append(parts, part.String())
			part.Reset()
			n = 0
		}
		part.WriteRune(r)
		n += rw
	}
	return append(parts, part.String())
}

// WrapText wraps running text (a reply, a note) to width for reading on the screen.
// A line that starts a list ("- ", "1. ", a checklist's "✓ ") continues under its text, not under its mark;
// a URL is never broken, even when it alone is wider than the screen.
func WrapText(text string, width int) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if textWidth(line) <= width {
			out = append(out, line)
			continue
		}
		trimmed := strings.TrimLeft(line, " ")
		lead := line[:len(line)-len(trimmed)]
		indent := lead
		if mark, _, ok := strings.Cut(trimmed, " "); ok && isListMark(mark) {
			indent += strings.Repeat(" ", textWidth(mark)+1)
		}
		words := strings.Fields(trimmed)
		if len(words) > 0 {
			words[0] = lead + words[0]
		}
		out = append(out, fill(words, width, indent)...)
	}
	return strings.Join(out, "\n")
}

func isListMark(s string) bool {
	if s == "-" || s == "*" || s == "•" || s == "✓" || s == "✗" { // ✓ ✗: a checklist's items
		return true
	}
	digits := strings.TrimRight(s, ".)")
	if digits == s || digits == "" {
		return false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Column is one column of a table: its header, and whether its values may be wrapped to
// make the table fit (words, messages) or must stay whole (ids, sections, counts).
type Column struct {
	Header string
	Wraps  bool
}

// grid is a table to lay out for a screen.
type grid struct {
	cols []Column
	rows [][]string
}

// borders is what the box adds to n columns: "│ " before each, " │" at the end.
func borders(n int) int { return 3*n + 1 }

// minColumn is the narrowest a wrapping column gets before the table gives way to a list.
const minColumn = 12

// render draws the grid as a bordered table that fits the screen: the wrapping columns
// share what the whole columns leave. A table that cannot fit becomes a list of records
// (the first column as title, the others as "header: value" lines). URLs in cells become
// [n] references, listed below the table on lines of their own.
func (g grid) render(w io.Writer, s Screen) error {
	width := s.width()
	notes := &footnotes{}
	// URLs first: a cell that is a URL is a reference, whatever the width.
	rows := make([][]string, len(g.rows))
	for i, r := range g.rows {
		rows[i] = make([]string, len(r))
		for j, cell := range r {
			if isURL(cell) && !strings.ContainsAny(cell, " \n") {
				cell = notes.ref(cell)
			}
			rows[i][j] = cell
		}
	}
	widths, ok := g.fit(rows, width)
	if !ok {
		g.writeRecords(w, rows, width, notes)
		notes.write(w)
		return nil
	}
	headers := make([]string, len(g.cols))
	for i, c := range g.cols {
		headers[i] = c.Header
	}
	cells := make([][]string, len(rows))
	used := make([]int, len(widths)) // a column is as wide as its widest line once wrapped
	for j, h := range headers {
		used[j] = textWidth(h)
	}
	for i, r := range rows {
		cells[i] = make([]string, len(r))
		for j, cell := range r {
			cells[i][j] = wrapCell(cell, widths[j], notes)
			for _, line := range strings.Split(cells[i][j], "\n") {
				used[j] = max(used[j], textWidth(line))
			}
		}
	}
	widths = used
	if _, err := io.WriteString(w, drawBox(headers, cells, widths)); err != nil {
		return err
	}
	notes.write(w)
	return nil
}

// fit chooses each column's width: whole columns their longest line, wrapping columns a
// fair share of the rest (water-filling: a column that needs less than its share gives the
// difference to the others). It fails when a wrapping column would get less than minColumn.
func (g grid) fit(rows [][]string, width int) ([]int, bool) {
	n := len(g.cols)
	natural := make([]int, n)
	for j, c := range g.cols {
		natural[j] = textWidth(c.Header)
	}
	for _, r := range rows {
		for j, cell := range r {
			for _, line := range strings.Split(cell, "\n") {
				natural[j] = max(natural[j], textWidth(line))
			}
		}
	}
	room := width - borders(n)
	var flex []int
	for j, c := range g.cols {
		if c.Wraps {
			flex = append(flex, j)
		} else {
			room -= natural[j]
		}
	}
	widths := append([]int(nil), natural...)
	total := 0
	for _, j := range flex {
		total += natural[j]
	}
	if total <= room {
		return widths, room >= 0
	}
	// Hand out room to the wrapping columns: one that needs less than a fair share takes
	// what it needs, one whose header is wider than the share takes its header's width (a
	// header is not wrapped), and the others share the rest.
	pending := append([]int(nil), flex...)
	for len(pending) > 0 {
		share := room / len(pending)
		if share < minColumn {
			return nil, false
		}
		settled := false
		for i, j := range pending {
			need := textWidth(g.cols[j].Header)
			if natural[j] <= share || need > share {
				widths[j] = max(min(natural[j], share), need)
				room -= widths[j]
				pending = append(pending[:i], pending[i+1:]...)
				settled = true
				break
			}
		}
		if !settled {
			for i, j := range pending {
				widths[j] = share
				if i < room%len(pending) {
					widths[j]++
				}
			}
			return widths, true
		}
	}
	return widths, room >= 0
}

// writeRecords is the narrow form of a table: one block per row.
func (g grid) writeRecords(w io.Writer, rows [][]string, width int, notes *footnotes) {
	for i, r := range rows {
		if i > 0 {
			fmt.Fprintln(w)
		}
		for j, cell := range r {
			if j == 0 {
				fmt.Fprintln(w, wrapCell(cell, width, notes))
				continue
			}
			if strings.TrimSpace(cell) == "" {
				continue
			}
			label := "  " + g.cols[j].Header + ":"
			value := wrapCell(cell, width-4, notes)
			if !strings.Contains(value, "\n") && textWidth(label)+1+textWidth(value) <= width {
				fmt.Fprintln(w, label, value)
				continue
			}
			fmt.Fprintln(w, label)
			for _, line := range strings.Split(value, "\n") {
				fmt.Fprintln(w, "    "+line)
			}
		}
	}
}

// Grid writes rows under cols as a table that fits the screen (or, too narrow for it, as a
// list of records); URLs in cells are listed below it.
func Grid(w io.Writer, s Screen, cols []Column, rows [][]string) error {
	return grid{cols: cols, rows: rows}.render(w, s)
}

const blanks = "                                                                                "

// pad writes n spaces.
func pad(b *strings.Builder, n int) {
	for n > len(blanks) {
		b.WriteString(blanks)
		n -= len(blanks)
	}
	if n > 0 {
		b.WriteString(blanks[:n])
	}
}

// drawBox draws the header and rows, already wrapped to widths, in a box of light lines.
// It is written here rather than left to tablewriter: the widths and the wrapping are ours
// already, and tablewriter's table builds caches per table that made a batch of verdicts
// several times slower than the same batch in JSON.
func drawBox(headers []string, rows [][]string, widths []int) string {
	var b strings.Builder
	b.Grow((len(rows) + 4) * (len(widths)*4 + sum(widths)) * 2)
	rule := func(left, mid, right string) {
		b.WriteString(left)
		for i, w := range widths {
			if i > 0 {
				b.WriteString(mid)
			}
			b.WriteString(strings.Repeat("─", w+2))
		}
		b.WriteString(right + "\n")
	}
	row := func(cells []string) {
		lines := make([][]string, len(widths))
		height := 1
		for i := range widths {
			if i < len(cells) {
				lines[i] = strings.Split(cells[i], "\n")
			}
			height = max(height, len(lines[i]))
		}
		for k := range height {
			for i, w := range widths {
				text := ""
				if k < len(lines[i]) {
					text = lines[i][k]
				}
				b.WriteString("│ ")
				b.WriteString(text)
				pad(&b, w-textWidth(text))
				b.WriteByte(' ')
			}
			b.WriteString("│\n")
		}
	}
	rule("┌", "┬", "┐")
	row(headers)
	rule("├", "┼", "┤")
	for _, r := range rows {
		row(r)
	}
	rule("└", "┴", "┘")
	return b.String()
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
