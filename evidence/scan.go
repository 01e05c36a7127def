package evidence

// Scan: what verify uses to tell that nothing is left in clear.

import (
	"bytes"
	"errors"
	"github.com/crefazon/triagem/rules"
	"io"
	"path"
	"regexp/syntax"
	"sort"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// ---- Scan ----

// Scan reports what would still be masked in data (used to verify a bundle has nothing in
// clear): JWT-looking strings, a "Bearer <value>" that is not a mask, "Authorization: ..."
// and secret fields in clear, valid CPF/CNPJ, e-mails and phones per the patterns. It reads
// data as the redactor wrote it: a .json file (or JSON content) value by value, a .yaml file
// node by node (and its comments as text), fenced yaml/json blocks of a .md file likewise,
// anything else as text. Findings carry a line number and a kind, never the value.
func Scan(r rules.Redaction, name string, data []byte) ([]Finding, error) {
	rd, err := NewRedactor(r)
	if err != nil {
		return nil, err
	}
	rd.scan = &scanState{file: name, findings: []Finding{}}
	rd.scanData(name, string(data), 1)
	sort.SliceStable(rd.scan.findings, func(i, j int) bool { return rd.scan.findings[i].Line < rd.scan.findings[j].Line })
	return rd.scan.findings, nil
}

// scanSpliced is Scan of a case.yaml as encodeCase made it, in its parts when it was
// spliced: the document yaml.v3 wrote is parsed, and each body is scanned where its
// placeholder stands, with the lines it has in the whole, so that the findings are Scan's
// over the whole text (TestScanSplicedIsScan) without the bodies' megabytes going through a
// YAML parser, nor the whole being put together.
func scanSpliced(r rules.Redaction, name string, c *caseYAML) ([]Finding, error) {
	sp := c.sp
	if sp == nil {
		return Scan(r, name, c.whole)
	}
	rd, err := NewRedactor(r)
	if err != nil {
		return nil, err
	}
	st := &scanState{file: name, findings: []Finding{}, splice: make(map[string]string, len(sp.bodies)), prescans: c.scanned}
	for i, b := range sp.bodies {
		ph := placeholderOf(i)
		at := bytes.Index(sp.head, []byte(strings.TrimSuffix(ph, "end")))
		if at < 0 {
			return Scan(r, name, c.bytes())
		}
		end := bytes.Count(sp.head[:at], []byte("\n")) + 2 // the placeholder's second line
		st.splice[ph] = b
		st.shifts = append(st.shifts, lineShift{after: end, by: strings.Count(b, "\n") - 1})
	}
	rd.scan = st
	if !rd.scanYAML(name, string(sp.head), 1) {
		return Scan(r, name, c.bytes())
	}
	sort.SliceStable(st.findings, func(i, j int) bool { return st.findings[i].Line < st.findings[j].Line })
	return st.findings, nil
}

func (rd *Redactor) scanData(name, s string, line int) {
	ext := strings.ToLower(path.Ext(name))
	trimmed := strings.TrimSpace(s)
	switch {
	case ext == ".json" || ext == ".jsonl" || ext == ".ndjson" || ext == "" && trimmed != "" && (trimmed[0] == '{' || trimmed[0] == '['):
		if rd.scanJSON(name, s, line) {
			return
		}
	case ext == ".yaml" || ext == ".yml":
		if rd.scanYAML(name, s, line) {
			return
		}
	case ext == ".md" || ext == ".markdown":
		rd.scanMarkdown(name, s, line)
		return
	}
	rd.text(&walker{file: name}, s, line)
}

func (rd *Redactor) scanJSON(name, s string, line int) bool {
	// Whitespace before the value moves its first line.
	lead := s[:len(s)-len(strings.TrimLeft(s, " \t\r\n"))]
	line0 := line + strings.Count(lead, "\n")
	if v, err := parseJSON(strings.TrimSpace(s), line0); err == nil {
		rd.walk(&walker{file: name}, &v, 0)
		return true
	}
	var vals []jval
	for i, l := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(l); t != "" {
			v, err := parseJSON(t, line+i)
			if err != nil {
				return false
			}
			vals = append(vals, v)
		}
	}
	for i := range vals {
		rd.walk(&walker{file: name}, &vals[i], 0)
	}
	return true
}

