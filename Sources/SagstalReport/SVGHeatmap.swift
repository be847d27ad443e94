import Foundation

extension SVGChart {
    /// How a heat-map cell is outlined.
    public enum CellOutline: Sendable, Equatable {
        /// A thick black frame (e.g. the chosen configuration).
        case strong
        /// A dashed black frame (e.g. the runner-up).
        case dashed
        /// A dotted frame in Okabe–Ito yellow's dark gold (e.g. undecided at the maximum).
        case dotted
    }

    /// One cell of a heat map: its column and row, the value its colour shows, the text in it.
    public struct HeatCell: Sendable {
        public var column: Int
        public var row: Int
        /// Coloured on the ramp; nil: no value (light grey).
        public var value: Double?
        /// Lines of text drawn in the cell when they fit.
        public var lines: [String]
        /// Hatched in vermillion (e.g. infeasible).
        public var hatched: Bool
        public var outline: CellOutline?
        /// The cell's tooltip (`<title>`).
        public var title: String

        public init(column: Int, row: Int, value: Double?, lines: [String] = [], hatched: Bool = false,
                    outline: CellOutline? = nil, title: String = "") {
            self.column = column
            self.row = row
            self.value = value
            self.lines = lines
            self.hatched = hatched
            self.outline = outline
            self.title = title
        }
    }

    /// A legend entry of a heat map.
    public enum HeatLegend: Sendable {
        case hatched(String)
        case outline(CellOutline, String)
    }

