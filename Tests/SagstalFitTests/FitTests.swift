import Foundation
import Testing
@testable import SagstalFit
import SagstalRandom

/// The fixtures of Benchmarks/lifelines_crosscheck.py, read without Python.
enum Fixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func rows(_ name: String) throws -> [[String]] {
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    static func stays() throws -> [Stay] {
        try rows("stays.csv").map { Stay(duration: Double($0[0])!, observed: $0[1] == "1") }
    }

    /// family → parameter → (value, se)
    static func parametric() throws -> [String: [String: (Double, Double?)]] {
        var out: [String: [String: (Double, Double?)]] = [:]
        for r in try rows("parametric.csv") { out[r[0], default: [:]][r[1]] = (Double(r[2])!, Double(r[3])) }
        return out
    }
}

func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-300) }

/// A sample from `dist` with administrative censoring at Uniform(0, window) follow-up.
func simulate(_ dist: Distribution, n: Int, window: Double, seed: UInt64) throws -> [Stay] {
    let rng = try RandomStream(seed: seed)
    return (0..<n).map { _ in
        let t = rng.sample(dist), c = window * rng.uniformPositive()
        return t <= c ? Stay(duration: t, observed: true) : Stay(duration: c, observed: false)
    }
}

@Suite struct KaplanMeierTests {
    @Test func matchesLifelinesAtEveryEventTime() throws {
        let stays = try Fixture.stays()
        let km = try KaplanMeier(stays)
        let km90 = try KaplanMeier(stays, confidence: 0.90)
        let want = try Fixture.rows("km.csv")
        #expect(km.times.count == want.count)
        var worst = 0.0
        for (i, r) in want.enumerated() where i < km.times.count {
            #expect(km.times[i] == Double(r[0])!)
            #expect(km.atRisk[i] == Int(r[4])!)
            #expect(km.events[i] == Int(r[5])!)
            for (mine, theirs) in [(km.survival[i], r[1]), (km.lower[i], r[2]), (km.upper[i], r[3]),
                                   (km90.lower[i], r[6]), (km90.upper[i], r[7])] {
                worst = max(worst, relativeError(mine, Double(theirs)!))
            }
        }
        #expect(worst < 1e-6, "worst relative difference \(worst)")
        print("lifelines KM worst relative difference \(worst) over \(want.count) event times")
        #expect(km.censoredShare == Double(stays.count(where: { !$0.observed })) / 400)
        var summary: [String: Double] = [:]
        for r in try Fixture.rows("km-summary.csv") { summary[r[0]] = Double(r[1])! }
        #expect(km.median == summary["median"]!)
        #expect(abs(km.censoredShare - summary["censored_share"]!) < 1e-15)
        // The fixture is designed for 25–35 % censoring.
        #expect(km.censoredShare > 0.25 && km.censoredShare < 0.35)
    }

    @Test func handTable() throws {
        // 3 events at 1 (one censored there too), censored at 2, event at 3, 4 remaining at 5.
        let stays = [1, 1, 1].map { Stay(duration: $0, observed: true) } + [Stay(duration: 1, observed: false),
            Stay(duration: 2, observed: false), Stay(duration: 3, observed: true)] + (0..<4).map { _ in Stay(duration: 5, observed: false) }
        let km = try KaplanMeier(stays)
        #expect(km.times == [1, 3])
        #expect(km.atRisk == [10, 5])
        #expect(km.events == [3, 1])
        #expect(abs(km.survival[0] - 0.7) < 1e-15)
        #expect(abs(km.survival[1] - 0.7 * 0.8) < 1e-15)
        #expect(km.median == nil)
        #expect(km.survival(at: 0.5) == 1 && km.survival(at: 4) == km.survival[1])
        // The log-log interval at t = 1 by hand.
        let c = 3.0 / (10 * 7), v = log(0.7), z = 1.959963984540054
        #expect(abs(km.lower[0] - exp(-exp(log(-v) - z * c.squareRoot() / v))) < 1e-15)
        #expect(km.lower[0] < 0.7 && 0.7 < km.upper[0])
    }

    @Test func allEndAndZeros() throws {
        let km = try KaplanMeier([Stay(duration: 0, observed: true), Stay(duration: 2, observed: true)])
        #expect(km.survival == [0.5, 0])
        #expect(km.median == 0)
        #expect(km.lower[1] == 0 && km.upper[1] == 0)
    }
}

