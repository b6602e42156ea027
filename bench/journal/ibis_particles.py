"""The journal filter written with the `particles` library (N. Chopin):
IBIS (iterated batch importance sampling) with resample-move, on the
benchmark problem of model.py, for the agreement check and the speed
comparison of docs/performance.md.

Same scheme as walkaway-core's filter: resample when ESS < N/2
(systematic), then 5 Metropolis-Hastings steps alternating an independent
Gaussian proposal fitted to the particles (covariance x 1.5) and a
Gaussian random walk (covariance x 2.38^2/d), no waste-free recycling.
The unknowns are uniforms on (0, 1) here (logits in the Rust filter); the
posterior is the same, only the coordinates of the moves differ. The Rust
filter also stops a proposal's re-run as soon as it can no longer be
accepted (exact early rejection); the library's ArrayMetropolis computes
every proposal's full log-posterior, as written.

Usage: python ibis_particles.py SPEC.json JOURNAL.csv N SEED
Prints JSON: posterior means and standard deviations of the traits and
commitment, and the seconds of the filter's run (after an untimed small
run, so that numba's compilation of the resampling is not counted).
"""

import csv
import json
import sys
import time
from importlib.metadata import version

import numpy as np
import particles
from particles import distributions as dists
from particles import smc_samplers as ssp

import model


def read_journal(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    last = max(int(r["day"]) for r in rows)
    days = [None] * (last + 1)
    for r in rows:
        e = {}
        if r.get("contacts"):
            e["contacts"] = int(r["contacts"])
        if r.get("request"):
            e["request"] = r["request"]
        if r.get("met_someone"):
            e["met_someone"] = r["met_someone"]
        days[int(r["day"])] = e
    return days


def to_u(theta, names):
    """The uniforms of the particles (N x d). Proposals outside (0, 1) have
    prior density 0 and are rejected whatever their likelihood; they are run
    clipped so that the dynamics stay finite."""
    return np.clip(np.column_stack([theta[n] for n in names]), 1e-12, 1.0 - 1e-12)


class JournalModel(ssp.StaticModel):
    """The journal as a static model: one time step per day."""

    def __init__(self, problem, prior):
        super().__init__(data=problem.entries, prior=prior)
        self.problem = problem
        self.fields = [n.replace(".", "_") for n in problem.names]
        # The paths of the current particles, so that each new day costs
        # one step; recomputed when the particles changed (resampling, moves).
        self.cache = None

    def run(self, theta, t):
        """Paths run through day t, and the log-likelihood of days 0..t."""
        paths = model.Paths(self.problem, to_u(theta, self.fields))
        ll = np.zeros(paths.n)
        for s in range(t + 1):
            out = paths.step_day()
            ll += model.ln_likelihood(self.data[s], *out)
        return paths, ll

    def loglik(self, theta, t=None):
        if t is None:
            t = self.T - 1
        if t < 0:
            return np.zeros(theta.shape[0])
        return self.run(theta, t)[1]

    def logpyt(self, theta, t):
        if self.cache is not None and self.cache[0] == t - 1 and np.array_equal(self.cache[1], theta):
            paths = self.cache[2]
            ll = model.ln_likelihood(self.data[t], *paths.step_day())
        else:
            paths, before = self.run(theta, t - 1) if t > 0 else (model.Paths(self.problem, to_u(theta, self.fields)), 0.0)
            ll = model.ln_likelihood(self.data[t], *paths.step_day())
        self.cache = (t, theta.copy(), paths)
        return ll


class Alternating(ssp.MCMCSequence):
    """A fixed number of steps, alternating independent and random-walk proposals."""

    def __init__(self, steps=5):
        self.independent = ssp.ArrayIndependentMetropolis(scale=np.sqrt(1.5))
        self.walk = ssp.ArrayRandomWalk()
        self.steps = steps

    def calibrate(self, W, x):
        self.independent.calibrate(W, x)
        shared = dict(x.shared)
        self.walk.calibrate(W, x)
        x.shared["chol_walk"] = x.shared["chol_cov"]
        x.shared["chol_cov"] = shared["chol_cov"]

    def __call__(self, x, target):
        # x.lpost is already the posterior given the days so far (IBIS
        # adds each day's log-likelihood to it).
        rates = []
        for i in range(self.steps):
            if i % 2 == 0:
                rates.append(self.independent.step(x, target=target))
            else:
                saved = x.shared["chol_cov"]
                x.shared["chol_cov"] = x.shared["chol_walk"]
                rates.append(self.walk.step(x, target=target))
                x.shared["chol_cov"] = saved
        x.shared["acc_rates"] = x.shared.get("acc_rates", []) + [rates]
        return x


def main():
    spec_path, journal_path, n, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(spec_path) as f:
        spec = json.load(f)
    problem = model.Problem(spec, read_journal(journal_path))
    fields = [n_.replace(".", "_") for n_ in problem.names]
    prior = dists.StructDist({f: dists.Uniform(0.0, 1.0) for f in fields})
    # A small run first, untimed: numba compiles particles' resampling
    # on first use.
    np.random.seed(seed)
    warm = JournalModel(model.Problem(spec, problem.entries[:10]), prior)
    particles.SMC(fk=ssp.IBIS(model=warm, wastefree=False, move=Alternating(5)), N=200, ESSrmin=0.5,
                  resampling="systematic", verbose=False).run()
    jm = JournalModel(problem, prior)
    np.random.seed(seed)
    fk = ssp.IBIS(model=jm, wastefree=False, move=Alternating(5))
    alg = particles.SMC(fk=fk, N=n, ESSrmin=0.5, resampling="systematic", verbose=False)
    started = time.perf_counter()
    alg.run()
    seconds = time.perf_counter() - started
    theta = alg.X.theta
    w = alg.W
    u = to_u(theta, fields)
    values = problem.values(u)
    means = {name: float(np.sum(w * values[name])) for name, _, _ in problem.traits}
    c = model.commitment(values["partner.satisfaction"], values["partner.investment"], values["partner.alternatives"])
    means["commitment"] = float(np.sum(w * c))
    sds = {name: float(np.sqrt(np.sum(w * (values[name] - means[name]) ** 2))) for name, _, _ in problem.traits}
    sds["commitment"] = float(np.sqrt(np.sum(w * (c - means["commitment"]) ** 2)))
    print(json.dumps({"implementation": "particles " + version("particles"), "particles": n, "seed": seed,
                      "seconds": seconds, "ess_final": float(alg.wgts.ESS), "means": means, "sds": sds}))


if __name__ == "__main__":
    main()
