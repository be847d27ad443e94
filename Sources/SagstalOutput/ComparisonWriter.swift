import Foundation
import SagstalScenario
import SagstalStats

/// What a comparison's files record besides its statistics.
public struct ComparisonInfo: Sendable {
    /// Short names (file names without extension), baseline first.
    public var names: [String]
    /// The scenarios' `name` fields.
    public var titles: [String]
    public var seed: UInt64
    public var replications: Int
    public var years: Double
    public var tool: ToolInfo
    /// Values of the alternatives' files replaced to pair the runs (seed, replications, years).
    public var notes: [String]
    /// Plausibility warnings of the compared scenarios (docs/plausibility.md), distinct.
    public var warnings: [OutputWarning] = []
    /// Per scenario (baseline first), where every value comes from; `comparison.json` lists them
    /// with each scenario under `"scenarios"`.
    public var sources: [[ValueSource]] = []
    /// The overrides every scenario was loaded with (`--set`, then `-n`, `--seed`, `--years`).
    public var overrides: [String] = []

    public init(names: [String], titles: [String], seed: UInt64, replications: Int, years: Double, tool: ToolInfo, notes: [String]) {
        self.names = names
        self.titles = titles
        self.seed = seed
        self.replications = replications
        self.years = years
        self.tool = tool
        self.notes = notes
    }
}

/// `comparison.json` and `comparison.csv` of `sagstal compare`.
public enum ComparisonWriter {
    public static let files = ["comparison.json", "comparison.csv"]

    /// Writes both files atomically into `directory` (created if needed).
    ///
    /// - Parameters:
    ///   - dialect: how `comparison.csv` is written (default ``CSVDialect/standard``).
    ///   - additionalFiles: more files written atomically with the others (e.g. `report.html`),
    ///     as (file name, text) pairs.
    public static func write(_ pairs: [PairedComparison], info: ComparisonInfo, to directory: URL,
                             dialect: CSVDialect = .standard,
                             additionalFiles: [(name: String, contents: String)] = []) throws {
        try Directories.create(directory.path)
        try AtomicFile.write([
            (directory.appendingPathComponent("comparison.json"), Data(json(pairs, info: info).utf8)),
            (directory.appendingPathComponent("comparison.csv"), Data(csv(pairs, info: info, dialect: dialect).utf8)),
        ] + additionalFiles.map { (directory.appendingPathComponent($0.name), Data($0.contents.utf8)) })
    }

    static func metric(_ pair: PairedComparison, _ name: String) -> Int? {
        pair.differences.layout.totalsMetrics.firstIndex(of: name)
    }

    /// The label of the median break-even year, or "not within the horizon".
    public static func breakEvenText(_ b: BreakEven) -> String {
        b.medianYearIndex.map { b.yearLabels[$0] } ?? "not within the horizon"
    }

    /// The definition of the break-even year, as written into `comparison.json`.
    public static let breakEvenDefinition =
        "the first budget year from which the alternative's cumulative cost.total stays at or below the baseline's until the horizon"

    /// The label of the mean cumulative net cost's break-even year, or "not within the horizon".
    public static func meanBreakEvenText(_ p: PairedComparison) -> String {
        p.meanBreakEvenYearIndex.map { p.breakEven.yearLabels[$0] } ?? "not within the horizon"
    }

    /// A year label as a JSON integer when it is one.
    static func yearJSON(_ label: String) -> JSONValue {
        Int64(label).map(JSONValue.integer) ?? .string(label)
    }

    /// Negated statistics (for "placements avoided" = baseline − alternative).
    static func negated(_ s: MetricSummary) -> MetricSummary {
        MetricSummary(n: s.n, mean: s.mean.map { -$0 }, sd: s.sd, ci95Lo: s.ci95Hi.map { -$0 }, ci95Hi: s.ci95Lo.map { -$0 },
                      p5: s.p95.map { -$0 }, p50: s.p50.map { -$0 }, p95: s.p5.map { -$0 })
    }

