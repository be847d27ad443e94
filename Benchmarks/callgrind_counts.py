#!/usr/bin/env python3
"""Exact instruction counts of sagstal builds under callgrind (issue 15: callgrind before/after).

Usage:  python3 Benchmarks/callgrind_counts.py BINARY [BINARY ...]

For each binary (a release build; it is copied and stripped of debug info first, so that the
symbol names stay and the counts do not depend on the build folder) prints, with valgrind's
callgrind tool:
  * the instructions of one replication of medium and of small (10 years; inclusive cost of
    `Replication.run`, collected only inside it, one job);
  * the instructions of the whole command `sagstal run small -n 1 -j 1` (start-up, loading,
    one replication, aggregation and every output file).
Counts are exact and repeatable (±0.01 %), unlike wall times; BENCHMARKS.md quotes them.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN = "$s12SagstalModel11ReplicationC3run0A5Stats0C6RecordVyKF"


def instructions(binary, args, collect=None):
    work = tempfile.mkdtemp(prefix="cg-")
    try:
        out = os.path.join(work, "cg.out")
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
        if collect:
            cmd.append(f"--toggle-collect={collect}")
        cmd += [binary] + args + ["-o", os.path.join(work, "o")]
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        m = re.search(r"refs:\s+([\d,]+)", r.stderr)
        if r.returncode != 0 or not m:
            sys.exit(f"callgrind failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr[-2000:]}")
        return int(m.group(1).replace(",", ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    if len(sys.argv) < 2 or shutil.which("valgrind") is None:
        sys.exit(__doc__ if len(sys.argv) < 2 else "valgrind is not installed (apt-get install -y valgrind)")
    scen = lambda s: os.path.join(ROOT, "Benchmarks", "scenarios", f"{s}.yaml")
    print("| binary | medium: instructions / replication | small: instructions / replication | "
          "whole command `run small -n 1 -j 1` |")
    print("| --- | --- | --- | --- |")
    for b in sys.argv[1:]:
        stripped = tempfile.mktemp(prefix="sagstal-stripped-")
        subprocess.run(["strip", "--strip-debug", "-o", stripped, b], check=True)
        try:
            med = instructions(stripped, ["run", scen("medium"), "-n", "1", "-j", "1", "-q"], RUN)
            small = instructions(stripped, ["run", scen("small"), "-n", "1", "-j", "1", "-q"], RUN)
            whole = instructions(stripped, ["run", scen("small"), "-n", "1", "-j", "1", "-q"])
        finally:
            os.unlink(stripped)
        print(f"| {b} | {med / 1e6:,.1f} M | {small / 1e6:,.1f} M | {whole / 1e6:,.1f} M |", flush=True)


if __name__ == "__main__":
    main()
