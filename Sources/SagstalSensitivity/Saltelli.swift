import SagstalRandom

/// Saltelli (2010) sampling for first- and total-order Sobol indices, the layout SALib uses
/// (`SALib.sample.sobol` / `saltelli` with `calc_second_order=False`).
///
/// **Base points.** Point j (j = 0…N−1) of GSL's Sobol sequence in 2D dimensions (`gsl_qrng_sobol`,
/// see ``SagstalRandom/SobolSequence``) gives A_j (its first D coordinates) and B_j (the last D).
/// The first `skippedPoints(baseSamples:)` = M points of the sequence are skipped, M = the
/// smallest power of two ≥ N and at least 16 — the default of SALib's `saltelli.sample`, which
/// skips M points counting the origin. GSL never returns the origin, so sagstal discards M − 1
/// GSL points and base point j is sequence point M + j. Skipping M (a power of two ≥ N) makes
/// points M…M+N−1 an aligned block of the sequence when N is a power of two, so use N = 2^k.
///
/// **Layout.** N blocks of D + 2 rows: A_j, AB_j^(1) … AB_j^(D) (A_j with column i taken from
/// B_j), B_j; N·(D+2) rows in all, each scaled to the factors' ranges by u·(hi − lo) + lo.
///
/// For one factor (2 dimensions, where GSL's direction numbers equal Joe & Kuo's) the matrix
/// equals SALib's `saltelli.sample(problem, N, calc_second_order=False)` bit for bit; from two
/// factors on, dimensions 3… of GSL (Bratley & Fox) differ from Joe & Kuo's, so the points
/// differ while the design is the same.
public enum SaltelliSample {
    /// At most 20 factors: GSL's Sobol generator has 40 dimensions and the design needs 2D.
    public static let maxFactors = SobolSequence.maxDimension / 2

    /// M, the points of the Sobol sequence (counting the origin) skipped before the first base
    /// point: the smallest power of two ≥ N, at least 16.
    public static func skippedPoints(baseSamples n: Int) -> Int {
        var m = 16
        while m < n { m <<= 1 }
        return m
    }

    /// The N·(D+2) × D sample matrix, rows as described above.
    ///
    /// - Parameters:
    ///   - factors: D factors with lo < hi, unique names, D ≤ 20.
    ///   - n: base samples N ≥ 2 (a power of two is best).
    /// - Throws: `SensitivityError` for bad factors or N.
    public static func matrix(_ factors: [FactorRange], baseSamples n: Int) throws -> [[Double]] {
        try Checks.factors(factors)
        let d = factors.count
        guard d <= maxFactors else {
            throw SensitivityError.tooManyFactors(found: d, maximum: maxFactors,
                why: "the Saltelli design needs 2 × factors dimensions of GSL's Sobol sequence, which has 40")
        }
        guard n >= 2 else { throw SensitivityError.tooFewSamples(what: "base samples", found: n, minimum: 2) }
        let skip = skippedPoints(baseSamples: n)
        guard skip + n <= SobolSequence.maxPoints else {
            throw SensitivityError.tooManySamples(what: "base samples", found: n, maximum: (SobolSequence.maxPoints + 1) / 2)
        }
        guard let sequence = SobolSequence(dimension: 2 * d) else { throw SensitivityError.sequenceExhausted }
        guard sequence.skip(skip - 1) else { throw SensitivityError.sequenceExhausted }

        var rows: [[Double]] = []
        rows.reserveCapacity(n * (d + 2))
        for _ in 0..<n {
            guard let p = sequence.next() else { throw SensitivityError.sequenceExhausted }
            let a = (0..<d).map { factors[$0].scale(p[$0]) }
            let b = (0..<d).map { factors[$0].scale(p[d + $0]) }
            rows.append(a)
            for i in 0..<d {
                var ab = a
                ab[i] = b[i]
                rows.append(ab)
            }
            rows.append(b)
        }
        return rows
    }
}
