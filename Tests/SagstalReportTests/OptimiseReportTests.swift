import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SagstalOptimise
import SagstalOutput
import SagstalReport
import SagstalScenario
import SagstalStats
import Testing

/// report.html and the console summary of `sagstal optimise`, on a procedure fed by hand.
@Suite struct OptimiseReportTests {
    /// 3 caseworker counts × 2 caps of team east: the cost falls with caseworkers; the cap-25 row
    /// violates `overCapShare<=0.1`, so the chosen one is 11 caseworkers at cap 30.
    static func summary() throws -> OptimiseSummary {
        let grid = StaffingGrid(team: "east", caseworkers: ["9", "10", "11"], caps: ["25", "30"], capVaried: true)
        let c = MeanConstraint(metric: "overCapShare", sense: .atMost, threshold: 0.1, tolerance: 0.01)
        let p = ConstrainedSelection(systems: 6, constraints: [c], settings: SelectionSettings(delta: 1_000_000, n0: 4, maxReplications: 50))
        var j = 0
        while !p.isFinished {
            let noise = Double((j * 37) % 11) * 100_000
            try p.add(p.contenders.map { i in
                let (a, b) = (i / 2, i % 2)
                return Observation(objective: 100_000_000 - Double(a) * 5_000_000 + Double(b) * 300_000 + noise + Double((i * j) % 3) * 50_000,
                                   constraints: [b == 0 ? 0.3 + 0.01 * Double(j % 3) : 0.02 + 0.005 * Double(j % 2)])
            })
            j += 1
        }
        return OptimiseSummary(scenarioFile: "Scenarios/test.yaml", scenario: Fixture.scenario(), chosenScenario: Fixture.scenario(eastCaseworkers: 11),
                               grid: grid, objective: "cost.total", deltaIsDefault: true, result: p.snapshot(), tool: Fixture.tool,
                               eventsUsed: 12_345)
    }

    @Test func theReportIsWellFormedWithOneCellPerConfigurationAndTheChoiceMarked() throws {
        let s = try Self.summary()
        #expect(s.result.outcome.kind == .selected)
        #expect(s.result.outcome.chosen == 5)
        for language in [ReportLanguage.en, .da] {
            let html = OptimiseReport.html(s, language: language)
            guard let doc = XML.parse(html)?.rootElement() else { continue }
            let heat = XML.withClass("chart-heatmap", in: doc, element: "svg")
            #expect(heat.count == 1)
            guard let svg = heat.first else { continue }
            #expect(XML.withClass("cell", in: svg, element: "g").count == 6)
            #expect(XML.withClass("hatch", in: svg, element: "rect").count == 3, "the three cap-25 configurations are infeasible")
            #expect(XML.withClass("outline", in: svg, element: "g").count == 2, "chosen and runner-up")
            #expect(XML.withClass("legend", in: svg, element: "g").count == 1)
            #expect(XML.withClass("chart-line", in: doc, element: "svg").count == 1)
            #expect(XML.withClass("lowest", in: doc, element: "tr").count == 1)
        }
        let en = OptimiseReport.html(s, language: .en)
        #expect(en.contains("P(correct selection) ≥ 95 %"))
        #expect(en.contains("11 caseworkers, cap 30"))
    }

    @Test func theConsoleSummaryNamesTheChoiceTheGuaranteeTheRunnerUpAndTheSaving() throws {
        let s = try Self.summary()
        let text = OptimiseReport.console(s)
        #expect(text.contains("Chosen: 11 caseworkers, cap 30"))
        #expect(text.contains("P(correct selection) ≥ 95 %"))
        #expect(text.contains("Runner-up: "))
        #expect(text.contains("replications instead of 300 for the full grid at 50 each"))
        #expect(text.contains("infeasible at 4"))
        let da = OptimiseReport.console(s, language: .da)
        #expect(da.contains("Valgt: 11 socialrådgivere, loft 30"))
    }
}
