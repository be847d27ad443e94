import SagstalScenario
import SagstalStats

/// The slots of the raw per-month accumulators of one replication.
///
/// Each month keeps counts, time integrals (in days) and end-of-period snapshots.
/// Yearly and whole-horizon figures are derived from the months, so a ratio such as
/// `waitDaysMean` is a ratio of sums over the period (MODEL.md §8), never a mean of
/// monthly ratios.
struct RawSlots {
    // Counts.
    static let notifications = 0
    static let renotifications = 1
    static let renotificationEscalations = 2
    static let screenedOut = 3
    static let outreachCourses = 4
    static let outreachResolved = 5
    static let casesOpened = 6
    static let assessmentsCompleted = 7
    static let deadlineBreaches = 8
    static let assignments = 9
    static let waitDaysSum = 10
    static let waitedCount = 11
    static let placementsStarted = 12
    static let placementChanges = 13
    static let casesClosed = 14
    static let agedOut = 15
    static let leavers = 16
    static let hires = 17
    // Money counted at instants (DKK).
    static let costAssessments = 18
    static let costRecruitment = 19
    static let costOutreachCourses = 20
    static let costOneOff = 21
    // Time integrals (child-days, worker-days, days).
    static let periodDays = 22
    static let waitingDays = 23
    static let unassignedDays = 24
    static let loadDays = 25
    static let activeDays = 26
    static let overCapDays = 27
    static let vacantDays = 28
    static let transfers = 29
    static let placedDays = 30
    // Snapshots at the period's end.
    static let openCasesEnd = 31
    static let placedEnd = 32
    static let fixedCount = 33

    let steps: Int
    let teams: Int
    let followUps: Int
    init(steps: Int, teams: Int = 1, followUps: Int = 0) {
        self.steps = steps
        self.teams = teams
        self.followUps = followUps
    }

    func entries(_ k: Int) -> Int { RawSlots.fixedCount + k }
    func stepDays(_ k: Int) -> Int { RawSlots.fixedCount + steps + k }
    func stepEnd(_ k: Int) -> Int { RawSlots.fixedCount + 2 * steps + k }

    /// Per team i: ∫ caseload, ∫ active, ∫ over cap, ∫ waiting (days), cases routed at screening.
    static let perTeam = 5
    func teamBase(_ i: Int) -> Int { RawSlots.fixedCount + 3 * steps + RawSlots.perTeam * i }
    func teamLoadDays(_ i: Int) -> Int { teamBase(i) }
    func teamActiveDays(_ i: Int) -> Int { teamBase(i) + 1 }
    func teamOverCapDays(_ i: Int) -> Int { teamBase(i) + 2 }
    func teamWaitingDays(_ i: Int) -> Int { teamBase(i) + 3 }
    func teamCasesOpened(_ i: Int) -> Int { teamBase(i) + 4 }

    /// Per follow-up f: due, missed.
    func followUpDue(_ f: Int) -> Int { RawSlots.fixedCount + 3 * steps + RawSlots.perTeam * teams + 2 * f }
    func followUpMissed(_ f: Int) -> Int { followUpDue(f) + 1 }

    var count: Int { RawSlots.fixedCount + 3 * steps + RawSlots.perTeam * teams + 2 * followUps }

    /// Slots that are snapshots (take the last month's value, not the sum).
    func isSnapshot(_ slot: Int) -> Bool {
        slot == RawSlots.openCasesEnd || slot == RawSlots.placedEnd || (slot >= stepEnd(0) && slot < stepEnd(0) + steps)
    }
}

/// Names of the output metrics (MODEL.md §8) and how each is computed from raw slots.
public struct MetricCatalog: Sendable {
    public let stepIDs: [String]
    public let teamIDs: [String]
    public let followUpIDs: [String]
    /// Whether `caseloadFamiliesMean` is reported (cases counted in families).
    public let families: Bool
    /// Metrics reported for totals, every budget year and every month, in output order.
    public let periodMetrics: [String]
    /// Metrics reported for the totals only.
    public let totalsOnlyMetrics: [String] = ["cost.npv"]

    public init(stepIDs: [String], teamIDs: [String] = [], followUpIDs: [String] = [], families: Bool = false) {
        self.stepIDs = stepIDs
        self.teamIDs = teamIDs
        self.followUpIDs = followUpIDs
        self.families = families
        var names = [
            "notifications", "renotifications", "renotificationEscalations", "screenedOut",
            "outreachCourses", "outreachResolved", "casesOpened", "assessmentsCompleted", "deadlineBreaches",
            "assignments", "waitDaysMean", "waitedShare", "waitingMean", "unassignedMean", "openCasesEnd",
            "placementsStarted", "placementChanges", "casesClosed", "agedOut", "placedChildYears", "placedEnd",
        ]
        for id in stepIDs { names += ["step.\(id).entries", "step.\(id).childYears", "step.\(id).end"] }
        names.append("caseloadMean")
        if families { names.append("caseloadFamiliesMean") }
        names += ["overCapShare", "caseworkersMean", "leavers", "hires", "vacancyYears", "transfers"]
        for id in teamIDs {
            names += ["team.\(id).caseloadMean", "team.\(id).overCapShare", "team.\(id).waitingMean",
                      "team.\(id).caseworkersMean", "team.\(id).casesOpened"]
        }
        for id in followUpIDs {
            names += ["followUp.\(id).due", "followUp.\(id).missed", "followUp.\(id).missedShare"]
        }
        names += ["cost.total", "cost.staff", "cost.interventions"]
        for id in stepIDs { names.append("cost.step.\(id)") }
        names += ["cost.assessments", "cost.recruitment", "cost.outreach", "cost.oneOff"]
        periodMetrics = names
    }

