/// "Did you mean …?" suggestions for misspelt keys, ids and names.
enum Suggest {
    /// Optimal-string-alignment (restricted Damerau–Levenshtein) distance between two
    /// strings, counted in Characters: insertions, deletions, substitutions and
    /// transpositions of adjacent characters each cost 1.
    /// - Complexity: O(*m*·*n*).
    static func distance(_ a: String, _ b: String) -> Int {
        let s = Array(a), t = Array(b)
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        var d = Array(repeating: Array(repeating: 0, count: t.count + 1), count: s.count + 1)
        for i in 0...s.count { d[i][0] = i }
        for j in 0...t.count { d[0][j] = j }
        for i in 1...s.count {
            for j in 1...t.count {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[s.count][t.count]
    }

    /// The candidate closest to `word`: a case-insensitive match first, else the nearest
    /// candidate within edit distance 2 (1 for words of two characters or fewer).
    /// Ties go to the earlier candidate. Nil when nothing is close.
    static func closest(to word: String, in candidates: [String]) -> String? {
        if let exact = candidates.first(where: { $0.lowercased() == word.lowercased() && $0 != word }) {
            return exact
        }
        let limit = min(2, max(1, word.count - 1))
        var best: (String, Int)?
        for c in candidates where c != word {
            let d = distance(word.lowercased(), c.lowercased())
            if d <= limit, d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        return best?.0
    }

    /// `did you mean 'x'?` for the closest candidate, or nil.
    static func didYouMean(_ word: String, _ candidates: [String]) -> String? {
        closest(to: word, in: candidates).map { "did you mean '\($0)'?" }
    }
}

/// "Did you mean …?" for names outside a scenario file (metric and team names on the command
/// line of `sagstal optimise`), with the rules of the scenario checks.
public enum NameSuggestion {
    /// The candidate closest to `word` (a case-insensitive match, else within edit distance 2), or nil.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        Suggest.closest(to: word, in: candidates)
    }
}
