#!/usr/bin/env python3
"""Cross-check sagstal's sensitivity statistics (Sources/SagstalSensitivity) against SALib.

Usage
-----
    python3 Benchmarks/salib_crosscheck.py fixtures [--out DIR]
    python3 Benchmarks/salib_crosscheck.py check DIR [--exact TOL] [--seed S]
    python3 Benchmarks/salib_crosscheck.py selftest

SALib comes from PyPI: when the running Python cannot import SALib ==SALIB_VERSION, the script
creates a virtual environment in /tmp/sagstal-salib-venv (or $SAGSTAL_SALIB_VENV), runs
`pip install SALib==SALIB_VERSION` there and re-runs itself with that environment's Python.
Set SAGSTAL_SALIB_VERSION=any to accept whatever SALib is installed (or to install the newest).

fixtures
    Writes the Ishigami fixtures of Tests/SagstalSensitivityTests (plain CSV, 17 significant
    digits, so every number round-trips exactly):
      ishigami-sobol.csv        row,x1,x2,x3,y   SALib.sample.sobol.sample(N=1024,
                                calc_second_order=False, scramble=True, seed=SOBOL_SEED),
                                y = SALib.test_functions.Ishigami.evaluate (a=7, b=0.1);
                                5120 rows in SALib's order (A, AB_1, AB_2, AB_3, B per block)
      ishigami-sobol-salib.csv  factor,S1,S1_conf,ST,ST_conf   SALib.analyze.sobol.analyze
                                (calc_second_order=False, num_resamples=1000, conf_level=0.95,
                                seed=SOBOL_SEED), plus S1_sd,ST_sd (sd of the resampled estimates)
                                and S1_kurtosis,ST_kurtosis (their kurtosis, m4/m2^2)
      ishigami-morris.csv       row,x1,x2,x3,y   SALib.sample.morris.sample(N=50, num_levels=4,
                                seed=MORRIS_SEED); 200 rows, trajectory-major
      ishigami-morris-salib.csv factor,mu,mu_star,sigma,mu_star_conf   SALib.analyze.morris.analyze
                                (num_levels=4, num_resamples=1000, conf_level=0.95, seed=MORRIS_SEED)
      saltelli-1d.csv           row,N,x   SALib.sample.saltelli.sample (deprecated sampler, its
                                default skip) for one factor on [-2, 5], N = 64 and N = 100,
                                calc_second_order=False: the rows of N = 64 then N = 100
      salib-versions.json       SALib, NumPy, SciPy and Python versions, seeds and settings

check DIR
    Reads a sagstal sensitivity output folder and recomputes every index with SALib on the same
    sample and outputs. The folder holds:

      sample.csv        header `row,<factor 1>,…,<factor D>`; one row per model evaluation, `row`
                        0, 1, 2, … in the order of the sampler (Saltelli blocks or Morris
                        trajectories); the factor columns in the order of "factors" below
      results.csv       header `row,<output 1>,…,<output K>`; the same rows as sample.csv
      sensitivity.json  {
          "method": "sobol" | "morris",
          "factors": [{"name": str, "lo": number, "hi": number}, …],   # sample.csv's column order
          "baseSamples": int,                    # sobol: N (sample.csv has N·(D+2) rows)
          "trajectories": int, "levels": int,    # morris: r (r·(D+1) rows) and p
          "bootstrap": int, "confidence": number, "seed": int,   # optional: 1000, 0.95, 1
          "outputs": [                            # one entry per analysed column of results.csv
            { "name": str,
              # sobol, one number per factor, factor order:
              "S1": [..], "S1_lo": [..], "S1_hi": [..], "S1_conf": [..],
              "ST": [..], "ST_lo": [..], "ST_hi": [..], "ST_conf": [..],
              # morris:
              "mu": [..], "mu_star": [..], "sigma": [..],
              "mu_star_lo": [..], "mu_star_hi": [..], "mu_star_conf": [..] }
          ] }
        X_lo/X_hi is sagstal's public CI (bootstrap percentile interval), X_conf the SALib-style
        half-width z_{(1+c)/2}·sd(bootstrap). X_conf may be left out (then the half-width is
        max(X − X_lo, X_hi − X)); X_lo/X_hi may be left out when X_conf is given. Other keys are
        ignored.

    For every output and factor it prints sagstal's and SALib's value, the difference and the
    combined half-width, and exits 1 if any index disagrees beyond the combined CI:
        |sagstal − SALib| > sqrt(h_sagstal² + h_SALib²)
    with h the two half-widths (X_conf, SALib's S1_conf / ST_conf / mu_star_conf), plus
    1e-12·|value| for rounding (an index whose every resample is the same has h = 0). μ and σ
    have no bootstrap CI in either tool; their half-widths are the normal-theory ones,
    z·σ/√r for μ and z·σ/√(2(r−1)) for σ. Both tools use the same estimators on the same data,
    so the point estimates should agree to ~1e-12; `--exact TOL` also fails on a relative
    difference above TOL. Exit 2: the folder cannot be read or does not fit its description.

selftest
    Builds folders in a temporary directory with SALib's own numbers written in the key spec
    above, runs `check` on them (must pass), then on copies with one index moved outside its CI
    (must fail) and with a sample row changed (must fail or be refused), and reports.
"""

