import Foundation
import Testing
@testable import SagstalModel
import SagstalScenario
import SagstalStats

// Corrections and small additions of MODEL.md version 2 (§ 10): outreach slots ⌊w × c + 1e−9⌋,
// outreach salaries whenever workers > 0, method.duration in the load factor, caseloadFamiliesMean,
// unassignedMean without the children waiting for a first caseworker, per-team ratios.

@Suite("MODEL v2 corrections") struct CorrectionsV2Tests {
    @Test("outreach slots = ⌊workers × coursesPerWorker + 1e−9⌋ (0.57 × 100 = 56.999… in binary is 57 slots)",
          arguments: [(0.57, 100.0, 57), (0.29, 100, 29), (0.7, 10, 7), (1.5, 1.5, 2), (2.5, 0.4, 1), (0.5, 1, 0), (0, 12, 0)])
    func slots(workers: Double, perWorker: Double, slots: Int) {
        #expect(OutreachSettings(workers: workers, coursesPerWorker: perWorker).slots == slots,
                "\(workers) × \(perWorker) = \(workers * perWorker) → \(OutreachSettings(workers: workers, coursesPerWorker: perWorker).slots)")
    }

    @Test("the model offers 57 courses at once with workers 0.57 and coursesPerWorker 100")
    func fiftySevenCourses() throws {
        var s = Rig.scenario(years: 1)
        s.outreach = OutreachSettings(workers: 0.57, coursesPerWorker: 100, reach: 1, duration: .fixed(Rig.never), resolves: 1)
        let o = try Rig.run(s, arrivals: (1...60).map(Double.init))
        #expect(o.rep.cs.outreachSlots == 57)
        #expect(o.total("outreachCourses") == 57)
        #expect(o.total("casesOpened") == 3, "arrivals 58, 59, 60 find no free slot")
    }

    @Test("outreach salaries count whenever workers > 0, also with reach 0 or no slot; not with workers 0",
          arguments: [(2.0, 1.0, 1.0), (2, 1, 0), (2, 0, 0.3), (0.5, 1, 1), (0, 10, 1)])
    func salaries(workers: Double, perWorker: Double, reach: Double) throws {
        var s = Rig.scenario(years: 1.5)
        s.outreach = OutreachSettings(workers: workers, coursesPerWorker: perWorker, reach: reach, duration: .fixed(100),
                                      resolves: 1, costPerCourse: 5000, costPerWorkerYear: 1000)
        let o = try Rig.run(s, arrivals: [1, 2])
        let on = reach > 0 && Int((workers * perWorker + 1e-9).rounded(.down)) >= 1
        #expect(o.total("outreachCourses") == (on ? min(2, (workers * perWorker + 1e-9).rounded(.down)) : 0))
        let courses = o.total("outreachCourses") * 5000
        // workers × 1000 per year: year 0 full, year 1 half (1.5-year horizon).
        #expect(near(o.year(0, "cost.outreach"), workers * 1000 + courses), "\(o.year(0, "cost.outreach"))")
        #expect(near(o.year(1, "cost.outreach"), workers * 500), "\(o.year(1, "cost.outreach"))")
        #expect(near(o.total("cost.total"), workers * 1500 + courses), "outreach is the only cost: \(o.total("cost.total"))")
    }

    @Test("method.duration multiplies every assessment and sojourn duration, on top of the caseload's load factor",
          arguments: [(1.5, 1.0), (0.5, 0.0)])
    func methodDuration(method: Double, elasticity: Double) throws {
        // 59 children on a (never ends) + 1 arrival at 10: x = 60/30 = 2.
        // Assessment 100 × x^e × method → then b: 50 × x^e × method → exit.
        // (1.5, e 1): 300 → 310, 150 → 460. (0.5, e 0): 50 → 60, 25 → 85.
        var s = Rig.scenario(years: 2, ladder: [Rig.step("a"), Rig.step("b", 50, exit: 1)], cap: 100)
        s.teams[0].method = MethodMultipliers(duration: method)
        s.caseload.elasticity = Elasticities(duration: elasticity)
        s.initial = [InitialStock(step: "a", count: 59)]
        s.assessment.duration = .fixed(100)
        s.assessment.outcome = [OutcomeWeight("b", 1)]
        let w = Watch([RawSlots.assessmentsCompleted, RawSlots.casesClosed])
        _ = try Rig.run(s, arrivals: [10], observe: w.observe)
        let factor = pow(2, elasticity) * method
        #expect(w[RawSlots.assessmentsCompleted] == [10 + 100 * factor], "\(w[RawSlots.assessmentsCompleted])")
        #expect(w[RawSlots.casesClosed] == [10 + 150 * factor], "\(w[RawSlots.casesClosed])")
    }

    @Test("method.duration applies to an unassigned child too (x = cap / reference)")
    func methodDurationUnassigned() throws {
        // No caseworker: x = 60/30 = 2, elasticity 1, method 1.5 → the stock's 50-day sojourn lasts 150.
        var s = Rig.scenario(years: 1, ladder: [Rig.step("a", 50, exit: 1)], caseworkers: 0, cap: 60)
        s.teams[0].method = MethodMultipliers(duration: 1.5)
        s.caseload.elasticity = Elasticities(duration: 1)
        s.initial = [InitialStock(step: "a", count: 1)]
        let w = Watch([RawSlots.casesClosed])
        _ = try Rig.run(s, observe: w.observe)
        #expect(w[RawSlots.casesClosed] == [150])
    }

    @Test("caseloadFamiliesMean = caseloadMean / childrenPerFamily, reported only when cases are counted in families")
    func caseloadFamiliesMean() throws {
        var s = Rig.scenario(years: 1, caseworkers: 2)
        s.initial = [InitialStock(step: "a", count: 10)]   // 5 children each
        let children = try Rig.run(s)
        #expect(children.total("caseloadMean") == 5)
        #expect(!children.layout.totalsMetrics.contains("caseloadFamiliesMean"))
        s.caseload.casesCountedAs = .families
        s.caseload.childrenPerFamily = 2.5
        let families = try Rig.run(s)
        #expect(families.total("caseloadMean") == 5, "caseloadMean stays in children")
        #expect(families.total("caseloadFamiliesMean") == 2)
        #expect(families.year(0, "caseloadFamiliesMean") == 2)
    }

    @Test("unassignedMean counts children who have had a caseworker, waitingMean those waiting for a first one")
    func unassignedVersusWaiting() throws {
        // Stock child on a (assigned at 0); at C = 2026-04-01 the team's only position is removed → unassigned.
        // A new child at 150 finds nobody → waits (pool). Neither is taken before the horizon.
        var s = Rig.scenario(years: 1)
        s.initial = [InitialStock(step: "a", count: 1)]
        s.staff.changes = [StaffChange(at: Rig.date(2026, 4, 1), team: "t", caseworkers: .set(0))]
        let C = Rig.at(2026, 4, 1)
        let o = try Rig.run(s, arrivals: [150])
        #expect(near(o.total("unassignedMean"), (365.25 - C) / 365.25), "\(o.total("unassignedMean"))")
        #expect(near(o.total("waitingMean"), (365.25 - 150) / 365.25), "\(o.total("waitingMean"))")
        #expect(near(o.total("team.t.waitingMean"), (365.25 - 150) / 365.25))
        #expect(o.rep.unassigned == 1 && o.rep.waiting == 1 && o.rep.teams[0].poolCount == 2)
    }

    @Test("team ratios: caseloadMean and overCapShare are empty in a period without a filled position; caseworkersMean is 0")
    func teamRatiosEmpty() throws {
        var s = Rig.scenario(years: 2)
        s.teams = [Team(id: "x", caseworkers: 1, cap: 1), Team(id: "y", caseworkers: 0, cap: 1)]
        s.initial = [InitialStock(step: "a", count: 2)]
        s.staff.changes = [StaffChange(at: Rig.date(2027, 1, 1), team: "y", caseworkers: .relative(1), immediate: true)]
        let o = try Rig.run(s)
        #expect(o.year(0, "team.y.caseloadMean").isNaN && o.year(0, "team.y.overCapShare").isNaN)
        #expect(o.year(0, "team.y.caseworkersMean") == 0)
        #expect(o.year(1, "team.y.caseworkersMean") == 1)
        #expect(!o.total("team.y.caseloadMean").isNaN)
        #expect(!o.year(1, "team.y.caseloadMean").isNaN)
        #expect(o.year(0, "team.x.caseworkersMean") == 1)
    }
}
