#!/usr/bin/env bash
# Runs every parser's fuzz target for a while each (60 s by default: FUZZTIME=10s for less).
# Go keeps what it finds under each package's testdata/fuzz/; a crasher there becomes a
# regular test case on the next `go test`.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-60s}
targets=(
  "./intake FuzzParseCurl"
  "./intake FuzzParsePowerShell"
  "./intake FuzzParseHAR"
  "./intake FuzzParseHTTP"
  "./diagnose FuzzParseCase"
  "./diagnose FuzzParseToken"
  "./directory FuzzWalk"
  "./internal/brdoc FuzzFindAll"
  "./evidence FuzzText"
)
for t in "${targets[@]}"; do
  read -r pkg name <<<"$t"
  echo "--- $name ($pkg, $fuzztime)"
  go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime 2s
done
