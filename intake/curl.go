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
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// ErrNotCurl is wrapped by the errors ParseCurl returns when the text is not a curl command at
// all (empty, binary, another program), as opposed to a curl command it cannot read. A caller
// that tries several readers uses it to move on to the next one.
var ErrNotCurl = errors.New("not a curl command")

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
		return nil, notCurlf("the input is empty: no curl command to read")
	}
	text = curlStripPrompt(text)
	var cmd *curlCommand
	switch {
	case curlLooksWindows(text), curlOldChromeRE().MatchString(text) && !curlSingleQuoted(text):
		cmd, err = curlSplitWindows(text)
	case curlDoubledQuotes(text):
		// The old Windows one-liner: "{""cpf"":""…""}". bash would drop every quote of the JSON.
		cmd, err = curlSplitWindows(text)
		if err == nil {
			cmd.notes = append(cmd.notes, note("curl.doubled-quotes"))
		}
	default:
		sh := strings.ReplaceAll(text, "\r\n", "\n")
		var rejoined bool
		sh, rejoined = curlRejoinLostBreaks(sh)
		cmd, err = curlSplitShell(sh)
		if err == nil && rejoined {
			cmd.notes = append(cmd.notes, note("curl.lost-breaks"))
		}
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
			return "", nil, notCurlf("the input is binary data, not a curl command line")
		}
		dec, err := charmap.Windows1252.NewDecoder().String(s)
		if err != nil {
			return "", nil, notCurlf("the input is binary data, not a curl command line")
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
			return "", nil, notCurlf("the input is binary data, not a curl command line (control byte at line %d, column %d)", line, col)
		}
		col += utf8.RuneLen(r)
	}
	return s, notes, nil
}

var (
	curlShellPrompt = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^[ \t]*\$[ \t]+`) })
	curlCmdPrompt   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[ \t]*(?:PS )?[A-Za-z]:\\[^>\r\n"]*>[ \t]*`) })
)

// curlStripPrompt blanks a leading "$ " shell prompt (on every line, when the first line has
// one) or a "C:\Users\maria>" cmd prompt. Blanking, not removing, keeps line and column
// numbers right.
func curlStripPrompt(s string) string {
	blank := func(m string) string { return strings.Repeat(" ", len(m)) }
	first := strings.TrimLeft(s, " \t\r\n")
	switch {
	case strings.HasPrefix(first, "$ ") || strings.HasPrefix(first, "$\t"):
		return curlShellPrompt().ReplaceAllStringFunc(s, blank)
	case curlCmdPrompt().MatchString(first):
		lead := len(s) - len(first)
		return s[:lead] + curlCmdPrompt().ReplaceAllStringFunc(first, blank)
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
	return strings.Contains(s, "^\n") || strings.Contains(s, "^\r\n") || curlCaretSpaceRE().MatchString(s)
}

// curlCaretSpaceRE finds a ^ continuation followed by stray spaces before the line's end.
var curlCaretSpaceRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\^[ \t]+\r?\n[ \t]*[-"^]`) })

var curlDoubledRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^\s=(]""[^\s)]`) })

// curlOldChromeRE finds the ^ escapes of Chrome's old "Copy as cURL (cmd)".
var curlOldChromeRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\^[{}\[\]<>&|\\]`) })

// curlSingleQuoted tells whether a ' quotes something outside double quotes: a shell text,
// since cmd has no single quotes.
func curlSingleQuoted(s string) bool {
	inQ := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			inQ = !inQ
		case '\'':
			if !inQ {
				return true
			}
		}
	}
	return false
}

// curlDoubledQuotes tells an old Windows one-liner that doubles quotes inside "..." (as cmd
// users wrote JSON bodies before curl.exe shipped with Windows): a "" between two characters
// of a word, and no single quote outside double quotes (cmd has none).
func curlDoubledQuotes(s string) bool {
	return curlDoubledRE().MatchString(s) && !curlSingleQuoted(s)
}

// curlRejoinLostBreaks mends a bash command whose line breaks were lost when pasted: its
// continuations became "\ " before the next option, which bash reads as an escaped space
// glued to the option. Outside quotes, a backslash and a space before "-", a quote or a URL
// become two spaces (so lines and columns stay where they were).
func curlRejoinLostBreaks(s string) (string, bool) {
	b := []byte(s)
	changed := false
	var q byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case q == '\'':
			if c == '\'' {
				q = 0
			}
		case q == '"':
			if c == '\\' {
				i++
			} else if c == '"' {
				q = 0
			}
		case c == '\'' || c == '"':
			q = c
		case c == '\\' && i+1 < len(b) && b[i+1] == ' ':
			j := i + 1
			for j < len(b) && b[j] == ' ' {
				j++
			}
			if j < len(b) && (b[j] == '-' || b[j] == '\'' || b[j] == '"' || strings.HasPrefix(string(b[j:min(j+4, len(b))]), "http")) {
				b[i], b[i+1] = ' ', ' '
				changed = true
			}
			i++
		case c == '\\':
			i++
		}
	}
	return string(b), changed
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
		return notCurlf("the command is %q, not curl", name)
	}
	return notCurlf("the command is not curl (its first word is not shown: it may be a secret)")
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
				err = errf("cannot read the command line as shell words")
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
		return nil, notCurlf("the input has no command: no curl command to read")
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
			for _, f := range sh.fields(w) {
				cmd.words = append(cmd.words, curlWord{text: f, line: int(w.Pos().Line()), col: int(w.Pos().Col())})
			}
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
	return nil, notCurlf("the command is not curl")
}

