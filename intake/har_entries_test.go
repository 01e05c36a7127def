package intake

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/unicode"

	"github.com/crefazon/triagem/diagnose"
)

// An entry that cannot be read is listed with its reason; the others are read as usual.
func TestHARSkipsUnreadableEntries(t *testing.T) {
	good := harEntryJSON("POST", `"`+stagAPI+`/api/v2/propostas/pre-analise"`, `"2026-11-21T23:30:12.345-03:00"`, "", `{"status":503,"content":{}}`)
	tests := []struct {
		name string
		bad  string
		why  string // held by the reason, in English
	}{
		{"not an object", `"x"`, "not a HAR entry object (line 1)"},
		{"headers is an object", strings.Replace(good, `[{"name":"authorization","value":"Bearer `+testToken+`"}]`, `{"authorization":"Bearer `+testToken+`"}`, 1), "request.headers: want a JSON array, got object"},
		{"no request", `{"response":{"status":200}}`, "no request"},
		{"data: URL without a method", harEntryJSON("", `"data:image/png;base64,iVBORw0KGgo="`, `"2026-11-21T23:30:12Z"`, "", ""), "a data: URL"},
		{"no method", harEntryJSON("", `"`+stagAPI+`"`, `""`, "", ""), "request.method is empty"},
		{"method with a space", harEntryJSON("PO ST", `"`+stagAPI+`"`, `""`, "", ""), "not an HTTP method"},
		{"no URL", harEntryJSON("POST", `""`, `""`, "", ""), "request.url is empty"},
		{"URL with a bad escape in the host", harEntryJSON("POST", `"https://api%zz.example.com/x?token=`+testToken+`"`, `""`, "", ""), "request.url is not a URL"},
		{"URL with a bad port", harEntryJSON("POST", `"https://api-externo-stag.crefazon.com.br:`+testToken[:8]+`/api"`, `""`, "", ""), "an invalid port"},
		{"relative URL", harEntryJSON("POST", `"/api/v2/propostas/pre-analise"`, `""`, "", ""), "relative"},
		{"URL is a number", harEntryJSON("POST", `42`, `""`, "", ""), "relative"},
		{"date is a number", harEntryJSON("POST", `"`+stagAPI+`"`, `1795045200`, "", ""), "startedDateTime is not"},
		{"status out of range", harEntryJSON("POST", `"`+stagAPI+`"`, `""`, "", `{"status":2000}`), "response.status 2000 is not"},
		{"status is not a number", harEntryJSON("POST", `"`+stagAPI+`"`, `""`, "", `{"status":"Bearer `+testToken+`"}`), "response.status: want a JSON number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := ParseHAR("x.har", harDoc(good, tc.bad, good), partnerHost(t))
			if err != nil {
				t.Fatalf("one odd entry refused the file: %v", err)
			}
			e := h.Entries[1]
			if e.Problem == nil {
				t.Fatalf("entry 2 = %+v: no problem", e)
			}
			for _, lang := range []string{"en", "pt-BR"} {
				txt := e.Problem.Text(lang)
				if lang == "en" && !strings.Contains(txt, tc.why) {
					t.Errorf("reason = %q, want it to hold %q", txt, tc.why)
				}
				noSecrets(t, fmt.Errorf("%s", txt))
			}
			if _, err := h.Request(1); err == nil || !strings.Contains(err.Error(), "entry 2") {
				t.Errorf("Request(1) error = %v, want one naming entry 2", err)
			} else {
				noSecrets(t, err)
			}
			if f := h.Failing(); len(f) != 2 || f[0].Index != 0 || f[1].Index != 2 {
				t.Errorf("Failing() = %+v, want entries 1 and 3", f)
			}
			if len(h.Skipped()) != 1 || len(h.SkippedNotes(20)) != 1 {
				t.Errorf("Skipped() = %+v", h.Skipped())
			}
			r, err := h.Request(2)
			if err != nil || r.Method != "POST" {
				t.Fatalf("entry 3: %v", err)
			}
		})
	}
}

