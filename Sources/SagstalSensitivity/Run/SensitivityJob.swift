import Foundation
import SagstalModel
import SagstalRunner
import SagstalScenario
import SagstalStats

/// The three analyses of `sagstal sensitivity` (docs/decision-support.md).
public enum SensitivityMethod: String, Sendable, CaseIterable {
    /// One factor at a time: each at LO and HI, the others at the scenario's values (tornado).
    case oat
    /// Morris elementary effects: r trajectories, μ*, σ.
    case morris
    /// Sobol first- and total-order indices from a Saltelli sample.
    case sobol
}

/// Sample sizes and other settings of a sensitivity analysis.
public struct SensitivitySettings: Sendable, Equatable {
    public var method: SensitivityMethod = .oat
    /// Morris: trajectories r and grid levels p.
    public var trajectories = 10
    public var levels = 4
    /// Sobol: base samples N (N · (D + 2) evaluations).
    public var baseSamples = 64
    /// Bootstrap resamples for the Morris and Sobol CIs.
    public var bootstrap = 1000
    public init() {}

    /// Refuses sample sizes the method cannot work with, and a Sobol analysis of fewer than two factors.
    /// - Throws: `SensitivityInputError`.
    public func validate(factors d: Int) throws {
        switch method {
        case .oat: break
        case .morris:
            guard trajectories >= 2 else { throw SensitivityInputError.badSampleSize("--trajectories: at least 2 (σ needs two elementary effects), found \(trajectories)") }
        case .sobol:
            guard d >= 2 else { throw SensitivityInputError.tooFewFactors(method: "sobol", needed: 2) }
            guard baseSamples >= 8 else { throw SensitivityInputError.badSampleSize("--base-samples: at least 8, found \(baseSamples)") }
        }
    }

    /// Evaluations the method needs for `factors` factors (each evaluation runs every replication,
    /// of both scenarios when there is a baseline).
    public func evaluations(factors d: Int) -> Int {
        switch method {
        case .oat: return 1 + 2 * d
        case .morris: return trajectories * (d + 1)
        case .sobol: return baseSamples * (d + 2)
        }
    }
}

/// A scenario (and optionally its baseline), the factors and outputs of a sensitivity analysis,
/// loaded and checked.
public struct SensitivityPlan: Sendable {
    /// The scenario whose inputs are varied (the alternative when there is a baseline).
    public let request: ScenarioRequest
    public let baseline: ScenarioRequest?
    public let factors: [Factor]
    public let outputs: [OutputSpec]
    /// The scenarios as written (baseline first when there is one), with overrides applied.
    public let nominal: [LoadedScenario]
    /// Notes on values the alternative took from the baseline (seed, replications, years), and on
    /// factors that only the scenario (not its baseline) has.
    public let notes: [String]
    /// Per factor, whether it is applied to the baseline too. A value factor whose path the
    /// baseline does not have (e.g. the alternative's own one-off cost) varies the scenario only.
    public let appliesToBaseline: [Bool]

    public var paired: Bool { baseline != nil }
    public var simulation: SimulationSettings { nominal[0].scenario.simulation }

    /// Loads the scenarios as written and checks that every factor applies and that every
    /// factor's LO and HI can be loaded.
    /// - Throws: `ScenarioError` (located in the files or `<--set>`), `SensitivityInputError`,
    ///   `PlannerError`, `EvaluationError` (an unknown output metric).
    public init(request: ScenarioRequest, baseline: ScenarioRequest?, factors: [Factor], outputs: [OutputSpec]) throws {
        guard !factors.isEmpty else { throw SensitivityInputError.tooFewFactors(method: "oat", needed: 1) }
        var seen = Set<String>()
        for f in factors where !seen.insert(f.name).inserted { throw SensitivityInputError.duplicateFactor(f.name) }
        self.request = request
        self.baseline = baseline
        self.factors = factors
        self.outputs = outputs
        var notes: [String] = []
        if let baseline {
            let loaded = try CompareJob.load([baseline, request])
            nominal = loaded.scenarios
            notes = loaded.notes
            appliesToBaseline = factors.map { f in
                switch f.kind {
                case .scale(let e): return e.applies(to: loaded.scenarios[0].scenario)
                case .value:
                    var r = baseline
                    r.overrides += [f.override(f.lo)!]
                    return (try? r.load()) != nil
                }
            }
            for (f, applies) in zip(factors, appliesToBaseline) where !applies {
                notes.append("--vary \(f.text): the baseline \(baseline.path) has no such value; it is varied in \(request.path) only")
            }
        } else {
            nominal = [try request.load()]
            appliesToBaseline = factors.map { _ in false }
        }
        self.notes = notes
        for f in factors {
            if case .scale(let effect) = f.kind, !nominal.contains(where: { effect.applies(to: $0.scenario) }) {
                throw SensitivityInputError.notApplicable(EffectScaleError.noEffect(path: effect.path, scenario: nominal.last!.scenario.name).description)
            }
        }
        // Every factor at its two ends, the others as written: finds a bad path or value before anything runs.
        var diagnostics: [Diagnostic] = []
        for (i, f) in factors.enumerated() {
            for x in [f.lo, f.hi] {
                var point: [Double?] = Array(repeating: nil, count: factors.count)
                point[i] = x
                do { _ = try scenarios(at: point) } catch let e as ScenarioError {
                    for d in e.diagnostics where !diagnostics.contains(d) { diagnostics.append(d) }
                }
            }
        }
        if !diagnostics.isEmpty { throw ScenarioError(diagnostics: diagnostics) }
        let layouts = try nominal.map { try CompiledScenario($0.scenario).layout }
        _ = try OutputSpec.extractor(outputs, layouts: layouts)
    }

