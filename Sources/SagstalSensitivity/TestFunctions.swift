#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Functions with known sensitivity indices, for tests and for checking a set-up.
public enum TestFunctions {
    /// The factors of the Ishigami function: x1, x2, x3 each uniform on [−π, π].
    public static let ishigamiFactors = ["x1", "x2", "x3"].map { FactorRange(name: $0, lo: -Double.pi, hi: Double.pi) }

    /// Ishigami & Homma (1990): f(x) = sin x1 + a sin² x2 + b x3⁴ sin x1 (SALib's
    /// `SALib.test_functions.Ishigami.evaluate`, a = 7, b = 0.1).
    public static func ishigami(_ x: [Double], a: Double = 7, b: Double = 0.1) -> Double {
        sin(x[0]) + a * pow(sin(x[1]), 2) + b * pow(x[2], 4) * sin(x[0])
    }

    /// The analytic variance decomposition of the Ishigami function with x_i ~ U(−π, π):
    /// V1 = ½(1 + bπ⁴/5)², V2 = a²/8, V3 = 0, V13 = b²π⁸(1/18 − 1/50) = 8b²π⁸/225,
    /// V = a²/8 + bπ⁴/5 + b²π⁸/18 + ½ (Saltelli et al. 2008, *Global Sensitivity Analysis: The Primer*, §4.9;
    /// Sobol & Levitan 1999).
    public struct IshigamiIndices: Sendable, Equatable {
        public let variance: Double
        public let firstOrder: [Double]
        public let totalOrder: [Double]
    }

    /// S1 = (V1, V2, 0)/V and ST = (V1 + V13, V2, V13)/V; for a = 7, b = 0.1:
    /// S1 ≈ (0.3139, 0.4424, 0), ST ≈ (0.5576, 0.4424, 0.2437).
    public static func ishigamiIndices(a: Double = 7, b: Double = 0.1) -> IshigamiIndices {
        let pi4 = pow(Double.pi, 4), pi8 = pow(Double.pi, 8)
        let v1 = 0.5 * pow(1 + b * pi4 / 5, 2)
        let v2 = a * a / 8
        let v13 = 8 * b * b * pi8 / 225
        let v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5
        return IshigamiIndices(variance: v, firstOrder: [v1 / v, v2 / v, 0],
                               totalOrder: [(v1 + v13) / v, v2 / v, v13 / v])
    }

    /// The exact Morris statistics of a function on the p-level grid design of
    /// ``MorrisSample``: in that design, when factor i moves, it moves between grid levels
    /// (ℓ, ℓ + p/2) with ℓ uniform on 0…p/2−1, and every other factor sits on a level uniform on
    /// 0…p−1, independently (each factor's start level and direction are independent and
    /// uniform, and both its start and its end are uniform on the grid). So E|EE_i| (μ*), E EE_i
    /// (μ) and sd EE_i (σ, population) are averages over (p/2)·p^(D−1) grid configurations.
    /// - Complexity: O((p/2)·p^(D−1)·D) evaluations of `f`; keep D small.
    public static func exactMorris(_ f: ([Double]) -> Double, factors: [FactorRange], levels p: Int = 4)
        -> (mu: [Double], muStar: [Double], sigma: [Double]) {
        let d = factors.count, half = p / 2
        let delta = Double(p) / (2.0 * Double(p - 1))
        var mu = [Double](), muStar = [Double](), sigma = [Double]()
        for i in 0..<d {
            var s = 0.0, sa = 0.0, s2 = 0.0, count = 0
            let others = (0..<d).filter { $0 != i }
            var combos = 1
            for _ in others { combos *= p }
            for lower in 0..<half {
                for c in 0..<combos {
                    var level = [Int](repeating: 0, count: d)
                    var k = c
                    for j in others { level[j] = k % p; k /= p }
                    func point(_ li: Int) -> [Double] {
                        level[i] = li
                        return (0..<d).map { factors[$0].scale(Double(level[$0]) / Double(p - 1)) }
                    }
                    let e = (f(point(lower + half)) - f(point(lower))) / delta
                    s += e; sa += abs(e); s2 += e * e; count += 1
                }
            }
            let m = s / Double(count)
            mu.append(m)
            muStar.append(sa / Double(count))
            sigma.append(max(0, s2 / Double(count) - m * m).squareRoot())
        }
        return (mu, muStar, sigma)
    }
}
