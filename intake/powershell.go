package intake

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrNotPowerShell is wrapped by the errors ParsePowerShell returns when the text holds no
// Invoke-WebRequest or Invoke-RestMethod command at all.
var ErrNotPowerShell = errors.New("not a PowerShell web request")

var psCommandRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?im)(?:^|[;|(]|\$\w+\s*=)\s*(?:Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\b|^\s*curl\s+(?:.*\s)?-(?:Uri|Method|Headers|Body|UseBasicParsing|WebSession)\b`)
})

// NoteDetectedPowerShell says that a text given as curl was read as PowerShell.
func NoteDetectedPowerShell() Note { return note("ps.detected") }

// NoteDetectedCurl says that a text given as PowerShell was read as curl.
func NoteDetectedCurl() Note { return note("curl.detected") }

// LooksLikePowerShell tells a PowerShell web request (Chrome's "Copy as PowerShell", a
// hand-written Invoke-RestMethod, or PowerShell 5's curl alias with -Uri and -Headers) from a
// curl command line.
func LooksLikePowerShell(text string) bool {
	return psCommandRE().MatchString(text)
}

// ParsePowerShell reads a PowerShell script that sends one web request, as Chrome's "Copy as
// PowerShell" writes it (a WebRequestSession with the user agent and cookies, then
// Invoke-WebRequest -Uri -Method -Headers @{...} -ContentType -Body, backtick continuations)
// or as people write it (Invoke-RestMethod, $headers and $body variables, here-strings).
// readFile reads -InFile. Variables other than these and subexpressions are kept as written
// (and noted), never run. Errors name the line and column, never a value.
//
// PowerShell's grammar has no Go parser among the project's dependencies; this reader
// knows the part of it such scripts use.
func ParsePowerShell(text string, readFile func(string) ([]byte, error)) (*Request, error) {
	text = strings.TrimPrefix(text, "\ufeff")
	if !utf8.ValidString(text) {
		return nil, notPSf("the input is not UTF-8 text")
	}
	lx := &psLexer{src: text}
	stmts, err := lx.statements()
	if err != nil {
		return nil, err
	}
	p := &psReader{vars: map[string]psValue{}, readFile: readFile, seen: map[string]bool{}}
	if lx.lostBreaks {
		p.note(note("ps.lost-breaks"))
	}
	if lx.smart {
		p.note(note("ps.smart-quotes"))
	}
	var call []psToken
	calls := 0
	for _, st := range stmts {
		if len(st) == 0 {
			continue
		}
		// $x = value, $session.UserAgent = value, $session.Cookies.Add(...)
		if st[0].kind == psVar {
			if len(st) >= 3 && st[1].kind == psOp && st[1].text == "=" {
				name := strings.ToLower(st[0].text)
				if psIsCommand(st[2]) {
					if call == nil {
						call = st[2:]
					}
					calls++
					continue
				}
				switch {
				case strings.HasSuffix(name, ".useragent"):
					if st[2].kind == psString {
						p.agent = st[2].text
					}
				case !strings.Contains(name, "."):
					v := st[2]
					if len(st) > 4 && st[3].kind == psOp && st[3].text == "|" && psIsConvertToJSON(st[4]) {
						if js, ok := p.toJSON(v); ok {
							v = psToken{kind: psString, text: js, line: v.line, col: v.col}
							p.note(note("ps.convertto-json"))
						}
					}
					p.vars[name] = v.value()
				}
				continue
			}
			lower := strings.ToLower(st[0].text)
			if strings.HasSuffix(lower, ".cookies.add") {
				p.cookie(st)
				continue
			}
			if base, ok := strings.CutSuffix(lower, ".add"); ok && !strings.Contains(base, ".") && len(st) > 1 && st[1].kind == psGroup && len(st[1].strs) >= 2 {
				// $headers.Add("Authorization", "Bearer ..."), as Postman's snippets write
				// headers into a Dictionary.
				v := p.vars[base]
				if v.tok.kind != psHash {
					v.tok = psToken{kind: psHash, line: st[0].line, col: st[0].col}
				}
				v.tok.hash = append(v.tok.hash, psPair{key: st[1].strs[0], val: psToken{kind: psString, text: st[1].strs[1], line: st[1].line, col: st[1].col}})
				p.vars[base] = v
			}
			continue
		}
		if psIsCommand(st[0]) {
			if call == nil {
				call = st
			}
			calls++
		}
	}
	if call == nil {
		return nil, notPSf("the text has no Invoke-WebRequest or Invoke-RestMethod command")
	}
	if calls > 1 {
		p.note(note("ps.many", calls))
	}
	return p.request(call)
}

// ---- lexer ----

type psKind int

const (
	psWord   psKind = iota // a bare word: a command name, an argument
	psParam                // -Name (text without the dash); -Name:value gives a psParam then the value
	psString               // a string literal, decoded
	psVar                  // $name or $name.Member (text without the $)
	psHash                 // @{ key = value; ... }
	psGroup                // ( ... ): text is the inner source; strs the string literals in it
	psOp                   // = , and other punctuation
)

type psToken struct {
	kind      psKind
	text      string
	line, col int
	hash      []psPair
	strs      []string
	expanded  bool // a double-quoted string with $variables or $(...) kept as written
}

type psPair struct {
	key string
	val psToken
}

// psValue is what a variable holds: a string or a hashtable.
type psValue struct {
	tok psToken
}

func (t psToken) value() psValue { return psValue{tok: t} }

type psLexer struct {
	src        string
	i          int
	inKey      bool // reading a hashtable key: a bare word ends at =
	lostBreaks bool // "` -Param" on one line: continuations whose line breaks were lost
	smart      bool // typographic quotes opened a string
}

func (lx *psLexer) errf(line, col int, format string, args ...any) error {
	return errf(format+" at line %d, column %d", append(args, line, col)...)
}

func (lx *psLexer) pos(i int) (int, int) {
	line := 1 + strings.Count(lx.src[:i], "\n")
	col := i - strings.LastIndexByte(lx.src[:i], '\n')
	return line, col
}

// statements splits the script into statements of tokens. A newline ends a statement unless
// a backtick continues it or a @{ } or ( ) is open; ; ends one too.
func (lx *psLexer) statements() ([][]psToken, error) {
	var out [][]psToken
	var cur []psToken
	flush := func() {
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	for lx.i < len(lx.src) {
		c := lx.src[lx.i]
		switch {
		case c == '\n' || c == ';':
			lx.i++
			flush()
		case c == '|':
			// A pipeline stays one statement: "@{...} | ConvertTo-Json" is a value.
			line, col := lx.pos(lx.i)
			lx.i++
			cur = append(cur, psToken{kind: psOp, text: "|", line: line, col: col})
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			lx.i++
		case c == '`':
			// A continuation: a backtick and then spaces to the line's end.
			j := lx.i + 1
			for j < len(lx.src) && (lx.src[j] == ' ' || lx.src[j] == '\t' || lx.src[j] == '\r') {
				j++
			}
			if j >= len(lx.src) || lx.src[j] == '\n' {
				lx.i = j + 1
				continue
			}
			if j > lx.i+1 && lx.src[j] == '-' {
				// A continuation whose line break was lost when pasted: "` -Method".
				lx.lostBreaks = true
				lx.i = j
				continue
			}
			t, err := lx.token()
			if err != nil {
				return nil, err
			}
			cur = append(cur, t)
		case c == '#':
			for lx.i < len(lx.src) && lx.src[lx.i] != '\n' {
				lx.i++
			}
		case strings.HasPrefix(lx.src[lx.i:], "<#"):
			end := strings.Index(lx.src[lx.i:], "#>")
			if end < 0 {
				l, c := lx.pos(lx.i)
				return nil, lx.errf(l, c, "unterminated <# comment")
			}
			lx.i += end + 2
		default:
			t, err := lx.token()
			if err != nil {
				return nil, err
			}
			cur = append(cur, t)
		}
	}
	flush()
	return out, nil
}

func psIsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// token reads one token at lx.i.
func (lx *psLexer) token() (psToken, error) {
	start := lx.i
	line, col := lx.pos(start)
	s := lx.src
	c := s[lx.i]
	tok := psToken{line: line, col: col}
	switch {
	case psDQ(s, lx.i) > 0:
		lx.smart = lx.smart || psDQ(s, lx.i) > 1
		v, exp, err := lx.dquoted()
		if err != nil {
			return tok, err
		}
		tok.kind, tok.text, tok.expanded = psString, v, exp
	case psSQ(s, lx.i) > 0:
		lx.smart = lx.smart || psSQ(s, lx.i) > 1
		v, err := lx.squoted()
		if err != nil {
			return tok, err
		}
		tok.kind, tok.text = psString, v
	case strings.HasPrefix(s[lx.i:], "@\"") || strings.HasPrefix(s[lx.i:], "@'"):
		v, exp, err := lx.hereString()
		if err != nil {
			return tok, err
		}
		tok.kind, tok.text, tok.expanded = psString, v, exp
	case strings.HasPrefix(s[lx.i:], "@{"):
		lx.i += 2
		pairs, err := lx.hashtable(line, col)
		if err != nil {
			return tok, err
		}
		tok.kind, tok.hash = psHash, pairs
	case c == '(' || strings.HasPrefix(s[lx.i:], "$(") || strings.HasPrefix(s[lx.i:], "@("):
		if c != '(' {
			lx.i++
		}
		inner, strs, err := lx.group(line, col)
		if err != nil {
			return tok, err
		}
		tok.kind, tok.text, tok.strs = psGroup, inner, strs
	case c == '$':
		lx.i++
		for lx.i < len(s) && (psNameChar(s[lx.i]) || s[lx.i] == '.' || s[lx.i] == ':') {
			lx.i++
		}
		tok.kind, tok.text = psVar, s[start+1:lx.i]
	case c == '-' && lx.i+1 < len(s) && (s[lx.i+1] >= 'A' && s[lx.i+1] <= 'Z' || s[lx.i+1] >= 'a' && s[lx.i+1] <= 'z'):
		lx.i++
		for lx.i < len(s) && psNameChar(s[lx.i]) {
			lx.i++
		}
		tok.kind, tok.text = psParam, s[start+1:lx.i]
		if lx.i < len(s) && s[lx.i] == ':' { // -Name:value
			lx.i++
		}
	case c == '[' && psCastRE().MatchString(s[lx.i:]):
		// A type cast or accelerator before a value ([ordered]@{...}, [string]$x): the
		// value is what counts.
		m := psCastRE().FindStringSubmatchIndex(s[lx.i:])
		lx.i += m[3]
		for lx.i < len(s) && (s[lx.i] == ' ' || s[lx.i] == '\t') {
			lx.i++
		}
		return lx.token()
	case c == '=' || c == ',' || c == '}' || c == ')' || c == '{' || c == '[' || c == ']':
		lx.i++
		tok.kind, tok.text = psOp, string(c)
	default:
		var b strings.Builder
		for lx.i < len(s) {
			ch := s[lx.i]
			if psIsSpace(ch) || ch == ';' || ch == '|' || ch == '(' || ch == ')' || ch == '{' || ch == '}' || ch == ',' || ch == '=' && lx.inKey {
				break
			}
			if ch == '`' && lx.i+1 < len(s) && !psIsSpace(s[lx.i+1]) {
				lx.i++
				ch = s[lx.i]
			}
			b.WriteByte(ch)
			lx.i++
		}
		if b.Len() == 0 {
			lx.i++
			tok.kind, tok.text = psOp, string(c)
			return tok, nil
		}
		tok.kind, tok.text = psWord, b.String()
	}
	return tok, nil
}

func psNameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// dquoted reads a "..." string: backtick escapes, "" for a quote; $variables and $(...)
// subexpressions are kept as written and reported.
func (lx *psLexer) dquoted() (string, bool, error) {
	s := lx.src
	line, col := lx.pos(lx.i)
	lx.i += psDQ(s, lx.i)
	var b strings.Builder
	expanded := false
	for lx.i < len(s) {
		c := s[lx.i]
		switch {
		case c == '`' && lx.i+1 < len(s):
			lx.i++
			b.WriteString(psEscape(s, &lx.i))
			continue
		case psDQ(s, lx.i) > 0:
			n := psDQ(s, lx.i)
			if m := psDQ(s, lx.i+n); m > 0 {
				b.WriteByte('"')
				lx.i += n + m
				continue
			}
			lx.i += n
			return b.String(), expanded, nil
		case c == '$' && strings.HasPrefix(s[lx.i:], "$([char]"):
			// Chrome writes every character outside printable ASCII as $([char]N).
			if r, n := psCharCode(s[lx.i:]); n > 0 {
				b.WriteString(r)
				lx.i += n
				continue
			}
			expanded = true
		case c == '$' && lx.i+1 < len(s) && (s[lx.i+1] == '(' || s[lx.i+1] == '{' || psNameChar(s[lx.i+1])):
			expanded = true
		}
		b.WriteByte(c)
		lx.i++
	}
	return "", false, lx.errf(line, col, "unterminated \" string")
}

// psDQ and psSQ tell the size of a double or single quote at s[i], 0 when there is none.
// PowerShell takes the typographic quotes a chat or word processor writes (“ ” „ and ‘ ’ ‚ ‛)
// for straight ones, and so does this reader.
func psDQ(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	if s[i] == '"' {
		return 1
	}
	for _, q := range []string{"\u201c", "\u201d", "\u201e"} {
		if strings.HasPrefix(s[i:], q) {
			return len(q)
		}
	}
	return 0
}

func psSQ(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	if s[i] == '\'' {
		return 1
	}
	for _, q := range []string{"\u2018", "\u2019", "\u201a", "\u201b"} {
		if strings.HasPrefix(s[i:], q) {
			return len(q)
		}
	}
	return 0
}

// psCharCode reads $([char]N) at the start of s, and a second one when N is a high
// surrogate (Chrome writes UTF-16 code units): the text and the bytes read, or 0.
func psCharCode(s string) (string, int) {
	one := func(s string) (int, int) {
		const pre = "$([char]"
		if !strings.HasPrefix(s, pre) {
			return 0, 0
		}
		j := len(pre)
		v := 0
		for j < len(s) && s[j] >= '0' && s[j] <= '9' && v < 0x110000 {
			v = v*10 + int(s[j]-'0')
			j++
		}
		if j == len(pre) || j >= len(s) || s[j] != ')' {
			return 0, 0
		}
		return v, j + 1
	}
	v, n := one(s)
	if n == 0 || v > 0xffff {
		return "", 0
	}
	if v >= 0xd800 && v < 0xdc00 {
		if lo, m := one(s[n:]); m > 0 && lo >= 0xdc00 && lo < 0xe000 {
			return string(utf16.DecodeRune(rune(v), rune(lo))), n + m
		}
	}
	return string(rune(v)), n
}

// psEscape decodes the character after a backtick at *i (which it advances past).
func psEscape(s string, i *int) string {
	c := s[*i]
	*i++
	switch c {
	case 'n':
		return "\n"
	case 'r':
		return "\r"
	case 't':
		return "\t"
	case '0':
		return "\x00"
	case 'a':
		return "\a"
	case 'b':
		return "\b"
	case 'f':
		return "\f"
	case 'v':
		return "\v"
	case 'e':
		return "\x1b"
	case 'u':
		if *i < len(s) && s[*i] == '{' {
			if end := strings.IndexByte(s[*i:], '}'); end > 0 {
				var r rune
				if _, err := fmt.Sscanf(s[*i+1:*i+end], "%x", &r); err == nil && utf8.ValidRune(r) {
					*i += end + 1
					return string(r)
				}
			}
		}
	case '$':
		return psDollar
	}
	// Any other character stands for itself: `" `` ` and the rest.
	r, size := utf8.DecodeRuneInString(s[*i-1:])
	*i += size - 1
	return string(r)
}

// psDollar stands for a literal $ (written `$) in a decoded double-quoted string until its
// variables are put in; then it becomes $ again.
const psDollar = "\ue000"

var psVarRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\$(?:\{([^}]+)\}|([A-Za-z_][A-Za-z0-9_]*))`) })

// expand puts the variables the script sets to strings into a double-quoted string; the
// others stay as written, with a note.
func (p *psReader) expand(s, param string) string {
	s = psVarRE().ReplaceAllStringFunc(s, func(m string) string {
		sm := psVarRE().FindStringSubmatch(m)
		name := strings.ToLower(sm[1] + sm[2])
		if v, ok := p.vars[name]; ok && v.tok.kind == psString {
			return strings.ReplaceAll(v.tok.text, psDollar, "$")
		}
		p.note(note("ps.expanded", param))
		return m
	})
	if strings.Contains(s, "$(") {
		p.note(note("ps.expanded", param))
	}
	return strings.ReplaceAll(s, psDollar, "$")
}

// squoted reads a '...' string: ” is a quote, nothing else is special.
func (lx *psLexer) squoted() (string, error) {
	s := lx.src
	line, col := lx.pos(lx.i)
	lx.i += psSQ(s, lx.i)
	var b strings.Builder
	for lx.i < len(s) {
		c := s[lx.i]
		if n := psSQ(s, lx.i); n > 0 {
			if m := psSQ(s, lx.i+n); m > 0 {
				b.WriteByte('\'')
				lx.i += n + m
				continue
			}
			lx.i += n
			return b.String(), nil
		}
		b.WriteByte(c)
		lx.i++
	}
	return "", lx.errf(line, col, "unterminated ' string")
}

// hereString reads @"...\n"@ or @'...\n'@: the text between the opening line and the line
// that starts with the closing quote and @.
func (lx *psLexer) hereString() (string, bool, error) {
	s := lx.src
	line, col := lx.pos(lx.i)
	q := s[lx.i+1]
	nl := strings.IndexByte(s[lx.i:], '\n')
	if nl < 0 {
		return "", false, lx.errf(line, col, "a here-string's @%c must end its line", q)
	}
	bodyStart := lx.i + nl + 1
	end := strings.Index(s[bodyStart:], "\n"+string(q)+"@")
	var body string
	if strings.HasPrefix(s[bodyStart:], string(q)+"@") {
		body, end = "", -1
		lx.i = bodyStart + 2
	} else if end < 0 {
		return "", false, lx.errf(line, col, "unterminated here-string")
	} else {
		body = strings.TrimSuffix(s[bodyStart:bodyStart+end], "\r")
		lx.i = bodyStart + end + 3
	}
	if q == '\'' {
		return body, false, nil
	}
	var b strings.Builder
	expanded := false
	for i := 0; i < len(body); {
		c := body[i]
		if c == '`' && i+1 < len(body) {
			i++
			b.WriteString(psEscape(body, &i))
			continue
		}
		if c == '$' && strings.HasPrefix(body[i:], "$([char]") {
			if r, n := psCharCode(body[i:]); n > 0 {
				b.WriteString(r)
				i += n
				continue
			}
		}
		if c == '$' && i+1 < len(body) && (body[i+1] == '(' || psNameChar(body[i+1])) {
			expanded = true
		}
		b.WriteByte(c)
		i++
	}
	return b.String(), expanded, nil
}

