package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Words that only one of the two languages has: a help text in one language must not hold
// a sentence of the other. Domain terms and quoted partner messages ("Usuario nao
// cadastrado", "Luz em Dia") use none of them.
var (
	englishWords    = words(`the|and|of|is|are|to|with|for|when|from|this|that|which|not|be|print|show|check`)
	portugueseWords = words(`não|uma|que|para|com|são|é|da|\p{L}*ção|\p{L}*ções`)
)

// words matches any of the alternatives as a whole word (Go's \b does not know accents).
func words(alternatives string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)(?:^|[^\p{L}])(` + alternatives + `)(?:[^\p{L}]|$)`)
}

// syntax is what a help line holds that is no language: flags, URLs.
var syntax = regexp.MustCompile(`--?[\w-]+|\S+://\S+`)

// allCommands lists the command paths of the tree, cobra's own commands included.
func allCommands(t *testing.T) [][]string {
	a := &app{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }}
	var paths [][]string
	var walk func(*cobra.Command, []string)
	walk = func(c *cobra.Command, path []string) {
		if c.Hidden {
			return
		}
		paths = append(paths, path)
		for _, sub := range c.Commands() {
			walk(sub, append(append([]string(nil), path...), sub.Name()))
		}
	}
	walk(a.newRootCommand(), nil)
	if len(paths) < 20 {
		t.Fatalf("only %d commands found", len(paths))
	}
	return paths
}

func TestHelpIsInOneLanguage(t *testing.T) {
	paths := allCommands(t)
	var names []string // command names are the same in both languages
	for _, p := range paths {
		if len(p) > 0 {
			names = append(names, p[len(p)-1])
		}
	}
	for _, path := range paths {
		for _, lang := range []string{"pt-BR", "en"} {
			args := append(append([]string(nil), path...), "--help", "--lang", lang)
			var stdout, stderr bytes.Buffer
			a := &app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
			if code := a.main(context.Background(), args); code != 0 {
				t.Fatalf("%v: exit %d\n%s", args, code, stderr.String())
			}
			other := englishWords
			if lang == "en" {
				other = portugueseWords
			}
			for _, line := range strings.Split(stdout.String(), "\n") {
				text := syntax.ReplaceAllString(line, "")
				for _, name := range names {
					text = regexp.MustCompile(`\b`+name+`\b`).ReplaceAllString(text, "")
				}
				if m := other.FindStringSubmatch(text); m != nil {
					t.Errorf("triagem %s --help --lang %s: %q is of the other language:\n%s",
						strings.Join(path, " "), lang, m[1], line)
				}
			}
		}
	}
}
