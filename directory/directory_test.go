package directory

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func hexSHA(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

var (
	shaA       = hexSHA("key-alfa-1")
	shaB       = hexSHA("key-alfa-2")
	shaC       = hexSHA("key-se-1")
	shaUnknown = hexSHA("key-nobody")
)

// withSHAs fills the SHA_A, SHA_B, SHA_C placeholders of a test document.
func withSHAs(doc string) []byte {
	return []byte(strings.NewReplacer("SHA_A", shaA, "SHA_B", shaB, "SHA_C", shaC).Replace(doc))
}

const fixtureJSON = `{
  "keys": [
    {"sha256": "SHA_A", "partner": "Corban Alfa", "environment": "homologacao", "active": true, "users": ["alfa.maria", "alfa.joao"]},
    {"sha256": "SHA_B", "partner": "Corban Alfa", "environment": "producao", "active": false, "users": ["alfa.maria", "alfa.fantasma"]},
    {"sha256": "SHA_C", "partner": "Promotora Sé", "environment": "producao", "active": true, "users": ["se.ana"]}
  ],
  "users": [
    {"login": "alfa.maria", "partner": "Corban Alfa", "active": true},
    {"login": "alfa.joao", "partner": "Corban Alfa", "active": false},
    {"login": "se.ana", "partner": "Promotora Sé", "active": true}
  ]
}
`

// fixtureYAML holds the same directory as fixtureJSON, users first, as a hand-edited
// file might.
const fixtureYAML = `# test directory
users:
  - login: alfa.maria
    partner: Corban Alfa
    active: true
  - login: alfa.joao
    partner: Corban Alfa
    active: false
  - {login: se.ana, partner: Promotora Sé, active: true}
keys:
  - sha256: SHA_A
    partner: Corban Alfa
    environment: homologacao
    active: true
    users: [alfa.maria, alfa.joao]
  - sha256: SHA_B
    partner: Corban Alfa
    environment: producao
    active: false
    users:
      - alfa.maria
      - alfa.fantasma
  - sha256: SHA_C
    partner: "Promotora S\u00e9"
    environment: producao
    active: true
    users: [se.ana]
`

var (
	keyA  = Key{SHA256: shaA, Partner: "Corban Alfa", Environment: "homologacao", Active: true, Users: []string{"alfa.maria", "alfa.joao"}}
	keyB  = Key{SHA256: shaB, Partner: "Corban Alfa", Environment: "producao", Active: false, Users: []string{"alfa.maria", "alfa.fantasma"}}
	keyC  = Key{SHA256: shaC, Partner: "Promotora Sé", Environment: "producao", Active: true, Users: []string{"se.ana"}}
	maria = User{Login: "alfa.maria", Partner: "Corban Alfa", Active: true}
	joao  = User{Login: "alfa.joao", Partner: "Corban Alfa", Active: false}
)

// directories opens doc as a Snapshot, as the Index of that snapshot and as its Packed
// entries, so that every behaviour is checked on all three.
func directories(t *testing.T, name string, doc []byte) map[string]Directory {
	t.Helper()
	s, err := Parse(name, doc)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	x, err := s.Index()
	if err != nil {
		t.Fatalf("%s: Index: %v", name, err)
	}
	dirs := map[string]Directory{name + "/snapshot": s, name + "/index": x}
	if s.yaml == nil { // a YAML file only the yaml library reads is not packed
		p, ok := s.Pack()
		if !ok {
			t.Fatalf("%s: Pack refused a snapshot that Index takes", name)
		}
		dirs[name+"/packed"] = p
	}
	return dirs
}

func fixtures(t *testing.T) map[string]Directory {
	dirs := directories(t, "dir.json", withSHAs(fixtureJSON))
	for k, v := range directories(t, "dir.yaml", withSHAs(fixtureYAML)) {
		dirs[k] = v
	}
	return dirs
}

func ptr[T any](v T) *T { return &v }

func TestLookup(t *testing.T) {
	tests := []struct {
		name string
		q    Query
		want Result
	}{
		{"key hit", Query{KeySHA256: shaB}, Result{Key: &keyB}},
		{"key miss", Query{KeySHA256: shaUnknown}, Result{}},
		{"user hit", Query{Login: "alfa.joao"}, Result{User: &joao}},
		{"user miss", Query{Login: "alfa.pedro"}, Result{}},
		{"login only in a key's users is not a user", Query{Login: "alfa.fantasma"}, Result{}},
		{"login equal to a partner name is not a user", Query{Login: "Corban Alfa"}, Result{}},
		{"login compared exactly", Query{Login: "ALFA.MARIA"}, Result{}},
		{"partner keys in file order", Query{Partner: "Corban Alfa"}, Result{PartnerKeys: []Key{keyA, keyB}}},
		{"partner with an accent", Query{Partner: "Promotora Sé"}, Result{PartnerKeys: []Key{keyC}}},
		{"partner miss", Query{Partner: "Corban Beta"}, Result{}},
		{"partner compared exactly", Query{Partner: "corban alfa"}, Result{}},
		{"a sha256 is not a partner", Query{Partner: shaA}, Result{}},
		{"all at once", Query{KeySHA256: shaC, Login: "alfa.maria", Partner: "Corban Alfa"},
			Result{Key: &keyC, User: &maria, PartnerKeys: []Key{keyA, keyB}}},
		{"all at once, nothing known", Query{KeySHA256: shaUnknown, Login: "x", Partner: "y"}, Result{}},
		{"empty query", Query{}, Result{}},
	}
	for dirName, d := range fixtures(t) {
		for _, tt := range tests {
			t.Run(dirName+"/"+tt.name, func(t *testing.T) {
				got, err := d.Lookup(context.Background(), tt.q)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("Lookup(%+v)\n got %s\nwant %s", tt.q, show(got), show(tt.want))
				}
			})
		}
	}
}

