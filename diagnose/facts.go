package diagnose

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/crefazon/triagem/rules"
)

// Overrides are fields given on the command line; a nil field leaves the case's own.
type Overrides struct {
	URL, Method, At, APIKey, User, Token, Payload, Error, Env, Product, Ticket *string
	Status                                                                     *int
}

// Apply sets the given fields on the case, recording the flag as their place.
func (c *Case) Apply(o Overrides) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	if o.Token != nil {
		// The flag names the token to judge: it replaces the one in the Authorization header.
		for k := range c.Request.Headers {
			if strings.EqualFold(k, "Authorization") {
				delete(c.Request.Headers, k)
			}
		}
	}
	set(&c.Request.URL, o.URL)
	set(&c.Request.Method, o.Method)
	set(&c.Credentials.APIKey, o.APIKey)
	if o.APIKey != nil { // the flag gives the key: a digest in the file no longer speaks for it
		c.Credentials.APIKeySHA256 = KeyDigest{}
	}
	set(&c.Credentials.User, o.User)
	set(&c.Credentials.Token, o.Token)
	set(&c.Error, o.Error)
	set(&c.Environment, o.Env)
	set(&c.Product, o.Product)
	set(&c.Ticket, o.Ticket)
	if o.At != nil {
		c.Request.At = Timestamp{Raw: *o.At, Place: "--at"}
	}
	if o.Payload != nil {
		c.Request.Body = Body{Raw: []byte(*o.Payload), Present: strings.TrimSpace(*o.Payload) != ""}
	}
	if o.Status != nil {
		if c.Response == nil {
			c.Response = &Response{}
		}
		c.Response.Status = *o.Status
	}
	if c.places == nil {
		c.places = map[string]string{}
	}
	if o.Env != nil {
		c.places["environment"] = "--env"
	}
	if o.Product != nil {
		c.places["product"] = "--product"
	}
}

// Facts is what the chain knows about a case once it is read against the rules: the case's
// fields interpreted, never judged.
type Facts struct {
	Case *Case

	AtNote TimeNote // request.at fell in a daylight-saving gap or repeated hour

	At    time.Time
	HasAt bool

	Method         string // upper case; inferred from the route when the case has none
	MethodInferred bool

	URL     *url.URL // nil when the case has no URL
	HostEnv string   // the environment of the URL's host; "" when unknown
	Env     rules.Environment
	HasEnv  bool

	Version    rules.APIVersion
	HasVersion bool
	RoutePath  string // the path after the version prefix
	Route      int    // index into the rules' routes; -1 when unknown
	PathKnown  bool   // some route has this path, maybe with another method

	Product       rules.Product
	HasProduct    bool
	ProductSource string // "product", "produto.id" or "route"

	Token         string // without the Bearer scheme
	TokenSource   string // "Authorization" or "credentials.token"
	BearerMissing bool   // the Authorization header carried a token without "Bearer "
	TokenMismatch bool   // credentials.token and the header's token differ
	IssuedAt      time.Time
	HasIssuedAt   bool

	KeySHA256 string // of the API key's exact text; "" without a key

	Payload    []byte
	HasPayload bool
	// The payload decoded once, as JSON Schema validation wants it (numbers as json.Number);
	// PayloadErr says why it is not JSON.
	PayloadValue any
	PayloadErr   error

	ErrorText string // the error the partner saw plus the response's errors
	Status    int
}

// envAliases lets people write the environment as they say it.
var envAliases = map[string]string{"homolog": "homologacao", "hml": "homologacao", "stag": "homologacao", "staging": "homologacao", "prod": "producao", "production": "producao"}

// Resolve reads a case against the rules. Its errors are input errors (exit 2): an
// unparseable time, an unknown product or environment name. It also fills the case: resolved
// timestamps, the environment's id, and the key and user a login call's body carries; so a
// case is resolved once, by one goroutine.
func Resolve(c *Case, r *rules.Rules) (*Facts, error) { return ResolveLang(c, r, "en") }

