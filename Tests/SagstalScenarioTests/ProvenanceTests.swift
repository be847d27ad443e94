import Foundation
import Testing
@testable import SagstalScenario

/// Issue 10 part 5: the comment scanner and the `sources` of a resolved scenario.
@Suite struct CommentScannerTests {
    @Test func classifiesLinesAndFindsTrailingComments() {
        let text = """
        # header
        name: x   # the name

        a: 1
        b: "not # a comment"   # but this is
        c: 'it''s # still text' # this too
        d: value#not-a-comment
        e: [1, 2] # list
        """
        let c = CommentScanner(text)
        #expect(c.line(1) == .comment("header"))
        #expect(c.line(2) == .content(trailing: "the name"))
        #expect(c.line(3) == .blank)
        #expect(c.line(4) == .content(trailing: nil))
        #expect(c.trailing(5) == "but this is")
        #expect(c.trailing(6) == "this too")
        #expect(c.trailing(7) == nil)
        #expect(c.trailing(8) == "list")
        #expect(c.comment(forKeyOn: 2) == "header\nthe name")
        #expect(c.comment(forKeyOn: 4) == nil, "a blank line separates a comment from the key below it")
    }

    @Test func blockScalarsAndMultiLineQuotesHoldNoComments() {
        let text = """
        label: |
          # not a comment
          text
        # a comment
        other: "two
          # still in the string
          lines"
        last: 1   # yes
        """
        let c = CommentScanner(text)
        #expect(c.line(2) == .content(trailing: nil))
        #expect(c.line(4) == .comment("a comment"))
        #expect(c.line(6) == .content(trailing: nil))
        #expect(c.trailing(8) == "yes")
    }

    @Test func anApostropheInsidePlainTextDoesNotOpenAQuote() {
        let c = CommentScanner("label: Kim's course   # assumption: one\nnext: 2 # two\n")
        #expect(c.trailing(1) == "assumption: one")
        #expect(c.trailing(2) == "two")
    }

    @Test func directlyAboveStopsAtContentAndBlankLines() {
        let text = "a: 1\n# one\n# two\nb: 2\n\n# far\n\nc: 3\n"
        let c = CommentScanner(text)
        #expect(c.above(4) == ["one", "two"])
        #expect(c.above(8) == [])
    }
}

@Suite struct CitationTests {
    @Test func factsSectionsIncludingListsRangesAndTheAddendum() {
        #expect(Citations.sections(in: "FACTS §4: 470,000 kr.") == ["§4"])
        #expect(Citations.sections(in: "(FACTS §0/§7, Aalborg's audit)") == ["§0", "§7"])
        #expect(Citations.sections(in: "FACTS §0, §5, §6") == ["§0", "§5", "§6"])
        #expect(Citations.sections(in: "FACTS §0 and §2") == ["§0", "§2"])
        #expect(Citations.sections(in: "FACTS §3/add. §2: breakdowns") == ["§3", "add. §2"])
        #expect(Citations.sections(in: "FACTS add. §5 (VIVE)") == ["add. §5"])
        #expect(Citations.sections(in: "FACTS addendum §2: 70 %") == ["add. §2"])
        #expect(Citations.sections(in: "see add. §3 and FACTS §5–6") == ["add. §3", "§5", "§6"])
        #expect(Citations.sections(in: "FACTS §1, 2023 and FACTS §1 again") == ["§1"])
    }

    @Test func otherParagraphSignsAreNotFactsSections() {
        #expect(Citations.sections(in: "a § 50 assessment; Barnets lov §156 stk. 5, formerly SEL §148") == [])
        #expect(Citations.sections(in: "MODEL.md §5.3 and MODEL.md §1") == [])
        #expect(Citations.sections(in: "FACTS §n; \"add. §n\" = addendum") == [])
    }

    @Test func assumptionIsTheWordOutsideQuotes() {
        #expect(Citations.saysAssumption("assumption: a guess"))
        #expect(Citations.saysAssumption("Method multipliers — assumption, the network way"))
        #expect(Citations.saysAssumption("capShare 0.5 is an assumption (DS gives no figure)"))
        #expect(!Citations.saysAssumption("Values cite FACTS.md (FACTS §n) or say \"assumption:\"."))
        #expect(!Citations.saysAssumption("FACTS §4: 470,000 kr."))
    }
}

