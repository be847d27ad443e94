import Testing
import SagstalOutput
import SagstalStats

/// The console tables in Danish; English stays what it was.
@Suite struct ConsoleTableLanguageTests {
    @Test func keyTotals() throws {
        let run = try Fixture.run()
        let en = ConsoleTable.keyTotals(run, title: "t")
        #expect(en == ConsoleTable.keyTotals(run, title: "t", language: .en))
        #expect(en.contains("Total over the horizon") && en.contains("Total cost (DKK)"))
        let da = ConsoleTable.keyTotals(run, title: "t", language: .da)
        #expect(da.contains("I alt over perioden") && da.contains("gennemsnit") && da.contains("95 %-KI"))
        #expect(da.contains("Nye anbringelser") && da.contains("Samlet udgift (kr.)"))
        // Same numbers, Danish separators: 120,000,000 → 120.000.000; 0.20 → 0,20.
        let enCost = en.split(separator: "\n").first { $0.hasPrefix("Total cost (DKK)") }!
        let daCost = da.split(separator: "\n").first { $0.hasPrefix("Samlet udgift (kr.)") }!
        let enNumbers = enCost.split(separator: " ").filter { $0.first?.isNumber == true }
        let daNumbers = daCost.split(separator: " ").filter { $0.first?.isNumber == true }
        #expect(enNumbers.map { String($0).replacingOccurrences(of: ",", with: ".") } == daNumbers.map(String.init))
        #expect(ConsoleTable.format(0.123, metric: "overCapShare", language: .da) == "12,3 %")
        #expect(ConsoleTable.format(15.63, metric: "caseloadMean", language: .da) == "15,6")
        #expect(ConsoleTable.format(1_234_567.8, metric: "cost.total", language: .da) == "1.234.568")
    }

