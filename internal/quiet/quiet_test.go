package quiet

import (
	"net/url"
	"testing"
)

func TestURLHidesSecrets(t *testing.T) {
	u, _ := url.Parse("https://maria:s3nh4@intake.example/hook?token=abc123&b=2#frag")
	got := URL(u)
	if want := "https://intake.example/hook?b=***&token=***"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
	u, _ = url.Parse("http://127.0.0.1:8089/keys")
	if got := URL(u); got != "http://127.0.0.1:8089/keys" {
		t.Errorf("a plain URL changed: %q", got)
	}
}
