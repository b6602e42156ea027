#!/usr/bin/env bash
# The API against its OpenAPI document: schemathesis generates requests
# (valid and invalid) for every operation, model ids included (the document
# lists them), and checks every answer (status codes, schemas, no server
# errors, 405 for undeclared methods, ...). Runs `walkaway serve` on a free
# port with a throwaway SQLite file and lower caps on forecast size
# (--max-trajectories, --max-horizon-days; the document says so), so the
# debug build scripts/test.sh makes answers every forecast quickly. Fixed
# seed and example count, pinned version: the same requests each run.
# Part of scripts/test.sh; alone: cargo build -p walkaway && bash tests/api/check.sh
# (WALKAWAY_BIN=path/to/walkaway to check another build; ST_MAX_EXAMPLES to
# send more requests per operation).
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${CARGO_TARGET_DIR:-target}"
venv="$target/schemathesis-venv"
if ! "$venv/bin/st" --version 2>/dev/null | grep -q "4.32.5"; then
  echo "== installing schemathesis 4.32.5 into $venv (once)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/api/requirements.txt
fi
work=$(mktemp -d)
log="$work/serve.log"
"${WALKAWAY_BIN:-$target/debug/walkaway}" serve --addr 127.0.0.1:0 --database "sqlite://$work/api.db" \
  --max-trajectories 200 --max-horizon-days 60 > "$log" 2>&1 &
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
status=0
"$venv/bin/st" --config-file tests/api/schemathesis.toml run "$url/api/openapi.json" --max-examples "${ST_MAX_EXAMPLES:-25}" --seed 1 \
  --no-color --report-dir "$work/report" > "$work/st.log" 2>&1 || status=$?
grep -v "^$" "$work/st.log" | tail -n "${ST_TAIL:-40}"
exit "$status"
