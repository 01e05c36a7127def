package live

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestCheckLoginOutcomes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	cases := []struct {
		name, env, version, user, pass, key string
		want, msg                           string
		status                              int
	}{
		{"ok v2", "homologacao", "", fakeUser, fakePassword, fakeKeyHml, OutcomeOK, "", 200},
		{"ok v1", "homologacao", "v1", fakeUser, fakePassword, fakeKeyHml, OutcomeOK, "", 200},
		{"ok production", "producao", "v2", fakeUser, fakePassword, fakeKeyProd, OutcomeOK, "", 200},
		{"user not found", "homologacao", "v2", "ninguem", fakePassword, fakeKeyHml, OutcomeUserNotFound, "Usuario nao cadastrado", 400},
		{"wrong password, accented message", "homologacao", "v2", fakeUser, "errada-123", fakeKeyHml, OutcomeWrongPassword, "Usuário ou senha incorretos", 400},
		{"wrong password v1", "homologacao", "v1", fakeUser, "errada-123", fakeKeyHml, OutcomeWrongPassword, "Usuário ou senha incorretos", 400},
		{"homologation key in production", "producao", "v2", fakeUser, fakePassword, fakeKeyHml, OutcomeAPIKeyRejected, "Identificador unico invalido!", 400},
		{"503", "homologacao", "v2", "fora-do-ar", fakePassword, fakeKeyHml, OutcomeUnavailable, "", 503},
		{"timeout", "homologacao", "v2", "demorado", fakePassword, fakeKeyHml, OutcomeUnavailable, "timed out", 0},
		{"2xx without a token", "homologacao", "v2", "sem-token", fakePassword, fakeKeyHml, OutcomeUnexpected, "without a token", 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := CheckLogin(context.Background(), AuthOptions{Env: tc.env, Version: tc.version,
				User: tc.user, Password: tc.pass, APIKey: tc.key, Timeout: 500 * time.Millisecond}, w.rules)
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != tc.want || res.Status != tc.status || !strings.Contains(res.Message, tc.msg) {
				t.Fatalf("got %s HTTP %d %q, want %s HTTP %d %q", res.Outcome, res.Status, res.Message, tc.want, tc.status, tc.msg)
			}
			for _, s := range []string{tc.pass, tc.key, fakePassword, fakeKeyHml, fakeKeyProd} {
				if strings.Contains(res.Message, s) || strings.Contains(res.URL, s) {
					t.Fatalf("secret in %q / %q", res.Message, res.URL)
				}
			}
			if tc.want != OutcomeOK {
				if res.TokenInfo != nil {
					t.Fatal("token info without a token")
				}
				return
			}
			ti := res.TokenInfo
			if ti == nil || ti.Err != nil || ti.Alg != "HS256" || ti.Raw != "" || !ti.HasExp {
				t.Fatalf("token info %+v", ti)
			}
			if d := time.Until(res.Expires); d < 11*time.Hour || d > 13*time.Hour {
				t.Fatalf("expires %v", res.Expires)
			}
		})
	}
}

func TestCheckLoginBadOptions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, o := range []AuthOptions{
		{Env: "nenhum", User: "u", Password: "p", APIKey: "k"},
		{Env: "homologacao", Version: "v9", User: "u", Password: "p", APIKey: "k"},
		{Env: "homologacao", User: "u", APIKey: "k"},
	} {
		if _, err := CheckLogin(context.Background(), o, w.rules); err == nil {
			t.Errorf("%+v: want an error", o)
		}
	}
	if w.hml.hits.Load() != 0 {
		t.Fatal("a request went out")
	}
}
