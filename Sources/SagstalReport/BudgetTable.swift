import Foundation
import SagstalScenario
import SagstalStats

/// The budget-year table: the mean cost of each category (``RunReport/costCategories(run:scenario:)``:
/// staff, recruitment, each ladder step, assessments, outreach, one-off) in every budget year and
/// over the horizon, in mio. kr. with one decimal — for pasting into a municipal budget.
///
/// The same rows make the table in `report.html` (run: one; compare: one per scenario and one of
/// the difference B − A) and `budget.csv` / `budget-excel-da.csv` (run and every scenario folder of
/// compare) and `budget-difference.csv` / `budget-difference-excel-da.csv` (compare).
/// Cells are means over the replications (no CI, no unit; the unit is in the caption and the
/// file name's documentation); a difference's yearly mean is the mean of the paired differences,
/// which equals the difference of the two means.
public enum BudgetTable {
    /// One row: a cost metric, its label, the yearly means and the mean over the horizon (DKK).
    public struct Row: Sendable, Equatable {
        public let metric: String
        public let label: String
        public let years: [Double?]
        public let total: Double?
    }

    /// The rows of `run` (a scenario's run or the differences of a pair): the categories in
    /// stacking order that are not zero in every year (or whose metric is in `keep`), then
    /// `cost.total`.
    ///
    /// - Parameters:
    ///   - categories: the category metrics to consider, in order (default: the scenario's).
    ///   - keep: metrics shown even when zero (so that compare's tables have the same rows).
    public static func rows(run: AggregatedRun, scenario: Scenario, language: ReportLanguage,
                            categories: [String]? = nil, keep: Set<String> = []) -> [Row] {
        let names = ReportParts.stepNames(scenario)
        let metrics = categories ?? RunReport.costCategories(run: run, scenario: scenario).map(\.metric)
        var out: [Row] = []
        for m in metrics + ["cost.total"] {
            guard let s = run.yearlySeries(m) else { continue }
            let years = s.map(\.mean)
            let total = run.total(m)?.mean
            let nonzero = years.contains { ($0 ?? 0) != 0 } || (total ?? 0) != 0
            guard m == "cost.total" || nonzero || keep.contains(m) else { continue }
            out.append(Row(metric: m, label: Localizer.metric(m, language, stepNames: names), years: years, total: total))
        }
        return out
    }

    /// The category metrics with a non-zero mean somewhere in any of `runs` (stacking order of
    /// the first scenario that has each): the common rows of compare's tables and charts.
    static func commonCategories(runs: [AggregatedRun], scenarios: [Scenario]) -> [String] {
        var out: [String] = []
        for (run, scenario) in zip(runs, scenarios) {
            for (m, _) in RunReport.costCategories(run: run, scenario: scenario) where !out.contains(m) {
                let values = (run.yearlySeries(m) ?? []).map(\.mean) + [run.total(m)?.mean]
                if values.contains(where: { ($0 ?? 0) != 0 }) { out.append(m) }
            }
        }
        return out
    }

    // MARK: CSV

    /// A value in mio. kr. with one decimal for a CSV cell: `12.3` or (Excel-DA) `12,3`, no
    /// thousands separator; rounding half away from zero, never `-0.0`; empty when missing.
    public static func csvMillions(_ x: Double?, dialect: CSVDialect) -> String {
        guard let x, x.isFinite else { return "" }
        var v = (x / 1e6 * 10).rounded(.toNearestOrAwayFromZero) / 10
        if v == 0 { v = 0 }
        let s = String(format: "%.1f", v)
        return dialect == .excelDa ? s.replacingOccurrences(of: ".", with: ",") : s
    }

    /// The text of `budget.csv` (and its Excel-DA copy): `category, <year 1>, …, total`, one row
    /// per category and a last row for the total, values in mio. kr. (means, one decimal).
    public static func csv(_ rows: [Row], yearLabels: [String], dialect: CSVDialect) -> String {
        dialect.preamble + CSV.line(["category"] + yearLabels + ["total"], dialect: dialect) + csvLines(rows, dialect: dialect)
    }

    /// The data lines of `rows`, each after the cells of `leading` (compare's `pair` column).
    static func csvLines(_ rows: [Row], leading: [String] = [], dialect: CSVDialect) -> String {
        rows.map { r in
            CSV.line(leading + [r.label] + r.years.map { csvMillions($0, dialect: dialect) } + [csvMillions(r.total, dialect: dialect)],
                     dialect: dialect)
        }.joined()
    }

