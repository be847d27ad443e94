import Foundation
import Testing
import SagstalRunner
import SagstalScenario
import SagstalStats
@testable import SagstalCalibrate

/// Issue 12, part 2: synthetic truth. A scenario with known parameters is run with another seed;
/// its yearly means (with their sampling noise, stated as sd) are the targets; calibration starts
/// elsewhere and must recover the truth within its CIs. Two parameters that the targets cannot
/// separate must be reported as not identifiable.
@Suite struct CalibrationTests {
    static func scenario(opensCase: Double, fosterMean: Double, seed: Int, replications: Int) -> String {
        """
        name: calibration truth
        simulation: {start: 2020-01-01, years: 4, warmupYears: 1, replications: \(replications), seed: \(seed)}
        children: {ageOut: 100}
        notifications: {perYear: 400}
        screening: {opensCase: \(opensCase)}
        assessment: {duration: {dist: gamma, mean: 40, sd: 20}, outcome: {close: 0.4, help: 0.45, foster: 0.15}}
        ladder:
          - {id: help, costPerYear: 100000, duration: {dist: gamma, mean: 200, sd: 100}, next: {up: 0.1, exit: 0.8}}
          - {id: foster, placement: true, costPerYear: 400000, duration: {dist: gamma, mean: \(fosterMean), sd: 300}, next: {down: 0.3, exit: 0.6}}
        teams: [{id: t, caseworkers: 1000, cap: 1000}]
        """
    }

    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sagstal-calibrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Targets: the yearly means of a run at the truth (seed 99), sd = their standard error.
    static func targets(metrics: [String], in dir: URL) throws -> [Target] {
        let path = dir.appendingPathComponent("truth.yaml")
        try scenario(opensCase: 0.5, fosterMean: 600, seed: 99, replications: 40).write(to: path, atomically: true, encoding: .utf8)
        let loaded = try ScenarioRequest(path: path.path).load()
        let run = try RunJob.run(loaded, output: dir.appendingPathComponent("truth"), jobs: 2)
        var out: [Target] = []
        for (y, label) in run.run.layout.yearLabels.enumerated() {
            for metric in metrics {
                let s = run.run.yearly[y][run.run.layout.periodMetrics.firstIndex(of: metric)!]
                out.append(Target(year: Int(label)!, metric: metric, value: s.mean!, sd: s.sd! / Double(s.n).squareRoot(), source: "truth", line: out.count + 2))
            }
        }
        return out
    }

    @Test func recoversKnownParametersWithinTheirCIs() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let targets = try Self.targets(metrics: ["casesOpened", "step.foster.end", "placementsStarted"], in: dir)
        let start = dir.appendingPathComponent("start.yaml")
        try Self.scenario(opensCase: 0.3, fosterMean: 300, seed: 5, replications: 10).write(to: start, atomically: true, encoding: .utf8)
        let plan = try CalibrationPlan(request: ScenarioRequest(path: start.path),
                                       fit: ["screening.opensCase=0.1..0.9", "ladder.foster.duration.mean=100..1500"],
                                       targets: targets, targetsFile: "targets.csv")
        #expect(plan.starts == [0.3, 300])
        let result = try CalibrationJob.run(plan, jobs: 2)
        let (opens, foster) = (result.parameters[0], result.parameters[1])
        print("calibration: opensCase \(opens.estimate) (\(opens.lower)–\(opens.upper)), foster mean \(foster.estimate) (\(foster.lower)–\(foster.upper)); collinearity \(result.collinearity); D \(result.distanceAtStart) → \(result.distance) on \(result.degreesOfFreedom) df; \(result.evaluations) evaluations")
        #expect(opens.lower <= 0.5 && 0.5 <= opens.upper, "opensCase \(opens)")
        #expect(foster.lower <= 600 && 600 <= foster.upper, "foster mean \(foster)")
        #expect(opens.identified && foster.identified && result.warnings.isEmpty, "\(result.warnings)")
        #expect(result.distance < result.distanceAtStart / 10)
        // The CIs say something: well inside the bounds.
        #expect(opens.coverage < 0.3 && foster.coverage < 0.5, "\(opens.coverage) \(foster.coverage)")
    }

    @Test func twoParametersTheTargetsCannotSeparateAreReported() throws {
        // Only case openings: perYear × opensCase is all they show.
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let targets = try Self.targets(metrics: ["casesOpened"], in: dir)
        let start = dir.appendingPathComponent("start.yaml")
        try Self.scenario(opensCase: 0.3, fosterMean: 600, seed: 5, replications: 10).write(to: start, atomically: true, encoding: .utf8)
        let plan = try CalibrationPlan(request: ScenarioRequest(path: start.path),
                                       fit: ["screening.opensCase=0.1..0.9", "notifications.perYear=100..1000"],
                                       targets: targets, targetsFile: "targets.csv")
        let result = try CalibrationJob.run(plan, jobs: 2)
        print("non-identifiable: \(result.parameters.map { "\($0.name) \($0.estimate) (\($0.lower)–\($0.upper))" }); information \(result.information), collinearity \(result.collinearity); \(result.warnings)")
        #expect(result.warnings.contains { $0.contains("not identifiable") && $0.contains("screening.opensCase") && $0.contains("notifications.perYear") },
                "\(result.warnings)")
        #expect(result.parameters.allSatisfy { !$0.identified })
        // What the targets do fix, the product, is right: 400 × 0.5 = 200 openings a year.
        let product = result.parameters[0].estimate * result.parameters[1].estimate
        #expect(abs(product - 200) < 10, "perYear × opensCase = \(product)")
    }
}

extension CalibrationTests {
    /// Profile-likelihood CIs against the Gauss–Newton ones on a one-parameter problem: both hold
    /// the truth and agree in width within 30 % (a near-linear effect, so the two should be close).
    @Test func profileAndGaussNewtonIntervalsAgree() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let targets = try Self.targets(metrics: ["casesOpened", "placementsStarted"], in: dir)
        let start = dir.appendingPathComponent("start.yaml")
        try Self.scenario(opensCase: 0.3, fosterMean: 600, seed: 5, replications: 10).write(to: start, atomically: true, encoding: .utf8)
        let plan = try CalibrationPlan(request: ScenarioRequest(path: start.path), fit: ["screening.opensCase=0.1..0.9"],
                                       targets: targets, targetsFile: "targets.csv")
        let wald = try CalibrationJob.run(plan, jobs: 2).parameters[0]
        var settings = CalibrationSettings()
        settings.intervals = .profile
        let profiled = try CalibrationJob.run(plan, settings: settings, jobs: 2)
        let p = profiled.parameters[0]
        print("intervals: Gauss–Newton \(wald.lower)–\(wald.upper), profile \(p.lower)–\(p.upper); \(profiled.evaluations) evaluations")
        #expect(p.estimate == wald.estimate)
        #expect(wald.lower <= 0.5 && 0.5 <= wald.upper && p.lower <= 0.5 && 0.5 <= p.upper)
        let ratio = (p.upper - p.lower) / (wald.upper - wald.lower)
        #expect(ratio > 0.7 && ratio < 1.3, "width ratio \(ratio)")
    }
}
