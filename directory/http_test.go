package directory

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// counting wraps a handler and counts the items asked (n), in all and per item (paths:
// the escaped path of its GET endpoint, for bulk look-ups too), and the requests (reqs).
type counting struct {
	h     http.Handler
	n     atomic.Int64
	reqs  atomic.Int64
	mu    sync.Mutex
	paths map[string]int
}

func (c *counting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.reqs.Add(1)
	asked := []string{r.URL.EscapedPath()}
	if r.Method == http.MethodPost && r.URL.Path == bulkPath {
		data, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(data))
		var req bulkRequest
		json.Unmarshal(data, &req)
		asked = nil
		for _, k := range req.Keys {
			asked = append(asked, "/keys/"+escapeSegment(k))
		}
		for _, u := range req.Users {
			asked = append(asked, "/users/"+escapeSegment(u))
		}
		for _, p := range req.Partners {
			asked = append(asked, "/partners/"+escapeSegment(p)+"/keys")
		}
	}
	c.n.Add(int64(len(asked)))
	c.mu.Lock()
	if c.paths == nil {
		c.paths = map[string]int{}
	}
	for _, p := range asked {
		c.paths[p]++
	}
	c.mu.Unlock()
	c.h.ServeHTTP(w, r)
}

// fastRetries makes the backoff of r tiny, so that retry tests stay quick.
func fastRetries(r *Remote) *Remote {
	r.client.SetRetryWaitTime(time.Millisecond).SetRetryMaxWaitTime(5 * time.Millisecond)
	return r
}

func mustOpen(t *testing.T, base string, opts HTTPOptions) *Remote {
	t.Helper()
	r, err := OpenHTTP(base, opts)
	if err != nil {
		t.Fatalf("OpenHTTP: %v", err)
	}
	return r
}

func lookupCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestRemoteMatchesIndex asks the same queries of the Index and of a Remote serving
// that Index: the answers must be the same.
func TestRemoteMatchesIndex(t *testing.T) {
	idx := srvIndex(t)
	ts := httptest.NewServer(NewServer(idx, "tok"))
	defer ts.Close()
	r := mustOpen(t, ts.URL+"/", HTTPOptions{Token: "tok"})
	if r.Source() != ts.URL {
		t.Errorf("Source %q, want %q", r.Source(), ts.URL)
	}
	queries := []Query{
		{KeySHA256: srvSHA("key-a")},
		{KeySHA256: srvSHA("unknown")},
		{Login: "alfa.maria"},
		{Login: "barra/login"},
		{Login: ".."},
		{Login: "."},
		{Login: "espaço e ?#%"},
		{Login: "ninguem"},
		{Partner: "Corban Alfa"},
		{Partner: "Promotora Sé"},
		{Partner: "Nadie"},
		{KeySHA256: srvSHA("key-c"), Login: "..", Partner: "Promotora Sé"},
		{KeySHA256: srvSHA("key-b"), Login: "ninguem", Partner: "Nadie"},
		{},
	}
	ctx := lookupCtx(t)
	for _, q := range queries {
		want, err := idx.Lookup(ctx, q)
		if err != nil {
			t.Fatalf("Index.Lookup(%+v): %v", q, err)
		}
		got, err := r.Lookup(ctx, q)
		if err != nil {
			t.Fatalf("Remote.Lookup(%+v): %v", q, err)
		}
		if !sameResult(got, want) {
			t.Errorf("Lookup(%+v)\n got  %s\n want %s", q, showResult(got), showResult(want))
		}
	}
	// Results are copies.
	res, _ := r.Lookup(ctx, Query{KeySHA256: srvSHA("key-a")})
	res.Key.Users[0] = "changed"
	again, _ := r.Lookup(ctx, Query{KeySHA256: srvSHA("key-a")})
	if again.Key.Users[0] != "alfa.maria" {
		t.Errorf("a caller's change reached the memo: %v", again.Key.Users)
	}
	// A malformed key is refused before any request, without quoting it.
	if _, err := r.Lookup(ctx, Query{KeySHA256: "raw-api-key-here"}); err == nil || strings.Contains(err.Error(), "raw-api-key-here") {
		t.Errorf("malformed key: %v", err)
	}
}

