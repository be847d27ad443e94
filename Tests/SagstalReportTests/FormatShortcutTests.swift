import Foundation
import Testing
@testable import SagstalReport

/// The report's formatting shortcuts (issue 15) against the code they replaced.
@Suite struct FormatShortcutTests {
    @Test func f1IsTheOldFormat() {
        func reference(_ x: Double) -> String {
            let r = (x * 10).rounded() / 10
            return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
        }
        var g = SystemRandomNumberGenerator()
        var xs: [Double] = [0, -0.0, 0.05, -0.05, 0.04999, 0.15, -0.15, 0.25, 1.25, -1.25, 12.35, 999.95, -999.95, 1e14, -1e14, 123456789.05]
        for _ in 0..<20_000 {
            xs.append(Double.random(in: -2000...2000, using: &g))
            xs.append(Double(Int.random(in: -20_000...20_000, using: &g)) / 20)
            xs.append(Double.random(in: -1e13...1e13, using: &g))
        }
        for x in xs { #expect(SVGChart.f1(x) == reference(x), "\(x)") }
        #expect(SVGChart.f1(.nan) == reference(.nan))
    }

    @Test func escapingIsUnchanged() {
        func reference(_ s: String) -> String {
            var out = ""
            for ch in s {
                switch ch {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                case "'": out += "&#39;"
                default: out.append(ch)
                }
            }
            return out
        }
        for s in ["", "plain text", "Brønderslev – 95 %", "a & b < c > d \"e\" 'f'", "&\u{301}x", "<svg>", "12.5"] {
            #expect(SVGChart.esc(s) == reference(s))
        }
    }

    /// The old `HTML.keepTogether`, on characters.
    static func referenceKeepTogether(_ html: String) -> String {
        var out = ""
        var skip = 0
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            let text = rest[..<open]
            out += skip > 0 ? String(text) : HTML.keepTogetherText(String(text))
            guard let close = rest[open...].firstIndex(of: ">") else {
                out += rest[open...]
                return out
            }
            let tag = rest[open...close]
            out += tag
            var inner = tag.dropFirst()
            let closing = inner.first == "/"
            if closing { inner = inner.dropFirst() }
            let name = inner.prefix { $0.isLetter || $0.isNumber }.lowercased()
            if ["svg", "pre", "title", "style", "script"].contains(name) && !tag.hasSuffix("/>") {
                skip = Swift.max(0, skip + (closing ? -1 : 1))
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + (skip > 0 ? String(rest) : HTML.keepTogetherText(String(rest)))
    }

    @Test func keepTogetherIsUnchanged() {
        let pieces = ["<p>", "</p>", "95 % CI 12.3 – 14.5", "P5–P95", "1.234–2.345 %", "<svg width=\"3\">", "</svg>",
                      "<SVG>", "</SVG>", "<pre>", "</pre>", "<title>a – b</title>", "<br/>", "<svg/>", "text æøå",
                      "<style>a > b { }</style>", "<!DOCTYPE html>", "-3 – +4", "95 %-KI (parret)", "<td class=\"num\">",
                      "5 – 6", " ", "<", ">", "<unclosed"]
        var g = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let html = (0..<Int.random(in: 0...12, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined()
            #expect(HTML.keepTogether(html) == Self.referenceKeepTogether(html), "\(html)")
        }
    }
}
