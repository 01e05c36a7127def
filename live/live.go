// Package live talks to the live partner API; it is the only package that sends requests to
// it. Replay re-sends a case's request to the environment it targets (never to production
// unless told, never to a host that is not the partner API's, never following a redirect to
// another host); CheckLogin tries a login and says why it failed.
//
// Nothing here retries: a replayed POST may create a proposal, so each request goes once.
// Errors, notes and recorded headers never hold the password, the token nor the API key.
package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/crefazon/triagem/internal/quiet"

	"github.com/crefazon/triagem/internal/sensitive"
)

// Defaults and limits.
const (
	DefaultTimeout = 30 * time.Second
	DefaultMaxBody = 1 << 20  // bytes of an answer kept
	HardBodyCap    = 64 << 20 // bytes of an answer read at most; the rest is cut
	// ProductionEnv is the rules' environment that Replay refuses unless allowed.
	ProductionEnv = "producao"
	userAgent     = "triagem"
	masked        = "***"
)

// RefusedError says a request was not sent: the target is production (and that was not
// allowed), or not the partner API at all, or not a URL one can send to.
type RefusedError struct {
	URL    string // redacted: no query values, no user info
	Host   string
	Env    string // the rules' environment of the host, when it has one
	Reason string
	Motivo string // the same, in Portuguese
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("refused to send to %s: %s", e.URL, e.Reason)
}

// Text is the refusal in lang ("en", or Portuguese for anything else).
func (e *RefusedError) Text(lang string) string {
	if lang == "en" || e.Motivo == "" {
		return e.Error()
	}
	return fmt.Sprintf("envio para %s recusado: %s", e.URL, e.Motivo)
}

// TransportError says no answer came: timeout, connection refused, reset...
type TransportError struct {
	URL     string // redacted
	Timeout bool
	Msg     string // scrubbed of secrets
}

func (e *TransportError) Error() string {
	what := "no answer"
	if e.Timeout {
		what = "timed out"
	}
	return fmt.Sprintf("%s from %s: %s", what, e.URL, e.Msg)
}

// Text is the error in lang. The network library's own words (Msg) stay in the English
// text; the Portuguese one says what to look at.
func (e *TransportError) Text(lang string) string {
	switch {
	case lang == "en":
		return e.Error()
	case e.Timeout:
		return fmt.Sprintf("sem resposta de %s: o tempo de espera se esgotou (aumente --timeout, ou confira se a API está no ar)", e.URL)
	}
	return fmt.Sprintf("sem resposta de %s: a conexão falhou (confira a rede, o host e a porta; o detalhe aparece com --lang en)", e.URL)
}

// secrets masks known secret strings wherever they appear.
type secrets struct{ list []string }

func (s *secrets) add(v ...string) {
	for _, x := range v {
		x = strings.TrimSpace(x)
		if len(x) < 3 { // masking 1-2 characters would garble every text and hide nothing
			continue
		}
		s.list = append(s.list, x)
		if tok, ok := cutBearer(x); ok && len(tok) >= 3 {
			s.list = append(s.list, tok)
		}
	}
	// longest first, so that a token inside "Bearer <token>" goes whole
	sort.Slice(s.list, func(i, j int) bool { return len(s.list[i]) > len(s.list[j]) })
}

func (s *secrets) scrub(text string) string {
	for _, x := range s.list {
		text = strings.ReplaceAll(text, x, masked)
	}
	return text
}

func (s *secrets) scrubBytes(b []byte) ([]byte, bool) {
	changed := false
	for _, x := range s.list {
		if bytes.Contains(b, []byte(x)) {
			b = bytes.ReplaceAll(b, []byte(x), []byte(masked))
			changed = true
		}
	}
	return b, changed
}

func cutBearer(v string) (string, bool) {
	if len(v) > 7 && strings.EqualFold(v[:7], "bearer ") {
		return strings.TrimSpace(v[7:]), true
	}
	return "", false
}

