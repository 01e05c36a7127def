//go:build !unix

package atomicfile

// processGone cannot tell here: such files are removed once older than StaleAge.
func processGone(pid int) bool { return false }

// syncDir: folders cannot be synced on this system; the rename is what it is.
func syncDir(dir string) {}
