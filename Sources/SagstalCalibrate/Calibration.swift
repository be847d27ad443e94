import Foundation
import SagstalModel
import SagstalRandom
import SagstalRunner
import SagstalScenario
import SagstalSensitivity
import SagstalStats

/// Problems with what was asked of `calibrate` (not with a scenario or a targets file).
public struct CalibrationInputError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// What `sagstal calibrate` estimates and against what: the scenario, the parameters with their
/// bounds and start values, the targets located in the run's yearly metrics (docs/calibrate.md).
public struct CalibrationPlan: Sendable {
    public struct Located: Sendable, Equatable {
        public let year: Int
        public let metric: Int
    }

    /// The scenario and the parameters (as `sensitivity` factors: a value `PATH=LO..HI` or a
    /// scaled effect `PATH*=LO..HI`); `scenarios(at:)` builds the scenario at a point.
    public let model: SensitivityPlan
    public var parameters: [Factor] { model.factors }
    /// Start values (the scenario's own values, or 1 for a scale, moved 1 % inside the bounds).
    public let starts: [Double]
    public let targets: [Target]
    public let located: [Located]
    public let targetsFile: String
    public let layout: MetricLayout
    /// Targets left out (outside the run's years).
    public let notes: [String]

    public var scenario: LoadedScenario { model.nominal[0] }
    public var replications: Int { model.simulation.replications }

    /// - Parameters:
    ///   - fit: `PATH` (bounds from the scenario's value: value/4..4·value, or value/4..1 for a
    ///     share), `PATH=LO..HI`, or `PATH*=LO..HI` to scale an effect.
    /// - Throws: `ScenarioError`, `CalibrationInputError`, `SensitivityInputError`, `TargetsErrors`.
    public init(request: ScenarioRequest, fit: [String], targets: [Target], targetsFile: String) throws {
        guard !fit.isEmpty else { throw CalibrationInputError("calibrate needs at least one --fit PATH[=LO..HI]") }
        let loaded = try request.load()
        var factors: [Factor] = []
        for text in fit {
            if text.contains("=") {
                do { factors.append(try Factor(parsing: text)) } catch let e as SensitivityInputError {
                    throw CalibrationInputError(e.description.replacingOccurrences(of: "--vary", with: "--fit"))
                }
            } else {
                factors.append(try Self.defaultRange(text.trimmingCharacters(in: .whitespaces), loaded: loaded, request: request))
            }
        }
        let model: SensitivityPlan
        do {
            model = try SensitivityPlan(request: request, baseline: nil, factors: factors, outputs: [])
        } catch let e as SensitivityInputError {
            throw CalibrationInputError(e.description.replacingOccurrences(of: "--vary", with: "--fit"))
        }
        self.model = model
        self.starts = factors.map { f in
            let v: Double
            switch f.kind {
            case .scale: v = 1
            case .value(let path, _): v = Self.number(at: path, in: loaded) ?? (f.lo + f.hi) / 2
            }
            let margin = 0.01 * (f.hi - f.lo)
            return min(max(v, f.lo + margin), f.hi - margin)
        }
        let layout = try CompiledScenario(loaded.scenario).layout
        self.layout = layout
        self.targetsFile = targetsFile
        let (kept, notes) = try TargetsReader.locate(targets, file: targetsFile, metrics: layout.periodMetrics, years: layout.yearLabels)
        self.targets = kept.map(\.target)
        located = kept.map { Located(year: $0.year, metric: $0.metric) }
        self.notes = notes
        if self.targets.count < factors.count {
            throw CalibrationInputError("\(factors.count) parameters cannot be estimated from \(self.targets.count) target\(self.targets.count == 1 ? "" : "s") in the run's years; give at least as many targets as --fit parameters")
        }
    }

    /// The number at `path` in the resolved scenario (nil when it is not a single number).
    static func number(at path: String, in loaded: LoadedScenario) -> Double? {
        guard let source = loaded.sources.first(where: { $0.path == path }) else { return nil }
        switch source.value {
        case .integer(let i): return Double(i)
        case .number(let x): return x
        case .unsigned(let u): return Double(u)
        default: return nil
        }
    }

