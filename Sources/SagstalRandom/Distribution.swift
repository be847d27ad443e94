import Foundation
import CGSL

/// A sampling-ready distribution (MODEL.md §3), already in GSL's parameters.
///
/// Build it from the scenario's form with the `Distribution.gamma(mean:sd:)`-style
/// factories; sample it with `RandomStream.sample(_:)`.
public enum Distribution: Sendable {
    case fixed(Double)
    case exponential(mean: Double)
    case gamma(shape: Double, scale: Double)
    case lognormal(mu: Double, sigma: Double)
    case weibull(shape: Double, scale: Double)
    case uniform(min: Double, max: Double)
    case empirical(DiscreteTable)

    /// Gamma from mean and sd: shape = (mean/sd)², scale = sd²/mean; sd = 0 is fixed at the mean.
    public static func gamma(mean: Double, sd: Double) -> Distribution {
        if sd == 0 || mean == 0 { return .fixed(mean) }
        return .gamma(shape: (mean / sd) * (mean / sd), scale: sd * sd / mean)
    }

    /// Lognormal from the variate's mean and sd: σ² = ln(1 + sd²/mean²), μ = ln(mean) − σ²/2;
    /// sd = 0 is fixed at the mean.
    public static func lognormal(mean: Double, sd: Double) -> Distribution {
        if sd == 0 || mean == 0 { return .fixed(mean) }
        let s2 = log1p(sd * sd / (mean * mean))
        return .lognormal(mu: log(mean) - s2 / 2, sigma: s2.squareRoot())
    }

    /// The mean of the distribution.
    public var mean: Double {
        switch self {
        case .fixed(let v): return v
        case .exponential(let m): return m
        case .gamma(let k, let theta): return k * theta
        case .lognormal(let mu, let sigma): return exp(mu + sigma * sigma / 2)
        case .weibull(let k, let lambda): return lambda * exp(lgamma(1 + 1 / k))
        case .uniform(let a, let b): return (a + b) / 2
        case .empirical(let t): return t.mean
        }
    }
}

/// A preprocessed discrete distribution (`gsl_ran_discrete_preproc`) over `values`.
///
/// Immutable after construction; `gsl_ran_discrete` only reads the table, so
/// one table may be shared by the replications running on several threads.
public final class DiscreteTable: @unchecked Sendable {
    @usableFromInline let table: UnsafeMutablePointer<gsl_ran_discrete_t>
    public let values: [Double]
    public let weights: [Double]
    /// When true (integer ages in completed years), U[0,1) is added to the drawn value.
    public let addsUniformFraction: Bool

    /// - Throws: `GSLError.invalidDistribution` for empty, mismatched, negative or zero-sum weights.
    public init(values: [Double], weights: [Double], addsUniformFraction: Bool = false) throws {
        guard !values.isEmpty, values.count == weights.count else {
            throw GSLError.invalidDistribution("empirical needs as many weights as values (found \(values.count) values, \(weights.count) weights)")
        }
        guard weights.allSatisfy({ $0 >= 0 && $0.isFinite }), weights.reduce(0, +) > 0 else {
            throw GSLError.invalidDistribution("empirical weights must be non-negative with a positive sum")
        }
        GSL.configure()
        guard let t = weights.withUnsafeBufferPointer({ gsl_ran_discrete_preproc($0.count, $0.baseAddress) }) else {
            throw GSLError.allocationFailed("discrete table")
        }
        self.table = t
        self.values = values
        self.weights = weights
        self.addsUniformFraction = addsUniformFraction
    }

    deinit { gsl_ran_discrete_free(table) }

    public var mean: Double {
        let total = weights.reduce(0, +)
        var m = 0.0
        for (v, w) in zip(values, weights) { m += v * w }
        return m / total + (addsUniformFraction ? 0.5 : 0)
    }
}