import csv
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import warnings

SALIB_VERSION = os.environ.get("SAGSTAL_SALIB_VERSION", "1.6.0")
VENV = os.environ.get("SAGSTAL_SALIB_VENV", "/tmp/sagstal-salib-venv")
SOBOL_SEED = 20100259      # Saltelli et al. 2010, CPC 181:259
MORRIS_SEED = 1991161      # Morris 1991, Technometrics 33:161
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "SagstalSensitivityTests", "Fixtures")


def salib_version():
    from importlib.metadata import version
    return version("SALib")


def ensure_salib():
    """Import SALib, or set up the venv and re-run this script inside it."""
    try:
        import SALib  # noqa: F401
        if SALIB_VERSION == "any" or salib_version() == SALIB_VERSION:
            return
    except ImportError:
        pass
    py = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        sys.exit(f"SALib=={SALIB_VERSION} is not importable in {VENV}; remove it and rerun")
    if not os.path.exists(py):
        print(f"creating {VENV} …", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    spec = "SALib" if SALIB_VERSION == "any" else f"SALib=={SALIB_VERSION}"
    check = subprocess.run([py, "-c", "import SALib,sys; from importlib.metadata import version; v=version('SALib'); "
                            f"sys.exit(0 if {SALIB_VERSION!r}=='any' or v=={SALIB_VERSION!r} else 1)"],
                           capture_output=True)
    if check.returncode != 0:
        print(f"pip install {spec} …", file=sys.stderr)
        subprocess.check_call([py, "-m", "pip", "install", "--quiet", spec])
    os.execv(py, [py, os.path.abspath(__file__)] + sys.argv[1:])


def ishigami_problem():
    return {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-math.pi, math.pi]] * 3}


def fmt(x):
    return repr(float(x))


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)


def kurtosis(x):
    import numpy as np
    x = np.asarray(x, dtype=float)
    d = x - x.mean()
    m2 = (d ** 2).mean()
    return float((d ** 4).mean() / m2 ** 2) if m2 > 0 else float("nan")


