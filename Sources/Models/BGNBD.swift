import Features
import Foundation

/// One customer's purchase history in the BG/NBD form: `x` repeat purchases (events after
/// the first), `tx` the time of the last one and `T` the length of observation, both
/// measured from the first purchase.
public struct RepeatHistory: Hashable, Sendable {
    public var x: Double
    public var tx: Double
    public var T: Double

    public init(x: Double, tx: Double, T: Double) {
        self.x = x
        self.tx = tx
        self.T = T
    }
}

extension RepeatHistory {
    /// The histories with time divided by the longest observation (so T ≤ 1), identical ones
    /// merged: the scale, the distinct histories in a fixed order and how often each occurs.
    /// The probabilistic models fit on these.
    static func collapsed(_ histories: [RepeatHistory]) -> (scale: Double, distinct: [RepeatHistory], weights: [Double]) {
        let scale = max(histories.map(\.T).max() ?? 1, 1e-12)
        var counts: [RepeatHistory: Double] = [:]
        for h in histories { counts[RepeatHistory(x: h.x, tx: h.tx / scale, T: h.T / scale), default: 0] += 1 }
        let distinct = counts.keys.sorted { ($0.x, $0.tx, $0.T) < ($1.x, $1.tx, $1.T) }
        return (scale, distinct, distinct.map { counts[$0]! })
    }
}

/// The BG/NBD model of Fader, Hardie and Lee (2005), fitted by maximum likelihood.
///
/// While active a customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase they
/// drop out with probability p ~ Beta(a, b). The log-likelihood (FHL 2005, eq. 6) is
/// evaluated in log space with log-sum-exp. The fit maximises it over the logarithms of the
/// four parameters by BFGS with backtracking, with analytic gradients (digamma), on time
/// rescaled so the longest observation is 1; identical histories are collapsed into weights.
/// An optional L2 penalty `penalty · Σ parameter²` (as lifetimes' penalizer) keeps fits on
/// tiny or degenerate data finite.
public struct BGNBD: Forecaster {
    public struct Parameters: Codable, Sendable, Equatable {
        public var r: Double
        public var alpha: Double
        public var a: Double
        public var b: Double
    }

    public var penalty: Double
    public private(set) var parameters: Parameters?
    public private(set) var logLikelihood = Double.nan
    public private(set) var iterations = 0
    /// The mean negative log-likelihood (plus penalty) after each BFGS iteration.
    public private(set) var objectiveTrace: [Double] = []

    public init(penalty: Double = 0) { self.penalty = penalty }

    public var name: String { "bgnbd" }
    public var needsTrainingPanel: Bool { false }

    // MARK: likelihood

