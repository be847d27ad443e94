import Foundation
import Testing
@testable import SagstalModel
import SagstalScenario
import SagstalStats

// Statutory follow-ups (MODEL.md §5.10, version 2): the schedule (due every `everyDays` after entry
// into the set of listed steps), its cancellation and restart, the warm-up, and the on-time
// probability min(1, x^(−elasticity)) with x = caseworker's caseload (child included) / reference.
// Deterministic tests use fixed durations and times that are exact in binary; the statistical ones
// use fixed seeds and 3 binomial standard errors (each due's outcome is an independent keyed draw).

private func followUpSlots(steps: Int, teams: Int = 1) -> RawSlots { RawSlots(steps: steps, teams: teams, followUps: 1) }

@Suite("MODEL §5.10 statutory follow-ups") struct FollowUpRuleTests {
    // MARK: Schedule

    @Test("dues every everyDays from entry into the listed set; moving between listed steps keeps it, leaving cancels, re-entering restarts")
    func schedule() throws {
        // Ladder a (20, up) → p1 (50, up) → p2 (60, up) → p3 (40, down → p2 …); listed: p1, p2; every 35.
        // 10: a. 30: p1 (schedule from 30: 65, 100, 135, 170 …). 80: p2 (kept). 140: p3 (cancelled: no 170).
        // 180: p2 again (from 180: 215, 250). 240: p3 (no 250). 280: p2 (315, 350). 340: p3 (no 350). 380 > horizon.
        var s = Rig.scenario(years: 1, ladder: [Rig.step("a", 20, up: 1), Rig.step("p1", 50, up: 1), Rig.step("p2", 60, up: 1),
                                                Rig.step("p3", 40, down: 1)])
        s.assessment.outcome = [OutcomeWeight("a", 1)]
        s.followUps = [FollowUp(id: "visit", steps: ["p1", "p2"], everyDays: 35)]
        let f = followUpSlots(steps: 4)
        let w = Watch([f.followUpDue(0)])
        let o = try Rig.run(s, arrivals: [10], observe: w.observe)
        #expect(w[f.followUpDue(0)] == [65, 100, 135, 215, 315], "dues at \(w[f.followUpDue(0)])")
        #expect(o.total("followUp.visit.due") == 5)
        #expect(o.total("followUp.visit.missed") == 0)
    }

    @Test("a case that ends cancels the schedule; a new child in the same slot starts its own")
    func caseEndCancels() throws {
        // p: 150 days, exit; every 100. Child 1: p at 10 → due 110; exits 160 (210 cancelled).
        // Child 2 (the freed slot) at 200 → due 300.
        var s = Rig.scenario(years: 1, ladder: [Rig.step("p", 150, exit: 1)])
        s.assessment.outcome = [OutcomeWeight("p", 1)]
        s.followUps = [FollowUp(id: "visit", steps: ["p"], everyDays: 100)]
        let f = followUpSlots(steps: 1)
        let w = Watch([f.followUpDue(0)])
        var slots: Set<Int> = []
        let o = try Rig.run(s, arrivals: [10, 200]) { r in
            w.observe(r)
            slots.insert(r.children.count)
        }
        #expect(slots == [1], "both children use slot 0: \(slots)")
        #expect(w[f.followUpDue(0)] == [110, 300], "\(w[f.followUpDue(0)])")
        #expect(o.total("followUp.visit.due") == 2)
    }

    @Test("the initial stock's schedule starts at the run start; stay sojourns keep it; nothing at or after the horizon")
    func initialStockAndHorizon() throws {
        // Stock on p (50-day sojourns, stay) at 0; every 91.3125: dues 91.3125, 182.625, 273.9375;
        // the fourth would be at 365.25 = the horizon and is never scheduled.
        var s = Rig.scenario(years: 1, ladder: [Rig.step("p", 50)])
        s.initial = [InitialStock(step: "p", count: 1)]
        s.followUps = [FollowUp(id: "visit", steps: ["p"], everyDays: 91.3125)]
        let f = followUpSlots(steps: 1)
        let w = Watch([f.followUpDue(0)])
        var late: [Double] = []
        let o = try Rig.run(s) { r in
            w.observe(r)
            if r.lastT >= 365.25 { late.append(r.lastT) }
        }
        #expect(w[f.followUpDue(0)] == [91.3125, 182.625, 273.9375], "\(w[f.followUpDue(0)])")
        #expect(o.total("followUp.visit.due") == 3)
        #expect(late.isEmpty)
    }

