// The queue designs compared on sagstal's own operations. Every variant hands events out by
// (time, priority, sequence number) exactly as SagstalEngine.EventQueue does (docs/engine.md):
// the earliest time first, then the lower priority, then the one scheduled first. Each numbers
// its events itself, in the order they are scheduled, so all variants see the same keys.
import HeapModule
import SagstalEngine

/// The payload every variant carries: 12 bytes, like the model's events. `seq` is the trace's
/// schedule index, so the checks can tell which event came out.
struct BenchPayload: Equatable {
    var seq: UInt32
    var a: UInt32
    var b: UInt32
}

/// What the replay needs of a queue: the operations `Replication.run` uses.
protocol ReplayQueue: AnyObject {
    /// Schedules unless `time` is at or after the horizon (the replayed times never are).
    func schedule(at time: Double, priority: UInt64, _ payload: BenchPayload) -> Bool
    /// The model's next arrival; variants without a side slot schedule it as any other event.
    func scheduleSide(at time: Double, _ payload: BenchPayload) -> Bool
    /// `Replication.run` peeks before every pop (month boundaries come between events).
    var nextTime: Double? { get }
    func popNext() -> (time: Double, payload: BenchPayload)?
}

extension EventQueue: ReplayQueue where Payload == BenchPayload {}

// MARK: - Keys shared by the own variants

/// A queue entry with EventQueue's packed key: `orderedBits(time)` and (priority << 62) | sequence.
struct Entry {
    var key: UInt64
    var seq: UInt64
    var payload: BenchPayload
    @inline(__always) var time: Double { EventQueue<BenchPayload>.time(ofOrderedBits: key) }
}

/// (ak, asq) < (bk, bsq) as one 128-bit number, without a branch (as EventQueue.before).
@inline(__always)
func before(_ ak: UInt64, _ asq: UInt64, _ bk: UInt64, _ bsq: UInt64) -> Bool {
    let (_, borrow) = asq.subtractingReportingOverflow(bsq)
    let (d, o1) = ak.subtractingReportingOverflow(bk)
    let (_, o2) = d.subtractingReportingOverflow(borrow ? 1 : 0)
    return o1 || o2
}

@inline(__always)
func before(_ a: UnsafeMutablePointer<Entry>, _ b: UnsafeMutablePointer<Entry>) -> Bool {
    before(a.pointee.key, a.pointee.seq, b.pointee.key, b.pointee.seq)
}

/// A priority queue of entries that already carry their keys; `Sequenced` and `WithSideSlot`
/// add the numbering, the horizon and (for the latter) the side slot.
protocol EntryQueue {
    init()
    mutating func push(_ e: Entry)
    /// The earliest entry (nil when empty); may reorganise internally (the two-level queue).
    mutating func peek() -> UnsafeMutablePointer<Entry>?
    mutating func pop() -> Entry?
    func release()
}

/// An `EntryQueue` behind EventQueue's interface, without a side slot.
final class Sequenced<Q: EntryQueue>: ReplayQueue {
    var inner = Q()
    var nextSequence: UInt64 = 0
    var clock: Double
    let horizon: Double

    init(start: Double, horizon: Double) {
        clock = start
        self.horizon = horizon
    }

    deinit { inner.release() }

    @inline(__always)
    func schedule(at time: Double, priority: UInt64, _ payload: BenchPayload) -> Bool {
        precondition(time >= clock && priority < 4)
        guard time < horizon else { return false }
        inner.push(Entry(key: EventQueue<BenchPayload>.orderedBits(time), seq: (priority << 62) | nextSequence, payload: payload))
        nextSequence &+= 1
        return true
    }

    @inline(__always)
    func scheduleSide(at time: Double, _ payload: BenchPayload) -> Bool { schedule(at: time, priority: 0, payload) }

    @inline(__always)
    var nextTime: Double? { inner.peek()?.pointee.time }

    @inline(__always)
    func popNext() -> (time: Double, payload: BenchPayload)? {
        guard let e = inner.pop() else { return nil }
        let t = e.time
        clock = t
        return (t, e.payload)
    }
}

/// An `EntryQueue` with EventQueue's side slot for the next arrival.
final class WithSideSlot<Q: EntryQueue>: ReplayQueue {
    var inner = Q()
    var side: Entry?
    var nextSequence: UInt64 = 0
    var clock: Double
    let horizon: Double

    init(start: Double, horizon: Double) {
        clock = start
        self.horizon = horizon
    }

    deinit { inner.release() }

