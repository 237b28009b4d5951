import Core
import Features
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
            let horizon = MonthHorizon.daysToNextMonthStart(from: last)
            let m = ForecastMetrics.score(actual: features.nextMonthEvents, predicted: try model.predict(features, horizonDays: horizon))
            metrics = ["last_month_deviance": m.deviance, "last_month_rmse": m.rmse, "last_month_mae": m.mae,
                       "last_month_bias": m.bias, "last_month_top10_capture": m.top10Capture,
                       "last_month_customers": Double(features.rowCount)]
        }
        let customers = (0..<events.customerCount).reduce(0) { n, c in
            n + (events.offsets[c] < events.offsets[c + 1] && Int(events.day[events.offsets[c]]) < cutoff ? 1 : 0)
        }
        return Result(model: model, cutoff: cutoff, origins: panel == nil ? [] : origins,
                      rows: panel?.rowCount ?? customers, metrics: metrics, fitSeconds: seconds)
    }
}
