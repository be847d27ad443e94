import Foundation
import SagstalOutput
import SagstalScenario
import SagstalStats

/// `batch.csv` and `report.html` of `sagstal batch` (docs/batch.md): one row per municipality and
/// two ranked charts (no map: a ranking reads without knowing the country's geography).
public enum BatchReport {
    /// One municipality's inputs and run.
    public struct Row: Sendable {
        public var id: String
        public var name: String
        public var folder: String
        public var region: String
        public var children: Double
        public var notificationsPerYear: Double
        public var placedAtStart: Double
        public var caseworkers: Double
        public var source: String
        public var years: Double
        public var run: AggregatedRun

        public init(id: String, name: String, folder: String, region: String, children: Double, notificationsPerYear: Double,
                    placedAtStart: Double, caseworkers: Double, source: String, years: Double, run: AggregatedRun) {
            self.id = id
            self.name = name
            self.folder = folder
            self.region = region
            self.children = children
            self.notificationsPerYear = notificationsPerYear
            self.placedAtStart = placedAtStart
            self.caseworkers = caseworkers
            self.source = source
            self.years = years
            self.run = run
        }

        func total(_ metric: String) -> MetricSummary? { run.total(metric) }

        /// Mean total cost per child (0–17) per year, and its 95 % CI.
        var costPerChildYear: (mean: Double, lo: Double, hi: Double) { perChildYear("cost.total", per: 1) }
        /// New placements per 1,000 children per year, and its 95 % CI.
        var placementsPer1000: (mean: Double, lo: Double, hi: Double) { perChildYear("placementsStarted", per: 1000) }

        func perChildYear(_ metric: String, per: Double) -> (mean: Double, lo: Double, hi: Double) {
            guard let s = total(metric), children > 0, years > 0 else { return (.nan, .nan, .nan) }
            let k = per / (children * years)
            return ((s.mean ?? .nan) * k, (s.ci95Lo ?? .nan) * k, (s.ci95Hi ?? .nan) * k)
        }
    }

    /// The metrics of `batch.csv`, each as mean, ci95_lo, ci95_hi over the horizon.
    public static let metrics = ["placementsStarted", "placedEnd", "placedChildYears", "caseloadMean", "cost.total", "cost.npv"]

    /// The text of `batch.csv`: the row's inputs, the key totals with their 95 % CIs, cost per
    /// child and year and new placements per 1,000 children and year, and the row's `source`.
    public static func csv(_ rows: [Row], dialect: CSVDialect = .standard) -> String {
        var header = ["id", "name", "region", "folder", "children", "notificationsPerYear", "placedAtStart", "caseworkers", "years"]
        for m in metrics { header += [m + ".mean", m + ".ci95_lo", m + ".ci95_hi"] }
        header += ["costPerChildYear.mean", "costPerChildYear.ci95_lo", "costPerChildYear.ci95_hi",
                   "placementsPer1000ChildYears.mean", "placementsPer1000ChildYears.ci95_lo", "placementsPer1000ChildYears.ci95_hi", "source"]
        var out = dialect.preamble + CSV.line(header, dialect: dialect)
        for r in rows {
            var cells = [r.id, r.name, r.region, r.folder] + [r.children, r.notificationsPerYear, r.placedAtStart, r.caseworkers, r.years].map(dialect.cell)
            for m in metrics {
                let s = r.total(m)
                cells += [s?.mean, s?.ci95Lo, s?.ci95Hi].map(dialect.cell)
            }
            let c = r.costPerChildYear, p = r.placementsPer1000
            cells += [c.mean, c.lo, c.hi, p.mean, p.lo, p.hi].map { dialect.cell($0.isFinite ? $0 : nil) }
            cells.append(r.source)
            out += CSV.line(cells, dialect: dialect)
        }
        return out
    }

    /// The console's summary: the rows ranked by cost per child and year (at most the 5 highest
    /// and the 5 lowest), with new placements per 1,000 children and year.
    public static func console(_ rows: [Row], language: ReportLanguage) -> String {
        let da = language == .da
        let nf = ReportNumberFormatter(language)
        let order = rows.indices.sorted { a, b in
            let x = rows[a].costPerChildYear.mean, y = rows[b].costPerChildYear.mean
            return x != y ? x > y : a < b
        }
        let shown = order.count <= 10 ? order : Array(order.prefix(5)) + [-1] + Array(order.suffix(5))
        let nameWidth = max(12, rows.map { $0.name.count }.max() ?? 12)
        func pad(_ s: String, _ w: Int, right: Bool = false) -> String {
            let n = max(0, w - s.count)
            return right ? String(repeating: " ", count: n) + s : s + String(repeating: " ", count: n)
        }
        var lines = [pad(da ? "Kommune" : "Municipality", nameWidth) + "  " + pad(da ? "udgift/barn/år" : "cost/child/year", 16, right: true)
            + "  " + pad(da ? "nye anbr./1.000/år" : "new placements/1,000/year", 26, right: true)]
        for i in shown {
            guard i >= 0 else { lines.append(pad("…", nameWidth)); continue }
            let r = rows[i]
            lines.append(pad(r.name, nameWidth) + "  " + pad(nf.money(r.costPerChildYear.mean), 16, right: true)
                         + "  " + pad(nf.number(r.placementsPer1000.mean, decimals: 2), 26, right: true))
        }
        return lines.joined(separator: "\n")
    }

