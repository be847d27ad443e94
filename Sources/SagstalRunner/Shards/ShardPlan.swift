import Foundation
import SagstalOutput
import SagstalRandom
import SagstalScenario
import SagstalStats

/// Everything a command needs, besides the simulated records, to write its output folder:
/// the resolved scenarios (one per *arm*: the run's scenario, compare's scenarios, sweep's
/// points, batch's municipalities), their sources and warnings, and the command's options.
///
/// A shard records its plan in `shard.json`; `sagstal merge` rebuilds the scenarios from the
/// resolved YAML and calls the command's own writer, so the merged folder is the one the command
/// writes without shards (docs/cluster.md).
public struct ShardPlan: Sendable, Equatable, Codable {
    public enum Command: String, Sendable, Codable {
        case run, compare, sweep, batch
    }

    /// One scenario of the command.
    public struct Arm: Sendable, Equatable, Codable {
        /// compare: the scenario's short name; sweep: `point-NNN`; batch: the row's folder; run: the scenario file's name.
        public var name: String
        /// `ScenarioEmitter.yaml` of the scenario, as in its `scenario.resolved.yaml`.
        public var resolvedYAML: String
        public var sources: [ValueSource]
        public var warnings: [OutputWarning]

        public init(name: String, resolvedYAML: String, sources: [ValueSource], warnings: [OutputWarning]) {
            self.name = name
            self.resolvedYAML = resolvedYAML
            self.sources = sources
            self.warnings = warnings
        }
    }

    public var command: Command
    public var arms: [Arm]
    /// The overrides the command records (`--set`, `-n`, `--seed`, `--years`).
    public var overrides: [String]
    /// compare: the notes about replaced seeds, replications and years.
    public var notes: [String]
    /// sweep: the `--vary` axes.
    public var axes: [SweepAxis]
    /// batch: the batch's own description (``BatchPlan``).
    public var batch: BatchPlan?
    /// `--strict` (sweep: edge-of-grid warnings refuse the merged result as they refuse the run).
    public var strict: Bool
    /// What the command asks for (`run.json`, ``OutputFolder/checkReplaceable(_:by:force:)``).
    public var request: OutputRequest
    public var language: String
    public var dialect: String

    public init(command: Command, arms: [Arm], overrides: [String], notes: [String] = [], axes: [SweepAxis] = [],
                batch: BatchPlan? = nil, strict: Bool = false, request: OutputRequest, language: ReportLanguage, dialect: CSVDialect) {
        self.command = command
        self.arms = arms
        self.overrides = overrides
        self.notes = notes
        self.axes = axes
        self.batch = batch
        self.strict = strict
        self.request = request
        self.language = language.rawValue
        self.dialect = dialect.rawValue
    }

    /// The plan of `sagstal run`.
    public static func run(_ loaded: LoadedScenario, file: String, request: OutputRequest, language: ReportLanguage,
                           dialect: CSVDialect) -> ShardPlan {
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return ShardPlan(command: .run, arms: [arm(loaded, name: name)], overrides: loaded.overrides, request: request,
                         language: language, dialect: dialect)
    }

    /// The plan of `sagstal compare`.
    public static func compare(_ loaded: [LoadedScenario], names: [String], notes: [String], request: OutputRequest,
                               language: ReportLanguage, dialect: CSVDialect) -> ShardPlan {
        ShardPlan(command: .compare, arms: zip(loaded, names).map { arm($0, name: $1) }, overrides: loaded[0].overrides,
                  notes: notes, request: request, language: language, dialect: dialect)
    }

    /// The plan of `sagstal sweep`.
    public static func sweep(_ points: [LoadedScenario], axes: [SweepAxis], overrides: [String], strict: Bool,
                             request: OutputRequest, language: ReportLanguage, dialect: CSVDialect) -> ShardPlan {
        ShardPlan(command: .sweep, arms: points.enumerated().map { arm($1, name: String(format: "point-%03d", $0)) },
                  overrides: overrides, axes: axes, strict: strict, request: request, language: language, dialect: dialect)
    }

    static func arm(_ loaded: LoadedScenario, name: String) -> Arm {
        Arm(name: name, resolvedYAML: ScenarioEmitter.yaml(loaded.scenario, toolVersion: SagstalVersion.current),
            sources: loaded.sources, warnings: loaded.warnings.map(\.outputWarning))
    }

    public var reportLanguage: ReportLanguage { ReportLanguage(rawValue: language) ?? .en }
    public var csvDialect: CSVDialect { CSVDialect(rawValue: dialect) ?? .standard }