func show(r Result) string {
	b, _ := json.Marshal(r)
	return string(b)
}

func TestSource(t *testing.T) {
	for name, d := range fixtures(t) {
		want := strings.Split(name, "/")[0]
		if got := d.Source(); got != want {
			t.Errorf("%s: Source() = %q, want %q", name, got, want)
		}
	}
}

// TestEscapes checks that values are compared as decoded text, whichever way the file
// spells them.
func TestEscapes(t *testing.T) {
	shaD := hexSHA("key-escaped")
	escapedD := `\u00` + hex.EncodeToString([]byte{shaD[0]}) + shaD[1:] // first hex digit escaped
	doc := withSHAs(`{"keys": [
  {"sha256": "SHA_A", "partner": "Corban S\u00e9", "environment": "producao", "active": true, "users": []},
  {"sha256": "SHA_B", "partner": "Corban Sé", "environment": "producao", "active": true, "users": ["a\/b"]},
  {"sha256": "SHA_C", "partner": "Corban S\u00C9", "environment": "producao", "active": true},
  {"sha256": "` + escapedD + `", "p\u0061rtner": "Corban \"Beta\"", "environment": "producao", "active": true}
],
"\u0075sers": [
  {"login": "alfa.\u006Daria", "partner": "Corban Alfa", "active": true},
  {"login": "emoji.\ud83d\ude00", "partner": "Corban Alfa", "active": true},
  {"login": "lone.\ud800x", "partner": "Corban Alfa", "active": true},
  {"login": "tab\there", "partner": "Corban Alfa", "active": true}
]}`)
	keyE1 := Key{SHA256: shaA, Partner: "Corban Sé", Environment: "producao", Active: true, Users: []string{}}
	keyE2 := Key{SHA256: shaB, Partner: "Corban Sé", Environment: "producao", Active: true, Users: []string{"a/b"}}
	keyE3 := Key{SHA256: shaC, Partner: "Corban SÉ", Environment: "producao", Active: true}
	keyE4 := Key{SHA256: shaD, Partner: `Corban "Beta"`, Environment: "producao", Active: true}
	user := func(login string) *User { return &User{Login: login, Partner: "Corban Alfa", Active: true} }
	tests := []struct {
		name string
		q    Query
		want Result
	}{
		{`\u00e9 and a literal é both match`, Query{Partner: "Corban Sé"}, Result{PartnerKeys: []Key{keyE1, keyE2}}},
		{`\u00C9 is É, not é`, Query{Partner: "Corban SÉ"}, Result{PartnerKeys: []Key{keyE3}}},
		{"escaped quotes, escaped field name", Query{Partner: `Corban "Beta"`}, Result{PartnerKeys: []Key{keyE4}}},
		{"escape text is not matched literally", Query{Partner: `Corban S\u00e9`}, Result{}},
		{"decomposed é (e + U+0301) is a different text", Query{Partner: "Corban Se\u0301"}, Result{}},
		{"escaped sha256", Query{KeySHA256: shaD}, Result{Key: &keyE4}},
		{"escaped login", Query{Login: "alfa.maria"}, Result{User: user("alfa.maria")}},
		{"surrogate pair", Query{Login: "emoji.😀"}, Result{User: user("emoji.😀")}},
		{"lone surrogate reads as U+FFFD, as in encoding/json", Query{Login: "lone.\uFFFDx"}, Result{User: user("lone.\uFFFDx")}},
		{`\t`, Query{Login: "tab\there"}, Result{User: user("tab\there")}},
	}
	for dirName, d := range directories(t, "esc.json", doc) {
		for _, tt := range tests {
			t.Run(dirName+"/"+tt.name, func(t *testing.T) {
				got, err := d.Lookup(context.Background(), tt.q)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("Lookup(%+v)\n got %s\nwant %s", tt.q, show(got), show(tt.want))
				}
			})
		}
	}
}

