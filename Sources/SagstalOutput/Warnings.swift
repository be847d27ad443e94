/// A plausibility warning (docs/plausibility.md) as recorded in the outputs: `summary.json` and
/// `comparison.json` list them under `"warnings"`, and report.html shows them in a Warnings box.
///
/// The same fields as a scenario diagnostic (this module does not depend on the scenario module);
/// `description` is the compiler-style line printed on stderr.
public struct OutputWarning: Sendable, Equatable, CustomStringConvertible {
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

    /// `file:line:column: warning: keyPath: message (suggestion)`.
    public var description: String {
        var text = "\(file):\(line):\(column): warning: "
        if !keyPath.isEmpty { text += "\(keyPath): " }
        text += message
        if let suggestion { text += " (\(suggestion))" }
        return text
    }

    /// `{"file", "line", "column", "keyPath", "message", "suggestion", "text"}` (`text`: the stderr line).
    public var json: JSONValue {
        .object([
            ("file", .string(file)),
            ("line", .integer(Int64(line))),
            ("column", .integer(Int64(column))),
            ("keyPath", .string(keyPath)),
            ("message", .string(message)),
            ("suggestion", suggestion.map(JSONValue.string) ?? .null),
            ("text", .string(description)),
        ])
    }

    /// Distinct warnings of several lists (the points of a sweep, the scenarios of a comparison), in order.
    public static func distinct(_ lists: [[OutputWarning]]) -> [OutputWarning] {
        var all: [OutputWarning] = []
        for list in lists { for w in list where !all.contains(w) { all.append(w) } }
        return all
    }
}
