//go:build unix

package atomicfile

import (
	"errors"
	"os"
	"syscall"
)

// processGone asks the system whether pid still runs: signal 0 checks without sending.
func processGone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
