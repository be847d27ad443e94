/// Running mean and variance of a stream of values, in one pass and O(1) memory.
///
/// Uses Welford's algorithm (B. P. Welford, "Note on a method for calculating
/// corrected sums of squares and products", *Technometrics* 4(3), 1962), which
/// updates the mean and the sum of squared deviations M₂ for each new value:
///
///     δ = x − mean;  mean += δ / n;  M₂ += δ · (x − mean)
///
/// This avoids the cancellation of the textbook Σx² − (Σx)²/n formula.
/// The result depends on the order in which values are added (in the last bits);
/// feed values in a fixed order when results must be reproducible.
public struct RunningStats: Sendable, Equatable {
    /// Number of values added.
    public private(set) var count: Int = 0
    /// Mean of the values added (0 when none).
    public private(set) var mean: Double = 0
    private var m2: Double = 0

    /// An empty accumulator.
    public init() {}

    /// Adds one value.
    ///
    /// - Complexity: O(1).
    public mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
    }

    /// Sample variance with the n − 1 denominator; 0 when fewer than two values.
    ///
    /// - Complexity: O(1).
    public var variance: Double {
        count > 1 ? m2 / Double(count - 1) : 0
    }

    /// Sample standard deviation, √``variance``.
    ///
    /// - Complexity: O(1).
    public var sd: Double { variance.squareRoot() }
}
