package diagnose

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"triagem/rules"
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
}

var unverified = jwt.NewParser()

// ParseToken reads a JWT without verifying it. It never fails: a malformed token comes back
// with Err set, for the token.format check to report.
func ParseToken(raw string) *TokenInfo {
	ti := &TokenInfo{Raw: raw}
	if strings.Count(raw, ".") != 2 {
		ti.Err = fmt.Errorf("a JWT has 3 parts separated by dots, this one has %d", strings.Count(raw, ".")+1)
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
			ti.Err = fmt.Errorf("unknown signing algorithm %q", ti.Alg)
		default:
			ti.Err = errors.New(strings.TrimPrefix(strings.TrimPrefix(err.Error(), "token is malformed: "), "token is unverifiable: "))
		}
		return ti
	}
	ti.Claims = claims
	if ti.Alg == "" {
		ti.Err = errors.New("the header has no alg")
		return ti
	}
	var cerr error
	grab := func(get func() (*jwt.NumericDate, error), dst *time.Time, has *bool) {
		d, err := get()
		if err != nil {
			cerr = err
			return
		}
		if d != nil {
			*dst, *has = d.Time, true
		}
	}
	grab(claims.GetExpirationTime, &ti.Exp, &ti.HasExp)
	grab(claims.GetIssuedAt, &ti.Iat, &ti.HasIat)
	grab(claims.GetNotBefore, &ti.Nbf, &ti.HasNbf)
	if cerr != nil {
		ti.Err = fmt.Errorf("a time claim is not a number: %v", cerr)
	}
	return ti
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
	cx := &Context{Facts: f, Rules: r, Key: key, L: l}
	cx.Token = ParseToken(f.Token)
	tr := &TokenReport{Header: cx.Token.Header, Claims: cx.Token.Claims, At: at.In(r.Location()).Format(time.RFC3339), AtIs: "now"}
	moment := l.T("agora", "now")
	if atIsRequest {
		tr.AtIs = "request"
		moment = l.T("a requisição de %s", "the request at %s", cx.when(at))
	}
	for _, tc := range []struct {
		name string
		t    time.Time
		has  bool
	}{{"iat", cx.Token.Iat, cx.Token.HasIat}, {"nbf", cx.Token.Nbf, cx.Token.HasNbf}, {"exp", cx.Token.Exp, cx.Token.HasExp}} {
		if !tc.has {
			continue
		}
		d := tc.t.Sub(at)
		rel := l.T("%s depois de %s", "%s after %s", span(d), moment)
		switch {
		case d < 0 && tc.name == "exp":
			rel = l.T("expirou %s antes de %s", "expired %s before %s", span(d), moment)
		case d < 0:
			rel = l.T("%s antes de %s", "%s before %s", span(d), moment)
		case tc.name == "exp":
			rel = l.T("expira %s depois de %s", "expires %s after %s", span(d), moment)
		}
		tr.Times = append(tr.Times, TokenTime{Claim: tc.name, Unix: tc.t.Unix(), Local: cx.when(tc.t), Relative: rel})
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
