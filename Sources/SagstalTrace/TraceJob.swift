import Foundation
import SagstalModel
import SagstalOutput
import SagstalRunner
import SagstalScenario
import SagstalStats

/// What a trace run saw and wrote.
public struct TraceResult: Sendable {
    /// The replication's own results (the same row as in `replications.csv` of `sagstal run`).
    public let record: ReplicationRecord
    public let metrics: [String]
    /// Events the replication reported, the events the filters kept, and the rows written.
    public let seen: Int
    public let matched: Int
    public let written: Int
    public var truncated: Bool { matched > written }
    public let wallSeconds: Double
}

/// `sagstal trace`: one replication with every event reported to a ``TraceWriter``
/// (docs/trace.md). The replication is the one `sagstal run` makes with the same scenario, seed
/// and index: tracing only watches, it draws nothing and changes no result.
public enum TraceJob {
    public static let metadataFile = "trace.json"

    /// Runs replication `options.replication` of `scenario` and streams its events to `handle`.
    /// - Throws: the replication's errors (``ReplicationError``), or the first write error.
    public static func run(_ scenario: Scenario, options: TraceOptions, to handle: FileHandle) throws -> TraceResult {
        let clock = ContinuousClock.now
        let compiled = try CompiledScenario(scenario)
        let replication = try Replication(compiled, index: options.replication)
        let writer = TraceWriter(options: options, scenario: scenario, handle: handle)
        replication.tracer = writer
        let record = try replication.run()
        writer.flush()
        if let failure = writer.failure { throw failure }
        let elapsed = ContinuousClock.now - clock
        return TraceResult(record: record, metrics: compiled.layout.totalsMetrics, seen: writer.seen, matched: writer.matched,
                           written: writer.written,
                           wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    /// Runs the trace into `folder` (an output folder's staging folder): the events file and
    /// `trace.json`. Returns the result and the text of `trace.json`.
    public static func write(_ loaded: LoadedScenario, options: TraceOptions, scenarioFile: String,
                             into folder: URL) throws -> (result: TraceResult, json: String) {
        let url = folder.appendingPathComponent(options.format.fileName)
        guard FileManager.default.createFile(atPath: url.path, contents: nil), let handle = try? FileHandle(forWritingTo: url) else {
            throw OutputError.io(operation: "create", path: url.path, errno: errno)
        }
        defer { try? handle.close() }
        let result: TraceResult
        do {
            result = try run(loaded.scenario, options: options, to: handle)
        } catch let e as ReplicationError {
            throw e
        } catch let e as OutputError {
            throw e
        } catch {
            throw OutputError.from(error, operation: "write", path: url.path)
        }
        return (result, json(result, loaded: loaded, options: options, scenarioFile: scenarioFile))
    }

    /// `trace.json`: what was traced (scenario, seed, replication, window, filters), how many
    /// events were written and whether the bound cut the file short, and the replication's totals.
    public static func json(_ result: TraceResult, loaded: LoadedScenario, options: TraceOptions, scenarioFile: String) -> String {
        let s = loaded.scenario
        let start = s.simulation.start
        func date(_ t: Double?) -> JSONValue { t.map { .string(ModelTime.isoDateTime($0, start: start)) } ?? .null }
        let filters: JSONValue = .object([
            ("child", options.child.map { .integer(Int64($0)) } ?? .null),
            ("position", options.position.map { .integer(Int64($0)) } ?? .null),
            ("team", options.team.map { .string(s.teams[$0].id) } ?? .null),
            ("events", options.kinds.map { kinds in .array(TraceKind.allCases.filter(kinds.contains).map { .string($0.rawValue) }) } ?? .null),
        ])
        let root: JSONValue = .object([
            ("scenario", .string(s.name)),
            ("scenarioFile", .string(scenarioFile)),
            ("seed", .unsigned(s.simulation.seed)),
            ("replication", .integer(Int64(options.replication))),
            ("tool", RunJob.tool(generator: s.simulation.generator).json),
            ("format", .string(options.format.rawValue)),
            ("file", .string(options.format.fileName)),
            ("columns", .array(TraceWriter.columns.map(JSONValue.string))),
            ("from", date(options.from)),
            ("to", date(options.to)),
            ("filters", filters),
            ("events", .object([
                ("inReplication", .integer(Int64(result.seen))),
                ("matched", .integer(Int64(result.matched))),
                ("written", .integer(Int64(result.written))),
                ("maxEvents", .integer(Int64(options.maxEvents))),
                ("truncated", .bool(result.truncated)),
            ])),
            ("eventsProcessed", .integer(Int64(result.record.eventsProcessed))),
            ("totals", .object(zip(result.metrics, result.record.totals).map { ($0, .number($1)) })),
        ])
        return root.prettyPrinted()
    }
}
