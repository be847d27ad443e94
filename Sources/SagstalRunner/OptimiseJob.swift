import Foundation
import SagstalModel
import SagstalOptimise
import SagstalOutput
import SagstalScenario
import SagstalStats

/// What `sagstal optimise` is asked: a scenario, a team, its staffing grid, the objective, the
/// constraints and the procedure's settings.
public struct OptimiseRequest: Sendable {
    /// The scenario file, `--set` overrides, `--seed` and `--years` (`replications` is not used).
    public var scenario: ScenarioRequest
    /// The team's id (or its index in `teams`).
    public var team: String
    public var caseworkers: GridValues
    /// nil: the scenario's cap.
    public var caps: GridValues?
    public var objective: String
    public var constraints: [MeanConstraint]
    public var alpha: Double
    /// nil: the default for the objective (``OptimiseJob/defaultDelta(objective:scenario:)``).
    public var delta: Double?
    public var n0: Int
    /// nil: the scenario's `simulation.replications`.
    public var maxReplications: Int?

    public init(scenario: ScenarioRequest, team: String, caseworkers: GridValues, caps: GridValues? = nil,
                objective: String = "cost.total", constraints: [MeanConstraint] = [],
                alpha: Double = SelectionSettings.defaultAlpha, delta: Double? = nil,
                n0: Int = SelectionSettings.defaultN0, maxReplications: Int? = nil) {
        self.scenario = scenario
        self.team = team
        self.caseworkers = caseworkers
        self.caps = caps
        self.objective = objective
        self.constraints = constraints
        self.alpha = alpha
        self.delta = delta
        self.n0 = n0
        self.maxReplications = maxReplications
    }
}

/// A checked request: every configuration loaded and validated, the metrics found, the
/// settings resolved. Nothing has been simulated or written yet.
public struct OptimisePlan: Sendable {
    public let request: OptimiseRequest
    /// The scenario without the grid's values (after `--set`, `--seed`, `--years`).
    public let base: LoadedScenario
    public let grid: StaffingGrid
    /// One loaded scenario per configuration, in grid order.
    public let configurations: [LoadedScenario]
    public let settings: SelectionSettings
    /// Whether δ is the default (one caseworker's salary over the horizon).
    public let deltaIsDefault: Bool
    /// Indices of the objective and of each constraint's metric in the layout's totals.
    public let objectiveIndex: Int
    public let constraintIndices: [Int]
    /// Things the user should know (e.g. dated staff changes of the team that the grid does not replace).
    public let notes: [String]

    public var constraints: [MeanConstraint] { request.constraints }
}

/// Reported after every batch: the stage reached, the configurations still contending, the
/// replications used so far.
public struct OptimiseProgress: Sendable {
    public let stage: Int
    public let contenders: Int
    public let configurations: Int
    public let replicationsUsed: Int
    /// During the first stage: the replications done of the n₀ × k it takes (nil afterwards).
    public var firstStage: (done: Int, total: Int)? = nil
}

/// The result of `sagstal optimise`.
public struct OptimiseRun: Sendable {
    public let plan: OptimisePlan
    public let result: SelectionResult
    /// Events of the replications the procedure used.
    public let eventsUsed: Int
    /// Events of every replication computed (the driver computes a little ahead of the decisions;
    /// depends on `--jobs`, so it is reported on the console only).
    public let eventsComputed: Int
    public let replicationsComputed: Int
    public let wallSeconds: Double
}

/// A value the procedure cannot use (an empty ratio metric in one replication).
public struct OptimiseRunError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

/// `sagstal optimise`: simulation optimisation of one team's staffing over a grid of caseworkers
/// × cap with ``ConstrainedSelection`` (KN with F_B feasibility checks) and common random numbers.
///
/// Replication r of every configuration uses the scenario's seed, so all configurations see the
/// same notifications and children (MODEL.md §3). The driver runs (configuration, replication)
/// pairs of the contenders on `jobs` threads a few stages ahead and then feeds the procedure one
/// stage at a time in replication order; a configuration eliminated at stage r uses r
/// replications whatever was computed ahead, so the outcome is the same for any `jobs`.
public enum OptimiseJob {
    /// The default indifference zone for a money objective: one caseworker's salary over the
    /// horizon (`staff.costPerYear × simulation.years`); nil for other objectives (give `--delta`).
    public static func defaultDelta(objective: String, scenario: Scenario) -> Double? {
        guard Localizer.unit(of: objective) == .money else { return nil }
        return scenario.staff.costPerYear * scenario.simulation.years
    }

