import Foundation
import SagstalModel
import SagstalOutput
import SagstalRandom
import SagstalReport
import SagstalScenario
import SagstalStats

/// The tool's name and version, recorded in every output.
public enum SagstalVersion {
    public static let name = "sagstal"
    public static let current = "0.2.0"
}

/// What `sagstal run` and `sagstal validate` ask for: a scenario file, overrides, and
/// the command-line shortcuts that are overrides too (`--replications` is
/// `--set simulation.replications=…`), so the resolved scenario records them.
public struct ScenarioRequest: Sendable {
    public var path: String
    public var overrides: [String]
    public var replications: Int?
    public var seed: UInt64?
    public var years: Double?

    public init(path: String, overrides: [String] = [], replications: Int? = nil, seed: UInt64? = nil, years: Double? = nil) {
        self.path = path
        self.overrides = overrides
        self.replications = replications
        self.seed = seed
        self.years = years
    }

    /// `--set` overrides followed by the shortcuts, in that order (shortcuts win).
    public var allOverrides: [String] {
        var all = overrides
        if let replications { all.append("simulation.replications=\(replications)") }
        if let seed { all.append("simulation.seed=\(seed)") }
        if let years { all.append("simulation.years=\(years)") }
        return all
    }

    /// Loads, merges, overrides and validates the scenario.
    /// - Throws: `ScenarioError` with every problem found.
    public func load() throws -> LoadedScenario {
        try ScenarioLoader.load(path: path, overrides: allOverrides, generatorExists: GSL.hasGenerator(named:))
    }
}

/// The result of a run: where it was written and what it found.
public struct RunResult: Sendable {
    public let outputDirectory: URL
    public let run: AggregatedRun
    public let metadata: RunMetadata
}

/// `sagstal run`, as a library call: load → compile → simulate → write (MODEL.md §8).
public enum RunJob {
    /// The tool, as recorded in every output of a scenario run with `generator`.
    public static func tool(generator: String) -> ToolInfo {
        ToolInfo(name: SagstalVersion.name, version: SagstalVersion.current, gslVersion: GSL.version, generator: generator,
                 entityGenerator: EntityGenerators.generatorName)
    }

    /// Writes one scenario's outputs (the five files of MODEL.md §8, run.json and, unless
    /// `report` is false, report.html with budget.csv in `dialect` and budget-excel-da.csv,
    /// ``BudgetTable``) into `directory`. Used by run, compare (each scenario)
    /// and sweep (each point). `warnings` (plausibility, docs/plausibility.md) go into
    /// `summary.json` and the report's Warnings box.
    ///
    /// `sources` (``LoadedScenario/sources``) go into `summary.json` under `"sources"` and, with
    /// `overrides`, into the report's key assumptions box; `request` into `run.json`.
    @discardableResult
    public static func write(_ run: AggregatedRun, of scenario: Scenario, wallSeconds: Double, jobs: Int, to directory: URL,
                             language: ReportLanguage = .en, dialect: CSVDialect = .standard,
                             report: Bool = true, warnings: [OutputWarning] = [], sources: [ValueSource] = [],
                             overrides: [String] = [], request: OutputRequest? = nil) throws -> RunMetadata {
        var metadata = RunMetadata(scenarioName: scenario.name, seed: scenario.simulation.seed,
                                   replications: run.replications, years: scenario.simulation.years,
                                   tool: tool(generator: scenario.simulation.generator),
                                   eventsProcessed: run.eventsProcessed, wallSeconds: wallSeconds, jobs: jobs)
        metadata.warnings = warnings
        metadata.sources = sources
        metadata.overrides = overrides
        metadata.request = request
        let yaml = ScenarioEmitter.yaml(scenario, toolVersion: SagstalVersion.current)
        let reportMetadata = metadata
        // With more than one job, the report is made while the CSV and JSON files are formatted.
        try RunWriter.write(run, metadata: metadata, resolvedYAML: yaml, to: directory, dialect: dialect,
                            parallel: jobs > 1) {
            report
                ? [(name: "report.html", contents: RunReport.html(run: run, scenario: scenario, metadata: reportMetadata,
                                                                   resolvedYAML: yaml, language: language))]
                    + BudgetTable.files(run: run, scenario: scenario, language: language, dialect: dialect)
                : []
        }
        return metadata
    }

