package evidence

// The case: masked in the contract's shape for the bundle's case.yaml and token.json.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/crefazon/triagem/diagnose"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"go.yaml.in/yaml/v3"
)

// ---- the case ----

// caseOrder is the contract's order of a case's places, for the report.
var caseOrder = []string{"ticket", "partner", "environment", "product", "error", "request.method", "request.url",
	"request.at", "request.headers", "request.body", "response", "credentials"}

// caseRank orders the report's case items by caseOrder; other files keep their places after.
func caseRank(where string) int {
	rest, ok := strings.CutPrefix(where, caseWhere+": ")
	if !ok {
		return len(caseOrder) + 1
	}
	for i, p := range caseOrder {
		if strings.HasPrefix(rest, p) {
			return i
		}
	}
	return len(caseOrder)
}

// caseWhere is how the report names the case's places.
const caseWhere = "case.yaml"

// Case returns the case in the contract's shape, as a *yaml.Node (a mapping whose keys come
// in the contract's order: ticket, partner, environment, product, error, request, response,
// credentials; empty fields left out) with secrets and personal data masked, and the view of
// the token that was judged (the Authorization header's, else credentials.token; nil without
// one). A body that is a JSON object or array stays JSON: it is masked as it is read, token
// by token (redact_stream.go), and written as indented JSON text (a YAML literal block), with
// its keys in their order and its numbers as written, so that the Code team can read it and
// replay it as the partner sent it; any other body stays a string, masked as text.
func (rd *Redactor) Case(c *diagnose.Case) (doc any, token *TokenView, err error) {
	if c == nil {
		return nil, nil, errors.New("no case")
	}
	// Known secrets first, so that they are masked wherever they appear in the case.
	var judged string
	headerNames := make([]string, 0, len(c.Request.Headers))
	for k := range c.Request.Headers {
		headerNames = append(headerNames, k)
	}
	sort.Strings(headerNames)
	for _, k := range headerNames {
		if strings.EqualFold(k, authHeader) {
			if t := trimBearer(strings.TrimSpace(c.Request.Headers[k])); t != "" {
				rd.token(t)
				judged = t
			}
		}
	}
	credToken := trimBearer(strings.TrimSpace(c.Credentials.Token))
	if credToken != "" {
		rd.token(credToken)
		if judged == "" {
			judged = credToken
		}
	}
	var keyMask string
	if strings.TrimSpace(c.Credentials.APIKey) != "" {
		keyMask = rd.apiKeyMask(c.Credentials.APIKey)
	}

	// Each part is masked as it is added, so that the report reads in the contract's order.
	w := &walker{file: caseWhere}
	add := func(o *jval, k string, v jval) {
		v.key = k
		o.kids = append(o.kids, v)
	}
	at := func(path ...string) *walker {
		w.segs = w.segs[:0]
		for _, p := range path {
			w.push(p)
		}
		return w
	}
	addText := func(o *jval, path []string, k, s string) {
		if s == "" {
			return
		}
		v := strVal(s)
		rd.walk(at(append(path, k)...), &v, hintOf(k))
		v.done = true
		add(o, k, v)
	}
	// Where secrets live (headers, the URL, the bodies) is masked first, so that a secret
	// learnt there is masked where it recurs: a password repeated in the error message.
	req, reqPath := jval{kind: jObj}, []string{"request"}
	var headers jval
	if len(headerNames) > 0 {
		headers = jval{kind: jObj}
		for _, k := range headerNames {
			v := strVal(c.Request.Headers[k])
			v.key = k
			w := at("request", "headers", k)
			if rd.pol.SecretHeader(k) && strings.TrimSpace(v.s) != "" && !rd.isMask(v.s) {
				// Deny by default: only the rules' harmless headers keep their value.
				mask, kind := rd.headerMask(rd.displayName(k), v.s)
				rd.record(w, 0, kind, utf8.RuneCountInString(v.s), mask)
				v = strVal(mask)
				v.done = true
			}
			add(&headers, k, v)
		}
		rd.walk(at("request", "headers"), &headers, 0)
		headers.done = true
	}
	url := strVal(c.Request.URL)
	if c.Request.URL != "" {
		rd.walk(at("request", "url"), &url, 0)
		url.done = true
	}
	reqBody, hasReqBody := rd.body(at("request", "body"), c.Request.Body)
	var respBody jval
	hasRespBody := false
	if c.Response != nil {
		respBody, hasRespBody = rd.body(at("response", "body"), c.Response.Body)
	}

	root := jval{kind: jObj}
	addText(&root, nil, "ticket", c.Ticket)
	addText(&root, nil, "partner", c.Partner)
	addText(&root, nil, "environment", c.Environment)
	addText(&root, nil, "product", c.Product)
	addText(&root, nil, "error", c.Error)

	addText(&req, reqPath, "method", c.Request.Method)
	if c.Request.URL != "" {
		add(&req, "url", url)
	}
	addText(&req, reqPath, "at", timestampText(c.Request.At))
	if len(headerNames) > 0 {
		add(&req, "headers", headers)
	}
	if hasReqBody {
		add(&req, "body", reqBody)
	}
	if len(req.kids) > 0 {
		add(&root, "request", req)
	}
	if c.Response != nil {
		resp := jval{kind: jObj}
		if c.Response.Status != 0 {
			add(&resp, "status", jval{kind: jNum, s: strconv.Itoa(c.Response.Status)})
		}
		if hasRespBody {
			add(&resp, "body", respBody)
		}
		if len(resp.kids) > 0 {
			add(&root, "response", resp)
		}
	}

	cred, credPath := jval{kind: jObj}, []string{"credentials"}
	if keyMask != "" {
		rd.record(at("credentials", "api_key"), 0, "api_key", utf8.RuneCountInString(c.Credentials.APIKey), keyMask)
		add(&cred, "api_key", strVal(keyMask))
	}
	if d := c.Credentials.APIKeySHA256.Hex; d != "" && keyMask == "" {
		// A draft's key travels as its SHA-256: shown as the key's fingerprint, as a key is.
		m := "[api_key sha256:" + d[:min(12, len(d))] + "…]"
		rd.record(at("credentials", "api_key_sha256"), 0, "api_key", len(d), m)
		if !rd.printing {
			rd.addSecret(d, m, "api_key")
		}
		add(&cred, "api_key_sha256", strVal(m))
	}
	addText(&cred, credPath, "user", c.Credentials.User)
	if credToken != "" {
		m := rd.token(credToken).mask
		rd.record(at("credentials", "token"), 0, "token", utf8.RuneCountInString(c.Credentials.Token), m)
		add(&cred, "token", strVal(m))
	}
	addText(&cred, credPath, "token_issued_at", timestampText(c.Credentials.TokenIssuedAt))
	if len(cred.kids) > 0 {
		add(&root, "credentials", cred)
	}

	if judged != "" {
		if !rd.learning {
			token = rd.tokenView(judged)
		}
	}
	if rd.learning {
		return nil, nil, nil // Learn wants the secrets the case taught, not the document
	}
	return yamlNode(&root), token, nil
}

