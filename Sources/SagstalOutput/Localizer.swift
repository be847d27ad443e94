/// Labels in English and Danish: every metric of MODEL.md §8, units, and the headings, axis
/// titles and notes of the reports and console tables.
///
/// Metric names stay as in the output contract (`placementsStarted`); only what people read
/// is translated. Ladder steps are named by their scenario `name` when one is given.
public enum Localizer {
    /// The unit a metric is measured in.
    public enum Unit: Sendable, Equatable {
        /// A count of events (notifications, placements started, …).
        case count
        /// A number of children at a moment or on average (stocks, caseloads).
        case children
        case days
        /// Child-years or position-years.
        case years
        /// A share in [0, 1], shown as a percentage.
        case share
        /// Kroner.
        case money
        /// Caseworker positions.
        case caseworkers
        /// Family cases (caseloads when the scenario counts cases in families).
        case families
    }

    /// The display names of a scenario for labels: ladder step ids as they are, teams under
    /// `team:<id>`, follow-ups under `followUp:<id>` (see `names(steps:teams:followUps:)`).
    public static func names(steps: [(String, String)], teams: [(String, String)] = [],
                             followUps: [(String, String)] = []) -> [String: String] {
        var out: [String: String] = [:]
        for (id, name) in steps where out[id] == nil { out[id] = name }
        for (id, name) in teams where out["team:" + id] == nil { out["team:" + id] = name }
        for (id, name) in followUps where out["followUp:" + id] == nil { out["followUp:" + id] = name }
        return out
    }

    /// The unit of a metric of MODEL.md §8.
    public static func unit(of metric: String) -> Unit {
        if metric.hasPrefix("cost.") { return .money }
        if metric.hasSuffix("Share") { return .share }
        if metric == "waitDaysMean" { return .days }
        if metric == "caseloadFamiliesMean" { return .families }
        if metric.hasSuffix("childYears") || metric.hasSuffix("ChildYears") || metric == "vacancyYears" { return .years }
        if metric == "caseworkersMean" || metric.hasSuffix(".caseworkersMean") { return .caseworkers }
        if metric.hasSuffix(".end") || metric.hasSuffix("End") || metric.hasSuffix("caseloadMean") || metric.hasSuffix("waitingMean")
            || metric == "unassignedMean" { return .children }
        return .count
    }

    /// The unit's name for an axis title or a table note (`children` / `børn`, `kr.` / `DKK`, `%`).
    public static func unitName(_ unit: Unit, _ language: ReportLanguage) -> String {
        let da = language == .da
        switch unit {
        case .count: return da ? "antal" : "number"
        case .children: return da ? "børn" : "children"
        case .days: return da ? "dage" : "days"
        case .years: return da ? "år" : "years"
        case .share: return "%"
        case .money: return da ? "kr." : "DKK"
        case .caseworkers: return da ? "socialrådgivere" : "caseworkers"
        case .families: return da ? "familier" : "families"
        }
    }

