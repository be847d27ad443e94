import Foundation
import SagstalModel
import SagstalRandom
import SagstalRunner
import SagstalScenario
import SagstalStats

/// `sagstal threshold A.yaml B.yaml --scale EFFECT …` (docs/decision-support.md): how large must
/// an assumed effect be for B to pay for itself against A?
///
/// The named effects (`EffectScale`) of both scenarios are multiplied by one factor k (k = 1: as
/// written). For each k both scenarios run on the same replications (common random numbers) and
/// the paired net cost f(k) = mean over replications of (metric_B − metric_A) over the horizon is
/// computed. The threshold k* is the smallest k with f(k*) = 0: it is bracketed on a grid of k
/// and found with Brent's method (GSL). Its 95 % CI inverts the pointwise 95 % CI of f(k): it is
/// the range of k at which that CI contains 0, from where its lower bound reaches 0 (below that
/// k, B does not pay for itself, at 95 %) to where its upper bound does (from there B pays).
public struct ThresholdPlan: Sendable {
    public let baseline: ScenarioRequest
    public let alternative: ScenarioRequest
    public let effects: [EffectScale]
    /// The metric whose total over the horizon must be ≤ the baseline's (cost.total or cost.npv).
    public let metric: String
    /// Baseline first.
    public let nominal: [LoadedScenario]
    /// The baseline's metrics and budget years.
    public let layout: MetricLayout
    public let notes: [String]

    public var simulation: SimulationSettings { nominal[0].scenario.simulation }

    /// - Throws: `ScenarioError`, `PlannerError`, `EffectScaleError` (an effect neither scenario has,
    ///   or that cannot be scaled to `maxFactor`), `EvaluationError` (unknown metric).
    public init(baseline: ScenarioRequest, alternative: ScenarioRequest, effects: [EffectScale], metric: String = "cost.total",
                maxFactor: Double = ThresholdSettings().maxFactor) throws {
        self.baseline = baseline
        self.alternative = alternative
        self.effects = effects
        self.metric = metric
        let loaded = try CompareJob.load([baseline, alternative])
        nominal = loaded.scenarios
        notes = loaded.notes
        for e in effects where !nominal.contains(where: { e.applies(to: $0.scenario) }) {
            throw EffectScaleError.noEffect(path: e.path, scenario: nominal[1].scenario.name)
        }
        let layouts = try nominal.map { try CompiledScenario($0.scenario).layout }
        layout = layouts[0]
        _ = try scenarios(k: maxFactor)
        for layout in layouts where !layout.totalsMetrics.contains(metric) {
            throw EvaluationError.unknownMetric(metric, known: layout.totalsMetrics)
        }
    }

    /// Both scenarios (baseline first) with every effect scaled by `k`.
    public func scenarios(k: Double) throws -> [Scenario] {
        try nominal.map { loaded in
            var s = loaded.scenario
            for e in effects where e.applies(to: s) { s = try e.apply(k, to: s) }
            return s
        }
    }

    /// Whether `effectPhrase` names several effects ("are" rather than "is").
    public var effectIsPlural: Bool { Set(effects.map { Self.category($0.target) }).count > 1 }

    static func category(_ t: EffectScale.Target) -> Int {
        switch t {
        case .elasticities: return 0
        case .method: return 1
        case .followUpElasticity: return 2
        case .turnoverOverload: return 3
        }
    }

    /// "the caseload effect", "the method effect", "the caseload and method effects".
    public func effectPhrase(danish: Bool) -> String {
        var parts: [String] = []
        for e in effects {
            let p: String
            switch e.target {
            case .elasticities: p = danish ? "sagstalseffekten" : "caseload"
            case .method: p = danish ? "metodeeffekten" : "method"
            case .followUpElasticity: p = danish ? "opfølgningseffekten" : "follow-up"
            case .turnoverOverload: p = danish ? "personaleomsætningseffekten" : "turnover"
            }
            if !parts.contains(p) { parts.append(p) }
        }
        if danish { return parts.count == 1 ? parts[0] : parts.dropLast().joined(separator: ", ") + " og " + parts.last! }
        return "the " + (parts.count == 1 ? parts[0] + " effect" : parts.dropLast().joined(separator: ", ") + " and " + parts.last! + " effects")
    }
}

public struct ThresholdSettings: Sendable, Equatable {
    /// The grid evaluated first (it brackets the root and gives the per-year table).
    public var grid: [Double] = [0, 0.25, 0.5, 0.75, 1, 1.5, 2]
    /// How far k is extended (doubling) when B does not pay at the grid's largest k.
    public var maxFactor: Double = 4
    /// Brent stops when the bracket is narrower than this (in k).
    public var tolerance: Double = 0.002
    public init() {}
}

