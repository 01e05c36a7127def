package directory

// The JSON snapshot scanner is hand-written on purpose. A production snapshot holds
// 100,000 keys and 100,000 users (25-30 MB) and one CLI run has 100 ms for everything,
// process start included. encoding/json.Unmarshal materialises all 200,000 entries to
// answer a question about two of them (~250-290 ms here), and json.Decoder.Token is
// slower still (an interface value, and often an allocation, per token). So the scanner
// walks the document once, validates its structure on the way, compares in place the few
// string values a Lookup asks about without allocating, and leaves decoding to
// encoding/json for the handful of entries that match.

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds nesting inside values the schema does not expect to nest, so that a
// corrupt file of 25 MB of '[' is an error and not a blown goroutine stack.
const maxDepth = 512

// msg is a message in both languages, whole sentences each.
type msg struct{ pt, en string }

var (
	msgAfterField   = msg{"esperada ',' ou '}' depois do campo do objeto", "expected ',' or '}' after object field"}
	msgAfterElement = msg{"esperada ',' ou ']' depois do elemento da lista", "expected ',' or ']' after array element"}
)

// listKind tells the two top-level lists apart.
type listKind uint8

const (
	listKeys listKind = iota
	listUsers
)

func (l listKind) String() string {
	if l == listKeys {
		return "keys"
	}
	return "users"
}

// field is a field of a key or user entry. The string fields come first so they can
// index entry.str.
type field uint8

const (
	fieldSHA256 field = iota
	fieldPartner
	fieldEnvironment
	fieldLogin
	fieldActive
	fieldUsers
	fieldUnknown

	nStringFields = int(fieldLogin) + 1
)

var fieldNames = [...]string{"sha256", "partner", "environment", "login", "active", "users"}

func (f field) String() string { return fieldNames[f] }

// fieldOf maps a field name of an entry of list l to its field. The switch on
// string(name) compiles to comparisons without a conversion, so it does not allocate.
func fieldOf(l listKind, name []byte) field {
	if l == listKeys {
		switch string(name) {
		case "sha256":
			return fieldSHA256
		case "partner":
			return fieldPartner
		case "environment":
			return fieldEnvironment
		case "active":
			return fieldActive
		case "users":
			return fieldUsers
		}
		return fieldUnknown
	}
	switch string(name) {
	case "login":
		return fieldLogin
	case "partner":
		return fieldPartner
	case "active":
		return fieldActive
	}
	return fieldUnknown
}

// kind is the kind of a JSON value.
type kind uint8

const (
	kindNone kind = iota
	kindString
	kindNumber
	kindTrue
	kindFalse
	kindNull
	kindObject
	kindArray
)

var (
	kindNames   = [...]string{"nothing", "a string", "a number", "true", "false", "null", "an object", "an array"}
	kindNamesPt = [...]string{"nada", "um texto", "um número", "true", "false", "null", "um objeto", "uma lista"}
)

func (k kind) String() string { return kindNames[k] }

// pt names the kind in Portuguese.
func (k kind) pt() string { return kindNamesPt[k] }

// span is the body of a string value: the bytes between its quotes, and whether they
// hold escapes that must be decoded before the text can be compared.
type span struct {
	start, end int
	escaped    bool
}

// entry is one element of keys or users as the walk saw it. The walk reuses a single
// entry for every element so that the fast path allocates nothing; a visitor copies
// what it keeps. Fields absent from the element have their bit clear in seen and stale
// values in str, so read them through has.
type entry struct {
	list   listKind
	index  int // position in its list
	start  int // offset of the element's '{'
	end    int // offset just past its '}'
	seen   uint8
	str    [nStringFields]span
	active bool
	users  []span
}

func (e *entry) has(f field) bool { return e.seen&(1<<f) != 0 }

// scanner walks one JSON snapshot document. It is not safe for concurrent use; each
// Lookup makes its own.
type scanner struct {
	file    string
	data    []byte
	pos     int
	scratch []byte // decoded text of the last escaped string asked for; reused
}

// errorAt reports a problem at byte offset off.
func (s *scanner) errorAt(off int, pt, en string, args ...any) error {
	return errorL(placeAt(s.file, s.data, off), pt, en, args...)
}

