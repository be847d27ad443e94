import Foundation

/// Numbers as a Dane types them, and YAML 1.1's own number forms, where sagstal expects a
/// plain decimal number (issue 9, rows 12, 15 and 16).
///
/// YAML reads `470.000` as 470, `0,35` and `35%` as text, `190:20:30` as the base-60
/// number 685,830, `0x7fffffff` as hexadecimal and `0100` as octal 64. Some of these pass
/// silently as the wrong number; the others were refused without saying how to write
/// them. Every one is now refused with the number to write instead.
public enum NumberHabits {
    /// A problem with how a number is written, and the fix.
    struct Problem {
        var message: String
        var suggestion: String
    }

    /// `470.000`, `1.316`, `12.500.000`: one to three digits, then groups of three after dots.
    public static func looksLikeThousands(_ text: String) -> Bool {
        let t = text.hasPrefix("-") || text.hasPrefix("+") ? String(text.dropFirst()) : text
        let groups = t.split(separator: ".", omittingEmptySubsequences: false)
        guard groups.count >= 2, let first = groups.first, (1...3).contains(first.count),
              first.first != "0", first.allSatisfy(\.isASCIIDigit) else { return false }
        return groups.dropFirst().allSatisfy { $0.count == 3 && $0.allSatisfy(\.isASCIIDigit) }
    }

    /// The digits of a thousands-dotted number without its dots: `470.000` → `470000`.
    static func withoutDots(_ text: String) -> String {
        text.replacingOccurrences(of: ".", with: "")
    }

    /// A problem with a scalar where a number is expected, if it is written in one of the
    /// forms above. `wholeOrLarge`: the value is a count or an amount of kroner, so a
    /// single `470.000` is more likely a thousands separator than three decimals.
    static func problem(_ s: YScalar, wholeOrLarge: Bool) -> Problem? {
        let text = s.text.trimmingCharacters(in: .whitespaces)
        switch s.kind {
        case .int:
            return nonDecimal(text)
        case .float:
            if text.contains(":") {
                return Problem(message: "YAML 1.1 reads \(text) as a base-60 number (like a clock time), not as the number it looks like",
                               suggestion: "write a plain decimal number")
            }
            let lower = text.lowercased()
            if lower.contains("inf") || lower.contains("nan") {
                return Problem(message: "\(text) is not a finite number", suggestion: "write a finite decimal number")
            }
            if wholeOrLarge, looksLikeThousands(text) {
                let plain = withoutDots(text)
                let asRead = Double(text).map(show) ?? text
                return Problem(message: "\(text) reads as \(asRead) (YAML has only the decimal point); a dot between groups of three digits looks like a Danish thousands separator",
                               suggestion: "write \(plain) for \(Self.spelled(plain)), or \(asRead) if you meant \(asRead)")
            }
            return nil
        case .bool:
            return Problem(message: "YAML reads '\(text)' as the true/false value \(["yes", "on", "true", "y"].contains(text.lowercased()) ? "true" : "false"), not a number",
                           suggestion: "write a number")
        case .string:
            return danishText(text)
        default:
            return nil
        }
    }

    /// Hexadecimal, octal, binary and base-60 integers.
    static func nonDecimal(_ text: String) -> Problem? {
        var t = Substring(text.replacingOccurrences(of: "_", with: ""))
        let sign = t.hasPrefix("-") ? "-" : ""
        if t.hasPrefix("-") || t.hasPrefix("+") { t = t.dropFirst() }
        func decimal(_ digits: Substring, _ radix: Int) -> String {
            UInt64(digits, radix: radix).map { sign + String($0) } ?? "a decimal number"
        }
        if text.contains(":") {
            return Problem(message: "YAML 1.1 reads \(text) as a base-60 number (like a clock time), not as the number it looks like",
                           suggestion: "write a plain decimal number")
        }
        if t.hasPrefix("0x") || t.hasPrefix("0X") {
            return Problem(message: "\(text) is a hexadecimal number", suggestion: "write it in decimal: \(decimal(t.dropFirst(2), 16))")
        }
        if t.hasPrefix("0b") {
            return Problem(message: "\(text) is a binary number", suggestion: "write it in decimal: \(decimal(t.dropFirst(2), 2))")
        }
        if t.hasPrefix("0o") {
            return Problem(message: "\(text) is an octal number", suggestion: "write it in decimal: \(decimal(t.dropFirst(2), 8))")
        }
        if t.hasPrefix("0"), t.count > 1 {
            return Problem(message: "YAML 1.1 reads \(text), with its leading zero, as the octal number \(decimal(t.dropFirst(), 8))",
                           suggestion: "write \(sign)\(t.drop(while: { $0 == "0" }).isEmpty ? "0" : String(t.drop(while: { $0 == "0" }))) without the leading zero")
        }
        return nil
    }

