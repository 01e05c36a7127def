package intake

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/rules"
)

// The test credentials of the homologation fixtures.
const (
	curlTestToken    = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3OTUwNDUyMDAsImlhdCI6MTc5NTAwMjAwMCwiaXNzIjoiY3JlZmF6b24tYXBpLXBhcmNlaXJvIiwibmJmIjoxNzk1MDAyMDAwLCJ1bmlxdWVfbmFtZSI6ImFsZmEubWFyaWEifQ.OLYE5TxOy6ZkjJzsK9fq03xO0Sawoqshm55ZxvXeeII"
	curlTestAPIKey   = "hml-alfa-4b9e2c7a1d83f605"
	curlTestUser     = "alfa.maria"
	curlTestPassword = "********"

	curlTestHost      = "https://api-externo-stag.crefazon.com.br"
	curlTestPreURL    = curlTestHost + "/api/v2/propostas/pre-analise"
	curlTestLoginURL  = curlTestHost + "/api/v2/usuarios/login"
	curlTestFixtures  = "../testdata/curl"
	curlTestLoginBody = `{"usuario":{"login":"alfa.maria","senha":"********","apiKey":"hml-alfa-4b9e2c7a1d83f605"}}`
)

// curlFiles is a fake readFile over a map; "-" is stdin.
func curlFiles(files map[string]string) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
}

func curlFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(curlTestFixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// curlJSONEqual compares two JSON texts by their decoded values.
func curlJSONEqual(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want is not JSON: %v", err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("body = %s\nwant %s", got, want)
	}
}

func curlHasNote(notes []string, sub string) bool {
	for _, n := range notes {
		if strings.Contains(n, sub) {
			return true
		}
	}
	return false
}

func TestParseCurlFixtures(t *testing.T) {
	preBody := curlFixture(t, "pre-analise.json")
	chromeUA := `"Google Chrome";v="141", "Not?A_Brand";v="8", "Chromium";v="141"`
	tests := []struct {
		file   string
		url    string
		token  string // "" when the request has no Authorization
		body   string
		header map[string]string // some more headers to check
		note   string
	}{
		{"login-v2.sh", curlTestLoginURL, "", curlTestLoginBody, map[string]string{"Content-Type": "application/json"}, ""},
		{"pre-analise.sh", curlTestPreURL, curlTestToken, preBody, map[string]string{"Content-Type": "application/json"}, ""},
		{"pre-analise-chrome.sh", curlTestPreURL, curlTestToken, preBody, map[string]string{
			"Accept": "application/json, text/plain, */*", "Content-Type": "application/json", "Sec-Ch-Ua": chromeUA,
			"Sec-Ch-Ua-Platform": `"Windows"`, "Priority": "u=1, i", "Referer": "https://parceiro.example.com.br/",
		}, ""},
		{"pre-analise-windows.cmd", curlTestPreURL, curlTestToken, preBody, map[string]string{
			"Accept": "application/json, text/plain, */*", "Content-Type": "application/json", "Sec-Ch-Ua": chromeUA,
			"Sec-Ch-Ua-Platform": `"Windows"`, "Priority": "u=1, i", "Accept-Language": "pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7",
		}, "Windows cmd.exe"},
		{"pre-analise-curlexe.cmd", curlTestPreURL, curlTestToken, preBody, map[string]string{"Content-Type": "application/json"}, "Windows cmd.exe"},
		{"pre-analise-postman.sh", curlTestPreURL, curlTestToken, preBody, map[string]string{"Content-Type": "application/json"}, "--location ignored"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			r, err := ParseCurl(curlFixture(t, tc.file), curlFiles(nil))
			if err != nil {
				t.Fatal(err)
			}
			if r.Method != "POST" || r.URL != tc.url || r.Source != "curl" {
				t.Errorf("got %s %s (source %q), want POST %s", r.Method, r.URL, r.Source, tc.url)
			}
			auth, ok := r.Headers["Authorization"]
			switch {
			case tc.token == "" && ok:
				t.Errorf("Authorization = %q, want none", auth)
			case tc.token != "" && auth != "Bearer "+tc.token:
				t.Errorf("Authorization = %q, want the Bearer token", auth)
			}
			if !r.HasBody {
				t.Fatal("no body")
			}
			curlJSONEqual(t, r.Body, tc.body)
			for k, v := range tc.header {
				if r.Headers[k] != v {
					t.Errorf("header %s = %q, want %q", k, r.Headers[k], v)
				}
			}
			if tc.note != "" && !curlHasNote(r.NoteTexts("en"), tc.note) {
				t.Errorf("notes %q lack %q", r.Notes, tc.note)
			}
		})
	}
}

