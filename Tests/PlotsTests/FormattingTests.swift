import Core
import Testing
@testable import Plots

@Suite("Number and date formatting")
struct FormattingTests {
    @Test func coordinatesAreShortAndLocaleFree() {
        #expect(svgNumber(12.5) == "12.5")
        #expect(svgNumber(-3) == "-3")
        #expect(svgNumber(0.07) == "0.07")
        #expect(svgNumber(0.001) == "0")
        #expect(svgNumber(-0.001) == "0")
        #expect(svgNumber(100.104) == "100.1")
        #expect(svgNumber(.nan) == "0")
    }

    @Test func thousandsSeparatorsAndDecimals() {
        #expect(NumberFormatting.grouped(1_234_567.8, decimals: 1) == "1,234,567.8")
        #expect(NumberFormatting.grouped(-1234, decimals: 0) == "-1,234")
        #expect(NumberFormatting.grouped(999.996, decimals: 2) == "1,000.00")
        #expect(NumberFormatting.grouped(-0.001, decimals: 2) == "0.00")
        #expect(NumberFormatting.format(0.25, step: 0.25) == "0.25")
        #expect(NumberFormatting.format(2500, step: 500) == "2,500")
    }

    @Test func siSuffixesSharedAcrossAnAxis() {
        #expect(NumberFormatting.format(5000, style: .si, step: 5000, magnitude: 15000) == "5k")
        #expect(NumberFormatting.format(15000, style: .si, step: 5000, magnitude: 15000) == "15k")
        #expect(NumberFormatting.format(2_500_000, style: .si, step: 500_000, magnitude: 3_000_000) == "2.5M")
        #expect(NumberFormatting.format(800, style: .si, step: 200, magnitude: 1000) == "800")
    }

    @Test func percentAndCurrency() {
        #expect(NumberFormatting.format(0.47, style: .percent, step: 0.1) == "47%")
        #expect(NumberFormatting.format(0.125, style: .percent, step: 0.025) == "12.5%")
        #expect(NumberFormatting.format(12345.6, style: .currency(symbol: "$")) == "$12,346")
        #expect(NumberFormatting.format(9.5, style: .currency(symbol: "$")) == "$9.50")
    }

    @Test func niceSteps() {
        #expect(NiceNumbers.step(span: 97, count: 5) == 20)
        #expect(NiceNumbers.step(span: 1, count: 4) == 0.25)
        #expect(NiceNumbers.step(span: 0.03, count: 6) == 0.005)
        #expect(NiceNumbers.step(span: 0, count: 6) == 1)
    }

    @Test func datesRoundTripAndWeekdays() {
        for d in [-1000, 0, 59, 10_956, 17_897, 18_261, 30_000] {
            #expect(CivilDate(dayNumber: d).dayNumber == d)
        }
        #expect(CivilDate(dayNumber: 0).description == "1970-01-01")
        #expect(CivilDate.weekdayIndex(dayNumber: 0) == 3)  // a Thursday
        #expect(CivilDate(year: 2020, month: 2, day: 29).dayNumber + 1 == CivilDate(year: 2020, month: 3, day: 1).dayNumber)
        #expect(CivilDate.firstOfMonth(monthIndex: CivilDate(year: 2019, month: 12, day: 5).monthIndex + 1) == CivilDate(year: 2020, month: 1, day: 1))
    }
}

@Suite("Scales and ticks")
struct ScaleTests {
    @Test func linearTicksAreNiceAndCoverTheData() {
        let s = ResolvedScale.resolve(Axis(tickCount: 5), values: [3, 97], range: (0, 500))
        #expect(s.ticks.map(\.value) == [0, 20, 40, 60, 80, 100])
        #expect(s.ticks.map(\.label) == ["0", "20", "40", "60", "80", "100"])
        #expect(s.position(50) == 250)
    }

    @Test func onePointStillHasADomain() {
        let s = ResolvedScale.resolve(Axis(includesZero: false), values: [5], range: (0, 100))
        #expect(s.domain.lowerBound < 5 && s.domain.upperBound > 5)
        #expect(s.ticks.count >= 2)
        let z = ResolvedScale.resolve(Axis(), values: [0, 0], range: (0, 100))
        #expect(z.domain.upperBound > z.domain.lowerBound)
    }

    @Test func logTicksArePowersOfTen() {
        let s = ResolvedScale.resolve(Axis(kind: .log), values: [1, 3, 250], range: (0, 300))
        #expect(s.ticks.map(\.value) == [1, 10, 100, 1000])
        #expect(s.position(1) == 0 && s.position(1000) == 300)
        #expect(abs(s.position(10) - 100) < 1e-9)
    }

    @Test func timeTicksPickMonthsOrYearsWithReadableLabels() {
        let lo = Double(CivilDate(year: 2017, month: 1, day: 1).dayNumber), hi = Double(CivilDate(year: 2019, month: 12, day: 31).dayNumber)
        let years = ResolvedScale.resolve(Axis(kind: .time, tickCount: 4), values: [lo, hi], range: (0, 600))
        #expect(years.ticks.map(\.label) == ["2017", "2018", "2019"])
        let months = ResolvedScale.resolve(Axis(kind: .time, tickCount: 8),
                                           values: [lo, Double(CivilDate(year: 2017, month: 12, day: 31).dayNumber)], range: (0, 600))
        #expect(months.ticks.first?.label == "Jan 2017")
        #expect(months.ticks.dropFirst().allSatisfy { $0.label.count == 3 })
        let days = ResolvedScale.resolve(Axis(kind: .time, tickCount: 6), values: [lo, lo + 9], range: (0, 600))
        #expect(days.ticks.first?.label == "Jan 1, 2017")
        #expect(days.ticks.count >= 4)
    }

    @Test func bandScalesCentreEachCategory() {
        let s = ResolvedScale.resolve(Axis(kind: .band(["a", "b", "c", "d"])), values: [], range: (0, 400))
        #expect(s.position(0) == 50 && s.position(3) == 350)
        #expect(s.bandWidth == 80)
    }
}
