import Foundation
import SagstalRandom

/// The parametric families of `DurationFitter`.
public enum DurationFamily: String, CaseIterable, Sendable {
    /// S(t) = exp(−t/mean).
    case exponential
    /// Density t^(shape−1) e^(−t/scale) / (Γ(shape) scale^shape); S = Q(shape, t/scale).
    case gamma
    /// log t ~ Normal(mu, sigma²); S = 1 − Φ((ln t − mu)/sigma).
    case lognormal
    /// S(t) = exp(−(t/scale)^shape) (lifelines: scale = lambda_, shape = rho_).
    case weibull

    /// The fitted parameters, in the order of the unconstrained vector.
    public var parameterNames: [String] {
        switch self {
        case .exponential: return ["mean"]
        case .gamma, .weibull: return ["shape", "scale"]
        case .lognormal: return ["mu", "sigma"]
        }
    }
}

/// A confidence interval.
public struct ConfidenceInterval: Sendable, Equatable {
    public let lower: Double
    public let upper: Double

    public init(_ lower: Double, _ upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    public func contains(_ x: Double) -> Bool { lower <= x && x <= upper }
}

/// A censored maximum-likelihood fit of one family.
public struct DurationFit: Sendable {
    public let family: DurationFamily
    /// The natural parameters (`family.parameterNames`) and, for gamma, lognormal and Weibull,
    /// the distribution's `mean` and `sd`; exponential has `mean` only.
    public let parameters: [String: Double]
    public let logLikelihood: Double
    /// 2k − 2 log L, k = number of fitted parameters.
    public let aic: Double
    /// Observed-information standard errors (delta method from the log scale), same keys as `parameters`.
    public let standardErrors: [String: Double]
    /// 95 % Wald intervals: on the log scale for positive quantities, on the natural scale for mu.
    public let ci95: [String: ConfidenceInterval]
    public let n: Int
    public let censored: Int
    /// The simplex met its size test and the observed information is positive definite.
    public let converged: Bool

    private func p(_ name: String) -> Double { parameters[name]! }

    /// P(T > t).
    public func survival(_ t: Double) -> Double {
        guard t > 0 else { return 1 }
        switch family {
        case .exponential: return exp(-t / p("mean"))
        case .weibull: return exp(-pow(t / p("scale"), p("shape")))
        case .lognormal: return SpecialFunctions.normalQ((log(t) - p("mu")) / p("sigma"))
        case .gamma: return SpecialFunctions.gammaQ(p("shape"), t / p("scale"))
        }
    }

    /// P(T ≤ t).
    public func cdf(_ t: Double) -> Double {
        guard t > 0 else { return 0 }
        switch family {
        case .exponential: return -expm1(-t / p("mean"))
        case .weibull: return -expm1(-pow(t / p("scale"), p("shape")))
        case .lognormal: return SpecialFunctions.normalP((log(t) - p("mu")) / p("sigma"))
        case .gamma: return SpecialFunctions.gammaP(p("shape"), t / p("scale"))
        }
    }

    /// The t with P(T ≤ t) = p, p in [0, 1) (NaN outside).
    public func quantile(_ prob: Double) -> Double {
        guard prob >= 0, prob < 1 else { return prob == 1 ? .infinity : .nan }
        if prob == 0 { return 0 }
        switch family {
        case .exponential: return -p("mean") * log1p(-prob)
        case .weibull: return p("scale") * pow(-log1p(-prob), 1 / p("shape"))
        case .lognormal: return exp(p("mu") + p("sigma") * SpecialFunctions.normalQuantile(prob))
        case .gamma: return SpecialFunctions.gammaQuantile(prob, shape: p("shape"), scale: p("scale"))
        }
    }
}

/// Censored maximum likelihood for the `DurationFamily` families.
///
/// log L = Σ_observed ln f(tᵢ) + Σ_censored ln S(tᵢ), maximised over unconstrained parameters
/// (ln shape and ln scale; mu and ln sigma for the lognormal) with GSL's Nelder-Mead simplex
/// (`nmsimplex2`, initial steps 0.3, size tolerance 1e-8) and a BFGS polish (`vector_bfgs2`, central-difference
/// gradient). The exponential MLE has the closed form mean = Σ tᵢ / #observed.
/// Standard errors come from the observed information: a central-difference Hessian of −log L at
/// the optimum, inverted, mapped to the natural parameters by the delta method.
///
/// Durations must be positive and finite: like lifelines' parametric fitters, zero durations are
/// refused (`FitError.nonPositiveDuration`) rather than shifted — ln f(0) is −∞ or +∞ for the
/// lognormal and for gamma/Weibull shapes ≠ 1, so a zero would decide the fit on its own.
public enum DurationFitter {
    /// The data reduced to what the likelihoods need.
    struct Data {
        let observed: [Double]
        let logObserved: [Double]
        let censored: [Double]
        let sumLogObserved: Double
        let total: Double

