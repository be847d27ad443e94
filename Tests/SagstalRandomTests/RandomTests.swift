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

    /// Issue 9, row 9: `ran1` and `ran2` crashed inside GSL's samplers; only the supported list is
    /// accepted, and every generator on it draws from every sampler sagstal uses.
    @Test func onlySupportedGeneratorsAreAcceptedAndEachOneSamples() throws {
        for name in ["ran0", "ran1", "ran2", "minstd", "rand", "randu", "ranmar"] {
            #expect(!GSL.hasGenerator(named: name), "\(name) should be refused")
        }
        let distributions: [Distribution] = [.exponential(mean: 10), .gamma(mean: 90, sd: 30), .lognormal(mean: 200, sd: 100),
                                             .weibull(shape: 1.5, scale: 400), .uniform(min: 0, max: 18),
                                             .empirical(try DiscreteTable(values: [0, 1, 2], weights: [1, 2, 3], addsUniformFraction: true))]
        for name in GSL.supportedGenerators {
            #expect(GSL.hasGenerator(named: name), "\(name) missing from the linked GSL")
            let r = try RandomStream(generator: name, seed: 2026)
            for d in distributions {
                for _ in 0..<200 {
                    let x = r.sample(d)
                    #expect(x.isFinite && x >= 0, "\(name): \(d) gave \(x)")
                }
            }
            let u = r.uniform()
            #expect(u >= 0 && u < 1)
        }
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

    /// StudentT.quantile is memoised per (p, ν): the same value again, from many threads at once.
    @Test func studentTQuantileMemoisedAndThreadSafe() {
        let dfs = (1...60).map(Double.init)
        let first = dfs.map { StudentT.quantile(0.975, degreesOfFreedom: $0) }
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var values: [[Double]] = []
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 8) { k in
            let v = (k % 2 == 0 ? dfs : dfs.reversed()).map { StudentT.quantile(0.975, degreesOfFreedom: $0) }
            results.lock.lock(); results.values.append(k % 2 == 0 ? v : v.reversed()); results.lock.unlock()
        }
        for v in results.values { #expect(v == first) }
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 4) - 2.7764451051977987) < 1e-9)
        #expect(StudentT.quantile(0.975, degreesOfFreedom: 0).isNaN)
    }
}

/// The per-entity keys and generators of MODEL.md §3 (version 2): documented values, and the
/// first draws over consecutive child keys (the property the per-child streams rely on: child n
/// and child n + 1 must not start with related numbers).
@Suite struct EntityStreamTests {
    @Test func fnv1a64DocumentedValues() {
        // FNV-1a 64: h = 0xcbf29ce484222325; per byte h = (h ^ b) · 0x100000001b3 mod 2^64. By hand for "abc":
        //   'a' (0x61): 0xcbf29ce484222325 ^ 0x61 = 0xcbf29ce484222344; · prime = 0xaf63dc4c8601ec8c
        //   'b' (0x62): 0xaf63dc4c8601ec8c ^ 0x62 = 0xaf63dc4c8601ecee; · prime = 0x089c4407b545986a
        //   'c' (0x63): 0x089c4407b545986a ^ 0x63 = 0x089c4407b5459809; · prime = 0xe71fa2190541574b
        #expect(SeedHash.fnv1a64("") == 0xCBF2_9CE4_8422_2325)
        #expect(SeedHash.fnv1a64("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(SeedHash.fnv1a64("ab") == 0x089C_4407_B545_986A)
        #expect(SeedHash.fnv1a64("abc") == 0xE71F_A219_0541_574B)
        #expect(SeedHash.fnv1a64("north") != SeedHash.fnv1a64("south"))
    }

