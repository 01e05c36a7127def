package intake

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
	"golang.org/x/text/encoding/unicode"
)

// HAREntry summarises one entry of a HAR file for listing.
type HAREntry struct {
	Index      int       // 0-based position in log.entries (people count from 1: Index+1)
	Method     string    // request.method
	URL        string    // request.url
	Status     int       // response.status; 0 when no answer came
	Started    time.Time // startedDateTime; zero when the entry has none
	Failing    bool      // status 0 or >= 400, whatever the host
	PartnerAPI bool      // the URL's host is one of the partner API's

	Error     string // the browser's reason when no answer came (response._error), "" when none
	Preflight bool   // a CORS preflight (OPTIONS) of a URL another entry requests
	Login     bool   // a login call to the partner API (V1 or V2 route)

	// Problem says why the entry cannot be read; nil when it can. Such an entry is listed
	// but never chosen, and Request returns the reason as an error.
	Problem *Note
}

// HAR is a parsed HAR document: the entries' summaries, in the log's order, and the log
// itself, from which Request builds an entry's request.
type HAR struct {
	Name    string // the file's name, for messages and sources
	Creator string // log.creator, e.g. "WebInspector 537.36" (Chrome, Edge) or "Firefox 133.0"
	Entries []HAREntry
	Notes   []Note // about the file as a whole (its encoding)

	entries   []harEntry
	sanitized bool // a Chrome HAR with no Authorization or Cookie header in any entry
	zone      *time.Location
}

// ParseHAR reads a HAR 1.2 document (as Chrome, Firefox and Edge export it, and the tools
// built on them) and returns all entries' summaries. isPartnerHost tells whether a host
// (without port) is one of the partner API's; the caller passes rules.EnvironmentOfHost.
// A nil isPartnerHost knows no host. Times without an offset are read as UTC.
//
// An entry that cannot be read does not refuse the file: it is listed with its Problem.
// Errors are about the document (not JSON, no log.entries): *diagnose.InputError values that
// name the file, and the line and column; they never quote headers or bodies.
func ParseHAR(name string, data []byte, isPartnerHost func(host string) bool) (*HAR, error) {
	return ParseHARIn(name, data, isPartnerHost, nil)
}

// ParseHARIn is ParseHAR reading times without an offset in zone (nil: UTC).
func ParseHARIn(name string, data []byte, isPartnerHost func(host string) bool, zone *time.Location) (*HAR, error) {
	var fileNotes []Note
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		dec := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()
		u, err := dec.Bytes(data)
		if err != nil {
			return nil, harErr(name, "the file starts with a UTF-16 mark but is not UTF-16 text")
		}
		data = u
		fileNotes = append(fileNotes, note("har.utf16"))
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, harErr(name, "empty file: not a HAR file")
	}
	if bytes.IndexByte(data[:min(len(data), 4096)], 0) >= 0 {
		return nil, harErr(name, "not a HAR file: binary content, not JSON")
	}
	spans, creator, err := harSplit(name, data)
	if err != nil {
		return nil, err
	}
	if len(spans) == 0 {
		return nil, harErr(name, "the HAR has no entries: export it from the Network tab after the failing request shows there")
	}
	if zone == nil {
		zone = time.UTC
	}
	h := &HAR{Name: name, Creator: strings.TrimSpace(creator.Name + " " + creator.Version), Notes: fileNotes, zone: zone}
	h.entries = make([]harEntry, len(spans))
	h.Entries = make([]HAREntry, len(spans))
	credentials := false
	for i, sp := range spans {
		e := &h.entries[i]
		e.data = data[sp[0]:sp[1]]
		sum := HAREntry{Index: i}
		if err := json.Unmarshal(e.data, e); err != nil {
			e.problem = harEntryJSONProblem(data, sp[0], err)
		} else {
			e.problem = e.check(zone)
		}
		if e.problem == nil {
			sum = e.summary(i, isPartnerHost)
			for _, hd := range e.Request.Headers {
				switch strings.ToLower(strings.TrimSpace(string(hd.Name))) {
				case "authorization", "cookie":
					credentials = true
				}
			}
			if len(e.Request.Cookies) > 0 {
				credentials = true
			}
		} else {
			sum.Problem = e.problem
			if e.Request != nil {
				sum.Method, sum.URL = string(e.Request.Method), string(e.Request.URL)
			}
		}
		h.Entries[i] = sum
	}
	h.markPreflights()
	h.sanitized = creator.Name == "WebInspector" && !credentials
	return h, nil
}

