import Foundation
import SagstalRandom
import SagstalScenario

/// Assessment, the intervention ladder, caseload effects, and case ends (MODEL.md §§5.4, 5.5, 5.8).
///
/// Every state (assessment, sojourn) draws its base duration and the uniform of the decision at
/// its end from the child's own generator when it starts, so a child takes the same draws in the
/// same order in two scenarios until its path really differs — a different caseload scales the
/// same base duration (the load factor) and shifts the same uniform's category boundaries.
extension Replication {
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
        effect(c, .duration) * teams[Int(children[c].team)].method.duration
    }

    // MARK: - Assessment (§5.4)

    func startAssessment(_ c: Int, at t: Double) {
        children[c].phase = .assessment
        children[c].stayStart = t
        let base = childStreams.sample(cs.assessmentDuration, c)
        children[c].decisionDraw = childStreams.uniform(c)
        scheduleState(c, at: t + base * loadFactor(c)) { .assessmentEnd(child: $0, ticket: $1) }
    }

    func assessmentEnd(_ c: Int, at t: Double) {
        count(RawSlots.assessmentsCompleted)
        count(RawSlots.costAssessments, cs.assessmentCost)
        if t - children[c].notifiedAt > cs.deadlineDays { count(RawSlots.deadlineBreaches) }
        let method = teams[Int(children[c].team)].method
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
        let outcome = total > 0 ? RandomStream.pick(weights: outcomeScratch, total: total, u: children[c].decisionDraw) : 0
        traceChild(.assessmentEnd, c, to: outcome == 0 ? .word("close") : .step(outcome - 1),
                   detail: t - self.children[c].notifiedAt > self.cs.deadlineDays ? "late" : "")
        if outcome == 0 {
            endStay(c, at: t, .close)
            closeCase(c, at: t, reason: .close)
        } else {
            endStay(c, at: t, .toStep)
            enterStep(c, outcome - 1, from: nil, at: t)
        }
    }

    // MARK: - The ladder (§5.5)

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
        if cs.followUpCount > 0 { startFollowUps(c, enteringStep: k, from: j, at: t) }
        startSojourn(c, at: t)
    }

    func leaveStep(_ k: Int) {
        stepCount[k] -= 1
        if cs.placement[k] { placed -= 1 }
    }

    func startSojourn(_ c: Int, at t: Double) {
        let k = Int(children[c].step)
        children[c].stayStart = t
        let base = childStreams.sample(cs.stepDuration[k], c)
        children[c].decisionDraw = childStreams.uniform(c)
        scheduleState(c, at: t + base * loadFactor(c)) { .sojournEnd(child: $0, ticket: $1) }
    }

    func sojournEnd(_ c: Int, at t: Double) {
        let k = Int(children[c].step)
        let method = teams[Int(children[c].team)].method
        var up = cs.up[k] * effect(c, .escalate) * method.escalate
        var down = cs.down[k] * effect(c, .deescalate) * method.deescalate
        var exit = cs.exit[k] * effect(c, .close) * method.close
        var stay = cs.stay[k]
        if k == cs.stepCount - 1 { stay += up; up = 0 }
        if k == 0 { exit += down; down = 0 }
        let total = up + down + exit + stay
        guard total > 0 else {
            traceChild(.stay, c, from: .step(k), to: .step(k))
            endStay(c, at: t, .stay)
            return startSojourn(c, at: t)
        }
        // The uniform drawn at the sojourn's start, over [up, down, stay, exit].
        let u = children[c].decisionDraw * total
        if u < up {
            traceChild(.move, c, from: .step(k), to: .step(k + 1), detail: "up")
            endStay(c, at: t, .up)
            enterStep(c, k + 1, from: k, at: t)
        } else if u < up + down {
            traceChild(.move, c, from: .step(k), to: .step(k - 1), detail: "down")
            endStay(c, at: t, .down)
            enterStep(c, k - 1, from: k, at: t)
        } else if u < up + down + stay || exit == 0 {
            traceChild(.stay, c, from: .step(k), to: .step(k))
            endStay(c, at: t, .stay)
            startSojourn(c, at: t)
        } else {
            endStay(c, at: t, .exit)
            closeCase(c, at: t, reason: .exit)
        }
    }

    /// A renotification's forced escalation: the running sojourn ends now with a move up
    /// (at the top step, a new sojourn there).
    func forcedUp(_ c: Int, at t: Double) {
        let k = Int(children[c].step)
        if k == cs.stepCount - 1 {
            traceChild(.stay, c, from: .step(k), to: .step(k), detail: "renotification")
            endStay(c, at: t, .stay)
            startSojourn(c, at: t)
        } else {
            traceChild(.move, c, from: .step(k), to: .step(k + 1), detail: "renotification")
            endStay(c, at: t, .up)
            enterStep(c, k + 1, from: k, at: t)
        }
    }

    // MARK: - Case ends and children leaving

    /// The case of child `c` ends (`reason`: `exit`, `close` or `agedOut`, for the trace).
    func closeCase(_ c: Int, at t: Double, reason: EpisodeEnd) {
        count(RawSlots.casesClosed)
        let place = tracer == nil ? TracePoint.none : tracePlace(c)
        if children[c].phase == .ladder { leaveStep(Int(children[c].step)) }
        let w = Int(children[c].worker)
        if w >= 0 {
            detach(c)
            traceChild(.caseClosed, c, position: w, from: place, detail: reason.rawValue)
            serveWaitlist(to: w, at: t)
        } else {
            if children[c].everAssigned { unassigned -= 1 } else { addWaiting(Int(children[c].team), -1) }
            leaveQueue(c)
            traceChild(.caseClosed, c, from: place, detail: reason.rawValue)
        }
        closeOpenCase(c)
        freeChild(c)
    }

    func ageOut(_ c: Int, at t: Double) {
        count(RawSlots.agedOut)
        traceChild(.agedOut, c, from: self.tracePlace(c))
        switch children[c].phase {
        case .course:
            coursesInUse -= 1
            endStay(c, at: t, .agedOut)
            freeChild(c)
        case .waiting, .assessment, .ladder:
            endStay(c, at: t, .agedOut)
            closeCase(c, at: t, reason: .agedOut)
        case .free:
            break
        }
    }
}
