package intake

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"mvdan.cc/sh/v3/syntax"
)

// ErrNotCurl is wrapped by the errors ParseCurl returns when the text is not a curl command at
// all (empty, binary, another program), as opposed to a curl command it cannot read. A caller
// that tries several readers uses it to move on to the next one.
var ErrNotCurl = errors.New("not a curl command")

// curlNotCurlError is an error that says the text is not a curl command.
type curlNotCurlError struct{ msg string }

func (e *curlNotCurlError) Error() string { return e.msg }
func (e *curlNotCurlError) Unwrap() error { return ErrNotCurl }

// ParseCurl reads a curl command line as a shell would split it, and returns the request it sends.
// readFile reads @file arguments (-d @body.json, --data-binary @file, --json @file); "-" reads stdin.
//
// The text may be a bash or sh command (quotes, $'...', backslash-newline continuations, a
// leading "$ " prompt), or a Windows cmd one-liner such as Chrome's "Copy as cURL (cmd)" writes
// (curl.exe, ^ escapes and continuations, \" inside "..."). Of several commands only the first
// curl one is read, and a Note says so. Shell variables and command substitutions are kept as
// written, never run. Error messages name options and positions, never their values, since
// values may be tokens, keys or passwords. Positions count the words after curl, from 1.
func ParseCurl(cmdline string, readFile func(name string) ([]byte, error)) (*Request, error) {
	text, notes, err := curlCleanText(cmdline)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, &curlNotCurlError{"the input is empty: no curl command to read"}
	}
	text = curlStripPrompt(text)
	var cmd *curlCommand
	if curlLooksWindows(text) {
		cmd, err = curlSplitWindows(text)
	} else {
		cmd, err = curlSplitShell(strings.ReplaceAll(text, "\r\n", "\n"))
	}
	if err != nil {
		return nil, err
	}
	p := &curlParser{cmd: cmd, readFile: readFile, seen: map[string]bool{}}
	for _, n := range notes {
		p.note(n)
	}
	for _, n := range cmd.notes {
		p.note(n)
	}
	return p.parse()
}

// curlWord is one argument of the command, after the shell's quote removal.
type curlWord struct {
	text      string
	line, col int // where the word starts in the text, from 1 (columns count bytes)
}

// curlCommand is the curl command found in the text.
type curlCommand struct {
	words []curlWord // words[0] is the curl program itself

	stdin     []byte // from a here-document or here-string
	hasStdin  bool
	stdinFile string // from "< file"

	notes []Note
}

// ---- text clean-up ----

// curlCleanText rejects binary input and reads non-UTF-8 text as Windows-1252.
func curlCleanText(s string) (string, []Note, error) {
	s = strings.TrimPrefix(s, "\ufeff")
	var notes []Note
	if !utf8.ValidString(s) {
		high := 0
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				high++
			}
		}
		if high*4 > len(s) {
			return "", nil, &curlNotCurlError{"the input is binary data, not a curl command line"}
		}
		dec, err := charmap.Windows1252.NewDecoder().String(s)
		if err != nil {
			return "", nil, &curlNotCurlError{"the input is binary data, not a curl command line"}
		}
		s = dec
		notes = append(notes, note("curl.cp1252"))
	}
	line, col := 1, 1
	for _, r := range s {
		switch {
		case r == '\n':
			line, col = line+1, 0
		case r == '\t' || r == '\r' || r == '\f' || r == '\v':
		case r < 0x20 || r == 0x7f:
			return "", nil, &curlNotCurlError{fmt.Sprintf("the input is binary data, not a curl command line (control byte at line %d, column %d)", line, col)}
		}
		col += utf8.RuneLen(r)
	}
	return s, notes, nil
}

var (
	curlShellPrompt = regexp.MustCompile(`(?m)^[ \t]*\$[ \t]+`)
	curlCmdPrompt   = regexp.MustCompile(`^[ \t]*(?:PS )?[A-Za-z]:\\[^>\r\n"]*>[ \t]*`)
)

// curlStripPrompt blanks a leading "$ " shell prompt (on every line, when the first line has
// one) or a "C:\Users\maria>" cmd prompt. Blanking, not removing, keeps line and column
// numbers right.
func curlStripPrompt(s string) string {
	blank := func(m string) string { return strings.Repeat(" ", len(m)) }
	first := strings.TrimLeft(s, " \t\r\n")
	switch {
	case strings.HasPrefix(first, "$ ") || strings.HasPrefix(first, "$\t"):
		return curlShellPrompt.ReplaceAllStringFunc(s, blank)
	case curlCmdPrompt.MatchString(first):
		lead := len(s) - len(first)
		return s[:lead] + curlCmdPrompt.ReplaceAllStringFunc(first, blank)
	}
	return s
}

// curlLooksWindows tells a cmd.exe command line from a shell one: the program is a .exe, a ^
// follows it (Chrome's curl ^"url^"), or a line ends with cmd's ^ continuation.
func curlLooksWindows(s string) bool {
	first := strings.TrimLeft(s, " \t\r\n")
	word, rest := first, ""
	if i := strings.IndexAny(first, " \t\r\n"); i >= 0 {
		word, rest = first[:i], first[i:]
	}
	if strings.HasSuffix(strings.ToLower(strings.Trim(word, `"`)), ".exe") {
		return true
	}
	if strings.HasPrefix(strings.TrimLeft(rest, " \t"), "^") {
		return true
	}
	return strings.Contains(s, "^\n") || strings.Contains(s, "^\r\n")
}