        init(_ stays: [Stay]) {
            observed = stays.filter(\.observed).map(\.duration)
            logObserved = observed.map { log($0) }
            censored = stays.filter { !$0.observed }.map(\.duration)
            sumLogObserved = logObserved.reduce(0, +)
            total = stays.reduce(0) { $0 + $1.duration }
        }
    }

    /// log L at unconstrained parameters `x` (family order, see `naturalParameters`).
    static func logLikelihood(_ family: DurationFamily, _ x: [Double], _ data: Data) -> Double {
        let d = Double(data.observed.count)
        switch family {
        case .exponential:
            let m = exp(x[0])
            return -d * x[0] - data.total / m
        case .weibull:
            let k = exp(x[0]), logLambda = x[1]
            var ll = d * (x[0] - logLambda) + (k - 1) * (data.sumLogObserved - d * logLambda)
            for t in data.logObserved { ll -= exp(k * (t - logLambda)) }
            for t in data.censored { ll -= exp(k * (log(t) - logLambda)) }
            return ll
        case .lognormal:
            let mu = x[0], logSigma = x[1], sigma = exp(logSigma)
            var ll = -data.sumLogObserved - d * (logSigma + 0.5 * log(2 * Double.pi))
            for t in data.logObserved {
                let z = (t - mu) / sigma
                ll -= 0.5 * z * z
            }
            for t in data.censored { ll += SpecialFunctions.logErfc((log(t) - mu) / (sigma * 2.0.squareRoot())) - M_LN2 }
            return ll
        case .gamma:
            let a = exp(x[0]), logTheta = x[1], theta = exp(logTheta)
            var ll = -d * (SpecialFunctions.lnGamma(a) + a * logTheta) + (a - 1) * data.sumLogObserved
            for t in data.observed { ll -= t / theta }
            for t in data.censored { ll += log(SpecialFunctions.gammaQ(a, t / theta)) }
            return ll
        }
    }

    /// Natural parameter i from unconstrained x: exp for the positive ones, identity for mu.
    static func isLogScale(_ family: DurationFamily, _ i: Int) -> Bool { !(family == .lognormal && i == 0) }

    /// ln mean and ln sd of the distribution at unconstrained x (nil for exponential: mean is the parameter).
    static func logMeanAndSD(_ family: DurationFamily, _ x: [Double]) -> (Double, Double)? {
        switch family {
        case .exponential: return nil
        case .gamma: return (x[0] + x[1], x[0] / 2 + x[1])
        case .lognormal:
            let s2 = exp(2 * x[1])
            return (x[0] + s2 / 2, x[0] + s2 / 2 + 0.5 * log(expm1(s2)))
        case .weibull:
            let k = exp(x[0])
            let g1 = SpecialFunctions.lnGamma(1 + 1 / k), g2 = SpecialFunctions.lnGamma(1 + 2 / k)
            return (x[1] + g1, x[1] + 0.5 * log(exp(g2) - exp(2 * g1)))
        }
    }

