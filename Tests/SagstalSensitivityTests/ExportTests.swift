import Foundation
import Testing
@testable import SagstalSensitivity

/// The folder layout `Benchmarks/salib_crosscheck.py check` reads. The test writes an Ishigami
/// Sobol folder and a Morris folder to a temporary directory and reads them back; with
/// SAGSTAL_SENSITIVITY_EXPORT=DIR in the environment it also leaves them in DIR/sobol and
/// DIR/morris for the script:
///
///     SAGSTAL_SENSITIVITY_EXPORT=/tmp/sens swift test --skip-build --filter SensitivityExportTests
///     python3 Benchmarks/salib_crosscheck.py check /tmp/sens/sobol
@Suite struct SensitivityExportTests {
    static let factors = TestFunctions.ishigamiFactors

    /// Ishigami and a second output (2·Ishigami + 1: the same indices) on one sample.
    static func outputs(_ x: [[Double]]) -> [[Double]] {
        let y = x.map { TestFunctions.ishigami($0) }
        return [y, y.map { 2 * $0 + 1 }]
    }

    static func write(_ files: [String: String], to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    /// The temporary folder (removed after each test) and, when asked for, the export folder.
    static func folders(_ name: String) -> [URL] {
        var out = [FileManager.default.temporaryDirectory.appendingPathComponent("sagstal-sensitivity-\(getpid())-\(name)")]
        if let dir = ProcessInfo.processInfo.environment["SAGSTAL_SENSITIVITY_EXPORT"], !dir.isEmpty {
            out.append(URL(fileURLWithPath: dir))
        }
        return out
    }

    /// Foundation's JSON parser on Linux can be 1 ulp off the shortest round-trip decimal, so
    /// values read through it are compared to 1e-15; `numbersRoundTripExactly` checks the text.
    static func same(_ a: Any?, _ b: [Double]) -> Bool {
        guard let a = a as? [Double], a.count == b.count else { return false }
        return zip(a, b).allSatisfy { relativeDifference($0, $1) <= 1e-15 }
    }

    static func json(_ url: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: url)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func sobolFolderRoundTrips() throws {
        let n = 1024
        let x = try SaltelliSample.matrix(Self.factors, baseSamples: n)
        let ys = Self.outputs(x)
        let results = try ys.map { try SobolAnalysis.analyze(outputs: $0, factors: Self.factors.map(\.name), baseSamples: n) }
        // the second output is an affine map of the first: identical indices up to rounding
        for i in 0..<3 { #expect(abs(results[0].firstOrder[i] - results[1].firstOrder[i]) < 1e-12) }
        let files = [
            "sample.csv": SensitivityExport.sampleCSV(factors: Self.factors, sample: x),
            "results.csv": SensitivityExport.resultsCSV(names: ["y", "y2"], outputs: ys),
            "sensitivity.json": SensitivityExport.sobolJSON(factors: Self.factors,
                                                          outputs: [("y", results[0]), ("y2", results[1])]),
        ]
        let bases = Self.folders("sobol")
        defer { try? FileManager.default.removeItem(at: bases[0]) }
        for base in bases {
            let folder = base.appendingPathComponent("sobol")
            try Self.write(files, to: folder)
            let j = try Self.json(folder.appendingPathComponent("sensitivity.json"))
            #expect(j["method"] as? String == "sobol")
            #expect(j["baseSamples"] as? Int == n)
            let fs = try #require(j["factors"] as? [[String: Any]])
            #expect(fs.map { $0["name"] as? String } == ["x1", "x2", "x3"])
            #expect(fs.map { $0["lo"] as? Double } == Array(repeating: -Double.pi, count: 3))
            let outs = try #require(j["outputs"] as? [[String: Any]])
            #expect(outs.map { $0["name"] as? String } == ["y", "y2"])
            #expect(Self.same(outs[0]["S1"], results[0].firstOrder))
            #expect(Self.same(outs[0]["ST_hi"], results[0].totalOrderCI.map(\.hi)))
            #expect(Self.same(outs[1]["S1_conf"], results[1].firstOrderConf))
            let sample = try String(contentsOf: folder.appendingPathComponent("sample.csv"), encoding: .utf8)
                .split(separator: "\n")
            #expect(sample.count == n * 5 + 1)
            #expect(sample[0] == "row,x1,x2,x3")
            #expect(sample[1].split(separator: ",").dropFirst().map { Double($0)! } == x[0])
        }
    }

    @Test func morrisFolderRoundTrips() throws {
        let x = try MorrisSample.trajectories(Self.factors, trajectories: 100, seed: 42)
        let ys = Self.outputs(x)
        let results = try ys.map { try MorrisAnalysis.analyze(sample: x, outputs: $0, factors: Self.factors) }
        let files = [
            "sample.csv": SensitivityExport.sampleCSV(factors: Self.factors, sample: x),
            "results.csv": SensitivityExport.resultsCSV(names: ["y", "y2"], outputs: ys),
            "sensitivity.json": SensitivityExport.morrisJSON(factors: Self.factors,
                                                           outputs: [("y", results[0]), ("y2", results[1])]),
        ]
        let bases = Self.folders("morris")
        defer { try? FileManager.default.removeItem(at: bases[0]) }
        for base in bases {
            let folder = base.appendingPathComponent("morris")
            try Self.write(files, to: folder)
            let j = try Self.json(folder.appendingPathComponent("sensitivity.json"))
            #expect(j["method"] as? String == "morris")
            #expect(j["trajectories"] as? Int == 100 && j["levels"] as? Int == 4)
            let outs = try #require(j["outputs"] as? [[String: Any]])
            #expect(Self.same(outs[0]["mu_star"], results[0].muStar))
            #expect(Self.same(outs[1]["mu_star_lo"], results[1].muStarCI.map(\.lo)))
            #expect(Self.same(outs[1]["sigma"], results[1].sigma))
        }
    }

    @Test func numbersRoundTripExactly() {
        // 10,000 doubles from 1e-77 to 1e77 of both signs, bit patterns from a fixed SplitMix64 walk
        var z: UInt64 = 0x5EED
        for _ in 0..<10_000 {
            z &+= 0x9E37_79B9_7F4A_7C15
            var w = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            w = (w ^ (w >> 27)) &* 0x94D0_49BB_1331_11EB
            w ^= w >> 31
            let x = Double(bitPattern: (w & 0x800F_FFFF_FFFF_FFFF) | (UInt64(768 + w % 512) << 52))
            #expect(Double(SensitivityExport.number(x)) == x)
        }
        #expect(SensitivityExport.number(.nan) == "null")
        #expect(SensitivityExport.number(1e-5) == "1e-05")
    }

    @Test func namesAreQuoted() {
        #expect(SensitivityExport.string("a\"b\\c\n\u{1}") == "\"a\\\"b\\\\c\\n\\u0001\"")
        #expect(SensitivityExport.csvField("cost, total") == "\"cost, total\"")
        #expect(SensitivityExport.csvField("say \"x\"") == "\"say \"\"x\"\"\"")
        #expect(SensitivityExport.csvField("plain") == "plain")
    }
}
