import Foundation
import Testing
import SagstalStats
@testable import SagstalOutput

/// The metric names of MODEL.md §8 (as in the contract checker), per ladder step too.
let baseMetrics = [
    "notifications", "renotifications", "renotificationEscalations", "screenedOut",
    "outreachCourses", "outreachResolved", "casesOpened", "assessmentsCompleted",
    "deadlineBreaches", "assignments", "waitDaysMean", "waitedShare", "waitingMean",
    "unassignedMean", "openCasesEnd", "placementsStarted", "placementChanges",
    "casesClosed", "agedOut", "placedChildYears", "placedEnd", "caseloadMean",
    "overCapShare", "caseworkersMean", "leavers", "hires", "vacancyYears",
    "cost.total", "cost.staff", "cost.interventions", "cost.assessments",
    "cost.recruitment", "cost.outreach", "cost.oneOff",
]
let steps = ["home-support", "foster-care", "institution"]
let contractLayout = MetricLayout(
    periodMetrics: baseMetrics + steps.flatMap { s in
        ["step.\(s).entries", "step.\(s).childYears", "step.\(s).end", "cost.step.\(s)"]
    },
    totalsOnlyMetrics: ["cost.npv"],
    yearLabels: ["2026", "2027"],
    monthLabels: (0..<24).map { String(format: "%04d-%02d", 2026 + $0 / 12, $0 % 12 + 1) })

let resolvedYAML = """
    # sagstal 0.1.0, seed 20260101
    name: "Test, kommune"
    ladder:
      - id: home-support
      - id: foster-care
      - id: institution

    """

/// A synthetic run: `waitDaysMean` is empty in every replication (nulls), `caseloadMean`
/// in some; the other values are deterministic pseudo-random numbers.
func syntheticRun(replications n: Int = 6) throws -> AggregatedRun {
    let layout = contractLayout
    let agg = try RunAggregator(layout: layout, replications: n)
    let m = layout.periodMetrics.count
    let emptyIndex = layout.periodMetrics.firstIndex(of: "waitDaysMean")!
    let someIndex = layout.periodMetrics.firstIndex(of: "caseloadMean")!
    func value(_ r: Int, _ j: Int, _ salt: Int) -> Double {
        if j == emptyIndex { return .nan }
        if j == someIndex && r % 2 == 0 { return .nan }
        let x = Double((r * 7919 + j * 104_729 + salt * 15_485_863) % 10_007)
        return j % 3 == 0 ? x : x / 7
    }
    for r in (0..<n).reversed() {
        try agg.add(ReplicationRecord(
            replication: r,
            totals: (0..<layout.totalsMetrics.count).map { value(r, $0, 0) },
            yearly: (0..<(layout.yearLabels.count * m)).map { value(r, $0 % m, 1 + $0 / m) },
            monthly: (0..<(layout.monthLabels.count * m)).map { value(r, $0 % m, 100 + $0 / m) },
            eventsProcessed: 10_000 + r))
    }
    return try agg.finish()
}

func metadata(for run: AggregatedRun, wall: Double = 1.25, jobs: Int = 2) -> RunMetadata {
    RunMetadata(scenarioName: "Test, kommune \"æøå\"", seed: 20_260_101, replications: run.replications, years: 2,
                tool: ToolInfo(name: "sagstal", version: "0.1.0", gslVersion: "2.7.1", generator: "mt19937"),
                eventsProcessed: run.eventsProcessed, wallSeconds: wall, jobs: jobs)
}

/// A fresh, not yet existing directory under the system's temporary directory.
func temporaryDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("sagstal-out-\(UUID().uuidString)")
}

