import Foundation
import SagstalModel
import SagstalOutput
import SagstalReport
import SagstalScenario
import SagstalStats

/// What a batch is: the file, the template and its rows (recorded in shards, so that merge
/// writes the same summary).
public struct BatchPlan: Sendable, Equatable, Codable {
    /// The batch file as given.
    public var file: String
    /// The template scenario file as given.
    public var template: String
    /// The number of children (0–17) the template is sized for.
    public var referenceChildren: Double
    public var rows: [BatchRow]
}

/// The runs of a batch, one per row.
public struct BatchRun: Sendable {
    public let plan: BatchPlan
    public let scenarios: [Scenario]
    public let runs: [AggregatedRun]
    public let eventsProcessed: Int
    public let wallSeconds: Double
}

/// `sagstal batch municipalities.csv --template base.yaml`: one scenario per row of the file, made
/// from the template with the row's values, run one after the other (or sharded) and summarised in
/// `batch.csv` and `report.html` (docs/batch.md).
public enum BatchJob {
    /// The template's size: `Scenarios/base/denmark.yaml` is a reference municipality of 10,000 children.
    public static let defaultReferenceChildren = 10_000.0

    /// The overrides that turn the template into the municipality of `row`:
    ///
    /// - `name` ← the row's name;
    /// - `notifications.perYear` ← `notificationsPerYear`, else the template's × children / reference;
    /// - `initial.<placement step>` ← the template's split of its placed children, scaled to
    ///   `placedChildren` (largest remainder, so they add up), else × children / reference;
    ///   `initial.<other step>` ← the template's × children / reference;
    /// - `teams.<id>.caseworkers` ← `caseworkers` split over the teams as the template splits
    ///   its caseworkers (largest remainder; each team keeps at least 1), else the template's ×
    ///   children / reference, rounded, at least 1.
    /// Without `children` the scale is 1. Values come after the template and before the row's
    /// `--set` columns and the command's own `--set`, which therefore win.
    /// - Returns: the overrides, each with the column it comes from.
    public static func overrides(for row: BatchRow, template: Scenario, referenceChildren: Double) -> [(text: String, column: String)] {
        let scale = row.children.map { $0 / referenceChildren } ?? 1
        let sizeColumn = row.children == nil ? "name" : "children"
        var out: [(String, String)] = [("name=\(jsonString(row.name))", "name")]
        let perYear = row.notificationsPerYear ?? template.notifications.perYear * scale
        out.append(("notifications.perYear=\(decimal(perYear, places: 1))", row.notificationsPerYear == nil ? sizeColumn : "notificationsPerYear"))
        let placementSteps = Set(template.ladder.filter(\.placement).map(\.id))
        let placed = template.initial.filter { placementSteps.contains($0.step) }
        let others = template.initial.filter { !placementSteps.contains($0.step) }
        let placedCounts: [Int]
        if let target = row.placedChildren {
            placedCounts = apportion(Int(target.rounded()), weights: placed.map { Double($0.count) })
        } else {
            placedCounts = placed.map { Int((Double($0.count) * scale).rounded()) }
        }
        for (s, c) in zip(placed, placedCounts) {
            out.append(("initial.\(s.step)=\(c)", row.placedChildren == nil ? sizeColumn : "placedChildren"))
        }
        for s in others { out.append(("initial.\(s.step)=\(Int((Double(s.count) * scale).rounded()))", sizeColumn)) }
        let teamCounts: [Int]
        if let total = row.caseworkers {
            teamCounts = apportion(max(Int(total), template.teams.count), weights: template.teams.map { Double(max($0.caseworkers, 1)) }, minimum: 1)
        } else {
            teamCounts = template.teams.map { max(1, Int((Double($0.caseworkers) * scale).rounded())) }
        }
        for (t, c) in zip(template.teams, teamCounts) {
            out.append(("teams.\(t.id).caseworkers=\(c)", row.caseworkers == nil ? sizeColumn : "caseworkers"))
        }
        return out
    }

