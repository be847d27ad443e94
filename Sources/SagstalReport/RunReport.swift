import Foundation
import SagstalScenario
import SagstalStats

/// `report.html` of `sagstal run`: a plain-language summary, key figures, charts over time,
/// the key totals with their uncertainty, the scenario in a planner's terms, and the resolved
/// scenario file.
public enum RunReport {
    /// The self-contained HTML report of a run (inline CSS and SVG; no script, nothing fetched).
    ///
    /// The text depends only on its arguments (no clock, no wall time), so the same run gives
    /// the same file.
    ///
    /// - Parameters:
    ///   - run: the aggregated statistics of the run.
    ///   - scenario: the resolved scenario (teams, ladder names, costs).
    ///   - metadata: scenario name, seed, tool; wall time and jobs are not shown.
    ///   - resolvedYAML: the resolved scenario file, shown in a collapsed block.
    ///   - language: English or Danish labels and number formats.
    /// - Returns: the document, well-formed XML (XHTML-compatible).
    public static func html(run: AggregatedRun, scenario: Scenario, metadata: RunMetadata, resolvedYAML: String,
                            language: ReportLanguage) -> String {
        let t = Localizer.strings(language)
        let nf = ReportNumberFormatter(language)
        let names = ReportParts.stepNames(scenario)
        let da = language == .da
        var body = ""

        // Header
        let period = ReportParts.period(run.layout.yearLabels)
        let metaLine = [period, "\(ReportParts.years(metadata.years, nf)) \(da ? "år" : "years")",
                        "\(nf.number(Double(run.replications))) \(t.replications.lowercased())",
                        "\(t.seed.lowercased()) \(metadata.seed)"].filter { !$0.isEmpty }.joined(separator: " · ")
        body += "<header class=\"report\"><p class=\"kicker\">sagstal · \(HTML.esc(t.runTitle))</p>"
        body += "<h1>\(HTML.esc(metadata.scenarioName))</h1><p class=\"meta\">\(HTML.esc(metaLine))</p></header>"
        body += WarningsBox.html(metadata.warnings, language: language)
        body += AssumptionsBox.html(KeyAssumptions(scenarios: [scenario], names: [metadata.scenarioName], sources: [metadata.sources],
                                                   overrides: metadata.overrides), language: language)

        // Summary
        body += "<section class=\"summary\"><h2>\(HTML.esc(t.summary))</h2>"
        body += "<p class=\"lead\">\(HTML.esc(summaryText(run: run, scenario: scenario, metadata: metadata, language: language)))</p>"
        // Each card with the last budget year's mean and a sparkline of the yearly means.
        let cards = CardTrends.runCards(run: run, language: language, stepNames: names)
        body += ReportParts.cards(cards) + ReportParts.aboutNumbers(replications: run.replications, language: language) + "</section>"

        // Charts
        body += "<section class=\"page\"><h2>\(HTML.esc(t.charts))</h2><div class=\"charts\">"
        body += charts(run: run, scenario: scenario, language: language).joined()
        body += "</div></section>"

        // Key totals
        body += "<section class=\"page\"><h2>\(HTML.esc(t.keyTotals))</h2>"
        body += ReportParts.keyTotalsTable(run, stepNames: names, language: language)
        body += ReportParts.teamTable(run, scenario: scenario, language: language)
        body += costTable(run: run, scenario: scenario, language: language)
        body += BudgetTable.runHTML(run: run, scenario: scenario, language: language)
        body += "</section>"

        // Scenario
        body += "<section class=\"page\"><h2>\(HTML.esc(t.scenario))</h2>"
        body += ReportParts.scenarioSummary(scenario, language: language, run: run)
        body += ReportParts.resolvedYAML(resolvedYAML, language: language)
        body += "</section>"

        body += ReportParts.footer(tool: metadata.tool, seed: metadata.seed, replications: run.replications,
                                   events: metadata.eventsProcessed, language: language)
        return HTML.page(language: language, title: "\(metadata.scenarioName) – sagstal", body: body)
    }

