package live

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/internal/quiet"
	"github.com/crefazon/triagem/internal/sensitive"
	"github.com/crefazon/triagem/rules"
)

// ReplayOptions says how a case's request is replayed.
type ReplayOptions struct {
	AllowProduction bool             // without it, a production host is refused
	Timeout         time.Duration    // per request (login included); default 30s
	MaxBody         int64            // bytes of the answer kept, default 1 MiB; at most HardBodyCap
	Client          *http.Client     // optional, for tests; copied, never modified
	Login           *LoginOptions    // optional: log in first and replay with a fresh token too
	Now             func() time.Time // default time.Now

	hardCap int64 // tests lower it; default HardBodyCap
}

// Replayed is what the partner API answered to a replayed request.
type Replayed struct {
	Method    string
	URL       string            // redacted: query values masked
	Env       string            // the rules' environment of the host
	Status    int               // 0 when no answer came
	Headers   map[string]string // the answer's headers, credentials masked as "***"
	Body      []byte            // the answer, at most MaxBody bytes, known secrets masked
	Truncated bool              // the server sent more than Body holds
	BodyBytes int64             // bytes the server sent, counted (up to the hard cap)
	Took      time.Duration
	At        time.Time
	Notes     []string
	Notas     []string `json:"-"` // Notes in Portuguese, one for one
	Errors    []string // the API's error texts from the envelope
	ProcessID string   // data.processo.id of an async route's 202

	// With ReplayOptions.Login: this record is the replay with the fresh token, Original the
	// replay as the partner sent it, Login how the login went, Verdict what the two tell.
	TokenRefreshed bool
	Verdict        string
	Veredicto      string `json:"-"` // Verdict in Portuguese
	Original       *Replayed
	Login          *AuthResult
}

// Verdicts of a replay with a fresh token.
const (
	VerdictToken   = "the token was the problem"
	VerdictRequest = "the request is the problem"
)

// NotesIn are the notes in lang ("en", or Portuguese for anything else).
func (r *Replayed) NotesIn(lang string) []string {
	if lang == "en" {
		return r.Notes
	}
	return r.Notas
}

// VerdictIn is the verdict in lang.
func (r *Replayed) VerdictIn(lang string) string {
	if lang == "en" {
		return r.Verdict
	}
	return r.Veredicto
}

// addNotes records notes in both languages, each scrubbed of the known secrets.
func (r *Replayed) addNotes(sec *secrets, ns ...note) {
	for _, n := range ns {
		r.Notes = append(r.Notes, sec.scrub(n.en))
		r.Notas = append(r.Notas, sec.scrub(n.pt))
	}
}

// setVerdict records the verdict in both languages.
func (r *Replayed) setVerdict(v note) { r.Verdict, r.Veredicto = v.en, v.pt }

// hop-by-hop and computed headers are not copied from the case; Accept-Encoding is left to
// the transport, which then decompresses the answer itself.
var skipHeaders = map[string]bool{
	"host": true, "content-length": true, "transfer-encoding": true, "connection": true,
	"keep-alive": true, "upgrade": true, "te": true, "trailer": true, "accept-encoding": true,
	"proxy-connection": true,
}

