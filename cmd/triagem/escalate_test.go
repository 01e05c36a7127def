package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// runApp runs the command line in memory and returns its exit code and outputs.
func runApp(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		getenv: func(k string) string { return env[k] }}
	code := a.main(context.Background(), args)
	return code, stdout.String(), stderr.String()
}

const (
	plantedKey   = "hml-alfa-4b9e2c7a1d83f605"
	plantedToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3OTUwNDUyMDAsImlhdCI6MTc5NTAwMjAwMCwiaXNzIjoiY3JlZmF6b24tYXBpLXBhcmNlaXJvIiwibmJmIjoxNzk1MDAyMDAwLCJ1bmlxdWVfbmFtZSI6ImFsZmEubWFyaWEifQ.OLYE5TxOy6ZkjJzsK9fq03xO0Sawoqshm55ZxvXeeII"
)

// plantedCase is a complete no-apparent-cause case full of secrets and personal data.
const plantedCase = `ticket: SUP-5000
partner: Corban Alfa
error: "Nao foi possivel realizar operacao. Cliente 529.982.247-25, contato maria.dores@example.com.br"
request:
  method: POST
  url: https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise
  at: "2026-11-18 14:05"
  headers:
    Authorization: "Bearer ` + plantedToken + `"
    Cookie: "ASP.NET_SessionId=k2v3b4n5m6q7w8e9r0t1y2u3"
    X-Api-Key: ` + plantedKey + `
    Content-Type: application/json
  body:
    cliente:
      cpf: "529.982.247-25"
      nome: Maria das Dores
      nascimento: "1985-03-12"
      email: maria.dores@example.com.br
      empregadorCnpj: "11.222.333/0001-81"
      fornecedorCnpj: "12.ABC.345/01DE-35"
    profissional: {ocupacaoId: 3}
    contato: {telefone: "(11) 98765-4321", celular: "+55 11 91234-5678"}
    endereco: {cidadeId: 5270}
    operacao: {urlNotificacao: "https://parceiro.example.com.br/webhooks/crefazon", valor: 1500.00}
    referencias: [{cpf: 11144477735, telefone: "11987650000"}]
    senha: "s3nh4-f0rt3-do-parceiro"
response:
  status: 400
  body: '{"success": false, "data": {"cpf": "52998224725", "email": "MARIA.DORES@example.com.br"}, "errors": ["Nao foi possivel realizar operacao."]}'
credentials:
  api_key: ` + plantedKey + `
  user: alfa.maria
`

// secretsInClear are what must never appear in a bundle, in any file.
func secretsInClear() []string {
	sum := sha256.Sum256([]byte(plantedKey))
	parts := strings.Split(plantedToken, ".")
	return []string{
		plantedKey, plantedToken, parts[2], parts[0] + "." + parts[1], parts[1],
		hex.EncodeToString(sum[:]), "Bearer eyJ", "k2v3b4n5m6q7w8e9r0t1y2u3",
		"529.982.247-25", "52998224725", "11144477735", "11.222.333/0001-81", "11222333000181",
		"12.ABC.345/01DE-35", "maria.dores@example.com.br", "MARIA.DORES@example.com.br",
		"98765-4321", "91234-5678", "11987650000", "s3nh4-f0rt3-do-parceiro",
	}
}

func readZip(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = b
	}
	return files
}

