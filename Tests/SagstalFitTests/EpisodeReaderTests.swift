import Foundation
import Testing
import SagstalModel
import SagstalScenario
@testable import SagstalFit

@Suite struct EpisodeReaderTests {
    static func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sagstal-episodes-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static let header = "replication,child,team,phase,step,start,end,endReason,ageAtStart,placement\n"

    @Test func readsTheRowsAndJoinsTransfersAndAssessmentOutcomes() throws {
        let text = Self.header + """
        0,1,east,assessment,,2026-01-01T00:00:00,2026-03-02T00:00:00,toStep,5.5,false
        0,1,east,ladder,foster,2026-03-02T00:00:00,2026-05-01T00:00:00,transfer,5.67,true
        0,1,west,ladder,foster,2026-05-01T00:00:00,2026-06-30T00:00:00,down,5.8,true
        0,2,east,assessment,,2026-02-01,2026-02-11,close,9,false
        0,3,east,ladder,foster,2026-01-01T00:00:00,2027-01-01T00:00:00,censored,3,true
        """
        let file = try EpisodeReader.read(path: try Self.write(text))
        #expect(file.episodes.count == 5 && file.calendarTimes)
        let phases = EpisodeSummary.phases(file)
        let foster = try #require(phases.first { $0.name == "foster" })
        // The transfer splits one stay: 60 + 60 days, observed (ended by a move down).
        // In model days (365.25 per year): 120 calendar days of 2026 are 120 · 365.25/365.
        let d = 365.25 / 365
        #expect(foster.days.count == 2 && foster.censored == 1 && foster.endings == ["down": 1])
        #expect(zip(foster.days.sorted(), [120 * d, 365.25]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(foster.days)")
        #expect(abs(foster.naiveMeanOfClosed! - 120 * d) < 1e-9)
        let assessment = try #require(phases.first { $0.name == "assessment" })
        #expect(assessment.endings == ["toStep:foster": 1, "close": 1])
        #expect(zip(assessment.days.sorted(), [10 * d, 60 * d]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(assessment.days)")
    }

    @Test func theExtractDateCensorsAndDrops() throws {
        let text = Self.header + """
        0,1,east,ladder,home,2026-01-01T00:00:00,2026-12-01T00:00:00,exit,5,false
        0,2,east,ladder,home,2026-03-01T00:00:00,2026-04-01T00:00:00,exit,5,false
        0,3,east,ladder,home,2026-08-01T00:00:00,2026-09-01T00:00:00,exit,5,false
        """
        let file = try EpisodeReader.read(path: try Self.write(text), extractDate: "2026-07-01")
        #expect(file.episodes.count == 2 && file.droppedAfterExtract == 1 && file.censoredAtExtract == 1)
        let home = EpisodeSummary.phases(file)[0]
        let d = 365.25 / 365
        #expect(home.censored == 1 && zip(home.days.sorted(), [31 * d, 181 * d]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(home.days)")
    }

    @Test(arguments: [
        ("child,phase,step,start,end,endReason\n0,ladder,home,2026-01-01,2026-02-01,exit\n", 1, "missing column ageAtStart"),
        ("0,1,east,ladder,home,2026-03-01,2026-02-01,exit,5,false\n", 2, "ends (2026-02-01) before it starts"),
        ("0,1,east,ladder,,2026-01-01,2026-02-01,exit,5,false\n", 2, "a ladder row needs the step id"),
        ("0,1,east,stay,home,2026-01-01,2026-02-01,exit,5,false\n", 2, "phase: expected one of course, waiting, assessment, ladder"),
        ("0,1,east,ladder,home,2026-01-01,2026-02-01,Exit,5,false\n", 2, "did you mean 'exit'?"),
        ("0,1,east,ladder,home,2026-01-01,2026-13-01,exit,5,false\n", 2, "end: expected a date-time"),
        ("0,1,east,ladder,home,2026-01-01,2026-02-01,exit,five,false\n", 2, "ageAtStart: expected a number, found 'five'"),
        ("0,1,east,ladder,home,2026-01-01,2026-02-01,exit,5\n", 2, "expected 10 fields, found 9"),
        ("0,1,east,ladder,home,2026-01-01,2026-03-01,exit,5,false\n0,1,east,ladder,foster,2026-02-01,2026-04-01,exit,5,true\n", 3, "stays overlap"),
        ("", 1, "no episodes"),
    ])
    func badFilesAreRefusedWithTheLine(body: String, line: Int, message: String) throws {
        let text = body.hasPrefix("child,") ? body : Self.header + body
        let path = try Self.write(text)
        do {
            _ = try EpisodeReader.read(path: path)
            Issue.record("accepted: \(body)")
        } catch let e as EpisodeFileErrors {
            let first = try #require(e.errors.first)
            #expect(first.line == line, "\(e)")
            #expect(e.description.contains(message), "\(e)")
            #expect(e.description.hasPrefix("\(path):\(line): error:"), "\(e)")
        }
    }

