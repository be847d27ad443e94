import CGSL

/// Unconstrained minimisation of f: ℝⁿ → ℝ with GSL's multimin: the Nelder-Mead simplex
/// (`gsl_multimin_fminimizer_nmsimplex2`, stopping on `gsl_multimin_test_size`), optionally
/// followed by a BFGS polish (`gsl_multimin_fdfminimizer_vector_bfgs2`, stopping on
/// `gsl_multimin_test_gradient`) with a central-difference gradient. The polish is kept only
/// when it lowers f.
///
/// `f` may return +∞ or NaN outside its domain; the simplex treats both as +∞ (GSL stops on a
/// non-finite value, so they are replaced by `Double.greatestFiniteMagnitude`).
public enum Minimizer {
    public struct Result: Sendable, Equatable {
        public let x: [Double]
        public let value: Double
        public let iterations: Int
        /// The simplex met the size test (and, when polished, the polish did not fail).
        public let converged: Bool
        /// Whether the BFGS polish ran and improved on the simplex.
        public let polished: Bool
    }

    private final class Context {
        let f: ([Double]) -> Double
        let n: Int
        init(_ f: @escaping ([Double]) -> Double, n: Int) {
            self.f = f
            self.n = n
        }

        func value(_ v: UnsafePointer<gsl_vector>?) -> Double {
            var x = [Double](repeating: 0, count: n)
            for i in 0..<n { x[i] = gsl_vector_get(v, i) }
            let y = f(x)
            return y.isFinite ? y : Double.greatestFiniteMagnitude
        }

        /// Central differences with steps 1e-6 · max(1, |xᵢ|).
        func gradient(_ v: UnsafePointer<gsl_vector>?, _ g: UnsafeMutablePointer<gsl_vector>?) {
            var x = [Double](repeating: 0, count: n)
            for i in 0..<n { x[i] = gsl_vector_get(v, i) }
            for i in 0..<n {
                let h = 1e-6 * max(1, abs(x[i]))
                var a = x, b = x
                a[i] += h
                b[i] -= h
                gsl_vector_set(g, i, (f(a) - f(b)) / (2 * h))
            }
        }
    }

    /// Minimises `f` from `start`.
    /// - Parameters:
    ///   - step: the initial simplex's step in each coordinate.
    ///   - sizeTolerance: stop when the simplex's characteristic size is below this.
    ///   - maxIterations: simplex iterations per run at most (and as many BFGS iterations).
    ///   - restarts: simplex restarts from the best vertex when a run does not meet the size test.
    ///   - polish: run the BFGS polish after the simplex.
    ///   - gradientTolerance: BFGS stops when |∇f| is below this.
    public static func minimize(start: [Double], step: [Double], sizeTolerance: Double = 1e-8,
                                maxIterations: Int = 2_000, restarts: Int = 3, polish: Bool = true, gradientTolerance: Double = 1e-6,
                                _ f: @escaping ([Double]) -> Double) throws -> Result {
        GSL.configure()
        let n = start.count
        precondition(n >= 1 && step.count == n, "start and step must have the same positive length")
        let context = Context(f, n: n)
        let unmanaged = Unmanaged.passRetained(context)
        defer { unmanaged.release() }

        guard let x0 = gsl_vector_alloc(n), let ss = gsl_vector_alloc(n) else { throw GSLError.allocationFailed("a vector") }
        defer { gsl_vector_free(x0); gsl_vector_free(ss) }
        for i in 0..<n {
            gsl_vector_set(x0, i, start[i])
            gsl_vector_set(ss, i, step[i])
        }
        var function = gsl_multimin_function(f: { v, params in
            Unmanaged<Context>.fromOpaque(params!).takeUnretainedValue().value(v)
        }, n: n, params: unmanaged.toOpaque())
        guard let s = gsl_multimin_fminimizer_alloc(sagstal_multimin_nmsimplex2(), n) else {
            throw GSLError.allocationFailed("a simplex minimiser")
        }
        defer { gsl_multimin_fminimizer_free(s) }
        // nmsimplex2 can stall with a collapsed simplex whose size never meets the test; the
        // usual remedy is to restart from the best vertex with the initial steps. Up to
        // `restarts` restarts; converged when a run meets the size test.
        var iterations = 0
        var converged = false
        var best = start
        var bestValue = Double.infinity
        for _ in 0...restarts {
            for i in 0..<n { gsl_vector_set(x0, i, best[i]) }
            guard gsl_multimin_fminimizer_set(s, &function, x0, ss) == GSL_SUCCESS else {
                throw GSLError.invalidDistribution("the minimiser could not start at \(best)")
            }
            var runIterations = 0
            while runIterations < maxIterations {
                runIterations += 1
                if gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS { break }
                if gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), sizeTolerance) == GSL_SUCCESS {
                    converged = true
                    break
                }
            }
            iterations += runIterations
            if s.pointee.fval <= bestValue {
                best = (0..<n).map { gsl_vector_get(s.pointee.x, $0) }
                bestValue = s.pointee.fval
            }
            if converged { break }
        }
        var polished = false
        guard polish else {
            return Result(x: best, value: bestValue, iterations: iterations, converged: converged, polished: false)
        }

        var fdf = gsl_multimin_function_fdf(
            f: { v, params in Unmanaged<Context>.fromOpaque(params!).takeUnretainedValue().value(v) },
            df: { v, params, g in Unmanaged<Context>.fromOpaque(params!).takeUnretainedValue().gradient(v, g) },
            fdf: { v, params, y, g in
                let c = Unmanaged<Context>.fromOpaque(params!).takeUnretainedValue()
                y?.pointee = c.value(v)
                c.gradient(v, g)
            }, n: n, params: unmanaged.toOpaque())
        guard let b = gsl_multimin_fdfminimizer_alloc(sagstal_multimin_bfgs2(), n) else {
            throw GSLError.allocationFailed("a BFGS minimiser")
        }
        defer { gsl_multimin_fdfminimizer_free(b) }
        for i in 0..<n { gsl_vector_set(x0, i, best[i]) }
        let firstStep = step.map(abs).min()! * 1e-3
        if gsl_multimin_fdfminimizer_set(b, &fdf, x0, firstStep, 0.1) == GSL_SUCCESS {
            for _ in 0..<maxIterations {
                if gsl_multimin_fdfminimizer_iterate(b) != GSL_SUCCESS { break }
                if gsl_multimin_test_gradient(b.pointee.gradient, gradientTolerance) == GSL_SUCCESS { break }
            }
            let value = b.pointee.f
            if value.isFinite, value < bestValue {
                best = (0..<n).map { gsl_vector_get(b.pointee.x, $0) }
                bestValue = value
                polished = true
            }
        }
        return Result(x: best, value: bestValue, iterations: iterations, converged: converged, polished: polished)
    }
}

