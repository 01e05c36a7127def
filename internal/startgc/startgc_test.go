package startgc

import (
	"runtime/debug"
	"testing"
)

// The collector is off from this package's init until Resume, and back to the process's
// setting after it (GOGC is unset or a number in the test's environment).
func TestResumeRestoresTheSetting(t *testing.T) {
	if saved < 0 {
		t.Skip("GOGC=off in the environment")
	}
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Fatalf("before Resume the collector is at %d%%, want off", got)
	}
	Resume()
	if got := debug.SetGCPercent(saved); got != saved {
		t.Fatalf("after Resume the collector is at %d%%, want %d%%", got, saved)
	}
}
