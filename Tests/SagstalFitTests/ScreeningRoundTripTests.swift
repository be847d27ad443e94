import Foundation
import Testing
import SagstalModel
import SagstalRunner
import SagstalScenario
import SagstalTrace
@testable import SagstalFit

/// Screening shares from records that hold screened-out notifications (docs/fit.md): a scenario with
/// a known `screening.opensCase` is run with episodes, its screened-out notifications are taken from
/// `sagstal trace` of the same replications and added as `notification` rows, and the fitted share's
/// Wilson CI holds the true value in at least 90 % of 40 replications.
@Suite struct ScreeningRoundTripTests {
    static let scenario = """
    name: screening round trip
    simulation: {start: 2026-01-01, years: 3, replications: 40, seed: 23}
    children: {ageOut: 100}
    notifications: {perYear: 400, concernsOpenCase: 0.1}
    screening: {opensCase: 0.6}
    assessment: {duration: {dist: gamma, shape: 2, scale: 30}, outcome: {close: 0.5, home: 0.5}}
    ladder:
      - {id: home, costPerYear: 100000, duration: 300, next: {exit: 0.8}}
    teams: [{id: t, caseworkers: 1000, cap: 1000}]
    """

    /// The screened-out notifications of replication `r`, as `notification` rows of an episodes file.
    static func screenedRows(_ s: Scenario, replication r: Int, in dir: URL) throws -> [String] {
        let url = dir.appendingPathComponent("screened-\(r).csv")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        _ = try TraceJob.run(s, options: TraceOptions(replication: r, kinds: [.screenedOut]), to: handle)
        try handle.close()
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
        return lines.map { line in
            let f = line.components(separatedBy: ",")   // time,date,event,child,…
            return "\(r),\(f[3]),,notification,,\(f[1]),,screenedOut,0,false"
        }
    }

