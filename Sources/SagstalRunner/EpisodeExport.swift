import Foundation
import SagstalModel
import SagstalOutput
import SagstalScenario

/// What `sagstal run --episodes` asks for (MODEL.md §8, episodes).
public struct EpisodeOptions: Sendable, Equatable {
    /// Times as days since the start (`--episodes-days`) instead of ISO date-times.
    public var days: Bool
    /// The replications whose stays are written (`--episodes-replications 0..9`); nil: all.
    public var replications: ClosedRange<Int>?

    public init(days: Bool = false, replications: ClosedRange<Int>? = nil) {
        self.days = days
        self.replications = replications
    }

    /// Parses `A..B` (inclusive) or a single `N`.
    public static func parseRange(_ text: String) -> ClosedRange<Int>? {
        let parts = text.components(separatedBy: "..")
        if parts.count == 1, let n = Int(parts[0].trimmingCharacters(in: .whitespaces)), n >= 0 { return n...n }
        guard parts.count == 2, let a = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let b = Int(parts[1].trimmingCharacters(in: .whitespaces)), a >= 0, a <= b else { return nil }
        return a...b
    }
}

/// Streams the stays of a run to `episodes.csv` without holding them in memory.
///
/// Each replication writes its rows, in the order its stays end, to its own chunk file in a
/// hidden folder inside the (hidden, not yet published) output folder (64 KiB buffers), from its
/// worker thread; when the run is done the chunks are concatenated in replication order into a
/// hidden file in the output folder, the chunks are removed, and the file is renamed to
/// `episodes.csv` once the other outputs are in place. Memory stays at one buffer per running
/// replication whatever the number of stays; a failed, interrupted or killed run leaves nothing
/// at the target (see `OutputFolder`). A cancelled run stops writing at the next 64 KiB chunk.
final class EpisodeExport: @unchecked Sendable {
    static let fileName = "episodes.csv"
    static let header = ["replication", "child", "team", "phase", "step", "start", "end", "endReason",
                         "ageAtStart", "placement"]

    let options: EpisodeOptions
    let scenario: Scenario
    let folder: URL
    let cancellation: Cancellation?
    private let teamFields: [[UInt8]]
    private let stepFields: [[UInt8]]
    private let startDecimalYear: Double

    /// - Parameter directory: where the hidden chunk folder is created (the run's staging folder).
    init(options: EpisodeOptions, scenario: Scenario, in directory: URL, cancellation: Cancellation? = nil) throws {
        self.options = options
        self.scenario = scenario
        self.cancellation = cancellation
        teamFields = scenario.teams.map { Array(CSV.field($0.id).utf8) }
        stepFields = scenario.ladder.map { Array(CSV.field($0.id).utf8) }
        startDecimalYear = scenario.simulation.start.decimalYear
        folder = directory.appendingPathComponent(".episode-chunks-\(UUID().uuidString)")
        try Directories.create(folder.path)
    }

    deinit { removeChunks() }

    /// Removes the chunk folder (after `assemble`, before the output folder is published).
    func removeChunks() { try? FileManager.default.removeItem(at: folder) }

    func wants(_ replication: Int) -> Bool { options.replications.map { $0.contains(replication) } ?? true }

    func chunk(_ replication: Int) -> URL { folder.appendingPathComponent("\(replication).csv") }

    /// A sink writing replication `replication`'s rows to its chunk file; nil when not wanted.
    func sink(for replication: Int) throws -> ChunkWriter? {
        guard wants(replication) else { return nil }
        return try ChunkWriter(url: chunk(replication), export: self)
    }

