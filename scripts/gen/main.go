// Command gen writes varied cases (JSON Lines) and the JSON snapshot they run against, for
// benchmarks and scripts/bench.sh:
//
//	go run ./scripts/gen -n 100000 -keys 100000 -users 100000 -cases cases.jsonl -snapshot dir.json
package main

import (
	"flag"
	"fmt"
	"os"

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
	flag.Parse()
	if err := run(*testdata, *n, *keys, *users, *seed, *casesPath, *snapPath); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
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
