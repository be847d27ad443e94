#!/usr/bin/env python3
"""Cross-check sagstal's censored-duration statistics (Sources/SagstalFit) against lifelines.

Usage
-----
    python3 Benchmarks/lifelines_crosscheck.py [--out DIR]

lifelines comes from PyPI: when the running Python cannot import lifelines ==LIFELINES_VERSION,
the script creates a virtual environment in /tmp/sagstal-lifelines-venv (or
$SAGSTAL_LIFELINES_VENV), runs `pip install lifelines==LIFELINES_VERSION` there and re-runs
itself with that environment's Python.

Writes (plain CSV, 17 significant digits) to Tests/SagstalFitTests/Fixtures/ (or DIR):
  stays.csv            duration,observed   N = 400 Weibull(shape 1.4, scale 300 days) sojourns,
                       rounded up to whole days, right-censored administratively: each stay
                       enters at a uniform time in a 2-year window that ends at the
                       observation date (numpy default_rng(SEED))
  km.csv               time,survival,lower,upper,at_risk,events,lower90,upper90   lifelines
                       KaplanMeierFitter (alpha = 0.05, and 0.10 for the last two columns; its
                       exponential-Greenwood / log(-log) interval) at every distinct event time
  km-summary.csv       quantity,value   median_survival_time_ and the censored share
  parametric.csv       family,parameter,value,se   lifelines WeibullFitter (lambda_ = scale,
                       rho_ = shape), LogNormalFitter (mu_, sigma_), ExponentialFitter
                       (lambda_ = mean), fitted with tight L-BFGS-B options; rows for
                       loglik and AIC (se empty)
  gamma.csv            parameter,value   scipy: censored log-likelihood of gamma(shape 1.3,
                       scale 200) on stays.csv (loglik_at_fixed), and the gamma MLE by
                       scipy.optimize (Nelder-Mead on log parameters, tight) with its loglik
  wilson.csv           k,n,confidence,lower,upper   scipy.stats.binomtest(...).proportion_ci
                       (method="wilson")
  versions.json        lifelines, NumPy, SciPy, pandas, Python versions, seed and settings
"""
import json
import os
import subprocess
import sys
import venv

LIFELINES_VERSION = "0.30.3"
SEED = 20261202
N = 400
VENV = os.environ.get("SAGSTAL_LIFELINES_VENV", "/tmp/sagstal-lifelines-venv")


def ensure_lifelines():
    try:
        import lifelines  # noqa: F401
        if lifelines.__version__ == LIFELINES_VERSION:
            return
    except ImportError:
        pass
    python = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        sys.exit(f"lifelines=={LIFELINES_VERSION} is not importable in {VENV}")
    if not os.path.exists(python):
        venv.create(VENV, with_pip=True)
    subprocess.check_call([python, "-m", "pip", "install", "-q", f"lifelines=={LIFELINES_VERSION}"])
    os.execv(python, [python] + sys.argv)


def g(x):
    return repr(float(x)) if x == x else "nan"