@Suite struct ParametricCrossCheckTests {
    // lifelines (autograd) differentiates the likelihood exactly; sagstal uses a central-difference
    // Hessian with steps 1e-4 on the log scale: truncation error ~h²·f''''/12 ≈ 1e-9 relative and
    // rounding ~ε|log L|/h² ≈ 2e-5 absolute against entries of order 10², so ~1e-7 relative.
    // The optimum itself agrees to ~1e-8 (lifelines' L-BFGS-B stops at ftol 1e-15 on the mean
    // negative log-likelihood). Measured: at most 5e-7. 1e-5 leaves a factor 20 for other
    // platforms' libm while still catching any error in the delta method or the Hessian steps.
    static let seTolerance = 1e-5

    @Test(arguments: [("weibull", DurationFamily.weibull, [("lambda_", "scale"), ("rho_", "shape")]),
                      ("lognormal", DurationFamily.lognormal, [("mu_", "mu"), ("sigma_", "sigma")]),
                      ("exponential", DurationFamily.exponential, [("lambda_", "mean")])])
    func matchesLifelines(name: String, family: DurationFamily, names: [(String, String)]) throws {
        let stays = try Fixture.stays()
        let want = try Fixture.parametric()[name]!
        let fit = try DurationFitter.fit(stays, family: family)
        #expect(fit.converged)
        #expect(fit.n == 400 && fit.censored == stays.count(where: { !$0.observed }))
        for (theirs, mine) in names {
            let rel = relativeError(fit.parameters[mine]!, want[theirs]!.0)
            #expect(rel < 1e-6, "\(name) \(mine): \(fit.parameters[mine]!) vs lifelines \(want[theirs]!.0) (rel \(rel))")
            let relSE = relativeError(fit.standardErrors[mine]!, want[theirs]!.1!)
            #expect(relSE < Self.seTolerance, "\(name) se(\(mine)): rel \(relSE)")
            print("lifelines \(name) \(mine): value rel \(rel), se rel \(relSE)")
        }
        let rel = relativeError(fit.logLikelihood, want["loglik"]!.0)
        #expect(rel < 1e-6, "\(name) log L \(fit.logLikelihood) vs \(want["loglik"]!.0)")
        #expect(relativeError(fit.aic, want["AIC"]!.0) < 1e-6)
        print("lifelines \(name) loglik rel \(rel)")
    }

    @Test func exponentialClosedForm() throws {
        let stays = try Fixture.stays()
        let fit = try DurationFitter.fit(stays, family: .exponential)
        let total = stays.reduce(0) { $0 + $1.duration }, d = Double(stays.count(where: \.observed))
        #expect(fit.parameters["mean"] == total / d)
        #expect(fit.standardErrors["mean"] == total / d * (1 / d).squareRoot())
        #expect(fit.logLikelihood == -d * log(total / d) - total / (total / d))
    }

    @Test func gammaLikelihoodAndMLEMatchSciPy() throws {
        let stays = try Fixture.stays()
        var want: [String: Double] = [:]
        for r in try Fixture.rows("gamma.csv") { want[r[0]] = Double(r[1])! }
        let data = DurationFitter.Data(stays)
        let ll = DurationFitter.logLikelihood(.gamma, [log(1.3), log(200)], data)
        #expect(relativeError(ll, want["loglik_at_fixed"]!) < 1e-10, "\(ll) vs scipy \(want["loglik_at_fixed"]!)")
        let fit = try DurationFitter.fit(stays, family: .gamma)
        #expect(fit.converged)
        // scipy's Nelder-Mead stops at xatol 1e-12 on the log scale; both should reach the same optimum.
        for p in ["shape", "scale"] {
            #expect(relativeError(fit.parameters[p]!, want[p]!) < 1e-6, "\(p): \(fit.parameters[p]!) vs \(want[p]!)")
            print("scipy gamma \(p): rel \(relativeError(fit.parameters[p]!, want[p]!))")
        }
        #expect(fit.logLikelihood >= want["loglik"]! - 1e-9)
        print("scipy gamma loglik at (1.3, 200): rel \(relativeError(ll, want["loglik_at_fixed"]!)); at the MLE: sagstal − scipy = \(fit.logLikelihood - want["loglik"]!)")
        #expect(abs(fit.parameters["mean"]! - fit.parameters["shape"]! * fit.parameters["scale"]!) < 1e-9)
    }
}

