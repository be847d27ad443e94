import SagstalRandom

/// Morris (1991) one-at-a-time trajectories on a p-level grid.
public enum MorrisSample {
    /// Δ = p / (2(p − 1)) in unit-cube units (SALib's `_compute_delta`): 2/3 for p = 4.
    public static func delta(levels p: Int) -> Double { Double(p) / (2.0 * Double(p - 1)) }

    /// r trajectories of D + 1 points each, trajectory-major: r·(D+1) rows, scaled to the
    /// factors' ranges by u·(hi − lo) + lo.
    ///
    /// The grid is {0, 1/(p−1), …, 1} in the unit cube and Δ = p/(2(p−1)) = (p/2) grid steps.
    /// Each trajectory is Morris's (1991) B* = (J x* + (Δ/2)[(2B − J)D* + J]) P*, as SALib's
    /// `_generate_trajectory` builds it:
    /// 1. a base point x*: each factor's level uniform over the lower half {0, …, p/2 − 1}
    ///    (`gsl_rng_uniform_int(r, p/2)`, factor by factor);
    /// 2. a direction per factor, +Δ or −Δ (`gsl_rng_uniform_int(r, 2)`: 0 is +, 1 is −);
    /// 3. the order in which the factors move, a random permutation (`gsl_ran_shuffle` of 0…D−1).
    /// The first point has factor i at x*_i when it will move up and at x*_i + Δ when it will move
    /// down; point k moves the k-th factor of the order by its ±Δ. Every point is on the grid.
    /// The draws come from mt19937 seeded by mix(mix(seed) ^ 0x52) (`SeedHash.mix`), trajectory
    /// after trajectory, so the same seed gives the same sample.
    ///
    /// - Parameters:
    ///   - factors: D factors with lo < hi and unique names.
    ///   - r: trajectories, ≥ 2 (σ needs two effects per factor).
    ///   - p: grid levels, even and ≥ 2 (SALib's default 4).
    ///   - seed: seed of the generator.
    /// - Throws: `SensitivityError` for bad factors, r or p.
    public static func trajectories(_ factors: [FactorRange], trajectories r: Int, levels p: Int = 4,
                                    seed: UInt64 = 1) throws -> [[Double]] {
        try Checks.factors(factors)
        guard r >= 2 else { throw SensitivityError.tooFewSamples(what: "trajectories", found: r, minimum: 2) }
        guard p >= 2, p % 2 == 0 else { throw SensitivityError.invalidLevels(p) }
        let d = factors.count
        let half = p / 2
        let top = Double(p - 1)
        let rng = Bootstrap.stream(seed: seed, purpose: Bootstrap.morrisTrajectories)
        var rows: [[Double]] = []
        rows.reserveCapacity(r * (d + 1))
        for _ in 0..<r {
            let start = (0..<d).map { _ in rng.uniformInt(below: half) }
            let up = (0..<d).map { _ in rng.uniformInt(below: 2) == 0 }
            var order = Array(0..<d)
            rng.shuffle(&order)
            var level = (0..<d).map { up[$0] ? start[$0] : start[$0] + half }
            func row() -> [Double] { (0..<d).map { factors[$0].scale(Double(level[$0]) / top) } }
            rows.append(row())
            for i in order {
                level[i] += up[i] ? half : -half
                rows.append(row())
            }
        }
        return rows
    }
}

/// Morris elementary-effect statistics of one output.
///
/// **Which CI is public.** `muStarCI` is the bootstrap percentile interval of μ* (the
/// (1−c)/2 and (1+c)/2 quantiles of μ* over resamples of each factor's r effects); SALib's
/// interval μ* ± z·sd is `muStarNormalCI` and its half-width (SALib's `mu_star_conf`)
/// `muStarConf`. The percentile interval stays ≥ 0, as μ* does; the normal one need not.
public struct MorrisIndices: Sendable, Equatable {
    public let factors: [String]
    /// μ: mean of the elementary effects (signed).
    public let mu: [Double]
    /// μ*: mean of their absolute values (Campolongo, Cariboni & Saltelli 2007).
    public let muStar: [Double]
    /// σ: their standard deviation (n − 1, as SALib).
    public let sigma: [Double]
    /// Bootstrap percentile interval of μ* (the public CI).
    public let muStarCI: [Interval]
    /// μ* ± z·sd of the bootstrap estimates (SALib's interval).
    public let muStarNormalCI: [Interval]
    /// z·sd of the bootstrap estimates of μ* (SALib's `mu_star_conf`).
    public let muStarConf: [Double]
    /// The elementary effects, `effects[i][t]`: factor i, trajectory t.
    public let effects: [[Double]]
    public let trajectories: Int
    public let levels: Int
    /// Model evaluations: r·(D+1).
    public let evaluations: Int
    public let bootstrap: Int
    public let confidence: Double
    public let seed: UInt64