    /// The text of `comparison.json`.
    public static func json(_ pairs: [PairedComparison], info: ComparisonInfo) -> String {
        func pairJSON(_ p: PairedComparison) -> JSONValue {
            let d = p.differences
            let names = d.layout.totalsMetrics
            let totals: JSONValue = .object(names.indices.map { i in
                (names[i], .object([
                    ("baseline", .number(p.baselineTotals[i])),
                    ("alternative", .number(p.alternativeTotals[i])),
                    ("difference", RunWriter.stat(d.totals[i])),
                    ("unpairedCi95", unpaired(d.totals[i].mean, p.unpairedCi95HalfWidth[i])),
                ]))
            })
            let yearly: JSONValue = .array(d.layout.yearLabels.indices.map { y in
                .object([
                    ("year", Int64(d.layout.yearLabels[y]).map(JSONValue.integer) ?? .string(d.layout.yearLabels[y])),
                    ("metrics", .object(d.layout.periodMetrics.indices.map { m in
                        (d.layout.periodMetrics[m], .object([
                            ("baseline", .number(p.baselineYearly[y][m])),
                            ("alternative", .number(p.alternativeYearly[y][m])),
                            ("difference", RunWriter.stat(d.yearly[y][m])),
                            ("unpairedCi95", unpaired(d.yearly[y][m].mean, p.unpairedYearlyCi95HalfWidth[y][m])),
                        ]))
                    })),
                ])
            })
            let b = p.breakEven
            let n = Double(max(b.replications, 1))
            let breakEven: JSONValue = .object([
                ("definition", .string(breakEvenDefinition)),
                ("median", b.medianYearIndex.map { yearJSON(b.yearLabels[$0]) } ?? .null),
                ("text", .string(breakEvenText(b))),
                ("distribution", .array(b.yearLabels.indices.map { y in
                    .object([("year", yearJSON(b.yearLabels[y])),
                             ("replications", .integer(Int64(b.counts[y]))),
                             ("share", .number(Double(b.counts[y]) / n)),
                             ("cumulativeShare", .number(Double(b.brokenEven(by: y)) / n))])
                })),
                ("notWithinHorizon", .object([("replications", .integer(Int64(b.notWithinHorizon))),
                                              ("share", .number(Double(b.notWithinHorizon) / n))])),
                ("meanCumulativeNetCost", .object([
                    ("year", p.meanBreakEvenYearIndex.map { yearJSON(b.yearLabels[$0]) } ?? .null),
                    ("text", .string(meanBreakEvenText(p))),
                    ("crossingYearsFromStart", .number(p.meanBreakEvenCrossing)),
                    ("crossingMonth", p.meanBreakEvenCrossingMonth.map(JSONValue.string) ?? .null),
                ])),
            ])
            var headline: [(String, JSONValue)] = []
            if let i = metric(p, "placementsStarted") { headline.append(("placementsAvoided", RunWriter.stat(negated(d.totals[i])))) }
            if let i = metric(p, "cost.total") { headline.append(("netCost", RunWriter.stat(d.totals[i]))) }
            if let i = metric(p, "cost.npv") { headline.append(("netCostNPV", RunWriter.stat(d.totals[i]))) }
            return .object([
                ("baseline", .string(info.names[p.baseline])),
                ("alternative", .string(info.names[p.alternative])),
                ("probabilityAlternativeCostsLess", .object([("total", .number(p.probabilityCheaper)),
                                                             ("npv", .number(p.probabilityCheaperNPV))])),
            ] + headline + [
                ("breakEvenYear", breakEven),
                ("cumulativeNetCost", .array(zip(d.layout.yearLabels, p.cumulativeNetCost).map { label, stat in
                    .object([("year", Int64(label).map(JSONValue.integer) ?? .string(label)), ("netCost", RunWriter.stat(stat))])
                })),
                ("totals", totals),
                ("yearly", yearly),
            ])
        }
        let root: JSONValue = .object([
            ("baseline", .string(info.names[0])),
            ("scenarios", .array(zip(info.names, info.titles).enumerated().map { i, nt in
                .object([("name", .string(nt.0)), ("title", .string(nt.1)),
                         ("sources", ValueSource.json(i < info.sources.count ? info.sources[i] : []))])
            })),
            ("replications", .integer(Int64(info.replications))),
            ("seed", .unsigned(info.seed)),
            ("years", .number(info.years)),
            ("tool", .object([("name", .string(info.tool.name)), ("version", .string(info.tool.version)),
                              ("gsl", .string(info.tool.gslVersion)), ("generator", .string(info.tool.generator))])),
            ("notes", .array(info.notes.map(JSONValue.string))),
            ("warnings", .array(info.warnings.map(\.json))),
            ("comparisons", .array(pairs.map(pairJSON))),
        ])
        return root.prettyPrinted()
    }

    static func unpaired(_ mean: Double?, _ half: Double?) -> JSONValue {
        guard let mean, let half else { return .array([.null, .null]) }
        return .array([.number(mean - half), .number(mean + half)])
    }

    /// The pseudo-metric of `comparison.csv` for the cumulative total cost up to the end of a year.
    public static let cumulativeMetric = "cost.total.cumulative"

