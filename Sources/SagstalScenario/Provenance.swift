import Foundation

/// A value of the resolved scenario, as recorded in a ``ValueSource``.
public indirect enum SourceValue: Sendable, Equatable, Codable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int64)
    /// A whole number beyond Int64 (a seed).
    case unsigned(UInt64)
    case number(Double)
    case text(String)
    /// A list of scalars (`seasonality`, an empirical distribution's `values`, `ages`).
    case list([SourceValue])

    /// As the resolved scenario writes it: `0.3`, `[0, 15]`, `+16`, `gamma`.
    public var description: String {
        switch self {
        case .null: return "~"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .unsigned(let u): return String(u)
        case .number(let x): return ScenarioEmitter.number(x)
        case .text(let s): return s
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }
}

/// Where one value of a resolved scenario comes from (issue 10): the comment that documents it
/// in the scenario file that set it — through the whole `extends` chain, the file that set the
/// value winning — a `--set` override, or the default.
///
/// `summary.json` lists one per value of the resolved scenario under `"sources"`
/// (docs/outputs-and-exit-codes.md); report.html's "Key assumptions" box shows the key ones.
public struct ValueSource: Sendable, Equatable, Codable {
    /// What kind of source documents the value.
    public enum Kind: String, Sendable, Equatable, Codable, CaseIterable {
        /// The comment cites FACTS.md (`FACTS §n`, `add. §n`) and does not say `assumption`.
        case facts
        /// The comment says the value is an assumption (`assumption:`), whether or not it also cites FACTS.
        case assumption
        /// Set on the command line (`--set`, `-n`, `--seed`, `--years`, a sweep's `--vary`) or by
        /// `compare` (an alternative takes the baseline's seed, replications and years).
        case override
        /// No file sets the value: MODEL.md §7's default.
        case `default`
        /// A comment that neither cites FACTS nor says `assumption`.
        case comment
        /// Set by a file without any comment on it (or on the map or list it belongs to).
        case undocumented
    }

    /// Dotted key path as `--set` uses it: `caseload.elasticity.escalate`, `teams.aalborg.cap`,
    /// `ladder.foster.costPerYear`, `staff.changes.0.method.escalate` (list items by id, else index).
    public var path: String
    /// The resolved value.
    public var value: SourceValue
    public var kind: Kind
    /// The FACTS.md sections the comment cites, in order: `§3`, `add. §2`.
    public var sections: [String]
    /// The comment's text, one comment line per line, `#` and surrounding spaces removed; for an
    /// override the override as given (`teams.0.cap=25`); empty for a default.
    public var comment: String
    /// The file that set the value (as named on the command line or by `extends`), `<--set>` for
    /// an override, `<--vary>` for a sweep's value, `<compare>` for a value compare replaced;
    /// nil for a default.
    public var file: String?
    /// The line of the key in `file`; for `<--set>` and `<--vary>` the position of the override
    /// among them (1 = the first); nil for a default or `<compare>`.
    public var line: Int?

    public init(path: String, value: SourceValue, kind: Kind, sections: [String] = [], comment: String = "",
                file: String? = nil, line: Int? = nil) {
        self.path = path
        self.value = value
        self.kind = kind
        self.sections = sections
        self.comment = comment
        self.file = file
        self.line = line
    }

    /// The source of a value from its comment: ``Kind/assumption`` when the comment says so,
    /// else ``Kind/facts`` when it cites FACTS sections, else ``Kind/comment``.
    ///
    /// A sentence that says `assumption` about another key of the same map — it names one of
    /// `siblings` but not the value's own key, like "capShare 0.5 is an assumption" above
    /// `rampUp: {days: 182.6, capShare: 0.5}` — does not make the value an assumption.
    public static func documented(path: String, value: SourceValue, comment: String, file: String, line: Int,
                                  siblings: [String] = []) -> ValueSource {
        documented(path: path, value: value, comment: comment, file: file, line: line, siblings: siblings, cache: NameCache())
    }

    static func documented(path: String, value: SourceValue, comment: String, file: String, line: Int,
                           siblings: [String], cache: NameCache) -> ValueSource {
        let (sections, assumptionSentences) = cache.analysis(of: comment)
        let key = path.split(separator: ".").last.map(String.init) ?? path
        let others = siblings.filter { $0 != key && $0.count >= 4 }
        let assumption = assumptionSentences.contains { s in
            let aboutAnother = others.contains { Citations.containsWord(s, $0) }
            let aboutThis = Citations.containsWord(s, key)
            return !aboutAnother || aboutThis
        }
        let kind: Kind = assumption ? .assumption : (sections.isEmpty ? .comment : .facts)
        return ValueSource(path: path, value: value, kind: kind, sections: sections, comment: comment, file: file, line: line)
    }

