/// A growable array of the model's state (children, positions, teams, open cases, …) that the
/// hot loop reads and writes without copy-on-write checks.
///
/// `Replication` holds each of its tables for its whole life and never shares or copies one, so
/// the uniqueness check that every write to an `Array` stored in a class performs (≈ 5 % of a
/// replication's instructions, callgrind, issue 15) buys nothing there. A `Table` is a final
/// class owning one buffer: writes go straight to the element. Indices are checked in debug
/// builds only (`assert`); the model's indices come from its own bookkeeping, which the test
/// suite exercises in debug builds. Not `Sendable`: one replication, one thread.
final class Table<Element>: RandomAccessCollection, MutableCollection {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count: Int = 0
    private var capacity: Int

    init() {
        capacity = 0
        base = .allocate(capacity: 1)
    }

    init(repeating value: Element, count n: Int) {
        capacity = Swift.max(n, 1)
        base = .allocate(capacity: capacity)
        base.initialize(repeating: value, count: n)
        count = n
    }

    convenience init<S: Sequence>(_ elements: S) where S.Element == Element {
        self.init()
        for e in elements { append(e) }
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }
    @inline(__always) func index(after i: Int) -> Int { i &+ 1 }
    @inline(__always) func index(before i: Int) -> Int { i &- 1 }

    subscript(i: Int) -> Element {
        @inline(__always) unsafeAddress {
            assert(i >= 0 && i < count, "Table index \(i) outside 0..<\(count)")
            return UnsafePointer(base + i)
        }
        @inline(__always) unsafeMutableAddress {
            assert(i >= 0 && i < count, "Table index \(i) outside 0..<\(count)")
            return base + i
        }
    }

    func reserveCapacity(_ n: Int) {
        guard n > capacity else { return }
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: n)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = n
    }

    @inline(__always) func append(_ e: Element) {
        if count == capacity { reserveCapacity(Swift.max(16, capacity * 2)) }
        (base + count).initialize(to: e)
        count &+= 1
    }

    func append<S: Sequence>(contentsOf elements: S) where S.Element == Element {
        for e in elements { append(e) }
    }

    static func += <S: Sequence>(table: Table, elements: S) where S.Element == Element {
        table.append(contentsOf: elements)
    }

    @discardableResult @inline(__always) func removeLast() -> Element {
        precondition(count > 0, "removeLast() on an empty Table")
        count &-= 1
        return (base + count).move()
    }

    @inline(__always) func popLast() -> Element? { count == 0 ? nil : removeLast() }

    func removeAll() {
        base.deinitialize(count: count)
        count = 0
    }

    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeMutableBufferPointer(start: base, count: count))
    }
}
