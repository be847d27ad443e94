import Foundation
import SagstalScenario
import SagstalStats

/// `report.html` of `sagstal compare`: what each alternative changes against the baseline, in
/// words, key figures, charts and tables — placements avoided, net cost, the probability of
/// costing less and the break-even year, all on paired replications (common random numbers).
public enum ComparisonReport {
    /// The self-contained HTML report of a comparison (inline CSS and SVG; no script, nothing fetched).
    ///
    /// - Parameters:
    ///   - pairs: the paired comparisons of each alternative with the baseline.
    ///   - runs: each scenario's own run, baseline first (index = `pair.baseline`/`pair.alternative`).
    ///   - scenarios: the scenarios as run (after pairing seed, replications and years).
    ///   - info: names, titles, seed, replications, tool and the notes on replaced values.
    ///   - language: English or Danish labels and number formats.
    /// - Returns: the document, well-formed XML (XHTML-compatible).
    public static func html(pairs: [PairedComparison], runs: [AggregatedRun], scenarios: [Scenario], info: ComparisonInfo,
                            language: ReportLanguage) -> String {
        let t = Localizer.strings(language)
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let names = info.names
        func name(_ i: Int) -> String { i < names.count ? names[i] : "#\(i)" }
        let stepNames = ScenarioNames.of(scenarios)
        let yearLabels = runs.first?.layout.yearLabels ?? pairs.first?.differences.layout.yearLabels ?? []
        var body = ""

        // Header
        // Titles and headings use the scenarios' names (`name:`); file names are secondary labels.
        func scenarioTitle(_ i: Int) -> String { i < info.titles.count ? info.titles[i] : name(i) }
        let alternatives = pairs.map { scenarioTitle($0.alternative) }
        let title = da ? "\(alternatives.joined(separator: ", ")) sammenlignet med \(scenarioTitle(0))"
                       : "\(alternatives.joined(separator: ", ")) compared with \(scenarioTitle(0))"
        let metaLine = [ReportParts.period(yearLabels), "\(ReportParts.years(info.years, nf)) \(da ? "år" : "years")",
                        "\(nf.number(Double(info.replications))) \(da ? "parrede gentagelser" : "paired replications")",
                        "\(t.seed.lowercased()) \(info.seed)"].filter { !$0.isEmpty }.joined(separator: " · ")
        body += "<header class=\"report\"><p class=\"kicker\">sagstal · \(HTML.esc(t.compareTitle))</p>"
        body += "<h1>\(HTML.esc(title))</h1><p class=\"meta\">\(HTML.esc(metaLine))</p>"
        body += "<p class=\"meta\">" + names.indices.map { i in
            let role = i == 0 ? t.baseline : t.alternative
            let file = scenarioTitle(i) != names[i] ? " · " + names[i] : ""
            return "<strong>\(HTML.esc(scenarioTitle(i)))</strong> (\(HTML.esc(role)))\(HTML.esc(file))"
        }.joined(separator: "<br/>") + "</p></header>"
        body += WarningsBox.html(info.warnings, language: language)
        body += AssumptionsBox.html(KeyAssumptions(scenarios: scenarios, names: names, sources: info.sources,
                                                   overrides: info.overrides), language: language)

        // Summary, one paragraph and a row of cards per alternative.
        body += "<section class=\"summary\"><h2>\(HTML.esc(t.summary))</h2>"
        for p in pairs {
            body += "<p class=\"lead\">\(HTML.esc(summaryText(p, info: info, language: language)))</p>"
            body += ReportParts.cards(cards(p, info: info, language: language))
            let service = CardTrends.serviceCards(p, stepNames: stepNames, language: language)
            if !service.isEmpty {
                body += ReportParts.cards(service)
                let a = name(p.baseline), b = name(p.alternative)
                body += "<p class=\"note\">\(HTML.esc(da ? "Forskelle \(b) − \(a) over hele perioden; kurven viser forskellen i hvert budgetår, og tallene ved den er det sidste budgetår, \(a) → \(b)." : "Differences \(b) − \(a) over the whole horizon; the line is the difference in each budget year, and the numbers beside it are the last budget year, \(a) → \(b)."))</p>"
            }
        }
        if !info.notes.isEmpty {
            body += "<p class=\"caveat\">" + info.notes.map(HTML.esc).joined(separator: "<br/>") + "</p>"
        }
        let pairedNote = da
            ? "Scenarierne er kørt på de samme gentagelser med de samme tilfældige tal (fælles tilfældige tal), så forskellene skyldes scenariet og ikke held; konfidensintervallerne for forskelle er parrede."
            : "The scenarios run on the same replications with the same random numbers (common random numbers), so differences are due to the scenario, not to luck; confidence intervals of differences are paired."
        body += "<p class=\"caveat\">\(HTML.esc(pairedNote))</p>"
        body += ReportParts.aboutNumbers(replications: info.replications, language: language) + "</section>"

        // Charts: the scenarios overlaid, then each pair's differences.
        body += "<section class=\"page\"><h2>\(HTML.esc(t.charts))</h2><div class=\"charts\">"
        body += overlayCharts(runs: runs, names: names, language: language).joined()
        body += BudgetTable.compareStacks(runs: runs, scenarios: scenarios, names: names, language: language).joined()
        for p in pairs {
            body += pairCharts(p, names: names, language: language).joined()
        }
        body += "</div></section>"

        // Tables: differences, break-even, each scenario's key totals.
        body += "<section class=\"page\"><h2>\(HTML.esc(da ? "Forskelle" : "Differences"))</h2>"
        for p in pairs {
            body += "<h3>\(HTML.esc("\(scenarioTitle(p.alternative)) − \(scenarioTitle(p.baseline))"))</h3>"
            body += headlineTable(p, info: info, language: language)
            body += differenceTable(p, info: info, stepNames: stepNames, language: language)
            body += CardTrends.serviceTable(p, names: names, stepNames: stepNames, language: language)
            body += breakEvenTable(p, info: info, language: language)
        }
        body += BudgetTable.compareHTML(pairs: pairs, runs: runs, scenarios: scenarios, names: names, language: language)
        body += "</section>"

        body += "<section class=\"page\"><h2>\(HTML.esc(t.keyTotals))</h2>"
        body += scenariosTable(runs: runs, names: names, stepNames: stepNames, language: language)
        body += "</section>"

        // Scenarios
        body += "<section class=\"page\"><h2>\(HTML.esc(da ? "Scenarierne" : "The scenarios"))</h2>"
        for (i, s) in scenarios.enumerated() {
            body += ReportParts.scenarioSummary(s, language: language, heading: s.name == name(i) ? s.name : "\(s.name) (\(name(i)))",
                                                run: i < runs.count ? runs[i] : nil)
            body += ReportParts.resolvedYAML(ScenarioEmitter.yaml(s, toolVersion: info.tool.version), language: language,
                                             title: "\(t.resolvedScenario): \(name(i))")
        }
        body += "</section>"
        body += ReportParts.footer(tool: info.tool, seed: info.seed, replications: info.replications,
                                   events: runs.isEmpty ? nil : runs.reduce(0) { $0 + $1.eventsProcessed }, language: language)
        return HTML.page(language: language, title: "\(title) – sagstal", body: body)
    }

