import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import SagstalReport

/// The chart primitives write well-formed SVG with axes, ticks, titles, one group per series and
/// a legend entry per series.
@Suite struct SVGChartTests {
    let nf = ReportNumberFormatter(.da)

    /// Checks what every chart has; returns the root element.
    func checkChart(_ svg: String, kind: String, series: [String], xTitle: String, yTitle: String,
                    sourceLocation: SourceLocation = #_sourceLocation) -> XMLElement? {
        guard let doc = XML.parse(svg, sourceLocation: sourceLocation), let root = doc.rootElement() else { return nil }
        #expect(root.name == "svg", sourceLocation: sourceLocation)
        let classes: String = root.attribute(forName: "class")?.stringValue ?? ""
        #expect(classes.split(separator: " ").contains(Substring(kind)), sourceLocation: sourceLocation)
        #expect(root.attribute(forName: "viewBox") != nil, sourceLocation: sourceLocation)
        #expect(XML.elements("title", in: root).count == 1, sourceLocation: sourceLocation)
        let axes = XML.withClass("axis", in: root)
        #expect(axes.count == 2, sourceLocation: sourceLocation)
        let xAxis = XML.withClass("axis-x", in: root), yAxis = XML.withClass("axis-y", in: root)
        #expect(xAxis.count == 1 && yAxis.count == 1, sourceLocation: sourceLocation)
        for (axis, title) in [(xAxis.first, xTitle), (yAxis.first, yTitle)] {
            guard let axis else { continue }
            let titles = XML.withClass("axis-title", in: axis).map(XML.text)
            #expect(titles == [title], sourceLocation: sourceLocation)
            let ticks = XML.withClass("tick", in: axis)
            #expect(ticks.count >= 2, sourceLocation: sourceLocation)
            #expect(ticks.contains { !XML.text($0).isEmpty }, sourceLocation: sourceLocation)
        }
        let groups = XML.withClass("series", in: root, element: "g")
        #expect(groups.compactMap { $0.attribute(forName: "data-series")?.stringValue } == series, sourceLocation: sourceLocation)
        let legend = XML.withClass("legend", in: root, element: "g")
        #expect(legend.count == 1, sourceLocation: sourceLocation)
        let entries = XML.withClass("legend-entry", in: root).map(XML.text)
        #expect(entries == series, sourceLocation: sourceLocation)
        // Text is text, not paths; nothing fetched or run.
        #expect(!svg.contains("<script") && !svg.contains("http://") && !svg.contains("https://") && !svg.contains("href"),
                sourceLocation: sourceLocation)
        return root
    }

    @Test func lineChartWithBands() throws {
        let x = (0..<24).map(Double.init)
        let a = SVGChart.LineSeries(name: "Forebyggelse", x: x, y: x.map { 60 + $0 }, lower: x.map { 50 + $0 }, upper: x.map { 70 + $0 },
                                    colour: SVGChart.okabeIto[1])
        var b = SVGChart.LineSeries(name: "Pleje <&> \"familie\"", x: x, y: x.map { $0 == 5 ? nil : 20 + $0 },
                                    lower: x.map { 15 + $0 }, upper: x.map { 25 + $0 }, colour: SVGChart.okabeIto[3])
        b.dashed = true
        let svg = SVGChart.lineChart(
            series: [a, b],
            x: SVGChart.Axis(title: "Budgetår", formatter: nf, ticks: [SVGChart.Tick(0, "2026"), SVGChart.Tick(12, "2027")]),
            y: SVGChart.Axis(title: "Børn", formatter: nf), title: "Børn på hvert trin", bandLabel: "90 % af gentagelserne",
            markers: [SVGChart.VerticalMarker(x: 12, label: "break-even 2027")], zeroLine: true)
        guard let root = checkChart(svg, kind: "chart-line", series: [a.name, b.name], xTitle: "Budgetår", yTitle: "Børn") else { return }
        for group in XML.withClass("series", in: root, element: "g") {
            #expect(XML.withClass("line", in: group, element: "path").count == 1)
            #expect(XML.withClass("band", in: group, element: "path").count >= 1)
        }
        // The gap at x = 5 breaks the second line into two sub-paths.
        let d = XML.withClass("line", in: root, element: "path")[1].attribute(forName: "d")?.stringValue ?? ""
        #expect(d.filter { $0 == "M" }.count == 2)
        #expect(XML.withClass("legend-note", in: root).map(XML.text) == ["90 % af gentagelserne"])
        #expect(XML.withClass("marker", in: root).map(XML.text) == ["break-even 2027"])
        // Nice ticks in Danish: 0, 20, …, 100 children.
        let yLabels = XML.withClass("tick", in: XML.withClass("axis-y", in: root)[0]).map(XML.text)
        #expect(yLabels == ["0", "20", "40", "60", "80", "100"])
    }

    @Test func barChartWithWhiskers() throws {
        let years = ["2026", "2027", "2028"]
        let a = SVGChart.BarSeries(name: "A", values: [24, 21.5, nil], lower: [22, 20, nil], upper: [26, 23, nil], colour: "#0072B2")
        let b = SVGChart.BarSeries(name: "B", values: [-3, 2, 4], lower: [-4, 1, 3], upper: [-2, 3, 5], colour: "#D55E00")
        let svg = SVGChart.barChart(categories: years, series: [a, b], xTitle: "Budgetår",
                                    y: SVGChart.Axis(title: "Udgift (mio. kr.)", formatter: nf), title: "Udgift",
                                    whiskerLabel: "95 %-KI")
        guard let root = checkChart(svg, kind: "chart-bar", series: ["A", "B"], xTitle: "Budgetår", yTitle: "Udgift (mio. kr.)") else { return }
        let groups = XML.withClass("series", in: root, element: "g")
        #expect(XML.withClass("bar", in: groups[0], element: "rect").count == 2)      // nil is not drawn
        #expect(XML.withClass("bar", in: groups[1], element: "rect").count == 3)
        #expect(XML.withClass("whisker", in: groups[0], element: "path").count == 2)
        #expect(XML.withClass("whisker", in: groups[1], element: "path").count == 3)
        #expect(XML.withClass("zero-line", in: root).count == 1)
        let xLabels = XML.withClass("tick", in: XML.withClass("axis-x", in: root)[0]).map(XML.text)
        #expect(xLabels == years)
        #expect(XML.withClass("legend-note", in: root).map(XML.text) == ["95 %-KI"])
    }

    @Test func stackedBars() throws {
        let years = ["2026", "2027"]
        let layers = [
            SVGChart.BarSeries(name: "Løn", values: [7.5, 7.6], colour: "#0072B2"),
            SVGChart.BarSeries(name: "Plejefamilie", values: [20, 21], colour: "#E69F00"),
            SVGChart.BarSeries(name: "Engangsudgifter", values: [1.2, 0], colour: "#C8C8C8"),
        ]
        let svg = SVGChart.stackedBarChart(categories: years, series: layers, xTitle: "Budgetår",
                                           y: SVGChart.Axis(title: "Udgift (mio. kr.)", formatter: nf), title: "Udgift pr. år")
        guard let root = checkChart(svg, kind: "chart-stacked", series: layers.map(\.name), xTitle: "Budgetår",
                                    yTitle: "Udgift (mio. kr.)") else { return }
        let groups = XML.withClass("series", in: root, element: "g")
        #expect(groups.map { XML.withClass("bar", in: $0, element: "rect").count } == [2, 2, 1])   // zero is not drawn
        // The stack's top reaches the sum: the axis goes to at least 28.8.
        let yLabels = XML.withClass("tick", in: XML.withClass("axis-y", in: root)[0]).map(XML.text)
        #expect(yLabels.last == "30")
    }

    @Test func percentAxisAndDecimals() throws {
        let svg = SVGChart.lineChart(
            series: [SVGChart.LineSeries(name: "Over loft", x: [0, 1, 2], y: [0.05, 0.153, 0.037], colour: "#D55E00", points: true)],
            x: SVGChart.Axis(title: "teams.east.cap", formatter: nf, ticks: [SVGChart.Tick(0, "15"), SVGChart.Tick(1, "20"), SVGChart.Tick(2, "25")]),
            y: SVGChart.Axis(title: "Andel af tiden", formatter: nf, scale: 100, suffix: " %"), title: "Over loft")
        guard let root = checkChart(svg, kind: "chart-line", series: ["Over loft"], xTitle: "teams.east.cap", yTitle: "Andel af tiden") else { return }
        let yLabels = XML.withClass("tick", in: XML.withClass("axis-y", in: root)[0]).map(XML.text)
        #expect(yLabels == ["0 %", "5 %", "10 %", "15 %", "20 %"])
        #expect(XML.elements("circle", in: root).count == 3)
        let small = SVGChart.Axis(title: "", formatter: nf)
        #expect(small.label(2.5, step: 0.5) == "2,5")
        #expect(small.label(0.05, step: 0.05) == "0,05")
        #expect(small.label(12_000, step: 2_000) == "12.000")
    }

    @Test func niceTicks() {
        #expect(SVGChart.niceTicks(min: 0, max: 97).values == [0, 20, 40, 60, 80, 100])
        #expect(SVGChart.niceTicks(min: 0, max: 0.37).values == [0, 0.1, 0.2, 0.30000000000000004, 0.4]
                || SVGChart.niceTicks(min: 0, max: 0.37).values == [0, 0.1, 0.2, 0.3, 0.4])
        #expect(SVGChart.niceTicks(min: 565.2, max: 584.1).values == [565, 570, 575, 580, 585])
        let neg = SVGChart.niceTicks(min: -99.9, max: 0)
        #expect(neg.values.first! <= -99.9 && neg.values.last! == 0 && neg.step == 20)
        // Degenerate ranges still give two ticks.
        #expect(SVGChart.niceTicks(min: 0, max: 0).values.count >= 2)
        #expect(SVGChart.niceTicks(min: 5, max: 5).values.count >= 2)
        #expect(SVGChart.niceNumber(0.37, round: false) == 0.5)
        #expect(SVGChart.niceNumber(7.4, round: true) == 10)
        #expect(SVGChart.niceNumber(2.9, round: true) == 2)
    }

    @Test func emptyAndMissingDataStillDrawAChart() throws {
        let svg = SVGChart.lineChart(series: [SVGChart.LineSeries(name: "Ingen", x: [0, 1], y: [nil, nil], colour: "#000000")],
                                     x: SVGChart.Axis(title: "x", formatter: nf), y: SVGChart.Axis(title: "y", formatter: nf),
                                     title: "tom")
        _ = checkChart(svg, kind: "chart-line", series: ["Ingen"], xTitle: "x", yTitle: "y")
        let bars = SVGChart.barChart(categories: [], series: [], xTitle: "x", y: SVGChart.Axis(title: "y", formatter: nf), title: "tom")
        #expect(XML.parse(bars)?.rootElement()?.name == "svg")
    }
}