    @inline(__always)
    func schedule(at time: Double, priority: UInt64, _ payload: BenchPayload) -> Bool {
        precondition(time >= clock && priority < 4)
        guard time < horizon else { return false }
        inner.push(Entry(key: EventQueue<BenchPayload>.orderedBits(time), seq: (priority << 62) | nextSequence, payload: payload))
        nextSequence &+= 1
        return true
    }

    @inline(__always)
    func scheduleSide(at time: Double, _ payload: BenchPayload) -> Bool {
        precondition(side == nil && time >= clock)
        guard time < horizon else { return false }
        side = Entry(key: EventQueue<BenchPayload>.orderedBits(time), seq: nextSequence, payload: payload)
        nextSequence &+= 1
        return true
    }

    @inline(__always)
    var nextTime: Double? {
        let top = inner.peek()
        if let s = side {
            guard let top else { return s.time }
            return before(s.key, s.seq, top.pointee.key, top.pointee.seq) ? s.time : top.pointee.time
        }
        return top?.pointee.time
    }

    @inline(__always)
    func popNext() -> (time: Double, payload: BenchPayload)? {
        if let s = side {
            let top = inner.peek()
            if top == nil || before(s.key, s.seq, top!.pointee.key, top!.pointee.seq) {
                side = nil
                clock = s.time
                return (s.time, s.payload)
            }
        }
        guard let e = inner.pop() else { return nil }
        let t = e.time
        clock = t
        return (t, e.payload)
    }
}

// MARK: - swift-collections' Heap (the design EventQueue replaced)

/// The old design: swift-collections' min-max `Heap` of (time, sequence) keys, the priority in
/// the sequence's top bits; compared with branches.
final class CollectionsHeapQueue: ReplayQueue {
    struct Item: Comparable {
        var time: Double
        var seq: UInt64
        var payload: BenchPayload
        static func < (a: Item, b: Item) -> Bool { a.time < b.time || (a.time == b.time && a.seq < b.seq) }
        static func == (a: Item, b: Item) -> Bool { a.time == b.time && a.seq == b.seq }
    }

    var heap = Heap<Item>()
    var nextSequence: UInt64 = 0
    var clock: Double
    let horizon: Double

    init(start: Double, horizon: Double) {
        clock = start
        self.horizon = horizon
    }

    @inline(__always)
    func schedule(at time: Double, priority: UInt64, _ payload: BenchPayload) -> Bool {
        precondition(time >= clock && priority < 4)
        guard time < horizon else { return false }
        heap.insert(Item(time: time + 0.0, seq: (priority << 62) | nextSequence, payload: payload))
        nextSequence &+= 1
        return true
    }

    @inline(__always)
    func scheduleSide(at time: Double, _ payload: BenchPayload) -> Bool { schedule(at: time, priority: 0, payload) }

    @inline(__always)
    var nextTime: Double? { heap.min?.time }

    @inline(__always)
    func popNext() -> (time: Double, payload: BenchPayload)? {
        guard let e = heap.popMin() else { return nil }
        clock = e.time
        return (e.time, e.payload)
    }
}

// MARK: - Binary heaps

/// A textbook binary min-heap: (time, sequence) compared with branches; pop moves the last
/// entry to the root and sifts it down, two comparisons per level.
struct BranchyBinaryHeap: EntryQueue {
    var buffer: UnsafeMutablePointer<Entry>
    var capacity = 256
    var size = 0

    init() { buffer = .allocate(capacity: capacity) }
    func release() { buffer.deallocate() }

    @inline(__always)
    static func less(_ a: Entry, _ b: Entry) -> Bool {
        // Keys compared field by field, with branches, as a plain implementation would.
        if a.key != b.key { return a.key < b.key }
        return a.seq < b.seq
    }

    @inline(__always)
    mutating func push(_ e: Entry) {
        if size == capacity { grow() }
        var i = size
        size += 1
        while i > 0 {
            let parent = (i - 1) / 2
            if !Self.less(e, buffer[parent]) { break }
            buffer[i] = buffer[parent]
            i = parent
        }
        buffer[i] = e
    }

    @inline(never)
    mutating func grow() {
        let bigger = UnsafeMutablePointer<Entry>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: buffer, count: size)
        buffer.deallocate()
        buffer = bigger
        capacity *= 2
    }

    @inline(__always)
    mutating func peek() -> UnsafeMutablePointer<Entry>? { size == 0 ? nil : buffer }

    @inline(__always)
    mutating func pop() -> Entry? {
        guard size > 0 else { return nil }
        let top = buffer[0]
        size -= 1
        if size == 0 { return top }
        let last = buffer[size]
        var i = 0
        while true {
            let l = 2 * i + 1
            if l >= size { break }
            var c = l
            if l + 1 < size && Self.less(buffer[l + 1], buffer[l]) { c = l + 1 }
            if !Self.less(buffer[c], last) { break }
            buffer[i] = buffer[c]
            i = c
        }
        buffer[i] = last
        return top
    }
}

