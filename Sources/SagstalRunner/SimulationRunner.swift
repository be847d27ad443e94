import Dispatch
import Foundation
import SagstalModel
import SagstalScenario
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
    ///   - cancellation: stops the run between replications (it then throws ``Interrupted``).
    public static func run(_ compiled: CompiledScenario, replications: Int, jobs: Int,
                           progress: (@Sendable (Int) -> Void)? = nil,
                           cancellation: Cancellation? = nil) throws -> AggregatedRun {
        try run(compiled, replications: replications, jobs: jobs, episodes: nil, progress: progress,
                cancellation: cancellation)
    }

    /// As `run(_:replications:jobs:progress:)`, streaming each wanted replication's stays to
    /// `episodes` (see `EpisodeExport`).
    static func run(_ compiled: CompiledScenario, replications: Int, jobs: Int, episodes: EpisodeExport?,
                    progress: (@Sendable (Int) -> Void)? = nil,
                    cancellation: Cancellation? = nil) throws -> AggregatedRun {
        let aggregator = try RunAggregator(layout: compiled.layout, replications: replications)
        try forEachReplication(replications, jobs: jobs, progress: progress, cancellation: cancellation,
                               work: { i in
                                   let r = try Replication(compiled, index: i)
                                   let sink = try episodes?.sink(for: i)
                                   r.episodes = sink
                                   let record = try r.run()
                                   try sink?.close()
                                   return record
                               },
                               deliver: { try aggregator.add($0) })
        return try aggregator.finish()
    }

    /// Runs the replications of several scenarios (sweep's points, batch's rows) on `jobs` threads.
    ///
    /// The (scenario, replication) pairs form one list, scenario by scenario, that the workers
    /// take from in order: a scenario's last replications overlap with the next scenario's first,
    /// so many short scenarios keep every thread busy instead of waiting for the slowest
    /// replication of each. Each scenario has its own aggregator, which orders by replication
    /// itself, so every run is bit-identical to running the scenarios one by one, with any `jobs`.
    /// - Parameter progress: called with the number of replications done over all scenarios.
    /// - Returns: the runs, in order, and the wall time in seconds.
    public static func runEach(_ scenarios: [Scenario], jobs: Int, progress: (@Sendable (Int) -> Void)? = nil,
                               cancellation: Cancellation? = nil) throws -> (runs: [AggregatedRun], wallSeconds: Double) {
        let clock = ContinuousClock()
        let started = clock.now
        let compiled = try scenarios.map { try CompiledScenario($0) }
        let counts = scenarios.map(\.simulation.replications)
        // first[k]: the index of scenario k's first replication in the flat list.
        var first = [0]
        for c in counts { first.append(first[first.count - 1] + c) }
        let aggregators = try zip(compiled, counts).map { try RunAggregator(layout: $0.layout, replications: $1) }
        let offsets = first
        try forEachReplication(offsets[offsets.count - 1], jobs: jobs, progress: progress, cancellation: cancellation,
                               work: { i -> (Int, ReplicationRecord) in
                                   // The scenario whose range holds i (binary search over the offsets).
                                   var lo = 0, hi = counts.count - 1
                                   while lo < hi {
                                       let mid = (lo + hi + 1) / 2
                                       if offsets[mid] <= i { lo = mid } else { hi = mid - 1 }
                                   }
                                   return (lo, try Replication(compiled[lo], index: i - offsets[lo]).run())
                               },
                               deliver: { try aggregators[$0.0].add($0.1) })
        let runs = try aggregators.map { try $0.finish() }
        let elapsed = clock.now - started
        return (runs, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    /// Runs `work` for replications `0..<count` on `jobs` threads and hands each result to
    /// `deliver`, one at a time (serialised by a lock, in completion order).
    ///
    /// `deliver` must not depend on the order it is called in if the result is to be the same
    /// for any number of jobs (the aggregators order by replication index themselves).
    /// - Throws: the first error thrown by `work` or `deliver`; remaining replications are skipped.
    ///   ``Interrupted`` when `cancellation` was cancelled (checked before each replication).
    public static func forEachReplication<T>(_ count: Int, jobs: Int, progress: (@Sendable (Int) -> Void)? = nil,
                                             cancellation: Cancellation? = nil,
                                             work: @escaping (Int) throws -> T,
                                             deliver: @escaping (T) throws -> Void) throws {
        let shared = Shared(total: count, cancellation: cancellation)
        let box = UncheckedBox(work: work, deliver: deliver)
        let workers = max(1, min(jobs, count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = shared.claim() {
                do {
                    let result = try box.work(i)
                    if let done = shared.deliver({ try box.deliver(result) }) { progress?(done) }
                } catch {
                    shared.fail(error)
                }
            }
        }
        try shared.check()
        try cancellation?.check()
    }

    /// The closures of one `forEachReplication` call. `work` runs concurrently and must only
    /// read shared state (the compiled scenarios are immutable); `deliver` runs under the lock.
    private final class UncheckedBox<T>: @unchecked Sendable {
        let work: (Int) throws -> T
        let deliver: (T) throws -> Void
        init(work: @escaping (Int) throws -> T, deliver: @escaping (T) throws -> Void) {
            self.work = work
            self.deliver = deliver
        }
    }

    /// The number of worker threads to use by default: the machine's active processors.
    public static var defaultJobs: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// State shared by the worker threads, guarded by one lock.
    private final class Shared: @unchecked Sendable {
        private let lock = NSLock()
        private let total: Int
        private var next = 0
        private var done = 0
        private var error: Error?
        private let cancellation: Cancellation?

        init(total: Int, cancellation: Cancellation?) {
            self.total = total
            self.cancellation = cancellation
        }

        /// The next replication to run, or nil when all are claimed or a failure stopped the run.
        func claim() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard error == nil, next < total, cancellation?.isCancelled != true else { return nil }
            next += 1
            return next - 1
        }

        /// Runs `body` under the lock; returns the count done (nil after a failure).
        func deliver(_ body: () throws -> Void) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard error == nil else { return nil }
            do {
                try body()
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

        func check() throws {
            lock.lock()
            defer { lock.unlock() }
            if let error { throw error }
        }
    }
}
