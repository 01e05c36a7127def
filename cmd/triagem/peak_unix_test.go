//go:build unix

package main

import (
	"os"
	"runtime"
	"syscall"
)

// peakMB is a finished process's peak resident memory, in MB.
func peakMB(ps *os.ProcessState) float64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return float64(ru.Maxrss) / (1 << 20) // bytes on macOS
	}
	return float64(ru.Maxrss) / 1024 // KiB elsewhere
}
