package diagnose

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/crefazon/triagem/rules"
)

// Checks is the procedure's validation chain, in the order support runs it. Every check
// runs on every case; the verdict's category is chosen afterwards, in Decide.
var Checks = []Check{
	{ID: "request.endpoint", Section: "3.2",
		Needs: "request.url", Fails: "never fails: warns when the host, the API version or the route is not one of the rules'",
		Run: checkEndpoint},
	{ID: "key.partner", Section: "3.8", Category: "api-key-missing",
		Needs: "no API key in the case, a directory, the partner (case or user), the environment",
		Fails: "the partner has no active key for the request's environment",
		Run:   checkPartnerKey},
	{ID: "key.exists", Section: "3.2", Category: "api-key-invalid",
		Needs: "credentials.api_key, a directory", Fails: "the key's SHA-256 is not in the directory",
		Run: checkKeyExists},
	{ID: "key.active", Section: "3.2", Category: "api-key-invalid",
		Needs: "a key found in the directory", Fails: "the key is not active",
		Run: checkKeyActive},
	{ID: "key.environment", Section: "3.2", Category: "api-key-invalid",
		Needs: "a key found in the directory, the request's environment", Fails: "the key belongs to the other environment",
		Run: checkKeyEnvironment},
	{ID: "user.active", Section: "3.6, 3.9", Category: "user-blocked",
		Needs: "credentials.user, a directory", Fails: "the user is unknown to the directory or not active",
		Run: checkUserActive},
	{ID: "user.key-binding", Section: "3.7", Category: "user-key-mismatch",
		Needs: "credentials.user, a key found in the directory", Fails: "the user is not among the key's users",
		Run: checkUserKey},
	{ID: "token.format", Section: "3.3", Category: "token-invalid",
		Needs: "a token (credentials.token or Authorization: Bearer)",
		Fails: "not a well-formed JWT (a character outside base64url included), alg none or unknown, an unknown crit, a time in milliseconds, no Bearer scheme",
		Run:   checkTokenFormat},
	{ID: "token.lifetime", Section: "3.3", Category: "token-invalid",
		Needs: "a well-formed token", Fails: "no exp claim, or exp - iat longer than the rules' lifetime (12h; no leeway)",
		Run: checkTokenLifetime},
	{ID: "token.not-before", Section: "3.3", Category: "token-invalid",
		Needs: "request.at and a well-formed token", Fails: "nbf or iat after request.at beyond the leeway: not yet valid when sent",
		Run: checkTokenNotBefore},
	{ID: "token.expiry", Section: "3.3", Category: "token-expired",
		Needs: "request.at and a token or credentials.token_issued_at", Fails: "exp, or issue time + lifetime, before request.at beyond the leeway",
		Run: checkTokenExpiry},
	{ID: "token.signature", Section: "3.3", Category: "token-invalid",
		Needs: "a well-formed token and --token-key", Fails: "the signature does not verify with the key",
		Run: checkTokenSignature},
	{ID: "product.api", Section: "3.5", Category: "product-not-on-api",
		Needs: "the product (case, produto.id or route)", Fails: "the product is not offered on the API",
		Run: checkProductOnAPI},
	{ID: "product.version", Section: "3.5", Category: "product-version",
		Needs: "the product and the API version of the URL", Fails: "the product needs a later API version",
		Run: checkProductVersion},
	{ID: "payload.syntax", Section: "3.9", Category: "request-syntax",
		Needs: "a payload (POST, PUT, PATCH)", Fails: "not JSON, or a field the route's schema requires is missing or malformed",
		Run: checkPayload},
	{ID: "hours.business", Section: "3.4",
		Needs: "request.at", Fails: "never fails: warns when the request was sent outside business hours",
		Run: checkBusinessHours},
	{ID: "hours.routine", Section: "3.4", Category: "off-hours-routine",
		Needs: "request.at", Fails: "sent outside business hours, inside a routine window or failing as unavailable",
		Run: checkRoutine},
	{ID: "error.known", Section: "3.1",
		Needs: "error or response errors", Fails: "never fails: warns with what a known error message usually means",
		Run: checkKnownError},
	{ID: "evidence.complete", Section: "5", Category: "evidence-incomplete",
		Needs: "the case", Fails: "a mandatory evidence item is missing",
		Run: checkEvidence},
}

