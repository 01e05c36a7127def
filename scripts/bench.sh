#!/usr/bin/env bash
# Runs each speed figure of the README beside its baseline, in one run, and prints the ratios
# (scripts/runcmp: medians of wall and CPU time, peak memory). Ratios, not absolute times,
# are what to compare across machines: a loaded machine slows both sides.
#
#   scripts/bench.sh               # start-up, batch of 100,000 varied cases, 1M+1M snapshot (JSON, YAML)
#   CASES=20000 ROUNDS=3 scripts/bench.sh batch
#   scripts/bench.sh startup directory
#   BUNDLE_MB="1 10" BUNDLE_ROUNDS=5 scripts/bench.sh bundle
#   DIRCASES=10000 scripts/bench.sh dirservice
#   JOURNAL_EVENTS=3000 JOURNAL_ROUNDS=200 scripts/bench.sh journal
#
# Sections: startup, batch, directory, dirservice, bundle, journal (all by default). Needs Go; jq for
# the batch's baseline, gzip for the bundle's.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A diagnosis of a case with a ticket, and every escalation, is journaled: into a throwaway
# journal, never the user's own (and what is timed includes journaling, as a user sees it).
export TRIAGEM_JOURNAL="$work/journal.db"
cases=${CASES:-100000}
rounds=${ROUNDS:-1}
sections=${*:-startup batch directory dirservice bundle journal}

# triagem is built as a release is (.goreleaser.yaml): without cgo, so a static binary that
# starts without the system's dynamic loader, as the hello-world baseline does.
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/triagem" ./cmd/triagem
go build -o "$work/runcmp" ./scripts/runcmp
go build -o "$work/gen" ./scripts/gen
go build -o "$work/floor" ./scripts/floor
t=$work/triagem
run() { "$work/runcmp" "$@"; echo; }

for s in $sections; do
  case $s in
  startup)
    mkdir -p "$work/hello"
    printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n' >"$work/hello/main.go"
    printf 'module hello\n\ngo 1.26\n' >"$work/hello/go.mod"
    (cd "$work/hello" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o hello .)
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
    echo "   (floor: the file read once and each key entry found, nothing parsed, the least any index"
    echo "   costs; --no-cache: the whole file read and scanned; first: the index built; later: from the index)"
    rows=("cat big.json" "$work/floor big.json")
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
  bundle)
    # A case whose payload is a list of proposal records of about 1 MB and 10 MB, each record
    # with a CPF (valid check digits), an e-mail and a phone among amounts and ids: what
    # redaction works hardest on. Written by a throwaway program (Go alone, its own module).
    mkdir -p "$work/mkcase"
    cat >"$work/mkcase/main.go" <<'GO'
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// cpf completes 9 digits with their two check digits.
func cpf(base string) string {
	d := []byte(base)
	for _, n := range []int{9, 10} {
		sum := 0
		for i := 0; i < n; i++ {
			sum += int(d[i]-'0') * (n + 1 - i)
		}
		d = append(d, byte('0'+sum*10%11%10))
	}
	s := string(d)
	return s[:3] + "." + s[3:6] + "." + s[6:9] + "-" + s[9:]
}

