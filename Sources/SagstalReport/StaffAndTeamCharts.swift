import Foundation
import SagstalScenario
import SagstalStats

/// The run report's per-team and staff views: caseload and children waiting per team over time,
/// filled and vacant positions over time, leavers and hires per budget year, and filled
/// positions per team.
///
/// With a single team the per-team charts would repeat the department's own caseload, waiting
/// and staff charts line for line, so they are drawn only with two teams or more (the team's
/// figures are then the department's, in the charts above).
enum TeamAndStaffCharts {
    /// The words of these charts.
    struct Words {
        let caseloadPerTeam, waitingPerTeam, familiesAxis, childrenAxis, familiesNote, staffOverTime, filled, vacant, positionsAxis,
            vacancyNote, leaversHires, leavers, hires, peopleAxis, filledPerTeam: String

        static func of(_ language: ReportLanguage, childrenPerFamily: String) -> Words {
            language == .da
                ? Words(caseloadPerTeam: "Sagstal pr. socialrådgiver i hvert team",
                        waitingPerTeam: "Børn der venter på at få en socialrådgiver, pr. team",
                        familiesAxis: "Familiesager pr. socialrådgiver", childrenAxis: "Børn pr. socialrådgiver",
                        familiesNote: "Sagsloftet tælles i familier: familiesager = børn / \(childrenPerFamily) (scenariets børn pr. familie), som i modellens gns. sagstal (familier).",
                        staffOverTime: "Socialrådgivere: besatte og vakante stillinger",
                        filled: "Besatte stillinger (socialrådgivere)", vacant: "Vakante stillinger",
                        positionsAxis: "Stillinger",
                        vacancyNote: "Vakante stillinger i en måned = vakante stillingsår i måneden × 12 (modellens måned er 365,25/12 dage): det gennemsnitlige antal stillinger under genbesættelse.",
                        leaversHires: "Fratrådte og nyansatte socialrådgivere pr. budgetår",
                        leavers: "Fratrådte (personaleomsætning)", hires: "Nyansatte (genbesættelser og nye stillinger)",
                        peopleAxis: "Socialrådgivere", filledPerTeam: "Besatte stillinger i hvert team")
                : Words(caseloadPerTeam: "Caseload per caseworker in each team",
                        waitingPerTeam: "Children waiting for a first caseworker, per team",
                        familiesAxis: "Families per caseworker", childrenAxis: "Children per caseworker",
                        familiesNote: "The cap counts families: families = children / \(childrenPerFamily) (the scenario's children per family), as in the model's mean caseload (families).",
                        staffOverTime: "Caseworkers: filled and vacant positions",
                        filled: "Filled positions (caseworkers)", vacant: "Vacant positions",
                        positionsAxis: "Positions",
                        vacancyNote: "Vacant positions in a month = vacant position-years in the month × 12 (a model month is 365.25/12 days): the mean number of positions being recruited.",
                        leaversHires: "Caseworkers leaving and hired per budget year",
                        leavers: "Leaving (turnover)", hires: "Hired (refills and new positions)",
                        peopleAxis: "Caseworkers", filledPerTeam: "Filled positions in each team")
        }
    }

    /// The colour of team `k`.
    static func teamColour(_ k: Int) -> String { ReportParts.scenarioColour(k) }

    /// `team.<id>.caseloadMean` monthly in the scenario's unit: children, or families
    /// (children / `childrenPerFamily`) when the cap counts families — mean and P5–P95.
    static func teamCaseloadSeries(run: AggregatedRun, scenario: Scenario) -> [SVGChart.LineSeries] {
        let families = scenario.caseload.casesCountedAs == .families
        return teamSeries(run: run, scenario: scenario, metric: "caseloadMean",
                          divisor: families ? scenario.caseload.childrenPerFamily : 1)
    }

    /// A per-team monthly metric, mean and P5–P95, divided by `divisor` (1: as it is).
    static func teamSeries(run: AggregatedRun, scenario: Scenario, metric: String, divisor c: Double = 1) -> [SVGChart.LineSeries] {
        let x = run.layout.monthLabels.indices.map(Double.init)
        return scenario.teams.enumerated().compactMap { k, team in
            run.monthlySeries("team.\(team.id).\(metric)").map { s in
                SVGChart.LineSeries(name: team.name, x: x, y: s.map { $0.mean.map { $0 / c } },
                                    lower: s.map { $0.p5.map { $0 / c } }, upper: s.map { $0.p95.map { $0 / c } },
                                    colour: teamColour(k), dashed: k % 3 == 2)
            }
        }
    }

    /// Mean vacant positions per month: `vacancyYears` (position-days / 365.25) × 12.
    static func vacantPositions(_ s: MetricSummary) -> (mean: Double?, p5: Double?, p95: Double?) {
        (s.mean.map { $0 * 12 }, s.p5.map { $0 * 12 }, s.p95.map { $0 * 12 })
    }

