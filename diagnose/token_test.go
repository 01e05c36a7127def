package diagnose_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/crefazon/triagem/diagnose"
)

func TestChainToken(t *testing.T) {
	// A request sent in March 2025: its token is long expired today, but the check judges the
	// request's time, not the clock's.
	const past = "2025-03-11 10:00"
	h := time.Hour
	tests := []struct {
		name string
		at   string
		opts func(t testing.TB, at time.Time) []caseOpt
		want want
	}{
		{"valid when sent, expired now", past,
			func(t testing.TB, at time.Time) []caseOpt {
				return []caseOpt{withToken(signHS(t, tokenClaims(at.Add(-h), at.Add(11*h))))}
			},
			want{category: "no-apparent-cause", escalate: true, status: st{"token.format": pass, "token.lifetime": pass, "token.expiry": pass},
				says: st2says("token.expiry", "11h")}},
		{"exp 30 s before the request: within the leeway", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				exp := at.Add(-30 * time.Second)
				return []caseOpt{withToken(signHS(t, tokenClaims(exp.Add(-12*h), exp)))}
			},
			want{category: "no-apparent-cause", escalate: true, status: st{"token.expiry": warn},
				says: st2says("token.expiry", "expired 30s before the request", "within the 60s leeway")}},
		{"exp 2 min before the request: expired", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				exp := at.Add(-2 * time.Minute)
				return []caseOpt{withToken(signHS(t, tokenClaims(exp.Add(-12*h), exp)))}
			},
			want{category: "token-expired", status: st{"token.expiry": fail, "token.lifetime": pass},
				says: st2says("token.expiry", "expired 2m00s before", "2026-11-17 14:05 -03", "exp 2026-11-17 14:03 -03")}},
		{"expired the evening before", "2026-11-18 10:15",
			func(t testing.TB, at time.Time) []caseOpt {
				iat := mustTime(t, "2026-11-17 21:13")
				return []caseOpt{withToken(signHS(t, tokenClaims(iat, iat.Add(12*h))))}
			},
			want{category: "token-expired", says: st2says("token.expiry", "1h02m", "exp 2026-11-18 09:13 -03")}},
		{"no exp, issued 12h05m before", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				return []caseOpt{withToken(signHS(t, tokenClaims(at.Add(-12*h-5*time.Minute), time.Time{})))}
			},
			want{category: "token-expired", status: st{"token.expiry": fail, "token.lifetime": fail},
				says: st2says("token.expiry", "iat")}},
		{"no exp, issued an hour before: never expires", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				return []caseOpt{withToken(signHS(t, tokenClaims(at.Add(-h), time.Time{})))}
			},
			want{category: "token-invalid", status: st{"token.expiry": pass, "token.lifetime": fail}, says: st2says("token.lifetime", "exp")}},
		{"no token, generated 13h before", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				return []caseOpt{noToken(), withIssuedAt(at.Add(-13 * h).Format("2006-01-02 15:04"))}
			},
			want{category: "token-expired", status: st{"token.format": skip, "token.expiry": fail}, says: st2says("token.expiry", "1h")}},
		{"no token, generated 11h before", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				return []caseOpt{noToken(), withIssuedAt(at.Add(-11 * h).Format("02/01/2006 15:04"))}
			},
			want{category: "no-apparent-cause", escalate: true, status: st{"token.format": skip, "token.expiry": pass}}},
		{"no token at all", weekday,
			func(t testing.TB, at time.Time) []caseOpt { return []caseOpt{noToken()} },
			want{category: "no-apparent-cause", escalate: true, status: st{"token.format": skip, "token.lifetime": skip, "token.expiry": skip}}},
		{"no iat: the partner's generation time counts", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				return []caseOpt{withToken(signHS(t, tokenClaims(time.Time{}, at.Add(2*h)))), withIssuedAt(at.Add(-13 * h).Format(time.RFC3339))}
			},
			want{category: "token-expired", status: st{"token.expiry": fail, "token.lifetime": fail}}},
		{"lifetime 24h", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				return []caseOpt{withToken(signHS(t, tokenClaims(at.Add(-h), at.Add(23*h))))}
			},
			want{category: "token-invalid", status: st{"token.lifetime": fail, "token.expiry": pass}, says: st2says("token.lifetime", "24h", "12h")}},
		{"lifetime 12h plus 30 s: the lifetime has no leeway", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				return []caseOpt{withToken(signHS(t, tokenClaims(at.Add(-h), at.Add(11*h+30*time.Second))))}
			},
			want{category: "token-invalid", status: st{"token.lifetime": fail}, says: st2says("token.lifetime", "12h00m30s")}},
		{"lifetime 12h plus 1 s", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				return []caseOpt{withToken(signHS(t, tokenClaims(at.Add(-h), at.Add(11*h+time.Second))))}
			},
			want{category: "token-invalid", status: st{"token.lifetime": fail}, says: st2says("token.lifetime", "12h00m01s", "longer than")}},
		{"lifetime exactly 12h", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				return []caseOpt{withToken(signHS(t, tokenClaims(at.Add(-h), at.Add(11*h))))}
			},
			want{category: "no-apparent-cause", escalate: true, status: st{"token.lifetime": pass}}},
		{"nbf 5 min after the request: not yet valid", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				c := tokenClaims(at.Add(-h), at.Add(11*h))
				c["nbf"] = at.Add(5 * time.Minute).Unix()
				return []caseOpt{withToken(signHS(t, c))}
			},
			want{category: "token-invalid", status: st{"token.not-before": fail, "token.expiry": pass},
				says: st2says("token.not-before", "valid only from 2026-11-17 14:10 -03 (nbf)", "5m00s after the request")}},
		{"nbf 30 s after the request: within the leeway", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				c := tokenClaims(at.Add(-h), at.Add(11*h))
				c["nbf"] = at.Add(30 * time.Second).Unix()
				return []caseOpt{withToken(signHS(t, c))}
			},
			want{category: "no-apparent-cause", escalate: true, status: st{"token.not-before": pass}}},
		{"an unknown crit header", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				tok := jwt.NewWithClaims(jwt.SigningMethodHS256, tokenClaims(at.Add(-h), at.Add(11*h)))
				tok.Header["crit"] = []string{"exp-extension"}
				tok.Header["exp-extension"] = true
				s, err := tok.SignedString(testSecret)
				if err != nil {
					t.Fatal(err)
				}
				return []caseOpt{withToken(s)}
			},
			want{category: "token-invalid", status: st{"token.format": fail}, says: st2says("token.format", "crit", "exp-extension")}},
		{"a line break inside the token", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				s := signHS(t, tokenClaims(at.Add(-h), at.Add(11*h)))
				return []caseOpt{withToken(s[:40] + "\n" + s[40:])}
			},
			want{category: "token-invalid", status: st{"token.format": fail, "token.expiry": skip},
				says: st2says("token.format", "the payload has a line break at character 4")}},
		{"a space inside the signature", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				s := signHS(t, tokenClaims(at.Add(-h), at.Add(11*h)))
				return []caseOpt{withToken(s[:len(s)-5] + " " + s[len(s)-5:])}
			},
			want{category: "token-invalid", status: st{"token.format": fail}, says: st2says("token.format", "the signature has a blank")}},
		{"base64 padding", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				return []caseOpt{withToken(signHS(t, tokenClaims(at.Add(-h), at.Add(11*h))) + "=")}
			},
			want{category: "token-invalid", status: st{"token.format": fail}, says: st2says("token.format", "padding")}},
		{"exp in milliseconds", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				c := tokenClaims(at.Add(-h), time.Time{})
				c["exp"] = at.Add(11 * h).UnixMilli()
				return []caseOpt{withToken(signHS(t, c))}
			},
			want{category: "token-invalid", status: st{"token.format": fail, "token.lifetime": pass, "token.expiry": pass},
				says: st2says("token.format", "exp in milliseconds"), never: []string{"106751d"}}},
		{"exp in milliseconds, issued 13h before: the iat still bounds it", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				c := tokenClaims(at.Add(-13*h), time.Time{})
				c["exp"] = at.Add(-h).UnixMilli()
				return []caseOpt{withToken(signHS(t, c))}
			},
			want{category: "token-expired", status: st{"token.format": fail, "token.expiry": fail}, says: st2says("token.expiry", "iat")}},
		{"malformed abc.def", weekday,
			func(t testing.TB, at time.Time) []caseOpt { return []caseOpt{withToken("abc.def")} },
			want{category: "token-invalid", status: st{"token.format": fail, "token.lifetime": skip, "token.expiry": skip}, says: st2says("token.format", "JWT")}},
		{"three parts of junk", weekday,
			func(t testing.TB, at time.Time) []caseOpt { return []caseOpt{withToken("abc.def.ghi")} },
			want{category: "token-invalid", status: st{"token.format": fail}}},
		{"alg none", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				return []caseOpt{withToken(signNone(t, tokenClaims(at.Add(-h), at.Add(11*h))))}
			},
			want{category: "token-invalid", status: st{"token.format": fail}, says: st2says("token.format", "none")}},
		{"Authorization without Bearer", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				return []caseOpt{withAuth(signHS(t, tokenClaims(at.Add(-h), at.Add(11*h))))}
			},
			want{category: "token-invalid", status: st{"token.format": fail}, says: st2says("token.format", "Bearer")}},
		{"credentials.token differs from the header: the header counts", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				return []caseOpt{func(c *diagnose.Case) { c.Credentials.Token = "abc.def" }}
			},
			want{category: "no-apparent-cause", escalate: true, status: st{"token.format": warn}}},
		{"token issued after the request: not the one sent", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				return []caseOpt{withToken(signHS(t, tokenClaims(at.Add(2*h), at.Add(14*h))))}
			},
			want{category: "token-invalid", status: st{"token.not-before": fail, "token.expiry": pass},
				says: st2says("token.not-before", "issued at 2026-11-17 16:05 -03 (iat), 2h after the request")}},
		{"the login route carries no token", weekday,
			func(t testing.TB, at time.Time) []caseOpt {
				return []caseOpt{noToken(), withURL(stag + "/api/v2/usuarios/login"),
					withPayload(`{"usuario": {"login": "alfa.maria", "senha": "x", "apiKey": "k"}}`)}
			},
			want{category: "no-apparent-cause", escalate: true, status: st{"token.format": skip}, says: st2says("token.format", "login")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at := mustTime(t, tc.at)
			v := diagnoseWith(t, newChain(t, testDirectory(), "en"), newCase(t, tc.at, tc.opts(t, at)...))
			tc.want.never = append(tc.want.never, "eyJ")
			assertVerdict(t, v, tc.want)
		})
	}
}

