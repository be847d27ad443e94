import ArgumentParser
import Foundation
import SagstalOutput
import SagstalReport
import SagstalRunner
import SagstalScenario

struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Run one scenario per row of a CSV of municipalities, made from a template, and rank them side by side.",
        discussion: """
            Each row (columns id, name, and any of children, notificationsPerYear, placedChildren, \
            caseworkers, or a --set path such as teams.boern-og-familie.cap) becomes the template with \
            that municipality's values; empty cells are scaled from the template by children / \
            --reference-children. Writes <id>-<name>/ per row (the files of `sagstal run`), batch.csv \
            and report.html under Outputs/batch-<file>/ (or --output). See docs/batch.md.

            Examples:
              sagstal batch Scenarios/data/municipalities.csv --template Scenarios/base/denmark.yaml -n 20
              sagstal batch Scenarios/data/municipalities.csv --template Scenarios/base/denmark.yaml --shard 0/4 -o shards/shard-0
            """
    )

    @Argument(help: "The batch file: CSV, one row per municipality (docs/batch.md).", completion: .file(extensions: ["csv"]))
    var file: String

    @Option(help: "The template scenario every row starts from.", completion: .file(extensions: ["yaml", "yml"]))
    var template: String

    @Option(name: .customLong("reference-children"), parsing: .unconditional,
            help: ArgumentHelp("The number of children 0–17 the template is sized for (Scenarios/base/denmark.yaml: 10000).", valueName: "children"))
    var referenceText: String = "10000"

    @OptionGroup var set: OverrideOptions
    @OptionGroup var replication: ReplicationOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var work: ForceOption
    @OptionGroup var shard: ShardOption

    var reference: Double? { Double(referenceText).flatMap { $0.isFinite && $0 > 0 ? $0 : nil } }

    func validate() throws {
        if reference == nil { throw ValidationError("--reference-children: expected a number > 0, found '\(referenceText)'") }
    }

    func run() throws {
        let cancellation = Interrupts.install()
        let rows: [BatchRow]
        do {
            rows = try BatchTable.read(path: file)
        } catch let e as BatchFileErrors {
            Terminal.printError(e.description)
            throw e.errors.first?.line == 0 ? SagstalExit.missingInput.exitCode : Terminal.invalidScenario
        }
        let request = ScenarioRequest(path: template, overrides: set.overrides, replications: replication.replications,
                                      seed: replication.seed, years: replication.years)
        let loaded: (plan: BatchPlan, scenarios: [LoadedScenario])
        do {
            loaded = try BatchJob.load(rows: rows, file: file, template: request, referenceChildren: reference ?? BatchJob.defaultReferenceChildren)
        } catch let e as ScenarioError {
            throw Terminal.scenarioFailure(e, paths: [template])
        }
        try Terminal.handleWarnings(Terminal.distinct(loaded.scenarios.map(\.warnings)), strict: set.strict, quiet: output.quiet)
        let overrides = request.allOverrides
        let outputRequest = BatchJob.request(loaded.plan, overrides: overrides, scenarios: loaded.scenarios)
        let plan = BatchJob.shardPlan(loaded.plan, scenarios: loaded.scenarios, overrides: overrides, request: outputRequest,
                                      language: output.lang, dialect: output.csvDialect)
        let defaultDirectory = BatchJob.defaultOutputDirectory(for: file, overrides: overrides)
        if let spec = shard.spec {
            try Terminal.runShard(plan, scenarios: loaded.scenarios.map(\.scenario), shard: spec, output: output, explicit: output.output,
                                  defaultDirectory: defaultDirectory, force: work.force)
            return
        }
        try WorkCheck.confirm(loaded.scenarios.map(\.scenario), jobs: output.jobCount, force: work.force, quiet: output.quiet)
        let directory = output.output.map { URL(fileURLWithPath: $0) } ?? defaultDirectory
        try Terminal.guarded(output: directory) {
            try Terminal.checkOutput(directory, request: outputRequest, force: work.force, quiet: output.quiet)
            let result = try OutputFolder.replace(directory) { staging in
                let total = loaded.scenarios.reduce(0) { $0 + $1.scenario.simulation.replications }
                let progress = output.progress(total: total, label: "batch")
                let result = try BatchJob.run(loaded.plan, scenarios: loaded.scenarios.map(\.scenario), jobs: output.jobCount,
                                              progress: progress.callback, cancellation: cancellation)
                progress.bar?.finish()
                try BatchJob.write(result, plan: plan, jobs: output.jobCount, to: staging)
                try cancellation.check()
                return result
            }
            guard !output.quiet else { return }
            let sim = result.scenarios[0].simulation
            print("batch: \(rows.count) municipalities × \(sim.replications) replications, \(Terminal.number(sim.years)) years, seed \(sim.seed)")
            print(BatchReport.console(BatchJob.summaryRows(result), language: output.lang))
            print(Messages(language: output.lang).timing(events: result.eventsProcessed, seconds: result.wallSeconds))
            print(Messages(language: output.lang).wrote(directory))
        }
    }
}
