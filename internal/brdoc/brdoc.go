// Package brdoc owns recognising and normalising Brazilian taxpayer documents: CPF (natural
// persons, 11 digits) and CNPJ (legal entities, 14 characters, alphanumeric from July 2026).
// It validates check digits, normalises to the bare form and finds valid documents in free
// text (for redaction); it owns nothing else: no masking policy, no formatting for display, no
// lookups against Receita Federal.
//
// The check-digit code is written by hand, with the standard library only, because no
// maintained validator (in particular none that knows the alphanumeric CNPJ) builds here.
//
// CPF and CNPJ numbers are personal data under the LGPD (Lei 13.709/2018). This package never
// logs or prints the values it is given, and its functions return no error text that could
// carry them.
package brdoc

import "strconv"

// Kind is the type of document a Match found. The zero value is no kind.
type Kind uint8

// Document kinds.
const (
	CPF  Kind = iota + 1 // Cadastro de Pessoas Físicas, 11 digits.
	CNPJ                 // Cadastro Nacional da Pessoa Jurídica, 14 characters.
)

// String returns "CPF" or "CNPJ" (or "Kind(n)" for anything else).
func (k Kind) String() string {
	switch k {
	case CPF:
		return "CPF"
	case CNPJ:
		return "CNPJ"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Match is a valid document found by FindAll: text[Start:End] is the document as written
// (bare or punctuated).
type Match struct {
	Start, End int
	Kind       Kind
}

// Lengths of the accepted shapes.
const (
	cpfLen       = 11 // 12345678909
	cpfPunctLen  = 14 // 123.456.789-09
	cnpjLen      = 14 // 12ABC34501DE35
	cnpjPunctLen = 18 // 12.ABC.345/01DE-35
)

// Byte classes, from a table so that the FindAll loop stays cheap.
const (
	clDigit = 1 << iota
	clUpper
	clLower
	clHex // 0-9, A-F, a-f
)

var class = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = clDigit | clHex
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = clUpper
		t[c+'a'-'A'] = clLower
	}
	for c := 'A'; c <= 'F'; c++ {
		t[c] |= clHex
		t[c+'a'-'A'] |= clHex
	}
	return t
}()

func isDigit(c byte) bool { return class[c]&clDigit != 0 }
func isAlnum(c byte) bool { return class[c] != 0 }
func isHex(c byte) bool   { return class[c]&clHex != 0 }

// value is a CNPJ character's value: its ASCII code minus 48 ('0'..'9' -> 0..9, 'A' -> 17,
// ..., 'Z' -> 42). Lower-case letters count as upper-case. c must be alphanumeric.
func value(c byte) int {
	if class[c]&clLower != 0 {
		c -= 'a' - 'A'
	}
	return int(c) - '0'
}

// dv turns a weighted sum into a mod-11 check digit.
func dv(sum int) int {
	if r := sum % 11; r >= 2 {
		return 11 - r
	}
	return 0
}

// cpfDVs computes the two check digits of the 9 digits in b.
func cpfDVs(b *[9]byte) (d1, d2 int) {
	s1, s2 := 0, 0
	for i, c := range b {
		v := int(c - '0')
		s1 += v * (10 - i)
		s2 += v * (11 - i)
	}
	d1 = dv(s1)
	d2 = dv(s2 + 2*d1)
	return d1, d2
}

// cnpjWeights are the weights of the second check digit; the first uses cnpjWeights[1:].
var cnpjWeights = [13]int{6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}

// cnpjDVs computes the two check digits of the 12 alphanumeric characters in b.
func cnpjDVs(b *[12]byte) (d1, d2 int) {
	s1, s2 := 0, 0
	for i, c := range b {
		v := value(c)
		s1 += v * cnpjWeights[i+1]
		s2 += v * cnpjWeights[i]
	}
	d1 = dv(s1)
	d2 = dv(s2 + 2*d1)
	return d1, d2
}

