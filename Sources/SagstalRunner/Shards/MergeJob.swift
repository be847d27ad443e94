import Foundation
import SagstalModel
import SagstalOutput
import SagstalScenario
import SagstalStats

/// The shards of one run, checked and ready to merge (``MergeJob/load(_:)``).
public struct MergeInput: Sendable {
    /// Shard folders, ordered by shard index.
    public let folders: [URL]
    public let manifests: [ShardManifest]
    public let plan: ShardPlan
    public let scenarios: [Scenario]

    public var replications: Int { manifests[0].replications }
    /// The shards' simulation time, added up (`run.json` of the merged folder).
    public var wallSeconds: Double { manifests.reduce(0) { $0 + $1.wallSeconds } }
    /// The shards' threads, added up.
    public var jobs: Int { manifests.reduce(0) { $0 + $1.jobs } }
}

/// What a merge wrote.
public struct MergeResult: Sendable {
    public let input: MergeInput
    /// The run (`run`, `batch`: each arm's; `compare`: each scenario's; `sweep`: each point's).
    public let runs: [AggregatedRun]
    public let comparison: ComparisonRun?
    public let sweep: SweepRun?
    public let batch: BatchRun?
    public let eventsProcessed: Int
}

/// `sagstal merge SHARD_DIR… -o DIR`: checks that the shards are the whole of one run and writes
/// the files the command writes without shards, from the shards' records (docs/cluster.md).
public enum MergeJob {
    /// Reads and checks the shards; writes nothing.
    ///
    /// Refused, naming the folders: a folder that is not a shard; shards made by another tool
    /// version, GSL, or generator; of other scenarios (different resolved YAML), commands, options,
    /// seeds, replications or numbers of shards; a shard given twice; missing shards (naming their
    /// replications); a `records.bin` whose size or hash differs from its manifest.
    /// - Throws: ``ShardError``.
    public static func load(_ folders: [URL]) throws -> MergeInput {
        guard !folders.isEmpty else { throw ShardError.mismatch("merge needs at least one shard folder") }
        var pairs: [(URL, ShardManifest)] = []
        for f in folders {
            var m = try ShardManifest.read(f)
            // Shards of one run carry equal plans: keep one copy (1,000 shards of a batch would
            // otherwise hold 1,000 copies of every resolved scenario). A plan that differs stays
            // as read, and is refused below.
            if let first = pairs.first?.1, m.planHash == first.planHash, m.plan == first.plan { m.plan = first.plan }
            pairs.append((f, m))
        }
        let (f0, m0) = pairs[0]
        for (f, m) in pairs.dropFirst() {
            func differ(_ what: String, _ a: String, _ b: String) -> ShardError {
                .mismatch("\(f.path) and \(f0.path) are not shards of one run: \(what) \(b) vs \(a); merge only the shards of one `--shard K/N` run")
            }
            if m.tool.version != m0.tool.version || m.tool.name != m0.tool.name {
                throw differ("made by", "\(m0.tool.name) \(m0.tool.version)", "\(m.tool.name) \(m.tool.version)")
            }
            if m.tool.gsl != m0.tool.gsl { throw differ("GSL", m0.tool.gsl, m.tool.gsl) }
            if m.tool.generator != m0.tool.generator || m.tool.entityGenerator != m0.tool.entityGenerator {
                throw differ("generators", "\(m0.tool.generator)/\(m0.tool.entityGenerator)", "\(m.tool.generator)/\(m.tool.entityGenerator)")
            }
            if m.command != m0.command { throw differ("command", m0.command.rawValue, m.command.rawValue) }
            if m.seed != m0.seed { throw differ("seed", String(m0.seed), String(m.seed)) }
            if m.scenarioHash != m0.scenarioHash {
                throw differ("scenario (hash of the resolved scenarios)", m0.scenarioHash, m.scenarioHash)
            }
            if m.replications != m0.replications { throw differ("replications", String(m0.replications), String(m.replications)) }
            if m.shard.count != m0.shard.count {
                throw differ("split", "\(m0.shard.count) shards (\(f0.lastPathComponent) is \(m0.shard))", "\(m.shard.count) shards (\(f.lastPathComponent) is \(m.shard))")
            }
            if m.planHash != m0.planHash { throw differ("options (overrides, language, CSV dialect, --strict or the command's request)", m0.planHash, m.planHash) }
        }
        for (f, m) in pairs {
            guard try ShardJob.hash(of: m.plan) == m.planHash, m.plan.scenarioHash == m.scenarioHash,
                  m.shard.range(replications: m.replications) == m.first..<m.end else {
                throw ShardError.notAShard(path: f.path, why: "\(ShardManifest.fileName) does not agree with itself (edited by hand?)")
            }
        }
        // Gaps and overlaps: each of the N ranges exactly once.
        var byIndex: [Int: URL] = [:]
        for (f, m) in pairs {
            if let other = byIndex[m.shard.index] {
                throw ShardError.mismatch("shard \(m.shard) (replications \(m.first)..<\(m.end)) is given twice: \(other.path) and \(f.path); each shard once")
            }
            byIndex[m.shard.index] = f
        }
        let n = m0.shard.count
        let missing = (0..<n).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            let list = missing.prefix(10).map { k -> String in
                let r = ShardSpec(index: k, count: n).range(replications: m0.replications)
                return "\(k)/\(n) (replications \(r.lowerBound)..<\(r.upperBound))"
            }.joined(separator: ", ")
            throw ShardError.mismatch("\(missing.count) of \(n) shards \(missing.count == 1 ? "is" : "are") missing: \(list)\(missing.count > 10 ? ", …" : ""); give every shard folder of the run")
        }
        let sorted = pairs.sorted { $0.1.shard.index < $1.1.shard.index }
        for (f, m) in sorted {
            let path = f.appendingPathComponent(ShardManifest.recordsFileName).path
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
            guard let size else { throw ShardError.notAShard(path: f.path, why: "it has no \(ShardManifest.recordsFileName)") }
            guard size == m.recordsBytes, size == (m.end - m.first) * m.rowBytes else {
                throw ShardError.notAShard(path: f.path, why: "\(ShardManifest.recordsFileName) has \(size) bytes, its manifest says \(m.recordsBytes) (an unfinished copy?)")
            }
        }
        let scenarios = try m0.plan.scenarios(path: f0.path)
        let layouts = try scenarios.map { try CompiledScenario($0).layout }
        guard layouts == m0.layouts else {
            throw ShardError.notAShard(path: f0.path, why: "its records' metrics differ from those of its scenarios (made by another build?)")
        }
        return MergeInput(folders: sorted.map(\.0), manifests: sorted.map(\.1), plan: m0.plan, scenarios: scenarios)
    }

    /// Streams every replication's records, in replication order, checking each file's hash.
    /// - Throws: ``ShardError/notAShard(path:why:)`` for a damaged `records.bin`.
    static func records(_ input: MergeInput, _ body: ([ReplicationRecord]) throws -> Void) throws {
        for (f, m) in zip(input.folders, input.manifests) {
            let path = f.appendingPathComponent(ShardManifest.recordsFileName).path
            let hash = try ShardRecords.read(path, first: m.first, count: m.end - m.first, layouts: m.layouts, body)
            guard hash == m.recordsHash else {
                throw ShardError.notAShard(path: f.path, why: "\(ShardManifest.recordsFileName) is damaged (its hash is \(hash), the manifest says \(m.recordsHash))")
            }
        }
    }

    /// Computes the statistics from the shards' records and writes the command's files into `directory`
    /// (a staging folder: the caller replaces the output folder with it).
    ///
    /// - Parameter edgeCheck: for a sweep, called with the edge-of-grid warnings before anything is
    ///   written (the CLI prints them and, under `--strict`, refuses).
    public static func write(_ input: MergeInput, to directory: URL,
                             edgeCheck: ([Diagnostic]) throws -> Void = { _ in }) throws -> MergeResult {
        let plan = input.plan
        let n = input.replications
        let layouts = input.manifests[0].layouts
        let language = plan.reportLanguage, dialect = plan.csvDialect
        switch plan.command {
        case .run:
            let aggregator = try RunAggregator(layout: layouts[0], replications: n)
            try records(input) { try aggregator.add($0[0]) }
            let run = try aggregator.finish()
            let arm = plan.arms[0]
            try RunJob.write(run, of: input.scenarios[0], wallSeconds: input.wallSeconds, jobs: input.jobs, to: directory,
                             language: language, dialect: dialect, warnings: arm.warnings, sources: arm.sources,
                             overrides: plan.overrides, request: plan.request)
            return MergeResult(input: input, runs: [run], comparison: nil, sweep: nil, batch: nil, eventsProcessed: run.eventsProcessed)
        case .compare:
            let accumulator = try CompareJob.Accumulator(layouts: layouts, replications: n)
            try records(input) { try accumulator.add($0) }
            let result = try accumulator.finish(scenarios: input.scenarios, names: plan.arms.map(\.name), wallSeconds: input.wallSeconds)
            _ = try CompareJob.write(result, notes: plan.notes, jobs: input.jobs, to: directory, language: language, dialect: dialect,
                                     warnings: plan.arms.map(\.warnings), sources: plan.arms.map(\.sources),
                                     overrides: plan.overrides, request: plan.request)
            return MergeResult(input: input, runs: result.runs, comparison: result, sweep: nil, batch: nil, eventsProcessed: result.eventsProcessed)
        case .sweep, .batch:
            let aggregators = try layouts.map { try RunAggregator(layout: $0, replications: n) }
            try records(input) { rows in for (a, r) in zip(aggregators, rows) { try a.add(r) } }
            let runs = try aggregators.map { try $0.finish() }
            let events = runs.reduce(0) { $0 + $1.eventsProcessed }
            if plan.command == .sweep {
                let result = SweepRun(axes: plan.axes, points: SweepJob.grid(plan.axes), scenarios: input.scenarios, runs: runs,
                                      eventsProcessed: events, wallSeconds: input.wallSeconds)
                let edge = result.edgeWarnings
                try edgeCheck(edge)
                try SweepJob.write(result, jobs: input.jobs, to: directory, language: language, dialect: dialect,
                                   pointWarnings: plan.arms.map(\.warnings), warnings: edge.map(\.outputWarning),
                                   pointSources: plan.arms.map(\.sources), overrides: plan.overrides, request: plan.request)
                return MergeResult(input: input, runs: runs, comparison: nil, sweep: result, batch: nil, eventsProcessed: events)
            }
            guard let batchPlan = plan.batch else {
                throw ShardError.notAShard(path: input.folders[0].path, why: "a batch shard without its batch description")
            }
            let result = BatchRun(plan: batchPlan, scenarios: input.scenarios, runs: runs, eventsProcessed: events,
                                  wallSeconds: input.wallSeconds)
            try BatchJob.write(result, plan: plan, jobs: input.jobs, to: directory)
            return MergeResult(input: input, runs: runs, comparison: nil, sweep: nil, batch: result, eventsProcessed: events)
        }
    }
}
