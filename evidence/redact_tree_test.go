package evidence

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// mayOpenArray lets the scan pass over a mask without parsing it: it must never pass over a
// text that is a JSON array, or that array's secrets would go unscanned.
func TestMayOpenArray(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"[cpf#12 …25]", false},
		{"[email#3 …@example.com.br]", false},
		{"[telefone#7 …21]", false},
		{"[token#1 HS256, signature removed]", false},
		{"[nome, 5 chars]", false},
		{"[True]", false},
		{"[true, 1]", true},
		{"[false]", true},
		{"[null]", true},
		{"[]", true},
		{"[ 1]", true},
		{`["a"]`, true},
		{`[{"cpf": "529.982.247-25"}]`, true},
		{"[-1]", true},
		{"[trueish]", true}, // not JSON, but the parser says so: this check only passes over letters
	}
	for _, tt := range tests {
		if got := mayOpenArray(tt.text[1:]); got != tt.want {
			t.Errorf("mayOpenArray(%q) = %v, want %v", tt.text[1:], got, tt.want)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		// Arrays of every kind of JSON value, some spaced, and texts that only look like them.
		items := rapid.SliceOfN(rapid.SampledFrom([]string{"true", "false", "null", "0", "-2.5", `"x"`, "[]", "{}", `{"a": [1]}`, "nada", "[cpf#1 …25]"}), 0, 4).Draw(t, "items")
		s := "[" + rapid.SampledFrom([]string{"", " ", "\n  "}).Draw(t, "space") + strings.Join(items, ", ") + "]"
		if oneJSONValue([]byte(s)) && !mayOpenArray(s[1:]) {
			t.Fatalf("%q is a JSON array, and mayOpenArray passes over it", s)
		}
	})
}
