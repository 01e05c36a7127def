//go:build !unix

package main

import (
	"os"
	"time"
)

// peakMB is not measured where the system does not report it (Windows): the benchmarks then
// report 0 MB.
func peakMB(*os.ProcessState) float64 { return 0 }

// selfCPU is not measured there either: the benchmarks report 0.
func selfCPU() time.Duration { return 0 }
