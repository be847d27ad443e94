import HeapModule

/// The future-event list of a discrete-event simulation.
///
/// Events are ordered by (time, priority, sequence number): `Heap` does not keep
/// insertion order among equal keys, so every event carries the sequence number it
/// was scheduled with and simultaneous events of one priority run first-scheduled,
/// first-run (FIFO). Priority 0 (the default) comes first; the model uses higher
/// priorities for events that must come after everything else at their instant
/// (like simmer's priorities). The priority sits in the top two bits of the sequence
/// key, so the comparison stays one pair of numbers.
/// Nothing is scheduled at or after the horizon, and `popNext()` never returns
/// such an event. The engine knows nothing about child welfare; `Payload` is the
/// model's event description.
public struct EventQueue<Payload> {
    @usableFromInline
    struct Entry: Comparable {
        @usableFromInline let time: Double
        @usableFromInline let sequence: UInt64
        @usableFromInline let payload: Payload

        @inlinable init(time: Double, sequence: UInt64, payload: Payload) {
            self.time = time
            self.sequence = sequence
            self.payload = payload
        }

        @inlinable static func < (a: Entry, b: Entry) -> Bool {
            a.time < b.time || (a.time == b.time && a.sequence < b.sequence)
        }

        @inlinable static func == (a: Entry, b: Entry) -> Bool {
            a.time == b.time && a.sequence == b.sequence
        }
    }

    @usableFromInline var heap: Heap<Entry> = []
    @usableFromInline var nextSequence: UInt64 = 0

    @usableFromInline var clock: Double
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
    }

    /// Number of pending events.
    public var count: Int { heap.count }

    /// Schedules `payload` at `time`.
    ///
    /// - Returns: false (and schedules nothing) when `time` is at or after the horizon.
    /// - Precondition: `time >= now` (scheduling in the past is a programming error).
    /// - Complexity: O(log n).
    @inlinable @discardableResult
    public mutating func schedule(at time: Double, _ payload: Payload) -> Bool {
        schedule(at: time, priority: 0, payload)
    }

    /// Schedules `payload` at `time` with `priority` (0–3; among events at one instant, lower
    /// priorities run first, and events of one priority in the order they were scheduled).
    ///
    /// - Returns: false (and schedules nothing) when `time` is at or after the horizon.
    /// - Precondition: `time >= now` and `priority` in 0...3.
    /// - Complexity: O(log n).
    @inlinable @discardableResult
    public mutating func schedule(at time: Double, priority: UInt64, _ payload: Payload) -> Bool {
        precondition(time >= now, "event scheduled in the past (\(time) < \(now))")
        precondition(priority < 4, "event priority \(priority) outside 0...3")
        guard time < horizon else { return false }
        heap.insert(Entry(time: time, sequence: (priority << 62) | nextSequence, payload: payload))
        nextSequence &+= 1
        return true
    }

    /// Removes and returns the earliest event, advancing the clock to its time;
    /// nil when none is left.
    /// - Complexity: O(log n).
    @inlinable
    public mutating func popNext() -> (time: Double, payload: Payload)? {
        guard let e = heap.popMin() else { return nil }
        clock = e.time
        handedOut += 1
        return (e.time, e.payload)
    }

    /// The time of the earliest pending event, if any.
    @inlinable public var nextTime: Double? { heap.min?.time }
}
