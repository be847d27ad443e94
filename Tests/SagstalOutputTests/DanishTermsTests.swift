import Foundation
import Testing
import SagstalOutput

/// docs/danish-terms.md is the one table of the Danish terms: no string in the sources uses a
/// form its last column refuses, and the metric labels use its terms.
@Suite struct DanishTermsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// Lists Danish words a user may type, in order to recognise and refuse them (not labels).
    static let exempt: Set<String> = ["NumberHabits.swift"]

    /// The refused forms: the table's third column, split at ";", without a parenthetical note.
    static func refusedForms() throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/danish-terms.md"), encoding: .utf8)
        var forms: [String] = []
        for line in text.split(separator: "\n") where line.hasPrefix("| ") && !line.hasPrefix("| ---") && !line.hasPrefix("| English") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4 else { continue }
            for form in cells[3].split(separator: ";") {
                let bare = form.components(separatedBy: " (")[0].trimmingCharacters(in: .whitespaces)
                if !bare.isEmpty { forms.append(bare) }
            }
        }
        return forms
    }

    @Test func theTableListsRefusedForms() throws {
        let forms = try Self.refusedForms()
        #expect(forms.count >= 15 && forms.contains("Anbringelser startet") && forms.contains("overløb") && forms.contains("horisonten"))
    }

    @Test func noSourceStringUsesARefusedForm() throws {
        let forms = Array(Set(try Self.refusedForms().map { $0.lowercased() })).sorted()
        let literal = try NSRegularExpression(pattern: #""(?:[^"\\]|\\.)*""#)
        var found: [String] = []
        let files = FileManager.default.enumerator(at: Self.root.appendingPathComponent("Sources"), includingPropertiesForKeys: nil)!
        for case let url as URL in files where url.pathExtension == "swift" && !Self.exempt.contains(url.lastPathComponent) {
            let text = try String(contentsOf: url, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let s = String(line)
                if s.trimmingCharacters(in: .whitespaces).hasPrefix("//") { continue }
                for m in literal.matches(in: s, range: NSRange(s.startIndex..., in: s)) {
                    let lit = String(s[Range(m.range, in: s)!]).lowercased()
                    for form in forms where lit.contains(form) {
                        found.append("\(url.lastPathComponent):\(n + 1): '\(form)' in \(lit)")
                    }
                }
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    @Test func metricLabelsUseTheTableTerms() {
        #expect(Localizer.metric("placementsStarted", .da) == "Nye anbringelser")
        #expect(Localizer.metric("placedChildYears", .da) == "Helårsanbringelser")
        #expect(Localizer.metric("waitingMean", .da) == "Børn der venter på at få en socialrådgiver (gns.)")
        #expect(Localizer.metric("leavers", .da) == "Fratrådte socialrådgivere")
        #expect(Localizer.metric("casesOpened", .da) == "Oprettede sager")
        #expect(Localizer.metric("deadlineBreaches", .da) == "Børnefaglige undersøgelser over fristen")
        #expect(Localizer.metric("team.unge.waitingMean", .da, stepNames: ["team:unge": "UngeCenter"])
                == "UngeCenter: børn der venter på en socialrådgiver (gns.)")
    }
}
