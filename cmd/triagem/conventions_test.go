package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/directory"
)

func TestUnknownSubcommandIsAnErrorWithASuggestion(t *testing.T) {
	tests := []struct {
		args    []string
		env     map[string]string
		want    []string
		wantNot string
	}{
		{[]string{"rules", "valdate", "x"}, nil,
			[]string{`comando desconhecido "valdate" para "triagem rules"`, "Você quis dizer: validate?"}, "Usage"},
		{[]string{"token", "inspct"}, nil,
			[]string{`comando desconhecido "inspct" para "triagem token"`, "inspect?"}, "Usage"},
		{[]string{"escalate", "verfy", "x.zip"}, nil,
			[]string{`"verfy" para "triagem escalate"`, "verify?"}, "accepts"},
		{[]string{"directory", "serv"}, nil, []string{"serve?"}, ""},
		{[]string{"diagnos"}, nil, []string{`"diagnos" para "triagem"`, "diagnose?"}, ""},
		{[]string{"help", "frob"}, nil, []string{`comando desconhecido "frob" para "triagem"`}, "Uso"},
		{[]string{"help", "rules", "valdate"}, nil, []string{`"valdate" para "triagem rules"`, "validate?"}, "Uso"},
		{[]string{"rules", "valdate", "x"}, map[string]string{"TRIAGEM_LANG": "en"},
			[]string{`unknown command "valdate" for "triagem rules"`, "Did you mean: validate?"}, "desconhecido"},
		{[]string{"--lang", "en", "token", "zzz"}, nil, []string{`unknown command "zzz" for "triagem token"`}, "Did you mean"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := runApp(t, tt.env, tt.args...)
			if code != exitInput {
				t.Errorf("exit %d, want %d", code, exitInput)
			}
			if stdout != "" {
				t.Errorf("stdout should be empty, got:\n%s", stdout)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if tt.wantNot != "" && strings.Contains(stderr, tt.wantNot) {
				t.Errorf("stderr holds %q:\n%s", tt.wantNot, stderr)
			}
		})
	}
}

func TestAGroupAloneStillShowsItsHelp(t *testing.T) {
	code, stdout, _ := runApp(t, nil, "rules")
	if code != exitOK || !strings.Contains(stdout, "validate") {
		t.Errorf("triagem rules: exit %d\n%s", code, stdout)
	}
}

func TestEscalateTakesAnExistingFileNamedLikeASubcommand(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile(dir+"/verfy", []byte("request: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, stderr := runApp(t, nil, "escalate", "verfy", "--out", "b.zip")
	if strings.Contains(stderr, "desconhecido") {
		t.Errorf("an existing file was taken for a mistyped subcommand:\n%s", stderr)
	}
}

func TestAPanicIsAnInternalErrorWithItsOwnExitCode(t *testing.T) {
	for _, debugOn := range []bool{false, true} {
		var stdout, stderr bytes.Buffer
		env := map[string]string{}
		if debugOn {
			env["TRIAGEM_DEBUG"] = "1"
		}
		a := &app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }}
		root := a.newRootCommand()
		root.AddCommand(&cobra.Command{Use: "boom", RunE: func(*cobra.Command, []string) error {
			var m map[string]int
			m["x"]++ // a nil map: a bug
			return nil
		}})
		code := a.execute(context.Background(), root, []string{"boom"})
		if code != exitInternal {
			t.Errorf("exit %d, want %d", code, exitInternal)
		}
		out := stderr.String()
		if !strings.Contains(out, "erro interno") || !strings.Contains(out, "Informe") {
			t.Errorf("no internal error with a way to report it:\n%s", out)
		}
		if hasStack := strings.Contains(out, "goroutine"); hasStack != debugOn {
			t.Errorf("TRIAGEM_DEBUG=%v, stack shown: %v\n%s", debugOn, hasStack, out)
		}
	}
}

// panickyDirectory is a directory with a bug.
type panickyDirectory struct{}

func (panickyDirectory) Lookup(context.Context, directory.Query) (directory.Result, error) {
	panic("index out of range in a lookup")
}
func (panickyDirectory) Source() string { return "panicky" }

