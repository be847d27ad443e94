import Foundation
import Testing
@testable import SagstalStats

/// A small run: 3 period metrics + 1 totals-only, 2 years, 24 months.
func smallLayout(years: Int = 2, metrics: Int = 3) -> MetricLayout {
    MetricLayout(
        periodMetrics: (0..<metrics).map { "m\($0)" },
        totalsOnlyMetrics: ["cost.npv"],
        yearLabels: (0..<years).map { String(2026 + $0) },
        monthLabels: (0..<(12 * years)).map { String(format: "%04d-%02d", 2026 + $0 / 12, $0 % 12 + 1) })
}

/// Deterministic records with spread-out values and some NaNs (metric m1 is a "ratio").
func makeRecords(_ layout: MetricLayout, count n: Int, seed: UInt64) -> [ReplicationRecord] {
    var rng = SplitMix64(seed: seed)
    func value(_ metric: Int) -> Double {
        if metric == 1 && Int.random(in: 0..<4, using: &rng) == 0 { return .nan }
        return Double.random(in: 0..<1000, using: &rng) * Double(metric + 1)
    }
    let m = layout.periodMetrics.count
    return (0..<n).map { r in
        ReplicationRecord(
            replication: r,
            totals: (0..<layout.totalsMetrics.count).map(value),
            yearly: (0..<(layout.yearLabels.count * m)).map { value($0 % m) },
            monthly: (0..<(layout.monthLabels.count * m)).map { value($0 % m) },
            eventsProcessed: 1000 + r)
    }
}

func aggregate(_ layout: MetricLayout, _ records: [ReplicationRecord], budget: Int = RunAggregator.defaultMemoryBudget) throws -> AggregatedRun {
    let agg = try RunAggregator(layout: layout, replications: records.count, memoryBudget: budget)
    for r in records { try agg.add(r) }
    return try agg.finish()
}

@Suite struct RunAggregatorTests {
    @Test(arguments: [7, 99, 123_456] as [UInt64])
    func arrivalOrderDoesNotMatter(seed: UInt64) throws {
        let layout = smallLayout()
        let records = makeRecords(layout, count: 37, seed: seed)
        let inOrder = try aggregate(layout, records)
        var rng = SplitMix64(seed: seed ^ 0xABCD)
        for _ in 0..<3 {
            let shuffled = records.shuffled(using: &rng)
            #expect(try aggregate(layout, shuffled) == inOrder, "seed \(seed)")
        }
    }

    @Test func matchesDirectComputation() throws {
        let layout = smallLayout()
        let n = 25
        let records = makeRecords(layout, count: n, seed: 5)
        let run = try aggregate(layout, records.reversed())
        let m = layout.periodMetrics.count
        #expect(run.replications == n)
        #expect(run.eventsProcessed == (0..<n).reduce(0) { $0 + 1000 + $1 })
        #expect(run.replicationTotals.count == n)
        for (r, row) in run.replicationTotals.enumerated() {
            #expect(zip(row, records[r].totals).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
        }
        for j in layout.totalsMetrics.indices {
            #expect(run.totals[j] == Summaries.summarize(records.map { $0.totals[j] }))
        }
        #expect(run.yearly.count == layout.yearLabels.count && run.monthly.count == layout.monthLabels.count)
        for y in layout.yearLabels.indices {
            for k in 0..<m {
                #expect(run.yearly[y][k] == Summaries.summarize(records.map { $0.yearly[y * m + k] }))
            }
        }
        for mo in layout.monthLabels.indices {
            for k in 0..<m {
                #expect(run.monthly[mo][k] == Summaries.summarize(records.map { $0.monthly[mo * m + k] }))
            }
        }
        // The "ratio" metric lost some replications to NaN.
        #expect(run.yearly[0][1].n < n && run.yearly[0][0].n == n)
    }

