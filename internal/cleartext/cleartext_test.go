package cleartext

import (
	"net/url"
	"testing"
)

func TestTokenAllowed(t *testing.T) {
	for _, tt := range []struct {
		url  string
		want bool
	}{
		{"https://dir.example/v1", true},
		{"https://10.0.0.7:8089", true},
		{"http://127.0.0.1:8089/", true},
		{"http://127.8.9.10/", true},
		{"http://[::1]:8089/", true},
		{"http://localhost:8089/", true},
		{"http://LOCALHOST./", true},
		{"http://dir.example/", false},
		{"http://10.0.0.7:8089/", false},
		{"http://192.168.0.10/", false},
		{"http://[::2]/", false},
		{"http://localhost.example.com/", false},
		{"http://127.0.0.1.nip.io/", false},
		{"http://0.0.0.0:8089/", false},
		{"ftp://127.0.0.1/", false},
	} {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := TokenAllowed(u); got != tt.want {
			t.Errorf("TokenAllowed(%s) = %v, want %v", tt.url, got, tt.want)
		}
	}
}
