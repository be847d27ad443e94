import ArgumentParser
import Foundation
import SagstalCalibrate
import SagstalOutput
import SagstalReport
import SagstalRunner
import SagstalScenario
import SagstalSensitivity

extension CalibrationSettings.Intervals: ExpressibleByArgument {}

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Estimate scenario parameters from observed yearly figures: the values that bring the simulated yearly means closest to the targets, with 95 % CIs and an identifiability check.",
        discussion: """
            --targets is a CSV file with year, metric, value and optionally sd and source (docs/calibrate.md); \
            the years must be budget years of the run (set simulation.start and --years to cover them). \
            Each --fit PATH=LO..HI (or PATH alone: bounds from the scenario's value, or PATH*=LO..HI to scale an \
            effect) is estimated by Nelder–Mead on common random numbers. Writes calibrate.json, fit.csv, \
            calibrated.yaml (extends SCENARIO with the estimates), report.html and run.json under \
            Outputs/calibrate-<scenario>/ (or --output).

            Examples:
              sagstal calibrate Scenarios/example.yaml --targets observed.csv --fit screening.opensCase
              sagstal calibrate Scenarios/aalborg-before.yaml --targets observed.csv --fit screening.opensCase=0.4..0.9 \\
                  --fit 'caseload.elasticity*=0..3' --ci profile -n 50
            """
    )

    @OptionGroup var scenario: ScenarioOptions

    @Option(help: ArgumentHelp("The observed yearly figures (CSV: year, metric, value[, sd][, source]).", valueName: "file"))
    var targets: String

    @Option(name: .customLong("fit"), parsing: .singleValue,
            help: ArgumentHelp("A parameter to estimate (repeatable): PATH=LO..HI, PATH (bounds value/4..4·value), or PATH*=LO..HI to scale an effect.", valueName: "path"))
    var fit: [String] = []

    @Option(name: .customLong("max-iterations"), parsing: .unconditional, help: "Simplex iterations at most (each costs one or two evaluations).")
    var maxIterations = 150

    @Option(help: "How the 95 % CIs are found: gauss-newton (from the curvature at the minimum, a few evaluations) or profile (profile likelihood, tens of evaluations per parameter; docs/calibrate.md).")
    var ci: CalibrationSettings.Intervals = .gaussNewton

    @OptionGroup var replication: ReplicationOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var work: ForceOption

    func validate() throws {
        if fit.isEmpty { throw ValidationError("calibrate needs at least one --fit PATH[=LO..HI] (e.g. --fit screening.opensCase=0.2..0.8)") }
        if maxIterations < 5 || maxIterations > 10_000 { throw ValidationError("--max-iterations: a whole number from 5 to 10000, found \(maxIterations)") }
    }

    /// Reads a targets file, or prints every located problem and exits 65 (66 when it cannot be read).
    static func readTargets(_ path: String) throws -> [Target] {
        do { return try TargetsReader.read(path: path) } catch let e as TargetsErrors {
            Terminal.printError(e.description)
            throw Terminal.isReadableFile(path) ? Terminal.invalidScenario : SagstalExit.missingInput.exitCode
        }
    }

    func run() throws {
        let cancellation = Interrupts.install()
        let observed = try Self.readTargets(targets)
        let request = scenario.request(replication)
        let plan: CalibrationPlan
        do {
            plan = try CalibrationPlan(request: request, fit: fit, targets: observed, targetsFile: targets)
        } catch let e as ScenarioError {
            throw Terminal.scenarioFailure(e, paths: [scenario.scenario])
        } catch let e as TargetsErrors {
            Terminal.printError(e.description)
            throw Terminal.invalidScenario
        } catch let e as CalibrationInputError {
            Terminal.printError("error: \(e.description)")
            throw SagstalExit.usage.exitCode
        }
        let loaded = plan.scenario
        try Terminal.handleWarnings(loaded.warnings, strict: scenario.set.strict, quiet: output.quiet)
        if !output.quiet { for n in plan.notes { Terminal.printError("note: \(n)") } }
        // A typical search: about 12 evaluations per parameter, then 4 per parameter for the CIs.
        let expected = 1 + 16 * plan.parameters.count
        try WorkCheck.confirm(Array(repeating: loaded.scenario, count: expected), jobs: output.jobCount, force: work.force, quiet: output.quiet)
        let directory = output.output.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: "Outputs").appendingPathComponent(OutputNaming.folderName(
                "calibrate-" + URL(fileURLWithPath: scenario.scenario).deletingPathExtension().lastPathComponent, overrides: loaded.overrides))
        let outRequest = OutputRequest(command: "calibrate", scenarioFiles: [scenario.scenario], overrides: loaded.overrides,
                                       details: ["--targets \(targets)"] + fit.map { "--fit \($0)" }, resolved: [:])
        var settings = CalibrationSettings()
        settings.maxIterations = maxIterations
        settings.intervals = ci
        try Terminal.guarded(output: directory) {
            try Terminal.checkOutput(directory, request: outRequest, force: work.force, quiet: output.quiet)
            let result = try OutputFolder.replace(directory) { staging in
                let status = output.quiet ? nil : StatusLine.ifTerminal(label: "calibrate")
                let result = try CalibrationJob.run(plan, settings: settings, jobs: output.jobCount, progress: { n, best in
                    status?.update("evaluation \(n), best distance \(String(format: "%.3g", best))")
                }, cancellation: cancellation)
                status?.finish()
                try cancellation.check()
                var calibrated = try plan.model.scenarios(at: result.estimates.map { Optional($0) })[0]
                calibrated.name += " (calibrated)"
                let scenarioURL = URL(fileURLWithPath: scenario.scenario).standardizedFileURL
                var relative = FitCommand.relativePath(from: directory.standardizedFileURL, to: scenarioURL)
                if relative.hasPrefix("../../../") { relative = scenarioURL.path }
                let yaml = CalibrationWriter.calibratedYAML(result, calibrated: calibrated, extends: relative, toolVersion: SagstalVersion.current)
                let tool = RunJob.tool(generator: loaded.scenario.simulation.generator)
                let resolved = ScenarioEmitter.yaml(calibrated, toolVersion: SagstalVersion.current)
                try Terminal.write([(name: CalibrationWriter.marker, contents: CalibrationWriter.json(result, tool: tool)),
                                    (name: "fit.csv", contents: CalibrationWriter.fitCSV(result, dialect: output.csvDialect)),
                                    (name: CalibrationWriter.calibratedFile, contents: yaml),
                                    (name: "scenario.resolved.yaml", contents: resolved),
                                    (name: "report.html", contents: CalibrationWriter.html(result, tool: tool, language: output.lang, calibratedYAML: yaml))],
                                   request: outRequest, wallSeconds: result.wallSeconds, jobs: output.jobCount,
                                   events: result.eventsProcessed, to: staging)
                // The calibrated scenario must load, and be the scenario estimated (the hidden folder
                // sits beside the target, so its relative `extends` resolves as it will there).
                let back: Scenario
                do { back = try ScenarioRequest(path: staging.appendingPathComponent(CalibrationWriter.calibratedFile).path).load().scenario } catch let e as ScenarioError {
                    Terminal.printError("error: internal error: \(CalibrationWriter.calibratedFile) does not load:\n\(e.description)")
                    throw SagstalExit.internalError.exitCode
                }
                let got = ScenarioEmitter.yaml(back, toolVersion: "").split(separator: "\n"), want = ScenarioEmitter.yaml(calibrated, toolVersion: "").split(separator: "\n")
                if got != want {
                    let i = (0..<min(got.count, want.count)).first { got[$0] != want[$0] } ?? min(got.count, want.count)
                    Terminal.printError("error: internal error: \(CalibrationWriter.calibratedFile) does not load as the calibrated scenario: it gives '\(i < got.count ? got[i] : "")' where '\(i < want.count ? want[i] : "")' is meant")
                    throw SagstalExit.internalError.exitCode
                }
                return result
            }
            guard !output.quiet else { return }
            for w in result.warnings { Terminal.printError("warning: \(w)") }
            print("Calibrated \(result.parameters.count) parameter\(result.parameters.count == 1 ? "" : "s") of \(loaded.scenario.name) on \(plan.targets.count) targets from \(targets):")
            for p in result.parameters {
                print("  \(p.name) = \(CalibrationWriter.estimateText(p))\(p.identified ? "" : "  (not identified)")")
            }
            print("Distance \(String(format: "%.2f", result.distanceAtStart)) at the start → \(String(format: "%.2f", result.distance)) (\(result.degreesOfFreedom) degree\(result.degreesOfFreedom == 1 ? "" : "s") of freedom); \(result.evaluations) evaluations × \(plan.replications) replications")
            let say = Messages(language: output.lang)
            print(say.timing(events: result.eventsProcessed, seconds: result.wallSeconds))
            print(say.wrote(directory))
        }
    }
}

extension Terminal {
    /// `x` rounded to 4 significant digits (at most 8 decimals), for console lines.
    static func fourDigits(_ x: Double) -> Double {
        guard x != 0 && x.isFinite else { return x }
        let digits = max(0, 4 - Int(log10(abs(x)).rounded(.down)) - 1)
        let p = pow(10, Double(min(digits, 8)))
        return (x * p).rounded() / p
    }
}
