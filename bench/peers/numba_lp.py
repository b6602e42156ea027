"""Peer: a hand-written Dormand–Prince 5(4) loop in numba, parallel over
trajectories with prange. Same tableau, error norm (Hairer's RMS norm with
scale atol + rtol*max(|y0|, |y1|)), PI controller and starting-step rule as
walkaway's solver, written the way a careful numba user would: scalar locals,
no allocation inside the loop, fastmath off (walkaway does not reassociate
either).

Usage: python numba_lp.py [--trajectories N] ... (see common.py)
"""

import os
import sys
import time

import numpy as np
from numba import njit, prange, get_num_threads

sys.path.insert(0, os.path.dirname(__file__))
import common  # noqa: E402

A21 = 1.0 / 5.0
A31, A32 = 3.0 / 40.0, 9.0 / 40.0
A41, A42, A43 = 44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0
A51, A52, A53, A54 = 19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0
A61, A62, A63, A64, A65 = 9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0, 49.0 / 176.0, -5103.0 / 18656.0
A71, A73, A74, A75, A76 = 35.0 / 384.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0
E1, E3, E4, E5, E6, E7 = 71.0 / 57600.0, -71.0 / 16695.0, 71.0 / 1920.0, -17253.0 / 339200.0, 22.0 / 525.0, -1.0 / 40.0
SAFETY, FAC_MIN, FAC_MAX, BETA = 0.9, 0.2, 10.0, 0.04
EXPO1 = 0.2 - BETA * 0.75


@njit(inline="always")
def rhs(p, l, pe, z):
    ratio = pe / p[6]
    dl = -p[0] * l + p[3] * (pe * (1.0 - ratio * ratio) + p[9])
    dp = -p[1] * pe + p[4] * (l + p[8] / (1.0 + p[7] * z))
    dz = -p[2] * z + p[5] * pe
    return dl, dp, dz


