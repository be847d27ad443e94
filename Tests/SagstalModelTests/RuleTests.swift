import Foundation
import Testing
@testable import SagstalModel
import SagstalRandom
import SagstalScenario
import SagstalStats

// Every rule of MODEL.md §§2–6, each checked by a test that can fail.
//
// Most tests are deterministic: fixed durations, probabilities 0 or 1, a handful of
// children, and *scripted arrivals* (`.arrival` events put on the queue before the run
// with `notifications.perYear` 0, so no Poisson arrival is ever added). The exact outcome
// is then known by hand and is compared with the metrics or with the replication's
// internal state (`@testable`). Where randomness is the rule itself, the test uses a
// fixed seed and a tolerance of 3 standard errors, and prints seed and values.
//
// Where MODEL.md is ambiguous, the comment on the test says which reading the code takes.

// MARK: - Rig

/// Builds small scenarios, runs one replication with scripted arrivals, reads metrics by name.
enum Rig {
    /// A duration longer than any horizon used here (the event is never scheduled).
    static let never = 1e9
    static let start = CalendarDate(year: 2026, month: 1, day: 1)
    static let month = ModelTime.daysPerMonth

    static func step(_ id: String, _ d: Double = never, up: Double = 0, down: Double = 0, exit: Double = 0,
                     placement: Bool = false, cost: Double = 0) -> LadderStep {
        LadderStep(id: id, placement: placement, costPerYear: cost, duration: .fixed(d),
                   next: Transitions(up: up, down: down, exit: exit))
    }

    /// One team "t"; ages fixed at 5 and ageOut 1000, so nobody ages out; no arrivals.
    static func scenario(years: Double = 1, ladder: [LadderStep] = [step("a")], caseworkers: Int = 1,
                         cap: Double = 10, policy: AssignmentPolicy = .overflow) -> Scenario {
        var s = Scenario(name: "rule", ladder: ladder,
                         teams: [Team(id: "t", caseworkers: caseworkers, cap: cap, policy: policy)])
        s.simulation.years = years
        s.simulation.replications = 1
        s.children.ageAtNotification = .fixed(5)
        s.children.ageOut = 1000
        return s
    }

    static func date(_ y: Int, _ m: Int, _ d: Int) -> CalendarDate { CalendarDate(year: y, month: m, day: d) }

    /// Simulation time of a date for a run starting 2026-01-01.
    static func at(_ y: Int, _ m: Int, _ d: Int) -> Double { date(y, m, d).days(since: start) }

    /// A no-op change (cap set to its value) at the run start: the first hook call then
    /// happens at the run start, after the initial state is set up.
    static func wakeUp(_ s: inout Scenario) {
        s.staff.changes.insert(StaffChange(at: s.simulation.start, team: s.teams[0].id, cap: s.teams[0].cap), at: 0)
    }

    /// True when a waitlist or pool entry with a valid ticket refers to a child that has left.
    static func liveQueueEntryOfFreeChild(_ r: Replication) -> Bool {
        r.teams.contains { team in
            (team.waitlist + team.pool).contains { e in
                r.children[Int(e.child)].queueTicket == e.ticket && r.children[Int(e.child)].phase == .free
            }
        }
    }

    static func run(_ s: Scenario, arrivals: [Double] = [], replication: Int = 0,
                    observe: ((Replication) -> Void)? = nil) throws -> Outcome {
        let cs = try CompiledScenario(s)
        let r = try Replication(cs, index: replication)
        for t in arrivals { r.queue.schedule(at: t, .arrival) }
        r.afterEachEvent = observe
        let record = try r.run()
        return Outcome(rep: r, record: record, layout: cs.layout)
    }
}

struct Outcome {
    let rep: Replication
    let record: ReplicationRecord
    let layout: MetricLayout

    private func index(_ m: String) -> Int? {
        let i = layout.periodMetrics.firstIndex(of: m)
        if i == nil { Issue.record("unknown metric \(m)") }
        return i
    }

    func total(_ m: String) -> Double {
        guard let i = layout.totalsMetrics.firstIndex(of: m) else { Issue.record("unknown metric \(m)"); return .nan }
        return record.totals[i]
    }

    func year(_ y: Int, _ m: String) -> Double {
        guard let i = index(m) else { return .nan }
        return record.yearly[y * layout.periodMetrics.count + i]
    }

    func month(_ k: Int, _ m: String) -> Double {
        guard let i = index(m) else { return .nan }
        return record.monthly[k * layout.periodMetrics.count + i]
    }

    var monthCount: Int { layout.monthLabels.count }
    var yearCount: Int { layout.yearLabels.count }
}

extension Replication {
    /// A raw count summed over the months of the horizon (what has been counted so far).
    func rawTotal(_ slot: Int) -> Double {
        var v = 0.0
        for m in 0..<cs.months { v += raw[m * slots.count + slot] }
        return v
    }

    /// Caseload of every position (removed ones included), by position id.
    var loads: [Int] { positions.map { Int($0.load) } }
}

/// Records the simulation times at which raw counts went up (one entry per unit).
final class Watch {
    private let slots: [Int]
    private var seen: [Int: Double] = [:]
    private var times: [Int: [Double]] = [:]

    init(_ slots: [Int]) { self.slots = slots }

    func observe(_ r: Replication) {
        for s in slots {
            let v = r.rawTotal(s)
            let d = Int((v - seen[s, default: 0]).rounded())
            if d > 0 {
                times[s, default: []] += Array(repeating: r.lastT, count: d)
                seen[s] = v
            }
        }
    }

    subscript(_ slot: Int) -> [Double] { times[slot] ?? [] }
}

/// Records first assignments: (time, child, notification time, caseworker), in order.
final class Assignments {
    struct Row: Equatable { var t: Double; var child: Int; var notified: Double; var worker: Int }
    private var done: Set<Int> = []
    private var alive: [Int: Double] = [:]
    private(set) var rows: [Row] = []

    func observe(_ r: Replication) {
        for (c, ch) in r.children.enumerated() {
            if ch.phase == .free {
                if alive[c] != nil { alive[c] = nil; done.remove(c) }
                continue
            }
            if alive[c] == nil { alive[c] = ch.notifiedAt }
            if ch.worker >= 0 && !done.contains(c) && (ch.phase == .assessment || ch.phase == .ladder) {
                done.insert(c)
                // Initial stock (ladder at the run start) is not a first assignment.
                if ch.phase == .assessment || ch.notifiedAt != r.cs.runStart {
                    rows.append(Row(t: r.lastT, child: c, notified: ch.notifiedAt, worker: Int(ch.worker)))
                }
            }
        }
    }
}

func near(_ a: Double, _ b: Double, _ tol: Double = 1e-9) -> Bool {
    abs(a - b) <= tol * max(1, abs(a), abs(b))
}

private func entriesSlot(_ steps: Int, _ k: Int) -> Int { RawSlots(steps: steps).entries(k) }

/// The rules of MODEL.md §§2–6, one nested suite per section.
@Suite("MODEL.md rules") struct RuleTests {}

// MARK: - §2 Time

extension RuleTests {
    @Suite("MODEL §2 time") struct Time {
        @Test("a child on a step for the whole horizon: childYears = years; months of 30.4375 days, a short last month",
              arguments: [2.5, 1.05])
        func wholeHorizonStock(years: Double) throws {
            var s = Rig.scenario(years: years, ladder: [Rig.step("a", placement: true, cost: 365.25)])
            s.initial = [InitialStock(step: "a", count: 1)]
            let o = try Rig.run(s)
            let months = Int((years * 12 - 1e-9).rounded(.up))
            #expect(o.monthCount == months)
            #expect(near(o.total("step.a.childYears"), years), "\(o.total("step.a.childYears"))")
            #expect(near(o.total("placedChildYears"), years))
            #expect(near(o.total("cost.step.a"), years * 365.25), "1 DKK per child-day: \(o.total("cost.step.a"))")
            for k in 0..<(months - 1) {
                #expect(near(o.month(k, "step.a.childYears"), 30.4375 / 365.25), "month \(k): \(o.month(k, "step.a.childYears"))")
            }
            let lastDays = years * 365.25 - Double(months - 1) * 30.4375
            #expect(near(o.month(months - 1, "step.a.childYears"), lastDays / 365.25),
                    "last month \(o.month(months - 1, "step.a.childYears")) vs \(lastDays / 365.25)")
            let budgetYears = Int((years - 1e-9).rounded(.up))
            #expect(o.yearCount == budgetYears)
            for y in 0..<budgetYears {
                #expect(near(o.year(y, "step.a.childYears"), min(1, years - Double(y))), "year \(y): \(o.year(y, "step.a.childYears"))")
            }
            for k in 0..<months { #expect(o.month(k, "step.a.end") == 1, "month \(k)") }
        }

        @Test("an event exactly at a month or year boundary belongs to the new period; the snapshot is taken before it")
        func boundaryEvents() throws {
            var s = Rig.scenario(years: 2, ladder: [Rig.step("a", Rig.month, exit: 1), Rig.step("b", 365.25, exit: 1)])
            s.initial = [InitialStock(step: "a", count: 1), InitialStock(step: "b", count: 1)]
            s.screening.opensCase = 0
            let o = try Rig.run(s, arrivals: [Rig.month, 365.25])
            #expect(o.month(0, "casesClosed") == 0)
            #expect(o.month(0, "step.a.end") == 1)
            #expect(o.month(0, "openCasesEnd") == 2)
            #expect(o.month(0, "screenedOut") == 0)
            #expect(near(o.month(0, "step.a.childYears"), 30.4375 / 365.25))
            #expect(o.month(1, "casesClosed") == 1)
            #expect(o.month(1, "step.a.end") == 0)
            #expect(o.month(1, "screenedOut") == 1)
            #expect(o.month(1, "step.a.childYears") == 0)
            #expect(o.month(11, "step.b.end") == 1)
            #expect(o.month(12, "casesClosed") == 1)
            #expect(o.month(12, "screenedOut") == 1)
            #expect(o.year(0, "casesClosed") == 1)
            #expect(o.year(0, "step.b.end") == 1)
            #expect(o.year(0, "openCasesEnd") == 1)
            #expect(o.year(1, "casesClosed") == 1)
            #expect(o.year(1, "screenedOut") == 1)
            #expect(o.year(1, "openCasesEnd") == 0)
        }

        @Test("warm-up: nothing before t = 0 is counted (counts, integrals, costs, hires, one-offs)")
        func warmUpNotCounted() throws {
            var s = Rig.scenario(years: 1, ladder: [Rig.step("a", 200, exit: 1, cost: 365.25), Rig.step("b", cost: 365.25)])
            s.simulation.warmupYears = 1
            s.initial = [InitialStock(step: "a", count: 1), InitialStock(step: "b", count: 1)]
            s.staff.costPerYear = 365.25
            s.staff.recruitmentCost = 1000
            // During the warm-up (2025-06-01 is after the run start 2025-01-01): a hire that is not counted.
            s.staff.changes = [StaffChange(at: Rig.date(2025, 6, 1), team: "t", caseworkers: .relative(1), immediate: true)]
            s.assessment.cost = 500
            s.costs.oneOff = [OneOffCost(at: Rig.date(2025, 7, 1), amount: 1e6)]
            // −100: a warm-up arrival (case opened and closed in the warm-up); 50: counted.
            let o = try Rig.run(s, arrivals: [-100, 50])
            #expect(o.total("notifications") == 1)
            #expect(o.total("casesOpened") == 1)
            #expect(o.total("assessmentsCompleted") == 1)
            #expect(o.total("assignments") == 1)
            #expect(o.total("casesClosed") == 1, "the stock on a closes at −165.25 and is not counted")
            #expect(o.total("step.a.childYears") == 0)
            #expect(near(o.total("step.b.childYears"), 1))
            #expect(near(o.total("cost.step.b"), 365.25))
            #expect(o.total("cost.step.a") == 0)
            #expect(o.total("hires") == 0)
            #expect(o.total("cost.recruitment") == 0)
            #expect(o.total("cost.oneOff") == 0)
            #expect(near(o.total("caseworkersMean"), 2))
            #expect(near(o.total("cost.staff"), 730.5))
            #expect(o.total("cost.assessments") == 500)
            #expect(near(o.total("cost.total"), 730.5 + 365.25 + 500), "\(o.total("cost.total"))")
            #expect(o.monthCount == 12 && o.yearCount == 1)
        }