    /// Filled positions (`caseworkersMean`) and vacant positions (``vacantPositions(_:)``) per
    /// month, mean and P5–P95.
    static func positionSeries(run: AggregatedRun, words w: Words) -> [SVGChart.LineSeries] {
        let monthX = run.layout.monthLabels.indices.map(Double.init)
        var series: [SVGChart.LineSeries] = []
        if let s = run.monthlySeries("caseworkersMean") {
            series.append(SVGChart.LineSeries(name: w.filled, x: monthX, y: s.map(\.mean), lower: s.map(\.p5), upper: s.map(\.p95),
                                              colour: ReportParts.staffColour))
        }
        if let s = run.monthlySeries("vacancyYears") {
            let v = s.map(vacantPositions)
            series.append(SVGChart.LineSeries(name: w.vacant, x: monthX, y: v.map(\.mean), lower: v.map(\.p5), upper: v.map(\.p95),
                                              colour: ReportParts.stepColour(4), dashed: true))
        }
        return series
    }

    /// Leavers and hires per budget year, mean with 95 % CI.
    static func leaverHireSeries(run: AggregatedRun, words w: Words) -> [SVGChart.BarSeries] {
        [("leavers", w.leavers, ReportParts.stepColour(4)), ("hires", w.hires, ReportParts.staffColour)].compactMap { m, name, colour in
            run.yearlySeries(m).map { s in
                SVGChart.BarSeries(name: name, values: s.map(\.mean), lower: s.map(\.ci95Lo), upper: s.map(\.ci95Hi), colour: colour)
            }
        }
    }

    /// The per-team figures (two teams or more): caseload and children waiting.
    static func teamFigures(run: AggregatedRun, scenario: Scenario, language: ReportLanguage) -> [String] {
        guard scenario.teams.count >= 2 else { return [] }
        let t = Localizer.strings(language)
        let nf = ReportNumberFormatter(language)
        let w = Words.of(language, childrenPerFamily: nf.compact(scenario.caseload.childrenPerFamily))
        let monthAxis = SVGChart.Axis(title: t.axisYear, formatter: nf, ticks: ReportParts.monthTicks(run.layout.monthLabels))
        var out: [String] = []
        let families = scenario.caseload.casesCountedAs == .families
        let caseload = teamCaseloadSeries(run: run, scenario: scenario)
        if !caseload.isEmpty {
            out.append(HTML.figure(w.caseloadPerTeam, SVGChart.lineChart(
                series: caseload, x: monthAxis, y: SVGChart.Axis(title: families ? w.familiesAxis : w.childrenAxis, formatter: nf),
                title: w.caseloadPerTeam, bandLabel: t.band90), note: families ? w.familiesNote : nil))
        }
        let waiting = teamSeries(run: run, scenario: scenario, metric: "waitingMean")
        if !waiting.isEmpty {
            out.append(HTML.figure(w.waitingPerTeam, SVGChart.lineChart(
                series: waiting, x: monthAxis, y: SVGChart.Axis(title: t.axisChildren, formatter: nf),
                title: w.waitingPerTeam, bandLabel: t.band90)))
        }
        return out
    }

    /// The staff figures: filled and vacant positions per month, leavers and hires per budget
    /// year, and (two teams or more) filled positions per team.
    static func staffFigures(run: AggregatedRun, scenario: Scenario, language: ReportLanguage) -> [String] {
        let t = Localizer.strings(language)
        let nf = ReportNumberFormatter(language)
        let w = Words.of(language, childrenPerFamily: nf.compact(scenario.caseload.childrenPerFamily))
        let monthAxis = SVGChart.Axis(title: t.axisYear, formatter: nf, ticks: ReportParts.monthTicks(run.layout.monthLabels))
        var out: [String] = []
        let series = positionSeries(run: run, words: w)
        if !series.isEmpty {
            out.append(HTML.figure(w.staffOverTime, SVGChart.lineChart(
                series: series, x: monthAxis, y: SVGChart.Axis(title: w.positionsAxis, formatter: nf), title: w.staffOverTime,
                bandLabel: t.band90), note: w.vacancyNote))
        }
        let bars = leaverHireSeries(run: run, words: w)
        if !bars.isEmpty {
            out.append(HTML.figure(w.leaversHires, SVGChart.barChart(
                categories: run.layout.yearLabels, series: bars, xTitle: t.axisYear,
                y: SVGChart.Axis(title: w.peopleAxis, formatter: nf), title: w.leaversHires, whiskerLabel: t.whisker95)))
        }
        if scenario.teams.count >= 2 {
            let perTeam = teamSeries(run: run, scenario: scenario, metric: "caseworkersMean")
            if !perTeam.isEmpty {
                out.append(HTML.figure(w.filledPerTeam, SVGChart.lineChart(
                    series: perTeam, x: monthAxis, y: SVGChart.Axis(title: w.positionsAxis, formatter: nf),
                    title: w.filledPerTeam, bandLabel: t.band90)))
            }
        }
        return out
    }
}
