import SagstalRandom

/// First- and total-order Sobol indices of one output, with bootstrap confidence intervals.
///
/// **Which CI is public.** `firstOrderCI` and `totalOrderCI` are the bootstrap *percentile*
/// intervals (the (1−c)/2 and (1+c)/2 quantiles of the resampled estimates). They follow the
/// skew of the bootstrap distribution (an index near 0 or 1, a small N) instead of forcing a
/// symmetric interval around the estimate. SALib's interval, index ± z·sd of the bootstrap
/// estimates, is reported as `firstOrderNormalCI` / `totalOrderNormalCI`, and its half-width
/// (SALib's `S1_conf`, `ST_conf`) as `firstOrderConf` / `totalOrderConf`. On Ishigami with
/// N = 1024 the two intervals' ends differ by up to 10 % of the half-width
/// (docs/sensitivity-methods.md).
public struct SobolIndices: Sendable, Equatable {
    public let factors: [String]
    /// S1, Saltelli et al. (2010): mean(f_B (f_ABi − f_A)) / V.
    public let firstOrder: [Double]
    /// Bootstrap percentile interval of S1 (the public CI).
    public let firstOrderCI: [Interval]
    /// S1 ± z·sd of the bootstrap estimates (SALib's interval).
    public let firstOrderNormalCI: [Interval]
    /// z·sd of the bootstrap estimates of S1 (SALib's `S1_conf`).
    public let firstOrderConf: [Double]
    /// ST, Jansen (1999): mean((f_A − f_ABi)²)/2 / V.
    public let totalOrder: [Double]
    public let totalOrderCI: [Interval]
    public let totalOrderNormalCI: [Interval]
    /// z·sd of the bootstrap estimates of ST (SALib's `ST_conf`).
    public let totalOrderConf: [Double]
    public let baseSamples: Int
    /// Model evaluations the indices are computed from: N·(D+2).
    public let evaluations: Int
    public let bootstrap: Int
    public let confidence: Double
    public let seed: UInt64
    /// Mean and (population) variance V of the outputs of the A and B rows, in output units.
    public let mean: Double
    public let variance: Double

    public init(factors: [String], firstOrder: [Double], firstOrderCI: [Interval], firstOrderNormalCI: [Interval],
                firstOrderConf: [Double], totalOrder: [Double], totalOrderCI: [Interval],
                totalOrderNormalCI: [Interval], totalOrderConf: [Double], baseSamples: Int, evaluations: Int,
                bootstrap: Int, confidence: Double, seed: UInt64, mean: Double, variance: Double) {
        self.factors = factors
        self.firstOrder = firstOrder
        self.firstOrderCI = firstOrderCI
        self.firstOrderNormalCI = firstOrderNormalCI
        self.firstOrderConf = firstOrderConf
        self.totalOrder = totalOrder
        self.totalOrderCI = totalOrderCI
        self.totalOrderNormalCI = totalOrderNormalCI
        self.totalOrderConf = totalOrderConf
        self.baseSamples = baseSamples
        self.evaluations = evaluations
        self.bootstrap = bootstrap
        self.confidence = confidence
        self.seed = seed
        self.mean = mean
        self.variance = variance
    }

    /// The indices whose public (percentile) CI is wider than the index itself, S1 first, then
    /// ST, in factor order (see ``WideInterval``).
    public var wideIntervals: [WideInterval] {
        Bootstrap.wide("S1", factors: factors, values: firstOrder, intervals: firstOrderCI)
            + Bootstrap.wide("ST", factors: factors, values: totalOrder, intervals: totalOrderCI)
    }
}

/// Sobol indices from outputs at the points of ``SaltelliSample``.
public enum SobolAnalysis {
    /// The outputs split by the layout of ``SaltelliSample/matrix(_:baseSamples:)``, after
    /// SALib's normalisation y' = (y − mean(y)) / sd(y) over all N·(D+2) outputs (population
    /// sd). The indices are ratios, so dividing by sd(y) changes nothing but rounding; the
    /// centring does matter for S1 (mean(f_B (f_ABi − f_A)) is not shift-invariant for finite N),
    /// and it is what makes the estimates equal SALib's.
    struct Split {
        var a: [Double]
        var b: [Double]
        var ab: [[Double]]
    }

