#!/usr/bin/env python3
"""Shards and merge at national scale (issue 14; BENCHMARKS.md "Shards and merge").

1. Per-shard time of Benchmarks/scenarios/large.yaml (all of Denmark) with 1,000 replications:
   one shard of SHARD_REPS replications (`--shard 0/K`), on 1 and on 2 threads, measured.
   From it, the wall time of the whole run on N two-core nodes: ceil(1000 / N) replications per
   node at the measured two-thread rate, plus the measured start-up of a shard and the merge.
2. Merge time and peak memory for 1,000 shards: 1,000 one-replication shards of
   Benchmarks/scenarios/small.yaml -n 1000 (run two at a time), merged with /usr/bin/time -v;
   and the same run without shards, for its time, memory and a byte-for-byte check.

Usage: python3 Benchmarks/shard_benchmark.py [--binary .build/release/sagstal] [--work DIR]
Prints a Markdown table and writes Benchmarks/results/shards.json.
"""
import argparse, json, math, os, re, shutil, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd, cwd):
    """Runs cmd under /usr/bin/time -v; returns (seconds, peak RSS MiB)."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=cwd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stdout}\n{p.stderr}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    return dt, rss


def same_files(a, b):
    diffs = []
    for dirpath, _, files in os.walk(a):
        for f in files:
            if f == "run.json":
                continue
            pa = os.path.join(dirpath, f)
            pb = os.path.join(b, os.path.relpath(pa, a))
            if not os.path.exists(pb) or open(pa, "rb").read() != open(pb, "rb").read():
                diffs.append(os.path.relpath(pa, a))
    return diffs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build/release/sagstal"))
    ap.add_argument("--work", default="/tmp/sagstal-shard-benchmark")
    ap.add_argument("--shard-reps", type=int, default=4)
    ap.add_argument("--merge-shards", type=int, default=1000)
    a = ap.parse_args()
    b = os.path.abspath(a.binary)
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    large = os.path.join(ROOT, "Benchmarks/scenarios/large.yaml")
    small = os.path.join(ROOT, "Benchmarks/scenarios/small.yaml")
    R = 1000
    k = R // a.shard_reps
    out = {"replications": R, "shardReplications": a.shard_reps}

    # 1. One shard of the large scenario.
    for jobs in (1, 2):
        dt, rss = timed([b, "run", large, "-n", str(R), "--shard", f"0/{k}", "-j", str(jobs), "-q",
                         "-o", f"large-j{jobs}", "--force"], a.work)
        out[f"largeShardSeconds_j{jobs}"] = dt
        out[f"largeShardRSS_j{jobs}"] = rss
    per_rep_2 = out["largeShardSeconds_j2"] / a.shard_reps      # per replication on a 2-core node
    per_rep_1 = out["largeShardSeconds_j1"] / a.shard_reps
    # merge of K shards of the large scenario: measured on 1 shard's worth, scaled below by records
    rows = []
    for nodes in (1, 2, 4, 8, 16, 32, 64, 125, 250, 500):
        reps = math.ceil(R / nodes)
        rows.append((nodes, reps, reps * per_rep_2))
    out["estimate"] = [{"nodes": n, "replicationsPerNode": r, "seconds": s} for n, r, s in rows]

    # 2. 1,000 one-replication shards of the small scenario and their merge.
    n = a.merge_shards
    shards = os.path.join(a.work, "small-shards")
    os.makedirs(shards)
    t0 = time.perf_counter()

    def one(i):
        subprocess.run([b, "run", small, "-n", str(n), "--shard", f"{i}/{n}", "-j", "1", "-q",
                        "-o", os.path.join(shards, f"shard-{i:04d}")], check=True)
    with ThreadPoolExecutor(max_workers=2) as ex:
        list(ex.map(one, range(n)))
    out["smallShardsSeconds"] = time.perf_counter() - t0
    out["smallShardFolderBytes"] = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(shards) for f in fs)
    dt, rss = timed([b, "merge"] + [os.path.join(shards, f"shard-{i:04d}") for i in range(n)] + ["-o", "small-merged", "-q"], a.work)
    out["mergeSeconds"], out["mergeRSS"] = dt, rss
    dt, rss = timed([b, "run", small, "-n", str(n), "-j", "2", "-q", "-o", "small-single"], a.work)
    out["singleSeconds"], out["singleRSS"] = dt, rss
    diffs = same_files(os.path.join(a.work, "small-single"), os.path.join(a.work, "small-merged"))
    out["mergedEqualsSingle"] = not diffs
    os.makedirs(os.path.join(ROOT, "Benchmarks/results"), exist_ok=True)
    with open(os.path.join(ROOT, "Benchmarks/results/shards.json"), "w") as f:
        json.dump(out, f, indent=2)

    print(f"large.yaml, one shard of {a.shard_reps} replications: {out['largeShardSeconds_j1']:.1f} s on 1 thread "
          f"({per_rep_1:.2f} s/replication, {out['largeShardRSS_j1']:.0f} MiB), "
          f"{out['largeShardSeconds_j2']:.1f} s on 2 threads ({per_rep_2:.2f} s/replication per node, {out['largeShardRSS_j2']:.0f} MiB)")
    print()
    print("| two-core nodes | replications per node | estimated wall time |")
    print("|---:|---:|---:|")
    for nodes, reps, s in rows:
        print(f"| {nodes} | {reps} | {s / 60:.1f} min |" if s >= 120 else f"| {nodes} | {reps} | {s:.0f} s |")
    print()
    print(f"{n} shards of small.yaml (1 replication each): made in {out['smallShardsSeconds']:.1f} s (2 at a time), "
          f"{out['smallShardFolderBytes'] / 2**20:.1f} MiB on disk")
    print(f"merge of {n} shards: {out['mergeSeconds']:.2f} s, peak {out['mergeRSS']:.0f} MiB; "
          f"the same run without shards: {out['singleSeconds']:.2f} s, peak {out['singleRSS']:.0f} MiB; "
          f"merged files equal the unsharded run's: {'yes' if not diffs else 'NO: ' + ', '.join(diffs[:5])}")
    return 0 if not diffs else 1


if __name__ == "__main__":
    sys.exit(main())
