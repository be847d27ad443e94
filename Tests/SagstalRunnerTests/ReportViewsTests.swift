import Foundation
import Testing
@testable import SagstalReport
import SagstalOutput
import SagstalRunner
import SagstalScenario
import SagstalStats

/// The report's views of issue 13 on small real runs: per-team caseload and waiting, staff,
/// cards with their trend, the budget-year table and its CSV files, and compare's cost stacks,
/// service cards and verdicts. Every check compares a number in the view with the run's own
/// statistics.
@Suite struct ReportViewsTests {
    /// The runner test scenario (three teams, caps in families of 1.25 children, a follow-up),
    /// shortened: 2 years, 4 replications.
    static let overrides = ["simulation.years=2", "simulation.replications=4"]

    static func run(_ extra: [String] = [], language: ReportLanguage = .en, dialect: CSVDialect = .standard) throws -> (RunResult, URL) {
        let loaded = try ScenarioLoader.load(yaml: testScenarioYAML, file: "runner-test.yaml", overrides: overrides + extra)
        let dir = temporaryDirectory().appendingPathComponent("out")
        let result = try RunJob.run(loaded, output: dir, jobs: 2, language: language, dialect: dialect)
        return (result, dir)
    }

    static func text(_ dir: URL, _ file: String) throws -> String {
        try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
    }

    /// The `<svg>` of the figure captioned `caption` (nil when there is none).
    static func figure(_ html: String, caption: String) -> String? {
        guard let r = html.range(of: "<figcaption>\(HTML.esc(caption))</figcaption>") else { return nil }
        guard let end = html.range(of: "</figure>", range: r.upperBound..<html.endIndex) else { return nil }
        return String(html[r.upperBound..<end.lowerBound])
    }

    static func count(_ needle: String, in s: String) -> Int { s.components(separatedBy: needle).count - 1 }

