import CGSL
import Foundation
import Testing
@testable import SagstalRandom

/// The per-entity generators inline GSL's taus2 step, the replication streams GSL's mt19937 step
/// (issue 15: randomness stays GSL's). These tests hold the inlined draws to GSL's own functions,
/// draw for draw, bit for bit.
@Suite struct InlinedTaus2Tests {
    /// Two entity generators seeded alike; one drawn through the inlined path, one through GSL.
    func pair(key: UInt64) -> (EntityGenerators, EntityGenerators) {
        let a = EntityGenerators(), b = EntityGenerators()
        a.seed(0, key: key)
        b.seed(0, key: key)
        return (a, b)
    }

    @Test func inlinedUniformIsGSLUniformDrawForDraw() {
        for key in [UInt64(0), 1, 42, 0xDEAD_BEEF, .max] {
            let (a, b) = pair(key: key)
            let ref = b.generatorForTesting(0)
            for _ in 0..<20_000 {
                let x = a.uniform(0), y = gsl_rng_uniform(ref)
                #expect(x.bitPattern == y.bitPattern)
                if x.bitPattern != y.bitPattern { return }
            }
        }
    }

    @Test func inlinedStepIsGSLGetAndContinuesTheSameStream() {
        let (a, b) = pair(key: 7)
        let mine = a.generatorForTesting(0), ref = b.generatorForTesting(0)
        // Mix the inlined step with GSL's own calls on the same generator: one stream either way.
        for i in 0..<30_000 {
            let x: UInt = i % 3 == 0 ? gsl_rng_get(mine) : sagstal_taus2_get(mine)
            let y = gsl_rng_get(ref)
            #expect(x == y)
            if x != y { return }
        }
        #expect(gsl_rng_uniform(mine).bitPattern == gsl_rng_uniform(ref).bitPattern)
    }

    @Test func inlinedExponentialIsGSLExponential() {
        let (a, b) = pair(key: 99)
        let ref = b.generatorForTesting(0)
        for mean in [0.5, 1.0, 30.0, 365.25, 1e-3] {
            for _ in 0..<5_000 {
                let x = a.sample(.exponential(mean: mean), 0), y = gsl_ran_exponential(ref, mean)
                #expect(x.bitPattern == y.bitPattern)
                if x.bitPattern != y.bitPattern { return }
            }
        }
    }

    @Test func blockMadeGeneratorsAreGSLsTaus2() {
        // EntityGenerators makes its generators in blocks (sagstal_taus2_make) instead of one
        // gsl_rng_alloc each: the same GSL type and stream as an allocated taus2 given the same state.
        let g = EntityGenerators(blockSize: 4)
        for slot in 0..<10 { g.seed(slot, key: UInt64(slot) &* 77) }
        for slot in 0..<10 {
            guard let ref = gsl_rng_alloc(sagstal_rng_taus2()) else { Issue.record("no taus2"); return }
            defer { gsl_rng_free(ref) }
            let key = UInt64(slot) &* 77
            let a = SeedHash.mix(key), b = SeedHash.mix(key &+ 0x9E37_79B9_7F4A_7C15)
            #expect(sagstal_taus2_set_state(ref, UInt(a & 0xFFFF_FFFF), UInt(a >> 32), UInt(b & 0xFFFF_FFFF)) == 1)
            let mine = g.generatorForTesting(slot)
            #expect(String(cString: gsl_rng_name(mine)) == "taus2")
            for _ in 0..<1_000 { #expect(gsl_rng_get(mine) == gsl_rng_get(ref)) }
            #expect(gsl_ran_gamma(mine, 1.7, 20).bitPattern == gsl_ran_gamma(ref, 1.7, 20).bitPattern)
        }
    }

    @Test func otherDistributionsStillComeFromGSLOnTheSameStream() throws {
        let (a, b) = pair(key: 5)
        let ref = b.generatorForTesting(0)
        for _ in 0..<2_000 {
            #expect(a.sample(.gamma(shape: 2.5, scale: 40), 0).bitPattern == gsl_ran_gamma(ref, 2.5, 40).bitPattern)
            #expect(a.uniform(0).bitPattern == gsl_rng_uniform(ref).bitPattern)
            #expect(a.sample(.lognormal(mu: 3, sigma: 0.7), 0).bitPattern == gsl_ran_lognormal(ref, 3, 0.7).bitPattern)
        }
    }
}

@Suite struct InlinedMT19937Tests {
    @Test func inlinedMT19937IsGSLGetAcrossRefills() throws {
        // 5,000 draws cross eight refills of the 624-word state; mixing the inlined step with
        // gsl_rng_get on one generator must give the stream of a generator drawn by GSL alone.
        for seed in [UInt64(0), 1, 4357, 0xFFFF_FFFF, 0x1234_5678_9ABC] {
            let a = try RandomStream(seed: seed), b = try RandomStream(seed: seed)
            #expect(sagstal_rng_is_mt19937(a.generatorForTesting) != 0)
            let mine = a.generatorForTesting, ref = b.generatorForTesting
            for i in 0..<5_000 {
                let x: UInt = i % 5 == 0 ? gsl_rng_get(mine) : sagstal_mt19937_get(mine)
                let y = gsl_rng_get(ref)
                #expect(x == y)
                if x != y { return }
            }
        }
    }

    @Test func streamUniformAndExponentialAreGSLsForMT19937() throws {
        let a = try RandomStream(seed: 2024), b = try RandomStream(seed: 2024)
        let ref = b.generatorForTesting
        for i in 0..<4_000 {
            if i % 2 == 0 {
                #expect(a.uniform().bitPattern == gsl_rng_uniform(ref).bitPattern)
            } else {
                #expect(a.exponential(mean: 1 / 16.1).bitPattern == gsl_ran_exponential(ref, 1 / 16.1).bitPattern)
            }
        }
    }

    @Test func otherGeneratorsAreNotInlined() throws {
        let a = try RandomStream(generator: "mt19937_1999", seed: 9), b = try RandomStream(generator: "mt19937_1999", seed: 9)
        #expect(sagstal_rng_is_mt19937(a.generatorForTesting) == 0)
        for _ in 0..<1_000 { #expect(a.uniform().bitPattern == gsl_rng_uniform(b.generatorForTesting).bitPattern) }
        let r = try RandomStream(generator: "ranlxd2", seed: 9), s = try RandomStream(generator: "ranlxd2", seed: 9)
        for _ in 0..<1_000 { #expect(r.exponential(mean: 3).bitPattern == gsl_ran_exponential(s.generatorForTesting, 3).bitPattern) }
    }
}