// maskHeaders flattens headers; only the rules' harmless headers keep their value (the
// program's one definition of sensitive, internal/sensitive: deny by default).
func maskHeaders(h http.Header, pol *sensitive.Policy) map[string]string {
	out := make(map[string]string, len(h))
	for k, vs := range h {
		if pol.SecretHeader(k) {
			out[k] = masked
			continue
		}
		out[k] = strings.Join(vs, ", ")
	}
	return out
}

// sameOrigin tells whether two URLs reach the same server: scheme, host and port.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(hostPort(a), hostPort(b))
}

func hostPort(u *url.URL) string {
	p := u.Port()
	if p == "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			p = "443"
		case "http":
			p = "80"
		}
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), p)
}

// exchange is one request and its (capped) answer.
type exchange struct {
	status    int
	header    http.Header
	body      []byte
	truncated bool
	cut       bool // stopped reading at the hard cap
	bodyBytes int64
	took      time.Duration
	finalURL  *url.URL
	notes     []note
}

type sendSpec struct {
	method  string
	target  *url.URL
	headers http.Header
	body    []byte
	timeout time.Duration
	maxBody int64
	hardCap int64
	client  *http.Client
	sec     *secrets
}

// send makes one request with resty: no retry, no redirect to another origin, at most one
// redirect to the same origin, the answer read up to the caps.
func send(ctx context.Context, sp sendSpec) (*exchange, error) {
	hc := &http.Client{}
	if sp.client != nil {
		c := *sp.client // copied, never modified
		hc = &c
	}
	ex := &exchange{}
	shown := quiet.URL(sp.target)
	c := resty.NewWithClient(hc).
		SetLogger(quiet.Logger{}).
		SetDisableWarn(true).
		SetTimeout(sp.timeout).
		SetRetryCount(0).
		SetRedirectPolicy(resty.RedirectPolicyFunc(func(req *http.Request, via []*http.Request) error {
			if !sameOrigin(req.URL, via[0].URL) {
				ex.notes = append(ex.notes, noteL("o servidor redirecionou para outro host (%s); o redirecionamento não foi seguido: a resposta gravada é o próprio redirecionamento",
					"the server redirected to another host (%s); not followed: the answer recorded is the redirect itself",
					quiet.URL(&url.URL{Scheme: req.URL.Scheme, Host: req.URL.Host, Path: req.URL.Path})))
				return http.ErrUseLastResponse
			}
			if len(via) > 1 {
				ex.notes = append(ex.notes, noteL("o servidor redirecionou uma segunda vez; não foi seguido: a resposta gravada é esse redirecionamento", "the server redirected a second time; not followed: the answer recorded is that redirect"))
				return http.ErrUseLastResponse
			}
			ex.notes = append(ex.notes, noteL("um redirecionamento no mesmo host foi seguido, para %s %s", "followed one redirect on the same host, to %s %s", req.Method, quiet.URL(req.URL)))
			return nil
		}))

	if ctx == nil {
		ctx = context.Background()
	}
	req := c.R().SetContext(ctx).SetDoNotParseResponse(true)
	for k, vs := range sp.headers {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", userAgent)
	}
	if len(sp.body) > 0 {
		req.SetBody(sp.body)
	}
	start := time.Now()
	resp, err := req.Execute(sp.method, sp.target.String())
	if err != nil || resp == nil || resp.RawResponse == nil {
		ex.took = time.Since(start)
		if err == nil {
			err = errors.New("no response")
		}
		return ex, transportErr(ctx, shown, err, sp.sec)
	}
	raw := resp.RawResponse
	ex.status = raw.StatusCode
	ex.header = raw.Header.Clone()
	if raw.Request != nil {
		ex.finalURL = raw.Request.URL
	}
	ex.body, ex.bodyBytes, ex.truncated, ex.cut, err = readCapped(raw.Body, raw.ContentLength, sp.maxBody, sp.hardCap)
	ex.took = time.Since(start)
	if ex.cut {
		ex.notes = append(ex.notes, noteL("a resposta passava de %d bytes: a leitura parou ali, e o resto foi cortado", "the answer was longer than %d bytes: reading stopped there, the rest was cut", sp.hardCap))
	}
	if err != nil {
		ex.notes = append(ex.notes, note{en: "reading the answer failed after " + fmt.Sprint(ex.bodyBytes) + " bytes: " + sp.sec.scrub(errText(err, shown)),
			pt: fmt.Sprintf("a leitura da resposta falhou depois de %d bytes: a conexão caiu ou o servidor parou de enviar", ex.bodyBytes)})
	}
	return ex, nil
}