    /// The log-likelihood of one history and its gradient with respect to (r, α, a, b).
    static func logLikelihood(_ p: Parameters, _ h: RepeatHistory) -> (value: Double, gradient: [Double]) {
        let (r, alpha, a, b) = (p.r, p.alpha, p.a, p.b)
        let x = h.x
        let A1 = lgamma(r + x) - lgamma(r) + r * log(alpha)
        let A2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x)
        let A3 = -(r + x) * log(alpha + h.T)
        var dr = SpecialFunctions.digamma(r + x) - SpecialFunctions.digamma(r) + log(alpha)
        var dalpha = r / alpha
        let psiAB = SpecialFunctions.digamma(a + b), psiABX = SpecialFunctions.digamma(a + b + x)
        var da = psiAB - psiABX
        var db = psiAB + SpecialFunctions.digamma(b + x) - SpecialFunctions.digamma(b) - psiABX
        if x > 0 {
            let A4 = log(a) - log(b + x - 1) - (r + x) * log(alpha + h.tx)
            let m = max(A3, A4)
            let L = m + log(exp(A3 - m) + exp(A4 - m))
            let w3 = exp(A3 - L), w4 = exp(A4 - L)
            dr += -w3 * log(alpha + h.T) - w4 * log(alpha + h.tx)
            dalpha += -w3 * (r + x) / (alpha + h.T) - w4 * (r + x) / (alpha + h.tx)
            da += w4 / a
            db += -w4 / (b + x - 1)
            return (A1 + A2 + L, [dr, dalpha, da, db])
        }
        dr += -log(alpha + h.T)
        dalpha += -(r + x) / (alpha + h.T)
        return (A1 + A2 + A3, [dr, dalpha, da, db])
    }

    /// The log-likelihood summed over the histories.
    public static func totalLogLikelihood(_ p: Parameters, _ histories: [RepeatHistory]) -> Double {
        histories.reduce(0) { $0 + logLikelihood(p, $1).value }
    }

    // MARK: fitting

    /// Fits the parameters to the histories (in any time unit; α comes out in that unit);
    /// `observer` receives each BFGS step.
    public mutating func fit(histories: [RepeatHistory], observer: TrainingObserver? = nil) throws {
        guard !histories.isEmpty else { throw ModelFitError.noTrainingData(model: name) }
        let (scale, distinct, weights) = RepeatHistory.collapsed(histories)
        let n = Double(histories.count)
        // f(θ) = −(mean log-likelihood) + penalty·Σp², θ = log p.
        func objective(_ theta: [Double]) -> (Double, [Double]) {
            let p = Parameters(r: exp(theta[0]), alpha: exp(theta[1]), a: exp(theta[2]), b: exp(theta[3]))
            var value = 0.0
            var g = [0.0, 0.0, 0.0, 0.0]
            for (h, w) in zip(distinct, weights) {
                let l = BGNBD.logLikelihood(p, h)
                value -= w * l.value
                for k in 0..<4 { g[k] -= w * l.gradient[k] }
            }
            let values = [p.r, p.alpha, p.a, p.b]
            for k in 0..<4 {
                value += penalty * n * values[k] * values[k]
                g[k] += 2 * penalty * n * values[k]
                g[k] *= values[k] / n  // chain rule for θ = log p, and the mean
            }
            return (value / n, g)
        }
        var theta = [0.0, 0.0, 0.0, 0.0]
        var trace: [Double] = []
        (theta, iterations) = try BFGS.minimize(objective, start: theta) { k, value in
            trace.append(value)
            observer?("bgnbd", TrainingLogEntry(iteration: k, metrics: ["objective": value]))
        }
        objectiveTrace = trace
        let fitted = Parameters(r: exp(theta[0]), alpha: exp(theta[1]) * scale, a: exp(theta[2]), b: exp(theta[3]))
        guard [fitted.r, fitted.alpha, fitted.a, fitted.b].allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw ModelFitError.diverged(model: name, iteration: iterations)
        }
        parameters = fitted
        logLikelihood = BGNBD.totalLogLikelihood(fitted, histories)
    }

    /// The histories of the customers with an event before `cutoff`, in days, as
    /// EVALUATION.md defines them: x = events − 1, t_x = last − first, T = (cutoff − 1) − first.
    public static func histories(_ events: EventLog, cutoff: Int) -> [RepeatHistory] {
        var result: [RepeatHistory] = []
        for c in 0..<events.customerCount {
            let lo = events.offsets[c]
            let end = events.firstEvent(ofCustomer: c, onOrAfter: cutoff)
            guard end > lo else { continue }
            let first = Double(events.day[lo]), last = Double(events.day[end - 1])
            result.append(RepeatHistory(x: Double(end - lo - 1), tx: last - first, T: Double(cutoff - 1) - first))
        }
        return result
    }

    public mutating func fit(panel: TrainingPanel?, events: EventLog, cutoff: Int, observer: TrainingObserver?) throws {
        try fit(histories: BGNBD.histories(events, cutoff: cutoff), observer: observer)
    }

    // MARK: prediction

    /// E[X(t) | x, t_x, T]: the expected purchases in the next `t` time units (FHL 2005, eq. 10).
    public static func conditionalExpectation(_ p: Parameters, _ h: RepeatHistory, horizon t: Double) -> Double {
        let (r, alpha, b) = (p.r, p.alpha, p.b)
        let a = abs(p.a - 1) < 1e-9 ? 1 + 1e-9 : p.a  // the formula divides by a − 1
        let x = h.x
        let z = t / (alpha + h.T + t)
        let f = SpecialFunctions.hypergeometric2F1(r + x, b + x, a + b + x - 1, z)
        let numerator = (a + b + x - 1) / (a - 1) * (1 - exp((r + x) * log((alpha + h.T) / (alpha + h.T + t))) * f)
        var denominator = 1.0
        if x > 0 {
            denominator += exp(log(a) - log(b + x - 1) + (r + x) * (log(alpha + h.T) - log(alpha + h.tx)))
        }
        let value = numerator / denominator
        return value.isFinite ? max(0, value) : 0
    }

    /// The columns that give each customer's history: freq_total, tenure_days, recency_days.
    static func historyColumns(_ features: FeatureMatrix) throws -> ([Double], [Double], [Double]) {
        guard let n = features.column("freq_total"), let tenure = features.column("tenure_days"),
              let recency = features.column("recency_days") else { throw ForecasterError.missingFeature("freq_total/tenure_days/recency_days") }
        return (n, tenure, recency)
    }

    /// The history of feature row `i` in days, as the backtest protocol defines it.
    static func history(_ i: Int, _ n: [Double], _ tenure: [Double], _ recency: [Double]) -> RepeatHistory {
        RepeatHistory(x: n[i] - 1, tx: tenure[i] - recency[i], T: tenure[i] - 1)
    }

    public func predict(_ features: FeatureMatrix, horizonDays: Int) throws -> [Double] {
        guard let p = parameters else { throw ModelFitError.notFitted(model: name) }
        let (n, tenure, recency) = try BGNBD.historyColumns(features)
        return (0..<features.rowCount).map { i in
            BGNBD.conditionalExpectation(p, BGNBD.history(i, n, tenure, recency), horizon: Double(horizonDays))
        }
    }

    /// P(alive at T | x, t_x, T) = 1 / (1 + [x > 0]·a/(b+x−1)·((α+T)/(α+t_x))^(r+x)).
    public static func probabilityAlive(_ p: Parameters, _ h: RepeatHistory) -> Double {
        guard h.x > 0 else { return 1 }
        return 1 / (1 + exp(log(p.a) - log(p.b + h.x - 1) + (p.r + h.x) * (log(p.alpha + h.T) - log(p.alpha + h.tx))))
    }

    /// P(X(t) = k | x, t_x, T). Given alive at T the posterior is λ ~ Gamma(r+x, α+T) and
    /// p ~ Beta(a, b+x), independent; then X(t) = k with k purchases and survival after each,
    /// or k purchases and a drop-out after the k-th:
    /// P = E[(1−p)^k]·NB(k) + [k > 0]·E[p(1−p)^(k−1)]·(1 − Σ_{j<k} NB(j)),
    /// NB the negative binomial of Gamma(r+x, α+T) over t. Dead customers buy nothing.
    public static func probabilities(_ p: Parameters, _ h: RepeatHistory, horizon t: Double, upTo maxCount: Int) -> [Double] {
        let alive = probabilityAlive(p, h)
        let shape = p.r + h.x, rate = p.alpha + h.T
        let b = p.b + h.x
        let logBeta = lgamma(p.a) + lgamma(b) - lgamma(p.a + b)
        var result: [Double] = []
        var cumulativeNB = 0.0
        for k in 0...maxCount {
            let kk = Double(k)
            let nb = NegativeBinomial.probability(k, shape: shape, rate: rate, exposure: t)
            let survive = exp(lgamma(p.a) + lgamma(b + kk) - lgamma(p.a + b + kk) - logBeta)
            var given = survive * nb
            if k > 0 {
                let drop = exp(lgamma(p.a + 1) + lgamma(b + kk - 1) - lgamma(p.a + b + kk) - logBeta)
                given += drop * max(0, 1 - cumulativeNB)
            }
            cumulativeNB += nb
            result.append(alive * given + (k == 0 ? 1 - alive : 0))
        }
        return result
    }

    public func predictive(_ features: FeatureMatrix, horizonDays: Int) throws -> [PredictiveSummary] {
        guard let p = parameters else { throw ModelFitError.notFitted(model: name) }
        let (n, tenure, recency) = try BGNBD.historyColumns(features)
        let t = Double(horizonDays)
        return (0..<features.rowCount).map { i in
            let h = BGNBD.history(i, n, tenure, recency)
            return PredictiveSummary.fromProbabilityTable(expected: BGNBD.conditionalExpectation(p, h, horizon: t)) {
                BGNBD.probabilities(p, h, horizon: t, upTo: $0)
            }
        }
    }

    public var trainingLog: [TrainingLogEntry] {
        objectiveTrace.enumerated().map { TrainingLogEntry(iteration: $0.offset + 1, metrics: ["objective": $0.element]) }
    }

    public func describe() -> ModelDescription {
        guard let p = parameters else { return ModelDescription(kind: name, notes: ["not fitted"]) }
        return ModelDescription(kind: name, parameters: ["r": p.r, "alpha": p.alpha, "a": p.a, "b": p.b,
                                                         "log_likelihood": logLikelihood, "iterations": Double(iterations)])
    }
}
