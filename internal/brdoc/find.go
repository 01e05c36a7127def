package brdoc

// FindAll returns every valid CPF and CNPJ in s, in order and without overlaps, bare or
// punctuated exactly as ValidCPF and ValidCNPJ accept them (so s[m.Start:m.End] always passes
// the validator of m.Kind). Documents are recognised by their check digits, so phone numbers,
// amounts, ids or an 11- or 14-digit number whose check digits do not add up are not matched
// (about 1 in 100 random numbers of the right length does add up, and is matched).
//
// A candidate must not be glued to an ASCII letter or digit on either side: inside a longer
// run of digits or letters nothing is matched. Anything else separates, including non-ASCII
// bytes and invalid UTF-8. Because the text is often JSON or URL-encoded, an escape that
// decodes to something other than an ASCII letter or digit also separates: \n, \r, \t, \b
// and \f, \uXXXX and %XX (so "\n52998224725" and "%2052998224725" match, while
// "\u003152998224725", an escaped '1' followed by the digits, does not). Documents whose own
// punctuation is escaped, such as a CNPJ written "11.222.333\/0001-81", are not found.
//
// FindAll runs in time linear in len(s), allocates only the result and never panics. It
// returns nil when nothing is found.
func FindAll(s string) []Match {
	var out []Match
	n := len(s)
	for i := 0; i < n; {
		if !isAlnum(s[i]) {
			i++
			continue
		}
		// s[i] starts a run of letters and digits: it is a candidate start, and so is the
		// first character after an escape that opens the run.
		if m, ok := matchAt(s, i); ok {
			out = append(out, m)
			i = m.End
			continue
		}
		if k := escapeTail(s, i); k > 0 && i+k < n && isAlnum(s[i+k]) {
			if m, ok := matchAt(s, i+k); ok {
				out = append(out, m)
				i = m.End
				continue
			}
		}
		for i < n && isAlnum(s[i]) {
			i++
		}
	}
	return out
}

// matchAt reports the document starting at s[i], if any, given that s[i] is a valid start.
// It looks at no more than 19 bytes.
func matchAt(s string, i int) (Match, bool) {
	n := len(s)
	run := 0
	for i+run < n && run <= cnpjLen && isAlnum(s[i+run]) {
		run++
	}
	var end int
	var kind Kind
	switch run {
	case cpfLen: // 12345678909
		end, kind = i+cpfLen, CPF
	case cnpjLen: // 12ABC34501DE35
		end, kind = i+cnpjLen, CNPJ
	case 3: // 123.456.789-09
		end, kind = i+cpfPunctLen, CPF
	case 2: // 12.ABC.345/01DE-35
		end, kind = i+cnpjPunctLen, CNPJ
	default:
		return Match{}, false
	}
	if end > n || !rightOK(s, end) {
		return Match{}, false
	}
	if kind == CPF {
		if !ValidCPF(s[i:end]) {
			return Match{}, false
		}
	} else if !ValidCNPJ(s[i:end]) {
		return Match{}, false
	}
	return Match{Start: i, End: end, Kind: kind}, true
}

// escapeTail returns k > 0 if s[i-1:i+k] is an escape that decodes to something other than an
// ASCII letter or digit and whose last k characters open a run of letters and digits at s[i]:
// \n, \r, \t, \b, \f (k = 1), %XX (k = 2) or \uXXXX (k = 5). It returns 0 otherwise.
func escapeTail(s string, i int) int {
	if i == 0 {
		return 0
	}
	switch s[i-1] {
	case '\\':
		switch s[i] {
		case 'n', 'r', 't', 'b', 'f':
			return 1
		case 'u':
			if v, ok := hexAt(s, i+1, 4); ok && !asciiAlnum(v) {
				return 5
			}
		}
	case '%':
		if v, ok := hexAt(s, i, 2); ok && !asciiAlnum(v) {
			return 2
		}
	}
	return 0
}

// rightOK reports whether a candidate ending at s[j] is not glued to what follows: the end of
// s, or a byte that is not an ASCII letter or digit and does not open an escape (\uXXXX or
// %XX) of one.
func rightOK(s string, j int) bool {
	if j == len(s) {
		return true
	}
	switch s[j] {
	case '\\':
		if j+1 < len(s) && s[j+1] == 'u' {
			v, ok := hexAt(s, j+2, 4)
			return !ok || !asciiAlnum(v)
		}
		return true
	case '%':
		v, ok := hexAt(s, j+1, 2)
		return !ok || !asciiAlnum(v)
	}
	return !isAlnum(s[j])
}

// hexAt decodes the k hexadecimal digits at s[i:i+k].
func hexAt(s string, i, k int) (v int, ok bool) {
	if i+k > len(s) {
		return 0, false
	}
	for _, c := range []byte(s[i : i+k]) {
		if !isHex(c) {
			return 0, false
		}
		v <<= 4
		switch {
		case c <= '9':
			v |= int(c - '0')
		case c <= 'F':
			v |= int(c - 'A' + 10)
		default:
			v |= int(c - 'a' + 10)
		}
	}
	return v, true
}

func asciiAlnum(v int) bool { return v < 0x80 && isAlnum(byte(v)) }