// cpfDigits extracts the 11 digits of s if s has one of the two CPF shapes
// (12345678909 or 123.456.789-09); it does not look at check digits.
func cpfDigits(s string) (d [11]byte, ok bool) {
	switch len(s) {
	case cpfLen:
		for i := range cpfLen {
			if !isDigit(s[i]) {
				return d, false
			}
			d[i] = s[i]
		}
		return d, true
	case cpfPunctLen:
		if s[3] != '.' || s[7] != '.' || s[11] != '-' {
			return d, false
		}
		j := 0
		for i := range cpfPunctLen {
			if i == 3 || i == 7 || i == 11 {
				continue
			}
			if !isDigit(s[i]) {
				return d, false
			}
			d[j] = s[i]
			j++
		}
		return d, true
	}
	return d, false
}

// cnpjChars extracts the 14 characters of s, upper-cased, if s has one of the two CNPJ
// shapes (12ABC34501DE35 or 12.ABC.345/01DE-35, letters in either case in the first 12
// positions, digits in the last 2); it does not look at check digits.
func cnpjChars(s string) (d [14]byte, ok bool) {
	j := 0
	put := func(c byte) bool {
		if j >= 12 && !isDigit(c) || !isAlnum(c) {
			return false
		}
		if class[c]&clLower != 0 {
			c -= 'a' - 'A'
		}
		d[j] = c
		j++
		return true
	}
	switch len(s) {
	case cnpjLen:
		for i := range cnpjLen {
			if !put(s[i]) {
				return d, false
			}
		}
		return d, true
	case cnpjPunctLen:
		if s[2] != '.' || s[6] != '.' || s[10] != '/' || s[15] != '-' {
			return d, false
		}
		for i := range cnpjPunctLen {
			if i == 2 || i == 6 || i == 10 || i == 15 {
				continue
			}
			if !put(s[i]) {
				return d, false
			}
		}
		return d, true
	}
	return d, false
}

// allSame reports whether every byte of b equals b[0].
func allSame(b []byte) bool {
	for _, c := range b[1:] {
		if c != b[0] {
			return false
		}
	}
	return true
}

func cpfOK(d *[11]byte) bool {
	if allSame(d[:]) {
		return false
	}
	d1, d2 := cpfDVs((*[9]byte)(d[:9]))
	return int(d[9]-'0') == d1 && int(d[10]-'0') == d2
}

func cnpjOK(d *[14]byte) bool {
	if allSame(d[:]) {
		return false
	}
	d1, d2 := cnpjDVs((*[12]byte)(d[:12]))
	return int(d[12]-'0') == d1 && int(d[13]-'0') == d2
}

// ValidCPF reports whether s is a CPF with correct check digits, written either as 11 bare
// digits (12345678909) or with the standard punctuation in the standard places
// (123.456.789-09); no other shape (spaces, partial punctuation) is accepted. Numbers made of
// one repeated digit (000.000.000-00, 111.111.111-11, ...) are rejected although their check
// digits add up.
func ValidCPF(s string) bool {
	d, ok := cpfDigits(s)
	return ok && cpfOK(&d)
}

// ValidCNPJ reports whether s is a CNPJ with correct check digits, written either as 14 bare
// characters (11222333000181, 12ABC34501DE35) or with the standard punctuation in the
// standard places (11.222.333/0001-81, 12.ABC.345/01DE-35). The first 12 characters may be
// digits or letters (the alphanumeric CNPJ in force from July 2026; lower-case letters are
// taken as upper-case); the last 2, the check digits, are digits. Each character is worth its
// ASCII code minus 48 in the mod-11 computation. A CNPJ made of one repeated character
// (00.000.000/0000-00) is rejected.
func ValidCNPJ(s string) bool {
	d, ok := cnpjChars(s)
	return ok && cnpjOK(&d)
}

// NormalizeCPF returns the 11 bare digits of s and true if ValidCPF(s), else "" and false.
func NormalizeCPF(s string) (digits string, ok bool) {
	d, ok := cpfDigits(s)
	if !ok || !cpfOK(&d) {
		return "", false
	}
	return string(d[:]), true
}

