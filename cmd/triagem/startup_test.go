//go:build linux

package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The start-up's promise, checked on the real binary with the runtime's own traces: the
// collector is off before the libraries' inits allocate (jsonschema's meta-schemas), and
// --version or one diagnosis with the bundled directory never collects.
func TestStartupDoesNotCollect(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildTestBinary(t)
	env := []string{"GODEBUG=inittrace=1,gctrace=1", "HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	for _, args := range [][]string{
		{"--version"},
		{"diagnose", "../../testdata/cases/token-expirado.yaml", "--directory", "../../testdata/directory.yaml", "--no-journal"},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil && cmd.ProcessState.ExitCode() > 1 {
			t.Fatalf("%v: %v\n%s", args, err, stderr.String())
		}
		trace := stderr.String()
		for _, l := range strings.Split(trace, "\n") {
			if strings.HasPrefix(l, "gc ") {
				t.Errorf("%v collected: %s", args, l)
			}
		}
		off := strings.Index(trace, "init github.com/crefazon/triagem/internal/startgc ")
		js := strings.Index(trace, "init github.com/santhosh-tekuri/jsonschema/v6 ")
		if off < 0 || js < 0 || off > js {
			t.Errorf("%v: startgc's init (at %d) does not run before jsonschema's (at %d): the package init order changed; see internal/startgc", args, off, js)
		}
	}
}
