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
        try write(run, metadata: metadata, resolvedYAML: resolvedYAML, to: directory, finishedAt: finishedAt,
                  dialect: dialect, parallel: false, additionalFiles: { additionalFiles })
    }

    /// As ``write(_:metadata:resolvedYAML:to:finishedAt:dialect:additionalFiles:)``, with the
    /// additional files made by `additionalFiles` (e.g. the report); with `parallel`, that and the
    /// contract files are formatted on several threads at once (`DispatchQueue.concurrentPerform`).
    /// The bytes are the same either way.
    public static func write(_ run: AggregatedRun, metadata: RunMetadata, resolvedYAML: String,
                             to directory: URL, finishedAt: Date = Date(), dialect: CSVDialect = .standard,
                             parallel: Bool,
                             additionalFiles: @escaping @Sendable () -> [(name: String, contents: String)]) throws {
        precondition(metadata.replications == run.replications,
                     "metadata says \(metadata.replications) replications, the run has \(run.replications)")
        let tasks: [@Sendable () -> [(String, Data)]] = [
            { [("monthly.csv", Data(periodCSVBytes(run, monthly: true, dialect: dialect)))] },
            { additionalFiles().map { ($0.name, Data($0.contents.utf8)) } },
            { [("summary.json", Data(summaryJSONBytes(run, metadata: metadata)))] },
            { [("yearly.csv", Data(periodCSVBytes(run, monthly: false, dialect: dialect))),
               ("replications.csv", Data(replicationsCSVBytes(run, dialect: dialect)))] },
        ]
        let parts = Parts(count: tasks.count)
        if parallel {
            DispatchQueue.concurrentPerform(iterations: tasks.count) { parts.set($0, tasks[$0]()) }
        } else {
            for i in tasks.indices { parts.set(i, tasks[i]()) }
        }
        let formatted = parts.all
        let contents: [(String, Data)] = [("scenario.resolved.yaml", Data(resolvedYAML.utf8))] + formatted[2] + [formatted[3][0]]
            + formatted[0] + [formatted[3][1], (runFile, Data(runJSON(metadata, finishedAt: finishedAt).utf8))] + formatted[1]
        try Directories.create(directory.path)
        try AtomicFile.write(contents.map { (directory.appendingPathComponent($0.0), $0.1) })
    }

    /// The results of the formatting tasks, filled from several threads.
    private final class Parts: @unchecked Sendable {
        private let lock = NSLock()
        private var parts: [[(String, Data)]]
        init(count: Int) { parts = Array(repeating: [], count: count) }
        func set(_ i: Int, _ value: [(String, Data)]) { lock.lock(); parts[i] = value; lock.unlock() }
        var all: [[(String, Data)]] { lock.lock(); defer { lock.unlock() }; return parts }
    }

    /// The text of `summary.json`.
    ///
    /// - Complexity: O((years + 1) × metrics).
    public static func summaryJSON(_ run: AggregatedRun, metadata: RunMetadata) -> String {
        String(decoding: summaryJSONBytes(run, metadata: metadata), as: UTF8.self)
    }

    /// ``summaryJSON(_:metadata:)`` as UTF-8 bytes.
    public static func summaryJSONBytes(_ run: AggregatedRun, metadata: RunMetadata) -> [UInt8] {
        summaryJSONValue(run, metadata: metadata).prettyPrintedBytes()
    }

    static func summaryJSONValue(_ run: AggregatedRun, metadata: RunMetadata) -> JSONValue {
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
        return root
    }

    /// The text of `yearly.csv` (`monthly: false`) or `monthly.csv` (`monthly: true`):
    /// one row per period and period metric, periods in order, metrics in layout order.
    ///
    /// - Parameter dialect: `standard` (the contract) or `excelDa` (`;` and decimal commas).
    /// - Complexity: O(periods × metrics).
    public static func periodCSV(_ run: AggregatedRun, monthly: Bool, dialect: CSVDialect = .standard) -> String {
        String(decoding: periodCSVBytes(run, monthly: monthly, dialect: dialect), as: UTF8.self)
    }

    /// ``periodCSV(_:monthly:dialect:)`` as UTF-8 bytes, written straight into one buffer.
    public static func periodCSVBytes(_ run: AggregatedRun, monthly: Bool, dialect: CSVDialect = .standard) -> [UInt8] {
        let labels = monthly ? run.layout.monthLabels : run.layout.yearLabels
        let summaries = monthly ? run.monthly : run.yearly
        let metrics = run.layout.periodMetrics
        var out: [UInt8] = []
        out.reserveCapacity(64 + labels.count * metrics.count * 72)
        out.append(contentsOf: dialect.preamble.utf8)
        CSV.appendLine([monthly ? "month" : "year", "metric", "mean", "sd", "ci95_lo", "ci95_hi", "p5", "p50", "p95"],
                       dialect: dialect, to: &out)
        let sep = dialect.separatorByte
        for (label, row) in zip(labels, summaries) {
            var labelBytes: [UInt8] = []
            CSV.appendField(label, dialect: dialect, to: &labelBytes)
            for (metric, s) in zip(metrics, row) {
                out.append(contentsOf: labelBytes)
                out.append(sep)
                CSV.appendField(metric, dialect: dialect, to: &out)
                for value in [s.mean, s.sd, s.ci95Lo, s.ci95Hi, s.p5, s.p50, s.p95] {
                    out.append(sep)
                    dialect.appendCell(value, to: &out)
                }
                out.append(10)
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
        String(decoding: replicationsCSVBytes(run, dialect: dialect), as: UTF8.self)
    }

    /// ``replicationsCSV(_:dialect:)`` as UTF-8 bytes.
    public static func replicationsCSVBytes(_ run: AggregatedRun, dialect: CSVDialect = .standard) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + (run.replicationTotals.count + 1) * run.layout.totalsMetrics.count * 20)
        out.append(contentsOf: dialect.preamble.utf8)
        CSV.appendLine(["replication"] + run.layout.totalsMetrics, dialect: dialect, to: &out)
        let sep = dialect.separatorByte
        for (r, row) in run.replicationTotals.enumerated() {
            NumberFormat.appendInteger(Int64(r), to: &out)
            for x in row {
                out.append(sep)
                dialect.appendCell(x, to: &out)
            }
            out.append(10)
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
