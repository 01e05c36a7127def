package live

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/rules"
)

// Credentials the fake partner API knows. The API key is per environment, as on the real API.
const (
	fakeUser     = "vendedor.teste"
	fakePassword = "S3nh@-Muito-Secreta"
	fakeKeyHml   = "KEY-HML-7f3a9c1e55b2"
	fakeKeyProd  = "KEY-PROD-0b8d42aa91c7"
)

// fakeAPI is an httptest server that behaves like the partner API's V1 and V2 as far as the
// replay needs, plus faults: slow answers, 503, a redirect to another host, a huge body.
type fakeAPI struct {
	t      *testing.T
	srv    *httptest.Server
	secret []byte
	apiKey string
	now    func() time.Time

	hits      atomic.Int64 // every request
	loginHits atomic.Int64
	hugeSize  int64  // bytes of GET /api/v2/propostas/enorme
	otherURL  string // where GET /api/v2/propostas/redirecionar points
}

func newFakeAPI(t *testing.T, apiKey string) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, secret: []byte("segredo-do-servidor-" + apiKey), apiKey: apiKey, now: time.Now, hugeSize: 12 << 20}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) hostPort() string { return strings.TrimPrefix(f.srv.URL, "http://") }
func (f *fakeAPI) port() string {
	u, _ := url.Parse(f.srv.URL)
	return u.Port()
}

// issue signs a token like the API's: HS256, valid 12 hours from iat.
func (f *fakeAPI) issue(user string, iat time.Time) string {
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub":   user,
		"login": user,
		"iat":   iat.Unix(),
		"exp":   iat.Add(12 * time.Hour).Unix(),
	})
	s, err := tok.SignedString(f.secret)
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func envelopeOf(ok bool, data any, errs ...string) map[string]any {
	var e any
	if len(errs) > 0 {
		e = errs
	}
	return map[string]any{"success": ok, "data": data, "errors": e}
}

