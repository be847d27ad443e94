import Foundation

/// The comments of a YAML text, by line. Yams drops comments, so the provenance of a scenario
/// value (`FACTS §n`, `assumption:`) is read from the file text itself, keyed by the same
/// 1-based line numbers that ``YAMLTree`` records for every node.
///
/// Each line is one of: blank, a comment line (only a comment), or content with an optional
/// trailing comment. A `#` starts a comment at the start of a line or after white space, and
/// not inside a quoted scalar (`"…"`, `'…'`, also over several lines) or a block scalar
/// (`|` / `>` and the more indented lines after it), as in YAML.
public struct CommentScanner: Sendable {
    /// What one line holds.
    public enum Line: Sendable, Equatable {
        case blank
        /// A line that is only a comment: its text after `#`, trimmed.
        case comment(String)
        /// A line with content; the trailing comment's text after `#`, trimmed, if any.
        case content(trailing: String?)
    }

    /// Lines 1…n (index 0 is line 1).
    public let lines: [Line]

    public init(_ text: String) {
        lines = Self.scan(text)
    }

    /// Line `n` (1-based), or `.blank` outside the text.
    public func line(_ n: Int) -> Line {
        n >= 1 && n <= lines.count ? lines[n - 1] : .blank
    }

    /// The comment lines directly above line `n` (no blank or content line between), in order.
    public func above(_ n: Int) -> [String] {
        var out: [String] = []
        var k = n - 1
        while k >= 1, case .comment(let text) = line(k) {
            out.append(text)
            k -= 1
        }
        return out.reversed()
    }

    /// The trailing comment of line `n`, if it has content and a comment after it.
    public func trailing(_ n: Int) -> String? {
        if case .content(let t) = line(n) { return t }
        return nil
    }

    /// The comment of a key written on line `n`: the comment lines directly above it, then the
    /// trailing comment of the line; nil when there is none.
    public func comment(forKeyOn n: Int) -> String? {
        var parts = above(n)
        if let t = trailing(n), !t.isEmpty { parts.append(t) }
        let text = trimmed(parts.joined(separator: "\n"))
        return text.isEmpty ? nil : text
    }

    // MARK: Scanning

    private enum State {
        case plain
        case doubleQuoted
        case singleQuoted
        /// Inside a block scalar whose indicator was on a line indented by `indent`.
        case block(indent: Int)
    }

    static func scan(_ text: String) -> [Line] {
        var rawLines = splitLines(text)
        // A final newline does not start another line.
        if rawLines.count > 1, rawLines.last?.isEmpty == true { rawLines.removeLast() }
        var out: [Line] = []
        out.reserveCapacity(rawLines.count)
        var state = State.plain
        for raw in rawLines {
            let chars = Array(raw)
            let indent = chars.prefix(while: { $0 == " " || $0 == "\t" }).count
            let isBlank = indent == chars.count
            if case .block(let blockIndent) = state {
                if isBlank || indent > blockIndent {
                    out.append(isBlank ? .blank : .content(trailing: nil))
                    continue
                }
                state = .plain
            }
            if isBlank {
                out.append(.blank)
                continue
            }
            let startedQuoted: Bool
            switch state {
            case .doubleQuoted, .singleQuoted: startedQuoted = true
            default: startedQuoted = false
            }
            if !startedQuoted, chars[indent] == "#" {
                out.append(.comment(Self.commentText(raw, chars, after: indent)))
                continue
            }
            var trailing: String?
            var i = startedQuoted ? 0 : indent
            // The last character that is not white space, outside quotes: decides whether a quote
            // opens a quoted scalar (only at the start of a value) and whether `|`/`>` opens a block.
            var lastToken: Character? = nil
            var lastTokenIndex = -1
            while i < chars.count {
                let c = chars[i]
                switch state {
                case .doubleQuoted:
                    if c == "\\" { i += 2; continue }
                    if c == "\"" { state = .plain; lastToken = c; lastTokenIndex = i }
                case .singleQuoted:
                    if c == "'" {
                        if i + 1 < chars.count, chars[i + 1] == "'" { i += 2; continue }
                        state = .plain
                        lastToken = c
                        lastTokenIndex = i
                    }
                case .plain, .block:
                    if c == "#", i == 0 || chars[i - 1] == " " || chars[i - 1] == "\t" {
                        trailing = Self.commentText(raw, chars, after: i)
                        i = chars.count
                        continue
                    }
                    if c == "\"" || c == "'" {
                        let opensValue = lastToken == nil || [":", ",", "[", "{", "-", "?"].contains(lastToken!)
                        let afterSpace = i == 0 || [" ", "\t", "[", "{", ","].contains(chars[i - 1])
                        if opensValue && afterSpace {
                            state = c == "\"" ? .doubleQuoted : .singleQuoted
                            lastToken = c
                            lastTokenIndex = i
                            i += 1
                            continue
                        }
                    }
                    if c != " " && c != "\t" {
                        lastToken = c
                        lastTokenIndex = i
                    }
                }
                i += 1
            }
            out.append(.content(trailing: trailing))
            // A block scalar indicator (`|`, `>`, with chomping/indentation indicators) ends the line.
            if case .plain = state, lastTokenIndex >= 0 {
                var j = lastTokenIndex
                while j >= 0, "+-0123456789".contains(chars[j]) { j -= 1 }
                if j >= 0, chars[j] == "|" || chars[j] == ">", j == 0 || chars[j - 1] == " " || chars[j - 1] == "\t" {
                    var k = j - 1
                    while k >= 0, chars[k] == " " || chars[k] == "\t" { k -= 1 }
                    if k < 0 || chars[k] == ":" || chars[k] == "-" || chars[k] == "?" {
                        state = .block(indent: indent)
                    }
                }
            }
        }
        return out
    }

