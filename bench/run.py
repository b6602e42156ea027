"""Runs the ensemble benchmark end to end and prints the table.

Work, identical for every program: Laura–Petrarch (Rinaldi 1998), each of
the 10 parameters times (1 + F*U(-1, 1)) with F = 0.1, 100,000 trajectories,
t from 0 to 20 years from (0, 0, 0), Dormand–Prince 5(4) at rtol 1e-6 and
atol 1e-9, final state per trajectory reduced to the mean final state.

Accuracy: every program integrates the same 1,000 parameter sets (written
once to bench/results/params.csv with numpy's generator, seed 2024) at the
benchmark tolerances; the reference is walkaway's scalar Dormand–Prince at
rtol 1e-13, atol 1e-15, itself checked against SciPy's DOP853 at the same
tolerances on the first sets. Accuracy = mean and max over sets and
components of |final - reference|.

walkaway is timed as shipped: `target/release/walkaway ensemble
laura-petrarch ...` from `cargo build --release` (the README's build), one
process per repetition, its own `seconds` (the ensemble without process
start, like the peers' timings without their compile step); the same binary
with `--kernel portable` gives the row without runtime dispatch.

Usage: bench/run.sh [--trajectories N] [--repeat R] [--scipy-subset M] [--skip PROGRAM ...] [--native]
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results")
PEERS = os.path.join(HERE, "peers")
sys.path.insert(0, PEERS)
import common  # noqa: E402


def sh(cmd, env=None, capture=True):
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    out = subprocess.run(cmd, env=full_env, check=True, text=True,
                         stdout=subprocess.PIPE if capture else None)
    return out.stdout if capture else ""


def build_cli(target_dir, native=False):
    """The walkaway binary built the way the README builds it (`cargo build
    --release`); with native=True also for this CPU only (an extra row)."""
    env = {"CARGO_TARGET_DIR": target_dir}
    if native:
        env["RUSTFLAGS"] = (os.environ.get("RUSTFLAGS", "") + " -C target-cpu=native").strip()
    sh(["cargo", "build", "--quiet", "--release", "--locked", "-p", "walkaway"], env=env, capture=False)
    return os.path.join(target_dir, "release", "walkaway")


def build_example(target_dir):
    """The example binary, for what the CLI does not offer: final states of
    given parameter sets (accuracy) and the scalar reference solver."""
    sh(["cargo", "build", "--quiet", "--release", "--locked", "-p", "walkaway-core",
        "--features", "json", "--example", "ensemble_bench"],
       env={"CARGO_TARGET_DIR": target_dir}, capture=False)
    return os.path.join(target_dir, "release", "examples", "ensemble_bench")


def time_cli(cmd, repeat, env):
    """Runs the CLI `repeat` times, one process each; the row of the fastest
    run (its own `seconds`: the ensemble, without process start), with
    every run's seconds and whole-process wall times."""
    best, runs, walls = None, [], []
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        row = json.loads(sh(cmd, env=env))
        walls.append(time.perf_counter() - start)
        runs.append(row["seconds"])
        if best is None or row["seconds"] < best["seconds"]:
            best = row
    best["all_seconds"] = runs
    best["process_wall_seconds"] = walls
    return best


