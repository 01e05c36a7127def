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
	"github.com/crefazon/triagem/rules"
)

// Outcomes of a login.
const (
	OutcomeOK             = "ok"
	OutcomeUserNotFound   = "user-not-found"
	OutcomeWrongPassword  = "wrong-password"
	OutcomeAPIKeyRejected = "api-key-rejected"
	OutcomeUnavailable    = "unavailable"
	OutcomeUnexpected     = "unexpected"
)

// The login error messages the API answers, and the outcome each one means.
var loginMessages = []struct{ msg, outcome string }{
	{"Identificador unico invalido", OutcomeAPIKeyRejected},
	{"Usuario nao cadastrado", OutcomeUserNotFound},
	{"Usuario ou senha incorretos", OutcomeWrongPassword},
}

// AuthOptions says which login to try.
type AuthOptions struct {
	Env      string // rules environment id: homologacao or producao
	Version  string // API version id: v2 (default) or v1
	User     string
	Password string
	APIKey   string
	Client   *http.Client  // optional, for tests; copied, never modified
	Timeout  time.Duration // default 30s
}

// AuthResult is how a login went. It never holds the password, the API key nor the token:
// TokenInfo is the decoded token with its Raw field emptied.
type AuthResult struct {
	Outcome   string // one of the Outcome constants
	Status    int    // HTTP status; 0 when no answer came
	Message   string // the API's error text, or why no answer came (scrubbed)
	Mensagem  string `json:"-"` // Message in Portuguese when it is this program's (the API's own is kept)
	TokenInfo *diagnose.TokenInfo
	Expires   time.Time // the answer's expiry, else the token's exp claim
	URL       string    // the login route called
	Took      time.Duration
}

// LoginOptions are the credentials Replay logs in with to get a fresh token.
type LoginOptions struct {
	User     string
	Password string
	APIKey   string
}

// LoginError says the login Replay needed failed: no replay was made.
type LoginError struct {
	Result *AuthResult
}

// MessageIn is the message in lang: the program's own in Portuguese when it has one, else
// the API's text as it came.
func (r *AuthResult) MessageIn(lang string) string {
	if lang != "en" && r.Mensagem != "" {
		return r.Mensagem
	}
	return r.Message
}

// Text is the error in lang ("en", or Portuguese for anything else).
func (e *LoginError) Text(lang string) string {
	if lang == "en" {
		return e.Error()
	}
	r := e.Result
	m := r.MessageIn(lang)
	switch {
	case r.Status == 0 && m == "":
		return fmt.Sprintf("o login em %s falhou (%s), sem resposta", r.URL, r.Outcome)
	case r.Status == 0:
		return fmt.Sprintf("o login em %s falhou (%s), sem resposta: %s", r.URL, r.Outcome, m)
	case m == "":
		return fmt.Sprintf("o login em %s falhou (%s, HTTP %d)", r.URL, r.Outcome, r.Status)
	}
	return fmt.Sprintf("o login em %s falhou (%s, HTTP %d): %s", r.URL, r.Outcome, r.Status, m)
}

func (e *LoginError) Error() string {
	msg := fmt.Sprintf("login at %s failed: %s", e.Result.URL, e.Result.Outcome)
	if e.Result.Status != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", e.Result.Status)
	}
	if e.Result.Message != "" {
		msg += ": " + e.Result.Message
	}
	return msg
}