    public init(factors: [String], mu: [Double], muStar: [Double], sigma: [Double], muStarCI: [Interval],
                muStarNormalCI: [Interval], muStarConf: [Double], effects: [[Double]], trajectories: Int,
                levels: Int, evaluations: Int, bootstrap: Int, confidence: Double, seed: UInt64) {
        self.factors = factors
        self.mu = mu
        self.muStar = muStar
        self.sigma = sigma
        self.muStarCI = muStarCI
        self.muStarNormalCI = muStarNormalCI
        self.muStarConf = muStarConf
        self.effects = effects
        self.trajectories = trajectories
        self.levels = levels
        self.evaluations = evaluations
        self.bootstrap = bootstrap
        self.confidence = confidence
        self.seed = seed
    }

    /// The factors whose μ* percentile CI is wider than μ* itself (see ``WideInterval``).
    public var wideIntervals: [WideInterval] {
        Bootstrap.wide("mu_star", factors: factors, values: muStar, intervals: muStarCI)
    }

    /// Factor names by decreasing μ* (ties keep the factor order).
    public var ranking: [String] {
        factors.indices.sorted { muStar[$0] > muStar[$1] || (muStar[$0] == muStar[$1] && $0 < $1) }.map { factors[$0] }
    }
}

/// Elementary effects and their statistics from any valid trajectory sample.
public enum MorrisAnalysis {
    /// How far (unit-cube units) a coordinate may be from where it should be, for rounding in
    /// the scaling and in a CSV round trip.
    static let tolerance = 1e-9

    /// The elementary effects `[factor][trajectory]` of a trajectory sample.
    ///
    /// The rows are read as trajectories of D + 1 rows (trajectory-major). In each trajectory
    /// every step between consecutive rows must move exactly one factor, by ±Δ (unit-cube units,
    /// within 1e-9), and every factor exactly once. EE_i = (y(x with x_i at its higher value)
    /// − y(x with x_i at its lower value)) / Δ, Δ the nominal p/(2(p−1)) — SALib's
    /// `(result_increased − result_decreased) / delta`, so the effects are per unit-cube step
    /// whatever the factors' ranges (multiply by 1/(hi − lo) for effects per unit of the factor).
    public static func elementaryEffects(sample: [[Double]], outputs y: [Double], factors: [FactorRange],
                                         levels p: Int = 4) throws -> [[Double]] {
        try Checks.factors(factors)
        guard p >= 2, p % 2 == 0 else { throw SensitivityError.invalidLevels(p) }
        let d = factors.count
        guard sample.count == y.count else {
            throw SensitivityError.outputCountMismatch(expected: sample.count, found: y.count,
                                                       layout: "a Morris sample of \(sample.count) rows (one output per row)")
        }
        guard sample.count % (d + 1) == 0 else {
            throw SensitivityError.trajectoryRowCount(rows: sample.count, factors: d)
        }
        let r = sample.count / (d + 1)
        guard r >= 2 else { throw SensitivityError.tooFewSamples(what: "trajectories", found: r, minimum: 2) }
        try Checks.outputs(y)

        var unit = [[Double]]()
        unit.reserveCapacity(sample.count)
        for (row, x) in sample.enumerated() {
            guard x.count == d else { throw SensitivityError.rowLength(row: row, expected: d, found: x.count) }
            var u = [Double](repeating: 0, count: d)
            for i in 0..<d {
                let f = factors[i]
                guard x[i].isFinite else { throw SensitivityError.nonFiniteInput(row: row, factor: f.name, value: x[i]) }
                u[i] = f.unscale(x[i])
                guard u[i] >= -tolerance, u[i] <= 1 + tolerance else {
                    throw SensitivityError.inputOutOfRange(row: row, factor: f.name, value: x[i], lo: f.lo, hi: f.hi)
                }
            }
            unit.append(u)
        }

        let delta = MorrisSample.delta(levels: p)
        var ee = [[Double]](repeating: [Double](repeating: 0, count: r), count: d)
        for t in 0..<r {
            var moved = [Bool](repeating: false, count: d)
            for s in 1...d {
                let row = t * (d + 1) + s
                let before = unit[row - 1], after = unit[row]
                let changed = (0..<d).filter { abs(after[$0] - before[$0]) > tolerance }
                guard changed.count == 1 else {
                    let why = changed.isEmpty
                        ? "no factor changes from row \(row - 1) to row \(row); each step of a trajectory moves one factor"
                        : "\(changed.count) factors (\(changed.map { factors[$0].name }.joined(separator: ", "))) change from row \(row - 1) to row \(row); each step of a trajectory moves one factor"
                    throw SensitivityError.invalidTrajectory(trajectory: t, row: row, why: why)
                }
                let i = changed[0]
                let step = after[i] - before[i]
                guard abs(abs(step) - delta) <= 1e-6 else {
                    throw SensitivityError.invalidTrajectory(trajectory: t, row: row,
                        why: "factor '\(factors[i].name)' moves by \(abs(step)) of its range, but Δ for \(p) levels is \(delta) (p/(2(p−1))): pass the levels the sample was made with")
                }
                guard !moved[i] else {
                    throw SensitivityError.invalidTrajectory(trajectory: t, row: row,
                        why: "factor '\(factors[i].name)' moves a second time; each factor moves once per trajectory")
                }
                moved[i] = true
                ee[i][t] = step > 0 ? (y[row] - y[row - 1]) / delta : (y[row - 1] - y[row]) / delta
            }
        }
        return ee
    }

