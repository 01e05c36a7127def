package directory

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
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
		t.Fatalf("first run: %d requests, want 5", n)
	}
	if first[0].Key == nil || first[0].User == nil || first[1].Key != nil || first[1].User != nil || len(first[2].PartnerKeys) != 2 {
		t.Fatalf("first run answers: %+v", first)
	}

	now = t0.Add(59 * time.Minute)
	second := ask(mustOpen(t, base, opts))
	if n := c.n.Load(); n != 5 {
		t.Errorf("second run within TTL: %d requests in all, want still 5", n)
	}
	for i := range first {
		if !sameResult(first[i], second[i]) {
			t.Errorf("query %d: from cache %s, from service %s", i, showResult(second[i]), showResult(first[i]))
		}
	}

	now = t0.Add(61 * time.Minute)
	ask(mustOpen(t, base, opts))
	if n := c.n.Load(); n != 10 {
		t.Errorf("run after TTL: %d requests in all, want 10", n)
	}
	// The refetch renewed the entries.
	now = t0.Add(61*time.Minute + 59*time.Minute)
	ask(mustOpen(t, base, opts))
	if n := c.n.Load(); n != 10 {
		t.Errorf("run within the renewed TTL: %d requests in all, want 10", n)
	}

	// An entry from the future (clock set back) is not trusted.
	now = t0
	ask(mustOpen(t, base, opts))
	if n := c.n.Load(); n != 15 {
		t.Errorf("run with the clock set back: %d requests in all, want 15", n)
	}

	// Another service does not see these entries.
	c2, base2 := cacheServer(t)
	ask(mustOpen(t, base2, opts))
	if n := c2.n.Load(); n != 5 {
		t.Errorf("other base URL: %d requests, want 5", n)
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
	if len(entries) != 5 {
		t.Errorf("%d files, want 5", len(entries))
	}
	name := regexp.MustCompile(`^[0-9a-f]{64}\.json$`)
	for _, e := range entries {
		if !name.MatchString(e.Name()) {
			t.Errorf("file name %q", e.Name())
		}
		for _, secret := range []string{"segredo", "barra", "Corban"} {
			if strings.Contains(e.Name(), secret) {
				t.Errorf("file name %q shows %q", e.Name(), secret)
			}
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
	data, err := os.ReadFile(filepath.Join(dir, cacheFileName(r.Source(), kindUser, "segredo.login")))
	if err != nil {
		t.Fatal(err)
	}
	var e cacheEntry
	if err := json.Unmarshal(data, &e); err != nil || e.Found || e.Version != cacheVersion || e.Fetched.IsZero() {
		t.Errorf("not-found entry %s: %v", data, err)
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
	file := filepath.Join(dir, cacheFileName(base, kindUser, "alfa.maria"))
	fresh := time.Now().UTC().Format(time.RFC3339Nano)
	for i, bad := range []string{
		"",
		"{not json",
		`{"version":1,"fetched":"` + fresh + `","found":true,"answer":{"login":"someone.else"}}`, // not what was asked
		`{"version":1,"fetched":"` + fresh + `","found":true}`,                                   // found, no answer
		`{"version":99,"fetched":"` + fresh + `","found":false}`,                                 // unknown version
		`{"version":1,"found":false}`,                                                            // no time
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
			t.Errorf("corrupt entry %d: %d requests, want 1", i, n)
		}
		// Replaced by a good entry.
		if found, _, ok := (&diskCache{dir: dir, base: base, ttl: time.Hour, now: time.Now}).get(kindUser, "alfa.maria"); !ok || !found {
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