// curlProgram tells whether a command word names curl: curl, curl.exe, /usr/bin/curl,
// C:\Windows\System32\curl.exe.
func curlProgram(w string) bool {
	w = strings.ToLower(w)
	if i := strings.LastIndexAny(w, `/\`); i >= 0 {
		w = w[i+1:]
	}
	return strings.TrimSuffix(w, ".exe") == "curl"
}

// curlWrappers are programs that run the command after them.
var curlWrappers = map[string]bool{"sudo": true, "command": true, "exec": true, "noglob": true, "nohup": true, "env": true, "winpty": true}

// curlNotCurl is the error for a command that is not curl. It names the program only when the
// name looks like one: a pasted token or key must not come back in a message.
func curlNotCurl(name string) error {
	if curlShowable(name, 24) && curlDigits(name) <= 2 {
		return &curlNotCurlError{fmt.Sprintf("the command is %q, not curl", name)}
	}
	return &curlNotCurlError{"the command is not curl (its first word is not shown: it may be a secret)"}
}

func curlDigits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// curlShowable tells whether s may appear in a message: short, plain ASCII name characters.
func curlShowable(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-", r)) {
			return false
		}
	}
	return true
}

// ---- bash and sh ----

// curlShell expands the words of a parsed shell command without running anything.
type curlShell struct {
	src   string
	notes []Note
}

// curlSplitShell parses the text as bash and returns the first curl command in it.
func curlSplitShell(src string) (cmd *curlCommand, err error) {
	var file *syntax.File
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = errors.New("cannot read the command line as shell words")
			}
		}()
		file, err = syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), "")
	}()
	if err != nil {
		return nil, curlShellError(err)
	}

	var stmts []*syntax.Stmt // commands, in order, outside of words
	var walk func(list []*syntax.Stmt)
	var walkOne func(s *syntax.Stmt)
	walkOne = func(s *syntax.Stmt) {
		if s == nil {
			return
		}
		switch c := s.Cmd.(type) {
		case *syntax.BinaryCmd:
			walkOne(c.X)
			walkOne(c.Y)
		case *syntax.Block:
			walk(c.Stmts)
		case *syntax.Subshell:
			walk(c.Stmts)
		case *syntax.TimeClause:
			walkOne(c.Stmt)
		case *syntax.CallExpr:
			if len(c.Args) > 0 {
				stmts = append(stmts, s)
			}
		default: // export, if, for...: a command that is not curl
			stmts = append(stmts, s)
		}
	}
	walk = func(list []*syntax.Stmt) {
		for _, s := range list {
			walkOne(s)
		}
	}
	walk(file.Stmts)
	if len(stmts) == 0 {
		return nil, &curlNotCurlError{"the input has no command: no curl command to read"}
	}

	sh := &curlShell{src: src}
	for i, s := range stmts {
		call, ok := s.Cmd.(*syntax.CallExpr)
		if !ok {
			continue
		}
		args := call.Args
		start := 0
		for start < len(args)-1 {
			w := sh.word(args[start], 0)
			if !curlWrappers[strings.ToLower(path.Base(w))] {
				break
			}
			start++
			for start < len(args)-1 { // the wrapper's own options and env's NAME=value
				a := sh.word(args[start], 0)
				if !strings.HasPrefix(a, "-") && !(strings.Contains(a, "=") && !strings.Contains(a, "/")) {
					break
				}
				start++
			}
		}
		if !curlProgram(sh.word(args[start], 0)) {
			continue
		}
		sh.notes = nil // notes about words of commands that are not read
		cmd := &curlCommand{}
		for _, w := range args[start:] {
			cmd.words = append(cmd.words, curlWord{text: sh.word(w, 0), line: int(w.Pos().Line()), col: int(w.Pos().Col())})
		}
		sh.stdin(s, cmd)
		if others := len(stmts) - 1; others > 0 {
			cmd.notes = append(cmd.notes, curlManyNote(len(stmts), i))
		}
		cmd.notes = append(cmd.notes, sh.notes...)
		return cmd, nil
	}
	if call, ok := stmts[0].Cmd.(*syntax.CallExpr); ok {
		return nil, curlNotCurl(sh.word(call.Args[0], 0))
	}
	return nil, &curlNotCurlError{"the command is not curl"}
}

// curlShellError turns the shell parser's error into one that names the problem and its place,
// without quoting what the text says there.
func curlShellError(err error) error {
	var pe syntax.ParseError
	if !errors.As(err, &pe) {
		var le syntax.LangError
		if errors.As(err, &le) {
			return fmt.Errorf("the command line uses shell syntax that is not bash (%s) at line %d, column %d", le.Feature, le.Pos.Line(), le.Pos.Col())
		}
		return err
	}
	line, col := pe.Pos.Line(), pe.Pos.Col()
	switch {
	case strings.Contains(pe.Text, "without closing quote"):
		return fmt.Errorf("unterminated quote at line %d, column %d", line, col)
	case strings.Contains(pe.Text, "invalid UTF-8"):
		return &curlNotCurlError{fmt.Sprintf("the input is binary data, not a curl command line (invalid UTF-8 at line %d, column %d)", line, col)}
	case strings.HasPrefix(pe.Text, "reached EOF without matching"):
		open := curlTicks.FindString(strings.TrimPrefix(pe.Text, "reached EOF without matching"))
		return fmt.Errorf("unterminated %s at line %d, column %d", curlRedactTicks(open), line, col)
	}
	return fmt.Errorf("the command line is not valid shell syntax at line %d, column %d: %s", line, col, curlRedactTicks(pe.Text))
}

var curlTicks = regexp.MustCompile("`[^`]*`")

// curlRedactTicks hides the longer `quoted` parts of a parser message: operators stay, words
// (which could be secrets) do not.
func curlRedactTicks(s string) string {
	return curlTicks.ReplaceAllStringFunc(s, func(m string) string {
		if len(m) > 6 {
			return "`…`"
		}
		return m
	})
}

// Word expansion modes.
const (
	curlUnquoted = iota
	curlDouble   // inside "..."
	curlHeredoc  // an unquoted here-document's body
)

// word expands a shell word as bash would with an empty environment, except that variables and
// command substitutions are kept as written (and noted): they usually hold the token.
func (sh *curlShell) word(w *syntax.Word, mode int) string {
	if w == nil {
		return ""
	}
	var b strings.Builder
	sh.parts(&b, w.Parts, mode)
	return b.String()
}

func (sh *curlShell) parts(b *strings.Builder, parts []syntax.WordPart, mode int) {
	for _, part := range parts {
		switch x := part.(type) {
		case *syntax.Lit:
			curlUnescape(b, x.Value, mode)
		case *syntax.SglQuoted:
			if x.Dollar {
				b.WriteString(curlANSIC(x.Value))
			} else {
				b.WriteString(x.Value)
			}
		case *syntax.DblQuoted:
			sh.parts(b, x.Parts, curlDouble)
		case *syntax.ParamExp:
			raw := sh.raw(x)
			b.WriteString(raw)
			name := ""
			if x.Param != nil {
				name = x.Param.Value
			}
			sh.notes = append(sh.notes, note("curl.var", curlSafeName(name)))
		case *syntax.CmdSubst:
			b.WriteString(sh.raw(x))
			sh.notes = append(sh.notes, note("curl.cmdsubst"))
		default:
			b.WriteString(sh.raw(part))
			sh.notes = append(sh.notes, note("curl.expansion"))
		}
	}
}

// raw is a node's text as written.
func (sh *curlShell) raw(n syntax.Node) string {
	from, to := int(n.Pos().Offset()), int(n.End().Offset())
	if from < 0 || to > len(sh.src) || from > to {
		return ""
	}
	return sh.src[from:to]
}

// curlUnescape removes the backslashes the shell removes: any outside quotes; before $ ` " \
// and newline inside double quotes; before $ ` \ and newline in a here-document.
func curlUnescape(b *strings.Builder, s string, mode int) {
	special := ""
	switch mode {
	case curlDouble:
		special = "$`\"\\\n"
	case curlHeredoc:
		special = "$`\\\n"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		n := s[i+1]
		switch {
		case n == '\n':
			i++ // a continuation
		case mode == curlUnquoted || strings.IndexByte(special, n) >= 0:
			b.WriteByte(n)
			i++
		default:
			b.WriteByte(c)
		}
	}
}

// curlANSIC decodes the body of a bash $'...' string.
func curlANSIC(s string) string {
	var b strings.Builder
	hex := func(i, max int) (rune, int) { // value and digits read at s[i:]
		var v rune
		n := 0
		for n < max && i+n < len(s) {
			d := s[i+n]
			switch {
			case d >= '0' && d <= '9':
				v = v*16 + rune(d-'0')
			case d >= 'a' && d <= 'f':
				v = v*16 + rune(d-'a'+10)
			case d >= 'A' && d <= 'F':
				v = v*16 + rune(d-'A'+10)
			default:
				return v, n
			}
			n++
		}
		return v, n
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; e {
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'e', 'E':
			b.WriteByte(0x1b)
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case '\\', '\'', '"', '?':
			b.WriteByte(e)
		case 'c':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i] & 0x1f)
			} else {
				b.WriteString(`\c`)
			}
		case 'x':
			v, n := hex(i+1, 2)
			if n == 0 {
				b.WriteString(`\x`)
				continue
			}
			if v == 0 {
				return b.String() // bash ends the string at a NUL
			}
			b.WriteByte(byte(v))
			i += n
		case 'u', 'U':
			max := 4
			if e == 'U' {
				max = 8
			}
			v, n := hex(i+1, max)
			if n == 0 {
				b.WriteByte('\\')
				b.WriteByte(e)
				continue
			}
			if v == 0 {
				return b.String()
			}
			b.WriteRune(v) // invalid code points become U+FFFD
			i += n
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v, n := 0, 0
			for n < 3 && i+n < len(s) && s[i+n] >= '0' && s[i+n] <= '7' {
				v = v*8 + int(s[i+n]-'0')
				n++
			}
			if v&0xff == 0 {
				return b.String()
			}
			b.WriteByte(byte(v))
			i += n - 1
		default:
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return b.String()
}

// stdin records what the statement feeds curl's standard input: a here-document, a
// here-string or a file.
func (sh *curlShell) stdin(s *syntax.Stmt, cmd *curlCommand) {
	for _, r := range s.Redirs {
		if r.N != nil && r.N.Value != "0" {
			continue
		}
		switch r.Op {
		case syntax.Hdoc, syntax.DashHdoc:
			quoted := false
			if r.Word != nil {
				for _, p := range r.Word.Parts {
					if l, ok := p.(*syntax.Lit); !ok || strings.Contains(l.Value, `\`) {
						quoted = true
					}
				}
			}
			var b strings.Builder
			if r.Hdoc != nil {
				if quoted {
					for _, p := range r.Hdoc.Parts {
						if l, ok := p.(*syntax.Lit); ok {
							b.WriteString(l.Value)
						} else {
							b.WriteString(sh.raw(p))
						}
					}
				} else {
					sh.parts(&b, r.Hdoc.Parts, curlHeredoc)
				}
			}
			cmd.stdin, cmd.hasStdin, cmd.stdinFile = []byte(b.String()), true, ""
		case syntax.WordHdoc:
			cmd.stdin, cmd.hasStdin, cmd.stdinFile = []byte(sh.word(r.Word, 0)+"\n"), true, ""
		case syntax.RdrIn:
			cmd.stdin, cmd.hasStdin, cmd.stdinFile = nil, false, sh.word(r.Word, 0)
		}
	}
}

// ---- Windows cmd.exe ----

// curlSplitWindows splits a cmd.exe command line: cmd's own pass (^ escapes and continuations,
// & and | between commands), then the C runtime's split of the arguments (quotes, \" and "").
func curlSplitWindows(src string) (*curlCommand, error) {
	lines := []int{0} // offsets where lines start
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			lines = append(lines, i+1)
		}
	}
	at := func(off int) (int, int) {
		l := sort.Search(len(lines), func(i int) bool { return lines[i] > off })
		return l, off - lines[l-1] + 1
	}

	type commandText struct {
		b    []byte
		offs []int // offs[i] is where b[i] was in src
	}
	var cmds []commandText
	var notes []Note
	for i := 0; i < len(src); {
		var c commandText
		emit := func(ch byte, off int) { c.b, c.offs = append(c.b, ch), append(c.offs, off) }
		inQ, escNext := false, false
	scan:
		for i < len(src) {
			ch := src[i]
			if escNext { // the character after a ^ continuation is taken as it is
				escNext = false
				if ch == '\r' && i+1 < len(src) && src[i+1] == '\n' {
					i++
					ch = '\n'
				}
				emit(ch, i)
				i++
				continue
			}
			if ch == '\r' && i+1 < len(src) && src[i+1] == '\n' {
				i++
				continue
			}
			if ch == '\n' { // a line ends the command, quotes or not
				i++
				break
			}
			if inQ {
				if ch == '"' {
					inQ = false
				}
				emit(ch, i)
				i++
				continue
			}
			switch ch {
			case '^':
				switch {
				case i+1 >= len(src):
					i++
				case src[i+1] == '\n':
					i += 2
					escNext = true
				case src[i+1] == '\r' && i+2 < len(src) && src[i+2] == '\n':
					i += 3
					escNext = true
				default:
					emit(src[i+1], i+1)
					i += 2
				}
			case '"':
				inQ = true
				emit(ch, i)
				i++
			case '&', '|':
				for i < len(src) && (src[i] == '&' || src[i] == '|') {
					i++
				}
				break scan
			case '<', '>':
				notes = append(notes, note("curl.cmd-redirect"))
				for i < len(src) && src[i] != '\n' && src[i] != '&' && src[i] != '|' {
					i++
				}
				break scan
			default:
				emit(ch, i)
				i++
			}
		}
		if len(bytes.TrimSpace(c.b)) > 0 {
			cmds = append(cmds, c)
		}
	}
	if len(cmds) == 0 {
		return nil, &curlNotCurlError{"the input has no command: no curl command to read"}
	}

	var firstName string
	for k, c := range cmds {
		// The C runtime's rules: 2n backslashes and a quote are n backslashes and a quote that
		// opens or closes; 2n+1 backslashes and a quote are n backslashes and a literal quote;
		// "" inside quotes is a literal quote; other backslashes are literal.
		var words []curlWord
		b, offs := c.b, c.offs
		j := 0
		for {
			for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\n' || b[j] == '\r') {
				j++
			}
			if j >= len(b) {
				break
			}
			line, col := at(offs[j])
			var w []byte
			inQ, qOff := false, 0
			for j < len(b) {
				n := 0
				for j+n < len(b) && b[j+n] == '\\' {
					n++
				}
				if n > 0 && (j+n >= len(b) || b[j+n] != '"') {
					w = append(w, bytes.Repeat([]byte{'\\'}, n)...)
					j += n
					continue
				}
				if n > 0 {
					w = append(w, bytes.Repeat([]byte{'\\'}, n/2)...)
					j += n
					if n%2 == 1 {
						w = append(w, '"')
						j++
						continue
					}
				}
				ch := b[j]
				if ch == '"' {
					if inQ && j+1 < len(b) && b[j+1] == '"' {
						w = append(w, '"')
						j += 2
						continue
					}
					inQ = !inQ
					if inQ {
						qOff = offs[j]
					}
					j++
					continue
				}
				if !inQ && (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
					break
				}
				w = append(w, ch)
				j++
			}
			if inQ {
				l, c := at(qOff)
				return nil, fmt.Errorf("unterminated quote at line %d, column %d", l, c)
			}
			words = append(words, curlWord{text: string(w), line: line, col: col})
		}
		if len(words) == 0 {
			continue
		}
		if firstName == "" {
			firstName = words[0].text
		}
		if !curlProgram(words[0].text) {
			continue
		}
		cmd := &curlCommand{words: words, notes: notes}
		if len(cmds) > 1 {
			cmd.notes = append(cmd.notes, curlManyNote(len(cmds), k))
		}
		cmd.notes = append(cmd.notes, note("curl.windows"))
		return cmd, nil
	}
	return nil, curlNotCurl(firstName)
}

// ---- curl's options ----

// curlOpt is one curl option the parser knows.
type curlOpt struct {
	long  string // without the leading --
	short byte   // 0 when it has none
	value bool   // takes a value
	// do applies the option; nil for options that do not change the request (they are noted).
	do func(p *curlParser, o *curlOpt, val string, pos int, neg bool) error
}

func (o *curlOpt) String() string {
	if o.short != 0 {
		return "-" + string(o.short) + "/--" + o.long
	}
	return "--" + o.long
}

var curlOpts = []*curlOpt{
	{long: "request", short: 'X', value: true, do: (*curlParser).optMethod},
	{long: "header", short: 'H', value: true, do: (*curlParser).optHeader},
	{long: "data", short: 'd', value: true, do: (*curlParser).optData},
	{long: "data-ascii", value: true, do: (*curlParser).optData},
	{long: "data-binary", value: true, do: (*curlParser).optData},
	{long: "data-raw", value: true, do: (*curlParser).optData},
	{long: "data-urlencode", value: true, do: (*curlParser).optData},
	{long: "json", value: true, do: (*curlParser).optData},
	{long: "user", short: 'u', value: true, do: (*curlParser).optUser},
	{long: "oauth2-bearer", value: true, do: (*curlParser).optBearer},
	{long: "url", value: true, do: func(p *curlParser, _ *curlOpt, v string, pos int, _ bool) error { return p.setURL(v, pos) }},
	{long: "get", short: 'G', do: func(p *curlParser, _ *curlOpt, _ string, _ int, neg bool) error { p.get = !neg; return nil }},
	{long: "head", short: 'I', do: func(p *curlParser, _ *curlOpt, _ string, _ int, neg bool) error { p.head = !neg; return nil }},
	{long: "cookie", short: 'b', value: true, do: (*curlParser).optCookie},
	{long: "user-agent", short: 'A', value: true, do: func(p *curlParser, _ *curlOpt, v string, _ int, _ bool) error {
		p.agent, p.agentSet = v, true
		return nil
	}},
	{long: "referer", short: 'e', value: true, do: func(p *curlParser, _ *curlOpt, v string, _ int, _ bool) error {
		v = strings.TrimSuffix(v, ";auto")
		if v == "" {
			p.note(note("curl.referer-auto"))
			return nil
		}
		p.referer, p.refererSet = v, true
		return nil
	}},
	{long: "globoff", short: 'g', do: func(p *curlParser, _ *curlOpt, _ string, _ int, neg bool) error { p.globoff = !neg; return nil }},
	// These do not change the request: they are noted.
	{long: "insecure", short: 'k'},
	{long: "compressed"},
	{long: "location", short: 'L'},
	{long: "silent", short: 's'},
	{long: "show-error", short: 'S'},
	{long: "include", short: 'i'},
	{long: "verbose", short: 'v'},
	{long: "output", short: 'o', value: true},
	{long: "max-time", short: 'm', value: true},
	{long: "connect-timeout", value: true},
	{long: "http1.0", short: '0'},
	{long: "http1.1"},
	{long: "http2"},
	{long: "http2-prior-knowledge"},
	{long: "http3"},
	{long: "fail", short: 'f'},
	{long: "fail-with-body"},
	{long: "retry", value: true},
	{long: "retry-delay", value: true},
	{long: "retry-max-time", value: true},
	{long: "write-out", short: 'w', value: true},
	{long: "dump-header", short: 'D', value: true},
	{long: "remote-name", short: 'O'},
	{long: "no-buffer", short: 'N'},
	{long: "progress-bar", short: '#'},
	{long: "no-progress-meter"},
	{long: "path-as-is"},
	{long: "ipv4", short: '4'},
	{long: "ipv6", short: '6'},
	{long: "tlsv1.2"},
	{long: "tlsv1.3"},
}

var (
	curlLong  = map[string]*curlOpt{}
	curlShort = map[byte]*curlOpt{}
)

func init() {
	for _, o := range curlOpts {
		curlLong[o.long] = o
		if o.short != 0 {
			curlShort[o.short] = o
		}
	}
}

// curlHeader is one -H, in order.
type curlHeader struct {
	name, value string
	absent      bool // "Name:" removes the header ("Name;" sends it empty)
}

// curlParser reads curl's arguments.
type curlParser struct {
	cmd      *curlCommand
	readFile func(string) ([]byte, error)

	notes []Note
	seen  map[string]bool

	method    string
	methodPos int
	rawURL    string
	urlPos    int

	headers   []curlHeader
	body      bytes.Buffer
	hasData   bool
	json      bool
	form      bool // -d and friends, which curl sends as a form unless told otherwise
	get, head bool
	globoff   bool

	user, bearer         string
	userSet, bearerSet   bool
	cookies              []string
	agent, referer       string
	agentSet, refererSet bool
}

func (p *curlParser) note(n Note) {
	if s := n.Text("en"); !p.seen[s] {
		p.seen[s] = true
		p.notes = append(p.notes, n)
	}
}

// placed is a note about the argument at pos, naming its position, line and column.
func (p *curlParser) placed(id string, pos int) Note {
	line, col := 0, 0
	if pos > 0 && pos < len(p.cmd.words) {
		line, col = p.cmd.words[pos].line, p.cmd.words[pos].col
	}
	return note(id, pos, line, col)
}

// curlManyNote says that of n commands only the one at index i (0-based) was read.
func curlManyNote(n, i int) Note {
	if i == 0 {
		return note("curl.many", n)
	}
	return note("curl.many-at", n, i+1)
}

// curlSafeName shows a header or variable name in a note, or a placeholder when it does not
// look like a name (it could be a pasted secret).
func curlSafeName(s string) string {
	if curlShowable(s, 40) && curlDigits(s) <= 3 {
		return s
	}
	return "…"
}

// where places an argument: "(position 3)", and its line and column in the text.
func (p *curlParser) where(pos int) string {
	if pos <= 0 || pos >= len(p.cmd.words) {
		return fmt.Sprintf("(position %d)", pos)
	}
	w := p.cmd.words[pos]
	return fmt.Sprintf("(position %d) at line %d, column %d", pos, w.line, w.col)
}

// curlOptName shows an option as written, when it is safe to show.
func curlOptName(s string) string {
	name := strings.TrimLeft(s, "-")
	if curlShowable(name, 40) && curlDigits(name) <= 3 || len(name) == 1 && name[0] > ' ' && name[0] < 0x7f {
		return s
	}
	return "(not shown)"
}

var curlDashes = []string{"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"}

func (p *curlParser) parse() (*Request, error) {
	words := p.cmd.words
	onlyURLs := false
	for i := 1; i < len(words); i++ {
		a := words[i].text
		pos := i
		if !onlyURLs && a == "--" {
			onlyURLs = true
			continue
		}
		if !onlyURLs {
			for _, d := range curlDashes {
				if strings.HasPrefix(a, d) {
					return nil, fmt.Errorf("the argument %s starts with a typographic dash (%s), not a hyphen: a chat or word processor replaced it; write - or --", p.where(pos), d)
				}
			}
		}
		if onlyURLs || len(a) < 2 || a[0] != '-' {
			if err := p.setURL(a, pos); err != nil {
				return nil, err
			}
			continue
		}
		if strings.HasPrefix(a, "--") {
			name, val, hasVal := strings.Cut(a[2:], "=")
			o, neg := curlLong[name], false
			if o == nil && strings.HasPrefix(name, "no-") {
				if o2 := curlLong[name[3:]]; o2 != nil && !o2.value {
					o, neg = o2, true
				}
			}
			if o == nil {
				return nil, fmt.Errorf("unsupported curl option %s %s", curlOptName("--"+name), p.where(pos))
			}
			if o.value && !hasVal {
				if i+1 >= len(words) {
					return nil, fmt.Errorf("curl option --%s needs a value %s", o.long, p.where(pos))
				}
				i++
				val = words[i].text
			} else if !o.value && hasVal {
				return nil, fmt.Errorf("curl option --%s takes no value %s", o.long, p.where(pos))
			}
			if err := p.apply(o, val, pos, neg); err != nil {
				return nil, err
			}
			continue
		}
		for j := 1; j < len(a); j++ { // -sSL, -XPOST, -sXPOST
			o := curlShort[a[j]]
			if o == nil {
				r, _ := utf8.DecodeRuneInString(a[j:])
				return nil, fmt.Errorf("unsupported curl option %s %s", curlOptName("-"+string(r)), p.where(pos))
			}
			if !o.value {
				if err := p.apply(o, "", pos, false); err != nil {
					return nil, err
				}
				continue
			}
			val := a[j+1:]
			if val == "" {
				if i+1 >= len(words) {
					return nil, fmt.Errorf("curl option -%c needs a value %s", o.short, p.where(pos))
				}
				i++
				val = words[i].text
			}
			if err := p.apply(o, val, pos, false); err != nil {
				return nil, err
			}
			break
		}
	}
	return p.request()
}

func (p *curlParser) apply(o *curlOpt, val string, pos int, neg bool) error {
	if o.do == nil {
		if neg {
			p.note(note("curl.ignored", "--no-"+o.long))
		} else {
			p.note(note("curl.ignored", o.String()))
		}
		return nil
	}
	return o.do(p, o, val, pos, neg)
}

// curlToken tells whether s is an HTTP token (a method or a header name).
func curlToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

func (p *curlParser) optMethod(_ *curlOpt, v string, pos int, _ bool) error {
	v = strings.TrimSpace(v)
	if v == "" {
		p.method = ""
		return nil
	}
	if !curlToken(v) {
		return fmt.Errorf("the method given to -X/--request %s is not an HTTP method", p.where(pos))
	}
	p.method, p.methodPos = v, pos
	return nil
}

func (p *curlParser) optHeader(_ *curlOpt, v string, pos int, _ bool) error {
	if strings.HasPrefix(v, "@") { // -H @file: one header a line
		data, err := p.read("-H/--header", v[1:], pos)
		if err != nil {
			return err
		}
		for _, l := range strings.Split(string(data), "\n") {
			if l = strings.TrimRight(l, "\r"); strings.TrimSpace(l) != "" {
				p.header(l, pos)
			}
		}
		return nil
	}
	p.header(v, pos)
	return nil
}

func (p *curlParser) header(v string, pos int) {
	colon, semi := strings.IndexByte(v, ':'), strings.IndexByte(v, ';')
	switch {
	case colon > 0 && (semi < 0 || colon < semi):
		name := strings.TrimSpace(v[:colon])
		val := strings.TrimSpace(v[colon+1:])
		if !curlToken(name) {
			p.note(p.placed("curl.header-badname", pos))
			return
		}
		name = http.CanonicalHeaderKey(name)
		if val == "" {
			p.note(note("curl.header-remove", curlSafeName(name)))
		}
		p.headers = append(p.headers, curlHeader{name: name, value: val, absent: val == ""})
	case semi > 0 && strings.TrimSpace(v[semi+1:]) == "" && curlToken(strings.TrimSpace(v[:semi])):
		name := http.CanonicalHeaderKey(strings.TrimSpace(v[:semi]))
		p.note(note("curl.header-empty", curlSafeName(name)))
		p.headers = append(p.headers, curlHeader{name: name})
	default:
		p.note(p.placed("curl.header-noname", pos))
	}
}

// read reads an @file argument; "-" is standard input, which may come from the command's own
// here-document or redirection.
func (p *curlParser) read(opt, name string, pos int) ([]byte, error) {
	if name == "-" {
		if p.cmd.hasStdin {
			return p.cmd.stdin, nil
		}
		if p.cmd.stdinFile != "" {
			name = p.cmd.stdinFile
		}
	}
	if p.readFile == nil {
		return nil, fmt.Errorf("%s %s reads a file (@%s), and no file reader was given", opt, p.where(pos), curlFileName(name))
	}
	data, err := p.readFile(name)
	if err != nil {
		return nil, fmt.Errorf("%s %s: cannot read @%s: %w", opt, p.where(pos), curlFileName(name), err)
	}
	return data, nil
}

// curlFileName shows a file name when it looks like one.
func curlFileName(name string) string {
	if name == "-" || len(name) <= 120 && !strings.ContainsAny(name, "\n\r") && strings.ContainsAny(name, "./\\") {
		return name
	}
	return "(file)"
}

func (p *curlParser) optData(o *curlOpt, v string, pos int, _ bool) error {
	var piece []byte
	switch o.long {
	case "data-raw":
		piece = []byte(v)
	case "data-urlencode":
		var err error
		if piece, err = p.urlencode(v, pos); err != nil {
			return err
		}
	default:
		if strings.HasPrefix(v, "@") {
			data, err := p.read("--"+o.long, v[1:], pos)
			if err != nil {
				return err
			}
			if o.long == "data" || o.long == "data-ascii" { // curl drops line ends from a -d file
				data = bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r"), nil), []byte("\n"), nil)
			}
			piece = data
		} else {
			piece = []byte(v)
		}
	}
	if o.long == "json" {
		p.json = true
	} else {
		p.form = true
		if p.hasData {
			p.body.WriteByte('&')
		}
	}
	p.body.Write(piece)
	p.hasData = true
	return nil
}

// urlencode does --data-urlencode's forms: content, =content, name=content, @file, name@file.
func (p *curlParser) urlencode(v string, pos int) ([]byte, error) {
	i := strings.IndexAny(v, "=@")
	switch {
	case i < 0:
		return []byte(curlEscape(v)), nil
	case v[i] == '=':
		if i == 0 {
			return []byte(curlEscape(v[1:])), nil
		}
		return []byte(v[:i] + "=" + curlEscape(v[i+1:])), nil
	}
	data, err := p.read("--data-urlencode", v[i+1:], pos)
	if err != nil {
		return nil, err
	}
	if i == 0 {
		return []byte(curlEscape(string(data))), nil
	}
	return []byte(v[:i] + "=" + curlEscape(string(data))), nil
}

// curlEscape encodes as curl's --data-urlencode does: unreserved characters stay, a space
// becomes +, anything else %XX.
func curlEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func (p *curlParser) optUser(_ *curlOpt, v string, _ int, _ bool) error {
	if !strings.Contains(v, ":") {
		p.note(note("curl.user-nopass"))
		p.user, p.userSet = "", false
		return nil
	}
	p.user, p.userSet = v, true
	return nil
}

func (p *curlParser) optBearer(_ *curlOpt, v string, pos int, _ bool) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("curl option --oauth2-bearer has an empty value %s", p.where(pos))
	}
	p.bearer, p.bearerSet = strings.TrimSpace(v), true
	return nil
}

func (p *curlParser) optCookie(_ *curlOpt, v string, _ int, _ bool) error {
	if !strings.Contains(v, "=") {
		p.note(note("curl.cookie-file"))
		return nil
	}
	p.cookies = append(p.cookies, strings.TrimSpace(v))
	return nil
}

func (p *curlParser) setURL(v string, pos int) error {
	if p.urlPos != 0 {
		return fmt.Errorf("more than one URL: %s and %s; give one request at a time", p.where(p.urlPos), p.where(pos))
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return fmt.Errorf("the URL %s is empty", p.where(pos))
	}
	p.rawURL, p.urlPos = v, pos
	return nil
}

func (p *curlParser) request() (*Request, error) {
	if p.urlPos == 0 {
		return nil, errors.New("no URL in the curl command: give it as an argument or with --url")
	}
	raw := p.rawURL
	if i := strings.Index(raw, "://"); i < 0 {
		raw = "http://" + raw
		p.note(note("curl.no-scheme"))
	} else if s := strings.ToLower(raw[:i]); s != "http" && s != "https" {
		return nil, fmt.Errorf("the URL %s is not an http or https URL", p.where(p.urlPos))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("the URL %s is not a valid URL", p.where(p.urlPos))
	}
	if u.Host == "" {
		return nil, fmt.Errorf("the URL %s has no host", p.where(p.urlPos))
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok && !p.userSet {
			p.user, p.userSet = u.User.String(), true
			if s, err := url.PathUnescape(p.user); err == nil {
				p.user = s
			}
		}
		u.User = nil
		raw = u.String()
		p.note(note("curl.url-userinfo"))
	}
	if !p.globoff {
		rest := raw[strings.Index(raw, "://")+3:]
		if k := strings.IndexAny(rest, "/?#"); k >= 0 && strings.ContainsAny(rest[k:], "{}[]") {
			p.note(note("curl.glob"))
		}
	}

	req := &Request{Source: "curl", Headers: map[string]string{}}
	switch {
	case p.method != "":
		req.Method = p.method
	case p.head:
		req.Method = http.MethodHead
	case p.get:
		req.Method = http.MethodGet
	case p.hasData:
		req.Method = http.MethodPost
	default:
		req.Method = http.MethodGet
	}
	if p.hasData && (p.get || p.head) {
		frag := ""
		if k := strings.IndexByte(raw, '#'); k >= 0 {
			raw, frag = raw[:k], raw[k:]
		}
		sep := "?"
		if strings.Contains(raw, "?") {
			sep = "&"
		}
		raw = raw + sep + p.body.String() + frag
		if _, err := url.Parse(raw); err != nil {
			return nil, errors.New("the data moved to the URL by -G/--get does not make a valid URL")
		}
		p.note(note("curl.get-query"))
	} else if p.hasData {
		req.Body, req.HasBody = bytes.Clone(p.body.Bytes()), true
	}
	req.URL = raw

	explicit := map[string][]string{}
	absent := map[string]bool{}
	for _, h := range p.headers {
		if h.absent {
			delete(explicit, h.name)
			absent[h.name] = true
			continue
		}
		explicit[h.name] = append(explicit[h.name], h.value)
		delete(absent, h.name)
	}
	for k, v := range explicit {
		req.Headers[k] = strings.Join(v, ", ")
	}
	derive := func(name, value string) bool {
		if _, ok := explicit[name]; ok || absent[name] {
			return false
		}
		req.Headers[name] = value
		return true
	}
	switch {
	case p.bearerSet:
		derive("Authorization", "Bearer "+p.bearer)
	case p.userSet:
		derive("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(p.user)))
	}
	if req.HasBody {
		switch {
		case p.json:
			derive("Content-Type", "application/json")
		case p.form:
			if derive("Content-Type", "application/x-www-form-urlencoded") {
				p.note(note("curl.form-default"))
			}
		}
	}
	if p.json {
		derive("Accept", "application/json")
	}
	if p.agentSet && p.agent != "" {
		derive("User-Agent", p.agent)
	}
	if p.refererSet {
		derive("Referer", p.referer)
	}
	if len(p.cookies) > 0 {
		derive("Cookie", strings.Join(p.cookies, "; "))
	}
	if len(req.Headers) == 0 {
		req.Headers = nil
	}
	req.Notes = p.notes
	return req, nil
}
