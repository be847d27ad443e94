import ArgumentParser
import SagstalScenario

extension Terminal {
    /// Prints plausibility warnings (docs/plausibility.md) to stderr, one compiler-style line each
    /// (`file:line:col: warning: keyPath: message (suggestion)`), unless `quiet`. With `strict`
    /// they are errors: printed as such with their count, and the command exits with 65 before
    /// anything is written.
    static func handleWarnings(_ warnings: [Diagnostic], strict: Bool, quiet: Bool = false) throws {
        guard !warnings.isEmpty else { return }
        if strict {
            let errors = warnings.map { w -> Diagnostic in
                var e = w
                e.severity = .error
                return e
            }
            printError(ScenarioError(diagnostics: errors).description + " (--strict: plausibility warnings are errors)")
            throw invalidScenario
        }
        guard !quiet else { return }
        let count = warnings.count
        printError((warnings.map(\.description) + ["\(count) \(count == 1 ? "warning" : "warnings")"]).joined(separator: "\n"))
    }

    /// Distinct warnings of several scenarios (compare, sweep), in order.
    static func distinct(_ lists: [[Diagnostic]]) -> [Diagnostic] {
        var all: [Diagnostic] = []
        for list in lists { for d in list where !all.contains(d) { all.append(d) } }
        return all
    }
}
