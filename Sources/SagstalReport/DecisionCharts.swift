import Foundation

/// Charts of the decision-support reports (sensitivity, threshold): a tornado and a scatter plot.
extension SVGChart {
    /// One row of a tornado: the output's change from the scenario as written with the factor at
    /// LO and at HI (whiskers: their 95 % CIs).
    public struct TornadoRow: Sendable {
        public var label: String
        public var lo: Double
        public var hi: Double
        public var loCI: (Double, Double)?
        public var hiCI: (Double, Double)?
        public var loLabel: String
        public var hiLabel: String
        public init(label: String, lo: Double, hi: Double, loCI: (Double, Double)? = nil, hiCI: (Double, Double)? = nil,
                    loLabel: String = "", hiLabel: String = "") {
            self.label = label
            self.lo = lo
            self.hi = hi
            self.loCI = loCI
            self.hiCI = hiCI
            self.loLabel = loLabel
            self.hiLabel = hiLabel
        }
    }

    /// The vertical grid lines, the x axis with its ticks and labels, and its title, of a chart
    /// with horizontal bars (the tornado, the batch ranking): the plot spans `left … left + plotWidth`
    /// and `top … y0`; `sx` maps a value to its x coordinate.
    static func horizontalValueAxis(ticks: (values: [Double], step: Double), x: Axis, sx: (Double) -> Double, top: Double, y0: Double,
                                    left: Double, plotWidth: Double, height: Double) -> String {
        var out = "<g class=\"grid\" stroke=\"#e3e3e3\" stroke-width=\"1\">"
        for t in ticks.values { out += "<line x1=\"\(f1(sx(t)))\" y1=\"\(f1(top))\" x2=\"\(f1(sx(t)))\" y2=\"\(f1(y0))\"/>" }
        out += "</g><g class=\"axis axis-x\"><line x1=\"\(f1(left))\" y1=\"\(f1(y0))\" x2=\"\(f1(left + plotWidth))\" y2=\"\(f1(y0))\" stroke=\"#555555\"/>"
        for t in ticks.values {
            out += "<g class=\"tick\"><line x1=\"\(f1(sx(t)))\" y1=\"\(f1(y0))\" x2=\"\(f1(sx(t)))\" y2=\"\(f1(y0 + 5))\" stroke=\"#555555\"/><text x=\"\(f1(sx(t)))\" y=\"\(f1(y0 + 18))\" text-anchor=\"middle\" fill=\"#333333\">\(esc(x.label(t, step: ticks.step)))</text></g>"
        }
        out += "<text class=\"axis-title\" x=\"\(f1(left + plotWidth / 2))\" y=\"\(f1(height - 8))\" text-anchor=\"middle\" fill=\"#1a1a1a\" font-weight=\"600\">\(esc(x.title))</text></g>"
        return out
    }

