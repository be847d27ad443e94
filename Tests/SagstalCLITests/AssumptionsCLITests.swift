import Foundation
import Testing

/// Issue 10 part 5: the Key assumptions on the console, `sources` in summary.json, default
/// folders of runs with overrides, and the refusal to replace a folder holding another run.
@Suite struct AssumptionsCLITests {
    typealias CLI = CLITests

    static let scenario = """
    name: Good municipality
    simulation: {years: 2, replications: 3, seed: 5}
    notifications: {perYear: 300}
    screening: {opensCase: 0.5}
    assessment: {duration: {dist: gamma, mean: 60, sd: 20}, outcome: {close: 0.5, help: 0.4, foster: 0.1}}
    ladder:
      - {id: help, costPerYear: 100000, duration: 200, next: {up: 0.1, exit: 0.7}}
      - {id: foster, placement: true, costPerYear: 470000, duration: {dist: exponential, mean: 500}, next: {down: 0.3, exit: 0.3}}
    caseload:
      # assumption: the hypothesis under test; FACTS §5 has only before/after evidence
      elasticity: {escalate: 0.8, deescalate: 0.5}
    teams: [{id: team, caseworkers: 4, cap: 25, method: {escalate: 0.9}}]   # assumption: Signs of Safety (FACTS §0)
    staff: {costPerYear: 500000}   # FACTS §4: 8 mio. kr. / 16 caseworkers

    """

    static func files(_ dir: URL) -> [String: Data] { OutputsAndExitCodesTests.snapshot(dir) }

