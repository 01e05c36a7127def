package intake

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/rules"
)

const (
	testToken  = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3OTUwNDUyMDAsImlhdCI6MTc5NTAwMjAwMCwiaXNzIjoiY3JlZmF6b24tYXBpLXBhcmNlaXJvIiwibmJmIjoxNzk1MDAyMDAwLCJ1bmlxdWVfbmFtZSI6ImFsZmEubWFyaWEifQ.OLYE5TxOy6ZkjJzsK9fq03xO0Sawoqshm55ZxvXeeII"
	testAPIKey = "hml-alfa-4b9e2c7a1d83f605"

	stagAPI = "https://api-externo-stag.crefazon.com.br"

	preAnaliseBody = `{"cliente":{"cpf":"529.982.247-25","nome":"Maria Alfa da Silva","nascimento":"1985-03-12"},
		"profissional":{"ocupacaoId":3},"contato":{"telefone":"(11) 98765-4321"},"endereco":{"cidadeId":5270},
		"operacao":{"urlNotificacao":"https://parceiro.example.com.br/webhooks/crefazon"}}`
	loginBody  = `{"usuario":{"login":"alfa.maria","senha":"Teste@2026","apiKey":"hml-alfa-4b9e2c7a1d83f605"}}`
	motorError = `{"success":false,"data":null,"errors":["Falha de comunicacao com o Motor de Credito. Tente novamente mais tarde."]}`
)

// partnerHost is what the command passes: the default rules' hosts.
func partnerHost(t testing.TB) func(string) bool {
	t.Helper()
	r, err := rules.Default()
	if err != nil {
		t.Fatalf("default rules: %v", err)
	}
	return func(h string) bool { _, ok := r.EnvironmentOfHost(h); return ok }
}

func readFixture(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parseFixtureHAR(t testing.TB, path string) *HAR {
	t.Helper()
	h, err := ParseHAR(filepath.Base(path), readFixture(t, path), partnerHost(t))
	if err != nil {
		t.Fatalf("ParseHAR(%s): %v", path, err)
	}
	return h
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func jsonEqual(t testing.TB, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want is not JSON: %v", err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("body = %s\nwant JSON equal to %s", got, want)
	}
}

// noSecrets fails when an error message quotes a credential or a body.
func noSecrets(t testing.TB, err error) {
	t.Helper()
	for _, s := range []string{testToken, "eyJhbGci", testAPIKey, "529.982.247-25", "Bearer"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q quotes %q", err, s)
		}
	}
}

func TestParseHARChromeEntries(t *testing.T) {
	h := parseFixtureHAR(t, "har/chrome-pre-analise.har")
	want := []HAREntry{
		{Index: 0, Method: "GET", URL: "https://portal.parceiro.example.com.br/assets/index-4f3a9c1e.js", Status: 200, Started: mustTime(t, "2026-11-22T02:29:58.101Z")},
		{Index: 1, Method: "OPTIONS", URL: stagAPI + "/api/v2/usuarios/login", Status: 204, Started: mustTime(t, "2026-11-22T02:30:05.512Z"), PartnerAPI: true, Preflight: true},
		{Index: 2, Method: "POST", URL: stagAPI + "/api/v2/usuarios/login", Status: 200, Started: mustTime(t, "2026-11-22T02:30:05.734Z"), PartnerAPI: true, Login: true},
		{Index: 3, Method: "POST", URL: stagAPI + "/api/v2/propostas/pre-analise", Status: 503, Started: mustTime(t, "2026-11-21T23:30:12.345-03:00"), Failing: true, PartnerAPI: true},
		{Index: 4, Method: "GET", URL: "https://analytics.example.net/collect?v=2&tid=G-TESTE123&en=page_view", Status: 0, Started: mustTime(t, "2026-11-22T02:30:12.901Z"), Failing: true, Error: "net::ERR_BLOCKED_BY_CLIENT"},
	}
	if len(h.Entries) != len(want) {
		t.Fatalf("%d entries, want %d", len(h.Entries), len(want))
	}
	for i, w := range want {
		g := h.Entries[i]
		if g.Index != w.Index || g.Method != w.Method || g.URL != w.URL || g.Status != w.Status ||
			!g.Started.Equal(w.Started) || g.Failing != w.Failing || g.PartnerAPI != w.PartnerAPI ||
			g.Preflight != w.Preflight || g.Login != w.Login || g.Error != w.Error || g.Problem != nil {
			t.Errorf("entry %d = %+v\nwant %+v", i+1, g, w)
		}
	}
	if h.Creator != "WebInspector 537.36" {
		t.Errorf("creator = %q", h.Creator)
	}
	failing := h.Failing()
	if len(failing) != 1 || failing[0].Index != 3 {
		t.Errorf("Failing() = %+v, want entry 4 (index 3) alone", failing)
	}
}

