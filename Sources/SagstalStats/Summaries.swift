import SagstalRandom

/// Statistics of one metric across replications (MODEL.md §8, `STAT`).
///
/// `n` counts the replications that had a value. When `n` is 0 (every
/// replication left the metric empty, e.g. a ratio with an empty denominator)
/// all other fields are `nil`.
public struct MetricSummary: Sendable, Equatable {
    /// Number of values the statistics are computed from (NaN values excluded).
    public var n: Int
    public var mean: Double?
    /// Sample standard deviation (n − 1 denominator); 0 when n = 1.
    public var sd: Double?
    /// Lower bound of the 95 % confidence interval of the mean.
    public var ci95Lo: Double?
    /// Upper bound of the 95 % confidence interval of the mean.
    public var ci95Hi: Double?
    /// 5th, 50th and 95th percentiles (linear interpolation between order statistics).
    public var p5: Double?
    public var p50: Double?
    public var p95: Double?

    public init(n: Int, mean: Double?, sd: Double?, ci95Lo: Double?, ci95Hi: Double?,
                p5: Double?, p50: Double?, p95: Double?) {
        self.n = n
        self.mean = mean
        self.sd = sd
        self.ci95Lo = ci95Lo
        self.ci95Hi = ci95Hi
        self.p5 = p5
        self.p50 = p50
        self.p95 = p95
    }

    /// The summary of no values: n = 0, every statistic `nil`.
    public static let empty = MetricSummary(n: 0, mean: nil, sd: nil, ci95Lo: nil, ci95Hi: nil,
                                            p5: nil, p50: nil, p95: nil)
}

/// Summary statistics of a sample: mean, sd, t-based confidence interval, percentiles.
public enum Summaries {
    /// Summarizes a sample as MODEL.md §8 prescribes.
    ///
    /// - The mean is Σx / n, summed in the order given; the sd is computed in a
    ///   second pass, √(Σ(x − mean)² / (n − 1)).
    /// - ci95 = mean ± t(0.975, n − 1) · sd / √n, with the Student t quantile from
    ///   GSL (`gsl_cdf_tdist_Pinv`).
    /// - With n = 1: sd = 0 and ci95 = [mean, mean].
    /// - p5, p50, p95 by linear interpolation between order statistics
    ///   (Hyndman & Fan type 7, see ``quantile(sorted:_:)``).
    /// - NaN values ("no value") are left out; if none remain, every statistic is `nil`.
    ///   Infinite values are kept and give non-finite statistics.
    ///
    /// The result depends only on the values and their order, so passing values in
    /// replication-index order makes it reproducible bit for bit.
    ///
    /// - Parameter values: the sample, in a fixed order (e.g. by replication index).
    /// - Returns: the statistics of the non-NaN values.
    /// - Complexity: O(n log n) for n values (the sort for the percentiles).
    public static func summarize(_ values: [Double]) -> MetricSummary {
        // The non-NaN values, in order: the sample itself when it has none (no copy), else
        // filtered into a buffer of the right size (filter's growth re-allocated ~5 times for 20).
        let xs: [Double]
        if values.contains(where: \.isNaN) {
            var kept: [Double] = []
            kept.reserveCapacity(values.count)
            for x in values where !x.isNaN { kept.append(x) }
            xs = kept
        } else {
            xs = values
        }
        let n = xs.count
        guard n > 0 else { return .empty }

        var sum = 0.0
        for x in xs { sum += x }
        let mean = sum / Double(n)

        let sd: Double
        let halfWidth: Double
        if n == 1 {
            sd = 0
            halfWidth = 0
        } else {
            var ss = 0.0
            for x in xs {
                let d = x - mean
                ss += d * d
            }
            sd = (ss / Double(n - 1)).squareRoot()
            let t = tQuantile975(degreesOfFreedom: n - 1)
            halfWidth = t * sd / Double(n).squareRoot()
        }

        let sorted = xs.sorted()
        return MetricSummary(
            n: n, mean: mean, sd: sd,
            ci95Lo: mean - halfWidth, ci95Hi: mean + halfWidth,
            p5: quantile(sorted: sorted, 0.05),
            p50: quantile(sorted: sorted, 0.5),
            p95: quantile(sorted: sorted, 0.95))
    }

    /// t(0.975, ν): the two-sided 95 % quantile of Student's t (GSL `gsl_cdf_tdist_Pinv`).
    public static func tQuantile975(degreesOfFreedom: Int) -> Double {
        StudentT.quantile(0.975, degreesOfFreedom: Double(degreesOfFreedom))
    }

    /// The p-quantile of a sorted sample by linear interpolation between order
    /// statistics (Hyndman & Fan 1996, type 7; R's default, NumPy's `linear`).
    ///
    /// With h = (n − 1)·p, the result is x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎),
    /// using 0-based order statistics.
    ///
    /// - Parameters:
    ///   - sorted: a non-empty sample in ascending order, without NaN.
    ///   - p: probability in [0, 1].
    /// - Returns: the interpolated quantile.
    /// - Precondition: `sorted` is non-empty and 0 ≤ p ≤ 1.
    /// - Complexity: O(1).
    public static func quantile(sorted: [Double], _ p: Double) -> Double {
        precondition(!sorted.isEmpty, "quantile of an empty sample")
        precondition(p >= 0 && p <= 1, "quantile probability \(p) outside [0, 1]")
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down))
        let hi = Swift.min(lo + 1, sorted.count - 1)
        let a = sorted[lo], b = sorted[hi]
        let frac = h - Double(lo)
        if frac == 0 || a == b { return a }
        return a + frac * (b - a)
    }
}
