package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/crefazon/triagem/diagnose"
)

// A journal that cannot be opened is explained in the analyst's language, in a sentence that
// says what to check, without the driver's English.
func TestJournalOpenErrorsInTheUsersLanguage(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		pt, en string
	}{
		{"senha recusada", fmt.Errorf("connect: %w", &pgconn.PgError{Code: "28P01", Message: "password authentication failed for user \"u\""}), "recusou o usuário ou a senha", "refused the user or the password"},
		{"banco inexistente", &pgconn.PgError{Code: "3D000", Message: "database \"x\" does not exist"}, "o banco de dados não existe", "database does not exist"},
		{"DNS", &net.DNSError{Err: "no such host", Name: "db.invalid", IsNotFound: true}, "não foi encontrado no DNS", "not found in DNS"},
		{"esquema", errors.New("migrating the journal's schema: ERROR: syntax error"), "atualizar o esquema do diário", "migrating the journal's schema"},
		{"outro", errors.New("pq: something odd happened"), "--lang en", "something odd happened"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pt := journalOpenText(diagnose.Lang("pt-BR"), tc.err)
			if !strings.Contains(pt, tc.pt) {
				t.Errorf("pt-BR: %q lacks %q", pt, tc.pt)
			}
			for _, english := range []string{"password", "does not exist", "no such host", "syntax error", "something odd"} {
				if strings.Contains(pt, english) {
					t.Errorf("pt-BR: %q repeats the driver's English %q", pt, english)
				}
			}
			if en := journalOpenText(diagnose.Lang("en"), tc.err); !strings.Contains(en, tc.en) {
				t.Errorf("en: %q lacks %q", en, tc.en)
			}
		})
	}
}

// Through the command line: a file that is not a journal, and a PostgreSQL server that is not
// listening, each named without the password, exit 3, one language.
func TestJournalThatCannotBeOpened(t *testing.T) {
	dir := t.TempDir()
	notdb := filepath.Join(dir, "notas.db")
	if err := os.WriteFile(notdb, []byte(strings.Repeat("isto não é um banco SQLite\n", 40)), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close() // nothing listens there any more
	pg := "postgres://suporte:S3nhaDoBanco@" + closed + "/triagem?sslmode=disable"
	for _, tc := range []struct {
		journal, want string
	}{
		{notdb, "não é um diário do triagem"},
		{pg, "recusou a conexão"},
	} {
		code, _, stderr := runApp(t, nil, "ticket", "list", "--journal", tc.journal)
		if code != exitDependency || !strings.Contains(stderr, tc.want) {
			t.Errorf("--journal %s: exit %d, stderr %q; want exit 3 and %q", tc.journal, code, stderr, tc.want)
		}
		for _, leak := range []string{"S3nhaDoBanco", "suporte:", "file is not a database", "connection refused"} {
			if strings.Contains(stderr, leak) {
				t.Errorf("--journal %s: stderr %q holds %q", tc.journal, stderr, leak)
			}
		}
	}
	code, _, stderr := runApp(t, nil, "ticket", "list", "--journal", pg, "--lang", "en")
	if code != exitDependency || !strings.Contains(stderr, "PostgreSQL "+closed+"/triagem") || !strings.Contains(stderr, "refused the connection") {
		t.Errorf("--lang en: exit %d, stderr %q", code, stderr)
	}
}

// The journal opens while the case is judged (pendingJournal): a diagnosis whose named
// journal does not open still ends with exit 3 and prints no verdict, one case or a batch;
// a default journal that does not open earns a warning before the verdict, which is printed.
func TestDiagnoseWhileTheJournalOpens(t *testing.T) {
	dir := t.TempDir()
	notdb := filepath.Join(dir, "notas.db")
	if err := os.WriteFile(notdb, []byte(strings.Repeat("isto não é um banco SQLite\n", 40)), 0o600); err != nil {
		t.Fatal(err)
	}
	one := []string{"diagnose", "../../testdata/cases/token-expirado.yaml", "--directory", "../../testdata/directory.yaml"}
	for _, args := range [][]string{
		append(one, "--journal", notdb),
		append(one, "../../testdata/cases/token-expirado.yaml", "--journal", notdb),
	} {
		code, stdout, stderr := runApp(t, nil, args...)
		if code != exitDependency || stdout != "" || !strings.Contains(stderr, "não é um diário do triagem") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 3, no verdict, and why", args, code, stdout, stderr)
		}
	}
	if runtime.GOOS != "linux" {
		return // the default journal's folder below is Linux's
	}
	home, _ := unreadableDefaultJournal(t)
	code, stdout, stderr := runApp(t, map[string]string{"HOME": home}, one...)
	if code == exitDependency || !strings.Contains(stdout, "SUP-") || !strings.Contains(stderr, "nada registrado") {
		t.Errorf("default journal unreadable: exit %d, stdout %q, stderr %q; want the verdict and a warning", code, stdout, stderr)
	}
}

// escalate reads the journal (the ticket's incident) and writes to it (the escalation) from
// one opening: a default journal that cannot be opened is said once, and the bundle is still
// written; a named one that cannot be opened stops the escalation of a ticket before any
// bundle exists.
func TestEscalateOpensTheJournalOnce(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the default journal's folder below is Linux's")
	}
	dir := t.TempDir()
	casePath := filepath.Join(dir, "caso.yaml")
	if err := os.WriteFile(casePath, []byte(plantedCase), 0o600); err != nil {
		t.Fatal(err)
	}
	home, def := unreadableDefaultJournal(t)
	out := filepath.Join(dir, "pacote.zip")
	code, _, stderr := runApp(t, map[string]string{"HOME": home}, "escalate", casePath, "--directory", "../../testdata/directory.yaml", "--out", out)
	if code != exitOK || strings.Count(stderr, "nada registrado") != 1 {
		t.Errorf("default journal unreadable: exit %d, stderr %q; want the bundle and one warning", code, stderr)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("no bundle written: %v", err)
	}
	named := filepath.Join(dir, "pacote2.zip")
	code, _, stderr = runApp(t, nil, "escalate", casePath, "--directory", "../../testdata/directory.yaml", "--out", named, "--journal", def)
	if code != exitDependency || !strings.Contains(stderr, "não é um diário do triagem") {
		t.Errorf("named journal unreadable: exit %d, stderr %q; want exit 3 and why", code, stderr)
	}
	if _, err := os.Stat(named); err == nil {
		t.Errorf("a bundle was written although the ticket's incident could not be read")
	}
}

// unreadableDefaultJournal is a HOME whose default journal (Linux's data folder) is a file
// that is not an SQLite database; def is that file.
func unreadableDefaultJournal(t *testing.T) (home, def string) {
	t.Helper()
	home = t.TempDir()
	def = filepath.Join(home, ".local", "share", "triagem", "journal.db")
	if err := os.MkdirAll(filepath.Dir(def), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(def, []byte(strings.Repeat("nada de SQLite aqui\n", 40)), 0o600); err != nil {
		t.Fatal(err)
	}
	return home, def
}
