/// A fully resolved scenario (MODEL.md §7): after `extends`, defaults and `--set`,
/// validated. Every field has its final value; nothing here is optional unless the
/// model says the mechanism may be absent (outreach).
///
/// These are plain value types. Loading, merging, validating and printing them
/// back as YAML live in `ScenarioLoader` and `ScenarioEmitter`.
public struct Scenario: Sendable, Equatable {
    public var name: String
    public var simulation: SimulationSettings
    public var children: ChildrenSettings
    public var notifications: NotificationSettings
    public var screening: ScreeningSettings
    public var assessment: AssessmentSettings
    public var ladder: [LadderStep]
    public var caseload: CaseloadSettings
    public var teams: [Team]
    public var staff: StaffSettings
    /// Present in the file; the model treats it as off unless it has a slot and reach > 0.
    public var outreach: OutreachSettings?
    /// Initial stock per ladder step, in the order written.
    public var initial: [InitialStock]
    public var costs: CostSettings
    /// Statutory follow-ups (MODEL.md §5.10), in the order written.
    public var followUps: [FollowUp]

    public init(name: String, simulation: SimulationSettings = .init(), children: ChildrenSettings = .init(),
                notifications: NotificationSettings = .init(), screening: ScreeningSettings = .init(),
                assessment: AssessmentSettings = .init(), ladder: [LadderStep], caseload: CaseloadSettings = .init(),
                teams: [Team], staff: StaffSettings = .init(), outreach: OutreachSettings? = nil,
                initial: [InitialStock] = [], costs: CostSettings = .init(), followUps: [FollowUp] = []) {
        self.name = name
        self.simulation = simulation
        self.children = children
        self.notifications = notifications
        self.screening = screening
        self.assessment = assessment
        self.ladder = ladder
        self.caseload = caseload
        self.teams = teams
        self.staff = staff
        self.outreach = outreach
        self.initial = initial
        self.costs = costs
        self.followUps = followUps
    }
}

/// A distribution as written in a scenario file (MODEL.md §3), keeping the user's
/// parametrisation so the resolved file reproduces the run bit for bit.
public enum DistributionSpec: Sendable, Equatable {
    case fixed(Double)
    case exponential(mean: Double)
    case gammaMeanSD(mean: Double, sd: Double)
    case gammaShapeScale(shape: Double, scale: Double)
    case lognormalMeanSD(mean: Double, sd: Double)
    case lognormalMuSigma(mu: Double, sigma: Double)
    case weibull(shape: Double, scale: Double)
    case uniform(min: Double, max: Double)
    case empirical(values: [Double], weights: [Double])
}

/// A calendar date (proleptic Gregorian), as in `simulation.start` or `staff.changes[].at`.
public struct CalendarDate: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// True for a real date (month 1–12, day within the month).
    public var isValid: Bool {
        (1...12).contains(month) && day >= 1 && day <= CalendarDate.daysIn(month: month, year: year)
    }

    /// 1-based day of the year.
    public var dayOfYear: Int {
        var d = day
        for m in 1..<month { d += CalendarDate.daysIn(month: m, year: year) }
        return d
    }

    /// year + (day of year − 1) / (days in that year)  (MODEL.md §2).
    public var decimalYear: Double {
        Double(year) + Double(dayOfYear - 1) / Double(CalendarDate.isLeap(year) ? 366 : 365)
    }

    /// Simulation time (days) of this date for a run starting at `start`:
    /// 365.25 · (decimal year − decimal year of start).
    public func days(since start: CalendarDate) -> Double {
        365.25 * (decimalYear - start.decimalYear)
    }

    /// Model days since 1970-01-01T00:00:00 of "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ss", nil when
    /// it is not such a date. The model's calendar (MODEL.md § 2, ``days(since:)``):
    /// 365.25 days per decimal year, the inverse of how `run --episodes` and `trace` write their times, so a
    /// stay read back has the length it had in the model.
    public static func isoDays(_ text: String) -> Double? {
        let s = Array(text.utf8)
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= s.count else { return nil }
            var v = 0
            for i in from..<(from + count) {
                guard s[i] >= 48 && s[i] <= 57 else { return nil }
                v = v * 10 + Int(s[i] - 48)
            }
            return v
        }
        guard s.count == 10 || s.count == 19, s[4] == 45, s[7] == 45,
              let y = digits(0, 4), let m = digits(5, 2), let d = digits(8, 2) else { return nil }
        let date = CalendarDate(year: y, month: m, day: d)
        guard date.isValid else { return nil }
        var seconds = 0.0
        if s.count == 19 {
            guard s[10] == 84 || s[10] == 32, s[13] == 58, s[16] == 58, let h = digits(11, 2), let mi = digits(14, 2), let se = digits(17, 2),
                  h < 24, mi < 60, se < 60 else { return nil }
            seconds = Double(h * 3600 + mi * 60 + se)
        }
        let daysInYear = CalendarDate.isLeap(y) ? 366.0 : 365.0
        return date.days(since: epoch) + 365.25 * seconds / 86_400 / daysInYear
    }

    /// 1970-01-01, the origin of ``isoDays(_:)``.
    public static let epoch = CalendarDate(year: 1970, month: 1, day: 1)

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// ISO form, `2026-01-01`; years below 1000 are padded to four digits (`0001-01-01`) so that
    /// the resolved scenario reads back as the same date.
    public var description: String {
        let digits = String(year)
        let y = year >= 0 && digits.count < 4 ? String(repeating: "0", count: 4 - digits.count) + digits : digits
        let m = month < 10 ? "0\(month)" : "\(month)"
        let d = day < 10 ? "0\(day)" : "\(day)"
        return "\(y)-\(m)-\(d)"
    }
}

