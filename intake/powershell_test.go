package intake

import (
	"errors"
	"strings"
	"testing"
)

func TestParsePowerShellFixtures(t *testing.T) {
	body := curlFixture(t, "pre-analise.json")
	tests := []struct {
		file    string
		headers map[string]string
		note    string
	}{
		{"pre-analise-chrome.ps1", map[string]string{
			"Authorization":      "Bearer " + curlTestToken,
			"Content-Type":       "application/json",
			"Accept":             "application/json, text/plain, */*",
			"Sec-Ch-Ua":          `"Google Chrome";v="141", "Not?A_Brand";v="8", "Chromium";v="141"`,
			"Sec-Ch-Ua-Platform": `"Windows"`,
			"User-Agent":         "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
			"Cookie":             "_ga=GA1.1.1234567890.1763400000",
		}, "from $session.Cookies.Add"},
		{"pre-analise-postman.ps1", map[string]string{
			"Authorization": "Bearer " + curlTestToken,
			"Content-Type":  "application/json",
		}, ""},
		{"pre-analise-restmethod.ps1", map[string]string{
			"Authorization": "Bearer " + curlTestToken,
			"Content-Type":  "application/json",
		}, "-TimeoutSec ignored"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			text := string(readFixture(t, "powershell/"+tc.file))
			if !LooksLikePowerShell(text) {
				t.Error("not recognised as PowerShell")
			}
			r, err := ParsePowerShell(text, nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Method != "POST" || r.URL != curlTestPreURL || r.Source != "powershell" {
				t.Errorf("request = %s %s (%s)", r.Method, r.URL, r.Source)
			}
			for _, k := range []string{"Authority", "Method", "Path", "Scheme"} {
				if _, ok := r.Headers[k]; ok {
					t.Errorf("pseudo-header %s kept", k)
				}
			}
			for k, v := range tc.headers {
				if r.Headers[k] != v {
					t.Errorf("%s = %q, want %q", k, r.Headers[k], v)
				}
			}
			curlJSONEqual(t, r.Body, body)
			if tc.note != "" && !curlHasNote(r.NoteTexts("en"), tc.note) {
				t.Errorf("notes %q lack %q", r.NoteTexts("en"), tc.note)
			}
		})
	}
}

func TestParsePowerShellForms(t *testing.T) {
	u := curlTestPreURL
	files := curlFiles(map[string]string{"corpo.json": `{"a":1}`})
	tests := []struct {
		name, text  string
		method, url string
		headers     map[string]string
		body        string
		hasBody     bool
		note        string
	}{
		{"backtick escapes and doubled quotes", "Invoke-WebRequest -Uri \"" + u + "\" -Method \"POST\" -Body \"{`\"a`\":`\"x`$y``z`\",\"\"b\"\":1}\"",
			"POST", u, nil, "{\"a\":\"x$y`z\",\"b\":1}", true, ""},
		{"single quotes with '' and a continuation", "iwr '" + u + "' `\n  -Method Put `\n  -Body '{\"nome\":\"D''Avila\"}'",
			"PUT", u, nil, `{"nome":"D'Avila"}`, true, ""},
		{"-Param:value, abbreviations, positional URI, GET by default", "Invoke-RestMethod " + u + " -Head:@{Accept='application/json'}",
			"GET", u, map[string]string{"Accept": "application/json"}, "", false, ""},
		{"the method in any case", "irm -Uri " + u + " -Method:post -Body x", "POST", u, nil, "x", true, ""},
		{"a table as the body is a form", "Invoke-WebRequest -Uri " + u + " -Method Post -Body @{login='alfa.maria'; senha='a b'}",
			"POST", u, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "login=alfa.maria&senha=a+b", true, "URL-encoded form"},
		{"-InFile", "Invoke-WebRequest -Uri " + u + " -Method Post -InFile corpo.json -ContentType 'application/json'",
			"POST", u, map[string]string{"Content-Type": "application/json"}, `{"a":1}`, true, ""},
		{"an unknown variable is kept and noted", "Invoke-RestMethod -Uri " + u + " -Headers @{Authorization=\"Bearer $env:TOKEN\"}",
			"GET", u, map[string]string{"Authorization": "Bearer $env:TOKEN"}, "", false, "variables or $(...)"},
		{"PowerShell 5's curl alias", "curl -Uri " + u + " -Method POST -Headers @{\"Authorization\"=\"Bearer " + curlTestToken + "\"} -Body '{}'",
			"POST", u, map[string]string{"Authorization": "Bearer " + curlTestToken}, "{}", true, ""},
		{"the result assigned and piped", "$r = Invoke-RestMethod -Uri " + u + " -Method Post -Body '{}' | ConvertTo-Json\n$r",
			"POST", u, nil, "{}", true, ""},
		{"a here-string with a variable", "$id = '1874521'\nInvoke-RestMethod -Uri \"" + curlTestHost + "/api/v2/propostas/$id/status\"",
			"GET", curlTestHost + "/api/v2/propostas/1874521/status", nil, "", false, ""},
		{"Chrome's $([char]N), surrogate pairs included", "Invoke-WebRequest -Uri \"" + u + "\" -Method \"POST\" -Body ([System.Text.Encoding]::UTF8.GetBytes(\"{`\"nome`\":`\"Jo$([char]227)o $([char]55357)$([char]56832)`\"}$([char]10)\"))",
			"POST", u, nil, "{\"nome\":\"João 😀\"}\n", true, ""},
		{"line breaks lost after the backticks", "Invoke-WebRequest -UseBasicParsing -Uri \"" + u + "\" ` -Method \"POST\" ` -Headers @{ \"accept\"=\"*/*\" } ` -ContentType \"application/json\" ` -Body \"{}\"",
			"POST", u, map[string]string{"Accept": "*/*", "Content-Type": "application/json"}, "{}", true, "line breaks were lost"},
		{"typographic quotes, as PowerShell takes them", "Invoke-RestMethod -Uri “" + u + "” -Method Post -Body ‘{\"a\":“x”}’",
			"POST", u, nil, `{"a":“x”}`, true, "read as straight quotes"},
		{"a table piped to ConvertTo-Json", "$key = 'hml-x'\n$body = @{ usuario = @{ login = \"alfa.maria\"; senha = 'x'; apiKey = $key }; ativo = $true; n = 3 } | ConvertTo-Json -Depth 3\nInvoke-RestMethod -Uri " + u + " -Method Post -Body $body -ContentType 'application/json'",
			"POST", u, nil, `{"usuario":{"login":"alfa.maria","senha":"x","apiKey":"hml-x"},"ativo":true,"n":3}`, true, "ConvertTo-Json"},
		{"an [ordered] table converted inside -Body", "$dados = [ordered]@{a = 1; b = 'c'}\nInvoke-RestMethod -Uri " + u + " -Method Post -Body ($dados | ConvertTo-Json)",
			"POST", u, nil, `{"a":1,"b":"c"}`, true, "ConvertTo-Json"},
		{"comments", "<# pré-análise #>\n# parceiro\nInvoke-RestMethod -Uri " + u + " # fim",
			"GET", u, nil, "", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !LooksLikePowerShell(tc.text) {
				t.Error("not recognised as PowerShell")
			}
			r, err := ParsePowerShell(tc.text, files)
			if err != nil {
				t.Fatal(err)
			}
			if r.Method != tc.method || r.URL != tc.url {
				t.Errorf("request = %s %s, want %s %s", r.Method, r.URL, tc.method, tc.url)
			}
			for k, v := range tc.headers {
				if r.Headers[k] != v {
					t.Errorf("%s = %q, want %q", k, r.Headers[k], v)
				}
			}
			if string(r.Body) != tc.body || r.HasBody != tc.hasBody {
				t.Errorf("body = %q (has %v), want %q", r.Body, r.HasBody, tc.body)
			}
			if tc.note != "" && !curlHasNote(r.NoteTexts("en"), tc.note) {
				t.Errorf("notes %q lack %q", r.NoteTexts("en"), tc.note)
			}
		})
	}
}

