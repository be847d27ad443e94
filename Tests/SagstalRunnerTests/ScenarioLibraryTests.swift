import Foundation
import Testing
import SagstalModel
import SagstalRunner
import SagstalScenario
import SagstalStats

/// The repository's Scenarios/ folder.
let scenariosFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Scenarios")

func scenarioFiles() -> [String] {
    let fm = FileManager.default
    guard let e = fm.enumerator(atPath: scenariosFolder.path) else { return [] }
    return e.compactMap { $0 as? String }.filter { $0.hasSuffix(".yaml") }.sorted()
}

@Suite struct ScenarioLibraryTests {
    @Test func theLibraryHasTheSeedScenarios() {
        let files = Set(scenarioFiles())
        for f in ["example.yaml", "base/denmark.yaml", "broenderslev-before.yaml", "broenderslev-varige-spor.yaml",
                  "aalborg-before.yaml", "aalborg-16-extra.yaml", "ds-recommendation.yaml", "overloaded.yaml",
                  "herning-sverigesteam.yaml", "randers-outreach.yaml"] {
            #expect(files.contains(f), "Scenarios/\(f) is missing")
        }
    }

    @Test(arguments: scenarioFiles())
    func everyScenarioLoadsAndRunsTwoShortReplications(file: String) throws {
        let path = scenariosFolder.appendingPathComponent(file).path
        let loaded = try ScenarioRequest(path: path, replications: 2, years: 2).load()
        let run = try SimulationRunner.run(try CompiledScenario(loaded.scenario), replications: 2, jobs: 2)
        let i = run.layout.totalsMetrics.firstIndex(of: "cost.total")!
        #expect((run.totals[i].mean ?? 0) > 0, "\(file): no cost at all")
        #expect(run.eventsProcessed > 0)
    }

    /// Every number in a scenario file cites FACTS.md or says "assumption" (MODEL.md §7, issue 3):
    /// a line with a numeric value must have a comment, or belong to a block (its siblings, its
    /// parent key, or the comment lines just above the parent) that has one.
    @Test(arguments: scenarioFiles().filter { $0 != "example.yaml" })
    func numbersAreSourcedOrMarkedAsAssumptions(file: String) throws {
        let text = try String(contentsOf: scenariosFolder.appendingPathComponent(file), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func indent(_ l: String) -> Int { l.prefix { $0 == " " }.count }
        func isComment(_ l: String) -> Bool { l.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
        var uncited: [Int] = []
        for (n, line) in lines.enumerated() {
            let code = line.split(separator: "#", maxSplits: 1).first.map(String.init) ?? ""
            guard code.range(of: #":\s*[-+]?[0-9]"#, options: .regularExpression) != nil
                    || code.range(of: #"[\[{,]\s*[-+]?[0-9]"#, options: .regularExpression) != nil else { continue }
            if code.range(of: #"^\s*(seed|start):"#, options: .regularExpression) != nil { continue }
            if line.contains("#") { continue }
            // Walk up through the block to its parent key, then through the comments above it.
            let level = indent(line)
            var k = n - 1
            var covered = false
            while k >= 0 {
                let l = lines[k]
                if l.trimmingCharacters(in: .whitespaces).isEmpty { k -= 1; continue }
                if l.contains("#") { covered = true; break }
                if indent(l) < level { break }
                k -= 1
            }
            if !covered && k >= 0 {
                var j = k - 1
                while j >= 0 && isComment(lines[j]) { covered = true; j -= 1 }
            }
            if !covered { uncited.append(n + 1) }
        }
        #expect(uncited.isEmpty, "\(file): numeric lines without a FACTS citation or assumption in their block: \(uncited)")
        #expect(text.contains("FACTS"), "\(file) cites no FACTS section")
    }

    /// Common random numbers make the paired confidence interval of a difference narrower than
    /// the unpaired one would be (issue 3), on the seed scenarios.
    @Test func pairedIntervalsAreNarrowerThanUnpairedOnTheSeedScenarios() throws {
        for (a, b) in [("broenderslev-before.yaml", "broenderslev-varige-spor.yaml"), ("aalborg-before.yaml", "aalborg-16-extra.yaml")] {
            let requests = [a, b].map { ScenarioRequest(path: scenariosFolder.appendingPathComponent($0).path, replications: 20, years: 3) }
            let loaded = try CompareJob.load(requests)
            let result = try CompareJob.run(loaded.scenarios.map(\.scenario), names: [a, b], jobs: 2)
            let p = result.pairs[0]
            for metric in ["notifications", "casesOpened", "placementsStarted", "cost.total"] {
                let i = p.differences.layout.totalsMetrics.firstIndex(of: metric)!
                let s = p.differences.totals[i]
                let paired = (s.ci95Hi! - s.ci95Lo!) / 2
                let unpaired = try #require(p.unpairedCi95HalfWidth[i])
                #expect(paired < unpaired, "\(a) vs \(b), \(metric): paired ±\(paired) vs unpaired ±\(unpaired)")
            }
        }
    }

    /// Model version 2 (MODEL.md §3): with per-child and per-position streams, the variance over
    /// replications of the paired difference of `cost.total` and `placementsStarted` is at least
    /// 10 times smaller than that of the unpaired difference (var A + var B), on both seed pairs.
    /// Fixed seeds (the files'), fewer replications (and for Aalborg 5 of its 10 years) than the
    /// files so the debug build stays quick; at the files' 200 replications × 10 years the ratios are
    /// 26× / 19× (Brønderslev) and 54× / 29× (Aalborg), see BENCHMARKS.md. The ratios printed here
    /// are deterministic for these settings (28× / 16× and 88× / 31× in this build).
    @Test(arguments: [("broenderslev-before.yaml", "broenderslev-varige-spor.yaml", 40, 10.0),
                      ("aalborg-before.yaml", "aalborg-16-extra.yaml", 30, 5.0)])
    func pairedVarianceIsTenTimesSmallerThanUnpaired(pair: (String, String, Int, Double)) throws {
        let (a, b, n, years) = pair
        let requests = [a, b].map {
            ScenarioRequest(path: scenariosFolder.appendingPathComponent($0).path, replications: n, years: years)
        }
        let loaded = try CompareJob.load(requests)
        let result = try CompareJob.run(loaded.scenarios.map(\.scenario), names: [a, b], jobs: 2)
        func variance(_ x: [Double]) -> Double {
            let m = x.reduce(0, +) / Double(x.count)
            return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
        }
        for metric in ["cost.total", "placementsStarted"] {
            let i = result.runs[0].layout.totalsMetrics.firstIndex(of: metric)!
            let x = result.runs[0].replicationTotals.map { $0[i] }
            let y = result.runs[1].replicationTotals.map { $0[i] }
            #expect(x.count == n && y.count == n)
            let paired = variance(zip(x, y).map { $1 - $0 })
            let unpaired = variance(x) + variance(y)
            let ratio = unpaired / paired
            print("variance reduction \(b) vs \(a), \(metric), n = \(n): paired \(paired), unpaired \(unpaired), ratio \(ratio)")
            #expect(ratio >= 10, "\(b) vs \(a), \(metric): unpaired/paired variance = \(ratio) (< 10)")
        }
    }
}
