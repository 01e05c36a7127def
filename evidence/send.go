package evidence

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/crefazon/triagem/internal/cleartext"
	"github.com/crefazon/triagem/internal/quiet"
)

// Defaults of SendOptions, and the cap on the response body kept.
const (
	DefaultSendTimeout  = 30 * time.Second
	DefaultSendAttempts = 4
	DefaultBaseBackoff  = time.Second
	DefaultMaxBackoff   = 30 * time.Second
	DefaultUserAgent    = "triagem"
	MaxResponseBody     = 64 << 10
)

// SendOptions says where and how an escalation bundle is delivered.
type SendOptions struct {
	URL         string        // http(s) target; credentials in it are refused (the token goes in Token)
	Token       string        // bearer token (already read from the environment by the caller); may be empty
	Timeout     time.Duration // per attempt; default 30s
	Attempts    int           // total attempts, default 4
	BaseBackoff time.Duration // default 1s, doubled each retry, with jitter, capped by MaxBackoff
	MaxBackoff  time.Duration // default 30s; also caps a server's Retry-After (on 429 or 503)
	UserAgent   string        // default "triagem"
	Client      *http.Client  // optional, for tests (httptest); it is copied, never modified
	// IdempotencyKey replaces the bundle's SHA-256 as the Idempotency-Key: an incident's
	// bundle is sent under its incident's key (IncidentKey), whatever it holds by then.
	IdempotencyKey string
}

// Metadata is the JSON metadata part (ticket, category, sha256, size, tool version...): the
// caller fills it. When it holds a "sha256" string, it must be the bundle's.
type Metadata map[string]any

// Attempt is one try at delivering the bundle. Err never holds the token nor the URL's query.
type Attempt struct {
	N      int           `json:"n"`             // 1-based
	Status int           `json:"status"`        // HTTP status; 0 when no response came
	Err    string        `json:"err,omitempty"` // transport error, when no response came
	Wait   time.Duration `json:"wait"`          // wait before the next attempt; 0 after the last
	Took   time.Duration `json:"took"`          // time the attempt took
}

// SendResult is what the intake answered, and how it got there.
type SendResult struct {
	Status         int       `json:"status"`         // last HTTP status; 0 when none came
	Body           string    `json:"body"`           // last response body, capped at MaxResponseBody
	BodyTruncated  bool      `json:"body_truncated"` // Body was longer than MaxResponseBody
	Attempts       []Attempt `json:"attempts"`
	IdempotencyKey string    `json:"idempotency_key"` // sent on every attempt: the bundle's SHA-256 (hex), or SendOptions.IdempotencyKey
}

// ErrTokenInClear refuses the intake's bearer token over plain http to a host other than this
// machine: anyone on the way could read it and open tickets as support.
var ErrTokenInClear = errors.New("the bearer token would travel in clear over plain http; use https:// (plain http is only for localhost, 127.0.0.0/8 and ::1)")

// UnreachableError says the intake could not take the bundle: every attempt failed on
// transport, 5xx or 429. The CLI exits 3 on it.
type UnreachableError struct {
	URL      string // redacted: no query values
	Attempts []Attempt
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("intake %s unreachable after %d attempt(s): %s",
		e.URL, len(e.Attempts), sendFormatAttempts(e.Attempts))
}

// Text is the error in lang ("en", or Portuguese for anything else). In Portuguese each
// attempt is told by its HTTP status or as "sem resposta", and the network library's own
// words (which --lang en shows) are left out.
func (e *UnreachableError) Text(lang string) string {
	if lang == "en" {
		return e.Error()
	}
	parts := make([]string, 0, len(e.Attempts))
	for _, a := range e.Attempts {
		what := "sem resposta"
		if a.Status != 0 {
			what = fmt.Sprintf("HTTP %d", a.Status)
		}
		parts = append(parts, fmt.Sprintf("tentativa %d: %s", a.N, what))
	}
	n := len(e.Attempts)
	if n == 1 {
		return fmt.Sprintf("a entrada do time de Code em %s não recebeu o pacote (1 tentativa: %s): confira a rede e a URL, ou tente mais tarde; o detalhe aparece com --lang en",
			e.URL, strings.Join(parts, "; "))
	}
	return fmt.Sprintf("a entrada do time de Code em %s não recebeu o pacote após %d tentativas (%s): confira a rede e a URL, ou tente mais tarde; o detalhe aparece com --lang en",
		e.URL, n, strings.Join(parts, "; "))
}

