import Backtest
import Core
import Features
import Foundation
import Models

/// Question 4: how well the models forecast, from a rolling-origin backtest over the last
/// complete months of the data (the protocol of docs/evaluation.md: fit on what came before
/// each month start, forecast the month, compare with what happened).
public struct ModelDiagnostics: Sendable {
    /// Cutoffs (month starts), oldest first.
    public var cutoffs: [String]
    public var models: [String]
    /// Actual events (distinct customer-days) in each backtest month.
    public var actualTotals: [Double]
    /// `predictedTotals[model][month]`: the sum of the model's forecasts.
    public var predictedTotals: [[Double]]
    /// Mean metrics per model over the cutoffs, in `models` order.
    public var comparison: [BacktestRow]
    /// The model with the lowest mean deviance: the one the detailed plots show.
    public var best: String
    /// The best model at the last cutoff, customers in deciles of predicted value (lowest first).
    public var calibration: [CalibrationBin]
    /// The best model's 80% intervals at the last cutoff, same deciles: how many customers'
    /// actual counts they held against how many their laws promised.
    public var intervalCalibration: [IntervalBin]
    /// Days into the last backtest month, and the cumulative events: actual, and forecast by
    /// each model (in `models` order) for horizons of 1 ... n days.
    public var trackingDays: [Int]
    public var trackingActual: [Double]
    public var trackingPredicted: [[Double]]
    /// Models whose forecast does not depend on the horizon (trained for the month): their
    /// tracking line is the month's forecast spread evenly over the days.
    public var proRata: Set<String>
    /// Share of total split gain per feature, for tree models (largest first); empty without one.
    public var importanceModel: String?
    public var importance: [(feature: String, share: Double)]
    /// Per-iteration training metrics of the last fit of each model that records them.
    public var trainingLogs: [(model: String, entries: [TrainingLogEntry])]

    public struct CalibrationBin: Sendable, Codable, Equatable {
        public var decile: Int
        public var customers: Int
        public var meanPredicted: Double
        public var meanActual: Double
    }

    /// One decile of customers by forecast: the share whose actual count fell inside their
    /// 80% interval, and the mean probability their laws gave those intervals.
    public struct IntervalBin: Sendable, Codable, Equatable {
        public var decile: Int
        public var customers: Int
        public var meanPredicted: Double
        public var coverage: Double
        public var nominal: Double
    }

    /// The month starts of the last `count` months fully inside the data.
    public static func cutoffs(events: EventLog, count: Int) -> [CivilDate] {
        guard events.eventCount > 0, count > 0 else { return [] }
        let end = CivilDate(dayNumber: events.lastDay + 1)
        // The month before the first day past the data is the last complete one (whether or
        // not that day is a month start).
        let lastTargetMonth = end.firstOfMonth(adding: -1)
        let first = CivilDate(dayNumber: events.firstDay).firstOfMonth(adding: 2)  // at least one month of history and one origin
        var out: [CivilDate] = []
        for back in stride(from: count - 1, through: 0, by: -1) {
            let c = lastTargetMonth.firstOfMonth(adding: -back)
            if c.dayNumber >= first.dayNumber { out.append(c) }
        }
        return out
    }

