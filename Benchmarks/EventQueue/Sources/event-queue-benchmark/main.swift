// Records the event-queue operations of one sagstal replication and replays them on each queue
// design (Variants.swift): checks that every design hands out the same events in the same order,
// then times the whole replay (minimum over repetitions) and prints a Markdown table.
//
// Usage: event-queue-benchmark [--sizes small,medium,large] [--repetitions N] [--output FILE]
//   default: --sizes medium --repetitions 9 --output <repo>/Benchmarks/results/event-queue.json
// The scenarios are Benchmarks/scenarios/<size>.yaml with their seed, replication 0; medium and
// small run 10 years, large 1 year.
import Foundation
import SagstalEngine
import SagstalModel
import SagstalRunner

let root = URL(fileURLWithPath: #filePath)   // <root>/Benchmarks/EventQueue/Sources/event-queue-benchmark/main.swift
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

var sizes = ["medium"]
var repetitions = 9
var output = root.appendingPathComponent("Benchmarks/results/event-queue.json").path
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--sizes": sizes = (args.popFirst() ?? "").split(separator: ",").map(String.init)
    case "--repetitions": repetitions = max(7, Int(args.popFirst() ?? "") ?? 9)
    case "--output": output = args.popFirst() ?? output
    default:
        FileHandle.standardError.write("usage: event-queue-benchmark [--sizes small,medium,large] [--repetitions N≥7] [--output FILE]\n".data(using: .utf8)!)
        exit(2)
    }
}

// MARK: - The trace

struct Op {
    var time: Double
    var kind: UInt8        // 0 schedule, 1 scheduleSide, 2 pop
    var priority: UInt8
}

struct Trace {
    var name: String
    var years: Double
    var ops: [Op]
    var start: Double
    var horizon: Double
    var schedules = 0, sides = 0, pops = 0
    var pendingMean = 0.0, pendingMax = 0
    var events = 0
}

func record(size: String) throws -> Trace {
    let years: Double = size == "large" ? 1 : 10
    let path = root.appendingPathComponent("Benchmarks/scenarios/\(size).yaml").path
    let loaded = try ScenarioRequest(path: path, years: years).load()
    let compiled = try CompiledScenario(loaded.scenario)
    let replication = try Replication(compiled, index: 0)
    let log = EventQueueLog()
    replication.queueLog = log
    _ = try replication.run()
    // The replay needs no horizon (only accepted operations are recorded): the queues run unbounded.
    var t = Trace(name: size, years: years, ops: [], start: -.infinity, horizon: .infinity)
    t.ops.reserveCapacity(log.count)
    var pending = 0
    var pendingSum = 0
    for i in 0..<log.count {
        let kind: UInt8
        switch log.operations[i] {
        case .schedule: kind = 0; t.schedules += 1; pending += 1
        case .scheduleSide: kind = 1; t.sides += 1; pending += 1
        case .pop: kind = 2; t.pops += 1; pending -= 1
        }
        t.ops.append(Op(time: log.times[i], kind: kind, priority: log.priorities[i]))
        pendingSum += pending
        t.pendingMax = max(t.pendingMax, pending)
    }
    t.pendingMean = Double(pendingSum) / Double(max(1, log.count))
    t.events = replication.eventsProcessed
    return t
}

// MARK: - Replay

@inline(__always)
func mix(_ h: UInt64, _ time: Double, _ seq: UInt32) -> UInt64 {
    var x = h ^ time.bitPattern
    x = (x ^ (x >> 31)) &* 0x9E37_79B9_7F4A_7C15
    return (x ^ UInt64(seq)) &* 0xBF58_476D_1CE4_E5B9
}

/// Replays the trace on a fresh queue; returns a checksum of the (time, schedule index) pairs
/// popped, and, when `popped` is given, the pairs themselves.
@inline(__always)
func replay<Q: ReplayQueue>(_ trace: Trace, _ make: () -> Q, popped: UnsafeMutablePointer<[(Double, UInt32)]>? = nil) -> UInt64 {
    let q = make()
    var h: UInt64 = 0
    var n: UInt32 = 0
    trace.ops.withUnsafeBufferPointer { ops in
        for op in ops {
            switch op.kind {
            case 0:
                let ok = q.schedule(at: op.time, priority: UInt64(op.priority), BenchPayload(seq: n, a: n &* 3, b: 7))
                precondition(ok)
                n &+= 1
            case 1:
                let ok = q.scheduleSide(at: op.time, BenchPayload(seq: n, a: n &* 3, b: 7))
                precondition(ok)
                n &+= 1
            default:
                // Replication.run peeks (nextTime) before every pop.
                guard q.nextTime != nil, let e = q.popNext() else { fatalError("queue empty at a recorded pop") }
                h = mix(h, e.time, e.payload.seq)
                popped?.pointee.append((e.time, e.payload.seq))
            }
        }
    }
    return h
}

