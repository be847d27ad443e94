import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import SagstalOutput
import SagstalScenario
import SagstalStats

/// Synthetic inputs for the report tests: a small ladder, two teams, a run whose statistics look
/// like a real one (positive counts and costs, shares in [0, 1]), a comparison and a sweep.
enum Fixture {
    static let steps = ["prevention", "foster"]
    static let baseMetrics = [
        "notifications", "renotifications", "renotificationEscalations", "screenedOut",
        "outreachCourses", "outreachResolved", "casesOpened", "assessmentsCompleted",
        "deadlineBreaches", "assignments", "waitDaysMean", "waitedShare", "waitingMean",
        "unassignedMean", "openCasesEnd", "placementsStarted", "placementChanges",
        "casesClosed", "agedOut", "placedChildYears", "placedEnd", "caseloadMean",
        "overCapShare", "caseworkersMean", "leavers", "hires", "vacancyYears",
        "cost.total", "cost.staff", "cost.interventions", "cost.assessments",
        "cost.recruitment", "cost.outreach", "cost.oneOff",
    ]
    static let years = 2
    static let layout = MetricLayout(
        periodMetrics: baseMetrics + steps.flatMap { s in
            ["step.\(s).entries", "step.\(s).childYears", "step.\(s).end", "cost.step.\(s)"]
        },
        totalsOnlyMetrics: ["cost.npv"],
        yearLabels: (0..<years).map { String(2026 + $0) },
        monthLabels: (0..<(12 * years)).map { String(format: "%04d-%02d", 2026 + $0 / 12, $0 % 12 + 1) })

    /// A plausible magnitude per metric (per year).
    static func scale(_ metric: String) -> Double {
        if metric.hasSuffix("Share") { return 0.2 }
        if metric.hasPrefix("cost.") { return metric == "cost.total" ? 60e6 : 8e6 }
        if metric == "caseloadMean" { return 24 }
        if metric == "waitDaysMean" { return 12 }
        return 40
    }

    /// A run: deterministic values that vary by replication, metric and period. `emptyMetric`
    /// (if any) is NaN ("no value") in every replication.
    static func run(replications n: Int = 8, salt: Double = 0, emptyMetric: String? = "waitDaysMean") throws -> AggregatedRun {
        let agg = try RunAggregator(layout: layout, replications: n)
        let m = layout.periodMetrics.count
        func value(_ r: Int, _ metric: String, _ period: Int, _ periods: Double) -> Double {
            if metric == emptyMetric { return .nan }
            let wiggle = 1 + 0.15 * sin(Double(r) * 1.7 + Double(period) * 0.9 + salt) + 0.05 * Double(period % 3)
            let v = scale(metric) * wiggle * (1 + salt * 0.05) / periods
            return metric.hasSuffix("Share") ? min(max(v * periods, 0), 1) : v
        }
        let totalsNames = layout.totalsMetrics
        for r in 0..<n {
            try agg.add(ReplicationRecord(
                replication: r,
                totals: totalsNames.map { value(r, $0, 0, 1.0 / Double(years)) },
                yearly: (0..<(years * m)).map { value(r, layout.periodMetrics[$0 % m], $0 / m, 1) },
                monthly: (0..<(12 * years * m)).map { value(r, layout.periodMetrics[$0 % m], $0 / m, 12) },
                eventsProcessed: 1000 + r))
        }
        return try agg.finish()
    }

    static func scenario(name: String = "Test kommune <A & B>", eastCaseworkers: Int = 9) -> Scenario {
        var s = Scenario(
            name: name,
            ladder: [
                LadderStep(id: "prevention", name: "Forebyggelse", costPerYear: 60_000, duration: .fixed(240),
                           next: Transitions(up: 0.1, down: 0, exit: 0.6)),
                LadderStep(id: "foster", name: "Plejefamilie", placement: true, costPerYear: 470_000,
                           duration: .gammaMeanSD(mean: 900, sd: 500), next: Transitions(up: 0, down: 0.2, exit: 0.4)),
            ],
            teams: [Team(id: "east", share: 0.6, caseworkers: eastCaseworkers, cap: 25),
                    Team(id: "west", share: 0.4, caseworkers: 5, cap: 30, policy: .waitlist)])
        s.simulation.years = Double(years)
        s.simulation.replications = 8
        s.simulation.seed = 7
        s.staff.costPerYear = 500_000
        s.staff.recruitmentCost = 50_000
        s.staff.turnover = Turnover(perYear: 0.2, overloadElasticity: 1.5)
        s.staff.changes = [StaffChange(at: CalendarDate(year: 2027, month: 1, day: 1), team: "east", caseworkers: .relative(2))]
        s.notifications.perYear = 1050
        s.notifications.growthPerYear = 0.03
        s.costs.discountRate = 0.03
        s.costs.oneOff = [OneOffCost(at: CalendarDate(year: 2026, month: 3, day: 1), amount: 1_200_000, label: "Training")]
        return s
    }