// expected reports that what was expected at s.pos is not there, saying so when the
// file simply ends: a truncated download is the usual cause.
func (s *scanner) expected(pt, en string, args ...any) error {
	e := errorL(placeAt(s.file, s.data, s.pos), pt, en, args...)
	if s.pos >= len(s.data) {
		e.Msg = "unexpected end of file: " + e.Msg
		e.Pt = "o arquivo termina antes da hora (download incompleto?): " + e.Pt
	}
	return e
}

// entryError reports a problem with an element of a top-level list.
func (s *scanner) entryError(off int, e *entry, pt, en string, args ...any) error {
	return s.errorAt(off, "%[1]s[%[2]d]: %[3]s", "%[1]s[%[2]d]: %[4]s", e.list, e.index, fmt.Sprintf(pt, args...), fmt.Sprintf(en, args...))
}

func (s *scanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\n', '\r', '\t':
			s.pos++
		default:
			return
		}
	}
}

func (s *scanner) peek() byte {
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

// closes consumes the opening byte of an object or array at s.pos and reports whether
// the container is empty, consuming its closing byte as well in that case.
func (s *scanner) closes(closing byte) bool {
	s.pos++
	s.skipSpace()
	if s.peek() == closing {
		s.pos++
		return true
	}
	return false
}

// next consumes what follows a member of an object or an element of an array: a ','
// (more follow) or the closing byte.
func (s *scanner) next(closing byte, m msg) (more bool, err error) {
	s.skipSpace()
	switch s.peek() {
	case ',':
		s.pos++
		s.skipSpace()
		return true, nil
	case closing:
		s.pos++
		return false, nil
	}
	return false, s.expected("%[1]s", "%[2]s", m.pt, m.en)
}

// fieldName scans `"name" :` and leaves s.pos at the value.
func (s *scanner) fieldName() (span, error) {
	if s.peek() != '"' {
		return span{}, s.expected("esperado um nome de campo entre aspas duplas", "expected a double-quoted field name")
	}
	name, err := s.str()
	if err != nil {
		return name, err
	}
	return name, s.colon()
}

func (s *scanner) colon() error {
	s.skipSpace()
	if s.peek() != ':' {
		return s.expected("esperado ':' depois do nome do campo", "expected ':' after object field name")
	}
	s.pos++
	s.skipSpace()
	return nil
}

// plainField recognises a field name of an entry of list l written plainly, as nearly
// all are, and consumes it. Half the strings of a snapshot are field names, and this
// spares them the general string scan. Anything else, including a known name written
// with escapes, gives fieldUnknown and leaves s.pos alone for the general path.
func (s *scanner) plainField(l listKind) field {
	d := s.data[s.pos:]
	if len(d) < 2 || d[0] != '"' {
		return fieldUnknown
	}
	var f field
	switch d[1] {
	case 's':
		f = fieldSHA256
	case 'p':
		f = fieldPartner
	case 'e':
		f = fieldEnvironment
	case 'l':
		f = fieldLogin
	case 'a':
		f = fieldActive
	case 'u':
		f = fieldUsers
	default:
		return fieldUnknown
	}
	name := fieldNames[f]
	end := len(name) + 2
	if len(d) < end || d[end-1] != '"' || string(d[1:end-1]) != name || fieldOf(l, d[1:end-1]) != f {
		return fieldUnknown
	}
	s.pos += end
	return f
}

// walk checks the whole document and calls visit with every element of keys and users,
// in file order. It always walks to the end, even once a Lookup has its answers, so a
// corrupt file is reported whatever the query.
func (s *scanner) walk(ctx context.Context, visit func(*entry) error) error {
	s.skipSpace()
	if s.peek() != '{' {
		return s.expected("esperada '{' abrindo o objeto do snapshot", "expected '{' to open the snapshot object")
	}
	var seen [2]bool
	var e entry
	if !s.closes('}') {
		for {
			at := s.pos
			name, err := s.fieldName()
			if err != nil {
				return err
			}
			var l listKind
			switch string(s.text(name)) {
			case "keys":
				l = listKeys
			case "users":
				l = listUsers
			default:
				return s.errorAt(at, "campo de primeiro nível desconhecido: %q (um snapshot tem só keys e users)", "unknown top-level field %q (a snapshot has only keys and users)", s.text(name))
			}
			if seen[l] {
				return s.errorAt(at, "o campo de primeiro nível %q aparece duas vezes", "duplicate top-level field %q", l)
			}
			seen[l] = true
			e.list = l
			if err := s.list(ctx, &e, visit); err != nil {
				return err
			}
			more, err := s.next('}', msgAfterField)
			if err != nil {
				return err
			}
			if !more {
				break
			}
		}
	}
	s.skipSpace()
	if s.pos < len(s.data) {
		return s.errorAt(s.pos, "há dados depois do objeto do snapshot", "unexpected data after the snapshot object")
	}
	return nil
}

// list walks the array of a top-level field. null stands for an empty list, as an empty
// `keys:` does in YAML.
func (s *scanner) list(ctx context.Context, e *entry, visit func(*entry) error) error {
	at := s.pos
	if s.peek() != '[' {
		k, _, err := s.value(0)
		if err != nil || k == kindNull {
			return err
		}
		return s.errorAt(at, "%s deve ser uma lista de objetos, e não %v", "%s must be an array of objects, not %s", e.list, kindName{k})
	}
	if s.closes(']') {
		return nil
	}
	for i := 0; ; i++ {
		if i&4095 == 0 { // ctx.Err takes a lock; once per few thousand entries is free
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("%s: %w", s.file, err)
			}
		}
		e.index = i
		if err := s.entry(e); err != nil {
			return err
		}
		if err := visit(e); err != nil {
			return err
		}
		more, err := s.next(']', msgAfterElement)
		if err != nil || !more {
			return err
		}
	}
}