func checkEndpoint(c *Context) (Status, string) {
	f, l := c.Facts, c.L
	if f.URL == nil {
		return Skip, l.T("sem URL da requisição", "no request URL")
	}
	host := f.URL.Hostname()
	var notes []string
	switch {
	case f.URL.Host == "":
		notes = append(notes, l.T("a URL não tem host", "the URL has no host"))
	case f.HostEnv == "":
		notes = append(notes, l.T("o host %s não é da API de parceiros", "host %s is not a partner API host", host))
	case f.URL.Scheme != "https":
		notes = append(notes, l.T("a URL usa %s em vez de https", "the URL uses %s instead of https", f.URL.Scheme))
	}
	if declared := f.Case.Environment; declared != "" && f.HostEnv != "" && declared != f.HostEnv {
		notes = append(notes, l.T("o caso diz %s, mas o host %s é de %s: vale o host", "the case says %s but host %s is in %s: the host is what counts", declared, host, f.HostEnv))
	}
	switch {
	case !f.HasVersion:
		notes = append(notes, l.T("o caminho %s não é de nenhuma versão da API", "path %s is not under any API version", f.URL.Path))
	case f.Route < 0 && f.PathKnown:
		notes = append(notes, l.T("a rota %s existe, mas não com o método %s", "route %s exists but not with method %s", f.RoutePath, f.Method))
	case f.Route < 0:
		notes = append(notes, l.T("rota %s desconhecida na %s: confira o caminho na documentação", "unknown route %s on %s: check the path in the documentation", f.RoutePath, strings.ToUpper(f.Version.ID)))
	}
	if len(notes) > 0 {
		return Warn, strings.Join(notes, "; ")
	}
	rt := c.Rules.Route(f.Route)
	msg := l.T("%s %s na %s, ambiente %s", "%s %s on %s, environment %s", rt.Method, f.URL.Path, strings.ToUpper(f.Version.ID), f.Env.ID)
	if f.MethodInferred {
		msg += l.T(" (método deduzido da rota)", " (method inferred from the route)")
	}
	return Pass, msg
}

func (c *Context) noDirectory() (Status, string) {
	return Skip, c.L.T("sem diretório (--directory): não verificado", "no directory (--directory): not checked")
}

// partner is whose keys count when the case has no key: the user's, else the case's.
func (c *Context) partner() string {
	if c.Dir.User != nil && c.Dir.User.Partner != "" {
		return c.Dir.User.Partner
	}
	return strings.TrimSpace(c.Facts.Case.Partner)
}

func checkPartnerKey(c *Context) (Status, string) {
	f, l := c.Facts, c.L
	switch {
	case f.KeySHA256 != "":
		return Skip, l.T("o caso tem API Key", "the case has an API key")
	case !c.Dir.Given:
		return c.noDirectory()
	case !f.HasEnv:
		return Skip, l.T("ambiente desconhecido: não dá para procurar a chave do parceiro", "unknown environment: cannot look for the partner's key")
	case c.partner() == "":
		return Skip, l.T("parceiro desconhecido (sem usuário no diretório nem partner no caso)", "unknown partner (no user in the directory, no partner in the case)")
	}
	partner := c.partner()
	var other []string
	for _, k := range c.Dir.PartnerKeys {
		if !k.Active {
			continue
		}
		if k.Environment == f.Env.ID {
			return Pass, l.T("%s tem API Key ativa em %s (%s…); falta só a chave no caso", "%s has an active API key in %s (%s…); the case just lacks it", partner, f.Env.ID, k.SHA256[:12])
		}
		other = append(other, k.Environment)
	}
	if len(other) > 0 {
		return Fail, l.T("%s não tem API Key ativa em %s (só em %s): solicitar ao time comercial", "%s has no active API key in %s (only in %s): request one from the commercial team", partner, f.Env.ID, strings.Join(other, ", "))
	}
	return Fail, l.T("%s não tem API Key ativa em %s: solicitar ao time comercial", "%s has no active API key in %s: request one from the commercial team", partner, f.Env.ID)
}

func fp(sha string) string { return sha[:12] }

func checkKeyExists(c *Context) (Status, string) {
	f, l := c.Facts, c.L
	switch {
	case f.KeySHA256 == "":
		return Skip, l.T("sem API Key no caso", "no API key in the case")
	case !c.Dir.Given:
		return c.noDirectory()
	case c.Dir.Key == nil:
		return Fail, l.T("a API Key (sha256 %s…) não existe no diretório: confira se foi copiada inteira, sem espaços", "the API key (sha256 %s…) is not in the directory: check it was copied whole, without spaces", fp(f.KeySHA256))
	}
	return Pass, l.T("API Key %s… de %s", "API key %s… of %s", fp(f.KeySHA256), c.Dir.Key.Partner)
}

func checkKeyActive(c *Context) (Status, string) {
	l := c.L
	if c.Dir.Key == nil {
		return Skip, l.T("API Key não encontrada no diretório", "API key not found in the directory")
	}
	if !c.Dir.Key.Active {
		return Fail, l.T("a API Key %s… de %s está inativa: o parceiro deve pedir uma nova ao time comercial", "API key %s… of %s is inactive: the partner must ask the commercial team for a new one", fp(c.Dir.Key.SHA256), c.Dir.Key.Partner)
	}
	return Pass, l.T("API Key ativa", "API key active")
}

