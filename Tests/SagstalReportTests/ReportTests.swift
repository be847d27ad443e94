import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import SagstalReport
import SagstalScenario
import SagstalStats

/// The three reports: well-formed XHTML-compatible documents, self-contained, escaped, in both
/// languages, with the charts and tables a planner needs.
@Suite struct ReportTests {
    /// What every report must satisfy; returns the parsed document.
    func checkPage(_ html: String, language: ReportLanguage, minCharts: Int,
                   sourceLocation: SourceLocation = #_sourceLocation) -> XMLDocument? {
        let lower = html.lowercased()
        #expect(!lower.contains("http://"), sourceLocation: sourceLocation)
        #expect(!lower.contains("https://"), sourceLocation: sourceLocation)
        #expect(!lower.contains("<script"), sourceLocation: sourceLocation)
        #expect(!lower.contains("<link"), sourceLocation: sourceLocation)
        #expect(!lower.contains("<img"), sourceLocation: sourceLocation)
        #expect(!lower.contains("url("), sourceLocation: sourceLocation)
        #expect(!lower.contains("@import"), sourceLocation: sourceLocation)
        #expect(html.contains("<html lang=\"\(language.rawValue)\">"), sourceLocation: sourceLocation)
        #expect(html.contains("@media print"), sourceLocation: sourceLocation)
        // Every embedded chart parses on its own …
        let svgs = XML.svgFragments(html)
        #expect(svgs.count >= minCharts, sourceLocation: sourceLocation)
        for svg in svgs {
            let root = XML.parse(svg, sourceLocation: sourceLocation)?.rootElement()
            #expect(root?.name == "svg", sourceLocation: sourceLocation)
        }
        // … and so does the whole page.
        guard let doc = XML.parse(html, sourceLocation: sourceLocation), let root = doc.rootElement() else { return nil }
        #expect(root.name == "html", sourceLocation: sourceLocation)
        let charts = XML.elements("svg", in: root)
        #expect(charts.count == svgs.count, sourceLocation: sourceLocation)
        // A chart of several panels (the break-even chart) has the structure in each panel;
        // the cards' sparklines have no axes or legend by design.
        for chart in charts where !(chart.attribute(forName: "class")?.stringValue ?? "").split(separator: " ").contains("sparkline") {
            let panels = XML.withClass("panel", in: chart, element: "g")
            for unit in panels.isEmpty ? [chart] : panels {
                #expect(XML.withClass("axis-x", in: unit).count == 1, sourceLocation: sourceLocation)
                #expect(XML.withClass("axis-y", in: unit).count == 1, sourceLocation: sourceLocation)
                #expect(!XML.withClass("legend-entry", in: unit).isEmpty, sourceLocation: sourceLocation)
                #expect(XML.withClass("series", in: unit).count == XML.withClass("legend-entry", in: unit).count,
                        sourceLocation: sourceLocation)
            }
        }
        // Every figure has a caption.
        for figure in XML.elements("figure", in: root) {
            #expect(XML.elements("figcaption", in: figure).count == 1, sourceLocation: sourceLocation)
        }
        return doc
    }

    @Test(arguments: ReportLanguage.allCases)
    func runReport(_ language: ReportLanguage) throws {
        let run = try Fixture.run()
        let scenario = Fixture.scenario()
        let html = RunReport.html(run: run, scenario: scenario, metadata: Fixture.metadata(run), resolvedYAML: Fixture.hostileYAML,
                                  language: language)
        guard let doc = checkPage(html, language: language, minCharts: 6), let root = doc.rootElement() else { return }
        // The scenario's name and YAML are escaped, the YAML sits in a closed <details>.
        #expect(html.contains("Test kommune &lt;A &amp; B&gt;"))
        #expect(html.contains("&lt;/pre&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"))
        let details = XML.elements("details", in: root)
        #expect(details.count == 1)
        #expect(details.first?.attribute(forName: "open") == nil)
        #expect(XML.text(XML.elements("pre", in: details[0])[0]).contains("<script>alert('x')</script>"))
        // One line per ladder step, named by the step's name; cost categories stacked.
        let stepChart = XML.withClass("chart", in: root, element: "svg")[0]
        #expect(XML.withClass("series", in: stepChart).compactMap { $0.attribute(forName: "data-series")?.stringValue }
                == ["Forebyggelse", "Plejefamilie"])
        let stacked = XML.withClass("chart-stacked", in: root, element: "svg")
        #expect(stacked.count == 1)
        let layers = XML.withClass("legend-entry", in: stacked[0]).map(XML.text)
        #expect(layers.contains("Forebyggelse") && layers.contains("Plejefamilie"))
        #expect(layers.first == Localizer.metric("cost.staff", language))
        // The summary speaks the language, with its number format.
        let lead = XML.withClass("lead", in: root).map(XML.text).joined()
        if language == .da {
            #expect(lead.hasPrefix("Over 2 år (2026–2027) starter scenariet i gennemsnit"))
            #expect(lead.contains("mio. kr."))
            #expect(html.contains("Sammenfatning") && html.contains("Nøgletal for hele perioden"))
            #expect(html.contains("Udgift (mio. kr.)"))
        } else {
            #expect(lead.hasPrefix("Over 2 years (2026–2027), the scenario starts on average"))
            #expect(lead.contains("million DKK"))
            #expect(html.contains("Summary") && html.contains("Key totals over the horizon"))
            #expect(html.contains("Cost (million DKK)"))
        }
        // Key totals: mean, 95 % CI, P5–P95 for every key metric the run has; the empty one is a dash.
        // (The first table is the key assumptions box's.)
        let tables = XML.elements("table", in: root)
        #expect(tables[0].attribute(forName: "class")?.stringValue == "data assumptions")
        let keyTable = tables[1]
        #expect(XML.elements("th", in: keyTable).prefix(4).map(XML.text).last == "P5–P95")
        let waitRow = XML.elements("tr", in: keyTable).first { XML.text($0).hasPrefix(Localizer.metric("waitDaysMean", language)) }
        #expect(waitRow.map { XML.elements("td", in: $0).map(XML.text) } == ["–", "–", "–"])
        // The same inputs give the same bytes.
        #expect(html == RunReport.html(run: run, scenario: scenario, metadata: Fixture.metadata(run), resolvedYAML: Fixture.hostileYAML,
                                       language: language))
    }

    @Test(arguments: ReportLanguage.allCases)
    func comparisonReport(_ language: ReportLanguage) throws {
        let (pair, runs, info) = try Fixture.comparison()
        let scenarios = [Fixture.scenario(name: "Base <1>"), Fixture.scenario(name: "More staff & co", eastCaseworkers: 12)]
        let html = ComparisonReport.html(pairs: [pair], runs: runs, scenarios: scenarios, info: info, language: language)
        guard let doc = checkPage(html, language: language, minCharts: 6), let root = doc.rootElement() else { return }
        let t = Localizer.strings(language)
        // Overlays carry both scenarios. The break-even chart: the mean cumulative net cost with a
        // zero line and the crossing of its mean above, the replications' years with their median below.
        let placed = XML.withClass("chart", in: root, element: "svg")[0]
        #expect(XML.withClass("legend-entry", in: placed).map(XML.text) == ["base", "more-staff"])
        let breakEvenCharts = XML.withClass("chart-breakeven", in: root, element: "svg")
        #expect(breakEvenCharts.count == 1)
        guard let chart = breakEvenCharts.first else { return }
        let curve = XML.withClass("panel-curve", in: chart), bars = XML.withClass("panel-distribution", in: chart)
        #expect(curve.count == 1 && bars.count == 1)
        let crossing = curve.flatMap { XML.withClass("marker", in: $0) }
        #expect(crossing.count == 1)
        #expect(crossing.first.map(XML.text)?.contains("2027-10") == true)   // 1 + 2.35 / 3 years
        let median = bars.flatMap { XML.withClass("marker", in: $0) }
        #expect(median.count == 1)
        #expect(median.first.map(XML.text) == "median 2027")   // 2 + 3 of 8 replications by 2027 ≥ half
        #expect(!curve.flatMap { XML.withClass("zero-line", in: $0) }.isEmpty)
        // Two year bars and the grey "not within the horizon" bar, drawn where they are non-zero.
        #expect(bars.flatMap { XML.withClass("bar", in: $0) }.count == 3)
        #expect(XML.withClass("tick", in: XML.withClass("axis-x", in: bars[0])[0]).map(XML.text)
                == ["2026", "2027", language == .da ? "senere" : "later"])
        // The curve starts at zero at the start and has a point at the end of each year.
        #expect(curve.flatMap { XML.withClass("point", in: $0) }.count == 3)
        // Headline figures and the break-even distribution (one row per year plus "not within").
        #expect(html.contains(HTML_escaped(t.placementsAvoided)) && html.contains(HTML_escaped(t.probabilityCheaper)))
        let breakEven = XML.elements("table", in: root).first { XML.elements("caption", in: $0).map(XML.text) == [t.breakEvenDistribution] }
        #expect(breakEven.map { XML.elements("tr", in: $0).count } == 1 + 2 + 1)
        #expect(breakEven.map { XML.withClass("lowest", in: $0, element: "tr").count } == 1)
        let lead = XML.withClass("lead", in: root).map(XML.text).joined()
        if language == .da {
            #expect(lead.hasPrefix("Sammenlignet med base "))
            #expect(lead.contains("Tjent hjem (median): 2027"))
            #expect(lead.contains("er varigt nede på nul i 2027, omkring 2027-10"))
        } else {
            #expect(lead.hasPrefix("Compared with base, more-staff "))
            #expect(lead.contains("Break-even (median): 2027 – from then to the end of the horizon"))
            #expect(lead.contains("The mean cumulative net cost falls to zero for good in 2027, around 2027-10."))
        }
        // Both scenarios' resolved files, escaped, in closed blocks; the notes are shown.
        #expect(XML.elements("details", in: root).count == 2)
        #expect(html.contains("More staff &amp; co"))
        #expect(html.contains("seed 3 replaced"))
        // Key totals of both scenarios side by side (3 columns each).
        let groupRow = XML.withClass("group", in: root, element: "tr")
        #expect(groupRow.first.map { XML.elements("th", in: $0).map(XML.text) } == ["", "base", "more-staff"])
    }

    @Test func comparisonWithoutBreakEvenSaysSo() throws {
        // Neither the median over replications nor the mean curve breaks even: no marker.
        let (pair, runs, info) = try Fixture.comparison(breakEvenCounts: [0, 1], never: 7, cumulativeStep: 0)
        for language in ReportLanguage.allCases {
            let html = ComparisonReport.html(pairs: [pair], runs: runs, scenarios: [Fixture.scenario(), Fixture.scenario()], info: info,
                                             language: language)
            guard let root = checkPage(html, language: language, minCharts: 6)?.rootElement() else { continue }
            #expect(XML.withClass("marker", in: root).isEmpty)
            #expect(XML.withClass("crossing", in: root).isEmpty)
            #expect(html.contains(Localizer.strings(language).notWithinHorizon))
        }
        // The mean breaks even although the median does not: only the crossing is marked.
        let (late, _, _) = try Fixture.comparison(breakEvenCounts: [0, 1], never: 7)
        let html = ComparisonReport.html(pairs: [late], runs: runs, scenarios: [Fixture.scenario(), Fixture.scenario()], info: info,
                                         language: .en)
        guard let root = checkPage(html, language: .en, minCharts: 6)?.rootElement() else { return }
        #expect(XML.withClass("marker", in: root).map(XML.text) == ["mean ≤ 0 from ≈ 2027-10"])
        #expect(XML.withClass("crossing", in: root).count == 1)
    }

    @Test(arguments: ReportLanguage.allCases)
    func sweepReportOneAxis(_ language: ReportLanguage) throws {
        let runs = try (0..<4).map { try Fixture.run(salt: Double($0)) }
        let points = [["15"], ["20"], ["25"], ["30"]]
        let scenarios = points.map { _ in Fixture.scenario() }
        let html = SweepReport.html(paths: ["teams.east.cap"], points: points, runs: runs, scenarios: scenarios, lowest: 1,
                                    language: language, tool: Fixture.tool)
        guard let root = checkPage(html, language: language, minCharts: 4)?.rootElement() else { return }
        let charts = XML.elements("svg", in: root)
        #expect(charts.count == 4)
        for chart in charts {
            #expect(XML.withClass("series", in: chart).count == 1)
            #expect(XML.withClass("axis-title", in: XML.withClass("axis-x", in: chart)[0]).map(XML.text) == ["teams.east.cap"])
            #expect(XML.withClass("tick", in: XML.withClass("axis-x", in: chart)[0]).map(XML.text) == ["15", "20", "25", "30"])
        }
        // The lowest-cost point is ringed on the cost chart and marked in the grid table.
        #expect(XML.withClass("highlight", in: charts[0]).count == 1)
        let lowestRows = XML.withClass("lowest", in: root, element: "tr")
        #expect(lowestRows.count == 1)
        #expect(lowestRows.first.map { XML.elements("th", in: $0).map(XML.text) } == ["1"])
        #expect(XML.elements("details", in: root).count == 1)
    }

    @Test func sweepReportTwoAxes() throws {
        // 2 × 3 grid: the axis with more values goes across, one line per value of the other.
        var points: [[String]] = []
        for a in ["0.1", "0.3"] { for b in ["20", "25", "30"] { points.append([a, b]) } }
        let runs = try points.indices.map { try Fixture.run(salt: Double($0)) }
        let html = SweepReport.html(paths: ["staff.turnover.perYear", "teams.east.cap"], points: points, runs: runs,
                                    scenarios: points.map { _ in Fixture.scenario() }, lowest: nil, language: .da)
        guard let root = checkPage(html, language: .da, minCharts: 4)?.rootElement() else { return }
        for chart in XML.elements("svg", in: root) {
            #expect(XML.withClass("legend-entry", in: chart).map(XML.text)
                    == ["staff.turnover.perYear = 0,1", "staff.turnover.perYear = 0,3"])
            #expect(XML.withClass("axis-title", in: XML.withClass("axis-x", in: chart)[0]).map(XML.text) == ["teams.east.cap"])
        }
        #expect(XML.withClass("lowest", in: root, element: "tr").isEmpty)
        #expect(XML.elements("details", in: root).isEmpty)   // no tool given: no resolved file
        // Grid values are shown in Danish number format.
        #expect(html.contains(">0,3<"))
    }

    /// A sweep over an assumption alone: labelled, explained, nothing marked.
    @Test(arguments: ReportLanguage.allCases)
    func sweepReportOverAnAssumptionMarksNothing(_ language: ReportLanguage) throws {
        let runs = try (0..<3).map { try Fixture.run(salt: Double($0)) }
        let points = [["0"], ["0.3"], ["0.6"]]
        let html = SweepReport.html(paths: ["caseload.elasticity.escalate"], points: points, runs: runs,
                                    scenarios: points.map { _ in Fixture.scenario() }, marked: [], language: language, tool: Fixture.tool)
        guard let root = checkPage(html, language: language, minCharts: 4)?.rootElement() else { return }
        #expect(XML.withClass("highlight", in: root).isEmpty)
        #expect(XML.withClass("lowest", in: root, element: "tr").isEmpty)
        #expect(XML.elements("details", in: root).isEmpty)   // no lowest-cost point: no resolved file of it
        let caveat = XML.withClass("assumption", in: root, element: "p").map(XML.text)
        #expect(caveat.count == 1)
        if language == .en {
            #expect(caveat.first == "Assumption: caseload.elasticity.escalate: no measured value, FACTS §5–6 — the lowest cost here says what the assumption implies, not what to choose. So no point is marked as the lowest cost.")
            #expect(html.contains("No point is marked as the lowest cost: every varied parameter is an assumption."))
            #expect(html.contains("caseload.<wbr/>elasticity.<wbr/>escalate (assumption)"))   // may break after a dot
        } else {
            #expect(caveat.first?.hasPrefix("Antagelse: caseload.elasticity.escalate: ingen målt værdi, FACTS §5–6") == true)
        }
    }

    /// A choice × an assumption: the choice goes across, one line and one ring per assumed value.
    @Test func sweepReportChoiceByAssumption() throws {
        var points: [[String]] = []
        for a in ["0", "0.5"] { for b in ["4", "5", "6"] { points.append([a, b]) } }   // the assumption first
        let runs = try points.indices.map { try Fixture.run(salt: Double($0)) }
        let html = SweepReport.html(paths: ["caseload.elasticity.escalate", "teams.east.caseworkers"], points: points, runs: runs,
                                    scenarios: points.map { _ in Fixture.scenario() }, marked: [1, 5], language: .en)
        guard let root = checkPage(html, language: .en, minCharts: 4)?.rootElement() else { return }
        let cost = XML.elements("svg", in: root)[0]
        #expect(XML.withClass("axis-title", in: XML.withClass("axis-x", in: cost)[0]).map(XML.text) == ["teams.east.caseworkers"])
        #expect(XML.withClass("legend-entry", in: cost).map(XML.text)
                == ["caseload.elasticity.escalate = 0", "caseload.elasticity.escalate = 0.5"])
        // Two rings without labels (the note says what they are), on the cost chart only.
        let rings = XML.withClass("highlight", in: root)
        #expect(rings.count == 2)
        #expect(rings.allSatisfy { XML.elements("text", in: $0).isEmpty })
        #expect(html.contains("The rings mark the lowest total cost for each assumed value."))
        let tagged = XML.withClass("lowest", in: root, element: "tr")
        #expect(tagged.map { XML.elements("th", in: $0).map(XML.text) } == [["1"], ["5"]])
        #expect(tagged.allSatisfy { XML.text($0).contains("lowest total cost at the assumed values") })
        let lead = XML.withClass("lead", in: root).map(XML.text).joined()
        #expect(lead.contains("The lowest mean total cost over 2 years for each assumed value is with caseload.elasticity.escalate = 0: teams.east.caseworkers = 5"))
    }

    /// The text as it appears escaped in the page.
    func HTML_escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
