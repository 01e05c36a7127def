package evidence

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"go.yaml.in/yaml/v3"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/internal/brdoc"
	"github.com/crefazon/triagem/rules"
)

// What the tests plant: a partner's key, a real HS256 token, credentials and personal data.
const (
	plantedKey    = "hml-alfa-4b9e2c7a1d83f605"
	plantedCookie = "sessao=9f8e7d6c5b4a3928; lang=pt-BR"
	plantedSenha  = "S3nh@Forte!2026"
	cpfA          = "529.982.247-25" // the same person as cpfABare
	cpfABare      = "52998224725"
	cpfB          = "11144477735" // another person, also written 111.444.777-35 and as a JSON number
	cpfBDots      = "111.444.777-35"
	cnpj          = "11.222.333/0001-81"
	cnpjBare      = "11222333000181"
	cnpjAlnu      = "12.ABC.345/01DE-35"
	emailA        = "maria.dores@example.com.br"
	emailAUp      = "Maria.Dores@EXAMPLE.com.br"
	emailB        = "joao@corban.com.br"
	phoneFmt      = "(11) 98765-4321"
	phoneInt      = "+55 11 98765-4321"
	phoneRaw      = "11987654321"
)

// signedToken is a real HS256 JWT, as the partner API's login returns.
func signedToken(t testing.TB) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"unique_name": "alfa.maria",
		"email":       emailA,
		"iss":         "crefazon-api-parceiro",
		"iat":         1795002000,
		"exp":         1795045200,
	}).SignedString([]byte("segredo-de-teste-do-hmac"))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func defaultRedaction(t testing.TB) rules.Redaction {
	t.Helper()
	r, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	return r.Redaction
}

func testRedactor(t testing.TB) *Redactor {
	t.Helper()
	rd, err := NewRedactor(defaultRedaction(t))
	if err != nil {
		t.Fatal(err)
	}
	return rd
}

func keySHA(k string) string {
	s := sha256.Sum256([]byte(k))
	return hex.EncodeToString(s[:])
}

// plantedCase is a case file as support receives it, full of what must not leave.
func plantedCase(t testing.TB, responseBody string) (*diagnose.Case, string) {
	t.Helper()
	tok := signedToken(t)
	payload := `{"proposta": {"id": 981, "valor": 1500.00, "data": "2026-11-18"},
 "cliente": {"cpf": "` + cpfA + `", "cpfConjuge": ` + cpfB + `, "nome": "Maria das Dores",
             "email": "` + emailAUp + `", "telefone": "` + phoneFmt + `", "celular": "` + phoneInt + `"},
 "empresa": {"cnpj": "` + cnpj + `", "cnpjNovo": "` + cnpjAlnu + `"},
 "endereco": {"cidadeId": 5270},
 "login": {"usuario": "alfa.maria", "senha": "` + plantedSenha + `", "apiKey": "` + plantedKey + `"},
 "documentos": ["` + cpfABare + `", "` + cnpjBare + `"],
 "contatos": [{"email": "` + emailB + `", "whatsapp": ` + phoneRaw + `}]}`
	file := `ticket: SUP-4830
partner: Corban Alfa
error: "Erro ao cadastrar o cliente ` + cpfA + ` (` + emailA + `, tel ` + phoneFmt + `)"
request:
  method: POST
  url: https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise
  at: "2026-11-18T14:05:00-03:00"
  headers:
    Authorization: "Bearer ` + tok + `"
    Cookie: "` + plantedCookie + `"
    X-Api-Key: ` + plantedKey + `
    Content-Type: application/json
  body: |
` + indentLines(payload, "    ") + `
response:
  status: 400
  body: |
` + indentLines(responseBody, "    ") + `
credentials:
  api_key: ` + plantedKey + `
  user: alfa.maria
  token: ` + tok + `
`
	c, err := diagnose.ParseCase("case.yaml", []byte(file))
	if err != nil {
		t.Fatalf("the planted case does not parse: %v", err)
	}
	return c, file
}

func indentLines(s, by string) string {
	return by + strings.ReplaceAll(s, "\n", "\n"+by)
}

var (
	jsonResponse = `{"success": false, "data": null, "errors": ["CPF ` + cpfBDots + ` já possui proposta", "Contato ` + emailB + ` inválido"]}`
	textResponse = "Erro interno ao processar o cliente " + cpfABare + "\ncontato " + phoneInt + " / " + emailA + "\nempresa " + cnpjBare
)

// planted lists every value that must not appear in a bundle, with a name for messages.
func plantedValues(t testing.TB) map[string]string {
	tok := signedToken(t)
	parts := strings.Split(tok, ".")
	return map[string]string{
		"API key":                plantedKey,
		"API key's full SHA-256": keySHA(plantedKey),
		"token":                  tok,
		"token's signature":      parts[2],
		"token's base64 header":  parts[0],
		"token's base64 claims":  parts[1],
		"Authorization value":    "Bearer " + tok,
		"cookie":                 "9f8e7d6c5b4a3928",
		"senha":                  plantedSenha,
		"CPF punctuated":         cpfA,
		"CPF bare":               cpfABare,
		"CPF B":                  cpfB,
		"CPF B punctuated":       cpfBDots,
		"CNPJ":                   cnpj,
		"CNPJ bare":              cnpjBare,
		"CNPJ alphanumeric":      cnpjAlnu,
		"CNPJ alphanumeric bare": "12ABC34501DE35",
		"e-mail":                 emailA,
		"e-mail upper":           emailAUp,
		"e-mail B":               emailB,
		"e-mail local part":      "maria.dores@",
		"phone formatted":        phoneFmt,
		"phone international":    phoneInt,
		"phone bare":             phoneRaw,
		"phone number":           "98765-4321",
	}
}

