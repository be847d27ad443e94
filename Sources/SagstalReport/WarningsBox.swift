import Foundation
import SagstalOutput

/// The "Warnings" box of report.html (run, compare, sweep): the plausibility warnings of the
/// scenario (docs/plausibility.md) and, for a sweep, an optimum at the edge of the grid.
enum WarningsBox {
    /// The box, or "" when there are no warnings. The heading and the introduction are in the
    /// report's language; each warning is the compiler-style line also printed on stderr (English,
    /// like the scenario errors), with its location.
    static func html(_ warnings: [OutputWarning], language: ReportLanguage) -> String {
        guard !warnings.isEmpty else { return "" }
        let da = language == .da
        let heading = da ? "Advarsler" : "Warnings"
        // Warnings located on the command line (`<--vary>`, `<--caseworkers>`, …) are about a grid's
        // edge, not about the scenario's values.
        let onlyGrid = warnings.allSatisfy { $0.file.hasPrefix("<--") && $0.file != "<--set>" }
        let intro: String
        if onlyGrid {
            intro = da
                ? "Resultatet ligger ved kanten af gitteret: et bedre punkt kan ligge uden for det. Tjek det, før du bruger resultaterne."
                : "The result lies at the edge of the grid: a better point may lie beyond it. Check it before you use the results."
        } else {
            intro = da
                ? "Scenariet blev kørt, men nogle værdier ligner ikke en dansk kommune (intervallerne og deres kilder står i docs/plausibility.md), eller resultatet ligger ved kanten af et gitter. Tjek dem, før du bruger resultaterne."
                : "The scenario ran, but some values do not look like a Danish municipality (the ranges and their sources are in docs/plausibility.md), or a result lies at the edge of a grid. Check them before you use the results."
        }
        var out = "<p>\(HTML.esc(intro))</p><ul class=\"warning-list\">"
        for w in warnings {
            let place = "\(w.file):\(w.line):\(w.column)"
            var item = "<li><code>\(HTML.esc(place))</code> "
            if !w.keyPath.isEmpty { item += "<strong>\(HTML.esc(w.keyPath))</strong>: " }
            item += HTML.esc(w.message)
            if let s = w.suggestion { item += " <em>(\(HTML.esc(s)))</em>" }
            out += item + "</li>"
        }
        return box(heading, count: warnings.count, out + "</ul>")
    }

    /// The box itself: an orange-edged section with "heading (count)" over `inner` (HTML).
    static func box(_ heading: String, count: Int, _ inner: String) -> String {
        "<section class=\"warnings\" style=\"border: 1px solid #E69F00; border-left: 5px solid #E69F00; "
            + "border-radius: 6px; background: #fdf6e9; padding: 8px 16px; margin: 16px 0;\">"
            + "<h2 style=\"margin-top: 6px;\">\(HTML.esc(heading)) (\(count))</h2>" + inner + "</section>"
    }

    /// Warnings that are sentences, not located scenario values (sensitivity, fit): the same box, a list.
    static func html(sentences: [String], language: ReportLanguage) -> String {
        guard !sentences.isEmpty else { return "" }
        return box(language == .da ? "Advarsler" : "Warnings", count: sentences.count,
                   "<ul>" + sentences.map { "<li>\(HTML.esc($0))</li>" }.joined() + "</ul>")
    }
}
