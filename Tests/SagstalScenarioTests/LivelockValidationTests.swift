import Testing
@testable import SagstalScenario

/// Issue 9, row 4: stays of 0 days that a child can repeat at once looped for ever at one
/// instant. Refused at validation, located at the step's duration; a step of 0 days that
/// only passes children on is still accepted.
@Suite struct LivelockValidationTests {
    static let zeroPrevention = "ladder.prevention.duration=0"

    @Test(arguments: [
        ("no exit at all", [zeroPrevention, "ladder.prevention.next={up: 0, down: 0, exit: 0}"], "repeat the stay for ever"),
        ("a partial stay", [zeroPrevention, "ladder.prevention.next={up: 0.5, exit: 0.25}"], "repeat the stay for ever"),
        ("the top step moving up", ["ladder.foster.duration=0", "ladder.foster.next={up: 1}"], "at the top step"),
        ("two 0-day steps leading to each other",
         [zeroPrevention, "ladder.foster.duration={dist: uniform, min: 0, max: 0}", "ladder.foster.next={down: 1}",
          "ladder.prevention.next={up: 1}"], "move between them for ever"),
    ])
    func zeroDayCyclesAreRefused(_ c: (String, [String], String)) {
        let d = diagnostics(minimalYAML, overrides: c.1)
        #expect(d.count == 1, "\(c.0): \(d.map(\.description))")
        #expect(d.first?.message.contains(c.2) == true, "\(c.0): \(d.map(\.description))")
        #expect(d.first?.keyPath.hasSuffix(".duration") == true)
    }

    @Test func aZeroDayStepThatPassesChildrenOnIsAccepted() {
        #expect(diagnostics(minimalYAML, overrides: [Self.zeroPrevention, "ladder.prevention.next={up: 0.5, exit: 0.5}"]).isEmpty)
        // An empirical distribution that is 0 only with weight 0 is not always zero.
        #expect(diagnostics(minimalYAML, overrides: ["ladder.prevention.duration={dist: empirical, values: [0, 10], weights: [1, 1]}"]).isEmpty)
    }

    @Test func zeroDayStepLocatedInTheFile() {
        let yaml = minimalYAML.replacingOccurrences(of: "duration: 100", with: "duration: 0")
        let d = diagnostics(yaml)
        #expect(d.count == 1 && d[0].line == 3 && d[0].column == 15, "\(d.map(\.description))")
    }

    /// `childrenPerFamily: 1e308` made every caseload 0 and every stay 0 days long.
    @Test(arguments: [("caseload.childrenPerFamily=1e308", "at most 20"), ("caseload.childrenPerFamily=0.5", "at least 1"),
                      ("caseload.reference=1e300", "at most 1000"), ("caseload.elasticity.duration=1e6", "between -10 and 10")])
    func caseloadParametersThatShrinkStaysToNothingAreRefused(_ c: (String, String)) {
        let d = diagnostics(minimalYAML, overrides: [c.0])
        #expect(d.count == 1 && d[0].message.contains(c.1), "\(c.0): \(d.map(\.description))")
    }
}
