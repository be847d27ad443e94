import Testing
@testable import SagstalScenario

/// Issue 9, row 3: distributions whose GSL parameters are not finite (a gamma with sd 1e-308 has
/// shape (mean/sd)² = inf) validated, then their NaN draws crashed the run. They are refused,
/// located at the distribution, with the fix in the message; ordinary ones still load.
@Suite struct SampleableDistributionTests {
    static let refused: [(String, String)] = [
        ("{dist: gamma, mean: 90, sd: 1e-308}", "a gamma distribution needs sd between 10⁻⁶ × mean and 10⁶ × mean"),
        ("{dist: gamma, mean: 90, sd: 1e300}", "a gamma distribution needs sd between 10⁻⁶ × mean and 10⁶ × mean"),
        ("{dist: lognormal, mean: 1e308, sd: 1e308}", "the distribution's mean must be a finite number ≤ 10⁹"),
        ("{dist: lognormal, mean: 90, sd: 1e-9}", "a lognormal distribution needs sd between 10⁻⁶ × mean and 10⁶ × mean"),
        ("{dist: lognormal, mu: 800, sigma: 1}", "the distribution's mean must be a finite number ≤ 10⁹"),
        ("{dist: gamma, shape: 1e200, scale: 1e200}", "the distribution's mean must be a finite number ≤ 10⁹"),
        ("{dist: exponential, mean: 1e12}", "the distribution's mean must be a finite number ≤ 10⁹"),
        ("{dist: weibull, shape: 0.001, scale: 100}", "the distribution's mean must be a finite number ≤ 10⁹"),
    ]

    @Test(arguments: refused)
    func unsampleableDistributionsAreRefused(_ c: (String, String)) {
        let yaml = minimalYAML.replacingOccurrences(of: "    duration: 100", with: "    duration: \(c.0)")
        let d = diagnostics(yaml)
        #expect(d.count == 1, "\(c.0): \(d.map(\.description))")
        #expect(d.first?.keyPath == "ladder.prevention.duration", "\(d.map(\.description))")
        #expect(d.first?.message.contains(c.1) == true, "\(c.0): \(d.map(\.description))")
        #expect(d.first?.line == 3)
    }

    @Test(arguments: ["{dist: gamma, mean: 90, sd: 30}", "{dist: gamma, mean: 90, sd: 0}", "{dist: lognormal, mean: 240, sd: 150}",
                      "{dist: lognormal, mu: 5, sigma: 0.5}", "{dist: weibull, shape: 1.5, scale: 400}", "{dist: exponential, mean: 60}",
                      "{dist: gamma, mean: 90, sd: 0.0001}"])
    func ordinaryDistributionsStillLoad(_ d: String) throws {
        let yaml = minimalYAML.replacingOccurrences(of: "    duration: 100", with: "    duration: \(d)")
        #expect(diagnostics(yaml).isEmpty, "\(d): \(diagnostics(yaml).map(\.description))")
    }
}