    /// The 16-hex-digit FNV-1a hash of every arm's resolved YAML, in order: equal for the shards
    /// of one run, and different when any value of any scenario differs.
    public var scenarioHash: String { ShardHash.fnv1a(arms.map(\.resolvedYAML).joined(separator: "\u{0}")) }

    /// The scenarios, rebuilt from their resolved YAML.
    /// - Throws: `ShardError.notAShard` when a resolved scenario no longer loads or does not
    ///   reproduce itself (a damaged or hand-edited `shard.json`).
    public func scenarios(path: String) throws -> [Scenario] {
        try arms.map { arm in
            let loaded: LoadedScenario
            do {
                loaded = try ScenarioLoader.load(yaml: arm.resolvedYAML, file: "\(arm.name)/scenario.resolved.yaml",
                                                 generatorExists: GSL.hasGenerator(named:))
            } catch let e as ScenarioError {
                throw ShardError.notAShard(path: path, why: "the resolved scenario of \(arm.name) does not load: \(e.diagnostics.first.map(String.init(describing:)) ?? "")")
            }
            guard ScenarioEmitter.yaml(loaded.scenario, toolVersion: SagstalVersion.current) == arm.resolvedYAML else {
                throw ShardError.notAShard(path: path, why: "the resolved scenario of \(arm.name) does not reproduce itself (edited by hand?)")
            }
            return loaded.scenario
        }
    }
}

/// `shard.json`: a shard's plan and what it holds.
public struct ShardManifest: Sendable, Equatable, Codable {
    public static let fileName = "shard.json"
    public static let recordsFileName = "records.bin"
    public static let currentFormat = "sagstal-shard/1"

    public struct Tool: Sendable, Equatable, Codable {
        public var name: String
        public var version: String
        public var gsl: String
        public var generator: String
        public var entityGenerator: String
    }

    public var format: String
    public var tool: Tool
    public var command: ShardPlan.Command
    public var scenarioHash: String
    public var planHash: String
    public var seed: UInt64
    /// Replications of the whole run.
    public var replications: Int
    public var shard: ShardSpec
    /// The replications in this shard: `first ..< end`.
    public var first: Int
    public var end: Int
    /// Per arm, the metric layout of its records.
    public var layouts: [MetricLayout]
    /// `records.bin`: its size in bytes and the FNV-1a hash of its bytes.
    public var recordsBytes: Int
    public var recordsHash: String
    public var eventsProcessed: Int
    public var wallSeconds: Double
    public var jobs: Int
    public var plan: ShardPlan

    /// Bytes of one replication's row in `records.bin` (``ShardRecords``).
    public var rowBytes: Int { ShardRecords.rowBytes(layouts) }

    /// The JSON text of `shard.json` (sorted keys, so equal manifests are equal bytes).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads `shard.json` of `folder`.
    /// - Throws: `ShardError.notAShard` when it is missing or not a manifest of this format.
    public static func read(_ folder: URL) throws -> ShardManifest {
        let file = folder.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory)
            throw ShardError.notAShard(path: folder.path, why: !exists ? "no such folder"
                : !isDirectory.boolValue ? "it is a file, not a folder" : "it has no \(fileName) (written by `sagstal run|compare|sweep|batch … --shard K/N`)")
        }
        struct Probe: Decodable { var format: String? }
        let format = (try? JSONDecoder().decode(Probe.self, from: data))?.format
        guard let format else { throw ShardError.notAShard(path: folder.path, why: "\(fileName) is not a shard manifest (no \"format\")") }
        guard format == currentFormat else {
            throw ShardError.notAShard(path: folder.path, why: "\(fileName) has format \(format); this sagstal reads \(currentFormat)")
        }
        do {
            return try JSONDecoder().decode(ShardManifest.self, from: data)
        } catch {
            throw ShardError.notAShard(path: folder.path, why: "\(fileName) cannot be read: \(error)")
        }
    }
}

/// 64-bit FNV-1a, as 16 hex digits.
enum ShardHash {
    static func fnv1a(_ text: String) -> String {
        var h = Hasher64()
        h.add(Array(text.utf8))
        return h.hex
    }

    struct Hasher64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        mutating func add(_ bytes: some Sequence<UInt8>) {
            for b in bytes {
                value ^= UInt64(b)
                value = value &* 0x0000_0100_0000_01b3
            }
        }

        mutating func add(_ bytes: UnsafeRawBufferPointer) {
            var v = value
            for b in bytes {
                v ^= UInt64(b)
                v = v &* 0x0000_0100_0000_01b3
            }
            value = v
        }

        var hex: String {
            let s = String(value, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
    }
}
