import Foundation
import Testing
import SagstalScenario

/// Issue 13: every `FACTS §n` / `FACTS add. §n` that a scenario file cites is a section of
/// docs/sources.md (the repository's own sources document, which keeps the historical "FACTS"
/// numbering), and no section of that document is empty.
@Suite struct SourcesCitationTests {
    /// One cited section, and where.
    struct Cite: CustomStringConvertible {
        let file: String
        let line: Int
        let section: String
        var description: String { "\(file):\(line): \(section)" }
    }

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sourcesPath = "docs/sources.md"

    static func read(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    /// The `*.yaml` files under Scenarios/, recursively, as paths relative to the root, sorted.
    static func scenarioFiles() -> [String] {
        let dir = root.appendingPathComponent("Scenarios")
        guard let e = FileManager.default.enumerator(atPath: dir.path) else { return [] }
        var out: [String] = []
        while let p = e.nextObject() as? String {
            if p.hasSuffix(".yaml") { out.append("Scenarios/" + p) }
        }
        return out.sorted()
    }

    /// The sections of docs/sources.md, from its `## §n …` and `## add. §n …` headings, in order.
    static func headings(_ text: String) -> [(section: String, line: Int)] {
        var out: [(String, Int)] = []
        for (n, raw) in text.components(separatedBy: "\n").enumerated() {
            guard raw.hasPrefix("## ") else { continue }
            let rest = raw.dropFirst(3)
            let add = rest.hasPrefix("add. §")
            let afterSign = add ? rest.dropFirst("add. §".count) : (rest.hasPrefix("§") ? rest.dropFirst() : nil)
            guard let a = afterSign else { out.append(("(no section number) " + raw, n + 1)); continue }
            let digits = a.prefix(while: { $0.isASCII && $0.isNumber })
            out.append((digits.isEmpty ? "(no section number) " + raw : (add ? "add. §" : "§") + digits, n + 1))
        }
        return out
    }

    /// The FACTS sections a comment cites, by the conventions of `Citations.sections(in:)`:
    /// a `§n` right after `FACTS`, `add.` or `addendum` (the last two: the addendum, `add. §n`),
    /// or continuing such a citation after `/`, `,`, `and`, `og`, `&`, `or`, `eller`; a range
    /// (`§5–6`) counts each number in it. In addition `§§ 5–6` and `§§ 5, 6` after `FACTS` or
    /// `add.` count each number. Dotted numbers (`MODEL.md §5.3`) and other `§` references
    /// (`§ 50`, `Barnets lov §156`) are not FACTS sections.
    static func cited(in text: String) -> [String] {
        let c = Array(text)
        var out: [String] = []
        func add(_ s: String) { if !out.contains(s) { out.append(s) } }
        func number(from start: Int) -> (String, Int)? {
            var m = start
            while m < c.count, c[m].isASCII, c[m].isNumber { m += 1 }
            return m > start ? (String(c[start..<m]), m) : nil
        }
        var chainEnd: Int? = nil
        var i = 0
        while i < c.count {
            guard c[i] == "§" else { i += 1; continue }
            var j = i + 1
            let double = j < c.count && c[j] == "§"
            if double { j += 1 }
            if j < c.count, c[j] == " " { j += 1 }
            guard case let (first, afterFirst)? = number(from: j) else { i = j; chainEnd = nil; continue }
            if afterFirst + 1 < c.count, c[afterFirst] == ".", c[afterFirst + 1].isASCII, c[afterFirst + 1].isNumber {
                i = afterFirst; chainEnd = nil; continue
            }
            var numbers = [first]
            var k = afterFirst
            while k < c.count {
                if c[k] == "–" || c[k] == "-", case let (last, end)? = number(from: k + 1) {
                    if let a = Int(numbers.last!), let b = Int(last), b > a, b - a <= 10 {
                        numbers += ((a + 1)...b).map(String.init)
                    }
                    k = end
                } else if double, c[k] == ",", case let (next, end)? = number(from: k + 1 < c.count && c[k + 1] == " " ? k + 2 : k + 1) {
                    numbers.append(next)
                    k = end
                } else {
                    break
                }
            }
            var head = Substring(String(c[max(0, i - 40)..<i]))
            while let last = head.last, last.isWhitespace { head = head.dropLast() }
            let addendum = head.hasSuffix("add.") || head.hasSuffix("addendum")
            var isFacts = addendum || head.hasSuffix("FACTS")
            if !isFacts, let end = chainEnd, end <= i {
                let between = String(c[end..<i]).trimmingCharacters(in: .whitespaces)
                isFacts = ["/", ",", "and", "og", "&", "or", "eller"].contains(between)
            }
            if isFacts {
                for n in numbers { add((addendum ? "add. §" : "§") + n) }
                chainEnd = k
            } else {
                chainEnd = nil
            }
            i = k
        }
        return out
    }

    /// Every citation in a file's comments (a YAML file: through the library's `CommentScanner`;
    /// docs/sources.md: every line). A comment that ends in `FACTS` or `add.` carries over to a
    /// next comment line that starts with `§` (`(FACTS` / `# §1's 5,880 notifications`).
    static func citations(in text: String, file: String, yaml: Bool) -> [Cite] {
        var comments: [(Int, String)] = []
        if yaml {
            let scanner = CommentScanner(text)
            for (n, line) in scanner.lines.enumerated() {
                switch line {
                case .comment(let t): comments.append((n + 1, t))
                case .content(trailing: let t?): comments.append((n + 1, t))
                default: break
                }
            }
        } else {
            comments = text.components(separatedBy: "\n").enumerated().map { ($0.offset + 1, $0.element) }
        }
        var out: [Cite] = []
        var previous: (line: Int, text: String)? = nil
        for (n, t) in comments {
            var scanned = t
            if let p = previous, p.line == n - 1, t.hasPrefix("§") {
                let tail = p.text.trimmingCharacters(in: .whitespaces)
                for word in ["FACTS add.", "FACTS addendum", "FACTS", "add.", "addendum"] where tail.hasSuffix(word) {
                    scanned = word + " " + t
                    break
                }
            }
            var sections = cited(in: scanned)
            for s in Citations.sections(in: t) where !sections.contains(s) { sections.append(s) }
            out += sections.map { Cite(file: file, line: n, section: $0) }
            previous = (n, t)
        }
        return out
    }

    @Test func theExtractorFollowsTheLibrarysConventions() {
        #expect(Self.cited(in: "FACTS §4: 470,000 kr.") == ["§4"])
        #expect(Self.cited(in: "(FACTS §0/§7, Aalborg's audit)") == ["§0", "§7"])
        #expect(Self.cited(in: "FACTS §0, §5, §6") == ["§0", "§5", "§6"])
        #expect(Self.cited(in: "FACTS §3/add. §2: breakdowns") == ["§3", "add. §2"])
        #expect(Self.cited(in: "FACTS addendum §2: 70 %") == ["add. §2"])
        #expect(Self.cited(in: "see add. §3 and FACTS §5–6") == ["add. §3", "§5", "§6"])
        #expect(Self.cited(in: "no measured value (FACTS §§ 5–6)") == ["§5", "§6"])
        #expect(Self.cited(in: "FACTS §§ 3, 5") == ["§3", "§5"])
        #expect(Self.cited(in: "a § 50 assessment; Barnets lov §156 stk. 5, formerly SEL §148") == [])
        #expect(Self.cited(in: "MODEL.md §5.3 and MODEL.md §§5.1, 5.2") == [])
        #expect(Self.cited(in: "FACTS §n; \"add. §n\" = addendum") == [])
        let carried = Self.citations(in: "a: 1 # (FACTS\n# §1's 5,880 notifications\n", file: "x.yaml", yaml: true)
        #expect(carried.map(\.section) == ["§1"])
        #expect(carried.first?.line == 2)
    }

    @Test func everyCitedSectionIsAHeadingOfTheSourcesDocument() throws {
        let doc = try Self.read(Self.sourcesPath)
        let sections = Set(Self.headings(doc).map(\.section))
        let files = Self.scenarioFiles()
        #expect(!files.isEmpty, "no *.yaml under Scenarios/")
        var cites: [Cite] = []
        for f in files {
            cites += Self.citations(in: try Self.read(f), file: f, yaml: true)
        }
        cites += Self.citations(in: doc, file: Self.sourcesPath, yaml: false)
        #expect(cites.count > 100, "expected the scenario library's many FACTS citations, found \(cites.count)")
        for c in cites {
            #expect(sections.contains(c.section),
                    "\(c.file):\(c.line) cites FACTS \(c.section), which is not a heading of \(Self.sourcesPath)")
        }
        let distinct = Set(cites.map(\.section))
        print("SourcesCitationTests: \(cites.count) citations in \(files.count) scenario files and \(Self.sourcesPath), \(distinct.count) distinct sections: \(distinct.sorted().joined(separator: ", "))")
    }

    @Test func everySectionOfTheSourcesDocumentHasAFigure() throws {
        let doc = try Self.read(Self.sourcesPath)
        let lines = doc.components(separatedBy: "\n")
        let heads = Self.headings(doc)
        #expect(heads.count >= 14, "docs/sources.md should have §0–§7 and add. §1–§6")
        for h in heads {
            #expect(!h.section.hasPrefix("(no section number)"),
                    "\(Self.sourcesPath):\(h.line): a heading without a section number: \(h.section)")
        }
        var seen: Set<String> = []
        for h in heads {
            #expect(seen.insert(h.section).inserted, "\(Self.sourcesPath):\(h.line): \(h.section) is a heading twice")
        }
        for (idx, h) in heads.enumerated() {
            let end = idx + 1 < heads.count ? heads[idx + 1].line - 1 : lines.count
            let body = lines[h.line..<end]   // the lines after the heading (h.line is 1-based)
            let hasFigure = body.contains { line in
                let t = line.trimmingCharacters(in: .whitespaces)
                return t.hasPrefix("- ") && t.contains(where: { $0.isASCII && $0.isNumber })
            }
            #expect(hasFigure, "\(Self.sourcesPath):\(h.line): section \(h.section) has no bullet with a figure")
        }
    }
}
