/// The metrics of one run and the periods they are reported for (MODEL.md §8).
///
/// `periodMetrics` appear in the totals and in every budget year and month;
/// `totalsOnlyMetrics` (e.g. `cost.npv`) appear in the totals only.
public struct MetricLayout: Sendable, Equatable, Codable {
    public let periodMetrics: [String]
    public let totalsOnlyMetrics: [String]
    /// Budget-year labels, e.g. ["2026", "2027", …].
    public let yearLabels: [String]
    /// Month labels, e.g. ["2026-01", "2026-02", …].
    public let monthLabels: [String]

    public init(periodMetrics: [String], totalsOnlyMetrics: [String], yearLabels: [String], monthLabels: [String]) {
        self.periodMetrics = periodMetrics
        self.totalsOnlyMetrics = totalsOnlyMetrics
        self.yearLabels = yearLabels
        self.monthLabels = monthLabels
    }

    /// Column order of the totals: period metrics, then totals-only metrics.
    public var totalsMetrics: [String] { periodMetrics + totalsOnlyMetrics }
}

/// What one replication reports. A NaN value means "no value" (a ratio metric whose
/// denominator was empty in that replication); it is left out of that metric's statistics.
public struct ReplicationRecord: Sendable {
    public let replication: Int
    /// One value per `layout.totalsMetrics`.
    public var totals: [Double]
    /// Year-major: `yearly[y * periodMetrics.count + m]`.
    public var yearly: [Double]
    /// Month-major: `monthly[k * periodMetrics.count + m]`.
    public var monthly: [Double]
    /// Events the engine processed in this replication.
    public var eventsProcessed: Int

    public init(replication: Int, totals: [Double], yearly: [Double], monthly: [Double], eventsProcessed: Int) {
        self.replication = replication
        self.totals = totals
        self.yearly = yearly
        self.monthly = monthly
        self.eventsProcessed = eventsProcessed
    }
}
