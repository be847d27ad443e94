#!/usr/bin/env python3
"""sagstal benchmark harness (issue 5): speed, memory and scaling, against a SimPy peer.

Usage:  python3 Benchmarks/run_benchmarks.py [--quick] [--skip-peer] [--skip-event-queue] [--output FILE]

Builds sagstal in release mode, then measures on the three standard sizes of
Benchmarks/scenarios/ (small = Brønderslev, medium = Aalborg, large = all of Denmark):

  * wall time, events processed, events/second/core, replications/second, peak RSS
    (each run is a fresh process; peak RSS from wait4's ru_maxrss);
  * the SimPy peer (Benchmarks/peer/) on the same scenario, timed in the same run, its
    seconds per replication and the speed ratio per size; and a check that both
    implementations agree on every total metric's mean (Benchmarks/peer/compare_means.py);
  * the targets of issue 5: 1,000 replications × 10 years of medium on all cores; peak memory
    for 100 / 1,000 / 10,000 replications; memory vs municipality size;
  * scaling: time vs replications, years, size, and --jobs 1/2.
  * the targets of issue 15 (performance round 2), each with its measured value: the speed ratio
    per replication on small/medium/large/everything; whole-command wall time at 20 and 400
    replications (and the peer's at 20); M events/s/core on medium; 1,000 × 10 years of medium on
    all cores; the fixed cost (20 replications of small, whole command, one core, best of 7);
    1 → 2 jobs on 400 replications of medium. `Benchmarks/callgrind_counts.py` gives the exact
    instruction counts that BENCHMARKS.md quotes per change.

Writes a JSON file (default Benchmarks/results/latest.json) and prints Markdown tables
that BENCHMARKS.md quotes. Nothing here is a test: timings vary with the machine.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAGSTAL = os.path.join(ROOT, ".build", "release", "sagstal")
PEER = os.path.join(ROOT, "Benchmarks", "peer", "sagstal_peer.py")
COMPARE = os.path.join(ROOT, "Benchmarks", "peer", "compare_means.py")
SCEN = {s: os.path.join(ROOT, "Benchmarks", "scenarios", f"{s}.yaml") for s in ("small", "medium", "large", "everything")}


def run_measured(cmd):
    """Runs cmd and returns (wall seconds, peak RSS MiB) using os.wait4 on the child."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.chdir(ROOT)
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.execvp(cmd[0], cmd)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"failed ({status}): {' '.join(cmd)}")
    return wall, usage.ru_maxrss / 1024.0, usage.ru_utime + usage.ru_stime


def sagstal(size, reps, jobs, years=None, out=None):
    out = out or tempfile.mkdtemp(prefix=f"bench-{size}-")
    cmd = [SAGSTAL, "run", SCEN[size], "-n", str(reps), "-j", str(jobs), "-q", "-o", out]
    if years:
        cmd += ["--years", str(years)]
    wall, rss, cpu = run_measured(cmd)
    info = json.load(open(os.path.join(out, "run.json")))
    events, sim = info["eventsProcessed"], info["wallSeconds"]
    # wallSeconds: the whole process (start-up, loading, simulation, writing every file);
    # simulationSeconds: run.json's wall time of the replications and their aggregation only.
    return {"size": size, "replications": reps, "jobs": jobs, "years": years or 10, "wallSeconds": wall,
            "simulationSeconds": sim, "cpuSeconds": cpu, "events": events, "eventsPerSecond": events / sim,
            "eventsPerSecondPerCore": events / sim / jobs, "replicationsPerSecond": reps / wall,
            "secondsPerReplication": sim * jobs / reps, "peakRSSMiB": rss, "output": out}


def peer(size, reps, years=None, out=None):
    out = out or tempfile.mkdtemp(prefix=f"peer-{size}-")
    cmd = [sys.executable, PEER, SCEN[size], "-n", str(reps), "-j", "1", "-q", "-o", out]
    if years:
        cmd += ["--years", str(years)]
    wall, rss, cpu = run_measured(cmd)
    s = json.load(open(os.path.join(out, "summary.json")))
    # The peer times its replications itself (secondsPerReplication), without Python's start-up.
    return {"size": size, "replications": reps, "wallSeconds": wall, "events": s["eventsProcessed"],
            "eventsPerSecond": s["eventsPerSecond"], "secondsPerReplication": s["secondsPerReplication"],
            "peakRSSMiB": rss, "output": out}