/// The order every variant must reproduce, computed independently: a sorted array of
/// (time, priority, sequence), each pop taking its first element. Also checks that the trace's
/// recorded pops (what the model saw) are these events.
func reference(_ trace: Trace) -> [(Double, UInt32)] {
    struct Key { var time: Double; var priority: UInt8; var seq: UInt32 }
    func less(_ a: Key, _ b: Key) -> Bool {
        if a.time != b.time { return a.time < b.time }   // −0 == +0: a tie, as in the queue
        if a.priority != b.priority { return a.priority < b.priority }
        return a.seq < b.seq
    }
    var pending: [Key] = []    // sorted ascending from `head`
    var head = 0
    var out: [(Double, UInt32)] = []
    var n: UInt32 = 0
    for op in trace.ops {
        if op.kind == 2 {
            let k = pending[head]
            head += 1
            if head > 4096 && head * 2 > pending.count {
                pending.removeFirst(head)
                head = 0
            }
            precondition(k.time == op.time && k.priority == op.priority,
                         "the reference disagrees with the recorded pop at \(out.count)")
            out.append((k.time, k.seq))
        } else {
            let k = Key(time: op.time, priority: op.kind == 1 ? 0 : op.priority, seq: n)
            n += 1
            // After every pending element that does not come after k.
            var lo = head, hi = pending.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if less(k, pending[mid]) { hi = mid } else { lo = mid + 1 }
            }
            pending.insert(k, at: lo)
        }
    }
    return out
}

func now() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

struct Variant {
    var name: String
    var description: String
    /// Runs one replay; returns its checksum; fills `popped` when given.
    var run: (Trace, UnsafeMutablePointer<[(Double, UInt32)]>?) -> UInt64
}

func variant<Q: ReplayQueue>(_ name: String, _ description: String, _ make: @escaping (Double, Double) -> Q) -> Variant {
    Variant(name: name, description: description) { trace, popped in
        replay(trace, { make(trace.start, trace.horizon) }, popped: popped)
    }
}

let variants: [Variant] = [
    variant("swift-collections Heap", "min-max Heap of (time, sequence) keys, branchy (the old design)") {
        CollectionsHeapQueue(start: $0, horizon: $1)
    },
    variant("binary heap, branchy", "textbook binary heap, top-down pop, branchy comparisons") {
        Sequenced<BranchyBinaryHeap>(start: $0, horizon: $1)
    },
    variant("binary heap, branch-free", "EventQueue's heap without the side slot: packed keys, bottom-up pop") {
        Sequenced<BranchFreeBinaryHeap>(start: $0, horizon: $1)
    },
    variant("4-ary heap, branch-free", "packed keys, bottom-up pop, min of 4 by a branch-free tournament, cache-aligned") {
        Sequenced<QuaternaryHeap>(start: $0, horizon: $1)
    },
    variant("two-level (near buffer + heap)", "sorted near-future buffer (refilled 32 at a time) over a branch-free binary heap") {
        Sequenced<TwoLevelQueue>(start: $0, horizon: $1)
    },
    variant("4-ary heap + side slot", "the 4-ary heap with EventQueue's side slot for the next arrival") {
        WithSideSlot<QuaternaryHeap>(start: $0, horizon: $1)
    },
    variant("two-level + side slot", "the two-level queue with EventQueue's side slot") {
        WithSideSlot<TwoLevelQueue>(start: $0, horizon: $1)
    },
    variant("EventQueue (SagstalEngine)", "sagstal's queue: branch-free binary heap + side slot") {
        EventQueue<BenchPayload>(start: $0, horizon: $1)
    },
]

// MARK: - Main

func fmt(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }

var results: [[String: Any]] = []
var tables: [String] = []
var failed = false

for size in sizes {
    FileHandle.standardError.write("[\(size)] recording one replication ...\n".data(using: .utf8)!)
    let trace = try record(size: size)
    let ref = reference(trace)
    var refHash: UInt64 = 0
    for (t, s) in ref { refHash = mix(refHash, t, s) }
    FileHandle.standardError.write("[\(size)] \(trace.ops.count) operations (\(trace.pops) pops), pending mean \(fmt(trace.pendingMean, 0)), max \(trace.pendingMax)\n".data(using: .utf8)!)

    var rows: [(Variant, [Double], Bool)] = []
    for v in variants {
        // Check: the full popped sequence once, the checksum on every timed repetition.
        var popped: [(Double, UInt32)] = []
        popped.reserveCapacity(trace.pops)
        _ = v.run(trace, &popped)
        var same = popped.count == ref.count
        if same {
            for i in 0..<ref.count where popped[i].0.bitPattern != ref[i].0.bitPattern || popped[i].1 != ref[i].1 {
                FileHandle.standardError.write("[\(size)] \(v.name): pop \(i) is (\(popped[i].0), #\(popped[i].1)), expected (\(ref[i].0), #\(ref[i].1))\n".data(using: .utf8)!)
                same = false
                break
            }
        }
        var seconds: [Double] = []
        for _ in 0..<repetitions {
            let t0 = now()
            let h = v.run(trace, nil)
            let t1 = now()
            if h != refHash { same = false }
            seconds.append(Double(t1 - t0) / 1e9)
        }
        if !same { failed = true }
        rows.append((v, seconds, same))
        FileHandle.standardError.write("[\(size)] \(v.name): \(fmt(seconds.min()! / Double(trace.ops.count) * 1e9, 2)) ns/op\(same ? "" : "  ORDER DIFFERS")\n".data(using: .utf8)!)
    }

    let base = rows.first { $0.0.name.hasPrefix("EventQueue") }!.1.min()!
    var lines = [
        "Event queue on sagstal's own trace: \(size), \(fmt(trace.years, 0)) year\(trace.years == 1 ? "" : "s"), replication 0 — "
            + "\(trace.ops.count) operations (\(trace.schedules) schedule, \(trace.sides) scheduleSide, \(trace.pops) pop + nextTime); "
            + "minimum of \(repetitions) replays",
        "",
        "| variant | ns/op | relative to EventQueue | pending events mean / max | same order |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    var jsonVariants: [[String: Any]] = []
    for (v, s, same) in rows {
        let best = s.min()!
        let ns = best / Double(trace.ops.count) * 1e9
        lines.append("| \(v.name) | \(fmt(ns, 2)) | \(fmt(best / base, 2))× | \(fmt(trace.pendingMean, 0)) / \(trace.pendingMax) | \(same ? "yes" : "NO") |")
        jsonVariants.append(["name": v.name, "description": v.description, "nsPerOperation": ns,
                             "relativeToEventQueue": best / base, "minSeconds": best, "seconds": s, "sameOrder": same])
    }
    tables.append(lines.joined(separator: "\n"))
    results.append(["size": size, "years": trace.years, "replication": 0, "eventsProcessed": trace.events,
                    "operations": trace.ops.count, "schedules": trace.schedules, "scheduleSides": trace.sides,
                    "pops": trace.pops, "pendingMean": trace.pendingMean, "pendingMax": trace.pendingMax,
                    "repetitions": repetitions, "variants": jsonVariants])
}

print(tables.joined(separator: "\n\n"))

var cpu = "unknown"
if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
   let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }) {
    cpu = line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? cpu
}
let stamp = ISO8601DateFormatter().string(from: Date())
let json: [String: Any] = ["benchmark": "event-queue", "cpu": cpu, "finishedAt": stamp, "traces": results]
let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
try FileManager.default.createDirectory(at: URL(fileURLWithPath: output).deletingLastPathComponent(),
                                        withIntermediateDirectories: true)
try data.write(to: URL(fileURLWithPath: output), options: .atomic)
FileHandle.standardError.write("wrote \(output)\n".data(using: .utf8)!)
if failed {
    FileHandle.standardError.write("a variant handed out events in a different order\n".data(using: .utf8)!)
    exit(1)
}
