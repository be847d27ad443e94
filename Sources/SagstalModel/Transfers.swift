import SagstalRandom
import SagstalScenario

/// Transfers between age bands (MODEL.md §5.3, version 2).
///
/// A child with an open case whose team's band ends below `ageOut` has a pending transfer at the
/// moment its age reaches the band's upper bound (priority 2: after its own event and its
/// follow-up at that instant). The new team is drawn by share among the teams whose band contains
/// that age, from a generator keyed by (child, number of transfers so far).
extension Replication {
    /// Schedules the transfer of child `c` at the upper bound of its team's band, if that bound
    /// lies below `ageOut` (otherwise the child ages out in the team).
    func scheduleTransfer(_ c: Int) {
        guard cs.hasTransfers else { return }
        let band = cs.teamBand[Int(children[c].team)]
        guard band.max < cs.ageOut else {
            children[c].transferTicket = 0
            return
        }
        let at = children[c].ageRefT + (band.max - children[c].ageRef) * ModelTime.daysPerYear
        let ticket = nextTicket()
        children[c].transferTicket = ticket
        queue.schedule(at: max(at, queue.now), priority: EventPriority.transfer, .transfer(child: Int32(c), ticket: ticket))
    }

    /// Child `c` reaches its band's upper bound: it moves to a team covering its new age, keeping
    /// its state and running assessment or sojourn (MODEL.md §5.3).
    func transfer(_ c: Int, at t: Double) {
        children[c].transferTicket = 0
        let old = Int(children[c].team)
        let newAge = cs.teamBand[old].max
        let key = SeedHash.childKey(scenarioSeed: cs.seed, replication: index, purpose: .childTransfer,
                                    child: Int(children[c].number)) ^ UInt64(UInt32(bitPattern: children[c].transfersSoFar))
        children[c].transfersSoFar += 1
        let team = pickTeam(age: newAge, u: keyedUniform(key))
        count(RawSlots.transfers)
        endStay(c, at: t, .transfer)
        children[c].stayStart = t
        if !children[c].everAssigned {
            // Waiting for a first caseworker: offered to the new team as a new case.
            leaveQueue(c)
            addWaiting(old, -1)
            children[c].team = Int32(team)
            addWaiting(team, 1)
            traceChild(.transfer, c, from: .team(old), to: .team(team))
            scheduleTransfer(c)
            assignNewCase(c, at: t)
            return
        }
        if children[c].worker >= 0 {
            let w = Int(children[c].worker)
            detach(c)
            unassigned += 1
            children[c].team = Int32(team)
            traceChild(.transfer, c, position: w, from: .team(old), to: .team(team))
            serveWaitlist(to: w, at: t)
        } else {
            leaveQueue(c)
            children[c].team = Int32(team)
            traceChild(.transfer, c, from: .team(old), to: .team(team))
        }
        scheduleTransfer(c)
        handToLeastLoaded(c, at: t)
    }
}
