import SagstalRandom
import SagstalScenario

/// Routing to teams and assignment to caseworkers (MODEL.md §5.3).
extension Replication {
    /// A team for a child aged `age`, by `teams[].share` normalised over the teams whose age band
    /// contains that age, from the child's uniform `u`.
    ///
    /// An age at or above `ageOut` is routed as the age just below it (MODEL.md §5.3). When every
    /// team covering the age has share 0 (possible only after a dated share change), the
    /// covering teams are equally likely (docs/model.md). The choice is the one
    /// `RandomStream.pick` makes over the covering teams' shares in team order; it is looked up
    /// in `routing` (cumulative shares per age segment, rebuilt when a share changes), so a
    /// routing costs O(log teams), not a scan of every team (98 in the national scenario).
    func pickTeam(age: Double, u: Double) -> Int {
        if teams.count == 1 { return 0 }
        let a = age < cs.ageOut ? age : cs.ageOut.nextDown
        var seg = 0
        while seg + 1 < routing.lower.count && routing.lower[seg + 1] <= a { seg += 1 }
        let ids = routing.teams[seg], cum = routing.cumulative[seg]
        guard let total = cum.last else { return 0 }   // validation makes this unreachable
        let x = u * total
        var lo = 0, hi = cum.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if x < cum[mid] { hi = mid } else { lo = mid + 1 }
        }
        return Int(ids[lo])
    }

    /// Cumulative routing shares per age segment (see `pickTeam`).
    struct RoutingTable {
        /// Lower bounds of the age segments, ascending; segment k is [lower[k], lower[k+1]).
        var lower: [Double] = []
        /// Per segment: the covering teams with a positive weight, in team order.
        var teams: [[Int32]] = []
        /// Per segment: running sums of those teams' weights (shares, or 1 each when all covering
        /// teams have share 0), added in team order as `RandomStream.pick` adds them.
        var cumulative: [[Double]] = []
    }

    /// Rebuilds `routing` from the teams' current shares and the bands.
    func rebuildRouting() {
        var points = Set<Double>([0])
        for band in cs.teamBand {
            if band.min > 0 && band.min < cs.ageOut { points.insert(band.min) }
            if band.max > 0 && band.max < cs.ageOut { points.insert(band.max) }
        }
        var table = RoutingTable()
        table.lower = points.sorted()
        for lower in table.lower {
            let covering = teams.indices.filter { cs.teamBand[$0].contains(lower) }
            let anyShare = covering.contains { teams[$0].share > 0 }
            var ids: [Int32] = [], cum: [Double] = []
            var acc = 0.0
            for i in covering {
                let w = anyShare ? teams[i].share : 1
                guard w > 0 else { continue }
                acc += w
                ids.append(Int32(i))
                cum.append(acc)
            }
            table.teams.append(ids)
            table.cumulative.append(cum)
        }
        routing = table
    }

    /// Offers a child that has never had a caseworker to its team (a new case, or a waiting
    /// child that transferred): policy `overflow` assigns to the least-loaded caseworker even
    /// above cap, or pools the child when nobody is active; policy `waitlist` assigns only when
    /// nobody waits and someone has room, otherwise the child joins the back of the waitlist —
    /// also when nobody is active (MODEL.md §5.3, version 2).
    func assignNewCase(_ c: Int, at t: Double) {
        let team = Int(children[c].team)
        if !cs.teamWaitlist[team] {
            handToLeastLoaded(c, at: t)
        } else if teams[team].waitlistCount == 0, let w = leastLoaded(team: team, needRoom: true) {
            assign(c, to: w, at: t)
        } else {
            enqueue(c, pool: false)
        }
    }

    /// Gives child `c` (with a case, no caseworker) to the least-loaded active caseworker of its
    /// team whatever the cap and the policy, or puts it in the team's pool when nobody is active:
    /// a new case in an overflow team, a leaver's child, the initial stock, a transferred child.
    func handToLeastLoaded(_ c: Int, at t: Double) {
        if let w = leastLoaded(team: Int(children[c].team), needRoom: false) {
            assign(c, to: w, at: t)
        } else {
            enqueue(c, pool: true)
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

    /// Changes a caseworker's load and keeps the over-cap counts in step.
    func changeLoad(_ p: Int, by d: Int32) {
        let team = Int(positions[p].team)
        touch(team: team)
        let was = isOver(p)
        positions[p].load += d
        refreshLoadKey(p)
        loadSum += Int(d)
        teams[team].load += Int(d)
        let now = isOver(p)
        if was != now { addOverCap(team, now ? 1 : -1) }
    }

    /// The active caseworker of `team` with the smallest caseload (ties: first in the team's list
    /// of positions, i.e. lowest position index), optionally only among those with room;
    /// caseworkers marked as leaving are skipped.
    ///
    /// Read from the team's `LoadTree` in O(1): the caseworkers not ramping up share one cap and
    /// those ramping up another (`effectiveCap`), so within each group the least loaded has room
    /// if anyone in the group has; the answer is the better of the two groups' least loaded.
    /// Debug builds check every answer against a scan of the team.
    func leastLoaded(team: Int, needRoom: Bool) -> Int? {
        let tree = teams[team].loadTree
        let cap = teams[team].cap
        var best = UInt64.max
        let plain = tree.least(ramping: false)
        if plain != .max && (!needRoom || Double(LoadTree.load(of: plain)) < cap) { best = plain }
        let ramping = tree.least(ramping: true)
        if ramping != .max && (!needRoom || Double(LoadTree.load(of: ramping)) < cap * cs.rampUpCapShare) {
            best = Swift.min(best, ramping)
        }
        let found = best == .max ? nil : Int(teams[team].positions[LoadTree.slot(of: best)])
        assert(found == leastLoadedByScan(team: team, needRoom: needRoom), "LoadTree disagrees with a scan of team \(team)")
        return found
    }

    /// `leastLoaded(team:needRoom:)` by scanning the team (the rule as MODEL.md §5.3 states it).
    func leastLoadedByScan(team: Int, needRoom: Bool) -> Int? {
        var best = -1
        var bestLoad = Int32.max
        for pid in teams[team].positions {
            let p = Int(pid)
            let load = positions[p].load
            guard load < bestLoad, positions[p].filled, !positions[p].leaving else { continue }
            if needRoom && !hasRoom(p) { continue }
            best = p
            bestLoad = load
        }
        return best >= 0 ? best : nil
    }

    /// Puts position `p`'s current state into its team's `LoadTree` (after any change of its
    /// load, filled, leaving or ramping).
    @inline(__always)
    func refreshLoadKey(_ p: Int) {
        let slot = Int(positions[p].slot)
        guard slot >= 0 else { return }   // removed from its team
        assert(teams[Int(positions[p].team)].positions[slot] == Int32(p))
        let eligible = positions[p].filled && !positions[p].leaving
        let key = eligible ? LoadTree.key(load: positions[p].load, slot: slot) : .max
        teams[Int(positions[p].team)].loadTree.set(slot, ramping: positions[p].ramping, key: key)
    }

    /// Renumbers the slots of `team`'s positions and rebuilds its `LoadTree` (after positions are
    /// added beyond its size or removed).
    func rebuildLoadTree(team: Int) {
        teams[team].loadTree.reset(slots: teams[team].positions.count)
        for (k, pid) in teams[team].positions.enumerated() {
            positions[Int(pid)].slot = Int32(k)
            refreshLoadKey(Int(pid))
        }
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
        if !children[c].everAssigned {
            children[c].everAssigned = true
            addWaiting(Int(children[c].team), -1)
            let wait = t - children[c].notifiedAt
            count(RawSlots.assignments)
            count(RawSlots.waitDaysSum, wait)
            if wait > 0 { count(RawSlots.waitedCount) }
            traceChild(.assigned, c, detail: "waited=\(Self.traceNumber(wait))")
            endStay(c, at: t, .assigned)
            startAssessment(c, at: t)
        } else {
            unassigned -= 1
            traceChild(.reassigned, c)
        }
    }

    func enqueue(_ c: Int, pool: Bool) {
        if children[c].phase == .waiting { scheduleWaitingAgeOut(c) }
        let ticket = nextTicket()
        children[c].queueTicket = ticket
        children[c].inPool = pool
        let team = Int(children[c].team)
        if pool {
            teams[team].pool.append(QueueEntry(child: Int32(c), ticket: ticket))
            teams[team].poolCount += 1
        } else {
            teams[team].waitlist.append(QueueEntry(child: Int32(c), ticket: ticket))
            teams[team].waitlistCount += 1
        }
        traceChild(.queued, c, to: .word(pool ? "pool" : "waitlist"))
    }

    /// Takes child `c` out of its team's waitlist or pool (its entry becomes stale).
    func leaveQueue(_ c: Int) {
        guard children[c].queueTicket != 0 else { return }
        let team = Int(children[c].team)
        if children[c].inPool { teams[team].poolCount -= 1 } else { teams[team].waitlistCount -= 1 }
        children[c].queueTicket = 0
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
}

/// Two tournament trees over the slots of a team's positions (MODEL.md §5.3, "least-loaded"):
/// one for the caseworkers not ramping up, one for those ramping up. A leaf holds
/// (load << 32) | slot for an active caseworker not leaving, `UInt64.max` otherwise; an inner
/// node holds the smaller of its children, so a root is the least load with the lowest slot
/// among the ties. `set` is O(log n) (it stops where a node does not change), `least` O(1).
/// Not `Sendable`: part of one replication.
final class LoadTree {
    private(set) var slots = 0
    private var leaves = 0
    private var nodes: UnsafeMutablePointer<UInt64>

    init() { nodes = .allocate(capacity: 2) ; nodes.initialize(repeating: .max, count: 2) }
    deinit { nodes.deallocate() }

    static func key(load: Int32, slot: Int) -> UInt64 { UInt64(UInt32(bitPattern: load)) << 32 | UInt64(slot) }
    static func load(of key: UInt64) -> Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: key >> 32)) }
    static func slot(of key: UInt64) -> Int { Int(key & 0xFFFF_FFFF) }

    /// Room for at least `n` slots (the next power of two), every one empty (`UInt64.max`); the
    /// caller sets the occupied ones.
    func reset(slots n: Int) {
        nodes.deallocate()
        leaves = 1
        while leaves < n { leaves *= 2 }
        slots = leaves
        // Tree 0 (not ramping) in nodes[0 ..< 2·leaves], tree 1 (ramping) after it; node 1 is a root.
        nodes = .allocate(capacity: 4 * leaves)
        nodes.initialize(repeating: .max, count: 4 * leaves)
    }

    /// The smallest key of one group (`UInt64.max` when the group has no active caseworker).
    @inline(__always) func least(ramping: Bool) -> UInt64 { leaves == 0 ? .max : nodes[(ramping ? 2 * leaves : 0) + 1] }

    /// Slot `slot` holds `key` in the group `ramping` and nothing in the other.
    @inline(__always) func set(_ slot: Int, ramping: Bool, key: UInt64) {
        assert(slot >= 0 && slot < slots)
        update(ramping ? 2 * leaves : 0, slot, key)
        update(ramping ? 0 : 2 * leaves, slot, .max)
    }

    @inline(__always) private func update(_ base: Int, _ slot: Int, _ key: UInt64) {
        let tree = nodes + base
        var i = leaves &+ slot
        if tree[i] == key { return }
        tree[i] = key
        while i > 1 {
            let m = Swift.min(tree[i & ~1], tree[i | 1])
            i >>= 1
            if tree[i] == m { return }
            tree[i] = m
        }
    }
}
