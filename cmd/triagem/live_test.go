package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/crefazon/triagem/rules"
)

// fakePartnerAPI answers the V2 login and pre-análise like the partner API: a 202 with a
// processo id for a fresh token, 401 "Token expirado" otherwise.
func fakePartnerAPI(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Set-Cookie", "ARRAffinity=segredo-de-sessao; Path=/")
		switch {
		case r.URL.Path == "/api/v2/usuarios/login":
			var body struct {
				Usuario struct{ Login, Senha, APIKey string }
			}
			json.NewDecoder(r.Body).Decode(&body)
			io.WriteString(w, `{"success":false,"data":null,"errors":["Usuario nao cadastrado"]}`)
		case r.URL.Path == "/api/v2/propostas/pre-analise" && r.Header.Get("Authorization") == "Bearer "+plantedToken:
			w.WriteHeader(http.StatusAccepted)
			io.WriteString(w, `{"success":true,"data":{"processo":{"id":"c0ffee-42"}},"errors":null}`)
		default:
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"success":false,"data":null,"errors":["Token expirado"]}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// loopbackRules writes the default rules with homologação on 127.0.0.1 and produção on localhost.
func loopbackRules(t *testing.T) string {
	t.Helper()
	y := rules.DefaultYAML()
	y = bytes.ReplaceAll(y, []byte("api-externo-stag.crefazon.com.br"), []byte("127.0.0.1"))
	y = bytes.ReplaceAll(y, []byte("https://api-externo.crefazon.com.br/api/v2"), []byte("http://localhost/api/v2"))
	y = bytes.ReplaceAll(y, []byte("- api-externo.crefazon.com.br"), []byte("- localhost"))
	path := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(path, y, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := rules.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReplayRecordsTheAnswer(t *testing.T) {
	srv, hits := fakePartnerAPI(t)
	rulesPath := loopbackRules(t)
	u, _ := url.Parse(srv.URL)
	caseFile := filepath.Join(t.TempDir(), "case.yaml")
	os.WriteFile(caseFile, []byte(plantedCase), 0o600)
	target := srv.URL + "/api/v2/propostas/pre-analise"

	code, _, stderr := runApp(t, nil, "replay", caseFile, "--rules", rulesPath, "--url", target)
	if code != 0 {
		t.Fatalf("replay: exit %d\n%s", code, stderr)
	}
	recorded, _ := os.ReadFile(caseFile)
	for _, want := range []string{"status: 202", "c0ffee-42", "took:"} {
		if !bytes.Contains(recorded, []byte(want)) {
			t.Errorf("the recorded case lacks %q:\n%s", want, recorded)
		}
	}
	if bytes.Contains(recorded, []byte("segredo-de-sessao")) || strings.Contains(stderr, plantedToken) {
		t.Errorf("a secret from the answer or the request was recorded or printed")
	}

	// Production (localhost here) is refused without --allow-production, before any request.
	before := hits.Load()
	prod := "http://localhost:" + u.Port() + "/api/v2/propostas/pre-analise"
	code, _, stderr = runApp(t, nil, "replay", caseFile, "--rules", rulesPath, "--url", prod, "--out", "-")
	if code != exitInput || hits.Load() != before || !strings.Contains(stderr, "--allow-production") {
		t.Fatalf("production without permission: exit %d, %d requests\n%s", code, hits.Load()-before, stderr)
	}
	code, stdout, stderr := runApp(t, nil, "replay", caseFile, "--rules", rulesPath, "--url", prod, "--out", "-", "--allow-production")
	if code != 0 || !strings.Contains(stdout, "status: 202") {
		t.Fatalf("production with permission: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, secret := range []string{plantedToken, plantedKey, "segredo-de-sessao"} {
		if strings.Contains(stdout+stderr, secret) {
			t.Errorf("replay's output holds a secret")
		}
	}

	// A host that is not the partner API's is never contacted.
	code, _, _ = runApp(t, nil, "replay", caseFile, "--rules", rulesPath, "--url", "https://example.com/api/v2/propostas/pre-analise", "--out", "-")
	if code != exitInput {
		t.Errorf("a foreign host: exit %d, want 2", code)
	}
}

func TestAuthCheckClassifies(t *testing.T) {
	srv, _ := fakePartnerAPI(t)
	rulesPath := loopbackRules(t)
	// Point homologação's base URL at the fake server's port.
	y, _ := os.ReadFile(rulesPath)
	y = bytes.ReplaceAll(y, []byte("https://127.0.0.1/api/v2"), []byte(srv.URL+"/api/v2"))
	os.WriteFile(rulesPath, y, 0o600)
	env := map[string]string{"TRIAGEM_PASSWORD": "s3nh4", "TRIAGEM_API_KEY": "hml-alfa-4b9e2c7a1d83f605"}
	code, stdout, stderr := runApp(t, env, "auth", "check", "--env", "homologacao", "--user", "ninguem", "--rules", rulesPath)
	if code != exitFound || !strings.Contains(stdout, "usuário não cadastrado neste ambiente (user-not-found") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if strings.Contains(stdout+stderr, "s3nh4") || strings.Contains(stdout+stderr, "hml-alfa-4b9e2c7a1d83f605") {
		t.Errorf("a credential was printed")
	}
}

func TestHostEnv(t *testing.T) {
	rl, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	for raw, want := range map[string]string{
		"https://api-externo.crefazon.com.br/api/v2/propostas/pre-analise": "producao",
		"https://API.crefazon.com.br:443/api/Proposta":                     "producao",
		"https://api-externo-stag.crefazon.com.br/api/v2/x":                "homologacao",
		"https://example.com/api/v2/x":                                     "",
	} {
		if got, _ := hostEnv(rl, raw); got != want {
			t.Errorf("hostEnv(%s) = %q, want %q", raw, got, want)
		}
	}
}
