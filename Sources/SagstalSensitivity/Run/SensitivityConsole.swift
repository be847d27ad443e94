import Foundation
import SagstalOutput
import SagstalRunner

/// The console summary of `sagstal sensitivity`.
public enum SensitivityConsole {
    public static func text(_ run: SensitivityRun, language: ReportLanguage) -> String {
        let nf = ReportNumberFormatter(language)
        let plan = run.plan
        let s = run.settings
        let title = plan.paired ? "\(plan.nominal[1].scenario.name) vs \(plan.nominal[0].scenario.name)" : plan.nominal[0].scenario.name
        var out = "\(title) — sensitivity, \(s.method.rawValue): \(run.sample.count) evaluations × \(run.replications) replications (seed \(plan.simulation.seed))\n"
        func pad(_ s: String, _ w: Int, right: Bool = false) -> String {
            let n = s.count
            if n >= w { return s }
            return right ? String(repeating: " ", count: w - n) + s : s + String(repeating: " ", count: w - n)
        }
        let fw = max(12, plan.factors.map(\.name.count).max() ?? 0) + 2
        for (o, spec) in plan.outputs.enumerated() {
            out += "\n" + SensitivityReport.outputLabel(spec, language) + "\n"
            switch s.method {
            case .oat:
                out += "  as written: \(nf.value(run.nominal[o].mean, metric: spec.metric))\n"
                out += "  " + pad("factor", fw) + pad("low → high", 20) + pad("at low", 19, right: true) + pad("at high", 19, right: true) + "  " + pad("swing [95 % CI]", 44, right: true) + "\n"
                for b in run.tornado[o] {
                    let swing = "\(nf.value(b.swing.mean, metric: spec.metric, sign: true)) [\(nf.interval(b.swing.ci95Lo, b.swing.ci95Hi, metric: spec.metric, sign: true))]"
                    out += "  " + pad(b.factor, fw) + pad("\(nf.compact(b.lo)) → \(nf.compact(b.hi))", 20)
                        + pad(nf.value(b.atLo.mean, metric: spec.metric), 19, right: true) + pad(nf.value(b.atHi.mean, metric: spec.metric), 19, right: true)
                        + "  " + pad(swing, 44, right: true) + "\n"
                }
            case .morris:
                let m = run.morris[o]
                out += "  " + pad("factor", fw) + pad("μ*", 16, right: true) + pad("95 % CI μ*", 30, right: true) + pad("σ", 16, right: true) + "\n"
                for i in m.factors.indices.sorted(by: { m.muStar[$0] > m.muStar[$1] }) {
                    out += "  " + pad(m.factors[i], fw) + pad(nf.value(m.muStar[i], metric: spec.metric), 16, right: true)
                        + pad(nf.interval(m.muStarCI[i].lo, m.muStarCI[i].hi, metric: spec.metric), 30, right: true)
                        + pad(nf.value(m.sigma[i], metric: spec.metric), 16, right: true) + "\n"
                }
            case .sobol:
                guard let x = run.sobol[o] else {
                    out += "  does not vary over the sample: no indices\n"
                    continue
                }
                out += "  " + pad("factor", fw) + pad("S1", 8, right: true) + pad("95 % CI", 18, right: true) + pad("ST", 8, right: true) + pad("95 % CI", 18, right: true) + "\n"
                for i in x.factors.indices.sorted(by: { x.totalOrder[$0] > x.totalOrder[$1] }) {
                    out += "  " + pad(x.factors[i], fw) + pad(nf.compact(x.firstOrder[i], maxDecimals: 2), 8, right: true)
                        + pad("\(nf.compact(x.firstOrderCI[i].lo, maxDecimals: 2)) – \(nf.compact(x.firstOrderCI[i].hi, maxDecimals: 2))", 18, right: true)
                        + pad(nf.compact(x.totalOrder[i], maxDecimals: 2), 8, right: true)
                        + pad("\(nf.compact(x.totalOrderCI[i].lo, maxDecimals: 2)) – \(nf.compact(x.totalOrderCI[i].hi, maxDecimals: 2))", 18, right: true) + "\n"
                }
            }
        }
        return out
    }
}
