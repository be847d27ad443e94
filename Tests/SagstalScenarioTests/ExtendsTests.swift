import Foundation
import Testing
@testable import SagstalScenario

@Suite struct ExtendsTests {
    static let base = """
    name: Base
    simulation: {years: 10, seed: 5, replications: 50}
    assessment:
      duration: {dist: gamma, mean: 70, sd: 30}
      cost: 100
    ladder:
      - {id: prevention, duration: 100, costPerYear: 60000}
      - {id: foster, duration: 300, placement: true}
    teams:
      - {id: east, caseworkers: 10, cap: 30}
      - {id: west, caseworkers: 12, cap: 30}
    staff:
      costPerYear: 500000
      turnover: {perYear: 0.1}

    """

    @Test func mapsMergeListsAndScalarsReplace() throws {
        let dir = try TempDir()
        defer { dir.cleanUp() }
        try dir.write("base/denmark.yaml", Self.base)
        let child = try dir.write("child.yaml", """
        extends: base/denmark.yaml
        simulation: {seed: 7}
        assessment:
          duration: {dist: exponential, mean: 50}
        teams:
          - {id: varige-spor, caseworkers: 20, cap: 25}
        staff:
          turnover: {overloadElasticity: 2}

        """)
        let loaded = try ScenarioLoader.load(path: child)
        let s = loaded.scenario
        #expect(loaded.sourceFiles == [dir.path + "/base/denmark.yaml", child])
        #expect(s.name == "Base")                               // scalar inherited
        #expect(s.simulation.years == 10)                       // map merged: kept
        #expect(s.simulation.replications == 50)
        #expect(s.simulation.seed == 7)                         // map merged: replaced
        #expect(s.assessment.duration == .exponential(mean: 50)) // a distribution replaces whole
        #expect(s.assessment.cost == 100)
        #expect(s.ladder.map(\.id) == ["prevention", "foster"])  // list inherited
        #expect(s.teams.map(\.id) == ["varige-spor"])           // list replaced, not merged
        #expect(s.staff.costPerYear == 500000)
        #expect(s.staff.turnover == Turnover(perYear: 0.1, overloadElasticity: 2)) // nested maps merge
    }

    @Test func twoLevelChainAcrossDirectories() throws {
        let dir = try TempDir()
        defer { dir.cleanUp() }
        let base = try dir.write("base.yaml", Self.base)
        let middle = try dir.write("middle.yaml", "extends: base.yaml\nsimulation: {seed: 8}\noutreach: {workers: 2}\n")
        let top = try dir.write("variants/top.yaml", "extends: ../middle.yaml\nname: Top\nsimulation: {years: 3}\noutreach: ~\n")
        let loaded = try ScenarioLoader.load(path: top)
        #expect(loaded.sourceFiles == [base, middle, top])
        #expect(loaded.scenario.name == "Top")
        #expect(loaded.scenario.simulation.years == 3)
        #expect(loaded.scenario.simulation.seed == 8)
        #expect(loaded.scenario.simulation.replications == 50)
        #expect(loaded.scenario.outreach == nil)                 // switched off by `outreach: ~`
    }

    @Test func distributionParametersCanBeAdjustedWithoutDist() throws {
        let dir = try TempDir()
        defer { dir.cleanUp() }
        try dir.write("base.yaml", Self.base)
        let child = try dir.write("child.yaml", "extends: base.yaml\nassessment: {duration: {sd: 10}}\n")
        #expect(try ScenarioLoader.load(path: child).scenario.assessment.duration == .gammaMeanSD(mean: 70, sd: 10))
    }

    @Test func errorsAreLocatedInTheFileThatWroteTheValue() throws {
        let dir = try TempDir()
        defer { dir.cleanUp() }
        let base = try dir.write("base.yaml", Self.base + "screening: {opensCase: 1.5}\n")
        let child = try dir.write("child.yaml", "extends: base.yaml\nsimulation:\n  years: -1\n")
        let diags = diagnostics(path: child)
        #expect(diags.count == 2)
        // The loaded file's problems come first, then the base file's.
        #expect(diags.map(\.file) == [child, base])
        #expect(diags.map(\.line) == [3, 15])
        #expect(diags.map(\.column) == [10, 24])
        #expect(diags.map(\.keyPath) == ["simulation.years", "screening.opensCase"])
    }

    @Test func missingExtendsFileIsLocatedAtTheExtendsValue() throws {
        let dir = try TempDir()
        defer { dir.cleanUp() }
        let child = try dir.write("child.yaml", "name: x\nextends: base/missing.yaml\n")
        expectSingle(diagnostics(path: child), file: child, line: 2, column: 10, keyPath: "extends",
                     message: "the file 'base/missing.yaml' named by extends does not exist (looked for \(dir.path)/base/missing.yaml)")
    }

    @Test func extendsCycleNamesTheChain() throws {
        let dir = try TempDir()
        defer { dir.cleanUp() }
        let a = try dir.write("a.yaml", "extends: b.yaml\n")
        let b = try dir.write("b.yaml", Self.base + "extends: ./a.yaml\n")
        expectSingle(diagnostics(path: a), file: b, line: 15, column: 10, keyPath: "extends",
                     message: "extends makes a cycle: \(a) → \(b) → \(a)")
    }

    @Test func selfExtensionIsACycle() throws {
        let dir = try TempDir()
        defer { dir.cleanUp() }
        let a = try dir.write("a.yaml", "extends: a.yaml\n")
        expectSingle(diagnostics(path: a), file: a, line: 1, column: 10, keyPath: "extends",
                     message: "extends makes a cycle: \(a) → \(a)")
    }

    @Test func extendsMustBeAPath() throws {
        expectSingle(diagnostics("extends: [a.yaml]\n"), line: 1, column: 10, keyPath: "extends",
                     message: "expected the path of the scenario file to extend (like base/denmark.yaml), found a list")
    }

    @Test func syntaxErrorInABaseFileIsReportedThere() throws {
        let dir = try TempDir()
        defer { dir.cleanUp() }
        let base = try dir.write("base.yaml", "ladder: [\n")
        let child = try dir.write("child.yaml", "extends: base.yaml\n")
        let diags = diagnostics(path: child)
        #expect(diags.count == 1)
        #expect(diags.first?.file == base)
        #expect(diags.first?.message.contains("YAML syntax error") == true)
    }
}
