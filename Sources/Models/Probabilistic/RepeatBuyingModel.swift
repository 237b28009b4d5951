import Features

/// The four positive parameters of a repeat-buying model, in a fixed order: what the fitter
/// estimates (in log space) and what `describe()` shows.
public protocol RepeatBuyingParameters: Codable, Sendable, Equatable {
    /// The parameters' names in `values` order, as `describe()` shows them.
    static var names: [String] { get }
    /// The positions in `values` of the parameters measured in units of time (α, and β for
    /// Pareto/NBD): a fit on rescaled time scales them back.
    static var timeParameters: [Int] { get }
    /// The parameters in `names` order.
    var values: SIMD4<Double> { get }
    init(values: SIMD4<Double>)
}

/// What BG/NBD and Pareto/NBD share, in the spirit of lifetimes' fitters: both describe a
/// customer by a ``RepeatHistory`` (repeat purchases x, time of the last t_x, observation
/// length T), both fit four positive parameters by maximum likelihood with the same fitter,
/// and both predict from a closed-form conditional expectation and a predictive distribution
/// of their own.
///
/// A model supplies its parameters, the conditional expectation and the probabilities; this
/// protocol gives it the rest of ``Forecaster``: fitting from an event log, `predict` and
/// `predictive` on the history columns of a feature matrix, the training log (the objective
/// per BFGS iteration) and `describe()` (the parameters, the log-likelihood, the iterations).
public protocol RepeatBuyingModel: Forecaster {
    associatedtype Parameters: RepeatBuyingParameters

    /// The fitted parameters; nil before a fit.
    var parameters: Parameters? { get }
    /// The log-likelihood of the training histories at the fitted parameters.
    var logLikelihood: Double { get }
    /// BFGS iterations of the last fit.
    var iterations: Int { get }
    /// The mean negative log-likelihood (plus penalty) after each BFGS iteration.
    var objectiveTrace: [Double] { get }
    /// Notes `describe()` adds to the parameters of a fitted model.
    static var notes: [String] { get }
    /// Whether a fit from an event log also learns a ``SeasonalCalibration``.
    var calibrates: Bool { get }
    /// The calibration of the last fit from an event log; nil after a fit from histories
    /// alone (or with ``calibrates`` off), which leaves the forecasts as the model gives them.
    var calibration: SeasonalCalibration? { get set }

    /// Fits the parameters to the histories (in any time unit; the rates come out in that
    /// unit); `observer` receives each BFGS step.
    mutating func fit(histories: [RepeatHistory], observer: TrainingObserver?) throws
    /// E[X(t) | x, t_x, T]: the expected purchases in the next `t` time units.
    static func conditionalExpectation(_ p: Parameters, _ h: RepeatHistory, horizon t: Double) -> Double
    /// P(X(t) = k | x, t_x, T) for k = 0 ... `maxCount`.
    static func probabilities(_ p: Parameters, _ h: RepeatHistory, horizon t: Double, upTo maxCount: Int) -> [Double]
    /// P(alive at T | x, t_x, T).
    static func probabilityAlive(_ p: Parameters, _ h: RepeatHistory) -> Double
}

extension RepeatBuyingModel {
    public var needsTrainingPanel: Bool { false }

    public static var notes: [String] { [] }

    /// Fits on the histories of the customers with an event before `cutoff`, in days, then
    /// (when ``calibrates``) learns the seasonal calibration from the months before it.
    public mutating func fit(panel: TrainingPanel?, events: EventLog, cutoff: Int, observer: TrainingObserver?) throws {
        calibration = nil
        try fit(histories: RepeatHistory.histories(events, cutoff: cutoff), observer: observer)
        guard calibrates, let p = parameters else { return }
        calibration = SeasonalCalibration.fit(events: events, cutoff: cutoff) { origin, horizon in
            RepeatHistory.histories(events, cutoff: origin).reduce(0) {
                $0 + Self.conditionalExpectation(p, $1, horizon: Double(horizon))
            }
        }
    }

    /// The calibration's factor for forecasts from `cutoff` over `horizonDays` (1 without one).
    func calibrationFactor(cutoff: Int, horizonDays: Int) -> Double {
        calibration?.factor(cutoff: cutoff, horizonDays: horizonDays) ?? 1
    }

    /// The conditional expectation of each row's history over `horizonDays`, times the
    /// calibration's factor for the month.
    public func predict(_ features: FeatureMatrix, horizonDays: Int) throws -> [Double] {
        guard let p = parameters else { throw ModelFitError.notFitted(model: name) }
        let columns = try RepeatHistory.Columns(features)
        let factor = calibrationFactor(cutoff: features.cutoff, horizonDays: horizonDays)
        return (0..<features.rowCount).map { i in
            factor * Self.conditionalExpectation(p, columns[row: i], horizon: Double(horizonDays))
        }
    }

    /// The model's own predictive distribution of each row's count over `horizonDays`, with
    /// P(alive). A calibration factor c scales the expected count and stretches the horizon of
    /// the distribution to c · `horizonDays` (a month c times as busy as the model's average).
    public func predictive(_ features: FeatureMatrix, horizonDays: Int) throws -> [PredictiveSummary] {
        guard let p = parameters else { throw ModelFitError.notFitted(model: name) }
        let columns = try RepeatHistory.Columns(features)
        let factor = calibrationFactor(cutoff: features.cutoff, horizonDays: horizonDays)
        let t = Double(horizonDays)
        return (0..<features.rowCount).map { i in
            let h = columns[row: i]
            var summary = PredictiveSummary.fromProbabilityTable(expected: factor * Self.conditionalExpectation(p, h, horizon: t)) {
                Self.probabilities(p, h, horizon: factor * t, upTo: $0)
            }
            summary.probabilityAlive = Self.probabilityAlive(p, h)
            return summary
        }
    }

    /// P(actual count) under each row's predictive distribution (the calibrated horizon, as
    /// ``predictive(_:horizonDays:)``).
    public func probabilities(of counts: [Int], _ features: FeatureMatrix, horizonDays: Int) throws -> [Double] {
        guard let p = parameters else { throw ModelFitError.notFitted(model: name) }
        let columns = try RepeatHistory.Columns(features)
        let t = calibrationFactor(cutoff: features.cutoff, horizonDays: horizonDays) * Double(horizonDays)
        return (0..<features.rowCount).map { i in
            let k = counts[i]
            guard k >= 0 else { return 0 }
            return Self.probabilities(p, columns[row: i], horizon: t, upTo: k)[k]
        }
    }

    public var trainingLog: [TrainingLogEntry] {
        objectiveTrace.enumerated().map { TrainingLogEntry(iteration: $0.offset + 1, metrics: ["objective": $0.element]) }
    }

    public func describe() -> ModelDescription {
        guard let p = parameters else { return ModelDescription(kind: name, notes: ["not fitted"]) }
        var described = ["log_likelihood": logLikelihood, "iterations": Double(iterations)]
        for (k, key) in Parameters.names.enumerated() { described[key] = p.values[k] }
        var notes = Self.notes
        if let calibration {
            let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
            for (m, factor) in zip(months, calibration.factors) { described["season_\(m)"] = factor }
            notes.append("season_<month>: the seasonal calibration's factor per target month, from \(calibration.months.count) months before the cutoff")
        }
        return ModelDescription(kind: name, parameters: described, notes: notes)
    }
}