func sameResult(a, b Result) bool {
	norm := func(k *Key) {
		if k != nil && len(k.Users) == 0 {
			k.Users = nil
		}
	}
	norm(a.Key)
	norm(b.Key)
	for i := range a.PartnerKeys {
		norm(&a.PartnerKeys[i])
	}
	for i := range b.PartnerKeys {
		norm(&b.PartnerKeys[i])
	}
	return reflect.DeepEqual(a, b)
}

func showResult(r Result) string {
	s := fmt.Sprintf("key=%+v user=%+v partner=%+v", r.Key, r.User, r.PartnerKeys)
	if r.Key != nil {
		s = fmt.Sprintf("key=%+v user=%+v partner=%+v", *r.Key, r.User, r.PartnerKeys)
	}
	return s
}

func TestRemoteBearer(t *testing.T) {
	const token = "the-real-token-123"
	ts := httptest.NewServer(NewServer(srvIndex(t), token))
	defer ts.Close()
	ctx := lookupCtx(t)

	for _, tok := range []string{"", "wrong-token-456"} {
		r := mustOpen(t, ts.URL, HTTPOptions{Token: tok})
		_, err := r.Lookup(ctx, Query{Login: "alfa.maria"})
		if err == nil || !strings.Contains(err.Error(), "401") {
			t.Fatalf("token %q: err %v, want HTTP 401", tok, err)
		}
		var ue *UnreachableError
		if errors.As(err, &ue) {
			t.Errorf("401 is not unreachable: %v", err)
		}
		if tok != "" && strings.Contains(err.Error(), tok) {
			t.Errorf("error shows the token: %v", err)
		}
	}
	r := mustOpen(t, ts.URL, HTTPOptions{Token: token})
	res, err := r.Lookup(ctx, Query{Login: "alfa.maria"})
	if err != nil || res.User == nil || res.User.Login != "alfa.maria" {
		t.Fatalf("right token: %+v, %v", res, err)
	}
	if _, err := OpenHTTP(ts.URL, HTTPOptions{Token: "two words"}); err == nil || strings.Contains(err.Error(), "two words") {
		t.Errorf("token with a space: %v", err)
	}
}

func TestOpenHTTPRefuses(t *testing.T) {
	for _, tt := range []struct{ url, want, never string }{
		{"http://user:hunter2@dir.example/", "credentials", "hunter2"},
		{"http://dir.example/api?key=hunter2", "query", "hunter2"},
		{"ftp://dir.example/", "scheme", ""},
		{"dir.example:8089", "scheme", ""},
		{"http:///x", "no host", ""},
		{"http://dir.example/%zz", "cannot parse", ""},
	} {
		_, err := OpenHTTP(tt.url, HTTPOptions{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("OpenHTTP(%q): %v, want %q", tt.url, err, tt.want)
			continue
		}
		if tt.never != "" && strings.Contains(err.Error(), tt.never) {
			t.Errorf("OpenHTTP(%q): error shows %q: %v", tt.url, tt.never, err)
		}
	}
	r := mustOpen(t, "https://api.example:8089/dir/v1/", HTTPOptions{})
	if r.Source() != "https://api.example:8089/dir/v1" {
		t.Errorf("Source %q", r.Source())
	}
}

func TestOpenHTTPKeepsTheTokenOffPlainHTTP(t *testing.T) {
	for _, tt := range []struct {
		url    string
		token  string
		refuse bool
	}{
		{"http://dir.example/v1", "s3cr3t-token", true},
		{"http://10.1.2.3:8089/", "s3cr3t-token", true},
		{"HTTP://dir.example/", "s3cr3t-token", true},
		{"http://dir.example/v1", "", false}, // no token, nothing to leak
		{"https://dir.example/v1", "s3cr3t-token", false},
		{"http://127.0.0.1:8089/", "s3cr3t-token", false},
		{"http://[::1]:8089/", "s3cr3t-token", false},
		{"http://localhost:8089/", "s3cr3t-token", false},
	} {
		_, err := OpenHTTP(tt.url, HTTPOptions{Token: tt.token})
		if got := errors.Is(err, ErrTokenInClear); got != tt.refuse {
			t.Errorf("OpenHTTP(%s, token %v): %v, want refused=%v", tt.url, tt.token != "", err, tt.refuse)
		}
		if err != nil && (strings.Contains(err.Error(), tt.token) && tt.token != "" || !strings.Contains(err.Error(), "https://")) {
			t.Errorf("OpenHTTP(%s): the error shows the token or does not say to use https: %v", tt.url, err)
		}
	}
}

// flaky answers 503 to its first `fail` requests, then passes them to h.
func flaky(fail int64, h http.Handler) (*counting, http.Handler) {
	c := &counting{}
	c.h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.n.Load() <= fail {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	})
	return c, c
}

