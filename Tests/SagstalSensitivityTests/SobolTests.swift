import Foundation
import Testing
import SagstalRandom
@testable import SagstalSensitivity

@Suite struct SobolSequenceTests {
    /// GSL's manual prints the first points of its 2-D Sobol example (doc/examples/qrng.c):
    /// 0.5 0.5, 0.75 0.25, 0.25 0.75, 0.375 0.375, 0.875 0.875, … These two dimensions are the
    /// same in Bratley & Fox's and Joe & Kuo's direction numbers. The third coordinate follows
    /// Bratley & Fox (1988, TOMS algorithm 659; initial value m = (1, 1) for x² + x + 1):
    /// 0.5, 0.75, 0.25, 0.625, 0.125 (Joe & Kuo's m = (1, 3) would give 0.5, 0.25, 0.75, …).
    @Test func firstPointsAreThePublishedOnes() throws {
        let q = try #require(SobolSequence(dimension: 3))
        let expected: [[Double]] = [
            [0.5, 0.5, 0.5], [0.75, 0.25, 0.75], [0.25, 0.75, 0.25],
            [0.375, 0.375, 0.625], [0.875, 0.875, 0.125], [0.625, 0.125, 0.375], [0.125, 0.625, 0.875],
        ]
        for e in expected { #expect(q.next() == e) }
        #expect(q.pointsReturned == expected.count)
    }

    /// The origin plus the first 2^m − 1 points of a Sobol sequence are a (t, m, s)-net: in every
    /// one of the 40 dimensions they hit each interval [k/2^m, (k+1)/2^m) exactly once.
    @Test func everyDimensionIsStratified() throws {
        let m = 10, count = 1 << m
        let q = try #require(SobolSequence(dimension: SobolSequence.maxDimension))
        var hits = [[Int]](repeating: [Int](repeating: 0, count: count), count: SobolSequence.maxDimension)
        for d in 0..<SobolSequence.maxDimension { hits[d][0] = 1 }   // the origin GSL does not return
        for _ in 1..<count {
            let p = try #require(q.next())
            for d in p.indices { hits[d][Int(p[d] * Double(count))] += 1 }
        }
        for d in hits.indices { #expect(hits[d].allSatisfy { $0 == 1 }, "dimension \(d + 1)") }
    }

    @Test func dimensionsOutsideGSLsRangeAreRefused() {
        #expect(SobolSequence(dimension: 0) == nil)
        #expect(SobolSequence(dimension: 41) == nil)
        #expect(SobolSequence(dimension: 40) != nil)
    }
}

@Suite struct SaltelliSampleTests {
    @Test func skipIsSALibsDefault() {
        #expect(SaltelliSample.skippedPoints(baseSamples: 2) == 16)
        #expect(SaltelliSample.skippedPoints(baseSamples: 16) == 16)
        #expect(SaltelliSample.skippedPoints(baseSamples: 17) == 32)
        #expect(SaltelliSample.skippedPoints(baseSamples: 1024) == 1024)
        #expect(SaltelliSample.skippedPoints(baseSamples: 1025) == 2048)
    }

    /// With one factor the design uses 2 Sobol dimensions, where GSL's direction numbers equal
    /// Joe & Kuo's: the matrix must equal SALib's `saltelli.sample` (default skip) exactly, which
    /// checks the skip (M − 1 GSL points for SALib's M), the row layout and the scaling.
    @Test(arguments: [64, 100])
    func oneFactorMatrixIsSALibs(n: Int) throws {
        let t = try Fixture.table("saltelli-1d.csv")
        let salib = t.rows.filter { Int($0[1]) == n }.map { Double($0[2])! }
        let mine = try SaltelliSample.matrix([FactorRange(name: "x", lo: -2, hi: 5)], baseSamples: n)
        #expect(salib.count == 3 * n)
        #expect(mine.map { $0[0] } == salib)
    }

    @Test func layoutIsABlocks() throws {
        let factors = [FactorRange(name: "a", lo: 0, hi: 1), FactorRange(name: "b", lo: -10, hi: 10),
                       FactorRange(name: "c", lo: 100, hi: 101), FactorRange(name: "d", lo: -1e-3, hi: 0)]
        let n = 256, d = factors.count
        let m = try SaltelliSample.matrix(factors, baseSamples: n)
        #expect(m.count == n * (d + 2))
        var distinct = Set<[Double]>()
        for j in 0..<n {
            let a = m[j * (d + 2)], b = m[j * (d + 2) + d + 1]
            distinct.insert(a)
            for i in 0..<d {
                var expected = a
                expected[i] = b[i]
                #expect(m[j * (d + 2) + 1 + i] == expected)
            }
        }
        #expect(distinct.count == n)
        for row in m {
            for (x, f) in zip(row, factors) { #expect(x >= f.lo && x <= f.hi) }
        }
        // the same call gives the same matrix
        #expect(try SaltelliSample.matrix(factors, baseSamples: n) == m)
    }

    @Test func badArgumentsAreRefusedWithTheirReason() throws {
        let ok = FactorRange(name: "x", lo: 0, hi: 1)
        #expect(throws: SensitivityError.invalidRange(factor: "y", lo: 2, hi: 2)) {
            try SaltelliSample.matrix([ok, FactorRange(name: "y", lo: 2, hi: 2)], baseSamples: 8)
        }
        #expect(SensitivityError.invalidRange(factor: "y", lo: 3, hi: 1).description == "factor 'y': lo (3.0) must be below hi (1.0)")
        #expect(throws: SensitivityError.tooFewSamples(what: "base samples", found: 1, minimum: 2)) {
            try SaltelliSample.matrix([ok], baseSamples: 1)
        }
        #expect(throws: SensitivityError.duplicateFactor("x")) { try SaltelliSample.matrix([ok, ok], baseSamples: 8) }
        let many = (0..<21).map { FactorRange(name: "f\($0)", lo: 0, hi: 1) }
        do {
            _ = try SaltelliSample.matrix(many, baseSamples: 8)
            Issue.record("21 factors were accepted")
        } catch let e as SensitivityError {
            #expect(e.description.contains("at most 20"))
        }
        #expect(try SaltelliSample.matrix(Array(many.prefix(20)), baseSamples: 4).count == 4 * 22)
    }
}

@Suite struct SobolAnalysisTests {
    static let salib = try! Fixture.salib("ishigami-sobol-salib.csv")
    static let data = try! Fixture.sampleAndOutputs("ishigami-sobol.csv")