    private static let metricLabels: [String: (en: String, da: String)] = [
        "notifications": ("Notifications", "Underretninger"),
        "renotifications": ("Repeat notifications (open case)", "Gentagne underretninger (åben sag)"),
        "renotificationEscalations": ("Escalations after a repeat notification", "Optrapninger efter gentagen underretning"),
        "screenedOut": ("Screened out", "Frasorteret ved screening"),
        "outreachCourses": ("Outreach courses started", "Nye fremskudte forløb"),
        "outreachResolved": ("Outreach courses that resolved the concern", "Fremskudte forløb der løste bekymringen"),
        "casesOpened": ("Cases opened", "Oprettede sager"),
        "assessmentsCompleted": ("Assessments completed", "Børnefaglige undersøgelser afsluttet"),
        "deadlineBreaches": ("Assessment deadline breaches", "Børnefaglige undersøgelser over fristen"),
        "assignments": ("First assignments to a caseworker", "Første tildelinger til en socialrådgiver"),
        "waitDaysMean": ("Mean wait for a caseworker (days)", "Gns. ventetid på at få en socialrådgiver (dage)"),
        "waitedShare": ("Share of children who waited", "Andel børn der ventede"),
        "waitingMean": ("Children waiting (average)", "Børn der venter på at få en socialrådgiver (gns.)"),
        "unassignedMean": ("Children without a caseworker (average)", "Børn uden socialrådgiver (gns.)"),
        "openCasesEnd": ("Open cases at the end", "Åbne sager ved periodens slutning"),
        "placementsStarted": ("Placements started", "Nye anbringelser"),
        "placementChanges": ("Placement changes", "Skift mellem anbringelsesformer"),
        "casesClosed": ("Cases closed", "Afsluttede sager"),
        "agedOut": ("Children who aged out", "Børn der nåede aldersgrænsen"),
        "placedChildYears": ("Child-years in placement", "Helårsanbringelser"),
        "placedEnd": ("Children placed at the end", "Anbragte børn ved periodens slutning"),
        "caseloadMean": ("Mean caseload (children)", "Gns. sagstal (børn)"),
        "overCapShare": ("Share of time over the cap", "Andel af tiden over sagsloftet"),
        "caseworkersMean": ("Caseworkers (average filled positions)", "Socialrådgivere (gns. besatte stillinger)"),
        "leavers": ("Caseworkers leaving", "Fratrådte socialrådgivere"),
        "hires": ("Caseworkers hired", "Nyansatte socialrådgivere"),
        "vacancyYears": ("Vacant position-years", "Vakante stillingsår"),
        "caseloadFamiliesMean": ("Mean caseload (families)", "Gns. sagstal (familier)"),
        "transfers": ("Transfers between age bands", "Overflytninger mellem aldersgrupper"),
        "cost.total": ("Total cost", "Samlet udgift"),
        "cost.staff": ("Staff salaries", "Løn til socialrådgivere"),
        "cost.interventions": ("Interventions", "Indsatser"),
        "cost.assessments": ("Assessments", "Børnefaglige undersøgelser"),
        "cost.recruitment": ("Recruitment", "Rekruttering"),
        "cost.outreach": ("Outreach", "Fremskudt indsats"),
        "cost.oneOff": ("One-off costs", "Engangsudgifter"),
        "cost.npv": ("Total cost, net present value", "Samlet udgift, nutidsværdi"),
    ]

    /// The label of a metric of MODEL.md §8, e.g. `placementsStarted` → "Placements started" /
    /// "Nye anbringelser"; `step.foster.end` → "Plejefamilie: children at the end";
    /// `team.unge.caseloadMean` → "UngeCenter: mean caseload (children)";
    /// `followUp.tilsyn.missed` → "Tilsynsbesøg: missed".
    ///
    /// - Parameters:
    ///   - metric: the metric's contract name.
    ///   - language: English or Danish.
    ///   - stepNames: display names (``names(steps:teams:followUps:)``): ladder step id → name, `team:<id>` and
    ///     `followUp:<id>` → the team's or follow-up's name; ids without a name print as the id.
    /// - Returns: the label; an unknown metric returns its own name.
    public static func metric(_ metric: String, _ language: ReportLanguage, stepNames: [String: String] = [:]) -> String {
        let da = language == .da
        if let l = metricLabels[metric] { return da ? l.da : l.en }
        if metric.hasPrefix("cost.step.") {
            let id = String(metric.dropFirst("cost.step.".count))
            return stepNames[id] ?? id
        }
        for (prefix, kind) in [("team.", "team:"), ("followUp.", "followUp:")] where metric.hasPrefix(prefix) {
            guard let dot = metric.lastIndex(of: "."), dot > metric.index(metric.startIndex, offsetBy: prefix.count - 1) else { break }
            let id = String(metric[metric.index(metric.startIndex, offsetBy: prefix.count)..<dot])
            let name = stepNames[kind + id] ?? id
            let part: (en: String, da: String)? = switch String(metric[metric.index(after: dot)...]) {
            case "caseloadMean": ("mean caseload (children)", "gns. sagstal (børn)")
            case "overCapShare": ("share of time over the cap", "andel af tiden over sagsloftet")
            case "waitingMean": ("children waiting (average)", "børn der venter på en socialrådgiver (gns.)")
            case "caseworkersMean": ("caseworkers (average filled positions)", "socialrådgivere (gns. besatte stillinger)")
            case "casesOpened": ("cases opened", "oprettede sager")
            case "due": ("due", "skulle gennemføres")
            case "missed": ("missed", "ikke gennemført til tiden")
            case "missedShare": ("share missed", "andel ikke gennemført til tiden")
            default: nil
            }
            if let part { return name + ": " + (da ? part.da : part.en) }
        }
        if metric.hasPrefix("step."), let dot = metric.lastIndex(of: "."), dot > metric.index(metric.startIndex, offsetBy: 4) {
            let id = String(metric[metric.index(metric.startIndex, offsetBy: 5)..<dot])
            let name = stepNames[id] ?? id
            switch metric[metric.index(after: dot)...] {
            case "entries": return name + (da ? ": tilgang" : ": entries")
            case "childYears": return name + (da ? ": barneår" : ": child-years")
            case "end": return name + (da ? ": børn ved periodens slutning" : ": children at the end")
            default: break
            }
        }
        return metric
    }