// NormalizeCNPJ returns the 14 bare, upper-case characters of s and true if ValidCNPJ(s),
// else "" and false.
func NormalizeCNPJ(s string) (chars string, ok bool) {
	d, ok := cnpjChars(s)
	if !ok || !cnpjOK(&d) {
		return "", false
	}
	return string(d[:]), true
}

// MakeCPF appends the two check digits to base9, which must be exactly 9 digits, and returns
// the bare 11-digit CPF. It returns "" if base9 is malformed or if the result would be
// rejected by ValidCPF (a repeated digit such as 111111111). It never panics. It is meant for
// tests and fixtures.
func MakeCPF(base9 string) string {
	if len(base9) != 9 {
		return ""
	}
	var d [11]byte
	for i := range 9 {
		if !isDigit(base9[i]) {
			return ""
		}
		d[i] = base9[i]
	}
	d1, d2 := cpfDVs((*[9]byte)(d[:9]))
	d[9], d[10] = byte('0'+d1), byte('0'+d2)
	if allSame(d[:]) {
		return ""
	}
	return string(d[:])
}

// MakeCNPJ appends the two check digits to base12, which must be exactly 12 digits or
// letters (lower-case is upper-cased), and returns the bare 14-character CNPJ. It returns ""
// if base12 is malformed or if the result would be rejected by ValidCNPJ (000000000000). It
// never panics. It is meant for tests and fixtures.
func MakeCNPJ(base12 string) string {
	if len(base12) != 12 {
		return ""
	}
	var d [14]byte
	for i := range 12 {
		c := base12[i]
		if !isAlnum(c) {
			return ""
		}
		if class[c]&clLower != 0 {
			c -= 'a' - 'A'
		}
		d[i] = c
	}
	d1, d2 := cnpjDVs((*[12]byte)(d[:12]))
	d[12], d[13] = byte('0'+d1), byte('0'+d2)
	if allSame(d[:]) {
		return ""
	}
	return string(d[:])
}

// Problem says why a text is not a document in an accepted shape, without repeating it.
type Problem uint8

// What Check finds.
const (
	OK          Problem = iota // a valid document in an accepted shape
	Shape                      // the right characters and check digits, in an unusual shape (529982247-25, 529 982 247 25)
	CheckDigits                // the check digits do not match (or one repeated character)
	Length                     // not the number of digits (or characters) the document has
	Characters                 // characters other than digits (CNPJ: letters and digits) and separators
)

// isSeparator is what people put between a document's groups: dots, dashes, slashes, blanks.
func isSeparator(c byte) bool {
	return c == '.' || c == '-' || c == '/' || c == ' ' || c == '\t' || c == '_' || c == ','
}

// CheckCPF tells whether s is a valid CPF in an accepted shape and, when not, why: a CPF
// whose digits are right but whose separators are not the standard ones is a Shape problem,
// so that a partner is not told its client's number is wrong when only its writing is.
func CheckCPF(s string) Problem {
	if ValidCPF(s) {
		return OK
	}
	var d [11]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			if n < len(d) {
				d[n] = c
			}
			n++
		case isSeparator(c):
		default:
			return Characters
		}
	}
	switch {
	case n != cpfLen:
		return Length
	case !cpfOK(&d):
		return CheckDigits
	}
	return Shape
}

// CheckCNPJ is CheckCPF for a CNPJ: 12 letters or digits and 2 check digits.
func CheckCNPJ(s string) Problem {
	if ValidCNPJ(s) {
		return OK
	}
	var d [14]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isAlnum(c):
			if n < len(d) {
				if class[c]&clLower != 0 {
					c -= 'a' - 'A'
				}
				d[n] = c
			}
			n++
		case isSeparator(c):
		default:
			return Characters
		}
	}
	switch {
	case n != cnpjLen:
		return Length
	case !isDigit(d[12]) || !isDigit(d[13]):
		return Characters
	case !cnpjOK(&d):
		return CheckDigits
	}
	return Shape
}
