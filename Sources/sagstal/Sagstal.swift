import ArgumentParser
import SagstalRunner

@main
struct Sagstal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sagstal",
        abstract: "Caseload simulator and capacity planner for municipal child-welfare departments.",
        discussion: """
            Runs the discrete-event Monte Carlo model of MODEL.md on a scenario file: notifications \
            arrive, cases are assigned to caseworkers with caseload caps, children move on the \
            intervention ladder, and placements and costs are counted per budget year.
            """,
        version: SagstalVersion.current,
        subcommands: [RunCommand.self, CompareCommand.self, SweepCommand.self, ValidateCommand.self]
    )
}