func TestRemoteRetriesThenSucceeds(t *testing.T) {
	c, h := flaky(2, NewServer(srvIndex(t), ""))
	ts := httptest.NewServer(h)
	defer ts.Close()
	r := fastRetries(mustOpen(t, ts.URL, HTTPOptions{}))
	res, err := r.Lookup(lookupCtx(t), Query{KeySHA256: srvSHA("key-a")})
	if err != nil || res.Key == nil {
		t.Fatalf("Lookup: %+v, %v", res, err)
	}
	if n := c.n.Load(); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
}

func TestRemoteDefaultBackoffIsSmall(t *testing.T) {
	c, h := flaky(1, NewServer(srvIndex(t), ""))
	ts := httptest.NewServer(h)
	defer ts.Close()
	r := mustOpen(t, ts.URL, HTTPOptions{})
	start := time.Now()
	if _, err := r.Lookup(lookupCtx(t), Query{Login: "alfa.maria"}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second || c.n.Load() != 2 {
		t.Errorf("took %s and %d requests, want 2 requests under 2s", d, c.n.Load())
	}
}

func TestRemoteAlways503(t *testing.T) {
	const token = "tok-never-shown"
	for _, tt := range []struct {
		retries, attempts int
	}{{0, 3}, {1, 2}, {-1, 1}, {4, 5}} {
		t.Run(fmt.Sprint(tt.retries), func(t *testing.T) {
			c, h := flaky(1<<40, nil)
			ts := httptest.NewServer(h)
			defer ts.Close()
			r := fastRetries(mustOpen(t, ts.URL, HTTPOptions{Token: token, Retries: tt.retries}))
			_, err := r.Lookup(lookupCtx(t), Query{Login: "alfa.maria"})
			var ue *UnreachableError
			if !errors.As(err, &ue) {
				t.Fatalf("err %v (%T), want *UnreachableError", err, err)
			}
			host := strings.TrimPrefix(ts.URL, "http://")
			if ue.Host != host || ue.Attempts != tt.attempts || !strings.Contains(ue.Err, "503") {
				t.Errorf("got %+v, want host %s after %d attempts", ue, host, tt.attempts)
			}
			want := fmt.Sprintf("directory service %s unreachable after %d attempt", host, tt.attempts)
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("message %q, want prefix %q", err, want)
			}
			if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "alfa.maria") {
				t.Errorf("message shows the token or the login: %v", err)
			}
			if n := c.n.Load(); n != int64(tt.attempts) {
				t.Errorf("%d requests, want %d", n, tt.attempts)
			}
			// Errors are not memoised: the next lookup asks again.
			r.Lookup(lookupCtx(t), Query{Login: "alfa.maria"})
			if n := c.n.Load(); n != int64(2*tt.attempts) {
				t.Errorf("after a second lookup: %d requests, want %d", n, 2*tt.attempts)
			}
		})
	}
}

