import Foundation
import SagstalOutput
import SagstalRunner
import SagstalScenario
import SagstalStats

/// The files of `sagstal sensitivity` (docs/decision-support.md):
///
/// - `sample.csv`: one row per evaluation, `row` then each factor's sampled value (empty: the
///   scenario's own value, OAT's centre row). Whole-number factors are rounded when the scenario
///   is loaded; the file keeps the sampled value, which the indices are computed from;
/// - `results.csv`: the same rows, each output's mean over the replications, then its standard
///   error (`<output>.se`);
/// - `tornado.csv` (OAT) or `indices.csv` (Morris, Sobol): the analysis, one row per output and factor;
/// - `sensitivity.json`: settings, factors, outputs, every index with its 95 % CI, warnings;
/// - `report.html`; `scenario.yaml` (and `baseline.yaml`): the resolved scenarios as written.
///
/// `sample.csv`, `results.csv` and `sensitivity.json` are what `Benchmarks/salib_crosscheck.py check DIR`
/// reads to recompute the indices with SALib.
public enum SensitivityWriter {
    public static func files(_ run: SensitivityRun, tool: ToolInfo, dialect: CSVDialect, report: String) -> [(name: String, contents: String)] {
        let plan = run.plan
        let d = dialect
        var sample = d.preamble + CSV.line(["row"] + plan.factors.map(\.name), dialect: d)
        for (i, row) in run.sample.enumerated() {
            sample += CSV.line([String(i)] + row.map { x in x.map { d.cell($0) } ?? "" }, dialect: d)
        }
        var results = d.preamble + CSV.line(["row"] + plan.outputs.map(\.name) + plan.outputs.map { $0.name + ".se" }, dialect: d)
        for (i, (m, se)) in zip(run.means, run.standardErrors).enumerated() {
            results += CSV.line([String(i)] + m.map { d.cell($0) } + se.map { d.cell($0) }, dialect: d)
        }
        var out: [(name: String, contents: String)] = [("sample.csv", sample), ("results.csv", results)]
        switch run.settings.method {
        case .oat:
            var t = d.preamble + CSV.line(["output", "factor", "lo", "hi", "mean_at_lo", "mean_at_hi", "delta_lo", "delta_lo_ci95_lo", "delta_lo_ci95_hi",
                                           "delta_hi", "delta_hi_ci95_lo", "delta_hi_ci95_hi", "swing", "swing_ci95_lo", "swing_ci95_hi", "nominal"], dialect: d)
            for (o, bars) in run.tornado.enumerated() {
                for b in bars {
                    t += CSV.line([b.output, b.factor, d.cell(b.lo), d.cell(b.hi), d.cell(b.atLo.mean), d.cell(b.atHi.mean),
                                   d.cell(b.deltaLo.mean), d.cell(b.deltaLo.ci95Lo), d.cell(b.deltaLo.ci95Hi),
                                   d.cell(b.deltaHi.mean), d.cell(b.deltaHi.ci95Lo), d.cell(b.deltaHi.ci95Hi),
                                   d.cell(b.swing.mean), d.cell(b.swing.ci95Lo), d.cell(b.swing.ci95Hi),
                                   d.cell(run.nominal[o].mean)], dialect: d)
                }
            }
            out.append(("tornado.csv", t))
        case .morris:
            var t = d.preamble + CSV.line(["output", "factor", "mu", "mu_star", "mu_star_ci95_lo", "mu_star_ci95_hi", "sigma"], dialect: d)
            for (spec, m) in zip(plan.outputs, run.morris) {
                for (i, f) in m.factors.enumerated() {
                    t += CSV.line([spec.name, f, d.cell(m.mu[i]), d.cell(m.muStar[i]), d.cell(m.muStarCI[i].lo), d.cell(m.muStarCI[i].hi),
                                   d.cell(m.sigma[i])], dialect: d)
                }
            }
            out.append(("indices.csv", t))
        case .sobol:
            var t = d.preamble + CSV.line(["output", "factor", "S1", "S1_ci95_lo", "S1_ci95_hi", "ST", "ST_ci95_lo", "ST_ci95_hi"], dialect: d)
            for (spec, s) in zip(plan.outputs, run.sobol) {
                guard let s else { continue }
                for (i, f) in s.factors.enumerated() {
                    t += CSV.line([spec.name, f, d.cell(s.firstOrder[i]), d.cell(s.firstOrderCI[i].lo), d.cell(s.firstOrderCI[i].hi),
                                   d.cell(s.totalOrder[i]), d.cell(s.totalOrderCI[i].lo), d.cell(s.totalOrderCI[i].hi)], dialect: d)
                }
            }
            out.append(("indices.csv", t))
        }
        out.append(("sensitivity.json", json(run, tool: tool).prettyPrinted()))
        out.append(("report.html", report))
        let names = plan.paired ? ["baseline.yaml", "scenario.yaml"] : ["scenario.yaml"]
        for (name, loaded) in zip(names, plan.nominal) {
            out.append((name, ScenarioEmitter.yaml(loaded.scenario, toolVersion: tool.version)))
        }
        return out
    }

    static func interval(_ lo: Double?, _ hi: Double?) -> JSONValue { .array([.number(lo), .number(hi)]) }