def cmd_fixtures(out):
    import numpy as np
    import scipy
    from SALib.sample import sobol as sobol_sample, morris as morris_sample, saltelli
    from SALib.analyze import sobol as sobol_analyze, morris as morris_analyze
    from SALib.test_functions import Ishigami

    os.makedirs(out, exist_ok=True)
    problem = ishigami_problem()
    names = problem["names"]

    # Sobol
    n = 1024
    X = sobol_sample.sample(problem, n, calc_second_order=False, seed=SOBOL_SEED)
    Y = Ishigami.evaluate(X)
    Si = sobol_analyze.analyze(problem, Y, calc_second_order=False, num_resamples=1000,
                               conf_level=0.95, seed=SOBOL_SEED, keep_resamples=True)
    write_csv(os.path.join(out, "ishigami-sobol.csv"), ["row"] + names + ["y"],
              [[i] + [fmt(v) for v in X[i]] + [fmt(Y[i])] for i in range(len(Y))])
    rows = []
    for j, name in enumerate(names):
        s1all, stall = Si["S1_conf_all"][:, j], Si["ST_conf_all"][:, j]
        rows.append([name, fmt(Si["S1"][j]), fmt(Si["S1_conf"][j]), fmt(Si["ST"][j]), fmt(Si["ST_conf"][j]),
                     fmt(np.std(s1all, ddof=1)), fmt(np.std(stall, ddof=1)),
                     fmt(kurtosis(s1all)), fmt(kurtosis(stall))])
    write_csv(os.path.join(out, "ishigami-sobol-salib.csv"),
              ["factor", "S1", "S1_conf", "ST", "ST_conf", "S1_sd", "ST_sd", "S1_kurtosis", "ST_kurtosis"], rows)

    # Morris
    r = 50
    Xm = morris_sample.sample(problem, r, num_levels=4, seed=MORRIS_SEED)
    Ym = Ishigami.evaluate(Xm)
    Mi = morris_analyze.analyze(problem, Xm, Ym, num_resamples=1000, conf_level=0.95, num_levels=4,
                                seed=MORRIS_SEED)
    write_csv(os.path.join(out, "ishigami-morris.csv"), ["row"] + names + ["y"],
              [[i] + [fmt(v) for v in Xm[i]] + [fmt(Ym[i])] for i in range(len(Ym))])
    write_csv(os.path.join(out, "ishigami-morris-salib.csv"), ["factor", "mu", "mu_star", "sigma", "mu_star_conf"],
              [[name, fmt(Mi["mu"][j]), fmt(Mi["mu_star"][j]), fmt(Mi["sigma"][j]), fmt(Mi["mu_star_conf"][j])]
               for j, name in enumerate(names)])

    # Saltelli layout and skip, one factor (GSL's and Joe & Kuo's direction numbers agree in 2 dims)
    one = {"num_vars": 1, "names": ["x"], "bounds": [[-2.0, 5.0]]}
    rows = []
    k = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for nn in (64, 100):
            S = saltelli.sample(one, nn, calc_second_order=False)
            for v in S[:, 0]:
                rows.append([k, nn, fmt(v)])
                k += 1
    write_csv(os.path.join(out, "saltelli-1d.csv"), ["row", "N", "x"], rows)

    meta = {
        "generator": "Benchmarks/salib_crosscheck.py fixtures",
        "SALib": salib_version(), "numpy": np.__version__, "scipy": scipy.__version__,
        "python": sys.version.split()[0],
        "function": "SALib.test_functions.Ishigami.evaluate, a = 7, b = 0.1, x_i ~ U(-pi, pi)",
        "sobol": {"sampler": "SALib.sample.sobol.sample", "N": n, "calc_second_order": False, "scramble": True,
                  "seed": SOBOL_SEED, "num_resamples": 1000, "conf_level": 0.95, "analyze_seed": SOBOL_SEED},
        "morris": {"sampler": "SALib.sample.morris.sample", "N": r, "num_levels": 4, "seed": MORRIS_SEED,
                   "num_resamples": 1000, "conf_level": 0.95, "analyze_seed": MORRIS_SEED},
        "saltelli_1d": {"sampler": "SALib.sample.saltelli.sample (deprecated)", "N": [64, 100],
                        "bounds": [-2.0, 5.0], "calc_second_order": False, "skip_values": "default"},
    }
    with open(os.path.join(out, "salib-versions.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print(f"wrote fixtures to {os.path.normpath(out)} (SALib {salib_version()}, NumPy {np.__version__})")
    for j, name in enumerate(names):
        print(f"  {name}: S1 {Si['S1'][j]:.6f} ± {Si['S1_conf'][j]:.6f}  ST {Si['ST'][j]:.6f} ± {Si['ST_conf'][j]:.6f}"
              f"  mu* {Mi['mu_star'][j]:.6f} ± {Mi['mu_star_conf'][j]:.6f}")


class FolderError(Exception):
    pass


def read_table(path):
    try:
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
    except OSError as e:
        raise FolderError(f"{path}: {e.strerror}")
    if not rows or not rows[0] or rows[0][0] != "row":
        raise FolderError(f"{path}: the first column must be 'row'")
    header, body = rows[0], [r for r in rows[1:] if r]
    for i, r in enumerate(body):
        if len(r) != len(header):
            raise FolderError(f"{path}: line {i + 2} has {len(r)} fields, the header {len(header)}")
        if r[0] != str(i):
            raise FolderError(f"{path}: line {i + 2}: row {r[0]!r}, expected {i} (rows 0, 1, 2, … in order)")
    try:
        values = [[float(v) for v in r[1:]] for r in body]
    except ValueError as e:
        raise FolderError(f"{path}: {e}")
    return header[1:], values


def check_folder(folder, exact=None, seed=None, quiet=False):
    """Returns (exit code, lines)."""
    import numpy as np
    from scipy.stats import norm
    from SALib.analyze import sobol as sobol_analyze, morris as morris_analyze

    out = []
    try:
        with open(os.path.join(folder, "sensitivity.json")) as f:
            spec = json.load(f)
    except (OSError, ValueError) as e:
        raise FolderError(f"{folder}/sensitivity.json: {e}")
    method = spec.get("method")
    if method not in ("sobol", "morris"):
        raise FolderError(f"sensitivity.json: method must be 'sobol' or 'morris', found {method!r}")
    try:
        factors = [(f["name"], float(f["lo"]), float(f["hi"])) for f in spec["factors"]]
    except (KeyError, TypeError, ValueError):
        raise FolderError("sensitivity.json: 'factors' must be a list of {name, lo, hi}")
    names = [f[0] for f in factors]
    problem = {"num_vars": len(names), "names": names, "bounds": [[f[1], f[2]] for f in factors]}
    d = len(names)
    bootstrap = int(spec.get("bootstrap", 1000))
    conf = float(spec.get("confidence", 0.95))
    salib_seed = int(seed if seed is not None else spec.get("seed", 1)) or 1
    z = float(norm.ppf(0.5 + conf / 2))

    sample_cols, X = read_table(os.path.join(folder, "sample.csv"))
    if sample_cols != names:
        raise FolderError(f"sample.csv: columns {sample_cols}, expected the factors {names}")
    result_cols, R = read_table(os.path.join(folder, "results.csv"))
    if len(R) != len(X):
        raise FolderError(f"results.csv has {len(R)} rows, sample.csv {len(X)}")
    X = np.array(X, dtype=float)
    R = np.array(R, dtype=float)

    if method == "sobol":
        n = int(spec["baseSamples"])
        if len(X) != n * (d + 2):
            raise FolderError(f"sample.csv has {len(X)} rows; baseSamples {n} with {d} factors needs N·(D+2) = {n * (d + 2)}")
        # the Saltelli layout: AB_i = A with column i from B
        step = d + 2
        A, B = X[0::step], X[step - 1::step]
        for i in range(d):
            expect = A.copy()
            expect[:, i] = B[:, i]
            bad = np.nonzero(np.any(X[1 + i::step] != expect, axis=1))[0]
            if bad.size:
                raise FolderError(f"sample.csv row {bad[0] * step + 1 + i} is not AB_{i + 1} of its block "
                                  f"(A with column {names[i]} from B): not a Saltelli sample")
        keys = [("S1", "S1_conf"), ("ST", "ST_conf")]
    else:
        levels = int(spec["levels"])
        r = int(spec["trajectories"])
        if len(X) != r * (d + 1):
            raise FolderError(f"sample.csv has {len(X)} rows; {r} trajectories of {d} factors need r·(D+1) = {r * (d + 1)}")
        # the trajectory layout: each step moves one factor by Δ = p/(2(p−1)) of its range, each factor once
        delta = levels / (2.0 * (levels - 1))
        lo = np.array([f[1] for f in factors])
        span = np.array([f[2] - f[1] for f in factors])
        U = (X - lo) / span
        for t in range(r):
            block = U[t * (d + 1):(t + 1) * (d + 1)]
            steps = np.diff(block, axis=0)
            moved = np.abs(steps) > 1e-9
            for s_ in range(d):
                row = t * (d + 1) + s_ + 1
                if moved[s_].sum() != 1:
                    raise FolderError(f"sample.csv row {row}: {int(moved[s_].sum())} factors change from the row before; "
                                      "a Morris trajectory moves one factor per step")
                i = int(np.nonzero(moved[s_])[0][0])
                if abs(abs(steps[s_, i]) - delta) > 1e-6:
                    raise FolderError(f"sample.csv row {row}: {names[i]} moves by {abs(steps[s_, i]):.6g} of its range, "
                                      f"not Δ = {delta:.6g} for {levels} levels")
            if not np.all(moved.sum(axis=0) == 1):
                raise FolderError(f"sample.csv trajectory {t}: every factor must move exactly once")
        keys = [("mu_star", "mu_star_conf"), ("mu", None), ("sigma", None)]

    failures = 0
    exact_failures = 0
    worst_rel = 0.0
    outputs = spec.get("outputs") or []
    if not outputs:
        raise FolderError("sensitivity.json: 'outputs' is empty")
    hdr = f"{'output':<18} {'index':<10} {'factor':<14} {'sagstal':>13} {'SALib':>13} {'difference':>11} {'combined ±':>11}  verdict"
    out.append(f"{method} on {len(X)} rows, {d} factors; SALib with {bootstrap} resamples, confidence {conf}, seed {salib_seed}")
    out.append(hdr)
    out.append("─" * len(hdr))
    for o in outputs:
        name = o.get("name")
        if name not in result_cols:
            raise FolderError(f"sensitivity.json: output {name!r} is not a column of results.csv ({result_cols})")
        Y = R[:, result_cols.index(name)]
        if not np.all(np.isfinite(Y)):
            raise FolderError(f"results.csv: output {name!r} is not finite in row {int(np.nonzero(~np.isfinite(Y))[0][0])}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if method == "sobol":
                S = sobol_analyze.analyze(problem, Y, calc_second_order=False, num_resamples=bootstrap,
                                          conf_level=conf, seed=salib_seed)
            else:
                S = morris_analyze.analyze(problem, X, Y, num_resamples=bootstrap, conf_level=conf,
                                           num_levels=levels, seed=salib_seed)
        for key, conf_key in keys:
            mine = o.get(key)
            if not isinstance(mine, list) or len(mine) != d:
                raise FolderError(f"sensitivity.json: output {name!r}: {key!r} must be a list of {d} numbers")
            for j in range(d):
                a, b = float(mine[j]), float(S[key][j])
                if conf_key is not None:
                    if conf_key in o:
                        h_mine = float(o[conf_key][j])
                    elif f"{key}_lo" in o and f"{key}_hi" in o:
                        h_mine = max(a - float(o[f"{key}_lo"][j]), float(o[f"{key}_hi"][j]) - a)
                    else:
                        raise FolderError(f"sensitivity.json: output {name!r}: {key!r} needs {conf_key!r} or {key}_lo/{key}_hi")
                    h_salib = float(S[conf_key][j])
                else:
                    sig = float(S["sigma"][j])
                    h = z * sig / math.sqrt(r) if key == "mu" else z * sig / math.sqrt(2 * (r - 1))
                    h_mine = h_salib = h
                # plus a rounding floor, for indices whose CIs are 0 (every effect the same)
                combined = math.hypot(h_mine, h_salib) + 1e-12 * max(abs(a), abs(b))
                diff = a - b
                rel = abs(diff) / max(abs(b), 1e-300) if diff != 0 else 0.0
                worst_rel = max(worst_rel, rel)
                verdict = "ok"
                if not abs(diff) <= combined:
                    verdict = "DISAGREE"
                    failures += 1
                elif exact is not None and rel > exact:
                    verdict = f"differs > {exact:g}"
                    exact_failures += 1
                out.append(f"{name:<18} {key:<10} {names[j]:<14} {a:>13.6g} {b:>13.6g} {diff:>11.3g} {combined:>11.3g}  {verdict}")
    out.append("")
    out.append(f"largest relative difference of a point estimate: {worst_rel:.3g}")
    if failures:
        out.append(f"{failures} index value(s) disagree beyond the combined CI")
    if exact_failures:
        out.append(f"{exact_failures} point estimate(s) differ by more than {exact:g} (relative)")
    if not failures and not exact_failures:
        out.append("every index agrees with SALib within the combined CI")
    code = 1 if failures or exact_failures else 0
    if not quiet:
        print("\n".join(out))
    return code, out


def cmd_check(argv):
    folder, exact, seed = None, None, None
    it = iter(argv)
    for a in it:
        if a == "--exact":
            exact = float(next(it))
        elif a == "--seed":
            seed = int(next(it))
        elif folder is None:
            folder = a
        else:
            sys.exit(f"unexpected argument {a!r}")
    if folder is None:
        sys.exit("usage: salib_crosscheck.py check DIR [--exact TOL] [--seed S]")
    try:
        code, _ = check_folder(folder, exact=exact, seed=seed)
    except FolderError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    sys.exit(code)


def fabricate(folder, method, perturb=None):
    """A folder in the key spec with SALib's own results (percentile CIs from its resamples)."""
    import numpy as np
    from SALib.sample import sobol as sobol_sample, morris as morris_sample
    from SALib.analyze import sobol as sobol_analyze, morris as morris_analyze
    from SALib.test_functions import Ishigami

    problem = ishigami_problem()
    names = problem["names"]
    os.makedirs(folder, exist_ok=True)
    spec = {"method": method,
            "factors": [{"name": nme, "lo": -math.pi, "hi": math.pi} for nme in names],
            "bootstrap": 1000, "confidence": 0.95, "seed": 7}
    if method == "sobol":
        n = 256
        X = sobol_sample.sample(problem, n, calc_second_order=False, seed=3)
        Y = Ishigami.evaluate(X)
        S = sobol_analyze.analyze(problem, Y, calc_second_order=False, num_resamples=1000, seed=11,
                                  keep_resamples=True)
        spec["baseSamples"] = n
        o = {"name": "y"}
        for key in ("S1", "ST"):
            allr = S[f"{key}_conf_all"]
            o[key] = [float(v) for v in S[key]]
            o[f"{key}_lo"] = [float(np.quantile(allr[:, j], 0.025)) for j in range(3)]
            o[f"{key}_hi"] = [float(np.quantile(allr[:, j], 0.975)) for j in range(3)]
            o[f"{key}_conf"] = [float(v) for v in S[f"{key}_conf"]]
    else:
        r = 40
        X = morris_sample.sample(problem, r, num_levels=4, seed=5)
        Y = Ishigami.evaluate(X)
        S = morris_analyze.analyze(problem, X, Y, num_resamples=1000, num_levels=4, seed=13)
        spec["trajectories"], spec["levels"] = r, 4
        o = {"name": "y"}
        for key in ("mu", "mu_star", "sigma", "mu_star_conf"):
            o[key] = [float(v) for v in S[key]]
        o["mu_star_lo"] = [float(m - c) for m, c in zip(S["mu_star"], S["mu_star_conf"])]
        o["mu_star_hi"] = [float(m + c) for m, c in zip(S["mu_star"], S["mu_star_conf"])]
    if perturb == "index":
        key = "S1" if method == "sobol" else "mu_star"
        o[key][0] += 5 * (o[f"{key}_conf"][0] + 0.01)
    spec["outputs"] = [o, {**o, "name": "y_copy"}]
    write_csv(os.path.join(folder, "sample.csv"), ["row"] + names, [[i] + [fmt(v) for v in X[i]] for i in range(len(X))])
    rows = [[i, fmt(Y[i]), fmt(Y[i])] for i in range(len(Y))]
    write_csv(os.path.join(folder, "results.csv"), ["row", "y", "y_copy"], rows)
    if perturb == "row":
        with open(os.path.join(folder, "sample.csv")) as f:
            lines = f.read().splitlines()
        fields = lines[2].split(",")
        fields[1] = fmt(float(fields[1]) + 0.5)
        lines[2] = ",".join(fields)
        with open(os.path.join(folder, "sample.csv"), "w") as f:
            f.write("\n".join(lines) + "\n")
    with open(os.path.join(folder, "sensitivity.json"), "w") as f:
        json.dump(spec, f, indent=2)


def cmd_selftest():
    tmp = tempfile.mkdtemp(prefix="sagstal-salib-selftest-")
    ok = True
    try:
        for method in ("sobol", "morris"):
            for perturb, want in ((None, 0), ("index", 1), ("row", "refused")):
                folder = os.path.join(tmp, f"{method}-{perturb or 'good'}")
                fabricate(folder, method, perturb)
                try:
                    code, lines = check_folder(folder, quiet=True)
                    got = code
                except FolderError as e:
                    got, lines = "refused", [str(e)]
                passed = got == want
                ok &= passed
                print(f"{'pass' if passed else 'FAIL'}: check on {method} ({perturb or 'as computed'}): "
                      f"expected {want}, got {got} — {lines[-1]}")
    finally:
        shutil.rmtree(tmp)
    sys.exit(0 if ok else 1)


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0 if len(sys.argv) >= 2 else 2)
    mode = sys.argv[1]
    if mode not in ("fixtures", "check", "selftest"):
        sys.exit(f"unknown mode {mode!r}: fixtures, check DIR or selftest")
    ensure_salib()
    if mode == "fixtures":
        out = FIXTURES
        if len(sys.argv) >= 4 and sys.argv[2] == "--out":
            out = sys.argv[3]
        cmd_fixtures(out)
    elif mode == "check":
        cmd_check(sys.argv[2:])
    else:
        cmd_selftest()


if __name__ == "__main__":
    main()
