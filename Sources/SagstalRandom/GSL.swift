import CGSL

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

    /// Whether GSL has a generator of this name (e.g. "mt19937", "ranlxd2", "taus2").
    public static func hasGenerator(named name: String) -> Bool {
        sagstal_rng_type_named(name) != nil
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
    public static func quantile(_ p: Double, degreesOfFreedom: Double) -> Double {
        GSL.configure()
        guard p > 0, p < 1, degreesOfFreedom > 0 else { return .nan }
        return gsl_cdf_tdist_Pinv(p, degreesOfFreedom)
    }
}