func TestHARRequestChrome(t *testing.T) {
	h := parseFixtureHAR(t, "har/chrome-pre-analise.har")
	tests := []struct {
		index        int
		method, url  string
		auth         string // "" when none
		body         string // JSON; "" when none
		at           string
		status       int
		response     string // exact text; "" when empty
		noteContains string
	}{
		{0, "GET", "https://portal.parceiro.example.com.br/assets/index-4f3a9c1e.js", "", "", "2026-11-22T02:29:58.101Z", 200, "import{c as r}", ""},
		{1, "OPTIONS", stagAPI + "/api/v2/usuarios/login", "", "", "2026-11-22T02:30:05.512Z", 204, "", ""},
		{2, "POST", stagAPI + "/api/v2/usuarios/login", "", loginBody, "2026-11-22T02:30:05.734Z", 200, `"token":"` + testToken, ""},
		{3, "POST", stagAPI + "/api/v2/propostas/pre-analise", "Bearer " + testToken, preAnaliseBody, "2026-11-21T23:30:12.345-03:00", 503, motorError, ""},
		{4, "GET", "https://analytics.example.net/collect?v=2&tid=G-TESTE123&en=page_view", "", "", "2026-11-22T02:30:12.901Z", 0, "", "got no answer: net::ERR_BLOCKED_BY_CLIENT"},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.url, func(t *testing.T) {
			r, err := h.Request(tc.index)
			if err != nil {
				t.Fatal(err)
			}
			if r.Method != tc.method || r.URL != tc.url {
				t.Errorf("request = %s %s, want %s %s", r.Method, r.URL, tc.method, tc.url)
			}
			if got := r.Headers["Authorization"]; got != tc.auth {
				t.Errorf("Authorization = %q, want %q", got, tc.auth)
			}
			for k := range r.Headers {
				if strings.HasPrefix(k, ":") || k != httpCanonical(k) {
					t.Errorf("header %q kept: want canonical names, no pseudo-headers", k)
				}
			}
			if tc.body == "" {
				if r.HasBody || len(r.Body) > 0 {
					t.Errorf("body = %q, want none", r.Body)
				}
			} else {
				if !r.HasBody {
					t.Error("HasBody = false")
				}
				jsonEqual(t, r.Body, tc.body)
			}
			if !r.HasAt || !r.At.Equal(mustTime(t, tc.at)) {
				t.Errorf("At = %v (has %v), want %s", r.At, r.HasAt, tc.at)
			}
			if !r.HasResponse || r.Status != tc.status {
				t.Errorf("status = %d (has %v), want %d", r.Status, r.HasResponse, tc.status)
			}
			if tc.index == 3 {
				if string(r.ResponseBody) != tc.response {
					t.Errorf("response = %q, want %q", r.ResponseBody, tc.response)
				}
			} else if !strings.Contains(string(r.ResponseBody), tc.response) {
				t.Errorf("response = %q, want it to hold %q", r.ResponseBody, tc.response)
			}
			if want := "chrome-pre-analise.har entry " + string(rune('1'+tc.index)); r.Source != want {
				t.Errorf("source = %q, want %q", r.Source, want)
			}
			if tc.noteContains != "" && !strings.Contains(strings.Join(r.NoteTexts("en"), "\n"), tc.noteContains) {
				t.Errorf("notes = %q, want one holding %s", r.Notes, tc.noteContains)
			}
		})
	}
}

