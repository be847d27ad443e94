import SagstalModel
import SagstalScenario

/// What `sagstal trace` writes: which replication, which events, in which format, how many.
public struct TraceOptions: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        /// `trace.csv`: a header and one row per event (docs/trace.md).
        case csv
        /// `trace.ndjson`: one JSON object per line, empty columns left out.
        case ndjson

        public var fileName: String { "trace.\(rawValue)" }
    }

    /// The replication (0-based, the same numbers as `replications.csv` of `sagstal run`).
    public var replication: Int
    /// Events at or after this time (model days; nil: from the run's start, warm-up included).
    public var from: Double?
    /// Events before this time (model days; nil: to the horizon).
    public var to: Double?
    /// Only the events of this child number.
    public var child: Int?
    /// Only the events of this position (its caseworker and its children's events while assigned).
    public var position: Int?
    /// Only the events in this team (index into `teams`).
    public var team: Int?
    /// Only these kinds (nil: all).
    public var kinds: Set<TraceKind>?
    public var format: Format
    /// At most this many rows are written; the rest is counted, not written (`truncated`).
    public var maxEvents: Int

    /// The default bound on the rows written: about 100 MB of CSV.
    public static let defaultMaxEvents = 1_000_000

    public init(replication: Int = 0, from: Double? = nil, to: Double? = nil, child: Int? = nil, position: Int? = nil,
                team: Int? = nil, kinds: Set<TraceKind>? = nil, format: Format = .csv, maxEvents: Int = TraceOptions.defaultMaxEvents) {
        self.replication = replication
        self.from = from
        self.to = to
        self.child = child
        self.position = position
        self.team = team
        self.kinds = kinds
        self.format = format
        self.maxEvents = maxEvents
    }

    /// True for the events the options ask for.
    @inline(__always)
    func matches(_ e: TraceEvent) -> Bool {
        if let from, e.time < from { return false }
        if let to, e.time >= to { return false }
        if let child, e.child != child { return false }
        if let position, e.position != position { return false }
        if let team, e.team != team { return false }
        if let kinds, !kinds.contains(e.kind) { return false }
        return true
    }

    /// Parses `--events` (`assigned,move,caseClosed`): the kinds, or the names that are not kinds.
    public static func kinds(_ text: String) -> Result<Set<TraceKind>, UnknownKinds> {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let unknown = names.filter { TraceKind(rawValue: $0) == nil }
        if !unknown.isEmpty || names.isEmpty { return .failure(UnknownKinds(names: unknown)) }
        return .success(Set(names.compactMap(TraceKind.init(rawValue:))))
    }

    public struct UnknownKinds: Error, CustomStringConvertible {
        public let names: [String]
        public var description: String {
            let all = TraceKind.allCases.map(\.rawValue).joined(separator: ", ")
            if names.isEmpty { return "expected a comma-separated list of event kinds (\(all))" }
            let close = names.compactMap { name in TraceKind.allCases.first { $0.rawValue.lowercased() == name.lowercased() } }
            let hint = close.isEmpty ? "" : "; did you mean \(close.map(\.rawValue).joined(separator: ", "))?"
            return "unknown event kind\(names.count == 1 ? "" : "s") \(names.map { "'\($0)'" }.joined(separator: ", "))\(hint) (kinds: \(all))"
        }
    }
}