// markPreflights marks the CORS preflights: an OPTIONS that got no answer or a 2xx, for a
// URL that another entry requests with another method. The failing request is the real one.
func (h *HAR) markPreflights() {
	real := map[string]bool{}
	for _, e := range h.Entries {
		if e.Problem == nil && e.Method != http.MethodOptions {
			real[e.URL] = true
		}
	}
	for i := range h.Entries {
		e := &h.Entries[i]
		if e.Problem == nil && strings.EqualFold(e.Method, http.MethodOptions) && (e.Status == 0 || e.Status/100 == 2) && real[e.URL] {
			e.Preflight = true
		}
	}
}

// Failing returns the readable failing entries (response status 0 or >= 400) to partner API
// hosts, in the log's order. A CORS preflight of a failing request is not one of them.
func (h *HAR) Failing() []HAREntry {
	var out []HAREntry
	for _, e := range h.Entries {
		if e.Problem == nil && e.Failing && e.PartnerAPI && !e.Preflight {
			out = append(out, e)
		}
	}
	return out
}

// Skipped returns the entries that cannot be read, in the log's order.
func (h *HAR) Skipped() []HAREntry {
	var out []HAREntry
	for _, e := range h.Entries {
		if e.Problem != nil {
			out = append(out, e)
		}
	}
	return out
}

// SkippedNotes are notes naming the entries that cannot be read and why, at most max of
// them and one that counts the rest.
func (h *HAR) SkippedNotes(max int) []Note {
	var out []Note
	sk := h.Skipped()
	for i, e := range sk {
		if i == max {
			out = append(out, note("har.skipped-more", len(sk)-max))
			break
		}
		out = append(out, note("har.skipped", e.Index+1, *e.Problem))
	}
	return out
}

// harBodyCap bounds the response text a case keeps: the checks need its error messages,
// not a whole download.
const harBodyCap = 64 << 10

