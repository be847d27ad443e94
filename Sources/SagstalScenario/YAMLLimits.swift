/// Limits on the size and shape of a scenario's YAML, checked before and while it is
/// read, so that no file can crash the reader (deep nesting overflows the stack of any
/// recursive YAML composer) or exhaust memory ("billion laughs": anchors that alias
/// each other multiply the number of values).
///
/// A real scenario is a few kilobytes, nested about seven levels deep
/// (`ladder.steps.0.duration.mean`), with a few thousand values. The limits are
/// two orders of magnitude above that and are listed in docs/model.md.
public enum YAMLLimits {
    /// Largest scenario file or `--set` value, in bytes.
    public static let maxBytes = 4 << 20
    /// Deepest nesting of lists and maps after reading.
    public static let maxDepth = 32
    /// Most values (scalars, lists and maps) in one file, aliases counted as expanded.
    public static let maxNodes = 200_000
    /// Bound on the nesting the pre-scan estimates before the YAML composer runs. The
    /// estimate is at most about twice the true depth, and the composer copes with
    /// thousands of levels, so anything within this bound is safe to compose; the
    /// exact limit (`maxDepth`) is then applied while converting.
    static let maxEstimatedDepth = 2 * maxDepth + 8

    /// Estimates how deeply `text` nests, without composing it, and returns the
    /// 1-based line and column where the estimate first exceeds `limit` (nil: within).
    ///
    /// The estimate is an upper bound of the true depth: in block context every
    /// ancestor of a node starts at a column of an earlier, less indented line (or of
    /// an inline `- ` or `? ` on it), and at most two collections (a map and a list
    /// written compactly under its key) share a column; flow collections add one
    /// level per `[` or `{` that opens a value. Quoted scalars, comments and block
    /// scalars (`|`, `>`) are skipped.
    static func nestingExceeds(_ limit: Int, in text: String) -> (line: Int, column: Int)? {
        var scanner = NestingScanner(limit: limit)
        var line = 1
        for lineText in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let column = scanner.scan(line: Array(lineText.unicodeScalars)) { return (line, column) }
            line += 1
        }
        return nil
    }
}

/// The state of ``YAMLLimits/nestingExceeds(_:in:)`` between lines.
private struct NestingScanner {
    let limit: Int
    /// Columns of the block collections that may enclose the current line.
    var indents: [Int] = []
    /// Open `[` and `{`.
    var flow = 0
    enum Quote { case none, single, double }
    var quote = Quote.none
    /// While inside a block scalar: the indentation of the line that started it.
    var blockScalarParent: Int?

    var depth: Int { 2 * indents.count + flow }

    /// Scans one line; returns the 1-based column where the depth first exceeds the limit.
    mutating func scan(line: [Unicode.Scalar]) -> Int? {
        var i = 0
        let n = line.count
        let indent = line.prefix(while: { $0 == " " || $0 == "\t" }).count
        let blank = indent == n || line[indent] == "#" || (n == indent + 1 && line[indent] == "\r")
        if let parent = blockScalarParent {
            if blank || indent > parent { return nil }
            blockScalarParent = nil
        }
        var atValueStart = true
        if quote == .none && flow == 0 {
            if blank { return nil }
            while let last = indents.last, last >= indent { indents.removeLast() }
            indents.append(indent)
            if depth > limit { return indent + 1 }
            i = indent
        }
        while i < n {
            let c = line[i]
            switch quote {
            case .double:
                if c == "\\" { i += 2; continue }
                if c == "\"" { quote = .none; atValueStart = false }
                i += 1
                continue
            case .single:
                if c == "'" {
                    if i + 1 < n && line[i + 1] == "'" { i += 2; continue }
                    quote = .none
                    atValueStart = false
                }
                i += 1
                continue
            case .none:
                break
            }
            let next: Unicode.Scalar? = i + 1 < n ? line[i + 1] : nil
            let spaceAfter = next == nil || next == " " || next == "\t" || next == "\r"
            if c == " " || c == "\t" || c == "\r" {
                // whitespace keeps a value start a value start
            } else if c == "#" && (i == 0 || line[i - 1] == " " || line[i - 1] == "\t") {
                return nil
            } else if (c == "-" || c == "?") && atValueStart && spaceAfter && flow == 0 {
                // An inline list item or complex key: a new level starts after it.
                indents.append(i + 2)
                if depth > limit { return i + 1 }
            } else if c == ":" && spaceAfter {
                atValueStart = true
            } else if (c == "[" || c == "{") && (atValueStart || flow > 0) {
                flow += 1
                if depth > limit { return i + 1 }
                atValueStart = true
            } else if (c == "]" || c == "}") && flow > 0 {
                flow -= 1
                atValueStart = false
            } else if c == "," && flow > 0 {
                atValueStart = true
            } else if c == "\"" && atValueStart {
                quote = .double
            } else if c == "'" && atValueStart {
                quote = .single
            } else if (c == "|" || c == ">") && atValueStart && flow == 0 {
                blockScalarParent = indent
                return nil
            } else if (c == "&" || c == "!" || c == "*") && atValueStart {
                // An anchor, tag or alias: skip its name; a value may still follow.
                while i < n && line[i] != " " && line[i] != "\t"
                        && !(flow > 0 && (line[i] == "," || line[i] == "]" || line[i] == "}")) {
                    i += 1
                }
                continue
            } else {
                atValueStart = false
            }
            i += 1
        }
        return nil
    }
}
