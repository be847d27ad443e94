import Foundation
import SagstalRandom
import SagstalScenario

/// The arrival side of the records: cases opened per year with growth and 12 seasonal factors,
/// and the children's ages when their case opened (docs/fit.md, "Notifications").
///
/// An episodes file has no row for a notification that did not open a case, so what it counts is
/// case openings: a wait or an assessment that does not follow straight on from another stay of the
/// child (a child whose case closed and who is notified again opens a new case). Openings are
/// counted from the first day the records cover (the earliest end in the file: only stays ending
/// inside the records are written, so a stay starting earlier belongs to a child notified before
/// the records began) to the extract date.
///
/// The trend is a Poisson regression of the monthly counts on time, log μ = a + b·t (t in years
/// from the start of the records, each month weighted by the days it covers), fitted by maximum
/// likelihood (GSL's simplex); its standard errors come from the observed information
/// Σ μ (1, t)ᵀ(1, t). The seasonal factors are a moment estimate on top of it: the openings in each
/// calendar month over those the trend expects there, scaled to average 1.
public struct ArrivalFit: Sendable, Equatable {
    public let openings: Int
    /// The records' window, in the file's time unit (days).
    public let from: Double
    public let to: Double
    /// Openings per year at the start of the records, with its 95 % CI.
    public let ratePerYear: Double
    public let rateCI: ConfidenceInterval
    /// Yearly growth e^b − 1, with its 95 % CI.
    public let growthPerYear: Double
    public let growthCI: ConfidenceInterval
    /// January … December, mean 1; nil without calendar dates.
    public let seasonality: [Double]?
    public let monthCounts: [Int]?
    /// Children by whole year of age at opening: ages[k] = share aged k.
    public let ageShares: [Double]
    /// The share of the screened notifications that opened a case, openings / (openings +
    /// screened out) in the same window, with its Wilson CI; nil when the file holds no
    /// screened-out notifications (`run --episodes` files).
    public let screening: Proportion?
    /// Notifications in the window that an outreach course resolved before screening (course
    /// rows ending `resolved`); 0 without outreach.
    public let outreachResolved: Int

    /// The yearly rate at `t` (days, the file's unit).
    public func rate(at t: Double) -> Double {
        ratePerYear * pow(1 + growthPerYear, (t - from) / 365.25)
    }
}

