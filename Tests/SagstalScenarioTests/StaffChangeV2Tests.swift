import Foundation
import Testing
@testable import SagstalScenario

/// MODEL.md version 2 (§5.6): dated staff changes of a team's `method` and `share`, and
/// the age-coverage check after each dated share change.

let changeBadCases: [BadCase] = [
    BadCase(name: "a dated share change that leaves ages uncovered",
            yaml: bandsYAML + "staff: {changes: [{at: 2027-01-01, team: unge, share: 0}]}\n",
            line: 8, column: 55, keyPath: "staff.changes.0.share",
            message: "from 2027-01-01, ages 15–18 are covered by no team with a share > 0 (bands: familie [0, 15), unge [15, 18) with share 0)",
            suggestion: "keep a share > 0 for unge, or on the same date give another team covering those ages a share > 0"),
    BadCase(name: "a share change dated before the start applies at the run start",
            yaml: bandsYAML + "staff: {changes: [{at: 2020-01-01, team: familie, share: 0}]}\n",
            line: 8, column: 58, keyPath: "staff.changes.0.share",
            message: "from 2020-01-01, ages 0–15 are covered by no team with a share > 0"),
    // staff.changes[].method and .share
    BadCase(name: "change with a method multiplier of 0",
            yaml: minimalYAML + "staff: {changes: [{at: 2027-01-01, team: east, method: {close: 0}}]}\n",
            line: 10, column: 64, keyPath: "staff.changes.0.method.close", message: "expected a number > 0, found 0"),
    BadCase(name: "change with a misspelt method key",
            yaml: minimalYAML + "staff: {changes: [{at: 2027-01-01, team: east, method: {escalte: 0.8}}]}\n",
            line: 10, column: 57, keyPath: "staff.changes.0.method.escalte",
            message: "unknown key 'escalte' in the method multipliers to change", suggestion: "did you mean 'escalate'?"),
    BadCase(name: "change with a method that is not a map",
            yaml: minimalYAML + "staff: {changes: [{at: 2027-01-01, team: east, method: 0.8}]}\n",
            line: 10, column: 56, keyPath: "staff.changes.0.method",
            message: "expected the method multipliers to change, found the number 0.8"),
    BadCase(name: "change with a negative share",
            yaml: minimalYAML + "staff: {changes: [{at: 2027-01-01, team: east, share: -1}]}\n",
            line: 10, column: 55, keyPath: "staff.changes.0.share", message: "expected a number ≥ 0, found -1"),
    BadCase(name: "change with only an empty method",
            yaml: minimalYAML + "staff: {changes: [{at: 2027-01-01, team: east, method: {}}]}\n",
            line: 10, column: 19, keyPath: "staff.changes.0",
            message: "a staff change must set at least one of caseworkers (like 24, \"+4\" or \"-2\"), cap, method or share"),
    BadCase(name: "misspelt change key", yaml: minimalYAML + "staff: {changes: [{at: 2027-01-01, team: east, shar: 1, cap: 3}]}\n",
            line: 10, column: 48, keyPath: "staff.changes.0.shar", message: "unknown key 'shar' in a staff change",
            suggestion: "did you mean 'share'?"),
]

@Suite struct StaffChangeV2Tests {
    @Test(arguments: changeBadCases)
    func badInputGivesOneLocatedDiagnostic(_ c: BadCase) {
        expectSingle(diagnostics(c.yaml), line: c.line, column: c.column, keyPath: c.keyPath, message: c.message,
                     suggestion: c.suggestion)
    }

    @Test func caseNamesAreDistinctFromTheOtherFiles() {
        let names = (badCases + changeBadCases).map(\.name)
        #expect(Set(names).count == names.count)
    }

