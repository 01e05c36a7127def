//go:build !(js && wasm)

// Outside WebAssembly this command only says how to build it.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "triagem-wasm runs in a browser: build it with GOOS=js GOARCH=wasm (see scripts/build-page.sh)")
	os.Exit(2)
}
