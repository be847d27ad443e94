import Foundation
import SagstalOptimise
import SagstalScenario
import SagstalStats

/// What the outputs of `sagstal optimise` show: the problem, the procedure's result and the
/// facts of the run.
public struct OptimiseSummary: Sendable {
    /// The scenario file as given.
    public var scenarioFile: String
    /// The scenario without the grid's values.
    public var scenario: Scenario
    /// The chosen configuration's resolved scenario.
    public var chosenScenario: Scenario?
    public var grid: StaffingGrid
    public var objective: String
    /// δ is the default (one caseworker's salary over the horizon).
    public var deltaIsDefault: Bool
    public var result: SelectionResult
    public var tool: ToolInfo
    /// Events of the replications used.
    public var eventsUsed: Int
    public var warnings: [OutputWarning]
    public var notes: [String]

    public init(scenarioFile: String, scenario: Scenario, chosenScenario: Scenario?, grid: StaffingGrid, objective: String,
                deltaIsDefault: Bool, result: SelectionResult, tool: ToolInfo, eventsUsed: Int,
                warnings: [OutputWarning] = [], notes: [String] = []) {
        self.scenarioFile = scenarioFile
        self.scenario = scenario
        self.chosenScenario = chosenScenario
        self.grid = grid
        self.objective = objective
        self.deltaIsDefault = deltaIsDefault
        self.result = result
        self.tool = tool
        self.eventsUsed = eventsUsed
        self.warnings = warnings
        self.notes = notes
    }

    var chosen: Int? { result.outcome.chosen }
    var maxN: Int { result.settings.maxReplications }
}

/// Texts, the console summary and `report.html` of `sagstal optimise`.
public enum OptimiseReport {
    // MARK: Shared texts

    /// `80 caseworkers, cap 35` (the cap in brackets when it is not varied).
    public static func point(_ s: OptimiseSummary, _ i: Int, _ language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let p = s.grid.point(i)
        let da = language == .da
        let cw = SweepReport.displayValue(p.caseworkers, nf), cap = SweepReport.displayValue(p.cap, nf)
        if s.grid.capVaried { return da ? "\(cw) socialrådgivere, loft \(cap)" : "\(cw) caseworkers, cap \(cap)" }
        return da ? "\(cw) socialrådgivere (loft \(cap))" : "\(cw) caseworkers (cap \(cap))"
    }

    /// The short status of a configuration (tables): `chosen`, `eliminated at 12`, `infeasible at 10`, …
    public static func shortStatus(_ s: OptimiseSummary, _ i: Int, _ language: ReportLanguage) -> String {
        let da = language == .da
        switch s.result.configurations[i].status {
        case .contending: return da ? "i spil" : "contending"
        case .chosen: return s.result.outcome.kind == .selected ? (da ? "valgt" : "chosen") : (da ? "bedste bud" : "best guess")
        case .eliminated(let r, _): return da ? "udelukket ved \(r)" : "eliminated at \(r)"
        case .infeasible(let r, _): return da ? "uopfyldt ved \(r)" : "infeasible at \(r)"
        case .tied(let r, _): return da ? "lige god ved \(r)" : "tied at \(r)"
        case .stopped: return da ? "uafgjort" : "undecided"
        }
    }

    /// The status with who eliminated it or which constraint failed: `eliminated at 18 (by 7 · 40)`.
    static func mediumStatus(_ s: OptimiseSummary, _ i: Int, _ language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let short = shortStatus(s, i, language)
        func at(_ j: Int) -> String {
            let p = s.grid.point(j)
            return "\(SweepReport.displayValue(p.caseworkers, nf)) · \(SweepReport.displayValue(p.cap, nf))"
        }
        switch s.result.configurations[i].status {
        case .eliminated(_, let by): return "\(short) (\(language == .da ? "af" : "by") \(at(by)))"
        case .tied(_, let with): return "\(short) (\(language == .da ? "med" : "with") \(at(with)))"
        case .infeasible(_, let m): return "\(short) (\(s.result.constraints[m].metric))"
        default: return short
        }
    }

    /// Why a configuration stands where it does, in a sentence (JSON `reason`, CSV, the report).
    public static func statusText(_ s: OptimiseSummary, _ i: Int, _ language: ReportLanguage) -> String {
        let da = language == .da
        let c = s.result.configurations[i]
        switch c.status {
        case .contending:
            return da ? "stadig i spil" : "still contending"
        case .chosen(let r):
            if s.result.outcome.kind == .selected {
                return da ? "valgt ved trin \(r)" : "chosen at stage \(r)"
            }
            return da ? "bedste bud, da maksimum på \(s.maxN) gentagelser blev nået (ingen garanti)"
                      : "best guess when the maximum of \(s.maxN) replications was reached (no guarantee)"
        case .eliminated(let r, let by):
            return da ? "udelukket ved trin \(r): middelværdien af \(s.objective) er mere end KN's grænse W over \(point(s, by, language)) (opfylder kravene)"
                      : "eliminated at stage \(r): mean \(s.objective) more than KN's bound W above \(point(s, by, language)) (declared feasible)"
        case .infeasible(let r, let m):
            let text = s.result.constraints[m].text
            return da ? "opfylder ikke \(text): afgjort ved trin \(r) (F_B)" : "infeasible: \(text) declared violated at stage \(r) (F_B)"
        case .tied(let r, let with):
            return da ? "samme gennemsnit som \(point(s, with, language)) ved KN's sidste trin \(r); det første gitterpunkt blev valgt"
                      : "same sample mean as \(point(s, with, language)) at KN's last stage \(r); the earlier grid point was chosen"
        case .stopped(let r):
            return da ? "stadig i spil ved maksimum (\(r) gentagelser)" : "still contending at the maximum (\(r) replications)"
        }
    }

