import Foundation
import SagstalModel
import SagstalScenario
import SagstalStats

/// One `--vary` of a sweep: `PATH=v1,v2,…` (a list) or `PATH=lo..hi[:step]` (a range).
public struct SweepAxis: Sendable, Equatable, Codable {
    public let path: String
    public let values: [String]
    /// For a range, the 1-based columns of `lo` and `hi` in the `--vary` text (where warnings
    /// about the smallest and the largest value point); nil for a list.
    public let rangeColumns: RangeColumns?

    /// Where a range's bounds are written.
    public struct RangeColumns: Sendable, Equatable, Codable {
        public let lo: Int
        public let hi: Int
        public init(lo: Int, hi: Int) {
            self.lo = lo
            self.hi = hi
        }
    }

    /// The number of points of a range without `:step`.
    public static let defaultRangePoints = 5
    /// The most values one axis may have.
    public static let maximumValues = 1_000

    /// Parses `PATH=v1,v2,…` (values are YAML scalars; a list value cannot be swept) or
    /// `PATH=lo..hi[:step]`.
    ///
    /// A range gives lo, lo + step, lo + 2·step, … up to the largest value ≤ hi (hi itself when
    /// the step divides hi − lo; a relative 10⁻⁹ allows for floating-point error, and values are
    /// rounded to the decimals written, so `0..0.6:0.15` gives 0, 0.15, 0.3, 0.45, 0.6). Without
    /// `:step`, ``defaultRangePoints`` evenly spaced values from lo to hi; when lo and hi are whole
    /// numbers they are rounded to whole numbers and repeats dropped (`15..40` gives 15, 21, 28,
    /// 34, 40; `4..6` gives 4, 5, 6). Whole-number bounds and step give whole numbers (`15`, not
    /// `15.0`). Bounds and step are plain decimal numbers with a decimal point (`0.15`, `-0.5`);
    /// a decimal comma (`0,15`), a Danish thousands separator (`470.000`), exponents and units
    /// are refused with the number to write.
    ///
    /// - Throws: `PlannerError.badVary` naming `--vary` and what was expected: no `=`, an empty
    ///   value, a bound or step that is not a plain number, lo > hi, step ≤ 0, more than
    ///   ``maximumValues`` values.
    /// - Complexity: O(values).
    public init(parsing text: String) throws {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw PlannerError.badVary("--vary '\(text)': expected PATH=v1,v2,… or PATH=lo..hi[:step] (e.g. teams.0.cap=15,20,25 or teams.0.cap=15..40:5)")
        }
        path = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        let rest = String(text[text.index(after: eq)...])
        if rest.contains("..") {
            let range = try Self.range(rest, in: text, offset: text.distance(from: text.startIndex, to: eq) + 1)
            values = range.values
            rangeColumns = range.columns
            return
        }
        values = rest.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if values.isEmpty || values.contains(where: \.isEmpty) {
            throw PlannerError.badVary("--vary '\(text)': expected a comma-separated list of values after '=', found an empty value")
        }
        rangeColumns = nil
    }

    public init(path: String, values: [String]) {
        self.path = path
        self.values = values
        rangeColumns = nil
    }

    /// Whether the axis is an assumption (``AssumptionParameters``): no marker of the lowest cost
    /// is put on it.
    public var isAssumption: Bool { AssumptionParameters.isAssumption(path) }

    /// A plain decimal number as written in a range: its value and its number of decimals.
    struct Written {
        var value: Double
        var decimals: Int
    }

    /// `lo..hi[:step]` → its values. `offset` is the number of characters before `rest` in `text`.
    static func range(_ rest: String, in text: String, offset: Int) throws -> (values: [String], columns: RangeColumns) {
        func fail(_ why: String) -> PlannerError { .badVary("--vary '\(text)': \(why)") }
        if rest.contains(",") {
            let fixed = rest.replacingOccurrences(of: ",", with: ".")
            throw fail("a range lo..hi[:step] cannot contain a comma: write \(fixed.trimmingCharacters(in: .whitespaces)) if the commas are decimal commas (a range takes a decimal point); a range cannot be combined with a list of values (PATH=v1,v2,…)")
        }
        let parts = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let bounds = parts[0].components(separatedBy: "..")
        guard bounds.count == 2 else {
            throw fail("expected a range lo..hi or lo..hi:step (e.g. 15..40:5), found '\(rest.trimmingCharacters(in: .whitespaces))'")
        }
        func number(_ raw: String, _ what: String) throws -> Written {
            let t = raw.trimmingCharacters(in: .whitespaces)
            guard !t.isEmpty else { throw fail("the range has no \(what) (expected lo..hi[:step], e.g. 15..40:5)") }
            if NumberHabits.looksLikeThousands(t) {
                throw fail("\(what) \(t) looks like a Danish thousands separator; write \(t.replacingOccurrences(of: ".", with: "")) (or \(Double(t).map { format($0, decimals: 3) } ?? t) if you meant \(t) as a decimal)")
            }
            var body = Substring(t)
            if body.hasPrefix("-") || body.hasPrefix("+") { body = body.dropFirst() }
            let pieces = body.split(separator: ".", omittingEmptySubsequences: false)
            let plain = !body.isEmpty && pieces.count <= 2 && pieces.allSatisfy { !$0.isEmpty && $0.allSatisfy { ("0"..."9").contains($0) } }
            guard plain, let v = Double(t), v.isFinite else {
                throw fail("\(what) must be a plain decimal number (like 15, 0.15 or -0.5), found '\(t)'")
            }
            return Written(value: v, decimals: pieces.count == 2 ? pieces[1].count : 0)
        }
        let lo = try number(bounds[0], "lo"), hi = try number(bounds[1], "hi")
        let step = parts.count == 2 ? try number(parts[1], "step") : nil
        // Columns (1-based) of lo and hi in the whole --vary text, after leading blanks.
        let loStart = offset + parts[0].prefix { $0 == " " }.count + 1
        let hiStart = offset + bounds[0].count + 2 + bounds[1].prefix { $0 == " " }.count + 1
        let columns = RangeColumns(lo: loStart, hi: hiStart)
        guard lo.value <= hi.value else {
            throw fail("lo must be at most hi, found \(show(lo)) > \(show(hi))")
        }
        var values: [String] = []
        if let step {
            guard step.value > 0 else { throw fail("the step must be > 0, found \(show(step))") }
            let q = (hi.value - lo.value) / step.value
            let k = (q + 1e-9 * Swift.max(1, q)).rounded(.down)
            guard k + 1 <= Double(maximumValues) else {
                throw fail("the range gives \(k + 1 > 1e15 ? "more than 10¹⁵" : String(Int(k) + 1)) values; at most \(maximumValues) per axis (use a larger step)")
            }
            let decimals = Swift.max(lo.decimals, hi.decimals, step.decimals)
            for i in 0...Int(k) { values.append(format(lo.value + Double(i) * step.value, decimals: decimals)) }
        } else if lo.value == hi.value {
            values = [format(lo.value, decimals: lo.decimals)]
        } else {
            let n = defaultRangePoints
            let whole = lo.decimals == 0 && hi.decimals == 0
            let decimals = whole ? 0 : Swift.max(lo.decimals, hi.decimals) + 2   // (hi − lo)/4 needs at most two more
            for i in 0..<n {
                var v = i == n - 1 ? hi.value : lo.value + Double(i) * (hi.value - lo.value) / Double(n - 1)
                if whole { v = v.rounded(.toNearestOrAwayFromZero) }
                let s = format(v, decimals: decimals)
                if !values.contains(s) { values.append(s) }
            }
        }
        return (values, columns)
    }

    /// A value with at most `decimals` decimals, trailing zeros dropped (`0.30` → `0.3`), no `-0`.
    static func format(_ x: Double, decimals: Int) -> String {
        var s = String(format: "%.\(decimals)f", x)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        if s == "-0" { s = "0" }
        return s
    }

    /// A written number for a message.
    static func show(_ w: Written) -> String { format(w.value, decimals: w.decimals) }
}

