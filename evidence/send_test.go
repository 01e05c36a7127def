package evidence

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const sendTestToken = "tok-S3CRET-value-0123456789"

// sendTestZip is a small real zip, so that "intact" means a zip that still opens.
func sendTestZip(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(`{"schema":"triagem.bundle/v1"}`)); err != nil {
		t.Fatal(err)
	}
	w, err = zw.Create("case.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(bytes.Repeat([]byte("request: {body: x}\n"), 500)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sendTestSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func sendTestOpts(url string) SendOptions {
	return SendOptions{
		URL:         url,
		Token:       sendTestToken,
		Timeout:     5 * time.Second,
		Attempts:    4,
		BaseBackoff: time.Millisecond,
		MaxBackoff:  10 * time.Millisecond,
		UserAgent:   "triagem-test",
	}
}

// sendTestParts reads the multipart body a client sent.
func sendTestParts(r *http.Request) (metaCT string, meta []byte, zipCT, fileName string, zipBytes []byte, err error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return
	}
	if mt != "multipart/form-data" {
		err = errors.New("content type " + mt)
		return
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		p, perr := mr.NextPart()
		if perr == io.EOF {
			break
		}
		if perr != nil {
			err = perr
			return
		}
		b, rerr := io.ReadAll(p)
		if rerr != nil {
			err = rerr
			return
		}
		switch p.FormName() {
		case "metadata":
			metaCT, meta = p.Header.Get("Content-Type"), b
		case "bundle":
			zipCT, fileName, zipBytes = p.Header.Get("Content-Type"), p.FileName(), b
		default:
			err = errors.New("unexpected part " + p.FormName())
			return
		}
	}
	return
}

// A 503, then a connection dropped without an answer, then a 201: one ticket, three attempts,
// the same key and the same intact body every time.
func TestSendRetriesToOneTicket(t *testing.T) {
	zipData := sendTestZip(t)
	wantKey := sendTestSHA(zipData)
	meta := Metadata{"ticket": "SUP-1234", "category": "api", "sha256": wantKey, "size": len(zipData), "tool_version": "test"}

	var (
		mu      sync.Mutex
		hits    int
		keys    []string
		tickets = map[string]string{} // Idempotency-Key -> ticket id
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		n := hits
		key := r.Header.Get("Idempotency-Key")
		keys = append(keys, key)
		mu.Unlock()

		if got := r.Header.Get("Authorization"); got != "Bearer "+sendTestToken {
			t.Errorf("attempt %d: Authorization = %q", n, got)
		}
		if r.Method != http.MethodPost || r.URL.Path != "/intake" {
			t.Errorf("attempt %d: %s %s", n, r.Method, r.URL.Path)
		}
		// Every attempt must carry the whole body, intact.
		metaCT, metaJSON, zipCT, fileName, gotZip, err := sendTestParts(r)
		if err != nil {
			t.Errorf("attempt %d: multipart: %v", n, err)
		}
		if metaCT != "application/json" || zipCT != "application/zip" || fileName != "SUP-1234.zip" {
			t.Errorf("attempt %d: parts %q %q %q", n, metaCT, zipCT, fileName)
		}
		if !bytes.Equal(gotZip, zipData) {
			t.Errorf("attempt %d: zip differs (%d bytes, want %d)", n, len(gotZip), len(zipData))
		} else if _, err := zip.NewReader(bytes.NewReader(gotZip), int64(len(gotZip))); err != nil {
			t.Errorf("attempt %d: zip does not open: %v", n, err)
		}
		var gotMeta map[string]any
		if err := json.Unmarshal(metaJSON, &gotMeta); err != nil {
			t.Errorf("attempt %d: metadata JSON: %v", n, err)
		} else if gotMeta["ticket"] != "SUP-1234" || gotMeta["sha256"] != wantKey || gotMeta["size"] != float64(len(zipData)) {
			t.Errorf("attempt %d: metadata %v", n, gotMeta)
		}

		switch n {
		case 1:
			http.Error(w, "busy", http.StatusServiceUnavailable)
		case 2:
			hj, ok := w.(http.Hijacker)
			if !ok {
				t.Error("no hijacker")
				return
			}
			conn, _, err := hj.Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			_ = conn.Close() // no answer at all
		default:
			mu.Lock()
			id, seen := tickets[key]
			if !seen {
				id = "T-" + strconv.Itoa(len(tickets)+1)
				tickets[key] = id
			}
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, `{"ticket":"`+id+`"}`)
		}
	}))
	defer srv.Close()

	res, err := Send(context.Background(), sendTestOpts(srv.URL+"/intake"), "some/dir/SUP-1234.zip", zipData, meta)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if res.Status != http.StatusCreated || !strings.Contains(res.Body, `"ticket":"T-1"`) {
		t.Errorf("result %d %q", res.Status, res.Body)
	}
	if res.IdempotencyKey != wantKey {
		t.Errorf("IdempotencyKey = %s, want %s", res.IdempotencyKey, wantKey)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(tickets) != 1 {
		t.Errorf("tickets opened: %d, want 1", len(tickets))
	}
	if hits != 3 {
		t.Errorf("server saw %d requests, want 3", hits)
	}
	for i, k := range keys {
		if k != wantKey {
			t.Errorf("request %d: Idempotency-Key %q, want %q", i+1, k, wantKey)
		}
	}
	if len(res.Attempts) != 3 {
		t.Fatalf("attempts %+v, want 3", res.Attempts)
	}
	a := res.Attempts
	if a[0].N != 1 || a[0].Status != 503 || a[0].Err != "" || a[0].Wait <= 0 {
		t.Errorf("attempt 1: %+v", a[0])
	}
	if a[1].N != 2 || a[1].Status != 0 || a[1].Err == "" || a[1].Wait <= 0 {
		t.Errorf("attempt 2: %+v", a[1])
	}
	if a[2].N != 3 || a[2].Status != 201 || a[2].Err != "" || a[2].Wait != 0 {
		t.Errorf("attempt 3: %+v", a[2])
	}
	for _, at := range a {
		if at.Took <= 0 {
			t.Errorf("attempt %d: Took %v", at.N, at.Took)
		}
	}
}