    /// The plain-language summary at the top of the report.
    static func summaryText(run: AggregatedRun, scenario: Scenario, metadata: RunMetadata, language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let t = Localizer.strings(language)
        let years = ReportParts.years(metadata.years, nf)
        let period = ReportParts.period(run.layout.yearLabels)
        var sentences: [String] = []
        let placements = run.total("placementsStarted")
        let cost = run.total("cost.total")
        let npv = run.total("cost.npv")
        if let p = placements, let c = cost {
            let pText = "\(nf.auto(p.mean)) (\(t.ci95) \(nf.interval(p.ci95Lo, p.ci95Hi, metric: "placementsStarted")))"
            let cText = "\(nf.moneyShort(c.mean)) (\(t.ci95) \(nf.interval(c.ci95Lo, c.ci95Hi, metric: "cost.total")))"
            var npvText = ""
            if scenario.costs.discountRate != 0, let n = npv?.mean {
                npvText = da ? ", svarende til \(nf.moneyShort(n)) i nutidsværdi" : ", or \(nf.moneyShort(n)) at today's value (discounted)"
            }
            sentences.append(da
                ? "Over \(years) år (\(period)) starter scenariet i gennemsnit \(pText) anbringelser og koster i alt \(cText)\(npvText)."
                : "Over \(years) years (\(period)), the scenario starts on average \(pText) placements and costs \(cText) in total\(npvText).")
        }
        if let placed = run.total("placedEnd")?.mean {
            sentences.append(da ? "Ved periodens slutning er \(nf.auto(placed)) børn anbragt uden for hjemmet."
                                : "At the end, \(nf.auto(placed)) children are in out-of-home placement.")
        }
        if let caseload = run.total("caseloadMean")?.mean {
            var s = da ? "En socialrådgiver har i gennemsnit \(nf.auto(caseload)) børn" : "A caseworker carries on average \(nf.auto(caseload)) children"
            if let f = run.total("caseloadFamiliesMean")?.mean {
                s = da ? "En socialrådgiver har i gennemsnit \(nf.auto(f)) familiesager (\(nf.auto(caseload)) børn)"
                       : "A caseworker carries on average \(nf.auto(f)) families (\(nf.auto(caseload)) children)"
            }
            if let over = run.total("overCapShare")?.mean {
                s += da ? " og er over sagsloftet \(nf.percent(over)) af tiden" : " and is over the cap \(nf.percent(over)) of the time"
            }
            if let wait = run.total("waitDaysMean")?.mean {
                s += da ? "; børn venter i gennemsnit \(nf.auto(wait)) dage på en første socialrådgiver"
                        : "; children wait on average \(nf.auto(wait)) days for a first caseworker"
            }
            sentences.append(s + ".")
        }
        return sentences.joined(separator: " ")
    }

