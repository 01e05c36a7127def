package intake

import (
	"errors"
	"strings"
	"testing"

	"github.com/crefazon/triagem/diagnose"
)

// TestParseHTTPFixturesMatchHAR: the raw dumps say the same request as the HAR's entries.
func TestParseHTTPFixturesMatchHAR(t *testing.T) {
	h := parseFixtureHAR(t, "har/chrome-pre-analise.har")
	tests := []struct {
		fixture  string
		harIndex int
		auth     bool
		note     string
	}{
		{"http/pre-analise.http", 3, true, ""}, // Content-Length is exact
		{"http/login-absolute.http", 2, false, "no Content-Length header: the body is read to the end of the file"},
	}
	for _, tc := range tests {
		t.Run(tc.fixture, func(t *testing.T) {
			want, err := h.Request(tc.harIndex)
			if err != nil {
				t.Fatal(err)
			}
			r, err := ParseHTTP(tc.fixture, readFixture(t, tc.fixture))
			if err != nil {
				t.Fatal(err)
			}
			if r.Method != want.Method || r.URL != want.URL {
				t.Errorf("request = %s %s, want %s %s", r.Method, r.URL, want.Method, want.URL)
			}
			if r.Headers["Authorization"] != want.Headers["Authorization"] {
				t.Errorf("Authorization = %q, want %q", r.Headers["Authorization"], want.Headers["Authorization"])
			}
			if tc.auth != (r.Headers["Authorization"] == "Bearer "+testToken) {
				t.Errorf("Authorization = %q", r.Headers["Authorization"])
			}
			if !r.HasBody {
				t.Error("HasBody = false")
			}
			jsonEqual(t, r.Body, string(want.Body))
			if r.Source != tc.fixture || r.HasAt || r.HasResponse {
				t.Errorf("source %q, has at %v, has response %v", r.Source, r.HasAt, r.HasResponse)
			}
			if got := strings.Join(r.NoteTexts("en"), "\n"); got != tc.note {
				t.Errorf("notes = %q, want %q", got, tc.note)
			}
		})
	}
}

func TestParseHTTPApplyResolve(t *testing.T) {
	r, err := ParseHTTP("pre-analise.http", readFixture(t, "http/pre-analise.http"))
	if err != nil {
		t.Fatal(err)
	}
	checkResolves(t, r, "POST /propostas/pre-analise", false)
}

