import Foundation
import Yams

/// How YAML resolved a plain scalar (YAML 1.1 core rules, as Yams applies them).
enum ScalarKind: Sendable, Equatable {
    case string, int, float, bool, null, timestamp
    /// Any other tag (`!!binary`, `=`, a custom `!tag`): treated as text, never as a number.
    case other
}

/// A scalar with its original text, so `+4` can be told from `4` and values can be
/// quoted back to the user exactly as written.
struct YScalar: Sendable {
    var text: String
    var kind: ScalarKind
    var loc: SourcePosition

    var isNull: Bool { kind == .null }
}

/// One `key: value` pair; the key's own location is kept for unknown-key diagnostics.
struct YEntry: Sendable {
    var key: String
    var keyLoc: SourcePosition
    var value: YNode
}

struct YMap: Sendable {
    var entries: [YEntry]
    var loc: SourcePosition

    /// The value of `key` (the last one, should the key be written twice).
    subscript(key: String) -> YNode? {
        entries.last(where: { $0.key == key })?.value
    }

    func entry(_ key: String) -> YEntry? {
        entries.last(where: { $0.key == key })
    }

    /// Replaces the value of `key`, or appends a new entry.
    mutating func set(_ key: String, keyLoc: SourcePosition, to value: YNode) {
        if let i = entries.lastIndex(where: { $0.key == key }) {
            entries[i].value = value
        } else {
            entries.append(YEntry(key: key, keyLoc: keyLoc, value: value))
        }
    }

    mutating func remove(_ key: String) -> YEntry? {
        guard let i = entries.lastIndex(where: { $0.key == key }) else { return nil }
        let e = entries[i]
        entries.removeAll { $0.key == key }
        return e
    }
}

struct YSeq: Sendable {
    var items: [YNode]
    var loc: SourcePosition
}

/// The scenario's own YAML tree. Unlike `Yams.Node` it records, for every node, the
/// file it was written in, so that after `extends` merging and `--set` overrides a
/// problem is still reported where the offending text actually is.
indirect enum YNode: Sendable {
    case scalar(YScalar)
    case map(YMap)
    case seq(YSeq)

    var loc: SourcePosition {
        switch self {
        case .scalar(let s): return s.loc
        case .map(let m): return m.loc
        case .seq(let s): return s.loc
        }
    }

    var isNull: Bool {
        if case .scalar(let s) = self { return s.isNull }
        return false
    }

    /// The scalar, if this node is one.
    var scalar: YScalar? {
        if case .scalar(let s) = self { return s }
        return nil
    }

    /// How the value reads in an error message: `a string 'abc'`, `a list`, `nothing`…
    var found: String {
        switch self {
        case .map: return "a map of keys"
        case .seq(let s): return s.items.isEmpty ? "an empty list" : "a list"
        case .scalar(let s):
            switch s.kind {
            case .null: return "nothing (an empty value)"
            case .int, .float: return "the number \(s.text)"
            case .bool: return "the true/false value '\(s.text)'"
            case .timestamp: return "the date '\(s.text)'"
            case .string, .other: return "a string '\(Self.abbreviated(s.text))'"
            }
        }
    }

    static func abbreviated(_ text: String) -> String {
        let oneLine = text.replacingOccurrences(of: "\n", with: "\\n")
        return oneLine.count > 60 ? String(oneLine.prefix(57)) + "…" : oneLine
    }
}

/// Converts `Yams.Node`s into `YNode`s for one source.
struct TreeBuilder {
    var file: String
    /// Added to the column of nodes on line 1 (for `--set` values, whose YAML text
    /// starts after `path=` in the override).
    var columnOffset: Int = 0
    /// For `--set` values: the column just after the override text, where positions
    /// past the first line (such as "unexpected end" errors) are reported.
    var endColumn: Int?
    /// The override index, for ordering `--set` problems.
    var order: Int = 0

    func location(_ mark: Mark?) -> SourcePosition {
        location(mark.map { (line: $0.line, column: $0.column) })
    }

    /// A 1-based position in this source. `--set` values are one line: everything
    /// is reported on line 1, shifted by the width of `path=`.
    func location(_ position: (line: Int, column: Int)?) -> SourcePosition {
        guard let position else { return SourcePosition(file: file, line: 1, column: 1 + columnOffset, order: order) }
        if position.line == 1 {
            return SourcePosition(file: file, line: 1, column: position.column + columnOffset, order: order)
        }
        if let endColumn { return SourcePosition(file: file, line: 1, column: endColumn, order: order) }
        return SourcePosition(file: file, line: position.line, column: position.column, order: order)
    }

    static func kind(of node: Node) -> ScalarKind {
        switch node.tag.description {
        case Tag.Name.str.rawValue: return .string
        case Tag.Name.int.rawValue: return .int
        case Tag.Name.float.rawValue: return .float
        case Tag.Name.bool.rawValue: return .bool
        case Tag.Name.null.rawValue: return .null
        case Tag.Name.timestamp.rawValue: return .timestamp
        default: return .other
        }
    }