// waitOrDone sleeps d, or less when the client goes away.
func waitOrDone(r *http.Request, d time.Duration) {
	select {
	case <-r.Context().Done():
	case <-time.After(d):
	}
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	f.hits.Add(1)
	path := strings.ToLower(r.URL.Path) // the server matches paths without case
	switch {
	case r.Method == http.MethodPost && path == "/api/v2/usuarios/login":
		var in struct {
			Usuario struct{ Login, Senha, APIKey string } `json:"usuario"`
		}
		_ = json.NewDecoder(r.Body).Decode(&in)
		f.login(w, r, 2, in.Usuario.Login, in.Usuario.Senha, in.Usuario.APIKey)
	case r.Method == http.MethodPost && path == "/api/usuario/login":
		var in struct{ Login, Senha, APIKey string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		f.login(w, r, 1, in.Login, in.Senha, in.APIKey)
	case r.Method == http.MethodPost && path == "/api/v2/propostas/pre-analise":
		if !f.authorized(w, r) {
			return
		}
		var in map[string]any
		if json.NewDecoder(r.Body).Decode(&in) != nil || !preAnaliseValid(in) {
			writeJSON(w, http.StatusBadRequest, envelopeOf(false, nil, "Proposta invalida."))
			return
		}
		writeJSON(w, http.StatusAccepted, envelopeOf(true, map[string]any{"processo": map[string]any{"id": "proc-8842"}}))
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/api/v2/propostas/processamento/"):
		if !f.authorized(w, r) {
			return
		}
		writeJSON(w, http.StatusOK, envelopeOf(true, map[string]any{"status": "concluido"}))
	case path == "/api/v2/propostas/lento":
		waitOrDone(r, 10*time.Second)
		writeJSON(w, http.StatusOK, envelopeOf(true, nil))
	case path == "/api/v2/propostas/indisponivel":
		w.Header().Set("Retry-After", "30")
		writeJSON(w, http.StatusServiceUnavailable, envelopeOf(false, nil, "Nao foi possivel realizar operacao."))
	case path == "/api/v2/propostas/redirecionar":
		http.Redirect(w, r, f.otherURL+"/api/v2/capturado?token=vazado", http.StatusFound)
	case path == "/api/v2/propostas/mesmo-host":
		http.Redirect(w, r, "/api/v2/propostas/processamento/proc-1", http.StatusFound)
	case path == "/api/v2/propostas/eco":
		// an answer carrying credentials: cookies, a key header, the token echoed
		http.SetCookie(w, &http.Cookie{Name: "sessao", Value: "cookie-secreto-123"})
		w.Header().Set("X-Api-Key", f.apiKey)
		writeJSON(w, http.StatusOK, envelopeOf(true, map[string]any{"recebido": r.Header.Get("Authorization")}))
	case path == "/api/v2/propostas/enorme":
		w.Header().Set("Content-Type", "application/octet-stream")
		w.WriteHeader(http.StatusOK)
		chunk := bytes.Repeat([]byte("0123456789abcdef"), 4096) // 64 KiB, written again and again
		for left := f.hugeSize; left > 0; {
			n := min(left, int64(len(chunk)))
			if _, err := w.Write(chunk[:n]); err != nil {
				return // the client stopped reading
			}
			left -= n
		}
	default:
		writeJSON(w, http.StatusNotFound, envelopeOf(false, nil, "Nenhum registro encontrado!"))
	}
}

func (f *fakeAPI) login(w http.ResponseWriter, r *http.Request, version int, user, pass, key string) {
	f.loginHits.Add(1)
	switch user {
	case "fora-do-ar":
		writeJSON(w, http.StatusServiceUnavailable, envelopeOf(false, nil, "Service Unavailable"))
		return
	case "demorado":
		waitOrDone(r, 10*time.Second)
		return
	case "sem-token":
		writeJSON(w, http.StatusOK, envelopeOf(true, nil))
		return
	}
	switch {
	case key != f.apiKey:
		writeJSON(w, http.StatusBadRequest, envelopeOf(false, nil, "Identificador unico invalido!"))
	case user != fakeUser:
		writeJSON(w, http.StatusBadRequest, envelopeOf(false, nil, "Usuario nao cadastrado"))
	case pass != fakePassword:
		writeJSON(w, http.StatusBadRequest, envelopeOf(false, nil, "Usuário ou senha incorretos"))
	default:
		now := f.now()
		tok := f.issue(user, now)
		exp := now.Add(12 * time.Hour).UTC().Format(time.RFC3339)
		if version == 1 {
			writeJSON(w, http.StatusOK, envelopeOf(true, map[string]any{"token": tok, "expires": exp}))
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"success": true, "errors": nil, "autenticacao": map[string]any{
			"usuarioId": 42, "login": user, "token": tok, "expira": exp, "nome": "Vendedor Teste"}})
	}
}

// authorized checks the Bearer token; it answers 401 itself when the token does not do.
func (f *fakeAPI) authorized(w http.ResponseWriter, r *http.Request) bool {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		writeJSON(w, http.StatusUnauthorized, envelopeOf(false, nil, "Token nao informado"))
		return false
	}
	_, err := jwt.Parse(raw, func(*jwt.Token) (any, error) { return f.secret, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(f.now))
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		writeJSON(w, http.StatusUnauthorized, envelopeOf(false, nil, "Token expirado"))
		return false
	case err != nil:
		writeJSON(w, http.StatusUnauthorized, envelopeOf(false, nil, "Token invalido"))
		return false
	}
	return true
}

func preAnaliseValid(in map[string]any) bool {
	get := func(path ...string) any {
		var v any = in
		for _, k := range path {
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		}
		return v
	}
	for _, p := range [][]string{{"cliente", "cpf"}, {"cliente", "nome"}, {"cliente", "nascimento"}, {"contato", "telefone"}} {
		if s, _ := get(p...).(string); s == "" {
			return false
		}
	}
	if _, ok := get("endereco", "cidadeId").(float64); !ok {
		return false
	}
	u, _ := get("operacao", "urlNotificacao").(string)
	pu, err := url.Parse(u)
	return err == nil && pu.IsAbs() && pu.Host != ""
}

