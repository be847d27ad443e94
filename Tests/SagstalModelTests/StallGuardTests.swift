import Testing
@testable import SagstalModel
import SagstalScenario

/// Issue 9, row 4: a replication whose simulated time stops advancing is stopped with a
/// clear error instead of looping for ever. (Validation refuses the exact cases — stays of
/// 0 days that can repeat — see `LivelockValidationTests`; this guard stops the rest, such
/// as stays of 10⁻¹² days, which pass validation.)
@Suite struct StallGuardTests {
    /// Prevention stays last about 10⁻¹² days and are mostly repeated.
    static func zeno() -> Scenario {
        var s = Fixtures.rich(years: 1)
        s.ladder[0].duration = .gammaMeanSD(mean: 1e-12, sd: 1e-12)
        s.ladder[0].next = Transitions(up: 0, down: 0, exit: 0.000001)
        return s
    }

    @Test func aReplicationThatStopsAdvancingIsStopped() throws {
        let r = try Replication(try CompiledScenario(Self.zeno()), index: 0)
        r.stallLimitForTests = 200_000
        #expect {
            _ = try r.run()
        } throws: { error in
            // The first prevention stay starts in the warm-up (half a year before the start).
            guard case let ReplicationError.stalled(replication, day, at, events) = error else { return false }
            return replication == 0 && events == 200_001 && day >= -182.625 && day < 366 && at.hasPrefix("202")
        }
    }

    @Test func theMessageSaysWhatToLookFor() {
        let e = ReplicationError.stalled(replication: 3, day: 12.5, at: "2026-01-13T12:00:00", events: 10_000_001)
        #expect(e.description.hasPrefix("replication 3 stopped: simulated time stopped advancing at 2026-01-13T12:00:00 (10000001 events"))
        #expect(e.description.contains("durations of (nearly) 0 days"))
    }

    /// The guard does not fire on a busy but healthy run: the rich fixture's start (initial
    /// stock and staff all at one instant) stays far below even a limit of 2,000 events.
    @Test func aHealthyRunIsNotStopped() throws {
        let r = try Replication(try CompiledScenario(Fixtures.bands(years: 2)), index: 1)
        r.stallLimitForTests = 2_000
        _ = try r.run()
    }
}
