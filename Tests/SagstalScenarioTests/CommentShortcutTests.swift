import Foundation
import Testing
@testable import SagstalScenario

/// The byte-level shortcuts of comment scanning and provenance (issue 15) against the
/// character-level code they replaced.
@Suite struct CommentShortcutTests {
    static let texts = [
        "", "one line", "two\nlines", "FACTS §3: 0.35\nassumption: the rest", "cr\r\nlf", "ends with\n", "\n\nleading",
        "æøå\nÆØÅ – § 50\n§3", "e\u{301}\n\u{301}combining after LF", "say \"assumption:\" in quotes", "ASSUMPTION here",
        "Assumptions, several", "no such word", "assumptionless", "K\u{212A} İstanbul", "see above", "see the table Above",
        "FACTS §0/§7 and add. §2; Barnets lov §156", "MODEL.md §5.3", "(a. B) c. D; e", "mio. kr. a year. Next",
    ]

    @Test func joinedLinesIsReplacingOccurrences() {
        for t in Self.texts {
            #expect(ValueSource.joinedLines(t) == t.replacingOccurrences(of: "\n", with: " "), "\(t)")
        }
    }

    @Test func splitLinesIsCharacterSplit() {
        for t in Self.texts + Self.texts.map({ $0.replacingOccurrences(of: "\n", with: "\r\n") }) {
            let reference = t.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
                line.hasSuffix("\r") ? line.dropLast() : line
            }
            #expect(CommentScanner.splitLines(t) == reference, "\(t)")
        }
    }

    @Test func saysAssumptionAsBefore() {
        func reference(_ text: String) -> Bool {
            var unquoted = ""
            var inQuote = false
            for c in text {
                if c == "\n" { inQuote = false }
                if c == "\"" { inQuote.toggle(); continue }
                if !inQuote { unquoted.append(c) }
            }
            return Citations.containsWord(unquoted, "assumption", caseInsensitive: true)
                || Citations.containsWord(unquoted, "assumptions", caseInsensitive: true)
        }
        for t in Self.texts + ["as\"x\"sumption", "ASSUMPT\u{130}ON", "assumpt\u{130}on"] {
            #expect(Citations.saysAssumption(t) == reference(t), "\(t)")
        }
    }

    @Test func sectionsWithoutParagraphSign() {
        #expect(Citations.sections(in: "no sections here, 3 and 4") == [])
        #expect(Citations.sections(in: "FACTS §0/§7 and add. §2") == ["§0", "§7", "add. §2"])
    }

    /// The old `ValueSource.sentences`, on an array of characters.
    @Test func sentencesAsBefore() {
        func reference(_ text: String) -> [String] {
            let chars = Array(text.replacingOccurrences(of: "\n", with: " "))
            var out: [String] = []
            var start = 0, depth = 0, i = 0
            func startsAssumption(_ k: Int) -> Bool {
                k + 10 <= chars.count && String(chars[k..<(k + 10)]).lowercased() == "assumption"
            }
            while i < chars.count {
                let c = chars[i]
                if c == "(" { depth += 1 } else if c == ")" { depth = max(0, depth - 1) }
                if depth == 0, c == "." || c == ";", i + 2 < chars.count, chars[i + 1] == " ",
                   chars[i + 2].isUppercase || startsAssumption(i + 2) || (c == ";" && chars[i + 2].isLetter) {
                    let s = trimmed(String(chars[start...i]))
                    if !s.isEmpty { out.append(s) }
                    start = i + 2
                    i += 2
                    continue
                }
                i += 1
            }
            let rest = trimmed(String(chars[min(start, chars.count)...]))
            if !rest.isEmpty { out.append(rest) }
            return out
        }
        for t in Self.texts + ["A. B. assumption. c; d; E. ", "Æ. Ø. (x. Y) z.\nNext. e\u{301}. F"] {
            #expect(ValueSource.sentences(t) == reference(t), "\(t)")
        }
    }
}