    @Test func comparisonAndSweep() throws {
        let (pair, runs, _) = try Fixture.comparison()
        let en = ConsoleTable.comparison(pair, baseline: "a", alternative: "b")
        #expect(en == ConsoleTable.comparison(pair, baseline: "a", alternative: "b", language: .en))
        #expect(en.contains("Placements avoided:") && en.contains("Break-even budget year (median): 2027"))
        let da = ConsoleTable.comparison(pair, baseline: "a", alternative: "b", language: .da)
        #expect(da.contains("Undgåede anbringelser:") && da.contains("Nettoudgift for b:"))
        #expect(da.contains("Tjent hjem i budgetåret (median): 2027") && da.contains("koster mindre end a over perioden: 62 %"))
        // The median line and the mean curve's line agree with the report and comparison.json.
        #expect(en.contains("Break-even budget year (median): 2027 — for good by then in 62 % of replications; not within the horizon in 38 %"))
        #expect(en.contains("Break-even of the mean cumulative net cost: 2027 (crosses zero ≈ 2027-10)"))
        #expect(da.contains("Tjent hjem for den gennemsnitlige akkumulerede nettoudgift: 2027 (krydser nul ≈ 2027-10)"))
        let (never, _, _) = try Fixture.comparison(breakEvenCounts: [0, 1], never: 7, cumulativeStep: 0)
        let none = ConsoleTable.comparison(never, baseline: "a", alternative: "b")
        #expect(none.contains("Break-even budget year (median): not within the horizon (no break-even in 88 % of replications)"))
        #expect(none.contains("Break-even of the mean cumulative net cost: not within the horizon"))
        // Cheaper from the first year on: the mean is at or below zero from the start.
        let (early, _, _) = try Fixture.comparison(breakEvenCounts: [8, 0], never: 0, cumulativeStart: -3e6)
        #expect(early.meanBreakEvenCrossing == 0)
        #expect(ConsoleTable.comparison(early, baseline: "a", alternative: "b")
                .contains("Break-even of the mean cumulative net cost: 2026 (at or below zero from the start)"))
        let sweepEN = ConsoleTable.sweep(paths: ["teams.east.cap"], points: [["20"], ["25"]], runs: runs, lowest: 0)
        #expect(sweepEN == ConsoleTable.sweep(paths: ["teams.east.cap"], points: [["20"], ["25"]], runs: runs, lowest: 0, language: .en))
        #expect(sweepEN.contains("◀ lowest total cost"))
        let sweepDA = ConsoleTable.sweep(paths: ["teams.east.cap"], points: [["20"], ["25"]], runs: runs, lowest: 0, language: .da)
        #expect(sweepDA.contains("◀ laveste samlede udgift") && sweepDA.contains("samlet udgift (kr.)"))
        #expect(!sweepEN.contains("assumption"))
    }

    /// A terminal narrower than the table gets the narrow layout: A and B named below, amounts in
    /// millions; the same numbers; a pipe (no width) or a wide terminal gets the full table.
    @Test func comparisonFitsTheTerminal() throws {
        let (pair, _, _) = try Fixture.comparison()
        let a = "broenderslev-before", b = "broenderslev-varige-spor"
        let full = ConsoleTable.comparison(pair, baseline: a, alternative: b)
        #expect(ConsoleTable.comparison(pair, baseline: a, alternative: b, width: 400) == full)
        let table = { (s: String) in s.components(separatedBy: "\n\n")[0].split(separator: "\n").map(String.init) }
        let wideWidth = table(full).map(\.count).max()!
        #expect(wideWidth > 80, "the fixture's full table is wider than 80 columns (\(wideWidth))")
        let narrow = ConsoleTable.comparison(pair, baseline: a, alternative: b, width: 80)
        let lines = table(narrow)
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.filter { $0.count > 80 })")
        #expect(lines[0].hasPrefix("Total over the horizon") && lines[0].hasSuffix("95 % CI") && lines[0].contains("B − A"))
        #expect(lines.suffix(2) == ["A = \(a) (baseline)", "B = \(b); CI of the paired difference"])
        // Money in millions: the full table's total cost difference / 1e6, one decimal.
        func cells(_ line: String?) -> [String] { (line ?? "").components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        let fullCost = cells(table(full).first { $0.hasPrefix("Total cost (DKK)") })
        let narrowCost = cells(lines.first { $0.hasPrefix("Total cost (mio. DKK)") })
        let difference = Double(fullCost[3].replacingOccurrences(of: ",", with: ""))!
        #expect(narrowCost[3] == (difference > 0 ? "+" : "") + String(format: "%.1f", difference / 1e6)
                || narrowCost[3] == (difference > 0 ? "+" : "") + String(format: "%.2f", difference / 1e6))
        // Counts keep their values; the lines after the table are the same.
        let placements = { (t: [String]) in cells(t.first { $0.hasPrefix("Placements started") }) }
        #expect(placements(lines) == placements(table(full)))
        #expect(narrow.components(separatedBy: "\n\n").dropFirst() == full.components(separatedBy: "\n\n").dropFirst())
        let da = ConsoleTable.comparison(pair, baseline: a, alternative: b, language: .da, width: 80)
        #expect(da.contains("Samlet udgift (mio. kr.)") && da.contains("A = \(a) (basis)\nB = \(b); KI for den parrede forskel"))
    }

    /// An axis that is an assumption is headed and explained; the marker follows the marked points.
    @Test func sweepOverAnAssumption() throws {
        let runs = try (0..<4).map { try Fixture.run(salt: Double($0)) }
        let only = ConsoleTable.sweep(paths: ["caseload.elasticity.escalate"], points: [["0"], ["0.5"]], runs: Array(runs.prefix(2)),
                                      marked: [], assumptions: [true])
        let lines = only.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("caseload.elasticity.escalate (assumption)"))
        #expect(!only.contains("◀"))
        #expect(lines.contains("caseload.elasticity.escalate — assumption: no measured value, FACTS §5–6 — the lowest cost here says what the assumption implies, not what to choose"))
        #expect(lines.last == "No point is marked as the lowest cost: every varied parameter is an assumption.")
        let points = [["4", "0"], ["4", "0.5"], ["6", "0"], ["6", "0.5"]]
        let mixed = ConsoleTable.sweep(paths: ["teams.east.caseworkers", "caseload.elasticity.escalate"], points: points, runs: runs,
                                       marked: [0, 3], assumptions: [false, true])
        let rows = mixed.split(separator: "\n").map(String.init)
        #expect(rows[0].hasPrefix("teams.east.caseworkers  caseload.elasticity.escalate (assumption)"))
        #expect(rows[2].hasSuffix("◀ lowest total cost at this assumed value") && rows[5].hasSuffix("◀ lowest total cost at this assumed value"))
        #expect(!rows[3].contains("◀") && !rows[4].contains("◀"))
        #expect(rows.last == "The lowest cost is marked for each assumed value, over the other parameters.")
        let da = ConsoleTable.sweep(paths: ["teams.east.caseworkers", "caseload.elasticity.escalate"], points: points, runs: runs,
                                    marked: [0, 3], assumptions: [false, true], language: .da)
        #expect(da.contains("caseload.elasticity.escalate (antagelse)") && da.contains("◀ laveste samlede udgift ved denne antagne værdi"))
        #expect(da.contains("antagelse: ingen målt værdi, FACTS §5–6"))
    }

    @Test func labelsForEveryMetric() {
        for language in ReportLanguage.allCases {
            for metric in Fixture.layout.totalsMetrics {
                let label = Localizer.metric(metric, language, stepNames: ["prevention": "Forebyggelse"])
                #expect(label != metric, "no \(language) label for \(metric)")
            }
        }
        #expect(Localizer.metric("step.prevention.end", .da, stepNames: ["prevention": "Forebyggelse"]) == "Forebyggelse: børn ved periodens slutning")
        #expect(Localizer.metric("cost.step.foster", .en) == "foster")
        #expect(Localizer.unit(of: "cost.step.foster") == .money)
        #expect(Localizer.unit(of: "overCapShare") == .share)
        #expect(Localizer.unit(of: "placedEnd") == .children)
        #expect(Localizer.unit(of: "step.foster.childYears") == .years)
    }
}

@Suite struct ConsoleTableRuleTests {
    /// The rule under the header has one segment per titled column: a trailing untitled note
    /// column (the sweep's "◀ lowest total cost") gets none (issue 13).
    @Test func theRuleStopsAtTheLastTitledColumn() {
        let text = ConsoleTable.render([["axis", "cost", ""], ["20", "1,000", "◀ lowest total cost"], ["30", "2,000", ""]])
        let rule = text.split(separator: "\n")[1]
        #expect(rule.split(separator: " ").count == 2 && rule == "────  ─────", "\(rule)")
    }
}
