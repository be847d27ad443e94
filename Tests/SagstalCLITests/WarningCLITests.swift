import Foundation
import Testing

/// Plausibility warnings from the command line (docs/plausibility.md): printed on stderr in the
/// compiler format, recorded in the outputs; `--strict` makes them errors (exit 65, nothing written).
@Suite struct WarningCLITests {
    /// CLITests.good with team shares that sum to 0.9 (line 8 of the file).
    static let shares = CLITests.good.replacingOccurrences(of: "teams: [{id: team, caseworkers: 4, cap: 25}]", with: """
    teams: [{id: a, caseworkers: 2, cap: 25, share: 0.5}, {id: b, caseworkers: 2, cap: 25, share: 0.4}]
    """)

    @Test func runPrintsTheWarningAndRecordsIt() throws {
        let dir = try CLITests.workspace(["Scenarios/w.yaml": Self.shares])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLITests.sagstal(["run", "Scenarios/w.yaml"], in: dir)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(r.stderr)")
        #expect(lines.first?.hasPrefix("Scenarios/w.yaml:8:49: warning: teams.a.share: the shares of the teams covering ages 0–18 sum to") == true,
                "\(r.stderr)")
        #expect(lines.first?.hasSuffix("(make the shares of these teams sum to 1 so that the file says what the model does; see docs/plausibility.md)") == true)
        #expect(lines.last == "1 warning")
        let summary = try String(contentsOf: dir.appendingPathComponent("Outputs/w/summary.json"), encoding: .utf8)
        #expect(summary.contains("\"warnings\"") && summary.contains("\"keyPath\": \"teams.a.share\""))
        let report = try String(contentsOf: dir.appendingPathComponent("Outputs/w/report.html"), encoding: .utf8)
        #expect(report.contains("Warnings (1)") && report.contains("0.5 (a) + 0.4 (b) = 0.9"))
        // --quiet prints nothing but errors.
        let q = try CLITests.sagstal(["run", "Scenarios/w.yaml", "-q", "-o", "Outputs/q"], in: dir)
        #expect(q.status == 0 && q.stderr.isEmpty, "\(q.stderr)")
    }

    @Test(arguments: [["run", "Scenarios/w.yaml"], ["validate", "Scenarios/w.yaml"],
                      ["compare", "Scenarios/good.yaml", "Scenarios/w.yaml"],
                      ["sweep", "Scenarios/w.yaml", "--vary", "teams.a.cap=20,25"]])
    func strictRefusesWithExit65AndWritesNothing(_ args: [String]) throws {
        let dir = try CLITests.workspace(["Scenarios/w.yaml": Self.shares, "Scenarios/good.yaml": CLITests.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLITests.sagstal(args + ["--strict"], in: dir)
        #expect(r.status == 65, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("Scenarios/w.yaml:8:49: error: teams.a.share: "), "\(r.stderr)")
        #expect(r.stderr.contains("1 error (--strict: plausibility warnings are errors)"))
        #expect(!r.stderr.contains("warning:"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Outputs").path), "nothing written")
        #expect(args[0] != "validate" || r.stdout.isEmpty)
    }

    @Test func validateWithoutStrictPrintsTheScenarioAndTheWarning() throws {
        let dir = try CLITests.workspace(["Scenarios/w.yaml": Self.shares])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLITests.sagstal(["validate", "Scenarios/w.yaml"], in: dir)
        #expect(r.status == 0)
        #expect(r.stdout.contains("share: 0.4"))
        #expect(r.stderr.contains(": warning: teams.a.share: "))
    }

    /// Without a caseload effect more caseworkers only cost more: the optimum is at the grid's
    /// smallest value, which the sweep warns about after it ran; --strict then writes nothing.
    @Test func sweepWarnsAboutAnOptimumAtTheEdge() throws {
        let dir = try CLITests.workspace(["Scenarios/good.yaml": CLITests.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let args = ["sweep", "Scenarios/good.yaml", "--vary", "teams.team.caseworkers=4,5,6"]
        let r = try CLITests.sagstal(args, in: dir)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("<--vary>:1:24: warning: teams.team.caseworkers: the lowest mean cost.total of the sweep"), "\(r.stderr)")
        let report = try String(contentsOf: dir.appendingPathComponent("Outputs/sweep-good/report.html"), encoding: .utf8)
        #expect(report.contains("Warnings (1)") && report.contains("the optimum may lie beyond the grid"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("Outputs"))
        let s = try CLITests.sagstal(args + ["--strict"], in: dir)
        #expect(s.status == 65, "stderr: \(s.stderr)")
        #expect(s.stderr.contains("<--vary>:1:24: error: teams.team.caseworkers: "))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Outputs").path), "nothing written")
    }

    /// The same with a range: `4..6` gives 4, 5, 6 and the warning points at lo.
    @Test func sweepWarnsAboutAnOptimumAtTheEdgeOfARange() throws {
        let dir = try CLITests.workspace(["Scenarios/good.yaml": CLITests.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLITests.sagstal(["sweep", "Scenarios/good.yaml", "--vary", "teams.team.caseworkers=4..6"], in: dir)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("good: sweep of 3 points"), "\(r.stdout)")
        #expect(r.stderr.contains("<--vary>:1:24: warning: teams.team.caseworkers: the lowest mean cost.total of the sweep"), "\(r.stderr)")
        #expect(r.stderr.contains("is at the smallest value of the grid, teams.team.caseworkers = 4"))
        let csv = try String(contentsOf: dir.appendingPathComponent("Outputs/sweep-good/sweep.csv"), encoding: .utf8)
        #expect(Set(csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[2] }) == ["4", "5", "6"])
    }

    /// A sweep over an assumption alone is labelled and marks no point; over a choice and an
    /// assumption, it marks the cheapest choice per assumed value and warns about the choice only.
    @Test func sweepOverAssumptions() throws {
        let dir = try CLITests.workspace(["Scenarios/good.yaml": CLITests.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let only = try CLITests.sagstal(["sweep", "Scenarios/good.yaml", "--vary", "caseload.elasticity.escalate=0..1:0.5"], in: dir)
        #expect(only.status == 0, "stderr: \(only.stderr)")
        #expect(only.stdout.contains("caseload.elasticity.escalate (assumption)"))
        #expect(only.stdout.contains("caseload.elasticity.escalate — assumption: no measured value, FACTS §5–6 — the lowest cost here says what the assumption implies, not what to choose"))
        #expect(!only.stdout.contains("◀"))
        #expect(!only.stderr.contains("warning"), "\(only.stderr)")
        let report = try String(contentsOf: dir.appendingPathComponent("Outputs/sweep-good/report.html"), encoding: .utf8)
        #expect(report.contains("No point is marked as the lowest cost") && !report.contains("class=\"highlight\""))

        let mixed = try CLITests.sagstal(["sweep", "Scenarios/good.yaml", "--vary", "teams.team.caseworkers=4..6",
                                          "--vary", "caseload.elasticity.escalate=0..1:1", "-n", "2", "-o", "Outputs/mixed"], in: dir)
        #expect(mixed.status == 0, "stderr: \(mixed.stderr)")
        #expect(mixed.stdout.components(separatedBy: "◀ lowest total cost at this assumed value").count == 3, "\(mixed.stdout)")
        #expect(mixed.stderr.contains("<--vary>:1:24: warning: teams.team.caseworkers: with caseload.elasticity.escalate assumed at"), "\(mixed.stderr)")
        #expect(!mixed.stderr.contains("warning: caseload.elasticity.escalate"))
    }

    @Test func badRangeIsAUsageError() throws {
        let dir = try CLITests.workspace(["Scenarios/good.yaml": CLITests.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLITests.sagstal(["sweep", "Scenarios/good.yaml", "--vary", "teams.team.cap=40..15"], in: dir)
        #expect(r.status == 64)
        #expect(r.stderr.contains("--vary 'teams.team.cap=40..15': lo must be at most hi, found 40 > 15"), "\(r.stderr)")
    }
}
