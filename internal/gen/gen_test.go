package gen

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/internal/brdoc"
)

// The generated cases parse, each carries its own key and user, and the snapshot holds them.
func TestCasesVaried(t *testing.T) {
	ts, err := Templates("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	var cases, snap bytes.Buffer
	if err := Cases(ts, 3*len(ts), 50, 60, 7, &cases, &snap); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(cases.String()), "\n")
	if len(lines) != 3*len(ts) {
		t.Fatalf("%d lines, want %d", len(lines), 3*len(ts))
	}
	keys, users := map[string]bool{}, map[string]bool{}
	for i, l := range lines {
		c, err := diagnose.ParseCase("case.json", []byte(l))
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if k := c.Credentials.APIKey; k != "" {
			if keys[k] {
				t.Errorf("line %d: key %s repeated", i+1, k)
			}
			keys[k] = true
		}
		if u := c.Credentials.User; u != "" {
			if users[u] {
				t.Errorf("line %d: user %s repeated", i+1, u)
			}
			users[u] = true
			if !strings.Contains(snap.String(), `"login": "`+u+`"`) {
				t.Errorf("line %d: user %s not in the snapshot", i+1, u)
			}
		}
	}
	var doc struct {
		Keys  []json.RawMessage `json:"keys"`
		Users []json.RawMessage `json:"users"`
	}
	if err := json.Unmarshal(snap.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Keys) < 50 || len(doc.Users) < 60 {
		t.Errorf("snapshot: %d keys, %d users; want at least 50 and 60", len(doc.Keys), len(doc.Users))
	}
}

func TestCPFValid(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		s := cpf(r)
		if !brdoc.ValidCPF(s) {
			t.Fatalf("%s: check digits do not add up", s)
		}
	}
}
