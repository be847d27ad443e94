import DequeModule
import Foundation
import SagstalEngine
import SagstalRandom
import SagstalScenario
import SagstalStats

/// The events of the child-welfare model. Events that can be overtaken (a sojourn cut short
/// by a forced escalation, a child that aged out, a cancelled recruitment) carry a ticket;
/// a stale ticket means the event is ignored.
enum ModelEvent {
    case arrival
    case assessmentEnd(child: Int32, ticket: UInt32)
    case sojournEnd(child: Int32, ticket: UInt32)
    case courseEnd(child: Int32, ticket: UInt32)
    case ageOut(child: Int32, ticket: UInt32)
    /// A statutory follow-up falls due (priority 1: after the child's own event at that instant).
    case followUpDue(child: Int32, ticket: UInt32, followUp: Int16)
    /// The child reaches its team's upper age bound (priority 2: after its follow-up).
    case transfer(child: Int32, ticket: UInt32)
    case recruitmentDone(position: Int32, ticket: UInt32)
    case rampUpEnd(position: Int32, ticket: UInt32)
    case staffChange(Int32)
}

/// Event priorities at one instant (MODEL.md §5.3: the child's own event, then its follow-up,
/// then its transfer).
enum EventPriority {
    static let followUp: UInt64 = 1
    static let transfer: UInt64 = 2
}

/// Where a child is (MODEL.md §4).
enum Phase: UInt8 {
    case free          // slot not in use
    case course        // outreach course
    case waiting       // case opened, never assigned yet
    case assessment
    case ladder
}

struct Child {
    var phase: Phase = .free
    var step: Int32 = -1
    var team: Int32 = -1
    var worker: Int32 = -1          // position id, −1 = no caseworker
    var everAssigned = false
    var inPool = false              // which queue `queueTicket` refers to
    /// Child number: order of creation within the replication (MODEL.md §3), the key of its streams.
    var number: Int32 = -1
    var transfersSoFar: Int32 = 0   // keys the transfer draws
    var notifiedAt = 0.0
    var openIndex: Int32 = -1       // index in `openCases`, −1 when no open case
    var stateTicket: UInt32 = 0     // valid pending assessment/sojourn/course event
    var transferTicket: UInt32 = 0  // valid pending transfer event (0 = none)
    var ageOutAt = Double.infinity  // when the child reaches children.ageOut
    var ageRefT = 0.0               // the child's age was `ageRef` at time `ageRefT`
    var ageRef = 0.0
    var queueTicket: UInt32 = 0     // valid waitlist/pool entry (0 = in none)
    var assignSeq: UInt64 = 0       // order of assignment to the current caseworker
    var caseloadSlot: Int32 = -1    // index in the caseworker's `caseload` list
    var screeningDraw = 0.0         // U[0,1) drawn at creation for screening
    var teamDraw = 0.0              // U[0,1) drawn at creation for routing
    var decisionDraw = 0.0          // U[0,1) drawn with the running state's duration, used at its end
    var stayStart = 0.0             // start of the current stay (episodes)

    /// Age in years at time `t`.
    @inline(__always) func age(at t: Double) -> Double { ageRef + (t - ageRefT) / ModelTime.daysPerYear }
}

/// Why a replication could not finish.
public enum ReplicationError: Error, Equatable, CustomStringConvertible {
    /// More than ``Replication/stallLimit`` events happened at one instant (within a
    /// millionth of a day): something repeats without simulated time passing.
    /// `day`: model time (days from the scenario's start; negative in warm-up); `at`: the
    /// same as an ISO date-time.
    case stalled(replication: Int, day: Double, at: String, events: Int)

    public var description: String {
        switch self {
        case let .stalled(replication, _, at, events):
            return "replication \(replication) stopped: simulated time stopped advancing at \(at) "
                + "(\(events) events at one instant). A stay, visit or assessment repeats without time passing: "
                + "look for durations of (nearly) 0 days, a method.duration or caseload effect that shrinks durations to 0, "
                + "or a step that children can leave and re-enter at once"
        }
    }
}

