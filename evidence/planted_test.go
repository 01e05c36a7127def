package evidence

import (
	"net/url"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/crefazon/triagem/diagnose"
)

// Values planted in the shapes that leaked before redaction became deny by default: each
// must be gone from the redacted case, and what support reads must stay.
func TestPlantedShapesInACase(t *testing.T) {
	const (
		accessTok  = "AcCeSsToKeN-7f3a9c21d"
		sessionTok = "SeSsIoN-88a7b6c5d4"
		clientSec  = "cl13nt-s3cr3t-x9"
		subKey     = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
		basicCred  = "YWxhZGRpbjpvcGVuc2VzYW1l"
		oldPass    = "Velha#Senha1"
		newPass    = "Nova#Senha22"
		confirm    = "Conf#Senha333"
		pwd        = "pwdValue77"
		pin        = "4821"
		otp        = "918273"
		refresh    = "rEfReSh-0099887766"
		idTok      = "iDtOkEn-5544332211"
		shortKey   = "k3Y9z"
		jwtInQuery = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlX2hlcmVfMTIz"
		urlPass    = "p4ss!w0rd"
	)
	body := `{"senhaAtual": "` + oldPass + `", "novaSenha": "` + newPass + `", "confirmacaoSenha": "` + confirm + `",
  "pwd": "` + pwd + `", "pin": ` + pin + `, "otp": "` + otp + `", "clientSecret": "` + clientSec + `",
  "refreshToken": "` + refresh + `", "idToken": "` + idTok + `",
  "cliente": {"cpf": "529 982 247 25", "cpfConjuge": "529982247-25", "doc": "cpf52998224725", "nome": "Maria das Dores",
    "nascimento": "1980-02-29", "telefone": 11987654321},
  "contato": {"fone": "+5511987654321", "celular": "(11) 9 8765-4321", "fixo": "011 98765-4321", "recado": "98765-4321",
    "nbsp": "11\u00a098765\u00a04321", "email": "fulano%40example.com.br"},
  "endereco": {"logradouro": "Rua das Flores", "numero": "123", "cep": "01310-100", "cidadeId": 3550308},
  "operacao": {"valorSolicitado": 1500.55, "protocolo": "2026112000123", "propostaId": 1234567890},
  "xml": "<login><usuario>alfa</usuario><senha>xmlSenha99</senha></login>",
  "form": "login=alfa&pass=formPass88&produto=4"}`
	c := &diagnose.Case{
		Error: "senha " + oldPass + " recusada; chave " + shortKey,
		Request: diagnose.Request{
			Method: "POST",
			URL:    "https://alfa:" + urlPass + "@api-externo-stag.crefazon.com.br/api/v2/propostas/1234567890/documento?auth=Bearer%20" + jwtInQuery + "&pwd=" + url.QueryEscape(pwd) + "&k=" + url.QueryEscape(shortKey),
			Headers: map[string]string{
				"X-Access-Token":            accessTok,
				"X-Session-Token":           sessionTok,
				"X-Client-Secret":           clientSec,
				"Ocp-Apim-Subscription-Key": subKey,
				"Authorisation":             "Basic " + basicCred,
				"X-Api-Key":                 shortKey,
				"Content-Type":              "application/json",
				"User-Agent":                "PostmanRuntime/7.39.0",
			},
			Body: diagnose.Body{Present: true, Raw: []byte(body)},
		},
		Credentials: diagnose.Credentials{APIKey: shortKey, User: "alfa.maria"},
	}
	rd := testRedactor(t)
	doc, _, err := rd.Case(c)
	if err != nil {
		t.Fatal(err)
	}
	out := yamlText(t, doc)
	for _, v := range []string{accessTok, sessionTok, clientSec, subKey, basicCred, oldPass, newPass, confirm, pwd, otp,
		refresh, idTok, jwtInQuery, urlPass, "xmlSenha99", "formPass88", url.QueryEscape(pwd),
		"529 982 247 25", "529982247-25", "52998224725", "Maria das Dores", "1980-02-29", "11987654321",
		"+5511987654321", "(11) 9 8765-4321", "011 98765-4321", "98765-4321", "11\u00a098765", "fulano%40example",
		"Rua das Flores", "01310-100", `"pin": 4821`} {
		if strings.Contains(out, v) {
			t.Errorf("%q is in clear in the redacted case", v)
		}
	}
	if strings.Contains(out, "chave "+shortKey) || strings.Contains(out, "k="+shortKey) {
		t.Errorf("the short API key is in clear where it recurs")
	}
	for _, keep := range []string{"/api/v2/propostas/1234567890/documento", "1500.55", "2026112000123", "1234567890",
		"application/json", "PostmanRuntime/7.39.0", "alfa.maria", "3550308"} {
		if !strings.Contains(out, keep) {
			t.Errorf("%q, which support reads, was masked", keep)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

func yamlText(t *testing.T, doc any) string {
	t.Helper()
	b, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
