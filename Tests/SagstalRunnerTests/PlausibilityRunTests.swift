import Foundation
import Testing
import SagstalModel
import SagstalRunner
import SagstalScenario
import SagstalStats

/// Plausibility warnings end to end (docs/plausibility.md): the shipped scenarios have none, the
/// steady state matches simulated stocks, warnings reach summary.json, and a sweep warns about
/// an optimum at the edge of its grid.
@Suite struct PlausibilityRunTests {
    static let yaml = """
    simulation: {years: 2, replications: 4, seed: 5}
    notifications: {perYear: 300}
    screening: {opensCase: 0.5}
    assessment: {duration: {dist: gamma, mean: 60, sd: 20}, outcome: {close: 0.5, help: 0.4, foster: 0.1}}
    ladder:
      - {id: help, costPerYear: 100000, duration: {dist: gamma, mean: 200, sd: 80}, next: {up: 0.1, exit: 0.7}}
      - {id: foster, placement: true, costPerYear: 470000, duration: {dist: gamma, mean: 365, sd: 200}, next: {down: 0.05, exit: 0.15}}
    teams: [{id: team, caseworkers: 6, cap: 25}]
    staff: {costPerYear: 500000}
    """

    @Test(arguments: scenarioFiles())
    func theShippedScenariosHaveNoWarnings(file: String) throws {
        let loaded = try ScenarioRequest(path: scenariosFolder.appendingPathComponent(file).path).load()
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings.map(\.description))")
    }

    /// The steady state (Little's law with ageing out) against the stocks of a long run with
    /// caseload effects off: within 5 %.
    @Test func theSteadyStateMatchesSimulatedStocks() throws {
        let loaded = try ScenarioLoader.load(yaml: Self.yaml, overrides: ["simulation.warmupYears=25", "simulation.years=10",
                                                                          "simulation.replications=8"])
        let steady = try #require(SteadyState(loaded.scenario))
        let run = try SimulationRunner.run(try CompiledScenario(loaded.scenario), replications: 8, jobs: 2)
        func total(_ m: String) -> Double { run.totals[run.layout.totalsMetrics.firstIndex(of: m)!].mean ?? .nan }
        for (k, id) in ["help", "foster"].enumerated() {
            let simulated = total("step.\(id).childYears") / 10
            #expect(abs(simulated - steady.stock[k]) / steady.stock[k] < 0.05, "\(id): simulated \(simulated), steady \(steady.stock[k])")
        }
        let starts = total("placementsStarted") / 10
        #expect(abs(starts - steady.placementStartsPerYear) / steady.placementStartsPerYear < 0.05,
                "placement starts: simulated \(starts), steady \(steady.placementStartsPerYear)")
    }

    @Test func warningsAreRecordedInSummaryJSON() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sagstal-plaus-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let loaded = try ScenarioLoader.load(yaml: Self.yaml, file: "w.yaml", overrides: ["staff.costPerYear=50000"])
        #expect(loaded.warnings.count == 1)
        _ = try RunJob.run(loaded, output: dir, jobs: 1)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("summary.json"))) as! [String: Any]
        let warnings = try #require(json["warnings"] as? [[String: Any]])
        #expect(warnings.count == 1)
        #expect(warnings.first?["keyPath"] as? String == "staff.costPerYear")
        #expect((warnings.first?["message"] as? String)?.contains("per caseworker-year is outside") == true)
        #expect(warnings.first?["file"] == nil, "no location: summary.json depends only on the scenario's values")
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("Warnings (1)") && html.contains("per caseworker-year is outside"))
        // Without warnings the key is an empty list and there is no box.
        let clean = dir.appendingPathComponent("clean")
        _ = try RunJob.run(try ScenarioLoader.load(yaml: Self.yaml), output: clean, jobs: 1)
        let j2 = try JSONSerialization.jsonObject(with: Data(contentsOf: clean.appendingPathComponent("summary.json"))) as! [String: Any]
        #expect((j2["warnings"] as? [Any])?.isEmpty == true)
        #expect(!(try String(contentsOf: clean.appendingPathComponent("report.html"), encoding: .utf8)).contains("class=\"warnings\""))
    }

    /// Without a caseload effect every point has the same children, so the cost rises with the
    /// caseworkers: the optimum is the smallest value of the grid.
    @Test func aSweepWarnsWhenTheOptimumIsAtTheEdgeOfItsGrid() throws {
        let axes = [SweepAxis(path: "teams.team.caseworkers", values: ["4", "6", "8"])]
        let scenarios = try SweepJob.grid(axes).map { point in
            try ScenarioLoader.load(yaml: Self.yaml, overrides: ["teams.team.caseworkers=\(point[0])"]).scenario
        }
        let result = try SweepJob.run(scenarios, axes: axes, jobs: 2)
        #expect(result.lowestCostPoint == 0)
        let w = try #require(result.edgeWarnings.first)
        #expect(result.edgeWarnings.count == 1)
        #expect(w.file == "<--vary>" && w.line == 1 && w.column == 24)
        #expect(w.severity == .warning && w.keyPath == "teams.team.caseworkers")
        #expect(w.message.contains("smallest value of the grid, teams.team.caseworkers = 4"))
        #expect(w.suggestion?.contains("below 4") == true)
        // An axis of words gives no warning.
        let policy = [SweepAxis(path: "teams.team.policy", values: ["overflow", "waitlist"])]
        let byPolicy = try SweepJob.run(try SweepJob.grid(policy).map {
            try ScenarioLoader.load(yaml: Self.yaml, overrides: ["teams.team.policy=\($0[0])"]).scenario
        }, axes: policy, jobs: 2)
        #expect(byPolicy.edgeWarnings.isEmpty)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sagstal-plaus-sweep-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try SweepJob.write(result, jobs: 1, to: dir, warnings: result.edgeWarnings.map(\.outputWarning))
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("Warnings (1)") && html.contains("the optimum may lie beyond the grid"))
    }
}