    /// Appends one row of episodes.csv and its newline to `out`, byte by byte (no allocation
    /// per field: episodes of a large run are tens of millions of rows). Ids are quoted as CSV
    /// requires; `ageAtStart` is written with 6 decimals.
    func appendRow(_ e: Episode, to out: inout [UInt8]) {
        @inline(__always) func comma() { out.append(44) }
        @inline(__always) func int(_ x: Int) {
            if x < 0 { out.append(45) }
            ModelTime.appendDigits(abs(x), to: &out)
        }
        @inline(__always) func time(_ t: Double) {
            if options.days {
                out.append(contentsOf: (NumberFormat.csv(t) ?? "").utf8)
            } else {
                ModelTime.appendISODateTime(t, startDecimalYear: startDecimalYear, to: &out)
            }
        }
        int(e.replication); comma(); int(e.child); comma()
        if e.team >= 0 { out.append(contentsOf: teamFields[e.team]) }
        comma(); out.append(contentsOf: EpisodeExport.phaseBytes[e.phase]!); comma()
        if e.step >= 0 { out.append(contentsOf: stepFields[e.step]) }
        comma(); time(e.start); comma(); time(e.end); comma()
        out.append(contentsOf: EpisodeExport.endBytes[e.endReason]!); comma()
        let micro = Int((e.ageAtStart * 1e6).rounded())
        if micro < 0 { out.append(45) }
        int(abs(micro) / 1_000_000)
        out.append(46)
        ModelTime.appendDigits(abs(micro) % 1_000_000, width: 6, to: &out); comma()
        out.append(contentsOf: e.placement ? EpisodeExport.trueBytes : EpisodeExport.falseBytes)
        out.append(10)
    }

    private static let phaseBytes = Dictionary(uniqueKeysWithValues: EpisodePhase.allCases.map { ($0, Array($0.rawValue.utf8)) })
    private static let endBytes = Dictionary(uniqueKeysWithValues: EpisodeEnd.allCases.map { ($0, Array($0.rawValue.utf8)) })
    private static let trueBytes = Array("true".utf8), falseBytes = Array("false".utf8)

    /// Concatenates the chunks of `replications` in order into a hidden file in `directory`.
    /// - Returns: the hidden file, to be renamed by `publish(_:in:)`.
    func assemble(replications: Int, in directory: URL) throws -> URL {
        try Directories.create(directory.path)
        let target = directory.appendingPathComponent(".\(EpisodeExport.fileName).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: target.path, contents: Data((EpisodeExport.header.joined(separator: ",") + "\n").utf8)),
              let out = try? FileHandle(forWritingTo: target) else {
            throw OutputError.io(operation: "create", path: target.path, errno: errno)
        }
        defer { try? out.close() }
        do {
            try out.seekToEnd()
            for r in 0..<replications where wants(r) {
                try cancellation?.check()
                guard let input = FileHandle(forReadingAtPath: chunk(r).path) else { continue }
                defer { try? input.close() }
                while let data = try input.read(upToCount: 1 << 20), !data.isEmpty {
                    try cancellation?.check()
                    try out.write(contentsOf: data)
                }
            }
            try out.synchronize()
        } catch let e as Interrupted {
            try? FileManager.default.removeItem(at: target)
            throw e
        } catch {
            try? FileManager.default.removeItem(at: target)
            throw OutputError.from(error, operation: "write", path: target.path)
        }
        return target
    }

    /// Renames the assembled file to `episodes.csv` in `directory` (replacing an older one).
    static func publish(_ assembled: URL, in directory: URL) throws {
        let final = directory.appendingPathComponent(fileName)
        if rename(assembled.path, final.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: assembled)
            throw OutputError.io(operation: "rename", path: final.path, errno: code)
        }
    }

    /// Buffers rows and appends them to a chunk file 64 KiB at a time.
    final class ChunkWriter: EpisodeSink {
        private let handle: FileHandle
        private let path: String
        private let export: EpisodeExport
        private var buffer: [UInt8] = []
        private(set) var failure: Error?

        init(url: URL, export: EpisodeExport) throws {
            guard FileManager.default.createFile(atPath: url.path, contents: nil),
                  let h = try? FileHandle(forWritingTo: url) else {
                throw OutputError.io(operation: "create", path: url.path, errno: errno)
            }
            handle = h
            path = url.path
            self.export = export
            buffer.reserveCapacity(1 << 16)
        }

        func add(_ episode: Episode) {
            export.appendRow(episode, to: &buffer)
            if buffer.count >= 1 << 16 { flush() }
        }

        func flush() {
            guard !buffer.isEmpty, failure == nil else { return }
            if export.cancellation?.isCancelled == true {
                failure = Interrupted()
                buffer.removeAll(keepingCapacity: true)
                return
            }
            do { try handle.write(contentsOf: buffer) } catch { failure = OutputError.from(error, operation: "write", path: path) }
            buffer.removeAll(keepingCapacity: true)
        }

        /// Flushes and closes; throws the first write error.
        func close() throws {
            flush()
            try? handle.close()
            if let failure { throw failure }
        }
    }
}
