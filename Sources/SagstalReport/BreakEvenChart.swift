import Foundation

extension SVGChart {
    /// What the two panels of ``breakEvenChart(_:)`` show.
    public struct BreakEvenPanels: Sendable {
        /// Budget-year labels, one per year of the horizon.
        public var years: [String]
        /// The mean cumulative net cost at the end of each budget year (already scaled to the
        /// axis unit), with the bounds of its band; the curve starts at 0 at the start.
        public var mean: [Double?]
        public var lower: [Double?]
        public var upper: [Double?]
        public var curveName: String
        public var colour: String
        /// What the band means (legend note).
        public var bandLabel: String
        /// Where the mean crosses zero for good, in years from the start (``BreakEven/crossing(cumulativeNetCost:)``).
        public var crossing: Double?
        public var crossingLabel: String
        /// Share of replications breaking even for good in each budget year, and the share not
        /// within the horizon (drawn as a grey bar after the last year).
        public var shares: [Double]
        public var laterShare: Double
        public var barName: String
        public var laterName: String
        /// The tick label of the grey bar (short: "later").
        public var laterTick: String
        /// The median break-even year (index into `years`), marked on the lower panel.
        public var medianIndex: Int?
        public var medianLabel: String
        public var xTitle: String
        public var yTop: Axis
        public var yBottom: Axis
        public var title: String

        public init(years: [String], mean: [Double?], lower: [Double?], upper: [Double?], curveName: String, colour: String,
                    bandLabel: String, crossing: Double?, crossingLabel: String, shares: [Double], laterShare: Double,
                    barName: String, laterName: String, laterTick: String, medianIndex: Int?, medianLabel: String,
                    xTitle: String, yTop: Axis, yBottom: Axis, title: String) {
            self.years = years
            self.mean = mean
            self.lower = lower
            self.upper = upper
            self.curveName = curveName
            self.colour = colour
            self.bandLabel = bandLabel
            self.crossing = crossing
            self.crossingLabel = crossingLabel
            self.shares = shares
            self.laterShare = laterShare
            self.barName = barName
            self.laterName = laterName
            self.laterTick = laterTick
            self.medianIndex = medianIndex
            self.medianLabel = medianLabel
            self.xTitle = xTitle
            self.yTop = yTop
            self.yBottom = yBottom
            self.title = title
        }
    }

