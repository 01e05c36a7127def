// Package web is the partners' self-check page: static HTML, CSS and JS (static/) around
// triagem's chain compiled to WebAssembly (cmd/triagem-wasm). Build writes the publishable
// folder; page_test.go drives it in a headless Chromium.
package web

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/base64"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

//go:embed static
var static embed.FS

// WasmPackage is the WebAssembly main the page runs.
const WasmPackage = "github.com/crefazon/triagem/cmd/triagem-wasm"

// Build writes the page into dir: index.html, style.css, page.js, wasm_exec.js (the Go
// toolchain's own loader, copied from GOROOT so that it always matches the compiler) and
// triagem-wasm.js, the module compiled with GOOS=js GOARCH=wasm.
//
// The module travels gzip-compressed and base64-encoded inside a script rather than as a
// .wasm file: the page's Content-Security-Policy says connect-src 'none', which forbids
// fetch() even of the page's own files, and a script is the one way left to bring bytes in.
func Build(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	err := fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := static.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, strings.TrimPrefix(p, "static/")), b, 0o644)
	})
	if err != nil {
		return err
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %w", err)
	}
	loader, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return fmt.Errorf("the Go toolchain's wasm_exec.js: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "wasm_exec.js"), loader, 0o644); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "triagem-wasm-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	wasmPath := filepath.Join(tmp, "triagem.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasmPath, WasmPackage)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("GOOS=js GOARCH=wasm go build %s: %v\n%s", WasmPackage, err, out)
	}
	module, err := os.ReadFile(wasmPath)
	if err != nil {
		return err
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(module)
	if err := zw.Close(); err != nil {
		return err
	}
	var js bytes.Buffer
	js.WriteString("// triagem's validation chain, WebAssembly, gzip, base64. Built by scripts/build-page.sh.\n")
	js.WriteString("globalThis.TRIAGEM_WASM_GZ = \"")
	js.WriteString(base64.StdEncoding.EncodeToString(gz.Bytes()))
	js.WriteString("\";\n")
	return os.WriteFile(filepath.Join(dir, "triagem-wasm.js"), js.Bytes(), 0o644)
}