    @Test(arguments: [1, 8 * 19 * 5, 8 * 19 * 7 + 3, 8 * 19 * 1000])
    func memoryBudgetDoesNotChangeTheResult(budget: Int) throws {
        let layout = smallLayout(years: 3, metrics: 4)  // 4 × (3 + 36) = 156 columns
        let records = makeRecords(layout, count: 19, seed: 11)
        let reference = try aggregate(layout, records)
        var rng = SplitMix64(seed: 3)
        #expect(try aggregate(layout, records.shuffled(using: &rng), budget: budget) == reference, "budget \(budget)")
    }

    @Test func allEmptyRatioGivesNils() throws {
        let layout = smallLayout(years: 1, metrics: 2)
        let records = (0..<4).map { r in
            ReplicationRecord(replication: r, totals: [1, .nan, 2], yearly: [1, .nan],
                              monthly: Array(repeating: [1, .nan], count: 12).flatMap { $0 }, eventsProcessed: 0)
        }
        let run = try aggregate(layout, records)
        #expect(run.totals[1] == .empty)
        #expect(run.yearly[0][1] == .empty && run.monthly[11][1] == .empty)
        #expect(run.yearly[0][0].mean == 1 && run.yearly[0][0].n == 4)
    }

    @Test func singleReplication() throws {
        let layout = smallLayout(years: 1, metrics: 1)
        let records = makeRecords(layout, count: 1, seed: 1)
        let run = try aggregate(layout, records)
        #expect(run.totals[0].sd == 0 && run.totals[0].ci95Lo == run.totals[0].mean)
    }

    @Test func layoutWithoutPeriods() throws {
        let layout = MetricLayout(periodMetrics: ["a"], totalsOnlyMetrics: [], yearLabels: [], monthLabels: [])
        let records = (0..<3).map { ReplicationRecord(replication: $0, totals: [Double($0)], yearly: [], monthly: [], eventsProcessed: 1) }
        let run = try aggregate(layout, records)
        #expect(run.totals[0].mean == 1 && run.yearly.isEmpty && run.monthly.isEmpty && run.eventsProcessed == 3)
    }

    @Test func rejectsBadRecords() throws {
        let layout = smallLayout()
        let records = makeRecords(layout, count: 3, seed: 2)
        #expect(throws: AggregationError.invalidReplicationCount(0)) {
            try RunAggregator(layout: layout, replications: 0)
        }
        let agg = try RunAggregator(layout: layout, replications: 3)
        try agg.add(records[1])
        #expect(throws: AggregationError.duplicateReplication(1)) { try agg.add(records[1]) }
        let outOfRange = ReplicationRecord(replication: 3, totals: records[0].totals, yearly: records[0].yearly,
                                           monthly: records[0].monthly, eventsProcessed: 0)
        #expect(throws: AggregationError.replicationOutOfRange(3, count: 3)) { try agg.add(outOfRange) }
        let negative = ReplicationRecord(replication: -1, totals: [], yearly: [], monthly: [], eventsProcessed: 0)
        #expect(throws: AggregationError.replicationOutOfRange(-1, count: 3)) { try agg.add(negative) }
        var short = records[0]
        short.yearly.removeLast()
        #expect(throws: AggregationError.shapeMismatch(replication: 0, field: "yearly", expected: 6, found: 5)) {
            try agg.add(short)
        }
        #expect(throws: AggregationError.missingReplications(count: 2, first: [0, 2])) { try agg.finish() }
        try agg.add(records[0])
        try agg.add(records[2])
        _ = try agg.finish()
        #expect(throws: AggregationError.alreadyFinished) { try agg.finish() }
        #expect(throws: AggregationError.alreadyFinished) { try agg.add(records[0]) }
    }

    @Test func leavesNoTemporaryFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sagstal-agg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let layout = smallLayout()
        let agg = try RunAggregator(layout: layout, replications: 4, temporaryDirectory: dir)
        for r in makeRecords(layout, count: 4, seed: 9) { try agg.add(r) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        _ = try agg.finish()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