    /// Runs the backtest of `modelNames` on the last `months` complete months.
    public init(events: EventLog, modelNames: [String], months: Int = 6, progress: (String) -> Void = { _ in }) throws {
        let cutoffDates = Self.cutoffs(events: events, count: months)
        cutoffs = cutoffDates.map(\.description)
        models = modelNames
        let templates = try modelNames.map { try ModelCatalog.make($0) }
        // Per cutoff; NaN where a model failed (its row in `comparison` says why).
        var actual = [Double](repeating: .nan, count: cutoffDates.count)
        var predicted = [[Double]](repeating: [Double](repeating: .nan, count: cutoffDates.count), count: modelNames.count)
        var lastFits: [any Forecaster] = templates
        var fittedAtLast = [Bool](repeating: false, count: templates.count)
        var lastPredictions = [[Double]](repeating: [], count: modelNames.count)
        var lastPredictive = [[PredictiveSummary]](repeating: [], count: modelNames.count)
        var lastFeatures: FeatureMatrix?
        var done = 0
        let backtest = RollingOriginBacktest(cutoffs: cutoffDates)
        let rows = try backtest.run(events: events, models: templates, progress: progress) { fit in
            let j = fit.modelIndex
            actual[fit.cutoffIndex] = fit.features.nextMonthEvents.reduce(0, +)
            predicted[j][fit.cutoffIndex] = fit.predicted.reduce(0, +)
            if fit.cutoffIndex == cutoffDates.count - 1 {
                lastFits[j] = fit.model
                fittedAtLast[j] = true
                lastPredictions[j] = fit.predicted
                lastPredictive[j] = fit.predictive
                lastFeatures = fit.features
            }
            done += 1
            progress("backtest: \(fit.model.name) at \(fit.cutoff) (\(done)/\(templates.count * cutoffDates.count))")
        }
        actualTotals = actual
        predictedTotals = predicted
        let means = RollingOriginBacktest.means(rows)
        comparison = means
        let scored = means.indices.filter { means[$0].deviance.isFinite }
        let bestIndex = scored.min { means[$0].deviance < means[$1].deviance }
        let bestName = bestIndex.map { means[$0].model } ?? (modelNames.first ?? "")
        best = bestName
        let bestModel = modelNames.firstIndex(of: bestName) ?? 0

        // Calibration and tracking for the best model at the last cutoff.
        calibration = []
        intervalCalibration = []
        trackingDays = []; trackingActual = []; trackingPredicted = []; proRata = []
        // (Not when the best model failed at the last cutoff: it has no forecasts there.)
        if let features = lastFeatures, let cutoff = cutoffDates.last, lastPredictions[bestModel].count == features.rowCount {
            let p = lastPredictions[bestModel], y = features.nextMonthEvents
            calibration = Self.calibration(predicted: p, actual: y)
            if lastPredictive[bestModel].count == p.count {
                intervalCalibration = Self.intervalCalibration(predicted: p, predictive: lastPredictive[bestModel], actual: y)
            }
            let c = cutoff.dayNumber
            let horizon = MonthHorizon.daysToNextMonthStart(from: c)
            var perDay = [Double](repeating: 0, count: horizon)
            // The customers the forecasts cover: those with an event before the cutoff.
            for customer in 0..<events.customerCount {
                let range = events.events(ofCustomer: customer)
                guard let first = range.first, Int(events.day[first]) < c else { continue }
                for e in range where Int(events.day[e]) >= c && Int(events.day[e]) < c + horizon { perDay[Int(events.day[e]) - c] += 1 }
            }
            var running = 0.0
            for h in 1...max(1, horizon) where h <= horizon {
                running += perDay[h - 1]
                trackingDays.append(h)
                trackingActual.append(running)
            }
            for (j, model) in lastFits.enumerated() {
                guard fittedAtLast[j] else {  // failed at the last cutoff: no curve
                    trackingPredicted.append(trackingDays.map { _ in .nan })
                    continue
                }
                // Two forecasts tell whether the model uses the horizon at all; only then are the others needed.
                let first = try model.predict(features, horizonDays: 1).reduce(0, +)
                let last = try model.predict(features, horizonDays: horizon).reduce(0, +)
                if horizon > 1, abs(last - first) <= 1e-9 * max(1, abs(last)) {
                    trackingPredicted.append(trackingDays.map { last * Double($0) / Double(horizon) })
                    proRata.insert(model.name)
                } else {
                    trackingPredicted.append(try trackingDays.map { h in
                        h == 1 ? first : h == horizon ? last : try model.predict(features, horizonDays: h).reduce(0, +)
                    })
                }
            }
        }
        // Importance and training curves from the last fits.
        importanceModel = nil
        importance = []
        trainingLogs = []
        for (j, model) in lastFits.enumerated() where fittedAtLast[j] {
            let parameters = model.describe().parameters
            let shares = parameters.filter { $0.key.hasPrefix("importance_") }
            if importanceModel == nil, !shares.isEmpty {
                importanceModel = model.name
                importance = shares.map { (String($0.key.dropFirst("importance_".count)), $0.value) }
                    .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            }
            if !model.trainingLog.isEmpty { trainingLogs.append((model.name, model.trainingLog)) }
        }
        // The tree model's curve (train and validation deviance) first: it is the one that tells the most.
        trainingLogs.sort { ($0.model == importanceModel ? 0 : 1) < ($1.model == importanceModel ? 0 : 1) }
    }

    /// The deciles of ``calibration(predicted:actual:)`` with each group's interval coverage
    /// and the probability its laws promised (NaN where the summaries do not say).
    public static func intervalCalibration(predicted p: [Double], predictive: [PredictiveSummary], actual y: [Double]) -> [IntervalBin] {
        deciles(p).map { decile, group in
            let inside = group.filter { Double(predictive[$0].interval80.lowerBound) <= y[$0] && y[$0] <= Double(predictive[$0].interval80.upperBound) }
            let n = Double(group.count)
            return IntervalBin(decile: decile, customers: group.count, meanPredicted: group.reduce(0) { $0 + p[$1] } / n,
                               coverage: Double(inside.count) / n,
                               nominal: group.reduce(0) { $0 + (predictive[$1].interval80Probability ?? .nan) } / n)
        }
    }

    /// The positions of `p` in ten groups of (nearly) equal size by value, lowest first, with
    /// their decile (1 ... 10); ties broken by position so the split is deterministic. Empty
    /// groups (fewer than ten values) are left out.
    static func deciles(_ p: [Double]) -> [(decile: Int, rows: ArraySlice<Int>)] {
        let n = p.count
        let order = p.indices.sorted { p[$0] != p[$1] ? p[$0] < p[$1] : $0 < $1 }
        return (0..<10).compactMap { k in
            let lo = k * n / 10, hi = (k + 1) * n / 10
            return hi > lo ? (k + 1, order[lo..<hi]) : nil
        }
    }

    /// Customers in ten groups of (nearly) equal size by predicted value; ties broken by
    /// position so the split is deterministic.
    public static func calibration(predicted p: [Double], actual y: [Double]) -> [CalibrationBin] {
        deciles(p).map { decile, group in
            CalibrationBin(decile: decile, customers: group.count, meanPredicted: group.reduce(0) { $0 + p[$1] } / Double(group.count),
                           meanActual: group.reduce(0) { $0 + y[$1] } / Double(group.count))
        }
    }
}
