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

	"triagem/diagnose"
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
}

// HAR is a parsed HAR document: the entries' summaries, in the log's order, and the log
// itself, from which Request builds an entry's request.
type HAR struct {
	Name    string // the file's name, for messages and sources
	Creator string // log.creator, e.g. "WebInspector 537.36" (Chrome, Edge) or "Firefox 133.0"
	Entries []HAREntry

	entries   []harEntry
	sanitized bool // a Chrome HAR with no Authorization or Cookie header in any entry
}

// ParseHAR reads a HAR 1.2 document (as Chrome, Firefox and Edge export it) and returns all
// entries' summaries. isPartnerHost tells whether a host (without port) is one of the partner
// API's; the caller passes rules.EnvironmentOfHost. A nil isPartnerHost knows no host.
//
// Its errors are *diagnose.InputError values that name the file, and the line and column or
// the entry (1-based); they never quote headers or bodies.
func ParseHAR(name string, data []byte, isPartnerHost func(host string) bool) (*HAR, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, harErr(name, "empty file: not a HAR file")
	}
	if bytes.IndexByte(data[:min(len(data), 4096)], 0) >= 0 {
		return nil, harErr(name, "not a HAR file: binary content, not JSON")
	}
	raws, offsets, creator, err := harSplit(name, data)
	if err != nil {
		return nil, err
	}
	if len(raws) == 0 {
		return nil, harErr(name, "the HAR has no entries: export it from the Network tab after the failing request shows there")
	}
	h := &HAR{Name: name, Creator: strings.TrimSpace(creator.Name + " " + creator.Version)}
	h.entries = make([]harEntry, len(raws))
	h.Entries = make([]HAREntry, len(raws))
	credentials := false
	for i, raw := range raws {
		e := &h.entries[i]
		if err := json.Unmarshal(raw, e); err != nil {
			return nil, harEntryJSONErr(name, data, offsets[i], i, err)
		}
		sum, err := e.summary(i, isPartnerHost)
		if err != nil {
			return nil, harErr(name, "entry %d: %s", i+1, err)
		}
		h.Entries[i] = sum
		for _, hd := range e.Request.Headers {
			switch strings.ToLower(strings.TrimSpace(hd.Name)) {
			case "authorization", "cookie":
				credentials = true
			}
		}
	}
	h.sanitized = creator.Name == "WebInspector" && !credentials
	return h, nil
}

// Failing returns the failing entries (response status 0 or >= 400) to partner API hosts,
// in the log's order.
func (h *HAR) Failing() []HAREntry {
	var out []HAREntry
	for _, e := range h.Entries {
		if e.Failing && e.PartnerAPI {
			out = append(out, e)
		}
	}
	return out
}

