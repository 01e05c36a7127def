//go:build !unix

package evidence_test

import "time"

// processCPU: not measured here; the benchmark reports wall time alone.
func processCPU() (time.Duration, bool) { return 0, false }
