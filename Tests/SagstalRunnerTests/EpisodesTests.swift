import Foundation
import Testing
import SagstalModel
import SagstalRunner
import SagstalScenario
import SagstalStats

/// `sagstal run --episodes` (MODEL.md §8): the file's layout, and its consistency with the
/// metrics of the same run — counts recomputed from the stays equal the counted metrics.
@Suite struct EpisodesTests {
    struct Row {
        var replication: Int, child: Int, team: String, phase: String, step: String
        var start: Double, end: Double, endReason: String, ageAtStart: Double, placement: Bool
    }

    func rows(_ dir: URL) throws -> (header: [String], rows: [Row]) {
        let text = try String(contentsOf: dir.appendingPathComponent("episodes.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines.removeFirst().components(separatedBy: ",")
        let rows = lines.map { line -> Row in
            let f = line.components(separatedBy: ",")
            return Row(replication: Int(f[0])!, child: Int(f[1])!, team: f[2], phase: f[3], step: f[4], start: Double(f[5])!,
                       end: Double(f[6])!, endReason: f[7], ageAtStart: Double(f[8])!, placement: f[9] == "true")
        }
        return (header, rows)
    }

    func replicationTotals(_ dir: URL) throws -> [[String: Double]] {
        let text = try String(contentsOf: dir.appendingPathComponent("replications.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.components(separatedBy: ",") }
        return lines.dropFirst().map { cells in
            Dictionary(uniqueKeysWithValues: zip(lines[0], cells).map { ($0, Double($1) ?? .nan) })
        }
    }

    /// Ladder entries and placement starts recomputed from the stays: a ladder stay is an entry when
    /// the child's previous stay was its assessment (`toStep`) or a ladder stay that ended `up` or
    /// `down`; a placement start when it is an entry into a placement step from assessment or a
    /// non-placement step. Only entries at t ≥ 0 count (MODEL.md §2).
    func entries(_ rows: [Row], steps: [String], placement: [String: Bool], years: Int)
        -> (perStep: [String: [Int]], placements: [Int], transfers: [Int]) {
        var perStep = Dictionary(uniqueKeysWithValues: steps.map { ($0, Array(repeating: 0, count: years)) })
        var placements = Array(repeating: 0, count: years), transfers = Array(repeating: 0, count: years)
        var byChild: [Int: [Row]] = [:]
        for r in rows { byChild[r.child, default: []].append(r) }
        func year(_ t: Double) -> Int { Int((t / 365.25).rounded(.down)) }
        for (_, stays) in byChild {
            let ordered = stays.sorted { ($0.end, $0.start) < ($1.end, $1.start) }
            for (i, s) in ordered.enumerated() {
                if s.endReason == "transfer", s.end < Double(years) * 365.25 { transfers[year(s.end)] += 1 }
                guard s.phase == "ladder", i > 0, s.start >= 0 else { continue }
                let prev = ordered[i - 1]
                let entered = prev.endReason == "toStep" || (prev.phase == "ladder" && (prev.endReason == "up" || prev.endReason == "down"))
                guard entered else { continue }
                perStep[s.step]![year(s.start)] += 1
                let fromPlacement = prev.phase == "ladder" && placement[prev.step]!
                if placement[s.step]! && !fromPlacement { placements[year(s.start)] += 1 }
            }
        }
        return (perStep, placements, transfers)
    }

    @Test func episodesAgreeWithTheMetricsOfTheSameRun() throws {
        let loaded = try ScenarioLoader.load(yaml: testScenarioYAML, file: "runner-test.yaml",
                                             overrides: ["simulation.replications=3"])
        let d = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: d) }
        let result = try RunJob.run(loaded, output: d, jobs: 2, episodes: EpisodeOptions(days: true))
        let (header, all) = try rows(d)
        #expect(header == ["replication", "child", "team", "phase", "step", "start", "end", "endReason", "ageAtStart", "placement"])
        #expect(Set(all.map(\.replication)) == [0, 1, 2])
        let scenario = loaded.scenario
        let steps = scenario.ladder.map(\.id)
        let placement = Dictionary(uniqueKeysWithValues: scenario.ladder.map { ($0.id, $0.placement) })
        let horizon = scenario.simulation.years * 365.25
        let totals = try replicationTotals(d)
        for r in 0..<3 {
            let mine = all.filter { $0.replication == r }
            #expect(mine.allSatisfy { $0.end >= 0 && $0.end <= horizon + 1e-9 && $0.start <= $0.end })
            #expect(mine.allSatisfy { ($0.phase == "ladder") == !$0.step.isEmpty && ($0.phase == "course") == $0.team.isEmpty })
            #expect(mine.filter { $0.phase == "waiting" }.allSatisfy { $0.end > $0.start }, "a waiting row of length 0")
            let e = entries(mine, steps: steps, placement: placement, years: 3)
            for id in steps {
                #expect(Double(e.perStep[id]!.reduce(0, +)) == totals[r]["step.\(id).entries"], "replication \(r) step \(id)")
            }
            #expect(Double(e.placements.reduce(0, +)) == totals[r]["placementsStarted"], "replication \(r) placements")
            #expect(Double(e.transfers.reduce(0, +)) == totals[r]["transfers"], "replication \(r) transfers")
            let assessed = mine.filter { $0.phase == "assessment" && ($0.endReason == "close" || $0.endReason == "toStep") }.count
            #expect(Double(assessed) == totals[r]["assessmentsCompleted"], "replication \(r) assessments")
            #expect(Double(mine.filter { $0.endReason == "agedOut" }.count) == totals[r]["agedOut"], "replication \(r) aged out")
            #expect(Double(mine.filter { $0.endReason == "resolved" }.count) == totals[r]["outreachResolved"])
            // Every child still in a phase at the horizon has one censored row, and no later row.
            let censored = mine.filter { $0.endReason == "censored" }
            #expect(censored.allSatisfy { abs($0.end - horizon) < 1e-9 })
            #expect(Set(censored.map(\.child)).count == censored.count)
            #expect(totals[r]["transfers"]! > 0 && totals[r]["placementsStarted"]! > 0)
        }
        // Per budget year, with the yearly means of a single-replication run.
        let one = try ScenarioLoader.load(yaml: testScenarioYAML, file: "runner-test.yaml", overrides: ["simulation.replications=1"])
        let d1 = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: d1) }
        let single = try RunJob.run(one, output: d1, jobs: 1, episodes: EpisodeOptions(days: true))
        let e = entries(try rows(d1).rows, steps: steps, placement: placement, years: 3)
        let layout = single.run.layout
        for y in 0..<3 {
            func yearly(_ m: String) -> Double? { single.run.yearly[y][layout.periodMetrics.firstIndex(of: m)!].mean }
            #expect(Double(e.placements[y]) == yearly("placementsStarted"), "year \(y) placements")
            #expect(Double(e.transfers[y]) == yearly("transfers"), "year \(y) transfers")
            for id in steps { #expect(Double(e.perStep[id]![y]) == yearly("step.\(id).entries"), "year \(y) step \(id)") }
        }
        _ = result
    }

    @Test func isoTimesAndAChosenRangeOfReplications() throws {
        let loaded = try ScenarioLoader.load(yaml: testScenarioYAML, file: "runner-test.yaml",
                                             overrides: ["simulation.replications=4"])
        let d = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: d) }
        _ = try RunJob.run(loaded, output: d, jobs: 2, episodes: EpisodeOptions(days: false, replications: 1...2))
        let text = try String(contentsOf: d.appendingPathComponent("episodes.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").dropFirst()
        #expect(Set(lines.map { $0.prefix(while: { $0 != "," }) }) == ["1", "2"])
        let iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/
        for line in lines.prefix(200) {
            let f = line.components(separatedBy: ",")
            #expect(f[5].wholeMatch(of: iso) != nil && f[6].wholeMatch(of: iso) != nil, "\(line)")
        }
        // No temporary file is left in the output folder.
        let names = try FileManager.default.contentsOfDirectory(atPath: d.path)
        #expect(!names.contains { $0.hasPrefix(".") }, "\(names)")
    }

    @Test func isoDateTimeInvertsTheDateMapping() {
        let start = CalendarDate(year: 2026, month: 1, day: 1)
        #expect(ModelTime.isoDateTime(0, start: start) == "2026-01-01T00:00:00")
        // 1 July 2026 is day 182 of a 365-day year: t = 365.25 · 181/365.
        #expect(ModelTime.isoDateTime(365.25 * 181 / 365, start: start) == "2026-07-01T00:00:00")
        #expect(ModelTime.isoDateTime(365.25 * 181.5 / 365, start: start) == "2026-07-01T12:00:00")
        #expect(ModelTime.isoDateTime(365.25, start: start) == "2027-01-01T00:00:00")
        // A leap year: 29 February 2028 is day 60.
        let t = CalendarDate(year: 2028, month: 2, day: 29).days(since: start)
        #expect(ModelTime.isoDateTime(t, start: start) == "2028-02-29T00:00:00")
        // Warm-up times are before the start.
        #expect(ModelTime.isoDateTime(-365.25, start: start) == "2025-01-01T00:00:00")
        #expect(ModelTime.isoDateTime(0, start: CalendarDate(year: 1, month: 1, day: 1)) == "0001-01-01T00:00:00")
    }
}
