import Foundation
import Testing

/// `sagstal sensitivity` and `sagstal threshold` as a user runs them: the files they write, and
/// bad requests refused with a message, exit 64/65 and nothing written.
@Suite struct DecisionCLITests {
    static let alternative = CLITests.good.replacingOccurrences(of: "teams: [{id: team, caseworkers: 4, cap: 25}]",
                                                                with: "teams: [{id: team, caseworkers: 6, cap: 25, method: {escalate: 0.8}}]")
        + "\ncaseload: {reference: 25, elasticity: {escalate: 0.5, deescalate: 0.3, close: 0.1, duration: 0.1}}\n"
    static let baseline = CLITests.good + "\ncaseload: {reference: 25, elasticity: {escalate: 0.5, deescalate: 0.3, close: 0.1, duration: 0.1}}\n"

    @Test func sensitivityWritesItsFiles() throws {
        let dir = try CLITests.workspace(["a.yaml": Self.baseline, "b.yaml": Self.alternative])
        let r = try CLITests.sagstal(["sensitivity", "b.yaml", "--baseline", "a.yaml", "--vary", "caseload.elasticity*=0..2",
                                      "--vary", "staff.costPerYear=400000..600000", "-n", "4", "-o", "out"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        for f in ["sample.csv", "results.csv", "tornado.csv", "sensitivity.json", "report.html", "scenario.yaml", "baseline.yaml"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/\(f)").path), "\(f)")
        }
        #expect(r.stdout.contains("Net cost") && r.stdout.contains("caseload.elasticity×"))
        let sample = try String(contentsOf: dir.appendingPathComponent("out/sample.csv"), encoding: .utf8)
        #expect(sample.split(separator: "\n").count == 1 + 5)  // header + 1 + 2·2 evaluations
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out/sensitivity.json"))) as! [String: Any]
        #expect(json["method"] as? String == "oat")
        #expect((json["factors"] as? [[String: Any]])?.first?["assumption"] as? Bool == true)
    }

    @Test func thresholdWritesItsFilesAndTheSentence() throws {
        let dir = try CLITests.workspace(["a.yaml": Self.baseline, "b.yaml": Self.alternative])
        let r = try CLITests.sagstal(["threshold", "a.yaml", "b.yaml", "--scale", "caseload.elasticity", "--scale", "teams.*.method",
                                      "-n", "3", "-o", "thr"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("pays for itself") || r.stdout.contains("does not pay for itself"), "\(r.stdout)")
        for f in ["threshold.json", "threshold.csv", "report.html", "baseline.yaml", "alternative.yaml"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("thr/\(f)").path), "\(f)")
        }
    }

    @Test(arguments: [
        (["sensitivity", "b.yaml", "--vary", "teams.team.cap=30"], "expected a range LO..HI"),
        (["sensitivity", "b.yaml", "--vary", "teams.team.cap=30..20"], "LO must be below HI"),
        (["sensitivity", "b.yaml", "--vary", "ladder*=0..1"], "not an effect that can be scaled"),
        (["sensitivity", "b.yaml", "--vary", "teams.team.cap=20..30", "--method", "sobol"], "needs at least 2"),
        (["sensitivity", "b.yaml", "--vary", "teams.team.cap=20..30", "--output-metric", "nosuch"], "unknown metric 'nosuch'"),
        (["sensitivity", "b.yaml"], "needs at least one --vary"),
        (["threshold", "a.yaml", "b.yaml"], "needs at least one --scale"),
        (["threshold", "a.yaml", "b.yaml", "--scale", "caseload"], "not an effect that can be scaled"),
        (["threshold", "a.yaml", "b.yaml", "--scale", "teams.nosuch.method"], "has no such team"),
        (["threshold", "a.yaml", "b.yaml", "--scale", "caseload.elasticity", "--metric", "nosuch"], "unknown metric 'nosuch'"),
        (["threshold", "a.yaml"], "needs two scenario files"),
    ])
    func badRequestsAreRefusedAndNothingIsWritten(args: [String], message: String) throws {
        let dir = try CLITests.workspace(["a.yaml": Self.baseline, "b.yaml": Self.alternative])
        let r = try CLITests.sagstal(args + ["-o", "out", "-n", "2"], in: dir)
        #expect(r.status == 64, "\(args): status \(r.status), \(r.stderr)")
        #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    @Test func aBadValueInARangeIsALocatedScenarioError() throws {
        let dir = try CLITests.workspace(["b.yaml": Self.alternative])
        let r = try CLITests.sagstal(["sensitivity", "b.yaml", "--vary", "screening.opensCase=0.5..1.5", "-o", "out"], in: dir)
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("<--set>") && r.stderr.contains("screening.opensCase"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }
}

/// The rules of issue 10 part 5 for the new commands: key assumptions up front, a run with
/// overrides in its own folder, and a folder holding another run refused without --force.
@Suite struct DecisionOutputFolderTests {
    @Test func sensitivityAndThresholdShowTheKeyAssumptionsAndGuardTheirFolders() throws {
        let dir = try CLITests.workspace(["a.yaml": DecisionCLITests.baseline, "b.yaml": DecisionCLITests.alternative])
        let args = ["sensitivity", "b.yaml", "--baseline", "a.yaml", "--vary", "caseload.elasticity*=0..2", "-n", "2"]
        let first = try CLITests.sagstal(args + ["-o", "out"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let report = try String(contentsOf: dir.appendingPathComponent("out/report.html"), encoding: .utf8)
        #expect(report.contains("Key assumptions") && report.contains("caseload.elasticity"))
        #expect(first.stdout.contains("Key assumptions"))
        // The same request again may replace the folder; another one (an override) may not.
        #expect(try CLITests.sagstal(args + ["-o", "out"], in: dir).status == 0)
        let before = try Data(contentsOf: dir.appendingPathComponent("out/results.csv"))
        let other = try CLITests.sagstal(args + ["-o", "out", "--set", "staff.costPerYear=600000"], in: dir)
        #expect(other.status == 73, "\(other.stderr)")
        #expect(other.stderr.contains("--force"), "\(other.stderr)")
        #expect(try Data(contentsOf: dir.appendingPathComponent("out/results.csv")) == before)
        #expect(try CLITests.sagstal(args + ["-o", "out", "--set", "staff.costPerYear=600000", "--force"], in: dir).status == 0)
        // Without -o, a run with overrides gets its own folder.
        let plain = try CLITests.sagstal(["threshold", "a.yaml", "b.yaml", "--scale", "caseload.elasticity"], in: dir)
        let set = try CLITests.sagstal(["threshold", "a.yaml", "b.yaml", "--scale", "caseload.elasticity",
                                        "--set", "staff.costPerYear=600000"], in: dir)
        #expect(plain.status == 0 && set.status == 0, "\(plain.stderr) \(set.stderr)")
        let folders = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("Outputs").path).sorted()
        #expect(folders.count == 2 && folders[0] == "threshold-a-vs-b" && folders[1].hasPrefix("threshold-a-vs-b-"), "\(folders)")
    }
}
