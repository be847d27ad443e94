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
            print(ConsoleTable.keyTotals(result.run, title: "\(loaded.scenario.name): \(total) replications × \(Terminal.number(loaded.scenario.simulation.years)) years, seed \(loaded.scenario.simulation.seed)", colour: Terminal.stdoutIsTerminal, language: output.lang))
            let eps = Double(result.metadata.eventsProcessed) / max(result.metadata.wallSeconds, 1e-9)
            print("\(result.metadata.eventsProcessed) events in \(String(format: "%.2f", result.metadata.wallSeconds)) s (\(String(format: "%.2f", eps / 1e6)) M events/s, \(result.metadata.jobs) jobs)")
            print("Wrote \(result.outputDirectory.path)/ (open report.html in a browser)")
        }
    }
}