public struct SimulationSettings: Sendable, Equatable {
    public var start: CalendarDate = CalendarDate(year: 2026, month: 1, day: 1)
    /// Horizon in years (may be fractional: the last budget year is then short).
    public var years: Double = 10
    public var warmupYears: Double = 0
    public var replications: Int = 100
    public var seed: UInt64 = 1
    /// GSL generator name (`gsl_rng_types_setup` names), default mt19937.
    public var generator: String = "mt19937"
    public init() {}
}

public struct ChildrenSettings: Sendable, Equatable {
    public var ageOut: Double = 18
    /// Default: uniform over whole years 0–17 (empirical, integer values → U[0,1) added).
    public var ageAtNotification: DistributionSpec = .empirical(values: (0...17).map(Double.init),
                                                                 weights: Array(repeating: 1, count: 18))
    public init() {}
}

public struct NotificationSettings: Sendable, Equatable {
    public var perYear: Double = 0
    public var growthPerYear: Double = 0
    /// 12 non-negative factors, January first, as written (the model normalises them to mean 1).
    public var seasonality: [Double] = Array(repeating: 1, count: 12)
    public var concernsOpenCase: Double = 0
    public var escalateOnRenotification: Double = 0
    public init() {}
}

public struct ScreeningSettings: Sendable, Equatable {
    public var opensCase: Double = 1
    public init() {}
}

/// One weight of `assessment.outcome`: `close` or a ladder step id.
public struct OutcomeWeight: Sendable, Equatable {
    public var outcome: String
    public var weight: Double
    public init(_ outcome: String, _ weight: Double) {
        self.outcome = outcome
        self.weight = weight
    }
}

public struct AssessmentSettings: Sendable, Equatable {
    public var duration: DistributionSpec = .fixed(0)
    /// Weights over `close` and ladder step ids, in the order written.
    public var outcome: [OutcomeWeight] = [OutcomeWeight("close", 1)]
    public var deadlineDays: Double = 121.75
    public var cost: Double = 0
    public init() {}
}

/// `ladder[k].next`: probabilities at the end of a sojourn; stay = 1 − up − down − exit.
public struct Transitions: Sendable, Equatable {
    public var up: Double = 0
    public var down: Double = 0
    public var exit: Double = 0
    public var stay: Double { 1 - up - down - exit }
    public init(up: Double = 0, down: Double = 0, exit: Double = 0) {
        self.up = up
        self.down = down
        self.exit = exit
    }
}

public struct LadderStep: Sendable, Equatable {
    public var id: String
    public var name: String
    public var placement: Bool = false
    public var costPerYear: Double = 0
    public var duration: DistributionSpec
    public var next: Transitions = Transitions()
    public init(id: String, name: String? = nil, placement: Bool = false, costPerYear: Double = 0,
                duration: DistributionSpec, next: Transitions = Transitions()) {
        self.id = id
        self.name = name ?? id
        self.placement = placement
        self.costPerYear = costPerYear
        self.duration = duration
        self.next = next
    }
}

