package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/crefazon/triagem/internal/brdoc"
)

// TestNothingPlantedLeaves plants random secrets and personal data in random places and shapes
// of random cases, runs every output path a case reaches (diagnose in each format, escalate
// and its bundle, the errors), and hunts for each planted value, as it is and in the encodings
// it may travel in. It runs rapid's default number of cases (100; -rapid.checks=N for more).
func TestNothingPlantedLeaves(t *testing.T) {
	dir := t.TempDir()
	n, bundles := 0, 0
	defer func() {
		if !t.Failed() && bundles == 0 {
			t.Error("no run built a bundle: the hunt never looked inside one")
		}
	}()
	rapid.Check(t, func(rt *rapid.T) {
		n++
		p := genPlanted(rt)
		casePath := filepath.Join(dir, fmt.Sprintf("case-%d.yaml", n))
		if err := os.WriteFile(casePath, []byte(p.caseYAML), 0o600); err != nil {
			rt.Fatal(err)
		}
		var outputs []string
		for _, o := range []string{"json", "table", "markdown"} {
			_, stdout, stderr := runApp(t, nil, "diagnose", casePath, "--directory", "../../testdata/directory.yaml", "-o", o)
			outputs = append(outputs, o+" stdout:\n"+stdout, o+" stderr:\n"+stderr)
		}
		bundle := filepath.Join(dir, fmt.Sprintf("b-%d.zip", n))
		_, stdout, stderr := runApp(t, nil, "escalate", casePath, "--directory", "../../testdata/directory.yaml",
			"--out", bundle, "--force", "--reason", "teste de vazamento")
		outputs = append(outputs, "escalate stdout:\n"+stdout, "escalate stderr:\n"+stderr)
		if _, err := os.Stat(bundle); err == nil {
			bundles++
			for name, b := range readZip(t, bundle) {
				outputs = append(outputs, "bundle "+name+":\n"+string(b))
			}
			os.Remove(bundle)
		}
		for _, out := range outputs {
			for _, v := range p.values {
				for _, form := range travelForms(v) {
					if strings.Contains(out, form) {
						where, _, _ := strings.Cut(out, "\n")
						rt.Fatalf("planted %q (as %q) is in clear in %s\ncase:\n%s", v, form, where, p.caseYAML)
					}
				}
			}
		}
	})
}

// travelForms are the forms a planted value is hunted in.
func travelForms(v string) []string {
	forms := []string{v, url.QueryEscape(v)}
	if b, err := json.Marshal(v); err == nil {
		forms = append(forms, string(b[1:len(b)-1]))
	}
	return forms
}

type planted struct {
	caseYAML string
	values   []string
}

// secretValue is high-entropy text that cannot turn up in an output by chance.
func secretValue(rt *rapid.T, label string) string {
	s := rapid.StringMatching(`[A-Za-z0-9]{3}[A-Za-z0-9!#%&*+._~-]{5,24}[0-9][A-Z]`).Draw(rt, label)
	return "Q" + s
}

