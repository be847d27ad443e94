import Foundation
import Testing

/// `sagstal calibrate` and `sagstal backcast` as a user runs them, and their refusals.
@Suite struct CalibrateCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// CLITests.good (start 2026, 2 years) with targets made from its own run at seed 9.
    static func workspace() throws -> URL {
        let dir = try CLITests.workspace(["s.yaml": CLITests.good])
        let truth = try CLITests.sagstal(["run", "s.yaml", "--seed", "9", "-n", "20", "-o", "truth", "-q"], in: dir)
        #expect(truth.status == 0, "\(truth.stderr)")
        let yearly = try String(contentsOf: dir.appendingPathComponent("truth/yearly.csv"), encoding: .utf8)
        var targets = "year,metric,value,sd,source\n"
        for line in yearly.split(separator: "\n").dropFirst() {
            let f = line.components(separatedBy: ",")
            if ["casesOpened", "placementsStarted", "step.foster.end"].contains(f[1]) { targets += "\(f[0]),\(f[1]),\(f[2]),,seed 9 mean\n" }
        }
        try targets.write(to: dir.appendingPathComponent("observed.csv"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func calibrateWritesItsFilesAndTheCalibratedScenarioRuns() throws {
        let dir = try Self.workspace()
        let r = try CLITests.sagstal(["calibrate", "s.yaml", "--targets", "observed.csv", "--fit", "screening.opensCase=0.2..0.9",
                                      "--set", "screening.opensCase=0.3", "-n", "10", "-o", "cal"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("screening.opensCase = 0."), "\(r.stdout)")
        for f in ["calibrate.json", "fit.csv", "calibrated.yaml", "report.html", "run.json", "scenario.resolved.yaml"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("cal/\(f)").path), "\(f)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("cal/calibrate.json"))) as! [String: Any]
        let p = (json["parameters"] as! [[String: Any]])[0]
        let ci = p["ci95"] as! [Double]
        #expect(ci[0] <= 0.5 && 0.5 <= ci[1], "\(p)")
        let yaml = try String(contentsOf: dir.appendingPathComponent("cal/calibrated.yaml"), encoding: .utf8)
        #expect(yaml.contains("extends: \"../s.yaml\"") && yaml.contains("# calibrate: screening.opensCase = "), "\(yaml)")
        #expect(try CLITests.sagstal(["run", "cal/calibrated.yaml", "-o", "again", "-q"], in: dir).status == 0)
        let fit = try String(contentsOf: dir.appendingPathComponent("cal/fit.csv"), encoding: .utf8)
        #expect(fit.hasPrefix("year,metric,observed,sd,simulatedMean") && fit.split(separator: "\n").count == 7)
    }

    @Test func backcastScoresTheForecastAndRefusesFitWithoutCutoff() throws {
        let dir = try Self.workspace()
        let r = try CLITests.sagstal(["backcast", "s.yaml", "--from", "2026-01-01", "--observed", "observed.csv", "-n", "20", "-o", "bc"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("observations inside the 90 % band"), "\(r.stdout)")
        let csv = try String(contentsOf: dir.appendingPathComponent("bc/backcast.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("year,metric,observed,forecastMean") && csv.split(separator: "\n").count == 7)
        let bad = try CLITests.sagstal(["backcast", "s.yaml", "--from", "2026-01-01", "--observed", "observed.csv", "--fit", "screening.opensCase"], in: dir)
        #expect(bad.status == 64 && bad.stderr.contains("--fit needs --cutoff"), "\(bad.stderr)")
    }

    /// The README's commands on the example targets (national figures on base/denmark.yaml's scale).
    @Test func theExampleTargetsWorkWithBothCommands() throws {
        let dir = try CLITests.workspace([:])
        let scenario = Self.root.appendingPathComponent("Scenarios/base/denmark.yaml").path
        let targets = Self.root.appendingPathComponent("Scenarios/data/observed-denmark.csv").path
        let b = try CLITests.sagstal(["backcast", scenario, "--from", "2015-01-01", "--observed", targets, "-n", "4", "-o", "bc"], in: dir)
        #expect(b.status == 0, "\(b.stderr)")
        #expect(b.stdout.contains("of 11 observations inside the 90 % band") && b.stderr.contains("left out (2007, 2011)"), "\(b.stdout)\n\(b.stderr)")
        let c = try CLITests.sagstal(["calibrate", scenario, "--set", "simulation.start=2015-01-01", "--years", "9", "--targets", targets,
                                      "--fit", "notifications.perYear=400..1600", "--max-iterations", "8", "-n", "4", "-o", "cal"], in: dir)
        #expect(c.status == 0, "\(c.stderr)")
        #expect(c.stdout.contains("notifications.perYear = "), "\(c.stdout)")
    }

    @Test(arguments: [
        (["--fit", "screening.opensCsae=0.1..0.9"], 65, "opensCsae"),
        (["--fit", "screening.opensCase=0.9..0.1"], 64, "LO must be below HI"),
        (["--fit", "caseload.elasticity.escalate"], 64, "no bounds follow"),
        (["--targets", "missing.csv"], 66, "does not exist"),
        (["--targets", "bad.csv"], 65, "bad.csv:2: error: metric: unknown metric 'placementStarted' (did you mean 'placementsStarted'?)"),
    ])
    func badInputIsRefusedAndNothingIsWritten(extra: [String], status: Int32, message: String) throws {
        let dir = try CLITests.workspace(["s.yaml": CLITests.good, "ok.csv": "year,metric,value\n2026,casesOpened,150\n",
                                          "bad.csv": "year,metric,value\n2026,placementStarted,15\n"])
        var args = ["calibrate", "s.yaml", "-o", "out"]
        if !extra.contains("--targets") { args += ["--targets", "ok.csv"] }
        if !extra.contains("--fit") { args += ["--fit", "screening.opensCase=0.1..0.9"] }
        let r = try CLITests.sagstal(args + extra, in: dir)
        #expect(r.status == status, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }
}