func httpCanonical(k string) string {
	b := []byte(strings.ToLower(k))
	for i := range b {
		if (i == 0 || b[i-1] == '-') && 'a' <= b[i] && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}

func TestParseHARFirefox(t *testing.T) {
	h := parseFixtureHAR(t, "har/firefox-two-failures.har")
	if len(h.Entries) != 4 {
		t.Fatalf("%d entries, want 4", len(h.Entries))
	}
	failing := h.Failing()
	want := []struct {
		index  int
		method string
		path   string
		status int
		at     string
	}{
		{1, "POST", "/api/v2/propostas/pre-analise", 401, "2026-11-23T12:16:47.530Z"},
		{2, "GET", "/api/v2/propostas/1874521/produtos-ofertados", 0, "2026-11-23T12:17:05.004Z"},
	}
	if len(failing) != len(want) {
		t.Fatalf("Failing() = %+v, want %d entries", failing, len(want))
	}
	for i, w := range want {
		f := failing[i]
		if f.Index != w.index || f.Method != w.method || f.URL != stagAPI+w.path || f.Status != w.status || !f.PartnerAPI || !f.Failing {
			t.Errorf("failing[%d] = %+v, want index %d %s %s %d", i, f, w.index, w.method, w.path, w.status)
		}
		r, err := h.Request(f.Index)
		if err != nil {
			t.Fatal(err)
		}
		if !r.At.Equal(mustTime(t, w.at)) {
			t.Errorf("entry %d: At = %v, want %s", f.Index+1, r.At, w.at)
		}
		if r.Headers["Authorization"] != "Bearer "+testToken || r.Headers["Host"] != "api-externo-stag.crefazon.com.br" {
			t.Errorf("entry %d: headers = %v", f.Index+1, r.Headers)
		}
		if r.Status != w.status || !r.HasResponse || len(r.ResponseBody) != 0 {
			t.Errorf("entry %d: status %d (has %v), response %q", f.Index+1, r.Status, r.HasResponse, r.ResponseBody)
		}
	}
	r, err := h.Request(1)
	if err != nil {
		t.Fatal(err)
	}
	jsonEqual(t, r.Body, preAnaliseBody)
	if h.Creator != "Firefox 145.0" {
		t.Errorf("creator = %q", h.Creator)
	}
}

// harDoc builds a one-entry HAR around an entry's JSON.
func harDoc(entries ...string) []byte {
	return []byte(`{"log":{"version":"1.2","creator":{"name":"test","version":"1"},"entries":[` + strings.Join(entries, ",") + `]}}`)
}

func harEntryJSON(method, url, started, extraRequest, response string) string {
	if response == "" {
		response = `{"status":200,"content":{"size":0,"mimeType":"x-unknown"}}`
	}
	return `{"startedDateTime":` + started + `,"request":{"method":"` + method + `","url":` + url +
		`,"httpVersion":"http/2.0","headers":[{"name":"authorization","value":"Bearer ` + testToken + `"}]` + extraRequest +
		`},"response":` + response + `}`
}

func TestHARPostDataParams(t *testing.T) {
	tests := []struct {
		name     string
		postData string
		want     string
		hasBody  bool
		note     string
	}{
		{"text wins over params", `{"mimeType":"application/x-www-form-urlencoded","text":"a=1&b=2","params":[{"name":"x","value":"y"}]}`, "a=1&b=2", true, ""},
		{"empty text is a body", `{"mimeType":"application/json","text":""}`, "", true, ""},
		{"decoded values (Firefox) are encoded", `{"mimeType":"application/x-www-form-urlencoded","params":[{"name":"login","value":"alfa.maria"},{"name":"nome","value":"Maria Alfa & Cia"},{"name":"taxa","value":"100%"}]}`,
			"login=alfa.maria&nome=Maria+Alfa+%26+Cia&taxa=100%25", true, "rebuilt from postData.params"},
		{"encoded values are kept, a literal + stays a plus", `{"mimeType":"application/x-www-form-urlencoded","params":[{"name":"nome","value":"Maria+Alfa"},{"name":"url","value":"https%3A%2F%2Fparceiro.example.com.br"}]}`,
			"nome=Maria%2BAlfa&url=https%3A%2F%2Fparceiro.example.com.br", true, "rebuilt from postData.params"},
		{"multipart is noted", `{"mimeType":"multipart/form-data; boundary=x","params":[{"name":"documento","value":"","fileName":"rg.png","contentType":"image/png"}]}`,
			"documento=", true, "multipart"},
		{"neither text nor params", `{"mimeType":"application/json"}`, "", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := harDoc(harEntryJSON("POST", `"`+stagAPI+`/api/v2/usuarios/login"`, `"2026-11-21T23:30:12.345-03:00"`, `,"postData":`+tc.postData, ""))
			h, err := ParseHAR("form.har", doc, partnerHost(t))
			if err != nil {
				t.Fatal(err)
			}
			r, err := h.Request(0)
			if err != nil {
				t.Fatal(err)
			}
			if string(r.Body) != tc.want || r.HasBody != tc.hasBody {
				t.Errorf("body = %q (has %v), want %q (has %v)", r.Body, r.HasBody, tc.want, tc.hasBody)
			}
			notes := strings.Join(r.NoteTexts("en"), "\n")
			if tc.note != "" && !strings.Contains(notes, tc.note) {
				t.Errorf("notes = %q, want one holding %q", r.Notes, tc.note)
			}
			if tc.note == "" && strings.Contains(notes, "postData") {
				t.Errorf("notes = %q, want none about postData", r.Notes)
			}
		})
	}
}