    @Test("warm-up: the initial stock's schedule starts at the run start, but nothing is counted before t = 0")
    func warmUp() throws {
        // Run start −365.25; every 100: dues −265.25, −165.25, −65.25 (not counted), 34.75, 134.75, 234.75, 334.75.
        var s = Rig.scenario(years: 1, ladder: [Rig.step("p")])
        s.simulation.warmupYears = 1
        s.initial = [InitialStock(step: "p", count: 1)]
        s.teams[0].caseworkers = 0   // every due missed, so missed counts the same dues
        s.followUps = [FollowUp(id: "visit", steps: ["p"], everyDays: 100)]
        let f = followUpSlots(steps: 1)
        let w = Watch([f.followUpDue(0)])
        let o = try Rig.run(s, observe: w.observe)
        #expect(w[f.followUpDue(0)] == [34.75, 134.75, 234.75, 334.75], "\(w[f.followUpDue(0)])")
        #expect(o.total("followUp.visit.due") == 4 && o.year(0, "followUp.visit.due") == 4)
        #expect(o.total("followUp.visit.missed") == 4)
    }

    // MARK: On time or missed (deterministic)

    @Test("a child without caseworker misses every follow-up")
    func withoutCaseworkerMisses() throws {
        var s = Rig.scenario(years: 1, ladder: [Rig.step("p")], caseworkers: 0)
        s.initial = [InitialStock(step: "p", count: 2)]
        s.followUps = [FollowUp(id: "visit", steps: ["p"], everyDays: 100)]
        let o = try Rig.run(s)
        #expect(o.total("followUp.visit.due") == 6, "2 children × dues at 100, 200, 300")
        #expect(o.total("followUp.visit.missed") == 6)
        #expect(o.total("followUp.visit.missedShare") == 1)
    }

    @Test("elasticity 0: never missed, however heavy the caseload (100 children on one caseworker, reference 30)")
    func elasticityZeroNeverMissed() throws {
        var s = Rig.scenario(years: 1, ladder: [Rig.step("p")])
        s.initial = [InitialStock(step: "p", count: 100)]
        s.followUps = [FollowUp(id: "visit", steps: ["p"], everyDays: 10)]
        let o = try Rig.run(s)
        #expect(o.total("followUp.visit.due") == 3600, "100 children × dues at 10, 20, …, 360")
        #expect(o.total("followUp.visit.missed") == 0)
        #expect(o.total("followUp.visit.missedShare") == 0)
    }

    @Test("negative elasticity with x ≥ 1: min(1, x^(−elasticity)) = 1, never missed (x = 60/30 = 2)", arguments: [-1.0, -0.5])
    func negativeElasticityNeverMissed(elasticity: Double) throws {
        var s = Rig.scenario(years: 1, ladder: [Rig.step("p")])
        s.initial = [InitialStock(step: "p", count: 60)]
        s.followUps = [FollowUp(id: "visit", steps: ["p"], everyDays: 10, elasticity: elasticity)]
        let o = try Rig.run(s)
        #expect(o.total("followUp.visit.due") == 60 * 36)
        #expect(o.total("followUp.visit.missed") == 0)
    }

    @Test("families: x uses reference × childrenPerFamily (30 children, reference 15 families of 2 → x = 1, on time even at elasticity 1000)")
    func familiesReference() throws {
        // x = 1 → 1^−1000 = 1: always on time. With the reference in children (15) x would be 2 → 2^−1000 = 0: always missed.
        var s = Rig.scenario(years: 1, ladder: [Rig.step("p")], cap: 100)
        s.caseload.casesCountedAs = .families
        s.caseload.childrenPerFamily = 2
        s.caseload.reference = 15
        s.initial = [InitialStock(step: "p", count: 30)]
        s.followUps = [FollowUp(id: "visit", steps: ["p"], everyDays: 100, elasticity: 1000)]
        let o = try Rig.run(s)
        #expect(o.total("followUp.visit.due") == 90)
        #expect(o.total("followUp.visit.missed") == 0)
        // One more child (x = 31/30 > 1): 1.0333^−1000 ≈ 6e−15 → every due missed.
        s.initial = [InitialStock(step: "p", count: 31)]
        let more = try Rig.run(s)
        #expect(more.total("followUp.visit.due") == 93)
        #expect(more.total("followUp.visit.missed") == 93)
    }

    @Test("missedShare = missed / due, and empty (NaN) in a period without a due")
    func missedShareEmpty() throws {
        var s = Rig.scenario(years: 2, ladder: [Rig.step("a"), Rig.step("p", 400, exit: 1)], caseworkers: 0)
        s.initial = [InitialStock(step: "a", count: 1)]
        s.followUps = [FollowUp(id: "visit", steps: ["p"], everyDays: 100)]
        let none = try Rig.run(s)
        #expect(none.total("followUp.visit.due") == 0 && none.total("followUp.visit.missed") == 0)
        #expect(none.total("followUp.visit.missedShare").isNaN)
        #expect(none.year(0, "followUp.visit.missedShare").isNaN && none.year(1, "followUp.visit.missedShare").isNaN)
        // A child on p from 0 to 400 (no caseworker): dues at 100, 200, 300 in year 0, all missed; the due at
        // 400 coincides with the exit, which comes first (the child's own event) and cancels it: year 1 has none.
        s.initial = [InitialStock(step: "p", count: 1)]
        let some = try Rig.run(s)
        #expect(some.year(0, "followUp.visit.due") == 3 && some.year(0, "followUp.visit.missedShare") == 1)
        #expect(some.year(1, "followUp.visit.due") == 0 && some.year(1, "followUp.visit.missedShare").isNaN)
        #expect(some.total("followUp.visit.missedShare") == 1)
    }

