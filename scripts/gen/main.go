// Command gen writes varied cases (JSON Lines) and the JSON snapshot they run against, for
// benchmarks and scripts/bench.sh; -yaml also writes the same snapshot as YAML:
//
//	go run ./scripts/gen -n 100000 -keys 100000 -users 100000 -cases cases.jsonl -snapshot dir.json -yaml dir.yaml
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/crefazon/triagem/directory"
	"github.com/crefazon/triagem/internal/gen"
)

func main() {
	n := flag.Int("n", 100_000, "how many cases")
	keys := flag.Int("keys", 100_000, "at least this many keys in the snapshot")
	users := flag.Int("users", 100_000, "at least this many users in the snapshot")
	seed := flag.Uint64("seed", 1, "the same seed gives the same files")
	testdata := flag.String("testdata", "testdata", "the repository's testdata folder (bundled cases and snapshot)")
	casesPath := flag.String("cases", "cases.jsonl", "where the cases go")
	snapPath := flag.String("snapshot", "directory.json", "where the snapshot goes")
	yamlPath := flag.String("yaml", "", "where the same snapshot goes as YAML (none if empty)")
	flag.Parse()
	err := run(*testdata, *n, *keys, *users, *seed, *casesPath, *snapPath)
	if err == nil && *yamlPath != "" {
		err = toYAML(*snapPath, *yamlPath)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// toYAML writes the JSON snapshot at from (as run writes it: one entry a line) as YAML at to,
// in the two shapes exports use: keys as block mappings, users as flow mappings.
func toYAML(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	defer out.Close()
	w := bufio.NewWriterSize(out, 1<<20)
	sc := bufio.NewScanner(in)
	sc.Buffer(nil, 1<<24)
	w.WriteString("# the same snapshot as " + from + ", written by scripts/gen\n")
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimRight(bytes.TrimSpace(sc.Bytes()), ",")
		switch {
		case bytes.HasPrefix(b, []byte(`{"keys"`)):
			w.WriteString("keys:\n")
		case bytes.Contains(b, []byte(`"users": [`)) && !bytes.HasPrefix(b, []byte(`{"sha256"`)):
			w.WriteString("users:\n")
		case bytes.HasPrefix(b, []byte(`{"sha256"`)):
			var k directory.Key
			if err := json.Unmarshal(b, &k); err != nil {
				return fmt.Errorf("%s:%d: %v", from, line, err)
			}
			fmt.Fprintf(w, "  - sha256: %s\n    partner: %s\n    environment: %s\n    active: %t\n", yamlText(k.SHA256), yamlText(k.Partner), yamlText(k.Environment), k.Active)
			if k.Users != nil {
				us := make([]string, len(k.Users))
				for i, u := range k.Users {
					us[i] = yamlText(u)
				}
				fmt.Fprintf(w, "    users: [%s]\n", strings.Join(us, ", "))
			}
		case bytes.HasPrefix(b, []byte(`{"login"`)):
			var u directory.User
			if err := json.Unmarshal(b, &u); err != nil {
				return fmt.Errorf("%s:%d: %v", from, line, err)
			}
			fmt.Fprintf(w, "  - {login: %s, partner: %s, active: %t}\n", yamlText(u.Login), yamlText(u.Partner), u.Active)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return out.Close()
}

// plainYAML matches the texts that YAML reads back as the same string when written plainly;
// anything else is double-quoted.
var plainYAML = regexp.MustCompile(`^[\p{L}\p{N}_][\p{L}\p{N}_. @/-]*$`)

func yamlText(s string) string {
	switch strings.ToLower(s) {
	case "true", "false", "null", "yes", "no", "on", "off", "~":
		return strconv.Quote(s)
	}
	if plainYAML.MatchString(s) && !strings.HasSuffix(s, " ") {
		return s
	}
	return strconv.Quote(s)
}

func run(testdata string, n, keys, users int, seed uint64, casesPath, snapPath string) error {
	ts, err := gen.Templates(testdata)
	if err != nil {
		return err
	}
	cf, err := os.Create(casesPath)
	if err != nil {
		return err
	}
	defer cf.Close()
	sf, err := os.Create(snapPath)
	if err != nil {
		return err
	}
	defer sf.Close()
	if err := gen.Cases(ts, n, keys, users, seed, cf, sf); err != nil {
		return err
	}
	if err := cf.Close(); err != nil {
		return err
	}
	return sf.Close()
}
