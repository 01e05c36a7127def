package directory

// The directory service over HTTP: the REST contract, spoken by Remote (the client) and
// served by NewServer (from a snapshot's Index).
//
//	GET {base}/keys/{sha256}
//	    200 application/json: one Key, the snapshot's shape
//	        {"sha256": "...", "partner": "...", "environment": "producao", "active": true, "users": ["..."]}
//	    404: no such key
//	GET {base}/users/{login}              (login path-escaped: "/" is %2F, "." and ".." are %2E)
//	    200 application/json: one User {"login": "...", "partner": "...", "active": true}
//	    404: no such login
//	GET {base}/partners/{partner}/keys    (partner path-escaped)
//	    200 application/json: a JSON array of Key, every key of the partner, possibly empty ([])
//	POST {base}/lookup                    (the bulk look-up; optional: a server may lack it)
//	    body application/json: {"keys": ["{sha256}", ...], "users": ["{login}", ...], "partners": ["{partner}", ...]}
//	    (each list optional; at most BulkMaxItems items in all and BulkMaxBody bytes, 413 beyond)
//	    200 application/json: every item asked, by what was asked; null when not found
//	        {"keys": {"{sha256}": Key or null}, "users": {"{login}": User or null}, "partners": {"{partner}": [Key...]}}
//	    400: a key that is not a lower-case hex SHA-256, an empty login or partner, a body
//	    that is not such an object
//
// When a token is configured, every request carries "Authorization: Bearer {token}"; a
// server with a token answers 401 to a request without it. Any other status (including
// 404 on the partner endpoint, 3xx, which is never followed, and 401) is an error. 5xx
// and transport errors are retried; when every attempt fails that way the lookup fails
// with *UnreachableError.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/go-resty/resty/v2"

	"github.com/crefazon/triagem/internal/cleartext"
	"github.com/crefazon/triagem/internal/quiet"
)

// Limits of the bulk look-up (POST /lookup) of the reference server.
const (
	BulkMaxItems = 1000    // keys, users and partners of one request, in all
	BulkMaxBody  = 1 << 20 // bytes of one request's body
	bulkPath     = "/lookup"
)

// bulkRequest is the body of POST /lookup.
type bulkRequest struct {
	Keys     []string `json:"keys,omitempty"`
	Users    []string `json:"users,omitempty"`
	Partners []string `json:"partners,omitempty"`
}

// bulkAnswer is the answer of the reference server to POST /lookup.
type bulkAnswer struct {
	Keys     map[string]*Key  `json:"keys"`
	Users    map[string]*User `json:"users"`
	Partners map[string][]Key `json:"partners"`
}

// Defaults of HTTPOptions.
const (
	DefaultHTTPTimeout  = 5 * time.Second
	DefaultHTTPRetries  = 2
	DefaultCacheTTL     = 10 * time.Minute
	httpRetryWait       = 100 * time.Millisecond
	httpRetryMaxWait    = time.Second
	httpMaxResponseBody = 32 << 20
)

// HTTPOptions configures OpenHTTP. The zero value is usable.
type HTTPOptions struct {
	Token    string        // bearer token; "" sends no Authorization header
	Timeout  time.Duration // per attempt, whole request; default 5s
	Retries  int           // retries after a transport error or 5xx; 0 means the default 2, negative none
	CacheDir string        // directory of the disk cache; "" keeps answers in memory only
	CacheTTL time.Duration // age after which a disk cache entry is ignored; default 10m
	Now      func() time.Time
	Client   *http.Client // optional, for tests; it is copied, never modified
}

// ErrTokenInClear refuses a bearer token over plain http to a host other than this machine:
// anyone on the way could read it and query the directory as support.
var ErrTokenInClear = errors.New("the bearer token would travel in clear over plain http; use https:// (plain http is only for localhost, 127.0.0.0/8 and ::1)")

