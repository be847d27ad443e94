import Foundation
import Testing
@testable import SagstalModel
import SagstalScenario
import SagstalStats

// Transfers between age bands (MODEL.md §5.3, version 2), routing by age band, and the team
// metrics they move (§8).
//
// Every deterministic test uses the bands young [0, 15) and old [15, 18) with ageOut 18 and every
// child aged exactly 14.5 at notification (`.fixed` ages are exact, no U[0,1) is added), so a
// child notified at t₀ reaches 15 at t₀ + (15 − 14.5) · 365.25 = t₀ + 182.625 — a number that is
// exact in binary, so the transfer time is compared with ==. Scripted arrivals as in RuleTests.

/// Two-band scenarios for the transfer tests.
enum Bands {
    /// Days from notification to the band's upper bound for a child aged 14.5: (15 − 14.5) · 365.25.
    static let toBound = 182.625

    static func young(_ caseworkers: Int = 1, cap: Double = 10, policy: AssignmentPolicy = .overflow,
                      method: MethodMultipliers = MethodMultipliers()) -> Team {
        Team(id: "young", caseworkers: caseworkers, cap: cap, policy: policy, method: method, ages: AgeBand(min: 0, max: 15))
    }

    static func old(_ caseworkers: Int = 1, cap: Double = 10, policy: AssignmentPolicy = .overflow,
                    method: MethodMultipliers = MethodMultipliers()) -> Team {
        Team(id: "old", caseworkers: caseworkers, cap: cap, policy: policy, method: method, ages: AgeBand(min: 15, max: 18))
    }

    /// Teams young and old, ageOut 18, every child aged `age`; assessment 0 days with outcome the
    /// first ladder step (default: one step `a` that never ends).
    static func scenario(years: Double = 1, young: Team = Bands.young(), old: Team = Bands.old(), age: Double = 14.5,
                         ladder: [LadderStep] = [Rig.step("a")]) -> Scenario {
        var s = Rig.scenario(years: years, ladder: ladder)
        s.teams = [young, old]
        s.children.ageOut = 18
        s.children.ageAtNotification = .fixed(age)
        s.assessment.duration = .fixed(0)
        s.assessment.outcome = [OutcomeWeight(ladder[0].id, 1)]
        return s
    }
}

/// Keeps, per event time, the last value of `f` after an event at that time.
final class Trace<T> {
    private let f: (Replication) -> T
    private(set) var rows: [(t: Double, value: T)] = []
    init(_ f: @escaping (Replication) -> T) { self.f = f }

    func observe(_ r: Replication) {
        if let last = rows.last, last.t == r.lastT { rows[rows.count - 1].value = f(r) } else { rows.append((r.lastT, f(r))) }
    }

    /// The value after the last event at or before `t`.
    func at(_ t: Double) -> T? { rows.last { $0.t <= t }?.value }
    /// The value after the last event strictly before `t`.
    func before(_ t: Double) -> T? { rows.last { $0.t < t }?.value }
}

/// What one child looks like after an event (slot `c`).
struct ChildView: Equatable {
    var phase: Phase
    var team: Int
    var worker: Int
    var step: Int
    var stateTicket: UInt32
    var everAssigned: Bool

    init(_ r: Replication, _ c: Int) {
        let ch = r.children[c]
        phase = ch.phase
        team = Int(ch.team)
        worker = Int(ch.worker)
        step = Int(ch.step)
        stateTicket = ch.stateTicket
        everAssigned = ch.everAssigned
    }
}

@Suite("MODEL §5.3 transfers between age bands") struct TransferTests {
    // MARK: The move itself