/// The result of `sagstal sweep`: one run per grid point, all with the same seed.
public struct SweepRun: Sendable {
    public let axes: [SweepAxis]
    /// Per point, the value of each axis (grid order: the first axis varies slowest).
    public let points: [[String]]
    public let scenarios: [Scenario]
    public let runs: [AggregatedRun]
    public let eventsProcessed: Int
    public let wallSeconds: Double

    /// The point with the lowest mean total cost over the horizon (over the whole grid,
    /// assumptions included; what is marked is ``lowestCostPoints``).
    public var lowestCostPoint: Int? {
        let means = meanCosts
        return means.indices.filter { means[$0] != nil }.min { means[$0]! < means[$1]! }
    }

    /// The mean `cost.total` over the horizon of each point.
    public var meanCosts: [Double?] {
        runs.map { run in run.layout.totalsMetrics.firstIndex(of: "cost.total").flatMap { run.totals[$0].mean } }
    }

    /// Whether each axis is an assumption (``SweepAxis/isAssumption``).
    public var assumptionAxes: [Bool] { axes.map(\.isAssumption) }

    /// The points marked "lowest total cost" (``SweepJob/lowestCostPoints(points:meanCosts:assumptionAxes:)``).
    public var lowestCostPoints: [Int] {
        SweepJob.lowestCostPoints(points: points, meanCosts: meanCosts, assumptionAxes: assumptionAxes)
    }
}

