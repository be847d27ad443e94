import CGSL

/// Brent's method for a root of f on a bracket [lo, hi] with f(lo), f(hi) of opposite signs
/// (GSL `gsl_root_fsolver_brent`, stopping on `gsl_root_test_interval`).
///
/// `f` may be expensive (a simulation) and may throw: the first error stops the solver and is
/// rethrown. Every evaluation is reported to `f`'s caller; the values at the two ends are
/// passed in so they are not evaluated again.
public enum RootFinder {
    public struct Result: Sendable, Equatable {
        public let root: Double
        /// The final bracket.
        public let lo: Double
        public let hi: Double
        public let iterations: Int
        public let converged: Bool
    }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case notBracketed(lo: Double, hi: Double, fLo: Double, fHi: Double)
        case gsl(Int32)

        public var description: String {
            switch self {
            case .notBracketed(let lo, let hi, let a, let b):
                return "no sign change between \(lo) (f = \(a)) and \(hi) (f = \(b))"
            case .gsl(let code): return "GSL root solver failed: \(String(cString: gsl_strerror(code)))"
            }
        }
    }

    private final class Context {
        let f: (Double) throws -> Double
        var error: Error?
        var cache: [(Double, Double)]
        init(_ f: @escaping (Double) throws -> Double, cache: [(Double, Double)]) {
            self.f = f
            self.cache = cache
        }
    }

    /// Finds a root of `f` in [lo, hi].
    /// - Parameters:
    ///   - fLo, fHi: f at the ends, when already known.
    ///   - absoluteTolerance, relativeTolerance: stop when the bracket is narrower than
    ///     `absoluteTolerance + relativeTolerance · |root|`.
    ///   - maxIterations: stop (not converged) after this many iterations.
    public static func brent(lo: Double, hi: Double, fLo: Double? = nil, fHi: Double? = nil,
                             absoluteTolerance: Double, relativeTolerance: Double = 0, maxIterations: Int = 50,
                             _ f: @escaping (Double) throws -> Double) throws -> Result {
        GSL.configure()
        var cache: [(Double, Double)] = []
        if let fLo { cache.append((lo, fLo)) }
        if let fHi { cache.append((hi, fHi)) }
        let a = try fLo ?? f(lo), b = try fHi ?? f(hi)
        if a == 0 { return Result(root: lo, lo: lo, hi: lo, iterations: 0, converged: true) }
        if b == 0 { return Result(root: hi, lo: hi, hi: hi, iterations: 0, converged: true) }
        guard (a < 0) != (b < 0), a.isFinite, b.isFinite else { throw Failure.notBracketed(lo: lo, hi: hi, fLo: a, fHi: b) }
        cache = [(lo, a), (hi, b)]
        let context = Context(f, cache: cache)
        let unmanaged = Unmanaged.passRetained(context)
        defer { unmanaged.release() }
        var function = gsl_function(function: { x, params in
            let c = Unmanaged<Context>.fromOpaque(params!).takeUnretainedValue()
            if let hit = c.cache.first(where: { $0.0 == x }) { return hit.1 }
            if c.error != nil { return .nan }
            do {
                let y = try c.f(x)
                c.cache.append((x, y))
                return y
            } catch {
                c.error = error
                return .nan
            }
        }, params: unmanaged.toOpaque())
        guard let solver = gsl_root_fsolver_alloc(sagstal_root_brent()) else { throw GSLError.allocationFailed("a root solver") }
        defer { gsl_root_fsolver_free(solver) }
        var status = gsl_root_fsolver_set(solver, &function, lo, hi)
        if let e = context.error { throw e }
        guard status == 0 else { throw Failure.gsl(status) }
        var iterations = 0
        var converged = false
        while iterations < maxIterations {
            iterations += 1
            status = gsl_root_fsolver_iterate(solver)
            if let e = context.error { throw e }
            guard status == 0 else { throw Failure.gsl(status) }
            let l = gsl_root_fsolver_x_lower(solver), u = gsl_root_fsolver_x_upper(solver)
            if gsl_root_test_interval(l, u, absoluteTolerance, relativeTolerance) == 0 {
                converged = true
                break
            }
        }
        return Result(root: gsl_root_fsolver_root(solver), lo: gsl_root_fsolver_x_lower(solver),
                      hi: gsl_root_fsolver_x_upper(solver), iterations: iterations, converged: converged)
    }
}