    /// The index of a metric in a pair's differences.
    static func index(_ p: PairedComparison, _ metric: String) -> Int? {
        p.differences.layout.totalsMetrics.firstIndex(of: metric)
    }

    /// Placements avoided (baseline − alternative), with the CI turned around.
    static func avoided(_ p: PairedComparison) -> MetricSummary? {
        guard let i = index(p, "placementsStarted") else { return nil }
        let s = p.differences.totals[i]
        return MetricSummary(n: s.n, mean: s.mean.map { -$0 }, sd: s.sd, ci95Lo: s.ci95Hi.map { -$0 }, ci95Hi: s.ci95Lo.map { -$0 },
                             p5: s.p95.map { -$0 }, p50: s.p50.map { -$0 }, p95: s.p5.map { -$0 })
    }

    /// The median break-even year's label, or "not within the horizon".
    static func breakEvenText(_ b: BreakEven, _ language: ReportLanguage) -> String {
        b.medianYearIndex.map { b.yearLabels[$0] } ?? Localizer.strings(language).notWithinHorizon
    }

    /// The break-even year of the mean cumulative net cost, or "not within the horizon".
    static func meanBreakEvenText(_ p: PairedComparison, _ language: ReportLanguage) -> String {
        p.meanBreakEvenYearIndex.map { p.breakEven.yearLabels[$0] } ?? Localizer.strings(language).notWithinHorizon
    }