// CheckLogin logs in at the environment's login route and classifies the answer. The error
// is for unusable options only; a failed login is an AuthResult with its Outcome.
func CheckLogin(ctx context.Context, opts AuthOptions, r *rules.Rules) (*AuthResult, error) {
	if r == nil {
		return nil, errL("conferência do login: sem regras", "check login: no rules")
	}
	env, ok := r.Environment(opts.Env)
	if !ok {
		return nil, errL("conferência do login: ambiente desconhecido: %q", "check login: unknown environment %q", opts.Env)
	}
	if opts.Version == "" {
		opts.Version = "v2"
	}
	ver, ok := r.VersionByID(opts.Version)
	if !ok {
		return nil, errL("conferência do login: versão da API desconhecida: %q", "check login: unknown API version %q", opts.Version)
	}
	base, err := url.Parse(env.BaseURL)
	if err != nil || base.Host == "" || (base.Scheme != "https" && base.Scheme != "http") {
		return nil, errL("conferência do login: o ambiente %s não tem uma URL base utilizável", "check login: environment %s has no usable base URL", env.ID)
	}
	if opts.User == "" || opts.Password == "" || opts.APIKey == "" {
		return nil, errL("conferência do login: usuário, senha e API Key são todos necessários", "check login: user, password and API key are all needed")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	sec := &secrets{}
	sec.add(opts.Password, opts.APIKey)
	res, _ := login(ctx, &url.URL{Scheme: base.Scheme, Host: base.Host}, ver, r,
		LoginOptions{User: opts.User, Password: opts.Password, APIKey: opts.APIKey},
		opts.Client, opts.Timeout, sec)
	return res, nil
}

// loginPath is the login route of a version, from the rules.
func loginPath(r *rules.Rules, ver rules.APIVersion) string {
	for _, rt := range r.Routes {
		if rt.Login && rt.Version == ver.ID {
			return strings.TrimSuffix(ver.Prefix, "/") + "/" + strings.TrimPrefix(rt.Path, "/")
		}
	}
	if isV1(ver) {
		return "/api/Usuario/login"
	}
	return "/api/v2/usuarios/login"
}

func isV1(ver rules.APIVersion) bool { return ver.ID == "v1" || ver.Level == 1 }

// login calls the login route at origin and returns the result and, when ok, the token.
// The token goes into sec, so that nothing shown later carries it.
func login(ctx context.Context, origin *url.URL, ver rules.APIVersion, r *rules.Rules, cred LoginOptions,
	client *http.Client, timeout time.Duration, sec *secrets) (*AuthResult, string) {
	target := *origin
	target.Path = loginPath(r, ver)
	res := &AuthResult{URL: quiet.URL(&target)}

	var payload any
	inner := map[string]string{"login": cred.User, "senha": cred.Password, "apiKey": cred.APIKey}
	if isV1(ver) {
		payload = inner
	} else {
		payload = map[string]any{"usuario": inner}
	}
	body, _ := json.Marshal(payload)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "application/json")
	ex, err := send(ctx, sendSpec{method: http.MethodPost, target: &target, headers: h, body: body,
		timeout: timeout, maxBody: DefaultMaxBody, hardCap: DefaultMaxBody + 1, client: client, sec: sec})
	res.Took = ex.took
	if err != nil {
		res.Outcome = OutcomeUnavailable
		res.Message = sec.scrub(err.Error())
		res.Mensagem = sec.scrub(ErrorText(err, "pt-BR"))
		return res, ""
	}
	res.Status = ex.status

	token := ""
	for _, p := range [][]string{{"autenticacao", "token"}, {"data", "autenticacao", "token"}, {"data", "token"}, {"token"}} {
		if token = lookupString(ex.body, p...); token != "" {
			break
		}
	}
	msgs := apiErrors(ex.body)
	res.Message = sec.scrub(strings.Join(msgs, "; "))
	if token != "" {
		sec.add(token)
		res.Message = sec.scrub(res.Message)
	}
	res.Outcome = classifyLogin(r, ex.status, msgs, token != "")
	if res.Outcome == OutcomeUnexpected && res.Message == "" {
		res.Message = fmt.Sprintf("HTTP %d %s", ex.status, http.StatusText(ex.status))
		res.Mensagem = fmt.Sprintf("HTTP %d", ex.status)
		if is2xx(ex.status) {
			res.Message += " without a token in the answer"
			res.Mensagem = fmt.Sprintf("HTTP %d sem token na resposta", ex.status)
		}
	}
	if res.Outcome != OutcomeOK {
		return res, ""
	}
	ti := diagnose.ParseToken(token)
	ti.Raw = ""
	res.TokenInfo = ti
	for _, p := range [][]string{{"autenticacao", "expira"}, {"data", "autenticacao", "expira"}, {"data", "expires"}, {"expires"}} {
		if t, ok := parseExpiry(lookupString(ex.body, p...), r); ok {
			res.Expires = t
			break
		}
	}
	if res.Expires.IsZero() && ti.HasExp {
		res.Expires = ti.Exp
	}
	return res, token
}

func classifyLogin(r *rules.Rules, status int, msgs []string, hasToken bool) string {
	for _, m := range msgs {
		f := rules.Fold(m)
		for _, lm := range loginMessages {
			if strings.Contains(f, rules.Fold(lm.msg)) {
				return lm.outcome
			}
		}
	}
	switch {
	case is2xx(status) && hasToken:
		return OutcomeOK
	case status >= 500 || r.IsUnavailableStatus(status):
		return OutcomeUnavailable
	}
	return OutcomeUnexpected
}

func parseExpiry(s string, r *rules.Rules) (time.Time, bool) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, false
	}
	loc := r.Location()
	if loc == nil {
		loc = time.UTC
	}
	t, err := diagnose.ParseTime(s, loc)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}
