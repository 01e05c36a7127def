package evidence

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// spansBySearch is the search the one-pass secretSpans replaced: each secret in turn (longest
// first), its occurrences left to right, then ordered by place. Both must give the same spans
// in the same order, or masks would change.
func spansBySearch(rd *Redactor, s string) []span {
	var c []span
	for _, v := range rd.byLen {
		for off := 0; ; {
			i := strings.Index(s[off:], v)
			if i < 0 {
				break
			}
			st, en := off+i, off+i+len(v)
			if len(v) >= 8 || wordBounded(s, st, en) {
				c = append(c, span{st, en, len(v)})
			}
			off = en
		}
	}
	slices.SortStableFunc(c, func(a, b span) int { return a.start - b.start })
	return c
}

func TestSecretSpansAsSearch(t *testing.T) {
	alphabet := rapid.SampledFrom([]string{"a", "b", "ab", "aa", "-", " ", "1", "%2", "ba", "abab"})
	word := rapid.Map(rapid.SliceOfN(alphabet, 1, 8), func(p []string) string { return strings.Join(p, "") })
	rapid.Check(t, func(t *rapid.T) {
		rd := &Redactor{secrets: map[string]secret{}}
		for _, v := range rapid.SliceOfN(word, 1, 12).Draw(t, "secrets") {
			rd.addSecret(v, "[x, 1 chars]", "secret")
			if len(rd.byLen) > 0 && rapid.Bool().Draw(t, "ask between") {
				rd.secretSpans("warm the index")
			}
		}
		s := strings.Join(rapid.SliceOfN(word, 0, 20).Draw(t, "text"), rapid.SampledFrom([]string{"", " ", "ab"}).Draw(t, "sep"))
		got, want := rd.secretSpans(s), spansBySearch(rd, s)
		if !slices.Equal(got, want) {
			t.Fatalf("secrets %q in %q: %v, the search gave %v", rd.byLen, s, got, want)
		}
	})
}

// A secret is looked for JSON-escaped exactly as encoding/json writes it.
func TestJSONEscapedAsMarshal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := rapid.OneOf(rapid.String(), rapid.StringOf(rapid.SampledFrom([]rune{'<', '>', '&', '"', '\\', '\b', '\f', '\n', '\r', '\t', 0, 0x1f, 0x7f, '\u2028', '\u2029', 'é', 0xfffd, 'a'})),
			rapid.Map(rapid.SliceOf(rapid.Byte()), func(b []byte) string { return string(b) })).Draw(t, "v")
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := jsonEscaped(v), string(b[1:len(b)-1]); got != want {
			t.Fatalf("jsonEscaped(%q) = %q, json.Marshal wrote %q", v, got, want)
		}
	})
}