func TestHARRequestDetails(t *testing.T) {
	const url = `"` + stagAPI + `/api/v2/propostas/pre-analise"`
	tests := []struct {
		name     string
		entry    string
		check    func(t *testing.T, r *Request)
		creator  string
		sanitize bool
	}{
		{"repeated headers are joined, cookies with a semicolon",
			`{"startedDateTime":"2026-11-21T23:30:12Z","request":{"method":"GET","url":` + url + `,"headers":[{"name":"accept","value":"application/json"},{"name":"Accept","value":"text/plain"},{"name":"cookie","value":"a=1"},{"name":"cookie","value":"b=2"},{"name":":authority","value":"x"}]},"response":{"status":200,"content":{}}}`,
			func(t *testing.T, r *Request) {
				want := map[string]string{"Accept": "application/json, text/plain", "Cookie": "a=1; b=2"}
				if !reflect.DeepEqual(r.Headers, want) {
					t.Errorf("headers = %v, want %v", r.Headers, want)
				}
			}, "", false},
		{"no startedDateTime: no time",
			`{"request":{"method":"GET","url":` + url + `},"response":{"status":200,"content":{}}}`,
			func(t *testing.T, r *Request) {
				if r.HasAt || !r.At.IsZero() || r.Headers != nil {
					t.Errorf("At = %v (has %v), headers %v", r.At, r.HasAt, r.Headers)
				}
			}, "", false},
		{"no response: nothing known",
			`{"startedDateTime":"2026-11-21T23:30:12Z","request":{"method":"GET","url":` + url + `}}`,
			func(t *testing.T, r *Request) {
				if r.HasResponse || r.Status != 0 {
					t.Errorf("status %d (has %v)", r.Status, r.HasResponse)
				}
			}, "", false},
		{"offset without a colon, seven fraction digits",
			`{"startedDateTime":"2026-11-21T23:30:12.3450000-0300","request":{"method":"GET","url":` + url + `},"response":{"status":200,"content":{}}}`,
			func(t *testing.T, r *Request) {
				if !r.At.Equal(mustTime(t, "2026-11-22T02:30:12.345Z")) {
					t.Errorf("At = %v", r.At)
				}
			}, "", false},
		{"base64 without padding and with line breaks",
			`{"request":{"method":"GET","url":` + url + `},"response":{"status":503,"content":{"text":"eyJz\ndWNjZXNzIjpmYWxzZX0","encoding":"base64"}}}`,
			func(t *testing.T, r *Request) {
				if string(r.ResponseBody) != `{"success":false}` {
					t.Errorf("response = %q", r.ResponseBody)
				}
			}, "", false},
		{"unknown content encoding: kept, noted",
			`{"request":{"method":"GET","url":` + url + `},"response":{"status":503,"content":{"text":"abc","encoding":"rot13"}}}`,
			func(t *testing.T, r *Request) {
				if string(r.ResponseBody) != "abc" || !strings.Contains(strings.Join(r.NoteTexts("en"), "\n"), `"rot13"`) {
					t.Errorf("response = %q, notes %q", r.ResponseBody, r.Notes)
				}
			}, "", false},
		{"response text missing: noted",
			`{"request":{"method":"POST","url":` + url + `,"bodySize":312},"response":{"status":503,"content":{"size":120,"mimeType":"application/json"}}}`,
			func(t *testing.T, r *Request) {
				notes := strings.Join(r.NoteTexts("en"), "\n")
				if !strings.Contains(notes, "no response text") || !strings.Contains(notes, "holds no postData") {
					t.Errorf("notes = %q", r.Notes)
				}
			}, "", false},
		{"a Chrome HAR without credentials is noted as maybe sanitised",
			`{"request":{"method":"POST","url":` + url + `,"headers":[{"name":"content-type","value":"application/json"}]},"response":{"status":401,"content":{}}}`,
			func(t *testing.T, r *Request) {
				if !strings.Contains(strings.Join(r.NoteTexts("en"), "\n"), "sensitive data") {
					t.Errorf("notes = %q", r.Notes)
				}
			}, "WebInspector", true},
		{"status below zero: no answer",
			`{"request":{"method":"GET","url":` + url + `},"response":{"status":-1,"content":{}}}`,
			func(t *testing.T, r *Request) {
				if r.Status != 0 || !strings.Contains(strings.Join(r.NoteTexts("en"), "\n"), "got no answer") {
					t.Errorf("status %d, notes %q", r.Status, r.Notes)
				}
			}, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := harDoc(tc.entry)
			if tc.creator != "" {
				doc = bytes.Replace(doc, []byte(`"name":"test"`), []byte(`"name":"`+tc.creator+`"`), 1)
			}
			h, err := ParseHAR("x.har", doc, partnerHost(t))
			if err != nil {
				t.Fatal(err)
			}
			if h.sanitized != tc.sanitize {
				t.Errorf("sanitized = %v, want %v", h.sanitized, tc.sanitize)
			}
			r, err := h.Request(0)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, r)
		})
	}
}

