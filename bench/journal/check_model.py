"""Checks that model.py (numpy) follows the Rust separation dynamics: for
random particles, every day's expected contact attempts, bid and "with
someone new" from model.py against `journal_bench trace` (walkaway-core's
journal/dynamics.rs). Part of bench/journal/run.sh.

Usage: check_model.py JOURNAL_BENCH_BINARY SPEC.json [PARTICLES] [DAYS]
"""

import json
import subprocess
import sys

import numpy as np

import model


def main():
    binary, spec_path = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    days = int(sys.argv[4]) if len(sys.argv) > 4 else 120
    with open(spec_path) as f:
        spec = json.load(f)
    rng = np.random.default_rng(5)
    u = rng.uniform(0.001, 0.999, size=(count, len(spec["traits"]) + 4))
    # Some partners meet someone early, and some of those part again, so
    # that every branch of the dynamics is exercised.
    u[: count // 4, -4] = rng.uniform(0.01, 0.1, size=count // 4)
    u[: count // 8, -2] = rng.uniform(0.01, 0.2, size=count // 8)
    paths = model.Paths(model.Problem(spec, []), u)
    py = [paths.step_day() for _ in range(days)]
    contacts = np.array([d[0] for d in py]).T
    bids = np.array([d[1] for d in py]).T
    new = np.array([d[2] for d in py]).T
    worst = 0.0
    mismatched = []
    for i in range(count):
        out = subprocess.run([binary, "trace", str(days)] + [repr(float(x)) for x in u[i]],
                             check=True, capture_output=True, text=True).stdout
        rust = json.loads(out)
        rc = np.array(rust["expected_contacts"])
        rel = np.max(np.abs(rc - contacts[i]) / (np.abs(rc) + 1e-9))
        worst = max(worst, rel)
        if (rel > 1e-9 or list(bids[i]) != rust["bid"] or list(new[i]) != rust["with_new_partner"]):
            mismatched.append((i, rel))
    met = int(new.any(axis=1).sum())
    parted = int((new[:, :-1] & ~new[:, 1:]).any(axis=1).sum())
    asked = int(bids.any(axis=1).sum())
    print(f"model.py against walkaway-core on {count} particles x {days} days: "
          f"largest relative difference in expected contacts {worst:.1e}; "
          f"{asked} partners bid, {met} met someone, {parted} parted again; "
          f"{len(mismatched)} differ")
    sys.exit(1 if mismatched else 0)


if __name__ == "__main__":
    main()
