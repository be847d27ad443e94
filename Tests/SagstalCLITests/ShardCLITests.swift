import Foundation
import Testing

/// `--shard K/N`, `sagstal merge` and `sagstal batch` as a user types them (docs/cluster.md, docs/batch.md).
@Suite struct ShardCLITests {
    func files(_ dir: URL) -> [String] {
        ((FileManager.default.enumerator(atPath: dir.path)?.allObjects as? [String]) ?? []).sorted()
    }

    @Test func shardsMergeFromTheCommandLineAndMergeRefusesAnIncompleteSet() throws {
        let dir = try CLITests.workspace(["s.yaml": CLITests.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let single = try CLITests.sagstal(["run", "s.yaml", "-n", "5", "-o", "single", "-q"], in: dir)
        #expect(single.status == 0, "\(single.stderr)")
        for k in 0..<3 {
            let r = try CLITests.sagstal(["run", "s.yaml", "-n", "5", "--shard", "\(k)/3", "-o", "shards/shard-\(k)"], in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("shard \(k)/3: replications"))
            #expect(files(dir.appendingPathComponent("shards/shard-\(k)")) == ["records.bin", "shard.json"])
        }
        let merged = try CLITests.sagstal(["merge", "shards/shard-2", "shards/shard-0", "shards/shard-1", "-o", "merged"], in: dir)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.contains("merged 3 shards of `run` (5 replications"))
        #expect(files(dir.appendingPathComponent("merged")) == files(dir.appendingPathComponent("single")))
        for f in files(dir.appendingPathComponent("single")) where f != "run.json" {
            #expect(FileManager.default.contents(atPath: dir.appendingPathComponent("single/\(f)").path)
                    == FileManager.default.contents(atPath: dir.appendingPathComponent("merged/\(f)").path), "\(f)")
        }
        let gap = try CLITests.sagstal(["merge", "shards/shard-0", "shards/shard-2", "-o", "gap"], in: dir)
        #expect(gap.status == 65)
        #expect(gap.stderr.contains("1 of 3 shards is missing: 1/3 (replications 1..<3)"))
        #expect(gap.stderr.contains("nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("gap").path))
    }

    @Test func badShardOptionsAreUsageErrors() throws {
        let dir = try CLITests.workspace(["s.yaml": CLITests.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        for (args, message) in [(["--shard", "3/3"], "K counts from 0"), (["--shard", "1-3"], "expected K/N"),
                                (["--shard", "0/9", "-n", "5"], "9 shards for 5 replications"),
                                (["--shard", "0/2", "--episodes"], "cannot be combined with --episodes")] {
            let r = try CLITests.sagstal(["run", "s.yaml", "-o", "out"] + args, in: dir)
            #expect(r.status == 64, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
        }
    }

    @Test func batchRunsEveryRowAndRefusesABadFileWithItsLine() throws {
        let dir = try CLITests.workspace([
            "s.yaml": CLITests.good,
            "m.csv": "id,name,children,teams.team.cap\n1,Alpha,5000,\n2,Beta,20000,30\n",
            "bad.csv": "id,name,children\n1,Alpha,5000\n2,Beta,20.000\n",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLITests.sagstal(["batch", "m.csv", "--template", "s.yaml", "--reference-children", "10000", "-n", "3"], in: dir)
        // -n is an override, so the folder name carries the overrides' hash (docs/outputs-and-exit-codes.md).
        #expect(r.stdout.contains("Wrote Outputs/batch-m-"))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("batch: 2 municipalities × 3 replications"))
        let out = try #require(try FileManager.default.contentsOfDirectory(at: dir.appendingPathComponent("Outputs"), includingPropertiesForKeys: nil)
            .first { $0.lastPathComponent.hasPrefix("batch-m-") })
        #expect(files(out).contains("1-alpha/summary.json") && files(out).contains("2-beta/report.html"))
        let csv = try String(contentsOf: out.appendingPathComponent("batch.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 3)
        #expect(csv.contains("\n2,Beta,,2-beta,20000,600,"))        // 300 × 20000 / 10000
        let resolved = try String(contentsOf: out.appendingPathComponent("2-beta/scenario.resolved.yaml"), encoding: .utf8)
        #expect(resolved.contains("cap: 30") && resolved.contains("caseworkers: 8"))
        #expect(try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8).contains("chart-ranked"))
        let bad = try CLITests.sagstal(["batch", "bad.csv", "--template", "s.yaml", "-o", "badout"], in: dir)
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("bad.csv:3: column 'children': expected a number"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("badout").path))
    }
}
