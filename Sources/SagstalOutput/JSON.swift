import Foundation

/// A JSON value with objects in a fixed key order, and a deterministic pretty-printer.
///
/// Foundation's `JSONSerialization` does not promise a key order; the output
/// contract needs the same bytes for the same run, so sagstal writes JSON itself.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// An integer, printed exactly.
    case integer(Int64)
    /// An unsigned integer (e.g. a seed), printed exactly.
    case unsigned(UInt64)
    /// A number; non-finite values print as `null`. See ``NumberFormat/json(_:)``.
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Key–value pairs, printed in the order given.
    case object([(String, JSONValue)])

    /// `.number(x)` for a value, `.null` for nil.
    public static func number(_ x: Double?) -> JSONValue {
        x.map { .number($0) } ?? .null
    }

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.integer(x), .integer(y)): return x == y
        case let (.unsigned(x), .unsigned(y)): return x == y
        case let (.number(x), .number(y)): return x == y || (x.isNaN && y.isNaN)
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The value pretty-printed with a 2-space indent and a trailing newline.
    ///
    /// Objects and arrays holding objects or arrays are spread over lines; arrays of
    /// scalars (e.g. `"ci95": [1.5, 2.5]`) stay on one line.
    public func prettyPrinted() -> String {
        var out = ""
        write(to: &out, indent: 0)
        out += "\n"
        return out
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    private func write(to out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .unsigned(let u): out += String(u)
        case .number(let x): out += NumberFormat.json(x)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            if items.allSatisfy(\.isScalar) {
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += ", " }
                    item.write(to: &out, indent: indent)
                }
                out += "]"
                return
            }
            let pad = String(repeating: " ", count: indent + 2)
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(to: &out, indent: indent + 2)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            let pad = String(repeating: " ", count: indent + 2)
            out += "{\n"
            for (i, (key, value)) in pairs.enumerated() {
                out += pad
                JSONValue.writeString(key, to: &out)
                out += ": "
                value.write(to: &out, indent: indent + 2)
                out += i + 1 < pairs.count ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        }
    }

    /// Writes a JSON string literal: `"` and `\` escaped, control characters as
    /// `\n`, `\t`, … or `\u00XX`; everything else (e.g. æøå) as UTF-8.
    private static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: false)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// How sagstal prints numbers in JSON and CSV.
public enum NumberFormat {
    /// A number for JSON: `null` unless finite; integral values below 2⁵³ in
    /// magnitude without a fraction (`3`, not `3.0`); otherwise Swift's shortest
    /// round-trip representation (`0.1`, `1e-05`, `1e+16`), which is valid JSON: a program
    /// reading summary.json gets every value back bit for bit.
    public static func json(_ x: Double) -> String {
        exact(x) ?? "null"
    }

    /// A number for CSV (read by people and spreadsheets), or `nil` (an empty cell) unless
    /// finite: as ``json(_:)`` but with at most 12 significant digits, so the last bits of
    /// floating-point noise from sums, ratios and interpolated percentiles do not show (`31.05`,
    /// not `31.049999999999997`; `0.03125`, not `0.0312500000000004`); a relative precision of
    /// 10⁻¹², far below any Monte Carlo error.
    public static func csv(_ x: Double) -> String? {
        guard let short = exact(x) else { return nil }
        // Up to 12 significant digits the shortest form is already exact: keep it.
        guard short.filter(\.isNumber).count > 12, let rounded = Double(String(format: "%.12g", x)) else { return short }
        return exact(rounded)
    }

    /// Swift's shortest round-trip form (integral values below 2⁵³ without a fraction), or nil
    /// unless finite.
    public static func exact(_ x: Double) -> String? {
        guard x.isFinite else { return nil }
        if x == x.rounded(.towardZero) && Swift.abs(x) < 9_007_199_254_740_992 { return String(Int64(x)) }
        return x.description
    }
}
