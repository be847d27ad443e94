import Foundation
import SagstalOptimise
import SagstalOutput
import SagstalReport
import SagstalScenario
import SagstalStats

extension OptimiseRun {
    /// What the outputs show (`OptimiseSummary`), with `warnings` for the Warnings box and the JSON.
    public func summary(warnings: [OutputWarning] = []) -> OptimiseSummary {
        let base = plan.base.scenario
        return OptimiseSummary(scenarioFile: plan.request.scenario.path, scenario: base,
                               chosenScenario: result.outcome.chosen.map { plan.configurations[$0].scenario },
                               grid: plan.grid, objective: plan.request.objective, deltaIsDefault: plan.deltaIsDefault,
                               result: result, tool: RunJob.tool(generator: base.simulation.generator), eventsUsed: eventsUsed,
                               warnings: warnings, notes: plan.notes)
    }
}

/// `optimise.json`, `optimise.csv`, `report.html` and the chosen configuration's
/// `scenario.resolved.yaml` of `sagstal optimise`.
public enum OptimiseWriter {
    public static let files = ["optimise.json", "optimise.csv", "report.html", "scenario.resolved.yaml"]

    /// Writes the files atomically into `directory` (created if needed).
    public static func write(_ run: OptimiseRun, to directory: URL, language: ReportLanguage = .en, dialect: CSVDialect = .standard,
                             warnings: [OutputWarning] = [], assumptions: String = "", request: OutputRequest? = nil) throws {
        let s = run.summary(warnings: warnings)
        try Directories.create(directory.path)
        var files: [(URL, Data)] = [
            (directory.appendingPathComponent("optimise.json"), Data(json(s).utf8)),
            (directory.appendingPathComponent("optimise.csv"), Data(csv(s, dialect: dialect).utf8)),
            (directory.appendingPathComponent("report.html"), Data(OptimiseReport.html(s, language: language, assumptions: assumptions).utf8)),
        ]
        if let request {
            files.append((directory.appendingPathComponent(RunWriter.runFile),
                          Data(RunWriter.runJSON(wallSeconds: run.wallSeconds, jobs: 0, eventsProcessed: run.eventsComputed, request: request).utf8)))
        }
        if let chosen = s.chosenScenario {
            files.append((directory.appendingPathComponent("scenario.resolved.yaml"),
                          Data(ScenarioEmitter.yaml(chosen, toolVersion: SagstalVersion.current).utf8)))
        }
        try AtomicFile.write(files)
    }

    static func status(_ c: ConfigurationStatus) -> String {
        switch c {
        case .contending: return "contending"
        case .chosen: return "chosen"
        case .eliminated: return "eliminated"
        case .infeasible: return "infeasible"
        case .tied: return "tied"
        case .stopped: return "stopped"
        }
    }

    static func decision(_ d: ConstraintDecision) -> (String, Int?) {
        switch d {
        case .open: return ("undecided", nil)
        case .satisfied(let r): return ("satisfied", r)
        case .violated(let r): return ("violated", r)
        }
    }

    static func integer(_ x: Int?) -> JSONValue { x.map { .integer(Int64($0)) } ?? .null }

