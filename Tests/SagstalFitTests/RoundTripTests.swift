import Foundation
import Testing
import SagstalRunner
import SagstalScenario
@testable import SagstalFit

/// Issue 11, part 2: simulate a scenario with known durations and shares (no caseload effects, no
/// waiting, nobody ages out), export its episodes censored at the horizon, fit each replication's
/// records on their own, and count how often the 95 % CIs contain the true values.
@Suite struct RoundTripTests {
    static let scenario = """
    name: round trip
    simulation: {start: 2026-01-01, years: 4, replications: 40, seed: 11}
    children: {ageOut: 100}
    notifications: {perYear: 300}
    screening: {opensCase: 1}
    assessment: {duration: {dist: gamma, shape: 2, scale: 30}, outcome: {close: 0.3, home: 0.5, foster: 0.2}}
    ladder:
      - {id: home, costPerYear: 100000, duration: {dist: weibull, shape: 1.5, scale: 300}, next: {up: 0.2, exit: 0.6}}
      - {id: foster, placement: true, costPerYear: 400000, duration: {dist: lognormal, mu: 6, sigma: 0.8}, next: {down: 0.3, exit: 0.5}}
    teams: [{id: t, caseworkers: 1000, cap: 1000}]
    """

    /// (phase, family, parameter, true value)
    static let truth: [(String, DurationFamily, String, Double)] = [
        ("assessment", .gamma, "shape", 2), ("assessment", .gamma, "scale", 30),
        ("home", .weibull, "shape", 1.5), ("home", .weibull, "scale", 300),
        ("foster", .lognormal, "mu", 6), ("foster", .lognormal, "sigma", 0.8),
    ]
    static let shares: [(String, String, Double)] = [
        ("home", "up", 0.2), ("home", "exit", 0.6), ("home", "stay", 0.2),
        ("foster", "down", 0.3), ("foster", "exit", 0.5), ("foster", "stay", 0.2),
        ("assessment", "close", 0.3), ("assessment", "toStep:home", 0.5), ("assessment", "toStep:foster", 0.2),
    ]

    /// The scenario written to a fresh folder (removed by the caller), run with episodes.
    static func simulate() throws -> (dir: URL, loaded: LoadedScenario, result: RunResult, episodes: EpisodeFile) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sagstal-roundtrip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("s.yaml")
        try Self.scenario.write(to: path, atomically: true, encoding: .utf8)
        let loaded = try ScenarioRequest(path: path.path).load()
        let result = try RunJob.run(loaded, output: dir.appendingPathComponent("out"), jobs: 2, episodes: EpisodeOptions())
        return (dir, loaded, result, try EpisodeReader.read(path: dir.appendingPathComponent("out/episodes.csv").path))
    }

    @Test func trueParametersLieInTheirCIsInAtLeast90PercentOf40Replications() throws {
        let (dir, _, _, all) = try Self.simulate()
        defer { try? FileManager.default.removeItem(at: dir) }
        var covered = [Int](repeating: 0, count: Self.truth.count), sharesCovered = [Int](repeating: 0, count: Self.shares.count)
        var censoredShares: [Double] = []
        var rateCovered = 0, growthCovered = 0
        for r in 0..<40 {
            let file = EpisodeFile(path: all.path, episodes: all.episodes.filter { $0.replication == r }, calendarTimes: true,
                                   extract: all.extract, droppedAfterExtract: 0, censoredAtExtract: 0)
            let run = FitJob.run(file)
            for (k, (phase, family, name, value)) in Self.truth.enumerated() {
                let p = try #require(run.phases.first { $0.records.name == phase })
                let fit = try #require(p.fits.first { $0.family == family })
                let ci = try #require(fit.ci95[name])
                if ci.contains(value) { covered[k] += 1 }
                if phase == "foster" { censoredShares.append(p.records.censoredShare) }
            }
            let arrivals = try #require(run.arrivals)
            if arrivals.rateCI.contains(300) { rateCovered += 1 }
            if arrivals.growthCI.contains(0) { growthCovered += 1 }
            for (k, (phase, ending, value)) in Self.shares.enumerated() {
                let p = try #require(run.phases.first { $0.records.name == phase })
                let s = try #require(p.shares.first { $0.ending == ending }).share
                if s.lower <= value && value <= s.upper { sharesCovered[k] += 1 }
            }
        }
        print("round trip coverage (of 40): " + zip(Self.truth, covered).map { "\($0.0.0) \($0.0.2) \($0.1)" }.joined(separator: ", ")
              + "; shares: " + zip(Self.shares, sharesCovered).map { "\($0.0.0) \($0.0.1) \($0.1)" }.joined(separator: ", ")
              + "; openings rate \(rateCovered), growth \(growthCovered)"
              + "; foster censored share \(censoredShares.reduce(0, +) / Double(censoredShares.count))")
        // 95 % intervals cover in 38 of 40 on average (binomial sd 1.4); ≥ 36 is the issue's 90 %.
        for (k, t) in Self.truth.enumerated() { #expect(covered[k] >= 36, "\(t.0) \(t.1) \(t.2): \(covered[k]) of 40") }
        for (k, t) in Self.shares.enumerated() { #expect(sharesCovered[k] >= 36, "\(t.0) \(t.1): \(sharesCovered[k]) of 40") }
        #expect(rateCovered >= 36 && growthCovered >= 36, "openings: rate \(rateCovered), growth \(growthCovered) of 40")
        // The test is about censoring: a real share of the long stays is still running at the horizon.
        #expect(censoredShares.reduce(0, +) / Double(censoredShares.count) > 0.05)
    }
}

extension RoundTripTests {
    /// The fitted scenario (from all 40 replications' records) reproduces the original's stocks at
    /// the horizon within 3 standard errors of the difference.
    @Test func theFittedScenarioReproducesTheStocks() throws {
        let (dir, original, first, file) = try Self.simulate()
        defer { try? FileManager.default.removeItem(at: dir) }
        let yaml = FitFragment.yaml(FitJob.run(file), scenario: original.scenario, extends: "s.yaml", toolVersion: "test")
        try yaml.write(to: dir.appendingPathComponent("fitted.yaml"), atomically: true, encoding: .utf8)
        let fitted = try ScenarioRequest(path: dir.appendingPathComponent("fitted.yaml").path, seed: 12).load()
        let second = try RunJob.run(fitted, output: dir.appendingPathComponent("fitted-out"), jobs: 2)
        var lines: [String] = []
        for metric in ["step.home.end", "step.foster.end", "placementsStarted", "assessmentsStarted"] {
            guard let i = first.run.layout.totalsMetrics.firstIndex(of: metric) else { continue }
            let a = first.run.totals[i], b = second.run.totals[i]
            let se = ((a.sd! * a.sd!) / Double(a.n) + (b.sd! * b.sd!) / Double(b.n)).squareRoot()
            let z = (b.mean! - a.mean!) / se
            lines.append("\(metric) \(a.mean!) vs \(b.mean!) (z \(String(format: "%.2f", z)))")
            #expect(abs(z) <= 3, "\(metric): original \(a.mean!), fitted \(b.mean!), z = \(z)")
        }
        print("round trip stocks: " + lines.joined(separator: "; "))
        #expect(lines.count >= 3, "\(first.run.layout.totalsMetrics)")
    }
}
