package directory

// A purpose-written reader for YAML snapshots of the usual shape, on purpose. go.yaml.in/
// yaml/v3 decodes a whole document into nodes before anything can be looked up: for a
// snapshot of a million keys and a million users that is over 20 s and 6 GB, and it cannot
// stream. Snapshots exported by a tool, and those written by hand after the bundled
// example, all have one shape:
//
//	keys:
//	  - sha256: 254097ef...        # a block mapping per entry, one field a line
//	    partner: Corban Alfa
//	    users: [alfa.maria, "alfa.joao"]
//	users:
//	  - {login: alfa.maria, partner: Corban Alfa, active: true}   # or a flow mapping
//
// This reader takes exactly that: comments, blank lines, plain scalars and quoted ones
// without escapes, flow lists of logins, LF or CRLF line ends. Anything else (anchors,
// tags, block scalars, multi-line values, escapes, nulls, tabs, unknown or repeated fields,
// a value of the wrong type, several documents) makes it give up, and the caller decodes
// the file with the yaml library as before, which also words every error with its
// file:line. So the reader never has to agree with the library on anything but the files
// it accepts, and the tests compare the two on those.

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"unicode/utf8"
)

// yentry is one entry as the reader saw it. Texts are slices of the reader's data (quoted
// ones have no escapes, so they are too): reading an entry allocates nothing.
type yentry struct {
	seen      uint8
	str       [nStringFields][]byte
	active    bool
	users     [][]byte
	line, col int // where the entry's mapping starts, as the yaml library counts
}

func (e *yentry) has(f field) bool { return e.seen&(1<<f) != 0 }

// yscan reads lines of a YAML snapshot held in data, which may be a window of the file
// (w not nil) that slides as the reading goes.
type yscan struct {
	data []byte
	pos  int  // at a line start
	line int  // the line number of pos, from 1
	eof  bool // data reaches the end of the file
	w    *window
}

func (y *yscan) slide(keep int, grow bool) {
	if y.w == nil {
		return
	}
	y.pos -= y.w.slide(keep, grow)
	y.data, y.eof = y.w.data, y.w.eof
}

// lineAt returns the line that starts at pos, without its line end, and where the next
// one starts. entryMore: the line runs past the data; entryBad: it holds a byte the reader
// does not take (a tab, a control character, invalid UTF-8, a Unicode line break).
func (y *yscan) lineAt(pos int) (line []byte, next int, st entryStatus) {
	end, odd := lineEnd(y.data, pos)
	if end == len(y.data) {
		if !y.eof {
			return nil, 0, entryMore
		}
		next = end
	} else {
		next = end + 1
	}
	line = y.data[pos:end]
	if odd {
		line = bytes.TrimSuffix(line, []byte("\r"))
		if !plainLine(line) {
			return nil, 0, entryBad
		}
	}
	return line, next, entryOK
}

// lineEnd returns the offset of the first '\n' at or after i (len(d) if none) and whether
// a byte other than a printable ASCII one was passed on the way. Like the JSON scanner's
// nextSpecial it tests eight bytes a step: most of a snapshot is plain ASCII text.
func lineEnd(d []byte, i int) (int, bool) {
	odd := false
	for ; i+8 <= len(d); i += 8 {
		x := binary.LittleEndian.Uint64(d[i:])
		n := x ^ (ones * '\n')
		nl := (n - ones) &^ n & highs
		bad := ((x-ones*0x20)&^x | (x + ones) | x) & highs
		if nl != 0 {
			j := i + bits.TrailingZeros64(nl)/8
			if bad&((nl&-nl)-1) != 0 {
				odd = true
			}
			return j, odd
		}
		if bad != 0 {
			odd = true
		}
	}
	for ; i < len(d); i++ {
		c := d[i]
		if c == '\n' {
			break
		}
		if c < 0x20 || c >= 0x7f {
			odd = true
		}
	}
	return i, odd
}

