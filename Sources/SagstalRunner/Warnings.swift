import Foundation
import SagstalOutput
import SagstalScenario

extension Diagnostic {
    /// The diagnostic as recorded in the outputs (`summary.json`, report.html).
    public var outputWarning: OutputWarning {
        OutputWarning(file: file, line: line, column: column, keyPath: keyPath, message: message, suggestion: suggestion)
    }
}

extension SweepRun {
    /// Where `--vary` warnings are located: `<--vary>`, line k for the k-th `--vary` (1-based),
    /// the column of the value within `PATH=v1,v2,…`.
    public static let varyFileName = "<--vary>"

    /// Warnings when the optimum — the point with the lowest mean `cost.total`, the sweep's only
    /// objective (`lowestCostPoint`) — lies at the smallest or largest value of a numeric axis
    /// with at least two values: the true optimum may lie beyond the grid (docs/plausibility.md).
    public var edgeWarnings: [Diagnostic] {
        guard let best = lowestCostPoint, best < points.count else { return [] }
        let cost = runs[best].layout.totalsMetrics.firstIndex(of: "cost.total").flatMap { runs[best].totals[$0].mean }
        var out: [Diagnostic] = []
        for (k, axis) in axes.enumerated() {
            let numbers = axis.values.compactMap(Double.init)
            guard numbers.count == axis.values.count, Set(numbers).count >= 2, k < points[best].count,
                  let value = Double(points[best][k]), let lo = numbers.min(), let hi = numbers.max(),
                  value == lo || value == hi else { continue }
            let index = axis.values.firstIndex(of: points[best][k]) ?? 0
            let column = axis.path.count + 2 + axis.values[..<index].reduce(0) { $0 + $1.count + 1 }
            let side = value == hi ? "largest" : "smallest"
            let costText = cost.map { " (\(Plausibility.grouped($0)) DKK)" } ?? ""
            let others = axes.count > 1 ? " (with the other axes at their best values)" : ""
            out.append(Diagnostic(
                file: Self.varyFileName, line: k + 1, column: column, keyPath: axis.path,
                message: "the lowest mean cost.total of the sweep\(costText) is at the \(side) value of the grid, \(axis.path) = \(points[best][k])\(others); the optimum may lie beyond the grid",
                suggestion: "extend the grid \(value == hi ? "above" : "below") \(points[best][k]) to see whether the cost falls further; see \(Plausibility.doc)",
                severity: .warning))
        }
        return out
    }

}