// UnreachableError says the directory service could not answer: every attempt failed on
// transport (connection refused, timeout...) or with a 5xx status. It never holds the
// token.
type UnreachableError struct {
	Host     string // host[:port] of the service
	Attempts int
	Err      string // what the last attempt got
}

func (e *UnreachableError) Error() string {
	s := "s"
	if e.Attempts == 1 {
		s = ""
	}
	return fmt.Sprintf("directory service %s unreachable after %d attempt%s: %s", e.Host, e.Attempts, s, e.Err)
}

// Text is the error in lang ("en", or Portuguese for anything else). The network library's
// words (Err) stay in the English text.
func (e *UnreachableError) Text(lang string) string {
	if lang == "en" {
		return e.Error()
	}
	if e.Attempts == 1 {
		return fmt.Sprintf("o serviço do diretório %s não respondeu (1 tentativa): confira a rede e a URL, ou tente mais tarde; o detalhe aparece com --lang en", e.Host)
	}
	return fmt.Sprintf("o serviço do diretório %s não respondeu após %d tentativas: confira a rede e a URL, ou tente mais tarde; o detalhe aparece com --lang en", e.Host, e.Attempts)
}

// Remote is the directory service over HTTP. Answers, including "not found", are kept in
// memory for the life of the Remote (and on disk, with HTTPOptions.CacheDir), so that a
// batch asks the service once per distinct key, login and partner; concurrent lookups of
// the same thing share one request. It is safe for concurrent use. Errors are not kept:
// the next lookup asks again.
//
// What is not known yet goes out in bulk (POST /lookup): lookups that arrive while a bulk
// request is on its way wait for the next one, which carries them all (at most
// maxBulkInFlight requests at once, bulkChunk items each). A batch with many lookups in
// flight thus asks a few hundred requests where it asked one per key and login. A
// service without the bulk endpoint (404, 405, 413 or 501 to it) is asked one item per
// request from then on, at most maxSingleInFlight at once.
type Remote struct {
	base    string // scheme://host/path, no trailing slash, no credentials nor query
	host    string
	token   string
	retries int
	client  *resty.Client
	cache   *diskCache // nil without CacheDir
	singles chan struct{}

	mu       sync.Mutex
	memo     map[string]answer
	calls    map[string]*call
	queue    []*call // waiting for a bulk request
	senders  int     // goroutines sending bulk requests
	noBulk   bool    // the service has no bulk endpoint
	batching int     // batches running (StartBatch): cache writes wait for their end
}

var _ Directory = (*Remote)(nil)

// Bounds of the requests in flight.
const (
	maxBulkInFlight   = 2
	bulkChunk         = 500 // items per bulk request, under the reference server's BulkMaxItems
	maxSingleInFlight = 32
)

// answer is what the service said about one key, login or partner.
type answer struct {
	found bool
	key   *Key
	user  *User
	keys  []Key
}

// call is one fetch in flight, shared by every lookup that waits for it.
type call struct {
	kind, id string
	done     chan struct{}
	val      answer
	err      error
	waiters  int
	ctx      context.Context // ended when every waiter gave up
	cancel   context.CancelFunc
}

// Kinds of answer; also the path element of the endpoint.
const (
	kindKey     = "keys"
	kindUser    = "users"
	kindPartner = "partners"
	kindBulk    = "lookup"
)

