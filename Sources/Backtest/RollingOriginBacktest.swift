import Core
import Features
import Foundation
import Models

/// One model scored at one cutoff (or, in the summary, the mean over the cutoffs).
public struct BacktestRow: Codable, Sendable, Equatable {
    public var model: String
    /// The cutoff (first day of the scored month), or "mean".
    public var cutoff: String
    public var customers: Int
    public var deviance: Double
    public var rmse: Double
    public var mae: Double
    public var bias: Double
    public var top10Capture: Double
    public var fitSeconds: Double
    public var predictSeconds: Double
}

/// The rolling-origin protocol of docs/evaluation.md: for each cutoff c (a month start), every
/// customer with an event before c is scored on the number of events in [c, next month);
/// supervised models train on the origins from `firstOrigin` to c − 1 month (so no target
/// month reaches past c); nothing about the scored month reaches any model.
public struct RollingOriginBacktest: Sendable {
    public var cutoffs: [CivilDate]
    /// The first training origin; default the first month start after the log's first day.
    public var firstOrigin: CivilDate?

    public init(cutoffs: [CivilDate], firstOrigin: CivilDate? = nil) {
        self.cutoffs = cutoffs
        self.firstOrigin = firstOrigin
    }

    /// Month starts from `first` to `last` inclusive.
    public static func monthStarts(from first: CivilDate, through last: CivilDate) -> [CivilDate] {
        var result: [CivilDate] = []
        var d = first.firstOfMonth()
        while d <= last { result.append(d); d = d.firstOfMonth(adding: 1) }
        return result
    }

    /// One model fitted at one cutoff, with its forecasts: what `run` shows to `inspect`.
    public struct Fit {
        public var cutoff: CivilDate
        public var model: any Forecaster
        public var features: FeatureMatrix
        public var predicted: [Double]
    }

    /// Runs every model at every cutoff; rows in cutoff order, models in the given order.
    /// `inspect` sees each fitted model and its forecasts (for plots that need more than the metrics).
    public func run(events: EventLog, models: [any Forecaster], progress: (String) -> Void = { _ in },
                    inspect: (Fit) throws -> Void = { _ in }) throws -> [BacktestRow] {
        let origin = firstOrigin ?? CivilDate(dayNumber: events.firstDay).firstOfMonth(adding: 1)
        var rows: [BacktestRow] = []
        for cutoff in cutoffs {
            let c = cutoff.dayNumber
            let horizon = MonthHorizon.daysToNextMonthStart(from: c)
            let features = events.features(asOf: c)
            let panel = models.contains(where: \.needsTrainingPanel)
                ? TrainingPanel(events: events, origins: TrainingPanel.origins(from: origin, cutoff: cutoff)) : nil
            for template in models {
                var model = template
                let t0 = DispatchTime.now().uptimeNanoseconds
                try model.fit(panel: panel, events: events, cutoff: c)
                let t1 = DispatchTime.now().uptimeNanoseconds
                let predicted = try model.predict(features, horizonDays: horizon)
                let t2 = DispatchTime.now().uptimeNanoseconds
                let m = ForecastMetrics.score(actual: features.nextMonthEvents, predicted: predicted)
                rows.append(BacktestRow(model: model.name, cutoff: cutoff.description, customers: features.rowCount,
                                        deviance: m.deviance, rmse: m.rmse, mae: m.mae, bias: m.bias, top10Capture: m.top10Capture,
                                        fitSeconds: Double(t1 - t0) / 1e9, predictSeconds: Double(t2 - t1) / 1e9))
                try inspect(Fit(cutoff: cutoff, model: model, features: features, predicted: predicted))
            }
            progress("cutoff \(cutoff): \(features.rowCount) customers, \(Int(features.nextMonthEvents.reduce(0, +))) events in the month")
        }
        return rows
    }

    /// The mean of each metric per model over the cutoffs, in first-appearance order.
    public static func means(_ rows: [BacktestRow]) -> [BacktestRow] {
        var order: [String] = []
        var groups: [String: [BacktestRow]] = [:]
        for r in rows {
            if groups[r.model] == nil { order.append(r.model) }
            groups[r.model, default: []].append(r)
        }
        return order.map { name in
            let g = groups[name]!
            func mean(_ f: (BacktestRow) -> Double) -> Double { g.map(f).reduce(0, +) / Double(g.count) }
            return BacktestRow(model: name, cutoff: "mean", customers: Int(mean { Double($0.customers) }.rounded()),
                               deviance: mean(\.deviance), rmse: mean(\.rmse), mae: mean(\.mae), bias: mean(\.bias),
                               top10Capture: mean(\.top10Capture), fitSeconds: mean(\.fitSeconds), predictSeconds: mean(\.predictSeconds))
        }
    }
}
