import Foundation
import Testing
@testable import SagstalScenario

/// MODEL.md version 2 (§4, §5.3, §5.8): team `name` and age band `ages`, the check that
/// every age up to `children.ageOut` has a team with a share > 0, and method multipliers > 0.

/// `minimalYAML` with extra lines for team `east` after its `cap` (they start on line 10).
func minimalTeam(_ lines: String) -> String {
    minimal(replacing: "    cap: 20\n", with: "    cap: 20\n" + lines + "\n")
}

/// Two teams splitting the ages at 15 (lines 1–7; extra sections start on line 8).
let bandsYAML = """
ladder:
  - {id: prevention, duration: 100}
  - {id: foster, duration: 200, placement: true}
teams:
  - {id: familie, name: Familieafdelingen, ages: [0, 15], caseworkers: 20, cap: 25}
  - {id: unge, name: UngeCenter, ages: [15, 18], caseworkers: 4, cap: 30}
children: {ageOut: 18}

"""

let teamBadCases: [BadCase] = [
    // teams[].name
    BadCase(name: "empty team name", yaml: minimalTeam("    name: \"\""),
            line: 10, column: 11, keyPath: "teams.east.name", message: "expected a name, found an empty string"),
    BadCase(name: "team name that is a list", yaml: minimalTeam("    name: [a, b]"),
            line: 10, column: 11, keyPath: "teams.east.name", message: "expected a name, found a list"),
    // teams[].ages
    BadCase(name: "ages that is a number", yaml: minimalTeam("    ages: 15"),
            line: 10, column: 11, keyPath: "teams.east.ages",
            message: "expected an age band [min, max] in years, like [0, 15], found the number 15"),
    BadCase(name: "ages with three values", yaml: minimalTeam("    ages: [0, 5, 18]"),
            line: 10, column: 11, keyPath: "teams.east.ages",
            message: "expected an age band [min, max] in years, like [0, 15]: a list of exactly two ages, found 3 values"),
    BadCase(name: "ages as an empty list", yaml: minimalTeam("    ages: []"),
            line: 10, column: 11, keyPath: "teams.east.ages",
            message: "expected an age band [min, max] in years, like [0, 15]: a list of exactly two ages, found an empty list"),
    BadCase(name: "ages with min = max", yaml: minimalTeam("    ages: [15, 15]"),
            line: 10, column: 11, keyPath: "teams.east.ages",
            message: "expected min < max in the age band [min, max] (min included, max not), found [15, 15]"),
    BadCase(name: "ages with min above max", yaml: minimalTeam("    ages: [18, 0]"),
            line: 10, column: 11, keyPath: "teams.east.ages",
            message: "expected min < max in the age band [min, max] (min included, max not), found [18, 0]"),
    BadCase(name: "negative age", yaml: minimalTeam("    ages: [-1, 18]"),
            line: 10, column: 12, keyPath: "teams.east.ages.0", message: "expected an age ≥ 0 (years), found -1"),
    BadCase(name: "age that is text", yaml: minimalTeam("    ages: [0, old]"),
            line: 10, column: 15, keyPath: "teams.east.ages.1", message: "expected an age ≥ 0 (years), found a string 'old'"),
    BadCase(name: "misspelt ages key", yaml: minimalTeam("    age: [0, 18]"),
            line: 10, column: 5, keyPath: "teams.east.age", message: "unknown key 'age' in a team",
            suggestion: "did you mean 'ages'?"),
    // teams[].method (MODEL.md §5.8: each a number > 0)
    BadCase(name: "method multiplier of 0", yaml: minimalTeam("    method: {escalate: 0}"),
            line: 10, column: 24, keyPath: "teams.east.method.escalate", message: "expected a number > 0, found 0"),
    BadCase(name: "negative method duration", yaml: minimalTeam("    method: {duration: -0.5}"),
            line: 10, column: 24, keyPath: "teams.east.method.duration", message: "expected a number > 0, found -0.5"),
    // Coverage (MODEL.md §5.3)
    BadCase(name: "ages not covered by any team", yaml: minimalTeam("    ages: [0, 15]"),
            line: 7, column: 3, keyPath: "teams",
            message: "ages 15–18 are covered by no team with a share > 0 (bands: east [0, 15))",
            suggestion: "add a team with ages: [15, 18] or widen a band to cover them"),
    BadCase(name: "ages covered only by a team with share 0", yaml: bandsYAML.replacingOccurrences(of: "cap: 30}", with: "cap: 30, share: 0}"),
            line: 5, column: 3, keyPath: "teams",
            message: "ages 15–18 are covered by no team with a share > 0 (bands: familie [0, 15), unge [15, 18) with share 0)",
            suggestion: "give unge a share > 0, or add a team with ages: [15, 18] or widen a band to cover them"),
    BadCase(name: "two uncovered intervals", yaml: minimalTeam("    ages: [2, 10.5]"),
            line: 7, column: 3, keyPath: "teams",
            message: "ages 0–2 and 10.5–18 are covered by no team with a share > 0 (bands: east [2, 10.5))",
            suggestion: "add teams or widen bands so that every age from 0 to 18 is covered"),
    BadCase(name: "a band wholly above ageOut covers nothing", yaml: minimalTeam("    ages: [18, 30]"),
            line: 7, column: 3, keyPath: "teams",
            message: "ages 0–18 are covered by no team with a share > 0 (bands: east [18, 30))"),
    BadCase(name: "a raised ageOut leaves the top ages uncovered", yaml: bandsYAML.replacingOccurrences(of: "ageOut: 18", with: "ageOut: 21"),
            line: 5, column: 3, keyPath: "teams",
            message: "ages 18–21 are covered by no team with a share > 0 (bands: familie [0, 15), unge [15, 18))"),
]

