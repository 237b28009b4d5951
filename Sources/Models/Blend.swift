import Core
import Features
import Foundation

/// A non-negative combination of other models: prediction = Σ wₘ · predictionₘ, wₘ ≥ 0.
///
/// The weights are fitted on the most recent training origins only, out of sample: for each
/// of the last `weightOrigins` origins o, and for the month a year before the scored one when
/// the panel reaches it, every component is fitted on the origins before o (and, for the
/// probabilistic models, the events before o) and predicts the month from o. The weights then
/// minimise the Poisson deviance of the combined predictions over those months, the year-ago
/// month's rows counting together half as much as the recent months' (so a seasonal month is
/// weighted by how the components did in the same season), by the multiplicative (EM) update
/// w ← w · Σᵢ rᵢ pᵢₘ yᵢ/μᵢ / Σᵢ rᵢ pᵢₘ (r the row weights), which keeps them non-negative
/// and lowers the deviance at every step. The spread of the actual counts around those
/// out-of-sample combined forecasts gives the blend's negative binomial dispersion. The weights need not sum to 1,
/// so the blend also corrects a common bias. Finally every component is refitted on all
/// origins. The scored month never reaches the weights: its origin is not a training origin.
///
/// The components are models, not names, so a blend can combine tuned models (a booster with
/// its own settings, a penalised BG/NBD): each fit starts from a copy of the component as
/// given.
///
/// A component that cannot fit these data (BG/NBD on a log where nobody bought twice, say)
/// does not sink the blend: it is dropped, and the blend fits with the others and says which
/// it dropped and why (``dropped``, `describe()`'s notes, the training log).
public struct Blend: Forecaster {
    /// The models blended: as given until the blend is fitted, then the ones that fitted,
    /// fitted on every origin (without the ``dropped`` ones).
    public private(set) var components: [any Forecaster]
    /// The components as given to the last fit, dropped ones included, so that fitting again
    /// tries every one again, in the same order. Not saved: a loaded blend refits what it kept.
    private var given: [any Forecaster]
    public var weightOrigins: Int
    /// One weight per component; empty until the blend is fitted.
    public private(set) var weights: [Double] = []
    /// The deviance of the weighted predictions on the weighting months, per EM iteration.
    public private(set) var objectiveTrace: [Double] = []
    /// The components the last fit left out, because they failed; empty when every one fitted.
    public private(set) var dropped: [DroppedComponent] = []
    /// The negative binomial size of the actual counts around the weighted out-of-sample
    /// forecasts of the weighting months (nil: Poisson; see ``CountDispersion``).
    public private(set) var dispersionSize: Double?
    /// The weighting months (`YYYY-MM`), oldest first; empty until fitted.
    public private(set) var weightingMonths: [String] = []

    /// A component the blend left out of its last fit: where and why it failed.
    public struct DroppedComponent: Codable, Sendable, Equatable, CustomStringConvertible {
        /// Its kind (``Forecaster/name``).
        public var name: String
        /// Where it failed: "weighting origin YYYY-MM-DD" or "final fit".
        public var stage: String
        /// The error it threw, as text.
        public var reason: String

        public var description: String { "\(name) dropped at the \(stage): \(reason)" }
    }

    /// The GLM, the booster, Pareto/NBD, BG/NBD and MBG/NBD with their default settings.
    public static var defaultComponents: [any Forecaster] { [PoissonRegression(), GradientBoosting(), ParetoNBD(), BGNBD(), MBGNBD()] }

    /// A blend of `components`, weighted on the last `weightOrigins` training origins.
    public init(components: [any Forecaster] = Blend.defaultComponents, weightOrigins: Int = 6) {
        self.components = components
        self.given = components
        self.weightOrigins = weightOrigins
    }

    /// The components' names (their kinds in a saved blend).
    public var componentNames: [String] { components.map(\.name) }

    public var name: String { "blend" }
    public var needsTrainingPanel: Bool { true }

    var isFitted: Bool { !weights.isEmpty }