// entry scans one element of a top-level list into e. Unknown and repeated fields are
// errors for every element, not only for those a query matches, so that whether a file
// is accepted does not depend on what is asked of it.
func (s *scanner) entry(e *entry) error {
	e.start, e.seen, e.active, e.users = s.pos, 0, false, e.users[:0]
	if s.peek() != '{' {
		if s.pos >= len(s.data) {
			return s.expected("%s[%d]: esperado um objeto", "%s[%d]: expected an object", e.list, e.index)
		}
		return s.entryError(s.pos, e, "esperado um objeto", "expected an object")
	}
	if s.closes('}') {
		e.end = s.pos
		return nil
	}
	for {
		at := s.pos
		f := s.plainField(e.list)
		if f == fieldUnknown {
			name, err := s.fieldName()
			if err != nil {
				return err
			}
			if f = fieldOf(e.list, s.text(name)); f == fieldUnknown {
				return s.entryError(at, e, "campo desconhecido: %q", "unknown field %q", s.text(name))
			}
		} else if err := s.colon(); err != nil {
			return err
		}
		if e.has(f) {
			return s.entryError(at, e, "o campo %q aparece duas vezes", "duplicate field %q", f)
		}
		e.seen |= 1 << f
		if err := s.entryValue(e, f); err != nil {
			return err
		}
		more, err := s.next('}', msgAfterField)
		if err != nil {
			return err
		}
		if !more {
			e.end = s.pos
			return nil
		}
	}
}

// entryValue scans the value of field f and checks its type.
func (s *scanner) entryValue(e *entry, f field) error {
	at := s.pos
	if f == fieldUsers {
		return s.userList(e)
	}
	k, v, err := s.value(0)
	if err != nil {
		return err
	}
	if f == fieldActive {
		if k != kindTrue && k != kindFalse {
			return s.entryError(at, e, "active deve ser true ou false, e não %v", "active must be true or false, not %s", kindName{k})
		}
		e.active = k == kindTrue
		return nil
	}
	if k != kindString {
		return s.entryError(at, e, "%s deve ser um texto, e não %v", "%s must be a string, not %s", f, kindName{k})
	}
	e.str[f] = v
	return nil
}

// userList scans the users array of a key.
func (s *scanner) userList(e *entry) error {
	if s.peek() != '[' {
		at := s.pos
		k, _, err := s.value(0)
		if err != nil {
			return err
		}
		return s.entryError(at, e, "users deve ser uma lista de logins, e não %v", "users must be an array of logins, not %s", kindName{k})
	}
	if s.closes(']') {
		return nil
	}
	for {
		at := s.pos
		k, v, err := s.value(1)
		if err != nil {
			return err
		}
		if k != kindString {
			return s.entryError(at, e, "users deve conter logins (textos), e não %v", "users must hold logins (strings), not %s", kindName{k})
		}
		e.users = append(e.users, v)
		more, err := s.next(']', msgAfterElement)
		if err != nil || !more {
			return err
		}
	}
}