    /// The plain-language summary of one comparison.
    static func summaryText(_ p: PairedComparison, info: ComparisonInfo, language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let t = Localizer.strings(language)
        let a = p.baseline < info.names.count ? info.names[p.baseline] : "A"
        let b = p.alternative < info.names.count ? info.names[p.alternative] : "B"
        let years = ReportParts.years(info.years, nf)
        var sentences: [String] = []
        var first = da ? "Sammenlignet med \(a) " : "Compared with \(a), \(b) "
        if let av = avoided(p), let m = av.mean {
            let ci = "\(t.ci95) \(nf.interval(av.ci95Lo, av.ci95Hi, metric: "placementsStarted"))"
            if m >= 0 {
                first += da ? "undgår \(b) i gennemsnit \(nf.auto(m)) anbringelser over \(years) år (\(ci))"
                            : "avoids on average \(nf.auto(m)) placements over \(years) years (\(ci))"
            } else {
                first += da ? "starter \(b) i gennemsnit \(nf.auto(-m)) flere anbringelser over \(years) år (\(ci) undgåede)"
                            : "starts on average \(nf.auto(-m)) more placements over \(years) years (\(ci) avoided)"
            }
        } else {
            first += da ? "har \(b) over \(years) år" : "over \(years) years"
        }
        var costUnclear = false
        if let i = index(p, "cost.total"), let m = p.differences.totals[i].mean {
            let s = p.differences.totals[i]
            let amount = nf.moneyShort(Swift.abs(m))
            // The CI of the amount more (or less), in the same direction as the words.
            if m > 0 {
                let ci = "\(t.ci95) \(nf.interval(s.ci95Lo, s.ci95Hi, metric: "cost.total"))"
                first += da ? " og koster \(amount) mere (\(ci))" : " and costs \(amount) more (\(ci))"
            } else {
                let ci = "\(t.ci95) \(nf.interval(s.ci95Hi.map { -$0 }, s.ci95Lo.map { -$0 }, metric: "cost.total"))"
                first += da ? " og koster \(amount) mindre (\(ci))" : " and costs \(amount) less (\(ci))"
            }
            if let lo = s.ci95Lo, let hi = s.ci95Hi, lo < 0, hi > 0 { costUnclear = true }
        }
        sentences.append(first + ".")
        sentences.append(da ? "\(b) koster mindre end \(a) i \(nf.percent(p.probabilityCheaper, decimals: 0)) af gentagelserne."
                            : "\(b) costs less than \(a) in \(nf.percent(p.probabilityCheaper, decimals: 0)) of the replications.")
        if costUnclear {
            sentences.append(da ? "Forskellen i udgift er ikke entydig: dens 95 %-KI indeholder nul."
                                : "The difference in cost is not clear-cut: its 95 % CI includes zero.")
        }
        sentences.append(breakEvenSentence(p, a: a, b: b, language: language))
        return sentences.joined(separator: " ")
    }

    /// The break-even in words: the median year over replications (from which the cumulative
    /// cost stays at or below the baseline's until the horizon), how many have broken even for
    /// good by then, and the year of the mean cumulative net cost.
    static func breakEvenSentence(_ p: PairedComparison, a: String, b: String, language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let be = p.breakEven
        let n = Double(max(be.replications, 1))
        var out: String
        if let y = be.medianYearIndex {
            let by = nf.percent(Double(be.brokenEven(by: y)) / n, decimals: 0)
            out = da
                ? "Tjent hjem (median): \(be.yearLabels[y]) – fra da og perioden ud har \(b) samlet set kostet højst det samme som \(a) i \(by) af gentagelserne."
                : "Break-even (median): \(be.yearLabels[y]) – from then to the end of the horizon \(b) has cost in total no more than \(a) in \(by) of the replications."
        } else {
            out = da
                ? "\(b) tjener sig ikke varigt hjem inden for perioden i de fleste gentagelser (ikke tjent hjem i \(nf.percent(Double(be.notWithinHorizon) / n, decimals: 0)))."
                : "\(b) does not break even for good within the horizon in most replications (no break-even in \(nf.percent(Double(be.notWithinHorizon) / n, decimals: 0))."
        }
        if let y = p.meanBreakEvenYearIndex {
            var month = p.meanBreakEvenCrossingMonth.map { da ? ", omkring \($0)" : ", around \($0)" } ?? ""
            if p.meanBreakEvenCrossing == 0 { month = da ? " (under nul fra starten)" : " (at or below zero from the start)" }
            out += da ? " Den gennemsnitlige akkumulerede nettoudgift er varigt nede på nul i \(be.yearLabels[y])\(month)."
                      : " The mean cumulative net cost falls to zero for good in \(be.yearLabels[y])\(month)."
        } else {
            out += da ? " Den gennemsnitlige akkumulerede nettoudgift er ikke varigt nede på nul inden for perioden."
                      : " The mean cumulative net cost does not fall to zero for good within the horizon."
        }
        return out
    }