    /// The scenarios (baseline first) with factor i at `point[i]` (nil: as written).
    /// - Throws: `ScenarioError`, `EffectScaleError`.
    public func scenarios(at point: [Double?]) throws -> [Scenario] {
        let requests = (baseline.map { [$0] } ?? []) + [request]
        let sim = simulation
        return try requests.enumerated().map { index, r in
            let isBaseline = baseline != nil && index == 0
            var req = r
            for (i, (f, x)) in zip(factors, point).enumerated() where !isBaseline || appliesToBaseline[i] {
                if let x, let o = f.override(x) { req.overrides.append(o) }
            }
            var s = try req.load().scenario
            s.simulation.seed = sim.seed
            s.simulation.replications = sim.replications
            s.simulation.years = sim.years
            for (f, x) in zip(factors, point) {
                if let x, case .scale(let effect) = f.kind, effect.applies(to: s) { s = try effect.apply(x, to: s) }
            }
            return s
        }
    }
}

/// One factor's bar in the tornado: the output with the factor at LO and at HI, the others as
/// written, as paired differences from the scenario as written (same replications).
public struct TornadoBar: Sendable, Equatable {
    public let factor: String
    public let output: String
    public let lo: Double
    public let hi: Double
    /// Output at LO and HI (means over replications).
    public let atLo: MetricSummary
    public let atHi: MetricSummary
    /// Output at LO / HI minus the output as written, per replication.
    public let deltaLo: MetricSummary
    public let deltaHi: MetricSummary
    /// Output at HI minus output at LO, per replication.
    public let swing: MetricSummary
}

/// The result of `sagstal sensitivity`.
public struct SensitivityRun: Sendable {
    public let plan: SensitivityPlan
    public let settings: SensitivitySettings
    /// The evaluated points (raw sampled values; whole-number factors are rounded when loaded),
    /// one row per evaluation; nil = the scenario's own value (OAT's centre).
    public let sample: [[Double?]]
    /// Per evaluation and output, the mean over replications and its standard error.
    public let means: [[Double]]
    public let standardErrors: [[Double]]
    /// The output as written (OAT's centre), per output.
    public let nominal: [MetricSummary]
    public let tornado: [[TornadoBar]]
    public let morris: [MorrisIndices]
    /// Per output; nil when the output does not vary over the sample (its indices are undefined).
    public let sobol: [SobolIndices?]
    public let warnings: [String]
    public let replications: Int
    public let eventsProcessed: Int
    public let wallSeconds: Double
}

public enum SensitivityJob {
    /// The sample of `settings.method` for the plan's factors (raw values), OAT's centre as nils.
    public static func sample(_ plan: SensitivityPlan, _ settings: SensitivitySettings) throws -> [[Double?]] {
        try settings.validate(factors: plan.factors.count)
        let ranges = plan.factors.map { FactorRange(name: $0.name, lo: $0.lo, hi: $0.hi) }
        switch settings.method {
        case .oat:
            var rows: [[Double?]] = [Array(repeating: nil, count: plan.factors.count)]
            for (i, f) in plan.factors.enumerated() {
                for x in [f.lo, f.hi] {
                    var row: [Double?] = Array(repeating: nil, count: plan.factors.count)
                    row[i] = x
                    rows.append(row)
                }
            }
            return rows
        case .morris:
            return try MorrisSample.trajectories(ranges, trajectories: settings.trajectories, levels: settings.levels,
                                                 seed: plan.simulation.seed).map { $0.map { Optional($0) } }
        case .sobol:
            return try SaltelliSample.matrix(ranges, baseSamples: settings.baseSamples).map { $0.map { Optional($0) } }
        }
    }

    /// "netCost: the 95 % CI of S_T(x) (0.0353, CI 0.0122 – 0.0878) is wider than the index: use more --base-samples".
    static func wide(_ w: WideInterval, _ spec: OutputSpec, more: String) -> String {
        func g(_ x: Double) -> String { String(format: "%.3g", x) }
        return "\(spec.name): the 95 % CI of \(w.label) (\(g(w.value)), CI \(g(w.interval.lo)) – \(g(w.interval.hi))) is wider than the index: use more \(more)"
    }

