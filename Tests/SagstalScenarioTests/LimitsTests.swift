import Testing
@testable import SagstalScenario

/// Issue 9, rows 5, 6, 7 and 8 (and part of 12): numbers far beyond any municipality overflowed an
/// integer or a Double → Int conversion, or made a run that never ends. They are refused at
/// validation, located, naming the limit (docs/model.md, Limits).
@Suite struct LimitsTests {
    static let cases: [(name: String, yaml: String, keyPath: String)] = [
        ("a million-year horizon", "simulation: {years: 1e6}\n", "simulation.years"),
        ("a warm-up beyond Int", "simulation: {warmupYears: 9223372036854775808}\n", "simulation.warmupYears"),
        ("a million-year warm-up", "simulation: {warmupYears: 1e6}\n", "simulation.warmupYears"),
        ("two million replications", "simulation: {replications: 2000000}\n", "simulation.replications"),
        ("a billion positions", "", "teams.east.caseworkers"),
        ("a relative change of Int.max", "staff: {changes: [{at: 2027-01-01, team: east, caseworkers: \"+9223372036854775807\"}]}\n",
         "staff.changes.0.caseworkers"),
        ("outreach workers 1e300", "outreach: {workers: 1e300, coursesPerWorker: 10}\n", "outreach.workers"),
        ("courses per worker 1e300", "outreach: {workers: 2, coursesPerWorker: 1e300}\n", "outreach.coursesPerWorker"),
        // Row 7: report.html crashed after the whole simulation; at 1e300 summary.json had "sd": null.
        ("a salary of 1e308", "staff: {costPerYear: 1e308}\n", "staff.costPerYear"),
        ("a recruitment cost of 1e300", "staff: {recruitmentCost: 1e300}\n", "staff.recruitmentCost"),
        ("an assessment cost of 1e300", "assessment: {cost: 1e300}\n", "assessment.cost"),
        ("an outreach salary of 1e300", "outreach: {workers: 1, costPerWorkerYear: 1e300}\n", "outreach.costPerWorkerYear"),
        ("a course cost of 1e300", "outreach: {workers: 1, costPerCourse: 1e300}\n", "outreach.costPerCourse"),
        ("a one-off of 1e300", "costs: {oneOff: [{at: 2026-06-01, amount: 1e300}]}\n", "costs.oneOff.0.amount"),
    ]

    @Test(arguments: cases)
    func beyondTheLimitIsRefused(_ c: (name: String, yaml: String, keyPath: String)) {
        var yaml = minimalYAML + c.yaml
        if c.name == "a billion positions" { yaml = yaml.replacingOccurrences(of: "caseworkers: 2", with: "caseworkers: 1000000000") }
        let d = diagnostics(yaml)
        #expect(d.count == 1, "\(c.name): \(d.map(\.description))")
        #expect(d.first?.keyPath == c.keyPath, "\(c.name): \(d.map(\.description))")
        #expect(d.first?.message.hasPrefix("expected at most") == true, "\(c.name): \(d.map(\.description))")
    }

    @Test func theLimitsThemselvesAreAccepted() {
        let yaml = minimalYAML.replacingOccurrences(of: "caseworkers: 2", with: "caseworkers: 100000")
            + "simulation: {years: 100, warmupYears: 100, replications: 1000000}\n"
            + "staff: {changes: [{at: 2027-01-01, team: east, caseworkers: \"-100000\"}]}\n"
            + "outreach: {workers: 100000, coursesPerWorker: 100000, costPerWorkerYear: 1e10, costPerCourse: 1e10}\n"
            + "assessment: {cost: 1e10}\ncosts: {oneOff: [{at: 2026-06-01, amount: 1e10}]}\n"
        #expect(diagnostics(yaml).isEmpty, "\(diagnostics(yaml).map(\.description))")
    }

    /// Row 12: a billion notifications a year, an initial stock of 2³¹ − 1 children (written in
    /// decimal; in hexadecimal it is refused as hexadecimal, NumberHabitsTests), caps and
    /// caseload parameters far outside any municipality.
    @Test(arguments: [
        ("notifications.perYear=1e9", "notifications.perYear", "expected at most 10000000 notifications a year"),
        ("initial.foster=2147483647", "initial.foster", "expected at most 2000000 children"),
        ("teams.east.cap=1e300", "teams.east.cap", "expected at most 1000 cases per caseworker"),
        ("teams.east.cap=5e-324", "teams.east.cap", "at least 1 case per caseworker"),
        ("caseload.reference=1e9", "caseload.reference", "expected at most 1000"),
    ])
    func volumesBeyondAnyMunicipalityAreRefused(_ c: (String, String, String)) {
        let d = diagnostics(minimalYAML, overrides: [c.0])
        #expect(d.count == 1 && d[0].keyPath == c.1 && d[0].message.contains(c.2), "\(c.0): \(d.map(\.description))")
    }

