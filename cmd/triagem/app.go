package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/directory"
	"github.com/crefazon/triagem/evidence"
	"github.com/crefazon/triagem/journal"
	"github.com/crefazon/triagem/render"
	"github.com/crefazon/triagem/rules"
)

// Exit codes of the contract.
const (
	exitOK         = 0 // nothing wrong found
	exitFound      = 1 // the verdict names a cause or a need
	exitInput      = 2 // the input or the command line is wrong
	exitDependency = 3 // a directory, a service or the file system failed
	exitRefused    = 4 // an escalation was refused
	exitInternal   = 5 // a bug in triagem (a panic), never the user's input
)

// exitError carries an exit code up to run, the one place that maps errors to codes.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func inputError(format string, args ...any) error {
	return &exitError{exitInput, fmt.Errorf(format, args...)}
}

// exitCodeOnly ends the run with a code and nothing more to say (the output said it).
type exitCodeOnly int

func (e exitCodeOnly) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// app holds what commands reach for: the standard streams, the environment and the global
// flags. Tests build one in memory.
type app struct {
	// exiting: this app is the process's own (run), which ends when the command does: a
	// journal is left for the exit to release rather than closed (journal.Leave). Tests that
	// run commands in process keep it false, or collect what was left in leftJournals.
	exiting         bool
	leftJournals    []*journal.Journal
	stdin           io.Reader
	stdout, stderr  io.Writer
	stdoutTTY       bool
	stderrTTY       bool
	stdinTTY        bool
	getenv          func(string) string
	termWidth       func() int // the terminal's width, asked only when stdout is one
	errTermWidth    func() int // the width of the terminal behind stderr, for a piped stdout
	noConsoleColour bool       // a Windows console that would print colour codes as text

	allChecks bool // diagnose --all: list passing checks one by one

	versionOnly bool // the command line is a lone --version: the root alone is built
	// only is the subcommand the command line names first ("diagnose"), when it names one:
	// the root is built with it alone (see newRootCommand).
	only string

	configDir func() (string, error) // the user's config folder; nil: no config file
	cfg       *fileConfig
	cfgErr    error
	signature string // the team's signature under replies (config file or TRIAGEM_SIGNATURE)

	rawStdout io.Writer // standard output before redaction: batches write verdicts they redacted
	red       *evidence.Redactor
	redOnce   sync.Once
	// loaded is the --rules file once read: the commands and the output redactor share it,
	// so the file is parsed once per run.
	loaded  *rules.Rules
	rulesMu sync.Mutex // loaded is filled by whichever asks first: a command or the output redactor

	rulesPath     string
	directoryPath string
	output        string
	lang          string
	argLang       string // --lang as found in the arguments before they are parsed
	cacheTTL      time.Duration
	noCache       bool
	journal       journalFlags // --journal, --no-journal
}

func run() int {
	a := &app{
		exiting: true,
		stdin:   os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv,
		noConsoleColour: term.IsTerminal(int(os.Stdout.Fd())) && !consoleColour(os.Stdout),
		stdoutTTY:       term.IsTerminal(int(os.Stdout.Fd())),
		stderrTTY:       term.IsTerminal(int(os.Stderr.Fd())),
		stdinTTY:        term.IsTerminal(int(os.Stdin.Fd())),
		termWidth:       func() int { return terminalWidth(os.Stdout) },
		errTermWidth:    func() int { return terminalWidth(os.Stderr) },
		configDir:       os.UserConfigDir,
	}
	return a.main(context.Background(), os.Args[1:])
}

// main runs the command line and maps its error to an exit code.
func (a *app) main(ctx context.Context, args []string) (code int) {
	a.scrubStreams() // nothing secret or personal leaves, whatever a command prints
	defer a.catchPanic(&code)
	// The help texts are written when the commands are built, before the flags are parsed:
	// --lang is looked for first, so that they are built in the user's language.
	a.argLang = prescanLang(args)
	a.cfg, a.cfgErr = a.loadConfig() // reported once the flags are parsed
	a.versionOnly = len(args) == 1 && args[0] == "--version"
	a.only = onlySubcommand(args)
	return a.execute(ctx, a.newRootCommand(), args)
}

// execute runs root with args: the one place where errors and panics become exit codes.
func (a *app) execute(ctx context.Context, root *cobra.Command, args []string) (code int) {
	defer a.catchPanic(&code)
	a.enforceSubcommands(root)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var only exitCodeOnly
	if errors.As(err, &only) {
		return int(only)
	}
	err = a.cobraError(err)
	a.say("triagem: " + diagnose.ErrorText(err, a.language()))
	var ee *exitError
	var ie *diagnose.InputError
	switch {
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ie):
		return exitInput
	}
	// Cobra's own errors (unknown flag, bad arguments) are command-line errors.
	return exitInput
}

