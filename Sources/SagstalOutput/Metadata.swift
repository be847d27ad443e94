/// The tool that produced a run, as recorded in `summary.json`.
public struct ToolInfo: Sendable, Equatable {
    /// Tool name, e.g. "sagstal".
    public var name: String
    /// Tool version, e.g. "0.1.0".
    public var version: String
    /// The linked GSL version, e.g. "2.7.1".
    public var gslVersion: String
    /// The GSL random number generator, e.g. "mt19937".
    public var generator: String

    public init(name: String, version: String, gslVersion: String, generator: String) {
        self.name = name
        self.version = version
        self.gslVersion = gslVersion
        self.generator = generator
    }
}

/// Facts about a run that the output files record besides its statistics.
///
/// `scenarioName`, `seed`, `replications`, `years`, `tool` and `eventsProcessed`
/// go into `summary.json` (they are the same for two runs with the same seed);
/// `wallSeconds` and `jobs` only into `run.json`.
public struct RunMetadata: Sendable, Equatable {
    public var scenarioName: String
    public var seed: UInt64
    public var replications: Int
    /// Simulated horizon in years.
    public var years: Double
    public var tool: ToolInfo
    /// Events processed, summed over replications.
    public var eventsProcessed: Int
    /// Wall-clock duration of the run in seconds.
    public var wallSeconds: Double
    /// Worker threads used.
    public var jobs: Int

    public init(scenarioName: String, seed: UInt64, replications: Int, years: Double, tool: ToolInfo,
                eventsProcessed: Int, wallSeconds: Double, jobs: Int) {
        self.scenarioName = scenarioName
        self.seed = seed
        self.replications = replications
        self.years = years
        self.tool = tool
        self.eventsProcessed = eventsProcessed
        self.wallSeconds = wallSeconds
        self.jobs = jobs
    }
}