func trimBearer(s string) string {
	if len(s) >= 7 && strings.EqualFold(s[:7], "bearer ") {
		return strings.TrimSpace(s[7:])
	}
	return s
}

func timestampText(ts diagnose.Timestamp) string {
	if ts.IsZero() {
		return ""
	}
	v, _ := ts.MarshalYAML()
	s, _ := v.(string)
	return s
}

// body redacts a request's or response's body, at w: JSON (an object or an array) as it is
// read, written as indented JSON text with its keys in their order and its numbers as
// written (a large one scanned as it is written, when Build asks: prescan.go); anything else
// as text.
func (rd *Redactor) body(w *walker, b diagnose.Body) (jval, bool) {
	if !b.Present {
		return jval{}, false
	}
	if t := bytes.TrimSpace(b.Raw); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		if len(rd.memo) == 0 && len(t) > 1<<16 { // a batch: one value in 40 bytes, say
			rd.memo = make(map[string]*memoEntry, min(len(t)/40, memoMaxEntries))
		}
		if oneJSONValue(t) {
			rd.cleanOnly = len(t) > 1<<16
			var scan *prescan
			var pipe chan<- []byte
			if rd.prescan != nil && len(t) >= spliceMin {
				scan, pipe = rd.prescan.start(w)
			}
			// In Build (prescan set) the case's body is read in place: Build does not change
			// the case, and what outlives Build of what the redactor kept (the secrets it
			// hands on, learnt) is copied out.
			out, err := rd.streamJSONTo(w, t, 1, true, "  ", make([]byte, 0, len(t)+len(t)/2), rd.prescan != nil, pipe)
			rd.cleanOnly = false
			if err == nil {
				if scan != nil {
					scan.text = unsafe.String(unsafe.SliceData(out), len(out))
				}
				// The bytes become the string without a copy (a body is megabytes): nothing
				// else holds out, and nothing writes to it again (as strings.Builder does).
				return jval{kind: jStr, s: unsafe.String(unsafe.SliceData(out), len(out)), done: true}, true
			}
		}
	}
	return jval{kind: jStr, s: rd.text(w, string(b.Raw), 1), done: true}, true
}

