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

    /// Fits the parameters to the histories (in any time unit; the rates come out in that
    /// unit); `observer` receives each BFGS step.
    mutating func fit(histories: [RepeatHistory], observer: TrainingObserver?) throws
    /// E[X(t) | x, t_x, T]: the expected purchases in the next `t` time units.
    static func conditionalExpectation(_ p: Parameters, _ h: RepeatHistory, horizon t: Double) -> Double
    /// P(X(t) = k | x, t_x, T) for k = 0 ... `maxCount`.
    static func probabilities(_ p: Parameters, _ h: RepeatHistory, horizon t: Double, upTo maxCount: Int) -> [Double]
}

extension RepeatBuyingModel {
    public var needsTrainingPanel: Bool { false }

    public static var notes: [String] { [] }

    /// Fits on the histories of the customers with an event before `cutoff`, in days.
    public mutating func fit(panel: TrainingPanel?, events: EventLog, cutoff: Int, observer: TrainingObserver?) throws {
        try fit(histories: RepeatHistory.histories(events, cutoff: cutoff), observer: observer)
    }

    /// The conditional expectation of each row's history over `horizonDays`.
    public func predict(_ features: FeatureMatrix, horizonDays: Int) throws -> [Double] {
        guard let p = parameters else { throw ModelFitError.notFitted(model: name) }
        let columns = try RepeatHistory.Columns(features)
        return (0..<features.rowCount).map { i in
            Self.conditionalExpectation(p, columns[row: i], horizon: Double(horizonDays))
        }
    }

    /// The model's own predictive distribution of each row's count over `horizonDays`.
    public func predictive(_ features: FeatureMatrix, horizonDays: Int) throws -> [PredictiveSummary] {
        guard let p = parameters else { throw ModelFitError.notFitted(model: name) }
        let columns = try RepeatHistory.Columns(features)
        let t = Double(horizonDays)
        return (0..<features.rowCount).map { i in
            let h = columns[row: i]
            return PredictiveSummary.fromProbabilityTable(expected: Self.conditionalExpectation(p, h, horizon: t)) {
                Self.probabilities(p, h, horizon: t, upTo: $0)
            }
        }
    }

    public var trainingLog: [TrainingLogEntry] {
        objectiveTrace.enumerated().map { TrainingLogEntry(iteration: $0.offset + 1, metrics: ["objective": $0.element]) }
    }

    public func describe() -> ModelDescription {
        guard let p = parameters else { return ModelDescription(kind: name, notes: ["not fitted"]) }
        var described = ["log_likelihood": logLikelihood, "iterations": Double(iterations)]
        for (k, key) in Parameters.names.enumerated() { described[key] = p.values[k] }
        return ModelDescription(kind: name, parameters: described, notes: Self.notes)
    }
}