// plainLine checks a line with bytes outside printable ASCII: only valid UTF-8 without
// control characters, C1 controls, Unicode line breaks (U+2028, U+2029), byte order marks
// or U+FFFE and U+FFFF passes. utf8.Valid skips ASCII eight bytes at a time; what is left is
// a look at the lead bytes of the few sequences refused.
func plainLine(line []byte) bool {
	if !utf8.Valid(line) {
		return false
	}
	for i, c := range line {
		switch {
		case c < 0x20 || c == 0x7f:
			return false
		case c == 0xc2: // U+0080..U+009F
			if line[i+1] < 0xa0 {
				return false
			}
		case c == 0xe2: // U+2028, U+2029
			if line[i+1] == 0x80 && (line[i+2] == 0xa8 || line[i+2] == 0xa9) {
				return false
			}
		case c == 0xef: // U+FEFF, U+FFFE, U+FFFF
			if line[i+1] == 0xbb && line[i+2] == 0xbf || line[i+1] == 0xbf && line[i+2] >= 0xbe {
				return false
			}
		}
	}
	return true
}

func indentOf(line []byte) int {
	i := 0
	for i < len(line) && line[i] == ' ' {
		i++
	}
	return i
}

// document reads the whole snapshot and calls visit with every entry and the offset (in
// data) of its line; false when the file is not of the shape this reader takes.
func (y *yscan) document(visit func(l listKind, e *yentry, at int) bool) bool {
	if y.w != nil && len(y.data) < 3 {
		y.slide(0, false)
	}
	if bytes.HasPrefix(y.data, []byte("\uFEFF")) {
		y.pos = 3
	}
	var seen [2]bool
	var e yentry
	list, indent := -1, -1
	for {
		if y.w != nil && len(y.data)-y.pos < lowWater && !y.eof {
			y.slide(y.pos, false)
		}
		if y.pos >= len(y.data) {
			break
		}
		line, next, st := y.lineAt(y.pos)
		if st == entryMore {
			y.slide(y.pos, true)
			continue
		}
		if st == entryBad {
			return false
		}
		ind := indentOf(line)
		content := line[ind:]
		if len(content) == 0 || content[0] == '#' {
			y.pos, y.line = next, y.line+1
			continue
		}
		if ind == 0 && content[0] != '-' {
			l, ok := topKey(content)
			if !ok || seen[l] {
				return false
			}
			seen[l] = true
			list, indent = int(l), -1
			if v := trimComment(content[len(l.String())+1:]); len(v) == 2 && v[0] == '[' && v[1] == ']' {
				list = -1 // an empty flow list: no items may follow
			} else if len(v) != 0 {
				return false
			}
			y.pos, y.line = next, y.line+1
			continue
		}
		if list < 0 || len(content) < 2 || content[0] != '-' || content[1] != ' ' {
			return false
		}
		if indent < 0 {
			indent = ind
		} else if ind != indent {
			return false
		}
		start, startLine := y.pos, y.line
		for {
			st := y.item(listKind(list), ind, &e, line, next)
			if st == entryOK {
				break
			}
			if st == entryBad || y.eof {
				return false
			}
			y.pos, y.line = start, startLine
			y.slide(start, true)
			start = y.pos
			if line, next, st = y.lineAt(y.pos); st != entryOK {
				return false
			}
		}
		if !visit(listKind(list), &e, start) {
			return false
		}
	}
	return seen[listKeys] || seen[listUsers]
}

// topKey reads "keys:" or "users:" followed by a space or nothing.
func topKey(content []byte) (listKind, bool) {
	for _, l := range []listKind{listKeys, listUsers} {
		name := l.String()
		if len(content) > len(name) && string(content[:len(name)]) == name && content[len(name)] == ':' &&
			(len(content) == len(name)+1 || content[len(name)+1] == ' ') {
			return l, true
		}
	}
	return 0, false
}

// trimComment drops leading and trailing spaces and a comment from what follows a value;
// a '#' right after a non-space is not a comment, and is left for the caller to refuse.
func trimComment(b []byte) []byte {
	b = bytes.TrimLeft(b, " ")
	if len(b) > 0 && b[0] == '#' {
		return nil
	}
	if i := bytes.Index(b, []byte(" #")); i >= 0 {
		b = b[:i]
	}
	return bytes.TrimRight(b, " ")
}

