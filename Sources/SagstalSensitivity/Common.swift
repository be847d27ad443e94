import SagstalRandom
import SagstalStats

/// One uncertain input of a sensitivity analysis: its name and the range [lo, hi] it is varied
/// over (uniformly; the samplers work in the unit cube and scale by `lo + u·(hi − lo)`).
public struct FactorRange: Sendable, Equatable {
    public let name: String
    public let lo: Double
    public let hi: Double

    public init(name: String, lo: Double, hi: Double) {
        self.name = name
        self.lo = lo
        self.hi = hi
    }

    /// `lo + u·(hi − lo)`, the same arithmetic as SALib's `scale_samples` (`u·(hi − lo) + lo`).
    @inlinable public func scale(_ u: Double) -> Double { u * (hi - lo) + lo }

    /// The unit-cube coordinate of `x`: (x − lo)/(hi − lo).
    @inlinable public func unscale(_ x: Double) -> Double { (x - lo) / (hi - lo) }
}

/// A confidence interval [lo, hi].
public struct Interval: Sendable, Equatable, CustomStringConvertible {
    public let lo: Double
    public let hi: Double

    public init(lo: Double, hi: Double) {
        self.lo = lo
        self.hi = hi
    }

    public var width: Double { hi - lo }

    public func contains(_ x: Double) -> Bool { lo <= x && x <= hi }

    public var description: String { "[\(lo), \(hi)]" }
}

/// An index whose confidence interval is wider than the index itself (width hi − lo > |index|):
/// the estimate is not precise enough to be read as a number. The caller's warning:
/// "the CI of S_T(x) is wider than the index: increase the base samples".
///
/// An index that is truly 0 (S1 of Ishigami's x3) is always listed, whatever the sample size:
/// its estimate scatters around 0, and the interval with it. There the message means "not
/// distinguishable from 0 at this sample size", which more samples only confirm.
public struct WideInterval: Sendable, Equatable, CustomStringConvertible {
    /// "S1", "ST" (Sobol) or "mu_star" (Morris).
    public let index: String
    public let factor: String
    public let value: Double
    public let interval: Interval

    public init(index: String, factor: String, value: Double, interval: Interval) {
        self.index = index
        self.factor = factor
        self.value = value
        self.interval = interval
    }

    /// "S_T(x)", "S_1(x)" or "μ*(x)", as the warning names the index.
    public var label: String {
        switch index {
        case "S1": return "S_1(\(factor))"
        case "ST": return "S_T(\(factor))"
        default: return "μ*(\(factor))"
        }
    }

    public var description: String {
        let more = index == "mu_star" ? "trajectories" : "base samples"
        return "the CI of \(label) is wider than the index (\(value), CI \(interval.lo) – \(interval.hi)): increase the \(more)"
    }
}

/// Errors of the sensitivity samplers and analyses, each saying what is wrong and what to do.
public enum SensitivityError: Error, Equatable, CustomStringConvertible {
    case noFactors
    case emptyFactorName(index: Int)
    case duplicateFactor(String)
    /// lo ≥ hi, or a bound that is not a finite number.
    case invalidRange(factor: String, lo: Double, hi: Double)
    case tooManyFactors(found: Int, maximum: Int, why: String)
    /// Too few base samples (Sobol) or trajectories (Morris).
    case tooFewSamples(what: String, found: Int, minimum: Int)
    case tooManySamples(what: String, found: Int, maximum: Int)
    case invalidBootstrap(Int)
    case invalidConfidence(Double)
    case invalidLevels(Int)
    /// The outputs do not fit the layout of the sample (`layout` says what was expected).
    case outputCountMismatch(expected: Int, found: Int, layout: String)
    case factorCountMismatch(expected: Int, found: Int)
    /// A Morris sample whose row count is not a multiple of D + 1.
    case trajectoryRowCount(rows: Int, factors: Int)
    /// A row of a sample with the wrong number of columns (row numbers are 0-based, as in
    /// sample.csv's `row` column).
    case rowLength(row: Int, expected: Int, found: Int)
    case nonFiniteOutput(row: Int, value: Double)
    case nonFiniteInput(row: Int, factor: String, value: Double)
    case inputOutOfRange(row: Int, factor: String, value: Double, lo: Double, hi: Double)
    /// The outputs of the A and B rows do not vary (V = 0, or V ≤ machine epsilon times the
    /// variance of all outputs, SALib's threshold): the Sobol indices (shares of V) are undefined.
    case zeroVariance(mean: Double, variance: Double)
    /// The Morris sample is not a set of one-at-a-time trajectories (`why` says where and how).
    case invalidTrajectory(trajectory: Int, row: Int, why: String)
    case sequenceExhausted

