#!/usr/bin/env python3
"""Mutation fuzzer for sagstal scenario files (issue 9, build item 6). Python 3 standard library only.

Generates mutated copies of the scenario files in Scenarios/ (YAML-aware text mutations:
extreme and foreign-locale numbers, deleted/duplicated keys, swapped types, deep nesting,
anchor/alias bombs, tabs, unicode, truncation, byte flips, odd `extends`), runs the release
binary's `sagstal validate` on each and, for the files that validate, a short
`sagstal run -n 1 --years 1 --quiet -o DIR`, each under a time-out and an address-space limit,
and classifies the outcome:

  refusal    non-zero documented exit code with a located `file:line:col: error:` message
             and nothing written
  accept     exit 0 with a complete output folder that passes the checks below
  crash      killed by a signal, an exit code outside 0,64,65,66,70,73,74, or
             "Fatal error" / a crash report / register dump on stderr
  hang       time-out (validate or run)
  nonsense   exit 0 but NaN/null/inf in summary.json (null is fine in a statistic with n = 0, an
             empty ratio by design), a negative count, a missing output file,
             or a scenario.resolved.yaml that `sagstal validate` refuses; also a refusal that
             wrote files
  unlocated  non-zero documented exit code without a `file:line:col:` location (the work
             estimate's "this run would process about …" refusal, exit 65, counts as a refusal)

Every crash/hang/nonsense/unlocated input is saved to the findings folder with a .txt beside
it (outcome, signature, command, exit code, the end of stderr, the mutations applied).
The same --seed gives the same files and (for a deterministic binary) the same table.

    swift build -c release
    python3 Tests/Fuzz/mutate.py --count 2000 --seed 1 --jobs 2

See Tests/Fuzz/README.md and docs/reliability.md.
"""

import argparse
import bisect
import collections
import concurrent.futures
import json
import math
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOCUMENTED_EXIT = {0, 64, 65, 66, 70, 73, 74}
OUTPUT_FILES = ["scenario.resolved.yaml", "summary.json", "yearly.csv", "monthly.csv",
                "replications.csv", "run.json"]
LOCATED = re.compile(r"^[^\s:][^:\n]*:\d+:\d+: error:", re.M)
CRASH_MARKERS = ["Fatal error", "Program crashed", "Crashed thread", "Current stack trace",
                 "Segmentation fault", "Illegal instruction", "rax 0x", "rip 0x",
                 "Backtrace", "gsl: ", "Default GSL error handler"]

# ---------------------------------------------------------------------------------------------
# Mutations. Each takes (rng, text) and returns (new_text, description).

EXTREME_NUMBERS = [
    "0", "-1", "1", "-0", "0.0", "1e308", "-1e308", "1e-308", "5e-324", "1e309", "nan", ".nan", ".NaN",
    "inf", ".inf", "-.inf", "Infinity", "9223372036854775807", "9223372036854775808",
    "-9223372036854775809", "18446744073709551616", "99999999999999999999999999999",
    "4294967296", "2147483648", "1e15", "1e16", "0.5", "1.0000000000000002", "1e-6", "1e-12",
    "470.000", "0,35", "35%", "1.234,56", "1 000", "190:20:30", "0x7fffffff", "0xffffffffffffffff",
    "0o777", "0b101", "1_000_000", "+12", "yes", "no", "on", "off", "~", "null", "''", '""',
    "1e", "--1", "1..2", "٣", "１２", "½", "1/3", "2026-13-45", "12:00", "=", "!!float 1",
    "!!int 7", "!!str 5", "!!binary aGVsbG8=", "!!timestamp 2026-01-01",
]

STRANGE_STRINGS = [
    "", " ", "\u200b", "\ufeff", "\u202eevil", "é", "e\u0301", "🦀", "中文", "Ω" * 300, "a" * 5000,
    "\\x00", "%s%s%n", "../../etc/passwd", "'single", '"double', "{", "[", "*alias", "&anchor",
    "!tag", "|", ">", "- item", "? key", "key: value", "#comment", "@", "`", "\u0085", "\u2028",
]