@Suite struct TeamBandTests {
    @Test(arguments: teamBadCases)
    func badInputGivesOneLocatedDiagnostic(_ c: BadCase) {
        expectSingle(diagnostics(c.yaml), line: c.line, column: c.column, keyPath: c.keyPath, message: c.message,
                     suggestion: c.suggestion)
    }

    @Test func caseNamesAreDistinctFromTheOtherFiles() {
        let names = (badCases + teamBadCases).map(\.name)
        #expect(Set(names).count == names.count)
    }

    @Test func aBadBandOrShareSkipsTheCoverageCheck() {
        // One mistake, one message: no coverage complaint on top of the bad band or share.
        expectSingle(diagnostics(minimalTeam("    ages: [0, x]")), line: 10, column: 15, keyPath: "teams.east.ages.1",
                     message: "expected an age ≥ 0 (years)")
        expectSingle(diagnostics(bandsYAML.replacingOccurrences(of: "cap: 30}", with: "cap: 30, share: -1}")),
                     line: 6, column: 82, keyPath: "teams.unge.share", message: "expected a number ≥ 0, found -1")
        expectSingle(diagnostics(bandsYAML.replacingOccurrences(of: "ageOut: 18", with: "ageOut: -3")),
                     line: 7, column: 20, keyPath: "children.ageOut", message: "expected a number > 0, found -3")
        // All shares 0 keeps its own message.
        expectSingle(diagnostics(minimalTeam("    share: 0")), line: 7, column: 3, keyPath: "teams",
                     message: "the team shares add up to 0")
    }

    @Test func teamDefaults() throws {
        let s = try ScenarioLoader.load(yaml: minimalYAML).scenario
        #expect(s.teams[0].name == "east")
        #expect(s.teams[0].ages == nil)
        #expect(s.teams[0].band(ageOut: s.children.ageOut) == AgeBand(min: 0, max: 18))
    }

    @Test func teamNamesAndBandsAreRead() throws {
        let s = try ScenarioLoader.load(yaml: bandsYAML).scenario
        #expect(s.teams.map(\.name) == ["Familieafdelingen", "UngeCenter"])
        #expect(s.teams.map(\.ages) == [AgeBand(min: 0, max: 15), AgeBand(min: 15, max: 18)])
        // Any non-empty text is a name, as written.
        let t = try ScenarioLoader.load(yaml: minimalTeam("    name: 2026")).scenario.teams[0]
        #expect(t.name == "2026")
    }