    /// Same estimators, same data (SALib's own sample and outputs): the point estimates agree to
    /// rounding. SALib centres and scales the outputs before estimating; sagstal does the same.
    @Test func pointEstimatesAreSALibs() throws {
        let r = try SobolAnalysis.analyze(outputs: Self.data.y, factors: Fixture.ishigamiNames, baseSamples: 1024)
        #expect(r.evaluations == 5120)
        for (i, f) in Fixture.ishigamiNames.enumerated() {
            let s = try #require(Self.salib[f])
            #expect(relativeDifference(r.firstOrder[i], s["S1"]!) < 1e-9, "S1(\(f)) \(r.firstOrder[i]) vs \(s["S1"]!)")
            #expect(relativeDifference(r.totalOrder[i], s["ST"]!) < 1e-9, "ST(\(f)) \(r.totalOrder[i]) vs \(s["ST"]!)")
        }
    }

    /// SALib's S1_conf and ST_conf are z·sd of 1000 bootstrap estimates; so are sagstal's, from
    /// another generator. Each sd is estimated from B = 1000 resamples, with relative standard
    /// error √((κ − 1)/(4B)) (κ the kurtosis of the bootstrap estimates, ≈ 2.7–3.0 here, measured
    /// on sagstal's resamples and SALib's, which the fixture records); the two are independent, so
    /// their relative difference has standard error √(se₁² + se₂²) ≈ 3 %. Allowed: 4 of those.
    @Test func bootstrapHalfWidthsAgreeWithSALibsWithinTheirResamplingError() throws {
        let r = try SobolAnalysis.analyze(outputs: Self.data.y, factors: Fixture.ishigamiNames, baseSamples: 1024)
        let split = SobolAnalysis.split(Self.data.y, d: 3, n: 1024)
        let boot = SobolAnalysis.resample(split, bootstrap: 1000, seed: 1)
        for (i, f) in Fixture.ishigamiNames.enumerated() {
            let s = try #require(Self.salib[f])
            for (mine, theirs, resamples, kSALib, what) in [
                (r.firstOrderConf[i], s["S1_conf"]!, boot.s1[i], s["S1_kurtosis"]!, "S1"),
                (r.totalOrderConf[i], s["ST_conf"]!, boot.st[i], s["ST_kurtosis"]!, "ST"),
            ] {
                let se = (pow(relativeSEOfSD(kurtosis: kurtosis(resamples), count: 1000), 2)
                          + pow(relativeSEOfSD(kurtosis: kSALib, count: 1000), 2)).squareRoot()
                #expect(abs(mine / theirs - 1) < 4 * se, "\(what)(\(f)): sagstal ±\(mine), SALib ±\(theirs), 4 se = \(4 * se)")
            }
        }
        // the public CI is the percentile interval of those resamples; the normal one is S ± conf
        for i in 0..<3 {
            #expect(r.firstOrderCI[i] == Interval(lo: quantile(boot.s1[i], (1 - 0.95) / 2), hi: quantile(boot.s1[i], (1 + 0.95) / 2)))
            #expect(r.totalOrderNormalCI[i] == Interval(lo: r.totalOrder[i] - r.totalOrderConf[i], hi: r.totalOrder[i] + r.totalOrderConf[i]))
        }
    }

