import Foundation
import Testing

/// End-to-end tests: run the built `sagstal` executable as a user would.
@Suite struct CLITests {
    /// The `sagstal` binary next to the test bundle (both are built by `swift build --build-tests`).
    static var binary: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("sagstal")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sagstal")
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the binary in `dir`; `environment` (when given) is set on top of this process's,
    /// without `COLUMNS`, so the output is the full-width output of a pipe unless a test sets it.
    static func sagstal(_ args: [String], in dir: URL, environment: [String: String]? = nil) throws -> Output {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.currentDirectoryURL = dir
        if let environment {
            var env = ProcessInfo.processInfo.environment
            env.removeValue(forKey: "COLUMNS")
            env.merge(environment) { _, new in new }
            p.environment = env
        }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    static func workspace(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sagstal-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("Scenarios"), withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    static let good = """
    simulation: {years: 2, replications: 3, seed: 5}
    notifications: {perYear: 300}
    screening: {opensCase: 0.5}
    assessment: {duration: {dist: gamma, mean: 60, sd: 20}, outcome: {close: 0.5, help: 0.4, foster: 0.1}}
    ladder:
      - {id: help, costPerYear: 100000, duration: 200, next: {up: 0.1, exit: 0.7}}
      - {id: foster, placement: true, costPerYear: 470000, duration: {dist: exponential, mean: 500}, next: {down: 0.3, exit: 0.3}}
    teams: [{id: team, caseworkers: 4, cap: 25}]
    staff: {costPerYear: 500000}
    """

    static let bad = """
    simulation: {years: 2, replications: 3, seed: 5}
    notifications: {perYear: 300, concernsOpenCase: 1.5}
    ladder:
      - {id: help, duration: 200, next: {up: 0.1, exit: 0.7}}
    teams: [{id: team, casworkers: 4, cap: 25}]
    """

    @Test func runWritesEveryOutputAndPrintsTheKeyTotals() throws {
        let dir = try Self.workspace(["Scenarios/good.yaml": Self.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.sagstal(["run", "Scenarios/good.yaml", "--jobs", "2"], in: dir)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        for f in ["scenario.resolved.yaml", "summary.json", "yearly.csv", "monthly.csv", "replications.csv", "run.json"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Outputs/good/\(f)").path), "missing \(f)")
        }
        #expect(r.stdout.contains("Placements started"))
        #expect(r.stdout.contains("95 % CI"))
        #expect(r.stderr.isEmpty, "no progress bar when stderr is not a terminal: \(r.stderr)")
    }

    @Test func episodesFlagsWriteEpisodesCSVAndABadRangeIsAUsageError() throws {
        let dir = try Self.workspace(["Scenarios/good.yaml": Self.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.sagstal(["run", "Scenarios/good.yaml", "--episodes-replications", "1..2", "--episodes-days", "--quiet"], in: dir)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let text = try String(contentsOf: dir.appendingPathComponent("Outputs/good/episodes.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.first == "replication,child,team,phase,step,start,end,endReason,ageAtStart,placement")
        #expect(lines.count > 100)
        #expect(Set(lines.dropFirst().map { $0.prefix(while: { $0 != "," }) }) == ["1", "2"])
        // Without the flags there is no episodes.csv.
        let plain = try Self.sagstal(["run", "Scenarios/good.yaml", "-o", "plain", "--quiet"], in: dir)
        #expect(plain.status == 0)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("plain/episodes.csv").path))
        for bad in ["3..1", "x", "-1..2"] {
            let b = try Self.sagstal(["run", "Scenarios/good.yaml", "--episodes-replications", bad, "-o", "bad"], in: dir)
            #expect(b.status == 64, "\(bad): exit \(b.status)")
            #expect(b.stderr.contains("--episodes-replications"), "\(b.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad").path), "nothing written for \(bad)")
        }
    }

    /// Issue 9, row 9: `ran1` passed validation and crashed inside GSL.
    @Test func anUnsupportedGeneratorIsRefusedWithTheList() throws {
        let dir = try Self.workspace(["Scenarios/good.yaml": Self.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        for g in ["ran1", "ran2", "minstd"] {
            let r = try Self.sagstal(["run", "Scenarios/good.yaml", "--set", "simulation.generator=\(g)"], in: dir)
            #expect(r.status == 65, "\(g): exit \(r.status), stderr \(r.stderr)")
            #expect(r.stderr.contains("unsupported random number generator '\(g)'") && r.stderr.contains("taus2"), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Outputs").path))
        }
    }

    @Test func optionsOverrideTheScenario() throws {
        let dir = try Self.workspace(["Scenarios/good.yaml": Self.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.sagstal(["run", "Scenarios/good.yaml", "-n", "4", "--seed", "77", "--years", "1",
                                  "--set", "teams.team.cap=30", "--output", "out", "--quiet"], in: dir)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.isEmpty)
        let yaml = try String(contentsOf: dir.appendingPathComponent("out/scenario.resolved.yaml"), encoding: .utf8)
        #expect(yaml.contains("replications: 4"))
        #expect(yaml.contains("seed: 77"))
        #expect(yaml.contains("cap: 30"))
        let csv = try String(contentsOf: dir.appendingPathComponent("out/replications.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 5)
    }

    @Test func badScenarioIsRefusedWithLocatedErrorsAndWritesNothing() throws {
        let dir = try Self.workspace(["Scenarios/bad.yaml": Self.bad])
        defer { try? FileManager.default.removeItem(at: dir) }
        for args in [["run", "Scenarios/bad.yaml"], ["validate", "Scenarios/bad.yaml"]] {
            let r = try Self.sagstal(args, in: dir)
            #expect(r.status == 65, "\(args): exit \(r.status)")
            #expect(r.stderr.contains("Scenarios/bad.yaml:2:"), "\(r.stderr)")
            #expect(r.stderr.contains("notifications.concernsOpenCase"), "\(r.stderr)")
            #expect(r.stderr.contains("did you mean 'caseworkers'"), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Outputs").path), "\(args) wrote Outputs/")
        }
    }

    @Test func badOverrideIsRefused() throws {
        let dir = try Self.workspace(["Scenarios/good.yaml": Self.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.sagstal(["run", "Scenarios/good.yaml", "--set", "teams.tem.cap=30"], in: dir)
        #expect(r.status == 65)
        #expect(r.stderr.contains("<--set>"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Outputs").path))
    }

    @Test func validatePrintsTheResolvedScenario() throws {
        let dir = try Self.workspace(["Scenarios/good.yaml": Self.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.sagstal(["validate", "Scenarios/good.yaml", "--set", "staff.costPerYear=520000"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("costPerYear: 520000"))
        #expect(r.stdout.contains("deadlineDays: 121.75"), "defaults are printed")
    }

    @Test func usageErrorsExitWith64() throws {
        let dir = try Self.workspace(["Scenarios/good.yaml": Self.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.sagstal(["run", "Scenarios/good.yaml", "--jobs", "0"], in: dir)
        #expect(r.status == 64)
        #expect(r.stderr.contains("--jobs"))
        let missing = try Self.sagstal(["run", "Scenarios/nope.yaml"], in: dir)
        #expect(missing.status == 66, "a missing scenario file is EX_NOINPUT")
        #expect(missing.stderr.contains("nope.yaml"))
    }
}

/// Reports, languages and the Danish Excel CSV dialect through the command line.
@Suite struct CLIReportTests {
    @Test func runWritesADanishReportAndExcelCSV() throws {
        let dir = try CLITests.workspace(["Scenarios/good.yaml": CLITests.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLITests.sagstal(["run", "Scenarios/good.yaml", "--lang", "da", "--csv-dialect", "excel-da"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Nye anbringelser"), "\(r.stdout)")
        let html = try String(contentsOf: dir.appendingPathComponent("Outputs/good/report.html"), encoding: .utf8)
        #expect(html.contains("<svg"))
        #expect(html.contains("lang=\"da\""))
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
        let csv = try Data(contentsOf: dir.appendingPathComponent("Outputs/good/yearly.csv"))
        #expect(Array(csv.prefix(3)) == [0xEF, 0xBB, 0xBF], "UTF-8 byte-order mark for Excel")
        #expect(String(decoding: csv.dropFirst(3), as: UTF8.self).hasPrefix("year;metric;mean;sd;ci95_lo;ci95_hi;p5;p50;p95\n"))
    }

    @Test func compareAndSweepWriteTheirReports() throws {
        let alt = CLITests.good.replacingOccurrences(of: "caseworkers: 4", with: "caseworkers: 6")
        let dir = try CLITests.workspace(["Scenarios/good.yaml": CLITests.good, "Scenarios/alt.yaml": alt])
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try CLITests.sagstal(["compare", "Scenarios/good.yaml", "Scenarios/alt.yaml"], in: dir)
        #expect(c.status == 0, "\(c.stderr)")
        #expect(c.stdout.contains("Placements avoided"))
        #expect(c.stdout.contains("Break-even budget year (median)"))
        for f in ["comparison.json", "comparison.csv", "report.html", "good/summary.json", "alt/report.html"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Outputs/compare-good-vs-alt/\(f)").path), "missing \(f)")
        }
        let s = try CLITests.sagstal(["sweep", "Scenarios/good.yaml", "--vary", "teams.team.caseworkers=3,5"], in: dir)
        #expect(s.status == 0, "\(s.stderr)")
        #expect(s.stdout.contains("◀ lowest total cost"))
        for f in ["sweep.csv", "report.html", "point-000/summary.json", "point-001/summary.json"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Outputs/sweep-good/\(f)").path), "missing \(f)")
        }
        let one = try CLITests.sagstal(["compare", "Scenarios/good.yaml"], in: dir)
        #expect(one.status == 64, "compare needs two scenarios")
    }
}

/// Issue 13, "Mean stay": a step's `duration` is one sojourn (the time to the next decision);
/// the report also shows how long children stay on a step per entry and in care per placement,
/// from the run, and those equal child-days over entries (Little's law) from summary.json.
@Suite struct PlacementLengthReportTests {
    @Test func theRunReportShowsTimeOnTheStepAndThePlacementLengthFromTheRun() throws {
        let dir = try CLITests.workspace(["s.yaml": CLITests.good])
        let r = try CLITests.sagstal(["run", "s.yaml", "-o", "out", "-q"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOf: dir.appendingPathComponent("out/report.html"), encoding: .utf8)
        #expect(html.contains("Mean sojourn to the next decision (days)") && html.contains("Mean time on the step per entry (days, from the run)"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out/summary.json"))) as! [String: Any]
        let totals = json["totals"] as! [String: [String: Any]]
        func mean(_ m: String) -> Double { (totals[m]!["mean"] as! NSNumber).doubleValue }
        let length = mean("placedChildYears") * 365.25 / mean("placementsStarted")
        #expect(html.contains("A placement lasts \(Int(length.rounded())) days on average") || html.contains(String(format: "A placement lasts %.1f days", length)),
                "expected \(length); \(html.range(of: "A placement lasts").map { String(html[$0.lowerBound...].prefix(60)) } ?? "none")")
    }
}

/// Issue 13, families vs children: with caps counted in families, the report's caseload card,
/// summary sentence and chart are in families, with the children beside them.
@Suite struct FamiliesReportTests {
    @Test func caseloadIsShownInFamiliesWithChildrenBeside() throws {
        let families = CLITests.good + "\ncaseload: {casesCountedAs: families, childrenPerFamily: 1.3}\n"
        let dir = try CLITests.workspace(["f.yaml": families, "c.yaml": CLITests.good])
        for (file, expectFamilies) in [("f.yaml", true), ("c.yaml", false)] {
            let r = try CLITests.sagstal(["run", file, "-o", "out-\(file)", "-q"], in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            let html = try String(contentsOf: dir.appendingPathComponent("out-\(file)/report.html"), encoding: .utf8)
            #expect(html.contains("<div class=\"label\">Mean caseload (families)</div>") == expectFamilies, "\(file)")
            #expect(html.contains(" families (") == expectFamilies && html.contains("Cases per caseworker") == expectFamilies, "\(file)")
            #expect(html.contains("children</div>") == expectFamilies, "\(file): the children beside the families")
        }
    }
}
