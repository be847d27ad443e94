import Testing
import SagstalReport

/// Golden tests of the numbers people read, in English and Danish.
@Suite struct NumberFormatterTests {
    let en = ReportNumberFormatter(.en)
    let da = ReportNumberFormatter(.da)

    @Test func moneyInWholeKroner() {
        #expect(en.money(1_234_567.891) == "1,234,568 DKK")
        #expect(da.money(1_234_567.891) == "1.234.568 kr.")
        #expect(en.money(-1_234.4) == "-1,234 DKK")
        #expect(da.money(-1_234.4) == "-1.234 kr.")
        #expect(da.money(999) == "999 kr.")
        #expect(da.money(0.4) == "0 kr.")
        #expect(da.money(-0.4) == "0 kr.")           // never "-0"
        #expect(da.money(2_500, sign: true) == "+2.500 kr.")
        #expect(da.money(0, sign: true) == "0 kr.")
    }

    @Test func moneyAbbreviatedFromAMillion() {
        #expect(da.moneyShort(12_345_678) == "12,3 mio. kr.")
        #expect(en.moneyShort(12_345_678) == "12.3 million DKK")
        #expect(da.moneyShort(576_889_583) == "576,9 mio. kr.")
        #expect(da.moneyShort(1_234_567_890) == "1,23 mia. kr.")
        #expect(en.moneyShort(2_500_000_000) == "2.50 billion DKK")
        #expect(da.moneyShort(-3_460_000, sign: true) == "-3,5 mio. kr.")
        #expect(da.moneyShort(3_460_000, sign: true) == "+3,5 mio. kr.")
        #expect(da.moneyShort(999_999) == "1,0 mio. kr.")
        #expect(da.moneyShort(312_457) == "312.457 kr.")
        #expect(en.moneyShort(312_457) == "312,457 DKK")
    }

    @Test func sharesAsPercentages() {
        #expect(da.percent(0.123) == "12,3 %")
        #expect(en.percent(0.123) == "12.3 %")
        #expect(da.percent(0.625, decimals: 0) == "63 %")   // half away from zero
        #expect(da.percent(-0.05, sign: true) == "-5,0 %")
        #expect(en.percent(0.03, sign: true) == "+3.0 %")
        #expect(da.percentCompact(0.2) == "20 %")
        #expect(da.percentCompact(0.125) == "12,5 %")
    }

    @Test func plainNumbers() {
        #expect(en.number(1_234.5, decimals: 1) == "1,234.5")
        #expect(da.number(1_234.5, decimals: 1) == "1.234,5")
        #expect(da.number(1_234_567) == "1.234.567")
        #expect(en.number(-0.0001, decimals: 2) == "0.00")
        #expect(da.number(0.5) == "1")
        #expect(da.number(-0.5) == "-1")
        #expect(en.number(5, sign: true) == "+5")
        #expect(da.number(0.05, decimals: 2) == "0,05")
        #expect(da.number(123_456_789_012, decimals: 0) == "123.456.789.012")
        // Decimals by size, as in the console tables.
        #expect(en.auto(12_231.2) == "12,231")
        #expect(da.auto(244.23) == "244,2")
        #expect(da.auto(9.7) == "9,70")
        #expect(en.auto(0.123) == "0.12")
        // Parameters as written.
        #expect(da.compact(25) == "25")
        #expect(da.compact(0.35) == "0,35")
        #expect(da.compact(1_234.5) == "1.234,5")
        #expect(en.compact(1_000) == "1,000")
    }

    @Test func missingValuesAreADash() {
        for f in [en, da] {
            #expect(f.number(nil) == "–")
            #expect(f.number(.nan) == "–")
            #expect(f.number(.infinity) == "–")
            #expect(f.money(nil) == "–")
            #expect(f.moneyShort(.nan) == "–")
            #expect(f.percent(nil) == "–")
            #expect(f.auto(nil) == "–")
            #expect(f.interval(nil, 3, metric: "cost.total") == "–")
        }
    }

    @Test func metricValuesInTheirUnits() {
        #expect(da.value(576_889_583, metric: "cost.total") == "576,9 mio. kr.")
        #expect(da.value(576_889_583, metric: "cost.total", short: false) == "576.889.583 kr.")
        #expect(da.value(0.039, metric: "overCapShare") == "3,9 %")
        #expect(da.value(15.63, metric: "caseloadMean") == "15,6")
        #expect(en.value(244.2, metric: "placementsStarted") == "244.2")
    }

    @Test func intervalsWriteASharedUnitOnce() {
        #expect(da.interval(12_300_000, 14_500_000, metric: "cost.total") == "12,3 – 14,5 mio. kr.")
        #expect(en.interval(12_300_000, 14_500_000, metric: "cost.total") == "12.3 – 14.5 million DKK")
        #expect(da.interval(900_000, 1_200_000, metric: "cost.total") == "900.000 kr. – 1,2 mio. kr.")
        #expect(da.interval(0.035, 0.043, metric: "overCapShare") == "3,5 – 4,3 %")
        #expect(da.interval(-2_000_000, 1_000_000, metric: "cost.total", sign: true) == "-2,0 – +1,0 mio. kr.")
        #expect(en.interval(240.6, 247.8, metric: "placementsStarted") == "240.6 – 247.8")
    }
}