func TestMalformedJSON(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want string
	}{
		{"missing comma between fields", `{
  "keys": [
    {"sha256": "a", "partner": "P" "environment": "producao"}
  ]
}`, `bad.json:3:36: expected ',' or '}' after object field`},
		{"missing comma between elements", `{"keys": [
  {"sha256": "a"}
  {"sha256": "b"}
]}`, `bad.json:3:3: expected ',' or ']' after array element`},
		{"trailing comma", `{"keys": [
  {"sha256": "a"},
]}`, `bad.json:3:1: keys[1]: expected an object`},
		{"missing colon", `{"keys" []}`, `bad.json:1:9: expected ':' after object field name`},
		{"truncated file", "{\"keys\": [\n  {\"sha256\": \"a\"},\n  {\"sha256\": \"b\"\n",
			`bad.json:4:1: unexpected end of file: expected ',' or '}' after object field`},
		{"unterminated string", `{"keys": [{"sha256": "abc`, `bad.json:1:22: unterminated string`},
		{"newline in string", "{\"users\": [\n  {\"login\": \"alfa\n.maria\"}\n]}",
			`bad.json:2:18: newline in string (missing closing quote?)`},
		{"raw tab in string", "{\"users\": [{\"login\": \"a\tb\"}]}",
			`bad.json:1:24: control character U+0009 in string must be escaped`},
		{"bad escape", `{"users": [{"login": "a\xb"}]}`, `bad.json:1:24: invalid escape \x in string`},
		{"short unicode escape", `{"users": [{"login": "a\u12G4"}]}`,
			`bad.json:1:24: invalid escape: \u must be followed by four hex digits`},
		{"invalid UTF-8", "{\"users\": [{\"login\": \"S\xe9\"}]}",
			`bad.json:1:24: invalid UTF-8 in string (is the file saved as UTF-8?)`},
		{"bad literal", "{\"users\": [\n  {\"login\": \"a\", \"active\": tru}\n]}",
			`bad.json:2:28: invalid literal: expected true`},
		{"number: lone minus", "{\"users\": [\n  {\"login\": \"a\", \"active\": -}\n]}",
			`bad.json:2:28: invalid number: expected a digit after '-'`},
		{"number: no fraction digits", "{\"users\": [\n  {\"login\": \"a\", \"active\": 1.}\n]}",
			`bad.json:2:28: invalid number: expected a digit after '.'`},
		{"number: no exponent digits", "{\"users\": [\n  {\"login\": \"a\", \"active\": 1e+}\n]}",
			`bad.json:2:28: invalid number: expected a digit in the exponent`},
		{"number: leading zero", "{\"users\": [\n  {\"login\": \"a\", \"partner\": [01]}\n]}",
			`bad.json:2:31: expected ',' or ']' after array element`},
		{"valid number, wrong type", "{\"users\": [\n  {\"login\": \"a\", \"active\": -1.5e3}\n]}",
			`bad.json:2:28: users[0]: active must be true or false, not a number`},
		{"string instead of bool", `{"users": [{"login": "a", "active": "yes"}]}`,
			`bad.json:1:37: users[0]: active must be true or false, not a string`},
		{"number instead of string", `{"keys": [{"sha256": 12}]}`,
			`bad.json:1:22: keys[0]: sha256 must be a string, not a number`},
		{"null instead of string", `{"keys": [{"sha256": "a"}, {"partner": null}]}`,
			`bad.json:1:40: keys[1]: partner must be a string, not null`},
		{"users not an array", `{"keys": [{"users": "alfa"}]}`,
			`bad.json:1:21: keys[0]: users must be an array of logins, not a string`},
		{"users holding a number", `{"keys": [{"users": ["a", 1]}]}`,
			`bad.json:1:27: keys[0]: users must hold logins (strings), not a number`},
		{"unknown top-level field", "{\n  \"keys\": [],\n  \"clients\": []\n}",
			`bad.json:3:3: unknown top-level field "clients" (a snapshot has only keys and users)`},
		{"duplicate top-level field", `{"keys": [], "keys": []}`, `bad.json:1:14: duplicate top-level field "keys"`},
		{"unknown entry field", `{"keys": [{"sha256": "a", "actve": true}]}`, `bad.json:1:27: keys[0]: unknown field "actve"`},
		{"user field in a key", `{"keys": [{"login": "a"}]}`, `bad.json:1:12: keys[0]: unknown field "login"`},
		{"key field in a user", `{"users": [{"login": "a"}, {"sha256": "a"}]}`, `bad.json:1:29: users[1]: unknown field "sha256"`},
		{"duplicate entry field", `{"keys": [{"sha256": "a", "sha256": "b"}]}`, `bad.json:1:27: keys[0]: duplicate field "sha256"`},
		{"keys not an array", `{"keys": {}}`, `bad.json:1:10: keys must be an array of objects, not an object`},
		{"element not an object", `{"keys": ["a"]}`, `bad.json:1:11: keys[0]: expected an object`},
		{"data after the object", `{"keys": []} x`, `bad.json:1:14: unexpected data after the snapshot object`},
		{"second object", "{\"keys\": []}\n{\"users\": []}", `bad.json:2:1: unexpected data after the snapshot object`},
		{"columns count characters, not bytes", "{\"users\": [\n  {\"login\": \"sé.ana\", \"partner\": \"Promotora Sé\" \"active\": true}\n]}",
			`bad.json:2:49: expected ',' or '}' after object field`},
		{"nesting bomb", `{"keys": [{"partner": ` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}]}`,
			`bad.json:1:535: values nested more than 512 deep`},
		{"corrupt tail fails a lookup answered at the head", `{"users": [{"login": "x"}, {"login": "y",}]}`,
			`bad.json:1:42: expected a double-quoted field name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("bad.json", []byte(tt.doc))
			if err != nil {
				t.Fatalf("Parse: %v (JSON syntax is checked by Lookup, not Parse)", err)
			}
			_, err = s.Lookup(context.Background(), Query{Login: "x"})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Lookup error\n got %v\nwant %s", err, tt.want)
			}
			var pe *Error
			if !errors.As(err, &pe) || pe.Place.File != "bad.json" || pe.Place.Line == 0 || pe.Place.Col == 0 {
				t.Errorf("error %v is not an *Error with a full place: %#v", err, pe)
			}
			// Index and Validate walk the same way and must fail the same way.
			if _, err := s.Index(); err == nil || err.Error() != tt.want {
				t.Errorf("Index error\n got %v\nwant %s", err, tt.want)
			}
			if _, err := s.Validate(context.Background()); err == nil || err.Error() != tt.want {
				t.Errorf("Validate error\n got %v\nwant %s", err, tt.want)
			}
			checkPortuguese(t, err)
		})
	}
}

