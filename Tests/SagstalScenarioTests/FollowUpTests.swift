import Foundation
import Testing
@testable import SagstalScenario

/// MODEL.md version 2 (§5.10): statutory follow-ups, `followUps`.

let followUpBadCases: [BadCase] = [
    // followUps
    BadCase(name: "followUps that is a map", yaml: minimalYAML + "followUps: {id: tilsyn}\n",
            line: 10, column: 12, keyPath: "followUps",
            message: "expected a list of follow-ups, each with an id and steps, found a map of keys"),
    BadCase(name: "follow-up that is a number", yaml: minimalYAML + "followUps: [3]\n",
            line: 10, column: 13, keyPath: "followUps.0", message: "expected a follow-up, found the number 3"),
    BadCase(name: "follow-up without id", yaml: minimalYAML + "followUps: [{steps: [foster]}]\n",
            line: 10, column: 13, keyPath: "followUps.0.id",
            message: "missing required key 'id' (a short name of letters, digits, '-' and '_' that identifies the follow-up)"),
    BadCase(name: "follow-up with a malformed id", yaml: minimalYAML + "followUps: [{id: tilsyn besøg, steps: [foster]}]\n",
            line: 10, column: 18, keyPath: "followUps.0.id",
            message: "expected an id of letters, digits, '-' and '_' (like foster or varige-spor), found 'tilsyn besøg'"),
    BadCase(name: "duplicate follow-up id", yaml: minimalYAML + "followUps:\n  - {id: tilsyn, steps: [foster]}\n  - {id: tilsyn, steps: [prevention]}\n",
            line: 12, column: 10, keyPath: "followUps.1.id", message: "duplicate follow-up id 'tilsyn': it is already used on line 11"),
    BadCase(name: "follow-up without steps", yaml: minimalYAML + "followUps: [{id: tilsyn}]\n",
            line: 10, column: 13, keyPath: "followUps.tilsyn.steps",
            message: "missing required key 'steps' (the ladder steps on which the follow-up is due, like [kinship, foster, residential])"),
    BadCase(name: "follow-up with no steps", yaml: minimalYAML + "followUps: [{id: tilsyn, steps: []}]\n",
            line: 10, column: 33, keyPath: "followUps.tilsyn.steps",
            message: "a follow-up needs at least one ladder step, found an empty list"),
    BadCase(name: "follow-up steps that is one id", yaml: minimalYAML + "followUps: [{id: tilsyn, steps: foster}]\n",
            line: 10, column: 33, keyPath: "followUps.tilsyn.steps",
            message: "expected a list of ladder step ids, like [kinship, foster, residential], found a string 'foster'"),
    BadCase(name: "follow-up on an unknown step", yaml: minimalYAML + "followUps: [{id: tilsyn, steps: [prevention, fostr]}]\n",
            line: 10, column: 46, keyPath: "followUps.tilsyn.steps.1",
            message: "unknown ladder step 'fostr': expected one of the step ids (prevention, foster)",
            suggestion: "did you mean 'foster'?"),
    BadCase(name: "follow-up step listed twice", yaml: minimalYAML + "followUps: [{id: tilsyn, steps: [foster, prevention, foster]}]\n",
            line: 10, column: 54, keyPath: "followUps.tilsyn.steps.2",
            message: "the step 'foster' is listed twice (first as followUps.tilsyn.steps.0)"),
    BadCase(name: "follow-up every 0 days", yaml: minimalYAML + "followUps: [{id: tilsyn, steps: [foster], everyDays: 0}]\n",
            line: 10, column: 54, keyPath: "followUps.tilsyn.everyDays", message: "expected a number > 0, found 0"),
    BadCase(name: "follow-up with an infinite elasticity", yaml: minimalYAML + "followUps: [{id: tilsyn, steps: [foster], elasticity: .inf}]\n",
            line: 10, column: 55, keyPath: "followUps.tilsyn.elasticity", message: "expected a number, found .inf"),
    BadCase(name: "follow-up with an empty name", yaml: minimalYAML + "followUps: [{id: tilsyn, name: '', steps: [foster]}]\n",
            line: 10, column: 32, keyPath: "followUps.tilsyn.name", message: "expected a name, found an empty string"),
    BadCase(name: "misspelt follow-up key", yaml: minimalYAML + "followUps: [{id: tilsyn, steps: [foster], everyDay: 90}]\n",
            line: 10, column: 43, keyPath: "followUps.tilsyn.everyDay", message: "unknown key 'everyDay' in a follow-up",
            suggestion: "did you mean 'everyDays'?"),
    BadCase(name: "misspelt followUps at the top level", yaml: minimalYAML + "followUp: []\n",
            line: 10, column: 1, keyPath: "followUp", message: "unknown key 'followUp' at the top level of the scenario",
            suggestion: "did you mean 'followUps'?"),
]

