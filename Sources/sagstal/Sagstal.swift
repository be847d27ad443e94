import Foundation
import ArgumentParser
import SagstalRunner

@main
struct Sagstal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sagstal",
        abstract: "Caseload simulator and capacity planner for municipal child-welfare departments.",
        discussion: """
            Runs the discrete-event Monte Carlo model of docs/model-reference.md on a scenario file: notifications \
            arrive, cases are assigned to caseworkers with caseload caps, children move on the \
            intervention ladder, and placements and costs are counted per budget year.

            Every output folder is replaced as a whole: files are written to a hidden folder beside \
            it, which takes its place when everything is written; an error, Ctrl-C or a kill leaves \
            the old folder as it was (docs/outputs-and-exit-codes.md).

            Exit codes:
            \(SagstalExit.helpTable)
            """,
        version: SagstalVersion.current,
        subcommands: [RunCommand.self, CompareCommand.self, SweepCommand.self, SensitivityCommand.self, ThresholdCommand.self, OptimiseCommand.self, FitCommand.self, CalibrateCommand.self, BackcastCommand.self, TraceCommand.self, BatchCommand.self, MergeCommand.self, ValidateCommand.self]
    )

    /// Standard output is line-buffered, as on a terminal (`Terminal.lineBufferStandardOutput`).
    static func main() {
        Terminal.lineBufferStandardOutput()
        main(nil)
    }

    /// `sagstal` without a command: the overview on stderr and exit 64 (a script that forgot the
    /// command must not look successful).
    func run() throws {
        FileHandle.standardError.write(Data((Self.helpMessage() + "\n").utf8))
        throw SagstalExit.usage.exitCode
    }
}
