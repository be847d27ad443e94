import Foundation

/// Chart primitives that write SVG as text: line charts with uncertainty bands, bar charts with
/// confidence-interval whiskers, stacked bars, axes with "nice" ticks, and legends.
///
/// The SVG is meant to be inlined in an HTML page (no `xmlns`, no scripts, nothing fetched)
/// and is well-formed XML. Text is `<text>` (selectable, searchable, printed sharp); colours
/// are attributes, so a chart looks the same outside the report's style sheet. Every chart
/// has the same structure, which the tests rely on:
///
/// - the root `<svg class="chart chart-line|chart-bar|chart-stacked">` with a `<title>`;
/// - `<g class="legend">` above the plot, one `<g class="legend-entry">` per series
///   (and `<g class="legend-note">` for the meaning of bands and whiskers);
/// - `<g class="grid">`, `<g class="axis axis-x">` and `<g class="axis axis-y">`, each axis with
///   `<g class="tick">` elements and a `<text class="axis-title">`;
/// - one `<g class="series" data-series="NAME">` per series.
///
/// Layout is computed from estimated text widths (a system-ui font at 12 px), so labels are
/// not clipped and the legend never covers the data.
public enum SVGChart {
    /// The colour-blind-safe palette of Okabe & Ito (2008), "Color Universal Design":
    /// orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple, black.
    public static let okabeIto: [String] = [
        "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
    ]

    /// The size of a chart in SVG units (px at 100 %).
    public struct Size: Sendable, Equatable {
        public var width: Double
        public var height: Double
        public init(width: Double = 600, height: Double = 340) {
            self.width = width
            self.height = height
        }
    }

    /// A tick at `value` labelled `label`.
    public struct Tick: Sendable, Equatable {
        public var value: Double
        public var label: String
        public init(_ value: Double, _ label: String) {
            self.value = value
            self.label = label
        }
    }

    /// An axis: its title (with the unit) and how its tick labels read.
    public struct Axis: Sendable {
        public var title: String
        /// Formats tick labels in the report's language.
        public var formatter: ReportNumberFormatter
        /// Tick labels show value × scale (100 for shares shown as percentages).
        public var scale: Double
        /// Appended to every tick label (e.g. " %").
        public var suffix: String
        /// Explicit ticks (e.g. years or the values of a sweep); `nil`: nice ticks from the data.
        public var ticks: [Tick]?
        /// Whether the value axis reaches down (or up) to zero.
        public var includeZero: Bool

        public init(title: String, formatter: ReportNumberFormatter, scale: Double = 1, suffix: String = "",
                    ticks: [Tick]? = nil, includeZero: Bool = true) {
            self.title = title
            self.formatter = formatter
            self.scale = scale
            self.suffix = suffix
            self.ticks = ticks
            self.includeZero = includeZero
        }

        /// A tick label for `value` when ticks are `step` apart: as many decimals as the step needs.
        public func label(_ value: Double, step: Double) -> String {
            let s = Swift.abs(step * scale)
            let decimals = s > 0 && s < 1 ? min(6, Int((-log10(s)).rounded(.up))) : 0
            return formatter.number(value * scale, decimals: decimals) + suffix
        }
    }

    /// A line with an optional band (e.g. P5–P95 or a 95 % CI) around it.
    public struct LineSeries: Sendable {
        public var name: String
        public var x: [Double]
        /// `nil`: no value (the line is broken there).
        public var y: [Double?]
        public var lower: [Double?]?
        public var upper: [Double?]?
        public var colour: String
        public var dashed: Bool
        /// Draw a dot at every value (for few points, e.g. a sweep).
        public var points: Bool

        public init(name: String, x: [Double], y: [Double?], lower: [Double?]? = nil, upper: [Double?]? = nil,
                    colour: String, dashed: Bool = false, points: Bool = false) {
            self.name = name
            self.x = x
            self.y = y
            self.lower = lower
            self.upper = upper
            self.colour = colour
            self.dashed = dashed
            self.points = points
        }
    }

    /// Bars of one series, one per category, with optional whiskers (e.g. a 95 % CI).
    public struct BarSeries: Sendable {
        public var name: String
        public var values: [Double?]
        public var lower: [Double?]?
        public var upper: [Double?]?
        public var colour: String

        public init(name: String, values: [Double?], lower: [Double?]? = nil, upper: [Double?]? = nil, colour: String) {
            self.name = name
            self.values = values
            self.lower = lower
            self.upper = upper
            self.colour = colour
        }
    }

