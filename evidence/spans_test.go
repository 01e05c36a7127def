package evidence

import (
	"reflect"
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// The regular expression bearerSpans was written from.
var bearerRef = regexp.MustCompile(`(?i)\bbearer(?:[ \t]+|%20|\+)([A-Za-z0-9._~+/=-]{8,})`)

func submatches(re *regexp.Regexp, s string) []span {
	var out []span
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		out = append(out, span{m[2], m[3], 0})
	}
	return out
}

func textOf(t *rapid.T, pieces []string) string {
	return strings.Join(rapid.SliceOfN(rapid.SampledFrom(pieces), 0, 30).Draw(t, "pieces"), "")
}

func TestBearerSpansIsTheRegexp(t *testing.T) {
	for _, s := range []string{"Authorization: Bearer abcdefgh12", "Bearer%20abcdefgh", "bearer+abcdefgh", "xBearer abcdefghij", "_Bearer abcdefghij",
		"BEARER \t abc.def~ghi", "Bearer abc", "Bearer  Bearer abcdefghij", "Bearer++abcdefgh", "bearer", "Bearer%2abcdefghij", "é Bearer abcdefgh"} {
		if got, want := bearerSpans(s), submatches(bearerRef, s); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: bearerSpans %v, regexp %v", s, got, want)
		}
	}
	pieces := []string{"Bearer", "bearer", "BEARER", "bEaReR", " ", "\t", "%20", "%2", "+", "abcdefgh", "abc", "x", "_", ".", "~", "/", "=", "-",
		":", "\n", "é", "9", "token"}
	rapid.Check(t, func(t *rapid.T) {
		s := textOf(t, pieces)
		if got, want := bearerSpans(s), submatches(bearerRef, s); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: bearerSpans %v, regexp %v", s, got, want)
		}
	})
}

func TestUserinfoSpansIsTheRegexp(t *testing.T) {
	long := strings.Repeat("u", 250)
	for _, s := range []string{"https://user:senha@host/x", "ftp://a@b https://c:d@e", "https://host/path", "abcdefghijklmnopqrstuvwxyz://u:p@h",
		"x://" + long + "123456@h", "x://" + long + "1234567@h", "a://b://c:d@e", "https://u:p@h@i"} {
		if got, want := userinfoSpans(s), submatches(userinfoRE(), s); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: userinfoSpans %v, regexp %v", s, got, want)
		}
	}
	pieces := []string{"https", "h", "x+y", "1", "://", ":/", "//", "@", "user", ":", "senha", "/", "?", "#", " ", "\n", "\"", "<", "[", "é",
		strings.Repeat("s", 15), strings.Repeat("s", 16), strings.Repeat("u", 120), strings.Repeat("u", 255), "."}
	rapid.Check(t, func(t *rapid.T) {
		s := textOf(t, pieces)
		if got, want := userinfoSpans(s), submatches(userinfoRE(), s); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: userinfoSpans %v, regexp %v", s, got, want)
		}
	})
}

func TestFindByLinesIsFindAll(t *testing.T) {
	exprs := []string{`[\p{L}\p{N}._%+-]+(?:@|%40|%2540)[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}`, `\b\d{4}\b`, `x*`, `a|`, `[a-z]+\d?`, `\Bb`}
	for _, e := range []string{`a$`, `^a`, `(?s)a.b`, `a\sb`, `[^x]+`, `(?m)^a`, `\Aa`} {
		if lineLocal(mustParse(t, e)) {
			t.Errorf("%s passes for line-local", e)
		}
	}
	for _, e := range exprs {
		st := mustParse(t, e)
		if !lineLocal(st) {
			t.Fatalf("%s is line-local", e)
		}
		p := &pattern{re: regexp.MustCompile(e), lineLocal: true, minDigits: minDigits(st.Simplify()), must: string(mustBytes(st.Simplify()))}
		pieces := []string{"\n", "\n\n", "a", "b", "x", "é", "1234", "12", "@", "%40", "%2540", ".", "com", "br", " ", "-", "fulano", "_"}
		rapid.Check(t, func(t *rapid.T) {
			s := textOf(t, pieces)
			want := p.re.FindAllStringIndex(s, -1)
			if got := p.findByLines(s); !reflect.DeepEqual(got, want) && (len(got) > 0 || len(want) > 0) {
				t.Fatalf("%s over %q: by lines %v, whole %v", e, s, got, want)
			}
		})
	}
}