/// `sagstal sweep`: runs a scenario over the full grid of `--vary` values. Every point uses the
/// scenario's seed, so points differ by the varied values, not by luck (common random numbers).
public enum SweepJob {
    /// The points to mark as the lowest mean total cost, so that no marker is put on an
    /// assumption (``AssumptionParameters``): the lowest cost over an assumed effect says what the
    /// assumption implies (a stronger assumed effect is cheaper), not what to choose.
    ///
    /// - No axis is an assumption: the point with the lowest mean cost of the grid.
    /// - Every axis is an assumption: none.
    /// - Some are: for each combination of the assumption axes' values, the point with the lowest
    ///   mean cost over the other axes — "if the effect is this, the cheapest choice is that".
    ///
    /// Points without a mean cost are skipped; ties go to the first point in grid order.
    /// - Returns: point indices, ascending.
    /// - Complexity: O(points × axes).
    public static func lowestCostPoints(points: [[String]], meanCosts: [Double?], assumptionAxes: [Bool]) -> [Int] {
        if !assumptionAxes.isEmpty && assumptionAxes.allSatisfy({ $0 }) { return [] }
        var best: [[String]: Int] = [:]
        for (i, point) in points.enumerated() {
            guard i < meanCosts.count, let c = meanCosts[i] else { continue }
            let key = point.enumerated().filter { $0.offset < assumptionAxes.count && assumptionAxes[$0.offset] }.map(\.element)
            if let j = best[key], let cj = meanCosts[j], cj <= c { continue }
            best[key] = i
        }
        return best.values.sorted()
    }

    /// The grid of values, first axis slowest.
    public static func grid(_ axes: [SweepAxis]) -> [[String]] {
        axes.reduce([[]]) { partial, axis in partial.flatMap { p in axis.values.map { p + [$0] } } }
    }

    /// Loads every grid point (the request's overrides, then the point's values). All points are
    /// validated before anything runs.
    /// - Throws: `ScenarioError` with the problems of every point.
    public static func load(_ request: ScenarioRequest, axes: [SweepAxis]) throws -> [LoadedScenario] {
        var diagnostics: [Diagnostic] = []
        var loaded: [LoadedScenario] = []
        let fixed = request.overrides.count
        for point in grid(axes) {
            var r = request
            r.overrides += zip(axes, point).map { "\($0.path)=\($1)" }
            do {
                var l = try r.load()
                // The point's values are the sweep's, not --set overrides: `<--vary>`, line k for the k-th axis.
                for k in l.sources.indices where l.sources[k].file == "<--set>" {
                    if let line = l.sources[k].line, line > fixed, line <= fixed + axes.count {
                        l.sources[k].file = SweepRun.varyFileName
                        l.sources[k].line = line - fixed
                    } else if let line = l.sources[k].line, line > fixed + axes.count {
                        l.sources[k].line = line - axes.count   // -n, --seed, --years after the point's values
                    }
                }
                loaded.append(l)
            } catch let e as ScenarioError {
                for d in e.diagnostics where !diagnostics.contains(d) { diagnostics.append(d) }
            }
        }
        if !diagnostics.isEmpty { throw ScenarioError(diagnostics: diagnostics) }
        return loaded
    }

    /// Runs every point on `jobs` threads (`SimulationRunner.runEach`: the points overlap, no thread waits at a point's end).
    /// - Parameter progress: called with the number of replications done over all points.
    /// - Parameter cancellation: stops the run between replications (it then throws ``Interrupted``).
    public static func run(_ scenarios: [Scenario], axes: [SweepAxis], jobs: Int,
                           progress: (@Sendable (Int) -> Void)? = nil,
                           cancellation: Cancellation? = nil) throws -> SweepRun {
        let (runs, wall) = try SimulationRunner.runEach(scenarios, jobs: jobs, progress: progress, cancellation: cancellation)
        return SweepRun(axes: axes, points: grid(axes), scenarios: scenarios, runs: runs,
                        eventsProcessed: runs.reduce(0) { $0 + $1.eventsProcessed },
                        wallSeconds: wall)
    }
}