    /// Times are model days (MODEL.md § 2: 365.25 per decimal year), so a stay read back from the
    /// ISO times `run --episodes` writes has the length it had in the model.
    @Test func isoDaysAreModelDaysSinceTheEpoch() {
        #expect(EpisodeReader.isoDays("1970-01-01") == 0)
        #expect(EpisodeReader.isoDays("2000-01-01") == 365.25 * 30)
        // 2000 is a leap year: 1 March is day 60 of 366.
        #expect(abs(EpisodeReader.isoDays("2000-03-01")! - 365.25 * (30 + 60.0 / 366)) < 1e-9)
        #expect(abs(EpisodeReader.isoDays("2026-01-01T12:00:00")! - 365.25 * (56 + 0.5 / 365)) < 1e-9)
        #expect(EpisodeReader.isoDays("2025-02-29") == nil && EpisodeReader.isoDays("2024-02-29") != nil)
        #expect(EpisodeReader.isoDays("2026-13-01") == nil && EpisodeReader.isoDays("2026-01-01T24:00:00") == nil)
    }

    @Test func theTimesRunEpisodesWritesReadBackAsTheModelsDays() {
        let start = CalendarDate(year: 2026, month: 1, day: 1)
        let origin = EpisodeReader.isoDays("2026-01-01")!
        for t in stride(from: -800.0, through: 4000, by: 37.37) {
            let text = ModelTime.isoDateTime(t, start: start)
            let back = EpisodeReader.isoDays(text)! - origin
            // ISO times are rounded to the second: at most half a second, 365.25/365 model seconds long.
            #expect(abs(back - t) <= 0.5 * 366.0 / 365 / 86_400, "\(t) → \(text) → \(back)")
        }
    }
}

/// Scenarios/data/episodes-example.csv: `sagstal run Scenarios/example.yaml -n 1 --years 3 --episodes`.
@Suite struct ExampleEpisodesTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios/data/episodes-example.csv").path

    @Test func theExampleFileReadsAndHasCensoredStaysOnEveryStep() throws {
        let file = try EpisodeReader.read(path: Self.path)
        let lines = try String(contentsOfFile: Self.path, encoding: .utf8).split(separator: "\n").count
        #expect(file.episodes.count == lines - 1)
        let phases = EpisodeSummary.phases(file)
        #expect(Set(phases.map(\.name)).isSuperset(of: ["prevention", "homeBased", "kinship", "foster", "residential", "assessment"]))
        for p in phases where p.name != "waiting" {
            #expect(p.censored > 0 && p.censored < p.n, "\(p.name): \(p.censored) of \(p.n) censored")
        }
    }
}

/// Inputs that are not episode files at all: refused at once, never read for ever.
@Suite struct EpisodeReaderNonFileTests {
    func refusal(_ path: String) throws -> String {
        do {
            _ = try EpisodeReader.read(path: path)
            Issue.record("accepted \(path)")
            return ""
        } catch let e as EpisodeFileErrors { return e.description }
    }

    @Test func devicesFoldersAndFilesWithoutLineBreaksAreRefused() throws {
        #expect(try refusal("/dev/zero").contains("is not a regular file"))
        #expect(try refusal(FileManager.default.temporaryDirectory.path).contains("is a folder"))
        #expect(try refusal("/nonexistent/episodes.csv").contains("does not exist"))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sagstal-noline-\(UUID().uuidString).csv")
        try Data(repeating: 0x61, count: (1 << 20) + 10).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try refusal(url.path).contains("no line break in the first 1 MiB"))
        // A symbolic link to a good file is read.
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("sagstal-link-\(UUID().uuidString).csv")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: ExampleEpisodesTests.path)
        defer { try? FileManager.default.removeItem(at: link) }
        #expect(try EpisodeReader.read(path: link.path).episodes.count > 1000)
    }
}
