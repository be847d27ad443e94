import ArgumentParser
import Foundation
import SagstalOutput
import SagstalReport
import SagstalRunner
import SagstalScenario

/// `--shard K/N` of run, compare, sweep and batch (docs/cluster.md).
struct ShardOption: ParsableArguments {
    @Option(name: .customLong("shard"),
            help: ArgumentHelp("Run only the K-th (from 0) of N contiguous ranges of replications and write a shard folder (shard.json, records.bin) for `sagstal merge` (docs/cluster.md). With Slurm: --shard ${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}.",
                               valueName: "K/N"))
    var text: String?

    func validate() throws {
        if let text { do { _ = try ShardSpec(parsing: text) } catch let e as ShardError { throw ValidationError(e.description) } }
    }

    var spec: ShardSpec? { text.flatMap { try? ShardSpec(parsing: $0) } }
}

extension Terminal {
    /// Runs shard `shard` of `plan` into `directory` (or the command's folder with `-shard-K-of-N`)
    /// and says what it wrote.
    static func runShard(_ plan: ShardPlan, scenarios: [Scenario], shard: ShardSpec, output: OutputOptions, explicit: String?,
                         defaultDirectory: URL, force: Bool) throws {
        let directory = explicit.map { URL(fileURLWithPath: $0) } ?? ShardJob.defaultDirectory(defaultDirectory, shard: shard)
        var request = plan.request
        request.command += " --shard"
        request.details.append("--shard \(shard)")
        let n = scenarios[0].simulation.replications
        if shard.count > n {
            printError("error: \(ShardError.tooManyShards(shards: shard.count, replications: n).description)")
            throw SagstalExit.usage.exitCode
        }
        try guarded(output: directory) {
            try checkOutput(directory, request: request, force: force, quiet: output.quiet)
            let range = shard.range(replications: n)
            let progress = output.progress(total: range.count, label: "shard \(shard)")
            let manifest: ShardManifest
            do {
                manifest = try ShardJob.run(plan, scenarios: scenarios, shard: shard, output: directory, jobs: output.jobCount,
                                            progress: progress.callback, cancellation: Interrupts.cancellation)
            } catch let e as ShardError {
                printError("error: \(e.description)")
                throw SagstalExit.usage.exitCode
            }
            progress.bar?.finish()
            if !output.quiet {
                print("shard \(shard): replications \(manifest.first)..<\(manifest.end) of \(n), \(plan.arms.count) scenario\(plan.arms.count == 1 ? "" : "s")")
                print(Messages(language: output.lang).timing(events: manifest.eventsProcessed, seconds: manifest.wallSeconds, jobs: manifest.jobs))
                print("Wrote \(Terminal.displayPath(directory))/ (merge the shards with: sagstal merge SHARD_DIR… -o DIR)")
            }
        }
    }
}

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the shard folders of a `--shard K/N` run into the output folder the command writes without shards.",
        discussion: """
            Every file except run.json is byte-identical to the unsharded command's (run.json records \
            the shards' simulation time and threads, added up). Refused, with nothing written: folders \
            that are not shards, shards of different scenarios, tool versions, seeds or options, a \
            shard given twice, and missing shards. See docs/cluster.md.

            Examples:
              sagstal merge Outputs/shards/shard-* -o Outputs/example
              sagstal merge shard-0 shard-1 shard-2
            """
    )

    @Argument(help: "The shard folders (any order).", completion: .directory)
    var shards: [String]

    @Option(name: [.customShort("o"), .long], help: "Output folder (default: the command's own default folder, as without shards).")
    var output: String?

    @Flag(name: [.customShort("q"), .long], help: "Print nothing but errors.")
    var quiet = false

    @OptionGroup var work: ForceOption

    func validate() throws {
        if shards.isEmpty { throw ValidationError("merge needs the shard folders, e.g. sagstal merge shards/shard-* -o merged") }
    }

    func run() throws {
        let input: MergeInput
        do {
            input = try MergeJob.load(shards.map { URL(fileURLWithPath: $0) })
        } catch let e as ShardError {
            Terminal.printError("error: \(e.description)")
            Terminal.printError("nothing was written")
            throw SagstalExit.invalidScenario.exitCode
        }
        let plan = input.plan
        let directory = output.map { URL(fileURLWithPath: $0) } ?? defaultDirectory(plan)
        let language = plan.reportLanguage
        try Terminal.guarded(output: directory) {
            try Terminal.checkOutput(directory, request: plan.request, force: work.force, quiet: quiet)
            let clock = ContinuousClock()
            let started = clock.now
            let result = try OutputFolder.replace(directory) { staging in
                try MergeJob.write(input, to: staging) { edge in
                    try Terminal.handleWarnings(edge, strict: plan.strict, quiet: quiet)
                }
            }
            let elapsed = clock.now - started
            guard !quiet else { return }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            print("merged \(input.manifests.count) shard\(input.manifests.count == 1 ? "" : "s") of `\(plan.command.rawValue)` (\(input.replications) replications, \(plan.arms.count) scenario\(plan.arms.count == 1 ? "" : "s"), \(result.eventsProcessed) events) in \(String(format: "%.2f", seconds)) s")
            print(Messages(language: language).wrote(directory))
        }
    }

    /// The folder the command would have written to.
    func defaultDirectory(_ plan: ShardPlan) -> URL {
        let files = plan.request.scenarioFiles
        switch plan.command {
        case .run: return RunJob.defaultOutputDirectory(for: files[0], overrides: plan.overrides)
        case .compare: return CompareJob.defaultOutputDirectory(names: plan.arms.map(\.name), overrides: plan.overrides)
        case .sweep: return SweepJob.defaultOutputDirectory(for: files[0], overrides: plan.overrides)
        case .batch: return BatchJob.defaultOutputDirectory(for: files[0], overrides: plan.overrides)
        }
    }
}