    /// `file:line`, or the file alone, or "".
    public var location: String {
        guard let file else { return "" }
        return line.map { "\(file):\($0)" } ?? file
    }

    /// A short reason for people (the key assumptions box): a sentence of the comment — for an
    /// assumption the one that says `assumption` and names one of the last two parts of the key
    /// path (`method`, `overloadElasticity`, …), else one that names them, else the first that says
    /// `assumption`; for facts likewise with a FACTS citation — starting at the key's own name or at
    /// "assumption" when the sentence is long, cut to `maxLength` characters with "…". The
    /// override text for an override; "" for a default or an undocumented value.
    public func reason(maxLength: Int = 160) -> String {
        switch kind {
        case .default, .undocumented: return ""
        case .override: return Self.cut(comment, maxLength)
        default: break
        }
        let sentences = Self.sentences(comment)
        guard !sentences.isEmpty else { return "" }
        // The most specific parts of the path: its last two names (`method`, `escalate`), not `teams` or `staff`.
        let keywords = Array(path.split(separator: ".").map(String.init).filter { !$0.allSatisfy(\.isNumber) }.suffix(2))
            .filter { $0.count >= 4 }
        func keyword(in s: String) -> String? {
            let l = s.lowercased()
            if let k = keywords.reversed().first(where: { l.contains($0.lowercased()) }) { return k }
            return keywords.contains("method") && l.contains("multiplier") ? "multiplier" : nil
        }
        let isMarked: (String) -> Bool
        switch kind {
        case .assumption: isMarked = Citations.saysAssumption
        case .facts: isMarked = { !Citations.sections(in: $0).isEmpty }
        default: isMarked = { _ in true }
        }
        let pick = sentences.first { isMarked($0) && keyword(in: $0) != nil }
            ?? sentences.first { keyword(in: $0) != nil && kind == .assumption }
            ?? sentences.first(where: isMarked) ?? sentences[0]
        var excerpt = pick
        if pick.count > maxLength {
            // Start where the sentence turns to this key, or to the assumption.
            let lower = pick.lowercased()
            let key = path.split(separator: ".").last.map { String($0).lowercased() }
            let anchors = [key.flatMap { $0.count >= 4 ? $0 : nil }, kind == .assumption ? "assumption" : nil].compactMap { $0 }
            if let r = anchors.lazy.compactMap({ lower.range(of: $0) }).first, r.lowerBound != lower.startIndex {
                let offset = lower.distance(from: lower.startIndex, to: r.lowerBound)
                excerpt = "…" + String(pick.dropFirst(offset))
            }
        }
        return Self.cut(excerpt, maxLength)
    }

    /// The comment as sentences: lines joined with spaces, split after ". " or "; " (outside
    /// parentheses) before a capital letter, a digit or "assumption" ("mio. kr. a year" stays whole).
    static func sentences(_ text: String) -> [String] {
        let joined = joinedLines(text)
        let chars = Array(joined)
        // Where each character starts in `joined`: the sentences are cut out of `joined` as
        // substrings (the same characters as joining `chars`, without appending one by one).
        var starts: [String.Index] = []
        starts.reserveCapacity(chars.count + 1)
        var at = joined.startIndex
        for c in chars {
            starts.append(at)
            at = joined.utf8.index(at, offsetBy: c.utf8.count)
        }
        starts.append(joined.endIndex)
        var out: [String] = []
        var start = 0
        var depth = 0
        var i = 0
        func startsAssumption(_ k: Int) -> Bool {
            k + 10 <= chars.count && String(chars[k..<(k + 10)]).lowercased() == "assumption"
        }
        while i < chars.count {
            let c = chars[i]
            if c == "(" { depth += 1 } else if c == ")" { depth = max(0, depth - 1) }
            if depth == 0, c == "." || c == ";", i + 2 < chars.count, chars[i + 1] == " ",
               chars[i + 2].isUppercase || startsAssumption(i + 2) || (c == ";" && chars[i + 2].isLetter) {
                let s = trimmed(joined[starts[start]..<starts[i + 1]])
                if !s.isEmpty { out.append(s) }
                start = i + 2
                i += 2
                continue
            }
            i += 1
        }
        let rest = trimmed(joined[starts[min(start, chars.count)]...])
        if !rest.isEmpty { out.append(rest) }
        return out
    }