    @Test("follow-ups change nothing else: the rich scenario with and without one gives the same other metrics", arguments: [7, 8] as [UInt64])
    func nothingElseChanges(seed: UInt64) throws {
        var plain = Fixtures.rich(seed: seed, years: 2)
        plain.caseload.reference = 12   // caseloads above the reference, so that some follow-ups are missed
        var with = plain
        with.followUps = [FollowUp(id: "tilsyn", steps: ["kinship", "foster", "residential"], everyDays: 30, elasticity: 0.8)]
        let a = try Rig.run(plain), b = try Rig.run(with)
        #expect(b.total("followUp.tilsyn.due") > 100, "seed \(seed): \(b.total("followUp.tilsyn.due")) dues")
        #expect(b.total("followUp.tilsyn.missed") > 0)
        // Counts must agree exactly. Time integrals (child-years, costs, means) agree up to rounding:
        // each due is an event, and the levels are integrated piecewise between events, so the same
        // integral is summed over a finer partition (observed: relative differences ≈ 1e−16).
        // A relative 1e−12 is far below any real change (one child-day in a year is 1e−5 of a stock of 10).
        for m in a.layout.totalsMetrics where !m.hasPrefix("followUp.") {
            let x = a.total(m), y = b.total(m)
            #expect(near(x, y, 1e-12) || (x.isNaN && y.isNaN), "seed \(seed), \(m): \(x) without follow-ups, \(y) with (diff \(y - x))")
        }
        for m in ["placementsStarted", "placementChanges", "casesClosed", "assignments", "leavers", "hires", "transfers",
                  "step.foster.entries", "renotificationEscalations"] {
            #expect(a.total(m) == b.total(m), "seed \(seed), \(m)")
        }
    }

    // MARK: On time or missed (statistical)

    /// 60 (or `count`) children on one caseworker all year, a follow-up every day: 365 dues each.
    private func loaded(_ count: Int, reference: Double, elasticity: Double, families: Bool = false, seed: UInt64) throws -> Outcome {
        var s = Rig.scenario(years: 1, ladder: [Rig.step("p")], cap: 1000)
        s.simulation.seed = seed
        s.caseload.reference = reference
        if families {
            s.caseload.casesCountedAs = .families
            s.caseload.childrenPerFamily = 2
        }
        s.initial = [InitialStock(step: "p", count: count)]
        s.followUps = [FollowUp(id: "visit", steps: ["p"], everyDays: 1, elasticity: elasticity)]
        return try Rig.run(s)
    }

    private func expectMissedShare(_ o: Outcome, _ p: Double, seed: UInt64, _ label: String) {
        let n = o.total("followUp.visit.due"), k = o.total("followUp.visit.missed")
        let se = (p * (1 - p) / n).squareRoot()
        print("FU \(label) | missed \(k)/\(n) = \(k / n) | theory \(p) | z \((k / n - p) / se) | seed \(seed)")
        #expect(abs(k / n - p) <= 3 * se, "seed \(seed), \(label): missed share \(k / n), expected \(p) ± \(3 * se)")
        #expect(o.total("followUp.visit.missedShare") == k / n)
    }

    @Test("x = 60/30 = 2: missed with probability 1 − 2^(−elasticity) (elasticity 1 → ½, 0.5 → 1 − 1/√2), 3 SE",
          arguments: [1.0, 0.5])
    func missedShareAtTwiceReference(elasticity: Double) throws {
        let seed: UInt64 = 61
        let o = try loaded(60, reference: 30, elasticity: elasticity, seed: seed)
        #expect(o.total("followUp.visit.due") == 60 * 365)
        expectMissedShare(o, 1 - pow(2, -elasticity), seed: seed, "x = 2, elasticity \(elasticity)")
    }

    @Test("families: reference 15 families × 2 = 30 children, 60 children → x = 2, elasticity 1 → missedShare ½ (3 SE)")
    func missedShareFamilies() throws {
        let seed: UInt64 = 62
        let o = try loaded(60, reference: 15, elasticity: 1, families: true, seed: seed)
        expectMissedShare(o, 0.5, seed: seed, "families, x = 2")
    }

    // Reading of MODEL.md §5.10: "done on time with probability min(1, x^(−elasticity))" taken
    // literally for a negative elasticity too, so below the reference (x < 1) a negative elasticity
    // makes misses *more* likely: x = 0.5, elasticity −1 → on time with probability 0.5.
    @Test("negative elasticity below the reference: x = 15/30 = ½, elasticity −1 → on time with probability ½ (3 SE)")
    func negativeElasticityBelowReference() throws {
        let seed: UInt64 = 63
        let o = try loaded(15, reference: 30, elasticity: -1, seed: seed)
        expectMissedShare(o, 0.5, seed: seed, "x = 0.5, elasticity −1")
    }
}
