#!/usr/bin/env python3
"""Variance reduction of sagstal's common random numbers on the seed pairs (MODEL.md §3).

For each pair (before vs after a staffing change) it runs `sagstal compare` with the files'
own seed and replications and reports, per metric, the variance over replications of the
paired difference B − A and of the unpaired difference (var A + var B, what two independent
runs would give), and their ratio. MODEL.md §3 aims at a ratio ≥ 10 for cost.total and
placementsStarted.

Usage: python3 Benchmarks/variance_reduction.py [--binary PATH] [--root DIR] [-n N] [--json OUT]

--binary defaults to .build/release/sagstal (built with `swift build -c release`); --root is
the folder whose Scenarios/ are used (default: this repository), so an older checkout can be
measured with its own binary and files.
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile

PAIRS = [("broenderslev-before", "broenderslev-varige-spor"), ("aalborg-before", "aalborg-16-extra")]
METRICS = ["cost.total", "placementsStarted", "placedChildYears", "cost.interventions"]


def column(path, metric):
    with open(path, newline="", encoding="utf-8") as f:
        return [float(r[metric]) for r in csv.DictReader(f)]


def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(here, ".build", "release", "sagstal"))
    ap.add_argument("--root", default=here)
    ap.add_argument("-n", "--replications", type=int)
    ap.add_argument("--json")
    args = ap.parse_args()
    results = []
    for a, b in PAIRS:
        with tempfile.TemporaryDirectory() as out:
            cmd = [args.binary, "compare", os.path.join(args.root, "Scenarios", a + ".yaml"),
                   os.path.join(args.root, "Scenarios", b + ".yaml"), "-o", out, "--quiet"]
            if args.replications:
                cmd += ["-n", str(args.replications)]
            subprocess.run(cmd, check=True)
            ra, rb = os.path.join(out, a, "replications.csv"), os.path.join(out, b, "replications.csv")
            for m in METRICS:
                x, y = column(ra, m), column(rb, m)
                d = [q - p for p, q in zip(x, y)]
                paired = statistics.variance(d)
                unpaired = statistics.variance(x) + statistics.variance(y)
                ratio = unpaired / paired if paired > 0 else float("inf")
                results.append({"pair": f"{b} vs {a}", "metric": m, "replications": len(d),
                                "varPaired": paired, "varUnpaired": unpaired, "ratio": ratio})
                print(f"{b} vs {a}  {m:20s} n={len(d):4d}  var paired {paired:11.4g}  "
                      f"unpaired {unpaired:11.4g}  ratio {ratio:6.1f}×")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
