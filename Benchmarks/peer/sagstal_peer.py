#!/usr/bin/env python3
"""sagstal peer: an independent Python/SimPy implementation of MODEL.md.

    python3 Benchmarks/peer/sagstal_peer.py SCENARIO.yaml [--replications N] [--seed S]
            [--years Y] [--output DIR] [--jobs J] [--quiet]

Writes DIR/summary.json (totals over the horizon, per metric mean/sd/ci95/percentiles)
and DIR/replications.csv (one row per replication).  See README.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import scenario as scenario_mod  # noqa: E402
from model import run_replication  # noqa: E402


def t_quantile(p, df):
    try:
        from scipy.stats import t as student_t
        return float(student_t.ppf(p, df))
    except ImportError:   # Cornish–Fisher expansion around the normal quantile
        from statistics import NormalDist
        z = NormalDist().inv_cdf(p)
        g1 = (z ** 3 + z) / 4
        g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96
        g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384
        return z + g1 / df + g2 / df ** 2 + g3 / df ** 3


def percentile(sorted_xs, q):
    n = len(sorted_xs)
    if n == 1:
        return sorted_xs[0]
    h = (n - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, n - 1)
    return sorted_xs[lo] + (h - lo) * (sorted_xs[hi] - sorted_xs[lo])


def stat(values):
    xs = [v for v in values if not math.isnan(v)]
    n = len(xs)
    if n == 0:
        return {"n": 0, "mean": None, "sd": None, "ci95": [None, None], "p5": None, "p50": None, "p95": None}
    mean = sum(xs) / n
    if n > 1:
        sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1))
        half = t_quantile(0.975, n - 1) * sd / math.sqrt(n)
    else:
        sd, half = 0.0, 0.0
    s = sorted(xs)
    return {"n": n, "mean": mean, "sd": sd, "ci95": [mean - half, mean + half],
            "p5": percentile(s, 0.05), "p50": percentile(s, 0.5), "p95": percentile(s, 0.95)}


def _worker(args):
    path, reps, seed, years, index = args
    sc = scenario_mod.load(path, reps, seed, years)
    t0 = time.perf_counter()
    values, events = run_replication(sc, index)
    return index, values, events, time.perf_counter() - t0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario")
    ap.add_argument("-n", "--replications", type=int)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--years", type=float)
    ap.add_argument("-o", "--output")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("-q", "--quiet", action="store_true")
    a = ap.parse_args(argv)

    sc = scenario_mod.load(a.scenario, a.replications, a.seed, a.years)
    out = a.output or os.path.join("Outputs-peer", sc.name)
    names = sc.metric_names()
    n = sc.replications

    t0 = time.perf_counter()
    rows = [None] * n
    events = 0
    sim_seconds = 0.0
    jobs = [(a.scenario, a.replications, a.seed, a.years, r) for r in range(n)]
    if a.jobs > 1:
        from multiprocessing import Pool
        with Pool(a.jobs) as pool:
            results = pool.imap_unordered(_worker, jobs)
            for done, (r, values, ev, secs) in enumerate(results, 1):
                rows[r], events, sim_seconds = values, events + ev, sim_seconds + secs
                if not a.quiet:
                    print(f"\r{done}/{n} replications", end="", file=sys.stderr, flush=True)
    else:
        for r in range(n):
            t1 = time.perf_counter()
            values, ev = run_replication(sc, r)
            rows[r] = values
            events += ev
            sim_seconds += time.perf_counter() - t1
            if not a.quiet:
                print(f"\r{r + 1}/{n} replications", end="", file=sys.stderr, flush=True)
    wall = time.perf_counter() - t0
    if not a.quiet:
        print(file=sys.stderr)

    totals = {m: stat([row[i] for row in rows]) for i, m in enumerate(names)}
    summary = {
        "scenario": sc.name, "replications": n, "seed": sc.seed, "years": sc.years,
        "tool": {"name": "sagstal-peer (Python/SimPy)", "python": sys.version.split()[0]},
        "eventsProcessed": events, "wallSeconds": wall, "jobs": a.jobs,
        "secondsPerReplication": sim_seconds / n,
        "eventsPerSecond": events / sim_seconds if sim_seconds > 0 else None,
        "totals": totals,
    }
    os.makedirs(out, exist_ok=True)
    tmp = os.path.join(out, ".summary.json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2, allow_nan=False)
        f.write("\n")
    os.replace(tmp, os.path.join(out, "summary.json"))
    tmp = os.path.join(out, ".replications.csv.tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["replication"] + names)
        for r, row in enumerate(rows):
            w.writerow([r] + ["" if math.isnan(v) else repr(float(v)) for v in row])
    os.replace(tmp, os.path.join(out, "replications.csv"))
    if not a.quiet:
        print(f"{n} replications, {events} events in {wall:.2f} s "
              f"({events / sim_seconds:,.0f} events/s, {sim_seconds / n:.3f} s/replication) -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
