import Foundation
import SagstalScenario
import SagstalStats

/// Key-figure cards with their trend: the value over the horizon, its 95 % CI, the last budget
/// year's mean ("2035: 40,2") and a sparkline of the yearly means — and in compare, in words,
/// whether the alternative is better or worse (``Verdict``).
enum CardTrends {
    /// Whether a difference B − A is better, worse or not clear-cut (its 95 % CI includes 0).
    /// The page's style sheet colours the words by the case's name (`.verdict.better` green,
    /// `.worse` vermillion, the others grey; HTML.swift).
    enum Verdict: String {
        case better, worse, same, unclear
    }

    /// A card: label, value, the verdict in words (compare), CI, and the trend line (sparkline + text).
    static func card(label: String, value: String, verdict: (text: String, kind: Verdict)? = nil, ci: String?,
                     trend: String? = nil, sparkline: String = "", metric: String? = nil,
                     more: [(text: String, sparkline: String)] = []) -> String {
        let attr = metric.map { " data-metric=\"\(HTML.esc($0))\"" } ?? ""
        var out = "<div class=\"card\"\(attr)><div class=\"label\">\(HTML.esc(label))</div><div class=\"value\">\(HTML.esc(value))</div>"
        if let verdict {
            out += "<div class=\"verdict \(verdict.kind.rawValue)\">\(HTML.esc(verdict.text))</div>"
        }
        if let ci { out += "<div class=\"ci\">\(HTML.esc(ci))</div>" }
        // One line per trend (its look is the style sheet's `.card .trend`).
        var lines = more
        if trend != nil || !sparkline.isEmpty { lines.insert((text: trend ?? "", sparkline: sparkline), at: 0) }
        for line in lines {
            out += "<div class=\"trend\">" + line.sparkline + (line.text.isEmpty ? "" : "<span>\(HTML.esc(line.text))</span>") + "</div>"
        }
        return out + "</div>"
    }

    /// "2035: 40,2 børn" — the last budget year's value of a yearly series.
    static func endText(_ years: [String], _ values: [Double?], format: (Double?) -> String, language: ReportLanguage) -> String? {
        guard let last = years.last, let v = values.last, v != nil else { return nil }
        return "\(last): \(format(v))"
    }

    /// The sparkline's accessible title: "Per budget year 2026–2035: 10, 12, …".
    static func sparkTitle(_ years: [String], _ values: [Double?], format: (Double?) -> String, language: ReportLanguage,
                           difference: Bool = false) -> String {
        let head = language == .da ? (difference ? "Forskel pr. budgetår" : "Pr. budgetår") : (difference ? "Difference per budget year" : "Per budget year")
        return "\(head) \(ReportParts.period(years)): " + values.map(format).joined(separator: "; ")
    }

    // MARK: Run

    /// The run report's cards (placements, cost, placed at the end, caseload in the scenario's
    /// unit, over cap, wait) with the last year's mean and a sparkline of the yearly means.
    static func runCards(run: AggregatedRun, language: ReportLanguage, stepNames names: [String: String]) -> [String] {
        let t = Localizer.strings(language)
        let nf = ReportNumberFormatter(language)
        let years = run.layout.yearLabels
        var cards: [String] = []
        // Caseload in the scenario's own unit: families when caps are counted in families (Aalborg),
        // with the children beside it.
        let families = run.total("caseloadFamiliesMean")?.mean != nil
        for m in ["placementsStarted", "cost.total", "placedEnd", families ? "caseloadFamiliesMean" : "caseloadMean", "overCapShare", "waitDaysMean"] {
            guard let s = run.total(m), s.mean != nil else { continue }
            var ci = "\(t.ci95) \(nf.interval(s.ci95Lo, s.ci95Hi, metric: m))"
            if m == "caseloadFamiliesMean", let children = run.total("caseloadMean")?.mean {
                ci += language == .da ? " · \(nf.auto(children)) børn" : " · \(nf.auto(children)) children"
            }
            let yearly = run.yearlySeries(m)?.map(\.mean) ?? []
            // The last year's value with its unit where the card's label alone would leave it open.
            let unit = Localizer.unit(of: m)
            let unitText = [.days, .children, .families].contains(unit) ? " " + Localizer.unitName(unit, language) : ""
            let format: (Double?) -> String = { nf.value($0, metric: m) }
            let endFormat: (Double?) -> String = { nf.value($0, metric: m) + unitText }
            // The wait's card also shows where the waiting list goes (children waiting per year).
            var more: [(text: String, sparkline: String)] = []
            if m == "waitDaysMean", let w = run.yearlySeries("waitingMean")?.map(\.mean), let last = years.last, let end = w.last {
                let label = language == .da ? "børn der venter" : "children waiting"
                let f: (Double?) -> String = { nf.auto($0) }
                more.append(("\(last): \(nf.auto(end)) \(label)",
                             SVGSparkline.line(w, colour: ReportParts.waitingColour,
                                               title: "\(Localizer.metric("waitingMean", language)) – " + sparkTitle(years, w, format: f, language: language))))
            }
            cards.append(card(label: Localizer.metric(m, language, stepNames: names), value: nf.value(s.mean, metric: m), ci: ci,
                              trend: endText(years, yearly, format: endFormat, language: language),
                              sparkline: SVGSparkline.line(yearly, colour: ReportParts.staffColour,
                                                           title: sparkTitle(years, yearly, format: format, language: language)),
                              metric: m, more: more))
        }
        return cards
    }

