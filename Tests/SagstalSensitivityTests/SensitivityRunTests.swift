import Foundation
import Testing
import SagstalRunner
import SagstalScenario
@testable import SagstalSensitivity

/// The linear pair (Tests/Fixtures/linear-pair): net cost = training − 500,000 · k, exactly linear in
/// the one-off training amount and in the method scale k. Deterministic: one replication suffices.
let linearPair = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/linear-pair")

func pairPlan(_ factors: [String], replications: Int? = nil) throws -> SensitivityPlan {
    try SensitivityPlan(request: ScenarioRequest(path: linearPair.appendingPathComponent("alternative.yaml").path, replications: replications),
                        baseline: ScenarioRequest(path: linearPair.appendingPathComponent("baseline.yaml").path, replications: replications),
                               factors: try factors.map { try Factor(parsing: $0) }, outputs: OutputSpec.defaults(paired: true))
}

@Suite struct SensitivityRunTests {
    let factors = ["costs.oneOff.0.amount=0..1200000", "teams.t.method*=0..2"]

    @Test func tornadoOfALinearPairIsExact() throws {
        let run = try SensitivityJob.run(try pairPlan(factors, replications: 2), settings: SensitivitySettings(), jobs: 2)
        #expect(run.sample.count == 5)
        #expect(abs(run.nominal[0].mean! - 100_000) < 1e-3)
        let bars = run.tornado[0]
        // Sorted by swing: the training amount (1.2 mio.) before the method (−1.0 mio.).
        #expect(bars.map(\.factor) == ["costs.oneOff.0.amount", "teams.t.method×"])
        #expect(abs(bars[0].deltaLo.mean! - (-600_000)) < 1e-3 && abs(bars[0].deltaHi.mean! - 600_000) < 1e-3)
        #expect(abs(bars[1].deltaLo.mean! - 500_000) < 1e-3 && abs(bars[1].deltaHi.mean! - (-500_000)) < 1e-3)
        #expect(abs(bars[1].swing.mean! - (-1_000_000)) < 1e-3)
        // No placements are avoided: the same 10 children are placed either way.
        #expect(run.tornado[1].allSatisfy { $0.swing.mean == 0 })
    }

    /// For y = a − 500,000 k with a ~ U(0, 1.2 mio.) and k ~ U(0, 2): Var = (1.2e6)²/12 + (1e6)²/12,
    /// so S1 = S_T = 1.44/2.44 = 0.590 for the amount and 1/2.44 = 0.410 for k.
    @Test func sobolOfALinearPairContainsTheAnalyticIndices() throws {
        var settings = SensitivitySettings()
        settings.method = .sobol
        settings.baseSamples = 64
        let run = try SensitivityJob.run(try pairPlan(factors), settings: settings, jobs: 2)
        #expect(run.sample.count == 64 * 4)
        let s = try #require(run.sobol[0])
        #expect(run.sobol[1] == nil && run.warnings.contains { $0.hasPrefix("placementsAvoided is the same") })
        for (i, want) in [1.44 / 2.44, 1 / 2.44].enumerated() {
            #expect(s.firstOrderCI[i].contains(want), "S1[\(i)] = \(s.firstOrder[i]) \(s.firstOrderCI[i]) vs \(want)")
            #expect(s.totalOrderCI[i].contains(want), "ST[\(i)] = \(s.totalOrder[i]) \(s.totalOrderCI[i]) vs \(want)")
        }
    }

    /// Morris on a linear model: every elementary effect equals the slope × range, so μ* is exact and σ = 0.
    @Test func morrisOfALinearPairIsExact() throws {
        var settings = SensitivitySettings()
        settings.method = .morris
        settings.trajectories = 6
        let run = try SensitivityJob.run(try pairPlan(factors), settings: settings, jobs: 2)
        let m = run.morris[0]
        #expect(abs(m.muStar[0] - 1_200_000) < 1e-2 && abs(m.muStar[1] - 1_000_000) < 1e-2, "\(m.muStar)")
        #expect(abs(m.mu[1] - (-1_000_000)) < 1e-2)
        #expect(m.sigma.allSatisfy { $0 < 1e-2 }, "\(m.sigma)")
    }

