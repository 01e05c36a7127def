package main

import (
	"database/sql"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// One case that names no ticket is not recorded, so its diagnosis does not open the journal
// (lazyJournal): no file is created, and a journal that cannot be opened fails nothing.
// Whenever the verdict is recorded after all (--ticket, --journal, a ticket key the look at
// the text cannot see), the journal opens and records it as before.
func TestJournalOpensOnlyForARecordedDiagnosis(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../testdata/cases/token-expirado.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var noTicket, escaped []string
	for _, l := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(l, "ticket:") {
			escaped = append(escaped, `"\x74icket":`+strings.TrimPrefix(l, "ticket:"))
			continue
		}
		noTicket = append(noTicket, l)
		escaped = append(escaped, l)
	}
	write := func(name string, lines []string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	plain, hidden := write("sem-chamado.yaml", noTicket), write("chave-escapada.yaml", escaped)
	events := func(path string) []string {
		t.Helper()
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		rows, err := db.Query(`SELECT kind || ' ' || ticket FROM events ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	dirArgs := []string{"--directory", "../../testdata/directory.yaml"}

	j := filepath.Join(dir, "diario.db")
	code, stdout, stderr := runApp(t, map[string]string{"TRIAGEM_JOURNAL": j}, append([]string{"diagnose", plain}, dirArgs...)...)
	if code != exitFound || !strings.Contains(stdout, "token-expired") {
		t.Fatalf("no ticket: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if _, err := os.Stat(j); !os.IsNotExist(err) {
		t.Errorf("no ticket: the journal %s was created (%v)", j, err)
	}

	notdb := filepath.Join(dir, "notas.db")
	if err := os.WriteFile(notdb, []byte(strings.Repeat("isto não é um banco SQLite\n", 40)), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runApp(t, map[string]string{"TRIAGEM_JOURNAL": notdb}, append([]string{"diagnose", plain}, dirArgs...)...)
	if code != exitFound || !strings.Contains(stdout, "token-expired") || stderr != "" {
		t.Errorf("no ticket, a journal that does not open: exit %d, stdout %q, stderr %q; want the verdict alone", code, stdout, stderr)
	}
	// The word "ticket" elsewhere in the case (a comment) opens the journal ahead, on a
	// guess; with nothing to record, that it does not open still fails nothing.
	commented := write("comentado.yaml", append([]string{"# ticket: ainda por abrir"}, noTicket...))
	code, stdout, stderr = runApp(t, map[string]string{"TRIAGEM_JOURNAL": notdb}, append([]string{"diagnose", commented}, dirArgs...)...)
	if code != exitFound || !strings.Contains(stdout, "token-expired") || stderr != "" {
		t.Errorf("a comment naming a ticket, a journal that does not open: exit %d, stdout %q, stderr %q; want the verdict alone", code, stdout, stderr)
	}
	// The same journal, with a verdict to record: exit 3 and no verdict, as ever.
	code, stdout, stderr = runApp(t, map[string]string{"TRIAGEM_JOURNAL": notdb}, append([]string{"diagnose", plain, "--ticket", "SUP-7001"}, dirArgs...)...)
	if code != exitDependency || stdout != "" || !strings.Contains(stderr, "não é um diário do triagem") {
		t.Errorf("--ticket, a journal that does not open: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"--ticket", []string{"diagnose", plain, "--ticket", "SUP-7002"}, []string{"open SUP-7002", "diagnose SUP-7002"}},
		{"--journal", []string{"--journal", filepath.Join(dir, "pedido.db"), "diagnose", plain}, []string{"diagnose "}},
		{"escaped key", []string{"diagnose", hidden}, []string{"open SUP-4821", "diagnose SUP-4821"}},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".db")
		if tc.name == "--journal" {
			path = tc.args[1]
		}
		code, stdout, stderr := runApp(t, map[string]string{"TRIAGEM_JOURNAL": path}, append(tc.args, dirArgs...)...)
		if code != exitFound || !strings.Contains(stdout, "token-expired") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", tc.name, code, stdout, stderr)
			continue
		}
		if got := events(path); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: journal events %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestContainsTicket(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"ticket: SUP-1", true},
		{`{"Ticket": "SUP-1"}`, true},
		{"TICKET", true},
		{"partner: x\nerror: tic\nket", false},
		{"tickt tiket t", false},
		{"", false},
		{"ttticket", true},
	} {
		if got := containsTicket([]byte(tc.text)); got != tc.want {
			t.Errorf("containsTicket(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// A command that ends without recording (a refused escalation) does not wait for a journal
// that is still opening: a journal server that takes connections and never answers used to
// hold it for as long as the connection attempt lasted.
func TestEndWithoutWaitingForTheJournal(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, never answered
		}
	}()
	dsn := "postgres://triagem@" + ln.Addr().String() + "/diario?sslmode=disable&connect_timeout=20"
	start := time.Now()
	code, _, stderr := runApp(t, map[string]string{"TRIAGEM_JOURNAL": dsn}, "escalate", "../../testdata/cases/token-expirado.yaml",
		"--directory", "../../testdata/directory.yaml", "--out", filepath.Join(t.TempDir(), "b.zip"))
	if code != exitRefused || !strings.Contains(stderr, "escalonamento recusado") {
		t.Fatalf("exit %d, stderr %q; want the refusal", code, stderr)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the refused escalation took %s, waiting for the journal", took)
	}
}