public enum Arrivals {
    /// - Returns: nil when fewer than 12 openings fall inside the records.
    public static func fit(_ file: EpisodeFile) throws -> ArrivalFit? {
        let rows = file.episodes
        guard let from = rows.map(\.end).min() else { return nil }
        let to = file.extract
        guard to - from >= 28 else { return nil }
        // A case opens with a wait or an assessment that does not follow straight on from another stay
        // of the child (an outreach course that ends in a notification does not count as a stay here).
        var byChild: [[Int]: [Episode]] = [:]
        for e in rows { byChild[[e.replication, e.child], default: []].append(e) }
        var opened: [Episode] = []
        for (_, list) in byChild {
            var lastEnd = -Double.infinity
            for e in list.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) where e.phase != .course {
                if (e.phase == .waiting || e.phase == .assessment) && e.start > lastEnd + 1.5 / 86_400 { opened.append(e) }
                lastEnd = max(lastEnd, e.end)
            }
        }
        let replications = Set(rows.map(\.replication)).count
        let openings = opened.filter { $0.start >= from && $0.start < to }
        guard openings.count >= 12 else { return nil }
        let screenedOut = file.screenedOut.filter { $0.time >= from && $0.time < to }
        // Notifications an outreach course resolved never reached screening: a course row that
        // ends `resolved` and started (was notified) in the window.
        let resolved = rows.filter { $0.phase == .course && $0.endReason == "resolved" && $0.start >= from && $0.start < to }.count
        // Monthly bins: calendar months with dates, 30.4375-day bins otherwise.
        // With dates, each bin's calendar month (0 = January) is kept beside its edges.
        var edges: [Double] = [from]
        var binMonth: [Int] = []
        if file.calendarTimes {
            // The month `from` falls in: the last first-of-month at or before it.
            var y = 1970 + Int((from / 365.25).rounded(.down)) - 1, m = 1
            while CalendarDate(year: m == 12 ? y + 1 : y, month: m == 12 ? 1 : m + 1, day: 1).days(since: EpisodeReader.epoch) <= from {
                m += 1
                if m > 12 { m = 1; y += 1 }
            }
            binMonth.append(m - 1)
            while true {
                m += 1
                if m > 12 { m = 1; y += 1 }
                let edge = CalendarDate(year: y, month: m, day: 1).days(since: EpisodeReader.epoch)
                if edge >= to { break }
                edges.append(edge)
                binMonth.append(m - 1)
            }
        } else {
            var e = from + 30.4375
            while e < to { edges.append(e); e += 30.4375 }
        }
        edges.append(to)
        let bins = edges.count - 1
        var counts = [Double](repeating: 0, count: bins)
        for o in openings {
            var lo = 0, hi = bins - 1
            while lo < hi { let mid = (lo + hi + 1) / 2; if edges[mid] <= o.start { lo = mid } else { hi = mid - 1 } }
            counts[lo] += 1
        }
        let exposure = (0..<bins).map { (edges[$0 + 1] - edges[$0]) / 365.25 * Double(replications) }
        let t = (0..<bins).map { ((edges[$0] + edges[$0 + 1]) / 2 - from) / 365.25 }
        // −log L of the Poisson trend.
        func nll(_ p: [Double]) -> Double {
            var s = 0.0
            for k in 0..<bins {
                let mu = exp(p[0] + p[1] * t[k]) * exposure[k]
                s += mu - counts[k] * log(mu)
            }
            return s
        }
        let total = counts.reduce(0, +), span = exposure.reduce(0, +)
        let result = try Minimizer.minimize(start: [log(total / span), 0], step: [0.1, 0.05], _: nll)
        let a = result.x[0], b = result.x[1]
        // Observed information.
        var i00 = 0.0, i01 = 0.0, i11 = 0.0
        for k in 0..<bins {
            let mu = exp(a + b * t[k]) * exposure[k]
            i00 += mu; i01 += mu * t[k]; i11 += mu * t[k] * t[k]
        }
        let det = i00 * i11 - i01 * i01
        let z = SpecialFunctions.normalQuantile(0.975)
        let seA = det > 0 ? (i11 / det).squareRoot() : .nan
        let seB = det > 0 ? (i00 / det).squareRoot() : .nan
        let rate = exp(a) / 1
        var seasonality: [Double]?, monthCounts: [Int]?
        if file.calendarTimes {
            var observed = [Double](repeating: 0, count: 12), expected = [Double](repeating: 0, count: 12)
            for k in 0..<bins {
                let month = binMonth[k]
                observed[month] += counts[k]
                expected[month] += exp(a + b * t[k]) * exposure[k]
            }
            let ratios = (0..<12).map { expected[$0] > 0 ? observed[$0] / expected[$0] : 1 }
            let mean = ratios.reduce(0, +) / 12
            seasonality = ratios.map { $0 / mean }
            monthCounts = observed.map { Int($0) }
        }
        var ages = [Double](repeating: 0, count: 18)
        for o in openings {
            let k = min(max(Int(o.ageAtStart.rounded(.down)), 0), 17)
            ages[k] += 1
        }
        let n = Double(openings.count)
        return ArrivalFit(openings: openings.count, from: from, to: to, ratePerYear: rate,
                          rateCI: ConfidenceInterval(exp(a - z * seA), exp(a + z * seA)),
                          growthPerYear: exp(b) - 1,
                          growthCI: ConfidenceInterval(exp(b - z * seB) - 1, exp(b + z * seB) - 1),
                          seasonality: seasonality, monthCounts: monthCounts, ageShares: ages.map { $0 / n },
                          screening: screenedOut.isEmpty ? nil : Proportion.wilson(openings.count, openings.count + screenedOut.count),
                          outreachResolved: resolved)
    }
}
