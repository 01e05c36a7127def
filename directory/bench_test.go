package directory

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var (
	partnerKinds = []string{"Corban", "Promotora", "Financeira", "Correspondente", "Crédito", "Consignado"}
	partnerNames = []string{"Alfa", "Beta", "Gama", "Sé", "São Jorge", "Paulista", "Norte", "Capixaba", "Três Rios", "Horizonte", "Mineira", "Ipê"}
)

const benchPartners = 400

// benchPartner names partner p, e.g. "Promotora São Jorge 17".
func benchPartner(p int) string {
	return fmt.Sprintf("%s %s %d", partnerKinds[p%len(partnerKinds)], partnerNames[(p/len(partnerKinds))%len(partnerNames)], p)
}

// benchKeySHA is the sha256 of key i of a generated snapshot.
func benchKeySHA(i int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("tk_live_%08d", i)))
	return hex.EncodeToString(sum[:])
}

// benchLogin is the login of user i of a generated snapshot; it belongs to partner
// i % benchPartners.
func benchLogin(i int) string {
	p := i % benchPartners
	return fmt.Sprintf("%s%d.user%06d", strings.ToLower(partnerKinds[p%len(partnerKinds)][:4]), p, i)
}

// writeSnapshot writes a JSON snapshot shaped like a production export: one entry per
// line, keys then users, partners with accented names, 1-5 users per key
// drawn from the key's partner, mixed environments, some inactive entries. It is
// deterministic, so benchmarks compare like with like.
func writeSnapshot(w io.Writer, nKeys, nUsers int) error {
	rng := rand.New(rand.NewPCG(1, 2))
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("{\n  \"keys\": [")
	for i := range nKeys {
		p := rng.IntN(benchPartners)
		if i == nKeys-1 && nUsers > 0 {
			p = (nUsers - 1) % benchPartners // the last key holds the last user
		}
		env := EnvProducao
		if rng.IntN(3) == 0 {
			env = EnvHomologacao
		}
		sep := ","
		if i == 0 {
			sep = ""
		}
		fmt.Fprintf(bw, "%s\n    {\"sha256\": %q, \"partner\": %q, \"environment\": %q, \"active\": %t, \"users\": [",
			sep, benchKeySHA(i), benchPartner(p), env, rng.IntN(10) != 0)
		for j := range 1 + rng.IntN(5) {
			u := p + benchPartners*rng.IntN(max(1, nUsers/benchPartners))
			if i == nKeys-1 && j == 0 {
				u = nUsers - 1
			}
			if j > 0 {
				bw.WriteString(", ")
			}
			fmt.Fprintf(bw, "%q", benchLogin(u))
		}
		bw.WriteString("]}")
	}
	bw.WriteString("\n  ],\n  \"users\": [")
	for i := range nUsers {
		sep := ","
		if i == 0 {
			sep = ""
		}
		fmt.Fprintf(bw, "%s\n    {\"login\": %q, \"partner\": %q, \"active\": %t}",
			sep, benchLogin(i), benchPartner(i%benchPartners), rng.IntN(20) != 0)
	}
	bw.WriteString("\n  ]\n}\n")
	return bw.Flush()
}

// benchFile writes a 100k/100k snapshot into a temporary directory once per benchmark.
func benchFile(b *testing.B) (path string, size int64) {
	b.Helper()
	path = filepath.Join(b.TempDir(), "directory.json")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := writeSnapshot(f, 100_000, 100_000); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return path, st.Size()
}

// BenchmarkLookupJSON100k is one CLI run's worth of directory work in the worst case:
// read the file, walk all of it, find a key and a user near its end.
func BenchmarkLookupJSON100k(b *testing.B) {
	path, size := benchFile(b)
	q := Query{KeySHA256: benchKeySHA(99_999), Login: benchLogin(99_999)}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		s, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		r, err := s.Lookup(context.Background(), q)
		if err != nil {
			b.Fatal(err)
		}
		if r.Key == nil || r.User == nil {
			b.Fatalf("key or user not found: %+v", r)
		}
	}
}

// BenchmarkLookupJSONPartner100k adds a partner query, which decodes every key of the
// partner (about 250 here) with encoding/json.
func BenchmarkLookupJSONPartner100k(b *testing.B) {
	path, size := benchFile(b)
	q := Query{KeySHA256: benchKeySHA(99_999), Login: benchLogin(99_999), Partner: benchPartner(7)}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		s, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		r, err := s.Lookup(context.Background(), q)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.PartnerKeys) == 0 {
			b.Fatal("no partner keys")
		}
	}
}

// BenchmarkIndex100k is the set-up cost of a batch run: read and decode everything.
func BenchmarkIndex100k(b *testing.B) {
	path, size := benchFile(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		s, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		x, err := s.Index()
		if err != nil {
			b.Fatal(err)
		}
		if k, u := x.Len(); k != 100_000 || u != 100_000 {
			b.Fatalf("index holds %d keys, %d users", k, u)
		}
	}
}

// BenchmarkEncodingJSONDecode100k is the plain approach, for comparison.
func BenchmarkEncodingJSONDecode100k(b *testing.B) {
	path, size := benchFile(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		var doc struct {
			Keys  []Key  `json:"keys"`
			Users []User `json:"users"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			b.Fatal(err)
		}
		if len(doc.Keys) != 100_000 {
			b.Fatalf("decoded %d keys", len(doc.Keys))
		}
	}
}

// BenchmarkLookupJSON100kInMemory is the same walk without the file read, to tell
// scanning cost from I/O cost.
func BenchmarkLookupJSON100kInMemory(b *testing.B) {
	path, size := benchFile(b)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	q := Query{KeySHA256: benchKeySHA(99_999), Login: benchLogin(99_999)}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		s, err := Parse(path, data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Lookup(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
}
