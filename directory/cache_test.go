package directory

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// cacheQueries asks a found key, an unknown key, a found login with a "/", an unknown
// login and a partner: five answers, five files.
var cacheQueries = []Query{
	{KeySHA256: srvSHA("key-a"), Login: "barra/login"},
	{KeySHA256: srvSHA("unknown"), Login: "segredo.login"},
	{Partner: "Corban Alfa"},
}

func cacheServer(t *testing.T) (*counting, string) {
	c := &counting{h: NewServer(srvIndex(t), "")}
	ts := httptest.NewServer(c)
	t.Cleanup(ts.Close)
	return c, ts.URL
}

func TestDiskCacheReuseAndTTL(t *testing.T) {
	c, base := cacheServer(t)
	dir := filepath.Join(t.TempDir(), "cache")
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	now := t0
	opts := HTTPOptions{CacheDir: dir, CacheTTL: time.Hour, Now: func() time.Time { return now }}
	ctx := lookupCtx(t)

	ask := func(r *Remote) []Result {
		t.Helper()
		var out []Result
		for _, q := range cacheQueries {
			res, err := r.Lookup(ctx, q)
			if err != nil {
				t.Fatalf("Lookup(%+v): %v", q, err)
			}
			out = append(out, res)
		}
		return out
	}
	first := ask(mustOpen(t, base, opts))
	if n := c.n.Load(); n != 5 {
		t.Fatalf("first run: %d items asked, want 5", n)
	}
	if first[0].Key == nil || first[0].User == nil || first[1].Key != nil || first[1].User != nil || len(first[2].PartnerKeys) != 2 {
		t.Fatalf("first run answers: %+v", first)
	}

	now = t0.Add(59 * time.Minute)
	second := ask(mustOpen(t, base, opts))
	if n := c.n.Load(); n != 5 {
		t.Errorf("second run within TTL: %d items asked in all, want still 5", n)
	}
	for i := range first {
		if !sameResult(first[i], second[i]) {
			t.Errorf("query %d: from cache %s, from service %s", i, showResult(second[i]), showResult(first[i]))
		}
	}

	now = t0.Add(61 * time.Minute)
	ask(mustOpen(t, base, opts))
	if n := c.n.Load(); n != 10 {
		t.Errorf("run after TTL: %d items asked in all, want 10", n)
	}
	// The refetch renewed the entries.
	now = t0.Add(61*time.Minute + 59*time.Minute)
	ask(mustOpen(t, base, opts))
	if n := c.n.Load(); n != 10 {
		t.Errorf("run within the renewed TTL: %d items asked in all, want 10", n)
	}

	// An entry from the future (clock set back) is not trusted.
	now = t0
	ask(mustOpen(t, base, opts))
	if n := c.n.Load(); n != 15 {
		t.Errorf("run with the clock set back: %d items asked in all, want 15", n)
	}

	// Another service does not see these entries.
	c2, base2 := cacheServer(t)
	ask(mustOpen(t, base2, opts))
	if n := c2.n.Load(); n != 5 {
		t.Errorf("other base URL: %d items asked, want 5", n)
	}
}

