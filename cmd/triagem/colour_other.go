//go:build !windows

package main

import "os"

// consoleColour: terminals elsewhere handle colour codes themselves.
func consoleColour(*os.File) bool { return true }
