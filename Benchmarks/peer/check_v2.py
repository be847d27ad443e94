#!/usr/bin/env python3
"""Self-checks of the peer's MODEL.md version-2 rules (no sagstal needed).

    python3 Benchmarks/peer/check_v2.py

Statistical checks against closed forms (z-tests, |z| < 4 passes) and scripted traces
(exact).  Exit status 1 when a check fails.  About ten seconds.
"""

from __future__ import annotations

import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import yaml  # noqa: E402

import model as M  # noqa: E402
import scenario as S  # noqa: E402

D = S.DAYS_PER_YEAR
failures = []


def scenario(text):
    return S.Scenario(yaml.safe_load(text), "check")


def means(sc, n):
    names = sc.metric_names()
    rows = [M.run_replication(sc, r)[0] for r in range(n)]
    out = {}
    for i, m in enumerate(names):
        xs = [row[i] for row in rows if not math.isnan(row[i])]
        mean = sum(xs) / len(xs) if xs else math.nan
        sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else 0.0
        out[m] = (mean, sd / math.sqrt(len(xs)) if xs else math.nan)
    return out


def check_close(label, got, se, expected, z_max=4.0):
    z = (got - expected) / se if se > 0 else (0.0 if abs(got - expected) < 1e-9 else math.inf)
    ok = abs(z) < z_max
    print(f"{'ok  ' if ok else 'FAIL'} {label}: {got:.5g} ± {se:.2g} vs {expected:.5g} (z = {z:+.2f})")
    if not ok:
        failures.append(label)


def check_equal(label, got, expected):
    ok = got == expected
    print(f"{'ok  ' if ok else 'FAIL'} {label}: {got!r}" + ("" if ok else f" (expected {expected!r})"))
    if not ok:
        failures.append(label)


# ---------------------------------------------------------------------------------------------
# 1. Routing by age band and transfers at the band's upper bound.
#    Ages uniform on [0, 18); bands [0, 15) and [15, 18); one-year exponential stays.
sc = scenario("""
simulation: {years: 10, seed: 5}
children: {ageOut: 18}
notifications: {perYear: 1000}
assessment: {duration: 0, outcome: {s: 1}}
ladder: [{id: s, duration: {dist: exponential, mean: 365.25}, next: {exit: 1}}]
teams:
  - {id: a, ages: [0, 15], caseworkers: 50, cap: 100}
  - {id: b, ages: [15, 18], caseworkers: 50, cap: 100}
""")
m = means(sc, 20)
opened = m["casesOpened"][0]
share_b = m["team.b.casesOpened"][0] / opened
check_close("share routed to the 15–17 band (1/6)", share_b,
            math.sqrt(share_b * (1 - share_b) / (20 * opened)), 1 / 6)
T = 10.0
check_close("transfers at 15 ((1/18)(T − 1 + e^−T)·1000)", *m["transfers"], (T - 1 + math.exp(-T)) / 18 * 1000)

# ---------------------------------------------------------------------------------------------
# 2. Follow-ups: 40 children, one caseworker, reference 20 → x = 2.
sc = scenario("""
simulation: {years: 5, seed: 5}
children: {ageOut: 100, ageAtNotification: 0}
caseload: {reference: 20}
ladder: [{id: s, duration: 100000, placement: true}]
teams: [{id: a, caseworkers: 1, cap: 100}]
initial: {s: 40}
followUps: [{id: f, steps: [s], elasticity: 0.8}, {id: g, steps: [s], everyDays: 100, elasticity: -1}]
""")
m = means(sc, 200)
check_equal("follow-up f due (9 per child, first at the run start + 182.625)", m["followUp.f.due"][0], 360.0)
check_equal("follow-up g due (18 per child every 100 days)", m["followUp.g.due"][0], 720.0)
check_close("follow-up f missed share (1 − 2^−0.8)", *m["followUp.f.missedShare"], 1 - 2 ** -0.8)
check_equal("follow-up g missed (elasticity −1, x = 2: always on time)", m["followUp.g.missed"][0], 0.0)
sc = scenario("""
simulation: {years: 5, seed: 5}
children: {ageOut: 100, ageAtNotification: 0}
caseload: {reference: 20, casesCountedAs: families, childrenPerFamily: 2}
ladder: [{id: s, duration: 100000, placement: true}]
teams: [{id: a, caseworkers: 1, cap: 100}]
initial: {s: 40}
followUps: [{id: f, steps: [s], elasticity: 0.8}]
""")
m = means(sc, 5)
check_equal("families: reference 20 × 2 children → x = 1, nothing missed", m["followUp.f.missed"][0], 0.0)
check_equal("caseloadFamiliesMean = 40 / 2", m["caseloadFamiliesMean"][0], 20.0)

# ---------------------------------------------------------------------------------------------
# 3. Every covering share 0 after a change → covering teams equally likely; age ≥ ageOut.
sc = scenario("""
simulation: {years: 4, seed: 9}
children: {ageOut: 18, ageAtNotification: {dist: empirical, values: [3, 20], weights: [3, 1]}}
notifications: {perYear: 1000}
assessment: {duration: 10, outcome: {s: 1}}
ladder: [{id: s, duration: 30, next: {exit: 1}}]
teams:
  - {id: a, ages: [0, 15], share: 3, caseworkers: 5, cap: 100}
  - {id: a2, ages: [0, 15], share: 1, caseworkers: 5, cap: 100}
  - {id: old, ages: [10, 18], share: 0.0001, caseworkers: 5, cap: 100}
staff:
  changes:
    - {at: 2028-01-01, team: a, share: 0}
    - {at: 2028-01-01, team: a2, share: 0}
    - {at: 2028-01-01, team: old, share: 0}
""")
m = means(sc, 10)
young = m["team.a.casesOpened"][0] + m["team.a2.casesOpened"][0]
p_a = 0.5 * 0.75 + 0.5 * 0.5           # 2 years at 3:1, then 2 years equally likely
check_close("share of team a among the 3-year-olds (0.625)", m["team.a.casesOpened"][0] / young,
            math.sqrt(p_a * (1 - p_a) / (10 * young)), p_a)