    @Test func theConsoleAndSummaryShowTheKeyAssumptionsWithTheirSources() throws {
        let dir = try CLI.workspace(["Scenarios/good.yaml": Self.scenario])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.sagstal(["run", "Scenarios/good.yaml", "-o", "out"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Good municipality: 3 replications"))
        #expect(r.stdout.contains("Key assumptions"))
        #expect(r.stdout.contains("caseload effect: escalate 0.8, deescalate 0.5, close 0, duration 0 at reference 30 children — assumption (FACTS §5)"))
        #expect(r.stdout.contains("method, team: escalate × 0.9 — assumption (FACTS §0)"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out/summary.json"))) as! [String: Any]
        let sources = json["sources"] as! [[String: Any]]
        let byPath = Dictionary(uniqueKeysWithValues: sources.map { ($0["path"] as! String, $0) })
        let e = try #require(byPath["caseload.elasticity.escalate"])
        #expect(e["kind"] as? String == "assumption" && e["value"] as? Double == 0.8 && e["line"] as? Int == 11)
        #expect(e["file"] as? String == "Scenarios/good.yaml" && e["sections"] as? [String] == ["§5"])
        #expect(byPath["staff.costPerYear"]?["kind"] as? String == "facts")
        #expect(byPath["caseload.elasticity.close"]?["kind"] as? String == "default")
        #expect(byPath["caseload.elasticity.close"]?["file"] is NSNull)
        let report = try String(contentsOf: dir.appendingPathComponent("out/report.html"), encoding: .utf8)
        #expect(report.contains("Key assumptions") && report.contains("Signs of Safety"))
        // -q: nothing on stdout.
        let q = try CLI.sagstal(["run", "Scenarios/good.yaml", "-o", "out", "-q"], in: dir)
        #expect(q.status == 0 && q.stdout.isEmpty)
        let da = try CLI.sagstal(["run", "Scenarios/good.yaml", "-o", "out", "--lang", "da"], in: dir)
        #expect(da.stdout.contains("Centrale antagelser") && da.stdout.contains("optrapning 0,8"))
    }

    @Test func aRunWithOverridesGetsAFolderOfItsOwn() throws {
        let dir = try CLI.workspace(["Scenarios/good.yaml": Self.scenario])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CLI.sagstal(["run", "Scenarios/good.yaml", "-q"], in: dir).status == 0)
        let set = try CLI.sagstal(["run", "Scenarios/good.yaml", "-q", "--set", "caseload.elasticity.escalate=0"], in: dir)
        #expect(set.status == 0, "\(set.stderr)")
        let seed = try CLI.sagstal(["run", "Scenarios/good.yaml", "-q", "--seed", "7"], in: dir)
        #expect(seed.status == 0)
        let outputs = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("Outputs").path).sorted()
        // The hash of the overrides (FNV-1a, docs/outputs-and-exit-codes.md) is stable.
        #expect(outputs == ["good", "good-\(Self.fnv(["caseload.elasticity.escalate=0"]))", "good-\(Self.fnv(["simulation.seed=7"]))"])
        #expect(Self.fnv(["simulation.seed=7"]).count == 8)
        // The same command again replaces its own folder.
        #expect(try CLI.sagstal(["run", "Scenarios/good.yaml", "-q", "--seed", "7"], in: dir).status == 0)
        // compare and sweep too.
        let c = try CLI.sagstal(["compare", "Scenarios/good.yaml", "Scenarios/good.yaml", "-q", "-n", "2"], in: dir)
        #expect(c.status == 0, "\(c.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(
            "Outputs/compare-good-vs-good-2-\(Self.fnv(["simulation.replications=2"]))/comparison.json").path))
        let s = try CLI.sagstal(["sweep", "Scenarios/good.yaml", "--vary", "teams.team.cap=20,25", "-q", "--set", "teams.team.caseworkers=5"], in: dir)
        #expect(s.status == 0, "\(s.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(
            "Outputs/sweep-good-\(Self.fnv(["teams.team.caseworkers=5"]))/sweep.csv").path))
    }

    @Test func aFolderHoldingAnotherRunIsRefusedUnlessForced() throws {
        let dir = try CLI.workspace(["Scenarios/good.yaml": Self.scenario])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CLI.sagstal(["run", "Scenarios/good.yaml", "-o", "out", "-q"], in: dir).status == 0)
        // The same run twice: fine.
        #expect(try CLI.sagstal(["run", "Scenarios/good.yaml", "-o", "out", "-q"], in: dir).status == 0)
        let before = Self.files(dir)
        // Other overrides into the same folder: refused, exit 73, nothing written or changed.
        let r = try CLI.sagstal(["run", "Scenarios/good.yaml", "-o", "out", "--set", "caseload.elasticity.escalate=0"], in: dir)
        #expect(r.status == 73)
        #expect(r.stderr.contains("out: the folder holds the outputs of a different run"))
        #expect(r.stderr.contains("--set caseload.elasticity.escalate=0") && r.stderr.contains("--force"))
        #expect(r.stdout.isEmpty)
        #expect(Self.files(dir) == before, "nothing is written on refusal")
        // The same resolved scenario reached another way may replace it.
        let same = try CLI.sagstal(["run", "Scenarios/good.yaml", "-o", "out", "-q", "--set", "teams.0.cap=25"], in: dir)
        #expect(same.status == 0, "\(same.stderr)")
        // --force replaces it, with a note.
        let f = try CLI.sagstal(["run", "Scenarios/good.yaml", "-o", "out", "--set", "caseload.elasticity.escalate=0", "--force"], in: dir)
        #expect(f.status == 0, "\(f.stderr)")
        #expect(f.stderr.contains("replacing it (--force)"))
        let json = try String(contentsOf: dir.appendingPathComponent("out/run.json"), encoding: .utf8)
        #expect(json.contains("caseload.elasticity.escalate=0"))
        // A compare into a run's folder: refused.
        let c = try CLI.sagstal(["compare", "Scenarios/good.yaml", "Scenarios/good.yaml", "-o", "out", "-q"], in: dir)
        #expect(c.status == 73 && c.stderr.contains("different run"))
    }

    @Test func editingTheScenarioAndRunningAgainReplacesItsFolder() throws {
        let dir = try CLI.workspace(["Scenarios/good.yaml": Self.scenario])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CLI.sagstal(["run", "Scenarios/good.yaml", "-q"], in: dir).status == 0)
        try Self.scenario.replacingOccurrences(of: "caseworkers: 4", with: "caseworkers: 5")
            .write(to: dir.appendingPathComponent("Scenarios/good.yaml"), atomically: true, encoding: .utf8)
        let r = try CLI.sagstal(["run", "Scenarios/good.yaml", "-q"], in: dir)
        #expect(r.status == 0, "the same command again may replace its folder: \(r.stderr)")
        // Another file into that folder is refused.
        try Self.scenario.write(to: dir.appendingPathComponent("Scenarios/other.yaml"), atomically: true, encoding: .utf8)
        let o = try CLI.sagstal(["run", "Scenarios/other.yaml", "-o", "Outputs/good", "-q"], in: dir)
        #expect(o.status == 73 && o.stderr.contains("differs at line"), "\(o.stderr)")
    }

    @Test func compareTitlesUseTheScenariosNames() throws {
        let alt = Self.scenario.replacingOccurrences(of: "name: Good municipality", with: "name: Better municipality")
            .replacingOccurrences(of: "caseworkers: 4", with: "caseworkers: 6")
        let dir = try CLI.workspace(["Scenarios/good.yaml": Self.scenario, "Scenarios/better.yaml": alt])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.sagstal(["compare", "Scenarios/good.yaml", "Scenarios/better.yaml", "-o", "cmp"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Better municipality (better) vs Good municipality (good, baseline)"))
        let report = try String(contentsOf: dir.appendingPathComponent("cmp/report.html"), encoding: .utf8)
        #expect(report.contains("<h1>Better municipality compared with Good municipality</h1>"))
        #expect(report.contains("<title>Better municipality compared with Good municipality – sagstal</title>"))
        // The caseworkers differ, but no key assumption does: nothing is highlighted.
        #expect(!report.contains("background: #fff1c2"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("cmp/comparison.json"))) as! [String: Any]
        let scenarios = json["scenarios"] as! [[String: Any]]
        #expect(scenarios.count == 2 && (scenarios[1]["sources"] as? [Any])?.isEmpty == false)
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("cmp/run.json"))) as! [String: Any]
        #expect((run["request"] as? [String: Any])?["command"] as? String == "compare")
    }

    /// FNV-1a 64 of the overrides joined by newlines, first 8 hex digits (docs/outputs-and-exit-codes.md).
    static func fnv(_ overrides: [String]) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in overrides.joined(separator: "\n").utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        let hex = String(h, radix: 16)
        return String((String(repeating: "0", count: 16 - hex.count) + hex).prefix(8))
    }
}
