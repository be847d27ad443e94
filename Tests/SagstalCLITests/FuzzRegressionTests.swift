import Foundation
import Testing

/// Issue 9, build item 6: every minimised fuzzer finding in Tests/Fuzz/regressions/ is run
/// through the built `sagstal` as `validate FILE` and, when that accepts it, as
/// `run FILE -n 1 --years 1 --quiet -o DIR`. Each must end within the time limit, with an exit
/// code of the documented set (no crash), a refusal must be located (`file:line:col: error:`), and
/// a finished run's summary.json must have no null (non-finite) statistic.
/// The files sit in a copy of Scenarios/ so that `extends: base/denmark.yaml` resolves.
@Suite struct FuzzRegressionTests {
    static let documentedExitCodes: Set<Int32> = [0, 64, 65, 66, 70, 73, 74]
    /// Seconds one command may take (debug build); a hang is killed after this.
    static let timeLimit = 3.0
    /// Address-space limit of one command, so that an alias bomb cannot take the machine down.
    static let memoryLimitKB = 4 * 1024 * 1024

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var regressionFiles: [String] {
        let dir = repository.appendingPathComponent("Tests/Fuzz/regressions")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    struct Outcome {
        var status: Int32
        var signalled: Bool
        var timedOut: Bool
        var seconds: Double
        var stderr: String
    }

    /// Runs the binary under `sh -c 'ulimit -v …'` with output to files (no pipe to fill) and
    /// kills it at the time limit. Waits with `Task.sleep`, so the files' cases wait side by side.
    static func sagstal(_ args: [String], in dir: URL) async throws -> Outcome {
        let errURL = dir.appendingPathComponent("stderr-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let err = try FileHandle(forWritingTo: errURL)
        defer { try? err.close(); try? FileManager.default.removeItem(at: errURL) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "ulimit -v \(memoryLimitKB); exec \"$0\" \"$@\"", CLITests.binary.path] + args
        p.currentDirectoryURL = dir
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        p.environment = environment
        let start = Date()
        try p.run()
        var timedOut = false
        while p.isRunning {
            if Date().timeIntervalSince(start) > timeLimit {
                timedOut = true
                kill(p.processIdentifier, SIGKILL)
                break
            }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        p.waitUntilExit()
        let text = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return Outcome(status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal,
                       timedOut: timedOut, seconds: Date().timeIntervalSince(start), stderr: text)
    }

    static func located(_ stderr: String) -> Bool {
        stderr.split(separator: "\n").contains { line in
            line.range(of: #"^[^\s:][^:]*:\d+:\d+: error:"#, options: .regularExpression) != nil
        }
    }

    /// Checks one command's outcome; returns whether it exited 0.
    static func check(_ o: Outcome, _ what: String) -> Bool {
        let tail = String(o.stderr.suffix(600))
        #expect(!o.timedOut, "\(what): no exit within \(timeLimit) s (hang)")
        guard !o.timedOut else { return false }
        #expect(!o.signalled && Self.documentedExitCodes.contains(o.status),
                "\(what): crashed (\(o.signalled ? "signal" : "exit") \(o.status)): \(tail)")
        #expect(!o.stderr.contains("Fatal error"), "\(what): \(tail)")
        if !o.signalled && o.status != 0 {
            #expect(located(o.stderr), "\(what): refusal (exit \(o.status)) without file:line:col: \(tail)")
        }
        return !o.signalled && o.status == 0
    }

    @Test func thereAreRegressionInputs() {
        #expect(!Self.regressionFiles.isEmpty)
    }

    @Test(arguments: regressionFiles)
    func regressionInputEndsCleanly(_ name: String) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sagstal-fuzz-\(UUID().uuidString)")
        let scenarios = dir.appendingPathComponent("Scenarios")
        try FileManager.default.createDirectory(at: scenarios, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("Scenarios/base"),
                                         to: scenarios.appendingPathComponent("base"))
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("Tests/Fuzz/regressions/\(name)"),
                                         to: scenarios.appendingPathComponent(name))
        let v = try await Self.sagstal(["validate", "Scenarios/\(name)"], in: dir)
        guard Self.check(v, "\(name): validate") else { return }
        let r = try await Self.sagstal(["run", "Scenarios/\(name)", "-n", "1", "--years", "1", "--seed", "1",
                                  "-o", "out", "--quiet", "--jobs", "1"], in: dir)
        guard Self.check(r, "\(name): run") else { return }
        let summary = try Data(contentsOf: dir.appendingPathComponent("out/summary.json"))
        let json = try JSONSerialization.jsonObject(with: summary)
        let bad = Self.nonFinite(json, "")
        #expect(bad.isEmpty, "\(name): run wrote null/non-finite statistics in summary.json: \(bad.prefix(5))")
    }

    /// Paths of null (non-finite, as sagstal writes them) values in statistics with n > 0; a
    /// statistic with n = 0 is an empty ratio and null by design (docs/model.md).
    static func nonFinite(_ node: Any, _ path: String) -> [String] {
        if let map = node as? [String: Any] {
            if let n = map["n"] as? Double, n == 0 { return [] }
            return map.sorted { $0.key < $1.key }.flatMap { nonFinite($0.value, path.isEmpty ? $0.key : "\(path).\($0.key)") }
        }
        if let list = node as? [Any] { return list.enumerated().flatMap { nonFinite($0.element, "\(path)[\($0.offset)]") } }
        if node is NSNull { return [path] }
        if let x = node as? Double, !x.isFinite { return [path] }
        return []
    }
}