    @Test("an assigned child moves at the band's upper bound, keeping its state and its running assessment or sojourn",
          arguments: ["ladder", "assessment"])
    func movesKeepingState(state: String) throws {
        // Notified at 10, aged 14.5 → transfer at 10 + 182.625 = 192.625.
        // "ladder": assessment 0 → a at 10, sojourn 300 days → exit at 310 (a restarted sojourn would end at 492.625).
        // "assessment": a 300-day assessment 10 → 310, outcome close.
        var s = Bands.scenario(ladder: [Rig.step("a", 300, exit: 1)])
        if state == "assessment" {
            s.assessment.duration = .fixed(300)
            s.assessment.outcome = [OutcomeWeight("close", 1)]
        }
        let T = 10 + Bands.toBound
        #expect(T == 192.625)
        let w = Watch([RawSlots.transfers, RawSlots.casesClosed, RawSlots.assessmentsCompleted])
        let child = Trace { ChildView($0, 0) }
        let loads = Trace { $0.loads }
        let o = try Rig.run(s, arrivals: [10]) { r in
            w.observe(r)
            child.observe(r)
            loads.observe(r)
        }
        #expect(w[RawSlots.transfers] == [T], "transfer times \(w[RawSlots.transfers])")
        #expect(w[RawSlots.casesClosed] == [310], "\(state): the running state ends at 310: \(w[RawSlots.casesClosed])")
        #expect(w[RawSlots.assessmentsCompleted] == [state == "assessment" ? 310 : 10])
        let before = child.before(T), after = child.at(T)
        #expect(before?.team == 0 && before?.worker == 0, "\(String(describing: before))")
        #expect(after?.team == 1 && after?.worker == 1, "new team's caseworker (position 1): \(String(describing: after))")
        #expect(after?.phase == (state == "assessment" ? .assessment : .ladder))
        #expect(after?.step == before?.step)
        #expect(after?.stateTicket == before?.stateTicket, "the running event is kept (same ticket)")
        #expect(loads.before(T) == [1, 0] && loads.at(T) == [0, 1], "loads \(String(describing: loads.before(T))) → \(String(describing: loads.at(T)))")
        #expect(o.total("transfers") == 1)
        // team.<id>.casesOpened counts routings at screening only: young 1, old 0 (not the transfer in).
        #expect(o.total("casesOpened") == 1)
        #expect(o.total("team.young.casesOpened") == 1)
        #expect(o.total("team.old.casesOpened") == 0)
        // A transfer is not a first assignment.
        #expect(o.total("assignments") == 1)
        #expect(o.total("waitDaysMean") == 0)
        #expect(o.total("unassignedMean") == 0 && o.total("waitingMean") == 0)
        // Per team: ∫load = 182.625 (young, 10 → 192.625) and 117.375 (old, 192.625 → 310) child-days,
        // one caseworker each the whole year.
        #expect(near(o.total("team.young.caseloadMean"), 182.625 / 365.25), "\(o.total("team.young.caseloadMean"))")
        #expect(near(o.total("team.old.caseloadMean"), 117.375 / 365.25), "\(o.total("team.old.caseloadMean"))")
        #expect(near(o.total("caseloadMean"), 300 / 730.5))
        #expect(o.total("team.young.caseworkersMean") == 1 && o.total("team.old.caseworkersMean") == 1)
    }

