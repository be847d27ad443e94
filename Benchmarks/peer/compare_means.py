#!/usr/bin/env python3
"""Compare the total means of two summary.json files (sagstal and the peer, or any two).

    python3 Benchmarks/peer/compare_means.py SUMMARY_A SUMMARY_B [--z-fail 4] [--z-warn 3] [--max-share 0.05]

For every metric in both files: z = (mean_A − mean_B) / sqrt(se_A² + se_B²), se = sd/√n
(n = the metric's own count of replications when given, else `replications`).
Metrics with se_A = se_B = 0 count as agreeing when the means are equal (relative
difference ≤ 1e-9), otherwise z = ±inf.

Rule (exit status 1 = disagreement):
  * any metric with |z| > 4 (--z-fail), or
  * more than 5 % of the compared metrics (--max-share; at least one) with |z| > 3 (--z-warn).
With ~60 metrics that are independent under agreement, |z| > 3 happens by chance for a
metric with probability 0.0027, so 5 % (3 metrics) is a generous allowance; |z| > 4
(p ≈ 6e-5 per metric) is treated as a real disagreement.
"""

import argparse
import json
import math
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def se(stat, n_default):
    n = stat.get("n", n_default) or 0
    sd = stat.get("sd")
    if n <= 0 or sd is None:
        return None
    return sd / math.sqrt(n)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--z-fail", type=float, default=4.0)
    ap.add_argument("--z-warn", type=float, default=3.0)
    ap.add_argument("--max-share", type=float, default=0.05)
    args = ap.parse_args(argv)

    A, B = load(args.a), load(args.b)
    ta, tb = A["totals"], B["totals"]
    na, nb = A.get("replications", 0), B.get("replications", 0)
    names = [m for m in ta if m in tb] + [m for m in tb if m not in ta]

    print(f"A: {args.a} ({na} replications)\nB: {args.b} ({nb} replications)\n")
    print(f"{'metric':<34} {'mean A':>16} {'mean B':>16} {'B − A':>14} {'rel':>8} {'z':>7}")
    compared = within3 = 0
    warn, fail, missing = [], [], []
    for m in names:
        if m not in ta or m not in tb:
            missing.append(m)
            continue
        sa, sb = ta[m], tb[m]
        ma, mb = sa.get("mean"), sb.get("mean")
        if ma is None or mb is None:
            print(f"{m:<34} {str(ma):>16} {str(mb):>16} {'':>14} {'':>8} {'n/a':>7}")
            continue
        ea, eb = se(sa, na), se(sb, nb)
        d = mb - ma
        s = math.sqrt((ea or 0) ** 2 + (eb or 0) ** 2)
        if s > 0:
            z = d / s
        else:
            z = 0.0 if abs(d) <= 1e-9 * max(1.0, abs(ma), abs(mb)) else math.copysign(math.inf, d)
        rel = d / abs(ma) if ma else (0.0 if d == 0 else math.inf)
        compared += 1
        flag = ""
        if abs(z) > args.z_fail:
            fail.append(m)
            flag = "  <-- FAIL"
        elif abs(z) > args.z_warn:
            warn.append(m)
            flag = "  <-- |z|>3"
        if abs(z) <= 3:
            within3 += 1
        print(f"{m:<34} {ma:>16.6g} {mb:>16.6g} {d:>14.4g} {rel:>8.2%} {z:>7.2f}{flag}")

    over3 = len(warn) + len(fail)
    allowed = max(1, math.floor(args.max_share * compared))
    print(f"\n{compared} metrics compared: {within3} within 3 SE, {over3} beyond 3 SE "
          f"({len(fail)} beyond {args.z_fail:g} SE); allowed beyond 3 SE: {allowed}.")
    if missing:
        print(f"only in one file: {', '.join(missing)}")
    ok = not fail and over3 <= allowed
    print("AGREE" if ok else "DISAGREE")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
