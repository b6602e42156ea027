"""Shared plumbing of the Python peers: arguments, the jitter scheme,
parameter files and the JSON line each program prints.

The model is Rinaldi (1998), "Laura and Petrarch" (literature notes §A3);
parameter order: alpha1, alpha2, alpha3, beta1, beta2, beta3, gamma, delta,
a_l, a_p. Every program multiplies each parameter by (1 + F*U(-1, 1)) with its
own random generator, so their means are compared statistically; accuracy is
measured on one shared parameter file that every program integrates.
"""

import argparse
import json
import sys

import numpy as np

NOMINAL = np.array([3.6, 1.2, 0.12, 1.2, 6.0, 12.0, 1.0, 1.0, 2.0, -1.0])
NAMES = ["alpha1", "alpha2", "alpha3", "beta1", "beta2", "beta3", "gamma", "delta", "a_l", "a_p"]
STATES = ["laura", "petrarch", "inspiration"]


def parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--trajectories", type=int, default=100_000)
    p.add_argument("--jitter", type=float, default=0.1)
    p.add_argument("--t-end", type=float, default=20.0)
    p.add_argument("--rtol", type=float, default=1e-6)
    p.add_argument("--atol", type=float, default=1e-9)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=int, default=1, help="timed repetitions; the best is reported")
    p.add_argument("--params", help="accuracy mode: CSV of parameter sets (header row) to integrate")
    p.add_argument("--out", help="accuracy mode: CSV for the final states")
    return p


def jittered_parameters(n, jitter, seed):
    rng = np.random.default_rng(seed)
    return NOMINAL * (1.0 + jitter * rng.uniform(-1.0, 1.0, size=(n, NOMINAL.size)))


def read_params(path):
    return np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)


def write_finals(path, finals):
    np.savetxt(path, finals, delimiter=",", header=",".join(STATES), comments="", fmt="%.17e")


def report(program, finals_mean, trajectories, steps, seconds, all_seconds, **extra):
    out = {
        "program": program,
        "model": "laura-petrarch",
        "final_mean": [float(v) for v in finals_mean],
        "trajectories": int(trajectories),
        "steps": int(steps),
        "seconds": float(seconds),
        "all_seconds": [float(s) for s in all_seconds],
    }
    out.update(extra)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