    private static let shortLabels: [String: (en: String, da: String)] = [
        "caseloadMean": ("Caseload", "Sagstal"),
        "overCapShare": ("Over cap", "Over loft"),
        "waitDaysMean": ("Wait (days)", "Ventetid (dage)"),
        "placementsStarted": ("Placements", "Nye anbringelser"),
        "caseloadFamiliesMean": ("Caseload (families)", "Sagstal (familier)"),
        "placedChildYears": ("Placed child-years", "Helårsanbringelser"),
        "placedEnd": ("Placed at end", "Anbragt ved slut"),
        "cost.staff": ("Staff cost", "Lønudgift"),
        "cost.total": ("Total cost", "Samlet udgift"),
        "cost.npv": ("Total cost (NPV)", "Samlet udgift (nutidsværdi)"),
    ]

    /// A short label for a table column (`Caseload`, `Over cap` …); falls back to ``metric(_:_:stepNames:)``.
    public static func shortMetric(_ metric: String, _ language: ReportLanguage, stepNames: [String: String] = [:]) -> String {
        if let l = shortLabels[metric] { return language == .da ? l.da : l.en }
        return self.metric(metric, language, stepNames: stepNames)
    }

    /// The words of reports and console tables in one language.
    public static func strings(_ language: ReportLanguage) -> Strings {
        language == .da ? .da : .en
    }

    /// Every heading, axis title and note of the reports and console tables.
    public struct Strings: Sendable {
        // Report titles and sections
        public let runTitle: String
        public let compareTitle: String
        public let sweepTitle: String
        public let summary: String
        public let keyTotals: String
        public let charts: String
        public let scenario: String
        public let resolvedScenario: String
        public let aboutNumbers: String
        // Table headings
        public let metricHeading: String
        public let mean: String
        public let ci95: String
        public let p5p95: String
        public let totalOverHorizon: String
        public let difference: String
        public let pairedCI: String
        public let yes: String
        public let no: String
        // Scenario summary
        public let team: String
        public let caseworkers: String
        public let cap: String
        public let policy: String
        public let shareOfCases: String
        public let overflow: String
        public let waitlist: String
        public let ladderStep: String
        public let costPerYear: String
        public let placement: String
        public let staffSalary: String
        public let staffCostAllFilled: String
        public let recruitmentCost: String
        public let turnover: String
        public let notificationsPerYear: String
        public let horizon: String
        public let replications: String
        public let seed: String
        public let start: String
        public let caseloadReference: String
        public let plannedChanges: String
        // Chart titles and axes
        public let childrenPerStep: String
        public let placementsPerYear: String
        public let costPerYearByCategory: String
        public let caseloadOverTime: String
        public let overCapOverTime: String
        public let waitingOverTime: String
        public let axisYear: String
        public let axisChildren: String
        public let axisPlacements: String
        public let axisCaseload: String
        public let axisShareOfTime: String
        public let axisCost: String
        public let band90: String
        public let whisker95: String
        public let band95: String
        // Comparison
        public let placedChildren: String
        public let totalCostPerYear: String
        public let costDifferencePerYear: String
        public let placementDifferencePerYear: String
        public let cumulativeNetCost: String
        public let breakEven: String
        public let breakEvenYear: String
        public let breakEvenDistribution: String
        public let budgetYear: String
        public let replicationsBreakingEven: String
        public let share: String
        public let cumulativeShare: String
        public let notWithinHorizon: String
        public let placementsAvoided: String
        public let netCost: String
        public let netCostNPV: String
        public let probabilityCheaper: String
        public let baseline: String
        public let alternative: String
        // Sweep
        public let grid: String
        public let point: String
        public let lowestCost: String
        public let against: String
        // Footer
        public let madeWith: String
        public let events: String
    }
}