    /// A horizontal tornado chart: one row per factor (largest swing on top), a bar from 0 to the
    /// change at LO (blue) and one to the change at HI (vermillion), whiskers for their CIs, and the
    /// factor's LO/HI values at the bars' ends.
    public static func tornadoChart(rows: [TornadoRow], x: Axis, title: String, loName: String, hiName: String,
                                    whiskerLabel: String, width: Double = 760) -> String {
        let loColour = "#0072B2", hiColour = "#D55E00"
        let labelWidth = min(320, (rows.map { textWidth($0.label) }.max() ?? 60) + 16)
        let rowHeight = 34.0
        let top = 40.0, bottom = 48.0
        let height = top + bottom + rowHeight * Double(max(rows.count, 1))
        var xs: [Double] = [0]
        for r in rows {
            xs += [r.lo, r.hi]
            if let c = r.loCI { xs += [c.0, c.1] }
            if let c = r.hiCI { xs += [c.0, c.1] }
        }
        let finite = xs.filter(\.isFinite)
        let ticks = niceTicks(min: finite.min() ?? 0, max: finite.max() ?? 1, count: 6)
        let xLo = ticks.values.first ?? 0, xHi = ticks.values.last ?? 1
        let left = labelWidth + 8, right = 24.0
        let plotWidth = width - left - right
        func sx(_ v: Double) -> Double { left + (v - xLo) / max(xHi - xLo, 1e-300) * plotWidth }
        let w = f1(width), h = f1(height)
        var out = "<svg class=\"chart chart-tornado\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" role=\"img\" aria-label=\"\(esc(title))\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif\" font-size=\"12\"><title>\(esc(title))</title>"
        out += "<rect class=\"background\" x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>"
        // Legend
        var lx = 10.0
        for (name, colour) in [(loName, loColour), (hiName, hiColour)] {
            out += "<g class=\"legend-entry\"><rect x=\"\(f1(lx + 4))\" y=\"13\" width=\"14\" height=\"12\" fill=\"\(colour)\"/><text x=\"\(f1(lx + 24))\" y=\"23\" fill=\"#1a1a1a\">\(esc(name))</text></g>"
            lx += 24 + textWidth(name) + 22
        }
        out += "<g class=\"legend-note\"><path d=\"M\(f1(lx + 11)) 12L\(f1(lx + 11)) 26M\(f1(lx + 6)) 12L\(f1(lx + 16)) 12M\(f1(lx + 6)) 26L\(f1(lx + 16)) 26\" stroke=\"#1a1a1a\" stroke-width=\"1.4\" fill=\"none\"/><text x=\"\(f1(lx + 24))\" y=\"23\" fill=\"#1a1a1a\">\(esc(whiskerLabel))</text></g>"
        // Grid and axis
        let y0 = top + rowHeight * Double(rows.count)
        out += horizontalValueAxis(ticks: ticks, x: x, sx: sx, top: top, y0: y0, left: left, plotWidth: plotWidth, height: height)
        // Rows
        for (i, r) in rows.enumerated() {
            let cy = top + rowHeight * (Double(i) + 0.5)
            out += "<g class=\"row\" data-factor=\"\(esc(r.label))\">"
            out += "<text x=\"\(f1(left - 8))\" y=\"\(f1(cy + 4))\" text-anchor=\"end\" fill=\"#1a1a1a\">\(esc(r.label))</text>"
            for (v, ci, colour, valueLabel, offset) in [(r.lo, r.loCI, loColour, r.loLabel, -5.0), (r.hi, r.hiCI, hiColour, r.hiLabel, 5.0)] {
                guard v.isFinite else { continue }
                let a = sx(min(0, v)), b = sx(max(0, v))
                let barY = cy + (offset < 0 ? -11 : 1)
                out += "<rect class=\"bar\" x=\"\(f1(a))\" y=\"\(f1(barY))\" width=\"\(f1(max(b - a, 1)))\" height=\"10\" fill=\"\(colour)\"/>"
                if let ci, ci.0.isFinite, ci.1.isFinite {
                    let wy = barY + 5
                    out += "<path class=\"whisker\" d=\"M\(f1(sx(ci.0))) \(f1(wy))L\(f1(sx(ci.1))) \(f1(wy))M\(f1(sx(ci.0))) \(f1(wy - 4))L\(f1(sx(ci.0))) \(f1(wy + 4))M\(f1(sx(ci.1))) \(f1(wy - 4))L\(f1(sx(ci.1))) \(f1(wy + 4))\" stroke=\"#1a1a1a\" stroke-width=\"1.2\" fill=\"none\"/>"
                }
                if !valueLabel.isEmpty {
                    let end = sx(v)
                    let outward = v >= 0
                    let tx = outward ? max(end, ci.map { sx($0.1) } ?? end) + 4 : min(end, ci.map { sx($0.0) } ?? end) - 4
                    out += "<text x=\"\(f1(tx))\" y=\"\(f1(barY + 9))\" text-anchor=\"\(outward ? "start" : "end")\" fill=\"#333333\" font-size=\"10.5\">\(esc(valueLabel))</text>"
                }
            }
            out += "</g>"
        }
        if xLo < 0 && xHi > 0 || xLo == 0 {
            out += "<line class=\"zero-line\" x1=\"\(f1(sx(0)))\" y1=\"\(f1(top))\" x2=\"\(f1(sx(0)))\" y2=\"\(f1(y0))\" stroke=\"#1a1a1a\" stroke-width=\"1.2\"/>"
        }
        return out + "</svg>"
    }

