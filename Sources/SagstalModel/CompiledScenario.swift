import Foundation
import SagstalRandom
import SagstalScenario
import SagstalStats

/// A scenario prepared for simulation: distributions in GSL's parameters, caps in children,
/// dates as simulation times. Built once per run and shared read-only by all replications.
public struct CompiledScenario: Sendable {
    public let scenario: Scenario
    public let layout: MetricLayout

    let generator: String
    let seed: UInt64
    let runStart: Double            // −365.25 · warmupYears
    let horizon: Double             // 365.25 · years
    let months: Int
    let years: Int
    let startMonth: Int

    // Notifications.
    let baseRate: Double            // per day
    let growth: Double
    let growthPerDay: Double        // ln(1 + g) / 365.25
    let season: [Double]            // normalised to mean 1
    let concernsOpenCase: Double
    let escalateOnRenotification: Double

    let opensCase: Double
    let ageOut: Double
    let age: Distribution

    // Assessment.
    let assessmentDuration: Distribution
    /// Outcome weights: index 0 = close, 1 + k = ladder step k.
    let outcomeWeights: [Double]
    let deadlineDays: Double
    let assessmentCost: Double

    // Ladder.
    let stepCount: Int
    let stepDuration: [Distribution]
    let placement: [Bool]
    let up: [Double], down: [Double], exit: [Double], stay: [Double]
    let stepCostPerDay: [Double]

    // Caseload effects (reference in children).
    let reference: Double
    let childrenPerCase: Double
    /// Exponents of x for the effects escalate, deescalate, close, duration (signs applied).
    let effectExponents: [Double]

    // Teams (initial values; shares and methods may change on dated changes).
    let teamIDs: [String]
    let teamShares: [Double]
    let teamCap: [Double]           // children
    let teamPositions: [Int]
    let teamWaitlist: [Bool]
    let teamMethod: [MethodMultipliers]
    /// Age bands [min, max) in years, defaults filled in.
    let teamBand: [AgeBand]
    /// Whether some team's band ends below `ageOut` (so transfers can happen).
    let hasTransfers: Bool

    // Follow-ups (MODEL.md §5.10).
    let followUpCount: Int
    let followUpEvery: [Double]
    /// Exponent of x in the on-time probability min(1, x^exponent) (= −elasticity).
    let followUpExponent: [Double]
    /// Per ladder step: the follow-ups due on it.
    let followUpsOnStep: [[Int]]
    /// Per follow-up and ladder step: whether the step is listed.
    let followUpListed: [[Bool]]

    // Staff.
    let staffCostPerDay: Double
    let recruitmentCost: Double
    let turnoverPerMonth: Double
    let overloadElasticity: Double
    let recruitment: Distribution
    let rampUpDays: Double
    let rampUpCapShare: Double
    let changes: [CompiledChange]

    // Outreach.
    let outreachOn: Bool
    let outreachSlots: Int
    let outreachReach: Double
    let outreachDuration: Distribution
    let outreachResolves: Double
    let outreachCostPerCourse: Double
    let outreachCostPerDay: Double

    // Initial stock: (step index, count).
    let initial: [(step: Int, count: Int)]

    // One-off costs at times within [0, horizon).
    let oneOff: [(time: Double, amount: Double)]
    let discountRate: Double

    struct CompiledChange: Sendable {
        let time: Double
        let team: Int
        let caseworkers: HeadcountChange?
        let cap: Double?             // children
        let immediate: Bool
        let method: MethodChange?
        let share: Double?
    }

