/// When an alternative has paid for itself: the budget year from which its cumulative total cost
/// stays at or below the baseline's until the horizon ("for good").
///
/// Let D_y be the cumulative net cost, alternative − baseline, of `cost.total` over budget years
/// 0…y. A replication's break-even year is the year after the last year with D_y > 0 (year 0 if
/// D_y ≤ 0 in every year); if D is still > 0 in the last year, it is "not within the horizon".
/// A cumulative difference that dips to ≤ 0 and comes back above 0 is not a break-even: the
/// first year with D_y ≤ 0 is often an early year reached by luck (a replication in which the
/// alternative happened to be cheap early), and its median came out earlier than the crossing
/// of the mean curve. (Until issue 10 this was the definition; it is no longer reported.)
///
/// The same rule applied to the *mean* cumulative net cost gives the break-even year of the
/// mean curve (``PairedComparison/meanBreakEvenYearIndex``), and linear interpolation within that
/// year its crossing in fractional years (``crossing(cumulativeNetCost:)``).
public struct BreakEven: Sendable, Equatable {
    public let yearLabels: [String]
    /// Replications breaking even for good in each budget year.
    public let counts: [Int]
    /// Replications whose cumulative net cost is still > 0 in the last budget year.
    public let notWithinHorizon: Int

    public init(yearLabels: [String], counts: [Int], notWithinHorizon: Int) {
        self.yearLabels = yearLabels
        self.counts = counts
        self.notWithinHorizon = notWithinHorizon
    }

    /// The distribution of per-replication break-even years (nil: not within the horizon).
    ///
    /// - Complexity: O(replications + years).
    public init(yearLabels: [String], years: [Int?]) {
        var counts = Array(repeating: 0, count: yearLabels.count)
        var never = 0
        for y in years {
            if let y, y >= 0, y < counts.count { counts[y] += 1 } else { never += 1 }
        }
        self.init(yearLabels: yearLabels, counts: counts, notWithinHorizon: never)
    }

    public var replications: Int { counts.reduce(0, +) + notWithinHorizon }

    /// The median break-even year (an ordinal median, "not within the horizon" counting as after
    /// the last year): the first year by which at least half of the replications have broken
    /// even for good; nil when that does not happen within the horizon.
    public var medianYearIndex: Int? {
        var cumulative = 0
        for (y, c) in counts.enumerated() {
            cumulative += c
            if 2 * cumulative >= replications && replications > 0 { return y }
        }
        return nil
    }

    /// Replications that have broken even for good by the end of year `y` (years 0…y).
    public func brokenEven(by y: Int) -> Int {
        y < 0 ? 0 : counts.prefix(y + 1).reduce(0, +)
    }

    /// The break-even year of one cumulative net cost series: the year after the last year with
    /// D_y > 0, 0 if there is none, nil if D is > 0 in the last year (or the series is empty).
    ///
    /// - Parameter cumulativeNetCost: D_y = Σ_{t ≤ y} (alternative − baseline) per budget year.
    /// - Complexity: O(years).
    public static func yearIndex(cumulativeNetCost d: [Double]) -> Int? {
        guard let last = d.last, !(last > 0), !last.isNaN else { return nil }
        guard let lastAbove = d.lastIndex(where: { $0 > 0 || $0.isNaN }) else { return 0 }
        return lastAbove + 1
    }

    /// The break-even year of one replication (see the type's definition).
    ///
    /// - Parameters:
    ///   - baseline: the baseline's `cost.total` per budget year.
    ///   - alternative: the alternative's `cost.total` per budget year.
    /// - Complexity: O(years).
    public static func yearIndex(baseline: [Double], alternative: [Double]) -> Int? {
        yearIndex(cumulativeNetCost: cumulative(baseline: baseline, alternative: alternative))
    }

    /// D_y = Σ_{t ≤ y} (alternative_t − baseline_t), over the common years.
    public static func cumulative(baseline: [Double], alternative: [Double]) -> [Double] {
        var sum = 0.0
        return (0..<min(baseline.count, alternative.count)).map { y in
            sum += alternative[y] - baseline[y]
            return sum
        }
    }

    /// Where a cumulative net cost series crosses zero for good, in years from the start of the
    /// first budget year, by linear interpolation within its break-even year y: D is taken to
    /// accrue evenly over each year, from D_{y−1} > 0 at the end of year y − 1 (time y) to
    /// D_y ≤ 0 at the end of year y (time y + 1), so the crossing is
    /// y + D_{y−1} / (D_{y−1} − D_y), in (y, y + 1]. With y = 0 the series starts at or below
    /// zero (D_{−1} = 0 at the start) and the crossing is 0. Nil when there is no break-even.
    ///
    /// - Complexity: O(years).
    public static func crossing(cumulativeNetCost d: [Double]) -> Double? {
        guard let y = yearIndex(cumulativeNetCost: d) else { return nil }
        guard y > 0 else { return 0 }
        let before = d[y - 1], after = d[y]
        return Double(y) + before / (before - after)
    }
}

