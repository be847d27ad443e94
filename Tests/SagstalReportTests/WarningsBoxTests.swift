import Foundation
import Testing
@testable import SagstalReport
import SagstalOutput
import SagstalScenario
import SagstalStats

/// The Warnings box of report.html (docs/plausibility.md): shown in run, compare and sweep
/// reports when there are warnings, in the report's language, escaped; absent otherwise.
@Suite struct WarningsBoxTests {
    static let warning = OutputWarning(file: "Scenarios/x.yaml", line: 7, column: 45, keyPath: "teams.a.share",
                                       message: "the shares of the teams covering ages 0–18 sum to 0.5 (a) + 0.4 (b) = 0.9, not 1 <&>",
                                       suggestion: "make the shares of these teams sum to 1; see docs/plausibility.md")

    @Test(arguments: ReportLanguage.allCases)
    func runReportShowsTheWarnings(_ language: ReportLanguage) throws {
        let run = try Fixture.run()
        var metadata = Fixture.metadata(run)
        metadata.warnings = [Self.warning]
        let html = RunReport.html(run: run, scenario: Fixture.scenario(), metadata: metadata, resolvedYAML: "x: 1", language: language)
        #expect(XML.parse(html) != nil)
        #expect(html.contains(language == .da ? "Advarsler (1)" : "Warnings (1)"))
        #expect(html.contains("Scenarios/x.yaml:7:45"))
        #expect(html.contains("teams.a.share"))
        #expect(html.contains("= 0.9, not 1 &lt;&amp;&gt;"))
        #expect(html.contains("docs/plausibility.md"))
        let plain = RunReport.html(run: run, scenario: Fixture.scenario(), metadata: Fixture.metadata(run), resolvedYAML: "x: 1",
                                   language: language)
        #expect(!plain.contains("class=\"warnings\""))
    }

    @Test func comparisonAndSweepReportsShowTheWarnings() throws {
        var (pair, runs, info) = try Fixture.comparison()
        info.warnings = [Self.warning]
        let scenarios = [Fixture.scenario(name: "Base <1>"), Fixture.scenario(name: "More staff & co", eastCaseworkers: 12)]
        let compare = ComparisonReport.html(pairs: [pair], runs: runs, scenarios: scenarios, info: info, language: .en)
        #expect(XML.parse(compare) != nil)
        #expect(compare.contains("Warnings (1)") && compare.contains("teams.a.share"))
        let sweepRuns = try (0..<2).map { try Fixture.run(salt: Double($0)) }
        let sweep = SweepReport.html(paths: ["teams.east.cap"], points: [["15"], ["20"]], runs: sweepRuns,
                                     scenarios: [Fixture.scenario(), Fixture.scenario()], lowest: 0, language: .da,
                                     tool: Fixture.tool, warnings: [Self.warning])
        #expect(XML.parse(sweep) != nil)
        #expect(sweep.contains("Advarsler (1)") && sweep.contains("teams.a.share"))
    }
}
