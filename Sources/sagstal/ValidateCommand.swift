import ArgumentParser
import SagstalRunner
import SagstalScenario

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario and print it fully resolved (extends, defaults and --set applied), or every error in it.",
        discussion: """
            Examples:
              sagstal validate Scenarios/example.yaml
              sagstal validate Scenarios/example.yaml --set teams.east.cap=20 --strict
            """
    )

    @OptionGroup var scenario: ScenarioOptions

    func run() throws {
        let loaded = try Terminal.loadOrExit(scenario.request())
        try Terminal.handleWarnings(loaded.warnings, strict: scenario.set.strict)
        print(ScenarioEmitter.yaml(loaded.scenario, toolVersion: SagstalVersion.current), terminator: "")
    }
}
