import Foundation
import Testing
import SagstalRandom
@testable import SagstalSensitivity

@Suite struct MorrisAnalysisTests {
    static let salib = try! Fixture.salib("ishigami-morris-salib.csv")
    static let data = try! Fixture.sampleAndOutputs("ishigami-morris.csv")
    static let factors = TestFunctions.ishigamiFactors

    /// SALib's own 50 trajectories and outputs: same estimators, same data.
    @Test func statisticsAreSALibsOnSALibsSample() throws {
        let r = try MorrisAnalysis.analyze(sample: Self.data.x, outputs: Self.data.y, factors: Self.factors)
        #expect(r.trajectories == 50 && r.evaluations == 200 && r.levels == 4)
        for (i, f) in Fixture.ishigamiNames.enumerated() {
            let s = try #require(Self.salib[f])
            #expect(relativeDifference(r.mu[i], s["mu"]!) < 1e-9, "mu(\(f)) \(r.mu[i]) vs \(s["mu"]!)")
            #expect(relativeDifference(r.muStar[i], s["mu_star"]!) < 1e-9, "mu*(\(f)) \(r.muStar[i]) vs \(s["mu_star"]!)")
            #expect(relativeDifference(r.sigma[i], s["sigma"]!) < 1e-9, "sigma(\(f)) \(r.sigma[i]) vs \(s["sigma"]!)")
        }
        // the ranking follows: x2 (7.875), x3 (6.25), x1 (4.70) on this sample
        #expect(r.ranking == ["x2", "x3", "x1"])
    }

    /// mu_star_conf is z·sd of 1000 bootstrap means of |EE| in both tools, from different
    /// generators: they differ by the resampling error of an sd from 1000 draws, relative
    /// standard error √((κ − 1)/(4B)) each (κ measured on sagstal's resamples; SALib's resamples
    /// are of the same data, so the same κ is used for them). Allowed: 4 standard errors of the
    /// difference. Every |EE| of x2 is 7.875 on the 4-level grid (sin² x2 is 0 or ¾ at the
    /// levels ±π, ±π/3), so its bootstrap sd is 0 up to rounding in both tools.
    @Test func muStarHalfWidthsAgreeWithSALibsWithinTheirResamplingError() throws {
        let r = try MorrisAnalysis.analyze(sample: Self.data.x, outputs: Self.data.y, factors: Self.factors)
        let boot = MorrisAnalysis.muStarResamples(r.effects, bootstrap: 1000, seed: 1)
        for (i, f) in Fixture.ishigamiNames.enumerated() {
            let theirs = Self.salib[f]!["mu_star_conf"]!
            if f == "x2" {
                #expect(r.muStarConf[i] < 1e-12 * r.muStar[i] && theirs < 1e-12 * r.muStar[i])
                continue
            }
            let se = 2.0.squareRoot() * relativeSEOfSD(kurtosis: kurtosis(boot[i]), count: 1000)
            #expect(abs(r.muStarConf[i] / theirs - 1) < 4 * se, "mu*(\(f)): sagstal ±\(r.muStarConf[i]), SALib ±\(theirs), 4 se = \(4 * se)")
        }
    }

    /// sagstal's own trajectories of Ishigami against the exact statistics of the 4-level design
    /// (``TestFunctions/exactMorris``: μ* = 7.704, 7.875, 6.249).
    @Test func exactDesignValuesAreInsideTheCIs() throws {
        let r = 1000
        let x = try MorrisSample.trajectories(Self.factors, trajectories: r, seed: 2007)
        let y = x.map { TestFunctions.ishigami($0) }
        let m = try MorrisAnalysis.analyze(sample: x, outputs: y, factors: Self.factors)
        let exact = TestFunctions.exactMorris({ TestFunctions.ishigami($0) }, factors: Self.factors)
        #expect(abs(exact.muStar[0] - 7.704054) < 1e-6 && abs(exact.muStar[1] - 7.875) < 1e-12 && abs(exact.muStar[2] - 6.248796) < 1e-6)
        for i in [0, 2] {
            #expect(m.muStarCI[i].contains(exact.muStar[i]), "mu*(x\(i + 1)) = \(exact.muStar[i]) not in \(m.muStarCI[i])")
            // μ: within 4 standard errors σ/√r
            #expect(abs(m.mu[i] - exact.mu[i]) < 4 * m.sigma[i] / Double(r).squareRoot())
        }
        #expect(relativeDifference(m.muStar[1], 7.875) < 1e-12)
        // Ranking: a pair must be ordered as the exact values when their gap exceeds 4 combined
        // standard errors (sd(|EE|)/√r each); closer pairs (x2 vs x1: 7.875 vs 7.704 needs ~20,000
        // trajectories to resolve) must have overlapping CIs instead.
        func seMuStar(_ i: Int) -> Double { Bootstrap.sd(m.effects[i].map(abs)) / Double(r).squareRoot() }
        for i in 0..<3 {
            for j in 0..<3 where i < j {
                let gap = exact.muStar[i] - exact.muStar[j]
                let se = (pow(seMuStar(i), 2) + pow(seMuStar(j), 2)).squareRoot()
                if abs(gap) > 4 * se {
                    #expect((m.muStar[i] - m.muStar[j]).sign == gap.sign, "x\(i + 1) vs x\(j + 1)")
                } else {
                    #expect(m.muStarCI[i].lo <= m.muStarCI[j].hi && m.muStarCI[j].lo <= m.muStarCI[i].hi)
                }
            }
        }
        #expect(m.ranking.last == "x3")
    }

