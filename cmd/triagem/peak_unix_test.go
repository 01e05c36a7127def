//go:build unix

package main

import (
	"os"
	"runtime"
	"syscall"
	"time"
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

// selfCPU is the CPU time (user and system) this process has used so far: on a shared,
// loaded machine it tells more than the wall clock.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
