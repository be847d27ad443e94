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
        String(decoding: prettyPrintedBytes(), as: UTF8.self)
    }

    /// ``prettyPrinted()`` as UTF-8 bytes, written into one buffer.
    public func prettyPrintedBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(to: &out, indent: 0)
        out.append(10)
        return out
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    private static func pad(_ n: Int, to out: inout [UInt8]) {
        for _ in 0..<n { out.append(UInt8(ascii: " ")) }
    }

    private func write(to out: inout [UInt8], indent: Int) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .integer(let i): NumberFormat.appendInteger(i, to: &out)
        case .unsigned(let u): out.append(contentsOf: String(u).utf8)
        case .number(let x): NumberFormat.appendJSON(x, to: &out)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            if items.allSatisfy(\.isScalar) {
                out.append(UInt8(ascii: "["))
                for (i, item) in items.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")); out.append(UInt8(ascii: " ")) }
                    item.write(to: &out, indent: indent)
                }
                out.append(UInt8(ascii: "]"))
                return
            }
            out.append(UInt8(ascii: "[")); out.append(10)
            for (i, item) in items.enumerated() {
                JSONValue.pad(indent + 2, to: &out)
                item.write(to: &out, indent: indent + 2)
                if i + 1 < items.count { out.append(UInt8(ascii: ",")) }
                out.append(10)
            }
            JSONValue.pad(indent, to: &out)
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            if pairs.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{")); out.append(10)
            for (i, (key, value)) in pairs.enumerated() {
                JSONValue.pad(indent + 2, to: &out)
                JSONValue.writeString(key, to: &out)
                out.append(UInt8(ascii: ":")); out.append(UInt8(ascii: " "))
                value.write(to: &out, indent: indent + 2)
                if i + 1 < pairs.count { out.append(UInt8(ascii: ",")) }
                out.append(10)
            }
            JSONValue.pad(indent, to: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Writes a JSON string literal: `"` and `\` escaped, control characters as
    /// `\n`, `\t`, … or `\u00XX`; everything else (e.g. æøå) as UTF-8. (On UTF-8 bytes: every
    /// byte of a multi-byte sequence is ≥ 0x80, so only ASCII bytes are ever escaped.)
    private static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(b)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
            case 10: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 13: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 9: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 8: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "b"))
            case 12: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "f"))
            case 0..<0x20, 0x7F:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 15)])
            default:
                out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
