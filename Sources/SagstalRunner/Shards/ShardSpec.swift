import Foundation

/// `--shard K/N`: the K-th of N contiguous ranges of replication indices (K = 0, …, N−1, as
/// Slurm's `SLURM_ARRAY_TASK_ID` of `sbatch --array=0-(N-1)`; docs/cluster.md).
///
/// Every replication's random streams depend only on (seed, replication index)
/// (docs/model-reference.md §7), so the shards of a run are independent and their records,
/// put together by `sagstal merge`, are those of the whole run.
public struct ShardSpec: Sendable, Equatable, Codable, CustomStringConvertible {
    /// 0-based.
    public let index: Int
    public let count: Int

    /// The most shards of one run.
    public static let maximumCount = 100_000

    public init(index: Int, count: Int) {
        precondition(count >= 1 && index >= 0 && index < count, "shard \(index)/\(count)")
        self.index = index
        self.count = count
    }

    /// Parses `K/N` (0 ≤ K < N ≤ ``maximumCount``).
    /// - Throws: `ShardError.badSpec` saying what was expected.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw ShardError.badSpec("--shard: expected K/N with whole numbers, the 0-based shard K of N shards (e.g. 0/4 … 3/4; Slurm: --shard ${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}), found '\(text)'")
        }
        guard n >= 1, n <= Self.maximumCount else {
            throw ShardError.badSpec("--shard \(text): the number of shards N must be from 1 to \(Self.maximumCount), found \(n)")
        }
        guard k >= 0, k < n else {
            throw ShardError.badSpec("--shard \(text): K counts from 0, so it must be from 0 to \(n - 1) for \(n) shards, found \(k)\(k == n ? " (the last shard is \(n - 1)/\(n))" : "")")
        }
        self.init(index: k, count: n)
    }

    /// The replications of this shard among `0..<replications`: ⌊K·R/N⌋ ..< ⌊(K+1)·R/N⌋, so the
    /// N ranges are contiguous, in order, cover every replication once and differ in size by at most one.
    public func range(replications r: Int) -> Range<Int> {
        (index * r / count)..<((index + 1) * r / count)
    }

    public var description: String { "\(index)/\(count)" }
}

/// What `--shard` and `sagstal merge` refuse.
public enum ShardError: Error, Equatable, CustomStringConvertible {
    case badSpec(String)
    /// More shards than replications: some shard would have none.
    case tooManyShards(shards: Int, replications: Int)
    /// An option that cannot be sharded (e.g. `--episodes`).
    case notShardable(String)
    /// A folder given to merge is not a shard, or its files are damaged.
    case notAShard(path: String, why: String)
    /// The shards are not of one run (scenario, tool version, seed, options), or their ranges
    /// have gaps or overlaps.
    case mismatch(String)

    public var description: String {
        switch self {
        case .badSpec(let why): return why
        case .tooManyShards(let n, let r):
            return "--shard: \(n) shards for \(r) replication\(r == 1 ? "" : "s") would leave some shards empty; use at most \(r) shards (or more replications, -n)"
        case .notShardable(let why): return why
        case .notAShard(let path, let why): return "\(path): not a shard folder of sagstal: \(why)"
        case .mismatch(let why): return why
        }
    }
}
