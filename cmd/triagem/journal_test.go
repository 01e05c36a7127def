package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/crefazon/triagem/journal"
)

// journalBytes is everything SQLite keeps of a journal on disk: the file and its WAL.
func journalBytes(t testing.TB, path string) string {
	var all strings.Builder
	for _, p := range []string{path, path + "-wal", path + "-journal"} {
		if b, err := os.ReadFile(p); err == nil {
			all.Write(b)
		}
	}
	return all.String()
}

// TestJournalHoldsNoPlantedSecret records a case full of secrets and personal data by every
// path that writes to the journal (diagnose, escalate, the ticket commands with notes that
// carry personal data) and reads the SQLite file's bytes: none is there in clear, while the
// events are (the file is not simply empty).
func TestJournalHoldsNoPlantedSecret(t *testing.T) {
	dir := t.TempDir()
	casePath := filepath.Join(dir, "caso.yaml")
	if err := os.WriteFile(casePath, []byte(plantedCase), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "journal.db")
	run := func(want int, args ...string) {
		t.Helper()
		code, stdout, stderr := runApp(t, nil, append([]string{"--journal", db}, args...)...)
		if code != want {
			t.Fatalf("%v: exit %d, want %d\n%s%s", args, code, want, stdout, stderr)
		}
	}
	run(0, "diagnose", casePath, "--directory", "../../testdata/directory.yaml", "-o", "json")
	run(0, "escalate", casePath, "--directory", "../../testdata/directory.yaml", "--out", filepath.Join(dir, "b.zip"))
	run(0, "ticket", "reply", "SUP-5000", "--message", "Cliente com CPF 529.982.247-25, e-mail maria.dores@example.com.br: enviado ao time de Code")
	run(0, "ticket", "resolve", "SUP-5000", "--category", "user-blocked", "--solution", "o parceiro trocou a senha: s3nh4-f0rt3-do-parceiro; telefone (11) 98765-4321")
	raw := journalBytes(t, db)
	for _, s := range append(secretsInClear(), "52998224725", "maria.dores@example.com.br", "98765-4321", "s3nh4-f0rt3-do-parceiro", "Maria das Dores") {
		if strings.Contains(raw, s) {
			i := strings.Index(raw, s)
			t.Errorf("the journal file holds %q in clear: %q", s, raw[max(0, i-150):min(len(raw), i+60)])
		}
	}
	for _, want := range []string{"SUP-5000", "no-apparent-cause", "user-blocked", "enviado ao time de Code", "crefazon-default"} {
		if !strings.Contains(raw, want) {
			t.Errorf("the journal file lacks %q: the events were not recorded", want)
		}
	}
	// The stored case is the bundle's redacted form: it keeps what support correlates.
	j, err := journal.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	evs, err := j.Events(context.Background(), "SUP-5000")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range evs {
		kinds = append(kinds, e.Kind+"→"+e.Status)
		if e.Kind == journal.KindDiagnose || e.Kind == journal.KindEscalate {
			if !strings.Contains(e.CaseYAML, "pre-analise") || !strings.Contains(e.VerdictJSON, `"category":"no-apparent-cause"`) {
				t.Errorf("the diagnosis event lacks the case or the verdict:\n%s\n%s", e.CaseYAML, e.VerdictJSON)
			}
			if e.RulesName != "crefazon-default" || e.RulesSHA256 == "" || e.TriagemVersion == "" || e.User == "" {
				t.Errorf("the event does not say who judged with what: %+v", e)
			}
		}
	}
	want := "[open→novo diagnose→em-analise escalate→escalado reply→aguardando-parceiro resolve→resolvido]"
	if fmt.Sprint(kinds) != want {
		t.Errorf("events %v, want %s", kinds, want)
	}
}

// TestJournalHoldsNothingPlanted plants random secrets and personal data in random cases (the
// same generator as the outputs' hunt) and hunts for them in the journal file's bytes.
func TestJournalHoldsNothingPlanted(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "journal.db")
	n := 0
	rapid.Check(t, func(rt *rapid.T) {
		n++
		p := genPlanted(rt)
		casePath := filepath.Join(dir, fmt.Sprintf("case-%d.yaml", n))
		if err := os.WriteFile(casePath, []byte(p.caseYAML), 0o600); err != nil {
			rt.Fatal(err)
		}
		ticket := fmt.Sprintf("SUP-%d", n)
		code, _, _ := runApp(t, nil, "--journal", db, "diagnose", casePath, "--ticket", ticket, "--directory", "../../testdata/directory.yaml", "-o", "json")
		runApp(t, nil, "--journal", db, "escalate", casePath, "--ticket", ticket, "--directory", "../../testdata/directory.yaml",
			"--out", filepath.Join(dir, "b.zip"), "--force", "--reason", "teste de vazamento")
		raw := journalBytes(t, db)
		if code < 2 && !strings.Contains(raw, ticket) { // a case that does not read has no verdict to record
			rt.Fatalf("ticket %s was not recorded", ticket)
		}
		for _, v := range p.values {
			for _, form := range travelForms(v) {
				if strings.Contains(raw, form) {
					rt.Fatalf("planted %q (as %q) is in clear in the journal\ncase:\n%s", v, form, p.caseYAML)
				}
			}
		}
	})
}