    /// What converting one document has used so far: the values made (aliases count
    /// once per use, as expanded) and whether a limit has already been reported.
    struct Budget {
        var nodes = 0
        var exceeded = false
    }

    /// Converts a document, within ``YAMLLimits/maxDepth`` and ``YAMLLimits/maxNodes``;
    /// past a limit it reports once, at the value where the limit was reached, and
    /// returns nil.
    func convert(_ node: Node, _ sink: inout DiagnosticSink) -> YNode? {
        var budget = Budget()
        let tree = convert(node, depth: 1, &budget, &sink)
        return budget.exceeded ? nil : tree
    }

    /// Converts a node. Keys that are not scalars are reported and dropped; `<<` merge
    /// keys are applied (explicit keys win). Duplicate keys are kept here and reported
    /// by `checkDuplicateKeys`.
    private func convert(_ node: Node, depth: Int, _ budget: inout Budget, _ sink: inout DiagnosticSink) -> YNode {
        let empty = YNode.scalar(YScalar(text: "", kind: .null, loc: location(node.mark)))
        if budget.exceeded { return empty }
        budget.nodes += 1
        if budget.nodes > YAMLLimits.maxNodes {
            budget.exceeded = true
            sink.error(location(node.mark), "",
                       "the YAML holds more than \(YAMLLimits.maxNodes) values, aliases (*name) counted each time they are used; "
                       + "a scenario needs a few thousand (is an anchor aliased inside another anchor's aliases?)")
            return empty
        }
        if depth > YAMLLimits.maxDepth, !node.isScalar {
            budget.exceeded = true
            sink.error(location(node.mark), "",
                       "lists and maps are nested more than \(YAMLLimits.maxDepth) levels deep here; a scenario needs fewer than 10")
            return empty
        }
        switch node {
        case .scalar(let s):
            return .scalar(YScalar(text: s.string, kind: Self.kind(of: node), loc: location(s.mark)))
        case .sequence(let seq):
            return .seq(YSeq(items: seq.map { convert($0, depth: depth + 1, &budget, &sink) }, loc: location(seq.mark)))
        case .mapping(let mapping):
            var entries: [YEntry] = []
            var merged: [YEntry] = []
            for (key, value) in mapping {
                guard case .scalar(let k) = key else {
                    sink.error(location(key.mark), "", "expected a key name, found \(key.isMapping ? "a map" : "a list") used as a key")
                    continue
                }
                if Self.kind(of: key) == .other, k.string == "<<", k.style == .plain || k.style == .any {
                    // YAML merge key: `<<: *defaults` or `<<: [*a, *b]`.
                    let sources: [Node]
                    if case .sequence(let list) = value { sources = Array(list) } else { sources = [value] }
                    for source in sources {
                        let converted = convert(source, depth: depth, &budget, &sink)
                        if case .map(let m) = converted {
                            for e in m.entries where !merged.contains(where: { $0.key == e.key }) { merged.append(e) }
                        } else if !budget.exceeded {
                            sink.error(location(source.mark), "", "a '<<' merge key needs a map (or a list of maps), found \(converted.found)")
                        }
                    }
                    continue
                }
                entries.append(YEntry(key: k.string, keyLoc: location(k.mark),
                                      value: convert(value, depth: depth + 1, &budget, &sink)))
            }
            for e in merged where !entries.contains(where: { $0.key == e.key }) { entries.append(e) }
            return .map(YMap(entries: entries, loc: location(mapping.mark)))
        }
    }
}

private extension Node {
    var isMapping: Bool {
        if case .mapping = self { return true }
        return false
    }

    var isScalar: Bool {
        if case .scalar = self { return true }
        return false
    }
}

