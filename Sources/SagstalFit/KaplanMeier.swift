import Foundation
import SagstalRandom

/// One sojourn: its length and whether its end was seen (`observed == false`: right-censored,
/// the stay was still running when observation stopped).
public struct Stay: Sendable, Equatable {
    public let duration: Double
    public let observed: Bool

    public init(duration: Double, observed: Bool) {
        self.duration = duration
        self.observed = observed
    }
}

/// Why a fit was refused.
public enum FitError: Error, CustomStringConvertible, Equatable {
    case noStays
    case noObservedStays
    /// The stay at `index` has a negative duration (or, for the parametric fits, zero).
    case nonPositiveDuration(index: Int, duration: Double)
    /// The stay at `index` has a NaN or infinite duration.
    case nonFiniteDuration(index: Int, duration: Double)
    case invalidConfidence(Double)
    case didNotConverge(DurationFamily)
    /// Every observed stay has the same length (to 1 part in 10⁶): a fixed duration, which no
    /// continuous family fits (their shape parameters grow without bound).
    case fixedDuration(days: Double, observed: Int)

    public var description: String {
        switch self {
        case .noStays: return "no stays to fit"
        case .noObservedStays: return "every stay is censored: at least one observed end is needed"
        case .nonPositiveDuration(let i, let d):
            return d < 0
                ? "stay \(i) has a negative duration (\(d))"
                : "stay \(i) has duration 0: the parametric families need positive durations (shift or drop zero-length stays)"
        case .nonFiniteDuration(let i, let d): return "stay \(i) has a non-finite duration (\(d))"
        case .invalidConfidence(let c): return "confidence must lie strictly between 0 and 1, not \(c)"
        case .didNotConverge(let f): return "the \(f.rawValue) fit did not converge"
        case .fixedDuration(let d, let n):
            return "all \(n) observed stays last \(d) days: a fixed duration (write it as `duration: \(d)`), not one of the four families"
        }
    }

    /// Checks the stays: non-empty, finite, non-negative (positive when `positive`), at least one observed.
    static func validate(_ stays: [Stay], positive: Bool) throws {
        guard !stays.isEmpty else { throw FitError.noStays }
        for (i, s) in stays.enumerated() {
            guard s.duration.isFinite else { throw FitError.nonFiniteDuration(index: i, duration: s.duration) }
            guard s.duration > 0 || (!positive && s.duration == 0) else {
                throw FitError.nonPositiveDuration(index: i, duration: s.duration)
            }
        }
        guard stays.contains(where: \.observed) else { throw FitError.noObservedStays }
    }

    static func z(_ confidence: Double) throws -> Double {
        guard confidence > 0, confidence < 1 else { throw FitError.invalidConfidence(confidence) }
        return SpecialFunctions.normalQuantile(1 - (1 - confidence) / 2)
    }
}

/// The Kaplan–Meier product-limit estimate of the survival function at each distinct event time,
/// with Greenwood's variance and the pointwise interval on the log(−log S) scale
/// ("exponential Greenwood", lifelines' `KaplanMeierFitter.confidence_interval_`):
///
///     S(tᵢ) = Πⱼ≤ᵢ (1 − dⱼ/nⱼ),  c(tᵢ) = Σⱼ≤ᵢ dⱼ / (nⱼ (nⱼ − dⱼ)),  v = ln S(tᵢ)
///     lower, upper = exp(−exp(ln(−v) ∓ z √c / v))
///
/// nⱼ counts the stays with duration ≥ tⱼ (a stay censored at tⱼ is still at risk at tⱼ).
/// Zero durations are accepted. Where S reaches 0 (everyone still at risk ends) the interval is
/// [0, 0] (lifelines reports NaN there).
public struct KaplanMeier: Sendable {
    public let times: [Double]
    public let survival: [Double]
    public let lower: [Double]
    public let upper: [Double]
    public let atRisk: [Int]
    public let events: [Int]
    /// The share of stays that are censored.
    public let censoredShare: Double
    /// The first event time with S ≤ 0.5 (lifelines' `median_survival_time_`); nil when S stays above 0.5.
    public let median: Double?

    public init(_ stays: [Stay], confidence: Double = 0.95) throws {
        try FitError.validate(stays, positive: false)
        let z = try FitError.z(confidence)
        let sorted = stays.sorted { $0.duration < $1.duration }
        var times: [Double] = [], survival: [Double] = [], lower: [Double] = [], upper: [Double] = []
        var atRisk: [Int] = [], events: [Int] = []
        var s = 1.0, c = 0.0
        var median: Double?
        var i = 0
        let n = sorted.count
        while i < n {
            let t = sorted[i].duration
            var j = i, d = 0
            while j < n, sorted[j].duration == t {
                if sorted[j].observed { d += 1 }
                j += 1
            }
            let r = n - i
            if d > 0 {
                s *= 1 - Double(d) / Double(r)
                times.append(t)
                survival.append(s)
                atRisk.append(r)
                events.append(d)
                if d < r {
                    c += Double(d) / (Double(r) * Double(r - d))
                    let v = log(s)
                    lower.append(exp(-exp(log(-v) - z * c.squareRoot() / v)))
                    upper.append(exp(-exp(log(-v) + z * c.squareRoot() / v)))
                } else {
                    s = 0
                    survival[survival.count - 1] = 0
                    lower.append(0)
                    upper.append(0)
                }
                if median == nil, s <= 0.5 { median = t }
            }
            i = j
        }
        self.times = times
        self.survival = survival
        self.lower = lower
        self.upper = upper
        self.atRisk = atRisk
        self.events = events
        self.censoredShare = Double(stays.count(where: { !$0.observed })) / Double(stays.count)
        self.median = median
    }

    /// S(t): the estimate at the last event time ≤ t (1 before the first).
    public func survival(at t: Double) -> Double {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? 1 : survival[lo - 1]
    }
}

/// A binomial proportion with Wilson's score interval:
/// (k + z²/2)/(n + z²) ± z/(n + z²) · √(k(n − k)/n + z²/4).
public struct Proportion: Sendable, Equatable {
    public let successes: Int
    public let n: Int
    /// k / n (NaN when n = 0).
    public let estimate: Double
    public let lower: Double
    public let upper: Double

    /// Wilson's interval for `k` successes in `n` trials; n = 0 gives [0, 1]. k is clamped to 0…n.
    public static func wilson(_ k: Int, _ n: Int, confidence: Double = 0.95) -> Proportion {
        guard n > 0 else { return Proportion(successes: 0, n: 0, estimate: .nan, lower: 0, upper: 1) }
        let k = min(max(k, 0), n)
        let z = SpecialFunctions.normalQuantile(1 - (1 - confidence) / 2)
        let nn = Double(n), kk = Double(k), z2 = z * z
        let centre = (kk + z2 / 2) / (nn + z2)
        let half = z / (nn + z2) * (kk * (nn - kk) / nn + z2 / 4).squareRoot()
        return Proportion(successes: k, n: n, estimate: kk / nn,
                          lower: k == 0 ? 0 : max(0, centre - half), upper: k == n ? 1 : min(1, centre + half))
    }
}
