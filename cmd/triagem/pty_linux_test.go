package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// openPTY opens a pseudo-terminal of cols columns: the terminal's side for the program,
// the other side to read what it printed. It is done with the kernel's calls rather than a
// pty package, as the project keeps to its list of dependencies.
func openPTY(t *testing.T, cols uint16) (tty, reader *os.File) {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetUint32(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("ptsname: %v", err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("opening the terminal's side: %v", err)
	}
	if err := unix.IoctlSetWinsize(int(tty.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 40, Col: cols}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close(); ptmx.Close() })
	return tty, ptmx
}

// TestATerminalOf80Columns runs the bundled cases, a table and the help with standard output
// on a real pseudo-terminal of 80 columns, COLUMNS saying 200: the terminal's own width wins,
// colour is on, and no line is wider than 80.
func TestATerminalOf80Columns(t *testing.T) {
	for _, args := range [][]string{
		{"diagnose", "../../testdata/cases", "--directory", "../../testdata/directory.yaml"},
		{"diagnose", "../../testdata/cases", "--all", "--lang", "en"},
		{"checks"},
		{"diagnose", "--help"},
		{"--help", "--lang", "en"},
	} {
		tty, reader := openPTY(t, 80)
		if !term.IsTerminal(int(tty.Fd())) {
			t.Fatal("the pseudo-terminal is not seen as a terminal")
		}
		out := make(chan []byte)
		go func() { b, _ := io.ReadAll(reader); out <- b }()
		var stderr bytes.Buffer
		a := &app{stdin: strings.NewReader(""), stdout: tty, stderr: &stderr, stdoutTTY: true,
			termWidth: func() int { return terminalWidth(tty) },
			getenv:    func(k string) string { return map[string]string{"COLUMNS": "200"}[k] }}
		a.main(context.Background(), args)
		tty.Close() // the reader sees the end (EIO) once the terminal's side is closed
		printed := string(<-out)
		if len(printed) < 500 {
			t.Fatalf("%v: little output:\n%s\n%s", args, printed, stderr.String())
		}
		if args[0] == "diagnose" && args[1] != "--help" && !strings.Contains(printed, "\x1b[") {
			t.Errorf("%v: no colour on a terminal", args)
		}
		for i, line := range strings.Split(printed, "\n") {
			line = ansi.ReplaceAllString(strings.TrimRight(line, "\r"), "")
			if w := twwidth.Width(line); w > 80 && !isLoneURL(line) {
				t.Errorf("%v: line %d is %d columns wide: %s", args, i+1, w, line)
			}
		}
	}
}
