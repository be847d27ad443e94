import Foundation
import SagstalScenario
import SagstalStats

/// `report.html` of `sagstal sweep`: the key totals against the varied parameters, with their
/// 95 % CIs, the grid table with the lowest-cost point marked, and the scenario.
public enum SweepReport {
    /// The self-contained HTML report of a sweep (inline CSS and SVG; no script, nothing fetched).
    ///
    /// With one axis, each chart has one line over that axis. With several, the axis with the
    /// most values is the horizontal axis and every combination of the others is a line.
    ///
    /// - Parameters:
    ///   - paths: the varied scenario paths (`--vary`), in grid order.
    ///   - points: per grid point, the value of each path.
    ///   - runs: per grid point, its run.
    ///   - scenarios: per grid point, its resolved scenario.
    ///   - marked: the points marked as the lowest mean total cost (`SweepJob.lowestCostPoints`:
    ///     none on an axis that is an assumption, ``AssumptionParameters``; with assumption axes
    ///     and others, one per combination of assumed values).
    ///   - language: English or Danish labels and number formats.
    ///   - tool: the tool that ran the sweep; when given, the footer names it and the resolved
    ///     scenario of the lowest-cost point is included (when exactly one point is marked).
    ///   - warnings: shown in a Warnings box under the header (the points' plausibility warnings
    ///     and an optimum at the edge of the grid).
    ///   - sources: the first point's ``ValueSource``s, and `overrides` (`--set`, `-n`, …), for the
    ///     key assumptions box, which shows the varied parameters with their grid values.
    /// - Returns: the document, well-formed XML (XHTML-compatible).
    public static func html(paths: [String], points: [[String]], runs: [AggregatedRun], scenarios: [Scenario], lowest: Int?,
                            language: ReportLanguage, tool: ToolInfo? = nil, warnings: [OutputWarning] = [],
                            sources: [ValueSource] = [], overrides: [String] = []) -> String {
        html(paths: paths, points: points, runs: runs, scenarios: scenarios, marked: lowest.map { [$0] } ?? [],
             language: language, tool: tool, warnings: warnings, sources: sources, overrides: overrides)
    }