    /// The break-even chart of a comparison: two panels on one time axis, in years from the
    /// start. Above, the mean cumulative net cost with its band, drawn at the end of each budget
    /// year (time y + 1 for year y, from 0 at the start), a zero line and a vertical marker where
    /// the mean crosses zero for good. Below, the share of replications that break even for good
    /// in each budget year, as a bar over that year (from y to y + 1), a grey bar for those that
    /// do not within the horizon, and a marker at the median year; the crossing of the mean is
    /// carried down as a faint dashed line, so the two can be compared.
    ///
    /// The structure is that of the other charts, twice: the root `<svg class="chart
    /// chart-breakeven">`, then `<g class="panel panel-curve">` and `<g class="panel
    /// panel-distribution">`, each with its legend, grid, axes, series and markers.
    ///
    /// - Parameter p: what to draw.
    /// - Parameter size: the whole chart (both panels).
    /// - Returns: the `<svg>` element.
    public static func breakEvenChart(_ p: BreakEvenPanels, size: Size = Size(width: 600, height: 600)) -> String {
        let n = p.years.count
        let xHi = Double(n) + 1   // one slot after the horizon for "later"
        let topHeight = (size.height * 0.56).rounded()
        let bottomHeight = size.height - topHeight

        // Upper panel: the mean curve from 0 at the start.
        let xs = (0...n).map(Double.init)
        let curve = LineSeries(name: p.curveName, x: xs, y: [0] + p.mean, lower: [0] + p.lower, upper: [0] + p.upper,
                               colour: p.colour, points: true)
        var ys: [Double] = [0]
        ys += (curve.y + (curve.lower ?? []) + (curve.upper ?? [])).compactMap { $0 }
        var topLegend = [LegendEntry(label: p.curveName, kind: .line(colour: p.colour, dashed: false))]
        topLegend.append(LegendEntry(label: p.bandLabel, kind: .band))
        var topAxis = Axis(title: "", formatter: p.yTop.formatter)
        topAxis.ticks = (0...n).map { Tick(Double($0), "") }
        var top = Frame(size: Size(width: size.width, height: topHeight), legend: topLegend, y: p.yTop, ys: ys, xAxis: topAxis)

        // Lower panel: per-year shares, centred on their year.
        var bottomAxis = Axis(title: p.xTitle, formatter: p.yBottom.formatter)
        bottomAxis.ticks = p.years.enumerated().map { Tick(Double($0.offset) + 0.5, $0.element) }
        var yBottom = p.yBottom
        yBottom.includeZero = true
        let bottomLegend = [LegendEntry(label: p.barName, kind: .swatch(colour: p.colour)),
                            LegendEntry(label: p.laterName, kind: .swatch(colour: laterColour))]
        var bottom = Frame(size: Size(width: size.width, height: bottomHeight), legend: bottomLegend, y: yBottom,
                           ys: p.shares + [p.laterShare, 0], xAxis: bottomAxis)

        top.setX(lo: 0, hi: xHi)
        bottom.setX(lo: 0, hi: xHi)
        let left = Swift.max(top.left, bottom.left), right = Swift.max(top.right, bottom.right)
        top.left = left; bottom.left = left
        top.right = right; bottom.right = right
        top.bottom = 10

        let w = f1(size.width), h = f1(size.height)
        var out = "<svg class=\"chart chart-breakeven\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" role=\"img\" aria-label=\"\(esc(p.title))\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif\" font-size=\"\(Int(Frame.fontSize))\"><title>\(esc(p.title))</title>"
        out += "<rect class=\"background\" x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>"

        out += "<g class=\"panel panel-curve\">"
        out += top.grid() + yearBoundaries(top, n)
        out += top.xAxis(ticks: topAxis.ticks!)
        out += top.yAxis()
        out += top.zeroLine()
        out += top.line(curve, bandOpacity: "0.22")
        if let c = p.crossing, c.isFinite { out += top.verticalMarker(VerticalMarker(x: c, label: p.crossingLabel)) }
        out += top.legendSVG()
        out += "</g>"

        out += "<g class=\"panel panel-distribution\" transform=\"translate(0 \(f1(topHeight)))\">"
        out += bottom.grid() + yearBoundaries(bottom, n)
        // The year labels are thinned when they would overlap; the label of the grey slot is
        // always drawn, so that a long word ("senere") does not thin out the years.
        var axis = bottom.xAxis(ticks: bottomAxis.ticks!, tickMarks: false)
        let spacing = bottom.sx(1) - bottom.sx(0)
        let widest = p.years.map { textWidth($0) }.max() ?? 0
        let every = Swift.max(1, Int(((widest + 10) / Swift.max(spacing, 1)).rounded(.up)))
        let lastShown = n > 0 && (n - 1) % every == 0
        let fits = !lastShown || textWidth(p.laterTick) / 2 + textWidth(p.years.last ?? "") / 2 + 6 <= spacing
        if axis.hasSuffix("</g>"), fits {   // otherwise the legend's grey swatch says what the slot is
            let x = f1(bottom.sx(Double(n) + 0.5)), y0 = bottom.top + bottom.plotHeight
            axis = String(axis.dropLast(4)) + "<g class=\"tick tick-later\"><text x=\"\(x)\" y=\"\(f1(y0 + 18))\" text-anchor=\"middle\" fill=\"#333333\">\(esc(p.laterTick))</text></g></g>"
        }
        out += axis
        out += bottom.yAxis()
        let barWidth = Swift.max((bottom.sx(1) - bottom.sx(0)) * 0.62, 1)
        func bar(_ i: Int, _ v: Double, _ colour: String) -> String {
            guard v.isFinite, v > 0 else { return "" }
            let y0 = bottom.sy(v), y1 = bottom.sy(0)
            return "<rect class=\"bar\" x=\"\(f1(bottom.sx(Double(i) + 0.5) - barWidth / 2))\" y=\"\(f1(y0))\" width=\"\(f1(barWidth))\" height=\"\(f1(Swift.max(y1 - y0, 0.5)))\" fill=\"\(colour)\"/>"
        }
        out += "<g class=\"series\" data-series=\"\(esc(p.barName))\">"
        for (i, v) in p.shares.enumerated() {
            var b = bar(i, v, p.colour)
            if i == p.medianIndex, b.hasSuffix("/>") {   // the median year's bar outlined
                b = String(b.dropLast(2)) + " stroke=\"#1a1a1a\" stroke-width=\"1.6\"/>"
            }
            out += b
        }
        out += "</g><g class=\"series\" data-series=\"\(esc(p.laterName))\">" + bar(n, p.laterShare, laterColour) + "</g>"
        out += bottom.zeroLine()
        if let c = p.crossing, c.isFinite {
            let x = f1(bottom.sx(c))
            out += "<line class=\"crossing\" x1=\"\(x)\" y1=\"\(f1(bottom.top))\" x2=\"\(x)\" y2=\"\(f1(bottom.top + bottom.plotHeight))\" stroke=\"#1a1a1a\" stroke-opacity=\"0.45\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>"
        }
        if let m = p.medianIndex, m < n {
            // A marker above the median bar (not through it), labelled at the top of the panel.
            let v = m < p.shares.count && p.shares[m].isFinite ? Swift.max(p.shares[m], 0) : 0
            out += bottom.verticalMarker(VerticalMarker(x: Double(m) + 0.5, label: p.medianLabel),
                                         downTo: Swift.max(bottom.sy(v) - 2, bottom.top), gap: barWidth / 2 + 4)
        }
        out += bottom.legendSVG()
        out += "</g>"
        return out + "</svg>"
    }

    /// The grey of "not within the horizon".
    static let laterColour = "#9E9E9E"

    /// Faint vertical lines at the budget-year boundaries 0…n.
    static func yearBoundaries(_ frame: Frame, _ n: Int) -> String {
        var out = "<g class=\"grid grid-years\" stroke=\"#efefef\" stroke-width=\"1\">"
        for k in 0...n {
            let x = f1(frame.sx(Double(k)))
            out += "<line x1=\"\(x)\" y1=\"\(f1(frame.top))\" x2=\"\(x)\" y2=\"\(f1(frame.top + frame.plotHeight))\"/>"
        }
        return out + "</g>"
    }
}
