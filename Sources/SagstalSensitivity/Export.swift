/// The text of a sensitivity output folder in the layout `Benchmarks/salib_crosscheck.py check`
/// reads: `sample.csv`, `results.csv` and `sensitivity.json` (the key spec is at the top of that
/// script and in docs/sensitivity-methods.md). Numbers are written in Swift's shortest
/// round-trip form, so a reader gets the same doubles back.
///
/// These functions only build the text; writing it (atomically, into the output folder) is the
/// caller's.
public enum SensitivityExport {
    /// `row,<factor 1>,…,<factor D>`, one line per sample row, `row` from 0.
    public static func sampleCSV(factors: [FactorRange], sample: [[Double]]) -> String {
        var s = "row," + factors.map { csvField($0.name) }.joined(separator: ",") + "\n"
        for (i, x) in sample.enumerated() {
            s += "\(i)," + x.map(number).joined(separator: ",") + "\n"
        }
        return s
    }

    /// `row,<output 1>,…,<output K>`; `outputs[k]` is output k's value per row.
    /// - Precondition: every `outputs[k]` has the same count.
    public static func resultsCSV(names: [String], outputs: [[Double]]) -> String {
        precondition(names.count == outputs.count, "one name per output")
        let rows = outputs.first?.count ?? 0
        precondition(outputs.allSatisfy { $0.count == rows }, "every output needs one value per row")
        var s = "row," + names.map(csvField).joined(separator: ",") + "\n"
        for i in 0..<rows {
            s += "\(i)," + outputs.map { number($0[i]) }.joined(separator: ",") + "\n"
        }
        return s
    }

    /// `sensitivity.json` of a Sobol analysis: method, factors, baseSamples, bootstrap,
    /// confidence, seed, and per output S1, S1_lo, S1_hi, S1_conf, ST, ST_lo, ST_hi, ST_conf.
    public static func sobolJSON(factors: [FactorRange], outputs: [(name: String, indices: SobolIndices)]) -> String {
        let first = outputs.first?.indices
        var s = "{\n  \"method\": \"sobol\",\n  \"factors\": \(factorsJSON(factors)),\n"
        s += "  \"baseSamples\": \(first?.baseSamples ?? 0),\n"
        s += "  \"evaluations\": \(first?.evaluations ?? 0),\n"
        s += common(bootstrap: first?.bootstrap, confidence: first?.confidence, seed: first?.seed)
        s += "  \"outputs\": [\n"
        s += outputs.map { o -> String in
            let x = o.indices
            return "    {\"name\": \(string(o.name)),\n"
                + "     \"S1\": \(list(x.firstOrder)), \"S1_lo\": \(list(x.firstOrderCI.map(\.lo))), "
                + "\"S1_hi\": \(list(x.firstOrderCI.map(\.hi))), \"S1_conf\": \(list(x.firstOrderConf)),\n"
                + "     \"ST\": \(list(x.totalOrder)), \"ST_lo\": \(list(x.totalOrderCI.map(\.lo))), "
                + "\"ST_hi\": \(list(x.totalOrderCI.map(\.hi))), \"ST_conf\": \(list(x.totalOrderConf)),\n"
                + "     \"mean\": \(number(x.mean)), \"variance\": \(number(x.variance))}"
        }.joined(separator: ",\n")
        s += "\n  ]\n}\n"
        return s
    }

    /// `sensitivity.json` of a Morris analysis: method, factors, trajectories, levels, bootstrap,
    /// confidence, seed, and per output mu, mu_star, sigma, mu_star_lo, mu_star_hi, mu_star_conf.
    public static func morrisJSON(factors: [FactorRange], outputs: [(name: String, indices: MorrisIndices)]) -> String {
        let first = outputs.first?.indices
        var s = "{\n  \"method\": \"morris\",\n  \"factors\": \(factorsJSON(factors)),\n"
        s += "  \"trajectories\": \(first?.trajectories ?? 0),\n  \"levels\": \(first?.levels ?? 0),\n"
        s += "  \"evaluations\": \(first?.evaluations ?? 0),\n"
        s += common(bootstrap: first?.bootstrap, confidence: first?.confidence, seed: first?.seed)
        s += "  \"outputs\": [\n"
        s += outputs.map { o -> String in
            let x = o.indices
            return "    {\"name\": \(string(o.name)),\n"
                + "     \"mu\": \(list(x.mu)), \"mu_star\": \(list(x.muStar)), \"sigma\": \(list(x.sigma)),\n"
                + "     \"mu_star_lo\": \(list(x.muStarCI.map(\.lo))), \"mu_star_hi\": \(list(x.muStarCI.map(\.hi))), "
                + "\"mu_star_conf\": \(list(x.muStarConf))}"
        }.joined(separator: ",\n")
        s += "\n  ]\n}\n"
        return s
    }

    // MARK: - Formatting

    /// Shortest round-trip decimal; non-finite values (never in valid results) as JSON null.
    static func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }

    static func list(_ xs: [Double]) -> String { "[" + xs.map(number).joined(separator: ", ") + "]" }

    static func common(bootstrap: Int?, confidence: Double?, seed: UInt64?) -> String {
        "  \"bootstrap\": \(bootstrap ?? 0),\n  \"confidence\": \(number(confidence ?? 0)),\n  \"seed\": \(seed ?? 0),\n"
    }

    static func factorsJSON(_ factors: [FactorRange]) -> String {
        "[" + factors.map { "{\"name\": \(string($0.name)), \"lo\": \(number($0.lo)), \"hi\": \(number($0.hi))}" }
            .joined(separator: ", ") + "]"
    }

    /// A JSON string literal.
    static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + String(s.flatMap { $0 == "\"" ? ["\"", "\""] : [$0] }) + "\""
    }
}
