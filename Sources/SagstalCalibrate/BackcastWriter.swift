import Foundation
import SagstalOutput
import SagstalReport
import SagstalScenario
import SagstalStats

/// The files of `sagstal backcast`: backcast.json, backcast.csv and report.html.
public enum BackcastWriter {
    public static let marker = "backcast.json"
    public static let columns = ["year", "metric", "observed", "forecastMean", "ci95Lo", "ci95Hi", "p5", "p95", "error", "relativeError",
                                 "inBand90", "inSample", "source"]

    public static func csv(_ r: BackcastResult, dialect: CSVDialect = .standard) -> String {
        var out = dialect.preamble + CSV.line(columns, dialect: dialect)
        for row in r.rows {
            out += CSV.line([String(row.target.year), row.target.metric, dialect.cell(row.target.value), dialect.cell(row.forecast.mean),
                             dialect.cell(row.forecast.ci95Lo), dialect.cell(row.forecast.ci95Hi), dialect.cell(row.forecast.p5),
                             dialect.cell(row.forecast.p95), dialect.cell(row.error), dialect.cell(row.relativeError),
                             row.inBand ? "true" : "false", row.inSample ? "true" : "false", row.target.source], dialect: dialect)
        }
        return out
    }

    public static func json(_ r: BackcastResult, tool: ToolInfo) -> String {
        let rows: [JSONValue] = r.rows.map { row in
            .object([("year", .integer(Int64(row.target.year))), ("metric", .string(row.target.metric)), ("observed", .number(row.target.value)),
                     ("forecastMean", .number(row.forecast.mean)), ("ci95", .array([.number(row.forecast.ci95Lo), .number(row.forecast.ci95Hi)])),
                     ("band90", .array([.number(row.forecast.p5), .number(row.forecast.p95)])), ("error", .number(row.error)),
                     ("relativeError", .number(row.relativeError)), ("inBand90", .bool(row.inBand)), ("inSample", .bool(row.inSample)),
                     ("source", .string(row.target.source))])
        }
        let scored = r.scored
        let root: JSONValue = .object([
            ("scenario", .string(r.scenario.name)), ("seed", .unsigned(r.scenario.simulation.seed)),
            ("replications", .integer(Int64(r.scenario.simulation.replications))),
            ("from", .string(r.from.description)), ("years", .number(r.scenario.simulation.years)),
            ("targetsFile", .string(r.targetsFile)), ("cutoff", r.cutoff.map { .integer(Int64($0)) } ?? .null),
            ("tool", tool.json),
            ("score", .object([("observations", .integer(Int64(scored.count))), ("inBand90", .integer(Int64(scored.filter(\.inBand).count))),
                               ("coverage90", .number(r.coverage)), ("meanAbsoluteRelativeError", .number(r.meanAbsoluteRelativeError))])),
            ("calibration", r.calibration.map { c in
                .object(c.parameters.map { p in (p.name, .object([("estimate", .number(p.estimate)), ("ci95", .array([.number(p.lower), .number(p.upper)])),
                                                                  ("identified", .bool(p.identified))])) })
            } ?? .null),
            ("rows", .array(rows)),
            ("notes", .array(r.notes.map { .string($0) })),
            ("eventsProcessed", .integer(Int64(r.eventsProcessed))),
        ])
        return root.prettyPrinted()
    }

    public static func html(_ r: BackcastResult, tool: ToolInfo, language: ReportLanguage, resolvedYAML: String) -> String {
        let nf = ReportNumberFormatter(language)
        let scored = r.scored
        var meta = ["from \(r.from) to the end of \(r.rows.map(\.target.year).max() ?? r.from.year); \(r.scenario.simulation.replications) replications, seed \(r.scenario.simulation.seed); targets \(r.targetsFile)"]
        if let c = r.calibration, let cutoff = r.cutoff {
            meta.append("calibrated on the years before \(cutoff) (" + c.parameters.map { "\($0.name) = \(CalibrationWriter.estimateText($0))" }.joined(separator: "; ") + "); scored from \(cutoff) on")
        }
        var body = ReportKit.header(kicker: "sagstal backcast", title: r.scenario.name, meta: meta)
        body += ReportKit.cards([
            (label: "observations scored", value: nf.number(Double(scored.count), decimals: 0), ci: r.cutoff.map { "from \($0) on" }),
            (label: "inside the 90 % band", value: nf.percentCompact(r.coverage), ci: "\(scored.filter(\.inBand).count) of \(scored.count); 90 % expected"),
            (label: "mean absolute relative error", value: nf.percentCompact(r.meanAbsoluteRelativeError), ci: nil),
        ])
        let warnings = (r.calibration?.warnings ?? []) + r.notes
        if !warnings.isEmpty { body += ReportKit.warnings(sentences: warnings, language: language) }
        let metrics = r.rows.map(\.target.metric).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        body += "<section><h2>Forecast and what happened</h2>"
        for metric in metrics {
            let rows = r.rows.filter { $0.target.metric == metric }.sorted { $0.target.year < $1.target.year }
            let x = rows.map { Double($0.target.year) }
            var series = [
                SVGChart.LineSeries(name: "forecast (5–95 %)", x: x, y: rows.map(\.forecast.mean), lower: rows.map(\.forecast.p5),
                                    upper: rows.map(\.forecast.p95), colour: "#0072B2", points: true),
                SVGChart.LineSeries(name: "observed", x: x, y: rows.map { $0.target.value }, colour: "#D55E00", points: true),
            ]
            if rows.contains(where: \.inSample) {
                series.append(SVGChart.LineSeries(name: "observed, used to calibrate", x: x, y: rows.map { $0.inSample ? $0.target.value : nil },
                                                  colour: "#555555", dashed: true, points: true))
            }
            let chart = SVGChart.lineChart(series: series, x: SVGChart.Axis(title: "year", formatter: nf, ticks: x.map { SVGChart.Tick($0, String(Int($0))) }),
                                           y: SVGChart.Axis(title: metric, formatter: nf), title: metric, bandLabel: "5–95 % of the replications",
                                           markers: r.cutoff.map { [SVGChart.VerticalMarker(x: Double($0) - 0.5, label: "cut-off")] } ?? [])
            body += ReportKit.figure(metric, chart)
        }
        body += ReportKit.table(header: ["year", "metric", "observed", "forecast (95 % CI)", "90 % band", "error", "relative", "in band", "source"],
                                rows: r.rows.map { row in
                                    [String(row.target.year) + (row.inSample ? " (in sample)" : ""), row.target.metric, nf.number(row.target.value, decimals: 1),
                                     "\(nf.number(row.forecast.mean ?? .nan, decimals: 1)) (\(nf.number(row.forecast.ci95Lo ?? .nan, decimals: 1))–\(nf.number(row.forecast.ci95Hi ?? .nan, decimals: 1)))",
                                     "\(nf.number(row.forecast.p5 ?? .nan, decimals: 1))–\(nf.number(row.forecast.p95 ?? .nan, decimals: 1))",
                                     nf.number(row.error, decimals: 1), nf.percentCompact(row.relativeError), row.inBand ? "yes" : "no", row.target.source].map(ReportKit.esc)
                                }, numeric: [2, 3, 4, 5, 6])
        body += "</section>"
        body += ReportKit.resolvedYAML(resolvedYAML, language: language)
        body += ReportKit.footer(tool: tool, seed: r.scenario.simulation.seed, replications: r.scenario.simulation.replications, events: r.eventsProcessed, language: language)
        return ReportKit.page(language: language, title: "sagstal backcast — \(r.scenario.name)", body: body)
    }
}