// What tools built on the browsers write, and what the HAR 1.2 text leaves loose, is read.
func TestHARLooseValues(t *testing.T) {
	url := `"` + stagAPI + `/api/v2/propostas/pre-analise"`
	tests := []struct {
		name  string
		entry string
		check func(t *testing.T, e HAREntry, r *Request)
	}{
		{"status 401.0", harEntryJSON("POST", url, `"2026-11-21T23:30:12Z"`, "", `{"status":401.0,"content":{}}`),
			func(t *testing.T, e HAREntry, r *Request) {
				if e.Status != 401 || !e.Failing || r.Status != 401 {
					t.Errorf("status %d failing %v", e.Status, e.Failing)
				}
			}},
		{"lowercase t and z", harEntryJSON("POST", url, `"2026-11-21t23:30:12.5z"`, "", ""),
			func(t *testing.T, e HAREntry, r *Request) {
				if !r.At.Equal(mustTime(t, "2026-11-21T23:30:12.5Z")) {
					t.Errorf("At = %v", r.At)
				}
			}},
		{"time without offset: read in the zone, noted", harEntryJSON("POST", url, `"2026-11-21T23:30:12.345"`, "", ""),
			func(t *testing.T, e HAREntry, r *Request) {
				if !r.At.Equal(mustTime(t, "2026-11-22T02:30:12.345Z")) || !hasNote(r.Notes, "har.time-no-offset") {
					t.Errorf("At = %v, notes %q", r.At, r.NoteTexts("en"))
				}
			}},
		{"a stray % in the URL", harEntryJSON("GET", `"`+stagAPI+`/api/v2/relatorios/100%/x%41"`, `""`, "", ""),
			func(t *testing.T, e HAREntry, r *Request) {
				if r.URL != stagAPI+"/api/v2/relatorios/100%25/x%41" || !hasNote(r.Notes, "har.stray-percent") {
					t.Errorf("URL = %q, notes %q", r.URL, r.NoteTexts("en"))
				}
			}},
		{"non-string _error", harEntryJSON("POST", url, `""`, "", `{"status":0,"content":{},"_error":{"code":-102}}`),
			func(t *testing.T, e HAREntry, r *Request) {
				if !e.Failing || r.Status != 0 || r.Error != "" {
					t.Errorf("failing %v status %d error %q", e.Failing, r.Status, r.Error)
				}
			}},
		{"params with objects and numbers", harEntryJSON("POST", url, `""`, `,"postData":{"mimeType":"application/x-www-form-urlencoded","params":[{"name":"n","value":3},{"name":"o","value":{"a":1}},{"name":"b","value":true}]}`, ""),
			func(t *testing.T, e HAREntry, r *Request) {
				if string(r.Body) != "n=3&o=%7B%22a%22%3A1%7D&b=true" {
					t.Errorf("body = %q", r.Body)
				}
			}},
		{"request.cookies become the Cookie header", harEntryJSON("POST", url, `""`, `,"cookies":[{"name":"sessao","value":"abc"},{"name":"lang","value":"pt"}]`, ""),
			func(t *testing.T, e HAREntry, r *Request) {
				if r.Headers["Cookie"] != "sessao=abc; lang=pt" || !hasNote(r.Notes, "har.cookies") {
					t.Errorf("Cookie = %q, notes %q", r.Headers["Cookie"], r.NoteTexts("en"))
				}
			}},
		{"the browser's reason is the error evidence", harEntryJSON("POST", url, `""`, "", `{"status":0,"content":{},"_error":"net::ERR_CONNECTION_REFUSED"}`),
			func(t *testing.T, e HAREntry, r *Request) {
				c := &diagnose.Case{}
				r.Apply(c)
				if e.Error != "net::ERR_CONNECTION_REFUSED" || c.Error != "net::ERR_CONNECTION_REFUSED" {
					t.Errorf("entry error %q, case error %q", e.Error, c.Error)
				}
				if got := r.NoteTexts("pt-BR"); len(got) == 0 || got[0] != "a requisição não recebeu resposta: net::ERR_CONNECTION_REFUSED" {
					t.Errorf("notes = %q", got)
				}
			}},
		{"a case's own error wins over the browser's", harEntryJSON("POST", url, `""`, "", `{"status":0,"content":{},"_error":"net::ERR_FAILED"}`),
			func(t *testing.T, e HAREntry, r *Request) {
				c := &diagnose.Case{Error: "Timeout"}
				r.Apply(c)
				if c.Error != "Timeout" {
					t.Errorf("case error %q", c.Error)
				}
			}},
	}
	zone := time.FixedZone("BRT", -3*3600)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := ParseHARIn("x.har", harDoc(tc.entry), partnerHost(t), zone)
			if err != nil {
				t.Fatal(err)
			}
			if h.Entries[0].Problem != nil {
				t.Fatalf("problem: %s", h.Entries[0].Problem.Text("en"))
			}
			r, err := h.Request(0)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, h.Entries[0], r)
		})
	}
}

func TestHARUTF16(t *testing.T) {
	doc := harDoc(harEntryJSON("POST", `"`+stagAPI+`/api/v2/propostas/pre-analise"`, `"2026-11-21T23:30:12Z"`, "", `{"status":503,"content":{"text":"Motor de Crédito"}}`))
	for _, e := range []unicode.Endianness{unicode.LittleEndian, unicode.BigEndian} {
		u16, err := unicode.UTF16(e, unicode.UseBOM).NewEncoder().Bytes(doc)
		if err != nil {
			t.Fatal(err)
		}
		h, err := ParseHAR("x.har", u16, partnerHost(t))
		if err != nil {
			t.Fatalf("UTF-16 (%v): %v", e, err)
		}
		r, err := h.Request(0)
		if err != nil || string(r.ResponseBody) != "Motor de Crédito" || !hasNote(r.Notes, "har.utf16") {
			t.Errorf("response %q, notes %q, err %v", r.ResponseBody, r.NoteTexts("en"), err)
		}
	}
}

