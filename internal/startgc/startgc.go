// Package startgc keeps the garbage collector out of a short command's way. The package
// initialisers allocate about 3.5 MB before main runs, most of it data that lives on
// (jsonschema compiles its meta-schemas in its init), and the runtime's first collection is
// due at 4 MB: every command, --version included, would collect once or twice for nothing
// (a fifth to a tenth of its CPU time, the idle processor's mark worker included).
//
// Go initialises packages in an order the language fixes (the first ready one by import
// path), so this package, imported by the command with nothing but runtime/debug beneath it,
// turns the collector off before the inits that allocate most (jsonschema's) run: the order
// changes only with the import graph, and cmd/triagem's TestStartupDoesNotCollect checks it
// on the built binary (GODEBUG=inittrace=1). The command calls Resume from its own init,
// which runs after every other package's: from there the first collection is due at four
// times the usual heap (16 MB with GOGC unset), and after it the collector runs at GOGC's
// setting as usual. A command that sets its own (the batch) keeps it.
package startgc

import (
	"runtime"
	"runtime/debug"
	"sync"
)

// saved is the setting the process started with: GOGC's, or 100 (-1 for GOGC=off).
var saved = debug.SetGCPercent(-1)

// firstPercent is the setting until the first collection: four times the usual first goal.
// Odd, so that it tells itself from a setting a command chose meanwhile.
func firstPercent() int { return 4*saved + 1 }

var (
	resume  sync.Once
	resumed bool // for the tests: Resume ran
)

// Resume turns the collector back on, with a first goal of four times the usual heap; after
// the first collection, the process's setting. Later calls do nothing.
func Resume() {
	resume.Do(func() {
		resumed = true
		if saved < 0 {
			debug.SetGCPercent(saved) // GOGC=off
			return
		}
		first := firstPercent()
		debug.SetGCPercent(first)
		// The sentinel is unreachable at once: its cleanup runs after the first collection.
		sentinel := new([64]byte)
		runtime.AddCleanup(sentinel, func(int) { afterFirst(first) }, 0)
	})
}

// afterFirst restores the process's setting, unless a command changed it meanwhile.
func afterFirst(first int) {
	if cur := debug.SetGCPercent(saved); cur != first {
		debug.SetGCPercent(cur)
	}
}