/// Splits CSV text (as written by `CSV`) into rows of fields, honouring RFC 4180 quotes.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var inQuotes = false
    var chars = Array(text)[...]
    while let c = chars.popFirst() {
        if inQuotes {
            if c == "\"" {
                if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { inQuotes = false }
            } else { field.append(c) }
        } else if c == "\"" {
            inQuotes = true
        } else if c == "," {
            row.append(field); field = ""
        } else if c == "\n" {
            row.append(field); rows.append(row); row = []; field = ""
        } else {
            field.append(c)
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}

/// The essential checks of the output contract (MODEL.md §8), in Swift.
func checkContract(_ dir: URL, layout: MetricLayout, replications: Int) throws {
    for f in RunWriter.contractFiles + [RunWriter.runFile] {
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path), "missing \(f)")
    }
    let data = try Data(contentsOf: dir.appendingPathComponent("summary.json"))
    let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    for key in ["scenario", "replications", "seed", "years", "tool", "totals", "yearly", "eventsProcessed"] {
        #expect(summary[key] != nil, "summary.json: missing \(key)")
    }
    #expect(summary["replications"] as? Int == replications)
    let tool = try #require(summary["tool"] as? [String: Any])
    #expect(Set(tool.keys) == ["name", "version", "gsl", "generator", "entityGenerator", "seedHash"])

    func checkStat(_ where_: String, _ stat: Any?) {
        guard let stat = stat as? [String: Any] else {
            Issue.record("\(where_): missing or not an object")
            return
        }
        for k in ["n", "mean", "sd", "ci95", "p5", "p50", "p95"] where stat[k] == nil {
            Issue.record("\(where_): missing \(k)")
        }
        guard let mean = stat["mean"] as? Double else {
            #expect(stat["mean"] is NSNull, "\(where_): mean must be a number or null")
            return
        }
        guard let ci = stat["ci95"] as? [Double], ci.count == 2 else {
            Issue.record("\(where_): ci95 must be [lo, hi]")
            return
        }
        #expect(ci[0] <= mean && mean <= ci[1], "\(where_): mean \(mean) outside \(ci)")
        if let sd = stat["sd"] as? Double { #expect(sd >= 0, "\(where_): negative sd") }
    }
    let totals = try #require(summary["totals"] as? [String: Any])
    #expect(totals.count == layout.totalsMetrics.count)
    for m in layout.totalsMetrics { checkStat("totals.\(m)", totals[m]) }
    let yearly = try #require(summary["yearly"] as? [[String: Any]])
    #expect(yearly.count == layout.yearLabels.count)
    for (y, entry) in yearly.enumerated() {
        #expect(entry["year"] as? Int == Int(layout.yearLabels[y]))
        let metrics = try #require(entry["metrics"] as? [String: Any])
        #expect(metrics.count == layout.periodMetrics.count)
        for m in layout.periodMetrics { checkStat("yearly \(layout.yearLabels[y]).\(m)", metrics[m]) }
    }
    let tail = ["metric", "mean", "sd", "ci95_lo", "ci95_hi", "p5", "p50", "p95"]
    for (file, first, labels) in [("yearly.csv", "year", layout.yearLabels), ("monthly.csv", "month", layout.monthLabels)] {
        let rows = parseCSV(try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8))
        #expect(rows.first == [first] + tail, "\(file) header")
        #expect(rows.count == 1 + labels.count * layout.periodMetrics.count, "\(file) rows")
        #expect(rows.dropFirst().allSatisfy { $0.count == 9 })
        #expect(rows.dropFirst().map { $0[0] } == labels.flatMap { Array(repeating: $0, count: layout.periodMetrics.count) })
    }
    let reps = parseCSV(try String(contentsOf: dir.appendingPathComponent("replications.csv"), encoding: .utf8))
    #expect(reps.first == ["replication"] + layout.totalsMetrics)
    #expect(reps.count == 1 + replications)
    #expect(reps.dropFirst().map { $0[0] } == (0..<replications).map(String.init))
}

@Suite struct RunWriterTests {
    @Test func writesTheContractFiles() throws {
        let run = try syntheticRun()
        let root = temporaryDirectory()
        let dir = root.appendingPathComponent("nested/Outputs/Test")
        defer { try? FileManager.default.removeItem(at: root) }
        try RunWriter.write(run, metadata: metadata(for: run), resolvedYAML: resolvedYAML, to: dir)
        try checkContract(dir, layout: contractLayout, replications: run.replications)
        #expect(try String(contentsOf: dir.appendingPathComponent("scenario.resolved.yaml"), encoding: .utf8) == resolvedYAML)
        // Only the six files: no temporary file left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(names == (RunWriter.contractFiles + [RunWriter.runFile]).sorted())

        // Optional: keep a copy for the external contract checker.
        if let keep = ProcessInfo.processInfo.environment["SAGSTAL_TEST_OUTPUT_DIR"] {
            try RunWriter.write(run, metadata: metadata(for: run), resolvedYAML: resolvedYAML,
                                to: URL(fileURLWithPath: keep))
        }
    }

