"""Runs walkaway's journal filter and the `particles` implementation
(ibis_particles.py) on the benchmark problem and the same journal, checks
that their posterior means agree, and times both side by side.

Usage: compare.py JOURNAL_BENCH_BINARY
Environment (defaults in brackets):
  DAYS [90]             days of the journal written by the model (seed 7)
  AGREE_PARTICLES [2000], SEEDS [10]   the agreement check
  PARTICLES [10000], REPEAT [3]        the speed comparison
  SKIP_SPEED=1 / SKIP_AGREEMENT=1      run one part only

Agreement: each implementation runs with SEEDS different seeds. The Monte
Carlo standard error of an implementation's posterior mean is the spread of
its per-seed means over sqrt(SEEDS) (this counts every source of error of
the filter, including the correlation that resampling and moves leave
between particles, which a within-run standard error would miss). Two
means agree when they differ by at most 3 standard errors of the
difference, sqrt(se_walkaway^2 + se_particles^2).

Speed: the two programs run in turn (walkaway, particles, walkaway, ...),
REPEAT times each, on PARTICLES particles and the whole journal; each
reports the seconds of its filter run inside the process (no start-up,
no reading of files; particles after an untimed warm-up run). The ratio is
taken pair by pair and its median reported.

Writes bench/results/journal/{spec.json,journal<DAYS>.csv,compare.json}.
"""

import json
import os
import platform
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "results", "journal")


def run(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def walkaway(binary, journal, n, seed, repeat=1):
    return run([binary, "filter", journal, str(n), str(seed), str(repeat)])


def particles_run(spec, journal, n, seed):
    return run([sys.executable, os.path.join(HERE, "ibis_particles.py"), spec, journal, str(n), str(seed)])


def agreement(binary, spec, journal, truth, n, seeds):
    rust = [walkaway(binary, journal, n, s) for s in range(1, seeds + 1)]
    py = [particles_run(spec, journal, n, s) for s in range(1, seeds + 1)]
    rows = []
    ok = True
    for k in rust[0]["means"]:
        a = [r["means"][k] for r in rust]
        b = [r["means"][k] for r in py]
        ma, mb = statistics.mean(a), statistics.mean(b)
        sa = statistics.stdev(a) / len(a) ** 0.5
        sb = statistics.stdev(b) / len(b) ** 0.5
        se = (sa * sa + sb * sb) ** 0.5
        agree = abs(ma - mb) <= 3.0 * se
        ok &= agree
        rows.append({"quantity": k, "walkaway": ma, "particles": mb, "difference": ma - mb,
                     "se_walkaway": sa, "se_particles": sb, "z": (ma - mb) / se if se > 0 else 0.0,
                     "agree": agree,
                     "sd_walkaway": statistics.mean(r["sds"][k] for r in rust),
                     "sd_particles": statistics.mean(r["sds"][k] for r in py),
                     "truth": truth.get(k)})
    print(f"\nAgreement: {n} particles, {seeds} seeds each, posterior means "
          "(mean over seeds; se = Monte Carlo standard error from the spread over seeds)")
    print(f"{'quantity':28} {'walkaway':>9} {'se':>6} {'particles':>9} {'se':>6} {'z':>6}  "
          f"{'post. sd':>8}  {'truth':>6}  agree")
    for r in rows:
        truth_k = "" if r["truth"] is None else f"{r['truth']:.3f}"
        print(f"{r['quantity']:28} {r['walkaway']:9.4f} {r['se_walkaway']:6.4f} {r['particles']:9.4f} "
              f"{r['se_particles']:6.4f} {r['z']:6.2f}  {r['sd_walkaway']:8.3f}  {truth_k:>6}  "
              f"{'yes' if r['agree'] else 'NO'}")
    return {"particles": n, "seeds": seeds, "rows": rows, "agree": ok,
            "walkaway_runs": rust, "particles_runs": py}


def speed(binary, spec, journal, n, repeat):
    rust, py, ratios, runs = [], [], [], []
    for i in range(repeat):
        # The binary times 3 runs in one process and reports their median
        # (the first run also starts rayon's threads).
        r = walkaway(binary, journal, n, 1 + i, repeat=3)
        p = particles_run(spec, journal, n, 1 + i)
        runs.append({"walkaway": r, "particles": p})
        rust.append(r["seconds"])
        py.append(p["seconds"])
        ratios.append(p["seconds"] / r["seconds"])
        print(f"  pair {i + 1}: walkaway {r['seconds']:.3f} s ({r['resamples']} resamplings), "
              f"particles {p['seconds']:.3f} s, ratio {ratios[-1]:.1f}x", flush=True)
    result = {"particles": n, "repeat": repeat, "seconds_walkaway": rust, "seconds_particles": py,
              "median_walkaway": statistics.median(rust), "median_particles": statistics.median(py),
              "median_ratio": statistics.median(ratios), "min_ratio": min(ratios), "runs": runs}
    print(f"Speed: {n} particles: walkaway median {result['median_walkaway']:.3f} s "
          f"(min {min(rust):.3f}, max {max(rust):.3f}), particles median {result['median_particles']:.3f} s "
          f"(min {min(py):.3f}, max {max(py):.3f}); ratio median {result['median_ratio']:.1f}x "
          f"(min {min(ratios):.1f}x)")
    return result


def main():
    binary = sys.argv[1]
    env = os.environ.get
    days = int(env("DAYS", "90"))
    os.makedirs(OUT, exist_ok=True)
    spec = os.path.join(OUT, "spec.json")
    journal = os.path.join(OUT, f"journal{days}.csv")
    subprocess.run([binary, "spec", spec], check=True)
    truth = run([binary, "simulate", str(days), "7", journal])
    result = {"days": days, "truth": truth, "machine": platform.platform(), "cpus": os.cpu_count()}
    ok = True
    if env("SKIP_AGREEMENT") != "1":
        result["agreement"] = agreement(binary, spec, journal, truth, int(env("AGREE_PARTICLES", "2000")),
                                        int(env("SEEDS", "10")))
        ok = result["agreement"]["agree"]
    if env("SKIP_SPEED") != "1":
        print(f"\nSpeed: {env('PARTICLES', '10000')} particles, {days}-day journal, in turn", flush=True)
        result["speed"] = speed(binary, spec, journal, int(env("PARTICLES", "10000")), int(env("REPEAT", "3")))
    with open(os.path.join(OUT, "compare.json"), "w") as f:
        json.dump(result, f, indent=1)
    if not ok:
        print("\nThe posterior means do NOT agree within Monte Carlo error.")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
