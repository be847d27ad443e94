import Foundation
import Yams

/// Writes a resolved `Scenario` back as YAML (`scenario.resolved.yaml`, MODEL.md §8).
public enum ScenarioEmitter {
    /// The fully resolved scenario as block YAML: every key with its final value,
    /// defaults included, no `extends`, in the key order of MODEL.md §7.
    ///
    /// Numbers are written in their shortest round-trip form (`25`, `0.03`, `121.75`),
    /// distributions in their original parametrisation in flow style
    /// (`{dist: gamma, mean: 70, sd: 30}`; fixed ones as a plain number), relative
    /// headcount changes as `"+4"` / `"-2"`, and text is quoted only where YAML would
    /// misread it. The first two lines are comments naming the tool version and the seed.
    /// Every team's age band is written, the default one as `[0, ageOut]`; a dated change
    /// writes only the method multipliers it sets.
    ///
    /// Loading the returned text with `ScenarioLoader` gives a scenario equal (`==`) to
    /// `scenario`, so rerunning it reproduces the run bit for bit.
    ///
    /// - Parameters:
    ///   - scenario: A scenario, normally one returned by `ScenarioLoader`.
    ///   - toolVersion: The sagstal version, for the header comment.
    /// - Returns: The YAML text, ending in a newline.
    public static func yaml(_ scenario: Scenario, toolVersion: String) -> String {
        var w = Writer()
        let version = toolVersion.components(separatedBy: .newlines).joined(separator: " ")
        w.line("# Resolved by sagstal \(version). Rerun: sagstal run <this file>")
        w.line("# seed: \(scenario.simulation.seed)")
        w.line("name: \(text(scenario.name))")

        let sim = scenario.simulation
        w.line("simulation:")
        w.line("  start: \(sim.start)")
        w.line("  years: \(number(sim.years))")
        w.line("  warmupYears: \(number(sim.warmupYears))")
        w.line("  replications: \(sim.replications)")
        w.line("  seed: \(sim.seed)")
        w.line("  generator: \(text(sim.generator))")

        w.line("children:")
        w.line("  ageOut: \(number(scenario.children.ageOut))")
        w.line("  ageAtNotification: \(distribution(scenario.children.ageAtNotification))")

        let n = scenario.notifications
        w.line("notifications:")
        w.line("  perYear: \(number(n.perYear))")
        w.line("  growthPerYear: \(number(n.growthPerYear))")
        w.line("  seasonality: \(numbers(n.seasonality))")
        w.line("  concernsOpenCase: \(number(n.concernsOpenCase))")
        w.line("  escalateOnRenotification: \(number(n.escalateOnRenotification))")

        w.line("screening:")
        w.line("  opensCase: \(number(scenario.screening.opensCase))")

        let a = scenario.assessment
        w.line("assessment:")
        w.line("  duration: \(distribution(a.duration))")
        w.line("  outcome: \(flow(a.outcome.map { ($0.outcome, number($0.weight)) }))")
        w.line("  deadlineDays: \(number(a.deadlineDays))")
        w.line("  cost: \(number(a.cost))")

        w.line(scenario.ladder.isEmpty ? "ladder: []" : "ladder:")
        for step in scenario.ladder {
            w.line("  - id: \(text(step.id))")
            w.line("    name: \(text(step.name))")
            w.line("    placement: \(step.placement)")
            w.line("    costPerYear: \(number(step.costPerYear))")
            w.line("    duration: \(distribution(step.duration))")
            w.line("    next: \(flow([("up", number(step.next.up)), ("down", number(step.next.down)), ("exit", number(step.next.exit))]))")
        }

        let c = scenario.caseload
        w.line("caseload:")
        w.line("  reference: \(number(c.reference))")
        w.line("  casesCountedAs: \(c.casesCountedAs.rawValue)")
        w.line("  childrenPerFamily: \(number(c.childrenPerFamily))")
        w.line("  elasticity: \(flow(multipliers(c.elasticity.escalate, c.elasticity.deescalate, c.elasticity.close, c.elasticity.duration)))")

        w.line(scenario.teams.isEmpty ? "teams: []" : "teams:")
        for team in scenario.teams {
            let m = team.method
            // The band is written resolved, `[0, ageOut]` when defaulted (`ages == nil`); the loader
            // reads a band equal to [0, ageOut) back as nil, so the round trip gives an equal Scenario.
            let band = team.band(ageOut: scenario.children.ageOut)
            w.line("  - id: \(text(team.id))")
            w.line("    name: \(text(team.name))")
            w.line("    ages: \(numbers([band.min, band.max]))")
            w.line("    share: \(number(team.share))")
            w.line("    caseworkers: \(team.caseworkers)")
            w.line("    cap: \(number(team.cap))")
            w.line("    policy: \(team.policy.rawValue)")
            w.line("    method: \(flow(multipliers(m.escalate, m.deescalate, m.close, m.duration)))")
        }

        let s = scenario.staff
        w.line("staff:")
        w.line("  costPerYear: \(number(s.costPerYear))")
        w.line("  recruitmentCost: \(number(s.recruitmentCost))")
        w.line("  turnover: \(flow([("perYear", number(s.turnover.perYear)), ("overloadElasticity", number(s.turnover.overloadElasticity))]))")
        w.line("  recruitment: \(distribution(s.recruitment))")
        w.line("  rampUp: \(flow([("days", number(s.rampUp.days)), ("capShare", number(s.rampUp.capShare))]))")
        w.line(s.changes.isEmpty ? "  changes: []" : "  changes:")
        for change in s.changes {
            var fields: [(String, String)] = [("at", change.at.description), ("team", text(change.team, flow: true))]
            switch change.caseworkers {
            case .set(let k)?: fields.append(("caseworkers", String(k)))
            case .relative(let k)?: fields.append(("caseworkers", k < 0 ? "\"\(k)\"" : "\"+\(k)\""))
            case nil: break
            }
            if let cap = change.cap { fields.append(("cap", number(cap))) }
            fields.append(("immediate", String(change.immediate)))
            if let m = change.method {
                // Only the multipliers the change sets; the others keep the team's value.
                let given = [("escalate", m.escalate), ("deescalate", m.deescalate), ("close", m.close), ("duration", m.duration)]
                fields.append(("method", flow(given.compactMap { key, x in x.map { (key, number($0)) } })))
            }
            if let share = change.share { fields.append(("share", number(share))) }
            w.line("    - \(flow(fields))")
        }

        w.line(scenario.followUps.isEmpty ? "followUps: []" : "followUps:")
        for f in scenario.followUps {
            w.line("  - id: \(text(f.id))")
            w.line("    name: \(text(f.name))")
            w.line("    steps: [\(f.steps.map { text($0, flow: true) }.joined(separator: ", "))]")
            w.line("    everyDays: \(number(f.everyDays))")
            w.line("    elasticity: \(number(f.elasticity))")
        }

        if let o = scenario.outreach {
            w.line("outreach:")
            w.line("  workers: \(number(o.workers))")
            w.line("  coursesPerWorker: \(number(o.coursesPerWorker))")
            w.line("  reach: \(number(o.reach))")
            w.line("  duration: \(distribution(o.duration))")
            w.line("  resolves: \(number(o.resolves))")
            w.line("  costPerCourse: \(number(o.costPerCourse))")
            w.line("  costPerWorkerYear: \(number(o.costPerWorkerYear))")
        }

        w.line(scenario.initial.isEmpty ? "initial: {}" : "initial:")
        for stock in scenario.initial {
            w.line("  \(text(stock.step)): \(stock.count)")
        }

        let k = scenario.costs
        w.line("costs:")
        w.line("  discountRate: \(number(k.discountRate))")
        w.line(k.oneOff.isEmpty ? "  oneOff: []" : "  oneOff:")
        for cost in k.oneOff {
            w.line("    - \(flow([("at", cost.at.description), ("amount", number(cost.amount)), ("label", text(cost.label, flow: true))]))")
        }
        return w.text
    }