// Request returns entry i (0-based index into the log's entries) as a Request: method, URL,
// headers (request.headers, canonical names, HTTP/2 pseudo-headers dropped; request.cookies
// as the Cookie header when no Cookie header was recorded), body from request.postData.text
// (or postData.params rebuilt as a form when text is absent), At from startedDateTime, the
// response's status and text (response.content.text, base64-decoded when content.encoding is
// "base64"; a long one cut down to what the checks read), the browser's reason when no answer
// came, the user and key of a login call earlier in the HAR, and Source "NAME entry N".
func (h *HAR) Request(i int) (*Request, error) {
	if i < 0 || i >= len(h.entries) {
		return nil, harErr(h.Name, "entry %d: no such entry: the HAR has %d (1 to %d)", i+1, len(h.entries), len(h.entries))
	}
	e := &h.entries[i]
	if e.problem != nil {
		return nil, harErr(h.Name, "entry %d: %s", i+1, e.problem.Text("en"))
	}
	r := &Request{Method: string(e.Request.Method), URL: string(e.Request.URL), Source: fmt.Sprintf("%s entry %d", h.Name, i+1)}
	r.Notes = append(r.Notes, h.Notes...)
	if e.noOffset {
		r.Notes = append(r.Notes, note("har.time-no-offset", i+1, h.zone.String()))
	}
	if e.strayPercent {
		r.Notes = append(r.Notes, note("har.stray-percent"))
	}

	hasAuth := false
	for _, hd := range e.Request.Headers {
		k := strings.TrimSpace(string(hd.Name))
		if k == "" || strings.HasPrefix(k, ":") {
			continue // HTTP/2 pseudo-headers: the method, URL and host say the same
		}
		k = http.CanonicalHeaderKey(k)
		if k == "Authorization" {
			hasAuth = true
		}
		if r.Headers == nil {
			r.Headers = map[string]string{}
		}
		if prev, ok := r.Headers[k]; ok {
			sep := ", "
			if k == "Cookie" {
				sep = "; " // HTTP/2 splits the cookie header; it joins back with "; "
			}
			r.Headers[k] = prev + sep + string(hd.Value)
		} else {
			r.Headers[k] = string(hd.Value)
		}
	}
	if _, ok := r.Headers["Cookie"]; !ok && len(e.Request.Cookies) > 0 {
		var parts []string
		for _, c := range e.Request.Cookies {
			if n := strings.TrimSpace(string(c.Name)); n != "" {
				parts = append(parts, n+"="+string(c.Value))
			}
		}
		if len(parts) > 0 {
			if r.Headers == nil {
				r.Headers = map[string]string{}
			}
			r.Headers["Cookie"] = strings.Join(parts, "; ")
			r.Notes = append(r.Notes, note("har.cookies"))
		}
	}
	if h.sanitized && !hasAuth {
		r.Notes = append(r.Notes, note("har.sanitized"))
	}

	if pd := e.Request.PostData; pd != nil {
		switch {
		case pd.Text != nil:
			r.Body, r.HasBody = []byte(*pd.Text), true
		case len(pd.Params) > 0:
			r.Body, r.HasBody = harFormBody(pd.Params), true
			r.Notes = append(r.Notes, note("har.form-rebuilt"))
			if strings.HasPrefix(strings.ToLower(strings.TrimSpace(string(pd.MimeType))), "multipart/") {
				r.Notes = append(r.Notes, note("har.multipart"))
			}
		}
	}
	if !r.HasBody && e.Request.BodySize != nil && *e.Request.BodySize > 0 {
		r.Notes = append(r.Notes, note("har.body-unknown", harNumber(float64(*e.Request.BodySize))))
	}

	if !e.started.IsZero() {
		r.At, r.HasAt = e.started, true
	}

	if resp := e.Response; resp != nil {
		r.HasResponse = true
		r.Status = max(e.status, 0)
		c := resp.Content
		switch {
		case c.Text.raw == nil:
			if c.Size != nil && *c.Size > 0 {
				r.Notes = append(r.Notes, note("har.no-resp-text", harNumber(float64(*c.Size))))
			}
		default:
			enc := strings.ToLower(strings.TrimSpace(string(c.Encoding)))
			if enc != "" && enc != "base64" {
				r.Notes = append(r.Notes, note("har.encoding", curlSafeName(string(c.Encoding))))
			}
			body, n, err := harResponseText(c.Text.raw, enc == "base64")
			if err != nil {
				return nil, harErr(h.Name, "entry %d: response.content.text: %s (content.encoding is base64)", i+1, err)
			}
			r.ResponseBody = body
			switch n {
			case "har.resp-capped":
				r.Notes = append(r.Notes, note(n, harTextSize(c), len(body)))
			case "har.resp-errors":
				r.Notes = append(r.Notes, note(n, harTextSize(c)))
			}
		}
		if r.Status == 0 {
			if why := harReason(resp.Error); why != "" {
				r.Error = why
				r.Notes = append(r.Notes, note("har.no-answer-why", why))
			} else {
				r.Notes = append(r.Notes, note("har.no-answer"))
			}
		}
	}
	if r.Status == 0 || r.Status >= 400 {
		for _, p := range h.Entries {
			if p.Preflight && p.URL == r.URL && p.Index != i {
				r.Notes = append(r.Notes, note("har.preflight", p.Index+1))
				break
			}
		}
	}
	if h.Entries[i].PartnerAPI && !h.Entries[i].Login {
		if user, key, at := h.login(i); at >= 0 {
			r.User, r.APIKey = user, key
			r.Notes = append(r.Notes, note("har.login", at+1))
		}
	}
	return r, nil
}

// login finds the login call that goes with entry i: the last one before it in the log with a
// user or key in its body. It returns the index -1 when there is none.
func (h *HAR) login(i int) (user, key string, at int) {
	for j := i - 1; j >= 0; j-- {
		if !h.Entries[j].Login {
			continue
		}
		pd := h.entries[j].Request.PostData
		if pd == nil || pd.Text == nil {
			continue
		}
		var body struct {
			Usuario *struct {
				Login  string `json:"login"`
				APIKey string `json:"apiKey"`
			} `json:"usuario"`
			Login  string `json:"login"`
			APIKey string `json:"apiKey"`
		}
		if json.Unmarshal([]byte(*pd.Text), &body) != nil {
			continue
		}
		if body.Usuario != nil {
			user, key = body.Usuario.Login, body.Usuario.APIKey
		} else {
			user, key = body.Login, body.APIKey
		}
		user, key = strings.TrimSpace(user), strings.TrimSpace(key)
		if user != "" || key != "" {
			return user, key, j
		}
	}
	return "", "", -1
}

