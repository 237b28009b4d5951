import Core
import Features
import Ingestion
import Foundation
import Models

/// Trains one model as of a day, the way the backtest trains it for a cutoff, and scores it
/// on the last month it saw.
public enum ModelTraining {
    /// A fitted model and what it was fitted on.
    public struct Result: Sendable {
        public var model: any Forecaster
        /// The first day the model did not see.
        public var cutoff: Int
        /// Training origins (month starts) when the model used a panel.
        public var origins: [Int]
        /// Panel rows, or customers with an event before the cutoff for the other models.
        public var rows: Int
        /// In-sample scores on the last complete month before the cutoff (prefixed `last_month_`).
        public var metrics: [String: Double]
        public var fitSeconds: Double
    }

    /// Fits `model` on the events before `cutoff` (a day number): supervised models on the panel
    /// of month-start origins from `firstOrigin` (default: the first month start after the log's
    /// first day) whose target month ends on or before the cutoff, or the last `lastOrigins` of them.
    /// `progress` receives the steps around the fit; `observer`, the model's iterations while it fits.
    public static func train(_ model: any Forecaster, events: EventLog, cutoff: Int, firstOrigin: CivilDate? = nil,
                             lastOrigins: Int? = nil, progress: (String) -> Void = { _ in },
                             observer: TrainingObserver? = nil) throws -> Result {
        var model = model
        let first = firstOrigin ?? CivilDate(dayNumber: events.firstDay).firstOfMonth(adding: 1)
        var origins = TrainingPanel.origins(from: first, cutoff: CivilDate(dayNumber: cutoff))
        if let lastOrigins { origins = Array(origins.suffix(lastOrigins)) }
        var panel: TrainingPanel?
        if model.needsTrainingPanel {
            progress("building the training panel: \(origins.count) origins")
            panel = TrainingPanel(events: events, origins: origins)
            progress("panel: \(panel!.rowCount) rows x \(panel!.names.count) features")
        }
        let began = DispatchTime.now().uptimeNanoseconds
        try model.fit(panel: panel, events: events, cutoff: cutoff, observer: observer)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        var metrics: [String: Double] = [:]
        if let last = origins.last {
            // The panel already holds the last origin's features: reuse them.
            let features = panel.map { $0.matrix(origin: $0.origins.count - 1) } ?? events.features(asOf: last)
            metrics = try lastMonthMetrics(model, features: features, origin: last)
        }
        let customers = (0..<events.customerCount).reduce(0) { n, c in
            n + (events.offsets[c] < events.offsets[c + 1] && Int(events.day[events.offsets[c]]) < cutoff ? 1 : 0)
        }
        return Result(model: model, cutoff: cutoff, origins: panel == nil ? [] : origins,
                      rows: panel?.rowCount ?? customers, metrics: metrics, fitSeconds: seconds)
    }

    /// The kinds ``train(_:panel:observer:)`` fits: the supervised models, which learn from the
    /// panel alone (the probabilistic ones, the blend and auto read each customer's history).
    public static let panelKinds = ["glm", "ols", "gbm"]

    /// Fits a supervised model on a panel an engine computed (`forecast train --panel`), with
    /// no event log: the cutoff is the first day after the last origin's target month, and the
    /// metrics are those of ``train(_:events:cutoff:firstOrigin:lastOrigins:progress:observer:)``
    /// on the last origin's rows. Throws ``ModelFitError/noTrainingData(model:)`` for an empty
    /// panel and ``ForecasterError/unknownModel(_:known:)`` for a kind that needs the log.
    public static func train(_ model: any Forecaster, panel: TrainingPanel, observer: TrainingObserver? = nil) throws -> Result {
        guard panelKinds.contains(model.name) else { throw ForecasterError.unknownModel(model.name, known: panelKinds) }
        guard let last = panel.origins.last, panel.rowCount > 0 else { throw ModelFitError.noTrainingData(model: model.name) }
        var model = model
        let cutoff = CivilDate(dayNumber: last).firstOfMonth(adding: 1).dayNumber
        let empty = EventLog(TransactionLog(customerIDs: [], productIDs: [], offsets: [0], seconds: [], product: [], quantity: [], amount: [], order: []))
        let began = DispatchTime.now().uptimeNanoseconds
        try model.fit(panel: panel, events: empty, cutoff: cutoff, observer: observer)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        let metrics = try lastMonthMetrics(model, features: panel.matrix(origin: panel.origins.count - 1), origin: last)
        return Result(model: model, cutoff: cutoff, origins: panel.origins, rows: panel.rowCount, metrics: metrics, fitSeconds: seconds)
    }

    /// In-sample scores on the month after the last origin.
    static func lastMonthMetrics(_ model: any Forecaster, features: FeatureMatrix, origin: Int) throws -> [String: Double] {
        let horizon = MonthHorizon.daysToNextMonthStart(from: origin)
        let m = ForecastMetrics.score(actual: features.nextMonthEvents, predicted: try model.predict(features, horizonDays: horizon))
        return ["last_month_deviance": m.deviance, "last_month_rmse": m.rmse, "last_month_mae": m.mae,
                "last_month_bias": m.bias, "last_month_top10_capture": m.top10Capture,
                "last_month_customers": Double(features.rowCount)]
    }
}