    /// The decision on a constraint: `feasible at 14`, `violated at 10`, `open`.
    static func decisionText(_ d: ConstraintDecision, _ language: ReportLanguage) -> String {
        let da = language == .da
        switch d {
        case .open: return da ? "uafgjort" : "undecided"
        case .satisfied(let r): return da ? "afgjort opfyldt (trin \(r))" : "satisfied (stage \(r))"
        case .violated(let r): return da ? "afgjort ikke opfyldt (trin \(r))" : "violated (stage \(r))"
        }
    }

    /// The statement of what the result guarantees.
    public static func guaranteeText(_ s: OptimiseSummary, _ language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let r = s.result
        let pcs = nf.percentCompact(1 - r.settings.alpha)
        let delta = nf.value(r.settings.delta, metric: s.objective, short: false)
        let objective = Localizer.metric(s.objective, language).lowercased()
        switch r.outcome.kind {
        case .selected:
            let feasible = r.constraints.isEmpty ? "" : (da ? " blandt dem, der opfylder kravene" : " among those that meet the constraints")
            return da
                ? "P(korrekt valg) ≥ \(pcs): med mindst \(pcs) sandsynlighed har det valgte punkt den laveste forventede \(objective)\(feasible) — eller ligger inden for δ = \(delta) af den laveste (indifferenszonen). Garantien gælder under KN's antagelse om normalfordelte resultater (Kim & Nelson 2001; kravene efter Andradóttir & Kim 2010)."
                : "P(correct selection) ≥ \(pcs): with probability at least \(pcs) the chosen configuration has the lowest expected \(objective)\(feasible), or one within δ = \(delta) of the lowest (the indifference zone). The guarantee assumes normal outputs, as KN does (Kim & Nelson 2001; constraints as in Andradóttir & Kim 2010)."
        case .noFeasible:
            return da
                ? "Intet punkt i gitteret opfylder kravene: alle blev afgjort som ikke-opfyldte (samlet fejlrisiko for afgørelserne ≤ \(nf.percentCompact(r.alphaFeasibility))). Udvid gitteret eller løsn et krav; estimaterne nedenfor viser, hvor langt hvert punkt er fra tærsklerne."
                : "No configuration of the grid meets the constraints: every one was declared infeasible (all feasibility decisions together wrong with probability ≤ \(nf.percentCompact(r.alphaFeasibility))). Extend the grid or relax a constraint; the estimates below show how far each configuration is from its thresholds."
        case .maximumReached:
            return da
                ? "Stoppet ved maksimum på \(nf.number(Double(s.maxN))) gentagelser pr. punkt, før proceduren kunne afgøre valget: ingen garanti for korrekt valg. Hæv --max-replications eller brug en større --delta."
                : "Stopped at the maximum of \(nf.number(Double(s.maxN))) replications per configuration before the procedure could decide: no guarantee of a correct selection. Raise --max-replications or use a larger --delta."
        }
    }

    /// `1,240 replications instead of 9,300 for the full grid at 300 each (87 % fewer)`.
    public static func savingText(_ s: OptimiseSummary, _ language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let used = s.result.replicationsUsed, full = s.result.fullGridReplications
        let saving = full > 0 ? nf.number(100 * (1 - Double(used) / Double(full))) + " %" : "–"
        return language == .da
            ? "\(nf.number(Double(used))) gentagelser i stedet for \(nf.number(Double(full))) for hele gitteret med \(nf.number(Double(s.maxN))) hver (\(saving) færre)"
            : "\(nf.number(Double(used))) replications instead of \(nf.number(Double(full))) for the full grid at \(nf.number(Double(s.maxN))) each (\(saving) fewer)"
    }

    /// `overCapShare <= 0.1 (tolerance 0.01)`.
    static func constraintText(_ c: MeanConstraint, _ language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let tol = nf.compact(c.tolerance, maxDecimals: 6) + (c.toleranceGiven ? "" : (da ? ", standard" : ", default"))
        return "\(c.metric) \(c.sense.rawValue) \(nf.compact(c.threshold, maxDecimals: 6)) (\(da ? "tolerance" : "tolerance") \(tol))"
    }

    /// A metric value on the console: full digits for money, percentages for shares.
    static func consoleValue(_ x: Double?, _ metric: String, _ language: ReportLanguage) -> String {
        ConsoleTable.format(x, metric: metric, language: language) + (Localizer.unit(of: metric) == .money && x?.isFinite == true ? (language == .da ? " kr." : " DKK") : "")
    }

    static func consoleSigned(_ x: Double, _ metric: String, _ language: ReportLanguage, unit: Bool = true) -> String {
        let s = unit ? consoleValue(x, metric, language) : ConsoleTable.format(x, metric: metric, language: language)
        return x > 0 && !s.hasPrefix("+") ? "+" + s : s
    }

    // MARK: Console