func TestMalformedYAML(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want string
	}{
		{"unknown entry field", "keys:\n  - sha256: a\n    partner: Corban Alfa\n    actve: true\n",
			`bad.yaml:4:5: keys[0]: unknown field "actve"`},
		{"key field in a user", "users:\n  - login: a\n  - login: b\n    environment: producao\n",
			`bad.yaml:4:5: users[1]: unknown field "environment"`},
		{"duplicate entry field", "keys:\n  - sha256: a\n    sha256: b\n", `bad.yaml:3:5: keys[0]: duplicate field "sha256"`},
		{"unknown top-level field", "keys: []\nclients: []\n",
			`bad.yaml:2:1: unknown top-level field "clients" (a snapshot has only keys and users)`},
		{"wrong type names the line", "keys:\n  - sha256: a\n    active: maybe\n",
			"bad.yaml:3: keys[0]: cannot unmarshal !!str `maybe` into bool"},
		{"syntax error names the line", "keys:\n  - sha256: a\n    partner: b: c\n",
			`bad.yaml:3: mapping values are not allowed in this context`},
		{"keys not a list", "keys: 3\n", `bad.yaml:1:7: keys must be a list of mappings, not a scalar (int)`},
		{"entry not a mapping", "users:\n  - alfa.maria\n", `bad.yaml:2:5: users[0]: expected a mapping, found a scalar (str)`},
		{"two documents", "keys: []\n---\nusers: []\n", `bad.yaml:2:1: more than one YAML document`},
		{"invalid UTF-8", "keys:\n  - partner: S\xe9\n", `bad.yaml:2:15: invalid UTF-8 (is the file saved as UTF-8?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("bad.yaml", []byte(tt.doc))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Parse error\n got %v\nwant %s", err, tt.want)
			}
			checkPortuguese(t, err)
		})
	}
}

func TestNotASnapshot(t *testing.T) {
	tests := []struct {
		name, file, doc, want string
	}{
		{"empty", "e.json", "", "e.json: empty directory snapshot"},
		{"only whitespace", "e.json", " \n\t\r\n", "e.json: empty directory snapshot"},
		{"only a YAML comment", "e.yaml", "# nothing yet\n", "e.yaml: empty directory snapshot (no YAML document)"},
		{"binary", "x.bin", "\x1f\x8b\x08\x00\x00\x00", "x.bin: not a directory snapshot: a binary file, neither JSON nor YAML"},
		{"plain text", "notes.txt", "hello world\n",
			"notes.txt:1:1: not a directory snapshot: want a JSON object or a YAML mapping with keys and users, found a scalar (str)"},
		{"JSON array", "list.json", `[{"sha256": "a"}]`,
			"list.json:1:1: not a directory snapshot: want a JSON object or a YAML mapping with keys and users, found a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.file, []byte(tt.doc))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Parse error\n got %v\nwant %s", err, tt.want)
			}
			checkPortuguese(t, err)
		})
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.json")
	if _, err := Open(missing); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("Open(missing) = %v, want a not-exist error naming the path", err)
	}

	path := filepath.Join(dir, "dir.json")
	if err := os.WriteFile(path, withSHAs(fixtureJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Source() != path {
		t.Errorf("Source() = %q, want %q", s.Source(), path)
	}
	r, err := s.Lookup(context.Background(), Query{KeySHA256: shaA})
	if err != nil || !reflect.DeepEqual(r.Key, &keyA) {
		t.Errorf("Lookup = %s, %v; want key A", show(r), err)
	}
}

func TestByteOrderMark(t *testing.T) {
	for _, tt := range []struct{ name, doc string }{
		{"bom.json", "\uFEFF" + fixtureJSON},
		{"bom.yaml", "\uFEFF" + fixtureYAML},
	} {
		s, err := Parse(tt.name, withSHAs(tt.doc))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		r, err := s.Lookup(context.Background(), Query{Login: "alfa.maria"})
		if err != nil || !reflect.DeepEqual(r.User, &maria) {
			t.Errorf("%s: Lookup = %s, %v", tt.name, show(r), err)
		}
	}
}

func TestBadQueryKey(t *testing.T) {
	rawKey := "tk_live_0123456789abcdef" // what a confused caller might pass
	for name, d := range fixtures(t) {
		for _, key := range []string{rawKey, strings.ToUpper(shaA), shaA[:63]} {
			_, err := d.Lookup(context.Background(), Query{KeySHA256: key})
			if err == nil {
				t.Errorf("%s: Lookup(key %q) accepted a malformed key", name, key)
				continue
			}
			if strings.Contains(err.Error(), key) {
				t.Errorf("%s: error %q echoes the query key", name, err)
			}
		}
	}
}

// TestBadSHA256InFile: a malformed sha256 can never match a query key, but it is
// reported, with its place, as soon as its entry is decoded, and never echoed.
func TestBadSHA256InFile(t *testing.T) {
	secret := "tk_live_SECRET_KEY_TEXT"
	docs := map[string]string{
		"bad.json": `{"keys": [
  {"sha256": "SHA_A", "partner": "Corban Alfa", "environment": "producao", "active": true, "users": []},
  {"sha256": "` + secret + `", "partner": "Corban Alfa", "environment": "producao", "active": true, "users": []}
]}`,
		"bad.yaml": `keys:
  - {sha256: SHA_A, partner: Corban Alfa, environment: producao, active: true, users: []}
  - {sha256: ` + secret + `, partner: Corban Alfa, environment: producao, active: true, users: []}
`,
	}
	want := map[string]string{
		"bad.json": "bad.json:3:3: keys[1]: sha256 is not a lower-case hex SHA-256: it has 23 characters, want 64",
		"bad.yaml": "bad.yaml:3:5: keys[1]: sha256 is not a lower-case hex SHA-256: it has 23 characters, want 64",
	}
	for name, doc := range docs {
		s, err := Parse(name, withSHAs(doc))
		if err != nil {
			t.Fatal(err)
		}
		// Entries that are not decoded do not get in the way.
		if r, err := s.Lookup(context.Background(), Query{KeySHA256: shaA}); err != nil || r.Key == nil {
			t.Errorf("%s: key lookup = %s, %v", name, show(r), err)
		}
		_, err = s.Lookup(context.Background(), Query{Partner: "Corban Alfa"})
		if err == nil || err.Error() != want[name] {
			t.Errorf("%s: partner lookup error\n got %v\nwant %s", name, err, want[name])
		}
		if _, err := s.Index(); err == nil || err.Error() != want[name] {
			t.Errorf("%s: Index error\n got %v\nwant %s", name, err, want[name])
		}
		problems, err := s.Validate(context.Background())
		if err != nil || len(problems) != 1 || problems[0].Error() != want[name] {
			t.Errorf("%s: Validate = %v, %v; want [%s]", name, problems, err, want[name])
		}
		for _, e := range append(problems, &Error{Msg: fmt.Sprint(err)}) {
			if strings.Contains(e.Error(), secret) {
				t.Errorf("%s: %q echoes the bad sha256", name, e)
			}
		}
	}
}

// TestDuplicates: the first entry wins for lookups; PartnerKeys still lists every entry;
// Validate names the losers.
func TestDuplicates(t *testing.T) {
	docs := map[string]string{
		"dup.json": `{"keys": [
  {"sha256": "SHA_A", "partner": "First", "environment": "producao", "active": true},
  {"sha256": "SHA_A", "partner": "Second", "environment": "producao", "active": false}
],
"users": [
  {"login": "alfa.maria", "partner": "First", "active": true},
  {"login": "alfa.maria", "partner": "Second", "active": false}
]}`,
		"dup.yaml": `keys:
  - {sha256: SHA_A, partner: First, environment: producao, active: true}
  - {sha256: SHA_A, partner: Second, environment: producao, active: false}
users:
  - {login: alfa.maria, partner: First, active: true}
  - {login: alfa.maria, partner: Second, active: false}
`,
	}
	first := Key{SHA256: shaA, Partner: "First", Environment: "producao", Active: true}
	second := Key{SHA256: shaA, Partner: "Second", Environment: "producao"}
	for name, doc := range docs {
		for dirName, d := range directories(t, name, withSHAs(doc)) {
			r, err := d.Lookup(context.Background(), Query{KeySHA256: shaA, Login: "alfa.maria", Partner: "Second"})
			if err != nil {
				t.Fatal(err)
			}
			want := Result{Key: &first, User: &User{Login: "alfa.maria", Partner: "First", Active: true}, PartnerKeys: []Key{second}}
			if !reflect.DeepEqual(r, want) {
				t.Errorf("%s: got %s\nwant %s", dirName, show(r), show(want))
			}
		}
		s, _ := Parse(name, withSHAs(doc))
		problems, err := s.Validate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var msgs []string
		for _, p := range problems {
			msgs = append(msgs, p.Msg)
		}
		want := []string{
			"keys[1]: same sha256 as keys[0] (line 2), which is the one found",
			"users[1]: same login as users[0] (line " + map[string]string{"dup.json": "6", "dup.yaml": "5"}[name] + "), which is the one found",
		}
		if !reflect.DeepEqual(msgs, want) {
			t.Errorf("%s: Validate = %q\nwant %q", name, msgs, want)
		}
	}
}

func TestValidate(t *testing.T) {
	doc := `{"keys": [
  {"sha256": "SHA_A", "partner": "Corban Alfa", "environment": "homologacao", "active": true, "users": ["alfa.maria", "alfa.fantasma"]},
  {"sha256": "SHA_B", "partner": "", "environment": "staging", "active": true},
  {"partner": "Corban Alfa", "environment": "producao", "active": true}
],
"users": [
  {"login": "alfa.maria", "partner": "Corban Alfa", "active": true},
  {"login": "", "partner": "", "active": true}
]}`
	s, err := Parse("v.json", withSHAs(doc))
	if err != nil {
		t.Fatal(err)
	}
	problems, err := s.Validate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.Error())
	}
	want := []string{
		`v.json:2:3: keys[0]: user "alfa.fantasma" is not in users`,
		`v.json:3:3: keys[1]: no partner`,
		`v.json:3:3: keys[1]: environment "staging" is neither homologacao nor producao`,
		`v.json:4:3: keys[2]: sha256 is not a lower-case hex SHA-256: it is empty`,
		`v.json:8:3: users[1]: no login`,
		`v.json:8:3: users[1]: no partner`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Validate\n got %q\nwant %q", got, want)
	}

	clean, _ := Parse("dir.json", withSHAs(fixtureJSON))
	problems, err = clean.Validate(context.Background())
	want = []string{`dir.json:4:5: keys[1]: user "alfa.fantasma" is not in users`}
	if err != nil || len(problems) != 1 || problems[0].Error() != want[0] {
		t.Errorf("Validate(fixture) = %v, %v; want %q", problems, err, want)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, d := range fixtures(t) {
		if _, err := d.Lookup(ctx, Query{Login: "alfa.maria"}); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: Lookup with a cancelled context = %v", name, err)
		}
	}
}

// TestResultsAreCopies: a caller editing a result must not change the next answer.
func TestResultsAreCopies(t *testing.T) {
	for name, d := range fixtures(t) {
		r, err := d.Lookup(context.Background(), Query{KeySHA256: shaA, Partner: "Corban Alfa"})
		if err != nil {
			t.Fatal(err)
		}
		r.Key.Users[0] = "changed"
		r.PartnerKeys[0].Users[1] = "changed"
		r.Key.Partner = "changed"
		again, err := d.Lookup(context.Background(), Query{KeySHA256: shaA})
		if err != nil || !reflect.DeepEqual(again.Key, &keyA) {
			t.Errorf("%s: after editing a result, Lookup = %s, %v", name, show(again), err)
		}
	}
}

// TestAgainstEncodingJSON checks the scanner and the index against a plain
// encoding/json decode of a generated snapshot, on hits and misses of every kind.
func TestAgainstEncodingJSON(t *testing.T) {
	const nKeys, nUsers = 3000, 2000
	var buf bytes.Buffer
	if err := writeSnapshot(&buf, nKeys, nUsers); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Keys  []Key  `json:"keys"`
		Users []User `json:"users"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Keys) != nKeys || len(doc.Users) != nUsers {
		t.Fatalf("generated %d keys, %d users", len(doc.Keys), len(doc.Users))
	}
	expect := func(q Query) Result {
		var r Result
		for i := range doc.Keys {
			k := doc.Keys[i]
			if r.Key == nil && q.KeySHA256 != "" && k.SHA256 == q.KeySHA256 {
				r.Key = &k
			}
			if q.Partner != "" && k.Partner == q.Partner {
				r.PartnerKeys = append(r.PartnerKeys, k)
			}
		}
		for i := range doc.Users {
			if u := doc.Users[i]; r.User == nil && q.Login != "" && u.Login == q.Login {
				r.User = &u
			}
		}
		return r
	}
	queries := []Query{
		{KeySHA256: benchKeySHA(0)},
		{KeySHA256: benchKeySHA(nKeys - 1), Login: benchLogin(nUsers - 1)},
		{KeySHA256: benchKeySHA(nKeys)}, // one past the end: a miss
		{Login: benchLogin(nUsers)},
		{Partner: benchPartner(18)}, // "Corban Sé 18"
		{Partner: benchPartner(17), Login: benchLogin(17)},
		{Partner: "Promotora"},
	}
	for i := 1; i < nKeys; i += 397 {
		queries = append(queries, Query{KeySHA256: benchKeySHA(i), Login: benchLogin(i % nUsers), Partner: doc.Keys[i].Partner})
	}
	dirs := directories(t, "gen.json", buf.Bytes())
	var keys, users, partners int
	for _, q := range queries {
		want := expect(q)
		if want.Key != nil {
			keys++
		}
		if want.User != nil {
			users++
		}
		if len(want.PartnerKeys) > 0 {
			partners++
		}
		for name, d := range dirs {
			got, err := d.Lookup(context.Background(), q)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: Lookup(%+v)\n got %s\nwant %s", name, q, show(got), show(want))
			}
		}
	}
	if keys < 5 || users < 5 || partners < 5 {
		t.Errorf("test is broken: only %d key, %d user and %d partner hits", keys, users, partners)
	}
}