// OpenHTTP prepares a Remote for the service at base (http or https, no credentials, no
// query). It makes no request.
func OpenHTTP(base string, opts HTTPOptions) (*Remote, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, errL("URL do diretório: não pôde ser lida", "directory URL: cannot parse it")
	}
	if u.User != nil {
		return nil, errL("URL do diretório %s: credenciais na URL são recusadas; use o token", "directory URL %s: credentials in the URL are refused; use the token", redactedBase(u))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, errL("URL do diretório %s: o esquema deve ser http ou https", "directory URL %s: scheme must be http or https", redactedBase(u))
	}
	if u.Host == "" {
		return nil, errL("URL do diretório %s: falta o host", "directory URL %s: no host", redactedBase(u))
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, errL("URL do diretório %s: query ou fragmento são recusados", "directory URL %s: a query or fragment is refused", redactedBase(u))
	}
	for _, r := range opts.Token {
		if r <= ' ' || r == 0x7f {
			return nil, errL("token do diretório: contém espaços ou caracteres de controle", "directory token: contains spaces or control characters")
		}
	}
	if opts.Token != "" && !cleartext.TokenAllowed(u) {
		return nil, fmt.Errorf("directory URL %s: %w", redactedBase(u), ErrTokenInClear)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultHTTPTimeout
	}
	switch {
	case opts.Retries == 0:
		opts.Retries = DefaultHTTPRetries
	case opts.Retries < 0:
		opts.Retries = 0
	}
	if opts.CacheTTL <= 0 {
		opts.CacheTTL = DefaultCacheTTL
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}

	r := &Remote{
		base:    redactedBase(u),
		host:    u.Host,
		token:   opts.Token,
		retries: opts.Retries,
		memo:    make(map[string]answer),
		calls:   make(map[string]*call),
		singles: make(chan struct{}, maxSingleInFlight),
	}
	if opts.CacheDir != "" {
		r.cache = &diskCache{dir: opts.CacheDir, base: r.base, ttl: opts.CacheTTL, now: opts.Now}
	}

	var hc *http.Client
	if opts.Client != nil {
		c := *opts.Client
		hc = &c
	} else {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = maxSingleInFlight // batch runs ask from many workers at once
		hc = &http.Client{Transport: t}
	}
	r.client = resty.NewWithClient(hc).
		SetLogger(quiet.Logger{}).
		SetDisableWarn(true).
		SetTimeout(opts.Timeout).
		SetRedirectPolicy(resty.RedirectPolicyFunc(func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // answered as an error; the token stays here
		})).
		SetResponseBodyLimit(httpMaxResponseBody).
		SetRetryCount(opts.Retries).
		SetRetryWaitTime(httpRetryWait).
		SetRetryMaxWaitTime(httpRetryMaxWait).
		// A custom condition replaces resty's default, which retried transport errors.
		AddRetryCondition(func(resp *resty.Response, err error) bool {
			if err != nil {
				return !errors.Is(err, resty.ErrResponseBodyTooLarge) && !errors.Is(err, context.Canceled)
			}
			return resp != nil && resp.StatusCode() >= 500
		})
	return r, nil
}

// Source is the base URL of the service.
func (r *Remote) Source() string { return r.base }

// Lookup asks the service for the non-empty fields of q, concurrently. An answer already
// known (in memory, or on disk and younger than the TTL) is not asked again.
func (r *Remote) Lookup(ctx context.Context, q Query) (Result, error) {
	if err := checkQuery(r.base, q); err != nil {
		return Result{}, err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("%s: %w", r.base, err)
	}
	type job struct {
		kind, id string
		val      answer
		err      error
	}
	var jobs []*job
	if q.KeySHA256 != "" {
		jobs = append(jobs, &job{kind: kindKey, id: q.KeySHA256})
	}
	if q.Login != "" {
		jobs = append(jobs, &job{kind: kindUser, id: q.Login})
	}
	if q.Partner != "" {
		jobs = append(jobs, &job{kind: kindPartner, id: q.Partner})
	}
	if len(jobs) == 1 {
		jobs[0].val, jobs[0].err = r.get(ctx, jobs[0].kind, jobs[0].id)
	} else {
		var wg sync.WaitGroup
		for _, j := range jobs {
			wg.Go(func() { j.val, j.err = r.get(ctx, j.kind, j.id) })
		}
		wg.Wait()
	}
	r.flushUnlessBatching()
	var res Result
	for _, j := range jobs {
		if j.err != nil {
			return Result{}, j.err
		}
		if !j.val.found {
			continue
		}
		switch j.kind {
		case kindKey:
			k := *j.val.key
			k.Users = slices.Clone(k.Users)
			res.Key = &k
		case kindUser:
			u := *j.val.user
			res.User = &u
		case kindPartner:
			for _, k := range j.val.keys {
				k.Users = slices.Clone(k.Users)
				res.PartnerKeys = append(res.PartnerKeys, k)
			}
		}
	}
	return res, nil
}