    /// The console summary: the problem, the choice with its objective and constraint estimates,
    /// the guarantee, the runner-up, the replications saved, and the configurations.
    public static func console(_ s: OptimiseSummary, language: ReportLanguage = .en, colour: Bool = false) -> String {
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let r = s.result
        let sim = s.scenario.simulation
        var lines: [String] = []
        let axes = s.grid.capVaried
            ? (da ? "\(s.grid.caseworkers.count) bemandinger × \(s.grid.caps.count) lofter" : "\(s.grid.caseworkers.count) caseworker counts × \(s.grid.caps.count) caps")
            : (da ? "\(s.grid.caseworkers.count) bemandinger" : "\(s.grid.caseworkers.count) caseworker counts")
        lines.append(da
            ? "Optimering af team \(s.grid.team) over \(axes) = \(s.grid.count) punkter, seed \(sim.seed), \(OptimiseText.years(sim.years)) år (fælles tilfældige tal)"
            : "Optimisation of team \(s.grid.team) over \(axes) = \(s.grid.count) configurations, seed \(sim.seed), \(OptimiseText.years(sim.years)) years (common random numbers)")
        let deltaNote = s.deltaIsDefault ? (da ? " (én socialrådgivers løn over perioden)" : " (one caseworker's salary over the horizon)") : ""
        lines.append(da
            ? "Mål: minimér \(s.objective); δ = \(consoleValue(r.settings.delta, s.objective, language))\(deltaNote), α = \(nf.compact(r.settings.alpha)) (krav \(nf.compact(r.alphaFeasibility, maxDecimals: 4)), valg \(nf.compact(r.alphaSelection, maxDecimals: 4))), n0 = \(r.settings.n0), højst \(nf.number(Double(s.maxN))) gentagelser pr. punkt"
            : "Objective: minimise \(s.objective); δ = \(consoleValue(r.settings.delta, s.objective, language))\(deltaNote), α = \(nf.compact(r.settings.alpha)) (feasibility \(nf.compact(r.alphaFeasibility, maxDecimals: 4)), selection \(nf.compact(r.alphaSelection, maxDecimals: 4))), n0 = \(r.settings.n0), at most \(nf.number(Double(s.maxN))) replications each")
        if !r.constraints.isEmpty {
            lines.append((da ? "Krav: " : "Constraints: ") + r.constraints.map { constraintText($0, language) }.joined(separator: ", "))
        }
        lines.append("")
        if let c = s.chosen {
            let cr = r.configurations[c]
            let head = r.outcome.kind == .selected ? (da ? "Valgt" : "Chosen") : (da ? "Bedste bud (ingen garanti)" : "Best guess (no guarantee)")
            lines.append("\(head): \(point(s, c, language)), \(cr.replications) \(da ? "gentagelser" : "replications")")
            let ci = da ? "95 %-KI" : "95 % CI"
            var rows: [(String, String)] = [(s.objective, "\(consoleValue(cr.objective.mean, s.objective, language)) (\(ci) \(ConsoleTable.format(cr.objective.ci95Lo, metric: s.objective, language: language)) – \(consoleValue(cr.objective.ci95Hi, s.objective, language)))")]
            for (m, con) in r.constraints.enumerated() {
                let e = cr.constraints[m]
                let p = nf.percent(e.probability, decimals: 0)
                rows.append(("\(con.metric) \(con.sense.rawValue) \(nf.compact(con.threshold, maxDecimals: 6))",
                             "\(consoleValue(e.mean, con.metric, language)) (\(ci) \(consoleValue(e.ci95Lo, con.metric, language)) – \(consoleValue(e.ci95Hi, con.metric, language))), "
                             + (da ? "opfyldt i \(p) af gentagelserne; \(decisionText(e.decision, language))"
                                   : "held in \(p) of replications; \(decisionText(e.decision, language))")))
            }
            let width = rows.map(\.0.count).max() ?? 0
            for (label, text) in rows { lines.append("  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + text) }
        }
        lines.append(guaranteeText(s, language))
        if let g = r.runnerUp {
            lines.append(da
                ? "Nummer to: \(point(s, g.other, language)), \(consoleSigned(g.mean, s.objective, language)) (parret 95 %-KI \(consoleSigned(g.ci95Lo, s.objective, language, unit: false)) – \(consoleSigned(g.ci95Hi, s.objective, language))) over \(g.replications) fælles gentagelser"
                + (g.mean < r.settings.delta ? "; mindre end δ, praktisk talt lige så godt" : "")
                : "Runner-up: \(point(s, g.other, language)), \(consoleSigned(g.mean, s.objective, language)) (paired 95 % CI \(consoleSigned(g.ci95Lo, s.objective, language, unit: false)) – \(consoleSigned(g.ci95Hi, s.objective, language))) over \(g.replications) common replications"
                + (g.mean < r.settings.delta ? "; less than δ, practically as good" : ""))
        }
        lines.append((da ? "Gentagelser: " : "Replications: ") + savingText(s, language)
                     + (da ? "; afgjort ved trin \(r.outcome.stage)" : "; ended at stage \(r.outcome.stage)"))
        lines.append("")
        lines.append(configurationTable(s, language: language, colour: colour))
        return lines.joined(separator: "\n")
    }

    /// The configurations on the console; with more than 30, the chosen, the runner-up, the 10
    /// lowest means of those not declared infeasible and the 5 lowest of those that are (the rest
    /// are in optimise.csv).
    static func configurationTable(_ s: OptimiseSummary, language: ReportLanguage, colour: Bool) -> String {
        let da = language == .da
        let nf = ReportNumberFormatter(language)
        let r = s.result
        let hasGaps = s.chosen != nil
        var header = [da ? "socialrådgivere" : "caseworkers", da ? "loft" : "cap", "n", s.objective]
        if hasGaps { header += [da ? "mod valgt (parret)" : "vs chosen (paired)", da ? "95 %-KI" : "95 % CI"] }
        for c in r.constraints { header += [c.metric, "P(\(c.sense.rawValue)\(nf.compact(c.threshold, maxDecimals: 6)))"] }
        header.append("status")
        var shown = Array(r.configurations.indices)
        var omitted = 0
        if shown.count > 30 {
            let byMean = shown.filter { r.configurations[$0].objective.mean != nil }
                .sorted { (r.configurations[$0].objective.mean!, $0) < (r.configurations[$1].objective.mean!, $1) }
            func infeasible(_ i: Int) -> Bool {
                if case .infeasible = r.configurations[i].status { return true }
                return false
            }
            var keep = Set(byMean.filter { !infeasible($0) }.prefix(10))
            keep.formUnion(byMean.filter(infeasible).prefix(5))
            if let c = s.chosen { keep.insert(c) }
            if let g = r.runnerUp { keep.insert(g.other) }
            omitted = shown.count - keep.count
            shown = shown.filter(keep.contains)
        }
        var rows = [header]
        for i in shown {
            let c = r.configurations[i]
            let p = s.grid.point(i)
            var row = [p.caseworkers, p.cap, String(c.replications), ConsoleTable.format(c.objective.mean, metric: s.objective, language: language)]
            if hasGaps {
                if let g = r.gapsToChosen[i] {
                    row += [consoleSigned(g.mean, s.objective, language, unit: false),
                            "\(consoleSigned(g.ci95Lo, s.objective, language, unit: false)) – \(consoleSigned(g.ci95Hi, s.objective, language, unit: false))"]
                } else {
                    row += ["", ""]
                }
            }
            for (m, con) in r.constraints.enumerated() {
                row += [ConsoleTable.format(c.constraints[m].mean, metric: con.metric, language: language),
                        nf.percent(c.constraints[m].probability, decimals: 0)]
            }
            var status = shortStatus(s, i, language)
            if i == r.runnerUp?.other { status += da ? " (nummer to)" : " (runner-up)" }
            row.append(i == s.chosen ? "◀ " + status : status)
            rows.append(row)
        }
        var out = ConsoleTable.render(rows, colour: colour)
        if omitted > 0 {
            out += "\n" + (da ? "… og \(omitted) punkter mere i optimise.csv" : "… and \(omitted) more configurations in optimise.csv")
        }
        return out
    }

    // MARK: report.html

    /// The self-contained HTML report (inline CSS and SVG; no script, nothing fetched; well-formed XML).
    public static func html(_ s: OptimiseSummary, language: ReportLanguage, assumptions: String = "") -> String {
        let t = Localizer.strings(language)
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let r = s.result
        let sim = s.scenario.simulation
        var body = ""
        // Header
        let title = s.scenario.name
        let yearLabels = (0..<max(1, Int(sim.years.rounded(.up)))).map { String(sim.start.year + $0) }
        let metaLine = [ReportParts.period(yearLabels), "\(ReportParts.years(sim.years, nf)) \(da ? "år" : "years")",
                        "\(nf.number(Double(s.grid.count))) \(da ? "punkter" : "configurations")",
                        "\(t.seed.lowercased()) \(sim.seed)"].joined(separator: " · ")
        body += "<header class=\"report\"><p class=\"kicker\">sagstal · \(HTML.esc(da ? "optimering af bemanding" : "staffing optimisation"))</p>"
        body += "<h1>\(HTML.esc(title))</h1><p class=\"meta\">\(HTML.esc(metaLine))</p>"
        let teamName = s.scenario.teams.first { $0.id == s.grid.team }?.name ?? s.grid.team
        var problem = "<strong>\(HTML.esc(da ? "Team" : "Team"))</strong> \(HTML.esc(teamName)) (\(HTML.esc(s.grid.team))): "
        problem += HTML.esc((da ? "socialrådgivere " : "caseworkers ") + range(s.grid.caseworkers, nf))
        problem += HTML.esc((da ? ", loft " : ", cap ") + range(s.grid.caps, nf) + (s.grid.capVaried ? "" : (da ? " (scenariets)" : " (the scenario's)")))
        problem += "<br/><strong>\(HTML.esc(da ? "Mål" : "Objective"))</strong>: \(HTML.esc((da ? "minimér " : "minimise ") + Localizer.metric(s.objective, language).lowercased() + " (\(s.objective))"))"
        if !r.constraints.isEmpty {
            problem += "<br/><strong>\(HTML.esc(da ? "Krav" : "Constraints"))</strong>: \(HTML.esc(r.constraints.map { constraintText($0, language) }.joined(separator: "; ")))"
        }
        body += "<p class=\"meta\">\(problem)</p></header>"
        body += assumptions
        body += WarningsBox.html(s.warnings, language: language)

        // Summary
        body += "<section class=\"summary\"><h2>\(HTML.esc(t.summary))</h2>"
        body += "<p class=\"lead\">\(HTML.esc(lead(s, language)))</p>"
        var cards: [String] = []
        if let c = s.chosen {
            let cr = r.configurations[c]
            let p = s.grid.point(c)
            cards.append(ReportParts.card(label: r.outcome.kind == .selected ? (da ? "Valgt bemanding" : "Chosen staffing") : (da ? "Bedste bud (ingen garanti)" : "Best guess (no guarantee)"),
                                          value: "\(SweepReport.displayValue(p.caseworkers, nf)) \(da ? "socialrådgivere" : "caseworkers")",
                                          ci: "\(da ? "loft" : "cap") \(SweepReport.displayValue(p.cap, nf)) · \(statusText(s, c, language))"))
            cards.append(ReportParts.card(label: Localizer.metric(s.objective, language), value: nf.value(cr.objective.mean, metric: s.objective),
                                          ci: "\(t.ci95) \(nf.interval(cr.objective.ci95Lo, cr.objective.ci95Hi, metric: s.objective))"))
        }
        cards.append(ReportParts.card(label: da ? "Gentagelser brugt" : "Replications used", value: nf.number(Double(r.replicationsUsed)),
                                      ci: savingText(s, language)))
        body += ReportParts.cards(cards)
        if let c = s.chosen, !r.constraints.isEmpty {
            let cr = r.configurations[c]
            body += ReportParts.cards(r.constraints.enumerated().map { m, con in
                let e = cr.constraints[m]
                return ReportParts.card(label: "\(Localizer.metric(con.metric, language, stepNames: ReportParts.stepNames(s.scenario))) \(con.sense.rawValue) \(nf.value(con.threshold, metric: con.metric))",
                                        value: nf.value(e.mean, metric: con.metric),
                                        ci: "\(t.ci95) \(nf.interval(e.ci95Lo, e.ci95Hi, metric: con.metric)) · "
                                            + (da ? "opfyldt i \(nf.percent(e.probability, decimals: 0)) af gentagelserne" : "held in \(nf.percent(e.probability, decimals: 0)) of replications"))
            })
        }
        body += "<p class=\"caveat\">\(HTML.esc(guaranteeText(s, language)))</p>"
        body += "</section>"

        // Charts
        body += "<section class=\"page\"><h2>\(HTML.esc(da ? "Gitteret" : "The grid"))</h2>"
        body += HTML.figure(da ? "\(Localizer.metric(s.objective, language)) for hvert punkt" : "\(Localizer.metric(s.objective, language)) at every configuration",
                            heatmap(s, language),
                            note: da
                                ? (s.chosen != nil
                                    ? "Farven og tallet viser forskellen til det valgte punkt, parret over deres fælles gentagelser (mørk = lavest); n er antal gentagelser, punktet fik, før det blev valgt eller udelukket. Skraverede punkter opfylder ikke et krav."
                                    : "Farven viser gennemsnittet (mørk = lavest); n er antal gentagelser, punktet fik. Skraverede punkter opfylder ikke et krav.")
                                : (s.chosen != nil
                                    ? "The colour and the number show the difference to the chosen configuration, paired over their common replications (dark = lowest); n is the replications the configuration got before it was chosen or eliminated. Hatched configurations violate a constraint."
                                    : "The colour shows the mean (dark = lowest); n is the replications the configuration got. Hatched configurations violate a constraint."))
        if s.grid.caseworkers.count >= 2 {
            body += "<div class=\"charts\" style=\"margin-top: 24px;\">" + lineChart(s, language) + "</div>"
        }
        body += "</section>"

        // Table
        body += "<section class=\"page\"><h2>\(HTML.esc(da ? "Alle punkter" : "Every configuration"))</h2>"
        body += table(s, language)
        body += "</section>"

        // Method
        body += "<section class=\"page\"><h2>\(HTML.esc(da ? "Metode" : "Method"))</h2>" + method(s, language) + "</section>"

        // Scenario
        body += "<section class=\"page\"><h2>\(HTML.esc(t.scenario))</h2>"
        body += "<p class=\"caveat\">\(HTML.esc(da ? "Scenariet uden gitterets værdier (\(s.scenarioFile))." : "The scenario without the grid's values (\(s.scenarioFile))."))</p>"
        body += ReportParts.scenarioSummary(s.scenario, language: language)
        if let c = s.chosen, let chosen = s.chosenScenario {
            body += ReportParts.resolvedYAML(ScenarioEmitter.yaml(chosen, toolVersion: s.tool.version), language: language,
                                             title: "\(t.resolvedScenario): \(point(s, c, language))")
        }
        body += "</section>"
        body += ReportParts.footer(tool: s.tool, seed: sim.seed, replications: r.replicationsUsed, events: s.eventsUsed, language: language)
        return HTML.page(language: language, title: "\(title) – \(da ? "optimering" : "optimisation") – sagstal", body: body)
    }

    static func range(_ values: [String], _ nf: ReportNumberFormatter) -> String {
        guard let first = values.first, let last = values.last else { return "" }
        if values.count == 1 { return SweepReport.displayValue(first, nf) }
        if values.count <= 6 { return values.map { SweepReport.displayValue($0, nf) }.joined(separator: ", ") }
        return "\(SweepReport.displayValue(first, nf))–\(SweepReport.displayValue(last, nf)) (\(values.count))"
    }

    /// The summary paragraph.
    static func lead(_ s: OptimiseSummary, _ language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let r = s.result
        var out: [String] = []
        let objective = Localizer.metric(s.objective, language).lowercased()
        let years = ReportParts.years(s.scenario.simulation.years, nf)
        if let c = s.chosen {
            let cr = r.configurations[c]
            let value = "\(nf.value(cr.objective.mean, metric: s.objective)) (\(Localizer.strings(language).ci95) \(nf.interval(cr.objective.ci95Lo, cr.objective.ci95Hi, metric: s.objective)))"
            if r.outcome.kind == .selected {
                out.append(da ? "Den bemanding af \(s.grid.team), der giver den laveste forventede \(objective) over \(years) år og opfylder kravene, er \(point(s, c, language)): \(value)."
                              : "The staffing of \(s.grid.team) with the lowest expected \(objective) over \(years) years that meets the constraints is \(point(s, c, language)): \(value).")
            } else {
                out.append(da ? "Proceduren nåede sit maksimum, før den kunne afgøre valget; det bedste bud er \(point(s, c, language)): \(value)."
                              : "The procedure reached its maximum before it could decide; the best guess is \(point(s, c, language)): \(value).")
            }
        } else {
            out.append(da ? "Intet punkt i gitteret opfylder kravene." : "No configuration of the grid meets the constraints.")
        }
        if let g = r.runnerUp {
            let within = g.mean < r.settings.delta
            out.append(da ? "Nummer to, \(point(s, g.other, language)), ligger i gennemsnit \(nf.value(g.mean, metric: s.objective, sign: true)) højere (parret 95 %-KI \(nf.interval(g.ci95Lo, g.ci95Hi, metric: s.objective, sign: true)))"
                              + (within ? ", mindre end δ: praktisk talt lige så godt." : ".")
                          : "The runner-up, \(point(s, g.other, language)), is \(nf.value(g.mean, metric: s.objective, sign: true)) higher on average (paired 95 % CI \(nf.interval(g.ci95Lo, g.ci95Hi, metric: s.objective, sign: true)))"
                              + (within ? ", less than δ: practically as good." : "."))
        }
        out.append(da ? "Alle punkter kørte med samme tilfældige tal, og svage punkter blev udelukket undervejs: \(savingText(s, language))."
                      : "Every configuration ran on the same random numbers and weak ones were dropped along the way: \(savingText(s, language)).")
        return out.joined(separator: " ")
    }

    /// The heat map of the objective over caseworkers × cap.
    static func heatmap(_ s: OptimiseSummary, _ language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let r = s.result
        let unit = Localizer.unit(of: s.objective)
        // With a choice, the colour is each configuration's paired difference to it (over their
        // common replications): means over different numbers of replications are not comparable.
        let paired = s.chosen != nil
        func shown(_ i: Int) -> Double? {
            guard paired else { return r.configurations[i].objective.mean }
            return i == s.chosen ? 0 : r.gapsToChosen[i]?.mean
        }
        let scale = unit == .money
            ? ReportParts.moneyScale(ReportParts.maxAbs(r.configurations.indices.map(shown)), language)
            : (divisor: 1.0, unit: "")
        func short(_ x: Double?) -> String {
            guard let x, x.isFinite else { return ReportNumberFormatter.missing }
            if unit == .share { return nf.percent(x, sign: paired) }
            return nf.auto(x / scale.divisor, sign: paired)
        }
        var cells: [SVGChart.HeatCell] = []
        for i in r.configurations.indices {
            let c = r.configurations[i]
            let a = i / s.grid.caps.count, b = i % s.grid.caps.count
            var hatched = false
            if case .infeasible = c.status { hatched = true }
            var outline: SVGChart.CellOutline?
            if i == s.chosen { outline = r.outcome.kind == .selected ? .strong : .dotted }
            else if i == r.runnerUp?.other { outline = .dashed }
            let lines = [i == s.chosen ? (da ? "valgt" : "chosen") : short(shown(i)), "n = \(c.replications)"]
            let tip = "\(point(s, i, language)): \(nf.value(c.objective.mean, metric: s.objective)), n = \(c.replications); \(statusText(s, i, language))"
            cells.append(SVGChart.HeatCell(column: a, row: b, value: shown(i), lines: lines, hatched: hatched, outline: outline, title: tip))
        }
        let means = r.configurations.indices.compactMap(shown)
        let label = (paired ? (da ? "\(Localizer.metric(s.objective, language)) mod valgt, parret" : "\(Localizer.metric(s.objective, language)) vs chosen, paired")
                            : Localizer.metric(s.objective, language))
            + (scale.unit.isEmpty ? "" : " (\(scale.unit))")
        var legend: [SVGChart.HeatLegend] = []
        if s.chosen != nil {
            legend.append(.outline(r.outcome.kind == .selected ? .strong : .dotted,
                                   r.outcome.kind == .selected ? (da ? "valgt" : "chosen") : (da ? "bedste bud" : "best guess")))
        }
        if r.runnerUp != nil { legend.append(.outline(.dashed, da ? "nummer to" : "runner-up")) }
        if !r.constraints.isEmpty { legend.append(.hatched(da ? "opfylder ikke et krav" : "violates a constraint")) }
        let caption = da ? "\(Localizer.metric(s.objective, language)) over socialrådgivere × loft" : "\(Localizer.metric(s.objective, language)) over caseworkers × cap"
        return SVGChart.heatmap(columns: s.grid.caseworkers.map { SweepReport.displayValue($0, nf) },
                                rows: s.grid.caps.map { SweepReport.displayValue($0, nf) }, cells: cells,
                                xTitle: da ? "Socialrådgivere (team \(s.grid.team))" : "Caseworkers (team \(s.grid.team))",
                                yTitle: da ? "Sagsloft" : "Cap",
                                title: caption,
                                rampLabel: (label, short(means.min()), short(means.max())), legend: legend)
    }

    /// The objective's mean with its 95 % CI against caseworkers, one line per cap.
    static func lineChart(_ s: OptimiseSummary, _ language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let t = Localizer.strings(language)
        let da = language == .da
        let r = s.result
        let label = Localizer.metric(s.objective, language)
        var divisor = 1.0
        var yAxis = SVGChart.Axis(title: label, formatter: nf, includeZero: false)
        switch Localizer.unit(of: s.objective) {
        case .money:
            let scale = ReportParts.moneyScale(ReportParts.maxAbs(r.configurations.flatMap { [$0.objective.ci95Lo, $0.objective.ci95Hi] }), language)
            divisor = scale.divisor
            yAxis = SVGChart.Axis(title: "\(label) (\(scale.unit))", formatter: nf, includeZero: false)
        case .share:
            yAxis = SVGChart.Axis(title: label, formatter: nf, scale: 100, suffix: " %", includeZero: false)
        default: break
        }
        let xs = s.grid.caseworkers.map { Double($0)! }
        let ticks = s.grid.caseworkers.enumerated().map { SVGChart.Tick(xs[$0.offset], SweepReport.displayValue($0.element, nf)) }
        let series = s.grid.caps.enumerated().map { b, cap -> SVGChart.LineSeries in
            let idx = s.grid.caseworkers.indices.map { s.grid.index(caseworkers: $0, cap: b) }
            func v(_ f: (MetricSummary) -> Double?) -> [Double?] { idx.map { f(r.configurations[$0].objective).map { $0 / divisor } } }
            // With several caps only the chosen cap's line has its band (overlapping bands hide the lines).
            let band = s.grid.caps.count <= 2 || (s.chosen.map { $0 % s.grid.caps.count == b } ?? (b == 0))
            return SVGChart.LineSeries(name: s.grid.capVaried ? (da ? "loft \(SweepReport.displayValue(cap, nf))" : "cap \(SweepReport.displayValue(cap, nf))") : label,
                                       x: xs, y: v(\.mean), lower: band ? v(\.ci95Lo) : nil, upper: band ? v(\.ci95Hi) : nil,
                                       colour: ReportParts.scenarioColour(b), dashed: b % 2 == 1 && s.grid.caps.count > 4, points: true)
        }
        var highlights: [SVGChart.PointMarker] = []
        if let c = s.chosen, let m = r.configurations[c].objective.mean {
            highlights.append(SVGChart.PointMarker(x: xs[c / s.grid.caps.count], y: m / divisor,
                                                   label: r.outcome.kind == .selected ? (da ? "valgt" : "chosen") : (da ? "bedste bud" : "best guess")))
        }
        let caption = s.grid.caps.count > 2
            ? (da ? "\(label) mod antal socialrådgivere (95 %-KI for det valgte lofts linje; få gentagelser giver brede bånd)"
                  : "\(label) against caseworkers (95 % CI on the chosen cap's line; few replications give wide bands)")
            : (da ? "\(label) mod antal socialrådgivere (95 %-KI; få gentagelser giver brede bånd)"
                  : "\(label) against caseworkers (95 % CI; few replications give wide bands)")
        return HTML.figure(caption, SVGChart.lineChart(series: series, x: SVGChart.Axis(title: da ? "Socialrådgivere" : "Caseworkers", formatter: nf, ticks: ticks),
                                                       y: yAxis, title: caption, bandLabel: t.band95, highlights: highlights,
                                                       size: SVGChart.Size(width: 760, height: 360)))
    }

    /// Every configuration: status, replications, objective and constraint estimates.
    static func table(_ s: OptimiseSummary, _ language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let t = Localizer.strings(language)
        let da = language == .da
        let r = s.result
        let unit = ReportParts.tableUnit(s.objective, r.configurations.map(\.objective), language)
        var header: [HTML.Cell] = [.num(da ? "Socialrådgivere" : "Caseworkers"), .num(da ? "Loft" : "Cap"), .text("Status"),
                                   .num(da ? "Gentagelser" : "Replications"),
                                   .num(Localizer.metric(s.objective, language) + unit.labelSuffix), .num(t.ci95)]
        let hasGaps = s.chosen != nil
        if hasGaps { header += [.num((da ? "Mod valgt (parret)" : "Vs chosen (paired)") + unit.labelSuffix), .num(t.ci95)] }
        for c in r.constraints {
            header += [.num(c.metric), .num("\(t.ci95)"), .num(da ? "Andel opfyldt" : "Share held"), .text(da ? "Afgørelse" : "Decision")]
        }
        var rows: [[HTML.Cell]] = []
        var classes: [String?] = []
        for (i, c) in r.configurations.enumerated() {
            let p = s.grid.point(i)
            var row: [HTML.Cell] = [.num(SweepReport.displayValue(p.caseworkers, nf)), .num(SweepReport.displayValue(p.cap, nf))]
            var status = "<span title=\"\(HTML.esc(statusText(s, i, language)))\">\(HTML.esc(mediumStatus(s, i, language)))</span>"
            if i == s.chosen { status = "<span class=\"tag\">\(HTML.esc(shortStatus(s, i, language)))</span>" }
            if i == r.runnerUp?.other { status += HTML.esc(da ? " (nummer to)" : " (runner-up)") }
            row += [.raw(status), .num(nf.number(Double(c.replications))), .num(unit.value(c.objective.mean)),
                    .num(unit.interval(c.objective.ci95Lo, c.objective.ci95Hi))]
            if hasGaps {
                let g = r.gapsToChosen[i]
                row += [.num(g.map { unit.value($0.mean, sign: true) } ?? ""), .num(g.map { unit.interval($0.ci95Lo, $0.ci95Hi, sign: true) } ?? "")]
            }
            for (m, con) in r.constraints.enumerated() {
                let e = c.constraints[m]
                row += [.num(nf.value(e.mean, metric: con.metric)), .num(nf.interval(e.ci95Lo, e.ci95Hi, metric: con.metric)),
                        .num(nf.percent(e.probability, decimals: 0)), .text(decisionText(e.decision, language))]
            }
            rows.append(row)
            classes.append(i == s.chosen ? "lowest" : nil)
        }
        return HTML.table(header: header, rows: rows, rowClasses: classes)
    }

    /// How the procedure works and its settings.
    static func method(_ s: OptimiseSummary, _ language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let r = s.result
        var out = "<p>" + HTML.esc(da
            ? "Hvert punkt er scenariet med teamets antal socialrådgivere og loft sat til gitterets værdier. Gentagelse r af alle punkter bruger de samme tilfældige tal (samme underretninger og børn), så forskellene mellem punkterne er parrede. Proceduren er KN (Kim & Nelson 2001, ACM TOMACS 11:251–273): efter n0 gentagelser af alle punkter estimeres variansen af de parrede forskelle, og derefter tages én gentagelse ad gangen af de punkter, der stadig er i spil; et punkt udelukkes, når dets gennemsnit er mere end grænsen W over et punkt, der opfylder kravene. Kravene afgøres undervejs med F_B (Batur & Kim 2010), som Andradóttir & Kim (2010, Naval Research Logistics 57:403–421) kombinerer med KN: summen af afvigelserne fra tærsklen sammenlignes med grænsen ±R; kun punkter, der er erklæret at opfylde kravene, kan udelukke andre."
            : "Each configuration is the scenario with the team's caseworkers and cap set to the grid's values. Replication r of every configuration uses the same random numbers (the same notifications and children), so differences between configurations are paired. The procedure is KN (Kim & Nelson 2001, ACM TOMACS 11:251–273): after n0 replications of every configuration it estimates the variances of the paired differences, then takes one replication at a time of the configurations still contending; a configuration is eliminated when its mean is more than the bound W above one that has been declared feasible. The constraints are decided along the way with F_B (Batur & Kim 2010), which Andradóttir & Kim (2010, Naval Research Logistics 57:403–421) combine with KN: the sum of the deviations from the threshold is compared with the bound ±R; only configurations declared feasible eliminate others.") + "</p>"
        var facts: [(String, String)] = [
            ("α", "\(nf.compact(r.settings.alpha)) (\(da ? "krav" : "feasibility") \(nf.compact(r.alphaFeasibility, maxDecimals: 4)), \(da ? "valg" : "selection") \(nf.compact(r.alphaSelection, maxDecimals: 4)))"),
            ("δ", nf.value(r.settings.delta, metric: s.objective, short: false) + (s.deltaIsDefault ? (da ? " (standard: én socialrådgivers løn over perioden)" : " (default: one caseworker's salary over the horizon)") : "")),
            ("n0", nf.number(Double(r.settings.n0))),
            (da ? "Højst gentagelser pr. punkt" : "Most replications per configuration", nf.number(Double(r.settings.maxReplications))),
            ("h² (KN)", nf.compact(r.hSquaredSelection, maxDecimals: 3)),
        ]
        if !r.constraints.isEmpty { facts.append(("h² (F_B)", nf.compact(r.hSquaredFeasibility, maxDecimals: 3))) }
        facts.append((da ? "Afsluttet ved trin" : "Ended at stage", nf.number(Double(r.outcome.stage))))
        out += "<dl class=\"facts\">" + facts.map { "<dt>\(HTML.esc($0.0))</dt><dd>\(HTML.esc($0.1))</dd>" }.joined() + "</dl>"
        if !s.notes.isEmpty { out += "<ul>" + s.notes.map { "<li>\(HTML.esc($0))</li>" }.joined() + "</ul>" }
        out += "<p class=\"caveat\">\(HTML.esc(guaranteeText(s, language))) \(HTML.esc(da ? "Se docs/optimise.md." : "See docs/optimise.md."))</p>"
        return out
    }
}

/// Small number helpers of the console texts.
enum OptimiseText {
    /// Years as written on the command line: `10`, `2.5`.
    static func years(_ y: Double) -> String {
        y == y.rounded() && abs(y) < 1e15 ? String(Int64(y)) : String(y)
    }
}