// Always 503: UnreachableError after exactly opts.Attempts attempts, listed, without the token.
func TestSendAlways503IsUnreachable(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		// A server echoing the credentials it got must not put them in our error.
		http.Error(w, "down; you sent "+r.Header.Get("Authorization"), http.StatusServiceUnavailable)
	}))
	defer srv.Close()

	opts := sendTestOpts(srv.URL + "/intake?key=hook-s3cret")
	opts.Attempts = 3
	res, err := Send(context.Background(), opts, "b.zip", sendTestZip(t), nil)
	var ue *UnreachableError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v (%T), want *UnreachableError", err, err)
	}
	if got := hits.Load(); got != 3 {
		t.Errorf("server saw %d requests, want 3", got)
	}
	if len(ue.Attempts) != 3 || len(res.Attempts) != 3 {
		t.Fatalf("attempts %+v", ue.Attempts)
	}
	msg := err.Error()
	for i := 1; i <= 3; i++ {
		if !strings.Contains(msg, "attempt "+strconv.Itoa(i)+": HTTP 503") {
			t.Errorf("message lacks attempt %d: %s", i, msg)
		}
	}
	for _, leak := range []string{sendTestToken, "hook-s3cret"} {
		if strings.Contains(msg, leak) {
			t.Errorf("message leaks %q: %s", leak, msg)
		}
		if strings.Contains(res.Body, leak) {
			t.Errorf("body leaks %q: %s", leak, res.Body)
		}
	}
	if !strings.Contains(msg, "key=***") {
		t.Errorf("message should show the masked query: %s", msg)
	}
	// In Portuguese: each attempt by its status, the URL masked as in English.
	pt := ue.Text("pt-BR")
	for _, want := range []string{"não recebeu o pacote após 3 tentativas", "tentativa 1: HTTP 503; tentativa 2: HTTP 503; tentativa 3: HTTP 503", "key=***"} {
		if !strings.Contains(pt, want) {
			t.Errorf("Portuguese text lacks %q: %s", want, pt)
		}
	}
	if strings.Contains(pt, "attempt") || strings.Contains(pt, "hook-s3cret") || ue.Text("en") != msg {
		t.Errorf("Portuguese text %q, English %q", pt, ue.Text("en"))
	}
	if ue.Attempts[0].Wait <= 0 || ue.Attempts[1].Wait <= 0 || ue.Attempts[2].Wait != 0 {
		t.Errorf("waits %+v", ue.Attempts)
	}
}

