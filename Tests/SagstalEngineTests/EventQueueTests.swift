import Testing
@testable import SagstalEngine

@Suite struct EventQueueTests {
    @Test func popsInTimeOrder() {
        let q = EventQueue<Int>(start: 0, horizon: 100)
        for (i, t) in [5.0, 1.0, 3.0, 2.0, 4.0].enumerated() { q.schedule(at: t, i) }
        var times: [Double] = []
        while let e = q.popNext() { times.append(e.time) }
        #expect(times == [1, 2, 3, 4, 5])
        #expect(q.processed == 5)
        #expect(q.now == 5)
    }

    @Test func simultaneousEventsAreFirstScheduledFirstRun() {
        // Heap alone does not keep insertion order among equal keys; the sequence number must.
        let q = EventQueue<Int>(start: 0, horizon: 100)
        for i in 0..<1000 { q.schedule(at: Double(i % 3), i) }
        var last: [Double: Int] = [:]
        while let e = q.popNext() {
            if let prev = last[e.time] { #expect(prev < e.payload, "FIFO broken at t=\(e.time): \(prev) before \(e.payload)") }
            last[e.time] = e.payload
        }
    }

    @Test func priorityOrdersSimultaneousEventsThenFIFOWithinAPriority() {
        // (time, priority, sequence): at one instant priority 0 runs first even if scheduled last;
        // within a priority, first scheduled first run; an earlier time beats any priority.
        let q = EventQueue<String>(start: 0, horizon: 100)
        q.schedule(at: 5, priority: 2, "transfer A")
        q.schedule(at: 5, priority: 1, "follow-up A")
        q.schedule(at: 5, priority: 2, "transfer B")
        q.schedule(at: 5, "own event A")
        q.schedule(at: 4.5, priority: 3, "earlier, low priority")
        q.schedule(at: 5, priority: 1, "follow-up B")
        q.schedule(at: 5, "own event B")
        var order: [String] = []
        while let e = q.popNext() { order.append(e.payload) }
        #expect(order == ["earlier, low priority", "own event A", "own event B", "follow-up A", "follow-up B",
                          "transfer A", "transfer B"])
    }

    @Test func nothingAtOrAfterTheHorizonIsScheduled() {
        let q = EventQueue<String>(start: 0, horizon: 10)
        let inside = q.schedule(at: 9.999, "in")
        let atHorizon = q.schedule(at: 10, "at horizon")
        let after = q.schedule(at: 11, "after")
        #expect(inside)
        #expect(!atHorizon)
        #expect(!after)
        #expect(q.count == 1)
        let first = q.popNext()
        let second = q.popNext()
        #expect(first?.payload == "in")
        #expect(second == nil)
    }

    @Test func clockStartsAtStartAndNextTimePeeks() {
        let q = EventQueue<Int>(start: -730.5, horizon: 10)
        #expect(q.now == -730.5)
        #expect(q.nextTime == nil)
        q.schedule(at: -1, 1)
        #expect(q.nextTime == -1)
        _ = q.popNext()
        #expect(q.now == -1)
    }

    @Test func randomisedOrderMatchesSortedReference() {
        // Replayable: a linear congruential sequence of times; the queue must equal a stable sort.
        for seed in 1...5 {
            var x = UInt64(seed)
            let q = EventQueue<Int>(start: 0, horizon: 1e9)
            var reference: [(Double, Int)] = []
            for i in 0..<500 {
                x = x &* 6364136223846793005 &+ 1442695040888963407
                let t = Double(x >> 54)   // many ties
                q.schedule(at: t, i)
                reference.append((t, i))
            }
            reference.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
            var got: [Int] = []
            while let e = q.popNext() { got.append(e.payload) }
            #expect(got == reference.map(\.1), "seed \(seed)")
        }
    }
}

