import Foundation

/// The Pareto/NBD model of Schmittlein, Morrison and Colombo (1987), fitted by maximum
/// likelihood.
///
/// While alive a customer buys at a Poisson rate λ ~ Gamma(r, α); their lifetime is
/// exponential with rate μ ~ Gamma(s, β). The likelihood of a history (x, t_x, T)
/// (Fader & Hardie 2005, "A Note on Deriving the Pareto/NBD Model", eq. 19) is
///
///     L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s/(r+s+x) · A₀ ]
///
/// where A₀ is a difference of two Gaussian hypergeometric terms (at t_x and at T), with the
/// roles of α and β swapped when α < β. It is evaluated in log space: the bracket by
/// log-sum-exp, A₀ as log F₁ + log(1 − F₂/F₁), and ₂F₁ by its series after Euler's
/// transformation (positive terms, fast near z = 1). The gradient is analytic: the whole
/// computation runs on ``Dual`` numbers, whose derivatives through ₂F₁'s parameters are
/// summed term by term with the series. The fit maximises over the logarithms of the
/// parameters by BFGS through the fitter both probabilistic models share
/// (`RepeatHistoryFitter`: time rescaled so the longest observation is 1, identical histories
/// collapsed into weights, an optional L2 penalty as lifetimes' penalizer).
public struct ParetoNBD: RepeatBuyingModel {
    public struct Parameters: RepeatBuyingParameters {
        public var r: Double
        public var alpha: Double
        public var s: Double
        public var beta: Double
    }

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

    public var name: String { "paretonbd" }
    public static var notes: [String] { ["alpha and beta in days"] }

    // MARK: likelihood

    /// The two terms of the bracket, in logs: log[(α+T)^−(r+x)(β+T)^−s] and log[s/(r+s+x)·A₀]
    /// (nil when A₀ = 0, that is t_x = T).
    static func logTerms(_ r: Dual, _ alpha: Dual, _ s: Dual, _ beta: Dual, _ h: RepeatHistory) -> (Dual, Dual?) {
        let x = h.x
        let first = -(r + x) * (alpha + h.T).log() - s * (beta + h.T).log()
        guard h.tx < h.T else { return (first, nil) }
        let a = r + s + x, c = r + s + x + 1
        let (big, small, b) = alpha.value >= beta.value ? (alpha, beta, s + 1) : (beta, alpha, r + x)
        // Near z = 1 the series needs thousands of terms (and often gives up after 20,000):
        // the quadrature is as accurate there and costs 64 points.
        if (big.value - small.value) / (big.value + h.tx) > seriesLimit {
            return (first, s.log() + logDeathIntegral(r + x, alpha, s, beta, from: h.tx, to: h.T))
        }
        func logF(_ t: Double) -> Dual? {
            let z = (big - small) / (big + t)
            return SpecialFunctions.logHypergeometric2F1(a, b, c, z, maxTerms: 20_000).map { $0 - a * (big + t).log() }
        }
        guard let f1 = logF(h.tx), let f2 = logF(h.T) else {
            return (first, s.log() + logDeathIntegral(r + x, alpha, s, beta, from: h.tx, to: h.T))
        }
        guard f2.value < f1.value else { return (first, nil) }
        let logA0 = f1 + (f2 - f1).log1mExp()
        return (first, s.log() - a.log() + logA0)
    }

    /// The largest z (at t_x) for which A₀ is summed as a series; above it, by quadrature.
    static let seriesLimit = 0.99

    /// log ∫ (α+τ)^−(r+x) (β+τ)^−(s+1) dτ over [t_x, T], the same quantity as A₀/(r+s+x),
    /// for when the series converges too slowly (z above ``seriesLimit``, or a series that
    /// has not converged after 20,000 terms): then the integrand is smooth in w = log(min(α, β) + τ), and 64-point
    /// Gauss-Legendre quadrature in w, carried out on duals, gives value and gradient.
    static func logDeathIntegral(_ rx: Dual, _ alpha: Dual, _ s: Dual, _ beta: Dual, from tx: Double, to T: Double) -> Dual {
        let m = alpha.value <= beta.value ? alpha : beta
        let lo = (m + tx).log(), hi = (m + T).log()
        let half = (hi - lo) / 2
        var terms: [Dual] = []
        for (xi, weight) in GaussLegendre.standard64 {
            let w = lo + half * (1 + xi)
            let tau = w.exp() - m  // τ as a dual: it moves with the parameters through m and the ends
            let logIntegrand = -(rx * (alpha + tau).log()) - (s + 1) * (beta + tau).log() + w
            terms.append(logIntegrand + (half * weight).log())
        }
        return terms.dropFirst().reduce(terms[0]) { Dual.logSumExp($0, $1) }
    }

