import Foundation

/// Scenario parameters that are *assumptions*: there is no measured value for them (FACTS.md
/// §5–6 has before/after evaluations, none causal), so a sweep over one says what the
/// assumption implies, not what to choose.
///
/// They are the caseload elasticities (`caseload.elasticity.*`), the team method multipliers
/// (`teams.<team>.method.*`, also when changed on a date: `staff.changes.<k>.method.*`), the
/// follow-up elasticities (`followUps.<id>.elasticity`) and the turnover's overload elasticity
/// (`staff.turnover.overloadElasticity`).
public enum AssumptionParameters {
    /// Whether a scenario key path (as in `--set` and `--vary`, with list elements by id or
    /// index) is one of the assumptions above — the key itself or a map of them.
    ///
    /// - Complexity: O(length of the path).
    public static func isAssumption(_ path: String) -> Bool {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        func at(_ i: Int) -> String? { i < parts.count ? parts[i] : nil }
        switch at(0) {
        case "caseload":
            return at(1) == "elasticity"
        case "teams":
            return parts.count >= 3 && at(2) == "method"
        case "staff":
            if at(1) == "changes" { return parts.count >= 4 && at(3) == "method" }
            return at(1) == "turnover" && at(2) == "overloadElasticity" && parts.count == 3
        case "followUps":
            return parts.count == 3 && at(2) == "elasticity"
        default:
            return false
        }
    }
}
