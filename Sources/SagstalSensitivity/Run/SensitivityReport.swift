import Foundation
import SagstalReport
import SagstalRunner
import SagstalScenario
import SagstalStats

/// `report.html` of `sagstal sensitivity`: what was varied, then per output a tornado (OAT), a
/// μ*–σ plot (Morris) or bars of the Sobol indices with their CIs, and the numbers in a table.
public enum SensitivityReport {
    public static func html(_ run: SensitivityRun, tool: ToolInfo, language: ReportLanguage, assumptions: String = "") -> String {
        let da = language == .da
        let nf = ReportNumberFormatter(language)
        let plan = run.plan
        let s = run.settings
        let title = plan.paired ? "\(plan.nominal[1].scenario.name) vs \(plan.nominal[0].scenario.name)" : plan.nominal[0].scenario.name
        let methodName: String = {
            switch s.method {
            case .oat: return da ? "én faktor ad gangen (tornado)" : "one factor at a time (tornado)"
            case .morris: return "Morris (\(s.trajectories) \(da ? "baner" : "trajectories"), \(s.levels) \(da ? "niveauer" : "levels"))"
            case .sobol: return "Sobol (Saltelli, N = \(s.baseSamples))"
            }
        }()
        let sim = plan.simulation
        var body = ReportKit.header(
            kicker: "sagstal · " + (da ? "følsomhedsanalyse" : "sensitivity analysis"), title: title,
            meta: ["\(methodName) · \(nf.number(Double(plan.factors.count))) \(da ? "faktorer" : "factors") · \(nf.number(Double(run.sample.count))) \(da ? "evalueringer" : "evaluations") × \(nf.number(Double(run.replications))) \(da ? "gentagelser" : "replications") · \(da ? "frø" : "seed") \(sim.seed)"])
        body += assumptions
        body += ReportKit.warnings(sentences: run.warnings, language: language)
        // What was varied
        body += "<section><h2>\(da ? "Hvad blev varieret" : "What was varied")</h2>"
        body += "<p class=\"lead\">\(ReportKit.esc(lead(run, language: language)))</p>"
        body += ReportKit.table(
            header: [da ? "Faktor" : "Factor", da ? "Fra" : "From", da ? "Til" : "To", da ? "Art" : "Kind"],
            rows: plan.factors.map { f in
                var kind: String
                if case .scale(let e) = f.kind {
                    let current = e.currentValues(in: plan.nominal.last!.scenario).map { "\($0.path) = \(nf.compact($0.value))" }.joined(separator: ", ")
                    kind = (da ? "skalering af effekten (1 = som skrevet: " : "scale of the effect (1 = as written: ") + current + ")"
                } else { kind = da ? "værdi" : "value" }
                if f.isAssumedEffect { kind += da ? " · antagelse uden målt værdi" : " · assumption, no measured value" }
                return [ReportKit.esc(f.name), ReportKit.esc(nf.compact(f.lo)), ReportKit.esc(nf.compact(f.hi)), ReportKit.esc(kind)]
            }, numeric: [1, 2])
        body += "</section>"
        for (o, spec) in plan.outputs.enumerated() {
            body += "<section><h2>\(ReportKit.esc(outputLabel(spec, language)))</h2>"
            let money = spec.metric.hasPrefix("cost.")
            let maxAbs = run.means.map { abs($0[o]) }.max() ?? 1
            let scale = money ? ReportKit.moneyScale(maxAbs, language: language) : (1, "")
            let axisFormatter = nf
            switch s.method {
            case .oat:
                let bars = run.tornado[o]
                let nominal = run.nominal[o]
                body += "<p>\(ReportKit.esc((da ? "Som skrevet: " : "As written: ") + nf.value(nominal.mean, metric: spec.metric) + " (95 % CI " + nf.interval(nominal.ci95Lo, nominal.ci95Hi, metric: spec.metric) + ")."))</p>"
                let rows = bars.map { b in
                    SVGChart.TornadoRow(label: b.factor, lo: (b.deltaLo.mean ?? .nan) / scale.0, hi: (b.deltaHi.mean ?? .nan) / scale.0,
                                        loCI: ci(b.deltaLo, scale.0), hiCI: ci(b.deltaHi, scale.0),
                                        loLabel: nf.compact(b.lo), hiLabel: nf.compact(b.hi))
                }
                let axis = SVGChart.Axis(title: (da ? "Ændring fra scenariet som skrevet" : "Change from the scenario as written") + (scale.1.isEmpty ? "" : " (\(scale.1))"),
                                         formatter: axisFormatter)
                body += ReportKit.figure(da ? "Tornado: hver faktor ved sin laveste og højeste værdi" : "Tornado: each factor at its low and high value",
                                         SVGChart.tornadoChart(rows: rows, x: axis, title: outputLabel(spec, language),
                                                               loName: da ? "ved laveste værdi" : "at low value", hiName: da ? "ved højeste værdi" : "at high value",
                                                               whiskerLabel: da ? "95 % CI (parret)" : "95 % CI (paired)"),
                                         note: da ? "Samme gentagelser overalt (fælles tilfældige tal), så forskellene er parrede." : "The same replications everywhere (common random numbers), so the changes are paired.")
                body += ReportKit.table(
                    header: [da ? "Faktor" : "Factor", da ? "Lav" : "Low", da ? "Høj" : "High", da ? "Ved lav" : "At low", da ? "Ved høj" : "At high",
                             da ? "Udsving (høj − lav)" : "Swing (high − low)", "95 % CI"],
                    rows: bars.map { b in
                        [ReportKit.esc(b.factor), nf.compact(b.lo), nf.compact(b.hi), nf.value(b.atLo.mean, metric: spec.metric),
                         nf.value(b.atHi.mean, metric: spec.metric), nf.value(b.swing.mean, metric: spec.metric, sign: true),
                         nf.interval(b.swing.ci95Lo, b.swing.ci95Hi, metric: spec.metric, sign: true)].map(ReportKit.esc)
                    }, numeric: [1, 2, 3, 4, 5, 6])
            case .morris:
                let m = run.morris[o]
                let points = m.factors.indices.map { i in
                    SVGChart.ScatterPoint(label: m.factors[i], x: m.muStar[i] / scale.0, y: m.sigma[i] / scale.0,
                                          xCI: (m.muStarCI[i].lo / scale.0, m.muStarCI[i].hi / scale.0),
                                          colour: plan.factors[i].isAssumedEffect ? "#D55E00" : "#0072B2")
                }
                let unit = scale.1.isEmpty ? "" : " (\(scale.1))"
                body += ReportKit.figure("Morris: μ* \(da ? "mod" : "against") σ",
                                         SVGChart.scatterChart(points: points, x: SVGChart.Axis(title: "μ*" + unit, formatter: axisFormatter),
                                                               y: SVGChart.Axis(title: "σ" + unit, formatter: axisFormatter),
                                                               title: "Morris μ*–σ", whiskerLabel: da ? "95 % CI af μ* (bootstrap)" : "95 % CI of μ* (bootstrap)",
                                                               referenceSlopes: [(1, "σ = μ*")]),
                                         note: da ? "μ*: faktorens betydning (gennemsnitlig absolut elementareffekt); σ: ikke-linearitet og samspil. Rød: antagelser uden målt værdi. Over linjen σ = μ* virker faktoren ikke-lineært eller i samspil med andre." : "μ*: the factor's importance (mean absolute elementary effect); σ: non-linearity and interactions. Vermillion: assumptions without a measured value. Above the line σ = μ* a factor acts non-linearly or through interactions.")
                body += ReportKit.table(header: [da ? "Faktor" : "Factor", "μ", "μ*", "95 % CI μ*", "σ"],
                                        rows: m.factors.indices.sorted { m.muStar[$0] > m.muStar[$1] }.map { i in
                                            [m.factors[i], nf.value(m.mu[i], metric: spec.metric, sign: true), nf.value(m.muStar[i], metric: spec.metric),
                                             nf.interval(m.muStarCI[i].lo, m.muStarCI[i].hi, metric: spec.metric), nf.value(m.sigma[i], metric: spec.metric)].map(ReportKit.esc)
                                        }, numeric: [1, 2, 3, 4])
            case .sobol:
                guard let x = run.sobol[o] else {
                    body += "<p>\(da ? "Outputtet er det samme i alle punkter: ingen indeks." : "The output is the same at every sample point: no indices.")</p></section>"
                    continue
                }
                let series = [
                    SVGChart.BarSeries(name: da ? "Første orden S₁" : "First order S₁", values: x.firstOrder, lower: x.firstOrderCI.map(\.lo),
                                       upper: x.firstOrderCI.map(\.hi), colour: "#56B4E9"),
                    SVGChart.BarSeries(name: da ? "Total orden S_T" : "Total order S_T", values: x.totalOrder, lower: x.totalOrderCI.map(\.lo),
                                       upper: x.totalOrderCI.map(\.hi), colour: "#0072B2"),
                ]
                body += ReportKit.figure(da ? "Sobol-indeks med 95 % CI" : "Sobol indices with 95 % CIs",
                                         SVGChart.barChart(categories: x.factors, series: series, xTitle: da ? "Faktor" : "Factor",
                                                           y: SVGChart.Axis(title: da ? "Andel af variansen" : "Share of the variance", formatter: axisFormatter),
                                                           title: "Sobol", whiskerLabel: "95 % CI (bootstrap)",
                                                           size: SVGChart.Size(width: max(760, 90 + Double(x.factors.count) * (7.2 * Double(x.factors.map(\.count).max() ?? 10) + 24)), height: 360)),
                                         note: da ? "S₁: andel af variansen faktoren forklarer alene; S_T: inklusive samspil." : "S₁: the share of the output's variance a factor explains on its own; S_T: including its interactions.")
                body += ReportKit.table(header: [da ? "Faktor" : "Factor", "S₁", "95 % CI", "S_T", "95 % CI"],
                                        rows: x.factors.indices.map { i in
                                            [x.factors[i], nf.compact(x.firstOrder[i]), "\(nf.compact(x.firstOrderCI[i].lo)) – \(nf.compact(x.firstOrderCI[i].hi))",
                                             nf.compact(x.totalOrder[i]), "\(nf.compact(x.totalOrderCI[i].lo)) – \(nf.compact(x.totalOrderCI[i].hi))"].map(ReportKit.esc)
                                        }, numeric: [1, 2, 3, 4])
            }
            body += "</section>"
        }
        body += "<section><h2>\(da ? "Om tallene" : "About the numbers")</h2><p>\(ReportKit.esc(about(run, language: language)))</p></section>"
        body += ReportKit.footer(tool: tool, seed: sim.seed, replications: run.replications, events: run.eventsProcessed, language: language)
        return ReportKit.page(language: language, title: title + " — " + (da ? "følsomhed" : "sensitivity"), body: body)
    }