    /// `text.replacingOccurrences(of: "\n", with: " ")`, on bytes when that is certainly the same:
    /// no CR in the text (CR LF is one character to Foundation) and only ASCII after each LF;
    /// otherwise by Foundation.
    public static func joinedLines(_ text: String) -> String {
        let u = text.utf8
        guard u.contains(10) else { return text }
        var safe = true
        var afterLF = false
        for b in u {
            if b == 13 || (afterLF && b >= 0x80) { safe = false; break }
            afterLF = b == 10
        }
        guard safe else { return text.replacingOccurrences(of: "\n", with: " ") }
        return String(decoding: u.map { $0 == 10 ? 32 : $0 }, as: UTF8.self)
    }

    static func cut(_ s: String, _ n: Int) -> String {
        s.count <= n ? s : trimmed(s.prefix(max(1, n - 1))) + "…"
    }
}

/// The text and own tree of one scenario file of an `extends` chain (before merging).
struct SourceFile {
    var text: String
    var tree: YNode
    var comments: CommentScanner
}

/// The element names (``YAMLTree/elementNames(_:)``) of the lists of a file's tree, computed once
/// per list: a value's comment is looked up for every value, in lists of up to 10,000 items.
final class NameCache {
    private var names: [String: [String: Int]] = [:]
    /// The inherited comment of the values in a map or list item, by file and path.
    var inherited: [String: String?] = [:]
    private var analyses: [String: (sections: [String], assumptionSentences: [String])] = [:]

    /// A comment's FACTS sections and its sentences that say "assumption", once per comment text.
    func analysis(of comment: String) -> (sections: [String], assumptionSentences: [String]) {
        if let known = analyses[comment] { return known }
        let a = (Citations.sections(in: comment), ValueSource.sentences(comment).filter(Citations.saysAssumption))
        analyses[comment] = a
        return a
    }

    /// The index of the item named `name` in `seq`.
    func index(of name: String, in seq: YSeq) -> Int? {
        let key = "\(seq.loc.file)\u{0}\(seq.loc.line)\u{0}\(seq.loc.column)\u{0}\(seq.items.count)"
        if let known = names[key] { return known[name] }
        var map: [String: Int] = [:]
        for (i, n) in YAMLTree.elementNames(seq.items).enumerated() where map[n] == nil { map[n] = i }
        names[key] = map
        return map[name]
    }
}

/// Computes the ``ValueSource`` of every value of a resolved scenario.
enum Provenance {
    /// One source per value of `scenario` as the resolved scenario writes it (in that order; list
    /// items' `id`s are the paths, not values, and are left out).
    ///
    /// - Parameters:
    ///   - tree: the merged tree (`extends` applied) with the overrides applied; every node keeps
    ///     the file and line it was written on.
    ///   - files: each file's own text and tree, by the file name the nodes record.
    ///   - overrides: the `--set` texts, in order (the nodes record their index).
    static func sources(_ scenario: Scenario, tree: YNode, files: [String: SourceFile], overrides: [String]) -> [ValueSource] {
        var sink = DiagnosticSink()
        guard let resolved = YAMLTree.parse(ScenarioEmitter.yaml(scenario, toolVersion: ""), file: "<resolved>", &sink) else {
            return []
        }
        var out: [ValueSource] = []
        walk(resolved, merged: tree, path: [], files: files, overrides: overrides, names: NameCache(), into: &out)
        return out
    }

    private static func walk(_ node: YNode, merged: YNode?, path: [String], files: [String: SourceFile],
                             overrides: [String], entry: YEntry? = nil, siblings: [String] = [], names: NameCache,
                             into out: inout [ValueSource]) {
        switch node {
        case .map(let m):
            let keys = m.entries.map(\.key)
            for e in m.entries {
                var mergedEntry: YEntry?
                if case .map(let mm)? = merged { mergedEntry = mm.entry(e.key) }
                if case .scalar(let s)? = merged, !s.isNull {
                    // Written as one value in the file (a fixed distribution as a number): its leaves share it.
                    walk(e.value, merged: merged, path: path + [e.key], files: files, overrides: overrides, entry: entry,
                         siblings: keys, names: names, into: &out)
                    continue
                }
                walk(e.value, merged: mergedEntry?.value, path: path + [e.key], files: files, overrides: overrides,
                     entry: mergedEntry, siblings: keys, names: names, into: &out)
            }
        case .seq(let s) where !s.items.allSatisfy({ $0.scalar != nil }):
            let itemNames = YAMLTree.elementNames(s.items)
            var mergedItems: [String: YNode] = [:]
            if case .seq(let ms)? = merged {
                for (name, item) in zip(YAMLTree.elementNames(ms.items), ms.items) { mergedItems[name] = item }
            }
            for (name, item) in zip(itemNames, s.items) {
                walk(item, merged: mergedItems[name], path: path + [name], files: files, overrides: overrides, entry: nil,
                     names: names, into: &out)
            }
        default:
            // A leaf: a scalar or a list of scalars. List items' ids name the path.
            if path.last == "id", path.count >= 3 { return }
            out.append(source(path: path, value: value(node), merged: merged, entry: entry, siblings: siblings, files: files,
                              overrides: overrides, names: names))
        }
    }