    // MARK: Compare

    /// The words of a difference: "22,7 færre nye anbringelser", "billigere"; lower is better for
    /// every metric here. `m` is B − A.
    static func verdict(_ metric: String, _ s: MetricSummary, language: ReportLanguage, stepNames: [String: String] = [:],
                        lowerIsBetter: Bool = true) -> (text: String, kind: Verdict)? {
        guard let m = s.mean, m.isFinite else { return nil }
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let unclear = (s.ci95Lo ?? -1) <= 0 && (s.ci95Hi ?? 1) >= 0
        let amount = Swift.abs(m)
        let less = m < 0
        var kind: Verdict = amount == 0 ? .same : ((less == lowerIsBetter) ? .better : .worse)
        /// "22,7 færre nye anbringelser" / "22.7 more placements started": the amount, fewer or more, what.
        func counted(da daWhat: String, en enWhat: String) -> String {
            "\(nf.auto(amount)) " + (less ? (da ? "færre " : "fewer ") : (da ? "flere " : "more ")) + (da ? daWhat : enWhat)
        }
        var text: String
        switch metric {
        case "cost.total", "cost.npv":
            text = less ? (da ? "billigere" : "cheaper") : (da ? "dyrere" : "more expensive")
        case "placementsStarted":
            text = counted(da: "nye anbringelser", en: "placements started")
        case "placedChildYears":
            text = counted(da: "helårsanbringelser", en: "child-years in placement")
        case "waitingMean":
            text = counted(da: "børn der venter på at få en socialrådgiver", en: "children waiting for a caseworker")
        case "deadlineBreaches":
            text = counted(da: "børnefaglige undersøgelser over fristen", en: "assessments past the deadline")
        case "caseloadMean", "caseloadFamiliesMean":
            text = metric == "caseloadFamiliesMean" ? counted(da: "familiesager pr. socialrådgiver", en: "families per caseworker")
                                                    : counted(da: "børn pr. socialrådgiver", en: "children per caseworker")
        default:
            if metric.hasPrefix("followUp."), metric.hasSuffix(".missed") {
                let id = String(metric.dropFirst("followUp.".count).dropLast(".missed".count))
                let name = stepNames["followUp:" + id] ?? id
                text = counted(da: "\(name.lowercased()) ikke gennemført til tiden", en: "\(name) missed")
            } else if metric.hasSuffix("Share") {
                text = nf.number(amount * 100, decimals: 1) + (less ? (da ? " procentpoint lavere" : " percentage points lower")
                                                                    : (da ? " procentpoint højere" : " percentage points higher"))
            } else {
                text = nf.auto(amount) + (less ? (da ? " lavere" : " lower") : (da ? " højere" : " higher"))
            }
        }
        if kind == .same {
            text = da ? "ingen forskel" : "no difference"
        } else if unclear {
            kind = .unclear
            text += da ? " – ikke entydigt (95 %-KI omfatter 0)" : " – not clear-cut (95 % CI includes 0)"
        }
        return (text, kind)
    }

    /// The yearly means of a difference metric of a pair, and their title for the sparkline.
    static func yearlyDifference(_ p: PairedComparison, _ metric: String, negate: Bool = false) -> [Double?] {
        (p.differences.yearlySeries(metric) ?? []).map { $0.mean.map { negate ? -$0 : $0 } }
    }

