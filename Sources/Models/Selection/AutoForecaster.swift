import Core
import Features
import Foundation

/// The recommended model: it chooses, on the user's own data, among its candidates and their
/// blend, by how they would have forecast the last few training months.
///
/// The blend's out-of-sample forecasts are the comparison: for each weighting month (the last
/// `weightOrigins` training origins, and the month a year before the scored one), every
/// candidate is fitted on the origins before it and forecasts it. Each candidate is scored by
/// its mean Poisson deviance over the last `selectionOrigins` of those months; the blend is
/// scored on the same months with weights fitted, for each, on the weighting months before it
/// only. The lowest mean deviance wins; the winner is then fitted as of the cutoff (the blend
/// reuses the forecasts already made, so choosing costs about one blend fit). The scored month
/// never reaches the choice: every month compared ends before the cutoff.
///
/// With fewer than two training origins nothing can be compared: the first candidate that
/// fits, in the order Pareto/NBD, BG/NBD, MBG/NBD, then the others, then the historical-rate
/// baseline, is used, and the description says so.
///
/// `describe()` and the training log say what was compared (each candidate's deviance on the
/// selection months, `selection_deviance_<name>`) and why the winner won.
public struct AutoForecaster: Forecaster {
    /// The candidates as given (the blend is always a candidate too, of these).
    public private(set) var candidates: [any Forecaster]
    public var weightOrigins: Int
    public var selectionOrigins: Int
    /// The model chosen and fitted; nil before a fit.
    public private(set) var chosen: (any Forecaster)?
    /// Each candidate's mean deviance on the selection months (NaN when it failed), in
    /// candidate order, the blend last.
    public private(set) var comparison: [Score] = []
    /// The selection months (`YYYY-MM`).
    public private(set) var selectionMonths: [String] = []
    /// Why the chosen model was chosen, in words.
    public private(set) var reason = ""

    /// One candidate's result in the comparison.
    public struct Score: Codable, Sendable, Equatable {
        public var name: String
        /// Mean Poisson deviance over the selection months; NaN when the candidate failed.
        public var deviance: Double
        /// Why it failed, when it did.
        public var error: String?
    }

    public init(candidates: [any Forecaster] = Blend.defaultComponents, weightOrigins: Int = 6, selectionOrigins: Int = 3) {
        self.candidates = candidates
        self.weightOrigins = weightOrigins
        self.selectionOrigins = selectionOrigins
    }

    public var name: String { "auto" }
    public var needsTrainingPanel: Bool { true }

    public mutating func fit(panel: TrainingPanel?, events: EventLog, cutoff: Int, observer: TrainingObserver?) throws {
        chosen = nil
        comparison = []
        selectionMonths = []
        guard let panel, panel.origins.count >= 2 else {
            try fitWithoutComparison(panel: panel, events: events, cutoff: cutoff, observer: observer)
            return
        }
        let chosenOrigins = OriginForecasts.chosenOrigins(panel.origins, recent: weightOrigins, cutoff: cutoff)
        let forecasts = OriginForecasts.compute(models: candidates, panel: panel, events: events, chosen: chosenOrigins,
                                                observer: observer) { _ in }
        // The selection months: the latest ones, leaving at least one month before them to
        // weigh the blend on.
        let count = forecasts.origins.count
        let selection = Array(max(count > 1 ? 1 : 0, count - selectionOrigins)..<count)
        selectionMonths = selection.map { String(CivilDate(dayNumber: forecasts.origins[$0]).description.prefix(7)) }
        func meanDeviance(_ predictions: [[Double]]) -> Double {
            selection.map { PoissonDeviance.mean(actual: forecasts.targets[$0], predicted: predictions[$0], floor: 1e-9) }
                .reduce(0, +) / Double(selection.count)
        }
        comparison = candidates.indices.map { m in
            if let failure = forecasts.failures[m] { return Score(name: candidates[m].name, deviance: .nan, error: failure.description) }
            return Score(name: candidates[m].name, deviance: meanDeviance(forecasts.predictions[m]), error: nil)
        }
        comparison.append(blendScore(forecasts, selection: selection))
        for score in comparison where score.deviance.isFinite {
            observer?(name, TrainingLogEntry(iteration: 0, metrics: ["selection_deviance_" + score.name: score.deviance]))
        }
        // The best first; a winner that then fails its final fit gives way to the next.
        let ranked = comparison.indices.filter { comparison[$0].deviance.isFinite }.sorted { comparison[$0].deviance < comparison[$1].deviance }
        var failures: [String] = []
        for k in ranked {
            do {
                if k == candidates.count {
                    var blend = Blend(components: candidates, weightOrigins: weightOrigins)
                    try blend.fit(forecasts, panel: panel, events: events, cutoff: cutoff, observer: observer)
                    chosen = blend
                } else {
                    var model = candidates[k]
                    try model.fit(panel: panel, events: events, cutoff: cutoff, observer: observer)
                    chosen = model
                }
                reason = describeChoice(k, ranked: ranked, failures: failures)
                return
            } catch {
                failures.append("\(comparison[k].name) failed its final fit: \(error)")
            }
        }
        try fitWithoutComparison(panel: panel, events: events, cutoff: cutoff, observer: observer, failures: failures)
    }