// Replay re-sends the case's request (method, URL, headers, body) to the environment it
// targets. It refuses, with a *RefusedError, a host the rules do not know as the partner
// API's, and a production host unless opts.AllowProduction. It never retries and never
// follows a redirect to another host. With opts.Login, it logs in first (a failure is a
// *LoginError and nothing is replayed), replays the request as it was, then with the fresh
// token, and sets the Verdict. A request that got no answer is a *TransportError, returned
// with what was recorded.
func Replay(ctx context.Context, opts ReplayOptions, c *diagnose.Case, r *rules.Rules) (*Replayed, error) {
	if c == nil || r == nil {
		return nil, errL("replay: sem caso ou sem regras", "replay: no case or no rules")
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.hardCap <= 0 {
		opts.hardCap = HardBodyCap
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	opts.MaxBody = min(opts.MaxBody, opts.hardCap)
	if opts.Now == nil {
		opts.Now = time.Now
	}

	sec := &secrets{}
	sec.add(c.Credentials.Token, c.Credentials.APIKey)
	for k, v := range c.Request.Headers {
		if sensitive.FromRules(r.Redaction).SecretHeader(k) {
			sec.add(v)
		}
	}
	if opts.Login != nil {
		sec.add(opts.Login.Password, opts.Login.APIKey)
	}

	method := strings.ToUpper(strings.TrimSpace(c.Request.Method))
	if method == "" {
		return nil, errL("replay: a requisição do caso não tem método", "replay: the case's request has no method")
	}
	raw := strings.TrimSpace(c.Request.URL)
	if raw == "" {
		return nil, errL("replay: a requisição do caso não tem URL", "replay: the case's request has no URL")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, &RefusedError{URL: "(unparsable URL)", Reason: "the case's URL cannot be parsed", Motivo: "a URL do caso não pôde ser lida"}
	}
	shown := quiet.URL(u)
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, &RefusedError{URL: shown, Host: u.Host, Reason: "only http and https URLs are replayed", Motivo: "só URLs http e https são reenviadas"}
	}
	if u.User != nil {
		return nil, &RefusedError{URL: shown, Host: u.Hostname(), Reason: "the URL carries credentials", Motivo: "a URL traz credenciais"}
	}
	host := u.Hostname()
	env, ok := r.EnvironmentOfHost(host)
	if !ok {
		return nil, &RefusedError{URL: shown, Host: host,
			Reason: fmt.Sprintf("%s is not a host of the partner API (no environment of the rules lists it)", host),
			Motivo: fmt.Sprintf("%s não é um host da API de parceiros (nenhum ambiente das regras o lista)", host)}
	}
	if env.ID == ProductionEnv && !opts.AllowProduction {
		return nil, &RefusedError{URL: shown, Host: host, Env: env.ID,
			Reason: fmt.Sprintf("%s is a production host (%s); replaying there needs an explicit permission", host, env.ID),
			Motivo: fmt.Sprintf("%s é um host de produção (%s); reenviar para lá exige permissão explícita", host, env.ID)}
	}

	var notes []note
	if c.Environment != "" && rules.Fold(c.Environment) != rules.Fold(env.ID) {
		notes = append(notes, noteL("o caso diz ambiente %q, mas o host %s é de %s: reenviado para %s",
			"the case says environment %q, but its host %s belongs to %s: replayed to %s",
			c.Environment, host, env.ID, env.ID))
	}
	ver, rest, verOK := r.VersionOfPath(u.Path)
	if verOK {
		if idx, _ := r.MatchRoute(ver.ID, method, rest); idx < 0 {
			notes = append(notes, noteL("%s %s não é uma rota das regras (%s)", "%s %s is not a route of the rules (%s)", method, u.Path, ver.ID))
		}
	} else {
		notes = append(notes, noteL("o caminho %s não está sob nenhum prefixo de versão da API das regras", "the path %s is not under any API version prefix of the rules", u.Path))
	}

	headers := http.Header{}
	for k, v := range c.Request.Headers {
		if skipHeaders[strings.ToLower(strings.TrimSpace(k))] {
			continue
		}
		headers.Set(k, v)
	}
	if headers.Get("Authorization") == "" && c.Credentials.Token != "" {
		tok := c.Credentials.Token
		if _, ok := cutBearer(tok); !ok {
			tok = "Bearer " + tok
		}
		headers.Set("Authorization", tok)
		notes = append(notes, noteL("a requisição não tinha o cabeçalho Authorization: o token do caso foi enviado como Bearer", "the request had no Authorization header: the case's token was sent as a Bearer token"))
	}
	var body []byte
	if c.Request.Body.Present {
		body = c.Request.Body.Raw
		if headers.Get("Content-Type") == "" && json.Valid(body) {
			headers.Set("Content-Type", "application/json")
			notes = append(notes, noteL("a requisição não tinha Content-Type: enviada como application/json", "the request had no Content-Type: sent as application/json"))
		}
		if method == http.MethodGet || method == http.MethodHead {
			notes = append(notes, noteL("o caso tem um corpo num %s: ele não foi enviado", "the case has a body on a %s: it was not sent", method))
		}
	}

	spec := sendSpec{method: method, target: u, headers: headers, body: body, timeout: opts.Timeout,
		maxBody: opts.MaxBody, hardCap: opts.hardCap, client: opts.Client, sec: sec}

	var auth *AuthResult
	var fresh string
	if opts.Login != nil {
		lver := ver
		if !verOK {
			lver, _ = r.VersionByID("v2")
			if lver.ID == "" {
				lver = rules.APIVersion{ID: "v2", Level: 2, Prefix: "/api/v2/"}
			}
			notes = append(notes, noteL("login feito com a V2, já que o caminho não diz a versão", "logging in with V2, the version the path does not tell"))
		}
		auth, fresh = login(ctx, &url.URL{Scheme: u.Scheme, Host: u.Host}, lver, r, *opts.Login, opts.Client, opts.Timeout, sec)
		if fresh == "" {
			rec := &Replayed{Method: method, URL: shown, Env: env.ID, At: opts.Now(), Login: auth}
			rec.addNotes(sec, notes...)
			return rec, &LoginError{Result: auth}
		}
		sec.add(fresh)
	}

	first, err := replayOnce(ctx, spec, opts, r, env.ID, shown, notes)
	if err != nil || opts.Login == nil {
		return first, err
	}

	spec.headers = headers.Clone()
	for k := range spec.headers {
		if strings.EqualFold(k, "Authorization") {
			delete(spec.headers, k)
		}
	}
	spec.headers.Set("Authorization", "Bearer "+fresh)
	second, err := replayOnce(ctx, spec, opts, r, env.ID, shown, []note{noteL("reenviado com um token novo, da rota de login", "replayed with a fresh token from the login route")})
	second.TokenRefreshed = true
	second.Original = first
	second.Login = auth
	if err != nil {
		second.setVerdict(noteL("sem veredicto: o reenvio com um token novo ficou sem resposta", "no verdict: the replay with a fresh token got no answer"))
		return second, err
	}
	second.setVerdict(verdict(first, second))
	return second, nil
}

// replayOnce sends spec and records the answer.
func replayOnce(ctx context.Context, spec sendSpec, opts ReplayOptions, r *rules.Rules, env, shown string, notes []note) (*Replayed, error) {
	rec := &Replayed{Method: spec.method, URL: shown, Env: env, At: opts.Now()}
	rec.addNotes(spec.sec, notes...)
	ex, err := send(ctx, spec)
	rec.Took = ex.took
	rec.addNotes(spec.sec, ex.notes...)
	if err != nil {
		rec.addNotes(spec.sec, note{en: err.Error(), pt: ErrorText(err, "pt-BR")})
		return rec, err
	}
	rec.Status = ex.status
	rec.Headers = maskHeaders(ex.header, sensitive.FromRules(r.Redaction))
	rec.BodyBytes = ex.bodyBytes
	rec.Truncated = ex.truncated
	if ex.truncated && !ex.cut {
		rec.addNotes(spec.sec, noteL("a resposta tinha %d bytes: os primeiros %d foram guardados", "the answer had %d bytes: the first %d are kept", ex.bodyBytes, len(ex.body)))
	}
	body, changed := spec.sec.scrubBytes(ex.body)
	if changed {
		rec.addNotes(spec.sec, noteL("a resposta repetia uma credencial: mascarada como ***", "the answer echoed a credential: masked as ***"))
	}
	rec.Body = body
	if is3xx(ex.status) {
		if loc := ex.header.Get("Location"); loc != "" {
			if lu, err := url.Parse(loc); err == nil {
				rec.Headers["Location"] = quiet.URL(lu)
			}
		}
	}
	if !ex.truncated {
		rec.Errors = apiErrors(body)
		rec.ProcessID = lookupString(body, "data", "processo", "id")
	}
	return rec, nil
}

func is3xx(s int) bool { return s >= 300 && s < 400 }

func failed(s int) bool { return !is2xx(s) }

// verdict compares the replay as sent with the replay with a fresh token.
func verdict(orig, fresh *Replayed) note {
	o, f := orig.Status, fresh.Status
	switch {
	case (o == http.StatusUnauthorized || o == http.StatusForbidden) && is2xx(f):
		return note{en: VerdictToken, pt: "o problema era o token"}
	case failed(o) && failed(f) && o == f:
		return note{en: VerdictRequest, pt: "o problema é a requisição"}
	case is2xx(o) && is2xx(f):
		return noteL("nenhuma falha agora: HTTP %d como enviada e HTTP %d com um token novo", "no failure now: HTTP %d as sent and HTTP %d with a fresh token", o, f)
	case failed(o) && is2xx(f):
		return noteL("a requisição falhou como enviada (HTTP %d) e deu certo com um token novo (HTTP %d)", "the request failed as sent (HTTP %d) and succeeded with a fresh token (HTTP %d)", o, f)
	case is2xx(o) && failed(f):
		return noteL("a requisição deu certo como enviada (HTTP %d), mas falhou com um token novo (HTTP %d): confira o usuário e a chave do login", "the request succeeded as sent (HTTP %d) but failed with a fresh token (HTTP %d): look at the login's user and key", o, f)
	}
	return noteL("as duas falharam, de modos diferentes: HTTP %d como enviada, HTTP %d com um token novo", "both failed, differently: HTTP %d as sent, HTTP %d with a fresh token", o, f)
}
