import Foundation
import Testing
@testable import SagstalRandom

@Suite struct SeedHashTests {
    @Test func seedsDependOnlyOnSeedReplicationAndPurpose() {
        let a = SeedHash.streamSeed(scenarioSeed: 1, replication: 3, purpose: .arrivals)
        #expect(a == SeedHash.streamSeed(scenarioSeed: 1, replication: 3, purpose: .arrivals))
        var seen: Set<UInt64> = []
        for r in 0..<200 { for p in StreamPurpose.allCases { seen.insert(SeedHash.streamSeed(scenarioSeed: 42, replication: r, purpose: p)) } }
        #expect(seen.count == 200 * StreamPurpose.allCases.count)
    }

    @Test func documentedSplitMixConstants() {
        // SplitMix64 reference: the first output of a SplitMix64 generator seeded with 0 is
        // mix(0) = 0xE220A8397B1DCDAF.
        #expect(SeedHash.mix(0) == 0xE220_A839_7B1D_CDAF)
    }

    @Test func streamsAreReproducibleAndIndependentOfCreationOrder() throws {
        let a1 = try RandomStream(scenarioSeed: 9, replication: 5, purpose: .arrivals)
        _ = try RandomStream(scenarioSeed: 9, replication: 4, purpose: .arrivals)
        let a2 = try RandomStream(scenarioSeed: 9, replication: 5, purpose: .arrivals)
        for _ in 0..<100 { #expect(a1.uniform() == a2.uniform()) }
        let b = try RandomStream(scenarioSeed: 9, replication: 5, purpose: .renotifications)
        let c = try RandomStream(scenarioSeed: 9, replication: 5, purpose: .arrivals)
        #expect((0..<10).map { _ in b.uniform() } != (0..<10).map { _ in c.uniform() })
    }

    @Test func otherGeneratorsByNameAndUnknownRejected() throws {
        #expect(GSL.hasGenerator(named: "mt19937"))
        #expect(GSL.hasGenerator(named: "ranlxd2"))
        #expect(!GSL.hasGenerator(named: "mt1993"))
        let r = try RandomStream(generator: "taus2", seed: 1)
        #expect(r.generatorName == "taus2")
        #expect(throws: GSLError.unknownGenerator("nope")) { try RandomStream(generator: "nope", seed: 1) }
    }
}

/// Sample moments of every distribution of MODEL.md §3 against their theoretical values,
/// with tolerances of 4 standard errors (fixed seeds).
@Suite struct DistributionTests {
    static func moments(_ d: Distribution, n: Int = 40_000, seed: UInt64 = 11) throws -> (mean: Double, variance: Double) {
        let r = try RandomStream(seed: seed)
        var sum = 0.0, sum2 = 0.0
        for _ in 0..<n {
            let x = r.sample(d)
            sum += x
            sum2 += x * x
        }
        let m = sum / Double(n)
        return (m, (sum2 - Double(n) * m * m) / Double(n - 1))
    }

    static func expectMean(_ d: Distribution, mean: Double, variance: Double, _ label: String) throws {
        let n = 40_000
        let got = try moments(d, n: n)
        let se = (variance / Double(n)).squareRoot()
        #expect(abs(got.mean - mean) <= 4 * se, "\(label): mean \(got.mean) vs \(mean) (SE \(se))")
        // Variance within 10 % (the SE of a sample variance depends on the 4th moment).
        if variance > 0 { #expect(abs(got.variance / variance - 1) < 0.1, "\(label): variance \(got.variance) vs \(variance)") }
    }

    @Test func gammaFromMeanAndSD() throws {
        let d = Distribution.gamma(mean: 70, sd: 30)
        guard case .gamma(let k, let theta) = d else { Issue.record("not gamma"); return }
        #expect(abs(k - (70.0 / 30) * (70.0 / 30)) < 1e-12)
        #expect(abs(theta - 900.0 / 70) < 1e-12)
        try Self.expectMean(d, mean: 70, variance: 900, "gamma")
    }

    @Test func lognormalFromMeanAndSD() throws {
        let d = Distribution.lognormal(mean: 240, sd: 150)
        try Self.expectMean(d, mean: 240, variance: 150 * 150, "lognormal")
        #expect(abs(d.mean - 240) < 1e-9)
    }

    @Test func exponentialWeibullUniform() throws {
        try Self.expectMean(.exponential(mean: 5), mean: 5, variance: 25, "exponential")
        // Weibull(shape k, scale λ): mean λΓ(1+1/k), variance λ²(Γ(1+2/k) − Γ(1+1/k)²).
        let k = 1.5, l = 400.0
        let m = l * tgamma(1 + 1 / k)
        try Self.expectMean(.weibull(shape: k, scale: l), mean: m, variance: l * l * tgamma(1 + 2 / k) - m * m, "weibull")
        try Self.expectMean(.uniform(min: 2, max: 8), mean: 5, variance: 3, "uniform")
    }

    @Test func zeroSDIsFixed() {
        guard case .fixed(let v) = Distribution.gamma(mean: 12, sd: 0) else { Issue.record("gamma sd 0 not fixed"); return }
        #expect(v == 12)
        guard case .fixed(let w) = Distribution.lognormal(mean: 7, sd: 0) else { Issue.record("lognormal sd 0 not fixed"); return }
        #expect(w == 7)
    }

    @Test func empiricalFrequenciesAndCompletedYears() throws {
        let table = try DiscreteTable(values: [0, 1, 2], weights: [1, 2, 7], addsUniformFraction: true)
        let r = try RandomStream(seed: 3)
        var counts = [0, 0, 0]
        let n = 20_000
        for _ in 0..<n {
            let x = r.sample(.empirical(table))
            #expect(x >= 0 && x < 3)
            counts[Int(x)] += 1
        }
        for (i, p) in [0.1, 0.2, 0.7].enumerated() {
            let se = (p * (1 - p) / Double(n)).squareRoot()
            #expect(abs(Double(counts[i]) / Double(n) - p) <= 4 * se, "value \(i): \(counts[i])")
        }
        #expect(abs(table.mean - (0.2 + 1.4 + 0.5)) < 1e-12)
    }

    @Test func empiricalRejectsBadTables() {
        #expect(throws: GSLError.self) { try DiscreteTable(values: [1, 2], weights: [1]) }
        #expect(throws: GSLError.self) { try DiscreteTable(values: [1, 2], weights: [0, 0]) }
        #expect(throws: GSLError.self) { try DiscreteTable(values: [1], weights: [-1]) }
    }

    @Test func pickFollowsWeightsAndSkipsZeros() throws {
        let r = try RandomStream(seed: 5)
        let w = [0.0, 3.0, 0.0, 1.0]
        var counts = [0, 0, 0, 0]
        for _ in 0..<8000 { counts[r.pick(weights: w, total: 4)] += 1 }
        #expect(counts[0] == 0 && counts[2] == 0)
        let se = (0.25 * 0.75 / 8000).squareRoot()
        #expect(abs(Double(counts[3]) / 8000 - 0.25) <= 4 * se, "\(counts)")
    }

    @Test func studentTQuantiles() {
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 4) - 2.7764451051977987) < 1e-9)
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 1e6) - 1.959963984540054) < 1e-5)
        #expect(StudentT.quantile(1.5, degreesOfFreedom: 3).isNaN)
    }
}
