import Foundation
import SagstalOutput
import SagstalReport
import SagstalScenario
import SagstalStats

/// The files of `sagstal calibrate` (docs/calibrate.md): calibrate.json, fit.csv, the calibrated
/// scenario and report.html.
public enum CalibrationWriter {
    public static let marker = "calibrate.json"
    public static let calibratedFile = "calibrated.yaml"

    static func g(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        let magnitude = abs(x)
        let digits = magnitude >= 1000 ? 0 : magnitude >= 10 ? 2 : 4
        let p = pow(10, Double(digits))
        return ScenarioEmitter.numberText((x * p).rounded() / p)
    }

    /// One line on a parameter: `0.4925 (95 % CI 0.4718–0.5131)`, as in calibrated.yaml's
    /// comments, the report's header and the console.
    public static func estimateText(_ p: CalibratedParameter) -> String {
        "\(g(p.estimate)) (95 % CI \(g(p.lower))–\(g(p.upper)))"
    }

    // MARK: - calibrate.json

    public static func json(_ r: CalibrationResult, tool: ToolInfo) -> String {
        let s = r.plan.scenario.scenario
        let parameters: [JSONValue] = r.parameters.map { p in
            .object([("name", .string(p.name)), ("lo", .number(p.lo)), ("hi", .number(p.hi)), ("start", .number(p.start)),
                     ("estimate", .number(p.estimate)), ("ci95", .array([.number(p.lower), .number(p.upper)])),
                     ("rangeCovered", .number(p.coverage)), ("identified", .bool(p.identified))])
        }
        let rows: [JSONValue] = r.rows.map { row in
            .object([("year", .integer(Int64(row.target.year))), ("metric", .string(row.target.metric)),
                     ("observed", .number(row.target.value)), ("sd", .number(row.target.sd)), ("source", .string(row.target.source)),
                     ("simulatedMean", .number(row.simulated.mean)), ("ci95", .array([.number(row.simulated.ci95Lo), .number(row.simulated.ci95Hi)])),
                     ("p5", .number(row.simulated.p5)), ("p95", .number(row.simulated.p95)),
                     ("sigma", .number(row.sigma)), ("z", .number(row.z)), ("atStart", .number(row.atStart))])
        }
        let root: JSONValue = .object([
            ("scenario", .string(s.name)), ("seed", .unsigned(s.simulation.seed)),
            ("replications", .integer(Int64(r.plan.replications))), ("targetsFile", .string(r.plan.targetsFile)),
            ("tool", tool.json),
            ("intervals", .string(r.settings.intervals.rawValue)),
            ("method", .string("Nelder–Mead (GSL nmsimplex2) on the logit scale of the bounds; distance Σ ((simulated mean − observed)/σ)², σ² = sd² + s²(1 + 1/R); 95 % CIs \(r.settings.intervals == .profile ? "by profile likelihood (D rises by 3.84)" : "from the Gauss–Newton information"); identifiability by Brun et al.'s collinearity index (docs/calibrate.md)")),
            ("parameters", .array(parameters)),
            ("distance", .object([("atStart", .number(r.distanceAtStart)), ("atEstimate", .number(r.distance)),
                                  ("degreesOfFreedom", .integer(Int64(r.degreesOfFreedom))), ("pValue", .number(r.pValue))])),
            ("collinearity", .number(r.collinearity)),
            ("informationEigenvalues", .array(r.information.map { .number($0) })),
            ("converged", .bool(r.converged)),
            ("evaluations", .integer(Int64(r.evaluations))),
            ("eventsProcessed", .integer(Int64(r.eventsProcessed))),
            ("history", .array(r.history.map { h in .object([("point", .array(h.point.map { .number($0) })), ("distance", .number(h.distance))]) })),
            ("fit", .array(rows)),
            ("warnings", .array(r.warnings.map { .string($0) })),
            ("notes", .array(r.plan.notes.map { .string($0) })),
        ])
        return root.prettyPrinted()
    }

    // MARK: - fit.csv

    public static let fitColumns = ["year", "metric", "observed", "sd", "simulatedMean", "ci95Lo", "ci95Hi", "p5", "p95", "sigma", "z",
                                    "simulatedAtStart", "source"]

    public static func fitCSV(_ r: CalibrationResult, dialect: CSVDialect = .standard) -> String {
        var out = dialect.preamble + CSV.line(fitColumns, dialect: dialect)
        for row in r.rows {
            out += CSV.line([String(row.target.year), row.target.metric, dialect.cell(row.target.value),
                             dialect.cell(row.target.sd), dialect.cell(row.simulated.mean), dialect.cell(row.simulated.ci95Lo),
                             dialect.cell(row.simulated.ci95Hi), dialect.cell(row.simulated.p5), dialect.cell(row.simulated.p95),
                             dialect.cell(row.sigma), dialect.cell(row.z), dialect.cell(row.atStart), row.target.source],
                            dialect: dialect)
        }
        return out
    }