// RejectedError says the intake answered with a final status that is neither success nor
// worth retrying (4xx other than 429, or an unfollowed redirect): the request itself is wrong.
type RejectedError struct {
	URL       string // redacted: no query values
	Status    int
	Body      string // capped at MaxResponseBody, the token masked if echoed
	Truncated bool
	Attempts  []Attempt
}

func (e *RejectedError) Error() string {
	return fmt.Sprintf("intake %s rejected the bundle: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status)) + e.answer()
}

// Text is the error in lang ("en", or Portuguese for anything else); the intake's own answer,
// whatever its language, is quoted as Error quotes it.
func (e *RejectedError) Text(lang string) string {
	if lang == "en" {
		return e.Error()
	}
	return fmt.Sprintf("a entrada do time de Code em %s recusou o pacote: HTTP %d", e.URL, e.Status) + e.answer()
}

// answer is the intake's answer as the error quotes it, after ": " (empty when it said
// nothing): at most 512 bytes, and no control characters, since it goes to a terminal
// (no escape sequences).
func (e *RejectedError) answer() string {
	b := strings.TrimSpace(e.Body)
	if b == "" {
		return ""
	}
	if len(b) > 512 {
		b = strings.ToValidUTF8(b[:512], "") + "..."
	}
	return ": " + strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, b)
}

// sendPrepared is everything Send and DryRun share: built once, identical on every attempt.
type sendPrepared struct {
	opts        SendOptions
	target      *url.URL
	shownURL    string
	fileName    string
	key         string // the Idempotency-Key
	sum         string // the bundle's SHA-256
	metaJSON    []byte
	body        []byte
	contentType string
}