// harReason keeps the browser's reason for a missing answer when it looks like one
// (net::ERR_CONNECTION_REFUSED, NS_ERROR_..., a short phrase): never a long text.
func harReason(v *harLoose) string {
	if v == nil {
		return ""
	}
	return clipSafe(string(*v), 80)
}

// harTextSize is the response's size: content.size when given, else the text's length.
func harTextSize(c harContent) int {
	if c.Size != nil && *c.Size > 0 {
		return int(*c.Size)
	}
	return len(c.Text.raw)
}

// harResponseText decodes response.content.text (raw is its JSON literal) and cuts it down to
// what the checks read. A short text is decoded whole. A long one that is not JSON keeps a
// prefix of harBodyCap bytes, decoded from a prefix of the literal so that a download of
// tens of megabytes costs little; a long JSON text keeps its short fields and its errors.
// note is "" when the text is kept whole, else the id of the note that says what was kept.
func harResponseText(raw []byte, isBase64 bool) (body []byte, noteID string, err error) {
	if len(raw) == 0 || raw[0] != '"' { // a number or an object where a string belongs
		if string(raw) == "null" {
			return nil, "", nil
		}
		raw = []byte(strconv.Quote(string(raw)))
	}
	// Base64 needs 4 characters for 3 bytes; escapes take up to 6 characters for one.
	prefixLen := harBodyCap*6 + 16
	if len(raw) <= prefixLen*2 {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, "", errf("not a JSON string")
		}
		b := []byte(s)
		if isBase64 {
			if b, err = harBase64(s); err != nil {
				return nil, "", err
			}
		}
		return harCompact(b)
	}
	// Long: look at a prefix first.
	cut := prefixLen
	if k := bytes.LastIndexByte(raw[:cut], '\\'); k >= cut-12 {
		cut = k // do not split an escape
	}
	var s string
	if err := json.Unmarshal(append(bytes.Clone(raw[:cut]), '"'), &s); err != nil {
		return nil, "", errf("not a JSON string")
	}
	head := []byte(s)
	if isBase64 {
		s = strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, s)
		s = s[:len(s)/4*4]
		if head, err = harBase64(s); err != nil {
			return nil, "", err
		}
	}
	if harLooksJSON(head) {
		// A long JSON answer: its errors may be anywhere in it.
		var whole string
		if err := json.Unmarshal(raw, &whole); err != nil {
			return nil, "", errf("not a JSON string")
		}
		b := []byte(whole)
		if isBase64 {
			if b, err = harBase64(whole); err != nil {
				return nil, "", err
			}
		}
		return harCompact(b)
	}
	return harPrefix(head), "har.resp-capped", nil
}

// harLooksJSON tells whether a prefix of a response may start a JSON document: it opens an
// object or an array and is text (valid UTF-8 without NUL bytes), as a binary download is not.
func harLooksJSON(head []byte) bool {
	t := bytes.TrimLeft(head, " \t\r\n")
	t = bytes.TrimPrefix(t, []byte("\ufeff"))
	if len(t) == 0 || t[0] != '{' && t[0] != '[' || bytes.IndexByte(t, 0) >= 0 {
		return false
	}
	for k := 0; k < utf8.UTFMax && len(t) > 0 && !utf8.Valid(t); k++ {
		t = t[:len(t)-1] // the prefix may end inside a character
	}
	return utf8.Valid(t)
}

// harCompact keeps a response text whole when short; a long JSON object keeps its short
// fields and its errors array; anything else long keeps a prefix.
func harCompact(b []byte) ([]byte, string, error) {
	if len(b) <= harBodyCap {
		return b, "", nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) == nil {
		kept := map[string]json.RawMessage{}
		for k, v := range obj {
			if len(v) <= 1024 || strings.EqualFold(k, "errors") {
				kept[k] = v
			}
		}
		if out, err := json.Marshal(kept); err == nil && len(out) < len(b) {
			return out, "har.resp-errors", nil
		}
	}
	return harPrefix(b), "har.resp-capped", nil
}