func checkKeyEnvironment(c *Context) (Status, string) {
	f, l := c.Facts, c.L
	switch {
	case c.Dir.Key == nil:
		return Skip, l.T("API Key não encontrada no diretório", "API key not found in the directory")
	case !f.HasEnv:
		return Skip, l.T("ambiente da requisição desconhecido", "the request's environment is unknown")
	case c.Dir.Key.Environment != f.Env.ID:
		return Fail, l.T("a API Key é de %s, mas a requisição foi para %s: usar a chave de %s", "the API key belongs to %s but the request went to %s: use the %s key", c.Dir.Key.Environment, f.Env.ID, f.Env.ID)
	}
	return Pass, l.T("API Key do ambiente %s", "API key of environment %s", f.Env.ID)
}

func checkUserActive(c *Context) (Status, string) {
	f, l := c.Facts, c.L
	login := strings.TrimSpace(f.Case.Credentials.User)
	switch {
	case login == "":
		return Skip, l.T("sem usuário no caso", "no user in the case")
	case !c.Dir.Given:
		return c.noDirectory()
	case c.Dir.User == nil:
		return Fail, l.T("o usuário %s não existe no diretório", "user %s is not in the directory", login)
	case !c.Dir.User.Active:
		return Fail, l.T("o usuário %s (%s) está bloqueado ou inativo", "user %s (%s) is blocked or inactive", login, c.Dir.User.Partner)
	}
	return Pass, l.T("usuário %s ativo (%s)", "user %s active (%s)", login, c.Dir.User.Partner)
}

func checkUserKey(c *Context) (Status, string) {
	f, l := c.Facts, c.L
	login := strings.TrimSpace(f.Case.Credentials.User)
	switch {
	case login == "":
		return Skip, l.T("sem usuário no caso", "no user in the case")
	case f.KeySHA256 == "":
		return Skip, l.T("sem API Key no caso", "no API key in the case")
	case !c.Dir.Given:
		return c.noDirectory()
	case c.Dir.Key == nil:
		return Skip, l.T("API Key não encontrada no diretório", "API key not found in the directory")
	case slices.Contains(c.Dir.Key.Users, login):
		return Pass, l.T("%s está vinculado à API Key", "%s is bound to the API key", login)
	}
	if u := c.Dir.User; u != nil && u.Partner != "" && u.Partner != c.Dir.Key.Partner {
		return Fail, l.T("%s é de %s, mas usou a API Key de %s: cada usuário deve usar a chave do seu parceiro", "%s belongs to %s but used the API key of %s: each user must use their partner's key", login, u.Partner, c.Dir.Key.Partner)
	}
	return Fail, l.T("%s não está entre os usuários da API Key de %s", "%s is not among the users of %s's API key", login, c.Dir.Key.Partner)
}

// isLoginRoute tells whether the request is the login itself, which carries no token.
func (c *Context) isLoginRoute() bool {
	return c.Facts.Route >= 0 && c.Rules.Route(c.Facts.Route).Login
}

func checkTokenFormat(c *Context) (Status, string) {
	f, l := c.Facts, c.L
	switch {
	case c.Token == nil && c.isLoginRoute():
		return Skip, l.T("rota de login: não leva token", "login route: no token expected")
	case c.Token == nil:
		return Skip, l.T("sem token no caso (credentials.token ou Authorization)", "no token in the case (credentials.token or Authorization)")
	case f.BearerMissing:
		return Fail, l.T("o cabeçalho Authorization traz o token sem o esquema Bearer: enviar \"Authorization: Bearer <token>\"", "the Authorization header carries the token without the Bearer scheme: send \"Authorization: Bearer <token>\"")
	case c.Token.Err != nil:
		return Fail, l.T("o token não é um JWT válido: %s", "the token is not a well-formed JWT: %s", tokenErrText(c.Token.Err, l))
	case strings.EqualFold(c.Token.Alg, "none"):
		return Fail, l.T("o token usa alg none (sem assinatura): não foi emitido pelo login da API", "the token uses alg none (unsigned): the API's login did not issue it")
	case len(c.Token.Millis) > 0:
		claims := strings.Join(c.Token.Millis, ", ")
		return Fail, l.T("%s em milissegundos, mas um JWT conta o tempo em segundos: não foi emitido pelo login da API", "%s in milliseconds, but a JWT counts time in seconds: the API's login did not issue it", claims)
	}
	msg := l.T("JWT %s", "JWT %s", c.Token.Alg)
	if f.TokenMismatch {
		return Warn, msg + l.T("; credentials.token difere do token do Authorization: foi julgado o do cabeçalho, que foi o enviado", "; credentials.token differs from the Authorization token: the header's, which was sent, was judged")
	}
	return Pass, msg
}