@Suite struct GammaSimulationTests {
    static let truth = (shape: 2.0, scale: 100.0)
    /// Follow-up window giving about 30 % censoring for Gamma(2, 100).
    static let window = 780.0

    @Test func trueParametersInsideIntervals() throws {
        let stays = try simulate(.gamma(shape: Self.truth.shape, scale: Self.truth.scale), n: 2000, window: Self.window, seed: 11)
        let share = Double(stays.count(where: { !$0.observed })) / 2000
        #expect(share > 0.25 && share < 0.35, "censored share \(share)")
        let fit = try DurationFitter.fit(stays, family: .gamma)
        #expect(fit.converged)
        #expect(fit.ci95["shape"]!.contains(Self.truth.shape), "\(fit.ci95["shape"]!)")
        #expect(fit.ci95["scale"]!.contains(Self.truth.scale), "\(fit.ci95["scale"]!)")
        #expect(fit.ci95["mean"]!.contains(200), "\(fit.ci95["mean"]!)")
        #expect(fit.ci95["sd"]!.contains(2.0.squareRoot() * 100), "\(fit.ci95["sd"]!)")
    }

    /// Over R = 200 independent samples (n = 500 each, seeds SeedHash.mix(1…200)) the 95 %
    /// intervals should cover the truth 95 % of the time, up to 3 binomial SEs
    /// (√(0.95·0.05/200) = 1.5 %, so 90.4 %–99.6 %).
    @Test func coverage() throws {
        let reps = 200
        var hits = ["shape": 0, "scale": 0, "mean": 0]
        for seed in 1...reps {
            let stays = try simulate(.gamma(shape: Self.truth.shape, scale: Self.truth.scale), n: 500, window: Self.window,
                                     seed: SeedHash.mix(UInt64(seed)))
            let fit = try DurationFitter.fit(stays, family: .gamma)
            #expect(fit.converged, "seed \(seed)")
            if fit.ci95["shape"]!.contains(Self.truth.shape) { hits["shape"]! += 1 }
            if fit.ci95["scale"]!.contains(Self.truth.scale) { hits["scale"]! += 1 }
            if fit.ci95["mean"]!.contains(Self.truth.shape * Self.truth.scale) { hits["mean"]! += 1 }
        }
        let se = (0.95 * 0.05 / Double(reps)).squareRoot()
        for (name, h) in hits {
            let coverage = Double(h) / Double(reps)
            print("gamma coverage \(name): \(coverage)")
            #expect(abs(coverage - 0.95) <= 3 * se, "\(name) coverage \(coverage)")
        }
    }
}

@Suite struct ModelChoiceTests {
    @Test(arguments: [(DurationFamily.weibull, Distribution.weibull(shape: 3, scale: 200)),
                      (.lognormal, .lognormal(mu: 5, sigma: 1)),
                      (.gamma, .gamma(shape: 0.5, scale: 400)),
                      (.gamma, .gamma(shape: 6, scale: 30))])
    func aicPicksTheTrueFamily(family: DurationFamily, dist: Distribution) throws {
        let stays = try simulate(dist, n: 3000, window: 3 * dist.mean, seed: 7)
        let fits = try DurationFitter.fitAll(stays)
        #expect(fits.map(\.family).sorted { $0.rawValue < $1.rawValue } == DurationFamily.allCases)
        #expect(fits.first?.family == family, "\(fits.map { ($0.family, $0.aic) })")
        #expect(zip(fits, fits.dropFirst()).allSatisfy { $0.aic <= $1.aic })
    }

    @Test(arguments: DurationFamily.allCases)
    func quantileInvertsCDF(family: DurationFamily) throws {
        let stays = try simulate(.weibull(shape: 1.5, scale: 100), n: 300, window: 300, seed: 3)
        let fit = try DurationFitter.fit(stays, family: family)
        for p in [0.01, 0.25, 0.5, 0.9, 0.999] {
            let t = fit.quantile(p)
            #expect(abs(fit.cdf(t) - p) < 1e-9, "\(family) p \(p)")
            #expect(abs(fit.survival(t) - (1 - p)) < 1e-9)
        }
        #expect(fit.cdf(0) == 0 && fit.survival(-1) == 1)
    }
}