/// A position of a team; while filled it is a caseworker.
struct Position {
    var team: Int32
    var filled: Bool
    var removed = false
    var ramping = false
    var leaving = false
    var load: Int32 = 0
    var recruitDoneAt = Double.infinity
    var ticket: UInt32 = 0
    /// Index in its team's `positions` list (its leaf in the team's `LoadTree`).
    var slot: Int32 = -1
    /// The children assigned to this caseworker (unordered; `Child.assignSeq` gives the order).
    var caseload: [Int32] = []
}

struct QueueEntry {
    var child: Int32
    var ticket: UInt32
}

struct TeamState {
    var positions: [Int32] = []     // position ids in index order
    /// The least-loaded active caseworker of `positions`, kept up to date (Assignment.swift).
    let loadTree = LoadTree()
    var cap: Double                 // children
    var share: Double               // routing share (changes on dated changes)
    var method: MethodMultipliers   // method multipliers (changes on dated changes)
    var created = 0                 // positions ever created (their creation numbers key their streams)
    var active = 0
    var waitlist = Deque<QueueEntry>()
    var waitlistCount = 0
    /// Children of the team with a case and no caseworker because nobody was active (in a
    /// `waitlist` team only children that have had a caseworker), in the order they came.
    var pool = Deque<QueueEntry>()
    var poolCount = 0

    // Levels for the per-team metrics, integrated lazily (`Replication.touch(team:)`).
    var load = 0
    var overCap = 0
    var waiting = 0
    var lastT: Double
    var loadDays = 0.0, activeDays = 0.0, overCapDays = 0.0, waitingDays = 0.0
}

/// One replication of the model: its own generators, state and accumulators.
///
/// Not thread-safe; the runner makes one per replication. The rules follow MODEL.md §§2–6 and
/// §5.10, one file per section: Notifications.swift (§5.1, 5.2, 5.7), Assignment.swift (§5.3),
/// Ladder.swift (§§5.4, 5.5, 5.8), Staff.swift (§5.6), FollowUps.swift (§5.10), Transfers.swift
/// (§5.3, age bands), Episodes.swift (§8, episodes.csv) and Trace.swift (the events of `sagstal trace`).
/// docs/model.md explains them and the
/// decisions taken where MODEL.md is silent.
public final class Replication {
    let cs: CompiledScenario
    public let index: Int

    // Replication-level streams (MODEL.md §3): only the arrivals and the renotification draws.
    let arrivals: RandomStream
    let renotifications: RandomStream
    /// One generator per child slot, seeded from the child number when a child takes the slot.
    let childStreams = EntityGenerators()
    /// One generator per position, seeded from (team id, creation number in the team).
    let positionStreams = EntityGenerators()
    /// One generator re-keyed for each single keyed draw (which child a renotification concerns,
    /// a follow-up's outcome, a transfer's team): slot 0.
    let keyedStream = EntityGenerators(blockSize: 1)

    let queue: EventQueue<ModelEvent>
    let children = Table<Child>()
    let freeChildren = Table<Int32>()
    var childrenCreated = 0
    /// Per child number: its slot while it has an open case, else −1 (for renotifications).
    let openSlotOfNumber = Table<Int32>()
    let openCases = Table<Int32>()
    let positions = Table<Position>()
    let teams: Table<TeamState>
    var tickets: UInt32 = 0
    var assignSeq: UInt64 = 0
    var coursesInUse = 0
    var boundaryEvents = 0
    var arrivalsSoFar = 0
    /// The last two (time, trend) pairs of the arrival thinning (`trend(at:)`, Notifications.swift).
    var trendCache = (t0: Double.nan, v0: 0.0, t1: Double.nan, v1: 0.0)

    /// Per (child slot × follow-up): the ticket of its pending due event (0 = none) and the
    /// number of dues so far (keys the draw).
    let followTicket = Table<UInt32>()
    let followDues = Table<Int32>()

