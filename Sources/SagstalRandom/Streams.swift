import CGSL

/// The purposes that get their own random stream in every replication (MODEL.md §3).
///
/// Two scenarios run with the same seed share each stream, so their arrivals are
/// identical (common random numbers) whatever else differs.
public enum StreamPurpose: UInt64, CaseIterable, Sendable {
    /// Inter-arrival gaps of notifications and their thinning.
    case arrivals = 1
    /// Renotification, which child, escalation, outreach reach, screening, team.
    case routing = 2
    /// Assessment, sojourn and course durations.
    case durations = 3
    /// Assessment outcomes, ladder moves, outreach resolution.
    case decisions = 4
    /// Turnover and recruitment delays.
    case staff = 5
    /// Ages of children.
    case children = 6
}

/// The documented seed hash: `streamSeed(S, r, p)` for scenario seed S,
/// replication r and purpose p.
///
///     mix(x)  = SplitMix64 finaliser of x + 0x9E3779B97F4A7C15
///               (z ^= z >> 30; z *= 0xBF58476D1CE4E5B9; z ^= z >> 27;
///                z *= 0x94D049BB133111EB; z ^= z >> 31)
///     seed    = mix(mix(mix(S) ^ r) ^ p)
///
/// The result is passed to `gsl_rng_set`. GSL's mt19937 uses its low 32 bits
/// (a 0 there is replaced by GSL's default 4357). The seed depends on nothing
/// but (S, r, p), so a replication gives the same result on any thread,
/// in any order, on any machine.
public enum SeedHash {
    @inlinable
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public static func streamSeed(scenarioSeed: UInt64, replication: Int, purpose: StreamPurpose) -> UInt64 {
        mix(mix(mix(scenarioSeed) ^ UInt64(replication)) ^ purpose.rawValue)
    }
}

/// One GSL generator (`gsl_rng`), owned by this object and freed in `deinit`.
///
/// Not `Sendable`: one stream per replication and purpose, never shared between threads.
public final class RandomStream {
    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>
    public let generatorName: String

    /// Makes a generator of GSL type `generator` seeded with `seed`.
    /// - Throws: `GSLError.unknownGenerator` when GSL has no such generator.
    public init(generator: String = "mt19937", seed: UInt64) throws {
        GSL.configure()
        let type: UnsafePointer<gsl_rng_type>?
        if generator == "mt19937" {
            type = sagstal_rng_mt19937()
        } else {
            type = sagstal_rng_type_named(generator)
        }
        guard let type else { throw GSLError.unknownGenerator(generator) }
        guard let rng = gsl_rng_alloc(type) else { throw GSLError.allocationFailed("generator \(generator)") }
        self.rng = rng
        self.generatorName = generator
        gsl_rng_set(rng, UInt(truncatingIfNeeded: seed))
    }

    /// The stream of `purpose` for replication `replication` of a scenario seeded with `scenarioSeed`.
    public convenience init(generator: String = "mt19937", scenarioSeed: UInt64, replication: Int, purpose: StreamPurpose) throws {
        try self.init(generator: generator,
                      seed: SeedHash.streamSeed(scenarioSeed: scenarioSeed, replication: replication, purpose: purpose))
    }

    deinit { gsl_rng_free(rng) }

    /// U[0, 1) (`gsl_rng_uniform`).
    @inlinable public func uniform() -> Double { gsl_rng_uniform(rng) }

    /// U(0, 1) (`gsl_rng_uniform_pos`).
    @inlinable public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }

    /// True with probability p (a U[0,1) draw below p). p ≤ 0 never, p ≥ 1 always; one draw either way.
    @inlinable public func bernoulli(_ p: Double) -> Bool { gsl_rng_uniform(rng) < p }

    /// Exponential with the given mean (`gsl_ran_exponential`).
    @inlinable public func exponential(mean: Double) -> Double { gsl_ran_exponential(rng, mean) }

    /// Picks an index with probability proportional to `weights` (non-negative, positive sum)
    /// from one U[0,1) draw, scanning in order. Used for categorical choices whose
    /// weights change with the state (outcomes, ladder moves, teams).
    /// - Complexity: O(weights.count).
    @inlinable public func pick<C: RandomAccessCollection>(weights: C, total: Double) -> Int where C.Element == Double, C.Index == Int {
        RandomStream.pick(weights: weights, total: total, u: gsl_rng_uniform(rng))
    }

    /// The index `pick(weights:total:)` gives for a U[0,1) value `u` drawn beforehand.
    @inlinable public static func pick<C: RandomAccessCollection>(weights: C, total: Double, u: Double) -> Int
    where C.Element == Double, C.Index == Int {
        let u = u * total
        var acc = 0.0
        var last = weights.startIndex
        for i in weights.indices {
            let w = weights[i]
            if w > 0 {
                acc += w
                last = i
                if u < acc { return i }
            }
        }
        return last
    }

    /// Draws one variate of `distribution`.
    @inlinable public func sample(_ distribution: Distribution) -> Double {
        switch distribution {
        case .fixed(let v): return v
        case .exponential(let mean): return gsl_ran_exponential(rng, mean)
        case .gamma(let shape, let scale): return gsl_ran_gamma(rng, shape, scale)
        case .lognormal(let mu, let sigma): return gsl_ran_lognormal(rng, mu, sigma)
        case .weibull(let shape, let scale): return gsl_ran_weibull(rng, scale, shape)
        case .uniform(let lo, let hi): return gsl_ran_flat(rng, lo, hi)
        case .empirical(let table):
            let k = gsl_ran_discrete(rng, table.table)
            let v = table.values[k]
            return table.addsUniformFraction ? v + gsl_rng_uniform(rng) : v
        }
    }
}
