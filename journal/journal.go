// Package journal keeps what triagem judged and what the team did with it: one event per
// diagnosis, escalation and ticket command, and each ticket's current state, in an embedded
// SQLite file (the default) or a team's PostgreSQL. The same migrations, one set per engine
// with the same tables, build both. It stores what it is given: the caller masks the case and
// the verdict before they reach it, so that no secret is ever written.
package journal

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // the "sqlite" driver, pure Go
)

//go:embed migrations
var migrations embed.FS

// Engines.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Journal is an open journal. It is safe for concurrent use.
type Journal struct {
	db     *sql.DB
	engine string
	where  string // the file, or the server without its password, for messages
	// incidents: when the same failure across partners opens an incident (SetIncidentRule).
	incidents IncidentRule

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt // the statements Record runs, prepared once (in)
}

// IsPostgres tells whether a --journal value names a PostgreSQL server rather than a file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// DefaultPath is the journal file in the user's data folder: $XDG_DATA_HOME or
// ~/.local/share on Unix, %LocalAppData% on Windows, ~/Library/Application Support on macOS.
// Go's os package has the config and cache folders but no data folder, hence this.
func DefaultPath(getenv func(string) string) (string, error) {
	var base string
	switch runtime.GOOS {
	case "windows":
		base = getenv("LocalAppData")
	case "darwin":
		if h := getenv("HOME"); h != "" {
			base = filepath.Join(h, "Library", "Application Support")
		}
	default:
		base = getenv("XDG_DATA_HOME")
		if base == "" || !filepath.IsAbs(base) {
			base = ""
			if h := getenv("HOME"); h != "" {
				base = filepath.Join(h, ".local", "share")
			}
		}
	}
	if base == "" {
		return "", errors.New("no data folder: neither HOME nor the platform's data folder variable is set")
	}
	return filepath.Join(base, "triagem", "journal.db"), nil
}

// Open opens (creating it when needed) the journal that dsn names, a postgres:// URL or a
// file path, and brings its schema up to date.
func Open(ctx context.Context, dsn string) (*Journal, error) {
	j := &Journal{}
	var dialect goose.Dialect
	var opts []goose.ProviderOption
	if IsPostgres(dsn) {
		j.engine, dialect, j.where = Postgres, goose.DialectPostgres, Name(dsn)
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		j.db = db
		// Two triagem starting at once must not both migrate: a session lock serialises them.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			db.Close()
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	} else {
		j.engine, dialect, j.where = SQLite, goose.DialectSQLite3, dsn
		if dir := filepath.Dir(dsn); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, err
			}
		}
		// busy_timeout makes a writer wait for another instead of failing; synchronous NORMAL
		// syncs the write-ahead log at checkpoints, not at every commit; immediate
		// transactions take the write lock at BEGIN, so that two writers never deadlock
		// upgrading a read lock. Each setting is a statement SQLite parses for every
		// connection: only these are given here. The file's journal mode, WAL (readers work
		// while one process writes), is kept in the file itself: it is set below, when the
		// schema is brought up to date. The log's size is bounded by Leave.
		q := "?_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(dsn)+q)
		if err != nil {
			return nil, err
		}
		j.db = db
	}
	sub, err := fs.Sub(migrations, "migrations/"+j.engine)
	if err != nil {
		j.db.Close()
		return nil, err
	}
	latest, err := latestMigration(sub)
	if err != nil {
		j.db.Close()
		return nil, err
	}
	if j.engine == SQLite {
		// The file is the user's own: only they read it.
		if err := j.db.PingContext(ctx); err != nil {
			j.db.Close()
			return nil, err
		}
		_ = os.Chmod(dsn, 0o600)
		// A file this version of triagem brought up to date says so in its user_version:
		// goose (parsing every migration, reading its version table) is then skipped, a
		// third of opening the journal for one diagnosis. Any other number, an older
		// triagem's or none, goes through goose as before.
		var uv int64
		if err := j.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&uv); err == nil && uv == latest {
			return j, nil
		}
	}
	if j.engine == SQLite {
		// Once per file in practice: WAL stays set in the file for every later connection.
		var mode string
		if err := j.db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
			j.db.Close()
			return nil, err
		}
	}
	p, err := goose.NewProvider(dialect, j.db, sub, opts...)
	if err != nil {
		j.db.Close()
		return nil, err
	}
	if _, err := p.Up(ctx); err != nil {
		j.db.Close()
		return nil, fmt.Errorf("migrating the journal's schema: %w", err)
	}
	if j.engine == SQLite {
		if _, err := j.db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", latest)); err != nil {
			j.db.Close()
			return nil, fmt.Errorf("migrating the journal's schema: %w", err)
		}
	}
	return j, nil
}