def main():
    ensure_lifelines()
    import numpy as np
    import pandas as pd
    import scipy
    import lifelines
    from lifelines import KaplanMeierFitter, WeibullFitter, LogNormalFitter, ExponentialFitter
    from scipy import stats, optimize

    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "SagstalFitTests", "Fixtures")
    if "--out" in sys.argv:
        out = sys.argv[sys.argv.index("--out") + 1]
    os.makedirs(out, exist_ok=True)

    rng = np.random.default_rng(SEED)
    t = np.ceil(300.0 * rng.weibull(1.4, N))
    window = 2 * 365.0
    follow = rng.uniform(0.0, window, N)  # time from entry to the observation date
    observed = t <= follow
    d = np.where(observed, t, np.ceil(follow))
    d = np.maximum(d, 1.0)
    e = observed.astype(int)
    with open(os.path.join(out, "stays.csv"), "w") as f:
        f.write("duration,observed\n")
        for a, b in zip(d, e):
            f.write(f"{g(a)},{b}\n")

    km = KaplanMeierFitter().fit(d, e, alpha=0.05)
    sf = km.survival_function_.iloc[:, 0]
    ci = km.confidence_interval_
    table = km.event_table
    ci90 = KaplanMeierFitter().fit(d, e, alpha=0.10).confidence_interval_
    with open(os.path.join(out, "km.csv"), "w") as f:
        f.write("time,survival,lower,upper,at_risk,events,lower90,upper90\n")
        for time in sorted(set(d[e == 1])):
            f.write(",".join([g(time), g(sf.loc[time]), g(ci.iloc[:, 0].loc[time]), g(ci.iloc[:, 1].loc[time]),
                              str(int(table.loc[time, "at_risk"])), str(int(table.loc[time, "observed"])),
                              g(ci90.iloc[:, 0].loc[time]), g(ci90.iloc[:, 1].loc[time])]) + "\n")

    with open(os.path.join(out, "km-summary.csv"), "w") as f:
        f.write("quantity,value\n")
        f.write(f"median,{g(km.median_survival_time_)}\n")
        f.write(f"censored_share,{g(1 - e.mean())}\n")

    opts = {"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10000}
    rows = []
    for name, fitter, params in [("weibull", WeibullFitter(), ["lambda_", "rho_"]),
                                 ("lognormal", LogNormalFitter(), ["mu_", "sigma_"]),
                                 ("exponential", ExponentialFitter(), ["lambda_"])]:
        fitter.fit(d, e, fit_options=opts)
        for p in params:
            rows.append((name, p, getattr(fitter, p), fitter.summary.loc[p, "se(coef)"]))
        rows.append((name, "loglik", fitter.log_likelihood_, float("nan")))
        rows.append((name, "AIC", fitter.AIC_, float("nan")))
    with open(os.path.join(out, "parametric.csv"), "w") as f:
        f.write("family,parameter,value,se\n")
        for r in rows:
            f.write(f"{r[0]},{r[1]},{g(r[2])},{g(r[3]) if r[3] == r[3] else ''}\n")

    def gamma_ll(shape, scale):
        obs = e == 1
        return (stats.gamma.logpdf(d[obs], shape, scale=scale).sum()
                + stats.gamma.logsf(d[~obs], shape, scale=scale).sum())

    res = optimize.minimize(lambda x: -gamma_ll(np.exp(x[0]), np.exp(x[1])), [0.0, np.log(d.mean())],
                            method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-13, "maxiter": 20000})
    with open(os.path.join(out, "gamma.csv"), "w") as f:
        f.write("parameter,value\n")
        f.write(f"loglik_at_fixed,{g(gamma_ll(1.3, 200.0))}\n")
        f.write(f"shape,{g(np.exp(res.x[0]))}\n")
        f.write(f"scale,{g(np.exp(res.x[1]))}\n")
        f.write(f"loglik,{g(-res.fun)}\n")

    with open(os.path.join(out, "wilson.csv"), "w") as f:
        f.write("k,n,confidence,lower,upper\n")
        for k, n, c in [(0, 10, 0.95), (5, 10, 0.95), (10, 10, 0.95), (81, 263, 0.95), (1, 3, 0.90), (81, 263, 0.99)]:
            lo, hi = stats.binomtest(k, n).proportion_ci(confidence_level=c, method="wilson")
            f.write(f"{k},{n},{c},{g(lo)},{g(hi)}\n")

    with open(os.path.join(out, "versions.json"), "w") as f:
        json.dump({"lifelines": lifelines.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
                   "pandas": pd.__version__, "python": sys.version.split()[0], "seed": SEED, "n": N,
                   "censored": int(N - e.sum()), "fit_options": opts}, f, indent=2)
        f.write("\n")
    print(f"wrote fixtures to {out}: {N - e.sum()} of {N} censored")


if __name__ == "__main__":
    main()
