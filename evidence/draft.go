package evidence

// Case files that triagem writes for people: the analyst's working copy of a case built from a
// paste (credentials kept, written 0600 by the caller), and the draft that may be attached to a
// ticket (no secret, yet the chain still reaches the same verdict on it with the directory).

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/crefazon/triagem/diagnose"
)

// WorkingCopy returns the case as a YAML document in the contract's order with nothing
// masked: the analyst's own copy. Bodies are written as the partner sent them, as a string
// (a literal block when they span lines), never decoded and re-encoded, so that key order and
// number text stay as they were. head is a comment for the top of the file.
func WorkingCopy(c *diagnose.Case, head string) *yaml.Node {
	root := mapping()
	put(root, "ticket", c.Ticket)
	put(root, "partner", c.Partner)
	put(root, "environment", c.Environment)
	put(root, "product", c.Product)
	put(root, "error", c.Error)

	req := mapping()
	put(req, "method", c.Request.Method)
	put(req, "url", c.Request.URL)
	put(req, "at", c.Request.At.Raw)
	if len(c.Request.Headers) > 0 {
		h := mapping()
		for _, k := range sortedKeys(c.Request.Headers) {
			putAlways(h, k, c.Request.Headers[k])
		}
		putNode(req, "headers", h)
	}
	if c.Request.Body.Present {
		putAlways(req, "body", string(c.Request.Body.Raw))
	}
	putNode(root, "request", req)

	if r := c.Response; r != nil {
		resp := mapping()
		if r.Status != 0 {
			putNode(resp, "status", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(r.Status)})
		}
		if r.Body.Present {
			putAlways(resp, "body", string(r.Body.Raw))
		}
		if len(r.Headers) > 0 {
			h := mapping()
			for _, k := range sortedKeys(r.Headers) {
				putAlways(h, k, r.Headers[k])
			}
			putNode(resp, "headers", h)
		}
		put(resp, "took", r.Took)
		putNode(root, "response", resp)
	}

	cred := mapping()
	put(cred, "api_key", c.Credentials.APIKey)
	put(cred, "user", c.Credentials.User)
	put(cred, "token", c.Credentials.Token)
	put(cred, "token_issued_at", c.Credentials.TokenIssuedAt.Raw)
	if c.Credentials.APIKey == "" {
		put(cred, "api_key_sha256", c.Credentials.APIKeySHA256.Hex)
	}
	putNode(root, "credentials", cred)
	return document(root, head)
}

// Draft returns the case in the form that may be attached to a ticket: everything masked as in
// a bundle, and then what the chain needs put back in a form that is no secret:
//   - the API key as credentials.api_key_sha256, its full lower-case hex SHA-256 (the
//     directory identifies keys that way, so the key checks still run);
//   - the judged token (the Authorization header's, else credentials.token) as
//     credentials.token in the form "header.claims." (DraftToken): its signature removed, so it
//     cannot be replayed, while its algorithm and times are still judged; the Authorization
//     header is left out, since its value is that token;
//   - passwords, other credential headers and personal data as the bundle masks them.
//
// A token sent without the Bearer scheme, or one that is no JWT, keeps the bundle's mask in
// the header: the chain judges the mask not to be a JWT, which is the verdict the original got.
//
// invalid lists the payload's paths whose values broke the route's schema in the original
// (diagnose.PayloadViolationPaths): their masks are noted ", invalid]", so that the syntax
// check, which does not judge a mask's shape, still fails them.
func (rd *Redactor) Draft(c *diagnose.Case, invalid map[string]bool, head string) (*yaml.Node, error) {
	if c == nil {
		return nil, errors.New("no case")
	}
	doc, _, err := rd.Case(c)
	if err != nil {
		return nil, err
	}
	root, ok := doc.(*yaml.Node)
	if !ok || root.Kind != yaml.MappingNode {
		return nil, errors.New("the masked case is not a mapping")
	}
	if t, ok := c.Request.At.Time(); ok {
		// To the fraction of a second, as the chain judged it (a HAR's time has milliseconds).
		if req := child(root, "request"); req != nil {
			if at := child(req, "at"); at != nil {
				at.Value = t.Format(time.RFC3339Nano)
			}
		}
	}
	if req := child(root, "request"); req != nil && len(invalid) > 0 {
		if b := child(req, "body"); b != nil && b.Kind == yaml.ScalarNode {
			if v, err := parseJSON(strings.TrimSpace(b.Value), 1); err == nil {
				if markInvalid(&v, "", invalid) {
					b.Value = string(appendJSON(nil, &v, "  ", 0))
				}
			}
		}
	}

	// The judged token, as the chain picks it.
	var header, headerName string
	for _, k := range sortedKeys(c.Request.Headers) {
		if strings.EqualFold(k, authHeader) {
			header, headerName = strings.TrimSpace(c.Request.Headers[k]), k
		}
	}
	judged := trimBearer(strings.TrimSpace(c.Credentials.Token))
	dropHeader := false
	if header != "" {
		tok := trimBearer(header)
		bearer := tok != header || strings.HasPrefix(strings.ToLower(header), "bearer")
		if d, ok := rd.DraftToken(tok); ok && bearer {
			judged, dropHeader = d, true
		} else {
			judged = "" // the header keeps its mask, and credentials.token would not be judged
		}
	} else if judged != "" {
		if d, ok := rd.DraftToken(judged); ok {
			judged = d
		} else {
			judged = "" // keep the mask: not a JWT either way
		}
	}

	if dropHeader {
		if req := child(root, "request"); req != nil {
			if h := child(req, "headers"); h != nil {
				remove(h, headerName)
				if len(h.Content) == 0 {
					remove(req, "headers")
				}
			}
		}
	}

	cred := child(root, "credentials")
	if cred == nil {
		cred = mapping()
		putNode(root, "credentials", cred)
	}
	digest := c.Credentials.APIKeySHA256.Hex
	if k := c.Credentials.APIKey; strings.TrimSpace(k) != "" {
		sum := sha256.Sum256([]byte(k))
		digest = hex.EncodeToString(sum[:])
	}
	remove(cred, "api_key")
	remove(cred, "api_key_sha256")
	if judged != "" {
		remove(cred, "token")
	}
	// The contract's order: user, token, token_issued_at, api_key_sha256.
	if judged != "" {
		putAfter(cred, "user", "token", judged)
	}
	if digest != "" {
		putAlways(cred, "api_key_sha256", digest)
	}
	if len(cred.Content) == 0 {
		remove(root, "credentials")
	}
	return document(root, head), nil
}

