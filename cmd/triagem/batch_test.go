package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeManyCases(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"ticket":"P-%d","error":"x","request":{"method":"GET","url":"https://api-externo.crefazon.com.br/api/v2/enderecos/paises","at":"2026-11-18 10:00"}}`+"\n", i)
	}
	path := filepath.Join(t.TempDir(), "cases.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestProgressOnlyOnATerminal(t *testing.T) {
	path := writeManyCases(t, 150)
	for _, tt := range []struct {
		name     string
		tty      bool
		env      map[string]string
		progress bool
	}{
		{"terminal", true, nil, true},
		{"pipe", false, nil, false},
		{"terminal with NO_PROGRESS", true, map[string]string{"NO_PROGRESS": "1"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			a := &app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, stderrTTY: tt.tty,
				getenv: func(k string) string { return tt.env[k] }}
			a.main(context.Background(), []string{"diagnose", "--jsonl", path, "-o", "json"})
			if got := strings.Contains(stderr.String(), "diagnosticando"); got != tt.progress {
				t.Errorf("progress shown: %v, want %v\nstderr: %q", got, tt.progress, stderr.String())
			}
			if n := strings.Count(stdout.String(), "\n"); n != 150 {
				t.Errorf("%d verdicts on stdout, want 150 (progress must not go there)", n)
			}
			// Verdicts come in input order.
			last := -1
			for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
				var n int
				i := strings.Index(line, `"ticket":"P-`)
				fmt.Sscanf(line[i+len(`"ticket":"P-`):], "%d", &n)
				if n != last+1 {
					t.Fatalf("verdict P-%d after P-%d: out of order", n, last)
				}
				last = n
			}
		})
	}
}

func TestNoProgressForFewCases(t *testing.T) {
	path := writeManyCases(t, 20)
	var stdout, stderr bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, stderrTTY: true,
		getenv: func(string) string { return "" }}
	a.main(context.Background(), []string{"diagnose", "--jsonl", path, "-o", "json"})
	if strings.Contains(stderr.String(), "diagnose") {
		t.Errorf("a progress bar for 20 cases: %q", stderr.String())
	}
}
