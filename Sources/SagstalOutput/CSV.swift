/// How CSV files are written.
///
/// - `standard`: RFC 4180 with `,` between fields and `.` as the decimal point (the output
///   contract of MODEL.md §8).
/// - `excelDa` (`--csv-dialect excel-da`): what Danish Excel opens with a double click — fields
///   separated by `;`, numbers with a decimal comma (`1234,5`, no thousands separator), and a
///   UTF-8 byte-order mark first so that æ, ø and å show correctly. Header names are unchanged.
public enum CSVDialect: String, Sendable, CaseIterable {
    case standard
    case excelDa = "excel-da"

    /// The field separator: `,` or `;`.
    public var separator: Character { self == .standard ? "," : ";" }

    /// What the text of a file begins with: nothing, or the UTF-8 byte-order mark (U+FEFF)
    /// Excel needs to read the file as UTF-8.
    public var preamble: String { self == .standard ? "" : "\u{FEFF}" }

    /// A number cell: ``NumberFormat/csv(_:)`` for `standard`; for `excelDa` the same digits
    /// with a decimal comma and an upper-case exponent (`1,5E-05`). `nil` (empty cell) unless finite.
    public func number(_ x: Double) -> String? {
        guard let s = NumberFormat.csv(x) else { return nil }
        guard self == .excelDa else { return s }
        return String(s.map { $0 == "." ? "," : ($0 == "e" ? "E" : $0) })
    }

    /// A number cell for an optional value (`nil` → empty cell).
    public func cell(_ x: Double?) -> String {
        x.flatMap(number) ?? ""
    }

    /// Appends ``cell(_:)`` of `x` to `out` as UTF-8 (no quoting is ever needed for a number).
    public func appendCell(_ x: Double?, to out: inout [UInt8]) {
        if let x { NumberFormat.appendCSV(x, to: &out, excel: self == .excelDa) }
    }

    /// The separator as a UTF-8 byte.
    public var separatorByte: UInt8 { self == .standard ? UInt8(ascii: ",") : UInt8(ascii: ";") }
}

/// Minimal CSV writing (RFC 4180 quoting; `\n` line ends).
public enum CSV {
    /// A field, quoted only when needed: when it contains a comma, a double quote,
    /// CR or LF (or starts/ends with a space); inner double quotes are doubled.
    public static func field(_ s: String) -> String {
        field(s, dialect: .standard)
    }

    /// A field for `dialect`, quoted only when it contains the dialect's separator, a double
    /// quote, CR or LF, or starts/ends with a space; inner double quotes are doubled.
    public static func field(_ s: String, dialect: CSVDialect) -> String {
        // Checked on UTF-8 bytes (all the special characters are ASCII): much faster than
        // iterating Characters, and the output files have hundreds of thousands of cells.
        let sep = dialect == .standard ? UInt8(ascii: ",") : UInt8(ascii: ";")
        let bytes = s.utf8
        let needsQuotes = bytes.contains { $0 == sep || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
            || bytes.first == UInt8(ascii: " ") || bytes.last == UInt8(ascii: " ")
        guard needsQuotes else { return s }
        var quoted = "\""
        for ch in s {
            if ch == "\"" { quoted += "\"\"" } else { quoted.append(ch) }
        }
        return quoted + "\""
    }

    /// Appends ``field(_:dialect:)`` of `s` to `out` as UTF-8: the bytes of `s` when it needs no
    /// quotes (almost always), otherwise the quoted field.
    public static func appendField(_ s: String, dialect: CSVDialect, to out: inout [UInt8]) {
        let sep = dialect.separatorByte
        let bytes = s.utf8
        let needsQuotes = bytes.contains { $0 == sep || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
            || bytes.first == UInt8(ascii: " ") || bytes.last == UInt8(ascii: " ")
        if needsQuotes { out.append(contentsOf: field(s, dialect: dialect).utf8) } else { out.append(contentsOf: bytes) }
    }

    /// Appends ``line(_:dialect:)`` of `fields` to `out` as UTF-8.
    public static func appendLine(_ fields: [String], dialect: CSVDialect, to out: inout [UInt8]) {
        for (i, f) in fields.enumerated() {
            if i > 0 { out.append(dialect.separatorByte) }
            appendField(f, dialect: dialect, to: &out)
        }
        out.append(10)
    }

    /// One line of fields, joined by commas, with a trailing `\n`.
    public static func line(_ fields: [String]) -> String {
        line(fields, dialect: .standard)
    }

    /// One line of fields, joined by the dialect's separator, with a trailing `\n`.
    public static func line(_ fields: [String], dialect: CSVDialect) -> String {
        fields.map { field($0, dialect: dialect) }.joined(separator: String(dialect.separator)) + "\n"
    }
}
