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
    case recruitmentDone(position: Int32, ticket: UInt32)
    case rampUpEnd(position: Int32, ticket: UInt32)
    case staffChange(Int32)
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
    var notifiedAt = 0.0
    var openIndex: Int32 = -1       // index in `openCases`, −1 when no open case
    var stateTicket: UInt32 = 0     // valid pending assessment/sojourn/course event
    var ageOutAt = Double.infinity  // when the child reaches children.ageOut
    var queueTicket: UInt32 = 0     // valid waitlist/pool entry (0 = in none)
    var assignSeq: UInt64 = 0       // order of assignment to the current caseworker
    var caseloadSlot: Int32 = -1    // index in the caseworker's `caseload` list
    var screeningDraw = 0.0         // U[0,1) drawn at arrival for screening
    var teamDraw = 0.0              // U[0,1) drawn at arrival for the team
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
    /// The children assigned to this caseworker (unordered; `Child.assignSeq` gives the order).
    var caseload: [Int32] = []
}

struct QueueEntry {
    var child: Int32
    var ticket: UInt32
}

struct TeamState {
    var positions: [Int32] = []     // position ids in index order
    var cap: Double                 // children
    var active = 0
    var waitlist = Deque<QueueEntry>()
    var waitlistCount = 0
    /// Children of the team with a case and no caseworker because nobody was active
    /// (new children and a leaver's children), in the order they became unassigned.
    var pool = Deque<QueueEntry>()
    var poolCount = 0
}

/// One replication of the model: its own generators, state and accumulators.
///
/// Not thread-safe; the runner makes one per replication. The rules follow MODEL.md §§2–6;
/// docs/model.md explains them and the decisions taken where MODEL.md is silent.
public final class Replication {
    let cs: CompiledScenario
    public let index: Int

    // Streams (MODEL.md §3).
    let arrivals: RandomStream
    let routing: RandomStream
    let durations: RandomStream
    let decisions: RandomStream
    let staff: RandomStream
    let ages: RandomStream

    var queue: EventQueue<ModelEvent>
    var children: [Child] = []
    var freeChildren: [Int32] = []
    var openCases: [Int32] = []
    var positions: [Position] = []
    var teams: [TeamState]
    var tickets: UInt32 = 0
    var assignSeq: UInt64 = 0
    var coursesInUse = 0
    var boundaryEvents = 0

    // Levels integrated over time.
    var lastT: Double
    var waiting = 0
    var unassigned = 0
    var loadSum = 0
    var active = 0
    var overCap = 0
    var vacant = 0
    var placed = 0
    var stepCount: [Int]

    // Periods.
    let slots: RawSlots
    var raw: [Double]
    var month: Int                  // month in progress (negative during warm-up)
    var nextBoundary: Double

    /// x^exponent per integer caseload, per effect (see `effect(_:_:)`), grown on demand.
    var powerTables: [[Double]] = [[], [], [], []]

    var integrals = Integrals()
    var stepDays: [Double]

    /// Reused buffer for the modified assessment outcome weights.
    var outcomeScratch: [Double]

    /// Test hook: called after every event and boundary (nil in normal runs).
    var afterEachEvent: ((Replication) -> Void)?

    /// Makes replication `index` of a compiled scenario, seeding its streams by `SeedHash`.
    public init(_ compiled: CompiledScenario, index: Int) throws {
        cs = compiled
        self.index = index
        func stream(_ p: StreamPurpose) throws -> RandomStream {
            try RandomStream(generator: compiled.generator, scenarioSeed: compiled.seed, replication: index, purpose: p)
        }
        arrivals = try stream(.arrivals)
        routing = try stream(.routing)
        durations = try stream(.durations)
        decisions = try stream(.decisions)
        staff = try stream(.staff)
        ages = try stream(.children)
        queue = EventQueue(start: compiled.runStart, horizon: compiled.horizon)
        teams = compiled.teamCap.map { TeamState(cap: $0) }
        stepCount = Array(repeating: 0, count: compiled.stepCount)
        outcomeScratch = compiled.outcomeWeights
        stepDays = Array(repeating: 0, count: compiled.stepCount)
        slots = RawSlots(steps: compiled.stepCount)
        raw = Array(repeating: 0, count: compiled.months * slots.count)
        lastT = compiled.runStart
        month = Int((compiled.runStart / ModelTime.daysPerMonth).rounded(.down))
        nextBoundary = Double(month + 1) * ModelTime.daysPerMonth
    }