    /// Fits every component at each weighting origin, the weights, then every component on all
    /// origins. A component that throws (or predicts a non-finite or negative value) at any of
    /// these steps is dropped: it leaves ``components``, ``dropped`` and `describe()` say where
    /// and why, the training log starts with a `dropped_<name>` entry, and the blend fits with
    /// the rest (when a final fit fails, the weights are fitted again without it). Throws
    /// ``ModelFitError/allComponentsFailed(model:reasons:)`` when no component is left.
    public mutating func fit(panel: TrainingPanel?, events: EventLog, cutoff: Int, observer: TrainingObserver?) throws {
        guard let panel else { throw ModelFitError.noTrainingData(model: name) }
        guard panel.origins.count >= 2 else { throw ModelFitError.tooFewOrigins(model: name, origins: panel.origins.count, minimum: 2) }
        let chosen = OriginForecasts.chosenOrigins(panel.origins, recent: weightOrigins, cutoff: cutoff)
        let name = self.name
        let forecasts = OriginForecasts.compute(models: given, panel: panel, events: events, chosen: chosen, observer: observer) {
            observer?(name, Self.logEntry($0))
        }
        try fit(forecasts, panel: panel, events: events, cutoff: cutoff, observer: observer)
    }

    /// The rest of a fit once the components' forecasts of the weighting months are known
    /// (`auto` computes them once for its comparison and the blend): the weights, the
    /// dispersion of the weighted forecasts around the actual counts, the final fits.
    mutating func fit(_ forecasts: OriginForecasts, panel: TrainingPanel, events: EventLog, cutoff: Int,
                      observer: TrainingObserver?) throws {
        let templates = given
        var failures = forecasts.failures
        let all = Array(forecasts.origins.indices)
        let target = all.flatMap { forecasts.targets[$0] }
        let rowWeights = forecasts.rowWeights(origins: all, cutoff: cutoff)
        // Weights on the components still in, then their final fits; a failed final fit drops
        // its component and the weights are fitted again on the others.
        var fitted: [Int: any Forecaster] = [:]
        var fittedWeights: [Double] = []
        var survivors = templates.indices.filter { failures[$0] == nil }
        while true {
            guard !survivors.isEmpty else {
                throw ModelFitError.allComponentsFailed(model: name, reasons: templates.indices.map { failures[$0]?.description ?? templates[$0].name })
            }
            fittedWeights = fitWeights(survivors.map { forecasts.predictions[$0].flatMap { $0 } }, target, rowWeights: rowWeights,
                                       observer: observer)
            var failedNow = false
            for m in survivors where fitted[m] == nil {
                var model = templates[m]
                do {
                    try model.fit(panel: panel, events: events, cutoff: cutoff, observer: observer)
                    fitted[m] = model
                } catch {
                    let entry = DroppedComponent(name: templates[m].name, stage: "final fit", reason: String(describing: error))
                    failures[m] = entry
                    observer?(name, Self.logEntry(entry))
                    failedNow = true
                }
            }
            if !failedNow { break }
            survivors = survivors.filter { failures[$0] == nil }
        }
        var combined = [Double](repeating: 0, count: target.count)
        for (w, m) in zip(fittedWeights, survivors) {
            for (i, p) in forecasts.predictions[m].flatMap({ $0 }).enumerated() { combined[i] += w * p }
        }
        dispersionSize = CountDispersion.fitSize(actual: target, mean: combined)
        (weights, components) = (fittedWeights, survivors.compactMap { fitted[$0] })
        dropped = templates.indices.compactMap { failures[$0] }
        weightingMonths = forecasts.origins.map { String(CivilDate(dayNumber: $0).description.prefix(7)) }
    }

    /// The training-log line of a dropped component (iteration 0, before the weighting).
    static func logEntry(_ d: DroppedComponent) -> TrainingLogEntry {
        TrainingLogEntry(iteration: 0, metrics: ["dropped_" + d.name: 1])
    }

    /// ``weights(_:_:rowWeights:iteration:)``, recording the deviance per iteration in
    /// ``objectiveTrace`` and telling `observer`.
    mutating func fitWeights(_ p: [[Double]], _ y: [Double], rowWeights: [Double] = [], observer: TrainingObserver? = nil) -> [Double] {
        var trace: [Double] = []
        let name = self.name
        let w = Self.weights(p, y, rowWeights: rowWeights) { iteration, deviance in
            trace.append(deviance)
            observer?(name, TrainingLogEntry(iteration: iteration, metrics: ["weighting_deviance": deviance]))
        }
        objectiveTrace = trace
        return w
    }

