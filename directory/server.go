package directory

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// NewServer serves the REST contract of the directory service (see http.go) from a
// snapshot's Index, at the root of its paths (use http.StripPrefix to mount it
// elsewhere). With a token, every request needs "Authorization: Bearer {token}" (401
// otherwise, before anything else is looked at). Only GET is allowed (405), except on
// POST /lookup, the bulk look-up, which is POST only; unknown keys, logins and paths are
// 404; bodies are JSON.
func NewServer(idx *Index, token string) http.Handler {
	return &server{idx: idx, token: token}
}

type server struct {
	idx   *Index
	token string
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.token != "" && !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="directory"`)
		writeJSONError(w, http.StatusUnauthorized, "missing or wrong bearer token")
		return
	}
	if r.URL.EscapedPath() == bulkPath {
		s.serveBulk(w, r)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeJSONError(w, http.StatusMethodNotAllowed, "only GET is allowed")
		return
	}
	seg, ok := splitPath(r.URL.EscapedPath())
	if !ok {
		writeJSONError(w, http.StatusNotFound, "no such endpoint")
		return
	}
	ctx := r.Context()
	switch {
	case len(seg) == 2 && seg[0] == kindKey:
		if problem := sha256Problem(seg[1]); problem != "" {
			writeJSONError(w, http.StatusBadRequest, "key is not a lower-case hex SHA-256: "+problem)
			return
		}
		res, err := s.idx.Lookup(ctx, Query{KeySHA256: seg[1]})
		switch {
		case err != nil:
			writeJSONError(w, http.StatusInternalServerError, "lookup failed")
		case res.Key == nil:
			writeJSONError(w, http.StatusNotFound, "no such key")
		default:
			writeJSON(w, http.StatusOK, res.Key)
		}
	case len(seg) == 2 && seg[0] == kindUser && seg[1] != "":
		res, err := s.idx.Lookup(ctx, Query{Login: seg[1]})
		switch {
		case err != nil:
			writeJSONError(w, http.StatusInternalServerError, "lookup failed")
		case res.User == nil:
			writeJSONError(w, http.StatusNotFound, "no such login")
		default:
			writeJSON(w, http.StatusOK, res.User)
		}
	case len(seg) == 3 && seg[0] == kindPartner && seg[1] != "" && seg[2] == "keys":
		res, err := s.idx.Lookup(ctx, Query{Partner: seg[1]})
		if err != nil {
			writeJSONError(w, http.StatusInternalServerError, "lookup failed")
			return
		}
		keys := res.PartnerKeys
		if keys == nil {
			keys = []Key{}
		}
		writeJSON(w, http.StatusOK, keys)
	default:
		writeJSONError(w, http.StatusNotFound, "no such endpoint")
	}
}

// serveBulk answers POST /lookup: every key, login and partner of the body at once.
func (s *server) serveBulk(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSONError(w, http.StatusMethodNotAllowed, "only POST is allowed on /lookup")
		return
	}
	var req bulkRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, BulkMaxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeJSONError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", BulkMaxBody))
			return
		}
		writeJSONError(w, http.StatusBadRequest, "the body is not a look-up: "+jsonProblem(err))
		return
	}
	if dec.More() {
		writeJSONError(w, http.StatusBadRequest, "the body holds more than one JSON value")
		return
	}
	if n := len(req.Keys) + len(req.Users) + len(req.Partners); n > BulkMaxItems {
		writeJSONError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("%d items asked; at most %d per request", n, BulkMaxItems))
		return
	}
	for i, k := range req.Keys {
		if problem := sha256Problem(k); problem != "" {
			writeJSONError(w, http.StatusBadRequest, fmt.Sprintf("keys[%d] is not a lower-case hex SHA-256: %s", i, problem))
			return
		}
	}
	for i, u := range req.Users {
		if u == "" {
			writeJSONError(w, http.StatusBadRequest, fmt.Sprintf("users[%d] is empty", i))
			return
		}
	}
	for i, p := range req.Partners {
		if p == "" {
			writeJSONError(w, http.StatusBadRequest, fmt.Sprintf("partners[%d] is empty", i))
			return
		}
	}
	ctx := r.Context()
	ans := bulkAnswer{Keys: map[string]*Key{}, Users: map[string]*User{}, Partners: map[string][]Key{}}
	for _, k := range req.Keys {
		res, err := s.idx.Lookup(ctx, Query{KeySHA256: k})
		if err != nil {
			writeJSONError(w, http.StatusInternalServerError, "lookup failed")
			return
		}
		ans.Keys[k] = res.Key
	}
	for _, u := range req.Users {
		res, err := s.idx.Lookup(ctx, Query{Login: u})
		if err != nil {
			writeJSONError(w, http.StatusInternalServerError, "lookup failed")
			return
		}
		ans.Users[u] = res.User
	}
	for _, p := range req.Partners {
		res, err := s.idx.Lookup(ctx, Query{Partner: p})
		if err != nil {
			writeJSONError(w, http.StatusInternalServerError, "lookup failed")
			return
		}
		keys := res.PartnerKeys
		if keys == nil {
			keys = []Key{}
		}
		ans.Partners[p] = keys
	}
	// encoding/json/v2 (go-json-experiment): several times faster than encoding/json on
	// answers of hundreds of items; nil slices stay null, as on the other endpoints.
	data, err := jsonv2.Marshal(ans, jsontext.AllowInvalidUTF8(true), jsonv2.FormatNilSliceAsNull(true))
	if err != nil {
		writeJSONError(w, http.StatusInternalServerError, "cannot encode the answer")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(append(data, '\n'))
}

func (s *server) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	const prefix = "Bearer "
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(h[len(prefix):]), []byte(s.token)) == 1
}

// splitPath splits an escaped path into unescaped segments, so that an escaped "/"
// stays inside its segment.
func splitPath(escaped string) ([]string, bool) {
	escaped = strings.TrimPrefix(escaped, "/")
	parts := strings.Split(escaped, "/")
	for i, p := range parts {
		u, err := url.PathUnescape(p)
		if err != nil {
			return nil, false
		}
		parts[i] = u
	}
	return parts, true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		writeJSONError(w, http.StatusInternalServerError, "cannot encode the answer")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(data, '\n'))
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	data, _ := json.Marshal(struct {
		Error string `json:"error"`
	}{msg})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(data, '\n'))
}