    /// The pair's key figures of cost and placements, each with its trend and in words
    /// (``CardTrends/economyCards(_:language:)``).
    static func cards(_ p: PairedComparison, info: ComparisonInfo, language: ReportLanguage) -> [String] {
        CardTrends.economyCards(p, language: language)
    }

    /// Placements avoided, net cost (total and NPV), probability of costing less, break-even.
    static func headlineTable(_ p: PairedComparison, info: ComparisonInfo, language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let t = Localizer.strings(language)
        var rows: [[HTML.Cell]] = []
        if let av = avoided(p) {
            rows.append([.text(t.placementsAvoided), .num(nf.auto(av.mean, sign: true)),
                         .num(nf.interval(av.ci95Lo, av.ci95Hi, metric: "placementsStarted", sign: true)),
                         .num(nf.interval(av.p5, av.p95, metric: "placementsStarted", sign: true))])
        }
        for (metric, label) in [("cost.total", t.netCost), ("cost.npv", t.netCostNPV)] {
            guard let i = index(p, metric) else { continue }
            let s = p.differences.totals[i]
            let u = ReportParts.tableUnit(metric, [s], language)
            rows.append([.text(label + u.labelSuffix), .num(u.value(s.mean, sign: true)),
                         .num(u.interval(s.ci95Lo, s.ci95Hi, sign: true)), .num(u.interval(s.p5, s.p95, sign: true))])
        }
        rows.append([.text(t.probabilityCheaper), .num(nf.percent(p.probabilityCheaper, decimals: 0)), .num("–"), .num("–")])
        rows.append([.text(t.probabilityCheaper + (language == .da ? " (nutidsværdi)" : " (net present value)")),
                     .num(nf.percent(p.probabilityCheaperNPV, decimals: 0)), .num("–"), .num("–")])
        rows.append([.text(t.breakEvenYear), .num(breakEvenText(p.breakEven, language)), .num("–"), .num("–")])
        rows.append([.text(language == .da ? "Tjent hjem for den gennemsnitlige akkumulerede nettoudgift" : "Break-even year of the mean cumulative net cost"),
                     .num(meanBreakEvenText(p, language)), .num("–"), .num("–")])
        return HTML.table(header: [.text(t.totalOverHorizon), .num(t.mean), .num(t.ci95), .num(t.p5p95)], rows: rows)
    }

    /// Both means, the paired difference, its 95 % CI and P5–P95, for the key metrics.
    static func differenceTable(_ p: PairedComparison, info: ComparisonInfo, stepNames: [String: String],
                                language: ReportLanguage) -> String {
        let t = Localizer.strings(language)
        let a = p.baseline < info.names.count ? info.names[p.baseline] : "A"
        let b = p.alternative < info.names.count ? info.names[p.alternative] : "B"
        var rows: [[HTML.Cell]] = []
        var classes: [String?] = []
        for m in ReportParts.keyMetrics(p.differences.layout) {
            guard let i = index(p, m) else { continue }
            if m == "transfers" && p.baselineTotals[i] == 0 && p.alternativeTotals[i] == 0 { continue }
            let s = p.differences.totals[i]
            let u = ReportParts.tableUnit(m, magnitude: ReportParts.maxAbs([p.baselineTotals[i], p.alternativeTotals[i]]), language)
            rows.append([.text(Localizer.metric(m, language, stepNames: stepNames) + u.labelSuffix),
                         .num(u.value(p.baselineTotals[i])), .num(u.value(p.alternativeTotals[i])),
                         .num(u.value(s.mean, sign: true)), .num(u.interval(s.ci95Lo, s.ci95Hi, sign: true)),
                         .num(u.interval(s.p5, s.p95, sign: true))])
            classes.append(m == "cost.total" ? "total" : nil)
        }
        return HTML.table(header: [.text(t.totalOverHorizon), .num(a), .num(b), .num(t.difference), .num(t.pairedCI), .num(t.p5p95)],
                          rows: rows, rowClasses: classes)
    }

