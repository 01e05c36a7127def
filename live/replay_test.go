package live

import (
	"context"
	"errors"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

func hmlURL(w *world, path string) string  { return w.hml.srv.URL + path }
func prodURL(w *world, path string) string { return "http://localhost:" + w.prod.port() + path }

func TestReplayHomologacaoAccepted(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.hml.issue(fakeUser, time.Now().Add(-time.Hour))
	at := time.Date(2026, 11, 19, 10, 0, 0, 0, time.UTC)
	c := newCase("POST", hmlURL(w, "/api/v2/propostas/pre-analise"), tok, goodPreAnalise)
	res, err := Replay(context.Background(), ReplayOptions{Now: func() time.Time { return at }}, c, w.rules)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 202 || res.ProcessID != "proc-8842" || res.Env != "homologacao" {
		t.Fatalf("status %d process %q env %q body %s", res.Status, res.ProcessID, res.Env, res.Body)
	}
	if !res.At.Equal(at) || res.Took <= 0 || res.BodyBytes != int64(len(res.Body)) || res.Truncated {
		t.Fatalf("at %v took %v bytes %d/%d truncated %v", res.At, res.Took, res.BodyBytes, len(res.Body), res.Truncated)
	}
	if res.Verdict != "" || res.TokenRefreshed || res.Original != nil {
		t.Fatalf("no login, yet %+v", res)
	}
	if w.hml.loginHits.Load() != 0 {
		t.Fatal("logged in without Login options")
	}
}

func TestReplayRefusesProductionUnlessAllowed(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.prod.issue(fakeUser, time.Now())
	c := newCase("POST", prodURL(w, "/api/v2/propostas/pre-analise"), tok, goodPreAnalise)
	c.Environment = "producao"
	_, err := Replay(context.Background(), ReplayOptions{}, c, w.rules)
	var re *RefusedError
	if !errors.As(err, &re) || re.Env != "producao" {
		t.Fatalf("want a refusal for production, got %v", err)
	}
	if w.prod.hits.Load() != 0 {
		t.Fatal("production was reached")
	}
	res, err := Replay(context.Background(), ReplayOptions{AllowProduction: true}, c, w.rules)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 202 || res.Env != "producao" || w.prod.hits.Load() != 1 {
		t.Fatalf("status %d env %s hits %d", res.Status, res.Env, w.prod.hits.Load())
	}
}

func TestReplayRefusesOtherHosts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, u := range []string{
		"https://parceiro.example/api/v2/propostas/pre-analise",
		w.other.srv.URL[:len("http://")] + "127.0.0.2:" + w.hml.port() + "/api/v2/propostas/pre-analise",
		"ftp://127.0.0.1/api/v2/propostas/pre-analise",
		"http://user:pass@127.0.0.1:" + w.hml.port() + "/api/v2/propostas/pre-analise",
	} {
		_, err := Replay(context.Background(), ReplayOptions{AllowProduction: true}, newCase("POST", u, "x.y.z", goodPreAnalise), w.rules)
		var re *RefusedError
		if !errors.As(err, &re) {
			t.Errorf("%s: want *RefusedError, got %v", u, err)
		}
		if err != nil && strings.Contains(err.Error(), "pass@") {
			t.Errorf("%s: credentials shown: %v", u, err)
		}
	}
	if n := w.hml.hits.Load() + w.other.hits.Load(); n != 0 {
		t.Fatalf("%d requests went out", n)
	}
}

func TestReplayExpiredToken(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.hml.issue(fakeUser, time.Now().Add(-13*time.Hour))
	c := newCase("POST", hmlURL(w, "/api/v2/propostas/pre-analise"), tok, goodPreAnalise)
	res, err := Replay(context.Background(), ReplayOptions{}, c, w.rules)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 401 || len(res.Errors) != 1 || res.Errors[0] != "Token expirado" {
		t.Fatalf("status %d errors %q", res.Status, res.Errors)
	}
}

func TestReplayWithLoginTokenWasTheProblem(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.hml.issue(fakeUser, time.Now().Add(-13*time.Hour))
	c := newCase("POST", hmlURL(w, "/api/v2/propostas/pre-analise"), tok, goodPreAnalise)
	login := &LoginOptions{User: fakeUser, Password: fakePassword, APIKey: fakeKeyHml}
	res, err := Replay(context.Background(), ReplayOptions{Login: login}, c, w.rules)
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != VerdictToken {
		t.Fatalf("verdict %q", res.Verdict)
	}
	if res.Original == nil || res.Original.Status != 401 || res.Status != 202 || !res.TokenRefreshed {
		t.Fatalf("original %+v fresh %d", res.Original, res.Status)
	}
	if res.Login == nil || res.Login.Outcome != OutcomeOK || w.hml.loginHits.Load() != 1 {
		t.Fatalf("login %+v hits %d", res.Login, w.hml.loginHits.Load())
	}
	// login + original + fresh
	if n := w.hml.hits.Load(); n != 3 {
		t.Fatalf("%d requests, want 3", n)
	}
	assertNoSecrets(t, res, nil, tok)
}

