import Foundation

/// Small inline SVGs for the key-figure cards: a sparkline of yearly means (or yearly
/// differences) and a mini histogram (the break-even years). No axes and no text but the
/// `<title>`; sized by attributes, so they need no style sheet.
///
/// Each carries its numbers in `data-values` (plain `.` decimals, as many digits as needed to
/// read them back) so that a reader — or a test — can check what it draws.
public enum SVGSparkline {
    /// A machine-readable number for `data-values`: up to 6 significant digits, `.` decimals,
    /// empty for a missing value.
    static func raw(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "" }
        var s = String(format: "%.6g", x)
        if s == "-0" { s = "0" }
        return s
    }

    /// A line through `values` (one per budget year), a dot on the last one; a thin zero line
    /// when the values change sign (differences).
    ///
    /// - Parameters:
    ///   - values: the yearly values; `nil` breaks the line.
    ///   - colour: the line's colour.
    ///   - title: the accessible text (what the line shows, in words).
    ///   - width, height: the size in px.
    /// - Returns: an `<svg class="sparkline">`, or "" with fewer than two values.
    public static func line(_ values: [Double?], colour: String, title: String, width: Double = 120, height: Double = 30) -> String {
        let finite = values.compactMap { $0 }.filter(\.isFinite)
        guard values.count >= 2, !finite.isEmpty else { return "" }
        var lo = finite.min()!, hi = finite.max()!
        let crosses = lo < 0 && hi > 0
        if hi - lo < 1e-12 * max(1, Swift.abs(hi)) { lo -= 1; hi += 1 }
        let pad = 3.0
        func sx(_ i: Int) -> Double { pad + Double(i) / Double(values.count - 1) * (width - 2 * pad) }
        func sy(_ v: Double) -> Double { pad + (hi - v) / (hi - lo) * (height - 2 * pad) }
        var out = "<svg class=\"sparkline\" width=\"\(SVGChart.f1(width))\" height=\"\(SVGChart.f1(height))\" viewBox=\"0 0 \(SVGChart.f1(width)) \(SVGChart.f1(height))\" role=\"img\" aria-label=\"\(SVGChart.esc(title))\" data-values=\"\(values.map(raw).joined(separator: " "))\" style=\"vertical-align: middle\"><title>\(SVGChart.esc(title))</title>"
        if crosses {
            out += "<line x1=\"\(SVGChart.f1(pad))\" y1=\"\(SVGChart.f1(sy(0)))\" x2=\"\(SVGChart.f1(width - pad))\" y2=\"\(SVGChart.f1(sy(0)))\" stroke=\"#9a9a9a\" stroke-width=\"0.8\" stroke-dasharray=\"2 2\"/>"
        }
        var d = ""
        var penDown = false
        for (i, v) in values.enumerated() {
            guard let v, v.isFinite else { penDown = false; continue }
            d += (penDown ? "L" : "M") + "\(SVGChart.f1(sx(i))) \(SVGChart.f1(sy(v)))"
            penDown = true
        }
        out += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>"
        if let k = values.lastIndex(where: { $0?.isFinite == true }), let v = values[k] {
            out += "<circle cx=\"\(SVGChart.f1(sx(k)))\" cy=\"\(SVGChart.f1(sy(v)))\" r=\"2.6\" fill=\"\(colour)\"/>"
        }
        return out + "</svg>"
    }

    /// A mini histogram: one bar per value (e.g. replications breaking even in each budget year,
    /// then "not within the horizon"), the bar at `highlight` dark, the last bar hatched grey when
    /// `lastIsOther`.
    public static func bars(_ values: [Double], highlight: Int?, lastIsOther: Bool, colour: String, title: String,
                            width: Double = 120, height: Double = 30) -> String {
        guard !values.isEmpty else { return "" }
        let top = max(values.max() ?? 0, 1e-12)
        let gap = 1.5
        let w = (width - gap * Double(values.count - 1)) / Double(values.count)
        var out = "<svg class=\"sparkline sparkbars\" width=\"\(SVGChart.f1(width))\" height=\"\(SVGChart.f1(height))\" viewBox=\"0 0 \(SVGChart.f1(width)) \(SVGChart.f1(height))\" role=\"img\" aria-label=\"\(SVGChart.esc(title))\" data-values=\"\(values.map(raw).joined(separator: " "))\" style=\"vertical-align: middle\"><title>\(SVGChart.esc(title))</title>"
        out += "<line x1=\"0\" y1=\"\(SVGChart.f1(height - 0.5))\" x2=\"\(SVGChart.f1(width))\" y2=\"\(SVGChart.f1(height - 0.5))\" stroke=\"#9a9a9a\" stroke-width=\"1\"/>"
        for (i, v) in values.enumerated() {
            let h = max(v, 0) / top * (height - 2)
            guard h > 0 else { continue }
            let x = Double(i) * (w + gap)
            let fill = lastIsOther && i == values.count - 1 ? "#b3b3b3" : (i == highlight ? "#1a1a1a" : colour)
            out += "<rect x=\"\(SVGChart.f1(x))\" y=\"\(SVGChart.f1(height - 1 - h))\" width=\"\(SVGChart.f1(max(w, 1)))\" height=\"\(SVGChart.f1(h))\" fill=\"\(fill)\"/>"
        }
        return out + "</svg>"
    }
}