        @Test("warm-up: waits of children notified in the warm-up are counted at their first assignment after 0")
        func warmUpWaits() throws {
            var s = Rig.scenario(years: 1, caseworkers: 0)
            s.simulation.warmupYears = 1
            s.staff.changes = [StaffChange(at: Rig.date(2026, 1, 11), team: "t", caseworkers: .relative(1), immediate: true)]
            let T = Rig.at(2026, 1, 11)
            let o = try Rig.run(s, arrivals: [-50, -20, 5])
            #expect(o.total("notifications") == 1)
            #expect(o.total("casesOpened") == 1)
            #expect(o.total("assignments") == 3)
            let expectedMean = ((T + 50) + (T + 20) + (T - 5)) / 3
            #expect(near(o.total("waitDaysMean"), expectedMean), "\(o.total("waitDaysMean")) vs \(expectedMean)")
            #expect(o.total("waitedShare") == 1)
            let waitingDays = 2 * 5 + 3 * (T - 5)     // only the part after t = 0
            #expect(near(o.total("waitingMean"), waitingDays / 365.25), "\(o.total("waitingMean"))")
            // Version 2: children waiting for a first caseworker are in waitingMean only.
            #expect(o.total("unassignedMean") == 0)
            #expect(o.total("hires") == 1)
            #expect(o.total("casesClosed") == 3)
        }

        @Test("a fractional horizon gives a short last budget year")
        func fractionalYears() throws {
            var s = Rig.scenario(years: 1.5)
            s.initial = [InitialStock(step: "a", count: 1)]
            s.staff.costPerYear = 365.25
            let o = try Rig.run(s)
            #expect(o.layout.yearLabels == ["2026", "2027"])
            #expect(o.monthCount == 18)
            #expect(near(o.year(0, "cost.staff"), 365.25))
            #expect(near(o.year(1, "cost.staff"), 182.625), "\(o.year(1, "cost.staff"))")
            #expect(near(o.year(1, "caseworkersMean"), 1))
            #expect(near(o.year(1, "step.a.childYears"), 0.5))
            #expect(near(o.total("step.a.childYears"), 1.5))
        }

        @Test("events at or after the horizon are not processed (sojourn end, staff change, arrival, one-off)")
        func horizon() throws {
            var s = Rig.scenario(years: 1, ladder: [Rig.step("a", 365.25, exit: 1), Rig.step("b", 365, exit: 1)])
            s.initial = [InitialStock(step: "a", count: 1), InitialStock(step: "b", count: 1)]
            s.screening.opensCase = 0
            s.staff.changes = [StaffChange(at: Rig.date(2027, 1, 1), team: "t", caseworkers: .relative(1), immediate: true),
                               StaffChange(at: Rig.date(2027, 6, 1), team: "t", caseworkers: .relative(1), immediate: true)]
            s.costs.oneOff = [OneOffCost(at: Rig.date(2027, 1, 1), amount: 1e6)]
            var late: [Double] = []
            let o = try Rig.run(s, arrivals: [365.2, 365.25, 400]) { r in
                if r.lastT >= 365.25 { late.append(r.lastT) }
            }
            #expect(late.isEmpty, "events processed at or after the horizon: \(late)")
            #expect(o.total("casesClosed") == 1)
            #expect(o.total("step.a.end") == 1)
            #expect(o.total("step.b.end") == 0)
            #expect(o.total("hires") == 0)
            #expect(near(o.total("caseworkersMean"), 1))
            #expect(o.total("notifications") == 1)
            #expect(o.total("cost.oneOff") == 0)
        }

        @Test("simultaneous events run in the order they were scheduled (FIFO)", arguments: [true, false])
        func fifoTieBreak(arrivalFirst: Bool) throws {
            // The stock child's sojourn ends (exit) at 10. An arrival at 10 scheduled before it
            // (before the run) is a renotification about it; one scheduled after it (from the hook
            // at t = 0) finds no open case and is a new child, screened out.
            var s = Rig.scenario(years: 1, ladder: [Rig.step("a", 10, exit: 1), Rig.step("b")])
            s.initial = [InitialStock(step: "a", count: 1)]
            s.notifications.concernsOpenCase = 1
            s.screening.opensCase = 0
            Rig.wakeUp(&s)
            var scheduled = false
            let o = try Rig.run(s, arrivals: arrivalFirst ? [10] : []) { r in
                if !arrivalFirst && !scheduled { r.queue.schedule(at: 10, .arrival); scheduled = true }
            }
            #expect(o.total("notifications") == 1)
            #expect(o.total("renotifications") == (arrivalFirst ? 1 : 0))
            #expect(o.total("screenedOut") == (arrivalFirst ? 0 : 1))
            #expect(o.total("casesClosed") == 1)
        }

        @Test("date → time: 365.25 · difference of decimal years")
        func dateMapping() throws {
            let start = Rig.start
            #expect(Rig.date(2027, 1, 1).days(since: start) == 365.25)
            #expect(Rig.date(2030, 1, 1).days(since: start) == 4 * 365.25)
            #expect(near(Rig.date(2026, 7, 1).days(since: start), 365.25 * 181 / 365))
            #expect(near(Rig.date(2025, 12, 31).days(since: start), -365.25 / 365))
            #expect(near(Rig.date(2028, 7, 1).days(since: Rig.date(2028, 1, 1)), 365.25 * 182 / 366), "leap year")
            #expect(near(Rig.date(2027, 3, 1).days(since: Rig.date(2026, 3, 1)), 365.25))
            // In the model: a change dated 2026-07-01 happens at that time, which is in model
            // month 5 (labelled 2026-06): model months are 30.4375 days, not calendar months.
            var s = Rig.scenario(years: 1)
            s.staff.changes = [StaffChange(at: Rig.date(2026, 7, 1), team: "t", caseworkers: .relative(1), immediate: true)]
            let w = Watch([RawSlots.hires])
            let o = try Rig.run(s, observe: w.observe)
            #expect(w[RawSlots.hires].count == 1 && near(w[RawSlots.hires][0], 365.25 * 181 / 365), "\(w[RawSlots.hires])")
            #expect(o.month(5, "hires") == 1)
            #expect(ModelTime.monthOfYear(-1, startMonth: 1) == 11)
            #expect(ModelTime.monthOfYear(Rig.month * 10, startMonth: 3) == 0)
            #expect(ModelTime.monthLabels(start: Rig.date(2026, 3, 1), years: 1).first == "2026-03")
            #expect(ModelTime.monthLabels(start: Rig.date(2026, 3, 1), years: 1).last == "2027-02")
        }
    }
}

// MARK: - §3 Randomness

extension RuleTests {
    @Suite("MODEL §3 randomness") struct Randomness {
        @Test("common random numbers: two scenarios with the same seed have the same arrivals")
        func commonArrivals() throws {
            let a = Caseload.stochastic(workers: 2, cap: 25, reference: 30, elasticity: Elasticities())
            var b = a
            b.screening.opensCase = 0.4
            // Two teams and another initial stock: the stock's team draws use the routing stream.
            b.teams = [Team(id: "t", share: 2, caseworkers: 7, cap: 5, policy: .waitlist), Team(id: "u", caseworkers: 3, cap: 9)]
            b.initial = [InitialStock(step: "b", count: 25), InitialStock(step: "c", count: 5)]
            b.ladder[0].duration = .exponential(mean: 300)
            b.notifications.concernsOpenCase = 0.6
            b.outreach = OutreachSettings(workers: 2, coursesPerWorker: 5, reach: 0.5, duration: .fixed(30), resolves: 0.5)
            b.staff.turnover = Turnover(perYear: 0.3)
            b.caseload.elasticity = Elasticities(escalate: 1, duration: 0.5)
            let x = try Rig.run(a), y = try Rig.run(b)
            let mx = (0..<x.monthCount).map { x.month($0, "notifications") }
            let my = (0..<y.monthCount).map { y.month($0, "notifications") }
            #expect(mx == my, "seed 13: \(mx) vs \(my)")
            #expect(x.total("casesOpened") != y.total("casesOpened"),
                    "seed 13: the scenarios should differ: \(x.total("casesOpened")) vs \(y.total("casesOpened")) cases")
        }

        @Test("a replication's result depends only on (seed, replication index)")
        func replicationSeeding() throws {
            let s = Caseload.stochastic(workers: 2, cap: 25, reference: 30, elasticity: Elasticities())
            let r2 = try Rig.run(s, replication: 2)
            _ = try Rig.run(s, replication: 5)   // another replication in between changes nothing
            let again = try Rig.run(s, replication: 2)
            let same = zip(r2.record.totals, again.record.totals).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
            #expect(same, "seed 13, replication 2 run twice: \(r2.record.totals) vs \(again.record.totals)")
            let r3 = try Rig.run(s, replication: 3)
            #expect(r2.total("cost.total") != r3.total("cost.total"),
                    "seed 13: replications 2 and 3 both cost \(r2.total("cost.total"))")
            var other = s
            other.simulation.seed = 14
            let o14 = try Rig.run(other, replication: 2).total("cost.total")
            #expect(o14 != r2.total("cost.total"), "seeds 13 and 14, replication 2: both cost \(o14)")
        }

        @Test("distributions: gamma and lognormal by mean/sd, sd 0 is fixed, weibull(shape, scale), uniform; sample means within 3 SE")
        func distributions() throws {
            guard case .gamma(let k, let theta) = try CompiledScenario.distribution(.gammaMeanSD(mean: 70, sd: 30)) else {
                Issue.record("gamma by mean/sd is not a gamma"); return
            }
            #expect(near(k, (70.0 / 30) * (70.0 / 30)) && near(theta, 900.0 / 70))
            guard case .lognormal(let mu, let sigma) = try CompiledScenario.distribution(.lognormalMeanSD(mean: 240, sd: 150)) else {
                Issue.record("lognormal by mean/sd is not a lognormal"); return
            }
            let s2 = log(1 + 150.0 * 150 / (240 * 240))
            #expect(near(sigma * sigma, s2) && near(mu, log(240) - s2 / 2))
            for spec in [DistributionSpec.gammaMeanSD(mean: 70, sd: 0), .lognormalMeanSD(mean: 70, sd: 0)] {
                guard case .fixed(let v) = try CompiledScenario.distribution(spec) else { Issue.record("\(spec) is not fixed"); continue }
                #expect(v == 70)
            }
            let stream = try RandomStream(scenarioSeed: 1, replication: 0, purpose: .arrivals)
            let g = log(0.9027452929509336), g2 = log(1.1906393487589990)   // ln Γ(5/3), ln Γ(7/3)
            let cases: [(String, DistributionSpec, Double, Double)] = [
                ("gamma", .gammaMeanSD(mean: 70, sd: 30), 70, 30),
                ("lognormal", .lognormalMeanSD(mean: 240, sd: 150), 240, 150),
                ("weibull", .weibull(shape: 1.5, scale: 400), 400 * exp(g), 400 * (exp(g2) - exp(2 * g)).squareRoot()),
                ("uniform", .uniform(min: 10, max: 20), 15, 10 / 12.0.squareRoot()),
                ("exponential", .exponential(mean: 50), 50, 50),
                ("empirical", .empirical(values: [1, 5], weights: [3, 1]), 2, (0.75 * 0.25).squareRoot() * 4),
            ]
            let n = 20_000
            for (name, spec, mean, sd) in cases {
                let d = try CompiledScenario.distribution(spec)
                var sum = 0.0
                for _ in 0..<n { sum += stream.sample(d) }
                let m = sum / Double(n), se = sd / Double(n).squareRoot()
                #expect(abs(m - mean) <= 3 * se, "seed 1 (durations stream): \(name) sample mean \(m), expected \(mean) ± \(3 * se)")
            }
        }
    }
}

// MARK: - §5.1 Notifications

extension RuleTests {
    @Suite("MODEL §5.1 notifications") struct Notifications {
        @Test("λ grows by (1 + growthPerYear)^(t/365.25): yearly counts within 3 SE of the integral")
        func growth() throws {
            let seed: UInt64 = 11
            var s = Rig.scenario(years: 3)
            s.simulation.seed = seed
            s.notifications.perYear = 2000
            s.notifications.growthPerYear = 0.5
            s.screening.opensCase = 0
            let o = try Rig.run(s)
            for y in 0..<3 {
                let e = 2000 * (pow(1.5, Double(y + 1)) - pow(1.5, Double(y))) / log(1.5)
                let got = o.year(y, "notifications")
                #expect(abs(got - e) <= 3 * e.squareRoot(), "seed \(seed), year \(y): \(got) notifications, expected \(e) ± \(3 * e.squareRoot())")
            }
        }

