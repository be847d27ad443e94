import Foundation
import SagstalModel
import SagstalOutput
import SagstalScenario

/// Formats a replication's events as they happen and streams them to a file or standard output
/// in 64 KiB chunks: memory stays at one buffer whatever the length of the run, and at most
/// `maxEvents` rows are written (the rest is counted).
final class TraceWriter: TraceSink {
    static let columns = ["time", "date", "event", "child", "team", "position", "from", "to", "caseload", "detail"]

    let options: TraceOptions
    private let handle: FileHandle
    private let startDecimalYear: Double
    private let stepIDs: [String]
    private let teamIDs: [String]
    private var buffer: [UInt8] = []
    private static let chunk = 1 << 16

    /// Events the replication reported, events the filters kept, rows written.
    private(set) var seen = 0
    private(set) var matched = 0
    private(set) var written = 0
    /// The first write error (the run goes on; the job throws it at the end).
    private(set) var failure: Error?

    init(options: TraceOptions, scenario: Scenario, handle: FileHandle) {
        self.options = options
        self.handle = handle
        startDecimalYear = scenario.simulation.start.decimalYear
        stepIDs = scenario.ladder.map(\.id)
        teamIDs = scenario.teams.map(\.id)
        buffer.reserveCapacity(Self.chunk + 1024)
        if options.format == .csv {
            buffer.append(contentsOf: Self.columns.joined(separator: ",").utf8)
            buffer.append(10)
        }
    }

    var truncated: Bool { matched > written }

    func add(_ e: TraceEvent) {
        seen += 1
        guard options.matches(e) else { return }
        matched += 1
        guard written < options.maxEvents, failure == nil else { return }
        written += 1
        switch options.format {
        case .csv: appendCSV(e)
        case .ndjson: appendJSON(e)
        }
        if buffer.count >= Self.chunk { flush() }
    }

    /// Writes what is buffered.
    func flush() {
        guard !buffer.isEmpty, failure == nil else { return }
        do { try handle.write(contentsOf: buffer) } catch { failure = error }
        buffer.removeAll(keepingCapacity: true)
    }

    // MARK: - Fields

    private func text(_ p: TracePoint) -> String {
        switch p {
        case .none: return ""
        case .step(let k): return stepIDs[k]
        case .team(let i): return teamIDs[i]
        case .word(let w): return w
        }
    }

    private func appendInt(_ x: Int) {
        if x < 0 { buffer.append(45) }
        ModelTime.appendDigits(abs(x), to: &buffer)
    }

    /// Model days in Swift's shortest round-trip form, so a replay gets the exact times back.
    private func appendTime(_ t: Double) { buffer.append(contentsOf: (NumberFormat.exact(t) ?? "").utf8) }

    private func appendCSV(_ e: TraceEvent) {
        @inline(__always) func comma() { buffer.append(44) }
        @inline(__always) func field(_ s: String) { buffer.append(contentsOf: CSV.field(s).utf8) }
        appendTime(e.time); comma()
        ModelTime.appendISODateTime(e.time, startDecimalYear: startDecimalYear, to: &buffer); comma()
        buffer.append(contentsOf: e.kind.rawValue.utf8); comma()
        if e.child >= 0 { appendInt(e.child) }
        comma()
        if e.team >= 0 { field(teamIDs[e.team]) }
        comma()
        if e.position >= 0 { appendInt(e.position) }
        comma(); field(text(e.from)); comma(); field(text(e.to)); comma()
        if e.caseload >= 0 { appendInt(e.caseload) }
        comma(); field(e.detail)
        buffer.append(10)
    }

    private func appendJSON(_ e: TraceEvent) {
        func key(_ k: String) { buffer.append(contentsOf: ",\"\(k)\":".utf8) }
        func string(_ s: String) { buffer.append(contentsOf: JSONValue.string(s).prettyPrinted().dropLast().utf8) }
        buffer.append(contentsOf: "{\"time\":".utf8)
        appendTime(e.time)
        key("date")
        buffer.append(34)
        ModelTime.appendISODateTime(e.time, startDecimalYear: startDecimalYear, to: &buffer)
        buffer.append(34)
        key("event"); string(e.kind.rawValue)
        if e.child >= 0 { key("child"); appendInt(e.child) }
        if e.team >= 0 { key("team"); string(teamIDs[e.team]) }
        if e.position >= 0 { key("position"); appendInt(e.position) }
        if e.from != .none { key("from"); string(text(e.from)) }
        if e.to != .none { key("to"); string(text(e.to)) }
        if e.caseload >= 0 { key("caseload"); appendInt(e.caseload) }
        if !e.detail.isEmpty { key("detail"); string(e.detail) }
        buffer.append(contentsOf: "}\n".utf8)
    }
}
