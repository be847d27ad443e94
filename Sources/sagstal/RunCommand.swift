import ArgumentParser
import Foundation
import SagstalOutput
import SagstalReport
import SagstalRunner
import SagstalScenario

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario and write summary.json, yearly.csv, monthly.csv, replications.csv, scenario.resolved.yaml and report.html.",
        discussion: """
            Writes into Outputs/<scenario file>/ (with a hash of the overrides when there are any) or --output; \
            open report.html in a browser. Results do not depend on --jobs.

            Examples:
              sagstal run Scenarios/example.yaml
              sagstal run Scenarios/example.yaml -n 500 --seed 7 --years 5 --set teams.east.cap=20
              sagstal run Scenarios/example.yaml --episodes --episodes-replications 0..9
            """
    )

    @OptionGroup var scenario: ScenarioOptions
    @OptionGroup var replication: ReplicationOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var work: ForceOption
    @OptionGroup var shard: ShardOption

    @Flag(help: "Also write episodes.csv: one row per stay of a child in a phase (docs/model-reference.md §8), streamed to disk.")
    var episodes = false

    @Flag(name: .customLong("episodes-days"), help: "Write episode start and end as days since the start instead of ISO date-times (implies --episodes).")
    var episodesDays = false

    @Option(name: .customLong("episodes-replications"),
            help: ArgumentHelp("Write the stays of these replications only, like 0..9 or 3 (implies --episodes; default: all).",
                               valueName: "A..B"))
    var episodesReplications: String?

    func validate() throws {
        if let text = episodesReplications, EpisodeOptions.parseRange(text) == nil {
            throw ValidationError("--episodes-replications: expected a range like 0..9 or a replication number like 3, found '\(text)'")
        }
        if shard.text != nil, episodeOptions != nil {
            throw ValidationError("--shard cannot be combined with --episodes: run the episodes export without --shard (docs/cluster.md)")
        }
    }

    /// The episodes export asked for, if any.
    var episodeOptions: EpisodeOptions? {
        guard episodes || episodesDays || episodesReplications != nil else { return nil }
        return EpisodeOptions(days: episodesDays, replications: episodesReplications.flatMap(EpisodeOptions.parseRange))
    }

    func run() throws {
        let cancellation = Interrupts.install()
        let loaded = try Terminal.loadOrExit(scenario.request(replication))
        try Terminal.handleWarnings(loaded.warnings, strict: scenario.set.strict, quiet: output.quiet)
        if let spec = shard.spec {
            let request = RunJob.request(loaded, file: scenario.scenario)
            let plan = ShardPlan.run(loaded, file: scenario.scenario, request: request, language: output.lang, dialect: output.csvDialect)
            try Terminal.runShard(plan, scenarios: [loaded.scenario], shard: spec, output: output, explicit: output.output,
                                  defaultDirectory: RunJob.defaultOutputDirectory(for: scenario.scenario, overrides: loaded.overrides),
                                  force: work.force)
            return
        }
        try WorkCheck.confirm([loaded.scenario], jobs: output.jobCount, force: work.force, quiet: output.quiet)
        // A run with overrides gets a folder of its own (Outputs/<file>-<hash>); a folder holding another run is refused.
        let directory = output.output.map { URL(fileURLWithPath: $0) }
            ?? RunJob.defaultOutputDirectory(for: scenario.scenario, overrides: loaded.overrides)
        let request = RunJob.request(loaded, file: scenario.scenario)
        try Terminal.guarded(output: directory) {
            try Terminal.checkOutput(directory, request: request, force: work.force, quiet: output.quiet)
            let total = loaded.scenario.simulation.replications
            let progress = output.progress(total: total, label: loaded.scenario.name)
            let result = try RunJob.run(loaded, output: directory, jobs: output.jobCount, language: output.lang,
                                        dialect: output.csvDialect, episodes: episodeOptions, progress: progress.callback,
                                        cancellation: cancellation, request: request)
            progress.bar?.finish()
            if !output.quiet {
                let say = Messages(language: output.lang)
                let sim = loaded.scenario.simulation
                let key = KeyAssumptions(scenarios: [loaded.scenario], names: [loaded.scenario.name], sources: [loaded.sources],
                                         overrides: loaded.overrides)
                let title = say.runTitle(loaded.scenario.name, replications: total, years: sim.years, seed: sim.seed)
                    + "\n" + Terminal.assumptions(key, language: output.lang)
                print(ConsoleTable.keyTotals(result.run, title: title,
                                             colour: Terminal.stdoutIsTerminal, language: output.lang,
                                             displayNames: ScenarioNames.of(loaded.scenario)))
                print(say.timing(events: result.metadata.eventsProcessed, seconds: result.metadata.wallSeconds, jobs: result.metadata.jobs))
                print(say.wrote(result.outputDirectory))
            }
        }
    }
}
