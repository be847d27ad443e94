import Foundation
import SagstalStats

/// One replication's outputs of one configuration: the objective and each constraint's metric.
public struct Observation: Sendable, Equatable {
    public var objective: Double
    public var constraints: [Double]

    public init(objective: Double, constraints: [Double]) {
        self.objective = objective
        self.constraints = constraints
    }
}

/// The settings of ``ConstrainedSelection``.
public struct SelectionSettings: Sendable, Equatable {
    /// 1 − α is the guaranteed probability of correct selection.
    public var alpha: Double
    /// The indifference zone δ > 0, in the objective's units.
    public var delta: Double
    /// The first-stage sample size n₀ (every configuration), from which the variances are estimated.
    public var n0: Int
    /// The most replications of one configuration; the procedure stops there (without its guarantee).
    public var maxReplications: Int
    /// The share of α spent on the feasibility checks; the rest goes to the comparisons.
    /// Andradóttir & Kim (2010) bound P(correct selection) ≥ 1 − α₁ − α₂ and split α equally.
    public var feasibilityShare: Double

    public static let defaultAlpha = 0.05
    public static let defaultN0 = 10

    public init(alpha: Double = defaultAlpha, delta: Double, n0: Int = defaultN0, maxReplications: Int,
                feasibilityShare: Double = 0.5) {
        self.alpha = alpha
        self.delta = delta
        self.n0 = n0
        self.maxReplications = maxReplications
        self.feasibilityShare = feasibilityShare
    }

    /// α₁, the error of all feasibility decisions together (0 without constraints: nothing to decide).
    public func alphaFeasibility(constraints s: Int) -> Double { s > 0 ? alpha * feasibilityShare : 0 }

    /// α₂, the error of the comparisons (all of α without constraints).
    public func alphaSelection(constraints s: Int) -> Double { alpha - alphaFeasibility(constraints: s) }

    /// - Throws: ``OptimiseInputError`` naming the option with a bad value.
    public func validate() throws {
        guard alpha.isFinite, alpha > 0, alpha <= 0.5 else {
            throw OptimiseInputError("--alpha: expected a number in (0, 0.5] (e.g. 0.05 for 95 % confidence), found \(alpha)")
        }
        guard delta.isFinite, delta > 0 else {
            throw OptimiseInputError("--delta: expected a number > 0 in the objective's units, found \(delta)")
        }
        guard n0 >= 2 else { throw OptimiseInputError("--n0: expected a whole number ≥ 2, found \(n0)") }
        guard maxReplications >= n0 else {
            throw OptimiseInputError("--max-replications: \(maxReplications) is below --n0 \(n0); the first stage alone needs \(n0) replications")
        }
        guard feasibilityShare > 0, feasibilityShare < 1 else {
            throw OptimiseInputError("the feasibility share of α must be in (0, 1), found \(feasibilityShare)")
        }
    }
}

/// Where a configuration stands.
public enum ConfigurationStatus: Sendable, Equatable {
    /// Still sampled.
    case contending
    /// The selected configuration, at the stage the procedure stopped.
    case chosen(stage: Int)
    /// Worse on the objective than configuration `by` (declared feasible) by more than KN's W.
    case eliminated(stage: Int, by: Int)
    /// Constraint `constraint` declared violated (F_B's sum reached +R).
    case infeasible(stage: Int, constraint: Int)
    /// Left at KN's last stage (every W = 0) with the same sample mean as the chosen one; the
    /// lower grid index was chosen.
    case tied(stage: Int, with: Int)
    /// Still contending when the maximum number of replications was reached.
    case stopped(stage: Int)

    public var stage: Int? {
        switch self {
        case .contending: return nil
        case .chosen(let s), .eliminated(let s, _), .infeasible(let s, _), .tied(let s, _), .stopped(let s): return s
        }
    }
}

/// The feasibility decision on one constraint of one configuration.
public enum ConstraintDecision: Sendable, Equatable {
    case open
    case satisfied(stage: Int)
    case violated(stage: Int)
}

/// How the procedure ended.
public struct SelectionOutcome: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// One configuration declared feasible remains: selected with the guarantee.
        case selected
        /// Every configuration was declared infeasible.
        case noFeasible
        /// The maximum number of replications was reached first: no guarantee.
        case maximumReached
    }
    public var kind: Kind
    /// The selected configuration (for `maximumReached`, the best guess, if any).
    public var chosen: Int?
    /// The stage (replications per contender) at which it ended.
    public var stage: Int

    public init(kind: Kind, chosen: Int?, stage: Int) {
        self.kind = kind
        self.chosen = chosen
        self.stage = stage
    }
}