    /// The bootstrap estimates of μ*, `[factor][resample]`: factor by factor, `bootstrap`
    /// resamples of its r effects with replacement (indices `gsl_rng_uniform_int(r, r)`), from
    /// mt19937 seeded by mix(mix(seed) ^ 0x53).
    static func muStarResamples(_ ee: [[Double]], bootstrap: Int, seed: UInt64) -> [[Double]] {
        let rng = Bootstrap.stream(seed: seed, purpose: Bootstrap.morrisResamples)
        return ee.map { effects in
            let r = effects.count
            return (0..<bootstrap).map { _ in
                var acc = 0.0
                for _ in 0..<r { acc += abs(effects[rng.uniformInt(below: r)]) }
                return acc / Double(r)
            }
        }
    }

    /// μ, μ*, σ and the bootstrap CI of μ* of one output.
    ///
    /// The CI resamples, for each factor separately and as SALib does, its r effects with
    /// replacement `bootstrap` times (indices `gsl_rng_uniform_int(r, r)`; factor by factor,
    /// resample by resample; mt19937 seeded by mix(mix(seed) ^ 0x53)).
    ///
    /// - Parameters:
    ///   - sample: the rows the outputs belong to, in the factors' own units (e.g.
    ///     ``MorrisSample/trajectories(_:trajectories:levels:seed:)`` or SALib's sampler).
    ///   - outputs: one output per row.
    ///   - factors: the ranges the sample was scaled to, in column order.
    ///   - levels: the grid levels p the sample was made with.
    /// - Throws: `SensitivityError` when the sample is not a set of trajectories of these
    ///   factors and levels, an output is not finite, or an argument is out of range.
    public static func analyze(sample: [[Double]], outputs: [Double], factors: [FactorRange], levels: Int = 4,
                               bootstrap: Int = 1000, seed: UInt64 = 1, confidence: Double = 0.95) throws -> MorrisIndices {
        try Checks.bootstrap(bootstrap, confidence: confidence)
        let ee = try elementaryEffects(sample: sample, outputs: outputs, factors: factors, levels: levels)
        let r = ee[0].count
        let z = Bootstrap.z(confidence)
        let resamples = muStarResamples(ee, bootstrap: bootstrap, seed: seed)

        var mu: [Double] = [], muStar: [Double] = [], sigma: [Double] = []
        var ci: [Interval] = [], normal: [Interval] = [], conf: [Double] = []
        for (effects, boot) in zip(ee, resamples) {
            var s = 0.0, sa = 0.0
            for e in effects { s += e; sa += abs(e) }
            let ms = sa / Double(r)
            mu.append(s / Double(r))
            muStar.append(ms)
            sigma.append(Bootstrap.sd(effects))
            let c = z * Bootstrap.sd(boot)
            conf.append(c)
            normal.append(Interval(lo: ms - c, hi: ms + c))
            ci.append(Bootstrap.percentile(boot, confidence: confidence))
        }
        return MorrisIndices(factors: factors.map(\.name), mu: mu, muStar: muStar, sigma: sigma, muStarCI: ci,
                             muStarNormalCI: normal, muStarConf: conf, effects: ee, trajectories: r,
                             levels: levels, evaluations: outputs.count, bootstrap: bootstrap,
                             confidence: confidence, seed: seed)
    }
}