/// A deliberately naive queue: the expected order by a stable sort on (time, priority) of events
/// numbered in scheduling order (−0 and +0 compare equal, as `<` and `==` on Double do).
private struct ReferenceQueue {
    struct Event { var time: Double; var priority: UInt64; var id: Int }
    var pending: [Event] = []

    mutating func add(_ e: Event) { pending.append(e) }

    mutating func pop() -> Event? {
        guard var best = pending.indices.first else { return nil }
        for i in pending.indices.dropFirst() {
            let a = pending[i], b = pending[best]
            if a.time < b.time || (a.time == b.time && (a.priority < b.priority || (a.priority == b.priority && a.id < b.id))) {
                best = i
            }
        }
        return pending.remove(at: best)
    }
}

/// A replayable generator (SplitMix64) for the randomised tests.
private struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

@Suite struct EventQueueOrderTests {
    @Test func fifoAmongManySimultaneousEventsAcrossHeapGrowth() {
        // 5,000 events at 7 instants, interleaved, so the buffer grows (256 → 8,192) while ties are
        // pending; each instant must come out in exactly the order it was scheduled.
        let q = EventQueue<Int>(start: 0, horizon: 100)
        let instants = [3.0, 1.0, 2.0, 1.0, 5.0, 3.0, 4.0]
        var expected: [Double: [Int]] = [:]
        for i in 0..<5000 {
            let t = instants[(i * 5 + i / 7) % instants.count]
            #expect(q.schedule(at: t, i))
            expected[t, default: []].append(i)
        }
        #expect(q.count == 5000)
        var got: [Double: [Int]] = [:]
        var lastTime = -Double.infinity
        while let e = q.popNext() {
            #expect(e.time >= lastTime)
            lastTime = e.time
            got[e.time, default: []].append(e.payload)
        }
        #expect(got == expected)
    }

    @Test func sideEventTiesWithHeapEventsGoBySequenceNumber() {
        // At one instant the side event is ordered by when it was scheduled, as if it were in the heap.
        let q = EventQueue<String>(start: 0, horizon: 100)
        q.schedule(at: 2, "heap 1")
        q.scheduleSide(at: 2, "side")
        q.schedule(at: 2, "heap 2")
        var order: [String] = []
        while let e = q.popNext() { order.append(e.payload) }
        #expect(order == ["heap 1", "side", "heap 2"])

        // Scheduled first, the side event goes first; scheduled last, it goes last.
        let r = EventQueue<String>(start: 0, horizon: 100)
        r.scheduleSide(at: 2, "side first")
        r.schedule(at: 2, "heap")
        #expect(r.popNext()?.payload == "side first")
        #expect(r.popNext()?.payload == "heap")
        r.schedule(at: 3, "heap")
        r.scheduleSide(at: 3, "side last")
        #expect(r.popNext()?.payload == "heap")
        #expect(r.popNext()?.payload == "side last")
        #expect(r.popNext() == nil)
    }

    @Test func sideEventHasPriorityZeroAgainstPrioritisedHeapEvents() {
        // A priority-1/2 heap event scheduled before the side event at the same instant still runs
        // after it; a priority-0 heap event scheduled before it runs before it.
        let q = EventQueue<String>(start: 0, horizon: 100)
        q.schedule(at: 4, priority: 2, "transfer")
        q.schedule(at: 4, priority: 1, "follow-up")
        q.schedule(at: 4, "own")
        q.scheduleSide(at: 4, "arrival")
        q.schedule(at: 4, "own, later")
        var order: [String] = []
        while let e = q.popNext() { order.append(e.payload) }
        #expect(order == ["own", "arrival", "own, later", "follow-up", "transfer"])
    }

