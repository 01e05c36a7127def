package brdoc

import "unicode/utf8"

// People type documents and phone numbers in many shapes: "529 982 247 25", "529982247-25",
// "cpf52998224725", "11.222.333 0001 81", with non-breaking spaces pasted from a spreadsheet.
// FindAll accepts only the two canonical shapes (bare and punctuated), which is right for a
// validator and wrong for redaction. The finders below read the text as groups of digits
// joined by short separators and judge the digits, not the punctuation.

// group is a run of ASCII digits in a text: s[start:end].
type group struct{ start, end int }

func (g group) len() int { return g.end - g.start }

// sepLen is the length in bytes of a separator at s[i] between two groups of digits: one or
// two of space, tab, '.', '-', '/', '(', ')', NBSP (U+00A0), narrow NBSP (U+202F), thin
// space (U+2009) or figure space (U+2007). It is 0 when s[i] does not separate.
func sepLen(s string, i int, parens bool) int {
	n := 0
	for k := 0; k < 3 && i+n < len(s); k++ {
		c := s[i+n]
		switch {
		case c == ' ' || c == '\t' || c == '.' || c == '-' || c == '/':
			n++
		case parens && (c == '(' || c == ')'):
			n++
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i+n:])
			if r != '\u00a0' && r != '\u202f' && r != '\u2009' && r != '\u2007' {
				return n
			}
			n += size
		default:
			return n
		}
	}
	return n
}

// digitGroups splits the run of digits and separators that starts at s[i] (a digit) into
// groups, stopping after maxDigits digits or where the run ends.
func digitGroups(s string, i, maxDigits int, parens bool) []group {
	var gs []group
	total := 0
	for i < len(s) && isDigit(s[i]) && total < maxDigits {
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		gs = append(gs, group{i, j})
		total += j - i
		n := sepLen(s, j, parens)
		if n == 0 || j+n >= len(s) || !isDigit(s[j+n]) {
			break
		}
		i = j + n
	}
	return gs
}

// FindLoose returns the valid CPFs and CNPJs of s written with any separators between their
// digits (or none), or glued to letters before them ("cpf52998224725"), that FindAll does not
// return. A candidate is a sequence of digit groups whose digits add up to 11 (CPF) or 14
// (CNPJ) and pass the check digits, not glued to another digit on either side.
func FindLoose(s string) []Match {
	var out []Match
	for i := 0; i < len(s); {
		if !isDigit(s[i]) || i > 0 && isDigit(s[i-1]) {
			i++
			continue
		}
		gs := digitGroups(s, i, 40, false)
		m, ok := looseDoc(s, gs)
		if ok {
			out = append(out, m)
			i = m.End
			continue
		}
		i = gs[0].end
	}
	return out
}

// looseDoc tries the groups starting at each group, longest document first.
func looseDoc(s string, gs []group) (Match, bool) {
	for a := 0; a < len(gs); a++ {
		// A document starts at a group's start; it may not start in the middle of a run that
		// began before (the previous group's digits would be glued by a separator only).
		digits := make([]byte, 0, 14)
		for b := a; b < len(gs) && len(digits) <= 14; b++ {
			digits = append(digits, s[gs[b].start:gs[b].end]...)
			var kind Kind
			switch {
			case len(digits) == cnpjLen && ValidCNPJ(string(digits)):
				kind = CNPJ
			case len(digits) == cpfLen && ValidCPF(string(digits)):
				kind = CPF
			}
			if kind != 0 && (b+1 == len(gs) || len(digits) == cnpjLen || !extendsToCNPJ(s, gs[b+1:], digits)) {
				end := gs[b].end
				if end < len(s) && isDigit(s[end]) {
					continue
				}
				return Match{Start: gs[a].start, End: end, Kind: kind}, true
			}
		}
	}
	return Match{}, false
}

// extendsToCNPJ: an 11-digit CPF candidate is the head of a valid 14-digit CNPJ.
func extendsToCNPJ(s string, rest []group, head []byte) bool {
	d := append([]byte(nil), head...)
	for _, g := range rest {
		d = append(d, s[g.start:g.end]...)
		if len(d) >= cnpjLen {
			break
		}
	}
	return len(d) == cnpjLen && ValidCNPJ(string(d))
}