const rootLongPT = `O triagem aplica o procedimento de suporte da API de parceiros da CrefazOn à requisição com
falha de um parceiro: confere a API Key, o usuário, o token, o produto e a versão da API, a
sintaxe do payload e o horário da requisição, e mostra um veredito classificado com a seção do
procedimento, a ação a tomar e uma resposta pronta para enviar ao parceiro.

CÓDIGOS DE SAÍDA
  0  diagnosticado, e nada de errado foi encontrado na requisição (no-apparent-cause)
  1  diagnosticado, e o veredito aponta uma causa ou uma necessidade (qualquer outra categoria)
  2  a entrada ou a linha de comando está errada (a mensagem diz o quê e onde)
  3  uma dependência falhou (diretório ou serviço inacessível, arquivo não gravado)
  4  o escalonamento foi recusado (evidências faltando, ou análise prévia incompleta)
  5  erro interno: um defeito do triagem, não da entrada (a mensagem diz como informá-lo)
  Com vários casos, o código de saída é o maior entre os deles.

AMBIENTE
  TRIAGEM_RULES      um arquivo de regras, como --rules
  TRIAGEM_DIRECTORY  o diretório de chaves e usuários (um snapshot ou a URL do serviço), como --directory
  TRIAGEM_DIRECTORY_TOKEN     o token de acesso do serviço de diretório
  TRIAGEM_ESCALATION_TOKEN    o token de acesso do destino dos escalonamentos (escalate send --token-env)
  TRIAGEM_SIGN_PASSWORD       a senha de uma chave de assinatura cifrada (escalate --sign, keygen)
  TRIAGEM_LANG       o idioma das mensagens e respostas, como --lang
  TRIAGEM_SIGNATURE  a assinatura da equipe nas respostas
  TRIAGEM_JOURNAL    o diário de chamados (um arquivo SQLite ou uma URL postgres://), como --journal
  TRIAGEM_CONFIG     o arquivo de configuração (padrão: triagem/config.yaml na pasta de configuração do usuário; veja 'triagem config --help')
  TRIAGEM_DEBUG=1    num erro interno, mostra também a pilha de chamadas
  COLUMNS            a largura da tela quando a saída não é um terminal (padrão 100)
  NO_COLOR, CLICOLOR=0, CLICOLOR_FORCE=1   sem cor, sem cor, cor mesmo fora de um terminal
  Tokens de acesso só trafegam por https; http simples só para localhost, 127.0.0.0/8 ou ::1.`

const rootLongEN = `triagem runs the CrefazOn partner API support procedure on a partner's failing request:
it checks the API key, the user, the token, the product and API version, the payload's
syntax and the time of the request, and prints a classified verdict with the procedure
section, the action to take and a reply ready to send to the partner.

EXIT STATUS
  0  diagnosed, and nothing wrong was found in the request (no-apparent-cause)
  1  diagnosed, and the verdict names a cause or a need (any other category)
  2  the input or the command line is wrong (the message names what and where)
  3  a dependency failed (a directory or service unreachable, a file not written)
  4  an escalation was refused (missing evidence, or prior analysis incomplete)
  5  an internal error: a bug in triagem, not in the input (the message says how to report it)
  With several cases, the exit status is the highest of theirs.

ENVIRONMENT
  TRIAGEM_RULES      a rules file, as --rules
  TRIAGEM_DIRECTORY  the key and user directory (a snapshot file or the service's URL), as --directory
  TRIAGEM_DIRECTORY_TOKEN     the directory service's bearer token
  TRIAGEM_ESCALATION_TOKEN    the escalation intake's bearer token (escalate send --token-env)
  TRIAGEM_SIGN_PASSWORD       the password of an encrypted signing key (escalate --sign, keygen)
  TRIAGEM_LANG       the language of messages and replies, as --lang
  TRIAGEM_SIGNATURE  the team's signature under replies
  TRIAGEM_JOURNAL    the ticket journal (a SQLite file or a postgres:// URL), as --journal
  TRIAGEM_CONFIG     the config file (default: triagem/config.yaml in the user's config folder; see 'triagem config --help')
  TRIAGEM_DEBUG=1    on an internal error, print the stack too
  COLUMNS            the screen's width when the output is not a terminal (default 100)
  NO_COLOR, CLICOLOR=0, CLICOLOR_FORCE=1   colour off, off, on even when not a terminal
  Bearer tokens go over https only; plain http only to localhost, 127.0.0.0/8 or ::1.`

