package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// BenchmarkStartupInProcess is what a command costs after the package inits, in process: the
// command tree, the configuration, the rules when the command uses them. --version uses none.
//
//	go test -run x -bench StartupInProcess -benchmem ./cmd/triagem/
func BenchmarkStartupInProcess(b *testing.B) {
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"version", []string{"--version"}},
		{"diagnose-bundled", []string{"diagnose", "../../testdata/cases/token-expirado.yaml", "--directory", "../../testdata/directory.yaml"}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var stdout, stderr bytes.Buffer
				a := &app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
					getenv: func(string) string { return "" }}
				if code := a.main(context.Background(), tt.args); code > 1 {
					b.Fatalf("exit %d: %s", code, stderr.String())
				}
			}
		})
	}
}
