package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A marker cut across the 1 MiB reads is counted once, and only whole markers count.
func TestCountAcrossBlocks(t *testing.T) {
	entry := `{"sha256": "ab", "partner": "P"},` + "\n"
	for _, pad := range []int{0, 1, 3, 7, 1<<20 - 4, 1<<20 - 3, 1<<20 + 5} {
		text := strings.Repeat(" ", pad) + strings.Repeat(entry, 3) + `"sha25` + strings.Repeat(entry, 2)
		path := filepath.Join(t.TempDir(), "s.json")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		n, err := count(path, []byte(`"sha256"`))
		if err != nil || n != 5 {
			t.Errorf("pad %d: got %d, %v; want 5", pad, n, err)
		}
	}
}