// StartBatch prepares the Remote for the many lookups of a batch: the answers it fetches
// are written to the disk cache once, when the returned function is called (at the end of
// the batch), instead of after each lookup.
func (r *Remote) StartBatch() (end func()) {
	r.mu.Lock()
	r.batching++
	r.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			r.mu.Lock()
			r.batching--
			r.mu.Unlock()
			r.flushUnlessBatching()
		})
	}
}

// flushUnlessBatching writes the new answers to the disk cache, unless a batch runs.
func (r *Remote) flushUnlessBatching() {
	if r.cache == nil {
		return
	}
	r.mu.Lock()
	batching := r.batching > 0
	r.mu.Unlock()
	if !batching {
		r.cache.flush() // a cache that cannot be written is only slower
	}
}

// get returns the memoised answer, or waits for the fetch in flight, or starts one. The
// fetch does not depend on ctx: a caller that gives up leaves it running for the others,
// and the last one to give up cancels it.
func (r *Remote) get(ctx context.Context, kind, id string) (answer, error) {
	k := kind + "\x00" + id
	r.mu.Lock()
	if a, ok := r.memo[k]; ok {
		r.mu.Unlock()
		return a, nil
	}
	c, ok := r.calls[k]
	if !ok {
		r.mu.Unlock()
		a, cached := r.fromCache(kind, id)
		r.mu.Lock()
		if cached {
			r.memo[k] = a
			r.mu.Unlock()
			return a, nil
		}
		if a, ok := r.memo[k]; ok {
			r.mu.Unlock()
			return a, nil
		}
		c, ok = r.calls[k]
	}
	if !ok {
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		c = &call{kind: kind, id: id, done: make(chan struct{}), ctx: fctx, cancel: cancel}
		r.calls[k] = c
		if r.noBulk {
			go r.run(c)
		} else {
			r.queue = append(r.queue, c)
			if r.senders < maxBulkInFlight {
				r.senders++
				go r.sendBulks()
			}
		}
	}
	c.waiters++
	r.mu.Unlock()

	select {
	case <-c.done:
		return c.val, c.err
	case <-ctx.Done():
		r.mu.Lock()
		c.waiters--
		if c.waiters == 0 {
			c.cancel()
			if r.calls[k] == c {
				delete(r.calls, k)
			}
		}
		r.mu.Unlock()
		return answer{}, fmt.Errorf("%s: %w", r.base, ctx.Err())
	}
}

// fromCache answers from the disk cache, when it holds a fresh answer it can use.
func (r *Remote) fromCache(kind, id string) (answer, bool) {
	if r.cache == nil {
		return answer{}, false
	}
	a, ok := r.cache.get(kind, id)
	if !ok {
		return answer{}, false
	}
	a, err := checkAnswer(kind, id, a)
	if err != nil {
		return answer{}, false // not what we can use: ask again, and the new answer replaces it
	}
	return a, true
}

// finish gives a call its answer, and keeps the answer for the next lookups.
func (r *Remote) finish(c *call, val answer, err error) {
	r.mu.Lock()
	c.val, c.err = val, err
	k := c.kind + "\x00" + c.id
	if r.calls[k] == c {
		delete(r.calls, k)
	}
	if err == nil {
		r.memo[k] = val
	}
	r.mu.Unlock()
	close(c.done)
	c.cancel()
}

// run fetches one item alone, once one of the maxSingleInFlight places is free.
func (r *Remote) run(c *call) {
	select {
	case r.singles <- struct{}{}:
	case <-c.ctx.Done():
		r.finish(c, answer{}, fmt.Errorf("%s: %w", r.base, c.ctx.Err()))
		return
	}
	val, err := r.fetch(c.ctx, c.kind, c.id)
	<-r.singles
	r.finish(c, val, err)
}