    /// Runs the analysis: every sample point on the same replications (common random numbers),
    /// the (point, replication) pairs on `jobs` threads.
    /// - Parameter progress: called with the number of evaluations done.
    public static func run(_ plan: SensitivityPlan, settings: SensitivitySettings, jobs: Int,
                           progress: (@Sendable (Int) -> Void)? = nil,
                           cancellation: Cancellation? = nil) throws -> SensitivityRun {
        let rows = try sample(plan, settings)
        var compiled: [[CompiledScenario]] = []
        compiled.reserveCapacity(rows.count)
        var extractors: [@Sendable ([ReplicationRecord]) -> [Double]] = []
        for row in rows {
            let scenarios = try plan.scenarios(at: row)
            let c = try scenarios.map { try CompiledScenario($0) }
            compiled.append(c)
            extractors.append(try OutputSpec.extractor(plan.outputs, layouts: c.map(\.layout)))
        }
        let n = plan.simulation.replications
        let outputs = plan.outputs.count
        let ex = extractors
        let results = try Evaluations.run(compiled, replications: n, outputs: outputs, jobs: jobs,
                                          extract: { e, records in ex[e](records) },
                                          progress: progress, cancellation: cancellation)
        let summaries = (0..<rows.count).map { e in (0..<outputs).map { results.summary(e, $0) } }
        let means = summaries.map { $0.map { $0.mean ?? .nan } }
        let ses = summaries.map { $0.map { s in s.sd.map { $0 / Double(max(s.n, 1)).squareRoot() } ?? .nan } }
        var warnings: [String] = []
        for (e, row) in means.enumerated() {
            if let o = row.firstIndex(where: { !$0.isFinite }) {
                throw SensitivityInputError.notApplicable("sample row \(e): \(plan.outputs[o].name) has no value (every replication left it empty); choose another output")
            }
        }
        var tornado: [[TornadoBar]] = []
        var morris: [MorrisIndices] = []
        var sobol: [SobolIndices?] = []
        let names = plan.factors.map(\.name)
        switch settings.method {
        case .oat:
            for (o, spec) in plan.outputs.enumerated() {
                var bars: [TornadoBar] = []
                for (i, f) in plan.factors.enumerated() {
                    let eLo = 1 + 2 * i, eHi = 2 + 2 * i
                    bars.append(TornadoBar(factor: f.name, output: spec.name, lo: f.value(f.lo), hi: f.value(f.hi),
                                           atLo: summaries[eLo][o], atHi: summaries[eHi][o],
                                           deltaLo: Summaries.summarize(results.difference(eLo, 0, o)),
                                           deltaHi: Summaries.summarize(results.difference(eHi, 0, o)),
                                           swing: Summaries.summarize(results.difference(eHi, eLo, o))))
                }
                bars.sort { abs($0.swing.mean ?? 0) > abs($1.swing.mean ?? 0) }
                tornado.append(bars)
            }
        case .morris:
            let ranges = plan.factors.map { FactorRange(name: $0.name, lo: $0.lo, hi: $0.hi) }
            let raw = rows.map { $0.map { $0 ?? .nan } }
            for (o, spec) in plan.outputs.enumerated() {
                let m = try MorrisAnalysis.analyze(sample: raw, outputs: means.map { $0[o] }, factors: ranges, levels: settings.levels,
                                                   bootstrap: settings.bootstrap, seed: plan.simulation.seed)
                morris.append(m)
                warnings += m.wideIntervals.map { wide($0, spec, more: "--trajectories") }
            }
        case .sobol:
            for (o, spec) in plan.outputs.enumerated() {
                let ys = means.map { $0[o] }
                if let first = ys.first, ys.allSatisfy({ $0 == first }) {
                    warnings.append("\(spec.name) is the same (\(first)) at every sample point: it does not depend on these factors over these ranges, so it has no Sobol indices")
                    sobol.append(nil)
                    continue
                }
                let s = try SobolAnalysis.analyze(outputs: ys, factors: names, baseSamples: settings.baseSamples,
                                                  bootstrap: settings.bootstrap, seed: plan.simulation.seed)
                sobol.append(s)
                warnings += s.wideIntervals.map { wide($0, spec, more: "--base-samples") }
            }
        }
        let nominalSummary: [MetricSummary] = settings.method == .oat ? summaries[0] : []
        return SensitivityRun(plan: plan, settings: settings, sample: rows, means: means, standardErrors: ses,
                              nominal: nominalSummary, tornado: tornado, morris: morris, sobol: sobol, warnings: warnings,
                              replications: n, eventsProcessed: results.eventsProcessed, wallSeconds: results.wallSeconds)
    }
}