// hashtable reads the pairs of @{ ... } up to its }: key = value, separated by ; or lines.
func (lx *psLexer) hashtable(line, col int) ([]psPair, error) {
	var pairs []psPair
	s := lx.src
	for {
		for lx.i < len(s) && (psIsSpace(s[lx.i]) || s[lx.i] == ';' || s[lx.i] == '`') {
			lx.i++
		}
		if lx.i >= len(s) {
			return nil, lx.errf(line, col, "@{ has no closing }")
		}
		if s[lx.i] == '}' {
			lx.i++
			return pairs, nil
		}
		if s[lx.i] == '#' {
			for lx.i < len(s) && s[lx.i] != '\n' {
				lx.i++
			}
			continue
		}
		lx.inKey = true
		kt, err := lx.token()
		lx.inKey = false
		if err != nil {
			return nil, err
		}
		if kt.kind != psWord && kt.kind != psString {
			return nil, lx.errf(kt.line, kt.col, "a hashtable key that is not a name or a string")
		}
		key := kt.text
		for lx.i < len(s) && (s[lx.i] == ' ' || s[lx.i] == '\t') {
			lx.i++
		}
		if lx.i >= len(s) || s[lx.i] != '=' {
			return nil, lx.errf(kt.line, kt.col, "a hashtable key without = and a value")
		}
		lx.i++
		for lx.i < len(s) && (s[lx.i] == ' ' || s[lx.i] == '\t') {
			lx.i++
		}
		if lx.i >= len(s) {
			return nil, lx.errf(line, col, "@{ has no closing }")
		}
		vt, err := lx.token()
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, psPair{key: key, val: vt})
	}
}

