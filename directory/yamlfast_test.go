package directory

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// yamlText writes s as a YAML scalar: plain when the fast reader takes it so, quoted otherwise.
func yamlText(s string) string {
	if plainScalar([]byte(s), true) && !strings.Contains(s, " #") && strings.TrimSpace(s) == s {
		return s
	}
	return strconv.Quote(s)
}

// yamlSnapshot writes decoded contents as a YAML snapshot: keys as block mappings, users as
// flow mappings, the two shapes exports use.
func yamlSnapshot(c *contents) []byte {
	var b bytes.Buffer
	b.WriteString("# generated for the tests\nkeys:\n")
	for _, k := range c.keys {
		b.WriteString("  - sha256: " + yamlText(k.SHA256) + "\n    partner: " + yamlText(k.Partner) +
			"\n    environment: " + yamlText(k.Environment) + "\n    active: " + strconv.FormatBool(k.Active))
		if k.Users != nil {
			us := make([]string, len(k.Users))
			for i, u := range k.Users {
				us[i] = yamlText(u)
			}
			b.WriteString("\n    users: [" + strings.Join(us, ", ") + "]")
		}
		b.WriteString("\n")
	}
	b.WriteString("users:\n")
	for _, u := range c.users {
		b.WriteString("  - {login: " + yamlText(u.Login) + ", partner: " + yamlText(u.Partner) + ", active: " + strconv.FormatBool(u.Active) + "}\n")
	}
	return b.Bytes()
}