func TestReplayWithLoginV1(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// a V1 path: the login goes to /api/Usuario/login with the flat body
	c := newCase("GET", hmlURL(w, "/api/Proposta/acompanhamento"), "", "")
	login := &LoginOptions{User: fakeUser, Password: fakePassword, APIKey: fakeKeyHml}
	res, err := Replay(context.Background(), ReplayOptions{Login: login}, c, w.rules)
	if err != nil {
		t.Fatal(err)
	}
	if res.Login.Outcome != OutcomeOK || !strings.HasSuffix(res.Login.URL, "/api/Usuario/login") {
		t.Fatalf("login %+v", res.Login)
	}
	// the fake has no such V1 route: 404 both times, whatever the token
	if res.Verdict != VerdictRequest {
		t.Fatalf("verdict %q", res.Verdict)
	}
}

func TestReplayWithLoginRequestIsTheProblem(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.hml.issue(fakeUser, time.Now().Add(-time.Hour))
	c := newCase("POST", hmlURL(w, "/api/v2/propostas/pre-analise"), tok, badPreAnalise)
	login := &LoginOptions{User: fakeUser, Password: fakePassword, APIKey: fakeKeyHml}
	res, err := Replay(context.Background(), ReplayOptions{Login: login}, c, w.rules)
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != VerdictRequest || res.Status != 400 || res.Original.Status != 400 {
		t.Fatalf("verdict %q status %d/%d", res.Verdict, res.Original.Status, res.Status)
	}
	if len(res.Errors) == 0 || res.Errors[0] != "Proposta invalida." {
		t.Fatalf("errors %q", res.Errors)
	}
}

func TestReplayLoginFailsNothingReplayed(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.hml.issue(fakeUser, time.Now().Add(-13*time.Hour))
	c := newCase("POST", hmlURL(w, "/api/v2/propostas/pre-analise"), tok, goodPreAnalise)
	login := &LoginOptions{User: fakeUser, Password: "senha-errada-xyz", APIKey: fakeKeyHml}
	res, err := Replay(context.Background(), ReplayOptions{Login: login}, c, w.rules)
	var le *LoginError
	if !errors.As(err, &le) || le.Result.Outcome != OutcomeWrongPassword {
		t.Fatalf("want a wrong-password LoginError, got %v", err)
	}
	if n := w.hml.hits.Load(); n != 1 {
		t.Fatalf("%d requests, want the login only", n)
	}
	assertNoSecrets(t, res, err, tok, "senha-errada-xyz")
}

func TestReplayTimeout(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.hml.issue(fakeUser, time.Now())
	c := newCase("GET", hmlURL(w, "/api/v2/propostas/lento?token="+tok), tok, "")
	start := time.Now()
	res, err := Replay(context.Background(), ReplayOptions{Timeout: 300 * time.Millisecond}, c, w.rules)
	var te *TransportError
	if !errors.As(err, &te) || !te.Timeout {
		t.Fatalf("want a timeout TransportError, got %v", err)
	}
	if time.Since(start) > 5*time.Second || res == nil || res.Status != 0 || len(res.Notes) == 0 {
		t.Fatalf("took %v, res %+v", time.Since(start), res)
	}
	assertNoSecrets(t, res, err, tok)
}

func TestReplay503(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := newCase("GET", hmlURL(w, "/api/v2/propostas/indisponivel"), "", "")
	res, err := Replay(context.Background(), ReplayOptions{}, c, w.rules)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 503 || res.Headers["Retry-After"] != "30" || w.hml.hits.Load() != 1 {
		t.Fatalf("status %d headers %v hits %d (no retry expected)", res.Status, res.Headers, w.hml.hits.Load())
	}
}

func TestReplayCrossHostRedirectNotFollowed(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.hml.issue(fakeUser, time.Now())
	c := newCase("GET", hmlURL(w, "/api/v2/propostas/redirecionar"), tok, "")
	res, err := Replay(context.Background(), ReplayOptions{}, c, w.rules)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 302 {
		t.Fatalf("status %d", res.Status)
	}
	if w.other.hits.Load() != 0 {
		t.Fatal("the other host was reached")
	}
	if !hasNote(res, "another host") {
		t.Fatalf("notes %q", res.Notes)
	}
	if loc := res.Headers["Location"]; strings.Contains(loc, "vazado") {
		t.Fatalf("Location query not masked: %q", loc)
	}
}

func TestReplaySameHostRedirectFollowedOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.hml.issue(fakeUser, time.Now())
	c := newCase("GET", hmlURL(w, "/api/v2/propostas/mesmo-host"), tok, "")
	res, err := Replay(context.Background(), ReplayOptions{}, c, w.rules)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 200 || !hasNote(res, "followed one redirect") {
		t.Fatalf("status %d notes %q", res.Status, res.Notes)
	}
}

