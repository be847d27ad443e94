import Foundation

/// Plausibility checks (issue 9; docs/plausibility.md): a scenario that validates may still
/// describe no Danish municipality — shares that do not add up, an initial stock far from the
/// scenario's own steady state without warm-up, amounts and volumes outside what Danish sources
/// report. Each finding is a located `Diagnostic` with severity `.warning` and a suggestion; the
/// scenario still runs (unless `--strict`), and the warnings are recorded in the outputs.
///
/// The ranges are deliberately generous (about 3× beyond the lowest and highest Danish figures
/// found), so a warning means "look again", not "wrong". docs/plausibility.md gives every range
/// with its source.
public enum Plausibility {
    /// A whole number with thousands commas, as the messages write amounts: 1,234,567.
    public static func grouped(_ x: Double) -> String {
        // Beyond 10¹⁵ (and for inf/NaN) a whole number is neither exact nor readable.
        guard x.isFinite, abs(x) < 1e15 else { return String(format: "%.4g", x) }
        let digits = String(Int(x.rounded()).magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return (x < 0 ? "-" : "") + out
    }

    /// Where the checks and ranges are documented; every message cites it.
    public static let doc = "docs/plausibility.md"

    /// The ranges of the checks (docs/plausibility.md gives the sources).
    public enum Range {
        /// DKK per child-year on a `placement: true` step: network care's direct payments
        /// (78,110 kr., KL rates 2023) ÷ 3 … a full-year secure/residential placement
        /// (≈ 2 mio. kr., Hillerød 2020) × 3.
        public static let placementCostPerYear: ClosedRange<Double> = 26_000...6_000_000
        /// DKK per child-year on a step that is not a placement: the cheapest preventive
        /// programme per course (29,949 kr., VIVE) ÷ 3 … the dearest supported-flat level
        /// (436,692 kr. a year) × 3.
        public static let supportCostPerYear: ClosedRange<Double> = 10_000...1_300_000
        /// DKK per caseworker-year (staff, outreach workers): 474,528–500,000 kr. (DS 2022;
        /// Aalborg and Herning ≈ 500,000) ÷ 3 … × 3.
        public static let caseworkerCostPerYear: ClosedRange<Double> = 160_000...1_500_000
        /// Notifications per year: more than all of Denmark (152,700 in 2022, DST) is no municipality.
        public static let notificationsPerYear: Double = 152_700
        /// Children per caseworker position (caps, and the steady-state caseload): 15 (Borås,
        /// the lowest recommendation) ÷ 3 … 85 (the highest observed, DS 2014) × 3.
        public static let caseloadChildren: ClosedRange<Double> = 5...255
        /// Mean length of a placement in years (placed stock ÷ placement starts, as DST's figures
        /// give 3.6–4.1 years): ÷ 3 … × 3.
        public static let placementYears: ClosedRange<Double> = 1.2...12.3
        /// Children per family case: at least one; 60 children in 46 cases (Ankestyrelsen 2009) = 1.3, × 3.
        public static let childrenPerFamily: ClosedRange<Double> = 1...3.9
        /// Turnover rate per year: 40 % left in half a year in the worst municipality (VIVE 2024),
        /// ≈ 0.8 a year, × 3.
        public static let turnoverPerYear: Double = 2.4
        /// How far from 1 a list of shares may sum (rounding of hand-written shares).
        public static let shareTolerance = 0.005
        /// How far an initial stock may be from the steady state without warm-up (relative).
        public static let initialStockTolerance = 0.5
    }

    /// The scenario's warnings, located in the merged tree and sorted like errors.
    static func warnings(_ scenario: Scenario, tree: YNode, fileOrder: [String]) -> [Diagnostic] {
        var checker = PlausibilityChecker(s: scenario, locator: Locator(root: tree))
        checker.run()
        return checker.sink.sorted(fileOrder: fileOrder)
    }

    /// The warnings of a scenario written as YAML (for tests and tools); nil when it does not validate.
    public static func warnings(yaml: String, file: String = "<string>") -> [Diagnostic]? {
        (try? ScenarioLoader.load(yaml: yaml, file: file))?.warnings
    }
}

/// The scenario's steady state by Little's law, with caseload effects off (x = 1), method
/// multipliers 1, growth and seasonality at their mean — the state a long warm-up approaches
/// (docs/plausibility.md, "Steady state").
///
/// New cases open at λ = perYear · (1 − concernsOpenCase) · (1 − share resolved by outreach) ·
/// opensCase a year. A case is followed as a Markov chain over assessment and the ladder steps:
/// assessment ends at rate 1/mean duration into the outcomes' weights; step k is left at rate
/// (1 − stay)/mean sojourn (at the top `up` is stay, at the bottom `down` is exit), up, down or
/// exit in proportion to those weights — the mean time per entry, T_k = mean sojourn / (1 − stay),
/// is the model's. A child notified at age a ages out after ageOut − a years, which ends every
/// stay. The expected days a case spends in each state, O_k (averaged over the notification ages),
/// give by Little's law the stocks N_k = λ · O_k / 365.25, and the flows (entries, placement
/// starts) are O times the rates.
/// The last few scenarios' steady states (``SteadyState/init(_:)``), lock-protected.
private enum SteadyStateCache {
    static let lock = NSLock()
    nonisolated(unsafe) static var entries: [(scenario: Scenario, state: SteadyState?)] = []

