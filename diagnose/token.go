package diagnose

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/crefazon/triagem/rules"
)

// TokenInfo is a token read without trusting it: header and claims, to judge its form and
// times. Err says why it is not a well-formed JWT.
type TokenInfo struct {
	Raw    string
	Alg    string
	Header map[string]any
	Claims jwt.MapClaims
	Err    error

	Exp, Iat, Nbf          time.Time
	HasExp, HasIat, HasNbf bool
	// Millis names the time claims written in milliseconds instead of the seconds a JWT counts
	// (exp: 1795338000000); their times above are read as milliseconds.
	Millis []string
}

var unverified = jwt.NewParser()

// millisFrom is where a time claim stops being plausible seconds: 10^11 s is the year 5138,
// and 10^11 ms is 1973. Claims from there to 10^14 are read as milliseconds.
const millisFrom, millisTo = 1e11, 1e14

// ParseToken reads a JWT without verifying it. It never fails: a malformed token comes back
// with Err set, for the token.format check to report.
func ParseToken(raw string) *TokenInfo {
	ti := &TokenInfo{Raw: raw}
	if strings.Count(raw, ".") != 2 {
		n := strings.Count(raw, ".") + 1
		ti.Err = tokenErr("um JWT tem 3 partes separadas por pontos, este tem %d", "a JWT has 3 parts separated by dots, this one has %d", n)
		return ti
	}
	// Go's base64 decoder skips line breaks, so golang-jwt reads a token with a newline in it;
	// the API does not, and the signature is over the exact text: check the alphabet first.
	if err := checkSegments(raw); err != nil {
		ti.Err = err
		return ti
	}
	claims := jwt.MapClaims{}
	tok, _, err := unverified.ParseUnverified(raw, claims)
	if tok != nil {
		ti.Header = tok.Header
		ti.Alg, _ = tok.Header["alg"].(string)
	}
	if err != nil {
		switch {
		case errors.Is(err, jwt.ErrTokenUnverifiable) && ti.Header != nil:
			ti.Err = tokenErr("algoritmo de assinatura desconhecido %q", "unknown signing algorithm %q", ti.Alg)
		default:
			ti.Err = jwtParseError(err)
		}
		return ti
	}
	ti.Claims = claims
	if ti.Alg == "" {
		ti.Err = tokenErr("o cabeçalho não tem alg", "the header has no alg")
		return ti
	}
	if err := checkCrit(ti.Header); err != nil {
		ti.Err = err
		return ti
	}
	var cerr error
	grab := func(name string, get func() (*jwt.NumericDate, error), dst *time.Time, has *bool) {
		d, err := get()
		if err != nil {
			cerr = tokenErr("o %s não é um número de segundos", "%s is not a number of seconds", name)
			return
		}
		if d == nil {
			return
		}
		*dst, *has = d.Time, true
		switch n := d.Unix(); {
		case n >= millisTo || n <= -millisTo:
			cerr = tokenErr("o %s não é uma data em segundos", "%s is not a time in seconds", name)
		case n >= millisFrom:
			*dst = time.UnixMilli(n)
			ti.Millis = append(ti.Millis, name)
		}
	}
	grab("iat", claims.GetIssuedAt, &ti.Iat, &ti.HasIat)
	grab("nbf", claims.GetNotBefore, &ti.Nbf, &ti.HasNbf)
	grab("exp", claims.GetExpirationTime, &ti.Exp, &ti.HasExp)
	if cerr != nil {
		ti.Err = cerr
	}
	return ti
}

var (
	segmentNames   = []string{"header", "payload", "signature"}
	segmentNamesPT = []string{"do cabeçalho", "do payload", "da assinatura"}
)

// checkSegments refuses any character outside the base64url alphabet, padding included.
func checkSegments(raw string) error {
	for i, seg := range strings.Split(raw, ".") {
		for j, r := range seg {
			if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
				continue
			}
			pt, en := charName(r)
			return &TokenError{
				PT: fmt.Sprintf("a parte %s tem %s no caractere %d: um JWT só tem base64url (A-Z a-z 0-9 - _)", segmentNamesPT[i], pt, j+1),
				EN: fmt.Sprintf("the %s has %s at character %d: a JWT holds only base64url (A-Z a-z 0-9 - _)", segmentNames[i], en, j+1),
			}
		}
		if seg == "" && i < 2 {
			return &TokenError{PT: fmt.Sprintf("a parte %s está vazia", segmentNamesPT[i]), EN: fmt.Sprintf("the %s is empty", segmentNames[i])}
		}
	}
	return nil
}