    // Levels integrated over time.
    var lastT: Double
    var waiting = 0
    var unassigned = 0
    var loadSum = 0
    var active = 0
    var overCap = 0
    var vacant = 0
    var placed = 0
    /// Children per ladder step, as exact integers in Doubles (so that `advance` multiplies without converting).
    let stepCount: Table<Double>

    // Periods.
    let slots: RawSlots
    let raw: Table<Double>
    var month: Int                  // month in progress (negative during warm-up)
    var nextBoundary: Double

    /// x^exponent per integer caseload, per effect (see `effect(_:_:)`), grown on demand.
    var powerTables: [[Double]] = [[], [], [], []]

    var integrals = Integrals()
    let stepDays: Table<Double>

    /// Reused buffer for the modified outcome weights.
    var outcomeScratch: [Double]
    /// Routing by age band and share (`pickTeam`), rebuilt on a dated share change.
    var routing = RoutingTable()

    /// Receives one record per stay when `sagstal run --episodes` asks for them (nil: none kept).
    public var episodes: EpisodeSink?

    /// Receives every event when `sagstal trace` asks for them (nil: none built).
    public var tracer: TraceSink?

    /// Receives every operation on the event queue when set before `run()` (nil: none recorded);
    /// Benchmarks/EventQueue replays them on other queue designs.
    public var queueLog: EventQueueLog? {
        get { queue.log }
        set { queue.log = newValue }
    }

    /// Test hook: called after every event and boundary (nil in normal runs).
    var afterEachEvent: ((Replication) -> Void)?

    /// Makes replication `index` of a compiled scenario, seeding its streams by `SeedHash`.
    public init(_ compiled: CompiledScenario, index: Int) throws {
        cs = compiled
        self.index = index
        arrivals = try RandomStream(generator: compiled.generator, scenarioSeed: compiled.seed, replication: index, purpose: .arrivals)
        renotifications = try RandomStream(generator: compiled.generator, scenarioSeed: compiled.seed, replication: index,
                                           purpose: .renotifications)
        queue = EventQueue(start: compiled.runStart, horizon: compiled.horizon)
        teams = Table(compiled.teamCap.indices.map {
            TeamState(cap: compiled.teamCap[$0], share: compiled.teamShares[$0], method: compiled.teamMethod[$0],
                      lastT: compiled.runStart)
        })
        stepCount = Table(repeating: 0, count: compiled.stepCount)
        outcomeScratch = compiled.outcomeWeights
        stepDays = Table(repeating: 0, count: compiled.stepCount)
        slots = RawSlots(steps: compiled.stepCount, teams: compiled.teamCap.count, followUps: compiled.followUpCount)
        raw = Table(repeating: 0, count: compiled.months * slots.count)
        lastT = compiled.runStart
        month = Int((compiled.runStart / ModelTime.daysPerMonth).rounded(.down))
        nextBoundary = Double(month + 1) * ModelTime.daysPerMonth
        rebuildRouting()
    }

    /// Events processed: engine events plus month boundaries (snapshot and turnover check).
    public var eventsProcessed: Int { queue.processed + boundaryEvents }

    // MARK: - Running

    /// Events allowed within ``stallWindow`` of one instant before the replication is stopped
    /// as stalled: far more than a real instant holds (a staff change hires every position
    /// of a team at once, the initial stock starts together), far fewer than a loop makes in
    /// a few seconds.
    var stallLimit: Int { stallLimitForTests ?? 10_000_000 + 20 * (children.count + positions.count) }

    /// Test hook: a smaller ``stallLimit``.
    var stallLimitForTests: Int?

    /// Simulated time (days) within which events count as "at one instant": about 0.1 s.
    static let stallWindow = 1e-6

