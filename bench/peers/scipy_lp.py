"""Peer: SciPy's solve_ivp with RK45 (Dormand–Prince 5(4)) one trajectory at
a time, on a subset (default 2,000 trajectories) split over two worker
processes; `seconds` is scaled to --trajectories (default 100,000) and
`measured_seconds` is the time of the subset itself.

Usage: python scipy_lp.py [--subset 2000] [--workers 2] ... (see common.py)
"""

import multiprocessing as mp
import os
import sys
import time

import numpy as np
import scipy
from scipy.integrate import solve_ivp

sys.path.insert(0, os.path.dirname(__file__))
import common  # noqa: E402


def vector_field(t, y, p):
    l, pe, z = y
    ratio = pe / p[6]
    return [
        -p[0] * l + p[3] * (pe * (1.0 - ratio * ratio) + p[9]),
        -p[1] * pe + p[4] * (l + p[8] / (1.0 + p[7] * z)),
        -p[2] * z + p[5] * pe,
    ]


def solve_block(job):
    params, t_end, rtol, atol = job
    finals = np.empty((len(params), 3))
    steps = 0
    for k, p in enumerate(params):
        sol = solve_ivp(vector_field, (0.0, t_end), [0.0, 0.0, 0.0], method="RK45",
                        rtol=rtol, atol=atol, args=(p,), t_eval=[t_end])
        if not sol.success:
            raise RuntimeError(f"trajectory {k}: {sol.message}")
        finals[k] = sol.y[:, -1]
        # RK45 evaluates 6 new stages per step after the first call.
        steps += (sol.nfev - 1) // 6
    return finals, steps


def solve(params, t_end, rtol, atol, workers):
    blocks = np.array_split(params, workers * 8)
    jobs = [(b, t_end, rtol, atol) for b in blocks]
    with mp.get_context("fork").Pool(workers) as pool:
        results = pool.map(solve_block, jobs)
    return np.concatenate([r[0] for r in results]), sum(r[1] for r in results)


def main():
    p = common.parser(__doc__)
    p.add_argument("--subset", type=int, default=2000)
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    if args.params:
        finals, _ = solve(common.read_params(args.params), args.t_end, args.rtol, args.atol,
                          args.workers)
        common.write_finals(args.out, finals)
        return
    times = []
    for _ in range(max(args.repeat, 1)):
        start = time.perf_counter()
        params = common.jittered_parameters(args.subset, args.jitter, args.seed)
        finals, steps = solve(params, args.t_end, args.rtol, args.atol, args.workers)
        mean = finals.mean(axis=0)
        times.append(time.perf_counter() - start)
    scale = args.trajectories / args.subset
    common.report("scipy", mean, args.subset, steps, min(times) * scale,
                  [t * scale for t in times], measured_seconds=min(times),
                  measured_trajectories=args.subset, scaled_to=args.trajectories,
                  final_sd=[float(v) for v in finals.std(axis=0, ddof=1)],
                  threads=args.workers, versions={"scipy": scipy.__version__})


if __name__ == "__main__":
    main()