    /// The text after character `i` of a line (`chars` are its characters), trimmed: cut out of
    /// `raw` as a substring — the same characters as `String(chars[(i + 1)...])`.
    private static func commentText(_ raw: Substring, _ chars: [Character], after i: Int) -> String {
        var offset = 0
        for c in chars[...i] { offset += c.utf8.count }
        return trimmed(raw[raw.utf8.index(raw.startIndex, offsetBy: offset)...])
    }

    /// The lines of `text` as `text.split(separator: "\n", omittingEmptySubsequences: false)`
    /// (on characters) with a final CR dropped; on bytes when there is no CR (then every LF byte
    /// is a "\n" character of its own: a line feed never combines with what follows).
    static func splitLines(_ text: String) -> [Substring] {
        let u = text.utf8
        if u.contains(13) {
            return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
                line.hasSuffix("\r") ? line.dropLast() : line
            }
        }
        var out: [Substring] = []
        var start = u.startIndex
        var i = u.startIndex
        while i < u.endIndex {
            if u[i] == 10 {
                out.append(text[start..<i])
                start = u.index(after: i)
            }
            i = u.index(after: i)
        }
        out.append(text[start..<u.endIndex])
        return out
    }
}

/// What a comment says about a value's source: the FACTS sections it cites and whether it
/// says the value is an assumption.
public enum Citations {
    /// The FACTS.md sections a comment cites, in order of first appearance, without repeats:
    /// `§3` for `FACTS §3`, `add. §2` for `FACTS add. §2`, `add. §2` or `FACTS addendum §2`.
    /// A list continues a citation: `FACTS §0/§7`, `FACTS §0, §5, §6`, `FACTS §0 and §2`,
    /// `FACTS §3/add. §2`; a range counts each end (`FACTS §5–6`: `§5`, `§6`). Other `§`
    /// references are not FACTS sections (`§ 50`, `Barnets lov §156`, `MODEL.md §5.3`).
    public static func sections(in text: String) -> [String] {
        // No "§" (C2 A7) at all: nothing to find (most comments).
        guard text.utf8.contains(0xA7) else { return [] }
        let chars = Array(text)
        var out: [String] = []
        func add(_ s: String) { if !out.contains(s) { out.append(s) } }
        /// The end index (exclusive) of the previous FACTS citation's last number, if a chain may continue there.
        var chainEnd: Int? = nil
        var i = 0
        while i < chars.count {
            guard chars[i] == "§" else { i += 1; continue }
            // Digits after § (one optional space).
            var j = i + 1
            if j < chars.count, chars[j] == " " { j += 1 }
            let digitsStart = j
            while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
            guard j > digitsStart else { i += 1; continue }
            // A dotted sub-section (`MODEL.md §5.3`) is never a FACTS section.
            if j + 1 < chars.count, chars[j] == ".", chars[j + 1].isASCII, chars[j + 1].isNumber { i = j; chainEnd = nil; continue }
            let number = String(chars[digitsStart..<j])
            var rangeEnd: String? = nil
            var k = j
            if k < chars.count, chars[k] == "–" || chars[k] == "-" {
                var m = k + 1
                let s = m
                while m < chars.count, chars[m].isASCII, chars[m].isNumber { m += 1 }
                if m > s { rangeEnd = String(chars[s..<m]); k = m }
            }
            // What precedes the §: "FACTS", "add." / "addendum" (possibly after FACTS), or a list separator.
            let before = String(chars[max(0, i - 40)..<i])
            var head = Substring(before)
            while let last = head.last, last.isWhitespace { head = head.dropLast() }
            var addendum = false
            var isFacts = false
            if head.hasSuffix("add.") || head.hasSuffix("addendum") {
                addendum = true
                isFacts = true   // "add. §n" is the FACTS addendum by the library's convention
            } else if head.hasSuffix("FACTS") {
                isFacts = true
            } else if let end = chainEnd, end <= i {
                let between = trimmed(String(chars[end..<i]))
                isFacts = ["/", ",", "and", "og", "&", "or", "eller"].contains(between)
            }
            if isFacts {
                let prefix = addendum ? "add. §" : "§"
                add(prefix + number)
                if let r = rangeEnd, let a = Int(number), let b = Int(r), b > a, b - a <= 10 {
                    for n in (a + 1)...b { add(prefix + String(n)) }
                }
                chainEnd = k
            } else {
                chainEnd = nil
            }
            // A list of sections may also continue "…§3/add. §2": keep the chain open over "add.".
            i = k
        }
        return out
    }

