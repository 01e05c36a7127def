package diagnose

import (
	"strings"
	"testing"

	"github.com/crefazon/triagem/rules"
)

// TestLibraryWordsStayInEnglish: where a library's own English text is all there is (a JSON
// syntax error, a schema rule without a sentence of its own), the Portuguese text says what
// to look at instead of repeating it; the English text keeps it.
func TestLibraryWordsStayInEnglish(t *testing.T) {
	tests := []struct {
		name         string
		pt, en       string
		wantPt, libw string
	}{
		{"JSON syntax", jsonProblem([]byte("{\"a\": x}"), "pt-BR"), jsonProblem([]byte("{\"a\": x}"), "en"),
			"linha 1, coluna 7: o JSON não pôde ser lido", "invalid character"},
		{"a schema rule", violationText(rules.Violation{Path: "cliente", Code: "other", Detail: "not allowed by propertyNames"}, "pt-BR"),
			violationText(rules.Violation{Path: "cliente", Code: "other", Detail: "not allowed by propertyNames"}, "en"),
			"cliente não atende a uma regra do esquema da rota", "not allowed by propertyNames"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.HasPrefix(tt.pt, tt.wantPt) || strings.Contains(tt.pt, tt.libw) {
				t.Errorf("pt-BR: %q, want it to start %q and not hold %q", tt.pt, tt.wantPt, tt.libw)
			}
			if !strings.Contains(tt.en, tt.libw) {
				t.Errorf("en: %q lacks the library's words %q", tt.en, tt.libw)
			}
		})
	}
}