    /// Loads the scenario and every configuration of the grid and checks the request.
    /// - Throws: `ScenarioError` (the scenario or a configuration does not validate: exit 65/66)
    ///   or ``OptimiseInputError`` (unknown team or metric, bad settings: exit 64).
    public static func plan(_ request: OptimiseRequest) throws -> OptimisePlan {
        let base = try request.scenario.load()
        let scenario = base.scenario
        // The team, by id or by index.
        let ids = scenario.teams.map(\.id)
        let teamIndex: Int
        if let i = ids.firstIndex(of: request.team) {
            teamIndex = i
        } else if let i = Int(request.team), ids.indices.contains(i) {
            teamIndex = i
        } else {
            let hint = NameSuggestion.closest(to: request.team, in: ids).map { "did you mean '\($0)'? " } ?? ""
            throw OptimiseInputError("--team '\(request.team)': \(request.scenario.path) has no such team; \(hint)(teams: \(ids.joined(separator: ", ")))")
        }
        let team = scenario.teams[teamIndex]
        let caps = request.caps?.values ?? [Self.number(team.cap)]
        let grid = StaffingGrid(team: team.id, caseworkers: request.caseworkers.values, caps: caps, capVaried: request.caps != nil)
        guard grid.count <= StaffingGrid.limit else {
            throw OptimiseInputError("the grid has \(grid.count) configurations (\(grid.caseworkers.count) × \(grid.caps.count)); at most \(StaffingGrid.limit)")
        }
        // The metrics.
        let metrics = try CompiledScenario(scenario).layout.totalsMetrics
        func index(_ name: String, option: String) throws -> Int {
            if let i = metrics.firstIndex(of: name) { return i }
            let last = name.split(separator: ".").last.map(String.init) ?? name
            let hint = NameSuggestion.closest(to: name, in: metrics)
                ?? metrics.first { $0.hasSuffix("." + last) || $0.lowercased().hasSuffix(last.lowercased()) }
            let shares = metrics.filter { $0.hasSuffix("Share") }
            throw OptimiseInputError("\(option) '\(name)': no such metric in \(request.scenario.path)"
                + (hint.map { "; did you mean '\($0)'?" } ?? "")
                + " (metrics are the names of docs/model-reference.md §8, as in a run's summary.json; share metrics here: \(shares.joined(separator: ", ")))")
        }
        let objectiveIndex = try index(request.objective, option: "--objective")
        let constraintIndices = try request.constraints.map { try index($0.metric, option: "--constraint") }
        // The settings.
        let deltaDefault = defaultDelta(objective: request.objective, scenario: scenario)
        guard let delta = request.delta ?? deltaDefault else {
            throw OptimiseInputError("--delta: give the indifference zone in the units of \(request.objective) (there is a default only for money objectives: one caseworker's salary over the horizon)")
        }
        let settings = SelectionSettings(alpha: request.alpha, delta: delta, n0: request.n0,
                                         maxReplications: request.maxReplications ?? scenario.simulation.replications)
        if request.maxReplications == nil && settings.maxReplications < settings.n0 {
            throw OptimiseInputError("the scenario's simulation.replications (\(settings.maxReplications)), the default of --max-replications, is below --n0 \(settings.n0); give --max-replications (e.g. 200)")
        }
        try settings.validate()
        guard settings.maxReplications <= ScenarioLimits.replications else {
            throw OptimiseInputError("--max-replications: at most \(ScenarioLimits.replications)")
        }
        // Every configuration, validated before anything runs.
        var diagnostics: [Diagnostic] = []
        var configurations: [LoadedScenario] = []
        for i in 0..<grid.count {
            var r = request.scenario
            r.overrides += grid.overrides(i)
            do { configurations.append(try r.load()) } catch let e as ScenarioError {
                for d in e.diagnostics where !diagnostics.contains(d) { diagnostics.append(d) }
            }
        }
        if !diagnostics.isEmpty { throw ScenarioError(diagnostics: diagnostics) }
        // Dated changes the grid does not replace.
        var notes: [String] = []
        for c in scenario.staff.changes where c.team == team.id && (c.caseworkers != nil || (c.cap != nil && grid.capVaried)) {
            let what = [c.caseworkers != nil ? "its caseworkers" : nil, c.cap != nil && grid.capVaried ? "its cap" : nil]
                .compactMap { $0 }.joined(separator: " and ")
            notes.append("staff.changes change \(what) of team \(team.id) on \(c.at); the grid sets the values from the start, and the change still applies")
        }
        return OptimisePlan(request: request, base: base, grid: grid, configurations: configurations, settings: settings,
                            deltaIsDefault: request.delta == nil, objectiveIndex: objectiveIndex,
                            constraintIndices: constraintIndices, notes: notes)
    }

