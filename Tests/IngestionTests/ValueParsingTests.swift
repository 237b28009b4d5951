import Core
import Foundation
import Testing
@testable import Ingestion

@Suite("Timestamps")
struct TimestampTests {
    let base = Int64(CivilDate(year: 2018, month: 3, day: 4).dayNumber) * 86_400

    @Test func iso8601Variants() {
        let f = TimestampFormat.iso8601
        #expect(f.parse("2018-03-04") == base)
        #expect(f.parse("2018-03-04T12:30:15") == base + 45_015)
        #expect(f.parse("2018-03-04 12:30:15") == base + 45_015)
        #expect(f.parse("2018-03-04T12:30") == base + 45_000)
        #expect(f.parse("2018-03-04T12:30:15.250") == base + 45_015)
        #expect(f.parse("2018-03-04T12:30:15Z") == base + 45_015)
        #expect(f.parse("2018-03-04T12:30:15+02:00") == base + 45_015 - 7200)
        #expect(f.parse("2018-03-04T12:30:15-0530") == base + 45_015 + 19_800)
        #expect(f.parse("2018-03-04T12:30:15+01") == base + 45_015 - 3600)
    }

    @Test func otherFormats() {
        #expect(TimestampFormat.compactDate.parse("20180304") == base)
        #expect(TimestampFormat.usDate.parse("03/04/2018") == base)
        #expect(TimestampFormat.usDate.parse("3/4/2018 07:05") == base + 25_500)
        #expect(TimestampFormat.europeanDate.parse("04.03.2018") == base)
        #expect(TimestampFormat.europeanDate.parse("4.3.2018 07:05:01") == base + 25_501)
        #expect(TimestampFormat.epochSeconds.parse("1520121600") == base)
        #expect(TimestampFormat.epochSeconds.parse("1520121600.5") == base)
    }

    @Test func rejectsImpossibleAndMalformedValues() {
        for bad in ["2018-02-30", "2018-13-01", "2018-03-04T24:00:00", "2018-03-04T12:60", "2018-3-4", "04.03.2018",
                    "2018-03-04T12:30:15+", "2018-03-04X", "", "abc"] {
            #expect(TimestampFormat.iso8601.parse(bad) == nil, "\(bad)")
        }
        #expect(TimestampFormat.compactDate.parse("20180230") == nil)
        #expect(TimestampFormat.compactDate.parse("2018030") == nil)
        #expect(TimestampFormat.usDate.parse("13/01/2018") == nil)
        #expect(TimestampFormat.europeanDate.parse("31.02.2018") == nil)
        #expect(TimestampFormat.epochSeconds.parse("12abc") == nil)
    }

    @Test func detection() {
        func d(_ values: [String]) -> TimestampFormat? { TimestampFormat.detect(samples: values.map { Array($0.utf8) }) }
        #expect(d(["19970101", "19970212"]) == .compactDate)
        #expect(d(["2018-01-01T10:00:00", "2018-01-02"]) == .iso8601)
        #expect(d(["12/31/2018", "1/2/2019"]) == .usDate)
        #expect(d(["31.12.2018"]) == .europeanDate)
        #expect(d(["1520121600", "1520121601"]) == .epochSeconds)
        #expect(d(["hello"]) == nil)
    }
}

@Suite("Numbers")
struct NumberTests {
    func value(_ s: String) -> Double? { if case .success(let v) = NumberParser.parse(s) { return v } else { return nil } }

    @Test func parsesDecimals() {
        #expect(value("0") == 0)
        #expect(value("11.77") == 11.77)
        #expect(value("-3.5") == -3.5)
        #expect(value("+2") == 2)
        #expect(value(".5") == 0.5)
        #expect(value("5.") == 5)
        #expect(value("1e3") == 1000)
        #expect(value("2.5E-3") == 0.0025)
        #expect(value("0.000001") == 0.000001)
    }

    @Test func matchesTheStandardLibraryOnHardCases() {
        for s in ["0.1", "0.3", "123456789012345678901234", "1.7976931348623157e308", "4.9e-324", "9007199254740993",
                  "3.14159265358979323846264338327950288", "1e-30", "72057594037927945"] {
            #expect(value(s) == Double(s), "\(s)")
        }
        var rng = RandomSource(seed: 7)
        for _ in 0..<2000 {
            let s = String(format: "%.\(rng.below(8))f", (rng.uniform() - 0.5) * pow(10, Double(rng.below(12))))
            #expect(value(s) == Double(s), "\(s)")
        }
    }

    @Test func explainsFailures() {
        #expect(NumberParser.parse("1,5") == .failure(.decimalComma))
        #expect(NumberParser.parse("12abc") == .failure(.notANumber))
        #expect(NumberParser.parse("") == .failure(.empty))
        #expect(NumberParser.parse("-") == .failure(.notANumber))
        #expect(NumberParser.parse("1e") == .failure(.notANumber))
        #expect(NumberParser.parse("1.2.3") == .failure(.notANumber))
    }
}