    static func split(_ y: [Double], d: Int, n: Int) -> Split {
        var s = 0.0
        for v in y { s += v }
        let m = s / Double(y.count)
        var ss = 0.0
        for v in y { ss += (v - m) * (v - m) }
        let sd = (ss / Double(y.count)).squareRoot()
        let step = d + 2
        var a = [Double](repeating: 0, count: n), b = a
        var ab = [[Double]](repeating: a, count: d)
        for j in 0..<n {
            a[j] = (y[j * step] - m) / sd
            for i in 0..<d { ab[i][j] = (y[j * step + 1 + i] - m) / sd }
            b[j] = (y[j * step + d + 1] - m) / sd
        }
        return Split(a: a, b: b, ab: ab)
    }

    /// S1 and ST of every factor over the blocks `idx` (nil: all blocks in order), as SALib's
    /// `first_order` and `total_order`: V is the population variance of [f_A, f_B] over those
    /// blocks; an index is 0 when that V is ≤ machine epsilon (as SALib).
    static func indices(_ s: Split, _ idx: [Int]?) -> (s1: [Double], st: [Double]) {
        let n = idx?.count ?? s.a.count
        let d = s.ab.count
        @inline(__always) func at(_ k: Int) -> Int { idx?[k] ?? k }
        let v = normalizedVariance(s, idx)
        var s1 = [Double](repeating: 0, count: d), st = s1
        guard v > Double.ulpOfOne else { return (s1, st) }
        for i in 0..<d {
            let abi = s.ab[i]
            var num1 = 0.0, numT = 0.0
            for k in 0..<n {
                let j = at(k)
                let diff = abi[j] - s.a[j]
                num1 += s.b[j] * diff
                numT += diff * diff
            }
            s1[i] = num1 / Double(n) / v
            st[i] = 0.5 * (numT / Double(n)) / v
        }
        return (s1, st)
    }

    /// The population variance of the normalised [f_A, f_B] over the blocks `idx` (nil: all).
    static func normalizedVariance(_ s: Split, _ idx: [Int]?) -> Double {
        let n = idx?.count ?? s.a.count
        @inline(__always) func at(_ k: Int) -> Int { idx?[k] ?? k }
        var sum = 0.0
        for k in 0..<n { let j = at(k); sum += s.a[j] + s.b[j] }
        let mean = sum / Double(2 * n)
        var ss = 0.0
        for k in 0..<n {
            let j = at(k)
            let da = s.a[j] - mean, db = s.b[j] - mean
            ss += da * da + db * db
        }
        return ss / Double(2 * n)
    }

    /// The bootstrap estimates: `bootstrap` resamples of the N blocks with replacement, the same
    /// blocks for every factor (as SALib); block indices from `gsl_rng_uniform_int(r, N)`, N per
    /// resample, resample after resample, with mt19937 seeded by mix(mix(seed) ^ 0x51).
    /// `s1[i][b]`, `st[i][b]`: factor i, resample b.
    static func resample(_ s: Split, bootstrap: Int, seed: UInt64) -> (s1: [[Double]], st: [[Double]]) {
        let n = s.a.count, d = s.ab.count
        let rng = Bootstrap.stream(seed: seed, purpose: Bootstrap.sobolResamples)
        var s1 = [[Double]](repeating: [Double](repeating: 0, count: bootstrap), count: d), st = s1
        var idx = [Int](repeating: 0, count: n)
        for r in 0..<bootstrap {
            for k in 0..<n { idx[k] = rng.uniformInt(below: n) }
            let (a, b) = indices(s, idx)
            for i in 0..<d {
                s1[i][r] = a[i]
                st[i][r] = b[i]
            }
        }
        return (s1, st)
    }