func TestParseCurlLoginBody(t *testing.T) {
	r, err := ParseCurl(curlFixture(t, "login-v2.sh"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Usuario struct{ Login, Senha, APIKey string } `json:"usuario"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Usuario.APIKey != curlTestAPIKey || body.Usuario.Login != curlTestUser || body.Usuario.Senha != curlTestPassword {
		t.Errorf("usuario = %+v", body.Usuario)
	}
}

// The fixtures, through Apply and Resolve, are the homologation V2 routes they call.
func TestParseCurlApplyResolve(t *testing.T) {
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ file, route string }{
		{"login-v2.sh", "POST /usuarios/login"},
		{"pre-analise.sh", "POST /propostas/pre-analise"},
		{"pre-analise-chrome.sh", "POST /propostas/pre-analise"},
		{"pre-analise-windows.cmd", "POST /propostas/pre-analise"},
		{"pre-analise-curlexe.cmd", "POST /propostas/pre-analise"},
		{"pre-analise-postman.sh", "POST /propostas/pre-analise"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			r, err := ParseCurl(curlFixture(t, tc.file), nil)
			if err != nil {
				t.Fatal(err)
			}
			c := &diagnose.Case{}
			r.Apply(c)
			if c.Source != "curl" || !c.Request.Body.Present {
				t.Errorf("case source %q, body present %v", c.Source, c.Request.Body.Present)
			}
			f, err := diagnose.Resolve(c, rs)
			if err != nil {
				t.Fatal(err)
			}
			if !f.HasEnv || f.Env.ID != "homologacao" {
				t.Errorf("environment = %q (has %v), want homologacao", f.Env.ID, f.HasEnv)
			}
			if !f.HasVersion || f.Version.ID != "v2" {
				t.Errorf("version = %q (has %v), want v2", f.Version.ID, f.HasVersion)
			}
			if f.Route < 0 {
				t.Fatalf("no route for %s %s", f.Method, f.RoutePath)
			}
			if got := rs.Route(f.Route).String(); got != tc.route {
				t.Errorf("route = %q, want %q", got, tc.route)
			}
			if tc.route == "POST /usuarios/login" {
				if c.Credentials.APIKey != curlTestAPIKey || c.Credentials.User != curlTestUser {
					t.Errorf("credentials from the login body: key %q user %q", c.Credentials.APIKey, c.Credentials.User)
				}
			} else if f.Token != curlTestToken {
				t.Errorf("token from the Authorization header = %q", f.Token)
			}
		})
	}
}

func TestParseCurlOptions(t *testing.T) {
	const u = curlTestPreURL
	basic := func(s string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(s)) }
	files := curlFiles(map[string]string{
		"body.json":     "{\n  \"a\": 1,\r\n  \"b\": \"x y\"\n}\n",
		"login.json":    curlTestLoginBody + "\n",
		"-":             `{"from":"stdin"}`,
		"headers.txt":   "X-Um: 1\r\nX-Dois: 2\n\n",
		"nome.txt":      "João d'Avila",
		"redirect.json": `{"from":"redirect"}`,
	})
	form := "application/x-www-form-urlencoded"
	tests := []struct {
		name    string
		cmd     string
		method  string
		url     string
		headers map[string]string // exactly; nil for none
		body    string
		hasBody bool
		note    string // a note must contain this
	}{
		// The URL.
		{"bare URL", "curl " + u, "GET", u, nil, "", false, ""},
		{"--url", "curl --url " + u, "GET", u, nil, "", false, ""},
		{"--url=", "curl --url=" + u, "GET", u, nil, "", false, ""},
		{"no scheme: http, as curl", "curl api-externo-stag.crefazon.com.br/api/v2/enderecos/paises", "GET", "http://api-externo-stag.crefazon.com.br/api/v2/enderecos/paises", nil, "", false, "read as http://"},
		{"http kept", "curl http://localhost:8080/api/v2/enderecos/paises", "GET", "http://localhost:8080/api/v2/enderecos/paises", nil, "", false, ""},
		{"-- ends the options", "curl -s -- " + u, "GET", u, nil, "", false, ""},
		{"a one-value {set}: curl drops the braces", "curl " + curlTestHost + "/api/v2/propostas/{id}/produtos-ofertados", "GET", curlTestHost + "/api/v2/propostas/id/produtos-ofertados", nil, "", false, "without the braces"},
		{"-g: no glob note", "curl -g " + curlTestHost + "/api/v2/propostas/[1]", "GET", curlTestHost + "/api/v2/propostas/[1]", nil, "", false, ""},
		{"user in the URL", "curl https://alfa.maria:segredo@api-externo-stag.crefazon.com.br/x", "GET", curlTestHost + "/x",
			map[string]string{"Authorization": basic("alfa.maria:segredo")}, "", false, "moved to the Authorization header"},

		// The method.
		{"-X", "curl -X PUT " + u, "PUT", u, nil, "", false, ""},
		{"-X glued", "curl -XDELETE " + u, "DELETE", u, nil, "", false, ""},
		{"--request", "curl --request PATCH " + u, "PATCH", u, nil, "", false, ""},
		{"--request=", "curl --request=PATCH " + u, "PATCH", u, nil, "", false, ""},
		{"-X wins over data", "curl -X PUT -d a=1 " + u, "PUT", u, map[string]string{"Content-Type": form}, "a=1", true, ""},
		{"-X in a cluster", "curl -sSXPOST " + u, "POST", u, nil, "", false, "-s/--silent ignored"},
		{"empty -X: default", "curl -X '' -d a=1 " + u, "POST", u, map[string]string{"Content-Type": form}, "a=1", true, ""},
		{"-I", "curl -I " + u, "HEAD", u, nil, "", false, ""},
		{"--head", "curl --head " + u, "HEAD", u, nil, "", false, ""},

		// Headers.
		{"-H", "curl -H 'content-type: application/json' " + u, "GET", u, map[string]string{"Content-Type": "application/json"}, "", false, ""},
		{"-H glued", "curl '-Hx-request-id: 42' " + u, "GET", u, map[string]string{"X-Request-Id": "42"}, "", false, ""},
		{"--header", "curl --header 'Accept: */*' " + u, "GET", u, map[string]string{"Accept": "*/*"}, "", false, ""},
		{"--header=", "curl '--header=Accept: */*' " + u, "GET", u, map[string]string{"Accept": "*/*"}, "", false, ""},
		{"repeated headers joined", "curl -H 'Accept: a' -H 'accept: b' " + u, "GET", u, map[string]string{"Accept": "a, b"}, "", false, ""},
		{"Name; is an empty header, as curl sends it", "curl -H 'X-Vazio;' -H 'X-Um: 1' " + u, "GET", u, map[string]string{"X-Um": "1", "X-Vazio": ""}, "", false, "sends the header empty"},
		{"Name: is absent", "curl -H 'Accept: a' -H 'Accept:' " + u, "GET", u, nil, "", false, "removes the header"},
		{"Name: removes the form Content-Type", "curl -H 'Content-Type:' -d a=1 " + u, "POST", u, nil, "a=1", true, ""},
		{"a header without a name is noted, not sent", "curl -H 'Bearer " + curlTestToken + "' " + u, "GET", u, nil, "", false, "has no \"Name:\" part"},
		{"-H @file", "curl -H @headers.txt " + u, "GET", u, map[string]string{"X-Um": "1", "X-Dois": "2"}, "", false, ""},

		// Data.
		{"-d", "curl -d a=1 " + u, "POST", u, map[string]string{"Content-Type": form}, "a=1", true, "application/x-www-form-urlencoded"},
		{"-d glued", "curl -da=1 " + u, "POST", u, map[string]string{"Content-Type": form}, "a=1", true, ""},
		{"--data=", "curl --data=a=1 " + u, "POST", u, map[string]string{"Content-Type": form}, "a=1", true, ""},
		{"-d repeated: joined with &", "curl -d a=1 --data b=2 --data-ascii c=3 --data-raw d=4 --data-binary e=5 " + u, "POST", u, map[string]string{"Content-Type": form}, "a=1&b=2&c=3&d=4&e=5", true, ""},
		{"empty -d is a body", "curl -d '' " + u, "POST", u, map[string]string{"Content-Type": form}, "", true, ""},
		{"-d @file drops line ends", "curl -H 'Content-Type: application/json' -d @body.json " + u, "POST", u, map[string]string{"Content-Type": "application/json"}, `{  "a": 1,  "b": "x y"}`, true, ""},
		{"--data-ascii @file drops line ends", "curl --data-ascii @body.json " + u, "POST", u, map[string]string{"Content-Type": form}, `{  "a": 1,  "b": "x y"}`, true, ""},
		{"--data-binary @file as it is", "curl --data-binary @body.json " + u, "POST", u, map[string]string{"Content-Type": form}, "{\n  \"a\": 1,\r\n  \"b\": \"x y\"\n}\n", true, ""},
		{"--data-raw does not read @", "curl --data-raw @body.json " + u, "POST", u, map[string]string{"Content-Type": form}, "@body.json", true, ""},
		{"-d @- reads stdin", "curl -d @- " + u, "POST", u, map[string]string{"Content-Type": form}, `{"from":"stdin"}`, true, ""},
		{"--data-urlencode content", "curl --data-urlencode 'a b&c' " + u, "POST", u, map[string]string{"Content-Type": form}, "a+b%26c", true, ""},
		{"--data-urlencode =content", "curl --data-urlencode '=x=y z' " + u, "POST", u, map[string]string{"Content-Type": form}, "x%3Dy+z", true, ""},
		{"--data-urlencode name=content", "curl --data-urlencode 'nome=João d'\\''Avila' " + u, "POST", u, map[string]string{"Content-Type": form}, "nome=Jo%C3%A3o+d%27Avila", true, ""},
		{"--data-urlencode name@file", "curl --data-urlencode nome@nome.txt --data-urlencode @nome.txt " + u, "POST", u, map[string]string{"Content-Type": form}, "nome=Jo%C3%A3o+d%27Avila&Jo%C3%A3o+d%27Avila", true, ""},
		{"--data-urlencode keeps unreserved", "curl --data-urlencode 'q=a-b.c_d~e' " + u, "POST", u, map[string]string{"Content-Type": form}, "q=a-b.c_d~e", true, ""},

		// --json.
		{"--json", `curl --json '{"a":1}' ` + u, "POST", u, map[string]string{"Content-Type": "application/json", "Accept": "application/json"}, `{"a":1}`, true, ""},
		{"--json @file", "curl --json @login.json " + curlTestLoginURL, "POST", curlTestLoginURL, map[string]string{"Content-Type": "application/json", "Accept": "application/json"}, curlTestLoginBody + "\n", true, ""},
		{"--json repeated: concatenated", `curl --json '{"a":' --json '1}' ` + u, "POST", u, map[string]string{"Content-Type": "application/json", "Accept": "application/json"}, `{"a":1}`, true, ""},
		{"--json: an explicit Accept wins", `curl -H 'Accept: */*' --json '{}' ` + u, "POST", u, map[string]string{"Content-Type": "application/json", "Accept": "*/*"}, `{}`, true, ""},

		// -G.
		{"-G moves data to the query", "curl -G -d cpf=52998224725 --data-urlencode 'nome=João Silva' " + u, "GET", u + "?cpf=52998224725&nome=Jo%C3%A3o+Silva", nil, "", false, "query"},
		{"--get appends to a query", "curl --get -d b=2 '" + u + "?a=1'", "GET", u + "?a=1&b=2", nil, "", false, ""},
		{"-G with -X POST", "curl -G -X POST -d a=1 " + u, "POST", u + "?a=1", nil, "", false, ""},
		{"-G before a fragment", "curl -G -d a=1 '" + u + "#topo'", "GET", u + "?a=1#topo", nil, "", false, ""},
		{"-G without data", "curl -G " + u, "GET", u, nil, "", false, ""},

		// Credentials.
		{"-u", "curl -u alfa.maria:segredo " + u, "GET", u, map[string]string{"Authorization": basic("alfa.maria:segredo")}, "", false, ""},
		{"--user=", "curl --user=alfa.maria:se:gredo " + u, "GET", u, map[string]string{"Authorization": basic("alfa.maria:se:gredo")}, "", false, ""},
		{"-u without a password", "curl -u alfa.maria " + u, "GET", u, nil, "", false, "no password"},
		{"--oauth2-bearer", "curl --oauth2-bearer " + curlTestToken + " " + u, "GET", u, map[string]string{"Authorization": "Bearer " + curlTestToken}, "", false, ""},
		{"an explicit Authorization wins", "curl -H 'Authorization: Bearer abc' --oauth2-bearer " + curlTestToken + " " + u, "GET", u, map[string]string{"Authorization": "Bearer abc"}, "", false, ""},

		// Other headers from options.
		{"-b", "curl -b 'sessao=1; tema=escuro' --cookie b=2 " + u, "GET", u, map[string]string{"Cookie": "sessao=1; tema=escuro; b=2"}, "", false, ""},
		{"-b file", "curl -b cookies.txt " + u, "GET", u, nil, "", false, "cookie file"},
		{"-A", "curl -A 'Parceiro/1.0' " + u, "GET", u, map[string]string{"User-Agent": "Parceiro/1.0"}, "", false, ""},
		{"--user-agent", "curl --user-agent 'Parceiro/1.0' " + u, "GET", u, map[string]string{"User-Agent": "Parceiro/1.0"}, "", false, ""},
		{"-e", "curl -e https://parceiro.example.com.br/ " + u, "GET", u, map[string]string{"Referer": "https://parceiro.example.com.br/"}, "", false, ""},
		{"--referer ;auto", "curl --referer 'https://parceiro.example.com.br/;auto' " + u, "GET", u, map[string]string{"Referer": "https://parceiro.example.com.br/"}, "", false, ""},

		// Options that do not change the request.
		{"-k", "curl -k " + u, "GET", u, nil, "", false, "-k/--insecure ignored"},
		{"--insecure", "curl --insecure " + u, "GET", u, nil, "", false, "-k/--insecure ignored"},
		{"--compressed", "curl --compressed " + u, "GET", u, nil, "", false, "--compressed ignored"},
		{"-L", "curl -L " + u, "GET", u, nil, "", false, "-L/--location ignored"},
		{"--no-location", "curl --no-location " + u, "GET", u, nil, "", false, "--no-location ignored"},
		{"-sS", "curl -sS " + u, "GET", u, nil, "", false, "-S/--show-error ignored"},
		{"--silent --show-error", "curl --silent --show-error " + u, "GET", u, nil, "", false, "-s/--silent ignored"},
		{"-i", "curl -i " + u, "GET", u, nil, "", false, "-i/--include ignored"},
		{"--include", "curl --include " + u, "GET", u, nil, "", false, "-i/--include ignored"},
		{"-v", "curl -v " + u, "GET", u, nil, "", false, "-v/--verbose ignored"},
		{"--verbose", "curl --verbose " + u, "GET", u, nil, "", false, "-v/--verbose ignored"},
		{"-o", "curl -o saida.json " + u, "GET", u, nil, "", false, "-o/--output ignored"},
		{"-o glued", "curl -osaida.json " + u, "GET", u, nil, "", false, "-o/--output ignored"},
		{"--output=", "curl --output=saida.json " + u, "GET", u, nil, "", false, "-o/--output ignored"},
		{"--max-time", "curl --max-time 30 " + u, "GET", u, nil, "", false, "-m/--max-time ignored"},
		{"-m", "curl -m 30 " + u, "GET", u, nil, "", false, "-m/--max-time ignored"},
		{"-m glued", "curl -m30 " + u, "GET", u, nil, "", false, "-m/--max-time ignored"},
		{"--connect-timeout", "curl --connect-timeout 5 " + u, "GET", u, nil, "", false, "--connect-timeout ignored"},
		{"--http1.1", "curl --http1.1 " + u, "GET", u, nil, "", false, "--http1.1 ignored"},
		{"--http2", "curl --http2 " + u, "GET", u, nil, "", false, "--http2 ignored"},
		{"-f", "curl -f " + u, "GET", u, nil, "", false, "-f/--fail ignored"},
		{"--fail", "curl --fail " + u, "GET", u, nil, "", false, "-f/--fail ignored"},
		{"--retry", "curl --retry 3 " + u, "GET", u, nil, "", false, "--retry ignored"},
		{"--retry=", "curl --retry=3 " + u, "GET", u, nil, "", false, "--retry ignored"},
		{"-sSLk cluster", "curl -sSLk " + u, "GET", u, nil, "", false, "-L/--location ignored"},
		{"-w", "curl -w '%{http_code}' " + u, "GET", u, nil, "", false, "-w/--write-out ignored"},

		// Shell words.
		{"backslash-newline continuations", "curl \\\n  -X POST \\\n  -d a=1 \\\n  " + u, "POST", u, map[string]string{"Content-Type": form}, "a=1", true, ""},
		{"CRLF continuations", "curl \\\r\n  -X POST \\\r\n  " + u + "\r\n", "POST", u, nil, "", false, ""},
		{"$'...' escapes", `curl --data-raw $'a\nb\tc\'d\"e\\f\x41\u00e9\U0001F600\101\ctZ\q' ` + u, "POST", u, map[string]string{"Content-Type": form}, "a\nb\tc'd\"e\\fAé😀A\x14Z\\q", true, ""},
		{"$'...' stops at NUL", `curl -d $'ab\x00cd' ` + u, "POST", u, map[string]string{"Content-Type": form}, "ab", true, ""},
		{"double quotes", "curl -d \"{\\\"nome\\\":\\\"Jo\\\\ão \\$HOME \\`x\\` \\n\\\"}\" " + u, "POST", u, map[string]string{"Content-Type": form}, "{\"nome\":\"Jo\\ão $HOME `x` \\n\"}", true, ""},
		{"unquoted backslashes", `curl -d a\ b\"c\\d ` + u, "POST", u, map[string]string{"Content-Type": form}, `a b"c\d`, true, ""},
		{"mixed quoting in one word", `curl -H 'Authorization: '"Bearer "$'abc' ` + u, "GET", u, map[string]string{"Authorization": "Bearer abc"}, "", false, ""},
		{"a variable is kept as written", `curl -H "Authorization: Bearer $TOKEN" ` + u, "GET", u, map[string]string{"Authorization": "Bearer $TOKEN"}, "", false, "$TOKEN kept as written"},
		{"${VAR} kept", `curl -H "Authorization: Bearer ${TOKEN}" ` + u, "GET", u, map[string]string{"Authorization": "Bearer ${TOKEN}"}, "", false, "$TOKEN kept"},
		{"command substitution kept", `curl -H "Authorization: Bearer $(cat token.txt)" ` + u, "GET", u, map[string]string{"Authorization": "Bearer $(cat token.txt)"}, "", false, "not run"},
		{"a $ prompt", "$ curl -s " + u, "GET", u, nil, "", false, ""},
		{"prompts on every line", "$ export TOKEN=abc\n$ curl -s " + u, "GET", u, nil, "", false, "only the first curl command (command 2)"},
		{"&& : the first curl", "curl -d a=1 " + u + " && curl " + curlTestLoginURL, "POST", u, map[string]string{"Content-Type": form}, "a=1", true, "only the first curl command"},
		{"; : the first curl", "curl " + u + "; echo feito", "GET", u, nil, "", false, "2 commands"},
		{"newlines: the first curl", "cd /tmp\ncurl " + u + "\ncurl " + curlTestLoginURL, "GET", u, nil, "", false, "3 commands"},
		{"a pipe", "curl -s " + u + " | jq .", "GET", u, nil, "", false, "2 commands"},
		{"a comment", "# pre-análise\ncurl " + u + " # fim", "GET", u, nil, "", false, ""},
		{"a here-document on stdin", "curl -d @- " + u + " <<'EOF'\n{\"a\": \"$x\"}\nEOF\n", "POST", u, map[string]string{"Content-Type": form}, `{"a": "$x"}`, true, ""},
		{"an unquoted here-document", "curl --data-binary @- " + u + " <<EOF\n{\"a\": \"\\$x\\\\\"}\nEOF\n", "POST", u, map[string]string{"Content-Type": form}, "{\"a\": \"$x\\\"}\n", true, ""},
		{"a here-string", "curl --json @- " + u + ` <<< '{"a":1}'`, "POST", u, map[string]string{"Content-Type": "application/json", "Accept": "application/json"}, "{\"a\":1}\n", true, ""},
		{"a redirection", "curl --json @- " + u + " < redirect.json", "POST", u, map[string]string{"Content-Type": "application/json", "Accept": "application/json"}, `{"from":"redirect"}`, true, ""},
		{"a path to curl", "/usr/bin/curl " + u, "GET", u, nil, "", false, ""},
		{"sudo and env", "sudo env HTTPS_PROXY=x curl " + u, "GET", u, nil, "", false, ""},
		{"an assignment before curl", "TOKEN=abc curl " + u, "GET", u, nil, "", false, ""},
		{"a ^\" inside bash quotes stays bash", `curl -d '{"re":"^\"a"}' ` + u, "POST", u, map[string]string{"Content-Type": form}, `{"re":"^\"a"}`, true, ""},
		{"Latin-1 text", "curl -d 'nome=Jo\xe3o' " + u, "POST", u, map[string]string{"Content-Type": form}, "nome=João", true, "Windows-1252"},

		// Windows cmd.
		{"curl.exe one-liner", `curl.exe -X POST "` + u + `" -H "Content-Type: application/json" -d "{\"a\":1,\"b\":\"x y\"}"`, "POST", u, map[string]string{"Content-Type": "application/json"}, `{"a":1,"b":"x y"}`, true, "Windows"},
		{"curl.exe with a cmd prompt", `C:\Users\maria>curl.exe -s ` + u, "GET", u, nil, "", false, "Windows"},
		{"cmd: doubled quotes", `curl.exe -d "{""a"":1}" ` + u, "POST", u, map[string]string{"Content-Type": form}, `{"a":1}`, true, ""},
		{"cmd: backslashes before a quote", `curl.exe -d "a\\\"b\\" ` + u, "POST", u, map[string]string{"Content-Type": form}, `a\"b\`, true, ""},
		{"cmd: backslashes alone", `curl.exe -d C:\dados\a.json ` + u, "POST", u, map[string]string{"Content-Type": form}, `C:\dados\a.json`, true, ""},
		{"cmd: carets and continuation", "curl ^\"" + u + "^\" ^\n  -H ^\"x-um: 1^\" ^\r\n  --data-raw ^\"a^&b^\"", "POST", u, map[string]string{"X-Um": "1", "Content-Type": form}, "a&b", true, ""},
		{"cmd: a newline inside data", "curl ^\"" + u + "^\" --data-raw ^\"a^\n\nb^\"", "POST", u, map[string]string{"Content-Type": form}, "a\nb", true, ""},
		{"cmd: && keeps the first command", `curl.exe -s ` + u + ` && curl.exe ` + curlTestLoginURL, "GET", u, nil, "", false, "only the first curl command"},
		{"cmd: a later curl", `cd C:\temp & curl.exe ` + u, "GET", u, nil, "", false, "(command 2)"},
		{"cmd: a redirection", `curl.exe -s ` + u + ` > saida.json`, "GET", u, nil, "", false, "redirection"},
		{"cmd: caret inside quotes is literal", `curl.exe -d "a^b" ` + u, "POST", u, map[string]string{"Content-Type": form}, "a^b", true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseCurl(tc.cmd, files)
			if err != nil {
				t.Fatal(err)
			}
			if r.Method != tc.method || r.URL != tc.url {
				t.Errorf("got %s %s, want %s %s", r.Method, r.URL, tc.method, tc.url)
			}
			want := tc.headers
			if want == nil {
				want = map[string]string{}
			}
			got := r.Headers
			if got == nil {
				got = map[string]string{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("headers = %q, want %q", got, want)
			}
			if r.HasBody != tc.hasBody || string(r.Body) != tc.body {
				t.Errorf("body = %q (has %v), want %q (has %v)", r.Body, r.HasBody, tc.body, tc.hasBody)
			}
			if tc.note != "" && !curlHasNote(r.NoteTexts("en"), tc.note) {
				t.Errorf("notes %q lack %q", r.Notes, tc.note)
			}
		})
	}
}

func TestParseCurlErrors(t *testing.T) {
	const u = curlTestPreURL
	secretBody := `{"usuario":{"login":"alfa.maria","senha":"` + curlTestPassword + `","apiKey":"` + curlTestAPIKey + `"}}`
	unterminated := "curl -H 'Authorization: Bearer " + curlTestToken + "' -d '" + secretBody + " " + u
	tests := []struct {
		name    string
		cmd     string
		want    string
		notCurl bool // errors.Is(err, ErrNotCurl)
	}{
		{"unterminated single quote", "curl -X POST " + u + " -d '" + secretBody, fmt.Sprintf("unterminated quote at line 1, column %d", len("curl -X POST "+u+" -d ")+1), false},
		{"unterminated quote after a secret", unterminated, fmt.Sprintf("unterminated quote at line 1, column %d", strings.LastIndex(unterminated, "'")+1), false},
		{"unterminated double quote on line 3", "curl \\\n  -H 'Accept: */*' \\\n  -d \"{\\\"senha\\\": \\\"" + curlTestPassword + "\\\"} " + u, "unterminated quote at line 3, column 6", false},
		{"unterminated $'", "curl -d $'" + curlTestPassword + " " + u, "unterminated quote at line 1, column 9", false},
		{"unterminated cmd quote", `curl.exe -d "{\"senha\":\"` + curlTestPassword + `\"} ` + u, "unterminated quote at line 1, column 13", false},
		{"unsupported option", "curl -s -X POST " + u + " -H 'Accept: */*' --config", "unsupported curl option --config (position 7)", false},
		{"unsupported option with a secret value", "curl --request-target=" + curlTestUser + ":" + curlTestPassword + " " + u, "unsupported curl option --request-target (position 1)", false},
		{"an API key written as an option", "curl --" + curlTestAPIKey + " " + u, "unsupported curl option (not shown) (position 1)", false},
		{"unsupported short option in a cluster", "curl -sK " + u, "unsupported curl option -K (position 1)", false},
		{"-F with a file that is not given", "curl -F file=@doc.png " + u, "-F/--form (position 1) at line 1, column 6: cannot read @doc.png", false},
		{"missing -H value", "curl " + u + " -H", "curl option -H needs a value (position 2)", false},
		{"missing --header value", "curl " + u + " --header", "curl option --header needs a value (position 2)", false},
		{"missing -d value", "curl " + u + " -sd", "curl option -d needs a value (position 2)", false},
		{"missing --oauth2-bearer value", "curl " + u + " --oauth2-bearer", "curl option --oauth2-bearer needs a value (position 2)", false},
		{"empty --oauth2-bearer", "curl " + u + " --oauth2-bearer ''", "--oauth2-bearer has an empty value", false},
		{"a boolean with a value", "curl --silent=" + curlTestPassword + " " + u, "curl option --silent takes no value (position 1)", false},
		{"no URL", "curl -X POST -H 'Authorization: Bearer " + curlTestToken + "' -d '" + secretBody + "'", "no URL", false},
		{"no URL: the token after -H's value is taken for the value", "curl -H 'Authorization: Bearer' --oauth2-bearer " + curlTestToken, "no URL", false},
		{"two URLs", "curl " + u + " " + curlTestLoginURL, "more than one URL: (position 1) at line 1, column 6 and (position 2)", false},
		{"two URLs with --url", "curl --url " + u + " -d '" + secretBody + "' https://alfa.maria:" + curlTestPassword + "@example.com/", "more than one URL", false},
		{"an empty URL", "curl ''", "the URL (position 1) at line 1, column 6 is empty", false},
		{"not a URL", "curl 'https://exa mple.com/'", "is not a valid URL", false},
		{"no host", "curl https:///api/v2", "has no host", false},
		{"not http", "curl ftp://example.com/" + curlTestPassword, "is not an http or https URL", false},
		{"a bad method", "curl -X 'PO ST' " + u, "the method given to -X/--request (position 1)", false},
		{"typographic dash", "curl –X POST " + u, "typographic dash", false},
		{"-G makes a bad URL", "curl -G -d $'\\x01' " + u, "does not make a valid URL", false},
		{"bad shell syntax", "curl " + u + " )", "not valid shell syntax at line 1, column", false},
		{"an unterminated command substitution", "curl -H \"Authorization: $(cat " + u, "unterminated `$(` at line 1, column 25", false},
		{"wget", "wget --header 'Authorization: Bearer " + curlTestToken + "' " + u, `the command is "wget", not curl`, true},
		{"httpie", "http POST " + u + " Authorization:'Bearer " + curlTestToken + "'", `the command is "http", not curl`, true},
		{"a token pasted alone", curlTestToken, "the command is not curl (its first word is not shown", true},
		{"an API key pasted alone", curlTestAPIKey, "the command is not curl (its first word is not shown", true},
		{"JSON pasted", secretBody, "not curl", true},
		{"only assignments", "TOKEN=" + curlTestToken, "no command", true},
		{"empty input", "", "the input is empty", true},
		{"blank input", " \n\t\r\n ", "the input is empty", true},
		{"only a comment", "# curl " + u, "no command", true},
		{"binary junk", "\x00\x01\x02PK\x03\x04" + curlTestToken, "binary data", true},
		{"random high bytes", "\xff\xfe\xfd\xfc\x89PNG\x1a\n" + curlTestPassword, "binary data", true},
		{"a control character", "curl -d '\x07' " + u, "binary data, not a curl command line (control byte at line 1, column 10)", true},
		{"cmd: no command", "^\n", "no command", true},
		{"cmd: not curl", `wget.exe ^"` + u + `^"`, `the command is "wget.exe", not curl`, true},
	}
	secrets := []string{curlTestToken, curlTestPassword, curlTestAPIKey, curlTestToken[:40], curlTestToken[len(curlTestToken)-30:]}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseCurl(tc.cmd, curlFiles(nil))
			if tc.name == "no file reader" {
				r, err = ParseCurl(tc.cmd, nil)
			}
			if err == nil {
				t.Fatalf("no error; got %s %s", r.Method, r.URL)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q, want it to contain %q", msg, tc.want)
			}
			if got := errors.Is(err, ErrNotCurl); got != tc.notCurl {
				t.Errorf("errors.Is(ErrNotCurl) = %v, want %v (%s)", got, tc.notCurl, msg)
			}
			for _, s := range secrets {
				if strings.Contains(msg, s) {
					t.Errorf("the error shows a secret: %q", msg)
				}
			}
		})
	}
}

// The notes never show a secret either: a -H without a name holding the token, -u.
func TestParseCurlNotesHideSecrets(t *testing.T) {
	r, err := ParseCurl("curl -H 'Bearer "+curlTestToken+"' -u "+curlTestUser+" -b "+curlTestAPIKey+" "+curlTestPreURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range r.NoteTexts("en") {
		for _, s := range []string{curlTestToken, curlTestAPIKey} {
			if strings.Contains(n, s) {
				t.Errorf("note shows a secret: %q", n)
			}
		}
	}
	if len(r.Notes) < 3 {
		t.Errorf("notes = %q, want one for the nameless header, -u and the cookie file", r.Notes)
	}
}

// The fuzzer's finds, kept as regular cases: each must parse or fail, never panic, and a
// success must have a URL that parses and a method.
func TestParseCurlFuzzRegressions(t *testing.T) {
	dir := filepath.Join(curlTestFixtures, "fuzz-regressions")
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("no regressions recorded")
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		in, err := curlFuzzInput(b)
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		t.Run(e.Name(), func(t *testing.T) { curlCheckProperties(t, in) })
	}
}