/// A value the procedure cannot use (a ratio metric with an empty denominator in a replication).
public struct MissingValue: Error, Equatable, Sendable {
    public let configuration: Int
    public let replication: Int
    /// Index into the constraints, or nil for the objective.
    public let constraint: Int?

    public init(configuration: Int, replication: Int, constraint: Int?) {
        self.configuration = configuration
        self.replication = replication
        self.constraint = constraint
    }
}

/// Statistics of one configuration when the procedure has ended.
public struct ConfigurationResult: Sendable, Equatable {
    public var replications: Int
    public var status: ConfigurationStatus
    /// The objective over the configuration's replications (mean, sd, t-based 95 % CI, percentiles).
    public var objective: MetricSummary
    public var constraints: [ConstraintResult]
    /// The stage at which every constraint was declared satisfied (nil: not declared feasible).
    public var feasibleAt: Int?
}

/// One constraint's estimate for one configuration.
public struct ConstraintResult: Sendable, Equatable {
    public var mean: Double
    /// mean ± t(0.975, n − 1) sd / √n.
    public var ci95Lo: Double
    public var ci95Hi: Double
    /// The share of the configuration's replications in which the constraint held.
    public var probability: Double
    public var decision: ConstraintDecision
}

/// The paired difference `other − base` of the objective over their common replications.
public struct PairedGap: Sendable, Equatable {
    public var base: Int
    public var other: Int
    public var replications: Int
    public var mean: Double
    public var ci95Lo: Double
    public var ci95Hi: Double
}

/// Everything the procedure decided, for the outputs.
public struct SelectionResult: Sendable, Equatable {
    public var settings: SelectionSettings
    public var constraints: [MeanConstraint]
    public var alphaFeasibility: Double
    public var alphaSelection: Double
    public var hSquaredSelection: Double
    public var hSquaredFeasibility: Double
    public var outcome: SelectionOutcome
    public var replicationsUsed: Int
    public var configurations: [ConfigurationResult]
    /// The runner-up's paired gap to the chosen configuration.
    public var runnerUp: PairedGap?
    /// Per configuration, its paired gap to the chosen one over their common replications (nil for
    /// the chosen one, or when nothing was chosen). Means over different numbers of replications are
    /// not comparable; these are.
    public var gapsToChosen: [PairedGap?]

    /// Replications a full grid at the maximum would take.
    public var fullGridReplications: Int { configurations.count * settings.maxReplications }
}

/// Selection of the best feasible configuration with a fully sequential procedure: KN
/// (Kim & Nelson 2001) for the objective, run together with F_B feasibility checks (Batur &
/// Kim 2010) on mean-value constraints, as Andradóttir & Kim (2010) combine them. See
/// ``Boundaries`` for the formulas and docs/optimise.md for the argument.
///
/// The caller feeds one stage at a time: replication r of every configuration still contending
/// (``contenders``), in replication order. With common random numbers replication r of every
/// configuration shares its random streams; KN's variances of the paired differences take that
/// into account. Decisions depend only on the observations fed, never on how many replications a
/// caller computed ahead, so a parallel driver gets the same result for any number of threads.
///
/// Rules at stage r ≥ n₀ (sample sums over replications 0..<r):
/// 1. **Feasibility**, per contender not yet feasible and per open constraint ℓ, with
///    Zᵢₗ = Σⱼ excess(Yᵢₗⱼ) (y − q for ≤, q − y for ≥): Zᵢₗ ≤ −R(r) declares ℓ satisfied,
///    Zᵢₗ ≥ R(r) declares the configuration infeasible (it stops). A configuration is feasible when
///    every constraint is satisfied. β = α₁/(k s) (Bonferroni over configurations and
///    constraints, valid under CRN).
/// 2. **Selection** (minimisation): a contender i is eliminated when some contender l ≠ i that
///    has been declared feasible has X̄ᵢ(r) > X̄ₗ(r) + Wᵢₗ(r); all eliminations of a stage are
///    against the contenders at its start (KN's I^old). β = α₂/(k − 1). Only feasible
///    configurations eliminate: an infeasible configuration that would otherwise win never
///    removes the best feasible one.
/// 3. **Stop** when one contender is left and it is feasible (selected); when none is left (no
///    configuration is feasible); when every contender is feasible and every Wᵢₗ(r) = 0 (KN's last
///    stage; the lowest sample mean wins, ties to the lower index); or at `maxReplications`.
public final class ConstrainedSelection {
    public let systems: Int
    public let constraints: [MeanConstraint]
    public let settings: SelectionSettings
    public let hSquaredSelection: Double
    public let hSquaredFeasibility: Double