    /// Runs the replication from the run start to the horizon and returns its metrics.
    ///
    /// - Throws: ``ReplicationError/stalled(replication:day:at:events:)`` when simulated time
    ///   stops advancing (validation refuses the scenarios known to do that; this guard
    ///   stops any other before it runs for ever).
    public func run() throws -> ReplicationRecord {
        setUpInitialState()
        var stallStart = -Double.infinity
        var stallEvents = 0
        while true {
            let tNext = queue.nextTime ?? cs.horizon
            if nextBoundary <= tNext && nextBoundary < cs.horizon {
                processBoundary()
                afterEachEvent?(self)
                continue
            }
            guard let (t, event) = queue.popNext() else { break }
            if t - stallStart < Self.stallWindow {
                stallEvents += 1
                if stallEvents > stallLimit {
                    throw ReplicationError.stalled(replication: index, day: t,
                                                   at: ModelTime.isoDateTime(t, start: cs.scenario.simulation.start),
                                                   events: stallEvents)
                }
            } else {
                stallStart = t
                stallEvents = 0
            }
            advance(to: t)
            handle(event, at: t)
            afterEachEvent?(self)
        }
        advance(to: cs.horizon)
        flushIntegrals()
        snapshot()
        if episodes != nil { censorStays() }
        return record()
    }

    func handle(_ event: ModelEvent, at t: Double) {
        switch event {
        case .arrival:
            arrival(at: t)
        case .assessmentEnd(let c, let ticket):
            if children[Int(c)].stateTicket == ticket { assessmentEnd(Int(c), at: t) }
        case .sojournEnd(let c, let ticket):
            if children[Int(c)].stateTicket == ticket { sojournEnd(Int(c), at: t) }
        case .courseEnd(let c, let ticket):
            if children[Int(c)].stateTicket == ticket { courseEnd(Int(c), at: t) }
        case .ageOut(let c, let ticket):
            if children[Int(c)].stateTicket == ticket { ageOut(Int(c), at: t) }
        case .followUpDue(let c, let ticket, let f):
            if followTicket[Int(c) * cs.followUpCount + Int(f)] == ticket { followUpDue(Int(c), Int(f), at: t) }
        case .transfer(let c, let ticket):
            if children[Int(c)].transferTicket == ticket { transfer(Int(c), at: t) }
        case .recruitmentDone(let p, let ticket):
            if positions[Int(p)].ticket == ticket && !positions[Int(p)].removed && !positions[Int(p)].filled {
                vacant -= 1
                hire(Int(p), at: t)
            }
        case .rampUpEnd(let p, let ticket):
            if positions[Int(p)].ticket == ticket && positions[Int(p)].filled { rampUpEnd(Int(p), at: t) }
        case .staffChange(let i):
            staffChange(cs.changes[Int(i)], at: t)
        }
    }

    func nextTicket() -> UInt32 {
        tickets &+= 1
        if tickets == 0 { tickets = 1 }   // 0 means "none"
        return tickets
    }

    // MARK: - Time accounting

    /// Integrates the levels from the last update to `t` into the month in progress.
    func advance(to t: Double) {
        let dt = t - lastT
        if dt > 0 && month >= 0 && month < cs.months {
            // Accumulated in plain stored fields (no array write, no copy-on-write check per
            // event) and moved into `raw` when the month ends; the additions happen in the
            // same order, so the sums are the same to the last bit.
            integrals.periodDays += dt
            integrals.waitingDays += Double(waiting) * dt
            integrals.unassignedDays += Double(unassigned) * dt
            integrals.loadDays += Double(loadSum) * dt
            integrals.activeDays += Double(active) * dt
            integrals.overCapDays += Double(overCap) * dt
            integrals.vacantDays += Double(vacant) * dt
            integrals.placedDays += Double(placed) * dt
            stepDays.withUnsafeMutableBufferPointer { days in
                stepCount.withUnsafeBufferPointer { counts in
                    // Every step, empty ones too: adding 0 · dt = +0 leaves a sum as it is, and a
                    // loop without a condition is vectorised.
                    for k in 0..<counts.count { days[k] += counts[k] * dt }
                }
            }
        }
        lastT = t
    }

