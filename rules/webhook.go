package rules

import (
	"net/netip"
	"net/url"
	"strings"
)

// Why a payload field fails a format of triagem's own. The diagnose package words each one in
// the user's language; none carries the value (payloads hold personal data).
const (
	DetailShape       = "unusual shape: the right digits, other separators"
	DetailCheckDigits = "check digits do not match"
	DetailLength      = "wrong number of digits"
	DetailCharacters  = "characters other than digits and separators"

	DetailNull         = "the text null instead of a URL"
	DetailNotURL       = "not an absolute http(s) URL"
	DetailNoHost       = "no host"
	DetailLocalhost    = "localhost: the machine itself"
	DetailLoopback     = "a loopback address"
	DetailPrivate      = "a private network address"
	DetailLinkLocal    = "a link-local address"
	DetailUnspecified  = "an unspecified address"
	DetailReservedAddr = "an address that is not public (multicast, reserved, shared or documentation range)"
	DetailLocalName    = "a name of a local network (.local, .internal, .lan, ...)"
	DetailSingleLabel  = "a name without a domain"
	DetailNumericName  = "a number that is not a well-formed IP address"
)

// localSuffixes are the names no public resolver answers: mDNS (.local), the names RFC 6761
// and RFC 8375 reserve, and the suffixes company networks use.
var localSuffixes = []string{"local", "internal", "localdomain", "lan", "home.arpa", "intranet", "corp", "test", "invalid"}

// notPublic are address ranges the API cannot call beyond what netip classifies: shared
// (carrier-grade NAT), "this network", reserved, benchmarking and documentation ranges.
var notPublic = func() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range []string{"0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15",
		"198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4", "2001:db8::/32", "100::/64"} {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	return ps
}()

// WebhookProblem says why s is not a URL the API can call back: an absolute http(s) URL whose
// host is a public name or address. "" when it is one. The name is not resolved: triagem
// judges what the partner wrote, offline.
func WebhookProblem(s string) string {
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "null") || strings.EqualFold(t, "undefined") || strings.EqualFold(t, "none") {
		return DetailNull
	}
	u, err := url.Parse(t)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Opaque != "" {
		return DetailNotURL
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return DetailNoHost
	}
	if addr, err := netip.ParseAddr(host); err == nil {
		return addressProblem(addr)
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return DetailLocalhost
	}
	labels := strings.Split(host, ".")
	if len(labels) == 1 {
		if isNumeric(host) {
			return DetailNumericName // 2130706433 or 0x7f000001: 127.0.0.1 to some resolvers
		}
		return DetailSingleLabel
	}
	if isNumeric(labels[len(labels)-1]) {
		return DetailNumericName // 127.1, 10.0.5: no top-level domain is a number
	}
	for _, suf := range localSuffixes {
		if host == suf || strings.HasSuffix(host, "."+suf) {
			return DetailLocalName
		}
	}
	return ""
}

func addressProblem(a netip.Addr) string {
	a = a.Unmap() // ::ffff:10.0.0.5 is 10.0.0.5
	switch {
	case a.IsUnspecified():
		return DetailUnspecified
	case a.IsLoopback():
		return DetailLoopback
	case a.IsPrivate():
		return DetailPrivate
	case a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast():
		return DetailLinkLocal
	case a.IsMulticast() || a.IsInterfaceLocalMulticast() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return DetailReservedAddr
	}
	for _, p := range notPublic {
		if p.Contains(a) {
			return DetailReservedAddr
		}
	}
	return ""
}

// isNumeric: digits, or a 0x hex number, the way inet_aton reads a label.
func isNumeric(s string) bool {
	if s == "" {
		return false
	}
	if h, ok := strings.CutPrefix(s, "0x"); ok && h != "" {
		s = h
		for i := 0; i < len(s); i++ {
			if !isHexDigit(s[i]) {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