// curlShellError turns the shell parser's error into one that names the problem and its place,
// without quoting what the text says there.
func curlShellError(err error) error {
	var pe syntax.ParseError
	if !errors.As(err, &pe) {
		var le syntax.LangError
		if errors.As(err, &le) {
			return errf("the command line uses shell syntax that is not bash (%s) at line %d, column %d", le.Feature, le.Pos.Line(), le.Pos.Col())
		}
		return err
	}
	line, col := pe.Pos.Line(), pe.Pos.Col()
	switch {
	case strings.Contains(pe.Text, "without closing quote"):
		return errf("unterminated quote at line %d, column %d", line, col)
	case strings.Contains(pe.Text, "invalid UTF-8"):
		return notCurlf("the input is binary data, not a curl command line (invalid UTF-8 at line %d, column %d)", line, col)
	case strings.HasPrefix(pe.Text, "reached EOF without matching"):
		open := curlTicks().FindString(strings.TrimPrefix(pe.Text, "reached EOF without matching"))
		return errf("unterminated %s at line %d, column %d", curlRedactTicks(open), line, col)
	}
	return errf("the command line is not valid shell syntax at line %d, column %d: %s", line, col, curlRedactTicks(pe.Text))
}

var curlTicks = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("`[^`]*`") })

// curlRedactTicks hides the longer `quoted` parts of a parser message: operators stay, words
// (which could be secrets) do not.
func curlRedactTicks(s string) string {
	return curlTicks().ReplaceAllStringFunc(s, func(m string) string {
		if len(m) > 6 {
			return "`…`"
		}
		return m
	})
}

// word expands a shell word as bash would with an empty environment (mvdan.cc/sh/v3/expand:
// quote removal, backslashes, $'...'), except that variables and command substitutions are
// kept as written, never run (and noted): they usually hold the token.
func (sh *curlShell) word(w *syntax.Word, _ int) string {
	return strings.Join(sh.fields(w), " ")
}

// fields are the arguments a word becomes: one, or several after brace expansion (bash's
// {a,b} outside quotes).
func (sh *curlShell) fields(w *syntax.Word) []string {
	if w == nil {
		return nil
	}
	f, err := expand.Fields(curlExpandConfig, &syntax.Word{Parts: sh.keep(w.Parts)})
	if err != nil {
		return []string{sh.raw(w)}
	}
	return f
}

// document expands an unquoted here-document's body as bash would, expansions kept.
func (sh *curlShell) document(parts []syntax.WordPart) string {
	s, err := expand.Document(curlExpandConfig, &syntax.Word{Parts: sh.keep(parts)})
	if err != nil {
		var b strings.Builder
		for _, p := range parts {
			b.WriteString(sh.raw(p))
		}
		return b.String()
	}
	return s
}

// curlExpandConfig expands with no environment and no globbing; keep replaces every node
// that would reach the environment or run a command before expansion.
var curlExpandConfig = &expand.Config{Env: expand.ListEnviron(), NoUnset: false}

// keep replaces parameter expansions, command substitutions and other expansions by their
// text as written (a literal the expansion leaves alone) and notes them.
func (sh *curlShell) keep(parts []syntax.WordPart) []syntax.WordPart {
	out := make([]syntax.WordPart, 0, len(parts))
	for _, part := range parts {
		switch x := part.(type) {
		case *syntax.Lit:
			out = append(out, part)
		case *syntax.SglQuoted:
			if x.Dollar && strings.Contains(x.Value, `\c`) {
				out = append(out, &syntax.SglQuoted{Left: x.Left, Right: x.Right, Dollar: true, Value: curlControlEscapes(x.Value)})
			} else {
				out = append(out, part)
			}
		case *syntax.DblQuoted:
			out = append(out, &syntax.DblQuoted{Left: x.Left, Right: x.Right, Dollar: x.Dollar, Parts: sh.keep(x.Parts)})
		case *syntax.ParamExp:
			name := ""
			if x.Param != nil {
				name = x.Param.Value
			}
			sh.notes = append(sh.notes, note("curl.var", curlSafeName(name)))
			out = append(out, sh.literal(part))
		case *syntax.CmdSubst:
			sh.notes = append(sh.notes, note("curl.cmdsubst"))
			out = append(out, sh.literal(part))
		default:
			sh.notes = append(sh.notes, note("curl.expansion"))
			out = append(out, sh.literal(part))
		}
	}
	return out
}