@Suite struct FollowUpTests {
    @Test(arguments: followUpBadCases)
    func badInputGivesOneLocatedDiagnostic(_ c: BadCase) {
        expectSingle(diagnostics(c.yaml), line: c.line, column: c.column, keyPath: c.keyPath, message: c.message,
                     suggestion: c.suggestion)
    }

    @Test func caseNamesAreDistinctFromTheOtherFiles() {
        let names = (badCases + followUpBadCases).map(\.name)
        #expect(Set(names).count == names.count)
    }

    @Test func everyFollowUpProblemIsReportedAtOnce() {
        let yaml = minimalYAML + """
        followUps:
          - {id: tilsyn, steps: [fostr, foster, foster], everyDays: -1, elasticity: x, bad: 1}
          - {id: tilsyn, steps: []}
          - {name: ""}

        """
        let diags = diagnostics(yaml)
        #expect(diags.map(\.keyPath) == [
            "followUps.0.steps.0", "followUps.0.steps.2", "followUps.0.everyDays", "followUps.0.elasticity", "followUps.0.bad",
            "followUps.1.id", "followUps.1.steps",
            "followUps.2.id", "followUps.2.steps", "followUps.2.name",
        ], "\(diags.map(\.description).joined(separator: "\n"))")
    }

    @Test func followUpDefaults() throws {
        let s = try ScenarioLoader.load(yaml: minimalYAML + "followUps: [{id: tilsyn, steps: [foster]}]\n").scenario
        #expect(s.followUps == [FollowUp(id: "tilsyn", name: "tilsyn", steps: ["foster"], everyDays: 182.625, elasticity: 0)])
        #expect(try ScenarioLoader.load(yaml: minimalYAML).scenario.followUps == [])
        #expect(try ScenarioLoader.load(yaml: minimalYAML + "followUps:\n").scenario.followUps == [])
    }

    @Test func followUpsAreRead() throws {
        let yaml = minimalYAML + """
        followUps:
          - {id: tilsyn, name: Tilsynsbesøg, steps: [foster, prevention], everyDays: 91.3125, elasticity: -0.4}
          - id: samtale
            steps: [foster]
            elasticity: 0.8

        """
        let f = try ScenarioLoader.load(yaml: yaml).scenario.followUps
        #expect(f == [
            FollowUp(id: "tilsyn", name: "Tilsynsbesøg", steps: ["foster", "prevention"], everyDays: 91.3125, elasticity: -0.4),
            FollowUp(id: "samtale", steps: ["foster"], elasticity: 0.8),
        ])
    }

    static let withFollowUp = bandsYAML + "followUps:\n  - {id: tilsyn, steps: [foster]}\n"

    func load(_ overrides: [String], yaml: String) throws -> Scenario {
        try ScenarioLoader.load(yaml: yaml, file: "test.yaml", overrides: overrides).scenario
    }

    @Test func setFollowUpsById() throws {
        let s = try load(["followUps.tilsyn.elasticity=0.5", "followUps.tilsyn.steps.0=prevention", "followUps.0.everyDays=91"],
                         yaml: Self.withFollowUp)
        #expect(s.followUps == [FollowUp(id: "tilsyn", steps: ["prevention"], everyDays: 91, elasticity: 0.5)])
        let created = try load(["followUps=[{id: samtale, steps: [foster, prevention]}]"], yaml: minimalYAML)
        #expect(created.followUps.map(\.steps) == [["foster", "prevention"]])
    }

    @Test func badFollowUpPaths() {
        expectSingle(diagnostics(Self.withFollowUp, overrides: ["followUps.tilsin.elasticity=1"]), file: "<--set>", line: 1, column: 11,
                     keyPath: "followUps.tilsin", message: "no item of 'followUps' has the id 'tilsin' (ids: tilsyn)",
                     suggestion: "did you mean 'tilsyn'?")
        expectSingle(diagnostics(Self.withFollowUp, overrides: ["followUps.tilsyn.elasticty=1"]), file: "<--set>", line: 1, column: 18,
                     keyPath: "followUps.tilsyn.elasticty", message: "unknown key 'elasticty' in followUps.tilsyn",
                     suggestion: "did you mean 'elasticity'?")
        expectSingle(diagnostics(Self.withFollowUp, overrides: ["followUps.tilsyn.steps.0=fostr"]), file: "<--set>", line: 1, column: 26,
                     keyPath: "followUps.tilsyn.steps.0", message: "unknown ladder step 'fostr'", suggestion: "did you mean 'foster'?")
    }
}