func TestParsePowerShellErrors(t *testing.T) {
	u := curlTestPreURL
	tests := []struct {
		name, text, want string
		not              bool
	}{
		{"unterminated string", "Invoke-WebRequest -Uri \"" + u + "\" -Body \"{`\"token`\":`\"" + curlTestToken, "unterminated \" string at line 1, column", false},
		{"unknown parameter", "Invoke-WebRequest -Uri " + u + " -Bogus x", "parameter -Bogus at line 1, column", false},
		{"ambiguous parameter", "Invoke-WebRequest -Uri " + u + " -Pro x", "parameter -Pro", false},
		{"-Form", "Invoke-WebRequest -Uri " + u + " -Form @{a='b'}", "-Form at line 1", false},
		{"a body variable the text does not set", "Invoke-RestMethod -Uri " + u + " -Body $corpo", "the variable $corpo, which the text does not set", false},
		{"ConvertTo-Json", "Invoke-RestMethod -Uri " + u + " -Body ($dados | ConvertTo-Json)", "ConvertTo-Json", false},
		{"no URI", "Invoke-RestMethod -Method Post", "has no -Uri", false},
		{"not http", "Invoke-RestMethod -Uri 'ftp://example.com/" + curlTestPassword + "'", "is not an http or https URL", false},
		{"an unclosed table", "Invoke-RestMethod -Uri " + u + " -Headers @{Authorization='Bearer " + curlTestToken + "'", "@{ has no closing }", false},
		{"no web request", "Get-ChildItem C:\\", "no Invoke-WebRequest", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePowerShell(tc.text, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if errors.Is(err, ErrNotPowerShell) != tc.not {
				t.Errorf("ErrNotPowerShell = %v", !tc.not)
			}
			for _, s := range []string{curlTestToken[20:60], curlTestPassword} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("the error shows a secret: %v", err)
				}
			}
		})
	}
}

// curl command lines, also curl.exe in PowerShell, are not taken for PowerShell.
func TestLooksLikePowerShellNotCurl(t *testing.T) {
	for _, f := range []string{"pre-analise.sh", "pre-analise-chrome.sh", "pre-analise-postman.sh", "pre-analise-windows.cmd", "pre-analise-curlexe.cmd"} {
		if LooksLikePowerShell(curlFixture(t, f)) {
			t.Errorf("%s taken for PowerShell", f)
		}
	}
	if LooksLikePowerShell("curl.exe -X POST " + curlTestPreURL + " -H \"Content-Type: application/json\"") {
		t.Error("curl.exe taken for PowerShell")
	}
}
