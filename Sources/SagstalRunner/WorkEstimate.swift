import Foundation
import SagstalScenario

/// What a run will cost before it starts: expected events, wall time and peak memory,
/// from the scenario's own steady state (issue 9, row 12: `perYear: 1e7` × 100 years or
/// a million replications would otherwise run for days or until the machine runs out of
/// memory, with nothing to say so).
///
/// The events of one replication, per simulated year at the steady state of
/// ``SteadyState`` (caseload effects off), scaled by the mean of the growth factor over
/// the run:
///
/// - notifications (`perYear`) and assessments ended (new cases a year);
/// - sojourn ends on each step k: min(entries_k / (1 − stay_k), N_k · 365.25 / d_k), where
///   N_k is the step's stock and d_k its mean sojourn times the smallest `method.duration`
///   of any team or change (entries / (1 − stay) counts every repeated stay; N / d is
///   Little's law, which also covers steps that are never left before ageing out);
/// - follow-up visits (N_k · 365.25 / everyDays on the listed steps), courses, age-outs;
/// - staff: per position, 12 × its monthly leaving probability at the steady state's load
///   leaves a year, each 3 events plus the hand-over of its children; 12 month boundaries.
///
/// The initial stock adds its children's sojourns over their expected time on the ladder.
/// It is an estimate for refusing runs that would take hours, not a prediction: on the
/// shipped scenarios it is 11–23 % above the events processed (WorkEstimateTests).
public struct WorkEstimate: Sendable, Equatable {
    /// Expected events in one replication (warm-up included).
    public var eventsPerReplication: Double
    /// Children handed over by leavers and hires in one replication (not events, but work).
    public var handOversPerReplication: Double = 0
    public var replications: Int
    /// Peak children alive at once in one replication.
    public var peakChildren: Double
    /// Peak memory of the run on `jobs` threads, in bytes.
    public var bytes: Double

    /// Events per second one thread processes, conservatively (a release build does 5–8 M
    /// on the benchmark scenarios, see BENCHMARKS.md; a debug build about a tenth).
    public static let eventsPerSecondPerJob = 2e6
    /// Memory per live child (its record, its generator and its pending events) and per
    /// replication's row of totals.
    static let bytesPerChild = 512.0
    static let bytesPerReplication = 2_048.0

    public var events: Double { eventsPerReplication * Double(replications) }

    /// A hand-over costs about as much as this many events (measured: 10⁶ children on 14
    /// positions, 18.7 s for 263,007 events, almost all of it handing children over).
    static let eventsPerHandOver = 8.0

    /// The work of the run in events' worth: events plus hand-overs.
    public var work: Double { (eventsPerReplication + Self.eventsPerHandOver * handOversPerReplication) * Double(replications) }

    /// Expected wall time on `jobs` threads.
    public func seconds(jobs: Int) -> Double {
        work / (Self.eventsPerSecondPerJob * Double(max(1, min(jobs, replications))))
    }

    public init(_ s: Scenario, replications: Int? = nil, jobs: Int) {
        let reps = replications ?? s.simulation.replications
        self.replications = reps
        let w = s.simulation.warmupYears, years = s.simulation.years
        let runYears = w + years
        // Mean and peak of (1 + g)^t over [−w, years].
        let g = s.notifications.growthPerYear
        var meanGrowth = 1.0, peakGrowth = 1.0
        if g != 0, runYears > 0 {
            let l = log1p(g)
            meanGrowth = (exp(l * years) - exp(-l * w)) / (l * runYears)
            peakGrowth = max(exp(l * years), exp(-l * w))
        }
        var perYear = 12.0
        var openCases = 0.0
        var ladderDaysPerCase = 0.0
        let shortestMethod = ([1.0] + s.teams.map(\.method.duration) + s.staff.changes.compactMap { $0.method?.duration }).min() ?? 1
        if let steady = SteadyState(s) {
            perYear += s.notifications.perYear + 2 * steady.casesPerYear
            for (k, step) in s.ladder.enumerated() {
                let top = k == s.ladder.count - 1
                let stay = step.next.stay + (top ? step.next.up : 0)
                let mean = (step.duration.meanValue ?? 0) * shortestMethod
                let byLittle = mean > 0 ? steady.stock[k] * 365.25 / mean : .infinity
                let byEntries = stay < 1 - 1e-12 ? steady.entriesPerYear[k] / (1 - stay) : .infinity
                var sojourns = min(byLittle, byEntries)
                if !sojourns.isFinite { sojourns = steady.stock[k] * 365.25 / 0.01 }
                perYear += sojourns
                for f in s.followUps where f.steps.contains(step.id) { perYear += steady.stock[k] * 365.25 / f.everyDays }
            }
            openCases = steady.openCases
            if steady.casesPerYear > 0 { ladderDaysPerCase = steady.stock.reduce(0, +) * 365.25 / steady.casesPerYear }
            if let o = s.outreach { perYear += Double(o.slots) * 365.25 / max(o.duration.meanValue ?? 1, 1) }
        } else {
            perYear += s.notifications.perYear
        }
        // Staff: a position's monthly leaving probability (MODEL.md §5.6) at the steady state's
        // load, 12 chances a year; each leave and hire is 3 events, and the leaver's children
        // (and, at the hire, the team's pool) are handed over one by one (`eventsPerHandOver`).
        let positions = Double(s.teams.reduce(0) { $0 + $1.caseworkers })
        var handOversPerYear = 0.0
        if positions > 0, s.staff.turnover.perYear > 0 {
            // The initial stock counts in full: it leaves only as its stays end (years for placements).
            let load = (openCases + Double(s.initial.reduce(0) { $0 + $1.count })) / positions
            let meanCap = s.teams.reduce(0) { $0 + $1.cap * Double($1.caseworkers) } / positions * s.caseload.childrenPerCase
            let pressure = max(1, load / max(meanCap, 1))
            let monthly = 1 - exp(-(s.staff.turnover.perYear / 12) * pow(pressure, s.staff.turnover.overloadElasticity))
            perYear += positions * 12 * monthly * 3
            handOversPerYear = positions * 12 * monthly * 2 * load
        }
        // The initial stock: each child's sojourns over its expected time on the ladder.
        var initialEvents = 0.0
        let initial = Double(s.initial.reduce(0) { $0 + $1.count })
        for stock in s.initial {
            guard let step = s.ladder.first(where: { $0.id == stock.step }) else { continue }
            let mean = max((step.duration.meanValue ?? 0) * shortestMethod, 1e-9)
            let days = min(max(ladderDaysPerCase, mean), runYears * 365.25)
            initialEvents += Double(stock.count) * (2 + days / mean)
        }
        eventsPerReplication = perYear * meanGrowth * runYears + initialEvents + positions
        handOversPerReplication = handOversPerYear * meanGrowth * runYears
        peakChildren = openCases * peakGrowth + initial
        let threads = Double(max(1, min(jobs, reps)))
        bytes = threads * (peakChildren * Self.bytesPerChild + positions * 256) + Double(reps) * Self.bytesPerReplication
    }

