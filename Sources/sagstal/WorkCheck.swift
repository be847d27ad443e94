import ArgumentParser
import Foundation
import SagstalRunner
import SagstalScenario

/// `--force`: run even when the work estimate says the run would take more than an hour or
/// more memory than the machine has (issue 9, row 12).
struct ForceOption: ParsableArguments {
    @Flag(help: "Run even if the pre-run estimate says it would take more than an hour or more memory than this machine has, and replace an output folder that holds a different run.")
    var force = false
}

enum WorkCheck {
    /// Estimates the run (all scenarios of a compare or sweep together) before it starts.
    /// Refuses one that is too large with exit 65 unless `force`; prints the estimate on
    /// stderr when the run will take more than a minute.
    /// - Parameter label: what the estimate is of, in the note (`optimise` estimates its worst case).
    /// - Parameter fewer: how to ask for less work, in the refusal.
    static func confirm(_ scenarios: [Scenario], jobs: Int, force: Bool, quiet: Bool, label: String = "this run",
                        fewer: String = "fewer replications (-n)") throws {
        guard let estimate = WorkEstimate.total(scenarios.map { WorkEstimate($0, jobs: jobs) }) else { return }
        if let why = estimate.refusal(jobs: jobs) {
            if force {
                if !quiet { Terminal.printError("note: \(why); running anyway (--force)") }
                return
            }
            Terminal.printError("error: \(why). Use \(fewer), a shorter horizon (--years) or more threads (-j), "
                                + "or add --force to run anyway (the estimate is in docs/model.md, Limits)")
            throw Terminal.invalidScenario
        }
        if !quiet, estimate.seconds(jobs: jobs) > 60 { Terminal.printError("note: \(label): \(estimate.summary(jobs: jobs))") }
    }

    /// A note with the estimate of `scenarios` when it is more than a minute (nil otherwise), for
    /// work that may or may not happen (the worst case of `optimise`).
    static func note(_ scenarios: [Scenario], jobs: Int, label: String) -> String? {
        guard let estimate = WorkEstimate.total(scenarios.map { WorkEstimate($0, jobs: jobs) }),
              estimate.seconds(jobs: jobs) > 60 else { return nil }
        return "note: \(label): \(estimate.summary(jobs: jobs))"
    }
}