// A batch records only when --journal asks; --no-journal records nothing, not even a ticket's.
func TestJournalWhenAsked(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	env := map[string]string{"XDG_DATA_HOME": data, "HOME": dir}
	count := func(path string) int {
		t.Helper()
		if _, err := os.Stat(path); err != nil {
			return 0
		}
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM events WHERE kind = 'diagnose'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	def := filepath.Join(data, "triagem", "journal.db")
	cases := "../../testdata/cases"
	runApp(t, env, "diagnose", cases, "-o", "json")
	if n := count(def); n != 0 {
		t.Errorf("a batch without --journal recorded %d diagnoses", n)
	}
	runApp(t, env, "--no-journal", "diagnose", filepath.Join(cases, "sem-evidencias.yaml"), "-o", "json")
	if n := count(def); n != 0 {
		t.Errorf("--no-journal recorded %d diagnoses", n)
	}
	runApp(t, env, "diagnose", filepath.Join(cases, "sem-evidencias.yaml"), "-o", "json")
	if n := count(def); n != 1 {
		t.Errorf("one case with a ticket: %d diagnoses in the default journal, want 1", n)
	}
	asked := filepath.Join(dir, "lote.db")
	runApp(t, env, "--journal", asked, "diagnose", cases, "-o", "json")
	entries, _ := os.ReadDir(cases)
	if n := count(asked); n != len(entries) {
		t.Errorf("a batch with --journal: %d diagnoses, want %d", n, len(entries))
	}
	if err := os.WriteFile(filepath.Join(dir, "arquivo"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runApp(t, env, "--journal", filepath.Join(dir, "arquivo", "x", "j.db"), "diagnose", filepath.Join(cases, "sem-evidencias.yaml"))
	if code != 3 {
		t.Errorf("a journal that cannot be created: exit %d, want 3 (%s)", code, stderr)
	}
}

// TestSendAndReplayAreJournaled: a delivered send escalates the ticket and names the
// intake's ticket; a failed one is recorded without moving it; a replay records the answer's
// status and which token went. The journal comes from TRIAGEM_JOURNAL as for diagnose, and
// --no-journal records none of it. Neither the intake's token nor the case's is written.
func TestSendAndReplayAreJournaled(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "journal.db")
	bundle := buildPlantedBundle(t) // no journal: the bundle was built elsewhere
	ok := httptest.NewServer(&intakeServer{tickets: map[string]int{}})
	defer ok.Close()
	down := httptest.NewServer(&intakeServer{always: true, tickets: map[string]int{}})
	defer down.Close()
	env := map[string]string{"TRIAGEM_JOURNAL": db, "TRIAGEM_ESCALATION_TOKEN": "intake-token-xyz", "TRIAGEM_NOW": "2026-11-23T10:00:00-03:00"}

	code, _, stderr := runApp(t, env, "escalate", "send", bundle, "--to", down.URL, "--attempts", "2", "--backoff", "1ms", "--timeout", "2s")
	if code != exitDependency {
		t.Fatalf("send to an intake that is down: exit %d\n%s", code, stderr)
	}
	code, _, stderr = runApp(t, env, "escalate", "send", bundle, "--to", ok.URL, "--backoff", "1ms")
	if code != 0 {
		t.Fatalf("send: exit %d\n%s", code, stderr)
	}
	code, _, stderr = runApp(t, env, "--no-journal", "escalate", "send", bundle, "--to", ok.URL)
	if code != 0 {
		t.Fatalf("send --no-journal: exit %d\n%s", code, stderr)
	}

	srv, _ := fakePartnerAPI(t)
	caseFile := filepath.Join(dir, "case.yaml")
	os.WriteFile(caseFile, []byte(plantedCase), 0o600)
	code, _, stderr = runApp(t, env, "replay", caseFile, "--rules", loopbackRules(t), "--url", srv.URL+"/api/v2/propostas/pre-analise")
	if code != 0 {
		t.Fatalf("replay: exit %d\n%s", code, stderr)
	}

	j, err := journal.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	evs, err := j.Events(context.Background(), "SUP-5000")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range evs {
		kinds = append(kinds, e.Kind+"→"+e.Status)
	}
	want := "[open→novo send-failed→novo send→escalado replay→escalado]"
	if fmt.Sprint(kinds) != want {
		t.Fatalf("events %v, want %s", kinds, want)
	}
	if n := evs[1].Note; !strings.Contains(n, "✗ HTTP 503, 503") {
		t.Errorf("the failed send's note: %q", n)
	}
	if n := evs[2].Note; !strings.Contains(n, "HTTP 201 · CODE-1 · Idempotency-Key ") {
		t.Errorf("the send's note: %q", n)
	}
	if evs[2].Category != "no-apparent-cause" || !strings.Contains(evs[2].CaseYAML, "pre-analise") || !strings.Contains(evs[2].VerdictJSON, "no-apparent-cause") {
		t.Errorf("the send's event lacks the bundle's case or verdict: %+v", evs[2])
	}
	if n := evs[3].Note; !strings.Contains(n, "HTTP 202") || !strings.Contains(n, "header token") {
		t.Errorf("the replay's note: %q", n)
	}
	if !strings.Contains(evs[3].CaseYAML, "c0ffee-42") {
		t.Errorf("the replay's event lacks the answer:\n%s", evs[3].CaseYAML)
	}
	raw := journalBytes(t, db)
	for _, s := range append(secretsInClear(), "intake-token-xyz", "segredo-de-sessao") {
		if strings.Contains(raw, s) {
			t.Errorf("the journal holds %q in clear", s)
		}
	}
}
