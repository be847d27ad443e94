import Foundation
import SagstalReport
import SagstalRunner
import SagstalScenario
import SagstalStats

/// The sentence, the files and the report of `sagstal threshold`.
public enum ThresholdReport {
    /// "Aalborg +16 pays for itself against Aalborg before within 10 years if the caseload effect
    /// is at least 33 % (95 % CI 28–39 %) of the size assumed."
    public static func sentence(_ run: ThresholdRun, language: ReportLanguage) -> String {
        let da = language == .da
        let nf = ReportNumberFormatter(language)
        let a = run.plan.nominal[0].scenario.name, b = run.plan.nominal[1].scenario.name
        let years = nf.compact(run.plan.simulation.years)
        let effect = run.plan.effectPhrase(danish: da)
        func pct(_ k: Double?) -> String { k.map { nf.number($0 * 100) } ?? "–" }
        let ci: String = {
            let lo = run.ciLo.map { pct($0) } ?? "0", hi = run.ciHi.map { pct($0) } ?? "> \(pct(run.settings.maxFactor))"
            return "95 % CI \(lo)–\(hi) %"
        }()
        switch run.outcome {
        case .threshold(let k):
            return da
                ? "\(b) tjener sig selv hjem i forhold til \(a) inden for \(years) år, hvis \(effect) er mindst \(pct(k)) % (\(ci)) af den antagne størrelse."
                : "\(b) pays for itself against \(a) within \(years) years if \(effect) \(run.plan.effectIsPlural ? "are" : "is") at least \(pct(k)) % (\(ci)) of the size assumed."
        case .paysWithoutEffect:
            return da
                ? "\(b) tjener sig selv hjem i forhold til \(a) inden for \(years) år selv uden \(effect) (k = 0)."
                : "\(b) pays for itself against \(a) within \(years) years even without \(effect) (k = 0)."
        case .notWithin(let top):
            return da
                ? "\(b) tjener sig ikke hjem i forhold til \(a) inden for \(years) år, heller ikke hvis \(effect) er \(pct(top)) % af den antagne størrelse."
                : "\(b) does not pay for itself against \(a) within \(years) years, not even if \(effect) \(run.plan.effectIsPlural ? "are" : "is") \(pct(top)) % of the size assumed."
        }
    }

    /// One line per grid k: from which budget year B pays (the mean cumulative net cost stays ≤ 0).
    public static func yearLines(_ run: ThresholdRun, language: ReportLanguage) -> [String] {
        let da = language == .da
        let nf = ReportNumberFormatter(language)
        return run.gridPoints.map { p in
            let year = p.breakEvenYear.map { run.yearLabels[$0] } ?? (da ? "ikke inden for perioden" : "not within the horizon")
            return "k = \(nf.compact(p.k)): " + (da ? "betaler sig fra \(year)" : "pays from \(year)")
                + " · " + (da ? "nettoudgift " : "net cost ") + nf.moneyShort(p.netCost.mean, sign: true)
        }
    }