// The token messages in Portuguese are whole sentences: "antes da requisição", never a glued
// "antes de a requisição"; each keeps the sign of the time it tells.
func TestTokenMessagesPortuguese(t *testing.T) {
	h := time.Hour
	at := mustTime(t, weekday)
	ch := newChain(t, testDirectory(), "pt-BR")
	expired30s := signHS(t, tokenClaims(at.Add(-12*h-30*time.Second), at.Add(-30*time.Second)))
	notYet := tokenClaims(at.Add(-h), at.Add(11*h))
	notYet["nbf"] = at.Add(10 * time.Minute).Unix()
	for _, tc := range []struct {
		name, token, check, says string
	}{
		{"30 s past exp", expired30s, "token.expiry", "o token expirou 30s antes da requisição de 2026-11-17 14:05 -03 (exp 2026-11-17 14:04 -03), dentro da tolerância de 60s"},
		{"nbf after the request", signHS(t, notYet), "token.not-before", "o token só vale a partir de 2026-11-17 14:15 -03 (nbf), 10m00s depois da requisição de 2026-11-17 14:05 -03"},
		{"a line break", expired30s[:20] + "\r\n" + expired30s[20:], "token.format", "o token não é um JWT válido: a parte do cabeçalho tem uma quebra de linha no caractere 21"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := diagnoseWith(t, ch, newCase(t, weekday, withToken(tc.token)))
			if r := result(t, v, tc.check); !strings.Contains(r.Message, tc.says) {
				t.Errorf("%s says %q, want %q", tc.check, r.Message, tc.says)
			}
		})
	}
	r := defaultRules(t)
	for _, tc := range []struct {
		atIsRequest bool
		lang        diagnose.Lang
		want        string
	}{
		{true, "pt-BR", "expirou 30s antes da requisição de 2026-11-17 14:05 -03"},
		{false, "pt-BR", "expirou há 30s"},
		{true, "en", "expired 30s before the request at 2026-11-17 14:05 -03"},
		{false, "en", "expired 30s ago"},
	} {
		tr := diagnose.InspectToken(expired30s, at, tc.atIsRequest, r, nil, tc.lang)
		var exp string
		for _, tt := range tr.Times {
			if tt.Claim == "exp" {
				exp = tt.Relative
			}
		}
		if exp != tc.want {
			t.Errorf("InspectToken(%s, request %v) exp = %q, want %q", tc.lang, tc.atIsRequest, exp, tc.want)
		}
	}
	// judged at the clock's time (token inspect without --at): no request is spoken of
	tr := diagnose.InspectToken(expired30s, at.Add(time.Hour), false, r, nil, "pt-BR")
	for _, c := range tr.Checks {
		if strings.Contains(c.Message, "requisição") {
			t.Errorf("%s speaks of a request when judged now: %q", c.ID, c.Message)
		}
		if c.ID == "token.expiry" && (c.Status != diagnose.Fail || !strings.Contains(c.Message, "o token expirou há 1h (exp 2026-11-17 14:04 -03)")) {
			t.Errorf("token.expiry now = %s %q", c.Status, c.Message)
		}
	}
	// an exp in milliseconds reads as a date, and says so
	c := tokenClaims(at.Add(-h), time.Time{})
	c["exp"] = at.Add(11 * h).UnixMilli()
	tr = diagnose.InspectToken(signHS(t, c), at, true, r, nil, "pt-BR")
	for _, tt := range tr.Times {
		if tt.Claim == "exp" && (tt.Unit != "ms" || tt.Local != "2026-11-18 01:05 -03" || !strings.Contains(tt.Relative, "expira 11h depois da requisição") || !strings.Contains(tt.Relative, "milissegundos")) {
			t.Errorf("exp in ms = %+v", tt)
		}
	}
}