// sendBulks sends the queue in bulk requests until it is empty.
func (r *Remote) sendBulks() {
	for {
		r.mu.Lock()
		var group []*call
		for len(r.queue) > 0 && len(group) < bulkChunk {
			c := r.queue[0]
			r.queue[0] = nil
			r.queue = r.queue[1:]
			if c.ctx.Err() == nil { // else every waiter gave up: nobody needs it
				group = append(group, c)
			}
		}
		if len(group) == 0 {
			r.senders--
			r.queue = nil // let the backing array go
			r.mu.Unlock()
			return
		}
		noBulk := r.noBulk
		r.mu.Unlock()
		if noBulk {
			for _, c := range group {
				go r.run(c)
			}
			continue
		}
		r.sendBulk(group)
	}
}

// sendBulk asks the service for a group of items in one POST /lookup, and answers each.
// A service without the endpoint gets them one by one, from now on.
func (r *Remote) sendBulk(group []*call) {
	// The request ends when every item's waiters gave up (or it is answered).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for _, c := range group {
			select {
			case <-c.ctx.Done():
			case <-ctx.Done():
				return
			}
		}
		cancel()
	}()
	var body bulkRequest
	for _, c := range group {
		switch c.kind {
		case kindKey:
			body.Keys = append(body.Keys, c.id)
		case kindUser:
			body.Users = append(body.Users, c.id)
		case kindPartner:
			body.Partners = append(body.Partners, c.id)
		}
	}
	fail := func(err error) {
		for _, c := range group {
			r.finish(c, answer{}, err)
		}
	}
	data, err := json.Marshal(body) // strings only: it cannot fail
	if err != nil {
		fail(err)
		return
	}
	resp, err := r.request(ctx, kindBulk, data)
	if err != nil {
		fail(err)
		return
	}
	status := resp.StatusCode()
	switch status {
	case http.StatusOK:
	case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusRequestEntityTooLarge, http.StatusNotImplemented:
		r.mu.Lock()
		r.noBulk = true
		r.mu.Unlock()
		for _, c := range group {
			go r.run(c)
		}
		return
	default:
		fail(r.statusError(status, kindBulk))
		return
	}
	// One pass of encoding/json/v2 (go-json-experiment): about half of what two passes of
	// encoding/json (the answer, then each item) cost, on a batch's tens of thousands.
	var ans struct {
		Keys     map[string]*Key   `json:"keys"`
		Users    map[string]*User  `json:"users"`
		Partners map[string]*[]Key `json:"partners"`
	}
	if err := jsonv2.Unmarshal(resp.Body(), &ans, jsontext.AllowInvalidUTF8(true)); err != nil {
		fail(r.answerError(kindBulk, errors.New("not a look-up answer: "+jsonProblem(err))))
		return
	}
	for _, c := range group {
		var a answer
		var present bool
		switch c.kind {
		case kindKey:
			a.key, present = ans.Keys[c.id]
			a.found = a.key != nil
		case kindUser:
			a.user, present = ans.Users[c.id]
			a.found = a.user != nil
		case kindPartner:
			var ks *[]Key
			ks, present = ans.Partners[c.id]
			if ks != nil {
				a.found, a.keys = true, *ks
			}
		}
		if !present {
			r.finish(c, answer{}, r.answerError(kindBulk, fmt.Errorf("the answer lacks one of the %s asked", c.kind)))
			continue
		}
		a, err := checkAnswer(c.kind, c.id, a)
		if err != nil {
			r.finish(c, answer{}, r.answerError(kindBulk, err))
			continue
		}
		if r.cache != nil {
			r.cache.put(c.kind, c.id, a)
		}
		r.finish(c, a, nil)
	}
}