// curlControlEscapes writes bash's \cX (control-X) in $'...' as the \xHH the expansion
// package knows.
func curlControlEscapes(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			if v[i+1] == 'c' && i+2 < len(v) {
				fmt.Fprintf(&b, `\x%02x`, v[i+2]&0x1f)
				i += 2
				continue
			}
			b.WriteByte(v[i])
			b.WriteByte(v[i+1])
			i++
			continue
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// literal is a node's text as written, as a single-quoted part: expansion takes it as is,
// inside double quotes too.
func (sh *curlShell) literal(n syntax.Node) syntax.WordPart {
	return &syntax.SglQuoted{Value: sh.raw(n)}
}

// raw is a node's text as written.
func (sh *curlShell) raw(n syntax.Node) string {
	from, to := int(n.Pos().Offset()), int(n.End().Offset())
	if from < 0 || to > len(sh.src) || from > to {
		return ""
	}
	return sh.src[from:to]
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
					b.WriteString(sh.document(r.Hdoc.Parts))
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
	oldChrome := false
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
				// Chrome's "Copy as cURL (cmd)" before 2021 put ^ before every special
				// character inside "...", where cmd keeps it: curl would have sent
				// "^{\"a\":1^}". They are its escapes, not the request's: dropped, noted.
				if ch == '^' && i+1 < len(src) && (curlChromeEscaped(src[i+1]) || i > 0 && src[i-1] == '%' && curlEnvStart(src[i+1])) {
					if !oldChrome {
						oldChrome = true
						notes = append(notes, note("curl.old-chrome-cmd"))
					}
					i++
					continue
				}
				emit(ch, i)
				i++
				continue
			}
			switch ch {
			case '^':
				k := i + 1
				for k < len(src) && (src[k] == ' ' || src[k] == '\t') {
					k++
				}
				if k > i+1 && k < len(src) && (src[k] == '\n' || src[k] == '\r') {
					// Spaces after a ^ at the line's end: cmd would end the command there and
					// run a curl without the rest. Read as the continuation it was meant to be.
					l, c := at(i)
					notes = append(notes, note("curl.caret-space", l, c))
					i = k + 1
					if strings.HasPrefix(src[k:], "\r\n") {
						i = k + 2
					}
					escNext = true
					continue
				}
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
		return nil, notCurlf("the input has no command: no curl command to read")
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
				return nil, errf("unterminated quote at line %d, column %d", l, c)
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

// curlChromeEscaped tells the characters Chrome's cmd escaping put a ^ before: all but
// letters, digits, white space and _-:=+~'/.,?;()*`.
func curlChromeEscaped(c byte) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80 {
		return false
	}
	return strings.IndexByte(" \t\r\n_-:=+~'/.,?;()*`", c) < 0
}

// curlEnvStart tells a character that may start an environment variable's name (Chrome
// wrote %^ before one so that cmd would not expand %NAME%).
func curlEnvStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
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
	// Transport, TLS, proxy, output and retry options: how curl reaches the server and what
	// it does with the answer, not what it sends. Accepted and noted.
	{long: "proxy", short: 'x', value: true},
	{long: "proxy-user", short: 'U', value: true},
	{long: "preproxy", value: true},
	{long: "noproxy", value: true},
	{long: "proxy-insecure"},
	{long: "proxy-cacert", value: true},
	{long: "proxy-basic"},
	{long: "proxy-ntlm"},
	{long: "proxy-anyauth"},
	{long: "proxytunnel", short: 'p'},
	{long: "socks5", value: true},
	{long: "socks5-hostname", value: true},
	{long: "cacert", value: true},
	{long: "capath", value: true},
	{long: "ca-native"},
	{long: "cert", short: 'E', value: true},
	{long: "cert-type", value: true},
	{long: "cert-status"},
	{long: "key", value: true},
	{long: "key-type", value: true},
	{long: "pass", value: true},
	{long: "ciphers", value: true},
	{long: "tls-max", value: true},
	{long: "tlsv1", short: '1'},
	{long: "tlsv1.0"},
	{long: "tlsv1.1"},
	{long: "sslv3", short: '3'},
	{long: "ssl"},
	{long: "ssl-reqd"},
	{long: "ssl-no-revoke"},
	{long: "ssl-revoke-best-effort"},
	{long: "ssl-allow-beast"},
	{long: "pinnedpubkey", value: true},
	{long: "cookie-jar", short: 'c', value: true},
	{long: "junk-session-cookies", short: 'j'},
	{long: "trace", value: true},
	{long: "trace-ascii", value: true},
	{long: "trace-time"},
	{long: "trace-ids"},
	{long: "trace-config", value: true},
	{long: "stderr", value: true},
	{long: "libcurl", value: true},
	{long: "max-redirs", value: true},
	{long: "location-trusted"},
	{long: "post301"},
	{long: "post302"},
	{long: "post303"},
	{long: "resolve", value: true},
	{long: "connect-to", value: true},
	{long: "interface", value: true},
	{long: "local-port", value: true},
	{long: "dns-servers", value: true},
	{long: "doh-url", value: true},
	{long: "unix-socket", value: true},
	{long: "abstract-unix-socket", value: true},
	{long: "limit-rate", value: true},
	{long: "speed-limit", short: 'Y', value: true},
	{long: "speed-time", short: 'y', value: true},
	{long: "keepalive-time", value: true},
	{long: "no-keepalive"},
	{long: "no-sessionid"},
	{long: "tcp-nodelay"},
	{long: "tcp-fastopen"},
	{long: "expect100-timeout", value: true},
	{long: "happy-eyeballs-timeout-ms", value: true},
	{long: "retry-connrefused"},
	{long: "retry-all-errors"},
	{long: "parallel", short: 'Z'},
	{long: "parallel-max", value: true},
	{long: "create-dirs"},
	{long: "output-dir", value: true},
	{long: "remote-name-all"},
	{long: "remote-header-name", short: 'J'},
	{long: "remote-time", short: 'R'},
	{long: "xattr"},
	{long: "styled-output"},
	{long: "show-headers"},
	{long: "raw"},
	{long: "ignore-content-length"},
	{long: "tr-encoding"},
	{long: "disable", short: 'q'},
	{long: "no-alpn"},
	{long: "no-npn"},
	{long: "alt-svc", value: true},
	{long: "hsts", value: true},
	{long: "http0.9"},
	{long: "fail-early"},
	{long: "proto", value: true},
	{long: "proto-redir", value: true},
	{long: "proto-default", value: true},
	{long: "basic"},
	{long: "etag-save", value: true},
	{long: "rate", value: true},
	{long: "clobber"},
	{long: "skip-existing"},
	{long: "keepalive"},
	{long: "sessionid"},
	{long: "buffer"},
	{long: "progress-meter"},
	{long: "alpn"},
	{long: "npn"},
	{long: "http3-only"},
	{long: "tls13-ciphers", value: true},
	{long: "proxy-tls13-ciphers", value: true},
	{long: "proxy-ciphers", value: true},
	{long: "proxy-header", value: true},
	{long: "proxy-digest"},
	{long: "proxy-negotiate"},
	{long: "proxy-key", value: true},
	{long: "proxy-key-type", value: true},
	{long: "proxy-cert", value: true},
	{long: "proxy-cert-type", value: true},
	{long: "proxy-pass", value: true},
	{long: "proxy-service-name", value: true},
	{long: "proxy-tlsv1"},
	{long: "proxy-ssl-allow-beast"},
	{long: "proxy-tlspassword", value: true},
	{long: "proxy-tlsuser", value: true},
	{long: "proxy-tlsauthtype", value: true},
	{long: "proxy-pinnedpubkey", value: true},
	{long: "proxy-capath", value: true},
	{long: "proxy-crlfile", value: true},
	{long: "proxy1.0", value: true},
	{long: "tlspassword", value: true},
	{long: "tlsuser", value: true},
	{long: "tlsauthtype", value: true},
	{long: "crlfile", value: true},
	{long: "engine", value: true},
	{long: "egd-file", value: true},
	{long: "random-file", value: true},
	{long: "false-start"},
	{long: "ssl-auto-client-cert"},
	{long: "suppress-connect-headers"},
	{long: "haproxy-protocol"},
	{long: "max-filesize", value: true},
	{long: "doh-insecure"},
	{long: "doh-cert-status"},
	{long: "disallow-username-in-url"},
	{long: "sslv2", short: '2'},
	{long: "ip-tos", value: true},
	{long: "vlan-priority", value: true},
	{long: "mptcp"},
	{long: "ech", value: true},
	{long: "curves", value: true},
	{long: "sigalgs", value: true},
	{long: "compressed-ssh"},
	{long: "dns-interface", value: true},
	{long: "dns-ipv4-addr", value: true},
	{long: "dns-ipv6-addr", value: true},
	{long: "socks4", value: true},
	{long: "socks4a", value: true},
	{long: "socks5-basic"},
	{long: "socks5-gssapi"},
	{long: "etag-compare", value: true},
	{long: "create-file-mode", value: true},
	{long: "delegation", value: true},
	{long: "disable-eprt"},
	{long: "disable-epsv"},
	{long: "haproxy-clientip", value: true},
	{long: "ipfs-gateway", value: true},
	{long: "keepalive-cnt", value: true},
	{long: "krb", value: true},
	{long: "login-options", value: true},
	{long: "parallel-immediate"},
	{long: "proxy-ca-native"},
	{long: "proxy-http2"},
	{long: "proxy-ssl-auto-client-cert"},
	{long: "pubkey", value: true},
	{long: "hostpubmd5", value: true},
	{long: "hostpubsha256", value: true},
	{long: "knownhosts", value: true},
	{long: "remove-on-error"},
	{long: "sasl-authzid", value: true},
	{long: "sasl-ir"},
	{long: "service-name", value: true},
	{long: "socks5-gssapi-nec"},
	{long: "socks5-gssapi-service", value: true},
	{long: "tls-earlydata"},
	{long: "ssl-sessions", value: true},
	{long: "crlf"},
	{long: "use-ascii", short: 'B'},
	{long: "append", short: 'a'},
	{long: "list-only", short: 'l'},
	{long: "quote", short: 'Q', value: true},
	{long: "ftp-account", value: true},
	{long: "ftp-alternative-to-user", value: true},
	{long: "ftp-create-dirs"},
	{long: "ftp-method", value: true},
	{long: "ftp-pasv"},
	{long: "ftp-port", short: 'P', value: true},
	{long: "ftp-pret"},
	{long: "ftp-skip-pasv-ip"},
	{long: "ftp-ssl-ccc"},
	{long: "ftp-ssl-ccc-mode", value: true},
	{long: "ftp-ssl-control"},
	{long: "mail-auth", value: true},
	{long: "mail-from", value: true},
	{long: "mail-rcpt", value: true},
	{long: "mail-rcpt-allowfails"},
	{long: "tftp-blksize", value: true},
	{long: "tftp-no-options"},
	{long: "telnet-option", short: 't', value: true},
	{long: "metalink"},
	{long: "form-escape"},
	{long: "ntlm-wb", do: curlNoteOnly("curl.auth-scheme")},
	{long: "range", short: 'r', value: true, do: func(p *curlParser, _ *curlOpt, v string, pos int, _ bool) error {
		p.header("Range: bytes="+strings.TrimSpace(v), pos)
		return nil
	}},
	{long: "continue-at", short: 'C', value: true, do: func(p *curlParser, _ *curlOpt, v string, pos int, _ bool) error {
		v = strings.TrimSpace(v)
		if v == "-" {
			p.note(note("curl.continue-auto"))
			return nil
		}
		if n, err := strconv.ParseInt(v, 10, 64); err != nil || n < 0 {
			return errf("curl option -C/--continue-at %s needs a byte offset or -", p.where(pos))
		} else if n > 0 {
			p.header(fmt.Sprintf("Range: bytes=%d-", n), pos)
		}
		return nil
	}},
	{long: "time-cond", short: 'z', value: true, do: (*curlParser).optTimeCond},
	// What changes the request in ways the case cannot hold: read with a note.
	{long: "digest", do: curlNoteOnly("curl.auth-scheme")},
	{long: "ntlm", do: curlNoteOnly("curl.auth-scheme")},
	{long: "negotiate", do: curlNoteOnly("curl.auth-scheme")},
	{long: "anyauth", do: curlNoteOnly("curl.auth-scheme")},
	{long: "aws-sigv4", value: true, do: curlNoteOnly("curl.auth-scheme")},
	{long: "netrc", short: 'n', do: curlNoteOnly("curl.netrc")},
	{long: "netrc-optional", do: curlNoteOnly("curl.netrc")},
	{long: "netrc-file", value: true, do: curlNoteOnly("curl.netrc")},
	// Options that build the request.
	{long: "form", short: 'F', value: true, do: (*curlParser).optForm},
	{long: "form-string", value: true, do: (*curlParser).optForm},
	{long: "url-query", value: true, do: (*curlParser).optURLQuery},
	{long: "upload-file", short: 'T', value: true, do: (*curlParser).optUpload},
}

