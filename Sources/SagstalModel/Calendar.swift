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