// group reads ( ... ) up to its matching ), and returns its source and its string literals.
func (lx *psLexer) group(line, col int) (string, []string, error) {
	s := lx.src
	lx.i++ // (
	start := lx.i
	depth := 1
	var strs []string
	for lx.i < len(s) {
		c := s[lx.i]
		switch {
		case psDQ(s, lx.i) > 0 || psSQ(s, lx.i) > 0:
			var v string
			var err error
			if psDQ(s, lx.i) > 0 {
				v, _, err = lx.dquoted()
			} else {
				v, err = lx.squoted()
			}
			if err != nil {
				return "", nil, err
			}
			strs = append(strs, strings.ReplaceAll(v, psDollar, "$"))
			continue
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				lx.i++
				return s[start : lx.i-1], strs, nil
			}
		}
		lx.i++
	}
	return "", nil, lx.errf(line, col, "( has no closing )")
}

// ---- reading the command ----

func psIsCommand(t psToken) bool {
	if t.kind != psWord {
		return false
	}
	switch strings.ToLower(t.text) {
	case "invoke-webrequest", "invoke-restmethod", "iwr", "irm", "curl", "wget":
		return true
	}
	return false
}

type psReader struct {
	vars     map[string]psValue
	agent    string
	cookies  []string
	readFile func(string) ([]byte, error)
	notes    []Note
	seen     map[string]bool
}