// request sends one request (GET of an item, or POST of a bulk look-up), retrying on
// transport errors and 5xx. It returns a response only with a status under 500.
func (r *Remote) request(ctx context.Context, kind string, body []byte) (*resty.Response, error) {
	req := r.client.R().
		SetContext(ctx).
		SetHeader("Accept", "application/json").
		SetHeader("User-Agent", "triagem")
	if r.token != "" {
		req.SetAuthToken(r.token)
	}
	var resp *resty.Response
	var err error
	if kind == kindBulk {
		resp, err = req.SetHeader("Content-Type", "application/json").SetBody(body).Post(r.base + bulkPath)
	} else {
		resp, err = req.Get(string(body))
	}
	attempts := 1
	if resp != nil && resp.Request != nil && resp.Request.Attempt > 0 {
		attempts = resp.Request.Attempt
	} else if req.Attempt > 0 {
		attempts = req.Attempt
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("%s: %w", r.base, ctx.Err())
	}
	if err != nil {
		if errors.Is(err, resty.ErrResponseBodyTooLarge) {
			return nil, errL("serviço do diretório %s: a resposta a %s passa de %d bytes", "directory service %s: the answer to %s is larger than %d bytes", r.host, endpoint(kind), httpMaxResponseBody)
		}
		return nil, &UnreachableError{Host: r.host, Attempts: attempts, Err: r.errText(err, kind)}
	}
	if status := resp.StatusCode(); status >= 500 && (kind != kindBulk || status != http.StatusNotImplemented) {
		return nil, &UnreachableError{Host: r.host, Attempts: attempts, Err: fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))}
	}
	return resp, nil
}

func (r *Remote) statusError(status int, kind string) error {
	method := "GET"
	if kind == kindBulk {
		method = "POST"
	}
	return errL("o serviço do diretório %[1]s respondeu HTTP %[2]d a %[5]s %[4]s", "directory service %[1]s answered HTTP %[2]d %[3]s to %[5]s %[4]s", r.host, status, http.StatusText(status), endpoint(kind), method)
}

func (r *Remote) answerError(kind string, err error) error {
	method := "GET"
	if kind == kindBulk {
		method = "POST"
	}
	return &textError{en: fmt.Sprintf("directory service %s: %s %s: %v", r.host, method, endpoint(kind), err),
		pt: fmt.Sprintf("o serviço do diretório %s deu uma resposta inválida a %s %s (o detalhe aparece com --lang en)", r.host, method, endpoint(kind))}
}

// fetch asks the service for one item (and fills the cache).
func (r *Remote) fetch(ctx context.Context, kind, id string) (answer, error) {
	path := r.base + "/" + kind + "/" + escapeSegment(id)
	if kind == kindPartner {
		path += "/keys"
	}
	resp, err := r.request(ctx, kind, []byte(path))
	if err != nil {
		return answer{}, err
	}
	status := resp.StatusCode()
	switch {
	case status == http.StatusOK:
	case status == http.StatusNotFound && kind != kindPartner:
	default:
		return answer{}, r.statusError(status, kind)
	}
	found := status == http.StatusOK
	var body []byte
	if found {
		body = resp.Body()
	}
	a, err := decodeAnswer(kind, id, found, body)
	if err != nil {
		return answer{}, r.answerError(kind, err)
	}
	if r.cache != nil {
		r.cache.put(kind, id, a)
	}
	return a, nil
}

// decodeAnswer reads a 200 body (found) or stands for a 404, checking that it answers
// what was asked.
func decodeAnswer(kind, id string, found bool, body []byte) (answer, error) {
	if !found {
		return checkAnswer(kind, id, answer{})
	}
	a := answer{found: true}
	switch kind {
	case kindKey:
		var k Key
		if err := json.Unmarshal(body, &k); err != nil {
			return answer{}, fmt.Errorf("not a key: %v", jsonProblem(err))
		}
		a.key = &k
	case kindUser:
		var u User
		if err := json.Unmarshal(body, &u); err != nil {
			return answer{}, fmt.Errorf("not a user: %v", jsonProblem(err))
		}
		a.user = &u
	case kindPartner:
		var ks []Key
		if err := json.Unmarshal(body, &ks); err != nil {
			return answer{}, fmt.Errorf("not a list of keys: %v", jsonProblem(err))
		}
		a.keys = ks
	default:
		return answer{}, fmt.Errorf("unknown kind %q", kind)
	}
	return checkAnswer(kind, id, a)
}

