package startgc

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func percent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// waitFor collects until cond holds: the cleanup runs on its own goroutine after a collection.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 200 {
		if cond() {
			return
		}
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("condition not reached after 200 collections")
}

// The collector is off from this package's init until Resume; then its first goal is four
// times the usual one; after the first collection it runs at the process's setting.
func TestResumeRestoresTheSetting(t *testing.T) {
	if saved < 0 {
		t.Skip("GOGC=off in the environment")
	}
	if resumed {
		t.Skip("Resume ran in an earlier run of this test (-count)")
	}
	if got := percent(); got != -1 {
		t.Fatalf("before Resume the collector is at %d%%, want off", got)
	}
	Resume()
	if got := percent(); got != firstPercent() {
		t.Fatalf("after Resume the collector is at %d%%, want %d%% until the first collection", got, firstPercent())
	}
	waitFor(t, func() bool { return percent() == saved })
	Resume() // does nothing more
	if got := percent(); got != saved {
		t.Fatalf("a second Resume set %d%%", got)
	}
}

// A setting a command chose before the first collection (the batch's 400 %) stays.
func TestCommandsSettingStays(t *testing.T) {
	if saved < 0 {
		t.Skip("GOGC=off in the environment")
	}
	defer debug.SetGCPercent(saved)
	first := firstPercent()
	debug.SetGCPercent(first)
	debug.SetGCPercent(400) // the command's
	afterFirst(first)
	if got := percent(); got != 400 {
		t.Fatalf("the command's 400%% became %d%%", got)
	}
	debug.SetGCPercent(first) // nobody changed it
	afterFirst(first)
	if got := percent(); got != saved {
		t.Fatalf("got %d%%, want the process's %d%%", got, saved)
	}
}