    @Test func summaryJSONContents() throws {
        let run = try syntheticRun()
        let text = RunWriter.summaryJSON(run, metadata: metadata(for: run))
        #expect(text.hasSuffix("}\n"))
        #expect(!text.contains("nan") && !text.contains("inf"))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(summary["scenario"] as? String == "Test, kommune \"æøå\"")
        #expect(summary["seed"] as? Int == 20_260_101)
        #expect(summary["eventsProcessed"] as? Int == run.eventsProcessed)
        let totals = try #require(summary["totals"] as? [String: Any])
        // All replications empty → nulls, n = 0.
        let empty = try #require(totals["waitDaysMean"] as? [String: Any])
        #expect(empty["n"] as? Int == 0)
        for k in ["mean", "sd", "p5", "p50", "p95"] { #expect(empty[k] is NSNull, "\(k)") }
        #expect((empty["ci95"] as? [Any])?.allSatisfy { $0 is NSNull } == true)
        // Some replications empty → fewer values.
        let some = try #require(totals["caseloadMean"] as? [String: Any])
        #expect(some["n"] as? Int == run.replications / 2)
        // Values round-trip exactly.
        let notifications = try #require(totals["notifications"] as? [String: Any])
        #expect(notifications["mean"] as? Double == run.totals[0].mean)
        #expect(notifications["p95"] as? Double == run.totals[0].p95)
        // Keys in layout order.
        var last = text.startIndex
        for m in contractLayout.totalsMetrics {
            let r = try #require(text.range(of: "\"\(m)\": {", range: last..<text.endIndex), "\(m) out of order")
            last = r.upperBound
        }
        #expect(text.contains("\"year\": 2026,"))
        #expect(text.contains("\"ci95\": ["))
    }

    @Test func csvNullsAndRows() throws {
        let run = try syntheticRun()
        let yearly = parseCSV(RunWriter.periodCSV(run, monthly: false))
        let row = try #require(yearly.first { $0[0] == "2026" && $0[1] == "waitDaysMean" })
        #expect(row.dropFirst(2).allSatisfy { $0.isEmpty })
        let monthly = parseCSV(RunWriter.periodCSV(run, monthly: true))
        #expect(monthly[1][0] == "2026-01" && monthly.last?[0] == "2027-12")
        let reps = parseCSV(RunWriter.replicationsCSV(run))
        let col = try #require(reps[0].firstIndex(of: "waitDaysMean"))
        #expect(reps.dropFirst().allSatisfy { $0[col].isEmpty })
        let npv = try #require(reps[0].firstIndex(of: "cost.npv"))
        #expect(reps.dropFirst().allSatisfy { Double($0[npv]) != nil })
    }

    @Test func sameRunGivesIdenticalBytes() throws {
        let a = temporaryDirectory(), b = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let run1 = try syntheticRun(), run2 = try syntheticRun()
        try RunWriter.write(run1, metadata: metadata(for: run1, wall: 1, jobs: 1), resolvedYAML: resolvedYAML, to: a,
                            finishedAt: Date(timeIntervalSince1970: 0))
        try RunWriter.write(run2, metadata: metadata(for: run2, wall: 9, jobs: 4), resolvedYAML: resolvedYAML, to: b)
        for f in RunWriter.contractFiles {
            let x = try Data(contentsOf: a.appendingPathComponent(f)), y = try Data(contentsOf: b.appendingPathComponent(f))
            #expect(x == y, "\(f) differs")
        }
        // Writing again over an existing folder replaces the files.
        try RunWriter.write(run1, metadata: metadata(for: run1), resolvedYAML: "name: other\n", to: a)
        #expect(try String(contentsOf: a.appendingPathComponent("scenario.resolved.yaml"), encoding: .utf8) == "name: other\n")
    }

    @Test func runJSON() throws {
        let run = try syntheticRun()
        let text = RunWriter.runJSON(metadata(for: run, wall: 2, jobs: 3), finishedAt: Date(timeIntervalSince1970: 1_767_225_600))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(json["finishedAt"] as? String == "2026-01-01T00:00:00Z")
        #expect(json["jobs"] as? Int == 3)
        #expect(json["wallSeconds"] as? Double == 2)
        #expect(json["eventsProcessed"] as? Int == run.eventsProcessed)
        #expect(json["eventsPerSecond"] as? Double == Double(run.eventsProcessed) / 2)
        let zero = RunWriter.runJSON(metadata(for: run, wall: 0), finishedAt: Date())
        #expect(zero.contains("\"eventsPerSecond\": null"))
    }
}

@Suite struct FormattingTests {
    @Test func numbers() {
        #expect(NumberFormat.json(3) == "3")
        #expect(NumberFormat.json(-2) == "-2")
        #expect(NumberFormat.json(0.1) == "0.1")
        #expect(NumberFormat.json(1e-5) == "1e-05")
        #expect(NumberFormat.json(1e300) == "1e+300")
        #expect(NumberFormat.json(.nan) == "null")
        #expect(NumberFormat.json(.infinity) == "null")
        #expect(NumberFormat.csv(-.infinity) == nil)
        for x in [0.1, 1.0 / 3, 123_456.789, 1e-5, 1e300, 9_007_199_254_740_993.0, -0.0] {
            #expect(Double(NumberFormat.json(x)) == x, "\(x) round-trips")
            // CSV: 12 significant digits at most, within 10⁻¹² relative.
            let c = Double(NumberFormat.csv(x)!)!
            #expect(abs(c - x) <= 1e-12 * abs(x), "\(x) in CSV")
        }
        // Floating-point noise does not reach a CSV cell.
        #expect(NumberFormat.csv(31.049999999999997) == "31.05")
        #expect(NumberFormat.csv(0.1 + 0.2) == "0.3" && NumberFormat.json(0.1 + 0.2) == "0.30000000000000004")
        #expect(NumberFormat.csv(1.0 / 3) == "0.333333333333" && NumberFormat.csv(0.0312500000000004) == "0.03125")
        #expect(NumberFormat.csv(2.5e-7) == "2.5e-07" && NumberFormat.csv(1234.5) == "1234.5")
    }

