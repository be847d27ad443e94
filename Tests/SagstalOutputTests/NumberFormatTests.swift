import Foundation
import Testing
@testable import SagstalOutput

/// The CSV/JSON number format written on bytes (issue 15) against the implementation it replaced:
/// `String(format: "%.12g")`, parsed back and printed shortest.
@Suite struct NumberFormatTests {
    /// The old `NumberFormat.csv`, kept here as the reference.
    static func referenceCSV(_ x: Double) -> String? {
        guard let short = referenceExact(x) else { return nil }
        guard short.filter(\.isNumber).count > 12, let rounded = Double(String(format: "%.12g", x)) else { return short }
        return referenceExact(rounded)
    }

    static func referenceExact(_ x: Double) -> String? {
        guard x.isFinite else { return nil }
        if x == x.rounded(.towardZero) && Swift.abs(x) < 9_007_199_254_740_992 { return String(Int64(x)) }
        return x.description
    }

    /// A deterministic generator (SplitMix64), so a failure can be reproduced.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Values of every kind: random bit patterns (all magnitudes, subnormals), decimal-looking
    /// values k/10ʲ, integers around 10¹² … 2⁵³ … 10¹⁶, 13-digit decimal ties and their
    /// neighbours (the halfway cases of the rounding), sums and ratios.
    static func values(_ n: Int) -> [Double] {
        var g = SplitMix(state: 20_261_203)
        var out: [Double] = [0, -0.0, 1e-4, 1e-4.nextDown, 1e-4.nextUp, 9.999999999995e-5, 9_007_199_254_740_992,
                             9_007_199_254_740_991, 9_007_199_254_740_994, 1e16, 9.007199254745e15, 0.1 + 0.2,
                             31.049999999999997, 0.0312500000000004, 5e-324, .greatestFiniteMagnitude,
                             -.greatestFiniteMagnitude, 999_999_999_999.5, 9_999_999_999_995, 1e12, 123_456_789_012.5,
                             0.5, 2.5, 1e22, 1e-300, 1.5e-5, -1.5e-7]
        for _ in 0..<n {
            out.append(Double(bitPattern: g.next()))
            let m = Double.random(in: 1..<10, using: &g) * pow(10, Double(Int.random(in: -30...25, using: &g)))
            out.append(m)
            out.append(-m)
            out.append(Double(Int64.random(in: -10_000_000_000_000...10_000_000_000_000, using: &g))
                / pow(10, Double(Int.random(in: 0...16, using: &g))))
            out.append(Double(Int64.random(in: -(1 << 54)...(1 << 54), using: &g)))
            let tie = (Double(Int64.random(in: 100_000_000_000...999_999_999_999, using: &g)) + 0.5)
                * pow(10, Double(Int.random(in: -20...8, using: &g)))
            out += [tie, tie.nextUp, tie.nextDown]
            let s = Double.random(in: 0..<1000, using: &g)
            out += [s, s / 3, s * 0.1]
        }
        return out.flatMap { [$0, $0.nextUp, $0.nextDown] }
    }

    @Test func csvIsTheOldFormatOnManyValues() {
        var differ: [Double] = []
        for x in Self.values(4_000) where NumberFormat.csv(x) != Self.referenceCSV(x) {
            differ.append(x)
        }
        #expect(differ.isEmpty, "first: \(differ.prefix(5).map { "\($0.bitPattern) \(Self.referenceCSV($0) ?? "nil") vs \(NumberFormat.csv($0) ?? "nil")" })")
    }

    @Test func nonFiniteIsAnEmptyCell() {
        for x in [Double.nan, .infinity, -.infinity] {
            #expect(NumberFormat.csv(x) == nil)
            var out: [UInt8] = [1]
            NumberFormat.appendCSV(x, to: &out)
            #expect(out == [1])
            #expect(NumberFormat.json(x) == "null")
        }
    }

    @Test func excelDialectHasDecimalCommaAndUpperCaseExponent() {
        for x in Self.values(300) {
            let standard = CSVDialect.standard.cell(x)
            let expected = String(standard.map { $0 == "." ? "," : ($0 == "e" ? "E" : $0) })
            var out: [UInt8] = []
            CSVDialect.excelDa.appendCell(x, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == expected)
            #expect(CSVDialect.excelDa.cell(x) == expected)
        }
    }

    @Test func jsonBytesAreTheShortestForm() {
        for x in Self.values(1_000) {
            var out: [UInt8] = []
            NumberFormat.appendJSON(x, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == (Self.referenceExact(x) ?? "null"))
        }
    }

    @Test func integersAsSwiftPrintsThem() {
        var g = SplitMix(state: 7)
        let values: [Int64] = [.min, .max, 0, -1, 9, 10, -10, 99, 100, 999_999_999_999, 1_000_000_000_000]
            + (0..<20_000).map { _ in Int64(bitPattern: g.next()) >> Int64.random(in: 0...63, using: &g) }
        for v in values {
            var out: [UInt8] = []
            NumberFormat.appendInteger(v, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(v))
        }
    }

    /// The JSON string escapes on bytes, against the old per-scalar rules.
    @Test func jsonStringsEscapeAsBefore() {
        func reference(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F {
                        let hex = String(scalar.value, radix: 16, uppercase: false)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        }
        let texts = ["", "plain", "Brønderslev æøå ÆØÅ", "quote \" backslash \\ slash /", "tab\tnl\ncr\r\r\n",
                     "\u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}\u{7f}\u{80}", "e\u{301} 🇩🇰 – § …", String((0..<128).map { Character(Unicode.Scalar($0)!) })]
        for t in texts {
            #expect(JSONValue.string(t).prettyPrinted() == reference(t) + "\n")
        }
    }
}
