import ArgumentParser
import Foundation
import SagstalFit
import SagstalOutput
import SagstalRunner
import SagstalScenario

extension EpisodeSummary.Grouping: ExpressibleByArgument {}

struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Estimate durations (right-censored MLE, Kaplan–Meier), transitions and assessment outcomes from case records, and write a scenario that uses them.",
        discussion: """
            EPISODES.csv has one row per stay, as `sagstal run --episodes` writes it or as converted from a \
            case system (columns in docs/fit.md). Stays still running at the end of the records are \
            right-censored: they count as "at least this long", not dropped. Writes the fitted scenario \
            (-o, default Outputs/fit-<episodes>/fitted.yaml; it extends --scenario), fitted.fit.json and fitted.report.html beside it.

            Examples:
              sagstal fit Scenarios/data/episodes-example.csv --scenario Scenarios/example.yaml -o Outputs/fit/fitted.yaml
              sagstal fit records.csv --scenario Scenarios/aalborg-before.yaml --extract-date 2026-06-30 --by team
            """
    )

    @Argument(help: "The episodes file (CSV).", completion: .file(extensions: ["csv"]))
    var episodes: String

    @Option(help: ArgumentHelp("The scenario the records belong to: its ladder, costs and everything the records cannot give.", valueName: "file"))
    var scenario: String

    @Option(name: .customLong("extract-date"), help: ArgumentHelp("The date the records were taken (YYYY-MM-DD): stays still running then are censored there.", valueName: "date"))
    var extractDate: String?

    @Option(help: "Also fit by step and team, or by step and age band (0–6, 7–12, 13–17), for fit.json and the report: step, team or ageband. The scenario gets the pooled fits.")
    var by: EpisodeSummary.Grouping = .step

    @Option(name: .customLong("min-stays"), help: "Fewer observed stays than this on a step: a warning, and the scenario's own value is kept.")
    var minStays = 20

    @Option(name: [.customShort("o"), .long], help: "The fitted scenario file (fit.json is written beside it).")
    var output: String?

    @Flag(name: [.customShort("q"), .long], help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if minStays < 2 { throw ValidationError("--min-stays: at least 2, found \(minStays)") }
    }

    func run() throws {
        let loaded = try Terminal.loadOrExit(ScenarioRequest(path: scenario))
        let file: EpisodeFile
        do {
            file = try EpisodeReader.read(path: episodes, extractDate: extractDate)
        } catch let e as EpisodeFileErrors {
            Terminal.printError(e.description)
            throw Terminal.isReadableFile(episodes) ? Terminal.invalidScenario : SagstalExit.missingInput.exitCode
        }
        let unknown = FitFragment.unknownSteps(file, scenario: loaded.scenario)
        if !unknown.isEmpty {
            Terminal.printError(EpisodeFileErrors(unknown).description)
            throw Terminal.invalidScenario
        }
        var settings = FitSettings()
        settings.minimumObserved = minStays
        let result = FitJob.run(file, settings: settings)
        let breakdown = by == .step ? nil : FitJob.run(file, settings: settings, by: by)
        let target = URL(fileURLWithPath: output ?? "Outputs/fit-\(URL(fileURLWithPath: episodes).deletingPathExtension().lastPathComponent)/fitted.yaml")
        let folder = target.deletingLastPathComponent()
        // `extends:` is relative to the fitted file's folder.
        let scenarioURL = URL(fileURLWithPath: scenario).standardizedFileURL
        var relative = Self.relativePath(from: folder.standardizedFileURL, to: scenarioURL)
        if relative.hasPrefix("../../../") { relative = scenarioURL.path }
        let yaml = FitFragment.yaml(result, scenario: loaded.scenario, extends: relative, toolVersion: SagstalVersion.current)
        let json = FitJSON.json(result, toolVersion: SagstalVersion.current, breakdown: breakdown).prettyPrinted()
        let report = FitReport.html(result, toolVersion: SagstalVersion.current, breakdown: breakdown)
        try Terminal.guarded(output: folder) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try AtomicFile.write([(url: target, data: Data(yaml.utf8)),
                                  (url: folder.appendingPathComponent(target.deletingPathExtension().lastPathComponent + ".fit.json"), data: Data(json.utf8)),
                                  (url: folder.appendingPathComponent(target.deletingPathExtension().lastPathComponent + ".report.html"), data: Data(report.utf8))])
            // The fitted scenario must load: refuse to leave one that does not.
            do { _ = try ScenarioRequest(path: target.path).load() } catch let e as ScenarioError {
                try? FileManager.default.removeItem(at: target)
                Terminal.printError("error: internal error: the fitted scenario does not load:\n\(e.description)")
                throw SagstalExit.internalError.exitCode
            }
            guard !quiet else { return }
            for w in result.warnings { Terminal.printError("warning: \(w)") }
            print("Fitted \(file.episodes.count) stays from \(episodes):")
            for p in result.phases {
                let chosen = p.chosen.map { "\($0.family.rawValue), mean \(Terminal.number(($0.parameters["mean"] ?? .nan).rounded())) days" } ?? "kept from the scenario"
                let naive = p.records.naiveMeanOfClosed.map { "closed stays alone: \(Terminal.number($0.rounded())) days" } ?? ""
                print("  \(p.records.name): \(p.records.n) stays, \(Int((100 * p.records.censoredShare).rounded())) % censored → \(chosen)\(naive.isEmpty ? "" : "; \(naive)")")
            }
            if let s = result.arrivals?.screening {
                print("  screening: \(s.successes) of \(s.n) notifications opened a case → opensCase \(Terminal.number((s.estimate * 1000).rounded() / 1000)) (95 % CI \(Terminal.number((s.lower * 1000).rounded() / 1000))–\(Terminal.number((s.upper * 1000).rounded() / 1000)))")
            }
            print("Wrote \(Terminal.displayPath(target)) (extends \(relative)), its .fit.json and .report.html")
        }
    }

    static func relativePath(from folder: URL, to file: URL) -> String {
        let a = folder.pathComponents, b = file.pathComponents
        var i = 0
        while i < a.count && i < b.count && a[i] == b[i] { i += 1 }
        return (Array(repeating: "..", count: a.count - i) + b[i...]).joined(separator: "/")
    }
}
