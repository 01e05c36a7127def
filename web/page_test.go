package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crefazon/triagem/internal/browsertest"

	// The page's chain, built by Build in a subprocess that go test's cache cannot see:
	// imported so that a change to the chain reruns this test.
	_ "github.com/crefazon/triagem/internal/selfcheck"
)

// fixture is one bundled paste, with how the CLI is told to read it.
type fixture struct {
	path    string
	kind    string // the page's kind ("" detects) ...
	cliFlag string // ... and the CLI's flag ("": a case file, diagnose's argument)
	at      string
	entry   int
	lang    string
}

func fixtures(t *testing.T) []fixture {
	var fs []fixture
	for _, pattern := range []string{"curl/*.sh", "curl/*.cmd"} {
		m, _ := filepath.Glob("../testdata/" + pattern)
		for _, p := range m {
			fs = append(fs, fixture{path: p, cliFlag: "--from-curl"})
		}
	}
	m, _ := filepath.Glob("../testdata/powershell/*.ps1")
	for _, p := range m {
		fs = append(fs, fixture{path: p, cliFlag: "--from-powershell"})
	}
	m, _ = filepath.Glob("../testdata/har/*.har")
	for _, p := range m {
		fs = append(fs, fixture{path: p, kind: "har", cliFlag: "--from-har"})
	}
	m, _ = filepath.Glob("../testdata/cases/*.yaml")
	for _, p := range m {
		fs = append(fs, fixture{path: p, kind: "case"})
	}
	// A case whose error message repeats the key and the customer's CPF: the page masks both.
	leaky := filepath.Join(t.TempDir(), "erro-com-dados.yaml")
	sample, err := os.ReadFile("../testdata/cases/sem-causa-aparente.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sample = append(sample, "error: \"chave hml-alfa-4b9e2c7a1d83f605 recusada para o CPF 529.982.247-25, telefone (11) 98765-4321\"\n"...)
	if err := os.WriteFile(leaky, sample, 0o644); err != nil {
		t.Fatal(err)
	}
	fs = append(fs, fixture{path: leaky, kind: "case"})
	if len(fs) < 5 {
		t.Fatalf("only %d bundled fixtures found under ../testdata", len(fs))
	}
	// A time given besides the paste, an entry chosen in a HAR of two failures, and English.
	fs = append(fs,
		fixture{path: "../testdata/curl/pre-analise.sh", cliFlag: "--from-curl", at: "20/11/2026 23:30"},
		fixture{path: "../testdata/curl/pre-analise.sh", cliFlag: "--from-curl", at: "2026-11-17 10:00", lang: "en"},
		fixture{path: "../testdata/har/firefox-two-failures.har", kind: "har", cliFlag: "--from-har", entry: 2},
	)
	return fs
}

// cliCategory is what `triagem diagnose` says of the same input: its verdict's category, or
// "" when it refuses the input (exit 2).
func cliCategory(t *testing.T, bin string, f fixture) string {
	t.Helper()
	var args []string
	switch f.cliFlag {
	case "":
		args = []string{"diagnose", f.path, "-o", "json"}
	case "--from-har":
		args = []string{"diagnose", f.cliFlag, f.path, "-o", "json"}
	default:
		args = []string{"diagnose", f.cliFlag, "@" + f.path, "-o", "json"}
	}
	if f.at != "" {
		args = append(args, "--at", f.at)
	}
	if f.entry != 0 {
		args = append(args, "--entry", fmt.Sprint(f.entry))
	}
	cmd := exec.Command(bin, args...)
	// No directory, as in the browser, and no config file of this machine's user.
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "TRIAGEM_DIRECTORY=", "NO_COLOR=1", "HOME="+home, "XDG_CONFIG_HOME="+home)
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 2 && len(out) == 0 {
		return ""
	}
	var v struct{ Category string }
	if jerr := json.Unmarshal(out, &v); jerr != nil || v.Category == "" {
		t.Fatalf("triagem %s: %v %v\n%s", strings.Join(args, " "), err, jerr, out)
	}
	return v.Category
}

var secretPatterns = []*regexp.Regexp{
	regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.(eyJ[A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{10,})`), // a JWT: its claims and signature
	regexp.MustCompile(`\b((?:hml|prd)-[a-z0-9]+-[0-9a-f]{8,})\b`),                     // an API key
	regexp.MustCompile(`\b(\d{3}\.\d{3}\.\d{3}-\d{2})\b`),                              // a CPF
	regexp.MustCompile(`"(?:password|senha)"\s*:\s*"([^"]{4,})"`),                      // a password
}

// secrets lists what the page must never show of a fixture.
func secrets(text string) []string {
	var out []string
	for _, re := range secretPatterns {
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			out = append(out, m[1:]...)
		}
	}
	return out
}

var buildOnce struct {
	sync.Once
	dir, cli string
	err      error
}

// built builds the page and the CLI once for the package's tests.
func built(t *testing.T) (pageDir, cli string) {
	buildOnce.Do(func() {
		tmp, err := os.MkdirTemp("", "triagem-page-test-")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.dir = filepath.Join(tmp, "page")
		if buildOnce.err = Build(buildOnce.dir); buildOnce.err != nil {
			return
		}
		buildOnce.cli = filepath.Join(tmp, "triagem")
		out, err := exec.Command("go", "build", "-o", buildOnce.cli, "github.com/crefazon/triagem/cmd/triagem").CombinedOutput()
		if err != nil {
			buildOnce.err = fmt.Errorf("go build triagem: %v\n%s", err, out)
		}
	})
	if buildOnce.err != nil {
		t.Fatal(buildOnce.err)
	}
	return buildOnce.dir, buildOnce.cli
}

