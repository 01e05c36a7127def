package main

import (
	"os"
	"runtime/debug"
	"testing"
)

// The collector is off only while the packages initialise: by the time a command runs it is
// on (startgc), or a long batch would never collect.
func TestCollectorOnAfterInits(t *testing.T) {
	if os.Getenv("GOGC") == "off" {
		t.Skip("GOGC=off in the environment")
	}
	got := debug.SetGCPercent(100)
	debug.SetGCPercent(got)
	if got < 0 {
		t.Fatal("the garbage collector is still off after the package inits")
	}
}
