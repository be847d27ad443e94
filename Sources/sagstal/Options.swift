import ArgumentParser
import SagstalReport
import SagstalRunner

extension ReportLanguage: ExpressibleByArgument {}
extension CSVDialect: ExpressibleByArgument {}

/// `--set` overrides, shared by every command that loads scenarios.
struct OverrideOptions: ParsableArguments {
    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("Override a scenario value, e.g. teams.0.cap=25 or ladder.foster.costPerYear=470000 (value parsed as YAML; repeatable).",
                               valueName: "path=value"))
    var overrides: [String] = []

    @Flag(help: "Treat plausibility warnings (docs/plausibility.md) as errors: print them, write nothing, exit 65.")
    var strict = false
}

/// One scenario file and its `--set` overrides (run, validate, sweep).
struct ScenarioOptions: ParsableArguments {
    @Argument(help: "Scenario file (YAML, see Scenarios/).")
    var scenario: String

    @OptionGroup var set: OverrideOptions
}

/// Replication settings that override the scenario's `simulation` block.
struct ReplicationOptions: ParsableArguments {
    @Option(name: [.customShort("n"), .long], help: "Number of replications (overrides simulation.replications).")
    var replications: Int?

    @Option(help: "Scenario seed (overrides simulation.seed).")
    var seed: UInt64?

    @Option(help: "Horizon in years (overrides simulation.years).")
    var years: Double?

    func validate() throws {
        if let replications, replications < 1 { throw ValidationError("--replications must be at least 1 (found \(replications)).") }
        if let years, !(years > 0) { throw ValidationError("--years must be positive (found \(years)).") }
    }
}

/// Where and how to write results.
struct OutputOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: "Output folder (default: Outputs/<scenario file name>).")
    var output: String?

    @Option(name: [.customShort("j"), .long], help: "Worker threads (default: all cores). Results do not depend on it.")
    var jobs: Int?

    @Flag(name: [.customShort("q"), .long], help: "Print nothing but errors.")
    var quiet = false

    @Option(help: "Language of report.html and the console tables: en or da (Danish labels, 1.234.567 kr., decimal comma).")
    var lang: ReportLanguage = .en

    @Option(name: .customLong("csv-dialect"),
            help: "CSV files: standard, or excel-da (';'-separated, decimal comma, UTF-8 BOM) for Danish Excel.")
    var csvDialect: CSVDialect = .standard

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (found \(jobs)).") }
    }
}

extension ScenarioOptions {
    func request(_ replication: ReplicationOptions? = nil) -> ScenarioRequest {
        ScenarioRequest(path: scenario, overrides: set.overrides, replications: replication?.replications,
                        seed: replication?.seed, years: replication?.years)
    }
}

extension OutputOptions {
    var jobCount: Int { jobs ?? SimulationRunner.defaultJobs }

    /// A progress bar over `total` replications on stderr when it is a terminal and not --quiet.
    func progress(total: Int, label: String) -> (bar: ProgressBar?, callback: (@Sendable (Int) -> Void)?) {
        guard !quiet, let bar = ProgressBar.ifTerminal(total: total, label: label) else { return (nil, nil) }
        return (bar, { bar.update($0) })
    }
}
