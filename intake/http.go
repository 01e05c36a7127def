package intake

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// ParseHTTP reads a raw HTTP/1.1 request dump (request line, headers, blank line, body) with
// net/http.ReadRequest and rebuilds the absolute URL from the Host header (https, unless the
// request line already carries an absolute URL). It takes dumps as people paste them:
// LF-only line endings, leading blank or comment lines ("#", "//", as in .http files), an
// HTTP/2 or version-less request line, a body whose length disagrees with Content-Length
// (what is there is taken, and noted), and a body without Content-Length (read to the end).
// Lines that copy an HTTP/2 request's pseudo-headers (:method, :path, :authority) stand in
// for a missing request line.
//
// Its errors are *diagnose.InputError values that name the file and line; they never quote
// the request line, headers or body.
func ParseHTTP(name string, data []byte) (*Request, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, rawErr(name, "empty file: no request line")
	}
	lines, body, hasBody := rawSplit(data)
	if len(lines) == 0 {
		return nil, rawErr(name, "no request line: only comments")
	}
	for _, l := range lines {
		if !rawIsText(l.text) {
			return nil, rawErr(rawPlace(name, l.no), "not an HTTP request: binary content")
		}
	}

	r := &Request{Source: name}
	first := lines[0]
	reqLine, headers := "", lines[1:]
	var pseudo map[string]string
	if strings.HasPrefix(first.text, ":") {
		// An HTTP/2 request's headers as browsers copy them: no request line.
		pseudo = map[string]string{}
		headers = lines
	} else {
		var n *Note
		var err error
		reqLine, n, err = rawRequestLine(name, first)
		if err != nil {
			return nil, err
		}
		if n != nil {
			r.Notes = append(r.Notes, *n)
		}
	}

	// Check and gather the header lines, so that ReadRequest meets only well-formed ones
	// and errors can name their line.
	var head []string
	var hostLine, clLine int
	var contentLengths []string
	var transferEncoding []string
	for i := 0; i < len(headers); i++ {
		l := headers[i]
		text := l.text
		if text[0] == ' ' || text[0] == '\t' {
			if len(head) == 0 {
				return nil, rawErr(rawPlace(name, l.no), "malformed header line: it starts with a space")
			}
			head[len(head)-1] += " " + strings.TrimSpace(text) // an obsolete folded line
			continue
		}
		if strings.HasPrefix(text, ":") {
			k, v, ok := strings.Cut(text[1:], ":")
			if !ok || pseudo == nil && !rawIsToken(k) {
				return nil, rawErr(rawPlace(name, l.no), "malformed header line (want Name: value)")
			}
			if pseudo != nil {
				pseudo[strings.ToLower(k)] = strings.TrimSpace(v)
			}
			continue // pseudo-headers are never real headers
		}
		k, v, ok := strings.Cut(text, ":")
		k = strings.TrimRight(k, " \t")
		if !ok || !rawIsToken(k) {
			if t := strings.TrimSpace(text); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
				return nil, rawErr(rawPlace(name, l.no), "malformed header line: the body must follow a blank line after the headers")
			}
			return nil, rawErr(rawPlace(name, l.no), "malformed header line (want Name: value)")
		}
		v = strings.TrimSpace(v)
		switch http.CanonicalHeaderKey(k) {
		case "Host":
			if hostLine != 0 {
				return nil, rawErr(rawPlace(name, l.no), "a second Host header")
			}
			hostLine = l.no
		case "Content-Length":
			clLine = l.no
			contentLengths = append(contentLengths, v)
		case "Transfer-Encoding":
			transferEncoding = append(transferEncoding, v)
			continue // read by hand below: ReadRequest refuses codings it does not know
		}
		head = append(head, k+": "+v)
	}

	if pseudo != nil {
		method, path := pseudo["method"], pseudo["path"]
		if method == "" || path == "" {
			return nil, rawErr(rawPlace(name, first.no), "no request line: the dump starts with HTTP/2 pseudo-headers without :method and :path (want METHOD /path HTTP/1.1 first)")
		}
		if auth := pseudo["authority"]; auth != "" && hostLine == 0 {
			head = append(head, "Host: "+auth)
			hostLine = first.no
		}
		target := path
		if strings.EqualFold(pseudo["scheme"], "http") && strings.HasPrefix(path, "/") && pseudo["authority"] != "" {
			target = "http://" + pseudo["authority"] + path
		}
		var err error
		reqLine, _, err = rawRequestLine(name, rawLine{no: first.no, text: method + " " + target + " HTTP/1.1"})
		if err != nil {
			return nil, err
		}
		r.Notes = append(r.Notes, note("http.h2-line"))
	}

	n := int64(-1)
	for _, v := range contentLengths {
		for _, part := range strings.Split(v, ",") {
			m, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
			if err != nil || m < 0 {
				return nil, rawErr(rawPlace(name, clLine), "Content-Length is not a number of bytes")
			}
			if n >= 0 && m != n {
				return nil, rawErr(rawPlace(name, clLine), "Content-Length headers disagree")
			}
			n = m
		}
	}

	text := reqLine + "\r\n" + strings.Join(head, "\r\n")
	if len(head) > 0 {
		text += "\r\n"
	}
	text += "\r\n"
	req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(text)))
	if err != nil {
		return nil, rawErr(rawPlace(name, first.no), "cannot read the request: %s", rawSafeErr(err))
	}

	r.Method = req.Method
	r.Headers = map[string]string{}
	for k, vs := range req.Header {
		sep := ", "
		if k == "Cookie" {
			sep = "; "
		}
		r.Headers[k] = strings.Join(vs, sep)
	}
	hostHeader, hasHost := rawHeaderIn(head, "Host")
	if hasHost {
		r.Headers["Host"] = hostHeader // ReadRequest moves it to req.Host
	}
	if len(transferEncoding) > 0 {
		r.Headers["Transfer-Encoding"] = strings.Join(transferEncoding, ", ")
	}
	if _, ok := rawHeaderIn(head, "Cache-Control"); !ok {
		delete(r.Headers, "Cache-Control") // ReadRequest adds it after a Pragma: no-cache
	}
	if len(r.Headers) == 0 {
		r.Headers = nil
	}

	u, notes, err := rawURL(name, req, hostHeader, hostLine)
	if err != nil {
		return nil, err
	}
	r.URL = u
	r.Notes = append(r.Notes, notes...)

	if hasBody {
		b, notes := rawBody(body, n, transferEncoding)
		r.Body, r.HasBody = b, len(b) > 0
		r.Notes = append(r.Notes, notes...)
	} else if n > 0 {
		r.Notes = append(r.Notes, note("http.no-body", n))
	}
	return r, nil
}