func TestParseHTTP(t *testing.T) {
	const host = "api-externo-stag.crefazon.com.br"
	const body = `{"cliente":{"cpf":"529.982.247-25"}}`
	auth := "Authorization: Bearer " + testToken
	tests := []struct {
		name    string
		dump    string
		method  string
		url     string
		headers map[string]string // checked one by one
		body    string            // exact
		note    string            // held by one note; "" when no notes are wanted
	}{
		{"LF only",
			"POST /api/v2/propostas/pre-analise HTTP/1.1\nHost: " + host + "\n" + auth + "\nContent-Type: application/json\nContent-Length: 36\n\n" + body + "\n",
			"POST", stagAPI + "/api/v2/propostas/pre-analise", map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/json", "Host": host, "Content-Length": "36"}, body, ""},
		{"CRLF",
			"POST /api/v2/propostas/pre-analise HTTP/1.1\r\nHost: " + host + "\r\n" + auth + "\r\nContent-Length: 36\r\n\r\n" + body,
			"POST", stagAPI + "/api/v2/propostas/pre-analise", map[string]string{"Authorization": "Bearer " + testToken}, body, ""},
		{"CRLF body keeps its own line endings",
			"POST /api/v2/x HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 9\r\n\r\n{\r\n\"a\"\r\n}",
			"POST", stagAPI + "/api/v2/x", nil, "{\r\n\"a\"\r\n}", ""},
		{"absolute-form https",
			"POST https://" + host + "/api/v2/usuarios/login HTTP/1.1\nContent-Type: application/json\n\n{}",
			"POST", stagAPI + "/api/v2/usuarios/login", nil, "{}", "no Content-Length header"},
		{"absolute-form http is kept",
			"GET http://localhost:8080/api/v2/enderecos/paises HTTP/1.1\nHost: localhost:8080\n\n",
			"GET", "http://localhost:8080/api/v2/enderecos/paises", map[string]string{"Host": "localhost:8080"}, "", ""},
		{"absolute-form with another Host",
			"GET https://" + host + "/api/v2/enderecos/paises HTTP/1.1\nHost: api-externo.crefazon.com.br\n",
			"GET", stagAPI + "/api/v2/enderecos/paises", nil, "", "the Host header differs"},
		{"query string and port",
			"GET /api/v2/propostas/processamento/abc?x=1&y=%20 HTTP/1.1\nHost: " + host + ":443\n",
			"GET", "https://" + host + ":443/api/v2/propostas/processamento/abc?x=1&y=%20", nil, "", ""},
		{"leading blank and comment lines, indented request line",
			"\n\n# @name pre-analise\n// copied from the log\n  POST /api/v2/propostas/pre-analise HTTP/1.1\nHost: " + host + "\nContent-Length: 36\n\n" + body,
			"POST", stagAPI + "/api/v2/propostas/pre-analise", nil, body, ""},
		{"HTTP/2 request line",
			"POST /api/v2/propostas/pre-analise HTTP/2\nhost: " + host + "\n\n" + body,
			"POST", stagAPI + "/api/v2/propostas/pre-analise", map[string]string{"Host": host}, body, "the request line says HTTP/2: read as HTTP/1.1"},
		{"no HTTP version",
			"POST https://" + host + "/api/v2/propostas/pre-analise\ncontent-type: application/json\n\n" + body,
			"POST", stagAPI + "/api/v2/propostas/pre-analise", map[string]string{"Content-Type": "application/json"}, body, "no HTTP version"},
		{"HTTP/1.0",
			"GET /api/v2/enderecos/paises HTTP/1.0\nHost: " + host + "\n",
			"GET", stagAPI + "/api/v2/enderecos/paises", nil, "", ""},
		{"body shorter than Content-Length",
			"POST /api/v2/propostas/pre-analise HTTP/1.1\nHost: " + host + "\nContent-Length: 40\n\n{\n\"a\": 1\n}\n",
			"POST", stagAPI + "/api/v2/propostas/pre-analise", nil, "{\n\"a\": 1\n}", "the body has 10 bytes but Content-Length says 40: the body in the dump is used (line endings changed when it was pasted?)"},
		{"body longer than Content-Length",
			"POST /api/v2/x HTTP/1.1\nHost: " + host + "\nContent-Length: 2\n\n{}{}",
			"POST", stagAPI + "/api/v2/x", nil, "{}{}", "the body has 4 bytes but Content-Length says 2"},
		{"trailing newlines past Content-Length are the paste's",
			"POST /api/v2/x HTTP/1.1\nHost: " + host + "\nContent-Length: 2\n\n{}\n\n\n",
			"POST", stagAPI + "/api/v2/x", nil, "{}", ""},
		{"no Content-Length: read to the end",
			"POST /api/v2/propostas/pre-analise HTTP/1.1\nHost: " + host + "\n\n" + body + "\n\n",
			"POST", stagAPI + "/api/v2/propostas/pre-analise", nil, body, "no Content-Length header: the body is read to the end of the file"},
		{"Content-Length but no body",
			"POST /api/v2/x HTTP/1.1\nHost: " + host + "\nContent-Length: 36",
			"POST", stagAPI + "/api/v2/x", nil, "", "the dump has no body"},
		{"chunked body",
			"POST /api/v2/x HTTP/1.1\r\nHost: " + host + "\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
			"POST", stagAPI + "/api/v2/x", map[string]string{"Transfer-Encoding": "chunked"}, "{}", "the chunked body was decoded"},
		{"chunked body mangled by the paste",
			"POST /api/v2/x HTTP/1.1\nHost: " + host + "\nTransfer-Encoding: chunked\n\n2\n{}\n0\n\n",
			"POST", stagAPI + "/api/v2/x", nil, "2\n{}\n0", "could not be decoded"},
		{"repeated headers, cookies, folded line, Pragma",
			"GET /api/v2/x HTTP/1.1\nHost: " + host + "\nAccept: application/json\naccept: text/plain\nCookie: a=1\nCookie: b=2\nX-Long: one\n  two\nPragma: no-cache\n",
			"GET", stagAPI + "/api/v2/x", map[string]string{"Accept": "application/json, text/plain", "Cookie": "a=1; b=2", "X-Long": "one two", "Pragma": "no-cache", "Cache-Control": ""}, "", ""},
		{"whitespace-only line ends the head",
			"POST /api/v2/x HTTP/1.1\nHost: " + host + "\n   \n{}",
			"POST", stagAPI + "/api/v2/x", nil, "{}", "no Content-Length header"},
		{"Host holding a URL",
			"GET /api/v2/x HTTP/1.1\nHost: https://" + host + "/\n",
			"GET", stagAPI + "/api/v2/x", nil, "", "the Host header holds a URL"},
		{"HTTP/2 pseudo-headers as Chrome copies them",
			":authority: " + host + "\n:method: POST\n:path: /api/v2/propostas/pre-analise\n:scheme: https\n" + strings.ToLower(auth[:14]) + auth[14:] + "\ncontent-type: application/json\n\n" + body,
			"POST", stagAPI + "/api/v2/propostas/pre-analise", map[string]string{"Authorization": "Bearer " + testToken, "Host": host}, body, "the request line was rebuilt from the HTTP/2 pseudo-headers"},
		{"pseudo-headers after a request line are dropped",
			"POST /api/v2/x HTTP/1.1\n:authority: " + host + "\nHost: " + host + "\n",
			"POST", stagAPI + "/api/v2/x", map[string]string{":authority": ""}, "", ""},
		{"OPTIONS *",
			"OPTIONS * HTTP/1.1\nHost: " + host + "\n",
			"OPTIONS", stagAPI, nil, "", ""},
		{"BOM",
			"\xef\xbb\xbfGET /api/v2/x HTTP/1.1\nHost: " + host + "\n",
			"GET", stagAPI + "/api/v2/x", nil, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseHTTP("request.http", []byte(tc.dump))
			if err != nil {
				t.Fatal(err)
			}
			if r.Method != tc.method || r.URL != tc.url {
				t.Errorf("request = %s %s, want %s %s", r.Method, r.URL, tc.method, tc.url)
			}
			for k, v := range tc.headers {
				if got, ok := r.Headers[k]; got != v || ok != (v != "") {
					t.Errorf("header %s = %q (present %v), want %q", k, got, ok, v)
				}
			}
			if string(r.Body) != tc.body || r.HasBody != (tc.body != "") {
				t.Errorf("body = %q (has %v), want %q", r.Body, r.HasBody, tc.body)
			}
			notes := strings.Join(r.NoteTexts("en"), "\n")
			if tc.note == "" && len(r.Notes) > 0 || !strings.Contains(notes, tc.note) {
				t.Errorf("notes = %q, want %q", r.Notes, tc.note)
			}
		})
	}
}

