import Foundation
import Testing
@testable import SagstalReport
import SagstalOutput
import SagstalStats

/// The scenario summary's expected lengths come from the run (Little's law), not from a step's
/// sojourn: a placement = placed child-years / placements started, a case = the mean end-of-month
/// open cases × the horizon's days / cases opened.
@Suite struct CaseLengthTests {
    @Test func placementAndCaseLengthsAreTheRunsLittlesLaw() throws {
        let run = try Fixture.run()
        let html = ReportParts.scenarioSummary(Fixture.scenario(), language: .en, run: run)
        let nf = ReportNumberFormatter(.en)
        func total(_ m: String) -> Double { run.totals[run.layout.totalsMetrics.firstIndex(of: m)!].mean! }
        let placement = total("placedChildYears") * 365.25 / total("placementsStarted")
        #expect(html.contains("A placement lasts \(nf.number(placement)) days on average"), "\(placement)")
        let open = try #require(run.monthlySeries("openCasesEnd")).map { $0.mean! }
        let caseLength = open.reduce(0, +) / Double(open.count) * Double(Fixture.years) * 365.25 / total("casesOpened")
        #expect(html.contains("A case is open for \(nf.number(caseLength)) days on average"), "\(caseLength)")
        let da = ReportParts.scenarioSummary(Fixture.scenario(), language: .da, run: run)
        #expect(da.contains("En sag er i gennemsnit åben i \(ReportNumberFormatter(.da).number(caseLength)) dage"))
        // Without a run (the scenario alone) neither is claimed.
        let alone = ReportParts.scenarioSummary(Fixture.scenario(), language: .en)
        #expect(!alone.contains("A case is open") && !alone.contains("A placement lasts"))
    }
}