        @Test("seasonality by month of year, counted from the start month: only January arrivals")
        func seasonality() throws {
            let seed: UInt64 = 5
            var s = Rig.scenario(years: 2)
            s.simulation.seed = seed
            s.simulation.start = Rig.date(2026, 3, 1)
            s.notifications.perYear = 600
            s.notifications.seasonality = [1] + Array(repeating: 0, count: 11)
            s.screening.opensCase = 0
            let o = try Rig.run(s)
            #expect(o.layout.monthLabels[10] == "2027-01")
            for k in 0..<24 {
                let n = o.month(k, "notifications")
                if k == 10 || k == 22 { #expect(n > 0, "seed \(seed), month \(k)") } else { #expect(n == 0, "seed \(seed), month \(k): \(n)") }
            }
            // Mean per January: 600 · 12 / 365.25 · 30.4375 = 600.
            let total = o.total("notifications")
            #expect(abs(total - 1200) <= 3 * 1200.0.squareRoot(), "seed \(seed): \(total) vs 1200")
        }

        @Test("concernsOpenCase 1 with open cases: renotification, no new child; notifications counts it")
        func renotificationWithOpenCases() throws {
            var s = Rig.scenario(years: 1)
            s.initial = [InitialStock(step: "a", count: 2)]
            s.notifications.concernsOpenCase = 1
            var sizes: Set<Int> = []
            let o = try Rig.run(s, arrivals: [10, 20, 30, 40]) { r in sizes.insert(r.openCases.count); sizes.insert(r.children.count) }
            #expect(o.total("notifications") == 4)
            #expect(o.total("renotifications") == 4)
            #expect(o.total("casesOpened") == 0)
            #expect(o.total("screenedOut") == 0)
            #expect(sizes == [2], "open cases / children seen: \(sizes)")
        }

        @Test("concernsOpenCase 1 with no open case: a new child; a child in assessment is not escalated")
        func newChildWhenNoOpenCase() throws {
            var s = Rig.scenario(years: 1)
            s.notifications.concernsOpenCase = 1
            s.notifications.escalateOnRenotification = 1
            s.assessment.duration = .fixed(15)
            // 10: new case (assessment to 25); 20: renotification about it (not on the ladder); 30: new case.
            let o = try Rig.run(s, arrivals: [10, 20, 30])
            #expect(o.total("notifications") == 3)
            #expect(o.total("renotifications") == 1)
            #expect(o.total("renotificationEscalations") == 0)
            #expect(o.total("casesOpened") == 2)
        }

        @Test("an outreach course is not an open case")
        func courseIsNotACase() throws {
            var s = Rig.scenario(years: 1)
            s.notifications.concernsOpenCase = 1
            s.outreach = OutreachSettings(workers: 1, coursesPerWorker: 1, reach: 1, duration: .fixed(100), resolves: 1)
            let o = try Rig.run(s, arrivals: [10, 20])
            #expect(o.total("renotifications") == 0)
            #expect(o.total("outreachCourses") == 1)
            #expect(o.total("casesOpened") == 1, "the second child finds no free slot and is screened")
        }

        @Test("the renotified child is chosen uniformly among open cases (4 children, 3 SE each)")
        func uniformChoice() throws {
            let seed: UInt64 = 3
            var s = Rig.scenario(years: 1)
            s.simulation.seed = seed
            s.initial = [InitialStock(step: "a", count: 4)]
            s.notifications.perYear = 4000
            s.notifications.concernsOpenCase = 1
            s.notifications.escalateOnRenotification = 1   // on the (only, top) step: a new sojourn, a new ticket
            Rig.wakeUp(&s)
            var last: [UInt32]? = nil
            var hits = [0, 0, 0, 0]
            let o = try Rig.run(s) { r in
                let now = (0..<4).map { r.children[$0].stateTicket }
                if let l = last { for c in 0..<4 where now[c] != l[c] { hits[c] += 1 } }
                last = now
            }
            let n = o.total("renotifications")
            #expect(n == o.total("notifications"))
            #expect(Double(hits.reduce(0, +)) == n && o.total("renotificationEscalations") == n, "seed \(seed): hits \(hits), n \(n)")
            let se = (n * 0.25 * 0.75).squareRoot()
            for c in 0..<4 {
                #expect(abs(Double(hits[c]) - n / 4) <= 3 * se, "seed \(seed): child \(c) renotified \(hits[c]) of \(n) times (±\(3 * se))")
            }
        }

        @Test("forced escalation: k → k+1 is an entry; at the top a new sojourn, no entry; counted")
        func forcedEscalation() throws {
            var s = Rig.scenario(years: 1, ladder: [Rig.step("a"), Rig.step("b"), Rig.step("c", 100, exit: 1, placement: true)])
            s.initial = [InitialStock(step: "a", count: 1)]
            s.notifications.concernsOpenCase = 1
            s.notifications.escalateOnRenotification = 1
            s.screening.opensCase = 0
            // 10: a→b; 20: b→c (ends 120); 50: new sojourn at c (ends 150); 110: again (ends 210);
            // 210: exit; 250, 260: no open case → new children, screened out.
            let w = Watch([RawSlots.casesClosed])
            let o = try Rig.run(s, arrivals: [10, 20, 50, 110, 250, 260], observe: w.observe)
            #expect(o.total("notifications") == 6)
            #expect(o.total("renotifications") == 4)
            #expect(o.total("renotificationEscalations") == 4)
            #expect(o.total("step.a.entries") == 0)
            #expect(o.total("step.b.entries") == 1)
            #expect(o.total("step.c.entries") == 1)
            #expect(o.total("placementsStarted") == 1)
            #expect(w[RawSlots.casesClosed] == [210], "case closed at \(w[RawSlots.casesClosed]), expected 210")
            #expect(o.total("screenedOut") == 2)
        }

        @Test("age at notification: integer empirical values mean completed years (U[0,1) added), others are exact",
              arguments: [17.0, 17.5])
        func empiricalAge(value: Double) throws {
            var s = Rig.scenario(years: 2)
            s.simulation.seed = 9
            s.children.ageAtNotification = .empirical(values: [value], weights: [1])
            s.children.ageOut = 18
            s.assessment.duration = .fixed(Rig.never)
            var alive: [Int: Double] = [:]
            var lives: [Double] = []
            let o = try Rig.run(s, arrivals: (1...20).map(Double.init)) { r in
                for (c, ch) in r.children.enumerated() {
                    if ch.phase != .free { if alive[c] == nil { alive[c] = ch.notifiedAt } } else if let n = alive[c] {
                        lives.append(r.lastT - n)
                        alive[c] = nil
                    }
                }
            }
            #expect(o.total("agedOut") == 20)
            #expect(lives.count == 20)
            if value == 17.5 {
                #expect(lives.allSatisfy { $0 == 182.625 }, "seed 9: \(lives)")
            } else {
                #expect(lives.allSatisfy { $0 > 0 && $0 <= 365.25 }, "seed 9: \(lives)")
                #expect((lives.max() ?? 0) - (lives.min() ?? 0) > 182.625, "seed 9: fractions not spread: \(lives)")
            }
        }
    }
}

// MARK: - §5.2 Screening

extension RuleTests {
    @Suite("MODEL §5.2 screening") struct Screening {
        @Test("opensCase 0 → everything screenedOut; 1 → every notification opens a case", arguments: [0.0, 1.0])
        func deterministic(opensCase: Double) throws {
            var s = Rig.scenario(years: 1)
            s.screening.opensCase = opensCase
            let o = try Rig.run(s, arrivals: [1, 2, 3, 4, 5])
            #expect(o.total("notifications") == 5)
            #expect(o.total("screenedOut") == 5 * (1 - opensCase))
            #expect(o.total("casesOpened") == 5 * opensCase)
            #expect(o.total("assignments") == 5 * opensCase)
        }

        @Test("opensCase 0.3: share of cases within 3 SE")
        func share() throws {
            let seed: UInt64 = 21
            var s = Rig.scenario(years: 1)
            s.simulation.seed = seed
            s.notifications.perYear = 10_000
            s.screening.opensCase = 0.3
            let o = try Rig.run(s)
            let n = o.total("notifications"), k = o.total("casesOpened")
            let se = (0.3 * 0.7 / n).squareRoot()
            #expect(abs(k / n - 0.3) <= 3 * se, "seed \(seed): \(k) of \(n) opened (share \(k / n), 3 SE \(3 * se))")
            #expect(k + o.total("screenedOut") == n)
        }
    }
}

// MARK: - §5.3 Assignment

extension RuleTests {
    @Suite("MODEL §5.3 assignment") struct Assignment {
        @Test("overflow: least-loaded active caseworker, ties to the lowest index, even above cap")
        func overflow() throws {
            var s = Rig.scenario(years: 1, caseworkers: 3, cap: 1)
            s.assessment.duration = .fixed(Rig.never)
            s.initial = [InitialStock(step: "a", count: 1)]   // loads [1, 0, 0]
            let a = Assignments()
            let o = try Rig.run(s, arrivals: (1...7).map(Double.init), observe: a.observe)
            #expect(a.rows.map(\.worker) == [1, 2, 0, 1, 2, 0, 1], "\(a.rows.map(\.worker))")
            #expect(o.rep.loads == [3, 3, 2])
            #expect(o.total("waitDaysMean") == 0)
            #expect(o.total("unassignedMean") == 0)
        }

        @Test("waitlist: FIFO, nobody passes the queue, served when a case ends; wait statistics; deadline")
        func waitlistFIFO() throws {
            var s = Rig.scenario(years: 1, cap: 1, policy: .waitlist)
            s.assessment.duration = .fixed(10)
            s.assessment.deadlineDays = 25
            // Assigned at 1, 11, 21, 31, 41: waits 0, 9, 18, 16, 1; completion − notification 10, 19, 28, 26, 11.
            let a = Assignments()
            let o = try Rig.run(s, arrivals: [1, 2, 3, 15, 40], observe: a.observe)
            #expect(a.rows.map(\.t) == [1, 11, 21, 31, 41], "\(a.rows)")
            #expect(a.rows.map(\.notified) == [1, 2, 3, 15, 40])
            #expect(o.total("assignments") == 5)
            #expect(near(o.total("waitDaysMean"), 44.0 / 5), "\(o.total("waitDaysMean"))")
            #expect(near(o.total("waitedShare"), 0.8))
            #expect(near(o.total("waitingMean"), 44 / 365.25))
            #expect(o.total("deadlineBreaches") == 2)
            #expect(o.total("assessmentsCompleted") == 5)
        }

        @Test("waitlist served when a caseworker is hired (hire at change + recruitment delay)")
        func servedOnHire() throws {
            var s = Rig.scenario(years: 1, cap: 1, policy: .waitlist)
            s.assessment.duration = .fixed(Rig.never)
            s.initial = [InitialStock(step: "a", count: 1)]
            s.staff.recruitment = .fixed(10)
            s.staff.changes = [StaffChange(at: Rig.date(2026, 2, 1), team: "t", caseworkers: .relative(1))]
            let T = Rig.at(2026, 2, 1)
            let a = Assignments()
            let o = try Rig.run(s, arrivals: [5, 6, 7], observe: a.observe)
            #expect(a.rows.count == 1)
            #expect(a.rows.first.map { near($0.t, T + 10) && $0.notified == 5 && $0.worker == 1 } == true, "\(a.rows)")
            #expect(near(o.total("waitDaysMean"), T + 10 - 5))
            #expect(o.total("hires") == 1)
            #expect(near(o.total("vacancyYears"), 10 / 365.25))
            #expect(o.rep.teams[0].waitlistCount == 2)
        }

