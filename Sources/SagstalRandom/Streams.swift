import CGSL

/// The replication-level streams (MODEL.md §3, version 2).
///
/// Only the arrival process and the renotification draws are shared by the whole replication;
/// every other draw belongs to a child or a position and comes from its own generator
/// (`EntityGenerators`). Two scenarios run with the same seed share these streams, so their
/// notifications arrive at the same times and the same ones are renotifications.
public enum StreamPurpose: UInt64, CaseIterable, Sendable {
    /// Inter-arrival gaps of notifications and their thinning.
    case arrivals = 1
    /// Renotification yes/no, which child, escalation yes/no (three uniforms per arrival).
    case renotifications = 2
}

/// The owners of per-entity generators (MODEL.md §3, version 2).
public enum EntityPurpose: UInt64, CaseIterable, Sendable {
    /// A child's path: age, outreach reach, screening, team, durations, decisions, transfers.
    case child = 7
    /// A child's statutory follow-ups (kept apart so that the number of visits, which depends on
    /// the durations, never shifts the child's path draws).
    case childFollowUp = 8
    /// A position of a team: turnover draws and recruitment delays.
    case position = 9
    /// Which child a renotification concerns, keyed by the arrival number instead of a child.
    case renotifiedChild = 10
    /// The team a child transfers to, keyed by (child, its transfer count).
    case childTransfer = 11
}

/// The documented seed hash.
///
///     mix(x)  = SplitMix64 finaliser of x + 0x9E3779B97F4A7C15
///               (z ^= z >> 30; z *= 0xBF58476D1CE4E5B9; z ^= z >> 27;
///                z *= 0x94D049BB133111EB; z ^= z >> 31)
///     replication stream:  mix(mix(mix(S) ^ r) ^ p)                 p = 1 arrivals, 2 renotifications
///     child n:             mix(mix(mix(mix(S) ^ r) ^ p) ^ n)        p = 7 path
///     keyed single draws:  key = childKey(S, r, p, n) ^ j              p = 8 follow-up (n child, j = f·2^32 + due),
///                                                                   p = 10 renotified child (n = arrival number, j = 0),
///                                                                   p = 11 transfer (n child, j = transfer count)
///     position k of team:  mix(mix(mix(mix(mix(S) ^ r) ^ 9) ^ fnv1a64(team id)) ^ k)
///
/// A replication stream's seed is passed to `gsl_rng_set` (GSL's mt19937 uses its low 32 bits).
/// An entity key z sets the three 32-bit words of a `taus2` generator directly from
/// mix(z) (low and high half) and mix(z + 0x9E3779B97F4A7C15) (low half), so entity streams have
/// 2^88 possible starting states rather than the 2^32 of `gsl_rng_set`. Keys depend on nothing
/// but their arguments, so a replication gives the same result on any thread, in any order, on
/// any machine, and child n of replication r is seeded alike whatever the policy.
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

    /// The key of child `number` (0-based, in order of creation within the replication).
    @inlinable
    public static func childKey(scenarioSeed: UInt64, replication: Int, purpose: EntityPurpose, child number: Int) -> UInt64 {
        mix(mix(mix(mix(scenarioSeed) ^ UInt64(replication)) ^ purpose.rawValue) ^ UInt64(number))
    }

    /// The key of the `number`-th position created in the team `teamID` (0-based, initial positions first).
    public static func positionKey(scenarioSeed: UInt64, replication: Int, teamID: String, position number: Int) -> UInt64 {
        mix(mix(mix(mix(mix(scenarioSeed) ^ UInt64(replication)) ^ EntityPurpose.position.rawValue) ^ fnv1a64(teamID))
            ^ UInt64(number))
    }

    /// FNV-1a, 64 bits, over the UTF-8 bytes of `text` (offset 0xcbf29ce484222325, prime 0x100000001b3).
    public static func fnv1a64(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }
}