    static func lookup(_ s: Scenario) -> SteadyState?? {
        lock.lock(); defer { lock.unlock() }
        return entries.first { $0.scenario == s }.map { $0.state }
    }

    static func store(_ s: Scenario, _ state: SteadyState?) {
        lock.lock(); defer { lock.unlock() }
        if entries.count >= 4 { entries.removeFirst() }
        entries.append((s, state))
    }
}

public struct SteadyState: Sendable, Equatable {
    /// New cases opened per year.
    public var casesPerYear: Double
    /// Children in assessment.
    public var inAssessment: Double
    /// Entries per year into each ladder step (from assessment or another step).
    public var entriesPerYear: [Double]
    /// Children on each ladder step.
    public var stock: [Double]
    /// Placement starts per year (entries into a placement step from assessment or a non-placement step).
    public var placementStartsPerYear: Double

    /// Mean days per entry on step k (stock ÷ entries), nil without entries.
    public func daysPerEntry(_ k: Int) -> Double? {
        entriesPerYear[k] > 0 ? stock[k] * 365.25 / entriesPerYear[k] : nil
    }

    /// Children with an open case (assessment and ladder; waits not counted).
    public var openCases: Double { inAssessment + stock.reduce(0, +) }

    /// The steady state of a scenario, nil when it has none (no notifications or no ladder).
    ///
    /// Memoised for the last few scenarios: loading (the plausibility checks) and the work
    /// estimate ask for the same scenario's steady state, ≈ 20 M instructions each.
    public init?(_ s: Scenario) {
        if let known = SteadyStateCache.lookup(s) {
            guard let value = known else { return nil }
            self = value
            return
        }
        let computed = SteadyState(computing: s)
        SteadyStateCache.store(s, computed)
        guard let computed else { return nil }
        self = computed
    }