// writeGeneratedYAML writes the generated snapshot of n keys and n users as YAML.
func writeGeneratedYAML(t testing.TB, dir string, n int) string {
	t.Helper()
	var b bytes.Buffer
	if err := writeSnapshot(&b, n, n); err != nil {
		t.Fatal(err)
	}
	s, err := Parse("gen.json", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.decodeJSON(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "directory.yaml")
	if err := os.WriteFile(path, yamlSnapshot(c), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var inShape = map[string]string{
	"bundled shape": `# comment
keys:
  - sha256: 254097ef3e1c11bf8713fe55eff466228b2ef20906a61fe6d49b817376350f6e
    partner: Corban Alfa   # trailing comment
    environment: homologacao
    active: true
    users: [alfa.maria, "alfa.joao", 'alfa.pedro']
  - sha256: "9ad022fd9e81f88c3f7321eb76420b98e4e2b749d68541f52900c217f227b06d"

    # a comment inside an entry
    partner: 'Corban Sé'
    active: False
    users: []
users:
  - {login: alfa.maria, partner: Corban Alfa, active: true}
  - {login: "alfa.joao", partner: 'Corban Sé', active: FALSE}
  - {}
  - login: beta.carlos
    partner: Corban Beta
`,
	"indentless, users first, CRLF": "users:\r\n- login: ana\r\n  partner: 123\r\n  active: TRUE\r\nkeys:\r\n-   sha256: 0123456789\r\n    partner: http://x.example#frag\r\n    users: [a.b, c-d]\r\n",
	"empty lists":                   "keys: []\nusers: [] # none\n",
	"only users":                    "users:\n  - {login: ana, partner: Alfa, active: true}\n",
	"keys without entries":          "keys:\nusers:\n  - login: ana\n",
	"flow map with users":           "keys:\n  - {sha256: ab, partner: P, users: [x, y], active: false}\n",
	"non-ASCII":                     "users:\n  - {login: joão.ç, partner: Três Rios Ipê, active: true}\n",
	"numbers as texts":              "users:\n  - {login: 1e3, partner: 0x1F, active: true}\n  - login: 007\n    partner: .inf\n",
}

var outOfShape = map[string]string{
	"anchor":              "users:\n  - &a {login: ana}\n  - *a\n",
	"tag":                 "users:\n  - login: !!str ana\n",
	"block scalar":        "users:\n  - login: |\n      ana\n",
	"multi-line plain":    "users:\n  - login: ana\n      maria\n",
	"escape":              "users:\n  - login: \"a\\tb\"\n",
	"doubled quote":       "users:\n  - login: 'it''s'\n",
	"null":                "users:\n  - login:\n    partner: ~\n",
	"tilde":               "users:\n  - {login: ~}\n",
	"tab":                 "users:\n  - login:\tana\n",
	"yes is not a bool":   "users:\n  - login: ana\n    active: yes\n",
	"quoted bool":         "users:\n  - login: ana\n    active: \"true\"\n",
	"unknown field":       "users:\n  - login: ana\n    email: x\n",
	"repeated field":      "users:\n  - {login: ana, login: bia}\n",
	"document marker":     "---\nusers: []\n",
	"two documents":       "users: []\n---\nkeys: []\n",
	"block list of users": "keys:\n  - sha256: ab\n    users:\n      - ana\n",
	"dash alone":          "users:\n  -\n    login: ana\n",
	"trailing comma":      "keys:\n  - {sha256: ab, users: [a, ]}\n",
	"unknown top level":   "keys: []\nusers: []\nextra: 1\n",
	"repeated top level":  "keys: []\nkeys: []\n",
	"indented top level":  "  keys: []\n",
	"mixed indentation":   "users:\n  - login: ana\n   - login: bia\n",
	"no snapshot":         "# nothing\n",
	"scalar users list":   "keys:\n  - {sha256: ab, users: ana}\n",
	"mapping value":       "users:\n  - login: a: b\n",
	"NUL":                 "users:\n  - login: a\x00b\n",
	"line separator":      "users:\n  - login: a\u2028b\n",
	"next line (C1)":      "users:\n  - login: a\u0085b\n",
	"byte order mark":     "users:\n  - login: a\ufeffb\n",
	"invalid UTF-8":       "users:\n  - login: a\xffb\n",
	"not a list":          "users: ana\n",
	"trailing comma, map": "users:\n  - {login: ana, active: true, }\n",
	"CR alone":            "users:\n  - login: ana\r    partner: Alfa\n",
	"open quote, flow":    "users:\n  - {login: \"ana}\n",
	"open quote, block":   "users:\n  - login: 'ana\n",
}

func TestYAMLFastReadsAsTheLibrary(t *testing.T) {
	for name, doc := range inShape {
		t.Run(name, func(t *testing.T) {
			want, err := parseYAMLLib("d.yaml", []byte(doc))
			if err != nil {
				t.Fatalf("the library refuses it: %v", err)
			}
			got, ok := parseYAMLFast("d.yaml", []byte(doc))
			if !ok {
				t.Fatal("the fast reader gave up")
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("fast reader:\n%+v\nlibrary:\n%+v", got, want)
			}
		})
	}
}

func TestYAMLFastGivesUpOutsideItsShape(t *testing.T) {
	for name, doc := range outOfShape {
		t.Run(name, func(t *testing.T) {
			if _, ok := parseYAMLFast("d.yaml", []byte(doc)); ok {
				t.Fatal("the fast reader took it")
			}
			// and the file reads, or fails, exactly as the library has it
			want, werr := parseYAMLLib("d.yaml", []byte(doc))
			got, gerr := parseYAML("d.yaml", []byte(doc))
			if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() || !reflect.DeepEqual(got, want) {
				t.Fatalf("got %+v, %v; the library says %+v, %v", got, gerr, want, werr)
			}
		})
	}
}

// TestYAMLAndJSONAnswerAlike: the same generated snapshot as JSON and as YAML gives the same
// answers, plainly and through the index, first run and later.
func TestYAMLAndJSONAnswerAlike(t *testing.T) {
	const n = 3000
	dir, cache := t.TempDir(), t.TempDir()
	jpath := writeGenerated(t, dir, n)
	ypath := writeGeneratedYAML(t, dir, n)
	data, err := os.ReadFile(ypath)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := parseYAMLFast(ypath, data); !ok {
		t.Fatal("the generated YAML is outside the fast reader's shape")
	}
	lib, err := parseYAMLLib(ypath, data)
	if err != nil {
		t.Fatal(err)
	}
	libSnap := &Snapshot{name: ypath, yaml: lib}
	jplain, err := Open(jpath)
	if err != nil {
		t.Fatal(err)
	}
	libIdx, err := (&Snapshot{name: ypath, yaml: lib}).Index()
	if err != nil {
		t.Fatal(err)
	}
	first := openIndexed(t, ypath, cache)
	if !first.built {
		t.Fatal("the YAML snapshot was not indexed")
	}
	later := openIndexed(t, ypath, cache)
	if later.built {
		t.Fatal("the YAML index was not reused")
	}
	ctx := context.Background()
	for _, q := range indexQueries(n) {
		want, err := jplain.Lookup(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for name, d := range map[string]Directory{"library": libSnap, "library's maps": libIdx, "first": first, "later": later} {
			got, err := d.Lookup(ctx, q)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("%s %+v:\n got %+v, %v\nwant %+v", name, q, got, err, want)
			}
		}
	}
	sameAnswers(t, ypath, later, indexQueries(n))
}

// TestYAMLLongEntriesAndWindows: entries longer than the reading window, and one cut at every
// window edge, are read whole.
func TestYAMLLongEntriesAndWindows(t *testing.T) {
	var b strings.Builder
	b.WriteString("keys:\n")
	logins := make([]string, 30000)
	for i := range logins {
		logins[i] = "u" + strconv.Itoa(i)
	}
	b.WriteString("  - sha256: " + strings.Repeat("ab", 32) + "\n    partner: Longa\n    users: [" + strings.Join(logins, ", ") + "]\n")
	b.WriteString("users:\n")
	for i := range 40000 {
		b.WriteString("  - login: u" + strconv.Itoa(i) + "\n    partner: Longa\n    active: true\n")
	}
	dir, cache := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "long.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	x := openIndexed(t, path, cache)
	qs := []Query{{KeySHA256: strings.Repeat("ab", 32), Partner: "Longa"}, {Login: "u0"}, {Login: "u39999"}, {Login: "u20000"}}
	sameAnswers(t, path, x, qs)
	sameAnswers(t, path, openIndexed(t, path, cache), qs)
}

// TestYAMLFastAgreesWithTheLibraryOnMutations mutates in-shape snapshots a byte at a time
// (deleted, doubled, or replaced by a byte YAML gives meaning to): whatever the fast reader
// accepts must read exactly as the library reads it.
func TestYAMLFastAgreesWithTheLibraryOnMutations(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	special := []byte(" -:#,[]{}'\"\n\r\t&*!|>~0aZ")
	accepted := 0
	for name, doc := range inShape {
		for range 400 {
			b := []byte(doc)
			i := rng.IntN(len(b))
			switch rng.IntN(3) {
			case 0:
				b = append(b[:i:i], b[i+1:]...)
			case 1:
				b = append(b[:i+1:i+1], b[i:]...)
			default:
				b[i] = special[rng.IntN(len(special))]
			}
			got, ok := parseYAMLFast("d.yaml", b)
			if !ok {
				continue
			}
			accepted++
			want, err := parseYAMLLib("d.yaml", b)
			if err != nil {
				t.Fatalf("%s mutated to %q: the fast reader took what the library refuses: %v", name, b, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s mutated to %q:\nfast reader %+v\nlibrary     %+v", name, b, got, want)
			}
		}
	}
	if accepted < 500 {
		t.Errorf("only %d mutations were in shape: the test says little", accepted)
	}
}

// FuzzYAMLFast: whatever the fast reader accepts, the yaml library reads the same way.
func FuzzYAMLFast(f *testing.F) {
	for _, doc := range inShape {
		f.Add([]byte(doc))
	}
	for _, doc := range outOfShape {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := parseYAMLFast("d.yaml", b)
		if !ok {
			return
		}
		want, err := parseYAMLLib("d.yaml", b)
		if err != nil {
			t.Fatalf("%q: the fast reader took what the library refuses: %v", b, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\nfast reader %+v\nlibrary     %+v", b, got, want)
		}
	})
}