    /// The layout of a run of `scenario`.
    public static func layout(for scenario: Scenario) -> MetricLayout {
        let catalog = MetricCatalog(stepIDs: scenario.ladder.map(\.id), teamIDs: scenario.teams.map(\.id),
                                    followUpIDs: scenario.followUps.map(\.id),
                                    families: scenario.caseload.casesCountedAs == .families)
        return MetricLayout(periodMetrics: catalog.periodMetrics, totalsOnlyMetrics: catalog.totalsOnlyMetrics,
                            yearLabels: ModelTime.yearLabels(start: scenario.simulation.start, years: scenario.simulation.years),
                            monthLabels: ModelTime.monthLabels(start: scenario.simulation.start, years: scenario.simulation.years))
    }
}

/// Turns raw accumulators into metric values, in `MetricCatalog.periodMetrics` order.
struct MetricDeriver {
    let slots: RawSlots
    let stepCostPerDay: [Double]
    let staffCostPerDay: Double
    let outreachCostPerDay: Double
    /// Children per family when `caseloadFamiliesMean` is reported, else nil.
    let childrenPerFamily: Double?

    /// Sums months `range` of `raw` (month-major, `slots.count` per month) into one raw vector;
    /// snapshot slots take the last month's value.
    func combine(_ raw: [Double], months range: Range<Int>) -> [Double] {
        var out = [Double](repeating: 0, count: slots.count)
        for m in range {
            let base = m * slots.count
            for s in 0..<slots.count {
                if slots.isSnapshot(s) { out[s] = raw[base + s] } else { out[s] += raw[base + s] }
            }
        }
        return out
    }

    /// Metric values of one period from its raw vector. NaN marks an empty denominator.
    func metrics(_ r: [Double]) -> [Double] {
        func ratio(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : .nan }
        let y = ModelTime.daysPerYear
        let k = slots.steps
        var v: [Double] = []
        v.reserveCapacity(40 + 4 * k)
        v += [r[RawSlots.notifications], r[RawSlots.renotifications], r[RawSlots.renotificationEscalations],
              r[RawSlots.screenedOut], r[RawSlots.outreachCourses], r[RawSlots.outreachResolved],
              r[RawSlots.casesOpened], r[RawSlots.assessmentsCompleted], r[RawSlots.deadlineBreaches],
              r[RawSlots.assignments],
              ratio(r[RawSlots.waitDaysSum], r[RawSlots.assignments]),
              ratio(r[RawSlots.waitedCount], r[RawSlots.assignments]),
              ratio(r[RawSlots.waitingDays], r[RawSlots.periodDays]),
              ratio(r[RawSlots.unassignedDays], r[RawSlots.periodDays]),
              r[RawSlots.openCasesEnd],
              r[RawSlots.placementsStarted], r[RawSlots.placementChanges], r[RawSlots.casesClosed], r[RawSlots.agedOut],
              r[RawSlots.placedDays] / y, r[RawSlots.placedEnd]]
        for s in 0..<k {
            v += [r[slots.entries(s)], r[slots.stepDays(s)] / y, r[slots.stepEnd(s)]]
        }
        let staff = r[RawSlots.activeDays] * staffCostPerDay
        var interventions = 0.0
        var stepCosts: [Double] = []
        for s in 0..<k {
            let c = r[slots.stepDays(s)] * stepCostPerDay[s]
            stepCosts.append(c)
            interventions += c
        }
        let outreach = r[RawSlots.periodDays] * outreachCostPerDay + r[RawSlots.costOutreachCourses]
        let total = staff + r[RawSlots.costRecruitment] + interventions + r[RawSlots.costAssessments]
            + outreach + r[RawSlots.costOneOff]
        let caseload = ratio(r[RawSlots.loadDays], r[RawSlots.activeDays])
        v.append(caseload)
        if let c = childrenPerFamily { v.append(caseload / c) }
        v += [ratio(r[RawSlots.overCapDays], r[RawSlots.activeDays]),
              ratio(r[RawSlots.activeDays], r[RawSlots.periodDays]),
              r[RawSlots.leavers], r[RawSlots.hires], r[RawSlots.vacantDays] / y, r[RawSlots.transfers]]
        for i in 0..<slots.teams {
            v += [ratio(r[slots.teamLoadDays(i)], r[slots.teamActiveDays(i)]),
                  ratio(r[slots.teamOverCapDays(i)], r[slots.teamActiveDays(i)]),
                  ratio(r[slots.teamWaitingDays(i)], r[RawSlots.periodDays]),
                  ratio(r[slots.teamActiveDays(i)], r[RawSlots.periodDays]),
                  r[slots.teamCasesOpened(i)]]
        }
        for f in 0..<slots.followUps {
            v += [r[slots.followUpDue(f)], r[slots.followUpMissed(f)], ratio(r[slots.followUpMissed(f)], r[slots.followUpDue(f)])]
        }
        v += [total, staff, interventions]
        v += stepCosts
        v += [r[RawSlots.costAssessments], r[RawSlots.costRecruitment], outreach, r[RawSlots.costOneOff]]
        return v
    }
}