// redactedBundle is what a bundle would hold for the planted case: case.yaml, the token's view,
// a verdict that quotes the case, a summary that quotes case.yaml, and the report.
func redactedBundle(t testing.TB, responseBody string) (files map[string][]byte, doc *yaml.Node, tv *TokenView, rd *Redactor) {
	t.Helper()
	c, _ := plantedCase(t, responseBody)
	rd = testRedactor(t)
	d, tv, err := rd.Case(c)
	if err != nil {
		t.Fatal(err)
	}
	doc = d.(*yaml.Node)
	caseYAML, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	tokenJSON, err := json.MarshalIndent(tv, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	verdict, _ := json.MarshalIndent(map[string]any{
		"schema":   "triagem.verdict/v1",
		"category": "no-apparent-cause",
		"checks": []map[string]string{
			{"id": "token.format", "status": "pass", "message": "token " + signedToken(t) + " bem formado"},
			{"id": "payload.syntax", "status": "pass", "message": "cliente " + cpfA + ", " + emailA},
		},
		"request": map[string]any{"user": "alfa.maria", "key_sha256": keySHA(plantedKey)},
		"reply":   "Envie no cabeçalho Authorization o token no formato \"Bearer <token>\".",
	}, "", "  ")
	verdictJSON, err := rd.JSON("verdict.json", verdict)
	if err != nil {
		t.Fatal(err)
	}
	summary := "# Escalonamento — " + rd.Text("summary.md: ticket", "SUP-4830") + "\n\n" +
		"- Mensagem de erro: " + rd.Text("summary.md: error", c.Error) + "\n\n```yaml\n" + string(caseYAML) + "```\n"
	report, err := json.MarshalIndent(rd.Report(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{
		"case.yaml":      caseYAML,
		"token.json":     tokenJSON,
		"verdict.json":   verdictJSON,
		"summary.md":     []byte(summary),
		"redaction.json": report,
	}, doc, tv, rd
}

func TestBundleHoldsNothingInClear(t *testing.T) {
	for _, resp := range []struct{ name, body string }{{"JSON response", jsonResponse}, {"text response", textResponse}} {
		t.Run(resp.name, func(t *testing.T) {
			files, _, _, _ := redactedBundle(t, resp.body)
			names := sortedNames(plantedValues(t))
			for file, data := range files {
				for _, what := range names {
					if v := plantedValues(t)[what]; bytes.Contains(bytes.ToLower(data), bytes.ToLower([]byte(v))) {
						t.Errorf("%s holds the %s in clear", file, what)
					}
				}
			}
		})
	}
}

func sortedNames[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// caseMap reads case.yaml back as a user would, and its request body as JSON.
func caseMap(t *testing.T, doc *yaml.Node) (cs map[string]any, body map[string]any) {
	t.Helper()
	out, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(out, &cs); err != nil {
		t.Fatalf("case.yaml does not read back: %v", err)
	}
	raw := cs["request"].(map[string]any)["body"].(string)
	if err := json.Unmarshal([]byte(raw), &body); err != nil {
		t.Fatalf("the redacted payload is no longer JSON: %v\n%s", err, raw)
	}
	return cs, body
}

// at walks a decoded document by a dotted path ("cliente.cpf", "documentos.0").
func valueAt(t *testing.T, v any, path string) any {
	t.Helper()
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			var i int
			fmt.Sscan(k, &i)
			v = x[i]
		default:
			t.Fatalf("%s: no %q in %T", path, k, v)
		}
	}
	return v
}

func TestCaseMasks(t *testing.T) {
	_, doc, _, _ := redactedBundle(t, jsonResponse)
	cs, body := caseMap(t, doc)
	tok := signedToken(t)
	fp := keySHA(plantedKey)[:12]
	tests := []struct {
		name string
		got  any
		want string
	}{
		{"API key", valueAt(t, cs, "credentials.api_key"), "[api_key sha256:" + fp + "…f605]"},
		{"API key in a header", valueAt(t, cs, "request.headers.X-Api-Key"), "[api_key sha256:" + fp + "…f605]"},
		{"API key in the login payload", valueAt(t, body, "login.apiKey"), "[api_key sha256:" + fp + "…f605]"},
		{"token", valueAt(t, cs, "credentials.token"), "[token#1 HS256, signature removed]"},
		{"Authorization", valueAt(t, cs, "request.headers.Authorization"), fmt.Sprintf("[header Authorization, %d chars, scheme Bearer, token#1]", len("Bearer "+tok))},
		{"Cookie", valueAt(t, cs, "request.headers.Cookie"), fmt.Sprintf("[header Cookie, %d chars]", len(plantedCookie))},
		{"senha", valueAt(t, body, "login.senha"), fmt.Sprintf("[senha, %d chars]", len(plantedSenha))},
		{"CPF punctuated", valueAt(t, body, "cliente.cpf"), "[cpf#1 …25]"},
		{"the same CPF bare", valueAt(t, body, "documentos.0"), "[cpf#1 …25]"},
		{"another CPF as a JSON number", valueAt(t, body, "cliente.cpfConjuge"), "[cpf#2 …35]"},
		{"CNPJ", valueAt(t, body, "empresa.cnpj"), "[cnpj#1 …81]"},
		{"the same CNPJ bare", valueAt(t, body, "documentos.1"), "[cnpj#1 …81]"},
		{"alphanumeric CNPJ", valueAt(t, body, "empresa.cnpjNovo"), "[cnpj#2 …35]"},
		{"e-mail", valueAt(t, body, "cliente.email"), "[email#1 …@example.com.br]"},
		{"another e-mail", valueAt(t, body, "contatos.0.email"), "[email#2 …@corban.com.br]"},
		{"phone formatted", valueAt(t, body, "cliente.telefone"), "[phone#1 …4321]"},
		{"phone international", valueAt(t, body, "cliente.celular"), "[phone#1 …4321]"},
		{"phone as a JSON number", valueAt(t, body, "contatos.0.whatsapp"), "[phone#1 …4321]"},
		{"error message", valueAt(t, cs, "error"), "Erro ao cadastrar o cliente [cpf#1 …25] ([email#1 …@example.com.br], tel [phone#1 …4321])"},
		{"response body", valueAt(t, cs, "response.body"), "{\n  \"success\": false,\n  \"data\": null,\n  \"errors\": [\n    \"CPF [cpf#2 …35] já possui proposta\",\n    \"Contato [email#2 …@corban.com.br] inválido\"\n  ]\n}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got  %v\nwant %v", tt.got, tt.want)
			}
		})
	}
}