    private init?(computing s: Scenario) {
        let n = s.ladder.count
        guard s.notifications.perYear > 0, n > 0, s.children.ageOut > 0 else { return nil }
        let newChildren = s.notifications.perYear * (1 - s.notifications.concernsOpenCase)
        var toScreening = newChildren
        if let o = s.outreach, o.slots > 0, o.reach > 0 {
            let days = o.duration.meanValue ?? 0
            let capacity = days > 0 ? Double(o.slots) * 365.25 / days : .infinity
            toScreening -= min(newChildren * o.reach, capacity) * o.resolves
        }
        let lambda = max(0, toScreening * s.screening.opensCase)
        let total = s.assessment.outcome.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return nil }
        var outcome = Array(repeating: 0.0, count: n)
        for w in s.assessment.outcome {
            if let k = s.ladder.firstIndex(where: { $0.id == w.outcome }) { outcome[k] += w.weight / total }
        }
        // States 0..<n: ladder steps; n: assessment. Rates per day; a state of mean 0 lasts 0.01 day.
        let m = n + 1
        var q = Array(repeating: Array(repeating: 0.0, count: m), count: m)
        for (k, step) in s.ladder.enumerated() {
            let mean = max(step.duration.meanValue ?? 0, 0.01)
            let up = k < n - 1 ? step.next.up : 0
            let leave = up + step.next.down + step.next.exit
            q[k][k] = -leave / mean
            if k < n - 1 { q[k][k + 1] = up / mean }
            if k > 0 { q[k][k - 1] = step.next.down / mean }
        }
        let assessmentMean = max(s.assessment.duration.meanValue ?? 0, 0.01)
        q[n][n] = -1 / assessmentMean
        for k in 0..<n { q[n][k] = outcome[k] / assessmentMean }
        // Occupancy O(τ) = ∫₀^τ p(t) dt on a grid of days, p(0) = in assessment; exact per grid step
        // from exp([[Q, I], [0, 0]] · dt) = [[exp(Q dt), ∫₀^dt exp(Qs) ds], [0, I]].
        let horizon = s.children.ageOut * 365.25
        let steps = min(40_000, max(1, Int(horizon.rounded(.up))))
        let dt = horizon / Double(steps)
        var aug = Array(repeating: Array(repeating: 0.0, count: 2 * m), count: 2 * m)
        for i in 0..<m {
            for j in 0..<m { aug[i][j] = q[i][j] * dt }
            aug[i][m + i] = dt
        }
        let e = SteadyState.expm(aug)
        var p = Array(repeating: 0.0, count: m)
        p[n] = 1
        var occupancy: [[Double]] = [Array(repeating: 0.0, count: m)]
        occupancy.reserveCapacity(steps + 1)
        for _ in 0..<steps {
            var next = Array(repeating: 0.0, count: m)
            var integral = occupancy[occupancy.count - 1]
            for i in 0..<m where p[i] != 0 {
                for j in 0..<m {
                    next[j] += p[i] * e[i][j]
                    integral[j] += p[i] * e[i][m + j]
                }
            }
            p = next
            occupancy.append(integral)
        }
        func occupied(_ years: Double) -> [Double] {
            let x = min(max(0, years * 365.25 / dt), Double(steps))
            let i = min(Int(x), steps - 1), f = x - Double(i)
            return (0..<m).map { occupancy[i][$0] * (1 - f) + occupancy[i + 1][$0] * f }
        }
        var days = Array(repeating: 0.0, count: m)
        for (age, weight) in SteadyState.ages(s.children.ageAtNotification) {
            let o = occupied(s.children.ageOut - age)
            for j in 0..<m { days[j] += weight * o[j] }
        }
        casesPerYear = lambda
        inAssessment = lambda * days[n] / 365.25
        stock = (0..<n).map { lambda * days[$0] / 365.25 }
        entriesPerYear = (0..<n).map { k in (0..<m).reduce(0) { $0 + ($1 == k ? 0 : lambda * days[$1] * q[$1][k]) } }
        var starts = 0.0
        for (k, step) in s.ladder.enumerated() where step.placement {
            for j in 0..<m where j != k && (j == n || !s.ladder[j].placement) { starts += lambda * days[j] * q[j][k] }
        }
        placementStartsPerYear = starts
    }

    /// Ages at notification with their probabilities: an empirical distribution of whole years
    /// at four points within each year, a uniform one at 40 points, others at their mean.
    static func ages(_ d: DistributionSpec) -> [(Double, Double)] {
        switch d {
        case .empirical(let values, let weights):
            let total = weights.reduce(0, +)
            guard total > 0 else { return [] }
            if values.allSatisfy({ $0 == $0.rounded() }) {
                return zip(values, weights).flatMap { (v: Double, w: Double) -> [(Double, Double)] in
                    [0.125, 0.375, 0.625, 0.875].map { (v + $0, w / total / 4) }
                }
            }
            return zip(values, weights).map { ($0, $1 / total) }
        case .uniform(let a, let b):
            return (0..<40).map { (i: Int) -> (Double, Double) in
                let u = (Double(i) + 0.5) / 40
                return (a + (b - a) * u, 1.0 / 40)
            }
        default:
            return [(d.meanValue ?? 0, 1)]
        }
    }

