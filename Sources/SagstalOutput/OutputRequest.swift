import Foundation

/// What a command is about to write into an output folder: the command, its scenario files,
/// its overrides and the resolved scenarios. `run.json` records it under `"request"`, and
/// ``OutputFolder/checkReplaceable(_:by:force:)`` compares it with what an existing folder holds,
/// so that two runs with different assumptions never sit, one after the other, at the same path
/// unnoticed (docs/outputs-and-exit-codes.md, "A folder holds one run").
public struct OutputRequest: Sendable, Equatable, Codable {
    /// `run`, `compare`, `sweep`, or a new command's name.
    public var command: String
    /// The scenario files as named on the command line, in order.
    public var scenarioFiles: [String]
    /// The overrides in order: `--set` texts, then `-n`, `--seed`, `--years` as `simulation.…=…`.
    public var overrides: [String]
    /// What else the command was given, recorded but not compared (a sweep's `--vary` axes: a
    /// sweep over another grid of the same scenario may replace the folder).
    public var details: [String]
    /// The text of every `scenario.resolved.yaml` the command writes, by its path in the folder
    /// (`scenario.resolved.yaml`, `aalborg-before/scenario.resolved.yaml`, `point-000/…`).
    public var resolved: [String: String]

    public init(command: String, scenarioFiles: [String], overrides: [String], details: [String] = [],
                resolved: [String: String]) {
        self.command = command
        self.scenarioFiles = scenarioFiles
        self.overrides = overrides
        self.details = details
        self.resolved = resolved
    }

    /// `{"command", "scenarios", "overrides", "details"}` for `run.json` (the resolved scenarios are
    /// in the folder's `scenario.resolved.yaml` files).
    public var json: JSONValue {
        .object([
            ("command", .string(command)),
            ("scenarios", .array(scenarioFiles.map(JSONValue.string))),
            ("overrides", .array(overrides.map(JSONValue.string))),
            ("details", .array(details.map(JSONValue.string))),
        ])
    }

    /// The command line in one line, e.g. `run Scenarios/a.yaml --set x=1`.
    public var commandLine: String {
        ([command] + scenarioFiles + overrides.map { "--set \(Self.shellQuoted($0))" } + details).joined(separator: " ")
    }

    /// True when both ask for the same thing: the same command, scenario files and overrides.
    public func sameRequest(as other: OutputRequest) -> Bool {
        command == other.command && scenarioFiles.map(Self.normalized) == other.scenarioFiles.map(Self.normalized)
            && overrides.map(Self.trimmed) == other.overrides.map(Self.trimmed)
    }

    static func normalized(_ path: String) -> String {
        var p = path
        while p.hasPrefix("./") { p.removeFirst(2) }
        while p.contains("//") { p = p.replacingOccurrences(of: "//", with: "/") }
        return p
    }

    static func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces) }

    static func shellQuoted(_ s: String) -> String {
        let safe = s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "._-=/+,:".unicodeScalars.contains($0) }
        return safe ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A resolved scenario without its header comments (the tool version), for comparing two runs.
    static func body(_ resolvedYAML: String) -> String {
        var lines = resolvedYAML.split(separator: "\n", omittingEmptySubsequences: false)[...]
        while let first = lines.first, first.hasPrefix("#") { lines = lines.dropFirst() }
        return lines.joined(separator: "\n")
    }
}

/// The default output folders of runs with overrides (docs/outputs-and-exit-codes.md).
public enum OutputNaming {
    /// A short, stable hash of the overrides: the first 8 hex digits of the 64-bit FNV-1a hash of
    /// their UTF-8 text, each trimmed, joined by newlines, in the order given.
    public static func hash(_ overrides: [String]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in overrides.map(OutputRequest.trimmed).joined(separator: "\n").utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String((String(repeating: "0", count: 16 - hex.count) + hex).prefix(8))
    }

    /// `base` without overrides, `base-<hash>` with them (e.g. `aalborg-before-a944a89f` for `caseload.elasticity.escalate=0`).
    public static func folderName(_ base: String, overrides: [String]) -> String {
        overrides.isEmpty ? base : "\(base)-\(hash(overrides))"
    }
}

extension OutputFolder {
    /// Why a command may write into its output folder.
    public enum Replacement: Sendable, Equatable {
        /// The folder does not exist, is empty, or is not sagstal's (``OutputFolder/init(replacing:)``
        /// decides about that one).
        case new
        /// The folder holds the outputs of the same request (same command, files and overrides; a
        /// scenario file may have been edited since).
        case sameRequest
        /// The folder holds the same resolved scenarios (the same run again).
        case sameRun
        /// The folder holds a different run, replaced because of `--force`; why it differs.
        case forced(String)
    }

