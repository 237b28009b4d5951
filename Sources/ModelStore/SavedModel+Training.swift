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
        self.init(name: name, version: version, createdAt: createdAt, fitted: model,
                  featureNames: FeatureSet.names(withProducts: events.hasProducts), data: DataFingerprint(rows: logRows, events: events),
                  cutoff: cutoff, origins: origins, trainingRows: trainingRows, metrics: metrics)
    }

    /// A model fitted on the features `featureNames` of the data `data` (a panel file's
    /// fingerprint for `forecast train --panel`).
    public init(name: String, version: Int, createdAt: String, fitted model: any Forecaster, featureNames: [String], data: DataFingerprint,
                cutoff: Int, origins: [Int], trainingRows: Int, metrics: [String: Double]) {
        self.init(
            name: name, version: version, kind: model.name, createdAt: createdAt,
            featureSchema: FeatureSchema(names: featureNames),
            training: TrainingWindow(asOf: CivilDate(dayNumber: cutoff - 1).description, cutoff: CivilDate(dayNumber: cutoff).description,
                                     origins: origins.map { CivilDate(dayNumber: $0).description }, rows: trainingRows),
            data: data, metrics: metrics, summary: model.describe(), model: model)
    }

    public static func creationTime(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let seconds = environment["SOURCE_DATE_EPOCH"].flatMap(Double.init) ?? Date().timeIntervalSince1970
        let day = Int((seconds / 86_400).rounded(.down))
        let rest = Int(seconds) - day * 86_400
        return "\(CivilDate(dayNumber: day))T" + String(format: "%02d:%02d:%02dZ", rest / 3600, rest / 60 % 60, rest % 60)
    }
}