    private struct Writer {
        var text = ""
        mutating func line(_ s: String) { text += s + "\n" }
    }

    private static func multipliers(_ e: Double, _ d: Double, _ c: Double, _ u: Double) -> [(String, String)] {
        [("escalate", number(e)), ("deescalate", number(d)), ("close", number(c)), ("duration", number(u))]
    }

    /// `{a: 1, b: 2}` from already formatted values; keys are quoted when needed.
    static func flow(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(text($0.0, flow: true)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// `[1, 2, 3]`
    static func numbers(_ xs: [Double]) -> String {
        "[" + xs.map(number).joined(separator: ", ") + "]"
    }

    /// The shortest text that reads back as exactly `x`: integral values without `.0`
    /// (`25`, `520000`), others as Swift's shortest round-trip form (`0.03`, `1e-07`).
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? ".nan" : (x < 0 ? "-.inf" : ".inf") }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return x.description
    }

    /// A distribution in its original parametrisation.
    static func distribution(_ d: DistributionSpec) -> String {
        switch d {
        case .fixed(let v):
            return number(v)
        case .exponential(let mean):
            return flow([("dist", "exponential"), ("mean", number(mean))])
        case .gammaMeanSD(let mean, let sd):
            return flow([("dist", "gamma"), ("mean", number(mean)), ("sd", number(sd))])
        case .gammaShapeScale(let shape, let scale):
            return flow([("dist", "gamma"), ("shape", number(shape)), ("scale", number(scale))])
        case .lognormalMeanSD(let mean, let sd):
            return flow([("dist", "lognormal"), ("mean", number(mean)), ("sd", number(sd))])
        case .lognormalMuSigma(let mu, let sigma):
            return flow([("dist", "lognormal"), ("mu", number(mu)), ("sigma", number(sigma))])
        case .weibull(let shape, let scale):
            return flow([("dist", "weibull"), ("shape", number(shape)), ("scale", number(scale))])
        case .uniform(let lo, let hi):
            return flow([("dist", "uniform"), ("min", number(lo)), ("max", number(hi))])
        case .empirical(let values, let weights):
            return flow([("dist", "empirical"), ("values", numbers(values)), ("weights", numbers(weights))])
        }
    }

