import ArgumentParser
import Foundation
import SagstalModel
import SagstalOutput
import SagstalRunner
import SagstalScenario
import SagstalTrace

extension TraceOptions.Format: ExpressibleByArgument {}

struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "The event log of one replication: every notification, assignment, move, case end, follow-up, transfer, leaver and hire, as CSV or NDJSON.",
        discussion: """
            Runs replication R (the same one `sagstal run` makes with this scenario and seed) and streams its \
            events to trace.csv (or trace.ndjson) with trace.json (scenario, seed, filters, counts, the \
            replication's totals) under Outputs/trace-<scenario>/ (or --output), or to standard output with \
            --stdout. Columns: time, date, event, child, team, position, from, to, caseload, detail. \
            Follow one child with --child, one caseworker with --position, a period with --from/--to. \
            At most --max-events rows are written. Events and columns: docs/trace.md.

            Examples:
              sagstal trace Scenarios/example.yaml --child 500
              sagstal trace Scenarios/example.yaml --position 3 --from 2026-01-01 --to 2027-01-01
              sagstal trace Scenarios/example.yaml --events assigned,caseClosed --stdout | head
            """
    )

    @OptionGroup var scenario: ScenarioOptions
    @OptionGroup var seedYears: SeedYearsOptions

    @Option(parsing: .unconditional, help: "The replication to trace (0-based, as in replications.csv).")
    var replication = 0

    @Option(help: ArgumentHelp("Events at or after this date or date-time (YYYY-MM-DD or YYYY-MM-DDThh:mm:ss; default: the run's start, warm-up included).", valueName: "date"))
    var from: String?

    @Option(help: ArgumentHelp("Events before this date or date-time (default: the horizon).", valueName: "date"))
    var to: String?

    @Option(parsing: .unconditional, help: "Only the events of this child number (0-based, as in episodes.csv).")
    var child: Int?

    @Option(parsing: .unconditional, help: "Only the events of this position number: its caseworkers, and its children's events while they are on its caseload.")
    var position: Int?

    @Option(help: ArgumentHelp("Only the events in this team (its id).", valueName: "id"))
    var team: String?

    @Option(help: ArgumentHelp("Only these event kinds, comma-separated (e.g. assigned,move,caseClosed).", valueName: "kinds"))
    var events: String?

    @Option(help: "csv or ndjson.")
    var format: TraceOptions.Format = .csv

    @Option(name: .customLong("max-events"), parsing: .unconditional, help: "Write at most this many rows; the rest is counted in trace.json, not written.")
    var maxEvents = TraceOptions.defaultMaxEvents

    @Flag(help: "Write the events to standard output instead of an output folder (nothing else is written).")
    var stdout = false

    @Option(name: [.customShort("o"), .long], help: "Output folder (default: Outputs/trace-<scenario file>, with a hash of the overrides when there are any).")
    var output: String?

    @Flag(name: [.customShort("q"), .long], help: "Print nothing but errors.")
    var quiet = false

    @OptionGroup var work: ForceOption

    func validate() throws {
        if replication < 0 { throw ValidationError("--replication: a replication number ≥ 0, found \(replication)") }
        if let child, child < 0 { throw ValidationError("--child: a child number ≥ 0, found \(child)") }
        if let position, position < 0 { throw ValidationError("--position: a position number ≥ 0, found \(position)") }
        if maxEvents < 1 { throw ValidationError("--max-events: at least 1, found \(maxEvents)") }
        if stdout && output != nil { throw ValidationError("--stdout and --output: choose one") }
        for (name, text) in [("--from", from), ("--to", to)] {
            if let text, CalendarDate.isoDays(text) == nil {
                throw ValidationError("\(name): expected a date YYYY-MM-DD or a date-time YYYY-MM-DDThh:mm:ss, found '\(text)'")
            }
        }
        if let a = from.flatMap(CalendarDate.isoDays), let b = to.flatMap(CalendarDate.isoDays), !(a < b) {
            throw ValidationError("--from must come before --to, found \(from!) and \(to!)")
        }
        if let events, case .failure(let e) = TraceOptions.kinds(events) { throw ValidationError("--events: \(e.description)") }
    }

    func run() throws {
        let cancellation = Interrupts.install()
        let request = ScenarioRequest(path: scenario.scenario, overrides: scenario.set.overrides, seed: seedYears.seed, years: seedYears.years)
        let loaded = try Terminal.loadOrExit(request)
        try Terminal.handleWarnings(loaded.warnings, strict: scenario.set.strict, quiet: quiet || stdout)
        let s = loaded.scenario
        var options = TraceOptions(replication: replication, child: child, position: position, format: format, maxEvents: maxEvents)
        let origin = s.simulation.start.days(since: CalendarDate.epoch)
        options.from = from.flatMap(CalendarDate.isoDays).map { $0 - origin }
        options.to = to.flatMap(CalendarDate.isoDays).map { $0 - origin }
        if let team {
            guard let i = s.teams.firstIndex(where: { $0.id == team }) else {
                Terminal.printError("error: --team: no team '\(team)' in \(scenario.scenario); its teams: \(s.teams.map(\.id).joined(separator: ", "))")
                throw SagstalExit.usage.exitCode
            }
            options.team = i
        }
        if let events, case .success(let kinds) = TraceOptions.kinds(events) { options.kinds = kinds }
        try WorkCheck.confirm([Self.oneReplication(s)], jobs: 1, force: work.force, quiet: quiet || stdout)

        if stdout {
            do {
                let result = try TraceJob.run(s, options: options, to: FileHandle.standardOutput)
                if result.truncated && !quiet {
                    Terminal.printError("warning: stopped writing after \(result.written) of \(result.matched) events (--max-events)")
                }
            } catch let e as ReplicationError {
                Terminal.printError("error: \(e.description)")
                throw Terminal.invalidScenario
            } catch {
                Terminal.printError("error: writing to standard output: \(error)")
                throw SagstalExit.ioError.exitCode
            }
            return
        }

        let directory = output.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: "Outputs").appendingPathComponent(OutputNaming.folderName(
                "trace-" + URL(fileURLWithPath: scenario.scenario).deletingPathExtension().lastPathComponent, overrides: loaded.overrides))
        var details = ["--replication \(replication)", "--format \(format.rawValue)"]
        for (flag, value) in [("--from", from), ("--to", to), ("--child", child.map(String.init)), ("--position", position.map(String.init)),
                              ("--team", team), ("--events", events)] {
            if let value { details.append("\(flag) \(value)") }
        }
        let outRequest = OutputRequest(command: "trace", scenarioFiles: [scenario.scenario], overrides: loaded.overrides, details: details,
                                       resolved: ["scenario.resolved.yaml": ScenarioEmitter.yaml(s, toolVersion: SagstalVersion.current)])
        try Terminal.guarded(output: directory) {
            try Terminal.checkOutput(directory, request: outRequest, force: work.force, quiet: quiet)
            let result = try OutputFolder.replace(directory) { staging in
                let (result, json) = try TraceJob.write(loaded, options: options, scenarioFile: scenario.scenario, into: staging)
                try cancellation.check()
                try Terminal.write([(name: TraceJob.metadataFile, contents: json),
                                    (name: "scenario.resolved.yaml", contents: outRequest.resolved["scenario.resolved.yaml"]!)],
                                   request: outRequest, wallSeconds: result.wallSeconds, jobs: 1,
                                   events: result.record.eventsProcessed, to: staging)
                return result
            }
            guard !quiet else { return }
            if result.truncated {
                Terminal.printError("warning: stopped writing after \(result.written) of \(result.matched) events (--max-events \(maxEvents)); trace.json counts them all")
            }
            print("Traced replication \(replication) of \(s.name) (seed \(s.simulation.seed)): \(Terminal.number(Double(result.written))) of \(Terminal.number(Double(result.seen))) events written")
            print("Wrote \(Terminal.displayPath(directory))/ (\(format.fileName), \(TraceJob.metadataFile))")
        }
    }

    /// The scenario as one replication, for the pre-run estimate.
    static func oneReplication(_ s: Scenario) -> Scenario {
        var one = s
        one.simulation.replications = 1
        return one
    }
}
