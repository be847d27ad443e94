import ArgumentParser
import Foundation
import SagstalOutput
import SagstalReport
import SagstalRunner
import SagstalScenario

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare scenarios on the same replications (common random numbers): paired differences, placements avoided, P(cheaper), break-even year.",
        discussion: """
            The first scenario is the baseline; every other one is compared with it. The alternatives \
            take the baseline's seed, replications and years, so replication r of each scenario sees the \
            same notifications. Writes comparison.json, comparison.csv and each scenario's own outputs \
            under Outputs/compare-A-vs-B/ (or --output).

            Break-even: a replication breaks even in the first budget year from which the alternative's \
            cumulative total cost stays at or below the baseline's until the horizon (a dip below that \
            comes back above does not count); "not within the horizon" if it is still above in the last \
            year. The console gives the median of these years over the replications and the break-even \
            year of the mean cumulative net cost, with the month in which the mean crosses zero \
            (interpolated linearly within the year). See docs/model.md, "Comparing scenarios".

            Examples:
              sagstal compare Scenarios/aalborg-before.yaml Scenarios/aalborg-16-extra.yaml
              sagstal compare Scenarios/broenderslev-before.yaml Scenarios/broenderslev-varige-spor.yaml -n 200 --lang da
            """
    )

    @Argument(help: "Scenario files: the baseline first, then one or more alternatives.", completion: .file(extensions: ["yaml", "yml"]))
    var scenarios: [String]

    @OptionGroup var set: OverrideOptions
    @OptionGroup var replication: ReplicationOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var work: ForceOption
    @OptionGroup var shard: ShardOption

    func validate() throws {
        if scenarios.count < 2 { throw ValidationError("compare needs a baseline and at least one alternative scenario file.") }
    }

    func run() throws {
        let cancellation = Interrupts.install()
        let requests = scenarios.map {
            ScenarioRequest(path: $0, overrides: set.overrides, replications: replication.replications,
                            seed: replication.seed, years: replication.years)
        }
        let loaded: (scenarios: [LoadedScenario], notes: [String])
        do {
            let l = try CompareJob.load(requests)
            loaded = (l.scenarios, l.notes)
        } catch let e as PlannerError {
            Terminal.printError("error: \(e.description)")
            throw Terminal.invalidScenario
        } catch let e as ScenarioError {
            throw Terminal.scenarioFailure(e, paths: scenarios)
        }
        try Terminal.handleWarnings(Terminal.distinct(loaded.scenarios.map(\.warnings)), strict: set.strict, quiet: output.quiet)
        if !output.quiet { for n in loaded.notes { Terminal.printError("note: \(n)") } }
        let names = CompareJob.names(for: scenarios)
        let overrides = loaded.scenarios[0].overrides
        let request = CompareJob.request(loaded.scenarios, files: scenarios, names: names)
        if let spec = shard.spec {
            let plan = ShardPlan.compare(loaded.scenarios, names: names, notes: loaded.notes, request: request,
                                         language: output.lang, dialect: output.csvDialect)
            try Terminal.runShard(plan, scenarios: loaded.scenarios.map(\.scenario), shard: spec, output: output, explicit: output.output,
                                  defaultDirectory: CompareJob.defaultOutputDirectory(names: names, overrides: overrides), force: work.force)
            return
        }
        try WorkCheck.confirm(loaded.scenarios.map(\.scenario), jobs: output.jobCount, force: work.force, quiet: output.quiet)
        let directory = output.output.map { URL(fileURLWithPath: $0) }
            ?? CompareJob.defaultOutputDirectory(names: names, overrides: overrides)
        let sim = loaded.scenarios[0].scenario.simulation
        try Terminal.guarded(output: directory) {
            try Terminal.checkOutput(directory, request: request, force: work.force, quiet: output.quiet)
            let result = try OutputFolder.replace(directory) { staging in
                let progress = output.progress(total: sim.replications, label: "compare")
                let result = try CompareJob.run(loaded.scenarios.map(\.scenario), names: names, jobs: output.jobCount,
                                                progress: progress.callback, cancellation: cancellation)
                progress.bar?.finish()
                _ = try CompareJob.write(result, notes: loaded.notes, jobs: output.jobCount, to: staging,
                                         language: output.lang, dialect: output.csvDialect,
                                         warnings: loaded.scenarios.map { $0.warnings.map(\.outputWarning) },
                                         sources: loaded.scenarios.map(\.sources), overrides: overrides, request: request)
                try cancellation.check()
                return result
            }
            guard !output.quiet else { return }
            let say = Messages(language: output.lang)
            print(say.compareTitle(replications: sim.replications, years: sim.years, seed: sim.seed))
            let key = KeyAssumptions(scenarios: result.scenarios, names: names, sources: loaded.scenarios.map(\.sources),
                                     overrides: overrides)
            print(Terminal.assumptions(key, language: output.lang), terminator: "")
            let titles = result.scenarios.map(\.name)
            for p in result.pairs {
                print("")
                print(say.pairHeading(alternative: titles[p.alternative], baseline: titles[p.baseline],
                                      alternativeFile: names[p.alternative], baselineFile: names[p.baseline]))
                print(ConsoleTable.comparison(p, baseline: names[p.baseline], alternative: names[p.alternative],
                                              colour: Terminal.stdoutIsTerminal, language: output.lang,
                                              displayNames: ScenarioNames.of(result.scenarios),
                                              width: Terminal.columns(STDOUT_FILENO)))
            }
            print("")
            print(say.timing(events: result.eventsProcessed, seconds: result.wallSeconds))
            print(say.wrote(directory))
        }
    }
}