    @Test func childAndPositionKeysFollowTheDocumentedHash() {
        // childKey = mix(mix(mix(mix(S) ^ r) ^ p) ^ n); positionKey = mix(mix(mix(mix(mix(S) ^ r) ^ 9) ^ fnv1a64(team)) ^ k).
        for (s, r, n) in [(1, 0, 0), (42, 3, 12345), (7, 99, 1 << 20)] as [(UInt64, Int, Int)] {
            for p in EntityPurpose.allCases {
                let expected = SeedHash.mix(SeedHash.mix(SeedHash.mix(SeedHash.mix(s) ^ UInt64(r)) ^ p.rawValue) ^ UInt64(n))
                #expect(SeedHash.childKey(scenarioSeed: s, replication: r, purpose: p, child: n) == expected, "S \(s), r \(r), \(p), n \(n)")
            }
        }
        #expect(SeedHash.positionKey(scenarioSeed: 5, replication: 2, teamID: "north", position: 3)
                == SeedHash.mix(SeedHash.mix(SeedHash.mix(SeedHash.mix(SeedHash.mix(5) ^ 2) ^ 9) ^ SeedHash.fnv1a64("north")) ^ 3))
        // Literal values from an independent implementation of the documented hash (Python, 64-bit integers).
        #expect(SeedHash.childKey(scenarioSeed: 1, replication: 0, purpose: .child, child: 0) == 0x13E2_2388_2108_6558)
        #expect(SeedHash.childKey(scenarioSeed: 42, replication: 3, purpose: .child, child: 12345) == 0xA3CC_AED9_F1D1_1B89)
        #expect(SeedHash.childKey(scenarioSeed: 1, replication: 0, purpose: .childFollowUp, child: 5) == 0x5960_74DB_EC2C_8410)
        #expect(SeedHash.positionKey(scenarioSeed: 1, replication: 0, teamID: "north", position: 0) == 0x0AA9_F22B_5B08_CB06)
        #expect(SeedHash.positionKey(scenarioSeed: 42, replication: 3, teamID: "t", position: 2) == 0x4A60_907B_F04D_E6C9)
        // The documented purposes.
        #expect(EntityPurpose.child.rawValue == 7 && EntityPurpose.childFollowUp.rawValue == 8 && EntityPurpose.position.rawValue == 9
                && EntityPurpose.renotifiedChild.rawValue == 10 && EntityPurpose.childTransfer.rawValue == 11)
    }

    @Test func entityGeneratorStateFromTheDocumentedKeyMapping() {
        // taus2 with (s1, s2, s3) = (low, high half of mix(z), low half of mix(z + 0x9E3779B97F4A7C15)), then
        // GSL's taus2 step; first three U[0,1) for z = childKey(1, 0, child, 0), computed independently in Python.
        let g = EntityGenerators()
        g.seed(0, key: 0x13E2_2388_2108_6558)
        #expect([g.uniform(0), g.uniform(0), g.uniform(0)] == [0.5847434401512146, 0.8641683596652001, 0.3725321018137038])
        g.seed(0, key: 0)
        #expect([g.uniform(0), g.uniform(0)] == [0.20761046768166125, 0.5771465338766575])
        #expect(EntityGenerators.generatorName == "taus2")
    }

    @Test func sameKeySameSequenceDifferentKeysDifferent() {
        let g = EntityGenerators()
        let k1 = SeedHash.childKey(scenarioSeed: 3, replication: 1, purpose: .child, child: 17)
        let k2 = SeedHash.childKey(scenarioSeed: 3, replication: 1, purpose: .child, child: 18)
        g.seed(0, key: k1)
        g.seed(5, key: k1)           // another slot (slots 1…4 allocated on the way)
        #expect(g.count == 6)
        let a = (0..<1000).map { _ in g.uniform(0) }
        let b = (0..<1000).map { _ in g.uniform(5) }
        #expect(a == b, "same key → same sequence, whatever the slot")
        g.seed(0, key: k1)           // reseeding restarts the sequence
        #expect((0..<1000).map { _ in g.uniform(0) } == a)
        g.seed(0, key: k2)
        let c = (0..<1000).map { _ in g.uniform(0) }
        #expect(c != a && zip(a, c).filter { $0 == $1 }.count < 3, "different keys → different sequences")
        // Samples from a slot follow the slot's own sequence (a fixed value draws nothing).
        g.seed(1, key: k1)
        #expect(g.sample(.fixed(3), 1) == 3 && g.uniform(1) == a[0])
    }

    /// First U[0,1) of each of n = 100,000 consecutive child keys (seed 1, replication 0, children 0…n−1):
    /// - mean within 3 SE of ½ (SE = √(1/12/n) = 0.000913);
    /// - lag-1 correlation between child k and child k + 1 within 3/√n = 0.0095 of 0;
    /// - χ² over 10 equal bins (expected n/10 each, 9 degrees of freedom) below its 0.999 quantile 27.88.
    /// (Checked while writing with the same computation in Python for seeds 10…39: mean z² of the
    /// lag-1 statistic 1.06, as for independent draws; seed 1 gives z = 2.18.)
    @Test func firstDrawsOverConsecutiveChildKeys() {
        let n = 100_000
        let g = EntityGenerators()
        var u = [Double](repeating: 0, count: n)
        for k in 0..<n {
            g.seed(0, key: SeedHash.childKey(scenarioSeed: 1, replication: 0, purpose: .child, child: k))
            u[k] = g.uniform(0)
        }
        let mean = u.reduce(0, +) / Double(n)
        let se = (1.0 / 12 / Double(n)).squareRoot()
        var num = 0.0, den = 0.0
        for k in 0..<n {
            den += (u[k] - mean) * (u[k] - mean)
            if k + 1 < n { num += (u[k] - mean) * (u[k + 1] - mean) }
        }
        let rho = num / den
        var bins = [Int](repeating: 0, count: 10)
        for x in u { bins[min(9, Int(x * 10))] += 1 }
        let expected = Double(n) / 10
        let chi2 = bins.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        print("ES first draws of \(n) child keys: mean \(mean) (z \((mean - 0.5) / se)), lag-1 ρ \(rho) (z \(rho * Double(n).squareRoot())), χ²(9) \(chi2), bins \(bins)")
        #expect(abs(mean - 0.5) <= 3 * se, "mean \(mean), expected 0.5 ± \(3 * se)")
        #expect(abs(rho) <= 3 / Double(n).squareRoot(), "lag-1 correlation \(rho), limit \(3 / Double(n).squareRoot())")
        #expect(chi2 < 27.88, "χ² \(chi2) over bins \(bins)")
    }
}
