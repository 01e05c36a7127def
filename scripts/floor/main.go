// Command floor does the least that any reader of a directory snapshot must do, so that
// scripts/bench.sh can show it beside `cat` and triagem: it reads the file once and counts
// where each key entry sits (the text `"sha256"` in a JSON snapshot), without parsing
// anything else. No index of the snapshot can be built faster than this walk over its bytes.
//
//	go run ./scripts/floor big.json
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "uso: floor SNAPSHOT.json")
		os.Exit(2)
	}
	n, err := count(os.Args[1], []byte(`"sha256"`))
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	fmt.Println(n)
}

// count reads path in blocks of 1 MiB and counts the occurrences of marker, keeping the
// block's last len(marker)-1 bytes in front of the next one so that a marker cut between two
// reads is still seen once.
func count(path string, marker []byte) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	keep := len(marker) - 1
	buf := make([]byte, keep+1<<20)
	have, n := 0, 0
	for {
		m, err := f.Read(buf[have:])
		have += m
		n += bytes.Count(buf[:have], marker)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		// What stays for the next block cannot hold a whole marker, so nothing counts twice.
		if have > keep {
			copy(buf, buf[have-keep:have])
			have = keep
		}
	}
}
