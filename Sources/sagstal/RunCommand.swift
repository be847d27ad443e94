import ArgumentParser
import Foundation
import SagstalOutput
import SagstalRunner
import SagstalScenario

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario and write summary.json, yearly.csv, monthly.csv, replications.csv and scenario.resolved.yaml."
    )

    @OptionGroup var scenario: ScenarioOptions
    @OptionGroup var replication: ReplicationOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let loaded = try Terminal.loadOrExit(scenario.request(replication))
        let directory = output.output.map { URL(fileURLWithPath: $0) } ?? RunJob.defaultOutputDirectory(for: scenario.scenario)
        let total = loaded.scenario.simulation.replications
        let progress = output.progress(total: total, label: loaded.scenario.name)
        let result = try RunJob.run(loaded, output: directory, jobs: output.jobCount, language: output.lang,
                                    dialect: output.csvDialect, progress: progress.callback)
        progress.bar?.finish()
        if !output.quiet {
            let say = Messages(language: output.lang)
            let sim = loaded.scenario.simulation
            print(ConsoleTable.keyTotals(result.run, title: say.runTitle(loaded.scenario.name, replications: total, years: sim.years, seed: sim.seed),
                                         colour: Terminal.stdoutIsTerminal, language: output.lang))
            print(say.timing(events: result.metadata.eventsProcessed, seconds: result.metadata.wallSeconds, jobs: result.metadata.jobs))
            print(say.wrote(result.outputDirectory))
        }
    }
}