    /// Replications breaking even for good in each budget year, their share and the cumulative share.
    static func breakEvenTable(_ p: PairedComparison, info: ComparisonInfo, language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let t = Localizer.strings(language)
        let b = p.breakEven
        let n = Double(max(b.replications, 1))
        var rows: [[HTML.Cell]] = []
        var classes: [String?] = []
        for (y, label) in b.yearLabels.enumerated() {
            rows.append([.text(label), .num(nf.number(Double(b.counts[y]))), .num(nf.percent(Double(b.counts[y]) / n, decimals: 0)),
                         .num(nf.percent(Double(b.brokenEven(by: y)) / n, decimals: 0))])
            classes.append(y == b.medianYearIndex ? "lowest" : nil)
        }
        rows.append([.text(t.notWithinHorizon), .num(nf.number(Double(b.notWithinHorizon))),
                     .num(nf.percent(Double(b.notWithinHorizon) / n, decimals: 0)), .num("–")])
        classes.append(nil)
        return HTML.table(header: [.text(t.budgetYear), .num(t.replicationsBreakingEven), .num(t.share), .num(t.cumulativeShare)],
                          rows: rows, rowClasses: classes, caption: t.breakEvenDistribution)
    }

    /// Key totals of every scenario side by side: per scenario its mean, 95 % CI and P5–P95.
    static func scenariosTable(runs: [AggregatedRun], names: [String], stepNames: [String: String],
                               language: ReportLanguage) -> String {
        let t = Localizer.strings(language)
        func name(_ i: Int) -> String { i < names.count ? names[i] : "#\(i)" }
        var out = "<div class=\"scroll\"><table class=\"data\"><thead><tr class=\"group\"><th></th>"
        for i in runs.indices { out += "<th class=\"group-start\" colspan=\"3\" scope=\"colgroup\">\(HTML.esc(name(i)))</th>" }
        out += "</tr><tr><th scope=\"col\">\(HTML.esc(t.totalOverHorizon))</th>"
        for _ in runs { out += "<th class=\"num group-start\" scope=\"col\">\(HTML.esc(t.mean))</th><th class=\"num\" scope=\"col\">\(HTML.esc(t.ci95))</th><th class=\"num\" scope=\"col\">\(HTML.esc(t.p5p95))</th>" }
        out += "</tr></thead><tbody>"
        let metrics = runs.reduce(into: [String]()) { all, run in
            for m in ReportParts.keyMetrics(run.layout) where !all.contains(m) { all.append(m) }
        }
        for m in metrics {
            let stats = runs.map { $0.total(m) }
            guard stats.contains(where: { $0 != nil }) else { continue }
            let u = ReportParts.tableUnit(m, stats, language)
            out += m == "cost.total" ? "<tr class=\"total\">" : "<tr>"
            out += "<th scope=\"row\">\(HTML.esc(Localizer.metric(m, language, stepNames: stepNames) + u.labelSuffix))</th>"
            for s in stats {
                out += "<td class=\"num group-start\">\(HTML.esc(u.value(s?.mean)))</td>"
                out += "<td class=\"num\">\(HTML.esc(u.interval(s?.ci95Lo, s?.ci95Hi)))</td>"
                out += "<td class=\"num\">\(HTML.esc(u.interval(s?.p5, s?.p95)))</td>"
            }
            out += "</tr>"
        }
        return out + "</tbody></table></div>"
    }