    public var description: String {
        switch self {
        case .noFactors:
            return "a sensitivity analysis needs at least one factor"
        case .emptyFactorName(let i):
            return "factor \(i + 1) has an empty name"
        case .duplicateFactor(let name):
            return "factor '\(name)' is given twice: factor names must be unique"
        case .invalidRange(let f, let lo, let hi):
            if !lo.isFinite || !hi.isFinite {
                return "factor '\(f)': the range [\(lo), \(hi)] must have finite bounds"
            }
            return "factor '\(f)': lo (\(lo)) must be below hi (\(hi))"
        case .tooManyFactors(let found, let maximum, let why):
            return "\(found) factors: at most \(maximum) are possible (\(why))"
        case .tooFewSamples(let what, let found, let minimum):
            return "\(found) \(what): at least \(minimum) are needed"
        case .tooManySamples(let what, let found, let maximum):
            return "\(found) \(what): at most \(maximum) are possible"
        case .invalidBootstrap(let b):
            return "bootstrap resamples must be at least 2 (found \(b)); 1000 is usual"
        case .invalidConfidence(let c):
            return "the confidence level must be between 0 and 1, e.g. 0.95 (found \(c))"
        case .invalidLevels(let p):
            return "Morris levels must be an even number ≥ 2, e.g. 4 (found \(p)): with an odd number the step Δ = p/(2(p−1)) leaves the grid"
        case .outputCountMismatch(let expected, let found, let layout):
            return "found \(found) outputs, expected \(expected) for \(layout)"
        case .factorCountMismatch(let expected, let found):
            return "the sample has \(expected) factors but \(found) factor names were given"
        case .trajectoryRowCount(let rows, let d):
            return "the sample has \(rows) rows: Morris trajectories of \(d) factor\(d == 1 ? "" : "s") have D + 1 = \(d + 1) rows each, so the row count must be a multiple of \(d + 1) (\(rows) = \(rows / (d + 1)) trajectories + \(rows % (d + 1)) rows)"
        case .rowLength(let row, let expected, let found):
            return "row \(row) of the sample has \(found) values, expected one per factor (\(expected))"
        case .nonFiniteOutput(let row, let value):
            return "the output of row \(row) is \(value): every output must be a finite number (rerun or drop that point; the indices need all rows)"
        case .nonFiniteInput(let row, let f, let value):
            return "row \(row): factor '\(f)' is \(value), not a finite number"
        case .inputOutOfRange(let row, let f, let value, let lo, let hi):
            return "row \(row): factor '\(f)' is \(value), outside its range [\(lo), \(hi)]: the sample does not belong to these factors"
        case .zeroVariance(let mean, let variance):
            let what = variance == 0 ? "every output of the A and B rows equals \(mean)"
                : "the outputs of the A and B rows hardly vary (variance \(variance) around \(mean), at most machine epsilon times the variance of all outputs)"
            return "\(what): the output variance V is 0, so the Sobol indices (shares of V) are undefined — over these ranges the output does not depend on the factors"
        case .invalidTrajectory(let t, let row, let why):
            return "trajectory \(t) (row \(row)): \(why)"
        case .sequenceExhausted:
            return "GSL's Sobol sequence ran out of points (2^30 − 1)"
        }
    }
}

