#!/usr/bin/env bash
# Regenerates the README's screens from the real binary at 80 columns: the ``` block right
# after a line "<!-- screen: COMMAND -->" is replaced by what COMMAND prints (stdout and
# stderr), COMMAND being a shell command line that calls triagem.
#   scripts/readme-screens.sh && git diff README.md
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/triagem" ./cmd/triagem
export PATH="$bin:$PATH" COLUMNS=80 NO_COLOR=1 TRIAGEM_CONFIG=/nonexistent/config.yaml
awk '
  /^<!-- screen: .* -->$/ {
    print
    cmd = $0
    sub(/^<!-- screen: /, "", cmd)
    sub(/ -->$/, "", cmd)
    pending = 1
    next
  }
  pending && /^```/ {
    print
    full = "(" cmd ") 2>&1"
    while ((full | getline line) > 0) print line
    close(full)
    pending = 0
    skipping = 1
    next
  }
  skipping {
    if (/^```/) { print; skipping = 0 }
    next
  }
  { print }
' README.md > "$bin/README.md"
mv "$bin/README.md" README.md
