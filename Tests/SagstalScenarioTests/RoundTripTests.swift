import Foundation
import Testing
@testable import SagstalScenario

/// A scenario that uses every key of MODEL.md §7, every distribution
/// parametrisation, and text that YAML would misread unless quoted.
let richYAML = """
# Fuld scenarie — alle nøgler
name: "Brønderslev — Varige Spor: 25 per caseworker"
simulation: {start: 2026-01-01, years: 10.5, warmupYears: 2, replications: 500, seed: 18446744073709551615, generator: ranlxd2}
children:
  ageOut: 18
  ageAtNotification: {dist: empirical, values: [0, 1, 2, 3], weights: [5, 3, 3.5, 1]}
notifications:
  perYear: 950
  growthPerYear: 0.03
  seasonality: [1.1, 0.9, 1, 1, 1, 0.8, 0.6, 1, 1.2, 1.1, 1.1, 1.2]
  concernsOpenCase: 0.35
  escalateOnRenotification: 0.05
screening: {opensCase: 0.4}
assessment:
  duration: {dist: gamma, mean: 70, sd: 30}
  outcome: {close: 0.40, prevention: 0.30, homeBased: 0.18, kinship: 0.03, foster: 0.07, residential: 0.02}
  deadlineDays: 121.75
  cost: 15000
ladder:
  - {id: prevention, name: Forebyggelse, placement: false, costPerYear: 60000,
     duration: {dist: lognormal, mean: 240, sd: 150}, next: {up: 0.08, down: 0, exit: 0.6, stay: 0.32}}
  - {id: homeBased, name: "Hjemmebaseret indsats", costPerYear: 180000,
     duration: {dist: exponential, mean: 200}, next: {up: 0.1, down: 0.2, exit: 0.3}}
  - {id: kinship, name: Netværkspleje, placement: true, costPerYear: 250000,
     duration: {dist: weibull, shape: 1.5, scale: 400}, next: {up: 0.05, down: 0.1}}
  - {id: foster, name: Plejefamilie, placement: yes, costPerYear: 450000,
     duration: {dist: gamma, shape: 2, scale: 300}, next: {up: 0.1, down: 0.2, exit: 0.2}}
  - {id: residential, name: "Døgninstitution/opholdssted", placement: true, costPerYear: 1.2e6,
     duration: {dist: lognormal, mu: 6, sigma: 0.5}, next: {down: 0.4, exit: 0.3}}
  - {id: after_care, name: "yes", duration: {dist: uniform, min: 30, max: 90}}
  - {id: "123", name: "null", duration: {dist: fixed, value: 0.5}}
caseload:
  reference: 30
  casesCountedAs: families
  childrenPerFamily: 1.7
  elasticity: {escalate: 0.8, deescalate: 0.5, close: 0.3, duration: -0.2}
teams:
  - {id: varige-spor, name: Team Varige Spor, ages: [0, 15], share: 0.6, caseworkers: 20, cap: 25, policy: overflow,
     method: {escalate: 0.85, deescalate: 1.2}}
  - id: oest
    name: "UngeCenter: øst"
    ages: [14.5, 25]
    share: 0.4
    caseworkers: 15
    cap: 32.5
    policy: waitlist
    method: {close: 1.1, duration: 0.9}
  - {id: reserve, name: "yes", share: 0, caseworkers: 1, cap: 10}
  - {id: alle, ages: [0, 18], share: 0.1, caseworkers: 2, cap: 30}
staff:
  costPerYear: 520000
  recruitmentCost: 50000
  turnover: {perYear: 0.12, overloadElasticity: 1.5}
  recruitment: {dist: gamma, mean: 75, sd: 0}
  rampUp: {days: 90, capShare: 0.5}
  changes:
    - {at: 2026-07-01, team: varige-spor, caseworkers: "+4"}
    - {at: "2027-01-01", team: oest, caseworkers: -2, immediate: true}
    - {at: 2028-02-29, team: oest, caseworkers: 12, cap: 28}
    - {at: 2029-03-01, team: varige-spor, cap: 22.5}
    - {at: 2029-06-01, team: varige-spor, caseworkers: +3}
    - {at: 2030-01-01, team: varige-spor, cap: 20, method: {escalate: 0.8, duration: 1.1}, share: 0.7}   # rollout
    - {at: 2030-06-01, team: reserve, share: 0.25, method: {}}
    - {at: 2031-01-01, team: oest, method: {close: 1.3}}
followUps:
  - {id: tilsyn, name: Tilsynsbesøg, steps: [kinship, foster, residential], everyDays: 182.625, elasticity: 0.8}
  - id: samtale
    name: "Børnesamtale: årlig"
    steps: [foster, "123"]
    everyDays: 365.25
    elasticity: -0.25
  - {id: "7", steps: [prevention]}
outreach: {workers: 2.5, coursesPerWorker: 12, reach: 0.3, duration: {dist: gamma, mean: 60, sd: 20},
           resolves: 0.6, costPerCourse: 5000, costPerWorkerYear: 520000}
initial: {prevention: 150, homeBased: 70, kinship: 12, foster: 60, residential: 9}
costs:
  discountRate: 0.03
  oneOff:
    - {at: 2026-01-01, amount: 1200000, label: "Signs of Safety-uddannelse, del #1"}
    - {at: 2027-05-01, amount: 0.1, label: ""}
    - {at: 2028-01-01, amount: 7, label: "Line one\\nline \\"two\\""}

"""