func (rd *Redactor) scanYAML(name, s string, line int) bool {
	dec := yaml.NewDecoder(strings.NewReader(s))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return false
		}
		docs = append(docs, &n)
	}
	w := &walker{file: name}
	for _, n := range docs {
		v := rd.fromYAML(w, n, line-1)
		rd.walk(w, &v, 0)
	}
	return true
}

// fromYAML turns YAML nodes into a tree for walk, with the lines of the file; comments are
// scanned as text on the way.
func (rd *Redactor) fromYAML(w *walker, n *yaml.Node, base int) jval {
	nline := rd.scan.line(n.Line)
	for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
		if c != "" {
			rd.text(w, c, base+nline)
		}
	}
	v := jval{line: int32(base + nline)}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 1 {
			return rd.fromYAML(w, n.Content[0], base)
		}
		return v
	case yaml.SequenceNode:
		v.kind = jArr
		for _, c := range n.Content {
			v.kids = append(v.kids, rd.fromYAML(w, c, base))
		}
	case yaml.MappingNode:
		v.kind = jObj
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := rd.fromYAML(w, n.Content[i], base)
			if k.kind != jStr && k.kind != jNum && k.kind != jBool {
				k.s = ""
			}
			kid := rd.fromYAML(w, n.Content[i+1], base)
			kid.key = k.s
			v.kids = append(v.kids, kid)
		}
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
		case "!!bool":
			v.kind, v.s = jBool, n.Value
		case "!!int", "!!float":
			v.kind, v.s = jNum, n.Value
		default:
			v.kind, v.s = jStr, n.Value
			if body, ok := rd.scan.splice[n.Value]; ok {
				v.s = body
			}
			if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
				v.line++ // a block's text starts on the next line
			}
		}
	}
	return v
}

// scanMarkdown scans fenced yaml and json blocks as such (the summary quotes case.yaml) and
// the rest as text.
func (rd *Redactor) scanMarkdown(name, s string, line int) {
	lines := strings.SplitAfter(s, "\n")
	var text strings.Builder
	textLine := line
	flush := func(next int) {
		if text.Len() > 0 {
			rd.text(&walker{file: name}, text.String(), textLine)
			text.Reset()
		}
		textLine = next
	}
	unclosed := false // once a fence has no end, no later one has
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if lang, ok := strings.CutPrefix(l, "```"); ok && !unclosed && (lang == "yaml" || lang == "yml" || lang == "json") {
			end := i + 1
			for end < len(lines) && strings.TrimSpace(lines[end]) != "```" {
				end++
			}
			unclosed = end == len(lines)
			if !unclosed {
				flush(line + end + 1)
				block := strings.Join(lines[i+1:end], "")
				if !(lang == "json" && rd.scanJSON(name, block, line+i+1)) && !(lang != "json" && rd.scanYAML(name, block, line+i+1)) {
					rd.text(&walker{file: name}, block, line+i+1)
				}
				i = end
				continue
			}
		}
		text.WriteString(lines[i])
	}
	flush(0)
}

// ---- regex pre-filters ----

// minDigits is the fewest digits any match of re holds.
func minDigits(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		if re.Flags&syntax.FoldCase == 0 {
			for _, r := range re.Rune {
				if r >= '0' && r <= '9' {
					n++
				}
			}
		}
		return n
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] < '0' || re.Rune[i+1] > '9' {
				return 0
			}
		}
		if len(re.Rune) == 0 {
			return 0
		}
		return 1
	case syntax.OpCapture:
		return minDigits(re.Sub[0])
	case syntax.OpPlus:
		return minDigits(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min * minDigits(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n += minDigits(s)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, s := range re.Sub {
			if m := minDigits(s); n < 0 || m < n {
				n = m
			}
		}
		return max(n, 0)
	}
	return 0
}

// anyOf are texts of which every match of re holds at least one (nil: none known). An e-mail
// pattern's matches hold "@", "%40" or "%2540": a mask without any (a CPF's, a phone's) is
// not looked at by it.
func anyOf(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 || len(re.Rune) == 0 {
			return nil
		}
		return []string{string(re.Rune)}
	case syntax.OpCapture, syntax.OpPlus:
		return anyOf(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min > 0 {
			return anyOf(re.Sub[0])
		}
	case syntax.OpConcat:
		// Each part is in every match: the one whose texts are the rarest (the longest
		// shortest text, then the fewest) says the most.
		var best []string
		for _, s := range re.Sub {
			if l := anyOf(s); l != nil && (best == nil || shortest(l) > shortest(best) || shortest(l) == shortest(best) && len(l) < len(best)) {
				best = l
			}
		}
		return best
	case syntax.OpAlternate:
		var all []string
		for _, s := range re.Sub {
			l := anyOf(s)
			if l == nil {
				return nil
			}
			all = append(all, l...)
		}
		return all
	}
	return nil
}