enum Checks {
    static func factors(_ factors: [FactorRange]) throws {
        guard !factors.isEmpty else { throw SensitivityError.noFactors }
        var seen = Set<String>()
        for (i, f) in factors.enumerated() {
            guard !f.name.isEmpty else { throw SensitivityError.emptyFactorName(index: i) }
            guard seen.insert(f.name).inserted else { throw SensitivityError.duplicateFactor(f.name) }
            guard f.lo.isFinite, f.hi.isFinite, f.lo < f.hi, (f.hi - f.lo).isFinite else {
                throw SensitivityError.invalidRange(factor: f.name, lo: f.lo, hi: f.hi)
            }
        }
    }

    static func names(_ names: [String]) throws {
        guard !names.isEmpty else { throw SensitivityError.noFactors }
        var seen = Set<String>()
        for (i, n) in names.enumerated() {
            guard !n.isEmpty else { throw SensitivityError.emptyFactorName(index: i) }
            guard seen.insert(n).inserted else { throw SensitivityError.duplicateFactor(n) }
        }
    }

    static func bootstrap(_ b: Int, confidence: Double) throws {
        guard b >= 2 else { throw SensitivityError.invalidBootstrap(b) }
        guard confidence > 0, confidence < 1 else { throw SensitivityError.invalidConfidence(confidence) }
    }

    static func outputs(_ y: [Double]) throws {
        for (row, v) in y.enumerated() where !v.isFinite {
            throw SensitivityError.nonFiniteOutput(row: row, value: v)
        }
    }
}

/// The bootstrap summaries both analyses report.
enum Bootstrap {
    /// The GSL generator of a purpose: mt19937 seeded with mix(mix(seed) ^ purpose)
    /// (`SeedHash.mix`, the SplitMix64 finaliser; mt19937 uses the low 32 bits).
    static func stream(seed: UInt64, purpose: UInt64) -> RandomStream {
        // mt19937 always exists in GSL, so this cannot throw.
        try! RandomStream(generator: "mt19937", seed: SeedHash.mix(SeedHash.mix(seed) ^ purpose))
    }

    static let sobolResamples: UInt64 = 0x51
    static let morrisTrajectories: UInt64 = 0x52
    static let morrisResamples: UInt64 = 0x53

    /// z_{(1+c)/2}, as SALib's `norm.ppf(0.5 + conf_level / 2)`.
    static func z(_ confidence: Double) -> Double { StandardNormal.quantile(0.5 + confidence / 2) }

    /// Sample standard deviation (n − 1), two passes, as NumPy's `std(ddof=1)`.
    static func sd(_ x: [Double]) -> Double {
        guard x.count > 1 else { return 0 }
        var s = 0.0
        for v in x { s += v }
        let m = s / Double(x.count)
        var ss = 0.0
        for v in x { ss += (v - m) * (v - m) }
        return (ss / Double(x.count - 1)).squareRoot()
    }

    /// The percentile interval of bootstrap estimates: their (1−c)/2 and (1+c)/2 quantiles,
    /// linear interpolation between order statistics (Hyndman & Fan type 7, NumPy's default).
    static func percentile(_ x: [Double], confidence: Double) -> Interval {
        let sorted = x.sorted()
        return Interval(lo: Summaries.quantile(sorted: sorted, (1 - confidence) / 2),
                        hi: Summaries.quantile(sorted: sorted, (1 + confidence) / 2))
    }

    static func wide(_ index: String, factors: [String], values: [Double], intervals: [Interval]) -> [WideInterval] {
        var out: [WideInterval] = []
        for i in factors.indices where intervals[i].width > abs(values[i]) {
            out.append(WideInterval(index: index, factor: factors[i], value: values[i], interval: intervals[i]))
        }
        return out
    }
}