// exportForScan copies a bundle's files where CI's gitleaks scan looks (TRIAGEM_BUNDLE_SCAN_DIR).
func exportForScan(t *testing.T, name string, files map[string][]byte) {
	dir := os.Getenv("TRIAGEM_BUNDLE_SCAN_DIR")
	if dir == "" {
		return
	}
	for fname, b := range files {
		p := filepath.Join(dir, name, fname)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func buildPlantedBundle(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	casePath := filepath.Join(dir, "case.yaml")
	if err := os.WriteFile(casePath, []byte(plantedCase), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "SUP-5000.zip")
	code, stdout, stderr := runApp(t, nil, "escalate", casePath, "--directory", "../../testdata/directory.yaml", "--out", out)
	if code != 0 {
		t.Fatalf("escalate: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	for _, s := range secretsInClear() {
		if strings.Contains(stdout+stderr, s) {
			t.Errorf("escalate printed %q", s)
		}
	}
	return out
}

func TestEscalateBundleHoldsNothingInClear(t *testing.T) {
	out := buildPlantedBundle(t)
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("bundle mode %v, want 0600", st.Mode().Perm())
	}
	files := readZip(t, out)
	exportForScan(t, "planted", files)
	for _, want := range []string{"manifest.json", "verdict.json", "case.yaml", "summary.md", "redaction.json", "token.json"} {
		if _, ok := files[want]; !ok {
			t.Errorf("bundle lacks %s", want)
		}
	}
	for name, b := range files {
		for _, s := range secretsInClear() {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds %q in clear", name, s)
			}
		}
	}
	// What support needs to correlate is still there.
	for name, want := range map[string]string{
		"case.yaml":    "254097ef3e1c", // the key's fingerprint
		"token.json":   "alfa.maria",   // the token's claims, decoded
		"summary.md":   "Descartado na análise prévia",
		"verdict.json": `"category": "no-apparent-cause"`,
	} {
		if !bytes.Contains(files[name], []byte(want)) {
			t.Errorf("%s lacks %q", name, want)
		}
	}
	// Other numbers stay readable.
	if !bytes.Contains(files["case.yaml"], []byte("5270")) {
		t.Errorf("case.yaml lost the cidadeId 5270")
	}
	code, stdout, stderr := runApp(t, nil, "escalate", "verify", out)
	if code != 0 {
		t.Fatalf("verify: exit %d: %s %s", code, stdout, stderr)
	}
}

func TestEscalateVerifyRefusesTamperedBundle(t *testing.T) {
	out := buildPlantedBundle(t)
	files := readZip(t, out)
	// Put a CPF back into case.yaml, keeping the manifest: both the checksum and the scan object.
	files["case.yaml"] = append(files["case.yaml"], []byte("# 529.982.247-25\n")...)
	tampered := filepath.Join(t.TempDir(), "tampered.zip")
	writeZip(t, tampered, files)
	code, _, stderr := runApp(t, nil, "escalate", "verify", tampered)
	if code != exitRefused {
		t.Fatalf("verify of a tampered bundle: exit %d, want 4", code)
	}
	for _, want := range []string{"case.yaml: o checksum ou o tamanho não conferem", "case.yaml:", "cpf em claro"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if m := englishWords.FindString(stderr); m != "" {
		t.Errorf("a pt-BR refusal holds the English word %q:\n%s", m, stderr)
	}
	_, _, stderrEN := runApp(t, nil, "escalate", "verify", tampered, "--lang", "en")
	for _, want := range []string{"case.yaml: checksum or size does not match", "cpf in clear"} {
		if !strings.Contains(stderrEN, want) {
			t.Errorf("--lang en: stderr lacks %q:\n%s", want, stderrEN)
		}
	}
	if strings.Contains(stderr, "529.982.247-25") {
		t.Errorf("verify printed the CPF it found")
	}

	// send verifies first: a tampered bundle never reaches the network.
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	code, _, _ = runApp(t, nil, "escalate", "send", tampered, "--to", srv.URL)
	if code != exitRefused || hits.Load() != 0 {
		t.Fatalf("send of a tampered bundle: exit %d, %d requests; want 4 and none", code, hits.Load())
	}
}

func writeZip(t *testing.T, path string, files map[string][]byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"manifest.json", "verdict.json", "case.yaml", "summary.md", "token.json", "redaction.json"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(files[name])
	}
	zw.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// intakeServer is a test webhook that opens one ticket per Idempotency-Key, after failing as told.
type intakeServer struct {
	mu      sync.Mutex
	fail    []string // per attempt: "503", "drop"; then success
	always  bool
	calls   int
	tickets map[string]int
	keys    []string
}

func (in *intakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	in.mu.Lock()
	n := in.calls
	in.calls++
	in.keys = append(in.keys, r.Header.Get("Idempotency-Key"))
	in.mu.Unlock()
	mode := ""
	if in.always {
		mode = "503"
	} else if n < len(in.fail) {
		mode = in.fail[n]
	}
	switch mode {
	case "503":
		http.Error(w, "indisponível", http.StatusServiceUnavailable)
		return
	case "drop":
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	io.Copy(io.Discard, r.Body)
	in.mu.Lock()
	in.tickets[r.Header.Get("Idempotency-Key")]++
	in.mu.Unlock()
	w.WriteHeader(http.StatusCreated)
	io.WriteString(w, `{"ticket": "CODE-1"}`)
}

func TestEscalateSendOpensOneTicketAcrossFailures(t *testing.T) {
	out := buildPlantedBundle(t)
	data, _ := os.ReadFile(out)
	sum := sha256.Sum256(data)
	in := &intakeServer{fail: []string{"503", "drop"}, tickets: map[string]int{}}
	srv := httptest.NewServer(in)
	defer srv.Close()
	env := map[string]string{"TRIAGEM_ESCALATION_TOKEN": "intake-token-xyz"}
	code, stdout, stderr := runApp(t, env, "escalate", "send", out, "--to", srv.URL+"/tickets", "--timeout", "5s", "--backoff", "10ms")
	if code != 0 {
		t.Fatalf("send: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if len(in.tickets) != 1 || in.tickets[hex.EncodeToString(sum[:])] != 1 {
		t.Errorf("tickets opened: %v, want exactly one under the bundle's SHA-256", in.tickets)
	}
	if in.calls != 3 {
		t.Errorf("%d attempts reached the server, want 3 (503, dropped, created)", in.calls)
	}
	for _, k := range in.keys {
		if k != hex.EncodeToString(sum[:]) {
			t.Errorf("an attempt carried Idempotency-Key %q", k)
		}
	}
	if strings.Contains(stdout+stderr, "intake-token-xyz") {
		t.Errorf("the intake token was printed")
	}
}

func TestEscalateSendUnreachableExits3(t *testing.T) {
	out := buildPlantedBundle(t)
	in := &intakeServer{always: true, tickets: map[string]int{}}
	srv := httptest.NewServer(in)
	defer srv.Close()
	code, _, stderr := runApp(t, nil, "escalate", "send", out, "--to", srv.URL, "--attempts", "3", "--timeout", "2s", "--backoff", "10ms")
	if code != exitDependency {
		t.Fatalf("exit %d, want 3\n%s", code, stderr)
	}
	if in.calls != 3 || len(in.tickets) != 0 {
		t.Errorf("%d attempts, %d tickets; want 3 and none", in.calls, len(in.tickets))
	}
	if !strings.Contains(stderr, "503") {
		t.Errorf("stderr does not list the attempts' statuses:\n%s", stderr)
	}

	// Nothing listening at all.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	code, _, stderr = runApp(t, nil, "escalate", "send", out, "--to", "http://"+addr+"/x", "--attempts", "2", "--timeout", "1s", "--backoff", "10ms")
	if code != exitDependency {
		t.Fatalf("closed port: exit %d, want 3\n%s", code, stderr)
	}
}

// incidentDirectory is a directory of four homologação partners' made-up keys (by SHA-256).
const incidentDirectory = `keys:
  - {sha256: 254097ef3e1c11bf8713fe55eff466228b2ef20906a61fe6d49b817376350f6e, partner: Corban Alfa, environment: homologacao, active: true, users: [alfa.maria]}
  - {sha256: 164df208ca22c622b8a288fdb9df83b52b677b526871d8e5f4243dbfa009a15c, partner: Corban Beta, environment: homologacao, active: true, users: [beta.carlos]}
  - {sha256: f81ad9789459caeae1890f979544ffeb2d9f9adb13075f77fc793b7ce3d64d5a, partner: Corban Teta, environment: homologacao, active: true, users: [teta.luis]}
  - {sha256: 2dc03cadd5e1a9b0e36c30615ac6f629c55b52fdbae6ccddd46dbff788e85438, partner: Corban Iota, environment: homologacao, active: true, users: [iota.rosa]}
users:
  - {login: alfa.maria, partner: Corban Alfa, active: true}
  - {login: beta.carlos, partner: Corban Beta, active: true}
  - {login: teta.luis, partner: Corban Teta, active: true}
  - {login: iota.rosa, partner: Corban Iota, active: true}
`

// TestIncidentBundleHoldsNothingPlanted: three other partners' diagnoses open an incident of
// the planted case's failure; the planted case's escalation then goes into the incident's
// bundle, under its ticket's folder, and no planted secret or personal datum is in any file.
// With --no-journal there is no incident to know of: the same escalation is a ticket's own.
func TestIncidentBundleHoldsNothingPlanted(t *testing.T) {
	dir := t.TempDir()
	dirFile := filepath.Join(dir, "dir.yaml")
	os.WriteFile(dirFile, []byte(incidentDirectory), 0o600)
	src, err := os.ReadFile("../../testdata/cases/sem-causa-aparente.yaml")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"TRIAGEM_JOURNAL": filepath.Join(dir, "j.db"), "TRIAGEM_NOW": "2026-11-18T15:00:00-03:00"}
	for i, p := range [][3]string{{"Beta", "hml-beta-07d5f3a9c2e1b846", "beta.carlos"}, {"Teta", "hml-teta-5a0c91e3b7d24f68", "teta.luis"}, {"Iota", "hml-iota-e29d4b70c1a8f356", "iota.rosa"}} {
		c := strings.NewReplacer("ticket: SUP-4830", fmt.Sprintf("ticket: SUP-%d", 6001+i), "partner: Corban Alfa", "partner: Corban "+p[0],
			"api_key: hml-alfa-4b9e2c7a1d83f605", "api_key: "+p[1], "user: alfa.maria", "user: "+p[2]).Replace(string(src))
		path := filepath.Join(dir, p[0]+".yaml")
		os.WriteFile(path, []byte(c), 0o600)
		if code, _, stderr := runApp(t, env, "diagnose", path, "--directory", dirFile); code != 0 {
			t.Fatalf("diagnose %s: exit %d\n%s", p[0], code, stderr)
		}
	}
	casePath := filepath.Join(dir, "planted.yaml")
	os.WriteFile(casePath, []byte(plantedCase), 0o600)
	out := filepath.Join(dir, "INC-1.zip")
	code, stdout, stderr := runApp(t, env, "escalate", casePath, "--directory", dirFile, "--out", out)
	if code != 0 || !strings.Contains(stderr, "SUP-5000 foi adicionado ao pacote do incidente INC-1") {
		t.Fatalf("escalate: exit %d\n%s\n%s", code, stdout, stderr)
	}
	files := readZip(t, out)
	exportForScan(t, "incident", files)
	for _, name := range []string{"manifest.json", "SUP-5000/verdict.json", "SUP-5000/case.yaml", "SUP-5000/summary.md", "SUP-5000/redaction.json", "SUP-5000/token.json"} {
		if _, ok := files[name]; !ok {
			t.Errorf("the incident's bundle lacks %s", name)
		}
	}
	if !bytes.Contains(files["SUP-5000/verdict.json"], []byte(`"incident": {`)) {
		t.Errorf("the ticket's verdict does not name its incident:\n%s", files["SUP-5000/verdict.json"])
	}
	if len(files) != 6 {
		t.Errorf("the incident's bundle holds %d files, want 6", len(files))
	}
	for name, b := range files {
		for _, s := range secretsInClear() {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds %q in clear", name, s)
			}
		}
	}
	if code, _, stderr := runApp(t, env, "escalate", "verify", out); code != 0 {
		t.Errorf("verify: exit %d\n%s", code, stderr)
	}
	own := filepath.Join(dir, "own.zip")
	if code, _, stderr := runApp(t, env, "--no-journal", "escalate", casePath, "--directory", dirFile, "--out", own); code != 0 || strings.Contains(stderr, "incidente") {
		t.Fatalf("--no-journal: exit %d\n%s", code, stderr)
	}
	if _, ok := readZip(t, own)["case.yaml"]; !ok {
		t.Errorf("with --no-journal the bundle is not a ticket's own")
	}
}

// TestEscalateAtTriagemNow: a bundle is made at TRIAGEM_NOW when it is set, so that the same
// case builds the same bytes (replaying a history, or comparing two builds of triagem); a
// TRIAGEM_NOW that is no time is refused before anything is written.
func TestEscalateAtTriagemNow(t *testing.T) {
	dir := t.TempDir()
	var zips [2][]byte
	for i := range zips {
		out := filepath.Join(dir, fmt.Sprintf("b%d.zip", i))
		env := map[string]string{"TRIAGEM_JOURNAL": filepath.Join(dir, fmt.Sprintf("j%d.db", i)), "TRIAGEM_NOW": "2026-11-18T15:00:00-03:00"}
		if code, stdout, stderr := runApp(t, env, "escalate", "../../testdata/cases/sem-causa-aparente.yaml", "--directory", "../../testdata/directory.yaml", "--out", out); code != 0 {
			t.Fatalf("escalate: exit %d\n%s\n%s", code, stdout, stderr)
		}
		zips[i], _ = os.ReadFile(out)
		if m := readZip(t, out)["manifest.json"]; !bytes.Contains(m, []byte(`"created_at": "2026-11-18T18:00:00Z"`)) {
			t.Errorf("the manifest is not dated TRIAGEM_NOW:\n%s", m)
		}
	}
	if !bytes.Equal(zips[0], zips[1]) {
		t.Error("the same case at the same TRIAGEM_NOW built two different bundles")
	}
	out := filepath.Join(dir, "bad.zip")
	code, _, stderr := runApp(t, map[string]string{"TRIAGEM_JOURNAL": filepath.Join(dir, "j.db"), "TRIAGEM_NOW": "ontem"},
		"escalate", "../../testdata/cases/sem-causa-aparente.yaml", "--directory", "../../testdata/directory.yaml", "--out", out)
	if code != 2 || !strings.Contains(stderr, "TRIAGEM_NOW") {
		t.Errorf("a bad TRIAGEM_NOW: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a bad TRIAGEM_NOW left %s behind (%v)", out, err)
	}
}