    /// The text of `optimise.json`: settings, the outcome and every configuration. Nothing in it
    /// depends on the number of threads or the clock, so `-j 1` and `-j 2` write the same bytes.
    public static func json(_ s: OptimiseSummary) -> String {
        let r = s.result
        let sim = s.scenario.simulation
        func pointJSON(_ i: Int) -> [(String, JSONValue)] {
            let p = s.grid.point(i)
            return [("index", .integer(Int64(i))), ("caseworkers", number(p.caseworkers)), ("cap", number(p.cap))]
        }
        func configuration(_ i: Int) -> JSONValue {
            let c = r.configurations[i]
            var by: JSONValue = .null
            switch c.status {
            case .eliminated(_, let l), .tied(_, let l): by = .object(pointJSON(l))
            default: break
            }
            var infeasibleOn: JSONValue = .null
            if case .infeasible(_, let m) = c.status { infeasibleOn = .string(r.constraints[m].text) }
            return .object(pointJSON(i) + [
                ("status", .string(status(c.status))),
                ("stage", integer(c.status.stage)),
                ("reason", .string(OptimiseReport.statusText(s, i, .en))),
                ("eliminatedBy", by),
                ("violates", infeasibleOn),
                ("replications", .integer(Int64(c.replications))),
                ("feasible", c.feasibleAt != nil ? .bool(true) : (infeasibleOn != .null ? .bool(false) : .null)),
                ("feasibleAt", integer(c.feasibleAt)),
                ("objective", RunWriter.stat(c.objective)),
                ("gapToChosen", r.gapsToChosen[i].map { g in
                    .object([("replications", .integer(Int64(g.replications))), ("mean", .number(g.mean)),
                             ("ci95", .array([.number(g.ci95Lo), .number(g.ci95Hi)]))])
                } ?? .null),
                ("constraints", .array(r.constraints.enumerated().map { m, con in
                    let e = c.constraints[m]
                    let d = decision(e.decision)
                    return .object([
                        ("constraint", .string(con.text)),
                        ("mean", .number(e.mean)),
                        ("ci95", .array([.number(e.ci95Lo), .number(e.ci95Hi)])),
                        ("probability", .number(e.probability)),
                        ("decision", .string(d.0)),
                        ("decidedAt", integer(d.1)),
                    ])
                })),
            ])
        }
        var chosen: JSONValue = .null
        if let c = r.outcome.chosen { chosen = .object(pointJSON(c)) }
        var runnerUp: JSONValue = .null
        if let g = r.runnerUp {
            runnerUp = .object(pointJSON(g.other) + [
                ("gap", .object([("replications", .integer(Int64(g.replications))), ("mean", .number(g.mean)),
                                 ("ci95", .array([.number(g.ci95Lo), .number(g.ci95Hi)]))])),
            ])
        }
        let full = r.fullGridReplications
        let root: JSONValue = .object([
            ("scenario", .string(s.scenario.name)),
            ("file", .string(s.scenarioFile)),
            ("seed", .unsigned(sim.seed)),
            ("years", .number(sim.years)),
            ("start", .string(sim.start.description)),
            ("tool", .object([("name", .string(s.tool.name)), ("version", .string(s.tool.version)),
                              ("gsl", .string(s.tool.gslVersion)), ("generator", .string(s.tool.generator)),
                              ("entityGenerator", .string(s.tool.entityGenerator))])),
            ("team", .string(s.grid.team)),
            ("grid", .object([
                ("caseworkers", .array(s.grid.caseworkers.map(number))),
                ("cap", .array(s.grid.caps.map(number))),
                ("capVaried", .bool(s.grid.capVaried)),
                ("configurations", .integer(Int64(s.grid.count))),
            ])),
            ("objective", .object([("metric", .string(s.objective)), ("goal", .string("minimise"))])),
            ("constraints", .array(r.constraints.map { c in
                .object([("metric", .string(c.metric)), ("sense", .string(c.sense.rawValue)), ("threshold", .number(c.threshold)),
                         ("tolerance", .number(c.tolerance)), ("toleranceDefault", .bool(!c.toleranceGiven))])
            })),
            ("procedure", .object([
                ("name", .string("KN with F_B feasibility checks")),
                ("references", .array([
                    .string("Kim, S.-H. & Nelson, B. L. (2001). A fully sequential procedure for indifference-zone selection in simulation. ACM TOMACS 11(3), 251-273."),
                    .string("Batur, D. & Kim, S.-H. (2010). Finding feasible systems in the presence of constraints on multiple performance measures. ACM TOMACS 20(3), article 13."),
                    .string("Andradottir, S. & Kim, S.-H. (2010). Fully sequential procedures for comparing constrained systems via simulation. Naval Research Logistics 57(5), 403-421."),
                ])),
                ("alpha", .number(r.settings.alpha)),
                ("alphaFeasibility", .number(r.alphaFeasibility)),
                ("alphaSelection", .number(r.alphaSelection)),
                ("delta", .number(r.settings.delta)),
                ("deltaDefault", .bool(s.deltaIsDefault)),
                ("n0", .integer(Int64(r.settings.n0))),
                ("maxReplications", .integer(Int64(r.settings.maxReplications))),
                ("hSquaredSelection", .number(r.hSquaredSelection)),
                ("hSquaredFeasibility", .number(r.hSquaredFeasibility)),
                ("c", .integer(1)),
            ])),
            ("outcome", .object([
                ("kind", .string(r.outcome.kind.rawValue)),
                ("stage", .integer(Int64(r.outcome.stage))),
                ("guarantee", .bool(r.outcome.kind != .maximumReached)),
                ("statement", .string(OptimiseReport.guaranteeText(s, .en))),
            ])),
            ("chosen", chosen),
            ("runnerUp", runnerUp),
            ("replications", .object([
                ("used", .integer(Int64(r.replicationsUsed))),
                ("fullGrid", .integer(Int64(full))),
                ("saving", .number(full > 0 ? 1 - Double(r.replicationsUsed) / Double(full) : .nan)),
                ("events", .integer(Int64(s.eventsUsed))),
            ])),
            ("notes", .array(s.notes.map(JSONValue.string))),
            ("warnings", .array(s.warnings.map(\.json))),
            ("configurations", .array(r.configurations.indices.map(configuration))),
        ])
        return root.prettyPrinted()
    }

