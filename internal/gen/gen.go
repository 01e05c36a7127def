// Package gen writes varied cases and the directory snapshot they run against, for the
// benchmarks and scripts/bench.sh. Every case starts from one of the bundled cases (so every
// category is reached) and gets its own API key, user, partner, token, time, route and
// payload; the snapshot holds each case's key and user under its own partner, padded with
// unrelated entries up to the size asked for.
package gen

import (
	"bufio"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/directory"
)

// template is one bundled case as a JSON line, with the directory entries it names.
type template struct {
	line  string
	keys  []directory.Key  // entries whose raw key the case holds
	users []directory.User // users named by the case or by its keys
	names []string         // secrets and names to rename per case: keys, logins, partners
}

// Templates reads the bundled cases and snapshot from the repository's testdata folder.
func Templates(testdata string) ([]template, error) {
	files, err := filepath.Glob(filepath.Join(testdata, "cases", "*.yaml"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no bundled cases under %s", testdata)
	}
	sort.Strings(files)
	raw, err := os.ReadFile(filepath.Join(testdata, "directory.yaml"))
	if err != nil {
		return nil, err
	}
	var doc struct {
		Keys  []directory.Key  `yaml:"keys"`
		Users []directory.User `yaml:"users"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	snapKeys, snapUsers := map[string]directory.Key{}, map[string]directory.User{}
	for _, k := range doc.Keys {
		snapKeys[k.SHA256] = k
	}
	for _, u := range doc.Users {
		snapUsers[u.Login] = u
	}
	var ts []template
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		c, err := diagnose.ParseCase(f, data)
		if err != nil {
			return nil, err
		}
		line, err := json.Marshal(c)
		if err != nil {
			return nil, err
		}
		t := template{line: string(line)}
		logins := map[string]bool{}
		if c.Credentials.User != "" {
			logins[c.Credentials.User] = true
		}
		partners := map[string]bool{}
		if c.Partner != "" {
			partners[c.Partner] = true
		}
		if k := c.Credentials.APIKey; k != "" {
			sum := sha256.Sum256([]byte(k))
			if e, ok := snapKeys[hex.EncodeToString(sum[:])]; ok {
				t.keys = append(t.keys, e)
				partners[e.Partner] = true
				for _, u := range e.Users {
					logins[u] = true
				}
			}
			t.names = append(t.names, k)
		}
		for l := range logins {
			if u, ok := snapUsers[l]; ok {
				t.users = append(t.users, u)
				partners[u.Partner] = true
			}
			t.names = append(t.names, l)
		}
		for p := range partners {
			t.names = append(t.names, p)
		}
		// Longest first, so that a name inside another is not renamed twice.
		sort.Slice(t.names, func(i, j int) bool { return len(t.names[i]) > len(t.names[j]) })
		ts = append(ts, t)
	}
	return ts, nil
}

var (
	jwtRE   = regexp.MustCompile(`eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*`)
	atRE    = regexp.MustCompile(`("at":"\d{4}-\d{2}-\d{2}[T ]\d{2}:)(\d{2})`)
	cpfRE   = regexp.MustCompile(`\d{3}\.\d{3}\.\d{3}-\d{2}`)
	phoneRE = regexp.MustCompile(`\(\d{2}\) \d{4,5}-\d{4}`)
	idRE    = regexp.MustCompile(`/(propostas|clientes|contratos)/\d+`)
)

var firstNames = []string{"Maria", "João", "Ana", "Pedro", "Luiza", "Carlos", "Beatriz", "Rafael", "Juliana", "Marcos", "Fernanda", "Tiago"}
var lastNames = []string{"das Dores", "Silva", "Souza", "Oliveira", "Pereira", "Costa", "Rodrigues", "Almeida", "Nascimento", "Lima", "Araújo", "Fernandes"}

// Cases writes n varied cases as JSON Lines to cases and the snapshot they run against, as
// JSON, to snap, with at least minKeys keys and minUsers users. The same seed gives the same
// files.
func Cases(ts []template, n, minKeys, minUsers int, seed uint64, cases, snap io.Writer) error {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	cw := bufio.NewWriterSize(cases, 1<<20)
	sw := bufio.NewWriterSize(snap, 1<<20)
	var keys, users []string // JSON objects
	for i := range n {
		t := ts[i%len(ts)]
		suffix := fmt.Sprintf("%x", r.Uint64()&0xffffffffff)
		rename := map[string]string{}
		var pairs []string
		for _, name := range t.names {
			var to string
			switch {
			case strings.HasPrefix(name, "Corban "):
				to = fmt.Sprintf("%s %d", name, i%5000)
			case strings.Contains(name, "."): // a login
				to = fmt.Sprintf("%s%d", name, i)
			default: // an API key: keep its environment prefix, change the rest
				to = name[:strings.LastIndexByte(name, '-')+1] + suffix + fmt.Sprintf("%06x", i)
			}
			rename[name] = to
			pairs = append(pairs, name, to)
		}
		rep := strings.NewReplacer(pairs...)
		line := rep.Replace(t.line)
		// A token names its user: re-issue it for the renamed one, with a signature of its own.
		line = jwtRE.ReplaceAllStringFunc(line, func(tok string) string {
			parts := strings.Split(tok, ".")
			claims, err := base64.RawURLEncoding.DecodeString(parts[1])
			if err != nil {
				return tok
			}
			var m map[string]any
			if json.Unmarshal(claims, &m) != nil {
				return tok
			}
			if u, ok := m["unique_name"].(string); ok {
				if to, ok := rename[u]; ok {
					m["unique_name"] = to
				}
			}
			m["jti"] = fmt.Sprintf("%016x", r.Uint64())
			claims, _ = json.Marshal(m)
			parts[1] = base64.RawURLEncoding.EncodeToString(claims)
			if parts[2] != "" {
				sig := make([]byte, 32)
				for j := range sig {
					sig[j] = byte(r.Uint32())
				}
				parts[2] = base64.RawURLEncoding.EncodeToString(sig)
			}
			return strings.Join(parts, ".")
		})
		line = atRE.ReplaceAllStringFunc(line, func(s string) string {
			return s[:len(s)-2] + fmt.Sprintf("%02d", r.IntN(60))
		})
		line = cpfRE.ReplaceAllStringFunc(line, func(string) string { return cpf(r) })
		line = phoneRE.ReplaceAllStringFunc(line, func(string) string {
			return fmt.Sprintf("(%02d) 9%04d-%04d", 11+r.IntN(80), r.IntN(10000), r.IntN(10000))
		})
		line = strings.ReplaceAll(line, "Maria das Dores", firstNames[r.IntN(len(firstNames))]+" "+lastNames[r.IntN(len(lastNames))])
		line = idRE.ReplaceAllStringFunc(line, func(s string) string {
			return s[:strings.LastIndexByte(s, '/')+1] + fmt.Sprint(1+r.IntN(999999))
		})
		line = strings.Replace(line, `"ticket":"`, fmt.Sprintf(`"ticket":"CI-%07d`, i), 1)
		cw.WriteString(line)
		cw.WriteByte('\n')
		for _, k := range t.keys {
			raw := ""
			for name, to := range rename {
				if sum := sha256.Sum256([]byte(name)); hex.EncodeToString(sum[:]) == k.SHA256 {
					raw = to
				}
			}
			sum := sha256.Sum256([]byte(raw))
			var us []string
			for _, u := range k.Users {
				us = append(us, rep.Replace(u))
			}
			ub, _ := json.Marshal(us)
			keys = append(keys, fmt.Sprintf(`{"sha256": %q, "partner": %q, "environment": %q, "active": %t, "users": %s}`,
				hex.EncodeToString(sum[:]), rep.Replace(k.Partner), k.Environment, k.Active, ub))
		}
		for _, u := range t.users {
			users = append(users, fmt.Sprintf(`{"login": %q, "partner": %q, "active": %t}`, rep.Replace(u.Login), rep.Replace(u.Partner), u.Active))
		}
	}
	for i := len(keys); i < minKeys; i++ {
		sum := sha256.Sum256(fmt.Appendf(nil, "filler-%d-%d", seed, i))
		keys = append(keys, fmt.Sprintf(`{"sha256": %q, "partner": "Corban Outro %d", "environment": %q, "active": %t, "users": ["outro%d"]}`,
			hex.EncodeToString(sum[:]), i%5000, []string{"homologacao", "producao"}[i%2], i%7 != 0, i))
	}
	for i := len(users); i < minUsers; i++ {
		users = append(users, fmt.Sprintf(`{"login": "outro%d", "partner": "Corban Outro %d", "active": %t}`, i, i%5000, i%11 != 0))
	}
	// Shuffled, so that a case's entries are anywhere in the file.
	r.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	r.Shuffle(len(users), func(i, j int) { users[i], users[j] = users[j], users[i] })
	sw.WriteString("{\"keys\": [")
	for i, k := range keys {
		if i > 0 {
			sw.WriteByte(',')
		}
		sw.WriteString("\n  " + k)
	}
	sw.WriteString("\n], \"users\": [")
	for i, u := range users {
		if i > 0 {
			sw.WriteByte(',')
		}
		sw.WriteString("\n  " + u)
	}
	sw.WriteString("\n]}\n")
	if err := cw.Flush(); err != nil {
		return err
	}
	return sw.Flush()
}

// cpf returns a random CPF with valid check digits, formatted.
func cpf(r *rand.Rand) string {
	var d [11]int
	for i := range 9 {
		d[i] = r.IntN(10)
	}
	for k := 9; k <= 10; k++ {
		s := 0
		for i := range k {
			s += d[i] * (k + 1 - i)
		}
		d[k] = s * 10 % 11 % 10
	}
	return fmt.Sprintf("%d%d%d.%d%d%d.%d%d%d-%d%d", d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10])
}
