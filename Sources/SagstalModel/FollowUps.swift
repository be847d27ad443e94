import Foundation
import SagstalRandom

/// Statutory follow-ups such as supervision visits (MODEL.md §5.10).
///
/// A child on one of a follow-up's listed steps has one pending due event per follow-up:
/// `everyDays` after it entered the set of listed steps, then every `everyDays`. Moving between
/// listed steps keeps the schedule; leaving the set (another step, a closed case, ageing out)
/// cancels it; re-entering starts a new one. Due events have priority 1, so at one instant the
/// child's own event (a sojourn's end, a move) comes first and may cancel the due.
///
/// Each due's outcome is one uniform from a generator keyed by (child, follow-up, due number),
/// not from the child's path generator: the number of visits depends on the durations, and a
/// different count must not shift the child's later path draws (docs/model.md).
extension Replication {
    /// Starts, keeps or cancels the schedules of the follow-ups as child `c` enters step `k`
    /// from step `j` (nil: from assessment, or the initial stock).
    func startFollowUps(_ c: Int, enteringStep k: Int, from j: Int?, at t: Double) {
        for f in 0..<cs.followUpCount {
            let now = cs.followUpListed[f][k]
            let before = j.map { cs.followUpListed[f][$0] } ?? false
            if now && !before {
                scheduleFollowUp(c, f, at: t + cs.followUpEvery[f])
            } else if !now && before {
                followTicket[c * cs.followUpCount + f] = 0
            }
        }
    }

    /// Cancels every follow-up schedule of child `c` (its case ends).
    func cancelFollowUps(_ c: Int) {
        for f in 0..<cs.followUpCount { followTicket[c * cs.followUpCount + f] = 0 }
    }

    func scheduleFollowUp(_ c: Int, _ f: Int, at due: Double) {
        let ticket = nextTicket()
        followTicket[c * cs.followUpCount + f] = ticket
        queue.schedule(at: due, priority: EventPriority.followUp,
                       .followUpDue(child: Int32(c), ticket: ticket, followUp: Int16(f)))
    }

    /// A follow-up falls due: done on time with probability min(1, x^(−elasticity)), x = the
    /// caseworker's caseload (child included) / reference; missed for a child without caseworker.
    func followUpDue(_ c: Int, _ f: Int, at t: Double) {
        let i = c * cs.followUpCount + f
        let dueNumber = UInt64(UInt32(bitPattern: followDues[i]))
        followDues[i] += 1
        let key = SeedHash.childKey(scenarioSeed: cs.seed, replication: index, purpose: .childFollowUp,
                                    child: Int(children[c].number)) ^ (UInt64(f) << 32 | dueNumber)
        let u = keyedUniform(key)
        let w = children[c].worker
        let onTime: Double
        if w < 0 {
            onTime = 0
        } else {
            let exponent = cs.followUpExponent[f]
            onTime = exponent == 0 ? 1 : min(1, pow(Double(positions[Int(w)].load) / cs.reference, exponent))
        }
        count(slots.followUpDue(f))
        if u >= onTime { count(slots.followUpMissed(f)) }
        traceChild(.followUp, c, detail: "\(self.cs.scenario.followUps[f].id) \(u >= onTime ? "missed" : "done")")
        scheduleFollowUp(c, f, at: t + cs.followUpEvery[f])
    }
}