    /// Events processed: engine events plus month boundaries (snapshot and turnover check).
    public var eventsProcessed: Int { queue.processed + boundaryEvents }

    // MARK: - Running

    /// Runs the replication from the run start to the horizon and returns its metrics.
    public func run() -> ReplicationRecord {
        setUpInitialState()
        while true {
            let tNext = queue.nextTime ?? cs.horizon
            if nextBoundary <= tNext && nextBoundary < cs.horizon {
                processBoundary()
                afterEachEvent?(self)
                continue
            }
            guard let (t, event) = queue.popNext() else { break }
            advance(to: t)
            handle(event, at: t)
            afterEachEvent?(self)
        }
        advance(to: cs.horizon)
        flushIntegrals()
        snapshot()
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
            if cs.outreachOn { integrals.outreachDays += dt }
            stepDays.withUnsafeMutableBufferPointer { days in
                stepCount.withUnsafeBufferPointer { counts in
                    for k in 0..<counts.count where counts[k] > 0 { days[k] += Double(counts[k]) * dt }
                }
            }
        }
        lastT = t
    }

    /// The time integrals of the month in progress (see `advance(to:)`).
    struct Integrals {
        var periodDays = 0.0, waitingDays = 0.0, unassignedDays = 0.0, loadDays = 0.0, activeDays = 0.0
        var overCapDays = 0.0, vacantDays = 0.0, placedDays = 0.0, outreachDays = 0.0
    }

    /// Moves the month's integrals into `raw` and clears them.
    func flushIntegrals() {
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
            raw[b + RawSlots.outreachDays] += integrals.outreachDays
            for k in stepDays.indices { raw[b + slots.stepDays(k)] += stepDays[k] }
        }
        integrals = Integrals()
        for k in stepDays.indices { stepDays[k] = 0 }
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
        for k in 0..<stepCount.count { raw[b + slots.stepEnd(k)] = Double(stepCount[k]) }
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

    // MARK: - Initial state (§5.9)

    func setUpInitialState() {
        let t = cs.runStart
        for (i, n) in cs.teamPositions.enumerated() {
            for _ in 0..<n {
                let p = Int32(positions.count)
                positions.append(Position(team: Int32(i), filled: true))
                teams[i].positions.append(p)
                teams[i].active += 1
                active += 1
            }
        }
        var stock: [Int] = []
        for (step, n) in cs.initial {
            for _ in 0..<n {
                let c = newChildSlot()
                let age = ages.sample(cs.age)
                let team = pickTeam()
                children[c].notifiedAt = t
                children[c].team = Int32(team)
                children[c].everAssigned = true
                openCase(c)
                children[c].phase = .ladder
                children[c].step = Int32(step)
                stepCount[step] += 1
                if cs.placement[step] { placed += 1 }
                children[c].ageOutAt = t + (cs.ageOut - age) * ModelTime.daysPerYear
                unassigned += 1
                if let w = leastLoaded(team: team, needRoom: false) {
                    assign(c, to: w, at: t)
                } else {
                    enqueue(c, pool: true)
                }
                stock.append(c)
            }
        }
        for c in stock { startSojourn(c, at: t) }
        for i in cs.changes.indices { queue.schedule(at: cs.changes[i].time, .staffChange(Int32(i))) }
        for o in cs.oneOff {
            let m = Int((o.time / ModelTime.daysPerMonth).rounded(.down))
            if m >= 0 && m < cs.months { raw[m * slots.count + RawSlots.costOneOff] += o.amount }
        }
        scheduleNextArrival(after: t)
    }

    // MARK: - Notifications (§5.1, §5.2, §5.7)

    /// Next arrival of the NHPP (MODEL.md §5.1) by thinning, month by month.
    ///
    /// Within a model month the seasonal factor is constant and the growth trend is monotone, so
    /// λ is bounded by its value at one end of the month. Candidates come at that bound and are
    /// accepted with probability λ(t)/bound (always, without growth); a candidate beyond the
    /// month's end is discarded and the search restarts at the boundary with the next month's
    /// bound (exponential gaps are memoryless). This is exact and wastes few candidates.
    func scheduleNextArrival(after t0: Double) {
        guard cs.baseRate > 0 else { return }
        var t = t0
        let monthLength = ModelTime.daysPerMonth
        while t < cs.horizon {
            let m = (t / monthLength).rounded(.down)
            let monthEnd = min((m + 1) * monthLength, cs.horizon)
            let seasonal = cs.baseRate * cs.season[ModelTime.monthOfYear(t, startMonth: cs.startMonth)]
            let bound = cs.growth == 0 ? seasonal : seasonal * max(cs.trend(at: t), cs.trend(at: monthEnd))
            guard bound > 0 else { t = monthEnd; continue }
            let candidate = t + arrivals.exponential(mean: 1 / bound)
            guard candidate < monthEnd else { t = monthEnd; continue }
            t = candidate
            if cs.growth == 0 || arrivals.uniform() * bound < cs.rate(at: t) {
                queue.schedule(at: t, .arrival)
                return
            }
        }
    }

    /// The routing draws of one arrival. Every arrival takes the same six uniforms from the
    /// routing stream and one age from the children stream, used or not, so two scenarios run
    /// with the same seed stay in step arrival by arrival (common random numbers): the n-th
    /// notification is screened, routed and aged alike in both.
    struct ArrivalDraws {
        var renotification: Double
        var whichChild: Double
        var escalation: Double
        var outreach: Double
        var screening: Double
        var team: Double
    }

    func arrival(at t: Double) {
        scheduleNextArrival(after: t)
        count(RawSlots.notifications)
        let u = ArrivalDraws(renotification: routing.uniform(), whichChild: routing.uniform(), escalation: routing.uniform(),
                             outreach: routing.uniform(), screening: routing.uniform(), team: routing.uniform())
        let age = ages.sample(cs.age)
        if !openCases.isEmpty && u.renotification < cs.concernsOpenCase {
            count(RawSlots.renotifications)
            let c = Int(openCases[min(Int(u.whichChild * Double(openCases.count)), openCases.count - 1)])
            if children[c].phase == .ladder && u.escalation < cs.escalateOnRenotification {
                count(RawSlots.renotificationEscalations)
                forcedUp(c, at: t)
            }
            return
        }
        let c = newChildSlot()
        children[c].notifiedAt = t
        children[c].screeningDraw = u.screening
        children[c].teamDraw = u.team
        children[c].ageOutAt = t + (cs.ageOut - age) * ModelTime.daysPerYear
        if cs.outreachOn && coursesInUse < cs.outreachSlots && u.outreach < cs.outreachReach {
            startCourse(c, at: t)
        } else {
            screen(c, at: t)
        }
    }

    /// Screening (§5.2) with the child's own draw from its arrival.
    func screen(_ c: Int, at t: Double) {
        if children[c].screeningDraw < cs.opensCase {
            count(RawSlots.casesOpened)
            openCase(c)
            children[c].phase = .waiting
            waiting += 1
            unassigned += 1
            assignNewCase(c, at: t)
        } else {
            count(RawSlots.screenedOut)
            freeChild(c)
        }
    }

    func startCourse(_ c: Int, at t: Double) {
        count(RawSlots.outreachCourses)
        count(RawSlots.costOutreachCourses, cs.outreachCostPerCourse)
        coursesInUse += 1
        children[c].phase = .course
        let d = durations.sample(cs.outreachDuration)
        scheduleState(c, at: t + d) { .courseEnd(child: $0, ticket: $1) }
    }

    func courseEnd(_ c: Int, at t: Double) {
        coursesInUse -= 1
        if decisions.bernoulli(cs.outreachResolves) {
            count(RawSlots.outreachResolved)
            freeChild(c)
        } else {
            children[c].notifiedAt = t
            screen(c, at: t)
        }
    }

    // MARK: - Assignment (§5.3)

    /// A team by `teams[].share`, from one routing draw.
    func pickTeam() -> Int {
        cs.teamShares.count == 1 ? 0 : RandomStream.pick(weights: cs.teamShares, total: cs.teamShareTotal, u: routing.uniform())
    }

    func assignNewCase(_ c: Int, at t: Double) {
        let team = cs.teamShares.count == 1 ? 0
            : RandomStream.pick(weights: cs.teamShares, total: cs.teamShareTotal, u: children[c].teamDraw)
        children[c].team = Int32(team)
        if teams[team].active == 0 {
            enqueue(c, pool: true)
        } else if !cs.teamWaitlist[team] {
            assign(c, to: leastLoaded(team: team, needRoom: false)!, at: t)
        } else if teams[team].waitlistCount == 0, let w = leastLoaded(team: team, needRoom: true) {
            assign(c, to: w, at: t)
        } else {
            enqueue(c, pool: false)
        }
    }

    @inline(__always)
    func effectiveCap(_ p: Int) -> Double {
        let cap = teams[Int(positions[p].team)].cap
        return positions[p].ramping ? cap * cs.rampUpCapShare : cap
    }

    @inline(__always)
    func isOver(_ p: Int) -> Bool { positions[p].filled && Double(positions[p].load) > effectiveCap(p) }

    @inline(__always)
    func hasRoom(_ p: Int) -> Bool { Double(positions[p].load) < effectiveCap(p) }

    /// Changes a caseworker's load and keeps the over-cap count in step.
    func changeLoad(_ p: Int, by d: Int32) {
        let was = isOver(p)
        positions[p].load += d
        loadSum += Int(d)
        let now = isOver(p)
        if was != now { overCap += now ? 1 : -1 }
    }

    /// The active caseworker of `team` with the smallest caseload (ties: lowest position index),
    /// optionally only among those with room; caseworkers marked as leaving are skipped.
    func leastLoaded(team: Int, needRoom: Bool) -> Int? {
        var best = -1
        var bestLoad = Int32.max
        // Fields are read one by one: copying a whole Position would retain its caseload list.
        teams[team].positions.withUnsafeBufferPointer { ids in
            for pid in ids {
                let p = Int(pid)
                let load = positions[p].load
                guard load < bestLoad, positions[p].filled, !positions[p].leaving else { continue }
                if needRoom && !hasRoom(p) { continue }
                best = p
                bestLoad = load
            }
        }
        return best >= 0 ? best : nil
    }

    /// Gives child `c` (with a case and no caseworker) to caseworker `p`. A first assignment
    /// records the wait and starts the assessment.
    func assign(_ c: Int, to p: Int, at t: Double) {
        children[c].worker = Int32(p)
        children[c].caseloadSlot = Int32(positions[p].caseload.count)
        positions[p].caseload.append(Int32(c))
        assignSeq &+= 1
        children[c].assignSeq = assignSeq
        changeLoad(p, by: 1)
        unassigned -= 1
        if !children[c].everAssigned {
            children[c].everAssigned = true
            waiting -= 1
            let wait = t - children[c].notifiedAt
            count(RawSlots.assignments)
            count(RawSlots.waitDaysSum, wait)
            if wait > 0 { count(RawSlots.waitedCount) }
            children[c].phase = .assessment
            let d = durations.sample(cs.assessmentDuration) * loadFactor(c)
            scheduleState(c, at: t + d) { .assessmentEnd(child: $0, ticket: $1) }
        }
    }

    func enqueue(_ c: Int, pool: Bool) {
        if children[c].phase == .waiting { scheduleWaitingAgeOut(c) }
        let ticket = nextTicket()
        children[c].queueTicket = ticket
        let team = Int(children[c].team)
        if pool {
            teams[team].pool.append(QueueEntry(child: Int32(c), ticket: ticket))
            teams[team].poolCount += 1
        } else {
            teams[team].waitlist.append(QueueEntry(child: Int32(c), ticket: ticket))
            teams[team].waitlistCount += 1
        }
    }

    /// Removes and returns the first valid child of a team's waitlist or pool.
    func dequeue(team: Int, pool: Bool) -> Int? {
        while true {
            let entry = pool ? teams[team].pool.popFirst() : teams[team].waitlist.popFirst()
            guard let e = entry else { return nil }
            if children[Int(e.child)].queueTicket == e.ticket {
                children[Int(e.child)].queueTicket = 0
                if pool { teams[team].poolCount -= 1 } else { teams[team].waitlistCount -= 1 }
                return Int(e.child)
            }
        }
    }

    /// Serves the team's waitlist to caseworker `p`, head first, while it has room.
    func serveWaitlist(to p: Int, at t: Double) {
        let team = Int(positions[p].team)
        guard cs.teamWaitlist[team] else { return }
        while teams[team].waitlistCount > 0 && hasRoom(p) {
            guard let c = dequeue(team: team, pool: false) else { break }
            assign(c, to: p, at: t)
        }
    }

    // MARK: - Caseload effects (§5.8)

    // x = caseload of the child's caseworker (child included) / reference; for a child
    // without caseworker, the team's current cap / reference.

    /// The caseload effects of §5.8, by exponent.
    enum Effect: Int {
        case escalate = 0     // x^escalate
        case deescalate = 1   // x^−deescalate
        case close = 2        // x^−close
        case duration = 3     // x^duration
    }

    /// x^exponent for one of the four effects. For a child with a caseworker the caseload is an
    /// integer, so the powers are tabulated per caseload (pow is the costliest call on the hot
    /// path otherwise); for a child without one, x = cap/reference is computed directly.
    @inline(__always)
    func effect(_ c: Int, _ kind: Effect) -> Double {
        let exponent = cs.effectExponents[kind.rawValue]
        if exponent == 0 { return 1 }
        let w = children[c].worker
        guard w >= 0 else { return pow(teams[Int(children[c].team)].cap / cs.reference, exponent) }
        let load = Int(positions[Int(w)].load)
        if load >= powerTables[kind.rawValue].count {
            for l in powerTables[kind.rawValue].count...load {
                powerTables[kind.rawValue].append(pow(Double(l) / cs.reference, exponent))
            }
        }
        return powerTables[kind.rawValue][load]
    }

    /// x^duration · method.duration.
    func loadFactor(_ c: Int) -> Double {
        effect(c, .duration) * cs.teamMethod[Int(children[c].team)].duration
    }

    // MARK: - Assessment (§5.4) and ladder (§5.5)

    func assessmentEnd(_ c: Int, at t: Double) {
        count(RawSlots.assessmentsCompleted)
        count(RawSlots.costAssessments, cs.assessmentCost)
        if t - children[c].notifiedAt > cs.deadlineDays { count(RawSlots.deadlineBreaches) }
        let method = cs.teamMethod[Int(children[c].team)]
        let esc = effect(c, .escalate) * method.escalate
        let close = effect(c, .close) * method.close
        // Modified outcome weights in a reused buffer (no allocation per assessment).
        var total = 0.0
        for i in 0..<outcomeScratch.count {
            var w = cs.outcomeWeights[i]
            if i == 0 { w *= close } else if cs.placement[i - 1] { w *= esc }
            outcomeScratch[i] = w
            total += w
        }
        let outcome = total > 0 ? decisions.pick(weights: outcomeScratch, total: total) : 0
        if outcome == 0 {
            closeCase(c, at: t)
        } else {
            enterStep(c, outcome - 1, from: nil, at: t)
        }
    }

    func enterStep(_ c: Int, _ k: Int, from j: Int?, at t: Double) {
        count(slots.entries(k))
        if cs.placement[k] {
            if let j, cs.placement[j] { count(RawSlots.placementChanges) } else { count(RawSlots.placementsStarted) }
        }
        if let j { leaveStep(j) }
        children[c].phase = .ladder
        children[c].step = Int32(k)
        stepCount[k] += 1
        if cs.placement[k] { placed += 1 }
        startSojourn(c, at: t)
    }

    func leaveStep(_ k: Int) {
        stepCount[k] -= 1
        if cs.placement[k] { placed -= 1 }
    }

    func startSojourn(_ c: Int, at t: Double) {
        let k = Int(children[c].step)
        let d = durations.sample(cs.stepDuration[k]) * loadFactor(c)
        scheduleState(c, at: t + d) { .sojournEnd(child: $0, ticket: $1) }
    }

    func sojournEnd(_ c: Int, at t: Double) {
        let k = Int(children[c].step)
        let method = cs.teamMethod[Int(children[c].team)]
        var up = cs.up[k] * effect(c, .escalate) * method.escalate
        var down = cs.down[k] * effect(c, .deescalate) * method.deescalate
        var exit = cs.exit[k] * effect(c, .close) * method.close
        var stay = cs.stay[k]
        if k == cs.stepCount - 1 { stay += up; up = 0 }
        if k == 0 { exit += down; down = 0 }
        let total = up + down + exit + stay
        guard total > 0 else { return startSojourn(c, at: t) }
        // One U[0,1) draw over [up, down, stay, exit] (as RandomStream.pick, without an array).
        let u = decisions.uniform() * total
        if u < up {
            enterStep(c, k + 1, from: k, at: t)
        } else if u < up + down {
            enterStep(c, k - 1, from: k, at: t)
        } else if u < up + down + stay || exit == 0 {
            startSojourn(c, at: t)
        } else {
            closeCase(c, at: t)
        }
    }

    /// A renotification's forced escalation: the running sojourn ends now with a move up
    /// (at the top step, a new sojourn there).
    func forcedUp(_ c: Int, at t: Double) {
        let k = Int(children[c].step)
        if k == cs.stepCount - 1 {
            startSojourn(c, at: t)
        } else {
            enterStep(c, k + 1, from: k, at: t)
        }
    }

    // MARK: - Case ends and children leaving

    func closeCase(_ c: Int, at t: Double) {
        count(RawSlots.casesClosed)
        if children[c].phase == .ladder { leaveStep(Int(children[c].step)) }
        let w = Int(children[c].worker)
        if w >= 0 {
            detach(c)
            serveWaitlist(to: w, at: t)
        } else {
            unassigned -= 1
            if !children[c].everAssigned { waiting -= 1 }
            if children[c].queueTicket != 0 {
                let team = Int(children[c].team)
                if teams[team].pool.contains(where: { $0.ticket == children[c].queueTicket }) {
                    teams[team].poolCount -= 1
                } else {
                    teams[team].waitlistCount -= 1
                }
                children[c].queueTicket = 0
            }
        }
        closeOpenCase(c)
        freeChild(c)
    }

    func ageOut(_ c: Int, at t: Double) {
        count(RawSlots.agedOut)
        switch children[c].phase {
        case .course:
            coursesInUse -= 1
            freeChild(c)
        case .waiting, .assessment, .ladder:
            closeCase(c, at: t)
        case .free:
            break
        }
    }

    // MARK: - Staff (§5.6)

    func turnoverCheck(at t: Double) {
        guard cs.turnoverPerMonth > 0 else { return }
        var leavers: [Int] = []
        for team in teams.indices {
            for pid in teams[team].positions where positions[Int(pid)].filled {
                let p = Int(pid)
                let cap = effectiveCap(p)
                let load = Double(positions[p].load)
                let prob: Double
                if cap <= 0 {
                    prob = load > 0 ? 1 : 1 - exp(-cs.turnoverPerMonth)
                } else {
                    let pressure = max(1, load / cap)
                    let factor = cs.overloadElasticity == 0 ? 1 : pow(pressure, cs.overloadElasticity)
                    prob = 1 - exp(-cs.turnoverPerMonth * factor)
                }
                if staff.uniform() < prob { leavers.append(p) }
            }
        }
        for p in leavers { positions[p].leaving = true }
        for p in leavers {
            count(RawSlots.leavers)
            vacate(p, at: t)
            positions[p].leaving = false
            vacant += 1
            scheduleRecruitment(p, at: t)
        }
    }

    /// A caseworker leaves position `p`: its children, in order of assignment, go one by one
    /// to the least-loaded active caseworker of the team not leaving now; with nobody left,
    /// they join the team's pool of unassigned children.
    func vacate(_ p: Int, at t: Double) {
        let team = Int(positions[p].team)
        let mine = positions[p].caseload.map { Int($0) }.sorted { children[$0].assignSeq < children[$1].assignSeq }
        for c in mine {
            detach(c)
            unassigned += 1
        }
        if isOver(p) { overCap -= 1 }
        positions[p].filled = false
        positions[p].ramping = false
        positions[p].ticket = nextTicket()
        teams[team].active -= 1
        active -= 1
        for c in mine {
            if let w = leastLoaded(team: team, needRoom: false) {
                assign(c, to: w, at: t)
            } else {
                enqueue(c, pool: true)
            }
        }
    }

    /// Takes child `c` off its caseworker's caseload (the caseworker keeps its other children).
    func detach(_ c: Int) {
        let p = Int(children[c].worker)
        let slot = Int(children[c].caseloadSlot)
        let last = positions[p].caseload.removeLast()
        if slot < positions[p].caseload.count {
            positions[p].caseload[slot] = last
            children[Int(last)].caseloadSlot = Int32(slot)
        }
        children[c].caseloadSlot = -1
        children[c].worker = -1
        changeLoad(p, by: -1)
    }

    func scheduleRecruitment(_ p: Int, at t: Double) {
        let done = t + staff.sample(cs.recruitment)
        let ticket = nextTicket()
        positions[p].ticket = ticket
        if done < cs.horizon {
            positions[p].recruitDoneAt = done
            queue.schedule(at: done, .recruitmentDone(position: Int32(p), ticket: ticket))
        } else {
            positions[p].recruitDoneAt = .infinity
        }
    }

    /// A new caseworker fills position `p`: ramp-up starts; the hire takes every unassigned
    /// child of the team (regardless of cap), then serves the waitlist up to its cap.
    func hire(_ p: Int, at t: Double) {
        let team = Int(positions[p].team)
        count(RawSlots.hires)
        count(RawSlots.costRecruitment, cs.recruitmentCost)
        positions[p].filled = true
        positions[p].load = 0
        positions[p].ticket = nextTicket()
        teams[team].active += 1
        active += 1
        if cs.rampUpDays > 0 {
            positions[p].ramping = true
            let end = t + cs.rampUpDays
            queue.schedule(at: end, .rampUpEnd(position: Int32(p), ticket: positions[p].ticket))
        }
        while teams[team].poolCount > 0, let c = dequeue(team: team, pool: true) {
            assign(c, to: p, at: t)
        }
        serveWaitlist(to: p, at: t)
    }

    func rampUpEnd(_ p: Int, at t: Double) {
        let was = isOver(p)
        positions[p].ramping = false
        let now = isOver(p)
        if was != now { overCap += now ? 1 : -1 }
        serveWaitlist(to: p, at: t)
    }

    func staffChange(_ change: CompiledScenario.CompiledChange, at t: Double) {
        let team = change.team
        if let cap = change.cap {
            let old = teams[team].cap
            for pid in teams[team].positions where isOver(Int(pid)) { overCap -= 1 }
            teams[team].cap = cap
            for pid in teams[team].positions where isOver(Int(pid)) { overCap += 1 }
            if cap > old && cs.teamWaitlist[team] {
                while teams[team].waitlistCount > 0, let w = leastLoaded(team: team, needRoom: true),
                      let c = dequeue(team: team, pool: false) {
                    assign(c, to: w, at: t)
                }
            }
        }
        guard let headcount = change.caseworkers else { return }
        let current = teams[team].positions.count
        let target: Int
        switch headcount {
        case .set(let n): target = max(0, n)
        case .relative(let d): target = max(0, current + d)
        }
        if target > current {
            for _ in current..<target {
                let p = positions.count
                positions.append(Position(team: Int32(team), filled: false))
                teams[team].positions.append(Int32(p))
                if change.immediate {
                    hire(p, at: t)
                } else {
                    vacant += 1
                    scheduleRecruitment(p, at: t)
                }
            }
        } else if target < current {
            var remove = current - target
            // Vacant positions first: the one whose recruitment would finish last first.
            let vacants = teams[team].positions.enumerated()
                .filter { !positions[Int($0.element)].filled }
                .sorted { a, b in
                    let ta = positions[Int(a.element)].recruitDoneAt, tb = positions[Int(b.element)].recruitDoneAt
                    return ta != tb ? ta > tb : a.offset < b.offset
                }
            var removed: Set<Int32> = []
            for v in vacants.prefix(remove) {
                let p = Int(v.element)
                positions[p].removed = true
                positions[p].ticket = nextTicket()
                vacant -= 1
                removed.insert(v.element)
            }
            remove -= removed.count
            // Then the caseworkers with the smallest caseloads (ties: lowest index).
            if remove > 0 {
                let chosen = teams[team].positions.enumerated()
                    .filter { positions[Int($0.element)].filled }
                    .sorted { a, b in
                        let la = positions[Int(a.element)].load, lb = positions[Int(b.element)].load
                        return la != lb ? la < lb : a.offset < b.offset
                    }
                    .prefix(remove).map { Int($0.element) }
                for p in chosen { positions[p].leaving = true }
                for p in chosen {
                    vacate(p, at: t)
                    positions[p].leaving = false
                    positions[p].removed = true
                    removed.insert(Int32(p))
                }
            }
            teams[team].positions.removeAll { removed.contains($0) }
        }
    }

    // MARK: - Bookkeeping

    func newChildSlot() -> Int {
        let c: Int
        if let f = freeChildren.popLast() {
            c = Int(f)
        } else {
            c = children.count
            children.append(Child())
        }
        children[c] = Child()
        return c
    }

    func freeChild(_ c: Int) {
        children[c].phase = .free
        children[c].stateTicket = nextTicket()
        children[c].worker = -1
        freeChildren.append(Int32(c))
    }

    func openCase(_ c: Int) {
        children[c].openIndex = Int32(openCases.count)
        openCases.append(Int32(c))
    }

    func closeOpenCase(_ c: Int) {
        let i = Int(children[c].openIndex)
        let last = openCases.removeLast()
        if i < openCases.count {
            openCases[i] = last
            children[Int(last)].openIndex = Int32(i)
        }
        children[c].openIndex = -1
    }

    /// Schedules the end of the child's current state (assessment, sojourn, course) — or, if the
    /// child reaches the age-out age first, its age-out instead. Each child so has at most one
    /// pending event, and a case that ends early leaves no age-out behind in the queue.
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
        var steps = [Int](repeating: 0, count: stepCount.count)
        for ch in children where ch.phase != .free {
            if ch.phase == .course { courses += 1; continue }
            open += 1
            if ch.openIndex < 0 { problems.append("child with a case has no open-case index") }
            if ch.worker >= 0 {
                load[Int(ch.worker)] += 1
                if !positions[Int(ch.worker)].filled { problems.append("child assigned to an empty position") }
            } else {
                unassignedN += 1
                if ch.queueTicket == 0 { problems.append("unassigned child in no queue") }
            }
            if !ch.everAssigned { waitingN += 1 }
            if ch.phase == .ladder {
                steps[Int(ch.step)] += 1
                if cs.placement[Int(ch.step)] { placedN += 1 }
            }
        }
        check("open cases", openCases.count, open)
        for (i, c) in openCases.enumerated() where children[Int(c)].openIndex != Int32(i) {
            problems.append("open-case index of child \(c) is \(children[Int(c)].openIndex), expected \(i)")
        }
        check("waiting", waiting, waitingN)
        check("unassigned", unassigned, unassignedN)
        check("placed", placed, placedN)
        check("courses", coursesInUse, courses)
        for k in steps.indices { check("step \(k)", stepCount[k], steps[k]) }
        var activeN = 0, over = 0, vacantN = 0, sum = 0
        for (p, pos) in positions.enumerated() where !pos.removed {
            check("load of position \(p)", Int(pos.load), Int(load[p]))
            check("caseload list of position \(p)", pos.caseload.count, Int(load[p]))
            for (i, c) in pos.caseload.enumerated() where children[Int(c)].worker != Int32(p) || children[Int(c)].caseloadSlot != Int32(i) {
                problems.append("caseload list of position \(p) holds child \(c) at \(i), which is not assigned there")
            }
            if pos.filled { activeN += 1; sum += Int(pos.load); if isOver(p) { over += 1 } } else { vacantN += 1 }
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
                                    staffCostPerDay: cs.staffCostPerDay, outreachCostPerDay: cs.outreachCostPerDay)
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