func (c *Context) tokenUsable() bool {
	return c.Token != nil && c.Token.Err == nil && !c.Facts.BearerMissing
}

func checkTokenLifetime(c *Context) (Status, string) {
	l, t := c.L, c.Token
	lifetime := c.Rules.Token.Lifetime.Duration
	switch {
	case !c.tokenUsable():
		return Skip, l.T("sem token legível", "no readable token")
	case !t.HasExp:
		return Fail, l.T("o token não tem exp (nunca expira): tokens da API sempre têm validade de %s", "the token has no exp (never expires): API tokens always last %s", span(lifetime))
	case !t.HasIat && !c.Facts.HasIssuedAt:
		return Warn, l.T("sem iat nem token_issued_at: não dá para medir a validade; confirmar com o parceiro a hora de geração", "no iat nor token_issued_at: the lifetime cannot be measured; ask the partner when it was generated")
	}
	issued := t.Iat
	if !t.HasIat {
		issued = c.Facts.IssuedAt
	}
	life := t.Exp.Sub(issued)
	// No leeway here: the leeway absorbs clock skew between machines, and exp and iat come
	// from the same clock.
	if life > lifetime {
		return Fail, l.T("o token vale %s (exp - iat), mais que as %s de um token da API", "the token lasts %s (exp - iat), longer than an API token's %s", spanExact(life), span(lifetime))
	}
	return Pass, l.T("validade de %s", "lifetime %s", spanExact(life))
}

func checkTokenExpiry(c *Context) (Status, string) {
	f, l, t := c.Facts, c.L, c.Token
	lifetime, leeway := c.Rules.Token.Lifetime.Duration, c.Rules.Token.Leeway.Duration
	if !f.HasAt {
		return Skip, l.T("sem data e hora da requisição (request.at)", "no request time (request.at)")
	}
	// The bounds a token cannot outlive: its exp, and its issue time plus the lifetime.
	type bound struct {
		at  time.Time
		why string
	}
	var bounds []bound
	var notes []string
	if c.tokenUsable() {
		// An exp in milliseconds is no bound: read as the seconds a JWT counts, it never
		// comes; token.format reports it.
		if t.HasExp && !slices.Contains(t.Millis, "exp") {
			bounds = append(bounds, bound{t.Exp, "exp " + c.when(t.Exp)})
		}
		if t.HasIat {
			bounds = append(bounds, bound{t.Iat.Add(lifetime), "iat " + c.when(t.Iat) + " + " + span(lifetime)})
			if f.HasIssuedAt && absDur(f.IssuedAt.Sub(t.Iat)) > leeway {
				notes = append(notes, l.T("o parceiro diz que gerou o token em %s, mas o iat é %s", "the partner says the token was generated at %s, but iat is %s", c.when(f.IssuedAt), c.when(t.Iat)))
			}
		}
	}
	if f.HasIssuedAt && (!c.tokenUsable() || !t.HasIat) {
		bounds = append(bounds, bound{f.IssuedAt.Add(lifetime), l.T("gerado em %s + %s", "generated at %s + %s", c.when(f.IssuedAt), span(lifetime))})
	}
	if len(bounds) == 0 {
		if c.Token == nil {
			return Skip, l.T("sem token nem token_issued_at", "no token nor token_issued_at")
		}
		return Skip, l.T("o token não diz quando expira", "the token does not say when it expires")
	}
	earliest := bounds[0]
	for _, b := range bounds[1:] {
		if b.at.Before(earliest.at) {
			earliest = b
		}
	}
	// Expired from exp + leeway on, as JWT libraries judge it (golang-jwt's Validator: valid
	// while the time is before exp + leeway).
	expired := !f.At.Before(earliest.at.Add(leeway))
	if expired && c.AtIsNow {
		return Fail, l.T("o token expirou há %s (%s): renovar o token a cada %s", "the token expired %s ago (%s): renew the token every %s",
			span(f.At.Sub(earliest.at)), earliest.why, span(lifetime))
	}
	if expired {
		return Fail, l.T("o token expirou %s antes da requisição de %s (%s): renovar o token a cada %s", "the token expired %s before the request at %s (%s): renew the token every %s",
			span(f.At.Sub(earliest.at)), c.when(f.At), earliest.why, span(lifetime))
	}
	var msg string
	if earliest.at.Before(f.At) && c.AtIsNow {
		return Warn, l.T("o token expirou há %s (%s), ainda dentro da tolerância de %ds", "the token expired %s ago (%s), still within the %ds leeway",
			span(f.At.Sub(earliest.at)), earliest.why, int(leeway.Seconds()))
	}
	if earliest.at.Before(f.At) {
		msg = l.T("o token expirou %s antes da requisição de %s (%s), dentro da tolerância de %ds", "the token expired %s before the request at %s (%s), within the %ds leeway",
			span(f.At.Sub(earliest.at)), c.when(f.At), earliest.why, int(leeway.Seconds()))
		notes = append([]string{msg}, notes...)
		return Warn, strings.Join(notes, "; ")
	}
	if c.AtIsNow {
		msg = l.T("válido agora, expira daqui a %s", "valid now, expires in %s", span(earliest.at.Sub(f.At)))
	} else {
		msg = l.T("válido na hora da requisição (%s), expira %s depois", "valid at the request's time (%s), expires %s later", c.when(f.At), span(earliest.at.Sub(f.At)))
	}
	if len(notes) > 0 {
		return Warn, msg + "; " + strings.Join(notes, "; ")
	}
	return Pass, msg
}

