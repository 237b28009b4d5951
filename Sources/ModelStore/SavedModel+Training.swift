import Core
import Features
import Foundation
import Models

extension SavedModel {
    /// A freshly fitted model, ready for ``ModelStore/save(_:trainingLog:overwrite:)``: its kind
    /// and summary come from the model, the feature schema and fingerprint from the events it
    /// was trained on.
    ///
    /// - Parameters:
    ///   - cutoff: the first day the model did not see (a day number); the training window's
    ///     `as_of` is the day before.
    ///   - origins: the training origins (day numbers of month starts) of a supervised model,
    ///     empty for the others.
    ///   - trainingRows: panel rows, or customers for the models without a panel.
    ///   - logRows: the transaction rows the events were collapsed from.
    ///   - metrics: the in-sample scores to record.
    public init(name: String, version: Int, createdAt: String, fitted model: any Forecaster, events: EventLog, logRows: Int,
                cutoff: Int, origins: [Int], trainingRows: Int, metrics: [String: Double]) {
        self.init(
            name: name, version: version, kind: model.name, createdAt: createdAt,
            featureSchema: FeatureSchema(names: FeatureSet.names(withProducts: events.hasProducts)),
            training: TrainingWindow(asOf: CivilDate(dayNumber: cutoff - 1).description, cutoff: CivilDate(dayNumber: cutoff).description,
                                     origins: origins.map { CivilDate(dayNumber: $0).description }, rows: trainingRows),
            data: DataFingerprint(rows: logRows, events: events),
            metrics: metrics, summary: model.describe(), model: model)
    }

    /// The creation time to record, ISO 8601 UTC: `SOURCE_DATE_EPOCH` (seconds since 1970) when
    /// the environment sets it, for reproducible model files; otherwise now.
    public static func creationTime(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let seconds = environment["SOURCE_DATE_EPOCH"].flatMap(Double.init) ?? Date().timeIntervalSince1970
        let day = Int((seconds / 86_400).rounded(.down))
        let rest = Int(seconds) - day * 86_400
        return "\(CivilDate(dayNumber: day))T" + String(format: "%02d:%02d:%02dZ", rest / 3600, rest / 60 % 60, rest % 60)
    }
}