/// f(k) and what goes with it, at one evaluated k.
public struct ThresholdPoint: Sendable, Equatable {
    public let k: Double
    /// B − A of the metric over the horizon (paired, per replication).
    public let netCost: MetricSummary
    /// A − B of placementsStarted.
    public let placementsAvoided: MetricSummary
    /// Mean cumulative B − A of cost.total up to the end of each budget year, with CIs.
    public let cumulative: [MetricSummary]
    /// Share of replications in which B's metric is ≤ A's.
    public let probabilityPays: Double
    /// Index of the first budget year from which the mean cumulative net cost stays ≤ 0 until
    /// the horizon (nil: not within the horizon).
    public let breakEvenYear: Int?
    /// Whether the point was part of the grid (false: a Brent or CI step).
    public let onGrid: Bool
}

/// The result of `sagstal threshold`.
public struct ThresholdRun: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// f(k*) = 0 at k* in (0, maxFactor].
        case threshold(Double)
        /// B pays even with the effects switched off (f(0) ≤ 0).
        case paysWithoutEffect
        /// B does not pay at k = maxFactor.
        case notWithin(Double)
    }

    public let plan: ThresholdPlan
    public let settings: ThresholdSettings
    public let outcome: Outcome
    /// The 95 % CI of k*: the k where the upper / lower 95 % bound of f crosses 0 (nil: beyond the
    /// range searched, i.e. below 0 or above maxFactor).
    public let ciLo: Double?
    public let ciHi: Double?
    /// Every evaluated k, ascending.
    public let points: [ThresholdPoint]
    public let yearLabels: [String]
    public let replications: Int
    public let evaluations: Int
    public let eventsProcessed: Int
    public let wallSeconds: Double
    public let brentIterations: Int
    /// Notes (a non-monotone net cost curve, CI bounds beyond the searched range).
    public let notes: [String]

    public var threshold: Double? {
        if case .threshold(let k) = outcome { return k }
        if case .paysWithoutEffect = outcome { return 0 }
        return nil
    }

    /// The grid points (for the per-year table).
    public var gridPoints: [ThresholdPoint] { points.filter(\.onGrid) }
}

public enum ThresholdJob {
    /// The first budget year from which `cumulative` stays ≤ 0 to the end (nil: never): the
    /// break-even year of `compare` (`BreakEven.yearIndex(cumulativeNetCost:)`), applied here to the
    /// mean cumulative net cost.
    public static func staysPaidFrom(_ cumulative: [Double]) -> Int? {
        BreakEven.yearIndex(cumulativeNetCost: cumulative)
    }

