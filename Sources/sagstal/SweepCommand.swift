import ArgumentParser
import Foundation
import SagstalOutput
import SagstalRunner
import SagstalScenario

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a scenario over a grid of parameter values with common random numbers and find the lowest-cost point.",
        discussion: """
            Each --vary PATH=v1,v2,… or PATH=lo..hi[:step] adds an axis; the full grid is run (the first axis \
            varies slowest), every point with the scenario's seed. A range gives lo, lo + step, … up to hi \
            (teams.0.cap=15..40:5 → 15, 20, …, 40; caseload.elasticity.escalate=0..0.6:0.15); without :step, \
            5 evenly spaced values (rounded to whole numbers when lo and hi are whole); at most 1,000 values \
            per axis; numbers with a decimal point. Writes sweep.csv (one row per point and metric with mean \
            and 95 % CI) and each point's own outputs in point-NNN/ under Outputs/sweep-<scenario>/ (or --output).

            Assumptions — caseload.elasticity.*, teams.*.method.*, staff.changes.*.method.*, \
            followUps.*.elasticity, staff.turnover.overloadElasticity — have no measured value (FACTS §5–6): \
            they are labelled, and the lowest-cost marker is not put on them. If every axis is an assumption, \
            no point is marked; if some are, the lowest cost is marked for each combination of assumed values. \
            See docs/plausibility.md, "Sweeps over assumptions".

            Examples:
              sagstal sweep Scenarios/example.yaml --vary teams.east.cap=15..35:5
              sagstal sweep Scenarios/example.yaml --vary teams.east.cap=20,25,30 --vary caseload.elasticity.escalate=0,0.3,0.6
            """
    )

    @OptionGroup var scenario: ScenarioOptions

    @Option(name: .customLong("vary"), parsing: .singleValue,
            help: ArgumentHelp("A parameter and its values, e.g. teams.0.cap=15,20,25,30 or teams.0.cap=15..40:5 (repeatable: the full grid is run).",
                               valueName: "path=v1,v2,…|lo..hi[:step]"))
    var vary: [String] = []

    @OptionGroup var replication: ReplicationOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var work: ForceOption
    @OptionGroup var shard: ShardOption

    func validate() throws {
        if vary.isEmpty { throw ValidationError("sweep needs at least one --vary PATH=v1,v2,… or PATH=lo..hi[:step]") }
        for v in vary {
            do { _ = try SweepAxis(parsing: v) } catch let e as PlannerError { throw ValidationError(e.description) }
        }
    }

    func run() throws {
        let cancellation = Interrupts.install()
        let axes = try vary.map { try SweepAxis(parsing: $0) }
        let scenarios: [LoadedScenario]
        do {
            scenarios = try SweepJob.load(scenario.request(replication), axes: axes)
        } catch let e as ScenarioError {
            throw Terminal.scenarioFailure(e, paths: [scenario.scenario])
        }
        try Terminal.handleWarnings(Terminal.distinct(scenarios.map(\.warnings)), strict: scenario.set.strict, quiet: output.quiet)
        let base = scenario.request(replication)
        let request = SweepJob.request(base, axes: axes, points: scenarios)
        if let spec = shard.spec {
            let plan = ShardPlan.sweep(scenarios, axes: axes, overrides: base.allOverrides, strict: scenario.set.strict, request: request,
                                       language: output.lang, dialect: output.csvDialect)
            try Terminal.runShard(plan, scenarios: scenarios.map(\.scenario), shard: spec, output: output, explicit: output.output,
                                  defaultDirectory: SweepJob.defaultOutputDirectory(for: scenario.scenario, overrides: base.allOverrides),
                                  force: work.force)
            return
        }
        try WorkCheck.confirm(scenarios.map(\.scenario), jobs: output.jobCount, force: work.force, quiet: output.quiet)
        let directory = output.output.map { URL(fileURLWithPath: $0) }
            ?? SweepJob.defaultOutputDirectory(for: scenario.scenario, overrides: base.allOverrides)
        try Terminal.guarded(output: directory) {
            try Terminal.checkOutput(directory, request: request, force: work.force, quiet: output.quiet)
            let result = try OutputFolder.replace(directory) { staging in
                let total = scenarios.reduce(0) { $0 + $1.scenario.simulation.replications }
                let progress = output.progress(total: total, label: "sweep")
                let result = try SweepJob.run(scenarios.map(\.scenario), axes: axes, jobs: output.jobCount,
                                              progress: progress.callback, cancellation: cancellation)
                progress.bar?.finish()
                // An optimum at the edge of the grid is known only now; under --strict nothing is written.
                let edge = result.edgeWarnings
                try Terminal.handleWarnings(edge, strict: scenario.set.strict, quiet: output.quiet)
                try SweepJob.write(result, jobs: output.jobCount, to: staging, language: output.lang, dialect: output.csvDialect,
                                   pointWarnings: scenarios.map { $0.warnings.map(\.outputWarning) },
                                   warnings: edge.map(\.outputWarning), pointSources: scenarios.map(\.sources),
                                   overrides: base.allOverrides, request: request)
                try cancellation.check()
                return result
            }
            guard !output.quiet else { return }
            let sim = scenarios[0].scenario.simulation
            let say = Messages(language: output.lang)
            print(say.sweepTitle(scenarios[0].scenario.name, points: result.points.count, replications: sim.replications,
                                 years: sim.years, seed: sim.seed))
            print(ConsoleTable.sweep(paths: axes.map(\.path), points: result.points, runs: result.runs,
                                     marked: result.lowestCostPoints, assumptions: result.assumptionAxes,
                                     colour: Terminal.stdoutIsTerminal, language: output.lang))
            print(say.timing(events: result.eventsProcessed, seconds: result.wallSeconds))
            print(say.wrote(directory))
        }
    }
}
