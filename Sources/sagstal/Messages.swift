import Foundation
import SagstalReport

/// The CLI's own console lines (headings, timing, where files went) in English or Danish;
/// the tables come from `ConsoleTable` in the same language.
struct Messages {
    let language: ReportLanguage
    private var da: Bool { language == .da }

    private func n(_ x: Double, _ digits: Int = 2) -> String {
        let s = String(format: "%.\(digits)f", x)
        return da ? s.replacingOccurrences(of: ".", with: ",") : s
    }

    func runTitle(_ name: String, replications: Int, years: Double, seed: UInt64) -> String {
        da ? "\(name): \(replications) gentagelser × \(Terminal.number(years)) år, seed \(seed)"
           : "\(name): \(replications) replications × \(Terminal.number(years)) years, seed \(seed)"
    }

    func compareTitle(replications: Int, years: Double, seed: UInt64) -> String {
        da ? "Sammenlignet på \(replications) parrede gentagelser × \(Terminal.number(years)) år, seed \(seed)"
           : "Compared on \(replications) paired replications × \(Terminal.number(years)) years, seed \(seed)"
    }

    /// The scenarios' names, their files after them: `Aalborg — 16 ekstra … (aalborg-16-extra) vs Aalborg — før … (aalborg-before, baseline)`.
    func pairHeading(alternative: String, baseline: String, alternativeFile: String, baselineFile: String) -> String {
        let alt = alternative == alternativeFile ? alternative : "\(alternative) (\(alternativeFile))"
        let base = baseline == baselineFile ? "(\(da ? "udgangspunkt" : "baseline"))" : "(\(baselineFile), \(da ? "udgangspunkt" : "baseline"))"
        return da ? "\(alt) mod \(baseline) \(base)" : "\(alt) vs \(baseline) \(base)"
    }

    func sweepTitle(_ name: String, points: Int, replications: Int, years: Double, seed: UInt64) -> String {
        da ? "\(name): variation over \(points) punkter × \(replications) gentagelser × \(Terminal.number(years)) år, seed \(seed) (i alt over perioden)"
           : "\(name): sweep of \(points) points × \(replications) replications × \(Terminal.number(years)) years, seed \(seed) (totals over the horizon)"
    }

    func timing(events: Int, seconds: Double, jobs: Int? = nil) -> String {
        let rate = Double(events) / max(seconds, 1e-9) / 1e6
        if da {
            return "\(events) hændelser på \(n(seconds)) s (\(n(rate)) mio. hændelser/s" + (jobs.map { ", \($0) tråde)" } ?? ")")
        }
        return "\(events) events in \(n(seconds)) s (\(n(rate)) M events/s" + (jobs.map { ", \($0) jobs)" } ?? ")")
    }

    func wrote(_ directory: URL) -> String {
        let path = Terminal.displayPath(directory)
        return da ? "Skrev \(path)/ (åbn report.html i en browser)" : "Wrote \(path)/ (open report.html in a browser)"
    }
}