    /// The run's charts, each in a figure.
    static func charts(run: AggregatedRun, scenario: Scenario, language: ReportLanguage) -> [String] {
        let t = Localizer.strings(language)
        let nf = ReportNumberFormatter(language)
        let names = ReportParts.stepNames(scenario)
        let months = run.layout.monthLabels
        let years = run.layout.yearLabels
        let monthX = months.indices.map(Double.init)
        let monthAxis = SVGChart.Axis(title: t.axisYear, formatter: nf, ticks: ReportParts.monthTicks(months))
        var figures: [String] = []

        // Children on each ladder step (monthly end-of-month stock, mean and P5–P95).
        var stepSeries: [SVGChart.LineSeries] = []
        for (k, step) in scenario.ladder.enumerated() {
            guard let s = run.monthlySeries("step.\(step.id).end") else { continue }
            stepSeries.append(SVGChart.LineSeries(name: names[step.id] ?? step.id, x: monthX, y: s.map(\.mean),
                                                  lower: s.map(\.p5), upper: s.map(\.p95), colour: ReportParts.stepColour(k)))
        }
        if !stepSeries.isEmpty {
            figures.append(HTML.figure(t.childrenPerStep, SVGChart.lineChart(
                series: stepSeries, x: monthAxis, y: SVGChart.Axis(title: t.axisChildren, formatter: nf),
                title: t.childrenPerStep, bandLabel: t.band90)))
        }

        // Placements started per year, with 95 % CI whiskers.
        if let s = run.yearlySeries("placementsStarted") {
            figures.append(HTML.figure(t.placementsPerYear, SVGChart.barChart(
                categories: years,
                series: [SVGChart.BarSeries(name: Localizer.metric("placementsStarted", language), values: s.map(\.mean),
                                            lower: s.map(\.ci95Lo), upper: s.map(\.ci95Hi), colour: ReportParts.stepColour(4))],
                xTitle: t.axisYear, y: SVGChart.Axis(title: t.axisPlacements, formatter: nf), title: t.placementsPerYear,
                whiskerLabel: t.whisker95)))
        }

        // Yearly cost by category (means), stacked.
        figures.append(HTML.figure(t.costPerYearByCategory, costStack(run: run, scenario: scenario, language: language)))

        // Caseload and over-cap share.
        if let s = run.monthlySeries("caseloadMean") {
            var series = [SVGChart.LineSeries(name: Localizer.metric("caseloadMean", language), x: monthX, y: s.map(\.mean),
                                              lower: s.map(\.p5), upper: s.map(\.p95), colour: ReportParts.staffColour)]
            var axis = t.axisCaseload
            // Caps in families: families first (the unit of the cap), children dashed beside them.
            if let f = run.monthlySeries("caseloadFamiliesMean") {
                series = [SVGChart.LineSeries(name: Localizer.metric("caseloadFamiliesMean", language), x: monthX, y: f.map(\.mean),
                                              lower: f.map(\.p5), upper: f.map(\.p95), colour: ReportParts.staffColour),
                          SVGChart.LineSeries(name: Localizer.metric("caseloadMean", language), x: monthX, y: s.map(\.mean),
                                              colour: ReportParts.staffColour, dashed: true)]
                axis = language == .da ? "Sager pr. socialrådgiver" : "Cases per caseworker"
            }
            // With caps in families, one line on how families are counted (also for a single team,
            // whose per-team chart this is).
            let familiesNote = run.monthlySeries("caseloadFamiliesMean") == nil ? nil
                : TeamAndStaffCharts.Words.of(language, childrenPerFamily: nf.compact(scenario.caseload.childrenPerFamily)).familiesNote
            figures.append(HTML.figure(t.caseloadOverTime, SVGChart.lineChart(
                series: series, x: monthAxis, y: SVGChart.Axis(title: axis, formatter: nf), title: t.caseloadOverTime,
                bandLabel: t.band90), note: familiesNote))
        }
        if let s = run.monthlySeries("overCapShare") {
            figures.append(HTML.figure(t.overCapOverTime, SVGChart.lineChart(
                series: [SVGChart.LineSeries(name: Localizer.metric("overCapShare", language), x: monthX, y: s.map(\.mean),
                                             lower: s.map(\.p5), upper: s.map(\.p95), colour: ReportParts.stepColour(4))],
                x: monthAxis, y: SVGChart.Axis(title: t.axisShareOfTime, formatter: nf, scale: 100, suffix: " %"),
                title: t.overCapOverTime, bandLabel: t.band90)))
        }

        // Waiting children.
        if let s = run.monthlySeries("waitingMean") {
            figures.append(HTML.figure(t.waitingOverTime, SVGChart.lineChart(
                series: [SVGChart.LineSeries(name: Localizer.metric("waitingMean", language), x: monthX, y: s.map(\.mean),
                                             lower: s.map(\.p5), upper: s.map(\.p95), colour: ReportParts.waitingColour)],
                x: monthAxis, y: SVGChart.Axis(title: t.axisChildren, formatter: nf), title: t.waitingOverTime,
                bandLabel: t.band90)))
        }

        // Per team (two teams or more) and staff: filled and vacant positions, leavers and hires.
        figures += TeamAndStaffCharts.teamFigures(run: run, scenario: scenario, language: language)
        figures += TeamAndStaffCharts.staffFigures(run: run, scenario: scenario, language: language)
        return figures
    }

