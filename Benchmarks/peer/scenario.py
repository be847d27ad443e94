"""Scenario files for the peer (MODEL.md v2 §7): YAML, `extends`, defaults, compiled values.

Validation is minimal on purpose: the Swift tool validates scenarios; the peer only
needs to read the same files the same way.
"""

from __future__ import annotations

import copy
import datetime as _dt
import math
import os

import yaml

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
METHOD_KEYS = ("escalate", "deescalate", "close", "duration")
TEAM_METRICS = ("caseloadMean", "overCapShare", "waitingMean", "caseworkersMean", "casesOpened")


# ---------------------------------------------------------------------------
# YAML reading: keep the sign of an unquoted `+4` / `-2` (staff.changes[].caseworkers).

class SignedInt(int):
    """An integer written with an explicit sign in the YAML text (`+4`, `-2`)."""


class _Loader(yaml.SafeLoader):
    pass


def _construct_int(loader, node):
    value = yaml.SafeLoader.construct_yaml_int(loader, node)
    text = str(node.value).strip()
    if text[:1] in "+-":
        return SignedInt(value)
    return value


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _read_yaml(path):
    with open(path, encoding="utf-8") as f:
        data = yaml.load(f, Loader=_Loader)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SystemExit(f"{path}: a scenario must be a YAML map")
    return data


def _merge(base, over):
    """Deep merge of `over` onto `base`: maps merge, lists and scalars replace;
    a distribution map written with `dist:` replaces the base value whole."""
    if isinstance(over, dict) and isinstance(base, dict) and "dist" not in over:
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base[k], v) if k in base else copy.deepcopy(v)
        return out
    return copy.deepcopy(over)


def load_raw(path, _seen=None):
    """The merged YAML tree of `path` after following `extends` (relative paths)."""
    path = os.path.normpath(os.path.abspath(path))
    seen = set() if _seen is None else _seen
    if path in seen:
        raise SystemExit(f"{path}: cycle in extends")
    seen.add(path)
    data = _read_yaml(path)
    base_name = data.pop("extends", None)
    if base_name is None:
        return data
    base = load_raw(os.path.join(os.path.dirname(path), str(base_name)), seen)
    return _merge(base, data)


# ---------------------------------------------------------------------------
# Dates (MODEL.md §2).

def _as_date(v):
    if isinstance(v, _dt.datetime):
        return v.date()
    if isinstance(v, _dt.date):
        return v
    return _dt.date.fromisoformat(str(v).strip())


def _decimal_year(d):
    leap = d.year % 4 == 0 and (d.year % 100 != 0 or d.year % 400 == 0)
    doy = d.timetuple().tm_yday
    return d.year + (doy - 1) / (366 if leap else 365)


def days_since(d, start):
    return DAYS_PER_YEAR * (_decimal_year(d) - _decimal_year(start))


# ---------------------------------------------------------------------------
# Distributions (MODEL.md §3), as (kind, parameters) tuples sampled in model.py.

def distribution(spec, completed_years=False):
    """Returns a tuple describing the distribution in sampler parameters."""
    if spec is None:
        return ("fixed", 0.0)
    if isinstance(spec, (int, float)) and not isinstance(spec, bool):
        return ("fixed", float(spec))
    if not isinstance(spec, dict):
        raise SystemExit(f"bad distribution: {spec!r}")
    kind = spec.get("dist", "fixed" if "value" in spec else None)
    if kind == "fixed":
        return ("fixed", float(spec["value"]))
    if kind == "exponential":
        return ("exponential", float(spec["mean"]))
    if kind == "gamma":
        if "shape" in spec:
            return ("gamma", float(spec["shape"]), float(spec["scale"]))
        m, sd = float(spec["mean"]), float(spec["sd"])
        if sd == 0:
            return ("fixed", m)
        return ("gamma", (m / sd) ** 2, sd * sd / m)
    if kind == "lognormal":
        if "mu" in spec:
            return ("lognormal", float(spec["mu"]), float(spec["sigma"]))
        m, sd = float(spec["mean"]), float(spec["sd"])
        if sd == 0:
            return ("fixed", m)
        s2 = math.log(1 + sd * sd / (m * m))
        return ("lognormal", math.log(m) - s2 / 2, math.sqrt(s2))
    if kind == "weibull":
        return ("weibull", float(spec["shape"]), float(spec["scale"]))
    if kind == "uniform":
        return ("uniform", float(spec["min"]), float(spec["max"]))
    if kind == "empirical":
        values = [float(v) for v in spec["values"]]
        weights = [float(w) for w in spec["weights"]]
        total = sum(weights)
        cum, acc = [], 0.0
        for w in weights:
            acc += w / total
            cum.append(acc)
        integral = completed_years and all(v == round(v) for v in values)
        return ("empirical", values, cum, integral)
    raise SystemExit(f"unknown distribution: {spec!r}")