        @Test("waitlist: a hire ramps up at cap · capShare and is served again at the end of its ramp-up")
        func servedAtRampUpEnd() throws {
            var s = Rig.scenario(years: 1, cap: 2, policy: .waitlist)
            s.assessment.duration = .fixed(Rig.never)
            s.initial = [InitialStock(step: "a", count: 2)]
            s.staff.rampUp = RampUp(days: 20, capShare: 0.5)
            s.staff.changes = [StaffChange(at: Rig.date(2026, 2, 1), team: "t", caseworkers: .relative(1), immediate: true)]
            let T = Rig.at(2026, 2, 1)
            let a = Assignments()
            let o = try Rig.run(s, arrivals: [5, 6, 7], observe: a.observe)
            #expect(a.rows.count == 2, "\(a.rows)")
            if a.rows.count == 2 {
                #expect(near(a.rows[0].t, T) && a.rows[0].notified == 5 && a.rows[0].worker == 1)
                #expect(near(a.rows[1].t, T + 20) && a.rows[1].notified == 6 && a.rows[1].worker == 1)
            }
            #expect(near(o.total("waitDaysMean"), ((T - 5) + (T + 20 - 6)) / 2))
            #expect(o.rep.teams[0].waitlistCount == 1)
            #expect(o.rep.positions[1].ramping == false)
        }

        @Test("waitlist: after a cap raise the head goes repeatedly to the least-loaded caseworker with room")
        func servedAfterCapRaise() throws {
            var s = Rig.scenario(years: 1, caseworkers: 2, cap: 1, policy: .waitlist)
            s.assessment.duration = .fixed(Rig.never)
            s.initial = [InitialStock(step: "a", count: 2)]
            s.staff.changes = [StaffChange(at: Rig.date(2026, 2, 1), team: "t", cap: 3)]
            let T = Rig.at(2026, 2, 1)
            let a = Assignments()
            let o = try Rig.run(s, arrivals: [5, 6, 7, 8, 9], observe: a.observe)
            #expect(a.rows.map(\.notified) == [5, 6, 7, 8])
            #expect(a.rows.map(\.worker) == [0, 1, 0, 1], "\(a.rows)")
            #expect(a.rows.allSatisfy { near($0.t, T) })
            #expect(o.rep.loads == [3, 3])
            #expect(o.rep.teams[0].waitlistCount == 1)
        }

        @Test("a team with no active caseworker: overflow pools new children for the next hire (all, regardless of cap); waitlist keeps its queue and its cap",
              arguments: [AssignmentPolicy.overflow, .waitlist])
        func noActiveCaseworker(policy: AssignmentPolicy) throws {
            var s = Rig.scenario(years: 1, caseworkers: 0, cap: 2, policy: policy)
            s.assessment.duration = .fixed(Rig.never)
            s.staff.changes = [StaffChange(at: Rig.date(2026, 2, 1), team: "t", caseworkers: .relative(1), immediate: true)]
            let T = Rig.at(2026, 2, 1)
            let a = Assignments()
            let o = try Rig.run(s, arrivals: [5, 6, 7, 40], observe: a.observe)
            let waitingDays: Double
            if policy == .overflow {
                #expect(Array(a.rows.prefix(3).map(\.notified)) == [5, 6, 7])
                #expect(a.rows.prefix(3).allSatisfy { near($0.t, T) && $0.worker == 0 }, "\(a.rows)")
                #expect(o.total("assignments") == 4)
                #expect(o.rep.loads == [4])
                waitingDays = 3 * T - 18
            } else {
                // MODEL.md §5.3, version 2: the hire serves the waitlist up to its cap (2), head first.
                #expect(a.rows.map(\.notified) == [5, 6], "\(a.rows)")
                #expect(a.rows.allSatisfy { near($0.t, T) && $0.worker == 0 }, "\(a.rows)")
                #expect(o.total("assignments") == 2)
                #expect(o.rep.loads == [2])
                #expect(o.rep.teams[0].waitlistCount == 2)
                #expect(o.rep.teams[0].poolCount == 0)
                waitingDays = (T - 5) + (T - 6) + (365.25 - 7) + (365.25 - 40)
            }
            #expect(o.total("unassignedMean") == 0, "\(policy): nobody here has had a caseworker")
            #expect(near(o.total("waitingMean"), waitingDays / 365.25), "\(policy): \(o.total("waitingMean"))")
        }

        // MODEL.md §5.3, version 2: in a waitlist team with nobody active, new children join the back
        // of the waitlist (nobody passes the queue); the pool holds only children who have had a
        // caseworker (a leaver's or a removed caseworker's), and the next hire takes those first,
        // regardless of cap, then serves the waitlist up to its cap.
        @Test("the next hire takes all unassigned children regardless of cap, then serves the waitlist up to cap")
        func hireTakesPoolThenWaitlist() throws {
            var s = Rig.scenario(years: 1, cap: 2, policy: .waitlist)
            s.assessment.duration = .fixed(Rig.never)
            s.initial = [InitialStock(step: "a", count: 2)]
            s.staff.changes = [StaffChange(at: Rig.date(2026, 2, 1), team: "t", caseworkers: .relative(-1)),
                               StaffChange(at: Rig.date(2026, 3, 1), team: "t", caseworkers: .relative(1), cap: 5, immediate: true)]
            let T2 = Rig.at(2026, 3, 1)
            let a = Assignments()
            let o = try Rig.run(s, arrivals: [5, 6, 7, 8, 40], observe: a.observe)
            // The removed worker's two ladder children (pool), then 5, 6 and 7 from the waitlist (cap 5);
            // 8 and the child of day 40 (which joined the back of the waitlist) still wait.
            #expect(a.rows.map(\.notified) == [5, 6, 7], "\(a.rows)")
            #expect(a.rows.allSatisfy { near($0.t, T2) && $0.worker == 1 })
            #expect(o.rep.loads[1] == 5)
            #expect(o.rep.teams[0].waitlistCount == 2)
            #expect(o.rep.teams[0].poolCount == 0)
            #expect(o.total("leavers") == 0)
            #expect(o.total("hires") == 1)
        }

        @Test("waitlist: a new child goes to the least-loaded caseworker with room, not to a less-loaded one without")
        func leastLoadedWithRoom() throws {
            var s = Rig.scenario(years: 1, cap: 4, policy: .waitlist)
            s.assessment.duration = .fixed(Rig.never)
            s.initial = [InitialStock(step: "a", count: 3)]
            s.staff.rampUp = RampUp(days: 1000, capShare: 0.25)   // the hire: effective cap 1
            s.staff.changes = [StaffChange(at: Rig.date(2026, 1, 2), team: "t", caseworkers: .relative(1), immediate: true)]
            // 5 → p1 (0 < 1); 6 → p0 (3 < 4; p1 at 1 has no room); 7 → waitlist.
            let a = Assignments()
            let o = try Rig.run(s, arrivals: [5, 6, 7], observe: a.observe)
            #expect(a.rows.map(\.worker) == [1, 0], "\(a.rows)")
            #expect(o.rep.teams[0].waitlistCount == 1)
        }

        @Test("caps are not rounded: room means caseload < effective cap (cap 2.5 takes 3; ramping 3 × 0.5 takes 2)")
        func fractionalCaps() throws {
            var s = Rig.scenario(years: 1, cap: 2.5, policy: .waitlist)
            s.assessment.duration = .fixed(Rig.never)
            let o = try Rig.run(s, arrivals: [1, 2, 3, 4])
            #expect(o.total("assignments") == 3)
            #expect(o.rep.teams[0].waitlistCount == 1)

            var r = Rig.scenario(years: 1, cap: 3, policy: .waitlist)
            r.assessment.duration = .fixed(Rig.never)
            r.initial = [InitialStock(step: "a", count: 3)]
            r.staff.rampUp = RampUp(days: 1000, capShare: 0.5)   // still ramping at the horizon
            r.staff.changes = [StaffChange(at: Rig.date(2026, 2, 1), team: "t", caseworkers: .relative(1), immediate: true)]
            let q = try Rig.run(r, arrivals: [5, 6, 7])
            #expect(q.rep.loads == [3, 2], "\(q.rep.loads)")
            #expect(q.rep.teams[0].waitlistCount == 1)
        }

        @Test("wait statistics exclude the initial stock")
        func initialStockExcluded() throws {
            var s = Rig.scenario(years: 1)
            s.initial = [InitialStock(step: "a", count: 5)]
            let none = try Rig.run(s)
            #expect(none.total("assignments") == 0)
            #expect(none.total("waitDaysMean").isNaN)
            #expect(none.total("waitedShare").isNaN)
            let one = try Rig.run(s, arrivals: [10])
            #expect(one.total("assignments") == 1)
            #expect(one.total("waitDaysMean") == 0)
            #expect(one.total("waitedShare") == 0)
        }
    }
}

// MARK: - §5.4 Assessment

extension RuleTests {
    @Suite("MODEL §5.4 assessment") struct Assessment {
        @Test("the assessment lasts its duration from assignment; a weight-1 outcome is taken")
        func durationAndOutcome() throws {
            var s = Rig.scenario(years: 1, ladder: [Rig.step("a"), Rig.step("b")])
            s.assessment.duration = .fixed(37)
            s.assessment.outcome = [OutcomeWeight("close", 0), OutcomeWeight("a", 0), OutcomeWeight("b", 1)]
            let w = Watch([RawSlots.assessmentsCompleted, entriesSlot(2, 1)])
            let o = try Rig.run(s, arrivals: [10], observe: w.observe)
            #expect(w[RawSlots.assessmentsCompleted] == [47])
            #expect(w[entriesSlot(2, 1)] == [47])
            #expect(o.total("step.a.entries") == 0)
            #expect(near(o.total("step.b.childYears"), (365.25 - 47) / 365.25))
            #expect(o.total("casesClosed") == 0)
        }

        @Test("outcome weights are normalised: close 2, a 1, b 1 → ½, ¼, ¼ within 3 SE")
        func outcomeShares() throws {
            let seed: UInt64 = 4
            var s = Rig.scenario(years: 1, ladder: [Rig.step("a", 0, exit: 1), Rig.step("b", 0, exit: 1)])
            s.simulation.seed = seed
            s.notifications.perYear = 3000
            s.assessment.outcome = [OutcomeWeight("close", 2), OutcomeWeight("a", 1), OutcomeWeight("b", 1)]
            let o = try Rig.run(s)
            let n = o.total("assessmentsCompleted")
            let a = o.total("step.a.entries"), b = o.total("step.b.entries")
            let close = n - a - b
            for (name, k, p) in [("close", close, 0.5), ("a", a, 0.25), ("b", b, 0.25)] {
                let se = (p * (1 - p) / n).squareRoot()
                #expect(abs(k / n - p) <= 3 * se, "seed \(seed): \(name) \(k) of \(n) (share \(k / n), expected \(p) ± \(3 * se))")
            }
            #expect(o.total("casesClosed") == n)
        }

        @Test("deadline breach when completion − notification > deadlineDays (fixed 100-day assessment after a wait)",
              arguments: zip([80.0, 88.0, 88.25, 95.0], [1.0, 1.0, 0.0, 0.0]))
        func deadline(secondArrival: Double, breaches: Double) throws {
            var s = Rig.scenario(years: 1, cap: 1, policy: .waitlist)
            s.assessment.duration = .fixed(100)
            // First child: 10 → 110 (100 days). Second: waits until 110, completes 210:
            // 210 − 80 = 130, 210 − 88 = 122 (breaches); 210 − 88.25 = 121.75 (equal: no breach), 115.
            let o = try Rig.run(s, arrivals: [10, secondArrival])
            #expect(o.total("assessmentsCompleted") == 2)
            #expect(o.total("deadlineBreaches") == breaches, "second notified at \(secondArrival): \(o.total("deadlineBreaches")) breaches")
        }
    }
}

// MARK: - §5.5 Ladder

extension RuleTests {
    @Suite("MODEL §5.5 ladder") struct Ladder {
        /// Counts the times child 0's state ticket changed (a new sojourn or an entry).
        private final class Sojourns {
            var last: UInt32? = nil
            var times: [Double] = []
            func observe(_ r: Replication) {
                let now = r.children[0].stateTicket
                if let l = last, l != now { times.append(r.lastT) }
                last = now
            }
        }