    @Test func theInitialStockIsLimitedInAll() {
        let d = diagnostics(minimalYAML + "initial: {prevention: 1500000, foster: 1500000}\n")
        #expect(d.count == 1 && d[0].keyPath == "initial" && d[0].message.contains("in all"), "\(d.map(\.description))")
    }

    /// Row 11: growth counts from t = 0, so −0.999 with 3 warm-up years made the warm-up's rate
    /// 10⁹ × perYear; the growth itself is limited, and so is the rate it reaches.
    @Test func aDeclineThatExplodesTheWarmUpIsRefused() {
        let d = diagnostics(minimalYAML, overrides: ["notifications.growthPerYear=-0.999", "simulation.warmupYears=3"])
        #expect(d.count == 1 && d[0].message.contains("between -0.5 and 1"), "\(d.map(\.description))")
        let peak = diagnostics(minimalYAML, overrides: ["notifications.perYear=1000", "notifications.growthPerYear=-0.5",
                                                        "simulation.warmupYears=20"])
        #expect(peak.count == 1 && peak[0].keyPath == "notifications.growthPerYear"
                && peak[0].message.contains("at the start of the 20-year warm-up"), "\(peak.map(\.description))")
        let horizon = diagnostics(minimalYAML, overrides: ["notifications.perYear=100000", "notifications.growthPerYear=1",
                                                           "simulation.years=10"])
        #expect(horizon.count == 1 && horizon[0].message.contains("after 10 years"), "\(horizon.map(\.description))")
        // The same decline over a short warm-up is fine: 1000 × 2³ a year at the start.
        #expect(diagnostics(minimalYAML, overrides: ["notifications.perYear=1000", "notifications.growthPerYear=-0.5",
                                                     "simulation.warmupYears=3"]).isEmpty)
    }

    /// Fuzzer class G: a seasonal factor of 1e308 overflowed to an infinite arrival rate; class H: very
    /// long lists took seconds each to validate.
    @Test func seasonalFactorsAndListLengthsAreLimited() {
        let season = diagnostics(minimalYAML, overrides: ["notifications.seasonality=[1, 1, 1, 1, 1, 1e308, 1, 1, 1, 1, 1, 1]"])
        #expect(season.count == 1 && season[0].keyPath == "notifications.seasonality.5" && season[0].message.contains("at most 1000000"),
                "\(season.map(\.description))")
        let teams = "[" + (0..<501).map { "{id: t\($0), caseworkers: 1, cap: 20}" }.joined(separator: ", ") + "]"
        let d = diagnostics(minimalYAML, overrides: ["teams=" + teams])
        #expect(d.contains { $0.keyPath == "teams" && $0.message.contains("at most 500 items") }, "\(d.prefix(3).map(\.description))")
        let steps = "[" + (0..<51).map { "{id: s\($0), duration: 10}" }.joined(separator: ", ") + "]"
        let l = diagnostics(minimalYAML, overrides: ["ladder=" + steps])
        #expect(l.contains { $0.keyPath == "ladder" && $0.message.contains("at most 50 items") }, "\(l.prefix(3).map(\.description))")
    }

    /// Fuzzer findings of the final round: a share of 2⁶³ crashed the plausibility warning's
    /// thousands grouping (Double → Int); ageOut of 2⁶³ crashed the steady state; a turnover of
    /// 10¹⁶ a year made the work estimate absurd. Now refused; the grouping copes with any number.
    @Test func weightsAgesAndTurnoverAreLimited() {
        for (override, keyPath, words) in [("teams.east.share=9223372036854775808", "teams.east.share", "at most 1000000000"),
                                           ("assessment.outcome={close: 1e308, foster: 1e308}", "assessment.outcome.close", "weight of at most"),
                                           ("children.ageOut=9223372036854775808", "children.ageOut", "at most 1000 years"),
                                           ("staff.turnover.perYear=1e16", "staff.turnover.perYear", "at most 100")] {
            let d = diagnostics(minimalYAML, overrides: [override])
            #expect(d.first?.keyPath == keyPath && d.first?.message.contains(words) == true, "\(override): \(d.map(\.description))")
        }
        #expect(Plausibility.grouped(9_223_372_036_854_775_808) == "9.223e+18")
        #expect(Plausibility.grouped(.infinity) == "inf")
        #expect(Plausibility.grouped(-1_234_567.4) == "-1,234,567")
    }
}