/// GSL special functions and CDFs used by the duration fits (`gsl_sf_*`, `gsl_cdf_*`).
public enum SpecialFunctions {
    /// ln Γ(x) for x > 0 (`gsl_sf_lngamma`).
    public static func lnGamma(_ x: Double) -> Double { GSL.configure(); return gsl_sf_lngamma(x) }
    /// Regularised lower incomplete gamma P(a, x) (`gsl_sf_gamma_inc_P`).
    public static func gammaP(_ a: Double, _ x: Double) -> Double {
        GSL.configure()
        var r = gsl_sf_result()
        return gsl_sf_gamma_inc_P_e(a, x, &r) == GSL_SUCCESS ? r.val : .nan
    }
    /// Regularised upper incomplete gamma Q(a, x) (`gsl_sf_gamma_inc_Q`).
    public static func gammaQ(_ a: Double, _ x: Double) -> Double {
        GSL.configure()
        var r = gsl_sf_result()
        return gsl_sf_gamma_inc_Q_e(a, x, &r) == GSL_SUCCESS ? r.val : .nan
    }
    /// ln erfc(x) (`gsl_sf_log_erfc`), accurate far into the tail.
    public static func logErfc(_ x: Double) -> Double { GSL.configure(); return gsl_sf_log_erfc(x) }
    /// Standard normal CDF Φ(x) (`gsl_cdf_ugaussian_P`).
    public static func normalP(_ x: Double) -> Double { gsl_cdf_ugaussian_P(x) }
    /// Standard normal upper tail 1 − Φ(x) (`gsl_cdf_ugaussian_Q`).
    public static func normalQ(_ x: Double) -> Double { gsl_cdf_ugaussian_Q(x) }
    /// Standard normal quantile Φ⁻¹(p) (`gsl_cdf_ugaussian_Pinv`).
    public static func normalQuantile(_ p: Double) -> Double { gsl_cdf_ugaussian_Pinv(p) }
    /// Gamma(shape, scale) quantile (`gsl_cdf_gamma_Pinv`).
    public static func gammaQuantile(_ p: Double, shape: Double, scale: Double) -> Double {
        GSL.configure()
        return gsl_cdf_gamma_Pinv(p, shape, scale)
    }
}
