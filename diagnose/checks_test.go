package diagnose_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/directory"
	"github.com/crefazon/triagem/rules"
)

// ---- fixtures shared by the chain's tests and benchmark -------------------------------------

func defaultRules(t testing.TB) *rules.Rules {
	t.Helper()
	r, err := rules.Default()
	if err != nil {
		t.Fatalf("default rules: %v", err)
	}
	return r
}

// Made-up API keys; the directory only ever sees their SHA-256.
const (
	keyHmlAlfa  = "hml-alfa-4b9e2c7a1d83f605"
	keyPrdAlfa  = "prd-alfa-93c1e0b7d2a4f851"
	keyHmlBeta  = "hml-beta-07d5f3a9c2e1b846"
	keyHmlGama  = "hml-gama-c8a2e6f01b9d7e34" // inactive
	keyPrdDelta = "prd-delta-5e1f9b3c7a0d2c68"
	keyUnknown  = "hml-alfa-4b9e2c7a1d83f60" // one character short: pasted incompletely

	stag = "https://api-externo-stag.crefazon.com.br"
	prod = "https://api-externo.crefazon.com.br"
)

// memDir is an in-memory directory: what a snapshot would answer, without a file.
type memDir struct {
	keys  []directory.Key
	users []directory.User
	err   error

	mu      sync.Mutex
	queries []directory.Query
}

func (d *memDir) Source() string { return "memory" }

func (d *memDir) Lookup(_ context.Context, q directory.Query) (directory.Result, error) {
	d.mu.Lock()
	d.queries = append(d.queries, q)
	d.mu.Unlock()
	if d.err != nil {
		return directory.Result{}, d.err
	}
	var res directory.Result
	for i := range d.keys {
		k := &d.keys[i]
		if q.KeySHA256 != "" && res.Key == nil && k.SHA256 == q.KeySHA256 {
			res.Key = k
		}
		if q.Partner != "" && k.Partner == q.Partner {
			res.PartnerKeys = append(res.PartnerKeys, *k)
		}
	}
	for i := range d.users {
		if q.Login != "" && d.users[i].Login == q.Login {
			res.User = &d.users[i]
			break
		}
	}
	return res, nil
}

func testDirectory() *memDir {
	key := func(raw, partner, env string, active bool, users ...string) directory.Key {
		return directory.Key{SHA256: diagnose.KeyFingerprint(raw), Partner: partner, Environment: env, Active: active, Users: users}
	}
	return &memDir{
		keys: []directory.Key{
			key(keyHmlAlfa, "Corban Alfa", "homologacao", true, "alfa.maria", "alfa.joao", "alfa.pedro"),
			key(keyPrdAlfa, "Corban Alfa", "producao", true, "alfa.maria"),
			key(keyHmlBeta, "Corban Beta", "homologacao", true, "beta.carlos"),
			key(keyHmlGama, "Corban Gama", "homologacao", false, "gama.ana"),
			key(keyPrdDelta, "Corban Delta", "producao", true, "delta.rui"),
		},
		users: []directory.User{
			{Login: "alfa.maria", Partner: "Corban Alfa", Active: true},
			{Login: "alfa.joao", Partner: "Corban Alfa", Active: true},
			{Login: "alfa.pedro", Partner: "Corban Alfa", Active: false},
			{Login: "beta.carlos", Partner: "Corban Beta", Active: true},
			{Login: "gama.ana", Partner: "Corban Gama", Active: true},
			{Login: "delta.rui", Partner: "Corban Delta", Active: true},
		},
	}
}

var testSecret = []byte("segredo-hmac-da-triagem-de-teste")