    /// The report with the `marked` points (see above) as the lowest mean total cost.
    public static func html(paths: [String], points: [[String]], runs: [AggregatedRun], scenarios: [Scenario], marked: [Int],
                            language: ReportLanguage, tool: ToolInfo? = nil, warnings: [OutputWarning] = [],
                            sources: [ValueSource] = [], overrides: [String] = []) -> String {
        let marked = marked.filter { $0 < runs.count && $0 < points.count }
        let lowest = marked.count == 1 ? marked.first : nil
        let t = Localizer.strings(language)
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let base = scenarios.first
        let yearLabels = runs.first?.layout.yearLabels ?? []
        let replications = runs.first?.replications ?? 0
        var body = ""

        // Header
        let title = base?.name ?? "sagstal"
        let metaLine = [ReportParts.period(yearLabels),
                        base.map { "\(ReportParts.years($0.simulation.years, nf)) \(da ? "år" : "years")" } ?? "",
                        "\(nf.number(Double(points.count))) \(da ? "punkter" : "points") × \(nf.number(Double(replications))) \(t.replications.lowercased())",
                        base.map { "\(t.seed.lowercased()) \($0.simulation.seed)" } ?? ""].filter { !$0.isEmpty }.joined(separator: " · ")
        body += "<header class=\"report\"><p class=\"kicker\">sagstal · \(HTML.esc(t.sweepTitle))</p>"
        body += "<h1>\(HTML.esc(title))</h1><p class=\"meta\">\(HTML.esc(metaLine))</p>"
        body += "<p class=\"meta\">" + paths.enumerated().map { k, path in
            let values = orderedUnique(points.map { k < $0.count ? $0[k] : "" })
            let tag = AssumptionParameters.isAssumption(path) ? " <span class=\"tag\">\(HTML.esc(da ? "antagelse" : "assumption"))</span>" : ""
            return "<strong>\(HTML.esc(path))</strong>\(tag) = \(HTML.esc(values.map { displayValue($0, nf) }.joined(separator: ", ")))"
        }.joined(separator: "<br/>") + "</p></header>"
        body += WarningsBox.html(warnings, language: language)
        if let base {
            let varied = paths.enumerated().map { k, path in
                KeyAssumptions.Varied(path: path, values: orderedUnique(points.map { k < $0.count ? $0[k] : "" }))
            }
            body += AssumptionsBox.html(KeyAssumptions(scenarios: [base], names: [base.name], sources: [sources], overrides: overrides,
                                                       varied: varied), language: language)
        }

        // Summary
        body += "<section class=\"summary\"><h2>\(HTML.esc(t.summary))</h2>"
        body += "<p class=\"lead\">\(HTML.esc(summaryText(paths: paths, points: points, runs: runs, scenarios: scenarios, marked: marked, language: language)))</p>"
        if let k = lowest, k < runs.count {
            let at = (da ? "Laveste samlede udgift ved " : "Lowest total cost at ") + paths.joined(separator: ", ")
            var cards = [ReportParts.card(label: at, value: points[k].map { displayValue($0, nf) }.joined(separator: " · "), ci: nil)]
            for m in ["cost.total", "placementsStarted"] + caseloadMetrics(runs).prefix(1) {
                guard let s = runs[k].total(m) else { continue }
                cards.append(ReportParts.card(label: Localizer.metric(m, language), value: nf.value(s.mean, metric: m),
                                              ci: "\(t.ci95) \(nf.interval(s.ci95Lo, s.ci95Hi, metric: m))"))
            }
            body += ReportParts.cards(cards)
        }
        body += assumptionCaveat(paths: paths, language: language)
        let crn = da
            ? "Alle punkter er kørt med samme seed (fælles tilfældige tal), så forskelle mellem punkterne skyldes parametrene og ikke held – og de er mere præcist bestemt, end båndene om hvert punkt antyder."
            : "Every point runs with the same seed (common random numbers), so differences between points are due to the parameters, not to luck – and they are known more precisely than the bands around each point suggest."
        body += "<p class=\"caveat\">\(HTML.esc(crn))</p>"
        body += ReportParts.aboutNumbers(replications: replications, language: language) + "</section>"

        // Charts
        body += "<section class=\"page\"><h2>\(HTML.esc(da ? "Nøgletal mod parametrene" : "Key totals against the parameters"))</h2><div class=\"charts\">"
        body += charts(paths: paths, points: points, runs: runs, marked: marked, language: language).joined()
        body += "</div></section>"

        // Grid table
        body += "<section class=\"page\"><h2>\(HTML.esc(t.grid))</h2>"
        body += gridTable(paths: paths, points: points, runs: runs, marked: marked, language: language)
        body += "</section>"

        // Scenario (the first point; the varied values are in the grid)
        if let base {
            body += "<section class=\"page\"><h2>\(HTML.esc(t.scenario))</h2>"
            body += "<p class=\"caveat\">\(HTML.esc(da ? "Værdierne ved første punkt; de varierede parametre har værdierne i tabellen ovenfor." : "The values at the first point; the varied parameters take the values in the grid above."))</p>"
            body += ReportParts.scenarioSummary(base, language: language)
            if let tool, let k = lowest, k < scenarios.count {
                body += ReportParts.resolvedYAML(ScenarioEmitter.yaml(scenarios[k], toolVersion: tool.version), language: language,
                                                 title: "\(t.resolvedScenario): \(t.lowestCost) (\(pointText(paths, points[k], nf)))")
            }
            body += "</section>"
            if let tool {
                body += ReportParts.footer(tool: tool, seed: base.simulation.seed, replications: replications,
                                           events: runs.reduce(0) { $0 + $1.eventsProcessed }, language: language)
            }
        }
        return HTML.page(language: language, title: "\(title) – \(t.sweepTitle) – sagstal", body: body)
    }

    /// The caveat for varied parameters that are assumptions (``AssumptionParameters``), or "".
    static func assumptionCaveat(paths: [String], language: ReportLanguage) -> String {
        let assumed = paths.filter(AssumptionParameters.isAssumption)
        guard !assumed.isEmpty else { return "" }
        let da = language == .da
        var text = assumed.joined(separator: ", ") + ": " + ConsoleTable.assumptionNote(language, prefixed: false) + "."
        if assumed.count == paths.count {
            text += da ? " Derfor er intet punkt markeret som laveste udgift." : " So no point is marked as the lowest cost."
        } else {
            text += da ? " Den laveste udgift er derfor markeret for hver antagne værdi, over de øvrige parametre."
                       : " So the lowest cost is marked for each assumed value, over the other parameters."
        }
        return "<p class=\"caveat assumption\"><strong>\(HTML.esc(da ? "Antagelse" : "Assumption"))</strong>: \(HTML.esc(text))</p>"
    }