func TestParseHTTPErrors(t *testing.T) {
	const host = "Host: api-externo-stag.crefazon.com.br\n"
	auth := "Authorization: Bearer " + testToken + "\n"
	tests := []struct {
		name string
		dump string
		want string // the whole message's start: place and problem
	}{
		{"empty", "\n \n", "request.http: empty file: no request line"},
		{"only comments", "# nada\n// ainda nada\n", "request.http: no request line"},
		{"headers without a request line", auth + host + "\n{}", "request.http:1: no request line: the dump starts with a header"},
		{"a curl command", "curl -X POST https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise -H '" + auth + "'", "request.http:1: no request line: this is a curl command"},
		{"a response", "HTTP/1.1 503 Service Unavailable\nContent-Type: application/json\n\n{}", "request.http:1: no request line: the dump starts with a response"},
		{"the body alone", `{"cliente":{"cpf":"529.982.247-25"}}`, "request.http:1: no request line: the dump starts with JSON"},
		{"pseudo-headers without :path", ":method: POST\n:authority: api-externo-stag.crefazon.com.br\n" + auth, "request.http:1: no request line: the dump starts with HTTP/2 pseudo-headers"},
		{"pseudo-headers with a slash for authority (fuzz)", ":AuthoritY:/\n:method:0\n:pAth:/\n:sCheme:http", "request.http:1: malformed request line: the URL is not valid"},
		{"pseudo-headers with a slash for authority, https", ":authority: /\n:method: GET\n:path: /\n:scheme: https\n", "request.http:1: the Host header is not a host name"},
		{"malformed request line", "POST\n" + host + auth, "request.http:1: malformed request line"},
		{"too many fields", "POST /api/v2/x HTTP/1.1 " + testToken + "\n" + host, "request.http:1: malformed request line"},
		{"bad version", "POST /api/v2/x HTTX/1.1\n" + host, "request.http:1: malformed request line"},
		{"method with a bad character", "PO(ST /api/v2/x HTTP/1.1\n" + host, "request.http:1: malformed request line"},
		{"target without a slash", "POST api-externo-stag.crefazon.com.br/api/v2/x?token=" + testToken + " HTTP/1.1\n" + host, "request.http:1: malformed request line"},
		{"URL without host", "GET https:///api/v2/x?token=" + testToken + " HTTP/1.1\n", "request.http:1: malformed request line: the URL is not valid"},
		{"URL with an empty host and port (fuzz)", "0 http://:", "request.http:1: malformed request line: the URL is not valid"},
		{"path with a control escape", "GET /api/v2/x\x7f HTTP/1.1\n" + host, "request.http:1: not an HTTP request: binary content"},
		{"malformed request line after blank lines", "\n\nPOST\n" + host, "request.http:3: malformed request line"},
		{"no Host header", "POST /api/v2/propostas/pre-analise HTTP/1.1\n" + auth + "\n{}", "request.http: no Host header"},
		{"empty Host header", "POST /api/v2/x HTTP/1.1\n" + auth + "Host:\n\n{}", "request.http:3: the Host header is empty"},
		{"Host is not a host", "POST /api/v2/x HTTP/1.1\nHost: api externo\n" + auth, "request.http:2: the Host header is not a host name"},
		{"two Host headers", "POST /api/v2/x HTTP/1.1\n" + host + auth + host, "request.http:4: a second Host header"},
		{"binary junk", "\x00\x01\x02POST / HTTP/1.1\n", "request.http:1: not an HTTP request: binary content"},
		{"binary in a header", "POST /api/v2/x HTTP/1.1\n" + host + "X-Junk: a\x00b\n", "request.http:3: not an HTTP request: binary content"},
		{"malformed header line", "POST /api/v2/x HTTP/1.1\n" + host + "Authorization Bearer " + testToken + "\n", "request.http:3: malformed header line (want Name: value)"},
		{"header line starting with a space", "POST /api/v2/x HTTP/1.1\n Host: x\n", "request.http:2: malformed header line: it starts with a space"},
		{"body without the blank line", "POST /api/v2/x HTTP/1.1\n" + host + "{\"cpf\": \"529.982.247-25\"}\n", "request.http:3: malformed header line: the body must follow a blank line"},
		{"bad Content-Length", "POST /api/v2/x HTTP/1.1\n" + host + "Content-Length: dez\n\n{}", "request.http:3: Content-Length is not a number of bytes"},
		{"disagreeing Content-Length", "POST /api/v2/x HTTP/1.1\n" + host + "Content-Length: 2\nContent-Length: 3\n\n{}", "request.http:4: Content-Length headers disagree"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseHTTP("request.http", []byte(tc.dump))
			if err == nil {
				t.Fatalf("no error, got %+v", r)
			}
			var ie *diagnose.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T %v, want *diagnose.InputError", err, err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error = %q, want it to start %q", err, tc.want)
			}
			noSecrets(t, err)
		})
	}
}