    /// The cost categories of a run in stacking order (bottom first), with colours.
    static func costCategories(run: AggregatedRun, scenario: Scenario) -> [(metric: String, colour: String)] {
        var out: [(String, String)] = [("cost.staff", ReportParts.staffColour), ("cost.recruitment", ReportParts.recruitmentColour)]
        for (k, step) in scenario.ladder.enumerated() { out.append(("cost.step.\(step.id)", ReportParts.stepColour(k))) }
        out += [("cost.assessments", ReportParts.assessmentColour), ("cost.outreach", ReportParts.outreachColour),
                ("cost.oneOff", ReportParts.oneOffColour)]
        return out.filter { run.layout.periodMetrics.contains($0.0) }
    }

    /// The stacked yearly cost chart (categories that are zero in every year are left out).
    static func costStack(run: AggregatedRun, scenario: Scenario, language: ReportLanguage) -> String {
        let t = Localizer.strings(language)
        let nf = ReportNumberFormatter(language)
        let names = ReportParts.stepNames(scenario)
        let totals = run.yearlySeries("cost.total")?.map(\.mean) ?? []
        let scale = ReportParts.moneyScale(ReportParts.maxAbs(totals), language)
        var series: [SVGChart.BarSeries] = []
        for (metric, colour) in costCategories(run: run, scenario: scenario) {
            guard let s = run.yearlySeries(metric) else { continue }
            let values = s.map { $0.mean.map { $0 / scale.divisor } }
            guard values.contains(where: { ($0 ?? 0) > 0 }) else { continue }
            series.append(SVGChart.BarSeries(name: Localizer.metric(metric, language, stepNames: names), values: values, colour: colour))
        }
        return SVGChart.stackedBarChart(categories: run.layout.yearLabels, series: series, xTitle: t.axisYear,
                                        y: SVGChart.Axis(title: "\(t.axisCost) (\(scale.unit))", formatter: nf),
                                        title: t.costPerYearByCategory, size: SVGChart.Size(width: 600, height: 380))
    }

    /// Total cost over the horizon by category: mean, 95 % CI and share of the total.
    static func costTable(run: AggregatedRun, scenario: Scenario, language: ReportLanguage) -> String {
        let t = Localizer.strings(language)
        let nf = ReportNumberFormatter(language)
        let names = ReportParts.stepNames(scenario)
        let total = run.total("cost.total")
        // One unit for the whole table, set by the total.
        let u = ReportParts.tableUnit("cost.total", [total], language)
        var rows: [[HTML.Cell]] = []
        for (metric, _) in costCategories(run: run, scenario: scenario) {
            guard let s = run.total(metric), let m = s.mean, m != 0 else { continue }
            rows.append([.text(Localizer.metric(metric, language, stepNames: names)), .num(u.value(m)),
                         .num(u.interval(s.ci95Lo, s.ci95Hi)),
                         .num(total?.mean.map { nf.percent(m / $0) } ?? "–")])
        }
        var classes: [String?] = Array(repeating: nil, count: rows.count)
        if let s = total {
            rows.append([.text(Localizer.metric("cost.total", language)), .num(u.value(s.mean)),
                         .num(u.interval(s.ci95Lo, s.ci95Hi)), .num(nf.percent(1))])
            classes.append("total")
        }
        let heading = t.costPerYearByCategory.replacingOccurrences(of: language == .da ? " pr. år" : " per year", with: "")
        return "<h3>\(HTML.esc(heading + u.labelSuffix))</h3>"
            + HTML.table(header: [.text(t.metricHeading), .num(t.mean), .num(t.ci95), .num(t.share)], rows: rows, rowClasses: classes)
    }
}
