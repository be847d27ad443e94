import Foundation
import SagstalScenario

/// The scenario fragment `sagstal fit` writes: `extends:` the scenario the records belong to, and
/// gives its whole ladder (lists replace in `extends`, so every step is written, its name,
/// placement and cost copied from the scenario) with the fitted durations and transitions, and the
/// fitted assessment duration and outcomes. Every fitted value has a provenance comment (stays,
/// censored share, AIC of each family, CIs); a value the records cannot give keeps the scenario's
/// own and says so.
public enum FitFragment {
    /// Steps in the records that the scenario's ladder does not have (each with the line of its first row).
    public static func unknownSteps(_ file: EpisodeFile, scenario: Scenario) -> [EpisodeFileError] {
        let known = Set(scenario.ladder.map(\.id))
        var seen: Set<String> = []
        var out: [EpisodeFileError] = []
        for e in file.episodes where e.phase == .ladder {
            guard let s = e.step, !known.contains(s), seen.insert(s).inserted else { continue }
            out.append(EpisodeFileError(file: file.path, line: e.line, column: "step",
                                        message: "unknown step '\(s)': the scenario's ladder has \(scenario.ladder.map(\.id).joined(separator: ", "))"))
        }
        return out
    }

    static func g(_ x: Double) -> String {
        for digits in 4...17 {
            let s = String(format: "%.\(digits)g", x)
            if abs((Double(s) ?? .nan) - x) <= 1e-6 * abs(x) { return s }
        }
        return String(format: "%.17g", x)
    }

    /// The fitted distribution in the scenario's parametrisation of the family.
    public static func distribution(_ f: DurationFit) -> DistributionSpec {
        let p = f.parameters
        switch f.family {
        case .exponential: return .exponential(mean: p["mean"]!)
        case .gamma: return .gammaShapeScale(shape: p["shape"]!, scale: p["scale"]!)
        case .lognormal: return .lognormalMuSigma(mu: p["mu"]!, sigma: p["sigma"]!)
        case .weibull: return .weibull(shape: p["shape"]!, scale: p["scale"]!)
        }
    }

    static func provenance(_ phase: PhaseFit) -> [String] {
        let r = phase.records
        var lines = ["# fit: \(r.n) stays, \(r.censored) still running at the end of the records (\(String(format: "%.0f", 100 * r.censoredShare)) % censored)"]
        if let c = phase.chosen {
            let aics = phase.fits.map { "\($0.family.rawValue) \(String(format: "%.1f", $0.aic))" }.joined(separator: ", ")
            lines.append("# fit: chosen \(c.family.rawValue) by AIC (\(aics))")
            let cis = c.ci95.keys.sorted().map { k in "\(k) \(g(c.parameters[k]!)) (95 % CI \(g(c.ci95[k]!.lower))–\(g(c.ci95[k]!.upper)))" }
            lines.append("# fit: " + cis.joined(separator: "; "))
            if let naive = r.naiveMeanOfClosed, let mean = c.parameters["mean"] {
                lines.append("# fit: fitted mean \(String(format: "%.0f", mean)) days; the mean of the closed stays alone would be \(String(format: "%.0f", naive)) days")
            }
        }
        return lines
    }

