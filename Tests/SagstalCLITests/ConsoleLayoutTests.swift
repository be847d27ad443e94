import Foundation
import Testing

/// What the console shows, end to end: the compare table fits the terminal, the sweep shows the
/// scenario's own caseload unit, and messages name folders as the user would type them.
@Suite struct ConsoleLayoutTests {
    static func sagstal(_ args: [String], in dir: URL, environment: [String: String] = [:]) throws -> CLITests.Output {
        try CLITests.sagstal(args, in: dir, environment: environment)
    }

    /// CLITests.good with its caps counted in families of 1.5 children.
    static let families = CLITests.good + "\ncaseload: {casesCountedAs: families, childrenPerFamily: 1.5}\n"

    /// The table part of compare's console output (header to the line before the first blank).
    static func tableLines(_ stdout: String) -> [String] {
        let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("Total over the horizon") }) else { return [] }
        return Array(lines[start...].prefix { !$0.isEmpty })
    }

    @Test func compareFitsColumnsAndPipesGetTheFullTable() throws {
        let dir = try CLITests.workspace(["base-scenario-with-a-long-name.yaml": CLITests.good,
                                          "alternative-scenario-with-a-long-name.yaml": CLITests.good.replacingOccurrences(of: "costPerYear: 500000", with: "costPerYear: 520000")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let args = ["compare", "base-scenario-with-a-long-name.yaml", "alternative-scenario-with-a-long-name.yaml", "-o", "out"]
        let piped = try Self.sagstal(args, in: dir)
        #expect(piped.status == 0, "\(piped.stderr)")
        let full = Self.tableLines(piped.stdout)
        #expect(full.first?.contains("base-scenario-with-a-long-name") == true)
        #expect((full.map(\.count).max() ?? 0) > 80, "this pair's full table is wider than 80 columns")
        let narrow = try Self.sagstal(args + ["--force"], in: dir, environment: ["COLUMNS": "80"])
        #expect(narrow.status == 0, "\(narrow.stderr)")
        let lines = Self.tableLines(narrow.stdout)
        #expect(!lines.isEmpty && lines.allSatisfy { $0.count <= 80 }, "\(lines)")
        #expect(lines.suffix(2) == ["A = base-scenario-with-a-long-name (baseline)",
                                    "B = alternative-scenario-with-a-long-name; CI of the paired difference"])
        // The relative folder, as typed, in every clone.
        #expect(narrow.stdout.contains("\nWrote out/ (open report.html in a browser)"), "\(narrow.stdout)")
    }

    @Test func sweepShowsFamiliesBesideChildren() throws {
        let dir = try CLITests.workspace(["fam.yaml": Self.families])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.sagstal(["sweep", "fam.yaml", "--vary", "teams.team.caseworkers=3,5", "-o", "sw"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.hasPrefix("teams.team.caseworkers") })
        #expect(header.contains("caseload (families)") && header.contains("(children)"), "\(header)")
        // families = children / 1.5 on every point (the model's definition of caseloadFamiliesMean).
        for row in lines.filter({ $0.hasPrefix("3 ") || $0.hasPrefix("5 ") }) {
            let cells = row.split(separator: " ").map(String.init)
            let families = try #require(Double(cells[1])), children = try #require(Double(cells[2]))
            #expect(abs(families - children / 1.5) <= 0.051 + 0.05 / 1.5, "\(row)")
        }
        let csv = try String(contentsOf: dir.appendingPathComponent("sw/sweep.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("scenario,point,teams.team.caseworkers,metric,"))
        #expect(csv.split(separator: "\n")[1].hasPrefix("fam,0,3,"))
        // The report's cards, charts and grid table show families too, children beside them in the table.
        let html = try String(contentsOf: dir.appendingPathComponent("sw/report.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "Mean caseload (families)").count - 1 >= 3, "card, chart and table")
        #expect(html.contains(">Caseload (families)</th>") && html.contains(">Caseload (children)</th>"))
    }
}