    @Test func scheduleSideAtOrAfterTheHorizonLeavesTheSlotEmpty() {
        let q = EventQueue<String>(start: 0, horizon: 10)
        #expect(!q.scheduleSide(at: 10, "at horizon"))
        #expect(q.count == 0)
        #expect(q.nextTime == nil)
        #expect(!q.scheduleSide(at: .infinity, "after"))
        #expect(q.count == 0)
        // The slot is empty: scheduling into it again is allowed (it would trap if it were full).
        #expect(q.scheduleSide(at: 9.5, "inside"))
        #expect(q.count == 1)
        #expect(q.popNext()?.payload == "inside")
        #expect(q.popNext() == nil)
    }

    @Test func nothingAtOrAfterTheHorizonIsEverPopped() {
        var rng = SplitMix(state: 99)
        let horizon = 50.0
        let q = EventQueue<Int>(start: 0, horizon: horizon)
        var accepted = 0
        for i in 0..<3000 {
            let t = q.now + Double(rng.below(2000)) / 20   // up to now + 100: about half beyond the horizon
            let ok = q.schedule(at: t, i)
            #expect(ok == (t < horizon))
            if ok { accepted += 1 }
            if i % 3 == 0, let e = q.popNext() {
                #expect(e.time < horizon)
                accepted -= 1
            }
        }
        #expect(q.count == accepted)
        while let e = q.popNext() { #expect(e.time < horizon) }
        #expect(q.now < horizon)
    }

    @Test func negativeTimesBeforeZero() {
        // The warm-up starts before day 0.
        let q = EventQueue<Int>(start: -1000, horizon: 10)
        let times = [-3.5, 2.0, -999.0, -0.25, 0.0, -1000.0, 1e-300, -1e-300, 5.0]
        for (i, t) in times.enumerated() { q.schedule(at: t, i) }
        var got: [Double] = []
        while let e = q.popNext() { got.append(e.time) }
        #expect(got == times.sorted())
        #expect(q.now == 5)
    }

    @Test func negativeAndPositiveZeroAreOneInstant() {
        // −0 and +0 are the same time: FIFO among them, whatever their sign.
        let q = EventQueue<Int>(start: -1, horizon: 10)
        q.schedule(at: 0.0, 0)
        q.schedule(at: -0.0, 1)
        q.scheduleSide(at: -0.0, 2)
        q.schedule(at: 0.0, 3)
        q.schedule(at: -0.0, 4)
        q.schedule(at: -1e-310, 5)   // a negative subnormal: strictly earlier
        var order: [Int] = []
        while let e = q.popNext() {
            order.append(e.payload)
            #expect(e.payload == 5 || e.time == 0)
        }
        #expect(order == [5, 0, 1, 2, 3, 4])
    }

    @Test func orderedBitsRoundTripAndPreserveOrder() {
        var rng = SplitMix(state: 7)
        var values: [Double] = [0, -0.0, 1, -1, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                                .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNormalMagnitude, -.leastNormalMagnitude]
        for _ in 0..<5000 {
            // Any finite double (random bits), and doubles of everyday size with either sign.
            let bits = rng.next()
            let d = Double(bitPattern: bits)
            if d.isFinite { values.append(d) }
            values.append((Double(rng.next() >> 11) / Double(1 << 53) - 0.5) * 8000)
        }
        for v in values {
            let back = EventQueue<Int>.time(ofOrderedBits: EventQueue<Int>.orderedBits(v))
            // −0 comes back as +0 (the same time); everything else bit for bit.
            #expect(back.bitPattern == (v == 0 ? 0.0 : v).bitPattern, "round trip of \(v)")
        }
        for _ in 0..<20000 {
            let a = values[rng.below(values.count)], b = values[rng.below(values.count)]
            let ka = EventQueue<Int>.orderedBits(a), kb = EventQueue<Int>.orderedBits(b)
            #expect((ka < kb) == (a < b), "order of \(a) and \(b)")
            #expect((ka == kb) == (a == b), "equality of \(a) and \(b)")
        }
    }

    @Test func randomMixOfScheduleSideAndPopMatchesANaiveReference() {
        // Few distinct times (many ties), all four priorities, the side slot used like the model's
        // arrivals (refilled only when its event came out), pops interleaved; compared event by
        // event with the naive reference.
        for seed in 1...20 {
            var rng = SplitMix(state: UInt64(seed))
            let q = EventQueue<Int>(start: -5, horizon: 60)
            var ref = ReferenceQueue()
            var id = 0
            var sideId: Int?
            for _ in 0..<1500 {
                let r = rng.below(10)
                if r < 4 {
                    // Integer and half-integer times from now on: many equal times; some beyond the horizon.
                    let t = (q.now * 2).rounded(.up) / 2 + Double(rng.below(8)) / 2 + (rng.below(4) == 0 ? 30 : 0)
                    let p = UInt64(rng.below(4))
                    let ok = q.schedule(at: t, priority: p, id)
                    #expect(ok == (t < 60))
                    if ok { ref.add(.init(time: t, priority: p, id: id)) }
                    id += 1
                } else if r < 6 {
                    guard sideId == nil else { continue }
                    let t = (q.now * 2).rounded(.up) / 2 + Double(rng.below(4)) / 2
                    if q.scheduleSide(at: t, id) {
                        ref.add(.init(time: t, priority: 0, id: id))
                        sideId = id
                    } else {
                        #expect(t >= 60)
                    }
                    id += 1
                } else {
                    #expect(q.count == ref.pending.count)
                    let expected = ref.pop()
                    #expect(q.nextTime == expected?.time)
                    let got = q.popNext()
                    #expect(got?.payload == expected?.id, "seed \(seed)")
                    #expect(got?.time == expected?.time)
                    if let got, got.payload == sideId { sideId = nil }
                    if let got { #expect(q.now == got.time) }
                }
            }
            while let expected = ref.pop() {
                let got = q.popNext()
                #expect(got?.payload == expected.id, "seed \(seed), draining")
            }
            #expect(q.popNext() == nil)
            #expect(q.count == 0)
        }
    }

    @Test func countAndNextTimeIncludeTheSideSlot() {
        let q = EventQueue<String>(start: 0, horizon: 100)
        #expect(q.count == 0 && q.nextTime == nil)
        q.scheduleSide(at: 5, "side")
        #expect(q.count == 1 && q.nextTime == 5)       // side only
        q.schedule(at: 7, "heap 7")
        #expect(q.count == 2 && q.nextTime == 5)       // side before the heap's root
        q.schedule(at: 3, "heap 3")
        #expect(q.count == 3 && q.nextTime == 3)       // heap's root before the side
        #expect(q.popNext()?.payload == "heap 3")
        #expect(q.count == 2 && q.nextTime == 5)
        #expect(q.popNext()?.payload == "side")
        #expect(q.count == 1 && q.nextTime == 7)       // heap only
        q.scheduleSide(at: 7, "side 7")                // a tie: the heap event was scheduled first
        #expect(q.count == 2 && q.nextTime == 7)
        #expect(q.popNext()?.payload == "heap 7")
        #expect(q.popNext()?.payload == "side 7")
        #expect(q.count == 0 && q.nextTime == nil)
        #expect(q.processed == 4)
    }

    @Test func logRecordsAcceptedOperationsInOrder() {
        let q = EventQueue<Int>(start: 0, horizon: 10)
        let log = EventQueueLog()
        q.log = log
        q.schedule(at: 2, priority: 1, 0)
        q.scheduleSide(at: 1, 1)
        q.schedule(at: 20, 2)                          // refused by the horizon: not recorded
        _ = q.popNext()
        _ = q.popNext()
        _ = q.popNext()                                // empty: not recorded
        #expect(log.operations == [.schedule, .scheduleSide, .pop, .pop])
        #expect(log.times == [2, 1, 1, 2])
        #expect(log.priorities == [1, 0, 0, 1])
        q.log = nil
        q.schedule(at: 3, 3)
        #expect(log.count == 4)
    }
}
