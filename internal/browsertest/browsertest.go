// Package browsertest starts Debian's headless chromium for the tests of triagem's pages (the
// partners' self-check page, the review report), one way for all of them: where the browser
// is, when a missing one fails or skips, the flags it runs with, and the record of every
// request a page makes. Only tests import it.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Path is where Debian's chromium package installs the browser (.ci/run installs it).
const Path = "/usr/bin/chromium"

// Tab is a headless chromium tab, closed when the test ends.
type Tab struct {
	Ctx      context.Context
	mu       sync.Mutex
	requests []string
}

// Open finds the browser and opens a tab; what names the page under test in the messages.
// In CI (CI set) a missing browser fails the test; on a developer's fresh machine, where the
// README's `go test ./...` must pass with Go alone, the test is skipped, saying how to run it.
// TRIAGEM_SKIP_BROWSER=1 skips it anywhere.
func Open(t testing.TB, what string) *Tab {
	t.Helper()
	if os.Getenv("TRIAGEM_SKIP_BROWSER") == "1" {
		t.Skipf("TRIAGEM_SKIP_BROWSER=1: %s is not tested in a browser", what)
	}
	if _, err := os.Stat(Path); err != nil {
		msg := fmt.Sprintf("the test of %s needs Debian's chromium at %s (apt-get install -y chromium): %v", what, Path, err)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(Path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1000, 900),
	)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelA() })
	tab := &Tab{Ctx: ctx}
	// Network events are on in a chromedp tab: every request a page makes is seen here.
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			tab.mu.Lock()
			tab.requests = append(tab.requests, e.Request.URL)
			tab.mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return tab
}

// Requests lists the URLs the tab's pages have requested so far, in order.
func (tab *Tab) Requests() []string {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	return append([]string(nil), tab.requests...)
}