func TestRemoteTimeout(t *testing.T) {
	const token = "slow-token-789"
	release := make(chan struct{})
	var n atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer ts.Close()
	defer close(release)
	r := fastRetries(mustOpen(t, ts.URL, HTTPOptions{Token: token, Timeout: 50 * time.Millisecond, Retries: 1}))
	start := time.Now()
	_, err := r.Lookup(lookupCtx(t), Query{KeySHA256: srvSHA("key-a")})
	var ue *UnreachableError
	if !errors.As(err, &ue) || ue.Attempts != 2 {
		t.Fatalf("err %v, want *UnreachableError after 2 attempts", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %s", d)
	}
	if !strings.Contains(err.Error(), strings.TrimPrefix(ts.URL, "http://")) || strings.Contains(err.Error(), token) ||
		strings.Contains(err.Error(), srvSHA("key-a")) {
		t.Errorf("message: %v", err)
	}
	if n.Load() != 2 {
		t.Errorf("%d requests, want 2", n.Load())
	}
}

func TestRemoteClosedPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	const token = "closed-port-token"
	r := fastRetries(mustOpen(t, "http://"+addr+"/api", HTTPOptions{Token: token, Timeout: time.Second}))
	_, err = r.Lookup(lookupCtx(t), Query{Login: "alfa.maria", Partner: "Corban Alfa"})
	var ue *UnreachableError
	if !errors.As(err, &ue) || ue.Host != addr || ue.Attempts != 3 {
		t.Fatalf("err %v, want *UnreachableError for %s after 3 attempts", err, addr)
	}
	if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "alfa.maria") || strings.Contains(err.Error(), "Corban") {
		t.Errorf("message shows the token or what was asked: %v", err)
	}
}

func TestRemoteRedirectNotFollowed(t *testing.T) {
	var followed atomic.Bool
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		followed.Store(true)
	}))
	defer target.Close()
	ts := httptest.NewServer(http.RedirectHandler(target.URL+"/steal", http.StatusFound))
	defer ts.Close()
	r := mustOpen(t, ts.URL, HTTPOptions{Token: "tok"})
	_, err := r.Lookup(lookupCtx(t), Query{Login: "alfa.maria"})
	if err == nil || !strings.Contains(err.Error(), "302") {
		t.Errorf("err %v, want HTTP 302", err)
	}
	if followed.Load() {
		t.Error("redirect followed")
	}
}

func TestRemoteBadAnswers(t *testing.T) {
	for _, tt := range []struct{ name, body, want string }{
		{"not JSON", "<html>", "invalid JSON"},
		{"another key", `{"sha256":"` + srvSHA("other") + `"}`, "another key"},
		{"wrong type", `{"sha256":1}`, "field"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPost {
					http.NotFound(w, r) // no bulk endpoint: the key is asked alone
					return
				}
				fmt.Fprint(w, tt.body)
			}))
			defer ts.Close()
			r := mustOpen(t, ts.URL, HTTPOptions{})
			_, err := r.Lookup(lookupCtx(t), Query{KeySHA256: srvSHA("key-a")})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "GET /keys/{sha256}") {
				t.Errorf("err %v, want %q", err, tt.want)
			}
		})
	}
	// The same through the bulk endpoint, and what only a bulk answer can get wrong.
	key := srvSHA("key-a")
	for _, tt := range []struct {
		name string
		q    Query
		body string
		want string
	}{
		{"not JSON", Query{KeySHA256: key}, "<html>", "invalid JSON"},
		{"another key", Query{KeySHA256: key}, `{"keys":{"` + key + `":{"sha256":"` + srvSHA("other") + `"}}}`, "another key"},
		{"wrong type", Query{KeySHA256: key}, `{"keys":{"` + key + `":{"sha256":1}}}`, "field"},
		{"item missing", Query{KeySHA256: key, Login: "alfa.maria"}, `{"keys":{"` + key + `":null},"users":{}}`, "lacks one of the users"},
		{"partner not found", Query{Partner: "P"}, `{"partners":{"P":null}}`, "never"},
		{"partner's keys of another", Query{Partner: "P"}, `{"partners":{"P":[{"sha256":"` + key + `","partner":"Q"}]}}`, "another partner"},
	} {
		t.Run("bulk "+tt.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost {
					t.Errorf("%s %s: the bulk endpoint answered, nothing else should be asked", r.Method, r.URL.Path)
				}
				fmt.Fprint(w, tt.body)
			}))
			defer ts.Close()
			r := mustOpen(t, ts.URL, HTTPOptions{})
			_, err := r.Lookup(lookupCtx(t), tt.q)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "POST /lookup") {
				t.Errorf("err %v, want %q", err, tt.want)
			}
		})
	}
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	r := mustOpen(t, ts.URL, HTTPOptions{})
	if _, err := r.Lookup(lookupCtx(t), Query{Partner: "P"}); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("partner 404: %v, want an error", err)
	}
}

