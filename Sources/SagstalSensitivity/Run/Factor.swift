import Foundation
import SagstalScenario

/// One uncertain input of a sensitivity analysis: a scenario value or the size of an effect,
/// with the range it is varied over (`--vary PATH=LO..HI` or `--vary PATH*=LO..HI`).
///
/// - `PATH=LO..HI` sets the value at PATH (any number `--set` can set) to values in [LO, HI];
///   when LO and HI are both written without a decimal point or exponent (`10..40`) the sampled
///   values are rounded to whole numbers (caseworkers, counts).
/// - `PATH*=LO..HI` scales the effect at PATH by a factor k in [LO, HI] (`EffectScale`:
///   `caseload.elasticity*=0..1.5` runs the four caseload elasticities from 0 to 1.5 × the
///   scenario's values). k = 1 is the scenario as written.
public struct Factor: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case value(path: String, whole: Bool)
        case scale(EffectScale)
    }

    /// The name in tables and CSV headers: the path, with `×` for a scale (`caseload.elasticity×`).
    public let name: String
    public let lo: Double
    public let hi: Double
    public let kind: Kind
    /// The text as given.
    public let text: String

    public var description: String { text }

    /// The factor's value at the scenario as written: k = 1 for a scale; for a value, nil
    /// (the scenario's own value, whatever it is).
    public var nominal: Double? {
        if case .scale = kind { return 1 }
        return nil
    }

    /// Whether the factor is an assumption without a measured value (FACTS §§ 5–6): a scaled
    /// effect, or one of the `AssumptionParameters` set directly.
    public var isAssumedEffect: Bool {
        switch kind {
        case .scale: return true
        case .value(let path, _): return AssumptionParameters.isAssumption(path)
        }
    }

    /// Parses `PATH=LO..HI` or `PATH*=LO..HI`.
    /// - Throws: `SensitivityInputError.badFactor` saying what was expected.
    public init(parsing text: String) throws {
        self.text = text
        guard let eq = text.firstIndex(of: "=") else {
            throw SensitivityInputError.badFactor(text, "expected PATH=LO..HI (e.g. teams.0.cap=20..40) or PATH*=LO..HI to scale an effect (e.g. caseload.elasticity*=0..1.5)")
        }
        var path = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        let range = String(text[text.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        let scaled = path.hasSuffix("*")
        if scaled { path = String(path.dropLast()).trimmingCharacters(in: .whitespaces) }
        guard !path.isEmpty else { throw SensitivityInputError.badFactor(text, "expected a key path before '='") }
        guard let dots = range.range(of: "..") else {
            throw SensitivityInputError.badFactor(text, "expected a range LO..HI after '=', found '\(range)'")
        }
        let loText = range[..<dots.lowerBound].trimmingCharacters(in: .whitespaces)
        let hiText = range[dots.upperBound...].trimmingCharacters(in: .whitespaces)
        guard let lo = Double(loText), let hi = Double(hiText), lo.isFinite, hi.isFinite else {
            throw SensitivityInputError.badFactor(text, "expected two numbers LO..HI (decimal point, no thousands separators), found '\(loText)' and '\(hiText)'")
        }
        guard lo < hi else { throw SensitivityInputError.badFactor(text, "LO must be below HI, found \(loText)..\(hiText)") }
        self.lo = lo
        self.hi = hi
        if scaled {
            do { kind = .scale(try EffectScale(path: path)) } catch let e as EffectScaleError {
                throw SensitivityInputError.badFactor(text, e.description)
            }
            guard lo >= 0 else { throw SensitivityInputError.badFactor(text, "a scale factor cannot be negative, found \(loText)") }
            name = path + "×"
        } else {
            let whole = { (s: String) in !s.contains(".") && !s.lowercased().contains("e") }
            kind = .value(path: path, whole: whole(loText) && whole(hiText))
            name = path
        }
    }

    /// The value used at a sampled point: rounded for whole-number factors.
    public func value(_ x: Double) -> Double {
        if case .value(_, true) = kind { return x.rounded() }
        return x
    }

    /// The override text for a value factor at `x` (nil for a scale).
    func override(_ x: Double) -> String? {
        guard case .value(let path, let whole) = kind else { return nil }
        let v = value(x)
        return whole ? "\(path)=\(Int(v))" : "\(path)=\(ScenarioEmitter.numberText(v))"
    }

    /// Reads factors from a file: one `PATH=LO..HI` (or `PATH*=LO..HI`) per line; `#` starts a comment.
    /// - Throws: `SensitivityInputError.badRangesFile` with file:line.
    public static func read(file: String) throws -> [Factor] {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw SensitivityInputError.badRangesFile(file: file, line: 0, "cannot read the file: \(error.localizedDescription)")
        }
        var out: [Factor] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if line.isEmpty { continue }
            do { out.append(try Factor(parsing: line)) } catch let e as SensitivityInputError {
                throw SensitivityInputError.badRangesFile(file: file, line: i + 1, e.description)
            }
        }
        if out.isEmpty { throw SensitivityInputError.badRangesFile(file: file, line: 0, "no PATH=LO..HI lines found") }
        return out
    }
}

/// Problems with what was asked of `sensitivity`/`threshold` (not with a scenario file).
public enum SensitivityInputError: Error, CustomStringConvertible, Equatable {
    case badFactor(String, String)
    case badRangesFile(file: String, line: Int, String)
    case duplicateFactor(String)
    case tooFewFactors(method: String, needed: Int)
    case badSampleSize(String)
    case notApplicable(String)

    public var description: String {
        switch self {
        case .badFactor(let text, let why): return "--vary '\(text)': \(why)"
        case .badRangesFile(let file, let line, let why): return line > 0 ? "\(file):\(line): \(why)" : "\(file): \(why)"
        case .duplicateFactor(let name): return "--vary: '\(name)' is given twice; each factor once"
        case .tooFewFactors(let method, let needed): return "--method \(method) needs at least \(needed) --vary factor\(needed == 1 ? "" : "s")"
        case .badSampleSize(let why): return why
        case .notApplicable(let why): return why
        }
    }
}