@Suite struct ProvenanceTests {
    func sources(_ loaded: LoadedScenario) -> [String: ValueSource] {
        Dictionary(loaded.sources.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    }

    static let base = """
    # header of the base
    name: Base
    ladder:
      - id: help
        name: Help
        costPerYear: 60000     # FACTS §4: 60,000 kr. a year
        duration: {dist: gamma, mean: 300, sd: 150}   # assumption: durations are NF (FACTS §3)
    caseload:
      # assumption: THE HYPOTHESIS. FACTS §5/§6 have only before/after evidence.
      elasticity: {escalate: 0.3, deescalate: 0.2}
      reference: 40
    teams:
      # FACTS §0: three teams of the department
      - {id: a, caseworkers: 4, cap: 40}
      - {id: b, caseworkers: 5, cap: 40, method: {escalate: 0.9}}   # a note without a source
      - {id: c, caseworkers: 6, cap: 30}
    staff:
      costPerYear: 500000
      changes:
        # Pilot date. FACTS §0: the pilot. Method multipliers — assumption: as Herning's.
        - {at: 2026-01-01, team: a, cap: 20, method: {escalate: 0.95}}
        # Rollout. FACTS §0: whole department
        - {at: 2027-01-01, team: b, cap: 25}
        - {at: 2027-01-01, team: c, cap: 25}

    """

    static let over = """
    name: Over
    extends: base.yaml
    caseload:
      elasticity: {escalate: 0.5}   # assumption: stronger than the base
    """

    @Test func everyValueHasItsSourceThroughTheExtendsChain() throws {
        let dir = try TempDir()
        defer { dir.cleanUp() }
        try dir.write("base.yaml", Self.base)
        let path = try dir.write("over.yaml", Self.over)
        let loaded = try ScenarioLoader.load(path: path)
        let s = sources(loaded)
        let basePath = dir.path + "/base.yaml"

        // The file that set the value wins: escalate from over.yaml, deescalate from the base.
        let esc = try #require(s["caseload.elasticity.escalate"])
        #expect(esc.kind == .assumption && esc.value == .number(0.5) && esc.file == path && esc.line == 4)
        #expect(esc.comment == "assumption: stronger than the base")
        let de = try #require(s["caseload.elasticity.deescalate"])
        #expect(de.kind == .assumption && de.file == basePath && de.line == 10 && de.sections == ["§5", "§6"])
        #expect(de.value == .number(0.2))
        // A value no file sets is a default.
        #expect(s["caseload.elasticity.close"]?.kind == .default)
        #expect(s["caseload.elasticity.close"]?.file == nil)
        #expect(s["teams.a.method.escalate"]?.kind == .default)
        // The trailing comment, and the comment above a key in a mapping without one of its own.
        #expect(s["ladder.help.costPerYear"]?.kind == .facts)
        #expect(s["ladder.help.costPerYear"]?.sections == ["§4"])
        #expect(s["ladder.help.duration.mean"]?.kind == .assumption)
        // Set by a file with no comment anywhere above it.
        #expect(s["caseload.reference"]?.kind == .undocumented)
        #expect(s["caseload.reference"]?.line == 11)
        #expect(s["staff.costPerYear"]?.kind == .undocumented)
        // A list's comment block covers the following items until one has its own.
        #expect(s["teams.a.cap"]?.kind == .facts && s["teams.a.cap"]?.line == 14)
        #expect(s["teams.c.cap"]?.kind == .facts && s["teams.c.cap"]?.comment == "FACTS §0: three teams of the department")
        #expect(s["teams.b.method.escalate"]?.kind == .comment)
        #expect(s["teams.b.method.escalate"]?.comment == "a note without a source")
        // Dated changes by index; the third change takes the rollout comment.
        #expect(s["staff.changes.0.method.escalate"]?.kind == .assumption)
        #expect(s["staff.changes.2.cap"]?.comment == "Rollout. FACTS §0: whole department")
        #expect(s["staff.changes.2.cap"]?.kind == .facts)
        // ids are paths, not values.
        #expect(s["teams.a.id"] == nil && s["ladder.help.id"] == nil)
        #expect(s["name"]?.value == .text("Over"))
    }

    @Test func anOverrideIsItsOwnSourceAndReplacesTheFilesComment() throws {
        let dir = try TempDir()
        defer { dir.cleanUp() }
        try dir.write("base.yaml", Self.base)
        let path = try dir.write("over.yaml", Self.over)
        let loaded = try ScenarioLoader.load(path: path, overrides: ["teams.0.cap=25", "caseload.elasticity={escalate: 0, close: 0}"])
        let s = sources(loaded)
        #expect(s["teams.a.cap"] == ValueSource(path: "teams.a.cap", value: .integer(25), kind: .override,
                                                 comment: "teams.0.cap=25", file: "<--set>", line: 1))
        #expect(s["caseload.elasticity.escalate"]?.kind == .override)
        #expect(s["caseload.elasticity.escalate"]?.line == 2)
        // The override replaced the whole map: deescalate is now a default.
        #expect(s["caseload.elasticity.deescalate"]?.kind == .default)
        #expect(loaded.overrides == ["teams.0.cap=25", "caseload.elasticity={escalate: 0, close: 0}"])
    }

    @Test func theReasonIsTheSentenceThatSaysAssumptionAboutTheKey() throws {
        let dir = try TempDir()
        defer { dir.cleanUp() }
        let path = try dir.write("base.yaml", Self.base)
        let s = sources(try ScenarioLoader.load(path: path))
        let method = try #require(s["staff.changes.0.method.escalate"])
        #expect(method.reason() == "Method multipliers — assumption: as Herning's.")
        #expect(s["caseload.elasticity.escalate"]?.reason() == "assumption: THE HYPOTHESIS.")
        #expect(s["ladder.help.costPerYear"]?.reason() == "FACTS §4: 60,000 kr. a year")
        #expect(ValueSource(path: "x", value: .null, kind: .facts, comment: String(repeating: "FACTS §1 a ", count: 40)).reason(maxLength: 20).count == 20)
    }

    @Test func anAssumptionAboutASiblingKeyLeavesTheOthersSourced() throws {
        let yaml = minimalYAML + """
        staff:
          # FACTS add. §5: 12 % left in half a year.
          # overloadElasticity — assumption: overload raises turnover.
          turnover: {perYear: 0.26, overloadElasticity: 1.0}
          # FACTS §5: about 6 months; capShare 0.5 is an assumption (DS gives no figure)
          rampUp: {days: 182.6, capShare: 0.5}

        """
        let s = sources(try ScenarioLoader.load(yaml: yaml))
        #expect(s["staff.turnover.perYear"]?.kind == .facts)
        #expect(s["staff.turnover.overloadElasticity"]?.kind == .assumption)
        #expect(s["staff.rampUp.days"]?.kind == .facts)
        #expect(s["staff.rampUp.capShare"]?.kind == .assumption)
        #expect(s["staff.rampUp.days"]?.sections == ["§5"])
    }

    @Test func theLibraryFilesDocumentTheirKeyAssumptions() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let loaded = try ScenarioLoader.load(path: root.appendingPathComponent("Scenarios/broenderslev-varige-spor.yaml").path)
        let s = sources(loaded)
        for k in ["escalate", "deescalate", "close", "duration"] {
            let e = try #require(s["caseload.elasticity.\(k)"])
            #expect(e.kind == .assumption && e.file?.hasSuffix("base/denmark.yaml") == true, "\(k): \(e)")
            #expect(e.sections.contains("§5") && e.sections.contains("§6"))
        }
        let pilot = try #require(s["staff.changes.0.method.escalate"])
        #expect(pilot.kind == .assumption && pilot.file?.hasSuffix("broenderslev-varige-spor.yaml") == true)
        #expect(pilot.reason().hasPrefix("Method multipliers — assumption"))
        #expect(s["ladder.foster.costPerYear"]?.kind == .facts && s["ladder.foster.costPerYear"]?.sections == ["§4"])
        // The pilot team's third change (cap 25) takes the rollout comment above the change before it.
        #expect(s["staff.changes.2.cap"]?.comment.hasPrefix("Rollout date.") == true)
        // Every value of the resolved scenario has one source, in its order.
        #expect(Set(loaded.sources.map(\.path)).count == loaded.sources.count)
        #expect(loaded.sources.first?.path == "name")
    }
}
