// Command triagem runs the CrefazOn partner API support procedure on a failing request.
package main

import (
	"os"

	"github.com/crefazon/triagem/internal/startgc"
)

// The main package's init runs after every other package's: the collector, kept off while
// they ran (startgc), works as usual from here on.
func init() { startgc.Resume() }

func main() { os.Exit(run()) }