func TestAPanicInABatchWorkerIsCaught(t *testing.T) {
	var stdout, stderr bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }, output: "json", lang: "en"}
	rl, err := a.loadRules()
	if err != nil {
		t.Fatal(err)
	}
	chain := &diagnose.Chain{Rules: rl, Lang: "en", Dir: panickyDirectory{}}
	b := a.newBatch(chain, diagnose.Overrides{}, 2)
	refs := []caseRef{{name: "a", path: "../../testdata/cases/token-expirado.yaml"}, {name: "b", path: "../../testdata/cases/luz-em-dia.yaml"}}
	_, worst, err := b.run(context.Background(), produceRefs(refs))
	if err != nil {
		t.Fatal(err)
	}
	if worst != exitInternal {
		t.Errorf("worst exit %d, want %d", worst, exitInternal)
	}
	if !strings.Contains(stderr.String(), "internal error: index out of range") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, stdout, _ := runApp(t, nil, args...)
		if code != 0 || !strings.HasPrefix(stdout, "triagem ") || !strings.Contains(stdout, "go1.") {
			t.Errorf("%v: exit %d\n%s", args, code, stdout)
		}
	}
	// A lone --version is built without the subcommands: it still reads the settings (the
	// language from the environment, a broken config file) as every other command does.
	badConfig := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(badConfig, []byte("lang: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, env := range []map[string]string{{"TRIAGEM_LANG": "en"}, {"TRIAGEM_LANG": "fr"}, {"TRIAGEM_CONFIG": badConfig}} {
		wantCode, wantOut, wantErr := runApp(t, env, "version")
		code, stdout, stderr := runApp(t, env, "--version")
		if code != wantCode || stdout != wantOut || stderr != wantErr {
			t.Errorf("%v: --version gives %d\n%s%s\nversion gives %d\n%s%s", env, code, stdout, stderr, wantCode, wantOut, wantErr)
		}
	}
	if _, stdout, _ := runApp(t, map[string]string{"TRIAGEM_LANG": "en"}, "--version"); !strings.Contains(stdout, "revision: ") {
		t.Errorf("--version with TRIAGEM_LANG=en is not in English:\n%s", stdout)
	}
	oldV, oldC, oldD := releaseVersion, releaseCommit, releaseDate
	releaseVersion, releaseCommit, releaseDate = "v9.8.7", "0123456789abcdef0123456789abcdef01234567", "2026-12-01T12:00:00Z"
	defer func() { releaseVersion, releaseCommit, releaseDate = oldV, oldC, oldD }()
	_, stdout, _ := runApp(t, nil, "version")
	if !strings.HasPrefix(stdout, "triagem v9.8.7\n") {
		t.Errorf("-X main.releaseVersion is not shown:\n%s", stdout)
	}
	if !strings.Contains(stdout, "revisão: 0123456789abcdef0123456789abcdef01234567 (2026-12-01T12:00:00Z)\n") {
		t.Errorf("-X main.releaseCommit and releaseDate are not shown:\n%s", stdout)
	}
	_, stdout, _ = runApp(t, nil, "version", "-o", "json")
	if !strings.Contains(stdout, `"version":"v9.8.7"`) || !strings.Contains(stdout, `"revision":"0123456789abcdef0123456789abcdef01234567"`) {
		t.Errorf("json:\n%s", stdout)
	}
	// GoReleaser's "none" (it could not read git) is no commit.
	releaseCommit = "none"
	if _, stdout, _ = runApp(t, nil, "version"); strings.Contains(stdout, "none") {
		t.Errorf("the commit \"none\" is shown as a revision:\n%s", stdout)
	}
}

func TestATerminalWaitSaysWhatItWaitsFor(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"token", "inspect"}, "à espera do token"},
		{[]string{"diagnose", "-"}, "à espera do caso"},
		{[]string{"diagnose", "--from-curl", "-"}, "à espera do texto colado"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		a := &app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, stdinTTY: true, getenv: func(string) string { return "" }}
		a.main(context.Background(), tt.args)
		if !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%v on a terminal:\n%s", tt.args, stderr.String())
		}
		// Not on a terminal: a pipe needs no word.
		stderr.Reset()
		a = &app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
		a.main(context.Background(), tt.args)
		if strings.Contains(stderr.String(), "espera") {
			t.Errorf("%v from a pipe says it waits:\n%s", tt.args, stderr.String())
		}
	}
}