        @Test("up moves one step; at the top an up means stay (a new sojourn, not an entry)")
        func upAndTop() throws {
            var s = Rig.scenario(years: 1, ladder: [Rig.step("a", 10, up: 1), Rig.step("b", 20, up: 1), Rig.step("c", 30, up: 1)])
            s.initial = [InitialStock(step: "a", count: 1)]
            Rig.wakeUp(&s)
            let soj = Sojourns()
            let o = try Rig.run(s, observe: soj.observe)
            #expect(o.total("step.a.entries") == 0)
            #expect(o.total("step.b.entries") == 1)
            #expect(o.total("step.c.entries") == 1)
            #expect(o.total("step.c.end") == 1)
            #expect(o.total("casesClosed") == 0)
            #expect(near(o.total("step.a.childYears"), 10 / 365.25))
            #expect(near(o.total("step.b.childYears"), 20 / 365.25))
            #expect(near(o.total("step.c.childYears"), (365.25 - 30) / 365.25))
            #expect(soj.times == [10, 30] + (2...12).map { Double($0 * 30) }, "\(soj.times)")
        }

        @Test("down moves one step; at the bottom a down means exit")
        func downAndBottom() throws {
            var s = Rig.scenario(years: 1, ladder: [Rig.step("a", 10, down: 1), Rig.step("b", 10, down: 1), Rig.step("c", 10, down: 1)])
            s.initial = [InitialStock(step: "c", count: 1)]
            let w = Watch([RawSlots.casesClosed])
            let o = try Rig.run(s, observe: w.observe)
            #expect(o.total("step.b.entries") == 1)
            #expect(o.total("step.a.entries") == 1)
            #expect(o.total("step.c.entries") == 0)
            #expect(w[RawSlots.casesClosed] == [30])
            #expect(o.total("openCasesEnd") == 0)
            for id in ["a", "b", "c"] { #expect(near(o.total("step.\(id).childYears"), 10 / 365.25), "\(id)") }
        }

        @Test("stay = 1 − up − down − exit: a new sojourn at the same step, not an entry")
        func stay() throws {
            var s = Rig.scenario(years: 1, ladder: [Rig.step("a", 10), Rig.step("b")])
            s.initial = [InitialStock(step: "a", count: 1)]
            Rig.wakeUp(&s)
            let soj = Sojourns()
            let o = try Rig.run(s, observe: soj.observe)
            #expect(o.total("step.a.entries") == 0 && o.total("step.b.entries") == 0)
            #expect(o.total("step.a.end") == 1)
            #expect(soj.times == (1...36).map { Double($0 * 10) }, "\(soj.times)")
        }

        @Test("exit closes the case and frees the caseworker")
        func exit() throws {
            var s = Rig.scenario(years: 1, ladder: [Rig.step("a", 10, exit: 1), Rig.step("b")])
            s.initial = [InitialStock(step: "a", count: 1)]
            let w = Watch([RawSlots.casesClosed])
            let o = try Rig.run(s, observe: w.observe)
            #expect(w[RawSlots.casesClosed] == [10])
            #expect(o.total("step.b.entries") == 0)
            #expect(o.rep.loads == [0])
            #expect(near(o.total("step.a.childYears"), 10 / 365.25))
        }

        @Test("placement start (from assessment or a non-placement step) vs placement change (from a placement step)")
        func placementStartVsChange() throws {
            var s = Rig.scenario(years: 1, ladder: [Rig.step("homeBased", 10, up: 1), Rig.step("kinship", 10, up: 1, placement: true),
                                                    Rig.step("foster", placement: true)])
            s.initial = [InitialStock(step: "homeBased", count: 1), InitialStock(step: "foster", count: 1)]
            s.assessment.outcome = [OutcomeWeight("foster", 1)]
            let w = Watch([RawSlots.placementsStarted, RawSlots.placementChanges])
            // 5: assessment → foster (start); 10: homeBased → kinship (start); 20: kinship → foster (change).
            let o = try Rig.run(s, arrivals: [5], observe: w.observe)
            #expect(w[RawSlots.placementsStarted] == [5, 10])
            #expect(w[RawSlots.placementChanges] == [20])
            #expect(o.total("step.foster.entries") == 2)
            #expect(o.total("step.kinship.entries") == 1)
            #expect(o.total("placedEnd") == 3)
        }

        @Test("moving down out of placements: foster → kinship is a change, kinship → homeBased is neither")
        func leavingPlacement() throws {
            var s = Rig.scenario(years: 1, ladder: [Rig.step("homeBased"), Rig.step("kinship", 10, down: 1, placement: true),
                                                    Rig.step("foster", 10, down: 1, placement: true)])
            s.initial = [InitialStock(step: "foster", count: 1)]
            let o = try Rig.run(s)
            #expect(o.total("placementChanges") == 1)
            #expect(o.total("placementsStarted") == 0)
            #expect(o.total("placedEnd") == 0)
            #expect(o.total("step.homeBased.entries") == 1)
            #expect(near(o.total("placedChildYears"), 20 / 365.25))
        }

        // Reading taken by the code: the age-out time is fixed when the age is drawn (at the first
        // notification, or at the run start for the stock); an outreach course that ends in a
        // notification does not move it, although the notification time (for waits and the
        // deadline) becomes the course end.
        @Test("ageing out at notification + (ageOut − age) · 365.25 in any state",
              arguments: ["course", "waiting", "waitlist", "assessment", "ladder", "initial"])
        func ageOut(state: String) throws {
            var s = Rig.scenario(years: 1)
            s.children.ageAtNotification = .fixed(17.5)
            s.children.ageOut = 18
            s.assessment.duration = .fixed(Rig.never)
            var arrivals: [Double] = [10]
            var expectedTimes: [Double] = [192.625]
            switch state {
            case "course":
                s.outreach = OutreachSettings(workers: 1, coursesPerWorker: 1, reach: 1, duration: .fixed(Rig.never), resolves: 1)
                arrivals = [10, 200]   // the second course needs the slot freed at 192.625
            case "waiting":
                s.teams[0].caseworkers = 0
            case "waitlist":
                // A: course 1 → 51, then waitlisted (B holds the only place since 2); A ages out at
                // 183.625 on the waitlist, B at 184.625. A must never be assigned.
                s.teams[0].cap = 1
                s.teams[0].policy = .waitlist
                s.outreach = OutreachSettings(workers: 1, coursesPerWorker: 1, reach: 1, duration: .fixed(50), resolves: 0)
                arrivals = [1, 2]
                expectedTimes = [183.625, 184.625]
            case "assessment":
                break
            case "ladder":
                s.assessment.duration = .fixed(0)
                s.assessment.outcome = [OutcomeWeight("a", 1)]
            default:   // initial stock: age as of the run start
                s.initial = [InitialStock(step: "a", count: 1)]
                arrivals = []
                expectedTimes = [182.625]
            }
            let w = Watch([RawSlots.agedOut, RawSlots.casesClosed])
            var stale: [Double] = []
            let o = try Rig.run(s, arrivals: arrivals) { r in
                w.observe(r)
                if Rig.liveQueueEntryOfFreeChild(r) { stale.append(r.lastT) }
            }
            #expect(w[RawSlots.agedOut] == expectedTimes, "\(state): aged out at \(w[RawSlots.agedOut])")
            #expect(stale.isEmpty, "\(state): a child that left is still queued (valid ticket) at \(stale)")
            switch state {
            case "course":
                #expect(o.total("casesClosed") == 0)
                #expect(o.total("outreachCourses") == 2)
                #expect(o.rep.coursesInUse == 1)
            case "waiting":
                #expect(w[RawSlots.casesClosed] == [192.625])
                #expect(near(o.total("waitingMean"), 182.625 / 365.25))
                #expect(o.total("unassignedMean") == 0)
                #expect(o.rep.unassigned == 0 && o.rep.waiting == 0 && o.rep.teams[0].poolCount == 0)
            case "waitlist":
                #expect(w[RawSlots.casesClosed] == expectedTimes)
                #expect(o.total("assignments") == 1, "a child that aged out on the waitlist was assigned")
                #expect(o.rep.teams[0].waitlistCount == 0)
            case "assessment":
                #expect(w[RawSlots.casesClosed] == [192.625])
                #expect(o.rep.loads == [0])
            case "ladder":
                #expect(w[RawSlots.casesClosed] == [192.625])
                #expect(near(o.total("step.a.childYears"), 182.625 / 365.25))
                #expect(o.rep.loads == [0])
            default:
                #expect(w[RawSlots.casesClosed] == [182.625])
                #expect(near(o.total("step.a.childYears"), 0.5))
            }
        }

        @Test("casesClosed counts assessment close, ladder exit and ageing out with a case")
        func casesClosedCountsAll() throws {
            var s = Rig.scenario(years: 1, ladder: [Rig.step("a", 10, exit: 1), Rig.step("b")])
            s.children.ageAtNotification = .fixed(17.9)
            s.children.ageOut = 18
            s.initial = [InitialStock(step: "a", count: 1), InitialStock(step: "b", count: 1)]
            let w = Watch([RawSlots.casesClosed])
            let o = try Rig.run(s, arrivals: [5], observe: w.observe)   // 5: close; 10: exit; 36.525: b ages out
            #expect(o.total("casesClosed") == 3)
            #expect(o.total("agedOut") == 1)
            let t = w[RawSlots.casesClosed]
            #expect(t.count == 3 && t[0] == 5 && t[1] == 10 && near(t[2], 36.525), "\(t)")
        }
    }
}

// MARK: - §5.6 Staff

extension RuleTests {
    @Suite("MODEL §5.6 staff") struct Staff {
        /// perYear 1e-12 and overloadElasticity 400: a caseworker above its effective cap leaves with
        /// probability 1 (to double precision), one at or below it with probability ≈ 8e-14.
        static func overloadOnly(_ s: inout Scenario) {
            s.staff.turnover = Turnover(perYear: 1e-12, overloadElasticity: 400)
        }

        @Test("huge turnover: everyone leaves at each month boundary; children unassigned until the next hire")
        func everyoneLeaves() throws {
            var s = Rig.scenario(years: 0.25, caseworkers: 2)
            s.initial = [InitialStock(step: "a", count: 3)]
            s.staff.turnover = Turnover(perYear: 1e6)
            s.staff.recruitment = .fixed(10)
            s.staff.costPerYear = 365_250
            s.staff.recruitmentCost = 1000
            var loadsWhileFilled: Set<[Int]> = []
            let w = Watch([RawSlots.leavers, RawSlots.hires])
            let o = try Rig.run(s) { r in
                w.observe(r)
                if r.lastT > 41 && r.lastT < 60 { loadsWhileFilled.insert(r.loads) }
            }
            let m = Rig.month
            #expect(w[RawSlots.leavers] == [m, m, 2 * m, 2 * m])
            #expect(w[RawSlots.hires] == [m + 10, m + 10, 2 * m + 10, 2 * m + 10])
            #expect(loadsWhileFilled.isEmpty || loadsWhileFilled == [[3, 0]], "the first hire takes all three: \(loadsWhileFilled)")
            #expect(o.rep.loads == [3, 0])
            #expect(near(o.total("unassignedMean"), 60 / 91.3125), "\(o.total("unassignedMean"))")
            #expect(near(o.total("vacancyYears"), 40 / 365.25))
            #expect(o.total("assignments") == 0, "reassignments are not first assignments")
            #expect(near(o.total("cost.staff"), (2 * 91.3125 - 40) * 1000), "\(o.total("cost.staff"))")
            #expect(o.total("cost.recruitment") == 4000)
            #expect(o.total("step.a.end") == 3, "children keep their state while unassigned")
        }

        @Test("a leaver's children go, in order of assignment, to the least-loaded colleague (ties: lowest index)")
        func leaverChildrenInAssignmentOrder() throws {
            var s = Rig.scenario(years: 50 / 365.25, ladder: [Rig.step("a"), Rig.step("b", 1, exit: 1)], cap: 2)
            Staff.overloadOnly(&s)
            s.staff.recruitment = .fixed(Rig.never)
            s.assessment.duration = .fixed(Rig.never)
            // Child 0 (on b) exits at 1 and its slot is reused by the arrival at 5: p0's children in
            // order of assignment are 1, 2, 0, 3 (by index they would be 0, 1, 2, 3).
            s.initial = [InitialStock(step: "b", count: 1), InitialStock(step: "a", count: 2)]
            s.staff.changes = [StaffChange(at: Rig.date(2026, 1, 11), team: "t", caseworkers: .relative(2), immediate: true)]
            let o = try Rig.run(s, arrivals: [5, 6])
            #expect(o.total("leavers") == 1)
            #expect(o.total("hires") == 2)
            #expect(o.total("assignments") == 2)
            let workers = (0..<4).map { Int(o.rep.children[$0].worker) }
            #expect(workers == [1, 1, 2, 2], "caseworker of children 0–3: \(workers) (expected c1→1, c2→2, c0→1, c3→2)")
            #expect(o.rep.positions[0].filled == false)
        }

