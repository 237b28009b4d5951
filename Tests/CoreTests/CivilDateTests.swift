import Core
import Testing

@Suite("Civil dates")
struct CivilDateTests {
    @Test func knownDayNumbers() {
        #expect(CivilDate(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(CivilDate(year: 2000, month: 3, day: 1).dayNumber == 11_017)
        #expect(CivilDate(year: 1997, month: 1, day: 1).dayNumber == 9_862)
        #expect(CivilDate(year: 1969, month: 12, day: 31).dayNumber == -1)
        #expect(CivilDate(dayNumber: 17_532) == CivilDate(year: 2018, month: 1, day: 1))
    }

    @Test func roundTripsEveryDayOverFourCenturies() {
        var expected = CivilDate(year: 1800, month: 1, day: 1)
        for day in expected.dayNumber...CivilDate(year: 2200, month: 12, day: 31).dayNumber {
            let d = CivilDate(dayNumber: day)
            #expect(d == expected)
            #expect(d.dayNumber == day)
            if !(d == expected) { break }
            expected.day += 1
            if expected.day > CivilDate.daysInMonth(year: expected.year, month: expected.month) {
                expected.day = 1; expected.month += 1
                if expected.month > 12 { expected.month = 1; expected.year += 1 }
            }
        }
    }

    @Test func validityAndLeapYears() {
        #expect(!CivilDate(year: 2018, month: 2, day: 30).isValid)
        #expect(!CivilDate(year: 2019, month: 2, day: 29).isValid)
        #expect(CivilDate(year: 2020, month: 2, day: 29).isValid)
        #expect(!CivilDate(year: 1900, month: 2, day: 29).isValid)
        #expect(CivilDate(year: 2000, month: 2, day: 29).isValid)
        #expect(CivilDate(iso: "2018-02-30") == nil)
        #expect(CivilDate(iso: "2018-12-31")?.description == "2018-12-31")
    }

    @Test func weekdaysAndMonths() {
        #expect(CivilDate.weekday(dayNumber: 0) == 4)  // 1970-01-01 was a Thursday
        #expect(CivilDate.weekday(dayNumber: CivilDate(year: 2026, month: 11, day: 22).dayNumber) == 7)
        #expect(CivilDate(year: 2018, month: 11, day: 5).firstOfMonth(adding: 2) == CivilDate(year: 2019, month: 1, day: 1))
        #expect(CivilDate(year: 2018, month: 1, day: 5).firstOfMonth(adding: -1) == CivilDate(year: 2017, month: 12, day: 1))
        #expect(dayNumber(ofSeconds: -1) == -1)
        #expect(dayNumber(ofSeconds: 86_399) == 0)
    }
}
