import Foundation
import SagstalModel
import SagstalOutput
import SagstalRandom
import SagstalReport
import SagstalScenario
import SagstalStats

/// Errors of `compare` and `sweep` that are about the request, not a scenario file.
public enum PlannerError: Error, CustomStringConvertible, Equatable {
    case needsTwoScenarios
    case differentCalendars(String)
    case badVary(String)

    public var description: String {
        switch self {
        case .needsTwoScenarios: return "compare needs at least two scenario files (a baseline and an alternative)"
        case .differentCalendars(let why): return why
        case .badVary(let why): return why
        }
    }
}

/// The result of `sagstal compare`: each scenario's own run and the paired comparisons of
/// every alternative with the baseline (the first scenario).
public struct ComparisonRun: Sendable {
    public let names: [String]
    public let scenarios: [Scenario]
    public let runs: [AggregatedRun]
    public let pairs: [PairedComparison]
    public let eventsProcessed: Int
    public let wallSeconds: Double
}

/// `sagstal compare`: runs scenarios on the same replications with the same seeds
/// (common random numbers) and compares each alternative with the baseline, replication by
/// replication.
public enum CompareJob {
    /// Loads the scenarios of a comparison. The alternatives take the baseline's seed,
    /// replications and years (after overrides) so that replication r of every scenario sees the
    /// same random streams; their start dates must agree.
    ///
    /// - Returns: the loaded scenarios and, per alternative, a note for each value replaced.
    /// - Throws: `ScenarioError` (every problem of every file), `PlannerError`.
    public static func load(_ requests: [ScenarioRequest]) throws -> (scenarios: [LoadedScenario], notes: [String]) {
        guard requests.count >= 2 else { throw PlannerError.needsTwoScenarios }
        var diagnostics: [Diagnostic] = []
        var loaded: [LoadedScenario?] = []
        for r in requests {
            do { loaded.append(try r.load()) } catch let e as ScenarioError {
                diagnostics += e.diagnostics
                loaded.append(nil)
            }
        }
        if !diagnostics.isEmpty { throw ScenarioError(diagnostics: diagnostics) }
        var all = loaded.compactMap { $0 }
        let base = all[0].scenario.simulation
        var notes: [String] = []
        for i in 1..<all.count {
            var sim = all[i].scenario.simulation
            let file = requests[i].path
            if sim.start != base.start {
                throw PlannerError.differentCalendars(
                    "\(file): simulation.start is \(sim.start) but the baseline \(requests[0].path) starts \(base.start); compared scenarios must share their budget years")
            }
            if sim.seed != base.seed { notes.append("\(file): seed \(sim.seed) replaced by the baseline's \(base.seed) (common random numbers)") }
            if sim.replications != base.replications { notes.append("\(file): \(sim.replications) replications replaced by the baseline's \(base.replications)") }
            if sim.years != base.years { notes.append("\(file): \(sim.years) years replaced by the baseline's \(base.years)") }
            // The replaced values' sources say so (kind override, file <compare>).
            let replaced: [(String, Bool, SourceValue)] = [
                ("simulation.seed", sim.seed != base.seed, .unsigned(base.seed)),
                ("simulation.replications", sim.replications != base.replications, .integer(Int64(base.replications))),
                ("simulation.years", sim.years != base.years, .number(base.years)),
            ]
            for (path, changed, value) in replaced where changed {
                if let k = all[i].sources.firstIndex(where: { $0.path == path }) {
                    all[i].sources[k] = ValueSource(path: path, value: value, kind: .override,
                                                    comment: "compare: the baseline's value (\(requests[0].path)), for common random numbers",
                                                    file: compareSource)
                }
            }
            sim.seed = base.seed
            sim.replications = base.replications
            sim.years = base.years
            all[i].scenario.simulation = sim
        }
        return (all, notes)
    }

