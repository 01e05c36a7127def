//go:build !unix

package atomicfile

import "testing"

func endedPID(t *testing.T) string { return "999999" }

func runtimeCannotTell() bool { return true }
