import Foundation
import Testing
import SagstalModel
import SagstalRunner
import SagstalScenario

/// Issue 9, row 12: the pre-run work estimate that refuses runs of hours (or of more memory
/// than the machine has) unless `--force` is given.
@Suite struct WorkEstimateTests {
    /// On every shipped scenario, the estimate is within −25 % … +50 % of the events a real
    /// replication processes (3 replications of the scenario's own horizon).
    @Test(arguments: scenarioFiles().filter { !$0.hasPrefix("base/") })
    func theEstimateIsWithinAFactorOfTwo(file: String) throws {
        let loaded = try ScenarioRequest(path: scenariosFolder.appendingPathComponent(file).path, replications: 3).load()
        let run = try SimulationRunner.run(try CompiledScenario(loaded.scenario), replications: 3, jobs: 2)
        let estimate = WorkEstimate(loaded.scenario, jobs: 2)
        let ratio = estimate.events / Double(run.eventsProcessed)
        #expect(ratio > 0.75 && ratio < 1.5, "\(file): estimated \(estimate.events), processed \(run.eventsProcessed), ratio \(ratio)")
    }

    static func example(_ overrides: [String]) throws -> Scenario {
        try ScenarioLoader.load(path: scenariosFolder.appendingPathComponent("example.yaml").path, overrides: overrides).scenario
    }

    @Test func theShippedScenariosNeedNoForce() throws {
        for file in scenarioFiles() where !file.hasPrefix("base/") {
            let s = try ScenarioLoader.load(path: scenariosFolder.appendingPathComponent(file).path).scenario
            #expect(WorkEstimate(s, jobs: 2).refusal(jobs: 2) == nil, "\(file)")
        }
    }

    /// `perYear: 10⁷` (the limit) for 100 years: refused, with the time in the message.
    @Test func aRunOfDaysIsRefused() throws {
        let s = try Self.example(["notifications.perYear=1e7", "notifications.growthPerYear=0", "simulation.years=100"])
        let e = WorkEstimate(s, jobs: 2)
        let why = try #require(e.refusal(jobs: 2))
        #expect(why.contains("events") && (why.contains("hours") || why.contains("days")), "\(why)")
    }

    /// A million replications of a 100-year horizon: hours on 2 threads.
    @Test func aMillionReplicationsAreRefused() throws {
        let s = try Self.example(["simulation.replications=1000000", "simulation.years=100"])
        #expect(WorkEstimate(s, jobs: 2).refusal(jobs: 2) != nil)
    }

    /// Memory: the peak number of children at once, on each thread.
    @Test func moreMemoryThanTheMachineHasIsRefused() throws {
        let s = try Self.example(["initial.foster=1900000", "simulation.years=1"])
        let e = WorkEstimate(s, jobs: 2)
        #expect(e.peakChildren >= 1_900_000)
        let why = try #require(e.refusal(jobs: 2, memory: 1e9))
        #expect(why.contains("memory"), "\(why)")
        #expect(e.refusal(jobs: 2, memory: 64e9, maxSeconds: .infinity) == nil)
    }

    /// Stays of a thousandth of a day on a step nobody leaves before ageing out: the estimate
    /// explodes (the engine's stall guard would only catch stays of less than 10⁻⁶ days).
    /// The same stays on a step most children leave after one or two stays are cheap.
    @Test func tinyRepeatedStaysAreRefused() throws {
        let never = try Self.example(["ladder.prevention.duration=0.001", "ladder.prevention.next={up: 0, exit: 0}"])
        #expect(WorkEstimate(never, jobs: 2).refusal(jobs: 2) != nil)
        let passing = try Self.example(["ladder.prevention.duration=0.001"])
        #expect(WorkEstimate(passing, jobs: 2).refusal(jobs: 2) == nil)
    }

    @Test func compareAndSweepAddUp() throws {
        let a = WorkEstimate(try Self.example([]), jobs: 2)
        let t = try #require(WorkEstimate.total([a, a, a]))
        #expect(abs(t.events - 3 * a.events) < 1e-6 * a.events)
        #expect(t.replications == 3 * a.replications)
        #expect(t.bytes == a.bytes)
    }
}
