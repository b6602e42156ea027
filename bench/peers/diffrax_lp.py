"""Peer: diffrax's Dopri5 with PIDController(rtol, atol), vectorised over
trajectories with jax.vmap and compiled with jax.jit, on the CPU in float64.
Compile time is measured separately (ahead-of-time lower + compile) and
excluded from `seconds`; it is reported as `compile_seconds`.

Usage: python diffrax_lp.py [--trajectories N] ... (see common.py)
"""

import os
import sys
import time

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

import diffrax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
import common  # noqa: E402


def vector_field(t, y, p):
    l, pe, z = y[0], y[1], y[2]
    ratio = pe / p[6]
    return jnp.stack([
        -p[0] * l + p[3] * (pe * (1.0 - ratio * ratio) + p[9]),
        -p[1] * pe + p[4] * (l + p[8] / (1.0 + p[7] * z)),
        -p[2] * z + p[5] * pe,
    ])


def make_solver(t_end, rtol, atol):
    term = diffrax.ODETerm(vector_field)
    solver = diffrax.Dopri5()
    controller = diffrax.PIDController(rtol=rtol, atol=atol)

    def solve(p):
        sol = diffrax.diffeqsolve(
            term, solver, t0=0.0, t1=t_end, dt0=None, y0=jnp.zeros(3), args=p,
            saveat=diffrax.SaveAt(t1=True), stepsize_controller=controller,
            max_steps=100_000,
        )
        return sol.ys[-1], sol.stats["num_accepted_steps"]

    def ensemble(params):
        finals, steps = jax.vmap(solve)(params)
        return finals, finals.mean(axis=0), steps.sum()

    return jax.jit(ensemble)


def main():
    args = common.parser(__doc__).parse_args()
    run = make_solver(args.t_end, args.rtol, args.atol)
    if args.params:
        params = jnp.asarray(common.read_params(args.params))
        finals, _, _ = run(params)
        common.write_finals(args.out, np.asarray(finals))
        return
    shape = jax.ShapeDtypeStruct((args.trajectories, common.NOMINAL.size), jnp.float64)
    t0 = time.perf_counter()
    compiled = run.lower(shape).compile()
    compile_seconds = time.perf_counter() - t0
    times = []
    for _ in range(max(args.repeat, 1)):
        start = time.perf_counter()
        params = jnp.asarray(common.jittered_parameters(args.trajectories, args.jitter, args.seed))
        finals, mean, steps = compiled(params)
        mean = np.asarray(jax.block_until_ready(mean))
        times.append(time.perf_counter() - start)
    finals = np.asarray(finals)
    common.report("diffrax", mean, args.trajectories, int(steps), min(times), times,
                  final_sd=[float(v) for v in finals.std(axis=0, ddof=1)],
                  compile_seconds=compile_seconds, devices=str(jax.devices()),
                  versions={"jax": jax.__version__, "diffrax": diffrax.__version__})


if __name__ == "__main__":
    main()
