package directory

import (
	"bytes"
	"cmp"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// writeGenerated writes a generated snapshot of n keys and n users and returns its path.
func writeGenerated(t testing.TB, dir string, n int) string {
	t.Helper()
	var b bytes.Buffer
	if err := writeSnapshot(&b, n, n); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "directory.json")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// indexQueries asks for keys, users and partners that exist, at the start, middle and
// end, and some that do not.
func indexQueries(n int) []Query {
	var qs []Query
	for _, i := range []int{0, 1, n / 2, n - 1} {
		qs = append(qs, Query{KeySHA256: benchKeySHA(i), Login: benchLogin(i), Partner: benchPartner(i % benchPartners)})
	}
	qs = append(qs,
		Query{KeySHA256: benchKeySHA(n + 5)},
		Query{Login: "ninguem"},
		Query{Partner: "Parceiro que não existe"},
		Query{Login: benchLogin(n + 1), Partner: benchPartner(3)},
	)
	return qs
}

// sameAnswers checks that the indexed directory answers every query as the plain scanner does.
func sameAnswers(t *testing.T, path string, d Directory, qs []Query) {
	t.Helper()
	plain, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		want, werr := plain.Lookup(context.Background(), q)
		got, gerr := d.Lookup(context.Background(), q)
		if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
			t.Fatalf("%+v: error %v, the scanner says %v", q, gerr, werr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%+v:\n got %+v\nwant %+v", q, got, want)
		}
	}
}