    /// The key figures of a pair's costs and placements (placements avoided, net cost,
    /// probability of costing less, break-even with its distribution), each with its words.
    static func economyCards(_ p: PairedComparison, language: ReportLanguage) -> [String] {
        let nf = ReportNumberFormatter(language)
        let t = Localizer.strings(language)
        let da = language == .da
        let years = p.differences.layout.yearLabels
        let colour = ReportParts.scenarioColour(p.alternative)
        var out: [String] = []
        if let av = ComparisonReport.avoided(p), let i = ComparisonReport.index(p, "placementsStarted") {
            let yearly = yearlyDifference(p, "placementsStarted", negate: true)
            let format: (Double?) -> String = { nf.auto($0, sign: true) }
            out.append(card(label: t.placementsAvoided, value: nf.auto(av.mean, sign: true),
                            verdict: verdict("placementsStarted", p.differences.totals[i], language: language),
                            ci: "\(t.ci95) \(nf.interval(av.ci95Lo, av.ci95Hi, metric: "placementsStarted", sign: true))",
                            trend: endText(years, yearly, format: format, language: language),
                            sparkline: SVGSparkline.line(yearly, colour: colour, title: sparkTitle(years, yearly, format: format, language: language, difference: true)),
                            metric: "placementsAvoided"))
        }
        if let i = ComparisonReport.index(p, "cost.total") {
            let s = p.differences.totals[i]
            let yearly = yearlyDifference(p, "cost.total")
            let format: (Double?) -> String = { nf.moneyShort($0, sign: true) }
            out.append(card(label: t.netCost, value: nf.moneyShort(s.mean, sign: true),
                            verdict: verdict("cost.total", s, language: language),
                            ci: "\(t.ci95) \(nf.interval(s.ci95Lo, s.ci95Hi, metric: "cost.total", sign: true))",
                            trend: endText(years, yearly, format: format, language: language),
                            sparkline: SVGSparkline.line(yearly, colour: colour, title: sparkTitle(years, yearly, format: format, language: language, difference: true)),
                            metric: "cost.total"))
        }
        let pc = p.probabilityCheaper
        let pcVerdict: (String, Verdict) = pc > 0.5
            ? (da ? "billigere i de fleste gentagelser" : "cheaper in most replications", .better)
            : (pc < 0.5 ? (da ? "dyrere i de fleste gentagelser" : "more expensive in most replications", .worse)
                        : (da ? "lige ofte billigere og dyrere" : "as often cheaper as more expensive", .unclear))
        out.append(card(label: t.probabilityCheaper, value: nf.percent(pc, decimals: 0), verdict: pcVerdict, ci: nil,
                        metric: "probabilityCheaper"))
        // Break-even: the median year and the distribution of the replications' years.
        let be = p.breakEven
        let n = Double(max(be.replications, 1))
        let shares = be.counts.map { Double($0) / n } + [Double(be.notWithinHorizon) / n]
        let beVerdict: (String, Verdict) = be.medianYearIndex != nil
            ? (da ? "tjener sig hjem inden for perioden" : "pays for itself within the horizon", .better)
            : (da ? "tjener sig ikke hjem inden for perioden" : "does not pay for itself within the horizon", .worse)
        let histTitle = (da ? "Gentagelser, der varigt er tjent hjem i hvert budgetår \(ReportParts.period(years)), og (grå) ikke inden for perioden: "
                            : "Replications breaking even for good in each budget year \(ReportParts.period(years)), and (grey) not within the horizon: ")
            + shares.map { nf.percent($0, decimals: 0) }.joined(separator: "; ")
        let later = nf.percent(Double(be.notWithinHorizon) / n, decimals: 0)
        out.append(card(label: t.breakEvenYear, value: ComparisonReport.breakEvenText(be, language), verdict: beVerdict,
                        ci: (da ? "gennemsnitskurven: " : "mean curve: ") + ComparisonReport.meanBreakEvenText(p, language),
                        trend: da ? "fordeling; grå: ikke inden for perioden (\(later))" : "distribution; grey: not within the horizon (\(later))",
                        sparkline: SVGSparkline.bars(shares, highlight: be.medianYearIndex, lastIsOther: true, colour: colour, title: histTitle),
                        metric: "breakEven"))
        return out
    }

