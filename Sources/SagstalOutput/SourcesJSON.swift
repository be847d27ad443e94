import SagstalScenario

extension SourceValue {
    /// The value in JSON: numbers, true/false, text, lists.
    public var json: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .integer(let i): return .integer(i)
        case .unsigned(let u): return .unsigned(u)
        case .number(let x): return .number(x)
        case .text(let s): return .string(s)
        case .list(let items): return .array(items.map(\.json))
        }
    }
}

extension ValueSource {
    /// One entry of the `"sources"` block of `summary.json` and `comparison.json`:
    /// `{"path", "value", "kind", "sections", "comment", "file", "line"}`
    /// (docs/outputs-and-exit-codes.md, "Where the values come from").
    public var json: JSONValue {
        .object([
            ("path", .string(path)),
            ("value", value.json),
            ("kind", .string(kind.rawValue)),
            ("sections", .array(sections.map(JSONValue.string))),
            ("comment", .string(comment)),
            ("file", file.map(JSONValue.string) ?? .null),
            ("line", line.map { .integer(Int64($0)) } ?? .null),
        ])
    }

    /// The `"sources"` block: one entry per value, in the order of the resolved scenario.
    public static func json(_ sources: [ValueSource]) -> JSONValue {
        .array(sources.map(\.json))
    }
}