    static func summary(_ s: MetricSummary) -> JSONValue {
        .object([("mean", .number(s.mean)), ("ci95", interval(s.ci95Lo, s.ci95Hi))])
    }

    public static func json(_ run: SensitivityRun, tool: ToolInfo) -> JSONValue {
        let plan = run.plan
        let s = run.settings
        var settings: [(String, JSONValue)] = [("replicationsPerEvaluation", .integer(Int64(run.replications)))]
        switch s.method {
        case .oat: break
        case .morris:
            settings += [("trajectories", .integer(Int64(s.trajectories))), ("levels", .integer(Int64(s.levels))),
                         ("bootstrap", .integer(Int64(s.bootstrap)))]
        case .sobol:
            settings += [("baseSamples", .integer(Int64(s.baseSamples))), ("bootstrap", .integer(Int64(s.bootstrap)))]
        }
        settings.append(("evaluations", .integer(Int64(run.sample.count))))
        settings.append(("simulatedReplications", .integer(Int64(run.sample.count * run.replications * plan.nominal.count))))
        let factors = JSONValue.array(plan.factors.map { f in
            var kind = "value"
            if case .scale = f.kind { kind = "scale" }
            return .object([("name", .string(f.name)), ("vary", .string(f.text)), ("kind", .string(kind)),
                            ("lo", .number(f.lo)), ("hi", .number(f.hi)), ("assumption", .bool(f.isAssumedEffect))])
        })
        var outputs: [JSONValue] = []
        for (o, spec) in plan.outputs.enumerated() {
            var fields: [(String, JSONValue)] = [("name", .string(spec.name)), ("metric", .string(spec.metric)),
                                                 ("kind", .string(kindName(spec.kind)))]
            switch s.method {
            case .oat:
                fields.append(("nominal", summary(run.nominal[o])))
                fields.append(("tornado", .array(run.tornado[o].map { b in
                    .object([("factor", .string(b.factor)), ("lo", .number(b.lo)), ("hi", .number(b.hi)),
                             ("atLo", summary(b.atLo)), ("atHi", summary(b.atHi)), ("deltaLo", summary(b.deltaLo)),
                             ("deltaHi", summary(b.deltaHi)), ("swing", summary(b.swing))])
                })))
            case .morris:
                let m = run.morris[o]
                fields += [("mu", .array(m.mu.map { .number($0) })), ("mu_star", .array(m.muStar.map { .number($0) })),
                           ("mu_star_lo", .array(m.muStarCI.map { .number($0.lo) })), ("mu_star_hi", .array(m.muStarCI.map { .number($0.hi) })),
                           ("mu_star_conf", .array(m.muStarConf.map { .number($0) })),
                           ("sigma", .array(m.sigma.map { .number($0) }))]
            case .sobol:
                guard let x = run.sobol[o] else {
                    fields.append(("constant", .bool(true)))
                    outputs.append(.object(fields))
                    continue
                }
                fields += [("S1", .array(x.firstOrder.map { .number($0) })), ("S1_lo", .array(x.firstOrderCI.map { .number($0.lo) })),
                           ("S1_hi", .array(x.firstOrderCI.map { .number($0.hi) })), ("S1_conf", .array(x.firstOrderConf.map { .number($0) })),
                           ("ST", .array(x.totalOrder.map { .number($0) })),
                           ("ST_lo", .array(x.totalOrderCI.map { .number($0.lo) })), ("ST_hi", .array(x.totalOrderCI.map { .number($0.hi) })), ("ST_conf", .array(x.totalOrderConf.map { .number($0) }))]
            }
            outputs.append(.object(fields))
        }
        let sim = plan.simulation
        return .object([
            ("tool", .object([("name", .string(tool.name)), ("version", .string(tool.version)), ("gsl", .string(tool.gslVersion)),
                              ("generator", .string(tool.generator))])),
            ("method", .string(s.method.rawValue)),
            ("scenario", .string(plan.nominal.last!.scenario.name)),
            ("baseline", plan.paired ? .string(plan.nominal[0].scenario.name) : .null),
            ("files", .array(((plan.baseline.map { [$0.path] } ?? []) + [plan.request.path]).map { .string($0) })),
            ("overrides", .array(plan.request.allOverrides.map { .string($0) })),
            ("seed", .unsigned(sim.seed)), ("replications", .integer(Int64(sim.replications))), ("years", .number(sim.years)),
            ("settings", .object(settings)),
            // The keys Benchmarks/salib_crosscheck.py reads at the top level.
            ("baseSamples", s.method == .sobol ? .integer(Int64(s.baseSamples)) : .null),
            ("trajectories", s.method == .morris ? .integer(Int64(s.trajectories)) : .null),
            ("levels", s.method == .morris ? .integer(Int64(s.levels)) : .null),
            ("bootstrap", .integer(Int64(s.bootstrap))),
            ("confidence", .number(0.95)),
            ("factors", factors),
            ("outputs", .array(outputs)),
            ("notes", .array(plan.notes.map { .string($0) })),
            ("warnings", .array(run.warnings.map { .string($0) })),
        ])
    }

    static func kindName(_ k: OutputSpec.Kind) -> String {
        switch k {
        case .total: return "total"
        case .difference: return "alternative − baseline"
        case .avoided: return "baseline − alternative"
        }
    }
}