    /// exp(A) by scaling and squaring with a Taylor series (small, well-scaled matrices).
    static func expm(_ a: [[Double]]) -> [[Double]] {
        let n = a.count
        let norm = a.map { $0.reduce(0) { $0 + abs($1) } }.max() ?? 0
        let squarings = norm > 0.5 ? Int(log2(norm / 0.5).rounded(.up)) : 0
        let scale = pow(2.0, Double(squarings))
        let b = a.map { $0.map { $0 / scale } }
        func mul(_ x: [[Double]], _ y: [[Double]]) -> [[Double]] {
            (0..<n).map { i in (0..<n).map { j in (0..<n).reduce(0) { $0 + x[i][$1] * y[$1][j] } } }
        }
        var result = (0..<n).map { i in (0..<n).map { j in i == j ? 1.0 : 0 } }
        var term = result
        for k in 1...14 {
            term = mul(term, b).map { $0.map { $0 / Double(k) } }
            for i in 0..<n { for j in 0..<n { result[i][j] += term[i][j] } }
        }
        for _ in 0..<squarings { result = mul(result, result) }
        return result
    }
}

extension DistributionSpec {
    /// The mean (days or years, as the distribution is), when it has a closed form.
    public var meanValue: Double? {
        switch self {
        case .fixed(let v): return v
        case .exponential(let m): return m
        case .gammaMeanSD(let m, _): return m
        case .gammaShapeScale(let k, let theta): return k * theta
        case .lognormalMeanSD(let m, _): return m
        case .lognormalMuSigma(let mu, let sigma): return exp(mu + sigma * sigma / 2)
        case .weibull(let k, let lambda): return k > 0 ? lambda * tgamma(1 + 1 / k) : nil
        case .uniform(let a, let b): return (a + b) / 2
        case .empirical(let values, let weights):
            let w = weights.reduce(0, +)
            return w > 0 ? zip(values, weights).map { $0 * $1 }.reduce(0, +) / w : nil
        }
    }
}

/// Finds where a key path is written in the merged tree (list items by id or index).
struct Locator {
    let root: YNode

    /// The position of the value at `path`, or of its deepest written ancestor; `written` says
    /// whether the path itself is in the file (false: a default).
    func find(_ path: [String]) -> (at: SourcePosition, written: Bool) {
        var node = root
        for segment in path {
            switch node {
            case .map(let m):
                guard let v = m[segment] else { return (node.loc, false) }
                node = v
            case .seq(let s):
                if let item = s.items.first(where: { $0.mapValue?["id"]?.scalar?.text == segment }) {
                    node = item
                } else if let i = Int(segment), s.items.indices.contains(i) {
                    node = s.items[i]
                } else {
                    return (node.loc, false)
                }
            case .scalar:
                return (node.loc, false)
            }
        }
        return (node.loc, true)
    }

    func isWritten(_ path: [String]) -> Bool { find(path).written }
}

/// Runs the checks of docs/plausibility.md on one scenario.
struct PlausibilityChecker {
    let s: Scenario
    let locator: Locator
    var sink = DiagnosticSink()

    mutating func run() {
        shares()
        ages()
        ladderExits()
        amounts()
        volumes()
        if let steady = SteadyState(s) {
            caseload(steady)
            placementLength(steady)
            initialStock(steady)
        }
    }

    mutating func warn(_ path: [String], _ message: String, suggestion: String) {
        let at = locator.find(path).at
        sink.add(Diagnostic(file: at.file, line: at.line, column: at.column, keyPath: path.joined(separator: "."),
                            message: message, suggestion: suggestion + "; see \(Plausibility.doc)", severity: .warning),
                 order: at.order)
    }

    // MARK: Shares that should sum to 1