@njit
def solve_one(p, t_end, rtol, atol):
    l, pe, z = 0.0, 0.0, 0.0
    f0l, f0p, f0z = rhs(p, l, pe, z)
    # Hairer's starting step.
    s0, s1, s2 = atol + rtol * abs(l), atol + rtol * abs(pe), atol + rtol * abs(z)
    dnf = (f0l / s0) ** 2 + (f0p / s1) ** 2 + (f0z / s2) ** 2
    dny = (l / s0) ** 2 + (pe / s1) ** 2 + (z / s2) ** 2
    if dnf <= 1e-10 or dny <= 1e-10:
        h = 1e-6
    else:
        h = np.sqrt(dny / dnf) * 0.01
    h = min(h, t_end)
    g1l, g1p, g1z = rhs(p, l + h * f0l, pe + h * f0p, z + h * f0z)
    der2 = ((g1l - f0l) / s0) ** 2 + ((g1p - f0p) / s1) ** 2 + ((g1z - f0z) / s2) ** 2
    der2 = np.sqrt(der2 / 3.0) / h
    der12 = max(der2, np.sqrt(dnf / 3.0))
    if der12 <= 1e-15:
        h1 = max(h * 1e-3, 1e-6)
    else:
        h1 = (0.01 / der12) ** 0.2
    h = min(100.0 * h, h1, t_end)
    t = 0.0
    err_old = 1e-4
    steps = 0
    rejected = 0
    rejected_before = False
    while t < t_end:
        span = t_end - t
        hs = h
        lands = hs * 1.01 >= span
        if lands:
            hs = span
        k1l, k1p, k1z = f0l, f0p, f0z
        k2l, k2p, k2z = rhs(p, l + hs * A21 * k1l, pe + hs * A21 * k1p, z + hs * A21 * k1z)
        k3l, k3p, k3z = rhs(p, l + hs * (A31 * k1l + A32 * k2l), pe + hs * (A31 * k1p + A32 * k2p),
                            z + hs * (A31 * k1z + A32 * k2z))
        k4l, k4p, k4z = rhs(p, l + hs * (A41 * k1l + A42 * k2l + A43 * k3l),
                            pe + hs * (A41 * k1p + A42 * k2p + A43 * k3p),
                            z + hs * (A41 * k1z + A42 * k2z + A43 * k3z))
        k5l, k5p, k5z = rhs(p, l + hs * (A51 * k1l + A52 * k2l + A53 * k3l + A54 * k4l),
                            pe + hs * (A51 * k1p + A52 * k2p + A53 * k3p + A54 * k4p),
                            z + hs * (A51 * k1z + A52 * k2z + A53 * k3z + A54 * k4z))
        k6l, k6p, k6z = rhs(p, l + hs * (A61 * k1l + A62 * k2l + A63 * k3l + A64 * k4l + A65 * k5l),
                            pe + hs * (A61 * k1p + A62 * k2p + A63 * k3p + A64 * k4p + A65 * k5p),
                            z + hs * (A61 * k1z + A62 * k2z + A63 * k3z + A64 * k4z + A65 * k5z))
        y1l = l + hs * (A71 * k1l + A73 * k3l + A74 * k4l + A75 * k5l + A76 * k6l)
        y1p = pe + hs * (A71 * k1p + A73 * k3p + A74 * k4p + A75 * k5p + A76 * k6p)
        y1z = z + hs * (A71 * k1z + A73 * k3z + A74 * k4z + A75 * k5z + A76 * k6z)
        k7l, k7p, k7z = rhs(p, y1l, y1p, y1z)
        el = hs * (E1 * k1l + E3 * k3l + E4 * k4l + E5 * k5l + E6 * k6l + E7 * k7l)
        ep = hs * (E1 * k1p + E3 * k3p + E4 * k4p + E5 * k5p + E6 * k6p + E7 * k7p)
        ez = hs * (E1 * k1z + E3 * k3z + E4 * k4z + E5 * k5z + E6 * k6z + E7 * k7z)
        rl = el / (atol + rtol * max(abs(l), abs(y1l)))
        rp = ep / (atol + rtol * max(abs(pe), abs(y1p)))
        rz = ez / (atol + rtol * max(abs(z), abs(y1z)))
        err = np.sqrt((rl * rl + rp * rp + rz * rz) / 3.0)
        if not np.isfinite(err):
            rejected += 1
            h = hs * FAC_MIN
            rejected_before = True
            if h < 1e-14:
                return l, pe, z, steps, rejected, False
            continue
        fac11 = err ** EXPO1
        if err <= 1.0:
            fac = min(max(fac11 / err_old ** BETA / SAFETY, 1.0 / FAC_MAX), 1.0 / FAC_MIN)
            h_new = hs / fac
            if rejected_before:
                h_new = min(h_new, hs)
            err_old = max(err, 1e-4)
            h = h_new
            rejected_before = False
            t = t_end if lands else t + hs
            l, pe, z = y1l, y1p, y1z
            f0l, f0p, f0z = k7l, k7p, k7z
            steps += 1
        else:
            rejected += 1
            h = hs / min(fac11 / SAFETY, 1.0 / FAC_MIN)
            rejected_before = True
    return l, pe, z, steps, rejected, True


@njit(parallel=True)
def solve_all(params, t_end, rtol, atol):
    n = params.shape[0]
    finals = np.empty((n, 3))
    steps = np.empty(n, dtype=np.int64)
    ok = np.empty(n, dtype=np.bool_)
    for k in prange(n):
        l, pe, z, s, _r, good = solve_one(params[k], t_end, rtol, atol)
        finals[k, 0] = l
        finals[k, 1] = pe
        finals[k, 2] = z
        steps[k] = s
        ok[k] = good
    return finals, steps, ok


def main():
    args = common.parser(__doc__).parse_args()
    t0 = time.perf_counter()
    solve_all(common.NOMINAL[None, :].copy(), 1.0, args.rtol, args.atol)
    compile_seconds = time.perf_counter() - t0
    if args.params:
        params = common.read_params(args.params)
        finals, _, ok = solve_all(params, args.t_end, args.rtol, args.atol)
        assert ok.all(), "a trajectory failed"
        common.write_finals(args.out, finals)
        return
    times = []
    for _ in range(max(args.repeat, 1)):
        start = time.perf_counter()
        params = common.jittered_parameters(args.trajectories, args.jitter, args.seed)
        finals, steps, ok = solve_all(params, args.t_end, args.rtol, args.atol)
        mean = finals.mean(axis=0)
        times.append(time.perf_counter() - start)
    assert ok.all(), "a trajectory failed"
    common.report("numba", mean, args.trajectories, steps.sum(), min(times), times,
                  final_sd=[float(v) for v in finals.std(axis=0, ddof=1)],
                  compile_seconds=compile_seconds, threads=get_num_threads())


if __name__ == "__main__":
    main()
