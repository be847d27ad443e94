import Foundation
import Testing
@testable import SagstalReport
import SagstalOutput
import SagstalScenario
import SagstalStats

/// Issue 10 part 5: the Key assumptions box (`KeyAssumptions`, `AssumptionsBox`).
@Suite struct AssumptionsBoxTests {
    static func scenario(_ escalate: Double = 0.8, method: Double? = nil, change: Bool = false) -> Scenario {
        var s = Fixture.scenario()
        s.caseload.elasticity = Elasticities(escalate: escalate, deescalate: 0.5, close: 0.3, duration: 0.2)
        if let method { s.teams[0].method = MethodMultipliers(escalate: method) }
        if change {
            s.staff.changes.append(StaffChange(at: CalendarDate(year: 2027, month: 1, day: 1), team: "west",
                                               method: MethodChange(escalate: 0.95, deescalate: 1.05)))
        }
        s.followUps = [FollowUp(id: "tilsyn", name: "Tilsynsbesøg", steps: ["foster"], elasticity: 0.8)]
        return s
    }

    static let assumption = ValueSource(path: "caseload.elasticity.escalate", value: .number(0.8), kind: .assumption, sections: ["§5", "§6"],
                                        comment: "assumption: THE HYPOTHESIS UNDER TEST (MODEL.md §1), not a measured effect. FACTS §5/§6 <&>",
                                        file: "Scenarios/base/denmark.yaml", line: 168)

    static func sources(_ escalate: ValueSource = assumption) -> [ValueSource] {
        [escalate,
         ValueSource(path: "teams.east.method.escalate", value: .number(0.9), kind: .assumption,
                     comment: "assumption: Signs of Safety / network meetings (FACTS §0)", file: "Scenarios/x.yaml", line: 12),
         ValueSource(path: "teams.west.method.escalate", value: .number(1), kind: .default),
         ValueSource(path: "caseload.reference", value: .number(30), kind: .facts, sections: ["§5"],
                     comment: "FACTS §5: Danish average about 30", file: "Scenarios/x.yaml", line: 3)]
    }

    @Test func oneScenarioShowsItsKeyAssumptionsWithTheirSources() throws {
        let a = KeyAssumptions(scenarios: [Self.scenario(method: 0.9, change: true)], names: ["x"], sources: [Self.sources()],
                               overrides: ["caseload.elasticity.close=0.3"])
        let labels = a.rows.map(\.label)
        #expect(labels.prefix(5) == [.reference, .elasticity("escalate"), .elasticity("deescalate"), .elasticity("close"), .elasticity("duration")])
        #expect(labels.contains(.followUp("Tilsynsbesøg")) && labels.contains(.overloadTurnover))
        #expect(labels.contains(.teamMethod("east")) && labels.contains(.teamsWithoutMethod(["west"])))
        #expect(labels.contains(.methodChange(at: "2027-01-01", team: "west")))
        #expect(labels.last == .path("caseload.elasticity.close"))
        let east = try #require(a.rows.first { $0.label == .teamMethod("east") })
        #expect(east.values == [.multipliers([KeyAssumptions.Multiplier(name: "escalate", value: 0.9)])])
        #expect(east.sources.first??.kind == .assumption)

        let html = AssumptionsBox.html(a, language: .en)
        #expect(XML.parse("<div>" + html + "</div>") != nil, "well-formed")
        #expect(html.contains("<h2 style=\"margin-top: 6px;\">Key assumptions</h2>"))
        #expect(html.contains("assumption: THE HYPOTHESIS UNDER TEST (MODEL.md §1), not a measured effect."))
        #expect(html.contains("(FACTS §5, §6)") && html.contains("denmark.yaml:168"))
        #expect(html.contains("FACTS §5</span>"), "a facts source is tagged with its sections")
        #expect(html.contains("FACTS §5/§6 &lt;&amp;&gt;"), "the full comment, escaped, in the title")
        #expect(html.contains("escalate × 0.9"))
        #expect(html.contains("<code>caseload.elasticity.close=0.3</code>"))
        #expect(html.contains("rowspan=\""), "the elasticities share their source cell")
        #expect(!html.contains("#fff1c2"), "nothing to highlight with one scenario")

        let da = AssumptionsBox.html(a, language: .da)
        #expect(da.contains("Centrale antagelser") && da.contains("antagelse") && da.contains("optrapning × 0,9"))
        #expect(da.contains("Sagstallets effekter") && da.contains("Ændret på kommandolinjen"))
    }

