import SagstalRandom
import SagstalScenario

/// Notifications, screening and outreach (MODEL.md §§5.1, 5.2, 5.7).
extension Replication {
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
            let bound = cs.growth == 0 ? seasonal : seasonal * max(trend(at: t), trend(at: monthEnd))
            guard bound > 0 else { t = monthEnd; continue }
            let candidate = t + arrivals.exponential(mean: 1 / bound)
            guard candidate < monthEnd else { t = monthEnd; continue }
            t = candidate
            if cs.growth == 0 || arrivals.uniform() * bound < cs.rate(at: t, trend: trend(at: t)) {
                queue.scheduleSide(at: t, .arrival)
                return
            }
        }
    }

    /// `cs.trend(at: t)`, remembering the last two times asked: a rejected candidate's λ(t) is
    /// the next candidate's bound at the same t, an accepted one's the next search's start, and
    /// every candidate of a month asks for the month's end. The same `exp` of the same argument,
    /// so the same bits; one `exp` per candidate instead of three.
    @inline(__always)
    func trend(at t: Double) -> Double {
        if t == trendCache.t0 { return trendCache.v0 }
        if t == trendCache.t1 { return trendCache.v1 }
        let v = cs.trend(at: t)
        // Keep the month's end (the larger time of a search) in slot 1, everything else in slot 0.
        if t > trendCache.t1 || trendCache.t1.isNaN {
            trendCache.t1 = t
            trendCache.v1 = v
        } else {
            trendCache.t0 = t
            trendCache.v0 = v
        }
        return v
    }

    /// Candidates tried before a renotification falls back to an index into the open cases.
    static let renotificationCandidates = 64

    /// A notification (MODEL.md §5.1).
    ///
    /// Every arrival takes two uniforms from the renotification stream (renotification yes/no,
    /// escalation yes/no), used or not, so two scenarios run with the same seed agree on which
    /// notifications are renotifications. Which child a renotification concerns is drawn so that
    /// it is the *same child* in both scenarios whenever that child has an open case in both:
    /// candidates ⌊u · N⌋ (N = children created so far, the same in both) are drawn from a
    /// generator keyed by the arrival number until one has an open case — uniform over the open
    /// cases, since every candidate is equally likely. After 64 misses (very few open cases
    /// among many children) the 65th draw picks uniformly by index among the open cases.
    /// The child is drawn only when the escalation draw says the renotification escalates,
    /// since otherwise which child it concerns changes nothing.
    /// A new child takes the next child number; its own generator gives its age and its outreach,
    /// screening and routing draws, in that order, whatever happens next.
    func arrival(at t: Double) {
        scheduleNextArrival(after: t)
        count(RawSlots.notifications)
        let arrivalNumber = arrivalsSoFar
        arrivalsSoFar += 1
        let uRenotification = renotifications.uniform()
        let uEscalation = renotifications.uniform()
        if !openCases.isEmpty && uRenotification < cs.concernsOpenCase {
            count(RawSlots.renotifications)
            // Which child matters only when the renotification would escalate it; otherwise
            // nothing happens whichever child it concerns, so none is drawn.
            guard uEscalation < cs.escalateOnRenotification else {
                tracer?.add(TraceEvent(time: t, kind: .renotification, detail: "noEscalation"))
                return
            }
            let c = renotifiedChild(arrival: arrivalNumber)
            traceChild(.renotification, c, from: self.tracePlace(c),
                       detail: self.children[c].phase == .ladder ? "escalates" : "noEscalation")
            if children[c].phase == .ladder {
                count(RawSlots.renotificationEscalations)
                forcedUp(c, at: t)
            }
            return
        }
        let c = newChild()
        let age = childStreams.sample(cs.age, c)
        let uOutreach = childStreams.uniform(c)
        children[c].screeningDraw = childStreams.uniform(c)
        children[c].teamDraw = childStreams.uniform(c)
        children[c].notifiedAt = t
        children[c].ageRefT = t
        children[c].ageRef = age
        children[c].ageOutAt = t + (cs.ageOut - age) * ModelTime.daysPerYear
        traceChild(.notification, c, detail: "age=\(Self.traceNumber(age))")
        if cs.outreachOn && coursesInUse < cs.outreachSlots && uOutreach < cs.outreachReach {
            startCourse(c, at: t)
        } else {
            screen(c, at: t)
        }
    }

    /// The child (slot) a renotification concerns; see `arrival(at:)`.
    func renotifiedChild(arrival: Int) -> Int {
        keyedStream.seed(0, key: SeedHash.childKey(scenarioSeed: cs.seed, replication: index, purpose: .renotifiedChild,
                                                   child: arrival))
        let n = Double(childrenCreated)
        for _ in 0..<Replication.renotificationCandidates {
            let k = min(Int(keyedStream.uniform(0) * n), childrenCreated - 1)
            let slot = openSlotOfNumber[k]
            if slot >= 0 { return Int(slot) }
        }
        let i = min(Int(keyedStream.uniform(0) * Double(openCases.count)), openCases.count - 1)
        return Int(openCases[i])
    }

    /// Screening (§5.2) with the child's own draw from its creation.
    func screen(_ c: Int, at t: Double) {
        if children[c].screeningDraw < cs.opensCase {
            count(RawSlots.casesOpened)
            openCase(c)
            let team = pickTeam(age: children[c].age(at: t), u: children[c].teamDraw)
            count(slots.teamCasesOpened(team))
            children[c].team = Int32(team)
            children[c].phase = .waiting
            children[c].stayStart = t
            addWaiting(team, 1)
            traceChild(.caseOpened, c, to: .team(team))
            scheduleTransfer(c)
            assignNewCase(c, at: t)
        } else {
            count(RawSlots.screenedOut)
            traceChild(.screenedOut, c)
            freeChild(c)
        }
    }

    func startCourse(_ c: Int, at t: Double) {
        count(RawSlots.outreachCourses)
        count(RawSlots.costOutreachCourses, cs.outreachCostPerCourse)
        coursesInUse += 1
        children[c].phase = .course
        children[c].stayStart = t
        traceChild(.outreachStart, c)
        let d = childStreams.sample(cs.outreachDuration, c)
        children[c].decisionDraw = childStreams.uniform(c)
        scheduleState(c, at: t + d) { .courseEnd(child: $0, ticket: $1) }
    }

    func courseEnd(_ c: Int, at t: Double) {
        coursesInUse -= 1
        if children[c].decisionDraw < cs.outreachResolves {
            count(RawSlots.outreachResolved)
            traceChild(.outreachEnd, c, to: .word("resolved"))
            endStay(c, at: t, .resolved)
            freeChild(c)
        } else {
            traceChild(.outreachEnd, c, to: .word("notified"))
            endStay(c, at: t, .notified)
            children[c].notifiedAt = t
            screen(c, at: t)
        }
    }
}