    /// `PATH` without bounds: value/4..4·value, or value/4..1 when 4·value is refused (a share).
    static func defaultRange(_ path: String, loaded: LoadedScenario, request: ScenarioRequest) throws -> Factor {
        guard let v = number(at: path, in: loaded) else {
            throw CalibrationInputError("--fit \(path): no number at that key path in \(request.path); give the key path of a number (e.g. screening.opensCase) or bounds PATH=LO..HI")
        }
        guard v > 0 else {
            throw CalibrationInputError("--fit \(path): the scenario's value is \(ScenarioEmitter.numberText(v)), so no bounds follow from it; give them: --fit \(path)=LO..HI")
        }
        for hi in [4 * v, 1] where hi > v {
            var r = request
            r.overrides.append("\(path)=\(ScenarioEmitter.numberText(hi))")
            if (try? r.load()) != nil {
                return try Factor(parsing: "\(path)=\(ScenarioEmitter.numberText(v / 4))..\(ScenarioEmitter.numberText(hi))")
            }
        }
        throw CalibrationInputError("--fit \(path): no default bounds fit the scenario's checks (\(ScenarioEmitter.numberText(v / 4))..\(ScenarioEmitter.numberText(4 * v)) is refused); give them: --fit \(path)=LO..HI")
    }
}

/// How the search runs.
public struct CalibrationSettings: Sendable, Equatable {
    /// Simplex iterations at most (each costs one or two evaluations).
    public var maxIterations = 150
    /// Stop when the simplex is this small (in the bounded parameters' logit units).
    public var sizeTolerance = 0.01
    /// How the 95 % CIs are found.
    public enum Intervals: String, Sendable, CaseIterable {
        /// From the Gauss–Newton information at the minimum (4 evaluations per parameter).
        case gaussNewton = "gauss-newton"
        /// Profile likelihood: where the distance, minimised over the other parameters, rises by
        /// χ²₁(0.95) = 3.84 (Brent's method on each side; tens of evaluations per parameter, and
        /// an inner search per point when there are several).
        case profile
    }
    public var intervals = Intervals.gaussNewton
    /// Step h of the sensitivities: slopes through ±h and ±2h (logit units).
    public var curvatureStep = 0.25
    public init() {}
}

/// One parameter's estimate.
public struct CalibratedParameter: Sendable, Equatable {
    public let name: String
    public let lo: Double
    public let hi: Double
    public let start: Double
    public let estimate: Double
    /// 95 % CI, within the bounds (Wald in the logit scale, carried back).
    public let lower: Double
    public let upper: Double
    /// Whether the targets pin the parameter down: its CI covers less than 90 % of its range and
    /// it is not part of a collinear combination (collinearity index > 10).
    public let identified: Bool
    /// The share of the range the CI covers.
    public var coverage: Double { (upper - lower) / (hi - lo) }
}

/// One target against the calibrated model.
public struct FitRow: Sendable, Equatable {
    public let target: Target
    /// The simulated yearly value over the replications at the estimate (mean, 95 % CI, 5–95 %).
    public let simulated: MetricSummary
    /// The weight's standard deviation: √(sd² + s²(1 + 1/R)), s the replications' sd at the start.
    public let sigma: Double
    /// (observed − simulated mean) / sigma.
    public var z: Double { (target.value - (simulated.mean ?? .nan)) / sigma }
    /// The simulated value at the start, for comparison.
    public let atStart: Double
}

public struct CalibrationResult: Sendable {
    public let plan: CalibrationPlan
    public let settings: CalibrationSettings
    public let parameters: [CalibratedParameter]
    public let rows: [FitRow]
    /// Σ z² at the start and at the estimate; degrees of freedom targets − parameters and the
    /// χ² tail probability of the distance (a rough check of the fit when the weights are right).
    public let distanceAtStart: Double
    public let distance: Double
    public let degreesOfFreedom: Int
    public let pValue: Double?
    /// Every evaluation of the search: the point and its distance.
    public let history: [(point: [Double], distance: Double)]
    public let converged: Bool
    /// Eigenvalues of the Gauss–Newton information JᵀJ (logit scale), ascending.
    public let information: [Double]
    /// Brun et al.'s collinearity index of the parameters (1: independent; > 10: not identifiable).
    public let collinearity: Double
    public let warnings: [String]
    public let evaluations: Int
    public let eventsProcessed: Int
    public let wallSeconds: Double
    public var estimates: [Double] { parameters.map(\.estimate) }
}

/// Simulation-based estimation (docs/calibrate.md): minimise D(θ) = Σ ((m_i(θ) − y_i)/σ_i)² over
/// the bounded parameters with GSL's Nelder–Mead simplex, every evaluation on the same
/// replications (common random numbers, so D is a deterministic function of θ); the CIs come from
/// D's curvature at the minimum (D is −2 log L for Gaussian errors, so cov = 2 H⁻¹).
public enum CalibrationJob {
    public typealias Progress = @Sendable (_ evaluations: Int, _ best: Double) -> Void

