/// One line of a training log: an iteration (tree, Newton step, BFGS step) and the metrics
/// the model recorded there.
public struct TrainingLogEntry: Codable, Sendable, Equatable {
    public var iteration: Int
    public var metrics: [String: Double]

    public init(iteration: Int, metrics: [String: Double]) {
        self.iteration = iteration
        self.metrics = metrics
    }
}

/// Receives a model's training iterations while it fits, for progress output: the model's
/// name and the entry it has just added to its training log, on the fitting thread, in order.
///
/// Passed to ``Forecaster/fit(panel:events:cutoff:observer:)`` for one fit, so fits running at
/// the same time report to their own observers.
public typealias TrainingObserver = @Sendable (_ model: String, _ entry: TrainingLogEntry) -> Void