func TestParseHARErrors(t *testing.T) {
	good := harEntryJSON("POST", `"`+stagAPI+`/api/v2/propostas/pre-analise"`, `"2026-11-21T23:30:12.345-03:00"`, "", "")
	tests := []struct {
		name  string
		data  string
		place string // the error's place
		msg   string // held by the message
	}{
		{"empty", " \n", "x.har", "empty file"},
		{"not JSON", "curl -X POST " + stagAPI + " -H 'Authorization: Bearer " + testToken + "'", "x.har:1:1", "not JSON: invalid character 'c'"},
		{"syntax error on line 3", "{\n  \"log\": {\n    \"entries\": [,]\n  }\n}", "x.har:3:17", "not JSON"},
		{"truncated", `{"log":{"entries":[` + good, "x.har:1:", "not JSON: unexpected end"},
		{"content after the object", string(harDoc(good)) + "\n{}", "x.har:2:1", "unexpected content after"},
		{"a JSON array", `[{"log":{}}]`, "x.har", "not a HAR file: no log.entries (the document is a JSON array"},
		{"a JSON string", `"Bearer ` + testToken + `"`, "x.har", "not a HAR file: no log.entries"},
		{"no log", `{"entries":[]}`, "x.har", "not a HAR file: no log.entries"},
		{"log without entries", `{"log":{"version":"1.2"}}`, "x.har", "not a HAR file: no log.entries"},
		{"null entries", `{"log":{"entries":null}}`, "x.har", "not a HAR file: no log.entries"},
		{"log is an array", `{"log":[]}`, "x.har", "log is an array"},
		{"entries is an object", `{"log":{"entries":{}}}`, "x.har", "log.entries is an object"},
		{"entries is a string", `{"log":{"entries":"` + testToken + `"}}`, "x.har", "log.entries is a string"},
		{"no entries", `{"log":{"version":"1.2","entries":[]}}`, "x.har", "has no entries"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseHAR("x.har", []byte(tc.data), partnerHost(t))
			if err == nil {
				t.Fatal("no error")
			}
			var ie *diagnose.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T %v, want *diagnose.InputError", err, err)
			}
			if !strings.HasPrefix(ie.Place, tc.place) || (!strings.HasSuffix(tc.place, ":") && ie.Place != tc.place) {
				t.Errorf("place = %q, want %q", ie.Place, tc.place)
			}
			if !strings.Contains(ie.Msg, tc.msg) {
				t.Errorf("message = %q, want it to hold %q", ie.Msg, tc.msg)
			}
			noSecrets(t, err)
		})
	}
}