    public static func run(_ plan: ThresholdPlan, settings: ThresholdSettings = ThresholdSettings(), jobs: Int,
                           progress: (@Sendable (Int) -> Void)? = nil,
                           cancellation: Cancellation? = nil) throws -> ThresholdRun {
        let clock = ContinuousClock()
        let started = clock.now
        let n = plan.simulation.replications
        let baseLayout = plan.layout
        let years = baseLayout.yearLabels.count
        let outputs = 2 + years
        var evaluated: [Double: (point: ThresholdPoint, net: [Double])] = [:]
        var events = 0
        var evaluations = 0
        let metric = plan.metric

        func evaluate(_ ks: [Double], onGrid: Bool) throws {
            let todo = ks.filter { evaluated[$0] == nil }
            guard !todo.isEmpty else { return }
            var compiled: [[CompiledScenario]] = []
            var indices: [[Int]] = []
            for k in todo {
                let c = try plan.scenarios(k: k).map { try CompiledScenario($0) }
                compiled.append(c)
                indices.append(c.flatMap { l in
                    [l.layout.totalsMetrics.firstIndex(of: metric)!, l.layout.totalsMetrics.firstIndex(of: "placementsStarted")!,
                     l.layout.periodMetrics.firstIndex(of: "cost.total")!, l.layout.periodMetrics.count]
                })
            }
            let idx = indices
            let offset = evaluations
            var shifted: (@Sendable (Int) -> Void)? = nil
            if let progress { shifted = { progress(offset + $0) } }
            let results = try Evaluations.run(compiled, replications: n, outputs: outputs, jobs: jobs, extract: { (e: Int, r: [ReplicationRecord]) -> [Double] in
                let i = idx[e]
                var out: [Double] = [r[1].totals[i[4]] - r[0].totals[i[0]], r[0].totals[i[1]] - r[1].totals[i[5]]]
                var sum = 0.0
                for y in 0..<years {
                    sum += r[1].yearly[y * i[7] + i[6]] - r[0].yearly[y * i[3] + i[2]]
                    out.append(sum)
                }
                return out
            }, progress: shifted, cancellation: cancellation)
            events += results.eventsProcessed
            evaluations += todo.count
            for (e, k) in todo.enumerated() {
                let net = results.series(e, 0)
                let cumulative = (0..<years).map { results.summary(e, 2 + $0) }
                let point = ThresholdPoint(k: k, netCost: Summaries.summarize(net), placementsAvoided: results.summary(e, 1),
                                           cumulative: cumulative,
                                           probabilityPays: Double(net.filter { $0 <= 0 }.count) / Double(max(net.count, 1)),
                                           breakEvenYear: staysPaidFrom(cumulative.map { $0.mean ?? Double.nan }), onGrid: onGrid)
                evaluated[k] = (point, net)
            }
        }

        func f(_ k: Double) throws -> Double {
            try evaluate([k], onGrid: false)
            return evaluated[k]!.point.netCost.mean ?? .nan
        }
        /// f ± the 95 % half-width.
        func bound(_ k: Double, _ sign: Double) throws -> Double {
            try evaluate([k], onGrid: false)
            let s = evaluated[k]!.point.netCost
            return (s.mean ?? .nan) + sign * ((s.ci95Hi ?? .nan) - (s.mean ?? .nan))
        }

        try evaluate(settings.grid, onGrid: true)
        var top = settings.grid.max() ?? 1
        while (evaluated[top]!.point.netCost.mean ?? .nan) > 0 && top < settings.maxFactor {
            top = min(top * 2, settings.maxFactor)
            try evaluate([top], onGrid: true)
        }
        var notes: [String] = []
        var iterations = 0
        /// The first sign change of g from > 0 to ≤ 0 among the evaluated k, ascending.
        func bracket(_ g: (Double) throws -> Double) throws -> (Double, Double, Double, Double)? {
            let ks = evaluated.keys.sorted()
            var prev: (Double, Double)?
            for k in ks {
                let v = try g(k)
                if let p = prev, p.1 > 0, v <= 0 { return (p.0, k, p.1, v) }
                prev = (k, v)
            }
            return nil
        }
        func solve(_ g: @escaping (Double) throws -> Double) throws -> Double? {
            let ks = evaluated.keys.sorted()
            if try g(ks[0]) <= 0 { return ks[0] }
            guard let (a, b, ga, gb) = try bracket(g) else { return nil }
            if gb == 0 { return b }
            let r = try RootFinder.brent(lo: a, hi: b, fLo: ga, fHi: gb, absoluteTolerance: settings.tolerance, maxIterations: 40, g)
            iterations += r.iterations
            return r.root
        }
        let outcome: ThresholdRun.Outcome
        let f0 = try f(0)
        if f0 <= 0 {
            outcome = .paysWithoutEffect
        } else if let k = try solve(f) {
            outcome = .threshold(k)
        } else {
            outcome = .notWithin(top)
        }
        // Non-monotone curve: a later return above zero.
        let curve = evaluated.keys.sorted().map { ($0, evaluated[$0]!.point.netCost.mean ?? .nan) }
        if let firstPay = curve.firstIndex(where: { $0.1 <= 0 }), curve[firstPay...].contains(where: { $0.1 > 0 }) {
            notes.append("the net cost is not monotone in k: it is above zero again at k = \(curve[firstPay...].first(where: { $0.1 > 0 })!.0) after paying at k = \(curve[firstPay].0); the threshold is the first crossing")
        }
        var ciLo: Double?, ciHi: Double?
        if case .notWithin = outcome {} else {
            // Lower end: where the lower 95 % bound of the net cost reaches 0 (before that B surely does not pay).
            ciLo = try solve { try bound($0, -1) }
            // Upper end: where the upper 95 % bound reaches 0 (from there B surely pays).
            ciHi = try solve { try bound($0, +1) }
            if ciHi == nil { notes.append("the upper end of the CI is beyond k = \(top)") }
        }
        let elapsed = clock.now - started
        return ThresholdRun(plan: plan, settings: settings, outcome: outcome, ciLo: ciLo, ciHi: ciHi,
                            points: evaluated.keys.sorted().map { evaluated[$0]!.point }, yearLabels: baseLayout.yearLabels,
                            replications: n, evaluations: evaluations, eventsProcessed: events,
                            wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                            brentIterations: iterations, notes: notes)
    }
}
