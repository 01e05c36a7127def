#!/usr/bin/env bash
# Runs each speed figure of the README beside its baseline, in one run, and prints the ratios
# (scripts/runcmp: medians of wall and CPU time, peak memory). Ratios, not absolute times,
# are what to compare across machines: a loaded machine slows both sides.
#
#   scripts/bench.sh               # start-up, batch of 100,000 varied cases, 1M+1M snapshot (JSON, YAML)
#   CASES=20000 ROUNDS=3 scripts/bench.sh batch
#   scripts/bench.sh startup directory
#
# Sections: startup, batch, directory (all by default). Needs Go; jq for the batch's baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cases=${CASES:-100000}
rounds=${ROUNDS:-1}
sections=${*:-startup batch directory}

go build -o "$work/triagem" ./cmd/triagem
go build -o "$work/runcmp" ./scripts/runcmp
go build -o "$work/gen" ./scripts/gen
t=$work/triagem
run() { "$work/runcmp" "$@"; echo; }

for s in $sections; do
  case $s in
  startup)
    mkdir -p "$work/hello"
    printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n' >"$work/hello/main.go"
    printf 'module hello\n\ngo 1.26\n' >"$work/hello/go.mod"
    (cd "$work/hello" && go build -o hello .)
    echo "== start-up: a hello-world Go binary, triagem --version, one diagnosis with the bundled directory"
    run -n 40 "$work/hello/hello" "$t --version" \
      "$t diagnose $repo/testdata/cases/token-expirado.yaml --directory $repo/testdata/directory.yaml"
    ;;
  batch)
    "$work/gen" -testdata testdata -n "$cases" -keys "$cases" -users "$cases" \
      -cases "$work/cases.jsonl" -snapshot "$work/dir.json"
    echo "== batch: $cases varied cases (JSON Lines) against a ${cases}+${cases} snapshot, JSON verdicts"
    baseline=()
    if command -v jq >/dev/null; then baseline=("jq -c . $work/cases.jsonl"); fi
    run -n "$rounds" "${baseline[@]}" \
      "$t diagnose --jsonl $work/cases.jsonl --directory $work/dir.json -o json" \
      "env GOMAXPROCS=1 $t diagnose --jsonl $work/cases.jsonl --directory $work/dir.json -o json"
    ;;
  directory)
    n=${SNAPSHOT:-1000000}
    "$work/gen" -testdata testdata -n 13 -keys "$n" -users "$n" \
      -cases "$work/few.jsonl" -snapshot "$work/big.json" -yaml "$work/big.yaml"
    head -1 "$work/few.jsonl" >"$work/case.json"
    echo "== directory: one diagnosis against a ${n}+${n} snapshot, JSON and YAML, beside reading the file once"
    echo "   (--no-cache: the whole file read and scanned; first: the index built; later: from the index)"
    rows=("cat big.json")
    for f in json yaml; do # one small script a row, so that runcmp's labels say which
      d="diagnose $work/case.json --directory $work/big.$f -o json"
      printf 'exec %s %s --no-cache\n' "$t" "$d" >"$work/$f-no-cache.sh"
      printf 'rm -rf "%s/cache-%s"\nXDG_CACHE_HOME="%s/cache-%s" exec %s %s\n' "$work" "$f" "$work" "$f" "$t" "$d" >"$work/$f-first.sh"
      printf 'XDG_CACHE_HOME="%s/cache-%s" exec %s %s\n' "$work" "$f" "$t" "$d" >"$work/$f-later.sh"
      sh "$work/$f-first.sh" >/dev/null || true # builds the index; exit 1 is a verdict
      rows+=("sh $f-no-cache.sh" "sh $f-first.sh" "sh $f-later.sh")
    done
    ls -l "$work/big.json" "$work/big.yaml" | awk '{print "   " $5 " bytes  " $NF}'
    (cd "$work" && "$work/runcmp" -n 5 "${rows[@]}")
    echo
    ;;
  *)
    echo "bench.sh: unknown section $s (startup, batch, directory)" >&2
    exit 2
    ;;
  esac
done