    static func ci(_ s: MetricSummary, _ divisor: Double) -> (Double, Double)? {
        guard let lo = s.ci95Lo, let hi = s.ci95Hi else { return nil }
        return (lo / divisor, hi / divisor)
    }

    static func outputLabel(_ spec: OutputSpec, _ language: ReportLanguage) -> String {
        let da = language == .da
        switch (spec.name, spec.kind) {
        case ("netCost", _): return da ? "Nettoudgift (alternativ − basis, samlet udgift)" : "Net cost (alternative − baseline, total cost)"
        case ("placementsAvoided", _): return da ? "Undgåede anbringelser (basis − alternativ)" : "Placements avoided (baseline − alternative)"
        case (_, .difference): return "\(Localizer.metric(spec.metric, language)) (\(da ? "alternativ − basis" : "alternative − baseline"))"
        case (_, .avoided): return "\(Localizer.metric(spec.metric, language)) (\(da ? "basis − alternativ" : "baseline − alternative"))"
        default: return Localizer.metric(spec.metric, language)
        }
    }

    /// The one sentence a reader should take away.
    static func lead(_ run: SensitivityRun, language: ReportLanguage) -> String {
        let da = language == .da
        let nf = ReportNumberFormatter(language)
        guard let spec = run.plan.outputs.first else { return "" }
        switch run.settings.method {
        case .oat:
            guard let top = run.tornado.first?.first else { return "" }
            return da
                ? "\(outputLabel(spec, language)) flytter sig mest med \(top.factor): fra \(nf.value(top.atLo.mean, metric: spec.metric)) ved \(nf.compact(top.lo)) til \(nf.value(top.atHi.mean, metric: spec.metric)) ved \(nf.compact(top.hi))."
                : "\(outputLabel(spec, language)) moves most with \(top.factor): from \(nf.value(top.atLo.mean, metric: spec.metric)) at \(nf.compact(top.lo)) to \(nf.value(top.atHi.mean, metric: spec.metric)) at \(nf.compact(top.hi))."
        case .morris:
            guard let m = run.morris.first, let i = m.muStar.indices.max(by: { m.muStar[$0] < m.muStar[$1] }) else { return "" }
            return da ? "Vigtigste faktor for \(outputLabel(spec, language)): \(m.factors[i]) (μ* = \(nf.value(m.muStar[i], metric: spec.metric)))."
                      : "Most important factor for \(outputLabel(spec, language)): \(m.factors[i]) (μ* = \(nf.value(m.muStar[i], metric: spec.metric))) ."
        case .sobol:
            guard let x = run.sobol.first ?? nil, let i = x.totalOrder.indices.max(by: { x.totalOrder[$0] < x.totalOrder[$1] }) else { return "" }
            return da ? "\(x.factors[i]) står for \(nf.percentCompact(x.totalOrder[i])) af variansen i \(outputLabel(spec, language)) (totalindeks)."
                      : "\(x.factors[i]) accounts for \(nf.percentCompact(x.totalOrder[i])) of the variance of \(outputLabel(spec, language)) (total-order index)."
        }
    }

    static func about(_ run: SensitivityRun, language: ReportLanguage) -> String {
        let da = language == .da
        let n = run.replications, e = run.sample.count
        let sims = e * n * run.plan.nominal.count
        return da
            ? "Hver evaluering kører de samme \(n) gentagelser (fælles tilfældige tal), i alt \(sims) simulerede gentagelser. Indeksene er beregnet på middelværdien over gentagelserne; Monte Carlo-usikkerheden i hver middelværdi står i results.csv (kolonnerne .se). Metoder og kilder: docs/decision-support.md."
            : "Every evaluation runs the same \(n) replications (common random numbers), \(sims) simulated replications in all. The indices are computed on the mean over the replications; each mean's Monte Carlo standard error is in results.csv (the .se columns). Methods and references: docs/decision-support.md."
    }
}
