// Package startgc keeps the garbage collector out of the package initialisers. They allocate
// about 3 MB before main runs, most of it data that lives on (jsonschema compiles its
// meta-schemas in its init), and the runtime's first collection is due at 4 MB: a collection
// that marks those for nothing costs a one-shot command such as --version a fifth of its time.
//
// Go initialises the packages that are ready in the order of their import paths, so this
// package (imported by the command, with nothing but runtime/debug beneath it) runs before
// any of the libraries' inits. The command calls Resume first thing, from its own init, which
// runs after every other package's: the collector is off for the inits alone, whatever the
// command does next.
package startgc

import "runtime/debug"

// saved is the setting the process started with: GOGC's, or 100.
var saved = debug.SetGCPercent(-1)

// Resume gives the collector back its setting. Calling it again changes nothing.
func Resume() { debug.SetGCPercent(saved) }
