#!/usr/bin/env bash
# The measured FP64 peak of one core (docs/performance.md "Fraction of
# peak"): builds bench/peak/peak.c with the system's C compiler and prints
# the best of 5 rounds for each kind of loop the CPU can run. Run it on an
# otherwise idle machine; a second copy per core shows whether the cores
# share their vector units (`PARALLEL=2 bench/peak/run.sh`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${TMPDIR:-/tmp}/walkaway-peak"
cc -O2 -Wall -o "$out" "$here/peak.c"
copies="${PARALLEL:-1}"
for _ in $(seq "$copies"); do
    "$out" "${ITERATIONS:-50000000}" 5 &
done
wait
