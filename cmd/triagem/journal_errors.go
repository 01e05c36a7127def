package main

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"github.com/crefazon/triagem/diagnose"
)

// journalOpenText says in the user's language why a journal could not be opened. The drivers
// (pgx, SQLite) speak English and mention things a support analyst cannot act on; each failure
// one can act on gets a whole sentence of its own, in both languages. Only an unrecognised
// failure keeps the driver's words, and only in English: the Portuguese sentence says where to
// read them. Nothing here repeats a password: the drivers' messages do not hold one, and the
// journal is named by journal.Name.
func journalOpenText(l diagnose.Lang, err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "28P01", "28000":
			return l.T("o servidor PostgreSQL recusou o usuário ou a senha", "the PostgreSQL server refused the user or the password")
		case "3D000":
			return l.T("o banco de dados não existe no servidor PostgreSQL", "the database does not exist on the PostgreSQL server")
		case "42501":
			return l.T("o usuário do PostgreSQL não tem permissão para criar ou alterar as tabelas do diário", "the PostgreSQL user may not create or change the journal's tables")
		case "53300":
			return l.T("o servidor PostgreSQL não aceita mais conexões agora", "the PostgreSQL server accepts no more connections now")
		}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // the primary result code; extended codes add detail
		case 26: // SQLITE_NOTADB
			return l.T("o arquivo não é um diário do triagem (não é um banco SQLite)", "the file is not a triagem journal (not an SQLite database)")
		case 11: // SQLITE_CORRUPT
			return l.T("o arquivo do diário está corrompido", "the journal file is corrupt")
		case 8: // SQLITE_READONLY
			return l.T("o arquivo do diário é somente leitura", "the journal file is read-only")
		case 14: // SQLITE_CANTOPEN
			return l.T("não foi possível abrir o arquivo do diário (verifique a pasta e as permissões)", "the journal file could not be opened (check the folder and its permissions)")
		case 13: // SQLITE_FULL
			return l.T("sem espaço no disco", "no space left on the disk")
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
			return l.T("o diário está bloqueado por outro processo há mais de 10 s", "another process has held the journal locked for over 10 s")
		}
	}
	var dns *net.DNSError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return l.T("o servidor PostgreSQL recusou a conexão (está no ar, nessa porta?)", "the PostgreSQL server refused the connection (is it up, on that port?)")
	case errors.As(err, &dns):
		return l.T("o nome do servidor PostgreSQL não foi encontrado no DNS", "the PostgreSQL server's name was not found in DNS")
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return l.T("o servidor PostgreSQL não respondeu a tempo", "the PostgreSQL server did not answer in time")
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.ENOTDIR),
		errors.Is(err, syscall.EISDIR), errors.Is(err, syscall.ENOSPC):
		return pathErrText(l, err)
	}
	if l == "en" {
		return err.Error()
	}
	if strings.Contains(err.Error(), "migrating the journal's schema") {
		return "não foi possível atualizar o esquema do diário (os detalhes do banco, em inglês, com --lang en)"
	}
	return "não foi possível abrir o diário (os detalhes do driver, em inglês, com --lang en)"
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
