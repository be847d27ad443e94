import Foundation
import Testing
@testable import SagstalModel
import SagstalOutput
import SagstalRunner
import SagstalScenario
import SagstalStats
@testable import SagstalTrace

/// `sagstal trace` (docs/trace.md): a full trace, read back from its CSV file and replayed event by
/// event, gives the replication's totals again — every count exactly, every time integral
/// (child-years per step, caseload, caseworkers, waiting, vacancies) and every cost to 1e-9
/// relative. The replay knows the model only through the trace and the scenario's prices, so
/// an event the trace leaves out, or a column it fills wrongly, shows up as a wrong total.
@Suite struct TraceReplayTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func load(_ file: String, _ overrides: [String] = []) throws -> LoadedScenario {
        try ScenarioRequest(path: root.appendingPathComponent("Scenarios/\(file)").path, overrides: overrides).load()
    }

    /// Writes the full trace of `replication` into a temporary folder and reads its rows.
    static func trace(_ loaded: LoadedScenario, replication: Int, format: TraceOptions.Format = .csv)
        throws -> (result: TraceResult, rows: [[String: String]], folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trace-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (result, json) = try TraceJob.write(loaded, options: TraceOptions(replication: replication, format: format),
                                                scenarioFile: "test.yaml", into: folder)
        try json.write(to: folder.appendingPathComponent(TraceJob.metadataFile), atomically: true, encoding: .utf8)
        guard format == .csv else { return (result, [], folder) }
        let text = try String(contentsOf: folder.appendingPathComponent("trace.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let header = splitCSV(lines.removeFirst())
        #expect(header == TraceWriter.columns)
        let rows = lines.map { Dictionary(uniqueKeysWithValues: zip(header, splitCSV($0))) }
        return (result, rows, folder)
    }

    /// One CSV line's fields (RFC 4180 quotes).
    static func splitCSV(_ line: String) -> [String] {
        var fields: [String] = [], field = "", quoted = false
        var chars = Array(line)[...]
        while let ch = chars.popFirst() {
            if quoted {
                if ch == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.append(ch) }
            } else if ch == "\"" { quoted = true } else if ch == "," { fields.append(field); field = "" } else { field.append(ch) }
        }
        fields.append(field)
        return fields
    }

    /// The replication's totals recomputed from the trace alone (plus the scenario's prices).
    ///
    /// The state is rebuilt per child and per position from the events; the levels are kept as
    /// sums of each entity's contribution (removed before an event changes the entity, added
    /// after), and integrated over [0, horizon] between events.
    struct Replay {
        let cs: CompiledScenario
        let stepIDs: [String]
        var counts: [String: Double] = [:]
        var last = 0.0

        struct ChildState {
            var step: String?
            var hasCase = false
            var waiting = false              // with a case, never assigned
            var worker: Int?
            var notified = 0.0
        }
        struct PositionState {
            var filled = false
            var vacant = false
            var load = 0
        }
        var children: [Int: ChildState] = [:]
        var positions: [Int: PositionState] = [:]

        // Levels and their integrals over [0, horizon].
        var stepCount: [String: Int] = [:]
        var placed = 0, waiting = 0, unassigned = 0, active = 0, loadSum = 0, vacant = 0, open = 0
        var stepDays: [String: Double] = [:]
        var loadDays = 0.0, activeDays = 0.0, waitingDays = 0.0, unassignedDays = 0.0, vacantDays = 0.0, placedDays = 0.0

        init(_ cs: CompiledScenario) {
            self.cs = cs
            stepIDs = cs.scenario.ladder.map(\.id)
        }

        func isPlacement(_ id: String) -> Bool { cs.placement[stepIDs.firstIndex(of: id)!] }

        mutating func add(_ c: ChildState, _ sign: Int) {
            if let s = c.step {
                stepCount[s, default: 0] += sign
                if isPlacement(s) { placed += sign }
            }
            if c.hasCase { open += sign }
            if c.waiting { waiting += sign }
            if c.hasCase && !c.waiting && c.worker == nil { unassigned += sign }
        }

        mutating func add(_ p: PositionState, _ sign: Int) {
            if p.filled { active += sign; loadSum += sign * p.load }
            if p.vacant { vacant += sign }
        }

        mutating func child(_ id: Int, _ change: (inout ChildState) -> Void) {
            var c = children[id] ?? ChildState()
            add(c, -1)
            change(&c)
            add(c, 1)
            children[id] = c
        }

        mutating func position(_ id: Int, _ change: (inout PositionState) -> Void) {
            var p = positions[id] ?? PositionState()
            add(p, -1)
            change(&p)
            add(p, 1)
            positions[id] = p
        }

        mutating func integrate(to t: Double) {
            let a = max(last, 0), b = min(t, cs.horizon)
            if b > a {
                let dt = b - a
                for (s, n) in stepCount where n > 0 { stepDays[s, default: 0] += Double(n) * dt }
                placedDays += Double(placed) * dt
                loadDays += Double(loadSum) * dt
                activeDays += Double(active) * dt
                waitingDays += Double(waiting) * dt
                unassignedDays += Double(unassigned) * dt
                vacantDays += Double(vacant) * dt
            }
            last = max(last, t)
        }

        mutating func count(_ name: String, _ t: Double, _ amount: Double = 1) {
            if t >= 0 { counts[name, default: 0] += amount }
        }

        mutating func entered(_ id: Int, _ to: String, from: String?, _ t: Double) {
            count("step.\(to).entries", t)
            if isPlacement(to) { count(from.map(isPlacement) == true ? "placementChanges" : "placementsStarted", t) }
            child(id) { $0.step = to }
        }

        mutating func apply(_ r: [String: String]) {
            let t = Double(r["time"]!)!
            integrate(to: t)
            let kind = r["event"]!, id = Int(r["child"]!) ?? -1, p = Int(r["position"]!) ?? -1
            let from = r["from"]!, to = r["to"]!, detail = r["detail"]!
            if p >= 0, let load = Int(r["caseload"]!) { position(p) { $0.load = load } }
            switch kind {
            case "caseworker", "hire":
                position(p) { $0.filled = true; $0.vacant = false }
                if kind == "hire" { count("hires", t); count("cost.recruitment", t, cs.recruitmentCost) }
            case "leaver", "positionRemoved":
                if detail == "vacant" { position(p) { $0.vacant = false }; break }
                position(p) { $0.filled = false }
                for (c, state) in children where state.worker == p { child(c) { $0.worker = nil } }
                if kind == "leaver" { count("leavers", t) }
            case "recruitment": position(p) { $0.vacant = true }
            case "stock":
                child(id) { $0.hasCase = true; $0.step = to; $0.worker = p >= 0 ? p : nil }
            case "notification":
                count("notifications", t)
                child(id) { $0.notified = t }
            case "renotification":
                count("notifications", t); count("renotifications", t)
                if detail == "escalates" { count("renotificationEscalations", t) }
            case "outreachStart": count("outreachCourses", t); count("cost.outreach", t, cs.outreachCostPerCourse)
            case "outreachEnd":
                if to == "resolved" { count("outreachResolved", t); children[id] = nil } else { child(id) { $0.notified = t } }
            case "screenedOut": count("screenedOut", t); children[id] = nil
            case "caseOpened":
                count("casesOpened", t); count("team.\(to).casesOpened", t)
                child(id) { $0.hasCase = true; $0.waiting = true }
            case "assigned":
                count("assignments", t)
                let wait = t - children[id]!.notified
                count("waitDays", t, wait)
                if wait > 0 { count("waited", t) }
                child(id) { $0.waiting = false; $0.worker = p }
            case "reassigned": child(id) { $0.worker = p }
            case "queued": child(id) { $0.worker = nil }
            case "assessmentEnd":
                count("assessmentsCompleted", t); count("cost.assessments", t, cs.assessmentCost)
                if detail == "late" { count("deadlineBreaches", t) }
                if to != "close" { entered(id, to, from: nil, t) }
            case "move": entered(id, to, from: from, t)
            case "stay": break
            case "caseClosed":
                count("casesClosed", t)
                child(id) { $0 = ChildState() }
                children[id] = nil
            case "agedOut":
                count("agedOut", t)
                if from == "course" { children[id] = nil }
            case "followUp":
                let parts = detail.split(separator: " ")
                count("followUp.\(parts[0]).due", t)
                if parts[1] == "missed" { count("followUp.\(parts[0]).missed", t) }
            case "transfer":
                count("transfers", t)
                if p >= 0 { child(id) { $0.worker = nil } }
            case "rampUpEnd", "staffChange": break
            default: Issue.record("unknown event kind \(kind)")
            }
        }

        /// The recomputed totals, by metric name.
        mutating func totals() -> [String: Double] {
            integrate(to: cs.horizon)
            var v = counts
            let y = ModelTime.daysPerYear
            let assignments = counts["assignments"] ?? 0
            v["waitDaysMean"] = (counts["waitDays"] ?? 0) / assignments
            v["waitedShare"] = (counts["waited"] ?? 0) / assignments
            v["waitingMean"] = waitingDays / cs.horizon
            v["unassignedMean"] = unassignedDays / cs.horizon
            v["openCasesEnd"] = Double(open)
            v["placedChildYears"] = placedDays / y
            v["placedEnd"] = Double(placed)
            v["caseloadMean"] = loadDays / activeDays
            v["caseworkersMean"] = activeDays / cs.horizon
            v["vacancyYears"] = vacantDays / y
            var interventions = 0.0
            for (k, id) in stepIDs.enumerated() {
                v["step.\(id).childYears"] = (stepDays[id] ?? 0) / y
                v["step.\(id).end"] = Double(stepCount[id] ?? 0)
                v["cost.step.\(id)"] = (stepDays[id] ?? 0) * cs.stepCostPerDay[k]
                interventions += v["cost.step.\(id)"]!
            }
            v["cost.interventions"] = interventions
            v["cost.staff"] = activeDays * cs.staffCostPerDay
            v["cost.outreach"] = cs.horizon * cs.outreachCostPerDay + (counts["cost.outreach"] ?? 0)
            v["cost.oneOff"] = cs.oneOff.filter { $0.time >= 0 && $0.time < cs.horizon }.reduce(0) { $0 + $1.amount }
            v["cost.total"] = v["cost.staff"]! + interventions + (counts["cost.assessments"] ?? 0) + (counts["cost.recruitment"] ?? 0)
                + v["cost.outreach"]! + v["cost.oneOff"]!
            return v
        }
    }

    /// Checks every recomputed total against the replication's own.
    static func check(_ loaded: LoadedScenario, replication: Int) throws -> Int {
        let (result, rows, folder) = try trace(loaded, replication: replication)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(result.written == rows.count && !result.truncated)
        var replay = Replay(try CompiledScenario(loaded.scenario))
        var previous = -Double.infinity
        for r in rows {
            let t = Double(r["time"]!)!
            #expect(t >= previous, "events out of time order at \(r)")
            previous = t
            replay.apply(r)
        }
        let recomputed = replay.totals()
        let own = Dictionary(uniqueKeysWithValues: zip(result.metrics, result.record.totals))
        var checked = 0
        for (name, value) in recomputed where own[name] != nil && !["waitDays", "waited"].contains(name) {
            let expected = own[name]!
            let tolerance = 1e-9 * max(1, abs(expected))
            #expect(abs(value - expected) <= tolerance, "\(name): replayed \(value), replication \(expected)")
            checked += 1
        }
        print("trace replay of \(loaded.scenario.name), replication \(replication): \(rows.count) events, \(checked) totals recomputed")
        return checked
    }

    @Test func replayingTheExampleTraceGivesTheReplicationsTotals() throws {
        // Outreach, renotifications, a waitlist team and an overflow team, turnover, a dated change.
        let checked = try Self.check(try Self.load("example.yaml"), replication: 1)
        #expect(checked >= 45)
    }

    @Test func replayingABroenderslevTraceGivesTheReplicationsTotals() throws {
        // Age bands with transfers, supervision visits, the pilot → rollout dated changes.
        let loaded = try Self.load("broenderslev-varige-spor.yaml")
        #expect(!loaded.scenario.followUps.isEmpty && loaded.scenario.teams.contains { $0.ages != nil })
        let checked = try Self.check(loaded, replication: 0)
        #expect(checked >= 50)
    }

    @Test func tracingChangesNoResult() throws {
        // The traced replication is the one `sagstal run` makes: same totals to the bit.
        let loaded = try Self.load("example.yaml", ["simulation.replications=3"])
        let run = try SimulationRunner.run(try CompiledScenario(loaded.scenario), replications: 3, jobs: 1)
        let null = FileHandle(forWritingAtPath: "/dev/null")!
        for r in [0, 2] {
            let traced = try TraceJob.run(loaded.scenario, options: TraceOptions(replication: r), to: null)
            #expect(traced.record.totals.elementsEqual(run.replicationTotals[r]) { $0 == $1 || ($0.isNaN && $1.isNaN) })
        }
    }
}