    public static func files(_ run: ThresholdRun, tool: ToolInfo, dialect d: CSVDialect, language: ReportLanguage,
                             assumptions: String = "") -> [(name: String, contents: String)] {
        var csv = d.preamble + CSV.line(["k", "grid", "net_cost", "net_cost_ci95_lo", "net_cost_ci95_hi", "placements_avoided",
                                         "placements_avoided_ci95_lo", "placements_avoided_ci95_hi", "p_pays", "break_even_year"]
                                        + run.yearLabels.map { "cumulative_\($0)" }, dialect: d)
        for p in run.points {
            csv += CSV.line([d.cell(p.k), p.onGrid ? "true" : "false", d.cell(p.netCost.mean), d.cell(p.netCost.ci95Lo), d.cell(p.netCost.ci95Hi),
                             d.cell(p.placementsAvoided.mean), d.cell(p.placementsAvoided.ci95Lo), d.cell(p.placementsAvoided.ci95Hi),
                             d.cell(p.probabilityPays), p.breakEvenYear.map { run.yearLabels[$0] } ?? ""]
                            + p.cumulative.map { d.cell($0.mean) }, dialect: d)
        }
        let sim = run.plan.simulation
        func summary(_ s: MetricSummary) -> JSONValue { .object([("mean", .number(s.mean)), ("ci95", .array([.number(s.ci95Lo), .number(s.ci95Hi)]))]) }
        let outcome: JSONValue
        switch run.outcome {
        case .threshold(let k): outcome = .object([("kind", .string("threshold")), ("k", .number(k))])
        case .paysWithoutEffect: outcome = .object([("kind", .string("paysWithoutEffect")), ("k", .number(0))])
        case .notWithin(let top): outcome = .object([("kind", .string("notWithinRange")), ("maxFactor", .number(top))])
        }
        let json = JSONValue.object([
            ("tool", .object([("name", .string(tool.name)), ("version", .string(tool.version)), ("gsl", .string(tool.gslVersion))])),
            ("baseline", .string(run.plan.nominal[0].scenario.name)),
            ("alternative", .string(run.plan.nominal[1].scenario.name)),
            ("files", .array([.string(run.plan.baseline.path), .string(run.plan.alternative.path)])),
            ("overrides", .array(run.plan.alternative.allOverrides.map { .string($0) })),
            ("scaled", .array(run.plan.effects.map { e in
                .object([("path", .string(e.path)),
                         ("asWritten", .array(run.plan.nominal.map { l in
                             .object(e.currentValues(in: l.scenario).map { ($0.path, JSONValue.number($0.value)) }) }))])
            })),
            ("metric", .string(run.plan.metric)),
            ("seed", .unsigned(sim.seed)), ("replications", .integer(Int64(sim.replications))), ("years", .number(sim.years)),
            ("outcome", outcome),
            ("ci95", .array([.number(run.ciLo), .number(run.ciHi)])),
            ("sentence", .string(sentence(run, language: .en))),
            ("evaluations", .integer(Int64(run.evaluations))),
            ("brentIterations", .integer(Int64(run.brentIterations))),
            ("tolerance", .number(run.settings.tolerance)),
            ("yearLabels", .array(run.yearLabels.map { .string($0) })),
            ("points", .array(run.points.map { p in
                .object([("k", .number(p.k)), ("grid", .bool(p.onGrid)), ("netCost", summary(p.netCost)),
                         ("placementsAvoided", summary(p.placementsAvoided)), ("probabilityPays", .number(p.probabilityPays)),
                         ("breakEvenYear", p.breakEvenYear.map { .string(run.yearLabels[$0]) } ?? .null),
                         ("cumulativeNetCost", .array(p.cumulative.map(summary)))])
            })),
            ("notes", .array((run.plan.notes + run.notes).map { .string($0) })),
        ])
        var out: [(name: String, contents: String)] = [("threshold.csv", csv), ("threshold.json", json.prettyPrinted()),
                                                       ("report.html", html(run, tool: tool, language: language, assumptions: assumptions))]
        for (name, l) in zip(["baseline.yaml", "alternative.yaml"], run.plan.nominal) {
            out.append((name, ScenarioEmitter.yaml(l.scenario, toolVersion: tool.version)))
        }
        return out
    }