    /// The number of stages (replications per contender) processed.
    public private(set) var stage = 0
    public private(set) var status: [ConfigurationStatus]
    public private(set) var decisions: [[ConstraintDecision]]
    public private(set) var feasibleAt: [Int?]
    public private(set) var outcome: SelectionOutcome?
    /// The configurations that take part in the next stage, in index order.
    public private(set) var contenders: [Int]
    /// Observations fed so far (replications used).
    public private(set) var replicationsUsed = 0

    private var objectiveSum: [Double]
    private var objectiveValues: [[Double]]
    private var excessSum: [[Double]]
    private var constraintStats: [[RunningStats]]
    private var satisfiedCount: [[Int]]
    /// First-stage constraint values [configuration][constraint][replication], freed at n₀.
    private var firstStage: [[[Double]]]
    /// S²ᵢₗ of the objective's paired differences, row-major k × k.
    private var pairVariance: [Double] = []
    /// S² of each configuration's constraint values.
    private var constraintVariance: [[Double]] = []

    public var isFinished: Bool { outcome != nil }

    /// - Parameters:
    ///   - systems: k ≥ 1 configurations.
    ///   - constraints: s ≥ 0 mean-value constraints.
    /// - Precondition: `settings.validate()` passes.
    public init(systems k: Int, constraints: [MeanConstraint], settings: SelectionSettings) {
        precondition(k >= 1, "at least one configuration")
        self.systems = k
        self.constraints = constraints
        self.settings = settings
        let s = constraints.count
        hSquaredSelection = k > 1
            ? Boundaries.hSquared(beta: Boundaries.selectionBeta(alpha: settings.alphaSelection(constraints: s), systems: k), n0: settings.n0)
            : 0
        hSquaredFeasibility = s > 0
            ? Boundaries.hSquared(beta: Boundaries.feasibilityBeta(alpha: settings.alphaFeasibility(constraints: s), systems: k, constraints: s),
                                  n0: settings.n0)
            : 0
        status = Array(repeating: .contending, count: k)
        decisions = Array(repeating: Array(repeating: .open, count: s), count: k)
        feasibleAt = Array(repeating: nil, count: k)
        contenders = Array(0..<k)
        objectiveSum = Array(repeating: 0, count: k)
        objectiveValues = Array(repeating: [], count: k)
        excessSum = Array(repeating: Array(repeating: 0, count: s), count: k)
        constraintStats = Array(repeating: Array(repeating: RunningStats(), count: s), count: k)
        satisfiedCount = Array(repeating: Array(repeating: 0, count: s), count: k)
        firstStage = Array(repeating: Array(repeating: [], count: s), count: k)
    }

    /// Feeds stage `stage`: replication `stage` of every configuration in ``contenders``, in that order.
    /// - Throws: ``MissingValue`` for a non-finite value (nothing is added then).
    public func add(_ observations: [Observation]) throws {
        precondition(outcome == nil, "the procedure has ended")
        precondition(observations.count == contenders.count, "one observation per contender")
        let j = stage
        for (i, o) in zip(contenders, observations) {
            precondition(o.constraints.count == constraints.count, "one value per constraint")
            guard o.objective.isFinite else { throw MissingValue(configuration: i, replication: j, constraint: nil) }
            if let m = o.constraints.firstIndex(where: { !$0.isFinite }) {
                throw MissingValue(configuration: i, replication: j, constraint: m)
            }
        }
        for (i, o) in zip(contenders, observations) {
            objectiveSum[i] += o.objective
            objectiveValues[i].append(o.objective)
            for (m, y) in o.constraints.enumerated() {
                excessSum[i][m] += constraints[m].excess(y)
                constraintStats[i][m].add(y)
                if constraints[m].isSatisfied(by: y) { satisfiedCount[i][m] += 1 }
                if j < settings.n0 { firstStage[i][m].append(y) }
            }
        }
        stage += 1
        replicationsUsed += contenders.count
        if stage == settings.n0 { computeFirstStageVariances() }
        if stage >= settings.n0 { screen() }
        if outcome == nil && stage >= settings.maxReplications { stopAtMaximum() }
    }

