import Foundation
import Testing
import SagstalModel
import SagstalRunner
import SagstalScenario
import SagstalStats
@testable import SagstalCalibrate

@Suite struct TargetsReaderTests {
    static func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("targets-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func readsEveryColumnInAnyOrderAndDanishExcel() throws {
        let a = try TargetsReader.read(path: try Self.write("metric,year,value,source,sd\nplacedEnd,2022,101,\"DST, ANBAAR\",3\nnotifications,2022,1316,DST UND1,\n"))
        #expect(a == [Target(year: 2022, metric: "placedEnd", value: 101, sd: 3, source: "DST, ANBAAR", line: 2),
                      Target(year: 2022, metric: "notifications", value: 1316, sd: nil, source: "DST UND1", line: 3)])
        let b = try TargetsReader.read(path: try Self.write("\u{FEFF}year;metric;value\n2022;cost.interventions;1234,5\n"))
        #expect(b.first?.value == 1234.5)
    }

    @Test func everyProblemIsLocated() throws {
        let path = try Self.write("""
        year,metric,value,sd
        22,placedEnd,101,
        2022,,5,
        2022,placedEnd,1.234.5,
        2022,placedEnd,100,-1
        2023,placedEnd,100,
        2023,placedEnd,99,
        """)
        do {
            _ = try TargetsReader.read(path: path)
            Issue.record("accepted")
        } catch let e as TargetsErrors {
            let text = e.description
            #expect(text.contains(":2: error: year: expected a calendar year like 2022, found '22'"), "\(text)")
            #expect(text.contains(":3: error: metric: a metric name is needed"), "\(text)")
            #expect(text.contains(":4: error: value: expected a number (decimal point, no thousands separators), found '1.234.5'"), "\(text)")
            #expect(text.contains(":5: error: sd: expected a standard deviation > 0"), "\(text)")
            #expect(text.contains(":7: error: metric: placedEnd for 2023 is already given on line 6"), "\(text)")
            #expect(text.hasSuffix("5 errors"))
        }
        for (text, message) in [("year,value\n2022,1\n", "missing column metric"), ("year,metric,value,unit\n2022,x,1,kr\n", "unknown column unit"),
                                ("year,metric,value\n", "no targets (only a header)")] {
            #expect(throws: TargetsErrors.self) { try TargetsReader.read(path: try Self.write(text)) }
            do { _ = try TargetsReader.read(path: try Self.write(text)) } catch let e as TargetsErrors { #expect(e.description.contains(message), "\(e)") }
        }
    }

    @Test func unknownMetricsAreErrorsAndYearsOutsideTheRunAreNotes() throws {
        let targets = [Target(year: 2022, metric: "placedEnd", value: 1, line: 2), Target(year: 2030, metric: "placedEnd", value: 1, line: 3),
                       Target(year: 2022, metric: "placementStarted", value: 1, line: 4)]
        #expect(throws: TargetsErrors.self) { try TargetsReader.locate(targets, file: "t.csv", metrics: ["placedEnd", "placementsStarted"], years: ["2022"]) }
        do { _ = try TargetsReader.locate(targets, file: "t.csv", metrics: ["placedEnd", "placementsStarted"], years: ["2022"]) } catch let e as TargetsErrors {
            #expect(e.description == "t.csv:4: error: metric: unknown metric 'placementStarted' (did you mean 'placementsStarted'?); the yearly metrics are those of yearly.csv (docs/model-reference.md § 8)")
        }
        let (kept, notes) = try TargetsReader.locate(Array(targets.prefix(2)), file: "t.csv", metrics: ["placedEnd"], years: ["2021", "2022"])
        #expect(kept.count == 1 && kept[0].year == 1 && notes == ["1 target in t.csv lies outside the run's budget years 2021–2022 and is left out (2030)"])
    }
}