SWAP_VALUES = [
    "[]", "{}", "[1, 2, 3]", "{a: 1}", "{dist: gamma}", "{dist: gamma, mean: 1, sd: 1}",
    "{dist: exponential, mean: 0}", "{dist: empirical, values: [], weights: []}",
    "{dist: empirical, values: [1, 2], weights: [0, 0]}", "{dist: empirical, values: [1], weights: [1, 2]}",
    "{dist: lognormal, mean: 1e9, sd: 1e15}", "{dist: uniform, min: 5, max: 1}", "{dist: nosuch, mean: 1}",
    "true", "false", "~", "'text'", "\"0\"", "- 1\n- 2", "!!set {a, b}", "!!omap [a: 1]",
    "<<: {a: 1}", "[[1]]", "2026-01-01", "2026-02-30", "9999-12-31", "0000-01-01",
]

EXTENDS_VALUES = [
    "/dev/zero", "/dev/null", "/dev/urandom", "/proc/self/mem", "/etc/passwd", "base", "base/",
    "nosuch.yaml", "base/denmark.yaml\x00x", "../Scenarios/base/denmark.yaml", "~", "[a.yaml, b.yaml]",
    "{file: a.yaml}", "''", "SELF", "base/../base/denmark.yaml", "/", "a" * 5000 + ".yaml",
]

KEY_LINE = re.compile(r"^(?P<indent>[ -]*)(?P<key>[A-Za-z_][\w.]*):(?P<rest>.*)$")
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.:])")
FLOW_VALUE = re.compile(r"(?P<pre>[{,]\s*[A-Za-z_]\w*:\s*)(?P<val>[^,{}\[\]]+?)(?P<post>\s*[,}])")


def _lines(text):
    return text.split("\n")


def _content_lines(lines):
    return [i for i, l in enumerate(lines) if l.strip() and not l.lstrip().startswith("#")]


def _block_end(lines, i):
    """The end (exclusive) of the block that starts at line i: the following lines indented deeper."""
    indent = len(lines[i]) - len(lines[i].lstrip(" -"))
    j = i + 1
    while j < len(lines):
        l = lines[j]
        if l.strip() and not l.lstrip().startswith("#") and len(l) - len(l.lstrip(" -")) <= indent:
            break
        j += 1
    return j