    /// The blend's mean deviance on the selection months, each forecast with weights fitted on
    /// the weighting months before it.
    func blendScore(_ forecasts: OriginForecasts, selection: [Int]) -> Score {
        let usable = candidates.indices.filter { forecasts.failures[$0] == nil }
        guard !usable.isEmpty else { return Score(name: "blend", deviance: .nan, error: "every candidate failed") }
        var total = 0.0
        for s in selection {
            let before = Array(0..<s)
            guard !before.isEmpty else { return Score(name: "blend", deviance: .nan, error: "no weighting month before \(s)") }
            let y = before.flatMap { forecasts.targets[$0] }
            let w = Blend.weights(usable.map { m in before.flatMap { forecasts.predictions[m][$0] } }, y,
                                  rowWeights: forecasts.rowWeights(origins: before, cutoff: forecasts.origins[s]))
            var combined = [Double](repeating: 0, count: forecasts.targets[s].count)
            for (weight, m) in zip(w, usable) {
                for (i, p) in forecasts.predictions[m][s].enumerated() { combined[i] += weight * p }
            }
            total += PoissonDeviance.mean(actual: forecasts.targets[s], predicted: combined, floor: 1e-9)
        }
        return Score(name: "blend", deviance: total / Double(selection.count), error: nil)
    }

    /// The sentence `describe()` gives for choosing comparison entry `k`.
    func describeChoice(_ k: Int, ranked: [Int], failures: [String]) -> String {
        let winner = comparison[k]
        var text = "chose \(winner.name): the lowest mean deviance (\(String(format: "%.4f", winner.deviance))) on \(selectionMonths.joined(separator: ", "))"
        if let runnerUp = ranked.first(where: { $0 != k }) {
            let other = comparison[runnerUp]
            text += String(format: ", ahead of %@ (%.4f)", other.name, other.deviance)
        }
        return ([text] + failures).joined(separator: "; ")
    }

    /// Without months to compare on: the first candidate that fits, in a fixed order of
    /// preference (the repeat-buying models need no training origin), then `hist_rate`.
    mutating func fitWithoutComparison(panel: TrainingPanel?, events: EventLog, cutoff: Int, observer: TrainingObserver?,
                                       failures: [String] = []) throws {
        let preferred = ["paretonbd", "bgnbd", "mbgnbd"]
        let ordered = candidates.filter { preferred.contains($0.name) }.sorted { (preferred.firstIndex(of: $0.name) ?? 0) < (preferred.firstIndex(of: $1.name) ?? 0) }
            + candidates.filter { !preferred.contains($0.name) } + [HistoricalRateForecaster()]
        var reasons = failures
        for template in ordered {
            var model = template
            do {
                try model.fit(panel: panel, events: events, cutoff: cutoff, observer: observer)
                chosen = model
                let origins = panel?.origins.count ?? 0
                reason = (["chose \(model.name) without a comparison: \(origins) training origin\(origins == 1 ? "" : "s"), at least 2 needed to compare"]
                          + reasons).joined(separator: "; ")
                return
            } catch {
                reasons.append("\(template.name): \(error)")
            }
        }
        throw ModelFitError.allComponentsFailed(model: name, reasons: reasons)
    }

