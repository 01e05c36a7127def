package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWebServesThePageWithItsPolicy(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html><title>x</title>"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(pageHandler(dir))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Security-Policy"), "connect-src 'none'") ||
		res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("status %d, headers %v", res.StatusCode, res.Header)
	}
	if res, err := http.Get(srv.URL + "/../../etc/passwd"); err == nil {
		res.Body.Close()
		if res.StatusCode == 200 {
			t.Error("a path outside the folder was served")
		}
	}
}

func TestWebRefusesAFolderWithoutAPage(t *testing.T) {
	code, stdout, stderr := runApp(t, nil, "web", "--dir", t.TempDir(), "--addr", "127.0.0.1:0")
	if code != exitInput || stdout != "" || !strings.Contains(stderr, "scripts/build-page.sh") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