    @Test func theFittedScreeningShareCoversTheTrueOne() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sagstal-screening-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.yaml")
        try Self.scenario.write(to: path, atomically: true, encoding: .utf8)
        let loaded = try ScenarioRequest(path: path.path).load()
        let run = try RunJob.run(loaded, output: dir.appendingPathComponent("out"), jobs: 2, episodes: EpisodeOptions())
        var text = try String(contentsOf: dir.appendingPathComponent("out/episodes.csv"), encoding: .utf8)
        var screened = 0
        for r in 0..<40 {
            let rows = try Self.screenedRows(loaded.scenario, replication: r, in: dir)
            screened += rows.count
            text += rows.joined(separator: "\n") + "\n"
        }
        let file = dir.appendingPathComponent("records.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let all = try EpisodeReader.read(path: file.path)
        // Every screened-out notification the replications counted, from the trace.
        let counted = run.run.totals[run.run.layout.totalsMetrics.firstIndex(of: "screenedOut")!].mean! * 40
        #expect(Double(all.screenedOut.count) >= counted && all.screenedOut.count == screened)
        var covered = 0
        var estimates: [Double] = []
        for r in 0..<40 {
            let one = EpisodeFile(path: all.path, episodes: all.episodes.filter { $0.replication == r }, calendarTimes: true,
                                  extract: all.extract, droppedAfterExtract: 0, censoredAtExtract: 0,
                                  screenedOut: all.screenedOut.filter { $0.replication == r })
            let s = try #require(FitJob.run(one).arrivals?.screening)
            estimates.append(s.estimate)
            if s.lower <= 0.6 && 0.6 <= s.upper { covered += 1 }
        }
        print("screening round trip: 0.6 in the Wilson CI in \(covered) of 40; mean estimate \(estimates.reduce(0, +) / 40)")
        #expect(covered >= 36, "\(covered) of 40")
        // The fitted scenario takes the share, and its notification rate is the screened notifications' rate.
        let fit = FitJob.run(all)
        let yaml = FitFragment.yaml(fit, scenario: loaded.scenario, extends: "s.yaml", toolVersion: "test")
        #expect(yaml.contains("screening:\n  # fit: ") && yaml.contains("opensCase: "), "\(yaml)")
        try yaml.write(to: dir.appendingPathComponent("fitted.yaml"), atomically: true, encoding: .utf8)
        let fitted = try ScenarioRequest(path: dir.appendingPathComponent("fitted.yaml").path).load().scenario
        let s = try #require(fit.arrivals?.screening)
        #expect(abs(fitted.screening.opensCase - s.estimate) < 1e-4)
        // perYear: the openings' rate / (opensCase × (1 − concernsOpenCase)) holds 400 in its CI.
        let arr = try #require(fit.arrivals)
        let scale = 1 / (s.estimate * 0.9)
        #expect(arr.rateCI.lower * scale <= 400 * 1.02 && 400 * 0.98 <= arr.rateCI.upper * scale,
                "perYear \(fitted.notifications.perYear), CI \(arr.rateCI.lower * scale)–\(arr.rateCI.upper * scale)")
    }

    /// Notifications an outreach course resolves never reach screening; the course rows that end
    /// `resolved` put them back into the fitted rate (they were missing: 973 for 1,050 on example.yaml).
    @Test func notificationsResolvedByOutreachAreCountedInTheRate() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sagstal-outreach-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.yaml")
        try Self.scenario.replacingOccurrences(of: "replications: 40", with: "replications: 20")
            .appending("\noutreach: {workers: 4, coursesPerWorker: 50, reach: 0.4, duration: 30, resolves: 0.5, costPerCourse: 0, costPerWorkerYear: 0}\n")
            .write(to: path, atomically: true, encoding: .utf8)
        let loaded = try ScenarioRequest(path: path.path).load()
        _ = try RunJob.run(loaded, output: dir.appendingPathComponent("out"), jobs: 2, episodes: EpisodeOptions())
        let fit = FitJob.run(try EpisodeReader.read(path: dir.appendingPathComponent("out/episodes.csv").path))
        let arr = try #require(fit.arrivals)
        #expect(arr.outreachResolved > 0)
        let yaml = FitFragment.yaml(fit, scenario: loaded.scenario, extends: "s.yaml", toolVersion: "test")
        try yaml.write(to: dir.appendingPathComponent("fitted.yaml"), atomically: true, encoding: .utf8)
        let perYear = try ScenarioRequest(path: dir.appendingPathComponent("fitted.yaml").path).load().scenario.notifications.perYear
        // The trend's CI, carried to perYear by the same factor; 400 must lie in it (without the outreach term: about 400 × 0.8).
        let factor = perYear / arr.rate(at: arr.from)
        let lower = arr.rateCI.lower * factor, upper = arr.rateCI.upper * factor
        print("outreach round trip: perYear \(perYear) (95 % CI \(lower)–\(upper)) for 400")
        #expect(lower <= 400 && 400 <= upper, "perYear \(perYear), CI \(lower)–\(upper)")
    }

    @Test func aNotificationRowThatIsNotScreenedOutIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sagstal-screening-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("e.csv")
        try """
        replication,child,team,phase,step,start,end,endReason,ageAtStart,placement
        0,1,t,assessment,,2026-01-01,2026-02-01,close,5,false
        0,2,,notification,,2026-01-03,,screenedOut,,
        0,3,,notification,,2026-01-04,,close,,
        0,4,,notification,,2026-01-05,2026-01-09,screenedOut,,
        """.write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try EpisodeReader.read(path: file.path)
            Issue.record("accepted")
        } catch let e as EpisodeFileErrors {
            #expect(e.description.contains("e.csv:4: error: endReason: a notification row is a notification screened out"), "\(e)")
            #expect(e.description.contains("e.csv:5: error: end: a screened-out notification has no length"), "\(e)")
            #expect(!e.description.contains("e.csv:3"), "\(e)")
        }
    }
}