/// Records whose stays all last the same (a fixed duration in the scenario, or a case system that
/// rounds to a standard length): no family has a maximum-likelihood fit, and the search must not
/// chase an ever larger shape (it used to run for many minutes in GSL's incomplete gamma).
@Suite struct FixedDurationTests {
    @Test func identicalStaysAreAFixedDurationNotAFit() throws {
        let stays = (0..<200).map { Stay(duration: 300, observed: $0 % 4 != 0) }
        #expect(throws: FitError.fixedDuration(days: 300, observed: 150)) { try DurationFitter.fitAll(stays) }
    }

    @Test func nearlyConstantStaysStillFitAndFinish() throws {
        // A coefficient of variation of 10⁻⁴: the shapes are held at e¹² and the fits return.
        let stays = (0..<200).map { Stay(duration: 300 * (1 + 1e-4 * Double($0 % 7 - 3)), observed: $0 % 5 != 0) }
        let fits = try DurationFitter.fitAll(stays)
        #expect(fits.count == 4)
        // The exponential's mean is Σ t / #ended whatever the spread (375 here); the others find 300.
        #expect(fits.last?.family == .exponential)
        for f in fits where f.family != .exponential {
            #expect(abs(f.parameters["mean"]! / 300 - 1) < 0.01, "\(f.family) \(f.parameters)")
        }
    }
}

@Suite struct MinimizerTests {
    @Test func rosenbrock() throws {
        let r = try Minimizer.minimize(start: [-1.2, 1], step: [0.5, 0.5]) { x in
            100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) + (1 - x[0]) * (1 - x[0])
        }
        #expect(r.converged)
        #expect(abs(r.x[0] - 1) < 1e-6 && abs(r.x[1] - 1) < 1e-6, "\(r.x)")
        #expect(r.value < 1e-12)
    }

    /// A loose simplex leaves the polish something to do: BFGS must take it to the optimum.
    @Test func bfgsPolishImprovesALooseSimplex() throws {
        let f: ([Double]) -> Double = { x in
            100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) + (1 - x[0]) * (1 - x[0])
        }
        let loose = try Minimizer.minimize(start: [-1.2, 1], step: [0.5, 0.5], sizeTolerance: 1e-2, polish: false, f)
        let r = try Minimizer.minimize(start: [-1.2, 1], step: [0.5, 0.5], sizeTolerance: 1e-2, f)
        #expect(r.polished)
        #expect(r.value < loose.value)
        #expect(abs(r.x[0] - 1) < 1e-4 && abs(r.x[1] - 1) < 1e-4, "\(r.x) (simplex alone \(loose.x))")
    }
}

@Suite struct ProportionAndErrorTests {
    @Test func wilsonMatchesSciPy() throws {
        for r in try Fixture.rows("wilson.csv") {
            let p = Proportion.wilson(Int(r[0])!, Int(r[1])!, confidence: Double(r[2])!)
            #expect(abs(p.lower - Double(r[3])!) < 1e-12, "\(r)")
            #expect(abs(p.upper - Double(r[4])!) < 1e-12, "\(r)")
        }
        // Newcombe (1998), Table I: 81 of 263, 95 % Wilson interval 0.2553 – 0.3662.
        let p = Proportion.wilson(81, 263)
        #expect(abs(p.lower - 0.2553) < 5e-5 && abs(p.upper - 0.3662) < 5e-5)
        #expect(p.estimate == 81.0 / 263)
        #expect(Proportion.wilson(0, 0).lower == 0 && Proportion.wilson(0, 0).upper == 1)
    }

    @Test func refusals() throws {
        #expect(throws: FitError.noStays) { try KaplanMeier([]) }
        #expect(throws: FitError.noObservedStays) { try DurationFitter.fit([Stay(duration: 1, observed: false)], family: .gamma) }
        #expect(throws: FitError.nonPositiveDuration(index: 1, duration: 0)) {
            try DurationFitter.fit([Stay(duration: 1, observed: true), Stay(duration: 0, observed: true)], family: .weibull)
        }
        #expect(throws: FitError.nonPositiveDuration(index: 0, duration: -1)) { try KaplanMeier([Stay(duration: -1, observed: true)]) }
        #expect(throws: FitError.nonFiniteDuration(index: 0, duration: .infinity)) {
            try DurationFitter.fit([Stay(duration: .infinity, observed: true)], family: .lognormal)
        }
        #expect(throws: FitError.invalidConfidence(1)) { try KaplanMeier([Stay(duration: 1, observed: true)], confidence: 1) }
        #expect(FitError.nonPositiveDuration(index: 3, duration: 0).description.contains("stay 3 has duration 0"))
    }
}
