import Core
import Foundation
import Synchronization
import Testing
@testable import Features
@testable import Ingestion
@testable import Models

@Suite("Training observers")
struct TrainingObserverTests {
    /// Reports gathered from several threads.
    final class Reports: Sendable {
        private let entries = Mutex<[(String, TrainingLogEntry)]>([])
        var all: [(String, TrainingLogEntry)] { entries.withLock { $0 } }
        var observer: TrainingObserver { { model, entry in self.entries.withLock { $0.append((model, entry)) } } }
    }

    static let histories: [RepeatHistory] = (0..<300).map { (i: Int) -> RepeatHistory in
        let x = Double(i % 6)
        return RepeatHistory(x: x, tx: 5 * x, T: 40 + Double(i % 11))
    }

    /// Two fits at once each report to their own observer, every iteration of their training log.
    @Test func concurrentFitsReportToTheirOwnObservers() throws {
        let reports = [Reports(), Reports()]
        let fitted: [any RepeatBuyingModel] = parallelMap(2) { k in
            if k == 0 {
                var model = BGNBD()
                try! model.fit(histories: Self.histories, observer: reports[0].observer)
                return model
            }
            var model = ParetoNBD()
            try! model.fit(histories: Self.histories, observer: reports[1].observer)
            return model
        }
        for (model, report) in zip(fitted, reports) {
            #expect(report.all.allSatisfy { $0.0 == model.name })
            #expect(report.all.map(\.1) == model.trainingLog)
        }
    }

    /// The blend's weighting iterations reach the observer as its training log records them.
    @Test func blendReportsEachWeightingIteration() {
        let reports = Reports()
        var blend = Blend(components: [ZeroForecaster(), ZeroForecaster()])
        let w = blend.fitWeights([[1, 2, 3], [1, 1, 1]], [1, 2, 4], observer: reports.observer)
        #expect(w.count == 2)
        #expect(!reports.all.isEmpty && reports.all.allSatisfy { $0.0 == "blend" })
        #expect(reports.all.map(\.1) == blend.trainingLog)
    }

    /// A blend hands its observer to every component fit and reports its own weighting in
    /// between, in the order it fits them.
    @Test func blendPassesItsObserverToItsComponents() throws {
        var rng = RandomSource(seed: 17)
        let start = CivilDate(year: 2018, month: 1, day: 1).dayNumber
        var t = UngroupedTransactions(customer: [], customerIDs: (0..<200).map { "c\($0)" }, seconds: [])
        for c in 0..<200 {
            for _ in 0..<(1 + rng.below(8)) {
                t.customer.append(Int32(c))
                t.seconds.append(Int64(start + rng.below(540)) * 86_400 + 3600)
                t.amount.append(10)
                t.quantity.append(1)
            }
        }
        let events = EventLog(TransactionLog.grouping(t).log)
        let cutoff = CivilDate(year: 2019, month: 6, day: 1)
        let panel = TrainingPanel(events: events, origins: TrainingPanel.origins(from: CivilDate(year: 2018, month: 3, day: 1), cutoff: cutoff))
        let reports = Reports()
        var blend = Blend(components: [PoissonRegression(), HistoricalRateForecaster()], weightOrigins: 2)
        try blend.fit(panel: panel, events: events, cutoff: cutoff.dayNumber, observer: reports.observer)
        // The GLM on the two weighting origins, the weighting, the GLM on every origin.
        var runs: [String] = []
        for (name, _) in reports.all where runs.last != name { runs.append(name) }
        #expect(runs == ["glm", "blend", "glm"])
        // The GLM's log starts with the objective before the first step (iteration 0), which
        // is not a report; every later iteration is, with the same objective.
        let final = blend.components[0].trainingLog.dropFirst()
        let reported = reports.all.suffix(final.count).map(\.1)
        #expect(reported.map(\.iteration) == final.map(\.iteration))
        #expect(reported.map { $0.metrics["objective"] } == final.map { $0.metrics["objective"] })
        #expect(reports.all.filter { $0.0 == "blend" }.map(\.1) == blend.trainingLog)
    }
}