    public static func yaml(_ run: FitRun, scenario: Scenario, extends path: String, toolVersion: String) -> String {
        var out = "# Fitted by sagstal \(toolVersion) fit from \(run.file.path) (\(run.file.episodes.count) stays).\n"
        out += "# Use it as the scenario, or extend it. Values the records could not give are the scenario's own.\n"
        out += "extends: \(path)\n\n"
        let byName = Dictionary(run.phases.map { ($0.records.name, $0) }, uniquingKeysWith: { a, _ in a })
        out += "ladder:\n"
        for step in scenario.ladder {
            let fit = byName[step.id]
            var duration = ScenarioEmitter.distributionText(step.duration)
            var next = step.next
            var comments: [String] = []
            if let fit, let chosen = fit.chosen {
                duration = ScenarioEmitter.distributionText(distribution(chosen))
                comments += provenance(fit)
            } else {
                comments.append("# fit: duration kept from \(path) (\(fit.map { "\($0.records.n) stays, too few observed ends" } ?? "no stays in the records"))")
            }
            if let fit, !fit.shares.isEmpty {
                let share = Dictionary(fit.shares.map { ($0.ending, $0.share) }, uniquingKeysWith: { a, _ in a })
                let n = fit.shares.first!.share.n
                next = Transitions(up: share["up"]?.estimate ?? 0, down: share["down"]?.estimate ?? 0, exit: share["exit"]?.estimate ?? 0)
                comments.append("# fit: next from \(n) observed endings: " + ["up", "down", "stay", "exit"].compactMap { k in
                    share[k].map { "\(k) \(g($0.estimate)) (Wilson 95 % CI \(g($0.lower))–\(g($0.upper)))" }
                }.joined(separator: ", "))
            } else {
                comments.append("# fit: next kept from \(path)")
            }
            out += comments.map { "  " + $0 + "\n" }.joined()
            out += "  - {id: \(step.id), name: \(ScenarioEmitter.scalarText(step.name)), placement: \(step.placement), costPerYear: \(ScenarioEmitter.numberText(step.costPerYear)), "
                + "duration: \(duration), next: {up: \(ScenarioEmitter.numberText(next.up)), down: \(ScenarioEmitter.numberText(next.down)), exit: \(ScenarioEmitter.numberText(next.exit))}}\n"
        }
        if let arr = run.arrivals {
            // Notifications that open a case: not about a child with an open case, and screened in.
            // With screened-out notifications in the records, the share that opens a case is theirs.
            let opensCase = arr.screening?.estimate ?? scenario.screening.opensCase
            // New-child notifications per case opening: 1/opensCase reach screening for each
            // opening, and the ones outreach resolved first never did (resolved per opening).
            let resolvedPerOpening = Double(arr.outreachResolved) / Double(arr.openings)
            let opens = 1 / (1 / opensCase + resolvedPerOpening) * (1 - scenario.notifications.concernsOpenCase)
            let startDays = run.file.calendarTimes ? EpisodeReader.isoDays(scenario.simulation.start.description) ?? arr.from : arr.from
            let rate = arr.rate(at: startDays)
            if let s = arr.screening {
                out += "\nscreening:\n"
                out += "  # fit: \(s.successes) of \(s.n) screened notifications in the records opened a case (Wilson 95 % CI \(g(s.lower))–\(g(s.upper))); the rest are the file's screened-out notifications\n"
                out += "  opensCase: \(ScenarioEmitter.numberText((s.estimate * 1e4).rounded() / 1e4))\n"
            }
            out += "\nnotifications:\n"
            out += "  # fit: \(arr.openings) case openings in the records, \(g(arr.ratePerYear)) a year at the start of the records (95 % CI \(g(arr.rateCI.lower))–\(g(arr.rateCI.upper))), Poisson trend\n"
            let source = arr.screening != nil ? "screening.opensCase fitted, notifications.concernsOpenCase from \(path)"
                : "screening.opensCase and notifications.concernsOpenCase from \(path): the records hold no screened-out notifications"
            let outreach = arr.outreachResolved > 0 ? " + \(arr.outreachResolved) resolved by outreach before screening / \(arr.openings) openings" : ""
            out += "  # fit: perYear = openings a year at \(scenario.simulation.start) × (1 / opensCase\(outreach)) / (1 − concernsOpenCase) = / \(g(opens)) (\(source))\n"
            out += "  perYear: \(ScenarioEmitter.numberText(rate / opens))\n"
            out += "  # fit: growth \(g(arr.growthPerYear)) a year (95 % CI \(g(arr.growthCI.lower))–\(g(arr.growthCI.upper)))\n"
            out += "  growthPerYear: \(ScenarioEmitter.numberText(arr.growthPerYear))\n"
            if let season = arr.seasonality, let counts = arr.monthCounts {
                out += "  # fit: openings per calendar month \(counts.map(String.init).joined(separator: ", ")), over the trend's expectation, mean 1\n"
                out += "  seasonality: [\(season.map { ScenarioEmitter.numberText(($0 * 1000).rounded() / 1000) }.joined(separator: ", "))]\n"
            }
            out += "\nchildren:\n"
            out += "  # fit: age in whole years when the case opened, \(arr.openings) children\n"
            let ages = arr.ageShares.enumerated().filter { $0.element > 0 }
            out += "  ageAtNotification: {dist: empirical, values: [\(ages.map { String($0.offset) }.joined(separator: ", "))], weights: [\(ages.map { ScenarioEmitter.numberText(($0.element * 1e4).rounded() / 1e4) }.joined(separator: ", "))]}\n"
        }
        if let a = byName["assessment"] {
            out += "\nassessment:\n"
            if let c = a.chosen {
                out += provenance(a).map { "  " + $0 + "\n" }.joined()
                out += "  duration: \(ScenarioEmitter.distributionText(distribution(c)))\n"
            }
            if !a.shares.isEmpty {
                out += "  # fit: outcome shares of \(a.shares.first!.share.n) assessments with an observed end (Wilson 95 % CIs): "
                    + a.shares.map { "\($0.ending.replacingOccurrences(of: "toStep:", with: "")) \(g($0.share.lower))–\(g($0.share.upper))" }.joined(separator: ", ") + "\n"
                out += "  outcome: {" + a.shares.map { "\($0.ending.replacingOccurrences(of: "toStep:", with: "")): \(g($0.share.estimate))" }.joined(separator: ", ") + "}\n"
            }
        }
        return out
    }
}
