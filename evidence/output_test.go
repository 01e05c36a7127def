package evidence

import (
	"strings"
	"testing"

	"github.com/crefazon/triagem/diagnose"
)

// A fresh redactor masks like a new one: it keeps the rules, forgets the previous case's
// secrets and numbers its masks from #1 again.
func TestFreshForgetsTheCase(t *testing.T) {
	base, err := NewOutputRedactor(defaultRedaction(t))
	if err != nil {
		t.Fatal(err)
	}
	first := base.Fresh()
	first.Learn(&diagnose.Case{Credentials: diagnose.Credentials{APIKey: "hml-alfa-0123456789abcdef"}})
	tests := []struct {
		name, text string
		rd         *Redactor
		want       []string // in the output
		not        []string // not in the output
	}{
		{"learnt key masked", "a chave hml-alfa-0123456789abcdef falhou", first, nil, []string{"0123456789abcdef"}},
		{"cpf numbered from 1", "CPF 529.982.247-25 e 111.444.777-35", first, []string{"cpf#1", "cpf#2"}, []string{"529.982"}},
		{"fresh: key of the other case not known", "a chave hml-alfa-0123456789abcdef falhou", base.Fresh(), []string{"hml-alfa-0123456789abcdef"}, nil},
		{"fresh: numbering restarts", "CPF 111.444.777-35", base.Fresh(), []string{"cpf#1"}, []string{"111.444", "cpf#2"}},
		{"fresh of a used one is clean too", "CPF 111.444.777-35", first.Fresh(), []string{"cpf#1"}, []string{"cpf#2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.rd.Output(tt.text)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Output(%q) = %q, want %q in it", tt.text, got, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("Output(%q) = %q, must not hold %q", tt.text, got, n)
				}
			}
		})
	}
}

// A text printed with every verdict (the very same string each time) is soon known clean and
// answered for by where its bytes lie; it is still masked with the secrets of the case at hand,
// and only those: a key one case taught masks neither another case's copy of the text nor
// its own once a case that does not hold it comes.
func TestRecurringTextMaskedPerCase(t *testing.T) {
	base, err := NewOutputRedactor(defaultRedaction(t))
	if err != nil {
		t.Fatal(err)
	}
	const key = "hml-beta-fedcba9876543210"
	const recurring = "a chave " + key + " falhou" // one string, printed by every case
	for i := range 6 {
		clean := base.Fresh()
		clean.Learn(&diagnose.Case{Credentials: diagnose.Credentials{APIKey: "hml-gama-00112233445566778899"}})
		if got := clean.Output(recurring); got != recurring {
			t.Fatalf("round %d: a case without the key changed %q to %q", i, recurring, got)
		}
		holder := base.Fresh()
		holder.Learn(&diagnose.Case{Credentials: diagnose.Credentials{APIKey: key}})
		if got := holder.Output(recurring); strings.Contains(got, "fedcba9876543210") {
			t.Fatalf("round %d: the case's own key left in %q", i, got)
		}
	}
	if !base.Fresh().cleanOf().sameText(recurring) {
		t.Error("the recurring text is not remembered by its place: the test no longer covers that path")
	}
}
