import Dispatch
import Foundation
import SagstalModel
import SagstalStats

/// Runs the replications of a scenario on several threads and aggregates them.
///
/// Each replication has its own generators, seeded from (scenario seed, replication) only,
/// and the aggregator computes every statistic in replication order, so the result is
/// bit-identical for any number of jobs. Records are aggregated as they arrive (streamed):
/// memory holds one row of totals per replication, not the replications themselves.
public enum SimulationRunner {
    /// Runs replications `0..<replications` of `compiled` on `jobs` threads.
    ///
    /// - Parameters:
    ///   - progress: called (from worker threads, serialised) with the number of replications done.
    /// - Returns: the aggregate over all replications.
    /// - Throws: the first error of a replication or of the aggregator.
    public static func run(_ compiled: CompiledScenario, replications: Int, jobs: Int,
                           progress: (@Sendable (Int) -> Void)? = nil) throws -> AggregatedRun {
        let shared = Shared(aggregator: try RunAggregator(layout: compiled.layout, replications: replications),
                            total: replications)
        let workers = max(1, min(jobs, replications))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = shared.claim() {
                do {
                    let record = try Replication(compiled, index: i).run()
                    if let done = shared.deliver(record) { progress?(done) }
                } catch {
                    shared.fail(error)
                }
            }
        }
        return try shared.finish()
    }

    /// The number of worker threads to use by default: the machine's active processors.
    public static var defaultJobs: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// State shared by the worker threads, guarded by one lock.
    private final class Shared: @unchecked Sendable {
        private let lock = NSLock()
        private let aggregator: RunAggregator
        private let total: Int
        private var next = 0
        private var done = 0
        private var error: Error?

        init(aggregator: RunAggregator, total: Int) {
            self.aggregator = aggregator
            self.total = total
        }

        /// The next replication to run, or nil when all are claimed or a failure stopped the run.
        func claim() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard error == nil, next < total else { return nil }
            next += 1
            return next - 1
        }

        /// Adds a finished replication; returns the count done (nil after a failure).
        func deliver(_ record: ReplicationRecord) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard error == nil else { return nil }
            do {
                try aggregator.add(record)
                done += 1
                return done
            } catch {
                self.error = error
                return nil
            }
        }

        func fail(_ e: Error) {
            lock.lock()
            if error == nil { error = e }
            lock.unlock()
        }

        func finish() throws -> AggregatedRun {
            lock.lock()
            defer { lock.unlock() }
            if let error { throw error }
            return try aggregator.finish()
        }
    }
}