    /// Fits `family` to `stays` by censored maximum likelihood.
    public static func fit(_ stays: [Stay], family: DurationFamily) throws -> DurationFit {
        try FitError.validate(stays, positive: true)
        let data = Data(stays)
        let z = try FitError.z(0.95)
        let events = Double(data.observed.count)
        let exponentialMean = data.total / events

        var x: [Double]
        var converged: Bool
        switch family {
        case .exponential:
            x = [log(exponentialMean)]
            converged = true
        case .weibull, .gamma:
            // Shapes above e^12 ≈ 160,000 (a coefficient of variation below 0.3 %) are a fixed
            // duration in all but name: the search is pushed back below them, so near-constant stays
            // cannot send it (and GSL's incomplete gamma) off to ever larger shapes.
            let r = try Minimizer.minimize(start: [0, log(exponentialMean)], step: [0.3, 0.3]) {
                guard $0[0] > 12 else { return -logLikelihood(family, $0, data) }
                var y = $0
                y[0] = 12
                return -logLikelihood(family, y, data) + 1e3 * ($0[0] - 12) * ($0[0] - 12)
            }
            x = r.x
            converged = r.converged
        case .lognormal:
            let logs = stays.map { log($0.duration) }
            let m = logs.reduce(0, +) / Double(logs.count)
            let v = logs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(logs.count)
            let r = try Minimizer.minimize(start: [m, 0.5 * log(max(v, 0.01))], step: [0.3, 0.3]) {
                -logLikelihood(family, $0, data)
            }
            x = r.x
            converged = r.converged
        }
        let ll = family == .exponential ? -events * log(exponentialMean) - data.total / exponentialMean
            : logLikelihood(family, x, data)
        guard ll.isFinite, x.allSatisfy(\.isFinite) else { throw FitError.didNotConverge(family) }

        // Covariance of x: the inverse observed information.
        let k = x.count
        var cov: [[Double]]
        if family == .exponential {
            cov = [[1 / events]]  // d²(−log L)/d(ln m)² = T/m = events at the MLE
        } else {
            let h = hessian({ -logLikelihood(family, $0, data) }, at: x)
            let det = h[0][0] * h[1][1] - h[0][1] * h[1][0]
            if !(det > 0 && h[0][0] > 0) { converged = false }
            cov = [[h[1][1] / det, -h[0][1] / det], [-h[1][0] / det, h[0][0] / det]]
        }

        var parameters: [String: Double] = [:], se: [String: Double] = [:], ci: [String: ConfidenceInterval] = [:]
        for (i, name) in family.parameterNames.enumerated() {
            let sx = cov[i][i].squareRoot()
            if family == .exponential {
                parameters[name] = exponentialMean  // exactly Σ t / #observed, not exp(ln …)
                se[name] = exponentialMean * sx
                ci[name] = ConfidenceInterval(exp(x[i] - z * sx), exp(x[i] + z * sx))
            } else if isLogScale(family, i) {
                let value = exp(x[i])
                parameters[name] = value
                se[name] = value * sx
                ci[name] = ConfidenceInterval(exp(x[i] - z * sx), exp(x[i] + z * sx))
            } else {
                parameters[name] = x[i]
                se[name] = sx
                ci[name] = ConfidenceInterval(x[i] - z * sx, x[i] + z * sx)
            }
        }
        if logMeanAndSD(family, x) != nil {
            for (name, pick) in [("mean", { (v: (Double, Double)) in v.0 }), ("sd", { (v: (Double, Double)) in v.1 })] {
                let g: ([Double]) -> Double = { pick(logMeanAndSD(family, $0)!) }
                let value = g(x)
                var grad = [Double](repeating: 0, count: k)
                for i in 0..<k {
                    let step = 1e-6 * max(1, abs(x[i]))
                    var a = x, b = x
                    a[i] += step
                    b[i] -= step
                    grad[i] = (g(a) - g(b)) / (2 * step)
                }
                var variance = 0.0
                for i in 0..<k { for j in 0..<k { variance += grad[i] * cov[i][j] * grad[j] } }
                let s = variance.squareRoot()
                parameters[name] = exp(value)
                se[name] = exp(value) * s
                ci[name] = ConfidenceInterval(exp(value - z * s), exp(value + z * s))
            }
        }
        return DurationFit(family: family, parameters: parameters, logLikelihood: ll, aic: 2 * Double(k) - 2 * ll,
                           standardErrors: se, ci95: ci, n: stays.count, censored: data.censored.count,
                           converged: converged)
    }

    /// Every family, best (lowest AIC) first.
    /// - Throws: ``FitError/fixedDuration(days:observed:)`` when every observed stay has the same
    ///   length (the families' likelihoods then have no maximum), besides the errors of `fit`.
    public static func fitAll(_ stays: [Stay]) throws -> [DurationFit] {
        try FitError.validate(stays, positive: true)
        let observed = stays.filter(\.observed).map(\.duration)
        if let lo = observed.min(), let hi = observed.max(), observed.count >= 2, hi - lo <= 1e-6 * hi {
            throw FitError.fixedDuration(days: lo, observed: observed.count)
        }
        return try DurationFamily.allCases.map { try fit(stays, family: $0) }.sorted { $0.aic < $1.aic }
    }

    /// Central-difference Hessian of f at x, steps 1e-4 · max(1, |xᵢ|).
    static func hessian(_ f: ([Double]) -> Double, at x: [Double]) -> [[Double]] {
        let k = x.count
        let h = x.map { 1e-4 * max(1, abs($0)) }
        let f0 = f(x)
        var H = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        func at(_ d: [(Int, Double)]) -> Double {
            var y = x
            for (i, s) in d { y[i] += s * h[i] }
            return f(y)
        }
        for i in 0..<k {
            H[i][i] = (at([(i, 1)]) - 2 * f0 + at([(i, -1)])) / (h[i] * h[i])
            for j in 0..<i {
                let v = (at([(i, 1), (j, 1)]) - at([(i, 1), (j, -1)]) - at([(i, -1), (j, 1)]) + at([(i, -1), (j, -1)]))
                    / (4 * h[i] * h[j])
                H[i][j] = v
                H[j][i] = v
            }
        }
        return H
    }
}