extension Localizer.Strings {
    static let en = Localizer.Strings(
        runTitle: "Simulation report", compareTitle: "Scenario comparison", sweepTitle: "Parameter sweep",
        summary: "Summary", keyTotals: "Key totals over the horizon", charts: "Over time",
        scenario: "The scenario", resolvedScenario: "The resolved scenario (YAML, as run)",
        aboutNumbers: "How to read the numbers",
        metricHeading: "Total over the horizon", mean: "mean", ci95: "95 % CI", p5p95: "P5–P95",
        totalOverHorizon: "Total over the horizon", difference: "difference", pairedCI: "95 % CI (paired)",
        yes: "yes", no: "no",
        team: "Team", caseworkers: "Caseworkers", cap: "Cap", policy: "Policy", shareOfCases: "Share of cases",
        overflow: "overflow (above the cap if needed)", waitlist: "waitlist (children wait for room)",
        ladderStep: "Ladder step", costPerYear: "Cost per child-year", placement: "Out-of-home placement",
        staffSalary: "Salary per caseworker and year", staffCostAllFilled: "Staff cost per year, all positions filled",
        recruitmentCost: "Recruitment cost per hire", turnover: "Turnover per year",
        notificationsPerYear: "Notifications per year (first year)", horizon: "Horizon", replications: "Replications",
        seed: "Seed", start: "Start", caseloadReference: "Reference caseload", plannedChanges: "Planned staff changes",
        childrenPerStep: "Children on each step of the ladder", placementsPerYear: "Placements started per year",
        costPerYearByCategory: "Cost per year by category", caseloadOverTime: "Mean caseload per caseworker",
        overCapOverTime: "Share of caseworker time over the cap", waitingOverTime: "Children waiting for a first caseworker",
        axisYear: "Budget year", axisChildren: "Children", axisPlacements: "Placements started",
        axisCaseload: "Children per caseworker", axisShareOfTime: "Share of time", axisCost: "Cost",
        band90: "90 % of replications (P5–P95)", whisker95: "95 % CI of the mean", band95: "95 % CI of the mean",
        placedChildren: "Children in out-of-home placement", totalCostPerYear: "Total cost per year",
        costDifferencePerYear: "Difference in total cost per year", placementDifferencePerYear: "Difference in placements started per year",
        cumulativeNetCost: "Cumulative net cost", breakEven: "break-even", breakEvenYear: "Break-even year (median)",
        breakEvenDistribution: "When does the alternative break even for good?", budgetYear: "Budget year",
        replicationsBreakingEven: "Replications breaking even for good that year", share: "Share", cumulativeShare: "Broken even for good by then",
        notWithinHorizon: "not within the horizon", placementsAvoided: "Placements avoided", netCost: "Net cost",
        netCostNPV: "Net cost, net present value", probabilityCheaper: "Probability of costing less",
        baseline: "baseline", alternative: "alternative",
        grid: "All grid points", point: "Point", lowestCost: "lowest total cost", against: "against",
        madeWith: "Made with", events: "events")