// ResolveLang is Resolve with its input errors worded in l.
func ResolveLang(c *Case, r *rules.Rules, l Lang) (*Facts, error) {
	f := &Facts{Case: c, Route: -1}
	loc := r.Location()

	if !c.Request.At.IsZero() {
		t, note, err := ParseTimeNote(c.Request.At.Raw, loc)
		if err != nil {
			return nil, &InputError{Place: c.Request.At.Place, Msg: "request.at: " + TimeErrorText(err, "en"), Pt: "request.at: " + TimeErrorText(err, "pt-BR")}
		}
		c.Request.At.t, c.Request.At.ok = t, true
		f.At, f.HasAt, f.AtNote = t, true, note
	}
	if !c.Credentials.TokenIssuedAt.IsZero() {
		t, err := ParseTime(c.Credentials.TokenIssuedAt.Raw, loc)
		if err != nil {
			return nil, &InputError{Place: c.Credentials.TokenIssuedAt.Place, Msg: "credentials.token_issued_at: " + TimeErrorText(err, "en"), Pt: "credentials.token_issued_at: " + TimeErrorText(err, "pt-BR")}
		}
		c.Credentials.TokenIssuedAt.t, c.Credentials.TokenIssuedAt.ok = t, true
		f.IssuedAt, f.HasIssuedAt = t, true
	}

	if s := strings.TrimSpace(c.Request.URL); s != "" {
		if !strings.Contains(s, "://") && !strings.HasPrefix(s, "/") {
			s = "https://" + s // pasted from a ticket without its scheme
		}
		u, err := url.Parse(s)
		if err != nil {
			return nil, inputErrL(c.place("request.url"), "request.url: não é uma URL (confira o que foi colado)", "request.url: not a URL (check what was pasted)")
		}
		f.URL = u
		if e, ok := r.EnvironmentOfHost(u.Hostname()); ok {
			f.HostEnv, f.Env, f.HasEnv = e.ID, e, true
		}
		if v, rest, ok := r.VersionOfPath(u.Path); ok {
			f.Version, f.HasVersion, f.RoutePath = v, true, rest
		}
	}
	if s := strings.TrimSpace(c.Environment); s != "" {
		id := rules.Fold(s)
		if a, ok := envAliases[id]; ok {
			id = a
		}
		e, ok := r.Environment(id)
		if !ok {
			return nil, inputErrL(c.place("environment"), "environment: %q não é um ambiente das regras (%s)", "environment: %q is not an environment of the rules (%s)", s, envList(r))
		}
		if !f.HasEnv { // the URL's host, when known, says where the request went
			f.Env, f.HasEnv = e, true
		}
		c.Environment = e.ID
	}

	f.Method = strings.ToUpper(strings.TrimSpace(c.Request.Method))
	if f.HasVersion {
		f.Route, f.PathKnown = r.MatchRoute(f.Version.ID, f.Method, f.RoutePath)
		if f.Method == "" && f.Route >= 0 {
			f.Method, f.MethodInferred = r.Route(f.Route).Method, true
		}
	}
	if f.Method == "" && c.Request.Body.Present {
		f.Method, f.MethodInferred = "POST", true
		if f.HasVersion { // the path may have a GET and a POST: the body says which
			f.Route, f.PathKnown = r.MatchRoute(f.Version.ID, f.Method, f.RoutePath)
		}
	}

	f.Payload, f.HasPayload = c.Request.Body.Raw, c.Request.Body.Present
	if f.HasPayload {
		f.PayloadValue, f.PayloadErr = jsonschema.UnmarshalJSON(bytes.NewReader(f.Payload))
	}
	if f.Route >= 0 && r.Route(f.Route).Login {
		fillFromLogin(c, f.PayloadValue)
	}

	if err := f.resolveProduct(c, r); err != nil {
		return nil, err
	}
	f.resolveToken(c)
	if k := c.Credentials.APIKey; strings.TrimSpace(k) != "" {
		f.KeySHA256 = KeyFingerprint(k)
	}
	if d := c.Credentials.APIKeySHA256; d.Hex != "" {
		if !validKeyDigest(d.Hex) { // a case built in code, not read by ParseCase
			return nil, inputErr(c.placeOr(d.Place, "credentials.api_key_sha256"), "credentials.api_key_sha256: want the API key's SHA-256 in lower-case hex (64 characters 0-9 a-f)")
		}
		if f.KeySHA256 != "" && f.KeySHA256 != d.Hex {
			return nil, inputErr(c.placeOr(d.Place, "credentials.api_key_sha256"), "credentials.api_key_sha256 is not the SHA-256 of credentials.api_key: the case names two different keys; keep the one that was sent")
		}
		f.KeySHA256 = d.Hex
	}

	f.ErrorText = strings.TrimSpace(c.Error)
	if c.Response != nil {
		f.Status = c.Response.Status
		if errs := responseErrors(c.Response.Body); len(errs) > 0 {
			all := strings.Join(errs, "; ")
			if f.ErrorText == "" {
				f.ErrorText = all
			} else if !strings.Contains(f.ErrorText, all) {
				f.ErrorText += "; " + all
			}
		}
	}
	return f, nil
}

