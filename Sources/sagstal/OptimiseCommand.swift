import ArgumentParser
import Foundation
import SagstalOptimise
import SagstalOutput
import SagstalReport
import SagstalRunner
import SagstalScenario

struct OptimiseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimise",
        abstract: "Find a team's best staffing (caseworkers × cap) under constraints with a fully sequential ranking-and-selection procedure.",
        discussion: """
            Every combination of --caseworkers and --cap of team --team is a configuration: the scenario \
            with teams.T.caseworkers and teams.T.cap set. All configurations run on the same random \
            numbers (the scenario's seed). After --n0 replications of each, one replication at a time is \
            added to the configurations still in contention; a configuration is dropped when it is \
            clearly worse on --objective than one that meets the constraints (KN, Kim & Nelson 2001) or \
            when it clearly violates a --constraint (F_B, Batur & Kim 2010; combined as in Andradóttir & \
            Kim 2010). It stops when the best feasible configuration is selected with probability at \
            least 1 − α, up to the indifference zone --delta. Writes optimise.json, optimise.csv, \
            report.html and the chosen configuration's scenario.resolved.yaml under \
            Outputs/optimise-<scenario>/ (or --output). See docs/optimise.md.

            Examples:
              sagstal optimise Scenarios/aalborg-before.yaml --team aalborg --caseworkers 80..110:5 \\
                  --constraint 'waitDaysMean<=14' --objective cost.total
            """,
        aliases: ["optimize"]
    )

    @OptionGroup var scenario: ScenarioOptions

    @Option(name: .customLong("team"), help: ArgumentHelp("The team whose staffing is varied (its id, as in --set teams.ID.cap=…).", valueName: "id"))
    var team: String

    @Option(name: .customLong("caseworkers"), parsing: .unconditional,
            help: ArgumentHelp("Caseworkers of the team: FROM..TO, FROM..TO:STEP, a value or a list (e.g. 60..90:5).", valueName: "range"))
    var caseworkersText: String

    @Option(name: .customLong("cap"), parsing: .unconditional,
            help: ArgumentHelp("Caps of the team, as --caseworkers (default: the scenario's cap).", valueName: "range"))
    var capText: String?

    @Option(name: .customLong("constraint"), parsing: .singleValue,
            help: ArgumentHelp("A constraint on a metric's mean, METRIC<=VALUE or METRIC>=VALUE, optionally ±TOLERANCE (default tolerance: a tenth of VALUE); repeatable.",
                               valueName: "metric<=value"))
    var constraintTexts: [String] = []

    @Option(help: ArgumentHelp("The metric to minimise (a totals metric of docs/model-reference.md §8).", valueName: "metric"))
    var objective: String = "cost.total"

    @Option(name: .customLong("alpha"), parsing: .unconditional,
            help: ArgumentHelp("1 − alpha is the guaranteed probability of a correct selection (default 0.05).", valueName: "alpha"))
    var alphaText: String?

    @Option(name: .customLong("delta"), parsing: .unconditional,
            help: ArgumentHelp("Indifference zone in the objective's units (default for money: one caseworker's salary over the horizon).", valueName: "delta"))
    var deltaText: String?

    @Option(name: .customLong("n0"), parsing: .unconditional,
            help: ArgumentHelp("First-stage replications of every configuration (default 10).", valueName: "n0"))
    var n0Text: String?

    @Option(name: .customLong("max-replications"), parsing: .unconditional,
            help: ArgumentHelp("The most replications of one configuration (default: the scenario's simulation.replications).", valueName: "n"))
    var maxText: String?

    @OptionGroup var seedYears: SeedYearsOptions

    @OptionGroup var output: OutputOptions
    @OptionGroup var work: ForceOption

    func validate() throws {
        _ = try parsed()
    }

    /// The command line as a request (every value checked; a bad one is a `ValidationError`, exit 64).
    func parsed() throws -> OptimiseRequest {
        func check<T>(_ body: () throws -> T) throws -> T {
            do { return try body() } catch let e as OptimiseInputError { throw ValidationError(e.description) }
        }
        let caseworkers = try check { try GridValues(parsing: caseworkersText, option: "--caseworkers", integers: true, minimum: 0) }
        let caps = try capText.map { text in try check { try GridValues(parsing: text, option: "--cap", integers: false, minimum: 0) } }
        let constraints = try constraintTexts.map { text in try check { try MeanConstraint(parsing: text) } }
        func number(_ text: String?, _ option: String) throws -> Double? {
            guard let text else { return nil }
            guard let x = Double(text.trimmingCharacters(in: .whitespaces)), x.isFinite else {
                throw ValidationError("\(option): expected a number, found '\(text)'")
            }
            return x
        }
        func whole(_ text: String?, _ option: String) throws -> Int? {
            guard let text else { return nil }
            guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("\(option): expected a whole number, found '\(text)'")
            }
            return n
        }
        if objective.isEmpty { throw ValidationError("--objective: give a metric name, e.g. cost.total") }
        let alpha = try number(alphaText, "--alpha") ?? SelectionSettings.defaultAlpha
        let delta = try number(deltaText, "--delta")
        let n0 = try whole(n0Text, "--n0") ?? SelectionSettings.defaultN0
        let maxReplications = try whole(maxText, "--max-replications")
        // The settings that do not depend on the scenario are checked here (δ and the maximum default from it).
        try check { try SelectionSettings(alpha: alpha, delta: delta ?? 1, n0: n0, maxReplications: maxReplications ?? max(n0, 2)).validate() }
        if let maxReplications, maxReplications > ScenarioLimits.replications {
            throw ValidationError("--max-replications: at most \(ScenarioLimits.replications), found \(maxReplications)")
        }
        let count = caseworkers.values.count * (caps?.values.count ?? 1)
        if count > StaffingGrid.limit {
            throw ValidationError("--caseworkers × --cap: \(count) configurations; at most \(StaffingGrid.limit)")
        }
        let request = ScenarioRequest(path: scenario.scenario, overrides: scenario.set.overrides, replications: nil,
                                      seed: seedYears.seed, years: seedYears.years)
        return OptimiseRequest(scenario: request, team: team, caseworkers: caseworkers, caps: caps, objective: objective,
                               constraints: constraints, alpha: alpha, delta: delta, n0: n0, maxReplications: maxReplications)
    }

    func run() throws {
        let cancellation = Interrupts.install()
        let plan: OptimisePlan
        do {
            plan = try OptimiseJob.plan(try parsed())
        } catch let e as OptimiseInputError {
            Terminal.printError("error: \(e.description)")
            throw SagstalExit.usage.exitCode
        } catch let e as ScenarioError {
            throw Terminal.scenarioFailure(e, paths: [scenario.scenario])
        }
        let plausibility = Terminal.distinct([plan.base.warnings] + plan.configurations.map(\.warnings))
        try Terminal.handleWarnings(plausibility, strict: scenario.set.strict, quiet: output.quiet)
        if !output.quiet { for n in plan.notes { Terminal.printError("note: \(n)") } }
        // Only the first stage is certain work: it is what a run too large is refused on. The worst
        // case (every configuration at --max-replications) is a note; the procedure usually stops
        // far earlier, and Ctrl-C leaves the output folder as it was.
        try WorkCheck.confirm(OptimiseJob.firstStage(plan), jobs: output.jobCount, force: work.force, quiet: output.quiet,
                              label: "the first stage (--n0 replications of every configuration)",
                              fewer: "a smaller grid or --n0")
        if !output.quiet, let note = WorkCheck.note(OptimiseJob.worstCase(plan), jobs: output.jobCount,
                                                     label: "at most (every configuration at --max-replications)") {
            Terminal.printError(note)
        }
        let overrides = plan.base.overrides
        let directory = output.output.map { URL(fileURLWithPath: $0) }
            ?? OptimiseJob.defaultOutputDirectory(for: scenario.scenario, overrides: overrides)
        let outRequest = OutputRequest(command: "optimise", scenarioFiles: [scenario.scenario], overrides: overrides,
                                       details: ["--team \(team)", "--caseworkers \(caseworkersText)"] + (capText.map { ["--cap \($0)"] } ?? [])
                                           + constraintTexts.map { "--constraint \($0)" } + ["--objective \(objective)"], resolved: [:])
        let key = KeyAssumptions(scenarios: [plan.base.scenario], names: [URL(fileURLWithPath: scenario.scenario).deletingPathExtension().lastPathComponent],
                                 sources: [plan.base.sources], overrides: overrides)
        try Terminal.guarded(output: directory) {
            try Terminal.checkOutput(directory, request: outRequest, force: work.force, quiet: output.quiet)
            let result = try OutputFolder.replace(directory) { staging in
                let status = output.quiet ? nil : StatusLine.ifTerminal(label: "optimise")
                var progress: (@Sendable (OptimiseProgress) -> Void)?
                if let status {
                    progress = { (p: OptimiseProgress) in
                        if let f = p.firstStage {
                            status.update("first stage: \(f.done) of \(f.total) replications (\(p.configurations) configurations)")
                        } else {
                            status.update("stage \(p.stage): \(p.contenders) of \(p.configurations) configurations left, \(p.replicationsUsed) replications used")
                        }
                    }
                }
                let run: OptimiseRun
                do {
                    run = try OptimiseJob.run(plan, jobs: output.jobCount, progress: progress, cancellation: cancellation)
                } catch let e as OptimiseRunError {
                    Interrupts.clearLine()
                    Terminal.printError("error: \(e.description); \(directory.path) left as it was")
                    throw SagstalExit.invalidScenario.exitCode
                }
                status?.finish()
                // A choice at the edge of the grid is known only now; under --strict nothing is written.
                let edge = run.edgeWarnings
                try Terminal.handleWarnings(edge, strict: scenario.set.strict, quiet: output.quiet)
                try OptimiseWriter.write(run, to: staging, language: output.lang, dialect: output.csvDialect,
                                         warnings: (plausibility + edge).map(\.outputWarning),
                                         assumptions: AssumptionsBox.html(key, language: output.lang), request: outRequest)
                try cancellation.check()
                return run
            }
            guard !output.quiet else { return }
            let say = Messages(language: output.lang)
            print(Terminal.assumptions(key, language: output.lang), terminator: "")
            print(OptimiseReport.console(result.summary(), language: output.lang, colour: Terminal.stdoutIsTerminal))
            print("")
            print(say.timing(events: result.eventsComputed, seconds: result.wallSeconds, jobs: max(1, output.jobCount))
                  + (output.lang == .da ? "; \(result.replicationsComputed) gentagelser beregnet" : "; \(result.replicationsComputed) replications computed"))
            print(say.wrote(directory))
        }
    }
}