// DraftToken turns a JWT into the form a ticket draft carries: "header.claims." with the
// signature removed (so the token cannot be used) and personal or secret claims masked (the
// claims segment is then re-encoded, with the claims in their order; the times the chain
// judges are numbers and are left alone). ok is false when raw is not a JWT with a JSON header
// and claims: such a token is judged malformed whatever it holds, and its mask says so as well.
func (rd *Redactor) DraftToken(raw string) (string, bool) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 || !looksJWT(raw) {
		return "", false
	}
	out := make([]string, 2)
	for i, what := range []string{"header", "claims"} {
		b, err := b64(parts[i])
		if err != nil {
			return "", false
		}
		v, err := parseJSON(strings.TrimSpace(string(b)), 1)
		if err != nil || v.kind != jObj {
			return "", false
		}
		before := rd.changes
		w := &walker{file: "token"}
		w.push(what)
		rd.walk(w, &v, 0)
		if rd.changes == before {
			out[i] = parts[i] // nothing masked: the segment as it came
			continue
		}
		out[i] = base64.RawURLEncoding.EncodeToString(appendJSON(nil, &v, "", 0))
	}
	return out[0] + "." + out[1] + ".", true
}

// ---- YAML nodes ----

func mapping() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"} }

// scalar is a string scalar: quoted when it would read as something else, a literal block
// when it spans lines (a JSON body as it came).
func scalar(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.Contains(s, "\n") {
		n.Style = yaml.LiteralStyle
	}
	return n
}

func put(m *yaml.Node, k, v string) {
	if v != "" {
		putAlways(m, k, v)
	}
}

func putAlways(m *yaml.Node, k, v string) { m.Content = append(m.Content, scalar(k), scalar(v)) }

func putNode(m *yaml.Node, k string, v *yaml.Node) {
	if v.Kind == yaml.MappingNode && len(v.Content) == 0 {
		return
	}
	m.Content = append(m.Content, scalar(k), v)
}

// putAfter inserts k: v after the key after (or first when after is absent).
func putAfter(m *yaml.Node, after, k, v string) {
	at := 0
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == after {
			at = i + 2
		}
	}
	m.Content = append(m.Content[:at], append([]*yaml.Node{scalar(k), scalar(v)}, m.Content[at:]...)...)
}

func child(m *yaml.Node, k string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == k {
			return m.Content[i+1]
		}
	}
	return nil
}

func remove(m *yaml.Node, k string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == k {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

func document(root *yaml.Node, head string) *yaml.Node {
	return &yaml.Node{Kind: yaml.DocumentNode, HeadComment: head, Content: []*yaml.Node{root}}
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// EncodeYAML writes a document with two-space indentation.
func EncodeYAML(doc *yaml.Node) ([]byte, error) {
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// markInvalid notes ", invalid" in the masks found at the listed paths.
func markInvalid(v *jval, path string, invalid map[string]bool) bool {
	changed := false
	switch v.kind {
	case jStr:
		if invalid[path] && strings.HasPrefix(v.s, "[") && strings.HasSuffix(v.s, "]") &&
			!strings.HasSuffix(v.s, ", invalid]") && !strings.Contains(v.s, "check digits invalid") {
			v.s = strings.TrimSuffix(v.s, "]") + ", invalid]"
			return true
		}
	case jObj, jArr:
		for i := range v.kids {
			k := v.kids[i].key
			if v.kind == jArr {
				k = strconv.Itoa(i)
			}
			if path != "" {
				k = path + "." + k
			}
			if markInvalid(&v.kids[i], k, invalid) {
				changed = true
			}
		}
	}
	return changed
}

// draftForm tells whether v is what a ticket draft writes in place of a secret, where the
// draft writes it: credentials.api_key_sha256 as 64 lower-case hex characters (the directory's
// identifier of a key, not the key), credentials.token as "header.claims." (a JWT without its
// signature cannot be used). Scan accepts them there, and only there.
func draftForm(w *walker, v *jval) bool {
	n := len(w.segs)
	if n < 2 {
		return false
	}
	return draftFormUnder(w.segs[n-2].key, w.segs[n-1].key, v)
}

// draftFormUnder is draftForm for the value of key in the mapping named parent.
func draftFormUnder(parent, key string, v *jval) bool {
	if v.kind != jStr || parent != "credentials" {
		return false
	}
	switch key {
	case "api_key_sha256":
		return isKeyDigest(v.s)
	case "token":
		parts := strings.Split(v.s, ".")
		return len(parts) == 3 && parts[2] == "" && looksJWT(v.s)
	}
	return false
}

func isKeyDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
