import Foundation

/// The modified BG/NBD model of Batislam, Denizel and Filiztekin (2007), fitted by maximum
/// likelihood.
///
/// As BG/NBD, a customer buys at a Poisson rate λ ~ Gamma(r, α) while active and drops out
/// with probability p ~ Beta(a, b) after a purchase, but the first purchase counts too: a
/// customer may drop out right after it, so someone who never came back is not certain to be
/// alive (BG/NBD says they are). The log-likelihood of a history (x, t_x, T) is
///
///     log L = log[Γ(r+x) α^r / Γ(r)] + log[B(a, b+x+1) / B(a, b)]
///             + log[(α+T)^−(r+x) + a/(b+x) · (α+t_x)^−(r+x)]
///
/// (the bracket by log-sum-exp), with the analytic gradient; the fit is the one the other
/// repeat-buying models share (`RepeatHistoryFitter`). The conditional expectation, P(alive)
/// and the predictive distribution are BG/NBD's with b + x + 1 survivals in place of b + x.
public struct MBGNBD: RepeatBuyingModel {
    /// The same four parameters as BG/NBD's, with the same names and order.
    public typealias Parameters = BGNBD.Parameters

    public var penalty: Double
    public private(set) var parameters: Parameters?
    public private(set) var logLikelihood = Double.nan
    public private(set) var iterations = 0
    public private(set) var objectiveTrace: [Double] = []
    public var calibrates: Bool
    public var calibration: SeasonalCalibration?

    public init(penalty: Double = 0, calibrates: Bool = true) {
        self.penalty = penalty
        self.calibrates = calibrates
    }

    public var name: String { "mbgnbd" }

    // MARK: likelihood

    /// The log-likelihood of one history and its gradient with respect to (r, α, a, b).
    static func logLikelihood(_ p: Parameters, _ h: RepeatHistory) -> (value: Double, gradient: SIMD4<Double>) {
        let (r, alpha, a, b) = (p.r, p.alpha, p.a, p.b)
        let x = h.x
        let A1 = lgamma(r + x) - lgamma(r) + r * log(alpha)
        let A2 = lgamma(a + b) + lgamma(b + x + 1) - lgamma(b) - lgamma(a + b + x + 1)
        let psiAB = SpecialFunctions.digamma(a + b), psiABX = SpecialFunctions.digamma(a + b + x + 1)
        let T3 = -(r + x) * log(alpha + h.T)
        let T4 = log(a) - log(b + x) - (r + x) * log(alpha + h.tx)
        let m = max(T3, T4)
        let L = m + log(exp(T3 - m) + exp(T4 - m))
        let w3 = exp(T3 - L), w4 = exp(T4 - L)
        let dr = SpecialFunctions.digamma(r + x) - SpecialFunctions.digamma(r) + log(alpha)
            - w3 * log(alpha + h.T) - w4 * log(alpha + h.tx)
        let dalpha = r / alpha - w3 * (r + x) / (alpha + h.T) - w4 * (r + x) / (alpha + h.tx)
        let da = psiAB - psiABX + w4 / a
        let db = psiAB + SpecialFunctions.digamma(b + x + 1) - SpecialFunctions.digamma(b) - psiABX - w4 / (b + x)
        return (A1 + A2 + L, SIMD4(dr, dalpha, da, db))
    }

    /// The log-likelihood summed over the histories.
    public static func totalLogLikelihood(_ p: Parameters, _ histories: [RepeatHistory]) -> Double {
        histories.reduce(0) { $0 + logLikelihood(p, $1).value }
    }

    // MARK: fitting

    /// Fits the parameters to the histories (in any time unit; α comes out in that unit);
    /// `observer` receives each BFGS step.
    public mutating func fit(histories: [RepeatHistory], observer: TrainingObserver? = nil) throws {
        let fitter = RepeatHistoryFitter(model: name, penalty: penalty, gradientSpace: .parameters, logLikelihood: MBGNBD.logLikelihood)
        let fit = try fitter.fit(histories, observer: observer)
        iterations = fit.iterations
        objectiveTrace = fit.trace
        guard let fitted = fit.parameters else { throw ModelFitError.diverged(model: name, iteration: iterations) }
        parameters = fitted
        logLikelihood = MBGNBD.totalLogLikelihood(fitted, histories)
    }

    // MARK: prediction

    /// log[a/(b+x) · ((α+T)/(α+t_x))^(r+x)]: the odds of having dropped out against being
    /// alive at T, in logs.
    static func logDropOutOdds(_ p: Parameters, _ h: RepeatHistory) -> Double {
        log(p.a) - log(p.b + h.x) + (p.r + h.x) * (log(p.alpha + h.T) - log(p.alpha + h.tx))
    }

    /// E[X(t) | x, t_x, T] (Batislam et al. 2007, eq. 14):
    /// (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))] · P(alive).
    public static func conditionalExpectation(_ p: Parameters, _ h: RepeatHistory, horizon t: Double) -> Double {
        let (r, alpha, b) = (p.r, p.alpha, p.b)
        let a = abs(p.a - 1) < 1e-9 ? 1 + 1e-9 : p.a  // the formula divides by a − 1
        let x = h.x
        let z = t / (alpha + h.T + t)
        let f = SpecialFunctions.hypergeometric2F1(r + x, b + x + 1, a + b + x, z)
        let numerator = (a + b + x) / (a - 1) * (1 - exp((r + x) * log((alpha + h.T) / (alpha + h.T + t))) * f)
        let value = numerator * probabilityAlive(p, h)
        return value.isFinite ? max(0, value) : 0
    }

    /// P(alive at T | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)).
    public static func probabilityAlive(_ p: Parameters, _ h: RepeatHistory) -> Double {
        let odds = logDropOutOdds(p, h)
        return odds > 700 ? 0 : 1 / (1 + exp(odds))
    }

    /// P(X(t) = k | x, t_x, T): BG/NBD's distribution given alive at T, with the drop-out
    /// probability's posterior Beta(a, b+x+1) (the first purchase survived too).
    public static func probabilities(_ p: Parameters, _ h: RepeatHistory, horizon t: Double, upTo maxCount: Int) -> [Double] {
        RepeatBuyingDistribution.probabilities(alive: probabilityAlive(p, h), shape: p.r + h.x, rate: p.alpha + h.T,
                                               a: p.a, b: p.b + h.x + 1, horizon: t, upTo: maxCount)
    }
}
