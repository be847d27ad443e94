import Testing
import SagstalScenario

/// Which swept parameters are assumptions (no measured value, FACTS §5–6).
@Suite struct AssumptionParametersTests {
    @Test(arguments: [
        "caseload.elasticity.escalate", "caseload.elasticity.deescalate", "caseload.elasticity.close",
        "caseload.elasticity.duration", "caseload.elasticity",
        "teams.0.method.escalate", "teams.rest.method.duration", "teams.pilot.method",
        "staff.changes.0.method.escalate", "staff.changes.3.method.close",
        "followUps.tilsyn.elasticity", "followUps.0.elasticity",
        "staff.turnover.overloadElasticity",
    ])
    func assumptions(_ path: String) {
        #expect(AssumptionParameters.isAssumption(path), "\(path)")
    }

    @Test(arguments: [
        "teams.0.cap", "teams.rest.caseworkers", "teams.method", "staff.changes.0.caseworkers", "staff.changes.0.cap",
        "staff.turnover.perYear", "staff.costPerYear", "caseload.reference", "caseload.childrenPerFamily",
        "followUps.tilsyn.everyDays", "ladder.foster.costPerYear", "notifications.escalateOnRenotification",
        "method.escalate", "elasticity", "",
    ])
    func notAssumptions(_ path: String) {
        #expect(!AssumptionParameters.isAssumption(path), "\(path)")
    }
}