public enum CaseCounting: String, Sendable, Equatable, CaseIterable {
    case children
    case families
}

public struct Elasticities: Sendable, Equatable {
    public var escalate: Double = 0
    public var deescalate: Double = 0
    public var close: Double = 0
    public var duration: Double = 0
    public init(escalate: Double = 0, deescalate: Double = 0, close: Double = 0, duration: Double = 0) {
        self.escalate = escalate
        self.deescalate = deescalate
        self.close = close
        self.duration = duration
    }
}

public struct CaseloadSettings: Sendable, Equatable {
    /// In children, or in families when `casesCountedAs == .families`.
    public var reference: Double = 30
    public var casesCountedAs: CaseCounting = .children
    public var childrenPerFamily: Double = 1
    public var elasticity: Elasticities = Elasticities()
    public init() {}

    /// Children per counted case: `childrenPerFamily` when counting families, else 1.
    public var childrenPerCase: Double { casesCountedAs == .families ? childrenPerFamily : 1 }
}

public enum AssignmentPolicy: String, Sendable, Equatable, CaseIterable {
    case overflow
    case waitlist
}

/// A team's method multipliers (MODEL.md §5.8): `duration` multiplies every sojourn and
/// assessment duration of the team's children (the load factor's method part); default 1.
public struct MethodMultipliers: Sendable, Equatable {
    public var escalate: Double = 1
    public var deescalate: Double = 1
    public var close: Double = 1
    public var duration: Double = 1
    public init(escalate: Double = 1, deescalate: Double = 1, close: Double = 1, duration: Double = 1) {
        self.escalate = escalate
        self.deescalate = deescalate
        self.close = close
        self.duration = duration
    }
}

public struct Team: Sendable, Equatable {
    public var id: String
    /// Display name in reports and on the console (default: the id).
    public var name: String
    public var share: Double = 1
    public var caseworkers: Int
    /// In the scenario's counting unit (children or families).
    public var cap: Double
    public var policy: AssignmentPolicy = .overflow
    public var method: MethodMultipliers = MethodMultipliers()
    /// Age band `[min, max)` in years; nil means the default `[0, children.ageOut)` (MODEL.md §4).
    /// The loader reads a band written as `[0, ageOut]` as nil too (the resolved file writes every band).
    public var ages: AgeBand?
    public init(id: String, name: String? = nil, share: Double = 1, caseworkers: Int, cap: Double,
                policy: AssignmentPolicy = .overflow, method: MethodMultipliers = MethodMultipliers(),
                ages: AgeBand? = nil) {
        self.id = id
        self.name = name ?? id
        self.share = share
        self.caseworkers = caseworkers
        self.cap = cap
        self.policy = policy
        self.method = method
        self.ages = ages
    }

    /// The team's band with the default filled in for a scenario whose children age out at `ageOut`.
    public func band(ageOut: Double) -> AgeBand { ages ?? AgeBand(min: 0, max: ageOut) }
}

/// A team's age band (MODEL.md §4): ages `min ≤ a < max`, in years.
public struct AgeBand: Sendable, Equatable {
    public var min: Double
    public var max: Double
    public init(min: Double, max: Double) {
        self.min = min
        self.max = max
    }

    /// True when age `a` lies in `[min, max)`.
    @inlinable public func contains(_ a: Double) -> Bool { a >= min && a < max }
}

public struct Turnover: Sendable, Equatable {
    public var perYear: Double = 0
    public var overloadElasticity: Double = 0
    public init(perYear: Double = 0, overloadElasticity: Double = 0) {
        self.perYear = perYear
        self.overloadElasticity = overloadElasticity
    }
}

public struct RampUp: Sendable, Equatable {
    public var days: Double = 0
    public var capShare: Double = 1
    public init(days: Double = 0, capShare: Double = 1) {
        self.days = days
        self.capShare = capShare
    }
}

/// `staff.changes[].caseworkers`: a plain N sets the number of positions; "+N"/"-N" is relative.
public enum HeadcountChange: Sendable, Equatable {
    case set(Int)
    case relative(Int)
}