type rawLine struct {
	no   int // 1-based line number in the file
	text string
}

// rawSplit cuts the dump into its head's lines (leading blank and comment lines left out,
// line endings removed) and its body (everything after the first blank line, untouched).
func rawSplit(data []byte) (lines []rawLine, body []byte, hasBody bool) {
	no := 0
	for pos := 0; pos < len(data); {
		end := bytes.IndexByte(data[pos:], '\n')
		next := len(data)
		if end >= 0 {
			end += pos
			next = end + 1
		} else {
			end = len(data)
		}
		l := strings.TrimSuffix(string(data[pos:end]), "\r")
		no++
		pos = next
		if len(lines) == 0 {
			t := strings.TrimSpace(l)
			if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") {
				continue
			}
			l = strings.TrimLeft(l, " \t")
		} else if strings.TrimSpace(l) == "" {
			return lines, data[pos:], true
		}
		lines = append(lines, rawLine{no: no, text: l})
	}
	return lines, nil, false
}

var rawVersionRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^HTTP/[0-9](\.[0-9])?$`) })

// rawRequestLine checks the request line and returns it as ReadRequest wants it (HTTP/1.x).
func rawRequestLine(name string, l rawLine) (string, *Note, error) {
	place := rawPlace(name, l.no)
	t := strings.TrimSpace(l.text)
	lower := strings.ToLower(t)
	switch {
	case lower == "curl" || strings.HasPrefix(lower, "curl "):
		return "", nil, rawErr(place, "no request line: this is a curl command, not a raw HTTP request")
	case strings.HasPrefix(t, "HTTP/"):
		return "", nil, rawErr(place, "no request line: the dump starts with a response's status line")
	case strings.HasPrefix(t, "{") || strings.HasPrefix(t, "["):
		return "", nil, rawErr(place, "no request line: the dump starts with JSON (want METHOD /path HTTP/1.1 first)")
	}
	if k, _, ok := strings.Cut(t, ":"); ok && rawIsToken(k) {
		return "", nil, rawErr(place, "no request line: the dump starts with a header (want METHOD /path HTTP/1.1 first)")
	}
	f := strings.Fields(t)
	malformed := rawErr(place, "malformed request line (want METHOD /path HTTP/1.1)")
	if len(f) < 2 || len(f) > 3 || !rawIsToken(f[0]) {
		return "", nil, malformed
	}
	var vnote *Note
	switch {
	case len(f) == 2:
		n := note("http.no-version")
		vnote = &n
	case f[2] == "HTTP/1.1" || f[2] == "HTTP/1.0":
	case rawVersionRE().MatchString(strings.ToUpper(f[2])):
		n := note("http.version", strings.ToUpper(f[2]))
		vnote = &n
	default:
		return "", nil, malformed
	}
	target := f[1]
	switch {
	case target == "*":
	case strings.HasPrefix(target, "/"):
		if _, err := url.ParseRequestURI(target); err != nil {
			return "", nil, rawErr(place, "malformed request line: the path is not a valid URL path")
		}
	case rawHasScheme(target):
		u, err := url.ParseRequestURI(target)
		if err != nil || u.Hostname() == "" {
			return "", nil, rawErr(place, "malformed request line: the URL is not valid")
		}
	default:
		return "", nil, malformed
	}
	proto := "HTTP/1.1"
	if len(f) == 3 && f[2] == "HTTP/1.0" {
		proto = f[2]
	}
	return f[0] + " " + target + " " + proto, vnote, nil
}

// rawURL rebuilds the absolute URL: the request line's when it has one, https with the Host
// header's otherwise.
func rawURL(name string, req *http.Request, host string, hostLine int) (string, []Note, error) {
	var notes []Note
	target := req.RequestURI
	if rawHasScheme(target) {
		if host != "" && !strings.EqualFold(host, req.URL.Host) {
			notes = append(notes, note("http.host-differs"))
		}
		return target, notes, nil
	}
	place := rawPlace(name, hostLine)
	if host == "" {
		if hostLine != 0 {
			return "", nil, rawErr(place, "the Host header is empty: cannot rebuild the URL")
		}
		return "", nil, rawErr(name, "no Host header: cannot rebuild the URL (add a Host: line, or put the whole URL on the request line)")
	}
	scheme := "https"
	if rawHasScheme(host) { // "Host: https://api..." as people sometimes write it
		hu, err := url.Parse(host)
		if err != nil || hu.Host == "" {
			return "", nil, rawErr(place, "the Host header is not a host name")
		}
		scheme, host = strings.ToLower(hu.Scheme), hu.Host
		notes = append(notes, note("http.host-url"))
	}
	if target == "*" {
		target = ""
	}
	u, err := url.Parse(scheme + "://" + host + target)
	if err != nil || u.Host != host || u.Hostname() == "" || strings.ContainsAny(host, "/?#@ ") {
		return "", nil, rawErr(place, "the Host header is not a host name")
	}
	return scheme + "://" + host + target, notes, nil
}

// rawBody takes the body as it is in the dump, measured against Content-Length (n, -1 when
// absent), and decodes a chunked body.
func rawBody(body []byte, n int64, te []string) ([]byte, []Note) {
	var notes []Note
	if len(te) > 0 {
		codings := strings.ToLower(strings.Join(te, ","))
		if strings.TrimSpace(codings) == "chunked" {
			if b, err := io.ReadAll(httputil.NewChunkedReader(bytes.NewReader(body))); err == nil {
				return b, []Note{note("http.chunked")}
			}
			notes = append(notes, note("http.chunked-bad"))
		} else {
			notes = append(notes, note("http.te-other"))
		}
		return bytes.TrimRight(body, "\r\n"), notes
	}
	switch {
	case n < 0:
		body = bytes.TrimRight(body, "\r\n") // the paste's own final newline
		if len(body) > 0 {
			notes = append(notes, note("http.no-length"))
		}
	case int64(len(body)) == n:
	case int64(len(body)) > n && len(bytes.TrimSpace(body[n:])) == 0:
		body = body[:n] // the paste's own final newline
	default:
		body = bytes.TrimRight(body, "\r\n")
		if int64(len(body)) != n {
			id := "http.length"
			if int64(len(body)) < n && bytes.IndexByte(body, '\n') >= 0 && bytes.IndexByte(body, '\r') < 0 {
				id = "http.length-eol"
			}
			notes = append(notes, note(id, len(body), n))
		}
	}
	return body, notes
}

func rawHeaderIn(head []string, name string) (string, bool) {
	for _, h := range head {
		k, v, _ := strings.Cut(h, ":")
		if strings.EqualFold(k, name) {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

func rawHasScheme(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// rawIsText rejects binary junk in the head: control characters other than tab.
func rawIsText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

func rawIsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// rawSafeErr keeps the kind of a net/http error and drops what it quotes.
func rawSafeErr(err error) string {
	s := strings.TrimPrefix(err.Error(), "net/textproto: ")
	if i := strings.IndexAny(s, "\":"); i >= 0 {
		s = s[:i]
	}
	if s = strings.TrimSpace(s); s == "" {
		return "malformed request"
	}
	return s
}

func rawPlace(name string, line int) string {
	if line <= 0 {
		return name
	}
	return name + ":" + strconv.Itoa(line)
}

func rawErr(place, format string, args ...any) error {
	return placedErrf(place, format, args...)
}
