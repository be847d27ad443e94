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
        guard let x, x.isFinite else { return "–" }
        if metric.hasSuffix("Share") { return String(format: "%.1f %%", x * 100) }
        let digits = abs(x) >= 1000 ? 0 : (abs(x) >= 10 ? 1 : 2)
        let s = String(format: "%.\(digits)f", x)
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
