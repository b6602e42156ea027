"""Times the Python call of the bench/ ensemble (docs/performance.md,
"Python"): prints the call's own seconds and the mean final state, to set
beside `walkaway ensemble ... --format json`'s `seconds`.

    python bench/python_call.py THREADS
"""

import sys
import time

import walkaway

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
start = time.perf_counter()
r = walkaway.ensemble("laura-petrarch", trajectories=100000, jitter=0.1, t_end=20,
                      rtol=1e-6, atol=1e-9, seed=1, threads=threads)
print(time.perf_counter() - start, [float(x) for x in r["final_mean"]])