// checkAnswer checks that an answer, however it came (a GET, a bulk look-up, the disk
// cache), answers what was asked.
func checkAnswer(kind, id string, a answer) (answer, error) {
	if !a.found {
		if kind == kindPartner {
			return answer{}, errors.New("a partner is never \"not found\"")
		}
		return answer{}, nil
	}
	switch kind {
	case kindKey:
		if a.key == nil || a.key.SHA256 != id {
			return answer{}, errors.New("the answer is another key than the one asked")
		}
	case kindUser:
		if a.user == nil || a.user.Login != id {
			return answer{}, errors.New("the answer is another login than the one asked")
		}
	case kindPartner:
		for i, k := range a.keys {
			if problem := sha256Problem(k.SHA256); problem != "" {
				return answer{}, fmt.Errorf("keys[%d]: sha256 is not a lower-case hex SHA-256: %s", i, problem)
			}
			if k.Partner != id {
				return answer{}, fmt.Errorf("keys[%d] belongs to another partner than the one asked", i)
			}
		}
		if len(a.keys) == 0 {
			a.keys = nil
		}
	default:
		return answer{}, fmt.Errorf("unknown kind %q", kind)
	}
	return a, nil
}

// jsonProblem says what is wrong with a JSON body without quoting it.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var se2 *jsontext.SyntacticError
	var te2 *jsonv2.SemanticError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %q: want %s, found JSON %s", te.Field, te.Type, te.Value)
	case errors.As(err, &se2):
		return fmt.Sprintf("invalid JSON at byte %d", se2.ByteOffset)
	case errors.As(err, &te2) && te2.GoType != nil:
		// Only the field's own name: the pointer's other tokens are the logins asked.
		return fmt.Sprintf("field %q: want %s, found JSON %s", te2.JSONPointer.LastToken(), te2.GoType, te2.JSONKind)
	}
	return "invalid JSON"
}

// errText is a transport error's text without the request URL (which holds the login)
// nor the token.
func (r *Remote) errText(err error, kind string) string {
	var s string
	var ue *url.Error
	switch {
	case errors.As(err, &ue):
		s = fmt.Sprintf("%s %s: %v", ue.Op, endpoint(kind), ue.Err)
		var ne net.Error
		if errors.As(ue.Err, &ne) && ne.Timeout() && !strings.Contains(s, "timeout") {
			s += " (timeout)"
		}
	default:
		s = err.Error()
	}
	if r.token != "" {
		s = strings.ReplaceAll(s, r.token, "***")
	}
	return s
}

// endpoint names an endpoint of the contract without the value asked.
func endpoint(kind string) string {
	switch kind {
	case kindKey:
		return "/keys/{sha256}"
	case kindUser:
		return "/users/{login}"
	case kindPartner:
		return "/partners/{partner}/keys"
	case kindBulk:
		return bulkPath
	}
	return "/" + kind
}

// escapeSegment path-escapes one path segment. "." and ".." are escaped too, or servers
// and proxies would take them for relative paths.
func escapeSegment(s string) string {
	e := url.PathEscape(s)
	if e == "." || e == ".." {
		e = strings.ReplaceAll(e, ".", "%2E")
	}
	return e
}

// redactedBase shows a URL without user info, query nor fragment, and without the
// trailing slash of its path.
func redactedBase(u *url.URL) string {
	c := *u
	c.User = nil
	c.RawQuery, c.ForceQuery = "", false
	c.Fragment, c.RawFragment = "", ""
	return strings.TrimSuffix(c.String(), "/")
}