    @Test func anExplicitDefaultBandReadsAsTheDefault() throws {
        // [0, ageOut] is the default band, so it loads as nil (what the resolved file relies on).
        let s = try ScenarioLoader.load(yaml: minimalTeam("    ages: [0, 18]")).scenario
        #expect(s.teams[0].ages == nil)
        // The default is [0, ageOut) for the scenario's own ageOut, after every merge and override.
        let raised = try ScenarioLoader.load(yaml: minimalTeam("    ages: [0, 21]") + "children: {ageOut: 21}\n").scenario
        #expect(raised.teams[0].ages == nil)
        let wider = try ScenarioLoader.load(yaml: minimalTeam("    ages: [0, 21]")).scenario
        #expect(wider.teams[0].ages == AgeBand(min: 0, max: 21))
        let overridden = try ScenarioLoader.load(yaml: minimalTeam("    ages: [0, 21]"), overrides: ["children.ageOut=21"]).scenario
        #expect(overridden.teams[0].ages == nil)
    }

    @Test func coverageAllowsOverlapsFractionsAndBandsBeyondAgeOut() throws {
        let overlapping = bandsYAML.replacingOccurrences(of: "ages: [0, 15]", with: "ages: [0, 16]")
        #expect(try ScenarioLoader.load(yaml: overlapping).scenario.teams[0].ages == AgeBand(min: 0, max: 16))
        let beyond = bandsYAML.replacingOccurrences(of: "ages: [15, 18]", with: "ages: [15, 25]")
        #expect(try ScenarioLoader.load(yaml: beyond).scenario.teams[1].ages == AgeBand(min: 15, max: 25))
        let fractional = bandsYAML.replacingOccurrences(of: "ages: [0, 15]", with: "ages: [0, 14.5]")
            .replacingOccurrences(of: "ages: [15, 18]", with: "ages: [14.5, 18]")
        #expect(try ScenarioLoader.load(yaml: fractional).scenario.teams.map(\.ages?.max) == [14.5, 18])
        // A zero-share team alongside full coverage is fine.
        let withReserve = bandsYAML.replacingOccurrences(
            of: "children:", with: "  - {id: reserve, ages: [10, 12], share: 0, caseworkers: 0, cap: 1}\nchildren:")
        #expect(try ScenarioLoader.load(yaml: withReserve).scenario.teams.count == 3)
        // A lowered ageOut needs nothing above it.
        let lower = bandsYAML.replacingOccurrences(of: "ageOut: 18", with: "ageOut: 15")
        #expect(try ScenarioLoader.load(yaml: lower).scenario.children.ageOut == 15)
        // Default bands follow ageOut.
        let s = try ScenarioLoader.load(yaml: minimalYAML + "children: {ageOut: 23}\n").scenario
        #expect(s.teams[0].band(ageOut: s.children.ageOut) == AgeBand(min: 0, max: 23))
    }

    func load(_ overrides: [String], yaml: String) throws -> Scenario {
        try ScenarioLoader.load(yaml: yaml, file: "test.yaml", overrides: overrides).scenario
    }

    @Test func setTeamNameAndAges() throws {
        let s = try load(["teams.familie.name=Familie & børn", "teams.familie.ages.1=16", "teams.unge.ages=[14, 18]"], yaml: bandsYAML)
        #expect(s.teams[0].name == "Familie & børn")
        #expect(s.teams[0].ages == AgeBand(min: 0, max: 16))
        #expect(s.teams[1].ages == AgeBand(min: 14, max: 18))
        // A key the file lacks is created.
        #expect(try load(["teams.east.ages=[0, 30]", "teams.0.name=Øst"], yaml: minimalYAML).teams[0]
                == Team(id: "east", name: "Øst", caseworkers: 2, cap: 20, ages: AgeBand(min: 0, max: 30)))
    }

    @Test func aBandSetOnTheCommandLineIsCheckedForCoverage() {
        expectSingle(diagnostics(bandsYAML, overrides: ["teams.unge.ages.0=16"]), line: 5, column: 3, keyPath: "teams",
                     message: "ages 15–16 are covered by no team with a share > 0")
        expectSingle(diagnostics(bandsYAML, overrides: ["teams.unge.ages=[16, 15]"]), file: "<--set>", line: 1, column: 17,
                     keyPath: "teams.unge.ages", message: "expected min < max")
    }
}
