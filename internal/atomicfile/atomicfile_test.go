package atomicfile

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "b.zip")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("new bundle"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	st, _ := os.Stat(path)
	if string(got) != "new bundle" || st.Mode().Perm() != 0o600 {
		t.Errorf("got %q mode %v, want the new bundle with mode 0600", got, st.Mode().Perm())
	}
	if n := names(t, dir); len(n) != 1 {
		t.Errorf("temporary files left behind: %v", n)
	}
	if err := Write(filepath.Join(dir, "missing", "b.zip"), []byte("x"), 0o600); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
	// A target that is not a regular file is left alone, and no temporary file stays.
	os.MkdirAll(filepath.Join(dir, "out"), 0o755)
	if err := Write(filepath.Join(dir, "out"), []byte("x"), 0o600); err == nil {
		t.Error("writing over a folder succeeded")
	}
	if st, err := os.Stat(filepath.Join(dir, "out")); err != nil || !st.IsDir() {
		t.Errorf("the folder was replaced: %v", err)
	}
	if _, err := os.Stat("/dev/null"); err == nil {
		if err := Write("/dev/null", []byte("x"), 0o600); err == nil {
			t.Error("writing over /dev/null succeeded")
		}
	}
	if n := names(t, dir); len(n) != 2 {
		t.Errorf("a failed write left files: %v", n)
	}
	if len(pending) != 0 || signals != nil {
		t.Errorf("after the writes: %d pending, signals taken %v", len(pending), signals != nil)
	}
}

// The next write removes what a killed process left: files of ended processes at once,
// any file past StaleAge; never anything else.
func TestWriteRemovesStaleTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-StaleAge - time.Minute)
	mk := func(name string, mtime time.Time) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, mtime, mtime)
	}
	ended := endedPID(t)
	mk(".triagem-"+ended+"-123.tmp", time.Now()) // its process is gone
	mk(".triagem-1-456.tmp", old)                // pid 1 runs, but too old
	mk(".triagem-1-789.tmp", time.Now())         // pid 1 runs: kept
	mk(".triagem-notapid.tmp", time.Now())       // cannot tell, recent: kept
	mk(".triagem-notapid-old.tmp", old)          // cannot tell, old: removed
	mk("notes.tmp", old)                         // not ours: kept
	mk(".b.zip.123.tmp", old)                    // not ours: kept
	if err := Write(filepath.Join(dir, "b.zip"), []byte("whole"), 0o600); err != nil {
		t.Fatal(err)
	}
	want := []string{".b.zip.123.tmp", ".triagem-1-789.tmp", ".triagem-notapid.tmp", "b.zip", "notes.tmp"}
	if runtimeCannotTell() {
		want = append(want, ".triagem-"+ended+"-123.tmp")
		sort.Strings(want)
	}
	if got := names(t, dir); !equal(got, want) {
		t.Errorf("after the write:\n got %v\nwant %v", got, want)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
