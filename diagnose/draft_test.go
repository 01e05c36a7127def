package diagnose_test

import (
	"strings"
	"testing"

	"github.com/crefazon/triagem/diagnose"
)

// A ticket draft carries its token as "header.claims." in credentials.token: with a signing
// key, its signature is reported removed (skip), not forged; the same unsigned token sent in
// the Authorization header is what the partner sent, and fails.
func TestDraftTokenSignature(t *testing.T) {
	key, err := diagnose.NewTokenKey(testSecret, "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		inHeader bool
		want     diagnose.Status
		category string
	}{
		{"draft: credentials.token", false, diagnose.Skip, "no-apparent-cause"},
		{"sent unsigned: Authorization", true, diagnose.Fail, "token-invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCase(t, weekday)
			tok := trimBearerT(c.Request.Headers["Authorization"])
			unsigned := tok[:strings.LastIndex(tok, ".")+1]
			if tc.inHeader {
				c.Request.Headers["Authorization"] = "Bearer " + unsigned
			} else {
				delete(c.Request.Headers, "Authorization")
				c.Credentials.Token = unsigned
			}
			ch := newChain(t, testDirectory(), diagnose.Lang("pt-BR"))
			ch.TokenKey = key
			v := diagnoseWith(t, ch, c)
			if r := result(t, v, "token.signature"); r.Status != tc.want {
				t.Errorf("token.signature %s (%s), want %s", r.Status, r.Message, tc.want)
			}
			if v.Category != tc.category {
				t.Errorf("category %s, want %s", v.Category, tc.category)
			}
		})
	}
}

// A draft masks personal values: the syntax check does not judge a mask's shape, unless the
// draft marked it invalid (the original broke the schema there).
func TestDraftMaskedPayload(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"masks of valid values", `{"cliente":{"cpf":"[cpf#1 …25]","nome":"[nome, 15 chars]","nascimento":"[nascimento, 10 chars]"},"profissional":{"ocupacaoId":3},"contato":{"telefone":"[phone#1 …4321]"},"endereco":{"cidadeId":5270},"operacao":{"urlNotificacao":"https://parceiro.example.com.br/webhooks/crefazon"}}`, "no-apparent-cause"},
		{"a date the original got wrong", `{"cliente":{"cpf":"[cpf#1 …25]","nome":"[nome, 15 chars]","nascimento":"[nascimento, 10 chars, invalid]"},"profissional":{"ocupacaoId":3},"contato":{"telefone":"[phone#1 …4321]"},"endereco":{"cidadeId":5270},"operacao":{"urlNotificacao":"https://parceiro.example.com.br/webhooks/crefazon"}}`, "request-syntax"},
		{"a CPF with wrong check digits", `{"cliente":{"cpf":"[cpf#1 …26, check digits invalid]","nome":"[nome, 15 chars]","nascimento":"[nascimento, 10 chars]"},"profissional":{"ocupacaoId":3},"contato":{"telefone":"[phone#1 …4321]"},"endereco":{"cidadeId":5270},"operacao":{"urlNotificacao":"https://parceiro.example.com.br/webhooks/crefazon"}}`, "request-syntax"},
		{"a bracketed value that is no mask", `{"cliente":{"cpf":"[000]","nome":"[nome, 15 chars]","nascimento":"[nascimento, 10 chars]"},"profissional":{"ocupacaoId":3},"contato":{"telefone":"[phone#1 …4321]"},"endereco":{"cidadeId":5270},"operacao":{"urlNotificacao":"https://parceiro.example.com.br/webhooks/crefazon"}}`, "request-syntax"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCase(t, weekday)
			c.Request.Body = diagnose.Body{Raw: []byte(tc.body), Present: true}
			v := diagnoseWith(t, newChain(t, testDirectory(), diagnose.Lang("pt-BR")), c)
			if v.Category != tc.want {
				t.Errorf("category %s, want %s (%s)", v.Category, tc.want, result(t, v, "payload.syntax").Message)
			}
		})
	}
}

func trimBearerT(s string) string { return strings.TrimPrefix(s, "Bearer ") }
