import Testing
@testable import SagstalScenario

/// Issue 9, rows 12 (base-60, hexadecimal), 15 (Danish thousands dots read as decimals,
/// exit 0) and 16 (refused, but without saying how to fix it): every such number is
/// refused, located, with the number to write in the suggestion.
@Suite struct NumberHabitsTests {
    /// (what, override, key path, words the message must contain, the suggestion must contain)
    static let cases: [(String, String, String, String, String)] = [
        ("a thousands dot in a salary", "staff.costPerYear=470.000", "staff.costPerYear", "thousands separator", "write 470000"),
        ("a thousands dot in the notification volume", "notifications.perYear=1.316", "notifications.perYear", "thousands separator", "write 1316"),
        ("two thousands dots", "costs.oneOff=[{at: 2027-01-01, amount: 12.500.000}]", "costs.oneOff.0.amount", "dots between thousands", "write 12500000"),
        ("a thousands dot in a count", "initial.foster=1.200", "initial.foster", "thousands separator", "write 1200"),
        ("a decimal comma", "notifications.concernsOpenCase=0,35", "notifications.concernsOpenCase", "decimal comma", "write 0.35"),
        ("a percentage", "notifications.concernsOpenCase=35%", "notifications.concernsOpenCase", "percent sign", "write 0.35"),
        ("a percentage with a comma", "notifications.growthPerYear=3,5 %", "notifications.growthPerYear", "percent sign", "write 0.035"),
        ("a unit", "staff.costPerYear=470.000 kr.", "staff.costPerYear", "a unit ('kr.')", "write 470000"),
        ("spaces between thousands", "notifications.perYear=1 316", "notifications.perYear", "spaces between digits", "write 1316"),
        ("base 60", "notifications.perYear=190:20:30", "notifications.perYear", "base-60", "plain decimal"),
        ("hexadecimal", "initial.foster=0x7fffffff", "initial.foster", "hexadecimal", "2147483647"),
        ("octal by a leading zero", "notifications.perYear=0100", "notifications.perYear", "octal number 64", "write 100"),
        ("yes for a number", "notifications.perYear=yes", "notifications.perYear", "true/false value true", "write a number"),
        ("infinity", "notifications.perYear=.inf", "notifications.perYear", "not a finite number", "finite"),
        ("a hexadecimal seed", "simulation.seed=0x10", "simulation.seed", "hexadecimal", "16"),
    ]

    @Test(arguments: cases)
    func refusedWithTheFix(_ c: (String, String, String, String, String)) {
        let (what, override, keyPath, message, suggestion) = c
        let d = diagnostics(minimalYAML, overrides: [override])
        #expect(d.count == 1, "\(what): \(d.map(\.description))")
        #expect(d.first?.keyPath == keyPath, "\(what): \(d.map(\.description))")
        #expect(d.first?.message.contains(message) == true, "\(what): \(d.map(\.description))")
        #expect(d.first?.suggestion?.contains(suggestion) == true, "\(what): \(d.map(\.description))")
        #expect(d.first?.file == Overrides.fileName)
    }

    /// The same in a file: located at the value.
    @Test func locatedInTheFile() {
        let d = diagnostics(minimalYAML + "staff:\n  costPerYear: 470.000\n")
        #expect(d.count == 1)
        #expect(d.first?.line == 11 && d.first?.column == 16, "\(d.map(\.description))")
    }

    /// Numbers that only look similar are accepted: three decimals where a fraction is
    /// expected, a probability of 1.000, underscores, a plain decimal.
    @Test(arguments: ["notifications.growthPerYear=0.035", "notifications.concernsOpenCase=1.000",
                      "caseload.childrenPerFamily=1.300", "notifications.perYear=1_316", "notifications.perYear=1316.5",
                      "staff.costPerYear=470000", "simulation.seed=0", "initial.foster=0"])
    func similarButPlainNumbersAreAccepted(_ override: String) {
        let d = diagnostics(minimalYAML, overrides: [override])
        #expect(d.isEmpty, "\(override): \(d.map(\.description))")
    }

    @Test func aTabInTheIndentationSaysToUseSpaces() {
        let d = diagnostics("name: x\nsimulation:\n\tyears: 10\n")
        #expect(d.count == 1)
        #expect(d.first?.suggestion?.contains("line 3 is indented with a tab") == true, "\(d.map(\.description))")
    }

    @Test func aDanishKeySuggestsTheEnglishOne() {
        let yaml = minimalYAML.replacingOccurrences(of: "    caseworkers: 2\n    cap: 20\n", with: "    sagsbehandlere: 2\n    sagsloft: 20\n")
        let d = diagnostics(yaml)
        #expect(d.map(\.keyPath) == ["teams.east.sagsbehandlere", "teams.east.sagsloft"], "\(d.map(\.description))")
        #expect(d.map(\.suggestion) == ["did you mean 'caseworkers'? sagstal's keys are English",
                                        "did you mean 'cap'? sagstal's keys are English"])
    }

    @Test func aDanishSectionSuggestsTheEnglishOne() {
        let d = diagnostics(minimalYAML + "underretninger: {perYear: 100}\n")
        #expect(d.count == 1)
        #expect(d.first?.suggestion == "did you mean 'notifications'? sagstal's keys are English", "\(d.map(\.description))")
    }

    /// Row 16's example at the top level: `sagsbehandlere:` is a team's key in English.
    @Test func aDanishKeyOfAnotherSectionSaysWhatItIsInEnglish() {
        let d = diagnostics(minimalYAML + "sagsbehandlere: 12\n")
        #expect(d.count == 1 && d[0].suggestion?.contains("'sagsbehandlere' is 'caseworkers'") == true, "\(d.map(\.description))")
    }
}