    static let tool = ToolInfo(name: "sagstal", version: "0.1.0", gslVersion: "2.7.1", generator: "mt19937")

    static func metadata(_ run: AggregatedRun, name: String = "Test kommune <A & B>") -> RunMetadata {
        RunMetadata(scenarioName: name, seed: 7, replications: run.replications, years: Double(years), tool: tool,
                    eventsProcessed: run.eventsProcessed, wallSeconds: 1.5, jobs: 2)
    }

    /// A resolved YAML that would break the page if it were not escaped.
    static let hostileYAML = """
        # Resolved by sagstal 0.1.0
        name: "Test </pre><script>alert('x')</script> & co"
        ladder:
          - id: prevention

        """

    /// A comparison of two synthetic runs (the differences are a third synthetic run).
    /// The mean cumulative net cost is 2.35 mio. DKK at the end of 2026 and 2.35 mio. −
    /// `cumulativeStep` at the end of 2027 (default: −0.65 mio., so the mean breaks even in 2027,
    /// crossing zero at 1 + 2.35 / 3 ≈ 1.78 years, in 2027-10); `cumulativeStart` moves both by
    /// the same amount.
    static func comparison(breakEvenCounts: [Int] = [2, 3], never: Int = 3,
                           cumulativeStep: Double = 3e6, cumulativeStart: Double = 2e6) throws -> (pair: PairedComparison, runs: [AggregatedRun], info: ComparisonInfo) {
        let a = try run(salt: 0), b = try run(salt: 1)
        let d = try run(salt: 2, emptyMetric: nil)
        let yearly: (AggregatedRun) -> [[Double?]] = { r in r.yearly.map { $0.map(\.mean) } }
        let cumulative = (0..<years).map { y in
            Summaries.summarize((0..<8).map { r in cumulativeStart - Double(y) * cumulativeStep + Double(r) * 1e5 })
        }
        let pair = PairedComparison(
            baseline: 0, alternative: 1, differences: d,
            baselineTotals: a.totals.map(\.mean), alternativeTotals: b.totals.map(\.mean),
            baselineYearly: yearly(a), alternativeYearly: yearly(b),
            unpairedCi95HalfWidth: a.totals.map { _ in 1.0 }, unpairedYearlyCi95HalfWidth: a.yearly.map { $0.map { _ in 1.0 } },
            probabilityCheaper: 0.625, probabilityCheaperNPV: 0.5,
            breakEven: BreakEven(yearLabels: layout.yearLabels, counts: breakEvenCounts, notWithinHorizon: never),
            cumulativeNetCost: cumulative)
        let info = ComparisonInfo(names: ["base", "more-staff"], titles: ["Base <1>", "More staff & co"], seed: 7,
                                  replications: 8, years: Double(years), tool: tool,
                                  notes: ["more-staff.yaml: seed 3 replaced by the baseline's 7 (common random numbers)"])
        return (pair, [a, b], info)
    }
}

/// XML helpers on top of FoundationXML.
enum XML {
    /// Parses a document; records a test issue and returns nil when it is not well-formed.
    static func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> XMLDocument? {
        do {
            return try XMLDocument(xmlString: text, options: [])
        } catch {
            Issue.record("not well-formed XML: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// Elements (any namespace-free name) whose class list contains `cls`, under `node`.
    static func withClass(_ cls: String, in node: XMLNode, element: String = "*") -> [XMLElement] {
        let xpath = ".//\(element)[contains(concat(' ', normalize-space(@class), ' '), ' \(cls) ')]"
        return ((try? node.nodes(forXPath: xpath)) ?? []).compactMap { $0 as? XMLElement }
    }

    /// All elements with a name under `node`.
    static func elements(_ name: String, in node: XMLNode) -> [XMLElement] {
        ((try? node.nodes(forXPath: ".//\(name)")) ?? []).compactMap { $0 as? XMLElement }
    }

    /// The text of an element and its descendants.
    static func text(_ node: XMLNode) -> String { node.stringValue ?? "" }

    /// The `<svg>…</svg>` fragments of a page (they are not nested).
    static func svgFragments(_ html: String) -> [String] {
        var out: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<svg"), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            out.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return out
    }
}
