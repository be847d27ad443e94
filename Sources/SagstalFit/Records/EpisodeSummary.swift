import Foundation

/// What an episodes file says about each phase, before any model is fitted: per ladder step and
/// for assessments and waits, the stays (length, observed or right-censored) and how they ended.
public struct PhaseRecords: Sendable, Equatable {
    /// "assessment", "waiting" or the ladder step id (with " @ team" or " @ age a–b" under `fit --by`).
    public let name: String
    /// `.assessment`, `.waiting` or `.ladder`.
    public let kind: Episode.Phase
    /// Length in days of every stay, and whether its end was observed (false: right-censored).
    public let days: [Double]
    public let observed: [Bool]
    /// How the observed stays ended: endReason → count. For assessments, `toStep` is split by the
    /// step the child went to ("toStep:foster"), found from the child's next ladder row.
    public let endings: [String: Int]

    public var n: Int { days.count }
    public var censored: Int { observed.filter { !$0 }.count }
    public var censoredShare: Double { n > 0 ? Double(censored) / Double(n) : .nan }

    /// The naive mean of the observed (closed) stays only — what dropping the censored stays gives.
    public var naiveMeanOfClosed: Double? {
        let closed = zip(days, observed).filter(\.1).map(\.0)
        return closed.isEmpty ? nil : closed.reduce(0, +) / Double(closed.count)
    }
}

public enum EpisodeSummary {
    /// Stays that end by moving the child on within its ladder path; `transfer` (a change of team)
    /// and `agedOut` end the stay on this step but say nothing about the step's own transitions.
    public static let ladderMoves: Set<String> = ["up", "down", "stay", "exit"]

    /// The records of each phase, ladder steps in order of first appearance, then assessment and waiting.
    ///
    /// A stay split by a transfer is joined back into one stay on its step (the transfer row's
    /// length is added to the next row's), since a team change does not restart the sojourn.
    /// A stay ended by the child ageing out (`agedOut`) is right-censored like one still running:
    /// the stay would have gone on, so its length is a lower bound, not a draw of the duration.
    /// Whether the stay's own end was seen: not still running, not cut short by ageing out.
    public static func isObserved(_ e: Episode) -> Bool { e.observed && e.endReason != "agedOut" }

    /// How stays are grouped: by step (the scenario's parameters), or by step and team, or by step
    /// and age band at the start of the stay (0–6, 7–12, 13–17 and 18+), for `fit --by`.
    public enum Grouping: String, Sendable, CaseIterable {
        case step, team, ageband
    }

    static func suffix(_ e: Episode, _ g: Grouping) -> String {
        switch g {
        case .step: return ""
        case .team: return " @ " + e.team
        case .ageband:
            let a = e.ageAtStart
            return a < 7 ? " @ age 0–6" : (a < 13 ? " @ age 7–12" : (a < 18 ? " @ age 13–17" : " @ age 18+"))
        }
    }

    public static func phases(_ file: EpisodeFile, by grouping: Grouping = .step) -> [PhaseRecords] {
        let rows = file.episodes
        // The rows of each child, by start.
        var byChild: [[Int]: [Int]] = [:]
        for (i, e) in rows.enumerated() { byChild[[e.replication, e.child], default: []].append(i) }
        for k in byChild.keys { byChild[k]!.sort { rows[$0].start < rows[$1].start } }
        var order: [String] = []
        var days: [String: [Double]] = [:], observed: [String: [Bool]] = [:], endings: [String: [String: Int]] = [:]
        var kinds: [String: Episode.Phase] = [:]
        func add(_ name: String, _ kind: Episode.Phase, _ d: Double, _ obs: Bool, _ ending: String?) {
            if days[name] == nil { order.append(name); days[name] = []; observed[name] = []; endings[name] = [:]; kinds[name] = kind }
            days[name]!.append(d)
            observed[name]!.append(obs)
            if let ending, obs { endings[name]![ending, default: 0] += 1 }
        }
        for (_, list) in byChild.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            var carried = 0.0
            for (j, i) in list.enumerated() {
                let e = rows[i]
                switch e.phase {
                case .course:
                    continue
                case .waiting:
                    add("waiting" + suffix(e, grouping), .waiting, e.days, isObserved(e), isObserved(e) ? e.endReason : nil)
                case .assessment:
                    var ending = e.endReason
                    if e.endReason == "toStep" {
                        let next = list[(j + 1)...].map { rows[$0] }.first { $0.phase == .ladder }
                        ending = "toStep:" + (next?.step ?? "?")
                    }
                    add("assessment" + suffix(e, grouping), .assessment, e.days, isObserved(e), ending)
                case .ladder:
                    if e.endReason == "transfer" {
                        carried += e.days
                        continue
                    }
                    add(e.step! + suffix(e, grouping), .ladder, e.days + carried, isObserved(e), e.endReason)
                    carried = 0
                }
            }
        }
        let names = order.filter { kinds[$0] == .ladder } + order.filter { kinds[$0] == .assessment }.sorted()
            + order.filter { kinds[$0] == .waiting }.sorted()
        return names.map { PhaseRecords(name: $0, kind: kinds[$0]!, days: days[$0]!, observed: observed[$0]!, endings: endings[$0]!) }
    }
}