enum YAMLTree {
    /// Parses one YAML document into a tree. A syntax error becomes one diagnostic at
    /// the position libyaml reports; an empty document is an empty map.
    static func parse(_ text: String, file: String, columnOffset: Int = 0, endColumn: Int? = nil, order: Int = 0,
                      _ sink: inout DiagnosticSink) -> YNode? {
        let builder = TreeBuilder(file: file, columnOffset: columnOffset, endColumn: endColumn, order: order)
        if text.utf8.count > YAMLLimits.maxBytes {
            sink.error(builder.location(Mark?.none), "",
                       "the YAML is \(text.utf8.count) bytes, more than the \(YAMLLimits.maxBytes) a scenario may have (a scenario is a few kilobytes)")
            return nil
        }
        if let at = YAMLLimits.nestingExceeds(YAMLLimits.maxEstimatedDepth, in: text) {
            sink.error(builder.location(at), "",
                       "lists and maps are nested more than \(YAMLLimits.maxDepth) levels deep here; a scenario needs fewer than 10")
            return nil
        }
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return .scalar(YScalar(text: "", kind: .null, loc: builder.location(Mark?.none)))
            }
            return builder.convert(node, &sink)
        } catch let error as YamlError {
            let (position, problem) = describe(error)
            sink.error(builder.location(position), "", problem, suggestion: tabHint(text, upTo: position?.line))
            return nil
        } catch {
            sink.error(builder.location(Mark?.none), "", "could not read the YAML: \(error)")
            return nil
        }
    }

    /// "indent with spaces" when a line up to the error's indents with a tab (YAML forbids
    /// tabs in indentation; libyaml's message does not say so).
    static func tabHint(_ text: String, upTo line: Int?) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(line ?? Int.max)
        guard let i = lines.lastIndex(where: { $0.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") }) else {
            return nil
        }
        return "line \(i + 1) is indented with a tab; YAML needs spaces: replace the tab with spaces"
    }

    /// A one-line message and a position for a Yams error.
    static func describe(_ error: YamlError) -> ((line: Int, column: Int)?, String) {
        func text(_ context: YamlError.Context?, _ problem: String) -> String {
            var t = "YAML syntax error: \(problem)"
            if let context { t += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            return t
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            return ((mark.line, mark.column), text(context, problem))
        case let .reader(problem, offset, _, yaml):
            var position: (line: Int, column: Int)?
            if let offset, offset >= 0 {
                let prefix = yaml.prefix(offset)
                let line = prefix.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
                let column = prefix.reversed().prefix(while: { $0 != "\n" }).count + 1
                position = (line, column)
            }
            return (position, "the file is not readable text: \(problem)")
        default:
            return (nil, "YAML error: \(error)")
        }
    }

    /// Reports keys written twice in the same map (YAML forbids it; libyaml lets it
    /// through) and keeps only the last value, which is what most YAML readers do.
    static func checkDuplicateKeys(_ node: YNode, path: String, _ sink: inout DiagnosticSink) -> YNode {
        switch node {
        case .scalar:
            return node
        case .seq(var seq):
            let names = elementNames(seq.items)
            seq.items = seq.items.enumerated().map { i, item in
                checkDuplicateKeys(item, path: join(path, names[i]), &sink)
            }
            return .seq(seq)
        case .map(var map):
            var seen: [String: SourcePosition] = [:]
            for e in map.entries {
                if let first = seen[e.key] {
                    sink.error(e.keyLoc, join(path, e.key),
                               "the key '\(e.key)' is written twice in this map (first on line \(first.line)); the last value would silently win")
                } else {
                    seen[e.key] = e.keyLoc
                }
            }
            var unique: [YEntry] = []
            for e in map.entries {
                let value = checkDuplicateKeys(e.value, path: join(path, e.key), &sink)
                if let i = unique.firstIndex(where: { $0.key == e.key }) {
                    unique[i].value = value
                } else {
                    unique.append(YEntry(key: e.key, keyLoc: e.keyLoc, value: value))
                }
            }
            map.entries = unique
            return .map(map)
        }
    }

    /// Deep merge for `extends`: `over` is laid over `base`. Maps merge key by key;
    /// lists and scalars replace. A distribution written as a map with a `dist` key
    /// replaces the base value whole (a distribution is one value: merging
    /// `{dist: exponential, mean: 50}` over a gamma's `sd` would make no sense); a map
    /// without `dist`, like `{sd: 20}`, adjusts a parameter of the base distribution.
    static func merge(_ base: YNode, _ over: YNode) -> YNode {
        guard case .map(let b) = base, case .map(let o) = over, o["dist"] == nil else { return over }
        var result = b
        result.loc = o.loc
        for e in o.entries {
            if let i = result.entries.firstIndex(where: { $0.key == e.key }) {
                result.entries[i] = YEntry(key: e.key, keyLoc: e.keyLoc, value: merge(result.entries[i].value, e.value))
            } else {
                result.entries.append(e)
            }
        }
        return .map(result)
    }

    /// Joins a dotted key path.
    static func join(_ path: String, _ segment: String) -> String {
        path.isEmpty ? segment : path + "." + segment
    }

    /// True for a well-formed id: letters, digits, `-` and `_`.
    static func isValidID(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
    }

    /// The `id` text of a list item, if it is a map with a scalar `id`.
    static func idText(_ item: YNode) -> String? {
        guard case .map(let m) = item, let id = m["id"]?.scalar, !id.isNull else { return nil }
        return id.text
    }

    /// The key-path segment for each list item: its `id` when that id is valid,
    /// unique in the list and not all digits (which would read as an index), else
    /// the index. This is also what `--set` accepts.
    static func elementNames(_ items: [YNode]) -> [String] {
        let ids = items.map(idText)
        var counts: [String: Int] = [:]
        for id in ids.compactMap({ $0 }) { counts[id, default: 0] += 1 }
        return items.indices.map { i in
            if let id = ids[i], isValidID(id), counts[id] == 1, !id.allSatisfy(\.isNumber) { return id }
            return String(i)
        }
    }
}
