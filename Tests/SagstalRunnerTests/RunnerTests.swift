import Foundation
import Testing
import SagstalModel
import SagstalRandom
import SagstalRunner
import SagstalScenario
import SagstalStats

/// A scenario with most mechanisms on, small enough for tests.
let testScenarioYAML = """
name: runner-test
simulation: {start: 2026-01-01, years: 3, warmupYears: 1, replications: 6, seed: 99}
notifications: {perYear: 400, growthPerYear: 0.02, concernsOpenCase: 0.3, escalateOnRenotification: 0.05}
screening: {opensCase: 0.5}
assessment:
  duration: {dist: gamma, mean: 90, sd: 40}
  outcome: {close: 0.4, prevention: 0.35, homeBased: 0.15, foster: 0.07, residential: 0.03}
  cost: 10000
ladder:
  - {id: prevention, costPerYear: 60000, duration: {dist: lognormal, mean: 200, sd: 100}, next: {up: 0.1, exit: 0.6}}
  - {id: homeBased, costPerYear: 180000, duration: {dist: gamma, mean: 250, sd: 100}, next: {up: 0.1, down: 0.3, exit: 0.3}}
  - {id: foster, placement: true, costPerYear: 470000, duration: {dist: gamma, mean: 600, sd: 300}, next: {up: 0.1, down: 0.2, exit: 0.4}}
  - {id: residential, placement: true, costPerYear: 1160000, duration: 400, next: {down: 0.4, exit: 0.3}}
caseload: {reference: 16, casesCountedAs: families, childrenPerFamily: 1.25,
           elasticity: {escalate: 0.8, deescalate: 0.5, close: 0.3, duration: 0.2}}
teams:
  - {id: a, name: Familieafdelingen, ages: [0, 15], share: 2, caseworkers: 4, cap: 20}
  - {id: p, name: Pilot, ages: [0, 15], share: 1, caseworkers: 2, cap: 20}
  - {id: b, name: UngeCenter, ages: [15, 18], share: 1, caseworkers: 2, cap: 12, policy: waitlist}
staff:
  costPerYear: 500000
  recruitmentCost: 50000
  turnover: {perYear: 0.25, overloadElasticity: 1.5}
  recruitment: {dist: gamma, mean: 60, sd: 20}
  rampUp: {days: 90, capShare: 0.5}
  changes:
    - {at: 2026-07-01, team: p, cap: 16, caseworkers: "+1", method: {escalate: 0.9}, share: 1.5}
    - {at: 2027-01-01, team: a, caseworkers: "+1", method: {escalate: 0.9, deescalate: 1.1}}
followUps:
  - {id: tilsyn, name: Tilsynsbesøg, steps: [foster, residential], elasticity: 0.8}
outreach: {workers: 1, coursesPerWorker: 10, reach: 0.3, duration: 45, resolves: 0.5, costPerCourse: 2000, costPerWorkerYear: 500000}
initial: {prevention: 40, homeBased: 20, foster: 15, residential: 4}
costs: {discountRate: 0.03, oneOff: [{at: 2026-06-01, amount: 500000, label: training}]}
"""

func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sagstal-test-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

let contractFiles = ["scenario.resolved.yaml", "summary.json", "yearly.csv", "monthly.csv", "replications.csv"]

func contents(_ dir: URL) throws -> [String: Data] {
    var out: [String: Data] = [:]
    for f in contractFiles { out[f] = try Data(contentsOf: dir.appendingPathComponent(f)) }
    return out
}

@Suite struct RunnerTests {
    func load(_ overrides: [String] = []) throws -> LoadedScenario {
        try ScenarioLoader.load(yaml: testScenarioYAML, file: "runner-test.yaml", overrides: overrides)
    }

    @Test func sameSeedGivesIdenticalFilesForAnyNumberOfJobs() throws {
        let loaded = try load()
        let d1 = temporaryDirectory(), d2 = temporaryDirectory(), d3 = temporaryDirectory()
        defer { for d in [d1, d2, d3] { try? FileManager.default.removeItem(at: d) } }
        _ = try RunJob.run(loaded, output: d1, jobs: 1)
        _ = try RunJob.run(loaded, output: d2, jobs: 2)
        _ = try RunJob.run(loaded, output: d3, jobs: 2)
        let a = try contents(d1), b = try contents(d2), c = try contents(d3)
        for f in contractFiles {
            #expect(a[f] == b[f], "\(f) differs between --jobs 1 and --jobs 2")
            #expect(b[f] == c[f], "\(f) differs between two --jobs 2 runs")
        }
        #expect(FileManager.default.fileExists(atPath: d1.appendingPathComponent("run.json").path))
    }