    /// One labelled point of a scatter plot, with an optional horizontal error bar.
    public struct ScatterPoint: Sendable {
        public var label: String
        public var x: Double
        public var y: Double
        public var xCI: (Double, Double)?
        public var colour: String
        public init(label: String, x: Double, y: Double, xCI: (Double, Double)? = nil, colour: String = "#0072B2") {
            self.label = label
            self.x = x
            self.y = y
            self.xCI = xCI
            self.colour = colour
        }
    }

    /// A scatter plot of labelled points (Morris: μ* across, σ up), both axes from zero, with an
    /// optional reference line y = slope · x (Morris: σ/μ* = 0.1 or 1 separates linear from
    /// non-linear/interacting factors).
    public static func scatterChart(points: [ScatterPoint], x: Axis, y: Axis, title: String, whiskerLabel: String? = nil,
                                    referenceSlopes: [(slope: Double, label: String)] = [], size: Size = Size()) -> String {
        let ys: [Double] = points.map(\.y) + [0]
        var xsAll: [Double] = [0]
        for p in points {
            xsAll.append(p.x)
            if let ci = p.xCI { xsAll += [ci.0, ci.1] }
        }
        var yAxis = y
        yAxis.includeZero = true
        let xNice = niceTicks(min: min(0, xsAll.min() ?? 0), max: xsAll.max() ?? 1, count: 6)
        var legend: [LegendEntry] = []
        if let whiskerLabel, points.contains(where: { $0.xCI != nil }) { legend.append(LegendEntry(label: whiskerLabel, kind: .whisker)) }
        for r in referenceSlopes { legend.append(LegendEntry(label: r.label, kind: .line(colour: "#8C8C8C", dashed: true))) }
        var xAxis = x
        xAxis.ticks = xNice.values.map { Tick($0, x.label($0, step: xNice.step)) }
        var frame = Frame(size: size, legend: legend, y: yAxis, ys: ys, xAxis: xAxis)
        frame.setX(lo: xNice.values.first ?? 0, hi: xNice.values.last ?? 1)
        var out = frame.open(kind: "chart-scatter", title: title)
        out += frame.grid()
        out += frame.xAxis(ticks: xAxis.ticks!)
        out += frame.yAxis()
        for r in referenceSlopes {
            // y = slope · x from the origin to the plot's edge.
            let xEnd = min(frame.xHi, r.slope > 0 ? frame.yHi / r.slope : frame.xHi)
            out += "<line class=\"reference\" x1=\"\(f1(frame.sx(0)))\" y1=\"\(f1(frame.sy(0)))\" x2=\"\(f1(frame.sx(xEnd)))\" y2=\"\(f1(frame.sy(r.slope * xEnd)))\" stroke=\"#8C8C8C\" stroke-width=\"1.3\" stroke-dasharray=\"6 3\"/>"
        }
        for p in points where p.x.isFinite && p.y.isFinite {
            let cx = frame.sx(p.x), cy = frame.sy(p.y)
            out += "<g class=\"point\" data-label=\"\(esc(p.label))\">"
            if let ci = p.xCI, ci.0.isFinite, ci.1.isFinite {
                let a = frame.sx(ci.0), b = frame.sx(ci.1)
                out += "<path class=\"whisker\" d=\"M\(f1(a)) \(f1(cy))L\(f1(b)) \(f1(cy))M\(f1(a)) \(f1(cy - 4))L\(f1(a)) \(f1(cy + 4))M\(f1(b)) \(f1(cy - 4))L\(f1(b)) \(f1(cy + 4))\" stroke=\"#1a1a1a\" stroke-width=\"1.1\" fill=\"none\"/>"
            }
            out += "<circle cx=\"\(f1(cx))\" cy=\"\(f1(cy))\" r=\"5\" fill=\"\(p.colour)\" stroke=\"#ffffff\" stroke-width=\"1\"/>"
            let rightSide = cx + 8 + textWidth(p.label) <= frame.left + frame.plotWidth
            out += "<text x=\"\(f1(rightSide ? cx + 8 : cx - 8))\" y=\"\(f1(cy - 7))\" text-anchor=\"\(rightSide ? "start" : "end")\" fill=\"#1a1a1a\">\(esc(p.label))</text>"
            out += "</g>"
        }
        out += frame.legendSVG()
        return out + "</svg>"
    }
}