    /// Values in first-seen order, without repeats.
    static func orderedUnique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    /// A grid value for people: numbers in the language's format (`0,3`), other values as written.
    static func displayValue(_ v: String, _ nf: ReportNumberFormatter) -> String {
        guard let x = Double(v), x.isFinite else { return v }
        let decimals = v.split(separator: ".").dropFirst().first.map { min($0.count, 6) } ?? 0
        return v.contains("e") || v.contains("E") ? v : nf.number(x, decimals: decimals)
    }

    /// `teams.east.cap = 20, teams.west.cap = 25`.
    static func pointText(_ paths: [String], _ point: [String], _ nf: ReportNumberFormatter) -> String {
        zip(paths, point).map { "\($0) = \(displayValue($1, nf))" }.joined(separator: ", ")
    }

    static func summaryText(paths: [String], points: [[String]], runs: [AggregatedRun], scenarios: [Scenario], marked: [Int],
                            language: ReportLanguage) -> String {
        let lowest = marked.count == 1 ? marked.first : nil
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let t = Localizer.strings(language)
        let years = scenarios.first.map { ReportParts.years($0.simulation.years, nf) } ?? ""
        let replications = nf.number(Double(runs.first?.replications ?? 0))
        var sentences: [String] = []
        let pathList = paths.joined(separator: da ? " og " : " and ")
        sentences.append(da ? "Scenariet er kørt i \(nf.number(Double(points.count))) punkter af \(pathList) med \(replications) gentagelser i hvert."
                            : "The scenario ran at \(nf.number(Double(points.count))) points of \(pathList), with \(replications) replications each.")
        if let k = lowest, k < runs.count, let c = runs[k].total("cost.total") {
            var s = da ? "Den laveste gennemsnitlige samlede udgift over \(years) år er ved \(pointText(paths, points[k], nf)): \(nf.moneyShort(c.mean)) (\(t.ci95) \(nf.interval(c.ci95Lo, c.ci95Hi, metric: "cost.total")))"
                       : "The lowest mean total cost over \(years) years is at \(pointText(paths, points[k], nf)): \(nf.moneyShort(c.mean)) (\(t.ci95) \(nf.interval(c.ci95Lo, c.ci95Hi, metric: "cost.total")))"
            if let p = runs[k].total("placementsStarted")?.mean {
                s += da ? ", med \(nf.auto(p)) nye anbringelser" : ", with \(nf.auto(p)) placements started"
            }
            sentences.append(s + ".")
        } else if marked.count > 1 {
            // With assumption axes: the lowest cost for each combination of assumed values.
            let assumed = paths.indices.filter { AssumptionParameters.isAssumption(paths[$0]) }
            let others = paths.indices.filter { !assumed.contains($0) }
            let items = marked.map { k -> String in
                let given = assumed.map { "\(paths[$0]) = \(displayValue(points[k][$0], nf))" }.joined(separator: ", ")
                let at = others.map { "\(paths[$0]) = \(displayValue(points[k][$0], nf))" }.joined(separator: ", ")
                let cost = runs[k].total("cost.total").map { " (\(nf.moneyShort($0.mean)))" } ?? ""
                return da ? "med \(given): \(at)\(cost)" : "with \(given): \(at)\(cost)"
            }
            sentences.append((da ? "Den laveste gennemsnitlige samlede udgift over \(years) år for hver antagne værdi er " : "The lowest mean total cost over \(years) years for each assumed value is ")
                             + items.joined(separator: "; ") + ".")
        } else if paths.contains(where: AssumptionParameters.isAssumption) {
            sentences.append(da ? "Intet punkt er markeret som laveste udgift: alle varierede parametre er antagelser."
                                : "No point is marked as the lowest cost: every varied parameter is an assumption.")
        }
        func range(_ metric: String) -> (Double, Double)? {
            let means = runs.compactMap { $0.total(metric)?.mean }.filter(\.isFinite)
            guard let lo = means.min(), let hi = means.max() else { return nil }
            return (lo, hi)
        }
        if let c = range("cost.total"), let p = range("placementsStarted") {
            sentences.append(da
                ? "På tværs af punkterne ligger den samlede udgift mellem \(nf.moneyShort(c.0)) og \(nf.moneyShort(c.1)) og antallet af startede anbringelser mellem \(nf.auto(p.0)) og \(nf.auto(p.1))."
                : "Across the grid, total cost ranges from \(nf.moneyShort(c.0)) to \(nf.moneyShort(c.1)) and placements started from \(nf.auto(p.0)) to \(nf.auto(p.1)).")
        }
        return sentences.joined(separator: " ")
    }

