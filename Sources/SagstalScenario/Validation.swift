import Foundation
import Yams

/// What a number read from a scenario must satisfy, with the wording used in messages.
enum NumberRule {
    case finite
    case nonNegative
    case positive
    case probability
    case aboveMinusOne
    /// `rampUp.capShare`: 0 < x ≤ 1.
    case capShare
    /// A duration in days (distribution values): ≥ 0.
    case duration
    /// An age in years (distribution values): ≥ 0.
    case age

    var expected: String {
        switch self {
        case .finite: return "a number"
        case .nonNegative: return "a number ≥ 0"
        case .positive: return "a number > 0"
        case .probability: return "a probability between 0 and 1"
        case .aboveMinusOne: return "a number > -1"
        case .capShare: return "a share > 0 and ≤ 1"
        case .duration: return "a duration ≥ 0 (days)"
        case .age: return "an age ≥ 0 (years)"
        }
    }

    func accepts(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        switch self {
        case .finite: return true
        case .nonNegative, .duration, .age: return x >= 0
        case .positive: return x > 0
        case .probability: return x >= 0 && x <= 1
        case .aboveMinusOne: return x > -1
        case .capShare: return x > 0 && x <= 1
        }
    }
}

extension YNode {
    /// The map, if this node is one.
    var mapValue: YMap? {
        if case .map(let m) = self { return m }
        return nil
    }
}

/// Upper bounds far beyond what a Danish municipality (or all of Denmark) needs, so that a typo
/// or a generated file cannot make a run overflow an integer or run for ever (issue 9; docs/model.md
/// "Limits").
enum Limits {
    static let years = 100.0
    static let warmupYears = 100.0
    static let replications = 1_000_000
    /// Positions of one team, and the size of one headcount change.
    static let positions = 100_000
    static let outreachWorkers = 100_000.0
    static let coursesPerWorker = 100_000.0
    /// Any amount in DKK (a yearly cost, a cost per event, a one-off): ten billion kroner, about
    /// two-thirds of what all Danish municipalities spend on vulnerable children in a year.
    static let amount = 1e10
    /// Notifications a year: Denmark has about 152,700 (2022); 10⁷ is 65 times that.
    static let notificationsPerYear = 1e7
    /// Children in the initial stock, per step and in all: Denmark has about 1.2 million children.
    static let initialChildren = 2_000_000
    /// `caseload.reference`: Danish caseloads run 15–60; 1,000 is far beyond any.
    static let caseloadReference = 1_000.0
    /// A month's seasonal factor. The factors are relative weights (normalised to mean 1, MODEL.md
    /// §5.1), so the bound only keeps 12 × factor finite (1e308 × 12 overflowed to an infinite rate).
    static let seasonalFactor = 1e6
    /// `children.ageOut` (years): the ladder is for 0–17-year-olds; verification runs switch
    /// ageing out off with ageOut 1000 (the queueing checks do), so that is the bound.
    static let age = 1_000.0
    /// `staff.turnover.perYear` (a rate; the monthly leaving probability saturates at 1 long before).
    static let turnover = 100.0
    /// A team's routing share, an assessment outcome's or an empirical distribution's weight:
    /// relative weights, normalised (two weights of 1e308 add up to infinity).
    static let relativeWeight = 1e9
    /// Items in a list: ladder steps, teams, follow-ups, staff changes, one-off costs, values
    /// of an empirical distribution (validating 200,000 teams took more than 10 s).
    static let ladderSteps = 50
    static let teams = 500
    static let followUps = 50
    static let listItems = 10_000
    /// A team's caseload cap (in the scenario's unit): Danish caps run 15–60.
    static let cap = 1_000.0
    /// `caseload.childrenPerFamily`: Aalborg counts 1.3.
    static let childrenPerFamily = 20.0
    /// |elasticity|: the scenarios use 0.3–1.2; at 10 a caseload twice the reference
    /// already multiplies a probability by 1,024.
    static let elasticity = 10.0
    /// `notifications.growthPerYear`: Denmark's notifications grew about 6.6 % a year 2015–2022.
    static let growth = -0.5...1.0
}

/// The distribution families of MODEL.md §3 and their parametrisations.
enum DistributionFamily: String, CaseIterable {
    case fixed, exponential, gamma, lognormal, weibull, uniform, empirical

    /// Alternative parameter sets; exactly one must be given, completely.
    var parametrisations: [[String]] {
        switch self {
        case .fixed: return [["value"]]
        case .exponential: return [["mean"]]
        case .gamma: return [["mean", "sd"], ["shape", "scale"]]
        case .lognormal: return [["mean", "sd"], ["mu", "sigma"]]
        case .weibull: return [["shape", "scale"]]
        case .uniform: return [["min", "max"]]
        case .empirical: return [["values", "weights"]]
        }
    }

    /// "mean and sd, or shape and scale"
    var takes: String {
        parametrisations.map { $0.joined(separator: " and ") }.joined(separator: ", or ")
    }

    static let names = allCases.map(\.rawValue)
}

/// Turns the merged YAML tree into a `Scenario`, filling defaults (MODEL.md §7) and
/// collecting every problem: parse → defaults → cross-field checks, in one pass that
/// never stops at the first error.
struct Validator {
    var sink = DiagnosticSink()
    /// Key paths that an unknown key's "did you mean" already points at: a misspelt
    /// required key is one problem, not also a missing key.
    var suggestedPaths: Set<String> = []
    /// Where each ladder step's duration is written (for the zero-duration cycle check).
    var stepDurationLocs: [SourcePosition] = []
    /// Where `notifications.growthPerYear` is written, when it was read without problems.
    var growthLoc: SourcePosition?

    /// For each change in `staff.changes` that was read: its index in the list and where its
    /// `share` is written, to locate a coverage gap that a dated share change opens.
    var changeSources: [ChangeSource] = []

    struct ChangeSource {
        var index: Int
        var shareLoc: SourcePosition?
    }

    // MARK: Building the scenario

    static func build(_ root: YNode, defaultName: String, generatorExists: (String) -> Bool) -> (Scenario?, DiagnosticSink) {
        var v = Validator()
        let scenario = v.scenario(root, defaultName: defaultName, generatorExists: generatorExists)
        return (v.sink.isEmpty ? scenario : nil, v.sink)
    }

    mutating func scenario(_ root: YNode, defaultName: String, generatorExists: (String) -> Bool) -> Scenario? {
        guard let top = section(root, "", keys: Keys.root, what: "a scenario") else { return nil }

        var name = defaultName
        if let node = top["name"], let text = text(node, "name", what: "a name") {
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                error(node.loc, "name", "expected a name, found an empty string")
            } else {
                name = text
            }
        }

        // Ladder and teams first: other sections refer to their ids.
        let (ladder, stepIDs) = ladderSteps(top)
        let (teams, teamIDs, teamSource) = teamList(top)

        var scenario = Scenario(name: name, ladder: ladder, teams: teams)
        let beforeSimulation = sink.count
        scenario.simulation = simulation(top["simulation"], generatorExists: generatorExists)
        let simulationOK = sink.count == beforeSimulation
        let beforeChildren = sink.count
        scenario.children = children(top["children"])
        // Only `ageOut` matters to the age bands; a bad age distribution does not stop the coverage check.
        let ageOutOK = !problems(since: beforeChildren) { !$0.hasPrefix("children.ageAtNotification") }
        scenario.notifications = notifications(top["notifications"])
        if simulationOK, let loc = growthLoc { peakNotificationRate(scenario, at: loc) }
        scenario.screening = screening(top["screening"])
        scenario.assessment = assessment(top["assessment"], stepIDs: stepIDs)
        scenario.caseload = caseload(top["caseload"])
        let beforeStaff = sink.count
        scenario.staff = staff(top["staff"], teamIDs: teamIDs)
        let staffOK = sink.count == beforeStaff
        scenario.followUps = followUps(top["followUps"], stepIDs: stepIDs)
        scenario.outreach = outreach(top["outreach"])
        scenario.initial = initial(top["initial"], stepIDs: stepIDs)
        scenario.costs = costs(top["costs"])