    /// Placed children (monthly), caseload (monthly) and total cost per year of every scenario, overlaid.
    static func overlayCharts(runs: [AggregatedRun], names: [String], language: ReportLanguage) -> [String] {
        let t = Localizer.strings(language)
        let nf = ReportNumberFormatter(language)
        guard let first = runs.first else { return [] }
        let months = first.layout.monthLabels
        let monthX = months.indices.map(Double.init)
        let monthAxis = SVGChart.Axis(title: t.axisYear, formatter: nf, ticks: ReportParts.monthTicks(months))
        func name(_ i: Int) -> String { i < names.count ? names[i] : "#\(i)" }
        var figures: [String] = []
        // Caseload in the scenarios' own unit when they all count families (Aalborg).
        let families = runs.allSatisfy { $0.layout.periodMetrics.contains("caseloadFamiliesMean") }
        let caseload = families ? ("caseloadFamiliesMean", t.caseloadOverTime, language == .da ? "Familiesager pr. socialrådgiver" : "Families per caseworker")
            : ("caseloadMean", t.caseloadOverTime, t.axisCaseload)
        for (metric, caption, yTitle) in [("placedEnd", t.placedChildren, t.axisChildren), caseload] {
            let series: [SVGChart.LineSeries] = runs.enumerated().compactMap { i, run in
                run.monthlySeries(metric).map {
                    SVGChart.LineSeries(name: name(i), x: monthX, y: $0.map(\.mean), lower: $0.map(\.p5), upper: $0.map(\.p95),
                                        colour: ReportParts.scenarioColour(i), dashed: i > 0 && i % 2 == 0)
                }
            }
            guard !series.isEmpty else { continue }
            figures.append(HTML.figure(caption, SVGChart.lineChart(series: series, x: monthAxis,
                                                                   y: SVGChart.Axis(title: yTitle, formatter: nf),
                                                                   title: caption, bandLabel: t.band90)))
        }
        let costs = runs.map { $0.yearlySeries("cost.total") ?? [] }
        let scale = ReportParts.moneyScale(ReportParts.maxAbs(costs.flatMap { $0.map(\.mean) }), language)
        let series = costs.enumerated().map { i, s in
            SVGChart.BarSeries(name: name(i), values: s.map { $0.mean.map { $0 / scale.divisor } },
                               lower: s.map { $0.ci95Lo.map { $0 / scale.divisor } }, upper: s.map { $0.ci95Hi.map { $0 / scale.divisor } },
                               colour: ReportParts.scenarioColour(i))
        }
        figures.append(HTML.figure(t.totalCostPerYear, SVGChart.barChart(
            categories: first.layout.yearLabels, series: series, xTitle: t.axisYear,
            y: SVGChart.Axis(title: "\(t.axisCost) (\(scale.unit))", formatter: nf), title: t.totalCostPerYear,
            whiskerLabel: t.whisker95)))
        return figures
    }

    /// A pair's yearly differences (cost, placements) with paired CIs and its cumulative net cost.
    static func pairCharts(_ p: PairedComparison, names: [String], language: ReportLanguage) -> [String] {
        let t = Localizer.strings(language)
        let nf = ReportNumberFormatter(language)
        let a = p.baseline < names.count ? names[p.baseline] : "A"
        let b = p.alternative < names.count ? names[p.alternative] : "B"
        let d = p.differences
        let years = d.layout.yearLabels
        let colour = ReportParts.scenarioColour(p.alternative)
        let suffix = " (\(b) − \(a))"
        var figures: [String] = []
        if let s = d.yearlySeries("cost.total") {
            let scale = ReportParts.moneyScale(ReportParts.maxAbs(s.flatMap { [$0.mean, $0.ci95Lo, $0.ci95Hi] }), language)
            let caption = t.costDifferencePerYear + suffix
            figures.append(HTML.figure(caption, SVGChart.barChart(
                categories: years,
                series: [SVGChart.BarSeries(name: "\(t.difference) \(b) − \(a)", values: s.map { $0.mean.map { $0 / scale.divisor } },
                                            lower: s.map { $0.ci95Lo.map { $0 / scale.divisor } },
                                            upper: s.map { $0.ci95Hi.map { $0 / scale.divisor } }, colour: colour)],
                xTitle: t.axisYear, y: SVGChart.Axis(title: "\(t.axisCost) (\(scale.unit))", formatter: nf), title: caption,
                whiskerLabel: t.whisker95 + (language == .da ? " (parret)" : " (paired)"))))
        }
        if let s = d.yearlySeries("placementsStarted") {
            let caption = t.placementDifferencePerYear + suffix
            figures.append(HTML.figure(caption, SVGChart.barChart(
                categories: years,
                series: [SVGChart.BarSeries(name: "\(t.difference) \(b) − \(a)", values: s.map(\.mean), lower: s.map(\.ci95Lo),
                                            upper: s.map(\.ci95Hi), colour: colour)],
                xTitle: t.axisYear, y: SVGChart.Axis(title: t.axisPlacements, formatter: nf), title: caption,
                whiskerLabel: t.whisker95 + (language == .da ? " (parret)" : " (paired)"))))
        }
        if let chart = breakEvenChart(p, a: a, b: b, colour: colour, language: language) { figures.append(chart) }
        return figures
    }

