// Package cleartext decides where a credential may travel over plain http: nowhere but the
// machine itself. The directory service's and the escalation intake's bearer tokens go over
// https; plain http is kept for a loopback address (tests, a reference server on the same
// machine), where nothing crosses a network.
package cleartext

import (
	"net"
	"net/url"
	"strings"
)

// IsLoopback reports whether host (a URL's Hostname: no port, no brackets) names this machine:
// localhost, 127.0.0.0/8 or ::1 (an IPv4-mapped 127.x address included).
func IsLoopback(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// TokenAllowed reports whether a bearer token may be sent to u: always over https, over plain
// http only to a loopback address, never over anything else.
func TokenAllowed(u *url.URL) bool {
	switch strings.ToLower(u.Scheme) {
	case "https":
		return true
	case "http":
		return IsLoopback(u.Hostname())
	}
	return false
}