// leadCheck: every match holds one of lits right after a rune of class. An e-mail pattern
// starts [\p{L}\p{N}._%+-]+ then "@" or "%...": the e-mail mask's one "@" follows "…", which no
// e-mail's name holds, and the pattern need not look at the mask.
type leadCheck struct {
	lits  []string
	class []rune // ranges, lo and hi in pairs, sorted (as syntax.Regexp keeps them)
}

// leadOf finds, in a sequence, a run of one or more of a class followed by a part every match
// of which starts with one of some texts.
func leadOf(re *syntax.Regexp) *leadCheck {
	switch re.Op {
	case syntax.OpCapture:
		return leadOf(re.Sub[0])
	case syntax.OpConcat:
		for i := 1; i < len(re.Sub); i++ {
			prev := re.Sub[i-1]
			if !(prev.Op == syntax.OpPlus || prev.Op == syntax.OpRepeat && prev.Min >= 1) {
				continue
			}
			if c := prev.Sub[0]; c.Op == syntax.OpCharClass && c.Flags&syntax.FoldCase == 0 && len(c.Rune) > 0 {
				if lits := startsWith(re.Sub[i]); lits != nil {
					return &leadCheck{lits: lits, class: c.Rune}
				}
			}
		}
	}
	return nil
}

// startsWith are texts one of which every match of re starts with (nil: none known).
func startsWith(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 || len(re.Rune) == 0 {
			return nil
		}
		return []string{string(re.Rune)}
	case syntax.OpCapture, syntax.OpPlus:
		return startsWith(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min > 0 {
			return startsWith(re.Sub[0])
		}
	case syntax.OpConcat:
		if len(re.Sub) > 0 {
			return startsWith(re.Sub[0])
		}
	case syntax.OpAlternate:
		var all []string
		for _, s := range re.Sub {
			l := startsWith(s)
			if l == nil {
				return nil
			}
			all = append(all, l...)
		}
		return all
	}
	return nil
}

// holds tells whether s holds one of the texts right after a rune of the class.
func (c *leadCheck) holds(s string) bool {
	for _, lit := range c.lits {
		for from := 0; ; {
			i := strings.Index(s[from:], lit)
			if i < 0 {
				break
			}
			at := from + i
			if at > 0 {
				r, _ := utf8.DecodeLastRuneInString(s[:at])
				if inClass(c.class, r) {
					return true
				}
			}
			from = at + 1
		}
	}
	return false
}

func inClass(ranges []rune, r rune) bool {
	n := len(ranges) / 2
	i := sort.Search(n, func(i int) bool { return ranges[2*i+1] >= r })
	return i < n && ranges[2*i] <= r
}

func shortest(l []string) int {
	n := len(l[0])
	for _, s := range l[1:] {
		n = min(n, len(s))
	}
	return n
}

// mustBytes are the ASCII bytes every match of re holds.
func mustBytes(re *syntax.Regexp) []byte {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil
		}
		var b []byte
		for _, r := range re.Rune {
			if r < utf8.RuneSelf && !bytes.ContainsRune(b, r) {
				b = append(b, byte(r))
			}
		}
		return b
	case syntax.OpCharClass:
		if len(re.Rune) == 2 && re.Rune[0] == re.Rune[1] && re.Rune[0] < utf8.RuneSelf {
			return []byte{byte(re.Rune[0])}
		}
	case syntax.OpCapture, syntax.OpPlus:
		return mustBytes(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min > 0 {
			return mustBytes(re.Sub[0])
		}
	case syntax.OpConcat:
		var b []byte
		for _, s := range re.Sub {
			for _, c := range mustBytes(s) {
				if bytes.IndexByte(b, c) < 0 {
					b = append(b, c)
				}
			}
		}
		return b
	case syntax.OpAlternate:
		var b []byte
		for i, s := range re.Sub {
			m := mustBytes(s)
			if i == 0 {
				b = m
				continue
			}
			var keep []byte
			for _, c := range b {
				if bytes.IndexByte(m, c) >= 0 {
					keep = append(keep, c)
				}
			}
			b = keep
		}
		return b
	}
	return nil
}