def _comment_test(text):
    """A function telling whether offset i of text is inside a `#` comment (roughly: after a `#` on
    its line). Linear set-up, so that a 200,000-item one-line list stays fast."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    hashes = [text.find("#", a, (starts[k + 1] if k + 1 < len(starts) else len(text)))
              for k, a in enumerate(starts)]

    def commented(i):
        k = bisect.bisect_right(starts, i) - 1
        return hashes[k] != -1 and hashes[k] < i
    return commented


def m_number(rng, text):
    commented = _comment_test(text)
    spans = [m.span() for m in NUMBER.finditer(text) if not commented(m.start())]
    if not spans:
        return text, "number: none"
    a, b = rng.choice(spans)
    new = rng.choice(EXTREME_NUMBERS)
    return text[:a] + new + text[b:], f"number {text[a:b]!r} -> {new!r} at offset {a}"


def m_flow_value(rng, text):
    found = list(FLOW_VALUE.finditer(text))
    commented = _comment_test(text)
    found = [m for m in found if not commented(m.start())]
    if not found:
        return m_number(rng, text)
    m = rng.choice(found)
    new = rng.choice(EXTREME_NUMBERS + SWAP_VALUES[:14])
    return text[:m.start("val")] + new + text[m.end("val"):], f"flow value {m.group('val')!r} -> {new!r}"


def m_delete_key(rng, text):
    lines = _lines(text)
    keys = [i for i in _content_lines(lines) if KEY_LINE.match(lines[i])]
    if not keys:
        return text, "delete: none"
    i = rng.choice(keys)
    j = _block_end(lines, i)
    desc = f"delete key {lines[i].strip()[:40]!r} (lines {i + 1}-{j})"
    return "\n".join(lines[:i] + lines[j:]), desc


def m_duplicate_key(rng, text):
    lines = _lines(text)
    keys = [i for i in _content_lines(lines) if KEY_LINE.match(lines[i])]
    if not keys:
        return text, "duplicate: none"
    i = rng.choice(keys)
    j = _block_end(lines, i)
    block = lines[i:j]
    return "\n".join(lines[:j] + block + lines[j:]), f"duplicate key {lines[i].strip()[:40]!r}"


def m_swap_type(rng, text):
    lines = _lines(text)
    keys = [i for i in _content_lines(lines) if KEY_LINE.match(lines[i])]
    if not keys:
        return text, "swap: none"
    i = rng.choice(keys)
    m = KEY_LINE.match(lines[i])
    new = rng.choice(SWAP_VALUES + STRANGE_STRINGS[:6])
    if "\n" in new:
        ind = " " * (len(m.group("indent")) + 2)
        new = "\n" + "\n".join(ind + p for p in new.split("\n"))
    j = _block_end(lines, i) if not m.group("rest").strip() or m.group("rest").strip().startswith("#") else i + 1
    lines[i:j] = [f"{m.group('indent')}{m.group('key')}: {new}"]
    return "\n".join(lines), f"swap {m.group('key')!r} -> {new.strip()[:40]!r}"


def m_deep_nesting(rng, text):
    depth = rng.choice([50, 200, 1000, 5000, 20000, 100000])
    kind = rng.choice(["[", "{a: ", "- "])
    if kind == "[":
        value = "[" * depth + "1" + "]" * depth
    elif kind == "{a: ":
        value = "{a: " * depth + "1" + "}" * depth
    else:  # block sequences nested by indentation
        depth = min(depth, 2000)
        value = "\n" + "\n".join(" " * (2 + k) + "-" for k in range(depth)) + " 1"
    key = rng.choice(["nesting", "notifications", "teams", "simulation", "ladder", "children"])
    return text + f"\n{key}: {value}\n", f"deep nesting {kind!r} x{depth} under {key!r}"


def m_billion_laughs(rng, text):
    levels = rng.choice([5, 9, 12, 20])
    width = rng.choice([5, 10])
    out = [f"lol0: &a0 [\"lol\"]"]
    for k in range(1, levels):
        out.append(f"lol{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * width) + "]")
    key = rng.choice(["bomb", "notifications", "teams", "ladder"])
    out.append(f"{key}: *a{levels - 1}")
    if rng.random() < 0.5:  # a merge-key variant
        out.append(f"m0: &m0 {{x: 1}}")
        for k in range(1, levels):
            out.append(f"m{k}: &m{k} {{<<: *m{k - 1}, y{k}: 1}}")
    return "\n".join(out) + "\n" + text, f"billion laughs {width}^{levels} under {key!r}"


def m_alias(rng, text):
    """Anchor one block and alias it elsewhere (legitimate YAML, odd for the schema)."""
    lines = _lines(text)
    keys = [i for i in _content_lines(lines) if KEY_LINE.match(lines[i]) and lines[i][0] != " "]
    if len(keys) < 2:
        return text, "alias: none"
    i, k = rng.sample(keys, 2)
    mi, mk = KEY_LINE.match(lines[i]), KEY_LINE.match(lines[k])
    lines[i] = f"{mi.group('key')}: &anc{mi.group('rest')}"
    j = _block_end(lines, k)
    lines[k:j] = [f"{mk.group('key')}: *anc"]
    return "\n".join(lines), f"alias {mk.group('key')!r} = *{mi.group('key')!r}"


def m_tabs(rng, text):
    lines = _lines(text)
    c = [i for i in _content_lines(lines) if lines[i].startswith(" ")] or _content_lines(lines)
    if not c:
        return text, "tabs: none"
    i = rng.choice(c)
    stripped = lines[i].lstrip(" ")
    lines[i] = "\t" * rng.randint(1, 3) + stripped if rng.random() < 0.7 else lines[i].replace(": ", ":\t", 1)
    return "\n".join(lines), f"tab on line {i + 1}"


def m_unicode(rng, text):
    s = rng.choice(STRANGE_STRINGS)
    pos = rng.randrange(len(text) + 1)
    return text[:pos] + s + text[pos:], f"insert {s[:20]!r} at {pos}"


def m_truncate(rng, text):
    pos = rng.randrange(len(text) + 1)
    return text[:pos], f"truncate at {pos}/{len(text)}"


def m_byte_flip(rng, text):
    data = bytearray(text.encode("utf-8", errors="surrogateescape"))
    n = rng.randint(1, 8)
    for _ in range(n):
        if data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return data.decode("utf-8", errors="surrogateescape"), f"{n} bit flips"


def m_extends(rng, text):
    new = rng.choice(EXTENDS_VALUES)
    if re.search(r"^extends:.*$", text, re.M):
        return re.sub(r"^extends:.*$", lambda _: f"extends: {new}", text, count=1, flags=re.M), f"extends -> {new[:40]!r}"
    return f"extends: {new}\n" + text, f"add extends {new[:40]!r}"


def m_long_list(rng, text):
    n = rng.choice([13, 100, 10000, 200000])
    key = rng.choice(["seasonality", "weights", "values", "teams", "ladder"])
    lines = _lines(text)
    cands = [i for i in _content_lines(lines) if re.match(rf"^\s*{key}:", lines[i])]
    item = {"teams": "{id: t%d, caseworkers: 1, cap: 1}", "ladder": "{id: s%d, duration: 1}"}.get(key, "%d")
    value = "[" + ", ".join(item % k if "%d" in item else item for k in range(n)) + "]"
    if cands:
        i = rng.choice(cands)
        ind = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
        lines[i:_block_end(lines, i)] = [f"{ind}{key}: {value}"]
        return "\n".join(lines), f"{key} list of {n}"
    return text + f"\n{key}: {value}\n", f"top-level {key} list of {n}"


def m_set_like(rng, text):
    """Plausible-looking but out-of-range values for keys that the model depends on."""
    key = rng.choice(["years", "warmupYears", "replications", "seed", "perYear", "caseworkers", "cap",
                      "mean", "sd", "duration", "costPerYear", "growthPerYear", "ageOut", "share",
                      "close", "help", "foster", "exit", "up", "down", "opensCase", "deadlineDays"])
    lines = _lines(text)
    cands = [i for i in _content_lines(lines) if re.search(rf"(^|[\s{{,]){key}:", lines[i])]
    if not cands:
        return m_number(rng, text)
    i = rng.choice(cands)
    new = rng.choice(EXTREME_NUMBERS)
    lines[i] = re.sub(rf"((?:^|[\s{{,]){key}:\s*)([^,}}#\n]*)", lambda m: m.group(1) + new + " ", lines[i], count=1)
    return "\n".join(lines), f"{key} -> {new!r} on line {i + 1}"


MUTATIONS = [
    (m_number, 10), (m_set_like, 10), (m_flow_value, 6), (m_delete_key, 6), (m_duplicate_key, 3),
    (m_swap_type, 6), (m_deep_nesting, 2), (m_billion_laughs, 2), (m_alias, 2), (m_tabs, 2),
    (m_unicode, 2), (m_truncate, 2), (m_byte_flip, 2), (m_extends, 2), (m_long_list, 2),
]


def mutate(rng, text):
    funcs, weights = zip(*MUTATIONS)
    applied = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        f = rng.choices(funcs, weights)[0]
        text, desc = f(rng, text)
        applied.append(f"{f.__name__[2:]}: {desc}")
    return text, applied


# ---------------------------------------------------------------------------------------------
# Running and classifying.

def limits(mem_bytes):
    def preexec():
        os.setsid()
        resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return preexec


LIVE = set()  # process groups of running commands, killed if the fuzzer itself is stopped


def kill_live(*_):
    for pgid in list(LIVE):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except OSError:
            pass
    os._exit(130)


def execute(args, cwd, timeout, mem):
    t0 = time.monotonic()
    p = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         preexec_fn=limits(mem), env={**os.environ, "SWIFT_BACKTRACE": "enable=no"})
    LIVE.add(p.pid)
    try:
        out, err = p.communicate(timeout=timeout)
        hung = False
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        hung = True
    finally:
        LIVE.discard(p.pid)
    return {"rc": p.returncode, "out": out.decode("utf-8", "replace"), "err": err.decode("utf-8", "replace"),
            "hung": hung, "secs": time.monotonic() - t0}


def crash_signature(r):
    if r["rc"] is not None and r["rc"] < 0:
        sig = signal.Signals(-r["rc"]).name if -r["rc"] in signal.Signals._value2member_map_ else str(-r["rc"])
    else:
        sig = f"exit {r['rc']}"
    m = re.search(r"Fatal error: ?(.*)", r["err"])
    if m:
        # Strip numbers and file positions so that one defect gives one signature.
        msg = re.sub(r"\d+", "N", m.group(1))[:120]
        return f"{sig}: Fatal error: {msg}"
    m = re.search(r"(gsl: .*)", r["err"])
    if m:
        return f"{sig}: {re.sub(r'[0-9]+', 'N', m.group(1))[:120]}"
    tail = [l for l in r["err"].strip().split("\n") if l.strip()]
    return f"{sig}: {re.sub(r'[0-9]+', 'N', tail[-1])[:120]}" if tail else sig


def is_crash(r):
    if r["rc"] is None or r["rc"] < 0 or r["rc"] not in DOCUMENTED_EXIT:
        return True
    return any(mk in r["err"] for mk in CRASH_MARKERS)


# The pre-run work estimate refuses a run of hours (or of more memory than the machine has)
# with the estimate, not a location: the scenario is valid, the run is too large
# (docs/model.md, "Runs that could never end"). It counts as a refusal.
TOO_LARGE = re.compile(r"^error: this run would (process|need) about", re.M)


def refusal_kind(r, stage, wrote):
    if r["rc"] == 65 and TOO_LARGE.search(r["err"]) and not wrote:
        return "refusal", None
    if not LOCATED.search(r["err"]):
        first = (r["err"].strip().split("\n") or [""])[0]
        return "unlocated", f"{stage} exit {r['rc']} unlocated: {re.sub(r'[0-9]+', 'N', first)[:120]}"
    if wrote:
        return "nonsense", f"{stage} refusal wrote files"
    return "refusal", None


def bad_numbers(node, path=""):
    """Yields (path, value) for NaN/inf/null and negative numbers in summary.json's statistics."""
    if isinstance(node, dict):
        empty = node.get("n") == 0  # an empty ratio is null by design (docs/model.md)
        for k, v in node.items():
            if empty and (v is None or (isinstance(v, list) and all(x is None for x in v))):
                continue
            yield from bad_numbers(v, f"{path}.{k}" if path else k)
    elif isinstance(node, list):
        for k, v in enumerate(node):
            yield from bad_numbers(v, f"{path}[{k}]")
    elif node is None:
        yield path, "null"
    elif isinstance(node, float) and (math.isnan(node) or math.isinf(node)):
        yield path, repr(node)
    elif isinstance(node, (int, float)) and not isinstance(node, bool) and node < 0:
        yield path, f"negative {node}"


