import ArgumentParser
import Dispatch
import Foundation
import SagstalRunner

/// SIGINT and SIGTERM while a command runs (docs/outputs-and-exit-codes.md).
///
/// The first signal cancels the run: the worker threads stop before their next replication (and
/// the episodes export before its next chunk), the hidden output folder is removed, one line says
/// the target was left as it was, and sagstal exits 130 (SIGINT) or 143 (SIGTERM). A second
/// signal exits at once with the same code; the target is still whole (the folder swap is one
/// rename) and the next run into the same parent removes the hidden folder left behind.
enum Interrupts {
    /// Set by the first signal; passed to the jobs.
    static let cancellation = Cancellation()

    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var signals = 0
        var first: Int32 = 0
        var sources: [DispatchSourceSignal] = []
    }
    private static let state = State()

    /// Ignores the default handlers of SIGINT and SIGTERM and handles them on a dispatch queue.
    /// - Returns: the flag the jobs check.
    @discardableResult
    static func install() -> Cancellation {
        state.lock.lock()
        defer { state.lock.unlock() }
        guard state.sources.isEmpty else { return cancellation }
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { received(sig, count: Int(source.data)) }
            source.resume()
            state.sources.append(source)
        }
        return cancellation
    }

    private static func received(_ sig: Int32, count: Int) {
        state.lock.lock()
        if state.signals == 0 { state.first = sig }
        state.signals += max(count, 1)
        let again = state.signals > 1
        state.lock.unlock()
        if again {
            let line = "\ninterrupted again; stopping now (the output folder is as it was; a hidden temporary folder beside it is removed by the next run)\n"
            _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
            _exit(128 + sig)
        }
        cancellation.cancel()
    }

    /// 130 after SIGINT, 143 after SIGTERM.
    static var exitCode: ExitCode {
        state.lock.lock()
        defer { state.lock.unlock() }
        return state.first == SIGTERM ? SagstalExit.terminated.exitCode : SagstalExit.interrupted.exitCode
    }

    /// Clears a progress bar line on a terminal before a message.
    static func clearLine() {
        if Terminal.stderrIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}