func TestDiskCacheFiles(t *testing.T) {
	_, base := cacheServer(t)
	dir := filepath.Join(t.TempDir(), "a", "cache")
	r := mustOpen(t, base, HTTPOptions{CacheDir: dir})
	ctx := lookupCtx(t)
	for _, q := range cacheQueries {
		if _, err := r.Lookup(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Five answers, in as many shard files as their names fall in.
	want := map[string]bool{}
	for _, a := range [][2]string{{kindKey, srvSHA("key-a")}, {kindKey, srvSHA("unknown")}, {kindUser, "barra/login"}, {kindUser, "segredo.login"}, {kindPartner, "Corban Alfa"}} {
		want[cacheFileName(base, shardOf(cacheID(a[0], a[1])))] = true
	}
	if len(entries) != len(want) {
		t.Errorf("%d files, want %d", len(entries), len(want))
	}
	name := regexp.MustCompile(`^[0-9a-f]{64}-[0-9a-f]\.json$`)
	for _, e := range entries {
		if !name.MatchString(e.Name()) || !want[e.Name()] {
			t.Errorf("file name %q", e.Name())
		}
		if runtime.GOOS != "windows" {
			info, err := e.Info()
			if err != nil {
				t.Fatal(err)
			}
			if m := info.Mode().Perm(); m != 0o600 {
				t.Errorf("%s: mode %v, want 0600", e.Name(), m)
			}
		}
		// Names inside the files are hashes too.
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		var f cacheFile
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		for cid := range f.Entries {
			if len(cid) != 64 || strings.Trim(cid, "0123456789abcdef") != "" {
				t.Errorf("%s: entry named %q", e.Name(), cid)
			}
		}
	}
	if runtime.GOOS != "windows" {
		info, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if m := info.Mode().Perm(); m != 0o700 {
			t.Errorf("cache dir mode %v, want 0700", m)
		}
	}
	// A "not found" entry says so.
	cid := cacheID(kindUser, "segredo.login")
	data, err := os.ReadFile(filepath.Join(dir, cacheFileName(r.Source(), shardOf(cid))))
	if err != nil {
		t.Fatal(err)
	}
	var f cacheFile
	if err := json.Unmarshal(data, &f); err != nil || f.Version != cacheVersion || f.Entries[cid] == nil || f.Entries[cid].Found || f.Entries[cid].Fetched.IsZero() {
		t.Errorf("not-found entry in %s: %v", data, err)
	}
}

// TestDiskCacheBatch: in a batch, answers reach the disk once the batch ends, and the next
// run finds them there, beside what the file held already.
func TestDiskCacheBatch(t *testing.T) {
	c, base := cacheServer(t)
	dir := t.TempDir()
	opts := HTTPOptions{CacheDir: dir}
	ctx := lookupCtx(t)
	r := mustOpen(t, base, opts)
	if _, err := r.Lookup(ctx, Query{Login: "alfa.maria"}); err != nil {
		t.Fatal(err)
	}
	r2 := mustOpen(t, base, opts)
	end := r2.StartBatch()
	for _, q := range cacheQueries {
		if _, err := r2.Lookup(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := mustOpen(t, base, opts).cache.get(kindUser, "barra/login"); ok {
		t.Error("written before the batch ended")
	}
	end()
	before := c.n.Load()
	r3 := mustOpen(t, base, opts)
	for _, q := range append(cacheQueries, Query{Login: "alfa.maria"}) {
		if _, err := r3.Lookup(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if n := c.n.Load() - before; n != 0 {
		t.Errorf("after the batch: %d items asked again, want 0", n)
	}
}

func TestDiskCacheCorrupt(t *testing.T) {
	c, base := cacheServer(t)
	dir := t.TempDir()
	opts := HTTPOptions{CacheDir: dir}
	ctx := lookupCtx(t)
	q := Query{Login: "alfa.maria"}
	if _, err := mustOpen(t, base, opts).Lookup(ctx, q); err != nil {
		t.Fatal(err)
	}
	cid := cacheID(kindUser, "alfa.maria")
	file := filepath.Join(dir, cacheFileName(base, shardOf(cid)))
	fresh := time.Now().UTC().Format(time.RFC3339Nano)
	entry := func(version int, e string) string {
		return `{"version":` + strconv.Itoa(version) + `,"entries":{"` + cid + `":` + e + `}}`
	}
	for i, bad := range []string{
		"",
		"{not json",
		entry(2, `{"fetched":"`+fresh+`","found":true,"user":{"login":"someone.else"}}`),        // not what was asked
		entry(2, `{"fetched":"`+fresh+`","found":true}`),                                        // found, no answer
		entry(2, `{"fetched":"`+fresh+`","found":true,"key":{"sha256":"`+srvSHA("key-a")+`"}}`), // another kind's answer
		entry(2, `{"fetched":"`+fresh+`","found":"yes"}`),                                       // not the shape
		entry(99, `{"fetched":"`+fresh+`","found":false}`),                                      // unknown version
		entry(2, `{"found":false}`),                                                             // no time
		entry(2, `[1,2,3]`),
		`[1,2,3]`,
	} {
		if err := os.WriteFile(file, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		before := c.n.Load()
		res, err := mustOpen(t, base, opts).Lookup(ctx, q)
		if err != nil || res.User == nil || res.User.Login != "alfa.maria" {
			t.Fatalf("corrupt entry %d: %+v, %v", i, res, err)
		}
		if n := c.n.Load() - before; n != 1 {
			t.Errorf("corrupt entry %d: %d items asked, want 1", i, n)
		}
		// Replaced by a good entry.
		if a, ok := (&diskCache{dir: dir, base: base, ttl: time.Hour, now: time.Now}).get(kindUser, "alfa.maria"); !ok || !a.found {
			t.Errorf("corrupt entry %d was not replaced", i)
		}
	}
	// A cache directory that cannot be used only costs requests.
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, nil, 0o600)
	r := mustOpen(t, base, HTTPOptions{CacheDir: filepath.Join(blocker, "sub")})
	if _, err := r.Lookup(ctx, q); err != nil {
		t.Errorf("unusable cache dir: %v", err)
	}
	// No temporary file is left behind.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp") {
			t.Errorf("left over %s", e.Name())
		}
	}
}

// The cache's first format kept one file per answer; a run that writes the cache removes
// them, and leaves the shards and anything else in the folder alone.
func TestDiskCacheRemovesTheFirstFormatsFiles(t *testing.T) {
	_, base := cacheServer(t)
	dir := filepath.Join(t.TempDir(), "cache")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	old := []string{strings.Repeat("ab", 32) + ".json", strings.Repeat("0f", 32) + ".json"}
	kept := []string{"notas.txt", strings.Repeat("AB", 32) + ".json", strings.Repeat("ab", 31) + ".json"}
	for _, n := range append(append([]string(nil), old...), kept...) {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(`{"found":false}`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	r := mustOpen(t, base, HTTPOptions{CacheDir: dir})
	if _, err := r.Lookup(lookupCtx(t), cacheQueries[0]); err != nil {
		t.Fatal(err)
	}
	for _, n := range old {
		if _, err := os.Stat(filepath.Join(dir, n)); !os.IsNotExist(err) {
			t.Errorf("%s: the first format's file is still there (%v)", n, err)
		}
	}
	for _, n := range kept {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s: removed, but it is not the cache's first format (%v)", n, err)
		}
	}
	shards, _ := filepath.Glob(filepath.Join(dir, "*-*.json"))
	if len(shards) == 0 {
		t.Error("no shard written")
	}
}
