import ArgumentParser
import Foundation
import SagstalOutput
import SagstalModel
import SagstalRunner
import SagstalScenario
import SagstalStats

/// Small terminal helpers of the CLI.
enum Terminal {
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// The width of the terminal on `fd` in columns (TIOCGWINSZ), else `COLUMNS` when it is set
    /// (tests, `COLUMNS=80 sagstal … | less`), else nil: a pipe or a file gets the full width.
    static func columns(_ fd: Int32) -> Int? {
        if isatty(fd) == 1 {
            var size = winsize()
            if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        }
        if let c = ProcessInfo.processInfo.environment["COLUMNS"], let n = Int(c), n > 0 { return n }
        return nil
    }

    /// A path as the user would type it: relative to the working directory when it lies inside
    /// it (`Outputs/example`), else absolute — so the messages of a README example are the same
    /// in every clone.
    static func displayPath(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
        let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
        return path.hasPrefix(prefix) && path.count > prefix.count ? String(path.dropFirst(prefix.count)) : path
    }

    /// Makes C's standard output line-buffered, as it is on a terminal, also when it is a pipe or
    /// a file: the console tables (stdout) and the warnings (stderr) then interleave in `2>&1`
    /// exactly as on screen (scripts/readme-examples compares README.md with that output).
    /// Swift 6 does not let code name C's global `stdout`, so it is looked up by symbol.
    static func lineBufferStandardOutput() {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "stdout"),
              let file = symbol.assumingMemoryBound(to: UnsafeMutablePointer<FILE>?.self).pointee else { return }
        setvbuf(file, nil, _IOLBF, 0)
    }

    /// Exit code for a scenario that does not validate (EX_DATAERR).
    static let invalidScenario = SagstalExit.invalidScenario.exitCode

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Loads a scenario; on errors prints every diagnostic to stderr and exits with 65, or 66
    /// when the scenario file itself cannot be read.
    static func loadOrExit(_ request: ScenarioRequest) throws -> LoadedScenario {
        do {
            return try request.load()
        } catch let error as ScenarioError {
            throw scenarioFailure(error, paths: [request.path])
        }
    }

    /// Prints the diagnostics of `error`; the exit code is 66 (missing input) when one of the
    /// scenario files named on the command line cannot be opened for reading (or is a folder),
    /// else 65. (A missing file named by `extends` is a problem of the scenario: 65.)
    static func scenarioFailure(_ error: ScenarioError, paths: [String]) -> ExitCode {
        printError(error.description)
        return paths.contains(where: { !isReadableFile($0) }) ? SagstalExit.missingInput.exitCode : invalidScenario
    }

    static func isReadableFile(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        return fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) != S_IFDIR
    }

    /// Runs a command's work with the error handling of docs/outputs-and-exit-codes.md: output
    /// errors exit 73 (cannot create) or 74 (I/O), an interruption 130 or 143 with one line
    /// saying the output folder was left as it was, anything unexpected 70 with one line.
    static func guarded(output: URL, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let e as ExitCode {
            throw e
        } catch is Interrupted {
            Interrupts.clearLine()
            printError("interrupted; \(output.path) left as it was")
            throw Interrupts.exitCode
        } catch let e as OutputError {
            Interrupts.clearLine()
            printError("error: \(e.description)")
            if case .io = e { throw SagstalExit.ioError.exitCode }
            throw SagstalExit.cannotCreateOutput.exitCode
        } catch let e as ReplicationError {
            // A scenario whose simulated time stops advancing: a problem of the scenario.
            Interrupts.clearLine()
            printError("error: \(e.description); \(output.path) left as it was")
            throw SagstalExit.invalidScenario.exitCode
        } catch let e as AggregationError {
            Interrupts.clearLine()
            if case .io = e {
                printError("error: \(oneLine(e.description))")
                throw SagstalExit.ioError.exitCode
            }
            printError("error: internal error: \(oneLine(e.description))")
            throw SagstalExit.internalError.exitCode
        } catch {
            Interrupts.clearLine()
            let ns = error as NSError
            if ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain {
                printError("error: \(describeFoundation(ns))")
                throw SagstalExit.ioError.exitCode
            }
            printError("error: internal error: \(oneLine(String(describing: error)))")
            throw SagstalExit.internalError.exitCode
        }
        if Interrupts.cancellation.isCancelled {
            printError("interrupted; \(output.path) already holds the new outputs")
            throw Interrupts.exitCode
        }
    }

    /// A Foundation file error as `path: reason` with the OS reason (strerror), never
    /// "The operation could not be completed (NSCocoaErrorDomain error 512)".
    static func describeFoundation(_ error: NSError) -> String {
        let path = (error.userInfo[NSFilePathErrorKey] as? String)
            ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
        var code: Int32? = error.domain == NSPOSIXErrorDomain ? Int32(error.code) : nil
        if code == nil, let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            code = Int32(underlying.code)
        }
        let reason = code.map { String(cString: strerror($0)) } ?? "file operation failed (\(error.domain) \(error.code))"
        return path.map { "\($0): \(reason)" } ?? reason
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}

/// A one-line progress bar on stderr: replications done, rate and time left.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let unit: String
    private let started = Date()
    private let lock = NSLock()
    private var lastDraw = Date.distantPast

    private init(total: Int, label: String, unit: String) {
        self.total = total
        self.label = label
        self.unit = unit
    }

    /// A bar when stderr is a terminal, nil otherwise (silent in pipes, logs and CI).
    static func ifTerminal(total: Int, label: String, unit: String = "replications") -> ProgressBar? {
        Terminal.stderrIsTerminal ? ProgressBar(total: total, label: label, unit: unit) : nil
    }

    /// Draws `done` of `total` (an estimate may be exceeded: the bar then stays full).
    func update(_ done: Int) {
        let done = min(done, total)
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
        var text = "\(label) \(bar) \(done)/\(total) \(unit), \(String(format: "%.1f", elapsed)) s, ~\(String(format: "%.1f", left)) s left"
        // A line longer than the terminal wraps, and "\r" then redraws only its last part: the
        // rest would stay in the scrollback. Cut it to one line.
        if let columns = Terminal.columns(STDERR_FILENO), text.count > columns - 1 { text = String(text.prefix(max(columns - 1, 1))) }
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}

/// A one-line status on stderr that is rewritten in place (for runs without a known total, such
/// as `optimise`), drawn at most ten times a second; nothing when stderr is not a terminal.
final class StatusLine: @unchecked Sendable {
    private let label: String
    private let started = Date()
    private let lock = NSLock()
    private var lastDraw = Date.distantPast

    private init(label: String) { self.label = label }

    static func ifTerminal(label: String) -> StatusLine? {
        Terminal.stderrIsTerminal ? StatusLine(label: label) : nil
    }

    func update(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        var line = "\(label) \(text), \(String(format: "%.1f", now.timeIntervalSince(started))) s"
        if let columns = Terminal.columns(STDERR_FILENO), line.count > columns - 1 { line = String(line.prefix(max(columns - 1, 1))) }
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