    static func logistic(_ u: Double) -> Double { 1 / (1 + exp(-u)) }

    /// The natural point of logit-scale `u`.
    static func natural(_ u: [Double], _ plan: CalibrationPlan) -> [Double] {
        zip(u, plan.parameters).map { u, f in f.value(f.lo + (f.hi - f.lo) * logistic(u)) }
    }

    static func logit(_ x: Double, _ f: Factor) -> Double {
        let p = (x - f.lo) / (f.hi - f.lo)
        return log(p / (1 - p))
    }

    /// The targets' yearly values per replication at each point: `[point][target][replication]`.
    static func simulate(_ points: [[Double]], _ plan: CalibrationPlan, jobs: Int, cancellation: Cancellation?,
                         events: inout Int) throws -> [[[Double]]] {
        let compiled = try points.map { p in try plan.model.scenarios(at: p.map { Optional($0) }).map { try CompiledScenario($0) } }
        let width = plan.layout.periodMetrics.count
        let slots = plan.located.map { $0.year * width + $0.metric }
        let results = try Evaluations.run(compiled, replications: plan.replications, outputs: slots.count, jobs: jobs,
                                          extract: { _, records in slots.map { records[0].yearly[$0] } },
                                          cancellation: cancellation)
        events += results.eventsProcessed
        return points.indices.map { e in slots.indices.map { results.series(e, $0) } }
    }