def round2(q, cores, skip_peer, results):
    """The measurements of issue 15 that the sections above do not already make."""
    out = {"wholeCommand": [], "peerWholeCommand": []}
    counts = (20,) if q else (20, 400)
    for size in ("small", "medium", "everything", "large"):
        for n in counts:
            if size == "large" and n > 20:
                continue   # 400 large replications take ≈ 8 minutes; 20 show the per-replication cost
            for jobs in sorted({1, cores}):
                print(f"[{size}] whole command, {n} replications, {jobs} job(s) ...", file=sys.stderr)
                out["wholeCommand"].append(sagstal(size, n, jobs))
        if not skip_peer and size != "large":
            print(f"[{size}] peer whole command, 20 replications ...", file=sys.stderr)
            out["peerWholeCommand"].append(peer(size, 4 if q else 20))
    # The fixed cost: 20 replications of small on one core, whole command, best of 7 fresh runs.
    walls = [sagstal("small", 20, 1)["wallSeconds"] for _ in range(3 if q else 7)]
    out["smallTwenty"] = {"walls": walls, "best": min(walls)}
    # 1 → all jobs on 400 replications of medium (simulating time and whole command).
    n = 40 if q else 400
    one, allc = sagstal("medium", n, 1), sagstal("medium", n, cores)
    out["jobs400"] = {"one": one, "all": allc, "speedupSimulating": one["simulationSeconds"] / allc["simulationSeconds"],
                      "speedupWall": one["wallSeconds"] / allc["wallSeconds"]}
    sizes = {r["size"]: r for r in results["sizes"]}
    out["targets"] = targets(sizes, results["target1000"], out, cores, skip_peer)
    return out


def targets(sizes, t1000, r2, cores, skip_peer):
    """Issue 15's targets with the measured values: (what, target, measured, met)."""
    rows = []
    if not skip_peer:
        for size in ("small", "medium", "large", "everything"):
            ratio = sizes[size]["speedRatio"]
            rows.append((f"speed ratio per replication vs the SimPy peer, {size}", "≥ 50× (goal 80×)", f"{ratio:.0f}×", ratio >= 50))
    ev = sizes["medium"]["sagstal1"]["eventsPerSecondPerCore"] / 1e6
    rows.append(("M events/s/core, medium, 1 job", "≥ 6", f"{ev:.2f}", ev >= 6))
    rows.append((f"{t1000['replications']:,} replications × 10 years of medium, {cores} cores, whole command", "≤ 8 s",
                 f"{t1000['wallSeconds']:.2f} s", t1000["wallSeconds"] <= 8))
    best = r2["smallTwenty"]["best"]
    rows.append(("20 replications of small, whole command, 1 core (best of runs)", "≤ 60 ms", f"{best * 1000:.0f} ms", best <= 0.060))
    sp = r2["jobs400"]["speedupSimulating"]
    rows.append((f"1 → {cores} jobs, {r2['jobs400']['one']['replications']} replications of medium (simulating)", "≥ 1.9×",
                 f"{sp:.2f}× (whole command {r2['jobs400']['speedupWall']:.2f}×)", sp >= 1.9))
    return [{"what": w, "target": t, "measured": m, "met": bool(ok)} for w, t, m, ok in rows]


def print_round2(r2, cores):
    print("\nWhole command (start-up, loading, simulating, every output file and the report):\n")
    peers = {p["size"]: p for p in r2["peerWholeCommand"]}
    cols = [("size", lambda r: r["size"]), ("replications", lambda r: str(r["replications"])),
            ("jobs", lambda r: str(r["jobs"])), ("wall s", lambda r: f"{r['wallSeconds']:.3f}"),
            ("simulating s", lambda r: f"{r['simulationSeconds']:.3f}"),
            ("outside simulating s", lambda r: f"{r['wallSeconds'] - r['simulationSeconds']:.3f}"),
            ("peer wall s (1 job)", lambda r: f"{peers[r['size']]['wallSeconds']:.2f} ({peers[r['size']]['replications']})"
             if r["size"] in peers and r["replications"] == 20 and r["jobs"] == 1 else ""),
            ("ratio", lambda r: f"{peers[r['size']]['wallSeconds'] * 20 / peers[r['size']]['replications'] / r['wallSeconds']:.0f}×"
             if r["size"] in peers and r["replications"] == 20 and r["jobs"] == 1 else "")]
    print(table(r2["wholeCommand"], cols))
    w = r2["smallTwenty"]["walls"]
    print(f"\n20 replications of small, whole command, 1 job: best {min(w) * 1000:.0f} ms of "
          + ", ".join(f"{x * 1000:.0f}" for x in w) + " ms")
    print("\nTargets of issue 15:\n")
    print(table(r2["targets"], [("target", lambda r: r["what"]), ("asked", lambda r: r["target"]),
                                ("measured", lambda r: r["measured"]), ("met", lambda r: "yes" if r["met"] else "**no**")]))


