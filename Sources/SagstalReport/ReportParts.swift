import Foundation
import SagstalScenario
import SagstalStats

extension AggregatedRun {
    /// The totals statistics of a metric, if the run reports it.
    func total(_ metric: String) -> MetricSummary? {
        layout.totalsMetrics.firstIndex(of: metric).map { totals[$0] }
    }

    /// The yearly statistics of a period metric, one per budget year.
    func yearlySeries(_ metric: String) -> [MetricSummary]? {
        layout.periodMetrics.firstIndex(of: metric).map { i in yearly.map { $0[i] } }
    }

    /// The monthly statistics of a period metric, one per month.
    func monthlySeries(_ metric: String) -> [MetricSummary]? {
        layout.periodMetrics.firstIndex(of: metric).map { i in monthly.map { $0[i] } }
    }
}

/// Pieces shared by the three reports: colours, axes, tables, the scenario summary, the footer.
enum ReportParts {
    // MARK: Colours

    /// Ladder steps in Okabe–Ito hues ordered from cool (prevention) to warm (residential care):
    /// sky blue, bluish green, yellow, orange, vermillion, reddish purple, then grey tones.
    static let stepPalette = ["#56B4E9", "#009E73", "#F0E442", "#E69F00", "#D55E00", "#CC79A7", "#7F7F7F", "#B3B3B3"]
    /// Staff salaries (blue), recruitment (dark navy), assessments (grey), outreach (black-ish), one-off (light grey).
    static let staffColour = "#0072B2"
    static let recruitmentColour = "#12355B"
    static let assessmentColour = "#8C8C8C"
    static let outreachColour = "#3D3D3D"
    static let oneOffColour = "#C8C8C8"
    /// Waiting children: bluish green.
    static let waitingColour = "#009E73"
    /// Scenarios in comparisons: the baseline blue, alternatives vermillion, bluish green, purple, orange, …
    static let scenarioPalette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

    static func stepColour(_ index: Int) -> String { stepPalette[index % stepPalette.count] }
    static func scenarioColour(_ index: Int) -> String { scenarioPalette[index % scenarioPalette.count] }

    // MARK: Axes and scaling

    /// The unit amounts are shown in on an axis whose largest magnitude is `maxAbs`:
    /// (divisor, unit), e.g. (1e6, "mio. kr.") / (1e6, "million DKK").
    static func moneyScale(_ maxAbs: Double, _ language: ReportLanguage) -> (divisor: Double, unit: String) {
        let da = language == .da
        if maxAbs >= 2e9 { return (1e9, da ? "mia. kr." : "billion DKK") }
        if maxAbs >= 2e6 { return (1e6, da ? "mio. kr." : "million DKK") }
        if maxAbs >= 2e4 { return (1e3, da ? "1.000 kr." : "thousand DKK") }
        return (1, da ? "kr." : "DKK")
    }

    /// Largest finite magnitude among optional values.
    static func maxAbs(_ values: [Double?]) -> Double {
        values.compactMap { $0 }.filter(\.isFinite).map { Swift.abs($0) }.max() ?? 0
    }

    /// Ticks at the first month of each budget year, labelled with the year (every second or fifth
    /// year for long horizons is left to the chart's label thinning).
    static func monthTicks(_ labels: [String]) -> [SVGChart.Tick] {
        labels.enumerated().compactMap { i, label in
            label.hasSuffix("-01") || i == 0 ? SVGChart.Tick(Double(i), String(label.prefix(4))) : nil
        }
    }

    /// Ticks at each budget year (for yearly series drawn as lines).
    static func yearTicks(_ labels: [String]) -> [SVGChart.Tick] {
        labels.enumerated().map { SVGChart.Tick(Double($0.offset), $0.element) }
    }

    // MARK: Text

    /// "10" or "2.5" / "2,5".
    static func years(_ y: Double, _ nf: ReportNumberFormatter) -> String {
        y == y.rounded() ? nf.number(y) : nf.number(y, decimals: 1)
    }