    /// sagstal's own Saltelli sample of Ishigami, N = 4096: every analytic index lies in its 95 % CI.
    @Test func analyticIshigamiIndicesAreInsideTheCIs() throws {
        let factors = TestFunctions.ishigamiFactors
        let x = try SaltelliSample.matrix(factors, baseSamples: 4096)
        let y = x.map { TestFunctions.ishigami($0) }
        let r = try SobolAnalysis.analyze(outputs: y, factors: factors.map(\.name), baseSamples: 4096)
        let exact = TestFunctions.ishigamiIndices()
        for i in 0..<3 {
            #expect(r.firstOrderCI[i].contains(exact.firstOrder[i]), "S1(x\(i + 1)) = \(exact.firstOrder[i]) not in \(r.firstOrderCI[i]) (estimate \(r.firstOrder[i]))")
            #expect(r.totalOrderCI[i].contains(exact.totalOrder[i]), "ST(x\(i + 1)) = \(exact.totalOrder[i]) not in \(r.totalOrderCI[i]) (estimate \(r.totalOrder[i]))")
        }
        // the variance of the 2N A and B outputs estimates Ishigami's V = 13.845; its standard
        // error for independent draws is √((m4 − V²)/(2N)) (m4 the 4th central moment); allowed 4
        let ab = (0..<4096).flatMap { [y[$0 * 5], y[$0 * 5 + 4]] }
        let m = ab.reduce(0, +) / Double(ab.count)
        let m4 = ab.reduce(0) { $0 + pow($1 - m, 4) } / Double(ab.count)
        let se = ((m4 - r.variance * r.variance) / Double(ab.count)).squareRoot()
        #expect(abs(r.variance - exact.variance) < 4 * se, "V \(r.variance) vs \(exact.variance), se \(se)")
    }

    @Test func analyticValuesAreTheKnownOnes() {
        let e = TestFunctions.ishigamiIndices()
        let s1 = [0.3139, 0.4424, 0.0], st = [0.5576, 0.4424, 0.2437]
        for i in 0..<3 {
            #expect(abs(e.firstOrder[i] - s1[i]) < 5e-5)
            #expect(abs(e.totalOrder[i] - st[i]) < 5e-5)
        }
        #expect(abs(e.variance - 13.8446) < 1e-4)
    }