// value scans any JSON value at s.pos and reports its kind; for a string, v is its body.
func (s *scanner) value(depth int) (k kind, v span, err error) {
	switch c := s.peek(); {
	case c == '"':
		v, err = s.str()
		return kindString, v, err
	case c == '{':
		return kindObject, v, s.skipObject(depth + 1)
	case c == '[':
		return kindArray, v, s.skipArray(depth + 1)
	case c == 't':
		return kindTrue, v, s.literal("true")
	case c == 'f':
		return kindFalse, v, s.literal("false")
	case c == 'n':
		return kindNull, v, s.literal("null")
	case c == '-' || isDigit(c):
		return kindNumber, v, s.number()
	}
	return kindNone, v, s.expected("esperado um valor", "expected a value")
}

func (s *scanner) skipObject(depth int) error {
	if depth > maxDepth {
		return s.errorAt(s.pos, "valores aninhados em mais de %d níveis", "values nested more than %d deep", maxDepth)
	}
	if s.closes('}') {
		return nil
	}
	for {
		if _, err := s.fieldName(); err != nil {
			return err
		}
		if _, _, err := s.value(depth); err != nil {
			return err
		}
		more, err := s.next('}', msgAfterField)
		if err != nil || !more {
			return err
		}
	}
}

func (s *scanner) skipArray(depth int) error {
	if depth > maxDepth {
		return s.errorAt(s.pos, "valores aninhados em mais de %d níveis", "values nested more than %d deep", maxDepth)
	}
	if s.closes(']') {
		return nil
	}
	for {
		if _, _, err := s.value(depth); err != nil {
			return err
		}
		more, err := s.next(']', msgAfterElement)
		if err != nil || !more {
			return err
		}
	}
}

func (s *scanner) literal(word string) error {
	end := s.pos + len(word)
	if end > len(s.data) || string(s.data[s.pos:end]) != word {
		return s.errorAt(s.pos, "literal inválido: esperado %s", "invalid literal: expected %s", word)
	}
	s.pos = end
	return nil
}

// number checks the JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) number() error {
	start, d := s.pos, s.data
	i := start
	if d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && isDigit(d[i]):
		i = skipDigits(d, i)
	default:
		return s.errorAt(start, "número inválido: falta um dígito depois de '-'", "invalid number: expected a digit after '-'")
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || !isDigit(d[i]) {
			return s.errorAt(start, "número inválido: falta um dígito depois de '.'", "invalid number: expected a digit after '.'")
		}
		i = skipDigits(d, i)
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || !isDigit(d[i]) {
			return s.errorAt(start, "número inválido: falta um dígito no expoente", "invalid number: expected a digit in the exponent")
		}
		i = skipDigits(d, i)
	}
	s.pos = i
	return nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func skipDigits(d []byte, i int) int {
	for i < len(d) && isDigit(d[i]) {
		i++
	}
	return i
}