func genPlanted(rt *rapid.T) planted {
	var values []string
	plant := func(v string) string { values = append(values, v); return v }
	yq := func(s string) string { b, _ := json.Marshal(s); return string(b) } // a JSON string is a YAML scalar

	apiKey := plant(secretValue(rt, "apiKey"))
	if rapid.IntRange(0, 3).Draw(rt, "shortKey") == 0 {
		apiKey = plant("K" + rapid.StringMatching(`[a-z][0-9][A-Z][a-z0-9]{1,3}`).Draw(rt, "short")) // 5 to 7 characters
	}
	pass := plant(secretValue(rt, "password"))

	headerName := rapid.SampledFrom([]string{"X-Access-Token", "X-Session-Token", "X-Client-Secret",
		"Ocp-Apim-Subscription-Key", "Authorisation", "X-Partner-Signature", "X-Custom-Credential", "Proxy-Authorization"}).Draw(rt, "header")
	headerVal := plant(secretValue(rt, "headerValue"))
	if rapid.Bool().Draw(rt, "basic") {
		headerVal = "Basic " + headerVal
	}
	fieldName := rapid.SampledFrom([]string{"senhaAtual", "novaSenha", "confirmacaoSenha", "pwd", "pass", "clientSecret",
		"refreshToken", "idToken", "otp", "access_token", "chaveSecreta", "SENHA_ANTIGA", "x-api-key"}).Draw(rt, "field")
	fieldVal := plant(secretValue(rt, "fieldValue"))
	queryName := rapid.SampledFrom([]string{"pwd", "senha", "token", "auth", "apikey", "sessionId", "client_secret"}).Draw(rt, "query")
	queryVal := plant(secretValue(rt, "queryValue"))

	cpf := brdoc.MakeCPF(rapid.StringMatching(`[1-9][0-9]{8}`).Draw(rt, "cpfBase"))
	if cpf == "" {
		cpf = "52998224725"
	}
	cpfShape := rapid.SampledFrom([]func(string) string{
		func(d string) string { return d },
		func(d string) string { return d[:3] + "." + d[3:6] + "." + d[6:9] + "-" + d[9:] },
		func(d string) string { return d[:3] + " " + d[3:6] + " " + d[6:9] + " " + d[9:] },
		func(d string) string { return d[:9] + "-" + d[9:] },
		func(d string) string { return d[:3] + "\u00a0" + d[3:6] + "\u00a0" + d[6:9] + "\u00a0" + d[9:] },
		func(d string) string { return "cpf" + d },
	}).Draw(rt, "cpfShape")(cpf)
	plant(cpfShape)
	plant(cpf)

	ddd := rapid.IntRange(11, 99).Filter(func(n int) bool { return n%10 != 0 }).Draw(rt, "ddd")
	num := rapid.StringMatching(`9[0-9]{8}`).Draw(rt, "mobile")
	phone := rapid.SampledFrom([]string{
		fmt.Sprintf("+55%d%s", ddd, num),
		fmt.Sprintf("(%d) %s %s-%s", ddd, num[:1], num[1:5], num[5:]),
		fmt.Sprintf("0%d %s-%s", ddd, num[:5], num[5:]),
		fmt.Sprintf("%s-%s", num[:5], num[5:]),
		fmt.Sprintf("%d\u00a0%s\u00a0%s", ddd, num[:5], num[5:]),
		fmt.Sprintf("(%d) %s-%s", ddd, num[:5], num[5:]),
	}).Draw(rt, "phone")
	plant(phone)
	local := rapid.StringMatching(`[a-z]{3,8}\.[a-z]{3,8}[0-9]{2}`).Draw(rt, "emailLocal")
	email := local + "@" + rapid.SampledFrom([]string{"example.com.br", "corban-alfa.com", "exämple.com"}).Draw(rt, "domain")
	emailShape := email
	if rapid.Bool().Draw(rt, "emailEncoded") {
		emailShape = strings.Replace(email, "@", "%40", 1)
	}
	plant(local + "@")
	name := plant(rapid.SampledFrom([]string{"Maria", "Joana", "Rita"}).Draw(rt, "first") + " " +
		rapid.StringMatching(`[A-Z][a-z]{5,9}`).Draw(rt, "last") + " " + rapid.StringMatching(`[A-Z][a-z]{5,9}`).Draw(rt, "last2"))

	// Where the personal data sits in the payload: under names that say nothing of it.
	where := rapid.SampledFrom([]string{"observacao", "referencia", "dadosExtras"}).Draw(rt, "where")
	errPlant := rapid.SampledFrom([]string{pass, fieldVal, cpfShape, phone, emailShape, apiKey}).Draw(rt, "errorPlant")

	body := map[string]any{
		"cliente":      map[string]any{"cpf": cpfShape, "nome": name, "nascimento": "1984-07-21"},
		"contato":      map[string]any{"telefone": phone, "email": emailShape},
		"usuario":      map[string]any{"login": "alfa.maria", "senha": pass},
		fieldName:      fieldVal,
		where:          "falar com " + phone + " ou " + emailShape + ", doc " + cpfShape,
		"operacao":     map[string]any{"urlNotificacao": "https://parceiro.example.com.br/webhook", "valor": 1500.5, "propostaId": 1234567890},
		"profissional": map[string]any{"ocupacaoId": 3},
	}
	bodyJSON, _ := json.Marshal(body)
	bodyText := string(bodyJSON)
	bodyShape := rapid.IntRange(0, 3).Draw(rt, "bodyShape")
	switch bodyShape {
	case 1: // a form
		bodyText = "login=alfa.maria&" + url.QueryEscape(fieldName) + "=" + url.QueryEscape(fieldVal) + "&senha=" + url.QueryEscape(pass) +
			"&cpf=" + url.QueryEscape(cpfShape) + "&telefone=" + url.QueryEscape(phone) + "&email=" + url.QueryEscape(email)
	case 2: // XML
		bodyText = "<proposta><login>alfa.maria</login><senha>" + pass + "</senha><" + fieldName + ">" + fieldVal + "</" + fieldName +
			"><cpf>" + cpfShape + "</cpf><telefone>" + phone + "</telefone><email>" + email + "</email></proposta>"
	case 3: // multipart
		bodyText = "--XyZ\r\nContent-Disposition: form-data; name=\"login\"\r\n\r\nalfa.maria\r\n" +
			"--XyZ\r\nContent-Disposition: form-data; name=\"" + fieldName + "\"\r\n\r\n" + fieldVal + "\r\n" +
			"--XyZ\r\nContent-Disposition: form-data; name=\"senha\"\r\n\r\n" + pass + "\r\n" +
			"--XyZ\r\nContent-Disposition: form-data; name=\"obs\"\r\n\r\n" + cpfShape + " " + phone + " " + email + "\r\n--XyZ--\r\n"
	}
	sig := plant(rapid.StringMatching(`[A-Za-z0-9_-]{30,43}`).Draw(rt, "jwtSignature") + "Zx9")
	jwt := "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1bmlxdWVfbmFtZSI6ImFsZmEubWFyaWEifQ." + sig
	cookie := plant(secretValue(rt, "cookie"))
	cnpj := brdoc.MakeCNPJ(rapid.StringMatching(`[1-9][0-9]{11}`).Draw(rt, "cnpjBase"))
	if cnpj != "" {
		plant(cnpj[:2] + " " + cnpj[2:5] + " " + cnpj[5:8] + " " + cnpj[8:12] + " " + cnpj[12:])
	}
	errs := []string{"Falha no processamento dos dados. " + errPlant}
	if cnpj != "" {
		errs = append(errs, "Empresa "+cnpj[:2]+" "+cnpj[2:5]+" "+cnpj[5:8]+" "+cnpj[8:12]+" "+cnpj[12:]+" sem cadastro")
	}
	if bodyShape == 0 {
		// A name has no shape: it is found by its field (cliente.nome), then wherever it recurs.
		errs = append(errs, "cliente "+name+" com pendência")
	}
	respBody, _ := json.Marshal(map[string]any{"success": false, "errors": errs,
		"data": map[string]any{"contato": map[string]any{"celular": json.Number(fmt.Sprintf("%d%s", ddd, num))}, "token": jwt}})

	var b strings.Builder
	fmt.Fprintf(&b, "ticket: SUP-7000\npartner: Corban Alfa\n")
	fmt.Fprintf(&b, "error: %s\n", yq("Nao foi possivel realizar operacao. Detalhe: "+errPlant))
	fmt.Fprintf(&b, "request:\n  method: POST\n")
	u := "https://alfa:" + url.PathEscape(pass) + "@api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise?" +
		queryName + "=" + url.QueryEscape(queryVal) + "&ref=" + url.QueryEscape(apiKey)
	if rapid.Bool().Draw(rt, "jwtInQuery") {
		u += "&auth=Bearer%20" + jwt
	}
	fmt.Fprintf(&b, "  url: %s\n", yq(u))
	at := "2026-11-18 14:05"
	if rapid.IntRange(0, 4).Draw(rt, "badTime") == 0 {
		at = "ontem, cliente " + errPlant // an error that repeats the input
	}
	fmt.Fprintf(&b, "  at: %s\n", yq(at))
	fmt.Fprintf(&b, "  headers:\n    %s: %s\n    Content-Type: application/json\n    X-Api-Key: %s\n    Cookie: %s\n", headerName, yq(headerVal), yq(apiKey), yq("sessionid="+cookie+"; theme=dark"))
	fmt.Fprintf(&b, "  body: %s\n", yq(bodyText))
	fmt.Fprintf(&b, "response:\n  status: 500\n  body: %s\n", yq(string(respBody)))
	user := "alfa.maria"
	if rapid.Bool().Draw(rt, "emailLogin") {
		user = email // partners whose logins are e-mail addresses: printed in the verdict
	}
	fmt.Fprintf(&b, "credentials:\n  api_key: %s\n  user: %s\n", yq(apiKey), yq(user))
	return planted{caseYAML: b.String(), values: values}
}