func TestHARRequestErrors(t *testing.T) {
	h := parseFixtureHAR(t, "har/chrome-pre-analise.har")
	bad := harEntryJSON("POST", `"`+stagAPI+`/api/v2/propostas/pre-analise"`, `"2026-11-21T23:30:12.345-03:00"`, "",
		`{"status":503,"content":{"text":"Bearer `+testToken+`!","encoding":"base64"}}`)
	hb, err := ParseHAR("x.har", harDoc(bad, bad), partnerHost(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		h    *HAR
		i    int
		want string
	}{
		{"index past the end", h, 5, "chrome-pre-analise.har: entry 6: no such entry: the HAR has 5 (1 to 5)"},
		{"negative index", h, -1, "chrome-pre-analise.har: entry 0: no such entry"},
		{"invalid base64", hb, 1, "x.har: entry 2: response.content.text: invalid base64 at byte 6 (content.encoding is base64)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tc.h.Request(tc.i)
			if err == nil {
				t.Fatalf("no error, got %+v", r)
			}
			var ie *diagnose.InputError
			if !errors.As(err, &ie) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
			noSecrets(t, err)
		})
	}
}

// TestHARApplyResolve checks that a HAR entry makes a case the chain understands.
func TestHARApplyResolve(t *testing.T) {
	h := parseFixtureHAR(t, "har/chrome-pre-analise.har")
	r, err := h.Request(h.Failing()[0].Index)
	if err != nil {
		t.Fatal(err)
	}
	checkResolves(t, r, "POST /propostas/pre-analise", true)
}

func checkResolves(t *testing.T, r *Request, route string, wantAt bool) {
	t.Helper()
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := &diagnose.Case{}
	r.Apply(c)
	f, err := diagnose.Resolve(c, rs)
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	if !f.HasEnv || f.Env.ID != "homologacao" || f.HostEnv != "homologacao" {
		t.Errorf("environment = %q (host %q)", f.Env.ID, f.HostEnv)
	}
	if !f.HasVersion || f.Version.ID != "v2" {
		t.Errorf("version = %q (has %v)", f.Version.ID, f.HasVersion)
	}
	if f.Route < 0 || rs.Route(f.Route).String() != route {
		t.Errorf("route = %d, want %s", f.Route, route)
	}
	if f.Token != testToken || f.TokenSource != "Authorization" {
		t.Errorf("token from %q = %.12s…", f.TokenSource, f.Token)
	}
	if !f.HasPayload {
		t.Error("no payload")
	}
	if f.HasAt != wantAt {
		t.Errorf("HasAt = %v, want %v", f.HasAt, wantAt)
	}
	if wantAt && !f.At.Equal(r.At) {
		t.Errorf("At = %v, want %v", f.At, r.At)
	}
}