// str scans the string at s.pos (its opening quote) and returns its body. Most of a
// snapshot's bytes are string bodies, so the scan jumps from special byte to special
// byte eight bytes at a time instead of looking at each byte.
func (s *scanner) str() (span, error) {
	open := s.pos
	v := span{start: open + 1}
	var high uint64
	for i := v.start; ; {
		j, h := nextSpecial(s.data, i)
		high |= h
		if j >= len(s.data) {
			return v, s.errorAt(open, "texto sem aspas de fechamento", "unterminated string")
		}
		switch c := s.data[j]; {
		case c == '"':
			v.end = j
			s.pos = j + 1
			if high != 0 && !utf8.Valid(s.data[v.start:v.end]) {
				return v, s.errorAt(firstInvalidUTF8(s.data, v.start), "UTF-8 inválido num texto (o arquivo foi salvo como UTF-8?)", "invalid UTF-8 in string (is the file saved as UTF-8?)")
			}
			return v, nil
		case c == '\\':
			n, err := s.escape(j)
			if err != nil {
				return v, err
			}
			v.escaped = true
			i = j + n
		case c == '\n':
			return v, s.errorAt(j, "quebra de linha dentro de um texto (falta fechar as aspas?)", "newline in string (missing closing quote?)")
		default:
			return v, s.errorAt(j, "o caractere de controle U+%04X deve vir escapado dentro de um texto", "control character U+%04X in string must be escaped", c)
		}
	}
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// nextSpecial returns the offset of the first '"', '\\' or control byte at or after i
// (len(d) if none), and a non-zero value if a byte with the high bit set was passed on
// the way, so the caller knows whether UTF-8 needs checking.
//
// It tests eight bytes per step with the SWAR "has zero byte" / "has byte less than"
// tricks: (x-0x01..)&^x&0x80.. flags the zero bytes of x. Borrows only make false flags
// above a true one, so the lowest flag is exact, and that is the only one used.
func nextSpecial(d []byte, i int) (int, uint64) {
	var high uint64
	for ; i+8 <= len(d); i += 8 {
		x := binary.LittleEndian.Uint64(d[i:])
		q := x ^ (ones * '"')
		b := x ^ (ones * '\\')
		m := ((q - ones) &^ q) | ((b - ones) &^ b) | ((x - ones*0x20) &^ x)
		if m &= highs; m != 0 {
			before := (m&-m)>>7 - 1 // the bytes ahead of the special one
			return i + bits.TrailingZeros64(m)/8, (high | x&before) & highs
		}
		high |= x
	}
	for ; i < len(d); i++ {
		c := d[i]
		high |= uint64(c)
		if c == '"' || c == '\\' || c < 0x20 {
			break
		}
	}
	return i, high & highs
}

func firstInvalidUTF8(d []byte, i int) int {
	for i < len(d) {
		r, n := utf8.DecodeRune(d[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return i
}

// escape checks the escape sequence at d[j] == '\\' and returns its length.
func (s *scanner) escape(j int) (int, error) {
	d := s.data
	if j+1 >= len(d) {
		return 0, s.errorAt(j, "texto sem aspas de fechamento", "unterminated string")
	}
	switch c := d[j+1]; c {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, nil
	case 'u':
		if j+6 > len(d) || hex4(d[j+2:j+6]) < 0 {
			return 0, s.errorAt(j, `escape inválido: \u deve ser seguido de quatro dígitos hexadecimais`, `invalid escape: \u must be followed by four hex digits`)
		}
		return 6, nil
	default:
		r, _ := utf8.DecodeRune(d[j+1:])
		return 0, s.errorAt(j, `escape inválido \%c num texto`, `invalid escape \%c in string`, r)
	}
}

// hex4 decodes four hex digits, or returns -1.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// text returns the decoded text of a string value. Unescaped bodies are returned in
// place; escaped ones are decoded into s.scratch, valid until the next call.
func (s *scanner) text(v span) []byte {
	raw := s.data[v.start:v.end]
	if !v.escaped {
		return raw
	}
	s.scratch = appendUnescaped(s.scratch[:0], raw)
	return s.scratch
}

// equal reports whether string value v reads as want, without allocating.
func (s *scanner) equal(v span, want string) bool {
	if !v.escaped {
		return string(s.data[v.start:v.end]) == want
	}
	if v.end-v.start < len(want) { // escapes only ever shrink the text
		return false
	}
	return string(s.text(v)) == want
}

// appendUnescaped decodes the body of a string the scanner has validated. It treats
// broken surrogate pairs as encoding/json does (U+FFFD), so that a key decoded here and
// one decoded by encoding/json compare equal.
func appendUnescaped(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			dst = append(dst, c)
			i++
			continue
		}
		switch raw[i+1] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := hex4(raw[i+2:])
			i += 6
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
					r2 = hex4(raw[i+2:])
				}
				if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
					r = pair
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			dst = utf8.AppendRune(dst, r)
			continue
		default: // '"', '\\', '/'
			dst = append(dst, raw[i+1])
		}
		i += 2
	}
	return dst
}

// kindName words a kind in each language's format: %s in the English text, its
// Portuguese name where a Portuguese format asks for it (via errorL's two Sprintf calls,
// each of which sees the same value).
type kindName struct{ k kind }

// Format writes the English name for %s and the Portuguese one for %v.
func (n kindName) Format(f fmt.State, verb rune) {
	if verb == 'v' {
		fmt.Fprint(f, n.k.pt())
		return
	}
	fmt.Fprint(f, n.k.String())
}
