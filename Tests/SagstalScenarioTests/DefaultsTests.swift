import Foundation
import Testing
@testable import SagstalScenario

@Suite struct DefaultsTests {
    /// A file with only `ladder` and `teams` gets every default listed in MODEL.md §7.
    @Test func minimalFileGetsEveryModelDefault() throws {
        let loaded = try ScenarioLoader.load(yaml: minimalYAML, file: "Scenarios/example.yaml")
        let s = loaded.scenario
        #expect(loaded.sourceFiles == ["Scenarios/example.yaml"])
        #expect(s.name == "example")

        #expect(s.simulation.start == CalendarDate(year: 2026, month: 1, day: 1))
        #expect(s.simulation.years == 10)
        #expect(s.simulation.warmupYears == 0)
        #expect(s.simulation.replications == 100)
        #expect(s.simulation.seed == 1)
        #expect(s.simulation.generator == "mt19937")

        #expect(s.notifications.perYear == 0)
        #expect(s.notifications.growthPerYear == 0)
        #expect(s.notifications.seasonality == Array(repeating: 1, count: 12))
        #expect(s.notifications.concernsOpenCase == 0)
        #expect(s.notifications.escalateOnRenotification == 0)
        #expect(s.screening.opensCase == 1)

        #expect(s.assessment.duration == .fixed(0))
        #expect(s.assessment.outcome == [OutcomeWeight("close", 1)])
        #expect(s.assessment.deadlineDays == 121.75)
        #expect(s.assessment.cost == 0)

        #expect(s.caseload.reference == 30)
        #expect(s.caseload.casesCountedAs == .children)
        #expect(s.caseload.childrenPerFamily == 1)
        #expect(s.caseload.elasticity == Elasticities(escalate: 0, deescalate: 0, close: 0, duration: 0))

        #expect(s.teams.count == 1)
        let team = s.teams[0]
        #expect(team.id == "east" && team.caseworkers == 2 && team.cap == 20)
        #expect(team.share == 1)
        #expect(team.policy == .overflow)
        #expect(team.method == MethodMultipliers(escalate: 1, deescalate: 1, close: 1, duration: 1))

        #expect(s.ladder.map(\.id) == ["prevention", "foster"])
        let step = s.ladder[0]
        #expect(step.name == "prevention")
        #expect(step.placement == false)
        #expect(step.costPerYear == 0)
        #expect(step.duration == .fixed(100))
        #expect(step.next == Transitions(up: 0, down: 0, exit: 0))

        #expect(s.staff.costPerYear == 0)
        #expect(s.staff.recruitmentCost == 0)
        #expect(s.staff.turnover == Turnover(perYear: 0, overloadElasticity: 0))
        #expect(s.staff.recruitment == .fixed(0))
        #expect(s.staff.rampUp == RampUp(days: 0, capShare: 1))
        #expect(s.staff.changes.isEmpty)

        #expect(s.outreach == nil)
        #expect(s.initial.isEmpty)

        #expect(s.children.ageOut == 18)
        #expect(s.children.ageAtNotification == .empirical(values: (0...17).map(Double.init),
                                                           weights: Array(repeating: 1, count: 18)))
        #expect(s.costs.discountRate == 0)
        #expect(s.costs.oneOff.isEmpty)
    }

    @Test func outreachDefaultsWhenOnlyWorkersAreGiven() throws {
        let s = try ScenarioLoader.load(yaml: minimalYAML + "outreach: {workers: 2}\n").scenario
        #expect(s.outreach == OutreachSettings(workers: 2, coursesPerWorker: 1, reach: 1, duration: .fixed(0),
                                               resolves: 0, costPerCourse: 0, costPerWorkerYear: 0))
    }

    @Test func emptySectionsMeanDefaults() throws {
        let s = try ScenarioLoader.load(yaml: minimalYAML + "staff:\nsimulation:\ncosts: {oneOff: []}\noutreach:\n").scenario
        #expect(s.staff == StaffSettings())
        #expect(s.simulation == SimulationSettings())
        #expect(s.outreach == nil)
    }

    @Test func nameDefaultsToTheFileBaseName() throws {
        let dir = try TempDir()
        defer { dir.cleanUp() }
        let path = try dir.write("Varige Spor.v2.yaml", minimalYAML)
        #expect(try ScenarioLoader.load(path: path).scenario.name == "Varige Spor.v2")
        let named = try dir.write("named.yaml", "name: Aalborg 30\n" + minimalYAML)
        #expect(try ScenarioLoader.load(path: named).scenario.name == "Aalborg 30")
    }

    @Test func datesAreAcceptedAsTimestampsOrStrings() throws {
        let yaml = minimalYAML + """
        simulation: {start: "2027-03-01"}
        costs: {oneOff: [{at: 2028-02-29, amount: 1}, {at: '2026-12-31', amount: 2}]}
        """
        let s = try ScenarioLoader.load(yaml: yaml).scenario
        #expect(s.simulation.start == CalendarDate(year: 2027, month: 3, day: 1))
        #expect(s.costs.oneOff.map(\.at) == [CalendarDate(year: 2028, month: 2, day: 29), CalendarDate(year: 2026, month: 12, day: 31)])
    }

    @Test func generatorIsCheckedWithTheGivenLookup() throws {
        let yaml = minimalYAML + "simulation: {generator: taus2}\n"
        #expect(try ScenarioLoader.load(yaml: yaml, generatorExists: { $0 == "taus2" }).scenario.simulation.generator == "taus2")
        expectSingle(diagnostics(yaml, generatorExists: { $0 == "mt19937" }), line: 10, column: 25,
                     keyPath: "simulation.generator", message: "unknown or unsupported random number generator 'taus2'")
    }

    @Test func anchorsAndMergeKeysWork() throws {
        let yaml = """
        ladder:
          - &step {id: prevention, duration: {dist: exponential, mean: 100}, costPerYear: 5}
          - {<<: *step, id: foster, placement: true}
        teams: [{id: east, caseworkers: 2, cap: 20}]
        """
        let s = try ScenarioLoader.load(yaml: yaml).scenario
        #expect(s.ladder[1] == LadderStep(id: "foster", placement: true, costPerYear: 5, duration: .exponential(mean: 100)))
    }

    @Test func misplacedTopLevelKeyPointsToItsSection() {
        expectSingle(diagnostics(minimalYAML + "seed: 4\n"), line: 10, column: 1, keyPath: "seed",
                     message: "unknown key 'seed' at the top level of the scenario", suggestion: "did you mean 'simulation.seed'?")
    }

    @Test func suggestionsUseEditDistanceAndCase() {
        #expect(Suggest.distance("casworkers", "caseworkers") == 1)
        #expect(Suggest.distance("ab", "ba") == 1)
        #expect(Suggest.closest(to: "casworkers", in: Keys.team) == "caseworkers")
        #expect(Suggest.closest(to: "CAP", in: Keys.team) == "cap")
        #expect(Suggest.closest(to: "costsPerYear", in: Keys.step) == "costPerYear")
        #expect(Suggest.closest(to: "zebra", in: Keys.team) == nil)
    }
}
