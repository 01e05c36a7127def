package brdoc

// Phone numbers are not taxpayer documents, but they are found the same way: as digit
// groups, judged by their digits and shape rather than by one regular expression. A regular
// expression broad enough for "(11) 9 8765-4321", "+55 11 98765 4321" and "011 98765-4321"
// also takes every 10-digit proposal id, amount and protocol number for a phone; the shapes
// below keep those readable.

// Span is a phone number found in a text: text[Start:End].
type Span struct{ Start, End int }

// FindPhones returns the Brazilian and international phone numbers in s, in the shapes people
// write them:
//   - with a '+': 10 to 15 digits in any grouping (E.164, "+55 (11) 98765-4321");
//   - with separators: an area code (2 digits, or 3 with the trunk 0, optionally in
//     parentheses, optionally after the country code 55) and 8 or 9 digits ending in a group
//     of 4 ("11 98765-4321", "(11) 9 8765-4321", "011 98765-4321");
//   - without an area code, only written with a separator: "98765-4321", "3456-7890";
//   - bare digits only as a mobile with area code: 11 digits whose third is 9, optionally
//     after 55 or 0 ("11987654321", "5511987654321"): a bare 10-digit number is an id.
//
// A number inside a path segment ("/propostas/11987654321/...") or glued to letters or
// digits is not a phone. FindPhones never panics and allocates only its result.
func FindPhones(s string) []Span {
	var out []Span
	for i := 0; i < len(s); i++ {
		c := s[i]
		start := i
		plus := false
		switch {
		case c == '+':
			if i+1 >= len(s) || !(isDigit(s[i+1]) || s[i+1] == ' ' || s[i+1] == '(') {
				continue
			}
			plus = true
		case c == '(':
			if i+1 >= len(s) || !isDigit(s[i+1]) {
				continue
			}
		case isDigit(c):
		default:
			continue
		}
		if !leftOK(s, start) {
			// skip the whole run of digits, so that its tail is not a candidate either
			for i+1 < len(s) && isDigit(s[i+1]) {
				i++
			}
			continue
		}
		d := start
		for d < len(s) && !isDigit(s[d]) {
			d++ // past '+', '(' and a space
		}
		if d >= len(s) || d-start > 3 {
			continue
		}
		gs := digitGroups(s, d, 16, true)
		if end, ok := phoneShape(s, gs, plus, s[start] == '(' || hasParen(s, gs)); ok {
			out = append(out, Span{start, end})
			i = end - 1
			continue
		}
		i = gs[len(gs)-1].end - 1
	}
	return out
}

func hasParen(s string, gs []group) bool {
	for k := 1; k < len(gs); k++ {
		for j := gs[k-1].end; j < gs[k].start; j++ {
			if s[j] == '(' || s[j] == ')' {
				return true
			}
		}
	}
	return false
}

// leftOK: the candidate at s[i] is not glued to a letter or digit, is not a path segment, and
// is not the decimals of a number ("1.987654321").
func leftOK(s string, i int) bool {
	if i == 0 {
		return true
	}
	p := s[i-1]
	if isAlnum(p) || p == '/' || p == '_' {
		return false
	}
	if (p == '.' || p == ',') && i >= 2 && isDigit(s[i-2]) {
		return false
	}
	return true
}

// rightEdgeOK: what follows a phone is not a letter, a digit or a path separator.
func rightEdgeOK(s string, j int) bool {
	if j >= len(s) {
		return true
	}
	c := s[j]
	if isAlnum(c) || c == '/' || c == '_' {
		return false
	}
	if (c == '.' || c == ',') && j+1 < len(s) && isDigit(s[j+1]) {
		return false
	}
	return true
}

// phoneShape tries the longest prefix of the groups that is a phone, returning its end.
func phoneShape(s string, gs []group, plus, parens bool) (int, bool) {
	for k := len(gs); k >= 1; k-- {
		end := gs[k-1].end
		if !rightEdgeOK(s, end) && k == len(gs) {
			if end < len(s) && (s[end] == ')' || s[end] == '-' || s[end] == '.') {
				// a separator after the last group that led nowhere: fine
			} else {
				return 0, false
			}
		}
		if k < len(gs) && !rightEdgeOK(s, end) {
			continue
		}
		if isPhone(s, gs[:k], plus, parens) {
			return end, true
		}
	}
	return 0, false
}

func isPhone(s string, gs []group, plus, parens bool) bool {
	var d []byte
	for _, g := range gs {
		d = append(d, s[g.start:g.end]...)
	}
	n := len(d)
	if plus {
		return n >= 10 && n <= 15
	}
	bare := len(gs) == 1 && !parens
	last := gs[len(gs)-1].len()
	switch {
	case n >= 12 && n <= 13 && d[0] == '5' && d[1] == '5':
		d = d[2:]
	case (n == 11 || n == 12) && d[0] == '0':
		d = d[1:]
	}
	m := len(d)
	switch m {
	case 10, 11:
		if d[0] < '1' || d[1] < '1' { // area codes 11..99, no zero
			return false
		}
		local := d[2:]
		if m == 11 && local[0] != '9' {
			return false
		}
		if bare {
			return m == 11
		}
		if m == 10 && local[0] < '2' {
			return false
		}
		return last == 4 || last == 8 || last == 9
	case 8, 9:
		if bare || last != 4 || len(gs) < 2 || n != m {
			return false
		}
		if m == 9 && d[0] != '9' {
			return false
		}
		if m == 8 && (d[0] < '2' || d[0] > '5') {
			return false
		}
		// the first group is the whole prefix (4 or 5 digits), or a lone 9 before two groups of 4
		switch {
		case len(gs) == 2 && (gs[0].len() == 4 || gs[0].len() == 5):
		case len(gs) == 3 && gs[0].len() == 1 && gs[1].len() == 4:
		default:
			return false
		}
		sep := s[gs[len(gs)-2].end]
		return sep == '-' || sep == ' ' || sep >= 0x80
	}
	return false
}