func checkTokenNotBefore(c *Context) (Status, string) {
	f, l, t := c.Facts, c.L, c.Token
	leeway := c.Rules.Token.Leeway.Duration
	switch {
	case !c.tokenUsable():
		return Skip, l.T("sem token legível", "no readable token")
	case !f.HasAt:
		return Skip, l.T("sem data e hora da requisição (request.at)", "no request time (request.at)")
	case !t.HasNbf && !t.HasIat:
		return Skip, l.T("o token não tem nbf nem iat", "the token has neither nbf nor iat")
	}
	if c.AtIsNow {
		switch {
		case t.HasNbf && t.Nbf.After(f.At.Add(leeway)):
			return Fail, l.T("o token só vale a partir de %s (nbf), daqui a %s", "the token is valid only from %s (nbf), in %s", c.when(t.Nbf), span(t.Nbf.Sub(f.At)))
		case t.HasIat && t.Iat.After(f.At.Add(leeway)):
			return Fail, l.T("o token diz ter sido emitido em %s (iat), daqui a %s: o relógio de quem o gerou está errado", "the token says it was issued at %s (iat), in %s: its issuer's clock is wrong", c.when(t.Iat), span(t.Iat.Sub(f.At)))
		}
		return Pass, l.T("já vale agora", "already valid now")
	}
	var fails []string
	if t.HasNbf && t.Nbf.After(f.At.Add(leeway)) {
		fails = append(fails, l.T("o token só vale a partir de %s (nbf), %s depois da requisição de %s: ainda não valia quando foi enviado",
			"the token is valid only from %s (nbf), %s after the request at %s: it was not yet valid when sent",
			c.when(t.Nbf), span(t.Nbf.Sub(f.At)), c.when(f.At)))
	}
	if t.HasIat && t.Iat.After(f.At.Add(leeway)) {
		fails = append(fails, l.T("o token foi emitido em %s (iat), %s depois da requisição de %s: não é o token que foi enviado, ou o relógio de quem o gerou está errado",
			"the token was issued at %s (iat), %s after the request at %s: it is not the token that was sent, or its issuer's clock is wrong",
			c.when(t.Iat), span(t.Iat.Sub(f.At)), c.when(f.At)))
	}
	if len(fails) > 0 {
		return Fail, strings.Join(fails, "; ")
	}
	if t.HasNbf {
		return Pass, l.T("já valia na hora da requisição (nbf %s)", "already valid at the request's time (nbf %s)", c.when(t.Nbf))
	}
	return Pass, l.T("emitido antes da requisição (iat %s)", "issued before the request (iat %s)", c.when(t.Iat))
}