    /// True when the comment says the value is an assumption: the word "assumption" outside
    /// double quotes (the library's headers say `or say "assumption:"`, which is not one).
    public static func saysAssumption(_ text: String) -> Bool {
        // Without a double quote (whose removal could join letters) and without "assumption" in
        // any ASCII case, the word cannot be there: lower-casing maps no other character to
        // these ASCII letters (only U+0130 İ → i + U+0307 and U+212A K → k reach ASCII at all).
        let u = text.utf8
        if !u.contains(UInt8(ascii: "\"")) && !containsASCIICaseInsensitive(u, "assumption") { return false }
        // Drop "…" spans (on one line), then look for the word.
        var unquoted = ""
        var inQuote = false
        for c in text {
            if c == "\n" { inQuote = false }
            if c == "\"" { inQuote.toggle(); continue }
            if !inQuote { unquoted.append(c) }
        }
        return containsWord(unquoted, "assumption", caseInsensitive: true) || containsWord(unquoted, "assumptions", caseInsensitive: true)
    }

    /// Whether the ASCII word `needle` (lower case) occurs in `bytes` in any ASCII case.
    static func containsASCIICaseInsensitive(_ bytes: String.UTF8View, _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        return needle.withUTF8Buffer { w -> Bool in
            let b = Array(bytes)
            guard b.count >= n else { return false }
            for start in 0...(b.count - n) {
                var matched = 0
                while matched < n {
                    var c = b[start + matched]
                    if c >= 65 && c <= 90 { c += 32 }
                    if c != w[matched] { break }
                    matched += 1
                }
                if matched == n { return true }
            }
            return false
        }
    }

    /// True when `word` occurs in `text` with no letter, digit or `_` right before or after it.
    public static func containsWord(_ text: String, _ word: String, caseInsensitive: Bool = false) -> Bool {
        guard !word.isEmpty else { return false }
        let hay = Array((caseInsensitive ? text.lowercased() : text).unicodeScalars)
        let needle = Array((caseInsensitive ? word.lowercased() : word).unicodeScalars)
        guard hay.count >= needle.count else { return false }
        func isWordChar(_ u: Unicode.Scalar) -> Bool { u.properties.isAlphabetic || ("0"..."9").contains(u) || u == "_" }
        func matches(at i: Int) -> Bool {
            for k in 0..<needle.count where hay[i + k] != needle[k] { return false }
            return true
        }
        var i = 0
        while i + needle.count <= hay.count {
            if hay[i] == needle[0], matches(at: i),
               i == 0 || !isWordChar(hay[i - 1]), i + needle.count == hay.count || !isWordChar(hay[i + needle.count]) {
                return true
            }
            i += 1
        }
        return false
    }
}

/// `s` without white space (spaces, tabs, line breaks) at either end; cheaper than Foundation's
/// `trimmingCharacters(in:)`, which the scanner would call for every line and sentence.
func trimmed<S: StringProtocol>(_ s: S) -> String {
    guard let first = s.firstIndex(where: { !$0.isWhitespace }) else { return "" }
    let last = s.lastIndex(where: { !$0.isWhitespace })!
    return String(s[first...last])
}