    /// S²ᵢₗ = 1/(n₀−1) Σⱼ (Xᵢⱼ − Xₗⱼ − [X̄ᵢ(n₀) − X̄ₗ(n₀)])² (KN, Initialization) and the
    /// first-stage variance of every constraint's values (F_B, Initialization).
    private func computeFirstStageVariances() {
        let k = systems, n0 = settings.n0
        pairVariance = Array(repeating: 0, count: k * k)
        for i in 0..<k {
            for l in (i + 1)..<k {
                let xi = objectiveValues[i], xl = objectiveValues[l]
                var mean = 0.0
                for j in 0..<n0 { mean += xi[j] - xl[j] }
                mean /= Double(n0)
                var ss = 0.0
                for j in 0..<n0 {
                    let d = xi[j] - xl[j] - mean
                    ss += d * d
                }
                let v = ss / Double(n0 - 1)
                pairVariance[i * k + l] = v
                pairVariance[l * k + i] = v
            }
        }
        constraintVariance = firstStage.map { perConstraint in
            perConstraint.map { ys in
                let mean = ys.reduce(0, +) / Double(ys.count)
                return ys.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(ys.count - 1)
            }
        }
        firstStage = []
    }

    /// The first-stage variance S²ᵢₗ of the paired objective differences (available from stage n₀).
    public func pairedVariance(_ i: Int, _ l: Int) -> Double? {
        pairVariance.isEmpty ? nil : pairVariance[i * systems + l]
    }

    /// The first-stage variance of constraint `m`'s values of configuration `i` (from stage n₀).
    public func constraintVariance(_ i: Int, _ m: Int) -> Double? {
        constraintVariance.isEmpty ? nil : constraintVariance[i][m]
    }

    /// KN's Wᵢₗ at the current stage.
    public func halfWidth(_ i: Int, _ l: Int) -> Double {
        Boundaries.knHalfWidth(stage: stage, hSquared: hSquaredSelection, variance: pairVariance[i * systems + l],
                               delta: settings.delta)
    }

    /// F_B's R for constraint `m` of configuration `i` at the current stage.
    public func feasibilityBound(_ i: Int, _ m: Int) -> Double {
        Boundaries.feasibilityBound(stage: stage, hSquared: hSquaredFeasibility, variance: constraintVariance[i][m],
                                    tolerance: constraints[m].tolerance)
    }

    /// X̄ᵢ over the configuration's replications so far.
    public func sampleMean(_ i: Int) -> Double { objectiveSum[i] / Double(objectiveValues[i].count) }

    private func screen() {
        let r = stage
        // 1. Feasibility (F_B).
        for i in contenders where feasibleAt[i] == nil {
            var violated: Int?
            for m in constraints.indices where decisions[i][m] == .open {
                let z = excessSum[i][m]
                let bound = feasibilityBound(i, m)
                if z <= -bound {
                    decisions[i][m] = .satisfied(stage: r)
                } else if z >= bound {
                    decisions[i][m] = .violated(stage: r)
                    violated = m
                    break
                }
            }
            if let m = violated {
                status[i] = .infeasible(stage: r, constraint: m)
            } else if decisions[i].allSatisfy({ $0 != .open }) {
                feasibleAt[i] = r
            }
        }
        var old = contenders.filter { status[$0] == .contending }
        // 2. Selection (KN, minimisation): only configurations declared feasible eliminate.
        let eliminators = old.filter { feasibleAt[$0] != nil }
        var eliminatedBy: [(Int, Int)] = []
        for i in old {
            var by: Int?
            for l in eliminators where l != i {
                let difference = (objectiveSum[i] - objectiveSum[l]) / Double(r)
                if difference > halfWidth(i, l), by.map({ objectiveSum[l] < objectiveSum[$0] }) ?? true { by = l }
            }
            if let by { eliminatedBy.append((i, by)) }
        }
        for (i, by) in eliminatedBy { status[i] = .eliminated(stage: r, by: by) }
        old = old.filter { status[$0] == .contending }
        contenders = old
        // 3. Stop?
        if old.isEmpty {
            outcome = SelectionOutcome(kind: .noFeasible, chosen: nil, stage: r)
        } else if old.count == 1, feasibleAt[old[0]] != nil {
            choose(old[0], kind: .selected)
        } else if old.allSatisfy({ feasibleAt[$0] != nil }),
                  old.allSatisfy({ i in old.allSatisfy { l in l == i || halfWidth(i, l) == 0 } }) {
            // KN's last stage: every W is 0, so only exact ties are left.
            let best = old.min { objectiveSum[$0] < objectiveSum[$1] || (objectiveSum[$0] == objectiveSum[$1] && $0 < $1) }!
            for i in old where i != best { status[i] = .tied(stage: r, with: best) }
            choose(best, kind: .selected)
        }
    }

