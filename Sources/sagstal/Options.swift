import ArgumentParser
import Foundation
import SagstalReport
import SagstalRunner
import SagstalScenario

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
    @Argument(help: "Scenario file (YAML, see Scenarios/).", completion: .file(extensions: ["yaml", "yml"]))
    var scenario: String

    @OptionGroup var set: OverrideOptions
}

/// `--seed` and `--years`, which override the scenario's `simulation` block (every command that
/// simulates; `optimise` has them without `-n`, its replications are `--max-replications`).
///
/// The values are read as text with `.unconditional` parsing, so that `--seed -1` reaches
/// `validate()` as the value '-1' (ArgumentParser would otherwise take it for an option and say
/// "Missing value") and every bad value is refused here, named by its option, with exit 64.
struct SeedYearsOptions: ParsableArguments {
    @Option(name: .customLong("seed"), parsing: .unconditional,
            help: ArgumentHelp("Scenario seed (overrides simulation.seed).", valueName: "seed"))
    var seedText: String?

    @Option(name: .customLong("years"), parsing: .unconditional,
            help: ArgumentHelp("Horizon in years (overrides simulation.years).", valueName: "years"))
    var yearsText: String?

    var seed: UInt64? { seedText.flatMap(ReplicationOptions.seed) }
    var years: Double? { yearsText.flatMap(ReplicationOptions.years) }

    func validate() throws {
        if let text = seedText, ReplicationOptions.seed(text) == nil {
            throw ValidationError("--seed: expected a whole number from 0 to \(UInt64.max), found '\(text)'")
        }
        if let text = yearsText, ReplicationOptions.years(text) == nil {
            throw ValidationError("--years: expected a finite number of years > 0 (at most \(Terminal.number(ScenarioLimits.years))), found '\(text)'")
        }
    }
}

/// Replication settings that override the scenario's `simulation` block: `-n` and `--seed`/`--years`.
struct ReplicationOptions: ParsableArguments {
    @Option(name: [.customShort("n"), .customLong("replications")], parsing: .unconditional,
            help: ArgumentHelp("Number of replications (overrides simulation.replications).", valueName: "replications"))
    var replicationsText: String?

    @OptionGroup var seedYears: SeedYearsOptions

    var replications: Int? { replicationsText.flatMap(Self.replications) }
    var seed: UInt64? { seedYears.seed }
    var years: Double? { seedYears.years }

    static func replications(_ text: String) -> Int? {
        Int(text.trimmingCharacters(in: .whitespaces)).flatMap { (1...ScenarioLimits.replications).contains($0) ? $0 : nil }
    }

    static func seed(_ text: String) -> UInt64? {
        UInt64(text.trimmingCharacters(in: .whitespaces))
    }

    static func years(_ text: String) -> Double? {
        Double(text.trimmingCharacters(in: .whitespaces)).flatMap { $0.isFinite && $0 > 0 && $0 <= ScenarioLimits.years ? $0 : nil }
    }

    func validate() throws {
        if let text = replicationsText, Self.replications(text) == nil {
            throw ValidationError("-n/--replications: expected a whole number from 1 to \(ScenarioLimits.replications), found '\(text)'")
        }
    }
}

/// Where and how to write results.
struct OutputOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: "Output folder (default: under Outputs/, named after the command and the scenario file(s), with a hash of the overrides when there are any).")
    var output: String?

    @Option(name: [.customShort("j"), .customLong("jobs")], parsing: .unconditional,
            help: ArgumentHelp("Worker threads (default: all cores). Results do not depend on it.", valueName: "jobs"))
    var jobsText: String?

    var jobs: Int? { jobsText.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    @Flag(name: [.customShort("q"), .long], help: "Print nothing but errors.")
    var quiet = false

    @Option(help: "Language of report.html and the console tables: en or da (Danish labels, 1.234.567 kr., decimal comma).")
    var lang: ReportLanguage = .en

    @Option(name: .customLong("csv-dialect"),
            help: "CSV files: standard, or excel-da (';'-separated, decimal comma, UTF-8 BOM) for Danish Excel.")
    var csvDialect: CSVDialect = .standard

    func validate() throws {
        if let text = jobsText, (jobs ?? 0) < 1 {
            throw ValidationError("-j/--jobs: expected a whole number ≥ 1, found '\(text)'")
        }
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
    func progress(total: Int, label: String, unit: String = "replications") -> (bar: ProgressBar?, callback: (@Sendable (Int) -> Void)?) {
        guard !quiet, let bar = ProgressBar.ifTerminal(total: total, label: label, unit: unit) else { return (nil, nil) }
        return (bar, { bar.update($0) })
    }
}