def work_args(a):
    return ["--jitter", str(a.jitter), "--t-end", str(a.t_end), "--rtol", str(a.rtol),
            "--atol", str(a.atol)]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--trajectories", type=int, default=100_000)
    p.add_argument("--jitter", type=float, default=0.1)
    p.add_argument("--t-end", type=float, default=20.0)
    p.add_argument("--rtol", type=float, default=1e-6)
    p.add_argument("--atol", type=float, default=1e-9)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=int, default=3, help="timed repetitions of the fast programs")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--scipy-subset", type=int, default=2000)
    p.add_argument("--accuracy-sets", type=int, default=1000)
    p.add_argument("--skip", nargs="*", default=[], help="programs to leave out")
    p.add_argument("--native", action="store_true",
                   help="also build with -C target-cpu=native and time it (row walkaway-native)")
    a = p.parse_args()
    os.makedirs(RESULTS, exist_ok=True)
    load_before = " ".join(f"{v:.1f}" for v in os.getloadavg())
    py = sys.executable
    threads_env = {"NUMBA_NUM_THREADS": str(a.threads), "RAYON_NUM_THREADS": str(a.threads)}

    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    cli = build_cli(target)
    example = build_example(target)
    walkaway_rows = {
        # What people run: the default build, the kernel's instruction set
        # chosen at run time (docs/performance.md, "Runtime dispatch").
        "walkaway": [cli, "ensemble", "laura-petrarch"],
        # The same binary held to the x86-64 baseline (SSE2).
        "walkaway-portable": [cli, "ensemble", "laura-petrarch", "--kernel", "portable"],
    }
    if a.native:
        walkaway_rows["walkaway-native"] = [
            build_cli(os.path.join(target, "bench-native"), native=True), "ensemble", "laura-petrarch"]

    # Shared parameter sets and the reference.
    params_csv = os.path.join(RESULTS, "params.csv")
    rng = np.random.default_rng(2024)
    sets = common.NOMINAL * (1.0 + a.jitter * rng.uniform(-1.0, 1.0, size=(a.accuracy_sets, 10)))
    np.savetxt(params_csv, sets, delimiter=",", header=",".join(common.NAMES), comments="", fmt="%.17e")
    ref_csv = os.path.join(RESULTS, "finals_reference.csv")
    sh([example, "laura-petrarch", "--params", params_csv, "--out", ref_csv,
        "--t-end", str(a.t_end), "--rtol", "1e-13", "--atol", "1e-15", "--scalar"])
    reference = np.loadtxt(ref_csv, delimiter=",", skiprows=1, ndmin=2)
    from scipy.integrate import solve_ivp
    from scipy_lp import vector_field
    check = []
    for k in range(5):
        sol = solve_ivp(vector_field, (0.0, a.t_end), [0.0, 0.0, 0.0], method="DOP853",
                        rtol=1e-13, atol=1e-15, args=(sets[k],), t_eval=[a.t_end])
        check.append(np.abs(sol.y[:, -1] - reference[k]).max())
    reference_check = float(max(check))

    def accuracy(csv):
        diff = np.abs(np.loadtxt(csv, delimiter=",", skiprows=1, ndmin=2) - reference)
        return float(diff.mean()), float(diff.max())

    rows = {}
    # walkaway: the accuracy run goes through the example (the CLI takes no
    # parameter file); it runs the same kernel, and every instruction set
    # gives the same bits (`every_kernel_path_gives_the_same_bits`).
    out_csv = os.path.join(RESULTS, "finals_walkaway.csv")
    sh([example, "laura-petrarch", "--params", params_csv, "--out", out_csv] + work_args(a),
       env=threads_env)
    walkaway_accuracy = accuracy(out_csv)
    for name, cmd in walkaway_rows.items():
        if name in a.skip:
            continue
        timed = cmd + work_args(a) + ["--trajectories", str(a.trajectories), "--seed", str(a.seed),
                                      "--threads", str(a.threads), "--format", "json"]
        row = time_cli(timed, a.repeat, threads_env)
        row["accuracy_mean"], row["accuracy_max"] = walkaway_accuracy
        rows[name] = row
        print(json.dumps(row), file=sys.stderr, flush=True)

    peers = {
        "numba": [py, os.path.join(PEERS, "numba_lp.py")],
        "diffrax": [py, os.path.join(PEERS, "diffrax_lp.py")],
        "scipy": [py, os.path.join(PEERS, "scipy_lp.py")],
    }
    for name, cmd in peers.items():
        if name in a.skip:
            continue
        out_csv = os.path.join(RESULTS, f"finals_{name}.csv")
        sh(cmd + ["--params", params_csv, "--out", out_csv] + work_args(a), env=threads_env)
        timed = cmd + work_args(a) + ["--trajectories", str(a.trajectories), "--seed", str(a.seed)]
        if name == "numba":
            timed += ["--repeat", str(a.repeat)]
        elif name == "scipy":
            timed += ["--subset", str(a.scipy_subset), "--workers", str(a.threads)]
        row = json.loads(sh(timed, env=threads_env).strip().splitlines()[-1])
        row["accuracy_mean"], row["accuracy_max"] = accuracy(out_csv)
        rows[name] = row
        print(json.dumps(row), file=sys.stderr, flush=True)

    base = rows["walkaway"]
    lines = [
        f"{a.trajectories:,} trajectories, {a.threads} threads, rtol {a.rtol:g}, atol {a.atol:g}, "
        f"t_end {a.t_end:g}, jitter {a.jitter:g}; {platform.processor() or platform.machine()}, "
        f"{time.strftime('%Y-%m-%d %H:%M')}, load average before {load_before}",
        f"reference: walkaway scalar DP5 at rtol 1e-13, atol 1e-15; max difference to SciPy DOP853 "
        f"(same tolerances, 5 sets) {reference_check:.1e}",
        "",
        "| program | seconds | trajectories/s | time / walkaway | steps per trajectory | "
        "accuracy: mean abs err | max abs err | mean final (L, P, Z) | z vs walkaway |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for name, r in rows.items():
        n_steps = r["trajectories"]
        per_traj = r["steps"] / n_steps if r.get("steps") else float("nan")
        # Two independent Monte Carlo means: z of the largest component gap.
        n_a, n_b = base["trajectories"], r["trajectories"]
        z = max(abs(m - bm) / np.sqrt(s * s / n_b + bs * bs / n_a)
                for m, bm, s, bs in zip(r["final_mean"], base["final_mean"], r["final_sd"], base["final_sd"]))
        label = name
        if name == "scipy":
            label += f" ({r['measured_trajectories']:,} run, scaled)"
        if name == "walkaway":
            label += " (cargo build --release)"
        mean = ", ".join(f"{v:.4f}" for v in r["final_mean"])
        z_text = "—" if name == "walkaway" else f"{z:.1f}"
        lines.append(
            f"| {label} | {r['seconds']:.3f} | {a.trajectories / r['seconds']:,.0f} | "
            f"{r['seconds'] / base['seconds']:.2f}× | {per_traj:.1f} | {r['accuracy_mean']:.2e} | "
            f"{r['accuracy_max']:.2e} | {mean} | {z_text} |")
    table = "\n".join(lines)
    print(table)
    with open(os.path.join(RESULTS, "latest.md"), "w") as f:
        f.write(table + "\n")
    with open(os.path.join(RESULTS, "latest.json"), "w") as f:
        json.dump({"rows": rows, "reference_check": reference_check}, f, indent=1)


if __name__ == "__main__":
    main()
