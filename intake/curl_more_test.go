package intake

import (
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"testing"
)

// Read as curl reads them: options that do not change the request, abbreviations, forms,
// queries, uploads, globbing, curl's --data-urlencode precedence, old Windows quoting.
func TestParseCurlAsCurlDoes(t *testing.T) {
	u := curlTestPreURL
	files := curlFiles(map[string]string{"rg.png": "\x89PNG-bytes", "corpo.json": `{"a":1}`, "nome.txt": "Maria"})
	tests := []struct {
		name    string
		cmd     string
		method  string
		url     string
		headers map[string]string // checked when not nil (only these keys)
		body    string            // checked unless "-"
		note    string            // an English note holding this
	}{
		{"transport options are noted, the request stays",
			"curl -x http://proxy.local:3128 --cacert ca.pem --cert c.pem --key k.pem -c jar.txt --ssl-no-revoke --trace-ascii t.txt --max-redirs 3 --noproxy '*' --resolve h:443:10.0.0.1 -d a=1 " + u,
			"POST", u, nil, "a=1", "-x/--proxy ignored"},
		{"an abbreviation", "curl --sil " + u, "GET", u, nil, "", "--sil read as --silent"},
		{"an abbreviation of a value option", "curl --head=x --data-r a=1 " + u, "-", "", nil, "-", ""},
		{"--url-query encodes, + keeps", "curl --url-query 'nome=Maria Silva' --url-query '+x=a%20b' '" + u + "?p=1#f'", "GET", u + "?p=1&nome=Maria+Silva&x=a%20b#f", nil, "", ""},
		{"-T uploads with PUT", "curl -T corpo.json " + u, "PUT", u, map[string]string{}, `{"a":1}`, ""},
		{"-T to a folder URL adds the name", "curl -T corpo.json " + curlTestHost + "/api/v2/arquivos/", "PUT", curlTestHost + "/api/v2/arquivos/corpo.json", nil, `{"a":1}`, "file's name was added"},
		{"Chrome's escaped brackets lose their backslash", `curl '` + u + `?f=\[1\]&g=\{a\}'`, "GET", u + "?f=[1]&g={a}", nil, "", "backslashes"},
		{"-g keeps them as written", `curl -g '` + u + `?f=[1]'`, "GET", u + "?f=[1]", nil, "", ""},
		{"a set: the first of its requests", "curl '" + curlTestHost + "/api/v2/propostas/{1874521,1874522}/status'", "GET", curlTestHost + "/api/v2/propostas/1874521/status", nil, "", "into 2 requests"},
		{"a range: the first of its requests", "curl '" + curlTestHost + "/api/v2/propostas/[1-3]'", "GET", curlTestHost + "/api/v2/propostas/1", nil, "", "into 3 requests"},
		{"an IPv6 host is not a pattern", "curl 'http://[::1]:8080/api/v2/x'", "GET", "http://[::1]:8080/api/v2/x", nil, "", ""},
		{"--data-urlencode: = wins over @", "curl --data-urlencode 'x@y=a b' " + u, "POST", u, nil, "x@y=a+b", ""},
		{"--data-urlencode name@file", "curl --data-urlencode 'nome@nome.txt' " + u, "POST", u, nil, "nome=Maria", ""},
		{"old Windows one-liner with doubled quotes", `curl -X POST "` + u + `" -H "Content-Type: application/json" -d "{""cpf"":""52998224725"",""nome"":""Maria""}"`,
			"POST", u, map[string]string{"Content-Type": "application/json"}, `{"cpf":"52998224725","nome":"Maria"}`, "doubled quotes"},
		{"a stray space after ^ in cmd", "curl ^\"" + u + "^\" ^ \r\n  -H ^\"Authorization: Bearer " + curlTestToken + "^\" ^\r\n  --data-raw ^\"a=1^\"",
			"POST", u, map[string]string{"Authorization": "Bearer " + curlTestToken}, "a=1", "spaces after the ^ at line 1, column"},
		{"Chrome's old cmd copy, one line", `curl "` + u + `?a=%^20b" -H "Content-Type: application/json" --data-binary "^{\"nome\":\"Maria ^& Cia\",\"l\":^[1^]^}" --compressed`,
			"POST", u + "?a=%20b", map[string]string{"Content-Type": "application/json"}, `{"nome":"Maria & Cia","l":[1]}`, "old \"Copy as cURL (cmd)\""},
		{"Chrome's old cmd copy, with continuations", "curl \"" + u + "\" ^\n  -H \"Content-Type: application/json\" ^\n  --data-binary \"^{\\\"a\\\":1^}\" --compressed",
			"POST", u, map[string]string{"Content-Type": "application/json"}, `{"a":1}`, "old \"Copy as cURL (cmd)\""},
		{"a regex in a bash body is not cmd", `curl -H 'Content-Type: application/json' -d '{"re":"^[0-9]+$"}' ` + u, "POST", u, nil, `{"re":"^[0-9]+$"}`, ""},
		{"line breaks lost in a bash paste", "curl '" + u + "' \\ -H 'Authorization: Bearer " + curlTestToken + "' \\ --data-raw 'a=1'",
			"POST", u, map[string]string{"Authorization": "Bearer " + curlTestToken}, "a=1", "line breaks were lost"},
		{"an apostrophe inside a JSON value is text", `curl -H 'Content-Type: application/json' -d '{"nome":"D’Ávila"}' ` + u, "POST", u, nil, `{"nome":"D’Ávila"}`, ""},
		{"two commands: the first, noted", "curl " + u + "\ncurl " + curlTestLoginURL, "GET", u, nil, "", "the text has 2 commands"},
		{"no scheme: http", "curl api-externo-stag.crefazon.com.br/api/v2/x", "GET", "http://api-externo-stag.crefazon.com.br/api/v2/x", nil, "", "read as http://"},
		{"an empty header Name;", "curl -H 'X-Vazio;' " + u, "GET", u, map[string]string{"X-Vazio": ""}, "", "sends the header empty"},
		{"--keepalive is a switch, not --keepalive-time", "curl --keepalive " + u, "GET", u, nil, "", "--keepalive ignored"},
		{"--next: the first request", "curl -d a=1 " + u + " --next " + curlTestLoginURL, "POST", u, nil, "a=1", "only the first was read"},
		{"-r sends a Range header", "curl -r 0-99 " + u, "GET", u, map[string]string{"Range": "bytes=0-99"}, "", ""},
		{"-C N sends a Range header", "curl -C 100 " + u, "GET", u, map[string]string{"Range": "bytes=100-"}, "", ""},
		{"-z with a date", "curl -z '2026-11-18' " + u, "GET", u, map[string]string{"If-Modified-Since": "Wed, 18 Nov 2026 00:00:00 GMT"}, "", ""},
		{"-z with a file", "curl -z local.html " + u, "GET", u, map[string]string{}, "", "gives no date"},
		{"-d @file not sent along: an empty POST, as curl sends it", "curl -d @faltando.json " + u, "POST", u, nil, "", "--data @faltando.json: the file did not come with the command"},
		{"--data-urlencode name@file not sent along", "curl --data-urlencode nome@faltando.txt " + u, "POST", u, nil, "nome=", "the file did not come"},
		{"--digest is noted", "curl --digest -u a:b " + u, "GET", u, nil, "", "negotiates the authentication"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseCurl(tc.cmd, files)
			if tc.method == "-" {
				if err == nil || !strings.Contains(err.Error(), "--head") {
					t.Fatalf("err = %v, want --head to take no value", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Method != tc.method || r.URL != tc.url {
				t.Errorf("got %s %s, want %s %s", r.Method, r.URL, tc.method, tc.url)
			}
			for k, v := range tc.headers {
				if got, ok := r.Headers[k]; !ok || got != v {
					t.Errorf("header %s = %q (present %v), want %q", k, got, ok, v)
				}
			}
			if tc.headers != nil && len(tc.headers) == 0 && r.Headers["Content-Type"] != "" {
				t.Errorf("Content-Type = %q, want none", r.Headers["Content-Type"])
			}
			if tc.body != "-" && string(r.Body) != tc.body {
				t.Errorf("body = %q, want %q", r.Body, tc.body)
			}
			if tc.note != "" && !curlHasNote(r.NoteTexts("en"), tc.note) {
				t.Errorf("notes %q lack %q", r.NoteTexts("en"), tc.note)
			}
			if len(r.NoteTexts("pt-BR")) != len(r.NoteTexts("en")) {
				t.Errorf("notes differ between languages: %q / %q", r.NoteTexts("pt-BR"), r.NoteTexts("en"))
			}
		})
	}
}

// -F builds the multipart body curl sends: a multipart reader finds the parts.
func TestParseCurlForm(t *testing.T) {
	files := curlFiles(map[string]string{"rg.png": "\x89PNG-bytes", "obs.txt": "texto do arquivo"})
	r, err := ParseCurl("curl -F 'nome=Maria' -F 'documento=@rg.png' -F 'obs=<obs.txt' -F 'meta={\"a\":1};type=application/json' --form-string 'raw=@literal' "+curlTestPreURL, files)
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "POST" {
		t.Errorf("method %s", r.Method)
	}
	mt, params, err := mime.ParseMediaType(r.Headers["Content-Type"])
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("Content-Type = %q", r.Headers["Content-Type"])
	}
	mr := multipart.NewReader(strings.NewReader(string(r.Body)), params["boundary"])
	type part struct{ name, file, ctype, data string }
	var got []part
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%v in %q", err, r.Body)
		}
		b, _ := io.ReadAll(p)
		got = append(got, part{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), string(b)})
	}
	want := []part{
		{"nome", "", "", "Maria"},
		{"documento", "rg.png", "image/png", "\x89PNG-bytes"},
		{"obs", "", "", "texto do arquivo"},
		{"meta", "", "application/json", `{"a":1}`},
		{"raw", "", "", "@literal"},
	}
	if len(got) != len(want) {
		t.Fatalf("parts = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("part %d = %+v, want %+v", i+1, got[i], want[i])
		}
	}
}

