import Foundation

/// A flag that stops a run between replications (and between chunks of the episodes export),
/// set by the CLI's SIGINT/SIGTERM handler. A cancelled job throws ``Interrupted`` and writes
/// nothing: its output folder is left as it was (docs/outputs-and-exit-codes.md).
public final class Cancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    public init() {}

    /// Asks the run to stop; safe from any thread.
    public func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    /// Throws ``Interrupted`` once ``cancel()`` was called.
    public func check() throws {
        if isCancelled { throw Interrupted() }
    }
}

/// Thrown by a job stopped by its ``Cancellation``.
public struct Interrupted: Error, CustomStringConvertible, Equatable {
    public init() {}
    public var description: String { "interrupted" }
}