// 429 with Retry-After in seconds: the wait is the server's, not the (tiny) backoff.
func TestSendHonoursRetryAfterSeconds(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()

	opts := sendTestOpts(srv.URL)
	opts.MaxBackoff = 3 * time.Second // the cap is above the server's ask
	start := time.Now()
	res, err := Send(context.Background(), opts, "b.zip", sendTestZip(t), nil)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if len(res.Attempts) != 2 || res.Attempts[0].Status != 429 || res.Status != 202 {
		t.Fatalf("attempts %+v", res.Attempts)
	}
	if res.Attempts[0].Wait != time.Second {
		t.Errorf("recorded wait %v, want 1s", res.Attempts[0].Wait)
	}
	if el := time.Since(start); el < time.Second {
		t.Errorf("took %v: did not wait as asked", el)
	}
}

// 429 with Retry-After as an HTTP date far ahead: the wait is capped by MaxBackoff.
func TestSendCapsRetryAfterDate(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()

	opts := sendTestOpts(srv.URL)
	opts.MaxBackoff = 40 * time.Millisecond
	res, err := Send(context.Background(), opts, "b.zip", sendTestZip(t), nil)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if len(res.Attempts) != 2 || res.Attempts[0].Wait != 40*time.Millisecond {
		t.Errorf("attempts %+v, want the first wait capped at 40ms", res.Attempts)
	}
}

func TestSendParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"1", time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"0", 0, true},
		{"-5", 0, false},
		{"soon", 0, false},
		{"", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true}, // in the past: no wait asked
		{"Sat, 01 Mar 2025 12:00:30 GMT", 30 * time.Second, true},
	}
	for _, c := range cases {
		got, ok := sendParseRetryAfter(c.in, now)
		if got != c.want || ok != c.ok {
			t.Errorf("sendParseRetryAfter(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestSendBackoffGrowsWithJitterAndCap(t *testing.T) {
	base, capD := 10*time.Millisecond, 100*time.Millisecond
	for i := 0; i < 200; i++ {
		for retry := 1; retry <= 8; retry++ {
			d := sendBackoff(base, capD, retry)
			full := min(base<<(retry-1), capD)
			lo := max(full/2, base)
			if d < lo || d > full {
				t.Fatalf("retry %d: %v not in [%v, %v]", retry, d, lo, full)
			}
		}
	}
}

// A 400: rejected at once, one attempt, the body's text kept, capped.
func TestSendRejectedOn400(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, "metadata.ticket is required\x1b[2J\n")
		_, _ = w.Write(bytes.Repeat([]byte("x"), 100<<10))
	}))
	defer srv.Close()

	res, err := Send(context.Background(), sendTestOpts(srv.URL), "b.zip", sendTestZip(t), Metadata{"category": "api"})
	var re *RejectedError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v (%T), want *RejectedError", err, err)
	}
	var ue *UnreachableError
	if errors.As(err, &ue) {
		t.Error("a rejection is not unreachable")
	}
	if hits.Load() != 1 || len(res.Attempts) != 1 || res.Attempts[0].Status != 400 || res.Attempts[0].Wait != 0 {
		t.Errorf("hits %d, attempts %+v", hits.Load(), res.Attempts)
	}
	if re.Status != 400 || !strings.HasPrefix(re.Body, "metadata.ticket is required") {
		t.Errorf("rejection %d %.60q", re.Status, re.Body)
	}
	if len(re.Body) != MaxResponseBody || !re.Truncated || !res.BodyTruncated {
		t.Errorf("body %d bytes, truncated %v; want capped at %d", len(re.Body), re.Truncated, MaxResponseBody)
	}
	if msg := err.Error(); !strings.Contains(msg, "HTTP 400") || !strings.Contains(msg, "metadata.ticket is required") || len(msg) > 2048 {
		t.Errorf("message %.200q (%d bytes)", msg, len(msg))
	}
	if strings.Contains(err.Error(), "\x1b") {
		t.Errorf("message carries the server's escape sequence: %q", err.Error())
	}
	// In Portuguese the heading is, and the intake's own answer is quoted as it came.
	if pt := re.Text("pt-BR"); !strings.HasPrefix(pt, "a entrada do time de Code em ") || !strings.Contains(pt, "recusou o pacote: HTTP 400: metadata.ticket is required") || strings.Contains(pt, "rejected") || strings.Contains(pt, "\x1b") {
		t.Errorf("Portuguese text %.200q", pt)
	}
}