    @Test func badSamplesAreRefusedWithTheirReason() throws {
        let x = Self.data.x, y = Self.data.y
        func message(_ body: () throws -> MorrisIndices) -> String {
            do { _ = try body(); return "accepted" } catch { return "\(error)" }
        }
        // the first step of a trajectory that does not move x1: make it move x1 as well
        let row = try #require((1..<x.count).first { $0 % 4 != 0 && x[$0][0] == x[$0 - 1][0] })
        var two = x
        two[row][0] += two[row][0] > 0 ? -0.5 : 0.5
        #expect(message { try MorrisAnalysis.analyze(sample: two, outputs: y, factors: Self.factors) }
                .hasPrefix("trajectory \(row / 4) (row \(row)): 2 factors"))
        #expect(message { try MorrisAnalysis.analyze(sample: x, outputs: y, factors: Self.factors, levels: 6) }
                .contains("but Δ for 6 levels is 0.6"))
        #expect(message { try MorrisAnalysis.analyze(sample: x, outputs: y, factors: Self.factors, levels: 5) }
                .hasPrefix("Morris levels must be an even number"))
        #expect(message { try MorrisAnalysis.analyze(sample: Array(x.prefix(199)), outputs: Array(y.prefix(199)), factors: Self.factors) }
                == "the sample has 199 rows: Morris trajectories of 3 factors have D + 1 = 4 rows each, so the row count must be a multiple of 4 (199 = 49 trajectories + 3 rows)")
        #expect(message { try MorrisAnalysis.analyze(sample: x, outputs: Array(y.prefix(198)), factors: Self.factors) }
                == "found 198 outputs, expected 200 for a Morris sample of 200 rows (one output per row)")
        var nan = y
        nan[42] = .nan
        #expect(message { try MorrisAnalysis.analyze(sample: x, outputs: nan, factors: Self.factors) }
                .hasPrefix("the output of row 42 is nan"))
        let narrow = [FactorRange(name: "x1", lo: 0, hi: 1)] + Self.factors.dropFirst()
        #expect(message { try MorrisAnalysis.analyze(sample: x, outputs: y, factors: narrow) }
                .hasPrefix("row 0: factor 'x1' is -3.14"))
        var twice = Array(x.prefix(8))
        twice[3] = twice[1]   // trajectory 0: its third step undoes the first
        #expect(message { try MorrisAnalysis.analyze(sample: twice, outputs: Array(y.prefix(8)), factors: Self.factors) }
                .contains("moves a second time"))
    }
}

@Suite struct MorrisSampleTests {
    static let factors = [FactorRange(name: "a", lo: 0, hi: 1), FactorRange(name: "b", lo: -5, hi: 5),
                          FactorRange(name: "c", lo: 10, hi: 1000), FactorRange(name: "d", lo: -1, hi: 0)]

    @Test(arguments: [2, 4, 6, 8])
    func trajectoriesAreOneAtATimeStepsOnTheGrid(levels p: Int) throws {
        let r = 300, d = Self.factors.count
        let x = try MorrisSample.trajectories(Self.factors, trajectories: r, levels: p, seed: 5)
        #expect(x.count == r * (d + 1))
        let delta = MorrisSample.delta(levels: p)
        for t in 0..<r {
            var moved = Set<Int>()
            for s in 0...d {
                let u = x[t * (d + 1) + s].enumerated().map { Self.factors[$0.offset].unscale($0.element) }
                for v in u {
                    let level = v * Double(p - 1)
                    #expect(abs(level - level.rounded()) < 1e-9 && v >= -1e-12 && v <= 1 + 1e-12)
                }
                if s > 0 {
                    let prev = x[t * (d + 1) + s - 1].enumerated().map { Self.factors[$0.offset].unscale($0.element) }
                    let changed = (0..<d).filter { abs(u[$0] - prev[$0]) > 1e-12 }
                    #expect(changed.count == 1)
                    #expect(abs(abs(u[changed[0]] - prev[changed[0]]) - delta) < 1e-9)
                    moved.insert(changed[0])
                }
            }
            #expect(moved.count == d)
        }
        // MorrisAnalysis reads it back (with the same levels)
        _ = try MorrisAnalysis.elementaryEffects(sample: x, outputs: x.map { $0.reduce(0, +) }, factors: Self.factors, levels: p)
    }