func TestCaseKeepsWhatSupportReads(t *testing.T) {
	_, doc, tv, _ := redactedBundle(t, jsonResponse)
	cs, body := caseMap(t, doc)
	raw := cs["request"].(map[string]any)["body"].(string)
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"proposal id", valueAt(t, body, "proposta.id"), 981.0},
		{"amount, as written", strings.Contains(raw, `"valor": 1500.00`), true},
		{"date", valueAt(t, body, "proposta.data"), "2026-11-18"},
		{"cidadeId", valueAt(t, body, "endereco.cidadeId"), 5270.0},
		{"name (personal data, masked by its field)", valueAt(t, body, "cliente.nome"), "[nome, 15 chars]"},
		{"user", valueAt(t, cs, "credentials.user"), "alfa.maria"},
		{"request time", valueAt(t, cs, "request.at"), "2026-11-18T14:05:00-03:00"},
		{"URL", valueAt(t, cs, "request.url"), "https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise"},
		{"Content-Type", valueAt(t, cs, "request.headers.Content-Type"), "application/json"},
		{"status", valueAt(t, cs, "response.status"), 400},
		{"ticket", valueAt(t, cs, "ticket"), "SUP-4830"},
		{"token expiry claim", tv.Claims["exp"], json.Number("1795045200")},
		{"token issue claim", tv.Claims["iat"], json.Number("1795002000")},
		{"token user claim", tv.Claims["unique_name"], "alfa.maria"},
		{"token e-mail claim", tv.Claims["email"], "[email#1 …@example.com.br]"},
		{"token algorithm", tv.Header["alg"], "HS256"},
		{"token signature length", tv.SignatureChars, len(strings.Split(signedToken(t), ".")[2])},
		{"token error", tv.Error, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %#v, want %#v", tt.got, tt.want)
			}
		})
	}
}

func TestCaseReadsInContractOrderAndDiagnosesAgain(t *testing.T) {
	files, doc, _, _ := redactedBundle(t, textResponse)
	var keys []string
	for i := 0; i < len(doc.Content); i += 2 {
		keys = append(keys, doc.Content[i].Value)
	}
	want := []string{"ticket", "partner", "error", "request", "response", "credentials"}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("case.yaml keys %v, want the contract's order %v", keys, want)
	}
	c, err := diagnose.ParseCase("case.yaml", files["case.yaml"])
	if err != nil {
		t.Fatalf("the redacted case.yaml is not a case file any more: %v", err)
	}
	if !json.Valid(c.Request.Body.Raw) {
		t.Errorf("the redacted payload is not JSON:\n%s", c.Request.Body.Raw)
	}
	if got := string(c.Response.Body.Raw); !strings.Contains(got, "cliente [cpf#1 …25]\ncontato [phone#1 …4321] / [email#1 …@example.com.br]\nempresa [cnpj#1 …81]") {
		t.Errorf("the text response body reads %q", got)
	}
}

