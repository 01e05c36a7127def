package evidence

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

func b64JSON(v string) string { return base64.RawURLEncoding.EncodeToString([]byte(v)) }

// A draft's token keeps what the chain judges (alg, times, the login) and loses its signature
// and any personal claim; what is not a JWT is not turned into one.
func TestDraftToken(t *testing.T) {
	header := b64JSON(`{"alg":"HS256","typ":"JWT"}`)
	for _, tc := range []struct {
		name, claims string
		keep, drop   []string
	}{
		{"plain API token: segment kept as is", `{"exp":1795045200,"iat":1795002000,"unique_name":"alfa.maria"}`,
			[]string{`"exp":1795045200`, `"iat":1795002000`, `"unique_name":"alfa.maria"`}, nil},
		{"personal claims masked, order kept", `{"exp":1795045200,"name":"Maria das Dores","cpf":"529.982.247-25","email":"maria.dores@example.com.br","iat":1795002000}`,
			[]string{`{"exp":1795045200,"name":`, `"iat":1795002000}`}, []string{"Maria das Dores", "529.982.247-25", "maria.dores@"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			claims := b64JSON(tc.claims)
			raw := header + "." + claims + ".c2lnbmF0dXJlLWRvLXRva2Vu"
			got, ok := testRedactor(t).DraftToken(raw)
			if !ok {
				t.Fatal("a JWT was not drafted")
			}
			parts := strings.Split(got, ".")
			if len(parts) != 3 || parts[2] != "" || parts[0] != header {
				t.Fatalf("draft token %q: want header.claims. with the header as it came", got)
			}
			if tc.drop == nil && parts[1] != claims {
				t.Errorf("claims re-encoded with nothing to mask: %q", parts[1])
			}
			b, err := base64.RawURLEncoding.DecodeString(parts[1])
			if err != nil || !json.Valid(b) {
				t.Fatalf("claims are not base64url JSON: %q %v", parts[1], err)
			}
			for _, k := range tc.keep {
				if !strings.Contains(string(b), k) {
					t.Errorf("claims %s lost %s", b, k)
				}
			}
			for _, d := range tc.drop {
				if strings.Contains(string(b), d) {
					t.Errorf("claims %s keep %s in clear", b, d)
				}
			}
		})
	}
	for _, raw := range []string{"opaque-token-0123456789", header + ".bm90LWpzb24.c2ln", "a.b"} {
		if got, ok := testRedactor(t).DraftToken(raw); ok {
			t.Errorf("%q drafted as %q; want it left to its mask", raw, got)
		}
	}
}

// Scan accepts a draft's key digest and unsigned token where the draft writes them, and only
// there: the same values elsewhere, or a signed token, are still findings.
func TestScanDraftForms(t *testing.T) {
	unsigned := b64JSON(`{"alg":"HS256","typ":"JWT"}`) + "." + b64JSON(`{"exp":1795045200}`) + "."
	digest := "254097ef3e1c11bf8713fe55eff466228b2ef20906a61fe6d49b817376350f6e"
	for _, tc := range []struct {
		name, yaml string
		clean      bool
	}{
		{"the draft's forms", "credentials:\n  user: alfa.maria\n  token: " + unsigned + "\n  api_key_sha256: " + digest + "\n", true},
		{"a signed token", "credentials:\n  token: " + unsigned + "c2lnbmF0dXJlLWRvLXRva2Vu\n", false},
		{"an unsigned token in a header", "request:\n  headers:\n    X-Access-Token: " + unsigned + "\n", false},
		{"a digest under api_key", "credentials:\n  api_key: " + digest + "\n", false},
		{"a key under api_key_sha256", "credentials:\n  api_key_sha256: hml-alfa-4b9e2c7a1d83f605\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Scan(defaultRedaction(t), "draft.yaml", []byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if clean := len(f) == 0; clean != tc.clean {
				t.Errorf("findings %v, want clean=%v", f, tc.clean)
			}
		})
	}
}