    private func choose(_ i: Int, kind: SelectionOutcome.Kind) {
        status[i] = .chosen(stage: stage)
        contenders = []
        outcome = SelectionOutcome(kind: kind, chosen: i, stage: stage)
    }

    /// At the maximum: the best feasible contender by sample mean, else the best contender whose
    /// constraint sample means all hold; the other contenders are `stopped`.
    private func stopAtMaximum() {
        let left = contenders
        func lowest(_ set: [Int]) -> Int? {
            set.min { objectiveSum[$0] < objectiveSum[$1] || (objectiveSum[$0] == objectiveSum[$1] && $0 < $1) }
        }
        let pick = lowest(left.filter { feasibleAt[$0] != nil })
            ?? lowest(left.filter { i in constraints.indices.allSatisfy { excessSum[i][$0] <= 0 } })
        for i in left where i != pick { status[i] = .stopped(stage: stage) }
        if let pick { status[pick] = .chosen(stage: stage) }
        contenders = []
        outcome = SelectionOutcome(kind: .maximumReached, chosen: pick, stage: stage)
    }

    /// The statistics of configuration `i` so far.
    public func result(_ i: Int) -> ConfigurationResult {
        let n = objectiveValues[i].count
        let t = n > 1 ? Summaries.tQuantile975(degreesOfFreedom: n - 1) : 0
        let cs = constraints.indices.map { m -> ConstraintResult in
            let st = constraintStats[i][m]
            let half = n > 1 ? t * st.sd / Double(n).squareRoot() : 0
            return ConstraintResult(mean: st.mean, ci95Lo: st.mean - half, ci95Hi: st.mean + half,
                                    probability: n > 0 ? Double(satisfiedCount[i][m]) / Double(n) : .nan,
                                    decision: decisions[i][m])
        }
        return ConfigurationResult(replications: n, status: status[i], objective: Summaries.summarize(objectiveValues[i]),
                                   constraints: cs, feasibleAt: feasibleAt[i])
    }

    /// The paired difference `other − base` of the objective over their common replications
    /// (the first min(n_base, n_other)), with a t-based 95 % CI.
    public func gap(of other: Int, over base: Int) -> PairedGap {
        let n = min(objectiveValues[base].count, objectiveValues[other].count)
        let d = (0..<n).map { objectiveValues[other][$0] - objectiveValues[base][$0] }
        let s = Summaries.summarize(d)
        return PairedGap(base: base, other: other, replications: n, mean: s.mean ?? .nan,
                         ci95Lo: s.ci95Lo ?? .nan, ci95Hi: s.ci95Hi ?? .nan)
    }

    /// Everything decided, once the procedure has ended (or so far, while it runs).
    public func snapshot() -> SelectionResult {
        let s = constraints.count
        let results = (0..<systems).map(result)
        var runnerUp: PairedGap?
        var gaps: [PairedGap?] = Array(repeating: nil, count: systems)
        if let c = outcome?.chosen {
            for i in 0..<systems where i != c && results[i].replications > 0 { gaps[i] = gap(of: i, over: c) }
            // The configuration not declared infeasible with the smallest paired gap to the chosen one.
            for i in 0..<systems where i != c && results[i].replications > 0 {
                if case .infeasible = status[i] { continue }
                guard let g = gaps[i], g.replications > 0, g.mean.isFinite else { continue }
                if runnerUp.map({ g.mean < $0.mean }) ?? true { runnerUp = g }
            }
        }
        return SelectionResult(settings: settings, constraints: constraints,
                               alphaFeasibility: settings.alphaFeasibility(constraints: s),
                               alphaSelection: settings.alphaSelection(constraints: s),
                               hSquaredSelection: hSquaredSelection, hSquaredFeasibility: hSquaredFeasibility,
                               outcome: outcome ?? SelectionOutcome(kind: .maximumReached, chosen: nil, stage: stage),
                               replicationsUsed: replicationsUsed, configurations: results, runnerUp: runnerUp,
                               gapsToChosen: gaps)
    }
}