    static let da = Localizer.Strings(
        runTitle: "Simuleringsrapport", compareTitle: "Sammenligning af scenarier", sweepTitle: "Parametervariation",
        summary: "Sammenfatning", keyTotals: "Nøgletal for hele perioden", charts: "Udviklingen over tid",
        scenario: "Scenariet", resolvedScenario: "Scenariet med alle værdier (YAML, som kørt)",
        aboutNumbers: "Sådan læses tallene",
        metricHeading: "I alt over perioden", mean: "gennemsnit", ci95: "95 %-KI", p5p95: "P5–P95",
        totalOverHorizon: "I alt over perioden", difference: "forskel", pairedCI: "95 %-KI (parret)",
        yes: "ja", no: "nej",
        team: "Team", caseworkers: "Socialrådgivere", cap: "Sagsloft", policy: "Fordeling", shareOfCases: "Andel af sagerne",
        overflow: "alle sager fordeles, også over loftet", waitlist: "venteliste (børn venter på en ledig plads)",
        ladderStep: "Trin på indsatstrappen", costPerYear: "Udgift pr. barn og år", placement: "Anbringelse uden for hjemmet",
        staffSalary: "Løn pr. socialrådgiver og år", staffCostAllFilled: "Lønudgift pr. år, alle stillinger besat",
        recruitmentCost: "Rekrutteringsudgift pr. ansættelse", turnover: "Personaleomsætning pr. år",
        notificationsPerYear: "Underretninger pr. år (første år)", horizon: "Periode", replications: "Gentagelser",
        seed: "Seed", start: "Start", caseloadReference: "Reference-sagstal", plannedChanges: "Planlagte personaleændringer",
        childrenPerStep: "Børn på hvert trin af indsatstrappen", placementsPerYear: "Nye anbringelser pr. år",
        costPerYearByCategory: "Udgift pr. år fordelt på kategorier", caseloadOverTime: "Gennemsnitligt sagstal pr. socialrådgiver",
        overCapOverTime: "Andel af socialrådgivernes tid over sagsloftet", waitingOverTime: "Børn der venter på at få en socialrådgiver",
        axisYear: "Budgetår", axisChildren: "Børn", axisPlacements: "Nye anbringelser",
        axisCaseload: "Børn pr. socialrådgiver", axisShareOfTime: "Andel af tiden", axisCost: "Udgift",
        band90: "90 % af gentagelserne (P5–P95)", whisker95: "95 %-KI for gennemsnittet", band95: "95 %-KI for gennemsnittet",
        placedChildren: "Børn anbragt uden for hjemmet", totalCostPerYear: "Samlet udgift pr. år",
        costDifferencePerYear: "Forskel i samlet udgift pr. år", placementDifferencePerYear: "Forskel i nye anbringelser pr. år",
        cumulativeNetCost: "Akkumuleret nettoudgift", breakEven: "tjent hjem", breakEvenYear: "Tjent hjem i budgetåret (median)",
        breakEvenDistribution: "Hvornår tjener alternativet sig varigt hjem?", budgetYear: "Budgetår",
        replicationsBreakingEven: "Gentagelser, hvor indsatsen er varigt tjent hjem det år", share: "Andel", cumulativeShare: "Varigt tjent hjem senest da",
        notWithinHorizon: "ikke inden for perioden", placementsAvoided: "Undgåede anbringelser", netCost: "Nettoudgift",
        netCostNPV: "Nettoudgift, nutidsværdi", probabilityCheaper: "Sandsynlighed for lavere udgift",
        baseline: "udgangspunkt", alternative: "alternativ",
        grid: "Alle punkter", point: "Punkt", lowestCost: "laveste samlede udgift", against: "mod",
        madeWith: "Lavet med", events: "hændelser")
}
