import SagstalScenario

/// The model's clock conventions (MODEL.md §2): days as Doubles, t = 0 at `simulation.start`,
/// a year of 365.25 days and a month of 365.25/12 = 30.4375 days.
public enum ModelTime {
    public static let daysPerYear = 365.25
    public static let daysPerMonth = 365.25 / 12

    /// Number of budget years in a horizon of `years` (a final partial year counts).
    public static func budgetYears(_ years: Double) -> Int {
        max(1, Int((years - 1e-9).rounded(.up)))
    }

    /// Number of months in a horizon of `years` (a final partial month counts).
    public static func months(_ years: Double) -> Int {
        max(1, Int((years * 12 - 1e-9).rounded(.up)))
    }

    /// Labels "2026", "2027", … for the budget years of a run.
    public static func yearLabels(start: CalendarDate, years: Double) -> [String] {
        (0..<budgetYears(years)).map { String(start.year + $0) }
    }

    /// Labels "2026-01", … for the months of a run: month m is labelled by the calendar
    /// month (start month − 1 + m) of the matching year.
    public static func monthLabels(start: CalendarDate, years: Double) -> [String] {
        (0..<months(years)).map { m in
            let k = start.month - 1 + m
            let y = start.year + k / 12
            let mo = k % 12 + 1
            return "\(y)-" + (mo < 10 ? "0\(mo)" : "\(mo)")
        }
    }

    /// Month of year (0 = January) of simulation time t, for a run starting in `startMonth` (1–12).
    @inlinable
    public static func monthOfYear(_ t: Double, startMonth: Int) -> Int {
        let m = Int((t / daysPerMonth).rounded(.down))
        let k = (startMonth - 1 + m) % 12
        return k < 0 ? k + 12 : k
    }
}

extension ModelTime {
    /// The calendar date and time of day of simulation time `t` for a run starting at `start`,
    /// as ISO 8601 `YYYY-MM-DDThh:mm:ss` rounded to the second (MODEL.md §8, episodes).
    ///
    /// The inverse of MODEL.md §2's mapping: decimal year = decimal year of the start + t/365.25;
    /// its fraction of the year times the days in that year gives the day and the time of day.
    public static func isoDateTime(_ t: Double, start: CalendarDate) -> String {
        var bytes: [UInt8] = []
        appendISODateTime(t, startDecimalYear: start.decimalYear, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the UTF-8 bytes of `isoDateTime` to `out` (no allocation per call; for episodes.csv).
    public static func appendISODateTime(_ t: Double, startDecimalYear: Double, to out: inout [UInt8]) {
        let decimal = startDecimalYear + t / daysPerYear
        var year = Int(decimal.rounded(.down))
        var daysInYear = CalendarDate.isLeap(year) ? 366 : 365
        var seconds = Int(((decimal - Double(year)) * Double(daysInYear) * 86_400).rounded())
        if seconds >= daysInYear * 86_400 {
            seconds -= daysInYear * 86_400
            year += 1
            daysInYear = CalendarDate.isLeap(year) ? 366 : 365
        }
        var dayOfYear = seconds / 86_400
        seconds %= 86_400
        var month = 1
        while dayOfYear >= CalendarDate.daysIn(month: month, year: year) {
            dayOfYear -= CalendarDate.daysIn(month: month, year: year)
            month += 1
        }
        func digits(_ x: Int, _ width: Int) { ModelTime.appendDigits(x, width: width, to: &out) }
        if year >= 0 && year < 10_000 { digits(year, 4) } else { out.append(contentsOf: String(year).utf8) }
        out.append(45); digits(month, 2); out.append(45); digits(dayOfYear + 1, 2)
        out.append(84); digits(seconds / 3600, 2); out.append(58); digits(seconds / 60 % 60, 2); out.append(58); digits(seconds % 60, 2)
    }
}

extension ModelTime {
    /// Appends the decimal digits of `x` ≥ 0, left-padded with zeros to `width`, to `out`.
    @inline(__always)
    public static func appendDigits(_ x: Int, width: Int = 1, to out: inout [UInt8]) {
        var n = 1, v = x
        while v >= 10 { v /= 10; n += 1 }
        let count = max(n, width)
        let base = out.count
        out.append(contentsOf: repeatElement(48, count: count))
        v = x
        var i = base + count - 1
        while v > 0 { out[i] = 48 + UInt8(v % 10); v /= 10; i -= 1 }
    }
}
