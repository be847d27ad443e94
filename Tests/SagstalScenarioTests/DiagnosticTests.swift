import Foundation
import Testing
@testable import SagstalScenario

/// One bad scenario and the single diagnostic it must produce.
struct BadCase: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var line: Int
    var column: Int
    var keyPath: String
    var message: String
    var suggestion: String?

    var testDescription: String { name }
}

/// `minimalYAML` with `old` replaced by `new` (both whole lines).
func minimal(replacing old: String, with new: String) -> String {
    precondition(minimalYAML.contains(old))
    return minimalYAML.replacingOccurrences(of: old, with: new)
}

let badCases: [BadCase] = [
    BadCase(name: "unknown key with suggestion", yaml: minimal(replacing: "    caseworkers: 2", with: "    casworkers: 2"),
            line: 8, column: 5, keyPath: "teams.east.casworkers", message: "unknown key 'casworkers' in a team",
            suggestion: "did you mean 'caseworkers'?"),
    BadCase(name: "unknown top-level key", yaml: minimalYAML + "stafff: {costPerYear: 1}\n",
            line: 10, column: 1, keyPath: "stafff", message: "unknown key 'stafff' at the top level of the scenario",
            suggestion: "did you mean 'staff'?"),
    BadCase(name: "unknown key without suggestion lists the known keys", yaml: minimalYAML + "screening: {banana: 1}\n",
            line: 10, column: 13, keyPath: "screening.banana", message: "unknown key 'banana' in the screening settings; known keys: opensCase"),
    BadCase(name: "wrong type", yaml: minimalYAML + "simulation:\n  years: abc\n",
            line: 11, column: 10, keyPath: "simulation.years", message: "expected a number > 0, found a string 'abc'"),
    BadCase(name: "wrong type for a section", yaml: minimalYAML + "staff: 5\n",
            line: 10, column: 8, keyPath: "staff", message: "expected the staff settings, found the number 5"),
    BadCase(name: "probability above 1", yaml: minimalYAML + "screening: {opensCase: 1.2}\n",
            line: 10, column: 24, keyPath: "screening.opensCase", message: "expected a probability between 0 and 1, found 1.2"),
    BadCase(name: "outcome weights with zero sum", yaml: minimalYAML + "assessment:\n  outcome: {close: 0, prevention: 0}\n",
            line: 11, column: 12, keyPath: "assessment.outcome", message: "the outcome weights add up to 0"),
    BadCase(name: "up + down + exit above 1", yaml: """
            ladder:
              - id: prevention
                duration: 100
                next: {up: 0.5, down: 0.3, exit: 0.4}
            teams:
              - {id: east, caseworkers: 2, cap: 20}
            """,
            line: 4, column: 11, keyPath: "ladder.prevention.next",
            message: "up + down + exit must be at most 1 (the rest is stay), found 0.5 + 0.3 + 0.4 = 1.2"),
    BadCase(name: "inconsistent stay", yaml: """
            ladder:
              - id: prevention
                duration: 100
                next: {up: 0.5, down: 0.3, stay: 0.3}
            teams:
              - {id: east, caseworkers: 2, cap: 20}
            """,
            line: 4, column: 38, keyPath: "ladder.prevention.next.stay", message: "stay must equal 1 − up − down − exit = 0.2, found 0.3"),
    BadCase(name: "negative duration", yaml: minimal(replacing: "    duration: 100", with: "    duration: -5"),
            line: 3, column: 15, keyPath: "ladder.prevention.duration", message: "expected a duration ≥ 0 (days), found -5"),
    BadCase(name: "negative duration in a distribution", yaml: minimalYAML + "staff: {recruitment: {dist: uniform, min: -1, max: 5}}\n",
            line: 10, column: 43, keyPath: "staff.recruitment.min", message: "expected a duration ≥ 0 (days), found -1"),
    BadCase(name: "negative cost", yaml: minimalYAML + "staff:\n  costPerYear: -1\n",
            line: 11, column: 16, keyPath: "staff.costPerYear", message: "expected a number ≥ 0, found -1"),
    BadCase(name: "negative one-off amount", yaml: minimalYAML + "costs: {oneOff: [{at: 2026-03-01, amount: -5, label: x}]}\n",
            line: 10, column: 43, keyPath: "costs.oneOff.0.amount", message: "expected a number ≥ 0, found -5"),
    BadCase(name: "unknown step in outcome", yaml: minimalYAML + "assessment: {outcome: {close: 0.5, fostr: 0.5}}\n",
            line: 10, column: 36, keyPath: "assessment.outcome.fostr",
            message: "unknown outcome 'fostr': expected close or a ladder step id (close, prevention, foster)",
            suggestion: "did you mean 'foster'?"),
    BadCase(name: "unknown step in initial", yaml: minimalYAML + "initial: {prevension: 10}\n",
            line: 10, column: 11, keyPath: "initial.prevension", message: "unknown ladder step 'prevension'",
            suggestion: "did you mean 'prevention'?"),
    BadCase(name: "unknown team in staff.changes", yaml: minimalYAML + "staff:\n  changes:\n    - {at: 2027-01-01, team: est, caseworkers: 3}\n",
            line: 12, column: 30, keyPath: "staff.changes.0.team", message: "unknown team 'est': expected one of the team ids (east)",
            suggestion: "did you mean 'east'?"),
    BadCase(name: "unknown distribution", yaml: minimalYAML + "assessment:\n  duration: {dist: gama, mean: 70, sd: 30}\n",
            line: 11, column: 20, keyPath: "assessment.duration.dist",
            message: "unknown distribution 'gama': expected one of fixed, exponential, gamma, lognormal, weibull, uniform, empirical",
            suggestion: "did you mean 'gamma'?"),
    BadCase(name: "mixed parametrisations", yaml: minimalYAML + "assessment: {duration: {dist: gamma, mean: 70, shape: 2}}\n",
            line: 10, column: 24, keyPath: "assessment.duration",
            message: "a gamma distribution takes mean and sd, or shape and scale, not a mix; found mean, shape"),
    BadCase(name: "missing parameter", yaml: minimalYAML + "assessment: {duration: {dist: gamma, mean: 70}}\n",
            line: 10, column: 24, keyPath: "assessment.duration.sd",
            message: "missing 'sd': a gamma distribution takes mean and sd, or shape and scale"),
    BadCase(name: "misspelt parameter", yaml: minimalYAML + "assessment: {duration: {dist: exponential, maen: 70}}\n",
            line: 10, column: 44, keyPath: "assessment.duration.maen",
            message: "'maen' is not a parameter of the exponential distribution, which takes mean",
            suggestion: "did you mean 'mean'?"),
    BadCase(name: "empirical weights of the wrong length",
            yaml: minimalYAML + "children: {ageAtNotification: {dist: empirical, values: [1, 2, 3], weights: [1, 1]}}\n",
            line: 10, column: 77, keyPath: "children.ageAtNotification.weights", message: "expected 3 weights, one per value, found 2"),
    BadCase(name: "empirical weights with zero sum",
            yaml: minimalYAML + "children: {ageAtNotification: {dist: empirical, values: [1, 2], weights: [0, 0]}}\n",
            line: 10, column: 74, keyPath: "children.ageAtNotification.weights", message: "the weights add up to 0"),
    BadCase(name: "uniform with min above max", yaml: minimalYAML + "outreach: {workers: 1, duration: {dist: uniform, min: 9, max: 3}}\n",
            line: 10, column: 63, keyPath: "outreach.duration.max", message: "expected max ≥ min (9), found 3"),
    BadCase(name: "bad date", yaml: minimalYAML + "simulation: {start: 2026-02-30}\n",
            line: 10, column: 21, keyPath: "simulation.start",
            message: "expected a date (YYYY-MM-DD), found a bad date '2026-02-30' (February 2026 has 28 days)"),
    BadCase(name: "date with a time of day", yaml: minimalYAML + "costs: {oneOff: [{at: 2026-02-03T10:00:00Z, amount: 5}]}\n",
            line: 10, column: 23, keyPath: "costs.oneOff.0.at", message: "expected a date (YYYY-MM-DD) without a time of day"),
    BadCase(name: "duplicate id", yaml: minimalYAML + "  - id: east\n    caseworkers: 1\n    cap: 10\n",
            line: 10, column: 9, keyPath: "teams.1.id", message: "duplicate team id 'east': it is already used on line 7"),
    BadCase(name: "malformed id", yaml: minimal(replacing: "  - id: foster", with: "  - id: foster family"),
            line: 4, column: 9, keyPath: "ladder.1.id",
            message: "expected an id of letters, digits, '-' and '_' (like foster or varige-spor), found 'foster family'"),
    BadCase(name: "step id close", yaml: minimal(replacing: "  - id: foster", with: "  - id: close"),
            line: 4, column: 9, keyPath: "ladder.close.id", message: "'close' cannot be a step id"),
    BadCase(name: "seasonality of 11 values", yaml: minimalYAML + "notifications:\n  seasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n",
            line: 11, column: 16, keyPath: "notifications.seasonality", message: "expected 12 monthly factors (January first), found 11"),
    BadCase(name: "missing teams", yaml: "ladder:\n  - {id: a, duration: 1}\n",
            line: 1, column: 1, keyPath: "teams", message: "missing required key 'teams'"),
    BadCase(name: "missing cap", yaml: minimal(replacing: "    cap: 20\n", with: ""),
            line: 7, column: 5, keyPath: "teams.east.cap", message: "missing required key 'cap' (the caseload cap per caseworker, a number > 0)"),
    BadCase(name: "empty ladder", yaml: "ladder: []\nteams: [{id: a, caseworkers: 1, cap: 1}]\n",
            line: 1, column: 9, keyPath: "ladder", message: "the ladder needs at least one step"),
    BadCase(name: "fractional caseworkers", yaml: minimal(replacing: "    caseworkers: 2", with: "    caseworkers: 2.5"),
            line: 8, column: 18, keyPath: "teams.east.caseworkers", message: "expected a whole number ≥ 0, found 2.5"),
    BadCase(name: "zero cap", yaml: minimal(replacing: "    cap: 20", with: "    cap: 0"),
            line: 9, column: 10, keyPath: "teams.east.cap", message: "expected a number > 0, found 0"),
    BadCase(name: "policy with suggestion", yaml: minimalYAML.replacingOccurrences(of: "    cap: 20\n", with: "    cap: 20\n    policy: overfow\n"),
            line: 10, column: 13, keyPath: "teams.east.policy", message: "expected overflow or waitlist, found 'overfow'",
            suggestion: "did you mean 'overflow'?"),
    BadCase(name: "casesCountedAs", yaml: minimalYAML + "caseload: {casesCountedAs: cases}\n",
            line: 10, column: 28, keyPath: "caseload.casesCountedAs", message: "expected children or families, found 'cases'"),
    BadCase(name: "capShare of 0", yaml: minimalYAML + "staff: {rampUp: {days: 90, capShare: 0}}\n",
            line: 10, column: 38, keyPath: "staff.rampUp.capShare", message: "expected a share > 0 and ≤ 1, found 0"),
    BadCase(name: "discount rate of -1", yaml: minimalYAML + "costs: {discountRate: -1}\n",
            line: 10, column: 23, keyPath: "costs.discountRate", message: "expected a number > -1, found -1"),
    BadCase(name: "negative seed", yaml: minimalYAML + "simulation: {seed: -3}\n",
            line: 10, column: 20, keyPath: "simulation.seed", message: "expected a whole number from 0 to 18446744073709551615, found -3"),
    BadCase(name: "zero replications", yaml: minimalYAML + "simulation: {replications: 0}\n",
            line: 10, column: 28, keyPath: "simulation.replications", message: "expected a whole number ≥ 1, found 0"),
    BadCase(name: "bad relative headcount", yaml: minimalYAML + "staff: {changes: [{at: 2027-01-01, team: east, caseworkers: \"+4.5\"}]}\n",
            line: 10, column: 61, keyPath: "staff.changes.0.caseworkers",
            message: "expected a number of positions (like 24) or a change (like \"+4\" or \"-2\"), found '+4.5'"),
    BadCase(name: "staff change that changes nothing", yaml: minimalYAML + "staff: {changes: [{at: 2027-01-01, team: east}]}\n",
            line: 10, column: 19, keyPath: "staff.changes.0",
            message: "a staff change must set at least one of caseworkers (like 24, \"+4\" or \"-2\"), cap, method or share"),
    BadCase(name: "boolean expected", yaml: minimal(replacing: "    duration: 200", with: "    duration: 200\n    placement: maybe"),
            line: 6, column: 16, keyPath: "ladder.foster.placement", message: "expected true or false, found a string 'maybe'"),
    BadCase(name: "non-finite number", yaml: minimalYAML + "notifications: {perYear: .inf}\n",
            line: 10, column: 26, keyPath: "notifications.perYear", message: "expected a number ≥ 0, found .inf"),
    BadCase(name: "key written twice", yaml: minimalYAML + "screening:\n  opensCase: 0.5\n  opensCase: 0.6\n",
            line: 12, column: 3, keyPath: "screening.opensCase", message: "the key 'opensCase' is written twice in this map (first on line 11)"),
    BadCase(name: "outreach without workers", yaml: minimalYAML + "outreach: {reach: 0.5}\n",
            line: 10, column: 11, keyPath: "outreach.workers", message: "missing required key 'workers'"),
    BadCase(name: "scenario that is not a map", yaml: "- ladder\n- teams\n",
            line: 1, column: 1, keyPath: "", message: "expected a scenario: a map of keys (name, simulation, ladder, teams, …), found a list"),
    BadCase(name: "YAML syntax error", yaml: "name: a: b\n",
            line: 1, column: 8, keyPath: "", message: "YAML syntax error: mapping values are not allowed in this context"),
    BadCase(name: "missing extends file", yaml: "extends: no-such-dir-7f3c/base.yaml\n",
            line: 1, column: 10, keyPath: "extends", message: "the file 'no-such-dir-7f3c/base.yaml' named by extends does not exist"),
]

