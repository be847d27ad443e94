import Foundation
import SagstalOutput
import SagstalScenario

/// The key assumptions of one or more scenarios, with their sources (issue 10 part 5): the
/// caseload effects (the four elasticities, the reference caseload, the follow-ups' and the
/// turnover's elasticities), every team's method multipliers and the dated method changes, every
/// override, and the values a sweep varies. Language-neutral; ``AssumptionsBox`` renders it.
///
/// One column per scenario (baseline first in a comparison); ``Row/differs`` marks the rows whose
/// values are not the same in every scenario.
public struct KeyAssumptions: Sendable {
    /// A parameter a command varies over several values (a sweep's `--vary`, a sensitivity's range).
    public struct Varied: Sendable, Equatable {
        public var path: String
        public var values: [String]
        public init(path: String, values: [String]) {
            self.path = path
            self.values = values
        }
    }

    /// Which part of the box a row belongs to.
    public enum Group: String, Sendable, Equatable, CaseIterable {
        case caseloadEffects, methods, overrides, varied
    }

    /// What a row is about (its label, in the report's language at rendering).
    public enum Label: Sendable, Equatable {
        case reference
        /// `escalate`, `deescalate`, `close` or `duration`.
        case elasticity(String)
        /// A follow-up's caseload elasticity, by its name.
        case followUp(String)
        case overloadTurnover
        /// A team's method multipliers, by the team's name.
        case teamMethod(String)
        /// The teams without a method (every multiplier 1, by default), by name, in one row.
        case teamsWithoutMethod([String])
        /// A dated method change: its date and the team's name.
        case methodChange(at: String, team: String)
        /// An override or a varied parameter: its path.
        case path(String)
    }

    /// One row's value in one scenario.
    public enum Value: Sendable, Hashable {
        /// The row does not exist in this scenario (another team, no such change).
        case absent
        case number(Double)
        /// A caseload in the scenario's unit.
        case caseload(Double, families: Bool)
        /// Method multipliers that differ from 1, in the order escalate, deescalate, close, duration;
        /// empty for none.
        case multipliers([Multiplier])
        case text(String)
    }

    public struct Multiplier: Sendable, Hashable {
        /// `escalate`, `deescalate`, `close` or `duration`.
        public var name: String
        public var value: Double
    }

    public struct Row: Sendable {
        public var group: Group
        public var label: Label
        /// One per scenario.
        public var values: [Value]
        /// One per scenario: the source of the value (nil where the row is absent).
        public var sources: [ValueSource?]
        /// The scenario paths the row shows (one scenario's, e.g. `teams.east.method.escalate`).
        public var paths: [String]

        /// True when the values are not the same in every scenario.
        public var differs: Bool { values.contains { $0 != values[0] } }
    }

    /// Short labels of the scenarios (file names), one per scenario.
    public let names: [String]
    /// The scenarios' `name` fields.
    public let titles: [String]
    public let rows: [Row]