/// EventQueue's heap without its side slot: packed keys compared as one 128-bit number, the
/// smaller child chosen without a branch, bottom-up pop.
struct BranchFreeBinaryHeap: EntryQueue {
    var buffer: UnsafeMutablePointer<Entry>
    var capacity = 256
    var size = 0

    init() { buffer = .allocate(capacity: capacity) }
    func release() { buffer.deallocate() }

    @inline(__always)
    mutating func push(_ e: Entry) {
        if size == capacity { grow() }
        let h = buffer
        var hole = size
        size &+= 1
        while hole > 0 {
            let parent = (hole &- 1) >> 1
            let p = h + parent
            if !before(e.key, e.seq, p.pointee.key, p.pointee.seq) { break }
            (h + hole).initialize(to: p.move())
            hole = parent
        }
        (h + hole).initialize(to: e)
    }

    @inline(never)
    mutating func grow() {
        let bigger = UnsafeMutablePointer<Entry>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: buffer, count: size)
        buffer.deallocate()
        buffer = bigger
        capacity *= 2
    }

    @inline(__always)
    mutating func peek() -> UnsafeMutablePointer<Entry>? { size == 0 ? nil : buffer }

    @inline(__always)
    var isEmpty: Bool { size == 0 }

    @inline(__always)
    mutating func pop() -> Entry? {
        guard size > 0 else { return nil }
        let top = buffer.move()
        size &-= 1
        if size > 0 { siftDownFromRoot(last: (buffer + size).move()) }
        return top
    }

    @inline(__always)
    mutating func siftDownFromRoot(last: Entry) {
        let n = size
        let h = buffer
        var hole = 0
        var child = 1
        while child &+ 1 < n {
            child &+= before(h + (child &+ 1), h + child) ? 1 : 0
            (h + hole).initialize(to: (h + child).move())
            hole = child
            child = 2 &* hole &+ 1
        }
        if child < n {
            (h + hole).initialize(to: (h + child).move())
            hole = child
        }
        while hole > 0 {
            let parent = (hole &- 1) >> 1
            let p = h + parent
            if !before(last.key, last.seq, p.pointee.key, p.pointee.seq) { break }
            (h + hole).initialize(to: p.move())
            hole = parent
        }
        (h + hole).initialize(to: last)
    }
}

// MARK: - 4-ary heap

/// A branch-free 4-ary min-heap, bottom-up pop: the hole sinks along the smallest of four
/// children (a tournament of three branch-free comparisons), then the last entry is sifted up.
/// Half the depth of a binary heap, three comparisons per level instead of one. Entry i lives at
/// `base + 3 + i` in a 64-byte-aligned buffer, so the four children of a node (4 × 32 bytes)
/// share two cache lines.
struct QuaternaryHeap: EntryQueue {
    var raw: UnsafeMutableRawPointer
    var base: UnsafeMutablePointer<Entry>   // logical index 0
    var capacity = 256
    var size = 0

    init() {
        raw = .allocate(byteCount: (capacity + 3) * MemoryLayout<Entry>.stride, alignment: 64)
        base = raw.bindMemory(to: Entry.self, capacity: capacity + 3) + 3
    }

    func release() { raw.deallocate() }

    @inline(__always)
    mutating func push(_ e: Entry) {
        if size == capacity { grow() }
        let h = base
        var hole = size
        size &+= 1
        while hole > 0 {
            let parent = (hole &- 1) >> 2
            let p = h + parent
            if !before(e.key, e.seq, p.pointee.key, p.pointee.seq) { break }
            (h + hole).initialize(to: p.move())
            hole = parent
        }
        (h + hole).initialize(to: e)
    }

    @inline(never)
    mutating func grow() {
        let newRaw = UnsafeMutableRawPointer.allocate(byteCount: (capacity * 2 + 3) * MemoryLayout<Entry>.stride, alignment: 64)
        let newBase = newRaw.bindMemory(to: Entry.self, capacity: capacity * 2 + 3) + 3
        newBase.moveInitialize(from: base, count: size)
        raw.deallocate()
        raw = newRaw
        base = newBase
        capacity *= 2
    }

    @inline(__always)
    mutating func peek() -> UnsafeMutablePointer<Entry>? { size == 0 ? nil : base }

