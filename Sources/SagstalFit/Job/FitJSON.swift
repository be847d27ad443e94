import Foundation
import SagstalOutput

/// `fit.json`: every phase's records, Kaplan–Meier table, fits with AIC and CIs, and shares.
public enum FitJSON {
    public static func json(_ run: FitRun, toolVersion: String, breakdown: FitRun? = nil) -> JSONValue {
        func phaseJSON(_ p: PhaseFit) -> JSONValue {
            let r = p.records
            var fields: [(String, JSONValue)] = [
                ("name", .string(r.name)), ("stays", .integer(Int64(r.n))), ("censored", .integer(Int64(r.censored))),
                ("censoredShare", .number(r.censoredShare)), ("naiveMeanOfClosed", .number(r.naiveMeanOfClosed)),
                ("endings", .object(r.endings.keys.sorted().map { ($0, .integer(Int64(r.endings[$0]!))) })),
            ]
            if let km = p.kaplanMeier {
                fields.append(("kaplanMeier", .object([
                    ("median", .number(km.median)),
                    ("time", .array(km.times.map { .number($0) })), ("survival", .array(km.survival.map { .number($0) })),
                    ("lower", .array(km.lower.map { .number($0) })), ("upper", .array(km.upper.map { .number($0) })),
                    ("atRisk", .array(km.atRisk.map { .integer(Int64($0)) })), ("events", .array(km.events.map { .integer(Int64($0)) })),
                ])))
            }
            fields.append(("fits", .array(p.fits.map { f in
                .object([("family", .string(f.family.rawValue)), ("logLikelihood", .number(f.logLikelihood)), ("aic", .number(f.aic)),
                         ("converged", .bool(f.converged)),
                         ("parameters", .object(f.parameters.keys.sorted().map { ($0, .number(f.parameters[$0]!)) })),
                         ("standardErrors", .object(f.standardErrors.keys.sorted().map { ($0, .number(f.standardErrors[$0]!)) })),
                         ("ci95", .object(f.ci95.keys.sorted().map { ($0, interval(f.ci95[$0]!.lower, f.ci95[$0]!.upper)) }))])
            })))
            fields.append(("chosen", p.chosen.map { .string($0.family.rawValue) } ?? .null))
            fields.append(("shares", .object(p.shares.map { s in
                (s.ending, .object([("successes", .integer(Int64(s.share.successes))), ("n", .integer(Int64(s.share.n))),
                                    ("estimate", .number(s.share.estimate)), ("wilson95", interval(s.share.lower, s.share.upper))]))
            })))
            fields.append(("warnings", .array(p.warnings.map { .string($0) })))
            return .object(fields)
        }
        let phases = run.phases.map(phaseJSON)
        let openings: JSONValue = run.arrivals.map(Self.caseOpenings) ?? .null
        return .object([
            ("tool", .object([("name", .string("sagstal")), ("version", .string(toolVersion))])),
            ("episodes", .string(run.file.path)), ("rows", .integer(Int64(run.file.episodes.count))),
            ("timeUnit", .string(run.file.calendarTimes ? "ISO date-times" : "days since the start")),
            ("droppedAfterExtract", .integer(Int64(run.file.droppedAfterExtract))),
            ("censoredAtExtract", .integer(Int64(run.file.censoredAtExtract))),
            ("screenedOutRows", .integer(Int64(run.file.screenedOut.count))),
            ("phases", .array(phases)),
            ("breakdown", breakdown.map { .array($0.phases.map(phaseJSON)) } ?? .null),
            ("caseOpenings", openings),
            ("warnings", .array(run.warnings.map { .string($0) })),
        ])
    }

    static func interval(_ lo: Double, _ hi: Double) -> JSONValue { .array([.number(lo), .number(hi)]) }

    static func caseOpenings(_ a: ArrivalFit) -> JSONValue {
        let screening: JSONValue = a.screening.map { s in
            .object([("screened", .integer(Int64(s.n))), ("openedCase", .integer(Int64(s.successes))),
                     ("opensCase", .number(s.estimate)), ("wilson95", interval(s.lower, s.upper))])
        } ?? .null
        return .object([("openings", .integer(Int64(a.openings))), ("from", .number(a.from)), ("to", .number(a.to)),
                        ("ratePerYear", .number(a.ratePerYear)), ("rateCI95", interval(a.rateCI.lower, a.rateCI.upper)),
                        ("growthPerYear", .number(a.growthPerYear)), ("growthCI95", interval(a.growthCI.lower, a.growthCI.upper)),
                        ("seasonality", a.seasonality.map { .array($0.map { .number($0) }) } ?? .null),
                        ("monthCounts", a.monthCounts.map { .array($0.map { .integer(Int64($0)) }) } ?? .null),
                        ("ageShares", .array(a.ageShares.map { .number($0) })),
                        ("screening", screening)])
    }
}
