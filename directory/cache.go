package directory

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// diskCache keeps the answers of a directory service between runs. The answers of one
// service (one base URL) are spread over cacheShards JSON files, by the SHA-256 of the kind
// and the value asked; a file is named by the SHA-256 of the base URL and its shard, and
// inside it every answer is named by that hash too, so no login nor partner name appears
// in a name. An entry holds the answer or "not found" and when it was fetched.
//
// A run reads a shard file once, when it first needs it, and writes the shards it changed
// when flushed: after each lookup, or once at the end of a batch (Remote.StartBatch). One
// file per answer, as before, cost a file creation and a rename per answer: about 1.6 ms
// each on this project's machine, far more than the request itself when a batch asks
// 20,000 of them in bulk. Writing merges with what the file holds then (another run may
// have written it meanwhile) and drops what is older than the TTL; files are written whole
// (temporary file, then rename), mode 0600, in a directory created 0700. Anything it cannot
// read or write is treated as a miss: the cache only ever saves requests, it never fails a
// lookup.
type diskCache struct {
	dir  string
	base string
	ttl  time.Duration
	now  func() time.Time

	mu     sync.Mutex
	shards [cacheShards]*cacheShard
	tidied bool // the first format's files were removed (tidyFirstFormat)
}

// cacheJSON: the shard files are read and written with encoding/json/v2 (go-json-experiment),
// several times faster than encoding/json on a batch's tens of thousands of answers.
var cacheJSON = jsontext.AllowInvalidUTF8(true)

// cacheVersion changes when the file format does; older files are then ignored.
const cacheVersion = 2

// cacheShards is how many files one service's answers are spread over: few enough that a
// batch writes them quickly, enough that one diagnosis rewrites a small part of the cache.
const cacheShards = 16

type cacheEntry struct {
	Fetched time.Time `json:"fetched"`
	Found   bool      `json:"found"`
	// The answer, when found: one of these, by the kind asked.
	Key  *Key  `json:"key,omitempty"`
	User *User `json:"user,omitempty"`
	Keys []Key `json:"keys,omitempty"`
}

type cacheFile struct {
	Version int                    `json:"version"`
	Entries map[string]*cacheEntry `json:"entries"`
}

// cacheShard is one file's entries in memory, and those this run added (dirty).
type cacheShard struct {
	entries map[string]*cacheEntry
	dirty   map[string]*cacheEntry
}

// cacheID names one answer: the hex SHA-256 of its kind and value.
func cacheID(kind, id string) string {
	h := sha256.New()
	for _, s := range []string{kind, id} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// shardOf is the shard of an answer's cacheID: its first hex digit.
func shardOf(cid string) int {
	c := cid[0]
	if c >= 'a' {
		return int(c-'a') + 10
	}
	return int(c - '0')
}

// cacheFileName is the file of one shard of one service's answers.
func cacheFileName(base string, shard int) string {
	h := sha256.Sum256([]byte(base + "\x00"))
	return fmt.Sprintf("%s-%x.json", hex.EncodeToString(h[:]), shard)
}

func (c *diskCache) path(shard int) string {
	return filepath.Join(c.dir, cacheFileName(c.base, shard))
}

// readShard reads a shard file; a file that is missing or cannot be used is empty.
func (c *diskCache) readShard(shard int) map[string]*cacheEntry {
	data, err := os.ReadFile(c.path(shard))
	if err != nil {
		return nil
	}
	var f cacheFile
	if json.Unmarshal(data, &f, cacheJSON) != nil || f.Version != cacheVersion {
		return nil
	}
	return f.Entries
}

// shard returns the shard in memory, reading it the first time. c.mu is held.
func (c *diskCache) shard(n int) *cacheShard {
	if c.shards[n] == nil {
		c.shards[n] = &cacheShard{entries: c.readShard(n)}
	}
	return c.shards[n]
}

// fresh: an entry younger than the TTL (and not from the future) that can be used.
func (c *diskCache) fresh(e *cacheEntry) bool {
	if e == nil || e.Fetched.IsZero() {
		return false
	}
	age := c.now().Sub(e.Fetched)
	return age >= 0 && age < c.ttl
}

// get returns a fresh entry: ok is false when there is none, it is older than the TTL
// (or from the future), or it cannot be read. The caller checks that the answer answers
// what was asked (checkAnswer).
func (c *diskCache) get(kind, id string) (a answer, ok bool) {
	cid := cacheID(kind, id)
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.shard(shardOf(cid)).entries[cid]
	if !c.fresh(e) {
		return answer{}, false
	}
	a = answer{found: e.Found, key: e.Key, user: e.User, keys: e.Keys}
	return a, true
}

// put keeps an answer in memory, replacing whatever was there; flush writes it.
func (c *diskCache) put(kind, id string, a answer) {
	cid := cacheID(kind, id)
	e := &cacheEntry{Fetched: c.now().UTC(), Found: a.found}
	if a.found {
		e.Key, e.User, e.Keys = a.key, a.user, a.keys
		if kind == kindPartner && e.Keys == nil {
			e.Keys = []Key{}
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.shard(shardOf(cid))
	if s.entries == nil {
		s.entries = map[string]*cacheEntry{}
	}
	if s.dirty == nil {
		s.dirty = map[string]*cacheEntry{}
	}
	s.entries[cid], s.dirty[cid] = e, e
}

// flush writes every shard with new answers: what the file holds now, still fresh, and
// this run's answers over it. It reports the first failure, but callers may ignore it.
func (c *diskCache) flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var first error
	for n, s := range c.shards {
		if s == nil || len(s.dirty) == 0 {
			continue
		}
		merged := map[string]*cacheEntry{}
		for cid, e := range c.readShard(n) {
			if c.fresh(e) {
				merged[cid] = e
			}
		}
		for cid, e := range s.dirty {
			merged[cid] = e
		}
		s.dirty = nil
		if err := c.write(n, merged); err != nil && first == nil {
			first = err
		}
	}
	if first == nil && !c.tidied {
		c.tidied = true
		c.tidyFirstFormat()
	}
	return first
}

// tidyFirstFormat removes what the cache's first format left in its folder: one file per
// answer, named by 64 hex digits and ".json" (the shards' names carry "-" and their number).
// They were never read again once the format changed, and a batch could leave tens of
// thousands. Done once per run that writes the cache; a file it cannot remove stays.
func (c *diskCache) tidyFirstFormat() {
	des, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	for _, de := range des {
		if name := de.Name(); de.Type().IsRegular() && firstFormatName(name) {
			os.Remove(filepath.Join(c.dir, name))
		}
	}
}

func firstFormatName(name string) bool {
	hexPart, ok := strings.CutSuffix(name, ".json")
	if !ok || len(hexPart) != 64 {
		return false
	}
	_, err := hex.DecodeString(hexPart)
	return err == nil && strings.ToLower(hexPart) == hexPart
}

func (c *diskCache) write(shard int, entries map[string]*cacheEntry) error {
	data, err := json.Marshal(cacheFile{Version: cacheVersion, Entries: entries}, cacheJSON)
	if err != nil {
		return err
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
		err = os.Rename(tmp, c.path(shard))
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