func TestSameValueSameMaskAcrossTheBundle(t *testing.T) {
	rd := testRedactor(t)
	tests := []struct{ where, text, want string }{
		{"a", "cpf " + cpfA, "cpf [cpf#1 …25]"},
		{"b", "cpf " + cpfABare, "cpf [cpf#1 …25]"},
		{"c", "cpf " + cpfBDots, "cpf [cpf#2 …35]"},
		{"d", "cpf " + cpfB, "cpf [cpf#2 …35]"},
		{"e", emailAUp, "[email#1 …@example.com.br]"},
		{"f", emailA, "[email#1 …@example.com.br]"},
		{"g", phoneRaw + " / " + phoneInt + " / " + phoneFmt, "[phone#1 …4321] / [phone#1 …4321] / [phone#1 …4321]"},
		{"h", "(21) 91234-0000", "[phone#2 …0000]"},
	}
	for _, tt := range tests {
		if got := rd.Text(tt.where, tt.text); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	out, err := rd.JSON("verdict.json", []byte(`{"cpf": `+cpfABare+`}`))
	if err != nil || string(out) != `{"cpf":"[cpf#1 …25]"}` {
		t.Errorf("JSON = %s, %v; want the CPF's mask from the texts", out, err)
	}
}

func TestText(t *testing.T) {
	tok := signedToken(t)
	tests := []struct{ name, in, want string }{
		{"CPF punctuated", "CPF " + cpfA + " inválido", "CPF [cpf#1 …25] inválido"},
		{"CPF in an escaped JSON string", `{\"cpf\":\"` + cpfABare + `\"}`, `{\"cpf\":\"[cpf#1 …25]\"}`},
		{"CNPJ alphanumeric", "empresa " + cnpjAlnu, "empresa [cnpj#1 …35]"},
		{"e-mail", "contato: " + emailA, "contato: [email#1 …@example.com.br]"},
		{"phones", "tel " + phoneFmt + ", " + phoneInt, "tel [phone#1 …4321], [phone#1 …4321]"},
		{"Authorization line", "Authorization: Bearer " + tok + "\nX: y",
			fmt.Sprintf("Authorization: [header Authorization, %d chars, scheme Bearer, token#1]\nX: y", len(tok)+7)},
		{"Authorization as JSON text", `"Authorization": "Bearer ` + tok + `"`,
			fmt.Sprintf(`"Authorization": "[header Authorization, %d chars, scheme Bearer, token#1]"`, len(tok)+7)},
		{"a bare token", "token recebido: " + tok + ".", "token recebido: [token#1 HS256, signature removed]."},
		{"a token without its signature", "jwt " + strings.Join(strings.Split(tok, ".")[:2], ".") + ". fim", "jwt [token#1 HS256, no signature] fim"},
		{"an opaque Bearer", "got Bearer abcdefghijklmnop1234 back", "got Bearer [token#1, 20 chars, not a JWT] back"},
		{"the advice stays", `envie "Authorization: Bearer <token>" (credentials.token or Authorization: Bearer)`, `envie "Authorization: Bearer <token>" (credentials.token or Authorization: Bearer)`},
		{"a cookie line", "Cookie: " + plantedCookie + "\nok", fmt.Sprintf("Cookie: [header Cookie, %d chars]\nok", len(plantedCookie))},
		{"a form body", "usuario=alfa&senha=" + plantedSenha + "&x=1", fmt.Sprintf("usuario=alfa&senha=[senha, %d chars]&x=1", len(plantedSenha))},
		{"a value that runs over another field", "senhA=!token=00000000000000000000000000", "senhA=[senha, 33 chars]"},
		{"a payload that is not JSON", `{"login": "alfa", "password": "` + plantedSenha + `",}`, fmt.Sprintf(`{"login": "alfa", "password": "[password, %d chars]",}`, len(plantedSenha))},
		{"a token in a query", "GET /x?token=" + tok + "&a=1", "GET /x?token=[token#1 HS256, signature removed]&a=1"},
		{"an API key field in a query", "?apiKey=" + plantedKey, "?apiKey=[api_key sha256:" + keySHA(plantedKey)[:12] + "…f605]"},
		{"numbers stay", "proposta 981 de 1500.00 em 2026-11-18 às 14:05, cidade 5270, CEP 01310-100", "proposta 981 de 1500.00 em 2026-11-18 às 14:05, cidade 5270, CEP 01310-100"},
		{"a CPF with bad check digits stays", "cpf 529.982.247-26", "cpf 529.982.247-26"},
		{"masks stay", "[cpf#7 …25] [email#2 …@x.com]", "[cpf#7 …25] [email#2 …@x.com]"},
		{"a fake mask hides nothing", "[cpf#1 …@" + cpfA + "]", "[cpf#1 …@[cpf#1 …25]]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd := testRedactor(t)
			got := rd.Text("summary.md", tt.in)
			if got != tt.want {
				t.Errorf("Text(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if again := testRedactor(t).Text("x", got); again != got {
				t.Errorf("masking twice changes the text: %q", again)
			}
		})
	}
}

func TestAPIKeyMaskedWhereverItAppears(t *testing.T) {
	rd := testRedactor(t)
	c := &diagnose.Case{Error: "chave " + plantedKey + " recusada (sha256 " + keySHA(plantedKey) + ")", Credentials: diagnose.Credentials{APIKey: plantedKey}}
	if _, _, err := rd.Case(c); err != nil {
		t.Fatal(err)
	}
	mask := "[api_key sha256:" + keySHA(plantedKey)[:12] + "…f605]"
	tests := []struct{ in, want string }{
		{"log: key=" + plantedKey + ";", "log: key=" + mask + ";"},
		{"sha256 " + keySHA(plantedKey), "sha256 " + mask},
	}
	for _, tt := range tests {
		if got := rd.Text("x", tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	short := testRedactor(t)
	if got := short.apiKeyMask("abc123"); got != "[api_key sha256:"+keySHA("abc123")[:12]+"…]" {
		t.Errorf("a short key keeps its last characters: %s", got)
	}
}

func TestMalformedToken(t *testing.T) {
	rd := testRedactor(t)
	c := &diagnose.Case{Request: diagnose.Request{Headers: map[string]string{"authorization": "abc.def"}}}
	doc, tv, err := rd.Case(c)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := yaml.Marshal(doc)
	if !strings.Contains(string(out), "[header Authorization, 7 chars]") || strings.Contains(string(out), "abc.def") {
		t.Errorf("case.yaml:\n%s", out)
	}
	if tv == nil || tv.Error == "" || tv.Claims != nil {
		t.Errorf("token view %+v: want an error and no claims", tv)
	}
	rd = testRedactor(t)
	c = &diagnose.Case{Request: diagnose.Request{Headers: map[string]string{"Authorization": signedToken(t)}}}
	doc, _, _ = rd.Case(c)
	out, _ = yaml.Marshal(doc)
	if !strings.Contains(string(out), ", no scheme, token#1]") {
		t.Errorf("a token without Bearer should say so:\n%s", out)
	}
}

func TestJSON(t *testing.T) {
	in := `{
  "schema": "triagem.verdict/v1",
  "zeta": 1,
  "alpha": {"cpf_num": ` + cpfABare + `, "cnpj_num": ` + cnpjBare + `, "count": 5270, "exp": 1795045200, "amount": 1500.00},
  "Password": "` + plantedSenha + `",
  "headers": {"authorization": "Bearer abcdefghijklmnop", "cookie": "` + plantedCookie + `"},
  "login": {"PIN": 1234, "senha": 12345678, "secret": {"a": "b"}, "token": null, "password": ""},
  "counts": {"token": 2, "api_key": 1},
  "messages": ["cliente ` + cpfA + ` <` + emailA + `>", "ok & done"],
  "nested": "{\"cpf\": \"` + cpfA + `\", \"id\": 1234567890}",
  "cpf": "529.982.247-26",
  "cpfPerdeuZero": 1234567890,
  "id": 1234567890
}
`
	rd := testRedactor(t)
	out, err := rd.JSON("verdict.json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(out) {
		t.Fatalf("not JSON:\n%s", out)
	}
	want := `{
  "schema": "triagem.verdict/v1",
  "zeta": 1,
  "alpha": {
    "cpf_num": "[cpf#1 …25]",
    "cnpj_num": "[cnpj#1 …81]",
    "count": 5270,
    "exp": 1795045200,
    "amount": 1500.00
  },
  "Password": "[password, 15 chars]",
  "headers": {
    "authorization": "[header Authorization, 23 chars, scheme Bearer, token#1]",
    "cookie": "[header Cookie, 35 chars]"
  },
  "login": {
    "PIN": "[PIN, 4 chars]",
    "senha": "[senha, 8 chars]",
    "secret": {
      "a": "[a, 1 chars]"
    },
    "token": null,
    "password": ""
  },
  "counts": {
    "token": 2,
    "api_key": 1
  },
  "messages": [
    "cliente [cpf#1 …25] <[email#1 …@example.com.br]>",
    "ok & done"
  ],
  "nested": "{\"cpf\":\"[cpf#1 …25]\",\"id\":1234567890}",
  "cpf": "[cpf#2 …26, check digits invalid]",
  "cpfPerdeuZero": "[cpf#3 …90]",
  "id": 1234567890
}
`
	if string(out) != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
	again, err := rd.JSON("verdict.json", out)
	if err != nil || string(again) != string(out) {
		t.Errorf("masking twice changes the JSON:\n%s", again)
	}

	lines, err := testRedactor(t).JSON("verdicts.jsonl", []byte("{\"a\": \""+cpfA+"\"}\n{\"b\": 1}\n"))
	if err != nil || string(lines) != "{\"a\":\"[cpf#1 …25]\"}\n{\"b\":1}\n" {
		t.Errorf("JSON Lines: %q, %v", lines, err)
	}
	for _, bad := range []string{"", "{", `{"cpf": "` + cpfA + `"`, "[1,]", "01", `{"a":1}{`, `"\x01"`} {
		_, err := testRedactor(t).JSON("x.json", []byte(bad))
		if err == nil {
			t.Errorf("JSON(%q): no error", bad)
		} else if strings.Contains(err.Error(), cpfA) {
			t.Errorf("the error quotes the data: %v", err)
		}
	}
}

func TestKeysThatNameWhatTheyHold(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"a CNPJ under a cpf key", `{"cpf": ` + cnpjBare + `}`, `{"cpf":"[cnpj#1 …81]"}`},
		{"a CPF that lost its leading zero", `{"nrCpfCliente": 1234567890}`, `{"nrCpfCliente":"[cpf#1 …90]"}`},
		{"a CPF with a typo", `{"cpf": "529.982.247-26"}`, `{"cpf":"[cpf#1 …26, check digits invalid]"}`},
		{"a CPF cut short", `{"cpf": "529982247"}`, `{"cpf":"[cpf#1 …47, check digits invalid]"}`},
		{"an alphanumeric CNPJ with a typo", `{"cnpjEmpresa": "12.ABC.345/01DE-36"}`, `{"cnpjEmpresa":"[cnpj#1 …36, check digits invalid]"}`},
		{"a phone as a number", `{"telefone": 1198765432}`, `{"telefone":"[phone#1 …5432]"}`},
		{"no CPF to hide", `{"cpf": "não informado", "cpfOk": true, "qtdCpf": 12}`, `{"cpf":"não informado","cpfOk":true,"qtdCpf":12}`},
		{"numbers under other keys", `{"id": 1234567890, "total": 11987654321, "exp": 1795045200}`, `{"id":1234567890,"total":11987654321,"exp":1795045200}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := testRedactor(t).JSON("x.json", []byte(tt.in))
			if err != nil || string(out) != tt.want {
				t.Errorf("JSON(%s)\n got %s (%v)\nwant %s", tt.in, out, err, tt.want)
			}
		})
	}
}

func TestPersonalDataInKeys(t *testing.T) {
	rd := testRedactor(t)
	out, err := rd.JSON("x.json", []byte(`{"clientes": {"`+cpfABare+`": {"nome": "Maria"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != `{"clientes":{"[cpf#1 …25]":{"nome":"Maria"}}}` {
		t.Errorf("got %s", out)
	}
	for _, e := range rd.Report().Entries {
		if strings.Contains(e.Place, cpfABare) {
			t.Errorf("the report's place holds the CPF: %q", e.Place)
		}
	}
}

func TestReportNeverHoldsValues(t *testing.T) {
	_, _, _, rd := redactedBundle(t, jsonResponse)
	rep := rd.Report()
	data, _ := json.Marshal(rep)
	for what, v := range plantedValues(t) {
		if bytes.Contains(bytes.ToLower(data), bytes.ToLower([]byte(v))) {
			t.Errorf("the report holds the %s", what)
		}
	}
	counts := map[string]int{}
	seen := map[[2]string]bool{}
	for _, e := range rep.Entries {
		counts[e.Kind] += e.Count
		if e.Place == "" || e.Kind == "" || e.Count <= 0 {
			t.Errorf("incomplete entry %+v", e)
		}
		if seen[[2]string{e.Kind, e.Place}] {
			t.Errorf("kind %s at %s listed twice: entries group by kind and place", e.Kind, e.Place)
		}
		seen[[2]string{e.Kind, e.Place}] = true
	}
	if !reflect.DeepEqual(counts, rep.Counts) {
		t.Errorf("counts %v, items say %v", rep.Counts, counts)
	}
	for _, kind := range []string{"api_key", "token", "header", "field", "cpf", "cnpj", "email", "phone"} {
		if rep.Counts[kind] == 0 {
			t.Errorf("no %s masked: %v", kind, rep.Counts)
		}
	}
	// In the order a reader meets them: the case as the contract orders it, then the token.
	wantPlaces := []string{"case.yaml: error", "case.yaml: request.headers.Authorization", "case.yaml: request.body.cliente.cpf",
		"case.yaml: request.body.login.senha", "case.yaml: request.body.contatos[*].whatsapp", "case.yaml: response.body.errors[*]",
		"case.yaml: credentials.api_key", "case.yaml: credentials.token", "token#1: claims.email", "verdict.json: checks[*].message"}
	last := -1
	for _, w := range wantPlaces {
		found := -1
		for i, e := range rep.Entries {
			if e.Place == w {
				found = i
				break
			}
		}
		switch {
		case found < 0:
			t.Errorf("no report item at %q", w)
		case found < last:
			t.Errorf("the report lists %q out of order", w)
		default:
			last = found
		}
	}
}

func TestScanFindsWhatIsInClear(t *testing.T) {
	_, raw := plantedCase(t, jsonResponse)
	tok := signedToken(t)
	tests := []struct {
		name, file, data string
		want             []string // kinds, in line order
	}{
		{"a raw case file", "case.yaml", raw, nil}, // checked below: everything planted is found
		{"CPF in text", "notes.txt", "linha 1\ncliente " + cpfA + "\n", []string{"2:cpf"}},
		{"CNPJ alphanumeric", "notes.txt", cnpjAlnu, []string{"1:cnpj"}},
		{"e-mail and phone", "notes.txt", emailA + "\n\n" + phoneInt, []string{"1:email", "3:phone"}},
		{"JWT", "notes.txt", "x " + tok, []string{"1:token"}},
		{"JWT without signature", "notes.txt", "x " + strings.Join(strings.Split(tok, ".")[:2], ".") + ".", []string{"1:token"}},
		{"Bearer", "notes.txt", "curl -H 'Authorization: Bearer abcdefghijklmnop1234'", []string{"1:header"}},
		{"bare Bearer", "notes.txt", "got Bearer abcdefghijklmnop1234", []string{"1:token"}},
		{"CPF as a JSON number", "verdict.json", "{\n\"a\": 1,\n\"b\": " + cpfABare + "}", []string{"3:cpf"}},
		{"secret field in JSON", "x.json", `{"senha": "abc"}`, []string{"1:field"}},
		{"header in YAML", "case.yaml", "request:\n  headers:\n    Cookie: abc", []string{"3:header"}},
		{"phone in a YAML literal block", "case.yaml", "body: |\n  linha\n  tel " + phoneFmt + "\n", []string{"3:phone"}},
		{"JSON in a YAML string", "case.yaml", "body: |\n  {\n    \"cpf\": \"" + cpfA + "\"\n  }\n", []string{"3:cpf"}},
		{"a fenced block in markdown", "summary.md", "# t\n\n```yaml\na: 1\nb: " + cpfA + "\n```\n" + emailA + "\n", []string{"5:cpf", "7:email"}},
		{"a comment in YAML", "case.yaml", "a: 1 # " + emailA + "\n", []string{"1:email"}},
		{"numbers that are not documents", "x.json", `{"id": 1795045200, "v": 1500.00, "cidadeId": 5270, "data": "2026-11-18"}`, nil},
		{"the advice", "verdict.json", `{"reply": "Authorization: Bearer <token>"}`, nil},
		{"masks", "x.yaml", "a: '[cpf#1 …25]'\nb: '[header Authorization, 190 chars, scheme Bearer, token#1]'\nsenha: '[senha, 8 chars]'", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, err := Scan(defaultRedaction(t), tt.file, []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fs {
				if f.File != tt.file {
					t.Errorf("finding names %q", f.File)
				}
				got = append(got, fmt.Sprintf("%d:%s", f.Line, f.Kind))
			}
			if tt.name == "a raw case file" {
				kinds := map[string]bool{}
				for _, f := range fs {
					kinds[f.Kind] = true
				}
				for _, k := range []string{"header", "field", "cpf", "cnpj", "email", "phone"} {
					if !kinds[k] {
						t.Errorf("no %s found in the raw case: %v", k, got)
					}
				}
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("findings %v, want %v", got, tt.want)
			}
			for _, f := range fs {
				b, _ := json.Marshal(f)
				if strings.Contains(string(b), cpfABare) || strings.Contains(string(b), "@") {
					t.Errorf("a finding holds a value: %s", b)
				}
			}
		})
	}
}

func TestScanFindsNothingInARedactedBundle(t *testing.T) {
	for _, resp := range []string{jsonResponse, textResponse} {
		files, _, _, _ := redactedBundle(t, resp)
		for name, data := range files {
			fs, err := Scan(defaultRedaction(t), name, data)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				t.Errorf("%s:%d: %s found in the redacted output", f.File, f.Line, f.Kind)
			}
		}
	}
}

// gitleaks is what CI scans bundles with; the test runs it when it is installed.
func TestGitleaksFindsNothing(t *testing.T) {
	bin, err := exec.LookPath("gitleaks")
	if err != nil {
		t.Skip("gitleaks is not installed")
	}
	config, _ := filepath.Abs(filepath.Join("..", ".gitleaks.toml"))
	if _, err := os.Stat(config); err != nil {
		t.Skip("no .gitleaks.toml")
	}
	run := func(dir string) (leaks bool, out string) {
		cmd := exec.Command(bin, "dir", "--no-banner", "--config", config, "--exit-code", "9", dir)
		b, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 9 {
			return true, string(b)
		} else if err != nil {
			t.Fatalf("gitleaks: %v\n%s", err, b)
		}
		return false, string(b)
	}
	raw := t.TempDir()
	_, file := plantedCase(t, jsonResponse)
	os.WriteFile(filepath.Join(raw, "case.yaml"), []byte(file), 0o600)
	if leaks, out := run(raw); !leaks {
		t.Fatalf("gitleaks finds nothing in the raw case: the test proves nothing\n%s", out)
	}
	for _, resp := range []string{jsonResponse, textResponse} {
		dir := t.TempDir()
		files, _, _, _ := redactedBundle(t, resp)
		for name, data := range files {
			os.WriteFile(filepath.Join(dir, name), data, 0o600)
		}
		if leaks, out := run(dir); leaks {
			t.Errorf("gitleaks finds leaks in the redacted bundle:\n%s", out)
		}
	}
}

func TestNewRedactorRefusesBrokenRules(t *testing.T) {
	tests := []struct {
		name string
		r    rules.Redaction
	}{
		{"no pattern", rules.Redaction{Headers: []string{"Cookie"}}},
		{"bad regex", rules.Redaction{Patterns: []rules.RedactionPattern{{Name: "x", Kind: "regex", Regex: "("}}}},
		{"empty regex", rules.Redaction{Patterns: []rules.RedactionPattern{{Name: "x", Kind: "regex"}}}},
		{"unknown kind", rules.Redaction{Patterns: []rules.RedactionPattern{{Name: "x", Kind: "rg"}}}},
		{"no name", rules.Redaction{Patterns: []rules.RedactionPattern{{Kind: "cpf"}}}},
	}
	for _, tt := range tests {
		if _, err := NewRedactor(tt.r); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
		if _, err := Scan(tt.r, "x", nil); err == nil {
			t.Errorf("%s: Scan: no error", tt.name)
		}
	}
}

func TestRulesDecideWhatIsMasked(t *testing.T) {
	r := rules.Redaction{
		Headers:  []string{"X-Segredo"},
		Fields:   []string{"rg"},
		Patterns: []rules.RedactionPattern{{Name: "placa", Kind: "regex", Regex: `\b[A-Z]{3}-?[0-9][A-Z0-9][0-9]{2}\b`, KeepLast: 2}},
	}
	rd, err := NewRedactor(r)
	if err != nil {
		t.Fatal(err)
	}
	out, err := rd.JSON("x.json", []byte(`{"RG": "12.345.678-9", "carro": "placa ABC-1D23 e abc1d23", "h": {"x-segredo": "abc"}, "cpf": "`+cpfA+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	// Without a cpf pattern, CPFs are not masked: the rules decide (the default rules have one).
	want := `{"RG":"[rg, 12 chars]","carro":"placa [placa#1 …23] e abc1d23","h":{"x-segredo":"[header X-Segredo, 3 chars]"},"cpf":"` + cpfA + `"}`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
}

// The masks must not read as secrets to the rules CI scans with (a sample of gitleaks' own).
func TestMasksDoNotLookLikeSecrets(t *testing.T) {
	genericAPIKey := regexp.MustCompile(`(?i)[\w.-]{0,50}?(?:access|auth|(?-i:[Aa]pi|API)|credential|creds|key|passw(?:or)?d|secret|token)(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"\s=]{0,5}([\w.=-]{10,150}|[a-z0-9][a-z0-9+/]{11,}={0,3})(?:[\x60'"\s;]|\\[nr]|$)`)
	bareBearer := regexp.MustCompile(`(?i)authorization["']?\s*[:=]\s*["']?bearer\s+([A-Za-z0-9\-._~+/]{8,}=*)`)
	files, _, _, _ := redactedBundle(t, jsonResponse)
	for name, data := range files {
		for _, line := range strings.Split(string(data), "\n") {
			if m := genericAPIKey.FindStringSubmatch(line); m != nil && strings.ContainsAny(m[1], "0123456789") {
				t.Errorf("%s: %q reads as a generic API key", name, line)
			}
			if bareBearer.MatchString(line) {
				t.Errorf("%s: %q reads as a bare Authorization: Bearer", name, line)
			}
		}
	}
}

func TestMaskShapesAreRecognised(t *testing.T) {
	rd := testRedactor(t)
	for _, m := range []string{
		"[api_key sha256:254097ef3e1c…f605]", "[api_key sha256:254097ef3e1c…]",
		"[token#1 HS256, signature removed]", "[token#12 none, no signature]", "[token#2, 40 chars, not a JWT]",
		"[header Authorization, 190 chars, scheme Bearer, token#1]", "[header Authorization, 183 chars, no scheme, token#3]", "[header Cookie, 42 chars]",
		"[senha, 8 chars]", "[cpf#1 …25]", "[cpf#2 …26, check digits invalid]", "[cnpj#1 …35]", "[email#1 …@example.com.br]", "[email#3]", "[phone#1 …4321]",
	} {
		if !rd.isMask(m) {
			t.Errorf("%q is not recognised as a mask", m)
		}
	}
	for _, notMask := range []string{"[cpf#1 " + cpfABare + "]", "[email#1 …@" + cpfA + "]", "[senha]", "[api_key " + plantedKey + "]", "[cpf#12345678901]"} {
		if rd.isMask(notMask) {
			t.Errorf("%q passes for a mask", notMask)
		}
	}
}

func TestKeepLastNeverKeepsMuch(t *testing.T) {
	r := defaultRedaction(t)
	for i := range r.Patterns {
		r.Patterns[i].KeepLast = 40
	}
	rd, err := NewRedactor(r)
	if err != nil {
		t.Fatal(err)
	}
	if got := rd.Text("x", cpfA+" "+phoneRaw); got != "[cpf#1 …24725] [phone#1 …54321]" {
		t.Errorf("got %q: keep_last keeps at most half", got)
	}
}

func BenchmarkRedact1MB(b *testing.B) {
	r := defaultRedaction(b)
	payload := recordsPayload(1 << 20)
	c := &diagnose.Case{
		Request: diagnose.Request{Method: "POST", URL: "https://api-externo-stag.crefazon.com.br/api/v2/propostas/lote",
			Headers: map[string]string{"Authorization": "Bearer " + signedToken(b)}, Body: diagnose.Body{Raw: payload, Present: true}},
		Credentials: diagnose.Credentials{APIKey: plantedKey, User: "alfa.maria"},
	}
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	for b.Loop() {
		rd, err := NewRedactor(r)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := rd.Case(c); err != nil {
			b.Fatal(err)
		}
		if _, err := rd.JSON("payload.json", payload); err != nil {
			b.Fatal(err)
		}
	}
}

// recordsPayload is a batch of proposals of about size bytes: every record has a CPF, an
// e-mail and a phone, among ids, amounts, dates and addresses that must stay readable.
func recordsPayload(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"propostas": [`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		cpf := brdoc.MakeCPF(fmt.Sprintf("%09d", 100000000+i*7919))
		fmt.Fprintf(&b, `{"id": %d, "cliente": {"cpf": "%s", "nome": "Cliente %d", "email": "cliente%d@example.com.br", "telefone": "(11) 9%04d-%04d", "nascimento": "1985-03-12"}, "valor": 1500.00, "endereco": {"cidadeId": 5270, "logradouro": "Rua das Flores, %d"}}`,
			i, cpf, i, i, i%10000, (i*13)%10000, i)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// The redactor remembers which key paths are personal; a key holding the separator it joins
// paths with must not make a later personal path answer from a forged memory.
func TestPersonalPathMemoryCannotBeForged(t *testing.T) {
	rd := testRedactor(t)
	out, err := rd.JSON("x.json", []byte(`{"cliente\u0000nome": "nada", "cliente": {"nome": "Maria Aparecida Souza"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "Aparecida") {
		t.Errorf("the client's name is in clear: %s", out)
	}
}
