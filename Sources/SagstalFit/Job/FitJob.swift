import Foundation

/// `sagstal fit EPISODES.csv --scenario S.yaml`: durations, transitions and assessment outcomes
/// estimated from a municipality's own stays (docs/fit.md).
///
/// Per ladder step and for assessments: the Kaplan–Meier survival of the stays, censored
/// maximum-likelihood fits of the four duration families with their AIC, the chosen (lowest-AIC)
/// fit; per step the shares of the observed endings that moved up, down, out (`exit`) or
/// started a new sojourn on the same step (`stay`), with Wilson 95 % CIs; for assessments the
/// outcome shares (close, or the step the child went to).
public struct PhaseFit: Sendable {
    public let records: PhaseRecords
    public let kaplanMeier: KaplanMeier?
    /// Sorted by AIC; empty when there are too few observed stays.
    public let fits: [DurationFit]
    /// The shares of the observed endings, by ending (up, down, stay, exit; close, toStep:ID).
    public let shares: [(ending: String, share: Proportion)]
    public let warnings: [String]

    public var chosen: DurationFit? { fits.first }
}

public struct FitSettings: Sendable, Equatable {
    /// Fewer observed stays than this: a warning, and no fit (the scenario's own value is kept).
    public var minimumObserved = 20
    public init() {}
}

public struct FitRun: Sendable {
    public let file: EpisodeFile
    public let phases: [PhaseFit]
    /// Case openings per year, growth, seasonality and ages (nil: too few openings in the records).
    public let arrivals: ArrivalFit?
    public let warnings: [String]
}

public enum FitJob {
    public static let ladderEndings = ["up", "down", "stay", "exit"]

    public static func run(_ file: EpisodeFile, settings: FitSettings = FitSettings(),
                           by grouping: EpisodeSummary.Grouping = .step) -> FitRun {
        var warnings: [String] = []
        let phases = EpisodeSummary.phases(file, by: grouping).map { records -> PhaseFit in
            var w: [String] = []
            let stays = zip(records.days, records.observed).map { Stay(duration: $0, observed: $1) }
            let observed = records.observed.filter { $0 }.count
            let km = try? KaplanMeier(stays)
            var fits: [DurationFit] = []
            if observed < settings.minimumObserved {
                w.append("\(records.name): only \(observed) stays with an observed end (\(records.n) in all); at least \(settings.minimumObserved) are needed for a fit, so the scenario's own duration is kept")
            } else {
                let positive = stays.filter { $0.duration > 0 }
                if positive.count < stays.count {
                    w.append("\(records.name): \(stays.count - positive.count) stays of length 0 left out of the duration fit")
                }
                do { fits = try DurationFitter.fitAll(positive) } catch {
                    w.append("\(records.name): no duration fit (\(error))")
                }
            }
            // Shares of the observed endings that belong to the phase's own transitions.
            let relevant: [String]
            if records.kind == .assessment {
                relevant = records.endings.keys.filter { $0 == "close" || $0.hasPrefix("toStep:") }.sorted()
            } else if records.kind == .waiting {
                relevant = []
            } else {
                relevant = ladderEndings
            }
            let total = relevant.reduce(0) { $0 + (records.endings[$1] ?? 0) }
            let shares = total > 0 ? relevant.map { ($0, Proportion.wilson(records.endings[$0] ?? 0, total)) } : []
            if total > 0 && total < settings.minimumObserved {
                w.append("\(records.name): the transition shares rest on \(total) observed endings only")
            }
            warnings += w
            return PhaseFit(records: records, kaplanMeier: km, fits: fits, shares: shares, warnings: w)
        }
        var arrivals: ArrivalFit?
        do { arrivals = try Arrivals.fit(file) } catch { warnings.append("case openings: no fit (\(error))") }
        if arrivals == nil { warnings.append("case openings: fewer than 12 in the records; the scenario's notification rate is kept") }
        return FitRun(file: file, phases: phases, arrivals: arrivals, warnings: warnings)
    }
}
