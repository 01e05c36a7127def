package directory

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"time"
)

// diskCache keeps the answers of a directory service between runs: one small JSON file
// per answer, named by the SHA-256 of the base URL, the kind and the value asked (so no
// login nor partner name appears in a file name), holding the answer or "not found" and
// when it was fetched. Files are written whole (temporary file, then rename), mode 0600,
// in a directory created 0700. Anything it cannot read or write is treated as a miss:
// the cache only ever saves requests, it never fails a lookup.
type diskCache struct {
	dir  string
	base string
	ttl  time.Duration
	now  func() time.Time
}

// cacheVersion changes when the file format does; older files are then ignored.
const cacheVersion = 1

type cacheEntry struct {
	Version int             `json:"version"`
	Fetched time.Time       `json:"fetched"`
	Found   bool            `json:"found"`
	Answer  json.RawMessage `json:"answer,omitempty"` // the 200 body, when found
}

// cacheFileName is the file of one answer.
func cacheFileName(base, kind, id string) string {
	h := sha256.New()
	for _, s := range []string{base, kind, id} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)) + ".json"
}

func (c *diskCache) path(kind, id string) string {
	return filepath.Join(c.dir, cacheFileName(c.base, kind, id))
}

// get returns a fresh entry: ok is false when there is none, it is older than the TTL
// (or from the future), or it cannot be read.
func (c *diskCache) get(kind, id string) (found bool, body []byte, ok bool) {
	data, err := os.ReadFile(c.path(kind, id))
	if err != nil {
		return false, nil, false
	}
	var e cacheEntry
	if json.Unmarshal(data, &e) != nil || e.Version != cacheVersion || e.Fetched.IsZero() {
		return false, nil, false
	}
	if age := c.now().Sub(e.Fetched); age < 0 || age >= c.ttl {
		return false, nil, false
	}
	if e.Found && len(e.Answer) == 0 {
		return false, nil, false
	}
	return e.Found, e.Answer, true
}

// put stores an answer, replacing whatever was there. It reports failure but callers
// may ignore it.
func (c *diskCache) put(kind, id string, found bool, body []byte) error {
	e := cacheEntry{Version: cacheVersion, Fetched: c.now().UTC(), Found: found}
	if found {
		e.Answer = json.RawMessage(body)
	}
	data, err := json.Marshal(e)
	if err != nil {
		return err // a body that is not JSON: decodeAnswer refused it already
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(c.dir, ".tmp-*") // created 0600
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o600)
	}
	if err == nil {
		err = os.Rename(tmp, c.path(kind, id))
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