check_equal("children notified at 20 all go to the team covering 17.99 and age out at once",
            (m["team.old.casesOpened"][0], m["agedOut"][0]), (m["agedOut"][0], m["agedOut"][0]))


# ---------------------------------------------------------------------------------------------
# 4. Scripted traces.

def run_script(sc, script, until):
    rep = M.Replication(sc, 0)
    env = rep.env
    rep.setup_initial()
    env.process(rep.boundaries())
    for ch in sc.changes:
        env.process(rep.staff_change_process(ch))

    def proc():
        for t, fn in script:
            yield env.timeout(t - env.now)
            rep.advance(env.now)
            fn(rep)
    env.process(proc())
    env.run(until=until)
    return rep


names = {}
kids = {}


def add(name, age):
    def f(rep):
        c = M.Child(rep.env.now)
        c.u_screen, c.u_team, c.age0, c.t0 = 0.0, 0.0, age, rep.env.now
        c.age_out_at = c.t0 + (rep.sc.age_out - age) * D
        names[id(c)] = name
        kids[name] = c
        rep.screen(c, rep.env.now)
    return f


def snapshot(label, store):
    def f(rep):
        store[label] = [(tuple(p.load for p in tm.positions if p.filled), tm.waiting,
                         tuple(names[id(c)] for c in tm.pool), tuple(names[id(c)] for c in tm.waitlist))
                        for tm in rep.teams] + [rep.unassigned]
    return f


# 4a. Waitlist team with nobody active keeps its queue and its cap (MODEL.md v2 §5.3).
sc = scenario("""
simulation: {years: 1}
children: {ageOut: 100}
assessment: {duration: 1000}
ladder: [{id: s, duration: 1000}]
teams: [{id: w, caseworkers: 1, cap: 2, policy: waitlist}]
staff:
  changes:
    - {at: 2026-01-11, team: w, caseworkers: 0}
    - {at: 2026-02-20, team: w, caseworkers: 1, immediate: true}
    - {at: 2026-03-02, team: w, cap: 4}
""")
st = {}
run_script(sc, [(1, add("A", 5)), (2, add("B", 5)), (3, add("C", 5)), (5, snapshot("C", st)),
                (12, snapshot("removed", st)), (20, add("D", 5)), (21, snapshot("D", st)),
                (51, snapshot("hired", st)), (61, snapshot("cap raised", st))], 100)
# per team: (loads of filled positions, waiting, pool, waitlist), then unassigned
check_equal("C joins the waitlist at cap", st["C"], [((2,), 1, (), ("C",)), 0])
check_equal("removal: A, B unassigned in the pool, C still waiting", st["removed"], [((), 1, ("A", "B"), ("C",)), 2])
check_equal("nobody active: new D joins the back of the waitlist", st["D"], [((), 2, ("A", "B"), ("C", "D")), 2])
check_equal("hire takes A, B regardless of cap, waitlist stays at cap", st["hired"], [((2,), 2, (), ("C", "D")), 0])
check_equal("cap raise serves the waitlist", st["cap raised"], [((4,), 0, (), ()), 0])

# 4b. Transfer at the instant the assessment ends: assessment end first, then the transfer, to
#     the new team's caseworker whatever its policy (above cap).
sc = scenario(f"""
simulation: {{years: 2}}
children: {{ageOut: 18}}
assessment: {{duration: {0.1 * D}, outcome: {{s: 1}}}}
ladder: [{{id: s, duration: 2000, placement: true}}]
teams:
  - {{id: y, ages: [0, 15], caseworkers: 1, cap: 5, policy: overflow}}
  - {{id: z, ages: [15, 18], caseworkers: 1, cap: 1, policy: waitlist}}
  - {{id: q, ages: [15, 18], caseworkers: 0, cap: 3, policy: overflow, share: 0}}
""")
st = {}
rep = run_script(sc, [(0.5, add("E", 14.9)), (1, add("F", 15.5)), (2, add("G", 16)), (3, snapshot("before", st)),
                      (0.5 + 0.1 * D + 1e-6, snapshot("after", st))], 100)
check_equal("before: E with y; F fills z; G on z's waitlist (q has share 0)", st["before"],
            [((1,), 0, (), ()), ((1,), 1, (), ("G",)), ((), 0, (), ()), 0])
check_equal("after: E on step s, moved to z's caseworker above cap", st["after"],
            [((0,), 0, (), ()), ((2,), 1, (), ("G",)), ((), 0, (), ()), 0])
E = kids["E"]
check_equal("E's phase and team", (E.phase, rep.sc.team_ids[E.team]), (M.LADDER, "z"))
check_equal("transfers, first assignments", (rep.raw[0][M.TRANSFERS], rep.raw[0][M.ASSIGNMENTS]), (1.0, 2.0))

print()
print("all checks passed" if not failures else f"{len(failures)} check(s) FAILED: {', '.join(failures)}")
sys.exit(1 if failures else 0)
