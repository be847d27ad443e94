import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import SagstalReport

/// What of the layout can be checked without a browser (the rest: scripts/check-reports): legend
/// symbols in the colours of their series, CI labels and intervals kept on one line.
@Suite struct LayoutTests {
    let nf = ReportNumberFormatter(.da)

    func bandSymbols(_ svg: String) -> [(fill: String, opacity: String)] {
        guard let root = XML.parse(svg)?.rootElement() else { return [] }
        return XML.withClass("legend-note", in: root).flatMap { XML.withClass("band-symbol", in: $0, element: "rect") }.map {
            ($0.attribute(forName: "fill")?.stringValue ?? "", $0.attribute(forName: "fill-opacity")?.stringValue ?? "")
        }
    }

    func series(_ name: String, _ colour: String, band: Bool = true) -> SVGChart.LineSeries {
        let x = (0..<12).map(Double.init)
        return SVGChart.LineSeries(name: name, x: x, y: x.map { 10 + $0 }, lower: band ? x.map { 8 + $0 } : nil,
                                   upper: band ? x.map { 12 + $0 } : nil, colour: colour)
    }

    func chart(_ series: [SVGChart.LineSeries]) -> String {
        SVGChart.lineChart(series: series, x: SVGChart.Axis(title: "Måned", formatter: nf), y: SVGChart.Axis(title: "Børn", formatter: nf),
                           title: "Børn", bandLabel: "90 % af gentagelserne")
    }

    @Test func theBandSwatchHasTheColourOfTheBand() {
        let symbols = bandSymbols(chart([series("Pleje", "#D55E00")]))
        #expect(symbols.map(\.fill) == ["#D55E00"], "not grey: the band it explains is orange")
        #expect(symbols.allSatisfy { Double($0.opacity) ?? 1 < 1 })
    }

    @Test func withSeveralBandsTheSwatchHasAStripOfEachColour() {
        let svg = chart([series("A", "#0072B2"), series("B", "#D55E00"), series("C", "#009E73", band: false)])
        #expect(bandSymbols(svg).map(\.fill) == ["#0072B2", "#D55E00"], "the colours of the series with a band, in order")
        #expect(!svg.contains("#7a7a7a"))
    }

    @Test func theBreakEvenChartsBandSwatchHasTheCurvesColour() {
        let mean: [Double?] = [0.5, -1.7, -5.9]
        let panels = SVGChart.BreakEvenPanels(
            years: ["2026", "2027", "2028"], mean: mean, lower: mean.map { $0.map { $0 - 0.5 } }, upper: mean.map { $0.map { $0 + 0.5 } },
            curveName: "Gennemsnit", colour: "#D55E00", bandLabel: "95 %-KI", crossing: 1.2, crossingLabel: "≤ 0",
            shares: [0.2, 0.5, 0.1], laterShare: 0.2, barName: "Gentagelser", laterName: "ikke inden for perioden", laterTick: "senere",
            medianIndex: 1, medianLabel: "median 2027", xTitle: "Budgetår", yTop: SVGChart.Axis(title: "Mio. kr.", formatter: nf),
            yBottom: SVGChart.Axis(title: "Andel", formatter: nf, scale: 100, suffix: " %"), title: "Break-even")
        let svg = SVGChart.breakEvenChart(panels)
        #expect(bandSymbols(svg).map(\.fill) == ["#D55E00"])
    }

    @Test func aCILabelGetsANoBreakSpaceAndANowrapSpan() {
        let out = HTML.keepTogether("<th class=\"num\">95 %-KI, samlet udgift</th><p>dens 95 % CI (paired) er bred</p>")
        #expect(out == "<th class=\"num\"><span class=\"nobr\">95\u{00A0}%-KI</span>, samlet udgift</th>"
                    + "<p>dens <span class=\"nobr\">95\u{00A0}% CI (paired)</span> er bred</p>")
        #expect(HTML.css.contains(".nobr { white-space: nowrap; }"))
    }

    @Test func anIntervalIsKeptOnOneLineWithItsTextUnchanged() {
        let out = HTML.keepTogether("<p>ligger på 228,0 – 247,9 mio. kr., −202,8 – −180,1 og 3,5 – 4,3 % (2026 – perioden, 2026–2035, P5–P95)</p>")
        #expect(out == "<p>ligger på <span class=\"nobr\">228,0 – 247,9</span> mio. kr., <span class=\"nobr\">−202,8 – −180,1</span>"
                    + " og <span class=\"nobr\">3,5 – 4,3 %</span> (2026 – perioden, <span class=\"nobr\">2026–2035</span>, <span class=\"nobr\">P5–P95</span>)</p>")
    }

    @Test func tagsAttributesSVGAndPreformattedTextAreLeftAlone() {
        let input = "<div title=\"95 %-KI 1 – 2\"><svg><title>95 %-KI</title><text>1 – 2</text></svg><pre>a: 1 – 2</pre>"
            + "<details><summary>s</summary><pre>b: 95 %-KI</pre></details></div><p>1 – 2</p>"
        let out = HTML.keepTogether(input)
        #expect(out == input.replacingOccurrences(of: "<p>1 – 2</p>", with: "<p><span class=\"nobr\">1 – 2</span></p>"))
    }

    @Test(arguments: ReportLanguage.allCases)
    func everyCILabelInTheTextOfAReportIsKeptTogether(_ language: ReportLanguage) throws {
        let run = try Fixture.run()
        let html = RunReport.html(run: run, scenario: Fixture.scenario(), metadata: Fixture.metadata(run), resolvedYAML: "a: 1\n",
                                  language: language)
        // Outside SVG (whose text cannot wrap) every label has the no-break space.
        var text = html
        while let a = text.range(of: "<svg"), let b = text.range(of: "</svg>", range: a.upperBound..<text.endIndex) {
            text.removeSubrange(a.lowerBound..<b.upperBound)
        }
        if let a = text.range(of: "<title>"), let b = text.range(of: "</title>") { text.removeSubrange(a.lowerBound..<b.upperBound) }
        let label = language == .da ? "95 %-KI" : "95 % CI"
        #expect(!text.contains(label))
        #expect(text.contains("<span class=\"nobr\">" + (language == .da ? "95\u{00A0}%-KI" : "95\u{00A0}% CI")))
        #expect(XML.parse(html) != nil)
    }
}