    /// Prepares `scenario` for simulation.
    /// - Throws: `GSLError` when a distribution cannot be built (e.g. a bad empirical table)
    ///   or the generator is unknown.
    public init(_ scenario: Scenario) throws {
        self.scenario = scenario
        self.layout = MetricCatalog.layout(for: scenario)
        let sim = scenario.simulation
        guard GSL.hasGenerator(named: sim.generator) else { throw GSLError.unknownGenerator(sim.generator) }
        generator = sim.generator
        seed = sim.seed
        runStart = -ModelTime.daysPerYear * sim.warmupYears
        horizon = ModelTime.daysPerYear * sim.years
        months = ModelTime.months(sim.years)
        years = ModelTime.budgetYears(sim.years)
        startMonth = sim.start.month

        let n = scenario.notifications
        baseRate = n.perYear / ModelTime.daysPerYear
        growth = n.growthPerYear
        growthPerDay = log1p(n.growthPerYear) / ModelTime.daysPerYear
        let seasonTotal = n.seasonality.reduce(0, +)
        season = seasonTotal > 0 ? n.seasonality.map { $0 * 12 / seasonTotal } : Array(repeating: 1, count: 12)
        concernsOpenCase = n.concernsOpenCase
        escalateOnRenotification = n.escalateOnRenotification

        opensCase = scenario.screening.opensCase
        ageOut = scenario.children.ageOut
        age = try CompiledScenario.distribution(scenario.children.ageAtNotification, integerMeansCompletedYears: true)

        let a = scenario.assessment
        assessmentDuration = try CompiledScenario.distribution(a.duration)
        let ids = scenario.ladder.map(\.id)
        var weights = [Double](repeating: 0, count: 1 + ids.count)
        for w in a.outcome {
            if w.outcome == "close" { weights[0] += w.weight } else if let k = ids.firstIndex(of: w.outcome) { weights[1 + k] += w.weight }
        }
        outcomeWeights = weights
        deadlineDays = a.deadlineDays
        assessmentCost = a.cost

        stepCount = scenario.ladder.count
        stepDuration = try scenario.ladder.map { try CompiledScenario.distribution($0.duration) }
        placement = scenario.ladder.map(\.placement)
        up = scenario.ladder.map(\.next.up)
        down = scenario.ladder.map(\.next.down)
        exit = scenario.ladder.map(\.next.exit)
        stay = scenario.ladder.map { max(0, $0.next.stay) }
        stepCostPerDay = scenario.ladder.map { $0.costPerYear / ModelTime.daysPerYear }

        let c = scenario.caseload
        childrenPerCase = c.childrenPerCase
        reference = c.reference * c.childrenPerCase
        effectExponents = [c.elasticity.escalate, -c.elasticity.deescalate, -c.elasticity.close, c.elasticity.duration]

        teamIDs = scenario.teams.map(\.id)
        teamShares = scenario.teams.map(\.share)
        teamCap = scenario.teams.map { $0.cap * c.childrenPerCase }
        teamPositions = scenario.teams.map(\.caseworkers)
        teamWaitlist = scenario.teams.map { $0.policy == .waitlist }
        teamMethod = scenario.teams.map(\.method)
        let ageOut = scenario.children.ageOut
        teamBand = scenario.teams.map { $0.band(ageOut: ageOut) }
        hasTransfers = teamBand.contains { $0.max < ageOut }

        followUpCount = scenario.followUps.count
        followUpEvery = scenario.followUps.map(\.everyDays)
        followUpExponent = scenario.followUps.map { -$0.elasticity }
        followUpListed = scenario.followUps.map { f in ids.map { f.steps.contains($0) } }
        followUpsOnStep = ids.map { id in scenario.followUps.indices.filter { scenario.followUps[$0].steps.contains(id) } }

        let s = scenario.staff
        staffCostPerDay = s.costPerYear / ModelTime.daysPerYear
        recruitmentCost = s.recruitmentCost
        turnoverPerMonth = s.turnover.perYear / 12
        overloadElasticity = s.turnover.overloadElasticity
        recruitment = try CompiledScenario.distribution(s.recruitment)
        rampUpDays = s.rampUp.days
        rampUpCapShare = s.rampUp.capShare
        let teamIDs = scenario.teams.map(\.id)
        let start = sim.start
        let runStart = self.runStart
        let horizon = self.horizon
        changes = s.changes.compactMap { ch -> CompiledChange? in
            guard let team = teamIDs.firstIndex(of: ch.team) else { return nil }
            let t = max(ch.at.days(since: start), runStart)
            guard t < horizon else { return nil }
            return CompiledChange(time: t, team: team, caseworkers: ch.caseworkers,
                                  cap: ch.cap.map { $0 * c.childrenPerCase }, immediate: ch.immediate,
                                  method: ch.method, share: ch.share)
        }

        if let o = scenario.outreach, o.slots >= 1, o.reach > 0 {
            outreachOn = true
            outreachSlots = o.slots
            outreachReach = o.reach
            outreachDuration = try CompiledScenario.distribution(o.duration)
            outreachResolves = o.resolves
            outreachCostPerCourse = o.costPerCourse
        } else {
            outreachOn = false
            outreachSlots = 0
            outreachReach = 0
            outreachDuration = .fixed(0)
            outreachResolves = 0
            outreachCostPerCourse = 0
        }
        // The workers are employed whether or not outreach is on (MODEL.md §5.7, version 2).
        if let o = scenario.outreach, o.workers > 0 {
            outreachCostPerDay = o.workers * o.costPerWorkerYear / ModelTime.daysPerYear
        } else {
            outreachCostPerDay = 0
        }

        initial = scenario.initial.compactMap { st in
            ids.firstIndex(of: st.step).map { (step: $0, count: st.count) }
        }
        oneOff = scenario.costs.oneOff.compactMap { o in
            let t = o.at.days(since: start)
            return (t >= 0 && t < horizon) ? (time: t, amount: o.amount) : nil
        }
        discountRate = scenario.costs.discountRate
    }

    /// λ(t) of MODEL.md §5.1, per day.
    func rate(at t: Double) -> Double { rate(at: t, trend: trend(at: t)) }

    /// λ(t) given `trend` = `trend(at: t)` computed beforehand (the arrival thinning remembers it).
    @inline(__always)
    func rate(at t: Double, trend: Double) -> Double {
        baseRate * trend * season[ModelTime.monthOfYear(t, startMonth: startMonth)]
    }

    /// (1 + growthPerYear)^(t / 365.25).
    @inline(__always)
    func trend(at t: Double) -> Double {
        growth == 0 ? 1 : exp(growthPerDay * t)
    }

    /// Converts a scenario distribution to GSL's parameters.
    static func distribution(_ spec: DistributionSpec, integerMeansCompletedYears: Bool = false) throws -> Distribution {
        switch spec {
        case .fixed(let v): return .fixed(v)
        case .exponential(let m): return .exponential(mean: m)
        case .gammaMeanSD(let m, let sd): return .gamma(mean: m, sd: sd)
        case .gammaShapeScale(let k, let theta): return .gamma(shape: k, scale: theta)
        case .lognormalMeanSD(let m, let sd): return .lognormal(mean: m, sd: sd)
        case .lognormalMuSigma(let mu, let sigma): return .lognormal(mu: mu, sigma: sigma)
        case .weibull(let k, let lambda): return .weibull(shape: k, scale: lambda)
        case .uniform(let lo, let hi): return .uniform(min: lo, max: hi)
        case .empirical(let values, let weights):
            let integral = integerMeansCompletedYears && values.allSatisfy { $0 == $0.rounded() }
            return .empirical(try DiscreteTable(values: values, weights: weights, addsUniformFraction: integral))
        }
    }
}
