import Foundation

/// Fits a repeat-buying model's four parameters by maximum likelihood: one fit loop for
/// BG/NBD and Pareto/NBD, as lifetimes' `BaseFitter` is for its fitters.
///
/// - Time is divided by the longest observation (so T ≤ 1 whatever the unit, which keeps the
///   parameters near 1), and identical histories are merged into one with a weight.
/// - The objective is f(θ) = −(mean log-likelihood) + penalty · Σ p² over θ = log p, so the
///   parameters stay positive; the optional L2 penalty (lifetimes' penalizer) keeps fits on
///   tiny or degenerate data finite.
/// - BFGS minimises it from θ = 0 (every parameter 1), reporting each iteration, over the box
///   |θ| ≤ 30 (every parameter between e^−30 ≈ 1e-13 and e^30 ≈ 1e13 in the rescaled time,
///   far beyond any fitted value on real data: CDNOW's and the shop's optima have |θ| < 5). The
///   box keeps the likelihood and its gradient finite where data that do not identify a
///   parameter push it towards 0 or ∞: the fit then ends at the edge with finite parameters.
/// - Without a penalty some logs have no maximum at all, and the fit refuses them with a
///   typed error before it starts: fewer customers than parameters, or nobody who bought
///   twice (the likelihood keeps rising as the repeat-buying rate falls to 0).
/// - The parameters measured in time come back in the histories' unit.
///
/// The model supplies the log-likelihood of one history with its gradient, taken with respect
/// to the parameters (BG/NBD's analytic gradient) or to their logarithms (Pareto/NBD's, from
/// dual numbers). The penalty's gradient and the chain rule are applied in the matching space,
/// in the order each model applied them when it had a fit loop of its own, so the objective
/// rounds exactly as before.
struct RepeatHistoryFitter<Parameters: RepeatBuyingParameters> {
    /// What the log-likelihood's gradient is taken with respect to.
    enum GradientSpace {
        case parameters
        case logParameters
    }

    /// One history's log-likelihood and its gradient.
    typealias LogLikelihood = (Parameters, RepeatHistory) -> (value: Double, gradient: SIMD4<Double>)

    /// The outcome of a fit.
    struct Fit {
        /// The fitted parameters in the histories' time unit; nil when one of them is not
        /// finite and positive (the fit diverged).
        var parameters: Parameters?
        var iterations: Int
        /// The objective after each BFGS iteration.
        var trace: [Double]
    }

    /// The model's name, for errors and the observer.
    let model: String
    let penalty: Double
    let gradientSpace: GradientSpace
    let logLikelihood: LogLikelihood

    /// The box of the log-parameters: |θ| ≤ this (see the type's notes).
    static var logParameterBound: Double { 30 }

    /// Fits the parameters to `histories`; `observer` receives each BFGS iteration.
    func fit(_ histories: [RepeatHistory], observer: TrainingObserver?) throws -> Fit {
        guard !histories.isEmpty else { throw ModelFitError.noTrainingData(model: model) }
        guard histories.allSatisfy({ [$0.x, $0.tx, $0.T].allSatisfy { $0.isFinite && $0 >= 0 } }) else {
            throw ModelFitError.nonFiniteObjective(model: model, reason: "a purchase history has a negative or non-finite x, t_x or T")
        }
        if !(penalty > 0) {
            // Four parameters need more than a handful of customers; a penalty makes any count
            // well defined.
            let minimum = Parameters.names.count
            guard histories.count >= minimum else {
                throw ModelFitError.tooFewCustomers(model: model, customers: histories.count, minimum: minimum)
            }
            guard histories.contains(where: { $0.x > 0 }) else {
                throw ModelFitError.noRepeatPurchases(model: model, customers: histories.count)
            }
        }
        let (scale, distinct, weights) = Self.collapsed(histories)
        let n = Double(histories.count)
        let penalty = self.penalty, gradientSpace = self.gradientSpace, logLikelihood = self.logLikelihood
        // f(θ) = −(mean log-likelihood) + penalty·Σp², θ = log p.
        func objective(_ theta: [Double]) -> (Double, [Double]) {
            let values = SIMD4(exp(theta[0]), exp(theta[1]), exp(theta[2]), exp(theta[3]))
            let p = Parameters(values: values)
            var value = 0.0
            var g = SIMD4<Double>.zero
            for (h, w) in zip(distinct, weights) {
                let l = logLikelihood(p, h)
                value -= w * l.value
                g -= w * l.gradient
            }
            switch gradientSpace {
            case .parameters:
                for k in 0..<4 {
                    value += penalty * n * values[k] * values[k]
                    g[k] += 2 * penalty * n * values[k]
                    g[k] *= values[k] / n  // chain rule for θ = log p, and the mean
                }
                return (value / n, [g[0], g[1], g[2], g[3]])
            case .logParameters:
                value += penalty * n * (values * values).sum()
                g += 2 * penalty * n * values * values
                return (value / n, [g[0] / n, g[1] / n, g[2] / n, g[3] / n])
            }
        }
        var trace: [Double] = []
        let model = self.model
        let theta: [Double], iterations: Int
        do {
            (theta, iterations) = try BFGS.minimize(objective, start: [0.0, 0.0, 0.0, 0.0], bound: Self.logParameterBound) { k, value in
                trace.append(value)
                observer?(model, TrainingLogEntry(iteration: k, metrics: ["objective": value]))
            }
        } catch BFGS.Failure.nonFiniteStart(let value) {
            throw ModelFitError.nonFiniteObjective(
                model: model, reason: "the log-likelihood of the \(histories.count) purchase histories is \(-value * n) with every parameter 1")
        }
        var values = SIMD4(exp(theta[0]), exp(theta[1]), exp(theta[2]), exp(theta[3]))
        for k in Parameters.timeParameters { values[k] *= scale }
        let finite = (0..<4).allSatisfy { values[$0].isFinite && values[$0] > 0 }
        return Fit(parameters: finite ? Parameters(values: values) : nil, iterations: iterations, trace: trace)
    }

    /// The histories with time divided by the longest observation (so T ≤ 1), identical ones
    /// merged: the scale, the distinct histories in a fixed order and how often each occurs.
    static func collapsed(_ histories: [RepeatHistory]) -> (scale: Double, distinct: [RepeatHistory], weights: [Double]) {
        let scale = max(histories.map(\.T).max() ?? 1, 1e-12)
        var counts: [RepeatHistory: Double] = [:]
        for h in histories { counts[RepeatHistory(x: h.x, tx: h.tx / scale, T: h.T / scale), default: 0] += 1 }
        let distinct = counts.keys.sorted { ($0.x, $0.tx, $0.T) < ($1.x, $1.tx, $1.T) }
        return (scale, distinct, distinct.map { counts[$0, default: 0] })
    }
}