    /// Text that a Dane meant as a number: `0,35`, `35%`, `12.500.000`, `1 316`, `470.000 kr.`.
    static func danishText(_ text: String) -> Problem? {
        var t = text
        var unit = ""
        for suffix in [" kr.", " kr", "kr.", "kr", " DKK", "DKK", " dage", " år"] where t.hasSuffix(suffix) {
            unit = suffix.trimmingCharacters(in: .whitespaces)
            t = String(t.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        let isNumberLike = !t.isEmpty && t.allSatisfy { $0.isASCIIDigit || ".,%+- \u{00A0}".contains($0) } && t.contains(where: \.isASCIIDigit)
        guard isNumberLike else { return nil }
        // The number a Dane means: with a comma, dots group thousands and the comma is the
        // decimal mark; without one, dots group thousands only in groups of three.
        var digits = t.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{00A0}", with: "")
        var percent = false
        if digits.hasSuffix("%") { percent = true; digits.removeLast() }
        guard !digits.contains("%"), digits.filter({ $0 == "," }).count <= 1 else { return nil }
        let comma = digits.contains(",")
        let thousandsDots = digits.contains(".") && (comma || looksLikeThousands(digits))
        if thousandsDots { digits = digits.replacingOccurrences(of: ".", with: "") }
        digits = digits.replacingOccurrences(of: ",", with: ".")
        guard let value = Double(digits), value.isFinite else { return nil }
        let meant = percent ? value / 100 : value
        var what: [String] = []
        if comma { what.append("a decimal comma") }
        if thousandsDots { what.append("dots between thousands") }
        if t.contains(" ") || t.contains("\u{00A0}") { what.append("spaces between digits") }
        if percent { what.append("a percent sign") }
        if !unit.isEmpty { what.append("a unit ('\(unit)')") }
        let how = what.isEmpty ? "" : " (\(what.joined(separator: ", ")))"
        let shares = percent ? "; shares and rates are written as fractions" : ""
        return Problem(message: "'\(text)' is text to YAML, not a number\(how)",
                       suggestion: "write \(show(meant))\(shares)")
    }

    /// `470000` → `470,000` for the message ("for 470,000").
    static func spelled(_ digits: String) -> String {
        Double(digits).map(Plausibility.grouped) ?? digits
    }

    /// A number for a message: no trailing `.0`, up to 10 significant digits.
    static func show(_ x: Double) -> String {
        let t = String(format: "%.10g", x)
        return t == "-0" ? "0" : t
    }

    /// Common Danish key names → the English key sagstal uses (for "did you mean").
    static let danishKeys: [String: String] = [
        "navn": "name", "simulering": "simulation", "start": "start", "år": "years", "aar": "years",
        "opvarmning": "warmupYears", "indkøring": "warmupYears", "gentagelser": "replications", "frø": "seed",
        "børn": "children", "boern": "children", "alder": "ageAtNotification",
        "underretninger": "notifications", "underretning": "notifications", "pr_år": "perYear", "perår": "perYear",
        "vækst": "growthPerYear", "sæson": "seasonality", "sæsonfaktorer": "seasonality",
        "screening": "screening", "visitation": "screening",
        "undersøgelse": "assessment", "børnefaglig_undersøgelse": "assessment", "frist": "deadlineDays",
        "udfald": "outcome", "stige": "ladder", "indsatstrappe": "ladder", "indsatstrappen": "ladder",
        "trin": "ladder", "varighed": "duration", "anbringelse": "placement", "anbragt": "placement",
        "omkostning": "cost", "omkostninger": "costs", "pris": "cost", "udgift": "cost", "udgifter": "costs",
        "prisperår": "costPerYear", "pris_pr_år": "costPerYear", "næste": "next", "op": "up", "ned": "down",
        "afslut": "exit", "ophør": "exit", "hold": "teams", "teams": "teams", "team": "teams",
        "sagsbehandlere": "caseworkers", "sagsbehandler": "caseworkers", "rådgivere": "caseworkers",
        "loft": "cap", "sagsloft": "cap", "sagstal": "cap", "andel": "share", "metode": "method",
        "personale": "staff", "ansatte": "staff", "løn": "costPerYear", "årsløn": "costPerYear",
        "rekruttering": "recruitmentCost", "afgang": "turnover", "personaleomsætning": "turnover",
        "ændringer": "changes", "sagsbelastning": "caseload", "reference": "reference",
        "elasticitet": "elasticity", "familier": "families", "børnperfamilie": "childrenPerFamily",
        "opsøgende": "outreach", "medarbejdere": "workers", "forløb": "coursesPerWorker",
        "startbestand": "initial", "bestand": "initial", "diskonteringsrente": "discountRate",
        "engangsbeløb": "oneOff", "beløb": "amount", "dato": "at", "tilsyn": "followUps", "opfølgning": "followUps",
    ]

    /// "did you mean …" for a Danish key: the English key if it is one of `keys`.
    static func englishKey(for key: String, in keys: [String]) -> String? {
        guard let english = danishKeys[key.lowercased()], english != key, keys.contains(english) else { return nil }
        return english
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
