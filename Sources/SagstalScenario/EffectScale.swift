/// Scaling an assumed *effect* of a scenario by a factor k (docs/decision-support.md).
///
/// The caseload elasticities and the teams' method multipliers have no measured values
/// (FACTS §§ 5–6 in docs/sources.md); `threshold` and `sensitivity` ask how large they must be
/// for a conclusion to hold. k = 1 is the scenario as written, k = 0 switches the effect off,
/// k = 0.5 halves it:
///
/// | path | what k scales |
/// |---|---|
/// | `caseload.elasticity` | the four elasticities (escalate, deescalate, close, duration): e → k·e |
/// | `caseload.elasticity.KEY` | one of them |
/// | `teams.ID.method` (`teams.*.method` for every team) | each method multiplier m of the team, in `teams` and in its dated `staff.changes`: m → 1 + k·(m − 1) |
/// | `teams.ID.method.KEY` | one multiplier of the team |
/// | `followUps.ID.elasticity` (`followUps.*.elasticity`) | a follow-up's caseload elasticity: e → k·e |
/// | `staff.turnover.overloadElasticity` | the overload elasticity of turnover: e → k·e |
///
/// A multiplier is an effect of size m − 1 around "no effect" (1), so it is the *deviation* that is
/// scaled; an elasticity's "no effect" is 0.
public struct EffectScale: Sendable, Equatable, CustomStringConvertible {
    public enum Target: Sendable, Equatable {
        case elasticities(key: String?)
        case method(team: String, key: String?)
        case followUpElasticity(id: String)
        case turnoverOverload
    }

    public let path: String
    public let target: Target

    static let elasticityKeys = ["escalate", "deescalate", "close", "duration"]

    /// The paths that can be scaled, for messages.
    public static let accepted = "caseload.elasticity[.escalate|.deescalate|.close|.duration], teams.<id>|*.method[.<key>], followUps.<id>|*.elasticity, staff.turnover.overloadElasticity"

    /// Parses a path (see the table above).
    /// - Throws: `EffectScaleError.unknownPath` with the accepted forms.
    public init(path: String) throws {
        let p = path.trimmingCharacters(in: .whitespaces)
        let parts = p.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        self.path = p
        switch parts.count {
        case 2 where parts == ["caseload", "elasticity"]:
            target = .elasticities(key: nil)
        case 3 where parts[0] == "caseload" && parts[1] == "elasticity" && Self.elasticityKeys.contains(parts[2]):
            target = .elasticities(key: parts[2])
        case 3 where parts[0] == "teams" && parts[2] == "method" && !parts[1].isEmpty:
            target = .method(team: parts[1], key: nil)
        case 4 where parts[0] == "teams" && parts[2] == "method" && !parts[1].isEmpty && Self.elasticityKeys.contains(parts[3]):
            target = .method(team: parts[1], key: parts[3])
        case 3 where parts[0] == "followUps" && parts[2] == "elasticity" && !parts[1].isEmpty:
            target = .followUpElasticity(id: parts[1])
        case 3 where parts == ["staff", "turnover", "overloadElasticity"]:
            target = .turnoverOverload
        default:
            throw EffectScaleError.unknownPath(p)
        }
    }

    public var description: String { path }

    /// Whether the effect is present in `scenario` (a team or follow-up id it names exists).
    public func applies(to scenario: Scenario) -> Bool {
        switch target {
        case .elasticities, .turnoverOverload: return true
        case .method(let team, _):
            return team == "*" || scenario.teams.indices.contains(where: { Self.matches(team, scenario.teams[$0].id, index: $0) })
        case .followUpElasticity(let id):
            return id == "*" || scenario.followUps.indices.contains(where: { Self.matches(id, scenario.followUps[$0].id, index: $0) })
        }
    }

    static func matches(_ selector: String, _ id: String, index: Int) -> Bool {
        selector == "*" || selector == id || selector == String(index)
    }

