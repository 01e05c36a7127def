package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/directory"
)

// This file keeps the texts of Go's, pflag's and cobra's errors from reaching a person
// untranslated: each known one is worded again, whole, in the user's language.

// pathErr words a file system error without the path (the caller names it).
func (a *app) pathErr(err error) string { return pathErrText(a.language(), err) }

func pathErrText(l diagnose.Lang, err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return l.T("não existe", "does not exist")
	case errors.Is(err, fs.ErrPermission):
		return l.T("sem permissão de acesso", "permission denied")
	case errors.Is(err, syscall.EISDIR):
		return l.T("é uma pasta, não um arquivo", "is a folder, not a file")
	case errors.Is(err, syscall.ENOTDIR):
		return l.T("parte do caminho não é uma pasta", "part of the path is not a folder")
	case errors.Is(err, syscall.ENOSPC):
		return l.T("sem espaço no disco", "no space left on the disk")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// fileKind names the files a user gives, for whole sentences about them.
type fileKind int

const (
	rulesFile fileKind = iota
	directoryFile
	snapshotFile
	bundleFile
	keyFile
)

// fileError words a problem with a file the user named; an error that is not the file
// system's (a parse error) is kept as it is.
func (a *app) fileError(path string, kind fileKind, err error) error {
	var pe *os.PathError
	if !errors.As(err, &pe) {
		if kind == directoryFile || kind == snapshotFile {
			return a.directoryError(err)
		}
		return err
	}
	why := a.pathErr(err)
	switch kind {
	case rulesFile:
		return fmt.Errorf("%s", a.T("arquivo de regras %s: %s", "rules file %s: %s", path, why))
	case directoryFile:
		return fmt.Errorf("%s", a.T("arquivo do diretório %s: %s", "directory file %s: %s", path, why))
	case snapshotFile:
		return fmt.Errorf("%s", a.T("snapshot %s: %s", "snapshot %s: %s", path, why))
	case keyFile:
		return fmt.Errorf("%s", a.T("arquivo de chave %s: %s", "key file %s: %s", path, why))
	default:
		return fmt.Errorf("%s", a.T("pacote %s: %s", "bundle %s: %s", path, why))
	}
}

// directoryError words a snapshot's parse or content error in the user's language; any
// other error is kept as it is.
func (a *app) directoryError(err error) error {
	var de *directory.Error
	if !errors.As(err, &de) {
		return err
	}
	return errors.New(directory.ErrorText(err, string(a.language())))
}

// readFileInput reads a file the user named; a failure is bad input (exit 2).
func (a *app) readFileInput(path string, kind fileKind) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &exitError{exitInput, a.fileError(path, kind, err)}
	}
	return b, nil
}

// Argument counts, checked with messages in the user's language (cobra's are English).
func (a *app) noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return inputError("%s", a.T("%s não recebe argumentos, e recebeu %q (veja '%s --help')",
			"%s takes no arguments, and got %q (see '%s --help')", cmd.CommandPath(), args[0], cmd.CommandPath()))
	}
	return nil
}

func (a *app) exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == n {
			return nil
		}
		if n == 1 {
			return inputError("%s", a.T("%s espera 1 argumento e recebeu %d: %s (veja '%s --help')",
				"%s takes 1 argument and got %d: %s (see '%s --help')", cmd.CommandPath(), len(args), cmd.UseLine(), cmd.CommandPath()))
		}
		return inputError("%s", a.T("%s espera %d argumentos e recebeu %d: %s (veja '%s --help')",
			"%s takes %d arguments and got %d: %s (see '%s --help')", cmd.CommandPath(), n, len(args), cmd.UseLine(), cmd.CommandPath()))
	}
}

func (a *app) maxArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) <= n {
			return nil
		}
		return inputError("%s", a.T("%s aceita no máximo %d argumento(s) e recebeu %d (veja '%s --help')",
			"%s takes at most %d argument(s) and got %d (see '%s --help')", cmd.CommandPath(), n, len(args), cmd.CommandPath()))
	}
}

var (
	unknownFlag      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^unknown flag: (\S+)$`) })
	unknownShorthand = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^unknown shorthand flag: '(.)' in (\S+)$`) })
	needsArgument    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^flag needs an argument: (?:'(.)' in )?(\S+)$`) })
	invalidArgument  = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^invalid argument "(.*)" for "(?:-(.), )?--([\w-]+)" flag: `)
	})
	badSyntax     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^bad flag syntax: (.+)$`) })
	requiredFlags = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^required flag\(s\) (.+) not set$`) })
)

// flagError words pflag's parse errors in the user's language; the flag's type says what
// value it wanted, instead of strconv's or time's own message.
func (a *app) flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	see := cmd.CommandPath()
	if m := unknownFlag().FindStringSubmatch(msg); m != nil {
		return inputError("%s", a.T("flag desconhecida: %s (veja '%s --help')", "unknown flag: %s (see '%s --help')", m[1], see))
	}
	if m := unknownShorthand().FindStringSubmatch(msg); m != nil {
		return inputError("%s", a.T("flag curta desconhecida: -%s em %s (veja '%s --help')", "unknown shorthand flag: -%s in %s (see '%s --help')", m[1], m[2], see))
	}
	if m := needsArgument().FindStringSubmatch(msg); m != nil {
		name := m[2]
		if m[1] != "" {
			name = "-" + m[1]
		}
		return inputError("%s", a.T("a flag %s precisa de um valor (veja '%s --help')", "flag %s needs a value (see '%s --help')", name, see))
	}
	if m := invalidArgument().FindStringSubmatch(msg); m != nil {
		value, name := m[1], m[3]
		want := a.T("um valor válido", "a valid value")
		if f := cmd.Flags().Lookup(name); f != nil {
			switch f.Value.Type() {
			case "int", "int64", "uint", "uint64":
				want = a.T("um número inteiro", "a whole number")
			case "duration":
				want = a.T("uma duração, como 30s, 5m ou 1h", "a duration, such as 30s, 5m or 1h")
			case "bool":
				want = a.T("true ou false", "true or false")
			}
		}
		return inputError("%s", a.T("--%s: %q não é válido; informe %s", "--%s: %q is not valid; give %s", name, value, want))
	}
	if m := badSyntax().FindStringSubmatch(msg); m != nil {
		return inputError("%s", a.T("sintaxe de flag inválida: %s (veja '%s --help')", "bad flag syntax: %s (see '%s --help')", m[1], see))
	}
	return inputError("%s", a.T("%v (veja '%s --help')", "%v (see '%s --help')", err, see))
}

// cobraError words the errors cobra returns itself (a required flag not given).
func (a *app) cobraError(err error) error {
	if m := requiredFlags().FindStringSubmatch(err.Error()); m != nil {
		names := strings.Split(m[1], ", ")
		for i, n := range names {
			names[i] = "--" + strings.Trim(n, `"`)
		}
		if len(names) == 1 {
			return inputError("%s", a.T("falta a flag obrigatória %s", "the required flag %s is missing", names[0]))
		}
		return inputError("%s", a.T("faltam as flags obrigatórias %s", "the required flags %s are missing", strings.Join(names, ", ")))
	}
	return err
}
