import Core
import Features
import Foundation

/// A non-negative combination of other models: prediction = Σ wₘ · predictionₘ, wₘ ≥ 0.
///
/// The weights are fitted on the most recent training origins only, out of sample: for each
/// of the last `weightOrigins` origins o, every component is fitted on the origins before o
/// (and, for the probabilistic models, the events before o) and predicts the month from o.
/// The weights then minimise the Poisson deviance of the combined predictions over those
/// months, by the multiplicative (EM) update w ← w · Σᵢ pᵢₘ yᵢ/μᵢ / Σᵢ pᵢₘ, which keeps
/// them non-negative and lowers the deviance at every step. The weights need not sum to 1,
/// so the blend also corrects a common bias. Finally every component is refitted on all
/// origins. The scored month never reaches the weights: its origin is not a training origin.
///
/// The components are models, not names, so a blend can combine tuned models (a booster with
/// its own settings, a penalised BG/NBD): each fit starts from a copy of the component as
/// given.
public struct Blend: Forecaster {
    /// The models blended: as given until the blend is fitted, then fitted on every origin.
    public private(set) var components: [any Forecaster]
    public var weightOrigins: Int
    /// One weight per component; empty until the blend is fitted.
    public private(set) var weights: [Double] = []
    /// The deviance of the weighted predictions on the weighting months, per EM iteration.
    public private(set) var objectiveTrace: [Double] = []

    /// The GLM, Pareto/NBD and BG/NBD with their default settings.
    public static var defaultComponents: [any Forecaster] { [PoissonRegression(), ParetoNBD(), BGNBD()] }

    /// A blend of `components`, weighted on the last `weightOrigins` training origins.
    public init(components: [any Forecaster] = Blend.defaultComponents, weightOrigins: Int = 6) {
        self.components = components
        self.weightOrigins = weightOrigins
    }

    /// The components' names (their kinds in a saved blend).
    public var componentNames: [String] { components.map(\.name) }

    public var name: String { "blend" }
    public var needsTrainingPanel: Bool { true }

    private var isFitted: Bool { !weights.isEmpty }

    public mutating func fit(panel: TrainingPanel?, events: EventLog, cutoff: Int, observer: TrainingObserver?) throws {
        guard let panel, panel.origins.count >= 2 else { throw ModelFitError.noTrainingData(model: name) }
        let k = min(weightOrigins, panel.origins.count - 1)
        let templates = components
        var predictions = [[Double]](repeating: [], count: templates.count)
        var target: [Double] = []
        for j in (panel.origins.count - k)..<panel.origins.count {
            let o = panel.origins[j]
            let earlier = panel.prefix(origins: j)
            let features = events.features(asOf: o)
            let horizon = MonthHorizon.daysToNextMonthStart(from: o)
            for (m, template) in templates.enumerated() {
                var model = template
                try model.fit(panel: earlier, events: events, cutoff: o, observer: observer)
                predictions[m] += try model.predict(features, horizonDays: horizon)
            }
            target += features.nextMonthEvents
        }
        let fittedWeights = fitWeights(predictions, target, observer: observer)
        let fitted = try templates.map { template in
            var model = template
            try model.fit(panel: panel, events: events, cutoff: cutoff, observer: observer)
            return model
        }
        (weights, components) = (fittedWeights, fitted)
    }

    /// Non-negative weights minimising the Poisson deviance of Σ wₘ pₘ against y; `observer`
    /// receives each EM iteration's deviance.
    mutating func fitWeights(_ p: [[Double]], _ y: [Double], observer: TrainingObserver? = nil) -> [Double] {
        let m = p.count, n = y.count
        var w = [Double](repeating: 1 / Double(m), count: m)
        let columnSums = p.map { $0.reduce(0, +) }
        objectiveTrace = []
        var mu = [Double](repeating: 0, count: n)
        for iteration in 1...2_000 {
            for i in 0..<n { var s = 0.0; for j in 0..<m { s += w[j] * p[j][i] }; mu[i] = max(s, 1e-12) }
            // mu is already clipped at 1e-12: the deviance's floor changes nothing.
            let deviance = PoissonDeviance.mean(actual: y, predicted: mu, floor: 1e-12)
            objectiveTrace.append(deviance)
            observer?(name, TrainingLogEntry(iteration: iteration, metrics: ["weighting_deviance": deviance]))
            var next = w
            for j in 0..<m where columnSums[j] > 0 {
                var s = 0.0
                for i in 0..<n where y[i] > 0 { s += p[j][i] * y[i] / mu[i] }
                next[j] = w[j] * s / columnSums[j]
            }
            let change = zip(w, next).map { abs($0 - $1) }.max() ?? 0
            w = next
            if change < 1e-9 { break }
        }
        return w
    }

    public func predict(_ features: FeatureMatrix, horizonDays: Int) throws -> [Double] {
        guard isFitted else { throw ModelFitError.notFitted(model: name) }
        var total = [Double](repeating: 0, count: features.rowCount)
        for (model, w) in zip(components, weights) where w > 0 {
            let p = try model.predict(features, horizonDays: horizonDays)
            for i in total.indices { total[i] += w * p[i] }
        }
        return total
    }

    public var trainingLog: [TrainingLogEntry] {
        objectiveTrace.enumerated().map { TrainingLogEntry(iteration: $0.offset + 1, metrics: ["weighting_deviance": $0.element]) }
    }

    public func describe() -> ModelDescription {
        var parameters: [String: Double] = ["weight_origins": Double(weightOrigins)]
        if isFitted {
            for (kind, w) in zip(componentNames, weights) { parameters["weight_" + kind] = w }
            for model in components {
                for (key, value) in model.describe().parameters { parameters[model.name + "." + key] = value }
            }
        }
        return ModelDescription(kind: name, parameters: parameters,
                                notes: ["weights fitted out of sample on the last \(weightOrigins) training origins"])
    }

    // MARK: Codable (components are saved with their kind)

    private struct SavedComponent: Codable {
        var kind: String
        var model: any Forecaster

        init(_ model: any Forecaster) { kind = model.name; self.model = model }

        enum CodingKeys: String, CodingKey { case kind, model }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            kind = try c.decode(String.self, forKey: .kind)
            model = try ModelCatalog.decodeModel(kind: kind, from: c, forKey: .model)
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(kind, forKey: .kind)
            try c.encode(model, forKey: .model)
        }
    }

    enum CodingKeys: String, CodingKey { case componentNames, weightOrigins, components, weights, objectiveTrace }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        _ = try c.decode([String].self, forKey: .componentNames)  // the components' kinds, which they carry too
        weightOrigins = try c.decode(Int.self, forKey: .weightOrigins)
        components = try c.decode([SavedComponent].self, forKey: .components).map(\.model)
        weights = try c.decode([Double].self, forKey: .weights)
        objectiveTrace = try c.decode([Double].self, forKey: .objectiveTrace)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(componentNames, forKey: .componentNames)
        try c.encode(weightOrigins, forKey: .weightOrigins)
        try c.encode(components.map(SavedComponent.init), forKey: .components)
        try c.encode(weights, forKey: .weights)
        try c.encode(objectiveTrace, forKey: .objectiveTrace)
    }
}