    /// Checks, before anything is simulated or written, that `target` may receive the outputs of
    /// `request`: a sagstal output folder that holds a *different* run — another command, other
    /// scenario files or overrides, and other resolved scenarios — is refused unless `force`.
    /// The same request again, or the same resolved scenarios, may replace it.
    ///
    /// What the folder holds is read from its `run.json` (`"request"`) and its
    /// `scenario.resolved.yaml` files (at the top and one folder down), so folders written before
    /// `run.json` recorded requests are compared by their resolved scenarios.
    /// - Throws: ``OutputError/holdsAnotherRun(path:reason:)``; nothing is created or changed.
    @discardableResult
    public static func checkReplaceable(_ target: URL, by request: OutputRequest, force: Bool) throws -> Replacement {
        let path = target.path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue,
              let entries = try? FileManager.default.contentsOfDirectory(atPath: path),
              entries.contains(where: markers.contains) else { return .new }
        let old = recordedRequest(in: target)
        if let old, old.sameRequest(as: request) { return .sameRequest }
        let oldResolved = resolvedScenarios(in: target)
        let newResolved = request.resolved.mapValues(OutputRequest.body)
        if !oldResolved.isEmpty, oldResolved == newResolved { return .sameRun }
        let reason = difference(old: old, oldResolved: oldResolved, new: request, newResolved: newResolved)
        if force { return .forced(reason) }
        throw OutputError.holdsAnotherRun(path: path, reason: reason)
    }

    /// The request recorded in `folder/run.json`, if any.
    public static func recordedRequest(in folder: URL) -> OutputRequest? {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(RunWriter.runFile).path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let r = object["request"] as? [String: Any], let command = r["command"] as? String else { return nil }
        return OutputRequest(command: command, scenarioFiles: r["scenarios"] as? [String] ?? [],
                             overrides: r["overrides"] as? [String] ?? [], details: r["details"] as? [String] ?? [],
                             resolved: [:])
    }

    /// The folder's `scenario.resolved.yaml` files (top level and one folder down) without their
    /// header comments, by path in the folder.
    static func resolvedScenarios(in folder: URL) -> [String: String] {
        var out: [String: String] = [:]
        func read(_ rel: String) {
            if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(rel).path),
               let text = String(data: data, encoding: .utf8) { out[rel] = OutputRequest.body(text) }
        }
        read("scenario.resolved.yaml")
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where !entry.hasPrefix(".") {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(entry).path, isDirectory: &isDir), isDir.boolValue {
                read(entry + "/scenario.resolved.yaml")
            }
        }
        return out
    }

    /// How the folder's run differs from the new one, in words.
    static func difference(old: OutputRequest?, oldResolved: [String: String], new: OutputRequest,
                           newResolved: [String: String]) -> String {
        var parts: [String] = []
        if let old {
            parts.append("it holds `sagstal \(old.commandLine)`, this is `sagstal \(new.commandLine)`")
        }
        if oldResolved.isEmpty {
            parts.append("it has no scenario.resolved.yaml to compare")
        } else if Set(oldResolved.keys) != Set(newResolved.keys) {
            parts.append("it holds other scenarios (\(oldResolved.keys.sorted().joined(separator: ", ")))")
        } else if let (file, lineNumber, there, here) = firstDifference(oldResolved, newResolved, headers: new.resolved) {
            parts.append("its \(file) differs at line \(lineNumber): '\(there)' there, '\(here)' here")
        }
        return parts.joined(separator: "; ")
    }

    static func firstDifference(_ a: [String: String], _ b: [String: String], headers: [String: String]) -> (String, Int, String, String)? {
        for key in a.keys.sorted() {
            let x = (a[key] ?? "").split(separator: "\n", omittingEmptySubsequences: false)
            let y = (b[key] ?? "").split(separator: "\n", omittingEmptySubsequences: false)
            for i in 0..<max(x.count, y.count) {
                let l = i < x.count ? String(x[i]) : "", r = i < y.count ? String(y[i]) : ""
                if l != r {
                    // Line numbers in the written file: the header comments come first.
                    let header = (headers[key] ?? "").split(separator: "\n", omittingEmptySubsequences: false).prefix(while: { $0.hasPrefix("#") }).count
                    return (key, i + 1 + header, l.trimmingCharacters(in: .whitespaces), r.trimmingCharacters(in: .whitespaces))
                }
            }
        }
        return nil
    }
}
