import HeapModule

/// The future-event list of a discrete-event simulation.
///
/// Events are ordered by (time, sequence number): `Heap` does not keep insertion
/// order among equal keys, so every event carries the sequence number it was
/// scheduled with and simultaneous events run first-scheduled, first-run (FIFO).
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
        precondition(time >= now, "event scheduled in the past (\(time) < \(now))")
        guard time < horizon else { return false }
        heap.insert(Entry(time: time, sequence: nextSequence, payload: payload))
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