// TestRemoteMemo: many workers asking few distinct things make one request per thing,
// negative answers included, and none once the answers are known.
func TestRemoteMemo(t *testing.T) {
	idx := srvIndex(t)
	gate := make(chan struct{})
	c := &counting{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-gate // hold every request until all the workers have asked
		NewServer(idx, "").ServeHTTP(w, r)
	})}
	ts := httptest.NewServer(c)
	defer ts.Close()
	r := mustOpen(t, ts.URL, HTTPOptions{})

	// 20 distinct key+login pairs: 3 known keys and 17 unknown, 4 known logins and 16 unknown.
	var qs []Query
	known := []string{"alfa.maria", "barra/login", "..", "espaço e ?#%"}
	for i := range 20 {
		q := Query{KeySHA256: srvSHA(fmt.Sprint("key-", i)), Login: fmt.Sprint("nobody", i)}
		if i < 3 {
			q.KeySHA256 = srvSHA("key-" + string(rune('a'+i)))
		}
		if i < len(known) {
			q.Login = known[i]
		}
		qs = append(qs, q)
	}
	ctx := lookupCtx(t)
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	results := make([]Result, 200)
	var started sync.WaitGroup
	started.Add(200)
	for w := range 200 {
		wg.Go(func() {
			started.Done()
			res, err := r.Lookup(ctx, qs[w%20])
			results[w] = res
			if err != nil {
				errs <- err
			}
		})
	}
	started.Wait()
	time.Sleep(50 * time.Millisecond) // let the workers reach the memo
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := c.n.Load(); n != 40 {
		t.Errorf("%d items asked, want 40 (each distinct key and login once)", n)
	}
	for p, n := range c.paths {
		if n != 1 {
			t.Errorf("%s asked %d times", p, n)
		}
	}
	for w, res := range results {
		want, _ := idx.Lookup(ctx, qs[w%20])
		if !sameResult(res, want) {
			t.Errorf("worker %d: %s, want %s", w, showResult(res), showResult(want))
		}
	}
	for _, q := range qs {
		if _, err := r.Lookup(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if n := c.n.Load(); n != 40 {
		t.Errorf("after asking again: %d items asked, want still 40", n)
	}
}

// TestRemoteCallerGivesUp: a caller whose context ends gets its error at once; the
// fetch goes on for another caller waiting for the same answer.
func TestRemoteCallerGivesUp(t *testing.T) {
	idx := srvIndex(t)
	gate := make(chan struct{})
	c := &counting{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-gate:
		case <-r.Context().Done():
			return
		}
		NewServer(idx, "").ServeHTTP(w, r)
	})}
	ts := httptest.NewServer(c)
	defer ts.Close()
	r := mustOpen(t, ts.URL, HTTPOptions{})
	q := Query{Login: "alfa.maria"}

	done := make(chan Result)
	go func() {
		res, err := r.Lookup(lookupCtx(t), q)
		if err != nil {
			t.Error(err)
		}
		done <- res
	}()
	for c.n.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	if _, err := r.Lookup(ctx, q); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller: %v", err)
	}
	close(gate)
	if res := <-done; res.User == nil {
		t.Error("the other caller got no user")
	}
	if n := c.n.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
	// A lone caller that gives up cancels its request.
	gate2 := make(chan struct{})
	gone := make(chan struct{})
	ts2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A server notices the client leaving only once it has read the request's body.
		io.ReadAll(r.Body)
		select {
		case <-gate2:
		case <-r.Context().Done():
			close(gone)
		}
	}))
	defer ts2.Close()
	defer close(gate2)
	r2 := mustOpen(t, ts2.URL, HTTPOptions{Timeout: 10 * time.Second})
	ctx2, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	if _, err := r2.Lookup(ctx2, q); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("lone caller: %v", err)
	}
	select {
	case <-gone:
	case <-time.After(5 * time.Second):
		t.Error("the request went on after its only caller left")
	}
}