/// One GSL generator (`gsl_rng`), owned by this object and freed in `deinit`.
///
/// Not `Sendable`: one stream per replication and purpose, never shared between threads.
public final class RandomStream {
    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>
    public let generatorName: String
    /// The generator is GSL's mt19937: `uniform` and `exponential` then use its inlined step
    /// (`sagstal_mt19937_uniform` in the CGSL shim; the same numbers, tested against GSL).
    @usableFromInline let inlinedMT19937: Bool

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
        inlinedMT19937 = sagstal_rng_is_mt19937(rng) != 0
        gsl_rng_set(rng, UInt(truncatingIfNeeded: seed))
    }

    /// The stream of `purpose` for replication `replication` of a scenario seeded with `scenarioSeed`.
    public convenience init(generator: String = "mt19937", scenarioSeed: UInt64, replication: Int, purpose: StreamPurpose) throws {
        try self.init(generator: generator,
                      seed: SeedHash.streamSeed(scenarioSeed: scenarioSeed, replication: replication, purpose: purpose))
    }

    deinit { gsl_rng_free(rng) }

    /// The GSL generator, for tests that compare the inlined draws with GSL's own.
    public var generatorForTesting: UnsafeMutablePointer<gsl_rng> { rng }

    /// U[0, 1) (`gsl_rng_uniform`; for mt19937 its step inlined, the same numbers).
    @inlinable public func uniform() -> Double { inlinedMT19937 ? sagstal_mt19937_uniform(rng) : gsl_rng_uniform(rng) }

    /// U(0, 1) (`gsl_rng_uniform_pos`).
    @inlinable public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }

    /// True with probability p (a U[0,1) draw below p). p ≤ 0 never, p ≥ 1 always; one draw either way.
    @inlinable public func bernoulli(_ p: Double) -> Bool { uniform() < p }

    /// Exponential with the given mean (`gsl_ran_exponential`: −μ·log1p(−u); for mt19937 GSL's
    /// formula on the inlined uniform, the same numbers).
    @inlinable public func exponential(mean: Double) -> Double {
        inlinedMT19937 ? RandomStream.exponential(mean: mean, u: sagstal_mt19937_uniform(rng)) : gsl_ran_exponential(rng, mean)
    }

    /// `gsl_ran_exponential`'s formula (GSL 2.x randist/exponential.c) on a U[0,1) value u drawn
    /// beforehand: −μ·log1p(−u).
    @inlinable static func exponential(mean: Double, u: Double) -> Double { -mean * log1p(-u) }

    /// Normal with mean 0 and standard deviation `sd` (`gsl_ran_gaussian`, the polar Box–Muller
    /// method). The model draws no normals; the optimiser's tests use them for constructed problems.
    @inlinable public func gaussian(sd: Double) -> Double { gsl_ran_gaussian(rng, sd) }

    /// Picks an index with probability proportional to `weights` (non-negative, positive sum)
    /// from one U[0,1) draw, scanning in order. Used for categorical choices whose
    /// weights change with the state (outcomes, ladder moves, teams).
    /// - Complexity: O(weights.count).
    @inlinable public func pick<C: RandomAccessCollection>(weights: C, total: Double) -> Int where C.Element == Double, C.Index == Int {
        RandomStream.pick(weights: weights, total: total, u: uniform())
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
        RandomStream.sample(distribution, rng)
    }

    /// One variate of `distribution` from generator `rng` (`gsl_ran_*`).
    @inlinable static func sample(_ distribution: Distribution, _ rng: UnsafeMutablePointer<gsl_rng>) -> Double {
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

/// The per-entity generators of one replication (MODEL.md §3, version 2): one GSL `taus2`
/// generator per slot (a child slot or a position), reseeded from an entity key whenever a new
/// entity takes the slot.
///
/// taus2 (L'Ecuyer's maximally equidistributed combined Tausworthe generator, period 2^88) has a
/// state of three words and costs three shifts and xors per draw, so a replication can afford
/// one per child. Slots are allocated on demand and kept for the replication's life.
/// Not `Sendable`: one set per replication, never shared between threads.
public final class EntityGenerators {
    @usableFromInline var rngs: [UnsafeMutablePointer<gsl_rng>] = []
    /// Blocks of `blockSize` generators made in one allocation each (`sagstal_taus2_make`).
    private var blocks: [(rngs: UnsafeMutablePointer<gsl_rng>, states: UnsafeMutablePointer<sagstal_taus_state>)] = []
    /// Generators from `gsl_rng_alloc` (only if GSL's taus2 state had another layout).
    private var allocated: [UnsafeMutablePointer<gsl_rng>] = []
    private let blockSize: Int

    /// The GSL name of the per-entity generator, as recorded in the outputs.
    public static let generatorName = "taus2"

    /// - Parameter blockSize: generators allocated at a time (the keyed stream needs one).
    public init(blockSize: Int = 256) {
        GSL.configure()
        self.blockSize = max(1, blockSize)
    }

    deinit {
        for b in blocks {
            b.rngs.deallocate()
            b.states.deallocate()
        }
        for r in allocated { gsl_rng_free(r) }
    }

    /// Number of slots in use: one more than the highest slot seeded so far.
    public private(set) var count = 0

    private func grow() {
        if sagstal_taus2_state_fits() != 0 {
            let r = UnsafeMutablePointer<gsl_rng>.allocate(capacity: blockSize)
            let s = UnsafeMutablePointer<sagstal_taus_state>.allocate(capacity: blockSize)
            s.initialize(repeating: sagstal_taus_state(s1: 2, s2: 8, s3: 16), count: blockSize)
            sagstal_taus2_make(r, s, blockSize)
            blocks.append((r, s))
            for i in 0..<blockSize { rngs.append(r + i) }
        } else {
            guard let r = gsl_rng_alloc(sagstal_rng_taus2()) else {
                preconditionFailure("GSL could not allocate a taus2 generator")
            }
            allocated.append(r)
            rngs.append(r)
        }
    }

    /// Gives slot `slot` (allocating up to it) the starting state of entity key `key`.
    /// - Complexity: O(1) amortised.
    public func seed(_ slot: Int, key: UInt64) {
        while rngs.count <= slot { grow() }
        count = max(count, slot + 1)
        let a = SeedHash.mix(key), b = SeedHash.mix(key &+ 0x9E37_79B9_7F4A_7C15)
        if sagstal_taus2_set_state(rngs[slot], UInt(a & 0xFFFF_FFFF), UInt(a >> 32), UInt(b & 0xFFFF_FFFF)) == 0 {
            gsl_rng_set(rngs[slot], UInt(truncatingIfNeeded: a))
        }
    }

    /// U[0, 1) from slot `slot`: `gsl_rng_uniform`, with GSL's taus2 step inlined
    /// (`sagstal_taus2_uniform` in the CGSL shim; the same numbers, tested against GSL).
    @inlinable public func uniform(_ slot: Int) -> Double { sagstal_taus2_uniform(rngs[slot]) }

    /// One variate of `distribution` from slot `slot` (`gsl_ran_*`). The exponential, the model's
    /// most frequent duration, is GSL's formula (`gsl_ran_exponential`: −μ·log1p(−u), u from
    /// `gsl_rng_uniform`) on the inlined uniform; the others call GSL's samplers.
    @inlinable public func sample(_ distribution: Distribution, _ slot: Int) -> Double {
        let rng = rngs[slot]
        switch distribution {
        case .fixed(let v): return v
        case .exponential(let mean): return RandomStream.exponential(mean: mean, u: sagstal_taus2_uniform(rng))
        default: return RandomStream.sample(distribution, rng)
        }
    }

    /// The generator of slot `slot`, for tests that compare the inlined draws with GSL's own.
    public func generatorForTesting(_ slot: Int) -> UnsafeMutablePointer<gsl_rng> { rngs[slot] }
}