        @Test("all draws of a check first, with the loads at the check; children skip colleagues leaving in the same check")
        func leaversOfOneCheck() throws {
            var s = Rig.scenario(years: 50 / 365.25, caseworkers: 2, cap: 4)
            Staff.overloadOnly(&s)
            s.staff.recruitment = .fixed(Rig.never)
            s.staff.rampUp = RampUp(days: 1000, capShare: 0.25)
            s.assessment.duration = .fixed(Rig.never)
            s.initial = [InitialStock(step: "a", count: 9)]   // loads [5, 4]
            s.staff.changes = [StaffChange(at: Rig.date(2026, 1, 2), team: "t", caseworkers: .relative(1), immediate: true)]
            // Arrivals at 2, 3 go to the ramping p2 (effective cap 1): loads [5, 4, 2] at the check.
            // p0 (5/4) and p2 (2/1) leave; p1 (4/4) stays, although it ends with 11 children.
            let o = try Rig.run(s, arrivals: [2, 3])
            #expect(o.total("leavers") == 2)
            #expect(o.rep.loads == [0, 11, 0], "\(o.rep.loads)")
            #expect(o.rep.positions[1].filled && !o.rep.positions[0].filled && !o.rep.positions[2].filled)
            // Each of the 7 children moves once, straight to p1: 9 initial + 2 arrivals + 7 assignments.
            // (Handing p0's children to p2, which leaves in the same check, would take 10.)
            #expect(o.rep.assignSeq == 18, "assignments made: \(o.rep.assignSeq)")
        }

        @Test("a removed caseworker's children are reassigned whatever the policy (above cap); ties remove the lowest index")
        func reassignedAboveCap() throws {
            var s = Rig.scenario(years: 1, caseworkers: 2, cap: 1, policy: .waitlist)
            s.initial = [InitialStock(step: "a", count: 2)]   // loads [1, 1]
            s.staff.changes = [StaffChange(at: Rig.date(2026, 2, 1), team: "t", caseworkers: .relative(-1))]
            let o = try Rig.run(s)
            #expect(o.rep.teams[0].positions == [1])
            #expect(o.rep.loads == [0, 2])
            #expect(o.rep.children[0].worker == 1)
            #expect(o.total("overCapShare") > 0)
            #expect(o.total("leavers") == 0 && o.total("hires") == 0)
        }

        @Test("turnover probability 1 − exp(−perYear/12 · max(1, load/cap)^elasticity): 1000 workers at load 2 × cap, 3 SE",
              arguments: [0.0, 1.0])
        func turnoverProbability(elasticity: Double) throws {
            let seed: UInt64 = 41
            var s = Rig.scenario(years: 2.0 / 12, caseworkers: 1000, cap: 1)
            s.simulation.seed = seed
            s.initial = [InitialStock(step: "a", count: 2000)]
            s.staff.turnover = Turnover(perYear: 1.2, overloadElasticity: elasticity)
            s.staff.recruitment = .fixed(Rig.never)
            let o = try Rig.run(s)
            let p = 1 - exp(-0.1 * pow(2, elasticity))
            let k = o.month(1, "leavers")
            let se = (p * (1 - p) / 1000).squareRoot()
            #expect(abs(k / 1000 - p) <= 3 * se, "seed \(seed), elasticity \(elasticity): \(k) of 1000 left, expected \(1000 * p) ± \(3000 * se)")
            #expect(o.month(0, "leavers") == 0, "no check at the run start")
        }

        @Test("effective cap 0 with load > 0: certain to leave")
        func capZeroLeaves() throws {
            var s = Rig.scenario(years: 50 / 365.25, caseworkers: 2, cap: 0)
            s.initial = [InitialStock(step: "a", count: 1)]   // p0 has the child, p1 none
            s.staff.turnover = Turnover(perYear: 1e-12)
            s.staff.recruitment = .fixed(Rig.never)
            let o = try Rig.run(s)
            #expect(o.total("leavers") == 1)
            #expect(o.rep.positions[0].filled == false && o.rep.positions[1].filled)
            #expect(o.rep.children[0].worker == 1)
        }

        @Test("turnover is checked in the warm-up too (its leavers are not counted)")
        func warmUpTurnover() throws {
            var s = Rig.scenario(years: 1)
            s.simulation.warmupYears = 1
            s.staff.turnover = Turnover(perYear: 1e6)
            s.staff.recruitment = .fixed(Rig.never)
            let o = try Rig.run(s)
            #expect(o.total("leavers") == 0)
            #expect(o.total("caseworkersMean") == 0)
            #expect(near(o.total("vacancyYears"), 1))
        }

        @Test("a recruitment that would finish at or after the horizon never happens",
              arguments: zip([60.8, 60.875], [1.0, 0.0]))
        func recruitmentHorizon(delay: Double, hires: Double) throws {
            var s = Rig.scenario(years: 0.25)   // horizon 91.3125; the worker leaves at 30.4375
            s.staff.turnover = Turnover(perYear: 1e6)
            s.staff.recruitment = .fixed(delay)
            s.staff.recruitmentCost = 1000
            let o = try Rig.run(s)
            #expect(o.total("leavers") == 1)
            #expect(o.total("hires") == hires, "delay \(delay)")
            #expect(o.total("cost.recruitment") == 1000 * hires)
            #expect(near(o.total("vacancyYears"), (hires == 1 ? delay : 91.3125 - 30.4375) / 365.25), "\(o.total("vacancyYears"))")
        }

        @Test("initial caseworkers are fully active (no ramp-up)")
        func initialFullyActive() throws {
            var s = Rig.scenario(years: 1, cap: 2, policy: .waitlist)
            s.staff.rampUp = RampUp(days: 100, capShare: 0.5)
            s.assessment.duration = .fixed(Rig.never)
            let o = try Rig.run(s, arrivals: [1, 2])
            #expect(o.total("assignments") == 2)
            #expect(o.total("waitedShare") == 0)
        }

        @Test("staff.changes +N: recruited (hire after the delay) or immediate; both ramp up, cost and count as hires",
              arguments: [false, true])
        func plusN(immediate: Bool) throws {
            var s = Rig.scenario(years: 1)
            s.staff.recruitment = .fixed(20)
            s.staff.recruitmentCost = 1000
            s.staff.rampUp = RampUp(days: 30, capShare: 0.5)
            s.staff.changes = [StaffChange(at: Rig.date(2026, 2, 1), team: "t", caseworkers: .relative(2), immediate: immediate)]
            let T = Rig.at(2026, 2, 1)
            let hireAt = immediate ? T : T + 20
            var rampingAtHire: [Bool] = []
            let w = Watch([RawSlots.hires])
            let o = try Rig.run(s) { r in
                let before = w[RawSlots.hires].count
                w.observe(r)
                if w[RawSlots.hires].count > before { rampingAtHire = r.positions.dropFirst().map(\.ramping) }
            }
            #expect(w[RawSlots.hires].count == 2 && w[RawSlots.hires].allSatisfy { near($0, hireAt) }, "\(w[RawSlots.hires])")
            #expect(rampingAtHire == [true, true])
            #expect(o.rep.positions.allSatisfy { !$0.ramping })
            #expect(o.total("cost.recruitment") == 2000)
            #expect(near(o.total("vacancyYears"), immediate ? 0 : 40 / 365.25))
            #expect(near(o.total("caseworkersMean"), (365.25 + 2 * (365.25 - hireAt)) / 365.25))
        }

        @Test("staff.changes N sets the number of positions; removals are not leavers; set 0 leaves children unassigned")
        func setN() throws {
            var s = Rig.scenario(years: 1)
            s.initial = [InitialStock(step: "a", count: 2)]
            s.staff.changes = [StaffChange(at: Rig.date(2026, 2, 1), team: "t", caseworkers: .set(3), immediate: true),
                               StaffChange(at: Rig.date(2026, 3, 1), team: "t", caseworkers: .set(1)),
                               StaffChange(at: Rig.date(2026, 4, 1), team: "t", caseworkers: .set(0))]
            var counts: [Int] = []
            let o = try Rig.run(s) { r in
                if counts.last != r.teams[0].positions.count { counts.append(r.teams[0].positions.count) }
            }
            #expect(counts == [1, 3, 1, 0], "positions over time: \(counts)")
            #expect(o.total("hires") == 2)
            #expect(o.total("leavers") == 0)
            #expect(o.rep.unassigned == 2 && o.rep.teams[0].poolCount == 2)
            let tC = Rig.at(2026, 4, 1)
            #expect(near(o.total("unassignedMean"), 2 * (365.25 - tC) / 365.25))
            #expect(o.total("vacancyYears") == 0)
        }

        @Test("staff.changes −N: vacant first (latest-finishing recruitment first), then smallest caseloads; not refilled")
        func removalOrder() throws {
            var s = Rig.scenario(years: 1, caseworkers: 3)
            s.initial = [InitialStock(step: "a", count: 5)]   // loads [2, 2, 1]; child 2 is with p2
            s.staff.recruitment = .fixed(100)
            s.staff.changes = [StaffChange(at: Rig.date(2026, 1, 11), team: "t", caseworkers: .relative(1)),   // p3, done T1 + 100
                               StaffChange(at: Rig.date(2026, 1, 21), team: "t", caseworkers: .relative(1)),   // p4, done T2 + 100
                               StaffChange(at: Rig.date(2026, 2, 1), team: "t", caseworkers: .relative(-1)),   // removes p4
                               StaffChange(at: Rig.date(2026, 6, 1), team: "t", caseworkers: .relative(-2))]   // removes p3 (0), p2 (1)
            let T1 = Rig.at(2026, 1, 11), T2 = Rig.at(2026, 1, 21), T3 = Rig.at(2026, 2, 1)
            let w = Watch([RawSlots.hires])
            let o = try Rig.run(s, observe: w.observe)
            #expect(w[RawSlots.hires].count == 1 && near(w[RawSlots.hires][0], T1 + 100), "\(w[RawSlots.hires])")
            #expect(o.rep.positions[4].removed && o.rep.positions[3].removed && o.rep.positions[2].removed)
            #expect(o.rep.teams[0].positions == [0, 1])
            #expect(o.rep.loads[0] == 3 && o.rep.loads[1] == 2, "\(o.rep.loads)")
            #expect(o.rep.children[2].worker == 0, "p2's child goes to the least-loaded, lowest index")
            #expect(o.total("leavers") == 0)
            #expect(o.rep.vacant == 0)
            #expect(near(o.total("vacancyYears"), (100 + T3 - T2) / 365.25), "\(o.total("vacancyYears"))")
        }

        @Test("staff.changes: the cap is applied before the positions")
        func capBeforePositions() throws {
            var s = Rig.scenario(years: 1, cap: 1, policy: .waitlist)
            s.assessment.duration = .fixed(Rig.never)
            s.initial = [InitialStock(step: "a", count: 1)]
            s.staff.changes = [StaffChange(at: Rig.date(2026, 2, 1), team: "t", caseworkers: .relative(1), cap: 2, immediate: true)]
            // Cap first: p0 gets room and takes 5; the hire takes 6 and 7. Positions first would give 5 to p1.
            let a = Assignments()
            let o = try Rig.run(s, arrivals: [5, 6, 7], observe: a.observe)
            #expect(a.rows.map(\.notified) == [5, 6, 7])
            #expect(a.rows.map(\.worker) == [0, 1, 1], "\(a.rows)")
            #expect(o.rep.loads == [2, 2])
        }

