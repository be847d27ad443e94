import Foundation
import SagstalOutput
import SagstalReport
import SagstalScenario

extension Terminal {
    /// Refuses, before anything is simulated or written, an output folder that holds a different
    /// run (another command, scenario files, overrides or resolved scenario) unless `force`
    /// (docs/outputs-and-exit-codes.md, "A folder holds one run"); call it inside ``guarded(output:_:)``,
    /// which turns the refusal into exit 73. With `force`, a note says what is replaced.
    static func checkOutput(_ directory: URL, request: OutputRequest, force: Bool, quiet: Bool) throws {
        if case .forced(let why) = try OutputFolder.checkReplaceable(directory, by: request, force: force), !quiet {
            printError("note: \(directory.path) held the outputs of a different run (\(why)); replacing it (--force)")
        }
    }

    /// The console's short "Key assumptions" block, followed by an empty line.
    static func assumptions(_ a: KeyAssumptions, language: ReportLanguage) -> String {
        let text = AssumptionsBox.console(a, language: language)
        return text.isEmpty ? "" : text + "\n"
    }

    /// Writes a command's `files` and its `run.json` (recording `request`) into `staging`, all or nothing.
    static func write(_ files: [(name: String, contents: String)], request: OutputRequest, wallSeconds: Double, jobs: Int,
                      events: Int, to staging: URL) throws {
        let run = (name: RunWriter.runFile, contents: RunWriter.runJSON(wallSeconds: wallSeconds, jobs: jobs, eventsProcessed: events,
                                                                        request: request))
        try AtomicFile.write((files + [run]).map { (url: staging.appendingPathComponent($0.name), data: Data($0.contents.utf8)) })
    }
}
