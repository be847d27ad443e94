import SagstalScenario

/// What happened at one instant to one child or one position (a row of `sagstal trace`;
/// docs/trace.md lists what each kind means and which columns it fills).
public enum TraceKind: String, Sendable, CaseIterable {
    // Children (MODEL.md §§5.1–5.5, 5.7, 5.10, transfers).
    /// A child of the initial stock, at the run's start: `to` its step, with its caseworker.
    case stock
    /// A new child is notified (`detail`: its age).
    case notification
    /// A notification about a child with an open case (`child` only when it would escalate).
    case renotification
    case outreachStart
    /// `to`: `resolved` (no case) or `notified` (screened now).
    case outreachEnd
    case screenedOut
    /// `to`: the team the case goes to.
    case caseOpened
    /// No caseworker for the child now: `to` `waitlist` (waits for room) or `pool` (nobody active).
    case queued
    /// The child's first caseworker (`position`); its assessment starts (`detail`: days waited).
    case assigned
    /// A later caseworker: a leaver's child, a transfer, a child taken from the pool.
    case reassigned
    /// `to`: the outcome step, or `close` (`detail` `late` past the assessment deadline).
    case assessmentEnd
    /// A move on the ladder, `from` → `to` (`detail`: `up`, `down` or `renotification`).
    case move
    /// A new sojourn on the same step (`detail` `renotification` for a forced one at the top).
    case stay
    /// The case ends: `from` where the child was; `detail` `exit`, `close` or `agedOut`.
    case caseClosed
    /// The child reaches `children.ageOut` (`from` where it was; a case also gets `caseClosed`).
    case agedOut
    /// A statutory follow-up falls due (`detail`: its id, then `done` or `missed`).
    case followUp
    /// A transfer between age bands: team `from` → `to` (`position`: the caseworker it leaves).
    case transfer

    // Positions (MODEL.md §5.6).
    /// A caseworker in a position at the run's start.
    case caseworker
    /// A caseworker leaves (turnover); its children follow as `reassigned` or `queued`.
    case leaver
    /// A vacant position starts recruiting (`detail`: when the hire comes).
    case recruitment
    case hire
    case rampUpEnd
    /// A dated change removes a position (`detail` `vacant` or `filled`).
    case positionRemoved
    /// A dated change of a team (`detail`: what it changes).
    case staffChange
}

/// A place or an outcome in a trace row's `from` or `to` column.
public enum TracePoint: Sendable, Equatable {
    case none
    /// A ladder step (index into `ladder`).
    case step(Int)
    /// A team (index into `teams`).
    case team(Int)
    /// A phase outside the ladder (`assessment`, `waiting`, `course`) or an outcome word.
    case word(String)
}

/// One row of a trace (docs/trace.md).
public struct TraceEvent: Sendable, Equatable {
    /// Simulation time (days since `simulation.start`; negative in warm-up).
    public var time: Double
    public var kind: TraceKind
    /// Child number (0-based per replication, as in episodes.csv), −1 for none.
    public var child: Int
    /// Team index, −1 for none.
    public var team: Int
    /// Position number (0-based per replication, in the order positions are created), −1 for none.
    public var position: Int
    public var from: TracePoint
    public var to: TracePoint
    /// The caseload of `position` after the event, −1 when there is no position.
    public var caseload: Int
    public var detail: String

    public init(time: Double, kind: TraceKind, child: Int = -1, team: Int = -1, position: Int = -1,
                from: TracePoint = .none, to: TracePoint = .none, caseload: Int = -1, detail: String = "") {
        self.time = time
        self.kind = kind
        self.child = child
        self.team = team
        self.position = position
        self.from = from
        self.to = to
        self.caseload = caseload
        self.detail = detail
    }
}

/// Receives the events of one replication in the order they happen, from its thread.
public protocol TraceSink: AnyObject {
    func add(_ event: TraceEvent)
}

extension Replication {
    /// Reports an event of child `c` at the current time: its number, team, caseworker (or
    /// `position`, when the event is about the caseworker it just left) and that caseworker's
    /// caseload. Nothing is built when no trace is asked for.
    @inline(__always)
    func traceChild(_ kind: TraceKind, _ c: Int, position: Int? = nil, from: @autoclosure () -> TracePoint = .none,
                    to: @autoclosure () -> TracePoint = .none, detail: @autoclosure () -> String = "") {
        guard let sink = tracer else { return }
        let ch = children[c]
        let p = position ?? Int(ch.worker)
        sink.add(TraceEvent(time: lastT, kind: kind, child: Int(ch.number), team: Int(ch.team), position: p,
                            from: from(), to: to(), caseload: p >= 0 ? Int(positions[p].load) : -1, detail: detail()))
    }

    /// Reports an event of position `p` at the current time, with its team and caseload.
    @inline(__always)
    func tracePosition(_ kind: TraceKind, _ p: Int, detail: @autoclosure () -> String = "") {
        guard let sink = tracer else { return }
        sink.add(TraceEvent(time: lastT, kind: kind, team: Int(positions[p].team), position: p,
                            caseload: Int(positions[p].load), detail: detail()))
    }

    /// Where child `c` is, for a `from` column: its step, or its phase.
    func tracePlace(_ c: Int) -> TracePoint {
        switch children[c].phase {
        case .ladder: return .step(Int(children[c].step))
        case .assessment: return .word("assessment")
        case .waiting: return .word("waiting")
        case .course: return .word("course")
        case .free: return .none
        }
    }

    /// A number for a `detail` text: at most 4 decimals, no trailing zeros.
    static func traceNumber(_ x: Double) -> String {
        guard x.isFinite else { return "\(x)" }
        let r = (x * 10_000).rounded() / 10_000
        if r == r.rounded() && abs(r) < 1e15 { return String(Int(r)) }
        return String(r)
    }
}

extension Replication {
    /// What a dated change does, for its `staffChange` row: `caseworkers=+3 cap=25 share=0.4
    /// method.escalate=0.8 immediate`, in the order they are applied (MODEL.md §5.6).
    static func traceText(_ change: CompiledScenario.CompiledChange) -> String {
        var parts: [String] = []
        if let m = change.method {
            for (name, value) in [("escalate", m.escalate), ("deescalate", m.deescalate), ("close", m.close), ("duration", m.duration)] {
                if let value { parts.append("method.\(name)=\(traceNumber(value))") }
            }
        }
        if let share = change.share { parts.append("share=\(traceNumber(share))") }
        if let cap = change.cap { parts.append("cap=\(traceNumber(cap))") }
        switch change.caseworkers {
        case .set(let n)?: parts.append("caseworkers=\(n)")
        case .relative(let d)?: parts.append("caseworkers=\(d >= 0 ? "+" : "")\(d)")
        case nil: break
        }
        if change.immediate { parts.append("immediate") }
        return parts.joined(separator: " ")
    }
}
