import Foundation
import SagstalRandom
import SagstalScenario

/// Caseworkers: turnover, recruitment, ramp-up and dated changes (MODEL.md §5.6).
///
/// Every draw of a position (its turnover checks, its recruitment delays) comes from the
/// position's own generator, so position k of a team leaves and is refilled alike in two
/// scenarios as long as its loads agree.
extension Replication {
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
                if positionStreams.uniform(p) < prob { leavers.append(p) }
            }
        }
        for p in leavers {
            positions[p].leaving = true
            refreshLoadKey(p)
        }
        for p in leavers {
            count(RawSlots.leavers)
            vacate(p, at: t, as: .leaver)
            positions[p].leaving = false
            refreshLoadKey(p)
            vacant += 1
            scheduleRecruitment(p, at: t)
        }
    }

    /// A caseworker leaves position `p`: its children, in order of assignment, go one by one
    /// to the least-loaded active caseworker of the team not leaving now; with nobody left,
    /// they join the team's pool of unassigned children.
    /// `kind`: `leaver` (turnover) or `positionRemoved` (a dated change), for the trace.
    func vacate(_ p: Int, at t: Double, as kind: TraceKind) {
        let team = Int(positions[p].team)
        let mine = positions[p].caseload.map { Int($0) }.sorted { children[$0].assignSeq < children[$1].assignSeq }
        for c in mine {
            detach(c)
            unassigned += 1
        }
        if isOver(p) { addOverCap(team, -1) }
        positions[p].filled = false
        positions[p].ramping = false
        refreshLoadKey(p)
        positions[p].ticket = nextTicket()
        addActive(team, -1)
        tracePosition(kind, p, detail: kind == .leaver ? "children=\(mine.count)" : "filled children=\(mine.count)")
        for c in mine { handToLeastLoaded(c, at: t) }
    }

    func scheduleRecruitment(_ p: Int, at t: Double) {
        let done = t + positionStreams.sample(cs.recruitment, p)
        let ticket = nextTicket()
        positions[p].ticket = ticket
        if done < cs.horizon {
            positions[p].recruitDoneAt = done
            queue.schedule(at: done, .recruitmentDone(position: Int32(p), ticket: ticket))
        } else {
            positions[p].recruitDoneAt = .infinity
        }
        tracePosition(.recruitment, p, detail: done < self.cs.horizon
                      ? "hireAt=\(ModelTime.isoDateTime(done, start: self.cs.scenario.simulation.start))" : "hireAfterHorizon")
    }

    /// A new caseworker fills position `p`: ramp-up starts; the hire takes every unassigned
    /// child in the team's pool (regardless of cap), then serves the waitlist up to its cap.
    func hire(_ p: Int, at t: Double) {
        let team = Int(positions[p].team)
        count(RawSlots.hires)
        count(RawSlots.costRecruitment, cs.recruitmentCost)
        positions[p].filled = true
        positions[p].load = 0
        refreshLoadKey(p)
        positions[p].ticket = nextTicket()
        addActive(team, 1)
        tracePosition(.hire, p)
        if cs.rampUpDays > 0 {
            positions[p].ramping = true
            refreshLoadKey(p)
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
        refreshLoadKey(p)
        let now = isOver(p)
        if was != now { addOverCap(Int(positions[p].team), now ? 1 : -1) }
        tracePosition(.rampUpEnd, p)
        serveWaitlist(to: p, at: t)
    }

    /// A dated change: method and share, then cap, then positions (MODEL.md §5.6).
    func staffChange(_ change: CompiledScenario.CompiledChange, at t: Double) {
        let team = change.team
        if let sink = tracer { sink.add(TraceEvent(time: t, kind: .staffChange, team: team, detail: Self.traceText(change))) }
        if let m = change.method { teams[team].method = m.applied(to: teams[team].method) }
        if let share = change.share {
            teams[team].share = share
            rebuildRouting()
        }
        if let cap = change.cap {
            let old = teams[team].cap
            var over = 0
            for pid in teams[team].positions where isOver(Int(pid)) { over -= 1 }
            teams[team].cap = cap
            for pid in teams[team].positions where isOver(Int(pid)) { over += 1 }
            if over != 0 { addOverCap(team, over) }
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
                let p = newPosition(team: team, filled: false)
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
                refreshLoadKey(p)
                positions[p].slot = -1
                vacant -= 1
                removed.insert(v.element)
                tracePosition(.positionRemoved, p, detail: "vacant")
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
                for p in chosen {
                    positions[p].leaving = true
                    refreshLoadKey(p)
                }
                for p in chosen {
                    vacate(p, at: t, as: .positionRemoved)
                    positions[p].leaving = false
                    positions[p].removed = true
                    refreshLoadKey(p)
                    positions[p].slot = -1
                    removed.insert(Int32(p))
                }
            }
            teams[team].positions.removeAll { removed.contains($0) }
            rebuildLoadTree(team: team)
        }
    }
}
