import Core
import Foundation
import Testing
@testable import Features
@testable import Models

@Suite("auto: the recommended model")
struct AutoForecasterTests {
    /// 600 ordinary customers over two years, cut at a month start.
    static func shop(seed: UInt64 = 3) -> GeneratedLog {
        var g = LogGenerator(seed: seed)
        let start = CivilDate(year: 2017, month: 1, day: 1).dayNumber
        let end = CivilDate(year: 2019, month: 1, day: 1).dayNumber
        for _ in 0..<600 { g.ordinaryCustomer(from: start + g.random.below(500), to: end) }
        return GeneratedLog(events: g.events(), cutoff: CivilDate(year: 2018, month: 11, day: 1))
    }

    static func fitted(_ log: GeneratedLog, _ model: any Forecaster = AutoForecaster()) throws -> any Forecaster {
        var model = model
        try model.fit(panel: FitRobustnessTests.panel(log), events: log.events, cutoff: log.cutoff.dayNumber)
        return model
    }

    /// It compares every candidate and the blend on the last three weighting months, keeps the
    /// lowest deviance, says so, and forecasts exactly as the winner fitted on its own would.
    @Test func choosesTheLowestDevianceAndForecastsAsTheWinner() throws {
        let log = Self.shop()
        let auto = try #require(try Self.fitted(log) as? AutoForecaster)
        #expect(auto.comparison.map(\.name) == ["glm", "gbm", "paretonbd", "bgnbd", "mbgnbd", "blend"])
        #expect(auto.selectionMonths == ["2018-08", "2018-09", "2018-10"])
        let scored = auto.comparison.filter { $0.deviance.isFinite }
        #expect(scored.count == 6)
        let best = try #require(scored.min { $0.deviance < $1.deviance })
        let chosen = try #require(auto.chosen)
        #expect(chosen.name == best.name)
        let description = auto.describe()
        #expect(description.notes.first?.hasPrefix("chose \(best.name): the lowest mean deviance") == true)
        #expect(description.parameters["chosen_" + best.name] == 1)
        #expect(description.parameters.keys.filter { $0.hasPrefix("selection_deviance_") }.count == 6)
        #expect(auto.trainingLog.prefix(6).allSatisfy { $0.iteration == 0 && $0.metrics.keys.first?.hasPrefix("selection_deviance_") == true })

        let features = log.events.features(asOf: log.cutoff.dayNumber)
        let predicted = try auto.predict(features, horizonDays: 30)
        if best.name != "blend" {
            let alone = try Self.fitted(log, try ModelCatalog.make(best.name))
            #expect(try alone.predict(features, horizonDays: 30) == predicted)
        }
        #expect(predicted.allSatisfy { $0.isFinite && $0 >= 0 })

        // Saved and loaded, it forecasts the same.
        let decoded = try JSONDecoder().decode(AutoForecaster.self, from: try JSONEncoder().encode(auto))
        #expect(try decoded.predict(features, horizonDays: 30) == predicted)
        #expect(decoded.comparison == auto.comparison && decoded.describe() == description)
    }

    /// Nothing on or after the cutoff reaches the choice: cutting the log at the cutoff gives
    /// the same comparison and the same forecasts.
    @Test func theScoredMonthNeverReachesTheChoice() throws {
        let log = Self.shop(seed: 4)
        let cutoff = log.cutoff.dayNumber
        var g = LogGenerator(seed: 4)
        g.keepBefore = cutoff
        let start = CivilDate(year: 2017, month: 1, day: 1).dayNumber
        let end = CivilDate(year: 2019, month: 1, day: 1).dayNumber
        for _ in 0..<600 { g.ordinaryCustomer(from: start + g.random.below(500), to: end) }
        let cut = GeneratedLog(events: g.events(), cutoff: log.cutoff)
        #expect(cut.events.lastDay < cutoff && log.events.lastDay >= cutoff)
        let candidates: [any Forecaster] = [PoissonRegression(), ParetoNBD(), BGNBD()]
        let full = try #require(try Self.fitted(log, AutoForecaster(candidates: candidates)) as? AutoForecaster)
        let truncated = try #require(try Self.fitted(cut, AutoForecaster(candidates: candidates)) as? AutoForecaster)
        #expect(full.comparison == truncated.comparison)
        #expect(full.chosen?.name == truncated.chosen?.name)
    }

    /// One training origin: nothing to compare, so the first candidate that fits, in the
    /// repeat-buying models' order, and the reason says so. Everyone buying once: those refuse,
    /// and it still fits something.
    @Test func withoutMonthsToCompareItFallsBack() throws {
        var g = LogGenerator(seed: 9)
        let start = CivilDate(year: 2019, month: 1, day: 5).dayNumber
        for _ in 0..<300 { g.ordinaryCustomer(from: start + g.random.below(20), to: start + 50) }
        let log = GeneratedLog(events: g.events(), cutoff: CivilDate(year: 2019, month: 3, day: 1))
        let auto = try #require(try Self.fitted(log) as? AutoForecaster)
        #expect(auto.chosen?.name == "paretonbd")
        #expect(auto.describe().notes.first?.contains("without a comparison: 1 training origin") == true)

        var once = LogGenerator(seed: 2)
        for _ in 0..<100 { once.buy(once.customer(), day: start + once.random.below(40)) }
        let onceLog = GeneratedLog(events: once.events(), cutoff: CivilDate(year: 2019, month: 3, day: 1))
        let fallback = try #require(try Self.fitted(onceLog) as? AutoForecaster)
        let name = try #require(fallback.chosen?.name)
        #expect(!["paretonbd", "bgnbd", "mbgnbd"].contains(name))
        #expect(fallback.describe().notes.first?.contains("paretonbd") == true)
    }
}