// curlKnownNames are curl options the parser does not take, for telling an unambiguous
// abbreviation from an ambiguous one as curl does (--ce could be --cert or --cert-type).
var curlKnownNames = []string{"config", "variable", "expand-url", "range", "continue-at", "time-cond",
	"quote", "append", "list-only", "crlf", "use-ascii", "manual", "help", "version", "mail-from",
	"mail-rcpt", "mail-auth", "ftp-port", "ftp-pasv", "ftp-method", "ftp-ssl", "krb", "delegation",
	"service-name", "sasl-ir", "sasl-authzid", "login-options", "oauth2-bearer", "request-target",
	"haproxy-protocol", "haproxy-clientip", "ech", "curves", "sigalgs", "ip-tos", "vlan-priority", "mptcp",
	"metalink", "compressed-ssh", "false-start", "egd-file", "random-file", "engine", "ssl-auto-client-cert",
	"proxy-digest", "proxy-negotiate", "proxy-key", "proxy-cert", "proxy-pass", "proxy-header", "proxy-service-name",
	"proxy-ssl-allow-beast", "proxy-tlsv1", "proxy-tlspassword", "tlspassword", "tlsuser", "tlsauthtype",
	"etag-compare", "globoff", "json", "max-filesize", "ignore-content-length", "suppress-connect-headers"}

