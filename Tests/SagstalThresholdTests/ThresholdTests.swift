import Foundation
import Testing
import SagstalRandom
import SagstalRunner
import SagstalScenario
import SagstalThreshold

/// The linear pair (Tests/Fixtures/linear-pair): net cost(k) = 600,000 − 500,000 k when the
/// alternative's method is scaled by k, which is 0 at k* = 1.2 exactly.
let linearPair = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/linear-pair")

@Suite struct ThresholdTests {
    func plan() throws -> ThresholdPlan {
        try ThresholdPlan(baseline: ScenarioRequest(path: linearPair.appendingPathComponent("baseline.yaml").path, replications: 3),
                                 alternative: ScenarioRequest(path: linearPair.appendingPathComponent("alternative.yaml").path, replications: 3),
                                 effects: [try EffectScale(path: "teams.t.method")])
    }

    @Test func thresholdOfAConstructedPairIsTheExactRoot() throws {
        let run = try ThresholdJob.run(try plan(), jobs: 2)
        let k = try #require(run.threshold)
        #expect(abs(k - 1.2) <= ThresholdSettings().tolerance, "k* = \(k)")
        // Every replication gives the same cost, so the CI collapses onto the root.
        let lo = try #require(run.ciLo), hi = try #require(run.ciHi)
        #expect(abs(lo - 1.2) <= 0.002 && abs(hi - 1.2) <= 0.002, "CI \(lo)–\(hi)")
        for p in run.gridPoints {
            let want = 600_000 - 500_000 * p.k
            #expect(abs(p.netCost.mean! - want) < 1e-3, "k = \(p.k): \(p.netCost.mean!) vs \(want)")
        }
        // At k = 2 the cumulative net cost is +0.6, +0.1, −0.4, −0.4 mio.: it pays from 2028 (index 2).
        let two = try #require(run.gridPoints.first { $0.k == 2 })
        #expect(two.breakEvenYear == 2)
        for (got, want) in zip(two.cumulative.map { $0.mean! }, [600_000.0, 100_000, -400_000, -400_000]) {
            #expect(abs(got - want) < 1e-3, "\(two.cumulative.map { $0.mean! })")
        }
        #expect(run.gridPoints.first { $0.k == 1 }?.breakEvenYear == nil)
        #expect(ThresholdReport.sentence(run, language: .en).contains("at least 120 % (95 % CI 120–120 %)"))
    }

    @Test func resultDoesNotDependOnJobs() throws {
        let p = try plan()
        let a = try ThresholdJob.run(p, jobs: 1), b = try ThresholdJob.run(p, jobs: 3)
        #expect(a.points == b.points)
        #expect(a.outcome == b.outcome && a.ciLo == b.ciLo && a.ciHi == b.ciHi)
    }

    @Test func stayingPaidIsTheYearAfterTheLastPositiveCumulative() {
        #expect(ThresholdJob.staysPaidFrom([1, -1, 1, -1]) == 3)
        #expect(ThresholdJob.staysPaidFrom([-1, -2]) == 0)
        #expect(ThresholdJob.staysPaidFrom([1, -1, -2]) == 1)
        #expect(ThresholdJob.staysPaidFrom([1, 1]) == nil)
        #expect(ThresholdJob.staysPaidFrom([-1, 1]) == nil)
        #expect(ThresholdJob.staysPaidFrom([1, 0]) == 1)
    }
}

@Suite struct RootFinderTests {
    @Test func brentFindsTheFixedPointOfCosine() throws {
        var calls = 0
        let r = try RootFinder.brent(lo: 0, hi: 1, absoluteTolerance: 1e-10) { x in
            calls += 1
            return cos(x) - x
        }
        #expect(r.converged)
        #expect(abs(r.root - 0.739_085_133_215_160_6) < 1e-9)
        #expect(calls < 15, "\(calls) evaluations")
    }

    @Test func noSignChangeIsAnError() {
        #expect(throws: RootFinder.Failure.self) { try RootFinder.brent(lo: 0, hi: 1, absoluteTolerance: 1e-6) { $0 * $0 + 1 } }
    }

    struct Boom: Error {}

    @Test func anErrorOfTheFunctionStopsTheSolver() {
        #expect(throws: Boom.self) {
            try RootFinder.brent(lo: -1, hi: 2, absoluteTolerance: 1e-9) { x in
                if x > -1 && x < 2 { throw Boom() }
                return x
            }
        }
    }
}

@Suite struct EffectScaleTests {
    let yaml = """
    name: s
    simulation: {start: 2026-01-01, years: 2, replications: 2, seed: 1}
    ladder:
      - {id: home, costPerYear: 1000, duration: 100, next: {exit: 1}}
    caseload: {reference: 30, elasticity: {escalate: 0.3, deescalate: 0.2, close: 0.1, duration: 0.1}}
    teams:
      - {id: a, caseworkers: 2, cap: 25, share: 0.5, method: {escalate: 0.9, deescalate: 1.1}}
      - {id: b, caseworkers: 2, cap: 25, share: 0.5}
    staff:
      changes:
        - {at: 2027-01-01, team: b, method: {escalate: 0.8}}
    """

    @Test func elasticitiesScaleByK() throws {
        let s = try ScenarioLoader.load(yaml: yaml).scenario
        let e = try EffectScale(path: "caseload.elasticity").apply(0.5, to: s).caseload.elasticity
        #expect(e == Elasticities(escalate: 0.15, deescalate: 0.1, close: 0.05, duration: 0.05))
        let one = try EffectScale(path: "caseload.elasticity.close").apply(2, to: s).caseload.elasticity
        #expect(one == Elasticities(escalate: 0.3, deescalate: 0.2, close: 0.2, duration: 0.1))
    }

    @Test func methodDeviationsScaleByKInTeamsAndDatedChanges() throws {
        let s = try ScenarioLoader.load(yaml: yaml).scenario
        let all = try EffectScale(path: "teams.*.method").apply(0.5, to: s)
        #expect(abs(all.teams[0].method.escalate - 0.95) < 1e-15 && abs(all.teams[0].method.deescalate - 1.05) < 1e-15)
        #expect(all.teams[1].method == MethodMultipliers())
        #expect(abs(all.staff.changes[0].method!.escalate! - 0.9) < 1e-15)
        let onlyA = try EffectScale(path: "teams.a.method").apply(0, to: s)
        #expect(onlyA.teams[0].method == MethodMultipliers())
        #expect(onlyA.staff.changes[0].method!.escalate == 0.8)
        #expect(throws: EffectScaleError.self) { try EffectScale(path: "teams.b.method").apply(6, to: s) }  // 1 + 6(0.8 − 1) < 0
        #expect(throws: EffectScaleError.self) { try EffectScale(path: "caseload.elasticity").apply(-1, to: s) }
        #expect(try EffectScale(path: "teams.zz.method").applies(to: s) == false)
    }

    @Test func unknownPathsAreRefusedWithTheAcceptedForms() {
        for p in ["caseload", "caseload.elasticity.speed", "teams.method", "ladder.foster.costPerYear"] {
            #expect(throws: EffectScaleError.unknownPath(p)) { try EffectScale(path: p) }
        }
    }
}