def metric_name(path):
    """`yearly[3].metrics.team.east.caseloadMean.ci95[0]` -> `team.*.caseloadMean` (one name per metric kind)."""
    p = re.sub(r"^(totals\.|yearly\[\d+\]\.(metrics\.)?)", "", path)
    p = re.sub(r"\.(n|mean|sd|ci95|p\d+)(\[\d+\])?$", "", p)
    return re.sub(r"(^|\.)(team|step)\.[^.]+(\.|$)", r"\1\2.*\3", p)


def check_output(outdir, binary, cwd, timeout, mem):
    """Problems with a run's output folder (empty list when it is fine)."""
    problems = []
    for f in OUTPUT_FILES:
        if not os.path.isfile(os.path.join(outdir, f)):
            problems.append(f"missing {f}")
    summary = os.path.join(outdir, "summary.json")
    if os.path.isfile(summary):
        raw = open(summary, encoding="utf-8", errors="replace").read()
        # json.loads reads NaN/Infinity as floats, so bad_numbers sees them (and not the same
        # words inside strings such as the scenario's name).
        try:
            data = json.loads(raw)
            bad = collections.defaultdict(set)
            for p, v in bad_numbers({"totals": data.get("totals"), "yearly": data.get("yearly")}):
                bad[v.split(" ")[0]].add(metric_name(p))
            for kind, metrics in bad.items():
                problems.append(f"summary.json {kind}: {', '.join(sorted(metrics)[:3])}")
        except ValueError as e:
            problems.append(f"summary.json is not JSON: {str(e)[:60]}")
    resolved = os.path.join(outdir, "scenario.resolved.yaml")
    if os.path.isfile(resolved):
        r = execute([binary, "validate", resolved], cwd, timeout, mem)
        if r["hung"] or is_crash(r) or r["rc"] != 0:
            first = next((l for l in r["err"].split("\n") if "error:" in l), r["err"][:100])
            msg = re.sub(r"^.*?error: ", "", first)
            problems.append(f"scenario.resolved.yaml refused: {re.sub(r'[0-9]+', 'N', msg)[:100]}")
    # One signature per distinct kind of problem.
    return sorted(set(problems))