    /// The text of `comparison.csv`: one row per comparison, period and metric, with the two means
    /// and the paired difference's statistics. `kind` is `total` (the whole horizon; `year` empty)
    /// or `year` (`year` the budget year), so the two never share a column and R or pandas can
    /// filter and stack files. Each year also has a row ``cumulativeMetric`` (the cumulative cost
    /// to the end of that year; no unpaired interval).
    ///
    /// - Parameter dialect: `standard` (default) or `excelDa` (`;` and decimal commas).
    public static func csv(_ pairs: [PairedComparison], info: ComparisonInfo, dialect: CSVDialect = .standard) -> String {
        var out = dialect.preamble
        out += CSV.line(["baseline", "alternative", "kind", "year", "metric", "baseline_mean", "alternative_mean",
                         "diff_mean", "diff_sd", "diff_ci95_lo", "diff_ci95_hi", "diff_p5", "diff_p50", "diff_p95",
                         "unpaired_ci95_lo", "unpaired_ci95_hi"], dialect: dialect)
        func cell(_ x: Double?) -> String { dialect.cell(x) }
        for p in pairs {
            let d = p.differences
            func row(_ year: String?, _ metric: String, _ b: Double?, _ a: Double?, _ s: MetricSummary, _ half: Double?) {
                let lo = s.mean.flatMap { m in half.map { m - $0 } }
                let hi = s.mean.flatMap { m in half.map { m + $0 } }
                out += CSV.line([info.names[p.baseline], info.names[p.alternative], year == nil ? "total" : "year", year ?? "",
                                 metric, cell(b), cell(a),
                                 cell(s.mean), cell(s.sd), cell(s.ci95Lo), cell(s.ci95Hi), cell(s.p5), cell(s.p50), cell(s.p95),
                                 cell(lo), cell(hi)], dialect: dialect)
            }
            for (i, m) in d.layout.totalsMetrics.enumerated() {
                row(nil, m, p.baselineTotals[i], p.alternativeTotals[i], d.totals[i], p.unpairedCi95HalfWidth[i])
            }
            let cost = d.layout.periodMetrics.firstIndex(of: "cost.total")
            var cumulativeBase: Double? = 0, cumulativeAlt: Double? = 0
            for (y, label) in d.layout.yearLabels.enumerated() {
                for (i, m) in d.layout.periodMetrics.enumerated() {
                    row(label, m, p.baselineYearly[y][i], p.alternativeYearly[y][i], d.yearly[y][i], p.unpairedYearlyCi95HalfWidth[y][i])
                }
                // The cumulative total cost up to the end of the year: both means and the paired
                // statistics of the cumulative net cost, whose mean breaks even where it stays ≤ 0.
                if let cost, y < p.cumulativeNetCost.count {
                    cumulativeBase = cumulativeBase.flatMap { c in p.baselineYearly[y][cost].map { c + $0 } }
                    cumulativeAlt = cumulativeAlt.flatMap { c in p.alternativeYearly[y][cost].map { c + $0 } }
                    row(label, cumulativeMetric, cumulativeBase, cumulativeAlt, p.cumulativeNetCost[y], nil)
                }
            }
        }
        return out
    }
}

/// `sweep.csv` of `sagstal sweep`.
public enum SweepWriter {
    /// The text of `sweep.csv`: one row per grid point and totals metric, each naming its scenario
    /// (the file name without `.yaml`), so the sweeps of several scenarios stack into one table.
    ///
    /// - Parameter dialect: `standard` (default) or `excelDa` (`;` and decimal commas, also in
    ///   grid values that are numbers, e.g. `0.3` → `0,3`).
    public static func csv(scenario: String, paths: [String], points: [[String]], runs: [AggregatedRun],
                           dialect: CSVDialect = .standard) -> String {
        var out = dialect.preamble
        out += CSV.line(["scenario", "point"] + paths + ["metric", "mean", "sd", "ci95_lo", "ci95_hi", "p5", "p50", "p95"], dialect: dialect)
        for (k, (point, run)) in zip(points, runs).enumerated() {
            for (metric, s) in zip(run.layout.totalsMetrics, run.totals) {
                let values = [s.mean, s.sd, s.ci95Lo, s.ci95Hi, s.p5, s.p50, s.p95]
                let grid = dialect == .excelDa ? point.map { Double($0) != nil ? $0.replacingOccurrences(of: ".", with: ",") : $0 } : point
                out += CSV.line([scenario, String(k)] + grid + [metric] + values.map(dialect.cell), dialect: dialect)
            }
        }
        return out
    }

    /// Writes `sweep.csv` (and `additionalFiles`, e.g. `report.html`) atomically into `directory`.
    public static func write(scenario: String, paths: [String], points: [[String]], runs: [AggregatedRun], to directory: URL,
                             dialect: CSVDialect = .standard,
                             additionalFiles: [(name: String, contents: String)] = []) throws {
        try Directories.create(directory.path)
        try AtomicFile.write([(directory.appendingPathComponent("sweep.csv"),
                               Data(csv(scenario: scenario, paths: paths, points: points, runs: runs, dialect: dialect).utf8))]
                             + additionalFiles.map { (directory.appendingPathComponent($0.name), Data($0.contents.utf8)) })
    }
}