    /// `budget.csv` in `dialect` and `budget-excel-da.csv` of a run (file name, text).
    public static func files(run: AggregatedRun, scenario: Scenario, language: ReportLanguage,
                             dialect: CSVDialect) -> [(name: String, contents: String)] {
        let rows = rows(run: run, scenario: scenario, language: language)
        return [("budget.csv", csv(rows, yearLabels: run.layout.yearLabels, dialect: dialect)),
                ("budget-excel-da.csv", csv(rows, yearLabels: run.layout.yearLabels, dialect: .excelDa))]
    }

    /// The rows of a pair's difference B − A: the categories of either scenario.
    public static func differenceRows(_ p: PairedComparison, runs: [AggregatedRun], scenarios: [Scenario],
                                      language: ReportLanguage) -> [Row] {
        let pairRuns = [p.baseline, p.alternative].filter { $0 < runs.count && $0 < scenarios.count }
        let categories = commonCategories(runs: pairRuns.map { runs[$0] }, scenarios: pairRuns.map { scenarios[$0] })
        let scenario = scenarios[p.alternative < scenarios.count ? p.alternative : 0]
        return rows(run: p.differences, scenario: scenario, language: language, categories: categories, keep: Set(categories))
    }

    /// `budget-difference.csv` in `dialect` and `budget-difference-excel-da.csv` of a compare
    /// folder: the difference of the first alternative with the baseline; with more alternatives,
    /// one block per pair after a line naming it.
    public static func differenceFiles(pairs: [PairedComparison], runs: [AggregatedRun], scenarios: [Scenario], names: [String],
                                       language: ReportLanguage, dialect: CSVDialect) -> [(name: String, contents: String)] {
        guard let first = pairs.first else { return [] }
        func text(_ d: CSVDialect) -> String {
            if pairs.count == 1 {
                return csv(differenceRows(first, runs: runs, scenarios: scenarios, language: language),
                           yearLabels: first.differences.layout.yearLabels, dialect: d)
            }
            // Several alternatives: a `pair` column first.
            var out = d.preamble + CSV.line(["pair", "category"] + first.differences.layout.yearLabels + ["total"], dialect: d)
            for p in pairs {
                let label = "\(p.alternative < names.count ? names[p.alternative] : "B") - \(p.baseline < names.count ? names[p.baseline] : "A")"
                out += csvLines(differenceRows(p, runs: runs, scenarios: scenarios, language: language), leading: [label], dialect: d)
            }
            return out
        }
        return [("budget-difference.csv", text(dialect)), ("budget-difference-excel-da.csv", text(.excelDa))]
    }

    // MARK: HTML

    /// The table in the report: rows = categories and total, columns = budget years and the
    /// horizon, mean mio. kr. with one decimal (the unit in the caption).
    static func html(_ rows: [Row], yearLabels: [String], caption: String, language: ReportLanguage, sign: Bool = false,
                     id: String? = nil) -> String {
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let header: [HTML.Cell] = [.text(da ? "Kategori" : "Category")] + yearLabels.map { .num($0) } + [.num(da ? "I alt" : "Total")]
        let cells: [[HTML.Cell]] = rows.map { r in
            [.text(r.label)] + r.years.map { .num(nf.number($0.map { $0 / 1e6 }, decimals: 1, sign: sign)) }
                + [.num(nf.number(r.total.map { $0 / 1e6 }, decimals: 1, sign: sign))]
        }
        let table = HTML.table(header: header, rows: cells, rowClasses: rows.map { $0.metric == "cost.total" ? "total" : nil },
                               caption: caption)
        let attr = id.map { " data-budget=\"\(HTML.esc($0))\"" } ?? ""
        return "<div class=\"budget\"\(attr)>" + table + "</div>"
    }

    /// The caption of a budget table: what it holds and its unit.
    static func caption(_ what: String?, replications: Int, language: ReportLanguage, difference: Bool = false) -> String {
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let n = nf.number(Double(replications))
        let base = difference
            ? (da ? "Forskel i udgift pr. budgetår, mio. kr." : "Difference in cost per budget year, million DKK")
            : (da ? "Udgift pr. budgetår, mio. kr." : "Cost per budget year, million DKK")
        let tail = da ? " — gennemsnit over \(n) gentagelser, afrundet til én decimal (summen kan afvige i sidste ciffer)."
                      : " — means over \(n) replications, rounded to one decimal (sums may differ in the last digit)."
        return (what.map { "\($0): " } ?? "") + base + tail
    }

    /// The run report's budget table.
    static func runHTML(run: AggregatedRun, scenario: Scenario, language: ReportLanguage) -> String {
        let da = language == .da
        return "<h3>\(HTML.esc(da ? "Budget pr. år (mio. kr.)" : "Budget per year (million DKK)"))</h3>"
            + html(rows(run: run, scenario: scenario, language: language), yearLabels: run.layout.yearLabels,
                   caption: caption(nil, replications: run.replications, language: language), language: language, id: "run")
            + "<p class=\"note\">\(HTML.esc(da ? "Samme tal som budget.csv (og budget-excel-da.csv til dansk Excel) i mappen." : "The same numbers as budget.csv (and budget-excel-da.csv for Danish Excel) in the folder."))</p>"
    }