func rsaPublicPEM(t testing.TB, k *rsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func TestChainTokenSignature(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	otherRSA, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := rsaPublicPEM(t, rsaKey)
	pkcs1PEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&rsaKey.PublicKey)})
	at := mustTime(t, weekday)
	claims := tokenClaims(at.Add(-time.Hour), at.Add(11*time.Hour))
	signRS := func(k *rsa.PrivateKey) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// The classic confusion: an HS256 token whose "secret" is the RSA public key's PEM.
	confused, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		material []byte
		token    string
		status   diagnose.Status
		category string
	}{
		{"HMAC secret", testSecret, signHS(t, claims), pass, "no-apparent-cause"},
		{"HMAC secret file with a trailing newline", append(append([]byte{}, testSecret...), '\n'), signHS(t, claims), pass, "no-apparent-cause"},
		{"wrong HMAC secret", []byte("outro-segredo"), signHS(t, claims), fail, "token-invalid"},
		{"RSA PEM public key, RS256 token", pubPEM, signRS(rsaKey), pass, "no-apparent-cause"},
		{"RSA PKCS#1 PEM, RS256 token", pkcs1PEM, signRS(rsaKey), pass, "no-apparent-cause"},
		{"RSA PEM, token of another key", pubPEM, signRS(otherRSA), fail, "token-invalid"},
		{"RSA PEM, HS256 token signed with the PEM", pubPEM, confused, fail, "token-invalid"},
		{"HMAC secret, RS256 token", testSecret, signRS(rsaKey), fail, "token-invalid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			key, err := diagnose.NewTokenKey(tc.material, "token-key.pem")
			if err != nil {
				t.Fatalf("NewTokenKey: %v", err)
			}
			ch := newChain(t, testDirectory(), "en")
			ch.TokenKey = key
			v := diagnoseWith(t, ch, newCase(t, weekday, withToken(tc.token)))
			ws := want{category: tc.category, escalate: tc.category == "no-apparent-cause", status: st{"token.signature": tc.status},
				says:  st2says("token.signature", "token-key.pem"),
				never: []string{string(testSecret), "outro-segredo"}}
			assertVerdict(t, v, ws)
		})
	}
	t.Run("no key: not verified", func(t *testing.T) {
		v := diagnoseWith(t, newChain(t, testDirectory(), "en"), newCase(t, weekday, withToken(signRS(otherRSA))))
		assertVerdict(t, v, want{category: "no-apparent-cause", escalate: true, status: st{"token.signature": skip}})
	})
	t.Run("a line break inside a well-signed token: malformed, not a bad signature", func(t *testing.T) {
		key, _ := diagnose.NewTokenKey(testSecret, "secret")
		ch := newChain(t, testDirectory(), "en")
		ch.TokenKey = key
		s := signHS(t, claims)
		v := diagnoseWith(t, ch, newCase(t, weekday, withToken(s[:30]+"\n"+s[30:])))
		assertVerdict(t, v, want{category: "token-invalid", status: st{"token.signature": skip, "token.format": fail},
			says: st2says("token.format", "line break")})
	})
	t.Run("malformed token: signature skipped", func(t *testing.T) {
		key, _ := diagnose.NewTokenKey(testSecret, "secret")
		ch := newChain(t, testDirectory(), "en")
		ch.TokenKey = key
		v := diagnoseWith(t, ch, newCase(t, weekday, withToken("abc.def")))
		assertVerdict(t, v, want{category: "token-invalid", status: st{"token.signature": skip, "token.format": fail}})
	})
}

