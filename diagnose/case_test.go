package diagnose_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/crefazon/triagem/diagnose"
)

// A case as support receives it, once in YAML and once in JSON: both must read the same.
const yamlCase = `ticket: SUP-4821
partner: Corban Alfa
environment: homologacao
product: consignado
error: "Token expirado"
request:
  method: POST
  url: https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise
  at: "2026-11-20T23:30:00-03:00"
  headers: {Authorization: "Bearer eyJ.x.y", Content-Type: application/json}
  body: {cliente: {cpf: "529.982.247-25", nome: Maria}, produto: {id: 4}}
response:
  status: 503
  body: '{"success": false, "data": null, "errors": ["Falha no processamento dos dados."]}'
credentials:
  api_key: hml-alfa-4b9e2c7a1d83f605
  user: alfa.maria
  token: "eyJ.x.y"
  token_issued_at: "2026-11-20 20:00"
`

const jsonCase = `{
  "ticket": "SUP-4821",
  "partner": "Corban Alfa",
  "environment": "homologacao",
  "product": "consignado",
  "error": "Token expirado",
  "request": {
    "method": "POST",
    "url": "https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise",
    "at": "2026-11-20T23:30:00-03:00",
    "headers": {"Authorization": "Bearer eyJ.x.y", "Content-Type": "application/json"},
    "body": {"cliente": {"cpf": "529.982.247-25", "nome": "Maria"}, "produto": {"id": 4}}
  },
  "response": {
    "status": 503,
    "body": "{\"success\": false, \"data\": null, \"errors\": [\"Falha no processamento dos dados.\"]}"
  },
  "credentials": {
    "api_key": "hml-alfa-4b9e2c7a1d83f605",
    "user": "alfa.maria",
    "token": "eyJ.x.y",
    "token_issued_at": "2026-11-20 20:00"
  }
}
`

func mustParse(t testing.TB, name, text string) *diagnose.Case {
	t.Helper()
	c, err := diagnose.ParseCase(name, []byte(text))
	if err != nil {
		t.Fatalf("ParseCase(%s): %v", name, err)
	}
	return c
}

func mustResolve(t testing.TB, c *diagnose.Case) *diagnose.Facts {
	t.Helper()
	f, err := diagnose.Resolve(c, defaultRules(t))
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	return f
}

// sameJSON compares two JSON texts as values, whatever their spacing and key order.
func sameJSON(t testing.TB, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body %q is not JSON: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad test JSON %q: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("body = %s, want %s", got, want)
	}
}

func TestParseCaseFormatsByContent(t *testing.T) {
	// The extension says nothing: a JSON text in case.yaml is JSON, YAML in case.json is YAML.
	for _, tc := range []struct{ name, text string }{
		{"case.yaml", yamlCase},
		{"case.json", yamlCase},
		{"case.json", jsonCase},
		{"case.yaml", jsonCase},
		{"caso-sem-extensao", jsonCase},
		{"stdin", "\ufeff" + yamlCase}, // a BOM from a Windows editor
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustParse(t, tc.name, tc.text)
			if c.Source != tc.name {
				t.Errorf("Source = %q, want %q", c.Source, tc.name)
			}
			checks := []struct{ field, got, want string }{
				{"ticket", c.Ticket, "SUP-4821"},
				{"partner", c.Partner, "Corban Alfa"},
				{"environment", c.Environment, "homologacao"},
				{"product", c.Product, "consignado"},
				{"error", c.Error, "Token expirado"},
				{"request.method", c.Request.Method, "POST"},
				{"request.url", c.Request.URL, "https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise"},
				{"request.at", c.Request.At.Raw, "2026-11-20T23:30:00-03:00"},
				{"request.headers.Authorization", c.Request.Headers["Authorization"], "Bearer eyJ.x.y"},
				{"credentials.api_key", c.Credentials.APIKey, "hml-alfa-4b9e2c7a1d83f605"},
				{"credentials.user", c.Credentials.User, "alfa.maria"},
				{"credentials.token", c.Credentials.Token, "eyJ.x.y"},
				{"credentials.token_issued_at", c.Credentials.TokenIssuedAt.Raw, "2026-11-20 20:00"},
			}
			for _, ck := range checks {
				if ck.got != ck.want {
					t.Errorf("%s = %q, want %q", ck.field, ck.got, ck.want)
				}
			}
			if c.Response == nil || c.Response.Status != 503 {
				t.Fatalf("response = %+v, want status 503", c.Response)
			}
			if !c.Request.Body.Present {
				t.Fatal("request.body not present")
			}
			sameJSON(t, c.Request.Body.Raw, `{"cliente": {"cpf": "529.982.247-25", "nome": "Maria"}, "produto": {"id": 4}}`)
			sameJSON(t, c.Response.Body.Raw, `{"success": false, "data": null, "errors": ["Falha no processamento dos dados."]}`)

			f := mustResolve(t, c)
			if got := f.At.Format(time.RFC3339); got != "2026-11-20T23:30:00-03:00" {
				t.Errorf("request.at resolved to %s", got)
			}
			if !f.HasIssuedAt || !f.IssuedAt.Equal(time.Date(2026, 11, 20, 23, 0, 0, 0, time.UTC)) {
				t.Errorf("token_issued_at resolved to %v (has %v), want 20:00 -03", f.IssuedAt, f.HasIssuedAt)
			}
			if f.ErrorText != "Token expirado; Falha no processamento dos dados." {
				t.Errorf("error text = %q: want the case's error and the response's errors", f.ErrorText)
			}
		})
	}
}