    /// Compare's budget tables: one per scenario (the same rows), and one per pair of the difference B − A.
    static func compareHTML(pairs: [PairedComparison], runs: [AggregatedRun], scenarios: [Scenario], names: [String],
                            language: ReportLanguage) -> String {
        let da = language == .da
        func name(_ i: Int) -> String { i < names.count ? names[i] : "#\(i)" }
        let categories = commonCategories(runs: runs, scenarios: scenarios)
        var out = "<h3>\(HTML.esc(da ? "Budget pr. år (mio. kr.)" : "Budget per year (million DKK)"))</h3>"
        for (i, (run, scenario)) in zip(runs, scenarios).enumerated() {
            let rows = rows(run: run, scenario: scenario, language: language, categories: categories, keep: Set(categories))
            out += html(rows, yearLabels: run.layout.yearLabels,
                        caption: caption(name(i), replications: run.replications, language: language), language: language,
                        id: name(i))
        }
        for p in pairs {
            let rows = differenceRows(p, runs: runs, scenarios: scenarios, language: language)
            out += html(rows, yearLabels: p.differences.layout.yearLabels,
                        caption: caption("\(name(p.alternative)) − \(name(p.baseline))", replications: p.differences.replications,
                                         language: language, difference: true),
                        language: language, sign: true, id: "\(name(p.alternative))-\(name(p.baseline))")
        }
        out += "<p class=\"note\">\(HTML.esc(da ? "Samme tal som budget.csv i hvert scenaries mappe og budget-difference.csv (og -excel-da.csv til dansk Excel). Negativ forskel: alternativet koster mindre." : "The same numbers as budget.csv in each scenario's folder and budget-difference.csv (and the -excel-da.csv copies for Danish Excel). A negative difference: the alternative costs less."))</p>"
        return out
    }

    // MARK: Charts

    /// Compare's stacked cost per budget year, one chart per scenario on the same y scale, the
    /// same categories (and colours) in each.
    static func compareStacks(runs: [AggregatedRun], scenarios: [Scenario], names: [String], language: ReportLanguage) -> [String] {
        let t = Localizer.strings(language)
        let nf = ReportNumberFormatter(language)
        func name(_ i: Int) -> String { i < names.count ? names[i] : "#\(i)" }
        let categories = commonCategories(runs: runs, scenarios: scenarios)
        let totals = runs.flatMap { ($0.yearlySeries("cost.total") ?? []).map(\.mean) }
        let scale = ReportParts.moneyScale(ReportParts.maxAbs(totals), language)
        // One y scale: nice ticks up to the largest stacked total of any scenario.
        var top = 0.0
        for (run, scenario) in zip(runs, scenarios) {
            for y in run.layout.yearLabels.indices {
                top = max(top, RunReport.costCategories(run: run, scenario: scenario).filter { categories.contains($0.metric) }
                    .reduce(0) { $0 + max(run.yearlySeries($1.metric)?[y].mean ?? 0, 0) } / scale.divisor)
            }
        }
        let nice = SVGChart.niceTicks(min: 0, max: max(top, 1e-9), count: 6)
        var axis = SVGChart.Axis(title: "\(t.axisCost) (\(scale.unit))", formatter: nf)
        axis.ticks = nice.values.map { SVGChart.Tick($0, axis.label($0, step: nice.step)) }
        var colours: [String: String] = [:]
        for (run, scenario) in zip(runs, scenarios) {
            for (m, c) in RunReport.costCategories(run: run, scenario: scenario) where colours[m] == nil { colours[m] = c }
        }
        let stepNames = ScenarioNames.of(scenarios)
        return runs.enumerated().map { i, run in
            let series = categories.map { m in
                SVGChart.BarSeries(name: Localizer.metric(m, language, stepNames: stepNames),
                                   values: (run.yearlySeries(m) ?? run.layout.yearLabels.map { _ in MetricSummary.empty }).map { $0.mean.map { $0 / scale.divisor } },
                                   colour: colours[m] ?? ReportParts.oneOffColour)
            }
            let caption = "\(t.costPerYearByCategory): \(name(i))"
            return HTML.figure(caption, SVGChart.stackedBarChart(categories: run.layout.yearLabels, series: series, xTitle: t.axisYear,
                                                                 y: axis, title: caption, size: SVGChart.Size(width: 600, height: 380)))
        }
    }
}