func TestNewTokenKeyRejects(t *testing.T) {
	for _, tc := range []struct {
		name     string
		material []byte
	}{
		{"empty", nil},
		{"only a newline", []byte("\n")},
		{"a PEM that is not a key", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte("not der")})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := diagnose.NewTokenKey(tc.material, "k.pem"); err == nil || !strings.Contains(err.Error(), "k.pem") {
				t.Errorf("err = %v, want an error naming k.pem", err)
			}
		})
	}
}

func TestParseToken(t *testing.T) {
	at := mustTime(t, weekday)
	tests := []struct {
		name     string
		raw      string
		ok       bool
		alg      string
		exp, iat bool
	}{
		{"HS256", signHS(t, tokenClaims(at, at.Add(12*time.Hour))), true, "HS256", true, true},
		{"none", signNone(t, tokenClaims(at, at.Add(12*time.Hour))), true, "none", true, true},
		{"no times", signHS(t, jwt.MapClaims{"sub": "x"}), true, "HS256", false, false},
		{"two parts", "abc.def", false, "", false, false},
		{"exp as text", signHS(t, jwt.MapClaims{"exp": "amanhã"}), false, "HS256", false, false},
		{"not base64", "@@@.###.$$$", false, "", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ti := diagnose.ParseToken(tc.raw)
			if (ti.Err == nil) != tc.ok {
				t.Fatalf("Err = %v, want ok %v", ti.Err, tc.ok)
			}
			if ti.Alg != tc.alg {
				t.Errorf("Alg = %q, want %q", ti.Alg, tc.alg)
			}
			if tc.ok && (ti.HasExp != tc.exp || ti.HasIat != tc.iat) {
				t.Errorf("HasExp %v HasIat %v, want %v %v", ti.HasExp, ti.HasIat, tc.exp, tc.iat)
			}
			if tc.ok && tc.exp && !ti.Exp.Equal(at.Add(12*time.Hour)) {
				t.Errorf("Exp = %v", ti.Exp)
			}
		})
	}
}

