import Foundation

/// A problem with what `sagstal optimise` was asked to do (bad range, constraint or setting):
/// a command-line error (exit 64).
public struct OptimiseInputError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A mean-value constraint `metric <= threshold` or `metric >= threshold` with its tolerance ε
/// (the indifference zone of the feasibility check).
public struct MeanConstraint: Sendable, Equatable {
    public enum Sense: String, Sendable, Equatable {
        case atMost = "<="
        case atLeast = ">="
    }

    public var metric: String
    public var sense: Sense
    public var threshold: Double
    /// ε > 0: a mean at least ε on the right side of the threshold must be declared feasible, one
    /// at least ε on the wrong side infeasible; in between either decision is acceptable.
    public var tolerance: Double
    /// Whether the tolerance was given (`±ε`) or is the default.
    public var toleranceGiven: Bool

    public init(metric: String, sense: Sense, threshold: Double, tolerance: Double, toleranceGiven: Bool = true) {
        self.metric = metric
        self.sense = sense
        self.threshold = threshold
        self.tolerance = tolerance
        self.toleranceGiven = toleranceGiven
    }

    /// The default tolerance: a tenth of the threshold's size (`overCapShare<=0.1` → 0.01).
    public static func defaultTolerance(threshold: Double) -> Double? {
        threshold != 0 ? abs(threshold) / 10 : nil
    }

    /// Parses `metric<=c`, `metric>=c`, optionally followed by `±ε` or `+-ε` (spaces allowed).
    /// - Throws: ``OptimiseInputError`` saying what was expected.
    public init(parsing text: String) throws {
        let usage = "expected METRIC<=VALUE or METRIC>=VALUE, optionally with a tolerance ±EPSILON (e.g. overCapShare<=0.1 or overCapShare<=0.1±0.01)"
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let ops: [(String, Sense)] = [("<=", .atMost), (">=", .atLeast)]
        guard let found = ops.first(where: { trimmed.contains($0.0) }),
              let r = trimmed.range(of: found.0) else {
            let hint = ["<", ">", "=", "≤", "≥"].contains(where: trimmed.contains) ? " (write <= or >=)" : ""
            throw OptimiseInputError("--constraint '\(text)': \(usage)\(hint)")
        }
        let (op, sense) = found
        let name = trimmed[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
        var rest = trimmed[r.upperBound...].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, !name.contains(where: { " <>=≤≥".contains($0) }) else {
            throw OptimiseInputError("--constraint '\(text)': \(usage); the metric name is missing or malformed")
        }
        var toleranceText: String?
        for sep in ["±", "+-", "+/-"] {
            if let t = rest.range(of: sep) {
                toleranceText = rest[t.upperBound...].trimmingCharacters(in: .whitespaces)
                rest = rest[..<t.lowerBound].trimmingCharacters(in: .whitespaces)
                break
            }
        }
        guard let value = Double(rest), value.isFinite else {
            throw OptimiseInputError("--constraint '\(text)': \(usage); '\(rest)' is not a number (write 0.1, not 0,1 or 10 %)")
        }
        let tolerance: Double
        if let toleranceText {
            guard let eps = Double(toleranceText), eps.isFinite, eps > 0 else {
                throw OptimiseInputError("--constraint '\(text)': the tolerance after ± must be a number > 0, found '\(toleranceText)'")
            }
            tolerance = eps
        } else {
            guard let eps = Self.defaultTolerance(threshold: value) else {
                throw OptimiseInputError("--constraint '\(text)': a threshold of 0 has no default tolerance; give one, e.g. \(name)\(op)0±0.01")
            }
            tolerance = eps
        }
        self.init(metric: name, sense: sense, threshold: value, tolerance: tolerance, toleranceGiven: toleranceText != nil)
    }

    /// `overCapShare<=0.1`.
    public var text: String { "\(metric)\(sense.rawValue)\(Self.number(threshold))" }

    /// How far a value is on the wrong side of the threshold: y − q for ≤, q − y for ≥. The
    /// constraint holds in mean when the mean excess is ≤ 0.
    public func excess(_ y: Double) -> Double {
        sense == .atMost ? y - threshold : threshold - y
    }

    /// Whether one observation satisfies the constraint (for the share of replications that do).
    public func isSatisfied(by y: Double) -> Bool { excess(y) <= 0 }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}

/// The values of one axis of the staffing grid: `A..B`, `A..B:STEP`, `A` or `a,b,c`.
public struct GridValues: Sendable, Equatable {
    public let values: [String]
    /// The axis's values as numbers (every value is one).
    public var numbers: [Double] { values.map { Double($0)! } }

    /// The most values one axis may have.
    public static let limit = 1000

    public init(values: [String]) { self.values = values }