    @Test func resultsDoNotDependOnJobs() throws {
        var settings = SensitivitySettings()
        settings.method = .morris
        settings.trajectories = 4
        let plan = try pairPlan(factors, replications: 3)
        let a = try SensitivityJob.run(plan, settings: settings, jobs: 1), b = try SensitivityJob.run(plan, settings: settings, jobs: 3)
        #expect(a.means == b.means && a.morris == b.morris)
    }

    @Test func badFactorsAreRefusedBeforeAnythingRuns() throws {
        #expect(throws: SensitivityInputError.self) { try Factor(parsing: "teams.t.cap=30") }
        #expect(throws: SensitivityInputError.self) { try Factor(parsing: "teams.t.cap=40..30") }
        #expect(throws: SensitivityInputError.self) { try Factor(parsing: "ladder.foster*=0..1") }
        #expect(throws: SensitivityInputError.self) { try pairPlan(["teams.t.cap=20..30", "teams.t.cap=20..40"]) }
        // A path the scenario does not have is a located scenario error.
        #expect(throws: ScenarioError.self) { try pairPlan(["teams.t.kap=20..30"]) }
        let whole = try Factor(parsing: "teams.t.caseworkers=2..9")
        #expect(whole.value(3.4) == 3 && whole.override(3.6) == "teams.t.caseworkers=4")
        #expect(try Factor(parsing: "staff.costPerYear=4.5e5..6e5").value(4.56e5) == 4.56e5)
    }
}

/// sagstal's own Sobol output (Brønderslev: Varige Spor vs before, 4 factors, N = 64, 10 replications;
/// `sagstal sensitivity … --method sobol --base-samples 64 -n 10`) and SALib 1.6.0's indices on the same
/// sample.csv and results.csv (Fixtures/sagstal-broenderslev-sobol/salib.csv, written with
/// SALib.analyze.sobol.analyze, num_resamples 1000). `swift test` needs no Python.
@Suite struct SagstalOutputAgainstSALibTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/sagstal-broenderslev-sobol")

    func table(_ name: String) throws -> [[String]] {
        try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func indicesOnSagstalsOwnSampleAgreeWithSALib() throws {
        let results = try table("results.csv"), salib = try table("salib.csv")
        let factors = ["caseload.elasticity×", "teams.*.method×", "ladder.foster.costPerYear", "staff.costPerYear"]
        for output in ["netCost", "placementsAvoided"] {
            let column = try #require(results[0].firstIndex(of: output))
            let y = results.dropFirst().map { Double($0[column])! }
            let ours = try SobolAnalysis.analyze(outputs: y, factors: factors, baseSamples: 64)
            for (i, f) in factors.enumerated() {
                let row = try #require(salib.first { $0[0] == output && $0[1] == f })
                let s1 = Double(row[2])!, s1conf = Double(row[3])!, st = Double(row[4])!, stconf = Double(row[5])!
                // Same estimators on the same numbers: the point estimates agree to rounding.
                #expect(abs(ours.firstOrder[i] - s1) <= 1e-12 * max(1, abs(s1)), "\(output) S1 \(f)")
                #expect(abs(ours.totalOrder[i] - st) <= 1e-12 * max(1, abs(st)), "\(output) ST \(f)")
                // And each lies within the other's CI (SALib's ±conf; ours the bootstrap percentile interval).
                #expect(ours.firstOrderCI[i].contains(s1) || s1conf == 0, "\(output) S1 \(f): \(ours.firstOrderCI[i]) vs \(s1)")
                #expect(abs(ours.totalOrder[i] - st) <= stconf || stconf == 0)
                #expect(abs(ours.firstOrder[i] - s1) <= s1conf || s1conf == 0)
            }
        }
    }
}