    /// "2026–2035" from the budget-year labels.
    static func period(_ labels: [String]) -> String {
        guard let first = labels.first, let last = labels.last else { return "" }
        return first == last ? first : "\(first)–\(last)"
    }

    /// The display names of a scenario for labels: step id → name, `team:<id>` and `followUp:<id>` → name.
    static func stepNames(_ scenario: Scenario) -> [String: String] {
        Localizer.names(steps: scenario.ladder.map { ($0.id, $0.name) }, teams: scenario.teams.map { ($0.id, $0.name) },
                        followUps: scenario.followUps.map { ($0.id, $0.name) })
    }

    // MARK: Tables

    /// How a metric reads in a table: amounts in millions (or kroner) with the unit after the
    /// row's label and plain numbers in the cells, so that columns stay narrow; shares with "%".
    struct TableUnit {
        /// Appended to the label, e.g. " (mio. kr.)".
        var labelSuffix: String
        var divisor: Double
        /// Fixed decimals, or nil for decimals by size.
        var decimals: Int?
        var percent: Bool
        let nf: ReportNumberFormatter

        func value(_ x: Double?, sign: Bool = false) -> String {
            guard let x, x.isFinite else { return ReportNumberFormatter.missing }
            if percent { return nf.percent(x, sign: sign) }
            let v = x / divisor
            return decimals.map { nf.number(v, decimals: $0, sign: sign) } ?? nf.auto(v, sign: sign)
        }

        func interval(_ lo: Double?, _ hi: Double?, sign: Bool = false) -> String {
            guard let lo, let hi, lo.isFinite, hi.isFinite else { return ReportNumberFormatter.missing }
            if percent { return nf.number(lo * 100, decimals: 1, sign: sign) + " – " + value(hi, sign: sign) }
            return value(lo, sign: sign) + " – " + value(hi, sign: sign)
        }
    }

    /// The table unit of a metric whose values in the row reach `magnitude`.
    static func tableUnit(_ metric: String, magnitude: Double, _ language: ReportLanguage) -> TableUnit {
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        switch Localizer.unit(of: metric) {
        case .money:
            return magnitude >= 999_500
                ? TableUnit(labelSuffix: da ? " (mio. kr.)" : " (million DKK)", divisor: 1e6, decimals: 1, percent: false, nf: nf)
                : TableUnit(labelSuffix: da ? " (kr.)" : " (DKK)", divisor: 1, decimals: 0, percent: false, nf: nf)
        case .share:
            return TableUnit(labelSuffix: "", divisor: 1, decimals: nil, percent: true, nf: nf)
        default:
            return TableUnit(labelSuffix: "", divisor: 1, decimals: nil, percent: false, nf: nf)
        }
    }

    /// The table unit for a row of statistics (the largest mean decides).
    static func tableUnit(_ metric: String, _ stats: [MetricSummary?], _ language: ReportLanguage) -> TableUnit {
        tableUnit(metric, magnitude: maxAbs(stats.map { $0?.mean }), language)
    }

    /// The metrics of the key-totals tables, in reading order.
    static let keyMetrics = [
        "notifications", "casesOpened", "placementsStarted", "placedChildYears", "placedEnd", "waitDaysMean",
        "waitingMean", "deadlineBreaches", "caseloadMean", "caseloadFamiliesMean", "overCapShare", "caseworkersMean", "leavers",
        "transfers", "cost.staff", "cost.interventions", "cost.total", "cost.npv",
    ]

    /// `keyMetrics` with each follow-up's due, missed and missed share after the staff figures.
    static func keyMetrics(_ layout: MetricLayout) -> [String] {
        let followUps = layout.periodMetrics.filter { $0.hasPrefix("followUp.") }
        guard let i = keyMetrics.firstIndex(of: "cost.staff") else { return keyMetrics }
        return Array(keyMetrics[..<i]) + followUps + Array(keyMetrics[i...])
    }

