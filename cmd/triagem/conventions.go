package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/crefazon/triagem/diagnose"
)

// T words a message in the user's language: one whole sentence per language.
func (a *app) T(pt, en string, args ...any) string { return a.language().T(pt, en, args...) }

// language is the effective language: --lang, else TRIAGEM_LANG, else pt-BR. It is asked
// before the global flags are checked too (a mistyped command), so an unknown value falls
// back to the default here; checkGlobalFlags reports it.
func (a *app) language() diagnose.Lang {
	l, _ := normalizeLang(a.langSetting())
	return diagnose.Lang(l)
}

func (a *app) langSetting() string {
	switch {
	case a.lang != "":
		return a.lang
	case a.argLang != "":
		return a.argLang
	case a.getenv("TRIAGEM_LANG") != "":
		return a.getenv("TRIAGEM_LANG")
	case a.cfg != nil:
		return a.cfg.values["lang"]
	}
	return ""
}

// prescanLang finds --lang's value in the arguments, before cobra parses them.
func prescanLang(args []string) string {
	for i, arg := range args {
		switch {
		case arg == "--":
			return ""
		case arg == "--lang" && i+1 < len(args):
			return args[i+1]
		case strings.HasPrefix(arg, "--lang="):
			return strings.TrimPrefix(arg, "--lang=")
		}
	}
	return ""
}

// normalizeLang accepts the usual spellings of the two languages.
func normalizeLang(s string) (string, bool) {
	switch strings.ToLower(strings.ReplaceAll(s, "_", "-")) {
	case "", "pt-br", "pt":
		return "pt-BR", true
	case "en", "en-us", "en-gb":
		return "en", true
	}
	return "pt-BR", false
}

// enforceSubcommands makes every command that has subcommands refuse an unknown word after
// it (exit 2, with a suggestion) instead of printing its help and exiting 0, which a script
// would take for success. A group with nothing after it still prints its help.
func (a *app) enforceSubcommands(cmd *cobra.Command) {
	for _, sub := range cmd.Commands() {
		a.enforceSubcommands(sub)
	}
	if !cmd.HasAvailableSubCommands() {
		return
	}
	if !cmd.Runnable() {
		cmd.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return a.unknownCommand(cmd, args[0])
			}
			return nil
		}
		cmd.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
		return
	}
	// A command that runs on its own and also has subcommands (escalate CASE, escalate
	// verify): a first word that is no file but is close to a subcommand is a typo.
	own := cmd.Args
	cmd.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 && len(suggestions(cmd, args[0])) > 0 {
			if _, err := os.Stat(args[0]); err != nil {
				return a.unknownCommand(cmd, args[0])
			}
		}
		if own != nil {
			return own(cmd, args)
		}
		return nil
	}
}

// unknownCommand is the error for a word that names no subcommand of cmd.
func (a *app) unknownCommand(cmd *cobra.Command, word string) error {
	var b strings.Builder
	b.WriteString(a.T("comando desconhecido %q para %q", "unknown command %q for %q", word, cmd.CommandPath()))
	if s := suggestions(cmd, word); len(s) > 0 {
		b.WriteString("\n")
		b.WriteString(a.T("Você quis dizer: %s?", "Did you mean: %s?", strings.Join(s, ", ")))
	}
	b.WriteString("\n")
	b.WriteString(a.T("Veja '%s --help'.", "See '%s --help'.", cmd.CommandPath()))
	return &exitError{exitInput, fmt.Errorf("%s", b.String())}
}

// suggestions are the subcommands of cmd close to word (cobra's distance of 2 by default,
// which it sets only on its own path for unknown commands).
func suggestions(cmd *cobra.Command, word string) []string {
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2
	}
	return cmd.SuggestionsFor(word)
}

// catchPanic, deferred, turns a panic into an internal error and its exit code.
func (a *app) catchPanic(code *int) {
	if r := recover(); r != nil {
		*code = a.internalFailure(r, debug.Stack())
	}
}

// internalFailure reports a panic: a bug in triagem, never the user's input. The stack goes
// to stderr only with TRIAGEM_DEBUG=1: it can be long and it means nothing to most users.
func (a *app) internalFailure(recovered any, stack []byte) int {
	a.say("triagem: " + a.T("erro interno: %v", "internal error: %v", recovered))
	a.say(a.T(
		"Isto é um defeito do triagem, não da sua entrada. Informe à equipe que mantém o triagem o comando usado, a saída de 'triagem version' e, se puder, a saída repetida com TRIAGEM_DEBUG=1 (sem credenciais).",
		"This is a bug in triagem, not in your input. Tell the team that maintains triagem the command you ran, the output of 'triagem version' and, if you can, the output again with TRIAGEM_DEBUG=1 (without credentials)."))
	if a.getenv("TRIAGEM_DEBUG") == "1" {
		a.stderr.Write(stack)
	}
	return exitInternal
}

// internalError is a panic caught in a batch worker, carried to the writer.
type internalError struct {
	value any
	stack []byte
}

// readStdin reads standard input whole; on a terminal it first says what it waits for, so
// that nobody stares at a silent prompt. waitPT and waitEN are whole sentences.
func (a *app) readStdin(r io.Reader, waitPT, waitEN string) ([]byte, error) {
	a.sayWaiting(waitPT, waitEN)
	return io.ReadAll(r)
}

func (a *app) sayWaiting(waitPT, waitEN string) {
	if !a.stdinTTY {
		return
	}
	fmt.Fprintf(a.stderr, "triagem: %s\n", a.T(waitPT, waitEN))
	fmt.Fprintf(a.stderr, "triagem: %s\n", a.T(
		"termine com Ctrl-D numa linha vazia (no Windows, Ctrl-Z e Enter).",
		"end with Ctrl-D on an empty line (on Windows, Ctrl-Z then Enter)."))
}