    @Test func sameSeedSameResultsOtherSeedOtherIntervals() throws {
        let a = try SobolAnalysis.analyze(outputs: Self.data.y, factors: Fixture.ishigamiNames, baseSamples: 1024, bootstrap: 200, seed: 9)
        let b = try SobolAnalysis.analyze(outputs: Self.data.y, factors: Fixture.ishigamiNames, baseSamples: 1024, bootstrap: 200, seed: 9)
        let c = try SobolAnalysis.analyze(outputs: Self.data.y, factors: Fixture.ishigamiNames, baseSamples: 1024, bootstrap: 200, seed: 10)
        #expect(a == b)
        #expect(a.firstOrder == c.firstOrder && a.totalOrder == c.totalOrder)
        #expect(a.firstOrderCI != c.firstOrderCI)
    }

    /// At N = 1024 S1(x3) ≈ 0 has a CI much wider than itself; the large indices do not.
    @Test func wideIntervalsNameTheImpreciseIndices() throws {
        let r = try SobolAnalysis.analyze(outputs: Self.data.y, factors: Fixture.ishigamiNames, baseSamples: 1024)
        let wide = r.wideIntervals
        #expect(wide.map { "\($0.index) \($0.factor)" } == ["S1 x3"])
        #expect(wide[0].description.hasPrefix("the CI of S_1(x3) is wider than the index"))
        #expect(wide[0].description.hasSuffix("increase the base samples"))
    }

    @Test func badOutputsAreRefusedWithTheirReason() throws {
        let y = Self.data.y
        do {
            _ = try SobolAnalysis.analyze(outputs: Array(y.prefix(5000)), factors: Fixture.ishigamiNames, baseSamples: 1024)
            Issue.record("5000 outputs accepted for N = 1024")
        } catch let e as SensitivityError {
            #expect(e.description.hasPrefix("found 5000 outputs, expected 5120 for the Saltelli sample of 3 factors and 1024 base samples"))
            #expect(e.description.hasSuffix("; 5000 outputs would fit 1000 base samples"))
        }
        var bad = y
        bad[17] = .nan
        do {
            _ = try SobolAnalysis.analyze(outputs: bad, factors: Fixture.ishigamiNames, baseSamples: 1024)
            Issue.record("a NaN output was accepted")
        } catch let e as SensitivityError {
            #expect(e.description.hasPrefix("the output of row 17 is nan"))
        }
        bad[17] = .infinity
        #expect(throws: SensitivityError.nonFiniteOutput(row: 17, value: .infinity)) {
            try SobolAnalysis.analyze(outputs: bad, factors: Fixture.ishigamiNames, baseSamples: 1024)
        }
        // constant A and B outputs (AB rows vary): V = 0
        var flat = y
        for j in 0..<1024 { flat[j * 5] = 2.5; flat[j * 5 + 4] = 2.5 }
        #expect(throws: SensitivityError.zeroVariance(mean: 2.5, variance: 0)) {
            try SobolAnalysis.analyze(outputs: flat, factors: Fixture.ishigamiNames, baseSamples: 1024)
        }
        #expect(SensitivityError.zeroVariance(mean: 2.5, variance: 0).description.contains("Sobol indices (shares of V) are undefined"))
        #expect(throws: SensitivityError.invalidConfidence(1)) {
            try SobolAnalysis.analyze(outputs: y, factors: Fixture.ishigamiNames, baseSamples: 1024, confidence: 1)
        }
        #expect(throws: SensitivityError.invalidBootstrap(1)) {
            try SobolAnalysis.analyze(outputs: y, factors: Fixture.ishigamiNames, baseSamples: 1024, bootstrap: 1)
        }
    }
}

/// Type-7 quantile, as NumPy's default (for checking the percentile CI independently).
func quantile(_ x: [Double], _ p: Double) -> Double {
    let s = x.sorted()
    let h = Double(s.count - 1) * p
    let lo = Int(h.rounded(.down)), hi = min(lo + 1, s.count - 1)
    return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
}