    @Test func aComparisonHasAColumnPerScenarioAndHighlightsWhatDiffers() throws {
        let zero = ValueSource(path: "caseload.elasticity.escalate", value: .number(0), kind: .override,
                               comment: "caseload.elasticity.escalate=0", file: "<--set>", line: 1)
        let a = KeyAssumptions(scenarios: [Self.scenario(), Self.scenario(0, method: 0.9, change: true)], names: ["before", "after"],
                               sources: [Self.sources(), Self.sources(zero)], overrides: [])
        let escalate = try #require(a.rows.first { $0.label == .elasticity("escalate") })
        #expect(escalate.differs && escalate.values == [.number(0.8), .number(0)])
        #expect(!(a.rows.first { $0.label == .elasticity("deescalate") }!.differs))
        let change = try #require(a.rows.first { $0.label == .methodChange(at: "2027-01-01", team: "west") })
        #expect(change.values[0] == .absent && change.differs)
        let html = AssumptionsBox.html(a, language: .en)
        #expect(XML.parse("<div>" + html + "</div>") != nil)
        #expect(html.contains("Test kommune &lt;A &amp; B&gt;<br/><span style=\"font-weight: 400; color: #4a4a4a;\">before</span>"))
        #expect(html.contains("<td style=\"background: #fff1c2; font-weight: 650;\">0.8</td><td style=\"background: #fff1c2; font-weight: 650;\">0</td>"))
        #expect(html.contains("no change"))
        #expect(html.contains("<strong>before</strong>: ") && html.contains("<strong>after</strong>: "), "sources per scenario where they differ")
        #expect(html.contains("Highlighted"))
        let console = AssumptionsBox.console(a, language: .en)
        #expect(console.contains("caseload effect: before: escalate 0.8, deescalate 0.5, close 0.3, duration 0.2 at reference 30 children; after: escalate 0,"))
        #expect(console.contains("method from 2027-01-01, west: escalate × 0.95, deescalate × 1.05 (only after) — no source"))
        #expect(console.split(separator: "\n").count <= 8)
    }

    @Test func aSweepShowsTheVariedValuesInTheirRow() throws {
        let a = KeyAssumptions(scenarios: [Self.scenario()], names: ["x"], sources: [Self.sources()], overrides: ["simulation.replications=50"],
                               varied: [.init(path: "caseload.elasticity.escalate", values: ["0", "0.4", "0.8"]),
                                        .init(path: "teams.east.cap", values: ["20", "25"])])
        let escalate = try #require(a.rows.first { $0.label == .elasticity("escalate") })
        #expect(escalate.values == [.text("0, 0.4, 0.8")] && escalate.sources[0]?.file == "<--vary>")
        #expect(a.rows.last?.label == .path("teams.east.cap") && a.rows.last?.group == .varied)
        let html = AssumptionsBox.html(a, language: .en)
        #expect(XML.parse("<div>" + html + "</div>") != nil)
        #expect(html.contains("--vary</span> <code>caseload.elasticity.escalate=0,0.4,0.8</code>"))
    }

    @Test func everyReportHasTheBoxAtTheTop() throws {
        let run = try Fixture.run()
        var metadata = Fixture.metadata(run)
        metadata.sources = Self.sources()
        let html = RunReport.html(run: run, scenario: Self.scenario(), metadata: metadata, resolvedYAML: "x: 1", language: .en)
        let box = try #require(html.range(of: "class=\"assumptions\""))
        #expect(box.lowerBound < html.range(of: "class=\"summary\"")!.lowerBound)
        #expect(html.contains("denmark.yaml:168"))

        let c = try Fixture.comparison()
        var info = c.info
        info.sources = [Self.sources(), Self.sources()]
        let compare = ComparisonReport.html(pairs: [c.pair], runs: c.runs, scenarios: [Self.scenario(), Self.scenario(0.3)], info: info,
                                            language: .da)
        #expect(compare.contains("Centrale antagelser") && compare.contains("#fff1c2"))
        #expect(compare.range(of: "class=\"assumptions\"")!.lowerBound < compare.range(of: "class=\"summary\"")!.lowerBound)
        // The title names the scenarios (their `name:`), the files are secondary.
        #expect(compare.contains("<h1>More staff &amp; co sammenlignet med Base &lt;1&gt;</h1>"))
        #expect(compare.contains("<h3>More staff &amp; co − Base &lt;1&gt;</h3>"))

        let sweep = SweepReport.html(paths: ["teams.east.cap"], points: [["20"], ["25"]], runs: [run, run],
                                     scenarios: [Self.scenario(), Self.scenario()], lowest: 0, language: .en, sources: Self.sources())
        #expect(sweep.contains("Key assumptions") && sweep.contains("<code>teams.east.cap=20,25</code>"))
    }
}