// curlNoteOnly is an option that changes the request in a way the case cannot hold: it is
// read with a note that says so.
func curlNoteOnly(id string) func(*curlParser, *curlOpt, string, int, bool) error {
	return func(p *curlParser, o *curlOpt, _ string, _ int, _ bool) error {
		p.note(note(id, o.String()))
		return nil
	}
}

// curlLookup finds a long option by its name or, as curl does, by an unambiguous start of it.
// It returns ambiguous when the start fits several options.
func curlLookup(name string) (o *curlOpt, ambiguous bool) {
	curlLong, _ := curlIndex()
	if o := curlLong[name]; o != nil {
		return o, false
	}
	if len(name) < 2 {
		return nil, false
	}
	var found *curlOpt
	hits := 0
	seen := map[string]bool{}
	for _, c := range curlOpts {
		if strings.HasPrefix(c.long, name) && !seen[c.long] {
			seen[c.long] = true
			found = c
			hits++
		}
	}
	for _, k := range curlKnownNames {
		if strings.HasPrefix(k, name) && !seen[k] {
			seen[k] = true
			hits++
		}
	}
	if hits == 1 && found != nil {
		return found, false
	}
	return nil, hits > 1
}

// curlIndex finds curlOpts by long and by short name: built by the first curl paste, not by
// every start of the program.
var curlIndex = sync.OnceValues(func() (map[string]*curlOpt, map[byte]*curlOpt) {
	long, short := make(map[string]*curlOpt, len(curlOpts)), map[byte]*curlOpt{}
	for _, o := range curlOpts {
		long[o.long] = o
		if o.short != 0 {
			short[o.short] = o
		}
	}
	return long, short
})

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

	parts     []curlPart // -F/--form, in order
	partsPos  int
	queries   []string // --url-query pieces, encoded
	upload    string   // -T/--upload-file
	uploadPos int

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
func (p *curlParser) where(pos int) Note {
	if pos <= 0 || pos >= len(p.cmd.words) {
		return note("curl.where-pos", pos)
	}
	w := p.cmd.words[pos]
	return note("curl.where", pos, w.line, w.col)
}

// curlOptName shows an option as written, when it is safe to show.
func curlOptName(s string) string {
	name := strings.TrimLeft(s, "-")
	if curlShowable(name, 40) && curlDigits(name) <= 3 || len(name) == 1 && name[0] > ' ' && name[0] < 0x7f {
		return s
	}
	return "(not shown)"
}

var curlQuotes = []string{"\u201c", "\u201d", "\u2018", "\u2019", "\u201e", "\u201f", "\u00ab", "\u00bb"}

// curlTypographicQuote returns the typographic quote that opens or closes a word, or "".
// Inside a word (an apostrophe in a name) it is text, not a quote.
func curlTypographicQuote(w string) string {
	for _, q := range curlQuotes {
		if strings.HasPrefix(w, q) || strings.HasSuffix(w, q) || strings.Contains(w, ":"+q) || strings.Contains(w, "="+q) {
			return q
		}
	}
	return ""
}

var curlDashes = []string{"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"}

