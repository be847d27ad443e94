import Foundation

/// The HTML side of the reports: escaping, the page with its style sheet, tables.
///
/// Pages are written so that they are also well-formed XML (XHTML-compatible): every element
/// closed, empty elements self-closed (`<meta …/>`), attribute values quoted, text escaped, no
/// named entities but the five of XML. There is no script, no external resource and no URL:
/// the file is one self-contained document that opens offline and prints on A4.
enum HTML {
    /// Escapes text and attribute values (`& < > " '`).
    static func esc(_ s: String) -> String { SVGChart.esc(s) }

    /// A cell of a table row.
    struct Cell {
        var html: String
        var numeric: Bool
        /// Raw HTML (already escaped).
        static func raw(_ html: String, numeric: Bool = false) -> Cell { Cell(html: html, numeric: numeric) }
        /// Text, escaped.
        static func text(_ s: String) -> Cell { Cell(html: esc(s), numeric: false) }
        /// A number, escaped and right-aligned.
        static func num(_ s: String) -> Cell { Cell(html: esc(s), numeric: true) }
    }

    /// A table with a header row; `rowClasses` marks rows (e.g. the lowest-cost point).
    static func table(header: [Cell], rows: [[Cell]], rowClasses: [String?] = [], caption: String? = nil,
                      cssClass: String = "data") -> String {
        var out = "<div class=\"scroll\"><table class=\"\(cssClass)\">"
        if let caption { out += "<caption>\(esc(caption))</caption>" }
        out += "<thead><tr>"
        for c in header { out += "<th\(c.numeric ? " class=\"num\"" : "") scope=\"col\">\(c.html)</th>" }
        out += "</tr></thead><tbody>"
        for (i, row) in rows.enumerated() {
            let cls = i < rowClasses.count ? rowClasses[i] : nil
            out += cls.map { "<tr class=\"\($0)\">" } ?? "<tr>"
            for (j, c) in row.enumerated() {
                if j == 0 && !c.numeric {
                    out += "<th scope=\"row\">\(c.html)</th>"
                } else {
                    out += "<td\(c.numeric ? " class=\"num\"" : "")>\(c.html)</td>"
                }
            }
            out += "</tr>"
        }
        return out + "</tbody></table></div>"
    }

    /// A chart in a figure with a caption (and an optional note under it).
    static func figure(_ caption: String, _ svg: String, note: String? = nil) -> String {
        var out = "<figure class=\"chart\"><figcaption>\(esc(caption))</figcaption>" + svg
        if let note { out += "<p class=\"note\">\(esc(note))</p>" }
        return out + "</figure>"
    }

    /// The no-break space (U+00A0).
    static let nbsp = "\u{00A0}"

    /// Keeps what must not be broken across lines on one line, in the text of a page body (not
    /// in tags, attribute values, SVG, `<pre>`, `<title>` or `<style>`): a CI label ("95 % CI",
    /// "95 %-KI", "95 %-KI (parret)") gets a no-break space before "%" and, like an interval of
    /// two numbers ("228,0 – 247,9", "-202,8 – -180,1", "3,5 – 4,3 %"), a `<span class="nobr">`
    /// (`white-space: nowrap`): its space and hyphen, and the spaces round the dash, are places
    /// where a browser would otherwise break the line. The text itself is unchanged but for the
    /// no-break space of the CI label.
    static func keepTogether(_ html: String) -> String {
        // On UTF-8 bytes: `<` and `>` are ASCII (never part of a multi-byte sequence), and text
        // is escaped, so every `<` opens a tag. Text goes through ``keepTogetherText(_:)`` only
        // when it may hold a CI label or an en dash (its own test decides), the rest is copied.
        var out = ""
        out.reserveCapacity(html.utf8.count + html.utf8.count / 20)
        var skip = 0   // depth inside svg, pre, title, style, script
        let u = html.utf8
        var pos = u.startIndex
        func text(_ from: String.Index, _ to: String.Index) {
            let piece = html[from..<to]
            if skip > 0 || !mayNeedKeepTogether(u[from..<to]) { out += piece } else { out += keepTogetherText(String(piece)) }
        }
        while let open = u[pos...].firstIndex(of: UInt8(ascii: "<")) {
            text(pos, open)
            guard let close = u[open...].firstIndex(of: UInt8(ascii: ">")) else {
                out += html[open...]
                return out
            }
            let afterClose = u.index(after: close)
            out += html[open..<afterClose]
            var nameStart = u.index(after: open)
            let closing = nameStart < close && u[nameStart] == UInt8(ascii: "/")
            if closing { nameStart = u.index(after: nameStart) }
            var nameEnd = nameStart
            while nameEnd < close, Self.isASCIIAlphanumeric(u[nameEnd]) { nameEnd = u.index(after: nameEnd) }
            let selfClosing = close > open && u[u.index(before: close)] == UInt8(ascii: "/")
            if !selfClosing, Self.isSkippedElement(u[nameStart..<nameEnd]) {
                skip = Swift.max(0, skip + (closing ? -1 : 1))
            }
            pos = afterClose
        }
        text(pos, u.endIndex)
        return out
    }

    private static func isASCIIAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
    }

    private static let skippedElements: [[UInt8]] = ["svg", "pre", "title", "style", "script"].map { Array($0.utf8) }

    /// Whether an element name (ASCII, any case) is svg, pre, title, style or script.
    private static func isSkippedElement(_ name: Substring.UTF8View) -> Bool {
        let n = name.count
        guard n >= 3 && n <= 6 else { return false }
        let lower = name.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        return skippedElements.contains(lower)
    }

    /// Whether text holds "95 %" or an en dash (U+2013, E2 80 93), by bytes.
    private static func mayNeedKeepTogether(_ bytes: Substring.UTF8View) -> Bool {
        var prev3: UInt8 = 0, prev2: UInt8 = 0, prev1: UInt8 = 0
        for b in bytes {
            if b == 0x93 && prev1 == 0x80 && prev2 == 0xE2 { return true }
            if b == UInt8(ascii: "%") && prev1 == UInt8(ascii: " ") && prev2 == UInt8(ascii: "5") && prev3 == UInt8(ascii: "9") {
                return true
            }
            prev3 = prev2; prev2 = prev1; prev1 = b
        }
        return false
    }

    /// A CI label ("P5–P95" too), or an interval of two numbers (each with an optional sign and
    /// " %"; the dash with or without spaces round it).
    static let unbreakable = try! NSRegularExpression(pattern:
        "95 (?:%-KI(?: \\(parret\\))?|% CI(?: \\(paired\\))?)|P5–P95"
        + "|(?<![\\p{L}\\p{N}.,])[-−+]?\\p{Nd}[\\p{Nd}.,]*(?: %)?(?: – |–)[-−+]?\\p{Nd}[\\p{Nd}.,]*(?<![.,])(?: %)?")

    static func keepTogetherText(_ text: String) -> String {
        guard text.contains("95 %") || text.contains("–") else { return text }
        let ns = text as NSString
        var out = ""
        var last = 0
        for m in unbreakable.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            var piece = ns.substring(with: m.range)
            if piece.hasPrefix("95 %") { piece = "95" + nbsp + piece.dropFirst(3) }
            out += "<span class=\"nobr\">" + piece + "</span>"
            last = m.range.location + m.range.length
        }
        return out + ns.substring(from: last)
    }

    /// The whole document.
    static func page(language: ReportLanguage, title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(language.rawValue)">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="sagstal"/>
        <title>\(esc(title))</title>
        <style>
        \(css)
        </style>
        </head>
        <body>
        <main>
        \(keepTogether(body))
        </main>
        </body>
        </html>

        """
    }

    /// The style sheet: system fonts, a readable measure, charts in a two-column grid on wide
    /// screens, tables with right-aligned tabular numbers; print: white, A4, one column,
    /// page breaks between sections, nothing split inside a chart or a table row.
    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; background: #ffffff; color: #1a1a1a; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 15px; line-height: 1.5; }
        main { max-width: 1240px; margin: 0 auto; padding: 28px 36px 56px; }
        header.report { border-bottom: 3px solid #0072B2; padding-bottom: 14px; margin-bottom: 8px; }
        .kicker { margin: 0; color: #0072B2; font-weight: 600; letter-spacing: 0.02em; text-transform: uppercase; font-size: 0.8rem; }
        h1 { font-size: 1.75rem; line-height: 1.25; margin: 4px 0 6px; }
        h2 { font-size: 1.3rem; margin: 34px 0 12px; padding-bottom: 4px; border-bottom: 1px solid #c9d3dc; }
        h3 { font-size: 1.05rem; margin: 22px 0 8px; }
        p { margin: 8px 0; max-width: 80ch; }
        .meta { color: #4a4a4a; margin: 0; }
        .lead { font-size: 1.08rem; max-width: 88ch; }
        .caveat { color: #4a4a4a; font-size: 0.9rem; }
        .cards { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 12px; margin: 16px 0 10px; max-width: 1060px; }
        .cards.n1, .cards.n2 { grid-template-columns: repeat(2, minmax(0, 1fr)); max-width: 700px; }
        .cards.n4 { grid-template-columns: repeat(4, minmax(0, 1fr)); }
        .card { border: 1px solid #c9d3dc; border-left: 5px solid #0072B2; border-radius: 6px; padding: 10px 14px; background: #f5f8fb; }
        .card .label { font-size: 0.85rem; color: #333333; }
        .card .value { font-size: 1.45rem; font-weight: 650; line-height: 1.25; white-space: nowrap; }
        .cards.n4 { max-width: none; }
        .cards.n4 .card .value { font-size: 1.3rem; }
        .card .ci { font-size: 0.8rem; color: #4a4a4a; }
        .card .verdict { font-size: 0.9rem; font-weight: 600; color: #4a4a4a; }
        .card .verdict.better { color: #00734d; }
        .card .verdict.worse { color: #b34700; }
        .card .trend { font-size: 0.8rem; color: #333333; margin-top: 4px; display: flex; flex-wrap: wrap; gap: 2px 8px; align-items: center; }
        .card .trend + .trend { margin-top: 2px; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 26px 34px; }
        figure.chart { margin: 0; break-inside: avoid; page-break-inside: avoid; }
        figure.chart figcaption { font-weight: 650; margin: 0 0 4px; }
        figure.chart svg { display: block; width: 100%; height: auto; max-width: 760px; }
        .note { font-size: 0.85rem; color: #4a4a4a; margin: 4px 0 0; }
        table { border-collapse: collapse; margin: 8px 0 14px; font-size: 0.92rem; }
        caption { text-align: left; font-weight: 650; padding: 0 0 6px; }
        th, td { padding: 5px 10px 5px 0; border-bottom: 1px solid #dde3e8; text-align: left; vertical-align: top; }
        thead th { border-bottom: 2px solid #8a99a8; font-weight: 650; vertical-align: bottom; }
        thead th.num { white-space: normal; min-width: 4.5em; }
        tbody th { font-weight: 500; }
        thead tr.group th { border-bottom: 1px solid #c9d3dc; text-align: center; padding-left: 12px; }
        .scroll { overflow-x: auto; max-width: 100%; }
        .group-start { border-left: 1px solid #c9d3dc; }
        .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; padding-left: 10px; }
        .nobr { white-space: nowrap; }
        tr.lowest th, tr.lowest td { background: #e3f1ea; font-weight: 650; }
        tr.total th, tr.total td { border-top: 2px solid #8a99a8; font-weight: 650; }
        .tag { display: inline-block; padding: 0 6px; border-radius: 4px; background: #009E73; color: #ffffff; font-size: 0.78rem; font-weight: 600; white-space: nowrap; }
        .tables { display: flex; flex-wrap: wrap; gap: 0 40px; align-items: flex-start; }
        details { margin: 14px 0; border: 1px solid #c9d3dc; border-radius: 6px; padding: 8px 12px; }
        summary { cursor: pointer; font-weight: 600; }
        details pre { margin: 10px 0 4px; padding: 12px; background: #f5f8fb; overflow-x: auto; font-size: 0.8rem; line-height: 1.4; white-space: pre-wrap; overflow-wrap: anywhere; }
        dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; margin: 8px 0 14px; }
        dl.facts dt { color: #333333; }
        dl.facts dd { margin: 0; font-variant-numeric: tabular-nums; }
        footer { margin-top: 40px; padding-top: 10px; border-top: 1px solid #c9d3dc; color: #4a4a4a; font-size: 0.85rem; }
        @media (max-width: 1100px) { td .tag { white-space: normal; } }
        @media (max-width: 900px) { .cards, .cards.n4 { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
        @media (max-width: 700px) { main { padding: 16px; } .charts { grid-template-columns: 1fr; } }
        @media print {
          @page { size: A4; margin: 14mm 12mm; }
          body { font-size: 10.5pt; background: #ffffff; }
          main { max-width: none; padding: 0; }
          section.page { break-before: page; page-break-before: always; }
          .charts { display: block; }
          figure.chart { margin: 0 0 14px; }
          figure.chart svg { max-width: 100%; }
          .card { background: #ffffff; }
          details { border: none; padding: 0; }
          details pre { background: #ffffff; white-space: pre-wrap; }
          table, tr { break-inside: avoid; page-break-inside: avoid; }
          .scroll { overflow: visible; }
          h2, h3, figcaption { break-after: avoid; page-break-after: avoid; }
        }
        """
}
