import ArgumentParser
import Foundation
import SagstalCalibrate
import SagstalOutput
import SagstalReport
import SagstalRunner
import SagstalScenario

struct BackcastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backcast",
        abstract: "Start the scenario at a past date, simulate to the last observed year and score the forecast against what happened: error, relative error, the 90 % band and its coverage.",
        discussion: """
            The scenario's initial stocks are taken as the stocks at --from. With --fit PATH=LO..HI … and \
            --cutoff YEAR, the parameters are first calibrated on the years before YEAR and the forecast is \
            scored on the years from YEAR on (out of sample). Writes backcast.json, backcast.csv, report.html, \
            scenario.resolved.yaml and run.json under Outputs/backcast-<scenario>/ (or --output). docs/calibrate.md.

            Examples:
              sagstal backcast Scenarios/base/denmark.yaml --from 2015-01-01 --observed Scenarios/data/observed-denmark.csv
              sagstal backcast Scenarios/base/denmark.yaml --from 2015-01-01 --observed Scenarios/data/observed-denmark.csv \\
                  --fit notifications.perYear=400..1600 --fit notifications.growthPerYear=-0.1..0.2 --cutoff 2021
            """
    )

    @OptionGroup var scenario: ScenarioOptions

    @Option(help: ArgumentHelp("The past start date (YYYY-MM-DD); the scenario's initial stocks are the stocks then.", valueName: "date"))
    var from: String

    @Option(help: ArgumentHelp("The observed yearly figures (CSV: year, metric, value[, sd][, source]).", valueName: "file"))
    var observed: String

    @Option(name: .customLong("fit"), parsing: .singleValue,
            help: ArgumentHelp("A parameter to calibrate on the years before --cutoff (repeatable), as for calibrate.", valueName: "path"))
    var fit: [String] = []

    @Option(parsing: .unconditional, help: "With --fit: the first year scored out of sample; the years before it calibrate.")
    var cutoff: Int?

    @Option(name: [.customShort("n"), .customLong("replications")], parsing: .unconditional, help: "Number of replications (overrides simulation.replications).")
    var replications: Int?

    @Option(name: .customLong("seed"), parsing: .unconditional, help: ArgumentHelp("Scenario seed (overrides simulation.seed).", valueName: "seed"))
    var seedText: String?

    var seed: UInt64? { seedText.flatMap { UInt64($0.trimmingCharacters(in: .whitespaces)) } }

    @OptionGroup var output: OutputOptions
    @OptionGroup var work: ForceOption

    var fromDate: CalendarDate? {
        let parts = from.split(separator: "-").compactMap { Int($0) }
        guard from.count == 10, parts.count == 3 else { return nil }
        let d = CalendarDate(year: parts[0], month: parts[1], day: parts[2])
        return d.isValid ? d : nil
    }

    func validate() throws {
        if fromDate == nil { throw ValidationError("--from: expected a date YYYY-MM-DD, found '\(from)'") }
        if !fit.isEmpty && cutoff == nil { throw ValidationError("--fit needs --cutoff YEAR: the years before it calibrate, the years from it on are scored") }
        if let replications, replications < 2 { throw ValidationError("-n/--replications: at least 2, found \(replications)") }
        if let text = seedText, seed == nil { throw ValidationError("--seed: expected a whole number from 0 to \(UInt64.max), found '\(text)'") }
    }

    func run() throws {
        let cancellation = Interrupts.install()
        let targets = try CalibrateCommand.readTargets(observed)
        let start = fromDate!
        var request = ScenarioRequest(path: scenario.scenario, overrides: scenario.set.overrides, replications: replications, seed: seed)
        let moved: [String]
        do { moved = try BackcastJob.overrides(from: start, targets: targets) } catch let e as CalibrationInputError {
            Terminal.printError("error: \(e.description)")
            throw SagstalExit.usage.exitCode
        }
        // Load once with the moved start, to refuse a bad scenario before anything runs.
        var check = request
        check.overrides += moved
        let loaded = try Terminal.loadOrExit(check)
        try Terminal.handleWarnings(loaded.warnings, strict: scenario.set.strict, quiet: output.quiet)
        let expected = fit.isEmpty ? 1 : 2 + 16 * fit.count
        try WorkCheck.confirm(Array(repeating: loaded.scenario, count: expected), jobs: output.jobCount, force: work.force, quiet: output.quiet)
        let directory = output.output.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: "Outputs").appendingPathComponent(OutputNaming.folderName(
                "backcast-" + URL(fileURLWithPath: scenario.scenario).deletingPathExtension().lastPathComponent, overrides: loaded.overrides))
        let outRequest = OutputRequest(command: "backcast", scenarioFiles: [scenario.scenario], overrides: loaded.overrides,
                                       details: ["--from \(from)", "--observed \(observed)"] + fit.map { "--fit \($0)" } + (cutoff.map { ["--cutoff \($0)"] } ?? []),
                                       resolved: [:])
        request.overrides = scenario.set.overrides
        try Terminal.guarded(output: directory) {
            try Terminal.checkOutput(directory, request: outRequest, force: work.force, quiet: output.quiet)
            let result = try OutputFolder.replace(directory) { staging in
                let status = output.quiet ? nil : StatusLine.ifTerminal(label: "backcast")
                let result: BackcastResult
                do {
                    result = try BackcastJob.run(request, from: start, targets: targets, targetsFile: observed, fit: fit, cutoff: cutoff,
                                                 jobs: output.jobCount, progress: { n, best in
                                                     status?.update("calibrating: evaluation \(n), best distance \(String(format: "%.3g", best))")
                                                 }, cancellation: cancellation)
                } catch let e as CalibrationInputError {
                    status?.finish()
                    Terminal.printError("error: \(e.description)")
                    throw SagstalExit.usage.exitCode
                } catch let e as TargetsErrors {
                    status?.finish()
                    Terminal.printError(e.description)
                    throw Terminal.invalidScenario
                }
                status?.finish()
                try cancellation.check()
                let tool = RunJob.tool(generator: result.scenario.simulation.generator)
                let resolved = ScenarioEmitter.yaml(result.scenario, toolVersion: SagstalVersion.current)
                try Terminal.write([(name: BackcastWriter.marker, contents: BackcastWriter.json(result, tool: tool)),
                                    (name: "backcast.csv", contents: BackcastWriter.csv(result, dialect: output.csvDialect)),
                                    (name: "scenario.resolved.yaml", contents: resolved),
                                    (name: "report.html", contents: BackcastWriter.html(result, tool: tool, language: output.lang, resolvedYAML: resolved))],
                                   request: outRequest, wallSeconds: result.wallSeconds, jobs: output.jobCount,
                                   events: result.eventsProcessed, to: staging)
                return result
            }
            guard !output.quiet else { return }
            for w in (result.calibration?.warnings ?? []) { Terminal.printError("warning: \(w)") }
            for n in result.notes { Terminal.printError("note: \(n)") }
            if let c = result.calibration, let cutoff = result.cutoff {
                print("Calibrated on the years before \(cutoff): " + c.parameters.map { "\($0.name) = \(CalibrationWriter.estimateText($0))" }.joined(separator: "; "))
            }
            let scored = result.scored
            print("Backcast of \(result.scenario.name) from \(from): \(scored.filter(\.inBand).count) of \(scored.count) observations inside the 90 % band (\(Int((100 * result.coverage).rounded())) %), mean absolute relative error \(Int((100 * result.meanAbsoluteRelativeError).rounded())) %")
            for row in scored.prefix(12) {
                let f = row.forecast
                print("  \(row.target.year) \(row.target.metric): observed \(Terminal.number(Terminal.fourDigits(row.target.value))), forecast \(Terminal.number(Terminal.fourDigits(f.mean ?? .nan))) (90 % band \(Terminal.number(Terminal.fourDigits(f.p5 ?? .nan)))–\(Terminal.number(Terminal.fourDigits(f.p95 ?? .nan))))\(row.inBand ? "" : "  outside")")
            }
            if scored.count > 12 { print("  … \(scored.count - 12) more in backcast.csv") }
            let say = Messages(language: output.lang)
            print(say.timing(events: result.eventsProcessed, seconds: result.wallSeconds))
            print(say.wrote(directory))
        }
    }
}
