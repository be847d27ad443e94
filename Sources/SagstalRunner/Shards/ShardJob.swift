import Foundation
import SagstalModel
import SagstalOutput
import SagstalRandom
import SagstalScenario
import SagstalStats

/// `sagstal run|compare|sweep|batch … --shard K/N`: simulates the shard's replications of every
/// arm of a ``ShardPlan`` and writes a shard folder: `shard.json` (``ShardManifest``) and
/// `records.bin` (``ShardRecords``). Nothing else: the output files are written by `sagstal merge`.
public enum ShardJob {
    /// Runs shard `shard` of `plan` (whose scenarios are `scenarios`, in arm order) on `jobs`
    /// threads and writes its folder `output`, replaced as a whole (``OutputFolder``).
    ///
    /// - Throws: ``ShardError/tooManyShards(shards:replications:)`` (N > replications),
    ///   ``ShardError/mismatch(_:)`` when the arms differ in seed or replications, the errors of
    ///   the simulation, `OutputError`, ``Interrupted``.
    @discardableResult
    public static func run(_ plan: ShardPlan, scenarios: [Scenario], shard: ShardSpec, output: URL, jobs: Int,
                           progress: (@Sendable (Int) -> Void)? = nil, cancellation: Cancellation? = nil) throws -> ShardManifest {
        let sim = scenarios[0].simulation
        for (arm, s) in zip(plan.arms, scenarios) where s.simulation.replications != sim.replications || s.simulation.seed != sim.seed {
            throw ShardError.mismatch("\(arm.name) has \(s.simulation.replications) replications and seed \(s.simulation.seed), \(plan.arms[0].name) \(sim.replications) and \(sim.seed): the arms of a sharded command must share both")
        }
        guard shard.count <= sim.replications else { throw ShardError.tooManyShards(shards: shard.count, replications: sim.replications) }
        let compiled = try scenarios.map { try CompiledScenario($0) }
        let layouts = compiled.map(\.layout)
        let range = shard.range(replications: sim.replications)
        let planHash = try hash(of: plan)
        return try OutputFolder.replace(output) { staging in
            let clock = ContinuousClock()
            let started = clock.now
            let path = staging.appendingPathComponent(ShardManifest.recordsFileName).path
            let writer = try ShardRecords.Writer(path: path, rowBytes: ShardRecords.rowBytes(layouts), first: range.lowerBound)
            var events = 0
            try SimulationRunner.forEachReplication(range.count, jobs: jobs, progress: progress, cancellation: cancellation, work: { i in
                try compiled.map { try Replication($0, index: range.lowerBound + i).run() }
            }, deliver: { records in
                try writer.write(records)
                events += records.reduce(0) { $0 + $1.eventsProcessed }
            })
            let elapsed = clock.now - started
            let tool = RunJob.tool(generator: sim.generator)
            let manifest = ShardManifest(
                format: ShardManifest.currentFormat,
                tool: .init(name: tool.name, version: tool.version, gsl: tool.gslVersion, generator: tool.generator,
                            entityGenerator: tool.entityGenerator),
                command: plan.command, scenarioHash: plan.scenarioHash, planHash: planHash, seed: sim.seed,
                replications: sim.replications, shard: shard, first: range.lowerBound, end: range.upperBound, layouts: layouts,
                recordsBytes: range.count * ShardRecords.rowBytes(layouts), recordsHash: try ShardRecords.hash(path),
                eventsProcessed: events,
                wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                jobs: max(1, min(jobs, range.count)), plan: plan)
            let data = try manifest.json()
            // What merge will read back must be this plan, bit for bit.
            guard try JSONDecoder().decode(ShardManifest.self, from: data) == manifest else {
                throw ShardError.mismatch("internal error: shard.json does not read back as written (please report it)")
            }
            try AtomicFile.write([(url: staging.appendingPathComponent(ShardManifest.fileName), data: data)])
            try cancellation?.check()
            return manifest
        }
    }

    /// The FNV-1a hash of the plan's JSON (sorted keys): equal plans, equal hashes.
    static func hash(of plan: ShardPlan) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return ShardHash.fnv1a(String(decoding: try encoder.encode(plan), as: UTF8.self))
    }

    /// The default shard folder: the command's output folder name with `-shard-K-of-N`.
    public static func defaultDirectory(_ output: URL, shard: ShardSpec) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(output.lastPathComponent + "-shard-\(shard.index)-of-\(shard.count)")
    }
}
