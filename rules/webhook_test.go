package rules_test

import (
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/crefazon/triagem/rules"
)

func TestWebhookProblem(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want string
	}{
		{"https://parceiro.example.com.br/webhooks/crefazon", ""},
		{"http://hooks.parceiro.com.br:8080/x?token=1", ""},
		{"https://8.8.8.8/wh", ""},
		{"https://[2001:4860:4860::8888]/wh", ""},
		{"HTTPS://Parceiro.COM.br./wh", ""},
		{"null", rules.DetailNull},
		{" NULL ", rules.DetailNull},
		{"/webhooks/crefazon", rules.DetailNotURL},
		{"ftp://parceiro.com.br/x", rules.DetailNotURL},
		{"parceiro.com.br/x", rules.DetailNotURL},
		{"https:parceiro.com.br", rules.DetailNotURL},
		{"http://", rules.DetailNoHost},
		{"http://localhost/wh", rules.DetailLocalhost},
		{"http://LOCALHOST.:3000/wh", rules.DetailLocalhost},
		{"http://api.localhost/wh", rules.DetailLocalhost},
		{"http://127.0.0.1:8080/wh", rules.DetailLoopback},
		{"http://127.9.9.9/wh", rules.DetailLoopback},
		{"http://[::1]/wh", rules.DetailLoopback},
		{"http://10.0.0.5/wh", rules.DetailPrivate},
		{"http://172.16.0.1/wh", rules.DetailPrivate},
		{"http://172.31.255.255/wh", rules.DetailPrivate},
		{"http://192.168.0.10/wh", rules.DetailPrivate},
		{"http://[fd12:3456::1]/wh", rules.DetailPrivate},
		{"http://[::ffff:10.0.0.5]/wh", rules.DetailPrivate},
		{"http://169.254.169.254/latest", rules.DetailLinkLocal},
		{"http://[fe80::1]/wh", rules.DetailLinkLocal},
		{"http://0.0.0.0:8080/wh", rules.DetailUnspecified},
		{"http://[::]/wh", rules.DetailUnspecified},
		{"http://100.64.0.1/wh", rules.DetailReservedAddr},
		{"http://239.1.2.3/wh", rules.DetailReservedAddr},
		{"http://203.0.113.7/wh", rules.DetailReservedAddr},
		{"http://printer.local/wh", rules.DetailLocalName},
		{"http://hooks.corp.internal/wh", rules.DetailLocalName},
		{"http://srv.home.arpa/wh", rules.DetailLocalName},
		{"http://webhook/wh", rules.DetailSingleLabel},
		{"http://2130706433/wh", rules.DetailNumericName},
		{"http://127.1/wh", rules.DetailNumericName},
		{"http://0x7f.0x1/wh", rules.DetailNumericName},
		{"http://172.15.0.1/wh", ""}, // just outside 172.16/12
		{"http://172.32.0.1/wh", ""},
	} {
		if got := rules.WebhookProblem(tc.url); got != tc.want {
			t.Errorf("WebhookProblem(%q) = %q, want %q", tc.url, got, tc.want)
		}
	}
}

func FuzzWebhookProblem(f *testing.F) {
	for _, s := range []string{"https://parceiro.com.br/wh", "http://[::1]/", "null", "http://10.0.0.1", "http://a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if rules.WebhookProblem(s) != "" {
			return
		}
		// accepted: an absolute http(s) URL with a dotted host that is not a local name
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Hostname(), ".") && !strings.Contains(u.Hostname(), ":") {
			t.Fatalf("WebhookProblem accepted %q", s)
		}
		h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
		if h == "localhost" || strings.HasSuffix(h, ".local") {
			t.Fatalf("WebhookProblem accepted the local %q", s)
		}
		if a, err := netip.ParseAddr(h); err == nil && (!a.Unmap().IsGlobalUnicast() || a.Unmap().IsPrivate()) {
			t.Fatalf("WebhookProblem accepted the address %q", s)
		}
	})
}