    /// The break-even chart of a pair (``SVGChart/breakEvenChart(_:size:)``): the mean cumulative
    /// net cost with its 95 % CI and the crossing of its mean above, the distribution of the
    /// replications' break-even years with their median below.
    static func breakEvenChart(_ p: PairedComparison, a: String, b: String, colour: String, language: ReportLanguage) -> String? {
        let t = Localizer.strings(language)
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let c = p.cumulativeNetCost
        let be = p.breakEven
        let years = be.yearLabels
        guard !c.isEmpty, c.count == years.count else { return nil }
        let scale = ReportParts.moneyScale(ReportParts.maxAbs(c.flatMap { [$0.mean, $0.ci95Lo, $0.ci95Hi] }), language)
        let n = Double(max(be.replications, 1))
        let caption = (da ? "Hvornår tjener \(b) sig hjem?" : "When does \(b) break even?") + " (\(b) − \(a))"
        var crossingText = p.meanBreakEvenCrossingMonth.map { da ? "gennemsnit ≤ 0 fra ≈ \($0)" : "mean ≤ 0 from ≈ \($0)" } ?? ""
        if p.meanBreakEvenCrossing == 0 { crossingText = da ? "gennemsnit ≤ 0 fra starten" : "mean ≤ 0 from the start" }
        let panels = SVGChart.BreakEvenPanels(
            years: years,
            mean: c.map { $0.mean.map { $0 / scale.divisor } },
            lower: c.map { $0.ci95Lo.map { $0 / scale.divisor } }, upper: c.map { $0.ci95Hi.map { $0 / scale.divisor } },
            curveName: da ? "Gennemsnitlig akkumuleret nettoudgift ved årets udgang" : "Mean cumulative net cost at the end of each year",
            colour: colour, bandLabel: t.band95, crossing: p.meanBreakEvenCrossing, crossingLabel: crossingText,
            shares: be.counts.map { Double($0) / n }, laterShare: Double(be.notWithinHorizon) / n,
            barName: da ? "Gentagelser, hvor indsatsen er varigt tjent hjem det år" : "Replications breaking even for good that year",
            laterName: t.notWithinHorizon, laterTick: da ? "senere" : "later",
            medianIndex: be.medianYearIndex, medianLabel: "median \(be.medianYearIndex.map { years[$0] } ?? "")",
            xTitle: t.axisYear,
            yTop: SVGChart.Axis(title: "\(t.cumulativeNetCost) (\(scale.unit))", formatter: nf),
            yBottom: SVGChart.Axis(title: da ? "Andel af gentagelser" : "Share of replications", formatter: nf, scale: 100, suffix: " %"),
            title: caption)
        var note = da
            ? "Øverst: \(b)s samlede udgift minus \(a)s, lagt sammen fra periodens start til udgangen af hvert budgetår (under nul har \(b) samlet set kostet mindre); den stiplede linje er hvor gennemsnittet varigt krydser nul (lineært inden for året). Nederst: i hvilket budgetår hver gentagelses akkumulerede nettoudgift når nul og bliver der perioden ud."
            : "Above: \(b)'s total cost minus \(a)'s, summed from the start to the end of each budget year (below zero, \(b) has cost less in total); the dashed line is where the mean crosses zero for good (linear within the year). Below: the budget year in which each replication's cumulative net cost reaches zero and stays there to the end of the horizon."
        if p.meanBreakEvenYearIndex == nil {
            note += da ? " Gennemsnittet når ikke varigt nul inden for perioden." : " The mean does not reach zero for good within the horizon."
        }
        return HTML.figure(caption, SVGChart.breakEvenChart(panels), note: note)
    }
}
