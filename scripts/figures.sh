#!/usr/bin/env bash
# Regenerates the figures in docs/figures/ shown in README.md ("Pictures").
# Deterministic: fixed seeds, and the text is set in the bundled font, so a
# rerun gives the same pictures. About a minute on two cores after the build.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet --locked -p walkaway
bin="${CARGO_TARGET_DIR:-target}/debug/walkaway"
out=docs/figures
mkdir -p "$out"

# The forecast's fan: median and 10–90% of 5,000 simulated futures.
"$bin" plot forecast --trajectories 5000 --seed 1 --out "$out/forecast-fan.png"

# Rhett and Scarlett: direction field, null clines, equilibria, basins.
"$bin" plot phase gone-with-the-wind --basins --out "$out/gone-with-the-wind-phase.png"

# Chance of being together at the end: length of the separation against contact while
# apart, deciding at the end (500 futures per cell, the same in every cell).
"$bin" sweep --x separation.length=0:120:13 --y separation.contact=0:1:11 \
  --set separation.after=decide --trajectories 500 --seed 1 \
  --out "$out/sweep-length-contact.csv" --plot "$out/sweep-length-contact.png"

# Laura and Petrarch: 21 years of the slow–fast cycle from the first meeting.
"$bin" plot run laura-petrarch --t-end 21 --out "$out/laura-petrarch.png"

# Gone with the Wind: a lopsided state is lost in a fold as Scarlett's appeal grows.
"$bin" plot bifurcation gone-with-the-wind --param appeal_scarlett=0.5:3 \
  --out "$out/gone-with-the-wind-bifurcation.png"

echo "figures written to $out/"