// harPrefix is the first harBodyCap bytes of b, not splitting a UTF-8 sequence.
func harPrefix(b []byte) []byte {
	if len(b) <= harBodyCap {
		return b
	}
	cut := harBodyCap
	for k := 0; k < 3 && cut > 0 && !utf8.RuneStart(b[cut]); k++ {
		cut--
	}
	return bytes.Clone(b[:cut])
}

// The parts of HAR 1.2 that a request needs. Everything else (timings, the browsers' "_"
// extras) is read past. Tools built on the browsers write odd values (numbers or objects
// for strings, 401.0 for a status): harLoose and harNum take them.
type harEntry struct {
	StartedDateTime *harLoose    `json:"startedDateTime"`
	Request         *harRequest  `json:"request"`
	Response        *harResponse `json:"response"`

	data         []byte // the entry's JSON, a slice of the document
	started      time.Time
	noOffset     bool // startedDateTime had no offset: read in the HAR's zone
	strayPercent bool // the URL had a % without two hex digits, read as %25
	status       int
	problem      *Note
}

type harRequest struct {
	Method   harLoose     `json:"method"`
	URL      harLoose     `json:"url"`
	Headers  []harNV      `json:"headers"`
	Cookies  []harNV      `json:"cookies"`
	BodySize *harNum      `json:"bodySize"`
	PostData *harPostData `json:"postData"`
}

type harNV struct {
	Name  harLoose `json:"name"`
	Value harLoose `json:"value"`
}

type harPostData struct {
	MimeType harLoose  `json:"mimeType"`
	Params   []harNV   `json:"params"`
	Text     *harLoose `json:"text"`
}

type harResponse struct {
	Status  *harNum    `json:"status"`
	Content harContent `json:"content"`
	Error   *harLoose  `json:"_error"` // Chrome: why no answer came, e.g. net::ERR_TIMED_OUT
}