// charName names a character that has no place in a JWT by its kind, in both languages:
// never the token's text around it.
func charName(r rune) (pt, en string) {
	switch r {
	case '\n', '\r':
		return "uma quebra de linha", "a line break"
	case ' ', '\t', '\u00a0':
		return "um espaço", "a blank"
	case '=':
		return "preenchimento base64 (=)", "base64 padding (=)"
	case '+', '/':
		return fmt.Sprintf("%q (base64 comum, não base64url)", r), fmt.Sprintf("%q (standard base64, not base64url)", r)
	}
	if r < 0x20 || r == 0x7f {
		return fmt.Sprintf("um caractere de controle (U+%04X)", r), fmt.Sprintf("a control character (U+%04X)", r)
	}
	return fmt.Sprintf("%q", r), fmt.Sprintf("%q", r)
}

// TokenError says why a token is not a well-formed JWT, in both languages: the check words
// it in the verdict's.
type TokenError struct{ PT, EN string }

func (e *TokenError) Error() string { return e.EN }

// In returns the text in the language l.
func (e *TokenError) In(l Lang) string { return l.T(e.PT, e.EN) }

func tokenErr(pt, en string, args ...any) *TokenError {
	return &TokenError{PT: fmt.Sprintf(pt, args...), EN: fmt.Sprintf(en, args...)}
}

// jwtParseError words golang-jwt's reasons for a malformed token.
func jwtParseError(err error) *TokenError {
	s := err.Error()
	switch {
	case strings.Contains(s, "could not base64 decode header"):
		return tokenErr("o cabeçalho não é base64url", "the header is not base64url")
	case strings.Contains(s, "could not JSON decode header"):
		return tokenErr("o cabeçalho não é um objeto JSON", "the header is not a JSON object")
	case strings.Contains(s, "could not base64 decode claim"):
		return tokenErr("o payload não é base64url", "the payload is not base64url")
	case strings.Contains(s, "could not JSON decode claim"):
		return tokenErr("o payload não é um objeto JSON", "the payload is not a JSON object")
	}
	en := strings.TrimPrefix(strings.TrimPrefix(s, "token is malformed: "), "token is unverifiable: ")
	return &TokenError{PT: "formato de JWT não reconhecido", EN: en}
}

// checkCrit enforces the header's crit (RFC 7515, 4.1.11): the extensions it lists must be
// understood, and the API's tokens use none, so any is unknown.
func checkCrit(h map[string]any) error {
	v, ok := h["crit"]
	if !ok {
		return nil
	}
	bad := tokenErr("o crit do cabeçalho não é uma lista de nomes de extensões", "the header's crit is not a list of extension names")
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return bad
	}
	names := make([]string, len(list))
	for i, x := range list {
		s, ok := x.(string)
		if !ok || s == "" {
			return bad
		}
		names[i] = s
	}
	return tokenErr("o crit do cabeçalho exige extensões que a API não usa (%s)", "the header's crit requires extensions the API does not use (%s)", strings.Join(names, ", "))
}

// TokenKey verifies token signatures: an HMAC secret, or a PEM public key.
type TokenKey struct {
	Source  string // where it came from, for messages (never the key itself)
	key     any
	methods []string
}

// NewTokenKey reads key material: a PEM public key or certificate (RSA, ECDSA, Ed25519), or
// else an HMAC secret (a trailing newline, as files end, is not part of the secret).
func NewTokenKey(material []byte, source string) (*TokenKey, error) {
	if block, _ := pem.Decode(material); block != nil {
		var pub any
		var err error
		switch block.Type {
		case "CERTIFICATE":
			var cert *x509.Certificate
			if cert, err = x509.ParseCertificate(block.Bytes); err == nil {
				pub = cert.PublicKey
			}
		case "RSA PUBLIC KEY":
			pub, err = x509.ParsePKCS1PublicKey(block.Bytes)
		default:
			pub, err = x509.ParsePKIXPublicKey(block.Bytes)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: not a PEM public key: %v", source, err)
		}
		tk := &TokenKey{Source: source, key: pub}
		switch pub.(type) {
		case interface{ Size() int }: // *rsa.PublicKey
			tk.methods = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}
		default:
			tk.methods = methodsFor(pub)
		}
		if tk.methods == nil {
			return nil, fmt.Errorf("%s: unsupported public key type %T", source, pub)
		}
		return tk, nil
	}
	secret := []byte(strings.TrimRight(string(material), "\r\n"))
	if len(secret) == 0 {
		return nil, fmt.Errorf("%s: the HMAC secret is empty", source)
	}
	return &TokenKey{Source: source, key: secret, methods: []string{"HS256", "HS384", "HS512"}}, nil
}

func methodsFor(pub any) []string {
	switch fmt.Sprintf("%T", pub) {
	case "*ecdsa.PublicKey":
		return []string{"ES256", "ES384", "ES512"}
	case "ed25519.PublicKey":
		return []string{"EdDSA"}
	}
	return nil
}

