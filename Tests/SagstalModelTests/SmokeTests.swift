import Testing
@testable import SagstalModel
import SagstalScenario

@Suite struct SmokeTests {
    @Test func richScenarioRunsAndPrints() throws {
        let r = try Fixtures.run(Fixtures.rich())
        for (i, name) in r.layout.totalsMetrics.enumerated() {
            print(name, r.record.totals[i])
        }
        print("events", r.record.eventsProcessed)
        #expect(r.record.eventsProcessed > 1000)
    }
}
