#!/usr/bin/env python3
"""Load test of `walkaway serve`: K heavy forecasts at once plus explorer
traffic; reports the explorer's latency (p50, p99), the share of explorer
requests served (not 503) and the server's peak memory.

    python3 scripts/load.py                # K = 2 and 4, 60 s each (builds the release binary first)
    python3 scripts/load.py --heavy 2 --seconds 30
    python3 scripts/load.py --profile dev  # the dev build scripts/test.sh makes

Standard library only. The server runs on a fresh SQLite file in a
temporary folder; nothing else on the machine is touched. Not a test (no
pass/fail on timings): the figures go in docs/performance.md.
"""

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = None  # set in main: WALKAWAY_BIN, or the binary of --profile (built if needed)

FORECAST = json.dumps({"trajectories": 20000, "horizon_days": 730}).encode()
EXPLORE = json.dumps({"grid": 21}).encode()


def post(host, port, path, body, timeout):
    c = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        c.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        return r.status
    finally:
        c.close()


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(heavy, seconds, explorers):
    work = tempfile.mkdtemp(prefix="walkaway-load-")
    server = subprocess.Popen(
        [BIN, "serve", "--addr", "127.0.0.1:0", "--database", f"sqlite://{work}/load.db"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = server.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
    if not m:
        server.kill()
        sys.exit(f"the server did not start: {line!r}")
    host, port = "127.0.0.1", int(m.group(1))
    stop = time.monotonic() + seconds
    lock = threading.Lock()
    latencies, statuses, forecasts = [], [], []
    peak = [0]

    def forecaster():
        while time.monotonic() < stop:
            t = time.monotonic()
            try:
                # Gives up when the run ends; the server then cancels the
                # forecast (its client went away).
                s = post(host, port, "/api/forecast", FORECAST, timeout=max(1.0, stop - t))
            except TimeoutError:
                s = -1
            except OSError:
                s = 0
            with lock:
                forecasts.append((s, time.monotonic() - t))
            if s == 503:
                time.sleep(2)

    def explorer():
        while time.monotonic() < stop:
            t = time.monotonic()
            try:
                s = post(host, port, "/api/models/gone-with-the-wind/explore", EXPLORE, timeout=120)
            except OSError:
                s = 0
            with lock:
                statuses.append(s)
                if s == 200:
                    latencies.append(time.monotonic() - t)
            time.sleep(0.2)

    def memory():
        while time.monotonic() < stop:
            peak[0] = max(peak[0], rss_kb(server.pid))
            time.sleep(0.5)

    threads = [threading.Thread(target=forecaster) for _ in range(heavy)]
    time.sleep(0)
    threads += [threading.Thread(target=explorer) for _ in range(explorers)]
    threads.append(threading.Thread(target=memory))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server.terminate()
    server.wait()
    served = sum(1 for s in statuses if s == 200)
    lat = sorted(latencies)
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] if lat else float("nan")
    done = [d for s, d in forecasts if s == 200]
    print(json.dumps({
        "heavy_forecasts_at_once": heavy,
        "seconds": seconds,
        "explorer_requests": len(statuses),
        "explorer_served_share": round(served / max(1, len(statuses)), 4),
        "explorer_p50_s": round(statistics.median(lat), 3) if lat else None,
        "explorer_p99_s": round(p(0.99), 3) if lat else None,
        "forecasts_finished": len(done),
        "forecasts_refused_503": sum(1 for s, _ in forecasts if s == 503),
        "forecasts_unfinished_at_the_end": sum(1 for s, _ in forecasts if s == -1),
        "forecast_median_s": round(statistics.median(done), 1) if done else None,
        "server_peak_rss_mb": round(peak[0] / 1024, 1),
        "cores": os.cpu_count(),
    }))


def main():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--heavy", type=int, action="append", help="forecasts at once (repeatable; default 2 and 4)")
    a.add_argument("--seconds", type=float, default=60)
    a.add_argument("--explorers", type=int, default=4, help="explorer clients (each waits 0.2 s between requests)")
    a.add_argument("--profile", default="release", help="cargo profile to build and run (release or dev)")
    args = a.parse_args()
    global BIN
    BIN = os.environ.get("WALKAWAY_BIN")
    if not BIN:
        subprocess.run(["cargo", "build", "--locked", "-p", "walkaway", "--profile", args.profile], cwd=ROOT, check=True)
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
        BIN = os.path.join(target, "debug" if args.profile == "dev" else args.profile, "walkaway")
    for k in args.heavy or [2, 4]:
        run(k, args.seconds, args.explorers)


if __name__ == "__main__":
    main()