    /// The key figures of a pair's service: caseload in the scenarios' unit, children waiting,
    /// § 50 deadline breaches and each follow-up's missed visits — differences B − A over the
    /// horizon with the last year's values of both.
    static func serviceCards(_ p: PairedComparison, stepNames: [String: String], language: ReportLanguage) -> [String] {
        let nf = ReportNumberFormatter(language)
        let t = Localizer.strings(language)
        let da = language == .da
        let years = p.differences.layout.yearLabels
        let colour = ReportParts.scenarioColour(p.alternative)
        var out: [String] = []
        let families = ComparisonReport.index(p, "caseloadFamiliesMean") != nil
        var metrics = [families ? "caseloadFamiliesMean" : "caseloadMean", "waitingMean", "deadlineBreaches"]
        metrics += p.differences.layout.periodMetrics.filter { $0.hasPrefix("followUp.") && $0.hasSuffix(".missed") }
        for m in metrics {
            guard let i = ComparisonReport.index(p, m), p.differences.totals[i].mean != nil else { continue }
            let s = p.differences.totals[i]
            let yearly = yearlyDifference(p, m)
            let format: (Double?) -> String = { nf.auto($0, sign: true) }
            var ci = "\(t.ci95) \(nf.interval(s.ci95Lo, s.ci95Hi, metric: m, sign: true))"
            if m == "caseloadFamiliesMean", let c = ComparisonReport.index(p, "caseloadMean") {
                ci += " · " + (da ? "børn: " : "children: ") + nf.auto(p.differences.totals[c].mean, sign: true)
            }
            // The last budget year of both scenarios ("at the end of the horizon").
            var trend: String?
            if let k = p.differences.layout.periodMetrics.firstIndex(of: m), let last = years.last,
               let ya = p.baselineYearly.last, let yb = p.alternativeYearly.last, k < ya.count, k < yb.count {
                trend = "\(last): \(nf.auto(ya[k])) → \(nf.auto(yb[k]))"
            }
            if m.hasSuffix(".missed"), let share = ComparisonReport.index(p, String(m.dropLast("missed".count)) + "missedShare") {
                ci += " · " + (da ? "andel ikke til tiden " : "share missed ")
                    + "\(nf.percent(p.baselineTotals[share])) → \(nf.percent(p.alternativeTotals[share]))"
            }
            let label = Localizer.metric(m, language, stepNames: stepNames)
            out.append(card(label: (da ? "Forskel: " : "Difference: ") + label, value: nf.auto(s.mean, sign: true),
                            verdict: verdict(m, s, language: language, stepNames: stepNames), ci: ci, trend: trend,
                            sparkline: SVGSparkline.line(yearly, colour: colour, title: sparkTitle(years, yearly, format: format, language: language, difference: true)),
                            metric: m))
        }
        return out
    }

    /// Compare's table of waiting, deadlines and follow-ups: per metric the horizon's and the
    /// last budget year's means of both scenarios, the paired difference, its CI and the words.
    static func serviceTable(_ p: PairedComparison, names: [String], stepNames: [String: String], language: ReportLanguage) -> String {
        let t = Localizer.strings(language)
        let da = language == .da
        let a = p.baseline < names.count ? names[p.baseline] : "A"
        let b = p.alternative < names.count ? names[p.alternative] : "B"
        let d = p.differences
        let last = d.layout.yearLabels.last ?? ""
        var metrics = ["waitingMean", "waitDaysMean", "deadlineBreaches"]
        for m in d.layout.periodMetrics where m.hasPrefix("followUp.") && (m.hasSuffix(".missed") || m.hasSuffix(".missedShare")) {
            metrics.append(m)
        }
        var rows: [[HTML.Cell]] = []
        for m in metrics {
            guard let i = ComparisonReport.index(p, m), let k = d.layout.periodMetrics.firstIndex(of: m) else { continue }
            let label = Localizer.metric(m, language, stepNames: stepNames)
            let u = ReportParts.tableUnit(m, magnitude: 0, language)
            let total = d.totals[i]
            rows.append([.text(label + (da ? ", hele perioden" : ", whole horizon")), .num(u.value(p.baselineTotals[i])),
                         .num(u.value(p.alternativeTotals[i])), .num(u.value(total.mean, sign: true)),
                         .num(u.interval(total.ci95Lo, total.ci95Hi, sign: true)),
                         .text(verdict(m, total, language: language, stepNames: stepNames)?.text ?? "–")])
            if let y = d.yearly.last?[k], let ya = p.baselineYearly.last, let yb = p.alternativeYearly.last, k < ya.count, k < yb.count {
                rows.append([.text(label + ", \(last)"), .num(u.value(ya[k])), .num(u.value(yb[k])), .num(u.value(y.mean, sign: true)),
                             .num(u.interval(y.ci95Lo, y.ci95Hi, sign: true)),
                             .text(verdict(m, y, language: language, stepNames: stepNames)?.text ?? "–")])
            }
        }
        guard !rows.isEmpty else { return "" }
        let caption = da ? "Ventelister, frister og tilsyn: gennemsnit over hele perioden (sum for antal) og i det sidste budgetår"
                         : "Waiting, deadlines and follow-ups: over the whole horizon (means; counts summed) and in the last budget year"
        return HTML.table(header: [.text(da ? "Nøgletal" : "Figure"), .num(a), .num(b), .num(t.difference), .num(t.pairedCI),
                                   .text(da ? "Betyder" : "Meaning")],
                          rows: rows, caption: caption)
    }
}