    /// The report: what was run, the two rankings, and the table.
    public static func html(rows: [Row], template: String, file: String, scenarios: [Scenario], runs: [AggregatedRun],
                            language: ReportLanguage, tool: ToolInfo, warnings: [OutputWarning], overrides: [String]) -> String {
        let da = language == .da
        let nf = ReportNumberFormatter(language)
        let t = Localizer.strings(language)
        let sim = scenarios.first?.simulation
        let replications = runs.first?.replications ?? 0
        let title = da ? "Kommuner side om side" : "Municipalities side by side"
        var body = "<header class=\"report\"><p class=\"kicker\">sagstal · batch</p><h1>\(HTML.esc(title))</h1>"
        let meta = [ReportParts.period(runs.first?.layout.yearLabels ?? []),
                    "\(nf.number(Double(rows.count))) \(da ? "kommuner" : "municipalities") × \(nf.number(Double(replications))) \(t.replications.lowercased())",
                    sim.map { "\(t.seed.lowercased()) \($0.seed)" } ?? ""].filter { !$0.isEmpty }.joined(separator: " · ")
        body += "<p class=\"meta\">\(HTML.esc(meta))</p>"
        body += "<p class=\"meta\">\(HTML.esc(da ? "Fil" : "File")): <code>\(HTML.esc(file))</code> · \(HTML.esc(da ? "skabelon" : "template")): <code>\(HTML.esc(template))</code>"
            + (overrides.isEmpty ? "" : " · --set " + overrides.map { "<code>\(HTML.esc($0))</code>" }.joined(separator: " ")) + "</p></header>"
        body += WarningsBox.html(warnings, language: language)

        body += "<section class=\"summary\"><h2>\(HTML.esc(t.summary))</h2>"
        let lead = da
            ? "Hver kommune er skabelonen med kommunens egne tal (børn 0–17, underretninger, anbragte, socialrådgivere); tomme felter er skaleret fra skabelonen efter antal børn. Alle kommuner er kørt med samme seed. Rangeringerne nedenfor er pr. barn og år, så store og små kommuner kan sammenlignes; de viser hvad modellen giver med disse input, ikke målte forskelle mellem kommunerne."
            : "Each municipality is the template with its own figures (children 0–17, notifications, placed children, caseworkers); empty cells are scaled from the template by the number of children. Every municipality runs with the same seed. The rankings below are per child and year so that large and small municipalities compare; they show what the model gives with these inputs, not measured differences between municipalities."
        body += "<p class=\"lead\">\(HTML.esc(lead))</p>"
        body += ReportParts.aboutNumbers(replications: replications, language: language) + "</section>"

        func ranked(_ value: (Row) -> (mean: Double, lo: Double, hi: Double), axisTitle: String, chartTitle: String, money: Bool) -> String {
            let order = rows.indices.sorted { a, b in
                let x = value(rows[a]).mean, y = value(rows[b]).mean
                return x.isFinite && y.isFinite ? (x != y ? x > y : a < b) : x.isFinite
            }
            let bars = order.map { i -> RankedBar in
                let v = value(rows[i])
                return RankedBar(label: rows[i].name, value: v.mean, lo: v.lo, hi: v.hi,
                                 valueLabel: money ? nf.money(v.mean) : nf.number(v.mean, decimals: 2))
            }
            return HTML.figure(chartTitle, SVGChart.rankedBarChart(bars, axisTitle: axisTitle, title: chartTitle, formatter: nf),
                               note: da ? "Streger: 95 %-konfidensinterval for middelværdien." : "Whiskers: 95 % confidence interval of the mean.")
        }
        body += "<section class=\"page\"><h2>\(HTML.esc(da ? "Udgift pr. barn og år" : "Cost per child and year"))</h2>"
        body += ranked({ $0.costPerChildYear }, axisTitle: da ? "kr. pr. barn 0–17 pr. år" : "DKK per child 0–17 per year",
                       chartTitle: da ? "Samlet udgift pr. barn og år, højest øverst" : "Total cost per child and year, highest first", money: true)
        body += "</section><section class=\"page\"><h2>\(HTML.esc(da ? "Nye anbringelser pr. 1.000 børn og år" : "New placements per 1,000 children and year"))</h2>"
        body += ranked({ $0.placementsPer1000 }, axisTitle: da ? "nye anbringelser pr. 1.000 børn pr. år" : "new placements per 1,000 children per year",
                       chartTitle: da ? "Nye anbringelser pr. 1.000 børn og år, flest øverst" : "New placements per 1,000 children and year, most first", money: false)
        body += "</section>"

        body += "<section class=\"page\"><h2>\(HTML.esc(da ? "Alle kommuner" : "Every municipality"))</h2>"
        let header: [HTML.Cell] = [.text(da ? "Kode" : "Code"), .text(da ? "Kommune" : "Municipality"), .num(da ? "Børn 0–17" : "Children 0–17"),
                                   .num(da ? "Underretninger/år" : "Notifications/year"), .num(da ? "Anbragte ved start" : "Placed at start"),
                                   .num(da ? "Socialrådgivere" : "Caseworkers"), .num(da ? "Udgift pr. barn/år" : "Cost per child/year"),
                                   .num(da ? "Nye anbr. pr. 1.000/år" : "New placements per 1,000/year"), .text(da ? "Kilde" : "Source")]
        let cells: [[HTML.Cell]] = rows.map { r in
            [.raw("<a href=\"\(HTML.esc(r.folder))/report.html\">\(HTML.esc(r.id))</a>"), .text(r.name), .num(nf.number(r.children)),
             .num(nf.number(r.notificationsPerYear)), .num(nf.number(r.placedAtStart)), .num(nf.number(r.caseworkers)),
             .num(nf.money(r.costPerChildYear.mean)), .num(nf.number(r.placementsPer1000.mean, decimals: 2)), .text(r.source)]
        }
        body += HTML.table(header: header, rows: cells)
        body += "<p class=\"caveat\">\(HTML.esc(da ? "Hver kommunes egen rapport ligger i dens mappe (link i første kolonne)." : "Each municipality's own report is in its folder (link in the first column)."))</p></section>"
        body += "<footer class=\"report\"><p>\(HTML.esc("\(tool.name) \(tool.version) · GSL \(tool.gslVersion) · \(tool.generator)"))</p></footer>"
        return HTML.page(language: language, title: "sagstal batch · \(title)", body: body)
    }

