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
        _ = r.run()
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(events > 1000)
    }
}
