import ArgumentParser
import Foundation
import SagstalOutput
import SagstalReport
import SagstalRunner
import SagstalScenario
import SagstalThreshold

struct ThresholdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "threshold",
        abstract: "How large must an assumed effect be for B to pay for itself against A? The smallest factor k on the effect at which the paired net cost is 0 (Brent's method), with a 95 % CI.",
        discussion: """
            Every --scale EFFECT multiplies that effect in both scenarios by the same k (k = 1: as written; \
            caseload.elasticity: the four elasticities; teams.ID.method or teams.*.method: each method \
            multiplier's deviation from 1). Both scenarios run on the same replications for every k. \
            Writes threshold.json, threshold.csv and report.html under Outputs/threshold-A-vs-B/ (or --output). \
            Definitions: docs/decision-support.md.

            Examples:
              sagstal threshold Scenarios/broenderslev-before.yaml Scenarios/broenderslev-varige-spor.yaml --scale caseload.elasticity
            """
    )

    @Argument(help: "The baseline scenario A, then the alternative B.", completion: .file(extensions: ["yaml", "yml"]))
    var scenarios: [String]

    @Option(name: .customLong("scale"), parsing: .singleValue,
            help: ArgumentHelp("An effect to scale (repeatable; all by the same k), e.g. caseload.elasticity or teams.*.method.", valueName: "effect"))
    var scale: [String] = []

    @Option(help: "The metric whose total over the horizon must be at most the baseline's: cost.total or cost.npv.")
    var metric = "cost.total"

    @Option(name: .customLong("max-factor"), help: "How far k is searched (the grid runs 0–2, then doubles up to this).")
    var maxFactor = 4.0

    @OptionGroup var set: OverrideOptions
    @OptionGroup var replication: ReplicationOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var work: ForceOption

    func validate() throws {
        if scenarios.count != 2 { throw ValidationError("threshold needs two scenario files: the baseline A and the alternative B") }
        if scale.isEmpty { throw ValidationError("threshold needs at least one --scale EFFECT (e.g. --scale caseload.elasticity)") }
        for s in scale {
            do { _ = try EffectScale(path: s) } catch let e as EffectScaleError { throw ValidationError("--scale: \(e.description)") }
        }
        if !(maxFactor >= 2 && maxFactor <= 100) { throw ValidationError("--max-factor: a number from 2 to 100, found \(maxFactor)") }
    }

    func run() throws {
        let cancellation = Interrupts.install()
        let requests = scenarios.map {
            ScenarioRequest(path: $0, overrides: set.overrides, replications: replication.replications, seed: replication.seed, years: replication.years)
        }
        var settings = ThresholdSettings()
        settings.maxFactor = maxFactor
        let plan: ThresholdPlan
        do {
            plan = try ThresholdPlan(baseline: requests[0], alternative: requests[1], effects: try scale.map { try EffectScale(path: $0) },
                                     metric: metric, maxFactor: maxFactor)
        } catch let e as ScenarioError {
            throw Terminal.scenarioFailure(e, paths: scenarios)
        } catch let e as PlannerError {
            Terminal.printError("error: \(e.description)")
            throw Terminal.invalidScenario
        } catch let e as EffectScaleError {
            Terminal.printError("error: \(e.description)")
            throw SagstalExit.usage.exitCode
        } catch let e as EvaluationError {
            Terminal.printError("error: --metric: \(e.description)")
            throw SagstalExit.usage.exitCode
        }
        try Terminal.handleWarnings(Terminal.distinct(plan.nominal.map(\.warnings)), strict: set.strict, quiet: output.quiet)
        if !output.quiet { for n in plan.notes { Terminal.printError("note: \(n)") } }
        // The grid plus a typical Brent search for the root and the two CI ends.
        let expected = settings.grid.count + 24
        try WorkCheck.confirm(Array(Array(repeating: plan.nominal.map(\.scenario), count: expected).joined()), jobs: output.jobCount,
                              force: work.force, quiet: output.quiet)
        let names = CompareJob.names(for: scenarios)
        let overrides = requests[1].allOverrides
        let directory = output.output.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: "Outputs").appendingPathComponent(OutputNaming.folderName("threshold-" + names.joined(separator: "-vs-"), overrides: overrides))
        let outRequest = OutputRequest(command: "threshold", scenarioFiles: scenarios, overrides: overrides,
                                       details: scale.map { "--scale \($0)" } + ["--metric \(metric)"], resolved: [:])
        let key = KeyAssumptions(scenarios: plan.nominal.map(\.scenario), names: names, sources: plan.nominal.map(\.sources),
                                 overrides: overrides,
                                 varied: scale.map { KeyAssumptions.Varied(path: $0 + " × k", values: ["0…\(Terminal.number(maxFactor))"]) })
        try Terminal.guarded(output: directory) {
            try Terminal.checkOutput(directory, request: outRequest, force: work.force, quiet: output.quiet)
            let result = try OutputFolder.replace(directory) { staging in
                let progress = output.progress(total: expected, label: "threshold", unit: "evaluations (estimate)")
                let result = try ThresholdJob.run(plan, settings: settings, jobs: output.jobCount, progress: progress.callback,
                                                  cancellation: cancellation)
                progress.bar?.finish()
                let tool = RunJob.tool(generator: plan.simulation.generator)
                let out = ThresholdReport.files(result, tool: tool, dialect: output.csvDialect, language: output.lang,
                                                assumptions: AssumptionsBox.html(key, language: output.lang))
                try Terminal.write(out, request: outRequest, wallSeconds: result.wallSeconds, jobs: output.jobCount,
                                   events: result.eventsProcessed, to: staging)
                try cancellation.check()
                return result
            }
            if !output.quiet {
                print(Terminal.assumptions(key, language: output.lang), terminator: "")
                print(ThresholdReport.sentence(result, language: output.lang))
                print("")
                for line in ThresholdReport.yearLines(result, language: output.lang) { print("  " + line) }
                for n in result.notes { Terminal.printError("note: \(n)") }
                let say = Messages(language: output.lang)
                print("")
                print("\(result.evaluations) evaluations × \(result.replications) replications × 2 scenarios")
                print(say.timing(events: result.eventsProcessed, seconds: result.wallSeconds))
                print(say.wrote(directory))
            }
        }
    }
}