type harContent struct {
	Size     *harNum  `json:"size"`
	Text     harText  `json:"text"`
	Encoding harLoose `json:"encoding"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// harLoose is a string that other JSON also fills: a number or boolean as written, an object
// or array as its compact JSON text, null as "".
type harLoose string

func (s *harLoose) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*s = ""
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = harLoose(v)
	case b[0] == '{' || b[0] == '[':
		var buf bytes.Buffer
		if err := json.Compact(&buf, b); err != nil {
			return err
		}
		*s = harLoose(buf.String())
	default:
		*s = harLoose(b)
	}
	return nil
}

// harNum is a number, also when written as 401.0 or "401"; null is 0.
type harNum float64

func (n *harNum) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	s := string(b)
	if s == "null" {
		*n = 0
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return &json.UnmarshalTypeError{Value: harValueKind(b), Type: reflect.TypeFor[float64]()}
	}
	*n = harNum(f)
	return nil
}

// harText keeps content.text undecoded: a response of megabytes is decoded only when its
// entry is read, and then only as much as the checks need. raw is a slice of the document
// (encoding/json passes a slice of its input, which the HAR keeps unchanged).
type harText struct{ raw []byte }

func (t *harText) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		t.raw = nil
		return nil
	}
	t.raw = b
	return nil
}

func harValueKind(b []byte) string {
	if len(b) == 0 {
		return "value"
	}
	switch b[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// check tells what makes the entry unreadable, or nil. Its notes name fields, not values.
func (e *harEntry) check(zone *time.Location) *Note {
	if e.Request == nil {
		n := note("har.reason.request")
		return &n
	}
	method, raw := string(e.Request.Method), strings.TrimSpace(string(e.Request.URL))
	if method == "" {
		n := note("har.reason.method")
		if strings.HasPrefix(strings.ToLower(raw), "data:") {
			n = note("har.reason.data-url")
		}
		return &n
	}
	if !harIsToken(method) {
		n := note("har.reason.badmeth")
		return &n
	}
	if raw == "" {
		n := note("har.reason.no-url")
		return &n
	}
	if strings.HasPrefix(strings.ToLower(raw), "data:") {
		n := note("har.reason.data-url")
		return &n
	}
	u, err := url.Parse(raw)
	if err != nil && strings.Contains(err.Error(), "invalid URL escape") {
		// Browsers send a stray % as it is (?desconto=10%); read as %25, noted.
		if u2, err2 := url.Parse(harStrayPercent(raw)); err2 == nil {
			u, err = u2, nil
			e.Request.URL = harLoose(harStrayPercent(raw))
			e.strayPercent = true
		}
	}
	if err != nil {
		if strings.HasPrefix(raw, "/") || !strings.Contains(raw, "://") {
			n := note("har.reason.relative")
			return &n
		}
		n := note("har.reason.url", harURLProblem(err))
		return &n
	}
	if u.Scheme == "" || u.Host == "" && (u.Scheme == "http" || u.Scheme == "https") {
		n := note("har.reason.relative")
		return &n
	}
	if e.StartedDateTime != nil && strings.TrimSpace(string(*e.StartedDateTime)) != "" {
		t, noOffset, err := harTime(string(*e.StartedDateTime), zone)
		if err != nil {
			n := note("har.reason.time")
			return &n
		}
		e.started, e.noOffset = t, noOffset
	}
	if e.Response != nil && e.Response.Status != nil {
		st := float64(*e.Response.Status)
		if st > 999 || st != float64(int(st)) {
			n := note("har.reason.status", harNumber(st))
			return &n
		}
		e.status = int(st)
	}
	return nil
}

// summary sums up a readable entry.
func (e *harEntry) summary(i int, isPartnerHost func(string) bool) HAREntry {
	s := HAREntry{Index: i, Method: string(e.Request.Method), URL: string(e.Request.URL), Started: e.started}
	s.Status = max(e.status, 0)
	s.Failing = s.Status == 0 || s.Status >= 400
	if s.Status == 0 && e.Response != nil {
		s.Error = harReason(e.Response.Error)
	}
	u, _ := url.Parse(s.URL)
	if h := u.Hostname(); h != "" && isPartnerHost != nil {
		s.PartnerAPI = isPartnerHost(h)
	}
	p := strings.ToLower(strings.TrimRight(u.Path, "/"))
	s.Login = s.PartnerAPI && strings.EqualFold(s.Method, http.MethodPost) &&
		(strings.HasSuffix(p, "/api/v2/usuarios/login") || strings.HasSuffix(p, "/api/usuario/login"))
	return s
}

// harSplit walks the document down to log.entries and returns each entry's span in data.
// It reads with jsontext over a bytes.Buffer, which parses data in place: a HAR of tens of
// megabytes is not copied.
func harSplit(name string, data []byte) (spans [][2]int, creator harCreator, err error) {
	dec := jsontext.NewDecoder(bytes.NewBuffer(data), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	fail := func(e error) ([][2]int, harCreator, error) {
		return nil, harCreator{}, harSyntaxErr(name, data, dec, e)
	}
	tok, err := dec.ReadToken()
	if err != nil {
		return fail(err)
	}
	if tok.Kind() != '{' {
		return nil, creator, harErr(name, "not a HAR file: no log.entries (the document is a JSON %s, not an object)", harKind(tok.Kind()))
	}
	found := false
	for dec.PeekKind() != '}' {
		key, err := dec.ReadToken()
		if err != nil {
			return fail(err)
		}
		if key.String() != "log" {
			if err := dec.SkipValue(); err != nil {
				return fail(err)
			}
			continue
		}
		tok, err := dec.ReadToken()
		if err != nil {
			return fail(err)
		}
		if tok.Kind() != '{' {
			if tok.Kind() == '[' {
				return nil, creator, harErr(name, "not a HAR file: no log.entries (log is an array, not an object)")
			}
			found, spans = false, nil
			continue // a scalar log: the last "log" key counts, as in encoding/json
		}
		found, spans = false, nil
		for dec.PeekKind() != '}' {
			key, err := dec.ReadToken()
			if err != nil {
				return fail(err)
			}
			switch key.String() {
			case "creator":
				v, err := dec.ReadValue()
				if err != nil {
					return fail(err)
				}
				var c harCreator
				if json.Unmarshal(v, &c) == nil {
					creator = c
				} else {
					creator = harCreator{} // a strange creator does not stop the reading
				}
			case "entries":
				switch dec.PeekKind() {
				case 'n':
					dec.ReadToken()
					found, spans = false, nil
					continue
				case '[':
				case '{':
					return nil, creator, harErr(name, "not a HAR file: no log.entries (log.entries is an object, not an array)")
				case 0:
					_, err := dec.ReadToken()
					return fail(err)
				default:
					return nil, creator, harErr(name, "not a HAR file: no log.entries (log.entries is a %s, not an array)", harKind(dec.PeekKind()))
				}
				dec.ReadToken() // [
				found, spans = true, nil
				for dec.PeekKind() != ']' {
					if dec.PeekKind() == 0 {
						_, err := dec.ReadToken()
						return fail(err)
					}
					start := harSkipSpace(data, int(dec.InputOffset()))
					if err := dec.SkipValue(); err != nil {
						return fail(err)
					}
					spans = append(spans, [2]int{start, int(dec.InputOffset())})
				}
				if _, err := dec.ReadToken(); err != nil { // ]
					return fail(err)
				}
			default:
				if err := dec.SkipValue(); err != nil {
					return fail(err)
				}
			}
		}
		if _, err := dec.ReadToken(); err != nil { // } of log
			return fail(err)
		}
	}
	if _, err := dec.ReadToken(); err != nil { // } of the document
		return fail(err)
	}
	end := harSkipSpace(data, int(dec.InputOffset()))
	if _, err := dec.ReadToken(); err != io.EOF {
		if end >= len(data) { // the decoder's own complaint about the end
			return fail(err)
		}
		line, col := harLineCol(data, end)
		return nil, creator, harErr(fmt.Sprintf("%s:%d:%d", name, line, col), "not JSON: unexpected content after the HAR's JSON object")
	}
	if !found {
		return nil, creator, harErr(name, "not a HAR file: no log.entries")
	}
	return spans, creator, nil
}

func harKind(k jsontext.Kind) string {
	switch k {
	case '[':
		return "array"
	case '{':
		return "object"
	case '"':
		return "string"
	case '0':
		return "number"
	case 't', 'f':
		return "boolean"
	}
	return "null"
}

// harSyntaxErr places a JSON syntax error. The whole document is checked again with
// encoding/json to find the place and say it the way people know.
func harSyntaxErr(name string, data []byte, dec *jsontext.Decoder, err error) error {
	var probe json.RawMessage
	perr := json.Unmarshal(data, &probe)
	var se *json.SyntaxError
	switch {
	case errors.As(perr, &se):
		off := int(se.Offset) - 1 // Offset counts the offending byte
		if se.Error() == "unexpected end of JSON input" {
			off = len(data)
		}
		line, col := harLineCol(data, off)
		return harErr(fmt.Sprintf("%s:%d:%d", name, line, col), "not JSON: %s", se.Error())
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		line, col := harLineCol(data, len(data))
		return harErr(fmt.Sprintf("%s:%d:%d", name, line, col), "not JSON: unexpected end of input")
	}
	off := int(dec.InputOffset())
	var jse *jsontext.SyntacticError
	if errors.As(err, &jse) {
		off = int(jse.ByteOffset)
	}
	line, col := harLineCol(data, off)
	return harErr(fmt.Sprintf("%s:%d:%d", name, line, col), "not JSON")
}

// harEntryJSONProblem says why an entry's JSON does not fit HAR (a string where HAR wants an
// array...), with its line.
func harEntryJSONProblem(data []byte, entryOff int, err error) *Note {
	var ue *json.UnmarshalTypeError
	if errors.As(err, &ue) {
		line, _ := harLineCol(data, entryOff+int(ue.Offset))
		field := ue.Field
		if field == "" {
			n := note("har.reason.entry", line)
			return &n
		}
		got, _, _ := strings.Cut(ue.Value, " ") // "number 123" says the number: the kind is enough
		n := note("har.reason.json", field, harJSONKind(ue.Type), got, line)
		return &n
	}
	line, _ := harLineCol(data, entryOff)
	n := note("har.reason.entry", line)
	return &n
}

// harJSONKind names the JSON a Go type is read from.
func harJSONKind(t reflect.Type) string {
	if t == nil {
		return "value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "number"
	case reflect.Slice:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Bool:
		return "boolean"
	}
	return "value"
}

// harTime reads startedDateTime: ISO 8601 with an offset ("Z" or "-03:00", with or without
// a colon, in either case), fractional seconds optional. A time without an offset is read in
// zone, and noOffset says so.
func harTime(s string, zone *time.Location) (t time.Time, noOffset bool, err error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) > 10 && s[10] == ' ' { // "2026-11-21 23:30:12", as some tools write it
		s = s[:10] + "T" + s[11:]
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, false, nil
	}
	if t, err := time.Parse("2006-01-02T15:04:05.999999999Z0700", s); err == nil {
		return t, false, nil
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, zone); err == nil {
		return t, true, nil
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04", s, zone); err == nil {
		return t, true, nil
	}
	return time.Time{}, false, errf("not a date and time")
}

// harStrayPercent writes each % after the host that does not start an escape as %25.
func harStrayPercent(s string) string {
	var b strings.Builder
	start := 0
	if k := strings.Index(s, "://"); k >= 0 {
		if j := strings.IndexAny(s[k+3:], "/?#"); j >= 0 {
			start = k + 3 + j
		} else {
			return s
		}
	}
	b.WriteString(s[:start])
	for i := start; i < len(s); i++ {
		if s[i] == '%' && !(i+2 < len(s) && harIsHex(s[i+1]) && harIsHex(s[i+2])) {
			b.WriteString("%25")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// harFormBody rebuilds a URL-encoded form from postData.params. Browsers differ on whether
// the values are still encoded or decoded: a value is kept as it is only when it holds a %XX
// escape and nothing that form encoding would change; any other value is encoded (so that a
// literal + stays a plus, not a space).
func harFormBody(params []harNV) []byte {
	var b strings.Builder
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(harFormEscape(string(p.Name)))
		b.WriteByte('=')
		b.WriteString(harFormEscape(string(p.Value)))
	}
	return []byte(b.String())
}

func harFormEscape(s string) string {
	escaped := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-_.~+*", c) >= 0:
		case c == '%' && i+2 < len(s) && harIsHex(s[i+1]) && harIsHex(s[i+2]):
			i += 2
			escaped = true
		default:
			return url.QueryEscape(s)
		}
	}
	if escaped {
		return s
	}
	return url.QueryEscape(s)
}

func harIsHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// harBase64 decodes content.text, tolerating line breaks (MIME style) and missing padding.
func harBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
	b, err := base64.StdEncoding.DecodeString(s)
	if err == nil {
		return b, nil
	}
	if !strings.HasSuffix(s, "=") {
		if b, err2 := base64.RawStdEncoding.DecodeString(s); err2 == nil {
			return b, nil
		}
	}
	var ce base64.CorruptInputError
	if errors.As(err, &ce) {
		return nil, errf("invalid base64 at byte %d", int64(ce))
	}
	return nil, errf("invalid base64")
}

// harURLProblem says what is wrong with a URL without quoting it (its query may hold a token).
func harURLProblem(err error) Note {
	msg := err.Error()
	var ue *url.Error
	if errors.As(err, &ue) {
		msg = ue.Err.Error()
	}
	switch {
	case strings.Contains(msg, "invalid URL escape"):
		return note("har.url.escape")
	case strings.Contains(msg, "control character"):
		return note("har.url.control")
	case strings.Contains(msg, "invalid port"):
		return note("har.url.port")
	case strings.Contains(msg, "in host name"), strings.Contains(msg, "IPv6"), strings.Contains(msg, "host"):
		return note("har.url.host")
	case strings.Contains(msg, "missing protocol scheme"), strings.Contains(msg, "first path segment"):
		return note("har.url.scheme")
	}
	return note("har.url.other")
}

func harIsToken(s string) bool {
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

func harSkipSpace(data []byte, off int) int {
	for off < len(data) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

func harLineCol(data []byte, off int) (int, int) {
	off = min(max(off, 0), len(data))
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return line, col
}

func harClip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return s[:cut] + "…"
}

func harNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func harErr(place, format string, args ...any) error {
	return placedErrf(place, format, args...)
}