    /// Brings team `i`'s integrals up to the current time. Called before any of its levels
    /// changes, so a team costs nothing on events that do not touch it (98 teams in the
    /// national scenario); the month boundaries bring every team up to date.
    @inline(__always)
    func touch(team i: Int) {
        let dt = lastT - teams[i].lastT
        guard dt > 0 else { return }
        teams[i].loadDays += Double(teams[i].load) * dt
        teams[i].activeDays += Double(teams[i].active) * dt
        teams[i].overCapDays += Double(teams[i].overCap) * dt
        teams[i].waitingDays += Double(teams[i].waiting) * dt
        teams[i].lastT = lastT
    }

    /// The time integrals of the month in progress (see `advance(to:)`).
    struct Integrals {
        var periodDays = 0.0, waitingDays = 0.0, unassignedDays = 0.0, loadDays = 0.0, activeDays = 0.0
        var overCapDays = 0.0, vacantDays = 0.0, placedDays = 0.0
    }

    /// Moves the month's integrals into `raw` and clears them.
    func flushIntegrals() {
        for i in teams.indices { touch(team: i) }
        if month >= 0 && month < cs.months {
            let b = month * slots.count
            raw[b + RawSlots.periodDays] += integrals.periodDays
            raw[b + RawSlots.waitingDays] += integrals.waitingDays
            raw[b + RawSlots.unassignedDays] += integrals.unassignedDays
            raw[b + RawSlots.loadDays] += integrals.loadDays
            raw[b + RawSlots.activeDays] += integrals.activeDays
            raw[b + RawSlots.overCapDays] += integrals.overCapDays
            raw[b + RawSlots.vacantDays] += integrals.vacantDays
            raw[b + RawSlots.placedDays] += integrals.placedDays
            for k in stepDays.indices { raw[b + slots.stepDays(k)] += stepDays[k] }
            for i in teams.indices {
                raw[b + slots.teamLoadDays(i)] += teams[i].loadDays
                raw[b + slots.teamActiveDays(i)] += teams[i].activeDays
                raw[b + slots.teamOverCapDays(i)] += teams[i].overCapDays
                raw[b + slots.teamWaitingDays(i)] += teams[i].waitingDays
            }
        }
        integrals = Integrals()
        for k in stepDays.indices { stepDays[k] = 0 }
        for i in teams.indices {
            teams[i].loadDays = 0
            teams[i].activeDays = 0
            teams[i].overCapDays = 0
            teams[i].waitingDays = 0
        }
    }

    /// Adds `amount` to a raw slot of the month in progress (nothing before t = 0).
    @inline(__always)
    func count(_ slot: Int, _ amount: Double = 1) {
        if month >= 0 && month < cs.months { raw[month * slots.count + slot] += amount }
    }

    func snapshot() {
        guard month >= 0 && month < cs.months else { return }
        let b = month * slots.count
        raw[b + RawSlots.openCasesEnd] = Double(openCases.count)
        raw[b + RawSlots.placedEnd] = Double(placed)
        for k in 0..<stepCount.count { raw[b + slots.stepEnd(k)] = stepCount[k] }
    }

    /// A month boundary: the snapshot of the month that ends, then the turnover check (§5.6).
    func processBoundary() {
        let t = nextBoundary
        advance(to: t)
        flushIntegrals()
        snapshot()
        month += 1
        nextBoundary = Double(month + 1) * ModelTime.daysPerMonth
        boundaryEvents += 1
        turnoverCheck(at: t)
    }

    // MARK: - Level bookkeeping (global and per team)

    @inline(__always) func addActive(_ team: Int, _ d: Int) {
        touch(team: team)
        teams[team].active += d
        active += d
    }

    @inline(__always) func addOverCap(_ team: Int, _ d: Int) {
        touch(team: team)
        teams[team].overCap += d
        overCap += d
    }

    @inline(__always) func addWaiting(_ team: Int, _ d: Int) {
        touch(team: team)
        teams[team].waiting += d
        waiting += d
    }

    // MARK: - Initial state (§5.9)