    /// runEach (sweep's points, batch's rows) runs all (scenario, replication) pairs as one list,
    /// so the points overlap: each point's run must still be the one a run of that scenario alone
    /// gives, to the last bit, with any number of jobs.
    @Test func runEachOverlapsPointsButEachRunIsItsOwnRun() throws {
        let caps = [12, 20, 30]
        let scenarios = try caps.enumerated().map { k, cap in
            try load(["teams.0.cap=\(cap)", "simulation.replications=\(3 + k)"]).scenario
        }
        let alone = try scenarios.map { try SimulationRunner.run(try CompiledScenario($0), replications: $0.simulation.replications, jobs: 1) }
        for jobs in [1, 2, 3] {
            let (runs, _) = try SimulationRunner.runEach(scenarios, jobs: jobs)
            #expect(runs.count == scenarios.count)
            for (a, b) in zip(alone, runs) {
                #expect(a.replications == b.replications)
                #expect(a.replicationTotals == b.replicationTotals, "jobs \(jobs)")
                #expect(a.totals.map(\.mean) == b.totals.map(\.mean), "jobs \(jobs)")
                #expect(a.monthly.map { $0.map(\.mean) } == b.monthly.map { $0.map(\.mean) }, "jobs \(jobs)")
                #expect(a.eventsProcessed == b.eventsProcessed)
            }
        }
        // The points really differ (the test would be empty otherwise).
        #expect(alone[0].replicationTotals[0] != alone[2].replicationTotals[0])
    }

    @Test func differentSeedsGiveDifferentResults() throws {
        let d1 = temporaryDirectory(), d2 = temporaryDirectory()
        defer { for d in [d1, d2] { try? FileManager.default.removeItem(at: d) } }
        _ = try RunJob.run(try load(), output: d1, jobs: 2)
        _ = try RunJob.run(try load(["simulation.seed=100"]), output: d2, jobs: 2)
        #expect(try contents(d1)["replications.csv"] != contents(d2)["replications.csv"])
    }

