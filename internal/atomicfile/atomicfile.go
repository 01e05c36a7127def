// Package atomicfile writes a file whole or not at all, and leaves no temporary file behind:
// the one definition every command that writes a file the user named (--out) goes through.
//
// The data goes to a temporary file in the target's folder, named .triagem-<pid>-<random>.tmp,
// is synced, then renamed over the target: the target is either as it was or complete, never
// partial. SIGINT and SIGTERM during a write remove the temporary files then end the process
// (exit 130 and 143, as a shell reports them). A process killed outright (SIGKILL, a power
// cut) cannot clean up: the next write into the same folder removes the temporary files of
// processes that are gone, and any older than StaleAge.
package atomicfile

import (
	"errors"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Pattern matches the temporary files this package makes (filepath.Match syntax).
const Pattern = ".triagem-*.tmp"

// StaleAge is how old a temporary file is when it is removed even though the process that
// made it may still run (its pid reused, or a system where liveness cannot be asked): no
// write of triagem takes minutes.
const StaleAge = 15 * time.Minute

var (
	mu      sync.Mutex // held while a temporary file is created, renamed or removed
	pending = map[string]bool{}
	signals chan os.Signal
)

// Write writes data to path with mode perm, atomically (see the package comment).
// A target that exists and is not a regular file (a folder, a device such as /dev/null, a
// named pipe) is refused: a rename would replace it.
func Write(path string, data []byte, perm os.FileMode) (err error) {
	if st, err := os.Lstat(path); err == nil && !st.Mode().IsRegular() && st.Mode()&os.ModeSymlink == 0 {
		return &os.PathError{Op: "write", Path: path, Err: errors.New("exists and is not a regular file")}
	}
	dir := filepath.Dir(path)
	RemoveStale(dir)

	mu.Lock()
	catchSignals() // before the file exists: from its creation on, a signal removes it
	f, err := os.CreateTemp(dir, ".triagem-"+strconv.Itoa(os.Getpid())+"-*.tmp")
	if err != nil {
		releaseSignals()
		mu.Unlock()
		return err
	}
	tmp := f.Name()
	pending[tmp] = true
	mu.Unlock()

	defer func() {
		if err != nil {
			f.Close()
			mu.Lock()
			os.Remove(tmp)
			unregister(tmp)
			mu.Unlock()
		}
	}()
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	mu.Lock()
	err = os.Rename(tmp, path)
	if err == nil {
		unregister(tmp)
	}
	mu.Unlock()
	if err != nil {
		return err
	}
	syncDir(dir) // the rename itself survives a crash; best effort (not every system can)
	return nil
}

// catchSignals takes over SIGINT and SIGTERM, unless already done. Called with mu held.
func catchSignals() {
	if signals == nil {
		signals = make(chan os.Signal, 1)
		signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
		go cleanUpOnSignal(signals)
	}
}

// unregister forgets a temporary file and, with none left, gives the signals back.
// Called with mu held.
func unregister(tmp string) {
	delete(pending, tmp)
	releaseSignals()
}

// releaseSignals gives SIGINT and SIGTERM back their default (the process ends) when no
// temporary file is pending. Called with mu held.
func releaseSignals() {
	if len(pending) == 0 && signals != nil {
		signal.Stop(signals)
		close(signals)
		signals = nil
	}
}

func cleanUpOnSignal(c chan os.Signal) {
	s, ok := <-c
	if !ok {
		return
	}
	mu.Lock() // never released: no write may rename or create past this point
	for tmp := range pending {
		os.Remove(tmp)
	}
	code := 130
	if s == syscall.SIGTERM {
		code = 143
	}
	os.Exit(code)
}

// RemoveStale removes, in dir, the temporary files of this package whose process is gone or
// that are older than StaleAge; never one this process is writing. Errors are ignored: this
// is housekeeping, and the write that follows reports its own.
func RemoveStale(dir string) {
	names, err := filepath.Glob(filepath.Join(dir, Pattern))
	if err != nil {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range names {
		if pending[p] {
			continue
		}
		st, err := os.Lstat(p)
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		if time.Since(st.ModTime()) > StaleAge || writerGone(filepath.Base(p)) {
			os.Remove(p)
		}
	}
}

// writerGone reads the pid from a temporary file's name and says whether that process is
// known to have ended.
func writerGone(name string) bool {
	rest, ok := strings.CutPrefix(name, ".triagem-")
	if !ok {
		return false
	}
	pidText, _, ok := strings.Cut(rest, "-")
	if !ok {
		return false
	}
	pid, err := strconv.Atoi(pidText)
	if err != nil || pid <= 0 {
		return false
	}
	if pid == os.Getpid() {
		return false // one of ours, and not pending: another goroutine about to register it
	}
	return processGone(pid)
}