func (p *psReader) note(n Note) {
	if s := n.Text("en"); !p.seen[s] {
		p.seen[s] = true
		p.notes = append(p.notes, n)
	}
}

var psCookieRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)System\.Net\.Cookie\s*\(`) })

// cookie reads $session.Cookies.Add((New-Object System.Net.Cookie("name", "value", ...))).
func (p *psReader) cookie(st []psToken) {
	for _, t := range st {
		if t.kind == psGroup && psCookieRE().MatchString(t.text) && len(t.strs) >= 2 {
			p.cookies = append(p.cookies, t.strs[0]+"="+t.strs[1])
		}
	}
}

// psParams are Invoke-WebRequest's and Invoke-RestMethod's parameters: whether each takes a
// value. Names match case-insensitively and by an unambiguous start, as PowerShell does.
var psParams = map[string]bool{
	"uri": true, "method": true, "headers": true, "contenttype": true, "body": true, "websession": true,
	"useragent": true, "infile": true, "form": true, "custommethod": true,
	"usebasicparsing": false, "skipcertificatecheck": false, "usedefaultcredentials": false,
	"disablekeepalive": false, "passthru": false, "skipheadervalidation": false, "skiphttperrorcheck": false,
	"allowunencryptedauthentication": false, "allowinsecureredirect": false, "noproxy": false,
	"proxyusedefaultcredentials": false, "resume": false, "preserveauthorizationonredirect": false,
	"verbose": false, "debug": false, "preservehttpmethodonredirect": false,
	"sslprotocol": true, "timeoutsec": true, "maximumredirection": true, "maximumretrycount": true,
	"retryintervalsec": true, "outfile": true, "proxy": true, "proxycredential": true, "credential": true,
	"certificate": true, "certificatethumbprint": true, "sessionvariable": true, "erroraction": true,
	"errorvariable": true, "transferencoding": true, "authentication": true, "token": true,
	"httpversion": true, "statuscodevariable": true, "responseheadersvariable": true,
	"connectiontimeoutseconds": true, "operationtimeoutseconds": true, "outvariable": true,
	"warningaction": true, "informationaction": true, "pipelinevariable": true, "unixsocket": true,
}

func psLookup(name string) (string, bool) {
	n := strings.ToLower(name)
	if _, ok := psParams[n]; ok {
		return n, true
	}
	var hits []string
	for k := range psParams {
		if strings.HasPrefix(k, n) {
			hits = append(hits, k)
		}
	}
	if len(hits) == 1 {
		return hits[0], true
	}
	return "", false
}

func (p *psReader) request(call []psToken) (*Request, error) {
	cmd := call[0]
	args := map[string]psToken{}
	var positional []psToken
	for i := 1; i < len(call); i++ {
		t := call[i]
		if t.kind == psOp && t.text == "|" {
			break // what the answer is piped to
		}
		if t.kind != psParam {
			positional = append(positional, t)
			continue
		}
		name, ok := psLookup(t.text)
		if !ok {
			shown := "-" + t.text
			if !curlShowable(t.text, 40) {
				shown = "(not shown)"
			}
			return nil, errf("unknown or ambiguous %s parameter %s at line %d, column %d", cmd.text, shown, t.line, t.col)
		}
		if !psParams[name] {
			if name != "usebasicparsing" {
				p.note(note("ps.ignored", "-"+psDisplay(name)))
			}
			continue
		}
		if i+1 >= len(call) {
			return nil, errf("the parameter -%s at line %d, column %d has no value", psDisplay(name), t.line, t.col)
		}
		i++
		args[name] = call[i]
		switch name {
		case "uri", "method", "headers", "contenttype", "body", "websession", "useragent", "infile", "custommethod":
		case "form":
			return nil, errf("-Form at line %d, column %d (a multipart body built by PowerShell) is not read: give the request as curl or HAR", t.line, t.col)
		case "credential", "authentication", "token", "certificate", "certificatethumbprint":
			p.note(note("ps.auth", "-"+psDisplay(name)))
		default:
			p.note(note("ps.ignored", "-"+psDisplay(name)))
		}
	}
	uriTok, ok := args["uri"]
	if !ok {
		if len(positional) == 0 {
			return nil, errf("%s at line %d, column %d has no -Uri", cmd.text, cmd.line, cmd.col)
		}
		uriTok, positional = positional[0], positional[1:]
	}
	if len(positional) > 0 {
		t := positional[0]
		return nil, errf("an argument at line %d, column %d belongs to no parameter", t.line, t.col)
	}
	raw, err := p.text(uriTok, "-Uri")
	if err != nil {
		return nil, err
	}
	raw = strings.TrimSpace(raw)
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
		p.note(note("ps.no-scheme"))
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, errf("the -Uri at line %d, column %d is not an http or https URL", uriTok.line, uriTok.col)
	}
	req := &Request{Method: http.MethodGet, URL: raw, Source: "powershell"}
	for _, k := range []string{"custommethod", "method"} {
		if t, ok := args[k]; ok {
			m, err := p.text(t, "-Method")
			if err != nil {
				return nil, err
			}
			if !curlToken(m) {
				return nil, errf("the -Method at line %d, column %d is not an HTTP method", t.line, t.col)
			}
			req.Method = strings.ToUpper(m)
		}
	}
	headers := map[string]string{}
	if t, ok := args["headers"]; ok {
		h := t
		if t.kind == psVar {
			v, ok := p.vars[strings.ToLower(t.text)]
			if !ok || v.tok.kind != psHash {
				return nil, errf("-Headers at line %d, column %d is the variable $%s, which the text does not set to @{...}", t.line, t.col, curlSafeName(t.text))
			}
			h = v.tok
		}
		if h.kind != psHash {
			return nil, errf("-Headers at line %d, column %d is not a @{...} table", t.line, t.col)
		}
		for _, pr := range h.hash {
			name := strings.TrimSpace(pr.key)
			if name == "" || strings.HasPrefix(name, ":") {
				continue
			}
			switch strings.ToLower(name) {
			case "authority", "method", "path", "scheme": // HTTP/2 pseudo-headers, as Chrome copies them
				continue
			}
			if !curlToken(name) {
				return nil, errf("a -Headers key at line %d, column %d is not a header name", pr.val.line, pr.val.col)
			}
			v, err := p.text(pr.val, "-Headers")
			if err != nil {
				return nil, err
			}
			headers[http.CanonicalHeaderKey(name)] = v
		}
	}
	if t, ok := args["contenttype"]; ok {
		ct, err := p.text(t, "-ContentType")
		if err != nil {
			return nil, err
		}
		headers["Content-Type"] = ct
	}
	agent := p.agent
	if t, ok := args["useragent"]; ok {
		if agent, err = p.text(t, "-UserAgent"); err != nil {
			return nil, err
		}
	}
	if _, ok := args["websession"]; ok || args["useragent"].kind == psString {
		if _, has := headers["User-Agent"]; !has && agent != "" {
			headers["User-Agent"] = agent
		}
		if _, has := headers["Cookie"]; !has && len(p.cookies) > 0 {
			headers["Cookie"] = strings.Join(p.cookies, "; ")
			p.note(note("ps.cookies"))
		}
	}
	if t, ok := args["body"]; ok {
		body, err := p.body(t, headers)
		if err != nil {
			return nil, err
		}
		req.Body, req.HasBody = body, true
	}
	if t, ok := args["infile"]; ok {
		name, err := p.text(t, "-InFile")
		if err != nil {
			return nil, err
		}
		if p.readFile == nil {
			return nil, errf("-InFile at line %d, column %d reads a file, and no file reader was given", t.line, t.col)
		}
		data, err := p.readFile(name)
		if err != nil {
			return nil, errf("-InFile at line %d, column %d: cannot read %s: %v", t.line, t.col, curlFileName(name), err)
		}
		req.Body, req.HasBody = data, true
	}
	if len(headers) > 0 {
		req.Headers = headers
	}
	req.Notes = p.notes
	return req, nil
}

var psCastRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\[[A-Za-z][\w.]*(?:\[\])?\])[ \t]*(?:[@$"'(]|\[)`) })

var psPipeJSONRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^\s*\$(\w+)\s*\|\s*ConvertTo-Json\b`) })

func psIsConvertToJSON(t psToken) bool {
	return t.kind == psWord && strings.EqualFold(t.text, "ConvertTo-Json")
}

// toJSON writes a @{...} table (nested tables, strings, numbers, $true, $false, $null and
// string variables the text sets) as ConvertTo-Json would, keys in the order written.
func (p *psReader) toJSON(t psToken) (string, bool) {
	var b strings.Builder
	var write func(t psToken, depth int) bool
	write = func(t psToken, depth int) bool {
		if depth > 20 {
			return false
		}
		switch t.kind {
		case psHash:
			b.WriteByte('{')
			for i, pr := range t.hash {
				if i > 0 {
					b.WriteByte(',')
				}
				k, _ := json.Marshal(pr.key)
				b.Write(k)
				b.WriteByte(':')
				if !write(pr.val, depth+1) {
					return false
				}
			}
			b.WriteByte('}')
		case psString:
			v, _ := p.text(t, "-Body")
			s, _ := json.Marshal(v)
			b.Write(s)
		case psWord:
			if _, err := strconv.ParseFloat(t.text, 64); err == nil {
				b.WriteString(t.text)
			} else {
				s, _ := json.Marshal(t.text)
				b.Write(s)
			}
		case psVar:
			switch strings.ToLower(t.text) {
			case "true", "false", "null":
				b.WriteString(strings.ToLower(t.text))
				return true
			}
			v, ok := p.vars[strings.ToLower(t.text)]
			if !ok || v.tok.kind == psVar {
				return false
			}
			return write(v.tok, depth+1)
		default:
			return false
		}
		return true
	}
	if t.kind != psHash || !write(t, 0) {
		return "", false
	}
	return b.String(), true
}

// psDisplay writes a parameter's name as PowerShell's help does.
func psDisplay(name string) string {
	for _, n := range []string{"UseBasicParsing", "SkipCertificateCheck", "TimeoutSec", "MaximumRedirection",
		"OutFile", "Proxy", "Credential", "Authentication", "Token", "Certificate", "SessionVariable",
		"ErrorAction", "UseDefaultCredentials", "PassThru", "SslProtocol", "DisableKeepAlive"} {
		if strings.EqualFold(n, name) {
			return n
		}
	}
	if name == "" {
		return name
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// text is a token's string value: a literal, a bare word, or a variable the text sets to one.
func (p *psReader) text(t psToken, param string) (string, error) {
	switch t.kind {
	case psString, psWord:
		if t.expanded {
			return p.expand(t.text, param), nil
		}
		return strings.ReplaceAll(t.text, psDollar, "$"), nil
	case psVar:
		if v, ok := p.vars[strings.ToLower(t.text)]; ok && v.tok.kind == psString {
			return p.text(v.tok, param)
		}
		p.note(note("ps.variable", param, curlSafeName(t.text)))
		return "$" + t.text, nil
	case psGroup:
		if len(t.strs) == 1 {
			return t.strs[0], nil
		}
	}
	return "", errf("the value of %s at line %d, column %d is not a string", param, t.line, t.col)
}

// body reads -Body: a string, ([System.Text.Encoding]::UTF8.GetBytes("...")) as Chrome writes
// non-ASCII bodies, a variable set earlier, or a hashtable (sent as a form).
func (p *psReader) body(t psToken, headers map[string]string) ([]byte, error) {
	if t.kind == psVar {
		v, ok := p.vars[strings.ToLower(t.text)]
		if !ok {
			return nil, errf("-Body at line %d, column %d is the variable $%s, which the text does not set", t.line, t.col, curlSafeName(t.text))
		}
		t = v.tok
	}
	switch t.kind {
	case psHash:
		keys := make([]string, 0, len(t.hash))
		vals := map[string]string{}
		for _, pr := range t.hash {
			v, err := p.text(pr.val, "-Body")
			if err != nil {
				return nil, err
			}
			keys = append(keys, pr.key)
			vals[pr.key] = v
		}
		sort.Strings(keys) // a hashtable has no order; sorted keeps the verdict reproducible
		form := url.Values{}
		for _, k := range keys {
			form.Set(k, vals[k])
		}
		if _, ok := headers["Content-Type"]; !ok {
			headers["Content-Type"] = "application/x-www-form-urlencoded"
		}
		p.note(note("ps.form"))
		return []byte(form.Encode()), nil
	case psGroup:
		if len(t.strs) == 1 && !strings.Contains(strings.ToLower(t.text), "convertto-json") {
			return []byte(t.strs[0]), nil
		}
		if m := psPipeJSONRE().FindStringSubmatch(t.text); m != nil {
			if v, ok := p.vars[strings.ToLower(m[1])]; ok {
				if js, ok := p.toJSON(v.tok); ok {
					p.note(note("ps.convertto-json"))
					return []byte(js), nil
				}
			}
		}
		if strings.Contains(strings.ToLower(t.text), "convertto-json") {
			return nil, errf("-Body at line %d, column %d is built by ConvertTo-Json: give the JSON text itself", t.line, t.col)
		}
		return nil, errf("-Body at line %d, column %d is an expression, not a text", t.line, t.col)
	}
	s, err := p.text(t, "-Body")
	return []byte(s), err
}
