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
    /// the column of the value within `PATH=v1,v2,…` (of `lo` or `hi` in `PATH=lo..hi[:step]`).
    public static let varyFileName = "<--vary>"

    /// Warnings when an optimum — a point marked as the lowest mean `cost.total`, the sweep's only
    /// objective (``lowestCostPoints``) — lies at the smallest or largest value of a numeric axis
    /// with at least two values that is not an assumption: the true optimum may lie beyond the
    /// grid (docs/plausibility.md). An assumption axis is not a choice, so it is never warned
    /// about (and a sweep of assumptions only has no optimum). With assumption axes, each
    /// combination of their values has its own optimum; one warning per axis and side names the
    /// assumed values at which the optimum is at that edge.
    public var edgeWarnings: [Diagnostic] {
        let marked = lowestCostPoints.filter { $0 < points.count }
        guard !marked.isEmpty else { return [] }
        let assumptions = assumptionAxes
        let assumed = axes.indices.filter { assumptions[$0] }
        var out: [Diagnostic] = []
        for (k, axis) in axes.enumerated() where !assumptions[k] {
            let numbers = axis.values.compactMap(Double.init)
            guard numbers.count == axis.values.count, Set(numbers).count >= 2,
                  let lo = numbers.min(), let hi = numbers.max() else { continue }
            for side in ["smallest", "largest"] {
                let edge = side == "largest" ? hi : lo
                let at = marked.filter { k < points[$0].count && Double(points[$0][k]) == edge }
                guard let best = at.first else { continue }
                let valueText = points[best][k]
                let column: Int
                if let r = axis.rangeColumns {
                    column = side == "largest" ? r.hi : r.lo
                } else {
                    let index = axis.values.firstIndex(of: valueText) ?? 0
                    column = axis.path.count + 2 + axis.values[..<index].reduce(0) { $0 + $1.count + 1 }
                }
                var message: String
                if assumed.isEmpty {
                    let cost = runs[best].layout.totalsMetrics.firstIndex(of: "cost.total").flatMap { runs[best].totals[$0].mean }
                    let costText = cost.map { " (\(Plausibility.grouped($0)) DKK)" } ?? ""
                    let others = axes.count > 1 ? " (with the other axes at their best values)" : ""
                    message = "the lowest mean cost.total of the sweep\(costText) is at the \(side) value of the grid, \(axis.path) = \(valueText)\(others)"
                } else {
                    let assumedText: String
                    if assumed.count == 1 {
                        let values = at.map { points[$0][assumed[0]] }
                        let list = values.count == 1 ? values[0] : values.dropLast().joined(separator: ", ") + " and " + values.last!
                        assumedText = "with \(axes[assumed[0]].path) assumed at \(list)"
                    } else {
                        assumedText = "with the assumed values " + at.map { p in
                            "(" + assumed.map { "\(axes[$0].path) = \(points[p][$0])" }.joined(separator: ", ") + ")"
                        }.joined(separator: ", ")
                    }
                    message = "\(assumedText), the lowest mean cost.total is at the \(side) value of the grid, \(axis.path) = \(valueText)"
                }
                message += "; the optimum may lie beyond the grid"
                out.append(Diagnostic(
                    file: Self.varyFileName, line: k + 1, column: column, keyPath: axis.path,
                    message: message,
                    suggestion: "extend the grid \(side == "largest" ? "above" : "below") \(valueText) to see whether the cost falls further; see \(Plausibility.doc)",
                    severity: .warning))
            }
        }
        return out
    }
}