// latestMigration is the version of the newest embedded migration (00003_report.sql: 3).
func latestMigration(migrations fs.FS) (int64, error) {
	names, err := fs.Glob(migrations, "*.sql")
	if err != nil {
		return 0, err
	}
	var latest int64
	for _, n := range names {
		v, _, ok := strings.Cut(n, "_")
		if !ok {
			return 0, fmt.Errorf("migration %s: no version in its name", n)
		}
		x, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("migration %s: no version in its name", n)
		}
		latest = max(latest, x)
	}
	if latest == 0 {
		return 0, errors.New("no migration embedded")
	}
	return latest, nil
}

// Name names a journal in messages: a file by its path, a PostgreSQL journal by its server
// and database ("PostgreSQL db.example:5432/triagem"), never with its user or password (the
// output redactor would mask user information in a URL anyway, leaving a message that names
// nothing).
func Name(dsn string) string {
	if !IsPostgres(dsn) {
		return dsn
	}
	if u, err := url.Parse(dsn); err == nil && u.Host != "" {
		return "PostgreSQL " + u.Host + u.EscapedPath()
	}
	return "PostgreSQL"
}

// Close closes the journal.
func (j *Journal) Close() error { return j.db.Close() }

// Leave ends the use of the journal by a process that is about to exit. A PostgreSQL journal
// is closed. An SQLite file is left open for the exit to release: closing its last
// connection checkpoints the write-ahead log into the file, two disk syncs on every command
// (6 to 25 ms on a busy shared disk). Left so, the log stays beside the file, as after any
// process that ends without closing (a kill: the kill test shows the journal sound after it),
// and the next process to open the file reads the log to rebuild its index, which costs more
// the longer the log: once it passes leaveCheckpoint bytes, Leave checkpoints it and cuts it
// to nothing first, so that the syncs come every dozen commands or so and the reading stays
// short. What is committed is as safe as with Close at synchronous=NORMAL: a power cut can
// lose the last transactions, never break the file. Only for a process's last use: a
// long-lived process must Close.
func (j *Journal) Leave() error {
	if j.engine != SQLite {
		return j.db.Close()
	}
	if fi, err := os.Stat(j.where + "-wal"); err == nil && fi.Size() > leaveCheckpoint {
		// Without waiting: a TRUNCATE checkpoint waits for other processes' readers and
		// writers (a report reading the journal), and a command must not hang at its end for
		// that. When busy, the log stays as it is and a later command checkpoints it.
		ctx := context.Background()
		conn, err := j.db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
			return err
		}
		var busy, frames, done int
		if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &done); err != nil {
			return err
		}
	}
	return nil
}

// in runs stmt (written with ? placeholders) inside tx from a statement prepared once per
// journal: the database parses and plans it, triggers included, on its first use only.
// database/sql keeps what was prepared on each connection, so a transaction on the
// connection that prepared it runs it as it stands.
func (j *Journal) in(ctx context.Context, tx *sql.Tx, stmt string) (*sql.Stmt, error) {
	s, err := j.prepared(ctx, stmt)
	if err != nil {
		return nil, err
	}
	return tx.StmtContext(ctx, s), nil
}

// prepared is stmt prepared on the journal, once.
func (j *Journal) prepared(ctx context.Context, stmt string) (*sql.Stmt, error) {
	j.stmtMu.Lock()
	defer j.stmtMu.Unlock()
	if s, ok := j.stmts[stmt]; ok {
		return s, nil
	}
	s, err := j.db.PrepareContext(ctx, j.q(stmt))
	if err != nil {
		return nil, err
	}
	if j.stmts == nil {
		j.stmts = map[string]*sql.Stmt{}
	}
	j.stmts[stmt] = s
	return s, nil
}

// Warm prepares what recording a diagnosis runs (Record), so that a caller that opens the
// journal ahead of need (the command line opens it while the case is judged) takes the
// statements' parsing, and SQLite's reading of the schema, off the path of its first event.
// Recording works the same without it.
func (j *Journal) Warm(ctx context.Context) error {
	for _, stmt := range append(recordStatements[:len(recordStatements):len(recordStatements)], j.fillEventStmt()) {
		if _, err := j.prepared(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

// leaveCheckpoint is the write-ahead log's size past which Leave checkpoints it.
const leaveCheckpoint = 1 << 20

// Engine is SQLite or Postgres.
func (j *Journal) Engine() string { return j.engine }

// Where names the journal for messages: the file, or the server without a password.
func (j *Journal) Where() string { return j.where }

// q writes a statement's ? placeholders the engine's way ($1, $2... for PostgreSQL).
func (j *Journal) q(stmt string) string {
	if j.engine != Postgres {
		return stmt
	}
	var b strings.Builder
	n := 0
	for _, r := range stmt {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