    /// The log-likelihood of one history; the gradient is with respect to the logarithms of
    /// (r, α, s, β).
    static func logLikelihood(_ p: Parameters, _ h: RepeatHistory) -> Dual {
        let r = Dual(p.r, SIMD4(p.r, 0, 0, 0)), alpha = Dual(p.alpha, SIMD4(0, p.alpha, 0, 0))
        let s = Dual(p.s, SIMD4(0, 0, p.s, 0)), beta = Dual(p.beta, SIMD4(0, 0, 0, p.beta))
        let head = (r + h.x).logGamma() - r.logGamma() + r * alpha.log() + s * beta.log()
        let (first, second) = logTerms(r, alpha, s, beta, h)
        return head + (second.map { Dual.logSumExp(first, $0) } ?? first)
    }

    /// The log-likelihood summed over the histories.
    public static func totalLogLikelihood(_ p: Parameters, _ histories: [RepeatHistory]) -> Double {
        histories.reduce(0) { $0 + logLikelihood(p, $1).value }
    }

    // MARK: fitting

    /// Fits the parameters to the histories (in any time unit; α and β come out in that unit);
    /// `observer` receives each BFGS step.
    public mutating func fit(histories: [RepeatHistory], observer: TrainingObserver? = nil) throws {
        let fitter = RepeatHistoryFitter<Parameters>(model: name, penalty: penalty, gradientSpace: .logParameters) { p, h in
            let l = ParetoNBD.logLikelihood(p, h)
            return (l.value, l.gradient)
        }
        let fit = try fitter.fit(histories, observer: observer)
        iterations = fit.iterations
        objectiveTrace = fit.trace
        guard let fitted = fit.parameters else { throw ModelFitError.diverged(model: name, iteration: iterations) }
        parameters = fitted
        logLikelihood = ParetoNBD.totalLogLikelihood(fitted, histories)
    }

    // MARK: prediction

    /// P(alive at T | x, t_x, T) = term₁ / (term₁ + term₂).
    public static func probabilityAlive(_ p: Parameters, _ h: RepeatHistory) -> Double {
        let (first, second) = logTerms(Dual(p.r), Dual(p.alpha), Dual(p.s), Dual(p.beta), h)
        guard let second else { return 1 }
        return exp(first.value - Dual.logSumExp(first, second).value)
    }

    /// E[X(t) | x, t_x, T] = (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive)
    /// (the limit (r+x)(β+T)/(α+T) · log((β+T+t)/(β+T)) · P(alive) at s = 1).
    public static func conditionalExpectation(_ p: Parameters, _ h: RepeatHistory, horizon t: Double) -> Double {
        let rate = (p.r + h.x) / (p.alpha + h.T)
        let exposure: Double
        if abs(p.s - 1) < 1e-9 {
            exposure = (p.beta + h.T) * log1p(t / (p.beta + h.T))
        } else {
            exposure = (p.beta + h.T) / (p.s - 1) * -expm1((p.s - 1) * -log1p(t / (p.beta + h.T)))
        }
        let value = rate * exposure * probabilityAlive(p, h)
        return value.isFinite ? max(0, value) : 0
    }

    /// P(X(t) = k | x, t_x, T): dead customers buy nothing; one alive at T has λ ~ Gamma(r+x, α+T)
    /// and a remaining lifetime with P(τ > u) = ((β+T)/(β+T+u))^s, so X is negative binomial
    /// over the exposure min(τ, t), integrated over τ by Gauss-Legendre quadrature.
    public static func probability(_ p: Parameters, _ h: RepeatHistory, horizon t: Double, count k: Int) -> Double {
        k < 0 ? 0 : probabilities(p, h, horizon: t, upTo: k)[k]
    }

    /// P(X(t) = k | x, t_x, T) for k = 0 ... `maxCount` (P(alive) and the quadrature's
    /// lifetime densities computed once); empty when `maxCount` < 0.
    public static func probabilities(_ p: Parameters, _ h: RepeatHistory, horizon t: Double, upTo maxCount: Int) -> [Double] {
        guard maxCount >= 0 else { return [] }
        let alive = probabilityAlive(p, h)
        let shape = p.r + h.x, rate = p.alpha + h.T, b = p.beta + h.T
        let survives = exp(-p.s * log1p(t / b))
        let nodes = GaussLegendre.nodes32(from: 0, to: t).map { u, w in (u, w * p.s / b * exp(-(p.s + 1) * log1p(u / b))) }
        return (0...maxCount).map { k in
            var givenAlive = survives * NegativeBinomial.probability(k, shape: shape, rate: rate, exposure: t)
            for (u, weightedDensity) in nodes { givenAlive += weightedDensity * NegativeBinomial.probability(k, shape: shape, rate: rate, exposure: u) }
            return alive * givenAlive + (k == 0 ? 1 - alive : 0)
        }
    }
}

extension ParetoNBD.Parameters {
    public static var names: [String] { ["r", "alpha", "s", "beta"] }
    public static var timeParameters: [Int] { [1, 3] }
    public var values: SIMD4<Double> { SIMD4(r, alpha, s, beta) }
    public init(values v: SIMD4<Double>) { self.init(r: v[0], alpha: v[1], s: v[2], beta: v[3]) }
}
