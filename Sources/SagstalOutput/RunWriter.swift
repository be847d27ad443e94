import Foundation
import SagstalScenario
import SagstalStats

/// Writes a run's output folder (MODEL.md §8).
///
/// The five contract files — `scenario.resolved.yaml`, `summary.json`,
/// `yearly.csv`, `monthly.csv`, `replications.csv` — depend only on the scenario,
/// the seed and the statistics, so two runs with the same seed give byte-identical
/// files. What changes from run to run (wall time, jobs, finishing time) goes into
/// `run.json` only.
///
/// Numbers are printed by ``NumberFormat``; missing statistics are `null` in JSON and
/// empty cells in CSV. JSON keys follow a fixed order (the layout's metric order).
public enum RunWriter {
    /// The files of the output contract.
    public static let contractFiles = [
        "scenario.resolved.yaml", "summary.json", "yearly.csv", "monthly.csv", "replications.csv",
    ]
    /// The file with the run's non-deterministic metadata.
    public static let runFile = "run.json"

    /// Writes the five contract files of MODEL.md §8 plus `run.json` into `directory`.
    ///
    /// Everything is formatted in memory first, then written to temporary files in
    /// `directory`, then renamed into place (see ``AtomicFile``),
    /// so a failure leaves no half-written file.
    ///
    /// - Parameters:
    ///   - run: the aggregated statistics.
    ///   - metadata: scenario name, seed, tool and timing of the run.
    ///   - resolvedYAML: the fully resolved scenario, written as given.
    ///   - directory: the output folder, created (with its parents) if needed.
    ///   - finishedAt: the finishing time recorded in `run.json` (default: now).
    ///   - dialect: how the three CSV files are written (default ``CSVDialect/standard``, the contract).
    ///   - additionalFiles: more files written atomically with the others (e.g. `report.html`),
    ///     as (file name, text) pairs.
    /// - Throws: ``OutputError`` when the folder or a file cannot be written.
    /// - Precondition: `metadata.replications == run.replications`.
    public static func write(_ run: AggregatedRun, metadata: RunMetadata, resolvedYAML: String,
                             to directory: URL, finishedAt: Date = Date(), dialect: CSVDialect = .standard,
                             additionalFiles: [(name: String, contents: String)] = []) throws {
        precondition(metadata.replications == run.replications,
                     "metadata says \(metadata.replications) replications, the run has \(run.replications)")
        let contents: [(String, String)] = [
            ("scenario.resolved.yaml", resolvedYAML),
            ("summary.json", summaryJSON(run, metadata: metadata)),
            ("yearly.csv", periodCSV(run, monthly: false, dialect: dialect)),
            ("monthly.csv", periodCSV(run, monthly: true, dialect: dialect)),
            ("replications.csv", replicationsCSV(run, dialect: dialect)),
            (runFile, runJSON(metadata, finishedAt: finishedAt)),
        ] + additionalFiles.map { ($0.name, $0.contents) }
        try Directories.create(directory.path)
        try AtomicFile.write(contents.map { (directory.appendingPathComponent($0.0), Data($0.1.utf8)) })
    }

    /// The text of `summary.json`.
    ///
    /// - Complexity: O((years + 1) × metrics).
    public static func summaryJSON(_ run: AggregatedRun, metadata: RunMetadata) -> String {
        let layout = run.layout
        let tool = metadata.tool.json
        let totals: JSONValue = .object(zip(layout.totalsMetrics, run.totals).map { ($0, stat($1)) })
        let yearly: JSONValue = .array(zip(layout.yearLabels, run.yearly).map { label, summaries in
            .object([
                ("year", Int64(label).map(JSONValue.integer) ?? .string(label)),
                ("metrics", .object(zip(layout.periodMetrics, summaries).map { ($0, stat($1)) })),
            ])
        })
        let root: JSONValue = .object([
            ("scenario", .string(metadata.scenarioName)),
            ("replications", .integer(Int64(run.replications))),
            ("seed", .unsigned(metadata.seed)),
            ("years", .number(metadata.years)),
            ("tool", tool),
            ("eventsProcessed", .integer(Int64(metadata.eventsProcessed))),
            ("warnings", .array(metadata.warnings.map(\.json))),
            ("sources", ValueSource.json(metadata.sources)),
            ("totals", totals),
            ("yearly", yearly),
        ])
        return root.prettyPrinted()
    }

