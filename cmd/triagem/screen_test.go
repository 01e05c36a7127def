package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestScreenWidthAndColour(t *testing.T) {
	tests := []struct {
		name      string
		tty       bool
		term      int
		env       map[string]string
		width     int
		wantColor bool
	}{
		{"a terminal's own width wins over COLUMNS", true, 87, map[string]string{"COLUMNS": "120"}, 87, true},
		{"a pipe follows COLUMNS", false, 87, map[string]string{"COLUMNS": "120"}, 120, false},
		{"a pipe without COLUMNS: 100", false, 0, nil, 100, false},
		{"a terminal that cannot tell: COLUMNS", true, 0, map[string]string{"COLUMNS": "80"}, 80, true},
		{"COLUMNS not a number: 100", false, 0, map[string]string{"COLUMNS": "wide"}, 100, false},
		{"NO_COLOR on a terminal", true, 80, map[string]string{"NO_COLOR": "1"}, 80, false},
		{"CLICOLOR=0 on a terminal", true, 80, map[string]string{"CLICOLOR": "0"}, 80, false},
		{"CLICOLOR_FORCE=1 into a pipe", false, 0, map[string]string{"CLICOLOR_FORCE": "1"}, 100, true},
		{"NO_COLOR wins over CLICOLOR_FORCE", false, 0, map[string]string{"CLICOLOR_FORCE": "1", "NO_COLOR": "1"}, 100, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &app{stdoutTTY: tt.tty, termWidth: func() int { return tt.term }, getenv: func(k string) string { return tt.env[k] }}
			s := a.screen()
			if s.Width != tt.width || s.Color != tt.wantColor {
				t.Errorf("width %d colour %v, want %d %v", s.Width, s.Color, tt.width, tt.wantColor)
			}
		})
	}
}

// triagem ... | less: standard output is a pipe, standard error still the person's terminal.
func TestPipedOutputFollowsTheTerminalOfStderr(t *testing.T) {
	a := &app{stdoutTTY: false, stderrTTY: true, errTermWidth: func() int { return 80 }, getenv: func(string) string { return "" }}
	if w := a.screen().Width; w != 80 {
		t.Errorf("width %d, want the terminal's 80", w)
	}
	a.getenv = func(k string) string { return map[string]string{"COLUMNS": "120"}[k] }
	if w := a.screen().Width; w != 120 {
		t.Errorf("width %d, want COLUMNS (120): an explicit width wins", w)
	}
}

func TestSayWrapsOnlyForPeople(t *testing.T) {
	msg := "triagem: caso.yaml: " + strings.Repeat("uma razão longa ", 10)
	for _, tt := range []struct {
		name  string
		tty   bool
		env   map[string]string
		lines int
	}{
		{"a log keeps one line per message", false, nil, 1},
		{"COLUMNS=60 wraps", false, map[string]string{"COLUMNS": "60"}, 4},
		{"a terminal wraps at 100", true, nil, 2},
	} {
		var stderr bytes.Buffer
		a := &app{stderr: &stderr, stderrTTY: tt.tty, getenv: func(k string) string { return tt.env[k] }}
		a.say(msg)
		if got := strings.Count(stderr.String(), "\n"); got != tt.lines {
			t.Errorf("%s: %d lines, want %d:\n%s", tt.name, got, tt.lines, stderr.String())
		}
	}
}
