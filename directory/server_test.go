package directory

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// srvSHA is the SHA-256 of a made-up key text, for the HTTP tests' snapshot.
func srvSHA(text string) string {
	s := sha256.Sum256([]byte(text))
	return hex.EncodeToString(s[:])
}

// srvYAML is the snapshot behind the HTTP tests. Logins and partners include the
// characters a URL path cares about.
func srvYAML() string {
	return `users:
  - {login: alfa.maria, partner: Corban Alfa, active: true}
  - {login: "barra/login", partner: Corban Alfa, active: false}
  - {login: "..", partner: Promotora Sé, active: true}
  - {login: "espaço e ?#%", partner: Promotora Sé, active: true}
keys:
  - sha256: ` + srvSHA("key-a") + `
    partner: Corban Alfa
    environment: homologacao
    active: true
    users: [alfa.maria, barra/login]
  - sha256: ` + srvSHA("key-b") + `
    partner: Corban Alfa
    environment: producao
    active: false
    users: []
  - sha256: ` + srvSHA("key-c") + `
    partner: Promotora Sé
    environment: producao
    active: true
    users: [".."]
`
}

func srvIndex(t *testing.T) *Index {
	t.Helper()
	s, err := Parse("srv.yaml", []byte(srvYAML()))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	x, err := s.Index()
	if err != nil {
		t.Fatalf("Index: %v", err)
	}
	return x
}

func srvGet(t *testing.T, method, url, token string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestServerContract(t *testing.T) {
	ts := httptest.NewServer(NewServer(srvIndex(t), ""))
	defer ts.Close()

	tests := []struct {
		name   string
		method string
		path   string
		status int
		want   any // decoded JSON to compare, when not nil
	}{
		{"key hit", "GET", "/keys/" + srvSHA("key-a"), 200,
			Key{SHA256: srvSHA("key-a"), Partner: "Corban Alfa", Environment: "homologacao", Active: true, Users: []string{"alfa.maria", "barra/login"}}},
		{"key miss", "GET", "/keys/" + srvSHA("nope"), 404, nil},
		{"key malformed", "GET", "/keys/ABC", 400, nil},
		{"user hit", "GET", "/users/alfa.maria", 200, User{Login: "alfa.maria", Partner: "Corban Alfa", Active: true}},
		{"user with escaped slash", "GET", "/users/barra%2Flogin", 200, User{Login: "barra/login", Partner: "Corban Alfa"}},
		{"user dot-dot escaped", "GET", "/users/%2E%2E", 200, User{Login: "..", Partner: "Promotora Sé", Active: true}},
		{"user miss", "GET", "/users/ninguem", 404, nil},
		{"partner keys", "GET", "/partners/Promotora%20S%C3%A9/keys", 200,
			[]Key{{SHA256: srvSHA("key-c"), Partner: "Promotora Sé", Environment: "producao", Active: true, Users: []string{".."}}}},
		{"partner unknown is empty", "GET", "/partners/Nadie/keys", 200, []Key{}},
		{"unknown path", "GET", "/clients/x", 404, nil},
		{"root", "GET", "/", 404, nil},
		{"post", "POST", "/keys/" + srvSHA("key-a"), 405, nil},
		{"delete", "DELETE", "/users/alfa.maria", 405, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, body := srvGet(t, tt.method, ts.URL+tt.path, "")
			if status != tt.status {
				t.Fatalf("status %d, want %d (body %s)", status, tt.status, body)
			}
			if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			if tt.status == 405 && h.Get("Allow") != "GET" {
				t.Errorf("Allow %q", h.Get("Allow"))
			}
			if tt.want == nil {
				return
			}
			wantJSON, _ := json.Marshal(tt.want)
			var got, want any
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("body %q: %v", body, err)
			}
			json.Unmarshal(wantJSON, &want)
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			if string(g) != string(w) {
				t.Errorf("body %s, want %s", g, w)
			}
		})
	}
}

func TestServerBearer(t *testing.T) {
	const token = "s3cr3t-token"
	ts := httptest.NewServer(NewServer(srvIndex(t), token))
	defer ts.Close()
	url := ts.URL + "/users/alfa.maria"

	for _, tt := range []struct {
		name, auth string
		status     int
	}{
		{"none", "", 401},
		{"wrong", "Bearer nope", 401},
		{"prefix of the token", "Bearer s3cr3t", 401},
		{"basic", "Basic " + token, 401},
		{"right", "Bearer " + token, 200},
		{"right, lower-case scheme", "bearer " + token, 200},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", url, nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.status == 401 {
				if resp.Header.Get("WWW-Authenticate") == "" {
					t.Error("no WWW-Authenticate")
				}
				if strings.Contains(string(b), token) {
					t.Error("401 body echoes the token")
				}
			}
		})
	}
	// 401 comes before 405 and 404: nothing is told without the token.
	if status, _, _ := srvGet(t, "POST", ts.URL+"/nothing", ""); status != 401 {
		t.Errorf("POST without token: %d, want 401", status)
	}
}

