import Foundation

/// The constants and continuation regions of the two fully sequential procedures that
/// ``ConstrainedSelection`` combines, both with Fabian's triangular region and c = 1.
///
/// **Selection of the best, procedure KN** (Kim & Nelson 2001, "A fully sequential procedure
/// for indifference-zone selection in simulation", ACM TOMACS 11(3):251–273), for k systems,
/// first-stage size n₀, indifference zone δ and confidence 1 − α:
///
///     η   = ½ [ (2α / (k − 1))^(−2/(n₀−1)) − 1 ]
///     h²  = 2 c η (n₀ − 1)                                   (c = 1)
///     S²ᵢₗ = 1/(n₀ − 1) Σⱼ₌₁..ₙ₀ (Xᵢⱼ − Xₗⱼ − [X̄ᵢ(n₀) − X̄ₗ(n₀)])²
///     Wᵢₗ(r) = max{ 0, δ/(2 c r) · (h² S²ᵢₗ / δ² − r) }
///
/// At stage r, system i is eliminated when it is worse than a survivor l by more than Wᵢₗ(r)
/// (for minimisation: X̄ᵢ(r) > X̄ₗ(r) + Wᵢₗ(r)). Because S²ᵢₗ is the variance of the paired
/// differences, KN is valid with common random numbers, and CRN makes it stop sooner. Wᵢₗ(r) = 0
/// from r > Nᵢₗ = ⌊h² S²ᵢₗ / δ²⌋, so KN ends by stage maxᵢₗ Nᵢₗ + 1.
///
/// **Feasibility check, procedure F_B** (Batur & Kim 2010, "Finding feasible systems in the
/// presence of constraints on multiple performance measures", ACM TOMACS 20(3), article 13;
/// the feasibility phase of Andradóttir & Kim 2010, "Fully sequential procedures for comparing
/// constrained systems via simulation", Naval Research Logistics 57(5):403–421), for a constraint
/// E[Y] ≤ q with tolerance ε:
///
///     R(r; ε, h², S²) = max{ 0, h² S² / (2 c ε) − ε r / (2 c) }
///     feasible   when Σⱼ₌₁..ᵣ (Yⱼ − q) ≤ −R(r)
///     infeasible when Σⱼ₌₁..ᵣ (Yⱼ − q) ≥  R(r)
///
/// with S² the first-stage variance of Y and η solving g_{n₀−1}(η) = β, where
/// g_n(η) = Σ_{ℓ=1..c} (−1)^(ℓ+1) (1 − ½·𝟙(ℓ = c)) (1 + 2η(2c − ℓ)ℓ/c)^(−n/2); at c = 1,
/// g_n(η) = ½ (1 + 2η)^(−n/2), so η = ½ [ (2β)^(−2/(n₀−1)) − 1 ] — KN's formula with β in place
/// of α/(k − 1). For k systems and s constraints whose outputs are dependent (CRN), F_B uses the
/// Bonferroni β = α/(k s) (Batur & Kim 2010, eq. (2), "otherwise").
public enum Boundaries {
    /// η for c = 1: ½ [ (2β)^(−2/(n₀−1)) − 1 ], the solution of g_{n₀−1}(η) = β.
    ///
    /// - Parameters:
    ///   - beta: the error of one comparison or one feasibility check, in (0, ½).
    ///   - n0: the first-stage sample size, ≥ 2.
    public static func eta(beta: Double, n0: Int) -> Double {
        precondition(n0 >= 2, "n0 must be at least 2")
        precondition(beta > 0 && beta < 0.5, "beta must be in (0, 0.5)")
        return 0.5 * (pow(2 * beta, -2 / Double(n0 - 1)) - 1)
    }

    /// h² = 2 c η (n₀ − 1) with c = 1.
    public static func hSquared(beta: Double, n0: Int) -> Double {
        2 * eta(beta: beta, n0: n0) * Double(n0 - 1)
    }

    /// KN's β for k systems at confidence 1 − α: α / (k − 1).
    public static func selectionBeta(alpha: Double, systems k: Int) -> Double {
        alpha / Double(max(k - 1, 1))
    }

    /// F_B's β for k dependent systems and s constraints at confidence 1 − α: α / (k s).
    public static func feasibilityBeta(alpha: Double, systems k: Int, constraints s: Int) -> Double {
        alpha / Double(max(k * s, 1))
    }

    /// KN's half-width Wᵢₗ(r) = max{0, δ/(2r) (h² S²ᵢₗ/δ² − r)} (c = 1), in the units of the means.
    public static func knHalfWidth(stage r: Int, hSquared: Double, variance: Double, delta: Double) -> Double {
        let rr = Double(r)
        return max(0, delta / (2 * rr) * (hSquared * variance / (delta * delta) - rr))
    }

    /// KN's Nᵢₗ = ⌊h² S²ᵢₗ / δ²⌋: the last stage at which Wᵢₗ can be positive.
    public static func knLastStage(hSquared: Double, variance: Double, delta: Double) -> Double {
        (hSquared * variance / (delta * delta)).rounded(.down)
    }

    /// F_B's R(r; ε, h², S²) = max{0, h² S²/(2ε) − ε r/2} (c = 1), in the units of a sum of r
    /// observations.
    public static func feasibilityBound(stage r: Int, hSquared: Double, variance: Double, tolerance: Double) -> Double {
        max(0, hSquared * variance / (2 * tolerance) - tolerance * Double(r) / 2)
    }
}
