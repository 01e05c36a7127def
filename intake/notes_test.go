package intake

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
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

// Every refusal of the readers has its pt-BR text, with the same arguments.
func TestErrorCatalogue(t *testing.T) {
	call := regexp.MustCompile(`\b(errf|placedErrf|harErr|rawErr|notCurlf|notPSf|lx\.errf)\(`)
	lit := regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	verbs := regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*(?:\.\d+)?[a-zA-Z%]`)
	files, _ := filepath.Glob("*.go")
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "errors.go" {
			continue
		}
		b, _ := os.ReadFile(f)
		for _, line := range strings.Split(string(b), "\n") {
			loc := call.FindStringSubmatchIndex(line)
			if loc == nil || strings.HasPrefix(strings.TrimSpace(line), "func ") {
				continue
			}
			lits := lit.FindAllString(line[loc[1]:], -1)
			if len(lits) == 0 {
				continue
			}
			l := lits[0]
			if l == `"%s:%d:%d"` && len(lits) > 1 {
				l = lits[1]
			}
			key, err := strconv.Unquote(l)
			if err != nil {
				t.Fatalf("%s: %v", l, err)
			}
			if strings.Contains(line, "format+") {
				continue // the lexer's own helper, which appends the place
			}
			if line[loc[2]:loc[3]] == "lx.errf" {
				key += " at line %d, column %d"
			}
			n++
			pt, ok := errorsPT[key]
			if !ok {
				t.Errorf("%s: no pt-BR text for %q", f, key)
				continue
			}
			if len(verbs.FindAllString(key, -1)) != len(verbs.FindAllString(pt, -1)) {
				t.Errorf("%q and %q take different arguments", key, pt)
			}
		}
	}
	if n < 90 {
		t.Errorf("found only %d refusals in the source", n)
	}
}

// A refusal reads whole in each language, its place and nested parts included.
func TestErrorText(t *testing.T) {
	_, err := ParseCurl("curl -H “Authorization: Bearer x” https://h/", nil)
	if got := Localize(err, "pt-BR"); got != "o argumento (posição 2) na linha 1, coluna 9 tem aspas tipográficas (“), não retas: um chat ou editor de texto as trocou; use \" ou '" {
		t.Errorf("pt-BR: %q", got)
	}
	if got := Localize(err, "en"); !strings.HasPrefix(got, "the argument (position 2) at line 1, column 9 has a typographic quote") {
		t.Errorf("en: %q", got)
	}
	_, err = ParseCurl("curl -F doc=@corpo.json https://h/", func(string) ([]byte, error) { return nil, fs.ErrNotExist })
	if got := Localize(err, "pt-BR"); got != "-F/--form (posição 1) na linha 1, coluna 6: não foi possível ler @corpo.json: arquivo não encontrado" {
		t.Errorf("pt-BR: %q", got)
	}
	_, err = ParseHAR("x.har", []byte("{\n  \"log\": {\n    \"entries\": [,]\n  }\n}"), nil)
	if got := Localize(err, "pt-BR"); got != "x.har:3:17: não é JSON" {
		t.Errorf("pt-BR: %q", got)
	}
}
