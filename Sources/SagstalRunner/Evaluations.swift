import Foundation
import SagstalModel
import SagstalStats

/// Many evaluations of a model on the same replications: the engine under `sensitivity`,
/// `threshold` and `optimise`.
///
/// An evaluation is one or more compiled scenarios (a baseline and an alternative for paired
/// outputs). Replication r of every scenario of every evaluation is seeded from (seed, r) alone,
/// so all evaluations see the same children and caseworkers (common random numbers) as long as
/// they share `simulation.seed`. The (evaluation, replication) pairs run on `jobs` threads; each
/// replication's records are reduced at once by `extract` to a few numbers, stored by
/// (evaluation, replication) index, so the result does not depend on `jobs` or on the order in
/// which the pairs finish, and memory holds evaluations × replications × outputs numbers.
public enum Evaluations {
    /// The numbers of a batch of evaluations.
    public struct Results: Sendable {
        public let evaluations: Int
        public let replications: Int
        public let outputs: Int
        /// `values[(e * replications + r) * outputs + o]`.
        public let values: [Double]
        public let eventsProcessed: Int
        public let wallSeconds: Double

        /// Output `o` of evaluation `e`, one value per replication (replication order).
        public func series(_ e: Int, _ o: Int) -> [Double] {
            (0..<replications).map { values[(e * replications + $0) * outputs + o] }
        }

        /// Mean, sd and 95 % CI of output `o` of evaluation `e` over the replications.
        public func summary(_ e: Int, _ o: Int) -> MetricSummary { Summaries.summarize(series(e, o)) }

        /// Output `o` of evaluation `e` minus that of evaluation `f`, per replication (paired).
        public func difference(_ e: Int, _ f: Int, _ o: Int) -> [Double] {
            zip(series(e, o), series(f, o)).map { $0 - $1 }
        }
    }

    /// Runs `evaluations` (each a list of compiled scenarios) for replications `0..<replications`.
    ///
    /// - Parameters:
    ///   - extract: reduces the records of one replication (one per scenario of the evaluation,
    ///     in order) to `outputs` numbers. Runs on worker threads.
    ///   - progress: called (serialised) with the number of evaluations whose replications are all done.
    /// - Throws: the first error of a replication or of `extract` (a wrong count), ``Interrupted``.
    public static func run(_ evaluations: [[CompiledScenario]], replications: Int, outputs: Int, jobs: Int,
                           extract: @escaping @Sendable (_ evaluation: Int, _ records: [ReplicationRecord]) throws -> [Double],
                           progress: (@Sendable (Int) -> Void)? = nil,
                           cancellation: Cancellation? = nil) throws -> Results {
        let clock = ContinuousClock()
        let started = clock.now
        let n = replications
        let count = evaluations.count * n
        var values = [Double](repeating: .nan, count: count * outputs)
        var remaining = [Int](repeating: n, count: evaluations.count)
        var complete = 0
        var events = 0
        try SimulationRunner.forEachReplication(count, jobs: jobs, cancellation: cancellation, work: { i -> (Int, [Double], Int) in
            let e = i / n, r = i % n
            let records = try evaluations[e].map { try Replication($0, index: r).run() }
            let out = try extract(e, records)
            guard out.count == outputs else { throw EvaluationError.wrongOutputCount(expected: outputs, found: out.count) }
            return (i, out, records.reduce(0) { $0 + $1.eventsProcessed })
        }, deliver: { item in
            let (i, out, ev) = item
            for o in 0..<outputs { values[i * outputs + o] = out[o] }
            events += ev
            let e = i / n
            remaining[e] -= 1
            if remaining[e] == 0 {
                complete += 1
                progress?(complete)
            }
        })
        let elapsed = clock.now - started
        return Results(evaluations: evaluations.count, replications: n, outputs: outputs, values: values,
                       eventsProcessed: events,
                       wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
}

public enum EvaluationError: Error, CustomStringConvertible, Equatable {
    case wrongOutputCount(expected: Int, found: Int)
    case unknownMetric(String, known: [String])

    public var description: String {
        switch self {
        case .wrongOutputCount(let e, let f): return "internal error: an evaluation gave \(f) outputs, expected \(e)"
        case .unknownMetric(let m, let known):
            let close = known.filter { $0.lowercased().contains(m.lowercased()) || m.lowercased().contains($0.lowercased()) }.prefix(5)
            let hint = close.isEmpty ? "see summary.csv of a run for the names" : "did you mean \(close.joined(separator: ", "))?"
            return "unknown metric '\(m)': \(hint)"
        }
    }
}

/// What an evaluation reports: a metric of one scenario, or a paired difference of a metric
/// between an alternative and its baseline.
public struct OutputSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The metric's total over the horizon in the (only) scenario.
        case total
        /// Alternative − baseline (e.g. net cost).
        case difference
        /// Baseline − alternative (e.g. placements avoided).
        case avoided
    }

    public let name: String
    public let metric: String
    public let kind: Kind

    public init(name: String, metric: String, kind: Kind) {
        self.name = name
        self.metric = metric
        self.kind = kind
    }

    /// The default outputs: cost.total and placementsStarted; with a baseline, net cost
    /// (alternative − baseline cost.total) and placements avoided (baseline − alternative).
    public static func defaults(paired: Bool) -> [OutputSpec] {
        paired
            ? [OutputSpec(name: "netCost", metric: "cost.total", kind: .difference),
               OutputSpec(name: "placementsAvoided", metric: "placementsStarted", kind: .avoided)]
            : [OutputSpec(name: "cost.total", metric: "cost.total", kind: .total),
               OutputSpec(name: "placementsStarted", metric: "placementsStarted", kind: .total)]
    }

    /// A metric chosen on the command line: its total, or with a baseline its difference
    /// (alternative − baseline) named `Δmetric`.
    public static func metric(_ m: String, paired: Bool) -> OutputSpec {
        paired ? OutputSpec(name: "Δ" + m, metric: m, kind: .difference) : OutputSpec(name: m, metric: m, kind: .total)
    }

    /// An extractor for `specs` given the layouts of the scenarios of an evaluation (1 or 2).
    /// - Throws: `EvaluationError.unknownMetric` when a layout lacks a metric.
    public static func extractor(_ specs: [OutputSpec], layouts: [MetricLayout]) throws -> @Sendable ([ReplicationRecord]) -> [Double] {
        let indices: [[Int]] = try layouts.map { layout in
            try specs.map { spec in
                guard let i = layout.totalsMetrics.firstIndex(of: spec.metric) else {
                    throw EvaluationError.unknownMetric(spec.metric, known: layout.totalsMetrics)
                }
                return i
            }
        }
        return { records in
            specs.enumerated().map { o, spec in
                switch spec.kind {
                case .total: return records[0].totals[indices[0][o]]
                case .difference: return records[1].totals[indices[1][o]] - records[0].totals[indices[0][o]]
                case .avoided: return records[0].totals[indices[0][o]] - records[1].totals[indices[1][o]]
                }
            }
        }
    }
}