        @Test("a change dated before the run start is applied at the run start (counted only when that is t = 0)",
              arguments: [0.0, 1.0])
        func changeBeforeRunStart(warmup: Double) throws {
            var s = Rig.scenario(years: 1)
            s.simulation.warmupYears = warmup
            s.staff.recruitmentCost = 1000
            s.staff.changes = [StaffChange(at: Rig.date(2024, 6, 1), team: "t", caseworkers: .relative(1), immediate: true)]
            var firstAt: Double? = nil
            let o = try Rig.run(s) { r in if firstAt == nil && r.positions.count == 2 { firstAt = r.lastT } }
            #expect(firstAt == -365.25 * warmup, "applied at \(String(describing: firstAt))")
            #expect(o.total("hires") == (warmup == 0 ? 1 : 0))
            #expect(o.total("cost.recruitment") == (warmup == 0 ? 1000 : 0))
            #expect(near(o.total("caseworkersMean"), 2))
        }
    }
}

// MARK: - §5.7 Outreach

extension RuleTests {
    @Suite("MODEL §5.7 outreach") struct Outreach {
        @Test("⌊workers × coursesPerWorker⌋ slots; a course only with a free slot; resolves 1 → no case")
        func slotsAndResolve() throws {
            var s = Rig.scenario(years: 1)
            s.screening.opensCase = 0
            s.outreach = OutreachSettings(workers: 1.5, coursesPerWorker: 1.5, reach: 1, duration: .fixed(100), resolves: 1)
            let w = Watch([RawSlots.outreachResolved])
            let o = try Rig.run(s, arrivals: [1, 2, 3, 4, 150], observe: w.observe)
            #expect(o.total("notifications") == 5)
            #expect(o.total("outreachCourses") == 3)
            #expect(w[RawSlots.outreachResolved] == [101, 102, 250])
            #expect(o.total("screenedOut") == 2)
            #expect(o.total("casesOpened") == 0)
        }

        @Test("outreach is off without a slot or with reach 0", arguments: [(0.5, 1.0), (2, 0.0)].map { [$0.0, $0.1] })
        func off(settings: [Double]) throws {
            var s = Rig.scenario(years: 1)
            s.outreach = OutreachSettings(workers: settings[0], coursesPerWorker: 1, reach: settings[1], duration: .fixed(100),
                                          costPerWorkerYear: 1000)
            let o = try Rig.run(s, arrivals: [1, 2])
            #expect(o.total("outreachCourses") == 0)
            #expect(o.total("casesOpened") == 2)
            // MODEL.md §5.7, version 2: the workers' salaries count whenever workers > 0.
            #expect(near(o.total("cost.outreach"), settings[0] * 1000), "\(o.total("cost.outreach"))")
        }

        @Test("reach and resolves are probabilities: shares within 3 SE")
        func reachAndResolves() throws {
            let seed: UInt64 = 8
            var s = Rig.scenario(years: 1)
            s.simulation.seed = seed
            s.notifications.perYear = 3000
            s.screening.opensCase = 0
            s.outreach = OutreachSettings(workers: 1000, coursesPerWorker: 1, reach: 0.3, duration: .fixed(0), resolves: 0.6)
            let o = try Rig.run(s)
            let n = o.total("notifications"), c = o.total("outreachCourses"), r = o.total("outreachResolved")
            let se1 = (0.3 * 0.7 / n).squareRoot(), se2 = (0.6 * 0.4 / c).squareRoot()
            #expect(abs(c / n - 0.3) <= 3 * se1, "seed \(seed): \(c) courses of \(n) notifications (3 SE \(3 * se1))")
            #expect(abs(r / c - 0.6) <= 3 * se2, "seed \(seed): \(r) resolved of \(c) courses (3 SE \(3 * se2))")
            #expect(o.total("screenedOut") == n - r)
        }

        // Reading taken by the code: the course end is not a new arrival, so it is not counted again in
        // `notifications` (and it cannot be a renotification).
        @Test("resolves 0: screened at course end, and the notification time (waits, deadline) is the course end")
        func unresolvedScreenedAtCourseEnd() throws {
            var s = Rig.scenario(years: 1, caseworkers: 0)
            s.outreach = OutreachSettings(workers: 1, coursesPerWorker: 1, reach: 1, duration: .fixed(100), resolves: 0)
            s.assessment.duration = .fixed(15)
            s.assessment.deadlineDays = 100
            s.staff.changes = [StaffChange(at: Rig.date(2026, 6, 1), team: "t", caseworkers: .relative(1), immediate: true)]
            let T = Rig.at(2026, 6, 1)
            let w = Watch([RawSlots.casesOpened])
            let o = try Rig.run(s, arrivals: [10], observe: w.observe)
            #expect(w[RawSlots.casesOpened] == [110])
            #expect(o.total("assignments") == 1)
            #expect(near(o.total("waitDaysMean"), T - 110), "\(o.total("waitDaysMean")) vs \(T - 110)")
            // T + 15 − 110 ≈ 56 days from the course end; 156 from the first concern.
            #expect(o.total("deadlineBreaches") == 0)
            #expect(o.total("outreachResolved") == 0)
            #expect(o.total("notifications") == 1)
        }
    }
}

// MARK: - §5.8 Caseload effects and method

extension RuleTests {
    @Suite("MODEL §5.8 caseload effects") struct Caseload {
        static func stochastic(workers: Int, cap: Double, reference: Double, elasticity: Elasticities) -> Scenario {
            var s = Scenario(name: "plain", ladder: [
                LadderStep(id: "a", duration: .gammaMeanSD(mean: 60, sd: 30), next: Transitions(up: 0.2, exit: 0.5)),
                LadderStep(id: "b", placement: true, costPerYear: 100_000, duration: .gammaMeanSD(mean: 100, sd: 40),
                           next: Transitions(up: 0.2, down: 0.3, exit: 0.3)),
                LadderStep(id: "c", placement: true, duration: .exponential(mean: 200), next: Transitions(down: 0.4, exit: 0.3)),
            ], teams: [Team(id: "t", caseworkers: workers, cap: cap)])
            s.simulation.years = 2
            s.simulation.seed = 13
            s.notifications.perYear = 400
            s.notifications.concernsOpenCase = 0.2
            s.notifications.escalateOnRenotification = 0.1
            s.assessment.duration = .gammaMeanSD(mean: 30, sd: 10)
            s.assessment.outcome = [OutcomeWeight("close", 0.3), OutcomeWeight("a", 0.4), OutcomeWeight("b", 0.2), OutcomeWeight("c", 0.1)]
            s.caseload.reference = reference
            s.caseload.elasticity = elasticity
            s.initial = [InitialStock(step: "a", count: 20), InitialStock(step: "b", count: 10)]
            return s
        }

        @Test("with all elasticities 0 caseloads change nothing (same seed → identical ladder metrics)")
        func zeroElasticities() throws {
            let metrics = ["step.a.entries", "step.b.entries", "step.c.entries", "step.a.childYears", "step.b.childYears",
                           "step.c.childYears", "placementsStarted", "placementChanges", "casesClosed", "assessmentsCompleted",
                           "renotificationEscalations", "cost.interventions"]
            let zero = Elasticities()
            let few = try Rig.run(Caseload.stochastic(workers: 2, cap: 25, reference: 30, elasticity: zero))
            let many = try Rig.run(Caseload.stochastic(workers: 9, cap: 3, reference: 4, elasticity: zero))
            for m in metrics { #expect(few.total(m) == many.total(m), "seed 13, \(m): \(few.total(m)) vs \(many.total(m))") }
            #expect(few.total("caseloadMean") > 3 * many.total("caseloadMean"),
                    "seed 13: the caseloads did differ: \(few.total("caseloadMean")) vs \(many.total("caseloadMean"))")
            // The comparison has power: with elasticities the same two set-ups differ.
            let e = Elasticities(escalate: 0.8, deescalate: 0.5, close: 0.3, duration: 0.3)
            let fewE = try Rig.run(Caseload.stochastic(workers: 2, cap: 25, reference: 30, elasticity: e))
            let manyE = try Rig.run(Caseload.stochastic(workers: 9, cap: 3, reference: 4, elasticity: e))
            #expect(metrics.contains { fewE.total($0) != manyE.total($0) }, "seed 13: with elasticities the set-ups should differ")
        }

        @Test("load factor: fixed 100 days at caseload 60 with reference 30 and duration elasticity 1 → 200 days")
        func loadFactor() throws {
            var s = Rig.scenario(years: 1, ladder: [Rig.step("a"), Rig.step("b", 50, exit: 1)])
            s.initial = [InitialStock(step: "a", count: 59)]
            s.caseload.elasticity = Elasticities(duration: 1)
            s.assessment.duration = .fixed(100)
            s.assessment.outcome = [OutcomeWeight("b", 1)]
            let w = Watch([RawSlots.assessmentsCompleted, RawSlots.casesClosed])
            _ = try Rig.run(s, arrivals: [10], observe: w.observe)
            #expect(w[RawSlots.assessmentsCompleted] == [210], "\(w[RawSlots.assessmentsCompleted])")
            #expect(w[RawSlots.casesClosed] == [310], "sojourn of 50 × 2: \(w[RawSlots.casesClosed])")
        }

        @Test("method multiplier 0 removes a weight: escalate (placement outcome, up) or close (close outcome, exit)",
              arguments: ["escalate", "close"])
        func methodZero(which: String) throws {
            var s = Rig.scenario(years: 1, ladder: [Rig.step("s", 0, up: 0.5, exit: 0.5), Rig.step("p", placement: true)])
            s.teams[0].method = which == "escalate" ? MethodMultipliers(escalate: 0) : MethodMultipliers(close: 0)
            // Assessment: close 1, s 1, p 1.
            s.assessment.outcome = [OutcomeWeight("close", 1), OutcomeWeight("s", 1), OutcomeWeight("p", 1)]
            s.simulation.seed = 17
            let o = try Rig.run(s, arrivals: (1...40).map(Double.init))
            let toP = o.total("step.p.entries"), toS = o.total("step.s.entries")
            if which == "escalate" {
                // No placement outcome and no up: every child closes (directly or through s).
                #expect(toP == 0, "seed 17: \(toP) entries into p")
                #expect(o.total("casesClosed") == 40)
                #expect(toS > 0, "seed 17: \(toS) entries into s")
            } else {
                // No close outcome and no exit: every child ends on p.
                #expect(o.total("casesClosed") == 0)
                #expect(toP == 40, "seed 17: \(toP) entries into p (s: \(toS))")
                #expect(o.total("placementsStarted") == 40)
            }
        }

        @Test("weights × x^elasticity × method: shifted outcome and transition shares within 3 SE")
        func elasticityShares() throws {
            let seed: UInt64 = 23
            // 59 children stay on bg; every new child lives 0 days, so x = 60/30 = 2 at each decision.
            var s = Rig.scenario(years: 1, ladder: [Rig.step("lo", 0, exit: 1), Rig.step("s", 0, up: 0.3, down: 0.3, exit: 0.3),
                                                    Rig.step("t", 0, exit: 1, placement: true), Rig.step("u", 0, exit: 1, placement: true),
                                                    Rig.step("bg")])
            s.simulation.seed = seed
            s.notifications.perYear = 3000
            s.initial = [InitialStock(step: "bg", count: 59)]
            s.caseload.elasticity = Elasticities(escalate: 1, deescalate: 1, close: 1)
            s.teams[0].method = MethodMultipliers(escalate: 0.75, deescalate: 2)
            s.assessment.outcome = [OutcomeWeight("close", 1), OutcomeWeight("s", 1), OutcomeWeight("u", 1)]
            let o = try Rig.run(s)
            // Outcome: close 1·2⁻¹ = 0.5, s 1, u 1·2·0.75 = 1.5 → 1/6, 1/3, 1/2 (1/3 each without effects).
            let n = o.total("assessmentsCompleted")
            let u = o.total("step.u.entries"), sEntries = o.total("step.s.entries")
            // s: up 0.3·2·0.75 = 0.45, down 0.3·½·2 = 0.3, exit 0.3·½ = 0.15, stay 0.1 → moves ½, ⅓, ⅙.
            let up = o.total("step.t.entries"), down = o.total("step.lo.entries")
            let checks: [(String, Double, Double, Double)] = [
                ("assessment → u", u, n, 0.5), ("assessment → s", sEntries, n, 1.0 / 3),
                ("s up", up, sEntries, 0.5), ("s down", down, sEntries, 1.0 / 3),
            ]
            for (name, k, total, p) in checks {
                let se = (p * (1 - p) / total).squareRoot()
                #expect(abs(k / total - p) <= 3 * se, "seed \(seed): \(name) \(k) of \(total) = \(k / total), expected \(p) ± \(3 * se)")
            }
            #expect(o.total("placementsStarted") == u + up)
        }