def run_case(case):
    """Runs one mutated file; returns a result dict (outcome, signature, stage, details)."""
    idx, path, work, binary, timeout, mem = (case[k] for k in ("idx", "path", "work", "binary", "timeout", "mem"))
    res = {"idx": idx, "stages": []}
    v = execute([binary, "validate", path], work, timeout, mem)
    res["stages"].append(("validate", v))
    if v["hung"]:
        return {**res, "outcome": "hang", "signature": "validate: time-out"}
    if is_crash(v):
        return {**res, "outcome": "crash", "signature": "validate: " + crash_signature(v)}
    if v["rc"] != 0:
        kind, sig = refusal_kind(v, "validate", False)
        return {**res, "outcome": kind, "signature": sig}
    out = os.path.join(work, f"out-{idx}")
    args = [binary, "run", path, "-n", "1", "--years", "1", "--seed", "1", "-o", out, "--quiet", "--jobs", "1"]
    r = execute(args, work, timeout, mem)
    if r["hung"] and case.get("recheck", 0) > timeout:
        # A hang is a run that never ends: give a time-out one more chance with a long limit.
        # One that finishes then is slow, not hung, and is classified by that run (and counted
        # apart as "slow" in the summary).
        shutil.rmtree(out, ignore_errors=True)
        first = r
        r = execute(args, work, case["recheck"], mem)
        if not r["hung"]:
            res["slow"] = r["secs"]
            res["stages"].append(("run (timed out)", first))
    res["stages"].append(("run", r))
    try:
        if r["hung"]:
            return {**res, "outcome": "hang", "signature": "run: time-out"}
        if is_crash(r):
            return {**res, "outcome": "crash", "signature": "run: " + crash_signature(r)}
        if r["rc"] != 0:
            kind, sig = refusal_kind(r, "run", os.path.exists(out))
            if kind == "refusal":  # validate accepted what run refused: record it, it is not a crash
                return {**res, "outcome": "refusal", "signature": None, "stage": "run"}
            return {**res, "outcome": kind, "signature": sig}
        problems = check_output(out, binary, work, timeout, mem)
        if problems:
            return {**res, "outcome": "nonsense", "signature": "run: " + "; ".join(problems[:4])}
        return {**res, "outcome": "accept", "signature": None}
    finally:
        shutil.rmtree(out, ignore_errors=True)