// Request returns entry i (0-based index into the log's entries) as a Request: method, URL,
// headers (request.headers, canonical names, HTTP/2 pseudo-headers dropped), body from
// request.postData.text (or postData.params rebuilt as a form when text is absent), At from
// startedDateTime, the response's status and text (response.content.text, base64-decoded
// when content.encoding is "base64"), and Source "NAME entry N" (N counts from 1).
func (h *HAR) Request(i int) (*Request, error) {
	if i < 0 || i >= len(h.entries) {
		return nil, harErr(h.Name, "entry %d: no such entry: the HAR has %d (1 to %d)", i+1, len(h.entries), len(h.entries))
	}
	e := &h.entries[i]
	r := &Request{Method: e.Request.Method, URL: e.Request.URL, Source: fmt.Sprintf("%s entry %d", h.Name, i+1)}

	hasAuth := false
	for _, hd := range e.Request.Headers {
		k := strings.TrimSpace(hd.Name)
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
			r.Headers[k] = prev + sep + hd.Value
		} else {
			r.Headers[k] = hd.Value
		}
	}
	if h.sanitized && !hasAuth {
		r.Notes = append(r.Notes, "no entry of this Chrome HAR carries an Authorization or Cookie header: Chrome leaves them out unless the HAR is exported with sensitive data")
	}

	if pd := e.Request.PostData; pd != nil {
		switch {
		case pd.Text != nil:
			r.Body, r.HasBody = []byte(*pd.Text), true
		case len(pd.Params) > 0:
			r.Body, r.HasBody = harFormBody(pd.Params), true
			r.Notes = append(r.Notes, "request body rebuilt from postData.params as a URL-encoded form")
			if strings.HasPrefix(strings.ToLower(strings.TrimSpace(pd.MimeType)), "multipart/") {
				r.Notes = append(r.Notes, "the request was multipart: files and part headers are not in the rebuilt body")
			}
		}
	}
	if !r.HasBody && e.Request.BodySize != nil && *e.Request.BodySize > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("request.bodySize says %s bytes but the HAR holds no postData: the body is unknown", harNumber(*e.Request.BodySize)))
	}

	if !e.started.IsZero() {
		r.At, r.HasAt = e.started, true
	}

	if resp := e.Response; resp != nil {
		r.HasResponse = true
		r.Status = max(resp.Status, 0)
		c := resp.Content
		switch {
		case c.Text == nil:
			if c.Size != nil && *c.Size > 0 {
				r.Notes = append(r.Notes, fmt.Sprintf("response.content.size says %s bytes but the HAR holds no response text", harNumber(*c.Size)))
			}
		case strings.EqualFold(strings.TrimSpace(c.Encoding), "base64"):
			b, err := harBase64(*c.Text)
			if err != nil {
				return nil, harErr(h.Name, "entry %d: response.content.text: %s (content.encoding is base64)", i+1, err)
			}
			r.ResponseBody = b
		case strings.TrimSpace(c.Encoding) != "":
			r.ResponseBody = []byte(*c.Text)
			r.Notes = append(r.Notes, fmt.Sprintf("response.content.encoding %q is not understood: the response text is kept as written", harClip(c.Encoding, 20)))
		default:
			r.ResponseBody = []byte(*c.Text)
		}
		if r.Status == 0 {
			note := "no answer came (response.status 0)"
			if resp.Error != nil && strings.TrimSpace(*resp.Error) != "" {
				note += "; the browser said " + strconv.Quote(harClip(strings.TrimSpace(*resp.Error), 80))
			}
			r.Notes = append(r.Notes, note)
		}
	}
	return r, nil
}

// The parts of HAR 1.2 that a request needs. Everything else (timings, cookies, the
// browsers' "_" extras) is read past.
type harEntry struct {
	StartedDateTime string       `json:"startedDateTime"`
	Request         *harRequest  `json:"request"`
	Response        *harResponse `json:"response"`

	started time.Time
}

type harRequest struct {
	Method   string       `json:"method"`
	URL      string       `json:"url"`
	Headers  []harNV      `json:"headers"`
	BodySize *float64     `json:"bodySize"`
	PostData *harPostData `json:"postData"`
}

type harNV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harPostData struct {
	MimeType string     `json:"mimeType"`
	Params   []harParam `json:"params"`
	Text     *string    `json:"text"`
}

type harParam struct {
	Name        string `json:"name"`
	Value       string `json:"value"`
	FileName    string `json:"fileName"`
	ContentType string `json:"contentType"`
}

type harResponse struct {
	Status  int        `json:"status"`
	Content harContent `json:"content"`
	Error   *string    `json:"_error"` // Chrome: why no answer came, e.g. net::ERR_TIMED_OUT
}