func sendPrepare(opts SendOptions, bundleName string, bundle []byte, meta Metadata) (*sendPrepared, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultSendTimeout
	}
	if opts.Attempts <= 0 {
		opts.Attempts = DefaultSendAttempts
	}
	if opts.BaseBackoff <= 0 {
		opts.BaseBackoff = DefaultBaseBackoff
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	if opts.MaxBackoff < opts.BaseBackoff {
		opts.MaxBackoff = opts.BaseBackoff
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	p := &sendPrepared{opts: opts}

	u, err := url.Parse(opts.URL)
	if err != nil {
		return nil, fmt.Errorf("intake URL: cannot parse it")
	}
	p.shownURL = quiet.URL(u)
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("intake URL %s: scheme must be http or https", p.shownURL)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("intake URL %s: no host", p.shownURL)
	}
	if u.User != nil {
		return nil, fmt.Errorf("intake URL %s: credentials in the URL are refused; the token comes from the environment", p.shownURL)
	}
	p.target = u
	for _, r := range opts.Token {
		if r <= ' ' || r == 0x7f {
			return nil, errors.New("token: contains spaces or control characters")
		}
	}
	if opts.Token != "" && !cleartext.TokenAllowed(u) {
		return nil, fmt.Errorf("intake URL %s: %w", p.shownURL, ErrTokenInClear)
	}
	if len(bundle) == 0 {
		return nil, errors.New("bundle: empty")
	}

	sum := sha256.Sum256(bundle)
	p.sum = hex.EncodeToString(sum[:])
	p.key = p.sum
	if opts.IdempotencyKey != "" {
		p.key = opts.IdempotencyKey
	}
	if v, ok := meta["sha256"]; ok {
		if s, isStr := v.(string); isStr && !strings.EqualFold(s, p.sum) {
			return nil, fmt.Errorf("metadata: sha256 %q is not the bundle's (%s)", s, p.sum)
		}
	}

	name := filepath.Base(filepath.FromSlash(bundleName))
	if name == "." || name == string(filepath.Separator) || name == "" {
		name = "bundle.zip"
	}
	p.fileName = name

	if meta == nil {
		meta = Metadata{}
	}
	var mb bytes.Buffer
	enc := json.NewEncoder(&mb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(meta); err != nil {
		return nil, fmt.Errorf("metadata: %v", err)
	}
	p.metaJSON = bytes.TrimRight(mb.Bytes(), "\n")

	p.body, p.contentType, err = sendMultipart(p.key, p.fileName, p.metaJSON, bundle)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// sendMultipart builds the whole request body once. The boundary derives from the bundle's
// hash, so the same bundle and metadata make the same bytes on every attempt and every run.
func sendMultipart(key, fileName string, metaJSON, bundle []byte) ([]byte, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	boundary := "triagem-" + key[:48]
	if !bytes.Contains(metaJSON, []byte(boundary)) && !bytes.Contains(bundle, []byte(boundary)) {
		if err := mw.SetBoundary(boundary); err != nil {
			return nil, "", err
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="metadata"`)
	h.Set("Content-Type", "application/json")
	w, err := mw.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	if _, err := w.Write(metaJSON); err != nil {
		return nil, "", err
	}
	h = textproto.MIMEHeader{}
	h.Set("Content-Disposition", multipart.FileContentDisposition("bundle", fileName))
	h.Set("Content-Type", "application/zip")
	if w, err = mw.CreatePart(h); err != nil {
		return nil, "", err
	}
	if _, err := w.Write(bundle); err != nil {
		return nil, "", err
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), mw.FormDataContentType(), nil
}

// sendRecorder follows the attempts of one Send through resty's hooks.
type sendRecorder struct {
	p         *sendPrepared
	n         int       // attempts started
	start     time.Time // of the current attempt
	attempts  []Attempt
	body      string
	truncated bool
}

// observe records the outcome of the current attempt, once, and says whether it is worth
// another. It reads (capped) and closes the response body.
func (rec *sendRecorder) observe(resp *resty.Response, err error) (retry bool) {
	if rec.n == 0 || len(rec.attempts) >= rec.n {
		return false // already recorded, or nothing started
	}
	a := Attempt{N: rec.n}
	transport := false
	if resp != nil && resp.RawResponse != nil {
		a.Status = resp.RawResponse.StatusCode
		rec.body, rec.truncated = sendReadBody(resp.RawResponse.Body)
		rec.body = sendScrub(rec.body, rec.p)
	} else {
		rec.body, rec.truncated = "", false
		if err != nil {
			a.Err = sendErrText(err, rec.p)
			// resp is nil when the request could not even be built: not worth retrying.
			transport = resp != nil
		}
	}
	a.Took = time.Since(rec.start)
	rec.attempts = append(rec.attempts, a)
	return transport || a.Status == http.StatusTooManyRequests || a.Status >= 500
}

// wait computes the pause before the next attempt, and notes it on the attempt just made.
func (rec *sendRecorder) wait(resp *resty.Response) time.Duration {
	d := sendBackoff(rec.p.opts.BaseBackoff, rec.p.opts.MaxBackoff, len(rec.attempts))
	if resp != nil && resp.RawResponse != nil {
		switch resp.RawResponse.StatusCode {
		case http.StatusTooManyRequests, http.StatusServiceUnavailable:
			if ra, ok := sendParseRetryAfter(resp.RawResponse.Header.Get("Retry-After"), time.Now()); ok {
				d = min(max(ra, rec.p.opts.BaseBackoff), rec.p.opts.MaxBackoff)
			}
		}
	}
	if n := len(rec.attempts); n > 0 {
		rec.attempts[n-1].Wait = d
	}
	return d
}

// sendBackoff is the wait after the retry-th failed attempt (1-based): base doubled each
// time, capped, with "equal jitter" (between half and all of it), never under base.
func sendBackoff(base, maxWait time.Duration, retry int) time.Duration {
	d := base
	for i := 1; i < retry && d < maxWait; i++ {
		d *= 2
	}
	d = min(d, maxWait)
	half := d / 2
	if half > 0 {
		d = half + rand.N(half+1)
	}
	return max(d, base)
}

// sendParseRetryAfter reads a Retry-After value: delay-seconds or an HTTP date.
func sendParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second) // the caller caps it anyway; avoid overflow
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

func sendReadBody(rc io.ReadCloser) (string, bool) {
	if rc == nil {
		return "", false
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, MaxResponseBody+1))
	truncated := len(b) > MaxResponseBody
	if truncated {
		b = b[:MaxResponseBody] // the rest is dropped with the connection (one per attempt)
	}
	return string(b), truncated
}

// sendErrText is an error's text without the URL's query values nor the token.
func sendErrText(err error, p *sendPrepared) string {
	var s string
	var ue *url.Error
	if errors.As(err, &ue) {
		s = fmt.Sprintf("%s %s: %v", ue.Op, p.shownURL, ue.Err)
	} else {
		s = err.Error()
	}
	return sendScrub(s, p)
}

// sendScrub masks the token, and the raw URL when it carries a query, wherever they appear.
func sendScrub(s string, p *sendPrepared) string {
	if p.opts.Token != "" {
		s = strings.ReplaceAll(s, p.opts.Token, "***")
	}
	if p.target != nil && p.target.RawQuery != "" {
		s = strings.ReplaceAll(s, p.target.RawQuery, quiet.Query(p.target.Query()))
	}
	return s
}

func sendFormatAttempts(as []Attempt) string {
	parts := make([]string, 0, len(as))
	for _, a := range as {
		what := a.Err
		if a.Status != 0 {
			what = fmt.Sprintf("HTTP %d %s", a.Status, http.StatusText(a.Status))
		}
		if what == "" {
			what = "no response"
		}
		s := fmt.Sprintf("attempt %d: %s (took %s", a.N, what, a.Took.Round(time.Millisecond))
		if a.Wait > 0 {
			s += fmt.Sprintf(", then waited %s", a.Wait.Round(time.Millisecond))
		}
		parts = append(parts, s+")")
	}
	return strings.Join(parts, "; ")
}

// Send posts the bundle. It returns an *UnreachableError (listing the attempts) when every attempt
// failed on transport, 5xx or 429; a *RejectedError for a final 4xx other than 429 (no retry: the
// request itself is wrong); nil error on 2xx. When ctx ends first, the error wraps ctx.Err().
// The result, when not nil, lists the attempts made, whatever the error.
//
// Every attempt carries the same body and the same Idempotency-Key (the bundle's SHA-256, or the
// one the options give), and
// runs on a fresh connection, so that each try the transport makes is one recorded attempt.
func Send(ctx context.Context, opts SendOptions, bundleName string, bundle []byte, meta Metadata) (*SendResult, error) {
	p, err := sendPrepare(opts, bundleName, bundle, meta)
	if err != nil {
		return nil, err
	}
	o := p.opts

	hc := &http.Client{}
	if o.Client != nil {
		c := *o.Client
		hc = &c
	}
	rec := &sendRecorder{p: p}
	c := resty.NewWithClient(hc).
		SetLogger(quiet.Logger{}).
		SetDisableWarn(true).
		SetTimeout(o.Timeout).
		SetCloseConnection(true).
		SetRedirectPolicy(resty.RedirectPolicyFunc(func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // a redirect is answered as a rejection, the token stays here
		})).
		SetRetryCount(o.Attempts - 1).
		SetRetryWaitTime(o.BaseBackoff).
		SetRetryMaxWaitTime(o.MaxBackoff).
		SetRetryAfter(func(_ *resty.Client, resp *resty.Response) (time.Duration, error) {
			return rec.wait(resp), nil
		}).
		AddRetryCondition(rec.observe).
		OnBeforeRequest(func(*resty.Client, *resty.Request) error {
			rec.n++
			rec.start = time.Now()
			return nil
		})

	if ctx == nil {
		ctx = context.Background()
	}
	req := c.R().
		SetContext(ctx).
		SetDoNotParseResponse(true).
		SetHeader("Content-Type", p.contentType).
		SetHeader("Accept", "application/json, text/plain;q=0.9, */*;q=0.5").
		SetHeader("User-Agent", o.UserAgent).
		SetHeader("Idempotency-Key", p.key).
		SetBody(p.body)
	if o.Token != "" {
		req.SetAuthToken(o.Token)
	}
	resp, err := req.Post(p.target.String())
	rec.observe(resp, err) // the last attempt, when resty returned before its retry condition ran
	if len(rec.attempts) == 0 {
		if err == nil {
			err = errors.New("no attempt was made")
		}
		return nil, fmt.Errorf("sending to %s: %s", p.shownURL, sendErrText(err, p))
	}

	res := &SendResult{
		Body:           rec.body,
		BodyTruncated:  rec.truncated,
		Attempts:       rec.attempts,
		IdempotencyKey: p.key,
	}
	if n := len(rec.attempts); n > 0 {
		res.Status = rec.attempts[n-1].Status
		res.Attempts[n-1].Wait = 0 // no attempt followed it
	}
	switch {
	case res.Status >= 200 && res.Status < 300:
		return res, nil
	case ctx.Err() != nil:
		return res, fmt.Errorf("sending to %s stopped after %d attempt(s): %w", p.shownURL, len(res.Attempts), ctx.Err())
	case res.Status == 0 || res.Status == http.StatusTooManyRequests || res.Status >= 500:
		return res, &UnreachableError{URL: p.shownURL, Attempts: res.Attempts}
	default:
		return res, &RejectedError{URL: p.shownURL, Status: res.Status, Body: res.Body,
			Truncated: res.BodyTruncated, Attempts: res.Attempts}
	}
}

// DryRun describes what Send would send (method, URL, headers with the token masked, metadata,
// part names and sizes, idempotency key) without any network access.
func DryRun(opts SendOptions, bundleName string, bundle []byte, meta Metadata) string {
	p, err := sendPrepare(opts, bundleName, bundle, meta)
	if err != nil {
		msg := err.Error()
		if opts.Token != "" {
			msg = strings.ReplaceAll(msg, opts.Token, "***")
		}
		return "dry run: nothing would be sent: " + msg + "\n"
	}
	o := p.opts
	var b strings.Builder
	fmt.Fprintf(&b, "dry run: nothing sent\n")
	fmt.Fprintf(&b, "POST %s\n", p.shownURL)
	if o.Token != "" {
		fmt.Fprintf(&b, "Authorization: Bearer ***\n")
	} else {
		fmt.Fprintf(&b, "Authorization: (none: no token)\n")
	}
	fmt.Fprintf(&b, "Content-Type: %s\n", p.contentType)
	fmt.Fprintf(&b, "Content-Length: %d\n", len(p.body))
	fmt.Fprintf(&b, "Idempotency-Key: %s\n", p.key)
	fmt.Fprintf(&b, "User-Agent: %s\n", o.UserAgent)
	fmt.Fprintf(&b, "parts:\n")
	fmt.Fprintf(&b, "  metadata  application/json  %d bytes\n", len(p.metaJSON))
	fmt.Fprintf(&b, "  bundle    application/zip   %d bytes  filename=%q  sha256=%s\n", len(bundle), p.fileName, p.sum)
	fmt.Fprintf(&b, "metadata:\n")
	var pretty bytes.Buffer
	if json.Indent(&pretty, p.metaJSON, "  ", "  ") == nil {
		fmt.Fprintf(&b, "  %s\n", sendScrub(pretty.String(), p))
	}
	fmt.Fprintf(&b, "delivery: %s per attempt, up to %d attempt(s), backoff from %s doubling to at most %s (Retry-After honoured up to it)\n",
		o.Timeout, o.Attempts, o.BaseBackoff, o.MaxBackoff)
	return b.String()
}