@Suite struct DiagnosticTests {
    @Test(arguments: badCases)
    func badInputGivesOneLocatedDiagnostic(_ c: BadCase) {
        expectSingle(diagnostics(c.yaml), line: c.line, column: c.column, keyPath: c.keyPath, message: c.message,
                     suggestion: c.suggestion)
    }

    @Test func badInputCasesAreDistinct() {
        #expect(Set(badCases.map(\.name)).count == badCases.count)
        #expect(badCases.count >= 14)
    }

    @Test func allProblemsOfAFileAreReportedAtOnceInFileOrder() {
        let yaml = """
        costs: {discountRate: -2}
        ladder:
          - id: prevention
            duration: -1
        teams:
          - {id: east, caseworkers: 2, cap: 0}
        """
        let diags = diagnostics(yaml)
        #expect(diags.count == 3)
        #expect(diags.map(\.line) == [1, 4, 6])
        #expect(diags.map(\.column) == [23, 15, 37])
        #expect(diags.map(\.keyPath) == ["costs.discountRate", "ladder.prevention.duration", "teams.east.cap"])
    }

    @Test func aTypeErrorDoesNotHideOtherProblems() {
        let yaml = minimalYAML + "simulation: {years: ten, seed: -1, start: 2026-13-01}\n"
        let diags = diagnostics(yaml)
        #expect(diags.map(\.keyPath) == ["simulation.years", "simulation.seed", "simulation.start"])
        #expect(diags.last?.message.contains("there is no month 13") == true)
    }

