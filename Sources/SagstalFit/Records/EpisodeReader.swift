import CSV
import Foundation
import SagstalScenario

/// One stay of a child in a phase, as a row of `episodes.csv` (MODEL.md § 8; docs/fit.md).
public struct Episode: Sendable, Equatable {
    public enum Phase: String, Sendable, CaseIterable {
        case course, waiting, assessment, ladder
    }

    public static let endReasons: Set<String> = ["up", "down", "stay", "exit", "close", "toStep", "assigned", "resolved",
                                                 "notified", "agedOut", "transfer", "censored"]

    public var replication: Int
    public var child: Int
    public var team: String
    public var phase: Phase
    /// The ladder step id (ladder rows only).
    public var step: String?
    /// Start and end in days since 1970-01-01 (ISO rows) or since the run's start (`--episodes-days` rows).
    public var start: Double
    public var end: Double
    public var endReason: String
    public var ageAtStart: Double
    public var placement: Bool
    /// The line of the file the row is on (1 = the header).
    public var line: Int

    /// The stay's length in days.
    public var days: Double { end - start }
    /// False when the stay had not ended by the end of the records (`censored`).
    public var observed: Bool { endReason != "censored" }
}

/// A problem with an episodes file, located: `file:line: column: message`.
public struct EpisodeFileError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int
    public let column: String?
    public let message: String

    public var description: String {
        "\(file):\(line): error: " + (column.map { "\($0): " } ?? "") + message
    }
}

/// The rows of an episodes file, checked.
public struct EpisodeFile: Sendable {
    public let path: String
    public let episodes: [Episode]
    /// Whether times were ISO date-times (true) or days since the start (false).
    public let calendarTimes: Bool
    /// The end of the records: the given extract date, or the latest end in the file.
    public let extract: Double
    /// Rows dropped because they start after the extract date.
    public let droppedAfterExtract: Int
    /// Rows whose end was cut to the extract date (now `censored`).
    public let censoredAtExtract: Int
    /// Notifications screened out without a case (`phase` `notification`, `endReason`
    /// `screenedOut`; docs/fit.md): empty when the file has none, as `run --episodes` files.
    public var screenedOut: [ScreenedOut] = []
}

/// A notification screened out without opening a case: a row `phase = notification`,
/// `endReason = screenedOut` (its `start` the notification's time; `end` empty or the same).
public struct ScreenedOut: Sendable, Equatable {
    public var replication: Int
    public var time: Double
    public var line: Int
}

/// Reads `episodes.csv` as `sagstal run --episodes` writes it, or as a municipality converts it from
/// its case system (docs/fit.md lists the columns). Streams the file with CSV.swift; every problem
/// is reported with its line and column, and the first problems (up to `maxErrors`) are all listed.
public enum EpisodeReader {
    public static let columns = ["replication", "child", "team", "phase", "step", "start", "end", "endReason", "ageAtStart", "placement"]
    /// Columns a municipality's file may leave out (defaults: replication 0, team "all", placement from the step).
    public static let optionalColumns: Set<String> = ["replication", "team", "placement"]
    /// The header line must end within this many bytes.
    static let maxHeaderBytes = 1 << 20