        // Cross-field checks, now that children.ageOut is known.
        let ageOut = scenario.children.ageOut
        if ageOutOK {
            // An explicit band equal to the default [0, ageOut) reads as nil (the default), so that
            // the resolved file, which writes every team's band, loads back to an equal Scenario.
            for i in scenario.teams.indices where scenario.teams[i].ages == AgeBand(min: 0, max: ageOut) {
                scenario.teams[i].ages = nil
            }
        }
        if let teamSource, teamSource.checkable, ageOutOK,
           checkAgeCoverage(scenario.teams, ageOut: ageOut, at: teamSource.loc), simulationOK, staffOK {
            checkAgeCoverageOverTime(scenario)
        }
        return scenario
    }

    /// True when a problem reported since `start` has a key path matching `matching`.
    func problems(since start: Int, _ matching: (String) -> Bool) -> Bool {
        sink.diagnostics.dropFirst(start).contains { matching($0.keyPath) }
    }

    // MARK: Age coverage (MODEL.md §5.3)

    /// The parts of [0, ageOut) that the band of no team with a share > 0 contains, in
    /// increasing order. Bands may overlap and may reach beyond ageOut.
    static func uncoveredAges(_ teams: [Team], shares: [Double], ageOut: Double) -> [(min: Double, max: Double)] {
        let bands = zip(teams, shares).filter { $0.1 > 0 }.map { $0.0.band(ageOut: ageOut) }.sorted { $0.min < $1.min }
        var gaps: [(min: Double, max: Double)] = []
        var covered = 0.0  // [0, covered) is covered
        for band in bands where covered < ageOut {
            if band.min > covered { gaps.append((covered, Swift.min(band.min, ageOut))) }
            covered = Swift.max(covered, band.max)
        }
        if covered < ageOut { gaps.append((covered, ageOut)) }
        return gaps
    }

    /// The parts of the intervals `a` outside all of the intervals `b`.
    static func subtract(_ a: [(min: Double, max: Double)], _ b: [(min: Double, max: Double)]) -> [(min: Double, max: Double)] {
        var rest = a
        for cut in b {
            rest = rest.flatMap { piece -> [(min: Double, max: Double)] in
                guard cut.min < piece.max, piece.min < cut.max else { return [piece] }
                return [(piece.min, cut.min), (cut.max, piece.max)].filter { $0.0 < $0.1 }
            }
        }
        return rest
    }

    /// `ages 3–5 and 15–18 are covered by no team with a share > 0 (bands: a [0, 3), …)`.
    func coverageMessage(_ gaps: [(min: Double, max: Double)], _ teams: [Team], shares: [Double], ageOut: Double) -> String {
        let spans = gaps.map { "\(show($0.min))–\(show($0.max))" }
        let listed = spans.count == 1 ? spans[0] : spans.dropLast().joined(separator: ", ") + " and " + spans[spans.count - 1]
        let bands = zip(teams, shares).map { team, share in
            let b = team.band(ageOut: ageOut)
            return "\(team.id) [\(show(b.min)), \(show(b.max)))" + (share > 0 ? "" : " with share 0")
        }
        return "ages \(listed) are covered by no team with a share > 0 (bands: \(bands.joined(separator: ", ")))"
    }

    /// The ids of the teams with share 0 whose band meets one of `gaps`.
    static func idleTeams(covering gaps: [(min: Double, max: Double)], _ teams: [Team], shares: [Double],
                          ageOut: Double) -> [String] {
        zip(teams, shares).filter { team, share in
            let b = team.band(ageOut: ageOut)
            return share <= 0 && gaps.contains { b.min < $0.max && $0.min < b.max }
        }.map(\.0.id)
    }

    /// Refuses teams whose bands leave some age in [0, ageOut) to no team with a share > 0,
    /// reported once at the `teams` list. True when every age is covered.
    mutating func checkAgeCoverage(_ teams: [Team], ageOut: Double, at loc: SourcePosition) -> Bool {
        let shares = teams.map(\.share)
        let gaps = Self.uncoveredAges(teams, shares: shares, ageOut: ageOut)
        guard !gaps.isEmpty else { return true }
        var fix = gaps.count == 1
            ? "add a team with ages: [\(show(gaps[0].min)), \(show(gaps[0].max))] or widen a band to cover them"
            : "add teams or widen bands so that every age from 0 to \(show(ageOut)) is covered"
        let idle = Self.idleTeams(covering: gaps, teams, shares: shares, ageOut: ageOut)
        if !idle.isEmpty { fix = "give \(idle.joined(separator: " or ")) a share > 0, or " + fix }
        error(loc, "teams", coverageMessage(gaps, teams, shares: shares, ageOut: ageOut), suggestion: fix)
        return false
    }

    /// Dated share changes (MODEL.md §5.6) must keep every age covered too: applies the
    /// share changes that happen (at the run start or later, before the horizon) in time
    /// order, and reports each date at which ages become uncovered, at the `share` of the
    /// change that set a covering team's share to 0.
    mutating func checkAgeCoverageOverTime(_ s: Scenario) {
        let runStart = -365.25 * s.simulation.warmupYears
        let horizon = 365.25 * s.simulation.years
        let ageOut = s.children.ageOut
        let timed = s.staff.changes.indices.compactMap { k -> (t: Double, k: Int)? in
            guard s.staff.changes[k].share != nil else { return nil }
            let t = Swift.max(s.staff.changes[k].at.days(since: s.simulation.start), runStart)
            return t < horizon ? (t, k) : nil
        }.sorted { ($0.t, $0.k) < ($1.t, $1.k) }
        var shares = s.teams.map(\.share)
        var before: [(min: Double, max: Double)] = []  // uncovered before this instant (none at the start)
        var g = 0
        while g < timed.count {
            // All changes at one instant take effect together.
            let t = timed[g].t
            var group: [Int] = []
            while g < timed.count, timed[g].t == t {
                group.append(timed[g].k)
                g += 1
            }
            for k in group {
                let c = s.staff.changes[k]
                if let i = s.teams.firstIndex(where: { $0.id == c.team }), let share = c.share { shares[i] = share }
            }
            let now = Self.uncoveredAges(s.teams, shares: shares, ageOut: ageOut)
            // Report the ages this instant leaves uncovered, not those an earlier change already did.
            let gaps = Self.subtract(now, before)
            before = now
            guard !gaps.isEmpty else { continue }
            let idle = Set(Self.idleTeams(covering: gaps, s.teams, shares: shares, ageOut: ageOut))
            let culprit = group.first { s.staff.changes[$0].share == 0 && idle.contains(s.staff.changes[$0].team) } ?? group[0]
            let change = s.staff.changes[culprit]
            guard culprit < changeSources.count, let loc = changeSources[culprit].shareLoc else { continue }
            let path = "staff.changes.\(changeSources[culprit].index).share"
            error(loc, path, "from \(change.at), " + coverageMessage(gaps, s.teams, shares: shares, ageOut: ageOut),
                  suggestion: "keep a share > 0 for \(change.team), or on the same date give another team covering those ages a share > 0")
        }
    }

    mutating func simulation(_ node: YNode?, generatorExists: (String) -> Bool) -> SimulationSettings {
        var s = SimulationSettings()
        let p = "simulation"
        guard let m = section(node, p, keys: Keys.simulation, what: "the simulation settings") else { return s }
        if let n = m["start"], let d = date(n, join(p, "start")) { s.start = d }
        s.years = atMost(m, "years", p, number(m, "years", p, .positive), Limits.years, "years of horizon") ?? s.years
        s.warmupYears = atMost(m, "warmupYears", p, number(m, "warmupYears", p, .nonNegative), Limits.warmupYears,
                               "years of warm-up") ?? s.warmupYears
        s.replications = atMost(m, "replications", p, integer(m, "replications", p, minimum: 1).map(Double.init),
                                Double(Limits.replications), "replications").map { Int($0) } ?? s.replications
        if let n = m["seed"], let seed = seed(n, join(p, "seed")) { s.seed = seed }
        if let n = m["generator"], let g = text(n, join(p, "generator"), what: "a GSL generator name") {
            if generatorExists(g) {
                s.generator = g
            } else {
                error(n.loc, join(p, "generator"),
                      "unknown or unsupported random number generator '\(g)': expected one of the GSL generators "
                      + ScenarioLoader.supportedGenerators.joined(separator: ", "),
                      suggestion: Suggest.didYouMean(g, ScenarioLoader.supportedGenerators))
            }
        }
        return s
    }

    mutating func children(_ node: YNode?) -> ChildrenSettings {
        var c = ChildrenSettings()
        let p = "children"
        guard let m = section(node, p, keys: Keys.children, what: "the children settings") else { return c }
        c.ageOut = atMost(m, "ageOut", p, number(m, "ageOut", p, .positive), Limits.age, "years of age", large: false) ?? c.ageOut
        if let n = m["ageAtNotification"], let d = distribution(n, join(p, "ageAtNotification"), rule: .age) {
            c.ageAtNotification = d
        }
        return c
    }

    mutating func notifications(_ node: YNode?) -> NotificationSettings {
        var s = NotificationSettings()
        let p = "notifications"
        guard let m = section(node, p, keys: Keys.notifications, what: "the notification settings") else { return s }
        s.perYear = atMost(m, "perYear", p, number(m, "perYear", p, .nonNegative), Limits.notificationsPerYear,
                           "notifications a year") ?? s.perYear
        if let g = number(m, "growthPerYear", p, .aboveMinusOne) {
            if g < Limits.growth.lowerBound || g > Limits.growth.upperBound {
                error(m["growthPerYear"]?.loc ?? m.loc, join(p, "growthPerYear"),
                      "expected a yearly growth between \(show(Limits.growth.lowerBound)) and \(show(Limits.growth.upperBound)) (sagstal's limit; see docs/model.md, Limits), found \(m["growthPerYear"]?.scalar?.text ?? show(g))")
            } else {
                s.growthPerYear = g
                growthLoc = m["growthPerYear"]?.loc
            }
        }
        if let n = m["seasonality"], let factors = seasonality(n, join(p, "seasonality")) { s.seasonality = factors }
        s.concernsOpenCase = number(m, "concernsOpenCase", p, .probability) ?? s.concernsOpenCase
        s.escalateOnRenotification = number(m, "escalateOnRenotification", p, .probability) ?? s.escalateOnRenotification
        return s
    }

    /// Issue 9, row 11: growth applies from t = 0 (MODEL.md §5.1), so a decline makes the
    /// warm-up's rate larger (−0.999 over 3 warm-up years is 10⁹ ×). The rate at the run's start
    /// and at its horizon must stay within the notification limit.
    mutating func peakNotificationRate(_ s: Scenario, at loc: SourcePosition) {
        let g = s.notifications.growthPerYear, w = s.simulation.warmupYears, years = s.simulation.years
        let atStart = s.notifications.perYear * pow(1 + g, -w), atEnd = s.notifications.perYear * pow(1 + g, years)
        guard max(atStart, atEnd) > Limits.notificationsPerYear else { return }
        let when = atStart > atEnd ? "at the start of the \(show(w))-year warm-up" : "after \(show(years)) years"
        error(loc, "notifications.growthPerYear",
              "with growthPerYear \(show(g)) the notification rate reaches \(show(max(atStart, atEnd).rounded())) a year \(when), "
              + "more than sagstal's limit of \(show(Limits.notificationsPerYear)) (growth counts from the start date, so a decline raises the warm-up's rate)",
              suggestion: "use a smaller growth, a shorter warm-up or horizon")
    }

    mutating func seasonality(_ node: YNode, _ path: String) -> [Double]? {
        guard let seq = list(node, path, what: "a list of 12 monthly factors, January first") else { return nil }
        let before = sink.count
        let factors = seq.items.enumerated().map { i, item -> Double in
            let ip = join(path, String(i))
            guard let f = number(item, ip, .nonNegative) else { return 0 }
            // The factors are relative weights; a factor of 1e308 overflowed to an infinite rate
            // when normalised, and the run never ended.
            guard f <= Limits.seasonalFactor else {
                error(item.loc, ip, "expected a monthly factor of at most \(show(Limits.seasonalFactor)) (the factors are relative weights, normalised to mean 1; sagstal's limit, see docs/model.md, Limits), found \(item.scalar?.text ?? show(f))")
                return 0
            }
            return f
        }
        if seq.items.count != 12 {
            error(seq.loc, path, "expected 12 monthly factors (January first), found \(seq.items.count)")
            return nil
        }
        guard sink.count == before else { return nil }
        if factors.reduce(0, +) <= 0 {
            error(seq.loc, path, "the 12 monthly factors add up to 0; at least one month needs a factor > 0")
            return nil
        }
        return factors
    }

    mutating func screening(_ node: YNode?) -> ScreeningSettings {
        var s = ScreeningSettings()
        guard let m = section(node, "screening", keys: Keys.screening, what: "the screening settings") else { return s }
        s.opensCase = number(m, "opensCase", "screening", .probability) ?? s.opensCase
        return s
    }

    mutating func assessment(_ node: YNode?, stepIDs: [String]?) -> AssessmentSettings {
        var a = AssessmentSettings()
        let p = "assessment"
        guard let m = section(node, p, keys: Keys.assessment, what: "the assessment settings") else { return a }
        if let n = m["duration"], let d = distribution(n, join(p, "duration"), rule: .duration) { a.duration = d }
        if let n = m["outcome"], let o = outcome(n, join(p, "outcome"), stepIDs: stepIDs) { a.outcome = o }
        a.deadlineDays = number(m, "deadlineDays", p, .nonNegative) ?? a.deadlineDays
        a.cost = atMost(m, "cost", p, number(m, "cost", p, .nonNegative), Limits.amount, "DKK") ?? a.cost
        return a
    }

    mutating func outcome(_ node: YNode, _ path: String, stepIDs: [String]?) -> [OutcomeWeight]? {
        guard let m = section(node, path, keys: nil, what: "a map of outcome weights, like {close: 0.4, prevention: 0.6}") else {
            return nil
        }
        let before = sink.count
        var weights: [OutcomeWeight] = []
        for e in m.entries {
            let p = join(path, e.key)
            if let ids = stepIDs, e.key != "close", !ids.contains(e.key) {
                let known = ["close"] + ids
                error(e.keyLoc, p, "unknown outcome '\(e.key)': expected close or a ladder step id (\(known.joined(separator: ", ")))",
                      suggestion: Suggest.didYouMean(e.key, known))
            }
            weights.append(OutcomeWeight(e.key, weight(e.value, p) ?? 0))
        }
        guard sink.count == before else { return nil }
        if weights.reduce(0, { $0 + $1.weight }) <= 0 {
            error(m.loc, path, "the outcome weights add up to 0; at least one outcome needs a weight > 0")
            return nil
        }
        return weights
    }

    mutating func ladderSteps(_ top: YMap) -> ([LadderStep], [String]?) {
        guard let node = top["ladder"] else {
            missing(top, "ladder", "", "the intervention ladder: a list of steps, each with an id and a duration")
            return ([], nil)
        }
        guard let seq = list(node, "ladder", what: "a list of ladder steps") else { return ([], nil) }
        if seq.items.isEmpty {
            error(seq.loc, "ladder", "the ladder needs at least one step, found an empty list")
        }
        let names = YAMLTree.elementNames(seq.items)
        var seen: [String: SourcePosition] = [:]
        var steps: [LadderStep] = []
        let ladderStart = sink.count
        for (i, item) in seq.items.enumerated() {
            let p = join("ladder", names[i])
            guard let m = section(item, p, keys: Keys.step, what: "a ladder step") else { continue }
            let id = identifier(m, p, what: "step", reserved: "close", seen: &seen) ?? "step\(i)"
            var stepName = id
            if let n = m["name"], let t = text(n, join(p, "name"), what: "a name") { stepName = t }
            let placement = bool(m, "placement", p) ?? false
            let cost = atMost(m, "costPerYear", p, number(m, "costPerYear", p, .nonNegative), Limits.amount, "DKK") ?? 0
            var duration = DistributionSpec.fixed(0)
            if let n = m["duration"] {
                duration = distribution(n, join(p, "duration"), rule: .duration) ?? duration
            } else {
                missing(m, "duration", p, "how long a sojourn on this step lasts, in days: a number or a distribution")
            }
            let next = transitions(m["next"], join(p, "next"))
            steps.append(LadderStep(id: id, name: stepName, placement: placement, costPerYear: cost,
                                    duration: duration, next: next))
            stepDurationLocs.append(m["duration"]?.loc ?? m.loc)
        }
        // Only a ladder read without problems: a refused duration reads as 0 days.
        if steps.count == seq.items.count, sink.count == ladderStart { zeroDurationCycles(steps, names: names) }
        return (steps, seq.items.compactMap(YAMLTree.idText).uniqued)
    }

    /// Issue 9, row 4: stays that always last 0 days on steps a child can re-enter at once
    /// (a stay on the step itself, or up and back down between two such steps) would repeat
    /// for ever at one instant. Refused: a step of 0 days may only pass children on.
    mutating func zeroDurationCycles(_ steps: [LadderStep], names: [String]) {
        let top = steps.count - 1
        func zero(_ k: Int) -> Bool { steps[k].duration.alwaysZero }
        for k in steps.indices where zero(k) {
            let n = steps[k].next
            let p = join(join("ladder", names[k]), "duration")
            let loc = stepDurationLocs[k]
            let stays = n.stay > 1e-9 || (k == top && n.up > 0)
            if stays {
                let stay = k == top && n.up > 0 ? "its next.stay (with next.up, which at the top step is a stay)" : "its next.stay = 1 − up − down − exit = \(show(n.stay))"
                error(loc, p, "a step whose stays last 0 days cannot be stayed on: \(stay) would repeat the stay for ever at one instant",
                      suggestion: "give the step a duration > 0, or make up + down + exit = 1")
            } else if k < top, n.up > 0, zero(k + 1), steps[k + 1].next.down > 0 {
                error(loc, p, "the steps '\(steps[k].id)' and '\(steps[k + 1].id)' both last 0 days and lead up and down to each other: a child could move between them for ever at one instant",
                      suggestion: "give one of them a duration > 0")
            }
        }
    }

    mutating func transitions(_ node: YNode?, _ path: String) -> Transitions {
        guard let m = section(node, path, keys: Keys.next, what: "the transition probabilities {up, down, exit}") else {
            return Transitions()
        }
        let before = sink.count
        let up = number(m, "up", path, .probability) ?? 0
        let down = number(m, "down", path, .probability) ?? 0
        let exit = number(m, "exit", path, .probability) ?? 0
        let t = Transitions(up: up, down: down, exit: exit)
        guard sink.count == before else { return t }
        let sum = up + down + exit
        if sum > 1 + 1e-9 {
            error(m.loc, path, "up + down + exit must be at most 1 (the rest is stay), found \(show(up)) + \(show(down)) + \(show(exit)) = \(show(sum))")
        } else if let n = m["stay"], let stay = number(n, join(path, "stay"), .probability), abs(stay - (1 - sum)) > 1e-9 {
            error(n.loc, join(path, "stay"), "stay must equal 1 − up − down − exit = \(show(1 - sum)), found \(n.scalar?.text ?? show(stay))")
        }
        return t
    }

    /// What the age-coverage check (MODEL.md §5.3) needs from `teams`: where the list is
    /// written, and whether every team's share and age band were read without problems
    /// (otherwise the check is skipped, so one mistake is not reported twice).
    struct TeamListSource {
        var loc: SourcePosition
        var checkable: Bool
    }

    mutating func teamList(_ top: YMap) -> ([Team], [String]?, TeamListSource?) {
        guard let node = top["teams"] else {
            missing(top, "teams", "", "a list of teams, each with an id, caseworkers and cap")
            return ([], nil, nil)
        }
        guard let seq = list(node, "teams", what: "a list of teams") else { return ([], nil, nil) }
        if seq.items.isEmpty {
            error(seq.loc, "teams", "at least one team is needed, found an empty list")
        }
        let names = YAMLTree.elementNames(seq.items)
        var seen: [String: SourcePosition] = [:]
        var teams: [Team] = []
        var sharesOK = true
        var agesOK = true
        for (i, item) in seq.items.enumerated() {
            let p = join("teams", names[i])
            guard let m = section(item, p, keys: Keys.team, what: "a team") else { sharesOK = false; continue }
            let id = identifier(m, p, what: "team", reserved: nil, seen: &seen) ?? "team\(i)"
            let teamName = displayName(m, p) ?? id
            var ages: AgeBand?
            let before = sink.count
            if let n = m["ages"] { ages = ageBand(n, join(p, "ages")) }
            if sink.count != before { agesOK = false }
            let beforeShare = sink.count
            let share = atMost(m, "share", p, number(m, "share", p, .nonNegative), Limits.relativeWeight,
                               "(a relative share)", large: false) ?? 1
            if sink.count != beforeShare { sharesOK = false }
            var caseworkers = 0
            if m["caseworkers"] != nil {
                caseworkers = atMost(m, "caseworkers", p, integer(m, "caseworkers", p, minimum: 0).map(Double.init),
                                     Double(Limits.positions), "positions in a team").map { Int($0) } ?? 0
            } else {
                missing(m, "caseworkers", p, "the number of caseworker positions, a whole number ≥ 0")
            }
            var cap = 1.0
            if m["cap"] != nil {
                cap = capValue(m, p) ?? 1
            } else {
                missing(m, "cap", p, "the caseload cap per caseworker, a number > 0")
            }
            var policy = AssignmentPolicy.overflow
            if let t = choice(m, "policy", p, AssignmentPolicy.allCases.map(\.rawValue)) {
                policy = AssignmentPolicy(rawValue: t) ?? .overflow
            }
            var method = MethodMultipliers()
            if let mm = section(m["method"], join(p, "method"), keys: Keys.method, what: "the method multipliers") {
                let mp = join(p, "method")
                // MODEL.md §5.8: each multiplier a number > 0 (a 0 would remove an outcome or a duration).
                method = MethodMultipliers(escalate: number(mm, "escalate", mp, .positive) ?? 1,
                                           deescalate: number(mm, "deescalate", mp, .positive) ?? 1,
                                           close: number(mm, "close", mp, .positive) ?? 1,
                                           duration: number(mm, "duration", mp, .positive) ?? 1)
            }
            teams.append(Team(id: id, name: teamName, share: share, caseworkers: caseworkers, cap: cap, policy: policy,
                              method: method, ages: ages))
        }
        var checkable = sharesOK && agesOK && !teams.isEmpty
        if sharesOK, !teams.isEmpty, teams.reduce(0, { $0 + $1.share }) <= 0 {
            error(seq.loc, "teams", "the team shares add up to 0; at least one team needs a share > 0")
            checkable = false
        }
        return (teams, seq.items.compactMap(YAMLTree.idText).uniqued, TeamListSource(loc: seq.loc, checkable: checkable))
    }

    /// `ages: [min, max]`: a team's age band in years, min inclusive, max exclusive,
    /// 0 ≤ min < max (MODEL.md §4). A band may reach beyond `children.ageOut`.
    mutating func ageBand(_ node: YNode, _ path: String) -> AgeBand? {
        let what = "an age band [min, max] in years, like [0, 15]"
        guard case .seq(let seq) = node else {
            error(node.loc, path, "expected \(what), found \(node.found)")
            return nil
        }
        guard seq.items.count == 2 else {
            let n = seq.items.count
            let found = n == 0 ? "an empty list" : "\(n) value\(n == 1 ? "" : "s")"
            error(seq.loc, path, "expected \(what): a list of exactly two ages, found \(found)")
            return nil
        }
        let before = sink.count
        let lo = number(seq.items[0], join(path, "0"), .age)
        let hi = number(seq.items[1], join(path, "1"), .age)
        guard sink.count == before, let lo, let hi else { return nil }
        guard lo < hi else {
            let written = seq.items.map { $0.scalar?.text ?? "" }.joined(separator: ", ")
            error(seq.loc, path, "expected min < max in the age band [min, max] (min included, max not), found [\(written)]")
            return nil
        }
        return AgeBand(min: lo, max: hi)
    }

    /// An optional display `name`: any non-empty text. Nil when absent (the caller's
    /// default, the id) or invalid (reported).
    mutating func displayName(_ m: YMap, _ path: String) -> String? {
        guard let n = m["name"], let t = text(n, join(path, "name"), what: "a name") else { return nil }
        if t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            error(n.loc, join(path, "name"), "expected a name, found an empty string")
            return nil
        }
        return t
    }

    mutating func caseload(_ node: YNode?) -> CaseloadSettings {
        var c = CaseloadSettings()
        let p = "caseload"
        guard let m = section(node, p, keys: Keys.caseload, what: "the caseload settings") else { return c }
        c.reference = atMost(m, "reference", p, number(m, "reference", p, .positive), Limits.caseloadReference,
                             "cases per caseworker", large: false) ?? c.reference
        if let t = choice(m, "casesCountedAs", p, CaseCounting.allCases.map(\.rawValue)) {
            c.casesCountedAs = CaseCounting(rawValue: t) ?? .children
        }
        if let x = atMost(m, "childrenPerFamily", p, number(m, "childrenPerFamily", p, .positive), Limits.childrenPerFamily,
                          "children per family", large: false) {
            if x < 1 {
                error(m["childrenPerFamily"]?.loc ?? m.loc, join(p, "childrenPerFamily"),
                      "expected at least 1 child per family (a family case has at least one child), found \(m["childrenPerFamily"]?.scalar?.text ?? show(x))")
            } else {
                c.childrenPerFamily = x
            }
        }
        let ep = join(p, "elasticity")
        if let e = section(m["elasticity"], ep, keys: Keys.elasticity, what: "the caseload elasticities") {
            func elasticity(_ key: String) -> Double {
                let x = number(e, key, ep, .finite) ?? 0
                guard abs(x) <= Limits.elasticity else {
                    error(e[key]?.loc ?? e.loc, join(ep, key),
                          "expected an elasticity between -\(show(Limits.elasticity)) and \(show(Limits.elasticity)) (sagstal's limit; see docs/model.md, Limits), found \(e[key]?.scalar?.text ?? show(x))")
                    return 0
                }
                return x
            }
            c.elasticity = Elasticities(escalate: elasticity("escalate"), deescalate: elasticity("deescalate"),
                                        close: elasticity("close"), duration: elasticity("duration"))
        }
        return c
    }

    mutating func staff(_ node: YNode?, teamIDs: [String]?) -> StaffSettings {
        var s = StaffSettings()
        let p = "staff"
        guard let m = section(node, p, keys: Keys.staff, what: "the staff settings") else { return s }
        s.costPerYear = atMost(m, "costPerYear", p, number(m, "costPerYear", p, .nonNegative), Limits.amount, "DKK") ?? s.costPerYear
        s.recruitmentCost = atMost(m, "recruitmentCost", p, number(m, "recruitmentCost", p, .nonNegative), Limits.amount, "DKK")
            ?? s.recruitmentCost
        let tp = join(p, "turnover")
        if let t = section(m["turnover"], tp, keys: Keys.turnover, what: "the turnover settings") {
            s.turnover = Turnover(perYear: atMost(t, "perYear", tp, number(t, "perYear", tp, .nonNegative), Limits.turnover,
                                                  "leavers a year per position", large: false) ?? 0,
                                  overloadElasticity: number(t, "overloadElasticity", tp, .nonNegative) ?? 0)
        }
        if let n = m["recruitment"], let d = distribution(n, join(p, "recruitment"), rule: .duration) { s.recruitment = d }
        let rp = join(p, "rampUp")
        if let r = section(m["rampUp"], rp, keys: Keys.rampUp, what: "the ramp-up settings") {
            s.rampUp = RampUp(days: number(r, "days", rp, .nonNegative) ?? 0,
                              capShare: number(r, "capShare", rp, .capShare) ?? 1)
        }
        if let n = m["changes"], let seq = list(n, join(p, "changes"), what: "a list of staff changes") {
            for (i, item) in seq.items.enumerated() {
                if let c = staffChange(item, join(p, "changes.\(i)"), teamIDs: teamIDs) {
                    s.changes.append(c)
                    changeSources.append(ChangeSource(index: i, shareLoc: item.mapValue?["share"]?.loc))
                }
            }
        }
        return s
    }

    mutating func staffChange(_ node: YNode, _ p: String, teamIDs: [String]?) -> StaffChange? {
        guard let m = section(node, p, keys: Keys.change, what: "a staff change") else { return nil }
        let before = sink.count
        var at = CalendarDate(year: 2026, month: 1, day: 1)
        if let n = m["at"] {
            at = date(n, join(p, "at")) ?? at
        } else {
            missing(m, "at", p, "the date of the change, YYYY-MM-DD")
        }
        var team = ""
        if let n = m["team"] {
            if let t = text(n, join(p, "team"), what: "a team id") {
                team = t
                if let ids = teamIDs, !ids.contains(t) {
                    error(n.loc, join(p, "team"), "unknown team '\(t)': expected one of the team ids (\(ids.joined(separator: ", ")))",
                          suggestion: Suggest.didYouMean(t, ids))
                }
            }
        } else {
            missing(m, "team", p, "the id of the team that changes")
        }
        var headcount: HeadcountChange?
        if let n = m["caseworkers"] {
            headcount = self.headcount(n, join(p, "caseworkers"))
            let size: Int? = switch headcount {
            case .set(let k)?: k
            case .relative(let d)?: d.magnitude > UInt(Int.max) ? Int.max : abs(d)
            case nil: nil
            }
            if let size, size > Limits.positions {
                error(n.loc, join(p, "caseworkers"),
                      "expected at most \(Limits.positions) positions (or a change of at most that many), found '\(n.scalar?.text ?? String(size))'",
                      suggestion: "a team of a Danish municipality has tens of positions; check the number")
                headcount = nil
            }
        }
        let cap = capValue(m, p)
        let immediate = bool(m, "immediate", p) ?? false
        // `method` sets only the multipliers it names; `method: {}` (or an empty value) sets none and reads as absent.
        var method: MethodChange?
        let mp = join(p, "method")
        if let mm = section(m["method"], mp, keys: Keys.method, what: "the method multipliers to change") {
            let change = MethodChange(escalate: number(mm, "escalate", mp, .positive),
                                      deescalate: number(mm, "deescalate", mp, .positive),
                                      close: number(mm, "close", mp, .positive),
                                      duration: number(mm, "duration", mp, .positive))
            if change != MethodChange() { method = change }
        }
        let methodGiven = method != nil || (m["method"].map { !$0.isNull && $0.mapValue?.entries.isEmpty != true } ?? false)
        let share = atMost(m, "share", p, number(m, "share", p, .nonNegative), Limits.relativeWeight,
                           "(a relative share)", large: false)
        if m["caseworkers"] == nil, m["cap"] == nil, !methodGiven, m["share"] == nil {
            error(m.loc, p, "a staff change must set at least one of caseworkers (like 24, \"+4\" or \"-2\"), cap, method or share")
        }
        guard sink.count == before else { return nil }
        return StaffChange(at: at, team: team, caseworkers: headcount, cap: cap, immediate: immediate,
                           method: method, share: share)
    }

    /// `24` sets the number of positions; `+4`, `"+4"`, `-2`, `"-2"` change it. The sign
    /// is read from the text as written, since YAML reads an unquoted `+4` as 4.
    mutating func headcount(_ node: YNode, _ path: String) -> HeadcountChange? {
        let expected = "expected a number of positions (like 24) or a change (like \"+4\" or \"-2\")"
        guard let s = node.scalar, [.int, .float, .string, .other].contains(s.kind) else {
            error(node.loc, path, "\(expected), found \(node.found)")
            return nil
        }
        let t = s.text.trimmingCharacters(in: .whitespaces)
        let isDigits: (Substring) -> Bool = { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        if let sign = t.first, sign == "+" || sign == "-" {
            let digits = t.dropFirst()
            if isDigits(digits), let n = Int(digits) { return .relative(sign == "-" ? -n : n) }
        } else if isDigits(t[...]), let n = Int(t) {
            return .set(n)
        } else if let x = Self.numericValue(s), x.isFinite, x >= 0, x == x.rounded(), x < 1e15 {
            return .set(Int(x))
        }
        error(s.loc, path, "\(expected), found '\(YNode.abbreviated(s.text))'")
        return nil
    }

    mutating func outreach(_ node: YNode?) -> OutreachSettings? {
        // `outreach: ~` (or empty) means no outreach, so an extending file can switch it off.
        guard let node, !node.isNull else { return nil }
        let p = "outreach"
        guard let m = section(node, p, keys: Keys.outreach, what: "the outreach settings") else { return nil }
        var o = OutreachSettings(workers: 0)
        if m["workers"] != nil {
            o.workers = atMost(m, "workers", p, number(m, "workers", p, .nonNegative), Limits.outreachWorkers, "outreach workers") ?? 0
        } else {
            missing(m, "workers", p, "the number of outreach workers (FTE), a number ≥ 0")
        }
        o.coursesPerWorker = atMost(m, "coursesPerWorker", p, number(m, "coursesPerWorker", p, .nonNegative),
                                    Limits.coursesPerWorker, "courses per worker") ?? o.coursesPerWorker
        o.reach = number(m, "reach", p, .probability) ?? o.reach
        if let n = m["duration"], let d = distribution(n, join(p, "duration"), rule: .duration) { o.duration = d }
        o.resolves = number(m, "resolves", p, .probability) ?? o.resolves
        o.costPerCourse = atMost(m, "costPerCourse", p, number(m, "costPerCourse", p, .nonNegative), Limits.amount, "DKK")
            ?? o.costPerCourse
        o.costPerWorkerYear = atMost(m, "costPerWorkerYear", p, number(m, "costPerWorkerYear", p, .nonNegative), Limits.amount, "DKK")
            ?? o.costPerWorkerYear
        return o
    }

    /// `followUps` (MODEL.md §5.10): statutory follow-ups, each with an id and the ladder
    /// steps on which it is due.
    mutating func followUps(_ node: YNode?, stepIDs: [String]?) -> [FollowUp] {
        guard let node else { return [] }
        guard let seq = list(node, "followUps", what: "a list of follow-ups, each with an id and steps") else { return [] }
        let names = YAMLTree.elementNames(seq.items)
        var seen: [String: SourcePosition] = [:]
        var result: [FollowUp] = []
        for (i, item) in seq.items.enumerated() {
            let p = join("followUps", names[i])
            guard let m = section(item, p, keys: Keys.followUp, what: "a follow-up") else { continue }
            let id = identifier(m, p, what: "follow-up", reserved: nil, seen: &seen) ?? "followUp\(i)"
            let name = displayName(m, p) ?? id
            var steps: [String] = []
            if let n = m["steps"] {
                steps = followUpSteps(n, join(p, "steps"), stepIDs: stepIDs)
            } else {
                missing(m, "steps", p, "the ladder steps on which the follow-up is due, like [kinship, foster, residential]")
            }
            let everyDays = number(m, "everyDays", p, .positive) ?? 182.625
            let elasticity = number(m, "elasticity", p, .finite) ?? 0
            result.append(FollowUp(id: id, name: name, steps: steps, everyDays: everyDays, elasticity: elasticity))
        }
        return result
    }

    /// `followUps[].steps`: a non-empty list of distinct ladder step ids.
    mutating func followUpSteps(_ node: YNode, _ path: String, stepIDs: [String]?) -> [String] {
        guard let seq = list(node, path, what: "a list of ladder step ids, like [kinship, foster, residential]") else { return [] }
        if seq.items.isEmpty {
            error(seq.loc, path, "a follow-up needs at least one ladder step, found an empty list")
        }
        var steps: [String] = []
        var firstIndex: [String: Int] = [:]
        for (j, item) in seq.items.enumerated() {
            let ip = join(path, String(j))
            guard let step = text(item, ip, what: "a ladder step id") else { continue }
            if let ids = stepIDs, !ids.contains(step) {
                error(item.loc, ip, "unknown ladder step '\(YNode.abbreviated(step))': expected one of the step ids (\(ids.joined(separator: ", ")))",
                      suggestion: Suggest.didYouMean(step, ids))
                continue
            }
            if let first = firstIndex[step] {
                error(item.loc, ip, "the step '\(step)' is listed twice (first as \(join(path, String(first))))")
                continue
            }
            firstIndex[step] = j
            steps.append(step)
        }
        return steps
    }

    mutating func initial(_ node: YNode?, stepIDs: [String]?) -> [InitialStock] {
        let p = "initial"
        guard let m = section(node, p, keys: nil, what: "a map of ladder step ids to numbers of children, like {prevention: 150}") else {
            return []
        }
        var stock: [InitialStock] = []
        for e in m.entries {
            let ep = join(p, e.key)
            if let ids = stepIDs, !ids.contains(e.key) {
                error(e.keyLoc, ep, "unknown ladder step '\(e.key)': expected one of the step ids (\(ids.joined(separator: ", ")))",
                      suggestion: Suggest.didYouMean(e.key, ids))
            }
            if let count = atMost(m, e.key, p, integer(e.value, ep, minimum: 0).map(Double.init),
                                  Double(Limits.initialChildren), "children") {
                stock.append(InitialStock(step: e.key, count: Int(count)))
            }
        }
        let total = stock.reduce(0) { $0 + $1.count }
        if total > Limits.initialChildren {
            error(m.loc, p, "expected at most \(Limits.initialChildren) children in the initial stock in all (sagstal's limit; see docs/model.md, Limits), found \(total)")
        }
        return stock
    }

    mutating func costs(_ node: YNode?) -> CostSettings {
        var c = CostSettings()
        let p = "costs"
        guard let m = section(node, p, keys: Keys.costs, what: "the cost settings") else { return c }
        c.discountRate = number(m, "discountRate", p, .aboveMinusOne) ?? c.discountRate
        if let n = m["oneOff"], let seq = list(n, join(p, "oneOff"), what: "a list of one-off costs") {
            for (i, item) in seq.items.enumerated() {
                let ip = join(p, "oneOff.\(i)")
                guard let o = section(item, ip, keys: Keys.oneOff, what: "a one-off cost") else { continue }
                var at = CalendarDate(year: 2026, month: 1, day: 1)
                if let n = o["at"] {
                    at = date(n, join(ip, "at")) ?? at
                } else {
                    missing(o, "at", ip, "the date the cost falls, YYYY-MM-DD")
                }
                var amount = 0.0
                if o["amount"] != nil {
                    amount = atMost(o, "amount", ip, number(o, "amount", ip, .nonNegative), Limits.amount, "DKK") ?? 0
                } else {
                    missing(o, "amount", ip, "the amount in DKK, a number ≥ 0")
                }
                var label = ""
                if let n = o["label"], let t = text(n, join(ip, "label"), what: "a label") { label = t }
                c.oneOff.append(OneOffCost(at: at, amount: amount, label: label))
            }
        }
        return c
    }

    // MARK: Distributions

    /// A distribution (MODEL.md §3): a plain number (fixed) or `{dist: …, parameters}`.
    /// Every value it can produce must satisfy `rule` (durations and ages are ≥ 0).
    mutating func distribution(_ node: YNode, _ path: String, rule: NumberRule) -> DistributionSpec? {
        let example = "a number or a distribution like {dist: gamma, mean: 70, sd: 30}"
        switch node {
        case .scalar(let s):
            guard let x = Self.numericValue(s) else {
                error(s.loc, path, "expected \(example), found \(node.found)")
                return nil
            }
            guard rule.accepts(x) else {
                error(s.loc, path, "expected \(rule.expected), found \(s.text)")
                return nil
            }
            return .fixed(x)
        case .seq:
            error(node.loc, path, "expected \(example), found \(node.found)")
            return nil
        case .map(let m):
            let names = DistributionFamily.names.joined(separator: ", ")
            guard let distNode = m["dist"] else {
                error(m.loc, join(path, "dist"), "missing 'dist': a distribution map names its family, one of \(names)")
                return nil
            }
            guard let name = text(distNode, join(path, "dist"), what: "a distribution name (\(names))") else { return nil }
            guard let family = DistributionFamily(rawValue: name) else {
                error(distNode.loc, join(path, "dist"), "unknown distribution '\(name)': expected one of \(names)",
                      suggestion: Suggest.didYouMean(name, DistributionFamily.names))
                return nil
            }
            let before = sink.count
            let parameters = family.parametrisations.flatMap { $0 }
            for e in m.entries where e.key != "dist" && !parameters.contains(e.key) {
                if let target = Suggest.closest(to: e.key, in: parameters) { suggestedPaths.insert(join(path, target)) }
                error(e.keyLoc, join(path, e.key), "'\(e.key)' is not a parameter of the \(name) distribution, which takes \(family.takes)",
                      suggestion: Suggest.didYouMean(e.key, parameters))
            }
            let given = family.parametrisations.map { set in set.filter { m[$0] != nil } }
            let used = given.indices.filter { !given[$0].isEmpty }
            if used.count > 1 {
                let found = m.entries.map(\.key).filter(parameters.contains)
                error(m.loc, path, "a \(name) distribution takes \(family.takes), not a mix; found \(found.joined(separator: ", "))")
                return nil
            }
            let chosen = used.first ?? 0
            for key in family.parametrisations[chosen] where m[key] == nil && !suggestedPaths.contains(join(path, key)) {
                error(m.loc, join(path, key), "missing '\(key)': a \(name) distribution takes \(family.takes)")
            }
            guard sink.count == before else { return nil }
            func param(_ key: String, _ r: NumberRule) -> Double {
                number(m, key, path, r) ?? 0
            }
            let spec: DistributionSpec
            switch (family, chosen) {
            case (.fixed, _): spec = .fixed(param("value", rule))
            case (.exponential, _): spec = .exponential(mean: param("mean", .positive))
            case (.gamma, 0): spec = .gammaMeanSD(mean: param("mean", .positive), sd: param("sd", .nonNegative))
            case (.gamma, _): spec = .gammaShapeScale(shape: param("shape", .positive), scale: param("scale", .positive))
            case (.lognormal, 0): spec = .lognormalMeanSD(mean: param("mean", .positive), sd: param("sd", .nonNegative))
            case (.lognormal, _): spec = .lognormalMuSigma(mu: param("mu", .finite), sigma: param("sigma", .nonNegative))
            case (.weibull, _): spec = .weibull(shape: param("shape", .positive), scale: param("scale", .positive))
            case (.uniform, _):
                let lo = param("min", rule)
                let hi = param("max", .finite)
                if sink.count == before, hi < lo, let n = m["max"] {
                    error(n.loc, join(path, "max"), "expected max ≥ min (\(show(lo))), found \(n.scalar?.text ?? show(hi))")
                }
                spec = .uniform(min: lo, max: hi)
            case (.empirical, _):
                spec = empirical(m, path, rule: rule)
            }
            if sink.count == before, let problem = Self.unsampleable(spec) { error(m.loc, path, problem) }
            return sink.count == before ? spec : nil
        }
    }

    /// Why GSL could not sample `spec` sensibly, or nil (issue 9, row 3: a gamma with sd 1e-308
    /// has shape (mean/sd)² = inf and its draws are NaN). The sd of a mean–sd parametrisation must
    /// lie within 10⁻⁶…10⁶ times the mean (outside, write the fixed number, or the distribution is
    /// one huge outlier), and every distribution's mean must be finite and at most 10⁹.
    static func unsampleable(_ spec: DistributionSpec) -> String? {
        func ratio(_ family: String, _ mean: Double, _ sd: Double) -> String? {
            guard sd > 0 else { return nil }
            let r = sd / mean
            guard r.isFinite, r >= 1e-6, r <= 1e6 else {
                return "a \(family) distribution needs sd between 10⁻⁶ × mean and 10⁶ × mean for GSL to sample it "
                    + "(found mean \(mean), sd \(sd)); for a duration that does not vary write the number itself"
            }
            return nil
        }
        let mean: Double
        switch spec {
        case .gammaMeanSD(let m, let sd):
            if let p = ratio("gamma", m, sd) { return p }
            mean = m
        case .lognormalMeanSD(let m, let sd):
            if let p = ratio("lognormal", m, sd) { return p }
            mean = m
        case .lognormalMuSigma(let mu, let sigma): mean = exp(mu + sigma * sigma / 2)
        case .gammaShapeScale(let k, let theta): mean = k * theta
        case .weibull(let k, let lambda): mean = lambda * exp(lgamma(1 + 1 / k))
        case .exponential(let m): mean = m
        case .fixed, .uniform, .empirical: return nil
        }
        guard mean.isFinite, mean <= 1e9 else {
            return "the distribution's mean must be a finite number ≤ 10⁹ (found \(mean)); check the parameters' units"
        }
        return nil
    }

    /// A relative weight: a number ≥ 0 and at most ``Limits/relativeWeight``.
    mutating func weight(_ node: YNode, _ path: String) -> Double? {
        guard let w = number(node, path, .nonNegative) else { return nil }
        guard w <= Limits.relativeWeight else {
            error(node.loc, path, "expected a weight of at most \(show(Limits.relativeWeight)) (weights are relative, normalised to sum to 1; sagstal's limit, see docs/model.md, Limits), found \(node.scalar?.text ?? show(w))")
            return nil
        }
        return w
    }

    /// A caseload cap: at least 1 case and at most ``Limits/cap``. (A cap of 5·10⁻³²⁴ validated
    /// and made every stay of a child without caseworker last 0 days: x = cap / reference.)
    mutating func capValue(_ m: YMap, _ p: String) -> Double? {
        guard let cap = atMost(m, "cap", p, number(m, "cap", p, .positive), Limits.cap, "cases per caseworker", large: false) else {
            return nil
        }
        guard cap >= 1 else {
            error(m["cap"]?.loc ?? m.loc, join(p, "cap"),
                  "expected a cap of at least 1 case per caseworker, found \(m["cap"]?.scalar?.text ?? show(cap))")
            return nil
        }
        return cap
    }

    /// `value` if it is at most `limit`; otherwise an error located at `map[key]` (nil).
    mutating func atMost(_ map: YMap, _ key: String, _ path: String, _ value: Double?, _ limit: Double, _ what: String,
                         large: Bool = true) -> Double? {
        guard let value else { return nil }
        let keyPath = join(path, key)
        if large, let node = map[key], case .scalar(let s) = node, s.kind == .float,
           let p = NumberHabits.problem(s, wholeOrLarge: true) {
            error(s.loc, keyPath, "expected \(what == "DKK" ? "an amount in DKK" : "a number of \(what)"), found \(s.text): \(p.message)",
                  suggestion: p.suggestion)
            return nil
        }
        guard value <= limit else {
            let found = map[key]?.scalar?.text ?? show(value)
            error(map[key]?.loc ?? map.loc, keyPath,
                  "expected at most \(show(limit)) \(what) (sagstal's limit; see docs/model.md, Limits), found \(found)")
            return nil
        }
        return value
    }

    mutating func empirical(_ m: YMap, _ path: String, rule: NumberRule) -> DistributionSpec {
        var values: [Double] = []
        var weights: [Double] = []
        let vp = join(path, "values"), wp = join(path, "weights")
        let before = sink.count
        if let n = m["values"], let seq = list(n, vp, what: "a list of values") {
            values = seq.items.enumerated().map { i, item in number(item, join(vp, String(i)), rule) ?? 0 }
            if seq.items.isEmpty { error(seq.loc, vp, "an empirical distribution needs at least one value, found an empty list") }
        }
        if let n = m["weights"], let seq = list(n, wp, what: "a list of weights, one per value") {
            weights = seq.items.enumerated().map { i, item in weight(item, join(wp, String(i))) ?? 0 }
            if sink.count == before {
                if weights.count != values.count {
                    error(seq.loc, wp, "expected \(values.count) weight\(values.count == 1 ? "" : "s"), one per value, found \(weights.count)")
                } else if weights.reduce(0, +) <= 0 {
                    error(seq.loc, wp, "the weights add up to 0; at least one weight must be > 0")
                }
            }
        }
        return .empirical(values: values, weights: weights)
    }

    // MARK: Primitive readers (each reports its own problems)

    mutating func error(_ at: SourcePosition, _ keyPath: String, _ message: String, suggestion: String? = nil) {
        sink.error(at, keyPath, message, suggestion: suggestion)
    }

    func join(_ path: String, _ key: String) -> String { YAMLTree.join(path, key) }

    /// A short form of a computed number for messages (10 significant digits).
    func show(_ x: Double) -> String {
        let t = String(format: "%.10g", x)
        return t == "-0" ? "0" : t
    }

    mutating func missing(_ map: YMap, _ key: String, _ path: String, _ hint: String) {
        if suggestedPaths.contains(join(path, key)) { return }
        error(map.loc, join(path, key), "missing required key '\(key)' (\(hint))")
    }

    /// Opens a map-valued key. Nil when absent or not a map (reported). An empty value
    /// (`staff:` with nothing after it) reads as an empty map, i.e. all defaults.
    /// `keys` nil means the keys are the user's own (checked by the caller).
    mutating func section(_ node: YNode?, _ path: String, keys: [String]?, what: String) -> YMap? {
        guard let node else { return nil }
        switch node {
        case .map(let m):
            if let keys { checkKeys(m, path, keys, what: what) }
            return m
        case .scalar(let s) where s.isNull:
            return YMap(entries: [], loc: s.loc)
        default:
            error(node.loc, path, "expected \(what), found \(node.found)")
            return nil
        }
    }

    mutating func checkKeys(_ m: YMap, _ path: String, _ keys: [String], what: String) {
        for e in m.entries where !keys.contains(e.key) {
            var suggestion = Suggest.didYouMean(e.key, keys)
            if suggestion == nil, path.isEmpty, let elsewhere = Shape.sectionPath(for: e.key) {
                suggestion = "did you mean '\(elsewhere)'?"
            }
            if let target = Suggest.closest(to: e.key, in: keys) { suggestedPaths.insert(join(path, target)) }
            if suggestion == nil, let english = NumberHabits.englishKey(for: e.key, in: keys) {
                suggestion = "did you mean '\(english)'? sagstal's keys are English"
                suggestedPaths.insert(join(path, english))
            } else if suggestion == nil, path.isEmpty, let english = NumberHabits.danishKeys[e.key.lowercased()],
                      let elsewhere = Shape.sectionPath(for: english) {
                suggestion = "did you mean '\(elsewhere)'? sagstal's keys are English"
            } else if suggestion == nil, let english = NumberHabits.danishKeys[e.key.lowercased()], english != e.key {
                // The English key belongs elsewhere (like caseworkers, which is a team's).
                suggestion = "sagstal's keys are English: '\(e.key)' is '\(english)', which belongs in another section (see Scenarios/README.md)"
            }
            let within = path.isEmpty ? "at the top level of the scenario" : "in \(what)"
            let known = suggestion == nil ? "; known keys: \(keys.joined(separator: ", "))" : ""
            error(e.keyLoc, join(path, e.key), "unknown key '\(e.key)' \(within)\(known)", suggestion: suggestion)
        }
    }

    /// A list-valued key; an empty value reads as an empty list. A list longer than its
    /// limit (``Limits``) is refused whole.
    mutating func list(_ node: YNode, _ path: String, what: String) -> YSeq? {
        switch node {
        case .seq(let s):
            let limit = path == "ladder" ? Limits.ladderSteps : path == "teams" ? Limits.teams
                : path == "followUps" ? Limits.followUps : Limits.listItems
            guard s.items.count <= limit else {
                error(s.loc, path, "expected at most \(limit) items in \(what) (sagstal's limit; see docs/model.md, Limits), found \(s.items.count)")
                return nil
            }
            return s
        case .scalar(let s) where s.isNull: return YSeq(items: [], loc: s.loc)
        default:
            error(node.loc, path, "expected \(what), found \(node.found)")
            return nil
        }
    }

    /// The number a scalar denotes, if YAML reads it as a number (quoted text never is).
    static func numericValue(_ s: YScalar) -> Double? {
        switch s.kind {
        case .int:
            if let (negative, magnitude) = integerValue(s) { return negative ? -Double(magnitude) : Double(magnitude) }
            return Double.construct(from: Node.Scalar(s.text))
        case .float:
            return Double.construct(from: Node.Scalar(s.text, Tag(.float), .plain))
        default:
            return nil
        }
    }

    /// Sign and magnitude of a YAML integer (decimal, 0x, 0o, 0b, YAML 1.1 octal `0…`,
    /// `_` separators), exact up to 2⁶⁴ − 1.
    static func integerValue(_ s: YScalar) -> (negative: Bool, magnitude: UInt64)? {
        guard s.kind == .int else { return nil }
        var t = Substring(s.text.replacingOccurrences(of: "_", with: ""))
        var negative = false
        if t.hasPrefix("-") {
            negative = true
            t = t.dropFirst()
        } else if t.hasPrefix("+") {
            t = t.dropFirst()
        }
        var radix = 10
        if t.hasPrefix("0x") { radix = 16; t = t.dropFirst(2) }
        else if t.hasPrefix("0b") { radix = 2; t = t.dropFirst(2) }
        else if t.hasPrefix("0o") { radix = 8; t = t.dropFirst(2) }
        else if t.hasPrefix("0"), t.count > 1 { radix = 8; t = t.dropFirst() }
        if let m = UInt64(t, radix: radix) { return (negative && m != 0, m) }
        if let i = Int.construct(from: Node.Scalar(s.text)) { return (i < 0, UInt64(i.magnitude)) }
        return nil
    }

    /// Reports a number written in a form YAML misreads or does not read as a number
    /// (`470.000`, `0,35`, `35%`, `0x1F`, `190:20:30`, `yes`), with the fix; true if so.
    mutating func misWritten(_ node: YNode, _ path: String, _ expected: String, wholeOrLarge: Bool) -> Bool {
        guard let s = node.scalar, let p = NumberHabits.problem(s, wholeOrLarge: wholeOrLarge) else { return false }
        error(s.loc, path, "expected \(expected), found \(s.text): \(p.message)", suggestion: p.suggestion)
        return true
    }

    mutating func number(_ node: YNode, _ path: String, _ rule: NumberRule) -> Double? {
        if misWritten(node, path, rule.expected, wholeOrLarge: false) { return nil }
        guard let s = node.scalar, let x = Self.numericValue(s) else {
            error(node.loc, path, "expected \(rule.expected), found \(node.found)")
            return nil
        }
        guard rule.accepts(x) else {
            error(s.loc, path, "expected \(rule.expected), found \(s.text)")
            return nil
        }
        return x
    }

    /// The number at `map[key]`; nil when absent (use the default) or invalid (reported).
    mutating func number(_ map: YMap, _ key: String, _ path: String, _ rule: NumberRule) -> Double? {
        guard let node = map[key] else { return nil }
        return number(node, join(path, key), rule)
    }

    mutating func integer(_ node: YNode, _ path: String, minimum: Int) -> Int? {
        let expected = "a whole number ≥ \(minimum)"
        if misWritten(node, path, expected, wholeOrLarge: true) { return nil }
        guard let s = node.scalar, let x = Self.numericValue(s) else {
            error(node.loc, path, "expected \(expected), found \(node.found)")
            return nil
        }
        guard x.isFinite, x == x.rounded(), x >= Double(minimum), x < 1e15 else {
            error(s.loc, path, "expected \(expected), found \(s.text)")
            return nil
        }
        return Int(x)
    }

    mutating func integer(_ map: YMap, _ key: String, _ path: String, minimum: Int) -> Int? {
        guard let node = map[key] else { return nil }
        return integer(node, join(path, key), minimum: minimum)
    }

    mutating func seed(_ node: YNode, _ path: String) -> UInt64? {
        let expected = "a whole number from 0 to \(UInt64.max)"
        if misWritten(node, path, expected, wholeOrLarge: true) { return nil }
        guard let s = node.scalar, s.kind == .int else {
            error(node.loc, path, "expected \(expected), found \(node.found)")
            return nil
        }
        guard let (negative, magnitude) = Self.integerValue(s), !negative else {
            error(s.loc, path, "expected \(expected), found \(s.text)")
            return nil
        }
        return magnitude
    }

    mutating func bool(_ map: YMap, _ key: String, _ path: String) -> Bool? {
        guard let node = map[key] else { return nil }
        guard let s = node.scalar, s.kind == .bool, let b = Bool.construct(from: Node.Scalar(s.text)) else {
            error(node.loc, join(path, key), "expected true or false, found \(node.found)")
            return nil
        }
        return b
    }

    /// Any non-empty scalar, as written (so `name: 2026` is the text "2026").
    mutating func text(_ node: YNode, _ path: String, what: String) -> String? {
        guard let s = node.scalar, !s.isNull else {
            var hint = ""
            if case .map = node, node.loc.file == Overrides.fileName {
                hint = " (YAML reads 'a: b' as a map; quote the text, like \(path)='\"A: B\"')"
            }
            error(node.loc, path, "expected \(what), found \(node.found)\(hint)")
            return nil
        }
        return s.text
    }

    /// One of a closed set of words; a near miss gets a suggestion.
    mutating func choice(_ map: YMap, _ key: String, _ path: String, _ options: [String]) -> String? {
        guard let node = map[key] else { return nil }
        let p = join(path, key)
        let list = options.count == 2 ? options.joined(separator: " or ") : options.joined(separator: ", ")
        guard let t = text(node, p, what: list) else { return nil }
        guard options.contains(t) else {
            error(node.loc, p, "expected \(list), found '\(YNode.abbreviated(t))'", suggestion: Suggest.didYouMean(t, options))
            return nil
        }
        return t
    }

    /// An `id`: required, letters/digits/`-`/`_`, unique within its list, not reserved.
    mutating func identifier(_ m: YMap, _ path: String, what: String, reserved: String?,
                             seen: inout [String: SourcePosition]) -> String? {
        guard let node = m["id"] else {
            missing(m, "id", path, "a short name of letters, digits, '-' and '_' that identifies the \(what)")
            return nil
        }
        let p = join(path, "id")
        guard let id = text(node, p, what: "an id") else { return nil }
        if !YAMLTree.isValidID(id) {
            error(node.loc, p, "expected an id of letters, digits, '-' and '_' (like foster or varige-spor), found '\(YNode.abbreviated(id))'")
            return nil
        }
        if id == reserved {
            error(node.loc, p, "'\(id)' cannot be a \(what) id: it is the assessment outcome that closes the case")
            return nil
        }
        if let first = seen[id] {
            error(node.loc, p, "duplicate \(what) id '\(id)': it is already used on line \(first.line)")
            return nil
        }
        seen[id] = node.loc
        return id
    }

    /// A calendar date, written `2026-07-01` (YAML reads it as a timestamp) or quoted.
    mutating func date(_ node: YNode, _ path: String) -> CalendarDate? {
        let expected = "expected a date (YYYY-MM-DD)"
        guard let s = node.scalar, [.timestamp, .string, .other].contains(s.kind) else {
            error(node.loc, path, "\(expected), found \(node.found)")
            return nil
        }
        let t = s.text.trimmingCharacters(in: .whitespaces)
        switch Self.parseDate(t) {
        case .valid(let d):
            return d
        case .invalid(let reason):
            error(s.loc, path, "\(expected), found a bad date '\(t)' (\(reason))")
        case .withTime:
            error(s.loc, path, "\(expected) without a time of day, found '\(YNode.abbreviated(t))'")
        case .notADate:
            error(s.loc, path, "\(expected), found '\(YNode.abbreviated(t))'")
        }
        return nil
    }

    enum DateParse {
        case valid(CalendarDate)
        case invalid(String)
        case withTime
        case notADate
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                             "August", "September", "October", "November", "December"]

    static func parseDate(_ text: String) -> DateParse {
        let isDigits: (Substring) -> Bool = { $0.allSatisfy { $0.isASCII && $0.isNumber } }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), !parts[2].isEmpty,
              isDigits(parts[0]), isDigits(parts[1]) else { return .notADate }
        guard isDigits(parts[2]), parts[2].count <= 2 else {
            return parts[2].count > 2 && isDigits(parts[2].prefix(2)) && !isDigits(parts[2]) ? .withTime : .notADate
        }
        guard let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return .notADate }
        let date = CalendarDate(year: y, month: m, day: d)
        if date.isValid { return .valid(date) }
        if !(1...12).contains(m) { return .invalid("there is no month \(m)") }
        if d == 0 { return .invalid("days are numbered from 1") }
        return .invalid("\(monthNames[m - 1]) \(y) has \(CalendarDate.daysIn(month: m, year: y)) days")
    }
}

extension DistributionSpec {
    /// True when every value the distribution can produce is 0 (a stay that takes no time).
    var alwaysZero: Bool {
        switch self {
        case .fixed(let v): return v == 0
        case .exponential(let mean): return mean == 0
        case .gammaMeanSD(let mean, _), .lognormalMeanSD(let mean, _): return mean == 0
        case .gammaShapeScale(_, let scale): return scale == 0
        case .lognormalMuSigma: return false
        case .weibull(_, let scale): return scale == 0
        case .uniform(let lo, let hi): return lo == 0 && hi == 0
        case .empirical(let values, let weights):
            return zip(values, weights).allSatisfy { $0.0 == 0 || $0.1 == 0 }
        }
    }
}