// A CORS failure: the preflight (OPTIONS, status 0) and the real request with the browser's
// ERR_FAILED. The real request is the one failure, with its reason; the login before it
// gives the case its user and key.
func TestHARPreflightAndLogin(t *testing.T) {
	pre := `"` + stagAPI + `/api/v2/propostas/pre-analise"`
	for _, v := range []struct{ name, loginURL, loginBody string }{
		{"V2", "/api/v2/usuarios/login", `{"usuario":{"login":"alfa.maria","senha":"x","apiKey":"` + testAPIKey + `"}}`},
		{"V1", "/api/Usuario/login", `{"login":"alfa.maria","senha":"x","apiKey":"` + testAPIKey + `"}`},
	} {
		t.Run(v.name, func(t *testing.T) {
			login := harEntryJSON("POST", `"`+stagAPI+v.loginURL+`"`, `"2026-11-21T23:30:00Z"`,
				`,"postData":{"mimeType":"application/json","text":`+quoteJSON(v.loginBody)+`}`, `{"status":200,"content":{}}`)
			preflight := harEntryJSON("OPTIONS", pre, `"2026-11-21T23:30:12Z"`, "", `{"status":0,"content":{},"_error":"net::ERR_FAILED"}`)
			real := harEntryJSON("POST", pre, `"2026-11-21T23:30:12.1Z"`, "", `{"status":0,"content":{},"_error":"net::ERR_FAILED"}`)
			h, err := ParseHAR("cors.har", harDoc(login, preflight, real), partnerHost(t))
			if err != nil {
				t.Fatal(err)
			}
			f := h.Failing()
			if len(f) != 1 || f[0].Index != 2 || !h.Entries[1].Preflight {
				t.Fatalf("Failing() = %+v, want entry 3 alone", f)
			}
			r, err := h.Request(2)
			if err != nil {
				t.Fatal(err)
			}
			if r.Error != "net::ERR_FAILED" || r.User != "alfa.maria" || r.APIKey != testAPIKey {
				t.Errorf("error %q user %q key %q", r.Error, r.User, r.APIKey)
			}
			if !hasNote(r.Notes, "har.login") || !hasNote(r.Notes, "har.preflight") {
				t.Errorf("notes = %q", r.NoteTexts("en"))
			}
			for _, n := range r.NoteTexts("pt-BR") {
				if strings.Contains(n, testAPIKey) || strings.Contains(n, "alfa.maria") {
					t.Errorf("note shows a credential: %q", n)
				}
			}
			c := &diagnose.Case{}
			r.Apply(c)
			if c.Credentials.User != "alfa.maria" || c.Credentials.APIKey != testAPIKey {
				t.Errorf("credentials = %+v", c.Credentials)
			}
		})
	}
}

func quoteJSON(s string) string {
	var b bytes.Buffer
	b.WriteByte('"')
	for _, r := range s {
		if r == '"' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// A 36 MB binary download in the HAR costs little: the response keeps a bounded prefix.
func TestHARLargeBinaryResponse(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 48 MB HAR")
	}
	bin := make([]byte, 36<<20)
	rand.Read(bin)
	bin[0] = '{' // a binary that happens to start like JSON is still a binary
	failing := harEntryJSON("POST", `"`+stagAPI+`/api/v2/propostas/pre-analise"`, `"2026-11-21T23:30:12Z"`, "",
		`{"status":500,"content":{"size":`+fmt.Sprint(len(bin))+`,"mimeType":"application/pdf","encoding":"base64","text":"`+base64.StdEncoding.EncodeToString(bin)+`"}}`)
	doc := harDoc(failing)
	bin = nil
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	h, err := ParseHAR("big.har", doc, partnerHost(t))
	if err != nil {
		t.Fatal(err)
	}
	r, err := h.Request(0)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if len(r.ResponseBody) > harBodyCap || len(r.ResponseBody) == 0 || !hasNote(r.Notes, "har.resp-capped") {
		t.Errorf("response kept %d bytes, notes %q", len(r.ResponseBody), r.NoteTexts("en"))
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 20<<20 {
		t.Errorf("reading allocated %d MB, want under 20 MB beyond the file", alloc>>20)
	}
	t.Logf("read in %v, allocated %d MB", took, (after.TotalAlloc-before.TotalAlloc)>>20)
}

// A long JSON answer keeps its errors, wherever they are.
func TestHARLargeJSONResponseKeepsErrors(t *testing.T) {
	big := `{"success":false,"data":"` + strings.Repeat("x", 200<<10) + `","errors":["Falha de comunicacao com o Motor de Credito."]}`
	e := harEntryJSON("POST", `"`+stagAPI+`/api/v2/propostas/pre-analise"`, `"2026-11-21T23:30:12Z"`, "",
		`{"status":500,"content":{"mimeType":"application/json","text":`+quoteJSON(big)+`}}`)
	h, err := ParseHAR("big.har", harDoc(e), partnerHost(t))
	if err != nil {
		t.Fatal(err)
	}
	r, err := h.Request(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ResponseBody) > harBodyCap || !strings.Contains(string(r.ResponseBody), "Motor de Credito") || !strings.Contains(string(r.ResponseBody), `"success":false`) {
		t.Errorf("response = %.200q", r.ResponseBody)
	}
}