    static func close(_ a: Double?, _ b: Double?, _ tol: Double = 1e-9) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return Swift.abs(a - b) <= tol * max(1, Swift.abs(a), Swift.abs(b))
    }

    /// The `data-values` of the sparkline in the card of `metric`.
    static func sparkValues(_ html: String, metric: String) throws -> [Double?] {
        let start = try #require(html.range(of: "data-metric=\"\(metric)\""))
        let v = try #require(html.range(of: "data-values=\"", range: start.upperBound..<html.endIndex))
        let end = try #require(html.range(of: "\"", range: v.upperBound..<html.endIndex))
        return html[v.upperBound..<end.lowerBound].split(separator: " ", omittingEmptySubsequences: false).map { Double($0) }
    }

    @Test(arguments: ReportLanguage.allCases)
    func perTeamCaseloadInFamiliesAndWaiting(language: ReportLanguage) throws {
        let (result, dir) = try Self.run(language: language)
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let html = try Self.text(dir, "report.html")
        let scenario = try ScenarioLoader.load(yaml: testScenarioYAML, file: "x.yaml", overrides: Self.overrides).scenario
        let w = TeamAndStaffCharts.Words.of(language, childrenPerFamily: ReportNumberFormatter(language).compact(1.25))
        let caseload = try #require(Self.figure(html, caption: w.caseloadPerTeam))
        #expect(Self.count("data-series=", in: caseload) == 3)
        for team in scenario.teams { #expect(caseload.contains("data-series=\"\(HTML.esc(team.name))\"")) }
        #expect(caseload.contains(w.familiesAxis))
        // The note on families, under the department's caseload chart and the per-team one.
        #expect(Self.count(HTML.esc(w.familiesNote), in: html) == 2 && w.familiesNote.contains(language == .da ? "1,25" : "1.25"))
        // Families = children / childrenPerFamily, month by month, mean and band.
        let series = TeamAndStaffCharts.teamCaseloadSeries(run: result.run, scenario: scenario)
        #expect(series.count == 3)
        let children = try #require(result.run.monthlySeries("team.a.caseloadMean"))
        for m in [0, 11, 23] {
            #expect(Self.close(series[0].y[m], children[m].mean.map { $0 / 1.25 }))
            #expect(Self.close(series[0].upper?[m] ?? nil, children[m].p95.map { $0 / 1.25 }))
        }
        let waiting = try #require(Self.figure(html, caption: w.waitingPerTeam))
        #expect(Self.count("data-series=", in: waiting) == 3)
        let ws = TeamAndStaffCharts.teamSeries(run: result.run, scenario: scenario, metric: "waitingMean")
        let b = try #require(result.run.monthlySeries("team.b.waitingMean"))
        #expect(ws[2].y == b.map(\.mean))
    }

    @Test func singleTeamFoldsIntoTheDepartmentCharts() throws {
        let loaded = try ScenarioLoader.load(yaml: breakEvenBaseline, file: "a.yaml", overrides: ["simulation.replications=2"])
        let dir = temporaryDirectory().appendingPathComponent("out")
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        _ = try RunJob.run(loaded, output: dir, jobs: 1)
        let html = try Self.text(dir, "report.html")
        let w = TeamAndStaffCharts.Words.of(.en, childrenPerFamily: "1")
        #expect(Self.figure(html, caption: w.caseloadPerTeam) == nil)
        #expect(Self.figure(html, caption: w.filledPerTeam) == nil)
        #expect(Self.figure(html, caption: Localizer.strings(.en).caseloadOverTime) != nil)
        #expect(Self.figure(html, caption: w.staffOverTime) != nil)
    }

    @Test(arguments: ReportLanguage.allCases)
    func staffView(language: ReportLanguage) throws {
        let (result, dir) = try Self.run(language: language)
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let html = try Self.text(dir, "report.html")
        let w = TeamAndStaffCharts.Words.of(language, childrenPerFamily: ReportNumberFormatter(language).compact(1.25))
        let positions = try #require(Self.figure(html, caption: w.staffOverTime))
        #expect(Self.count("data-series=", in: positions) == 2)
        let series = TeamAndStaffCharts.positionSeries(run: result.run, words: w)
        let filled = try #require(result.run.monthlySeries("caseworkersMean"))
        let vacancy = try #require(result.run.monthlySeries("vacancyYears"))
        #expect(series[0].y == filled.map(\.mean))
        for m in vacancy.indices { #expect(Self.close(series[1].y[m], vacancy[m].mean.map { $0 * 12 })) }
        // Vacant + filled positions ≈ the positions of the scenario (8, 9 from July 2026, 10 from 2027).
        #expect(Self.close((series[0].y[23] ?? 0) + (series[1].y[23] ?? 0), 10, 1e-6))
        let bars = try #require(Self.figure(html, caption: w.leaversHires))
        #expect(Self.count("data-series=", in: bars) == 2 && Self.count("class=\"bar\"", in: bars) >= 2)
        let lh = TeamAndStaffCharts.leaverHireSeries(run: result.run, words: w)
        #expect(lh[0].values == result.run.yearlySeries("leavers")!.map(\.mean))
        #expect(lh[1].values == result.run.yearlySeries("hires")!.map(\.mean))
        let perTeam = try #require(Self.figure(html, caption: w.filledPerTeam))
        #expect(Self.count("data-series=", in: perTeam) == 3)
    }

    @Test(arguments: ReportLanguage.allCases)
    func runCardsShowTheLastYearAndASparkline(language: ReportLanguage) throws {
        let (result, dir) = try Self.run(language: language)
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let html = try Self.text(dir, "report.html")
        let nf = ReportNumberFormatter(language)
        for m in ["placementsStarted", "cost.total", "caseloadFamiliesMean", "waitDaysMean"] {
            let yearly = try #require(result.run.yearlySeries(m)).map(\.mean)
            let drawn = try Self.sparkValues(html, metric: m)
            #expect(drawn.count == 2)
            for (a, b) in zip(drawn, yearly) { #expect(Self.close(a, b, 1e-5), "\(m): \(drawn) vs \(yearly)") }
            #expect(html.contains(HTML.esc("2027: \(nf.value(yearly.last!, metric: m))")), "\(m)")
            if m == "waitDaysMean" { #expect(html.contains(HTML.esc("2027: \(nf.value(yearly.last!, metric: m)) \(language == .da ? "dage" : "days")"))) }
        }
        #expect(!html.contains("data-metric=\"caseloadMean\""), "caps counted in families: the card shows families")
    }

    @Test(arguments: [CSVDialect.standard, .excelDa])
    func budgetTableAndCSV(dialect: CSVDialect) throws {
        let (result, dir) = try Self.run(language: .da, dialect: dialect)
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let run = result.run
        let chosen = try Data(contentsOf: dir.appendingPathComponent("budget.csv"))
        let excel = try Data(contentsOf: dir.appendingPathComponent("budget-excel-da.csv"))
        if dialect == .excelDa { #expect(chosen == excel) }
        // Standard: `,` and `.`; Excel-DA: BOM, `;` and decimal commas — the same numbers.
        let bom = Data([0xEF, 0xBB, 0xBF])
        for (data, d) in [(chosen, dialect), (excel, CSVDialect.excelDa)] {
            #expect(data.starts(with: bom) == (d == .excelDa))
            let body = String(decoding: data.starts(with: bom) ? data.dropFirst(3) : data, as: UTF8.self)
            let lines = body.split(separator: "\n").map { $0.split(separator: d.separator, omittingEmptySubsequences: false).map(String.init) }
            #expect(lines[0] == ["category", "2026", "2027", "total"])
            let labels = lines.dropFirst().map { $0[0] }
            #expect(labels.first == "Løn til socialrådgivere" && labels.last == "Samlet udgift")
            #expect(labels.contains("Rekruttering") && labels.contains("Engangsudgifter") && labels.contains("foster"))
            func number(_ s: String) -> Double? { Double(d == .excelDa ? s.replacingOccurrences(of: ",", with: ".") : s) }
            let metrics = ["cost.staff", "cost.recruitment", "cost.step.prevention", "cost.step.homeBased", "cost.step.foster",
                           "cost.step.residential", "cost.assessments", "cost.outreach", "cost.oneOff", "cost.total"]
            #expect(lines.count == 1 + metrics.count)
            for (row, m) in zip(lines.dropFirst(), metrics) {
                let yearly = try #require(run.yearlySeries(m)).map(\.mean)
                for (cell, mean) in zip(row[1...2], yearly) {
                    #expect(number(cell) == ((mean ?? 0) / 1e6 * 10).rounded(.toNearestOrAwayFromZero) / 10, "\(m) \(cell)")
                    if d == .excelDa { #expect(cell.contains(",") && !cell.contains(".")) }
                }
                #expect(number(row[3]) == ((run.total(m)?.mean ?? 0) / 1e6 * 10).rounded(.toNearestOrAwayFromZero) / 10)
            }
        }
        // The same table in the report, Danish numbers.
        let html = try Self.text(dir, "report.html")
        let table = try #require(html.range(of: "data-budget=\"run\"").map { String(html[$0.upperBound...]) })
        let staff2026 = ReportNumberFormatter(.da).number(run.yearlySeries("cost.staff")![0].mean! / 1e6, decimals: 1)
        #expect(table.prefix(4000).contains("<th scope=\"row\">Løn til socialrådgivere</th><td class=\"num\">\(staff2026)</td>"))
        #expect(table.prefix(4000).contains("mio. kr."))
    }

    // MARK: Compare

    static func compare(language: ReportLanguage) throws -> (ComparisonRun, URL) {
        let a = try ScenarioLoader.load(yaml: testScenarioYAML, file: "a.yaml", overrides: overrides).scenario
        let b = try ScenarioLoader.load(yaml: testScenarioYAML, file: "b.yaml",
                                        overrides: overrides + ["teams.a.caseworkers=7", "teams.b.caseworkers=4"]).scenario
        let result = try CompareJob.run([a, b], names: ["a", "b"], jobs: 2)
        let dir = temporaryDirectory()
        _ = try CompareJob.write(result, notes: [], jobs: 2, to: dir, language: language)
        return (result, dir)
    }

    @Test(arguments: ReportLanguage.allCases)
    func compareCardsSayBetterOrWorseWithTrends(language: ReportLanguage) throws {
        let (result, dir) = try Self.compare(language: language)
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = try Self.text(dir, "report.html")
        let p = try #require(result.pairs.first)
        let da = language == .da
        func diff(_ m: String) -> MetricSummary { p.differences.totals[p.differences.layout.totalsMetrics.firstIndex(of: m)!] }
        // Net cost: the words follow the sign, the sparkline is the yearly difference B − A.
        let cost = try #require(diff("cost.total").mean)
        let costCard = try #require(html.range(of: "data-metric=\"cost.total\"").map { String(html[$0.upperBound...].prefix(3000)) })
        #expect(costCard.contains(cost < 0 ? (da ? "billigere" : "cheaper") : (da ? "dyrere" : "more expensive")))
        let yearly = p.differences.yearlySeries("cost.total")!.map(\.mean)
        for (a, b) in zip(try Self.sparkValues(html, metric: "cost.total"), yearly) { #expect(Self.close(a, b, 1e-5)) }
        // Placements avoided: A − B per year.
        let avoided = p.differences.yearlySeries("placementsStarted")!.map { $0.mean.map { -$0 } }
        for (a, b) in zip(try Self.sparkValues(html, metric: "placementsAvoided"), avoided) { #expect(Self.close(a, b, 1e-5)) }
        // Service cards: caseload in families, waiting, assessment deadline breaches, missed visits.
        for m in ["caseloadFamiliesMean", "waitingMean", "deadlineBreaches", "followUp.tilsyn.missed"] {
            let s = diff(m)
            let drawn = try Self.sparkValues(html, metric: m)
            for (a, b) in zip(drawn, p.differences.yearlySeries(m)!.map(\.mean)) { #expect(Self.close(a, b, 1e-5), "\(m)") }
            let words = try #require(CardTrends.verdict(m, s, language: language, stepNames: ScenarioNames.of(result.scenarios)))
            let card = try #require(html.range(of: "data-metric=\"\(m)\"").map { String(html[$0.upperBound...].prefix(4000)) })
            #expect(card.contains("<div class=\"value\">\(ReportNumberFormatter(language).auto(s.mean, sign: true))</div>"))
            #expect(card.contains(HTML.keepTogether(HTML.esc(words.text))))   // "95 % CI" kept on one line by the page
            if let mean = s.mean, mean != 0 {
                let fewer = da ? "færre" : "fewer", more = da ? "flere" : "more"
                #expect(words.text.contains(mean < 0 ? fewer : more), "\(m): \(words.text)")
            }
        }
        #expect(html.contains(HTML.esc(Localizer.metric("deadlineBreaches", language))))
        #expect(html.contains(da ? "børnefaglige undersøgelser over fristen" : "assessments past the deadline"))
        // The waiting row at the end of the horizon: both scenarios' last-year means.
        let nf = ReportNumberFormatter(language)
        let endA = result.runs[0].yearlySeries("waitingMean")!.last!.mean, endB = result.runs[1].yearlySeries("waitingMean")!.last!.mean
        #expect(html.contains(HTML.esc("2027: \(nf.auto(endA)) → \(nf.auto(endB))")))
        // Break-even distribution in the card: one bar per year and one for "not within the horizon".
        let be = try Self.sparkValues(html, metric: "breakEven")
        #expect(be.count == 3)
        #expect(Self.close(be[2], Double(p.breakEven.notWithinHorizon) / Double(p.breakEven.replications), 1e-5))
    }

    @Test func compareCostStacksAndBudgetTables() throws {
        let (result, dir) = try Self.compare(language: .en)
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = try Self.text(dir, "report.html")
        let t = Localizer.strings(.en)
        let a = try #require(Self.figure(html, caption: "\(t.costPerYearByCategory): a"))
        let b = try #require(Self.figure(html, caption: "\(t.costPerYearByCategory): b"))
        #expect(Self.count("data-series=", in: a) == Self.count("data-series=", in: b))
        #expect(Self.count("data-series=", in: a) == BudgetTable.commonCategories(runs: result.runs, scenarios: result.scenarios).count)
        // The same y scale: the same tick labels on both.
        func ticks(_ svg: String) -> [String] {
            guard let r = svg.range(of: "<g class=\"axis axis-y\">"), let e = svg.range(of: "<text class=\"axis-title\"", range: r.upperBound..<svg.endIndex) else { return [] }
            return svg[r.upperBound..<e.lowerBound].components(separatedBy: "text-anchor=\"end\" fill=\"#333333\">").dropFirst()
                .map { String($0.prefix { $0 != "<" }) }
        }
        #expect(!ticks(a).isEmpty && ticks(a) == ticks(b))
        // Tables: a, b and b − a; the difference CSV.
        for id in ["a", "b", "b-a"] { #expect(html.contains("data-budget=\"\(id)\"")) }
        for f in ["a/budget.csv", "a/budget-excel-da.csv", "b/budget.csv", "budget-difference.csv", "budget-difference-excel-da.csv"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path), "missing \(f)")
        }
        let p = try #require(result.pairs.first)
        let lines = try Self.text(dir, "budget-difference.csv").split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        #expect(lines[0] == ["category", "2026", "2027", "total"])
        let total = try #require(lines.last)
        #expect(total[0] == "Total cost")
        let yearly = p.differences.yearlySeries("cost.total")!.map(\.mean)
        for (cell, mean) in zip(total[1...2], yearly) {
            #expect(Double(cell) == ((mean ?? 0) / 1e6 * 10).rounded(.toNearestOrAwayFromZero) / 10)
        }
    }
}
