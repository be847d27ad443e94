import Foundation
import SagstalReport

/// `fitted.report.html` of `sagstal fit`: per phase, the Kaplan–Meier survival (with its 95 % band)
/// against the chosen fit, a P–P plot (fitted against Kaplan–Meier probabilities; on the diagonal
/// when the fit is right), the AIC table and the transition shares.
public enum FitReport {
    public static func html(_ run: FitRun, toolVersion: String, language: ReportLanguage = .en, breakdown: FitRun? = nil) -> String {
        let nf = ReportNumberFormatter(language)
        var body = ReportKit.header(kicker: "sagstal · fit", title: "Parameters from \(run.file.path)",
                                    meta: ["\(nf.number(Double(run.file.episodes.count))) stays · censored stays count as \"at least this long\" (docs/fit.md)"])
        body += ReportKit.warnings(sentences: run.warnings, language: language)
        for p in run.phases {
            let r = p.records
            body += "<section><h2>\(ReportKit.esc(r.name))</h2>"
            body += "<p>\(ReportKit.esc("\(nf.number(Double(r.n))) stays, \(nf.number(Double(r.censored))) still running (\(nf.percentCompact(r.censoredShare)) censored)"))"
            if let c = p.chosen, let mean = c.parameters["mean"], let naive = r.naiveMeanOfClosed {
                body += ReportKit.esc(" · fitted mean \(nf.number(mean)) days (\(c.family.rawValue)); the closed stays alone: \(nf.number(naive)) days")
            }
            body += "</p>"
            if let km = p.kaplanMeier, !km.times.isEmpty {
                // Thin the Kaplan–Meier table to at most 400 points for the chart.
                let every = max(1, km.times.count / 400)
                let idx = Array(stride(from: 0, to: km.times.count, by: every))
                let x = idx.map { km.times[$0] }
                var series = [SVGChart.LineSeries(name: "Kaplan–Meier", x: x, y: idx.map { km.survival[$0] },
                                                  lower: idx.map { km.lower[$0] }, upper: idx.map { km.upper[$0] }, colour: "#0072B2")]
                if let c = p.chosen {
                    series.append(SVGChart.LineSeries(name: "fitted \(c.family.rawValue)", x: x, y: x.map { c.survival($0) }, colour: "#D55E00", dashed: true))
                }
                let chart = SVGChart.lineChart(series: series, x: SVGChart.Axis(title: "days", formatter: nf),
                                               y: SVGChart.Axis(title: "share still in the phase", formatter: nf),
                                               title: "\(r.name): survival", bandLabel: "95 % CI (Greenwood, log–log)")
                var pp = ""
                if let c = p.chosen {
                    let points = SVGChart.LineSeries(name: "P–P", x: idx.map { 1 - km.survival[$0] }, y: x.map { c.cdf($0) }, colour: "#009E73", points: true)
                    let diagonal = SVGChart.LineSeries(name: "diagonal", x: [0, 1], y: [0, 1], colour: "#8C8C8C", dashed: true)
                    pp = ReportKit.figure("P–P plot", SVGChart.lineChart(series: [diagonal, points], x: SVGChart.Axis(title: "Kaplan–Meier probability of having ended", formatter: nf),
                                                                         y: SVGChart.Axis(title: "fitted probability", formatter: nf), title: "\(r.name): P–P"),
                                          note: "On the diagonal when the fitted distribution matches the records.")
                }
                body += "<div class=\"charts\">" + ReportKit.figure("Survival: Kaplan–Meier and the chosen fit", chart) + pp + "</div>"
            }
            if !p.fits.isEmpty {
                body += ReportKit.table(header: ["family", "log-likelihood", "AIC", "parameters (95 % CI)"],
                                        rows: p.fits.map { f in
                                            [f.family.rawValue, nf.number(f.logLikelihood, decimals: 1), nf.number(f.aic, decimals: 1),
                                             f.parameters.keys.sorted().map { k in
                                                 "\(k) \(nf.compact(f.parameters[k]!)) (\(f.ci95[k].map { "\(nf.compact($0.lower))–\(nf.compact($0.upper))" } ?? "–"))"
                                             }.joined(separator: "; ")].map(ReportKit.esc)
                                        }, numeric: [1, 2])
            }
            if !p.shares.isEmpty {
                body += ReportKit.table(header: ["ending", "count", "share", "Wilson 95 % CI"],
                                        rows: p.shares.map { s in
                                            [s.ending, nf.number(Double(s.share.successes)), nf.percentCompact(s.share.estimate),
                                             "\(nf.percentCompact(s.share.lower)) – \(nf.percentCompact(s.share.upper))"].map(ReportKit.esc)
                                        }, numeric: [1, 2, 3])
            }
            body += "</section>"
        }
        if let breakdown {
            body += "<section><h2>By group (--by)</h2><p>The fitted scenario uses the pooled fits above; these are for comparison.</p>"
            body += ReportKit.table(header: ["group", "stays", "censored", "chosen fit", "fitted mean (95 % CI)", "closed stays only"],
                                    rows: breakdown.phases.map { p in
                                        let mean = p.chosen.flatMap { c in c.parameters["mean"].map { m in
                                            "\(nf.number(m)) (\(c.ci95["mean"].map { "\(nf.number($0.lower))–\(nf.number($0.upper))" } ?? "–"))" } } ?? "–"
                                        return [p.records.name, nf.number(Double(p.records.n)), nf.percentCompact(p.records.censoredShare),
                                                p.chosen?.family.rawValue ?? "too few", mean, p.records.naiveMeanOfClosed.map { nf.number($0) } ?? "–"].map(ReportKit.esc)
                                    }, numeric: [1, 2, 4, 5])
            body += "</section>"
        }
        if let a = run.arrivals, let season = a.seasonality {
            body += "<section><h2>Case openings</h2><p>\(ReportKit.esc("\(nf.number(Double(a.openings))) openings; \(nf.number(a.ratePerYear, decimals: 1)) a year at the start of the records (95 % CI \(nf.number(a.rateCI.lower, decimals: 1))–\(nf.number(a.rateCI.upper, decimals: 1))); growth \(nf.percentCompact(a.growthPerYear)) a year"))</p>"
            if let s = a.screening {
                body += "<p>\(ReportKit.esc("Screening: \(nf.number(Double(s.successes))) of \(nf.number(Double(s.n))) screened notifications opened a case, \(nf.percentCompact(s.estimate)) (Wilson 95 % CI \(nf.percentCompact(s.lower))–\(nf.percentCompact(s.upper))); the fitted scenario's screening.opensCase"))</p>"
            }
            body += ReportKit.figure("Seasonal factors", SVGChart.barChart(categories: ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"],
                                                                           series: [SVGChart.BarSeries(name: "openings over the trend", values: season, colour: "#0072B2")],
                                                                           xTitle: "month", y: SVGChart.Axis(title: "factor (mean 1)", formatter: nf), title: "Seasonal factors"))
            body += "</section>"
        }
        body += "<footer><p>sagstal \(ReportKit.esc(toolVersion)) · fit · methods in docs/fit.md and docs/fit-methods.md</p></footer>"
        return ReportKit.page(language: language, title: "sagstal fit — \(run.file.path)", body: body)
    }
}
