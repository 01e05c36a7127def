package rules_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/crefazon/triagem/rules"
)

func TestIncidentsSection(t *testing.T) {
	for _, tc := range []struct {
		name, from, to string
		partners       int
		window         time.Duration
		err            string
	}{
		{"the default file", "", "", 3, 2 * time.Hour, ""},
		{"a team's threshold", "  partners: 3\n", "  partners: 5\n", 5, 2 * time.Hour, ""},
		{"zero takes the built-in", "  partners: 3\n", "  partners: 0\n", 3, 2 * time.Hour, ""},
		{"a negative threshold", "  partners: 3\n", "  partners: -1\n", 0, 0, "incidents.partners"},
		{"a broken notice", "({{.Incident}})", "({{.Incident)", 0, 0, "incidents.notice.pt-BR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := rules.DefaultYAML()
			if tc.from != "" {
				if !bytes.Contains(data, []byte(tc.from)) {
					t.Fatalf("the default rules no longer hold %q", tc.from)
				}
				data = bytes.Replace(data, []byte(tc.from), []byte(tc.to), 1)
			}
			r, err := rules.Load("team.yaml", data)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one naming %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.IncidentPartners() != tc.partners || r.IncidentWindow() != tc.window {
				t.Errorf("partners %d within %v, want %d within %v", r.IncidentPartners(), r.IncidentWindow(), tc.partners, tc.window)
			}
		})
	}
}