    private static func value(_ node: YNode) -> SourceValue {
        switch node {
        case .scalar(let s):
            switch s.kind {
            case .null: return .null
            case .bool: return .bool(["true", "yes", "on"].contains(s.text.lowercased()))
            case .int:
                if let i = Int64(s.text) { return .integer(i) }
                if let u = UInt64(s.text) { return .unsigned(u) }
                return Double(s.text).map(SourceValue.number) ?? .text(s.text)
            case .float: return Double(s.text).map(SourceValue.number) ?? .text(s.text)
            default: return .text(s.text)
            }
        case .seq(let s): return .list(s.items.map(value))
        case .map: return .text("{…}")
        }
    }

    private static func source(path: [String], value: SourceValue, merged: YNode?, entry: YEntry?, siblings: [String],
                               files: [String: SourceFile], overrides: [String], names: NameCache) -> ValueSource {
        let dotted = path.joined(separator: ".")
        guard let merged else { return ValueSource(path: dotted, value: value, kind: .default) }
        let loc = merged.loc
        if loc.file == Overrides.fileName {
            let text = loc.order < overrides.count ? overrides[loc.order] : ""
            return ValueSource(path: dotted, value: value, kind: .override, comment: text, file: loc.file, line: loc.order + 1)
        }
        let line = entry?.keyLoc.file == loc.file ? entry!.keyLoc.line : loc.line
        guard let file = files[loc.file] else {
            return ValueSource(path: dotted, value: value, kind: .undocumented, file: loc.file, line: line)
        }
        // A comment on the map or list the value belongs to, in the file that set the value,
        // innermost first; a list item without a comment of its own takes the comment above the
        // nearest earlier item that has one (a comment above a group of items).
        func inherited() -> String? {
            let key = loc.file + "\u{0}" + path.dropLast().joined(separator: "\u{0}")
            if let known = names.inherited[key] { return known }
            var found: String? = nil
            search: for candidates in ancestors(of: Array(path.dropLast()), in: file.tree, names: names) {
                for (anchor, aboveOnly) in candidates {
                    let text = aboveOnly ? file.comments.above(anchor).joined(separator: "\n") : (file.comments.comment(forKeyOn: anchor) ?? "")
                    if !text.isEmpty {
                        found = text
                        break search
                    }
                }
            }
            names.inherited[key] = .some(found)
            return found
        }
        if let own = file.comments.comment(forKeyOn: line) {
            // "see above" / "see "Durations" above": the comment it points to comes with it.
            var text = own
            // (The regular expression only where "above" occurs in some ASCII case: case-insensitive
            // matching folds no other character onto these letters.)
            if Citations.containsASCIICaseInsensitive(own.utf8, "above"),
               own.range(of: "\\bsee\\b[^\\n]{0,40}\\babove\\b", options: [.regularExpression, .caseInsensitive]) != nil,
               let more = inherited() {
                text += "\n" + more
            }
            return .documented(path: dotted, value: value, comment: text, file: loc.file, line: line, siblings: siblings, cache: names)
        }
        if let text = inherited() {
            return .documented(path: dotted, value: value, comment: text, file: loc.file, line: line, siblings: siblings, cache: names)
        }
        return ValueSource(path: dotted, value: value, kind: .undocumented, file: loc.file, line: line)
    }

    /// For each ancestor of a value at `path` in a file's own tree, innermost first, the lines
    /// whose comments document it: a map key's line; a list item's line, then (comments above
    /// only) the lines of the items before it, nearest first.
    static func ancestors(of path: [String], in tree: YNode, names: NameCache = NameCache()) -> [[(line: Int, aboveOnly: Bool)]] {
        var out: [[(line: Int, aboveOnly: Bool)]] = []
        var node: YNode? = tree
        for seg in path {
            switch node {
            case .map(let m)?:
                guard let e = m.entry(seg) else { return out.reversed() }
                out.append([(e.keyLoc.line, false)])
                node = e.value
            case .seq(let s)?:
                guard let i = names.index(of: seg, in: s) else { return out.reversed() }
                var lines: [(line: Int, aboveOnly: Bool)] = [(s.items[i].loc.line, false)]
                // At most 100 items back: a group comment further up documents nothing here (and long
                // lists of a fuzzed file stay linear).
                for k in stride(from: i - 1, through: max(0, i - 100), by: -1) { lines.append((s.items[k].loc.line, true)) }
                out.append(lines)
                node = s.items[i]
            default:
                return out.reversed()
            }
        }
        return out.reversed()
    }
}