/// A paired comparison of an alternative scenario with a baseline over the same replications
/// (common random numbers).
///
/// `differences` holds the statistics of alternative − baseline computed per replication, so its
/// confidence intervals are the paired ones. `unpairedCi95HalfWidth` gives, for the same metrics,
/// the half-width an unpaired comparison of two independent samples would have had,
/// t(0.975, 2n − 2) · √(sd_A²/n + sd_B²/n), to show what pairing gains.
public struct PairedComparison: Sendable {
    public let baseline: Int
    public let alternative: Int
    /// The metrics both scenarios report (baseline order), and the common periods.
    public let differences: AggregatedRun
    /// Mean of each scenario for the common metrics: totals, then per year.
    public let baselineTotals: [Double?]
    public let alternativeTotals: [Double?]
    public let baselineYearly: [[Double?]]
    public let alternativeYearly: [[Double?]]
    public let unpairedCi95HalfWidth: [Double?]
    public let unpairedYearlyCi95HalfWidth: [[Double?]]
    /// Share of replications in which the alternative's total cost is below the baseline's.
    public let probabilityCheaper: Double
    /// The same for the net present value of the cost.
    public let probabilityCheaperNPV: Double
    public let breakEven: BreakEven
    /// Alternative − baseline of the cumulative total cost up to the end of each budget year,
    /// per replication, summarised per year (its mean breaks even at ``meanBreakEvenYearIndex``).
    public let cumulativeNetCost: [MetricSummary]

    public init(baseline: Int, alternative: Int, differences: AggregatedRun, baselineTotals: [Double?],
                alternativeTotals: [Double?], baselineYearly: [[Double?]], alternativeYearly: [[Double?]],
                unpairedCi95HalfWidth: [Double?], unpairedYearlyCi95HalfWidth: [[Double?]],
                probabilityCheaper: Double, probabilityCheaperNPV: Double, breakEven: BreakEven,
                cumulativeNetCost: [MetricSummary]) {
        self.baseline = baseline
        self.alternative = alternative
        self.differences = differences
        self.baselineTotals = baselineTotals
        self.alternativeTotals = alternativeTotals
        self.baselineYearly = baselineYearly
        self.alternativeYearly = alternativeYearly
        self.unpairedCi95HalfWidth = unpairedCi95HalfWidth
        self.unpairedYearlyCi95HalfWidth = unpairedYearlyCi95HalfWidth
        self.probabilityCheaper = probabilityCheaper
        self.probabilityCheaperNPV = probabilityCheaperNPV
        self.breakEven = breakEven
        self.cumulativeNetCost = cumulativeNetCost
    }

    /// The mean cumulative net cost per year, nil when some year has no mean.
    public var meanCumulativeNetCost: [Double]? {
        let means = cumulativeNetCost.compactMap(\.mean)
        return means.count == cumulativeNetCost.count && !means.isEmpty ? means : nil
    }

    /// The break-even year of the mean cumulative net cost: the first budget year from which the
    /// mean stays ≤ 0 until the horizon (``BreakEven/yearIndex(cumulativeNetCost:)``).
    public var meanBreakEvenYearIndex: Int? {
        meanCumulativeNetCost.flatMap { BreakEven.yearIndex(cumulativeNetCost: $0) }
    }

    /// Where the mean cumulative net cost crosses zero for good, in years from the start,
    /// interpolated linearly within ``meanBreakEvenYearIndex`` (``BreakEven/crossing(cumulativeNetCost:)``).
    public var meanBreakEvenCrossing: Double? {
        meanCumulativeNetCost.flatMap { BreakEven.crossing(cumulativeNetCost: $0) }
    }

    /// The month (a label of `monthly.csv`, e.g. `2029-05`) in which the mean cumulative net cost
    /// crosses zero for good: the month of ``meanBreakEvenCrossing`` (a crossing at the very end of
    /// the break-even year stays in that year's last month).
    public var meanBreakEvenCrossingMonth: String? {
        guard let t = meanBreakEvenCrossing, let y = meanBreakEvenYearIndex else { return nil }
        let months = differences.layout.monthLabels
        guard !months.isEmpty else { return nil }
        let m = min(Int((t * 12).rounded(.down)), 12 * y + 11, months.count - 1)
        return months[max(m, 0)]
    }

    /// The unpaired 95 % half-width of a difference of two independent means.
    public static func unpairedHalfWidth(_ a: MetricSummary, _ b: MetricSummary) -> Double? {
        guard let sa = a.sd, let sb = b.sd, a.n > 1, b.n > 1 else { return nil }
        let t = Summaries.tQuantile975(degreesOfFreedom: a.n + b.n - 2)
        return t * (sa * sa / Double(a.n) + sb * sb / Double(b.n)).squareRoot()
    }
}
