import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 9, item 5 and rows 13, 14, 18: output folders replaced as a whole, the output checked
/// before simulating, SIGINT/SIGTERM, exit codes and option messages (docs/outputs-and-exit-codes.md).
@Suite struct OutputsAndExitCodesTests {
    typealias CLI = CLITests

    /// A started `sagstal` whose stdout and stderr go to files (so that it can be killed at any moment).
    struct Child {
        let process: Process
        let out: URL, err: URL
        func wait() -> (status: Int32, reason: Process.TerminationReason, stdout: String, stderr: String) {
            process.waitUntilExit()
            return (process.terminationStatus, process.terminationReason,
                    (try? String(contentsOf: out, encoding: .utf8)) ?? "", (try? String(contentsOf: err, encoding: .utf8)) ?? "")
        }
    }

    static func start(_ args: [String], in dir: URL) throws -> Child {
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = args
        p.currentDirectoryURL = dir
        let tag = UUID().uuidString
        let out = dir.appendingPathComponent("stdout-\(tag)"), err = dir.appendingPathComponent("stderr-\(tag)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        return Child(process: p, out: out, err: err)
    }

    /// Every file below `dir` (relative path → bytes), hidden ones included.
    static func snapshot(_ dir: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: dir.path) else { return files }
        while let rel = walker.nextObject() as? String {
            var isDir: ObjCBool = false
            let path = dir.appendingPathComponent(rel).path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue {
                files[rel] = FileManager.default.contents(atPath: path)
            }
        }
        return files
    }

    /// The snapshot without `run.json`'s contents (wall time and finishing time differ between runs).
    static func comparable(_ s: [String: Data]) -> [String: Data] {
        var s = s
        if s["run.json"] != nil { s["run.json"] = Data() }
        return s
    }