// What cannot be read unambiguously is refused, naming the place, never echoing a secret.
func TestParseCurlRefusals(t *testing.T) {
	u := curlTestPreURL
	tests := []struct{ name, cmd, want string }{
		{"typographic quotes", "curl -H “Authorization: Bearer " + curlTestToken + "” " + u, "the argument (position 2) at line 1, column 9 has a typographic quote (“)"},
		{"typographic single quotes", "curl ‘" + u + "’", "has a typographic quote (‘)"},
		{"an ambiguous abbreviation", "curl --ce x " + u, "the curl option --ce is ambiguous"},
		{"-T without the file", "curl -T corpo.json " + u, "-T/--upload-file (position 1) at line 1, column 6: cannot read @corpo.json"},
		{"-F with -d", "curl -F a=1 -d b=2 " + u, "-F/--form (position 1) at line 1, column 6 goes with no -d/--data"},
		{"an unmatched brace", "curl '" + u + "/{" + curlTestToken + "'", "has no closing }"},
		{"a bad range", "curl '" + u + "/[a-" + curlTestAPIKey + "]'", "is not a range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCurl(tc.cmd, curlFiles(nil))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			for _, s := range []string{curlTestToken[20:60], curlTestAPIKey} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("the error shows a secret: %v", err)
				}
			}
		})
	}
}

// Each option is known once, by one long and at most one short name.
func TestCurlOptionTable(t *testing.T) {
	long, short := map[string]bool{}, map[byte]string{}
	for _, o := range curlOpts {
		if long[o.long] {
			t.Errorf("--%s twice", o.long)
		}
		long[o.long] = true
		if o.short != 0 {
			if prev, ok := short[o.short]; ok {
				t.Errorf("-%c is --%s and --%s", o.short, prev, o.long)
			}
			short[o.short] = o.long
		}
	}
}