// FuzzWalk: whatever the scanner accepts, encoding/json accepts too, strictly, and
// decodes to the same entries. So the scanner is never laxer than JSON, and its own
// decoding (used by Index) agrees with encoding/json's (used by Lookup).
func FuzzWalk(f *testing.F) {
	f.Add([]byte(withSHAs(fixtureJSON)))
	f.Add([]byte(`{"keys": [{"sha256": "a\u00e9\ud83d\ude00", "users": ["x\n"]}], "users": [{"login": "\ud800", "active": false}]}`))
	f.Add([]byte(`{"keys": null, "users": [{"partner": "S\u00e9", "active": true}]}`))
	f.Add([]byte(`{"keys": [{"partner": [1, -2.5e3, {"a": [true, null]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.HasPrefix(data, []byte("\uFEFF")) {
			return // Parse drops it; encoding/json does not
		}
		s, err := Parse("fuzz.json", data)
		if err != nil || s.json == nil {
			return // not JSON by its first byte
		}
		c, err := s.decodeJSON(context.Background())
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Place.Line < 1 || pe.Place.Col < 1 {
				t.Fatalf("error without a place: %v", err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("scanner accepted invalid JSON %q", data)
		}
		var doc struct {
			Keys  []Key  `json:"keys"`
			Users []User `json:"users"`
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("scanner accepted %q, encoding/json says %v", data, err)
		}
		if len(doc.Keys) == 0 { // [] or null or absent: no entries, whichever the spelling
			doc.Keys = nil
		}
		if len(doc.Users) == 0 {
			doc.Users = nil
		}
		if !reflect.DeepEqual(c.keys, doc.Keys) || !reflect.DeepEqual(c.users, doc.Users) {
			t.Fatalf("%q\nscanner:       %+v %+v\nencoding/json: %+v %+v", data, c.keys, c.users, doc.Keys, doc.Users)
		}
	})
}

func TestEmptySnapshot(t *testing.T) {
	for _, tt := range []struct{ name, doc string }{
		{"empty.json", "{}"},
		{"null.json", `{"keys": null, "users": []}`},
		{"empty.yaml", "keys:\nusers: []\n"},
	} {
		for name, d := range directories(t, tt.name, []byte(tt.doc)) {
			r, err := d.Lookup(context.Background(), Query{KeySHA256: shaA, Login: "a", Partner: "b"})
			if err != nil || !reflect.DeepEqual(r, Result{}) {
				t.Errorf("%s: Lookup = %s, %v; want nothing", name, show(r), err)
			}
		}
	}
}

func TestNextSpecial(t *testing.T) {
	// Every position and every special byte, with ordinary and high bytes around, so
	// that a mistake in the eight-at-a-time step shows.
	for _, special := range []byte{'"', '\\', 0x00, 0x1f, '\n'} {
		for n := 0; n < 20; n++ {
			d := append(bytes.Repeat([]byte("aé"), 10)[:n], special, 'x', 0x7f, 0xff)
			if got, _ := nextSpecial(d, 0); got != n {
				t.Errorf("nextSpecial(%q) = %d, want %d", d, got, n)
			}
			_, high := nextSpecial(d, 0)
			if wantHigh := bytes.ContainsFunc(d[:n], func(r rune) bool { return r >= 0x80 }); (high != 0) != wantHigh {
				t.Errorf("nextSpecial(%q) high = %#x, want non-zero: %v", d, high, wantHigh)
			}
		}
	}
	if got, _ := nextSpecial([]byte("abcdefghijklmnop"), 3); got != 16 {
		t.Errorf("nextSpecial with no special byte = %d, want 16", got)
	}
}

// TestLookupDoesNotAllocatePerEntry: the walk allocates a fixed handful of things per
// Lookup, however big the file, when nothing matches.
func TestLookupDoesNotAllocatePerEntry(t *testing.T) {
	allocs := func(n int) float64 {
		var buf bytes.Buffer
		if err := writeSnapshot(&buf, n, n); err != nil {
			t.Fatal(err)
		}
		s, err := Parse("gen.json", buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		q := Query{KeySHA256: shaUnknown, Login: "nobody", Partner: "nobody"}
		return testing.AllocsPerRun(5, func() {
			if _, err := s.Lookup(context.Background(), q); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := allocs(50), allocs(5000)
	if large != small || large > 8 {
		t.Errorf("Lookup allocates %v times on 50 entries, %v on 5000; want the same few", small, large)
	}
}

// TestYAMLNumberLikeValues: YAML would read an all-digit sha256 or login as a number;
// the text must come through as written.
func TestYAMLNumberLikeValues(t *testing.T) {
	sha := strings.Repeat("0", 63) + "7"
	doc := "keys:\n  - {sha256: " + sha + ", partner: P, environment: producao, active: true, users: [007]}\n" +
		"users:\n  - {login: 007, partner: P, active: true}\n"
	for name, d := range directories(t, "num.yaml", []byte(doc)) {
		r, err := d.Lookup(context.Background(), Query{KeySHA256: sha, Login: "007"})
		want := Result{
			Key:  &Key{SHA256: sha, Partner: "P", Environment: "producao", Active: true, Users: []string{"007"}},
			User: &User{Login: "007", Partner: "P", Active: true},
		}
		if err != nil || !reflect.DeepEqual(r, want) {
			t.Errorf("%s: Lookup = %s, %v; want %s", name, show(r), err, show(want))
		}
	}
}