    private func fitted() throws -> any Forecaster {
        guard let chosen else { throw ModelFitError.notFitted(model: name) }
        return chosen
    }

    public func predict(_ features: FeatureMatrix, horizonDays: Int) throws -> [Double] {
        try fitted().predict(features, horizonDays: horizonDays)
    }

    public func predictive(_ features: FeatureMatrix, horizonDays: Int) throws -> [PredictiveSummary] {
        try fitted().predictive(features, horizonDays: horizonDays)
    }

    public func probabilities(of counts: [Int], _ features: FeatureMatrix, horizonDays: Int) throws -> [Double] {
        try fitted().probabilities(of: counts, features, horizonDays: horizonDays)
    }

    public var dispersionSize: Double? { chosen?.dispersionSize }

    /// The comparison (iteration 0, `selection_deviance_<name>`), then the chosen model's log.
    public var trainingLog: [TrainingLogEntry] {
        comparison.filter { $0.deviance.isFinite }.map { TrainingLogEntry(iteration: 0, metrics: ["selection_deviance_" + $0.name: $0.deviance]) }
            + (chosen?.trainingLog ?? [])
    }

    public func describe() -> ModelDescription {
        guard let chosen else { return ModelDescription(kind: name, notes: ["not fitted"]) }
        let inner = chosen.describe()
        var parameters: [String: Double] = ["chosen_" + chosen.name: 1]
        for score in comparison where score.deviance.isFinite { parameters["selection_deviance_" + score.name] = score.deviance }
        for (key, value) in inner.parameters { parameters[chosen.name + "." + key] = value }
        let compared = "compared " + comparison.map(\.name).joined(separator: ", ") + " on " + selectionMonths.joined(separator: ", ")
        let failed = comparison.compactMap { s in s.error.map { "\(s.name) failed: \($0)" } }
        return ModelDescription(kind: name, parameters: parameters,
                                notes: [reason] + (comparison.isEmpty ? [] : [compared]) + failed + inner.notes.map { chosen.name + ": " + $0 })
    }

    // MARK: Codable: the candidates' kinds, the comparison and the chosen model with its kind

    enum CodingKeys: String, CodingKey {
        case candidates, weightOrigins, selectionOrigins, chosen, comparison, selectionMonths, reason
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kinds = try c.decode([String].self, forKey: .candidates)
        candidates = try kinds.map { try ModelCatalog.make($0) }
        weightOrigins = try c.decode(Int.self, forKey: .weightOrigins)
        selectionOrigins = try c.decode(Int.self, forKey: .selectionOrigins)
        chosen = try c.decodeIfPresent(TaggedModel.self, forKey: .chosen)?.model
        comparison = try c.decode([Score].self, forKey: .comparison)
        selectionMonths = try c.decode([String].self, forKey: .selectionMonths)
        reason = try c.decode(String.self, forKey: .reason)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(candidates.map(\.name), forKey: .candidates)
        try c.encode(weightOrigins, forKey: .weightOrigins)
        try c.encode(selectionOrigins, forKey: .selectionOrigins)
        try c.encodeIfPresent(chosen.map(TaggedModel.init), forKey: .chosen)
        try c.encode(comparison, forKey: .comparison)
        try c.encode(selectionMonths, forKey: .selectionMonths)
        try c.encode(reason, forKey: .reason)
    }
}

extension AutoForecaster.Score {
    /// NaN deviances (a failed candidate) are written as null.
    enum CodingKeys: String, CodingKey { case name, deviance, error }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        deviance = try c.decodeIfPresent(Double.self, forKey: .deviance) ?? .nan
        error = try c.decodeIfPresent(String.self, forKey: .error)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        if deviance.isFinite { try c.encode(deviance, forKey: .deviance) } else { try c.encodeNil(forKey: .deviance) }
        try c.encodeIfPresent(error, forKey: .error)
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.name == b.name && (a.deviance == b.deviance || (a.deviance.isNaN && b.deviance.isNaN)) && a.error == b.error
    }
}
