/// The future-event list of a discrete-event simulation.
///
/// **Order.** Events are handed out by (time, priority, sequence number): the earliest time
/// first; among events at one instant the lower priority first (0, the default, comes first;
/// the model uses higher priorities for events that must come after everything else at their
/// instant, like simmer's priorities); among those, the one scheduled first (FIFO). Every event
/// takes the next sequence number when it is scheduled, so the order is total and does not
/// depend on how the queue stores its events.
///
/// **Horizon.** Nothing is scheduled at or after the horizon (`schedule` returns false), so
/// `popNext()` never returns such an event.
///
/// **Storage** (docs/engine.md; the benchmark that chose it is Benchmarks/EventQueue).
/// - A binary min-heap in one flat buffer of entries, each holding its key as two machine words:
///   the time's IEEE-754 bits mapped to an unsigned integer of the same order (`orderedBits`),
///   and (priority << 62) | sequence. Two keys compare as one 128-bit unsigned number, which the
///   compiler evaluates without branches; the heap picks the smaller child with a conditional
///   move, so its cost does not depend on how unpredictable the times are.
/// - `popNext()` removes the root bottom-up (Floyd): the hole left at the root sinks to a leaf
///   along the smaller children (one comparison per level instead of two), and the last entry
///   is then sifted up from that leaf, which it rarely leaves.
/// - One *side slot* for the single pending event of a stream that always reschedules itself
///   (the model's next arrival, about half of all events): `scheduleSide` puts it there instead
///   of into the heap, and `popNext()` takes the smaller of the side slot and the heap's root.
///   The side event gets a sequence number like any other, so the order is exactly as if it were
///   in the heap.
///
/// **Recording.** With `log` set, every accepted `schedule`/`scheduleSide` and every event handed
/// out is appended to it (for Benchmarks/EventQueue, which replays sagstal's own operations on
/// other queue designs). Each operation tests `log` once on entry and, when it is set, hands over
/// to an out-of-line copy that records; a queue without a log runs the same code as before.
///
/// Complexity: `schedule` O(log n) (O(1) on average for events later than most pending ones),
/// `scheduleSide` O(1), `popNext` O(log n), `nextTime` O(1).
///
/// The engine knows nothing about child welfare; `Payload` is the model's event description.
/// A final class rather than a struct: the model holds one queue for the whole replication, and
/// the hot loop then reaches the buffer without copy-on-write checks.
public final class EventQueue<Payload> {
    @usableFromInline
    struct Entry {
        /// `orderedBits(time)`.
        @usableFromInline var key: UInt64
        /// (priority << 62) | sequence.
        @usableFromInline var sequence: UInt64
        @usableFromInline var payload: Payload

        @inlinable init(key: UInt64, sequence: UInt64, payload: Payload) {
            self.key = key
            self.sequence = sequence
            self.payload = payload
        }

        /// The event's time, decoded from the key.
        @inlinable var time: Double { EventQueue.time(ofOrderedBits: key) }
    }

    /// Whether key (ak, asq) comes before key (bk, bsq): the pairs compared as one 128-bit
    /// unsigned number. The borrow of the low words' subtraction feeds the high words'
    /// subtraction, so the compiler emits no branch.
    @inlinable @inline(__always)
    static func before(_ ak: UInt64, _ asq: UInt64, _ bk: UInt64, _ bsq: UInt64) -> Bool {
        let (_, borrow) = asq.subtractingReportingOverflow(bsq)
        let (d, o1) = ak.subtractingReportingOverflow(bk)
        let (_, o2) = d.subtractingReportingOverflow(borrow ? 1 : 0)
        return o1 || o2
    }

    @inlinable @inline(__always)
    static func before(_ a: UnsafeMutablePointer<Entry>, _ b: UnsafeMutablePointer<Entry>) -> Bool {
        before(a.pointee.key, a.pointee.sequence, b.pointee.key, b.pointee.sequence)
    }

    /// A time's bits mapped to an unsigned integer of the same order (−0 as +0): flip every bit of
    /// a negative number, only the sign bit of a positive one.
    @inlinable @inline(__always)
    public static func orderedBits(_ t: Double) -> UInt64 {
        let bits = (t + 0.0).bitPattern
        let mask = UInt64(bitPattern: Int64(bitPattern: bits) >> 63) | (1 << 63)
        return bits ^ mask
    }