    static func check(_ y: [Double], factors: [String], n: Int) throws -> Int {
        try Checks.names(factors)
        let d = factors.count
        guard d <= SaltelliSample.maxFactors else {
            throw SensitivityError.tooManyFactors(found: d, maximum: SaltelliSample.maxFactors,
                why: "the Saltelli design needs 2 × factors dimensions of GSL's Sobol sequence, which has 40")
        }
        guard n >= 2 else { throw SensitivityError.tooFewSamples(what: "base samples", found: n, minimum: 2) }
        let expected = n * (d + 2)
        guard y.count == expected else {
            var layout = "the Saltelli sample of \(d) factor\(d == 1 ? "" : "s") and \(n) base samples (N·(D+2) = \(n)·\(d + 2) rows: A, AB_1…AB_\(d), B per block)"
            if y.count % (d + 2) == 0, y.count > 0 {
                layout += "; \(y.count) outputs would fit \(y.count / (d + 2)) base samples"
            }
            throw SensitivityError.outputCountMismatch(expected: expected, found: y.count, layout: layout)
        }
        try Checks.outputs(y)
        return d
    }

    /// Sobol indices of one output.
    ///
    /// - Parameters:
    ///   - y: the outputs in the row order of ``SaltelliSample/matrix(_:baseSamples:)``.
    ///   - factors: the factor names, in the sample's column order.
    ///   - n: the base samples N the sample was made with.
    ///   - bootstrap: resamples for the confidence intervals (≥ 2).
    ///   - seed: seed of the resampling generator.
    ///   - confidence: the level of the intervals, in (0, 1).
    /// - Throws: `SensitivityError` for outputs that do not fit the layout, non-finite outputs
    ///   (with the row), bad arguments, or outputs with zero variance over the A and B rows.
    public static func analyze(outputs y: [Double], factors: [String], baseSamples n: Int, bootstrap: Int = 1000,
                               seed: UInt64 = 1, confidence: Double = 0.95) throws -> SobolIndices {
        let d = try check(y, factors: factors, n: n)
        try Checks.bootstrap(bootstrap, confidence: confidence)

        // V and the mean of the raw A and B outputs, for the report and the zero-variance check.
        let step = d + 2
        var ab = [Double]()
        ab.reserveCapacity(2 * n)
        for j in 0..<n { ab.append(y[j * step]); ab.append(y[j * step + d + 1]) }
        var sum = 0.0
        for v in ab { sum += v }
        let mean = sum / Double(ab.count)
        var ss = 0.0
        for v in ab { ss += (v - mean) * (v - mean) }
        let variance = ss / Double(ab.count)
        if ab.allSatisfy({ $0 == ab[0] }) { throw SensitivityError.zeroVariance(mean: ab[0], variance: 0) }

        let s = split(y, d: d, n: n)
        guard normalizedVariance(s, nil) > Double.ulpOfOne else {
            throw SensitivityError.zeroVariance(mean: mean, variance: variance)
        }
        let point = indices(s, nil)
        let boot = resample(s, bootstrap: bootstrap, seed: seed)
        let z = Bootstrap.z(confidence)

        let conf1 = boot.s1.map { z * Bootstrap.sd($0) }
        let confT = boot.st.map { z * Bootstrap.sd($0) }
        return SobolIndices(
            factors: factors,
            firstOrder: point.s1,
            firstOrderCI: boot.s1.map { Bootstrap.percentile($0, confidence: confidence) },
            firstOrderNormalCI: (0..<d).map { Interval(lo: point.s1[$0] - conf1[$0], hi: point.s1[$0] + conf1[$0]) },
            firstOrderConf: conf1,
            totalOrder: point.st,
            totalOrderCI: boot.st.map { Bootstrap.percentile($0, confidence: confidence) },
            totalOrderNormalCI: (0..<d).map { Interval(lo: point.st[$0] - confT[$0], hi: point.st[$0] + confT[$0]) },
            totalOrderConf: confT,
            baseSamples: n, evaluations: y.count, bootstrap: bootstrap, confidence: confidence, seed: seed,
            mean: mean, variance: variance)
    }
}