// manyQueries is n queries with distinct keys and logins, a few of them known to srvIndex.
func manyQueries(n int) []Query {
	known := []string{"alfa.maria", "barra/login", "..", "espaço e ?#%"}
	var qs []Query
	for i := range n {
		q := Query{KeySHA256: srvSHA(fmt.Sprint("key-", i)), Login: fmt.Sprint("nobody", i)}
		if i < 3 {
			q.KeySHA256 = srvSHA("key-" + string(rune('a'+i)))
		}
		if i < len(known) {
			q.Login = known[i]
		}
		if i%7 == 0 {
			q.Partner = []string{"Corban Alfa", "Promotora Sé", "Nobody"}[i%3]
		}
		qs = append(qs, q)
	}
	return qs
}

// askAll looks qs up from as many goroutines, each query twice, and checks every answer
// against the index.
func askAll(t *testing.T, r *Remote, idx *Index, qs []Query) {
	t.Helper()
	ctx := lookupCtx(t)
	var wg sync.WaitGroup
	for w := range 2 * len(qs) {
		wg.Go(func() {
			q := qs[w%len(qs)]
			res, err := r.Lookup(ctx, q)
			if err != nil {
				t.Error(err)
				return
			}
			if want, _ := idx.Lookup(ctx, q); !sameResult(res, want) {
				t.Errorf("%+v: %s, want %s", q, showResult(res), showResult(want))
			}
		})
	}
	wg.Wait()
}

// TestRemoteBulk: lookups in flight together go out in a few bulk requests, each item
// asked once.
func TestRemoteBulk(t *testing.T) {
	idx := srvIndex(t)
	c := &counting{h: NewServer(idx, "tok")}
	ts := httptest.NewServer(c)
	defer ts.Close()
	r := mustOpen(t, ts.URL, HTTPOptions{Token: "tok"})
	qs := manyQueries(300)
	askAll(t, r, idx, qs)
	items := 600 + 3 // distinct keys and logins, and three partners
	if n := c.n.Load(); n != int64(items) {
		t.Errorf("%d items asked, want %d", n, items)
	}
	for p, n := range c.paths {
		if n != 1 {
			t.Errorf("%s asked %d times", p, n)
		}
	}
	if n := c.reqs.Load(); n > 60 {
		t.Errorf("%d requests for %d items: the lookups were not asked in bulk", n, items)
	}
	// Known answers are not asked again.
	askAll(t, r, idx, qs)
	if n := c.n.Load(); n != int64(items) {
		t.Errorf("asking again: %d items asked in all, want still %d", n, items)
	}
}

// TestRemoteWithoutBulk: a service without the bulk endpoint is asked one item per
// request, each once, at most maxSingleInFlight at a time.
func TestRemoteWithoutBulk(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusMethodNotAllowed} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			idx := srvIndex(t)
			var inFlight, most atomic.Int64
			var bulks atomic.Int64
			c := &counting{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPost {
					bulks.Add(1)
					http.Error(w, "no", status)
					return
				}
				n := inFlight.Add(1)
				defer inFlight.Add(-1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(2 * time.Millisecond) // long enough for the lookups to pile up
				NewServer(idx, "").ServeHTTP(w, r)
			})}
			ts := httptest.NewServer(c)
			defer ts.Close()
			r := mustOpen(t, ts.URL, HTTPOptions{})
			qs := manyQueries(200)
			askAll(t, r, idx, qs)
			if n := c.reqs.Load() - bulks.Load(); n != 403 {
				t.Errorf("%d single requests, want 403 (one per key, login and partner)", n)
			}
			if n := bulks.Load(); n > maxBulkInFlight {
				t.Errorf("%d bulk requests, want at most %d before giving up on them", n, maxBulkInFlight)
			}
			if m := most.Load(); m > maxSingleInFlight || m < 4 {
				t.Errorf("%d requests at once at most, want between 4 and %d", m, maxSingleInFlight)
			}
		})
	}
}