    static func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }

    public static func run(_ plan: CalibrationPlan, settings: CalibrationSettings = CalibrationSettings(), jobs: Int,
                           progress: Progress? = nil, cancellation: Cancellation? = nil) throws -> CalibrationResult {
        let clock = ContinuousClock()
        let started = clock.now
        var events = 0
        let r = Double(plan.replications)
        let n = plan.parameters.count
        var warnings: [String] = []

        // Weights from the start point: the observation's own sd and the replications' spread.
        let startSeries = try simulate([plan.starts], plan, jobs: jobs, cancellation: cancellation, events: &events)[0]
        let sigma: [Double] = zip(plan.targets, startSeries).map { t, xs in
            let m = mean(xs)
            let s2 = xs.count > 1 ? xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1) : 0
            let v = (t.sd ?? 0) * (t.sd ?? 0) + s2 * (1 + 1 / r)
            return max(v.squareRoot(), 1e-3 * max(abs(t.value), 1))
        }
        for (t, xs) in zip(plan.targets, startSeries) where t.sd == nil && Set(xs).count == 1 {
            warnings.append("\(plan.targetsFile):\(t.line): \(t.metric) \(t.year) does not vary between replications; give its sd in the targets file, or its weight is set by 0.1 % of the value")
        }
        func distance(_ series: [[Double]]) -> Double {
            zip(zip(plan.targets, series), sigma).reduce(0) { acc, item in
                let ((t, xs), s) = item
                let z = (mean(xs) - t.value) / s
                return acc + z * z
            }
        }
        let distanceAtStart = distance(startSeries)

        // The simplex on the logit scale; every distinct point is simulated once.
        let evaluator = Evaluator(plan: plan, jobs: jobs, cancellation: cancellation, distance: distance)
        var history: [(point: [Double], distance: Double)] = [(plan.starts, distanceAtStart)]
        var best = distanceAtStart
        let u0 = zip(plan.starts, plan.parameters).map { logit($0, $1) }
        evaluator.cache[natural(u0, plan)] = distanceAtStart
        progress?(1, best)
        evaluator.onNew = { x, d in
            history.append((x, d))
            best = min(best, d)
            progress?(history.count, best)
        }
        let search = try Minimizer.minimize(start: u0, step: Array(repeating: 1, count: n), sizeTolerance: settings.sizeTolerance,
                                            maxIterations: settings.maxIterations, restarts: 1, polish: false, evaluator.distance)
        if let failure = evaluator.failure { throw failure }
        evaluator.onNew = nil
        let uHat = search.x
        let xHat = natural(uHat, plan)

        // Sensitivities of the weighted residuals at the minimum, J_ij = ∂(m_i/σ_i)/∂u_j: the
        // least-squares slope through u ± h and u ± 2h (one batch of 4n + 1 points; its variance is
        // a fifth of a central difference's at the same h). Gauss–Newton: D ≈ 2 JᵀJ near the
        // minimum, so cov(u) = 2 H⁻¹ = (JᵀJ)⁻¹. Slopes of means are far less noisy than second
        // differences of D under common random numbers.
        let h = settings.curvatureStep
        let offsets = [-2 * h, -h, h, 2 * h]
        var points: [[Double]] = [uHat]
        for i in 0..<n {
            for o in offsets {
                var u = uHat
                u[i] += o
                points.append(u)
            }
        }
        let series = try simulate(points.map { natural($0, plan) }, plan, jobs: jobs, cancellation: cancellation, events: &events)
        let d = series.map(distance)
        let means = series.map { $0.map(mean) }
        let t = plan.targets.count
        var jacobian = [[Double]](repeating: [Double](repeating: 0, count: n), count: t)
        for k in 0..<t {
            for i in 0..<n {
                let slope = offsets.enumerated().reduce(0) { $0 + $1.element * means[1 + 4 * i + $1.offset][k] } / offsets.reduce(0) { $0 + $1 * $1 }
                jacobian[k][i] = slope / sigma[k]
            }
        }
        var information = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n { for j in 0..<n { information[i][j] = (0..<t).reduce(0) { $0 + jacobian[$1][i] * jacobian[$1][j] } } }
        let eigen = try SymmetricEigen(information)
        let cov = eigen.inverse(relativeCutoff: 1e-12)
        // Collinearity (Brun, Reichert & Künsch 2001): the columns of J scaled to unit length;
        // γ = 1/√λ_min of their cross-product. γ above 10 means some combination of the
        // parameters moves the simulated targets by less than a tenth of what each does alone.
        let norms = (0..<n).map { i in (0..<t).reduce(0) { $0 + jacobian[$1][i] * jacobian[$1][i] }.squareRoot() }
        var unpinned = Set<Int>()
        var collinearity = 1.0
        if n > 1 && norms.allSatisfy({ $0 > 0 }) {
            var scaled = information
            for i in 0..<n { for j in 0..<n { scaled[i][j] /= norms[i] * norms[j] } }
            let e = try SymmetricEigen(scaled)
            collinearity = 1 / max(e.values[0], 1e-300).squareRoot()
            if collinearity > 10 {
                let involved = (0..<n).filter { abs(e.vectors[0][$0]) > 0.2 }
                unpinned.formUnion(involved)
                warnings.append("not identifiable: the targets do not separate \(involved.map { plan.parameters[$0].name }.joined(separator: " and ")) (collinearity index \(ScenarioEmitter.numberText((collinearity * 10).rounded() / 10)) > 10: a combination of them moves every target by less than a tenth of what each does alone); fix all but one, or add targets that one of them moves alone")
            }
        }
        for i in 0..<n where norms[i] == 0 { unpinned.insert(i) }
        let z = SpecialFunctions.normalQuantile(0.975)
        var parameters: [CalibratedParameter] = []
        let searched = evaluator.evaluations
        for (i, f) in plan.parameters.enumerated() {
            var lower = f.lo, upper = f.hi
            if settings.intervals == .profile {
                let ends = try profileInterval(i, uHat: uHat, dHat: d[0], evaluator: evaluator)
                lower = f.lo + (f.hi - f.lo) * logistic(ends.lower)
                upper = f.lo + (f.hi - f.lo) * logistic(ends.upper)
            } else if let cov, !unpinned.contains(i), cov[i][i] > 0 {
                let se = cov[i][i].squareRoot()
                lower = f.lo + (f.hi - f.lo) * logistic(uHat[i] - z * se)
                upper = f.lo + (f.hi - f.lo) * logistic(uHat[i] + z * se)
            }
            let p = CalibratedParameter(name: f.name, lo: f.lo, hi: f.hi, start: plan.starts[i], estimate: xHat[i],
                                        lower: lower, upper: upper, identified: !unpinned.contains(i) && (upper - lower) < 0.9 * (f.hi - f.lo))
            parameters.append(p)
        }
        for p in parameters where !p.identified {
            let alreadyNamed = warnings.contains { $0.hasPrefix("not identifiable") && $0.contains(p.name + " ") }
            if !alreadyNamed {
                warnings.append("not identifiable: \(p.name)'s 95 % CI covers \(Int((100 * p.coverage).rounded())) % of its range \(ScenarioEmitter.numberText(p.lo))..\(ScenarioEmitter.numberText(p.hi)); the targets barely move it")
            }
        }
        for p in parameters where p.identified {
            let w = p.hi - p.lo
            if p.estimate - p.lo < 0.02 * w || p.hi - p.estimate < 0.02 * w {
                warnings.append("\(p.name): the estimate \(ScenarioEmitter.numberText(p.estimate)) is at a bound of \(ScenarioEmitter.numberText(p.lo))..\(ScenarioEmitter.numberText(p.hi)); widen the bounds")
            }
        }
        if !search.converged { warnings.append("the search stopped after \(search.iterations) iterations before the simplex met its size test; the estimate may improve with more (--max-iterations)") }

        let rows = plan.targets.indices.map { k in
            FitRow(target: plan.targets[k], simulated: Summaries.summarize(series[0][k]), sigma: sigma[k], atStart: mean(startSeries[k]))
        }
        let dof = plan.targets.count - n
        let dHat = d[0]
        let pValue = dof > 0 ? SpecialFunctions.gammaQ(Double(dof) / 2, dHat / 2) : nil
        let elapsed = clock.now - started
        return CalibrationResult(plan: plan, settings: settings, parameters: parameters, rows: rows, distanceAtStart: distanceAtStart,
                                 distance: dHat, degreesOfFreedom: dof, pValue: pValue, history: history, converged: search.converged,
                                 information: eigen.values, collinearity: collinearity, warnings: warnings, evaluations: history.count + points.count + evaluator.evaluations - searched,
                                 eventsProcessed: events + evaluator.events,
                                 wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    /// The distance at logit-scale points, each distinct (natural) point simulated once; the
    /// simplex and the profile intervals share it. Errors are kept (`failure`) and give +∞, since
    /// the minimiser's callback cannot throw.
    final class Evaluator {
        let plan: CalibrationPlan
        let jobs: Int
        let cancellation: Cancellation?
        let distanceOf: ([[Double]]) -> Double
        var cache: [[Double]: Double] = [:]
        var events = 0
        /// Points simulated (not served from the cache).
        var evaluations = 0
        var failure: Error?
        /// Called with each newly simulated point and its distance.
        var onNew: (([Double], Double) -> Void)?

        init(plan: CalibrationPlan, jobs: Int, cancellation: Cancellation?, distance: @escaping ([[Double]]) -> Double) {
            self.plan = plan
            self.jobs = jobs
            self.cancellation = cancellation
            self.distanceOf = distance
        }

        func distance(_ u: [Double]) -> Double {
            guard failure == nil else { return .infinity }
            let x = natural(u, plan)
            if let v = cache[x] { return v }
            do {
                let v = distanceOf(try simulate([x], plan, jobs: jobs, cancellation: cancellation, events: &events)[0])
                cache[x] = v
                evaluations += 1
                onNew?(x, v)
                return v
            } catch {
                failure = error
                return .infinity
            }
        }
    }

    /// The profile-likelihood 95 % interval of parameter `j` on the logit scale: the points on each
    /// side of û_j where P(t) = min over the other parameters of D (t fixed) reaches D̂ + 3.84; the
    /// bound (u = ±8, 0.03 % from the end) when it never does.
    static func profileInterval(_ j: Int, uHat: [Double], dHat: Double, evaluator: Evaluator) throws -> (lower: Double, upper: Double) {
        let n = uHat.count
        let level = 3.841_458_820_694_124   // χ²₁ 0.95 quantile
        let d = evaluator.distance
        var warm = uHat
        func profile(_ t: Double) throws -> Double {
            var u = warm
            u[j] = t
            guard n > 1 else {
                let v = d(u)
                if let failure = evaluator.failure { throw failure }
                return v
            }
            let others = (0..<n).filter { $0 != j }
            let r = try Minimizer.minimize(start: others.map { warm[$0] }, step: Array(repeating: 0.5, count: n - 1), sizeTolerance: 0.05,
                                           maxIterations: 40, restarts: 0, polish: false) { v in
                var w = u
                for (k, i) in others.enumerated() { w[i] = v[k] }
                return d(w)
            }
            for (k, i) in others.enumerated() { warm[i] = r.x[k] }
            if let failure = evaluator.failure { throw failure }
            return r.value
        }
        var ends: [Double] = []
        for side in [-1.0, 1.0] {
            warm = uHat
            var inside = uHat[j], step = 0.25
            var end = side * 8
            while true {
                let t = uHat[j] + side * step
                if abs(t) >= 8 { break }
                let p = try profile(t) - dHat
                if p >= level {
                    let start = warm
                    let root = try RootFinder.brent(lo: min(inside, t), hi: max(inside, t), absoluteTolerance: 0.02, maxIterations: 20) { x in
                        warm = start
                        return try profile(x) - dHat - level
                    }
                    end = root.root
                    break
                }
                inside = t
                step *= 2
            }
            ends.append(end)
        }
        return (ends[0], ends[1])
    }
}
