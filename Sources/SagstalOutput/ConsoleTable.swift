import Foundation
import SagstalStats

/// Aligned text tables for the console.
public enum ConsoleTable {
    /// The key totals a planner looks at first, with mean and 95 % CI over replications.
    public static let keyMetrics: [(metric: String, label: String)] = [
        ("notifications", "Notifications"),
        ("casesOpened", "Cases opened"),
        ("placementsStarted", "Placements started"),
        ("placedChildYears", "Placed child-years"),
        ("placedEnd", "Placed at end"),
        ("waitDaysMean", "Mean wait (days)"),
        ("deadlineBreaches", "Assessment deadline breaches"),
        ("caseloadMean", "Mean caseload (children)"),
        ("overCapShare", "Share of time over cap"),
        ("leavers", "Caseworkers leaving"),
        ("cost.staff", "Staff cost (DKK)"),
        ("cost.interventions", "Intervention cost (DKK)"),
        ("cost.total", "Total cost (DKK)"),
        ("cost.npv", "Total cost, NPV (DKK)"),
    ]

    /// The key-totals table of a run. Bold header when `colour` (a terminal).
    public static func keyTotals(_ run: AggregatedRun, title: String, colour: Bool = false) -> String {
        let names = run.layout.totalsMetrics
        var rows: [[String]] = [["Total over the horizon", "mean", "95 % CI"]]
        for (metric, label) in keyMetrics {
            guard let i = names.firstIndex(of: metric) else { continue }
            let s = run.totals[i]
            rows.append([label, format(s.mean, metric: metric),
                         s.ci95Lo.map { "\(format($0, metric: metric)) – \(format(s.ci95Hi, metric: metric))" } ?? "–"])
        }
        return title + "\n" + render(rows, colour: colour)
    }

    /// Renders rows as an aligned table; the first row is the header, first column left-aligned.
    public static func render(_ rows: [[String]], colour: Bool = false) -> String {
        guard let header = rows.first else { return "" }
        var widths = [Int](repeating: 0, count: header.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ r: [String]) -> String {
            r.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return i == 0 ? c + pad : pad + c
            }.joined(separator: "  ")
        }
        var out: [String] = []
        let h = line(header)
        out.append(colour ? "\u{1B}[1m" + h + "\u{1B}[0m" : h)
        out.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        for r in rows.dropFirst() { out.append(line(r)) }
        return out.joined(separator: "\n")
    }

    /// Thousands-separated numbers; shares as percentages; small values with decimals.
    public static func format(_ x: Double?, metric: String) -> String {
        guard var x, x.isFinite else { return "–" }
        if x == 0 { x = 0 }   // no "-0"
        if metric.hasSuffix("Share") { return String(format: "%.1f %%", x * 100) }
        let digits = abs(x) >= 1000 ? 0 : (abs(x) >= 10 ? 1 : 2)
        var s = String(format: "%.\(digits)f", x)
        if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { s.removeFirst() }
        return groupThousands(s)
    }

    static func groupThousands(_ s: String) -> String {
        var sign = ""
        var body = Substring(s)
        if body.hasPrefix("-") { sign = "-"; body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1)
        let int = Array(parts[0])
        var grouped = ""
        for (i, ch) in int.enumerated() {
            if i > 0 && (int.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(ch)
        }
        return sign + grouped + (parts.count > 1 ? "." + parts[1] : "")
    }
}

extension ConsoleTable {
    /// Metrics shown side by side in `compare`.
    public static let comparisonMetrics: [(metric: String, label: String)] = [
        ("placementsStarted", "Placements started"),
        ("placedChildYears", "Placed child-years"),
        ("placedEnd", "Placed at end"),
        ("caseloadMean", "Mean caseload (children)"),
        ("waitDaysMean", "Mean wait (days)"),
        ("leavers", "Caseworkers leaving"),
        ("cost.staff", "Staff cost (DKK)"),
        ("cost.interventions", "Intervention cost (DKK)"),
        ("cost.total", "Total cost (DKK)"),
        ("cost.npv", "Total cost, NPV (DKK)"),
    ]