    func setUpInitialState() {
        let t = cs.runStart
        for (i, n) in cs.teamPositions.enumerated() {
            for _ in 0..<n {
                let p = newPosition(team: i, filled: true)
                addActive(i, 1)
                tracePosition(.caseworker, p)
            }
        }
        var stock: [Int] = []
        for (step, n) in cs.initial {
            for _ in 0..<n {
                let c = newChild()
                let age = childStreams.sample(cs.age, c)
                children[c].ageRefT = t
                children[c].ageRef = age
                let team = pickTeam(age: age, u: childStreams.uniform(c))
                children[c].notifiedAt = t
                children[c].team = Int32(team)
                children[c].everAssigned = true
                openCase(c)
                children[c].phase = .ladder
                children[c].step = Int32(step)
                children[c].stayStart = t
                stepCount[step] += 1
                if cs.placement[step] { placed += 1 }
                children[c].ageOutAt = t + (cs.ageOut - age) * ModelTime.daysPerYear
                unassigned += 1
                // The stock's first caseworker is part of its `stock` row, not a `reassigned` one.
                let sink = tracer
                tracer = nil
                handToLeastLoaded(c, at: t)
                tracer = sink
                traceChild(.stock, c, to: .step(step), detail: "age=\(Self.traceNumber(age))")
                stock.append(c)
            }
        }
        for c in stock {
            startSojourn(c, at: t)
            startFollowUps(c, enteringStep: Int(children[c].step), from: nil, at: t)
            scheduleTransfer(c)
        }
        for i in cs.changes.indices { queue.schedule(at: cs.changes[i].time, .staffChange(Int32(i))) }
        for o in cs.oneOff {
            let m = Int((o.time / ModelTime.daysPerMonth).rounded(.down))
            if m >= 0 && m < cs.months { raw[m * slots.count + RawSlots.costOneOff] += o.amount }
        }
        scheduleNextArrival(after: t)
    }

    // MARK: - Bookkeeping

    /// A new child: the next child number, a free slot, and the slot's generator seeded from the
    /// child number (MODEL.md §3).
    func newChild() -> Int {
        let c: Int
        if let f = freeChildren.popLast() {
            c = Int(f)
        } else {
            c = children.count
            children.append(Child())
            for _ in 0..<cs.followUpCount {   // element by element: no temporary array
                followTicket.append(0)
                followDues.append(0)
            }
        }
        children[c] = Child()
        let n = childrenCreated
        childrenCreated += 1
        children[c].number = Int32(truncatingIfNeeded: n)
        openSlotOfNumber.append(-1)
        childStreams.seed(c, key: SeedHash.childKey(scenarioSeed: cs.seed, replication: index, purpose: .child, child: n))
        for f in 0..<cs.followUpCount {
            followTicket[c * cs.followUpCount + f] = 0
            followDues[c * cs.followUpCount + f] = 0
        }
        return c
    }

    /// A new position of `team` (appended), with its generator seeded from (team id, creation number).
    @discardableResult
    func newPosition(team: Int, filled: Bool) -> Int {
        let p = positions.count
        positions.append(Position(team: Int32(team), filled: filled))
        positions[p].slot = Int32(teams[team].positions.count)
        teams[team].positions.append(Int32(p))
        if teams[team].loadTree.slots < teams[team].positions.count {
            rebuildLoadTree(team: team)
        } else {
            refreshLoadKey(p)
        }
        let k = teams[team].created
        teams[team].created += 1
        positionStreams.seed(p, key: SeedHash.positionKey(scenarioSeed: cs.seed, replication: index,
                                                          teamID: cs.teamIDs[team], position: k))
        return p
    }

    /// Re-keys the keyed generator and returns its first U[0,1) draw.
    @inline(__always)
    func keyedUniform(_ key: UInt64) -> Double {
        keyedStream.seed(0, key: key)
        return keyedStream.uniform(0)
    }

    func freeChild(_ c: Int) {
        children[c].phase = .free
        children[c].stateTicket = nextTicket()
        children[c].transferTicket = 0
        children[c].worker = -1
        freeChildren.append(Int32(c))
    }