    /// `scenario` with the effect scaled by `k`.
    /// - Throws: `EffectScaleError` when k is negative or not finite, or a scaled multiplier
    ///   would not be positive (the model needs m > 0).
    public func apply(_ k: Double, to scenario: Scenario) throws -> Scenario {
        guard k.isFinite, k >= 0 else { throw EffectScaleError.badFactor(path: path, k) }
        var s = scenario
        func scaledMultiplier(_ m: Double, _ what: String) throws -> Double {
            let v = 1 + k * (m - 1)
            guard v > 0 else { throw EffectScaleError.nonPositiveMultiplier(path: path, what: what, m: m, k: k) }
            return v
        }
        switch target {
        case .elasticities(let key):
            var e = s.caseload.elasticity
            if key == nil || key == "escalate" { e.escalate *= k }
            if key == nil || key == "deescalate" { e.deescalate *= k }
            if key == nil || key == "close" { e.close *= k }
            if key == nil || key == "duration" { e.duration *= k }
            s.caseload.elasticity = e
        case .method(let team, let key):
            func scale(_ m: inout Double, _ name: String, _ owner: String) throws {
                if key == nil || key == name { m = try scaledMultiplier(m, "\(owner).\(name)") }
            }
            for i in s.teams.indices where Self.matches(team, s.teams[i].id, index: i) {
                var m = s.teams[i].method
                let owner = "teams.\(s.teams[i].id).method"
                try scale(&m.escalate, "escalate", owner)
                try scale(&m.deescalate, "deescalate", owner)
                try scale(&m.close, "close", owner)
                try scale(&m.duration, "duration", owner)
                s.teams[i].method = m
            }
            let ids = Set(s.teams.indices.filter { Self.matches(team, s.teams[$0].id, index: $0) }.map { s.teams[$0].id })
            for c in s.staff.changes.indices where ids.contains(s.staff.changes[c].team) {
                guard var m = s.staff.changes[c].method else { continue }
                let owner = "staff.changes.\(c).method"
                func scaleOptional(_ v: inout Double?, _ name: String) throws {
                    if let x = v, key == nil || key == name { v = try scaledMultiplier(x, "\(owner).\(name)") }
                }
                try scaleOptional(&m.escalate, "escalate")
                try scaleOptional(&m.deescalate, "deescalate")
                try scaleOptional(&m.close, "close")
                try scaleOptional(&m.duration, "duration")
                s.staff.changes[c].method = m
            }
        case .followUpElasticity(let id):
            for i in s.followUps.indices where Self.matches(id, s.followUps[i].id, index: i) {
                s.followUps[i].elasticity *= k
            }
        case .turnoverOverload:
            s.staff.turnover.overloadElasticity *= k
        }
        return s
    }

    /// The values the effect has in `scenario`, as `path: value` lines (for reports: "k = 1 is …").
    public func currentValues(in s: Scenario) -> [(path: String, value: Double)] {
        switch target {
        case .elasticities(let key):
            let e = s.caseload.elasticity
            let all = [("escalate", e.escalate), ("deescalate", e.deescalate), ("close", e.close), ("duration", e.duration)]
            return all.filter { key == nil || key == $0.0 }.map { ("caseload.elasticity.\($0.0)", $0.1) }
        case .method(let team, let key):
            var out: [(String, Double)] = []
            for i in s.teams.indices where Self.matches(team, s.teams[i].id, index: i) {
                let m = s.teams[i].method
                let id = s.teams[i].id
                for (name, v) in [("escalate", m.escalate), ("deescalate", m.deescalate), ("close", m.close), ("duration", m.duration)]
                where (key == nil || key == name) && (v != 1 || key != nil) {
                    out.append(("teams.\(id).method.\(name)", v))
                }
                for (c, change) in s.staff.changes.enumerated() where change.team == id {
                    guard let mc = change.method else { continue }
                    for (name, v) in [("escalate", mc.escalate), ("deescalate", mc.deescalate), ("close", mc.close), ("duration", mc.duration)] {
                        if let v, key == nil || key == name { out.append(("staff.changes.\(c).method.\(name) (\(change.at))", v)) }
                    }
                }
            }
            return out
        case .followUpElasticity(let id):
            return s.followUps.indices.filter { Self.matches(id, s.followUps[$0].id, index: $0) }
                .map { ("followUps.\(s.followUps[$0].id).elasticity", s.followUps[$0].elasticity) }
        case .turnoverOverload:
            return [("staff.turnover.overloadElasticity", s.staff.turnover.overloadElasticity)]
        }
    }
}

public enum EffectScaleError: Error, CustomStringConvertible, Equatable {
    case unknownPath(String)
    case badFactor(path: String, Double)
    case nonPositiveMultiplier(path: String, what: String, m: Double, k: Double)
    case noEffect(path: String, scenario: String)

    public var description: String {
        switch self {
        case .unknownPath(let p):
            return "'\(p)' is not an effect that can be scaled; expected one of \(EffectScale.accepted)"
        case .badFactor(let p, let k):
            return "\(p): the scale factor must be a finite number ≥ 0, found \(k)"
        case .nonPositiveMultiplier(let p, let what, let m, let k):
            return "\(p) × \(k): \(what) = 1 + \(k) × (\(m) − 1) would not be positive; use a smaller factor"
        case .noEffect(let p, let scenario):
            return "\(p): '\(scenario)' has no such team or follow-up (use an id from the file, or * for all)"
        }
    }
}