extension SVGChartTests {
    @Test func niceTicksWasteLittleRoom() {
        // 0 … −104.8 (a cumulative net cost): steps of 20, not 50 with an empty third.
        #expect(SVGChart.niceTicks(min: -104.8, max: 0).values == [-120, -100, -80, -60, -40, -20, 0])
        #expect(SVGChart.niceTicks(min: 0, max: 28.7).values == [0, 5, 10, 15, 20, 25, 30])
        #expect(SVGChart.niceTicks(min: 0, max: 1_160_000).step == 200_000)
        for (lo, hi) in [(0.0, 1.0), (3.2, 3.9), (-5.0, 7.0), (12_077.0, 12_376.0), (0.0, 0.0004)] {
            let t = SVGChart.niceTicks(min: lo, max: hi)
            #expect(t.values.first! <= lo && t.values.last! >= hi, "\(lo)…\(hi)")
            #expect(t.values.count >= 3 && t.values.count <= 8, "\(lo)…\(hi): \(t.values)")
        }
    }
    /// The break-even chart: two panels on one time axis, the curve from 0 at the start, the
    /// crossing where it is given, every year labelled and the grey slot labelled apart.
    @Test func breakEvenChartHasTwoAlignedPanels() throws {
        let years = (2026...2035).map(String.init)
        let mean: [Double?] = [0.5, 1.8, 1.1, -1.7, -5.9, -11.3, -17.5, -24.1, -31.1, -38.5]
        let panels = SVGChart.BreakEvenPanels(
            years: years, mean: mean, lower: mean.map { $0.map { $0 - 0.5 } }, upper: mean.map { $0.map { $0 + 0.5 } },
            curveName: "Gennemsnit", colour: "#D55E00", bandLabel: "95 %-KI", crossing: 3.39, crossingLabel: "≤ 0 fra ≈ 2029-05",
            shares: [0.005, 0.005, 0.185, 0.515, 0.25, 0.04, 0, 0, 0, 0], laterShare: 0, barName: "Gentagelser",
            laterName: "ikke inden for perioden", laterTick: "senere", medianIndex: 3, medianLabel: "median 2029",
            xTitle: "Budgetår", yTop: SVGChart.Axis(title: "Mio. kr.", formatter: nf),
            yBottom: SVGChart.Axis(title: "Andel", formatter: nf, scale: 100, suffix: " %"), title: "Break-even")
        let svg = SVGChart.breakEvenChart(panels)
        guard let root = XML.parse(svg)?.rootElement() else { return }
        #expect(root.attribute(forName: "class")?.stringValue == "chart chart-breakeven")
        let curve = XML.withClass("panel-curve", in: root), bars = XML.withClass("panel-distribution", in: root)
        #expect(curve.count == 1 && bars.count == 1)
        guard let top = curve.first, let bottom = bars.first else { return }
        // Every year labelled (a long word for the grey slot does not thin them out), then "senere".
        #expect(XML.withClass("tick", in: XML.withClass("axis-x", in: bottom)[0]).map(XML.text) == years + ["senere"])
        // The curve has 11 points (0 at the start, then the end of each year); the crossing is marked once above.
        #expect(XML.withClass("point", in: top).count == 11)
        #expect(XML.withClass("marker", in: top).map(XML.text) == ["≤ 0 fra ≈ 2029-05"])
        #expect(XML.withClass("crossing", in: bottom).count == 1)
        // Bars where the share is positive (six years, no grey bar); the median's outlined and marked.
        let barRects = XML.withClass("bar", in: bottom)
        #expect(barRects.count == 6)
        #expect(barRects.filter { $0.attribute(forName: "stroke") != nil }.count == 1)
        #expect(XML.withClass("marker", in: bottom).map(XML.text) == ["median 2029"])
        // The panels share the x scale: the crossing line below is where the marker line is above.
        let above = XML.elements("line", in: XML.withClass("marker", in: top)[0]).first?.attribute(forName: "x1")?.stringValue
        let below = XML.withClass("crossing", in: bottom).first?.attribute(forName: "x1")?.stringValue
        #expect(above != nil && above == below)
        #expect(bottom.attribute(forName: "transform")?.stringValue?.hasPrefix("translate(0 ") == true)
    }
}
