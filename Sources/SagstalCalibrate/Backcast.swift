import Foundation
import SagstalModel
import SagstalRunner
import SagstalScenario
import SagstalStats

/// One observed figure against the forecast made from the past start (docs/calibrate.md).
public struct BackcastRow: Sendable, Equatable {
    public let target: Target
    /// The simulated yearly value over the replications: mean, 95 % CI of the mean, 5–95 %.
    public let forecast: MetricSummary
    /// Whether the year was used to calibrate (`--fit` with `--cutoff`): in-sample, not a test.
    public let inSample: Bool

    public var error: Double { (forecast.mean ?? .nan) - target.value }
    public var relativeError: Double { target.value != 0 ? error / abs(target.value) : .nan }
    /// The observed value lies in the 90 % band of the replications (5th–95th percentile).
    public var inBand: Bool {
        guard let lo = forecast.p5, let hi = forecast.p95 else { return false }
        return lo <= target.value && target.value <= hi
    }
}

public struct BackcastResult: Sendable {
    public let scenario: Scenario
    public let targetsFile: String
    public let from: CalendarDate
    /// The first year scored out of sample (nil without `--cutoff`).
    public let cutoff: Int?
    public let rows: [BackcastRow]
    /// The calibration on the years before the cut-off, when asked for.
    public let calibration: CalibrationResult?
    public let notes: [String]
    public let eventsProcessed: Int
    public let wallSeconds: Double

    /// The rows that are a test of the forecast: all of them, or those from the cut-off on.
    public var scored: [BackcastRow] { rows.filter { !$0.inSample } }
    /// Share of the scored observations inside their 90 % band (0.9 expected for a well-calibrated model).
    public var coverage: Double { scored.isEmpty ? .nan : Double(scored.filter(\.inBand).count) / Double(scored.count) }
    /// Mean absolute relative error of the scored rows.
    public var meanAbsoluteRelativeError: Double {
        let xs = scored.map { abs($0.relativeError) }.filter(\.isFinite)
        return xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count)
    }
}

/// `sagstal backcast`: start the scenario at a past date (its `initial` stocks are the stocks known
/// then), simulate to the last observed year, and score the forecast against what happened; with
/// `--fit … --cutoff Y`, calibrate on the years before Y and score the years from Y on.
public enum BackcastJob {
    /// The overrides that move the run to start at `from` and end with the last observed year.
    public static func overrides(from: CalendarDate, targets: [Target], to lastYear: Int? = nil) throws -> [String] {
        let last = lastYear ?? targets.map(\.year).max() ?? from.year
        guard last >= from.year else {
            throw CalibrationInputError("no observed year at or after \(from) (the targets end in \(last)); start earlier")
        }
        // Budget years run from the start date: whole years to the end of the last observed one.
        let end = CalendarDate(year: last + 1, month: from.month, day: from.day)
        let years = (end.days(since: from) / 365.25 * 1e6).rounded() / 1e6
        return ["simulation.start=\(from)", "simulation.years=\(ScenarioEmitter.numberText(years))"]
    }

    public static func run(_ request: ScenarioRequest, from: CalendarDate, targets: [Target], targetsFile: String,
                           fit: [String] = [], cutoff: Int? = nil, settings: CalibrationSettings = CalibrationSettings(),
                           jobs: Int, progress: CalibrationJob.Progress? = nil, cancellation: Cancellation? = nil) throws -> BackcastResult {
        let clock = ContinuousClock()
        let started = clock.now
        var request = request
        request.overrides += try overrides(from: from, targets: targets)
        var notes: [String] = []
        var calibration: CalibrationResult?
        var scenario: Scenario
        var events = 0
        if !fit.isEmpty {
            guard let cutoff else { throw CalibrationInputError("--fit needs --cutoff YEAR: the years before it calibrate, the years from it on are scored") }
            let before = targets.filter { $0.year < cutoff }
            guard !before.isEmpty else { throw CalibrationInputError("--cutoff \(cutoff): no target before it to calibrate on") }
            guard targets.contains(where: { $0.year >= cutoff }) else { throw CalibrationInputError("--cutoff \(cutoff): no target from it on to score") }
            let plan = try CalibrationPlan(request: request, fit: fit, targets: before, targetsFile: targetsFile)
            let result = try CalibrationJob.run(plan, settings: settings, jobs: jobs, progress: progress, cancellation: cancellation)
            calibration = result
            notes += plan.notes
            events += result.eventsProcessed
            scenario = try plan.model.scenarios(at: result.estimates.map { Optional($0) })[0]
        } else {
            if cutoff != nil { notes.append("--cutoff without --fit: every year is scored (nothing is calibrated)") }
            scenario = try request.load().scenario
        }
        let compiled = try CompiledScenario(scenario)
        let run = try SimulationRunner.run(compiled, replications: scenario.simulation.replications, jobs: jobs, cancellation: cancellation)
        events += run.eventsProcessed
        let (kept, located) = try TargetsReader.locate(targets, file: targetsFile, metrics: run.layout.periodMetrics, years: run.layout.yearLabels)
        for n in located where !notes.contains(n) { notes.append(n) }
        let rows = kept.map { k in
            BackcastRow(target: k.target, forecast: run.yearly[k.year][k.metric], inSample: calibration != nil && k.target.year < (cutoff ?? .min))
        }
        let elapsed = clock.now - started
        return BackcastResult(scenario: scenario, targetsFile: targetsFile, from: from, cutoff: calibration != nil ? cutoff : nil, rows: rows,
                              calibration: calibration, notes: notes, eventsProcessed: events,
                              wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
}
