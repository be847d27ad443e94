import ArgumentParser
import Foundation
import SagstalOutput
import SagstalReport
import SagstalRunner
import SagstalScenario
import SagstalSensitivity

extension SensitivityMethod: ExpressibleByArgument {}

struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "How much each assumption moves the answer: one-at-a-time tornado, Morris screening or Sobol indices, with common random numbers.",
        discussion: """
            Each --vary PATH=LO..HI sets a scenario value over a range; PATH*=LO..HI scales an assumed effect \
            (caseload.elasticity*=0..1.5 runs the four caseload elasticities from 0 to 1.5 times their values; \
            teams.*.method*=0..2 does the same for the method multipliers' deviation from 1). With --baseline \
            the outputs are paired: net cost (scenario − baseline) and placements avoided. Every evaluation \
            runs the same replications. Writes sample.csv, results.csv, tornado.csv or indices.csv, \
            sensitivity.json and report.html under Outputs/sensitivity-<scenario>/ (or --output). \
            Methods: docs/decision-support.md.

            Examples:
              sagstal sensitivity Scenarios/broenderslev-varige-spor.yaml --baseline Scenarios/broenderslev-before.yaml \\
                  --vary 'caseload.elasticity*=0..2' --vary ladder.foster.costPerYear=350000..600000
            """
    )

    @OptionGroup var scenario: ScenarioOptions

    @Option(help: ArgumentHelp("A baseline scenario: outputs become paired differences (net cost, placements avoided).", valueName: "file"))
    var baseline: String?

    @Option(name: .customLong("vary"), parsing: .singleValue,
            help: ArgumentHelp("A factor and its range: PATH=LO..HI, or PATH*=LO..HI to scale an effect (repeatable).", valueName: "path=lo..hi"))
    var vary: [String] = []

    @Option(help: ArgumentHelp("A file of factors, one PATH=LO..HI per line (# comments).", valueName: "file"))
    var ranges: String?

    @Option(help: "oat (tornado), morris or sobol.")
    var method: SensitivityMethod = .oat

    @Option(name: .customLong("output-metric"), parsing: .singleValue,
            help: ArgumentHelp("An output metric (repeatable; default cost.total and placementsStarted, or with --baseline net cost and placements avoided).", valueName: "metric"))
    var outputMetrics: [String] = []

    @Option(help: "Morris: number of trajectories r (evaluations r·(factors+1)).")
    var trajectories = 10

    @Option(help: "Morris: grid levels p.")
    var levels = 4

    @Option(name: .customLong("base-samples"), help: "Sobol: base samples N (evaluations N·(factors+2)); a power of two.")
    var baseSamples = 64

    @Option(help: "Bootstrap resamples for the Morris and Sobol confidence intervals.")
    var bootstrap = 1000

    @OptionGroup var replication: ReplicationOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var work: ForceOption

    func validate() throws {
        if vary.isEmpty && ranges == nil { throw ValidationError("sensitivity needs at least one --vary PATH=LO..HI (or --ranges FILE)") }
        for v in vary {
            do { _ = try Factor(parsing: v) } catch let e as SensitivityInputError { throw ValidationError(e.description) }
        }
        if trajectories < 2 { throw ValidationError("--trajectories: at least 2, found \(trajectories)") }
        if levels < 2 || levels % 2 != 0 { throw ValidationError("--levels: an even number ≥ 2, found \(levels)") }
        if baseSamples < 8 { throw ValidationError("--base-samples: at least 8, found \(baseSamples)") }
        if bootstrap < 100 { throw ValidationError("--bootstrap: at least 100, found \(bootstrap)") }
    }

    func run() throws {
        let cancellation = Interrupts.install()
        var factors = try vary.map { try Factor(parsing: $0) }
        if let ranges {
            do { factors += try Factor.read(file: ranges) } catch let e as SensitivityInputError {
                Terminal.printError("error: \(e.description)")
                throw ValidationError(e.description)
            }
        }
        var settings = SensitivitySettings()
        settings.method = method
        settings.trajectories = trajectories
        settings.levels = levels
        settings.baseSamples = baseSamples
        settings.bootstrap = bootstrap
        let request = scenario.request(replication)
        let baselineRequest = baseline.map {
            ScenarioRequest(path: $0, overrides: scenario.set.overrides, replications: replication.replications,
                            seed: replication.seed, years: replication.years)
        }
        let paired = baselineRequest != nil
        let outputs = outputMetrics.isEmpty ? OutputSpec.defaults(paired: paired) : outputMetrics.map { OutputSpec.metric($0, paired: paired) }
        let plan: SensitivityPlan
        do {
            try settings.validate(factors: factors.count)
            plan = try SensitivityPlan(request: request, baseline: baselineRequest, factors: factors, outputs: outputs)
        } catch let e as ScenarioError {
            throw Terminal.scenarioFailure(e, paths: [scenario.scenario] + (baseline.map { [$0] } ?? []))
        } catch let e as SensitivityInputError {
            Terminal.printError("error: \(e.description)")
            throw SagstalExit.usage.exitCode
        } catch let e as PlannerError {
            Terminal.printError("error: \(e.description)")
            throw Terminal.invalidScenario
        } catch let e as EvaluationError {
            Terminal.printError("error: \(e.description)")
            throw SagstalExit.usage.exitCode
        }
        try Terminal.handleWarnings(Terminal.distinct(plan.nominal.map(\.warnings)), strict: scenario.set.strict, quiet: output.quiet)
        if !output.quiet { for n in plan.notes { Terminal.printError("note: \(n)") } }
        let evaluations = settings.evaluations(factors: factors.count)
        try WorkCheck.confirm(Array(Array(repeating: plan.nominal.map(\.scenario), count: evaluations).joined()), jobs: output.jobCount,
                              force: work.force, quiet: output.quiet)
        let name = URL(fileURLWithPath: scenario.scenario).deletingPathExtension().lastPathComponent
        let overrides = request.allOverrides
        let directory = output.output.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: "Outputs").appendingPathComponent(OutputNaming.folderName("sensitivity-\(method.rawValue)-\(name)", overrides: overrides))
        let files = (baseline.map { [$0] } ?? []) + [scenario.scenario]
        let outRequest = OutputRequest(command: "sensitivity", scenarioFiles: files, overrides: overrides,
                                       details: factors.map { "--vary \($0.text)" } + ["--method \(method.rawValue)"], resolved: [:])
        let key = KeyAssumptions(scenarios: plan.nominal.map(\.scenario), names: CompareJob.names(for: files),
                                 sources: plan.nominal.map(\.sources), overrides: overrides,
                                 varied: factors.map { KeyAssumptions.Varied(path: $0.name, values: [Terminal.number($0.lo) + "…" + Terminal.number($0.hi)]) })
        try Terminal.guarded(output: directory) {
            try Terminal.checkOutput(directory, request: outRequest, force: work.force, quiet: output.quiet)
            let result = try OutputFolder.replace(directory) { staging in
                let progress = output.progress(total: evaluations, label: "sensitivity", unit: "evaluations")
                let result = try SensitivityJob.run(plan, settings: settings, jobs: output.jobCount, progress: progress.callback,
                                                    cancellation: cancellation)
                progress.bar?.finish()
                let tool = RunJob.tool(generator: plan.simulation.generator)
                let report = SensitivityReport.html(result, tool: tool, language: output.lang,
                                                    assumptions: AssumptionsBox.html(key, language: output.lang))
                let out = SensitivityWriter.files(result, tool: tool, dialect: output.csvDialect, report: report)
                try Terminal.write(out, request: outRequest, wallSeconds: result.wallSeconds, jobs: output.jobCount,
                                   events: result.eventsProcessed, to: staging)
                try cancellation.check()
                return result
            }
            if !output.quiet {
                for w in result.warnings { Terminal.printError("warning: \(w)") }
                print(Terminal.assumptions(key, language: output.lang), terminator: "")
                print(SensitivityConsole.text(result, language: output.lang))
                let say = Messages(language: output.lang)
                print(say.timing(events: result.eventsProcessed, seconds: result.wallSeconds))
                print(say.wrote(directory))
            }
        }
    }
}