// Nobody listening: UnreachableError, every attempt recorded with a transport error, no secret.
func TestSendNeverReachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()

	opts := sendTestOpts("http://" + addr + "/intake?token=q-s3cret")
	opts.Attempts = 3
	res, err := Send(context.Background(), opts, "b.zip", sendTestZip(t), nil)
	var ue *UnreachableError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v (%T), want *UnreachableError", err, err)
	}
	if len(res.Attempts) != 3 {
		t.Fatalf("attempts %+v", res.Attempts)
	}
	for _, a := range res.Attempts {
		if a.Status != 0 || a.Err == "" {
			t.Errorf("attempt %+v: want a transport error", a)
		}
		for _, leak := range []string{sendTestToken, "q-s3cret"} {
			if strings.Contains(a.Err, leak) {
				t.Errorf("attempt %d leaks %q: %s", a.N, leak, a.Err)
			}
		}
	}
	msg := err.Error()
	if !strings.Contains(msg, addr) || !strings.Contains(msg, "attempt 3:") {
		t.Errorf("message %s", msg)
	}
	if strings.Contains(msg, sendTestToken) || strings.Contains(msg, "q-s3cret") {
		t.Errorf("message leaks a secret: %s", msg)
	}
}

// The first attempt outlasts opts.Timeout; the second answers fast.
func TestSendPerAttemptTimeout(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // so that the server notices the client hanging up
		if hits.Add(1) == 1 {
			select {
			case <-time.After(3 * time.Second):
			case <-r.Context().Done():
			}
			return
		}
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()

	opts := sendTestOpts(srv.URL)
	opts.Timeout = 150 * time.Millisecond
	start := time.Now()
	res, err := Send(context.Background(), opts, "b.zip", sendTestZip(t), nil)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if len(res.Attempts) != 2 || res.Attempts[0].Status != 0 || res.Attempts[1].Status != 201 {
		t.Fatalf("attempts %+v", res.Attempts)
	}
	if !strings.Contains(res.Attempts[0].Err, "Timeout") {
		t.Errorf("first attempt error %q, want a timeout", res.Attempts[0].Err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v: the per-attempt timeout did not bite", el)
	}
}

// DryRun masks the token, shows the key and parts, and touches no network.
func TestSendDryRun(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("DryRun made a request: %s %s", r.Method, r.URL)
	}))
	defer srv.Close()

	zipData := sendTestZip(t)
	opts := sendTestOpts(srv.URL + "/intake")
	opts.Client = srv.Client()
	out := DryRun(opts, "SUP-9.zip", zipData, Metadata{"ticket": "SUP-9", "note": "token was " + sendTestToken})
	for _, want := range []string{
		"POST " + srv.URL + "/intake",
		"Authorization: Bearer ***",
		"Idempotency-Key: " + sendTestSHA(zipData),
		"multipart/form-data; boundary=",
		"metadata  application/json",
		"bundle    application/zip   " + strconv.Itoa(len(zipData)) + " bytes",
		`filename="SUP-9.zip"`,
		`"ticket": "SUP-9"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, sendTestToken) {
		t.Errorf("dry run shows the token:\n%s", out)
	}

	opts.Token = ""
	if out := DryRun(opts, "SUP-9.zip", zipData, nil); !strings.Contains(out, "Authorization: (none") {
		t.Errorf("no token: %s", out)
	}
}

// An incident's key replaces the bundle's SHA-256 as the Idempotency-Key on every attempt,
// while the bundle's own checksum is still what the metadata's sha256 must match.
func TestSendUnderAGivenKey(t *testing.T) {
	var keys []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		io.Copy(io.Discard, r.Body)
		if len(keys) == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()
	zipData := sendTestZip(t)
	inc := &IncidentManifest{ID: "INC-1", Environment: "producao", Route: "POST /x", ErrorClass: "no-apparent-cause/5xx", OpenedAt: "2026-12-01T10:00:00-03:00"}
	opts := sendTestOpts(srv.URL)
	opts.Client, opts.BaseBackoff, opts.IdempotencyKey = srv.Client(), time.Millisecond, IncidentKey(inc)
	res, err := Send(context.Background(), opts, "INC-1.zip", zipData, Metadata{"sha256": sendTestSHA(zipData)})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0] != IncidentKey(inc) || keys[1] != keys[0] || res.IdempotencyKey != keys[0] || keys[0] == sendTestSHA(zipData) {
		t.Errorf("keys sent %v, result %q; want the incident's on both", keys, res.IdempotencyKey)
	}
	other := *inc
	other.OpenedAt = "2026-12-02T10:00:00-03:00"
	if IncidentKey(&other) == IncidentKey(inc) {
		t.Errorf("another journal's INC-1, opened another day, has the same key")
	}
	if out := DryRun(opts, "INC-1.zip", zipData, nil); !strings.Contains(out, "sha256="+sendTestSHA(zipData)) || !strings.Contains(out, "Idempotency-Key: "+IncidentKey(inc)) {
		t.Errorf("dry run:\n%s", out)
	}
}

// Cancelling ctx while Send waits to retry stops it there.
func TestSendContextCancelStopsRetrying(t *testing.T) {
	var hits atomic.Int32
	answered := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
		select {
		case answered <- struct{}{}:
		default:
		}
	}))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-answered
		time.Sleep(50 * time.Millisecond) // Send is now in its (long) backoff
		cancel()
	}()
	opts := sendTestOpts(srv.URL)
	opts.Attempts = 10
	opts.BaseBackoff, opts.MaxBackoff = 5*time.Second, 5*time.Second
	start := time.Now()
	res, err := Send(ctx, opts, "b.zip", sendTestZip(t), nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	var ue *UnreachableError
	if errors.As(err, &ue) {
		t.Error("a cancellation is not unreachable")
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v after cancel", el)
	}
	if hits.Load() != 1 || len(res.Attempts) != 1 {
		t.Errorf("hits %d, attempts %+v", hits.Load(), res.Attempts)
	}
}

// What Send refuses before any network access.
func TestSendRefusesBadInput(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request made: %s", r.URL)
	}))
	defer srv.Close()
	zipData := sendTestZip(t)
	cases := map[string]func(o *SendOptions) (string, []byte, Metadata){
		"ftp scheme": func(o *SendOptions) (string, []byte, Metadata) {
			o.URL = "ftp://127.0.0.1/x"
			return "b.zip", zipData, nil
		},
		"credentials in URL": func(o *SendOptions) (string, []byte, Metadata) {
			o.URL = strings.Replace(srv.URL, "http://", "http://u:"+sendTestToken+"@", 1)
			return "b.zip", zipData, nil
		},
		"token with newline": func(o *SendOptions) (string, []byte, Metadata) {
			o.Token = sendTestToken + "\r\nX-Evil: 1"
			return "b.zip", zipData, nil
		},
		"token over plain http to another host": func(o *SendOptions) (string, []byte, Metadata) {
			o.URL = "http://intake.example.com/tickets"
			return "b.zip", zipData, nil
		},
		"empty bundle": func(o *SendOptions) (string, []byte, Metadata) {
			return "b.zip", nil, nil
		},
		"wrong sha256 in metadata": func(o *SendOptions) (string, []byte, Metadata) {
			return "b.zip", zipData, Metadata{"sha256": strings.Repeat("0", 64)}
		},
	}
	for name, setup := range cases {
		opts := sendTestOpts(srv.URL)
		bn, b, m := setup(&opts)
		res, err := Send(context.Background(), opts, bn, b, m)
		if err == nil || res != nil {
			t.Errorf("%s: res %v, err %v; want a refusal", name, res, err)
			continue
		}
		if strings.Contains(err.Error(), sendTestToken) {
			t.Errorf("%s: error leaks the token: %v", name, err)
		}
	}
}

// Without a token no Authorization header goes out; with Attempts 1 a 503 is not retried.
func TestSendNoTokenSingleAttempt(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Authorization") != "" {
			t.Errorf("Authorization sent without a token: %q", r.Header.Get("Authorization"))
		}
		if r.Header.Get("User-Agent") != "triagem-test" {
			t.Errorf("User-Agent %q", r.Header.Get("User-Agent"))
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	opts := sendTestOpts(srv.URL)
	opts.Token = ""
	opts.Attempts = 1
	res, err := Send(context.Background(), opts, "b.zip", sendTestZip(t), nil)
	var ue *UnreachableError
	if !errors.As(err, &ue) || hits.Load() != 1 || len(res.Attempts) != 1 || res.Attempts[0].Status != 503 {
		t.Errorf("err %v, hits %d, attempts %+v", err, hits.Load(), res.Attempts)
	}
}

// A redirect is not followed (the token would go along): it is a rejection.
func TestSendDoesNotFollowRedirects(t *testing.T) {
	var other atomic.Int32
	dst := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.Add(1)
		w.WriteHeader(http.StatusCreated)
	}))
	defer dst.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, dst.URL+"/elsewhere", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	res, err := Send(context.Background(), sendTestOpts(srv.URL), "b.zip", sendTestZip(t), nil)
	var re *RejectedError
	if !errors.As(err, &re) || re.Status != http.StatusTemporaryRedirect || len(res.Attempts) != 1 {
		t.Errorf("err %v, attempts %+v", err, res.Attempts)
	}
	if other.Load() != 0 {
		t.Error("the redirect was followed")
	}
}
