import CGSL
import Foundation

/// One-time GSL set-up and small facts about the linked library.
///
/// GSL's default error handler aborts the process. sagstal switches it off
/// once, before the first generator is made, and checks results instead.
public enum GSL {
    /// Switches off GSL's abort-on-error handler. Idempotent and cheap.
    public static func configure() {
        _ = configured
    }

    private static let configured: Bool = {
        sagstal_gsl_disable_abort()
        return true
    }()

    /// The linked GSL version, e.g. "2.7.1".
    public static var version: String { String(cString: sagstal_gsl_version()) }

    /// The GSL generators sagstal accepts for `simulation.generator`: full-period, well-tested
    /// generators whose output covers [0, 2³²) or is a 24-/48-bit luxury level. GSL's older
    /// generators (`ran1`, `ran2` crash GSL's samplers under sagstal's seeding; `rand`, `randu`,
    /// `minstd`, … are statistically weak) are refused with this list as the suggestion.
    public static let supportedGenerators = [
        "mt19937", "mt19937_1999", "mt19937_1998", "ranlxs0", "ranlxs1", "ranlxs2", "ranlxd1", "ranlxd2",
        "ranlux", "ranlux389", "cmrg", "mrg", "taus", "taus2", "taus113", "gfsr4",
    ]

    /// Whether `name` is a generator sagstal accepts (one of `supportedGenerators` that the
    /// linked GSL has).
    public static func hasGenerator(named name: String) -> Bool {
        supportedGenerators.contains(name) && sagstal_rng_type_named(name) != nil
    }
}

/// Errors from GSL calls, turned into Swift errors.
public enum GSLError: Error, CustomStringConvertible, Equatable {
    case unknownGenerator(String)
    case allocationFailed(String)
    case invalidDistribution(String)

    public var description: String {
        switch self {
        case .unknownGenerator(let name): return "GSL has no random number generator named '\(name)'"
        case .allocationFailed(let what): return "GSL could not allocate \(what)"
        case .invalidDistribution(let why): return "invalid distribution: \(why)"
        }
    }
}

/// Student's t distribution (GSL `gsl_cdf_tdist_Pinv`).
public enum StudentT {
    /// The quantile t such that P(T ≤ t) = p for `degreesOfFreedom` ν.
    ///
    /// - Parameters:
    ///   - p: probability in (0, 1).
    ///   - degreesOfFreedom: ν > 0.
    /// - Returns: the quantile, or NaN when the arguments are outside their domain.
    ///
    /// Memoised per (p, ν): a run's summaries ask for the same t(0.975, n − 1) for every metric
    /// and period (thousands of calls, each a few thousand instructions inside GSL). The cache is
    /// lock-protected, so summaries may be computed on several threads.
    public static func quantile(_ p: Double, degreesOfFreedom: Double) -> Double {
        GSL.configure()
        guard p > 0, p < 1, degreesOfFreedom > 0 else { return .nan }
        let key = Key(p: p.bitPattern, df: degreesOfFreedom.bitPattern)
        lock.lock()
        if let t = cache[key] { lock.unlock(); return t }
        lock.unlock()
        let t = gsl_cdf_tdist_Pinv(p, degreesOfFreedom)
        lock.lock()
        cache[key] = t
        lock.unlock()
        return t
    }

    private struct Key: Hashable {
        var p: UInt64
        var df: UInt64
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [Key: Double] = [:]
}
