import Foundation
import Testing
@testable import SagstalOutput

/// Issue 10 part 5: a folder holds one run (`OutputFolder.checkReplaceable`) and the default
/// folders of runs with overrides (`OutputNaming`).
@Suite struct OutputRequestTests {
    static let yaml = "# Resolved by sagstal 0.2.0. Rerun: sagstal run <this file>\n# seed: 1\nname: x\nteams:\n  - id: a\n    cap: 25\n"

    func request(_ overrides: [String] = [], file: String = "Scenarios/x.yaml", command: String = "run",
                 yaml: String = OutputRequestTests.yaml) -> OutputRequest {
        OutputRequest(command: command, scenarioFiles: [file], overrides: overrides, resolved: ["scenario.resolved.yaml": yaml])
    }

    /// Writes a folder as `run` would: the resolved scenario, summary.json and run.json with the request.
    func write(_ r: OutputRequest, to dir: URL) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in r.resolved { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        try "{}\n".write(to: dir.appendingPathComponent("summary.json"), atomically: true, encoding: .utf8)
        try RunWriter.runJSON(wallSeconds: 1, jobs: 1, eventsProcessed: 10, request: r)
            .write(to: dir.appendingPathComponent("run.json"), atomically: true, encoding: .utf8)
    }

    @Test func aMissingEmptyOrForeignFolderIsNew() throws {
        let parent = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        #expect(try OutputFolder.checkReplaceable(parent.appendingPathComponent("none"), by: request(), force: false) == .new)
        let empty = parent.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(try OutputFolder.checkReplaceable(empty, by: request(), force: false) == .new)
        // Not sagstal's: OutputFolder.init refuses it later, with its own message.
        try "mine".write(to: empty.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        #expect(try OutputFolder.checkReplaceable(empty, by: request(), force: false) == .new)
    }

    @Test func theSameRequestOrTheSameResolvedScenarioMayReplaceTheFolder() throws {
        let dir = temporaryDirectory().appendingPathComponent("out")
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        try write(request(["teams.a.cap=25"]), to: dir)
        #expect(try OutputFolder.checkReplaceable(dir, by: request(["teams.a.cap=25"]), force: false) == .sameRequest)
        #expect(try OutputFolder.checkReplaceable(dir, by: request([" teams.a.cap=25"], file: "./Scenarios/x.yaml"), force: false) == .sameRequest)
        // The file was edited: the same request still may replace it.
        let edited = Self.yaml.replacingOccurrences(of: "cap: 25", with: "cap: 30")
        #expect(try OutputFolder.checkReplaceable(dir, by: request(["teams.a.cap=25"], yaml: edited), force: false) == .sameRequest)
        // Other overrides giving the same resolved scenario (a newer tool version in the header): the same run.
        let newer = Self.yaml.replacingOccurrences(of: "0.2.0", with: "0.3.0")
        #expect(try OutputFolder.checkReplaceable(dir, by: request(["teams.0.cap=25"], yaml: newer), force: false) == .sameRun)
    }

    @Test func anotherRunIsRefusedUnlessForcedAndNothingChanges() throws {
        let dir = temporaryDirectory().appendingPathComponent("out")
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        try write(request(), to: dir)
        let before = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        let other = request(["teams.a.cap=30"], yaml: Self.yaml.replacingOccurrences(of: "cap: 25", with: "cap: 30"))
        do {
            try OutputFolder.checkReplaceable(dir, by: other, force: false)
            Issue.record("not refused")
        } catch let OutputError.holdsAnotherRun(path, reason) {
            #expect(path == dir.path)
            #expect(reason.contains("it holds `sagstal run Scenarios/x.yaml`, this is `sagstal run Scenarios/x.yaml --set teams.a.cap=30`"))
            #expect(reason.contains("scenario.resolved.yaml differs at line 6: 'cap: 25' there, 'cap: 30' here"), "\(reason)")
            #expect(OutputError.holdsAnotherRun(path: path, reason: reason).description.contains("add --force to replace it"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == before)
        guard case .forced(let why) = try OutputFolder.checkReplaceable(dir, by: other, force: true) else {
            Issue.record("--force does not replace it")
            return
        }
        #expect(why.contains("differs at line 6"))
        // Another command (a compare) into a run's folder, and another file.
        let compare = OutputRequest(command: "compare", scenarioFiles: ["Scenarios/x.yaml", "Scenarios/x.yaml"], overrides: [],
                                    resolved: ["x/scenario.resolved.yaml": Self.yaml, "x-2/scenario.resolved.yaml": Self.yaml])
        #expect(throws: OutputError.self) { try OutputFolder.checkReplaceable(dir, by: compare, force: false) }
        #expect(throws: OutputError.self) {
            try OutputFolder.checkReplaceable(dir, by: request(file: "Scenarios/y.yaml", yaml: Self.yaml + "x: 1\n"), force: false)
        }
    }

    @Test func aFolderWithoutARecordedRequestIsComparedByItsResolvedScenarios() throws {
        let dir = temporaryDirectory().appendingPathComponent("old")
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("point-000"), withIntermediateDirectories: true)
        try "sweep".write(to: dir.appendingPathComponent("sweep.csv"), atomically: true, encoding: .utf8)
        try Self.yaml.write(to: dir.appendingPathComponent("point-000/scenario.resolved.yaml"), atomically: true, encoding: .utf8)
        let same = OutputRequest(command: "sweep", scenarioFiles: ["x.yaml"], overrides: [],
                                 resolved: ["point-000/scenario.resolved.yaml": Self.yaml])
        #expect(try OutputFolder.checkReplaceable(dir, by: same, force: false) == .sameRun)
        var more = same
        more.resolved["point-001/scenario.resolved.yaml"] = Self.yaml
        #expect(throws: OutputError.self) { try OutputFolder.checkReplaceable(dir, by: more, force: false) }
    }

    @Test func runJSONRecordsTheRequest() throws {
        let text = RunWriter.runJSON(wallSeconds: 2, jobs: 1, eventsProcessed: 4, finishedAt: Date(timeIntervalSince1970: 0),
                                     request: OutputRequest(command: "sweep", scenarioFiles: ["a.yaml"], overrides: ["x=1"],
                                                            details: ["--vary y=1,2"], resolved: ["p/scenario.resolved.yaml": "z"]))
        #expect(text.hasSuffix("""
          "request": {
            "command": "sweep",
            "scenarios": ["a.yaml"],
            "overrides": ["x=1"],
            "details": ["--vary y=1,2"]
          }
        }

        """))
        #expect(!RunWriter.runJSON(wallSeconds: 2, jobs: 1, eventsProcessed: 4).contains("request"))
    }

    @Test func defaultFolderNamesOfRunsWithOverrides() {
        #expect(OutputNaming.folderName("aalborg-before", overrides: []) == "aalborg-before")
        let name = OutputNaming.folderName("aalborg-before", overrides: ["caseload.elasticity.escalate=0"])
        #expect(name.hasPrefix("aalborg-before-") && name.count == "aalborg-before-".count + 8)
        // Stable: FNV-1a 64 of the texts joined by newlines (a fixed value, so that a change of the rule is noticed).
        #expect(OutputNaming.hash(["simulation.seed=7"]) == OutputNaming.hash([" simulation.seed=7 "]))
        #expect(OutputNaming.hash(["a=1", "b=2"]) != OutputNaming.hash(["b=2", "a=1"]))
        #expect(OutputNaming.hash([]) == "cbf29ce4")
        #expect(OutputNaming.hash(["a"]) == "af63dc4c")
    }
}