// Verify checks the token's signature with the key. Times are not judged here: the chain
// judges them against the request's time, not the current one.
func (k *TokenKey) Verify(raw string) error {
	p := jwt.NewParser(jwt.WithValidMethods(k.methods), jwt.WithoutClaimsValidation())
	_, err := p.Parse(raw, func(*jwt.Token) (any, error) { return k.key, nil })
	return err
}

// TokenReport is a token read for a person: header, claims, its times against a moment, and
// the chain's token checks.
type TokenReport struct {
	Header   map[string]any `json:"header"`
	Claims   map[string]any `json:"claims"`
	Times    []TokenTime    `json:"times"`
	Lifetime string         `json:"lifetime,omitempty"` // exp - iat
	At       string         `json:"at"`                 // the moment judged, RFC 3339 in the rules' zone
	AtIs     string         `json:"at_is"`              // "request" (--at) or "now"
	Checks   []Result       `json:"checks"`
}

// TokenTime is one time claim, in the rules' zone and relative to the moment judged.
type TokenTime struct {
	Claim    string `json:"claim"`
	Unix     int64  `json:"unix"`
	Local    string `json:"local"`
	Relative string `json:"relative"`
	Unit     string `json:"unit,omitempty"` // "ms" when the claim was written in milliseconds
}

// relative words a claim's time against the moment judged, keeping its sign: d is the
// claim's time minus the moment. Each case is its own sentence in each language.
func (c *Context) relative(claim string, d time.Duration, at time.Time, atIsRequest bool) string {
	l, when := c.L, c.when(at)
	past := d < 0
	switch {
	case claim == "exp" && past && atIsRequest:
		return l.T("expirou %s antes da requisição de %s", "expired %s before the request at %s", span(d), when)
	case claim == "exp" && past:
		return l.T("expirou há %s", "expired %s ago", span(d))
	case claim == "exp" && atIsRequest:
		return l.T("expira %s depois da requisição de %s", "expires %s after the request at %s", span(d), when)
	case claim == "exp":
		return l.T("expira daqui a %s", "expires in %s", span(d))
	case past && atIsRequest:
		return l.T("%s antes da requisição de %s", "%s before the request at %s", span(d), when)
	case past:
		return l.T("há %s", "%s ago", span(d))
	case atIsRequest:
		return l.T("%s depois da requisição de %s", "%s after the request at %s", span(d), when)
	}
	return l.T("daqui a %s", "in %s", span(d))
}

// Failed tells whether a token check failed.
func (tr *TokenReport) Failed() bool {
	for _, c := range tr.Checks {
		if c.Status == Fail {
			return true
		}
	}
	return false
}

// InspectToken runs the chain's token checks on a token alone, at a moment: the request's
// time when the caller knows it (atIsRequest), else now.
func InspectToken(raw string, at time.Time, atIsRequest bool, r *rules.Rules, key *TokenKey, l Lang) *TokenReport {
	f := &Facts{Case: &Case{}, Route: -1, Token: trimBearer(strings.TrimSpace(raw)), TokenSource: "credentials.token", At: at, HasAt: true}
	cx := &Context{Facts: f, Rules: r, Key: key, L: l, AtIsNow: !atIsRequest}
	cx.Token = ParseToken(f.Token)
	tr := &TokenReport{Header: cx.Token.Header, Claims: cx.Token.Claims, At: at.In(r.Location()).Format(time.RFC3339), AtIs: "now"}
	if atIsRequest {
		tr.AtIs = "request"
	}
	for _, tc := range []struct {
		name string
		t    time.Time
		has  bool
	}{{"iat", cx.Token.Iat, cx.Token.HasIat}, {"nbf", cx.Token.Nbf, cx.Token.HasNbf}, {"exp", cx.Token.Exp, cx.Token.HasExp}} {
		if !tc.has {
			continue
		}
		tt := TokenTime{Claim: tc.name, Unix: tc.t.Unix(), Local: cx.when(tc.t), Relative: cx.relative(tc.name, tc.t.Sub(at), at, atIsRequest)}
		if slices.Contains(cx.Token.Millis, tc.name) {
			tt.Unit = "ms"
			tt.Relative += l.T(", escrito em milissegundos", ", written in milliseconds")
		}
		tr.Times = append(tr.Times, tt)
	}
	if cx.Token.HasExp && cx.Token.HasIat {
		tr.Lifetime = span(cx.Token.Exp.Sub(cx.Token.Iat))
	}
	for _, chk := range Checks {
		if !strings.HasPrefix(chk.ID, "token.") {
			continue
		}
		st, msg := chk.Run(cx)
		tr.Checks = append(tr.Checks, Result{ID: chk.ID, Status: st, Section: chk.Section, Message: msg})
	}
	return tr
}
