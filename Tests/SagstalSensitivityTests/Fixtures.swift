import Foundation
import SagstalSensitivity

/// The fixtures of Benchmarks/salib_crosscheck.py (`fixtures` mode), read without Python.
enum Fixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A plain CSV (no quoting): the header and the rows as strings.
    static func table(_ name: String) throws -> (header: [String], rows: [[String]]) {
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return (lines[0], Array(lines.dropFirst()))
    }

    /// A sample-and-output fixture `row,x1,x2,x3,y`: the rows' x and y.
    static func sampleAndOutputs(_ name: String) throws -> (x: [[Double]], y: [Double]) {
        let t = try table(name)
        precondition(t.header == ["row", "x1", "x2", "x3", "y"], "unexpected header \(t.header)")
        var x: [[Double]] = [], y: [Double] = []
        for (i, r) in t.rows.enumerated() {
            precondition(Int(r[0]) == i, "rows out of order")
            x.append(r[1...3].map { Double($0)! })
            y.append(Double(r[4])!)
        }
        return (x, y)
    }

    /// A SALib results fixture: factor → column → value.
    static func salib(_ name: String) throws -> [String: [String: Double]] {
        let t = try table(name)
        var out: [String: [String: Double]] = [:]
        for r in t.rows {
            var m: [String: Double] = [:]
            for (k, v) in zip(t.header.dropFirst(), r.dropFirst()) { m[k] = Double(v)! }
            out[r[0]] = m
        }
        return out
    }

    static let ishigamiNames = ["x1", "x2", "x3"]
}

/// Kurtosis m4/m2² of a sample (3 for a normal distribution).
func kurtosis(_ x: [Double]) -> Double {
    let n = Double(x.count)
    let m = x.reduce(0, +) / n
    var m2 = 0.0, m4 = 0.0
    for v in x {
        let d = (v - m) * (v - m)
        m2 += d
        m4 += d * d
    }
    m2 /= n
    m4 /= n
    return m4 / (m2 * m2)
}

/// The relative standard error of a sample standard deviation from `count` draws of a
/// distribution with kurtosis κ: sd(s)/σ ≈ √((κ − 1) / (4·count)) (delta method on s²,
/// Var(s²) ≈ σ⁴(κ − 1)/count).
func relativeSEOfSD(kurtosis k: Double, count: Int) -> Double {
    ((k - 1) / (4 * Double(count))).squareRoot()
}

func relativeDifference(_ a: Double, _ b: Double) -> Double {
    a == b ? 0 : abs(a - b) / max(abs(a), abs(b))
}
