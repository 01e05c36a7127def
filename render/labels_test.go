package render

import (
	"strings"
	"testing"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/rules"
)

func TestEveryCategoryAndActionHasAName(t *testing.T) {
	for _, c := range rules.Categories {
		for _, l := range []diagnose.Lang{"pt-BR", "en"} {
			got := CategoryLabel(c, l)
			if got == c || !strings.HasSuffix(got, " ("+c+")") {
				t.Errorf("category %s in %s: %q", c, l, got)
			}
			a := diagnose.CategoryAction(c)
			if got := ActionLabel(a, l); got == a || !strings.HasSuffix(got, " ("+a+")") {
				t.Errorf("action %s in %s: %q", a, l, got)
			}
		}
	}
	if got := CategoryLabel("token-expired", "pt-BR"); got != "Token expirado (token-expired)" {
		t.Errorf("pt-BR: %q", got)
	}
	if got := ActionLabel("reply", "en"); got != "Reply to the partner (reply)" {
		t.Errorf("en: %q", got)
	}
}