    /// - Parameters:
    ///   - scenarios: the scenarios as run, baseline first (one for a run or a sweep's first point).
    ///   - names: short labels (file names), one per scenario; missing ones are the scenarios' names.
    ///   - sources: per scenario, ``LoadedScenario/sources`` (missing: no sources known).
    ///   - overrides: the overrides every scenario was loaded with (`--set`, `-n`, `--seed`, `--years`
    ///     as `path=value`), shown as given.
    ///   - varied: parameters the command varies (not overrides).
    public init(scenarios: [Scenario], names: [String], sources: [[ValueSource]], overrides: [String],
                varied: [Varied] = []) {
        let n = scenarios.count
        self.titles = scenarios.map(\.name)
        self.names = (0..<n).map { $0 < names.count ? names[$0] : scenarios[$0].name }
        let index: [[String: ValueSource]] = (0..<n).map { i in
            Dictionary((i < sources.count ? sources[i] : []).map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        }
        func source(_ i: Int, _ paths: [String], preferring: (ValueSource) -> Bool = { _ in true }) -> ValueSource? {
            let found = paths.compactMap { index[i][$0] }
            return found.first(where: { $0.kind != .default && preferring($0) }) ?? found.first
        }
        var rows: [Row] = []

        // Caseload effects.
        let families = scenarios.map { $0.caseload.casesCountedAs == .families }
        rows.append(Row(group: .caseloadEffects, label: .reference,
                        values: scenarios.indices.map { .caseload(scenarios[$0].caseload.reference, families: families[$0]) },
                        sources: (0..<n).map { source($0, ["caseload.reference"]) }, paths: ["caseload.reference"]))
        for key in ["escalate", "deescalate", "close", "duration"] {
            let path = "caseload.elasticity.\(key)"
            rows.append(Row(group: .caseloadEffects, label: .elasticity(key),
                            values: scenarios.map { .number(Self.elasticity($0.caseload.elasticity, key)) },
                            sources: (0..<n).map { source($0, [path]) }, paths: [path]))
        }
        for (id, name) in Self.union(scenarios.map { $0.followUps.map { ($0.id, $0.name) } }) {
            let path = "followUps.\(id).elasticity"
            rows.append(Row(group: .caseloadEffects, label: .followUp(name),
                            values: scenarios.map { s in s.followUps.first { $0.id == id }.map { .number($0.elasticity) } ?? .absent },
                            sources: scenarios.indices.map { i in scenarios[i].followUps.contains { $0.id == id } ? source(i, [path]) : nil },
                            paths: [path]))
        }
        rows.append(Row(group: .caseloadEffects, label: .overloadTurnover,
                        values: scenarios.map { .number($0.staff.turnover.overloadElasticity) },
                        sources: (0..<n).map { source($0, ["staff.turnover.overloadElasticity"]) },
                        paths: ["staff.turnover.overloadElasticity"]))

        // Methods: every team's multipliers, then the dated method changes.
        let keys = ["escalate", "deescalate", "close", "duration"]
        // Teams with a method (or a documented or overridden one) get a row each; the others share one.
        var plain: [(id: String, name: String)] = []
        for (id, name) in Self.union(scenarios.map { $0.teams.map { ($0.id, $0.name) } }) {
            let paths = keys.map { "teams.\(id).method.\($0)" }
            let row = Row(group: .methods, label: .teamMethod(name),
                          values: scenarios.map { s in
                              s.teams.first { $0.id == id }.map { .multipliers(Self.multipliers($0.method)) } ?? .absent
                          },
                          sources: scenarios.indices.map { i in scenarios[i].teams.contains { $0.id == id } ? source(i, paths) : nil },
                          paths: paths)
            let hasMethod = row.values.contains { if case .multipliers(let m) = $0 { return !m.isEmpty }; return false }
            let sourced = row.sources.contains { $0.map { $0.kind != .default } ?? false }
            if hasMethod || sourced { rows.append(row) } else { plain.append((id, name)) }
        }
        if !plain.isEmpty {
            rows.append(Row(group: .methods, label: .teamsWithoutMethod(plain.map(\.name)),
                            values: scenarios.map { s in
                                s.teams.contains { t in plain.contains { $0.id == t.id } } ? .multipliers([]) : .absent
                            },
                            sources: scenarios.indices.map { i in source(i, plain.flatMap { p in keys.map { "teams.\(p.id).method.\($0)" } }) },
                            paths: plain.flatMap { p in keys.map { "teams.\(p.id).method.\($0)" } }))
        }
        // Dated changes with a method, matched across scenarios by date, team and occurrence.
        var changeKeys: [(key: String, at: String, team: String)] = []
        var changeIndex: [[String: Int]] = Array(repeating: [:], count: n)
        for (i, s) in scenarios.enumerated() {
            var seen: [String: Int] = [:]
            for (k, c) in s.staff.changes.enumerated() where c.method != nil {
                let base = "\(c.at)|\(c.team)"
                seen[base, default: 0] += 1
                let key = "\(base)|\(seen[base]!)"
                changeIndex[i][key] = k
                if !changeKeys.contains(where: { $0.key == key }) {
                    let teamName = s.teams.first { $0.id == c.team }?.name ?? c.team
                    changeKeys.append((key, c.at.description, teamName))
                }
            }
        }
        changeKeys.sort { $0.at < $1.at }
        for ck in changeKeys {
            rows.append(Row(group: .methods, label: .methodChange(at: ck.at, team: ck.team),
                            values: scenarios.indices.map { i in
                                guard let k = changeIndex[i][ck.key], let m = scenarios[i].staff.changes[k].method else { return .absent }
                                return .multipliers(zip(keys, [m.escalate, m.deescalate, m.close, m.duration]).compactMap { key, v in
                                    v.map { Multiplier(name: key, value: $0) }
                                })
                            },
                            sources: scenarios.indices.map { i in
                                changeIndex[i][ck.key].flatMap { k in source(i, keys.map { "staff.changes.\(k).method.\($0)" }) }
                            },
                            paths: changeIndex.lazy.compactMap { $0[ck.key] }.first.map { k in keys.map { "staff.changes.\(k).method.\($0)" } } ?? []))
        }

        // Overrides, as given.
        for (k, text) in overrides.enumerated() {
            let (path, value) = Self.split(text)
            let s = ValueSource(path: path, value: .text(value), kind: .override, comment: text, file: "<--set>", line: k + 1)
            rows.append(Row(group: .overrides, label: .path(path), values: Array(repeating: .text(value), count: n),
                            sources: Array(repeating: s, count: n), paths: [path]))
        }
        // A varied parameter shows its values in its own row when it is a key assumption, else in a row of its own.
        for (k, v) in varied.enumerated() {
            let text = v.values.joined(separator: ", ")
            let s = ValueSource(path: v.path, value: .text(text), kind: .override, comment: "\(v.path)=\(v.values.joined(separator: ","))",
                                file: "<--vary>", line: k + 1)
            if let r = rows.firstIndex(where: { $0.paths.contains(v.path) && $0.group != .overrides }) {
                rows[r].values = Array(repeating: .text(text), count: n)
                rows[r].sources = Array(repeating: s, count: n)
            } else {
                rows.append(Row(group: .varied, label: .path(v.path), values: Array(repeating: .text(text), count: n),
                                sources: Array(repeating: s, count: n), paths: [v.path]))
            }
        }
        self.rows = rows
    }

    static func elasticity(_ e: Elasticities, _ key: String) -> Double {
        switch key {
        case "escalate": return e.escalate
        case "deescalate": return e.deescalate
        case "close": return e.close
        default: return e.duration
        }
    }

    static func multipliers(_ m: MethodMultipliers) -> [Multiplier] {
        [("escalate", m.escalate), ("deescalate", m.deescalate), ("close", m.close), ("duration", m.duration)]
            .filter { $0.1 != 1 }.map { Multiplier(name: $0.0, value: $0.1) }
    }

    /// (id, name) pairs of several scenarios, first appearance first, names from the first scenario with the id.
    static func union(_ lists: [[(String, String)]]) -> [(String, String)] {
        var out: [(String, String)] = []
        for list in lists { for (id, name) in list where !out.contains(where: { $0.0 == id }) { out.append((id, name)) } }
        return out
    }

    /// `path=value` → (path, value), both trimmed.
    static func split(_ text: String) -> (String, String) {
        guard let eq = text.firstIndex(of: "=") else { return (text, "") }
        return (String(text[..<eq]).trimmingCharacters(in: .whitespaces),
                String(text[text.index(after: eq)...]).trimmingCharacters(in: .whitespaces))
    }
}

/// The "Key assumptions" box at the top of report.html (run, compare, sweep, and the reports of
/// new commands): a compact table of ``KeyAssumptions`` with each value's source — FACTS
/// sections, or "assumption" with the comment's reason, an override, a default — and, with several
/// scenarios, one column per scenario and the values that differ highlighted. Also a few lines
/// for the console.
public enum AssumptionsBox {
    /// The box as HTML (well-formed XML, inline styles, no script); "" when there is nothing to show.
    public static func html(_ a: KeyAssumptions, language: ReportLanguage) -> String {
        guard !a.rows.isEmpty, !a.names.isEmpty else { return "" }
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        let several = a.names.count > 1
        var out = "<section class=\"assumptions\" style=\"border: 1px solid #0072B2; border-left: 5px solid #0072B2; "
            + "border-radius: 6px; background: #f5f8fb; padding: 8px 16px; margin: 16px 0;\">"
        out += "<h2 style=\"margin-top: 6px;\">\(HTML.esc(da ? "Centrale antagelser" : "Key assumptions"))</h2>"
        let intro = da
            ? "Resultaterne hviler på disse værdier. Sagstallets effekter og metodernes virkning er antagelser, ikke målte effekter, medmindre et FACTS-afsnit er angivet; variér dem (--set, sweep) for at se, hvor konklusionen skifter. Kilden til hver værdi i scenariet står i summary.json under \"sources\"."
            : "The results rest on these values. The caseload effects and the methods' effects are assumptions, not measured effects, unless a FACTS section is given; vary them (--set, sweep) to see where the conclusion changes. The source of every value of the scenario is in summary.json under \"sources\"."
        out += "<p style=\"margin-top: 0;\">\(HTML.esc(intro))</p>"
        out += "<div class=\"scroll\"><table class=\"data assumptions\" style=\"width: 100%;\"><thead><tr>"
        out += "<th scope=\"col\" style=\"width: \(several ? 22 : 25)%;\">\(HTML.esc(da ? "Antagelse" : "Assumption"))</th>"
        let valueWidth = several ? max(10, 36 / a.names.count) : 16
        if several {
            for (name, title) in zip(a.names, a.titles) {
                out += "<th scope=\"col\" style=\"width: \(valueWidth)%;\">\(HTML.esc(title))<br/>"
                    + "<span style=\"font-weight: 400; color: #4a4a4a;\">\(HTML.esc(name))</span></th>"
            }
        } else {
            out += "<th scope=\"col\" style=\"width: \(valueWidth)%;\">\(HTML.esc(da ? "Værdi" : "Value"))</th>"
        }
        out += "<th scope=\"col\">\(HTML.esc(da ? "Kilde" : "Source"))</th></tr></thead><tbody>"
        let columns = a.names.count + 2
        // Consecutive rows of a group with the same source share one source cell.
        let cells = a.rows.map { sourceCell($0, names: a.names, language: language) }
        var span = Array(repeating: 1, count: a.rows.count)
        var k = a.rows.count - 1
        while k > 0 {
            if a.rows[k].group == a.rows[k - 1].group, cells[k] == cells[k - 1] {
                span[k - 1] = span[k] + 1
                span[k] = 0
            }
            k -= 1
        }
        for (i, row) in a.rows.enumerated() {
            if i == 0 || row.group != a.rows[i - 1].group {
                out += "<tr><th colspan=\"\(columns)\" scope=\"colgroup\" style=\"padding-top: 10px; color: #0072B2;\">"
                    + HTML.esc(groupTitle(row.group, language)) + "</th></tr>"
            }
            let differs = several && row.differs
            out += "<tr>"
            out += "<th scope=\"row\" style=\"white-space: normal;\">\(HTML.esc(label(row.label, language)))</th>"
            for v in row.values {
                let style = differs ? " style=\"background: #fff1c2; font-weight: 650;\"" : ""
                out += "<td\(style)>\(HTML.esc(text(v, nf, language, label: row.label)))</td>"
            }
            if span[i] > 0 {
                out += "<td\(span[i] > 1 ? " rowspan=\"\(span[i])\"" : "")>\(cells[i])</td>"
            }
            out += "</tr>"
        }
        out += "</tbody></table></div>"
        if several, a.rows.contains(where: \.differs) {
            out += "<p class=\"note\"><span style=\"background: #fff1c2; font-weight: 650; padding: 0 4px;\">"
                + HTML.esc(da ? "Fremhævet" : "Highlighted") + "</span> "
                + HTML.esc(da ? "værdier er forskellige i scenarierne." : "values differ between the scenarios.") + "</p>"
        }
        return out + "</section>"
    }

