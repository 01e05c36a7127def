package intake

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every note the readers make has both texts, and its arguments fit its placeholders.
func TestNoteCatalogue(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	used := map[string]bool{}
	re := regexp.MustCompile(`note\("([a-z0-9.-]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	if len(used) < 40 {
		t.Fatalf("found only %d note ids in the source", len(used))
	}
	for id := range used {
		m, ok := noteMessages[id]
		if !ok {
			t.Errorf("note %q has no text", id)
			continue
		}
		if strings.Count(m[0], "%") != strings.Count(m[1], "%") {
			t.Errorf("note %q: the languages take different arguments:\n%s\n%s", id, m[0], m[1])
		}
	}
	for id, m := range noteMessages {
		if m[0] == "" || m[1] == "" || m[0] == m[1] {
			t.Errorf("note %q: texts %q / %q", id, m[0], m[1])
		}
	}
}

// Notes render whole sentences in each language, nested notes included.
func TestNoteText(t *testing.T) {
	n := note("har.skipped", 3, note("har.reason.relative"))
	if got := n.Text("pt-BR"); got != "entrada 3 ignorada: request.url é relativa (sem esquema e servidor)" {
		t.Errorf("pt-BR: %q", got)
	}
	if got := n.Text("en"); got != "entry 3 skipped: request.url is relative (no scheme and host)" {
		t.Errorf("en: %q", got)
	}
	if got := NoteTexts([]Note{note("curl.many", 2), note("curl.many", 2)}, "pt-BR"); len(got) != 1 {
		t.Errorf("repeats kept: %q", got)
	}
}
