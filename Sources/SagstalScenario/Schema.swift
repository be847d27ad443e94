/// The keys of a scenario file (MODEL.md §7), in the order the emitter writes them.
/// Used for unknown-key checks, "did you mean" suggestions and to let `--set` create
/// a key the file did not have.
enum Keys {
    static let root = ["name", "simulation", "children", "notifications", "screening", "assessment", "ladder",
                       "caseload", "teams", "staff", "followUps", "outreach", "initial", "costs"]
    static let simulation = ["start", "years", "warmupYears", "replications", "seed", "generator"]
    static let children = ["ageOut", "ageAtNotification"]
    static let notifications = ["perYear", "growthPerYear", "seasonality", "concernsOpenCase", "escalateOnRenotification"]
    static let screening = ["opensCase"]
    static let assessment = ["duration", "outcome", "deadlineDays", "cost"]
    static let step = ["id", "name", "placement", "costPerYear", "duration", "next"]
    static let next = ["up", "down", "exit", "stay"]
    static let caseload = ["reference", "casesCountedAs", "childrenPerFamily", "elasticity"]
    static let elasticity = ["escalate", "deescalate", "close", "duration"]
    static let team = ["id", "name", "ages", "share", "caseworkers", "cap", "policy", "method"]
    static let method = ["escalate", "deescalate", "close", "duration"]
    static let staff = ["costPerYear", "recruitmentCost", "turnover", "recruitment", "rampUp", "changes"]
    static let turnover = ["perYear", "overloadElasticity"]
    static let rampUp = ["days", "capShare"]
    static let change = ["at", "team", "caseworkers", "cap", "immediate", "method", "share"]
    static let followUp = ["id", "name", "steps", "everyDays", "elasticity"]
    static let outreach = ["workers", "coursesPerWorker", "reach", "duration", "resolves", "costPerCourse", "costPerWorkerYear"]
    static let costs = ["discountRate", "oneOff"]
    static let oneOff = ["at", "amount", "label"]
    /// Every key a distribution map may have (which ones apply depends on `dist`).
    static let distribution = ["dist", "value", "mean", "sd", "shape", "scale", "mu", "sigma", "min", "max", "values", "weights"]
}

/// The shape of the scenario tree, for navigating `--set` paths.
indirect enum Shape: Sendable {
    /// A map with a fixed set of keys.
    case record([(String, Shape)])
    /// A list; items are addressed by index or by `id`.
    case list(Shape)
    /// A map whose keys are the user's (ladder step ids in `initial` and `assessment.outcome`).
    case table(Shape)
    /// A single value.
    case leaf

    static func record(_ keys: [String], _ special: [String: Shape] = [:]) -> Shape {
        .record(keys.map { ($0, special[$0] ?? .leaf) })
    }

    /// A distribution: a plain number, or a map of parameters.
    static let distribution = Shape.record(Keys.distribution, ["values": .list(.leaf), "weights": .list(.leaf)])

    /// The whole scenario file.
    static let scenario: Shape = .record(Keys.root, [
        "simulation": .record(Keys.simulation),
        "children": .record(Keys.children, ["ageAtNotification": distribution]),
        "notifications": .record(Keys.notifications, ["seasonality": .list(.leaf)]),
        "screening": .record(Keys.screening),
        "assessment": .record(Keys.assessment, ["duration": distribution, "outcome": .table(.leaf)]),
        "ladder": .list(.record(Keys.step, ["duration": distribution, "next": .record(Keys.next)])),
        "caseload": .record(Keys.caseload, ["elasticity": .record(Keys.elasticity)]),
        "teams": .list(.record(Keys.team, ["ages": .list(.leaf), "method": .record(Keys.method)])),
        "staff": .record(Keys.staff, [
            "turnover": .record(Keys.turnover),
            "recruitment": distribution,
            "rampUp": .record(Keys.rampUp),
            "changes": .list(.record(Keys.change, ["method": .record(Keys.method)])),
        ]),
        "followUps": .list(.record(Keys.followUp, ["steps": .list(.leaf)])),
        "outreach": .record(Keys.outreach, ["duration": distribution]),
        "initial": .table(.leaf),
        "costs": .record(Keys.costs, ["oneOff": .list(.record(Keys.oneOff))]),
    ])
}

extension Shape {
    /// For a key misplaced at the top level: the one section that has it, as a path
    /// (`seed` → `simulation.seed`), or nil when none or several do.
    static func sectionPath(for key: String) -> String? {
        guard case .record(let sections) = scenario else { return nil }
        let matches = sections.compactMap { name, shape -> String? in
            guard case .record(let fields) = shape, fields.contains(where: { $0.0 == key }) else { return nil }
            return name + "." + key
        }
        return matches.count == 1 ? matches[0] : nil
    }
}

extension Array where Element: Hashable {
    /// The elements in their first-seen order, without repeats.
    var uniqued: [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
