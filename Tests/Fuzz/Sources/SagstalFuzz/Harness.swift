// libFuzzer entry point for the scenario loader and validator (issue 9, build item 6).
//
// Each input is a scenario file's bytes. The harness
//   1. loads it with `ScenarioLoader.load(yaml:file:)`, the CLI's GSL generator check included;
//      a `ScenarioError` is a refusal and fine, but every diagnostic must be located
//      (line ≥ 1, column ≥ 1, a file name) — an unlocated diagnostic traps;
//   2. for an input that validates: compiles it for the model (`CompiledScenario`), which must
//      not throw (the validator promised it is runnable), and
//   3. emits the resolved scenario (`ScenarioEmitter.yaml`, what `validate` prints and `run`
//      writes as scenario.resolved.yaml) and loads that again: it must validate, and emitting
//      it once more must give the same text (the resolved file is a fixed point);
//   4. with SAGSTAL_FUZZ_SIMULATE=1, also runs replication 0 of a one-year, no-warm-up copy
//      (slow: use it on a corpus, not for open-ended fuzzing).
// Every broken promise is a `fatalError` with the reason, so libFuzzer records the input.
//
// `extends:` in an input is resolved relative to the current directory; the harness changes
// to the scenario folder (SAGSTAL_FUZZ_SCENARIOS, default: the worktree's Scenarios/) before the
// first input (main.swift makes the command line's paths absolute first),
// so the seed corpus can be the files of Scenarios/ as they are (`extends: base/denmark.yaml`).
// The loader only reads there.

import Foundation
import SagstalModel
import SagstalRandom
import SagstalRunner
import SagstalScenario

private let env = ProcessInfo.processInfo.environment
private let checkRoundTrip = env["SAGSTAL_FUZZ_ROUNDTRIP"] != "0"
private let checkCompile = env["SAGSTAL_FUZZ_COMPILE"] != "0"
private let simulate = env["SAGSTAL_FUZZ_SIMULATE"] == "1"

/// Set once the harness has changed to the scenario folder (on the first input, so that libFuzzer's
/// `-jobs` logs and other relative paths of the parent process stay where the user started it).
nonisolated(unsafe) private var initialized = false

private func fuzzInitialize() {
    let here = URL(fileURLWithPath: #filePath)   // Tests/Fuzz/Sources/SagstalFuzz/Harness.swift
    let defaultDir = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Scenarios").path
    let dir = env["SAGSTAL_FUZZ_SCENARIOS"] ?? defaultDir
    if !FileManager.default.changeCurrentDirectoryPath(dir) {
        FileHandle.standardError.write(Data("SagstalFuzz: cannot change to \(dir); extends will not resolve\n".utf8))
    }
}

private func checkLocated(_ error: ScenarioError, _ what: String) {
    if error.diagnostics.isEmpty { fatalError("\(what): ScenarioError without diagnostics") }
    for d in error.diagnostics where d.line < 1 || d.column < 1 || d.file.isEmpty {
        fatalError("\(what): unlocated diagnostic \(d.file):\(d.line):\(d.column): \(d.message)")
    }
}

private func load(_ text: String, file: String, overrides: [String] = []) -> LoadedScenario? {
    do {
        return try ScenarioLoader.load(yaml: text, file: file, overrides: overrides,
                                       generatorExists: GSL.hasGenerator(named:))
    } catch let error as ScenarioError {
        checkLocated(error, file)
        return nil
    } catch {
        fatalError("\(file): load threw something other than ScenarioError: \(error)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    if !initialized {
        initialized = true
        fuzzInitialize()
    }
    let bytes = data.map { UnsafeBufferPointer(start: $0, count: size) } ?? UnsafeBufferPointer(start: nil, count: 0)
    // The CLI refuses non-UTF-8 files before parsing (ScenarioLoader.readFile); do the same.
    guard let text = String(validating: bytes, as: UTF8.self) else { return 0 }
    guard let loaded = load(text, file: "fuzz.yaml") else { return 0 }

    if checkCompile {
        do { _ = try CompiledScenario(loaded.scenario) } catch {
            fatalError("validated scenario does not compile: \(error)")
        }
    }
    if checkRoundTrip {
        let emitted = ScenarioEmitter.yaml(loaded.scenario, toolVersion: SagstalVersion.current)
        guard let again = load(emitted, file: "resolved.yaml") else {
            fatalError("the resolved scenario does not validate:\n\(emitted)")
        }
        let twice = ScenarioEmitter.yaml(again.scenario, toolVersion: SagstalVersion.current)
        if twice != emitted { fatalError("the resolved scenario is not a fixed point:\n\(emitted)\n---\n\(twice)") }
    }
    if simulate,
       let short = load(text, file: "fuzz.yaml",
                        overrides: ["simulation.years=1", "simulation.warmupYears=0", "simulation.replications=1"]),
       let compiled = try? CompiledScenario(short.scenario) {
        do { _ = try Replication(compiled, index: 0).run() } catch {
            fatalError("replication 0 failed to start: \(error)")
        }
    }
    return 0
}
