#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How sagstal prints numbers in JSON and CSV.
///
/// The CSV form used to be computed with Foundation's `String(format: "%.12g")`, a parse and a
/// second shortest-form print per cell (≈ 8,000 instructions a cell, half of a small run's
/// instructions). It is now computed from the shortest digits Swift prints anyway, rounded in
/// decimal, and written straight into a byte buffer; the characters are the same (see
/// ``csv(_:)`` for why, and `NumberFormatTests`, which compare both on millions of values).
public enum NumberFormat {
    /// A number for JSON: `null` unless finite; integral values below 2⁵³ in
    /// magnitude without a fraction (`3`, not `3.0`); otherwise Swift's shortest
    /// round-trip representation (`0.1`, `1e-05`, `1e+16`), which is valid JSON: a program
    /// reading summary.json gets every value back bit for bit.
    public static func json(_ x: Double) -> String {
        exact(x) ?? "null"
    }

    /// ``json(_:)`` appended to `out` as UTF-8.
    public static func appendJSON(_ x: Double, to out: inout [UInt8]) {
        guard x.isFinite else { out.append(contentsOf: nullBytes); return }
        if x == x.rounded(.towardZero) && Swift.abs(x) < twoTo53 {
            appendInteger(Int64(x), to: &out)
        } else {
            out.append(contentsOf: x.description.utf8)
        }
    }

