package main

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
)

// The table newRootCommand builds from names every command of the root.
func TestSubcommandsTable(t *testing.T) {
	a := &app{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }}
	var built []string
	for _, c := range a.newRootCommand().Commands() {
		if c.Name() != "help" && c.Name() != "completion" {
			built = append(built, c.Name())
		}
	}
	var table []string
	for _, s := range subcommands {
		table = append(table, s.name)
	}
	slices.Sort(table) // cobra lists them sorted
	if !slices.Equal(built, table) {
		t.Errorf("subcommands table %v, commands built %v", table, built)
	}
}

// A command line that names a subcommand builds the root with it alone: what it prints for
// help, an unknown flag or an unknown subcommand is what the whole tree prints.
func TestSubcommandAloneAnswersAsTheWholeTree(t *testing.T) {
	// output runs args in lang, through main (the root with the subcommand alone) or with
	// the whole tree built.
	output := func(args []string, lang string, whole bool) (string, int) {
		var out bytes.Buffer
		a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &out, getenv: envOf(lang)}
		if !whole {
			code := a.main(context.Background(), args)
			return out.String(), code
		}
		a.scrubStreams()
		a.argLang = prescanLang(args)
		a.cfg, a.cfgErr = a.loadConfig()
		code := a.execute(context.Background(), a.newRootCommand(), args)
		return out.String(), code
	}
	n := 0
	for _, path := range allCommands(t) {
		if len(path) == 0 || onlySubcommand(path) == "" {
			continue
		}
		n++
		for _, lang := range []string{"pt-BR", "en"} {
			tries := [][]string{append(slices.Clone(path), "--help"), append(slices.Clone(path), "--no-such-flag")}
			if len(path) == 1 {
				tries = append(tries, append(slices.Clone(path), "--help", "--lang", "en"))
			}
			for _, args := range tries {
				alone, ca := output(args, lang, false)
				whole, cw := output(args, lang, true)
				if alone != whole || ca != cw {
					t.Errorf("%s %v: alone (exit %d):\n%s\nwhole tree (exit %d):\n%s", lang, args, ca, alone, cw, whole)
				}
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d commands under the root's subcommands", n)
	}
}

func envOf(lang string) func(string) string {
	return func(k string) string {
		if k == "TRIAGEM_LANG" {
			return lang
		}
		return ""
	}
}
