package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/crefazon/triagem/rules"
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
			"maxwidth":   cmdMaxWidth,
			"intake":     cmdIntake,
			"partnerapi": cmdPartnerAPI,
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

// cmdIntake is the script command "intake VAR [down]": a Code team intake webhook for the
// script's length, its URL in $VAR. It opens CODE-1, CODE-2... (201, {"ticket": "CODE-n"}),
// the same ticket again for an Idempotency-Key it has seen; "down" answers 503 to everything.
func cmdIntake(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 || (len(args) == 2 && args[1] != "down") {
		ts.Fatalf("usage: intake VAR [down]")
	}
	down := len(args) == 2
	seen := map[string]string{}
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if down {
			http.Error(w, "indisponível", http.StatusServiceUnavailable)
			return
		}
		mu.Lock()
		key := r.Header.Get("Idempotency-Key")
		id, ok := seen[key]
		if !ok {
			id = fmt.Sprintf("CODE-%d", len(seen)+1)
			seen[key] = id
		}
		mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"ticket": %q}`, id)
	}))
	ts.Defer(srv.Close)
	ts.Setenv(args[0], srv.URL)
}

// cmdPartnerAPI is the script command "partnerapi VAR RULES": a partner API on 127.0.0.1 that
// answers every request with a 503 and an error envelope, its base URL in $VAR, and in RULES
// the default rules with homologação's host moved to 127.0.0.1, so that replay may reach it.
func cmdPartnerAPI(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: partnerapi VAR RULES")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `{"success":false,"data":null,"errors":["Servico temporariamente indisponivel"]}`)
	}))
	ts.Defer(srv.Close)
	ts.Setenv(args[0], srv.URL)
	y := bytes.ReplaceAll(rules.DefaultYAML(), []byte("api-externo-stag.crefazon.com.br"), []byte("127.0.0.1"))
	if err := os.WriteFile(ts.MkAbs(args[1]), y, 0o600); err != nil {
		ts.Fatalf("partnerapi: %v", err)
	}
}