// yamlNode turns a tree into YAML nodes: numbers keep their text, strings are quoted when
// they would read as something else, multi-line strings (bodies) are literal blocks.
func yamlNode(v *jval) *yaml.Node {
	switch v.kind {
	case jNull:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	case jBool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: v.s}
	case jNum:
		return &yaml.Node{Kind: yaml.ScalarNode, Value: v.s}
	case jStr:
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v.s}
		if strings.Contains(v.s, "\n") {
			n.Style = yaml.LiteralStyle
		}
		return n
	}
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	if v.kind == jObj {
		n.Kind, n.Tag = yaml.MappingNode, "!!map"
	}
	for i := range v.kids {
		if v.kind == jObj {
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v.kids[i].key})
		}
		n.Content = append(n.Content, yamlNode(&v.kids[i]))
	}
	return n
}

// tokenView decodes a token's header and claims (masked like any JSON) and drops its
// signature.
func (rd *Redactor) tokenView(raw string) *TokenView {
	t := rd.token(raw)
	tv := &TokenView{}
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		tv.Error = fmt.Sprintf("not a JWT: %d parts separated by dots, a JWT has 3", len(parts))
		return tv
	}
	tv.SignatureChars = len(parts[2])
	w := &walker{file: fmt.Sprintf("token#%d", t.n)}
	decode := func(part, what string) (map[string]any, bool) {
		b, err := b64(part)
		var v jval
		if err == nil {
			v, err = parseJSON(string(bytes.TrimSpace(b)), 1)
		}
		if err != nil {
			tv.Error = fmt.Sprintf("the %s is not base64url-encoded JSON", what)
			return nil, false
		}
		if v.kind != jObj {
			tv.Error = fmt.Sprintf("the %s is not a JSON object", what)
			return nil, false
		}
		w.push(what)
		rd.walk(w, &v, 0)
		w.pop()
		m, _ := toAny(&v).(map[string]any)
		return m, true
	}
	var ok bool
	if tv.Header, ok = decode(parts[0], "header"); ok {
		tv.Claims, _ = decode(parts[1], "claims")
	}
	return tv
}

func toAny(v *jval) any {
	switch v.kind {
	case jNull:
		return nil
	case jBool:
		return v.s == "true"
	case jNum:
		return json.Number(v.s)
	case jStr:
		return v.s
	case jArr:
		a := make([]any, len(v.kids))
		for i := range v.kids {
			a[i] = toAny(&v.kids[i])
		}
		return a
	}
	m := make(map[string]any, len(v.kids))
	for i := range v.kids {
		m[v.kids[i].key] = toAny(&v.kids[i])
	}
	return m
}
