import CSV
import Foundation
import SagstalScenario

/// One row of a batch file (`municipalities.csv`): a municipality and what is known of it.
///
/// Empty cells are unknown; ``BatchPlan/overrides(for:template:referenceChildren:)`` scales the
/// template for them (docs/batch.md).
public struct BatchRow: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    /// 1-based line of the row in the file (for messages and the values' sources).
    public var line: Int
    public var children: Double?
    public var notificationsPerYear: Double?
    public var placedChildren: Double?
    public var caseworkers: Double?
    /// Columns that are `--set` paths, as `path=value`, in file order.
    public var settings: [String]
    /// Informational columns kept for the summary (`region`, `residents`, `source`, …).
    public var info: [String: String]

    /// The row's folder in the batch output: `<id>-<name as a file name>`.
    public var folder: String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        var slug = ""
        for ch in name.lowercased() {
            switch ch {
            case "æ": slug += "ae"
            case "ø": slug += "oe"
            case "å": slug += "aa"
            case "é", "è": slug += "e"
            case "ü": slug += "u"
            case " ", "_", ".", "/": slug += "-"
            default: if allowed.contains(ch) { slug.append(ch) }
            }
        }
        while slug.contains("--") { slug = slug.replacingOccurrences(of: "--", with: "-") }
        slug = slug.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        let safeID = String(id.filter { $0.isLetter || $0.isNumber || $0 == "-" })
        return slug.isEmpty ? safeID : "\(safeID)-\(slug)"
    }
}

/// A problem of a batch file: where (file, line, column name) and what was expected.
public struct BatchFileError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: String?
    public var message: String

    public var description: String {
        "\(file):\(line):" + (column.map { " column '\($0)':" } ?? "") + " \(message)"
    }
}

/// Every problem found in a batch file (up to 20).
public struct BatchFileErrors: Error, CustomStringConvertible {
    public var errors: [BatchFileError]
    public var description: String { errors.map { "error: \($0)" }.joined(separator: "\n") }
}

/// Reads a batch file: CSV with a header row, `,` or `;` separated (Danish Excel), UTF-8 with or
/// without a byte-order mark.
public enum BatchTable {
    /// The columns with a meaning of their own (docs/batch.md).
    public static let known = ["id", "name", "children", "notificationsPerYear", "placedChildren", "caseworkers"]
    /// Columns carried into the summary as they are.
    public static let informational = ["region", "residents", "source"]
    public static let maxRows = 10_000

    public static func read(path: String) throws -> [BatchRow] {
        func refuse(_ line: Int, _ column: String?, _ message: String) -> BatchFileErrors {
            BatchFileErrors(errors: [BatchFileError(file: path, line: line, column: column, message: message)])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw refuse(0, nil, "cannot read the file (does it exist?)")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw refuse(1, nil, "is not UTF-8 text; save it as CSV UTF-8")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let semicolon = firstLine.contains(";") && !firstLine.contains(",")
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true, delimiter: semicolon ? ";" : ",")
        } catch {
            throw refuse(1, nil, "cannot read the header row (\(error))")
        }
        let header = reader.headerRow ?? []
        var errors: [BatchFileError] = []
        func fail(_ line: Int, _ column: String?, _ message: String) {
            if errors.count < 20 { errors.append(BatchFileError(file: path, line: line, column: column, message: message)) }
        }
        for required in ["id", "name"] where !header.contains(required) {
            fail(1, nil, "missing column \(required); a batch file needs the columns id and name, then any of \(known.dropFirst(2).joined(separator: ", ")), the informational \(informational.joined(separator: ", ")) and --set paths (docs/batch.md); found \(header.joined(separator: ", "))")
        }
        var seenHeader = Set<String>()
        for h in header {
            if !seenHeader.insert(h).inserted { fail(1, h, "the column appears twice") }
            if h.isEmpty { fail(1, nil, "a column has no name") }
            if known.contains(h) || informational.contains(h) || h.contains(".") || h.isEmpty { continue }
            let hint = NameSuggestion.closest(to: h, in: known + informational).map { "; did you mean '\($0)'?" } ?? ""
            fail(1, h, "unknown column: expected one of \((known + informational).joined(separator: ", ")) or a --set path such as teams.boern-og-familie.cap\(hint)")
        }
        if !errors.isEmpty { throw BatchFileErrors(errors: errors) }
        var rows: [BatchRow] = []
        var ids: [String: Int] = [:]
        var line = 1
        while let fields = reader.next() {
            line += 1 + fields.reduce(0) { $0 + $1.filter { $0 == "\n" }.count }
            if fields.allSatisfy(\.isEmpty) { continue }
            guard fields.count == header.count else {
                fail(line, nil, "expected \(header.count) fields, found \(fields.count)")
                continue
            }
            var row = BatchRow(id: "", name: "", line: line, settings: [], info: [:])
            for (h, value) in zip(header, fields) {
                switch h {
                case "id": row.id = value
                case "name": row.name = value
                case "children", "notificationsPerYear", "placedChildren", "caseworkers":
                    guard !value.isEmpty else { continue }
                    guard let x = number(value), x >= 0 else {
                        let fix = NumberHabits.looksLikeThousands(value) ? "; write \(value.replacingOccurrences(of: ".", with: "")) without thousands separators" : ""
                        fail(line, h, "expected a number ≥ 0 (or an empty cell for 'scale from the template'), found '\(value)'\(fix)")
                        continue
                    }
                    switch h {
                    case "children": row.children = x
                    case "notificationsPerYear": row.notificationsPerYear = x
                    case "placedChildren": row.placedChildren = x
                    default:
                        guard x == x.rounded() else { fail(line, h, "expected a whole number of caseworkers, found '\(value)'"); continue }
                        row.caseworkers = x
                    }
                default:
                    if h.contains(".") {
                        if !value.isEmpty { row.settings.append("\(h)=\(value)") }
                    } else if !value.isEmpty {
                        row.info[h] = value
                    }
                }
            }
            if row.id.isEmpty { fail(line, "id", "every row needs an id (e.g. the municipality code 851)") }
            if row.name.isEmpty { fail(line, "name", "every row needs a name") }
            if let first = ids[row.id], !row.id.isEmpty { fail(line, "id", "id \(row.id) is used twice (first on line \(first)); ids must be unique") }
            ids[row.id] = ids[row.id] ?? line
            rows.append(row)
            if rows.count > maxRows { throw refuse(line, nil, "more than \(maxRows) rows") }
        }
        if !errors.isEmpty { throw BatchFileErrors(errors: errors) }
        guard !rows.isEmpty else { throw refuse(1, nil, "has a header but no rows") }
        var folders: [String: String] = [:]
        for r in rows {
            if let other = folders[r.folder] {
                fail(r.line, "name", "id \(r.id) and id \(other) give the same folder name \(r.folder); make the ids unique")
            }
            folders[r.folder] = r.id
        }
        if !errors.isEmpty { throw BatchFileErrors(errors: errors) }
        return rows
    }

    /// A plain decimal number (`1316`, `1315.8`); a decimal comma (`1315,8`) is accepted too in
    /// a `;`-separated file. No thousands separators, exponents or units.
    static func number(_ text: String) -> Double? {
        let t = text.replacingOccurrences(of: ",", with: ".")
        guard !NumberHabits.looksLikeThousands(text), t.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }),
              let x = Double(t), x.isFinite else { return nil }
        return x
    }
}