    mutating func shares() {
        // Teams: the model normalises shares over the teams whose band covers an age (MODEL.md §5.3).
        let ageOut = s.children.ageOut
        var cuts = Set([0.0, ageOut])
        for t in s.teams {
            let b = t.band(ageOut: ageOut)
            for x in [b.min, b.max] where x > 0 && x < ageOut { cuts.insert(x) }
        }
        let sorted = cuts.sorted()
        // Age segments with the same covering teams, merged: (teams, from, to).
        var groups: [(ids: [String], lo: Double, hi: Double)] = []
        for (lo, hi) in zip(sorted, sorted.dropFirst()) {
            let ids = s.teams.filter { $0.band(ageOut: ageOut).contains((lo + hi) / 2) }.map(\.id)
            if let i = groups.firstIndex(where: { $0.ids == ids }) {
                groups[i].lo = min(groups[i].lo, lo)
                groups[i].hi = max(groups[i].hi, hi)
            } else {
                groups.append((ids, lo, hi))
            }
        }
        for g in groups where !g.ids.isEmpty {
            let covering = s.teams.filter { g.ids.contains($0.id) }
            let sum = covering.reduce(0) { $0 + $1.share }
            guard abs(sum - 1) > Plausibility.Range.shareTolerance, sum > 0,
                  let written = covering.first(where: { locator.isWritten(["teams", $0.id, "share"]) }) else { continue }
            let band = "\(num(g.lo))–\(num(g.hi))"
            let terms = covering.map { "\(num($0.share)) (\($0.id))" }.joined(separator: " + ")
            let split = covering.map { "\(percent($0.share / sum)) \($0.id)" }.joined(separator: ", ")
            let message = covering.count == 1
                ? "the share of the only team covering ages \(band) is \(num(sum, 4)), not 1; the model normalises shares over the teams covering an age, so it gets every case of these ages"
                : "the shares of the teams covering ages \(band) sum to \(terms) = \(num(sum, 4)), not 1; the model normalises them, so the cases are split \(split)"
            warn(["teams", written.id, "share"], message, suggestion: "make the shares of these teams sum to 1 so that the file says what the model does")
        }
        // Assessment outcomes: weights normalised (MODEL.md §5.4).
        let total = s.assessment.outcome.reduce(0) { $0 + $1.weight }
        if locator.isWritten(["assessment", "outcome"]), total > 0, abs(total - 1) > Plausibility.Range.shareTolerance {
            let split = s.assessment.outcome.map { "\($0.outcome) \(percent($0.weight / total))" }.joined(separator: ", ")
            warn(["assessment", "outcome"],
                 "the outcome weights sum to \(num(total, 4)), not 1; the model normalises them, so assessments end \(split)",
                 suggestion: "write them as shares that sum to 1, the rest as close, so that the file says what the model does")
        }
        // Seasonality: normalised to mean 1 (MODEL.md §5.1).
        let factors = s.notifications.seasonality
        let mean = factors.reduce(0, +) / Double(max(1, factors.count))
        if mean > 0, abs(mean - 1) > 0.01 {
            warn(["notifications", "seasonality"],
                 "the 12 monthly factors have mean \(num(mean, 3)), not 1; the model divides them by \(num(mean, 3)), so they shape the year but notifications.perYear alone sets the level",
                 suggestion: "scale them to mean 1, a sum of 12, so that the file says what the model does")
        }
        // Children per family.
        let cpf = s.caseload.childrenPerFamily
        if s.caseload.casesCountedAs == .families, !Plausibility.Range.childrenPerFamily.contains(cpf) {
            warn(["caseload", "childrenPerFamily"],
                 "\(num(cpf)) children per family case is outside \(range(Plausibility.Range.childrenPerFamily)) (a family case has at least one child; Ankestyrelsen found 1.3 in 2009)",
                 suggestion: "check the family size; caps and caseload.reference are multiplied by it")
        }
    }

