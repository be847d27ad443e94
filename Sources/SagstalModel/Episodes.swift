import SagstalScenario

/// The phase of a stay in `episodes.csv` (MODEL.md §8).
public enum EpisodePhase: String, Sendable, CaseIterable {
    case course, waiting, assessment, ladder
}

/// Why a stay ended (MODEL.md §8): the effective move (an `up` at the top step is `stay`, a
/// `down` at the bottom is `exit`).
public enum EpisodeEnd: String, Sendable, CaseIterable {
    case up, down, stay, exit, close, toStep, assigned, resolved, notified, agedOut, transfer, censored
}

/// One stay of a child in a phase (a row of `episodes.csv`).
public struct Episode: Sendable, Equatable {
    public var replication: Int
    /// Child number, 0-based per replication.
    public var child: Int
    /// Team index in the scenario's `teams`, −1 for none (outreach courses).
    public var team: Int
    public var phase: EpisodePhase
    /// Ladder step index, −1 outside the ladder.
    public var step: Int
    /// Simulation times (days since the start); `start` may be negative (warm-up).
    public var start: Double
    public var end: Double
    public var endReason: EpisodeEnd
    public var ageAtStart: Double
    public var placement: Bool

    public init(replication: Int, child: Int, team: Int, phase: EpisodePhase, step: Int, start: Double, end: Double,
                endReason: EpisodeEnd, ageAtStart: Double, placement: Bool) {
        self.replication = replication
        self.child = child
        self.team = team
        self.phase = phase
        self.step = step
        self.start = start
        self.end = end
        self.endReason = endReason
        self.ageAtStart = ageAtStart
        self.placement = placement
    }
}

/// Receives a replication's stays in the order they end (then the censored ones, by child number).
/// One sink per replication; it is called from the replication's thread only.
public protocol EpisodeSink: AnyObject {
    func add(_ episode: Episode)
}

extension Replication {
    /// Reports the end of child `c`'s current stay at `t` (nothing when episodes are off, when the
    /// stay ends before t = 0, or for a wait of length 0).
    @inline(__always)
    func endStay(_ c: Int, at t: Double, _ reason: EpisodeEnd) {
        guard let sink = episodes, t >= 0 else { return }
        let ch = children[c]
        let phase: EpisodePhase
        switch ch.phase {
        case .course: phase = .course
        case .waiting: phase = .waiting
        case .assessment: phase = .assessment
        case .ladder: phase = .ladder
        case .free: return
        }
        if phase == .waiting && !(t > ch.stayStart) { return }
        let step = phase == .ladder ? Int(ch.step) : -1
        sink.add(Episode(replication: index, child: Int(ch.number), team: phase == .course ? -1 : Int(ch.team),
                         phase: phase, step: step, start: ch.stayStart, end: t, endReason: reason,
                         ageAtStart: ch.age(at: ch.stayStart), placement: step >= 0 && cs.placement[step]))
    }

    /// Every stay still running at the horizon, by child number, with reason `censored`.
    func censorStays() {
        let running = children.indices.filter { children[$0].phase != .free }
            .sorted { children[$0].number < children[$1].number }
        for c in running { endStay(c, at: cs.horizon, .censored) }
    }
}
