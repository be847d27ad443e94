import CGSL

/// The eigen-decomposition of a real symmetric matrix with GSL (`gsl_eigen_symmv`): used by
/// `calibrate` for the curvature of its distance (an eigenvalue near 0 is a direction the
/// targets do not pin down) and for the covariance of its estimates.
public struct SymmetricEigen: Sendable, Equatable {
    /// Eigenvalues, ascending.
    public let values: [Double]
    /// `vectors[k]` is the unit eigenvector of `values[k]`.
    public let vectors: [[Double]]

    /// - Parameter matrix: a square symmetric matrix (row-major rows); only its lower triangle is read.
    public init(_ matrix: [[Double]]) throws {
        GSL.configure()
        let n = matrix.count
        precondition(n >= 1 && matrix.allSatisfy { $0.count == n }, "a square matrix is needed")
        guard let a = gsl_matrix_alloc(n, n), let evec = gsl_matrix_alloc(n, n), let eval = gsl_vector_alloc(n),
              let work = gsl_eigen_symmv_alloc(n) else { throw GSLError.allocationFailed("an eigen-decomposition") }
        defer { gsl_matrix_free(a); gsl_matrix_free(evec); gsl_vector_free(eval); gsl_eigen_symmv_free(work) }
        for i in 0..<n { for j in 0..<n { gsl_matrix_set(a, i, j, matrix[i][j]) } }
        guard gsl_eigen_symmv(a, eval, evec, work) == GSL_SUCCESS else {
            throw GSLError.invalidDistribution("the eigen-decomposition did not converge")
        }
        gsl_eigen_symmv_sort(eval, evec, GSL_EIGEN_SORT_VAL_ASC)
        values = (0..<n).map { gsl_vector_get(eval, $0) }
        vectors = (0..<n).map { k in (0..<n).map { gsl_matrix_get(evec, $0, k) } }
    }

    /// V diag(1/λ) Vᵀ over the eigenvalues above `relativeCutoff` × the largest (a pseudo-inverse
    /// when some are not); nil when no eigenvalue is positive.
    public func inverse(relativeCutoff: Double = 1e-10) -> [[Double]]? {
        guard let top = values.last, top > 0 else { return nil }
        let n = values.count
        var out = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for (k, λ) in values.enumerated() where λ > relativeCutoff * top {
            for i in 0..<n { for j in 0..<n { out[i][j] += vectors[k][i] * vectors[k][j] / λ } }
        }
        return out
    }
}