    /// The console summary of one paired comparison: both means, the paired difference with its
    /// 95 % CI, placements avoided, P(alternative costs less) and the break-even year.
    public static func comparison(_ p: PairedComparison, baseline: String, alternative: String, colour: Bool = false) -> String {
        let d = p.differences
        var rows: [[String]] = [["Total over the horizon", baseline, alternative, "difference", "95 % CI (paired)"]]
        for (metric, label) in comparisonMetrics {
            guard let i = d.layout.totalsMetrics.firstIndex(of: metric) else { continue }
            let s = d.totals[i]
            rows.append([label, format(p.baselineTotals[i], metric: metric), format(p.alternativeTotals[i], metric: metric),
                         signed(s.mean, metric: metric),
                         s.ci95Lo.map { "\(signed($0, metric: metric)) – \(signed(s.ci95Hi, metric: metric))" } ?? "–"])
        }
        var lines = [render(rows, colour: colour), ""]
        if let i = d.layout.totalsMetrics.firstIndex(of: "placementsStarted"), let m = d.totals[i].mean,
           let lo = d.totals[i].ci95Lo, let hi = d.totals[i].ci95Hi {
            lines.append("Placements avoided: \(format(-m, metric: "")) (95 % CI \(format(-hi, metric: "")) – \(format(-lo, metric: "")))")
        }
        if let i = d.layout.totalsMetrics.firstIndex(of: "cost.total"), let m = d.totals[i].mean,
           let lo = d.totals[i].ci95Lo, let hi = d.totals[i].ci95Hi {
            lines.append("Net cost of \(alternative): \(signed(m, metric: "cost")) DKK (95 % CI \(signed(lo, metric: "cost")) – \(signed(hi, metric: "cost")))")
        }
        lines.append("P(\(alternative) costs less than \(baseline) over the horizon): \(String(format: "%.0f %%", p.probabilityCheaper * 100))")
        let b = p.breakEven
        let n = Double(max(b.replications, 1))
        var text = "Break-even budget year (median): \(ComparisonWriter.breakEvenText(b))"
        if let y = b.medianYearIndex {
            let by = Double(b.counts[0...y].reduce(0, +)) / n
            text += " — broken even by then in \(String(format: "%.0f %%", by * 100)) of replications"
        }
        text += "; not within the horizon in \(String(format: "%.0f %%", Double(b.notWithinHorizon) / n * 100))"
        lines.append(text)
        return lines.joined(separator: "\n")
    }

    static func signed(_ x: Double?, metric: String) -> String {
        guard let x, x.isFinite else { return "–" }
        let s = format(x, metric: metric)
        return x > 0 ? "+" + s : s
    }

    /// The console table of a sweep: one row per point with key totals; the lowest mean total
    /// cost is marked.
    public static func sweep(paths: [String], points: [[String]], runs: [AggregatedRun], lowest: Int?, colour: Bool = false) -> String {
        let metrics: [(String, String)] = [("caseloadMean", "caseload"), ("overCapShare", "over cap"),
                                            ("placementsStarted", "placements"), ("placedChildYears", "placed child-yrs"),
                                            ("cost.total", "total cost (DKK)")]
        var rows: [[String]] = [paths + metrics.map(\.1) + ["95 % CI of total cost", ""]]
        for (k, (point, run)) in zip(points, runs).enumerated() {
            var row = point
            for (m, _) in metrics {
                row.append(run.layout.totalsMetrics.firstIndex(of: m).map { format(run.totals[$0].mean, metric: m) } ?? "–")
            }
            if let i = run.layout.totalsMetrics.firstIndex(of: "cost.total"), let lo = run.totals[i].ci95Lo {
                row.append("\(format(lo, metric: "cost")) – \(format(run.totals[i].ci95Hi, metric: "cost"))")
            } else { row.append("–") }
            row.append(k == lowest ? "◀ lowest total cost" : "")
            rows.append(row)
        }
        return render(rows, colour: colour)
    }
}