func TestParseCaseUnknownFieldNamesLine(t *testing.T) {
	tests := []struct {
		name, file, text string
		place, field     string
	}{
		{"yaml top level", "case.yaml", "ticket: SUP-1\npartner: Alfa\nrequestt:\n  method: POST\n", "case.yaml:3", `"requestt"`},
		{"yaml request.methd", "case.yaml", "ticket: SUP-1\nrequest:\n  url: https://x/api/v2/a\n  methd: POST\n", "case.yaml:4", `"request.methd"`},
		{"yaml credentials", "case.yaml", "credentials:\n  api_key: k\n  usr: alfa.maria\n", "case.yaml:3", `"credentials.usr"`},
		{"yaml response", "case.yaml", "error: x\nresponse:\n  status: 503\n  stauts: 503\n", "case.yaml:4", `"response.stauts"`},
		{"json top level", "case.json", "{\n  \"ticket\": \"SUP-1\",\n  \"tickett\": \"SUP-2\"\n}\n", "case.json:3", `"tickett"`},
		{"json request.methd", "case.json", "{\n  \"ticket\": \"SUP-1\",\n  \"request\": {\n    \"url\": \"https://x/api/v2/a\",\n    \"methd\": \"POST\"\n  }\n}\n", "case.json:5", `"request.methd"`},
		{"json named .yaml", "case.yaml", "{\"request\": {\n\"methd\": \"POST\"}}", "case.yaml:2", `"request.methd"`},
		{"json indented with tabs", "case.json", "{\n\t\"ticket\": \"SUP-1\",\n\t\"request\": {\n\t\t\"methd\": \"POST\"\n\t}\n}\n", "case.json:4", `"request.methd"`},
		{"json crlf", "case.json", "{\r\n  \"ticket\": \"SUP-1\",\r\n  \"partnr\": \"Alfa\"\r\n}\r\n", "case.json:3", `"partnr"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := diagnose.ParseCase(tc.file, []byte(tc.text))
			var ie *diagnose.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v (%T), want *InputError", err, err)
			}
			if ie.Place != tc.place {
				t.Errorf("Place = %q, want %q (err: %v)", ie.Place, tc.place, err)
			}
			if !strings.Contains(ie.Msg, "unknown field") || !strings.Contains(ie.Msg, tc.field) {
				t.Errorf("Msg = %q, want it to say unknown field %s", ie.Msg, tc.field)
			}
		})
	}
}

func TestParseCaseUnknownFieldInJSONWithEscapedSlashes(t *testing.T) {
	text := "{\n  \"ticket\": \"SUP-1\",\n  \"request\": {\n    \"url\": \"https:\\/\\/api-externo-stag.crefazon.com.br\\/api\\/v2\\/propostas\\/pre-analise\",\n    \"methd\": \"POST\"\n  }\n}\n"
	_, err := diagnose.ParseCase("case.json", []byte(text))
	var ie *diagnose.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v (%T), want *InputError", err, err)
	}
	if ie.Place != "case.json:5" || !strings.Contains(ie.Msg, `"request.methd"`) {
		t.Errorf("err = %v, want case.json:5 and \"request.methd\"", err)
	}
}

func TestParseCaseRejectsWhatIsNotACase(t *testing.T) {
	tests := []struct {
		name  string
		data  []byte
		words []string // any one of them must appear
	}{
		{"png header", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), []string{"binary"}},
		{"zip", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), []string{"binary"}},
		{"high bytes only", []byte("\xff\xfe\xfd\xfc\xfb"), []string{"neither", "binary"}},
		{"plain text", []byte("hello world"), []string{"neither"}},
		{"plain text lines", []byte("the partner said it failed\nplease check\n"), []string{"neither"}},
		{"a YAML list", []byte("- ticket: SUP-1\n- ticket: SUP-2\n"), []string{"neither"}},
		{"a JSON array", []byte(`[{"ticket": "SUP-1"}]`), []string{"neither"}},
		{"a number", []byte("42"), []string{"neither"}},
		{"empty", []byte("  \n\t\n"), []string{"empty"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := diagnose.ParseCase("case.bin", tc.data)
			if err == nil {
				t.Fatalf("accepted as a case: %+v", c)
			}
			var ie *diagnose.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v (%T), want *InputError", err, err)
			}
			if !strings.HasPrefix(ie.Place, "case.bin") {
				t.Errorf("Place = %q, want it to name case.bin", ie.Place)
			}
			found := false
			for _, w := range tc.words {
				found = found || strings.Contains(ie.Msg, w)
			}
			if !found {
				t.Errorf("Msg = %q, want one of %q", ie.Msg, tc.words)
			}
		})
	}
}

func TestParseCaseJSONErrorsNameLineAndColumn(t *testing.T) {
	tests := []struct {
		name, text, place, word string
	}{
		{"syntax", "{\n  \"ticket\": \"SUP-1\"\n  \"partner\": \"Alfa\"\n}", "case.json:3:", "invalid JSON"},
		{"truncated", "{\n  \"ticket\": \"SUP-1\",\n  \"request\": {", "case.json:3:", "invalid JSON"},
		{"wrong type", "{\n  \"ticket\": \"SUP-1\",\n  \"response\": {\"status\": \"503\"}\n}", "case.json:3:", "status"},
		{"trailing content", "{\"ticket\": \"SUP-1\"}\n{\"ticket\": \"SUP-2\"}", "case.json:2:", "after"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := diagnose.ParseCase("case.json", []byte(tc.text))
			var ie *diagnose.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v (%T), want *InputError", err, err)
			}
			if !strings.HasPrefix(ie.Place, tc.place) {
				t.Errorf("Place = %q, want prefix %q", ie.Place, tc.place)
			}
			if !strings.Contains(ie.Msg, tc.word) {
				t.Errorf("Msg = %q, want it to contain %q", ie.Msg, tc.word)
			}
		})
	}
}

func TestParseCaseWrongTimestampTypeNamesField(t *testing.T) {
	t.Run("yaml", func(t *testing.T) {
		_, err := diagnose.ParseCase("case.yaml", []byte("ticket: SUP-1\nrequest:\n  at: {dia: 20}\n"))
		var ie *diagnose.InputError
		if !errors.As(err, &ie) || ie.Place != "case.yaml:3" || !strings.Contains(ie.Msg, "timestamp") {
			t.Errorf("err = %v, want case.yaml:3 and a word on the timestamp", err)
		}
	})
	t.Run("json", func(t *testing.T) {
		_, err := diagnose.ParseCase("case.json", []byte("{\n  \"request\": {\n    \"at\": 1795045200\n  }\n}"))
		var ie *diagnose.InputError
		if !errors.As(err, &ie) {
			t.Fatalf("err = %v (%T), want *InputError", err, err)
		}
		if !strings.HasPrefix(ie.Place, "case.json:3") || !strings.Contains(ie.Msg, "request.at") {
			t.Errorf("err = %v, want case.json:3 and request.at", err)
		}
	})
}

func TestParseCaseYAMLSyntaxErrorNamesLine(t *testing.T) {
	text := "ticket: SUP-1\nrequest:\n  method: POST\n  url: [unclosed\n"
	_, err := diagnose.ParseCase("case.yaml", []byte(text))
	var ie *diagnose.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v (%T), want *InputError", err, err)
	}
	if !strings.HasPrefix(ie.Place, "case.yaml:") {
		t.Errorf("Place = %q, want case.yaml:LINE", ie.Place)
	}
}

func TestParseCaseBody(t *testing.T) {
	tests := []struct {
		name, text string
		present    bool
		json       string // when the body must be this JSON value
		raw        string // when the body must be exactly this text
	}{
		{"yaml mapping", "request:\n  body: {cliente: {cpf: \"529.982.247-25\"}, n: 5, ok: true}\n", true, `{"cliente": {"cpf": "529.982.247-25"}, "n": 5, "ok": true}`, ""},
		{"yaml block mapping", "request:\n  body:\n    operacao:\n      urlNotificacao: \"null\"\n      prazo: 12\n", true, `{"operacao": {"urlNotificacao": "null", "prazo": 12}}`, ""},
		{"yaml list", "request:\n  body: [1, 2]\n", true, `[1, 2]`, ""},
		{"yaml non-string keys", "request:\n  body: {1: um}\n", true, `{"1": "um"}`, ""},
		{"yaml string holding JSON", "request:\n  body: '{\"a\": 1}'\n", true, "", `{"a": 1}`},
		{"yaml string holding invalid JSON", "request:\n  body: '{\"cliente\": {\"cpf\": '\n", true, "", `{"cliente": {"cpf": `},
		{"yaml block string", "request:\n  body: |\n    {\"a\": 1,\n     \"b\": }\n", true, "", "{\"a\": 1,\n \"b\": }\n"},
		{"yaml null", "request:\n  body: null\n", false, "", ""},
		{"yaml empty string", "request:\n  body: \"\"\n", false, "", ""},
		{"yaml absent", "request:\n  method: GET\n", false, "", ""},
		{"json object", `{"request": {"body": {"a": [1, {"b": null}]}}}`, true, `{"a": [1, {"b": null}]}`, ""},
		{"json string holding invalid JSON", `{"request": {"body": "{\"a\": 1,"}}`, true, "", `{"a": 1,`},
		{"json string not JSON at all", `{"request": {"body": "cpf=52998224725&nome=Maria"}}`, true, "", "cpf=52998224725&nome=Maria"},
		{"json null", `{"request": {"body": null}}`, false, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := mustParse(t, "case", tc.text)
			b := c.Request.Body
			if b.Present != tc.present {
				t.Fatalf("Present = %v, want %v (raw %q)", b.Present, tc.present, b.Raw)
			}
			switch {
			case tc.json != "":
				sameJSON(t, b.Raw, tc.json)
			case tc.raw != "":
				if string(b.Raw) != tc.raw {
					t.Errorf("Raw = %q, want the text kept as is: %q", b.Raw, tc.raw)
				}
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	sp := defaultRules(t).Location()
	tests := []struct {
		in   string
		want string // RFC 3339, in America/Sao_Paulo unless the input had another offset
	}{
		{"2026-11-20T23:30:00-03:00", "2026-11-20T23:30:00-03:00"},
		{"2026-11-21T02:30:00Z", "2026-11-20T23:30:00-03:00"},
		{"2026-11-20 23:30", "2026-11-20T23:30:00-03:00"},
		{"2026-11-20 23:30:15", "2026-11-20T23:30:15-03:00"},
		{"20/11/2026 23:30", "2026-11-20T23:30:00-03:00"},
		{"20/11/2026 23:30:15", "2026-11-20T23:30:15-03:00"},
		{"  2026-11-20 23:30\n", "2026-11-20T23:30:00-03:00"},
		{"2026-11-20T23:30:00", "2026-11-20T23:30:00-03:00"},
		{"01/07/2026 10:00", "2026-07-01T10:00:00-03:00"}, // no daylight saving time since 2019
		{"15/01/2018 10:00", "2018-01-15T10:00:00-02:00"}, // but there was in 2018: the zone knows
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := diagnose.ParseTime(tc.in, sp)
			if err != nil {
				t.Fatalf("ParseTime(%q): %v", tc.in, err)
			}
			want, _ := time.Parse(time.RFC3339, tc.want)
			if !got.Equal(want) {
				t.Errorf("ParseTime(%q) = %s, want %s", tc.in, got.In(sp).Format(time.RFC3339), tc.want)
			}
			if s := got.In(sp).Format(time.RFC3339); s != tc.want {
				t.Errorf("in São Paulo: %s, want %s", s, tc.want)
			}
		})
	}
	for _, bad := range []string{"", "amanhã cedo", "20-11-2026 23:30", "11/20/2026 23:30", "2026-13-01 10:00", "31/02/2026 10:00", "2026-11-20", "23:30", "1795045200"} {
		t.Run("bad "+bad, func(t *testing.T) {
			if got, err := diagnose.ParseTime(bad, sp); err == nil {
				t.Errorf("ParseTime(%q) = %v, want an error", bad, got)
			} else if !strings.Contains(err.Error(), "RFC 3339") {
				t.Errorf("error %q does not say which layouts are accepted", err)
			}
		})
	}
}

func TestResolveBadTimeNamesLineAndField(t *testing.T) {
	tests := []struct {
		name, file, text, place, field string
	}{
		{"request.at", "case.yaml", "ticket: SUP-1\nrequest:\n  method: POST\n  at: \"ontem à noite\"\n", "case.yaml:4", "request.at"},
		{"request.at unquoted", "case.yaml", "ticket: SUP-1\n\nrequest:\n  at: 2026/11/20 10:00\n", "case.yaml:4", "request.at"},
		{"token_issued_at", "case.yaml", "request:\n  at: \"2026-11-20 10:00\"\ncredentials:\n  user: alfa.maria\n  token_issued_at: \"as 9 da manha\"\n", "case.yaml:5", "credentials.token_issued_at"},
		{"json request.at", "case.json", "{\"request\": {\"at\": \"ontem\"}}", "case.json:1", "request.at"},
		{"json request.at on its line", "case.json", "{\n  \"ticket\": \"at\",\n  \"request\": {\n    \"at\": \"ontem\"\n  }\n}", "case.json:4", "request.at"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := mustParse(t, tc.file, tc.text)
			_, err := diagnose.Resolve(c, defaultRules(t))
			var ie *diagnose.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v (%T), want *InputError", err, err)
			}
			if ie.Place != tc.place {
				t.Errorf("Place = %q, want %q", ie.Place, tc.place)
			}
			if !strings.Contains(ie.Msg, tc.field) {
				t.Errorf("Msg = %q, want it to name %s", ie.Msg, tc.field)
			}
			if !strings.Contains(err.Error(), tc.place+": ") {
				t.Errorf("Error() = %q, want it to start with the place", err)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestApplyOverrides(t *testing.T) {
	c := mustParse(t, "case.yaml", yamlCase)
	c.Apply(diagnose.Overrides{
		URL:     ptr("https://api-externo.crefazon.com.br/api/v2/propostas/123/produtos-ofertados"),
		Method:  ptr("get"),
		At:      ptr("18/11/2026 09:00"),
		APIKey:  ptr("prd-alfa-93c1e0b7d2a4f851"),
		User:    ptr("alfa.joao"),
		Token:   ptr("eyJ.novo.token"),
		Payload: ptr(`{"a": 1}`),
		Error:   ptr("Proposta invalida."),
		Env:     ptr("producao"),
		Product: ptr("energia"),
		Ticket:  ptr("SUP-9999"),
		Status:  ptr(404),
	})
	for _, ck := range []struct{ field, got, want string }{
		{"url", c.Request.URL, "https://api-externo.crefazon.com.br/api/v2/propostas/123/produtos-ofertados"},
		{"method", c.Request.Method, "get"},
		{"at", c.Request.At.Raw, "18/11/2026 09:00"},
		{"api_key", c.Credentials.APIKey, "prd-alfa-93c1e0b7d2a4f851"},
		{"user", c.Credentials.User, "alfa.joao"},
		{"token", c.Credentials.Token, "eyJ.novo.token"},
		{"payload", string(c.Request.Body.Raw), `{"a": 1}`},
		{"error", c.Error, "Proposta invalida."},
		{"environment", c.Environment, "producao"},
		{"product", c.Product, "energia"},
		{"ticket", c.Ticket, "SUP-9999"},
	} {
		if ck.got != ck.want {
			t.Errorf("%s = %q, want %q", ck.field, ck.got, ck.want)
		}
	}
	if c.Response.Status != 404 {
		t.Errorf("status = %d, want 404", c.Response.Status)
	}
	// Untouched fields keep the file's values.
	if c.Partner != "Corban Alfa" || c.Credentials.TokenIssuedAt.Raw != "2026-11-20 20:00" {
		t.Errorf("fields without a flag changed: partner %q, token_issued_at %q", c.Partner, c.Credentials.TokenIssuedAt.Raw)
	}
	f := mustResolve(t, c)
	if f.Method != "GET" || f.Env.ID != "producao" || f.Product.ID != "energia" || !f.HasAt || f.At.UTC().Hour() != 12 {
		t.Errorf("resolved: method %q env %q product %q at %v", f.Method, f.Env.ID, f.Product.ID, f.At)
	}

	// A status flag on a case without a response creates one; an empty payload flag empties it.
	c2 := mustParse(t, "case.yaml", "request:\n  method: POST\n  body: {a: 1}\n")
	c2.Apply(diagnose.Overrides{Status: ptr(503), Payload: ptr("  ")})
	if c2.Response == nil || c2.Response.Status != 503 {
		t.Errorf("--status on a case without response: %+v", c2.Response)
	}
	if c2.Request.Body.Present {
		t.Errorf("--payload '  ' left a payload present")
	}
	// No flag, no change.
	c3 := mustParse(t, "case.yaml", yamlCase)
	c3.Apply(diagnose.Overrides{})
	if c3.Ticket != "SUP-4821" || c3.Request.Method != "POST" || c3.Credentials.APIKey != "hml-alfa-4b9e2c7a1d83f605" || c3.Response.Status != 503 || !c3.Request.Body.Present {
		t.Errorf("empty overrides changed the case: %+v", c3)
	}
}

func TestResolveFlagErrorsNameTheFlag(t *testing.T) {
	tests := []struct {
		name  string
		o     diagnose.Overrides
		place string
		field string
	}{
		{"--at", diagnose.Overrides{At: ptr("ontem")}, "--at", "request.at"},
		{"--product", diagnose.Overrides{Product: ptr("Cartão Consignado")}, "--product", "product"},
		{"--env", diagnose.Overrides{Env: ptr("qa")}, "--env", "environment"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &diagnose.Case{Source: "flags"}
			c.Apply(tc.o)
			_, err := diagnose.Resolve(c, defaultRules(t))
			var ie *diagnose.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v (%T), want *InputError", err, err)
			}
			if ie.Place != tc.place || !strings.HasPrefix(ie.Msg, tc.field+":") {
				t.Errorf("err = %v, want place %s and field %s", err, tc.place, tc.field)
			}
		})
	}
}

func TestResolveUnknownNames(t *testing.T) {
	tests := []struct {
		name, text, field, listed string
	}{
		{"product", "product: Cartão Benefício\n", "product", "luz-em-dia"},
		{"environment", "environment: qa\n", "environment", "homologacao"},
		{"environment with a known host", "environment: sandbox\nrequest:\n  url: https://api-externo-stag.crefazon.com.br/api/v2/enderecos/paises\n", "environment", "producao"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := mustParse(t, "case.yaml", tc.text)
			_, err := diagnose.Resolve(c, defaultRules(t))
			var ie *diagnose.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v (%T), want *InputError", err, err)
			}
			if !strings.HasPrefix(ie.Msg, tc.field+":") || !strings.HasPrefix(ie.Place, "case.yaml") {
				t.Errorf("err = %v, want it to name %s in case.yaml", err, tc.field)
			}
			if !strings.Contains(ie.Msg, tc.listed) {
				t.Errorf("Msg = %q, want it to list the known names (%s)", ie.Msg, tc.listed)
			}
		})
	}
}

func TestResolveProduct(t *testing.T) {
	const v2 = "https://api-externo-stag.crefazon.com.br/api/v2"
	tests := []struct {
		name    string
		product string
		url     string
		body    string
		want    string
		source  string
	}{
		{"display name", "Luz em Dia", "", "", "luz-em-dia", "product"},
		{"id", "luz-em-dia", "", "", "luz-em-dia", "product"},
		{"shouting snake case", "LUZ_EM_DIA", "", "", "luz-em-dia", "product"},
		{"run together", "luzemdia", "", "", "luz-em-dia", "product"},
		{"alias with accents", "Crédito do Trabalhador", "", "", "consignado", "product"},
		{"alias without accents", "credito do trabalhador", "", "", "consignado", "product"},
		{"upper-case id", "CP-AUTO", "", "", "cp-auto", "product"},
		{"produto.id 4", "", v2 + "/propostas/123/simulacao-credito", `{"produto": {"id": 4, "tabelaJuros": {"id": 1}}}`, "consignado", "produto.id"},
		{"produto.id as text", "", v2 + "/propostas/123/simulacao-credito", `{"produto": {"id": "6"}}`, "energia", "produto.id"},
		{"route", "", v2 + "/propostas/123/autorizacao-consulta", `{"contato": {"telefone": "11987654321"}}`, "consignado", "route"},
		{"route, any case", "", "https://api-externo-stag.crefazon.com.br/API/V2/Propostas/77/Autorizacao-Consulta", "", "consignado", "route"},
		{"product field beats produto.id", "energia", v2 + "/propostas/123/simulacao-credito", `{"produto": {"id": 4}}`, "energia", "product"},
		{"produto.id beats route", "", v2 + "/propostas/123/autorizacao-consulta", `{"produto": {"id": 6}}`, "energia", "produto.id"},
		{"unknown produto.id", "", v2 + "/propostas/123/simulacao-credito", `{"produto": {"id": 99}}`, "", ""},
		{"nothing to go by", "", v2 + "/propostas/pre-analise", `{"cliente": {}}`, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &diagnose.Case{Product: tc.product, Request: diagnose.Request{Method: "POST", URL: tc.url}}
			if tc.body != "" {
				c.Request.Body = diagnose.Body{Raw: []byte(tc.body), Present: true}
			}
			f := mustResolve(t, c)
			if tc.want == "" {
				if f.HasProduct {
					t.Errorf("product = %s (from %s), want none", f.Product.ID, f.ProductSource)
				}
				return
			}
			if !f.HasProduct || f.Product.ID != tc.want || f.ProductSource != tc.source {
				t.Errorf("product = %q from %q (has %v), want %q from %q", f.Product.ID, f.ProductSource, f.HasProduct, tc.want, tc.source)
			}
		})
	}
}

func TestResolveEnvironmentAndVersion(t *testing.T) {
	tests := []struct {
		name, url, env string
		wantEnv        string // "" when unknown
		hostEnv        string
		version, rest  string
		route          string // "" when no route matches
	}{
		{"stag host", "https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise", "", "homologacao", "homologacao", "v2", "/propostas/pre-analise", "POST /propostas/pre-analise"},
		{"old V1 stag host", "https://app2-crefaz-api-external-stag.azurewebsites.net/api/Proposta", "", "homologacao", "homologacao", "v1", "/Proposta", "POST /Proposta"},
		{"production host", "https://api-externo.crefazon.com.br/api/v2/propostas/pre-analise", "", "producao", "producao", "v2", "/propostas/pre-analise", "POST /propostas/pre-analise"},
		{"old V1 production host", "https://api.crefazon.com.br/api/Proposta", "", "producao", "producao", "v1", "/Proposta", "POST /Proposta"},
		{"host in capitals and a port", "https://API-EXTERNO.CREFAZON.COM.BR:443/api/v2/propostas/pre-analise", "", "producao", "producao", "v2", "/propostas/pre-analise", "POST /propostas/pre-analise"},
		{"the host wins over the environment field", "https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise", "producao", "homologacao", "homologacao", "v2", "/propostas/pre-analise", "POST /propostas/pre-analise"},
		{"the host wins over an alias", "https://api.crefazon.com.br/api/Proposta", "hml", "producao", "producao", "v1", "/Proposta", "POST /Proposta"},
		{"unknown host: the field counts", "https://localhost:8080/api/v2/propostas/pre-analise", "Produção", "producao", "", "v2", "/propostas/pre-analise", "POST /propostas/pre-analise"},
		{"no URL: the field counts", "", "homolog", "homologacao", "", "", "", ""},
		{"unknown host, no field", "https://example.com/api/v2/propostas/pre-analise", "", "", "", "v2", "/propostas/pre-analise", "POST /propostas/pre-analise"},
		{"version in capitals", "https://api-externo-stag.crefazon.com.br/API/V2/PROPOSTAS/PRE-ANALISE", "", "homologacao", "homologacao", "v2", "/PROPOSTAS/PRE-ANALISE", "POST /propostas/pre-analise"},
		{"V1 path", "https://api-externo-stag.crefazon.com.br/api/Usuario/login", "", "homologacao", "homologacao", "v1", "/Usuario/login", "POST /Usuario/login"},
		{"no version", "https://api-externo-stag.crefazon.com.br/v2/propostas/pre-analise", "", "homologacao", "homologacao", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &diagnose.Case{Environment: tc.env, Request: diagnose.Request{Method: "POST", URL: tc.url}}
			f := mustResolve(t, c)
			if tc.wantEnv == "" {
				if f.HasEnv {
					t.Errorf("environment = %s, want unknown", f.Env.ID)
				}
			} else if !f.HasEnv || f.Env.ID != tc.wantEnv {
				t.Errorf("environment = %q (has %v), want %q", f.Env.ID, f.HasEnv, tc.wantEnv)
			}
			if f.HostEnv != tc.hostEnv {
				t.Errorf("host environment = %q, want %q", f.HostEnv, tc.hostEnv)
			}
			if tc.version == "" {
				if f.HasVersion {
					t.Errorf("version = %s, want none", f.Version.ID)
				}
			} else if !f.HasVersion || f.Version.ID != tc.version || f.RoutePath != tc.rest {
				t.Errorf("version = %q rest %q, want %q rest %q", f.Version.ID, f.RoutePath, tc.version, tc.rest)
			}
			route := ""
			if f.Route >= 0 {
				route = defaultRules(t).Route(f.Route).String()
			}
			if route != tc.route {
				t.Errorf("route = %q, want %q", route, tc.route)
			}
		})
	}
}

func TestResolveMethod(t *testing.T) {
	const v2 = "https://api-externo-stag.crefazon.com.br/api/v2"
	tests := []struct {
		name, method, url string
		body              bool
		want              string
		inferred          bool
		route             string
	}{
		{"lower case", "post", v2 + "/propostas/pre-analise", true, "POST", false, "POST /propostas/pre-analise"},
		{"inferred from a one-method route", "", v2 + "/propostas/pre-analise", true, "POST", true, "POST /propostas/pre-analise"},
		{"inferred GET", "", v2 + "/enderecos/paises", false, "GET", true, "GET /enderecos/paises"},
		{"a route with GET and POST, and a body", "", v2 + "/propostas/123/dados-bancarios", true, "POST", true, "POST /propostas/{id}/dados-bancarios"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "a route with GET and POST, and a body" {
			}
			c := &diagnose.Case{Request: diagnose.Request{Method: tc.method, URL: tc.url}}
			if tc.body {
				c.Request.Body = diagnose.Body{Raw: []byte(`{}`), Present: true}
			}
			f := mustResolve(t, c)
			route := ""
			if f.Route >= 0 {
				route = defaultRules(t).Route(f.Route).String()
			}
			if f.Method != tc.want || f.MethodInferred != tc.inferred || route != tc.route {
				t.Errorf("method %q inferred %v route %q, want %q %v %q", f.Method, f.MethodInferred, route, tc.want, tc.inferred, tc.route)
			}
		})
	}
}

func TestResolveToken(t *testing.T) {
	tests := []struct {
		name          string
		headers       map[string]string
		cred          string
		token, source string
		noBearer      bool
		mismatch      bool
	}{
		{"Authorization: Bearer", map[string]string{"Authorization": "Bearer eyJ.a.b"}, "", "eyJ.a.b", "Authorization", false, false},
		{"lower-case header and scheme", map[string]string{"authorization": "bearer   eyJ.a.b "}, "", "eyJ.a.b", "Authorization", false, false},
		{"credentials.token only", nil, "eyJ.a.b", "eyJ.a.b", "credentials.token", false, false},
		{"credentials.token with the scheme", nil, "Bearer eyJ.a.b", "eyJ.a.b", "credentials.token", false, false},
		{"header without Bearer", map[string]string{"Authorization": "eyJ.a.b"}, "", "eyJ.a.b", "Authorization", true, false},
		{"header and the same credentials.token", map[string]string{"Authorization": "Bearer eyJ.a.b"}, "eyJ.a.b", "eyJ.a.b", "Authorization", false, false},
		{"header and another credentials.token", map[string]string{"Authorization": "Bearer eyJ.a.b"}, "eyJ.c.d", "eyJ.a.b", "Authorization", false, true},
		{"no token", map[string]string{"Content-Type": "application/json"}, "", "", "", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &diagnose.Case{Request: diagnose.Request{Headers: tc.headers}, Credentials: diagnose.Credentials{Token: tc.cred}}
			f := mustResolve(t, c)
			if f.Token != tc.token || f.TokenSource != tc.source || f.BearerMissing != tc.noBearer || f.TokenMismatch != tc.mismatch {
				t.Errorf("token %q from %q, no bearer %v, mismatch %v; want %q from %q, %v, %v",
					f.Token, f.TokenSource, f.BearerMissing, f.TokenMismatch, tc.token, tc.source, tc.noBearer, tc.mismatch)
			}
		})
	}
}

func TestResolveErrorText(t *testing.T) {
	tests := []struct {
		name, err, body, want string
	}{
		{"error only", "Token expirado", "", "Token expirado"},
		{"response errors only", "", `{"success": false, "data": null, "errors": ["Proposta invalida.", "Banco invalido ou inativo."]}`, "Proposta invalida.; Banco invalido ou inativo."},
		{"error objects", "", `{"errors": [{"mensagem": "Nenhum registro encontrado!"}]}`, "Nenhum registro encontrado!"},
		{"both, not repeated", "Proposta invalida.", `{"errors": ["Proposta invalida."]}`, "Proposta invalida."},
		{"errors null", "", `{"success": false, "data": null, "errors": null}`, ""},
		{"body not JSON", "", `<html>502 Bad Gateway</html>`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &diagnose.Case{Error: tc.err, Response: &diagnose.Response{Status: 400}}
			if tc.body != "" {
				c.Response.Body = diagnose.Body{Raw: []byte(tc.body), Present: true}
			}
			if got := mustResolve(t, c).ErrorText; got != tc.want {
				t.Errorf("ErrorText = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestKeyFingerprint(t *testing.T) {
	// The directory's own example: the SHA-256 of "test".
	if got := diagnose.KeyFingerprint("test"); got != "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" {
		t.Errorf("KeyFingerprint(test) = %s", got)
	}
	// The exact text: a trailing space is another key.
	if diagnose.KeyFingerprint("test ") == diagnose.KeyFingerprint("test") {
		t.Error("a key with a trailing space has the same fingerprint")
	}
}

// credentials.api_key_sha256 stands for the key: read from YAML and JSON, validated with the
// line named, compared with a raw key given too, and counted as the api_key evidence.
func TestCaseAPIKeySHA256(t *testing.T) {
	r := defaultRules(t)
	sum := diagnose.KeyFingerprint(keyHmlAlfa)
	yamlOf := func(cred string) string {
		return "request:\n  method: GET\n  url: https://api-externo-stag.crefazon.com.br/api/v2/enderecos/paises\ncredentials:\n" + cred
	}
	for _, tc := range []struct {
		name, data string
		want       string // the fingerprint the checks use; "" when an error is expected
		err        string // the error's start: place and field
	}{
		{"YAML", yamlOf("  api_key_sha256: " + sum + "\n"), sum, ""},
		{"JSON", `{"request": {"url": "https://api-externo-stag.crefazon.com.br/api/v2/enderecos/paises"},
 "credentials": {"user": "alfa.maria",
   "api_key_sha256": "` + sum + `"}}`, sum, ""},
		{"both, agreeing", yamlOf("  api_key: " + keyHmlAlfa + "\n  api_key_sha256: " + sum + "\n"), sum, ""},
		{"both, disagreeing", yamlOf("  api_key: " + keyPrdAlfa + "\n  api_key_sha256: " + sum + "\n"), "", "case.yaml:6: credentials.api_key_sha256 is not the SHA-256 of credentials.api_key"},
		{"upper-case hex", yamlOf("  api_key_sha256: " + strings.ToUpper(sum) + "\n"), "", "case.yaml:5: credentials.api_key_sha256: want the API key's SHA-256 in lower-case hex"},
		{"too short", yamlOf("  user: alfa.maria\n  api_key_sha256: " + sum[:63] + "\n"), "", "case.yaml:6: credentials.api_key_sha256"},
		{"the raw key given as its digest", yamlOf("  api_key_sha256: " + keyHmlAlfa + "\n"), "", "case.yaml:5: credentials.api_key_sha256"},
		{"JSON, not hex", "{\"credentials\": {\n  \"api_key_sha256\": \"" + strings.Repeat("g", 64) + "\"}}", "", "case.yaml:2: credentials.api_key_sha256"},
		{"JSON, a number", "{\"credentials\": {\n  \"api_key_sha256\": 12}}", "", "case.yaml:2:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := diagnose.ParseCase("case.yaml", []byte(tc.data))
			var f *diagnose.Facts
			if err == nil {
				f, err = diagnose.Resolve(c, r)
			}
			if tc.err != "" {
				var ie *diagnose.InputError
				if !errors.As(err, &ie) || !strings.HasPrefix(err.Error(), tc.err) {
					t.Fatalf("err = %v, want an input error starting %q", err, tc.err)
				}
				if strings.Contains(err.Error(), keyHmlAlfa) || strings.Contains(err.Error(), keyPrdAlfa) {
					t.Errorf("the error repeats the key: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f.KeySHA256 != tc.want {
				t.Errorf("KeySHA256 = %s, want %s", f.KeySHA256, tc.want)
			}
		})
	}
}

// The digest does what the key does in the chain: the directory finds the key by it, and the
// api_key evidence is present.
func TestChainAPIKeySHA256(t *testing.T) {
	withDigest := func(key string) caseOpt {
		return func(c *diagnose.Case) {
			c.Credentials.APIKey = ""
			c.Credentials.APIKeySHA256 = diagnose.KeyDigest{Hex: diagnose.KeyFingerprint(key)}
		}
	}
	v := diagnoseWith(t, newChain(t, testDirectory(), "en"), newCase(t, weekday, withDigest(keyHmlAlfa)))
	assertVerdict(t, v, want{category: "no-apparent-cause", escalate: true, missing: []string{},
		status: st{"key.exists": pass, "key.environment": pass, "user.key-binding": pass, "key.partner": skip}})
	v = diagnoseWith(t, newChain(t, testDirectory(), "en"), newCase(t, weekday, withDigest(keyPrdAlfa)))
	assertVerdict(t, v, want{category: "api-key-invalid", status: st{"key.environment": fail}})
	v = diagnoseWith(t, newChain(t, testDirectory(), "en"), newCase(t, weekday, withDigest("not-a-key-of-the-directory")))
	assertVerdict(t, v, want{category: "api-key-invalid", status: st{"key.exists": fail}})
}