func main() {
	size, _ := strconv.Atoi(os.Args[1])
	var b strings.Builder
	b.WriteString(`{"cliente": {"cpf": "529.982.247-25", "nome": "Maria das Dores", "nascimento": "1985-03-12"}, "profissional": {"ocupacaoId": 3}, "contato": {"telefone": "(11) 98765-4321"}, "endereco": {"cidadeId": 5270}, "operacao": {"urlNotificacao": "https://parceiro.example.com.br/webhooks/crefazon"}, "historico": [`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id": %d, "cpf": %q, "email": "cliente%d@example.com.br", "telefone": "(11) 9%04d-%04d", "valor": %d.50, "obs": "parcela %d de 24"}`,
			i, cpf(fmt.Sprintf("%09d", 100000000+i*7919)), i, i%10000, (i*31)%10000, 1000+i, i%24)
	}
	b.WriteString("]}")
	body := b.String()
	c := map[string]any{
		"ticket": "SUP-4830", "partner": "Corban Alfa", "error": "Nao foi possivel realizar operacao.",
		"request": map[string]any{
			"method": "POST", "url": "https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise",
			"at":      "2026-11-18T14:05:00-03:00",
			"headers": map[string]string{"Authorization": "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3OTUwNDUyMDAsImlhdCI6MTc5NTAwMjAwMCwiaXNzIjoiY3JlZmF6b24tYXBpLXBhcmNlaXJvIiwibmJmIjoxNzk1MDAyMDAwLCJ1bmlxdWVfbmFtZSI6ImFsZmEubWFyaWEifQ.OLYE5TxOy6ZkjJzsK9fq03xO0Sawoqshm55ZxvXeeII"},
			"body":    json.RawMessage(body),
		},
		"response":    map[string]any{"status": 400, "body": `{"success": false, "data": null, "errors": ["Nao foi possivel realizar operacao."]}`},
		"credentials": map[string]string{"api_key": "hml-alfa-4b9e2c7a1d83f605", "user": "alfa.maria"},
	}
	out, err := json.Marshal(c)
	if err == nil {
		err = os.WriteFile(os.Args[2], []byte(body), 0o644)
	}
	if err == nil {
		err = os.WriteFile(os.Args[3], out, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
GO
    printf 'module mkcase\n\ngo 1.26\n' >"$work/mkcase/go.mod"
    (cd "$work/mkcase" && go build -o mkcase .)
    for mb in ${BUNDLE_MB:-1 10}; do
      "$work/mkcase/mkcase" $((mb << 20)) "$work/payload$mb.json" "$work/case$mb.json"
      echo "== bundle: escalate a case with a $mb MB payload, beside gzip -9 of the payload"
      run -n "${BUNDLE_ROUNDS:-5}" "gzip -9 -c $work/payload$mb.json" \
        "$t escalate $work/case$mb.json --directory $repo/testdata/directory.yaml --out $work/bundle$mb.zip"
      "$t" escalate verify "$work/bundle$mb.zip" >/dev/null
      echo "   payload $(wc -c <"$work/payload$mb.json") bytes, bundle $(wc -c <"$work/bundle$mb.zip") bytes (escalate verify: ok)"
      echo
    done
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
  journal)
    # One diagnosis with and without the journal, as whole processes, into a journal that
    # already holds JOURNAL_EVENTS varied events. Each run is dated a moment of its own
    # (TRIAGEM_NOW), as a team's diagnoses are spread over days: the incident rule then counts
    # what a window of a real journal holds, not hundreds of the same failure at one instant.
    ev=${JOURNAL_EVENTS:-3000}
    "$work/gen" -testdata testdata -n "$ev" -keys 500 -users 500 \
      -cases "$work/jcases.jsonl" -snapshot "$work/jdir.json"
    "$t" diagnose --jsonl "$work/jcases.jsonl" --directory "$work/jdir.json" \
      --journal "$work/history.db" -o json >/dev/null 2>&1 || true
    for m in no-journal journal; do
      flag="--no-journal"
      if [[ $m == journal ]]; then flag="--journal $work/history.db"; fi
      cat >"$work/$m.sh" <<EOS
n=\$(( \$(date +%s%N) / 1000 % 100000000 ))
TRIAGEM_NOW=\$(date -u -d "@\$(( 1700000000 + n ))" +%Y-%m-%dT%H:%M:%SZ) exec $t diagnose $repo/testdata/cases/token-expirado.yaml --directory $repo/testdata/directory.yaml $flag
EOS
    done
    echo "== journal: one diagnosis without and with the journal ($ev events already in it)"
    (cd "$work" && "$work/runcmp" -n "${JOURNAL_ROUNDS:-200}" "sh no-journal.sh" "sh journal.sh")
    echo
    ;;
  *)
    echo "bench.sh: unknown section $s (startup, batch, directory, dirservice, bundle, journal)" >&2
    exit 2
    ;;
  esac
done