    /// How the grid is drawn: the horizontal axis (index into paths) and its values, whether
    /// they are numbers, and the lines (combinations of the other axes) with their points.
    struct Plan {
        var xAxis: Int
        var xValues: [String]
        var numeric: Bool
        /// Per line: its name and, per x value, the point index (nil if the grid lacks it).
        var lines: [(name: String, points: [Int?])]
    }

    static func plan(paths: [String], points: [[String]], nf: ReportNumberFormatter) -> Plan {
        let axisValues = paths.indices.map { k in orderedUnique(points.map { k < $0.count ? $0[k] : "" }) }
        // The axis with the most values (first on ties) goes across — among the axes that are
        // not assumptions when there are both, so that each line is one assumed value and its
        // lowest point is the cheapest choice under that assumption.
        let choices = paths.indices.filter { !AssumptionParameters.isAssumption(paths[$0]) }
        let candidates = choices.isEmpty || choices.count == paths.count ? Array(paths.indices) : choices
        var xAxis = candidates.first ?? 0
        for k in candidates where axisValues[k].count > axisValues[xAxis].count { xAxis = k }
        let xValues = paths.isEmpty ? [] : axisValues[xAxis]
        let numeric = !xValues.isEmpty && xValues.allSatisfy { Double($0)?.isFinite == true }
        var lines: [(name: String, points: [Int?])] = []
        var lineIndex: [[String]: Int] = [:]
        for (i, point) in points.enumerated() {
            var others = point
            if xAxis < others.count { others.remove(at: xAxis) }
            let key = others
            if lineIndex[key] == nil {
                lineIndex[key] = lines.count
                let otherPaths = paths.enumerated().filter { $0.offset != xAxis }.map(\.element)
                let name = zip(otherPaths, others).map { "\($0) = \(displayValue($1, nf))" }.joined(separator: ", ")
                lines.append((name, Array(repeating: nil, count: xValues.count)))
            }
            if xAxis < point.count, let j = xValues.firstIndex(of: point[xAxis]) {
                lines[lineIndex[key]!].points[j] = i
            }
        }
        return Plan(xAxis: xAxis, xValues: xValues, numeric: numeric, lines: lines)
    }

    /// One chart per key metric against the varied parameter, with 95 % CI bands.
    static func charts(paths: [String], points: [[String]], runs: [AggregatedRun], marked: [Int], language: ReportLanguage) -> [String] {
        let t = Localizer.strings(language)
        let da = language == .da
        let nf = ReportNumberFormatter(language)
        guard !paths.isEmpty, !runs.isEmpty else { return [] }
        let plan = plan(paths: paths, points: points, nf: nf)
        let xs: [Double] = plan.numeric ? plan.xValues.map { Double($0)! } : plan.xValues.indices.map(Double.init)
        let ticks = plan.xValues.enumerated().map { SVGChart.Tick(xs[$0.offset], displayValue($0.element, nf)) }
        let xAxis = SVGChart.Axis(title: paths[plan.xAxis], formatter: nf, ticks: ticks)
        var figures: [String] = []
        for metric in ["cost.total", "placementsStarted"] + caseloadMetrics(runs).prefix(1) + ["overCapShare"] {
            let label = Localizer.metric(metric, language)
            let unit = Localizer.unit(of: metric)
            var divisor = 1.0
            var yAxis = SVGChart.Axis(title: label, formatter: nf)
            if unit == .money {
                let all = runs.flatMap { r in r.total(metric).map { [$0.ci95Lo, $0.ci95Hi] } ?? [] }
                let scale = ReportParts.moneyScale(ReportParts.maxAbs(all), language)
                divisor = scale.divisor
                yAxis = SVGChart.Axis(title: "\(label) (\(scale.unit))", formatter: nf, includeZero: false)
            } else if unit == .share {
                yAxis = SVGChart.Axis(title: label, formatter: nf, scale: 100, suffix: " %")
            } else {
                // Differences between points matter in a sweep: the axis need not reach zero.
                yAxis.includeZero = false
            }
            func stat(_ i: Int?, _ f: (MetricSummary) -> Double?) -> Double? {
                guard let i, i < runs.count, let s = runs[i].total(metric) else { return nil }
                return f(s).map { $0 / divisor }
            }
            let series = plan.lines.enumerated().map { k, line in
                SVGChart.LineSeries(name: plan.lines.count == 1 ? label : line.name, x: xs,
                                    y: line.points.map { stat($0, \.mean) },
                                    lower: line.points.map { stat($0, \.ci95Lo) }, upper: line.points.map { stat($0, \.ci95Hi) },
                                    colour: ReportParts.scenarioColour(k), dashed: k % 2 == 1 && plan.lines.count > 4, points: true)
            }
            var highlights: [SVGChart.PointMarker] = []
            if metric == "cost.total" {
                for k in marked {
                    guard let y = stat(k, \.mean), let line = plan.lines.first(where: { $0.points.contains(k) }),
                          let j = line.points.firstIndex(of: k) else { continue }
                    highlights.append(SVGChart.PointMarker(x: xs[j], y: y, label: marked.count == 1 ? t.lowestCost : ""))
                }
            }
            let caption = "\(label) \(t.against) \(paths[plan.xAxis])"
            var note: String? = nil
            if metric == "cost.total" && marked.count > 1 {
                note = da ? "Ringene viser den laveste samlede udgift for hver antagne værdi."
                          : "The rings mark the lowest total cost for each assumed value."
            } else if metric == "cost.total" && marked.isEmpty && paths.contains(where: AssumptionParameters.isAssumption) {
                note = da ? "Ingen laveste udgift er markeret: de varierede parametre er antagelser." : "No lowest cost is marked: the varied parameters are assumptions."
            }
            figures.append(HTML.figure(caption, SVGChart.lineChart(series: series, x: xAxis, y: yAxis, title: caption,
                                                                   bandLabel: t.band95, highlights: highlights), note: note))
        }
        return figures
    }