// otherHost is a server that must never be reached.
type otherHost struct {
	srv  *httptest.Server
	hits atomic.Int64
}

func newOtherHost(t *testing.T) *otherHost {
	o := &otherHost{}
	o.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.hits.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(o.srv.Close)
	return o
}

// world is a homologação fake on 127.0.0.1, a production fake reached as localhost, another
// host that must stay untouched, and rules whose environments point at the fakes.
type world struct {
	hml, prod *fakeAPI
	other     *otherHost
	rules     *rules.Rules
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{hml: newFakeAPI(t, fakeKeyHml), prod: newFakeAPI(t, fakeKeyProd), other: newOtherHost(t)}
	w.hml.otherURL = w.other.srv.URL
	w.prod.otherURL = w.other.srv.URL
	y := rules.DefaultYAML()
	// base URLs first (they carry the port), then the bare host names
	y = bytes.ReplaceAll(y, []byte("https://api-externo-stag.crefazon.com.br"), []byte("http://127.0.0.1:"+w.hml.port()))
	y = bytes.ReplaceAll(y, []byte("api-externo-stag.crefazon.com.br"), []byte("127.0.0.1"))
	y = bytes.ReplaceAll(y, []byte("https://api-externo.crefazon.com.br"), []byte("http://localhost:"+w.prod.port()))
	y = bytes.ReplaceAll(y, []byte("api-externo.crefazon.com.br"), []byte("localhost"))
	r, err := rules.Load("test-rules.yaml", y)
	if err != nil {
		t.Fatalf("rules: %v", err)
	}
	w.rules = r
	return w
}

const goodPreAnalise = `{"cliente":{"cpf":"52998224725","nome":"Maria Teste","nascimento":"1990-05-10"},` +
	`"profissional":{"ocupacaoId":1},"contato":{"telefone":"11999990000"},"endereco":{"cidadeId":9668},` +
	`"operacao":{"urlNotificacao":"https://parceiro.example/webhook"}}`

// badPreAnalise carries the documentation's "null" webhook, as partners copy it.
const badPreAnalise = `{"cliente":{"cpf":"52998224725","nome":"Maria Teste","nascimento":"1990-05-10"},` +
	`"profissional":{"ocupacaoId":1},"contato":{"telefone":"11999990000"},"endereco":{"cidadeId":9668},` +
	`"operacao":{"urlNotificacao":"null"}}`

// newCase builds a case the way the case file would hold it.
func newCase(method, rawURL, token, body string) *diagnose.Case {
	c := &diagnose.Case{Ticket: "T-1", Environment: "homologacao", Request: diagnose.Request{
		Method:  method,
		URL:     rawURL,
		Headers: map[string]string{"Accept": "application/json"},
	}}
	if token != "" {
		c.Request.Headers["Authorization"] = "Bearer " + token
		c.Credentials.Token = token
	}
	if body != "" {
		c.Request.Body = diagnose.Body{Raw: []byte(body), Present: true}
	}
	c.Credentials.APIKey = fakeKeyHml
	c.Credentials.User = fakeUser
	return c
}

func TestFakeRulesPointAtFakes(t *testing.T) {
	w := newWorld(t)
	if e, ok := w.rules.EnvironmentOfHost("127.0.0.1"); !ok || e.ID != "homologacao" {
		t.Fatalf("127.0.0.1: %v %v", e, ok)
	}
	if e, ok := w.rules.EnvironmentOfHost("localhost"); !ok || e.ID != "producao" {
		t.Fatalf("localhost: %v %v", e, ok)
	}
	if e, _ := w.rules.Environment("homologacao"); e.BaseURL != w.hml.srv.URL+"/api/v2" {
		t.Fatalf("base URL %q", e.BaseURL)
	}
}