def sources(root):
    d = os.path.join(root, "Scenarios")
    names = sorted(f for f in os.listdir(d) if f.endswith(".yaml"))
    names += sorted("base/" + f for f in os.listdir(os.path.join(d, "base")) if f.endswith(".yaml"))
    return [(n, open(os.path.join(d, n), encoding="utf-8").read()) for n in names]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=200, help="number of mutated files (default 200)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--jobs", type=int, default=2, help="files run in parallel (default 2)")
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "sagstal"),
                    help="the sagstal binary (default .build/release/sagstal)")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per command (default 10)")
    ap.add_argument("--recheck", type=float, default=0.0,
                    help="rerun a short run that timed out once with this limit (seconds); one that finishes "
                         "then counts as slow, not as a hang (default 0: no recheck)")
    ap.add_argument("--memory-gb", type=float, default=4.0, help="address-space limit per command (default 4)")
    ap.add_argument("--findings", default=os.path.join(ROOT, "Outputs", "fuzz-findings"),
                    help="folder for crash/hang/nonsense/unlocated inputs (default Outputs/fuzz-findings)")
    ap.add_argument("--keep-all", action="store_true", help="also save refused and accepted inputs")
    ap.add_argument("--json", help="write the per-file results as JSON lines to this file")
    a = ap.parse_args()

    signal.signal(signal.SIGTERM, kill_live)
    signal.signal(signal.SIGINT, kill_live)
    binary = os.path.abspath(a.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"mutate.py: {binary} is not an executable; build it with `swift build -c release`")
    mem = int(a.memory_gb * 2 ** 30)
    srcs = sources(ROOT)
    tmp = tempfile.mkdtemp(prefix="sagstal-mutate-")
    work = os.path.join(tmp, "Scenarios")
    shutil.copytree(os.path.join(ROOT, "Scenarios"), work)  # `extends: base/denmark.yaml` resolves here
    findings = os.path.abspath(a.findings)
    os.makedirs(findings, exist_ok=True)

    cases = []
    for i in range(a.count):
        rng = random.Random(f"{a.seed}:{i}")  # per file, so results do not depend on --jobs
        name, text = srcs[rng.randrange(len(srcs))]
        mutated, applied = mutate(rng, text)
        # Files extending base/ live next to it; a mutated base file is loaded on its own.
        fname = f"case-{a.seed}-{i:05d}.yaml"
        path = os.path.join(work, fname)
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(mutated)
        cases.append({"idx": i, "path": path, "work": work, "binary": binary, "timeout": a.timeout, "recheck": a.recheck, "mem": mem,
                      "source": name, "mutations": applied, "fname": fname})

    t0 = time.monotonic()
    counts = collections.Counter()
    signatures = collections.defaultdict(list)
    kinds_of = {}
    results = []
    run_refusals = 0
    slow_secs = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        for case, res in zip(cases, pool.map(run_case, cases)):
            counts[res["outcome"]] += 1
            run_refusals += res.get("stage") == "run"
            if "slow" in res:
                slow_secs.append(res["slow"])
            results.append((case, res))
            if res["outcome"] in ("crash", "hang", "nonsense", "unlocated") or "slow" in res or a.keep_all:
                sub = os.path.join(findings, "slow" if "slow" in res and res["outcome"] == "accept" else res["outcome"])
                os.makedirs(sub, exist_ok=True)
                shutil.copy(case["path"], os.path.join(sub, case["fname"]))
                with open(os.path.join(sub, case["fname"][:-5] + ".txt"), "w", encoding="utf-8") as f:
                    f.write(f"outcome: {res['outcome']}\nsignature: {res['signature']}\n")
                    f.write(f"source: Scenarios/{case['source']}\nmutations:\n")
                    f.writelines(f"  - {m}\n" for m in case["mutations"])
                    for stage, r in res["stages"]:
                        f.write(f"\n== {stage}: exit {r['rc']}, {r['secs']:.2f} s{', TIME-OUT' if r['hung'] else ''}\n")
                        f.write(r["err"][-3000:])
            if res["signature"]:
                signatures[(res["outcome"], res["signature"])].append(case["fname"])
                kinds_of[case["fname"]] = {m.split(":")[0] for m in case["mutations"]}
            os.remove(case["path"])
    secs = time.monotonic() - t0
    shutil.rmtree(tmp, ignore_errors=True)

    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            for case, res in results:
                f.write(json.dumps({"file": case["fname"], "source": case["source"], "mutations": case["mutations"],
                                    "outcome": res["outcome"], "signature": res["signature"],
                                    "exit": [r["rc"] for _, r in res["stages"]]}) + "\n")

    print(f"sagstal mutation fuzzer: {a.count} files, seed {a.seed}, {a.jobs} jobs, {secs:.1f} s "
          f"({a.count / secs:.1f} files/s), binary {binary}")
    print()
    print("| outcome | files | share |")
    print("| --- | ---: | ---: |")
    for k in ["refusal", "accept", "crash", "hang", "nonsense", "unlocated"]:
        print(f"| {k} | {counts[k]} | {100 * counts[k] / max(a.count, 1):.1f} % |")
    print(f"\n(refusals include {run_refusals} where `validate` accepted and the short `run` refused)")
    if slow_secs:
        print(f"({len(slow_secs)} runs exceeded the {a.timeout:g} s limit but finished on the recheck "
              f"in {min(slow_secs):.1f}–{max(slow_secs):.1f} s: slow, not hung; classified by that run)")
    if signatures:
        print("\n| outcome | files | signature | mutations in those files | example |")
        print("| --- | ---: | --- | --- | --- |")
        for (outcome, sig), files in sorted(signatures.items(), key=lambda kv: (kv[0][0], -len(kv[1]))):
            kinds = collections.Counter(k for f in files for k in kinds_of[f])
            seen = ", ".join(f"{k} {n}" for k, n in kinds.most_common(3))
            print(f"| {outcome} | {len(files)} | {sig.replace('|', '¦')} | {seen} | {outcome}/{files[0]} |")
    print(f"\nfindings in {findings}")
    return 1 if any(counts[k] for k in ("crash", "hang", "nonsense", "unlocated")) else 0


if __name__ == "__main__":
    sys.exit(main())
