"""One replication of the caseload model (MODEL.md version 2, §§2–6, 5.10) on a SimPy Environment.

Structure (idiomatic SimPy, written from MODEL.md and docs/model.md):

* Long-lived SimPy *processes*: the notification stream (NHPP by thinning), the month
  boundaries (snapshot + turnover check, scheduled with URGENT priority so that a boundary
  runs before any other event at the same instant), staff changes, recruitments and
  ramp-ups.
* Per-child timers (assessment end, sojourn end, course end, ageing out, follow-up due,
  transfer to the next age band) are timeout events with a callback.  A timer carries a
  *ticket*; a timer whose ticket no longer matches the child (its sojourn was cut short by a
  forced escalation, the child aged out, left the follow-up's steps, changed team, or left
  before its age-out time) does nothing when it fires.  SimPy cannot withdraw a scheduled
  timeout, so a stale timer still fires and is counted as a processed event (docs/model.md
  item 16 counts stale events too).  As in sagstal, a child's age-out timer is started only
  when it begins an outreach course or gets a case (screened-out notifications leave nothing
  scheduled).
* Same-instant order for one child (MODEL.md §5.3, v2): the child's own event, then its
  follow-up, then its transfer.  Follow-up timers use SimPy priority FOLLOW_UP (2) and
  transfer timers TRANSFER (3), after NORMAL (1), so at one instant every ordinary event
  comes first, then every follow-up, then every transfer (FIFO within a priority).

Events processed = every model timer or process resumption that fires before the horizon
(arrivals, assessment ends, sojourn ends, course ends, age-outs, follow-ups, transfers,
recruitment completions, ramp-up ends, staff changes — stale ones included) + every month
boundary.  SimPy's own bookkeeping events (process initialisation and termination) are not
counted.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import OrderedDict

import numpy as np
import simpy
from simpy.events import NORMAL, URGENT, Event

from scenario import DAYS_PER_MONTH, DAYS_PER_YEAR, METHOD_KEYS

PURPOSES = ("arrivals", "routing", "durations", "decisions", "staff", "children")

FOLLOW_UP = NORMAL + 1      # SimPy priorities below NORMAL's: run after ordinary events at one instant
TRANSFER = NORMAL + 2

# Raw per-budget-year slots.
(NOTIF, RENOTIF, RENOTIF_ESC, SCREENED_OUT, COURSES, RESOLVED, OPENED, ASSESSED, BREACHES,
 ASSIGNMENTS, WAIT_SUM, WAITED, PLACE_START, PLACE_CHANGE, CLOSED, AGED_OUT, LEAVERS, HIRES,
 TRANSFERS, C_ASSESS, C_RECRUIT, C_COURSES, C_ONEOFF,
 D_PERIOD, D_UNASSIGNED, D_VACANT, D_PLACED) = range(27)
N_FIXED = 27
# Per team (at team.slot + …): ∫ caseloads, ∫ active, ∫ over cap, ∫ waiting for a first
# caseworker, cases routed to the team at screening.
T_LOAD, T_ACTIVE, T_OVER, T_WAITING, T_OPENED = range(5)
N_TEAM_SLOTS = 5
# Per follow-up (at follow-up slot + …): due, missed.

# Child phases.
FREE, COURSE, WAITING, ASSESSMENT, LADDER = range(5)


def make_streams(seed, replication):
    """Independent numpy Generators (PCG64), one per purpose, for one replication."""
    return {p: np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, replication, i])))
            for i, p in enumerate(PURPOSES)}


def sample(rng, d):
    kind = d[0]
    if kind == "fixed":
        return d[1]
    if kind == "gamma":
        return rng.gamma(d[1], d[2])
    if kind == "lognormal":
        return rng.lognormal(d[1], d[2])
    if kind == "exponential":
        return rng.exponential(d[1])
    if kind == "weibull":
        return d[2] * rng.weibull(d[1])
    if kind == "uniform":
        return rng.uniform(d[1], d[2])
    if kind == "empirical":
        values, cum, integral = d[1], d[2], d[3]
        i = min(bisect_right(cum, rng.random()), len(values) - 1)
        return values[i] + rng.random() if integral else values[i]
    raise ValueError(kind)


def pick(rng, weights, total):
    return pick_u(rng.random(), weights, total)


def pick_u(u, weights, total):
    """Index chosen with probability ∝ weights by the uniform u, scanning in order."""
    u *= total
    acc = 0.0
    last = 0
    for i, w in enumerate(weights):
        if w > 0:
            acc += w
            last = i
            if u < acc:
                return i
    return last


def _pow(x, e):
    if e == 0:
        return 1.0
    if x > 0:
        return x ** e
    return 0.0 if e > 0 else math.inf


class Child:
    __slots__ = ("alive", "phase", "step", "team", "worker", "notified_at", "ever_assigned",
                 "ticket", "open_idx", "queue", "age0", "t0", "age_out_at", "age_out_pending",
                 "u_screen", "u_team", "xfer_ticket", "fu_ticket")

    def __init__(self, notified_at):
        self.alive = True
        self.phase = FREE
        self.step = -1
        self.team = -1
        self.worker = None
        self.notified_at = notified_at
        self.ever_assigned = False   # has had a caseworker (the initial stock counts as assigned)
        self.ticket = 0
        self.open_idx = -1
        self.queue = None       # the team's pool or waitlist the child sits in
        self.age0 = 0.0         # age (years) at time t0 (first notification, or the run start)
        self.t0 = 0.0
        self.age_out_at = math.inf
        self.age_out_pending = False
        self.u_screen = 0.0     # routing uniforms drawn at the child's arrival
        self.u_team = 0.0
        self.xfer_ticket = 0    # ticket of the pending transfer timer (0: none)
        self.fu_ticket = None   # per follow-up: ticket of the running schedule (0: none)


class Position:
    __slots__ = ("index", "team", "filled", "ramping", "load", "over", "removed", "leaving",
                 "recruit_done_at", "ticket", "children")

    def __init__(self, index, team, filled):
        self.index = index
        self.team = team
        self.filled = filled
        self.ramping = False
        self.load = 0
        self.over = False
        self.removed = False
        self.leaving = False
        self.recruit_done_at = math.inf
        self.ticket = 0
        self.children = {}      # child -> None, in assignment order (dicts keep insertion order)


class Team:
    __slots__ = ("index", "cap", "waitlist_policy", "method", "share", "lo", "hi", "positions",
                 "active", "load_sum", "over_cap", "waiting", "pool", "waitlist", "slot")

    def __init__(self, index, cap, waitlist_policy, method, share, band, slot):
        self.index = index
        self.cap = cap
        self.waitlist_policy = waitlist_policy
        self.method = list(method)      # [escalate, deescalate, close, duration]; dated changes edit it
        self.share = share              # routing share; dated changes replace it
        self.lo, self.hi = band         # age band [lo, hi) in years
        self.positions = []     # Position objects in index order
        self.active = 0         # filled positions (ramping up included)
        self.load_sum = 0       # Σ caseloads of its caseworkers (children)
        self.over_cap = 0       # active caseworkers with caseload > effective cap
        self.waiting = 0        # its children waiting for a first caseworker
        # Children without a caseworker while nobody is active: policy overflow — new cases
        # and unassigned children alike, in the order they got there (the next hire takes all);
        # policy waitlist — only unassigned children (who had a caseworker before); new
        # cases join the waitlist (MODEL.md v2 §5.3).
        self.pool = OrderedDict()
        self.waitlist = OrderedDict()   # FIFO waitlist (policy waitlist)
        self.slot = slot        # first raw slot of its metrics


class PriorityTimeout(Event):
    """A timeout with a given SimPy priority (URGENT for month boundaries; FOLLOW_UP and
    TRANSFER for the per-child order at one instant)."""

    def __init__(self, env, delay, priority):
        super().__init__(env)
        self._ok = True
        self._value = None
        env.schedule(self, priority, delay)


class Replication:
    def __init__(self, sc, index):
        self.sc = sc
        self.index = index
        rng = make_streams(sc.seed, index)
        self.r_arr = rng["arrivals"]
        self.r_route = rng["routing"]
        self.r_dur = rng["durations"]
        self.r_dec = rng["decisions"]
        self.r_staff = rng["staff"]
        self.r_child = rng["children"]

        self.env = simpy.Environment(initial_time=sc.run_start)
        self.events = 0
        self.tickets = 0

        K, T = sc.K, len(sc.team_ids)
        self.team_base = N_FIXED + 2 * K
        self.fu_base = self.team_base + N_TEAM_SLOTS * T
        self.teams = [Team(i, sc.team_cap[i], sc.team_waitlist[i], sc.team_method[i], sc.team_share[i],
                           sc.team_ages[i], self.team_base + N_TEAM_SLOTS * i)
                      for i in range(T)]
        self.positions = []
        self.open_cases = []
        self.courses_in_use = 0

        # Levels integrated over time (per-team levels live on the Team objects).
        self.last_t = sc.run_start
        self.unassigned = 0     # children who have had a caseworker and now have none
        self.vacant = 0
        self.placed = 0
        self.step_count = [0] * K

        # Periods: budget years; month index kept by the boundary process.
        self.width = self.fu_base + 2 * len(sc.followups)
        self.raw = [[0.0] * self.width for _ in range(sc.n_years)]
        self.month = math.floor(sc.run_start / DAYS_PER_MONTH)
        self.cur = None         # the raw vector of the budget year in progress (None: not counted)
        self._set_period()
        self.end_open = 0
        self.end_placed = 0
        self.end_steps = [0] * K

    # ------------------------------------------------------------------ time accounting

    def _set_period(self):
        y = self.month // 12
        months = max(1, math.ceil(self.sc.years * 12 - 1e-9))
        self.cur = self.raw[y] if 0 <= self.month < months and y < self.sc.n_years else None

    def advance(self, t):
        dt = t - self.last_t
        if dt > 0 and self.cur is not None:
            r = self.cur
            r[D_PERIOD] += dt
            r[D_UNASSIGNED] += self.unassigned * dt
            r[D_VACANT] += self.vacant * dt
            r[D_PLACED] += self.placed * dt
            for tm in self.teams:
                b = tm.slot
                r[b + T_LOAD] += tm.load_sum * dt
                r[b + T_ACTIVE] += tm.active * dt
                r[b + T_OVER] += tm.over_cap * dt
                r[b + T_WAITING] += tm.waiting * dt
            base = N_FIXED + self.sc.K
            for k, n in enumerate(self.step_count):
                if n:
                    r[base + k] += n * dt
        self.last_t = t

    def count(self, slot, amount=1.0):
        if self.cur is not None:
            self.cur[slot] += amount

    def next_ticket(self):
        self.tickets += 1
        return self.tickets

    def timer(self, delay, fn, child, ticket, priority=NORMAL):
        """Schedules fn(child, ticket) after `delay` days unless that is at or after the horizon."""
        env = self.env
        if env.now + delay >= self.sc.horizon:
            return
        ev = env.timeout(delay) if priority == NORMAL else PriorityTimeout(env, delay, priority)
        ev.callbacks.append(lambda _ev: fn(child, ticket))

    # ------------------------------------------------------------------ processes

    def run(self):
        env = self.env
        self.setup_initial()
        env.process(self.boundaries())
        for ch in self.sc.changes:
            env.process(self.staff_change_process(ch))
        env.process(self.notifications())
        env.run(until=self.sc.horizon)
        self.advance(self.sc.horizon)
        self.end_open = len(self.open_cases)
        self.end_placed = self.placed
        self.end_steps = list(self.step_count)
        return self.record()

    def boundaries(self):
        env = self.env
        sc = self.sc
        while True:
            t = (self.month + 1) * DAYS_PER_MONTH
            if t >= sc.horizon:
                return
            yield PriorityTimeout(env, t - env.now, URGENT)
            self.events += 1
            self.advance(t)
            self.month += 1
            self._set_period()
            self.turnover_check(t)

    def notifications(self):
        env = self.env
        sc = self.sc
        if sc.max_rate <= 0:
            return
        rng = self.r_arr
        mean = 1 / sc.max_rate
        t = sc.run_start
        while True:
            while True:   # thinning: candidate points of a rate-max_rate process
                t += rng.exponential(mean)
                if t >= sc.horizon:
                    return
                if rng.random() * sc.max_rate < sc.rate(t):
                    break
            yield env.timeout(t - env.now)
            self.events += 1
            self.arrival(env.now)

    def staff_change_process(self, ch):
        env = self.env
        yield env.timeout(ch[0] - env.now)
        self.events += 1
        self.staff_change(ch, env.now)

    def recruitment_process(self, p, ticket, done):
        env = self.env
        yield env.timeout(done - env.now)
        self.events += 1
        if p.ticket == ticket and not p.removed and not p.filled:
            self.advance(env.now)
            self.vacant -= 1
            self.hire(p, env.now)

    def ramp_up_process(self, p, ticket, end):
        env = self.env
        yield env.timeout(end - env.now)
        self.events += 1
        if p.ticket == ticket and p.filled:
            self.advance(env.now)
            p.ramping = False
            self.update_over(p)
            self.serve_waitlist(p, env.now)

    # ------------------------------------------------------------------ initial state (§5.9)

    def setup_initial(self):
        sc = self.sc
        t = sc.run_start
        for team in self.teams:
            for _ in range(sc.team_positions[team.index]):
                p = Position(len(self.positions), team, True)
                self.positions.append(p)
                team.positions.append(p)
                team.active += 1
        stock = []
        for k, n in sc.initial:
            for _ in range(n):
                c = Child(t)
                c.age0 = sample(self.r_child, sc.age)     # age as of the run start
                c.t0 = t
                c.age_out_at = t + (sc.age_out - c.age0) * DAYS_PER_YEAR
                c.team = self.pick_team(c.age0, self.r_route.random())
                c.ever_assigned = True                    # treated as already assigned (docs item 2)
                self.open_case(c)
                c.phase = LADDER
                c.step = k
                self.step_count[k] += 1
                if sc.placement[k]:
                    self.placed += 1
                self.ensure_age_out(c)
                self.schedule_transfer(c)
                self.follow_ups_on_entry(c, k, None)      # schedules start at the run start
                self.unassigned += 1
                w = self.least_loaded(self.teams[c.team], need_room=False)
                if w is not None:
                    self.assign(c, w, t)
                else:
                    self.enqueue(c, pool=True)
                stock.append(c)
        for c in stock:
            self.start_sojourn(c)
        for t1, amount in sc.one_off:
            y = math.floor(t1 / DAYS_PER_YEAR)
            if 0 <= y < sc.n_years:
                self.raw[y][C_ONEOFF] += amount

    # ------------------------------------------------------------------ notifications (§5.1, 5.2, 5.7)

    def arrival(self, t):
        """A notification.  docs/model.md item 13: every notification takes the same six
        uniforms from the routing stream (renotification?, which open case, escalation?,
        outreach?, screening, team) and one age, used or not; a new child keeps its screening
        and team draws (for a later referral from outreach too)."""
        sc = self.sc
        self.advance(t)
        self.count(NOTIF)
        u_renotify, u_which, u_escalate, u_outreach, u_screen, u_team = self.r_route.random(6).tolist()
        age = sample(self.r_child, sc.age)
        n_open = len(self.open_cases)
        if n_open and u_renotify < sc.concerns_open_case:
            self.count(RENOTIF)
            c = self.open_cases[min(int(u_which * n_open), n_open - 1)]
            if c.phase == LADDER and u_escalate < sc.escalate_on_renotification:
                self.count(RENOTIF_ESC)
                self.forced_up(c)
            return
        c = Child(t)
        c.u_screen = u_screen
        c.u_team = u_team
        c.age0 = age
        c.t0 = t
        c.age_out_at = t + (sc.age_out - age) * DAYS_PER_YEAR   # fixed here (docs/model.md item 11)
        if sc.outreach_on and self.courses_in_use < sc.outreach_slots and u_outreach < sc.outreach_reach:
            self.count(COURSES)
            self.count(C_COURSES, sc.outreach_cost_per_course)
            self.courses_in_use += 1
            c.phase = COURSE
            self.ensure_age_out(c)
            c.ticket = self.next_ticket()
            self.timer(sample(self.r_dur, sc.outreach_duration), self.course_end, c, c.ticket)
        else:
            self.screen(c, t)

    def course_end(self, c, ticket):
        self.events += 1
        if c.ticket != ticket or not c.alive:
            return
        t = self.env.now
        self.advance(t)
        self.courses_in_use -= 1
        if self.r_dec.random() < self.sc.outreach_resolves:
            self.count(RESOLVED)
            self.free(c)
        else:
            c.notified_at = t
            self.screen(c, t)

    def screen(self, c, t):
        if c.u_screen < self.sc.opens_case:
            self.count(OPENED)
            self.ensure_age_out(c)
            self.open_case(c)
            c.phase = WAITING
            # Routing by the child's age now (a referral from outreach is older than at its
            # notification); the team uniform is the child's own from its arrival.
            c.team = self.pick_team(self.age_at(c, t), c.u_team)
            team = self.teams[c.team]
            self.count(team.slot + T_OPENED)
            team.waiting += 1
            self.schedule_transfer(c)
            self.offer_new_case(c, team, t)
        else:
            self.count(SCREENED_OUT)
            self.free(c)

    # ------------------------------------------------------------------ assignment (§5.3)

    def age_at(self, c, t):
        return c.age0 + (t - c.t0) / DAYS_PER_YEAR

    def pick_team(self, age, u):
        """Team by share among the teams whose age band contains `age` (an age ≥ ageOut is
        routed as just below ageOut).  If every covering team has share 0 (possible after a
        dated share change), the covering teams are equally likely."""
        teams = self.teams
        if len(teams) == 1:
            return 0
        age_out = self.sc.age_out
        if age >= age_out:
            cands = [tm for tm in teams if tm.lo < age_out <= tm.hi]
        else:
            cands = [tm for tm in teams if tm.lo <= age < tm.hi]
        if not cands:               # refused by sagstal's validation; keep going with all teams
            cands = teams
        if len(cands) == 1:
            return cands[0].index
        weights = [tm.share for tm in cands]
        total = sum(weights)
        if total <= 0:
            weights = [1.0] * len(cands)
            total = float(len(cands))
        return cands[pick_u(u, weights, total)].index

    def offer_new_case(self, c, team, t):
        """A child waiting for its first caseworker (c.team = team, counted in team.waiting)
        is assigned at once if the policy allows it, else queued."""
        if team.active == 0:
            # overflow: the pool (the next hire takes it whole); waitlist: the back of the
            # waitlist — the queue and the cap hold (MODEL.md v2 §5.3).
            self.enqueue(c, pool=not team.waitlist_policy)
        elif not team.waitlist_policy:
            self.assign(c, self.least_loaded(team, need_room=False), t)
        else:
            w = self.least_loaded(team, need_room=True) if not team.waitlist else None
            if w is not None:
                self.assign(c, w, t)
            else:
                self.enqueue(c, pool=False)

    def eff_cap(self, p):
        cap = p.team.cap
        return cap * self.sc.ramp_cap_share if p.ramping else cap

    def update_over(self, p):
        now = p.filled and p.load > self.eff_cap(p)
        if now != p.over:
            p.team.over_cap += 1 if now else -1
            p.over = now

    def least_loaded(self, team, need_room):
        best = None
        for p in team.positions:
            if not p.filled or p.leaving:
                continue
            if best is not None and p.load >= best.load:
                continue
            if need_room and not p.load < self.eff_cap(p):
                continue
            best = p
        return best

    def assign(self, c, p, t):
        """Child c (with a case, no caseworker, c.team = p's team) gets caseworker p; a first
        assignment starts the assessment."""
        team = p.team
        c.worker = p
        p.children[c] = None
        p.load += 1
        team.load_sum += 1
        self.update_over(p)
        if c.ever_assigned:
            self.unassigned -= 1
        else:
            c.ever_assigned = True
            team.waiting -= 1
            wait = t - c.notified_at
            self.count(ASSIGNMENTS)
            self.count(WAIT_SUM, wait)
            if wait > 0:
                self.count(WAITED)
            c.phase = ASSESSMENT
            c.ticket = self.next_ticket()
            d = sample(self.r_dur, self.sc.assessment_duration) * self.load_factor(c)
            self.timer(d, self.assessment_end, c, c.ticket)

    def unassign(self, c):
        """Child c leaves its caseworker (caseload − 1); returns the caseworker."""
        p = c.worker
        del p.children[c]
        p.load -= 1
        p.team.load_sum -= 1
        self.update_over(p)
        c.worker = None
        return p

    def enqueue(self, c, pool):
        team = self.teams[c.team]
        q = team.pool if pool else team.waitlist
        q[c] = None
        c.queue = q

    def dequeue(self, c):
        del c.queue[c]
        c.queue = None

    def serve_waitlist(self, p, t):
        team = p.team
        if not team.waitlist_policy:
            return
        wl = team.waitlist
        while wl and p.load < self.eff_cap(p):
            c, _ = wl.popitem(last=False)
            c.queue = None
            self.assign(c, p, t)

    # ------------------------------------------------------------------ transfers (§5.3, v2)

    def schedule_transfer(self, c):
        """The child's transfer timer at the upper bound of its team's band (none when the
        band reaches ageOut: the child ages out first)."""
        hi = self.teams[c.team].hi
        if hi >= self.sc.age_out:
            c.xfer_ticket = 0
            return
        c.xfer_ticket = self.next_ticket()
        at = c.t0 + (hi - c.age0) * DAYS_PER_YEAR
        self.timer(max(at - self.env.now, 0.0), self.transfer, c, c.xfer_ticket, TRANSFER)

    def transfer(self, c, ticket):
        self.events += 1
        if not c.alive or c.xfer_ticket != ticket or c.open_idx < 0:
            return
        t = self.env.now
        self.advance(t)
        old = self.teams[c.team]
        new = self.teams[self.pick_team(old.hi, self.r_route.random())]   # the new age is old.hi
        self.count(TRANSFERS)
        if not c.ever_assigned:
            # Still waiting for a first caseworker: offered to the new team as a new case.
            self.dequeue(c)
            old.waiting -= 1
            c.team = new.index
            new.waiting += 1
            self.schedule_transfer(c)
            self.offer_new_case(c, new, t)
            return
        if c.worker is not None:
            p = self.unassign(c)
            self.unassigned += 1
            self.serve_waitlist(p, t)
        else:
            self.dequeue(c)         # unassigned in the old team's pool
        c.team = new.index
        self.schedule_transfer(c)
        w = self.least_loaded(new, need_room=False)   # whatever the policy, like a leaver's child
        if w is not None:
            self.assign(c, w, t)
        else:
            self.enqueue(c, pool=True)

    # ------------------------------------------------------------------ caseload effects (§5.8)

    def load_ratio(self, c):
        w = c.worker
        load = w.load if w is not None else self.teams[c.team].cap
        return load / self.sc.reference

    def load_factor(self, c):
        m = self.teams[c.team].method[3]
        e = self.sc.el_duration
        return m if e == 0 else _pow(self.load_ratio(c), e) * m

    # ------------------------------------------------------------------ assessment and ladder (§5.4, 5.5)

    def assessment_end(self, c, ticket):
        self.events += 1
        if c.ticket != ticket or not c.alive:
            return
        sc = self.sc
        t = self.env.now
        self.advance(t)
        self.count(ASSESSED)
        self.count(C_ASSESS, sc.assessment_cost)
        if t - c.notified_at > sc.deadline:
            self.count(BREACHES)
        x = self.load_ratio(c)
        m = self.teams[c.team].method
        esc = _pow(x, sc.el_escalate) * m[0]
        close = _pow(x, -sc.el_close) * m[2]
        w = list(sc.outcome_weights)
        w[0] *= close
        for k in range(sc.K):
            if sc.placement[k]:
                w[1 + k] *= esc
        total = sum(w)
        outcome = pick(self.r_dec, w, total) if total > 0 else 0
        if outcome == 0:
            self.close_case(c, t)
        else:
            self.enter_step(c, outcome - 1, None)

    def enter_step(self, c, k, j):
        sc = self.sc
        self.count(N_FIXED + k)
        if sc.placement[k]:
            if j is not None and sc.placement[j]:
                self.count(PLACE_CHANGE)
            else:
                self.count(PLACE_START)
        if j is not None:
            self.step_count[j] -= 1
            if sc.placement[j]:
                self.placed -= 1
        c.phase = LADDER
        c.step = k
        self.step_count[k] += 1
        if sc.placement[k]:
            self.placed += 1
        if sc.followups:
            self.follow_ups_on_entry(c, k, j)
        self.start_sojourn(c)

    def start_sojourn(self, c):
        c.ticket = self.next_ticket()
        d = sample(self.r_dur, self.sc.step_duration[c.step]) * self.load_factor(c)
        self.timer(d, self.sojourn_end, c, c.ticket)

    def sojourn_end(self, c, ticket):
        self.events += 1
        if c.ticket != ticket or not c.alive:
            return
        sc = self.sc
        t = self.env.now
        self.advance(t)
        k = c.step
        x = self.load_ratio(c)
        m = self.teams[c.team].method
        up = sc.up[k] * _pow(x, sc.el_escalate) * m[0]
        down = sc.down[k] * _pow(x, -sc.el_deescalate) * m[1]
        ex = sc.exit[k] * _pow(x, -sc.el_close) * m[2]
        stay = sc.stay[k]
        if k == sc.K - 1:
            stay += up
            up = 0.0
        if k == 0:
            ex += down
            down = 0.0
        total = up + down + stay + ex
        move = pick(self.r_dec, (up, down, stay, ex), total) if total > 0 else 2
        if move == 0:
            self.enter_step(c, k + 1, k)
        elif move == 1:
            self.enter_step(c, k - 1, k)
        elif move == 2:
            self.start_sojourn(c)
        else:
            self.close_case(c, t)

    def forced_up(self, c):
        k = c.step
        if k == self.sc.K - 1:
            self.start_sojourn(c)      # a new ticket makes the running sojourn's timer stale
        else:
            self.enter_step(c, k + 1, k)

    # ------------------------------------------------------------------ statutory follow-ups (§5.10, v2)

    def follow_ups_on_entry(self, c, k, j):
        """Child c enters step k from step j (None: from assessment, or the initial stock at
        the run start).  Entering a follow-up's set of steps starts a schedule, moving within
        it keeps it, leaving it cancels it."""
        fus = self.sc.followups
        if c.fu_ticket is None:
            c.fu_ticket = [0] * len(fus)
        for f, (_id, steps, every, _el) in enumerate(fus):
            if k in steps:
                if j is None or j not in steps:
                    tk = self.next_ticket()
                    c.fu_ticket[f] = tk
                    self.timer(every, self.follow_up, c, (f, tk), FOLLOW_UP)
            elif j is not None and j in steps:
                c.fu_ticket[f] = 0

    def follow_up(self, c, key):
        self.events += 1
        f, tk = key
        if not c.alive or c.phase != LADDER or c.fu_ticket[f] != tk:
            return
        _id, _steps, every, el = self.sc.followups[f]
        slot = self.fu_base + 2 * f
        self.count(slot)
        w = c.worker
        if w is None:
            self.count(slot + 1)        # a child without caseworker misses it
        else:
            x = w.load / self.sc.reference
            p_on_time = min(1.0, _pow(x, -el))
            if not self.r_dec.random() < p_on_time:
                self.count(slot + 1)
        self.timer(every, self.follow_up, c, key, FOLLOW_UP)

    # ------------------------------------------------------------------ case ends

    def close_case(self, c, t):
        sc = self.sc
        self.count(CLOSED)
        if c.phase == LADDER:
            self.step_count[c.step] -= 1
            if sc.placement[c.step]:
                self.placed -= 1
        if c.worker is not None:
            p = self.unassign(c)
            self.serve_waitlist(p, t)
        else:
            if c.ever_assigned:
                self.unassigned -= 1
            else:
                self.teams[c.team].waiting -= 1
            if c.queue is not None:
                self.dequeue(c)
        self.close_open_case(c)
        self.free(c)

    def ensure_age_out(self, c):
        """Starts the child's age-out timer (at age_out_at, or now if already past) unless it
        runs already: only children in a course or with a case get one, as in sagstal."""
        if not c.age_out_pending:
            c.age_out_pending = True
            self.timer(max(c.age_out_at - self.env.now, 0.0), self.age_out, c, None)

    def age_out(self, c, _ticket):
        self.events += 1
        if not c.alive:
            return
        t = self.env.now
        self.advance(t)
        self.count(AGED_OUT)
        if c.phase == COURSE:
            self.courses_in_use -= 1
            self.free(c)
        else:
            self.close_case(c, t)

    def free(self, c):
        c.alive = False
        c.phase = FREE

    def open_case(self, c):
        c.open_idx = len(self.open_cases)
        self.open_cases.append(c)

    def close_open_case(self, c):
        i = c.open_idx
        last = self.open_cases.pop()
        if last is not c:
            self.open_cases[i] = last
            last.open_idx = i
        c.open_idx = -1

    # ------------------------------------------------------------------ staff (§5.6)

    def turnover_check(self, t):
        sc = self.sc
        if sc.turnover_per_year <= 0:
            return
        rate = sc.turnover_per_year / 12
        el = sc.overload_elasticity
        rng = self.r_staff
        leavers = []
        for p in self.positions:            # index order, all teams
            if p.removed or not p.filled:
                continue
            cap = self.eff_cap(p)
            if cap <= 0:
                prob = 1.0 if p.load > 0 else 1 - math.exp(-rate)
            else:
                prob = 1 - math.exp(-rate * _pow(max(1.0, p.load / cap), el))
            if rng.random() < prob:
                leavers.append(p)
        for p in leavers:
            p.leaving = True
        for p in leavers:
            self.count(LEAVERS)
            self.vacate(p, t)
            p.leaving = False
            self.vacant += 1
            self.schedule_recruitment(p, t)

    def vacate(self, p, t):
        """The caseworker of p leaves: its children, in assignment order, go one by one to the
        least-loaded active caseworker of the team not leaving now, else to the team's pool."""
        team = p.team
        mine = list(p.children)
        p.children = {}
        team.load_sum -= p.load
        p.load = 0
        self.unassigned += len(mine)
        for c in mine:
            c.worker = None
        p.filled = False
        p.ramping = False
        self.update_over(p)
        p.ticket = self.next_ticket()
        team.active -= 1
        for c in mine:
            w = self.least_loaded(team, need_room=False)
            if w is not None:
                self.assign(c, w, t)
            else:
                self.enqueue(c, pool=True)

    def schedule_recruitment(self, p, t):
        done = t + sample(self.r_staff, self.sc.recruitment)
        p.ticket = self.next_ticket()
        if done < self.sc.horizon:
            p.recruit_done_at = done
            self.env.process(self.recruitment_process(p, p.ticket, done))
        else:
            p.recruit_done_at = math.inf

    def hire(self, p, t):
        """A caseworker starts in position p: takes the team's pool whole (regardless of cap),
        then serves the waitlist up to its effective cap."""
        sc = self.sc
        team = p.team
        self.count(HIRES)
        self.count(C_RECRUIT, sc.recruitment_cost)
        p.filled = True
        p.load = 0
        p.ticket = self.next_ticket()
        team.active += 1
        if sc.ramp_days > 0:
            p.ramping = True
            end = t + sc.ramp_days
            if end < sc.horizon:
                self.env.process(self.ramp_up_process(p, p.ticket, end))
        self.update_over(p)
        pool = team.pool
        while pool:
            c, _ = pool.popitem(last=False)
            c.queue = None
            self.assign(c, p, t)
        self.serve_waitlist(p, t)

    def staff_change(self, ch, t):
        """MODEL.md §5.6: method and share, then cap, then positions."""
        _, ti, head, cap, immediate, method, share = ch
        team = self.teams[ti]
        self.advance(t)
        if method is not None:
            for key, value in method.items():
                team.method[METHOD_KEYS.index(key)] = value
        if share is not None:
            team.share = share
        if cap is not None:
            old = team.cap
            team.cap = cap
            for p in team.positions:
                self.update_over(p)
            if cap > old and team.waitlist_policy:
                while team.waitlist:
                    w = self.least_loaded(team, need_room=True)
                    if w is None:
                        break
                    c, _ = team.waitlist.popitem(last=False)
                    c.queue = None
                    self.assign(c, w, t)
        if head is None:
            return
        current = len(team.positions)
        target = max(0, head[1] if head[0] == "set" else current + head[1])
        if target > current:
            for _ in range(target - current):
                p = Position(len(self.positions), team, False)
                self.positions.append(p)
                team.positions.append(p)
                if immediate:
                    self.hire(p, t)
                else:
                    self.vacant += 1
                    self.schedule_recruitment(p, t)
        elif target < current:
            remove = current - target
            order = {p: i for i, p in enumerate(team.positions)}
            vacants = sorted((p for p in team.positions if not p.filled),
                             key=lambda p: (-p.recruit_done_at, order[p]))[:remove]
            removed = set()
            for p in vacants:
                p.removed = True
                p.ticket = self.next_ticket()
                self.vacant -= 1
                removed.add(p)
            remove -= len(removed)
            if remove > 0:
                chosen = sorted((p for p in team.positions if p.filled),
                                key=lambda p: (p.load, order[p]))[:remove]
                for p in chosen:
                    p.leaving = True
                for p in chosen:
                    self.vacate(p, t)
                    p.leaving = False
                    p.removed = True
                    removed.add(p)
            team.positions = [p for p in team.positions if p not in removed]

    # ------------------------------------------------------------------ results

    def metrics(self, r, end):
        """Metric values (MODEL.md §8, sagstal's order, without cost.npv) of one period's raw vector."""
        sc = self.sc
        K = sc.K

        def ratio(a, b):
            return a / b if b > 0 else math.nan

        open_end, placed_end, steps_end = end
        period = r[D_PERIOD]
        slots = [tm.slot for tm in self.teams]
        load = sum(r[b + T_LOAD] for b in slots)
        active = sum(r[b + T_ACTIVE] for b in slots)
        over = sum(r[b + T_OVER] for b in slots)
        waiting = sum(r[b + T_WAITING] for b in slots)
        v = [r[NOTIF], r[RENOTIF], r[RENOTIF_ESC], r[SCREENED_OUT], r[COURSES], r[RESOLVED], r[OPENED],
             r[ASSESSED], r[BREACHES], r[ASSIGNMENTS], ratio(r[WAIT_SUM], r[ASSIGNMENTS]),
             ratio(r[WAITED], r[ASSIGNMENTS]), ratio(waiting, period),
             ratio(r[D_UNASSIGNED], period), open_end, r[PLACE_START], r[PLACE_CHANGE], r[CLOSED],
             r[AGED_OUT], r[D_PLACED] / DAYS_PER_YEAR, placed_end]
        for k in range(K):
            v += [r[N_FIXED + k], r[N_FIXED + K + k] / DAYS_PER_YEAR, steps_end[k]]
        v.append(ratio(load, active))
        if sc.families:
            v.append(ratio(load, active) / sc.children_per_case)
        v += [ratio(over, active), ratio(active, period), r[LEAVERS], r[HIRES],
              r[D_VACANT] / DAYS_PER_YEAR, r[TRANSFERS]]
        for b in slots:
            v += [ratio(r[b + T_LOAD], r[b + T_ACTIVE]), ratio(r[b + T_OVER], r[b + T_ACTIVE]),
                  ratio(r[b + T_WAITING], period), ratio(r[b + T_ACTIVE], period), r[b + T_OPENED]]
        for f in range(len(sc.followups)):
            due, missed = r[self.fu_base + 2 * f], r[self.fu_base + 2 * f + 1]
            v += [due, missed, ratio(missed, due)]
        staff = active * sc.staff_cost_per_day
        step_costs = [r[N_FIXED + K + k] * sc.step_cost_per_day[k] for k in range(K)]
        interventions = sum(step_costs)
        outreach = period * sc.outreach_cost_per_day + r[C_COURSES]
        total = staff + r[C_RECRUIT] + interventions + r[C_ASSESS] + outreach + r[C_ONEOFF]
        v += [total, staff, interventions]
        v += step_costs
        v += [r[C_ASSESS], r[C_RECRUIT], outreach, r[C_ONEOFF]]
        return v

    def record(self):
        sc = self.sc
        end = (self.end_open, self.end_placed, self.end_steps)
        totals_raw = [sum(col) for col in zip(*self.raw)]
        names = sc.metric_names()
        i_total = names.index("cost.total")
        npv = 0.0
        for y, r in enumerate(self.raw):
            npv += self.metrics(r, end)[i_total] / (1 + sc.discount_rate) ** y
        return self.metrics(totals_raw, end) + [npv]


def run_replication(sc, index):
    rep = Replication(sc, index)
    values = rep.run()
    return values, rep.events
