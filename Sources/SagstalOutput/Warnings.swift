/// A plausibility warning (docs/plausibility.md) as recorded in the outputs: `summary.json` and
/// `comparison.json` list them under `"warnings"`, and report.html shows them in a Warnings box.
///
/// The same fields as a scenario diagnostic (this module does not depend on the scenario module);
/// the compiler-style line on stderr is the diagnostic's own `description`.
public struct OutputWarning: Sendable, Equatable, Codable {
    /// The file (or `<--set>`, `<--vary>`) where the value is written.
    public var file: String
    public var line: Int
    public var column: Int
    /// Dotted key path in `--set` style, e.g. `teams.rest.share`.
    public var keyPath: String
    public var message: String
    public var suggestion: String?

    public init(file: String, line: Int, column: Int, keyPath: String, message: String, suggestion: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
        self.suggestion = suggestion
    }

    /// `{"keyPath", "message", "suggestion"}` — without the file, line and column, so that
    /// `summary.json` depends only on the scenario's values: rerunning `scenario.resolved.yaml`
    /// (where every value sits on another line of another file) gives the same file, bit for bit.
    /// The locations are on stderr and in report.html.
    public var json: JSONValue {
        .object([
            ("keyPath", .string(keyPath)),
            ("message", .string(message)),
            ("suggestion", suggestion.map(JSONValue.string) ?? .null),
        ])
    }

    /// Distinct warnings of several lists (the points of a sweep, the scenarios of a comparison), in order.
    public static func distinct(_ lists: [[OutputWarning]]) -> [OutputWarning] {
        var all: [OutputWarning] = []
        for list in lists { for w in list where !all.contains(w) { all.append(w) } }
        return all
    }
}