func transportErr(ctx context.Context, shown string, err error, sec *secrets) error {
	te := &TransportError{URL: shown, Msg: sec.scrub(errText(err, shown))}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		te.Timeout = true
	}
	if ctx.Err() != nil && !te.Timeout {
		return fmt.Errorf("%s: %w", te.Error(), ctx.Err())
	}
	return te
}

// errText is an error's text with the URL shown redacted (url.Error repeats the raw URL).
func errText(err error, shown string) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Sprintf("%s %s: %v", ue.Op, shown, ue.Err)
	}
	return err.Error()
}

// readCapped keeps up to keep bytes, reads and discards the rest up to hardCap bytes in all,
// and closes the body. n counts the bytes read. size is the announced length (-1: unknown):
// the kept bytes are allocated once when it is known, else grown by doubling up to keep.
func readCapped(rc io.ReadCloser, size, keep, hardCap int64) (body []byte, n int64, truncated, cut bool, err error) {
	if rc == nil {
		return nil, 0, false, false, nil
	}
	defer rc.Close()
	keep = min(keep, hardCap)
	initial := min(keep, 32<<10)
	if size >= 0 {
		initial = min(keep, size+1) // +1: sees EOF without growing
	}
	buf := make([]byte, 0, max(initial, 1))
	for int64(len(buf)) < keep {
		if len(buf) == cap(buf) {
			nb := make([]byte, len(buf), min(int64(cap(buf))*2, keep))
			copy(nb, buf)
			buf = nb
		}
		var m int
		m, err = rc.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err != nil {
			break
		}
	}
	n = int64(len(buf))
	if err == io.EOF {
		return buf, n, false, false, nil
	}
	if err != nil {
		return buf, n, false, false, err
	}
	d, err := io.Copy(io.Discard, io.LimitReader(rc, hardCap-keep+1))
	n += d
	if n > hardCap {
		n = hardCap
		cut = true
	}
	return buf, n, n > keep || cut, cut, err
}

// envelope is the API's answer shape.
type envelope struct {
	Success *bool           `json:"success"`
	Data    json.RawMessage `json:"data"`
	Errors  json.RawMessage `json:"errors"`
}

// apiErrors reads the API's error texts: the envelope's errors (strings or objects with a
// message), or a lone message field.
func apiErrors(body []byte) []string {
	var env map[string]json.RawMessage
	if json.Unmarshal(body, &env) != nil {
		return nil
	}
	var out []string
	for _, key := range []string{"errors", "erros", "message", "mensagem", "Message"} {
		raw, ok := env[key]
		if !ok {
			continue
		}
		out = append(out, textsOf(raw)...)
	}
	return out
}

func textsOf(raw json.RawMessage) []string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s = strings.TrimSpace(s); s != "" {
			return []string{s}
		}
		return nil
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		var out []string
		for _, e := range list {
			out = append(out, textsOf(e)...)
		}
		return out
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		for _, k := range []string{"message", "mensagem", "Message", "erro", "error"} {
			if v, ok := obj[k]; ok {
				return textsOf(v)
			}
		}
	}
	return nil
}

// lookup walks a JSON document by keys (matched without case) and returns the value found.
func lookup(body []byte, path ...string) (any, bool) {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil, false
	}
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		found := false
		for mk, mv := range m {
			if strings.EqualFold(mk, k) {
				v, found = mv, true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	return v, true
}

func lookupString(body []byte, path ...string) string {
	v, ok := lookup(body, path...)
	if !ok || v == nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

func is2xx(status int) bool { return status >= 200 && status < 300 }