    /// Per team: caseload (children, and families when counted so), share over cap, filled
    /// positions, children waiting, cases opened — the team's own view (MODEL.md §8 team metrics).
    static func teamTable(_ run: AggregatedRun, scenario: Scenario, language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let families = scenario.caseload.casesCountedAs == .families
        let c = scenario.caseload.childrenPerFamily
        var header: [HTML.Cell] = [.text(da ? "Team" : "Team"), .num(da ? "Sagstal (børn)" : "Caseload (children)")]
        if families { header.append(.num(da ? "Sagstal (familier)" : "Caseload (families)")) }
        header += [.num(da ? "Over loft" : "Over cap"), .num(da ? "Socialrådgivere" : "Caseworkers"),
                   .num(da ? "Børn der venter på en socialrådgiver" : "Children waiting"), .num(da ? "Oprettede sager" : "Cases opened")]
        let rows: [[HTML.Cell]] = scenario.teams.map { team in
            func mean(_ m: String) -> Double? { run.total("team.\(team.id).\(m)")?.mean }
            var row: [HTML.Cell] = [.text(team.name), .num(nf.auto(mean("caseloadMean")))]
            if families { row.append(.num(nf.auto(mean("caseloadMean").map { $0 / c }))) }
            row += [.num(mean("overCapShare").map { nf.percent($0) } ?? "–"), .num(nf.auto(mean("caseworkersMean"))),
                    .num(nf.auto(mean("waitingMean"))), .num(nf.auto(mean("casesOpened")))]
            return row
        }
        return "<h3>\(HTML.esc(da ? "Teams (gennemsnit over perioden)" : "Teams (means over the horizon)"))</h3>"
            + HTML.table(header: header, rows: rows)
    }

    /// Key totals of one run: mean, 95 % CI, P5–P95.
    static func keyTotalsTable(_ run: AggregatedRun, stepNames: [String: String], language: ReportLanguage) -> String {
        let t = Localizer.strings(language)
        var rows: [[HTML.Cell]] = []
        var classes: [String?] = []
        for m in keyMetrics(run.layout) {
            guard let s = run.total(m) else { continue }
            if m == "transfers" && s.mean == 0 { continue }   // no age bands, or nobody crossed one
            let u = tableUnit(m, [s], language)
            rows.append([.text(Localizer.metric(m, language, stepNames: stepNames) + u.labelSuffix),
                         .num(u.value(s.mean)), .num(u.interval(s.ci95Lo, s.ci95Hi)), .num(u.interval(s.p5, s.p95))])
            classes.append(m == "cost.total" ? "total" : nil)
        }
        return HTML.table(header: [.text(t.metricHeading), .num(t.mean), .num(t.ci95), .num(t.p5p95)], rows: rows,
                          rowClasses: classes)
    }

    /// A row of key-figure cards (three or four to a row on a laptop).
    static func cards(_ cards: [String]) -> String {
        "<div class=\"cards n\(cards.count)\">" + cards.joined() + "</div>"
    }

    /// A key figure in a card: label, value, and the 95 % CI under it.
    /// (The one card builder is ``CardTrends/card(label:value:verdict:ci:trend:sparkline:metric:more:)``.)
    static func card(label: String, value: String, ci: String?) -> String {
        CardTrends.card(label: label, value: value, ci: ci)
    }

