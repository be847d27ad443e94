import Foundation
import Testing
import SagstalModel
import SagstalRunner
import SagstalScenario
import SagstalStats

/// A baseline with a known cost path: 10 children in foster care for exactly 2.5 years
/// (100,000 DKK a year each, no arrivals, no staff cost, nobody ages out).
let breakEvenBaseline = """
name: baseline
simulation: {start: 2026-01-01, years: 4, replications: 5, seed: 3}
children: {ageOut: 100}
ladder:
  - {id: foster, placement: true, costPerYear: 100000, duration: 913.125, next: {exit: 1}}
teams: [{id: t, caseworkers: 2, cap: 25}]
initial: {foster: 10}
"""

/// The alternative halves every stay (team method duration 0.5) and pays 1.2 mio. DKK training
/// at the start. Cumulative costs (mio. DKK): baseline 1.0, 2.0, 2.5, 2.5; alternative 2.2,
/// 2.45, 2.45, 2.45 → break-even in the third budget year (2028), 50,000 DKK cheaper in total,
/// 12.5 placed child-years fewer.
let breakEvenAlternative = """
name: alternative
simulation: {start: 2026-01-01, years: 4, replications: 5, seed: 3}
children: {ageOut: 100}
ladder:
  - {id: foster, placement: true, costPerYear: 100000, duration: 913.125, next: {exit: 1}}
teams: [{id: t, caseworkers: 2, cap: 25, method: {duration: 0.5}}]
initial: {foster: 10}
costs: {oneOff: [{at: 2026-01-01, amount: 1200000, label: training}]}
"""

