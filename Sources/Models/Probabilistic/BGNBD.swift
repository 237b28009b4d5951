import Foundation

/// The BG/NBD model of Fader, Hardie and Lee (2005), fitted by maximum likelihood.
///
/// While active a customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase they
/// drop out with probability p ~ Beta(a, b). The log-likelihood (FHL 2005, eq. 6) is
/// evaluated in log space with log-sum-exp. The fit maximises it over the logarithms of the
/// four parameters by BFGS with analytic gradients (digamma), through the fitter both
/// probabilistic models share (`RepeatHistoryFitter`: time rescaled so the longest observation
/// is 1, identical histories collapsed into weights, an optional L2 penalty
/// `penalty · Σ parameter²` as lifetimes' penalizer, which keeps fits on tiny or degenerate
/// data finite).
public struct BGNBD: RepeatBuyingModel {
    public struct Parameters: RepeatBuyingParameters {
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
    public var calibrates: Bool
    public var calibration: SeasonalCalibration?

    public init(penalty: Double = 0, calibrates: Bool = true) {
        self.penalty = penalty
        self.calibrates = calibrates
    }

    public var name: String { "bgnbd" }

    // MARK: likelihood

    /// The log-likelihood of one history and its gradient with respect to (r, α, a, b).
    static func logLikelihood(_ p: Parameters, _ h: RepeatHistory) -> (value: Double, gradient: SIMD4<Double>) {
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
            return (A1 + A2 + L, SIMD4(dr, dalpha, da, db))
        }
        dr += -log(alpha + h.T)
        dalpha += -(r + x) / (alpha + h.T)
        return (A1 + A2 + A3, SIMD4(dr, dalpha, da, db))
    }

    /// The log-likelihood summed over the histories.
    public static func totalLogLikelihood(_ p: Parameters, _ histories: [RepeatHistory]) -> Double {
        histories.reduce(0) { $0 + logLikelihood(p, $1).value }
    }

    // MARK: fitting

    /// Fits the parameters to the histories (in any time unit; α comes out in that unit);
    /// `observer` receives each BFGS step.
    public mutating func fit(histories: [RepeatHistory], observer: TrainingObserver? = nil) throws {
        let fitter = RepeatHistoryFitter(model: name, penalty: penalty, gradientSpace: .parameters, logLikelihood: BGNBD.logLikelihood)
        let fit = try fitter.fit(histories, observer: observer)
        iterations = fit.iterations
        objectiveTrace = fit.trace
        guard let fitted = fit.parameters else { throw ModelFitError.diverged(model: name, iteration: iterations) }
        parameters = fitted
        logLikelihood = BGNBD.totalLogLikelihood(fitted, histories)
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

    /// P(alive at T | x, t_x, T) = 1 / (1 + [x > 0]·a/(b+x−1)·((α+T)/(α+t_x))^(r+x)).
    public static func probabilityAlive(_ p: Parameters, _ h: RepeatHistory) -> Double {
        guard h.x > 0 else { return 1 }
        return 1 / (1 + exp(log(p.a) - log(p.b + h.x - 1) + (p.r + h.x) * (log(p.alpha + h.T) - log(p.alpha + h.tx))))
    }

    /// P(X(t) = k | x, t_x, T). Given alive at T the posterior is λ ~ Gamma(r+x, α+T) and
    /// p ~ Beta(a, b+x), independent (``RepeatBuyingDistribution``); dead customers buy nothing.
    public static func probabilities(_ p: Parameters, _ h: RepeatHistory, horizon t: Double, upTo maxCount: Int) -> [Double] {
        RepeatBuyingDistribution.probabilities(alive: probabilityAlive(p, h), shape: p.r + h.x, rate: p.alpha + h.T,
                                               a: p.a, b: p.b + h.x, horizon: t, upTo: maxCount)
    }
}

extension BGNBD.Parameters {
    public static var names: [String] { ["r", "alpha", "a", "b"] }
    public static var timeParameters: [Int] { [1] }
    public var values: SIMD4<Double> { SIMD4(r, alpha, a, b) }
    public init(values v: SIMD4<Double>) { self.init(r: v[0], alpha: v[1], a: v[2], b: v[3]) }
}
