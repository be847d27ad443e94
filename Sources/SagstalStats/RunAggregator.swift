import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The statistics of a whole run across replications (MODEL.md §8).
public struct AggregatedRun: Sendable, Equatable {
    public let layout: MetricLayout
    public let replications: Int
    /// One summary per `layout.totalsMetrics`.
    public let totals: [MetricSummary]
    /// `yearly[year][periodMetric]`.
    public let yearly: [[MetricSummary]]
    /// `monthly[month][periodMetric]`.
    public let monthly: [[MetricSummary]]
    /// One row per replication, by replication index 0..<n; one value per `layout.totalsMetrics`.
    public let replicationTotals: [[Double]]
    /// Events processed, summed over replications.
    public let eventsProcessed: Int

    /// Makes a run from its parts.
    ///
    /// - Precondition: the shapes agree with `layout` and `replications`.
    public init(layout: MetricLayout, replications: Int, totals: [MetricSummary],
                yearly: [[MetricSummary]], monthly: [[MetricSummary]],
                replicationTotals: [[Double]], eventsProcessed: Int) {
        let m = layout.periodMetrics.count
        precondition(totals.count == layout.totalsMetrics.count, "totals do not match the layout")
        precondition(yearly.count == layout.yearLabels.count && yearly.allSatisfy { $0.count == m },
                     "yearly summaries do not match the layout")
        precondition(monthly.count == layout.monthLabels.count && monthly.allSatisfy { $0.count == m },
                     "monthly summaries do not match the layout")
        precondition(replicationTotals.count == replications
                     && replicationTotals.allSatisfy { $0.count == layout.totalsMetrics.count },
                     "replication totals do not match the layout")
        self.layout = layout
        self.replications = replications
        self.totals = totals
        self.yearly = yearly
        self.monthly = monthly
        self.replicationTotals = replicationTotals
        self.eventsProcessed = eventsProcessed
    }
}

/// Errors of ``RunAggregator``: records that do not fit the run, and I/O failures.
public enum AggregationError: Error, Equatable, CustomStringConvertible {
    case invalidReplicationCount(Int)
    case replicationOutOfRange(Int, count: Int)
    case duplicateReplication(Int)
    case shapeMismatch(replication: Int, field: String, expected: Int, found: Int)
    /// `finish()` was called before every replication arrived; lists up to 10 missing indices.
    case missingReplications(count: Int, first: [Int])
    case alreadyFinished
    case io(operation: String, errno: Int32)

    public var description: String {
        switch self {
        case .invalidReplicationCount(let n):
            return "the number of replications must be at least 1 (found \(n))"
        case .replicationOutOfRange(let r, let n):
            return "replication \(r) is outside 0..<\(n)"
        case .duplicateReplication(let r):
            return "replication \(r) was reported twice"
        case .shapeMismatch(let r, let field, let expected, let found):
            return "replication \(r): \(field) has \(found) values (expected \(expected))"
        case .missingReplications(let count, let first):
            let list = first.map(String.init).joined(separator: ", ")
            return "\(count) replication(s) never reported: \(list)\(count > first.count ? ", …" : "")"
        case .alreadyFinished:
            return "the aggregator has already finished"
        case .io(let operation, let code):
            return "\(operation) failed: \(String(cString: strerror(code)))"
        }
    }
}

