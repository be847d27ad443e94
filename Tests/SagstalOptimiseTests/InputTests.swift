import SagstalOptimise
import Testing

@Suite struct InputTests {
    @Test func constraintsParseWithTheirDefaultTolerance() throws {
        let a = try MeanConstraint(parsing: "overCapShare<=0.1")
        #expect(a.metric == "overCapShare" && a.sense == .atMost && a.threshold == 0.1)
        #expect(abs(a.tolerance - 0.01) < 1e-15 && !a.toleranceGiven)
        let b = try MeanConstraint(parsing: " followUp.tilsyn.missedShare >= 0.05 ± 0.002 ")
        #expect(b.sense == .atLeast && b.tolerance == 0.002 && b.toleranceGiven)
        #expect(try MeanConstraint(parsing: "x<=3+-0.5").tolerance == 0.5)
        #expect(a.excess(0.12) > 0 && b.excess(0.06) < 0)
        #expect(a.text == "overCapShare<=0.1")
    }

    @Test(arguments: ["overCapShare<0.1", "overCapShare=0.1", "overCapShare<=", "<=0.1", "overCapShare<=0,1",
                      "overCapShare<=10 %", "overCapShare<=0.1±0", "overCapShare<=0", "overCapShare≤0.1"])
    func badConstraintsAreRefusedWithTheExpectedForm(_ text: String) {
        #expect(throws: OptimiseInputError.self) { try MeanConstraint(parsing: text) }
    }

    @Test func gridRangesStepsAndLists() throws {
        #expect(try GridValues(parsing: "10..40:10", option: "--caseworkers", integers: true, minimum: 0).values == ["10", "20", "30", "40"])
        #expect(try GridValues(parsing: "3..5", option: "--caseworkers", integers: true, minimum: 0).values == ["3", "4", "5"])
        #expect(try GridValues(parsing: "10..21:5", option: "--caseworkers", integers: true, minimum: 0).values == ["10", "15", "20"])
        #expect(try GridValues(parsing: "7", option: "--caseworkers", integers: true, minimum: 0).values == ["7"])
        #expect(try GridValues(parsing: "20,25,30", option: "--cap", integers: false, minimum: 0).values == ["20", "25", "30"])
        #expect(try GridValues(parsing: "20..21:0.5", option: "--cap", integers: false, minimum: 0).values == ["20.0", "20.5", "21.0"])
    }

    @Test(arguments: ["40..10", "10..40:0", "10..40:-5", "ten..40", "10.5..12", "", "10..", "-1..3"])
    func badRangesAreRefused(_ text: String) {
        #expect(throws: OptimiseInputError.self) { try GridValues(parsing: text, option: "--caseworkers", integers: true, minimum: 0) }
    }

    @Test func theGridOrdersCaseworkersSlowest() {
        let g = StaffingGrid(team: "a", caseworkers: ["10", "20"], caps: ["25", "30", "35"], capVaried: true)
        #expect(g.count == 6)
        #expect(g.point(4) == ("20", "30"))
        #expect(g.index(caseworkers: 1, cap: 1) == 4)
        #expect(g.overrides(4) == ["teams.a.caseworkers=20", "teams.a.cap=30"])
        let h = StaffingGrid(team: "a", caseworkers: ["10"], caps: ["25"], capVaried: false)
        #expect(h.overrides(0) == ["teams.a.caseworkers=10"])
    }

    @Test func settingsAreValidated() {
        #expect(throws: OptimiseInputError.self) { try SelectionSettings(alpha: 0.7, delta: 1, maxReplications: 100).validate() }
        #expect(throws: OptimiseInputError.self) { try SelectionSettings(delta: 0, maxReplications: 100).validate() }
        #expect(throws: OptimiseInputError.self) { try SelectionSettings(delta: 1, n0: 1, maxReplications: 100).validate() }
        #expect(throws: OptimiseInputError.self) { try SelectionSettings(delta: 1, n0: 20, maxReplications: 10).validate() }
        #expect(throws: Never.self) { try SelectionSettings(delta: 1, maxReplications: 100).validate() }
    }
}