    func openCase(_ c: Int) {
        children[c].openIndex = Int32(openCases.count)
        openCases.append(Int32(c))
        openSlotOfNumber[Int(children[c].number)] = Int32(c)
    }

    func closeOpenCase(_ c: Int) {
        let i = Int(children[c].openIndex)
        let last = openCases.removeLast()
        if i < openCases.count {
            openCases[i] = last
            children[Int(last)].openIndex = Int32(i)
        }
        children[c].openIndex = -1
        openSlotOfNumber[Int(children[c].number)] = -1
        cancelFollowUps(c)
    }

    /// Schedules the end of the child's current state (assessment, sojourn, course) — or, if the
    /// child reaches the age-out age first, its age-out instead. Each child so has at most one
    /// pending state event, and a case that ends early leaves no age-out behind in the queue.
    func scheduleState(_ c: Int, at time: Double, _ make: (Int32, UInt32) -> ModelEvent) {
        let ticket = nextTicket()
        children[c].stateTicket = ticket
        if children[c].ageOutAt <= time {
            queue.schedule(at: max(children[c].ageOutAt, queue.now), .ageOut(child: Int32(c), ticket: ticket))
        } else {
            queue.schedule(at: time, make(Int32(c), ticket))
        }
    }

    /// A child waiting for its first caseworker has no state event: its age-out is its only one.
    func scheduleWaitingAgeOut(_ c: Int) {
        let ticket = nextTicket()
        children[c].stateTicket = ticket
        queue.schedule(at: max(children[c].ageOutAt, queue.now), .ageOut(child: Int32(c), ticket: ticket))
    }

    // MARK: - Invariants