    /// The inverse of `orderedBits`.
    @inlinable @inline(__always)
    public static func time(ofOrderedBits k: UInt64) -> Double {
        // A key with the top bit set came from a non-negative time (only its sign bit flipped).
        let mask = (k >> 63) == 1 ? UInt64(1) << 63 : ~UInt64(0)
        return Double(bitPattern: k ^ mask)
    }

    @usableFromInline var buffer: UnsafeMutablePointer<Entry>
    @usableFromInline var capacity: Int
    @usableFromInline var size: Int = 0
    @usableFromInline var side: Entry?
    @usableFromInline var nextSequence: UInt64 = 0

    @usableFromInline var clock: Double
    /// Receives every operation while set (nil, the default: nothing recorded). See ``EventQueueLog``.
    public var log: EventQueueLog?
    /// The simulation clock: the time of the last event handed out (initially the start time).
    @inlinable public var now: Double { clock }
    /// Events at or after this time are never scheduled nor processed.
    public let horizon: Double
    @usableFromInline var handedOut: Int = 0
    /// Number of events handed out by `popNext()`.
    @inlinable public var processed: Int { handedOut }

    public init(start: Double, horizon: Double) {
        self.clock = start
        self.horizon = horizon
        capacity = 256
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deinitialize(count: size)
        buffer.deallocate()
    }

    /// Number of pending events (the side slot included).
    public var count: Int { size + (side == nil ? 0 : 1) }

    /// Schedules `payload` at `time`.
    ///
    /// - Returns: false (and schedules nothing) when `time` is at or after the horizon.
    /// - Precondition: `time >= now` (scheduling in the past is a programming error).
    /// - Complexity: O(log n).
    @inlinable @discardableResult
    public func schedule(at time: Double, _ payload: Payload) -> Bool {
        schedule(at: time, priority: 0, payload)
    }

    /// Schedules `payload` at `time` with `priority` (0–3; among events at one instant, lower
    /// priorities run first, and events of one priority in the order they were scheduled).
    ///
    /// - Returns: false (and schedules nothing) when `time` is at or after the horizon.
    /// - Precondition: `time >= now` and `priority` in 0...3.
    /// - Complexity: O(log n).
    @inlinable @discardableResult
    public func schedule(at time: Double, priority: UInt64, _ payload: Payload) -> Bool {
        if log != nil { return scheduleLogged(at: time, priority: priority, payload) }
        return insert(at: time, priority: priority, payload)
    }

    @inlinable @inline(never)
    func scheduleLogged(at time: Double, priority: UInt64, _ payload: Payload) -> Bool {
        guard insert(at: time, priority: priority, payload) else { return false }
        log?.record(.schedule, time: time, priority: priority)
        return true
    }

    @inlinable @inline(__always)
    func insert(at time: Double, priority: UInt64, _ payload: Payload) -> Bool {
        guard let e = entry(at: time, priority: priority, payload) else { return false }
        if size == capacity { grow() }
        let leaf = size
        size &+= 1
        siftUp(e, from: leaf)
        return true
    }

    /// Puts `e` into the hole at `start` (an uninitialised slot), moving the parents that come
    /// after it down into the hole one level at a time.
    @inlinable @inline(__always)
    func siftUp(_ e: Entry, from start: Int) {
        let h = buffer
        var hole = start
        while hole > 0 {
            let parent = (hole &- 1) >> 1
            let p = h + parent
            if !Self.before(e.key, e.sequence, p.pointee.key, p.pointee.sequence) { break }
            (h + hole).initialize(to: p.move())
            hole = parent
        }
        (h + hole).initialize(to: e)
    }

    /// Schedules `payload` at `time` in the side slot (see the type's documentation): for the one
    /// pending event of a stream that reschedules itself when it is handed out.
    ///
    /// - Returns: false (and schedules nothing) when `time` is at or after the horizon.
    /// - Precondition: `time >= now`, and the side slot is empty (its event was handed out).
    /// - Complexity: O(1).
    @inlinable @discardableResult
    public func scheduleSide(at time: Double, _ payload: Payload) -> Bool {
        if log != nil { return scheduleSideLogged(at: time, payload) }
        return placeSide(at: time, payload)
    }

    @inlinable @inline(never)
    func scheduleSideLogged(at time: Double, _ payload: Payload) -> Bool {
        guard placeSide(at: time, payload) else { return false }
        log?.record(.scheduleSide, time: time, priority: 0)
        return true
    }

    @inlinable @inline(__always)
    func placeSide(at time: Double, _ payload: Payload) -> Bool {
        precondition(side == nil, "the side slot already holds an event")
        guard let e = entry(at: time, priority: 0, payload) else { return false }
        side = e
        return true
    }

