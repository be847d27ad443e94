import Foundation
import Testing

/// `sagstal fit` as a user runs it: run --episodes → fit → run the fitted scenario; bad records refused.
@Suite struct FitCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func episodesToFitToRun() throws {
        let dir = try CLITests.workspace(["s.yaml": CLITests.good])
        let run = try CLITests.sagstal(["run", "s.yaml", "--episodes", "--years", "3", "-n", "4", "-o", "first"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let fit = try CLITests.sagstal(["fit", "first/episodes.csv", "--scenario", "s.yaml", "--min-stays", "10", "-o", "fit/fitted.yaml"], in: dir)
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(fit.stdout.contains("foster:") && fit.stdout.contains("% censored"), "\(fit.stdout)")
        let yaml = try String(contentsOf: dir.appendingPathComponent("fit/fitted.yaml"), encoding: .utf8)
        #expect(yaml.contains("extends: ../s.yaml") && yaml.contains("# fit: chosen"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("fit/fitted.fit.json").path))
        let report = try String(contentsOf: dir.appendingPathComponent("fit/fitted.report.html"), encoding: .utf8)
        #expect(report.contains("Kaplan–Meier") && report.contains("P–P plot"))
        let again = try CLITests.sagstal(["run", "fit/fitted.yaml", "-o", "second"], in: dir)
        #expect(again.status == 0, "\(again.stderr)")
    }

    @Test func theExampleRecordsFitTheExampleScenario() throws {
        let dir = try CLITests.workspace([:])
        let r = try CLITests.sagstal(["fit", Self.root.appendingPathComponent("Scenarios/data/episodes-example.csv").path,
                                      "--scenario", Self.root.appendingPathComponent("Scenarios/example.yaml").path, "-o", "f/fitted.yaml",
                                      "--by", "ageband"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("f/fitted.fit.json"))) as! [String: Any]
        let groups = (json["breakdown"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(groups.contains("foster @ age 13–17") && groups.contains("assessment @ age 0–6"), "\(groups)")
        #expect(try CLITests.sagstal(["validate", "f/fitted.yaml"], in: dir).status == 0)
    }

    @Test func recordsWithAStepTheScenarioLacksAreRefused() throws {
        let episodes = "replication,child,team,phase,step,start,end,endReason,ageAtStart,placement\n"
            + "0,1,team,ladder,hepl,2026-01-01,2026-03-01,exit,5,false\n"
        let dir = try CLITests.workspace(["s.yaml": CLITests.good, "e.csv": episodes])
        let r = try CLITests.sagstal(["fit", "e.csv", "--scenario", "s.yaml", "-o", "out/fitted.yaml"], in: dir)
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("e.csv:2: error: step: unknown step 'hepl'"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }
}
