/// When an alternative's cumulative total cost first falls to or below the baseline's.
///
/// For each replication, the break-even budget year is the first year y in which the
/// alternative's cumulative `cost.total` over years 0…y is at most the baseline's;
/// replications in which that never happens are "not within the horizon".
public struct BreakEven: Sendable, Equatable {
    public let yearLabels: [String]
    /// Replications breaking even in each budget year.
    public let counts: [Int]
    /// Replications that never break even within the horizon.
    public let notWithinHorizon: Int

    public init(yearLabels: [String], counts: [Int], notWithinHorizon: Int) {
        self.yearLabels = yearLabels
        self.counts = counts
        self.notWithinHorizon = notWithinHorizon
    }

    public var replications: Int { counts.reduce(0, +) + notWithinHorizon }

    /// The median break-even year (an ordinal median): the first year by which at least half of
    /// the replications have broken even; nil when that does not happen within the horizon.
    public var medianYearIndex: Int? {
        var cumulative = 0
        for (y, c) in counts.enumerated() {
            cumulative += c
            if 2 * cumulative >= replications && replications > 0 { return y }
        }
        return nil
    }

    /// The year index of one replication's break-even, nil when not within the horizon.
    ///
    /// - Parameters:
    ///   - baseline: the baseline's `cost.total` per budget year.
    ///   - alternative: the alternative's `cost.total` per budget year.
    /// - Complexity: O(years).
    public static func yearIndex(baseline: [Double], alternative: [Double]) -> Int? {
        var a = 0.0, b = 0.0
        for y in 0..<min(baseline.count, alternative.count) {
            a += baseline[y]
            b += alternative[y]
            if b <= a { return y }
        }
        return nil
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
    /// per replication, summarised per year (the break-even year is where it first reaches ≤ 0).
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

    /// The unpaired 95 % half-width of a difference of two independent means.
    public static func unpairedHalfWidth(_ a: MetricSummary, _ b: MetricSummary) -> Double? {
        guard let sa = a.sd, let sb = b.sd, a.n > 1, b.n > 1 else { return nil }
        let t = Summaries.tQuantile975(degreesOfFreedom: a.n + b.n - 2)
        return t * (sa * sa / Double(a.n) + sb * sb / Double(b.n)).squareRoot()
    }
}
