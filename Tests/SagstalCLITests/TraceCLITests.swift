import Foundation
import Testing

/// `sagstal trace` as a user runs it: the folder, following one child or one caseworker, a window,
/// NDJSON and standard output, the bound on rows, and bad options refused before anything runs.
@Suite struct TraceCLITests {
    static func rows(_ text: String) -> [[String]] {
        text.split(separator: "\n").dropFirst().map { $0.components(separatedBy: ",") }
    }

    @Test func aTraceFolderHoldsTheEventsTheScenarioAndTheCounts() throws {
        let dir = try CLITests.workspace(["s.yaml": CLITests.good])
        let r = try CLITests.sagstal(["trace", "s.yaml", "--years", "2", "-o", "t"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Traced replication 0"), "\(r.stdout)")
        for f in ["trace.csv", "trace.json", "run.json", "scenario.resolved.yaml"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("t/\(f)").path), "\(f)")
        }
        let csv = try String(contentsOf: dir.appendingPathComponent("t/trace.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("time,date,event,child,team,position,from,to,caseload,detail\n"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("t/trace.json"))) as! [String: Any]
        let events = json["events"] as! [String: Any]
        #expect(events["written"] as? Int == Self.rows(csv).count && events["truncated"] as? Bool == false)
        #expect(json["seed"] as? Int != nil && (json["totals"] as? [String: Any])?["casesOpened"] != nil)
        // The same command again replaces its own folder; a run of another scenario file is refused.
        #expect(try CLITests.sagstal(["trace", "s.yaml", "--years", "2", "-o", "t", "-q"], in: dir).status == 0)
    }

    @Test func oneChildOneCaseworkerAndAWindow() throws {
        let dir = try CLITests.workspace(["s.yaml": CLITests.good])
        let all = try CLITests.sagstal(["trace", "s.yaml", "--years", "2", "--stdout"], in: dir)
        #expect(all.status == 0, "\(all.stderr)")
        let every = Self.rows(all.stdout)
        // A child that got a case: its rows are exactly its rows of the full trace, in order.
        let opened = every.first { $0[2] == "caseOpened" && Double($0[0])! > 0 }!
        let child = opened[3]
        let one = try CLITests.sagstal(["trace", "s.yaml", "--years", "2", "--stdout", "--child", child], in: dir)
        #expect(Self.rows(one.stdout) == every.filter { $0[3] == child })
        #expect(Self.rows(one.stdout).map { $0[2] }.starts(with: ["notification", "caseOpened"]), "\(one.stdout)")
        let worker = try CLITests.sagstal(["trace", "s.yaml", "--years", "2", "--stdout", "--position", "0"], in: dir)
        let mine = Self.rows(worker.stdout)
        #expect(!mine.isEmpty && mine == every.filter { $0[5] == "0" })
        let window = try CLITests.sagstal(["trace", "s.yaml", "--years", "2", "--stdout", "--from", "2026-03-01", "--to", "2026-04-01",
                                           "--events", "assigned,caseClosed"], in: dir)
        let march = Self.rows(window.stdout)
        #expect(!march.isEmpty && march.allSatisfy { $0[1].hasPrefix("2026-03-") && ["assigned", "caseClosed"].contains($0[2]) },
                "\(window.stdout.prefix(500))")
    }

    @Test func ndjsonAndTheBoundOnRows() throws {
        let dir = try CLITests.workspace(["s.yaml": CLITests.good])
        let r = try CLITests.sagstal(["trace", "s.yaml", "--years", "2", "--format", "ndjson", "--max-events", "100", "-o", "t"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("stopped writing after 100 of"), "\(r.stderr)")
        let lines = try String(contentsOf: dir.appendingPathComponent("t/trace.ndjson"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 100)
        for line in lines {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            #expect(o["time"] is Double || o["time"] is Int)
            #expect(o["event"] is String && o["date"] is String)
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("t/trace.json"))) as! [String: Any]
        let events = json["events"] as! [String: Any]
        #expect(events["truncated"] as? Bool == true && (events["matched"] as! Int) > 100)
    }

    @Test(arguments: [
        (["--child", "-1"], "--child: a child number ≥ 0, found -1"),
        (["--replication", "-3"], "--replication: a replication number ≥ 0, found -3"),
        (["--from", "2026-02-30"], "--from: expected a date"),
        (["--from", "2027-01-01", "--to", "2026-06-01"], "--from must come before --to"),
        (["--events", "assign"], "unknown event kind 'assign'"),
        (["--team", "nope"], "no team 'nope'"),
        (["--max-events", "0"], "--max-events"),
        (["--stdout", "-o", "x"], "choose one"),
    ])
    func badOptionsAreRefusedAndNothingIsWritten(extra: [String], message: String) throws {
        let dir = try CLITests.workspace(["s.yaml": CLITests.good])
        let r = try CLITests.sagstal(["trace", "s.yaml"] + extra, in: dir)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Outputs").path))
    }
}