    @inlinable @inline(__always)
    func entry(at time: Double, priority: UInt64, _ payload: Payload) -> Entry? {
        precondition(time >= now, "event scheduled in the past (\(time) < \(now))")
        precondition(priority < 4, "event priority \(priority) outside 0...3")
        guard time < horizon else { return nil }
        let e = Entry(key: Self.orderedBits(time), sequence: (priority << 62) | nextSequence, payload: payload)
        nextSequence &+= 1
        return e
    }

    @usableFromInline
    func grow() {
        let bigger = UnsafeMutablePointer<Entry>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: buffer, count: size)
        buffer.deallocate()
        buffer = bigger
        capacity *= 2
    }

    /// Removes and returns the earliest event, advancing the clock to its time;
    /// nil when none is left.
    /// - Complexity: O(log n).
    @inlinable @inline(__always)
    public func popNext() -> (time: Double, payload: Payload)? {
        // The test of `log` goes inline into the caller; `take()` stays one out-of-line leaf
        // function, as `popNext()` was before the log, so no stack frame is added to it.
        if log != nil { return popNextLogged() }
        return take()
    }

    @inlinable @inline(never)
    func popNextLogged() -> (time: Double, payload: Payload)? {
        // The priority of the event about to be handed out: the side slot's, if it wins, else the root's.
        var priority: UInt64 = 0
        if let s = side, sideIsFirst(s) {
            priority = s.sequence >> 62
        } else if size > 0 {
            priority = buffer.pointee.sequence >> 62
        }
        guard let e = take() else { return nil }
        log?.record(.pop, time: e.time, priority: priority)
        return e
    }

    @inlinable @inline(never)
    func take() -> (time: Double, payload: Payload)? {
        if let s = side {
            if sideIsFirst(s) {
                side = nil
                let t = s.time
                clock = t
                handedOut &+= 1
                return (t, s.payload)
            }
        } else if size == 0 {
            return nil
        }
        let top = buffer.move()
        size &-= 1
        if size > 0 { siftDownFromRoot(last: (buffer + size).move()) }
        let t = top.time
        clock = t
        handedOut &+= 1
        return (t, top.payload)
    }

    /// Fills the hole at the root (its entry was moved out) with `last`, bottom-up: the hole sinks
    /// to a leaf along the smaller children, then `last` is sifted up from there.
    @inlinable @inline(__always)
    func siftDownFromRoot(last: Entry) {
        let n = size
        let h = buffer
        var hole = 0
        var child = 1
        while child &+ 1 < n {
            // The smaller of the two children, without a branch.
            child &+= Self.before(h + (child &+ 1), h + child) ? 1 : 0
            (h + hole).initialize(to: (h + child).move())
            hole = child
            child = 2 &* hole &+ 1
        }
        if child < n {
            (h + hole).initialize(to: (h + child).move())
            hole = child
        }
        siftUp(last, from: hole)
    }

    /// The time of the earliest pending event, if any.
    @inlinable public var nextTime: Double? {
        if let s = side { return sideIsFirst(s) ? s.time : buffer.pointee.time }
        return size == 0 ? nil : buffer.pointee.time
    }

    /// Whether `s`, the side slot's entry, comes before every event in the heap.
    @inlinable @inline(__always)
    func sideIsFirst(_ s: Entry) -> Bool {
        size == 0 || Self.before(s.key, s.sequence, buffer.pointee.key, buffer.pointee.sequence)
    }
}

/// A record of one queue's operations, in order: each accepted `schedule` (time, priority), each
/// accepted `scheduleSide` (time, priority 0), and each event `popNext()` handed out (its time and
/// priority). Not recorded: a `schedule` the horizon refused, a `popNext()` of an empty queue, and
/// `nextTime`.
///
/// Set `EventQueue.log` (or `Replication.queueLog`) before the run.
public final class EventQueueLog {
    public enum Operation: UInt8, Sendable {
        case schedule, scheduleSide, pop
    }

    public private(set) var operations: [Operation] = []
    public private(set) var times: [Double] = []
    public private(set) var priorities: [UInt8] = []

    public init() {}

    /// Number of operations recorded.
    public var count: Int { operations.count }

    @usableFromInline
    func record(_ operation: Operation, time: Double, priority: UInt64) {
        operations.append(operation)
        times.append(time)
        priorities.append(UInt8(truncatingIfNeeded: priority))
    }
}