    /// Recounts every level from the entities and returns the mismatches (empty when the
    /// incremental bookkeeping is right). For tests; O(children + positions).
    func invariantViolations() -> [String] {
        var problems: [String] = []
        func check(_ name: String, _ kept: Int, _ counted: Int) {
            if kept != counted { problems.append("\(name): kept \(kept), recounted \(counted)") }
        }
        var load = [Int32](repeating: 0, count: positions.count)
        var waitingN = 0, unassignedN = 0, placedN = 0, open = 0, courses = 0
        var teamWaiting = [Int](repeating: 0, count: teams.count)
        var teamLoad = [Int](repeating: 0, count: teams.count)
        var steps = [Int](repeating: 0, count: stepCount.count)
        for ch in children where ch.phase != .free {
            if ch.phase == .course { courses += 1; continue }
            open += 1
            if ch.openIndex < 0 { problems.append("child with a case has no open-case index") }
            if openSlotOfNumber[Int(ch.number)] < 0 { problems.append("child \(ch.number) with a case is not in the open-number map") }
            if ch.team < 0 {
                problems.append("child \(ch.number) with a case has no team")
            } else if cs.teamBand[Int(ch.team)].max < cs.ageOut && ch.age(at: lastT) > cs.teamBand[Int(ch.team)].max + 1e-6 {
                problems.append("child \(ch.number) is past the upper bound of its team's age band")
            }
            if ch.worker >= 0 {
                load[Int(ch.worker)] += 1
                if !positions[Int(ch.worker)].filled { problems.append("child assigned to an empty position") }
                if positions[Int(ch.worker)].team != ch.team { problems.append("child \(ch.number) assigned outside its team") }
                teamLoad[Int(ch.team)] += 1
            } else {
                if ch.everAssigned { unassignedN += 1 }
                if ch.queueTicket == 0 { problems.append("child without caseworker in no queue") }
            }
            if !ch.everAssigned {
                waitingN += 1
                teamWaiting[Int(ch.team)] += 1
            }
            if ch.phase == .ladder {
                steps[Int(ch.step)] += 1
                if cs.placement[Int(ch.step)] { placedN += 1 }
            }
        }
        check("open cases", openCases.count, open)
        for (i, c) in openCases.enumerated() where children[Int(c)].openIndex != Int32(i) {
            problems.append("open-case index of child \(c) is \(children[Int(c)].openIndex), expected \(i)")
        }
        check("open-number map", openSlotOfNumber.filter { $0 >= 0 }.count, open)
        check("waiting", waiting, waitingN)
        check("unassigned", unassigned, unassignedN)
        check("placed", placed, placedN)
        check("courses", coursesInUse, courses)
        for k in steps.indices { check("step \(k)", Int(stepCount[k]), steps[k]) }
        var activeN = 0, over = 0, vacantN = 0, sum = 0
        var teamOver = [Int](repeating: 0, count: teams.count)
        for (p, pos) in positions.enumerated() where !pos.removed {
            check("load of position \(p)", Int(pos.load), Int(load[p]))
            check("caseload list of position \(p)", pos.caseload.count, Int(load[p]))
            for (i, c) in pos.caseload.enumerated() where children[Int(c)].worker != Int32(p) || children[Int(c)].caseloadSlot != Int32(i) {
                problems.append("caseload list of position \(p) holds child \(c) at \(i), which is not assigned there")
            }
            if pos.filled {
                activeN += 1
                sum += Int(pos.load)
                if isOver(p) { over += 1; teamOver[Int(pos.team)] += 1 }
            } else {
                vacantN += 1
            }
        }
        check("active", active, activeN)
        check("load sum", loadSum, sum)
        check("over cap", overCap, over)
        check("vacant", vacant, vacantN)
        for (i, team) in teams.enumerated() {
            let wl = team.waitlist.filter { children[Int($0.child)].queueTicket == $0.ticket }.count
            let pl = team.pool.filter { children[Int($0.child)].queueTicket == $0.ticket }.count
            check("team \(i) waitlist", team.waitlistCount, wl)
            check("team \(i) pool", team.poolCount, pl)
            check("team \(i) active", team.active, team.positions.filter { positions[Int($0)].filled }.count)
            check("team \(i) load", team.load, teamLoad[i])
            check("team \(i) over cap", team.overCap, teamOver[i])
            check("team \(i) waiting", team.waiting, teamWaiting[i])
            if team.poolCount > 0 && team.active > 0 { problems.append("team \(i) has unassigned children and an active caseworker") }
            if cs.teamWaitlist[i] && team.waitlistCount > 0 {
                for pid in team.positions where positions[Int(pid)].filled && hasRoom(Int(pid)) {
                    problems.append("team \(i): caseworker \(pid) has room while children wait")
                }
            }
        }
        return problems
    }

    // MARK: - Results

    func record() -> ReplicationRecord {
        let deriver = MetricDeriver(slots: slots, stepCostPerDay: cs.stepCostPerDay,
                                    staffCostPerDay: cs.staffCostPerDay, outreachCostPerDay: cs.outreachCostPerDay,
                                    childrenPerFamily: cs.scenario.caseload.casesCountedAs == .families
                                        ? cs.scenario.caseload.childrenPerFamily : nil)
        let raw = Array(self.raw)
        var monthly: [Double] = []
        monthly.reserveCapacity(cs.months * cs.layout.periodMetrics.count)
        for m in 0..<cs.months { monthly += deriver.metrics(deriver.combine(raw, months: m..<(m + 1))) }
        var yearly: [Double] = []
        let totalIndex = cs.layout.periodMetrics.firstIndex(of: "cost.total")!
        var npv = 0.0
        for y in 0..<cs.years {
            let v = deriver.metrics(deriver.combine(raw, months: (12 * y)..<min(12 * y + 12, cs.months)))
            npv += v[totalIndex] / pow(1 + cs.discountRate, Double(y))
            yearly += v
        }
        let totals = deriver.metrics(deriver.combine(raw, months: 0..<cs.months)) + [npv]
        return ReplicationRecord(replication: index, totals: totals, yearly: yearly, monthly: monthly,
                                 eventsProcessed: eventsProcessed)
    }
}
