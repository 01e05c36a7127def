package evidence

// maskShape tells whether s is exactly one mask of the shapes maskRE knows, without the
// regular expression: maskRE's bounded repetitions ({1,253} and the like) unroll into a
// program of hundreds of instructions, which the backtracker clears a bitmap for on every
// call, and a bundle's scan asks about every one of its masks. It matches what maskRE matches
// at the start of s and ending at its end (TestMaskShapeIsMaskRE checks them against each
// other); none of maskRE's character classes holds ']', so that match is the whole of s.
func maskShape(s string) bool {
	if len(s) < 4 || s[0] != '[' || s[len(s)-1] != ']' {
		return false
	}
	in := s[1 : len(s)-1]
	return maskAPIKey(in) || maskToken(in) || maskHeader(in) || maskField(in) || maskNumbered(in)
}

const ellipsis = "…"

// runOf is where the bytes of class starting at i end, if there are between lo and hi of them.
func runOf(s string, i int, class func(byte) bool, lo, hi int) (int, bool) {
	j := i
	for j < len(s) && class(s[j]) {
		j++
	}
	return j, j-i >= lo && j-i <= hi
}

// litAt is where lit ends when s has it at i.
func litAt(s string, i int, lit string) (int, bool) {
	if len(s)-i >= len(lit) && s[i:i+len(lit)] == lit {
		return i + len(lit), true
	}
	return i, false
}

func isAlnumByte(c byte) bool { return isWordByte(c) && c != '_' }
func isLowerHex(c byte) bool  { return isDigit(c) || c >= 'a' && c <= 'f' }
func isNameClass(c byte) bool { return isWordByte(c) || c == '.' || c == '-' }
func isDomainByte(c byte) bool {
	return isAlnumByte(c) || c == '.' || c == '-'
}
func isSchemeTail(c byte) bool { return isAlnumByte(c) || c == '-' }

// api_key sha256:[0-9a-f]{12}…[A-Za-z0-9]{0,4}
func maskAPIKey(s string) bool {
	i, ok := litAt(s, 0, "api_key sha256:")
	if !ok {
		return false
	}
	if i, ok = runOf(s, i, isLowerHex, 12, 12); !ok {
		return false
	}
	if i, ok = litAt(s, i, ellipsis); !ok {
		return false
	}
	i, ok = runOf(s, i, isAlnumByte, 0, 4)
	return ok && i == len(s)
}

// token#[0-9]{1,6}(?: [A-Za-z0-9]{1,10})?, (?:signature removed|no signature|[0-9]{1,7} chars, not a JWT)
func maskToken(s string) bool {
	i, ok := litAt(s, 0, "token#")
	if !ok {
		return false
	}
	if i, ok = runOf(s, i, isDigit, 1, 6); !ok {
		return false
	}
	if j, ok := litAt(s, i, " "); ok {
		if i, ok = runOf(s, j, isAlnumByte, 1, 10); !ok {
			return false
		}
	}
	if i, ok = litAt(s, i, ", "); !ok {
		return false
	}
	rest := s[i:]
	if rest == "signature removed" || rest == "no signature" {
		return true
	}
	if i, ok = runOf(s, i, isDigit, 1, 7); !ok {
		return false
	}
	return s[i:] == " chars, not a JWT"
}

// header [A-Za-z0-9_.-]{1,40}, [0-9]{1,7} chars(?:, (?:scheme [A-Za-z][A-Za-z0-9-]{0,19}|no scheme|token#[0-9]{1,6}))*
func maskHeader(s string) bool {
	i, ok := litAt(s, 0, "header ")
	if !ok {
		return false
	}
	if i, ok = charsCount(s, i); !ok {
		return false
	}
	for i < len(s) {
		if i, ok = litAt(s, i, ", "); !ok {
			return false
		}
		switch {
		case len(s)-i >= 7 && s[i:i+7] == "scheme ":
			i += 7
			if i >= len(s) || !isLetter(s[i]) {
				return false
			}
			if i, ok = runOf(s, i+1, isSchemeTail, 0, 19); !ok {
				return false
			}
		case len(s)-i >= 9 && s[i:i+9] == "no scheme":
			i += 9
		case len(s)-i >= 6 && s[i:i+6] == "token#":
			if i, ok = runOf(s, i+6, isDigit, 1, 6); !ok {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// [A-Za-z0-9_.-]{1,40}, [0-9]{1,7} chars(?:, invalid)?
func maskField(s string) bool {
	i, ok := charsCount(s, 0)
	return ok && (i == len(s) || s[i:] == ", invalid")
}

// charsCount reads "[A-Za-z0-9_.-]{1,40}, [0-9]{1,7} chars" at i.
func charsCount(s string, i int) (int, bool) {
	i, ok := runOf(s, i, isNameClass, 1, 40)
	if !ok {
		return i, false
	}
	if i, ok = litAt(s, i, ", "); !ok {
		return i, false
	}
	if i, ok = runOf(s, i, isDigit, 1, 7); !ok {
		return i, false
	}
	return litAt(s, i, " chars")
}

// [A-Za-z0-9_.-]{1,40}#[0-9]{1,6}(?: …(?:@[A-Za-z0-9.-]{1,253}|[A-Za-z0-9]{1,8}))?(?:, check digits invalid|, invalid)?
func maskNumbered(s string) bool {
	i, ok := runOf(s, 0, isNameClass, 1, 40)
	if !ok {
		return false
	}
	if i, ok = litAt(s, i, "#"); !ok {
		return false
	}
	if i, ok = runOf(s, i, isDigit, 1, 6); !ok {
		return false
	}
	if j, ok := litAt(s, i, " "+ellipsis); ok {
		if k, ok := litAt(s, j, "@"); ok {
			if i, ok = runOf(s, k, isDomainByte, 1, 253); !ok {
				return false
			}
		} else if i, ok = runOf(s, j, isAlnumByte, 1, 8); !ok {
			return false
		}
	}
	rest := s[i:]
	return rest == "" || rest == ", check digits invalid" || rest == ", invalid"
}
