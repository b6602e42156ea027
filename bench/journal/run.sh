#!/usr/bin/env bash
# The journal benchmark (docs/performance.md "Journal filter",
# docs/journal.md "Agreement with an independent implementation"):
# walkaway's particle filter against the same filter written with the
# `particles` library, on the same problem and the same 90-day journal
# written by the model. First checks that bench/journal/model.py follows the
# Rust dynamics day by day, then that the posterior means agree within
# Monte Carlo error, then times both in turn. Creates bench/journal/.venv on
# first use. Settings (environment): see bench/journal/compare.py.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import particles, scipy" 2>/dev/null; then
    "$venv/bin/pip" install --quiet -r "$here/requirements.txt"
fi
target="${CARGO_TARGET_DIR:-$root/target}"
(cd "$root" && cargo build --quiet --release --locked -p walkaway-core --example journal_bench)
binary="$target/release/examples/journal_bench"
mkdir -p "$here/../results/journal"
"$binary" spec "$here/../results/journal/spec.json"
(cd "$here" && "$venv/bin/python" check_model.py "$binary" "$here/../results/journal/spec.json")
cd "$here"
exec "$venv/bin/python" compare.py "$binary"
