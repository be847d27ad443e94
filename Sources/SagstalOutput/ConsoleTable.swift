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
        ("caseloadFamiliesMean", "Mean caseload (families)"),
        ("overCapShare", "Share of time over cap"),
        ("transfers", "Transfers between age bands"),
        ("leavers", "Caseworkers leaving"),
        ("cost.staff", "Staff cost (DKK)"),
        ("cost.interventions", "Intervention cost (DKK)"),
        ("cost.total", "Total cost (DKK)"),
        ("cost.npv", "Total cost, NPV (DKK)"),
    ]

    /// The key-totals table of a run. Bold header when `colour` (a terminal).
    ///
    /// - Parameter language: `en` (default) or `da` (Danish labels, `1.234,5`).
    ///   `displayNames` (``Localizer/names(steps:teams:followUps:)``) names the follow-ups, whose
    ///   missed visits are listed after the key totals.
    public static func keyTotals(_ run: AggregatedRun, title: String, colour: Bool = false,
                                 language: ReportLanguage = .en, displayNames: [String: String] = [:]) -> String {
        let names = run.layout.totalsMetrics
        let t = Localizer.strings(language)
        var rows: [[String]] = [language == .en ? ["Total over the horizon", "mean", "95 % CI"]
                                                : [t.totalOverHorizon, t.mean, t.ci95]]
        for (metric, label) in keyMetrics + followUpMetrics(run.layout, displayNames) {
            guard let i = names.firstIndex(of: metric) else { continue }
            let s = run.totals[i]
            if metric == "transfers" && s.mean == 0 { continue }   // no age bands, or nobody crossed one
            rows.append([consoleLabel(metric, label, language), format(s.mean, metric: metric, language: language),
                         s.ci95Lo.map { "\(format($0, metric: metric, language: language)) – \(format(s.ci95Hi, metric: metric, language: language))" } ?? "–"])
        }
        return title + "\n" + render(rows, colour: colour)
    }

    /// A console label: the English one given, or the Danish one of ``Localizer`` (amounts with "(kr.)").
    static func consoleLabel(_ metric: String, _ english: String, _ language: ReportLanguage,
                             _ displayNames: [String: String] = [:]) -> String {
        guard language == .da else { return english }
        let label = Localizer.metric(metric, .da, stepNames: displayNames)
        return Localizer.unit(of: metric) == .money ? label + " (kr.)" : label
    }

    /// ``format(_:metric:)`` in a language: Danish swaps the separators (`1.234,5`, `12,3 %`).
    public static func format(_ x: Double?, metric: String, language: ReportLanguage) -> String {
        localize(format(x, metric: metric), language)
    }

    /// Swaps `,` and `.` in a formatted number for Danish.
    static func localize(_ s: String, _ language: ReportLanguage) -> String {
        guard language == .da else { return s }
        return String(s.map { $0 == "," ? "." : ($0 == "." ? "," : $0) })
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
            }.joined(separator: "  ").replacingOccurrences(of: #"\s+$"#, with: "", options: .regularExpression)
        }
        var out: [String] = []
        let h = line(header)
        out.append(colour ? "\u{1B}[1m" + h + "\u{1B}[0m" : h)
        // The rule stops at the last titled column (a trailing note column such as the sweep's
        // "◀ lowest total cost" has no title and gets no segment).
        let titled = (header.lastIndex { !$0.isEmpty } ?? 0) + 1
        out.append(widths.prefix(titled).map { String(repeating: "─", count: $0) }.joined(separator: "  "))
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
        ("caseloadFamiliesMean", "Mean caseload (families)"),
        ("waitDaysMean", "Mean wait (days)"),
        ("leavers", "Caseworkers leaving"),
        ("cost.staff", "Staff cost (DKK)"),
        ("cost.interventions", "Intervention cost (DKK)"),
        ("cost.total", "Total cost (DKK)"),
        ("cost.npv", "Total cost, NPV (DKK)"),
    ]

    /// The console summary of one paired comparison: both means, the paired difference with its
    /// 95 % CI, placements avoided, P(alternative costs less), the median break-even year over
    /// replications (the first year from which the cumulative cost stays at or below the
    /// baseline's, ``BreakEven``) and the break-even year of the mean cumulative net cost.
    ///
    /// - Parameter language: `en` (default) or `da` (Danish labels, `1.234,5`).
    /// - Parameter width: the terminal's width in columns, or nil (a pipe or a file: full width).
    ///   When the table is wider, the narrow layout is printed: the scenarios are "A" and "B"
    ///   (named in a line below the table), amounts in millions and the CI without "(paired)".
    public static func comparison(_ p: PairedComparison, baseline: String, alternative: String, colour: Bool = false,
                                  language: ReportLanguage = .en, displayNames: [String: String] = [:],
                                  width: Int? = nil) -> String {
        let d = p.differences
        let da = language == .da
        let t = Localizer.strings(language)
        func f(_ x: Double?, _ metric: String) -> String { format(x, metric: metric, language: language) }
        func sg(_ x: Double?, _ metric: String) -> String { localize(signed(x, metric: metric), language) }
        func table(narrow: Bool, colour: Bool) -> String {
            // Narrow: amounts in millions with one decimal ("-38.5"), the unit in the label.
            func scaled(_ x: Double?, _ metric: String) -> Double? {
                narrow && metric.hasPrefix("cost.") ? x.map { $0 / 1e6 } : x
            }
            func shown(_ metric: String) -> String { narrow && metric.hasPrefix("cost.") ? "" : metric }
            func label(_ metric: String, _ english: String) -> String {
                let l = consoleLabel(metric, english, language, displayNames)
                guard narrow, metric.hasPrefix("cost.") else { return l }
                return l.replacingOccurrences(of: "(DKK)", with: "(mio. DKK)").replacingOccurrences(of: "(kr.)", with: "(mio. kr.)")
            }
            var rows: [[String]] = [[da ? t.totalOverHorizon : "Total over the horizon",
                                     narrow ? "A" : baseline, narrow ? "B" : alternative,
                                     narrow ? "B − A" : (da ? t.difference : "difference"),
                                     narrow ? (da ? t.ci95 : "95 % CI") : (da ? t.pairedCI : "95 % CI (paired)")]]
            for (metric, english) in comparisonMetrics + followUpMetrics(d.layout, displayNames) {
                guard let i = d.layout.totalsMetrics.firstIndex(of: metric) else { continue }
                let s = d.totals[i]
                let m = shown(metric)
                rows.append([label(metric, english), f(scaled(p.baselineTotals[i], metric), m),
                             f(scaled(p.alternativeTotals[i], metric), m),
                             sg(scaled(s.mean, metric), m),
                             s.ci95Lo.map { "\(sg(scaled($0, metric), m)) – \(sg(scaled(s.ci95Hi, metric), m))" } ?? "–"])
            }
            var text = render(rows, colour: colour)
            if narrow {
                text += da ? "\nA = \(baseline) (basis)\nB = \(alternative); KI for den parrede forskel"
                           : "\nA = \(baseline) (baseline)\nB = \(alternative); CI of the paired difference"
            }
            return text
        }
        let wide = table(narrow: false, colour: false)
        let narrow = width.map { w in wide.split(separator: "\n").contains { $0.count > w } } ?? false
        var lines = [table(narrow: narrow, colour: colour), ""]
        if let i = d.layout.totalsMetrics.firstIndex(of: "placementsStarted"), let m = d.totals[i].mean,
           let lo = d.totals[i].ci95Lo, let hi = d.totals[i].ci95Hi {
            lines.append("\(da ? t.placementsAvoided : "Placements avoided"): \(f(-m, "")) (\(da ? t.ci95 : "95 % CI") \(f(-hi, "")) – \(f(-lo, "")))")
        }
        if let i = d.layout.totalsMetrics.firstIndex(of: "cost.total"), let m = d.totals[i].mean,
           let lo = d.totals[i].ci95Lo, let hi = d.totals[i].ci95Hi {
            lines.append(da ? "Nettoudgift for \(alternative): \(sg(m, "cost")) kr. (95 %-KI \(sg(lo, "cost")) – \(sg(hi, "cost")))"
                            : "Net cost of \(alternative): \(signed(m, metric: "cost")) DKK (95 % CI \(signed(lo, metric: "cost")) – \(signed(hi, metric: "cost")))")
        }
        let pct = localize(String(format: "%.0f %%", p.probabilityCheaper * 100), language)
        lines.append(da ? "Sandsynlighed for at \(alternative) koster mindre end \(baseline) over perioden: \(pct)"
                        : "P(\(alternative) costs less than \(baseline) over the horizon): \(pct)")
        let b = p.breakEven
        let n = Double(max(b.replications, 1))
        let yearText = da ? (b.medianYearIndex.map { b.yearLabels[$0] } ?? t.notWithinHorizon) : ComparisonWriter.breakEvenText(b)
        var text = da ? "Tjent hjem i budgetåret (median): \(yearText)" : "Break-even budget year (median): \(yearText)"
        if let y = b.medianYearIndex {
            let by = localize(String(format: "%.0f %%", Double(b.brokenEven(by: y)) / n * 100), language)
            text += da ? " — varigt nået senest da i \(by) af gentagelserne" : " — for good by then in \(by) of replications"
        }
        let never = localize(String(format: "%.0f %%", Double(b.notWithinHorizon) / n * 100), language)
        if b.medianYearIndex != nil {
            text += da ? "; ikke inden for perioden i \(never)" : "; not within the horizon in \(never)"
        } else {
            text += da ? " (ikke tjent hjem i \(never) af gentagelserne)" : " (no break-even in \(never) of replications)"
        }
        lines.append(text)
        lines.append(meanBreakEvenLine(p, language: language))
        return lines.joined(separator: "\n")
    }

    /// The break-even year of the mean cumulative net cost and the month of its interpolated
    /// crossing (the marker of the report's break-even chart).
    static func meanBreakEvenLine(_ p: PairedComparison, language: ReportLanguage) -> String {
        let da = language == .da
        guard let y = p.meanBreakEvenYearIndex else {
            return da ? "Tjent hjem for den gennemsnitlige akkumulerede nettoudgift: \(Localizer.strings(language).notWithinHorizon)"
                      : "Break-even of the mean cumulative net cost: not within the horizon"
        }
        var month = p.meanBreakEvenCrossingMonth.map { da ? " (krydser nul ≈ \($0))" : " (crosses zero ≈ \($0))" } ?? ""
        if p.meanBreakEvenCrossing == 0 { month = da ? " (under nul fra starten)" : " (at or below zero from the start)" }
        return (da ? "Tjent hjem for den gennemsnitlige akkumulerede nettoudgift: " : "Break-even of the mean cumulative net cost: ")
            + p.breakEven.yearLabels[y] + month
    }

    /// The follow-up rows of a layout (`followUp.<id>.missed` and `.missedShare`), labelled by name.
    static func followUpMetrics(_ layout: MetricLayout, _ displayNames: [String: String]) -> [(metric: String, label: String)] {
        layout.periodMetrics.filter { $0.hasPrefix("followUp.") && ($0.hasSuffix(".missed") || $0.hasSuffix(".missedShare")) }
            .map { ($0, Localizer.metric($0, .en, stepNames: displayNames)) }
    }

    static func signed(_ x: Double?, metric: String) -> String {
        guard let x, x.isFinite else { return "–" }
        let s = format(x, metric: metric)
        // A value that rounds to zero prints without a sign ("0.00", not "+0.00" or "-0.00").
        if s.allSatisfy({ $0 == "0" || $0 == "." || $0 == "," || $0 == "-" }) { return s.replacingOccurrences(of: "-", with: "") }
        return x > 0 ? "+" + s : s
    }

    /// The console table of a sweep: one row per point with key totals; the lowest mean total
    /// cost is marked.
    ///
    /// - Parameter language: `en` (default) or `da` (Danish headings, `1.234,5`).
    public static func sweep(paths: [String], points: [[String]], runs: [AggregatedRun], lowest: Int?, colour: Bool = false,
                             language: ReportLanguage = .en) -> String {
        sweep(paths: paths, points: points, runs: runs, marked: lowest.map { [$0] } ?? [], colour: colour, language: language)
    }

    /// What the console and the report say about an axis that is an assumption ("assumption: no
    /// measured value, FACTS §5–6 — …"); without `prefixed`, the text after "assumption: ".
    public static func assumptionNote(_ language: ReportLanguage, prefixed: Bool = true) -> String {
        let body = language == .da
            ? "ingen målt værdi, FACTS §5–6 — den laveste udgift her viser, hvad antagelsen indebærer, ikke hvad man skal vælge"
            : "no measured value, FACTS §5–6 — the lowest cost here says what the assumption implies, not what to choose"
        return prefixed ? (language == .da ? "antagelse: " : "assumption: ") + body : body
    }

    /// The console table of a sweep: one row per point with key totals; the `marked` points
    /// (``SweepJob/lowestCostPoints``) carry "◀ lowest total cost". Axes flagged in `assumptions`
    /// are headed "(assumption)" and explained under the table; with assumption axes and others,
    /// a marked point is the lowest cost for its assumed values.
    ///
    /// - Parameter language: `en` (default) or `da` (Danish headings, `1.234,5`).
    public static func sweep(paths: [String], points: [[String]], runs: [AggregatedRun], marked: [Int], assumptions: [Bool] = [],
                             colour: Bool = false, language: ReportLanguage = .en) -> String {
        let da = language == .da
        // Caseload in the scenario's own unit: with caps counted in families, families first and
        // children beside them.
        let families = runs.first?.layout.totalsMetrics.contains("caseloadFamiliesMean") == true
        let caseload: [(String, String)] = families
            ? [("caseloadFamiliesMean", da ? "sagstal (familier)" : "caseload (families)"), ("caseloadMean", da ? "(børn)" : "(children)")]
            : [("caseloadMean", da ? "sagstal" : "caseload")]
        let metrics: [(String, String)] = caseload + (da
            ? [("overCapShare", "over loft"), ("placementsStarted", "nye anbringelser"),
               ("placedChildYears", "helårsanbringelser"), ("cost.total", "samlet udgift (kr.)")]
            : [("overCapShare", "over cap"),
               ("placementsStarted", "placements"), ("placedChildYears", "placed child-yrs"),
               ("cost.total", "total cost (DKK)")])
        func isAssumption(_ k: Int) -> Bool { k < assumptions.count && assumptions[k] }
        let assumed = paths.indices.filter(isAssumption)
        let heads = paths.enumerated().map { k, p in isAssumption(k) ? p + (da ? " (antagelse)" : " (assumption)") : p }
        let tag: String
        if assumed.isEmpty {
            tag = da ? "◀ laveste samlede udgift" : "◀ lowest total cost"
        } else {
            tag = da ? (assumed.count == 1 ? "◀ laveste samlede udgift ved denne antagne værdi" : "◀ laveste samlede udgift ved disse antagne værdier")
                     : (assumed.count == 1 ? "◀ lowest total cost at this assumed value" : "◀ lowest total cost at these assumed values")
        }
        var rows: [[String]] = [heads + metrics.map(\.1) + [da ? "95 %-KI for samlet udgift" : "95 % CI of total cost", ""]]
        for (k, (point, run)) in zip(points, runs).enumerated() {
            var row = point
            for (m, _) in metrics {
                row.append(run.layout.totalsMetrics.firstIndex(of: m).map { format(run.totals[$0].mean, metric: m, language: language) } ?? "–")
            }
            if let i = run.layout.totalsMetrics.firstIndex(of: "cost.total"), let lo = run.totals[i].ci95Lo {
                row.append("\(format(lo, metric: "cost", language: language)) – \(format(run.totals[i].ci95Hi, metric: "cost", language: language))")
            } else { row.append("–") }
            row.append(marked.contains(k) ? tag : "")
            rows.append(row)
        }
        var out = render(rows, colour: colour)
        for k in assumed { out += "\n" + paths[k] + " — " + assumptionNote(language) }
        if !assumed.isEmpty {
            if assumed.count == paths.count {
                out += da ? "\nIntet punkt er markeret som laveste udgift: alle varierede parametre er antagelser."
                          : "\nNo point is marked as the lowest cost: every varied parameter is an assumption."
            } else {
                out += da ? "\nDen laveste udgift er markeret for hver antagne værdi, over de øvrige parametre."
                          : "\nThe lowest cost is marked for each assumed value, over the other parameters."
            }
        }
        return out
    }
}