        @Test("casesCountedAs families: caps and reference × childrenPerFamily; caseloadMean in children")
        func families() throws {
            // Cap 1 family = 2 children; a cap change to 2 families = 4 children.
            var s = Rig.scenario(years: 1, cap: 1, policy: .waitlist)
            s.caseload.casesCountedAs = .families
            s.caseload.childrenPerFamily = 2
            s.assessment.duration = .fixed(Rig.never)
            s.staff.changes = [StaffChange(at: Rig.date(2026, 2, 1), team: "t", cap: 2)]
            let a = Assignments()
            let o = try Rig.run(s, arrivals: [1, 2, 3, 4, 5], observe: a.observe)
            #expect(a.rows.map(\.notified) == [1, 2, 3, 4], "\(a.rows)")
            #expect(a.rows.count == 4 && near(a.rows[2].t, Rig.at(2026, 2, 1)))
            #expect(o.rep.teams[0].waitlistCount == 1)

            // Reference 15 families = 30 children: 60 children give x = 2 (assessment 100 → 200 days).
            var r = Rig.scenario(years: 1, cap: 40)
            r.caseload.casesCountedAs = .families
            r.caseload.childrenPerFamily = 2
            r.caseload.reference = 15
            r.caseload.elasticity = Elasticities(duration: 1)
            r.assessment.duration = .fixed(100)
            r.initial = [InitialStock(step: "a", count: 59)]
            let w = Watch([RawSlots.assessmentsCompleted])
            let q = try Rig.run(r, arrivals: [10], observe: w.observe)
            #expect(w[RawSlots.assessmentsCompleted] == [210])
            #expect(near(q.total("caseloadMean"), 59 + 200 / 365.25), "in children: \(q.total("caseloadMean"))")
        }

        @Test("an unassigned child's x uses the team's current cap", arguments: [false, true])
        func unassignedUsesCap(families: Bool) throws {
            var s = Rig.scenario(years: 1, ladder: [Rig.step("a", 50, exit: 1)], caseworkers: 0, cap: families ? 30 : 60)
            if families {
                s.caseload.casesCountedAs = .families
                s.caseload.childrenPerFamily = 2
                s.caseload.reference = 15
            }
            s.caseload.elasticity = Elasticities(duration: 1)
            s.initial = [InitialStock(step: "a", count: 1)]
            let w = Watch([RawSlots.casesClosed])
            _ = try Rig.run(s, observe: w.observe)
            #expect(w[RawSlots.casesClosed] == [100], "x = 60/30: \(w[RawSlots.casesClosed])")
        }
    }
}

// MARK: - §5.9 Initial state

extension RuleTests {
    @Suite("MODEL §5.9 initial state") struct InitialState {
        @Test("the stock per step is neither entries nor placement starts, and is assigned")
        func stock() throws {
            var s = Rig.scenario(years: 1, ladder: [Rig.step("a"), Rig.step("p", placement: true)], caseworkers: 2)
            s.initial = [InitialStock(step: "a", count: 3), InitialStock(step: "p", count: 2)]
            let o = try Rig.run(s)
            #expect(o.total("step.a.end") == 3 && o.total("step.p.end") == 2)
            #expect(o.total("step.a.entries") == 0 && o.total("step.p.entries") == 0)
            #expect(o.total("placementsStarted") == 0 && o.total("placementChanges") == 0)
            #expect(o.total("placedEnd") == 2 && o.total("openCasesEnd") == 5)
            #expect(o.total("casesOpened") == 0 && o.total("assignments") == 0)
            #expect(near(o.total("placedChildYears"), 2))
            #expect(o.rep.loads == [3, 2])
        }

        @Test("all of the stock is assigned (overflow, even in a waitlist team) before any sojourn starts")
        func assignedBeforeSojourns() throws {
            var s = Rig.scenario(years: 1, ladder: [Rig.step("a", 60, exit: 1)], caseworkers: 2, cap: 10, policy: .waitlist)
            s.caseload.elasticity = Elasticities(duration: 1)
            s.initial = [InitialStock(step: "a", count: 30)]
            // Loads 15 and 15 → x = 0.5 for all: every sojourn lasts 30 days.
            let w = Watch([RawSlots.casesClosed])
            let o = try Rig.run(s, observe: w.observe)
            #expect(w[RawSlots.casesClosed].count == 30)
            #expect(w[RawSlots.casesClosed].allSatisfy { $0 == 30 }, "close times \(Set(w[RawSlots.casesClosed]))")
            #expect(near(o.total("overCapShare"), 30 / 365.25), "\(o.total("overCapShare"))")
        }

        @Test("each child of the stock draws its team by share (3:1, within 3 SE)")
        func teamByShare() throws {
            let seed: UInt64 = 31
            var s = Rig.scenario(years: 0.1)
            s.simulation.seed = seed
            s.teams = [Team(id: "x", share: 3, caseworkers: 1, cap: 10), Team(id: "y", share: 1, caseworkers: 1, cap: 10)]
            s.initial = [InitialStock(step: "a", count: 4000)]
            let o = try Rig.run(s)
            let x = Double(o.rep.children.filter { $0.team == 0 }.count)
            let se = (4000 * 0.75 * 0.25).squareRoot()
            #expect(abs(x - 3000) <= 3 * se, "seed \(seed): \(x) of 4000 in team x (expected 3000 ± \(3 * se))")
            #expect(o.rep.loads == [Int(x), 4000 - Int(x)])
        }

        @Test("each new case draws its team by share (3:1, within 3 SE)")
        func newCaseTeamByShare() throws {
            let seed: UInt64 = 32
            var s = Rig.scenario(years: 1)
            s.simulation.seed = seed
            s.notifications.perYear = 4000
            s.assessment.duration = .fixed(Rig.never)
            s.teams = [Team(id: "x", share: 3, caseworkers: 1, cap: 10), Team(id: "y", share: 1, caseworkers: 1, cap: 10)]
            let o = try Rig.run(s)
            let n = o.total("casesOpened")
            let x = Double(o.rep.children.filter { $0.team == 0 }.count)
            let se = (n * 0.75 * 0.25).squareRoot()
            #expect(abs(x - 0.75 * n) <= 3 * se, "seed \(seed): \(x) of \(n) in team x (expected \(0.75 * n) ± \(3 * se))")
        }
    }
}

// MARK: - §6 Costs

extension RuleTests {
    @Suite("MODEL §6 costs") struct Costs {
        @Test("interventions: child-days × costPerYear / 365.25, per step and per budget year")
        func interventions() throws {
            var s = Rig.scenario(years: 2, ladder: [Rig.step("a", cost: 100_000), Rig.step("b", 10, exit: 1, cost: 250_000)])
            s.initial = [InitialStock(step: "a", count: 3), InitialStock(step: "b", count: 1)]
            let o = try Rig.run(s)
            #expect(near(o.total("cost.step.a"), 600_000), "\(o.total("cost.step.a"))")
            #expect(near(o.total("cost.step.b"), 10 * 250_000 / 365.25))
            #expect(near(o.total("cost.interventions"), 600_000 + 10 * 250_000 / 365.25))
            #expect(near(o.year(0, "cost.step.a"), 300_000) && near(o.year(1, "cost.step.a"), 300_000))
            #expect(o.year(1, "cost.step.b") == 0)
        }

        @Test("staff: each filled position-day costs costPerYear / 365.25; each hire costs recruitmentCost")
        func staff() throws {
            var s = Rig.scenario(years: 1, caseworkers: 2)
            s.staff.costPerYear = 365_250
            s.staff.recruitmentCost = 50_000
            s.staff.rampUp = RampUp(days: 60, capShare: 0.5)   // ramping positions cost too
            s.staff.recruitment = .fixed(30)
            s.staff.changes = [StaffChange(at: Rig.date(2026, 7, 1), team: "t", caseworkers: .relative(1)),
                               StaffChange(at: Rig.date(2026, 10, 1), team: "t", caseworkers: .relative(1), immediate: true)]
            let t1 = Rig.at(2026, 7, 1) + 30, t2 = Rig.at(2026, 10, 1)
            let o = try Rig.run(s)
            let days = 2 * 365.25 + (365.25 - t1) + (365.25 - t2)
            #expect(near(o.total("cost.staff"), days * 1000), "\(o.total("cost.staff")) vs \(days * 1000)")
            #expect(o.total("cost.recruitment") == 100_000)
            #expect(o.total("hires") == 2)
        }

        @Test("assessments: cost per completed assessment")
        func assessments() throws {
            var s = Rig.scenario(years: 1)
            s.assessment.duration = .fixed(100)
            s.assessment.cost = 15_000
            let o = try Rig.run(s, arrivals: [1, 2, 300])   // the third completes after the horizon
            #expect(o.total("assessmentsCompleted") == 2)
            #expect(o.total("cost.assessments") == 30_000)
        }

        @Test("outreach: workers × costPerWorkerYear per year, costPerCourse at course start")
        func outreach() throws {
            var s = Rig.scenario(years: 1.5)
            s.outreach = OutreachSettings(workers: 1.5, coursesPerWorker: 2, reach: 1, duration: .fixed(Rig.never),
                                          costPerCourse: 5000, costPerWorkerYear: 200_000)
            let o = try Rig.run(s, arrivals: [1, 2, 3, 4])   // 3 slots
            #expect(o.total("outreachCourses") == 3)
            #expect(near(o.year(0, "cost.outreach"), 300_000 + 15_000), "\(o.year(0, "cost.outreach"))")
            #expect(near(o.year(1, "cost.outreach"), 150_000))
            #expect(near(o.total("cost.outreach"), 465_000))
        }

        @Test("one-off costs count when 0 ≤ t < horizon, in their budget year")
        func oneOff() throws {
            var s = Rig.scenario(years: 2)
            s.costs.oneOff = [OneOffCost(at: Rig.date(2025, 12, 31), amount: 100), OneOffCost(at: Rig.date(2026, 1, 1), amount: 1),
                              OneOffCost(at: Rig.date(2026, 12, 31), amount: 10), OneOffCost(at: Rig.date(2027, 1, 1), amount: 1000),
                              OneOffCost(at: Rig.date(2028, 1, 1), amount: 10_000)]
            let o = try Rig.run(s)
            #expect(o.total("cost.oneOff") == 1011)
            #expect(o.year(0, "cost.oneOff") == 11)
            #expect(o.year(1, "cost.oneOff") == 1000)
            #expect(o.month(0, "cost.oneOff") == 1 && o.month(11, "cost.oneOff") == 10 && o.month(12, "cost.oneOff") == 1000)
            #expect(o.total("cost.total") == 1011)
        }

        @Test("cost.total is the sum of the categories; cost.interventions the sum of the steps", arguments: [7, 8] as [UInt64])
        func totalIsSum(seed: UInt64) throws {
            let o = try Rig.run(Fixtures.rich(seed: seed, years: 2.5))
            let steps = ["prevention", "homeBased", "kinship", "foster", "residential"]
            func check(_ v: (String) -> Double, _ label: String) {
                let parts = ["cost.staff", "cost.interventions", "cost.assessments", "cost.recruitment", "cost.outreach", "cost.oneOff"]
                let sum = parts.map(v).reduce(0, +)
                #expect(near(v("cost.total"), sum), "seed \(seed), \(label): total \(v("cost.total")) vs sum \(sum)")
                let stepSum = steps.map { v("cost.step.\($0)") }.reduce(0, +)
                #expect(near(v("cost.interventions"), stepSum), "seed \(seed), \(label)")
                #expect(v("cost.staff") > 0 && v("cost.interventions") > 0)
            }
            check({ o.total($0) }, "totals")
            for y in 0..<o.yearCount { check({ o.year(y, $0) }, "year \(y)") }
            #expect(near(o.total("cost.total"), (0..<o.yearCount).map { o.year($0, "cost.total") }.reduce(0, +)))
        }

        @Test("NPV = Σ total_y / (1 + r)^y, y = 0 for the first budget year", arguments: [0.0, 0.03])
        func npv(rate: Double) throws {
            var s = Fixtures.rich(seed: 7, years: 2.5)
            s.costs.discountRate = rate
            let o = try Rig.run(s)
            #expect(o.yearCount == 3)
            let expected = (0..<3).map { o.year($0, "cost.total") / pow(1 + rate, Double($0)) }.reduce(0, +)
            #expect(near(o.total("cost.npv"), expected), "r \(rate): npv \(o.total("cost.npv")) vs \(expected)")
            if rate == 0 { #expect(near(o.total("cost.npv"), o.total("cost.total"))) } else { #expect(o.total("cost.npv") < o.total("cost.total")) }
        }
    }
}
