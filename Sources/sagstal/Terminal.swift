import ArgumentParser
import Foundation
import SagstalRunner
import SagstalScenario

/// Small terminal helpers of the CLI.
enum Terminal {
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Exit code for a scenario that does not validate (EX_DATAERR).
    static let invalidScenario = ExitCode(65)

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Loads a scenario; on errors prints every diagnostic to stderr and exits with 65.
    static func loadOrExit(_ request: ScenarioRequest) throws -> LoadedScenario {
        do {
            return try request.load()
        } catch let error as ScenarioError {
            printError(error.description)
            throw invalidScenario
        }
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}

/// A one-line progress bar on stderr: replications done, rate and time left.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let started = Date()
    private let lock = NSLock()
    private var lastDraw = Date.distantPast

    private init(total: Int, label: String) {
        self.total = total
        self.label = label
    }

    /// A bar when stderr is a terminal, nil otherwise (silent in pipes, logs and CI).
    static func ifTerminal(total: Int, label: String) -> ProgressBar? {
        Terminal.stderrIsTerminal ? ProgressBar(total: total, label: label) : nil
    }

    func update(_ done: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard done == total || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let elapsed = now.timeIntervalSince(started)
        let left = done > 0 ? elapsed * Double(total - done) / Double(done) : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = "\r\(label) \(bar) \(done)/\(total) replications, \(String(format: "%.1f", elapsed)) s, ~\(String(format: "%.1f", left)) s left "
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
