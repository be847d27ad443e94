import CSV
import Foundation
import SagstalScenario

/// One observed yearly figure: a row of a targets file (`year, metric, value[, sd][, source]`;
/// docs/calibrate.md).
public struct Target: Sendable, Equatable {
    /// The budget year, as labelled in yearly.csv (`2026`).
    public var year: Int
    /// A yearly metric of MODEL.md § 8 (`placementsStarted`, `step.foster.end`, `cost.interventions`).
    public var metric: String
    public var value: Double
    /// The observation's own uncertainty (a standard deviation), if known.
    public var sd: Double?
    public var source: String
    /// The line of the file (1 = the header).
    public var line: Int

    public init(year: Int, metric: String, value: Double, sd: Double? = nil, source: String = "", line: Int = 0) {
        self.year = year
        self.metric = metric
        self.value = value
        self.sd = sd
        self.source = source
        self.line = line
    }
}

/// A problem with a targets file: `file:line: error: column: message`.
public struct TargetsError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int
    public let column: String?
    public let message: String

    public init(file: String, line: Int, column: String?, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line): error: " + (column.map { "\($0): " } ?? "") + message }
}

/// Every problem found (at most 20), one per line.
public struct TargetsErrors: Error, CustomStringConvertible {
    public let errors: [TargetsError]
    public init(_ errors: [TargetsError]) { self.errors = errors }
    public var description: String {
        errors.map(\.description).joined(separator: "\n") + (errors.count > 1 ? "\n\(errors.count) errors" : "")
    }
}

/// Reads a targets file: `year, metric, value` and optionally `sd` and `source`, in any order;
/// `;`-separated files with decimal commas (Danish Excel) too. Every problem is located; the
/// file must be a regular file of at most 16 MiB.
public enum TargetsReader {
    public static let required = ["year", "metric", "value"]
    public static let optional = ["sd", "source"]
    static let maxBytes = 16 << 20

    public static func read(path: String) throws -> [Target] {
        func refuse(_ message: String, line: Int = 0) -> TargetsErrors {
            TargetsErrors([TargetsError(file: path, line: line, column: nil, message: message)])
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw refuse("the file does not exist") }
        if isFolder.boolValue { throw refuse("is a folder, not a targets file") }
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let attributes = try? FileManager.default.attributesOfItem(atPath: resolved)
        guard attributes?[.type] as? FileAttributeType == .typeRegular else { throw refuse("is not a regular file (a device or a pipe); give a CSV file") }
        if let size = attributes?[.size] as? Int, size > maxBytes { throw refuse("is \(size / 1_048_576) MiB; a targets file holds a few hundred rows") }
        guard let data = FileManager.default.contents(atPath: path), var text = String(data: data, encoding: .utf8) else {
            throw refuse("cannot be read as UTF-8 text")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let semicolon = firstLine.contains(";") && !firstLine.contains(",")
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true, delimiter: semicolon ? ";" : ",")
        } catch {
            throw refuse("cannot read the header row (\(error))", line: 1)
        }
        let header = reader.headerRow ?? []
        let known = required + optional
        let missing = required.filter { !header.contains($0) }
        let unknown = header.filter { !known.contains($0) }
        if !missing.isEmpty || !unknown.isEmpty {
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))") }
            if !unknown.isEmpty { parts.append("unknown column\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", "))") }
            throw refuse(parts.joined(separator: "; ") + "; expected year, metric, value and optionally sd, source (found \(header.joined(separator: ", ")); see docs/calibrate.md)", line: 1)
        }
        let index = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var errors: [TargetsError] = []
        func fail(_ line: Int, _ column: String?, _ message: String) {
            if errors.count < 20 { errors.append(TargetsError(file: path, line: line, column: column, message: message)) }
        }
        var targets: [Target] = []
        var seen: [String: Int] = [:]
        var line = 1
        while let row = reader.next() {
            line += 1 + row.reduce(0) { $0 + $1.filter { $0 == "\n" }.count }
            if row.allSatisfy(\.isEmpty) { continue }
            guard row.count == header.count else { fail(line, nil, "expected \(header.count) fields, found \(row.count)"); continue }
            func field(_ name: String) -> String { index[name].map { row[$0] } ?? "" }
            func number(_ name: String) -> Double? {
                let text = field(name)
                let t = semicolon ? text.replacingOccurrences(of: ",", with: ".") : text
                guard let x = Double(t), x.isFinite else {
                    fail(line, name, "expected a number (decimal point, no thousands separators), found '\(text)'")
                    return nil
                }
                return x
            }
            guard let year = Int(field("year")), (1900...2200).contains(year) else {
                fail(line, "year", "expected a calendar year like 2022, found '\(field("year"))'")
                continue
            }
            let metric = field("metric")
            guard !metric.isEmpty else { fail(line, "metric", "a metric name is needed, e.g. placementsStarted"); continue }
            guard let value = number("value") else { continue }
            var sd: Double?
            if !field("sd").isEmpty {
                guard let s = number("sd") else { continue }
                guard s > 0 else { fail(line, "sd", "expected a standard deviation > 0 (or leave it empty), found \(field("sd"))"); continue }
                sd = s
            }
            let key = "\(year) \(metric)"
            if let first = seen[key] { fail(line, "metric", "\(metric) for \(year) is already given on line \(first)"); continue }
            seen[key] = line
            targets.append(Target(year: year, metric: metric, value: value, sd: sd, source: field("source"), line: line))
        }
        if !errors.isEmpty { throw TargetsErrors(errors) }
        if targets.isEmpty { throw refuse("the file has no targets (only a header)", line: line) }
        return targets
    }

    /// Checks targets against a run's yearly metrics and budget-year labels: an unknown metric is an
    /// error (located, with a suggestion); a year outside the run is left out with a note (a
    /// targets file usually covers more years than one run).
    /// - Returns: the targets kept, with (year index, metric index), and the notes.
    public static func locate(_ targets: [Target], file: String, metrics: [String], years: [String]) throws
        -> (kept: [(target: Target, year: Int, metric: Int)], notes: [String]) {
        var errors: [TargetsError] = []
        var kept: [(Target, Int, Int)] = []
        var outside: [Target] = []
        for t in targets {
            guard let m = metrics.firstIndex(of: t.metric) else {
                let close = NameSuggestion.closest(to: t.metric, in: metrics)
                errors.append(TargetsError(file: file, line: t.line, column: "metric",
                                           message: "unknown metric '\(t.metric)'" + (close.map { " (did you mean '\($0)'?)" } ?? "")
                                               + "; the yearly metrics are those of yearly.csv (docs/model-reference.md § 8)"))
                continue
            }
            guard let y = years.firstIndex(of: String(t.year)) else { outside.append(t); continue }
            kept.append((t, y, m))
        }
        if !errors.isEmpty { throw TargetsErrors(Array(errors.prefix(20))) }
        var notes: [String] = []
        if !outside.isEmpty {
            let yearsOut = Array(Set(outside.map(\.year))).sorted().map(String.init).joined(separator: ", ")
            notes.append("\(outside.count) target\(outside.count == 1 ? "" : "s") in \(file) \(outside.count == 1 ? "lies" : "lie") outside the run's budget years \(years.first ?? "")–\(years.last ?? "") and \(outside.count == 1 ? "is" : "are") left out (\(yearsOut))")
        }
        if kept.isEmpty {
            throw TargetsErrors([TargetsError(file: file, line: 0, column: "year",
                                              message: "no target lies in the run's budget years \(years.first ?? "")–\(years.last ?? ""); set simulation.start and --years to cover the observed years")])
        }
        return (kept, notes)
    }
}