    @Test func unreadableFileIsADiagnostic() throws {
        let dir = try TempDir()
        defer { dir.cleanUp() }
        let missing = dir.path + "/nope.yaml"
        expectSingle(diagnostics(path: missing), file: missing, line: 0, column: 0, keyPath: "",
                     message: "the scenario file does not exist")
        expectSingle(diagnostics(path: dir.path), file: dir.path, line: 0, column: 0, keyPath: "",
                     message: "the scenario file is a directory")
    }

    @Test func descriptionsReadLikeCompilerErrors() throws {
        let diags = diagnostics(minimal(replacing: "    caseworkers: 2", with: "    casworkers: 2"), file: "Scenarios/x.yaml")
        #expect(diags.first?.description
                == "Scenarios/x.yaml:8:5: error: teams.east.casworkers: unknown key 'casworkers' in a team (did you mean 'caseworkers'?)")
        let error = ScenarioError(diagnostics: diags)
        #expect(error.description.hasSuffix("\n1 error"))
        #expect(ScenarioError(diagnostics: diags + diags).description.hasSuffix("\n2 errors"))
    }

    @Test func emptyFileNeedsLadderAndTeams() {
        let diags = diagnostics("")
        #expect(diags.map(\.keyPath) == ["ladder", "teams"])
        #expect(diags.allSatisfy { $0.line == 1 && $0.column == 1 })
    }

    /// Mutations of a valid file must give diagnostics, never a crash.
    @Test func mutationsNeverCrash() {
        let lines = richYAML.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let replacements = ["", "x", "-1", "[]", "{}", "~", "1e400", "\"", "{dist: gamma}", "[1, {a: 2}]", ": :"]
        for i in lines.indices {
            for r in replacements {
                var mutated = lines
                if let colon = mutated[i].firstIndex(of: ":") {
                    mutated[i] = String(mutated[i][...colon]) + " " + r
                } else {
                    mutated[i] = r
                }
                _ = diagnostics(mutated.joined(separator: "\n"))
            }
        }
        for r in ["a=", "=1", "a..b=1", "teams.-1.cap=1", "teams.0.method.x.y=1", "ladder.0=", "initial.x.y=1",
                  "staff.changes.0.at=1", "teams.99999999999999999999.cap=1", "outreach=[", ".=1", "=", "name"] {
            _ = diagnostics(richYAML, overrides: [r])
        }
    }
}
