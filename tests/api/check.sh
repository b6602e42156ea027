#!/usr/bin/env bash
# The API against its OpenAPI document: schemathesis generates requests
# (valid and invalid) for every operation and checks every answer (status
# codes, schemas, no server errors, 405 for undeclared methods, ...). Runs
# the release `walkaway serve` (build it first: cargo build --release -p
# walkaway; a debug build needs over 10 s for the largest forecasts it
# sends) on a free port with a throwaway SQLite file. Fixed seed and example
# count, pinned version: the same requests each run. Not part of
# scripts/test.sh: it takes minutes and needs a release build.
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${CARGO_TARGET_DIR:-target}"
venv="$target/schemathesis-venv"
if ! "$venv/bin/st" --version 2>/dev/null | grep -q "4.32.5"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/api/requirements.txt
fi
work=$(mktemp -d)
log="$work/serve.log"
"${WALKAWAY_BIN:-$target/release/walkaway}" serve --addr 127.0.0.1:0 --database "sqlite://$work/api.db" > "$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
url=""
for _ in $(seq 1 300); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -n 1 || true)
  [[ -n "$url" ]] && break
  sleep 0.1
done
if [[ -z "$url" ]]; then
  echo "walkaway serve did not start:"; cat "$log"; exit 1
fi
"$venv/bin/st" run "$url/api/openapi.json" --checks all --max-examples 40 --seed 1 \
  --no-color --report-dir "$work/report" 2>&1 | grep -v "^$" | tail -n 40
