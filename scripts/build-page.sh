#!/usr/bin/env bash
# Builds the partners' self-check page into a folder for any static web server:
#   scripts/build-page.sh [DIR]      (default: dist/page)
# The folder holds index.html, style.css, page.js, the Go toolchain's wasm_exec.js and
# triagem-wasm.js (the chain compiled with GOOS=js GOARCH=wasm, gzip + base64).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist/page}
go run ./web/buildpage "$out"
echo "page built in $out:"
ls -l "$out"
echo "compressed (gzip -9) size of what a browser downloads: $(cat "$out"/* | gzip -9 | wc -c) bytes"