    /// The caseload in the scenario's own unit first: families (then children) when the caps
    /// count families, else children.
    static func caseloadMetrics(_ runs: [AggregatedRun]) -> [String] {
        runs.first?.total("caseloadFamiliesMean") != nil ? ["caseloadFamiliesMean", "caseloadMean"] : ["caseloadMean"]
    }

    /// Every grid point with its key totals; the marked points tagged, assumption axes headed so.
    static func gridTable(paths: [String], points: [[String]], runs: [AggregatedRun], marked: [Int], language: ReportLanguage) -> String {
        let da = language == .da
        let mixed = marked.count > 1 || paths.contains(where: AssumptionParameters.isAssumption)
        let t = Localizer.strings(language)
        let nf = ReportNumberFormatter(language)
        let metrics = caseloadMetrics(runs) + ["overCapShare", "placementsStarted", "placedChildYears", "cost.staff", "cost.total"]
        let units = metrics.map { m in ReportParts.tableUnit(m, runs.map { $0.total(m) }, language) }
        let costUnit = units[metrics.firstIndex(of: "cost.total")!]
        // A path may break after its dots (teams.rest.<wbr/>caseworkers) so that it does not widen the table.
        var header: [HTML.Cell] = [.text(t.point)] + paths.map {
            .raw(HTML.esc(AssumptionParameters.isAssumption($0) ? $0 + (da ? " (antagelse)" : " (assumption)") : $0)
                    .replacingOccurrences(of: ".", with: ".<wbr/>"), numeric: true)
        }
        // Beside families, the children column says it counts children.
        let children = metrics.contains("caseloadFamiliesMean") ? (da ? "Sagstal (børn)" : "Caseload (children)") : nil
        header += zip(metrics, units).map { m, u in
            if m == "caseloadMean", let children { return .num(children) }
            return .num(Localizer.shortMetric(m, language) + u.labelSuffix)
        }
        header += [.num("\(t.ci95), \(Localizer.shortMetric("cost.total", language).lowercased())\(costUnit.labelSuffix)"), .text("")]
        var rows: [[HTML.Cell]] = []
        var classes: [String?] = []
        for (k, (point, run)) in zip(points, runs).enumerated() {
            var row: [HTML.Cell] = [.text(String(k))]
            row += point.map { .num(displayValue($0, nf)) }
            row += zip(metrics, units).map { m, u in .num(u.value(run.total(m)?.mean)) }
            let c = run.total("cost.total")
            row.append(.num(costUnit.interval(c?.ci95Lo, c?.ci95Hi)))
            let tag = mixed ? t.lowestCost + (da ? " ved de antagne værdier" : " at the assumed values") : t.lowestCost
            row.append(marked.contains(k) ? .raw("<span class=\"tag\">\(HTML.esc(tag))</span>") : .text(""))
            rows.append(row)
            classes.append(marked.contains(k) ? "lowest" : nil)
        }
        return HTML.table(header: header, rows: rows, rowClasses: classes)
    }
}
