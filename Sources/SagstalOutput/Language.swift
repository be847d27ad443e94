import Foundation

/// The language of reports and console tables (`--lang en|da`).
public enum ReportLanguage: String, CaseIterable, Sendable {
    case en
    case da
}

/// Numbers for people to read, in English or Danish.
///
/// | | English | Danish |
/// | --- | --- | --- |
/// | ``number(_:decimals:sign:)`` | `1,234,567.9` | `1.234.567,9` |
/// | ``money(_:sign:)`` | `1,234,568 DKK` | `1.234.568 kr.` |
/// | ``moneyShort(_:sign:)`` | `12.3 million DKK` | `12,3 mio. kr.` |
/// | ``percent(_:decimals:sign:)`` | `12.3 %` | `12,3 %` |
/// | missing (`nil`, NaN, ±∞) | `–` | `–` |
///
/// Rounding is half away from zero; a value that rounds to zero never prints as `-0`;
/// negative numbers start with a hyphen-minus (`-1.235 kr.`), so that a copied number
/// pastes into a spreadsheet as a number. (Named so because Foundation has a `NumberFormatter`.)
public struct ReportNumberFormatter: Sendable, Equatable {
    public let language: ReportLanguage

    /// What a missing value prints as: an en dash.
    public static let missing = "–"

    public init(_ language: ReportLanguage) {
        self.language = language
    }

    /// The thousands separator: `,` or `.`.
    public var groupingSeparator: String { language == .da ? "." : "," }
    /// The decimal separator: `.` or `,`.
    public var decimalSeparator: String { language == .da ? "," : "." }
    /// The currency after an amount: `DKK` or `kr.`.
    public var currency: String { language == .da ? "kr." : "DKK" }

    /// A number with `decimals` decimals and thousands separators.
    ///
    /// - Parameters:
    ///   - x: the number; `nil` or non-finite prints ``missing``.
    ///   - decimals: digits after the decimal separator (0…9).
    ///   - sign: print `+` before positive numbers (for differences).
    public func number(_ x: Double?, decimals: Int = 0, sign: Bool = false) -> String {
        guard let x, x.isFinite else { return Self.missing }
        let d = max(0, min(decimals, 9))
        let scale = pow(10.0, Double(d))
        let scaled = (Swift.abs(x) * scale).rounded(.toNearestOrAwayFromZero)
        var digits: String
        if scaled < 9e15 {
            digits = String(UInt64(scaled))
        } else {
            digits = String(format: "%.0f", scaled)
        }
        if digits.count <= d { digits = String(repeating: "0", count: d - digits.count + 1) + digits }
        let intPart = digits.dropLast(d)
        let fracPart = digits.suffix(d)
        var grouped = ""
        for (i, ch) in intPart.enumerated() {
            if i > 0 && (intPart.count - i) % 3 == 0 { grouped += groupingSeparator }
            grouped.append(ch)
        }
        let body = d > 0 ? grouped + decimalSeparator + fracPart : grouped
        if scaled == 0 { return body }
        if x < 0 { return "-" + body }
        return sign ? "+" + body : body
    }

    /// A number with as many decimals as its size calls for: none from 1,000, one from 10,
    /// two below (as the console tables print).
    public func auto(_ x: Double?, sign: Bool = false) -> String {
        guard let x, x.isFinite else { return Self.missing }
        let a = Swift.abs(x)
        return number(x, decimals: a >= 999.5 ? 0 : (a >= 9.995 ? 1 : 2), sign: sign)
    }

    /// A number without trailing zeros, as a parameter is written: `25`, `0,35`, `1.234,5`
    /// (at most `maxDecimals` decimals).
    public func compact(_ x: Double?, maxDecimals: Int = 3, sign: Bool = false) -> String {
        guard let x, x.isFinite else { return Self.missing }
        var s = number(x, decimals: maxDecimals, sign: sign)
        if maxDecimals > 0 {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(decimalSeparator) { s.removeLast() }
        }
        return s
    }

    /// A share as a percentage without trailing zeros: 0.2 → `20 %`, 0.125 → `12,5 %`.
    public func percentCompact(_ share: Double?, maxDecimals: Int = 1, sign: Bool = false) -> String {
        guard let share, share.isFinite else { return Self.missing }
        return compact(share * 100, maxDecimals: maxDecimals, sign: sign) + " %"
    }

    /// An amount in whole kroner: `1.234.568 kr.` / `1,234,568 DKK`.
    public func money(_ x: Double?, sign: Bool = false) -> String {
        guard let x, x.isFinite else { return Self.missing }
        return number(x, decimals: 0, sign: sign) + " " + currency
    }

    /// An amount, abbreviated from a million: `12,3 mio. kr.` / `12.3 million DKK`,
    /// `1,23 mia. kr.` / `1.23 billion DKK`; smaller amounts as ``money(_:sign:)``.
    public func moneyShort(_ x: Double?, sign: Bool = false) -> String {
        guard let x, x.isFinite else { return Self.missing }
        let a = Swift.abs(x)
        if a >= 999_500_000 {
            return number(x / 1e9, decimals: 2, sign: sign) + (language == .da ? " mia. kr." : " billion DKK")
        }
        if a >= 999_500 {
            return number(x / 1e6, decimals: 1, sign: sign) + (language == .da ? " mio. kr." : " million DKK")
        }
        return money(x, sign: sign)
    }

    /// A share as a percentage: 0.123 → `12,3 %` / `12.3 %`.
    public func percent(_ share: Double?, decimals: Int = 1, sign: Bool = false) -> String {
        guard let share, share.isFinite else { return Self.missing }
        return number(share * 100, decimals: decimals, sign: sign) + " %"
    }

    /// A metric's value in its unit (see ``Localizer/unit(of:)``): amounts abbreviated
    /// (``moneyShort(_:sign:)``) or in whole kroner (`short: false`), shares as percentages,
    /// everything else by ``auto(_:sign:)``.
    public func value(_ x: Double?, metric: String, short: Bool = true, sign: Bool = false) -> String {
        switch Localizer.unit(of: metric) {
        case .money: return short ? moneyShort(x, sign: sign) : money(x, sign: sign)
        case .share: return percent(x, sign: sign)
        default: return auto(x, sign: sign)
        }
    }

    /// An interval `lo – hi` of a metric, with the unit written once when both ends share it
    /// (`12,3 – 14,5 mio. kr.`); ``missing`` when either end is missing.
    public func interval(_ lo: Double?, _ hi: Double?, metric: String, short: Bool = true, sign: Bool = false) -> String {
        guard let lo, let hi, lo.isFinite, hi.isFinite else { return Self.missing }
        var a = value(lo, metric: metric, short: short, sign: sign)
        let b = value(hi, metric: metric, short: short, sign: sign)
        let units = [" mio. kr.", " mia. kr.", " kr.", " million DKK", " billion DKK", " DKK", " %"]
        if let ua = units.first(where: a.hasSuffix), ua == units.first(where: b.hasSuffix) {
            a.removeLast(ua.count)
        }
        return a + " – " + b
    }
}
