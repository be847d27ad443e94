import Testing
@testable import SagstalModel
import SagstalRandom

/// The least-loaded caseworker of a team comes from a `LoadTree` (two tournament trees over the
/// team's positions) instead of a scan. Held here to a brute-force minimum over the same keys
/// after every one of many random changes; the model's debug builds also compare every answer
/// with the scan of MODEL.md §5.3 (`Replication.leastLoadedByScan`).
@Suite struct LoadTreeTests {
    struct Slot { var active = false, ramping = false, load: Int32 = 0 }

    func brute(_ slots: [Slot], ramping: Bool) -> UInt64 {
        var best = UInt64.max
        for (k, s) in slots.enumerated() where s.active && s.ramping == ramping {
            best = min(best, LoadTree.key(load: s.load, slot: k))
        }
        return best
    }

    @Test(arguments: [1, 2, 3, 5, 8, 64, 100] as [Int])
    func leastMatchesBruteForceAfterEveryChange(size: Int) {
        var rng = SplitMix64Generator(seed: UInt64(size))
        let tree = LoadTree()
        tree.reset(slots: size)
        #expect(tree.slots >= size && tree.least(ramping: false) == .max && tree.least(ramping: true) == .max)
        var slots = [Slot](repeating: Slot(), count: size)
        for step in 0..<4_000 {
            let k = Int(rng.next() % UInt64(size))
            switch rng.next() % 4 {
            case 0: slots[k].active.toggle()
            case 1: slots[k].ramping.toggle()
            case 2: slots[k].load += 1
            default: slots[k].load = max(0, slots[k].load - 1)
            }
            if rng.next() % 50 == 0 { slots[k].load = Int32(rng.next() % 5) }   // many ties
            let s = slots[k]
            tree.set(k, ramping: s.ramping, key: s.active ? LoadTree.key(load: s.load, slot: k) : .max)
            let a = tree.least(ramping: false), b = tree.least(ramping: true)
            #expect(a == brute(slots, ramping: false), "size \(size), step \(step)")
            #expect(b == brute(slots, ramping: true), "size \(size), step \(step)")
            if a != brute(slots, ramping: false) || b != brute(slots, ramping: true) { return }
        }
    }

    @Test func keysOrderByLoadThenSlot() {
        #expect(LoadTree.key(load: 3, slot: 9) < LoadTree.key(load: 4, slot: 0))
        #expect(LoadTree.key(load: 3, slot: 1) < LoadTree.key(load: 3, slot: 2))
        #expect(LoadTree.load(of: LoadTree.key(load: 1234, slot: 77)) == 1234)
        #expect(LoadTree.slot(of: LoadTree.key(load: 1234, slot: 77)) == 77)
    }
}

/// Reproducible random operations: the documented seed hash over a counter.
struct SplitMix64Generator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 1
        return SeedHash.mix(state)
    }
}
