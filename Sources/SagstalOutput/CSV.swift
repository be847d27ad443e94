/// Minimal CSV writing (RFC 4180 quoting; `\n` line ends).
public enum CSV {
    /// A field, quoted only when needed: when it contains a comma, a double quote,
    /// CR or LF (or starts/ends with a space); inner double quotes are doubled.
    public static func field(_ s: String) -> String {
        let needsQuotes = s.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || s.first == " " || s.last == " "
        guard needsQuotes else { return s }
        var quoted = "\""
        for ch in s {
            if ch == "\"" { quoted += "\"\"" } else { quoted.append(ch) }
        }
        return quoted + "\""
    }

    /// One line of fields, joined by commas, with a trailing `\n`.
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }
}