    /// The default output folder of a scenario file: `Outputs/<file name without extension>`, or
    /// with overrides (`--set`, `-n`, `--seed`, `--years`) `Outputs/<file name>-<hash>`, the hash
    /// of ``OutputNaming/hash(_:)`` — so that a run with other values never lands in the folder
    /// of the file's own run.
    public static func defaultOutputDirectory(for scenarioPath: String, overrides: [String] = []) -> URL {
        let base = URL(fileURLWithPath: scenarioPath).deletingPathExtension().lastPathComponent
        return URL(fileURLWithPath: "Outputs").appendingPathComponent(OutputNaming.folderName(base, overrides: overrides))
    }

    /// What `sagstal run` asks for, to check the output folder before running
    /// (``OutputFolder/checkReplaceable(_:by:force:)``) and to record in `run.json`.
    public static func request(_ loaded: LoadedScenario, file: String) -> OutputRequest {
        OutputRequest(command: "run", scenarioFiles: [file], overrides: loaded.overrides,
                      resolved: ["scenario.resolved.yaml": ScenarioEmitter.yaml(loaded.scenario, toolVersion: SagstalVersion.current)])
    }

    /// Runs a loaded scenario and writes its outputs, and `report.html`, into `output`, which is
    /// replaced as a whole (`OutputFolder`): the folder is checked and a hidden folder beside it
    /// created before the simulation starts, every file is written there, and the hidden folder
    /// replaces `output` in one step at the end. A failure or `cancellation` leaves `output` as it was.
    ///
    /// With `episodes`, the stays of the chosen replications are streamed to chunk files in the
    /// hidden folder during the run and assembled into `episodes.csv` (MODEL.md §8) at the end.
    /// - Throws: `OutputError` (the folder cannot be used or written), ``Interrupted``, or the
    ///   errors of the simulation.
    ///
    /// `request` (``request(_:file:)``) is recorded in `run.json`; the caller checks the folder with
    /// ``OutputFolder/checkReplaceable(_:by:force:)`` first.
    public static func run(_ loaded: LoadedScenario, output: URL, jobs: Int, language: ReportLanguage = .en,
                           dialect: CSVDialect = .standard, episodes: EpisodeOptions? = nil,
                           progress: (@Sendable (Int) -> Void)? = nil,
                           cancellation: Cancellation? = nil, request: OutputRequest? = nil) throws -> RunResult {
        let scenario = loaded.scenario
        let compiled = try CompiledScenario(scenario)
        return try OutputFolder.replace(output) { staging in
            let export = try episodes.map { try EpisodeExport(options: $0, scenario: scenario, in: staging, cancellation: cancellation) }
            let clock = ContinuousClock()
            let started = clock.now
            let replications = scenario.simulation.replications
            let run = try SimulationRunner.run(compiled, replications: replications, jobs: jobs, episodes: export,
                                               progress: progress, cancellation: cancellation)
            let elapsed = clock.now - started
            let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let assembled = try export?.assemble(replications: replications, in: staging)
            export?.removeChunks()
            let metadata = try write(run, of: scenario, wallSeconds: wall, jobs: max(1, min(jobs, replications)),
                                     to: staging, language: language, dialect: dialect,
                                     warnings: loaded.warnings.map(\.outputWarning), sources: loaded.sources,
                                     overrides: loaded.overrides, request: request)
            if let assembled { try EpisodeExport.publish(assembled, in: staging) }
            try cancellation?.check()
            return RunResult(outputDirectory: output, run: run, metadata: metadata)
        }
    }
}