    /// The design's randomness: every factor's first point is on each of the p levels with
    /// probability 1/p, and a step goes up with probability ½. Counts over 4000 trajectories,
    /// each within 4 binomial standard errors of its expectation.
    @Test func levelsAndDirectionsAreUniform() throws {
        let r = 4000, d = Self.factors.count, p = 4
        let x = try MorrisSample.trajectories(Self.factors, trajectories: r, levels: p, seed: 11)
        var first = [[Int]](repeating: [Int](repeating: 0, count: p), count: d)
        var up = 0
        var position = [[Int]](repeating: [Int](repeating: 0, count: d), count: d)   // factor × step
        for t in 0..<r {
            let rows = (0...d).map { s in x[t * (d + 1) + s].enumerated().map { Self.factors[$0.offset].unscale($0.element) } }
            for i in 0..<d { first[i][Int((rows[0][i] * Double(p - 1)).rounded())] += 1 }
            for s in 1...d {
                let i = (0..<d).first { rows[s][$0] != rows[s - 1][$0] }!
                position[i][s - 1] += 1
                if rows[s][i] > rows[s - 1][i] { up += 1 }
            }
        }
        func within(_ count: Int, n: Int, prob: Double) -> Bool {
            abs(Double(count) - Double(n) * prob) <= 4 * (Double(n) * prob * (1 - prob)).squareRoot()
        }
        for i in 0..<d {
            for l in 0..<p { #expect(within(first[i][l], n: r, prob: 1 / Double(p)), "factor \(i) level \(l): \(first[i][l])") }
            for s in 0..<d { #expect(within(position[i][s], n: r, prob: 1 / Double(d)), "factor \(i) moves at step \(s + 1): \(position[i][s])") }
        }
        #expect(within(up, n: r * d, prob: 0.5))
    }

    @Test func sameSeedSameSampleOtherSeedOtherSample() throws {
        let a = try MorrisSample.trajectories(Self.factors, trajectories: 20, seed: 3)
        #expect(try MorrisSample.trajectories(Self.factors, trajectories: 20, seed: 3) == a)
        #expect(try MorrisSample.trajectories(Self.factors, trajectories: 20, seed: 4) != a)
        let y = a.map { TestFunctions.ishigami([$0[0], $0[1], $0[3]]) + $0[2] * 1e-3 }
        let m1 = try MorrisAnalysis.analyze(sample: a, outputs: y, factors: Self.factors, bootstrap: 300, seed: 8)
        let m2 = try MorrisAnalysis.analyze(sample: a, outputs: y, factors: Self.factors, bootstrap: 300, seed: 8)
        let m3 = try MorrisAnalysis.analyze(sample: a, outputs: y, factors: Self.factors, bootstrap: 300, seed: 9)
        #expect(m1 == m2)
        #expect(m1.muStar == m3.muStar && m1.muStarCI != m3.muStarCI)
    }

    @Test func badArgumentsAreRefused() {
        #expect(throws: SensitivityError.invalidLevels(3)) { try MorrisSample.trajectories(Self.factors, trajectories: 5, levels: 3) }
        #expect(throws: SensitivityError.tooFewSamples(what: "trajectories", found: 1, minimum: 2)) {
            try MorrisSample.trajectories(Self.factors, trajectories: 1)
        }
        #expect(throws: SensitivityError.invalidRange(factor: "z", lo: 1, hi: 0)) {
            try MorrisSample.trajectories([FactorRange(name: "z", lo: 1, hi: 0)], trajectories: 5)
        }
        #expect(throws: SensitivityError.invalidRange(factor: "z", lo: 0, hi: .infinity)) {
            try MorrisSample.trajectories([FactorRange(name: "z", lo: 0, hi: .infinity)], trajectories: 5)
        }
    }

    /// Outputs built step by step: every move of a changes y by 5Δ (|EE| = 5 always: a zero-width
    /// CI), b and d change nothing (μ* = 0, zero width), c changes y only in the last trajectory
    /// (|EE| 0, 0, 0, 0, 0, 100: μ* ≈ 16.7 with a bootstrap CI from 0 to about 50).
    @Test func wideIntervalsOfMuStar() throws {
        let r = 6, d = Self.factors.count
        let x = try MorrisSample.trajectories(Self.factors, trajectories: r, seed: 1)
        let delta = MorrisSample.delta(levels: 4)
        var y = [Double](repeating: 0, count: x.count)
        for t in 0..<r {
            for s in 1...d {
                let row = t * (d + 1) + s
                let i = (0..<d).first { x[row][$0] != x[row - 1][$0] }!
                let upward = x[row][i] > x[row - 1][i] ? 1.0 : -1.0
                let effect = i == 0 ? 5.0 : (i == 2 && t == r - 1 ? 100.0 : 0)
                y[row] = y[row - 1] + upward * effect * delta
            }
        }
        let m = try MorrisAnalysis.analyze(sample: x, outputs: y, factors: Self.factors, bootstrap: 500)
        #expect(abs(m.muStar[0] - 5) < 1e-12 && m.muStar[1] == 0 && m.muStar[3] == 0)
        #expect(abs(m.muStar[2] - 100.0 / 6) < 1e-12)
        #expect(m.wideIntervals.map(\.factor) == ["c"])
        #expect(m.wideIntervals.first?.description.hasPrefix("the CI of μ*(c) is wider than the index") == true)
        #expect(m.wideIntervals.first?.description.hasSuffix("increase the trajectories") == true)
    }
}
