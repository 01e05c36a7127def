package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"triagem": func() { os.Exit(run()) },
	})
}

// TestScripts runs the stories in testdata/script, one txtar each. UPDATE_SCRIPTS=1 rewrites
// their golden outputs.
func TestScripts(t *testing.T) {
	testdata, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:           filepath.Join(testdata, "script"),
		UpdateScripts: os.Getenv("UPDATE_SCRIPTS") == "1",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"maxwidth": cmdMaxWidth,
		},
		Setup: func(env *testscript.Env) error {
			env.Setenv("TESTDATA", testdata)
			env.Setenv("NO_COLOR", "1")
			// The journal's default file, in the script's own folder (HOME is /no-home).
			env.Setenv("XDG_DATA_HOME", filepath.Join(env.WorkDir, ".data"))
			return nil
		},
	})
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// cmdMaxWidth is the script command "maxwidth N FILE...": no line of the files (stdout and
// stderr name the last command's) is wider than N columns, colour codes aside. A line that
// is a URL alone is allowed to run over: URLs are never split.
func cmdMaxWidth(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: maxwidth N FILE...")
	}
	limit, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("maxwidth: %v", err)
	}
	var over []string
	for _, name := range args[1:] {
		for i, line := range strings.Split(ts.ReadFile(name), "\n") {
			line = ansi.ReplaceAllString(line, "")
			if w := twwidth.Width(line); w > limit && !isLoneURL(line) {
				over = append(over, fmt.Sprintf("%s:%d: %d columns: %s", name, i+1, w, line))
			}
		}
	}
	switch {
	case neg && len(over) == 0:
		ts.Fatalf("no line is wider than %d columns", limit)
	case !neg && len(over) > 0:
		ts.Fatalf("lines wider than %d columns:\n%s", limit, strings.Join(over, "\n"))
	}
}

func isLoneURL(line string) bool {
	urls := 0
	for _, f := range strings.Fields(line) {
		switch {
		case strings.HasPrefix(f, "https://") || strings.HasPrefix(f, "http://"):
			urls++
		case f == `\` || f == "-" || (strings.HasPrefix(f, "[") && strings.HasSuffix(f, "]")):
			// a continuation, a list mark or a footnote number
		default:
			return false
		}
	}
	return urls == 1
}