    @inline(__always)
    mutating func pop() -> Entry? {
        guard size > 0 else { return nil }
        let h = base
        let top = h.move()
        size &-= 1
        let n = size
        guard n > 0 else { return top }
        let last = (h + n).move()
        var hole = 0
        var c = 1
        // All four children present.
        while c &+ 3 < n {
            let i01 = c &+ (before(h + (c &+ 1), h + c) ? 1 : 0)
            let i23 = c &+ 2 &+ (before(h + (c &+ 3), h + (c &+ 2)) ? 1 : 0)
            let m = before(h + i23, h + i01) ? i23 : i01
            (h + hole).initialize(to: (h + m).move())
            hole = m
            c = 4 &* hole &+ 1
        }
        // One to three children left at the bottom.
        if c < n {
            var m = h + c
            var k = c &+ 1
            while k < n {
                if before(h + k, m) { m = h + k }
                k &+= 1
            }
            (h + hole).initialize(to: m.move())
            hole = m - h
        }
        while hole > 0 {
            let parent = (hole &- 1) >> 2
            let p = h + parent
            if !before(last.key, last.seq, p.pointee.key, p.pointee.seq) { break }
            (h + hole).initialize(to: p.move())
            hole = parent
        }
        (h + hole).initialize(to: last)
        return top
    }
}

// MARK: - Two-level queue

/// A two-level queue: a small sorted *near-future buffer* in front of a branch-free binary heap
/// (the far future). Invariant: every near entry's time < `threshold` ≤ every far entry's time,
/// so the split never separates events of one instant and the order stays (time, priority,
/// sequence). A new event goes into the near buffer (insertion from its end, where later events
/// land) if its time is before the threshold, else into the heap. When the near buffer runs
/// empty, the next `batch` events (and any that tie with the last of them) are moved out of the
/// heap in order, and the threshold becomes the heap's new minimum.
///
/// Push O(1) for a far event on average and O(k) for a near one (k ≤ near entries); pop O(1) from
/// the near buffer, O(batch · log n) per refill, i.e. O(log n) per event amortised.
struct TwoLevelQueue: EntryQueue {
    static let batch = 32

    var far = BranchFreeBinaryHeap()
    var near: UnsafeMutablePointer<Entry>
    var nearCapacity = 64
    var head = 0          // first pending near entry
    var tail = 0          // one past the last
    var threshold: UInt64 = 0   // an orderedBits key; 0: nothing is near until the first refill

    init() { near = .allocate(capacity: nearCapacity) }
    func release() {
        far.release()
        near.deallocate()
    }

    @inline(__always)
    mutating func push(_ e: Entry) {
        guard e.key < threshold else {
            far.push(e)
            return
        }
        if tail == nearCapacity { makeRoom() }
        // Sorted insertion from the end: later entries move up by one.
        var j = tail
        while j > head && before(e.key, e.seq, near[j &- 1].key, near[j &- 1].seq) {
            (near + j).initialize(to: (near + (j &- 1)).move())
            j &-= 1
        }
        (near + j).initialize(to: e)
        tail &+= 1
    }

    @inline(never)
    mutating func makeRoom() {
        let n = tail - head
        if head > 0 && n < nearCapacity / 2 {
            (near).moveInitialize(from: near + head, count: n)
        } else {
            let bigger = UnsafeMutablePointer<Entry>.allocate(capacity: nearCapacity * 2)
            bigger.moveInitialize(from: near + head, count: n)
            near.deallocate()
            near = bigger
            nearCapacity *= 2
        }
        head = 0
        tail = n
    }

    /// Moves the next batch from the heap into the (empty) near buffer.
    @inline(never)
    mutating func refill() -> Bool {
        guard !far.isEmpty else { return false }
        head = 0
        tail = 0
        var lastKey: UInt64 = 0
        while let top = far.peek(), tail < Self.batch || top.pointee.key == lastKey {
            if tail == nearCapacity { makeRoom() }
            let e = far.pop()!
            lastKey = e.key
            (near + tail).initialize(to: e)
            tail &+= 1
        }
        // Everything left in the heap is later than lastKey; if nothing is left, only events at
        // lastKey or earlier may join the near buffer.
        threshold = far.peek()?.pointee.key ?? (lastKey &+ 1)
        return true
    }

    @inline(__always)
    mutating func peek() -> UnsafeMutablePointer<Entry>? {
        if head == tail && !refill() { return nil }
        return near + head
    }

    @inline(__always)
    mutating func pop() -> Entry? {
        if head == tail && !refill() { return nil }
        let e = (near + head).move()
        head &+= 1
        return e
    }
}