func mustParse(t *testing.T, e string) *syntax.Regexp {
	t.Helper()
	re, err := syntax.Parse(e, syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	return re
}

// TestAnyOfHoldsForEveryMatch: whatever a pattern matches holds one of its anyOf texts, so
// that a text holding none is passed over without being run through the pattern.
func TestAnyOfHoldsForEveryMatch(t *testing.T) {
	email := `[\p{L}\p{N}._%+-]+(?:@|%40|%2540)[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}`
	if anyOf(mustParse(t, email).Simplify()) == nil || leadOf(mustParse(t, email).Simplify()) == nil {
		t.Fatal("the e-mail pattern says no text its matches need: the test compares nothing")
	}
	// What it is for: the leak scan passes an e-mail mask over without the pattern.
	lead := leadOf(mustParse(t, email).Simplify())
	for s, want := range map[string]bool{"[email#2 …@example.com.br]": false, "[email#2 …%40example.com.br]": false, "x@y.com.br": true, "é%40y.com": true, "[cpf#1 …25]": false} {
		if lead.holds(s) != want {
			t.Errorf("the e-mail pattern's lead in %q: %v, want %v", s, !want, want)
		}
	}
	exprs := []string{email, `ab|cd`, `(?i)ab`, `x*`, `a(b|cd)+e`, `(ab){2,}|c`, `[a-c]d`, `a?b`, `(?:%40|%2540)x`, `\bab\b`, `a{0,2}`,
		`[a-c]+(?:@|%4|x*)d`, `(?:[ab]+)(c|de)`, `[^@]+@x`, `\p{L}{2,}(?:%40|é)`, `x[a-c]{1,3}(?:d|e)+`, `[a-c]+\.?@`}
	pieces := []string{"a", "b", "c", "d", "e", "x", "@", "%40", "%2540", "%", "40", "25", ".", "com", "br", "é", "1", " ", "…", "\xff", "[cpf#1 …25]", "[email#2 …@example.com.br]"}
	for _, e := range exprs {
		re := regexp.MustCompile(e)
		any := anyOf(mustParse(t, e).Simplify())
		lead := leadOf(mustParse(t, e).Simplify())
		rapid.Check(t, func(t *rapid.T) {
			s := textOf(t, pieces)
			if !re.MatchString(s) {
				return
			}
			if lead != nil && !lead.holds(s) {
				t.Fatalf("%s matches %q, which holds none of %q after a rune of its class", e, s, lead.lits)
			}
			if any == nil {
				return
			}
			for _, a := range any {
				if strings.Contains(s, a) {
					return
				}
			}
			t.Fatalf("%s matches %q, which holds none of %q", e, s, any)
		})
	}
}

// A pattern's spans are its regular expression's non-empty matches, as FindAllStringIndex
// finds them, whether the first match is found alone (what follows lacks a byte every match
// holds) or all are listed; short texts and long ones (line by line), with and without the
// bytes every match holds.
func TestSpansAreFindAll(t *testing.T) {
	exprs := []string{`[\p{L}\p{N}._%+-]+(?:@|%40|%2540)[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}`, `a\.b`, `\b\d{4}\b`, `x*\.`, `[a-z]+@?`, `\B@`}
	for _, e := range exprs {
		st := mustParse(t, e)
		p := &pattern{re: regexp.MustCompile(e), lineLocal: lineLocal(st), minDigits: minDigits(st.Simplify()), must: string(mustBytes(st.Simplify()))}
		pieces := []string{"\n", "a", "b", "x", "é", "1234", "12", "@", "%40", "%2540", ".", "com", "br", " ", "-", "fulano", "_"}
		rapid.Check(t, func(t *rapid.T) {
			s := textOf(t, pieces)
			if rapid.Bool().Draw(t, "long") {
				s = strings.Repeat(" ", byLines) + s // past byLines: searched line by line
			}
			var want []span
			for _, m := range p.re.FindAllStringIndex(s, -1) {
				if m[1] > m[0] {
					want = append(want, span{m[0], m[1], 0})
				}
			}
			if got := p.spans(s, nil); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s (must %q) over %q: spans %v, FindAll %v", e, p.must, s, got, want)
			}
		})
	}
}