func openIndexed(t *testing.T, path, cache string) *Indexed {
	t.Helper()
	d, err := OpenIndexed(path, cache)
	if err != nil {
		t.Fatal(err)
	}
	x, ok := d.(*Indexed)
	if !ok {
		t.Fatalf("OpenIndexed gave %T, want *Indexed", d)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

func TestIndexedAnswersAsTheScanner(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	path := writeGenerated(t, dir, 3000)
	first := openIndexed(t, path, cache)
	if !first.built {
		t.Fatal("the first open should read the snapshot and build the index")
	}
	sameAnswers(t, path, first, indexQueries(3000))
	st, err := os.Stat(IndexPath(cache, path))
	if err != nil {
		t.Fatalf("no index file written: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("index file mode %v, want 0600", st.Mode().Perm())
	}
	later := openIndexed(t, path, cache)
	if later.built {
		t.Fatal("the second open should answer from the index file")
	}
	sameAnswers(t, path, later, indexQueries(3000))
}

func TestIndexedDuplicatesEscapesAndOrder(t *testing.T) {
	sha := strings.Repeat("ab", 32)
	doc := "\uFEFF" + `{"users": [
  {"login": "ana\u002esilva", "partner": "Alfa", "active": true},
  {"login": "ana.silva", "partner": "Beta", "active": false},
  {"login": "bia", "partner": "Alfa \"X\"", "active": true}
], "keys": [
  {"sha256": "` + sha + `", "partner": "Alfa \"X\"", "environment": "producao", "active": true, "users": ["bia"]},
  {"sha256": "` + sha + `", "partner": "Beta", "environment": "homologacao", "active": false, "users": []},
  {"partner": "Alfa \"X\"", "environment": "producao", "active": false},
  {"sha256": "` + strings.Repeat("cd", 32) + `", "partner": "Alfa \"X\"", "environment": "producao", "active": true}
]}`
	dir, cache := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "d.json")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	qs := []Query{
		{KeySHA256: sha, Login: "ana.silva", Partner: `Alfa "X"`},
		{Partner: "Beta"}, {Login: "bia"}, {KeySHA256: strings.Repeat("cd", 32)},
	}
	sameAnswers(t, path, openIndexed(t, path, cache), qs)
	sameAnswers(t, path, openIndexed(t, path, cache), qs)
}

func TestBrokenOrUnusualSnapshotsAreNotIndexed(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	for name, doc := range map[string]string{
		"d.json":       `{"keys": [], "users": [{"login": "ana", "partner": "Alfa", "active": tru}]}`,
		"anchors.yaml": "keys: []\nusers:\n  - &a {login: ana, partner: Alfa, active: true}\n",
		"bad.yaml":     "keys: []\nusers:\n  - login: ana\n    partner: Alfa\n    active: yes\n",
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		d, err := OpenIndexed(path, cache)
		if err != nil {
			if name != "bad.yaml" {
				t.Fatal(err)
			}
			if _, perr := Open(path); perr == nil || perr.Error() != err.Error() {
				t.Errorf("%s: %v, the plain open says %v", name, err, perr)
			}
			continue
		}
		if _, ok := d.(*Snapshot); !ok {
			t.Errorf("%s: got %T, want the plain snapshot", name, d)
		}
		sameAnswers(t, path, d, []Query{{Login: "ana"}})
		if _, err := os.Stat(IndexPath(cache, path)); err == nil {
			t.Errorf("%s: an index was written", name)
		}
	}
}

// TestIndexNeverAnswersStale changes the snapshot (JSON and YAML) so that exactly one of the
// guards can see it, and checks the answers follow the file.
func TestIndexNeverAnswersStale(t *testing.T) {
	const n = 3000
	login := benchLogin(n / 2) // an entry in the middle, away from the hashed head and tail
	type form struct {
		write       func(testing.TB, string, int) string
		loginPrefix string // how a user entry starts, up to the login
		headChange  func(data []byte) []byte
	}
	forms := map[string]form{
		"json": {writeGenerated, `{"login": "`, func(data []byte) []byte {
			i := bytes.Index(data, []byte(`"active": true`))
			copy(data[i:], `"active":false`)
			return data
		}},
		"yaml": {writeGeneratedYAML, `{login: `, func(data []byte) []byte {
			i := bytes.Index(data, []byte("partner: ")) + len("partner: ")
			data[i] ^= 0x20 // the first key's partner changes case
			return data
		}},
	}
	for fname, fm := range forms {
		changes := map[string]func(t *testing.T, path string, data []byte, mtime time.Time){
			"same size, same time, different head": func(t *testing.T, path string, data []byte, mtime time.Time) {
				writeInPlace(t, path, fm.headChange(data), mtime)
			},
			"same size, middle changed, time touched": func(t *testing.T, path string, data []byte, mtime time.Time) {
				writeInPlace(t, path, renameLogin(t, data, fm.loginPrefix, login), mtime.Add(time.Second))
			},
			"replaced by another file of the same size and time": func(t *testing.T, path string, data []byte, mtime time.Time) {
				tmp := path + ".new"
				if err := os.WriteFile(tmp, renameLogin(t, data, fm.loginPrefix, login), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Chtimes(tmp, mtime, mtime); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(tmp, path); err != nil {
					t.Fatal(err)
				}
			},
		}
		for name, change := range changes {
			t.Run(fname+"/"+name, func(t *testing.T) {
				dir, cache := t.TempDir(), t.TempDir()
				path := fm.write(t, dir, n)
				openIndexed(t, path, cache).Close()
				if openIndexed(t, path, cache).built {
					t.Fatal("the index was not used before the change")
				}
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				st, err := os.Stat(path)
				if err != nil {
					t.Fatal(err)
				}
				change(t, path, data, st.ModTime())
				x := openIndexed(t, path, cache)
				if !x.built {
					t.Fatal("the changed snapshot was answered from the old index")
				}
				qs := append(indexQueries(n), Query{Login: login}, Query{Login: "X" + login[1:]})
				sameAnswers(t, path, x, qs)
				sameAnswers(t, path, openIndexed(t, path, cache), qs)
			})
		}
	}
}

// renameLogin changes the first letter of user login's entry (not the logins keys list),
// keeping the file's size.
func renameLogin(t *testing.T, data []byte, prefix, login string) []byte {
	t.Helper()
	i := bytes.Index(data, []byte(prefix+login))
	if i < 0 {
		t.Fatal("login not found in the generated snapshot")
	}
	data = bytes.Clone(data)
	data[i+len(prefix)] = 'X'
	return data
}

// writeInPlace rewrites the file's bytes (same inode) and sets its modification time.
func writeInPlace(t *testing.T, path string, data []byte, mtime time.Time) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(data, 0); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

func TestCorruptOrForeignIndexIsRebuilt(t *testing.T) {
	const n = 500
	corruptions := map[string]func([]byte) []byte{
		"truncated":      func(b []byte) []byte { return b[:len(b)-7] },
		"empty":          func([]byte) []byte { return nil },
		"not an index":   func([]byte) []byte { return []byte("{\"keys\": []}\n") },
		"header flipped": func(b []byte) []byte { b[50] ^= 0xff; return b },
		"counts changed": func(b []byte) []byte { b[72]++; return b },
		"format changed": func(b []byte) []byte { b[96] ^= 'j' ^ 'y'; return b },
		"grown":          func(b []byte) []byte { return append(b, 0, 0, 0, 0, 0, 0, 0, 0) },
	}
	for name, corrupt := range corruptions {
		for form, write := range map[string]func(testing.TB, string, int) string{"json": writeGenerated, "yaml": writeGeneratedYAML} {
			t.Run(form+"/"+name, func(t *testing.T) {
				dir, cache := t.TempDir(), t.TempDir()
				path := write(t, dir, n)
				openIndexed(t, path, cache).Close()
				ipath := IndexPath(cache, path)
				good, err := os.ReadFile(ipath)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(ipath, corrupt(bytes.Clone(good)), 0o600); err != nil {
					t.Fatal(err)
				}
				d, err := OpenIndexed(path, cache)
				if err != nil {
					t.Fatal(err)
				}
				sameAnswers(t, path, d, indexQueries(n))
				d.(*Indexed).Close()
				if again, _ := os.ReadFile(ipath); !bytes.Equal(again, good) {
					t.Error("the index was not rebuilt")
				}
			})
		}
	}
}

// BenchmarkIndexed1M compares, on a 1M+1M snapshot (BENCH_SNAPSHOT_N to change it), one
// diagnosis's directory work: reading the file once (the baseline), the plain scan, the
// first indexed open (index built and written) and a later one (from the index); then the
// same snapshot as YAML (BENCH_YAML=0 to skip it).
func BenchmarkIndexed1M(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("BENCH_SNAPSHOT_N")); err == nil && v > 0 {
		n = v
	}
	dir := b.TempDir()
	paths := []string{writeGenerated(b, dir, n)}
	if os.Getenv("BENCH_YAML") != "0" {
		paths = append(paths, writeGeneratedYAML(b, dir, n))
	}
	q := Query{KeySHA256: benchKeySHA(n - 1), Login: benchLogin(n - 1)}
	ctx := context.Background()
	for _, path := range paths {
		form := strings.TrimPrefix(filepath.Ext(path), ".")
		b.Run(form+"/readfile", func(b *testing.B) {
			for b.Loop() {
				if _, err := os.ReadFile(path); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(form+"/scan", func(b *testing.B) {
			for b.Loop() {
				s, err := Open(path)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.Lookup(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(form+"/first", func(b *testing.B) {
			for b.Loop() {
				d, err := OpenIndexed(path, b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				if r, err := d.Lookup(ctx, q); err != nil || r.Key == nil || r.User == nil {
					b.Fatal(r, err)
				}
				d.(*Indexed).Close()
			}
		})
		cache := b.TempDir()
		if _, err := OpenIndexed(path, cache); err != nil {
			b.Fatal(err)
		}
		b.Run(form+"/later", func(b *testing.B) {
			for b.Loop() {
				d, err := OpenIndexed(path, cache)
				if err != nil {
					b.Fatal(err)
				}
				if r, err := d.Lookup(ctx, q); err != nil || r.Key == nil || r.User == nil {
					b.Fatal(r, err)
				}
				d.(*Indexed).Close()
			}
		})
	}
}

func TestTextHashSpreadsTexts(t *testing.T) {
	// the index keeps the top 24 bits: texts that differ in one character, or only in
	// length, must land apart there, or every lookup would read many entries
	seen := map[uint64]string{}
	for i := range 20000 {
		for _, s := range []string{benchLogin(i), benchKeySHA(i), strings.Repeat("a", i%100)} {
			top := textHash([]byte(s)) >> offsetBits
			if other, dup := seen[top]; dup && other != s && i < 100 {
				t.Errorf("%q and %q share the top 24 bits", s, other)
			}
			seen[top] = s
		}
	}
	if len(seen) < 39000 { // 40,100 distinct texts in 16.7M buckets: a handful of collisions at most
		t.Errorf("only %d distinct top bits for about 40,100 texts", len(seen))
	}
}

func TestRadixSortIsAStableSortByHash(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 1000, 70000} {
		recs := make([]uint64, n)
		for i := range recs {
			h := rng.Uint64() >> offsetBits
			if i > 0 && rng.IntN(4) == 0 {
				h = recs[rng.IntN(i)] >> offsetBits // repeated hashes must keep file order
			}
			recs[i] = h<<offsetBits | uint64(i)
		}
		want := slices.Clone(recs)
		slices.SortStableFunc(want, func(a, b uint64) int { return cmp.Compare(a>>offsetBits, b>>offsetBits) })
		radixSort(recs, nil)
		if !slices.Equal(recs, want) {
			t.Fatalf("%d records: not sorted stably by hash", n)
		}
	}
}

func TestIndexedReadsAPipePlainly(t *testing.T) {
	if _, err := os.Stat("/dev/stdin"); err != nil {
		t.Skip("no /dev/stdin here")
	}
	cache := t.TempDir()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	doc := `{"keys": [], "users": [{"login": "ana", "partner": "Alfa", "active": true}]}`
	go func() { w.WriteString(doc); w.Close() }()
	defer r.Close()
	d, err := OpenIndexed(filepath.Join("/dev/fd", strconv.Itoa(int(r.Fd()))), cache)
	if err != nil {
		t.Fatal(err)
	}
	res, err := d.Lookup(context.Background(), Query{Login: "ana"})
	if err != nil || res.User == nil || res.User.Partner != "Alfa" {
		t.Fatalf("got %+v, %v", res, err)
	}
	if entries, _ := os.ReadDir(cache); len(entries) != 0 {
		t.Errorf("a pipe was indexed: %d files in the cache", len(entries))
	}
}

// TestIndexedEntriesLongerThanTheWindow: an entry longer than the window the index is built
// through (a key with 150,000 logins, 1.3 MB) is read whole, in JSON and in YAML, and found
// again from the index.
func TestIndexedEntriesLongerThanTheWindow(t *testing.T) {
	logins := make([]string, 150_000)
	for i := range logins {
		logins[i] = "usuario" + strconv.Itoa(i)
	}
	sha := strings.Repeat("cd", 32)
	docs := map[string]string{
		"long.json": `{"users": [{"login": "ana", "partner": "Longa", "active": true}], "keys": [` +
			`{"sha256": "` + strings.Repeat("ab", 32) + `", "partner": "Curta", "environment": "producao", "active": true, "users": ["ana"]},` +
			`{"sha256": "` + sha + `", "partner": "Longa", "environment": "producao", "active": true, "users": ["` + strings.Join(logins, `", "`) + `"]},` +
			`{"sha256": "` + strings.Repeat("ef", 32) + `", "partner": "Longa", "environment": "homologacao", "active": false, "users": []}]}`,
		"long.yaml": "users:\n  - {login: ana, partner: Longa, active: true}\nkeys:\n" +
			"  - {sha256: " + strings.Repeat("ab", 32) + ", partner: Curta, environment: producao, active: true, users: [ana]}\n" +
			"  - sha256: " + sha + "\n    partner: Longa\n    environment: producao\n    active: true\n    users: [" + strings.Join(logins, ", ") + "]\n" +
			"  - sha256: " + strings.Repeat("ef", 32) + "\n    partner: Longa\n    environment: homologacao\n    active: false\n    users: []\n",
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			dir, cache := t.TempDir(), t.TempDir()
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			qs := []Query{{KeySHA256: sha, Login: "ana", Partner: "Longa"}, {KeySHA256: strings.Repeat("ef", 32)}, {Partner: "Curta"}}
			first := openIndexed(t, path, cache)
			if !first.built {
				t.Fatal("not indexed")
			}
			sameAnswers(t, path, first, qs)
			later := openIndexed(t, path, cache)
			sameAnswers(t, path, later, qs)
			r, err := later.Lookup(context.Background(), Query{KeySHA256: sha})
			if err != nil || r.Key == nil || len(r.Key.Users) != len(logins) {
				t.Fatalf("the long key came back as %v, %v", r.Key != nil, err)
			}
		})
	}
}

// TestIndexWithWrongOffsetsNeverAnswersWrong: an index whose header is right but whose
// records point elsewhere in the snapshot (damage a header check cannot see) never gives an
// entry that was not asked for: each one read is checked, and a mismatch answers from the
// snapshot itself.
func TestIndexWithWrongOffsetsNeverAnswersWrong(t *testing.T) {
	const n = 500
	for form, write := range map[string]func(testing.TB, string, int) string{"json": writeGenerated, "yaml": writeGeneratedYAML} {
		t.Run(form, func(t *testing.T) {
			dir, cache := t.TempDir(), t.TempDir()
			path := write(t, dir, n)
			openIndexed(t, path, cache).Close()
			ipath := IndexPath(cache, path)
			b, err := os.ReadFile(ipath)
			if err != nil {
				t.Fatal(err)
			}
			for i := indexHeader; i+indexRecord <= len(b); i += indexRecord {
				b[i] += 7 // every offset moved 7 bytes on, hashes kept
			}
			if err := os.WriteFile(ipath, b, 0o600); err != nil {
				t.Fatal(err)
			}
			x := openIndexed(t, path, cache)
			if x.built {
				t.Fatal("the damaged index was not even used")
			}
			sameAnswers(t, path, x, indexQueries(n))
		})
	}
}

func TestIndexWriteLeavesNoTemporaryFile(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	path := writeGenerated(t, dir, 200)
	openIndexed(t, path, cache).Close()
	entries, err := os.ReadDir(cache)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != filepath.Base(IndexPath(cache, path)) {
		t.Errorf("cache holds %v, want the index file alone", entries)
	}
}

// FuzzStreamJSON: the streaming pass that builds an index accepts only what the plain
// scanner accepts, and records exactly the entries the plain scanner sees, so that an index
// never answers for a file that a plain run would refuse.
func FuzzStreamJSON(f *testing.F) {
	f.Add([]byte(withSHAs(fixtureJSON)))
	f.Add([]byte("\uFEFF" + `{"users": [{"login": "a\u00e9", "partner": "S", "active": true}], "keys": null}`))
	f.Add([]byte(`{"keys": [{"sha256": "ab", "partner": "P", "users": ["x", "y"]}, {}], "users": []}`))
	f.Add([]byte(`{"keys": [{"partner": [1, {"a": null}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		streamed := newTables(int64(len(data)))
		ok := streamJSON(bytes.NewReader(data), "fuzz.json", streamed)
		streamed.sorting.Wait()
		if !ok {
			return
		}
		s, err := Parse("fuzz.json", data)
		if err != nil || s.json == nil {
			t.Fatalf("streamed what Parse refuses: %v", err)
		}
		var want [3][]uint64
		shift := len(data) - len(s.json)
		sc := &scanner{file: "fuzz.json", data: s.json}
		err = sc.walk(context.Background(), func(e *entry) error {
			off := int64(e.start + shift)
			if e.list == listUsers {
				if e.has(fieldLogin) {
					want[tableLogin] = append(want[tableLogin], record(sc.text(e.str[fieldLogin]), off))
				}
				return nil
			}
			if e.has(fieldSHA256) {
				want[tableSHA] = append(want[tableSHA], record(sc.text(e.str[fieldSHA256]), off))
			}
			if e.has(fieldPartner) {
				want[tablePartner] = append(want[tablePartner], record(sc.text(e.str[fieldPartner]), off))
			}
			return nil
		})
		if err != nil {
			t.Fatalf("streamed what the plain scanner refuses: %v", err)
		}
		for i := range want {
			radixSort(want[i], nil)
			if !slices.Equal(want[i], streamed.recs[i]) && len(want[i])+len(streamed.recs[i]) > 0 {
				t.Fatalf("table %d: streamed %x, scanned %x", i, streamed.recs[i], want[i])
			}
		}
	})
}