func (a *app) newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use: "triagem",
		Short: a.T("Diagnostica requisições com falha à API de parceiros da CrefazOn, como manda o procedimento de suporte",
			"Diagnose failing requests to the CrefazOn partner API, as the support procedure says"),
		Long:          a.T(rootLongPT, rootLongEN),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return a.checkGlobalFlags(cmd.Root().PersistentFlags())
		},
	}
	a.installHelp(root)
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	var showVersion bool
	root.Flags().BoolVar(&showVersion, "version", false, a.T("mostra a versão, como 'triagem version'", "print the version, as 'triagem version'"))
	// The root runs on its own only for --version and its help; any word is an unknown command.
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return a.unknownCommand(cmd, args[0])
		}
		return nil
	}
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		if showVersion {
			_, err := fmt.Fprint(a.versionOut(), buildVersion().text(a))
			return err
		}
		return cmd.Help()
	}
	root.SetFlagErrorFunc(a.flagError)
	pf := root.PersistentFlags()
	pf.StringVar(&a.rulesPath, "rules", "", a.T("`arquivo` de regras que substitui o padrão embutido (env TRIAGEM_RULES)", "rules `file` replacing the embedded default (env TRIAGEM_RULES)"))
	pf.StringVar(&a.directoryPath, "directory", "", a.T("o diretório de chaves e usuários: um `arquivo` de snapshot, ou a URL https:// do serviço de diretório (env TRIAGEM_DIRECTORY)",
		"the key and user directory: a snapshot `file`, or the directory service's https:// URL (env TRIAGEM_DIRECTORY)"))
	pf.DurationVar(&a.cacheTTL, "cache-ttl", directory.DefaultCacheTTL, a.T("por quanto tempo as respostas do serviço de diretório ficam guardadas em disco", "how long the directory service's answers are kept on disk"))
	pf.BoolVar(&a.noCache, "no-cache", false, a.T("consulta o serviço de diretório de novo, sem o cache em disco, e lê o snapshot inteiro, sem o índice em cache", "ask the directory service afresh, without the disk cache, and read the snapshot whole, without the cached index"))
	pf.StringVarP(&a.output, "output", "o", "table", a.T("formato da saída: table, json, markdown ou reply (só a resposta ao parceiro)", "output format: table, json, markdown or reply (only the reply to the partner)"))
	pf.StringVar(&a.lang, "lang", "", a.T("idioma das mensagens e respostas: pt-BR (o padrão) ou en (env TRIAGEM_LANG)", "language of messages and replies: pt-BR (the default) or en (env TRIAGEM_LANG)"))
	a.registerJournalFlags(pf)
	_ = root.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(render.Formats, cobra.ShellCompDirectiveNoFileComp))
	_ = root.RegisterFlagCompletionFunc("lang", cobra.FixedCompletions(rules.Langs, cobra.ShellCompDirectiveNoFileComp))

	if a.versionOnly {
		// A lone --version reaches no subcommand: their ~60 commands and ~300 flags are not
		// built for it (the root's flags, settings and checks are the same).
		a.localizeCobra(root)
		return root
	}
	for _, s := range subcommands {
		if a.only == "" || a.only == s.name {
			root.AddCommand(s.build(a))
		}
	}
	a.localizeCobra(root)
	return root
}

// subcommands are the root's commands, each with the name it is called by
// (TestSubcommandsTable checks the names against the commands built).
var subcommands = []struct {
	name  string
	build func(*app) *cobra.Command
}{
	{"diagnose", (*app).newDiagnoseCommand},
	{"check", (*app).newCheckCommand},
	{"rules", (*app).newRulesCommand},
	{"checks", (*app).newChecksCommand},
	{"escalate", (*app).newEscalateCommand},
	{"case", (*app).newCaseCommand},
	{"web", (*app).newWebCommand},
	{"token", (*app).newTokenCommand},
	{"docs", (*app).newDocsCommand},
	{"directory", (*app).newDirectoryCommand},
	{"replay", (*app).newReplayCommand},
	{"auth", (*app).newAuthCommand},
	{"version", (*app).newVersionCommand},
	{"config", (*app).newConfigCommand},
	{"ticket", (*app).newTicketCommand},
	{"incident", (*app).newIncidentCommand},
	{"report", (*app).newReportCommand},
}

// onlySubcommand is the subcommand a command line runs when its first word names one
// ("triagem diagnose caso.yaml"): the others, ~60 commands and ~300 flags with their help
// texts, are then not built, as cobra would reach none of them (a fifth of a millisecond
// on every run). "" when the first word is a flag, help, a completion request or anything
// else: then the whole tree is built, for cobra to find, list or suggest from.
func onlySubcommand(args []string) string {
	if len(args) == 0 {
		return ""
	}
	for _, s := range subcommands {
		if s.name == args[0] {
			return s.name
		}
	}
	return ""
}

