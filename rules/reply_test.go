package rules_test

import (
	"regexp"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/crefazon/triagem/rules"
)

// tidyBySplit is how TidyText was first written (split, trim, join, a regular expression for
// the runs of blank lines): the one-pass version must give the same text for any template's
// output, or verdicts would change.
func tidyBySplit(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	s = regexp.MustCompile(`\n{3,}`).ReplaceAllString(strings.Join(lines, "\n"), "\n\n")
	return strings.TrimSpace(s)
}

func TestTidyTextAsBySplit(t *testing.T) {
	piece := rapid.SampledFrom([]string{"\n", "\n", " ", "\t", "\r", "\r\n", "a", "Olá", "\f", "\u00a0", "\v", "x y", "  "})
	rapid.Check(t, func(t *rapid.T) {
		s := strings.Join(rapid.SliceOf(piece).Draw(t, "pieces"), "")
		if got, want := rules.TidyText(s), tidyBySplit(s); got != want {
			t.Fatalf("TidyText(%q) = %q, want %q", s, got, want)
		}
	})
}