// TestTokenTimesAgreeWithGolangJWT compares the chain's judgement of exp, nbf and iat with
// golang-jwt's own validator (60 s leeway, iat checked) around every boundary, second by
// second: the contract asks for a standard library's answer there.
func TestTokenTimesAgreeWithGolangJWT(t *testing.T) {
	at := mustTime(t, weekday)
	leeway := 60 * time.Second
	ch := newChain(t, testDirectory(), "en")
	for _, claim := range []string{"exp", "nbf", "iat"} {
		for off := -75 * time.Second; off <= 75*time.Second; off += time.Second {
			c := jwt.MapClaims{"iss": "crefazon-api-parceiro", "unique_name": "alfa.maria"}
			switch claim {
			case "exp": // issued 11 h before the bound, so that the lifetime stays within 12 h
				c["exp"], c["iat"] = at.Add(off).Unix(), at.Add(off-11*time.Hour).Unix()
			case "nbf":
				c["nbf"], c["iat"], c["exp"] = at.Add(off).Unix(), at.Add(-time.Hour).Unix(), at.Add(10*time.Hour).Unix()
			case "iat":
				c["iat"], c["exp"] = at.Add(off).Unix(), at.Add(off+11*time.Hour).Unix()
			}
			raw := signHS(t, c)
			decoded := jwt.MapClaims{} // as the library reads them from the token's JSON
			if _, _, err := jwt.NewParser().ParseUnverified(raw, decoded); err != nil {
				t.Fatal(err)
			}
			v := jwt.NewValidator(jwt.WithLeeway(leeway), jwt.WithIssuedAt(), jwt.WithTimeFunc(func() time.Time { return at }))
			libOK := v.Validate(decoded) == nil
			verdict := diagnoseWith(t, ch, newCase(t, weekday, withToken(raw)))
			oursOK := verdict.Category != "token-expired" && verdict.Category != "token-invalid"
			if libOK != oursOK {
				t.Errorf("%s at request %+v: golang-jwt valid=%v, the chain says %s", claim, off, libOK, verdict.Category)
			}
		}
	}
}
