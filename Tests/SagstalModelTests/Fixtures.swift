import SagstalModel
import SagstalScenario
import SagstalStats

/// Scenarios built in code for model tests.
enum Fixtures {
    /// Five steps, every mechanism switched on.
    static func rich(seed: UInt64 = 7, years: Double = 3) -> Scenario {
        var s = Scenario(
            name: "rich",
            ladder: [
                LadderStep(id: "prevention", costPerYear: 60_000, duration: .lognormalMeanSD(mean: 240, sd: 150),
                           next: Transitions(up: 0.08, down: 0, exit: 0.6)),
                LadderStep(id: "homeBased", costPerYear: 180_000, duration: .gammaMeanSD(mean: 200, sd: 80),
                           next: Transitions(up: 0.1, down: 0.3, exit: 0.3)),
                LadderStep(id: "kinship", placement: true, costPerYear: 150_000, duration: .gammaMeanSD(mean: 500, sd: 200),
                           next: Transitions(up: 0.1, down: 0.2, exit: 0.3)),
                LadderStep(id: "foster", placement: true, costPerYear: 470_000, duration: .gammaMeanSD(mean: 700, sd: 300),
                           next: Transitions(up: 0.1, down: 0.2, exit: 0.3)),
                LadderStep(id: "residential", placement: true, costPerYear: 1_160_000, duration: .weibull(shape: 1.5, scale: 400),
                           next: Transitions(up: 0, down: 0.4, exit: 0.3)),
            ],
            teams: [
                Team(id: "north", share: 2, caseworkers: 6, cap: 25, method: MethodMultipliers(escalate: 0.85, deescalate: 1.2)),
                Team(id: "south", share: 1, caseworkers: 3, cap: 20, policy: .waitlist),
            ])
        s.simulation.years = years
        s.simulation.warmupYears = 0.5
        s.simulation.seed = seed
        s.simulation.replications = 4
        s.notifications.perYear = 900
        s.notifications.growthPerYear = 0.03
        s.notifications.seasonality = [1, 1, 1.2, 1, 1, 0.8, 0.6, 0.9, 1.1, 1.2, 1.1, 1.1]
        s.notifications.concernsOpenCase = 0.3
        s.notifications.escalateOnRenotification = 0.05
        s.screening.opensCase = 0.4
        s.assessment.duration = .gammaMeanSD(mean: 70, sd: 30)
        s.assessment.outcome = [OutcomeWeight("close", 0.4), OutcomeWeight("prevention", 0.3), OutcomeWeight("homeBased", 0.18),
                                OutcomeWeight("kinship", 0.03), OutcomeWeight("foster", 0.07), OutcomeWeight("residential", 0.02)]
        s.assessment.cost = 15_000
        s.caseload.elasticity = Elasticities(escalate: 0.8, deescalate: 0.5, close: 0.3, duration: 0.2)
        s.staff.costPerYear = 520_000
        s.staff.recruitmentCost = 50_000
        s.staff.turnover = Turnover(perYear: 0.2, overloadElasticity: 1.5)
        s.staff.recruitment = .gammaMeanSD(mean: 75, sd: 30)
        s.staff.rampUp = RampUp(days: 90, capShare: 0.5)
        s.staff.changes = [StaffChange(at: CalendarDate(year: 2026, month: 7, day: 1), team: "north", caseworkers: .relative(2)),
                           StaffChange(at: CalendarDate(year: 2027, month: 1, day: 1), team: "south", cap: 25),
                           StaffChange(at: CalendarDate(year: 2027, month: 6, day: 1), team: "north", caseworkers: .relative(-1))]
        s.outreach = OutreachSettings(workers: 2, coursesPerWorker: 12, reach: 0.3, duration: .gammaMeanSD(mean: 60, sd: 20),
                                      resolves: 0.6, costPerCourse: 5000, costPerWorkerYear: 520_000)
        s.initial = [InitialStock(step: "prevention", count: 80), InitialStock(step: "homeBased", count: 40),
                     InitialStock(step: "kinship", count: 6), InitialStock(step: "foster", count: 30),
                     InitialStock(step: "residential", count: 5)]
        s.costs.discountRate = 0.03
        s.costs.oneOff = [OneOffCost(at: CalendarDate(year: 2026, month: 1, day: 1), amount: 1_200_000, label: "training")]
        return s
    }

    /// The rich scenario with version 2's mechanisms: two age bands (north and east share [0, 15),
    /// east and south are waitlist teams; south takes [15, 18)), two follow-ups (one with a negative
    /// elasticity), and dated method, share, cap and headcount changes — south has nobody active
    /// for two months, so transfers into a waitlist team with nobody active happen too.
    static func bands(seed: UInt64 = 7, years: Double = 3) -> Scenario {
        var s = rich(seed: seed, years: years)
        s.teams = [
            Team(id: "north", share: 2, caseworkers: 6, cap: 25, method: MethodMultipliers(escalate: 0.85, deescalate: 1.2),
                 ages: AgeBand(min: 0, max: 15)),
            Team(id: "east", share: 1, caseworkers: 2, cap: 12, policy: .waitlist, ages: AgeBand(min: 0, max: 15)),
            Team(id: "south", share: 1, caseworkers: 3, cap: 20, policy: .waitlist, ages: AgeBand(min: 15, max: 18)),
        ]
        s.followUps = [
            FollowUp(id: "tilsyn", steps: ["kinship", "foster", "residential"], everyDays: 60, elasticity: 0.8),
            FollowUp(id: "samtale", steps: ["homeBased", "foster"], everyDays: 45, elasticity: -0.5),
        ]
        func at(_ y: Int, _ m: Int) -> CalendarDate { CalendarDate(year: y, month: m, day: 1) }
        s.staff.changes = [
            StaffChange(at: at(2026, 7), team: "north", caseworkers: .relative(2)),
            StaffChange(at: at(2026, 10), team: "south", method: MethodChange(escalate: 0.9, duration: 0.8)),
            StaffChange(at: at(2027, 1), team: "east", share: 0),
            StaffChange(at: at(2027, 1), team: "south", cap: 25),
            StaffChange(at: at(2027, 3), team: "south", caseworkers: .set(0)),
            StaffChange(at: at(2027, 5), team: "south", caseworkers: .set(3), immediate: true),
            StaffChange(at: at(2027, 6), team: "north", caseworkers: .relative(-1), cap: 22, method: MethodChange(escalate: 0.7)),
            StaffChange(at: at(2027, 9), team: "east", caseworkers: .relative(1), cap: 14, immediate: true,
                        method: MethodChange(duration: 1.2), share: 1.5),
        ]
        return s
    }

    static func run(_ s: Scenario, replication: Int = 0) throws -> (record: ReplicationRecord, layout: MetricLayout) {
        let cs = try CompiledScenario(s)
        let r = try Replication(cs, index: replication)
        return (try r.run(), cs.layout)
    }

    static func total(_ result: (record: ReplicationRecord, layout: MetricLayout), _ metric: String) -> Double {
        result.record.totals[result.layout.totalsMetrics.firstIndex(of: metric)!]
    }
}