/// Method multipliers set by a dated change (MODEL.md §5.6): keys not given keep the team's value.
public struct MethodChange: Sendable, Equatable {
    public var escalate: Double?
    public var deescalate: Double?
    public var close: Double?
    public var duration: Double?
    public init(escalate: Double? = nil, deescalate: Double? = nil, close: Double? = nil, duration: Double? = nil) {
        self.escalate = escalate
        self.deescalate = deescalate
        self.close = close
        self.duration = duration
    }

    /// `method` with the keys of this change replaced.
    public func applied(to method: MethodMultipliers) -> MethodMultipliers {
        MethodMultipliers(escalate: escalate ?? method.escalate, deescalate: deescalate ?? method.deescalate,
                          close: close ?? method.close, duration: duration ?? method.duration)
    }
}

public struct StaffChange: Sendable, Equatable {
    public var at: CalendarDate
    public var team: String
    public var caseworkers: HeadcountChange?
    public var cap: Double?
    public var immediate: Bool = false
    /// New method multipliers from this date (partial).
    public var method: MethodChange?
    /// New routing share from this date.
    public var share: Double?
    public init(at: CalendarDate, team: String, caseworkers: HeadcountChange? = nil, cap: Double? = nil, immediate: Bool = false,
                method: MethodChange? = nil, share: Double? = nil) {
        self.at = at
        self.team = team
        self.caseworkers = caseworkers
        self.cap = cap
        self.immediate = immediate
        self.method = method
        self.share = share
    }
}

public struct StaffSettings: Sendable, Equatable {
    public var costPerYear: Double = 0
    public var recruitmentCost: Double = 0
    public var turnover: Turnover = Turnover()
    public var recruitment: DistributionSpec = .fixed(0)
    public var rampUp: RampUp = RampUp()
    public var changes: [StaffChange] = []
    public init() {}
}

public struct OutreachSettings: Sendable, Equatable {
    /// Outreach workers (FTE; may be fractional).
    public var workers: Double
    public var coursesPerWorker: Double = 1
    public var reach: Double = 1
    public var duration: DistributionSpec = .fixed(0)
    public var resolves: Double = 0
    public var costPerCourse: Double = 0
    public var costPerWorkerYear: Double = 0
    public init(workers: Double, coursesPerWorker: Double = 1, reach: Double = 1, duration: DistributionSpec = .fixed(0),
                resolves: Double = 0, costPerCourse: Double = 0, costPerWorkerYear: Double = 0) {
        self.workers = workers
        self.coursesPerWorker = coursesPerWorker
        self.reach = reach
        self.duration = duration
        self.resolves = resolves
        self.costPerCourse = costPerCourse
        self.costPerWorkerYear = costPerWorkerYear
    }

    /// ⌊workers × coursesPerWorker + 10⁻⁹⌋ course slots (MODEL.md §5.7: 0.57 × 100 is 57).
    public var slots: Int {
        let x = (workers * coursesPerWorker + 1e-9).rounded(.down)
        return x < Double(Int.max) ? Int(x) : Int.max
    }
}

public struct InitialStock: Sendable, Equatable {
    public var step: String
    public var count: Int
    public init(step: String, count: Int) {
        self.step = step
        self.count = count
    }
}

public struct OneOffCost: Sendable, Equatable {
    public var at: CalendarDate
    public var amount: Double
    public var label: String
    public init(at: CalendarDate, amount: Double, label: String = "") {
        self.at = at
        self.amount = amount
        self.label = label
    }
}

public struct CostSettings: Sendable, Equatable {
    public var discountRate: Double = 0
    public var oneOff: [OneOffCost] = []
    public init() {}
}

/// A statutory follow-up (MODEL.md §5.10), e.g. supervision visits (*tilsynsbesøg*) twice a year
/// for every placed child.
public struct FollowUp: Sendable, Equatable {
    public var id: String
    /// Display name (default: the id).
    public var name: String
    /// Ladder step ids on which the follow-up is due.
    public var steps: [String]
    /// Days between due times (default 182.625, twice a year).
    public var everyDays: Double = 182.625
    /// Done on time with probability min(1, x^(−elasticity)), x = caseload / reference.
    public var elasticity: Double = 0
    public init(id: String, name: String? = nil, steps: [String], everyDays: Double = 182.625, elasticity: Double = 0) {
        self.id = id
        self.name = name ?? id
        self.steps = steps
        self.everyDays = everyDays
        self.elasticity = elasticity
    }
}