/// Collects the replication records of a run, in any order, and computes their statistics.
///
/// **Reproducibility.** Records may arrive in any order (the runner simulates
/// replications on several threads). Every statistic is computed from values
/// ordered by replication index, never by arrival, so ``finish()`` returns
/// bit-identical results whatever the arrival order.
///
/// **Memory.** Only the totals (one row per replication) and the events count are
/// kept in memory. The yearly and monthly values — (years + months) × period
/// metrics doubles per replication — are spilled to an anonymous temporary file:
/// replication r's block (its `yearly` then its `monthly` array, native-endian
/// doubles) is written with `pwrite` at offset r × blockSize, so the file is laid
/// out by replication index whatever the arrival order. ``finish()`` then reads the
/// file back in chunks of columns: for each chunk of w columns it reads the w-value
/// slice of every replication's block (`pread`) into a buffer of n × w doubles that
/// fits the memory budget (16 MiB by default; at least one column), then summarizes
/// each column (values in replication order; sorted copy for the exact percentiles).
/// The file is unlinked as soon as it is created (it lives only through its open
/// descriptor, so it disappears even if the process dies) and the descriptor is
/// closed in ``finish()`` or `deinit`.
///
/// **Threads.** Not `Sendable`: use it from a single consumer thread (e.g. the one
/// that drains the workers' results).
///
/// - Complexity: ``add(_:)`` is O(T + P) for T totals metrics and P = (years + months) ×
///   period metrics values; ``finish()`` is O((T + P) · n log n) time for n replications,
///   with O(n · T) memory for the totals plus the fixed chunk budget (never less than
///   one column of n doubles), and reads the spill file once in ⌈P · n · 8 / budget⌉ passes.
public final class RunAggregator {
    /// The default memory budget of one chunk of columns in ``finish()``: 16 MiB.
    public static let defaultMemoryBudget = 16 << 20

    public let layout: MetricLayout
    public let replications: Int
    private let memoryBudget: Int
    private let yearlyCount: Int
    private let monthlyCount: Int
    /// Doubles per replication in the spill file.
    private let blockSize: Int
    private var totals: [[Double]?]
    private var events: [Int]
    private var received = 0
    private var fd: Int32 = -1
    private var finished = false

