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