def dist_mean(d):
    k = d[0]
    if k == "fixed":
        return d[1]
    if k == "exponential":
        return d[1]
    if k == "gamma":
        return d[1] * d[2]
    if k == "lognormal":
        return math.exp(d[1] + d[2] ** 2 / 2)
    if k == "weibull":
        return d[2] * math.gamma(1 + 1 / d[1])
    if k == "uniform":
        return (d[1] + d[2]) / 2
    return float("nan")


# ---------------------------------------------------------------------------
# The compiled scenario.

class Scenario:
    """Every value the model needs, with MODEL.md §7 defaults applied, caps and the
    caseload reference in children, dates as simulation times (days from start)."""

    def __init__(self, raw, name, replications=None, seed=None, years=None):
        g = lambda m, k, d: (m or {}).get(k, d) if isinstance(m, dict) else d  # noqa: E731
        self.raw = raw
        self.name = name
        sim = raw.get("simulation") or {}
        self.start = _as_date(sim.get("start", "2026-01-01"))
        self.years = float(years if years is not None else sim.get("years", 10))
        self.warmup_years = float(sim.get("warmupYears", 0))
        self.replications = int(replications if replications is not None else sim.get("replications", 100))
        self.seed = int(seed if seed is not None else sim.get("seed", 1))
        self.run_start = -DAYS_PER_YEAR * self.warmup_years
        self.horizon = DAYS_PER_YEAR * self.years
        self.n_years = max(1, math.ceil(self.years - 1e-9))
        self.start_month = self.start.month

        ch = raw.get("children") or {}
        self.age_out = float(ch.get("ageOut", 18))
        age_spec = ch.get("ageAtNotification",
                          {"dist": "empirical", "values": list(range(18)), "weights": [1] * 18})
        self.age = distribution(age_spec, completed_years=True)

        n = raw.get("notifications") or {}
        self.per_year = float(n.get("perYear", 0))
        self.growth = float(n.get("growthPerYear", 0))
        season = [float(x) for x in n.get("seasonality", [1] * 12)]
        tot = sum(season)
        self.season = [x * 12 / tot for x in season] if tot > 0 else [1.0] * 12
        self.concerns_open_case = float(n.get("concernsOpenCase", 0))
        self.escalate_on_renotification = float(n.get("escalateOnRenotification", 0))

        self.opens_case = float(g(raw.get("screening"), "opensCase", 1))

        a = raw.get("assessment") or {}
        self.assessment_duration = distribution(a.get("duration", 0))
        self.deadline = float(a.get("deadlineDays", 121.75))
        self.assessment_cost = float(a.get("cost", 0))

        ladder = raw["ladder"]
        self.step_ids = [str(s["id"]) for s in ladder]
        self.K = len(ladder)
        self.step_duration = [distribution(s.get("duration", 0)) for s in ladder]
        self.placement = [bool(s.get("placement", False)) for s in ladder]
        self.step_cost_per_day = [float(s.get("costPerYear", 0)) / DAYS_PER_YEAR for s in ladder]
        self.up, self.down, self.exit, self.stay = [], [], [], []
        for s in ladder:
            nx = s.get("next") or {}
            u, d, e = float(nx.get("up", 0)), float(nx.get("down", 0)), float(nx.get("exit", 0))
            self.up.append(u)
            self.down.append(d)
            self.exit.append(e)
            self.stay.append(max(0.0, 1 - u - d - e))

        outcome = a.get("outcome", {"close": 1})
        self.outcome_weights = [0.0] * (1 + self.K)   # 0 = close, 1 + k = step k
        for key, w in outcome.items():
            if key == "close":
                self.outcome_weights[0] += float(w)
            else:
                self.outcome_weights[1 + self.step_ids.index(str(key))] += float(w)

        cl = raw.get("caseload") or {}
        families = cl.get("casesCountedAs", "children") == "families"
        self.families = families
        self.children_per_case = float(cl.get("childrenPerFamily", 1)) if families else 1.0
        self.reference = float(cl.get("reference", 30)) * self.children_per_case
        el = cl.get("elasticity") or {}
        self.el_escalate = float(el.get("escalate", 0))
        self.el_deescalate = float(el.get("deescalate", 0))
        self.el_close = float(el.get("close", 0))
        self.el_duration = float(el.get("duration", 0))

        teams = raw["teams"]
        self.team_ids = [str(t["id"]) for t in teams]     # teams[].name is display only
        self.team_share = [float(t.get("share", 1)) for t in teams]
        self.team_cap = [float(t["cap"]) * self.children_per_case for t in teams]
        self.team_positions = [int(t["caseworkers"]) for t in teams]
        self.team_waitlist = [t.get("policy", "overflow") == "waitlist" for t in teams]
        self.team_method = []
        for t in teams:
            m = t.get("method") or {}
            self.team_method.append(tuple(float(m.get(k, 1)) for k in METHOD_KEYS))
        # Age bands [min, max) in years (MODEL.md §4, §5.3), default [0, ageOut).
        self.team_ages = []
        for t in teams:
            band = t.get("ages")
            lo, hi = (0.0, self.age_out) if band is None else (float(band[0]), float(band[1]))
            self.team_ages.append((lo, hi))
        self.age_bands = any(lo > 0 or hi < self.age_out for lo, hi in self.team_ages)

        st = raw.get("staff") or {}
        self.staff_cost_per_day = float(st.get("costPerYear", 0)) / DAYS_PER_YEAR
        self.recruitment_cost = float(st.get("recruitmentCost", 0))
        tv = st.get("turnover", 0)
        if isinstance(tv, dict):
            self.turnover_per_year = float(tv.get("perYear", 0))
            self.overload_elasticity = float(tv.get("overloadElasticity", 0))
        else:
            self.turnover_per_year = float(tv or 0)
            self.overload_elasticity = 0.0
        self.recruitment = distribution(st.get("recruitment", 0))
        ru = st.get("rampUp") or {}
        self.ramp_days = float(ru.get("days", 0))
        self.ramp_cap_share = float(ru.get("capShare", 1))
        # Each change: (time, team index, ('set'|'rel', n) or None, cap in children or None,
        # immediate, {method key: multiplier} or None, share or None).
        self.changes = []
        for c in st.get("changes") or []:
            t = max(days_since(_as_date(c["at"]), self.start), self.run_start)
            if t >= self.horizon:
                continue
            team = self.team_ids.index(str(c["team"]))
            head = None
            if "caseworkers" in c and c["caseworkers"] is not None:
                v = c["caseworkers"]
                if isinstance(v, SignedInt):
                    head = ("rel", int(v))
                elif isinstance(v, str):
                    s = v.strip()
                    head = ("rel", int(s)) if s[:1] in "+-" else ("set", int(s))
                else:
                    head = ("set", int(v))
            cap = float(c["cap"]) * self.children_per_case if c.get("cap") is not None else None
            method = None
            if c.get("method") is not None:
                method = {k: float(v) for k, v in c["method"].items()}   # partial: other keys kept
            share = float(c["share"]) if c.get("share") is not None else None
            self.changes.append((t, team, head, cap, bool(c.get("immediate", False)), method, share))

        o = raw.get("outreach")
        self.outreach_on = False
        self.outreach_cost_per_day = 0.0
        if isinstance(o, dict):
            workers = float(o.get("workers", 0))
            # MODEL.md §5.7 (v2): slots = ⌊workers × coursesPerWorker + 1e-9⌋; salaries whenever
            # workers > 0, whether or not outreach is on.
            slots = math.floor(workers * float(o.get("coursesPerWorker", 1)) + 1e-9)
            reach = float(o.get("reach", 1))
            if workers > 0:
                self.outreach_cost_per_day = workers * float(o.get("costPerWorkerYear", 0)) / DAYS_PER_YEAR
            if slots >= 1 and reach > 0:
                self.outreach_on = True
                self.outreach_slots = slots
                self.outreach_reach = reach
                self.outreach_duration = distribution(o.get("duration", 0))
                self.outreach_resolves = float(o.get("resolves", 0))
                self.outreach_cost_per_course = float(o.get("costPerCourse", 0))
        if not self.outreach_on:
            self.outreach_slots = 0
            self.outreach_reach = 0.0
            self.outreach_duration = ("fixed", 0.0)
            self.outreach_resolves = 0.0
            self.outreach_cost_per_course = 0.0

        # Statutory follow-ups (MODEL.md §5.10): (id, listed step indices, everyDays, elasticity).
        self.followups = []
        for f in raw.get("followUps") or []:
            steps = frozenset(self.step_ids.index(str(k)) for k in f["steps"])
            self.followups.append((str(f["id"]), steps, float(f.get("everyDays", 182.625)),
                                   float(f.get("elasticity", 0))))

        self.initial = [(self.step_ids.index(str(k)), int(v)) for k, v in (raw.get("initial") or {}).items()]

        costs = raw.get("costs") or {}
        self.discount_rate = float(costs.get("discountRate", 0))
        self.one_off = []
        for o in costs.get("oneOff") or []:
            t = days_since(_as_date(o["at"]), self.start)
            if 0 <= t < self.horizon:
                self.one_off.append((t, float(o["amount"])))

        # NHPP bound for thinning over [run start, horizon).
        self.base_rate = self.per_year / DAYS_PER_YEAR
        g0 = (1 + self.growth) ** (-self.warmup_years)
        g1 = (1 + self.growth) ** self.years
        self.max_rate = self.base_rate * max(g0, g1) * max(self.season)

    def rate(self, t):
        m = math.floor(t / DAYS_PER_MONTH)
        return (self.base_rate * (1 + self.growth) ** (t / DAYS_PER_YEAR)
                * self.season[(self.start_month - 1 + m) % 12])

    def metric_names(self):
        names = ["notifications", "renotifications", "renotificationEscalations", "screenedOut",
                 "outreachCourses", "outreachResolved", "casesOpened", "assessmentsCompleted",
                 "deadlineBreaches", "assignments", "waitDaysMean", "waitedShare", "waitingMean",
                 "unassignedMean", "openCasesEnd", "placementsStarted", "placementChanges",
                 "casesClosed", "agedOut", "placedChildYears", "placedEnd"]
        for s in self.step_ids:
            names += [f"step.{s}.entries", f"step.{s}.childYears", f"step.{s}.end"]
        names += ["caseloadMean"] + (["caseloadFamiliesMean"] if self.families else [])
        names += ["overCapShare", "caseworkersMean", "leavers", "hires", "vacancyYears", "transfers"]
        for t in self.team_ids:
            names += [f"team.{t}.{m}" for m in TEAM_METRICS]
        for f in self.followups:
            names += [f"followUp.{f[0]}.due", f"followUp.{f[0]}.missed", f"followUp.{f[0]}.missedShare"]
        names += ["cost.total", "cost.staff", "cost.interventions"]
        names += [f"cost.step.{s}" for s in self.step_ids]
        names += ["cost.assessments", "cost.recruitment", "cost.outreach", "cost.oneOff", "cost.npv"]
        return names


def load(path, replications=None, seed=None, years=None):
    raw = load_raw(path)
    name = os.path.splitext(os.path.basename(path))[0]
    return Scenario(raw, name, replications, seed, years)
