import SagstalScenario

/// The tool that produced a run, as recorded in `summary.json`.
public struct ToolInfo: Sendable, Equatable {
    /// Tool name, e.g. "sagstal".
    public var name: String
    /// Tool version, e.g. "0.1.0".
    public var version: String
    /// The linked GSL version, e.g. "2.7.1".
    public var gslVersion: String
    /// The GSL random number generator of the replication-level streams (arrivals,
    /// renotifications), e.g. "mt19937" (`simulation.generator`).
    public var generator: String
    /// The GSL generator of the per-child and per-position streams (MODEL.md §3), "taus2".
    public var entityGenerator: String
    /// How every generator is seeded, in one line (the full description is in docs/model.md).
    public var seedHash: String

    /// `{"name", "version", "gsl", "generator", "entityGenerator", "seedHash"}`, as in `summary.json`.
    public var json: JSONValue {
        .object([
            ("name", .string(name)),
            ("version", .string(version)),
            ("gsl", .string(gslVersion)),
            ("generator", .string(generator)),
            ("entityGenerator", .string(entityGenerator)),
            ("seedHash", .string(seedHash)),
        ])
    }

    /// The seed hash of sagstal's streams (see `SeedHash` in SagstalRandom and docs/model.md).
    public static let seedHashDescription =
        "SplitMix64 mix chain: replication stream mix(mix(mix(S)^r)^p), child n mix(mix(mix(mix(S)^r)^7)^n), "
        + "position k of team T mix(mix(mix(mix(mix(S)^r)^9)^fnv1a64(T))^k), taus2 state set from mix(key), mix(key+0x9E3779B97F4A7C15)"

    public init(name: String, version: String, gslVersion: String, generator: String,
                entityGenerator: String = "taus2", seedHash: String = ToolInfo.seedHashDescription) {
        self.name = name
        self.version = version
        self.gslVersion = gslVersion
        self.generator = generator
        self.entityGenerator = entityGenerator
        self.seedHash = seedHash
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
    /// Plausibility warnings of the scenario (docs/plausibility.md), in `summary.json` under `"warnings"`.
    public var warnings: [OutputWarning] = []
    /// Where every value of the resolved scenario comes from, in `summary.json` under `"sources"`.
    public var sources: [ValueSource] = []
    /// The overrides the scenario was loaded with (`--set`, then `-n`, `--seed`, `--years`), for the
    /// report's key assumptions box.
    public var overrides: [String] = []
    /// What the command asked for, in `run.json` under `"request"` (the output folder check).
    public var request: OutputRequest?

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
