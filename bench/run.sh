#!/usr/bin/env bash
# The ensemble benchmark: walkaway against numba, diffrax and SciPy on the
# jittered Laura–Petrarch ensemble (docs/performance.md). Creates bench/.venv
# on first use, builds walkaway in release, runs every program in turn and
# prints the table. Options are passed on to bench/run.py (--help lists them).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import numba, jax, diffrax, scipy" 2>/dev/null; then
    "$venv/bin/pip" install --quiet -r "$here/requirements.txt"
fi
exec "$venv/bin/python" "$here/run.py" "$@"