    static func hidden(in dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.contains(".sagstal-") }
    }

    // MARK: Row 13: the output is checked before simulating

    @Test func anOutputThatCannotBeCreatedExits73BeforeSimulating() throws {
        let dir = try CLI.workspace(["Scenarios/good.yaml": CLI.good, "notes.txt": "mine\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        var targets: [(String, String)] = [("notes.txt", "not a folder"), ("notes.txt/out", "notes.txt is not a folder"),
                                           ("Scenarios", "sagstal did not write it"), ("/", "not '/'")]
        if geteuid() == 0 {
            targets.append(("/proc/sagstal-test/out", "/proc"))  // root ignores permissions, not /proc
        } else {
            let ro = dir.appendingPathComponent("readonly")
            try FileManager.default.createDirectory(at: ro, withIntermediateDirectories: true)
            chmod(ro.path, 0o555)
            targets.append(("readonly/out", "Permission denied"))
        }
        for (target, reason) in targets {
            let started = Date()
            // 20,000 replications would take minutes: a quick answer means nothing was simulated.
            let r = try CLI.sagstal(["run", "Scenarios/good.yaml", "-n", "20000", "-o", target], in: dir)
            #expect(r.status == 73, "\(target): exit \(r.status), \(r.stderr)")
            #expect(Date().timeIntervalSince(started) < 10, "\(target): refused only after simulating")
            #expect(r.stderr.contains("error: ") && r.stderr.contains(reason), "\(target): \(r.stderr)")
            #expect(!r.stderr.contains("NSCocoaErrorDomain") && r.stdout.isEmpty, "\(target): \(r.stdout) \(r.stderr)")
        }
        #expect(try String(contentsOf: dir.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("Scenarios").path) == ["good.yaml"])
        let entries = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(!entries.contains("Outputs") && Self.hidden(in: dir).isEmpty, "\(entries)")
        for sub in ["compare", "sweep"] {
            let args = sub == "compare" ? ["compare", "Scenarios/good.yaml", "Scenarios/good.yaml"]
                                        : ["sweep", "Scenarios/good.yaml", "--vary", "teams.team.cap=20,30"]
            let r = try CLI.sagstal(args + ["-o", "notes.txt/out"], in: dir)
            #expect(r.status == 73, "\(sub): exit \(r.status), \(r.stderr)")
        }
    }

    // MARK: Item 5: atomic replacement

    @Test func compareAndSweepReplaceTheirWholeFolder() throws {
        let dir = try CLI.workspace(["Scenarios/good.yaml": CLI.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let three = try CLI.sagstal(["sweep", "Scenarios/good.yaml", "--vary", "teams.team.cap=20,25,30", "-n", "2", "-o", "s", "-q"], in: dir)
        #expect(three.status == 0, "\(three.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("s/point-002/summary.json").path))
        let two = try CLI.sagstal(["sweep", "Scenarios/good.yaml", "--vary", "teams.team.cap=20,25", "-n", "2", "-o", "s", "-q"], in: dir)
        #expect(two.status == 0, "\(two.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("s/point-002").path), "the old point-002 stays")
        for _ in 0..<2 {
            let c = try CLI.sagstal(["compare", "Scenarios/good.yaml", "Scenarios/good.yaml", "-n", "2", "-o", "c", "-q"], in: dir)
            #expect(c.status == 0, "\(c.stderr)")
        }
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("c").path))
                == ["comparison.json", "comparison.csv", "report.html", "run.json", "budget-difference.csv",
                    "budget-difference-excel-da.csv", "good", "good-2"])
        // A compare folder holds another run than a `run`: refused (a folder holds one run), replaced with --force.
        let refused = try CLI.sagstal(["run", "Scenarios/good.yaml", "-n", "2", "-o", "c", "-q"], in: dir)
        #expect(refused.status == 73 && refused.stderr.contains("different run"), "\(refused.stderr)")
        let r = try CLI.sagstal(["run", "Scenarios/good.yaml", "-n", "2", "-o", "c", "-q", "--force"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("c/comparison.json").path))
        #expect(Self.hidden(in: dir).isEmpty)
    }

    /// SIGKILL at random moments of a run that replaces an existing folder: the target is always
    /// exactly the old set of files or exactly the new one, and the next run removes the leftovers.
    @Test func aKilledRunLeavesTheOldOrTheNewFolderAndTheNextRunCleansUp() throws {
        let dir = try CLI.workspace(["Scenarios/good.yaml": CLI.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        // --force: the seeds alternate, so every run replaces a folder holding another run.
        let args = ["run", "Scenarios/good.yaml", "-n", "12", "--episodes", "-q", "-j", "2", "--force"]
        var sets: [String: [String: Data]] = [:]
        var duration = 0.0
        for seed in ["1", "2"] {
            let started = Date()
            let r = try CLI.sagstal(args + ["--seed", seed, "-o", "ref-\(seed)"], in: dir)
            duration = max(duration, Date().timeIntervalSince(started))
            #expect(r.status == 0, "\(r.stderr)")
            sets[seed] = Self.comparable(Self.snapshot(dir.appendingPathComponent("ref-\(seed)")))
        }
        #expect(sets["1"] != sets["2"] && sets["1"]!.count == 10)   // with budget.csv and budget-excel-da.csv
        let target = dir.appendingPathComponent("out")
        try FileManager.default.copyItem(at: dir.appendingPathComponent("ref-1"), to: target)
        var current = "1"
        var outcomes: [String: Int] = [:]
        var leftovers = 0
        var rng = SystemRandomNumberGenerator()
        // Kill at uniform random moments over 1.4 × the run's duration (some runs finish, some are killed while swapping).
        let longest = UInt32(min(max(duration, 0.2), 2) * 1.4e6)
        for _ in 0..<20 {
            let next = current == "1" ? "2" : "1"
            let child = try Self.start(args + ["--seed", next, "-o", "out"], in: dir)
            usleep(UInt32.random(in: 0...longest, using: &rng))
            kill(child.process.processIdentifier, SIGKILL)
            let r = child.wait()
            let now = Self.comparable(Self.snapshot(target))
            if !Self.hidden(in: dir).isEmpty { leftovers += 1 }
            if now == sets[current] {
                outcomes[r.reason == .uncaughtSignal ? "killed, old folder" : "finished, old folder?!", default: 0] += 1
            } else if now == sets[next] {
                outcomes[r.reason == .uncaughtSignal ? "killed, new folder" : "finished, new folder", default: 0] += 1
                current = next
            } else {
                Issue.record("after a kill the target is neither the old nor the new set: \(now.keys.sorted())")
                return
            }
        }
        // One run more: whatever the kills left behind in the parent is removed.
        let r = try CLI.sagstal(args + ["--seed", current, "-o", "out"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.hidden(in: dir).isEmpty, "leftovers: \(Self.hidden(in: dir))")
        #expect(Self.comparable(Self.snapshot(target)) == sets[current])
        print("kill test (20 SIGKILLs over \(longest / 1000) ms, run \(Int(duration * 1000)) ms): \(outcomes.sorted { $0.key < $1.key }), "
              + "\(leftovers) times a hidden folder was left (all removed by the next run)")
        #expect(outcomes["finished, old folder?!"] == nil)
    }

    // MARK: Row 14: SIGINT and SIGTERM

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func aSignalStopsTheRunLeavesTheTargetAndExits(signal: Int32, code: Int32) throws {
        let dir = try CLI.workspace(["Scenarios/good.yaml": CLI.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try CLI.sagstal(["run", "Scenarios/good.yaml", "-o", "out", "-q"], in: dir)
        #expect(first.status == 0)
        let before = Self.snapshot(dir.appendingPathComponent("out"))
        for command in [["run", "Scenarios/good.yaml", "--episodes"], ["compare", "Scenarios/good.yaml", "Scenarios/good.yaml"],
                        ["sweep", "Scenarios/good.yaml", "--vary", "teams.team.cap=20,30"]] {
            let child = try Self.start(command + ["-n", "20000", "-o", "out", "--force"], in: dir)
            // Wait until the run is under way (its hidden folder exists), at most 10 s.
            let deadline = Date().addingTimeInterval(10)
            while Self.hidden(in: dir).isEmpty && Date() < deadline { usleep(10_000) }
            usleep(200_000)
            let started = Date()
            kill(child.process.processIdentifier, signal)
            let r = child.wait()
            #expect(r.status == code, "\(command[0]): exit \(r.status), \(r.stderr)")
            #expect(Date().timeIntervalSince(started) < 5, "\(command[0]) took long to stop")
            #expect(r.stderr.hasSuffix("interrupted; \(dir.appendingPathComponent("out").path) left as it was\n"), "\(r.stderr)")
            #expect(Self.snapshot(dir.appendingPathComponent("out")) == before, "\(command[0]) changed the target")
            #expect(Self.hidden(in: dir).isEmpty, "\(command[0]) left \(Self.hidden(in: dir))")
        }
    }

    // MARK: Exit 66 and row 18

    @Test func aMissingScenarioFileExits66WithTheLocatedMessage() throws {
        let dir = try CLI.workspace(["Scenarios/good.yaml": CLI.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        for args in [["run", "Scenarios/nope.yaml"], ["validate", "Scenarios/nope.yaml"],
                     ["compare", "Scenarios/good.yaml", "Scenarios/nope.yaml"],
                     ["sweep", "Scenarios/nope.yaml", "--vary", "teams.team.cap=20"], ["run", "Scenarios"]] {
            let r = try CLI.sagstal(args, in: dir)
            #expect(r.status == 66, "\(args): exit \(r.status)")
            #expect(r.stderr.contains("\(args.last == "Scenarios" ? "Scenarios" : "Scenarios/nope.yaml"): error: the scenario file"), "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Outputs").path))
    }

    @Test func badOptionValuesAreNamedAndExit64() throws {
        let dir = try CLI.workspace(["Scenarios/good.yaml": CLI.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [([String], String)] = [
            (["--seed", "-1"], "--seed: expected a whole number from 0 to 18446744073709551615, found '-1'"),
            (["--seed", "1.5"], "--seed: expected a whole number from 0 to 18446744073709551615, found '1.5'"),
            (["-n", "-1"], "-n/--replications: expected a whole number from 1 to 1000000, found '-1'"),
            (["--replications", "0"], "-n/--replications: expected a whole number from 1 to 1000000, found '0'"),
            (["--years", "inf"], "--years: expected a finite number of years > 0 (at most 100), found 'inf'"),
            (["--years", "-2"], "--years: expected a finite number of years > 0 (at most 100), found '-2'"),
            (["--years", "nan"], "--years: expected a finite number of years > 0 (at most 100), found 'nan'"),
            (["--years", "101"], "--years: expected a finite number of years > 0 (at most 100), found '101'"),
            (["-j", "-1"], "-j/--jobs: expected a whole number ≥ 1, found '-1'"),
        ]
        for (options, message) in cases {
            let r = try CLI.sagstal(["run", "Scenarios/good.yaml", "-o", "out"] + options, in: dir)
            #expect(r.status == 64, "\(options): exit \(r.status)")
            #expect(r.stderr.contains("Error: " + message), "\(options): \(r.stderr)")
            #expect(!r.stderr.contains("<--set>") && !r.stderr.contains("Missing value"), "\(r.stderr)")
        }
        let ok = try CLI.sagstal(["run", "Scenarios/good.yaml", "-o", "out", "--seed", "18446744073709551615", "-n", "2",
                                  "--years", "0.5", "-q"], in: dir)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Outputs").path))
    }

    @Test func theExitCodesAreInTheTopLevelHelp() throws {
        let dir = try CLI.workspace([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.sagstal(["--help"], in: dir)
        for code in ["0 ", "64", "65", "66", "70", "73", "74", "130", "143"] {
            #expect(r.stdout.contains("\n  \(code)"), "--help lacks exit code \(code)")
        }
    }
}

/// Small CLI behaviours of issue 13: a bare `sagstal` is a usage error, a mistyped scenario name
/// gets the nearest file, and the completion script completes scenario files.
@Suite struct CLIEdgeTests {
    @Test func bareSagstalPrintsTheOverviewAndExits64() throws {
        let dir = try CLITests.workspace([:])
        let r = try CLITests.sagstal([], in: dir)
        #expect(r.status == 64 && r.stderr.contains("OVERVIEW:") && r.stderr.contains("SUBCOMMANDS:"), "\(r.status) \(r.stderr)")
    }

    @Test func aMistypedScenarioNameGetsTheNearestFile() throws {
        let dir = try CLITests.workspace(["Scenarios/example.yaml": CLITests.good])
        let r = try CLITests.sagstal(["run", "Scenarios/exmaple.yaml"], in: dir)
        #expect(r.status == 66)
        #expect(r.stderr.contains("Scenarios/exmaple.yaml: error: the scenario file does not exist (did you mean Scenarios/example.yaml?)"), "\(r.stderr)")
    }

    @Test func theCompletionScriptCompletesScenarioFiles() throws {
        let dir = try CLITests.workspace([:])
        let r = try CLITests.sagstal(["--generate-completion-script", "bash"], in: dir)
        #expect(r.status == 0 && r.stdout.contains("yaml"), "\(r.stdout.prefix(300))")
    }
}