    /// Non-negative weights minimising the Poisson deviance of Σ wₘ pₘ against y, each row
    /// counted `rowWeights[i]` times (all 1 when empty); `iteration` receives each EM
    /// iteration's number and (weighted mean) deviance.
    static func weights(_ p: [[Double]], _ y: [Double], rowWeights: [Double] = [],
                        iteration report: (Int, Double) -> Void = { _, _ in }) -> [Double] {
        let m = p.count, n = y.count
        let r = rowWeights.count == n ? rowWeights : [Double](repeating: 1, count: n)
        let totalWeight = max(r.reduce(0, +), 1e-300)
        var w = [Double](repeating: 1 / Double(m), count: m)
        let columnSums = p.map { column in zip(column, r).reduce(0) { $0 + $1.0 * $1.1 } }
        var mu = [Double](repeating: 0, count: n)
        for iteration in 1...2_000 {
            var deviance = 0.0
            for i in 0..<n {
                var s = 0.0
                for j in 0..<m { s += w[j] * p[j][i] }
                mu[i] = max(s, 1e-12)
                // mu is already clipped at 1e-12: the deviance's floor changes nothing.
                deviance += r[i] * PoissonDeviance.unit(actual: y[i], predicted: mu[i], floor: 1e-12)
            }
            deviance /= totalWeight
            report(iteration, deviance)
            var next = w
            for j in 0..<m where columnSums[j] > 0 {
                var s = 0.0
                for i in 0..<n where y[i] > 0 { s += r[i] * p[j][i] * y[i] / mu[i] }
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

    /// A `dropped_<name>` entry per dropped component (iteration 0), then the weighting
    /// deviance per EM iteration (of the last weighting, when a final fit failed).
    public var trainingLog: [TrainingLogEntry] {
        dropped.map(Self.logEntry)
            + objectiveTrace.enumerated().map { TrainingLogEntry(iteration: $0.offset + 1, metrics: ["weighting_deviance": $0.element]) }
    }

    public func describe() -> ModelDescription {
        var parameters: [String: Double] = ["weight_origins": Double(weightOrigins)]
        if let dispersionSize { parameters["dispersion_size"] = dispersionSize }
        if isFitted {
            for (kind, w) in zip(componentNames, weights) { parameters["weight_" + kind] = w }
            for model in components {
                for (key, value) in model.describe().parameters { parameters[model.name + "." + key] = value }
            }
        }
        return ModelDescription(kind: name, parameters: parameters,
                                notes: ["weights fitted out of sample on the months \(weightingMonths.joined(separator: ", ")) (the last \(weightOrigins) training origins, and the month a year before the scored one, which counts half as much as the others together)"]
                                    + dropped.map(\.description))
    }

    // MARK: Codable (components are saved with their kind)

    // `dropped` is written only when a component was dropped, so a blend whose components all
    // fitted saves exactly as before it existed.
    enum CodingKeys: String, CodingKey {
        case componentNames, weightOrigins, components, weights, objectiveTrace, dropped, dispersionSize, weightingMonths
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        _ = try c.decode([String].self, forKey: .componentNames)  // the components' kinds, which they carry too
        weightOrigins = try c.decode(Int.self, forKey: .weightOrigins)
        components = try c.decode([TaggedModel].self, forKey: .components).map(\.model)
        given = components
        weights = try c.decode([Double].self, forKey: .weights)
        objectiveTrace = try c.decode([Double].self, forKey: .objectiveTrace)
        dropped = try c.decodeIfPresent([DroppedComponent].self, forKey: .dropped) ?? []
        dispersionSize = try c.decodeIfPresent(Double.self, forKey: .dispersionSize)
        weightingMonths = try c.decodeIfPresent([String].self, forKey: .weightingMonths) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(componentNames, forKey: .componentNames)
        try c.encode(weightOrigins, forKey: .weightOrigins)
        try c.encode(components.map(TaggedModel.init), forKey: .components)
        try c.encode(weights, forKey: .weights)
        try c.encode(objectiveTrace, forKey: .objectiveTrace)
        if !dropped.isEmpty { try c.encode(dropped, forKey: .dropped) }
        try c.encodeIfPresent(dispersionSize, forKey: .dispersionSize)
        try c.encode(weightingMonths, forKey: .weightingMonths)
    }
}
