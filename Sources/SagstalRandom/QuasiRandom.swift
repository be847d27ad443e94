import CGSL

/// GSL's Sobol quasi-random sequence (`gsl_qrng_sobol`), owned by this object and freed in `deinit`.
///
/// GSL implements the Sobol sequence of Antonov & Saleev (1980) in Gray-code order with the
/// direction numbers of Bratley & Fox (1988, ACM TOMS algorithm 659; initial values from
/// Sobol & Levitan 1976) for 1…40 dimensions and 30 bits. Its first call returns sequence point
/// 1 (0.5, 0.5, …): the origin, point 0 of the sequence, is never returned, so after `k` calls
/// the sequence has advanced past points 0…k. In dimensions 1 and 2 the points equal those of
/// Joe & Kuo's direction numbers (which SciPy and SALib use); from dimension 3 on they differ.
///
/// Not `Sendable`: one sequence per use, never shared between threads.
public final class SobolSequence {
    /// The largest dimension GSL's Sobol generator supports.
    public static let maxDimension = 40
    /// GSL's generator has 30 bits: it can return 2³⁰ − 1 points.
    public static let maxPoints = (1 << 30) - 1

    @usableFromInline let qrng: UnsafeMutablePointer<gsl_qrng>
    public let dimension: Int
    /// Points returned so far (calls of `next`, including the skipped ones).
    public private(set) var pointsReturned = 0

    /// A Sobol sequence in `dimension` dimensions; nil when `dimension` is outside 1…40 or GSL
    /// cannot allocate it.
    public init?(dimension: Int) {
        GSL.configure()
        guard dimension >= 1, dimension <= SobolSequence.maxDimension,
              let q = gsl_qrng_alloc(sagstal_qrng_sobol(), UInt32(dimension)) else { return nil }
        self.qrng = q
        self.dimension = dimension
    }

    deinit { gsl_qrng_free(qrng) }

    /// The next point (`gsl_qrng_get`), `dimension` coordinates in [0, 1); nil once the
    /// generator's 2³⁰ − 1 points are used up.
    public func next() -> [Double]? {
        var v = [Double](repeating: 0, count: dimension)
        let status = v.withUnsafeMutableBufferPointer { gsl_qrng_get(qrng, $0.baseAddress) }
        guard status == GSL_SUCCESS else { return nil }
        pointsReturned += 1
        return v
    }

    /// Draws and discards `count` points; false when the generator ran out.
    @discardableResult
    public func skip(_ count: Int) -> Bool {
        guard count > 0 else { return true }
        var v = [Double](repeating: 0, count: dimension)
        return v.withUnsafeMutableBufferPointer { buffer in
            for _ in 0..<count {
                guard gsl_qrng_get(qrng, buffer.baseAddress) == GSL_SUCCESS else { return false }
                pointsReturned += 1
            }
            return true
        }
    }
}

/// The standard normal distribution (GSL `gsl_cdf_ugaussian_Pinv`).
public enum StandardNormal {
    /// The quantile z with Φ(z) = p; NaN when p is outside (0, 1).
    public static func quantile(_ p: Double) -> Double {
        GSL.configure()
        guard p > 0, p < 1 else { return .nan }
        return gsl_cdf_ugaussian_Pinv(p)
    }
}

extension RandomStream {
    /// A uniform integer in 0..<n (`gsl_rng_uniform_int`, which rejects instead of taking a
    /// remainder, so every value is equally likely).
    /// - Precondition: 1 ≤ n ≤ 2³² (mt19937's range; GSL's limit for the generator).
    @inlinable public func uniformInt(below n: Int) -> Int {
        precondition(n >= 1, "uniformInt(below:) needs n ≥ 1")
        return Int(gsl_rng_uniform_int(rng, UInt(n)))
    }

    /// Shuffles `values` in place with `gsl_ran_shuffle` (Fisher–Yates: for i = n−1 down to 1,
    /// swap element i with element `gsl_rng_uniform_int(r, i + 1)`).
    public func shuffle(_ values: inout [Int]) {
        let count = values.count
        guard count > 1 else { return }
        values.withUnsafeMutableBytes { raw in
            gsl_ran_shuffle(rng, raw.baseAddress, count, MemoryLayout<Int>.stride)
        }
    }
}