/// The parts of the reports that other modules' reports (sensitivity, threshold, optimise) use:
/// the page with its style sheet, tables, figures, cards, the warnings box and the footer.
public enum ReportKit {
    public static func esc(_ s: String) -> String { HTML.esc(s) }

    /// The whole self-contained document (inline CSS, no script).
    public static func page(language: ReportLanguage, title: String, body: String) -> String {
        HTML.page(language: language, title: title, body: body)
    }

    /// The report header: kicker, title, meta lines (escaped here).
    public static func header(kicker: String, title: String, meta: [String]) -> String {
        "<header class=\"report\"><p class=\"kicker\">\(esc(kicker))</p><h1>\(esc(title))</h1>"
            + meta.map { "<p class=\"meta\">\(esc($0))</p>" }.joined() + "</header>"
    }

    /// A table; cells are raw HTML (escape text with `esc`); `numeric` marks right-aligned columns.
    public static func table(header: [String], rows: [[String]], numeric: Set<Int> = [], rowClasses: [String?] = [],
                             caption: String? = nil) -> String {
        HTML.table(header: header.enumerated().map { .raw(esc($0.element), numeric: numeric.contains($0.offset)) },
                   rows: rows.map { $0.enumerated().map { .raw($0.element, numeric: numeric.contains($0.offset)) } },
                   rowClasses: rowClasses, caption: caption)
    }

    public static func figure(_ caption: String, _ svg: String, note: String? = nil) -> String {
        HTML.figure(caption, svg, note: note)
    }

    public static func cards(_ cards: [(label: String, value: String, ci: String?)]) -> String {
        ReportParts.cards(cards.map { ReportParts.card(label: $0.label, value: $0.value, ci: $0.ci) })
    }

    public static func warnings(_ warnings: [OutputWarning], language: ReportLanguage) -> String {
        WarningsBox.html(warnings, language: language)
    }

    /// The Warnings box for warnings that are sentences rather than located values.
    public static func warnings(sentences: [String], language: ReportLanguage) -> String {
        WarningsBox.html(sentences: sentences, language: language)
    }

    /// The unit money is shown in for values up to `maxAbs`: (divisor, "million DKK" / "mio. kr."), as in every report.
    public static func moneyScale(_ maxAbs: Double, language: ReportLanguage) -> (divisor: Double, unit: String) {
        ReportParts.moneyScale(maxAbs, language)
    }

    public static func footer(tool: ToolInfo, seed: UInt64, replications: Int, events: Int?, language: ReportLanguage) -> String {
        ReportParts.footer(tool: tool, seed: seed, replications: replications, events: events, language: language)
    }

    public static func resolvedYAML(_ yaml: String, language: ReportLanguage, title: String? = nil) -> String {
        ReportParts.resolvedYAML(yaml, language: language, title: title)
    }
}