    public static func html(_ run: ThresholdRun, tool: ToolInfo, language: ReportLanguage, assumptions: String = "") -> String {
        let da = language == .da
        let nf = ReportNumberFormatter(language)
        let a = run.plan.nominal[0].scenario.name, b = run.plan.nominal[1].scenario.name
        let sim = run.plan.simulation
        var body = ReportKit.header(kicker: "sagstal · " + (da ? "tærskel for effekten" : "break-even threshold of the effect"),
                                    title: "\(b) vs \(a)",
                                    meta: [(da ? "Skaleret: " : "Scaled: ") + run.plan.effects.map(\.path).joined(separator: ", ")
                                           + " · \(nf.number(Double(run.evaluations))) \(da ? "evalueringer" : "evaluations") × \(nf.number(Double(run.replications))) \(da ? "gentagelser" : "replications") · \(da ? "frø" : "seed") \(sim.seed)"])
        body += assumptions
        body += "<section><h2>\(da ? "Svaret" : "The answer")</h2><p class=\"lead\"><strong>\(ReportKit.esc(sentence(run, language: language)))</strong></p>"
        var cards: [(label: String, value: String, ci: String?)] = []
        if let k = run.threshold {
            cards.append((da ? "Tærskel k* (andel af antaget effekt)" : "Threshold k* (share of the assumed effect)", nf.percentCompact(k),
                          "95 % CI " + (run.ciLo.map { nf.percentCompact($0) } ?? "0") + " – " + (run.ciHi.map { nf.percentCompact($0) } ?? "–")))
        }
        if let one = run.points.first(where: { $0.k == 1 }) {
            cards.append((da ? "Nettoudgift ved k = 1 (som antaget)" : "Net cost at k = 1 (as assumed)", nf.moneyShort(one.netCost.mean, sign: true),
                          "95 % CI " + nf.interval(one.netCost.ci95Lo, one.netCost.ci95Hi, metric: "cost.total", sign: true)))
        }
        if let zero = run.points.first(where: { $0.k == 0 }) {
            cards.append((da ? "Nettoudgift uden effekten (k = 0)" : "Net cost without the effect (k = 0)", nf.moneyShort(zero.netCost.mean, sign: true),
                          "95 % CI " + nf.interval(zero.netCost.ci95Lo, zero.netCost.ci95Hi, metric: "cost.total", sign: true)))
        }
        body += ReportKit.cards(cards)
        for n in run.plan.notes + run.notes { body += "<p class=\"caveat\">\(ReportKit.esc(n))</p>" }
        body += "</section>"
        // Chart: net cost against k
        let maxAbs = run.points.flatMap { [$0.netCost.ci95Lo, $0.netCost.ci95Hi] }.compactMap { $0 }.map(abs).max() ?? 1
        let (divisor, unit) = ReportKit.moneyScale(maxAbs, language: language)
        let pts = run.points
        let line = SVGChart.LineSeries(name: da ? "Nettoudgift (alternativ − basis)" : "Net cost (alternative − baseline)",
                                       x: pts.map(\.k), y: pts.map { $0.netCost.mean.map { $0 / divisor } },
                                       lower: pts.map { $0.netCost.ci95Lo.map { $0 / divisor } }, upper: pts.map { $0.netCost.ci95Hi.map { $0 / divisor } },
                                       colour: "#D55E00", points: true)
        var markers: [SVGChart.VerticalMarker] = []
        if case .threshold(let k) = run.outcome { markers.append(SVGChart.VerticalMarker(x: k, label: "k* = \(nf.percentCompact(k))")) }
        markers.append(SVGChart.VerticalMarker(x: 1, label: da ? "som antaget" : "as assumed"))
        let chart = SVGChart.lineChart(series: [line], x: SVGChart.Axis(title: da ? "k: effektens størrelse i forhold til den antagne" : "k: size of the effect relative to the assumed one", formatter: nf),
                                       y: SVGChart.Axis(title: (da ? "Nettoudgift over perioden" : "Net cost over the horizon") + " (\(unit))", formatter: nf),
                                       title: da ? "Nettoudgift mod k" : "Net cost against k", bandLabel: da ? "95 % CI (parret)" : "95 % CI (paired)",
                                       markers: markers, zeroLine: true, size: SVGChart.Size(width: 760, height: 380))
        body += "<section><h2>\(da ? "Nettoudgift mod effektens størrelse" : "Net cost against the size of the effect")</h2>"
        body += ReportKit.figure(da ? "Under nul tjener alternativet sig hjem" : "Below zero the alternative pays for itself", chart,
                                 note: da ? "Hvert punkt kører begge scenarier på de samme gentagelser (fælles tilfældige tal). k* er fundet med Brents metode (GSL)."
                                          : "Each point runs both scenarios on the same replications (common random numbers). k* is found with Brent's method (GSL).")
        // Per budget year
        body += "<h2>\(da ? "Fra hvilket budgetår betaler det sig?" : "From which budget year does it pay?")</h2>"
        let grid = run.gridPoints
        let series = grid.enumerated().map { i, p in
            SVGChart.LineSeries(name: "k = \(nf.compact(p.k))", x: run.yearLabels.indices.map(Double.init), y: p.cumulative.map { $0.mean.map { $0 / divisor } },
                                colour: SVGChart.okabeIto[i % SVGChart.okabeIto.count], dashed: p.k != 1)
        }
        body += ReportKit.figure(da ? "Akkumuleret nettoudgift pr. budgetår" : "Cumulative net cost by budget year",
                                 SVGChart.lineChart(series: series, x: SVGChart.Axis(title: da ? "Budgetår" : "Budget year", formatter: nf,
                                                                                    ticks: run.yearLabels.enumerated().map { SVGChart.Tick(Double($0.offset), $0.element) }),
                                                    y: SVGChart.Axis(title: (da ? "Akkumuleret nettoudgift" : "Cumulative net cost") + " (\(unit))", formatter: nf),
                                                    title: da ? "Akkumuleret nettoudgift" : "Cumulative net cost", zeroLine: true,
                                                    size: SVGChart.Size(width: 760, height: 380)))
        body += ReportKit.table(header: ["k", da ? "Nettoudgift" : "Net cost", "95 % CI", da ? "Undgåede anbringelser" : "Placements avoided",
                                         da ? "P(betaler sig)" : "P(pays)", da ? "Betaler sig fra" : "Pays from"],
                                rows: grid.map { p in
                                    [nf.compact(p.k), nf.moneyShort(p.netCost.mean, sign: true), nf.interval(p.netCost.ci95Lo, p.netCost.ci95Hi, metric: "cost.total", sign: true),
                                     nf.compact(p.placementsAvoided.mean, maxDecimals: 1), nf.percentCompact(p.probabilityPays),
                                     p.breakEvenYear.map { run.yearLabels[$0] } ?? (da ? "ikke inden for perioden" : "not within the horizon")].map(ReportKit.esc)
                                }, numeric: [0, 1, 2, 3, 4],
                                caption: da ? "\"Betaler sig fra\": første budgetår, hvorfra den gennemsnitlige akkumulerede nettoudgift forbliver ≤ 0 til periodens slutning."
                                            : "\"Pays from\": the first budget year from which the mean cumulative net cost stays ≤ 0 until the horizon.")
        body += "</section>"
        body += ReportKit.footer(tool: tool, seed: sim.seed, replications: run.replications, events: run.eventsProcessed, language: language)
        return ReportKit.page(language: language, title: "\(b) vs \(a) — " + (da ? "tærskel" : "threshold"), body: body)
    }
}
