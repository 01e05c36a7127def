package diagnose_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crefazon/triagem/diagnose"
)

// benchCases is a day's mix of tickets, as case files: mostly POSTs with payloads, a few
// GETs, the usual causes and some cases with nothing wrong.
func benchCases(b *testing.B) []*diagnose.Case {
	b.Helper()
	tok := func(at string, iat, exp time.Duration) string {
		t := mustTime(b, at)
		return signHS(b, tokenClaims(t.Add(iat), t.Add(exp)))
	}
	none := func(at string) string {
		t := mustTime(b, at)
		return signNone(b, tokenClaims(t.Add(-time.Hour), t.Add(11*time.Hour)))
	}
	const body = `
  body:
    cliente: {cpf: "529.982.247-25", nome: Maria das Dores, nascimento: "1985-03-12"}
    profissional: {ocupacaoId: 3}
    contato: {telefone: "(11) 98765-4321"}
    endereco: {cidadeId: 5270}
    operacao: {urlNotificacao: "https://parceiro.example.com.br/webhooks/crefazon"}`
	const badBody = `
  body:
    cliente: {cpf: "529.982.247-26", nome: Maria das Dores, nascimento: "12/03/1985"}
    profissional: {ocupacaoId: 3}
    contato: {telefone: "(11) 98765-4321"}
    endereco: {cidadeId: "5270"}
    operacao: {urlNotificacao: "null"}`
	head := func(ticket, method, url, at, auth string) string {
		s := fmt.Sprintf("ticket: %s\npartner: Corban Alfa\nrequest:\n  method: %s\n  url: %s\n  at: %q\n", ticket, method, url, at)
		if auth != "" {
			s += fmt.Sprintf("  headers: {Authorization: \"Bearer %s\", Content-Type: application/json}\n", auth)
		}
		return s
	}
	creds := func(key, user string) string {
		return fmt.Sprintf("credentials:\n  api_key: %s\n  user: %s\n", key, user)
	}
	pre := stag + "/api/v2/propostas/pre-analise"
	texts := []string{
		// nothing wrong
		head("SUP-1", "POST", pre, "2026-11-17 14:05", tok("2026-11-17 14:05", -time.Hour, 11*time.Hour)) + body[1:] + "\nerror: \"Nao foi possivel realizar operacao.\"\nresponse:\n  status: 400\n  body: '{\"success\": false, \"data\": null, \"errors\": [\"Nao foi possivel realizar operacao.\"]}'\n" + creds(keyHmlAlfa, "alfa.maria"),
		// expired token
		head("SUP-2", "POST", pre, "2026-11-18 10:15", tok("2026-11-18 10:15", -13*time.Hour, -time.Hour)) + body[1:] + "\nerror: Token expirado\nresponse:\n  status: 401\n" + creds(keyHmlAlfa, "alfa.maria"),
		// bad payload
		head("SUP-3", "POST", pre, "18/11/2026 10:40", tok("2026-11-18 10:40", -time.Hour, 11*time.Hour)) + badBody[1:] + "\nerror: \"Falha no processamento dos dados.\"\n" + creds(keyHmlAlfa, "alfa.maria"),
		// alg none
		head("SUP-4", "POST", pre, "2026-11-18 10:00", none("2026-11-18 10:00")) + body[1:] + "\nerror: Unauthorized\nresponse:\n  status: 401\n" + creds(keyHmlAlfa, "alfa.maria"),
		// production key on homologation
		head("SUP-5", "POST", pre, "2026-11-18 11:00", tok("2026-11-18 11:00", -time.Hour, 11*time.Hour)) + body[1:] + "\nerror: \"Identificador unico invalido!\"\n" + creds(keyPrdAlfa, "alfa.maria"),
		// corban seller with another partner's key
		head("SUP-6", "POST", pre, "2026-11-18 11:20", tok("2026-11-18 11:20", -time.Hour, 11*time.Hour)) + body[1:] + "\nerror: \"A proposta nao pertence ao seu usuario!\"\n" + creds(keyHmlAlfa, "beta.carlos"),
		// blocked user
		head("SUP-7", "POST", pre, "2026-11-18 11:30", tok("2026-11-18 11:30", -time.Hour, 11*time.Hour)) + body[1:] + "\nerror: Usuario nao autorizado\n" + creds(keyHmlAlfa, "alfa.pedro"),
		// Luz em Dia
		"product: Luz em Dia\n" + head("SUP-8", "POST", pre, "2026-11-18 15:00", tok("2026-11-18 15:00", -time.Hour, 11*time.Hour)) + body[1:] + "\nerror: \"Nenhum registro encontrado!\"\n" + creds(keyHmlAlfa, "alfa.maria"),
		// Consignado on V1
		"product: consignado\n" + head("SUP-9", "POST", "https://app2-crefaz-api-external-stag.azurewebsites.net/api/Proposta", "2026-11-18 16:00", tok("2026-11-18 16:00", -time.Hour, 11*time.Hour)) +
			"  body: '{\"produtoId\": 4, \"cliente\": {\"nome\": \"Maria das Dores\"}}'\nerror: \"Proposta invalida.\"\n" + creds(keyHmlAlfa, "alfa.maria"),
		// holiday timeout
		head("SUP-10", "POST", pre, "2026-11-20 10:30", tok("2026-11-20 10:30", -time.Hour, 11*time.Hour)) + body[1:] + "\nerror: upstream request timeout\nresponse:\n  status: 504\n" + creds(keyHmlAlfa, "alfa.maria"),
		// Saturday night routine
		head("SUP-11", "POST", pre, "21/11/2026 23:30", tok("2026-11-21 23:30", -time.Hour, 11*time.Hour)) + body[1:] +
			"\nresponse:\n  status: 503\n  body: '{\"success\": false, \"data\": null, \"errors\": [\"Falha de comunicacao com o Motor de Credito. Tente novamente mais tarde.\"]}'\n" + creds(keyHmlAlfa, "alfa.maria"),
		// no API key, at login
		"partner: Corban Delta\nerror: \"Identificador unico invalido!\"\nrequest:\n  method: POST\n  url: " + stag + "/api/v2/usuarios/login\n  at: \"2026-11-18 09:00\"\n  body: {usuario: {login: delta.rui, senha: \"********\", apiKey: \"\"}}\ncredentials:\n  user: delta.rui\n",
		// missing evidence
		head("SUP-13", "POST", pre, "2026-11-18 10:00", "") + creds(keyHmlAlfa, "alfa.maria"),
		// GET, nothing wrong, as JSON
		fmt.Sprintf(`{"ticket": "SUP-14", "error": "Proposta invalida.", "request": {"method": "GET", "url": %q, "at": "2026-11-18T09:30:00-03:00",
 "headers": {"Authorization": "Bearer %s"}}, "credentials": {"api_key": %q, "user": "alfa.joao"}}`,
			stag+"/api/v2/propostas/123/produtos-ofertados", tok("2026-11-18 09:30", -2*time.Hour, 10*time.Hour), keyHmlAlfa),
	}
	cases := make([]*diagnose.Case, len(texts))
	for i, text := range texts {
		c, err := diagnose.ParseCase(fmt.Sprintf("case-%02d.yaml", i+1), []byte(text))
		if err != nil {
			b.Fatalf("case %d: %v\n%s", i+1, err, text)
		}
		cases[i] = c
	}
	return cases
}

func BenchmarkChain(b *testing.B) {
	cases := benchCases(b)
	ch := newChain(b, testDirectory(), "pt-BR")
	ctx := context.Background()
	// Every case diagnoses, and the mix covers the categories it was built for.
	seen := map[string]bool{}
	for _, c := range cases {
		v, err := ch.Diagnose(ctx, c)
		if err != nil {
			b.Fatalf("%s: %v", c.Source, err)
		}
		seen[v.Category] = true
	}
	if len(seen) < 10 {
		b.Fatalf("the mix covers only %d categories: %v", len(seen), seen)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := ch.Diagnose(ctx, cases[i%len(cases)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
}