    /// Makes an aggregator for `replications` replications of a run with `layout`.
    ///
    /// - Parameters:
    ///   - layout: the metrics and periods every record follows.
    ///   - replications: the number of replications n (records 0..<n are expected).
    ///   - memoryBudget: bytes for one chunk of columns in ``finish()``
    ///     (default 16 MiB; a chunk always holds at least one column).
    ///   - temporaryDirectory: where to create the spill file (default: the system's).
    /// - Throws: ``AggregationError/invalidReplicationCount(_:)`` when n < 1,
    ///   ``AggregationError/io(operation:errno:)`` when the spill file cannot be made.
    public init(layout: MetricLayout, replications: Int,
                memoryBudget: Int = RunAggregator.defaultMemoryBudget,
                temporaryDirectory: URL? = nil) throws {
        guard replications >= 1 else { throw AggregationError.invalidReplicationCount(replications) }
        self.layout = layout
        self.replications = replications
        self.memoryBudget = max(memoryBudget, 1)
        let m = layout.periodMetrics.count
        self.yearlyCount = layout.yearLabels.count * m
        self.monthlyCount = layout.monthLabels.count * m
        self.blockSize = yearlyCount + monthlyCount
        self.totals = Array(repeating: nil, count: replications)
        self.events = Array(repeating: 0, count: replications)
        if blockSize > 0 {
            let dir = (temporaryDirectory ?? FileManager.default.temporaryDirectory).path
            var template = Array((dir + "/sagstal-periods-XXXXXX").utf8CString)
            let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else { throw AggregationError.io(operation: "creating a temporary file in \(dir)", errno: errno) }
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            fd = descriptor
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Takes one replication's record.
    ///
    /// - Parameter record: the record; its replication index must be in 0..<n and new,
    ///   and its arrays must match the layout.
    /// - Throws: ``AggregationError`` for an index out of range, a duplicate, a shape
    ///   that does not fit the layout, after ``finish()``, or when the spill write fails.
    /// - Complexity: O(T + P) for T totals metrics and P yearly and monthly values.
    public func add(_ record: ReplicationRecord) throws {
        guard !finished else { throw AggregationError.alreadyFinished }
        let r = record.replication
        guard r >= 0, r < replications else { throw AggregationError.replicationOutOfRange(r, count: replications) }
        guard totals[r] == nil else { throw AggregationError.duplicateReplication(r) }
        let t = layout.totalsMetrics.count
        guard record.totals.count == t else {
            throw AggregationError.shapeMismatch(replication: r, field: "totals", expected: t, found: record.totals.count)
        }
        guard record.yearly.count == yearlyCount else {
            throw AggregationError.shapeMismatch(replication: r, field: "yearly", expected: yearlyCount, found: record.yearly.count)
        }
        guard record.monthly.count == monthlyCount else {
            throw AggregationError.shapeMismatch(replication: r, field: "monthly", expected: monthlyCount, found: record.monthly.count)
        }
        if blockSize > 0 {
            let base = r * blockSize
            try record.yearly.withUnsafeBytes { try writeAll($0, at: base * 8) }
            try record.monthly.withUnsafeBytes { try writeAll($0, at: (base + yearlyCount) * 8) }
        }
        totals[r] = record.totals
        events[r] = record.eventsProcessed
        received += 1
    }

    /// Computes the statistics once every replication has arrived, and releases the spill file.
    ///
    /// - Returns: the run's totals, yearly and monthly statistics and per-replication totals.
    /// - Throws: ``AggregationError/missingReplications(count:first:)`` unless every
    ///   replication 0..<n was added exactly once; ``AggregationError/alreadyFinished``
    ///   when called twice; ``AggregationError/io(operation:errno:)`` when reading fails.
    /// - Complexity: O((T + P) · n log n) time for n replications; see the type's discussion for memory.
    public func finish() throws -> AggregatedRun {
        guard !finished else { throw AggregationError.alreadyFinished }
        guard received == replications else {
            let missing = totals.indices.filter { totals[$0] == nil }
            throw AggregationError.missingReplications(count: missing.count, first: Array(missing.prefix(10)))
        }
        finished = true
        defer {
            if fd >= 0 { close(fd); fd = -1 }
        }

        let rows = totals.map { $0! }
        let totalSummaries = layout.totalsMetrics.indices.map { j in
            Summaries.summarize(rows.map { $0[j] })
        }

        let m = layout.periodMetrics.count
        var columns = [MetricSummary](repeating: .empty, count: blockSize)
        if blockSize > 0 {
            let n = replications
            let width = max(1, min(blockSize, memoryBudget / (n * 8)))
            var buffer = [Double](repeating: 0, count: n * width)
            var c0 = 0
            while c0 < blockSize {
                let w = min(width, blockSize - c0)
                try buffer.withUnsafeMutableBytes { raw in
                    for r in 0..<n {
                        let slice = UnsafeMutableRawBufferPointer(rebasing: raw[(r * w * 8)..<((r + 1) * w * 8)])
                        try readAll(into: slice, at: (r * blockSize + c0) * 8)
                    }
                }
                var column = [Double](repeating: 0, count: n)
                for k in 0..<w {
                    for r in 0..<n { column[r] = buffer[r * w + k] }
                    columns[c0 + k] = Summaries.summarize(column)
                }
                c0 += w
            }
        }
        let yearly = layout.yearLabels.indices.map { y in Array(columns[(y * m)..<((y + 1) * m)]) }
        let monthly = layout.monthLabels.indices.map { k in
            Array(columns[(yearlyCount + k * m)..<(yearlyCount + (k + 1) * m)])
        }
        return AggregatedRun(layout: layout, replications: replications, totals: totalSummaries,
                             yearly: yearly, monthly: monthly, replicationTotals: rows,
                             eventsProcessed: events.reduce(0, +))
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        try Self.writeAll(fd, bytes, at: offset, what: "the temporary period file")
    }

    /// Writes every byte of `bytes` at `offset` of `fd` (`pwrite`, retried on EINTR and short writes).
    /// - Throws: ``AggregationError/io(operation:errno:)`` naming `what`.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, what: String) throws {
        var done = 0
        while done < bytes.count {
            let k = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if k < 0 {
                if errno == EINTR { continue }
                throw AggregationError.io(operation: "writing \(what)", errno: errno)
            }
            done += k
        }
    }

    private func readAll(into bytes: UnsafeMutableRawBufferPointer, at offset: Int) throws {
        var done = 0
        while done < bytes.count {
            let k = pread(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if k < 0 {
                if errno == EINTR { continue }
                throw AggregationError.io(operation: "reading the temporary period file", errno: errno)
            }
            if k == 0 { throw AggregationError.io(operation: "reading the temporary period file (short file)", errno: EIO) }
            done += k
        }
    }
}
