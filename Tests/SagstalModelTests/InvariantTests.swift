import Testing
@testable import SagstalModel
import SagstalScenario

/// The incremental bookkeeping (loads, over-cap count, step stocks, queues) must equal a
/// recount from the entities after every single event, for every mechanism switched on.
@Suite struct InvariantTests {
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func bookkeepingMatchesRecountAfterEveryEvent(seed: UInt64) throws {
        var s = Fixtures.rich(seed: seed, years: 2)
        s.staff.turnover = Turnover(perYear: 0.6, overloadElasticity: 2)   // many leavers
        s.staff.changes.append(StaffChange(at: CalendarDate(year: 2027, month: 3, day: 1), team: "south", caseworkers: .set(0)))
        s.staff.changes.append(StaffChange(at: CalendarDate(year: 2027, month: 5, day: 1), team: "south", caseworkers: .set(3), immediate: true))
        let cs = try CompiledScenario(s)
        let r = try Replication(cs, index: 0)
        var failures: [String] = []
        var events = 0
        r.afterEachEvent = { rep in
            events += 1
            if failures.isEmpty {
                let v = rep.invariantViolations()
                if !v.isEmpty { failures = ["after event \(events) at t=\(rep.lastT) (seed \(seed)):"] + v }
            }
        }
        _ = try r.run()
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(events > 1000)
    }

    /// Two age bands, follow-ups and dated method/share/cap/headcount changes: the recount runs
    /// through transfers (of assigned, unassigned and waiting children, into a waitlist team with
    /// nobody active too) and follow-ups. Besides `invariantViolations()`, the pending events are
    /// recounted: an open child has a pending transfer iff its team's band ends below ageOut, and a
    /// pending follow-up f iff it is on a step listed for f.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func bandsFollowUpsAndDatedChanges(seed: UInt64) throws {
        var s = Fixtures.bands(seed: seed, years: 2)
        s.staff.turnover = Turnover(perYear: 0.6, overloadElasticity: 2)
        let cs = try CompiledScenario(s)
        let r = try Replication(cs, index: 0)
        var failures: [String] = []
        var events = 0
        var sawUnassignedAfterTransfer = false
        var lastTransfers = 0.0
        r.afterEachEvent = { rep in
            events += 1
            guard failures.isEmpty else { return }
            var v = rep.invariantViolations()
            let F = rep.cs.followUpCount
            for (c, ch) in rep.children.enumerated() where ch.phase != .free {
                if ch.phase == .course {
                    if ch.transferTicket != 0 { v.append("child \(ch.number) in a course has a pending transfer") }
                    continue
                }
                let banded = rep.cs.teamBand[Int(ch.team)].max < rep.cs.ageOut
                if banded != (ch.transferTicket != 0) {
                    v.append("child \(ch.number) in team \(ch.team): pending transfer \(ch.transferTicket != 0), band ends below ageOut \(banded)")
                }
                for f in 0..<F {
                    let listed = ch.phase == .ladder && rep.cs.followUpListed[f][Int(ch.step)]
                    if listed != (rep.followTicket[c * F + f] != 0) {
                        v.append("child \(ch.number) (phase \(ch.phase), step \(ch.step)): follow-up \(f) pending \(rep.followTicket[c * F + f] != 0), listed \(listed)")
                    }
                }
            }
            let t = rep.rawTotal(RawSlots.transfers)
            if t > lastTransfers && rep.unassigned > 0 { sawUnassignedAfterTransfer = true }
            lastTransfers = t
            if !v.isEmpty { failures = ["after event \(events) at t=\(rep.lastT) (seed \(seed)):"] + v }
        }
        _ = try r.run()
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(events > 1000)
        let slots = RawSlots(steps: cs.stepCount, teams: 3, followUps: 2)
        #expect(r.rawTotal(RawSlots.transfers) > 20, "seed \(seed): \(r.rawTotal(RawSlots.transfers)) transfers")
        #expect(r.rawTotal(slots.followUpDue(0)) > 50 && r.rawTotal(slots.followUpDue(1)) > 50, "seed \(seed): follow-ups due")
        #expect(r.rawTotal(slots.followUpMissed(0)) > 0, "seed \(seed): some follow-ups missed")
        #expect(sawUnassignedAfterTransfer, "seed \(seed): a transfer left a child without caseworker at least once")
    }
}
