"""One replication of the caseload model (MODEL.md §§2–6) on a SimPy Environment.

Structure (idiomatic SimPy, written from MODEL.md and docs/model.md):

* Long-lived SimPy *processes*: the notification stream (NHPP by thinning), the month
  boundaries (snapshot + turnover check, scheduled with URGENT priority so that a boundary
  runs before any other event at the same instant), staff changes, recruitments and
  ramp-ups.
* Per-child timers (assessment end, sojourn end, course end, ageing out) are
  `env.timeout(...)` events with a callback.  A timer carries a *ticket*; a timer whose
  ticket no longer matches the child (its sojourn was cut short by a forced escalation,
  the child aged out, or left before its age-out time) does nothing when it fires.
  SimPy cannot withdraw a scheduled timeout, so a stale timer still fires and is counted
  as a processed event (docs/model.md item 16 counts stale events too).  As in sagstal, a
  child's age-out timer is started only when it begins an outreach course or gets a case
  (screened-out notifications leave nothing scheduled).

Events processed = every model timer or process resumption that fires before the horizon
(arrivals, assessment ends, sojourn ends, course ends, age-outs, recruitment completions,
ramp-up ends, staff changes — stale ones included) + every month boundary.  SimPy's own
bookkeeping events (process initialisation and termination) are not counted.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import OrderedDict

import numpy as np
import simpy
from simpy.events import URGENT, Event

from scenario import DAYS_PER_MONTH, DAYS_PER_YEAR

PURPOSES = ("arrivals", "routing", "durations", "decisions", "staff", "children")

# Raw per-budget-year slots.
(NOTIF, RENOTIF, RENOTIF_ESC, SCREENED_OUT, COURSES, RESOLVED, OPENED, ASSESSED, BREACHES,
 ASSIGNMENTS, WAIT_SUM, WAITED, PLACE_START, PLACE_CHANGE, CLOSED, AGED_OUT, LEAVERS, HIRES,
 C_ASSESS, C_RECRUIT, C_COURSES, C_ONEOFF,
 D_PERIOD, D_WAITING, D_UNASSIGNED, D_LOAD, D_ACTIVE, D_OVER, D_VACANT, D_OUTREACH, D_PLACED) = range(31)
N_FIXED = 31

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
                 "ticket", "open_idx", "queue", "age_out_at", "age_out_pending", "u_screen", "u_team")

    def __init__(self, notified_at):
        self.alive = True
        self.phase = FREE
        self.step = -1
        self.team = -1
        self.worker = None
        self.notified_at = notified_at
        self.ever_assigned = False
        self.ticket = 0
        self.open_idx = -1
        self.queue = None       # the team's pool or waitlist the child sits in
        self.age_out_at = math.inf
        self.age_out_pending = False
        self.u_screen = 0.0     # routing uniforms drawn at the child's arrival
        self.u_team = 0.0


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
    __slots__ = ("index", "cap", "waitlist_policy", "method", "positions", "active", "pool", "waitlist")

    def __init__(self, index, cap, waitlist_policy, method):
        self.index = index
        self.cap = cap
        self.waitlist_policy = waitlist_policy
        self.method = method    # (escalate, deescalate, close, duration)
        self.positions = []     # Position objects in index order
        self.active = 0
        self.pool = OrderedDict()       # unassigned children (nobody active), FIFO
        self.waitlist = OrderedDict()   # FIFO waitlist (policy waitlist)


class BoundaryTimeout(Event):
    """A timeout with URGENT priority: month boundaries run before other events at the same time."""

    def __init__(self, env, delay):
        super().__init__(env)
        self._ok = True
        self._value = None
        env.schedule(self, URGENT, delay)


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
        self.assign_seq = 0

        self.teams = [Team(i, sc.team_cap[i], sc.team_waitlist[i], sc.team_method[i])
                      for i in range(len(sc.team_ids))]
        self.positions = []
        self.open_cases = []
        self.courses_in_use = 0

        # Levels integrated over time.
        self.last_t = sc.run_start
        self.waiting = 0
        self.unassigned = 0
        self.load_sum = 0
        self.active = 0
        self.over_cap = 0
        self.vacant = 0
        self.placed = 0
        self.step_count = [0] * sc.K

        # Periods: budget years; month index kept by the boundary process.
        self.width = N_FIXED + 2 * sc.K     # fixed slots + entries + step-days per step
        self.raw = [[0.0] * self.width for _ in range(sc.n_years)]
        self.month = math.floor(sc.run_start / DAYS_PER_MONTH)
        self.cur = None         # the raw vector of the budget year in progress (None: not counted)
        self._set_period()
        self.end_open = 0
        self.end_placed = 0
        self.end_steps = [0] * sc.K

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
            r[D_WAITING] += self.waiting * dt
            r[D_UNASSIGNED] += self.unassigned * dt
            r[D_LOAD] += self.load_sum * dt
            r[D_ACTIVE] += self.active * dt
            r[D_OVER] += self.over_cap * dt
            r[D_VACANT] += self.vacant * dt
            r[D_PLACED] += self.placed * dt
            if self.sc.outreach_on:
                r[D_OUTREACH] += dt
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

    def timer(self, delay, fn, child, ticket):
        """Schedules fn(child, ticket) after `delay` days unless that is at or after the horizon."""
        env = self.env
        if env.now + delay >= self.sc.horizon:
            return
        ev = env.timeout(delay)
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
            yield BoundaryTimeout(env, t - env.now)
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
                self.active += 1
        stock = []
        for k, n in sc.initial:
            for _ in range(n):
                age = sample(self.r_child, sc.age)
                c = Child(t)
                c.team = self.pick_team()
                c.ever_assigned = True
                self.open_case(c)
                c.phase = LADDER
                c.step = k
                self.step_count[k] += 1
                if sc.placement[k]:
                    self.placed += 1
                c.age_out_at = t + (sc.age_out - age) * DAYS_PER_YEAR
                self.ensure_age_out(c)
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
            self.waiting += 1
            self.unassigned += 1
            self.assign_new_case(c, t)
        else:
            self.count(SCREENED_OUT)
            self.free(c)

    # ------------------------------------------------------------------ assignment (§5.3)

    def pick_team(self, u=None):
        """Team by share; `u` is the child's own uniform from its arrival (initial stock: a fresh draw)."""
        sc = self.sc
        if len(sc.team_share) == 1:
            return 0
        return pick_u(self.r_route.random() if u is None else u, sc.team_share, sc.team_share_total)

    def assign_new_case(self, c, t):
        c.team = self.pick_team(c.u_team)
        team = self.teams[c.team]
        if team.active == 0:
            self.enqueue(c, pool=True)
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
            self.over_cap += 1 if now else -1
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
        """Child c (with a case, no caseworker) gets caseworker p; a first assignment starts the assessment."""
        c.worker = p
        p.children[c] = None
        p.load += 1
        self.load_sum += 1
        self.update_over(p)
        self.unassigned -= 1
        if not c.ever_assigned:
            c.ever_assigned = True
            self.waiting -= 1
            wait = t - c.notified_at
            self.count(ASSIGNMENTS)
            self.count(WAIT_SUM, wait)
            if wait > 0:
                self.count(WAITED)
            c.phase = ASSESSMENT
            c.ticket = self.next_ticket()
            d = sample(self.r_dur, self.sc.assessment_duration) * self.load_factor(c)
            self.timer(d, self.assessment_end, c, c.ticket)

    def enqueue(self, c, pool):
        team = self.teams[c.team]
        q = team.pool if pool else team.waitlist
        q[c] = None
        c.queue = q

    def serve_waitlist(self, p, t):
        team = p.team
        if not team.waitlist_policy:
            return
        wl = team.waitlist
        while wl and p.load < self.eff_cap(p):
            c, _ = wl.popitem(last=False)
            c.queue = None
            self.assign(c, p, t)

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

    # ------------------------------------------------------------------ case ends

    def close_case(self, c, t):
        sc = self.sc
        self.count(CLOSED)
        if c.phase == LADDER:
            self.step_count[c.step] -= 1
            if sc.placement[c.step]:
                self.placed -= 1
        w = c.worker
        if w is not None:
            del w.children[c]
            w.load -= 1
            self.load_sum -= 1
            self.update_over(w)
            c.worker = None
            self.serve_waitlist(w, t)
        else:
            self.unassigned -= 1
            if not c.ever_assigned:
                self.waiting -= 1
            if c.queue is not None:
                del c.queue[c]
                c.queue = None
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
        self.load_sum -= p.load
        p.load = 0
        self.unassigned += len(mine)
        for c in mine:
            c.worker = None
        p.filled = False
        p.ramping = False
        self.update_over(p)
        p.ticket = self.next_ticket()
        team.active -= 1
        self.active -= 1
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
        sc = self.sc
        team = p.team
        self.count(HIRES)
        self.count(C_RECRUIT, sc.recruitment_cost)
        p.filled = True
        p.load = 0
        p.ticket = self.next_ticket()
        team.active += 1
        self.active += 1
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
        _, ti, head, cap, immediate = ch
        team = self.teams[ti]
        self.advance(t)
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
        """Metric values (MODEL.md §8 order, without cost.npv) of one period's raw vector."""
        sc = self.sc
        K = sc.K

        def ratio(a, b):
            return a / b if b > 0 else math.nan

        open_end, placed_end, steps_end = end
        v = [r[NOTIF], r[RENOTIF], r[RENOTIF_ESC], r[SCREENED_OUT], r[COURSES], r[RESOLVED], r[OPENED],
             r[ASSESSED], r[BREACHES], r[ASSIGNMENTS], ratio(r[WAIT_SUM], r[ASSIGNMENTS]),
             ratio(r[WAITED], r[ASSIGNMENTS]), ratio(r[D_WAITING], r[D_PERIOD]),
             ratio(r[D_UNASSIGNED], r[D_PERIOD]), open_end, r[PLACE_START], r[PLACE_CHANGE], r[CLOSED],
             r[AGED_OUT], r[D_PLACED] / DAYS_PER_YEAR, placed_end]
        for k in range(K):
            v += [r[N_FIXED + k], r[N_FIXED + K + k] / DAYS_PER_YEAR, steps_end[k]]
        staff = r[D_ACTIVE] * sc.staff_cost_per_day
        step_costs = [r[N_FIXED + K + k] * sc.step_cost_per_day[k] for k in range(K)]
        interventions = sum(step_costs)
        outreach = r[D_OUTREACH] * sc.outreach_cost_per_day + r[C_COURSES]
        total = staff + r[C_RECRUIT] + interventions + r[C_ASSESS] + outreach + r[C_ONEOFF]
        v += [ratio(r[D_LOAD], r[D_ACTIVE]), ratio(r[D_OVER], r[D_ACTIVE]), ratio(r[D_ACTIVE], r[D_PERIOD]),
              r[LEAVERS], r[HIRES], r[D_VACANT] / DAYS_PER_YEAR, total, staff, interventions]
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
