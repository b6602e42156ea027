#!/usr/bin/env bash
# Issue 12's long campaign in one command (docs/verification.md has the
# last result):
#   bash scripts/campaign.sh [CASES] [ROUNDS]
# 1. the scenario property tests with CASES generated cases each (default
#    10^6): scenario files, arbitrary text, --set values;
# 2. the API property tests with CASES/1000 cases each (at least 300):
#    simulate and forecast bodies (each case is a request, forecasts too);
# 3. ROUNDS kill -9 rounds against the real server (default 40).
# Any failure stops it with proptest's smallest failing case or the lost
# save.
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-1000000}"
rounds="${2:-40}"
# The CI build (scripts/test.sh's) unless WALKAWAY_PROFILE names another
# cargo profile, e.g. release: quicker per case, but a build of its own.
profile=()
[[ -n "${WALKAWAY_PROFILE:-}" ]] && profile=(--cargo-profile "$WALKAWAY_PROFILE")
api_cases=$(( cases / 1000 > 300 ? cases / 1000 : 300 ))
started=$(date +%s)
# cargo nextest over the whole workspace builds the test binaries exactly
# as scripts/test.sh does, so its build is reused (cargo test -p would
# compile the crates again with other features); cargo test without it.
run() { # TEST_BINARY NAME_REGEX
  if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run "${profile[@]}" --locked --workspace --no-capture \
      -E "binary($1) & test(/$2/)"
  else
    cargo test ${WALKAWAY_PROFILE:+--profile "$WALKAWAY_PROFILE"} --locked --workspace --test "$1" -- --nocapture ${2//|/ }
  fi
}
if (( cases > 0 )); then  # 0: the kill -9 rounds only (scripts/durability.sh)
  echo "== scenario properties: $cases cases each"
  PROPTEST_CASES="$cases" run properties 'scenario_files|any_text|set_values'
  echo "== API properties: $api_cases cases each"
  PROPTEST_CASES="$api_cases" run properties 'model_bodies|forecast_bodies'
fi
echo "== kill -9 durability: $rounds rounds"
WALKAWAY_DURABILITY_ROUNDS="$rounds" run integration durability
echo "== campaign held: 3 scenario properties x $cases cases, 2 API properties x $api_cases cases, $rounds kill -9 rounds, in $(( $(date +%s) - started )) s"
