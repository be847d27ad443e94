import Foundation
import Testing
import SagstalOutput
import SagstalStats

/// `--csv-dialect excel-da`: `;` between fields, decimal commas, a UTF-8 byte-order mark, the
/// same header names and the same values; the standard dialect is unchanged.
@Suite struct CSVDialectTests {
    /// Splits `;`- or `,`-separated text into rows (quotes honoured, BOM stripped).
    func rows(_ text: String, separator: Character) -> [[String]] {
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        var out: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(body)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == separator { row.append(field); field = "" }
            else if c == "\n" { row.append(field); out.append(row); row = []; field = "" }
            else { field.append(c) }
        }
        return out
    }

    /// Checks that an excel-da text holds the same table as the standard one: same header,
    /// same labels, numbers with a decimal comma and the same value.
    func checkSameTable(standard: String, excel: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!standard.hasPrefix("\u{FEFF}"), sourceLocation: sourceLocation)
        #expect(excel.hasPrefix("\u{FEFF}"), sourceLocation: sourceLocation)
        let a = rows(standard, separator: ","), b = rows(excel, separator: ";")
        #expect(a.count == b.count && a.count > 1, sourceLocation: sourceLocation)
        #expect(a.first == b.first, sourceLocation: sourceLocation)   // header names unchanged
        var decimalCommas = 0
        for (ra, rb) in zip(a.dropFirst(), b.dropFirst()) {
            #expect(ra.count == rb.count, sourceLocation: sourceLocation)
            for (x, y) in zip(ra, rb) {
                if let v = Double(x), x.contains(".") || x.contains("e") {
                    #expect(!y.contains("."), sourceLocation: sourceLocation)
                    #expect(Double(y.replacingOccurrences(of: ",", with: ".")) == v, sourceLocation: sourceLocation)
                    if y.contains(",") { decimalCommas += 1 }
                } else if Double(x) == nil {
                    #expect(x == y, sourceLocation: sourceLocation)
                }
            }
        }
        #expect(decimalCommas > 0, sourceLocation: sourceLocation)
    }

    @Test func runFiles() throws {
        let run = try Fixture.run()
        for monthly in [false, true] {
            let standard = RunWriter.periodCSV(run, monthly: monthly)
            #expect(standard == RunWriter.periodCSV(run, monthly: monthly, dialect: .standard))
            #expect(standard.hasPrefix(monthly ? "month,metric,mean,sd,ci95_lo,ci95_hi,p5,p50,p95\n" : "year,metric,mean,sd,ci95_lo,ci95_hi,p5,p50,p95\n"))
            let excel = RunWriter.periodCSV(run, monthly: monthly, dialect: .excelDa)
            #expect(excel.hasPrefix("\u{FEFF}" + (monthly ? "month" : "year") + ";metric;mean;sd;ci95_lo;ci95_hi;p5;p50;p95\n"))
            checkSameTable(standard: standard, excel: excel)
            #expect(excel.contains(";waitDaysMean;;;;;;;\n"))   // empty statistics stay empty cells
        }
        let standard = RunWriter.replicationsCSV(run)
        let excel = RunWriter.replicationsCSV(run, dialect: .excelDa)
        #expect(standard == RunWriter.replicationsCSV(run, dialect: .standard))
        checkSameTable(standard: standard, excel: excel)
    }

    @Test func comparisonAndSweepFiles() throws {
        let (pair, _, info) = try Fixture.comparison()
        var semicolonInfo = info
        semicolonInfo.names = ["base;v1", "more-staff"]
        checkSameTable(standard: ComparisonWriter.csv([pair], info: semicolonInfo),
                       excel: ComparisonWriter.csv([pair], info: semicolonInfo, dialect: .excelDa))
        #expect(ComparisonWriter.csv([pair], info: semicolonInfo, dialect: .excelDa).contains("\n\"base;v1\";more-staff;total;"))
        #expect(ComparisonWriter.csv([pair], info: info) == ComparisonWriter.csv([pair], info: info, dialect: .standard))

        let runs = try [Fixture.run(), Fixture.run(salt: 1)]
        let points = [["0.3", "overflow"], ["1e-2", "waitlist"]]
        let standard = SweepWriter.csv(scenario: "example", paths: ["staff.turnover.perYear", "teams.east.policy"], points: points, runs: runs)
        let excel = SweepWriter.csv(scenario: "example", paths: ["staff.turnover.perYear", "teams.east.policy"], points: points, runs: runs, dialect: .excelDa)
        #expect(standard.hasPrefix("scenario,point,staff.turnover.perYear,teams.east.policy,metric,mean,"))
        #expect(excel.contains("\nexample;0;0,3;overflow;notifications;"))
        #expect(excel.contains("\nexample;1;1E-2;waitlist;notifications;") || excel.contains("\nexample;1;1e-2;waitlist;notifications;"))
        checkSameTable(standard: standard, excel: excel)
    }

    @Test func fieldsAndNumbers() {
        #expect(CSV.line(["a;b", "c,d", "e"], dialect: .excelDa) == "\"a;b\";c,d;e\n")
        #expect(CSV.line(["a;b", "c,d", "e"]) == "a;b,\"c,d\",e\n")
        #expect(CSVDialect.excelDa.number(1234.5) == "1234,5")
        #expect(CSVDialect.excelDa.number(1.5e-05) == "1,5E-05")
        #expect(CSVDialect.excelDa.number(576_889_583) == "576889583")
        #expect(CSVDialect.excelDa.number(.nan) == nil)
        #expect(CSVDialect.standard.number(1234.5) == "1234.5")
        #expect(CSVDialect(rawValue: "excel-da") == .excelDa)
        #expect(CSVDialect.allCases.map(\.rawValue) == ["standard", "excel-da"])
    }

    @Test func filesAreWrittenInTheDialect() throws {
        let run = try Fixture.run()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sagstal-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try RunWriter.write(run, metadata: Fixture.metadata(run), resolvedYAML: "name: x\n", to: dir, dialect: .excelDa,
                            additionalFiles: [(name: "report.html", contents: "<!DOCTYPE html>\n")])
        let yearly = try Data(contentsOf: dir.appendingPathComponent("yearly.csv"))
        #expect(Array(yearly.prefix(3)) == [0xEF, 0xBB, 0xBF])   // the UTF-8 byte-order mark Excel looks for
        #expect(String(decoding: yearly.dropFirst(3).prefix(13), as: UTF8.self) == "year;metric;m")
        #expect(try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8) == "<!DOCTYPE html>\n")
        let summary = try String(contentsOf: dir.appendingPathComponent("summary.json"), encoding: .utf8)
        #expect(summary.contains("\"mean\": ") && !summary.contains(";"))   // JSON is not affected
    }
}
