package main

import (
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/term"

	"github.com/crefazon/triagem/render"
)

// terminalWidth asks the terminal behind a file for its width (0 when it is not one).
func terminalWidth(f *os.File) int {
	w, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return w
}

// screenWidth is the width people's output is laid out for: the terminal's, else COLUMNS,
// else, when only standard output is piped (triagem ... | less), the width of the terminal
// standard error still shows on, else render.DefaultWidth.
func (a *app) screenWidth() int {
	if a.stdoutTTY && a.termWidth != nil {
		if w := a.termWidth(); w > 0 {
			return w
		}
	}
	if n, err := strconv.Atoi(strings.TrimSpace(a.getenv("COLUMNS"))); err == nil && n > 0 {
		return n
	}
	if a.stderrTTY && a.errTermWidth != nil {
		if w := a.errTermWidth(); w > 0 {
			return w
		}
	}
	return render.DefaultWidth
}

// colour says whether standard output shows colour: on a terminal, unless NO_COLOR or
// CLICOLOR=0; CLICOLOR_FORCE=1 forces it elsewhere (NO_COLOR still wins).
func (a *app) colour() bool {
	if a.getenv("NO_COLOR") != "" {
		return false
	}
	if f := a.getenv("CLICOLOR_FORCE"); f != "" && f != "0" {
		return true
	}
	return a.stdoutTTY && !a.noConsoleColour && a.getenv("CLICOLOR") != "0"
}

// screen is the layout of tables and text for people.
func (a *app) screen() render.Screen {
	return render.Screen{Width: a.screenWidth(), Color: a.colour(), All: a.allChecks}
}

// say writes a message for a person on stderr, one line or several. On a terminal, or when
// COLUMNS is set, long lines wrap to the screen's width (a list item continues under its
// text); otherwise each stays on one line, for logs and grep.
func (a *app) say(text string) {
	text = strings.TrimRight(text, "\n")
	if a.stderrTTY || a.getenv("COLUMNS") != "" {
		text = render.WrapText(text, a.screenWidth())
	}
	io.WriteString(a.stderr, text+"\n")
}