    /// The configurations as the work estimate sees the worst case: every one at the maximum
    /// number of replications (the most the procedure can take).
    public static func worstCase(_ plan: OptimisePlan) -> [Scenario] {
        withReplications(plan, plan.settings.maxReplications)
    }

    /// The configurations as the work estimate sees the first stage: n₀ replications of each
    /// (work the procedure always does).
    public static func firstStage(_ plan: OptimisePlan) -> [Scenario] {
        withReplications(plan, plan.settings.n0)
    }

    static func withReplications(_ plan: OptimisePlan, _ n: Int) -> [Scenario] {
        plan.configurations.map {
            var s = $0.scenario
            s.simulation.replications = n
            return s
        }
    }

    /// One computed replication of one configuration.
    private struct Sample {
        var observation: Observation
        var events: Int
    }

    /// The samples of one batch, filled by the worker threads (`deliver` is serialised).
    private final class Batch: @unchecked Sendable {
        var samples: [Sample?]
        init(count: Int) { samples = Array(repeating: nil, count: count) }
    }

    /// Runs the procedure.
    /// - Parameters:
    ///   - progress: called after every batch.
    ///   - cancellation: stops between replications (then ``Interrupted`` is thrown).
    /// - Throws: the simulation's errors, ``OptimiseRunError`` for a metric without a value.
    public static func run(_ plan: OptimisePlan, jobs: Int, progress: (@Sendable (OptimiseProgress) -> Void)? = nil,
                           cancellation: Cancellation? = nil) throws -> OptimiseRun {
        let clock = ContinuousClock()
        let started = clock.now
        let compiled = try plan.configurations.map { try CompiledScenario($0.scenario) }
        let k = compiled.count
        let settings = plan.settings
        let procedure = ConstrainedSelection(systems: k, constraints: plan.constraints, settings: settings)
        let objective = plan.objectiveIndex, measures = plan.constraintIndices
        var eventsUsed = 0, eventsComputed = 0, computed = 0
        while !procedure.isFinished {
            try cancellation?.check()
            let live = procedure.contenders
            let first = procedure.stage
            // The first stage takes n₀ replications of every configuration; later batches enough
            // stages to give every thread about eight replications (at least one stage), so that the
            // wait for the slowest replication at the end of a batch stays small. Replications
            // computed ahead for a configuration eliminated within the batch are not used.
            let depth = first < settings.n0
                ? settings.n0 - first
                : min(settings.maxReplications - first, max(1, (8 * max(jobs, 1) + live.count - 1) / live.count))
            let batch = Batch(count: depth * live.count)
            var batchProgress: (@Sendable (Int) -> Void)?
            if let progress, first < settings.n0 {
                let total = depth * live.count
                batchProgress = { done in
                    progress(OptimiseProgress(stage: first, contenders: k, configurations: k, replicationsUsed: done,
                                              firstStage: (done, total)))
                }
            }
            try SimulationRunner.forEachReplication(depth * live.count, jobs: jobs, progress: batchProgress, cancellation: cancellation,
                                                    work: { item in
                let configuration = live[item % live.count], replication = first + item / live.count
                let record = try Replication(compiled[configuration], index: replication).run()
                return (item, Sample(observation: Observation(objective: record.totals[objective],
                                                              constraints: measures.map { record.totals[$0] }),
                                     events: record.eventsProcessed))
            }, deliver: { pair in batch.samples[pair.0] = pair.1 })
            computed += batch.samples.count
            eventsComputed += batch.samples.reduce(0) { $0 + ($1?.events ?? 0) }
            let column = Dictionary(uniqueKeysWithValues: live.enumerated().map { ($1, $0) })
            for b in 0..<depth where !procedure.isFinished {
                let samples = procedure.contenders.map { batch.samples[b * live.count + column[$0]!]! }
                do {
                    try procedure.add(samples.map(\.observation))
                } catch let e as MissingValue {
                    let p = plan.grid.point(e.configuration)
                    let metric = e.constraint.map { plan.constraints[$0].metric } ?? plan.request.objective
                    throw OptimiseRunError(description: "\(metric) has no value in replication \(e.replication) of caseworkers = \(p.caseworkers), cap = \(p.cap) (a share with nothing to divide by, e.g. no filled position or no visit due); choose another metric or leave that configuration out of the grid")
                }
                eventsUsed += samples.reduce(0) { $0 + $1.events }
            }
            progress?(OptimiseProgress(stage: procedure.stage, contenders: procedure.contenders.count, configurations: k,
                                       replicationsUsed: procedure.replicationsUsed))
        }
        let elapsed = clock.now - started
        return OptimiseRun(plan: plan, result: procedure.snapshot(), eventsUsed: eventsUsed, eventsComputed: eventsComputed,
                           replicationsComputed: computed,
                           wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    /// `Outputs/optimise-<scenario file name>`.
    public static func defaultOutputDirectory(for scenarioPath: String, overrides: [String] = []) -> URL {
        URL(fileURLWithPath: "Outputs").appendingPathComponent(OutputNaming.folderName(
            "optimise-" + URL(fileURLWithPath: scenarioPath).deletingPathExtension().lastPathComponent, overrides: overrides))
    }

    /// A grid value as written in an override: `37`, `30.5`.
    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}

extension OptimiseRun {
    /// Where the grid's warnings are located: `<--caseworkers>` and `<--cap>`.
    public static let caseworkersFileName = "<--caseworkers>"
    public static let capFileName = "<--cap>"

    /// Warnings when the chosen configuration lies at the smallest or largest value of an axis
    /// with at least two values: the optimum may lie beyond the grid.
    public var edgeWarnings: [Diagnostic] {
        guard let c = result.outcome.chosen else { return [] }
        let grid = plan.grid
        let point = grid.point(c)
        var out: [Diagnostic] = []
        func check(_ values: [String], _ value: String, file: String, path: String, option: String) {
            let numbers = values.compactMap(Double.init)
            guard numbers.count == values.count, numbers.count >= 2, let x = Double(value),
                  let lo = numbers.min(), let hi = numbers.max(), x == lo || x == hi else { return }
            let side = x == hi ? "largest" : "smallest"
            out.append(Diagnostic(
                file: file, line: 1, column: 1, keyPath: path,
                message: "the chosen configuration is at the \(side) value of the grid, \(path) = \(value); the optimum may lie beyond the grid",
                suggestion: "extend \(option) \(x == hi ? "above" : "below") \(value) to see whether a configuration beyond it is better",
                severity: .warning))
        }
        check(grid.caseworkers, point.caseworkers, file: Self.caseworkersFileName, path: "teams.\(grid.team).caseworkers",
              option: "--caseworkers")
        if grid.capVaried {
            check(grid.caps, point.cap, file: Self.capFileName, path: "teams.\(grid.team).cap", option: "--cap")
        }
        return out
    }
}