@Suite struct CompareTests {
    @Test func breakEvenAndDifferencesOnAConstructedCase() throws {
        let a = try ScenarioLoader.load(yaml: breakEvenBaseline, file: "a.yaml").scenario
        let b = try ScenarioLoader.load(yaml: breakEvenAlternative, file: "b.yaml").scenario
        let result = try CompareJob.run([a, b], names: ["a", "b"], jobs: 2)
        let p = try #require(result.pairs.first)
        #expect(p.breakEven.counts == [0, 0, 5, 0])
        #expect(p.breakEven.notWithinHorizon == 0)
        #expect(p.breakEven.medianYearIndex == 2)
        let names = p.differences.layout.totalsMetrics
        let cost = try #require(p.differences.totals[names.firstIndex(of: "cost.total")!].mean)
        #expect(abs(cost - (-50_000)) < 1e-6, "net cost \(cost)")
        let placed = try #require(p.differences.totals[names.firstIndex(of: "placedChildYears")!].mean)
        #expect(abs(placed - (-12.5)) < 1e-9, "placed child-years \(placed)")
        #expect(p.probabilityCheaper == 1)
        // Yearly paired differences: +1.2 mio., −0.75 mio., −0.5 mio., 0.
        let yearlyCost = p.differences.yearly.map { $0[p.differences.layout.periodMetrics.firstIndex(of: "cost.total")!].mean! }
        for (got, want) in zip(yearlyCost, [1_200_000.0, -750_000, -500_000, 0]) { #expect(abs(got - want) < 1e-6, "\(yearlyCost)") }
        let cumulative = p.cumulativeNetCost.map { $0.mean! }
        for (got, want) in zip(cumulative, [1_200_000.0, 450_000, -50_000, -50_000]) { #expect(abs(got - want) < 1e-6, "\(cumulative)") }
    }

    @Test func alternativeThatNeverPaysBackHasNoBreakEven() throws {
        let a = try ScenarioLoader.load(yaml: breakEvenBaseline, file: "a.yaml").scenario
        let b = try ScenarioLoader.load(yaml: breakEvenAlternative, file: "b.yaml", overrides: ["costs.oneOff.0.amount=5000000"]).scenario
        let p = try #require(try CompareJob.run([a, b], names: ["a", "b"], jobs: 1).pairs.first)
        #expect(p.breakEven.notWithinHorizon == 5)
        #expect(p.breakEven.medianYearIndex == nil)
        #expect(p.probabilityCheaper == 0)
    }

    /// The paired statistics equal those computed directly from the two runs' replication rows.
    @Test func pairedStatisticsMatchReplicationRows() throws {
        let a = try ScenarioLoader.load(yaml: testScenarioYAML, file: "a.yaml").scenario
        let b = try ScenarioLoader.load(yaml: testScenarioYAML, file: "b.yaml", overrides: ["teams.a.caseworkers=8"]).scenario
        let result = try CompareJob.run([a, b], names: ["a", "b"], jobs: 2)
        let p = result.pairs[0]
        for metric in ["placementsStarted", "cost.total", "caseloadMean"] {
            let ia = result.runs[0].layout.totalsMetrics.firstIndex(of: metric)!
            let diffs = zip(result.runs[0].replicationTotals, result.runs[1].replicationTotals).map { $1[ia] - $0[ia] }
            let direct = Summaries.summarize(diffs)
            let got = p.differences.totals[p.differences.layout.totalsMetrics.firstIndex(of: metric)!]
            #expect(got == direct, "\(metric): \(got) vs \(direct)")
        }
        let ic = result.runs[0].layout.totalsMetrics.firstIndex(of: "cost.total")!
        let wins = zip(result.runs[0].replicationTotals, result.runs[1].replicationTotals).filter { $1[ic] < $0[ic] }.count
        #expect(p.probabilityCheaper == Double(wins) / Double(result.runs[0].replications))
    }

    @Test func alternativesTakeTheBaselinesSeedAndDifferentStartsAreRefused() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fa = dir.appendingPathComponent("a.yaml"), fb = dir.appendingPathComponent("b.yaml")
        try breakEvenBaseline.write(to: fa, atomically: true, encoding: .utf8)
        try breakEvenAlternative.replacingOccurrences(of: "seed: 3", with: "seed: 4").write(to: fb, atomically: true, encoding: .utf8)
        let loaded = try CompareJob.load([ScenarioRequest(path: fa.path), ScenarioRequest(path: fb.path)])
        #expect(loaded.scenarios[1].scenario.simulation.seed == 3)
        #expect(loaded.notes.count == 1 && loaded.notes[0].contains("seed 4"))
        // The replaced seed's source says so.
        let seed = try #require(loaded.scenarios[1].sources.first { $0.path == "simulation.seed" })
        #expect(seed.kind == .override && seed.file == CompareJob.compareSource && seed.value == .unsigned(3))
        #expect(seed.comment.contains("the baseline's value"))
        #expect(loaded.scenarios[0].sources.first { $0.path == "simulation.seed" }?.kind != .override)
        try breakEvenAlternative.replacingOccurrences(of: "start: 2026-01-01", with: "start: 2027-01-01")
            .write(to: fb, atomically: true, encoding: .utf8)
        #expect(throws: PlannerError.self) { try CompareJob.load([ScenarioRequest(path: fa.path), ScenarioRequest(path: fb.path)]) }
    }

    @Test func writesComparisonFilesAndEachScenario() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try ScenarioLoader.load(yaml: breakEvenBaseline, file: "a.yaml").scenario
        let b = try ScenarioLoader.load(yaml: breakEvenAlternative, file: "b.yaml").scenario
        let result = try CompareJob.run([a, b], names: ["a", "b"], jobs: 2)
        _ = try CompareJob.write(result, notes: [], jobs: 2, to: dir)
        for f in ["comparison.json", "comparison.csv", "a/summary.json", "b/summary.json", "b/scenario.resolved.yaml"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path), "missing \(f)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("comparison.json"))) as! [String: Any]
        let c = (json["comparisons"] as! [[String: Any]])[0]
        let be = c["breakEvenYear"] as! [String: Any]
        #expect(be["median"] as? Int == 2028)
        #expect(be["text"] as? String == "2028")
        let avoided = c["placementsAvoided"] as! [String: Any]
        #expect(avoided["mean"] as? Double == 0)
        let csv = try String(contentsOf: dir.appendingPathComponent("comparison.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("baseline,alternative,period,metric,baseline_mean,alternative_mean,diff_mean"))
    }

    @Test func breakEvenMedianIsOrdinal() {
        #expect(BreakEven.yearIndex(baseline: [10, 10, 10], alternative: [15, 6, 8]) == 2)   // 15, 21, 29 vs 10, 20, 30
        #expect(BreakEven.yearIndex(baseline: [10, 10, 10], alternative: [15, 4, 8]) == 1)   // 15, 19 vs 10, 20
        #expect(BreakEven.yearIndex(baseline: [10, 10], alternative: [10, 20]) == 0)
        #expect(BreakEven.yearIndex(baseline: [10, 10], alternative: [11, 10]) == nil)
        #expect(BreakEven(yearLabels: ["a", "b", "c"], counts: [1, 1, 0], notWithinHorizon: 2).medianYearIndex == 1)
        #expect(BreakEven(yearLabels: ["a", "b", "c"], counts: [1, 0, 0], notWithinHorizon: 2).medianYearIndex == nil)
    }
}

@Suite struct SweepTests {
    @Test func gridIsTheFullProductFirstAxisSlowest() throws {
        let axes = [try SweepAxis(parsing: "teams.0.cap=15,20"), try SweepAxis(parsing: "staff.turnover.perYear=0.1, 0.2 ,0.3")]
        #expect(axes[1].values == ["0.1", "0.2", "0.3"])
        #expect(SweepJob.grid(axes) == [["15", "0.1"], ["15", "0.2"], ["15", "0.3"], ["20", "0.1"], ["20", "0.2"], ["20", "0.3"]])
        #expect(throws: PlannerError.self) { try SweepAxis(parsing: "teams.0.cap") }
        #expect(throws: PlannerError.self) { try SweepAxis(parsing: "teams.0.cap=15,,20") }
    }

    @Test func everyPointSharesTheArrivalsAndTheLowestCostIsMarked() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.yaml")
        try testScenarioYAML.write(to: file, atomically: true, encoding: .utf8)
        let axes = [try SweepAxis(parsing: "teams.a.caseworkers=3,5,8")]
        let loaded = try SweepJob.load(ScenarioRequest(path: file.path, overrides: ["teams.b.cap=30"], replications: 4), axes: axes)
        #expect(loaded.map { $0.scenario.teams[0].caseworkers } == [3, 5, 8])
        // A point's value is the sweep's (`<--vary>`, line 1 for the first axis); --set and -n stay overrides.
        let varied = try #require(loaded[1].sources.first { $0.path == "teams.a.caseworkers" })
        #expect(varied.kind == .override && varied.file == SweepRun.varyFileName && varied.line == 1)
        #expect(varied.comment == "teams.a.caseworkers=5" && varied.value == .integer(5))
        let set = try #require(loaded[1].sources.first { $0.path == "teams.b.cap" })
        #expect(set.file == "<--set>" && set.line == 1)
        let reps = try #require(loaded[1].sources.first { $0.path == "simulation.replications" })
        #expect(reps.file == "<--set>" && reps.line == 2 && reps.comment == "simulation.replications=4")
        let result = try SweepJob.run(loaded.map(\.scenario), axes: axes, jobs: 2)
        let n = result.runs[0].layout.totalsMetrics.firstIndex(of: "notifications")!
        let arrivals = result.runs.map { $0.replicationTotals.map { $0[n] } }
        #expect(arrivals[0] == arrivals[1] && arrivals[1] == arrivals[2], "common random numbers across points")
        let c = result.runs[0].layout.totalsMetrics.firstIndex(of: "cost.total")!
        let means = result.runs.map { $0.totals[c].mean! }
        #expect(result.lowestCostPoint == means.indices.min { means[$0] < means[$1] })
        try SweepJob.write(result, jobs: 2, to: dir.appendingPathComponent("out"))
        let csv = try String(contentsOf: dir.appendingPathComponent("out/sweep.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n")
        #expect(lines[0] == "point,teams.a.caseworkers,metric,mean,sd,ci95_lo,ci95_hi,p5,p50,p95")
        #expect(lines.count == 1 + 3 * result.runs[0].layout.totalsMetrics.count)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/point-002/summary.json").path))
    }

    @Test func invalidPointIsRefusedBeforeAnythingRuns() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.yaml")
        try testScenarioYAML.write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: ScenarioError.self) {
            try SweepJob.load(ScenarioRequest(path: file.path), axes: [try SweepAxis(parsing: "teams.a.cap=20,-1")])
        }
    }
}