// compressedSize is what a browser downloads of the page's folder, gzip-compressed.
func compressedSize(t *testing.T, dir string) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		total += buf.Len()
	}
	return total
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildOnce.dir != "" {
		os.RemoveAll(filepath.Dir(buildOnce.dir))
	}
	os.Exit(code)
}

// The page, in a real browser, reaches the CLI's verdict on every bundled paste, shows none
// of its secrets, and asks the network for nothing but its own files.
func TestPageInChromium(t *testing.T) {
	tab := browsertest.Open(t, "the self-check page")
	dir, cli := built(t)
	if size := compressedSize(t, dir); size > 8<<20 {
		t.Errorf("the page and module weigh %d bytes compressed: the budget is 8 MiB", size)
	} else {
		t.Logf("page and module: %d bytes compressed (gzip -9)", size)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir))) // listens on 127.0.0.1
	defer srv.Close()

	ctx := tab.Ctx
	requested := tab.Requests
	attr := func(sel, name string) string {
		r, err := chromedp.Run(ctx, chromedp.AttributeValue(sel, name))
		if err != nil {
			t.Fatalf("%s[%s]: %v", sel, name, err)
		}
		return r.Value
	}

	start := time.Now()
	var err error
	readyCtx, cancelReady := context.WithTimeout(ctx, time.Minute)
	err = chromedp.Do(readyCtx,
		chromedp.Navigate(srv.URL+"/index.html"),
		chromedp.WaitVisible(`#status[data-state=ready]`),
	)
	cancelReady()
	if err != nil {
		status, _ := chromedp.Run(ctx, chromedp.Text(`#status`))
		t.Fatalf("the page did not get ready: %v (status: %q)", err, status)
	}
	t.Logf("page ready %v after navigation (module decoded and started in %s ms)", time.Since(start).Round(time.Millisecond), attr(`#status`, "data-ms"))
	afterLoad := len(requested())
	csp, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? ""`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"default-src 'self'", "connect-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("the page's Content-Security-Policy %q lacks %s", csp, want)
		}
	}
	for _, u := range requested() {
		if !strings.HasPrefix(u, srv.URL+"/") {
			t.Errorf("the page requested %s: only its own files (%s) may be", u, srv.URL)
		}
	}

	for i, f := range fixtures(t) {
		name := fmt.Sprintf("%s at=%q entry=%d lang=%s", filepath.Base(f.path), f.at, f.entry, f.lang)
		t.Run(name, func(t *testing.T) {
			text, err := os.ReadFile(f.path)
			if err != nil {
				t.Fatal(err)
			}
			want := cliCategory(t, cli, f)
			lang := "pt-BR"
			if f.lang == "en" {
				lang = "en"
			}
			entry := ""
			if f.entry != 0 {
				entry = fmt.Sprint(f.entry)
			}
			// The form is filled by script: SetValue refuses empty values, and the paste is long.
			form, _ := json.Marshal(map[string]string{"kind": f.kind, "at": f.at, "entry": entry, "paste": string(text)})
			fill := `(() => { const v = ` + string(form) + `;
				for (const id in v) document.getElementById(id).value = v[id];
				document.getElementById("result").dataset.ms = "";
				return true })()`
			_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](fill))
			if err == nil {
				err = chromedp.Do(ctx,
					chromedp.Click(`input[name=lang][value="`+lang+`"]`),
					chromedp.Click(`#run`),
					chromedp.WaitNotPresent(`#result[data-ms=""]`),
				)
			}
			if err != nil {
				t.Fatal(err)
			}
			category, ms := attr(`#result`, "data-category"), attr(`#result`, "data-ms")
			errText, err := chromedp.Run(ctx, chromedp.TextContent(`#error`))
			if err != nil {
				t.Fatal(err)
			}
			shown, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText + "\n" + document.getElementById("ticket").textContent`))
			if err != nil {
				t.Fatal(err)
			}
			if category != want {
				t.Errorf("the page says %q (error %q), triagem diagnose says %q", category, errText, want)
			}
			if want == "" && errText == "" {
				t.Error("the CLI refuses this input but the page shows no error")
			}
			for _, s := range secrets(string(text)) {
				if strings.Contains(shown, s) {
					t.Errorf("the page shows a secret of the input: %.12s…", s)
				}
			}
			if i == 0 {
				t.Logf("first verdict computed in %s ms", ms)
				if n, _ := strconv.Atoi(ms); n > 2000 {
					t.Errorf("the first verdict took %s ms after load: the budget is 2 s", ms)
				}
			}
		})
	}

	if n := requested(); len(n) != afterLoad {
		t.Errorf("the page made %d requests after loading: %v", len(n)-afterLoad, n[afterLoad:])
	}

	// Narrow screens: nothing wider than a phone's 360 px, and every control labelled.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 800)); err != nil {
		t.Fatal(err)
	}
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if overflow {
		t.Error("at 360 px wide the page scrolls sideways")
	}
	unlabelled, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("textarea, select, input:not([type=radio])")].filter(e => !e.labels || !e.labels.length).length`))
	if err != nil {
		t.Fatal(err)
	}
	if unlabelled != 0 {
		t.Errorf("%d form controls have no label", unlabelled)
	}
	if p := os.Getenv("TRIAGEM_PAGE_SCREENSHOT"); p != "" {
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot at 360 px: %s", p)
	}
}
