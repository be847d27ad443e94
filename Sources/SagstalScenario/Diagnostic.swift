import Foundation

/// One problem found in a scenario, located in the file (or `--set` override) where
/// the offending text was written.
///
/// Diagnostics are meant for the planners who write scenario files: each names
/// the place, the key path, what was expected and what was found, e.g.
///
///     Scenarios/x.yaml:12:14: error: teams.0.cap: expected a number > 0, found -2
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    /// The path as given on the command line or in `extends`, or `"<--set>"` for overrides.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column (counted in Unicode scalars, as libyaml does).
    public var column: Int
    /// Dotted key path in `--set` style: `teams.0.cap`, `ladder.foster.next.up`.
    /// List items are named by their `id` when they have a valid, unique one, else by index.
    /// Empty for problems that concern the whole file (unreadable file, YAML syntax error).
    public var keyPath: String
    /// What was expected and what was found, e.g. `expected a number ≥ 0, found -2`.
    public var message: String
    /// A hint such as `did you mean 'caseworkers'?`, if there is one.
    public var suggestion: String?
    /// An error refuses the scenario; a warning (a plausibility check, docs/plausibility.md)
    /// is reported and recorded in the outputs, and refuses the scenario only under `--strict`.
    public var severity: Severity

    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Equatable {
        case error, warning
    }

    public init(file: String, line: Int, column: Int, keyPath: String, message: String, suggestion: String? = nil,
                severity: Severity = .error) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
        self.suggestion = suggestion
        self.severity = severity
    }

    /// `file:line:column: error: keyPath: message (suggestion)` (or `warning:`), the format
    /// compilers use, so editors can jump to the location.
    public var description: String {
        // Line 0: a problem with the file as a whole (missing, a folder, not text): no position.
        var text = line > 0 ? "\(file):\(line):\(column): \(severity.rawValue): " : "\(file): \(severity.rawValue): "
        if !keyPath.isEmpty { text += "\(keyPath): " }
        text += message
        if let suggestion { text += " (\(suggestion))" }
        return text
    }
}

/// Thrown by `ScenarioLoader` when a scenario has problems; carries every problem
/// found, sorted by file (the loaded file first, then the files it extends, then
/// `--set` overrides), line and column.
public struct ScenarioError: Error, Sendable, CustomStringConvertible, LocalizedError {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One line per diagnostic, then a count such as `3 errors`.
    public var description: String {
        let count = diagnostics.count
        let lines = diagnostics.map(\.description)
        return (lines + ["\(count) \(count == 1 ? "error" : "errors")"]).joined(separator: "\n")
    }

    public var errorDescription: String? { description }
}

/// A validated scenario together with the files it was read from.
public struct LoadedScenario: Sendable {
    /// The fully resolved scenario: `extends` merged, overrides applied, defaults filled.
    public var scenario: Scenario
    /// The loaded file and every file it extends, in merge order: the deepest base
    /// first, the loaded file last.
    public var sourceFiles: [String]
    /// Plausibility warnings (docs/plausibility.md), located and sorted like errors; empty when
    /// the scenario looks like a Danish municipality. `--strict` turns them into errors.
    public var warnings: [Diagnostic]
    /// Where every value of `scenario` comes from: the comment documenting it in the file that set
    /// it, an override, or the default (``ValueSource``), in the order of the resolved scenario.
    public var sources: [ValueSource]
    /// The overrides the scenario was loaded with (`--set` texts, then `-n`, `--seed`, `--years`
    /// as `simulation.…=…`), in order.
    public var overrides: [String]

    public init(scenario: Scenario, sourceFiles: [String], warnings: [Diagnostic] = [], sources: [ValueSource] = [],
                overrides: [String] = []) {
        self.scenario = scenario
        self.sourceFiles = sourceFiles
        self.warnings = warnings
        self.sources = sources
        self.overrides = overrides
    }
}

/// A position in a source text: the file (or `<--set>`) and a 1-based line and column.
struct SourcePosition: Sendable, Equatable {
    var file: String
    var line: Int
    var column: Int
    /// For `--set` overrides, which are all reported on line 1: the index of the
    /// override, so that problems are listed in the order the overrides were given.
    var order: Int = 0
}

/// Collects diagnostics while a scenario is read; never stops at the first one.
struct DiagnosticSink {
    private(set) var entries: [(diagnostic: Diagnostic, order: Int)] = []

    var diagnostics: [Diagnostic] { entries.map(\.diagnostic) }

    var isEmpty: Bool { entries.isEmpty }

    var count: Int { entries.count }

    mutating func error(_ at: SourcePosition, _ keyPath: String, _ message: String, suggestion: String? = nil) {
        add(Diagnostic(file: at.file, line: at.line, column: at.column, keyPath: keyPath,
                       message: message, suggestion: suggestion), order: at.order)
    }

    mutating func add(_ d: Diagnostic, order: Int) {
        if !entries.contains(where: { $0.diagnostic == d }) { entries.append((d, order)) }
    }

    mutating func merge(_ other: DiagnosticSink) {
        for e in other.entries { add(e.diagnostic, order: e.order) }
    }

    /// Sorted by file (in `fileOrder`; other files next; `<--set>` last, in the order
    /// the overrides were given), then line and column. The sort is stable, so
    /// problems at one position keep the order they were found in.
    func sorted(fileOrder: [String]) -> [Diagnostic] {
        func rank(_ file: String) -> Int {
            if let i = fileOrder.firstIndex(of: file) { return i }
            return file == Overrides.fileName ? Int.max : Int.max - 1
        }
        return entries.enumerated().sorted { a, b in
            let (da, db) = (a.element.diagnostic, b.element.diagnostic)
            let ra = rank(da.file), rb = rank(db.file)
            if ra != rb { return ra < rb }
            if a.element.order != b.element.order { return a.element.order < b.element.order }
            if da.line != db.line { return da.line < db.line }
            if da.column != db.column { return da.column < db.column }
            return a.offset < b.offset
        }.map(\.element.diagnostic)
    }
}