func (p *curlParser) parse() (*Request, error) {
	words := p.cmd.words
	for i := 1; i < len(words); i++ {
		if q := curlTypographicQuote(words[i].text); q != "" {
			return nil, errf("the argument %s has a typographic quote (%s), not a straight one: a chat or word processor replaced it; write \" or ' instead", p.where(i), q)
		}
	}
	onlyURLs := false
	for i := 1; i < len(words); i++ {
		a := words[i].text
		pos := i
		if !onlyURLs && a == "--" {
			onlyURLs = true
			continue
		}
		if !onlyURLs && (a == "--next" || a == "-:") {
			// curl starts another request here: the first one is the case's.
			p.note(note("curl.next"))
			break
		}
		if !onlyURLs {
			for _, d := range curlDashes {
				if strings.HasPrefix(a, d) {
					return nil, errf("the argument %s starts with a typographic dash (%s), not a hyphen: a chat or word processor replaced it; write - or --", p.where(pos), d)
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
			o, ambiguous := curlLookup(name)
			neg := false
			if o == nil && strings.HasPrefix(name, "no-") {
				if o2, amb := curlLookup(name[3:]); o2 != nil && !o2.value {
					o, neg, ambiguous = o2, true, false
				} else if amb {
					ambiguous = true
				}
			}
			if o == nil && ambiguous {
				return nil, errf("the curl option %s is ambiguous: it is the start of several options %s", curlOptName("--"+name), p.where(pos))
			}
			if o == nil {
				return nil, errf("unsupported curl option %s %s", curlOptName("--"+name), p.where(pos))
			}
			if o.long != name && o.long != strings.TrimPrefix(name, "no-") {
				p.note(note("curl.abbrev", curlOptName("--"+name), "--"+o.long))
			}
			if o.value && !hasVal {
				if i+1 >= len(words) {
					return nil, errf("curl option --%s needs a value %s", o.long, p.where(pos))
				}
				i++
				val = words[i].text
			} else if !o.value && hasVal {
				return nil, errf("curl option --%s takes no value %s", o.long, p.where(pos))
			}
			if err := p.apply(o, val, pos, neg); err != nil {
				return nil, err
			}
			continue
		}
		for j := 1; j < len(a); j++ { // -sSL, -XPOST, -sXPOST
			_, curlShort := curlIndex()
			o := curlShort[a[j]]
			if o == nil {
				r, _ := utf8.DecodeRuneInString(a[j:])
				return nil, errf("unsupported curl option %s %s", curlOptName("-"+string(r)), p.where(pos))
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
					return nil, errf("curl option -%c needs a value %s", o.short, p.where(pos))
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
		return errf("the method given to -X/--request %s is not an HTTP method", p.where(pos))
	}
	p.method, p.methodPos = v, pos
	return nil
}

func (p *curlParser) optHeader(_ *curlOpt, v string, pos int, _ bool) error {
	if strings.HasPrefix(v, "@") { // -H @file: one header a line
		data, err := p.read("-H/--header", v[1:], pos)
		if err != nil {
			p.note(note("curl.file-missing", "-H/--header", curlFileName(v[1:])))
			return nil
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
		return nil, errf("%s %s reads a file (@%s), and no file reader was given", opt, p.where(pos), curlFileName(name))
	}
	data, err := p.readFile(name)
	if err != nil {
		return nil, errf("%s %s: cannot read @%s: %v", opt, p.where(pos), curlFileName(name), err)
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
		if piece, err = p.urlencode("--data-urlencode", v, pos); err != nil {
			return err
		}
	default:
		if strings.HasPrefix(v, "@") {
			data, err := p.read("--"+o.long, v[1:], pos)
			if err != nil {
				// curl warns and sends the request without that data: so is it read, noted.
				p.note(note("curl.file-missing", "--"+o.long, curlFileName(v[1:])))
				data = nil
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
// As curl does, an = anywhere wins over an @: 'x@y=z' is the name x@y and the content z.
func (p *curlParser) urlencode(opt, v string, pos int) ([]byte, error) {
	i := strings.IndexByte(v, '=')
	if i < 0 {
		i = strings.IndexByte(v, '@')
	}
	switch {
	case i < 0:
		return []byte(curlEscape(v)), nil
	case v[i] == '=':
		if i == 0 {
			return []byte(curlEscape(v[1:])), nil
		}
		return []byte(v[:i] + "=" + curlEscape(v[i+1:])), nil
	}
	data, err := p.read(opt, v[i+1:], pos)
	if err != nil {
		p.note(note("curl.file-missing", opt, curlFileName(v[i+1:])))
		data = nil
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

// curlPart is one -F/--form part.
type curlPart struct {
	name, filename, contentType string
	data                        []byte
	file                        bool // a file upload (name=@file): it has a filename
}

// optForm reads -F name=value, name=@file (an upload), name=<file (a text part from a file),
// each with ;type= and ;filename=; --form-string takes the value as it is.
func (p *curlParser) optForm(o *curlOpt, v string, pos int, _ bool) error {
	name, content, ok := strings.Cut(v, "=")
	if !ok {
		return errf("the -F/--form value %s has no name=content", p.where(pos))
	}
	part := curlPart{name: name}
	if p.partsPos == 0 {
		p.partsPos = pos
	}
	if o.long == "form-string" || content == "" || content[0] != '@' && content[0] != '<' {
		if o.long != "form-string" {
			if k := strings.Index(content, ";type="); k >= 0 {
				content, part.contentType = content[:k], content[k+len(";type="):]
			}
		}
		part.data = []byte(content)
		p.parts = append(p.parts, part)
		return nil
	}
	kind := content[0]
	fields := strings.Split(content[1:], ";")
	file := fields[0]
	for _, f := range fields[1:] {
		k, val, _ := strings.Cut(f, "=")
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "type":
			part.contentType = strings.Trim(val, `"`)
		case "filename":
			part.filename = strings.Trim(val, `"`)
		case "headers", "encoder":
			p.note(note("curl.form-extra"))
		default:
			file += ";" + f // a ; in the file name itself
		}
	}
	data, err := p.read("-F/--form", file, pos)
	if err != nil {
		return err
	}
	part.data = data
	if kind == '@' {
		part.file = true
		if part.filename == "" {
			part.filename = path.Base(strings.ReplaceAll(file, `\`, "/"))
		}
		if part.contentType == "" {
			part.contentType = curlFileType(part.filename)
		}
	}
	p.parts = append(p.parts, part)
	return nil
}

// curlFileType is the Content-Type curl gives an uploaded file, from its extension.
func curlFileType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".gif":
		return "image/gif"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	case ".svg":
		return "image/svg+xml"
	case ".txt":
		return "text/plain"
	case ".html":
		return "text/html"
	case ".json":
		return "application/json"
	case ".xml":
		return "application/xml"
	case ".pdf":
		return "application/pdf"
	}
	return "application/octet-stream"
}

// curlBoundary separates the parts of a rebuilt multipart body. curl picks a random one;
// a fixed one keeps verdicts reproducible.
const curlBoundary = "------------------------triagem7d1c4f0a9b2e"

func curlMultipart(parts []curlPart) []byte {
	var b bytes.Buffer
	q := strings.NewReplacer(`"`, `%22`, "\r", "%0D", "\n", "%0A")
	for _, pt := range parts {
		fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"", curlBoundary, q.Replace(pt.name))
		if pt.file {
			fmt.Fprintf(&b, "; filename=\"%s\"", q.Replace(pt.filename))
		}
		b.WriteString("\r\n")
		if pt.contentType != "" {
			fmt.Fprintf(&b, "Content-Type: %s\r\n", pt.contentType)
		}
		b.WriteString("\r\n")
		b.Write(pt.data)
		b.WriteString("\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", curlBoundary)
	return b.Bytes()
}

// optURLQuery reads --url-query: content, name=content, @file, name@file (encoded as
// --data-urlencode does), or +content, kept as it is.
func (p *curlParser) optURLQuery(_ *curlOpt, v string, pos int, _ bool) error {
	if strings.HasPrefix(v, "+") {
		p.queries = append(p.queries, v[1:])
		return nil
	}
	piece, err := p.urlencode("--url-query", v, pos)
	if err != nil {
		return err
	}
	p.queries = append(p.queries, string(piece))
	return nil
}

// optUpload reads -T/--upload-file: the file is the body of a PUT.
func (p *curlParser) optUpload(_ *curlOpt, v string, pos int, _ bool) error {
	if strings.TrimSpace(v) == "" {
		return errf("curl option -T/--upload-file %s has no file name", p.where(pos))
	}
	p.upload, p.uploadPos = v, pos
	return nil
}

// optTimeCond reads -z/--time-cond: a date gives If-Modified-Since (If-Unmodified-Since
// after a -) as curl sends it; anything else names a file whose time curl would use.
func (p *curlParser) optTimeCond(_ *curlOpt, v string, pos int, _ bool) error {
	name := "If-Modified-Since"
	v = strings.TrimSpace(v)
	switch {
	case strings.HasPrefix(v, "-"):
		name, v = "If-Unmodified-Since", v[1:]
	case strings.HasPrefix(v, "+"):
		v = v[1:]
	}
	for _, layout := range []string{http.TimeFormat, time.RFC850, time.ANSIC, time.RFC1123Z, time.RFC3339, "2006-01-02 15:04:05", "2006-01-02", "Jan 2 2006", "2 Jan 2006", "20060102 15:04:05", "20060102"} {
		if t, err := time.Parse(layout, v); err == nil {
			p.header(name+": "+t.UTC().Format(http.TimeFormat), pos)
			return nil
		}
	}
	p.note(note("curl.time-cond"))
	return nil
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
		return errf("curl option --oauth2-bearer has an empty value %s", p.where(pos))
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
		return errf("more than one URL: %s and %s; give one request at a time", p.where(p.urlPos), p.where(pos))
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return errf("the URL %s is empty", p.where(pos))
	}
	p.rawURL, p.urlPos = v, pos
	return nil
}

func (p *curlParser) request() (*Request, error) {
	if p.urlPos == 0 {
		return nil, errf("no URL in the curl command: give it as an argument or with --url")
	}
	raw := p.rawURL
	if !p.globoff {
		g, notes, err := curlGlob(raw)
		if err != nil {
			return nil, errf("the URL %s: %v (curl reads [ ] { } as a pattern unless -g/--globoff is given)", p.where(p.urlPos), err)
		}
		raw = g
		for _, n := range notes {
			p.note(n)
		}
	}
	if i := strings.Index(raw, "://"); i < 0 {
		raw = "http://" + raw
		p.note(note("curl.no-scheme"))
	} else if s := strings.ToLower(raw[:i]); s != "http" && s != "https" {
		return nil, errf("the URL %s is not an http or https URL", p.where(p.urlPos))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errf("the URL %s is not a valid URL", p.where(p.urlPos))
	}
	if u.Host == "" {
		return nil, errf("the URL %s has no host", p.where(p.urlPos))
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
	var upload []byte
	if p.upload != "" {
		if len(p.parts) > 0 || p.hasData && !p.get {
			return nil, errf("-T/--upload-file %s goes with no other body (-d, -F): give one body", p.where(p.uploadPos))
		}
		data, err := p.read("-T/--upload-file", p.upload, p.uploadPos)
		if err != nil {
			return nil, err
		}
		upload = data
		if u, err := url.Parse(raw); err == nil && (u.Path == "" || strings.HasSuffix(u.Path, "/")) && p.upload != "-" && p.upload != "." {
			u.Path = strings.TrimSuffix(u.Path, "/") + "/" + path.Base(strings.ReplaceAll(p.upload, `\`, "/"))
			raw = u.String()
			p.note(note("curl.upload-name"))
		}
	}
	if len(p.parts) > 0 && p.hasData {
		return nil, errf("-F/--form %s goes with no -d/--data (curl refuses them together): give one body", p.where(p.partsPos))
	}

	req := &Request{Source: "curl", Headers: map[string]string{}}
	switch {
	case p.method != "":
		req.Method = p.method
	case p.head:
		req.Method = http.MethodHead
	case p.upload != "":
		req.Method = http.MethodPut
	case p.get:
		req.Method = http.MethodGet
	case p.hasData, len(p.parts) > 0:
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
			return nil, errf("the data moved to the URL by -G/--get does not make a valid URL")
		}
		p.note(note("curl.get-query"))
	} else if p.hasData {
		req.Body, req.HasBody = bytes.Clone(p.body.Bytes()), true
	}
	switch {
	case upload != nil:
		req.Body, req.HasBody = upload, true
	case len(p.parts) > 0:
		req.Body, req.HasBody = curlMultipart(p.parts), true
		p.note(note("curl.form"))
	}
	if len(p.queries) > 0 {
		frag := ""
		if k := strings.IndexByte(raw, '#'); k >= 0 {
			raw, frag = raw[:k], raw[k:]
		}
		sep := "?"
		if strings.Contains(raw, "?") {
			sep = "&"
		}
		raw = raw + sep + strings.Join(p.queries, "&") + frag
		if _, err := url.Parse(raw); err != nil {
			return nil, errf("the --url-query data does not make a valid URL")
		}
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
		case len(p.parts) > 0 && upload == nil:
			if !derive("Content-Type", "multipart/form-data; boundary="+curlBoundary) {
				if ct := req.Headers["Content-Type"]; strings.HasPrefix(strings.ToLower(ct), "multipart/") && !strings.Contains(ct, "boundary=") {
					req.Headers["Content-Type"] = ct + "; boundary=" + curlBoundary
				}
			}
		case upload != nil:
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

// curlGlob does what curl's URL globbing does to one URL without -g/--globoff: \[ \] \{ \}
// lose their backslash (Chrome writes them so), a {a,b} set and an [a-b] range become their
// first value (curl would send one request per value: notes say so), and an unmatched bracket
// or brace is an error, as in curl. An IPv6 address in brackets is the host, not a pattern.
func curlGlob(raw string) (string, []Note, error) {
	if !strings.ContainsAny(raw, "[]{}") {
		return raw, nil, nil
	}
	var b strings.Builder
	var notes []Note
	start := 0
	if k := strings.Index(raw, "://"); k >= 0 {
		start = k + 3
	}
	if at := strings.IndexAny(raw[start:], "/?#"); at != 0 {
		host := raw[start:]
		if at > 0 {
			host = host[:at]
		}
		if i := strings.LastIndexByte(host, '@'); i >= 0 {
			start += i + 1
		}
		if strings.HasPrefix(raw[start:], "[") {
			if j := strings.IndexByte(raw[start:], ']'); j > 0 {
				start += j + 1
			}
		}
	}
	b.WriteString(raw[:start])
	unescaped, many := false, 1
	for i := start; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '\\' && i+1 < len(raw) && strings.IndexByte("[]{}", raw[i+1]) >= 0:
			b.WriteByte(raw[i+1])
			i++
			unescaped = true
		case c == '{':
			j := strings.IndexByte(raw[i:], '}')
			if j < 0 {
				return "", nil, errf("a { at character %d has no closing }", i+1)
			}
			set := strings.Split(raw[i+1:i+j], ",")
			b.WriteString(set[0])
			many *= len(set)
			if len(set) == 1 {
				notes = append(notes, note("curl.glob-one"))
			}
			i += j
		case c == '[':
			j := strings.IndexByte(raw[i:], ']')
			if j < 0 {
				return "", nil, errf("a [ at character %d has no closing ]", i+1)
			}
			first, n, ok := curlRange(raw[i+1 : i+j])
			if !ok {
				return "", nil, errf("the [...] at character %d is not a range such as [1-5] or [a-z]", i+1)
			}
			b.WriteString(first)
			many *= n
			i += j
		case c == '}' || c == ']':
			return "", nil, errf("a %c at character %d closes nothing", c, i+1)
		default:
			b.WriteByte(c)
		}
	}
	if unescaped {
		notes = append(notes, note("curl.glob-escape"))
	}
	if many > 1 {
		notes = append(notes, note("curl.glob-many", many))
	}
	return b.String(), notes, nil
}

// curlRange reads a curl range: 1-5, 01-10, a-z, with an optional :step. It returns the
// first value and how many there are.
func curlRange(s string) (first string, n int, ok bool) {
	body, step := s, 1
	if k := strings.IndexByte(s, ':'); k >= 0 {
		st, err := strconv.Atoi(s[k+1:])
		if err != nil || st < 1 {
			return "", 0, false
		}
		body, step = s[:k], st
	}
	a, z, found := strings.Cut(body, "-")
	if !found || a == "" || z == "" {
		return "", 0, false
	}
	if len(a) == 1 && len(z) == 1 && (a[0] >= 'a' && z[0] <= 'z' || a[0] >= 'A' && z[0] <= 'Z') && a[0] <= z[0] && !(a[0] >= '0' && a[0] <= '9') {
		return a, (int(z[0]-a[0]))/step + 1, true
	}
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(z)
	if err1 != nil || err2 != nil || x < 0 || y < x {
		return "", 0, false
	}
	return a, (y-x)/step + 1, true
}