def machine():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    try:
        import simpy
        simpy_version = simpy.__version__
    except ImportError:
        simpy_version = None
    gsl = subprocess.run(["pkg-config", "--modversion", "gsl"], capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "memoryGiB": round(mem, 1), "os": platform.platform(),
            "swift": swift, "gsl": gsl, "python": platform.python_version(), "simpy": simpy_version,
            "loadAverageAtStart": os.getloadavg()}


def table(rows, cols):
    head = "| " + " | ".join(c[0] for c in cols) + " |"
    sep = "| " + " | ".join("---" for _ in cols) + " |"
    body = ["| " + " | ".join(c[1](r) for c in cols) + " |" for r in rows]
    return "\n".join([head, sep] + body)


def event_queue_table(quick):
    """Builds and runs Benchmarks/EventQueue (its own package): the queue designs replayed on one
    replication's queue operations; writes Benchmarks/results/event-queue.json, returns its table."""
    pkg = os.path.join(ROOT, "Benchmarks", "EventQueue")
    print("[event queue] building and replaying Benchmarks/EventQueue ...", file=sys.stderr)
    subprocess.run(["swift", "build", "-c", "release"], cwd=pkg, check=True, stdout=subprocess.DEVNULL)
    sizes = "medium" if quick else "small,medium,large"
    out = subprocess.run([os.path.join(pkg, ".build", "release", "event-queue-benchmark"), "--sizes", sizes],
                         cwd=pkg, check=True, capture_output=True, text=True).stdout
    return out.strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer replications (a smoke run, ~1 minute)")
    ap.add_argument("--skip-peer", action="store_true", help="do not run the SimPy peer")
    ap.add_argument("--skip-event-queue", action="store_true", help="do not build and run Benchmarks/EventQueue")
    ap.add_argument("--output", default=os.path.join(ROOT, "Benchmarks", "results", "latest.json"))
    args = ap.parse_args()
    q = args.quick

    print("Building sagstal (release) ...", file=sys.stderr)
    subprocess.run(["swift", "build", "-c", "release", "--product", "sagstal"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    results = {"machine": machine(), "startedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    cores = os.cpu_count() or 1

    # 1. Per size: sagstal on 1 core and on all cores; the peer on 1 core; the speed ratio.
    plan = {"small": (40 if q else 400, 2 if q else 10), "medium": (10 if q else 100, 1 if q else 4),
            "large": (2 if q else 8, 1), "everything": (40 if q else 400, 2 if q else 10)}
    sizes = []
    for size, (reps, peer_reps) in plan.items():
        print(f"[{size}] sagstal {reps} replications ...", file=sys.stderr)
        one = sagstal(size, reps, 1)
        allc = sagstal(size, reps, cores)
        row = {"size": size, "sagstal1": one, "sagstalAll": allc}
        if not args.skip_peer:
            print(f"[{size}] peer {peer_reps} replications ...", file=sys.stderr)
            p = peer(size, peer_reps)
            row["peer"] = p
            row["speedRatio"] = p["secondsPerReplication"] / one["secondsPerReplication"]
        sizes.append(row)
    results["sizes"] = sizes

    # 2. Do both implementations do the same work? Compare every total mean (small and medium).
    agreement = []
    if not args.skip_peer:
        for size, reps in (("small", 20 if q else 100), ("medium", 4 if q else 20), ("everything", 20 if q else 100)):
            print(f"[{size}] means check with {reps} replications each ...", file=sys.stderr)
            sw = sagstal(size, reps, cores)
            pe = peer(size, reps)
            cmp = subprocess.run([sys.executable, COMPARE, os.path.join(sw["output"], "summary.json"),
                                  os.path.join(pe["output"], "summary.json")], capture_output=True, text=True, cwd=ROOT)
            agreement.append({"size": size, "replications": reps, "agree": cmp.returncode == 0,
                              "report": cmp.stdout.strip().splitlines()[-3:]})
    results["agreement"] = agreement

    # 3. Targets: 1,000 replications × 10 years of medium on all cores.
    n = 100 if q else 1000
    print(f"[medium] {n} replications × 10 years on {cores} cores ...", file=sys.stderr)
    results["target1000"] = sagstal("medium", n, cores)

    # 4. Memory: independent of replications; linear in municipality size.
    mem_reps = [100, 1000] if q else [100, 1000, 10000]
    results["memoryVsReplications"] = []
    for r in mem_reps:
        print(f"[medium] memory with {r} replications × 1 year ...", file=sys.stderr)
        results["memoryVsReplications"].append(sagstal("medium", r, cores, years=1))
    results["memoryVsSize"] = [sagstal(s, 2, 1) for s in ("small", "medium", "large")]

    # 5. Scaling: replications, years, jobs.
    base = 25 if q else 100
    results["scalingReplications"] = [sagstal("medium", r, cores) for r in (base, 2 * base, 4 * base)]
    results["scalingYears"] = [sagstal("medium", base, cores, years=y) for y in (2.5, 5, 10)]
    results["scalingJobs"] = [sagstal("medium", base, j) for j in range(1, cores + 1)]
    # 6. Issue 15's whole-command and fixed-cost targets.
    results["round2"] = round2(q, cores, args.skip_peer, results)
    results["finishedAt"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    results["machine"]["loadAverageAtEnd"] = os.getloadavg()

    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output + ".tmp", "w") as f:
        json.dump(results, f, indent=2)
    os.replace(args.output + ".tmp", args.output)

    f1 = lambda x: f"{x:,.1f}"
    f2 = lambda x: f"{x:,.2f}"
    m = results["machine"]
    print(f"\nMachine: {m['cpu']}, {m['cores']} cores, {m['memoryGiB']} GiB; {m['swift']}; GSL {m['gsl']}; "
          f"Python {m['python']}, SimPy {m['simpy']}; load average at start {m['loadAverageAtStart'][0]:.2f}\n")
    print("Speed per size (sagstal on 1 core and on all cores; the SimPy peer on 1 core):\n")
    cols = [("size", lambda r: r["size"]),
            ("replications", lambda r: str(r["sagstal1"]["replications"])),
            ("events / replication", lambda r: f"{r['sagstal1']['events'] // r['sagstal1']['replications']:,}"),
            ("sagstal M events/s/core", lambda r: f2(r["sagstal1"]["eventsPerSecondPerCore"] / 1e6)),
            ("sagstal s/replication", lambda r: f"{r['sagstal1']['secondsPerReplication']:.4f}"),
            (f"replications/s ({cores} cores)", lambda r: f1(r["sagstalAll"]["replicationsPerSecond"])),
            ("peak RSS MiB", lambda r: f1(r["sagstal1"]["peakRSSMiB"]))]
    if not args.skip_peer:
        cols += [("peer s/replication", lambda r: f"{r['peer']['secondsPerReplication']:.3f}"),
                 ("peer k events/s", lambda r: f1(r["peer"]["eventsPerSecond"] / 1e3)),
                 ("speed ratio", lambda r: f"{r['speedRatio']:.0f}×")]
    print(table(sizes, cols))
    if agreement:
        print("\nSame work? Every total metric's mean, sagstal vs peer:\n")
        for a in agreement:
            print(f"- {a['size']}, {a['replications']} replications each: {'agree' if a['agree'] else 'DISAGREE'} — "
                  + " ".join(a["report"]))
    t = results["target1000"]
    print(f"\n{t['replications']} replications × 10 years of medium on {cores} cores: {t['wallSeconds']:.2f} s wall "
          f"for the whole command, {t['simulationSeconds']:.2f} s simulating "
          f"({t['events']:,} events, {t['eventsPerSecond'] / 1e6:.2f} M events/s, peak RSS {t['peakRSSMiB']:.1f} MiB)\n")
    print("Peak memory vs replications (medium, 1 year):\n")
    print(table(results["memoryVsReplications"], [("replications", lambda r: f"{r['replications']:,}"),
                                                   ("wall s", lambda r: f2(r["wallSeconds"])),
                                                   ("peak RSS MiB", lambda r: f1(r["peakRSSMiB"]))]))
    print("\nPeak memory vs municipality size (2 replications, 1 job):\n")
    print(table(results["memoryVsSize"], [("size", lambda r: r["size"]),
                                          ("events / replication", lambda r: f"{r['events'] // 2:,}"),
                                          ("peak RSS MiB", lambda r: f1(r["peakRSSMiB"]))]))
    print("\nScaling (medium):\n")
    rows = ([("replications", r["replications"], r) for r in results["scalingReplications"]]
            + [("years", r["years"], r) for r in results["scalingYears"]]
            + [("jobs", r["jobs"], r) for r in results["scalingJobs"]])
    print(table(rows, [("vary", lambda x: x[0]), ("value", lambda x: str(x[1])),
                       ("replications × years × jobs", lambda x: f"{x[2]['replications']} × {x[2]['years']} × {x[2]['jobs']}"),
                       ("wall s", lambda x: f2(x[2]["wallSeconds"])),
                       ("simulating s", lambda x: f2(x[2]["simulationSeconds"])),
                       ("M events/s", lambda x: f2(x[2]["eventsPerSecond"] / 1e6))]))
    print_round2(results["round2"], cores)
    if not args.skip_event_queue:
        print("\n" + event_queue_table(q))
    print(f"\nWrote {args.output}")


if __name__ == "__main__":
    main()
