import Core
import Features
import Models

/// A saved model scored, without retraining, on one calendar month: what `forecast evaluate`
/// reports (the metrics of docs/evaluation.md over the customers with an event before the
/// month, beside the `hist_rate` baseline for scale).
public struct MonthEvaluation: Codable, Sendable {
    /// `name@version` of the model.
    public var model: String
    public var kind: String
    /// `YYYY-MM`.
    public var month: String
    public var customers: Int
    public var actualEvents: Double
    public var predictedEvents: Double
    public var metrics: ForecastMetrics
    public var baselineHistRate: ForecastMetrics
    /// Whether the data reach the month's last day (otherwise the actual counts are incomplete).
    public var dataComplete: Bool

    /// Something about an evaluation that its reader should know.
    public enum Warning: Sendable, Equatable, CustomStringConvertible {
        /// The data end on `lastDay`, before the month's last day `monthEnd`.
        case incompleteMonth(lastDay: CivilDate, monthEnd: CivilDate)
        /// The month starts before the model's training cutoff: the model has seen it.
        case seenInTraining(month: CivilDate, cutoff: CivilDate)

        public var description: String {
            switch self {
            case .incompleteMonth(let last, let end):
                return "the data end on \(last), before the month's last day \(end): the actual counts are incomplete"
            case .seenInTraining(let month, let cutoff):
                return "\(month) is before the model's training cutoff \(cutoff): the model has seen this month"
            }
        }
    }

    /// The month a model trained up to `cutoff` (the first day it did not see) is scored on
    /// by default: the month starting at the cutoff, or the next whole month when the cutoff
    /// falls inside a month.
    public static func defaultMonth(trainedCutoff cutoff: CivilDate) -> CivilDate {
        cutoff.day == 1 ? cutoff : cutoff.firstOfMonth(adding: 1)
    }

    /// What to tell the reader about scoring `month` with a model trained up to `trainedCutoff`
    /// on data whose last event day is `lastDay`.
    public static func warnings(month: CivilDate, trainedCutoff: CivilDate, lastDay: Int) -> [Warning] {
        let end = month.firstOfMonth(adding: 1).dayNumber
        var warnings: [Warning] = []
        if lastDay < end - 1 {
            warnings.append(.incompleteMonth(lastDay: CivilDate(dayNumber: lastDay), monthEnd: CivilDate(dayNumber: end - 1)))
        }
        if month.dayNumber < trainedCutoff.dayNumber { warnings.append(.seenInTraining(month: month, cutoff: trainedCutoff)) }
        return warnings
    }

    /// Scores `predicted` (the model's expected events per row of `features`, whose cutoff is
    /// the month's first day) against the month's events.
    public static func score(model: String, kind: String, month: CivilDate, features: FeatureMatrix, predicted: [Double],
                             lastDay: Int) throws -> MonthEvaluation {
        let horizon = MonthHorizon.daysToNextMonthStart(from: month.dayNumber)
        let baseline = try HistoricalRateForecaster().predict(features, horizonDays: horizon)
        return MonthEvaluation(
            model: model, kind: kind, month: String(month.description.prefix(7)), customers: features.rowCount,
            actualEvents: features.nextMonthEvents.reduce(0, +), predictedEvents: predicted.reduce(0, +),
            metrics: ForecastMetrics.score(actual: features.nextMonthEvents, predicted: predicted),
            baselineHistRate: ForecastMetrics.score(actual: features.nextMonthEvents, predicted: baseline),
            dataComplete: lastDay >= month.firstOfMonth(adding: 1).dayNumber - 1)
    }
}
