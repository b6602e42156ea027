#!/usr/bin/env bash
# The project's one test command (README): format, lints, every test.
set -euo pipefail
cd "$(dirname "$0")/.."

# Hook: browser tests (web/ and tests/web/) will need their dependencies
# installed here before the test run, e.g. chromium + chromium-driver from
# apt and playwright-core from npm (never `npx playwright install`: browser
# downloads fail on the CI machines). Nothing to install yet.

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

# Examples are compiled (and linted) by clippy --all-targets above; running
# them here would build the workspace a third time in another profile.