// checkGlobalFlags settles the global settings (flag, environment, config file, default)
// and checks them, naming where a wrong value came from.
func (a *app) checkGlobalFlags(flags *pflag.FlagSet) error {
	if a.cfgErr != nil {
		return a.cfgErr
	}
	if a.cfg == nil {
		a.cfg = &fileConfig{values: map[string]string{}}
	}
	a.journal.explicit = flags.Changed("journal")
	for _, s := range a.settings(flags) {
		place := s.From
		if s.Source == "file" {
			place = s.From + ": " + s.Name
		}
		switch s.Name {
		case "output":
			switch v := strings.ToLower(s.Value); v {
			case "table", "json", "markdown", "reply":
				a.output = v
			case "md":
				a.output = "markdown"
			default:
				return inputError("%s", a.T("%s: %q não é um formato (table, json, markdown, reply)", "%s: %q is not a format (table, json, markdown, reply)", place, s.Value))
			}
		case "lang":
			lang, ok := normalizeLang(s.Value)
			if !ok {
				return inputError("%s", a.T("%s: %q não é um idioma (pt-BR, en)", "%s: %q is not a language (pt-BR, en)", place, s.Value))
			}
			a.lang = lang
		case "rules":
			a.rulesPath = s.Value
		case "directory":
			a.directoryPath = s.Value
		case "signature":
			a.signature = s.Value
		case "journal":
			// From the flag, the environment or the config file; a batch still records only
			// with --journal itself (journal.explicit).
			if s.Source == "file" || s.Source == "flag" { // the environment's is read where it is used
				a.journal.dsn = s.Value
			}
		}
	}
	return nil
}

// loadRules returns the effective rules: --rules, TRIAGEM_RULES or the embedded default.
func (a *app) loadRules() (*rules.Rules, error) {
	if a.rulesPath == "" {
		r, err := rules.Default()
		if err != nil {
			return nil, &exitError{exitInput, fmt.Errorf("%s", a.T("regras embutidas: %v", "embedded rules: %v", err))}
		}
		return r, nil
	}
	a.rulesMu.Lock()
	defer a.rulesMu.Unlock()
	if a.loaded != nil {
		return a.loaded, nil
	}
	r, err := rules.LoadFile(a.rulesPath)
	if ps, ok := err.(rules.Problems); ok {
		return nil, &exitError{exitInput, fmt.Errorf("%s", ps.Text(string(a.language())))}
	}
	if err != nil {
		return nil, &exitError{exitInput, a.fileError(a.rulesPath, rulesFile, err)}
	}
	a.loaded = r
	return r, nil
}

// openDirectory opens the directory (a snapshot file, or the directory service when the
// value is an http(s) URL), or returns nil when none is configured.
func (a *app) openDirectory() (directory.Directory, error) {
	if a.directoryPath == "" {
		return nil, nil
	}
	if strings.HasPrefix(a.directoryPath, "https://") || strings.HasPrefix(a.directoryPath, "http://") {
		opts := directory.HTTPOptions{Token: a.getenv("TRIAGEM_DIRECTORY_TOKEN"), CacheTTL: a.cacheTTL}
		if !a.noCache {
			if dir, err := os.UserCacheDir(); err == nil {
				opts.CacheDir = filepath.Join(dir, "triagem", "directory")
			}
		}
		r, err := directory.OpenHTTP(a.directoryPath, opts)
		if errors.Is(err, directory.ErrTokenInClear) {
			return nil, inputError("%s", a.T("--directory: o TRIAGEM_DIRECTORY_TOKEN não é enviado por http sem criptografia a um host que não seja esta máquina: use a URL https:// do serviço (http simples só para localhost, 127.0.0.0/8 e ::1)",
				"--directory: refusing to send TRIAGEM_DIRECTORY_TOKEN over plain http to a host other than this machine: use the service's https:// URL (plain http is only for localhost, 127.0.0.0/8 and ::1)"))
		}
		if err != nil {
			return nil, inputError("--directory: %s", directory.ErrorText(err, string(a.language())))
		}
		return r, nil
	}
	var d directory.Directory
	var err error
	if dir, cerr := os.UserCacheDir(); cerr == nil && !a.noCache {
		// a JSON snapshot is answered through a persistent index, rebuilt whenever the file changes
		d, err = directory.OpenIndexed(a.directoryPath, filepath.Join(dir, "triagem", "index"))
	} else {
		d, err = directory.Open(a.directoryPath)
	}
	if err != nil {
		return nil, &exitError{exitInput, a.fileError(a.directoryPath, directoryFile, err)}
	}
	return d, nil
}