// KeyFingerprint is the lower-case hex SHA-256 of an API key's exact text, as the directory
// identifies keys.
func KeyFingerprint(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

func envList(r *rules.Rules) string {
	ids := make([]string, len(r.Environments))
	for i, e := range r.Environments {
		ids[i] = e.ID
	}
	return strings.Join(ids, ", ")
}

// placeOr is a recorded place, else the field's.
func (c *Case) placeOr(place, field string) string {
	if place != "" {
		return place
	}
	return c.place(field)
}

func (c *Case) place(field string) string {
	if p, ok := c.places[field]; ok {
		return p
	}
	if c.Source != "" {
		return c.Source
	}
	return "case"
}

func (f *Facts) resolveProduct(c *Case, r *rules.Rules) error {
	if s := strings.TrimSpace(c.Product); s != "" {
		p, ok := r.ProductByName(s)
		if !ok {
			ids := make([]string, len(r.Products))
			for i, p := range r.Products {
				ids[i] = p.ID
			}
			return inputErrL(c.place("product"), "product: %q não é um produto das regras (%s)", "product: %q is not a product of the rules (%s)", s, strings.Join(ids, ", "))
		}
		f.Product, f.HasProduct, f.ProductSource = p, true, "product"
		return nil
	}
	if id, ok := payloadProductID(f.PayloadValue); ok {
		if p, ok := r.ProductByPayloadID(id); ok {
			f.Product, f.HasProduct, f.ProductSource = p, true, "produto.id"
			return nil
		}
	}
	if f.Route >= 0 {
		if id := r.Route(f.Route).Product; id != "" {
			f.Product, f.HasProduct, f.ProductSource = mustProduct(r, id), true, "route"
		}
	}
	return nil
}

func mustProduct(r *rules.Rules, id string) rules.Product {
	p, _ := r.Product(id) // validated when the rules were loaded
	return p
}

// payloadProductID reads produto.id from a decoded payload, if it has one.
func payloadProductID(payload any) (int, bool) {
	id := dig(payload, "produto", "id")
	switch x := id.(type) {
	case json.Number:
		n, err := strconv.Atoi(x.String())
		return n, err == nil
	case string:
		n, err := strconv.Atoi(x)
		return n, err == nil
	}
	return 0, false
}

// dig walks a decoded JSON value by object keys.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func (f *Facts) resolveToken(c *Case) {
	var header string
	for k, v := range c.Request.Headers {
		if strings.EqualFold(k, "Authorization") {
			header = strings.TrimSpace(v)
		}
	}
	cred := strings.TrimSpace(c.Credentials.Token)
	cred = trimBearer(cred)
	if header != "" {
		tok := trimBearer(header)
		if tok == header && !strings.HasPrefix(strings.ToLower(header), "bearer") {
			f.BearerMissing = true
		}
		f.Token, f.TokenSource = tok, "Authorization"
		f.TokenMismatch = cred != "" && cred != tok
		return
	}
	if cred != "" {
		f.Token, f.TokenSource = cred, "credentials.token"
	}
}

func trimBearer(s string) string {
	if len(s) >= 7 && strings.EqualFold(s[:7], "bearer ") {
		return strings.TrimSpace(s[7:])
	}
	return s
}

// responseErrors reads the API envelope's "errors" from a response body.
func responseErrors(b Body) []string {
	if !b.Present {
		return nil
	}
	var env struct {
		Errors []any `json:"errors"`
	}
	if json.Unmarshal(b.Raw, &env) != nil {
		return nil
	}
	var out []string
	for _, e := range env.Errors {
		switch x := e.(type) {
		case string:
			if strings.TrimSpace(x) != "" {
				out = append(out, x)
			}
		case map[string]any: // some answers carry {"mensagem": "..."} objects
			for _, k := range []string{"mensagem", "message", "erro", "error"} {
				if s, ok := x[k].(string); ok && s != "" {
					out = append(out, s)
					break
				}
			}
		}
	}
	return out
}

// fillFromLogin takes the API key and the user from a login call's body (V1 {login, apiKey}
// or V2 {usuario: {login, apiKey}}) when the case does not give them: they are what was sent.
func fillFromLogin(c *Case, payload any) {
	body := payload
	if u := dig(payload, "usuario"); u != nil {
		body = u
	}
	str := func(k string) string { s, _ := dig(body, k).(string); return s }
	// A draft names its key by credentials.api_key_sha256 and masks the body's: the mask is
	// not the key that was sent.
	if strings.TrimSpace(c.Credentials.APIKey) == "" && c.Credentials.APIKeySHA256.Hex == "" {
		c.Credentials.APIKey = str("apiKey")
	}
	if strings.TrimSpace(c.Credentials.User) == "" {
		c.Credentials.User = str("login")
	}
}