    /// Children notified at or above `ageOut` age out at once.
    mutating func ages() {
        let ageOut = s.children.ageOut
        var above = 0.0
        switch s.children.ageAtNotification {
        case .fixed(let v): above = v >= ageOut ? 1 : 0
        case .uniform(let a, let b): above = b > ageOut && b > a ? (b - max(a, ageOut)) / (b - a) : (a >= ageOut ? 1 : 0)
        case .empirical(let values, let weights):
            let total = weights.reduce(0, +)
            let integer = values.allSatisfy { $0 == $0.rounded() }
            for (v, w) in zip(values, weights) where total > 0 {
                let share = integer ? min(1, max(0, v + 1 - ageOut)) : (v >= ageOut ? 1 : 0)
                above += share * w / total
            }
        default: return
        }
        guard above > 1e-9 else { return }
        let path = locator.isWritten(["children", "ageAtNotification"]) ? ["children", "ageAtNotification"] : ["children", "ageOut"]
        warn(path, "\(percent(above)) of new children are notified at an age ≥ children.ageOut (\(num(ageOut))); they age out at once (counted in agedOut, never assessed)",
             suggestion: "keep the ages of children.ageAtNotification below children.ageOut")
    }

    /// A step nobody leaves: the remainder `stay` is 1.
    mutating func ladderExits() {
        let n = s.ladder.count
        for (k, step) in s.ladder.enumerated() {
            let leave = (k < n - 1 ? step.next.up : 0) + step.next.down + step.next.exit
            guard leave <= 1e-12 else { continue }
            let topNote = k == n - 1 && step.next.up > 0 ? " (at the top step up means stay)" : ""
            warn(["ladder", step.id, "next"],
                 "children on this step never leave it but by ageing out: stay = 1 − up − down − exit = 1\(topNote)",
                 suggestion: "give next.exit, down or up a probability > 0, unless the step really lasts until children.ageOut")
        }
    }

    // MARK: Amounts and volumes

    mutating func amounts() {
        let R = Plausibility.Range.self
        for step in s.ladder where step.costPerYear > 0 {
            let r = step.placement ? R.placementCostPerYear : R.supportCostPerYear
            guard !r.contains(step.costPerYear) else { continue }
            let what = step.placement
                ? "a placement (network care ≈ 78,000 kr. in direct payments, foster family 470,000 kr., residential 1,160,000 kr., up to ≈ 2 mio. kr.)"
                : "a measure that is not a placement (courses ≈ 30,000–57,000 kr., supported flats 201,000–437,000 kr. a year)"
            warn(["ladder", step.id, "costPerYear"],
                 "\(money(step.costPerYear)) per child-year is outside \(moneyRange(r)) for \(what)",
                 suggestion: "check the unit: DKK per child and year, not per month or in thousands")
        }
        if s.staff.costPerYear > 0, !R.caseworkerCostPerYear.contains(s.staff.costPerYear) {
            warn(["staff", "costPerYear"],
                 "\(money(s.staff.costPerYear)) per caseworker-year is outside \(moneyRange(R.caseworkerCostPerYear)) (a Danish social worker costs ≈ 475,000–500,000 kr. a year with pension)",
                 suggestion: "check the unit: DKK per filled position and year")
        }
        if let o = s.outreach, o.costPerWorkerYear > 0, !R.caseworkerCostPerYear.contains(o.costPerWorkerYear) {
            warn(["outreach", "costPerWorkerYear"],
                 "\(money(o.costPerWorkerYear)) per outreach worker-year is outside \(moneyRange(R.caseworkerCostPerYear)) (a Danish social worker costs ≈ 475,000–500,000 kr. a year with pension)",
                 suggestion: "check the unit: DKK per worker and year")
        }
    }

    mutating func volumes() {
        let R = Plausibility.Range.self
        if s.notifications.perYear > R.notificationsPerYear {
            warn(["notifications", "perYear"],
                 "\(num(s.notifications.perYear)) notifications a year is more than all of Denmark had (152,700 in 2022)",
                 suggestion: "check the number: notifications a year in the municipality")
        }
        if s.staff.turnover.perYear > R.turnoverPerYear {
            warn(["staff", "turnover", "perYear"],
                 "a turnover rate of \(num(s.staff.turnover.perYear)) a year is above \(num(R.turnoverPerYear)) (the worst Danish municipality lost 40 % of its caseworkers in half a year)",
                 suggestion: "write the rate per year: 0.25 for one in four a year")
        }
        let perCase = s.caseload.childrenPerCase
        for t in s.teams {
            let cap = t.cap * perCase
            guard !R.caseloadChildren.contains(cap) else { continue }
            warn(["teams", t.id, "cap"],
                 "a cap of \(num(cap)) children per caseworker is outside \(range(R.caseloadChildren)) (Danish caseloads run from 15 recommended to 85 observed)",
                 suggestion: "check the cap: children, or families when caseload.casesCountedAs is families")
        }
    }