    @Test func eachShareChangeThatOpensAGapIsReported() {
        let yaml = """
        simulation: {years: 5}
        ladder: [{id: prevention, duration: 100}]
        teams:
          - {id: familie, ages: [0, 15], caseworkers: 2, cap: 20}
          - {id: unge, ages: [15, 18], caseworkers: 2, cap: 20}
          - {id: reserve, ages: [15, 30], caseworkers: 1, cap: 20, share: 0}
        staff:
          changes:
            - {at: 2027-01-01, team: unge, share: 0}
            - {at: 2027-01-01, team: reserve, share: 1}
            - {at: 2028-01-01, team: reserve, share: 0}
            - {at: 2029-01-01, team: familie, share: 0}
            - {at: 2030-01-01, team: reserve, share: 1}

        """
        let diags = diagnostics(yaml)
        // 2027: unge stops but reserve starts on the same date, so ages stay covered.
        #expect(diags.map(\.keyPath) == ["staff.changes.2.share", "staff.changes.3.share"],
                "\(diags.map(\.description).joined(separator: "\n"))")
        #expect(diags.first?.message.hasPrefix("from 2028-01-01, ages 15–18 are covered by no team") == true)
        #expect(diags.last?.message.hasPrefix("from 2029-01-01, ages 0–15 are covered by no team") == true)
        #expect(diags.map(\.line) == [11, 12])
    }

    @Test func changeDefaults() throws {
        let change = try ScenarioLoader.load(yaml: minimalYAML + "staff: {changes: [{at: 2027-01-01, team: east, cap: 18}]}\n")
            .scenario.staff.changes[0]
        #expect(change.method == nil && change.share == nil)
    }

    @Test func shareChangesThatKeepAgesCoveredAreFine() throws {
        let yaml = bandsYAML.replacingOccurrences(of: "children:", with: "  - {id: reserve, ages: [15, 30], share: 0, caseworkers: 1, cap: 1}\nchildren:")
            + """
            simulation: {years: 2, warmupYears: 1}
            staff:
              changes:
                - {at: 2027-01-01, team: unge, share: 0}
                - {at: 2027-01-01, team: reserve, share: 2}
                - {at: 2028-01-01, team: familie, share: 0}
                - {at: 2030-01-01, team: reserve, share: 0}

            """
        // 2028-01-01 and 2030-01-01 are at or after the two-year horizon: they never happen.
        let s = try ScenarioLoader.load(yaml: yaml).scenario
        #expect(s.staff.changes.map(\.share) == [0, 2, 0, 0])
    }

    @Test func changesReadMethodAndShare() throws {
        let yaml = minimalYAML + """
        staff:
          changes:
            - {at: 2027-01-01, team: east, cap: 20, method: {escalate: 0.8}}
            - {at: 2027-06-01, team: east, method: {deescalate: 1.2, close: 1.1, duration: 0.9}, share: 0.5}
            - {at: 2028-01-01, team: east, share: 2, method: {}}

        """
        let c = try ScenarioLoader.load(yaml: yaml).scenario.staff.changes
        #expect(c[0].method == MethodChange(escalate: 0.8))
        #expect(c[0].share == nil)
        #expect(c[1].method == MethodChange(deescalate: 1.2, close: 1.1, duration: 0.9))
        #expect(c[1].share == 0.5)
        #expect(c[1].caseworkers == nil && c[1].cap == nil)
        // `method: {}` sets nothing.
        #expect(c[2].method == nil && c[2].share == 2)
        #expect(c[0].method?.applied(to: MethodMultipliers(close: 1.5)) == MethodMultipliers(escalate: 0.8, close: 1.5))
    }

    static let withChange = bandsYAML + "staff: {changes: [{at: 2027-01-01, team: unge, caseworkers: \"+1\"}]}\n"

    func load(_ overrides: [String], yaml: String) throws -> Scenario {
        try ScenarioLoader.load(yaml: yaml, file: "test.yaml", overrides: overrides).scenario
    }

    @Test func setChangeMethodAndShare() throws {
        let s = try load(["staff.changes.0.method.escalate=0.8", "staff.changes.0.share=0.5"], yaml: Self.withChange)
        #expect(s.staff.changes[0].method == MethodChange(escalate: 0.8))
        #expect(s.staff.changes[0].share == 0.5)
        expectSingle(diagnostics(Self.withChange, overrides: ["staff.changes.0.method.escalat=0.8"]), file: "<--set>", line: 1,
                     column: 24, keyPath: "staff.changes.0.method.escalat", message: "unknown key 'escalat' in staff.changes.0.method",
                     suggestion: "did you mean 'escalate'?")
    }
}
