package evidence

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// maskREWhole is what isMask asked of maskRE before maskShape.
func maskREWhole(s string) bool {
	if len(s) < 4 || s[0] != '[' || s[len(s)-1] != ']' {
		return false
	}
	loc := maskRE().FindStringIndex(s)
	return loc != nil && loc[0] == 0 && loc[1] == len(s)
}

func TestMaskShapeIsMaskRE(t *testing.T) {
	for _, s := range []string{
		"[api_key sha256:254097ef3e1c…f605]", "[api_key sha256:254097ef3e1c…]", "[api_key sha256:254097ef3e1…f605]",
		"[token#1 HS256, signature removed]", "[token#1 none, no signature]", "[token#2, 40 chars, not a JWT]", "[token#2 , 40 chars, not a JWT]",
		"[header Authorization, 190 chars, scheme Bearer, token#1]", "[header X-Api-Key, 24 chars, no scheme, token#12]", "[header A, 1 chars, scheme 9x]",
		"[senha, 8 chars]", "[nascimento, 10 chars, invalid]", "[senha, 8 chars, valid]",
		"[cpf#1 …25]", "[cnpj#1 …35]", "[cpf#2 …26, check digits invalid]", "[phone#1 …4321, invalid]", "[email#1 …@example.com.br]",
		"[email#1 …@]", "[cpf#1234567 …25]", "[cpf#1 …123456789]", "[cpf#1]", "[#1]", "[cpf#1 …25]]", "[[cpf#1 …25]", "[cpf#1 …25] ", "[]",
		"[" + strings.Repeat("a", 40) + ", 1 chars]", "[" + strings.Repeat("a", 41) + ", 1 chars]",
	} {
		if got, want := maskShape(s), maskREWhole(s); got != want {
			t.Errorf("maskShape(%q) = %v, maskRE says %v", s, got, want)
		}
	}
	pieces := []string{"[", "]", "api_key sha256:", "token#", "header ", ", ", " chars", "…", " …", "@", "#", "scheme ", "no scheme",
		"signature removed", "no signature", " chars, not a JWT", ", invalid", ", check digits invalid", " ", ".", "-", "_", ",", "Bearer", "9",
		"254097ef3e1c", "f605", "cpf", "email", "example.com.br", "1", "12", "1234567", "12345678", "HS256", "abcdefghij", "abcdefghijk", "x%",
		strings.Repeat("b", 40), strings.Repeat("c", 19), strings.Repeat("d", 20), strings.Repeat("e", 253), strings.Repeat("f", 254)}
	rapid.Check(t, func(t *rapid.T) {
		ps := rapid.SliceOfN(rapid.SampledFrom(pieces), 1, 12).Draw(t, "pieces")
		s := "[" + strings.Join(ps, "") + "]"
		if got, want := maskShape(s), maskREWhole(s); got != want {
			t.Fatalf("maskShape(%q) = %v, maskRE says %v", s, got, want)
		}
	})
}

// Masks one edit away from a real one: the borders of every shape.
func TestMaskShapeNearMasks(t *testing.T) {
	masks := []string{"[api_key sha256:254097ef3e1c…f605]", "[token#1 HS256, signature removed]", "[token#2, 40 chars, not a JWT]",
		"[header Authorization, 190 chars, scheme Bearer, token#1]", "[header X-Api-Key, 24 chars, no scheme]", "[senha, 8 chars, invalid]",
		"[cpf#2 …26, check digits invalid]", "[email#1 …@example.com.br]", "[phone#1 …4321, invalid]", "[cpf#1]"}
	alphabet := []byte("[]#,. -_@…aZ09:x")
	matched := 0
	rapid.Check(t, func(t *rapid.T) {
		s := []byte(rapid.SampledFrom(masks).Draw(t, "mask"))
		for range rapid.IntRange(0, 3).Draw(t, "edits") {
			i := rapid.IntRange(0, len(s)-1).Draw(t, "at")
			switch rapid.IntRange(0, 2).Draw(t, "op") {
			case 0:
				s = append(s[:i:i], s[i+1:]...)
			case 1:
				s = append(s[:i:i], append([]byte{rapid.SampledFrom(alphabet).Draw(t, "byte")}, s[i:]...)...)
			default:
				s[i] = rapid.SampledFrom(alphabet).Draw(t, "byte")
			}
			if len(s) == 0 {
				return
			}
		}
		got, want := maskShape(string(s)), maskREWhole(string(s))
		if got != want {
			t.Fatalf("maskShape(%q) = %v, maskRE says %v", s, got, want)
		}
		if got {
			matched++
		}
	})
	if matched == 0 {
		t.Errorf("no generated text was a mask: the test compares nothing but refusals")
	}
}