    /// Text as a plain scalar when YAML reads it back as the same string (in flow
    /// context, `{…}` or `[…]`, when `flow` is true); otherwise double-quoted with escapes.
    static func text(_ s: String, flow: Bool = false) -> String {
        isPlainSafe(s, flow: flow) ? s : quoted(s)
    }

    static func isPlainSafe(_ s: String, flow: Bool) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return false }
        let indicators: Set<Unicode.Scalar> = ["-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|",
                                                ">", "'", "\"", "%", "@", "`", "~", "=", "<", "."]
        if indicators.contains(first) || first == " " || last == " " { return false }
        for u in s.unicodeScalars {
            // Flow indicators, comment and mapping markers, and anything invisible or line-breaking.
            if ["#", ":", "\\", "\""].contains(u) { return false }
            if flow, [",", "[", "]", "{", "}"].contains(u) { return false }
            if u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029
                || u.value == 0xFEFF {
                return false
            }
        }
        // Anything YAML would read as a number, boolean, null or date must be quoted. (Asking Yams
        // is the slow part of emitting: remembered per text, as a file repeats its team ids.)
        return readsBackAsText.value(s) {
            guard let node = try? Yams.compose(yaml: "k: \(s)"), case .mapping(let m) = node, m.count == 1,
                  let value = m["k"], case .scalar(let scalar) = value, scalar.string == s else { return false }
            return TreeBuilder.kind(of: value) == .string
        }
    }

    /// Whether a text reads back as the same string, remembered (at most 10,000 texts; shared by threads).
    private static let readsBackAsText = TextCache()

    private final class TextCache: @unchecked Sendable {
        private let lock = NSLock()
        private var known: [String: Bool] = [:]

        func value(_ key: String, _ compute: () -> Bool) -> Bool {
            lock.lock()
            if let v = known[key] { lock.unlock(); return v }
            lock.unlock()
            let v = compute()
            lock.lock()
            if known.count >= 10_000 { known.removeAll(keepingCapacity: true) }
            known[key] = v
            lock.unlock()
            return v
        }
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) || u.value == 0x2028
                    || u.value == 0x2029 || u.value == 0xFEFF {
                    out += String(format: "\\u%04X", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

extension ScenarioEmitter {
    /// A distribution as the resolved scenario writes it (`{dist: gamma, mean: 60, sd: 20}`).
    public static func distributionText(_ d: DistributionSpec) -> String { distribution(d) }
    /// A string as a YAML flow scalar, quoted when it needs to be.
    public static func scalarText(_ s: String) -> String { text(s, flow: true) }
    /// A number as the resolved scenario writes it (shortest round-trip form).
    public static func numberText(_ x: Double) -> String { number(x) }
}
