import Foundation
import Testing
import SagstalOutput
import SagstalRunner
import SagstalScenario
import SagstalStats

/// `--shard K/N` + `sagstal merge` give the files of the unsharded command, byte for byte
/// (docs/cluster.md), and merge refuses shards that are not the whole of one run.
@Suite struct ShardMergeTests {
    let example = scenariosFolder.appendingPathComponent("example.yaml").path

    func temporary(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sagstal-shard-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Every file under `a` and `b` (relative paths) but `run.json`, which records wall time.
    func assertSameFiles(_ a: URL, _ b: URL, _ comment: String) throws {
        func files(_ root: URL) -> [String] {
            let e = FileManager.default.enumerator(atPath: root.path)!
            return (e.allObjects as! [String]).filter { path in
                var isDir: ObjCBool = false
                FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDir)
                return !isDir.boolValue
            }.sorted()
        }
        let fa = files(a), fb = files(b)
        #expect(fa == fb, "\(comment): the same files")
        #expect(fa.contains("summary.json") || fa.contains("comparison.json") || fa.contains("sweep.csv") || fa.contains("batch.csv"))
        for f in fa where !f.hasSuffix("run.json") {
            let da = try Data(contentsOf: a.appendingPathComponent(f)), db = try Data(contentsOf: b.appendingPathComponent(f))
            #expect(da == db, "\(comment): \(f) differs")
        }
        // run.json records the same request.
        for f in fa where f.hasSuffix("run.json") {
            func request(_ root: URL) throws -> String {
                let text = try String(contentsOf: root.appendingPathComponent(f), encoding: .utf8)
                return String(text[text.range(of: "\"request\"")!.lowerBound...])
            }
            if f == "run.json" { #expect(try request(a) == request(b), "\(comment): run.json's request") }
        }
    }

    /// Runs every shard of `plan` and merges them (folders given in reverse order).
    func shardAndMerge(_ plan: ShardPlan, scenarios: [Scenario], count: Int, in dir: URL) throws -> URL {
        var folders: [URL] = []
        for k in 0..<count {
            let f = dir.appendingPathComponent("shard-\(k)")
            try ShardJob.run(plan, scenarios: scenarios, shard: ShardSpec(index: k, count: count), output: f, jobs: 2)
            folders.append(f)
        }
        let input = try MergeJob.load(folders.reversed())
        let out = dir.appendingPathComponent("merged")
        _ = try OutputFolder.replace(out) { try MergeJob.write(input, to: $0) }
        return out
    }

    @Test(arguments: [1, 2, 3, 7])
    func aShardedRunMergesToTheFilesOfOneRun(shards: Int) throws {
        let dir = try temporary("run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let loaded = try ScenarioRequest(path: example, replications: 7, years: 2).load()
        let request = RunJob.request(loaded, file: example)
        let single = dir.appendingPathComponent("single")
        _ = try RunJob.run(loaded, output: single, jobs: 2, request: request)
        let plan = ShardPlan.run(loaded, file: example, request: request, language: .en, dialect: .standard)
        let merged = try shardAndMerge(plan, scenarios: [loaded.scenario], count: shards, in: dir)
        try assertSameFiles(single, merged, "run, \(shards) shards")
    }

    @Test func aShardedRunInDanishWithExcelCSVsMergesToTheSameFiles() throws {
        let dir = try temporary("run-da")
        defer { try? FileManager.default.removeItem(at: dir) }
        let loaded = try ScenarioRequest(path: example, overrides: ["teams.east.cap=20"], replications: 5, seed: 9, years: 2).load()
        let request = RunJob.request(loaded, file: example)
        let single = dir.appendingPathComponent("single")
        _ = try RunJob.run(loaded, output: single, jobs: 1, language: .da, dialect: .excelDa, request: request)
        let plan = ShardPlan.run(loaded, file: example, request: request, language: .da, dialect: .excelDa)
        try assertSameFiles(single, try shardAndMerge(plan, scenarios: [loaded.scenario], count: 2, in: dir), "run da/excel-da")
    }

    @Test func aShardedCompareMergesToTheFilesOfOneCompare() throws {
        let dir = try temporary("compare")
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = ["aalborg-before.yaml", "aalborg-16-extra.yaml"].map { scenariosFolder.appendingPathComponent($0).path }
        let loaded = try CompareJob.load(files.map { ScenarioRequest(path: $0, replications: 6, years: 2) })
        let names = CompareJob.names(for: files)
        let request = CompareJob.request(loaded.scenarios, files: files, names: names)
        let single = dir.appendingPathComponent("single")
        try OutputFolder.replace(single) { staging in
            let result = try CompareJob.run(loaded.scenarios.map(\.scenario), names: names, jobs: 2)
            _ = try CompareJob.write(result, notes: loaded.notes, jobs: 2, to: staging, warnings: loaded.scenarios.map { $0.warnings.map(\.outputWarning) },
                                     sources: loaded.scenarios.map(\.sources), overrides: loaded.scenarios[0].overrides, request: request)
        }
        let plan = ShardPlan.compare(loaded.scenarios, names: names, notes: loaded.notes, request: request, language: .en, dialect: .standard)
        try assertSameFiles(single, try shardAndMerge(plan, scenarios: loaded.scenarios.map(\.scenario), count: 3, in: dir), "compare, 3 shards")
    }

    @Test func aShardedSweepMergesToTheFilesOfOneSweep() throws {
        let dir = try temporary("sweep")
        defer { try? FileManager.default.removeItem(at: dir) }
        let axes = [try SweepAxis(parsing: "teams.east.cap=20,30")]
        let base = ScenarioRequest(path: example, replications: 5, years: 2)
        let points = try SweepJob.load(base, axes: axes)
        let request = SweepJob.request(base, axes: axes, points: points)
        let single = dir.appendingPathComponent("single")
        try OutputFolder.replace(single) { staging in
            let result = try SweepJob.run(points.map(\.scenario), axes: axes, jobs: 2)
            try SweepJob.write(result, jobs: 2, to: staging, pointWarnings: points.map { $0.warnings.map(\.outputWarning) },
                               warnings: result.edgeWarnings.map(\.outputWarning), pointSources: points.map(\.sources),
                               overrides: base.allOverrides, request: request)
        }
        let plan = ShardPlan.sweep(points, axes: axes, overrides: base.allOverrides, strict: false, request: request, language: .en, dialect: .standard)
        try assertSameFiles(single, try shardAndMerge(plan, scenarios: points.map(\.scenario), count: 2, in: dir), "sweep, 2 shards")
    }

    func batchFile(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("m.csv").path
        try """
        id,name,children,notificationsPerYear,placedChildren,caseworkers,caseload.reference,source
        851,Aalborg,44000,5880,,,,FACTS §1
        810,Brønderslev,7300,,,,35,scaled
        657,Herning,18000,,180,20,,scaled

        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aShardedBatchMergesToTheFilesOfOneBatch() throws {
        let dir = try temporary("batch")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try batchFile(in: dir)
        let template = ScenarioRequest(path: scenariosFolder.appendingPathComponent("base/denmark.yaml").path, replications: 3, years: 1)
        let loaded = try BatchJob.load(rows: try BatchTable.read(path: file), file: file, template: template, referenceChildren: 10_000)
        let request = BatchJob.request(loaded.plan, overrides: template.allOverrides, scenarios: loaded.scenarios)
        let plan = BatchJob.shardPlan(loaded.plan, scenarios: loaded.scenarios, overrides: template.allOverrides, request: request,
                                      language: .en, dialect: .standard)
        let single = dir.appendingPathComponent("single")
        try OutputFolder.replace(single) { staging in
            let result = try BatchJob.run(loaded.plan, scenarios: loaded.scenarios.map(\.scenario), jobs: 2)
            try BatchJob.write(result, plan: plan, jobs: 2, to: staging)
        }
        try assertSameFiles(single, try shardAndMerge(plan, scenarios: loaded.scenarios.map(\.scenario), count: 3, in: dir), "batch, 3 shards")
        // The rows' values reached their scenarios.
        let s = loaded.scenarios.map(\.scenario)
        #expect(s[0].name == "Aalborg" && s[0].notifications.perYear == 5880)
        #expect(s[1].notifications.perYear == 960.7)              // 1316 × 7300 / 10000 = 960.68
        #expect(s[1].caseload.reference == 35)
        let placed = Set(s[2].ladder.filter(\.placement).map(\.id))
        #expect(s[2].initial.filter { placed.contains($0.step) }.reduce(0) { $0 + $1.count } == 180)
        #expect(s[2].teams.reduce(0) { $0 + $1.caseworkers } == 20)
        #expect(s[0].teams.reduce(0) { $0 + $1.caseworkers } == 62)   // 14 × 4.4 = 61.6
        // Sources say where the values come from: the batch file's line.
        let perYear = loaded.scenarios[1].sources.first { $0.path == "notifications.perYear" }
        #expect(perYear?.file == file && perYear?.line == 3)
    }

    // MARK: refusals

    func runShards(_ dir: URL, seed: UInt64 = 1, count: Int = 3, replications: Int = 6) throws -> [URL] {
        let loaded = try ScenarioRequest(path: example, replications: replications, seed: seed, years: 1).load()
        let plan = ShardPlan.run(loaded, file: example, request: RunJob.request(loaded, file: example), language: .en, dialect: .standard)
        return try (0..<count).map { k in
            let f = dir.appendingPathComponent("seed\(seed)-n\(count)-shard-\(k)")
            try ShardJob.run(plan, scenarios: [loaded.scenario], shard: ShardSpec(index: k, count: count), output: f, jobs: 1)
            return f
        }
    }

    func refusal(_ folders: [URL]) -> String {
        do {
            _ = try MergeJob.load(folders)
            return "accepted"
        } catch let e as ShardError {
            return e.description
        } catch {
            return "other error: \(error)"
        }
    }

    @Test func mergeRefusesGapsOverlapsAndShardsOfAnotherRun() throws {
        let dir = try temporary("refuse")
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try runShards(dir)
        #expect(refusal(a) == "accepted")
        #expect(refusal([a[0], a[2]]).contains("1 of 3 shards is missing: 1/3 (replications 2..<4)"))
        #expect(refusal([a[0], a[1], a[1], a[2]]).contains("shard 1/3 (replications 2..<4) is given twice"))
        let otherSeed = try runShards(dir, seed: 2)
        #expect(refusal([a[0], a[1], otherSeed[2]]).contains("seed 2 vs 1"))
        let otherSplit = try runShards(dir, count: 2)
        #expect(refusal([a[0], otherSplit[1]]).contains("split"))
        #expect(refusal([dir]).contains("has no shard.json"))
        #expect(refusal([dir.appendingPathComponent("nothing")]).contains("no such folder"))
        #expect(refusal([]).contains("at least one shard"))
    }

    @Test func mergeRefusesDamagedRecordsAndWritesNothing() throws {
        let dir = try temporary("damaged")
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try runShards(dir)
        let records = a[1].appendingPathComponent("records.bin")
        var data = try Data(contentsOf: records)
        data[100] ^= 0x01
        try data.write(to: records)
        let input = try MergeJob.load(a)          // sizes agree; the hash is checked while reading
        let out = dir.appendingPathComponent("merged")
        #expect(throws: ShardError.self) { _ = try OutputFolder.replace(out) { try MergeJob.write(input, to: $0) } }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        try data.prefix(data.count - 8).write(to: records)
        #expect(refusal(a).contains("records.bin has"))
    }

    @Test func shardsAreContiguousAndCoverEveryReplicationOnce() throws {
        for r in 1...40 {
            for n in 1...r {
                let ranges = (0..<n).map { ShardSpec(index: $0, count: n).range(replications: r) }
                #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == r)
                for (x, y) in zip(ranges, ranges.dropFirst()) { #expect(x.upperBound == y.lowerBound) }
                let sizes = ranges.map(\.count)
                #expect(sizes.max()! - sizes.min()! <= 1 && sizes.min()! >= 1)
            }
        }
        #expect(throws: ShardError.self) { try ShardSpec(parsing: "3/3") }
        #expect(throws: ShardError.self) { try ShardSpec(parsing: "-1/3") }
        #expect(throws: ShardError.self) { try ShardSpec(parsing: "1-3") }
        #expect(throws: ShardError.self) { try ShardSpec(parsing: "0/0") }
        #expect(try ShardSpec(parsing: " 2/7 ") == ShardSpec(index: 2, count: 7))
        let dir = try temporary("toomany")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: ShardError.tooManyShards(shards: 7, replications: 6)) { _ = try runShards(dir, count: 7) }
    }

    @Test func batchFilesWithProblemsAreRefusedWithTheirLineAndColumn() throws {
        let dir = try temporary("batchfile")
        defer { try? FileManager.default.removeItem(at: dir) }
        func problems(_ text: String) -> [String] {
            let path = dir.appendingPathComponent("bad.csv").path
            try? text.write(toFile: path, atomically: true, encoding: .utf8)
            do {
                _ = try BatchTable.read(path: path)
                return []
            } catch let e as BatchFileErrors {
                return e.errors.map { "\($0.line) \($0.column ?? "-") \($0.message)" }
            } catch { return ["\(error)"] }
        }
        #expect(problems("id,name,childern\n1,A,5\n").first?.contains("did you mean 'children'") == true)
        #expect(problems("id,name,children\n1,A,5.000.000\n").first?.hasPrefix("2 children expected a number") == true)
        #expect(problems("id,name\n1,A\n1,B\n").first?.contains("id 1 is used twice (first on line 2)") == true)
        #expect(problems("name\nA\n").first?.contains("missing column id") == true)
        #expect(problems("id,name,caseworkers\n1,A,2.5\n").first?.contains("whole number") == true)
        #expect(problems("id,name\n1,A\n2\n").first?.hasPrefix("3 - expected 2 fields, found 1") == true)
        #expect(problems("id;name;children\n1;A;12,5\n").isEmpty)   // Danish Excel: ';' and a decimal comma
    }
}