    /// The scenario in a planner's terms: facts, teams, staff, ladder, planned changes, one-off costs.
    /// - Parameter run: the scenario's run, when there is one: the ladder table then shows how
    ///   long children stay on each step and in placement, from the run (Little's law).
    static func scenarioSummary(_ scenario: Scenario, language: ReportLanguage, heading: String? = nil, run: AggregatedRun? = nil) -> String {
        let nf = ReportNumberFormatter(language)
        let t = Localizer.strings(language)
        let da = language == .da
        var out = heading.map { "<h3>\(HTML.esc($0))</h3>" } ?? ""
        let sim = scenario.simulation
        let totalCaseworkers = scenario.teams.reduce(0) { $0 + $1.caseworkers }
        let unit = scenario.caseload.casesCountedAs == .families ? (da ? "familier" : "families") : (da ? "børn" : "children")
        var facts: [(String, String)] = [
            (t.start, sim.start.description),
            (t.horizon, "\(years(sim.years, nf)) \(da ? "år" : "years")"),
            (t.replications, nf.number(Double(sim.replications))),
            (t.seed, String(sim.seed)),
            (t.notificationsPerYear, nf.number(scenario.notifications.perYear)
                + (scenario.notifications.growthPerYear != 0
                   ? (da ? ", vækst " : ", growth ") + nf.percentCompact(scenario.notifications.growthPerYear, sign: true) + (da ? " pr. år" : " per year") : "")),
            (t.caseloadReference, "\(nf.compact(scenario.caseload.reference)) \(unit)"),
            (t.caseworkers, nf.number(Double(totalCaseworkers))),
            (t.staffSalary, nf.money(scenario.staff.costPerYear)),
            (t.staffCostAllFilled, nf.moneyShort(Double(totalCaseworkers) * scenario.staff.costPerYear)),
            (t.recruitmentCost, nf.money(scenario.staff.recruitmentCost)),
            (t.turnover, nf.percentCompact(scenario.staff.turnover.perYear)),
        ]
        if let o = scenario.outreach, o.slots > 0, o.reach > 0 {
            facts.append((da ? "Fremskudt indsats" : "Outreach",
                          da ? "\(nf.compact(o.workers)) medarbejder(e), når \(nf.percentCompact(o.reach)) af nye børn, løser \(nf.percentCompact(o.resolves))"
                             : "\(nf.compact(o.workers)) worker(s), reaches \(nf.percentCompact(o.reach)) of new children, resolves \(nf.percentCompact(o.resolves))"))
        }
        out += "<dl class=\"facts\">" + facts.map { "<dt>\(HTML.esc($0.0))</dt><dd>\(HTML.esc($0.1))</dd>" }.joined() + "</dl>"

        out += "<div class=\"tables\">"
        // Teams
        let teamRows: [[HTML.Cell]] = scenario.teams.map { team in
            let band = team.band(ageOut: scenario.children.ageOut)
            return [.text(team.name), .num("\(nf.compact(band.min))–\(nf.compact(band.max))"), .num(nf.number(Double(team.caseworkers))),
                    .num("\(nf.compact(team.cap)) \(unit)"), .text(team.policy == .overflow ? t.overflow : t.waitlist),
                    .num(nf.compact(team.share))]
        }
        out += HTML.table(header: [.text(t.team), .num(da ? "Alder (år)" : "Ages (years)"), .num(t.caseworkers), .num(t.cap),
                                   .text(t.policy), .num(da ? "Andel (inden for aldersgruppen)" : "Share (within its ages)")],
                          rows: teamRows)
        // Ladder. A step's `duration` is one sojourn: the time to its next decision (up, down,
        // stay, exit), not how long a child stays on the step or in care; those come from the run:
        // child-days on the step per entry, and placed child-days per placement started (Little's
        // law over the horizon, exact in a steady state).
        func total(_ metric: String) -> Double? {
            guard let run, let i = run.layout.totalsMetrics.firstIndex(of: metric) else { return nil }
            return run.totals[i].mean
        }
        func perEntry(_ years: Double?, _ entries: Double?) -> Double? {
            guard let years, let entries, entries > 0 else { return nil }
            return years * 365.25 / entries
        }
        let ladderRows: [[HTML.Cell]] = scenario.ladder.map { step in
            var row: [HTML.Cell] = [.text(step.name == step.id ? step.id : "\(step.name) (\(step.id))"), .num(nf.money(step.costPerYear)),
                                    .num(step.duration.meanValue.map { nf.number($0) } ?? "–")]
            if run != nil {
                row.append(.num(perEntry(total("step.\(step.id).childYears"), total("step.\(step.id).entries")).map { nf.number($0) } ?? "–"))
            }
            return row + [.text(step.placement ? t.yes : t.no)]
        }
        var ladderHeader: [HTML.Cell] = [.text(t.ladderStep), .num(t.costPerYear),
                                         .num(da ? "Gns. ophold til næste beslutning (dage)" : "Mean sojourn to the next decision (days)")]
        if run != nil { ladderHeader.append(.num(da ? "Gns. tid på trinnet pr. indgang (dage, kørslen)" : "Mean time on the step per entry (days, from the run)")) }
        out += HTML.table(header: ladderHeader + [.text(t.placement)], rows: ladderRows)
        if let length = perEntry(total("placedChildYears"), total("placementsStarted")) {
            out += "<p class=\"note\">" + HTML.esc(da
                ? "En anbringelse varer i gennemsnit \(nf.number(length)) dage fra start til barnet forlader anbringelse (helårsanbringelser / nye anbringelser i kørslen, Littles lov; flytninger mellem anbringelsesformer tæller med i samme anbringelse)."
                : "A placement lasts \(nf.number(length)) days on average from its start until the child leaves care (placed child-years / placements started in the run, Little's law; moves between placement steps stay within one placement).") + "</p>"
        }
        // A case: from opening to closing (or ageing out), by Little's law on the mean of the
        // end-of-month open cases over the horizon (a monthly snapshot, not a time integral).
        if let run, let monthly = run.monthlySeries("openCasesEnd"), !monthly.isEmpty,
           let opened = total("casesOpened"), opened > 0 {
            let means = monthly.compactMap(\.mean)
            let horizonDays = Double(run.layout.yearLabels.count) * 365.25
            if means.count == monthly.count {
                let length = means.reduce(0, +) / Double(means.count) * horizonDays / opened
                out += "<p class=\"note\">" + HTML.esc(da
                    ? "En sag er i gennemsnit åben i \(nf.number(length)) dage fra den oprettes til den lukkes eller barnet fylder \(nf.compact(scenario.children.ageOut)) (åbne sager i gennemsnit ved månedens udgang × periodens dage / oprettede sager, Littles lov)."
                    : "A case is open for \(nf.number(length)) days on average from opening until it closes or the child turns \(nf.compact(scenario.children.ageOut)) (mean open cases at the end of each month × days of the horizon / cases opened, Little's law).") + "</p>"
            }
        }
        // Follow-ups
        if !scenario.followUps.isEmpty {
            let stepName = Dictionary(scenario.ladder.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let rows: [[HTML.Cell]] = scenario.followUps.map { f in
                [.text(f.name), .text(f.steps.map { stepName[$0] ?? $0 }.joined(separator: ", ")),
                 .num(nf.compact(f.everyDays)), .num(nf.compact(f.elasticity))]
            }
            out += HTML.table(header: [.text(da ? "Lovpligtig opfølgning" : "Statutory follow-up"), .text(da ? "På trin" : "On steps"),
                                       .num(da ? "Hver (dage)" : "Every (days)"), .num(da ? "Elasticitet" : "Elasticity")], rows: rows)
        }
        out += "</div>"
        // Planned changes and one-off costs
        var items: [String] = []
        for c in scenario.staff.changes {
            var what: [String] = []
            switch c.caseworkers {
            case .set(let n)?: what.append(da ? "\(n) socialrådgivere" : "\(n) caseworkers")
            case .relative(let n)?: what.append((n >= 0 ? "+\(n)" : "\(n)") + (da ? " socialrådgivere" : " caseworkers"))
            case nil: break
            }
            if let cap = c.cap { what.append((da ? "sagsloft " : "cap ") + nf.compact(cap)) }
            if let m = c.method {
                let parts = [("escalate", m.escalate), ("deescalate", m.deescalate), ("close", m.close), ("duration", m.duration)]
                    .compactMap { k, v in v.map { "\(k) × \(nf.compact($0))" } }
                what.append((da ? "metode: " : "method: ") + parts.joined(separator: ", "))
            }
            if let share = c.share { what.append((da ? "andel " : "share ") + nf.compact(share)) }
            let teamName = scenario.teams.first { $0.id == c.team }?.name ?? c.team
            items.append("\(c.at) · \(teamName): \(what.joined(separator: ", "))")
        }
        for o in scenario.costs.oneOff {
            items.append("\(o.at) · \(o.label.isEmpty ? (da ? "engangsudgift" : "one-off cost") : o.label): \(nf.money(o.amount))")
        }
        if !items.isEmpty {
            out += "<h3>\(HTML.esc(t.plannedChanges + (scenario.costs.oneOff.isEmpty ? "" : (da ? " og engangsudgifter" : " and one-off costs"))))</h3><ul>"
            out += items.map { "<li>\(HTML.esc($0))</li>" }.joined() + "</ul>"
        }
        return out
    }

    /// The resolved scenario in a closed `<details>` block, escaped.
    static func resolvedYAML(_ yaml: String, language: ReportLanguage, title: String? = nil) -> String {
        "<details><summary>\(HTML.esc(title ?? Localizer.strings(language).resolvedScenario))</summary><pre>\(HTML.esc(yaml))</pre></details>"
    }

    /// How to read the numbers.
    static func aboutNumbers(replications: Int, language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let t = Localizer.strings(language)
        let n = nf.number(Double(replications))
        let text = language == .da
            ? "Hvert tal er et gennemsnit over \(n) gentagelser af de simulerede år med forskellige tilfældige udfald. 95 %-KI er konfidensintervallet for gennemsnittet (hvor sikkert gennemsnittet er bestemt); P5–P95 er spændet, som 90 % af gentagelserne ligger inden for (hvor meget ét enkelt forløb kan svinge). Tallene er modelresultater under scenariets antagelser – ikke prognoser."
            : "Every number is a mean over \(n) replications of the simulated years with different random draws. The 95 % CI is the confidence interval of that mean (how precisely the mean is known); P5–P95 is the range 90 % of the replications fall in (how much a single future can vary). These are model results under the scenario's assumptions, not forecasts."
        return "<p class=\"caveat\"><strong>\(HTML.esc(t.aboutNumbers)):</strong> \(HTML.esc(text))</p>"
    }

    /// The footer: tool, GSL, generator, seed, replications, events.
    static func footer(tool: ToolInfo, seed: UInt64, replications: Int, events: Int?, language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let t = Localizer.strings(language)
        var parts = ["\(t.madeWith) \(tool.name) \(tool.version)", "GSL \(tool.gslVersion) (\(tool.generator); \(tool.entityGenerator) per child and position)",
                     "\(t.seed.lowercased()) \(seed)", "\(nf.number(Double(replications))) \(t.replications.lowercased())"]
        if let events { parts.append("\(nf.number(Double(events))) \(t.events)") }
        return "<footer>\(HTML.esc(parts.joined(separator: " · ")))</footer>"
    }
}

/// The display names of a scenario (steps, teams, follow-ups) for labels on the console and in
/// reports: see ``Localizer/names(steps:teams:followUps:)``.
public enum ScenarioNames {
    public static func of(_ scenario: Scenario) -> [String: String] { ReportParts.stepNames(scenario) }

    /// The names of several scenarios merged (the first scenario's name wins for a shared id).
    public static func of(_ scenarios: [Scenario]) -> [String: String] {
        var out: [String: String] = [:]
        for s in scenarios { out.merge(ReportParts.stepNames(s)) { a, _ in a } }
        return out
    }
}
