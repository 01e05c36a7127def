package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"triagem/diagnose"
	"triagem/directory"
	"triagem/evidence"
	"triagem/render"
	"triagem/rules"
)

// Exit codes of the contract.
const (
	exitOK         = 0 // nothing wrong found
	exitFound      = 1 // the verdict names a cause or a need
	exitInput      = 2 // the input or the command line is wrong
	exitDependency = 3 // a directory, a service or the file system failed
	exitRefused    = 4 // an escalation was refused
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
	stdin          io.Reader
	stdout, stderr io.Writer
	stdoutTTY      bool
	stderrTTY      bool
	stdinTTY       bool
	getenv         func(string) string

	rawStdout io.Writer // standard output before redaction: batches write verdicts they redacted
	red       *evidence.Redactor
	redOnce   sync.Once

	rulesPath     string
	directoryPath string
	output        string
	lang          string
	cacheTTL      time.Duration
	noCache       bool
}

func run() int {
	a := &app{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv,
		stdoutTTY: isatty.IsTerminal(os.Stdout.Fd()),
		stderrTTY: isatty.IsTerminal(os.Stderr.Fd()),
		stdinTTY:  isatty.IsTerminal(os.Stdin.Fd()),
	}
	return a.main(context.Background(), os.Args[1:])
}

// main runs the command line and maps its error to an exit code.
func (a *app) main(ctx context.Context, args []string) int {
	a.scrubStreams()
	root := a.newRootCommand()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var only exitCodeOnly
	if errors.As(err, &only) {
		return int(only)
	}
	fmt.Fprintf(a.stderr, "triagem: %v\n", err)
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

const rootLong = `triagem runs the CrefazOn partner API support procedure on a partner's failing request:
it checks the API key, the user, the token, the product and API version, the payload's
syntax and the time of the request, and prints a classified verdict with the procedure
section, the action to take and a reply ready to send to the partner.

EXIT STATUS
  0  diagnosed, and nothing wrong was found in the request (no-apparent-cause)
  1  diagnosed, and the verdict names a cause or a need (any other category)
  2  the input or the command line is wrong (the message names what and where)
  3  a dependency failed (a directory or service unreachable, a file not written)
  4  an escalation was refused (missing evidence, or prior analysis incomplete)
  With several cases, the exit status is the highest of theirs.

ENVIRONMENT
  TRIAGEM_RULES      a rules file, as --rules
  TRIAGEM_DIRECTORY  the key and user directory (a snapshot file or the service's URL), as --directory
  TRIAGEM_DIRECTORY_TOKEN     the directory service's bearer token
  TRIAGEM_ESCALATION_TOKEN    the escalation intake's bearer token (escalate send --token-env)
  TRIAGEM_SIGN_PASSWORD       the password of an encrypted signing key (escalate --sign, keygen)
  Bearer tokens go over https only; plain http only to localhost, 127.0.0.0/8 or ::1.`

func (a *app) newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "triagem",
		Short:         "Diagnose failing requests to the CrefazOn partner API, as the support procedure says",
		Long:          rootLong,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return a.checkGlobalFlags()
		},
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetVersionTemplate("triagem {{.Version}}\n")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return inputError("%v (see '%s --help')", err, cmd.CommandPath())
	})
	pf := root.PersistentFlags()
	pf.StringVar(&a.rulesPath, "rules", "", "rules `file` replacing the embedded default (env TRIAGEM_RULES)")
	pf.StringVar(&a.directoryPath, "directory", "", "the key and user directory: a snapshot `file`, or the directory service's https:// URL (env TRIAGEM_DIRECTORY)")
	pf.DurationVar(&a.cacheTTL, "cache-ttl", directory.DefaultCacheTTL, "how long the directory service's answers are kept on disk")
	pf.BoolVar(&a.noCache, "no-cache", false, "ask the directory service afresh, without the disk cache")
	pf.StringVarP(&a.output, "output", "o", "table", "output format: table, json, markdown, or reply (only the reply to the partner)")
	pf.StringVar(&a.lang, "lang", rules.DefaultLang, "language of messages and replies: pt-BR or en")
	_ = root.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(render.Formats, cobra.ShellCompDirectiveNoFileComp))
	_ = root.RegisterFlagCompletionFunc("lang", cobra.FixedCompletions(rules.Langs, cobra.ShellCompDirectiveNoFileComp))

	root.AddCommand(a.newDiagnoseCommand())
	root.AddCommand(a.newRulesCommand())
	root.AddCommand(a.newChecksCommand())
	root.AddCommand(a.newEscalateCommand())
	root.AddCommand(a.newCaseCommand())
	root.AddCommand(a.newTokenCommand())
	root.AddCommand(a.newDocsCommand())
	root.AddCommand(a.newDirectoryCommand())
	root.AddCommand(a.newReplayCommand())
	root.AddCommand(a.newAuthCommand())
	return root
}

func (a *app) checkGlobalFlags() error {
	switch strings.ToLower(a.output) {
	case "table", "json", "markdown", "md", "reply":
		a.output = strings.ToLower(a.output)
		if a.output == "md" {
			a.output = "markdown"
		}
	default:
		return inputError("--output: %q is not a format (table, json, markdown, reply)", a.output)
	}
	switch strings.ToLower(a.lang) {
	case "pt-br", "pt", "pt_br":
		a.lang = "pt-BR"
	case "en", "en-us", "en-gb", "en_us":
		a.lang = "en"
	default:
		return inputError("--lang: %q is not a language (pt-BR, en)", a.lang)
	}
	if a.rulesPath == "" {
		a.rulesPath = a.getenv("TRIAGEM_RULES")
	}
	if a.directoryPath == "" {
		a.directoryPath = a.getenv("TRIAGEM_DIRECTORY")
	}
	return nil
}

// loadRules returns the effective rules: --rules, TRIAGEM_RULES or the embedded default.
func (a *app) loadRules() (*rules.Rules, error) {
	if a.rulesPath == "" {
		r, err := rules.Default()
		if err != nil {
			return nil, &exitError{exitInput, fmt.Errorf("embedded rules: %v", err)}
		}
		return r, nil
	}
	r, err := rules.LoadFile(a.rulesPath)
	if err != nil {
		return nil, &exitError{exitInput, fileError(a.rulesPath, "rules", err)}
	}
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
			return nil, inputError("--directory: refusing to send TRIAGEM_DIRECTORY_TOKEN over plain http to a host other than this machine: use the service's https:// URL (plain http is only for localhost, 127.0.0.0/8 and ::1)")
		}
		if err != nil {
			return nil, inputError("--directory: %v", err)
		}
		return r, nil
	}
	d, err := directory.Open(a.directoryPath)
	if err != nil {
		return nil, &exitError{exitInput, fileError(a.directoryPath, "directory", err)}
	}
	return d, nil
}

// fileError words a file problem without Go's "open x: no such file" phrasing twice.
func fileError(path, what string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s file %s: %v", what, path, pe.Err)
	}
	return err
}

// version reads the module version and VCS stamp that the go command embeds.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := bi.Main.Version
	var rev, at, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = " (modified)"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += " " + rev + " " + at + modified
	}
	return strings.TrimSpace(v + " " + bi.GoVersion)
}

// readFileInput reads a file the user named; a failure is bad input (exit 2).
func readFileInput(path, what string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &exitError{exitInput, fileError(path, what, err)}
	}
	return b, nil
}