/// A backcast of a scenario against observations drawn from the same model: each observation is
/// one replication of the truth, so it lies in the forecast's 5–95 % band with probability 0.9.
@Suite struct BackcastTests {
    @Test func observationsFromTheModelItselfFallInTheBandNineTimesInTen() throws {
        let dir = try CalibrationTests.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.yaml")
        try CalibrationTests.scenario(opensCase: 0.5, fosterMean: 600, seed: 5, replications: 40).write(to: path, atomically: true, encoding: .utf8)
        // Ten independent "histories": replications of another seed.
        let truthPath = dir.appendingPathComponent("truth.yaml")
        try CalibrationTests.scenario(opensCase: 0.5, fosterMean: 600, seed: 77, replications: 10).write(to: truthPath, atomically: true, encoding: .utf8)
        let truth = try RunJob.run(try ScenarioRequest(path: truthPath.path).load(), output: dir.appendingPathComponent("truth"), jobs: 2)
        let metrics = ["casesOpened", "placementsStarted", "step.foster.end"]
        let width = truth.run.layout.periodMetrics.count
        var inBand = 0, total = 0
        for r in 0..<10 {
            // Replication r of the truth, run alone (the same seeds as in the run above).
            let record = try Replication(try CompiledScenario(try ScenarioRequest(path: truthPath.path).load().scenario), index: r).run()
            var targets: [Target] = []
            for (y, label) in truth.run.layout.yearLabels.enumerated() {
                for m in metrics {
                    let k = truth.run.layout.periodMetrics.firstIndex(of: m)!
                    targets.append(Target(year: Int(label)!, metric: m, value: record.yearly[y * width + k], line: targets.count + 2))
                }
            }
            let result = try BackcastJob.run(ScenarioRequest(path: path.path), from: CalendarDate(year: 2020, month: 1, day: 1),
                                             targets: targets, targetsFile: "t.csv", jobs: 2)
            inBand += result.scored.filter(\.inBand).count
            total += result.scored.count
        }
        // 120 observations, 90 % expected: binomial sd 3.3; with the years of one history correlated, allow 4 sd (≥ 94).
        print("backcast coverage: \(inBand) of \(total) inside the 90 % band")
        #expect(total == 120)
        #expect(inBand >= 94 && inBand <= 120, "\(inBand) of \(total)")
    }

    @Test func withFitAndCutoffTheYearsBeforeCalibrateAndTheRestAreScored() throws {
        let dir = try CalibrationTests.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let targets = try CalibrationTests.targets(metrics: ["casesOpened", "placementsStarted"], in: dir)
        let path = dir.appendingPathComponent("s.yaml")
        try CalibrationTests.scenario(opensCase: 0.3, fosterMean: 600, seed: 5, replications: 10).write(to: path, atomically: true, encoding: .utf8)
        let result = try BackcastJob.run(ScenarioRequest(path: path.path), from: CalendarDate(year: 2020, month: 1, day: 1), targets: targets,
                                         targetsFile: "t.csv", fit: ["screening.opensCase=0.1..0.9"], cutoff: 2022, jobs: 2)
        let p = try #require(result.calibration?.parameters.first)
        #expect(p.lower <= 0.5 && 0.5 <= p.upper, "\(p)")
        #expect(result.rows.filter(\.inSample).map(\.target.year).allSatisfy { $0 < 2022 })
        #expect(result.scored.count == 4 && result.scored.allSatisfy { $0.target.year >= 2022 })
        #expect(result.scenario.screening.opensCase == p.estimate)
        // Scored out of sample with the calibrated share, the forecast is within 10 % of the truth's means.
        #expect(result.meanAbsoluteRelativeError < 0.1, "\(result.meanAbsoluteRelativeError)")
    }

    @Test func theRunIsMovedToStartAtFromAndEndWithTheLastObservedYear() throws {
        let targets = [Target(year: 2013, metric: "placedEnd", value: 1), Target(year: 2015, metric: "placedEnd", value: 1)]
        #expect(try BackcastJob.overrides(from: CalendarDate(year: 2013, month: 1, day: 1), targets: targets)
                == ["simulation.start=2013-01-01", "simulation.years=3"])
        #expect(throws: CalibrationInputError.self) { try BackcastJob.overrides(from: CalendarDate(year: 2016, month: 1, day: 1), targets: targets) }
    }
}