    // MARK: Steady-state checks

    mutating func caseload(_ steady: SteadyState) {
        let positions = s.teams.reduce(0) { $0 + $1.caseworkers }
        let open = steady.openCases
        guard positions > 0 else { return }
        let load = open / Double(positions)
        let r = Plausibility.Range.caseloadChildren
        guard !r.contains(load) else { return }
        warn(["teams"],
             "at the scenario's steady state ≈ \(num(open, 0)) children have an open case for \(positions) caseworker positions: ≈ \(num(load, 1)) children each, outside \(range(r)) (Danish caseloads run from 15 recommended to 85 observed)",
             suggestion: "check notifications.perYear, the durations and the number of caseworkers")
    }

    mutating func placementLength(_ steady: SteadyState) {
        guard steady.placementStartsPerYear > 0 else { return }
        let placed = s.ladder.indices.filter { s.ladder[$0].placement }.reduce(0) { $0 + steady.stock[$1] }
        let years = placed / steady.placementStartsPerYear
        let r = Plausibility.Range.placementYears
        guard !r.contains(years) else { return }
        let firstPlacement = s.ladder.first(where: \.placement)!
        warn(["ladder", firstPlacement.id, "duration"],
             "at the scenario's steady state a placement lasts ≈ \(num(years, 1)) years on average (≈ \(num(placed, 0)) placed ÷ \(num(steady.placementStartsPerYear, 1)) placement starts a year), outside \(num(r.lowerBound, 1))–\(num(r.upperBound, 1)) years (Danish placements last 3.6–4.1 years by the same count)",
             suggestion: "check the durations, in days, and next of the placement steps")
    }

    mutating func initialStock(_ steady: SteadyState) {
        guard s.simulation.warmupYears == 0, !s.initial.isEmpty else { return }
        let tol = Plausibility.Range.initialStockTolerance
        for (k, step) in s.ladder.enumerated() {
            let target = steady.stock[k]
            guard let days = steady.daysPerEntry(k) else { continue }
            let count = Double(s.initial.filter { $0.step == step.id }.reduce(0) { $0 + $1.count })
            guard abs(count - target) > tol * target, abs(count - target) >= 1 else { continue }
            let path = s.initial.contains(where: { $0.step == step.id }) ? ["initial", step.id] : ["initial"]
            warn(path,
                 "\(num(count, 0)) children start on \(step.id), but the scenario's steady state is ≈ \(num(target, 1)) (Little's law: \(num(steady.entriesPerYear[k], 1)) entries a year × \(num(days / 365.25, 2)) years per entry, ageing out included, caseload effects off); without warm-up (simulation.warmupYears: 0) the first years are a transient from the initial stock",
                 suggestion: "set initial.\(step.id) to about \(num(target, 0)), or give simulation.warmupYears a few years")
        }
    }

    // MARK: Formatting

    func num(_ x: Double, _ digits: Int = 2) -> String {
        if abs(x) >= 1000 { return grouped(x) }
        var t = String(format: "%.\(digits)f", x)
        if t.contains(".") {
            while t.hasSuffix("0") { t.removeLast() }
            if t.hasSuffix(".") { t.removeLast() }
        }
        return t
    }

    func grouped(_ x: Double) -> String { Plausibility.grouped(x) }

    func money(_ x: Double) -> String { grouped(x) + " DKK" }
    func moneyRange(_ r: ClosedRange<Double>) -> String { "\(grouped(r.lowerBound))–\(grouped(r.upperBound)) DKK" }
    func range(_ r: ClosedRange<Double>) -> String { "\(num(r.lowerBound))–\(num(r.upperBound))" }
    func percent(_ x: Double) -> String { num(100 * x, 1) + " %" }
}