    @Test func resolvedScenarioReproducesTheRunBitForBit() throws {
        let d1 = temporaryDirectory(), d2 = temporaryDirectory()
        defer { for d in [d1, d2] { try? FileManager.default.removeItem(at: d) } }
        _ = try RunJob.run(try load(["teams.a.cap=22"]), output: d1, jobs: 2)
        let rerun = try ScenarioLoader.load(path: d1.appendingPathComponent("scenario.resolved.yaml").path)
        _ = try RunJob.run(rerun, output: d2, jobs: 1)
        let a = try contents(d1), b = try contents(d2)
        for f in contractFiles where f != "summary.json" { #expect(a[f] == b[f], "\(f) differs when rerunning scenario.resolved.yaml") }
        // summary.json too, but for "sources": where the values came from (the resolved file has no comments).
        #expect(try withoutSources(a["summary.json"]!) == withoutSources(b["summary.json"]!))
        #expect(a["summary.json"] != b["summary.json"])
    }

    /// summary.json's text without its "sources" block.
    func withoutSources(_ data: Data) throws -> String {
        let text = String(decoding: data, as: UTF8.self)
        let start = try #require(text.range(of: "\n  \"sources\": ["))
        let end = try #require(text.range(of: "\n  ],\n  \"totals\"", range: start.upperBound..<text.endIndex))
        return String(text[..<start.lowerBound]) + String(text[end.upperBound...])
    }

    @Test func summaryRecordsTheSourceOfEveryValue() throws {
        let d = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: d) }
        let loaded = try load(["teams.a.cap=22"])
        _ = try RunJob.run(loaded, output: d, jobs: 2)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: d.appendingPathComponent("summary.json"))) as! [String: Any]
        let sources = json["sources"] as! [[String: Any]]
        #expect(sources.count == loaded.sources.count && sources.count > 50)
        let cap = try #require(sources.first { $0["path"] as? String == "teams.a.cap" })
        #expect(cap["kind"] as? String == "override" && cap["value"] as? Int == 22 && cap["comment"] as? String == "teams.a.cap=22")
        #expect(cap["file"] as? String == "<--set>" && cap["line"] as? Int == 1)
        for s in sources {
            #expect(Set(s.keys) == ["path", "value", "kind", "sections", "comment", "file", "line"])
            #expect(["facts", "assumption", "override", "default", "comment", "undocumented"].contains(s["kind"] as? String ?? ""))
        }
    }

    /// Common random numbers: the arrival stream is shared, so two scenarios that differ only
    /// in caps see the same notifications in every replication.
    @Test func commonRandomNumbersAcrossCaps() throws {
        let low = try SimulationRunner.run(try CompiledScenario(try load(["teams.a.cap=15", "teams.b.cap=15"]).scenario), replications: 6, jobs: 2)
        let high = try SimulationRunner.run(try CompiledScenario(try load(["teams.a.cap=40", "teams.b.cap=40"]).scenario), replications: 6, jobs: 2)
        let i = low.layout.totalsMetrics.firstIndex(of: "notifications")!
        let o = low.layout.totalsMetrics.firstIndex(of: "overCapShare")!
        #expect(low.replicationTotals.map { $0[i] } == high.replicationTotals.map { $0[i] })
        #expect(low.replicationTotals.map { $0[o] } != high.replicationTotals.map { $0[o] })
    }

    @Test func theGeneratorListOfTheMessagesIsTheOneGSLAccepts() {
        #expect(ScenarioLoader.supportedGenerators == GSL.supportedGenerators)
    }

    @Test func everyMetricOfTheContractIsInTheOutputs() throws {
        let d = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: d) }
        let result = try RunJob.run(try load(), output: d, jobs: 2)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: d.appendingPathComponent("summary.json"))) as! [String: Any]
        let totals = json["totals"] as! [String: Any]
        var expected = ["notifications", "renotifications", "renotificationEscalations", "screenedOut", "outreachCourses",
                        "outreachResolved", "casesOpened", "assessmentsCompleted", "deadlineBreaches", "assignments",
                        "waitDaysMean", "waitedShare", "waitingMean", "unassignedMean", "openCasesEnd", "placementsStarted",
                        "placementChanges", "casesClosed", "agedOut", "placedChildYears", "placedEnd", "caseloadMean",
                        "overCapShare", "caseworkersMean", "leavers", "hires", "vacancyYears", "cost.total", "cost.staff",
                        "cost.interventions", "cost.assessments", "cost.recruitment", "cost.outreach", "cost.oneOff",
                        "transfers", "caseloadFamiliesMean"]
        for id in ["prevention", "homeBased", "foster", "residential"] {
            expected += ["step.\(id).entries", "step.\(id).childYears", "step.\(id).end", "cost.step.\(id)"]
        }
        for id in ["a", "p", "b"] {
            expected += ["caseloadMean", "overCapShare", "waitingMean", "caseworkersMean", "casesOpened"].map { "team.\(id).\($0)" }
        }
        expected += ["due", "missed", "missedShare"].map { "followUp.tilsyn.\($0)" }
        for m in expected + ["cost.npv"] {
            let stat = totals[m] as? [String: Any]
            #expect(stat != nil, "totals.\(m) missing")
            for k in ["mean", "sd", "ci95", "p5", "p50", "p95"] { #expect(stat?[k] != nil, "totals.\(m).\(k) missing") }
        }
        let yearly = json["yearly"] as! [[String: Any]]
        #expect(yearly.map { $0["year"] as? Int } == [2026, 2027, 2028])
        for y in yearly {
            let metrics = y["metrics"] as! [String: Any]
            for m in expected { #expect(metrics[m] != nil, "yearly \(y["year"]!).\(m) missing") }
        }
        #expect(result.run.eventsProcessed > 0)
        #expect(json["eventsProcessed"] as? Int == result.run.eventsProcessed)
        // caseloadFamiliesMean is caseloadMean in the scenario's unit (families of 1.25 children).
        let children = (totals["caseloadMean"] as! [String: Any])["mean"] as! Double
        let families = (totals["caseloadFamiliesMean"] as! [String: Any])["mean"] as! Double
        #expect(abs(families * 1.25 - children) <= 1e-9 * children, "\(families) families vs \(children) children")
        let tool = json["tool"] as! [String: Any]
        #expect(tool["entityGenerator"] as? String == "taus2")
        #expect((tool["seedHash"] as? String)?.contains("SplitMix64") == true)
        // Every mechanism did something in this scenario.
        for m in ["renotifications", "renotificationEscalations", "outreachCourses", "outreachResolved", "placementsStarted",
                  "placementChanges", "leavers", "hires", "deadlineBreaches", "cost.oneOff", "agedOut", "transfers",
                  "followUp.tilsyn.due", "followUp.tilsyn.missed", "team.b.casesOpened", "team.b.waitingMean"] {
            let mean = (totals[m] as! [String: Any])["mean"] as! Double
            #expect(mean > 0, "\(m) never happened")
        }
    }
}
