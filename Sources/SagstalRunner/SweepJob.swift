import Foundation
import SagstalModel
import SagstalScenario
import SagstalStats

/// One `--vary PATH=v1,v2,…` of a sweep.
public struct SweepAxis: Sendable, Equatable {
    public let path: String
    public let values: [String]

    /// Parses `PATH=v1,v2,…` (values are YAML scalars; a list value cannot be swept).
    /// - Throws: `PlannerError.badVary` with what was expected.
    public init(parsing text: String) throws {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw PlannerError.badVary("--vary '\(text)': expected PATH=v1,v2,… (e.g. teams.0.cap=15,20,25)")
        }
        path = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        values = text[text.index(after: eq)...].split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if values.isEmpty || values.contains(where: \.isEmpty) {
            throw PlannerError.badVary("--vary '\(text)': expected a comma-separated list of values after '=', found an empty value")
        }
    }

    public init(path: String, values: [String]) {
        self.path = path
        self.values = values
    }
}

/// The result of `sagstal sweep`: one run per grid point, all with the same seed.
public struct SweepRun: Sendable {
    public let axes: [SweepAxis]
    /// Per point, the value of each axis (grid order: the first axis varies slowest).
    public let points: [[String]]
    public let scenarios: [Scenario]
    public let runs: [AggregatedRun]
    public let eventsProcessed: Int
    public let wallSeconds: Double

    /// The point with the lowest mean total cost over the horizon.
    public var lowestCostPoint: Int? {
        let means = runs.map { run in run.layout.totalsMetrics.firstIndex(of: "cost.total").flatMap { run.totals[$0].mean } }
        return means.indices.filter { means[$0] != nil }.min { means[$0]! < means[$1]! }
    }
}

/// `sagstal sweep`: runs a scenario over the full grid of `--vary` values. Every point uses the
/// scenario's seed, so points differ by the varied values, not by luck (common random numbers).
public enum SweepJob {
    /// The grid of values, first axis slowest.
    public static func grid(_ axes: [SweepAxis]) -> [[String]] {
        axes.reduce([[]]) { partial, axis in partial.flatMap { p in axis.values.map { p + [$0] } } }
    }

    /// Loads every grid point (the request's overrides, then the point's values). All points are
    /// validated before anything runs.
    /// - Throws: `ScenarioError` with the problems of every point.
    public static func load(_ request: ScenarioRequest, axes: [SweepAxis]) throws -> [LoadedScenario] {
        var diagnostics: [Diagnostic] = []
        var loaded: [LoadedScenario] = []
        let fixed = request.overrides.count
        for point in grid(axes) {
            var r = request
            r.overrides += zip(axes, point).map { "\($0.path)=\($1)" }
            do {
                var l = try r.load()
                // The point's values are the sweep's, not --set overrides: `<--vary>`, line k for the k-th axis.
                for k in l.sources.indices where l.sources[k].file == "<--set>" {
                    if let line = l.sources[k].line, line > fixed, line <= fixed + axes.count {
                        l.sources[k].file = SweepRun.varyFileName
                        l.sources[k].line = line - fixed
                    } else if let line = l.sources[k].line, line > fixed + axes.count {
                        l.sources[k].line = line - axes.count   // -n, --seed, --years after the point's values
                    }
                }
                loaded.append(l)
            } catch let e as ScenarioError {
                for d in e.diagnostics where !diagnostics.contains(d) { diagnostics.append(d) }
            }
        }
        if !diagnostics.isEmpty { throw ScenarioError(diagnostics: diagnostics) }
        return loaded
    }

    /// Runs every point, one after the other, each on `jobs` threads.
    /// - Parameter progress: called with the number of replications done over all points.
    /// - Parameter cancellation: stops the run between replications (it then throws ``Interrupted``).
    public static func run(_ scenarios: [Scenario], axes: [SweepAxis], jobs: Int,
                           progress: (@Sendable (Int) -> Void)? = nil,
                           cancellation: Cancellation? = nil) throws -> SweepRun {
        let clock = ContinuousClock()
        let started = clock.now
        var runs: [AggregatedRun] = []
        var done = 0
        for s in scenarios {
            let offset = done
            var shifted: (@Sendable (Int) -> Void)? = nil
            if let progress { shifted = { progress(offset + $0) } }
            let run = try SimulationRunner.run(try CompiledScenario(s), replications: s.simulation.replications, jobs: jobs,
                                               progress: shifted, cancellation: cancellation)
            done += s.simulation.replications
            runs.append(run)
        }
        let elapsed = clock.now - started
        return SweepRun(axes: axes, points: grid(axes), scenarios: scenarios, runs: runs,
                        eventsProcessed: runs.reduce(0) { $0 + $1.eventsProcessed },
                        wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
}