    /// One bar of ``SVGChart/rankedBarChart(_:axisTitle:title:formatter:width:)``.
    public struct RankedBar: Sendable {
        public var label: String
        public var value: Double
        public var lo: Double
        public var hi: Double
        public var valueLabel: String
    }
}

extension SVGChart {
    /// A ranked horizontal bar chart: one row per item in the order given, a bar from 0 to the value,
    /// a whisker from lo to hi, and the value at the bar's end.
    public static func rankedBarChart(_ bars: [BatchReport.RankedBar], axisTitle: String, title: String,
                                      formatter: ReportNumberFormatter, width: Double = 760) -> String {
        let colour = "#0072B2"
        let labelWidth = min(220, (bars.map { textWidth($0.label) }.max() ?? 60) + 12)
        let rowHeight = 18.0, top = 12.0, bottom = 44.0
        let height = top + bottom + rowHeight * Double(max(bars.count, 1))
        let finite = ([0] + bars.flatMap { [$0.value, $0.hi] }).filter(\.isFinite)
        let ticks = niceTicks(min: 0, max: max(finite.max() ?? 1, 1e-300), count: 5)
        let xHi = ticks.values.last ?? 1
        let left = labelWidth + 8, right = 90.0
        let plotWidth = width - left - right
        func sx(_ v: Double) -> Double { left + max(0, v) / max(xHi, 1e-300) * plotWidth }
        let w = f1(width), h = f1(height)
        let axis = Axis(title: axisTitle, formatter: formatter)
        var out = "<svg class=\"chart chart-ranked\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" role=\"img\" aria-label=\"\(esc(title))\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif\" font-size=\"11\"><title>\(esc(title))</title>"
        out += "<rect class=\"background\" x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>"
        let y0 = top + rowHeight * Double(bars.count)
        out += horizontalValueAxis(ticks: ticks, x: axis, sx: sx, top: top, y0: y0, left: left, plotWidth: plotWidth, height: height)
        for (i, b) in bars.enumerated() {
            let cy = top + rowHeight * (Double(i) + 0.5)
            out += "<g class=\"row\" data-label=\"\(esc(b.label))\"><text x=\"\(f1(left - 6))\" y=\"\(f1(cy + 4))\" text-anchor=\"end\" fill=\"#1a1a1a\">\(esc(b.label))</text>"
            if b.value.isFinite {
                out += "<rect class=\"bar\" x=\"\(f1(left))\" y=\"\(f1(cy - 6))\" width=\"\(f1(max(sx(b.value) - left, 1)))\" height=\"12\" fill=\"\(colour)\"/>"
                if b.lo.isFinite, b.hi.isFinite {
                    out += "<path class=\"whisker\" d=\"M\(f1(sx(b.lo))) \(f1(cy))L\(f1(sx(b.hi))) \(f1(cy))M\(f1(sx(b.lo))) \(f1(cy - 4))L\(f1(sx(b.lo))) \(f1(cy + 4))M\(f1(sx(b.hi))) \(f1(cy - 4))L\(f1(sx(b.hi))) \(f1(cy + 4))\" stroke=\"#1a1a1a\" stroke-width=\"1.1\" fill=\"none\"/>"
                }
                let tx = max(sx(b.value), b.hi.isFinite ? sx(b.hi) : 0) + 6
                out += "<text class=\"value\" x=\"\(f1(tx))\" y=\"\(f1(cy + 4))\" fill=\"#333333\">\(esc(b.valueLabel))</text>"
            }
            out += "</g>"
        }
        return out + "</svg>"
    }
}
