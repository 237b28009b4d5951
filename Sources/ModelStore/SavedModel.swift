import Features
import Foundation
import Models

/// The toolkit's version, recorded in every saved model.
public enum Toolkit {
    public static let version = "0.2.0"
}

/// Everything a saved model holds: the fitted model and the facts needed to use it safely
/// (which features, trained on what, as of when). The `payload` of a model file; the format
/// is described in docs/model-store.md.
public struct SavedModel: Codable, Sendable {
    /// Store name and version (`models/<name>/<version>/`).
    public var name: String
    public var version: Int
    /// The model kind: `glm`, `gbm`, `bgnbd`, ... (the `--model` of `forecast train`).
    public var kind: String
    public var toolkitVersion: String
    /// ISO 8601 UTC time of training (or SOURCE_DATE_EPOCH, for reproducible files).
    public var createdAt: String
    public var featureSchema: FeatureSchema
    public var training: TrainingWindow
    public var data: DataFingerprint
    /// Scores on the training data (see docs/model-store.md for which month).
    public var metrics: [String: Double]
    /// Parameters and importances, for people.
    public var summary: ModelDescription
    /// The fitted model.
    public var model: any Forecaster

    public init(name: String, version: Int, kind: String, toolkitVersion: String = Toolkit.version, createdAt: String,
                featureSchema: FeatureSchema, training: TrainingWindow, data: DataFingerprint, metrics: [String: Double],
                summary: ModelDescription, model: any Forecaster) {
        self.name = name
        self.version = version
        self.kind = kind
        self.toolkitVersion = toolkitVersion
        self.createdAt = createdAt
        self.featureSchema = featureSchema
        self.training = training
        self.data = data
        self.metrics = metrics
        self.summary = summary
        self.model = model
    }

    enum CodingKeys: String, CodingKey {
        case name, version, kind, toolkitVersion, createdAt, featureSchema, training, data, metrics, summary, model
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        version = try c.decode(Int.self, forKey: .version)
        kind = try c.decode(String.self, forKey: .kind)
        toolkitVersion = try c.decode(String.self, forKey: .toolkitVersion)
        createdAt = try c.decode(String.self, forKey: .createdAt)
        featureSchema = try c.decode(FeatureSchema.self, forKey: .featureSchema)
        training = try c.decode(TrainingWindow.self, forKey: .training)
        data = try c.decode(DataFingerprint.self, forKey: .data)
        metrics = try c.decode([String: Double].self, forKey: .metrics)
        summary = try c.decode(ModelDescription.self, forKey: .summary)
        model = try ModelCatalog.decodeModel(kind: kind, from: c, forKey: .model)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(version, forKey: .version)
        try c.encode(kind, forKey: .kind)
        try c.encode(toolkitVersion, forKey: .toolkitVersion)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(featureSchema, forKey: .featureSchema)
        try c.encode(training, forKey: .training)
        try c.encode(data, forKey: .data)
        try c.encode(metrics, forKey: .metrics)
        try c.encode(summary, forKey: .summary)
        try c.encode(model, forKey: .model)
    }
}

/// The features a model reads: the feature definitions' version (``FeatureSet/version``)
/// and the names, in order.
public struct FeatureSchema: Codable, Sendable, Equatable {
    public var version: Int
    public var names: [String]

    public init(version: Int = FeatureSet.version, names: [String]) {
        self.version = version
        self.names = names
    }
}

/// What the model was trained on, in time.
public struct TrainingWindow: Codable, Sendable, Equatable {
    /// The last day the model saw (`forecast train --as-of`).
    public var asOf: String
    /// The first day it did not see: features for prediction are computed as of this day.
    public var cutoff: String
    /// The training origins (month starts) of supervised models; empty for the others.
    public var origins: [String]
    /// Training rows (panel rows, or customers for the probabilistic models).
    public var rows: Int

    public init(asOf: String, cutoff: String, origins: [String], rows: Int) {
        self.asOf = asOf
        self.cutoff = cutoff
        self.origins = origins
        self.rows = rows
    }
}