    /// A few lines for the console (run, compare): the caseload effect, the follow-ups'
    /// elasticities, the methods and the overrides, each with its source in short; with several
    /// scenarios, each one's values where they differ. Empty when there is nothing to show.
    public static func console(_ a: KeyAssumptions, language: ReportLanguage) -> String {
        guard !a.rows.isEmpty, !a.names.isEmpty else { return "" }
        let nf = ReportNumberFormatter(language)
        let da = language == .da
        /// The rows' values in one scenario: `escalate 0.3, deescalate 0.2 at reference 40 children`.
        func values(_ rows: [KeyAssumptions.Row], _ column: Int) -> String {
            var parts: [String] = []
            var reference = ""
            for r in rows {
                let v = r.values[column]
                if case .absent = v { continue }
                if case .reference = r.label { reference = (da ? " ved reference " : " at reference ") + text(v, nf, language); continue }
                if case .followUp = r.label { parts.append((da ? "elasticitet " : "elasticity ") + text(v, nf, language)); continue }
                parts.append("\(shortLabel(r.label, language)) \(text(v, nf, language))")
            }
            return parts.joined(separator: ", ") + reference
        }
        func perScenario(_ rows: [KeyAssumptions.Row]) -> String {
            if a.names.count == 1 || !rows.contains(where: \.differs) { return values(rows, 0) }
            return a.names.indices.map { "\(a.names[$0]): \(values(rows, $0))" }.joined(separator: "; ")
        }
        /// The first source that is not a default: `assumption (FACTS §5, §6)`, `FACTS §4`, `--set`.
        func sourceText(_ rows: [KeyAssumptions.Row]) -> String {
            let known = rows.flatMap { $0.sources.compactMap { $0 } }
            if known.isEmpty { return da ? "ingen kilde" : "no source" }
            guard let s = known.first(where: { $0.kind != .default }) else { return da ? "standardværdi" : "default" }
            if s.kind == .override {
                switch s.file {
                case "<--vary>": return da ? "varieret (--vary)" : "varied (--vary)"
                case "<compare>": return da ? "udgangspunktets (compare)" : "the baseline's (compare)"
                default: return da ? "sat med --set" : "set with --set"
                }
            }
            var t = kindText(s, language)
            if s.kind == .assumption, !s.sections.isEmpty { t += " (FACTS \(s.sections.joined(separator: ", ")))" }
            return t
        }
        var lines = [da ? "Centrale antagelser (kilderne står i report.html og summary.json):"
                        : "Key assumptions (sources in report.html and summary.json):"]
        let effects = a.rows.filter { $0.group == .caseloadEffects }
        let elasticities = effects.filter { if case .elasticity = $0.label { return true }; return false }
        let reference = effects.filter { if case .reference = $0.label { return true }; return false }
        var source = sourceText(elasticities)
        let referenceSource = sourceText(reference)
        if referenceSource != source { source += "; reference: " + referenceSource }
        lines.append("  " + (da ? "sagstallets effekt" : "caseload effect") + ": " + perScenario(elasticities + reference) + " — " + source)
        for r in effects {
            guard case .followUp(let name) = r.label else { continue }
            lines.append("  " + (da ? "forsømte \(name)" : "missed \(name)") + ": " + perScenario([r]) + " — " + sourceText([r]))
        }
        let methods = a.rows.filter { r in
            r.group == .methods && r.values.contains { if case .multipliers(let m) = $0 { return !m.isEmpty }; return false }
        }
        if methods.isEmpty {
            lines.append("  " + (da ? "metoder: ingen (alle multiplikatorer 1)" : "methods: none (every multiplier 1)"))
        }
        for r in methods {
            var v: String
            if a.names.count == 1 || !r.differs {
                v = text(r.values[0], nf, language)
            } else {
                // One method in some scenarios and none in the others: name where it is.
                let with = r.values.indices.filter { i in
                    if case .multipliers(let m) = r.values[i] { return !m.isEmpty }; return false
                }
                if Set(with.map { r.values[$0] }).count == 1, let first = with.first {
                    v = text(r.values[first], nf, language) + " (" + (da ? "kun " : "only ") + with.map { a.names[$0] }.joined(separator: ", ") + ")"
                } else {
                    v = a.names.indices.map { "\(a.names[$0]): \(text(r.values[$0], nf, language, label: r.label))" }.joined(separator: "; ")
                }
            }
            lines.append("  \(consoleLabel(r.label, language)): \(v) — \(sourceText([r]))")
        }
        let overrides = a.rows.filter { $0.group == .overrides || $0.group == .varied }
        if !overrides.isEmpty {
            lines.append("  " + (da ? "sat på kommandolinjen" : "set on the command line") + ": "
                         + overrides.compactMap { $0.sources.first??.comment }.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }

    static func consoleLabel(_ l: KeyAssumptions.Label, _ language: ReportLanguage) -> String {
        let da = language == .da
        switch l {
        case .teamMethod(let team): return da ? "metode, \(team)" : "method, \(team)"
        case .methodChange(let at, let team): return da ? "metode fra \(at), \(team)" : "method from \(at), \(team)"
        default: return label(l, language)
        }
    }

    // MARK: Pieces

    static func groupTitle(_ g: KeyAssumptions.Group, _ language: ReportLanguage) -> String {
        let da = language == .da
        switch g {
        case .caseloadEffects:
            return da ? "Sagstallets effekter: ved x = sagstal / reference ganges optrapninger og varigheder med x^e, nedtrapninger og afslutninger med x^−e"
                      : "Caseload effects: at x = caseload / reference, escalations and stay lengths are × x^e, de-escalations and closures × x^−e"
        case .methods: return da ? "Metoder (multiplikatorer på sandsynlighederne)" : "Methods (multipliers of the probabilities)"
        case .overrides: return da ? "Ændret på kommandolinjen (--set)" : "Set on the command line (--set)"
        case .varied: return da ? "Varieret" : "Varied"
        }
    }

    static func label(_ l: KeyAssumptions.Label, _ language: ReportLanguage) -> String {
        let da = language == .da
        switch l {
        case .reference: return da ? "Referencesagstal (x = 1)" : "Reference caseload (x = 1)"
        case .elasticity(let k):
            switch k {
            case "escalate": return da ? "Optrapninger (elasticitet)" : "Escalations (elasticity)"
            case "deescalate": return da ? "Nedtrapninger (elasticitet)" : "De-escalations (elasticity)"
            case "close": return da ? "Afslutninger (elasticitet)" : "Closures (elasticity)"
            default: return da ? "Varigheder (elasticitet)" : "Stay lengths (elasticity)"
            }
        case .followUp(let name): return da ? "Forsømte \(name) (elasticitet)" : "Missed \(name) (elasticity)"
        case .overloadTurnover: return da ? "Personaleomsætning ved overbelastning (elasticitet)" : "Turnover when overloaded (elasticity)"
        case .teamMethod(let team): return da ? "Metode: \(team)" : "Method: \(team)"
        case .teamsWithoutMethod(let teams):
            return (da ? "Uden metode: " : "No method: ") + teams.joined(separator: ", ")
        case .methodChange(let at, let team): return da ? "Fra \(at): \(team)" : "From \(at): \(team)"
        case .path(let p): return p
        }
    }

    static func shortLabel(_ l: KeyAssumptions.Label, _ language: ReportLanguage) -> String {
        let da = language == .da
        switch l {
        case .reference: return da ? "reference" : "reference"
        case .elasticity(let k): return multiplierName(k, language)
        case .followUp(let name): return da ? "forsømte \(name)" : "missed \(name)"
        default: return label(l, language)
        }
    }

    static func multiplierName(_ key: String, _ language: ReportLanguage) -> String {
        guard language == .da else { return key }
        switch key {
        case "escalate": return "optrapning"
        case "deescalate": return "nedtrapning"
        case "close": return "afslutning"
        default: return "varighed"
        }
    }

    static func text(_ v: KeyAssumptions.Value, _ nf: ReportNumberFormatter, _ language: ReportLanguage,
                     label: KeyAssumptions.Label? = nil) -> String {
        let da = language == .da
        switch v {
        case .absent:
            switch label {
            case .methodChange?: return da ? "ingen ændring" : "no change"
            case .teamMethod?, .teamsWithoutMethod?: return da ? "intet sådant team" : "no such team"
            default: return "–"
            }
        case .number(let x): return nf.compact(x)
        case .caseload(let x, let families):
            return "\(nf.compact(x)) " + (families ? (da ? "familier" : "families") : (da ? "børn" : "children"))
        case .multipliers(let m):
            if m.isEmpty { return da ? "ingen (alle × 1)" : "none (all × 1)" }
            return m.map { "\(multiplierName($0.name, language)) × \(nf.compact($0.value))" }.joined(separator: ", ")
        case .text(let s): return s
        }
    }

    static func kindText(_ s: ValueSource, _ language: ReportLanguage) -> String {
        let da = language == .da
        switch s.kind {
        case .facts: return "FACTS " + s.sections.joined(separator: ", ")
        case .assumption: return da ? "antagelse" : "assumption"
        case .override:
            switch s.file {
            case "<--vary>": return "--vary"
            case "<compare>": return "compare"
            default: return "--set"
            }
        case .default: return da ? "standardværdi" : "default"
        case .comment: return da ? "kommentar" : "comment"
        case .undocumented: return da ? "ingen kilde" : "no source"
        }
    }

    static func kindColour(_ k: ValueSource.Kind) -> String {
        switch k {
        case .facts: return "#009E73"
        case .assumption: return "#D55E00"
        case .override: return "#CC79A7"
        case .default, .comment, .undocumented: return "#7F7F7F"
        }
    }

    /// One source: a coloured tag (FACTS §…, assumption, --set, default), the reason, the place.
    static func sourceHTML(_ s: ValueSource, language: ReportLanguage) -> String {
        let da = language == .da
        var out = "<span style=\"display: inline-block; padding: 0 6px; border-radius: 4px; color: #ffffff; "
            + "background: \(kindColour(s.kind)); font-size: 0.78rem; font-weight: 600; white-space: nowrap;\">"
            + HTML.esc(kindText(s, language)) + "</span>"
        if s.kind == .assumption, !s.sections.isEmpty {
            out += " <span style=\"font-size: 0.8rem; color: #4a4a4a;\">(FACTS \(HTML.esc(s.sections.joined(separator: ", "))))</span>"
        }
        switch s.kind {
        case .default:
            out += " " + HTML.esc(da ? "ingen fil sætter værdien (docs/model-reference.md §7)" : "no file sets it (docs/model-reference.md §7)")
        case .undocumented:
            out += " " + HTML.esc(da ? "sat uden kommentar" : "set without a comment")
        case .override:
            out += " <code>\(HTML.esc(s.comment))</code>"
        default:
            let reason = s.reason()
            if !reason.isEmpty {
                out += " <span title=\"\(HTML.esc(ValueSource.joinedLines(s.comment)))\">\(HTML.esc(reason))</span>"
            }
        }
        if let file = s.file, s.kind != .override {
            out += " <span style=\"font-size: 0.8rem; color: #4a4a4a; white-space: nowrap;\">"
                + HTML.esc(URL(fileURLWithPath: file).lastPathComponent + (s.line.map { ":\($0)" } ?? "")) + "</span>"
        }
        return out
    }

    /// The source cell of a row: one source when every scenario has the same, else one per scenario.
    static func sourceCell(_ row: KeyAssumptions.Row, names: [String], language: ReportLanguage) -> String {
        let present = row.sources.enumerated().compactMap { i, s in s.map { (i, $0) } }
        guard let first = present.first?.1 else { return "–" }
        func same(_ a: ValueSource, _ b: ValueSource) -> Bool {
            a.kind == b.kind && a.file == b.file && a.line == b.line && a.comment == b.comment
        }
        if present.allSatisfy({ same($0.1, first) }) { return sourceHTML(first, language: language) }
        return present.map { i, s in
            "<strong>\(HTML.esc(i < names.count ? names[i] : "#\(i)"))</strong>: " + sourceHTML(s, language: language)
        }.joined(separator: "<br/>")
    }
}