func signHS(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func signNone(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodNone, claims).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// tokenClaims are an API token's claims; a zero time leaves the claim out.
func tokenClaims(iat, exp time.Time) jwt.MapClaims {
	c := jwt.MapClaims{"iss": "crefazon-api-parceiro", "unique_name": "alfa.maria"}
	if !iat.IsZero() {
		c["iat"] = iat.Unix()
		c["nbf"] = iat.Unix()
	}
	if !exp.IsZero() {
		c["exp"] = exp.Unix()
	}
	return c
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	at, err := diagnose.ParseTime(s, defaultRules(t).Location())
	if err != nil {
		t.Fatal(err)
	}
	return at
}

const goodPayload = `{
  "cliente": {"cpf": "529.982.247-25", "nome": "Maria das Dores", "nascimento": "1985-03-12"},
  "profissional": {"ocupacaoId": 3},
  "contato": {"telefone": "(11) 98765-4321"},
  "endereco": {"cidadeId": 5270},
  "operacao": {"urlNotificacao": "https://parceiro.example.com.br/webhooks/crefazon"}
}`

type caseOpt func(*diagnose.Case)

// weekday is a plain Tuesday afternoon, inside business hours.
const weekday = "2026-11-17 14:05"

// newCase builds a case where nothing is wrong, sent at `at` with a token issued an hour
// before; opts then spoil what a test needs spoilt.
func newCase(t testing.TB, at string, opts ...caseOpt) *diagnose.Case {
	t.Helper()
	when := mustTime(t, at)
	c := &diagnose.Case{
		Ticket:  "SUP-T",
		Partner: "Corban Alfa",
		Error:   "Erro ao processar a proposta",
		Request: diagnose.Request{
			Method: "POST",
			URL:    stag + "/api/v2/propostas/pre-analise",
			At:     diagnose.Timestamp{Raw: at},
			Headers: map[string]string{
				"Authorization": "Bearer " + signHS(t, tokenClaims(when.Add(-time.Hour), when.Add(11*time.Hour))),
				"Content-Type":  "application/json",
			},
			Body: diagnose.Body{Raw: []byte(goodPayload), Present: true},
		},
		Response:    &diagnose.Response{Status: 400},
		Credentials: diagnose.Credentials{APIKey: keyHmlAlfa, User: "alfa.maria"},
		Source:      "test",
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

func withKey(k string) caseOpt  { return func(c *diagnose.Case) { c.Credentials.APIKey = k } }
func withUser(u string) caseOpt { return func(c *diagnose.Case) { c.Credentials.User = u } }
func withURL(u string) caseOpt  { return func(c *diagnose.Case) { c.Request.URL = u } }
func withMethod(m string) caseOpt {
	return func(c *diagnose.Case) { c.Request.Method = m }
}
func withError(e string) caseOpt { return func(c *diagnose.Case) { c.Error = e } }
func withStatus(s int) caseOpt {
	return func(c *diagnose.Case) { c.Response = &diagnose.Response{Status: s} }
}
func withResponseBody(s string) caseOpt {
	return func(c *diagnose.Case) { c.Response.Body = diagnose.Body{Raw: []byte(s), Present: true} }
}
func noResponse() caseOpt          { return func(c *diagnose.Case) { c.Response = nil } }
func withProduct(p string) caseOpt { return func(c *diagnose.Case) { c.Product = p } }
func withPartner(p string) caseOpt { return func(c *diagnose.Case) { c.Partner = p } }
func withEnv(e string) caseOpt     { return func(c *diagnose.Case) { c.Environment = e } }
func withIssuedAt(s string) caseOpt {
	return func(c *diagnose.Case) { c.Credentials.TokenIssuedAt = diagnose.Timestamp{Raw: s} }
}
func withPayload(p string) caseOpt {
	return func(c *diagnose.Case) { c.Request.Body = diagnose.Body{Raw: []byte(p), Present: true} }
}
func noPayload() caseOpt { return func(c *diagnose.Case) { c.Request.Body = diagnose.Body{} } }
func withAuth(v string) caseOpt {
	return func(c *diagnose.Case) { c.Request.Headers["Authorization"] = v }
}
func withToken(tok string) caseOpt { return withAuth("Bearer " + tok) }
func noToken() caseOpt {
	return func(c *diagnose.Case) { delete(c.Request.Headers, "Authorization"); c.Credentials.Token = "" }
}
func noTime() caseOpt { return func(c *diagnose.Case) { c.Request.At = diagnose.Timestamp{} } }

// payloadWith edits the good payload: set maps "a.b" to a JSON value; "a.b": nil removes it.
func payloadWith(t testing.TB, set map[string]any) string {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(goodPayload), &doc); err != nil {
		t.Fatal(err)
	}
	for path, v := range set {
		parts := strings.Split(path, ".")
		m := doc
		for _, p := range parts[:len(parts)-1] {
			m = m[p].(map[string]any)
		}
		if v == nil {
			delete(m, parts[len(parts)-1])
		} else {
			m[parts[len(parts)-1]] = v
		}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func newChain(t testing.TB, dir directory.Directory, lang diagnose.Lang) *diagnose.Chain {
	return &diagnose.Chain{Rules: defaultRules(t), Dir: dir, Lang: lang}
}

func diagnoseWith(t testing.TB, ch *diagnose.Chain, c *diagnose.Case) *diagnose.Verdict {
	t.Helper()
	v, err := ch.Diagnose(context.Background(), c)
	if err != nil {
		t.Fatalf("Diagnose: %v", err)
	}
	return v
}

func result(t testing.TB, v *diagnose.Verdict, id string) diagnose.Result {
	t.Helper()
	for _, r := range v.Checks {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no check %q in the verdict", id)
	return diagnose.Result{}
}

// contractCategories is the contract's table, written out independently of the code's.
var contractCategories = map[string]struct{ section, action string }{
	"api-key-missing":     {"3.8", "redirect-commercial"},
	"api-key-invalid":     {"3.2", "reply"},
	"user-blocked":        {"3.6, 3.9", "reply"},
	"user-key-mismatch":   {"3.7", "reply"},
	"token-expired":       {"3.3", "reply"},
	"token-invalid":       {"3.3", "reply"},
	"product-not-on-api":  {"3.5", "redirect-crefazon-ui"},
	"product-version":     {"3.5", "reply"},
	"request-syntax":      {"3.9", "reply"},
	"off-hours-routine":   {"3.4", "reprocess"},
	"evidence-incomplete": {"5, 6", "request-evidence"},
	"no-apparent-cause":   {"3.6, 3.9", "escalate"},
}

// want is what an analyst reads off a verdict.
type want struct {
	category string
	escalate bool
	missing  []string                   // nil: not checked; use []string{} for "none"
	status   map[string]diagnose.Status // check id -> status
	says     map[string][]string        // check id -> substrings of its message
	never    []string                   // text that must appear nowhere in the verdict's JSON
}

func assertVerdict(t testing.TB, v *diagnose.Verdict, w want) {
	t.Helper()
	if v.Category != w.category {
		var fails []string
		for _, r := range v.Checks {
			if r.Status == diagnose.Fail {
				fails = append(fails, r.ID+": "+r.Message)
			}
		}
		t.Errorf("category = %s, want %s (failing checks: %q)", v.Category, w.category, fails)
	}
	ci := contractCategories[v.Category]
	if v.Section != ci.section || v.Action != ci.action {
		t.Errorf("%s: section %q action %q, want %q %q", v.Category, v.Section, v.Action, ci.section, ci.action)
	}
	wantExit := 1
	if w.category == "no-apparent-cause" {
		wantExit = 0
	}
	if v.ExitCode() != wantExit {
		t.Errorf("exit code = %d, want %d", v.ExitCode(), wantExit)
	}
	if v.Escalate != w.escalate {
		t.Errorf("escalate = %v, want %v (prior analysis %s)", v.Escalate, w.escalate, v.PriorAnalysis)
	}
	if w.missing != nil && !slices.Equal(v.MissingEvidence, w.missing) {
		t.Errorf("missing_evidence = %q, want %q", v.MissingEvidence, w.missing)
	}
	for id, st := range w.status {
		if r := result(t, v, id); r.Status != st {
			t.Errorf("%s = %s (%s), want %s", id, r.Status, r.Message, st)
		}
	}
	for id, subs := range w.says {
		r := result(t, v, id)
		for _, s := range subs {
			if !strings.Contains(r.Message, s) {
				t.Errorf("%s says %q, want it to mention %q", id, r.Message, s)
			}
		}
	}
	if len(w.never) > 0 {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range w.never {
			if strings.Contains(string(b), s) {
				t.Errorf("the verdict carries %q", s)
			}
		}
	}
	if v.Reply == "" || strings.HasPrefix(v.Reply, "(") {
		t.Errorf("reply = %q, want a text for the partner", v.Reply)
	}
}

type st = map[string]diagnose.Status

const (
	pass = diagnose.Pass
	fail = diagnose.Fail
	warn = diagnose.Warn
	skip = diagnose.Skip
)

// ---- the categories, one by one, and their precedence ---------------------------------------

func TestChainCategories(t *testing.T) {
	tests := []struct {
		name  string
		opts  []caseOpt
		noDir bool
		want  want
	}{
		{"nothing wrong", nil, false, want{
			category: "no-apparent-cause", escalate: true, missing: []string{},
			status: st{"request.endpoint": pass, "key.partner": skip, "key.exists": pass, "key.active": pass, "key.environment": pass,
				"user.active": pass, "user.key-binding": pass, "token.format": pass, "token.lifetime": pass, "token.expiry": pass,
				"token.signature": skip, "product.api": skip, "product.version": skip, "payload.syntax": pass,
				"hours.business": pass, "hours.routine": pass, "evidence.complete": pass},
			never: []string{keyHmlAlfa, "eyJ", "529.982.247-25"},
		}},
		{"api-key-missing: a partner with only a production key calls homologation",
			[]caseOpt{withKey(""), withUser("delta.rui"), withPartner("")}, false, want{
				category: "api-key-missing", missing: []string{"api_key"},
				status: st{"key.partner": fail, "key.exists": skip, "user.active": pass},
				says:   st2says("key.partner", "Corban Delta", "homologacao", "producao"),
			}},
		{"api-key-missing: the partner is named by the case only",
			[]caseOpt{withKey(""), withUser(""), withPartner("Corban Delta")}, false, want{
				category: "api-key-missing", missing: []string{"api_key", "user"},
				status: st{"key.partner": fail},
			}},
		{"no key in the case, but the partner has one: ask for it",
			[]caseOpt{withKey("")}, false, want{
				category: "evidence-incomplete", missing: []string{"api_key"},
				status: st{"key.partner": pass, "evidence.complete": fail},
			}},
		{"api-key-invalid: unknown key", []caseOpt{withKey(keyUnknown)}, false, want{
			category: "api-key-invalid",
			status:   st{"key.exists": fail, "key.active": skip, "key.environment": skip, "user.key-binding": skip},
			says:     st2says("key.exists", diagnose.KeyFingerprint(keyUnknown)[:12]),
			never:    []string{keyUnknown},
		}},
		{"api-key-invalid: inactive key", []caseOpt{withKey(keyHmlGama), withUser("gama.ana"), withPartner("Corban Gama")}, false, want{
			category: "api-key-invalid",
			status:   st{"key.exists": pass, "key.active": fail, "key.environment": pass},
			says:     st2says("key.active", "Corban Gama"),
		}},
		{"api-key-invalid: production key on the homologation host", []caseOpt{withKey(keyPrdAlfa)}, false, want{
			category: "api-key-invalid",
			status:   st{"key.exists": pass, "key.active": pass, "key.environment": fail, "user.key-binding": pass},
			says:     st2says("key.environment", "producao", "homologacao"),
		}},
		{"api-key-invalid: homologation key on the production host, even if the case says homologacao",
			[]caseOpt{withURL(prod + "/api/v2/propostas/pre-analise"), withEnv("homologacao")}, false, want{
				category: "api-key-invalid",
				status:   st{"key.environment": fail, "request.endpoint": warn},
			}},
		{"user-blocked: inactive user", []caseOpt{withUser("alfa.pedro")}, false, want{
			category: "user-blocked",
			status:   st{"user.active": fail, "user.key-binding": pass},
			says:     st2says("user.active", "alfa.pedro"),
		}},
		{"user-blocked: unknown user", []caseOpt{withUser("alfa.ninguem")}, false, want{
			category: "user-blocked",
			status:   st{"user.active": fail, "user.key-binding": fail},
		}},
		{"user-key-mismatch: a corban seller with another partner's key", []caseOpt{withUser("beta.carlos"), withPartner("Corban Beta")}, false, want{
			category: "user-key-mismatch",
			status:   st{"user.active": pass, "user.key-binding": fail, "key.exists": pass},
			says:     st2says("user.key-binding", "beta.carlos", "Corban Beta", "Corban Alfa"),
		}},
		{"user-key-mismatch: same partner, user not bound to the key",
			[]caseOpt{withUser("alfa.joao"), withKey(keyPrdAlfa), withURL(prod + "/api/v2/propostas/pre-analise")}, false, want{
				category: "user-key-mismatch",
				status:   st{"key.environment": pass, "user.key-binding": fail},
				says:     st2says("user.key-binding", "alfa.joao"),
			}},
		{"product-not-on-api: Luz em Dia", []caseOpt{withProduct("Luz em Dia")}, false, want{
			category: "product-not-on-api",
			status:   st{"product.api": fail, "product.version": skip},
			says:     st2says("product.api", "Luz em Dia"),
		}},
		{"product-version: Consignado on a V1 route",
			[]caseOpt{withProduct("consignado"), withURL("https://app2-crefaz-api-external-stag.azurewebsites.net/api/Proposta"), withPayload(`{"produtoId": 4}`)}, false, want{
				category: "product-version",
				status:   st{"product.api": pass, "product.version": fail, "payload.syntax": pass},
				says:     st2says("product.version", "V2", "V1", "/api/Proposta"),
			}},
		{"product-version: produto.id 4 on a V1 route",
			[]caseOpt{withURL("https://api.crefazon.com.br/api/Proposta/calculo-vencimento"), withKey(keyPrdAlfa), withPayload(`{"produto": {"id": 4}}`)}, false, want{
				category: "product-version",
				status:   st{"product.version": fail},
			}},
		{"consignado on V2 is fine",
			[]caseOpt{withURL(stag + "/api/v2/propostas/123/autorizacao-consulta"), withPayload(`{"contato": {"telefone": "(11) 98765-4321"}, "operacao": {"urlNotificacao": "https://parceiro.example.com.br/wh"}}`)}, false, want{
				category: "no-apparent-cause", escalate: true,
				status: st{"product.api": pass, "product.version": pass, "payload.syntax": pass},
				says:   st2says("product.api", "Consignado", "route"),
			}},
		{"evidence-incomplete: the partner sent almost nothing",
			[]caseOpt{withKey(""), withUser(""), withPartner(""), noToken(), noPayload(), noTime(), withError(""), noResponse()}, false, want{
				category: "evidence-incomplete", missing: []string{"api_key", "user", "payload", "timestamp", "error_message"},
				status: st{"evidence.complete": fail, "payload.syntax": skip, "token.format": skip, "token.expiry": skip, "hours.routine": skip},
				says:   st2says("evidence.complete", "api_key", "payload", "timestamp"),
			}},
		{"evidence-incomplete: no URL",
			[]caseOpt{withURL("")}, false, want{
				category: "evidence-incomplete", missing: []string{"environment", "endpoint"},
				status: st{"request.endpoint": skip, "key.environment": skip},
			}},
		{"error_message from the response's errors counts", []caseOpt{withError(""), withResponseBody(`{"success": false, "data": null, "errors": ["Proposta invalida."]}`)}, false, want{
			category: "no-apparent-cause", escalate: true, missing: []string{},
			status: st{"error.known": warn},
			says:   st2says("error.known", "Proposta invalida."),
		}},
		{"no error at all is missing evidence", []caseOpt{withError(""), withResponseBody(`{"success": false, "data": null, "errors": null}`)}, false, want{
			category: "evidence-incomplete", missing: []string{"error_message"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var dir directory.Directory
			if !tc.noDir {
				dir = testDirectory()
			}
			v := diagnoseWith(t, newChain(t, dir, "en"), newCase(t, weekday, tc.opts...))
			assertVerdict(t, v, tc.want)
		})
	}
}

// st2says builds the says map for one check.
func st2says(id string, subs ...string) map[string][]string { return map[string][]string{id: subs} }

func TestChainPrecedence(t *testing.T) {
	expired := func(t testing.TB) caseOpt {
		at := mustTime(t, weekday)
		return withToken(signHS(t, tokenClaims(at.Add(-13*time.Hour), at.Add(-time.Hour))))
	}
	badPayload := func(t testing.TB) caseOpt {
		return withPayload(payloadWith(t, map[string]any{"cliente.cpf": "529.982.247-26"}))
	}
	tests := []struct {
		name  string
		at    string
		opts  func(t testing.TB) []caseOpt
		want  string
		fails []string // every one of these must fail, whatever the category
	}{
		{"expired token and bad payload", weekday,
			func(t testing.TB) []caseOpt { return []caseOpt{expired(t), badPayload(t)} },
			"token-expired", []string{"token.expiry", "payload.syntax"}},
		{"blocked user and a key of the other environment", weekday,
			func(t testing.TB) []caseOpt { return []caseOpt{withUser("alfa.pedro"), withKey(keyPrdAlfa)} },
			"api-key-invalid", []string{"key.environment", "user.active"}},
		{"no key in the case and a blocked user whose partner has a key", weekday,
			func(t testing.TB) []caseOpt {
				return []caseOpt{withKey(""), withPartner("Corban Gama"), withUser("alfa.pedro")}
			},
			"user-blocked", []string{"user.active", "evidence.complete"}},
		{"user blocked and not bound to the key", weekday,
			func(t testing.TB) []caseOpt { return []caseOpt{withUser("alfa.ninguem")} },
			"user-blocked", []string{"user.active", "user.key-binding"}},
		{"user-key mismatch and an expired token", weekday,
			func(t testing.TB) []caseOpt { return []caseOpt{withUser("beta.carlos"), expired(t)} },
			"user-key-mismatch", []string{"user.key-binding", "token.expiry"}},
		{"expired alg-none token", weekday,
			func(t testing.TB) []caseOpt {
				at := mustTime(t, weekday)
				return []caseOpt{withToken(signNone(t, tokenClaims(at.Add(-13*time.Hour), at.Add(-time.Hour))))}
			},
			"token-expired", []string{"token.expiry", "token.format"}},
		{"alg none and Luz em Dia", weekday,
			func(t testing.TB) []caseOpt {
				at := mustTime(t, weekday)
				return []caseOpt{withToken(signNone(t, tokenClaims(at.Add(-time.Hour), at.Add(11*time.Hour)))), withProduct("luz em dia")}
			},
			"token-invalid", []string{"token.format", "product.api"}},
		{"Luz em Dia on a holiday with a 503", "2026-11-20 10:00",
			func(t testing.TB) []caseOpt { return []caseOpt{withProduct("Luz em Dia"), withStatus(503)} },
			"product-not-on-api", []string{"product.api", "hours.routine"}},
		{"Consignado on V1 with a bad payload", weekday,
			func(t testing.TB) []caseOpt {
				return []caseOpt{withProduct("consignado"), withURL("https://app2-crefaz-api-external-stag.azurewebsites.net/api/Usuario/login"), withPayload(`{"login": "alfa.maria"}`)}
			},
			"product-version", []string{"product.version", "payload.syntax"}},
		{"bad payload at night during the routines", "2026-11-17 23:30",
			func(t testing.TB) []caseOpt { return []caseOpt{badPayload(t), withStatus(503)} },
			"request-syntax", []string{"payload.syntax", "hours.routine"}},
		{"off-hours routine and a missing payload", "2026-11-21 23:30",
			func(t testing.TB) []caseOpt { return []caseOpt{noPayload(), withStatus(503)} },
			"off-hours-routine", []string{"hours.routine", "evidence.complete"}},
		{"missing evidence only", weekday,
			func(t testing.TB) []caseOpt { return []caseOpt{withError(""), noTime()} },
			"evidence-incomplete", []string{"evidence.complete"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := diagnoseWith(t, newChain(t, testDirectory(), "en"), newCase(t, tc.at, tc.opts(t)...))
			assertVerdict(t, v, want{category: tc.want})
			for _, id := range tc.fails {
				if r := result(t, v, id); r.Status != fail {
					t.Errorf("%s = %s (%s), want fail: every finding is reported, not only the winner", id, r.Status, r.Message)
				}
			}
		})
	}
}

func TestDecideFollowsContractOrder(t *testing.T) {
	// One failing check per category: any pair must be decided by the contract's order.
	order := []string{"api-key-missing", "api-key-invalid", "user-blocked", "user-key-mismatch", "token-expired",
		"token-invalid", "product-not-on-api", "product-version", "request-syntax", "off-hours-routine", "evidence-incomplete"}
	if !slices.Equal(rules.Categories, append(slices.Clone(order), "no-apparent-cause")) {
		t.Fatalf("rules.Categories = %q, not the contract's order", rules.Categories)
	}
	idOf := map[string]int{}
	for i, c := range diagnose.Checks {
		if c.Category != "" {
			if _, ok := idOf[c.Category]; !ok {
				idOf[c.Category] = i
			}
		}
	}
	for _, cat := range order {
		if _, ok := idOf[cat]; !ok {
			t.Fatalf("no check leads to %s", cat)
		}
	}
	for i, hi := range order {
		for _, lo := range order[i+1:] {
			results := make([]diagnose.Result, len(diagnose.Checks))
			for k, c := range diagnose.Checks {
				results[k] = diagnose.Result{ID: c.ID, Status: pass}
			}
			results[idOf[hi]].Status = fail
			results[idOf[lo]].Status = fail
			if got := diagnose.Decide(results); got != hi {
				t.Errorf("%s and %s fail: Decide = %s, want %s", hi, lo, got, hi)
			}
		}
	}
	// Warnings and skips never make a category.
	results := make([]diagnose.Result, len(diagnose.Checks))
	for k, c := range diagnose.Checks {
		results[k] = diagnose.Result{ID: c.ID, Status: warn}
		if k%2 == 0 {
			results[k].Status = skip
		}
	}
	if got := diagnose.Decide(results); got != "no-apparent-cause" {
		t.Errorf("only warnings and skips: Decide = %s", got)
	}
}

func TestChainWithoutDirectory(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []caseOpt
		want string
	}{
		{"nothing wrong", nil, "no-apparent-cause"},
		{"a key of the other environment goes unnoticed", []caseOpt{withKey(keyPrdAlfa)}, "no-apparent-cause"},
		{"no key: cannot tell api-key-missing", []caseOpt{withKey(""), withUser("delta.rui")}, "evidence-incomplete"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := diagnoseWith(t, newChain(t, nil, "en"), newCase(t, weekday, tc.opts...))
			assertVerdict(t, v, want{category: tc.want, escalate: false})
			if v.PriorAnalysis != "incomplete" {
				t.Errorf("prior_analysis = %q, want incomplete", v.PriorAnalysis)
			}
			for _, id := range []string{"key.partner", "key.exists", "key.active", "key.environment", "user.active", "user.key-binding"} {
				r := result(t, v, id)
				if r.Status != skip {
					t.Errorf("%s = %s (%s) without a directory, want skip", id, r.Status, r.Message)
				}
			}
			said := false
			for _, id := range []string{"key.partner", "key.exists", "user.active"} {
				said = said || strings.Contains(result(t, v, id).Message, "directory")
			}
			if !said {
				t.Errorf("no key or user check says the directory is missing: %+v", v.Checks[1:7])
			}
			if tc.want == "no-apparent-cause" && strings.Contains(v.Reply, "engineering team") {
				t.Errorf("reply promises an escalation that will not happen: %q", v.Reply)
			}
		})
	}
	// With a directory, the same case escalates.
	v := diagnoseWith(t, newChain(t, testDirectory(), "en"), newCase(t, weekday))
	if !v.Escalate || v.PriorAnalysis != "complete" || !strings.Contains(v.Reply, "engineering team") {
		t.Errorf("with a directory: escalate %v, prior %q, reply %q", v.Escalate, v.PriorAnalysis, v.Reply)
	}
}

func TestChainNoEscalationWhenUserCheckDidNotRun(t *testing.T) {
	// A directory, but no user in the case: evidence is missing, and nothing escalates.
	v := diagnoseWith(t, newChain(t, testDirectory(), "en"), newCase(t, weekday, withUser("")))
	assertVerdict(t, v, want{category: "evidence-incomplete", missing: []string{"user"}, status: st{"user.active": skip}})
	if v.PriorAnalysis != "incomplete" {
		t.Errorf("prior_analysis = %q, want incomplete: user.active did not run", v.PriorAnalysis)
	}
}

func TestChainDirectoryFailure(t *testing.T) {
	dir := testDirectory()
	dir.err = errors.New("directory service: connection refused")
	_, err := newChain(t, dir, "en").Diagnose(context.Background(), newCase(t, weekday))
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("err = %v, want the directory's error", err)
	}
	var ie *diagnose.InputError
	if errors.As(err, &ie) {
		t.Errorf("a directory failure is reported as an input error (exit 2), want a dependency failure: %v", err)
	}
}

func TestChainAsksTheDirectoryByFingerprint(t *testing.T) {
	dir := testDirectory()
	diagnoseWith(t, newChain(t, dir, "en"), newCase(t, weekday))
	for _, q := range dir.queries {
		if strings.Contains(fmt.Sprint(q), keyHmlAlfa) {
			t.Errorf("the directory was asked with the raw key: %+v", q)
		}
	}
	if len(dir.queries) == 0 || dir.queries[0].KeySHA256 != diagnose.KeyFingerprint(keyHmlAlfa) || dir.queries[0].Login != "alfa.maria" {
		t.Errorf("queries = %+v", dir.queries)
	}
}

// ---- payload --------------------------------------------------------------------------------

var fieldPathRE = regexp.MustCompile(`\b[a-z]+\.[a-zA-Z]+\b`)

func TestChainPayload(t *testing.T) {
	tests := []struct {
		name    string
		opts    func(t testing.TB) []caseOpt
		want    want
		secrets []string // values that must not appear in the verdict (LGPD)
	}{
		{"CPF with wrong check digits",
			func(t testing.TB) []caseOpt {
				return []caseOpt{withPayload(payloadWith(t, map[string]any{"cliente.cpf": "529.982.247-26"}))}
			},
			want{category: "request-syntax", status: st{"payload.syntax": fail}, says: st2says("payload.syntax", "cliente.cpf", "CPF")},
			[]string{"529.982.247-26", "52998224726"}},
		{"CPF with the right digits in an unusual shape: 529982247-25",
			func(t testing.TB) []caseOpt {
				return []caseOpt{withPayload(payloadWith(t, map[string]any{"cliente.cpf": "529982247-25"}))}
			},
			want{category: "request-syntax", status: st{"payload.syntax": fail},
				says: st2says("payload.syntax", "cliente.cpf holds a valid CPF's digits in an unusual shape")},
			[]string{"529982247-25", "52998224725", "check digits"}},
		{"CPF with the right digits in blocks: 529 982 247 25",
			func(t testing.TB) []caseOpt {
				return []caseOpt{withPayload(payloadWith(t, map[string]any{"cliente.cpf": "529 982 247 25"}))}
			},
			want{category: "request-syntax", says: st2says("payload.syntax", "unusual shape", "11 digits alone")},
			[]string{"529 982 247 25", "check digits"}},
		{"CPF with ten digits",
			func(t testing.TB) []caseOpt {
				return []caseOpt{withPayload(payloadWith(t, map[string]any{"cliente.cpf": "529.982.247-2"}))}
			},
			want{category: "request-syntax", says: st2says("payload.syntax", "does not have a CPF's 11 digits")},
			[]string{"529.982.247-2"}},
		{"CPF digits only, wrong",
			func(t testing.TB) []caseOpt {
				return []caseOpt{withPayload(payloadWith(t, map[string]any{"cliente.cpf": "12345678900"}))}
			},
			want{category: "request-syntax", says: st2says("payload.syntax", "cliente.cpf")},
			[]string{"12345678900"}},
		{"urlNotificacao copied from the docs as \"null\"",
			func(t testing.TB) []caseOpt {
				return []caseOpt{withPayload(payloadWith(t, map[string]any{"operacao.urlNotificacao": "null"}))}
			},
			want{category: "request-syntax", says: st2says("payload.syntax", "operacao.urlNotificacao holds the text null instead of a URL")}, nil},
		{"urlNotificacao on localhost",
			func(t testing.TB) []caseOpt {
				return []caseOpt{withPayload(payloadWith(t, map[string]any{"operacao.urlNotificacao": "http://localhost:8080/webhook"}))}
			},
			want{category: "request-syntax", says: st2says("payload.syntax", "operacao.urlNotificacao points to the machine itself (localhost)")},
			[]string{"localhost:8080"}},
		{"urlNotificacao on a private address",
			func(t testing.TB) []caseOpt {
				return []caseOpt{withPayload(payloadWith(t, map[string]any{"operacao.urlNotificacao": "https://192.168.0.10/wh"}))}
			},
			want{category: "request-syntax", says: st2says("payload.syntax", "operacao.urlNotificacao points to a private network address")},
			[]string{"192.168.0.10"}},
		{"urlNotificacao on a single-label host",
			func(t testing.TB) []caseOpt {
				return []caseOpt{withPayload(payloadWith(t, map[string]any{"operacao.urlNotificacao": "http://webhook-srv/crefazon"}))}
			},
			want{category: "request-syntax", says: st2says("payload.syntax", "host name without a domain")},
			[]string{"webhook-srv"}},
		{"urlNotificacao on a public host and port",
			func(t testing.TB) []caseOpt {
				return []caseOpt{withPayload(payloadWith(t, map[string]any{"operacao.urlNotificacao": "https://hooks.parceiro.com.br:8443/crefazon?x=1"}))}
			},
			want{category: "no-apparent-cause", escalate: true, status: st{"payload.syntax": pass}}, nil},
		{"cidadeId as text",
			func(t testing.TB) []caseOpt {
				return []caseOpt{withPayload(payloadWith(t, map[string]any{"endereco.cidadeId": "5270"}))}
			},
			want{category: "request-syntax", says: st2says("payload.syntax", "endereco.cidadeId", "integer", "string")}, nil},
		{"missing cliente.nome",
			func(t testing.TB) []caseOpt {
				return []caseOpt{withPayload(payloadWith(t, map[string]any{"cliente.nome": nil}))}
			},
			want{category: "request-syntax", says: st2says("payload.syntax", "missing required field cliente.nome")},
			[]string{"529.982.247-25"}},
		{"all four at once, every one reported",
			func(t testing.TB) []caseOpt {
				return []caseOpt{withPayload(payloadWith(t, map[string]any{
					"cliente.cpf": "529.982.247-26", "operacao.urlNotificacao": "null", "endereco.cidadeId": "5270", "cliente.nome": nil}))}
			},
			want{category: "request-syntax", says: st2says("payload.syntax", "cliente.cpf", "cliente.nome", "endereco.cidadeId", "operacao.urlNotificacao")},
			[]string{"529.982.247-26"}},
		{"a phone in the wrong shape is named, not repeated",
			func(t testing.TB) []caseOpt {
				return []caseOpt{withPayload(payloadWith(t, map[string]any{"contato.telefone": "ligar p/ 11 9 8765-4321"}))}
			},
			want{category: "request-syntax", says: st2says("payload.syntax", "contato.telefone")},
			[]string{"8765-4321"}},
		{"invalid JSON text",
			func(t testing.TB) []caseOpt {
				return []caseOpt{withPayload("{\n  \"cliente\": {\n    \"nome\": \"Maria\",\n  }\n}")}
			},
			want{category: "request-syntax", says: st2says("payload.syntax", "not valid JSON", "line 4, column 3")}, nil},
		{"JSON cut short",
			func(t testing.TB) []caseOpt { return []caseOpt{withPayload(`{"cliente": {"nome": "Maria"`)} },
			want{category: "request-syntax", status: st{"payload.syntax": fail}}, nil},
		{"form-encoded instead of JSON",
			func(t testing.TB) []caseOpt { return []caseOpt{withPayload("cpf=52998224725&nome=Maria")} },
			want{category: "request-syntax", says: st2says("payload.syntax", "line 1")}, []string{"52998224725"}},
		{"absent payload on POST is missing evidence, not a syntax error",
			func(t testing.TB) []caseOpt { return []caseOpt{noPayload()} },
			want{category: "evidence-incomplete", missing: []string{"payload"}, status: st{"payload.syntax": skip, "evidence.complete": fail}}, nil},
		{"absent payload on PUT",
			func(t testing.TB) []caseOpt {
				return []caseOpt{noPayload(), withMethod("PUT"), withURL(stag + "/api/v2/propostas/123/proposta-credito")}
			},
			want{category: "evidence-incomplete", missing: []string{"payload"}, status: st{"payload.syntax": skip}}, nil},
		{"GET without payload: nothing missing",
			func(t testing.TB) []caseOpt {
				return []caseOpt{noPayload(), withMethod("GET"), withURL(stag + "/api/v2/propostas/123/produtos-ofertados")}
			},
			want{category: "no-apparent-cause", escalate: true, missing: []string{}, status: st{"payload.syntax": skip, "request.endpoint": pass}}, nil},
		{"a route without a schema accepts any JSON",
			func(t testing.TB) []caseOpt {
				return []caseOpt{withMethod("PUT"), withURL(stag + "/api/v2/propostas/123/cancelamento"), withPayload(`{"motivo": 1}`)}
			},
			want{category: "no-apparent-cause", escalate: true, status: st{"payload.syntax": pass}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.want.never = append(tc.want.never, tc.secrets...)
			for _, lang := range []diagnose.Lang{"en", "pt-BR"} {
				v := diagnoseWith(t, newChain(t, testDirectory(), lang), newCase(t, weekday, tc.opts(t)...))
				if lang == "en" {
					assertVerdict(t, v, tc.want)
				} else {
					assertVerdict(t, v, want{category: tc.want.category, escalate: tc.want.escalate, never: tc.want.never})
				}
				if tc.want.category == "request-syntax" {
					// The reply names every field the check found wrong, in its own words:
					// never the check's message, nor the JSON library's text.
					msg := result(t, v, "payload.syntax").Message
					if strings.Contains(v.Reply, msg) {
						t.Errorf("%s reply pastes the check's message %q:\n%s", lang, msg, v.Reply)
					}
					for _, field := range fieldPathRE.FindAllString(msg, -1) {
						if !strings.Contains(v.Reply, field) {
							t.Errorf("%s reply does not name %s:\n%s", lang, field, v.Reply)
						}
					}
					for _, lib := range []string{"invalid character", "unexpected end", "looking for"} {
						if strings.Contains(v.Reply, lib) {
							t.Errorf("%s reply carries the JSON library's text %q:\n%s", lang, lib, v.Reply)
						}
					}
				}
			}
		})
	}
}

func TestChainPayloadWithoutMethod(t *testing.T) {
	v := diagnoseWith(t, newChain(t, testDirectory(), "en"),
		newCase(t, weekday, withMethod(""), withURL(stag+"/api/v2/propostas/123/dados-bancarios"), withPayload(`{"conta": "123"}`)))
	assertVerdict(t, v, want{category: "request-syntax", status: st{"request.endpoint": pass, "payload.syntax": fail},
		says: st2says("payload.syntax", "bancario")})
}

// ---- language -------------------------------------------------------------------------------

func jsonKeys(prefix string, v any, into map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			into[prefix+"."+k] = true
			jsonKeys(prefix+"."+k, e, into)
		}
	case []any:
		for _, e := range x {
			jsonKeys(prefix+"[]", e, into)
		}
	}
}

func TestChainLanguage(t *testing.T) {
	cases := map[string]func(t testing.TB) *diagnose.Case{
		"token-expired": func(t testing.TB) *diagnose.Case {
			at := mustTime(t, weekday)
			return newCase(t, weekday, withToken(signHS(t, tokenClaims(at.Add(-13*time.Hour), at.Add(-time.Hour)))))
		},
		"off-hours-routine": func(t testing.TB) *diagnose.Case { return newCase(t, "2026-11-20 10:00", withStatus(503)) },
		"evidence-incomplete": func(t testing.TB) *diagnose.Case {
			return newCase(t, weekday, noPayload(), withKey(""))
		},
		"request-syntax": func(t testing.TB) *diagnose.Case {
			return newCase(t, weekday, withPayload(payloadWith(t, map[string]any{"cliente.nome": nil})))
		},
		"no-apparent-cause": func(t testing.TB) *diagnose.Case { return newCase(t, weekday) },
	}
	for name, build := range cases {
		t.Run(name, func(t *testing.T) {
			en := diagnoseWith(t, newChain(t, testDirectory(), "en"), build(t))
			pt := diagnoseWith(t, newChain(t, testDirectory(), "pt-BR"), build(t))
			def := diagnoseWith(t, newChain(t, testDirectory(), ""), build(t))
			if en.Category != name || pt.Category != name {
				t.Fatalf("category en %s, pt-BR %s, want %s", en.Category, pt.Category, name)
			}
			if en.Section != pt.Section || en.Action != pt.Action || en.Escalate != pt.Escalate || !slices.Equal(en.MissingEvidence, pt.MissingEvidence) {
				t.Errorf("the language changed section/action/escalate/missing: %+v vs %+v", en, pt)
			}
			if en.Lang != "en" || pt.Lang != "pt-BR" || def.Lang != "pt-BR" {
				t.Errorf("lang = %q, %q, default %q", en.Lang, pt.Lang, def.Lang)
			}
			if def.Reply != pt.Reply {
				t.Errorf("the default language is not pt-BR: %q", def.Reply)
			}
			if en.Reply == pt.Reply {
				t.Errorf("the reply is the same in both languages: %q", en.Reply)
			}
			if !strings.Contains(en.Reply, "Hello") || !strings.Contains(pt.Reply, "Olá") {
				t.Errorf("replies: en %q, pt-BR %q", en.Reply, pt.Reply)
			}
			differ := 0
			for i := range en.Checks {
				e, p := en.Checks[i], pt.Checks[i]
				if e.ID != p.ID || e.Status != p.Status || e.Section != p.Section {
					t.Errorf("check %d: en %s/%s, pt-BR %s/%s", i, e.ID, e.Status, p.ID, p.Status)
				}
				if e.Message != p.Message {
					differ++
				}
			}
			if differ < len(en.Checks)/2 {
				t.Errorf("only %d of %d messages change with the language", differ, len(en.Checks))
			}
			ke, kp := map[string]bool{}, map[string]bool{}
			for _, p := range []struct {
				v    *diagnose.Verdict
				keys map[string]bool
			}{{en, ke}, {pt, kp}} {
				b, err := json.Marshal(p.v)
				if err != nil {
					t.Fatal(err)
				}
				var doc any
				if err := json.Unmarshal(b, &doc); err != nil {
					t.Fatal(err)
				}
				jsonKeys("", doc, p.keys)
			}
			for _, k := range []string{".schema", ".ticket", ".category", ".section", ".action", ".escalate", ".checks", ".missing_evidence", ".reply", ".docs",
				".checks[].id", ".checks[].status", ".checks[].section", ".checks[].message"} {
				if !ke[k] || !kp[k] {
					t.Errorf("JSON key %s missing (en %v, pt-BR %v)", k, ke[k], kp[k])
				}
			}
			for k := range ke {
				if !kp[k] {
					t.Errorf("JSON key %s only in en", k)
				}
			}
			for k := range kp {
				if !ke[k] {
					t.Errorf("JSON key %s only in pt-BR", k)
				}
			}
		})
	}
}

func TestVerdictJSONShape(t *testing.T) {
	v := diagnoseWith(t, newChain(t, testDirectory(), "en"), newCase(t, weekday))
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["schema"] != "triagem.verdict/v1" || doc["ticket"] != "SUP-T" {
		t.Errorf("schema %v ticket %v", doc["schema"], doc["ticket"])
	}
	if me, ok := doc["missing_evidence"].([]any); !ok || len(me) != 0 {
		t.Errorf("missing_evidence = %#v, want an empty list (not null)", doc["missing_evidence"])
	}
	if _, ok := doc["docs"].([]any); !ok {
		t.Errorf("docs = %#v, want a list", doc["docs"])
	}
	for _, c := range doc["checks"].([]any) {
		s := c.(map[string]any)["status"]
		if !slices.Contains([]any{"pass", "fail", "warn", "skip"}, s) {
			t.Errorf("check status %v is not one of the contract's", s)
		}
	}
}

func TestChainDocsPointToTheCategory(t *testing.T) {
	at := mustTime(t, weekday)
	v := diagnoseWith(t, newChain(t, testDirectory(), "en"),
		newCase(t, weekday, withToken(signHS(t, tokenClaims(at.Add(-13*time.Hour), at.Add(-time.Hour))))))
	if !slices.Contains(v.Docs, "https://api-externo-stag.crefazon.com.br/docs#autenticacao") {
		t.Errorf("token-expired docs = %q, want the authentication section", v.Docs)
	}
}

func TestChainIsSafeForConcurrentUse(t *testing.T) {
	ch := newChain(t, testDirectory(), "en")
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				c := newCase(t, weekday)
				if v, err := ch.Diagnose(context.Background(), c); err != nil || v.Category != "no-apparent-cause" {
					t.Errorf("concurrent diagnosis: %v %v", v, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