    /// A grid value as a JSON number (they are numbers; text otherwise).
    static func number(_ text: String) -> JSONValue {
        if let i = Int64(text) { return .integer(i) }
        if let x = Double(text), x.isFinite { return .number(x) }
        return .string(text)
    }

    /// The text of `optimise.csv`: one row per configuration.
    public static func csv(_ s: OptimiseSummary, dialect: CSVDialect = .standard) -> String {
        let r = s.result
        var names: [String] = []
        for c in r.constraints {
            var name = c.metric
            var k = 2
            while names.contains(name) { name = "\(c.metric)#\(k)"; k += 1 }
            names.append(name)
        }
        var header = ["configuration", "caseworkers", "cap", "status", "stage", "replications", "eliminated_by", "feasible",
                      "objective_mean", "objective_sd", "objective_ci95_lo", "objective_ci95_hi",
                      "gap_to_chosen_mean", "gap_to_chosen_ci95_lo", "gap_to_chosen_ci95_hi", "gap_to_chosen_replications"]
        for n in names { header += ["\(n)_mean", "\(n)_ci95_lo", "\(n)_ci95_hi", "\(n)_probability", "\(n)_decision", "\(n)_decided_at"] }
        var out = dialect.preamble + CSV.line(header, dialect: dialect)
        func grid(_ v: String) -> String { dialect == .excelDa ? v.replacingOccurrences(of: ".", with: ",") : v }
        for (i, c) in r.configurations.enumerated() {
            let p = s.grid.point(i)
            var by = ""
            switch c.status {
            case .eliminated(_, let l), .tied(_, let l): by = String(l)
            default: break
            }
            var feasible = ""
            if c.feasibleAt != nil { feasible = "yes" } else if case .infeasible = c.status { feasible = "no" }
            var row = [String(i), grid(p.caseworkers), grid(p.cap), status(c.status), c.status.stage.map(String.init) ?? "",
                       String(c.replications), by, feasible, dialect.cell(c.objective.mean), dialect.cell(c.objective.sd),
                       dialect.cell(c.objective.ci95Lo), dialect.cell(c.objective.ci95Hi)]
            let g = r.gapsToChosen[i]
            row += [dialect.cell(g?.mean), dialect.cell(g?.ci95Lo), dialect.cell(g?.ci95Hi), g.map { String($0.replications) } ?? ""]
            for e in c.constraints {
                let d = decision(e.decision)
                row += [dialect.cell(e.mean), dialect.cell(e.ci95Lo), dialect.cell(e.ci95Hi), dialect.cell(e.probability), d.0,
                        d.1.map(String.init) ?? ""]
            }
            out += CSV.line(row, dialect: dialect)
        }
        return out
    }
}
