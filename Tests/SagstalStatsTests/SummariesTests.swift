import Testing
@testable import SagstalStats

/// SplitMix64: a tiny seedable generator so randomized tests can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func approx(_ a: Double?, _ b: Double, tol: Double = 1e-12) -> Bool {
    guard let a else { return false }
    return Swift.abs(a - b) <= tol * Swift.max(1, Swift.abs(b))
}

@Suite struct RunningStatsTests {
    @Test(arguments: [1, 2, 3, 42, 2026] as [UInt64])
    func matchesTwoPass(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let n = Int.random(in: 2...500, using: &rng)
        let xs = (0..<n).map { _ in 1e6 + Double.random(in: -50...50, using: &rng) }
        var rs = RunningStats()
        for x in xs { rs.add(x) }
        let mean = xs.reduce(0, +) / Double(n)
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)
        #expect(rs.count == n, "seed \(seed)")
        #expect(approx(rs.mean, mean, tol: 1e-13), "seed \(seed)")
        #expect(approx(rs.variance, variance, tol: 1e-9), "seed \(seed)")
        #expect(approx(rs.sd, variance.squareRoot(), tol: 1e-9), "seed \(seed)")
    }

    @Test func emptyAndSingle() {
        var rs = RunningStats()
        #expect(rs.count == 0 && rs.mean == 0 && rs.variance == 0)
        rs.add(7.5)
        #expect(rs.count == 1 && rs.mean == 7.5 && rs.variance == 0 && rs.sd == 0)
    }
}

@Suite struct SummariesTests {
    @Test func knownSampleOfFive() {
        let s = Summaries.summarize([1, 2, 3, 4, 5])
        let t = 2.7764451051977987
        #expect(s.n == 5)
        #expect(s.mean == 3)
        #expect(approx(s.sd, 2.5.squareRoot()))
        let half = t * 2.5.squareRoot() / 5.0.squareRoot()
        #expect(approx(s.ci95Lo, 3 - half))
        #expect(approx(s.ci95Hi, 3 + half))
        #expect(approx(s.p5, 1.2) && s.p50 == 3 && approx(s.p95, 4.8))
    }

    @Test func sdUsesNMinusOne() {
        let s = Summaries.summarize([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(s.mean == 5)
        #expect(approx(s.sd, (32.0 / 7).squareRoot()))
    }

    @Test func type7Percentiles() {
        let s = Summaries.summarize([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])  // order does not matter
        #expect(approx(s.p5, 1.45))
        #expect(approx(s.p50, 5.5))
        #expect(approx(s.p95, 9.55))
        let sorted = (1...10).map(Double.init)
        #expect(Summaries.quantile(sorted: sorted, 0) == 1)
        #expect(Summaries.quantile(sorted: sorted, 1) == 10)
        #expect(approx(Summaries.quantile(sorted: sorted, 0.25), 3.25))
        #expect(Summaries.quantile(sorted: [4, 4, 4], 0.3) == 4)
    }

    @Test func singleValue() {
        let s = Summaries.summarize([42.5])
        #expect(s == MetricSummary(n: 1, mean: 42.5, sd: 0, ci95Lo: 42.5, ci95Hi: 42.5, p5: 42.5, p50: 42.5, p95: 42.5))
    }

    @Test func nanIsLeftOut() {
        let with = Summaries.summarize([.nan, 1, 2, .nan, 3, 4, 5])
        let without = Summaries.summarize([1, 2, 3, 4, 5])
        #expect(with == without)
        #expect(with.n == 5)
    }

    @Test func allNaNOrEmptyGivesNils() {
        #expect(Summaries.summarize([.nan, .nan]) == .empty)
        #expect(Summaries.summarize([]) == .empty)
        let e = MetricSummary.empty
        #expect(e.n == 0 && e.mean == nil && e.sd == nil && e.ci95Lo == nil && e.ci95Hi == nil
                && e.p5 == nil && e.p50 == nil && e.p95 == nil)
    }

    @Test func constantSampleHasZeroWidthInterval() {
        let s = Summaries.summarize([3, 3, 3, 3])
        #expect(s.sd == 0 && s.ci95Lo == 3 && s.ci95Hi == 3 && s.p5 == 3 && s.p95 == 3)
    }
}