    @Test func jsonEscaping() throws {
        let s = "quote \" backslash \\ newline \n tab \t bell \u{07} æøå 🎈"
        let text = JSONValue.array([.string(s)]).prettyPrinted()
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
        #expect(parsed == [s])
        #expect(text.contains("\\u0007"))
    }

    @Test func prettyPrinting() {
        let v = JSONValue.object([("a", .integer(1)), ("b", .array([.number(1.5), .null])), ("c", .object([])),
                                  ("d", .array([.object([("x", .bool(true))])]))])
        #expect(v.prettyPrinted() == """
            {
              "a": 1,
              "b": [1.5, null],
              "c": {},
              "d": [
                {
                  "x": true
                }
              ]
            }

            """)
    }

    @Test func csvQuoting() {
        #expect(CSV.field("plain") == "plain")
        #expect(CSV.field("a,b") == "\"a,b\"")
        #expect(CSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.field("two\nlines") == "\"two\nlines\"")
        #expect(CSV.line(["x", "", "y,z"]) == "x,,\"y,z\"\n")
        #expect(parseCSV(CSV.line(["a\"b", "c,d", ""])) == [["a\"b", "c,d", ""]])
    }
}

@Suite struct AtomicFileTests {
    @Test func writesAndReplaces() throws {
        let dir = temporaryDirectory()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("f.txt")
        try AtomicFile.write(Data("one".utf8), to: url)
        try AtomicFile.write(Data("two".utf8), to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["f.txt"])
    }

    @Test func failureLeavesNothing() throws {
        let dir = temporaryDirectory()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.txt")
        let bad = dir.appendingPathComponent("no-such-dir/bad.txt")
        #expect(throws: OutputError.self) {
            try AtomicFile.write([(good, Data("x".utf8)), (bad, Data("y".utf8))])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