// item reads the entry whose "- " line (line, the next one starting at next) starts at
// y.pos, indented by ind, and leaves y.pos at the first line after it.
func (y *yscan) item(l listKind, ind int, e *yentry, line []byte, next int) entryStatus {
	e.seen, e.active, e.users = 0, false, e.users[:0]
	c := ind + 1
	for c < len(line) && line[c] == ' ' {
		c++
	}
	if c == len(line) || line[c] == '#' {
		return entryBad // "-" alone: the mapping would start on the next line
	}
	e.line, e.col = y.line, c+1
	if line[c] == '{' {
		end, ok := e.flowMap(l, line, c)
		if !ok || len(trimComment(line[end:])) != 0 {
			return entryBad
		}
		y.pos, y.line = next, y.line+1
		return entryOK
	}
	keyCol := c
	if !e.pair(l, line[c:]) {
		return entryBad
	}
	y.pos, y.line = next, y.line+1
	for {
		if y.pos >= len(y.data) {
			if !y.eof {
				return entryMore
			}
			return entryOK
		}
		line, next, st := y.lineAt(y.pos)
		if st != entryOK {
			return st
		}
		ind2 := indentOf(line)
		if ind2 == len(line) || line[ind2] == '#' {
			y.pos, y.line = next, y.line+1
			continue
		}
		if ind2 <= ind {
			return entryOK
		}
		if ind2 != keyCol || !e.pair(l, line[ind2:]) {
			return entryBad
		}
		y.pos, y.line = next, y.line+1
	}
}

// field reads a field name of list l followed by ':' at b[i:], and returns the field and
// where its value starts (after the colon and a required space, or at the end of b).
func (e *yentry) field(l listKind, b []byte, i int) (field, int, bool) {
	j := i
	for j < len(b) && ('a' <= b[j] && b[j] <= 'z' || '0' <= b[j] && b[j] <= '9') {
		j++
	}
	if j == i || j == len(b) || b[j] != ':' || j+1 < len(b) && b[j+1] != ' ' {
		return 0, 0, false
	}
	f := fieldOf(l, b[i:j])
	if f == fieldUnknown || e.has(f) {
		return 0, 0, false
	}
	e.seen |= 1 << f
	j++
	for j < len(b) && b[j] == ' ' {
		j++
	}
	return f, j, true
}

// pair reads "field: value" of a block mapping, the whole of b.
func (e *yentry) pair(l listKind, b []byte) bool {
	f, i, ok := e.field(l, b, 0)
	if !ok || i == len(b) {
		return false // a null value, or a value on the lines below
	}
	if f == fieldUsers {
		if b[i] != '[' {
			return false
		}
		end, ok := e.flowSeq(b, i)
		return ok && len(trimComment(b[end:])) == 0
	}
	var v []byte
	switch b[i] {
	case '"', '\'':
		end, ok := quoted(b, i)
		if !ok || len(trimComment(b[end:])) != 0 {
			return false
		}
		if f == fieldActive {
			return false // a quoted "true" is a string, not a boolean
		}
		e.str[f] = b[i+1 : end-1]
		return true
	}
	v = trimComment(b[i:])
	if !plainScalar(v, false) {
		return false
	}
	return e.set(f, v)
}

// set stores a plain scalar as field f.
func (e *yentry) set(f field, v []byte) bool {
	if f == fieldActive {
		switch string(v) {
		case "true", "True", "TRUE":
			e.active = true
		case "false", "False", "FALSE":
			e.active = false
		default:
			return false
		}
		return true
	}
	if f == fieldUsers {
		return false
	}
	e.str[f] = v
	return true
}

// quoted finds the end (just past the closing quote) of the quoted scalar at b[i];
// escapes, and quotes doubled inside single quotes, are refused.
func quoted(b []byte, i int) (int, bool) {
	q := b[i]
	j := bytes.IndexByte(b[i+1:], q)
	if j < 0 {
		return 0, false
	}
	end := i + 1 + j + 1
	if q == '"' && bytes.IndexByte(b[i+1:end-1], '\\') >= 0 || q == '\'' && end < len(b) && b[end] == '\'' {
		return 0, false
	}
	return end, true
}

// plainScalar reports whether v is a plain scalar this reader takes as the text it reads:
// not empty, not a null, no indicator first, no ": " or ending ':' (a mapping), and, in
// a flow list or mapping, none of the flow indicators nor '#' nor ':'.
func plainScalar(v []byte, flow bool) bool {
	if len(v) == 0 || yamlFirst[v[0]] {
		return false
	}
	switch string(v) {
	case "~", "null", "Null", "NULL":
		return false
	}
	if v[len(v)-1] == ':' {
		return false
	}
	if flow {
		for _, c := range v {
			if yamlFlow[c] {
				return false
			}
		}
		return true
	}
	return !bytes.Contains(v, []byte(": "))
}