    /// Splits `total` in proportion to `weights` by the largest-remainder method (ties to the
    /// earlier item), each part at least `minimum` (when total allows).
    static func apportion(_ total: Int, weights: [Double], minimum: Int = 0) -> [Int] {
        guard !weights.isEmpty else { return [] }
        let base = min(minimum, total / weights.count)
        let rest = total - base * weights.count
        let sum = weights.reduce(0, +)
        let shares = weights.map { sum > 0 ? Double(rest) * $0 / sum : Double(rest) / Double(weights.count) }
        var parts = shares.map { Int($0.rounded(.down)) }
        var left = rest - parts.reduce(0, +)
        let order = shares.indices.sorted { (shares[$0] - Double(parts[$0]), -$0) > (shares[$1] - Double(parts[$1]), -$1) }
        for i in order where left > 0 {
            parts[i] += 1
            left -= 1
        }
        return parts.map { $0 + base }
    }

    static func decimal(_ x: Double, places: Int) -> String {
        var s = String(format: "%.\(places)f", x)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    static func jsonString(_ s: String) -> String {
        JSONValue.string(s).prettyPrinted()
    }

    /// Loads every row's scenario: the template with the row's values (``overrides(for:template:referenceChildren:)``),
    /// the row's `--set` columns, then `request`'s overrides and shortcuts. Each value from the file
    /// is recorded as coming from the file's line and column (``ValueSource``).
    /// - Throws: `ScenarioError` with every row's problems, located in the batch file.
    public static func load(rows: [BatchRow], file: String, template request: ScenarioRequest,
                            referenceChildren: Double) throws -> (plan: BatchPlan, scenarios: [LoadedScenario]) {
        let template = try request.load()
        var diagnostics: [Diagnostic] = []
        var loaded: [LoadedScenario] = []
        for row in rows {
            let derived = overrides(for: row, template: template.scenario, referenceChildren: referenceChildren)
            let settings = row.settings.map { (text: $0, column: String($0.prefix { $0 != "=" })) }
            let own = derived + settings
            var r = request
            r.overrides = own.map(\.text) + request.overrides
            do {
                var l = try r.load()
                for k in l.sources.indices where l.sources[k].file == "<--set>" {
                    if let line = l.sources[k].line, line >= 1, line <= own.count {
                        l.sources[k].file = file
                        l.sources[k].line = row.line
                        l.sources[k].comment = "batch: column \(own[line - 1].column) of \(row.name) (\(row.id))"
                    } else if let line = l.sources[k].line, line > own.count {
                        l.sources[k].line = line - own.count
                    }
                }
                l.overrides = Array(l.overrides.dropFirst(own.count))
                loaded.append(l)
            } catch let e as ScenarioError {
                for var d in e.diagnostics {
                    if d.file == "<--set>", d.line >= 1, d.line <= own.count {
                        d.message = "\(row.name) (\(row.id)), column \(own[d.line - 1].column): \(d.message)"
                        d.file = file
                        d.line = row.line
                        d.column = 1
                    }
                    if !diagnostics.contains(d) { diagnostics.append(d) }
                }
            }
        }
        if !diagnostics.isEmpty { throw ScenarioError(diagnostics: diagnostics) }
        return (BatchPlan(file: file, template: request.path, referenceChildren: referenceChildren, rows: rows), loaded)
    }

    /// What `sagstal batch` asks for (``OutputFolder/checkReplaceable(_:by:force:)``, `run.json`).
    public static func request(_ plan: BatchPlan, overrides: [String], scenarios: [LoadedScenario]) -> OutputRequest {
        var resolved: [String: String] = [:]
        for (row, l) in zip(plan.rows, scenarios) {
            resolved[row.folder + "/scenario.resolved.yaml"] = ScenarioEmitter.yaml(l.scenario, toolVersion: SagstalVersion.current)
        }
        return OutputRequest(command: "batch", scenarioFiles: [plan.file, plan.template], overrides: overrides,
                             details: ["--reference-children \(decimal(plan.referenceChildren, places: 3))"], resolved: resolved)
    }

    /// The shard plan of a batch (``ShardPlan``): one arm per row.
    public static func shardPlan(_ plan: BatchPlan, scenarios: [LoadedScenario], overrides: [String], request: OutputRequest,
                                 language: ReportLanguage, dialect: CSVDialect) -> ShardPlan {
        ShardPlan(command: .batch, arms: zip(plan.rows, scenarios).map { ShardPlan.arm($1, name: $0.folder) }, overrides: overrides,
                  batch: plan, request: request, language: language, dialect: dialect)
    }

    /// `Outputs/batch-<file name>`, with overrides `…-<hash>`.
    public static func defaultOutputDirectory(for file: String, overrides: [String] = []) -> URL {
        URL(fileURLWithPath: "Outputs").appendingPathComponent(OutputNaming.folderName(
            "batch-" + URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent, overrides: overrides))
    }

    /// Runs every row's scenario on `jobs` threads (`SimulationRunner.runEach`: the rows overlap).
    public static func run(_ plan: BatchPlan, scenarios: [Scenario], jobs: Int, progress: (@Sendable (Int) -> Void)? = nil,
                           cancellation: Cancellation? = nil) throws -> BatchRun {
        let (runs, wall) = try SimulationRunner.runEach(scenarios, jobs: jobs, progress: progress, cancellation: cancellation)
        return BatchRun(plan: plan, scenarios: scenarios, runs: runs, eventsProcessed: runs.reduce(0) { $0 + $1.eventsProcessed },
                        wallSeconds: wall)
    }

    /// Writes each row's own outputs (MODEL.md §8, with its report) in `<id>-<name>/`, then
    /// `batch.csv`, `report.html` and `run.json`.
    public static func write(_ result: BatchRun, plan shardPlan: ShardPlan, jobs: Int, to directory: URL) throws {
        let language = shardPlan.reportLanguage, dialect = shardPlan.csvDialect
        for (k, (scenario, run)) in zip(result.scenarios, result.runs).enumerated() {
            let arm = shardPlan.arms[k]
            try RunJob.write(run, of: scenario, wallSeconds: result.wallSeconds, jobs: jobs,
                             to: directory.appendingPathComponent(arm.name), language: language, dialect: dialect,
                             warnings: arm.warnings, sources: arm.sources, overrides: shardPlan.overrides)
        }
        let rows = summaryRows(result)
        let tool = RunJob.tool(generator: result.scenarios[0].simulation.generator)
        let report = BatchReport.html(rows: rows, template: result.plan.template, file: result.plan.file,
                                      scenarios: result.scenarios, runs: result.runs, language: language, tool: tool,
                                      warnings: OutputWarning.distinct(shardPlan.arms.map(\.warnings)), overrides: shardPlan.overrides)
        let runJSON = RunWriter.runJSON(wallSeconds: result.wallSeconds, jobs: jobs, eventsProcessed: result.eventsProcessed,
                                        request: shardPlan.request)
        try Directories.create(directory.path)
        try AtomicFile.write([
            ("batch.csv", BatchReport.csv(rows, dialect: dialect)),
            ("report.html", report),
            (RunWriter.runFile, runJSON),
        ].map { (url: directory.appendingPathComponent($0.0), data: Data($0.1.utf8)) })
    }

    /// The summary rows of `batch.csv` and the report, in file order.
    public static func summaryRows(_ result: BatchRun) -> [BatchReport.Row] {
        zip(result.plan.rows, zip(result.scenarios, result.runs)).map { row, pair in
            let (scenario, run) = pair
            let placed = Set(scenario.ladder.filter(\.placement).map(\.id))
            return BatchReport.Row(
                id: row.id, name: row.name, folder: row.folder, region: row.info["region"] ?? "",
                children: row.children ?? result.plan.referenceChildren,
                notificationsPerYear: scenario.notifications.perYear,
                placedAtStart: Double(scenario.initial.filter { placed.contains($0.step) }.reduce(0) { $0 + $1.count }),
                caseworkers: Double(scenario.teams.reduce(0) { $0 + $1.caseworkers }),
                source: row.info["source"] ?? "", years: scenario.simulation.years, run: run)
        }
    }
}
