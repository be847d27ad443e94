import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `sagstal optimise` end to end: a small run on a seed scenario, and the command-line errors.
@Suite struct OptimiseCLITests {
    /// The repository's Scenarios/ folder.
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios")

    /// Brønderslev's rest-of-family-department team over 4–8 caseworkers × caps 30, 40, two years.
    static func smallRun(jobs: Int, output: String, in dir: URL) throws -> CLITests.Output {
        try CLITests.sagstal(["optimise", scenarios.appendingPathComponent("broenderslev-before.yaml").path,
                              "--team", "rest", "--caseworkers", "4..8:2", "--cap", "30,40", "--years", "2",
                              "--constraint", "overCapShare<=0.3", "--constraint", "followUp.tilsyn.missedShare<=0.15",
                              "--max-replications", "40", "-j", String(jobs), "-o", output], in: dir)
    }

    @Test func aSmallRunChoosesAFeasibleConfigurationWritesItsFilesAndIsTheSameForAnyJobs() throws {
        let dir = try CLITests.workspace([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        let one = try Self.smallRun(jobs: 1, output: "Outputs/j1", in: dir)
        #expect(one.status == 0, "stderr: \(one.stderr)")
        let two = try Self.smallRun(jobs: 2, output: "Outputs/j2", in: dir)
        #expect(two.status == 0, "stderr: \(two.stderr)")
        for f in ["optimise.json", "optimise.csv", "report.html", "scenario.resolved.yaml"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Outputs/j1/\(f)").path), "missing \(f)")
        }
        // -j 1 and -j 2 write the same bytes (no timing in the files).
        for f in ["optimise.json", "optimise.csv", "report.html", "scenario.resolved.yaml"] {
            let a = try Data(contentsOf: dir.appendingPathComponent("Outputs/j1/\(f)"))
            let b = try Data(contentsOf: dir.appendingPathComponent("Outputs/j2/\(f)"))
            #expect(a == b, "\(f) differs between -j 1 and -j 2")
        }
        // optimise.json parses; the chosen configuration was declared feasible and meets the
        // constraints in its estimates.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("Outputs/j1/optimise.json"))) as? [String: Any])
        let outcome = try #require(json["outcome"] as? [String: Any])
        #expect(outcome["kind"] as? String == "selected")
        let chosen = try #require(json["chosen"] as? [String: Any])
        let index = try #require(chosen["index"] as? Int)
        let configurations = try #require(json["configurations"] as? [[String: Any]])
        #expect(configurations.count == 6)
        let c = configurations[index]
        #expect(c["status"] as? String == "chosen")
        #expect(c["feasible"] as? Bool == true)
        let constraints = try #require(c["constraints"] as? [[String: Any]])
        #expect(constraints.count == 2)
        for (k, limit) in [0.3, 0.15].enumerated() {
            #expect(constraints[k]["decision"] as? String == "satisfied")
            #expect((constraints[k]["mean"] as? Double ?? 1) <= limit)
        }
        let replications = try #require(json["replications"] as? [String: Any])
        let used = try #require(replications["used"] as? Int)
        #expect(used == configurations.reduce(0) { $0 + ($1["replications"] as? Int ?? 0) })
        #expect(used < 6 * 40)
        // optimise.csv: a header and one row per configuration.
        let csv = try String(contentsOf: dir.appendingPathComponent("Outputs/j1/optimise.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 7)
        #expect(csv.hasPrefix("configuration,caseworkers,cap,status,"))
        // report.html is well-formed XML with the heat map and one cell per configuration.
        let html = try String(contentsOf: dir.appendingPathComponent("Outputs/j1/report.html"), encoding: .utf8)
        let doc = try XMLDocument(xmlString: html.replacingOccurrences(of: "<!DOCTYPE html>", with: ""))
        let cells = try #require(doc.rootElement()).nodes(forXPath: ".//g[@class='cell']")
        #expect(cells.count == 6)
        #expect(html.contains("chart-heatmap"))
        // The console summary.
        #expect(one.stdout.contains("Chosen: "))
        #expect(one.stdout.contains("P(correct selection) ≥ 95 %"))
        #expect(one.stdout.contains("replications instead of 240 for the full grid at 40 each"))
        #expect(one.stderr.isEmpty || !one.stderr.contains("error"), "stderr: \(one.stderr)")
    }

    /// CLITests.good with its team called `east`.
    static let team = CLITests.good.replacingOccurrences(of: "{id: team,", with: "{id: east,")

    @Test(arguments: [
        (["--caseworkers", "2..6", "--constraint", "overCapShare<0.1"], "expected METRIC<=VALUE or METRIC>=VALUE"),
        (["--caseworkers", "2..6", "--constraint", "overCapShare<=0,1"], "is not a number"),
        (["--caseworkers", "6..2"], "the grid is empty"),
        (["--caseworkers", "2..6:0"], "the step must be > 0"),
        (["--caseworkers", "2..6", "--cap", "30..20"], "the grid is empty"),
        (["--caseworkers", "2..6", "--alpha", "0.9"], "--alpha"),
        (["--caseworkers", "2..6", "--n0", "50", "--max-replications", "20"], "below --n0"),
        (["--caseworkers", "2..6"], "the default of --max-replications, is below --n0 10"),
    ])
    func badOptionsExit64AndWriteNothing(_ extra: [String], _ message: String) throws {
        let dir = try CLITests.workspace(["Scenarios/t.yaml": Self.team])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLITests.sagstal(["optimise", "Scenarios/t.yaml", "--team", "east"] + extra, in: dir)
        #expect(r.status == 64, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Outputs").path))
    }

    @Test(arguments: [
        (["--team", "eats", "--caseworkers", "2..4"], "did you mean 'east'?"),
        (["--team", "east", "--caseworkers", "2..4", "--objective", "cost.totl"], "did you mean 'cost.total'?"),
        (["--team", "east", "--caseworkers", "2..4", "--constraint", "overcapshare<=0.1"], "did you mean 'overCapShare'?"),
        (["--team", "east", "--caseworkers", "2..4", "--constraint", "missedShare<=0.1"], "no such metric"),
        (["--team", "east", "--caseworkers", "2..4", "--objective", "placementsStarted"], "--delta: give the indifference zone"),
    ])
    func unknownTeamsAndMetricsExit64WithASuggestionAndWriteNothing(_ args: [String], _ message: String) throws {
        let dir = try CLITests.workspace(["Scenarios/t.yaml": Self.team])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLITests.sagstal(["optimise", "Scenarios/t.yaml"] + args, in: dir)
        #expect(r.status == 64, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Outputs").path))
    }

    @Test func aGridPointThatDoesNotValidateExits65AndWritesNothing() throws {
        let dir = try CLITests.workspace(["Scenarios/t.yaml": Self.team])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLITests.sagstal(["optimise", "Scenarios/t.yaml", "--team", "east", "--caseworkers", "2..4", "--cap", "0,25", "--max-replications", "20"], in: dir)
        #expect(r.status == 65, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("teams"), "stderr: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Outputs").path))
    }
}