    /// A labelled vertical line (e.g. the break-even year).
    public struct VerticalMarker: Sendable {
        public var x: Double
        public var label: String
        public init(x: Double, label: String) {
            self.x = x
            self.label = label
        }
    }

    /// A ringed point with a label (e.g. the lowest-cost point of a sweep); an empty label draws
    /// the ring alone.
    public struct PointMarker: Sendable {
        public var x: Double
        public var y: Double
        public var label: String
        public init(x: Double, y: Double, label: String) {
            self.x = x
            self.y = y
            self.label = label
        }
    }

    // MARK: - Nice numbers

    /// A "nice" number near `x` (1, 2 or 5 times a power of ten): rounded to the nearest when
    /// `round`, otherwise the smallest nice number ≥ x (Heckbert, "Nice numbers for graph
    /// labels", Graphics Gems, 1990).
    public static func niceNumber(_ x: Double, round: Bool) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let e = floor(log10(x))
        let f = x / pow(10, e)
        let nf: Double
        if round {
            nf = f < 1.5 ? 1 : (f < 3 ? 2 : (f < 7 ? 5 : 10))
        } else {
            nf = f <= 1 ? 1 : (f <= 2 ? 2 : (f <= 5 ? 5 : 10))
        }
        return nf * pow(10, e)
    }

    /// Ticks covering [lo, hi] at a nice step (1, 2 or 5 times a power of ten), about `count`
    /// of them: the first tick ≤ lo, the last ≥ hi.
    ///
    /// Among the nice steps near (hi − lo)/(count − 1) that give 3 to count + 2 ticks, the one
    /// whose ticks waste the least room beyond the data wins; ties go to the tick count closest
    /// to `count`. (Heckbert's "loose labelling", Graphics Gems 1990, with the step chosen by
    /// the covered range rather than by rounding the range first.)
    ///
    /// - Returns: the tick values (at least two) and the step between them.
    public static func niceTicks(min lo: Double, max hi: Double, count: Int = 6) -> (values: [Double], step: Double) {
        var lo = lo.isFinite ? lo : 0, hi = hi.isFinite ? hi : 1
        if lo > hi { swap(&lo, &hi) }
        if hi - lo < 1e-12 * Swift.max(1, Swift.abs(hi)) {
            if lo == 0 { hi = 1 } else {
                let pad = Swift.abs(lo) * 0.1
                lo -= pad
                hi += pad
            }
        }
        let n = Swift.max(count, 2)
        let raw = (hi - lo) / Double(n - 1)
        let e = floor(log10(raw))
        var best: (step: Double, start: Double, end: Double, span: Double, miss: Int)?
        for m in [0.5, 1, 2, 5, 10, 20, 50] {
            let step = niceNumber(m * pow(10, e), round: true)
            let start = floor(lo / step + 1e-9) * step
            let end = ceil(hi / step - 1e-9) * step
            let ticks = Int(((end - start) / step).rounded()) + 1
            guard ticks >= 3 && ticks <= n + 2 else { continue }
            let span = end - start
            let miss = Swift.abs(ticks - n)
            if let b = best, !(span < b.span - 1e-9 * span || (Swift.abs(span - b.span) <= 1e-9 * span && miss < b.miss)) { continue }
            best = (step, start, end, span, miss)
        }
        let step = best?.step ?? niceNumber(raw, round: true)
        let start = best?.start ?? floor(lo / step) * step
        let end = best?.end ?? ceil(hi / step) * step
        var values: [Double] = []
        var k = 0
        while true {
            let v = ((start + Double(k) * step) / step).rounded() * step
            values.append(v == 0 ? 0 : v)
            if v >= end - step * 1e-9 || k > 1000 { break }
            k += 1
        }
        if values.count < 2 { values.append(values[0] + step) }
        return (values, step)
    }

    // MARK: - Charts

    /// A line chart: one line per series, each with its band when it has one; optional vertical
    /// markers, ringed points and a zero line.
    ///
    /// - Parameters:
    ///   - series: the lines, drawn in order (bands first, lines on top).
    ///   - x: the horizontal axis; give `ticks` for years, months or sweep values.
    ///   - y: the vertical axis; nice ticks unless given.
    ///   - title: the accessible title (`<title>`).
    ///   - bandLabel: what the bands mean, shown as a legend note when a series has a band.
    ///   - markers: labelled vertical lines.
    ///   - highlights: labelled rings around points.
    ///   - zeroLine: draw a darker line at y = 0 when 0 is on the axis.
    ///   - size: the chart's size.
    /// - Returns: the `<svg>` element.
    public static func lineChart(series: [LineSeries], x: Axis, y: Axis, title: String, bandLabel: String? = nil,
                                 markers: [VerticalMarker] = [], highlights: [PointMarker] = [],
                                 zeroLine: Bool = false, size: Size = Size()) -> String {
        var xs: [Double] = series.flatMap(\.x)
        xs += markers.map(\.x)
        xs += (x.ticks ?? []).map(\.value)
        var ys: [Double] = []
        for s in series {
            ys += s.y.compactMap { $0 }
            ys += (s.lower ?? []).compactMap { $0 }
            ys += (s.upper ?? []).compactMap { $0 }
        }
        ys += highlights.map(\.y)
        var legend = series.map { LegendEntry(label: $0.name, kind: .line(colour: $0.colour, dashed: $0.dashed)) }
        let banded = series.filter { $0.lower != nil && $0.upper != nil }
        if let bandLabel, !banded.isEmpty {
            legend.append(LegendEntry(label: bandLabel, kind: .bands(colours: banded.map(\.colour))))
        }
        let finiteXs = xs.filter(\.isFinite)
        var xLo = finiteXs.min() ?? 0, xHi = finiteXs.max() ?? 1
        if xHi - xLo < 1e-12 { xLo -= 0.5; xHi += 0.5 }
        if series.contains(where: \.points) {
            let pad = (xHi - xLo) * 0.04
            xLo -= pad
            xHi += pad
        }
        var frame = Frame(size: size, legend: legend, y: y, ys: ys, xAxis: x)
        frame.setX(lo: xLo, hi: xHi)
        var out = frame.open(kind: "chart-line", title: title)
        out += frame.grid()
        let xNice = niceTicks(min: xLo, max: xHi, count: 7)
        out += frame.xAxis(ticks: x.ticks ?? xNice.values.filter { $0 >= xLo && $0 <= xHi }.map { Tick($0, x.label($0, step: xNice.step)) })
        out += frame.yAxis()
        if zeroLine { out += frame.zeroLine() }
        // Bands get lighter as more of them overlap.
        let bandOpacity = series.count <= 1 ? "0.22" : (series.count == 2 ? "0.18" : "0.13")
        for s in series { out += frame.line(s, bandOpacity: bandOpacity) }
        for m in markers { out += frame.verticalMarker(m) }
        for h in highlights { out += frame.highlight(h) }
        out += frame.legendSVG()
        return out + "</svg>"
    }

    /// A bar chart: one group of bars per category, one bar per series, with whiskers where a
    /// series has `lower` and `upper`.
    ///
    /// - Parameters:
    ///   - categories: the category labels (e.g. budget years).
    ///   - series: the bars of each series, one value per category.
    ///   - xTitle: the horizontal axis title.
    ///   - y: the vertical axis (it always includes zero).
    ///   - title: the accessible title.
    ///   - whiskerLabel: what the whiskers mean, shown as a legend note when there are whiskers.
    ///   - size: the chart's size.
    public static func barChart(categories: [String], series: [BarSeries], xTitle: String, y: Axis, title: String,
                                whiskerLabel: String? = nil, size: Size = Size()) -> String {
        var ys: [Double] = [0]
        for s in series {
            ys += s.values.compactMap { $0 }
            ys += (s.lower ?? []).compactMap { $0 }
            ys += (s.upper ?? []).compactMap { $0 }
        }
        var legend = series.map { LegendEntry(label: $0.name, kind: .swatch(colour: $0.colour)) }
        if let whiskerLabel, series.contains(where: { $0.lower != nil && $0.upper != nil }) {
            legend.append(LegendEntry(label: whiskerLabel, kind: .whisker))
        }
        var yAxis = y
        yAxis.includeZero = true
        var xAxis = Axis(title: xTitle, formatter: y.formatter)
        xAxis.ticks = categories.enumerated().map { Tick(Double($0.offset), $0.element) }
        var frame = Frame(size: size, legend: legend, y: yAxis, ys: ys, xAxis: xAxis)
        frame.setX(lo: -0.5, hi: Double(categories.count) - 0.5)
        var out = frame.open(kind: "chart-bar", title: title)
        out += frame.grid()
        out += frame.xAxis(ticks: xAxis.ticks!, tickMarks: false)
        out += frame.yAxis()
        let band = frame.plotWidth / Double(max(categories.count, 1))
        let groupWidth = band * (series.count > 1 ? 0.82 : 0.62)
        let barWidth = groupWidth / Double(max(series.count, 1))
        for (k, s) in series.enumerated() {
            out += "<g class=\"series\" data-series=\"\(esc(s.name))\">"
            for (i, v) in s.values.enumerated() {
                guard let v, v.isFinite else { continue }
                let x0 = frame.sx(Double(i)) - groupWidth / 2 + Double(k) * barWidth
                let y0 = frame.sy(max(v, 0)), y1 = frame.sy(min(v, 0))
                out += "<rect class=\"bar\" x=\"\(f1(x0 + 0.5))\" y=\"\(f1(y0))\" width=\"\(f1(max(barWidth - 1, 1)))\" height=\"\(f1(max(y1 - y0, 0.5)))\" fill=\"\(s.colour)\"/>"
            }
            if let lower = s.lower, let upper = s.upper {
                for i in s.values.indices {
                    guard i < lower.count, i < upper.count, let lo = lower[i], let hi = upper[i], lo.isFinite, hi.isFinite else { continue }
                    let cx = frame.sx(Double(i)) - groupWidth / 2 + (Double(k) + 0.5) * barWidth
                    let cap = min(barWidth * 0.3, 7)
                    let yl = frame.sy(lo), yh = frame.sy(hi)
                    out += "<path class=\"whisker\" d=\"M\(f1(cx)) \(f1(yl))L\(f1(cx)) \(f1(yh))M\(f1(cx - cap)) \(f1(yl))L\(f1(cx + cap)) \(f1(yl))M\(f1(cx - cap)) \(f1(yh))L\(f1(cx + cap)) \(f1(yh))\" stroke=\"#1a1a1a\" stroke-width=\"1.4\" fill=\"none\"/>"
                }
            }
            out += "</g>"
        }
        out += frame.zeroLine()
        out += frame.legendSVG()
        return out + "</svg>"
    }

    /// Stacked bars: one bar per category, the series stacked from the bottom in order
    /// (missing or negative values count as zero).
    ///
    /// - Parameters:
    ///   - categories: the category labels (e.g. budget years).
    ///   - series: the layers, bottom first; `lower`/`upper` are ignored.
    ///   - xTitle: the horizontal axis title.
    ///   - y: the vertical axis (from zero).
    ///   - title: the accessible title.
    ///   - size: the chart's size.
    public static func stackedBarChart(categories: [String], series: [BarSeries], xTitle: String, y: Axis, title: String,
                                       size: Size = Size()) -> String {
        var totals = [Double](repeating: 0, count: categories.count)
        for s in series {
            for (i, v) in s.values.enumerated() where i < totals.count { totals[i] += max(v ?? 0, 0) }
        }
        let legend = series.map { LegendEntry(label: $0.name, kind: .swatch(colour: $0.colour)) }
        var yAxis = y
        yAxis.includeZero = true
        var xAxis = Axis(title: xTitle, formatter: y.formatter)
        xAxis.ticks = categories.enumerated().map { Tick(Double($0.offset), $0.element) }
        var frame = Frame(size: size, legend: legend, y: yAxis, ys: totals + [0], xAxis: xAxis)
        frame.setX(lo: -0.5, hi: Double(categories.count) - 0.5)
        var out = frame.open(kind: "chart-stacked", title: title)
        out += frame.grid()
        out += frame.xAxis(ticks: xAxis.ticks!, tickMarks: false)
        out += frame.yAxis()
        let band = frame.plotWidth / Double(max(categories.count, 1))
        let barWidth = band * 0.66
        var base = [Double](repeating: 0, count: categories.count)
        for s in series {
            out += "<g class=\"series\" data-series=\"\(esc(s.name))\">"
            for i in categories.indices {
                let v = i < s.values.count ? max(s.values[i] ?? 0, 0) : 0
                guard v > 0 else { continue }
                let y0 = frame.sy(base[i] + v), y1 = frame.sy(base[i])
                out += "<rect class=\"bar\" x=\"\(f1(frame.sx(Double(i)) - barWidth / 2))\" y=\"\(f1(y0))\" width=\"\(f1(barWidth))\" height=\"\(f1(max(y1 - y0, 0)))\" fill=\"\(s.colour)\" stroke=\"#ffffff\" stroke-width=\"0.8\"/>"
                base[i] += v
            }
            out += "</g>"
        }
        out += frame.zeroLine()
        out += frame.legendSVG()
        return out + "</svg>"
    }

    // MARK: - Internals

    /// Escapes text for XML/HTML (`& < > " '`).
    static func esc(_ s: String) -> String {
        // Nothing to escape (most texts and every number): the text itself, without a copy.
        if !s.utf8.contains(where: { $0 == 38 || $0 == 60 || $0 == 62 || $0 == 34 || $0 == 39 }) { return s }
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A coordinate with one decimal.
    ///
    /// r = round(10x)/10 printed as an integer when whole, otherwise with one decimal (`%.1f` of
    /// r, which is exactly the digits of k = round(10x) since r is the double nearest k/10); done
    /// on the integer k without `String(format:)`, which cost ≈ 4,000 instructions a coordinate.
    static func f1(_ x: Double) -> String {
        let k = (x * 10).rounded()
        guard k.isFinite, Swift.abs(k) < 1e15 else {
            let r = k / 10
            return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
        }
        let ki = Int64(k)
        if ki % 10 == 0 { return String(ki / 10) }
        let m = ki.magnitude
        return (ki < 0 ? "-" : "") + String(m / 10) + "." + String(m % 10)
    }

    /// Okabe–Ito yellow is too light for a thin line on white; lines use a darker gold.
    static func lineColour(_ colour: String) -> String {
        colour.uppercased() == "#F0E442" ? "#C9B800" : colour
    }

    /// Estimated width of a text at a font size (system-ui: about 0.57 em per character on average).
    static func textWidth(_ s: String, size: Double = Frame.fontSize) -> Double {
        var w = 0.0
        for ch in s {
            if "il.,:;|!'’ ".contains(ch) { w += 0.3 } else if "mwMW".contains(ch) { w += 0.85 }
            else if ch.isUppercase { w += 0.68 } else { w += 0.56 }
        }
        return w * size
    }

    /// Contiguous runs of points where x, lower and upper all have values.
    static func segments(_ x: [Double], _ lower: [Double?], _ upper: [Double?]) -> [[(x: Double, lo: Double, hi: Double)]] {
        var out: [[(x: Double, lo: Double, hi: Double)]] = []
        var current: [(x: Double, lo: Double, hi: Double)] = []
        for i in x.indices {
            if i < lower.count, i < upper.count, let lo = lower[i], let hi = upper[i], lo.isFinite, hi.isFinite, x[i].isFinite {
                current.append((x[i], lo, hi))
            } else if !current.isEmpty {
                out.append(current)
                current = []
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    struct LegendEntry {
        enum Kind {
            case line(colour: String, dashed: Bool)
            case swatch(colour: String)
            /// The meaning of the bands, its symbol in the colours of the bands it explains.
            case bands(colours: [String])
            /// The same, in the colours of the legend's lines (one line and its band).
            case band
            case whisker
        }
        var label: String
        var kind: Kind
    }

    /// The geometry of one chart: legend rows on top, the plot, the axes.
    struct Frame {
        static let fontSize = 12.0
        let size: Size
        let legend: [LegendEntry]
        /// Legend entries' positions (x, y of the row's baseline centre).
        var legendPlaced: [(entry: LegendEntry, x: Double, y: Double)] = []
        let yAxisSpec: Axis
        let xAxisSpec: Axis
        var yTicks: [Double]
        var yStep: Double
        var yLo: Double
        var yHi: Double
        var xLo = 0.0
        var xHi = 1.0
        var left = 0.0, right = 0.0, top = 0.0, bottom = 0.0

        init(size: Size, legend: [LegendEntry], y: Axis, ys: [Double], xAxis: Axis) {
            self.size = size
            self.legend = legend
            self.yAxisSpec = y
            self.xAxisSpec = xAxis
            let finite = ys.filter(\.isFinite)
            var lo = finite.min() ?? 0, hi = finite.max() ?? 1
            if y.includeZero { lo = Swift.min(lo, 0); hi = Swift.max(hi, 0) }
            if let t = y.ticks, t.count >= 2 {
                yTicks = t.map(\.value)
                yStep = t[1].value - t[0].value
            } else {
                let nice = SVGChart.niceTicks(min: lo, max: hi, count: 6)
                yTicks = nice.values
                yStep = nice.step
            }
            yLo = yTicks.first ?? lo
            yHi = yTicks.last ?? hi
            if yHi - yLo < 1e-12 { yHi = yLo + 1 }
            // Legend rows.
            let pad = 10.0
            var x = pad, row = 0
            let rowHeight = 18.0
            var placed: [(LegendEntry, Double, Double)] = []
            for e in legend {
                let w = 22 + 6 + SVGChart.textWidth(e.label) + 18
                if x + w > size.width - pad && x > pad {
                    row += 1
                    x = pad
                }
                placed.append((e, x, pad + 9 + Double(row) * rowHeight))
                x += w
            }
            legendPlaced = placed.map { (entry: $0.0, x: $0.1, y: $0.2) }
            let legendHeight = legend.isEmpty ? 0 : Double(row + 1) * rowHeight
            let labelWidth = yTicks.map { SVGChart.textWidth(y.label($0, step: yStep)) }.max() ?? 20
            left = 8 + 16 + 8 + labelWidth + 6
            top = pad + legendHeight + 10
            bottom = 8 + 20 + 20
            right = 18
        }

        var plotWidth: Double { size.width - left - right }
        var plotHeight: Double { size.height - top - bottom }

        mutating func setX(lo: Double, hi: Double) {
            xLo = lo
            xHi = hi > lo ? hi : lo + 1
            // Room for the last x tick label when it sits at the right edge.
            if let t = xAxisSpec.ticks?.last, t.value >= hi - 1e-9 {
                right = Swift.max(right, SVGChart.textWidth(t.label) / 2 + 4)
            }
        }

        func sx(_ x: Double) -> Double { left + (x - xLo) / (xHi - xLo) * plotWidth }
        func sy(_ y: Double) -> Double { top + (yHi - y) / (yHi - yLo) * plotHeight }

        func open(kind: String, title: String) -> String {
            let w = f1(size.width), h = f1(size.height)
            return "<svg class=\"chart \(kind)\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" role=\"img\" aria-label=\"\(esc(title))\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif\" font-size=\"\(Int(Frame.fontSize))\"><title>\(esc(title))</title>"
                + "<rect class=\"background\" x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>"
        }

        func grid() -> String {
            var out = "<g class=\"grid\" stroke=\"#e3e3e3\" stroke-width=\"1\">"
            for t in yTicks {
                let y = f1(sy(t))
                out += "<line x1=\"\(f1(left))\" y1=\"\(y)\" x2=\"\(f1(left + plotWidth))\" y2=\"\(y)\"/>"
            }
            return out + "</g>"
        }

        func yAxis() -> String {
            var out = "<g class=\"axis axis-y\">"
            out += "<line x1=\"\(f1(left))\" y1=\"\(f1(top))\" x2=\"\(f1(left))\" y2=\"\(f1(top + plotHeight))\" stroke=\"#555555\" stroke-width=\"1\"/>"
            for t in yTicks {
                let y = sy(t)
                let label = yAxisSpec.ticks?.first(where: { $0.value == t })?.label ?? yAxisSpec.label(t, step: yStep)
                out += "<g class=\"tick\"><line x1=\"\(f1(left - 4))\" y1=\"\(f1(y))\" x2=\"\(f1(left))\" y2=\"\(f1(y))\" stroke=\"#555555\"/>"
                out += "<text x=\"\(f1(left - 7))\" y=\"\(f1(y + 4))\" text-anchor=\"end\" fill=\"#333333\">\(esc(label))</text></g>"
            }
            let cy = top + plotHeight / 2
            out += "<text class=\"axis-title\" transform=\"translate(\(f1(8 + 11)) \(f1(cy))) rotate(-90)\" text-anchor=\"middle\" fill=\"#1a1a1a\" font-weight=\"600\">\(esc(yAxisSpec.title))</text>"
            return out + "</g>"
        }

        func xAxis(ticks: [Tick], tickMarks: Bool = true) -> String {
            let y0 = top + plotHeight
            var out = "<g class=\"axis axis-x\">"
            out += "<line x1=\"\(f1(left))\" y1=\"\(f1(y0))\" x2=\"\(f1(left + plotWidth))\" y2=\"\(f1(y0))\" stroke=\"#555555\" stroke-width=\"1\"/>"
            let visible = ticks.filter { $0.value >= xLo - 1e-9 && $0.value <= xHi + 1e-9 }
            // Thin out labels that would overlap: keep every k-th.
            let widest = visible.map { SVGChart.textWidth($0.label) }.max() ?? 0
            var spacing = plotWidth
            if visible.count > 1 {
                spacing = zip(visible.dropFirst(), visible).map { Swift.abs(sx($0.value) - sx($1.value)) }.min() ?? plotWidth
            }
            let every = Swift.max(1, Int(((widest + 10) / Swift.max(spacing, 1)).rounded(.up)))
            for (i, t) in visible.enumerated() {
                let x = sx(t.value)
                let showLabel = i % every == 0
                out += "<g class=\"tick\">"
                if tickMarks || showLabel {
                    out += "<line x1=\"\(f1(x))\" y1=\"\(f1(y0))\" x2=\"\(f1(x))\" y2=\"\(f1(y0 + (showLabel ? 5 : 3)))\" stroke=\"#555555\"/>"
                }
                if showLabel {
                    out += "<text x=\"\(f1(x))\" y=\"\(f1(y0 + 18))\" text-anchor=\"middle\" fill=\"#333333\">\(esc(t.label))</text>"
                }
                out += "</g>"
            }
            out += "<text class=\"axis-title\" x=\"\(f1(left + plotWidth / 2))\" y=\"\(f1(size.height - 8))\" text-anchor=\"middle\" fill=\"#1a1a1a\" font-weight=\"600\">\(esc(xAxisSpec.title))</text>"
            return out + "</g>"
        }

        func zeroLine() -> String {
            guard yLo < 0 && yHi > 0 || yLo == 0 || yHi == 0 else { return "" }
            let y = f1(sy(0))
            return "<line class=\"zero-line\" x1=\"\(f1(left))\" y1=\"\(y)\" x2=\"\(f1(left + plotWidth))\" y2=\"\(y)\" stroke=\"#1a1a1a\" stroke-width=\"1.2\"/>"
        }

        /// A labelled vertical line from the top of the plot down to `downTo` (default: the bottom),
        /// its label `gap` beside it (right, or left when there is no room).
        func verticalMarker(_ m: VerticalMarker, downTo: Double? = nil, gap: Double = 5) -> String {
            let x = sx(m.x)
            var out = "<g class=\"marker\">"
            out += "<line x1=\"\(f1(x))\" y1=\"\(f1(top))\" x2=\"\(f1(x))\" y2=\"\(f1(downTo ?? top + plotHeight))\" stroke=\"#1a1a1a\" stroke-width=\"1.4\" stroke-dasharray=\"4 3\"/>"
            let w = SVGChart.textWidth(m.label)
            let rightSide = x + gap + w <= left + plotWidth
            let tx = rightSide ? x + gap : x - gap
            out += "<rect x=\"\(f1(rightSide ? tx - 2 : tx - w - 2))\" y=\"\(f1(top + 2))\" width=\"\(f1(w + 4))\" height=\"16\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>"
            out += "<text x=\"\(f1(tx))\" y=\"\(f1(top + 14))\" text-anchor=\"\(rightSide ? "start" : "end")\" fill=\"#1a1a1a\" font-weight=\"600\">\(esc(m.label))</text>"
            return out + "</g>"
        }

        /// One line series: its band (if any), the line, its points (if asked).
        func line(_ s: LineSeries, bandOpacity: String) -> String {
            var out = "<g class=\"series\" data-series=\"\(esc(s.name))\">"
            if let lower = s.lower, let upper = s.upper {
                for segment in segments(s.x, lower, upper) {
                    var d = ""
                    for (i, p) in segment.enumerated() {
                        d += (i == 0 ? "M" : "L") + f1(sx(p.x)) + " " + f1(sy(p.hi))
                    }
                    for p in segment.reversed() { d += "L" + f1(sx(p.x)) + " " + f1(sy(p.lo)) }
                    out += "<path class=\"band\" d=\"\(d)Z\" fill=\"\(s.colour)\" fill-opacity=\"\(bandOpacity)\" stroke=\"none\"/>"
                }
            }
            var d = ""
            var pen = false
            for (xv, yv) in zip(s.x, s.y) {
                guard let yv, yv.isFinite, xv.isFinite else { pen = false; continue }
                d += (pen ? "L" : "M") + f1(sx(xv)) + " " + f1(sy(yv))
                pen = true
            }
            let dash = s.dashed ? " stroke-dasharray=\"7 4\"" : ""
            out += "<path class=\"line\" d=\"\(d)\" fill=\"none\" stroke=\"\(lineColour(s.colour))\" stroke-width=\"2.2\" stroke-linejoin=\"round\"\(dash)/>"
            if s.points {
                for (xv, yv) in zip(s.x, s.y) {
                    guard let yv, yv.isFinite else { continue }
                    out += "<circle class=\"point\" cx=\"\(f1(sx(xv)))\" cy=\"\(f1(sy(yv)))\" r=\"3.2\" fill=\"\(lineColour(s.colour))\"/>"
                }
            }
            return out + "</g>"
        }

        func highlight(_ p: PointMarker) -> String {
            let x = sx(p.x), y = sy(p.y)
            var out = "<g class=\"highlight\">"
            out += "<circle cx=\"\(f1(x))\" cy=\"\(f1(y))\" r=\"8\" fill=\"none\" stroke=\"#1a1a1a\" stroke-width=\"1.8\"/>"
            guard !p.label.isEmpty else { return out + "</g>" }   // several rings: the caption says what they mean
            let w = SVGChart.textWidth(p.label)
            // Below the point unless that leaves the plot; then above.
            let below = y + 26 <= top + plotHeight
            let ty = below ? y + 24 : y - 14
            var tx = x
            tx = Swift.min(Swift.max(tx, left + w / 2 + 2), left + plotWidth - w / 2 - 2)
            out += "<rect x=\"\(f1(tx - w / 2 - 3))\" y=\"\(f1(ty - 12))\" width=\"\(f1(w + 6))\" height=\"16\" fill=\"#ffffff\" fill-opacity=\"0.9\"/>"
            out += "<text x=\"\(f1(tx))\" y=\"\(f1(ty))\" text-anchor=\"middle\" fill=\"#1a1a1a\" font-weight=\"600\">\(esc(p.label))</text>"
            return out + "</g>"
        }

        /// The legend symbol of bands: a band-coloured patch, split into one strip per colour
        /// when the bands of several series share the note (grey only when there is no colour).
        static func bandSymbol(x: Double, y: Double, colours: [String]) -> String {
            var unique: [String] = []
            for c in colours where !unique.contains(c) { unique.append(c) }
            if unique.isEmpty { unique = ["#7a7a7a"] }
            let w = 22.0 / Double(unique.count)
            return unique.enumerated().map { k, c in
                "<rect class=\"band-symbol\" x=\"\(f1(x + Double(k) * w))\" y=\"\(f1(y - 6))\" width=\"\(f1(w))\" height=\"12\" fill=\"\(c)\" fill-opacity=\"0.3\"/>"
            }.joined()
        }

        func legendSVG() -> String {
            guard !legendPlaced.isEmpty else { return "" }
            var out = "<g class=\"legend\">"
            for (e, x, y) in legendPlaced {
                let isNote: Bool
                var symbol = ""
                switch e.kind {
                case .line(let colour, let dashed):
                    isNote = false
                    symbol = "<line x1=\"\(f1(x))\" y1=\"\(f1(y))\" x2=\"\(f1(x + 22))\" y2=\"\(f1(y))\" stroke=\"\(SVGChart.lineColour(colour))\" stroke-width=\"2.6\"\(dashed ? " stroke-dasharray=\"6 3\"" : "")/>"
                case .swatch(let colour):
                    isNote = false
                    symbol = "<rect x=\"\(f1(x + 4))\" y=\"\(f1(y - 6))\" width=\"14\" height=\"12\" fill=\"\(colour)\"/>"
                case .bands(let colours):
                    isNote = true
                    symbol = Frame.bandSymbol(x: x, y: y, colours: colours)
                case .band:
                    isNote = true
                    symbol = Frame.bandSymbol(x: x, y: y, colours: legend.compactMap {
                        if case .line(let colour, _) = $0.kind { return colour } else { return nil }
                    })
                case .whisker:
                    isNote = true
                    symbol = "<path d=\"M\(f1(x + 11)) \(f1(y - 7))L\(f1(x + 11)) \(f1(y + 7))M\(f1(x + 6)) \(f1(y - 7))L\(f1(x + 16)) \(f1(y - 7))M\(f1(x + 6)) \(f1(y + 7))L\(f1(x + 16)) \(f1(y + 7))\" stroke=\"#1a1a1a\" stroke-width=\"1.4\" fill=\"none\"/>"
                }
                out += "<g class=\"\(isNote ? "legend-note" : "legend-entry")\">" + symbol
                out += "<text x=\"\(f1(x + 28))\" y=\"\(f1(y + 4))\" fill=\"#1a1a1a\">\(esc(e.label))</text></g>"
            }
            return out + "</g>"
        }
    }
}