    /// A number for CSV (read by people and spreadsheets), or `nil` (an empty cell) unless
    /// finite: as ``json(_:)`` but with at most 12 significant digits, so the last bits of
    /// floating-point noise from sums, ratios and interpolated percentiles do not show (`31.05`,
    /// not `31.049999999999997`; `0.03125`, not `0.0312500000000004`); a relative precision of
    /// 10⁻¹², far below any Monte Carlo error.
    ///
    /// Precisely: the shortest round-trip form (as ``exact(_:)``) of the double nearest to `x`
    /// correctly rounded to 12 significant digits (C's `%.12g`). Computed without `printf`: the
    /// shortest digits D of `x` are rounded to 12 digits in decimal. That gives the same digits as
    /// rounding the binary value, because no 13-digit rounding midpoint can lie strictly between
    /// `x` and D (it would be a shorter or closer round-trip form than D); only when D itself ends
    /// in such a midpoint (13 digits, the last a 5) is the binary value needed, and then `snprintf`
    /// decides. The rounded value R has ≤ 12 digits, so the double nearest to R prints as R again.
    public static func csv(_ x: Double) -> String? {
        guard x.isFinite else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(24)
        appendCSV(x, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``csv(_:)`` of a finite `x` to `out`; with `excel`, the decimal point is a comma and
    /// the exponent an upper-case `E` (``CSVDialect/excelDa``). Appends nothing unless `x` is finite.
    public static func appendCSV(_ x: Double, to out: inout [UInt8], excel: Bool = false) {
        guard x.isFinite else { return }
        let start = out.count
        appendCSVStandard(x, to: &out)
        if excel {
            for i in start..<out.count {
                if out[i] == UInt8(ascii: ".") { out[i] = UInt8(ascii: ",") }
                else if out[i] == UInt8(ascii: "e") { out[i] = UInt8(ascii: "E") }
            }
        }
    }

    /// Swift's shortest round-trip form (integral values below 2⁵³ without a fraction), or nil
    /// unless finite.
    public static func exact(_ x: Double) -> String? {
        guard x.isFinite else { return nil }
        if x == x.rounded(.towardZero) && Swift.abs(x) < twoTo53 { return String(Int64(x)) }
        return x.description
    }

    // MARK: - Implementation

    static let twoTo53 = 9_007_199_254_740_992.0
    private static let nullBytes: [UInt8] = Array("null".utf8)
    /// The 16 digits of 2⁵³.

    static func appendInteger(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 { out.append(UInt8(ascii: "-")) }
        let m = v.magnitude
        if m < 10 { out.append(UInt8(truncatingIfNeeded: m) + 48); return }
        var k = 1   // digits of m (m < 2⁶³ < 10¹⁹)
        while k < 19 && m >= powersOf10[k] { k += 1 }
        appendDigits(m, count: k, to: &out)
    }

    /// A decimal 0.d₁d₂…d_k × 10^exponent: the k ≤ 19 significant digits as one integer
    /// (`mantissa`, no trailing zero; 0 with k = 0 for zero).
    private struct Decimal {
        var negative: Bool
        var mantissa: UInt64
        var count: Int
        var exponent: Int
    }

    private static let powersOf10: [UInt64] = (0...19).map { n in (0..<n).reduce(UInt64(1)) { r, _ in r * 10 } }

    private static func appendCSVStandard(_ x: Double, to out: inout [UInt8]) {
        var d: Decimal
        if x == x.rounded(.towardZero) && Swift.abs(x) < twoTo53 {
            let v = Int64(x)
            if v.magnitude < 1_000_000_000_000 { appendInteger(v, to: &out); return }   // ≤ 12 digits
            var m = v.magnitude
            var k = 0
            while m >= powersOf10[k] && k < 19 { k += 1 }
            d = Decimal(negative: v < 0, mantissa: m, count: k, exponent: k)
            while d.mantissa % 10 == 0 { d.mantissa /= 10; d.count -= 1 }
            m = 0
        } else {
            let short = x.description
            guard let parsed = parse(short) else { fallback(x, to: &out); return }
            if parsed.count <= 12 { out.append(contentsOf: short.utf8); return }
            d = parsed
        }
        if d.count > 12 {
            let drop = d.count - 12
            let unit = powersOf10[drop]
            let rest = d.mantissa % unit
            let half = unit / 2
            if rest == half && drop == 1 { fallback(x, to: &out); return }   // a decimal tie (13 digits, the last a 5): ask printf
            var q = d.mantissa / unit
            if rest >= half { q += 1 }   // rest == half only with more digits after the 5: above the tie
            d.count = 12
            if q == powersOf10[12] { q = 1; d.count = 1; d.exponent += 1 }
            while q % 10 == 0 && d.count > 1 { q /= 10; d.count -= 1 }
            d.mantissa = q
        }
        appendShortest(d, to: &out)
    }

    /// The digits of Swift's `description` of a finite, non-zero double (`123.45`, `1.5e-05`,
    /// `9007199254740992.0`), or nil if it has another shape or more than 19 significant digits.
    private static func parse(_ s: String) -> Decimal? {
        var s = s
        return s.withUTF8 { parse(bytes: $0) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Decimal? {
        var negative = false
        var mantissa: UInt64 = 0
        var count = 0                // significant digits so far (trailing zeros included)
        var pointAt: Int? = nil      // number of digits (leading zeros included) before the point
        var seen = 0                 // digits seen, leading zeros included
        var leadingZeros = 0
        var exp = 0
        var expSign = 1
        var inExponent = false
        var expDigits = 0
        var first = true
        for b in bytes {
            if inExponent {
                if first && (b == UInt8(ascii: "+") || b == UInt8(ascii: "-")) {
                    expSign = b == UInt8(ascii: "-") ? -1 : 1
                } else if b >= 48 && b <= 57 {
                    exp = exp * 10 + Int(b - 48); expDigits += 1
                    if expDigits > 4 { return nil }
                } else { return nil }
                first = false
                continue
            }
            switch b {
            case UInt8(ascii: "-") where first: negative = true
            case UInt8(ascii: "."): if pointAt != nil { return nil }; pointAt = seen
            case UInt8(ascii: "e"): inExponent = true; first = true; continue
            case 48...57:
                if count == 0 && b == 48 {
                    leadingZeros += 1
                } else {
                    count += 1
                    if count > 19 { return nil }
                    mantissa = mantissa * 10 + UInt64(b - 48)
                }
                seen += 1
            default: return nil
            }
            first = false
        }
        if inExponent && expDigits == 0 { return nil }
        guard count > 0 else { return nil }
        // value = 0.(all digits) × 10^(pointAt) × 10^exp; leading zeros shift the exponent down.
        let point = pointAt ?? seen
        while mantissa % 10 == 0 { mantissa /= 10; count -= 1 }
        return Decimal(negative: negative, mantissa: mantissa, count: count, exponent: point - leadingZeros + expSign * exp)
    }

    /// The `count` digits of `mantissa` (leading digit non-zero) appended to `out`.
    private static func appendDigits(_ mantissa: UInt64, count: Int, to out: inout [UInt8]) {
        var p = powersOf10[count - 1]
        var m = mantissa
        while p > 0 {
            out.append(UInt8(truncatingIfNeeded: m / p) + 48)
            m %= p
            p /= 10
        }
    }

    /// Swift's `exact` form of the double nearest to `d` (k ≤ 12 digits, so that double prints
    /// with exactly these digits): an integer below 2⁵³ without a fraction; otherwise as
    /// `Double.description` — exponential (`1.5e-05`, `1e+16`) below 10⁻⁴ or above 2⁵³, decimal
    /// (`0.00012`, `123.5`) between.
    private static func appendShortest(_ d: Decimal, to out: inout [UInt8]) {
        let k = d.count
        if k == 0 { out.append(UInt8(ascii: "0")); return }
        // |R| against 2⁵³ (only close when the exponent is 16): compare the 16-digit integers.
        var above53 = d.exponent > 16
        if d.exponent == 16 { above53 = d.mantissa * powersOf10[16 - k] > 9_007_199_254_740_992 }
        let integral = d.exponent >= k
        if d.negative { out.append(UInt8(ascii: "-")) }
        if integral && !above53 {
            appendDigits(d.mantissa, count: k, to: &out)
            for _ in 0..<(d.exponent - k) { out.append(UInt8(ascii: "0")) }
            return
        }
        if above53 || d.exponent < -3 {
            let start = out.count
            appendDigits(d.mantissa, count: k, to: &out)
            if k > 1 { out.insert(UInt8(ascii: "."), at: start + 1) }
            out.append(UInt8(ascii: "e"))
            let e = d.exponent - 1
            out.append(e < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let m = Swift.abs(e)
            if m < 10 { out.append(UInt8(ascii: "0")) }
            appendInteger(Int64(m), to: &out)
            return
        }
        if d.exponent <= 0 {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "."))
            for _ in 0..<(-d.exponent) { out.append(UInt8(ascii: "0")) }
            appendDigits(d.mantissa, count: k, to: &out)
        } else {
            // 0 < exponent < k (integral values are handled above)
            let start = out.count
            appendDigits(d.mantissa, count: k, to: &out)
            out.insert(UInt8(ascii: "."), at: start + d.exponent)
        }
    }

    /// The old way, for the rare decimal ties: `%.12g` by the C library (correctly rounded from
    /// the binary value), parsed back, printed shortest.
    private static func fallback(_ x: Double, to out: inout [UInt8]) {
        var buf = [CChar](repeating: 0, count: 64)
        _ = withVaList([x]) { args in
            buf.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, 64, "%.12g", args) }
        }
        let rounded = buf.withUnsafeBufferPointer { strtod($0.baseAddress!, nil) }
        out.append(contentsOf: (exact(rounded) ?? "").utf8)
    }
}
