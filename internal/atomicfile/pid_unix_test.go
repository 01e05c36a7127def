//go:build unix

package atomicfile

import (
	"os/exec"
	"strconv"
	"testing"
)

// endedPID runs a process to its end and returns its pid.
func endedPID(t *testing.T) string {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("cannot run true:", err)
	}
	return strconv.Itoa(cmd.ProcessState.Pid())
}

func runtimeCannotTell() bool { return false }
