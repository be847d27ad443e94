import Foundation
import Testing
@testable import SagstalScenario

/// Plausibility warnings (docs/plausibility.md): each check fires on a bad case, located, and is
/// silent on a plausible scenario.
@Suite struct PlausibilityTests {
    /// A small, plausible scenario: no warning.
    static let good = """
    simulation: {years: 2, replications: 3, seed: 5}
    notifications: {perYear: 300}
    screening: {opensCase: 0.5}
    assessment: {duration: 60, outcome: {close: 0.5, help: 0.4, foster: 0.1}}
    ladder:
      - {id: help, costPerYear: 100000, duration: 200, next: {up: 0.1, exit: 0.7}}
      - {id: foster, placement: true, costPerYear: 470000, duration: 500, next: {down: 0.3, exit: 0.3}}
    teams: [{id: team, caseworkers: 4, cap: 25}]
    staff: {costPerYear: 500000}
    """

    static func warnings(_ yaml: String = good, _ overrides: [String] = []) throws -> [Diagnostic] {
        try ScenarioLoader.load(yaml: yaml, file: "w.yaml", overrides: overrides).warnings
    }

    /// The one warning at `keyPath`, which must be the only one.
    static func only(_ keyPath: String, _ yaml: String = good, _ overrides: [String] = []) throws -> Diagnostic? {
        let w = try warnings(yaml, overrides)
        #expect(w.map(\.keyPath) == [keyPath], "\(w.map(\.description))")
        return w.first
    }

    @Test func aPlausibleScenarioHasNoWarning() throws {
        #expect(try Self.warnings().isEmpty)
    }

    @Test func teamSharesSummingToNinetyPercentAreLocatedAndExplained() throws {
        let yaml = Self.good.replacingOccurrences(of: "teams: [{id: team, caseworkers: 4, cap: 25}]", with: """
        teams:
          - {id: a, caseworkers: 2, cap: 25, share: 0.5}
          - {id: b, caseworkers: 2, cap: 25, share: 0.4}
        """)
        let w = try #require(try Self.only("teams.a.share", yaml))
        #expect(w.severity == .warning)
        #expect(w.file == "w.yaml" && w.line == 9 && w.column == 45)
        #expect(w.message.contains("0.5 (a) + 0.4 (b) = 0.9"))
        #expect(w.message.contains("normalises") && w.message.contains("55.6 % a, 44.4 % b"))
        #expect(w.description.hasPrefix("w.yaml:9:45: warning: teams.a.share: the shares of the teams covering ages 0–18"))
        #expect(w.description.hasSuffix("; see docs/plausibility.md)"))
    }

    @Test func defaultSharesAndSharesWithinRoundingAreSilent() throws {
        let two = Self.good.replacingOccurrences(of: "teams: [{id: team, caseworkers: 4, cap: 25}]", with: """
        teams:
          - {id: a, caseworkers: 2, cap: 25}
          - {id: b, caseworkers: 2, cap: 25}
        """)
        #expect(try Self.warnings(two).isEmpty, "every share defaulting to 1 is an even split")
        #expect(try Self.warnings(two, ["teams.a.share=0.333", "teams.b.share=0.666"]).isEmpty)
        // A band with one team: its share has no effect.
        let banded = try Self.warnings(two, ["teams.a.ages=[0, 12]", "teams.a.share=0.5", "teams.b.share=0.5"])
        #expect(banded.map(\.keyPath) == ["teams.b.share"])
        #expect(banded.first?.message.contains("only team covering ages 12–18") == true)
    }