func TestReplayHugeBodyCapped(t *testing.T) {
	// not parallel: it measures allocations
	w := newWorld(t)
	c := newCase("GET", hmlURL(w, "/api/v2/propostas/enorme"), "", "")
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	res, err := Replay(context.Background(), ReplayOptions{}, c, w.rules)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Body) != DefaultMaxBody || !res.Truncated || res.BodyBytes != 12<<20 {
		t.Fatalf("body %d truncated %v counted %d", len(res.Body), res.Truncated, res.BodyBytes)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Fatalf("allocated %d bytes for a 12 MiB answer", alloc)
	}
	if testing.Verbose() {
		t.Logf("allocated %d", after.TotalAlloc-before.TotalAlloc)
	}
}

func TestReplayHardCapCuts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := newCase("GET", hmlURL(w, "/api/v2/propostas/enorme"), "", "")
	res, err := Replay(context.Background(), ReplayOptions{MaxBody: 1000, hardCap: 3 << 20}, c, w.rules)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Body) != 1000 || !res.Truncated || res.BodyBytes != 3<<20 || !hasNote(res, "cut") {
		t.Fatalf("body %d truncated %v counted %d notes %q", len(res.Body), res.Truncated, res.BodyBytes, res.Notes)
	}
}

func TestReplayMasksCredentials(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.hml.issue(fakeUser, time.Now())
	c := newCase("GET", hmlURL(w, "/api/v2/propostas/eco"), tok, "")
	c.Request.Headers["X-Api-Key"] = fakeKeyHml
	login := &LoginOptions{User: fakeUser, Password: fakePassword, APIKey: fakeKeyHml}
	res, err := Replay(context.Background(), ReplayOptions{Login: login}, c, w.rules)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*Replayed{res, res.Original} {
		if r.Headers["Set-Cookie"] != "***" || r.Headers["X-Api-Key"] != "***" {
			t.Fatalf("headers not masked: %v", r.Headers)
		}
		if !hasNote(r, "echoed a credential") {
			t.Fatalf("notes %q", r.Notes)
		}
	}
	if res.Verdict == "" {
		t.Fatal("no verdict")
	}
	assertNoSecrets(t, res, nil, tok, "cookie-secreto-123")
}

func hasNote(r *Replayed, s string) bool {
	for _, n := range r.Notes {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// assertNoSecrets looks for the password, the API keys and the given tokens in the error,
// the notes, the headers and the bodies recorded, and in the login result.
func assertNoSecrets(t *testing.T, res *Replayed, err error, extra ...string) {
	t.Helper()
	secretList := append([]string{fakePassword, fakeKeyHml, fakeKeyProd}, extra...)
	var texts []string
	if err != nil {
		texts = append(texts, err.Error(), ErrorText(err, "pt-BR"))
	}
	assertPortuguese(t, res, err)
	for r := res; r != nil; r = r.Original {
		texts = append(texts, r.Notes...)
		texts = append(texts, r.Notas...)
		texts = append(texts, r.Errors...)
		texts = append(texts, string(r.Body), r.URL, r.Verdict, r.Veredicto)
		for k, v := range r.Headers {
			texts = append(texts, k+": "+v)
		}
		if r.Login != nil {
			texts = append(texts, r.Login.Message, r.Login.Mensagem, r.Login.URL)
			if r.Login.TokenInfo != nil && r.Login.TokenInfo.Raw != "" {
				t.Errorf("the login result holds the raw token")
			}
		}
	}
	for _, s := range secretList {
		for _, x := range texts {
			if strings.Contains(x, s) {
				t.Errorf("secret %.6s... found in %q", s, x)
			}
		}
	}
}

// englishWordRE finds an English sentence's common words; prose, not values, is checked:
// URLs, headers and paths are syntax.
var (
	englishWordRE = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(the|and|of|is|are|to|with|for|not|was|were|from|answer|request|token was|failed|no answer|timed out)(?:[^\p{L}]|$)`)
	notProseRE    = regexp.MustCompile(`\S+://\S+|/\S*|\b[A-Z][\w-]*[A-Z][\w-]*\b|"[^"]*"`)
)

// assertPortuguese checks that every note, the verdict and the error have a Portuguese
// text, one for one with the English ones, and that none holds an English sentence.
func assertPortuguese(t *testing.T, res *Replayed, err error) {
	t.Helper()
	var pt []string
	if err != nil {
		pt = append(pt, ErrorText(err, "pt-BR"))
	}
	for r := res; r != nil; r = r.Original {
		if len(r.Notas) != len(r.Notes) {
			t.Errorf("%d notes and %d notas: %q / %q", len(r.Notes), len(r.Notas), r.Notes, r.Notas)
		}
		if (r.Verdict == "") != (r.Veredicto == "") {
			t.Errorf("verdict %q, veredicto %q", r.Verdict, r.Veredicto)
		}
		pt = append(pt, r.Notas...)
		pt = append(pt, r.Veredicto)
		if r.Login != nil && r.Login.Mensagem != "" {
			pt = append(pt, r.Login.Mensagem)
		}
	}
	for _, x := range pt {
		if m := englishWordRE.FindStringSubmatch(notProseRE.ReplaceAllString(x, " ")); m != nil {
			t.Errorf("the Portuguese text has the English word %q: %s", m[1], x)
		}
	}
}
