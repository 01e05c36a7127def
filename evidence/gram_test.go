package evidence

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// The filter in front of the search for known secrets may let a clean text through to the
// exact search, never turn away a text that holds a secret.
func TestGramSetNeverMissesASecret(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var g gramSet
		alphabet := rapid.SampledFrom([]rune("abcAB01-_.%=/+ çé"))
		secrets := rapid.SliceOfN(rapid.StringOfN(alphabet, minSecret, 40, -1), 1, 30).Draw(t, "secrets")
		for _, s := range secrets {
			if len(s) >= minSecret {
				g.add(s)
			}
		}
		pick := rapid.IntRange(0, len(secrets)-1).Draw(t, "pick")
		before := rapid.StringOf(alphabet).Draw(t, "before")
		after := rapid.StringOf(alphabet).Draw(t, "after")
		text := before + secrets[pick] + after
		if len(secrets[pick]) >= minSecret && !g.any(text) {
			t.Fatalf("the filter turned away %q, which holds %q", text, secrets[pick])
		}
	})
}

// A redactor that learnt a key still masks it inside longer printed texts, however many
// other secrets it knows (the filter and the exact search together).
func TestKnownSecretsMaskedBehindTheFilter(t *testing.T) {
	rd, err := NewOutputRedactor(defaultRedaction(t))
	if err != nil {
		t.Fatal(err)
	}
	rd.addSecret("k3y-Of-The-Partner-77", "[chave]", "api key")
	for i := range 40 {
		rd.addSecret(strings.Repeat(string(rune('a'+i%26)), 6)+"Zz9", "[outro]", "token")
	}
	for _, text := range []string{
		"a chave k3y-Of-The-Partner-77 foi recusada",
		"url?apikey=k3y-Of-The-Partner-77&x=1",
		"k3y-Of-The-Partner-77",
	} {
		if got := rd.Output(text); strings.Contains(got, "k3y-Of-The-Partner-77") {
			t.Errorf("Output(%q) = %q: the key is in clear", text, got)
		}
	}
	if got := rd.Output("nada de secreto aqui"); got != "nada de secreto aqui" {
		t.Errorf("a clean text changed: %q", got)
	}
}