    @Test func outcomeWeightsAndSeasonalityThatAreNormalised() throws {
        let o = try #require(try Self.only("assessment.outcome", Self.good, ["assessment.outcome={close: 0.4, help: 0.4, foster: 0.1}"]))
        #expect(o.message.contains("sum to 0.9") && o.message.contains("close 44.4 %"))
        #expect(o.file == "<--set>")
        let s = try #require(try Self.only("notifications.seasonality", Self.good,
                                           ["notifications.seasonality=[100, 100, 100, 100, 100, 100, 50, 100, 100, 100, 100, 100]"]))
        #expect(s.message.contains("mean 95.833"))
        #expect(try Self.warnings(Self.good, ["notifications.seasonality=[1.05, 1.05, 1.1, 1.0, 1.05, 0.9, 0.6, 0.85, 1.1, 1.1, 1.1, 1.1]"]).isEmpty)
    }

    @Test func agesAtOrAboveAgeOut() throws {
        let w = try #require(try Self.only("children.ageAtNotification", Self.good, ["children.ageAtNotification={dist: uniform, min: 10, max: 20}"]))
        #expect(w.message.contains("20 %"))
        let e = try #require(try Self.only("children.ageOut", Self.good, ["children.ageOut=15"]))
        #expect(e.message.contains("16.7 %"), "3 of 18 whole years at or above 15")
    }

    @Test func aStepNobodyLeaves() throws {
        let w = try #require(try Self.only("ladder.foster.next", Self.good, ["ladder.foster.next={up: 0.3}"]))
        #expect(w.message.contains("never leave") && w.message.contains("at the top step up means stay"))
    }

    @Test func amountsOutsideDanishRanges() throws {
        let p = try #require(try Self.only("ladder.foster.costPerYear", Self.good, ["ladder.foster.costPerYear=47000000"]))
        #expect(p.message.contains("47,000,000 DKK") && p.message.contains("26,000–6,000,000 DKK"))
        _ = try Self.only("ladder.help.costPerYear", Self.good, ["ladder.help.costPerYear=150"])
        let s = try #require(try Self.only("staff.costPerYear", Self.good, ["staff.costPerYear=50000"]))
        #expect(s.suggestion?.contains("check the unit") == true)
        _ = try Self.only("outreach.costPerWorkerYear", Self.good, ["outreach={workers: 1, coursesPerWorker: 10, costPerWorkerYear: 5000000}"])
        #expect(try Self.warnings(Self.good, ["staff.costPerYear=0", "ladder.foster.costPerYear=0"]).isEmpty, "0 is not costed")
    }

    @Test func volumesOutsideDanishRanges() throws {
        let n = try Self.warnings(Self.good, ["notifications.perYear=200000"])
        #expect(n.map(\.keyPath).contains("notifications.perYear"))
        _ = try Self.only("staff.turnover.perYear", Self.good, ["staff.turnover.perYear=5"])
        let cap = try #require(try Self.only("teams.team.cap", Self.good, ["teams.team.cap=300"]))
        #expect(cap.message.contains("300 children"))
        let load = try #require(try Self.only("teams", Self.good, ["teams.team.caseworkers=400"]))
        #expect(load.message.contains("400 caseworker positions"))
        let family = try Self.warnings(Self.good, ["caseload.casesCountedAs=families", "caseload.childrenPerFamily=5"])
        #expect(family.map(\.keyPath).contains("caseload.childrenPerFamily"))
    }

    @Test func placementLengthFarFromDanishPlacements() throws {
        let w = try #require(try Self.only("ladder.foster.duration", Self.good, ["ladder.foster.duration=20"]))
        #expect(w.message.contains("a placement lasts ≈ 0.1 years"))
    }

    @Test func steadyStateFollowsLittlesLawWithoutAgeingOut() throws {
        // Ageing out far away: the stock is arrival rate × time per entry.
        var s = try ScenarioLoader.load(yaml: Self.good, overrides: ["children.ageOut=100", "children.ageAtNotification=0"]).scenario
        let steady = try #require(SteadyState(s))
        #expect(abs(steady.casesPerYear - 150) < 1e-9)
        #expect(abs(steady.inAssessment - 150 * 60 / 365.25) < 0.01)
        // Per entry, help ends up with 0.1 / 0.8 and foster down with 0.3 / 0.6:
        // e_help = 60 + ½ e_foster, e_foster = 15 + ⅛ e_help → 72 and 24; 250 days per help entry, 833⅓ per foster entry.
        let eHelp = 72.0, eFoster = 24.0
        #expect(abs(steady.entriesPerYear[0] - eHelp) / eHelp < 1e-3)
        #expect(abs(steady.stock[0] - eHelp * 250 / 365.25) / (eHelp * 250 / 365.25) < 1e-3)
        #expect(abs(steady.stock[1] - eFoster * 500 / 0.6 / 365.25) / (eFoster * 500 / 0.6 / 365.25) < 1e-3)
        #expect(abs(steady.placementStartsPerYear - eFoster) / eFoster < 1e-3)
        // Ageing out shortens the stays.
        s.children.ageOut = 18
        s.children.ageAtNotification = .fixed(17)
        let young = try #require(SteadyState(s))
        #expect(young.stock[1] < 0.5 * steady.stock[1])
    }

    @Test func initialStockFarFromTheSteadyStateWithoutWarmUp() throws {
        let s = try ScenarioLoader.load(yaml: Self.good).scenario
        let steady = try #require(SteadyState(s))
        let help = Int(steady.stock[0].rounded()), foster = Int(steady.stock[1].rounded())
        #expect(try Self.warnings(Self.good, ["initial={help: \(help), foster: \(foster)}"]).isEmpty)
        let w = try #require(try Self.only("initial.foster", Self.good, ["initial={help: \(help), foster: \(3 * foster)}"]))
        #expect(w.message.contains("children start on foster") && w.message.contains("Little's law"))
        #expect(w.suggestion?.contains("set initial.foster to about \(foster)") == true)
        #expect(try Self.warnings(Self.good, ["initial={help: \(help), foster: \(3 * foster)}", "simulation.warmupYears=1"]).isEmpty,
                "a warm-up lets the stock settle")
        // A step left out of initial starts at 0.
        _ = try Self.only("initial", Self.good, ["initial={help: \(help)}"])
    }

    @Test func warningsAreSortedLikeErrors() throws {
        let w = try Self.warnings(Self.good, ["staff.costPerYear=50000", "ladder.foster.costPerYear=47000000"])
        #expect(w.map(\.keyPath) == ["staff.costPerYear", "ladder.foster.costPerYear"], "in the order the overrides were given")
    }
}
