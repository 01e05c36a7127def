package intake

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/crefazon/triagem/diagnose"
)

// FuzzParseHAR: ParseHAR never panics, fails only with input errors that quote no token,
// and every entry it lists gives a request with a method, or an input error.
func FuzzParseHAR(f *testing.F) {
	f.Add(readFixture(f, "har/chrome-pre-analise.har"))
	f.Add(readFixture(f, "har/firefox-two-failures.har"))
	good := harEntryJSON("POST", `"`+stagAPI+`/api/v2/propostas/pre-analise"`, `"2026-11-21T23:30:12.345-03:00"`,
		`,"postData":{"mimeType":"application/x-www-form-urlencoded","params":[{"name":"a","value":"b c"}]}`,
		`{"status":503,"content":{"text":"eyJzdWNjZXNzIjpmYWxzZX0=","encoding":"base64"},"_error":"net::ERR_TIMED_OUT"}`)
	f.Add(harDoc(good))
	f.Add(harDoc(good, `{}`, `null`))
	f.Add([]byte(`{"log":{"entries":[]}}`))
	f.Add([]byte(`{"log":{"creator":7,"entries":[{"request":{"method":"GET","url":"data:,x"}}]},"log":null}`))
	f.Add(harDoc(harEntryJSON("", `"data:,x"`, `"2026-11-21t23:30:12"`, `,"cookies":[{"name":"a","value":1}],"postData":{"params":[{"name":"x","value":{"a":[1]}}]}`, `{"status":401.0,"_error":{"c":1},"content":{"text":7}}`)))
	for _, s := range harFuzzCrashers {
		f.Add([]byte(s))
	}
	isPartner := partnerHost(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ParseHAR("f.har", data, isPartner)
		if err != nil {
			checkFuzzErr(t, err)
			return
		}
		if len(h.Entries) == 0 {
			t.Fatal("no error and no entries")
		}
		for i, e := range h.Entries {
			if e.Index != i {
				t.Fatalf("entry %d has index %d", i, e.Index)
			}
			if e.Problem != nil {
				for _, lang := range []string{"en", "pt-BR"} {
					if txt := e.Problem.Text(lang); txt == "" || strings.Contains(txt, testToken[40:80]) {
						t.Fatalf("entry %d: reason %q", i+1, txt)
					}
				}
				if _, err := h.Request(i); err == nil {
					t.Fatalf("entry %d has a problem and reads", i+1)
				} else {
					checkFuzzErr(t, err)
				}
				continue
			}
			if e.PartnerAPI != isPartner(mustHost(t, e.URL)) {
				t.Fatalf("entry %d: PartnerAPI %v for %q", i+1, e.PartnerAPI, e.URL)
			}
			r, err := h.Request(i)
			if err != nil {
				checkFuzzErr(t, err)
				continue
			}
			checkNotes(t, r.Notes)
			if r.Method == "" || r.Method != e.Method || r.URL != e.URL || r.Status != e.Status {
				t.Fatalf("entry %d: request %q %q %d, listed %q %q %d", i+1, r.Method, r.URL, r.Status, e.Method, e.URL, e.Status)
			}
		}
		if _, err := h.Request(len(h.Entries)); err == nil {
			t.Fatal("no error past the last entry")
		}
	})
}

// FuzzParseHTTP: ParseHTTP never panics, fails only with input errors that quote no token,
// and what it reads has a method and an absolute http(s) URL with a host.
func FuzzParseHTTP(f *testing.F) {
	f.Add(readFixture(f, "http/pre-analise.http"))
	f.Add(readFixture(f, "http/login-absolute.http"))
	f.Add([]byte(":authority: api-externo-stag.crefazon.com.br\n:method: GET\n:path: /api/v2/enderecos/paises\n:scheme: http\n\n"))
	f.Add([]byte("POST /api/v2/x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n2\r\n{}\r\n0\r\n\r\n"))
	f.Add([]byte("# c\nOPTIONS * HTTP/2\nHost: https://h:8443/\nX: a\n b\nPragma: no-cache\n\n{}"))
	for _, s := range httpFuzzCrashers {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseHTTP("f.http", data)
		if err != nil {
			checkFuzzErr(t, err)
			return
		}
		if r.Method == "" {
			t.Fatal("no method")
		}
		u, err := url.Parse(r.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			t.Fatalf("URL %q is not absolute http(s) with a host (%v)", r.URL, err)
		}
		checkNotes(t, r.Notes)
		if r.HasBody != (len(r.Body) > 0) {
			t.Fatalf("HasBody %v with %d bytes", r.HasBody, len(r.Body))
		}
	})
}

func checkFuzzErr(t *testing.T, err error) {
	t.Helper()
	var ie *diagnose.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("error %T %v, want *diagnose.InputError", err, err)
	}
	if strings.Contains(err.Error(), testToken[40:80]) {
		t.Fatalf("error quotes the token: %v", err)
	}
}

func mustHost(t *testing.T, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("listed URL %q does not parse: %v", raw, err)
	}
	return u.Hostname()
}

// What the fuzzers found, kept as seeds so that they stay fixed.
var (
	harFuzzCrashers  = []string{}
	httpFuzzCrashers = []string{
		"0 http://:", // a URL whose host is only a colon
		":AuthoritY:/\n:method:0\n:pAth:/\n:sCheme:http", // pseudo-headers whose authority is a slash
	}
)

// FuzzParsePowerShell: ParsePowerShell never panics; what it reads has a method and an
// absolute http(s) URL; its errors and notes never quote the token of the seeds.
func FuzzParsePowerShell(f *testing.F) {
	f.Add(string(readFixture(f, "powershell/pre-analise-chrome.ps1")))
	f.Add(string(readFixture(f, "powershell/pre-analise-restmethod.ps1")))
	f.Add(string(readFixture(f, "powershell/pre-analise-postman.ps1")))
	for _, s := range []string{
		"iwr 'https://x/' `\n -Method Put -Body '{\"a\":''b''}'",
		"Invoke-RestMethod https://x/ -Head:@{A=\"`u{e9}`$x$y\"} -Body @{a=1;b='c'}",
		"$b = @\"\n{\"a\": \"$t\"}\n\"@\n$t='v'\nirm -Uri \"http://x/$t\" -Method Post -Body $b -InFile f",
		"<# c #> curl -Uri x -Headers @{'k'='v'} | ConvertTo-Json",
		"$s.Cookies.Add((New-Object System.Net.Cookie(\"a\", \"b\"))); iwr -WebSession $s -Uri http://h",
		"Invoke-WebRequest -Uri \"http://h\" -Body ([System.Text.Encoding]::UTF8.GetBytes(\"`\"\"))",
		"irm -Uri",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		r, err := ParsePowerShell(in, curlFuzzFiles)
		if err != nil {
			if err.Error() == "" || strings.Contains(err.Error(), testToken[40:80]) {
				t.Fatalf("error %q", err)
			}
			return
		}
		if r.Method == "" || r.Source != "powershell" {
			t.Fatalf("method %q source %q", r.Method, r.Source)
		}
		u, err := url.Parse(r.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			t.Fatalf("URL %q (%v)", r.URL, err)
		}
		checkNotes(t, r.Notes)
		for _, n := range r.NoteTexts("pt-BR") {
			if strings.Contains(n, testToken[40:80]) {
				t.Fatalf("note %q", n)
			}
		}
	})
}
