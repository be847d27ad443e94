import Foundation
import Testing
@testable import SagstalScenario

@Suite struct OverrideTests {
    func load(_ overrides: [String], yaml: String = minimalYAML) throws -> Scenario {
        try ScenarioLoader.load(yaml: yaml, file: "test.yaml", overrides: overrides).scenario
    }

    @Test func setByIndex() throws {
        let s = try load(["teams.0.cap=25", "ladder.1.costPerYear=450000", "simulation.seed = 42"])
        #expect(s.teams[0].cap == 25)
        #expect(s.ladder[1].costPerYear == 450000)
        #expect(s.simulation.seed == 42)
    }

    @Test func setById() throws {
        let s = try load(["teams.east.caseworkers=7", "ladder.foster.placement=true", "ladder.foster.next.up=0.1"])
        #expect(s.teams[0].caseworkers == 7)
        #expect(s.ladder[1].placement)
        #expect(s.ladder[1].next.up == 0.1)
    }

    @Test func laterOverridesSeeEarlierOnes() throws {
        let s = try load(["assessment.duration={dist: gamma, mean: 70, sd: 30}", "assessment.duration.sd=10"])
        #expect(s.assessment.duration == .gammaMeanSD(mean: 70, sd: 10))
    }

    @Test func createsKnownKeysTheFileLacks() throws {
        let s = try load(["outreach.workers=2", "outreach.reach=0.5", "staff.turnover.perYear=0.12"])
        #expect(s.outreach == OutreachSettings(workers: 2, reach: 0.5))
        #expect(s.staff.turnover.perYear == 0.12)
        #expect(try load(["outreach={workers: 3, coursesPerWorker: 10}"]).outreach?.slots == 30)
    }

    @Test func valuesAreParsedAsYAML() throws {
        let s = try load([
            "notifications.seasonality=[1, 1, 1, 1, 1, 0.5, 0.5, 1, 1.5, 1, 1, 1]",
            "teams=[{id: a, caseworkers: 1, cap: 10}, {id: b, caseworkers: 2, cap: 20, share: 3}]",
            "staff.changes=[{at: 2027-01-01, team: b, caseworkers: +4}]",
            "initial={prevention: 10, foster: 2}",
            "name='Aalborg: 30 per caseworker'",
        ])
        #expect(s.notifications.seasonality == [1, 1, 1, 1, 1, 0.5, 0.5, 1, 1.5, 1, 1, 1])
        #expect(s.teams.map(\.id) == ["a", "b"])
        #expect(s.teams[1].share == 3)
        #expect(s.staff.changes == [StaffChange(at: CalendarDate(year: 2027, month: 1, day: 1), team: "b", caseworkers: .relative(4))])
        #expect(s.initial == [InitialStock(step: "prevention", count: 10), InitialStock(step: "foster", count: 2)])
        #expect(s.name == "Aalborg: 30 per caseworker")
    }

    @Test func signedHeadcountThroughSet() throws {
        let yaml = minimalYAML + "staff: {changes: [{at: 2027-01-01, team: east, caseworkers: 4}]}\n"
        #expect(try load(["staff.changes.0.caseworkers=+5"], yaml: yaml).staff.changes[0].caseworkers == .relative(5))
        #expect(try load(["staff.changes.0.caseworkers=-1"], yaml: yaml).staff.changes[0].caseworkers == .relative(-1))
        #expect(try load(["staff.changes.0.caseworkers=9"], yaml: yaml).staff.changes[0].caseworkers == .set(9))
    }

    @Test func unknownKeyInPathGetsASuggestion() {
        expectSingle(diagnostics(minimalYAML, overrides: ["teams.0.casworkers=3"]), file: "<--set>", line: 1, column: 9,
                     keyPath: "teams.0.casworkers", message: "unknown key 'casworkers' in teams.0",
                     suggestion: "did you mean 'caseworkers'?")
        expectSingle(diagnostics(minimalYAML, overrides: ["simulaton.seed=3"]), file: "<--set>", line: 1, column: 1,
                     keyPath: "simulaton", message: "unknown key 'simulaton' at the top level",
                     suggestion: "did you mean 'simulation'?")
    }

    @Test func unknownIdGetsASuggestion() {
        expectSingle(diagnostics(minimalYAML, overrides: ["ladder.fostr.costPerYear=1"]), file: "<--set>", line: 1, column: 8,
                     keyPath: "ladder.fostr", message: "no item of 'ladder' has the id 'fostr' (ids: prevention, foster)",
                     suggestion: "did you mean 'foster'?")
    }

    @Test func indexOutOfRange() {
        expectSingle(diagnostics(minimalYAML, overrides: ["teams.5.cap=1"]), file: "<--set>", line: 1, column: 7,
                     keyPath: "teams.5", message: "index 5 is out of range for 'teams': it has 1 item, numbered 0 to 0")
    }

    @Test func missingEqualsSign() {
        expectSingle(diagnostics(minimalYAML, overrides: ["teams.0.cap"]), file: "<--set>", line: 1, column: 1,
                     keyPath: "", message: "expected path=value (like teams.0.cap=25), found 'teams.0.cap' with no '='")
    }

    @Test func pathIntoASingleValue() {
        expectSingle(diagnostics(minimalYAML, overrides: ["ladder.0.duration.mean=5"]), file: "<--set>", line: 1, column: 19,
                     keyPath: "ladder.0.duration.mean", message: "'ladder.0.duration' is the number 100, not a map")
    }

    @Test func badValuesAreLocatedInTheOverride() {
        // The value starts at column 13 of "teams.0.cap=-2".
        expectSingle(diagnostics(minimalYAML, overrides: ["teams.0.cap=-2"]), file: "<--set>", line: 1, column: 13,
                     keyPath: "teams.east.cap", message: "expected a number > 0, found -2")
        expectSingle(diagnostics(minimalYAML, overrides: ["simulation={years: 5, seed: x}"]), file: "<--set>", line: 1,
                     column: 29, keyPath: "simulation.seed", message: "found a string 'x'")
        expectSingle(diagnostics(minimalYAML, overrides: ["notifications.seasonality=[1, 2"]), file: "<--set>", line: 1,
                     column: 32, keyPath: "notifications.seasonality", message: "YAML syntax error")
    }

    @Test func unquotedTextWithAColonGetsAHint() {
        expectSingle(diagnostics(minimalYAML, overrides: ["name=Aalborg: 30"]), file: "<--set>", line: 1, column: 6,
                     keyPath: "name", message: "expected a name, found a map of keys (YAML reads 'a: b' as a map; quote the text, like name='\"A: B\"')")
    }

    @Test func problemsAreListedInTheOrderTheOverridesWereGiven() {
        let diags = diagnostics(minimalYAML, overrides: ["teams.0.cap=-2", "outreach.wrkers=3", "seed=1"])
        #expect(diags.map(\.keyPath) == ["teams.east.cap", "outreach.wrkers", "seed"])
        #expect(diags.map(\.column) == [13, 10, 1])
        #expect(diags.map(\.suggestion) == [nil, "did you mean 'workers'?", "did you mean 'simulation.seed'?"])
    }

    @Test func overrideAndFileProblemsAreReportedTogether() {
        let diags = diagnostics(minimalYAML + "screening: {opensCase: 2}\n", overrides: ["teams.0.cpa=1"])
        #expect(diags.map(\.file) == ["test.yaml", "<--set>"])
        #expect(diags.map(\.keyPath) == ["screening.opensCase", "teams.0.cpa"])
        #expect(diags.last?.suggestion == "did you mean 'cap'?")
    }
}
