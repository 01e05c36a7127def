package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/crefazon/triagem/rules"
)

// Words that only one of the two languages has: a help text in one language must not hold
// a sentence of the other. Domain terms and quoted partner messages ("Usuario nao
// cadastrado", "Luz em Dia") use none of them.
var (
	englishWords    = words(`the|and|of|is|are|to|with|for|when|from|this|that|which|not|be|print|show|check|default|command`)
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

// TestCommandLineErrorsAreInOneLanguage runs bad command lines in both languages: each is
// exit 2 with a message of the user's language only (pflag's, cobra's and the file
// system's English worded again).
func TestCommandLineErrorsAreInOneLanguage(t *testing.T) {
	// Files with bad content: a rules file, directory snapshots (a JSON type error, a YAML
	// syntax error, entries that name no partner).
	dir := t.TempDir()
	file := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	badRules := file("regras.yaml", strings.Replace(string(rules.DefaultYAML()), "timezone: America/Sao_Paulo", "timezone: Brasilia", 1))
	badJSON := file("dir.json", `{"keys": [{"sha256": 12}]}`)
	badYAML := file("dir.yaml", "keys:\n  - sha256: [a\n")
	otherHost := file("outro-host.yaml", "request:\n  method: GET\n  url: https://exemplo.invalid/api/v2/propostas\n")
	noURL := file("sem-url.yaml", "request:\n  method: GET\n")
	badEntries := file("entradas.yaml", "keys:\n  - sha256: abc\n    environment: teste\nusers:\n  - login: a\n")
	bad := []struct {
		args   []string
		pt, en string
	}{
		{[]string{"diagnose", "--nope"}, "flag desconhecida: --nope", "unknown flag: --nope"},
		{[]string{"check", "a.yaml", "b.yaml"}, "aceita no máximo 1 argumento", "at most 1 argument"},
		{[]string{"case", "new", "a.yaml", "b.yaml", "--out", "x.yaml"}, "aceita no máximo 1 argumento", "at most 1 argument"},
		{[]string{"ticket", "show"}, "espera 1 argumento e recebeu 0", "takes 1 argument and got 0"},
		{[]string{"incident", "close"}, "espera 1 argumento e recebeu 0", "takes 1 argument and got 0"},
		{[]string{"diagnose", "-Z"}, "flag curta desconhecida: -Z", "unknown shorthand flag: -Z"},
		{[]string{"diagnose", "--at"}, "a flag --at precisa de um valor", "flag --at needs a value"},
		{[]string{"diagnose", "--status", "abc"}, `--status: "abc" não é válido; informe um número inteiro`, `--status: "abc" is not valid; give a whole number`},
		{[]string{"diagnose", "--cache-ttl", "logo", "x.yaml"}, "informe uma duração", "give a duration"},
		{[]string{"escalate", "../../testdata/cases/token-expirado.yaml"}, "falta a flag obrigatória --out", "the required flag --out is missing"},
		{[]string{"auth", "check"}, "faltam as flags obrigatórias --env, --user", "the required flags --env, --user are missing"},
		{[]string{"checks", "extra"}, `triagem checks não recebe argumentos, e recebeu "extra"`, `triagem checks takes no arguments, and got "extra"`},
		{[]string{"rules", "validate"}, "triagem rules validate espera 1 argumento e recebeu 0", "triagem rules validate takes 1 argument and got 0"},
		{[]string{"token", "inspect", "a", "b"}, "aceita no máximo 1 argumento(s)", "takes at most 1 argument(s)"},
		{[]string{"rules", "valdate", "x"}, "comando desconhecido", "unknown command"},
		{[]string{"diagnose", "nao-existe.yaml"}, "nao-existe.yaml: não existe", "nao-existe.yaml: does not exist"},
		{[]string{"diagnose", "-o", "xml", "x.yaml"}, `"xml" não é um formato`, `"xml" is not a format`},
		{[]string{"diagnose"}, "nenhum caso", "no case"},
		{[]string{"escalate", "../../testdata/cases/token-expirado.yaml", "--out", "x.zip", "--force"}, "--force exige --reason", "--force needs --reason"},
		{[]string{"rules", "validate", "nao-existe.yaml"}, "arquivo de regras nao-existe.yaml: não existe", "rules file nao-existe.yaml: does not exist"},
		{[]string{"rules", "validate", badRules}, `"Brasilia" não é um fuso horário`, `"Brasilia" is not a time zone`},
		{[]string{"diagnose", "../../testdata/cases/token-expirado.yaml", "--rules", badRules}, `"Brasilia" não é um fuso horário`, `"Brasilia" is not a time zone`},
		{[]string{"directory", "validate", badJSON}, "sha256 deve ser um texto, e não um número", "sha256 must be a string, not a number"},
		{[]string{"directory", "validate", badYAML}, "o YAML não pôde ser lido a partir desta linha", "did not find expected"},
		{[]string{"diagnose", "../../testdata/cases/token-expirado.yaml", "--directory", badYAML}, "o YAML não pôde ser lido", "did not find expected"},
		{[]string{"directory", "validate", badEntries}, "keys[0]: sem parceiro", "keys[0]: no partner"},
		{[]string{"replay", otherHost}, "exemplo.invalid não é um host da API de parceiros", "exemplo.invalid is not a host of the partner API"},
		{[]string{"diagnose", "../../testdata/cases/token-expirado.yaml", "--directory", "https://ana:segredo@diretorio.exemplo.com/"}, "credenciais na URL são recusadas", "credentials in the URL are refused"},
		{[]string{"replay", noURL}, "a requisição do caso não tem URL", "the case's request has no URL"},
	}
	for _, tt := range bad {
		for _, lang := range []string{"pt-BR", "en"} {
			args := append([]string{"--lang", lang}, tt.args...)
			code, stdout, stderr := runApp(t, nil, args...)
			want, other := tt.pt, englishWords
			if lang == "en" {
				want, other = tt.en, portugueseWords
			}
			if code != exitInput || stdout != "" {
				t.Errorf("%v: exit %d, stdout %q", args, code, stdout)
			}
			if !strings.Contains(stderr, want) {
				t.Errorf("%v: stderr lacks %q:\n%s", args, want, stderr)
			}
			text := syntax.ReplaceAllString(stderr, "")
			for _, w := range tt.args { // the command line typed, echoed back, is no language
				if !strings.HasPrefix(w, "-") {
					text = regexp.MustCompile(`\b`+regexp.QuoteMeta(w)+`\b`).ReplaceAllString(text, "")
				}
			}
			if m := other.FindStringSubmatch(text); m != nil {
				t.Errorf("%v: %q is of the other language:\n%s", args, m[1], stderr)
			}
		}
	}
}

func TestHelpLayout(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"a paragraph is joined and wrapped again",
			reflow("one two three\nfour five six seven", 14),
			"one two three\nfour five six\nseven"},
		{"a definition continues under its text",
			reflow("  TRIAGEM_RULES  a rules file that replaces the default", 40),
			"  TRIAGEM_RULES  a rules file that\n                 replaces the default"},
		{"a short indented line is kept as it is",
			reflow("EXIT\n  0  ok\n  1  found", 40),
			"EXIT\n  0  ok\n  1  found"},
		{"a command continues with a backslash, never inside quotes",
			wrapShell(`  triagem diagnose --at "20/11/2026 23:30" --user alfa.maria`, 40),
			"  triagem diagnose \\\n      --at \"20/11/2026 23:30\" \\\n      --user alfa.maria"},
		{"a comment continues as a comment",
			wrapExample("  # every case of a folder, as JSON Lines for a script:", 30),
			"  # every case of a folder, as\n  # JSON Lines for a script:"},
		{"a command that fits is kept",
			wrapShell("  triagem checks", 40),
			"  triagem checks"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", tt.name, tt.got, tt.want)
		}
	}
}
