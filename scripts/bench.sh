#!/usr/bin/env bash
# Runs each speed figure of the README beside its baseline, in one run, and prints the ratios
# (scripts/runcmp: medians of wall and CPU time, peak memory). Ratios, not absolute times,
# are what to compare across machines: a loaded machine slows both sides.
#
#   scripts/bench.sh               # start-up, batch of 100,000 varied cases, 1M+1M snapshot
#   CASES=20000 ROUNDS=3 scripts/bench.sh batch
#   scripts/bench.sh startup directory
#   DIRCASES=10000 scripts/bench.sh dirservice
#
# Sections: startup, batch, directory, dirservice (all by default). Needs Go; jq for the
# batch's baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cases=${CASES:-100000}
rounds=${ROUNDS:-1}
sections=${*:-startup batch directory dirservice}

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
      -cases "$work/few.jsonl" -snapshot "$work/big.json"
    head -1 "$work/few.jsonl" >"$work/case.json"
    echo "== directory: one diagnosis against a ${n}+${n} JSON snapshot, beside reading the file once"
    echo "   (--no-cache: the whole file scanned; first: the index built; later: from the index)"
    d="diagnose $work/case.json --directory $work/big.json -o json"
    printf 'rm -rf "%s/cache"\nXDG_CACHE_HOME="%s/cache" exec %s %s\n' "$work" "$work" "$t" "$d" >"$work/first.sh"
    env XDG_CACHE_HOME="$work/cache" $t $d >/dev/null || true # builds the index; exit 1 is a verdict
    run -n 5 "cat $work/big.json" "$t $d --no-cache" "sh $work/first.sh" "env XDG_CACHE_HOME=$work/cache $t $d"
    ;;
  dirservice)
    n=${DIRCASES:-10000}
    "$work/gen" -testdata testdata -n "$n" -keys "$n" -users "$n" -seed 2 \
      -cases "$work/svc-cases.jsonl" -snapshot "$work/svc-dir.json"
    # The reference server on a free port of this machine (port 0: the system picks one,
    # the server says which), stopped at the end of the section or on exit.
    "$t" directory serve --snapshot "$work/svc-dir.json" --addr 127.0.0.1:0 2>"$work/serve.log" &
    server=$!
    trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
    url=
    for _ in $(seq 100); do
      url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/serve.log" 2>/dev/null || true)
      [ -n "$url" ] && break
      sleep 0.1
    done
    if [ -z "$url" ]; then
      echo "bench.sh: the reference server did not start:" >&2
      cat "$work/serve.log" >&2
      exit 1
    fi
    echo "== dirservice: $n varied cases (every key and user its own), the ${n}+${n} snapshot as a file"
    echo "   beside the same snapshot served by 'triagem directory serve' (empty disk cache each run;"
    echo "   --no-cache: none at all). The server runs on the same machine and shares its CPUs."
    printf 'rm -rf "%s/svc-cache"\nXDG_CACHE_HOME="%s/svc-cache" exec %s diagnose --jsonl %s --directory %s -o json\n' \
      "$work" "$work" "$t" "$work/svc-cases.jsonl" "$url" >"$work/svc.sh"
    env XDG_CACHE_HOME="$work/file-cache" $t diagnose --jsonl "$work/svc-cases.jsonl" --directory "$work/svc-dir.json" -o json >"$work/svc-file.out" 2>/dev/null || true
    sh "$work/svc.sh" >"$work/svc-http.out" 2>/dev/null || true
    if cmp -s "$work/svc-file.out" "$work/svc-http.out"; then
      echo "   verdicts: the same, byte for byte"
    else
      echo "   verdicts: DIFFERENT between the file and the service" >&2
    fi
    run -n "$rounds" \
      "env XDG_CACHE_HOME=$work/file-cache $t diagnose --jsonl $work/svc-cases.jsonl --directory $work/svc-dir.json -o json" \
      "sh $work/svc.sh" \
      "$t diagnose --jsonl $work/svc-cases.jsonl --directory $url -o json --no-cache"
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    ;;
  *)
    echo "bench.sh: unknown section $s (startup, batch, directory, dirservice)" >&2
    exit 2
    ;;
  esac
done
