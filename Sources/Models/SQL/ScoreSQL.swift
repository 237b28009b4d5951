import Core

/// A model that can be written as one SQL expression over a row of features: what
/// ``ScoreSQL`` compiles. The baselines, the GLM, the log-linear regression, the booster, a
/// blend of such models and an `auto` model that chose one are; the probabilistic models are
/// not (``ScoreSQL/UncompilableModel``).
public protocol SQLScorable {
    /// The expected events over `horizonDays` as a double-valued SQL expression, reading
    /// feature `name` through `feature(name)` (a double, NULL where the toolkit has NaN).
    func expectedEventsSQL(_ d: SQLDialect, feature: (String) -> String, horizonDays: Int) throws -> String
}

/// Saved models compiled to SQL, for scoring inside the engine that holds the features:
/// `forecast sql score` prints ``select(_:dialect:horizonDays:from:)``, and tests hold its
/// results to `forecast predict` in PostgreSQL, Spark and SQLite.
///
/// The SELECT reads a relation with `customer_id` and the model's feature columns (as
/// `forecast sql features` or `forecast features` write them) and returns `customer_id`,
/// `expected_events` and `p_zero` per row: the model's expected count and the probability of
/// no event under its predictive law (negative binomial with the model's fitted size, Poisson
/// without one), as `forecast predict` reports them. Arithmetic runs in doubles with every
/// constant written to round-trip exactly, in the order the Swift code uses where the engine
/// allows it.
public enum ScoreSQL {
    /// A model kind that has no SQL form, and why.
    public struct UncompilableModel: Error, Equatable, CustomStringConvertible {
        public let kind: String
        public let reason: String

        public init(kind: String, reason: String) {
            self.kind = kind
            self.reason = reason
        }

        public var description: String { "a \(kind) model cannot be compiled to SQL: \(reason)" }
    }

    /// The scoring SELECT of `model` over `relation` for a horizon of `horizonDays` days
    /// (the baselines scale by it; the supervised models predict the month the features'
    /// cutoff starts). Throws ``UncompilableModel`` for a model without an SQL form and
    /// ``ModelFitError/notFitted(model:)`` for an unfitted one.
    public static func select(_ model: any Forecaster, dialect d: SQLDialect, horizonDays: Int, from relation: String = "features") throws -> String {
        guard let scorable = model as? any SQLScorable else { throw uncompilable(model) }
        // The features the model reads, each cast to a double once (in `x`), so that the
        // expression names bare columns: a booster's SQL names them thousands of times.
        var used: [String] = []
        let mean = try scorable.expectedEventsSQL(d, feature: { name in
            if !used.contains(name) { used.append(name) }
            return name
        }, horizonDays: horizonDays)
        let columns = ["customer_id"] + used.map { "\(d.double($0)) AS \($0)" }
        return """
            WITH x AS (
                SELECT \(columns.joined(separator: ", "))
                FROM \(relation)),
            scored AS (
                SELECT customer_id, \(mean) AS expected_events
                FROM x)
            SELECT customer_id, expected_events, \(probabilityOfZero(d, mean: "expected_events", size: model.dispersionSize)) AS p_zero
            FROM scored
            ORDER BY customer_id
            """
    }

    /// Session settings to run before ``select(_:dialect:horizonDays:from:)``: for PostgreSQL
    /// and a model with trees, `SET jit = off`. A compiled booster is one expression of
    /// hundreds of kilobytes, which PostgreSQL's JIT compiles with LLVM in every parallel
    /// worker: 346 s and 2.2 GB per process for a 425-tree model on 919,182 customers; 103 s
    /// and 254 MB interpreted for a 500-tree one (docs/scale-out.md).
    public static func settings(_ model: any Forecaster, dialect d: SQLDialect) -> [String] {
        d == .postgres && hasTrees(model) ? ["SET jit = off"] : []
    }

    static func hasTrees(_ model: any Forecaster) -> Bool {
        switch model {
        case is GradientBoosting: true
        case let blend as Blend: blend.components.contains(where: hasTrees)
        case let auto as AutoForecaster: auto.chosen.map(hasTrees) ?? false
        default: false
        }
    }

    /// P(N = 0) of the law around the mean, as ``CountDispersion/summary(mean:size:)`` gives it:
    /// e^(−μ) for Poisson, e^(θ·ln(θ / (θ + μ))) for NB(μ, θ).
    static func probabilityOfZero(_ d: SQLDialect, mean: String, size: Double?) -> String {
        let mu = d.greatest(mean, d.literal(0))
        guard let size else { return "exp(-\(mu))" }
        let theta = d.literal(size)
        return "exp(\(theta) * ln(\(theta) / (\(theta) + \(mu))))"
    }

    /// Why `model` has no SQL form.
    static func uncompilable(_ model: any Forecaster) -> UncompilableModel {
        switch model.name {
        case "bgnbd", "paretonbd", "mbgnbd":
            UncompilableModel(kind: model.name, reason: "its expectation and P(0) need the Gaussian hypergeometric function 2F1 "
                + "(Pareto/NBD also a numerical integral) and its seasonal calibration, which the toolkit evaluates by series "
                + "summed until they converge; SQL would have to fix the number of terms in advance, so its results could not be "
                + "held to the toolkit's within 1e-9. Score it with `forecast predict`, or compile a glm, gbm or baseline model")
        default:
            UncompilableModel(kind: model.name, reason: "the toolkit has no SQL form for it; the compilable kinds are "
                + "zero, last30, hist_rate, ols, glm, gbm, and blend and auto models made of them")
        }
    }
}
