package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/crefazon/triagem/directory"
)

// countingDirectory serves the bundled snapshot over the REST contract, counting requests.
func countingDirectory(t *testing.T, token string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	s, err := directory.Open("../../testdata/directory.yaml")
	if err != nil {
		t.Fatal(err)
	}
	idx, err := s.Index()
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	h := directory.NewServer(idx, token)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestHTTPDirectoryAsksOncePerKeyAndUser(t *testing.T) {
	srv, requests := countingDirectory(t, "dir-token-123")
	pairs := []struct{ key, user string }{
		{"hml-alfa-4b9e2c7a1d83f605", "alfa.maria"}, {"hml-alfa-4b9e2c7a1d83f605", "alfa.joao"},
		{"prd-alfa-93c1e0b7d2a4f851", "alfa.maria"}, {"hml-beta-07d5f3a9c2e1b846", "beta.carlos"},
		{"hml-gama-c8a2e6f01b9d7e34", "gama.ana"}, {"hml-nao-existe-0000", "ninguem"},
	}
	keys, users := map[string]bool{}, map[string]bool{}
	var b strings.Builder
	for i := range 10_000 {
		p := pairs[i%len(pairs)]
		keys[p.key], users[p.user] = true, true
		fmt.Fprintf(&b, `{"ticket":"D-%d","error":"x","request":{"method":"GET","url":"https://api-externo-stag.crefazon.com.br/api/v2/enderecos/paises","at":"2026-11-18 10:00"},"credentials":{"api_key":%q,"user":%q}}`+"\n", i, p.key, p.user)
	}
	path := filepath.Join(t.TempDir(), "cases.jsonl")
	os.WriteFile(path, []byte(b.String()), 0o600)

	env := map[string]string{"TRIAGEM_DIRECTORY_TOKEN": "dir-token-123"}
	code, stdout, stderr := runApp(t, env, "diagnose", "--jsonl", path, "--directory", srv.URL, "--no-cache", "-o", "json")
	if code > 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := strings.Count(stdout, `"schema":"triagem.verdict/v1"`); got != 10_000 {
		t.Fatalf("%d verdicts, want 10000", got)
	}
	if max := int64(len(keys) + len(users)); requests.Load() > max {
		t.Errorf("%d requests to the directory service, want at most %d (distinct keys + users)", requests.Load(), max)
	}
	// The answers are used: a known key passes, the unknown one fails.
	if !strings.Contains(stdout, `"ticket":"D-0","category":"no-apparent-cause"`) || !strings.Contains(stdout, `"ticket":"D-5","category":"api-key-invalid"`) {
		t.Errorf("the service's answers were not used")
	}
	if strings.Contains(stderr, "dir-token-123") {
		t.Errorf("the directory token was printed")
	}
}

func TestHTTPDirectoryUnreachableExits3(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	code, stdout, stderr := runApp(t, nil, "diagnose", "../../testdata/cases/sem-causa-aparente.yaml", "--directory", "http://"+addr, "--no-cache")
	if code != exitDependency {
		t.Fatalf("exit %d, want 3\n%s", code, stderr)
	}
	if !strings.Contains(stderr, addr) || stdout != "" {
		t.Errorf("stderr does not name the host, or stdout is not empty:\n%s\n%s", stderr, stdout)
	}
	// In Portuguese, without the network library's English; a lone case is no batch to stop.
	for _, w := range []string{"não respondeu após 3 tentativas", "--lang en"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
	for _, w := range []string{"unreachable", "connection refused", "lote interrompido"} {
		if strings.Contains(stderr, w) {
			t.Errorf("stderr of one case holds %q:\n%s", w, stderr)
		}
	}
	code, _, stderr = runApp(t, nil, "diagnose", "../../testdata/cases/sem-causa-aparente.yaml", "--directory", "http://"+addr, "--no-cache", "--lang", "en")
	if code != exitDependency || !strings.Contains(stderr, "unreachable after 3 attempts") || !strings.Contains(stderr, "connection refused") {
		t.Errorf("--lang en: exit %d, want 3 and the network's own words:\n%s", code, stderr)
	}

	// A batch stops at the first unreachable answer instead of waiting on every case.
	code, _, stderr = runApp(t, nil, "diagnose", "../../testdata/cases", "--directory", "http://"+addr, "--no-cache")
	if code != exitDependency || !strings.Contains(stderr, "lote interrompido") {
		t.Errorf("batch: exit %d, want 3 and a stop:\n%s", code, stderr)
	}
}

// A bearer token never crosses a network in clear: plain http only to this machine.
func TestTokensStayOffPlainHTTP(t *testing.T) {
	const dirToken, intakeToken = "dir-token-never-shown", "intake-token-never-shown"
	env := map[string]string{"TRIAGEM_DIRECTORY_TOKEN": dirToken, "TRIAGEM_ESCALATION_TOKEN": intakeToken}
	bundle := buildPlantedBundle(t)
	for _, tt := range []struct {
		name string
		args []string
		flag string
	}{
		{"directory over http", []string{"diagnose", "../../testdata/cases/sem-causa-aparente.yaml", "--directory", "http://diretorio.example.com.br/v1"}, "--directory"},
		{"directory over http to a private address", []string{"diagnose", "../../testdata/cases/sem-causa-aparente.yaml", "--directory", "http://10.20.30.40:8089"}, "--directory"},
		{"intake over http", []string{"escalate", "send", bundle, "--to", "http://intake.example.com/tickets"}, "--to"},
		{"intake over http, dry run", []string{"escalate", "send", bundle, "--to", "http://intake.example.com/tickets", "--dry-run"}, "--to"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runApp(t, env, tt.args...)
			if code != exitInput {
				t.Fatalf("exit %d, want 2\n%s%s", code, stdout, stderr)
			}
			if !strings.Contains(stderr, tt.flag+":") || !strings.Contains(stderr, "https://") {
				t.Errorf("the error does not name %s or say to use https:\n%s", tt.flag, stderr)
			}
			if strings.Contains(stdout+stderr, dirToken) || strings.Contains(stdout+stderr, intakeToken) {
				t.Errorf("a token was printed:\n%s%s", stdout, stderr)
			}
		})
	}
	// Loopback over http stays allowed (tests, a reference server on the same machine), and
	// the token goes along.
	srv, requests := countingDirectory(t, dirToken)
	code, _, stderr := runApp(t, env, "diagnose", "../../testdata/cases/sem-causa-aparente.yaml", "--directory", srv.URL, "--no-cache")
	if code != exitOK || requests.Load() == 0 {
		t.Errorf("loopback directory: exit %d, %d requests\n%s", code, requests.Load(), stderr)
	}
	// Without a token there is nothing to protect: plain http to another host is not refused
	// for that reason (it fails later, unreachable).
	code, _, stderr = runApp(t, map[string]string{}, "escalate", "send", bundle, "--to", "http://intake.example.com/tickets", "--dry-run")
	if code != exitOK {
		t.Errorf("no token, dry run: exit %d\n%s", code, stderr)
	}
}