    /// The colour ramp of heat maps: from Okabe–Ito blue (#0072B2, the lowest value) to a very
    /// light blue (the highest); t in [0, 1].
    static func rampColour(_ t: Double) -> String {
        let t = Swift.min(Swift.max(t.isFinite ? t : 0, 0), 1)
        let lo = (0x00, 0x72, 0xB2), hi = (0xEE, 0xF4, 0xF9)
        func mix(_ a: Int, _ b: Int) -> Int { Int((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        return String(format: "#%02X%02X%02X", mix(lo.0, hi.0), mix(lo.1, hi.1), mix(lo.2, hi.2))
    }

    /// Whether text on the ramp colour at t should be white (dark cells) rather than black.
    static func darkOnRamp(_ t: Double) -> Bool { t < 0.45 }

    /// A heat map over two categorical axes: columns left to right, rows bottom to top, each cell
    /// coloured by its value on a blue ramp (dark = low), optionally hatched, outlined and labelled.
    ///
    /// Same structure as the other charts: root `<svg class="chart chart-heatmap">` with a
    /// `<title>`, `<g class="legend">` above the plot (a gradient bar for the ramp, then the
    /// `legend` entries), `<g class="axis axis-x">` and `<g class="axis axis-y">` with `<g class="tick">`
    /// and an `axis-title`, and `<g class="series" data-series="cells">` with one
    /// `<g class="cell">` per cell.
    ///
    /// - Parameters:
    ///   - columns: the column labels (e.g. caseworkers).
    ///   - rows: the row labels, the first at the bottom (e.g. caps).
    ///   - rampLabel: what the colour shows, with its lowest and highest value as text.
    ///   - legend: the meaning of hatching and outlines.
    public static func heatmap(columns: [String], rows: [String], cells: [HeatCell], xTitle: String, yTitle: String,
                               title: String, rampLabel: (label: String, low: String, high: String),
                               legend: [HeatLegend] = [], width: Double = 900) -> String {
        let id = "h" + String(SVGChart.fnv(title), radix: 36)
        let values = cells.compactMap(\.value).filter(\.isFinite)
        let vLo = values.min() ?? 0, vHi = values.max() ?? 1
        func t(_ v: Double) -> Double { vHi > vLo ? (v - vLo) / (vHi - vLo) : 0 }
        // Legend: the ramp bar and its labels, then the entries, wrapped.
        let pad = 10.0, rowHeight = 18.0
        var legendItems: [(svg: (Double, Double) -> String, width: Double)] = []
        let rampText = "\(rampLabel.label): \(rampLabel.low)"
        let rampWidth = SVGChart.textWidth(rampText) + 6 + 90 + 6 + SVGChart.textWidth(rampLabel.high) + 18
        legendItems.append(({ x, y in
            var s = "<g class=\"legend-note\"><text x=\"\(f1(x))\" y=\"\(f1(y + 4))\" fill=\"#1a1a1a\">\(esc(rampText))</text>"
            let bx = x + SVGChart.textWidth(rampText) + 6
            s += "<rect x=\"\(f1(bx))\" y=\"\(f1(y - 6))\" width=\"90\" height=\"12\" fill=\"url(#\(id)-ramp)\" stroke=\"#8a99a8\" stroke-width=\"0.6\"/>"
            s += "<text x=\"\(f1(bx + 96))\" y=\"\(f1(y + 4))\" fill=\"#1a1a1a\">\(esc(rampLabel.high))</text></g>"
            return s
        }, rampWidth))
        for entry in legend {
            switch entry {
            case .hatched(let label):
                legendItems.append(({ x, y in
                    "<g class=\"legend-entry\"><rect x=\"\(f1(x))\" y=\"\(f1(y - 7))\" width=\"22\" height=\"14\" fill=\"url(#\(id)-hatch)\" stroke=\"#D55E00\" stroke-width=\"0.8\"/>"
                        + "<text x=\"\(f1(x + 28))\" y=\"\(f1(y + 4))\" fill=\"#1a1a1a\">\(esc(label))</text></g>"
                }, 28 + SVGChart.textWidth(label) + 18))
            case .outline(let kind, let label):
                legendItems.append(({ x, y in
                    "<g class=\"legend-entry\">" + outlineRect(x: x + 1, y: y - 7, w: 20, h: 14, kind)
                        + "<text x=\"\(f1(x + 28))\" y=\"\(f1(y + 4))\" fill=\"#1a1a1a\">\(esc(label))</text></g>"
                }, 28 + SVGChart.textWidth(label) + 18))
            }
        }
        var placed: [(Int, Double, Double)] = []
        var x = pad, line = 0
        for (i, item) in legendItems.enumerated() {
            if x + item.width > width - pad && x > pad { line += 1; x = pad }
            placed.append((i, x, pad + 9 + Double(line) * rowHeight))
            x += item.width
        }
        let legendHeight = Double(line + 1) * rowHeight
        // Plot geometry.
        let labelWidth = rows.map { SVGChart.textWidth($0) }.max() ?? 20
        let left = 8 + 16 + 8 + labelWidth + 8
        let right = 14.0
        let top = pad + legendHeight + 10
        let cellH = Swift.max(16, Swift.min(46, 440 / Double(Swift.max(rows.count, 1))))
        let plotW = width - left - right
        let cellW = plotW / Double(Swift.max(columns.count, 1))
        let plotH = cellH * Double(rows.count)
        let bottom = 8 + 20 + 20.0
        let height = top + plotH + bottom
        func cx(_ c: Int) -> Double { left + Double(c) * cellW }
        func cy(_ r: Int) -> Double { top + Double(rows.count - 1 - r) * cellH }

        var out = "<svg class=\"chart chart-heatmap\" viewBox=\"0 0 \(f1(width)) \(f1(height))\" width=\"\(f1(width))\" height=\"\(f1(height))\" role=\"img\" aria-label=\"\(esc(title))\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif\" font-size=\"\(Int(Frame.fontSize))\"><title>\(esc(title))</title>"
        out += "<defs><linearGradient id=\"\(id)-ramp\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"0\">"
        for k in 0...4 { out += "<stop offset=\"\(f1(Double(k) * 25))%\" stop-color=\"\(rampColour(Double(k) / 4))\"/>" }
        out += "</linearGradient><pattern id=\"\(id)-hatch\" patternUnits=\"userSpaceOnUse\" width=\"7\" height=\"7\" patternTransform=\"rotate(45)\">"
        out += "<rect width=\"7\" height=\"7\" fill=\"#ffffff\" fill-opacity=\"0.35\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"7\" stroke=\"#D55E00\" stroke-width=\"2.6\"/></pattern></defs>"
        out += "<rect class=\"background\" x=\"0\" y=\"0\" width=\"\(f1(width))\" height=\"\(f1(height))\" fill=\"#ffffff\"/>"
        // Cells.
        out += "<g class=\"series\" data-series=\"cells\">"
        let fits2 = cellW >= 46 && cellH >= 30, fits1 = cellW >= 34 && cellH >= 16
        for c in cells where columns.indices.contains(c.column) && rows.indices.contains(c.row) {
            let x0 = cx(c.column), y0 = cy(c.row)
            let tv = c.value.map(t)
            let fill = tv.map(rampColour) ?? "#e3e3e3"
            out += "<g class=\"cell\" data-column=\"\(esc(columns[c.column]))\" data-row=\"\(esc(rows[c.row]))\">"
            if !c.title.isEmpty { out += "<title>\(esc(c.title))</title>" }
            out += "<rect x=\"\(f1(x0))\" y=\"\(f1(y0))\" width=\"\(f1(cellW))\" height=\"\(f1(cellH))\" fill=\"\(fill)\" stroke=\"#ffffff\" stroke-width=\"1\"/>"
            if c.hatched {
                out += "<rect class=\"hatch\" x=\"\(f1(x0))\" y=\"\(f1(y0))\" width=\"\(f1(cellW))\" height=\"\(f1(cellH))\" fill=\"url(#\(id)-hatch)\" stroke=\"none\"/>"
            }
            let lines = fits2 ? Array(c.lines.prefix(2)) : (fits1 ? Array(c.lines.prefix(1)) : [])
            if !lines.isEmpty {
                let dark = (tv.map(darkOnRamp) ?? false) && !c.hatched
                let colour = dark ? "#ffffff" : "#1a1a1a"
                let step = 13.0
                let y1 = y0 + cellH / 2 - Double(lines.count - 1) * step / 2 + 4
                for (k, text) in lines.enumerated() {
                    let fitted = SVGChart.textWidth(text, size: 11) <= cellW - 4 ? text : String(text.prefix(max(1, Int((cellW - 4) / 6.5))))
                    var label = "<text x=\"\(f1(x0 + cellW / 2))\" y=\"\(f1(y1 + Double(k) * step))\" text-anchor=\"middle\" font-size=\"11\" fill=\"\(colour)\""
                    if c.hatched { label += " stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"" }
                    out += label + ">\(esc(fitted))</text>"
                }
            }
            out += "</g>"
        }
        // Outlines on top, so that neighbours do not cover them.
        for c in cells where c.outline != nil && columns.indices.contains(c.column) && rows.indices.contains(c.row) {
            out += "<g class=\"outline\">" + outlineRect(x: cx(c.column) + 1.5, y: cy(c.row) + 1.5, w: cellW - 3, h: cellH - 3, c.outline!) + "</g>"
        }
        out += "</g>"
        // Axes.
        out += "<g class=\"axis axis-x\">"
        let every = Swift.max(1, Int((((columns.map { SVGChart.textWidth($0) }.max() ?? 0) + 8) / Swift.max(cellW, 1)).rounded(.up)))
        for (k, label) in columns.enumerated() {
            let xm = cx(k) + cellW / 2, y0 = top + plotH
            out += "<g class=\"tick\"><line x1=\"\(f1(xm))\" y1=\"\(f1(y0))\" x2=\"\(f1(xm))\" y2=\"\(f1(y0 + 4))\" stroke=\"#555555\"/>"
            if k % every == 0 {
                out += "<text x=\"\(f1(xm))\" y=\"\(f1(y0 + 17))\" text-anchor=\"middle\" fill=\"#333333\">\(esc(label))</text>"
            }
            out += "</g>"
        }
        out += "<text class=\"axis-title\" x=\"\(f1(left + plotW / 2))\" y=\"\(f1(height - 8))\" text-anchor=\"middle\" fill=\"#1a1a1a\" font-weight=\"600\">\(esc(xTitle))</text></g>"
        out += "<g class=\"axis axis-y\">"
        let everyRow = Swift.max(1, Int((14 / cellH).rounded(.up)))
        for (k, label) in rows.enumerated() {
            let ym = cy(k) + cellH / 2
            out += "<g class=\"tick\"><line x1=\"\(f1(left - 4))\" y1=\"\(f1(ym))\" x2=\"\(f1(left))\" y2=\"\(f1(ym))\" stroke=\"#555555\"/>"
            if k % everyRow == 0 {
                out += "<text x=\"\(f1(left - 7))\" y=\"\(f1(ym + 4))\" text-anchor=\"end\" fill=\"#333333\">\(esc(label))</text>"
            }
            out += "</g>"
        }
        out += "<text class=\"axis-title\" transform=\"translate(\(f1(8 + 11)) \(f1(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\" fill=\"#1a1a1a\" font-weight=\"600\">\(esc(yTitle))</text></g>"
        // Legend.
        out += "<g class=\"legend\">"
        for (i, lx, ly) in placed { out += legendItems[i].svg(lx, ly) }
        out += "</g>"
        return out + "</svg>"
    }

    static func outlineRect(x: Double, y: Double, w: Double, h: Double, _ kind: CellOutline) -> String {
        switch kind {
        case .strong:
            return "<rect x=\"\(f1(x))\" y=\"\(f1(y))\" width=\"\(f1(w))\" height=\"\(f1(h))\" fill=\"none\" stroke=\"#000000\" stroke-width=\"3\"/>"
        case .dashed:
            return "<rect x=\"\(f1(x))\" y=\"\(f1(y))\" width=\"\(f1(w))\" height=\"\(f1(h))\" fill=\"none\" stroke=\"#000000\" stroke-width=\"1.6\" stroke-dasharray=\"4 3\"/>"
        case .dotted:
            return "<rect x=\"\(f1(x))\" y=\"\(f1(y))\" width=\"\(f1(w))\" height=\"\(f1(h))\" fill=\"none\" stroke=\"#C9B800\" stroke-width=\"2.2\" stroke-dasharray=\"1.5 2.5\"/>"
        }
    }

    /// FNV-1a of a text, for ids that differ between charts of one page.
    static func fnv(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }
}