    /// Sum of several runs (compare, sweep): events and replications add, memory is the largest.
    public static func total(_ parts: [WorkEstimate]) -> WorkEstimate? {
        guard var t = parts.first else { return nil }
        for p in parts.dropFirst() {
            let events = t.events + p.events
            t.replications += p.replications
            t.eventsPerReplication = events / Double(max(1, t.replications))
            t.peakChildren = max(t.peakChildren, p.peakChildren)
            t.bytes = max(t.bytes, p.bytes)
        }
        return t
    }

    /// Why the run should not start without `--force`, or nil when it is reasonable: more
    /// than `maxSeconds` of wall time or more than 80 % of `memory` bytes.
    public func refusal(jobs: Int, memory: Double = Double(ProcessInfo.processInfo.physicalMemory),
                        maxSeconds: Double = 3_600) -> String? {
        let time = seconds(jobs: jobs)
        if bytes > 0.8 * memory {
            return "this run would need about \(Self.bytesText(bytes)) of memory (\(Self.count(peakChildren)) children at once on each of "
                + "\(max(1, min(jobs, replications))) threads), more than this machine's \(Self.bytesText(memory))"
        }
        if time > maxSeconds {
            let handOvers = handOversPerReplication > 0.1 * eventsPerReplication
                ? " and \(Self.count(handOversPerReplication * Double(replications))) children handed over by leaving and new caseworkers" : ""
            return "this run would process about \(Self.count(events)) events (\(Self.count(eventsPerReplication)) in each of "
                + "\(replications) replications)\(handOvers), about \(Self.duration(time)) on \(max(1, min(jobs, replications))) threads"
        }
        return nil
    }

    /// The one-line summary printed before long runs.
    public func summary(jobs: Int) -> String {
        let handOvers = handOversPerReplication > 0.1 * eventsPerReplication
            ? " and \(Self.count(handOversPerReplication * Double(replications))) children handed over" : ""
        return "about \(Self.count(events)) events\(handOvers), \(Self.duration(seconds(jobs: jobs))) on "
            + "\(max(1, min(jobs, replications))) threads, \(Self.bytesText(bytes)) of memory"
    }

    static func count(_ x: Double) -> String {
        guard x.isFinite else { return "infinitely many" }
        if x < 1e4 { return String(Int(x.rounded())) }
        return String(format: "%.2g", x).replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e+", with: "e")
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "for ever" }
        if seconds < 120 { return "\(Int(seconds.rounded(.up))) s" }
        if seconds < 7_200 { return "\(Int((seconds / 60).rounded())) minutes" }
        if seconds < 172_800 { return String(format: "%.1f hours", seconds / 3_600) }
        if seconds < 3.2e9 { return String(format: "%.0f days", seconds / 86_400) }
        return String(format: "%.1g years", seconds / 3.15576e7)
    }

    static func bytesText(_ b: Double) -> String {
        guard b.isFinite else { return "unbounded" }
        if b < Double(1 << 30) { return "\(Int((b / Double(1 << 20)).rounded(.up))) MiB" }
        return String(format: "%.1f GiB", b / Double(1 << 30))
    }
}
