#!/usr/bin/env bash
# The project's one test command (README): format, lints, every test.
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser tests (tests/web, see README): Debian's chromium driven by
# playwright-core from npm. Never `npx playwright install`: browser downloads
# fail on the CI machines.
# PostgreSQL (Debian's server) backs the store's PostgreSQL round trip.
SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
NEED=()
[[ -x /usr/bin/chromium ]] || NEED+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || NEED+=(postgresql)
# The API contract check installs schemathesis into a virtual environment.
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || NEED+=(python3-venv)
if (( ${#NEED[@]} )); then
  echo "== installing ${NEED[*]} (browser and PostgreSQL tests)"
  $SUDO apt-get update && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y "${NEED[@]}"
fi
echo "== npm ci (tests/web)"
(cd tests/web && npm ci --no-audit --no-fund)

# PostgreSQL for the store's optional round trip: a private throwaway
# cluster when Debian's server binaries are installed (apt-get install
# postgresql, done above); otherwise that one test says it did not run.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "${WALKAWAY_TEST_POSTGRES_URL:-}" && -n "$PG_BIN" && -x "$PG_BIN/initdb" ]]; then
  PG_DIR=$(mktemp -d)
  PG_PORT=$((20000 + RANDOM % 20000))
  AS_PG=()
  if [[ $(id -u) -eq 0 ]]; then chown postgres "$PG_DIR"; AS_PG=(runuser -u postgres --); fi
  if "${AS_PG[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust >/dev/null \
    && "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
         -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR" start >/dev/null; then
    export WALKAWAY_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
    trap '"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null; rm -rf "$PG_DIR"' EXIT
    echo "== PostgreSQL test server on port $PG_PORT"
  else
    echo "== could not start a PostgreSQL test server; the PostgreSQL store test will not run"
  fi
fi

echo "== format"
cargo fmt --all --check

echo "== clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== tests"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --locked --no-fail-fast
else
  cargo test --workspace --locked --no-fail-fast
fi

echo "== browser tests (headless chromium against the real walkaway serve)"
cargo build --locked -p walkaway
(cd tests/web && npm test)

echo "== Python package (crates/walkaway-py): maturin develop in dev, then pytest against the CLI"
# The venv lives in the target dir (ignored by git); the extension is built
# in the dev profile that the browser step above used, so it shares its
# compiled crates. Versions are pinned in crates/walkaway-py/requirements.txt.
TARGET_DIR=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)
PY_VENV="$TARGET_DIR/py-venv"
[[ -x "$PY_VENV/bin/python" ]] || python3 -m venv "$PY_VENV"
"$PY_VENV/bin/pip" install --quiet --disable-pip-version-check -r crates/walkaway-py/requirements.txt
VIRTUAL_ENV="$PY_VENV" "$PY_VENV/bin/maturin" develop --locked --quiet -m crates/walkaway-py/Cargo.toml
WALKAWAY_CLI="$TARGET_DIR/debug/walkaway" "$PY_VENV/bin/python" -m pytest -q crates/walkaway-py/tests \
  --doctest-glob=python.md docs/python.md

# About a minute, plus a one-off pip install of schemathesis (pinned) into
# target/schemathesis-venv: the same debug build, with lower forecast caps.
echo "== API contract (schemathesis against the real walkaway serve)"
bash tests/api/check.sh

# Examples are compiled (and linted) by clippy --all-targets above; running
# them here would build the workspace a third time in another profile.