func srvPost(t *testing.T, url, token, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestServerBulk(t *testing.T) {
	const token = "s3cr3t-token"
	ts := httptest.NewServer(NewServer(srvIndex(t), token))
	defer ts.Close()
	url := ts.URL + "/lookup"

	// Every item answered, found or null, under what was asked.
	status, h, body := srvPost(t, url, token, `{"keys":["`+srvSHA("key-a")+`","`+srvSHA("nope")+`"],"users":["barra/login","ninguém"],"partners":["Promotora Sé","Nobody"]}`)
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Fatalf("bulk: %d %s", status, body)
	}
	var ans struct {
		Keys     map[string]*Key  `json:"keys"`
		Users    map[string]*User `json:"users"`
		Partners map[string][]Key `json:"partners"`
	}
	if err := json.Unmarshal([]byte(body), &ans); err != nil {
		t.Fatalf("bulk answer %s: %v", body, err)
	}
	if k := ans.Keys[srvSHA("key-a")]; k == nil || k.Partner != "Corban Alfa" || len(k.Users) != 2 {
		t.Errorf("found key: %+v", k)
	}
	if k, ok := ans.Keys[srvSHA("nope")]; !ok || k != nil {
		t.Errorf("unknown key: %v %+v, want null", ok, k)
	}
	if u := ans.Users["barra/login"]; u == nil || u.Active {
		t.Errorf("found user: %+v", u)
	}
	if u, ok := ans.Users["ninguém"]; !ok || u != nil {
		t.Errorf("unknown user: %v %+v, want null", ok, u)
	}
	if ks := ans.Partners["Promotora Sé"]; len(ks) != 1 || ks[0].SHA256 != srvSHA("key-c") {
		t.Errorf("partner's keys: %+v", ks)
	}
	if ks, ok := ans.Partners["Nobody"]; !ok || ks == nil || len(ks) != 0 {
		t.Errorf("partner without keys: %v %+v, want []", ok, ks)
	}
	if !strings.Contains(body, `"Nobody":[]`) {
		t.Errorf("partner without keys is not []: %s", body)
	}

	many := make([]string, BulkMaxItems+1)
	for i := range many {
		many[i] = `"u` + strconv.Itoa(i) + `"`
	}
	for _, tt := range []struct {
		name, token, body string
		status            int
		want              string
	}{
		{"no token", "", `{"users":["alfa.maria"]}`, 401, "token"},
		{"empty", token, `{}`, 200, `{"keys":{},"users":{},"partners":{}}`},
		{"key not a SHA-256", token, `{"keys":["ABC"]}`, 400, "keys[0]"},
		{"empty login", token, `{"users":["a",""]}`, 400, "users[1]"},
		{"empty partner", token, `{"partners":[""]}`, 400, "partners[0]"},
		{"unknown field", token, `{"logins":["a"]}`, 400, "not a look-up"},
		{"not an object", token, `["a"]`, 400, "not a look-up"},
		{"two values", token, `{} {}`, 400, "more than one"},
		{"too many items", token, `{"users":[` + strings.Join(many, ",") + `]}`, 413, "at most 1000"},
		{"body too large", token, `{"users":["` + strings.Repeat("x", BulkMaxBody) + `"]}`, 413, "larger than"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := srvPost(t, url, tt.token, tt.body)
			if status != tt.status || !strings.Contains(body, tt.want) {
				t.Errorf("%d %s, want %d and %q", status, body, tt.status, tt.want)
			}
			if strings.Contains(body, token) {
				t.Error("the answer echoes the token")
			}
		})
	}
	// /lookup is POST only; the other endpoints stay GET only.
	if status, h, _ := srvGet(t, "GET", url, token); status != 405 || h.Get("Allow") != "POST" {
		t.Errorf("GET /lookup: %d, Allow %q", status, h.Get("Allow"))
	}
	if status, h, _ := srvPost(t, ts.URL+"/users/alfa.maria", token, `{}`); status != 405 || h.Get("Allow") != "GET" {
		t.Errorf("POST /users/...: %d, Allow %q", status, h.Get("Allow"))
	}
}