    /// The text of `yearly.csv` (`monthly: false`) or `monthly.csv` (`monthly: true`):
    /// one row per period and period metric, periods in order, metrics in layout order.
    ///
    /// - Parameter dialect: `standard` (the contract) or `excelDa` (`;` and decimal commas).
    /// - Complexity: O(periods × metrics).
    public static func periodCSV(_ run: AggregatedRun, monthly: Bool, dialect: CSVDialect = .standard) -> String {
        let labels = monthly ? run.layout.monthLabels : run.layout.yearLabels
        let summaries = monthly ? run.monthly : run.yearly
        var out = dialect.preamble
        out += CSV.line([monthly ? "month" : "year", "metric", "mean", "sd", "ci95_lo", "ci95_hi", "p5", "p50", "p95"],
                        dialect: dialect)
        for (label, row) in zip(labels, summaries) {
            for (metric, s) in zip(run.layout.periodMetrics, row) {
                let values = [s.mean, s.sd, s.ci95Lo, s.ci95Hi, s.p5, s.p50, s.p95]
                out += CSV.line([label, metric] + values.map(dialect.cell), dialect: dialect)
            }
        }
        return out
    }

    /// The text of `replications.csv`: `replication` then one column per totals metric,
    /// one row per replication 0, 1, …; NaN (no value) as an empty cell.
    ///
    /// - Parameter dialect: `standard` (the contract) or `excelDa` (`;` and decimal commas).
    /// - Complexity: O(replications × metrics).
    public static func replicationsCSV(_ run: AggregatedRun, dialect: CSVDialect = .standard) -> String {
        var out = dialect.preamble + CSV.line(["replication"] + run.layout.totalsMetrics, dialect: dialect)
        for (r, row) in run.replicationTotals.enumerated() {
            out += CSV.line([String(r)] + row.map { dialect.number($0) ?? "" }, dialect: dialect)
        }
        return out
    }

    /// The text of `run.json`: wall time, jobs, events, events per second and the
    /// finishing time (ISO 8601, UTC).
    public static func runJSON(_ metadata: RunMetadata, finishedAt: Date) -> String {
        runJSON(wallSeconds: metadata.wallSeconds, jobs: metadata.jobs, eventsProcessed: metadata.eventsProcessed,
                finishedAt: finishedAt, request: metadata.request)
    }

    /// The text of `run.json` of any output folder (run, compare, sweep); `request` (what the
    /// command asked for, see ``OutputFolder/checkReplaceable(_:by:force:)``) last, when given.
    public static func runJSON(wallSeconds: Double, jobs: Int, eventsProcessed: Int, finishedAt: Date = Date(),
                               request: OutputRequest? = nil) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        let rate: Double? = wallSeconds > 0 ? Double(eventsProcessed) / wallSeconds : nil
        var fields: [(String, JSONValue)] = [
            ("wallSeconds", .number(wallSeconds)),
            ("jobs", .integer(Int64(jobs))),
            ("eventsProcessed", .integer(Int64(eventsProcessed))),
            ("eventsPerSecond", .number(rate)),
            ("finishedAt", .string(formatter.string(from: finishedAt))),
        ]
        if let request { fields.append(("request", request.json)) }
        return JSONValue.object(fields).prettyPrinted()
    }

    /// A `STAT` object: n, mean, sd, ci95 [lo, hi], p5, p50, p95 (`null` where missing).
    /// One STAT object of the output contract: `n, mean, sd, ci95, p5, p50, p95`.
    public static func stat(_ s: MetricSummary) -> JSONValue {
        .object([
            ("n", .integer(Int64(s.n))),
            ("mean", .number(s.mean)),
            ("sd", .number(s.sd)),
            ("ci95", .array([.number(s.ci95Lo), .number(s.ci95Hi)])),
            ("p5", .number(s.p5)),
            ("p50", .number(s.p50)),
            ("p95", .number(s.p95)),
        ])
    }
}
