import Foundation
import Testing
@testable import SagstalScenario

/// A fresh temporary directory for scenario files; removed by `cleanUp()`.
struct TempDir {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("sagstal-scenario-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` (which may contain subdirectories) and returns the full path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let full = path + "/" + name
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// The smallest valid scenario: nine lines, so extra sections start on line 10.
let minimalYAML = """
ladder:
  - id: prevention
    duration: 100
  - id: foster
    duration: 200
teams:
  - id: east
    caseworkers: 2
    cap: 20

"""

/// The diagnostics of loading `yaml`, or [] if it loads.
func diagnostics(_ yaml: String, file: String = "test.yaml", overrides: [String] = [],
                 generatorExists: (String) -> Bool = { _ in true }) -> [Diagnostic] {
    do {
        _ = try ScenarioLoader.load(yaml: yaml, file: file, overrides: overrides, generatorExists: generatorExists)
        return []
    } catch let error as ScenarioError {
        return error.diagnostics
    } catch {
        Issue.record("unexpected error type: \(error)")
        return []
    }
}

func diagnostics(path: String, overrides: [String] = []) -> [Diagnostic] {
    do {
        _ = try ScenarioLoader.load(path: path, overrides: overrides)
        return []
    } catch let error as ScenarioError {
        return error.diagnostics
    } catch {
        Issue.record("unexpected error type: \(error)")
        return []
    }
}

/// Expects exactly one diagnostic, with this location, key path, message fragment
/// and (if given) suggestion.
func expectSingle(_ diags: [Diagnostic], file: String = "test.yaml", line: Int, column: Int, keyPath: String,
                  message: String, suggestion: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(diags.count == 1, "expected one diagnostic, got:\n\(diags.map(\.description).joined(separator: "\n"))",
            sourceLocation: sourceLocation)
    guard let d = diags.first else { return }
    #expect(d.file == file, sourceLocation: sourceLocation)
    #expect(d.line == line, sourceLocation: sourceLocation)
    #expect(d.column == column, sourceLocation: sourceLocation)
    #expect(d.keyPath == keyPath, sourceLocation: sourceLocation)
    #expect(d.message.contains(message), "message was: \(d.message)", sourceLocation: sourceLocation)
    if let suggestion {
        #expect(d.suggestion == suggestion, sourceLocation: sourceLocation)
    }
}