    @Test("the old caseworker's load drops and its waitlist is served at that instant (waitlist, cap 1)")
    func oldWaitlistServed() throws {
        // young: 1 caseworker, cap 1, waitlist. X (10) is assigned at once; Y (20) waits.
        // 192.625: X moves to old → young's caseworker has room → Y assigned at 192.625 (wait 172.625).
        // 202.625: Y moves to old as well.
        let s = Bands.scenario(young: Bands.young(1, cap: 1, policy: .waitlist))
        let a = Assignments()
        let w = Watch([RawSlots.transfers])
        let o = try Rig.run(s, arrivals: [10, 20]) { r in
            a.observe(r)
            w.observe(r)
        }
        #expect(a.rows == [Assignments.Row(t: 10, child: 0, notified: 10, worker: 0),
                           Assignments.Row(t: 192.625, child: 1, notified: 20, worker: 0)], "\(a.rows)")
        #expect(w[RawSlots.transfers] == [192.625, 202.625])
        #expect(o.rep.loads == [0, 2])
        #expect(near(o.total("waitDaysMean"), 172.625 / 2))
        #expect(o.total("waitedShare") == 0.5)
        #expect(near(o.total("team.young.waitingMean"), 172.625 / 365.25))
        #expect(o.total("team.old.waitingMean") == 0)
        #expect(o.total("unassignedMean") == 0)
    }

    @Test("the new team's least-loaded active caseworker gets the child whatever the policy, above cap in a waitlist team")
    func newTeamLeastLoadedAboveCap() throws {
        // old: 2 caseworkers, cap 1, waitlist. Children from 10, 20, 30 move at 192.625, 202.625, 212.625
        // to p1, p2, p1 (least loaded, ties to the lowest index): p1 ends at 2 > cap 1.
        // For contrast, a *new case* routed to old waits: the child of day 5 takes the outreach course
        // (200 days, the only slot), is screened at 205 aged 14.5 + 200/365.25 > 15 → old, where
        // nobody has room → its waitlist. (Arrivals 10, 20, 30 find the slot taken and are screened.)
        var s = Bands.scenario(old: Bands.old(2, cap: 1, policy: .waitlist))
        s.outreach = OutreachSettings(workers: 1, coursesPerWorker: 1, reach: 1, duration: .fixed(200), resolves: 0)
        let w = Watch([RawSlots.transfers])
        let o = try Rig.run(s, arrivals: [5, 10, 20, 30], observe: w.observe)
        #expect(w[RawSlots.transfers] == [192.625, 202.625, 212.625])
        #expect(o.rep.loads == [0, 2, 1], "\(o.rep.loads)")
        #expect((1...3).map { Int(o.rep.children[$0].worker) } == [1, 2, 1])
        #expect(o.rep.teams[1].waitlistCount == 1, "the new case waits")
        #expect(o.rep.children[0].phase == .waiting && o.rep.children[0].team == 1)
        #expect(o.total("team.old.casesOpened") == 1 && o.total("team.young.casesOpened") == 3)
        #expect(o.total("transfers") == 3)
        // p1 is above cap from 212.625 on; old has 2 caseworkers all year.
        #expect(near(o.total("team.old.overCapShare"), (365.25 - 212.625) / 730.5), "\(o.total("team.old.overCapShare"))")
        #expect(near(o.total("team.old.waitingMean"), (365.25 - 205) / 365.25))
        #expect(o.total("team.young.overCapShare") == 0)
    }

    @Test("nobody active in the new team (overflow): the child is unassigned in its pool until the next hire takes it")
    func unassignedUntilHire() throws {
        var s = Bands.scenario(old: Bands.old(0))
        s.staff.changes = [StaffChange(at: Rig.date(2026, 9, 1), team: "old", caseworkers: .relative(1), immediate: true)]
        let H = Rig.at(2026, 9, 1)                       // 365.25 · 243/365 ≈ 243.17
        let child = Trace { ChildView($0, 0) }
        let o = try Rig.run(s, arrivals: [10], observe: child.observe)
        #expect(child.at(192.625) == child.before(H))
        #expect(child.at(192.625)?.team == 1 && child.at(192.625)?.worker == -1, "\(String(describing: child.at(192.625)))")
        #expect(child.at(H)?.worker == 1, "the hire (position 1) takes it: \(String(describing: child.at(H)))")
        // unassignedMean: one child from 192.625 to H; it has had a caseworker, so it is not waiting.
        #expect(near(o.total("unassignedMean"), (H - 192.625) / 365.25), "\(o.total("unassignedMean"))")
        #expect(o.total("waitingMean") == 0 && o.total("team.old.waitingMean") == 0)
        #expect(o.total("assignments") == 1, "the hire's taking it is a reassignment")
        #expect(o.total("hires") == 1)
        #expect(near(o.total("team.old.caseworkersMean"), (365.25 - H) / 365.25))
        #expect(near(o.total("team.old.caseloadMean"), 1), "∫load/∫active = (365.25 − H)/(365.25 − H)")
    }

    @Test("nobody active in a waitlist team: a transferred child is unassigned (pool); the hire takes it regardless of cap, then serves the waitlist up to cap",
          arguments: [1.0, 2.0])
    func waitlistTeamWithNobody(cap: Double) throws {
        // old: waitlist, cap 1 or 2, nobody until a hire at H. X (10) moves in at 192.625 → pool.
        // W (5) takes a 200-day course, is screened at 205 (older than 15) → old's waitlist (nobody active).
        // H: the hire takes X (pool) first, then serves the waitlist while it has room: cap 1 → none; cap 2 → W.
        var s = Bands.scenario(old: Bands.old(0, cap: cap, policy: .waitlist))
        s.outreach = OutreachSettings(workers: 1, coursesPerWorker: 1, reach: 1, duration: .fixed(200), resolves: 0)
        s.staff.changes = [StaffChange(at: Rig.date(2026, 9, 1), team: "old", caseworkers: .relative(1), immediate: true)]
        let H = Rig.at(2026, 9, 1)
        let a = Assignments()
        let o = try Rig.run(s, arrivals: [5, 10], observe: a.observe)
        #expect(o.rep.children[1].worker == 1, "X with the hire (position 1; young's caseworker is 0)")
        #expect(near(o.total("unassignedMean"), (H - 192.625) / 365.25), "only X: \(o.total("unassignedMean"))")
        if cap == 1 {
            #expect(a.rows.map(\.child) == [1], "\(a.rows)")
            #expect(o.rep.teams[1].waitlistCount == 1)
            #expect(near(o.total("waitingMean"), (365.25 - 205) / 365.25))
        } else {
            #expect(a.rows.map(\.child) == [1, 0], "\(a.rows)")
            #expect(near(a.rows.last?.t ?? 0, H))
            #expect(o.rep.teams[1].waitlistCount == 0)
            #expect(near(o.total("waitingMean"), (H - 205) / 365.25))
            #expect(near(o.total("waitDaysMean"), (H - 205) / 2))
        }
        #expect(o.rep.loads[1] == Int(cap))
    }

    // MARK: A child waiting for a first caseworker

    @Test("a waiting child is offered to the new team as a new case: assigned at once → its wait ends then")
    func waitingChildAssignedAtOnce() throws {
        // young has nobody (overflow → the child waits in young's pool from 10); at 192.625 it moves
        // to old, whose caseworker takes it at once: wait 182.625, assessment 50 days → 242.625.
        var s = Bands.scenario(young: Bands.young(0))
        s.assessment.duration = .fixed(50)
        let w = Watch([RawSlots.assessmentsCompleted, RawSlots.transfers])
        let a = Assignments()
        let o = try Rig.run(s, arrivals: [10]) { r in
            w.observe(r)
            a.observe(r)
        }
        #expect(w[RawSlots.transfers] == [192.625])
        #expect(a.rows == [Assignments.Row(t: 192.625, child: 0, notified: 10, worker: 0)], "\(a.rows)")
        #expect(w[RawSlots.assessmentsCompleted] == [242.625])
        #expect(o.total("waitDaysMean") == 182.625)
        #expect(o.total("waitedShare") == 1)
        #expect(o.total("deadlineBreaches") == 1, "242.625 − 10 > 121.75")
        #expect(near(o.total("waitingMean"), 182.625 / 365.25))
        #expect(near(o.total("team.young.waitingMean"), 182.625 / 365.25))
        #expect(o.total("team.old.waitingMean") == 0)
        #expect(o.total("unassignedMean") == 0, "never had a caseworker: not unassigned")
        #expect(o.total("team.young.caseloadMean").isNaN, "no filled position in young: empty ratio")
    }

    @Test("a waiting child joins the back of the new team's waitlist (FIFO with the others)")
    func waitingChildJoinsBackOfWaitlist() throws {
        // young has nobody; old: 1 caseworker, cap 1, waitlist; a: 100 days, exit.
        // A (10) → old at 192.625, assigned (room), exits 292.625. B (20) → old at 202.625: no room →
        // waitlist. C (30) → old at 212.625 → behind B. 292.625: A's case ends → B (the head) is served.
        let s = Bands.scenario(young: Bands.young(0), old: Bands.old(1, cap: 1, policy: .waitlist), ladder: [Rig.step("a", 100, exit: 1)])
        let a = Assignments()
        let o = try Rig.run(s, arrivals: [10, 20, 30], observe: a.observe)
        #expect(a.rows == [Assignments.Row(t: 192.625, child: 0, notified: 10, worker: 0),
                           Assignments.Row(t: 292.625, child: 1, notified: 20, worker: 0)], "\(a.rows)")
        #expect(o.rep.teams[1].waitlistCount == 1 && o.rep.children[2].phase == .waiting && o.rep.children[2].team == 1)
        #expect(o.total("transfers") == 3)
        #expect(near(o.total("team.young.waitingMean"), 3 * 182.625 / 365.25))
        #expect(near(o.total("team.old.waitingMean"), ((292.625 - 202.625) + (365.25 - 212.625)) / 365.25),
                "\(o.total("team.old.waitingMean"))")
        #expect(near(o.total("waitDaysMean"), (182.625 + 272.625) / 2))
        #expect(o.total("unassignedMean") == 0)
    }

    @Test("a waiting child whose new team has nobody active waits in that team's pool for the next hire")
    func waitingChildToPool() throws {
        var s = Bands.scenario(young: Bands.young(0), old: Bands.old(0))
        s.staff.changes = [StaffChange(at: Rig.date(2026, 9, 1), team: "old", caseworkers: .relative(1), immediate: true)]
        let H = Rig.at(2026, 9, 1)
        let a = Assignments()
        let o = try Rig.run(s, arrivals: [10], observe: a.observe)
        #expect(a.rows.count == 1 && near(a.rows[0].t, H) && a.rows[0].worker == 0, "\(a.rows)")
        #expect(near(o.total("waitDaysMean"), H - 10))
        #expect(near(o.total("waitingMean"), (H - 10) / 365.25))
        #expect(near(o.total("team.young.waitingMean"), 182.625 / 365.25))
        #expect(near(o.total("team.old.waitingMean"), (H - 192.625) / 365.25))
        #expect(o.total("unassignedMean") == 0)
        #expect(o.total("transfers") == 1)
    }

    // Reading of §5.3 "assigned at once if that team's policy allows it, otherwise it joins the back of that
    // team's waitlist (policy waitlist) or pool (nobody active)" for a waitlist team with nobody active: "as a
    // new case would be", i.e. the waitlist (v2: such a team keeps its queue and its cap), not the pool.
    @Test("a waiting child moving into a waitlist team with nobody active joins its waitlist: the hire takes it only up to cap")
    func waitingChildIntoEmptyWaitlistTeam() throws {
        // young has nobody (A from 10 and B from 20 wait in its pool); old: waitlist, cap 1, nobody until H.
        // A and B move at 192.625 and 202.625 into old's waitlist. H: the hire serves the waitlist up to cap 1 → A.
        // (In the pool both would be taken regardless of cap.)
        var s = Bands.scenario(young: Bands.young(0), old: Bands.old(0, cap: 1, policy: .waitlist))
        s.staff.changes = [StaffChange(at: Rig.date(2026, 9, 1), team: "old", caseworkers: .relative(1), immediate: true)]
        let H = Rig.at(2026, 9, 1)
        let queues = Trace { ($0.teams[1].waitlistCount, $0.teams[1].poolCount) }
        let a = Assignments()
        let o = try Rig.run(s, arrivals: [10, 20]) { r in
            queues.observe(r)
            a.observe(r)
        }
        #expect(queues.before(H).map { [$0.0, $0.1] } == [2, 0], "old's (waitlist, pool) before the hire: \(String(describing: queues.before(H)))")
        #expect(a.rows.map(\.child) == [0] && near(a.rows.first?.t ?? 0, H), "\(a.rows)")
        #expect(o.rep.teams[1].waitlistCount == 1 && o.rep.children[1].phase == .waiting)
        #expect(o.total("unassignedMean") == 0)
        #expect(near(o.total("team.old.waitingMean"), ((H - 192.625) + (365.25 - 202.625)) / 365.25))
    }

    // MARK: Counting, and where transfers do not happen

    @Test("transfers counts each move: three bands, two moves in different budget years")
    func countsEachMove() throws {
        // Bands [0, 10), [10, 15), [15, 18); aged 9.5 at 10: moves at 10 + 0.5·365.25 = 192.625 and at
        // 192.625 + 5·365.25 = 2018.875 (budget year 5); horizon 6 years; ageing out at 10 + 8.5·365.25 > horizon.
        var s = Bands.scenario(years: 6, age: 9.5)
        s.teams = [Team(id: "small", caseworkers: 1, cap: 10, ages: AgeBand(min: 0, max: 10)),
                   Team(id: "mid", caseworkers: 1, cap: 10, ages: AgeBand(min: 10, max: 15)),
                   Team(id: "old", caseworkers: 1, cap: 10, ages: AgeBand(min: 15, max: 18))]
        let w = Watch([RawSlots.transfers])
        let o = try Rig.run(s, arrivals: [10], observe: w.observe)
        #expect(w[RawSlots.transfers] == [192.625, 2018.875], "\(w[RawSlots.transfers])")
        #expect(o.total("transfers") == 2)
        #expect(o.year(0, "transfers") == 1 && o.year(5, "transfers") == 1)
        #expect((1...4).allSatisfy { o.year($0, "transfers") == 0 })
        #expect(o.rep.children[0].team == 2 && o.rep.children[0].worker == 2)
        #expect(o.total("team.small.casesOpened") == 1 && o.total("team.mid.casesOpened") == 0 && o.total("team.old.casesOpened") == 0)
    }

    @Test("a band ending at ageOut never transfers: the child ages out in its team")
    func bandAtAgeOutAgesOut() throws {
        let s = Bands.scenario(age: 17.5)
        let w = Watch([RawSlots.agedOut, RawSlots.transfers])
        let o = try Rig.run(s, arrivals: [10], observe: w.observe)
        #expect(w[RawSlots.agedOut] == [192.625])
        #expect(w[RawSlots.transfers].isEmpty)
        #expect(o.total("team.old.casesOpened") == 1)
    }

    @Test("overlapping bands: only children routed to the band that ends below ageOut transfer")
    func overlappingBands() throws {
        // young [0, 15) and all [0, 18), share 1 each; ten children aged 14.5 (routing drawn from their
        // own generators, seed 1). Exactly those routed to young move, all into team all (the only band containing 15).
        var s = Bands.scenario()
        s.teams = [Bands.young(), Team(id: "all", caseworkers: 1, cap: 100)]
        let o = try Rig.run(s, arrivals: (10...19).map(Double.init))
        let toYoung = o.total("team.young.casesOpened")
        #expect(toYoung > 0 && toYoung < 10, "seed 1: both teams should get children (young \(toYoung) of 10)")
        #expect(o.total("transfers") == toYoung)
        #expect((0..<10).allSatisfy { o.rep.children[$0].team == 1 })
        #expect(o.rep.loads == [0, 10])
    }

    @Test("children in an outreach course have no team and do not transfer; they are routed by their age at the course end")
    func courseDoesNotTransfer() throws {
        var s = Bands.scenario()
        s.outreach = OutreachSettings(workers: 1, coursesPerWorker: 1, reach: 1, duration: .fixed(300), resolves: 0)
        let o = try Rig.run(s, arrivals: [10])
        #expect(o.total("transfers") == 0)
        #expect(o.total("team.old.casesOpened") == 1, "screened at 310, aged 14.5 + 300/365.25 > 15")
        #expect(o.total("team.young.casesOpened") == 0)
    }

    @Test("a child routed at an age ≥ ageOut goes to the teams covering the ages just below ageOut and ages out at once",
          arguments: [18.0, 18.5])
    func routedAtOrAboveAgeOut(age: Double) throws {
        var s = Bands.scenario(age: age)
        s.teams.insert(Team(id: "mid", caseworkers: 1, cap: 10, ages: AgeBand(min: 5, max: 17.5)), at: 1)
        let w = Watch([RawSlots.agedOut, RawSlots.casesClosed])
        let o = try Rig.run(s, arrivals: [10], observe: w.observe)
        #expect(o.total("team.old.casesOpened") == 1)
        #expect(o.total("team.young.casesOpened") == 0 && o.total("team.mid.casesOpened") == 0)
        #expect(w[RawSlots.agedOut] == [10] && w[RawSlots.casesClosed] == [10])
        #expect(o.total("transfers") == 0)
        #expect(o.total("openCasesEnd") == 0)
    }

    // MARK: Same-instant ordering

    @Test("a sojourn that ends with exit exactly at the transfer time closes the case: no transfer")
    func exitAtTransferTime() throws {
        let s = Bands.scenario(ladder: [Rig.step("a", Bands.toBound, exit: 1)])
        let w = Watch([RawSlots.casesClosed, RawSlots.transfers])
        let o = try Rig.run(s, arrivals: [10], observe: w.observe)
        #expect(w[RawSlots.casesClosed] == [192.625])
        #expect(w[RawSlots.transfers].isEmpty)
        #expect(o.rep.loads == [0, 0])
    }

    @Test("a sojourn that ends with up at the transfer time: the child moves up in its old team, then transfers on the new step")
    func upAtTransferTime() throws {
        let s = Bands.scenario(ladder: [Rig.step("a", Bands.toBound, up: 1), Rig.step("b", placement: true)])
        let o = try Rig.run(s, arrivals: [10])
        #expect(o.total("step.b.entries") == 1 && o.total("placementsStarted") == 1)
        #expect(o.total("transfers") == 1)
        #expect(o.rep.children[0].team == 1 && o.rep.children[0].step == 1)
    }

    @Test("a new sojourn started at the transfer instant belongs to the old team (its method.duration); the next to the new team's")
    func staySojournAtTransferTime() throws {
        // a: 182.625 days, stay. young method.duration 1, old 0.5. Notified at 10 → a.
        // 192.625: the sojourn ends (stay) → a new one in young: 182.625 → 375.25; then the transfer.
        // 375.25: ends in old → 91.3125 each: 466.5625, 557.875, 649.1875 (740.5 > horizon 730.5).
        // Transfer first would give 192.625 + 91.3125 = 283.9375.
        let s = Bands.scenario(years: 2, old: Bands.old(method: MethodMultipliers(duration: 0.5)), ladder: [Rig.step("a", Bands.toBound)])
        var times: [Double] = []
        var last: UInt32 = 0
        _ = try Rig.run(s, arrivals: [10]) { r in
            let now = r.children.isEmpty ? 0 : r.children[0].stateTicket
            if now != last && times.last != r.lastT { times.append(r.lastT) }
            last = now
        }
        #expect(times == [10, 192.625, 375.25, 466.5625, 557.875, 649.1875], "new sojourns at \(times)")
    }

    @Test("a follow-up due at the transfer instant comes first: with nobody active in the new team it is still done")
    func followUpBeforeTransferNobodyActive() throws {
        // a listed; due 182.625 after entry at 10 = 192.625, the transfer time. Elasticity 0: done on time
        // with a caseworker, missed without. After the transfer the child has nobody (old has 0).
        var s = Bands.scenario(old: Bands.old(0))
        s.followUps = [FollowUp(id: "visit", steps: ["a"], everyDays: 182.625)]
        let o = try Rig.run(s, arrivals: [10])
        #expect(o.total("followUp.visit.due") == 1, "the next due, 375.25, is after the horizon")
        #expect(o.total("followUp.visit.missed") == 0, "counted before the transfer, with the old caseworker")
        #expect(o.total("transfers") == 1 && o.rep.children[0].worker == -1)
    }

    @Test("a follow-up due at the transfer instant is counted with the old caseworker's load")
    func followUpBeforeTransferOldLoad() throws {
        // reference 1, elasticity 1000: done on time iff load ≤ 1 (x = 1 → 1; x ≥ 2 → 2^−1000 ≈ 0).
        // A, B, C notified at 10, 11, 12 → young's caseworker (load 3). Dues and transfers at 192.625,
        // 193.625, 194.625. Old loads at the due: A 3, B 2, C 1 → missed at 192.625 and 193.625.
        // (Transfer first: new loads 1, 2, 3 → missed at 193.625 and 194.625.)
        var s = Bands.scenario()
        s.caseload.reference = 1
        s.followUps = [FollowUp(id: "visit", steps: ["a"], everyDays: 182.625, elasticity: 1000)]
        let f = RawSlots(steps: 1, teams: 2, followUps: 1)
        let missed = Watch([f.followUpMissed(0), f.followUpDue(0)])
        let o = try Rig.run(s, arrivals: [10, 11, 12], observe: missed.observe)
        #expect(missed[f.followUpDue(0)] == [192.625, 193.625, 194.625])
        #expect(missed[f.followUpMissed(0)] == [192.625, 193.625], "missed at \(missed[f.followUpMissed(0)])")
        #expect(o.total("followUp.visit.missedShare") == 2.0 / 3)
        #expect(o.total("transfers") == 3)
    }

    // MARK: Episodes (MODEL.md §8: "a stay is split at a transfer")

    @Test("episodes: a stay is split at the transfer (endReason transfer), the next row in the new team")
    func episodesSplitAtTransfer() throws {
        // Child 0: assessment 0 at 10 (toStep), ladder a in young 10 → 192.625 (transfer, aged 14.5 at its start),
        // ladder a in old 192.625 → 310 (exit, aged exactly 15 at its start).
        // Child 1 (young has room for one only: waitlist cap 1): waits in young 20 → 192.625 — assigned there when
        // child 0 leaves, so the wait ends with `assigned`, not with a transfer; its own transfer comes at 202.625.
        var s = Bands.scenario(young: Bands.young(1, cap: 1, policy: .waitlist), ladder: [Rig.step("a", 300, exit: 1)])
        s.simulation.years = 1
        let log = EpisodeLog()
        let cs = try CompiledScenario(s)
        let r = try Replication(cs, index: 0)
        r.queue.schedule(at: 10, .arrival)
        r.queue.schedule(at: 20, .arrival)
        r.episodes = log
        _ = try r.run()
        let e0 = log.byChild[0] ?? [], e1 = log.byChild[1] ?? []
        #expect(e0.map(\.phase) == [.assessment, .ladder, .ladder], "\(e0)")
        #expect(e0.map(\.endReason) == [.toStep, .transfer, .exit])
        #expect(e0.map(\.team) == [0, 0, 1])
        #expect(e0.map(\.start) == [10, 10, 192.625] && e0.map(\.end) == [10, 192.625, 310])
        #expect(e0.map(\.ageAtStart) == [14.5, 14.5, 15])
        #expect(e1.map(\.phase) == [.waiting, .assessment, .ladder, .ladder], "\(e1)")
        #expect(e1.map(\.endReason) == [.assigned, .toStep, .transfer, .censored])
        #expect(e1.map(\.team) == [0, 0, 0, 1])
        #expect(e1.map(\.end) == [192.625, 192.625, 202.625, 365.25])
    }

    // MARK: Routing by age band (statistical)

    /// Share of `casesOpened` routed to one team, within 3 binomial SE (fixed seed, printed).
    private func expectShare(_ o: Outcome, team: String, p: Double, seed: UInt64, _ label: String) {
        let n = o.total("casesOpened"), k = o.total("team.\(team).casesOpened")
        let se = (p * (1 - p) / n).squareRoot()
        print("TR \(label) | team \(team) | \(k)/\(n) = \(k / n) | theory \(p) | z \((k / n - p) / se) | seed \(seed)")
        #expect(n > 1000 && abs(k / n - p) <= 3 * se, "seed \(seed), \(label): \(k) of \(n) to \(team) = \(k / n), expected \(p) ± \(3 * se)")
    }

    @Test("routing by age band: ages uniform on [0, 18), bands [0, 15) / [15, 18) → P(old) = 3/18 = 1/6 (3 SE)")
    func routingByBand() throws {
        let seed: UInt64 = 51
        var s = Bands.scenario()
        s.simulation.seed = seed
        s.children.ageAtNotification = ChildrenSettings().ageAtNotification   // 0…17 + U[0,1): uniform on [0, 18)
        s.notifications.perYear = 6000
        s.assessment.outcome = [OutcomeWeight("close", 1)]
        let o = try Rig.run(s)
        expectShare(o, team: "old", p: 1.0 / 6, seed: seed, "bands [0,15)/[15,18)")
        #expect(o.total("team.young.casesOpened") + o.total("team.old.casesOpened") == o.total("casesOpened"))
    }

    @Test("routing with overlapping bands by share: all [0, 18) share 2, teen [12, 18) share 1 → P(teen) = (6/18)·(1/3) = 1/9 (3 SE)")
    func routingOverlappingShares() throws {
        let seed: UInt64 = 52
        var s = Bands.scenario()
        s.simulation.seed = seed
        s.teams = [Team(id: "all", share: 2, caseworkers: 1, cap: 10), Team(id: "teen", share: 1, caseworkers: 1, cap: 10, ages: AgeBand(min: 12, max: 18))]
        s.children.ageAtNotification = ChildrenSettings().ageAtNotification
        s.notifications.perYear = 6000
        s.assessment.outcome = [OutcomeWeight("close", 1)]
        let o = try Rig.run(s)
        expectShare(o, team: "teen", p: 1.0 / 9, seed: seed, "overlap 2:1")
        #expect(o.total("transfers") == 0, "both bands end at ageOut")
    }
}