@Suite struct RoundTripTests {
    @Test func richScenarioLoadsAsWritten() throws {
        let s = try ScenarioLoader.load(yaml: richYAML, file: "Scenarios/rich.yaml").scenario
        #expect(s.name == "Brønderslev — Varige Spor: 25 per caseworker")
        #expect(s.simulation.seed == UInt64.max)
        #expect(s.simulation.years == 10.5)
        #expect(s.simulation.generator == "ranlxd2")
        #expect(s.children.ageAtNotification == .empirical(values: [0, 1, 2, 3], weights: [5, 3, 3.5, 1]))
        #expect(s.assessment.outcome.map(\.outcome) == ["close", "prevention", "homeBased", "kinship", "foster", "residential"])
        #expect(s.ladder.map(\.id) == ["prevention", "homeBased", "kinship", "foster", "residential", "after_care", "123"])
        #expect(s.ladder[0].duration == .lognormalMeanSD(mean: 240, sd: 150))
        #expect(s.ladder[3].placement)
        #expect(s.ladder[3].duration == .gammaShapeScale(shape: 2, scale: 300))
        #expect(s.ladder[4].costPerYear == 1_200_000)
        #expect(s.ladder[4].duration == .lognormalMuSigma(mu: 6, sigma: 0.5))
        #expect(s.ladder[5].name == "yes")
        #expect(s.ladder[5].duration == .uniform(min: 30, max: 90))
        #expect(s.ladder[6].duration == .fixed(0.5))
        #expect(s.ladder[1].next == Transitions(up: 0.1, down: 0.2, exit: 0.3))
        #expect(s.caseload.casesCountedAs == .families)
        #expect(s.teams[0].method == MethodMultipliers(escalate: 0.85, deescalate: 1.2))
        #expect(s.teams[1].policy == .waitlist)
        #expect(s.teams.map(\.name) == ["Team Varige Spor", "UngeCenter: øst", "yes", "alle"])
        #expect(s.teams.map(\.ages) == [AgeBand(min: 0, max: 15), AgeBand(min: 14.5, max: 25), nil, nil])
        #expect(s.staff.changes.map(\.caseworkers) == [.relative(4), .relative(-2), .set(12), nil, .relative(3), nil, nil, nil])
        #expect(s.staff.changes[1].at == CalendarDate(year: 2027, month: 1, day: 1))
        #expect(s.staff.changes[1].immediate)
        #expect(s.staff.changes[3].cap == 22.5)
        #expect(s.staff.changes.map(\.share) == [nil, nil, nil, nil, nil, 0.7, 0.25, nil])
        #expect(s.staff.changes.map(\.method) == [nil, nil, nil, nil, nil, MethodChange(escalate: 0.8, duration: 1.1), nil,
                                                  MethodChange(close: 1.3)])
        #expect(s.followUps.map(\.id) == ["tilsyn", "samtale", "7"])
        #expect(s.followUps[1] == FollowUp(id: "samtale", name: "Børnesamtale: årlig", steps: ["foster", "123"],
                                           everyDays: 365.25, elasticity: -0.25))
        #expect(s.followUps[2] == FollowUp(id: "7", steps: ["prevention"]))
        #expect(s.outreach?.slots == 30)
        #expect(s.initial.first == InitialStock(step: "prevention", count: 150))
        #expect(s.costs.oneOff[2].label == "Line one\nline \"two\"")
    }

    @Test func emitThenLoadGivesAnEqualScenario() throws {
        let loaded = try ScenarioLoader.load(yaml: richYAML, file: "Scenarios/rich.yaml").scenario
        let text = ScenarioEmitter.yaml(loaded, toolVersion: "0.1.0")
        let reloaded = try ScenarioLoader.load(yaml: text, file: "Outputs/rich/scenario.resolved.yaml").scenario
        #expect(reloaded == loaded, "resolved YAML:\n\(text)")
        // Emitting is stable: a second round gives the same text.
        #expect(ScenarioEmitter.yaml(reloaded, toolVersion: "0.1.0") == text)
    }

    /// Issue 9, row 10: a start in year 1 was written as `1-01-01`, which the loader refuses.
    @Test func earlyYearsArePaddedSoTheResolvedFileReadsBack() throws {
        for start in ["0001-01-01", "0999-12-31", "2026-03-01"] {
            let yaml = "simulation: {start: \(start)}\nladder: [{id: a, duration: 1}]\nteams: [{id: t, caseworkers: 1, cap: 1}]\n"
            let loaded = try ScenarioLoader.load(yaml: yaml, file: "s.yaml").scenario
            let text = ScenarioEmitter.yaml(loaded, toolVersion: "test")
            #expect(text.contains("start: \(start)"), "\(text)")
            let reloaded = try ScenarioLoader.load(yaml: text, file: "resolved.yaml").scenario
            #expect(reloaded == loaded)
        }
    }

    @Test func emittedTextIsReadable() throws {
        let loaded = try ScenarioLoader.load(yaml: richYAML, file: "rich.yaml").scenario
        let text = ScenarioEmitter.yaml(loaded, toolVersion: "1.2.3")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "# Resolved by sagstal 1.2.3. Rerun: sagstal run <this file>")
        #expect(lines[1] == "# seed: 18446744073709551615")
        #expect(lines[2] == "name: \"Brønderslev — Varige Spor: 25 per caseworker\"")
        #expect(lines.contains("  duration: {dist: gamma, mean: 70, sd: 30}"))
        #expect(lines.contains("  seed: 18446744073709551615"))
        #expect(lines.contains("  start: 2026-01-01"))
        #expect(lines.contains("    costPerYear: 1200000"))
        #expect(lines.contains("    name: \"yes\""))
        #expect(lines.contains("    name: \"null\""))
        #expect(lines.contains("  - id: \"123\""))
        #expect(lines.contains("    duration: 0.5"))
        #expect(lines.contains("    - {at: 2026-07-01, team: varige-spor, caseworkers: \"+4\", immediate: false}"))
        #expect(lines.contains("    - {at: 2027-01-01, team: oest, caseworkers: \"-2\", immediate: true}"))
        #expect(lines.contains("    - {at: 2028-02-29, team: oest, caseworkers: 12, cap: 28, immediate: false}"))
        #expect(lines.contains("  deadlineDays: 121.75"))
        #expect(!text.contains("extends"))
        // Team names and bands, the default band resolved.
        #expect(lines.contains("    name: Team Varige Spor"))
        #expect(lines.contains("    name: \"UngeCenter: øst\""))
        #expect(lines.contains("    ages: [0, 15]"))
        #expect(lines.contains("    ages: [14.5, 25]"))
        #expect(lines.filter { $0 == "    ages: [0, 18]" }.count == 2)
        // A dated change writes only the multipliers it sets.
        #expect(lines.contains("    - {at: 2030-01-01, team: varige-spor, cap: 20, immediate: false, method: {escalate: 0.8, duration: 1.1}, share: 0.7}"))
        #expect(lines.contains("    - {at: 2030-06-01, team: reserve, immediate: false, share: 0.25}"))
        #expect(lines.contains("    - {at: 2031-01-01, team: oest, immediate: false, method: {close: 1.3}}"))
        // Follow-ups with every default.
        #expect(text.contains("""
        followUps:
          - id: tilsyn
            name: Tilsynsbesøg
            steps: [kinship, foster, residential]
            everyDays: 182.625
            elasticity: 0.8
          - id: samtale
            name: "Børnesamtale: årlig"
            steps: [foster, "123"]
            everyDays: 365.25
            elasticity: -0.25
          - id: "7"
            name: "7"
            steps: [prevention]
            everyDays: 182.625
            elasticity: 0

        """))
        // Key order of MODEL.md §7, which is the order of `Keys.root`.
        let topKeys = lines.filter { !$0.hasPrefix(" ") && !$0.hasPrefix("#") }.map { String($0.prefix { $0 != ":" }) }
        #expect(topKeys == ["name", "simulation", "children", "notifications", "screening", "assessment", "ladder",
                            "caseload", "teams", "staff", "followUps", "outreach", "initial", "costs"])
        #expect(topKeys == Keys.root)
    }

    @Test func minimalScenarioRoundTripsWithoutOutreach() throws {
        let loaded = try ScenarioLoader.load(yaml: minimalYAML, file: "minimal.yaml").scenario
        let text = ScenarioEmitter.yaml(loaded, toolVersion: "0.1.0")
        #expect(!text.contains("outreach"))
        #expect(text.contains("initial: {}"))
        #expect(text.contains("  changes: []"))
        #expect(text.contains("\nfollowUps: []\n"))
        #expect(text.contains("  - id: east\n    name: east\n    ages: [0, 18]\n"))
        let reloaded = try ScenarioLoader.load(yaml: text).scenario
        #expect(reloaded == loaded)
    }

    /// The default band is written resolved, as `[0, ageOut]`, and reads back as the default.
    @Test(arguments: [18.0, 21, 16.5])
    func defaultBandsRoundTrip(_ ageOut: Double) throws {
        var scenario = try ScenarioLoader.load(yaml: minimalYAML).scenario
        scenario.children.ageOut = ageOut
        scenario.teams.append(Team(id: "unge", name: "Unge: 15+", share: 2, caseworkers: 1, cap: 5, ages: AgeBand(min: 15, max: 30)))
        let text = ScenarioEmitter.yaml(scenario, toolVersion: "t")
        #expect(text.contains("    ages: [0, \(ScenarioEmitter.number(ageOut))]\n"))
        let reloaded = try ScenarioLoader.load(yaml: text).scenario
        #expect(reloaded == scenario, "emitted:\n\(text)")
        #expect(reloaded.teams[0].ages == nil)
    }

    @Test func followUpsAndDatedMethodChangesRoundTrip() throws {
        var scenario = try ScenarioLoader.load(yaml: minimalYAML).scenario
        scenario.followUps = [FollowUp(id: "a", name: "true", steps: ["foster", "prevention"], everyDays: 1e-3, elasticity: -2.5)]
        scenario.staff.changes = [
            StaffChange(at: CalendarDate(year: 2027, month: 1, day: 1), team: "east", method: MethodChange(deescalate: 0.3)),
            StaffChange(at: CalendarDate(year: 2027, month: 2, day: 1), team: "east", caseworkers: .relative(-1), immediate: true,
                        method: MethodChange(escalate: 1, deescalate: 2, close: 3, duration: 4), share: 0.125),
        ]
        let text = ScenarioEmitter.yaml(scenario, toolVersion: "t")
        let reloaded = try ScenarioLoader.load(yaml: text).scenario
        #expect(reloaded == scenario, "emitted:\n\(text)")
    }

    @Test(arguments: [0.1, 1e-7, 123456789.125, 1e20, -0.5, 2.0 / 3.0, .leastNonzeroMagnitude, 0.30000000000000004])
    func numbersRoundTripExactly(_ x: Double) throws {
        var scenario = try ScenarioLoader.load(yaml: minimalYAML).scenario
        // Numbers without an upper limit (amounts in DKK, elasticities and the caseload
        // reference have limits, docs/model.md).
        scenario.costs.discountRate = x
        scenario.assessment.deadlineDays = abs(x)
        let reloaded = try ScenarioLoader.load(yaml: ScenarioEmitter.yaml(scenario, toolVersion: "t")).scenario
        #expect(reloaded.costs.discountRate == x)
        #expect(reloaded.assessment.deadlineDays == abs(x))
    }

    @Test(arguments: ["plain text", "true", "no", "~", "", " padded ", "2026-01-01", "12", "1.5", "- dash",
                      "a: b", "x #y", "[list]", "{map}", "quote \" and \\ backslash", "tab\there", "æøå Ærø",
                      "*star", "&amp", "!bang", "%pct", "@at", "`tick", "'single'", "=", "<<", "?q", ".5", "0x1F"])
    func textRoundTripsExactly(_ label: String) throws {
        var scenario = try ScenarioLoader.load(yaml: minimalYAML).scenario
        scenario.costs.oneOff = [OneOffCost(at: CalendarDate(year: 2026, month: 3, day: 1), amount: 1, label: label)]
        scenario.name = label.isEmpty ? "x" : label
        let text = ScenarioEmitter.yaml(scenario, toolVersion: "t")
        let reloaded = try ScenarioLoader.load(yaml: text).scenario
        #expect(reloaded.costs.oneOff.first?.label == label, "emitted:\n\(text)")
        if !label.trimmingCharacters(in: .whitespaces).isEmpty {
            #expect(reloaded.name == label, "emitted:\n\(text)")
        }
    }
}
