//go:build windows

package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// consoleColour turns on the console's handling of colour codes (Windows 10 and later);
// an older console, which would print them as text, gets no colour.
func consoleColour(f *os.File) bool {
	h := windows.Handle(f.Fd())
	var mode uint32
	if err := windows.GetConsoleMode(h, &mode); err != nil {
		return false
	}
	if mode&windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0 {
		return true
	}
	return windows.SetConsoleMode(h, mode|windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING) == nil
}