    /// - Parameter extractDate: the date the records were taken ("YYYY-MM-DD"): stays still running
    ///   then are censored there, stays starting later are dropped. Default: the latest end in the file.
    /// - Throws: `[EpisodeFileError]` wrapped in `EpisodeFileErrors`.
    public static func read(path: String, extractDate: String? = nil, maxErrors: Int = 20) throws -> EpisodeFile {
        func refuse(_ message: String) -> EpisodeFileErrors {
            EpisodeFileErrors([EpisodeFileError(file: path, line: 0, column: nil, message: message)])
        }
        // Only a regular file: a folder, a device (/dev/zero) or a pipe would never give a header line.
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw refuse("the file does not exist") }
        if isFolder.boolValue { throw refuse("is a folder, not an episodes file (give the episodes.csv inside it)") }
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let type = (try? FileManager.default.attributesOfItem(atPath: resolved))?[.type] as? FileAttributeType
        guard type == .typeRegular else { throw refuse("is not a regular file (a device or a pipe); give a CSV file") }
        guard let stream = InputStream(fileAtPath: path), let handle = FileHandle(forReadingAtPath: path) else {
            throw refuse("cannot open the file for reading")
        }
        // The header line must end within the first MiB (a file without line breaks is not CSV).
        let head = (try? handle.read(upToCount: Self.maxHeaderBytes)) ?? Data()
        try? handle.close()
        guard let newline = head.firstIndex(of: 0x0A) ?? (head.count < Self.maxHeaderBytes ? head.endIndex : nil) else {
            throw EpisodeFileErrors([EpisodeFileError(file: path, line: 1, column: nil,
                                                      message: "no line break in the first \(Self.maxHeaderBytes / 1_048_576) MiB: this is not a CSV file of episodes")])
        }
        // The delimiter: ';' for files written with --csv-dialect excel-da (or by Danish Excel), else ','.
        let firstLine = String(decoding: head[head.startIndex..<newline], as: UTF8.self)
        let semicolon = firstLine.contains(";") && !firstLine.contains(",")
        let reader: CSVReader
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: true, trimFields: true, delimiter: semicolon ? ";" : ",")
        } catch {
            throw EpisodeFileErrors([EpisodeFileError(file: path, line: 1, column: nil, message: "cannot read the header row (\(error))")])
        }
        var header = reader.headerRow ?? []
        if let first = header.first, first.hasPrefix("\u{FEFF}") { header[0] = String(first.dropFirst()) }
        var errors: [EpisodeFileError] = []
        func fail(_ line: Int, _ column: String?, _ message: String) {
            if errors.count < maxErrors { errors.append(EpisodeFileError(file: path, line: line, column: column, message: message)) }
        }
        let required = columns.filter { !optionalColumns.contains($0) }
        let missing = required.filter { !header.contains($0) }
        if !missing.isEmpty {
            let unknown = header.filter { !columns.contains($0) }
            throw EpisodeFileErrors([EpisodeFileError(
                file: path, line: 1, column: nil,
                message: "missing column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")); expected the columns \(columns.joined(separator: ", ")) (found \(header.joined(separator: ", "))"
                    + (unknown.isEmpty ? "" : "; unknown: \(unknown.joined(separator: ", "))") + "; see docs/fit.md)")])
        }
        let index = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var episodes: [Episode] = []
        var screened: [ScreenedOut] = []
        var line = 1
        var calendar: Bool?
        while let row = reader.next() {
            line += 1 + row.reduce(0) { $0 + $1.filter { $0 == "\n" }.count }
            if row.count == 1 && row[0].isEmpty { continue }
            guard row.count == header.count else {
                fail(line, nil, "expected \(header.count) fields, found \(row.count)")
                continue
            }
            func field(_ name: String) -> String? { index[name].map { row[$0] } }
            func number(_ name: String) -> Double? {
                guard let text = field(name) else { return nil }
                let t = semicolon ? text.replacingOccurrences(of: ",", with: ".") : text
                guard let x = Double(t), x.isFinite else { fail(line, name, "expected a number, found '\(text)'"); return nil }
                return x
            }
            func whole(_ name: String, default value: Int) -> Int? {
                guard let text = field(name) else { return value }
                guard let x = Int(text), x >= 0 else { fail(line, name, "expected a whole number ≥ 0, found '\(text)'"); return nil }
                return x
            }
            func time(_ name: String) -> Double? {
                guard let text = field(name) else { return nil }
                if let t = isoDays(text) {
                    if calendar == false { fail(line, name, "a date-time '\(text)' in a file whose earlier rows give days since the start; use one form for the whole file"); return nil }
                    calendar = true
                    return t
                }
                if let d = Double(semicolon ? text.replacingOccurrences(of: ",", with: ".") : text), d.isFinite {
                    if calendar == true { fail(line, name, "days '\(text)' in a file whose earlier rows give date-times; use one form for the whole file"); return nil }
                    calendar = false
                    return d
                }
                fail(line, name, "expected a date-time like 2026-03-01T08:00:00 (or 2026-03-01), or days since the start, found '\(text)'")
                return nil
            }
            let phaseText = field("phase") ?? ""
            if phaseText == "notification" {
                // A screened-out notification: no stay, only its time (docs/fit.md).
                guard field("endReason") == "screenedOut" else {
                    fail(line, "endReason", "a notification row is a notification screened out without a case: its endReason is screenedOut, found '\(field("endReason") ?? "")' (a notification that opens a case shows as the case's first wait or assessment)")
                    continue
                }
                guard let replication = whole("replication", default: 0), let at = time("start") else { continue }
                if let endText = field("end"), !endText.isEmpty {
                    guard let end = time("end") else { continue }
                    if end != at { fail(line, "end", "a screened-out notification has no length: leave end empty or give the start again"); continue }
                }
                screened.append(ScreenedOut(replication: replication, time: at, line: line))
                continue
            }
            guard let phase = Episode.Phase(rawValue: phaseText) else {
                fail(line, "phase", "expected one of \(Episode.Phase.allCases.map(\.rawValue).joined(separator: ", ")) or notification, found '\(phaseText)'")
                continue
            }
            let stepText = field("step") ?? ""
            if phase == .ladder && stepText.isEmpty { fail(line, "step", "a ladder row needs the step id (e.g. foster)"); continue }
            let reason = field("endReason") ?? ""
            guard Episode.endReasons.contains(reason) else {
                let close = Episode.endReasons.filter { $0.lowercased() == reason.lowercased() }.first
                fail(line, "endReason", "unknown end reason '\(reason)'; expected one of \(Episode.endReasons.sorted().joined(separator: ", "))"
                     + (close.map { " (did you mean '\($0)'?)" } ?? ""))
                continue
            }
            guard let replication = whole("replication", default: 0), let child = whole("child", default: 0),
                  let start = time("start"), let end = time("end"), let age = number("ageAtStart") else { continue }
            if end < start {
                fail(line, "end", "the stay ends (\(field("end")!)) before it starts (\(field("start")!))")
                continue
            }
            if age < 0 { fail(line, "ageAtStart", "expected an age ≥ 0, found \(age)"); continue }
            var placement = false
            if let p = field("placement") {
                switch p.lowercased() {
                case "true", "1": placement = true
                case "false", "0", "": placement = false
                default: fail(line, "placement", "expected true or false, found '\(p)'"); continue
                }
            }
            episodes.append(Episode(replication: replication, child: child, team: field("team") ?? "all", phase: phase,
                                    step: phase == .ladder ? stepText : nil, start: start, end: end, endReason: reason,
                                    ageAtStart: age, placement: placement, line: line))
        }
        // CSV.swift ends every file with `cannotReadFile` (its end-of-stream signal); anything else is a real problem.
        if let e = reader.error, !Self.isEndOfStream(e) {
            fail(line + 1, nil, "the file cannot be read as UTF-8 CSV after line \(line) (\(e))")
        }
        if !errors.isEmpty { throw EpisodeFileErrors(errors) }
        guard !episodes.isEmpty else {
            throw EpisodeFileErrors([EpisodeFileError(file: path, line: line, column: nil, message: "the file has no episodes (only a header); nothing to fit")])
        }
        // A child's stays follow one another: one that starts before the previous one ended is an error in the records.
        var byChild: [Int: [Int: [Int]]] = [:]
        for (i, e) in episodes.enumerated() where e.phase != .course { byChild[e.replication, default: [:]][e.child, default: []].append(i) }
        for (_, children) in byChild.sorted(by: { $0.key < $1.key }) {
            for (_, rows) in children.sorted(by: { $0.key < $1.key }) {
                let sorted = rows.sorted { (episodes[$0].start, episodes[$0].end) < (episodes[$1].start, episodes[$1].end) }
                for (a, b) in zip(sorted, sorted.dropFirst()) where episodes[b].start < episodes[a].end - 1.5 / 86_400 {
                    fail(episodes[b].line, "start", "child \(episodes[b].child)'s stays overlap: this one starts before the one on line \(episodes[a].line) ends")
                }
            }
        }
        if !errors.isEmpty { throw EpisodeFileErrors(errors) }
        // The extract date.
        let isCalendar = calendar ?? true
        var extract = episodes.map(\.end).max()!
        var dropped = 0, cut = 0
        if let extractDate {
            guard isCalendar else {
                throw EpisodeFileErrors([EpisodeFileError(file: path, line: 0, column: nil, message: "--extract-date needs a file with dates; this one gives days since the start")])
            }
            guard let d = isoDays(extractDate) else {
                throw EpisodeFileErrors([EpisodeFileError(file: "--extract-date", line: 0, column: nil, message: "expected a date like 2026-12-31, found '\(extractDate)'")])
            }
            extract = d
            var kept: [Episode] = []
            for var e in episodes {
                if e.start >= d { dropped += 1; continue }
                if e.end > d || (e.end == d && e.endReason == "censored") {
                    if e.end > d { cut += 1 }
                    e.end = d
                    e.endReason = "censored"
                }
                kept.append(e)
            }
            episodes = kept
            dropped += screened.filter { $0.time >= d }.count
            screened.removeAll { $0.time >= d }
        }
        return EpisodeFile(path: path, episodes: episodes, calendarTimes: isCalendar, extract: extract,
                           droppedAfterExtract: dropped, censoredAtExtract: cut, screenedOut: screened)
    }

    static func isEndOfStream(_ e: Error) -> Bool {
        if let c = e as? CSVError, case .cannotReadFile = c { return true }
        return false
    }

    /// Model days since 1970-01-01 of an ISO date or date-time (``CalendarDate/isoDays(_:)``).
    public static func isoDays(_ text: String) -> Double? { CalendarDate.isoDays(text) }

    static let epoch = CalendarDate.epoch
}

/// Every problem found in an episodes file (at most the reader's `maxErrors`).
public struct EpisodeFileErrors: Error, CustomStringConvertible, Equatable {
    public let errors: [EpisodeFileError]
    public init(_ errors: [EpisodeFileError]) { self.errors = errors }
    public var description: String {
        (errors.map(\.description) + ["\(errors.count) error\(errors.count == 1 ? "" : "s")"]).joined(separator: "\n")
    }
}