// tokenErrText words why a token is malformed in the verdict's language.
func tokenErrText(err error, l Lang) string {
	var te *TokenError
	if errors.As(err, &te) {
		return te.In(l)
	}
	return err.Error()
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func checkTokenSignature(c *Context) (Status, string) {
	l := c.L
	switch {
	case c.Key == nil:
		return Skip, l.T("sem --token-key: assinatura não verificada", "no --token-key: signature not verified")
	case !c.tokenUsable():
		return Skip, l.T("sem token legível", "no readable token")
	case c.Facts.TokenSource == "credentials.token" && strings.HasSuffix(c.Token.Raw, "."):
		// A ticket draft (triagem case new --redact) carries the token as "header.claims.":
		// its signature was removed so that the draft holds no usable secret. Its times are
		// still judged; its signature can only be checked on the analyst's working copy.
		return Skip, l.T("assinatura removida no rascunho do chamado: verificar na cópia de trabalho", "signature removed for the ticket draft: verify it on the working copy")
	}
	if err := c.Key.Verify(c.Token.Raw); err != nil {
		return Fail, l.T("a assinatura não confere com a chave %s: %v", "the signature does not verify with key %s: %v", c.Key.Source, trimJWTErr(err))
	}
	return Pass, l.T("assinatura %s confere com %s", "%s signature verifies with %s", c.Token.Alg, c.Key.Source)
}

func trimJWTErr(err error) string {
	s := err.Error()
	for _, p := range []string{"token signature is invalid: ", "token is unverifiable: "} {
		s = strings.TrimPrefix(s, p)
	}
	return s
}

func checkProductOnAPI(c *Context) (Status, string) {
	f, l := c.Facts, c.L
	if !f.HasProduct {
		return Skip, l.T("produto não identificado (campo product, produto.id ou rota)", "product not identified (product field, produto.id or route)")
	}
	if !f.Product.OnAPI {
		where := f.Product.Channel
		if where == "" {
			where = l.T("outro canal", "another channel")
		}
		return Fail, l.T("%s não é operado pela API: só por %s", "%s is not offered on the API: only through %s", f.Product.Name, where)
	}
	return Pass, l.T("%s está na API (identificado por %s)", "%s is on the API (identified by %s)", f.Product.Name, f.ProductSource)
}

func checkProductVersion(c *Context) (Status, string) {
	f, l := c.Facts, c.L
	switch {
	case !f.HasProduct:
		return Skip, l.T("produto não identificado", "product not identified")
	case !f.Product.OnAPI:
		return Skip, l.T("produto fora da API", "product not on the API")
	case !f.HasVersion:
		return Skip, l.T("versão da API desconhecida (caminho da URL)", "unknown API version (URL path)")
	case f.Product.MinVersion == "":
		return Pass, l.T("%s funciona na %s", "%s works on %s", f.Product.Name, strings.ToUpper(f.Version.ID))
	}
	min, _ := c.Rules.VersionByID(f.Product.MinVersion)
	if f.Version.Level < min.Level {
		return Fail, l.T("%s só está disponível a partir da %s, e a requisição usou a %s (%s)", "%s is only available from %s on, and the request used %s (%s)",
			f.Product.Name, strings.ToUpper(min.ID), strings.ToUpper(f.Version.ID), f.URL.Path)
	}
	return Pass, l.T("%s na %s", "%s on %s", f.Product.Name, strings.ToUpper(f.Version.ID))
}

func carriesBody(method string) bool {
	return method == "POST" || method == "PUT" || method == "PATCH"
}

func checkPayload(c *Context) (Status, string) {
	f, l := c.Facts, c.L
	if !f.HasPayload {
		if carriesBody(f.Method) {
			return Skip, l.T("sem payload no caso: ver evidências faltando", "no payload in the case: see missing evidence")
		}
		return Skip, l.T("requisição sem corpo", "request without a body")
	}
	if f.PayloadErr != nil {
		return Fail, l.T("o payload não é JSON válido: %s", "the payload is not valid JSON: %s", jsonProblem(f.Payload, l))
	}
	if f.Route < 0 || !c.Rules.HasSchema(f.Route) {
		return Pass, l.T("JSON válido (rota sem esquema nas regras)", "valid JSON (no schema for this route in the rules)")
	}
	vs, err := c.Rules.ValidatePayload(f.Route, f.PayloadValue)
	if err != nil {
		return Skip, l.T("esquema da rota inválido nas regras: %v", "the route's schema in the rules is broken: %v", err)
	}
	// A ticket draft masks personal values: a mask's shape is not the value's, so only a mask
	// the draft marked invalid still counts against the payload.
	vs = slices.DeleteFunc(vs, func(v rules.Violation) bool {
		return v.Code != "required" && maskedValid(f.PayloadValue, v.Path)
	})
	if len(vs) == 0 {
		return Pass, l.T("payload conforme o esquema de %s", "payload matches the schema of %s", c.Rules.Route(f.Route))
	}
	msgs := make([]string, len(vs))
	for i, v := range vs {
		msgs[i] = violationText(v, l)
	}
	return Fail, strings.Join(msgs, "; ")
}

// jsonProblem says where a payload stops being JSON, by line and column.
func jsonProblem(b []byte, l Lang) string {
	var v any
	err := json.Unmarshal(b, &v)
	var se *json.SyntaxError
	switch {
	case err == nil:
		return l.T("conteúdo depois do JSON", "content after the JSON value")
	case errors.As(err, &se):
		line, col := lineCol(b, int(se.Offset)-1) // Offset counts the offending byte
		// encoding/json's words stay in the English text; the Portuguese one says what to look at
		if l != "en" {
			return fmt.Sprintf("linha %d, coluna %d: o JSON não pôde ser lido a partir daí (confira vírgulas, aspas, chaves e colchetes)", line, col)
		}
		return fmt.Sprintf("line %d, column %d: %s", line, col, strings.TrimPrefix(se.Error(), "json: "))
	}
	return l.T("termina antes da hora (falta fechar chaves ou aspas)", "ends too early (unclosed braces or quotes)")
}

// violationText words a schema violation without repeating the value: payloads carry
// personal data, and the verdict may be pasted into a ticket.
func violationText(v rules.Violation, l Lang) string {
	at := v.Path
	field := func(name string) string {
		if at == "" {
			return name
		}
		return at + "." + name
	}
	switch v.Code {
	case "required":
		names := make([]string, len(v.Fields))
		for i, n := range v.Fields {
			names[i] = field(n)
		}
		if len(names) == 1 {
			return l.T("falta o campo obrigatório %s", "missing required field %s", names[0])
		}
		return l.T("faltam os campos obrigatórios %s", "missing required fields %s", strings.Join(names, ", "))
	case "type":
		return l.T("%s deve ser %s, veio %s", "%s must be %s, got %s", orRoot(at, l), typeName(v.Want, l), typeName(v.Got, l))
	case "format":
		return formatText(orRoot(at, l), v, l)
	case "enum", "const":
		return l.T("%s deve ser um de %s", "%s must be one of %s", orRoot(at, l), v.Want)
	case "minLength":
		return l.T("%s deve ter ao menos %s caracteres", "%s must have at least %s characters", orRoot(at, l), v.Want)
	case "maxLength":
		return l.T("%s deve ter no máximo %s caracteres", "%s must have at most %s characters", orRoot(at, l), v.Want)
	case "pattern":
		return l.T("%s não está no formato esperado", "%s is not in the expected shape", orRoot(at, l))
	case "minimum":
		return l.T("%s deve ser no mínimo %s", "%s must be at least %s", orRoot(at, l), v.Want)
	case "maximum":
		return l.T("%s deve ser no máximo %s", "%s must be at most %s", orRoot(at, l), v.Want)
	}
	// A rule of the schema without its own sentence here: the validator's words (English)
	// stay in the English text.
	if l != "en" {
		return fmt.Sprintf("%s não atende a uma regra do esquema da rota (o detalhe aparece com --lang en)", orRoot(at, l))
	}
	return fmt.Sprintf("%s: %s", orRoot(at, l), v.Detail)
}

func formatText(at string, v rules.Violation, l Lang) string {
	switch v.Want {
	case "cpf":
		return documentText(at, "CPF", v.Detail, l)
	case "cnpj":
		return documentText(at, "CNPJ", v.Detail, l)
	case "http-url":
		return webhookText(at, v.Detail, l)
	case "date":
		return l.T("%s deve ser uma data AAAA-MM-DD", "%s must be a date YYYY-MM-DD", at)
	}
	return l.T("%s não está no formato %s", "%s is not in format %s", at, v.Want)
}

// documentText words a CPF or CNPJ that does not fit, telling a shape problem (the number is
// right, its writing is not) from wrong check digits. It never repeats the value.
func documentText(at, kind, detail string, l Lang) string {
	cpf := kind == "CPF"
	switch detail {
	case rules.DetailShape:
		if cpf {
			return l.T("%s tem os dígitos de um CPF válido, mas num formato fora do padrão: enviar só os 11 dígitos ou 000.000.000-00",
				"%s holds a valid CPF's digits in an unusual shape: send the 11 digits alone or 000.000.000-00", at)
		}
		return l.T("%s tem os caracteres de um CNPJ válido, mas num formato fora do padrão: enviar só os 14 caracteres ou 00.000.000/0000-00",
			"%s holds a valid CNPJ's characters in an unusual shape: send the 14 characters alone or 00.000.000/0000-00", at)
	case rules.DetailLength:
		if cpf {
			return l.T("%s não tem os 11 dígitos de um CPF", "%s does not have a CPF's 11 digits", at)
		}
		return l.T("%s não tem os 14 caracteres de um CNPJ", "%s does not have a CNPJ's 14 characters", at)
	case rules.DetailCharacters:
		if cpf {
			return l.T("%s tem caracteres que não são dígitos de um CPF", "%s has characters that are not a CPF's digits", at)
		}
		return l.T("%s tem caracteres que não cabem num CNPJ (letras e dígitos, e dígitos no fim)", "%s has characters a CNPJ cannot hold (letters and digits, digits at the end)", at)
	}
	if cpf {
		return l.T("%s não é um CPF válido (dígitos verificadores não conferem)", "%s is not a valid CPF (check digits do not match)", at)
	}
	return l.T("%s não é um CNPJ válido (dígitos verificadores não conferem)", "%s is not a valid CNPJ (check digits do not match)", at)
}

// webhookText says why a notification URL cannot be called by the API, naming the field and
// the reason, never the URL (it may carry the partner's tokens in its query).
func webhookText(at, detail string, l Lang) string {
	switch detail {
	case rules.DetailNull:
		return l.T("%s veio com o texto null em vez de uma URL: informar a URL http(s) pública que receberá as notificações",
			"%s holds the text null instead of a URL: give the public http(s) URL that will receive the notifications", at)
	case rules.DetailNoHost:
		return l.T("%s é uma URL sem host", "%s is a URL without a host", at)
	case rules.DetailLocalhost, rules.DetailLoopback:
		return l.T("%s aponta para a própria máquina (localhost): a API não consegue chamar esse endereço; usar uma URL pública",
			"%s points to the machine itself (localhost): the API cannot call it; use a public URL", at)
	case rules.DetailPrivate:
		return l.T("%s aponta para um endereço de rede privada (10.x, 172.16-31.x, 192.168.x, fc00::/7): a API não alcança; usar uma URL pública",
			"%s points to a private network address (10.x, 172.16-31.x, 192.168.x, fc00::/7): the API cannot reach it; use a public URL", at)
	case rules.DetailLinkLocal:
		return l.T("%s aponta para um endereço link-local (169.254.x, fe80::): a API não alcança; usar uma URL pública",
			"%s points to a link-local address (169.254.x, fe80::): the API cannot reach it; use a public URL", at)
	case rules.DetailUnspecified:
		return l.T("%s aponta para um endereço não especificado (0.0.0.0 ou ::): usar uma URL pública",
			"%s points to an unspecified address (0.0.0.0 or ::): use a public URL", at)
	case rules.DetailReservedAddr:
		return l.T("%s aponta para um endereço que não é público (multicast, reservado ou de documentação): usar uma URL pública",
			"%s points to an address that is not public (multicast, reserved or documentation range): use a public URL", at)
	case rules.DetailLocalName:
		return l.T("%s usa um nome de rede local (.local, .internal, .lan...): a API não o resolve; usar um domínio público",
			"%s uses a local network name (.local, .internal, .lan...): the API cannot resolve it; use a public domain", at)
	case rules.DetailSingleLabel:
		return l.T("%s usa um nome de host sem domínio: a API não o resolve; usar um domínio público completo",
			"%s uses a host name without a domain: the API cannot resolve it; use a full public domain", at)
	case rules.DetailNumericName:
		return l.T("%s tem um host numérico que não é um endereço IP bem formado: usar um domínio público",
			"%s has a numeric host that is not a well-formed IP address: use a public domain", at)
	}
	return l.T("%s deve ser uma URL http(s) absoluta, com host público, que a API consiga chamar", "%s must be an absolute http(s) URL with a public host, which the API can call", at)
}

func orRoot(path string, l Lang) string {
	if path == "" {
		return l.T("o corpo", "the body")
	}
	return path
}

func typeName(t string, l Lang) string {
	if l == "en" {
		return strings.ReplaceAll(t, "|", " or ")
	}
	names := map[string]string{"string": "texto", "integer": "inteiro", "number": "número", "object": "objeto", "array": "lista", "boolean": "booleano", "null": "null"}
	parts := strings.Split(t, "|")
	for i, p := range parts {
		if n, ok := names[p]; ok {
			parts[i] = n
		}
	}
	return strings.Join(parts, " ou ")
}

// draftMaskRE is a value that a ticket draft masked (triagem case new --redact): "[cpf#1 …25]",
// "[email#1 …@example.com.br]", "[nome, 12 chars]". Its format cannot be judged; the draft
// notes ", invalid" in the mask when the original value broke the route's schema, and a CPF or
// CNPJ mask says "check digits invalid" itself.
var draftMaskRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\[(?:[a-z_]+#\d+ [^\[\]]*|[^\[\],]+, \d+ chars(?:, [^\[\]]*)?)\]$`)
})

// maskedValid tells whether the value at path is a draft's mask of a value that was valid.
func maskedValid(payload any, path string) bool {
	v := payload
	if path != "" {
		for _, k := range strings.Split(path, ".") {
			switch x := v.(type) {
			case map[string]any:
				v = x[k]
			case []any:
				i, err := strconv.Atoi(k)
				if err != nil || i < 0 || i >= len(x) {
					return false
				}
				v = x[i]
			default:
				return false
			}
		}
	}
	s, ok := v.(string)
	return ok && draftMaskRE().MatchString(s) && !strings.HasSuffix(s, ", invalid]") && !strings.Contains(s, "check digits invalid")
}

// PayloadViolationPaths lists where a case's payload breaks its route's schema (dotted paths,
// as the syntax check reports them): a ticket draft marks the masks of those values invalid.
func PayloadViolationPaths(c *Case, r *rules.Rules) map[string]bool {
	f, err := Resolve(c, r)
	if err != nil || !f.HasPayload || f.PayloadErr != nil || f.Route < 0 || !r.HasSchema(f.Route) {
		return nil
	}
	vs, err := r.ValidatePayload(f.Route, f.PayloadValue)
	if err != nil {
		return nil
	}
	out := make(map[string]bool, len(vs))
	for _, v := range vs {
		if v.Code != "required" && !maskedValid(f.PayloadValue, v.Path) { // a draft drafted again
			out[v.Path] = true
		}
	}
	return out
}
