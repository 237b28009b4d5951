import Core
import Foundation
import Testing
@testable import Backtest
@testable import Features
@testable import Ingestion
@testable import Models

/// A model that refuses some cutoffs, to see what the backtest does with a failure.
private struct RefusingForecaster: Forecaster {
    struct Refusal: Error, CustomStringConvertible {
        var description: String { "refuses this cutoff" }
    }

    /// Cutoffs (day numbers) at which `fit` throws.
    var refused: Set<Int>
    var name: String { "refusing" }
    var needsTrainingPanel: Bool { false }

    mutating func fit(panel: TrainingPanel?, events: EventLog, cutoff: Int, observer: TrainingObserver?) throws {
        if refused.contains(cutoff) { throw Refusal() }
    }

    func predict(_ features: FeatureMatrix, horizonDays: Int) throws -> [Double] {
        [Double](repeating: 0.5, count: features.rowCount)
    }

    func describe() -> ModelDescription { ModelDescription(kind: name) }
}

@Suite("Backtest with failing models")
struct FailedFitTests {
    /// 50 customers buying every 20 days through 2019.
    func events() -> EventLog {
        let start = CivilDate(year: 2019, month: 1, day: 1).dayNumber
        var t = UngroupedTransactions(customer: [], customerIDs: (0..<50).map { "c\($0)" }, seconds: [])
        for c in 0..<50 {
            for day in stride(from: start + c % 20, to: start + 365, by: 20) {
                t.customer.append(Int32(c))
                t.seconds.append(Int64(day) * 86_400 + 3_600)
                t.amount.append(10)
                t.quantity.append(1)
            }
        }
        return EventLog(TransactionLog.grouping(t).log)
    }

    @Test func aFailureIsARowAndTheRunGoesOn() throws {
        let cutoffs = RollingOriginBacktest.monthStarts(from: CivilDate(year: 2019, month: 9, day: 1),
                                                        through: CivilDate(year: 2019, month: 11, day: 1))
        let october = CivilDate(year: 2019, month: 10, day: 1)
        var told: [String] = []
        let rows = try RollingOriginBacktest(cutoffs: cutoffs).run(
            events: events(), models: [ZeroForecaster(), RefusingForecaster(refused: [october.dayNumber])]) { told.append($0) }
        // Every model has a row at every cutoff; only the refused one failed.
        #expect(rows.count == 6)
        let failed = rows.filter { $0.error != nil }
        #expect(failed.count == 1)
        #expect(failed[0].model == "refusing" && failed[0].cutoff == october.description)
        #expect(failed[0].error == "refuses this cutoff" && failed[0].deviance.isNaN && !failed[0].isScored)
        #expect(told.contains { $0.contains("refusing failed: refuses this cutoff") })
        // Its mean is over the two other cutoffs and says so.
        let means = RollingOriginBacktest.means(rows)
        let refusing = try #require(means.first { $0.model == "refusing" })
        let scored = rows.filter { $0.model == "refusing" && $0.error == nil }
        #expect(refusing.deviance == (scored[0].deviance + scored[1].deviance) / 2)
        #expect(refusing.error == "failed at 1 of 3 cutoffs; the mean of the others")
        #expect(means.first { $0.model == "zero" }?.error == nil)
    }

    @Test func aModelThatFailsEverywhereHasNoMeanAndJSONSaysNull() throws {
        let cutoffs = [CivilDate(year: 2019, month: 10, day: 1), CivilDate(year: 2019, month: 11, day: 1)]
        let rows = try RollingOriginBacktest(cutoffs: cutoffs).run(
            events: events(), models: [RefusingForecaster(refused: Set(cutoffs.map(\.dayNumber)))])
        let mean = try #require(RollingOriginBacktest.means(rows).first)
        #expect(mean.deviance.isNaN && mean.error == "failed at every cutoff (2)")
        // JSON has null metrics and the reason; it reads back to the same rows.
        let json = try TextQuoting.jsonText(rows + [mean], pretty: false)
        #expect(json.contains("\"deviance\":null") && json.contains("\"error\":\"refuses this cutoff\""))
        let back = try JSONDecoder.snakeCase.decode([BacktestRow].self, from: Data(json.utf8))
        #expect(back == rows + [mean])
    }

    @Test func rowsWithoutIntervalScoresEncodeThemAsNull() throws {
        let row = BacktestRow(model: "m", cutoff: "2019-10-01", customers: 3, deviance: 1, rmse: 2, mae: 3, bias: 0.5,
                              top10Capture: 0.25, fitSeconds: 0, predictSeconds: 0)
        let json = try TextQuoting.jsonText(row, pretty: false)
        #expect(json == #"{"bias":0.5,"coverage80":null,"customers":3,"cutoff":"2019-10-01","deviance":1,"fit_seconds":0,"log_score":null,"mae":3,"model":"m","nominal80":null,"predict_seconds":0,"rmse":2,"top10_capture":0.25}"#)
    }
}

private extension JSONDecoder {
    static var snakeCase: JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }
}
