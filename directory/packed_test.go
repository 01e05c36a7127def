package directory

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// openIndex opens the snapshot at path and indexes it in memory.
func openIndex(t *testing.T, path string) *Index {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	x, err := s.Index()
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// samePacked checks that p answers, for every sha256, login and partner of the snapshot at
// path and a few it lacks, exactly what the snapshot's Index answers.
func samePacked(t *testing.T, path string, p *Packed) {
	t.Helper()
	x := openIndex(t, path)
	if pk, pu := p.Len(); pk != len(x.keys) || pu != len(x.users) {
		t.Fatalf("packed %d keys and %d users, the index %d and %d", pk, pu, len(x.keys), len(x.users))
	}
	qs := []Query{{KeySHA256: strings.Repeat("0", 64)}, {Login: "ninguém"}, {Partner: "Parceiro que não existe"}, {Partner: "producao"}}
	partners := map[string]bool{}
	for _, k := range x.keys {
		q := Query{KeySHA256: k.SHA256}
		if !partners[k.Partner] {
			partners[k.Partner] = true
			q.Partner = k.Partner
		}
		qs = append(qs, q)
	}
	for _, u := range x.users {
		qs = append(qs, Query{Login: u.Login})
	}
	for _, q := range qs {
		want, werr := x.Lookup(context.Background(), q)
		got, gerr := p.Lookup(context.Background(), q)
		if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
			t.Fatalf("%+v: error %v, the index says %v", q, gerr, werr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%+v:\n got %+v\nwant %+v", q, got, want)
		}
	}
}

func packFile(t *testing.T, path string) *Packed {
	t.Helper()
	p, ok := PackFile(path)
	if !ok {
		t.Fatalf("PackFile(%s) refused it", path)
	}
	return p
}

func TestPackedAnswersAsTheIndex(t *testing.T) {
	dir := t.TempDir()
	for _, path := range []string{writeGenerated(t, dir, 3000), writeGeneratedYAML(t, dir, 3000)} {
		t.Run(filepath.Base(path), func(t *testing.T) { samePacked(t, path, packFile(t, path)) })
	}
}

// TestPackedTextsOfAnyLength: logins of every length from none to far past a block (each
// of those in a block of its own, between ordinary ones), repeated logins and sha256s
// (the first entry wins), escapes, keys without users and with an empty list.
func TestPackedTextsOfAnyLength(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	type key struct {
		SHA256      string   `json:"sha256"`
		Partner     string   `json:"partner,omitempty"`
		Environment string   `json:"environment"`
		Active      bool     `json:"active"`
		Users       []string `json:"users,omitempty"`
	}
	var doc struct {
		Keys  []any  `json:"keys"`
		Users []User `json:"users"`
	}
	login := func(i int) string {
		n := rng.IntN(40)
		switch i % 997 {
		case 5:
			n = blockSize/4 + 1 + rng.IntN(3*blockSize)
		case 6:
			n = 0
		}
		return strconv.Itoa(i) + strings.Repeat("é\"x", n/4)
	}
	for i := range 6000 {
		l := login(i)
		if i%50 == 7 {
			l = doc.Users[i-3].Login // a repeated login: the first entry wins
		}
		doc.Users = append(doc.Users, User{Login: l, Partner: "P" + strconv.Itoa(i%37), Active: i%3 == 0})
		sha := benchKeySHA(i)
		if i%50 == 9 {
			sha = benchKeySHA(i - 2)
		}
		k := key{SHA256: sha, Partner: "P" + strconv.Itoa(i%41), Environment: EnvProducao, Active: i%2 == 0}
		switch i % 4 {
		case 0:
			doc.Keys = append(doc.Keys, k) // no users field: nil
		case 1:
			doc.Keys = append(doc.Keys, map[string]any{"sha256": sha, "partner": k.Partner, "environment": k.Environment, "active": k.Active, "users": []string{}})
		default:
			for j := range i % 7 {
				k.Users = append(k.Users, login(i*7+j))
			}
			doc.Keys = append(doc.Keys, k)
		}
	}
	// indented: the Index compared against counts columns from a line's start, so a
	// minified file of long texts would cost it seconds
	b, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "d.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	p := packFile(t, path)
	if len(p.blocks) < 20 {
		t.Fatalf("only %d blocks: the long texts did not get blocks of their own", len(p.blocks))
	}
	samePacked(t, path, p)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	fromBytes, ok := s.Pack()
	if !ok {
		t.Fatal("Snapshot.Pack refused it")
	}
	samePacked(t, path, fromBytes)
}

// TestPackRefusesWhatTheIndexRefuses: a snapshot the Index fails on, or that the streaming
// pass does not take, is not packed, so that the batch takes the Index road and says what
// is wrong as it always has.
func TestPackRefusesWhatTheIndexRefuses(t *testing.T) {
	dir := t.TempDir()
	for name, doc := range map[string]string{
		"upper.json":   `{"keys": [{"sha256": "` + strings.Repeat("AB", 32) + `", "partner": "Alfa", "environment": "producao", "active": true}], "users": []}`,
		"nosha.json":   `{"keys": [{"partner": "Alfa", "environment": "producao", "active": true}], "users": []}`,
		"syntax.json":  `{"keys": [], "users": [{"login": "ana", "partner": "Alfa", "active": tru}]}`,
		"short.yaml":   "keys:\n  - sha256: abc\n    partner: Alfa\n    environment: producao\n    active: true\nusers: []\n",
		"anchors.yaml": "keys: []\nusers:\n  - &a {login: ana, partner: Alfa, active: true}\n",
		"empty.json":   "  \n",
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, ok := PackFile(path); ok {
			t.Errorf("%s: PackFile took it", name)
		}
		if s, err := Open(path); err == nil {
			if _, ok := s.Pack(); ok {
				t.Errorf("%s: Snapshot.Pack took it", name)
			}
		}
	}
	if _, ok := PackFile(filepath.Join(dir, "missing.json")); ok {
		t.Error("PackFile took a missing file")
	}
}

func TestPackFileReadsNoPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() { w.WriteString(`{"keys": [], "users": []}`); w.Close() }()
	if _, err := os.Stat("/dev/fd"); err != nil {
		t.Skip("no /dev/fd here")
	}
	if _, ok := PackFile(filepath.Join("/dev/fd", strconv.Itoa(int(r.Fd())))); ok {
		t.Error("PackFile took a pipe, which it cannot fingerprint")
	}
}

// TestPackedIsSmall: the packed entries of a 20k+20k snapshot take well under half the
// Index's memory, which is what lets a batch stay under 100 MB (README, Speed).
func TestPackedIsSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a 20k+20k snapshot")
	}
	path := writeGenerated(t, t.TempDir(), 20000)
	packed := heapGrowth(t, func() any { return packFile(t, path) })
	index := heapGrowth(t, func() any { return openIndex(t, path) })
	t.Logf("packed %d KB, index %d KB", packed>>10, index>>10)
	if packed*2 > index {
		t.Errorf("packed entries take %d KB, the index %d KB: want under half", packed>>10, index>>10)
	}
}

// heapGrowth is how much the live heap grows by what build returns, kept alive.
func heapGrowth(t *testing.T, build func() any) uint64 {
	t.Helper()
	live := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := live()
	v := build()
	after := live()
	runtime.KeepAlive(v)
	if after < before {
		return 0
	}
	return after - before
}