    /// Runs the comparison on `jobs` threads; replication r of every scenario runs in the same task.
    /// - Parameter cancellation: stops the run between replications (it then throws ``Interrupted``).
    public static func run(_ scenarios: [Scenario], names: [String], jobs: Int,
                           progress: (@Sendable (Int) -> Void)? = nil,
                           cancellation: Cancellation? = nil) throws -> ComparisonRun {
        let clock = ContinuousClock()
        let started = clock.now
        let compiled = try scenarios.map { try CompiledScenario($0) }
        let n = scenarios[0].simulation.replications
        let accumulator = try Accumulator(layouts: compiled.map(\.layout), replications: n)
        try SimulationRunner.forEachReplication(n, jobs: jobs, progress: progress, cancellation: cancellation, work: { r in
            try compiled.map { try Replication($0, index: r).run() }
        }, deliver: { try accumulator.add($0) })
        let elapsed = clock.now - started
        return try accumulator.finish(scenarios: scenarios, names: names,
                                      wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    /// The statistics of a comparison, fed replication by replication (in any order) with the
    /// records of every scenario for that replication: each scenario's run and each pair's
    /// differences. Used by ``run(_:names:jobs:progress:cancellation:)`` and by `sagstal merge`
    /// (records read back from shards), so that both give the same bits.
    final class Accumulator {
        let aggregators: [RunAggregator]
        let pairs: [PairState]
        var events = 0

        init(layouts: [MetricLayout], replications n: Int) throws {
            aggregators = try layouts.map { try RunAggregator(layout: $0, replications: n) }
            pairs = try (1..<layouts.count).map { try PairState(base: layouts[0], alternative: layouts[$0], replications: n) }
        }

        /// One replication: `records[k]` is scenario k's record.
        func add(_ records: [ReplicationRecord]) throws {
            for (a, rec) in zip(aggregators, records) { try a.add(rec) }
            for (k, pair) in pairs.enumerated() { try pair.add(base: records[0], alternative: records[k + 1]) }
            events += records.reduce(0) { $0 + $1.eventsProcessed }
        }

        func finish(scenarios: [Scenario], names: [String], wallSeconds: Double) throws -> ComparisonRun {
            let runs = try aggregators.map { try $0.finish() }
            let paired = try pairs.enumerated().map { k, p in try p.finish(baselineRun: runs[0], alternativeRun: runs[k + 1], alternative: k + 1) }
            return ComparisonRun(names: names, scenarios: scenarios, runs: runs, pairs: paired, eventsProcessed: events,
                                 wallSeconds: wallSeconds)
        }
    }

    /// Accumulates one alternative's paired differences, cumulative net costs and break-even
    /// years (the first year from which the cumulative net cost stays ≤ 0, ``BreakEven``).
    final class PairState {
        let layout: MetricLayout
        let aggregator: RunAggregator
        // Indices into the baseline's and the alternative's period and totals metrics.
        let periodBase: [Int], periodAlt: [Int], totalsBase: [Int], totalsAlt: [Int]
        let basePeriodCount: Int, altPeriodCount: Int
        let baseCost: Int, altCost: Int
        var breakEvenYear: [Int?]
        /// Cumulative net cost per replication and year (replication-major).
        var cumulative: [Double]

        init(base: MetricLayout, alternative: MetricLayout, replications: Int) throws {
            let common = base.periodMetrics.filter { alternative.periodMetrics.contains($0) }
            let commonTotals = base.totalsOnlyMetrics.filter { alternative.totalsOnlyMetrics.contains($0) }
            layout = MetricLayout(periodMetrics: common, totalsOnlyMetrics: commonTotals,
                                  yearLabels: base.yearLabels, monthLabels: base.monthLabels)
            aggregator = try RunAggregator(layout: layout, replications: replications)
            periodBase = common.map { base.periodMetrics.firstIndex(of: $0)! }
            periodAlt = common.map { alternative.periodMetrics.firstIndex(of: $0)! }
            totalsBase = layout.totalsMetrics.map { base.totalsMetrics.firstIndex(of: $0)! }
            totalsAlt = layout.totalsMetrics.map { alternative.totalsMetrics.firstIndex(of: $0)! }
            basePeriodCount = base.periodMetrics.count
            altPeriodCount = alternative.periodMetrics.count
            baseCost = base.periodMetrics.firstIndex(of: "cost.total")!
            altCost = alternative.periodMetrics.firstIndex(of: "cost.total")!
            breakEvenYear = Array(repeating: nil, count: replications)
            cumulative = Array(repeating: .nan, count: replications * base.yearLabels.count)
        }

        func add(base: ReplicationRecord, alternative: ReplicationRecord) throws {
            func diff(_ b: [Double], _ a: [Double], periods: Int) -> [Double] {
                var out: [Double] = []
                out.reserveCapacity(periods * periodBase.count)
                for p in 0..<periods {
                    for (ib, ia) in zip(periodBase, periodAlt) {
                        out.append(a[p * altPeriodCount + ia] - b[p * basePeriodCount + ib])
                    }
                }
                return out
            }
            let years = layout.yearLabels.count, months = layout.monthLabels.count
            let totals = zip(totalsBase, totalsAlt).map { alternative.totals[$1] - base.totals[$0] }
            try aggregator.add(ReplicationRecord(replication: base.replication, totals: totals,
                                                 yearly: diff(base.yearly, alternative.yearly, periods: years),
                                                 monthly: diff(base.monthly, alternative.monthly, periods: months),
                                                 eventsProcessed: 0))
            let bc = (0..<years).map { base.yearly[$0 * basePeriodCount + baseCost] }
            let ac = (0..<years).map { alternative.yearly[$0 * altPeriodCount + altCost] }
            let d = BreakEven.cumulative(baseline: bc, alternative: ac)
            breakEvenYear[base.replication] = BreakEven.yearIndex(cumulativeNetCost: d)
            for y in 0..<years { cumulative[base.replication * years + y] = d[y] }
        }

        func finish(baselineRun: AggregatedRun, alternativeRun: AggregatedRun, alternative: Int) throws -> PairedComparison {
            let differences = try aggregator.finish()
            let years = layout.yearLabels.count
            let names = layout.totalsMetrics
            func index(_ run: AggregatedRun, _ m: String) -> Int { run.layout.totalsMetrics.firstIndex(of: m)! }
            let bTot = names.map { baselineRun.totals[index(baselineRun, $0)] }
            let aTot = names.map { alternativeRun.totals[index(alternativeRun, $0)] }
            func yearly(_ run: AggregatedRun) -> [[MetricSummary]] {
                let idx = layout.periodMetrics.map { run.layout.periodMetrics.firstIndex(of: $0)! }
                return run.yearly.map { row in idx.map { row[$0] } }
            }
            let bYear = yearly(baselineRun), aYear = yearly(alternativeRun)
            func cheaper(_ metric: String) -> Double {
                let ib = index(baselineRun, metric), ia = index(alternativeRun, metric)
                let n = baselineRun.replicationTotals.count
                let wins = zip(baselineRun.replicationTotals, alternativeRun.replicationTotals).filter { $1[ia] < $0[ib] }.count
                return n > 0 ? Double(wins) / Double(n) : .nan
            }
            return PairedComparison(
                baseline: 0, alternative: alternative, differences: differences,
                baselineTotals: bTot.map(\.mean), alternativeTotals: aTot.map(\.mean),
                baselineYearly: bYear.map { $0.map(\.mean) }, alternativeYearly: aYear.map { $0.map(\.mean) },
                unpairedCi95HalfWidth: zip(bTot, aTot).map { PairedComparison.unpairedHalfWidth($0, $1) },
                unpairedYearlyCi95HalfWidth: zip(bYear, aYear).map { zip($0, $1).map { PairedComparison.unpairedHalfWidth($0, $1) } },
                probabilityCheaper: cheaper("cost.total"), probabilityCheaperNPV: cheaper("cost.npv"),
                breakEven: BreakEven(yearLabels: layout.yearLabels, years: breakEvenYear),
                cumulativeNetCost: (0..<years).map { y in
                    Summaries.summarize((0..<breakEvenYear.count).map { cumulative[$0 * years + y] })
                })
        }
    }
}

extension CompareJob {
    /// The `file` of a ``ValueSource`` that compare replaced (an alternative's seed, replications or years).
    public static let compareSource = "<compare>"

    /// What `sagstal compare` asks for (``OutputFolder/checkReplaceable(_:by:force:)``, `run.json`):
    /// the files, the overrides and each scenario's `<name>/scenario.resolved.yaml`.
    public static func request(_ loaded: [LoadedScenario], files: [String], names: [String]) -> OutputRequest {
        var resolved: [String: String] = [:]
        for (l, name) in zip(loaded, names) {
            resolved[name + "/scenario.resolved.yaml"] = ScenarioEmitter.yaml(l.scenario, toolVersion: SagstalVersion.current)
        }
        return OutputRequest(command: "compare", scenarioFiles: files, overrides: loaded.first?.overrides ?? [], resolved: resolved)
    }

    /// Short, unique names for the scenario files (file name without extension).
    public static func names(for paths: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return paths.map { p in
            let base = URL(fileURLWithPath: p).deletingPathExtension().lastPathComponent
            seen[base, default: 0] += 1
            return seen[base]! > 1 ? "\(base)-\(seen[base]!)" : base
        }
    }

    /// `Outputs/compare-<A>-vs-<B>[-vs-<C>…]`, with overrides `…-<hash>` (``OutputNaming/hash(_:)``).
    public static func defaultOutputDirectory(names: [String], overrides: [String] = []) -> URL {
        URL(fileURLWithPath: "Outputs").appendingPathComponent(
            OutputNaming.folderName("compare-" + names.joined(separator: "-vs-"), overrides: overrides))
    }

    /// Writes `comparison.json`, `comparison.csv` and each scenario's own outputs (MODEL.md §8)
    /// in a subfolder named after it. `warnings` (per scenario, plausibility) go into each
    /// scenario's `summary.json` and, distinct, into `comparison.json` and the report's Warnings box.
    ///
    /// `sources` (per scenario, ``LoadedScenario/sources``) go into each scenario's `summary.json`,
    /// `comparison.json` and, with `overrides`, the report's key assumptions box; `request`
    /// (``request(_:files:names:)``) into the top-level `run.json`.
    public static func write(_ result: ComparisonRun, notes: [String], jobs: Int, to directory: URL,
                             language: ReportLanguage = .en, dialect: CSVDialect = .standard,
                             warnings: [[OutputWarning]] = [], sources: [[ValueSource]] = [], overrides: [String] = [],
                             request: OutputRequest? = nil) throws -> ComparisonInfo {
        let sim = result.scenarios[0].simulation
        let tool = RunJob.tool(generator: sim.generator)
        for (k, (scenario, run)) in zip(result.scenarios, result.runs).enumerated() {
            try RunJob.write(run, of: scenario, wallSeconds: result.wallSeconds, jobs: jobs,
                             to: directory.appendingPathComponent(result.names[k]), language: language, dialect: dialect,
                             warnings: k < warnings.count ? warnings[k] : [], sources: k < sources.count ? sources[k] : [],
                             overrides: overrides)
        }
        var info = ComparisonInfo(names: result.names, titles: result.scenarios.map(\.name), seed: sim.seed,
                                  replications: sim.replications, years: sim.years, tool: tool, notes: notes)
        info.warnings = OutputWarning.distinct(warnings)
        info.sources = sources
        info.overrides = overrides
        let report = ComparisonReport.html(pairs: result.pairs, runs: result.runs, scenarios: result.scenarios, info: info,
                                           language: language)
        let runJSON = RunWriter.runJSON(wallSeconds: result.wallSeconds, jobs: jobs, eventsProcessed: result.eventsProcessed,
                                        request: request)
        let budget = BudgetTable.differenceFiles(pairs: result.pairs, runs: result.runs, scenarios: result.scenarios,
                                                 names: result.names, language: language, dialect: dialect)
        try ComparisonWriter.write(result.pairs, info: info, to: directory, dialect: dialect,
                                   additionalFiles: [(name: "report.html", contents: report), (name: RunWriter.runFile, contents: runJSON)] + budget)
        return info
    }
}

extension SweepJob {
    /// `Outputs/sweep-<scenario file name>`, with overrides (`--set`, `-n`, `--seed`, `--years`; not
    /// the `--vary` axes) `…-<hash>` (``OutputNaming/hash(_:)``).
    public static func defaultOutputDirectory(for scenarioPath: String, overrides: [String] = []) -> URL {
        URL(fileURLWithPath: "Outputs").appendingPathComponent(OutputNaming.folderName(
            "sweep-" + URL(fileURLWithPath: scenarioPath).deletingPathExtension().lastPathComponent, overrides: overrides))
    }

    /// What `sagstal sweep` asks for (``OutputFolder/checkReplaceable(_:by:force:)``, `run.json`):
    /// the file, the request's overrides (`--vary` axes are recorded as details, not compared) and
    /// each point's `point-NNN/scenario.resolved.yaml`.
    public static func request(_ request: ScenarioRequest, axes: [SweepAxis], points: [LoadedScenario]) -> OutputRequest {
        var resolved: [String: String] = [:]
        for (k, p) in points.enumerated() {
            resolved[String(format: "point-%03d", k) + "/scenario.resolved.yaml"] = ScenarioEmitter.yaml(p.scenario, toolVersion: SagstalVersion.current)
        }
        return OutputRequest(command: "sweep", scenarioFiles: [request.path], overrides: request.allOverrides,
                             details: axes.map { "--vary \($0.path)=\($0.values.joined(separator: ","))" }, resolved: resolved)
    }

    /// Writes `sweep.csv` and each point's own outputs (MODEL.md §8) in `point-<k>/`.
    /// `pointWarnings` (per point) go into each point's `summary.json`; they and `warnings`
    /// (e.g. `SweepRun.edgeWarnings`) into the report's Warnings box.
    ///
    /// `pointSources` (per point) go into each point's `summary.json`; the first point's, with
    /// `overrides`, into the report's key assumptions box; `request` (``request(_:axes:points:)``)
    /// into the top-level `run.json`.
    public static func write(_ result: SweepRun, jobs: Int, to directory: URL,
                             language: ReportLanguage = .en, dialect: CSVDialect = .standard,
                             pointWarnings: [[OutputWarning]] = [], warnings: [OutputWarning] = [],
                             pointSources: [[ValueSource]] = [], overrides: [String] = [],
                             request: OutputRequest? = nil) throws {
        for (k, (scenario, run)) in zip(result.scenarios, result.runs).enumerated() {
            try RunJob.write(run, of: scenario, wallSeconds: result.wallSeconds, jobs: jobs,
                             to: directory.appendingPathComponent(String(format: "point-%03d", k)),
                             language: language, dialect: dialect, report: false,
                             warnings: k < pointWarnings.count ? pointWarnings[k] : [],
                             sources: k < pointSources.count ? pointSources[k] : [], overrides: overrides)
        }
        let tool = RunJob.tool(generator: result.scenarios[0].simulation.generator)
        let paths = result.axes.map(\.path)
        let report = SweepReport.html(paths: paths, points: result.points, runs: result.runs, scenarios: result.scenarios,
                                      marked: result.lowestCostPoints, language: language, tool: tool,
                                      warnings: OutputWarning.distinct(pointWarnings) + warnings,
                                      sources: pointSources.first ?? [], overrides: overrides)
        let runJSON = RunWriter.runJSON(wallSeconds: result.wallSeconds, jobs: jobs, eventsProcessed: result.eventsProcessed,
                                        request: request)
        let scenarioName = request?.scenarioFiles.first.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
            ?? result.scenarios[0].name
        try SweepWriter.write(scenario: scenarioName, paths: paths, points: result.points, runs: result.runs, to: directory, dialect: dialect,
                              additionalFiles: [(name: "report.html", contents: report), (name: RunWriter.runFile, contents: runJSON)])
    }
}