    // MARK: - The calibrated scenario

    /// A scenario that extends the calibrated one and sets the estimates: the top-level sections
    /// holding a calibrated value, written in full from the resolved calibrated scenario (lists
    /// such as `ladder` and `teams` are replaced whole by `extends`, maps merge), with a
    /// `# calibrate:` comment above each estimate. `calibrated.name` is written too (a file without
    /// a name would be named after itself).
    public static func calibratedYAML(_ r: CalibrationResult, calibrated: Scenario, extends path: String, toolVersion: String) -> String {
        let emitted = ScenarioEmitter.yaml(calibrated, toolVersion: toolVersion).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Top-level sections of the emitted file: [start, end) line ranges by key.
        var sections: [(key: String, lines: [String])] = []
        for line in emitted {
            if let first = line.first, first != " ", first != "#", first != "-", let colon = line.firstIndex(of: ":") {
                sections.append((String(line[..<colon]), [line]))
            } else if !sections.isEmpty, !line.isEmpty {
                sections[sections.count - 1].lines.append(line)
            }
        }
        // The sections of the estimates, and of the overrides the run was given (`--set`, `--years`…),
        // which the extended file does not have.
        let overridden = r.plan.scenario.overrides.compactMap { $0.split(separator: "=").first.map { topKey(String($0)) } }
        let wanted = Set(r.parameters.map { topKey($0.name) } + overridden + ["name"])
        var out = "# Calibrated by sagstal \(toolVersion) calibrate: \(r.plan.targets.count) targets from \(r.plan.targetsFile),\n"
        out += "# distance \(g(r.distanceAtStart)) at the start → \(g(r.distance)) (\(r.degreesOfFreedom) degree\(r.degreesOfFreedom == 1 ? "" : "s") of freedom), \(r.evaluations) evaluations × \(r.plan.replications) replications.\n"
        out += "# Rerun: sagstal run <this file>. Method and caveats: docs/calibrate.md\n"
        out += "extends: \(ScenarioEmitter.scalarText(path))\n"
        for section in sections where wanted.contains(section.key) {
            var lines = section.lines
            for p in r.parameters where topKey(p.name) == section.key {
                let at = lineIndex(of: p.name, in: lines)
                let indent = String(lines[at].prefix { $0 == " " })
                var comment = "\(indent)# calibrate: \(p.name) = \(estimateText(p)), bounds \(g(p.lo))..\(g(p.hi)), started at \(g(p.start))"
                if !p.identified { comment += "; NOT IDENTIFIED by these targets (see calibrate.json warnings)" }
                lines.insert(comment, at: at)
            }
            out += "\n" + lines.joined(separator: "\n") + "\n"
        }
        return out
    }

    /// The first key of a parameter's path (`caseload` for `caseload.elasticity×`).
    static func topKey(_ name: String) -> String {
        String(name.split(separator: ".").first ?? Substring(name)).replacingOccurrences(of: "×", with: "")
    }

    /// The line of a section on which the value at `path` is written, or where its innermost
    /// enclosing key or list element is (the section's first line when nothing closer is found).
    static func lineIndex(of path: String, in lines: [String]) -> Int {
        let segments = path.replacingOccurrences(of: "×", with: "").split(separator: ".").map(String.init).dropFirst()
        var at = 0
        for segment in segments {
            guard let next = lines.indices.dropFirst(at + (at == 0 ? 1 : 0)).first(where: { i in
                let t = lines[i].trimmingCharacters(in: .whitespaces)
                return t.hasPrefix("\(segment):") || t.hasPrefix("- \(segment):") || t == "- id: \(segment)" || t.hasPrefix("- {id: \(segment),")
                    || t.hasPrefix("- {id: \(segment)}")
            }) else { break }
            at = next
        }
        return at
    }

    // MARK: - report.html