type harContent struct {
	Size     *float64 `json:"size"`
	Text     *string  `json:"text"`
	Encoding string   `json:"encoding"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// summary checks the entry's request and sums it up. Its errors name the field, not the value.
func (e *harEntry) summary(i int, isPartnerHost func(string) bool) (HAREntry, error) {
	s := HAREntry{Index: i}
	if e.Request == nil {
		return s, errors.New("no request")
	}
	s.Method = e.Request.Method
	switch {
	case s.Method == "":
		return s, errors.New("request.method: missing")
	case !harIsToken(s.Method):
		return s, errors.New("request.method: not an HTTP method")
	}
	s.URL = e.Request.URL
	if strings.TrimSpace(s.URL) == "" {
		return s, errors.New("request.url: missing")
	}
	u, err := url.Parse(s.URL)
	if err != nil {
		return s, fmt.Errorf("request.url: not a URL (%s)", harURLProblem(err))
	}
	if u.Scheme == "" {
		return s, errors.New("request.url: not an absolute URL (no scheme)")
	}
	if e.StartedDateTime != "" {
		t, err := harTime(e.StartedDateTime)
		if err != nil {
			return s, fmt.Errorf("startedDateTime: %q is not a date and time with an offset (RFC 3339)", harClip(e.StartedDateTime, 40))
		}
		e.started, s.Started = t, t
	}
	if e.Response != nil {
		if e.Response.Status > 999 {
			return s, fmt.Errorf("response.status: %d is not an HTTP status", e.Response.Status)
		}
		s.Status = max(e.Response.Status, 0)
	}
	s.Failing = s.Status == 0 || s.Status >= 400
	if h := u.Hostname(); h != "" && isPartnerHost != nil {
		s.PartnerAPI = isPartnerHost(h)
	}
	return s, nil
}

// harSplit walks the document down to log.entries and returns each entry's raw JSON with
// its byte offset in data, so that an entry's errors can name its line.
func harSplit(name string, data []byte) (raws []json.RawMessage, offsets []int, creator harCreator, err error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	fail := func(e error) ([]json.RawMessage, []int, harCreator, error) {
		return nil, nil, harCreator{}, harSyntaxErr(name, data, dec, e)
	}
	tok, err := dec.Token()
	if err != nil {
		return fail(err)
	}
	if tok != json.Delim('{') {
		return nil, nil, creator, harErr(name, "not a HAR file: no log.entries (the document is a JSON %s, not an object)", harTokenKind(tok))
	}
	found := false
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		if key != "log" {
			if err := harSkip(dec); err != nil {
				return fail(err)
			}
			continue
		}
		tok, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		if tok != json.Delim('{') {
			if tok == json.Delim('[') {
				return nil, nil, creator, harErr(name, "not a HAR file: no log.entries (log is an array, not an object)")
			}
			found, raws, offsets = false, nil, nil
			continue // a scalar log: the last "log" key counts, as in encoding/json
		}
		found, raws, offsets = false, nil, nil
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return fail(err)
			}
			switch key {
			case "creator":
				var c harCreator
				if err := dec.Decode(&c); err == nil {
					creator = c
				} else if errors.As(err, new(*json.UnmarshalTypeError)) {
					creator = harCreator{} // a strange creator does not stop the reading
				} else {
					return fail(err)
				}
			case "entries":
				tok, err := dec.Token()
				if err != nil {
					return fail(err)
				}
				if tok == nil {
					found, raws, offsets = false, nil, nil
					continue
				}
				if tok != json.Delim('[') {
					if tok == json.Delim('{') {
						return nil, nil, creator, harErr(name, "not a HAR file: no log.entries (log.entries is an object, not an array)")
					}
					return nil, nil, creator, harErr(name, "not a HAR file: no log.entries (log.entries is a %s, not an array)", harTokenKind(tok))
				}
				found, raws, offsets = true, nil, nil
				for dec.More() {
					off := harSkipSpace(data, int(dec.InputOffset()))
					var raw json.RawMessage
					if err := dec.Decode(&raw); err != nil {
						return fail(err)
					}
					raws = append(raws, raw)
					offsets = append(offsets, off)
				}
				if _, err := dec.Token(); err != nil { // ]
					return fail(err)
				}
			default:
				if err := harSkip(dec); err != nil {
					return fail(err)
				}
			}
		}
		if _, err := dec.Token(); err != nil { // } of log
			return fail(err)
		}
	}
	if _, err := dec.Token(); err != nil { // } of the document
		return fail(err)
	}
	end := harSkipSpace(data, int(dec.InputOffset()))
	if _, err := dec.Token(); err != io.EOF {
		line, col := harLineCol(data, end)
		return nil, nil, creator, harErr(fmt.Sprintf("%s:%d:%d", name, line, col), "not JSON: unexpected content after the HAR's JSON object")
	}
	if !found {
		return nil, nil, creator, harErr(name, "not a HAR file: no log.entries")
	}
	return raws, offsets, creator, nil
}

// harSkip reads past one value.
func harSkip(dec *json.Decoder) error {
	var raw json.RawMessage
	return dec.Decode(&raw)
}

// harSyntaxErr places a JSON syntax error. The streaming decoder's offsets are not always
// the document's, so the whole document is checked again to find the place.
func harSyntaxErr(name string, data []byte, dec *json.Decoder, err error) error {
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
	line, col := harLineCol(data, int(dec.InputOffset()))
	return harErr(fmt.Sprintf("%s:%d:%d", name, line, col), "not JSON")
}

// harEntryJSONErr places an entry's type error (a string where HAR wants a number...).
func harEntryJSONErr(name string, data []byte, entryOff, i int, err error) error {
	var ue *json.UnmarshalTypeError
	if errors.As(err, &ue) {
		line, col := harLineCol(data, entryOff+int(ue.Offset))
		field := ue.Field
		if field == "" {
			field = "the entry"
		}
		return harErr(fmt.Sprintf("%s:%d:%d", name, line, col), "entry %d: %s: want a JSON %s, got %s", i+1, field, harJSONKind(ue.Type), harClip(ue.Value, 20))
	}
	line, col := harLineCol(data, entryOff)
	return harErr(fmt.Sprintf("%s:%d:%d", name, line, col), "entry %d: not a HAR entry", i+1)
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
	case reflect.Struct:
		return "object"
	case reflect.Bool:
		return "boolean"
	}
	return "value"
}

func harTokenKind(tok json.Token) string {
	switch tok.(type) {
	case json.Delim:
		if tok == json.Delim('[') {
			return "array"
		}
		return "object"
	case string:
		return "string"
	case float64, json.Number:
		return "number"
	case bool:
		return "boolean"
	}
	return "null"
}

// harTime reads startedDateTime: ISO 8601 with an offset ("Z" or "-03:00"), fractional
// seconds optional. Some tools write the offset without a colon.
func harTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.RFC3339Nano, s)
	if err == nil {
		return t, nil
	}
	if t2, err2 := time.Parse("2006-01-02T15:04:05.999999999Z0700", s); err2 == nil {
		return t2, nil
	}
	return time.Time{}, err
}

// harFormBody rebuilds a URL-encoded form from postData.params. Browsers differ on whether
// the values are still encoded (Chrome) or decoded (Firefox): values that are already valid
// form encoding are kept, the others are encoded.
func harFormBody(params []harParam) []byte {
	var b strings.Builder
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(harFormEscape(p.Name))
		b.WriteByte('=')
		b.WriteString(harFormEscape(p.Value))
	}
	return []byte(b.String())
}

func harFormEscape(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-_.~+*", c) >= 0:
		case c == '%' && i+2 < len(s) && harIsHex(s[i+1]) && harIsHex(s[i+2]):
			i += 2
		default:
			return url.QueryEscape(s)
		}
	}
	return s
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
		return nil, fmt.Errorf("invalid base64 at byte %d", int64(ce))
	}
	return nil, errors.New("invalid base64")
}

// harURLProblem says what is wrong with a URL without quoting it (its query may hold a token).
func harURLProblem(err error) string {
	msg := err.Error()
	var ue *url.Error
	if errors.As(err, &ue) {
		msg = ue.Err.Error()
	}
	switch {
	case strings.Contains(msg, "invalid URL escape"):
		return "a % not followed by two hex digits"
	case strings.Contains(msg, "control character"):
		return "a control character"
	case strings.Contains(msg, "invalid port"):
		return "an invalid port"
	case strings.Contains(msg, "in host name"), strings.Contains(msg, "IPv6"), strings.Contains(msg, "host"):
		return "an invalid host"
	case strings.Contains(msg, "missing protocol scheme"), strings.Contains(msg, "first path segment"):
		return "no scheme"
	}
	return "cannot be parsed"
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
	return &diagnose.InputError{Place: place, Msg: fmt.Sprintf(format, args...)}
}