    /// Parses a range or list for `option` (`--caseworkers`, `--cap`).
    /// - Parameters:
    ///   - integers: only whole numbers (caseworkers).
    ///   - minimum: the smallest value allowed.
    /// - Throws: ``OptimiseInputError`` for a malformed, empty or too large range.
    public init(parsing text: String, option: String, integers: Bool, minimum: Double) throws {
        let usage = "expected FROM..TO, FROM..TO:STEP, a value or a comma-separated list (e.g. 10..40 or 10..40:5)"
        let t = text.trimmingCharacters(in: .whitespaces)
        func number(_ s: Substring) throws -> (Double, Int) {
            let s = s.trimmingCharacters(in: .whitespaces)
            guard let x = Double(s), x.isFinite, !s.lowercased().contains("e"), !s.hasPrefix("+") else {
                throw OptimiseInputError("\(option) '\(text)': \(usage); '\(s)' is not a number")
            }
            if integers && x != x.rounded() {
                throw OptimiseInputError("\(option) '\(text)': expected whole numbers, found '\(s)'")
            }
            let decimals = s.split(separator: ".", omittingEmptySubsequences: false).dropFirst().first?.count ?? 0
            return (x, decimals)
        }
        var out: [Double] = []
        var decimals = 0
        if let dots = t.range(of: "..") {
            let lo = try number(t[..<dots.lowerBound])
            var rest = t[dots.upperBound...]
            var step = (1.0, 0)
            if let colon = rest.firstIndex(of: ":") {
                step = try number(rest[rest.index(after: colon)...])
                rest = rest[..<colon]
            }
            let hi = try number(rest)
            guard step.0 > 0 else { throw OptimiseInputError("\(option) '\(text)': the step must be > 0") }
            guard hi.0 >= lo.0 else {
                throw OptimiseInputError("\(option) '\(text)': the grid is empty (\(Self.text(hi.0, hi.1)) is below \(Self.text(lo.0, lo.1)); write FROM..TO with FROM ≤ TO)")
            }
            decimals = max(lo.1, hi.1, step.1)
            let count = Int(((hi.0 - lo.0) / step.0 + 1e-9).rounded(.down)) + 1
            guard count <= Self.limit else {
                throw OptimiseInputError("\(option) '\(text)': \(count) values; at most \(Self.limit) per axis")
            }
            out = (0..<count).map { lo.0 + Double($0) * step.0 }
        } else {
            let parts = t.split(separator: ",", omittingEmptySubsequences: false)
            guard !t.isEmpty else { throw OptimiseInputError("\(option): the grid is empty; \(usage)") }
            for p in parts {
                let (x, d) = try number(p)
                decimals = max(decimals, d)
                out.append(x)
            }
            guard out.count <= Self.limit else {
                throw OptimiseInputError("\(option) '\(text)': \(out.count) values; at most \(Self.limit) per axis")
            }
        }
        if let bad = out.first(where: { $0 < minimum }) {
            throw OptimiseInputError("\(option) '\(text)': \(Self.text(bad, decimals)) is below the smallest allowed value, \(Self.text(minimum, 0))")
        }
        var seen = Set<String>()
        values = out.map { Self.text($0, decimals) }.filter { seen.insert($0).inserted }
    }

    static func text(_ x: Double, _ decimals: Int) -> String {
        decimals == 0 ? String(Int64(x.rounded())) : String(format: "%.\(decimals)f", x)
    }
}

/// The staffing grid of one team: every caseworkers × cap combination, caseworkers varying
/// slowest (as `sweep` orders its grid).
public struct StaffingGrid: Sendable, Equatable {
    /// The team's id.
    public let team: String
    public let caseworkers: [String]
    /// The caps; when not varied, the scenario's cap as its only value.
    public let caps: [String]
    /// Whether `--cap` was given (the cap is then overridden too).
    public let capVaried: Bool

    /// The most configurations a grid may have.
    public static let limit = 10_000

    public init(team: String, caseworkers: [String], caps: [String], capVaried: Bool) {
        self.team = team
        self.caseworkers = caseworkers
        self.caps = caps
        self.capVaried = capVaried
    }

    public var count: Int { caseworkers.count * caps.count }

    /// Configuration `i`: its caseworkers and cap.
    public func point(_ i: Int) -> (caseworkers: String, cap: String) {
        (caseworkers[i / caps.count], caps[i % caps.count])
    }

    /// The index of a (caseworkers, cap) pair.
    public func index(caseworkers a: Int, cap b: Int) -> Int { a * caps.count + b }

    /// The overrides that make configuration `i` from the scenario.
    public func overrides(_ i: Int) -> [String] {
        let p = point(i)
        var out = ["teams.\(team).caseworkers=\(p.caseworkers)"]
        if capVaried { out.append("teams.\(team).cap=\(p.cap)") }
        return out
    }
}