    public static func html(_ r: CalibrationResult, tool: ToolInfo, language: ReportLanguage, calibratedYAML: String) -> String {
        let nf = ReportNumberFormatter(language)
        let s = r.plan.scenario.scenario
        var body = ReportKit.header(kicker: "sagstal calibrate", title: s.name,
                                    meta: ["\(r.plan.targets.count) targets from \(r.plan.targetsFile); \(r.parameters.count) parameters; \(r.evaluations) evaluations × \(r.plan.replications) replications, seed \(s.simulation.seed)"])
        body += ReportKit.cards([
            (label: "distance at the start", value: nf.number(r.distanceAtStart, decimals: 1), ci: nil),
            (label: "distance at the estimate", value: nf.number(r.distance, decimals: 1),
             ci: "\(r.degreesOfFreedom) df" + (r.pValue.map { ", χ² p = \(nf.number($0, decimals: 3))" } ?? "")),
            (label: "collinearity index", value: nf.number(r.collinearity, decimals: 1), ci: "> 10: not identifiable"),
        ])
        if !r.warnings.isEmpty { body += ReportKit.warnings(sentences: r.warnings, language: language) }
        body += "<section><h2>Estimates</h2>"
        body += ReportKit.table(header: ["parameter", "bounds", "start", "estimate", "95 % CI", "share of the range", "identified"],
                                rows: r.parameters.map { p in
                                    [p.name, "\(g(p.lo))..\(g(p.hi))", g(p.start), g(p.estimate), "\(g(p.lower))–\(g(p.upper))",
                                     nf.percentCompact(p.coverage), p.identified ? "yes" : "no"].map(ReportKit.esc)
                                }, numeric: [2, 3, 5])
        body += "<p>The distance is Σ ((simulated mean − observed) / σ)² over the targets, σ² = the target's sd² + the replications' variance × (1 + 1/R); "
            + "every evaluation runs the same replications (common random numbers). CIs from the Gauss–Newton information; see docs/calibrate.md.</p></section>"
        // One chart per metric: observed, simulated at the estimate (5–95 % band) and at the start.
        let byMetric = Dictionary(grouping: r.rows, by: { $0.target.metric })
        let metrics = r.rows.map(\.target.metric).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        body += "<section><h2>Observed and simulated</h2>"
        for metric in metrics {
            let rows = (byMetric[metric] ?? []).sorted { $0.target.year < $1.target.year }
            let x = rows.map { Double($0.target.year) }
            let ticks = x.map { SVGChart.Tick($0, String(Int($0))) }
            let chart = SVGChart.lineChart(series: [
                SVGChart.LineSeries(name: "simulated at the estimate (5–95 %)", x: x, y: rows.map(\.simulated.mean),
                                    lower: rows.map(\.simulated.p5), upper: rows.map(\.simulated.p95), colour: "#0072B2", points: true),
                SVGChart.LineSeries(name: "simulated at the start", x: x, y: rows.map { $0.atStart }, colour: "#999999", dashed: true),
                SVGChart.LineSeries(name: "observed", x: x, y: rows.map { $0.target.value }, colour: "#D55E00", points: true),
            ], x: SVGChart.Axis(title: "year", formatter: nf, ticks: ticks), y: SVGChart.Axis(title: metric, formatter: nf),
               title: metric, bandLabel: "5–95 % of the replications")
            body += ReportKit.figure(metric, chart)
        }
        body += ReportKit.table(header: ["year", "metric", "observed", "simulated (95 % CI)", "5–95 %", "z", "source"],
                                rows: r.rows.map { row in
                                    [String(row.target.year), row.target.metric, nf.number(row.target.value, decimals: 1),
                                     "\(nf.number(row.simulated.mean ?? .nan, decimals: 1)) (\(nf.number(row.simulated.ci95Lo ?? .nan, decimals: 1))–\(nf.number(row.simulated.ci95Hi ?? .nan, decimals: 1)))",
                                     "\(nf.number(row.simulated.p5 ?? .nan, decimals: 1))–\(nf.number(row.simulated.p95 ?? .nan, decimals: 1))",
                                     nf.number(row.z, decimals: 2), row.target.source].map(ReportKit.esc)
                                }, numeric: [2, 3, 4, 5])
        body += "</section>"
        // The search.
        let hx = r.history.indices.map { Double($0 + 1) }
        var running = Double.infinity
        let bestSoFar: [Double?] = r.history.map { running = min(running, $0.distance); return running }
        body += ReportKit.figure("The search", SVGChart.lineChart(series: [
            SVGChart.LineSeries(name: "distance", x: hx, y: r.history.map { $0.distance }, colour: "#BBBBBB", points: true),
            SVGChart.LineSeries(name: "best so far", x: hx, y: bestSoFar, colour: "#0072B2"),
        ], x: SVGChart.Axis(title: "evaluation", formatter: nf), y: SVGChart.Axis(title: "distance", formatter: nf), title: "The search"))
        body += ReportKit.resolvedYAML(calibratedYAML, language: language, title: CalibrationWriter.calibratedFile)
        body += ReportKit.footer(tool: tool, seed: s.simulation.seed, replications: r.plan.replications, events: r.eventsProcessed, language: language)
        return ReportKit.page(language: language, title: "sagstal calibrate — \(s.name)", body: body)
    }
}