var (
	// yamlFirst: the bytes a plain scalar may not start with (YAML's indicators, and a space)
	yamlFirst [256]bool
	// yamlFlow: the bytes a plain scalar inside a flow list or mapping may not hold here
	yamlFlow [256]bool
)

func init() {
	for _, c := range []byte("-?:,[]{}#&*!|>'\"%@` ") {
		yamlFirst[c] = true
	}
	for _, c := range []byte(",[]{}#:") {
		yamlFlow[c] = true
	}
}

// flowScalar reads a scalar inside a flow list or mapping at b[i], up to the ',' or the
// closing bracket that ends it.
func flowScalar(b []byte, i int) (v []byte, end int, ok bool) {
	if i < len(b) && (b[i] == '"' || b[i] == '\'') {
		end, ok := quoted(b, i)
		if !ok {
			return nil, 0, false
		}
		return b[i+1 : end-1], end, true
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != ']' && b[j] != '}' {
		j++
	}
	v = bytes.TrimRight(b[i:j], " ")
	return v, j, plainScalar(v, true)
}

func skipSpaces(b []byte, i int) int {
	for i < len(b) && b[i] == ' ' {
		i++
	}
	return i
}

// flowSeq reads the flow list of logins at b[i] == '[' and returns where it ends.
func (e *yentry) flowSeq(b []byte, i int) (int, bool) {
	e.users = e.users[:0]
	i = skipSpaces(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, true
	}
	for {
		v, end, ok := flowScalar(b, i)
		if !ok {
			return 0, false
		}
		e.users = append(e.users, v)
		i = skipSpaces(b, end)
		if i == len(b) {
			return 0, false
		}
		switch b[i] {
		case ']':
			return i + 1, true
		case ',':
			i = skipSpaces(b, i+1)
		default:
			return 0, false
		}
	}
}

// flowMap reads the flow mapping at b[i] == '{' and returns where it ends.
func (e *yentry) flowMap(l listKind, b []byte, i int) (int, bool) {
	i = skipSpaces(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, true
	}
	for {
		f, j, ok := e.field(l, b, i)
		if !ok || j == len(b) {
			return 0, false
		}
		var end int
		if f == fieldUsers {
			if b[j] != '[' {
				return 0, false
			}
			if end, ok = e.flowSeq(b, j); !ok {
				return 0, false
			}
		} else {
			if f == fieldActive && (b[j] == '"' || b[j] == '\'') {
				return 0, false
			}
			var v []byte
			if v, end, ok = flowScalar(b, j); !ok {
				return 0, false
			}
			if b[j] == '"' || b[j] == '\'' {
				e.str[f] = v
			} else if !e.set(f, v) {
				return 0, false
			}
		}
		i = skipSpaces(b, end)
		if i == len(b) {
			return 0, false
		}
		switch b[i] {
		case '}':
			return i + 1, true
		case ',':
			i = skipSpaces(b, i+1)
		default:
			return 0, false
		}
	}
}

// streamYAML reads a YAML snapshot from r in one pass and adds every entry to t; false
// when the file is not of the shape this reader takes.
func streamYAML(r io.Reader, name string, t entrySink) bool {
	w := newWindow(r)
	y := &yscan{data: w.data, eof: w.eof, line: 1, w: w}
	list := -1
	defer func() {
		if list >= 0 {
			t.listDone(listKind(list))
		}
	}()
	ok := y.document(func(l listKind, e *yentry, at int) bool {
		if int(l) != list {
			if list >= 0 {
				t.listDone(listKind(list))
			}
			list = int(l)
		}
		return t.yamlEntry(l, e, w.base+int64(at))
	})
	return ok && w.err == nil
}

// yamlEntry records a YAML entry of list l whose line starts at file offset off.
func (t *tables) yamlEntry(l listKind, e *yentry, off int64) bool {
	if l == listUsers {
		return !e.has(fieldLogin) || t.add(tableLogin, e.str[fieldLogin], off)
	}
	return (!e.has(fieldSHA256) || t.add(tableSHA, e.str[fieldSHA256], off)) &&
		(!e.has(fieldPartner) || t.add(tablePartner, e.str[fieldPartner], off))
}

// yamlEntryAt reads the entry of list l whose "- " line w starts with, into k or u.
func yamlEntryAt(w []byte, atEOF bool, l listKind, k *Key, u *User) entryStatus {
	y := &yscan{data: w, eof: atEOF, line: 1}
	line, next, st := y.lineAt(0)
	if st != entryOK {
		return st
	}
	ind := indentOf(line)
	if len(line) < ind+2 || line[ind] != '-' || line[ind+1] != ' ' {
		return entryBad
	}
	var e yentry
	if st := y.item(l, ind, &e, line, next); st != entryOK {
		return st
	}
	var d entryDecoder
	if l == listUsers {
		*u = d.yamlUser(&e)
	} else {
		*k = d.yamlKey(&e)
	}
	return entryOK
}

func (d *entryDecoder) text(e *yentry, f field) string {
	if !e.has(f) {
		return ""
	}
	return string(e.str[f])
}

func (d *entryDecoder) yamlUser(e *yentry) User {
	return User{Login: d.text(e, fieldLogin), Partner: d.internBytes(e, fieldPartner), Active: e.active}
}

func (d *entryDecoder) yamlKey(e *yentry) Key {
	k := Key{
		SHA256:      d.text(e, fieldSHA256),
		Partner:     d.internBytes(e, fieldPartner),
		Environment: d.internBytes(e, fieldEnvironment),
		Active:      e.active,
	}
	if e.has(fieldUsers) {
		k.Users = d.room(len(e.users))
		for i, v := range e.users {
			k.Users[i] = string(v)
		}
	}
	return k
}

// internBytes is intern for a YAML entry's text.
func (d *entryDecoder) internBytes(e *yentry, f field) string {
	if !e.has(f) {
		return ""
	}
	return d.internText(e.str[f])
}

// room returns room for n logins, carved from a shared backing array; an empty list is
// an empty, non-nil slice, as both decoders give.
func (d *entryDecoder) room(n int) []string {
	if n == 0 {
		return []string{}
	}
	if cap(d.logins)-len(d.logins) < n {
		d.logins = make([]string, 0, max(n, 4096))
	}
	start := len(d.logins)
	d.logins = d.logins[:start+n]
	return d.logins[start : start+n : start+n]
}

// parseYAMLFast reads a whole YAML snapshot held in memory; ok is false when it is not of
// the shape this reader takes (the caller then uses parseYAML).
func parseYAMLFast(name string, data []byte) (*contents, bool) {
	y := &yscan{data: data, eof: true, line: 1}
	c := &contents{}
	var d entryDecoder
	ok := y.document(func(l listKind, e *yentry, _ int) bool {
		at := Place{File: name, Line: e.line, Col: e.col}
		if l == listUsers {
			c.users = append(c.users, d.yamlUser(e))
			c.userAt = append(c.userAt, at)
		} else {
			c.keys = append(c.keys, d.yamlKey(e))
			c.keyAt = append(c.keyAt, at)
		}
		return true
	})
	return c, ok
}

// lookupYAMLScan answers q in one pass over a YAML snapshot of the usual shape, decoding
// only the entries that match, as lookupYAML answers from the decoded entries.
func (s *Snapshot) lookupYAMLScan(ctx context.Context, q Query) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("%s: %w", s.name, err)
	}
	y := &yscan{data: s.ydata, eof: true, line: 1}
	var r Result
	var d entryDecoder
	var err error
	keys := 0
	is := func(e *yentry, f field, want string) bool {
		return want != "" && e.has(f) && string(e.str[f]) == want
	}
	y.document(func(l listKind, e *yentry, _ int) bool {
		if l == listUsers {
			if r.User == nil && is(e, fieldLogin, q.Login) {
				u := d.yamlUser(e)
				r.User = &u
			}
			return true
		}
		i := keys
		keys++
		key, partner := r.Key == nil && is(e, fieldSHA256, q.KeySHA256), is(e, fieldPartner, q.Partner)
		if !key && !partner {
			return true
		}
		k := d.yamlKey(e)
		if err = keyProblem(Place{File: s.name, Line: e.line, Col: e.col}, i, k.SHA256); err != nil {
			return false
		}
		if key {
			k := k
			k.Users = slices.Clone(k.Users)
			r.Key = &k
		}
		if partner {
			r.PartnerKeys = append(r.PartnerKeys, k)
		}
		return true
	})
	if err != nil {
		return Result{}, err
	}
	return r, nil
}
